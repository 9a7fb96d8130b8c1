//! `--format json`: one object, schema `gcdoctor.report/v1` (contract §4).

use super::{Report, SCHEMA};
use crate::finding::Finding;
use serde_json::{Value, json};

fn finding_json(f: &Finding) -> Value {
    json!({
        "id": f.cause.code(),
        "name": f.cause.name(),
        "severity": f.severity.as_str(),
        "summary": f.summary,
        "fix": f.fix,
        "evidence": f.evidence,
        "example": f.example,
        "line": f.line,
        "proven": f.proven,
    })
}

/// The report as a JSON value.
pub fn to_value(r: &Report) -> Value {
    let cause = r.cause_finding().map(finding_json);
    json!({
        "schema": SCHEMA,
        "tool": { "name": "gcdoctor", "version": env!("CARGO_PKG_VERSION") },
        "kind": r.kind,
        "verdict": r.verdict.as_str(),
        "cause": cause,
        "findings": r.findings.iter().map(finding_json).collect::<Vec<_>>(),
        "region": {
            "configured": r.region.configured.map(|x| x.key),
            "detected": r.region.detected.map(|x| x.key),
        },
        "requests_sent": r.requests_sent,
        "round_trips": r.round_trips,
        "target": r.target,
        "checks": r.checks,
        "exchanges": r.exchanges,
        "inputs": r.inputs,
        "settle": r.settle,
        "notes": r.notes,
        "suggestion": r.suggestion,
        "elapsed_ms": r.elapsed_ms,
    })
}

pub fn render(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(r)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
