//! `--format text`: the terminal report.

use super::{RenderOptions, Report};
use std::fmt::Write as _;

pub fn render(r: &Report, _opts: RenderOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "verdict: {}", r.verdict.as_str());
    if let Some(c) = r.cause_finding() {
        let _ = writeln!(
            out,
            "cause: {} {}: {}",
            c.cause.code(),
            c.cause.name(),
            c.summary
        );
        for e in &c.evidence {
            let _ = writeln!(out, "  evidence: {e}");
        }
        let _ = writeln!(out, "  fix: {}", c.fix);
    }
    for f in r.other_findings() {
        let _ = writeln!(
            out,
            "{} {} {}: {}",
            f.severity.as_str(),
            f.cause.code(),
            f.cause.name(),
            f.summary
        );
    }
    for s in &r.settle {
        let _ = writeln!(out, "to settle: {s}");
    }
    let _ = writeln!(out, "requests sent: {}", r.requests_sent);
    out
}
