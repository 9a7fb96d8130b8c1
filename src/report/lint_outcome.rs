//! The outcome of a lint report: verdict, cause and the words for it (contract §4).
//!
//! # Plan
//!
//! * Only an `error` finding makes `defects` (exit 1); warnings and infos alone are `clean`
//!   (exit 0). `--strict` makes warnings count as defects.
//! * "clean" is said only of a file with no finding at all. A file with warnings only is
//!   "no errors, N warnings"; one whose values or URL could not be read (info findings, such
//!   as an unset variable) is "no defect seen, partly checked": never "clean" beside a note
//!   that something could not be checked.
//! * A clean file (no finding but notes that a value could not be seen) gets no corrected
//!   request: there is nothing to correct.

use super::{Report, ReportKind, Verdict};
use crate::catalogue::CauseId;
use crate::finding::{Severity, plural};

/// Sets the verdict, the cause and the corrected request of a lint report from its findings.
pub fn settle(r: &mut Report, strict: bool) {
    let counts = |f: &crate::finding::Finding| {
        f.severity == Severity::Error || (strict && f.severity == Severity::Warning)
    };
    r.cause = r.findings.iter().position(counts).and_then(|_| {
        // The most serious finding (findings are ordered by severity, but be sure).
        (0..r.findings.len()).min_by_key(|&i| r.findings[i].severity)
    });
    r.verdict = if r.cause.is_some() {
        Verdict::Defects
    } else {
        Verdict::Clean
    };
}

/// Drops the corrected request of a file with nothing to correct: no finding, or only
/// notes that a value could not be seen (GC900 infos). Done by the commands, after
/// [`settle`]; the library's `lint` keeps the suggestion for callers that want it.
pub fn drop_needless_suggestion(r: &mut Report) {
    let needless = r.verdict == Verdict::Clean
        && r.findings
            .iter()
            .all(|f| f.severity == Severity::Info && f.cause == CauseId::Inconclusive);
    if needless {
        r.suggestion = None;
    }
}

impl Report {
    /// What the outcome means, in words, for footers and the CI verdict line: the verdict's
    /// meaning, except that a lint report says "clean" only of a file without findings.
    pub fn meaning(&self) -> String {
        if self.kind != ReportKind::Lint || self.verdict != Verdict::Clean {
            return self.verdict.meaning().to_string();
        }
        let (_, warnings, infos) = self.severity_counts();
        if warnings > 0 {
            format!("no errors, {}", plural(warnings, "warning", "warnings"))
        } else if infos > 0 || !self.notes.is_empty() {
            "no defect seen, partly checked".to_string()
        } else {
            "clean".to_string()
        }
    }
}

impl Report {
    /// The result line of a clean lint report (no mark): `clean: no defect found in FILE`,
    /// or what keeps it from being called clean.
    pub fn clean_headline(&self) -> String {
        let t = self.target.as_deref().unwrap_or("the input");
        let (_, warnings, infos) = self.severity_counts();
        if warnings > 0 {
            format!(
                "no errors in {t}: {} (exit 0; --strict makes warnings count)",
                plural(warnings, "warning", "warnings")
            )
        } else if infos > 0 || !self.notes.is_empty() {
            format!("no defect seen in {t}, but not everything could be checked (see below)")
        } else {
            format!("clean: no defect found in {t}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;

    fn lint(sev: &[Severity]) -> Report {
        let mut r = Report::new(ReportKind::Lint);
        r.findings = sev
            .iter()
            .map(|s| Finding::new(CauseId::ScopeParameter, *s, "x"))
            .collect();
        r
    }

    #[test]
    fn only_errors_count_unless_strict() {
        let mut r = lint(&[Severity::Warning, Severity::Info]);
        settle(&mut r, false);
        assert_eq!((r.verdict, r.cause), (Verdict::Clean, None));
        assert_eq!(r.meaning(), "no errors, 1 warning");
        settle(&mut r, true);
        assert_eq!((r.verdict, r.cause), (Verdict::Defects, Some(0)));
        let mut r = lint(&[Severity::Info]);
        settle(&mut r, true);
        assert_eq!(r.verdict, Verdict::Clean);
        assert!(!r.meaning().contains("clean"));
        let mut r = lint(&[]);
        settle(&mut r, false);
        assert_eq!(r.meaning(), "clean");
    }
}
