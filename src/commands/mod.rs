//! Command dispatch: parse the command line, run the command, map the result to an exit code.
//!
//! Every user-facing error is a [`UsageError`]: one line naming what and where, exit code 2,
//! never a stack trace.

pub mod argv;
pub mod batch;
pub mod clients_file;
pub mod corrected;
pub mod demo;
pub mod diagnose;
pub mod explain;
pub mod lint;
pub mod offline;
pub mod output;
pub mod resolve;
pub mod resolve_checks;
pub mod simulate;

use crate::cli::{Cli, Command};
use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

pub use crate::usage::UsageError;

/// Global display settings.
#[derive(Clone, Copy, Debug)]
pub struct Globals {
    pub color: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// stderr is a terminal (progress spinners).
    pub stderr_tty: bool,
}

/// The program: parses arguments and runs the command.
pub fn main() -> ExitCode {
    crate::secret::install_panic_hook();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    argv::register_secret_values(&args);
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => return clap_error(&e, &args),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = clap_error(&e, &args);
            return ExitCode::from(2);
        }
    };
    use std::io::IsTerminal;
    let stdout_tty = std::io::stdout().is_terminal();
    let no_color = cli.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let globals = Globals {
        color: !no_color && stdout_tty,
        quiet: cli.quiet,
        verbose: cli.verbose,
        stderr_tty: std::io::stderr().is_terminal(),
    };
    colored::control::set_override(globals.color);
    let sub = matches.subcommand().map(|(_, m)| m.clone());
    // Where an error report goes if the run cannot happen (exit 2).
    let outputs = match &cli.command {
        Command::Diagnose(a) => Some(("diagnose", a.output.clone())),
        Command::Lint(a) => Some(("lint", a.output.clone())),
        Command::Demo(a) => Some(("demo", a.output.clone())),
        _ => None,
    };
    let result = match cli.command {
        Command::Diagnose(args) if args.offline && args.clients.is_none() => {
            offline::run(&args, sub.as_ref(), globals)
        }
        Command::Diagnose(args) if args.clients.is_some() => {
            batch::run_command(&args, sub.as_ref(), globals)
        }
        Command::Diagnose(args) => diagnose::run(&args, sub.as_ref(), globals),
        Command::Explain(args) => explain::run(&args).map(|()| 0),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "gcdoctor",
                &mut std::io::stdout(),
            );
            Ok(0)
        }
        Command::Lint(args) => lint::run(&args, globals),
        Command::Simulate(args) => simulate::run(&args),
        Command::Demo(args) => demo::run(&args, globals),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            crate::secret::global::eprintln(&format!("gcdoctor: error: {e}"));
            if let Some((command, out)) = &outputs {
                output::error_report(out, command, &e.0, globals);
            }
            ExitCode::from(2)
        }
    }
}

/// Prints a clap error (or help) with nothing of the arguments it did not understand.
fn clap_error(e: &clap::Error, args: &[std::ffi::OsString]) -> ExitCode {
    use std::io::Write as _;
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::from(0);
    }
    let text = argv::scrub_clap_error(&e.render().to_string(), args, &Cli::command());
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
    // The command line did not parse, but the files it asks for still get an error report
    // (CI publishes them whatever happened).
    output::error_report_from_args(&text);
    ExitCode::from(2)
}
