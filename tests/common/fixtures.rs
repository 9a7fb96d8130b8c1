//! Linting the fixtures of one input kind (`tests/fixtures/<kind>/`) through the binary,
//! with test credentials in the environment the fixtures read: the cause and line of each
//! finding, the exit code its severity implies, and no secret in any output.

use super::common::*;
use serde_json::Value;

/// The client id the fixtures read from `GENESYS_CLIENT_ID`.
pub const ID: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";
/// The secret the fixtures read from `GENESYS_CLIENT_SECRET`.
pub const SECRET: &str = "k7Qp-2xZ_9vLmN4sT8wYbR1cE6fH3jU5oI0aD-gKl";

/// The path of a fixture of `kind`.
pub fn path(kind: &str, name: &str) -> String {
    format!(
        "{}/tests/fixtures/{kind}/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The environment the fixtures read.
pub fn env(name: &str) -> Option<String> {
    match name {
        "GENESYS_CLIENT_ID" => Some(ID.into()),
        "GENESYS_CLIENT_SECRET" => Some(SECRET.into()),
        _ => None,
    }
}

/// `gcdoctor lint --format json` of a fixture: exit code and report; no output holds the
/// secret.
pub fn lint(kind: &str, name: &str) -> (i32, Value) {
    let out = gcdoctor()
        .args(["lint", "--format", "json", &path(kind, name)])
        .env("GENESYS_CLIENT_ID", ID)
        .env("GENESYS_CLIENT_SECRET", SECRET)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_no_secret_in(&format!("{stdout}\n{stderr}"), &[SECRET]);
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), json)
}

/// The (cause id, line) of every finding of a lint report.
pub fn findings(json: &Value) -> Vec<(String, u64)> {
    let list = json["findings"].as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|f| {
            let id = f["id"].as_str().unwrap_or("").to_string();
            (id, f["line"].as_u64().unwrap_or(0))
        })
        .collect()
}

/// Lints a fixture and asserts a finding of cause `id` at `line`; with an error among the
/// findings, exit 1 and the most serious finding as the cause, else exit 0.
#[track_caller]
pub fn assert_finding(kind: &str, name: &str, id: &str, line: u64) {
    let (code, json) = lint(kind, name);
    let f = findings(&json);
    assert!(f.contains(&(id.to_string(), line)), "{name}: {f:?}");
    let list = json["findings"].as_array().cloned().unwrap_or_default();
    let error = list.iter().any(|f| f["severity"] == "error");
    assert_eq!(code, i32::from(error), "{name}: {json}");
    if error {
        assert_eq!(json["cause"]["id"], id, "{name}: the most serious finding");
    }
}

/// Diagnoses a fixture over the seam with the credentials in the script's variables and in
/// the Terraform provider's (where the script loses one, a header built wrong), plus `extra`.
pub fn diagnose_fixture(sim: &Sim, kind: &str, name: &str, extra: &[&str]) -> Run {
    let p = path(kind, name);
    let mut args = vec!["--from", p.as_str()];
    args.extend_from_slice(extra);
    diagnose_with(
        sim,
        &args,
        &[
            ("GENESYS_CLIENT_ID", MAIN_ID),
            ("GENESYS_CLIENT_SECRET", MAIN_SECRET),
            ("GENESYSCLOUD_OAUTHCLIENT_SECRET", MAIN_SECRET),
        ],
        None,
    )
}

/// Lints and diagnoses each file in text, JSON and markdown (and `--output`): `secret` never
/// appears in any output.
pub fn assert_never_printed(files: &[&std::path::Path], flag: &str, secret: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("report.txt");
    for f in files {
        for format in ["text", "json", "markdown"] {
            let o = gcdoctor()
                .args(["lint", "--format", format, "--output"])
                .arg(&out_file)
                .arg(f)
                .output()
                .unwrap();
            let written = std::fs::read_to_string(&out_file).unwrap_or_default();
            let all = format!(
                "{}\n{}\n{written}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            assert_no_secret_in(&all, &[secret]);
            let _ = std::fs::remove_file(&out_file);
        }
    }
    let sim = Sim::builtin("healthy");
    for f in files {
        let f = f.to_str().unwrap();
        let run = diagnose(&sim, &["--from", f]);
        assert_no_leak(&run, &[secret]);
        let run = diagnose(&sim, &[flag, f, "--format", "text"]);
        assert_no_leak(&run, &[secret]);
    }
}
