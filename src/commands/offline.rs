//! `diagnose --offline`: the lint report of exactly what a live run would send, sending
//! nothing.
//!
//! # Plan
//!
//! Every input flag counts, as in a live run, and the report's inputs table says where each
//! value came from:
//!
//! * without a request file, the inputs are resolved the live way
//!   ([`super::diagnose::resolve`], in the contract's precedence), `--token-url` and
//!   `--region` reconciled ([`super::resolve_checks::reconcile_region`]), and the request is the
//!   canonical one at the token URL or region that would be used;
//! * with a request file, `--client-id`, `--client-secret-file`/`--client-secret-stdin`/
//!   `--client-secret` and `--token-url` replace the file's values in place (the engine's
//!   [`crate::engine::subject::build`], so the request keeps its shape and defects), and a
//!   `--region` that disagrees with where the request posts is one warning.
//!
//! The findings of the inputs themselves (hygiene, the region disagreement) join the lint
//! findings; the secret values are given to the redactor.

use super::output::emit;
use super::resolve::{Resolved, load_request, resolve, secret_files};
use super::{Globals, UsageError};
use crate::catalogue::CauseId;
use crate::cli::DiagnoseArgs;
use crate::config::{self, Env, Sourced};
use crate::engine::{Inputs, subject};
use crate::finding::{Finding, Severity};
use crate::region::{self, HostKind};
use crate::report::InputSource;
use crate::request::{CredLocation, Credentials, FoundValue, ImportedRequest, ValueOrigin};
use crate::secret::{Redactor, is_uuid_shaped, mask};
use clap::ArgMatches;
use clap::parser::ValueSource;

/// Runs `diagnose --offline`; returns the exit code.
pub fn run(args: &DiagnoseArgs, m: Option<&ArgMatches>, g: Globals) -> Result<u8, UsageError> {
    let env = &Env::new(args.env_file.as_deref())?;
    let (imp, sources, findings) = match load_request(args, env)? {
        Some(imp) => with_flags(args, m, imp)?,
        None => from_settings(args, resolve(args, m, env, None)?)?,
    };
    let mut report = crate::linter::lint(&imp);
    merge_sources(&mut report.inputs, sources);
    // The inputs' own findings count like lint's: by severity, the most serious first.
    report.findings.extend(findings);
    report.findings.sort_by_key(|f| f.severity);
    // Then the verdict and exit code as `lint` gives them (contract §4: warnings alone exit 0).
    // The corrected request stays even for a clean input: here it is the request a live run
    // would send, with every flag applied.
    crate::report::lint_outcome::settle(&mut report, false);
    crate::report::language::localise(&mut report, imp.kind);
    let mut redactor = Redactor::new();
    for v in [&imp.client_secret].into_iter().flatten() {
        if v.is_known() {
            redactor.add(&v.value);
        }
    }
    if let Some(id) = imp.client_id.as_ref().filter(|v| !is_uuid_shaped(&v.value)) {
        redactor.add(&id.value);
    }
    emit(&mut report, &args.output, g, &redactor)?;
    Ok(report.exit_code())
}

type Offline = (ImportedRequest, Vec<InputSource>, Vec<Finding>);

/// No request file: the canonical request a live run would start from.
fn from_settings(args: &DiagnoseArgs, mut resolved: Resolved) -> Result<Offline, UsageError> {
    super::resolve_checks::reconcile_region(&mut resolved.inputs);
    super::resolve_checks::cleaned_values(
        &secret_files(args),
        &mut resolved.inputs,
        &mut resolved.secrets,
    );
    let i = &resolved.inputs;
    let mut inputs = i.clone();
    if inputs.region.is_none() && inputs.token_url.is_none() {
        inputs.region = Some(region::default_region());
    }
    let req = subject::build(&inputs)
        .map(|s| s.request)
        .ok_or_else(|| UsageError::new("no token URL or region to build the request for"))?;
    let mut imp = ImportedRequest::new(crate::request::InputKind::Http, "your settings", req);
    imp.client_id = Some(FoundValue::literal(
        &i.creds.id,
        CredLocation::BasicHeader,
        None,
    ));
    imp.client_secret = Some(FoundValue::literal(
        i.creds.secret.expose(),
        CredLocation::BasicHeader,
        None,
    ));
    Ok((imp, i.sources.clone(), i.findings.clone()))
}

fn from_cli(m: Option<&ArgMatches>, id: &str) -> bool {
    m.and_then(|m| m.value_source(id)) == Some(ValueSource::CommandLine)
}

/// A request file with the flags applied.
fn with_flags(
    args: &DiagnoseArgs,
    m: Option<&ArgMatches>,
    imp: ImportedRequest,
) -> Result<Offline, UsageError> {
    let mut sources = Vec::new();
    let mut findings = Vec::new();
    let id = args
        .client_id
        .clone()
        .filter(|_| from_cli(m, "client_id"))
        .map(|v| Sourced {
            value: v,
            source: "flag --client-id".into(),
        });
    let secret = if let Some(path) = &args.client_secret_file {
        Some(Sourced {
            value: config::read_secret_file(path, "client secret")?,
            source: format!("file {path}"),
        })
    } else if args.client_secret_stdin {
        Some(Sourced {
            value: config::read_secret_file("-", "client secret")?,
            source: "stdin".into(),
        })
    } else {
        args.client_secret.clone().map(|v| Sourced {
            value: v,
            source: "flag --client-secret".into(),
        })
    };
    if let Some(v) = &id {
        let shown = if is_uuid_shaped(&v.value) {
            v.value.clone()
        } else {
            mask(&v.value)
        };
        sources.push(source("client id", shown, &v.source));
    }
    if let Some(v) = &secret {
        sources.push(source("client secret", mask(&v.value), &v.source));
    }
    if let Some(u) = &args.token_url {
        sources.push(source("token URL", u.clone(), "flag --token-url"));
    }
    let region = match args.region.as_deref().filter(|_| from_cli(m, "region")) {
        Some(r) => Some(region::parse(r).map_err(|e| UsageError::new(format!("--region: {e}")))?),
        None => None,
    };
    let known = |f: Option<&FoundValue>| f.filter(|f| f.is_known()).map(|f| f.value.clone());
    let creds = Credentials::new(
        id.as_ref()
            .map(|v| v.value.clone())
            .or_else(|| known(imp.client_id.as_ref()))
            .unwrap_or_default(),
        secret
            .as_ref()
            .map(|v| v.value.clone())
            .or_else(|| known(imp.client_secret.as_ref()))
            .unwrap_or_default(),
    );
    let inputs = Inputs {
        creds,
        creds_override: id.is_some() || secret.is_some(),
        region,
        token_url: args.token_url.clone(),
        imported: Some(imp.clone()),
        admin: None,
        check_api: Vec::new(),
        sources: Vec::new(),
        notes: Vec::new(),
        findings: Vec::new(),
        access_token: None,
        as_read: None,
    };
    let mut out = imp.clone();
    if let Some(sub) = subject::build(&inputs) {
        out.request = sub.request;
    }
    if let Some(v) = &id {
        out.client_id = Some(overridden(imp.client_id.as_ref(), &v.value));
    }
    if let Some(v) = &secret {
        out.client_secret = Some(overridden(imp.client_secret.as_ref(), &v.value));
    }
    if let Some(r) = region {
        sources.push(source("region", r.to_string(), "flag --region"));
        if let Some(posted) = out
            .request
            .host()
            .and_then(|h| match region::classify_host(&h) {
                HostKind::Login(p) | HostKind::Api(p) => Some(p),
                _ => None,
            })
            .filter(|p| *p != r)
        {
            findings.push(Finding::new(
                CauseId::WrongRegion,
                Severity::Warning,
                format!(
                    "--region says {r}, but the request posts to {posted}: a live run sends your request where it posts and the canonical one to {}",
                    r.login_host()
                ),
            ));
        }
    }
    Ok((out, sources, findings))
}

fn overridden(found: Option<&FoundValue>, value: &str) -> FoundValue {
    FoundValue {
        value: value.to_string(),
        location: found.map_or(CredLocation::BasicHeader, |f| f.location.clone()),
        origin: ValueOrigin::Literal,
        line: found.and_then(|f| f.line),
    }
}

fn source(name: &str, value: String, from: &str) -> InputSource {
    InputSource {
        name: name.into(),
        value,
        source: from.into(),
    }
}

/// The flags' sources replace the request file's for the same input; the rest stay.
fn merge_sources(table: &mut Vec<InputSource>, flags: Vec<InputSource>) {
    for f in flags {
        match table.iter_mut().find(|t| t.name == f.name) {
            Some(t) => *t = f,
            None => table.push(f),
        }
    }
}
