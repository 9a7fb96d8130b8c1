//! Run metadata (contract §4: `run.started_at`, `run.version`, `run.connect_to`), each
//! answer's `Date` and correlation id, and the seam notice on the first line of every
//! format, through the real binary against the simulator.

#[path = "common/report.rs"]
mod common;

use common::*;
use serde_json::Value;

fn diagnose(sim: &Sim, format: &str) -> std::process::Output {
    sim.diagnose(
        MAIN_SECRET,
        &[
            "--client-id",
            MAIN_ID,
            "--region",
            "eu-west-1",
            "--format",
            format,
        ],
    )
}

fn now() -> chrono::DateTime<chrono::Utc> {
    std::time::SystemTime::now().into()
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

#[test]
fn json_carries_the_run_and_each_answers_date_and_correlation_id() {
    let sim = Sim::start("healthy");
    let before = now() - chrono::Duration::seconds(1);
    let out = diagnose(&sim, "json");
    let after = now() + chrono::Duration::seconds(1);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("one JSON object");
    let run = &v["run"];
    let started = run["started_at"].as_str().expect("started_at");
    let t = chrono::DateTime::parse_from_rfc3339(started).expect("RFC 3339");
    assert!(started.ends_with('Z'), "UTC: {started}");
    assert!(t >= before && t <= after, "{started} not within the run");
    assert_eq!(run["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["connect_to"], sim.addr().to_string());
    // The seam is the first note too.
    assert!(v["notes"][0].as_str().unwrap().starts_with("TEST SEAM"));
    let exchanges = v["exchanges"].as_array().expect("exchanges");
    assert!(!exchanges.is_empty());
    for e in exchanges {
        let date = e["date"].as_str().expect("every answer has a Date");
        assert!(
            chrono::DateTime::parse_from_rfc2822(date).is_ok(),
            "Date {date}"
        );
        let id = e["correlation_id"].as_str().expect("correlation id");
        let headers = e["response"]["headers"].as_array().unwrap();
        assert!(
            headers.iter().any(|h| h["name"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case("inin-correlation-id")
                && h["value"] == id),
            "{e}"
        );
    }
}

#[test]
fn a_seam_run_says_so_on_its_first_line_in_every_format() {
    let sim = Sim::start("wrong-region");
    let addr = sim.addr().to_string();
    for format in ["text", "markdown", "junit"] {
        let out = sim.diagnose(
            MAIN_SECRET,
            &[
                "--client-id",
                MAIN_ID,
                "--region",
                "us-east-1",
                "--format",
                format,
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        let text = stdout(&out);
        let line = first_line(&text);
        assert!(
            line.contains("TEST SEAM") && line.contains(&addr),
            "{format}: first line {line:?}"
        );
        assert!(line.contains("not to Genesys Cloud"), "{format}: {line}");
    }
    // JUnit: still valid XML, with the run in the properties and the suite's timestamp.
    let out = diagnose(&sim, "junit");
    let xml = stdout(&out);
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("JUnit XML");
    let suite = &report.test_suites[0];
    assert!(suite.timestamp.is_some(), "timestamp");
    let prop = |n: &str| {
        suite
            .properties
            .iter()
            .find(|p| p.name.as_str() == n)
            .map(|p| p.value.to_string())
    };
    assert_eq!(prop("run.connect_to"), Some(addr.clone()));
    assert_eq!(
        prop("run.version").as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert!(prop("run.started_at").is_some_and(|s| s.ends_with('Z')));
    // Text and markdown show the start time and the seam in their footers, and the Date
    // and correlation id of the answers they show.
    for format in ["text", "markdown"] {
        let text = stdout(&diagnose(&sim, format));
        assert!(text.contains("· started 20"), "{format}: {text}");
        assert!(
            text.contains(&format!("test seam {addr}"))
                || text.contains(&format!("test seam `{addr}`")),
            "{format}"
        );
        assert!(
            text.contains("date: ") && text.contains(" GMT"),
            "{format}: {text}"
        );
        assert!(text.contains("inin-correlation-id: "), "{format}");
    }
}

#[test]
fn a_run_without_the_seam_has_no_seam_notice() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("req.sh");
    std::fs::write(
        &f,
        "curl -u \"$ID:$SECRET\" -d grant_type=client_credentials https://login.mypurecloud.ie/oauth/token\n",
    )
    .unwrap();
    for format in FORMATS {
        let out = gcdoctor()
            .args(["lint", "--format", format])
            .arg(&f)
            .output()
            .unwrap();
        let text = stdout(&out);
        assert!(!text.contains("TEST SEAM"), "{format}: {text}");
        if *format == "json" {
            let v: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["run"]["connect_to"], Value::Null);
            assert!(v["run"]["started_at"].as_str().is_some());
        }
    }
}
