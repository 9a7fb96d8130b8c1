//! Lint time of each script kind of the importer registry (issue 18): for every kind
//! `gcdoctor::import::script_kinds()` lists, a file of at least 2,000 lines is made of that
//! kind's own fixtures (`tests/fixtures/<kind>/`, those `lint` reads without a syntax or
//! usage error, appended in name order until the file is 2,000 lines or more), and the real
//! release binary lints it `--runs` times after a warm-up; the median must be ≤ 50 ms. A kind
//! added to the registry joins without an edit here: it needs only its fixtures.

use super::{Bench, Lint, Targets, Timed, median, ms, not_built};
use anyhow::{Context as _, Result, bail};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// How many lines the generated file has at least.
const LINES: usize = 2_000;
/// Timed runs per kind (after one warm-up).
const RUNS: u64 = 15;

/// The lint figures of one kind.
pub struct KindLint {
    pub kind: &'static str,
    pub lines: usize,
    pub lint: Lint,
}

impl Bench {
    /// Lints a generated file of each script kind.
    pub fn lints(&self) -> Result<Vec<KindLint>> {
        let mut out = Vec::new();
        for (kind, ext) in gcdoctor::import::script_kinds() {
            let name = kind.as_str();
            let (text, lines) = self.sample(name, ext)?;
            let path = self.file(&format!("bench_{name}{ext}"), &text)?;
            out.push(KindLint {
                kind: name,
                lines,
                lint: self.time_lint(&path)?,
            });
        }
        Ok(out)
    }

    /// The exit code of `gcdoctor lint` of a file.
    fn lint_code(&self, path: &str) -> Result<Option<i32>> {
        let out = self
            .gcdoctor()
            .args(["lint", "--format", "json", path])
            .output()?;
        Ok(out.status.code())
    }

    /// A file of at least [`LINES`] lines made of the kind's fixtures that lint reads.
    fn sample(&self, kind: &str, ext: &str) -> Result<(String, usize)> {
        let dir = format!("{}/tests/fixtures/{kind}", env!("CARGO_MANIFEST_DIR"));
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .with_context(|| format!("no fixtures for {kind} in {dir}"))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(ext))
            .collect();
        paths.sort();
        let mut parts = Vec::new();
        for p in paths {
            let s = p.to_string_lossy().into_owned();
            if matches!(self.lint_code(&s)?, Some(0 | 1)) {
                parts.push(std::fs::read_to_string(&p)?);
            }
        }
        if parts.is_empty() {
            bail!("no fixture of {kind} that lint reads in {dir}");
        }
        let mut text = String::new();
        let mut lines = 0;
        for part in parts.iter().cycle() {
            if lines >= LINES {
                break;
            }
            text.push_str(part);
            if !part.ends_with('\n') {
                text.push('\n');
            }
            lines = text.lines().count();
        }
        Ok((text, lines))
    }

    /// Median of [`RUNS`] lints of a file.
    fn time_lint(&self, path: &str) -> Result<Lint> {
        let mut times = Vec::new();
        for i in 0..=RUNS {
            let started = Instant::now();
            let out = self
                .gcdoctor()
                .args(["lint", "--format", "json", path])
                .output()?;
            let t = started.elapsed();
            if let Some(why) = not_built(&out) {
                return Ok(Lint::Unavailable(why));
            }
            if !matches!(out.status.code(), Some(0 | 1)) {
                bail!(
                    "`gcdoctor lint {path}` failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            if i > 0 {
                times.push(t);
            }
        }
        Ok(Lint::Timed(Timed {
            median: median(&times),
            min: times.iter().copied().min().unwrap_or_default(),
            max: times.iter().copied().max().unwrap_or_default(),
            runs: RUNS,
        }))
    }
}

/// One table row per kind.
pub fn rows(out: &mut String, lints: &[KindLint]) -> std::fmt::Result {
    for l in lints {
        let what = format!("`gcdoctor lint` ({} lines of {})", l.lines, l.kind);
        match &l.lint {
            Lint::Timed(t) => writeln!(
                out,
                "| {what} | {} | {} | {} | {} |",
                ms(t.median),
                ms(t.min),
                ms(t.max),
                t.runs
            )?,
            Lint::Unavailable(why) => writeln!(out, "| {what} | n/a ({why}) | | | |")?,
        }
    }
    Ok(())
}

/// One target per kind: the median ≤ 50 ms.
pub fn check(targets: &mut Targets, lints: &[KindLint]) {
    for l in lints {
        let target = format!(
            "`gcdoctor lint` of a {}-line {} file in ≤ 50 ms (median)",
            l.lines, l.kind
        );
        match &l.lint {
            Lint::Timed(t) => targets.check(
                &target,
                format!("{} over {} runs", ms(t.median), t.runs),
                t.median <= Duration::from_millis(50),
            ),
            Lint::Unavailable(why) => targets.na(&target, why.clone()),
        }
    }
}
