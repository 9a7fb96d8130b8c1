//! Writing the report: rendering, redaction, atomic file output, and what CI needs around it.
//!
//! # Plan
//!
//! * `--output FILE` may be repeated. Each file gets the format its extension names
//!   ([`format_of`]: `.json`, `.xml`/`.junit` = JUnit, `.md`/`.markdown`, `.txt`/`.text`/`.log`);
//!   a file whose extension says nothing gets `--format`. With exactly one file an explicit
//!   `--format` wins over the extension (`--format json --output report.txt` keeps working).
//! * No `--output`: the report goes to stdout in `--format` (text by default).
//! * When any file was written, one verdict line goes to stderr (`gcdoctor: GC103
//!   wrong-region: … (exit 1, cause found); report: gcdoctor.xml`), so a CI log names the
//!   cause without opening the artifact. It is printed even with `--quiet`: it is the report's
//!   gist, not progress.
//! * `$GITHUB_STEP_SUMMARY` set (GitHub Actions): the markdown report is appended to that
//!   file, so the job's summary page shows it.
//! * Exit 2 (bad usage, unreadable input) with files asked for: [`error_report`] writes an
//!   error report in each file's format (and to the step summary), so a CI dashboard shows
//!   why the run did not happen instead of nothing.
//!
//! Every byte written goes through the redactor first.

use super::{Globals, UsageError};
use crate::cli::OutputArgs;
use crate::report::{Format, RenderOptions, Report, render};
use crate::secret::Redactor;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where one rendering of the report goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// `None`: stdout.
    pub path: Option<PathBuf>,
    pub format: Format,
}

impl OutputArgs {
    /// `--format`, or text.
    pub fn format(&self) -> Format {
        self.format.unwrap_or(Format::Text)
    }

    /// Every place the report goes, with its format (see the module docs).
    pub fn targets(&self) -> Vec<Target> {
        if self.output.is_empty() {
            return vec![Target {
                path: None,
                format: self.format(),
            }];
        }
        let single = self.output.len() == 1;
        self.output
            .iter()
            .map(|p| Target {
                path: Some(p.clone()),
                format: match (self.format, format_of(p)) {
                    (Some(f), _) if single => f,
                    (_, Some(f)) => f,
                    (f, None) => f.unwrap_or(Format::Text),
                },
            })
            .collect()
    }
}

/// The format a file name's extension names, if any.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(Format::Json),
        "xml" | "junit" => Some(Format::Junit),
        "md" | "markdown" => Some(Format::Markdown),
        "txt" | "text" | "log" => Some(Format::Text),
        _ => None,
    }
}

/// Renders the report and writes it to every target (see [`write_all`]).
pub fn emit(
    report: &mut Report,
    out: &OutputArgs,
    g: Globals,
    redactor: &Redactor,
) -> Result<(), UsageError> {
    // Everything the run met (credential positions of the input, tokens) as well.
    let redactor = &redactor.with_global();
    report.scrub(redactor);
    let report = &*report;
    write_all(out, g, redactor, &report.verdict_line(), &|format, opts| {
        render(report, format, opts, redactor)
    })
}

/// Writes one rendering per target, then the verdict line on stderr when a file was
/// written, then the markdown to `$GITHUB_STEP_SUMMARY` when it is set.
pub fn write_all(
    out: &OutputArgs,
    g: Globals,
    redactor: &Redactor,
    verdict: &str,
    render: &dyn Fn(Format, RenderOptions) -> String,
) -> Result<(), UsageError> {
    let mut written = Vec::new();
    for t in out.targets() {
        let opts = RenderOptions {
            color: g.color && t.path.is_none() && t.format == Format::Text,
            unicode: unicode_ok(),
            verbose: g.verbose,
            brief: out.brief,
        };
        let text = redactor.scrub(&render(t.format, opts));
        match &t.path {
            Some(path) => {
                write_atomically(path, text.as_bytes())?;
                written.push(path.display().to_string());
            }
            None => {
                let mut stdout = std::io::stdout().lock();
                // A closed pipe (e.g. `| head`) is not an error worth a message.
                let _ = stdout.write_all(text.as_bytes());
                let _ = stdout.flush();
            }
        }
    }
    if !written.is_empty() {
        eprintln!(
            "gcdoctor: {}; report: {}",
            redactor.scrub(verdict),
            written.join(", ")
        );
    }
    let summary = || {
        let opts = RenderOptions {
            color: false,
            unicode: true,
            verbose: false,
            brief: false,
        };
        redactor.scrub(&render(Format::Markdown, opts))
    };
    append_step_summary(&summary, g);
    Ok(())
}

/// Appends markdown to `$GITHUB_STEP_SUMMARY` when it is set; a failure is a warning (the
/// report itself was written).
fn append_step_summary(markdown: &dyn Fn() -> String, g: Globals) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let result = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(format!("{}\n", markdown()).as_bytes()));
    if let Err(e) = result
        && !g.quiet
    {
        eprintln!(
            "gcdoctor: warning: cannot append to GITHUB_STEP_SUMMARY ({}): {e}",
            Path::new(&path).display()
        );
    }
}

/// After a usage error (exit 2): an error report in each `--output` file's format, and in
/// the step summary, so CI shows why nothing was diagnosed. Failures here are ignored: the
/// error itself is already on stderr.
pub fn error_report(out: &OutputArgs, command: &str, message: &str, g: Globals) {
    if out.output.is_empty() && std::env::var_os("GITHUB_STEP_SUMMARY").is_none() {
        return;
    }
    let run = crate::report::RunInfo::now();
    // The one way out for an error message: through the process-wide redactor.
    let message = crate::secret::global::scrub(message);
    let render = |format: Format| crate::report::error::render(format, command, &message, &run);
    for t in out.targets() {
        if let Some(path) = &t.path {
            let _ = write_atomically(path, render(t.format).as_bytes());
        }
    }
    append_step_summary(&|| render(Format::Markdown), g);
}

/// [`error_report`] for a command line clap could not parse: the `--output`/`-o` files and
/// `--format` are picked from the raw arguments (the subcommand is the first word that is
/// not a flag), and the message is clap's first line.
pub fn error_report_from_args(clap_message: &str) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str)
    {
        Some(c @ ("diagnose" | "lint" | "demo")) => c,
        _ => return,
    };
    let mut out = OutputArgs {
        format: None,
        output: Vec::new(),
        redact_id: false,
        brief: false,
    };
    let mut it = args.iter().peekable();
    while let Some(a) = it.next() {
        let value = |it: &mut std::iter::Peekable<std::slice::Iter<'_, String>>, flag: &str| match a
            .strip_prefix(flag)
            .and_then(|r| r.strip_prefix('='))
        {
            Some(v) => Some(v.to_string()),
            None if a == flag => it.next().cloned(),
            None => None,
        };
        if let Some(v) = value(&mut it, "--output").or_else(|| value(&mut it, "-o")) {
            out.output.push(PathBuf::from(v));
        } else if let Some(v) = value(&mut it, "--format") {
            out.format = <Format as clap::ValueEnum>::from_str(&v, true).ok();
        }
    }
    // A secret given on the command line may be quoted by clap's message: mask it.
    let mut redactor = Redactor::new();
    for (i, a) in args.iter().enumerate() {
        match a.split_once('=') {
            Some(("--client-secret", v)) => redactor.add(v),
            _ if a == "--client-secret" => {
                if let Some(v) = args.get(i + 1) {
                    redactor.add(v);
                }
            }
            _ => {}
        }
    }
    let message = redactor.scrub(
        clap_message
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: "),
    );
    let g = Globals {
        color: false,
        quiet: true,
        verbose: false,
        stderr_tty: false,
    };
    error_report(&out, command, &message, g);
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

pub use crate::progress::unicode_ok;

#[cfg(test)]
mod tests {
    use super::*;

    fn args(format: Option<Format>, files: &[&str]) -> OutputArgs {
        OutputArgs {
            format,
            output: files.iter().map(PathBuf::from).collect(),
            redact_id: false,
            brief: false,
        }
    }

    #[test]
    fn formats_from_extensions_and_flags() {
        let f = |a: OutputArgs| -> Vec<Format> { a.targets().iter().map(|t| t.format).collect() };
        assert_eq!(f(args(None, &[])), vec![Format::Text]);
        assert_eq!(f(args(Some(Format::Json), &[])), vec![Format::Json]);
        assert_eq!(f(args(None, &["a.xml"])), vec![Format::Junit]);
        // One file: an explicit --format wins.
        assert_eq!(f(args(Some(Format::Json), &["a.txt"])), vec![Format::Json]);
        assert_eq!(
            f(args(Some(Format::Markdown), &["a.json", "b.xml", "c.out"])),
            vec![Format::Json, Format::Junit, Format::Markdown]
        );
        assert_eq!(
            f(args(None, &["r.MD", "r"])),
            vec![Format::Markdown, Format::Text]
        );
    }
}
