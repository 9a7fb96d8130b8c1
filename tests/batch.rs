//! `gcdoctor diagnose --clients FILE`: many clients, one combined report, one exit code.

mod common;
use common::*;

const US_ID: &str = "2a4c6e80-1b3d-4f57-9a0b-c2d4e6f80a1b";
const US_SECRET: &str = "LmH8LIwnYSgrZMSWEI7rcBO-k903w_L_5S5WoBkopkG";

fn run_batch(sim: &Sim, file_text: &str, format: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("clients.txt");
    std::fs::write(&p, file_text).unwrap();
    let out = gcdoctor()
        .args([
            "diagnose",
            "--clients",
            p.to_str().unwrap(),
            "--format",
            format,
        ])
        .env("GCDOCTOR_CONNECT_TO", sim.addr())
        .env("EU_SECRET", MAIN_SECRET)
        .env("US_SECRET", US_SECRET)
        .output()
        .unwrap();
    let _ = capture(out.clone(), &[US_SECRET]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_batch_reports_each_client_and_the_worst_exit_code() {
    let sim = Sim::builtin("healthy");
    let file = format!(
        "# id region secret\n{MAIN_ID} eu-west-1 env:EU_SECRET\n{US_ID} eu-west-1 env:US_SECRET\n{US_ID} env:US_SECRET\n"
    );
    let (code, stdout, stderr) = run_batch(&sim, &file, "json");
    assert_eq!(code, 1, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["schema"], "gcdoctor.batch/v1");
    let clients = v["clients"].as_array().unwrap();
    assert_eq!(clients.len(), 3);
    assert_eq!(clients[0]["verdict"], "healthy");
    assert_eq!(clients[1]["cause"]["id"], "GC103");
    assert_eq!(clients[1]["region"]["detected"], "us-east-1");
    assert_eq!(clients[2]["verdict"], "healthy");
    assert_eq!(clients[2]["region"]["detected"], "us-east-1");
    // Per-host limits hold across the batch.
    for (host, n) in v["max_in_flight_per_host"].as_object().unwrap() {
        assert!(n.as_u64().unwrap() <= 8, "{host}: {n}");
    }
    let total: u64 = clients
        .iter()
        .map(|c| c["requests_sent"].as_u64().unwrap())
        .sum();
    assert_eq!(v["requests_sent"].as_u64().unwrap(), total);
    assert_eq!(sim.requests().len() as u64, total);
    for s in [MAIN_SECRET, US_SECRET] {
        assert!(!stdout.contains(s) && !stderr.contains(s));
    }
}

#[test]
fn a_healthy_batch_exits_zero_in_every_format() {
    let sim = Sim::builtin("healthy");
    let file = format!("{MAIN_ID} eu-west-1 env:EU_SECRET\n{US_ID} us-east-1 env:US_SECRET\n");
    for format in ["text", "markdown", "json", "junit"] {
        let (code, stdout, stderr) = run_batch(&sim, &file, format);
        assert_eq!(code, 0, "{format}: {stderr}");
        if format == "junit" {
            assert_eq!(stdout.matches("<testsuite ").count(), 2, "{stdout}");
        }
        assert!(stdout.contains(MAIN_ID), "{format}: {stdout}");
        assert!(!stdout.contains(MAIN_SECRET) && !stdout.contains(US_SECRET));
    }
}

#[test]
fn a_bad_clients_file_names_the_line() {
    let sim = Sim::builtin("healthy");
    let (code, _, stderr) = run_batch(&sim, &format!("{MAIN_ID} eu-west-1\n"), "json");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("clients.txt:1") && stderr.contains("env:VARIABLE"),
        "{stderr}"
    );
    let (code, _, stderr) = run_batch(
        &sim,
        &format!("{MAIN_ID} eu-west-1 env:NOT_SET_ANYWHERE\n"),
        "json",
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("NOT_SET_ANYWHERE"), "{stderr}");
}
