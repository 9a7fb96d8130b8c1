//! Command dispatch: parse the command line, run the command, map the result to an exit code.
//!
//! Every user-facing error is a [`UsageError`]: one line naming what and where, exit code 2,
//! never a stack trace.

pub mod batch;
pub mod demo;
pub mod diagnose;
pub mod explain;
pub mod inputs;
pub mod lint;
pub mod offline;
pub mod output;
pub mod simulate;

use crate::cli::{Cli, Command};
use clap::{CommandFactory, FromArgMatches};
use std::fmt;
use std::process::ExitCode;

/// Bad usage or unreadable input: exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

impl UsageError {
    pub fn new(msg: impl Into<String>) -> UsageError {
        UsageError(msg.into())
    }
}

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
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
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
    let result = match cli.command {
        Command::Diagnose(args) if args.offline && args.clients.is_none() => {
            offline::run(&args, sub.as_ref(), globals)
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
            eprintln!("gcdoctor: error: {e}");
            ExitCode::from(2)
        }
    }
}
