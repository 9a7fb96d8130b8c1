//! The report of a run that could not happen (exit 2: bad usage, unreadable input, a file
//! that cannot be written), in the format an `--output` file asked for.
//!
//! # Plan
//!
//! A CI job that publishes `gcdoctor.xml` whatever happened must find a file that says why
//! there is no diagnosis. The formats:
//!
//! * JSON: `{"schema": "gcdoctor.error/v1", "verdict": "error", "exit_code": 2, "error": …}`
//!   plus the contract fields a script reads first (`cause: null`, `findings: []`,
//!   `requests_sent: 0`) and `run`; a separate schema id, so it is never taken for a
//!   `gcdoctor.report/v1` with an unknown verdict;
//! * JUnit: one suite with one `gcdoctor.error` testcase in `<error type="usage-error">`,
//!   so the dashboard goes red with the message;
//! * markdown and text: the message under a heading.
//!
//! The message is the same line gcdoctor prints on stderr.

use super::{Format, RunInfo, markdown};
use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

/// The error report of `gcdoctor COMMAND` in `format`.
pub fn render(format: Format, command: &str, message: &str, run: &RunInfo) -> String {
    match format {
        Format::Json => json(command, message, run),
        Format::Junit => junit(command, message, run),
        Format::Markdown => format!(
            "## gcdoctor {command}: error\n\n**Error (exit 2, nothing diagnosed):** {}\n\n---\n\n{}\n",
            markdown::inline(message),
            markdown::inline(&format!(
                "gcdoctor {} · started {}",
                run.version, run.started_at
            ))
        ),
        Format::Text => format!(
            "gcdoctor {command}: error: {message}\nexit 2 (bad usage or unreadable input; nothing diagnosed)\ngcdoctor {} · started {}\n",
            run.version, run.started_at
        ),
    }
}

fn json(command: &str, message: &str, run: &RunInfo) -> String {
    let mut s =
        serde_json::to_string_pretty(&json_value(command, message, run)).unwrap_or_default();
    s.push('\n');
    s
}

/// The error report as a JSON value (also a batch's entry for a line that could not run).
pub fn json_value(command: &str, message: &str, run: &RunInfo) -> serde_json::Value {
    /// Fields in a fixed order, the contract's first, as in a report.
    #[derive(serde::Serialize)]
    struct View<'a> {
        schema: &'static str,
        verdict: &'static str,
        cause: Option<()>,
        findings: [(); 0],
        requests_sent: usize,
        kind: &'a str,
        exit_code: u8,
        error: &'a str,
        tool: serde_json::Value,
        run: &'a RunInfo,
    }
    let v = View {
        schema: "gcdoctor.error/v1",
        verdict: "error",
        cause: None,
        findings: [],
        requests_sent: 0,
        kind: command,
        exit_code: 2,
        error: message,
        tool: serde_json::json!({ "name": "gcdoctor", "version": env!("CARGO_PKG_VERSION") }),
        run,
    };
    serde_json::to_value(v).unwrap_or_default()
}

fn junit(command: &str, message: &str, run: &RunInfo) -> String {
    let mut report = quick_junit::Report::new("gcdoctor");
    report.add_test_suite(junit_suite(command, message, run));
    report.to_string().unwrap_or_default()
}

/// A test suite `gcdoctor WHAT` with one testcase in `<error type="usage-error">`.
pub fn junit_suite(what: &str, message: &str, run: &RunInfo) -> TestSuite {
    let mut suite = TestSuite::new(format!("gcdoctor {what}"));
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&run.started_at) {
        suite.set_timestamp(t);
    }
    suite.add_properties([
        Property::new("verdict", "error"),
        Property::new("exit_code", "2"),
        Property::new("run.started_at", run.started_at.as_str()),
        Property::new("run.version", run.version.as_str()),
        Property::new("run.connect_to", run.connect_to.as_deref().unwrap_or("")),
    ]);
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status
        .set_message(message.split_whitespace().collect::<Vec<_>>().join(" "))
        .set_type("usage-error")
        .set_description(format!(
            "{message}\n\ngcdoctor {what} could not run (exit 2): nothing was diagnosed.\n"
        ));
    let mut tc = TestCase::new("error: gcdoctor could not run", status);
    tc.set_classname("gcdoctor.error");
    suite.add_test_case(tc);
    suite
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_names_the_error() {
        let run = RunInfo::now();
        for f in [Format::Text, Format::Markdown, Format::Json, Format::Junit] {
            let s = render(f, "diagnose", "--region: unknown region `xx`", &run);
            assert!(s.contains("unknown region"), "{f:?}: {s}");
        }
        let j: serde_json::Value =
            serde_json::from_str(&render(Format::Json, "lint", "bad", &run)).unwrap();
        assert_eq!(j["exit_code"], 2);
        assert_eq!(j["schema"], "gcdoctor.error/v1");
        let x = render(Format::Junit, "lint", "a < b", &run);
        let r = quick_junit::Report::deserialize_from_str(&x).unwrap();
        assert_eq!(r.errors, 1);
    }
}
