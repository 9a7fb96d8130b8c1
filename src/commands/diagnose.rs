//! `gcdoctor diagnose`: resolve the inputs, run the engine, write the report.
//!
//! Resolution (flags, environment, profile, request file) is in [`super::resolve`]; a
//! `--clients` batch is dispatched beside this command, in [`super::batch`].

use super::output::emit;
use super::{Globals, UsageError};
use crate::cli::{DiagnoseArgs, OutputArgs};
use crate::engine::{self, Session};
use crate::http::{Transport, TransportOptions};
use crate::progress::Spinners;
use crate::secret::{Redactor, is_uuid_shaped, mask_id};
use clap::ArgMatches;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use super::resolve::{
    Resolved, admin_and_checks, masked_command_line, preflight, resolve, tls_seam,
};
use super::resolve::{load_request, secret_files};

/// Runs `diagnose`; returns the exit code.
pub fn run(
    args: &DiagnoseArgs,
    matches: Option<&ArgMatches>,
    g: Globals,
) -> Result<u8, UsageError> {
    let (tls_seam, env) = preflight(args)?;
    let imported = load_request(args, &env)?;
    let mut resolved = resolve(args, matches, &env, imported.as_ref())?;
    super::resolve_checks::reconcile_region(&mut resolved.inputs);
    super::resolve_checks::cleaned_values(
        &secret_files(args),
        &mut resolved.inputs,
        &mut resolved.secrets,
    );
    if !g.quiet {
        for n in &resolved.warnings {
            crate::secret::global::eprintln(&format!("gcdoctor: warning: {n}"));
        }
    }

    let transport = TransportOptions {
        connect_to: args.connect_to.clone().filter(|s| !s.is_empty()),
        tls_seam,
        timeout: Duration::from_secs(args.timeout),
        allow_hosts: args.allow_host.clone(),
        ..TransportOptions::default()
    };
    execute(resolved, transport, &args.output, g).map(|o| o.exit)
}

/// What a finished run ended with.
pub struct Outcome {
    pub exit: u8,
    /// The code of the cause, when one was found.
    pub cause: Option<String>,
}

/// Runs the engine on resolved inputs and writes the report.
pub fn execute(
    resolved: Resolved,
    transport: TransportOptions,
    output: &OutputArgs,
    g: Globals,
) -> Result<Outcome, UsageError> {
    let mut redactor = Redactor::new();
    for s in &resolved.secrets {
        redactor.add(s);
    }
    let resolved_command = resolved.command.clone();
    let imported = resolved.inputs.imported.clone();
    let mut run = crate::report::RunInfo::now();
    run.connect_to = transport.connect_to.clone();
    let id = resolved.inputs.creds.id.clone();
    if !is_uuid_shaped(&id) {
        redactor.add(&id);
    } else if output.redact_id {
        redactor.add_masked(&id, &mask_id(&id));
    }
    crate::secret::register_for_panics(&redactor);
    let redactor = Arc::new(Mutex::new(redactor));
    let transport = Arc::new(Transport::new(transport, redactor.clone()));
    let session = Session::new(resolved.inputs, transport);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| UsageError::new(format!("cannot start the async runtime: {e}")))?;
    let spinners = Spinners::new(g.stderr_tty && !g.quiet);
    let mut report = runtime.block_on(engine::diagnose(&session, &spinners));
    report.command = resolved_command;
    report.run = run;
    super::corrected::attach(&mut report, imported.as_ref());
    if let Some(imp) = &imported {
        crate::report::language::localise(&mut report, imp.kind);
    }
    spinners.clear();
    let redactor = redactor.lock().unwrap_or_else(|p| p.into_inner()).clone();
    emit(&mut report, output, g, &redactor)?;
    Ok(Outcome {
        exit: report.exit_code(),
        cause: report.cause_finding().map(|c| c.cause.code().to_string()),
    })
}
