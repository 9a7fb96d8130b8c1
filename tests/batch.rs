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
fn a_bad_line_is_a_client_that_could_not_run_and_the_rest_run() {
    let sim = Sim::builtin("healthy");
    let text = format!(
        "{MAIN_ID} eu-west-1\n{MAIN_ID} eu-west-1 env:EU_SECRET label:eu-reporting\n{MAIN_ID} nowhere-9 env:EU_SECRET\n{MAIN_ID} eu-west-1 env:NOT_SET_ANYWHERE\n"
    );
    let (code, stdout, stderr) = run_batch(&sim, &text, "json");
    // No cause found, but lines that could not run: exit 2.
    assert_eq!(code, 2, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(v["verdict"], "error");
    let c = v["clients"].as_array().unwrap();
    assert_eq!(c.len(), 4);
    assert_eq!(c[0]["verdict"], "error");
    let e0 = c[0]["error"].as_str().unwrap();
    assert!(
        e0.contains("clients.txt:1") && e0.contains("env:VARIABLE"),
        "{e0}"
    );
    assert_eq!(c[1]["verdict"], "healthy", "the good line ran");
    assert_eq!(c[1]["label"], "eu-reporting");
    assert!(c[1]["at"].as_str().unwrap().ends_with("clients.txt:2"));
    // A word that is no region may be a secret in the wrong column: named by shape only.
    let e2 = c[2]["error"].as_str().unwrap();
    assert!(
        e2.contains("clients.txt:3") && e2.contains("is not a Genesys Cloud region"),
        "{e2}"
    );
    assert!(!e2.contains("nowhere-9"), "{e2}");
    assert!(c[3]["error"].as_str().unwrap().contains("NOT_SET_ANYWHERE"));
    // A found cause outranks a broken line.
    let text = format!("{MAIN_ID} us-east-1 env:EU_SECRET\n{MAIN_ID} nowhere-9 env:EU_SECRET\n");
    let (code, stdout, _) = run_batch(&sim, &text, "text");
    assert_eq!(code, 1);
    assert!(
        stdout.contains("GC103") && stdout.contains("is not a Genesys Cloud region"),
        "{stdout}"
    );
    // JUnit: the broken line is a suite with an error, named after its label.
    let text = format!(
        "{MAIN_ID} nowhere-9 env:EU_SECRET label:broken\n{MAIN_ID} eu-west-1 env:EU_SECRET\n"
    );
    let (code, xml, _) = run_batch(&sim, &text, "junit");
    assert_eq!(code, 2);
    let r = quick_junit::Report::deserialize_from_str(&xml).expect("JUnit");
    assert_eq!(r.test_suites.len(), 2);
    assert_eq!(r.test_suites[0].name.as_str(), "gcdoctor diagnose broken");
    assert_eq!(r.test_suites[0].errors, 1);
}

#[test]
fn an_unreadable_clients_file_is_still_a_usage_error() {
    let sim = Sim::builtin("healthy");
    let (code, _, stderr) = run_batch(&sim, "# only a comment\n", "json");
    assert_eq!(code, 2);
    assert!(stderr.contains("no clients in the file"), "{stderr}");
}

#[test]
fn single_client_flags_with_clients_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("clients.txt");
    std::fs::write(&p, format!("{MAIN_ID} eu-west-1 env:EU_SECRET\n")).unwrap();
    for extra in [
        vec!["--client-id", MAIN_ID],
        vec!["--client-secret-file", "secret.txt"],
        vec!["--token-url", "https://login.mypurecloud.ie/oauth/token"],
        vec!["--from-curl", "req.sh"],
    ] {
        let out = gcdoctor()
            .env_remove("RUST_BACKTRACE")
            .args(["diagnose", "--clients", p.to_str().unwrap()])
            .args(&extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(extra[0]) && err.contains("--clients"), "{err}");
        assert!(out.stdout.is_empty());
    }
    // The environment's client id is not a flag given with --clients: it is fine.
    let sim = Sim::builtin("healthy");
    let out = gcdoctor()
        .args([
            "diagnose",
            "--clients",
            p.to_str().unwrap(),
            "--format",
            "json",
        ])
        .env("GCDOCTOR_CONNECT_TO", sim.addr())
        .env("GENESYSCLOUD_OAUTHCLIENT_ID", MAIN_ID)
        .env("EU_SECRET", MAIN_SECRET)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn markdown_headings_nest_under_the_batch() {
    let sim = Sim::builtin("wrong-region");
    let text = format!("{MAIN_ID} us-east-1 env:EU_SECRET label:reporting\n");
    let (code, md, _) = run_batch(&sim, &text, "markdown");
    assert_eq!(code, 1);
    let mut levels = Vec::new();
    let mut in_code = false;
    for l in md.lines() {
        if l.starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && l.starts_with('#') {
            levels.push((l.chars().take_while(|&c| c == '#').count(), l.to_string()));
        }
    }
    assert_eq!(levels[0].0, 2, "{levels:?}");
    assert!(levels[0].1.contains("gcdoctor batch"));
    assert_eq!(levels[1].0, 3);
    assert!(levels[1].1.contains("reporting"), "{levels:?}");
    // Everything of the client's report sits below its heading.
    assert!(levels[2..].iter().all(|(n, _)| *n >= 4), "{levels:?}");
    assert!(
        md.contains("| reporting | `"),
        "the label names the client: {md}"
    );
}
