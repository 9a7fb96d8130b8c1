//! Writing the report: rendering, redaction, atomic file output.

use super::{Globals, UsageError};
use crate::cli::OutputArgs;
use crate::report::{Format, RenderOptions, Report, render};
use crate::secret::Redactor;
use std::io::Write;
use std::path::Path;

/// Renders the report and writes it to `--output` (atomically) or stdout.
pub fn emit(
    report: &mut Report,
    out: &OutputArgs,
    g: Globals,
    redactor: &Redactor,
) -> Result<(), UsageError> {
    // Everything the run met (credential positions of the input, tokens) as well.
    let redactor = &redactor.with_global();
    report.scrub(redactor);
    let to_file = out.output.is_some();
    let opts = RenderOptions {
        color: g.color && !to_file && out.format == Format::Text,
        unicode: unicode_ok(),
        verbose: g.verbose,
    };
    let text = render(report, out.format, opts, redactor);
    match &out.output {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth a message.
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
            Ok(())
        }
    }
}

/// Writes a file through a temporary file in the same directory and a rename, so a crash
/// never leaves half a report.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), UsageError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // The reason in plain words (tempfile's own messages name its temporary file).
    let fail = |e: &std::io::Error| {
        let why = if path.is_dir() {
            "it is a directory".to_string()
        } else if !dir.is_dir() {
            format!("the directory {} does not exist", dir.display())
        } else {
            e.kind().to_string()
        };
        UsageError::new(format!("cannot write {}: {why}", path.display()))
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".gcdoctor-")
        .tempfile_in(dir)
        .map_err(|e| fail(&e))?;
    tmp.write_all(bytes).map_err(|e| fail(&e))?;
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

/// Whether the terminal can show ✓/✗ (a UTF-8 locale).
pub fn unicode_ok() -> bool {
    let vars = ["LC_ALL", "LC_CTYPE", "LANG"];
    for v in vars {
        if let Ok(val) = std::env::var(v)
            && !val.is_empty()
        {
            let l = val.to_ascii_lowercase();
            return l.contains("utf-8") || l.contains("utf8");
        }
    }
    // No locale set at all: most terminals today are UTF-8.
    true
}
