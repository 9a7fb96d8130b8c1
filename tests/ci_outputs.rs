//! What CI needs around the report, through the real binary against the simulator: several
//! `--output` files in one run (format from the extension), a one-line verdict on stderr
//! when the report goes to a file, an error report on exit 2, and `$GITHUB_STEP_SUMMARY`.

#[path = "common/report.rs"]
mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn wrong_region(sim: &Sim, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--client-id", MAIN_ID, "--region", "us-east-1"];
    args.extend_from_slice(extra);
    sim.diagnose(MAIN_SECRET, &args)
}

#[test]
fn several_outputs_in_one_run_each_in_its_extensions_format() {
    let sim = Sim::start("wrong-region");
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let (json, xml, md, other) = (p("r.json"), p("r.xml"), p("r.md"), p("r.out"));
    let out = wrong_region(
        &sim,
        &[
            "--format",
            "markdown",
            "-o",
            json.to_str().unwrap(),
            "--output",
            xml.to_str().unwrap(),
            "-o",
            md.to_str().unwrap(),
            "-o",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing on stdout: {}", stdout(&out));
    let v: Value = serde_json::from_str(&read(&json)).expect("r.json is JSON");
    assert_eq!(v["cause"]["id"], "GC103");
    let junit = quick_junit::Report::deserialize_from_str(&read(&xml)).expect("r.xml is JUnit");
    assert!(junit.failures > 0);
    assert!(read(&md).contains("## gcdoctor: GC103 wrong-region"));
    // No extension that names a format: --format.
    assert!(read(&other).contains("## gcdoctor: GC103 wrong-region"));
    // The CI log names the cause in one line, and where the report went.
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("GC103")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].starts_with("gcdoctor: [TEST SEAM "),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("wrong-region") && lines[0].contains("exit 1"));
    assert!(lines[0].contains("r.json") && lines[0].contains("r.xml"));
    for s in SECRETS {
        assert!(!err.contains(s));
    }
}

#[test]
fn one_output_with_an_explicit_format_keeps_that_format() {
    let sim = Sim::start("healthy");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("report.txt");
    let out = sim.diagnose(
        MAIN_SECRET,
        &[
            "--client-id",
            MAIN_ID,
            "--region",
            "eu-west-1",
            "--format",
            "json",
            "--output",
            f.to_str().unwrap(),
            "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&read(&f)).expect("JSON despite .txt");
    assert_eq!(v["verdict"], "healthy");
    // The verdict line is printed even with --quiet: it is the report's gist.
    assert!(
        stderr(&out).contains("GC000 healthy: a token is issued"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn exit_2_writes_an_error_report_in_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("gcdoctor.json");
    let xml = dir.path().join("gcdoctor.xml");
    let out = gcdoctor()
        .env_remove("RUST_BACKTRACE")
        .args(["diagnose", "--client-id", MAIN_ID, "--region", "nowhere-9"])
        .args(["--client-secret-file", "/nonexistent/secret.txt"])
        .arg("-o")
        .arg(&json)
        .arg("-o")
        .arg(&xml)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    let message = message
        .lines()
        .find_map(|l| l.strip_prefix("gcdoctor: error: "))
        .expect("the error on stderr");
    let v: Value = serde_json::from_str(&read(&json)).expect("error JSON");
    assert_eq!(v["schema"], "gcdoctor.error/v1");
    assert_eq!(v["verdict"], "error");
    assert_eq!(v["exit_code"], 2);
    assert_eq!(v["error"], message);
    assert_eq!(v["cause"], Value::Null);
    let r = quick_junit::Report::deserialize_from_str(&read(&xml)).expect("error JUnit");
    assert_eq!(r.errors, 1);
    let suite = &r.test_suites[0];
    match &suite.test_cases[0].status {
        quick_junit::TestCaseStatus::NonSuccess { message: m, .. } => {
            assert_eq!(m.as_ref().map(|s| s.to_string()).as_deref(), Some(message));
        }
        s => panic!("not an error: {s:?}"),
    }
    // lint too.
    let out = gcdoctor()
        .args(["lint", "/nonexistent/request.sh", "-o"])
        .arg(&json)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_str(&read(&json)).unwrap();
    assert_eq!(v["kind"], "lint");
}

#[test]
fn the_markdown_report_is_appended_to_the_github_step_summary() {
    let sim = Sim::start("wrong-region");
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "# earlier step\n").unwrap();
    let xml = dir.path().join("gcdoctor.xml");
    let mut c = gcdoctor();
    c.env("GCDOCTOR_CONNECT_TO", sim.addr().to_string())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GENESYSCLOUD_OAUTHCLIENT_SECRET", MAIN_SECRET)
        .args(["diagnose", "--client-id", MAIN_ID, "--region", "us-east-1"])
        .arg("-o")
        .arg(&xml);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let s = read(&summary);
    assert!(s.starts_with("# earlier step\n"), "appended, not replaced");
    assert!(s.contains("## gcdoctor: GC103 wrong-region"), "{s}");
    assert!(s.contains("TEST SEAM"));
    assert!(!s.contains(MAIN_SECRET));
    // An error is summarised too.
    let out = gcdoctor()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["lint", "/nonexistent/request.sh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(read(&summary).contains("## gcdoctor lint: error"));
}

#[test]
fn a_command_line_that_does_not_parse_still_leaves_error_reports() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let xml = dir.path().join("r.xml");
    let out = gcdoctor()
        .env_remove("RUST_BACKTRACE")
        .args([
            "diagnose",
            "--timeout",
            "0",
            "--client-secret",
            MAIN_SECRET,
            "-o",
        ])
        .arg(&json)
        .arg(format!("--output={}", xml.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_str(&read(&json)).expect("error JSON");
    assert_eq!(v["verdict"], "error");
    assert!(v["error"].as_str().unwrap().contains("--timeout"), "{v}");
    let r = quick_junit::Report::deserialize_from_str(&read(&xml)).expect("JUnit");
    assert_eq!(r.errors, 1);
    for f in [&json, &xml] {
        assert!(!read(f).contains(MAIN_SECRET));
    }
    // --help and --version are not errors: nothing is written.
    let f = dir.path().join("help.json");
    let out = gcdoctor()
        .args(["diagnose", "--help", "-o"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!f.exists());
}
