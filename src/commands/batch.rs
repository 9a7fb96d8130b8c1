//! `gcdoctor diagnose --clients FILE`: many clients at once, for CI and support teams.
//!
//! Each client gets its own diagnosis (own budget, own report), all running concurrently
//! over one shared HTTP client: the per-host limit (8 in flight to one host) and the
//! throttling stop hold across the whole batch, so a batch never hammers a login host.
//!
//! The file format is in [`super::clients_file`]. A line that cannot run (bad region, no
//! secret source, a secret variable not set, an unreadable secret file) becomes a client
//! that could not run in the report; the others run. The single-client flags (`--client-id`,
//! `--client-secret…`, `--profile`, `--token-url`, `--from-…`) say nothing about a batch, so
//! with `--clients` they are a usage error rather than silently ignored. The report is
//! rendered by [`crate::report::batch`].

use super::clients_file::{ClientSpec, SecretSource, parse_clients};
use super::resolve::{Resolved, admin_and_checks, parse_region, preflight};
use super::{Globals, UsageError};
use crate::cli::DiagnoseArgs;
use crate::config::{self, Env};
use crate::engine::{self, Inputs, Session, Silent};
use crate::http::{Shared, Transport, TransportOptions};
use crate::report::batch::{Batch, BatchClient, Outcome};
use crate::report::{InputSource, RunInfo};
use crate::request::Credentials;
use crate::secret::{Redactor, mask};
use clap::ArgMatches;
use clap::parser::ValueSource;
use futures_util::StreamExt;
use std::sync::{Arc, Mutex};
use zeroize::Zeroizing;

/// Diagnoses running at once.
const CONCURRENT_CLIENTS: usize = 16;

/// Flags of a single diagnosis, meaningless with `--clients` (clap ids, flag names).
const SINGLE_CLIENT_FLAGS: &[(&str, &str)] = &[
    ("client_id", "--client-id"),
    ("client_secret_file", "--client-secret-file"),
    ("client_secret_stdin", "--client-secret-stdin"),
    ("client_secret", "--client-secret"),
    ("profile", "--profile"),
    ("token_url", "--token-url"),
    ("from_curl", "--from-curl"),
    ("from_http", "--from-http"),
    ("from_har", "--from-har"),
    ("from_python", "--from-python"),
    ("from_js", "--from-js"),
    ("from_powershell", "--from-powershell"),
    ("from_csharp", "--from-csharp"),
    ("from_java", "--from-java"),
    ("from_go", "--from-go"),
    ("offline", "--offline"),
];

/// A usage error naming the single-client flags given on the command line with `--clients`.
pub fn check_flags(m: Option<&ArgMatches>) -> Result<(), UsageError> {
    let Some(m) = m else { return Ok(()) };
    let given: Vec<&str> = SINGLE_CLIENT_FLAGS
        .iter()
        .filter(|(id, _)| {
            m.try_get_raw(id).is_ok_and(|v| v.is_some())
                && m.value_source(id) == Some(ValueSource::CommandLine)
        })
        .map(|(_, flag)| *flag)
        .collect();
    if given.is_empty() {
        return Ok(());
    }
    Err(UsageError::new(format!(
        "--clients runs every client of the file with its own id and secret: {} cannot apply to it (put each client's id and secret source on its line)",
        given.join(", ")
    )))
}

/// A client ready to run, or why it cannot.
enum Prepared {
    Run(Box<Session>, Zeroizing<String>),
    Error(String),
}

/// Runs `diagnose --clients`: the checks every run makes first, the admin access and
/// checks the clients share, then the batch.
pub fn run_command(
    args: &DiagnoseArgs,
    matches: Option<&ArgMatches>,
    g: Globals,
) -> Result<u8, UsageError> {
    let (_, env) = preflight(args)?;
    let mut secrets = Vec::new();
    let mut sources = Vec::new();
    let (admin, check_api) = admin_and_checks(args, &env, &mut secrets, &mut sources)?;
    let base = Resolved {
        inputs: Inputs {
            creds: Credentials::new("", ""),
            creds_override: false,
            region: match args.region.as_deref() {
                Some(r) => Some(parse_region(r, "--region")?),
                None => None,
            },
            token_url: None,
            imported: None,
            admin,
            check_api,
            sources,
            notes: Vec::new(),
            access_token: None,
            as_read: None,
            findings: Vec::new(),
        },
        secrets,
        warnings: Vec::new(),
        command: None,
    };
    run(args, matches, base, g)
}

/// Runs the batch; returns the exit code (see [`Batch::exit_code`]).
pub fn run(
    args: &DiagnoseArgs,
    m: Option<&ArgMatches>,
    base: Resolved,
    g: Globals,
) -> Result<u8, UsageError> {
    check_flags(m)?;
    let path = args.clients.as_deref().unwrap_or(std::path::Path::new("-"));
    let entries = parse_clients(path)?;
    let env = Env::new(args.env_file.as_deref())?;
    let shared = Arc::new(Shared::default());
    let opts = TransportOptions {
        connect_to: args.connect_to.clone().filter(|s| !s.is_empty()),
        tls_seam: super::resolve::tls_seam(args)?,
        timeout: std::time::Duration::from_secs(args.timeout),
        allow_hosts: args.allow_host.clone(),
        ..TransportOptions::default()
    };
    let mut clients = Vec::new();
    let mut prepared = Vec::new();
    for entry in &entries {
        let (id, label, at, p) = match entry {
            Ok(spec) => (
                spec.id.clone(),
                spec.label(),
                spec.at.clone(),
                prepare(spec, &base, &env, &opts, &shared),
            ),
            Err(bad) => (
                bad.id.clone(),
                bad.label.clone().unwrap_or_else(|| bad.id.clone()),
                bad.at.clone(),
                Prepared::Error(bad.error.clone()),
            ),
        };
        clients.push(BatchClient {
            label,
            id,
            at,
            outcome: Outcome::Error(String::new()),
        });
        prepared.push(p);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| UsageError::new(format!("cannot start the async runtime: {e}")))?;
    let started = std::time::Instant::now();
    let mut run = RunInfo::now();
    run.connect_to = opts.connect_to.clone();
    let sessions: Vec<&Session> = prepared
        .iter()
        .filter_map(|p| match p {
            Prepared::Run(s, _) => Some(&**s),
            Prepared::Error(_) => None,
        })
        .collect();
    let mut reports = runtime
        .block_on(async {
            futures_util::stream::iter(sessions.iter().map(|s| engine::diagnose(s, &Silent)))
                .buffered(CONCURRENT_CLIENTS)
                .collect::<Vec<_>>()
                .await
        })
        .into_iter();
    let mut redactor = Redactor::new();
    for s in &base.secrets {
        redactor.add(s);
    }
    for c in &clients {
        if !crate::secret::is_uuid_shaped(&c.id) {
            // Contract §4: an id that is not UUID-shaped may be the secret, swapped.
            redactor.add(&c.id);
        }
    }
    for (c, p) in clients.iter_mut().zip(&prepared) {
        c.outcome = match p {
            Prepared::Run(session, secret) => {
                redactor.add(secret);
                session.transport.redactor_into(&mut redactor);
                let mut r = reports.next().unwrap_or_else(|| {
                    crate::report::Report::new(crate::report::ReportKind::Diagnose)
                });
                r.run = run.clone();
                Outcome::Report(Box::new(r))
            }
            Prepared::Error(e) => Outcome::Error(e.clone()),
        };
    }
    let redactor = redactor.with_global();
    for c in &mut clients {
        if let Outcome::Report(r) = &mut c.outcome {
            r.scrub(&redactor);
        }
    }
    let stats = sessions
        .first()
        .map(|s| s.transport.stats())
        .unwrap_or_default();
    let batch = Batch {
        clients,
        elapsed_ms: started.elapsed().as_millis() as u64,
        max_in_flight: stats.max_in_flight,
        run,
    };
    super::output::write_all(
        &args.output,
        g,
        &redactor,
        &batch.verdict_line(),
        &|f, o| batch.render(f, o),
    )?;
    Ok(batch.exit_code())
}

/// The session of one client: its secret read, its own redactor, the shared transport state.
fn prepare(
    spec: &ClientSpec,
    base: &Resolved,
    env: &Env,
    opts: &TransportOptions,
    shared: &Arc<Shared>,
) -> Prepared {
    let secret = match &spec.secret {
        SecretSource::Env(v) => env.var(v).ok_or_else(|| {
            format!(
                "{}: the variable {} is not set",
                spec.at,
                crate::secret::mask::env_name(v)
            )
        }),
        SecretSource::File(f) => config::read_secret_file(f, &format!("secret of {}", spec.at))
            .map_err(|e| e.0.replace(f, &crate::secret::mask::path(f))),
    };
    let secret = match secret {
        Ok(s) => Zeroizing::new(s),
        Err(e) => return Prepared::Error(e),
    };
    let mut redactor = Redactor::new();
    for s in &base.secrets {
        redactor.add(s);
    }
    redactor.add(&secret);
    if !crate::secret::is_uuid_shaped(&spec.id) {
        // Contract §4: an id that is not UUID-shaped may be the secret, swapped.
        redactor.add(&spec.id);
    }
    crate::secret::register_for_panics(&redactor);
    let mut inputs: Inputs = base.inputs.clone();
    inputs.creds = Credentials::new(spec.id.clone(), secret.as_str());
    inputs.region = spec.region.or(base.inputs.region);
    inputs.sources = vec![
        InputSource {
            name: "client id".into(),
            value: spec.id.clone(),
            source: spec.at.clone(),
        },
        InputSource {
            name: "client secret".into(),
            value: mask(&secret),
            source: match &spec.secret {
                SecretSource::Env(v) => format!("env {v}"),
                SecretSource::File(f) => format!("file {f}"),
            },
        },
    ];
    let transport =
        Transport::with_shared(opts.clone(), Arc::new(Mutex::new(redactor)), shared.clone());
    Prepared::Run(Box::new(Session::new(inputs, Arc::new(transport))), secret)
}
