//! `--format junit`: JUnit XML for CI dashboards (GitLab, GitHub test reporters, Jenkins).
//!
//! One `<testsuite>` per run, one `<testcase>` per check:
//!
//! * `classname` is `gcdoctor.<group>` (`inputs`, `network`, `token`, `client`, `api`, `lint`,
//!   see [`super::Check::group`]), `name` is `<check id>: <title>`, `time` its duration;
//! * the check that carries the cause gets a `<failure>` whose `message` is the cause in one
//!   line (`GC103 wrong-region: …`), `type` the cause id, and whose text is the evidence and
//!   the fix; other failed checks get a `<failure>` with their own summary;
//! * skipped checks get `<skipped>` with the reason.
//!
//! When no check carries the cause (a lint run without rule groups, or a verdict reached
//! without a failed check), a testcase `gcdoctor.verdict` carries it, so a failing run never
//! shows green. The suite's properties hold the verdict, cause id, requests sent, round trips
//! and exit code; its `<system-out>` the whole text report, for dashboards that show it.
//! The XML is written by `quick-junit` (escaping included). The suite's `timestamp` and the
//! `run.*` properties say when the run started; a run through the test seam says so in a
//! comment on the first line and in `run.connect_to`.

use super::{Check, CheckStatus, RenderOptions, Report, ReportKind, Verdict};
use crate::finding::{Finding, Severity};
use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};
use std::time::Duration;

/// Renders the report as JUnit XML.
pub fn render(r: &Report) -> String {
    let xml = render_suites("gcdoctor", std::iter::once((None, r)), r.elapsed_ms);
    with_seam_notice(xml, r.run.seam_notice())
}

/// Puts the seam notice on the first line, as a comment right after the XML declaration
/// (nothing may come before it), so a seam run cannot pass for a real one.
pub fn with_seam_notice(xml: String, notice: Option<String>) -> String {
    let Some(n) = notice else {
        return xml;
    };
    let comment = format!("<!-- {} -->", n.replace("--", "- -"));
    match xml.find("?>") {
        Some(i) if xml.starts_with("<?xml") => {
            format!("{}{comment}{}", &xml[..i + 2], &xml[i + 2..])
        }
        _ => format!("{comment}\n{xml}"),
    }
}

fn render_suites<'a>(
    name: &str,
    reports: impl Iterator<Item = (Option<&'a str>, &'a Report)>,
    elapsed_ms: u64,
) -> String {
    let mut report = quick_junit::Report::new(name);
    report.set_time(Duration::from_millis(elapsed_ms));
    for (label, r) in reports {
        report.add_test_suite(suite(r, label));
    }
    // Serialising into memory only fails on a writer error, which a String cannot have.
    report.to_string().unwrap_or_else(|e| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"gcdoctor\" tests=\"0\" failures=\"0\" errors=\"1\"><!-- {} --></testsuites>\n",
            e.to_string().replace("--", "- -")
        )
    })
}

/// One report's test suite, named after `label` (a batch's client) when given.
pub fn suite(r: &Report, label: Option<&str>) -> TestSuite {
    let kind = match r.kind {
        ReportKind::Diagnose => "gcdoctor diagnose",
        ReportKind::Lint => "gcdoctor lint",
    };
    let mut suite = TestSuite::new(match label {
        Some(l) => format!("{kind} {l}"),
        None => kind.to_string(),
    });
    suite.set_time(Duration::from_millis(r.elapsed_ms));
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&r.run.started_at) {
        suite.set_timestamp(t);
    }
    suite.add_properties(properties(r));
    suite.add_test_cases(cases(r));
    let text_opts = RenderOptions {
        color: false,
        unicode: false,
        verbose: false,
        brief: false,
    };
    suite.set_system_out(super::text::render(r, text_opts));
    suite
}

fn properties(r: &Report) -> Vec<Property> {
    let cause = r.cause_finding().map_or("", |c| c.cause.code());
    let mut p = vec![
        Property::new("verdict", r.verdict.as_str()),
        Property::new("cause", cause),
        Property::new("requests_sent", r.requests_sent.to_string()),
        Property::new("round_trips", r.round_trips.to_string()),
        Property::new("exit_code", r.exit_code().to_string()),
        Property::new("gcdoctor.version", env!("CARGO_PKG_VERSION")),
        Property::new("run.started_at", r.run.started_at.as_str()),
        Property::new("run.version", r.run.version.as_str()),
        Property::new("run.connect_to", r.run.connect_to.as_deref().unwrap_or("")),
    ];
    if let Some(c) = r.region.configured {
        p.push(Property::new("region.configured", c.key));
    }
    if let Some(d) = r.region.detected {
        p.push(Property::new("region.detected", d.key));
    }
    if let Some(t) = &r.target {
        p.push(Property::new("target", one_line(t)));
    }
    p
}

/// The testcases: one per check, plus the verdict when no check carries it.
fn cases(r: &Report) -> Vec<TestCase> {
    let lead = r.lead().filter(|l| l.severity == Severity::Error);
    let lead_check = r.lead_check();
    let mut out: Vec<TestCase> = r
        .checks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let carries = lead.filter(|_| Some(i) == lead_check);
            check_case(r, c, carries)
        })
        .collect();
    if r.kind == ReportKind::Lint && r.checks.is_empty() {
        out.extend(r.findings.iter().map(finding_case));
        return out;
    }
    let failing = matches!(
        r.verdict,
        Verdict::CauseFound | Verdict::Inconclusive | Verdict::Defects
    );
    if failing && lead_check.is_none() {
        out.push(verdict_case(r, lead));
    }
    out
}

fn check_case(r: &Report, c: &Check, carries: Option<&Finding>) -> TestCase {
    // A lint rule that found only a warning does not fail a clean run (exit 0): it passes,
    // with the warning in its output, so the dashboard agrees with the exit code.
    let warning_only = r.kind == ReportKind::Lint && r.verdict == Verdict::Clean;
    let status = match (c.status, carries) {
        (_, Some(f)) => failure(&cause_message(f), f.cause.code(), &cause_text(r, f)),
        (CheckStatus::Fail, None) if warning_only => TestCaseStatus::success(),
        (CheckStatus::Fail, None) => failure(
            &one_line(&c.summary),
            c.cause.map_or("check-failed", |x| x.code()),
            &format!("{}\n{}", c.title, c.summary),
        ),
        (CheckStatus::Skip, None) => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(one_line(&c.summary));
            s
        }
        (CheckStatus::Pass, None) => TestCaseStatus::success(),
    };
    let mut tc = TestCase::new(format!("{}: {}", c.id, c.title), status);
    tc.set_classname(format!("gcdoctor.{}", c.group(r.kind)));
    tc.set_time(Duration::from_millis(c.elapsed_ms));
    if c.status == CheckStatus::Pass {
        tc.set_system_out(c.summary.as_str());
    } else if c.status == CheckStatus::Fail && warning_only && carries.is_none() {
        tc.set_system_out(format!("warning: {}", c.summary));
    }
    tc
}

/// A lint finding as a testcase, for lint reports without checks.
fn finding_case(f: &Finding) -> TestCase {
    let status = match f.severity {
        Severity::Error => failure(&cause_message(f), f.cause.code(), &finding_text(f)),
        Severity::Warning | Severity::Info => TestCaseStatus::success(),
    };
    let line = f.line.map(|l| format!(" (line {l})")).unwrap_or_default();
    let mut tc = TestCase::new(
        format!("{} {}{line}", f.cause.code(), f.cause.name()),
        status,
    );
    tc.set_classname("gcdoctor.lint");
    tc.set_time(Duration::ZERO);
    if f.severity != Severity::Error {
        tc.set_system_out(format!("{}: {}", f.severity.as_str(), f.summary));
    }
    tc
}

/// The verdict as a testcase, when no check carries it.
fn verdict_case(r: &Report, lead: Option<&Finding>) -> TestCase {
    let status = match lead {
        Some(f) => failure(&cause_message(f), f.cause.code(), &cause_text(r, f)),
        None => failure(
            r.verdict.meaning(),
            r.verdict.as_str(),
            &r.settle.join("\n"),
        ),
    };
    let mut tc = TestCase::new(format!("verdict: {}", r.title()), status);
    tc.set_classname("gcdoctor.verdict");
    tc.set_time(Duration::from_millis(r.elapsed_ms));
    tc
}

fn failure(message: &str, ty: &str, text: &str) -> TestCaseStatus {
    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
    s.set_message(message).set_type(ty).set_description(text);
    s
}

/// `GC103 wrong-region: the client lives in …`, on one line (attributes lose newlines).
fn cause_message(f: &Finding) -> String {
    let line = f.line.map(|l| format!(" (line {l})")).unwrap_or_default();
    one_line(&format!(
        "{} {}{line}: {}",
        f.cause.code(),
        f.cause.name(),
        f.summary
    ))
}

/// The failure text of the cause: evidence, fix, example, and what would settle it.
fn cause_text(r: &Report, f: &Finding) -> String {
    let mut s = finding_text(f);
    if !r.settle.is_empty() {
        s.push_str("\nTo settle it:\n");
        for x in &r.settle {
            s.push_str(&format!("  - {x}\n"));
        }
    }
    s.push_str(&format!("\nMore: gcdoctor explain {}\n", f.cause.code()));
    s
}

fn finding_text(f: &Finding) -> String {
    let mut s = format!("{}\n", f.summary);
    if !f.evidence.is_empty() {
        s.push_str("\nEvidence:\n");
        for e in &f.distinct_evidence() {
            s.push_str(&format!("  {e}\n"));
        }
    }
    s.push_str(&format!("\nFix: {}\n", f.fix));
    if let Some(ex) = &f.example {
        s.push_str(&format!("\nExample:\n{ex}\n"));
    }
    s
}

/// One line: runs of whitespace (newlines included) become one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
