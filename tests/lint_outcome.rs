//! lint's exit codes and wording (contract §4: only an error makes exit 1; `--strict` makes
//! warnings count), no "clean" beside a note that something could not be checked, no
//! corrected request for a clean file, compact passing rows; and `demo`'s exit code agreeing
//! with its report. All through the real binary.

#[path = "common/report.rs"]
mod common;

use common::*;
use serde_json::Value;
use std::path::PathBuf;

const URL: &str = "https://login.mypurecloud.ie/oauth/token";

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn lint(path: &PathBuf, extra: &[&str], env: bool) -> std::process::Output {
    let mut c = gcdoctor();
    if env {
        c.env("ID", MAIN_ID).env("SECRET", MAIN_SECRET);
    } else {
        c.env_remove("ID").env_remove("SECRET");
    }
    c.arg("lint").args(extra).arg(path).output().unwrap()
}

#[test]
fn warnings_alone_exit_0_and_strict_makes_them_count() {
    let dir = tempfile::tempdir().unwrap();
    let f = file(
        &dir,
        "scope.sh",
        &format!("curl -u \"$ID:$SECRET\" -d grant_type=client_credentials -d scope=admin {URL}\n"),
    );
    let out = lint(&f, &[], true);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let s = stdout(&out);
    let first = s.lines().next().unwrap();
    assert!(first.starts_with("✓ no errors in "), "{first}");
    assert!(first.contains("1 warning"), "{first}");
    assert!(!s.contains("✗ GC306"), "no red cross for a warning: {s}");
    let json: Value =
        serde_json::from_str(&stdout(&lint(&f, &["--format", "json"], true))).unwrap();
    assert_eq!(json["verdict"], "clean");
    // JUnit agrees with the exit code: no failure for a warning.
    let xml = stdout(&lint(&f, &["--format", "junit"], true));
    let junit = quick_junit::Report::deserialize_from_str(&xml).expect("JUnit");
    assert_eq!(junit.failures, 0, "{xml}");
    assert!(xml.contains("warning: a `scope` is sent"), "{xml}");
    assert_eq!(json["exit_code"], 0);
    assert_eq!(json["findings"][0]["severity"], "warning");

    let out = lint(&f, &["--strict", "--format", "json"], true);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["verdict"], "defects");
    assert_eq!(json["cause"]["id"], "GC306");
    let out = lint(&f, &["--strict"], true);
    assert!(stdout(&out).starts_with("✗ GC306 scope-parameter"));

    // An error still exits 1 without --strict.
    let f = file(
        &dir,
        "json.sh",
        &format!(
            "curl -u \"$ID:$SECRET\" -H 'Content-Type: application/json' -d '{{\"grant_type\":\"client_credentials\"}}' {URL}\n"
        ),
    );
    assert_eq!(lint(&f, &[], true).status.code(), Some(1));
}

#[test]
fn no_clean_beside_a_note_that_something_could_not_be_checked() {
    let dir = tempfile::tempdir().unwrap();
    let f = file(
        &dir,
        "env.sh",
        &format!("curl -u \"$ID:$SECRET\" -d grant_type=client_credentials {URL}\n"),
    );
    for format in ["text", "markdown"] {
        let out = lint(&f, &["--format", format], false);
        assert_eq!(out.status.code(), Some(0));
        let s = stdout(&out);
        assert!(
            s.contains("could not be checked") || s.contains("partly checked"),
            "{format}: {s}"
        );
        assert!(!s.to_lowercase().contains("clean"), "{format}: {s}");
    }
}

#[test]
fn a_clean_file_gets_no_corrected_request_and_one_row_for_its_passing_checks() {
    let dir = tempfile::tempdir().unwrap();
    let f = file(
        &dir,
        "ok.sh",
        &format!("curl -u \"$ID:$SECRET\" -d grant_type=client_credentials {URL}\n"),
    );
    let out = lint(&f, &[], true);
    assert_eq!(out.status.code(), Some(0));
    let s = stdout(&out);
    assert!(s.starts_with("✓ clean: no defect found in "), "{s}");
    assert!(!s.contains("Corrected request"), "{s}");
    assert!(
        !s.contains("\n                           ok\n"),
        "no `ok` rows: {s}"
    );
    let check_lines = s.lines().filter(|l| l.starts_with("  ✓ ")).count();
    assert_eq!(check_lines, 1, "{s}");
    let json: Value =
        serde_json::from_str(&stdout(&lint(&f, &["--format", "json"], true))).unwrap();
    assert_eq!(json["suggestion"], Value::Null);
    assert_eq!(
        json["checks"].as_array().unwrap().len(),
        12,
        "JSON keeps every check"
    );
    let md = stdout(&lint(&f, &["--format", "markdown"], true));
    let pass_rows = md.lines().filter(|l| l.starts_with("| ✅ pass |")).count();
    assert_eq!(pass_rows, 1, "{md}");
    // A file with a defect keeps its corrected request.
    let f = file(
        &dir,
        "bad.sh",
        &format!("curl -u \"$ID:$SECRET\" -d grant_type=client_credentials -d scope=x {URL}\n"),
    );
    assert!(stdout(&lint(&f, &[], true)).contains("Corrected request (curl)"));
}

#[test]
fn demo_exits_with_the_code_its_report_states() {
    for name in scenarios() {
        let out = demo(name, "json", &[]);
        let json: Value = serde_json::from_str(&stdout(&out)).expect("json");
        let stated = json["exit_code"].as_i64().map(|c| c as i32);
        assert_eq!(out.status.code(), stated, "{name}: {}", stderr(&out));
        // The diagnosis matches the scenario: no warning about it.
        assert!(
            !stderr(&out).contains("warning: the scenario shows"),
            "{name}"
        );
        let text = stdout(&demo(name, "text", &[]));
        let code = out.status.code().unwrap();
        assert!(text.contains(&format!("· exit {code} (")), "{name}: {text}");
    }
}
