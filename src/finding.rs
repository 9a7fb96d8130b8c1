//! Findings: what a probe or a lint rule saw, as data.
//!
//! A finding names a catalogue cause, says how serious it is, and carries its evidence. The
//! report's `cause` is the one finding that explains the failure; every other defect seen is a
//! finding beside it. Text in a finding is already redacted when the finding is made.

use crate::catalogue::CauseId;
use serde::Serialize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Makes the token request fail (or, lint: certainly will).
    Error,
    /// Works today or may work, but is wrong or fragile.
    Warning,
    /// Worth knowing; not a defect.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One thing seen, tied to a catalogue cause.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub cause: CauseId,
    pub severity: Severity,
    /// One line, specific to this run ("the client answers in eu-west-1, not us-east-1").
    pub summary: String,
    /// Lines of evidence: what was sent and what came back, what the input shows.
    pub evidence: Vec<String>,
    /// The specific fix, in one or two sentences.
    pub fix: String,
    /// A copyable corrected snippet, if one applies (`curl …`, Python).
    pub example: Option<String>,
    /// 1-based line in the user's input where the defect is, if the input has lines.
    pub line: Option<usize>,
    /// True when a probe proved it against the service; false when only seen in the input.
    pub proven: bool,
}

impl Finding {
    /// A finding with the catalogue's generic fix.
    pub fn new(cause: CauseId, severity: Severity, summary: impl Into<String>) -> Finding {
        Finding {
            cause,
            severity,
            summary: summary.into(),
            evidence: Vec::new(),
            fix: cause.fix().to_string(),
            example: None,
            line: None,
            proven: false,
        }
    }

    pub fn evidence(mut self, line: impl Into<String>) -> Finding {
        self.evidence.push(line.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = fix.into();
        self
    }

    pub fn example(mut self, example: impl Into<String>) -> Finding {
        self.example = Some(example.into());
        self
    }

    pub fn at_line(mut self, line: Option<usize>) -> Finding {
        self.line = line;
        self
    }

    pub fn proven(mut self) -> Finding {
        self.proven = true;
        self
    }

    /// Applies `f` to every piece of text in the finding (used for redaction).
    pub fn map_text(&mut self, f: &dyn Fn(&str) -> String) {
        self.summary = f(&self.summary);
        self.fix = f(&self.fix);
        for e in &mut self.evidence {
            *e = f(e);
        }
        if let Some(x) = &mut self.example {
            *x = f(x);
        }
    }
}

/// `1 request`, `3 requests`: a count with its noun in the right number.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
