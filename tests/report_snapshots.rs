//! Snapshots (insta) of every format for a healthy run, several causes, an inconclusive run
//! and a lint report. The runs are real: the binary against the built-in simulator. Volatile
//! values are filtered: durations, correlation ids, rate-limit windows, the secret file's
//! path and the version.
//!
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test
//! report_snapshots` and `git diff`).

#[path = "common/report.rs"]
mod common;

use common::*;
use gcdoctor::report::{Format, RenderOptions, Report, render};
use gcdoctor::secret::Redactor;

const UUID: &str = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    // Durations: text and markdown (`19 ms`, `0.4 s`), JSON, JUnit.
    s.add_filter(r"\b\d+ ms\b|\b\d+\.\d s\b", "[time]");
    s.add_filter(r#""elapsed_ms": \d+"#, r#""elapsed_ms": "[ms]""#);
    s.add_filter(r#"time="[0-9.]+""#, r#"time="[time]""#);
    // Correlation ids, in headers as text (`name: value`) and as JSON objects.
    s.add_filter(
        &format!(r#"(?i)((?:inin|genesys)-correlation-id(?:: |",\s*"value": ")){UUID}"#),
        "$1[correlation-id]",
    );
    // The same id in Platform API error bodies: plain, JSON-escaped or XML-escaped.
    s.add_filter(
        &format!(r#"(contextId(?:\\?"|&quot;)\s*:\s*(?:\\?"|&quot;)){UUID}"#),
        "$1[correlation-id]",
    );
    // The API's rate-limit window: concurrent calls arrive in any order.
    s.add_filter(
        r#"(?i)(ratelimit-(?:reset|count)(?:: |",\s*"value": "))\d+"#,
        "$1[n]",
    );
    s.add_filter(r"file /\S*secret\.txt", "file [secret file]");
    // When the run started (RFC 3339; JUnit's timestamp) and each answer's Date header.
    s.add_filter(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)",
        "[started]",
    );
    s.add_filter(
        r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT",
        "[date]",
    );
    // The port of demo's in-process simulator (the test seam).
    s.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[port]");
    // A correlation id on its own (JSON's `correlation_id`).
    s.add_filter(
        &format!(r#"("correlation_id": "){UUID}"#),
        "$1[correlation-id]",
    );
    s.add_filter(&regex_escape(env!("CARGO_PKG_VERSION")), "[version]");
    s
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_ascii_alphanumeric() {
                vec![c]
            } else {
                vec!['\\', c]
            }
        })
        .collect()
}

fn snapshot(name: &str, output: &str) {
    settings().bind(|| insta::assert_snapshot!(name, output));
}

fn scenario(name: &str) {
    for format in FORMATS {
        let out = demo(name, format, &[]);
        // demo exits with its report's code, as diagnose would.
        let code = if name == "healthy" { 0 } else { 1 };
        assert_eq!(out.status.code(), Some(code), "{name}: {}", stderr(&out));
        snapshot(&format!("{name}.{format}"), &stdout(&out));
    }
}

#[test]
fn healthy() {
    scenario("healthy");
}

#[test]
fn wrong_region() {
    scenario("wrong-region");
}

#[test]
fn wrong_secret() {
    scenario("wrong-secret");
}

#[test]
fn no_roles() {
    scenario("no-roles");
}

#[test]
fn rate_limited() {
    scenario("rate-limited");
}

#[test]
fn inconclusive_run() {
    for format in FORMATS {
        let out = inconclusive(format, &[]);
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        snapshot(&format!("inconclusive.{format}"), &stdout(&out));
    }
}

#[test]
fn verbose_text() {
    let out = demo("missing-permission", "text", &["--verbose"]);
    snapshot("missing-permission.verbose.text", &stdout(&out));
}

fn render_all(name: &str, r: &Report) {
    for (format, f) in [
        ("text", Format::Text),
        ("markdown", Format::Markdown),
        ("json", Format::Json),
        ("junit", Format::Junit),
    ] {
        let out = render(r, f, RenderOptions::default(), &Redactor::new());
        snapshot(&format!("{name}.{format}"), &out);
    }
}

#[test]
fn lint_defects() {
    render_all("lint-defects", &lint_report());
}

#[test]
fn lint_clean() {
    render_all("lint-clean", &lint_clean_report());
}

#[test]
fn ascii_text() {
    let r = lint_report();
    let opts = RenderOptions {
        unicode: false,
        ..RenderOptions::default()
    };
    snapshot(
        "lint-defects.ascii.text",
        &render(&r, Format::Text, opts, &Redactor::new()),
    );
}
