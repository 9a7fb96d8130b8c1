//! Resolving a run's inputs: credentials, region, admin access and the request file, in the
//! contract's precedence (§2), plus the checks every diagnose-style run makes first (the test
//! seams). Shared by `diagnose`, its offline form, `demo` and the `--clients` batch, so none of
//! them reaches into another's module.

use super::UsageError;
use crate::catalogue::CauseId;
use crate::cli::DiagnoseArgs;
use crate::config::{self, Env, Sourced};
use crate::engine::{Admin, ApiTarget, Inputs};
use crate::finding::{Finding, Severity};
use crate::region::{self, Region};
use crate::report::InputSource;
use crate::request::{Credentials, ImportedRequest};
use crate::secret::mask::url_attempt;
use crate::secret::{Secret, is_uuid_shaped, mask};
use crate::shape::is_placeholder;
use clap::ArgMatches;
use clap::parser::ValueSource;
use zeroize::Zeroizing;

/// The checks every run makes before anything else: the `--connect-to` seam's form, the TLS
/// seam, and the env file.
pub fn preflight(args: &DiagnoseArgs) -> Result<(Option<crate::http::TlsSeam>, Env), UsageError> {
    if let Some(addr) = args.connect_to.as_deref().filter(|s| !s.is_empty()) {
        check_connect_to(addr)?;
    }
    let tls_seam = tls_seam(args)?;
    let env = Env::new(args.env_file.as_deref())?;
    Ok((tls_seam, env))
}

/// The TLS variant of the test seam (`http/tls.rs` says why it cannot weaken TLS towards a
/// real host): accepted only with both of its values, and never with the plain seam.
pub fn tls_seam(args: &DiagnoseArgs) -> Result<Option<crate::http::TlsSeam>, UsageError> {
    let addr = args.connect_to_tls.as_deref().filter(|s| !s.is_empty());
    let ca = args
        .test_ca
        .as_deref()
        .filter(|p| !p.as_os_str().is_empty());
    let plain = args.connect_to.as_deref().is_some_and(|s| !s.is_empty());
    match (addr, ca) {
        (None, None) => Ok(None),
        (Some(_), _) if plain => Err(UsageError::new(
            "GCDOCTOR_CONNECT_TO_TLS and GCDOCTOR_CONNECT_TO cannot be used together",
        )),
        (Some(addr), Some(ca)) => {
            check_connect_to(addr)?;
            let ca_pem = std::fs::read(ca).map_err(|e| {
                UsageError::new(format!("cannot read the test CA {}: {e}", ca.display()))
            })?;
            Ok(Some(crate::http::TlsSeam {
                addr: addr.to_string(),
                ca_pem,
            }))
        }
        _ => Err(UsageError::new(
            "GCDOCTOR_CONNECT_TO_TLS and GCDOCTOR_TEST_CA (test-only) are accepted only together",
        )),
    }
}

/// The secret files the user's own code may read too, with what each holds (for
/// [`super::resolve_checks::cleaned_values`]); the admin secret is gcdoctor's input only.
pub(super) fn secret_files(args: &DiagnoseArgs) -> [(Option<&str>, &'static str); 1] {
    [(args.client_secret_file.as_deref(), "client secret")]
}

/// `--connect-to` must be `HOST:PORT`: anything else would send every request to a host
/// name made of the typo (and so fail as a "network" problem, or worse, resolve).
fn check_connect_to(v: &str) -> Result<(), UsageError> {
    let bad = || {
        UsageError::new(format!(
            "--connect-to (or GCDOCTOR_CONNECT_TO) `{v}` is not HOST:PORT, e.g. 127.0.0.1:8089"
        ))
    };
    let (host, port) = v.rsplit_once(':').ok_or_else(bad)?;
    let bracketed = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    let host_ok = match bracketed {
        Some(h) => !h.is_empty(),
        None => {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        }
    };
    match port.parse::<u16>() {
        Ok(p) if p > 0 && host_ok => Ok(()),
        _ => Err(bad()),
    }
}

pub(super) fn load_request(
    args: &DiagnoseArgs,
    env: &Env,
) -> Result<Option<ImportedRequest>, UsageError> {
    match args.from() {
        None => Ok(None),
        Some((kind, path)) => {
            let postman_env = args.postman_env.as_deref();
            crate::import::load_with(path, kind, postman_env, &|k| env.var(k))
                .map(Some)
                .map_err(|e| UsageError::new(e.to_string()))
        }
    }
}

/// Everything resolved from flags, environment, profile and the request file.
pub struct Resolved {
    pub inputs: Inputs,
    /// Secret values, for the redactor (zeroed on drop).
    pub secrets: Vec<Zeroizing<String>>,
    /// Printed on stderr before the run.
    pub warnings: Vec<String>,
    /// The command line that reproduces the run, secrets masked.
    pub command: Option<String>,
}

/// This process's command line with secret values masked, for the report's footer.
pub fn masked_command_line() -> String {
    let mut out = vec!["gcdoctor".to_string()];
    let mut hide_next = false;
    for a in std::env::args().skip(1) {
        if hide_next {
            out.push("…".into());
            hide_next = false;
            continue;
        }
        if a == "--client-secret" {
            hide_next = true;
        }
        if a.starts_with("--client-secret=") {
            out.push("--client-secret=…".into());
            continue;
        }
        out.push(if a.contains(char::is_whitespace) || a.is_empty() {
            format!("'{a}'")
        } else {
            a
        });
    }
    out.join(" ")
}

fn from_cli(m: Option<&ArgMatches>, id: &str) -> bool {
    m.and_then(|m| m.value_source(id)) == Some(ValueSource::CommandLine)
}

pub(super) fn parse_region(value: &str, source: &str) -> Result<&'static Region, UsageError> {
    region::parse(value).map_err(|e| UsageError::new(format!("{source}: {e}")))
}

/// Resolves credentials, region and admin access, in the contract's precedence (§2).
pub fn resolve(
    args: &DiagnoseArgs,
    m: Option<&ArgMatches>,
    env: &Env,
    imported: Option<&ImportedRequest>,
) -> Result<Resolved, UsageError> {
    let mut sources = Vec::new();
    let mut notes = Vec::new();
    let mut hygiene: Vec<Finding> = Vec::new();
    let mut warnings = Vec::new();
    let mut secrets = Vec::new();

    // The gc CLI profile: asked for by name, or DEFAULT when it exists.
    let profile = load_profile(args, env)?;
    let profile_src = |key: &str| profile_source(profile.as_ref(), key);

    let imp_id = from_request(imported.and_then(|i| i.client_id.as_ref()), imported);
    let imp_secret = from_request(imported.and_then(|i| i.client_secret.as_ref()), imported);

    // Client id: flag, the request file (unless a template value), env, profile.
    let id = pick_id(args, m, env, profile.as_ref(), &imp_id);

    // Secret: flags, the request file (unless a template value), env, profile, prompt.
    let flag_secret = flag_secret(args, &mut warnings, &mut hygiene)?;
    let env_secret = env.get("GENESYSCLOUD_OAUTHCLIENT_SECRET");
    let prof_secret = profile
        .as_ref()
        .and_then(|p| p.client_secret.clone())
        .map(|v| Sourced {
            value: v,
            source: profile_src("client_secret"),
        });
    let mut secret = flag_secret
        .or_else(|| real(&imp_secret))
        .or(env_secret)
        .or(prof_secret)
        .or(imp_secret.clone());

    // No secret anywhere but an access token in the environment (the gc CLI's and Terraform's
    // GENESYSCLOUD_ACCESS_TOKEN): check the token itself.
    if secret.is_none()
        && imported.is_none()
        && args.token_url.is_none()
        && let Some(token) = env.get("GENESYSCLOUD_ACCESS_TOKEN")
    {
        return token_mode(
            args,
            m,
            env,
            token,
            id,
            profile.as_ref(),
            sources,
            notes,
            secrets,
        );
    }
    let env_file = args.env_file.is_some();
    let Some(id) = id else {
        return Err(super::resolve_checks::no_client_id(env, imported, env_file));
    };
    if secret.is_none() {
        secret = prompt_secret(&id.value)?;
    }
    let Some(secret) = secret else {
        return Err(super::resolve_checks::no_client_secret(
            env, imported, env_file,
        ));
    };
    unresolved_notes(imported, &mut notes);
    let creds_override = imported.is_some()
        && (Some(&id) != imp_id.as_ref() || Some(&secret) != imp_secret.as_ref());
    credential_sources(&id, &secret, &mut sources, &mut secrets);

    let region = resolve_region(
        args,
        m,
        env,
        profile.as_ref(),
        imported.is_some(),
        &mut sources,
        &mut hygiene,
    )?;
    profile_hygiene(profile.as_ref(), &id, &secret, &mut hygiene);
    check_token_url(args, env, &mut sources)?;
    proxy_note(profile.as_ref(), env, &mut notes);

    let (admin, check_api) = admin_and_checks(args, env, &mut secrets, &mut sources)?;

    Ok(Resolved {
        inputs: Inputs {
            creds: Credentials::new(id.value, secret.value),
            creds_override,
            region: region.map(|(r, _)| r),
            token_url: args.token_url.clone(),
            imported: imported.cloned(),
            admin,
            check_api,
            sources,
            notes,
            access_token: None,
            as_read: None,
            findings: hygiene,
        },
        secrets,
        warnings,
        command: Some(masked_command_line()),
    })
}

/// Where the gc profile gives `key`, for the inputs table.
fn profile_source(profile: Option<&config::GcProfile>, key: &str) -> String {
    profile
        .map(|p| format!("profile {} ({} in {})", p.name, key, p.path.display()))
        .unwrap_or_default()
}

/// A value kept only when it is no template value.
fn real(s: &Option<Sourced>) -> Option<Sourced> {
    s.clone().filter(|x| !is_placeholder(&x.value))
}

/// A value the request file holds, with where it came from.
fn from_request(
    v: Option<&crate::request::FoundValue>,
    imported: Option<&ImportedRequest>,
) -> Option<Sourced> {
    v.filter(|f| f.is_known()).map(|f| Sourced {
        value: f.value.clone(),
        source: match (&f.origin, f.line, imported) {
            (crate::request::ValueOrigin::Env(name), _, _) => format!(
                "env {name}, read by your {}",
                imported.map_or("request", |i| i.kind.as_str())
            ),
            (_, Some(l), Some(i)) => format!("{} line {l}", i.source),
            (_, None, Some(i)) => i.source.clone(),
            _ => "your request".into(),
        },
    })
}

/// The client id: flag, the request file (unless a template value), env, profile.
fn pick_id(
    args: &DiagnoseArgs,
    m: Option<&ArgMatches>,
    env: &Env,
    profile: Option<&config::GcProfile>,
    imp_id: &Option<Sourced>,
) -> Option<Sourced> {
    let flag_id = args
        .client_id
        .clone()
        .filter(|_| from_cli(m, "client_id"))
        .map(|v| Sourced {
            value: v,
            source: "flag --client-id".into(),
        });
    let env_id = env.get("GENESYSCLOUD_OAUTHCLIENT_ID");
    let prof_id = profile.and_then(|p| p.client_id.clone()).map(|v| Sourced {
        value: v,
        source: profile_source(profile, "client_credentials"),
    });
    flag_id
        .or_else(|| real(imp_id))
        .or(env_id)
        .or(prof_id)
        .or(imp_id.clone())
}

/// The importer's notes on the request file (how a shell or a language read it: a string
/// PowerShell rejects, a variable on a drive, the library it sends with), then a note for
/// each value that could not be worked out.
fn unresolved_notes(imported: Option<&ImportedRequest>, notes: &mut Vec<String>) {
    if let Some(imp) = imported {
        notes.extend(imp.notes.iter().cloned());
        for u in &imp.unresolved {
            notes.push(format!(
                "{}: could not work out {} (`{}`)",
                line_ref(imp, u.line),
                u.what,
                u.expr
            ));
        }
    }
}

/// The id and secret as the inputs table shows them (by shape), the secret kept for the
/// redactor.
fn credential_sources(
    id: &Sourced,
    secret: &Sourced,
    sources: &mut Vec<InputSource>,
    secrets: &mut Vec<Zeroizing<String>>,
) {
    let id_shown = if is_uuid_shaped(&id.value) {
        id.value.clone()
    } else {
        mask(&id.value)
    };
    sources.push(InputSource {
        name: "client id".into(),
        value: id_shown,
        source: id.source.clone(),
    });
    sources.push(InputSource {
        name: "client secret".into(),
        value: mask(&secret.value),
        source: secret.source.clone(),
    });
    secrets.push(Zeroizing::new(secret.value.clone()));
}

/// A gc profile that holds the secret in use and is readable by others.
fn profile_hygiene(
    profile: Option<&config::GcProfile>,
    id: &Sourced,
    secret: &Sourced,
    hygiene: &mut Vec<Finding>,
) {
    if let Some(p) = &profile
        && config::readable_by_others(&p.path)
        && (id.source.starts_with("profile") || secret.source.starts_with("profile"))
    {
        hygiene.push(
            Finding::new(
                CauseId::SecretExposed,
                Severity::Warning,
                format!(
                    "{} holds a client secret and is readable by other users (the gc CLI writes it 0644)",
                    p.path.display()
                ),
            )
            .fix(format!("chmod 600 {}", p.path.display())),
        );
    }
}

/// A proxy set in the gc profile, which gcdoctor does not use.
fn proxy_note(profile: Option<&config::GcProfile>, env: &Env, notes: &mut Vec<String>) {
    if let Some(p) = profile.as_ref().and_then(|p| p.proxy.clone())
        && env
            .var("HTTPS_PROXY")
            .or_else(|| env.var("https_proxy"))
            .is_none()
    {
        notes.push(format!(
            "the gc profile sets a proxy ({p}); gcdoctor uses HTTPS_PROXY, which is not set"
        ));
    }
}

/// The gc CLI profile: asked for by name, or DEFAULT when it exists.
fn load_profile(args: &DiagnoseArgs, env: &Env) -> Result<Option<config::GcProfile>, UsageError> {
    Ok(match config::gc_config_path(env) {
        Some(path) => config::read_gc_profile(
            &path,
            args.profile.as_deref().unwrap_or("DEFAULT"),
            args.profile.is_some(),
        )?,
        None if args.profile.is_some() => {
            return Err(UsageError::new(
                "--profile: HOME is not set, so ~/.gc/config.toml cannot be found",
            ));
        }
        None => None,
    })
}

/// The secret given by a flag (file, stdin or value), with the hygiene findings it earns.
fn flag_secret(
    args: &DiagnoseArgs,
    warnings: &mut Vec<String>,
    hygiene: &mut Vec<Finding>,
) -> Result<Option<Sourced>, UsageError> {
    let flag_secret = if let Some(path) = &args.client_secret_file {
        Some(Sourced {
            value: config::read_secret_file(path, "client secret")?,
            source: format!("file {path}"),
        })
    } else if args.client_secret_stdin {
        Some(Sourced {
            value: config::read_secret_file("-", "client secret")?,
            source: "stdin".into(),
        })
    } else if let Some(v) = &args.client_secret {
        let w = "--client-secret puts the secret in your shell history and the process list; prefer --client-secret-file or GENESYSCLOUD_OAUTHCLIENT_SECRET";
        warnings.push(w.to_string());
        hygiene.push(Finding::new(
            CauseId::SecretExposed,
            Severity::Warning,
            "the secret was given on the command line (--client-secret): it is in your shell history and visible in the process list",
        ));
        Some(Sourced {
            value: v.clone(),
            source: "flag --client-secret".into(),
        })
    } else {
        None
    };
    if let Some(path) = &args.client_secret_file
        && path != "-"
        && config::readable_by_others(std::path::Path::new(path))
    {
        hygiene.push(
            Finding::new(
                CauseId::SecretExposed,
                Severity::Warning,
                format!("the secret file {path} is readable by other users"),
            )
            .fix(format!("chmod 600 {path}")),
        );
    }
    Ok(flag_secret)
}

/// Region: the flag; else, when the request file or --token-url says where it posts, that;
/// else env, then profile. Listed in the sources, with a note on an odd spelling.
fn resolve_region(
    args: &DiagnoseArgs,
    m: Option<&ArgMatches>,
    env: &Env,
    profile: Option<&config::GcProfile>,
    has_request: bool,
    sources: &mut Vec<InputSource>,
    hygiene: &mut Vec<Finding>,
) -> Result<Option<(&'static Region, String)>, UsageError> {
    let profile_src = |key: &str| {
        profile
            .map(|p| format!("profile {} ({} in {})", p.name, key, p.path.display()))
            .unwrap_or_default()
    };
    // Region: the flag; else, when the request file or --token-url says where it posts, that;
    // else env, then profile.
    let url_says = args.token_url.is_some() || has_request;
    let region = if let Some(r) = args.region.as_deref().filter(|_| from_cli(m, "region")) {
        Some((parse_region(r, "--region")?, "flag --region".to_string()))
    } else if url_says {
        None
    } else if let Some(r) = env.get("GENESYSCLOUD_REGION") {
        Some((parse_region(&r.value, &r.source)?, r.source))
    } else if let Some(p) = profile.filter(|p| p.environment.is_some()) {
        let v = p.environment.clone().unwrap_or_default();
        Some((
            config::gc_environment(&v)
                .map_err(|e| UsageError::new(format!("{}: {e}", profile_src("environment"))))?,
            profile_src("environment"),
        ))
    } else {
        None
    };
    if let Some((r, src)) = &region {
        sources.push(InputSource {
            name: "region".into(),
            value: r.to_string(),
            source: src.clone(),
        });
        let raw = if src.starts_with("profile") {
            profile.and_then(|p| p.environment.clone())
        } else if src == "flag --region" {
            None
        } else {
            env.var("GENESYSCLOUD_REGION")
        };
        if let Some(note) = raw.and_then(|v| config::region_spelling_note(&v, r, src)) {
            hygiene.push(Finding::new(
                CauseId::RegionSpelling,
                Severity::Warning,
                note,
            ));
        }
    }
    Ok(region)
}

/// `--token-url`: an http(s) URL, listed in the sources (secrets in it masked).
fn check_token_url(
    args: &DiagnoseArgs,
    env: &Env,
    sources: &mut Vec<InputSource>,
) -> Result<(), UsageError> {
    if let Some(u) = &args.token_url {
        // A value that is no URL may be a secret in the wrong place: shown by its shape only.
        let parsed = url::Url::parse(u).map_err(|e| {
            UsageError::new(format!(
                "--token-url `{}` is not a URL: {e}",
                url_attempt(u)
            ))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || !parsed.has_host() {
            return Err(UsageError::new(format!(
                "--token-url `{}` is not an http(s) URL",
                crate::secret::mask::url(u)
            )));
        }
        crate::import::position::register(&crate::import::position::scan_url(u), &|k| env.var(k));
        sources.push(InputSource {
            name: "token URL".into(),
            value: crate::secret::mask::url(u),
            source: "flag --token-url".into(),
        });
    }
    Ok(())
}

/// Only an access token to check: its region is needed, since a token works only on the API
/// host of the region that issued it.
#[allow(clippy::too_many_arguments)]
fn token_mode(
    args: &DiagnoseArgs,
    m: Option<&ArgMatches>,
    env: &Env,
    token: Sourced,
    id: Option<Sourced>,
    profile: Option<&config::GcProfile>,
    mut sources: Vec<InputSource>,
    notes: Vec<String>,
    mut secrets: Vec<Zeroizing<String>>,
) -> Result<Resolved, UsageError> {
    let region = if let Some(r) = args.region.as_deref().filter(|_| from_cli(m, "region")) {
        (parse_region(r, "--region")?, "flag --region".to_string())
    } else if let Some(r) = env.get("GENESYSCLOUD_REGION") {
        (parse_region(&r.value, &r.source)?, r.source)
    } else if let Some(v) = profile.and_then(|p| p.environment.clone()) {
        let r = config::gc_environment(&v)
            .map_err(|e| UsageError::new(format!("gc profile environment: {e}")))?;
        (r, "gc profile environment".to_string())
    } else {
        return Err(UsageError::new(
            "GENESYSCLOUD_ACCESS_TOKEN is set but no region: give --region (a token works only in the region that issued it), or give the client's id and secret instead",
        ));
    };
    let value = token
        .value
        .trim()
        .trim_start_matches("Bearer ")
        .trim()
        .to_string();
    sources.push(InputSource {
        name: "access token".into(),
        value: mask(&value),
        source: token.source,
    });
    sources.push(InputSource {
        name: "region".into(),
        value: region.0.to_string(),
        source: region.1,
    });
    secrets.push(Zeroizing::new(value.clone()));
    let (admin, check_api) = admin_and_checks(args, env, &mut secrets, &mut sources)?;
    Ok(Resolved {
        inputs: Inputs {
            creds: Credentials::new(id.map(|i| i.value).unwrap_or_default(), ""),
            creds_override: false,
            region: Some(region.0),
            token_url: None,
            imported: None,
            admin,
            check_api,
            sources,
            notes,
            access_token: Some(Secret::new(value)),
            as_read: None,
            findings: Vec::new(),
        },
        secrets,
        warnings: Vec::new(),
        command: Some(masked_command_line()),
    })
}

/// Admin access and `--check-api` targets: the inputs a batch shares with a single run.
pub fn admin_and_checks(
    args: &DiagnoseArgs,
    env: &Env,
    secrets: &mut Vec<Zeroizing<String>>,
    sources: &mut Vec<InputSource>,
) -> Result<(Option<Admin>, Vec<ApiTarget>), UsageError> {
    // Admin access.
    let admin_region = match &args.admin_region {
        Some(r) => Some(parse_region(r, "--admin-region")?),
        None => None,
    };
    let admin = if let Some(aid) = &args.admin_client_id {
        let s = match &args.admin_client_secret_file {
            Some(path) => config::read_secret_file(path, "admin client secret")?,
            None => env.var("GCDOCTOR_ADMIN_CLIENT_SECRET").ok_or_else(|| {
                UsageError::new("--admin-client-id needs the admin secret: --admin-client-secret-file FILE or GCDOCTOR_ADMIN_CLIENT_SECRET")
            })?,
        };
        secrets.push(Zeroizing::new(s.clone()));
        sources.push(InputSource {
            name: "admin client id".into(),
            value: aid.clone(),
            source: "flag --admin-client-id / env GCDOCTOR_ADMIN_CLIENT_ID".into(),
        });
        Some(Admin::Client {
            creds: Credentials::new(aid.clone(), s),
            region: admin_region,
        })
    } else if let Some(t) = match &args.admin_token_file {
        Some(path) => Some(config::read_secret_file(path, "admin token")?),
        None => env.var("GCDOCTOR_ADMIN_TOKEN"),
    } {
        let t = t.trim().trim_start_matches("Bearer ").trim().to_string();
        secrets.push(Zeroizing::new(t.clone()));
        sources.push(InputSource {
            name: "admin token".into(),
            value: mask(&t),
            source: "--admin-token-file / env GCDOCTOR_ADMIN_TOKEN".into(),
        });
        Some(Admin::Token {
            token: Secret::new(t),
            region: admin_region,
        })
    } else {
        if args.admin_client_secret_file.is_some() {
            return Err(UsageError::new(
                "--admin-client-secret-file needs --admin-client-id",
            ));
        }
        None
    };

    let check_api = args
        .check_api
        .iter()
        .map(|s| {
            let positions = crate::import::position::scan_url(s);
            crate::import::position::register(&positions, &|k| env.var(k));
            ApiTarget::parse(s).map_err(|e| {
                UsageError::new(format!(
                    "--check-api {}",
                    e.replace(s.trim(), &url_attempt(s))
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    Ok((admin, check_api))
}

fn line_ref(imp: &ImportedRequest, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{}:{l}", imp.source),
        None => imp.source.clone(),
    }
}

/// Asks for the secret without echo when stdin is a terminal.
fn prompt_secret(id: &str) -> Result<Option<Sourced>, UsageError> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let shown = if is_uuid_shaped(id) {
        id.to_string()
    } else {
        "your client".into()
    };
    let v = rpassword::prompt_password(format!("Client secret for {shown} (input hidden): "))
        .map_err(|e| UsageError::new(format!("cannot read the secret from the terminal: {e}")))?;
    if v.is_empty() {
        return Err(UsageError::new("no client secret entered"));
    }
    Ok(Some(Sourced {
        value: v,
        source: "the terminal prompt".into(),
    }))
}
