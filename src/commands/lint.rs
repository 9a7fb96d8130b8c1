//! `gcdoctor lint FILE`: every defect the request in a file shows, sending nothing.

use super::output::emit;
use super::{Globals, UsageError};
use crate::cli::LintArgs;
use crate::config::Env;
use crate::secret::Redactor;

/// Lints the file; exit 0 clean (warnings alone too, unless `--strict`), 1 defects, 2
/// unreadable input.
pub fn run(args: &LintArgs, g: Globals) -> Result<u8, UsageError> {
    let env = Env::new(None)?;
    let imported =
        crate::import::load_with(&args.file, args.kind, args.postman_env.as_deref(), &|k| {
            env.var(k)
        })
        .map_err(|e| UsageError::new(e.to_string()))?;
    let mut report = crate::linter::lint(&imported);
    if args.strict {
        crate::report::lint_outcome::settle(&mut report, true);
    }
    crate::report::lint_outcome::drop_needless_suggestion(&mut report);
    crate::report::language::localise(&mut report, imported.kind);
    let mut redactor = Redactor::new();
    if let Some(v) = imported.client_secret.as_ref().filter(|v| v.is_known()) {
        redactor.add(&v.value);
    }
    emit(&mut report, &args.output, g, &redactor)?;
    Ok(report.exit_code())
}
