//! `--format json`: one object, schema `gcdoctor.report/v1` (contract §4), described by
//! `docs/report.schema.json`.
//!
//! The object is built from typed views of the model rather than from the model's own
//! `Serialize`, for two reasons: the field order is fixed (contract fields first, so a person
//! reading the output sees the verdict before the wire dump), and a change to the model
//! cannot silently change the published format — the views and the schema change together,
//! and the schema tests catch the rest. Every field is always present (`null` or `[]` when
//! empty), so a consumer never has to tell "absent" from "empty".

use super::{
    Check, CheckStatus, Exchange, InputSource, Report, ReportKind, RunInfo, SCHEMA, Suggestion,
};
use crate::finding::{Finding, Severity};
use serde::Serialize;
use serde_json::Value;

/// The whole report.
#[derive(Serialize)]
struct ReportView<'a> {
    schema: &'static str,
    verdict: &'static str,
    cause: Option<FindingView<'a>>,
    findings: Vec<FindingView<'a>>,
    region: RegionView,
    requests_sent: usize,
    kind: ReportKind,
    exit_code: u8,
    tool: Tool,
    run: &'a RunInfo,
    target: Option<&'a str>,
    round_trips: usize,
    elapsed_ms: u64,
    checks: Vec<CheckView<'a>>,
    exchanges: Vec<ExchangeView<'a>>,
    inputs: Vec<&'a InputSource>,
    settle: &'a [String],
    notes: Vec<&'a str>,
    suggestion: Option<&'a Suggestion>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct RegionView {
    configured: Option<&'static str>,
    detected: Option<&'static str>,
}

/// A finding; the cause is one of these too.
#[derive(Serialize)]
struct FindingView<'a> {
    id: &'static str,
    name: &'static str,
    severity: Severity,
    summary: &'a str,
    fix: &'a str,
    evidence: &'a [String],
    /// The exchanges (`n`) the evidence refers to with `#n`.
    exchanges: Vec<usize>,
    example: Option<&'a str>,
    line: Option<usize>,
    proven: bool,
}

#[derive(Serialize)]
struct CheckView<'a> {
    id: &'a str,
    group: &'static str,
    title: &'a str,
    status: CheckStatus,
    summary: &'a str,
    elapsed_ms: u64,
    requests: usize,
    cause: Option<&'static str>,
}

#[derive(Serialize)]
struct ExchangeView<'a> {
    n: usize,
    purpose: &'a str,
    elapsed_ms: u64,
    /// The answer's `Date` header, as sent by the server.
    date: Option<&'a str>,
    /// The answer's `ININ-Correlation-ID` (or `Genesys-Correlation-Id`).
    correlation_id: Option<&'a str>,
    request: RequestView<'a>,
    response: Option<ResponseView<'a>>,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct RequestView<'a> {
    method: &'a str,
    url: &'a str,
    headers: Vec<Header<'a>>,
    body: &'a str,
}

#[derive(Serialize)]
struct ResponseView<'a> {
    status: u16,
    headers: Vec<Header<'a>>,
    body: &'a str,
    truncated: bool,
}

/// A header as an object: names may repeat, so headers are a list, not a map.
#[derive(Serialize)]
struct Header<'a> {
    name: &'a str,
    value: &'a str,
}

fn finding(f: &Finding) -> FindingView<'_> {
    FindingView {
        id: f.cause.code(),
        name: f.cause.name(),
        severity: f.severity,
        summary: &f.summary,
        fix: &f.fix,
        evidence: &f.evidence,
        exchanges: f.exchange_refs(),
        example: f.example.as_deref(),
        line: f.line,
        proven: f.proven,
    }
}

fn check(c: &Check, kind: ReportKind) -> CheckView<'_> {
    CheckView {
        id: &c.id,
        group: c.group(kind),
        title: &c.title,
        status: c.status,
        summary: &c.summary,
        elapsed_ms: c.elapsed_ms,
        requests: c.requests,
        cause: c.cause.map(|x| x.code()),
    }
}

fn headers(h: &[(String, String)]) -> Vec<Header<'_>> {
    h.iter()
        .map(|(name, value)| Header { name, value })
        .collect()
}

fn exchange(e: &Exchange) -> ExchangeView<'_> {
    ExchangeView {
        n: e.n,
        purpose: &e.purpose,
        elapsed_ms: e.elapsed_ms,
        date: e.date(),
        correlation_id: e.correlation_id(),
        request: RequestView {
            method: &e.request.method,
            url: &e.request.url,
            headers: headers(&e.request.headers),
            body: &e.request.body,
        },
        response: e.response.as_ref().map(|r| ResponseView {
            status: r.status,
            headers: headers(&r.headers),
            body: &r.body,
            truncated: r.truncated,
        }),
        error: e.error.as_deref(),
    }
}

fn view<'a>(r: &'a Report, seam: &'a Option<String>) -> ReportView<'a> {
    ReportView {
        schema: SCHEMA,
        verdict: r.verdict.as_str(),
        cause: r.cause_finding().map(finding),
        findings: r.findings.iter().map(finding).collect(),
        region: RegionView {
            configured: r.region.configured.map(|x| x.key),
            detected: r.region.detected.map(|x| x.key),
        },
        requests_sent: r.requests_sent,
        kind: r.kind,
        exit_code: r.exit_code(),
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        run: &r.run,
        target: r.target.as_deref(),
        round_trips: r.round_trips,
        elapsed_ms: r.elapsed_ms,
        checks: r.checks.iter().map(|c| check(c, r.kind)).collect(),
        exchanges: r.exchanges.iter().map(exchange).collect(),
        inputs: r.inputs.iter().collect(),
        settle: &r.settle,
        // A seam run says so before anything else it notes.
        notes: seam
            .iter()
            .map(String::as_str)
            .chain(r.notes.iter().map(String::as_str))
            .collect(),
        suggestion: r.suggestion.as_ref(),
    }
}

/// The report as a JSON value.
pub fn to_value(r: &Report) -> Value {
    let seam = r.run.seam_notice();
    serde_json::to_value(view(r, &seam)).unwrap_or(Value::Null)
}

/// The report as pretty-printed JSON, one object and a newline.
pub fn render(r: &Report) -> String {
    // Serialising plain structs of strings and numbers cannot fail; the fallback keeps the
    // output one JSON value all the same.
    let seam = r.run.seam_notice();
    let mut s = serde_json::to_string_pretty(&view(r, &seam)).unwrap_or_else(|e| {
        serde_json::json!({ "schema": SCHEMA, "error": e.to_string() }).to_string()
    });
    s.push('\n');
    s
}
