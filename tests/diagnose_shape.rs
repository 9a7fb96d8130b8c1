//! Request-shape causes: the user's own request (`--from-curl`) against the simulator. The
//! canonical request gets a token, theirs does not, and the one-dimension flips name the
//! difference that explains it; the other differences stay findings.

mod common;
use common::*;

/// Writes a curl command to a file and diagnoses it.
fn diagnose_curl(sim: &Sim, curl: &str, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("request.sh");
    std::fs::write(&p, curl).unwrap();
    let mut args = vec!["--from-curl", p.to_str().unwrap()];
    args.extend_from_slice(extra);
    diagnose(sim, &args)
}

const EU: &str = "https://login.mypurecloud.ie/oauth/token";

fn body_creds(url: &str, extra: &str) -> String {
    format!(
        "curl -X POST {url} \\\n  -H 'Content-Type: application/x-www-form-urlencoded' \\\n  -d 'grant_type=client_credentials&client_id={MAIN_ID}&client_secret={MAIN_SECRET}{extra}'\n"
    )
}

fn assert_secret_only_at(sim: &Sim, secret: &str, allowed: &[&str]) {
    let hosts = hosts_that_saw(&sim.requests(), secret);
    assert!(
        hosts.iter().all(|h| allowed.contains(&h.as_str())),
        "{hosts:?}"
    );
}

#[test]
fn gc201_body_credentials_where_the_service_rejects_them() {
    let sim = Sim::builtin_with("healthy", "body_credentials = \"rejected\"");
    let run = diagnose_curl(&sim, &body_creds(EU, ""), &[]);
    assert_eq!(run.cause(), Some("GC201"), "{}", run.stdout);
    assert_eq!(run.code, 1);
    assert!(
        run.json["cause"]["summary"]
            .as_str()
            .unwrap()
            .contains("body")
    );
    assert_secret_only_at(&sim, MAIN_SECRET, &["login.mypurecloud.ie"]);
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn body_credentials_the_service_accepts_are_only_a_warning() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_curl(&sim, &body_creds(EU, ""), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.finding("GC201").unwrap()["severity"], "warning");
}

#[test]
fn gc202_wrong_scheme_in_the_authorization_header() {
    let sim = Sim::builtin("healthy");
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("{MAIN_ID}:{MAIN_SECRET}"))
    };
    let curl = format!(
        "curl -X POST {EU} -H 'Authorization: Bearer {b64}' -d grant_type=client_credentials\n"
    );
    // gcdoctor cannot read credentials out of a malformed header: the user gives them.
    let (_d, f) = secret_file(MAIN_SECRET);
    let run = diagnose_curl(
        &sim,
        &curl,
        &["--client-id", MAIN_ID, "--client-secret-file", &f],
    );
    assert_eq!(run.cause(), Some("GC202"), "{}", run.stdout);
    assert_eq!(run.code, 1);
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn gc203_plus_in_a_hand_written_form_body() {
    let sim = Sim::builtin("secret-encoding");
    let curl = format!(
        "curl -X POST {EU} -d 'grant_type=client_credentials&client_id={PLUS_ID}&client_secret={PLUS_SECRET}'\n"
    );
    let run = diagnose_curl(&sim, &curl, &[]);
    assert_eq!(run.cause(), Some("GC203"), "{}", run.stdout);
    assert_eq!(run.code, 1);
    assert_no_leak(&run, &[PLUS_SECRET]);
}

#[test]
fn gc204_trailing_space_inside_the_quotes() {
    let sim = Sim::builtin("healthy");
    let curl = format!(
        "curl -X POST {EU} -u '{MAIN_ID}:{MAIN_SECRET} ' -d grant_type=client_credentials\n"
    );
    let run = diagnose_curl(&sim, &curl, &[]);
    assert_eq!(run.cause(), Some("GC204"), "{}", run.stdout);
    assert_eq!(run.code, 1);
}

#[test]
fn gc207_swapped_in_the_curl_command() {
    let sim = Sim::builtin("healthy");
    let curl = format!(
        "curl -X POST {EU} -u '{MAIN_SECRET}:{MAIN_ID}' -d grant_type=client_credentials\n"
    );
    let run = diagnose_curl(&sim, &curl, &[]);
    assert_eq!(run.cause(), Some("GC207"), "{}", run.stdout);
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn gc208_template_values_in_the_file_send_nothing() {
    let sim = Sim::builtin("healthy");
    let curl = format!(
        "curl -X POST {EU} -d 'grant_type=client_credentials&client_id=YOUR_CLIENT_ID&client_secret=YOUR_CLIENT_SECRET'\n"
    );
    let run = diagnose_curl(&sim, &curl, &[]);
    assert_eq!(run.cause(), Some("GC208"), "{}", run.stdout);
    assert_eq!(run.requests_sent(), 0);
    assert!(sim.requests().is_empty());
}

#[test]
fn template_values_in_the_file_with_real_ones_from_flags_keep_the_request_shape() {
    let sim = Sim::builtin_with("healthy", "body_credentials = \"rejected\"");
    let (_d, f) = secret_file(MAIN_SECRET);
    let curl = format!(
        "curl -X POST {EU} -d 'grant_type=client_credentials&client_id=YOUR_CLIENT_ID&client_secret=YOUR_CLIENT_SECRET'\n"
    );
    let run = diagnose_curl(
        &sim,
        &curl,
        &["--client-id", MAIN_ID, "--client-secret-file", &f],
    );
    assert_eq!(run.cause(), Some("GC201"), "{}", run.stdout);
}

#[test]
fn gc301_json_body() {
    let sim = Sim::builtin("healthy");
    let curl = format!(
        "curl {EU} -u '{MAIN_ID}:{MAIN_SECRET}' --json '{{\"grant_type\":\"client_credentials\"}}'\n"
    );
    let run = diagnose_curl(&sim, &curl, &[]);
    assert_eq!(run.cause(), Some("GC301"), "{}", run.stdout);
    assert_eq!(run.code, 1);
}

#[test]
fn gc302_form_body_with_the_wrong_content_type() {
    let sim = Sim::builtin("healthy");
    let curl = format!(
        "curl -X POST {EU} -u '{MAIN_ID}:{MAIN_SECRET}' -H 'Content-Type: text/plain' -d grant_type=client_credentials\n"
    );
    let run = diagnose_curl(&sim, &curl, &[]);
    assert_eq!(run.cause(), Some("GC302"), "{}", run.stdout);
}

#[test]
fn gc303_misspelled_grant_type() {
    let sim = Sim::builtin("healthy");
    let curl = format!(
        "curl -X POST {EU} -u '{MAIN_ID}:{MAIN_SECRET}' -d grant_type=client-credentials\n"
    );
    let run = diagnose_curl(&sim, &curl, &[]);
    assert_eq!(run.cause(), Some("GC303"), "{}", run.stdout);
}

#[test]
fn gc304_grant_in_the_query_where_the_service_ignores_it() {
    let sim = Sim::builtin_with("healthy", "query_parameters = \"ignored\"");
    let curl =
        format!("curl -X POST '{EU}?grant_type=client_credentials' -u '{MAIN_ID}:{MAIN_SECRET}'\n");
    let run = diagnose_curl(&sim, &curl, &[]);
    assert_eq!(run.cause(), Some("GC304"), "{}", run.stdout);
}

#[test]
fn gc305_a_get_request() {
    let sim = Sim::builtin("healthy");
    let curl =
        format!("curl -G {EU} -u '{MAIN_ID}:{MAIN_SECRET}' -d grant_type=client_credentials\n");
    let run = diagnose_curl(&sim, &curl, &[]);
    assert_eq!(run.cause(), Some("GC305"), "{}", run.stdout);
}

#[test]
fn gc306_scope_where_the_service_refuses_it() {
    let sim = Sim::builtin_with("healthy", "scope = \"invalid-scope\"");
    let curl = format!(
        "curl -X POST {EU} -u '{MAIN_ID}:{MAIN_SECRET}' -d 'grant_type=client_credentials&scope=conversation:read'\n"
    );
    let run = diagnose_curl(&sim, &curl, &[]);
    assert_eq!(run.cause(), Some("GC306"), "{}", run.stdout);
}

#[test]
fn gc101_and_gc102_from_the_users_own_url() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_curl(
        &sim,
        &body_creds("https://api.mypurecloud.ie/oauth/token", ""),
        &[],
    );
    assert_eq!(run.cause(), Some("GC101"), "{}", run.stdout);
    assert_secret_only_at(
        &sim,
        MAIN_SECRET,
        &["login.mypurecloud.ie", "api.mypurecloud.ie"],
    );

    let sim = Sim::builtin("healthy");
    let run = diagnose_curl(
        &sim,
        &body_creds("https://api.us.genesys.cloud/oauth/token", ""),
        &["--region", "eu-west-1"],
    );
    assert_eq!(run.cause(), Some("GC102"), "{}", run.stdout);
    assert_secret_only_at(&sim, MAIN_SECRET, &["login.mypurecloud.ie"]);
}

#[test]
fn wrong_host_body_credentials_and_scope_the_host_is_the_cause() {
    // The forum shape: api host, credentials in the body, a scope. With the service's
    // defaults only the host is fatal; the other two are findings the service tolerated.
    let sim = Sim::builtin("healthy");
    let run = diagnose_curl(
        &sim,
        &body_creds(
            "https://api.mypurecloud.ie/oauth/token",
            "&scope=conversation:read",
        ),
        &[],
    );
    assert_eq!(run.cause(), Some("GC101"), "{}", run.stdout);
    assert_eq!(run.code, 1);
    assert_eq!(run.finding("GC201").unwrap()["severity"], "warning");
    assert_eq!(run.finding("GC306").unwrap()["severity"], "warning");
    assert!(run.json["round_trips"].as_u64().unwrap() <= 5);
}

#[test]
fn wrong_host_and_rejected_body_credentials_both_needed_the_host_leads() {
    let sim = Sim::builtin_with("healthy", "body_credentials = \"rejected\"");
    let run = diagnose_curl(
        &sim,
        &body_creds(
            "https://api.mypurecloud.ie/oauth/token",
            "&scope=conversation:read",
        ),
        &[],
    );
    assert_eq!(run.cause(), Some("GC101"), "{}", run.stdout);
    let body = run.finding("GC201").expect("GC201 finding");
    assert_eq!(body["severity"], "error", "{}", run.stdout);
    assert_eq!(run.finding("GC306").unwrap()["severity"], "warning");
    assert!(run.requests_sent() <= 30);
    assert!(run.json["round_trips"].as_u64().unwrap() <= 5);
}

#[test]
fn wrong_region_in_the_users_url() {
    let sim = Sim::builtin("wrong-region");
    let curl = format!(
        "curl -X POST https://login.mypurecloud.com/oauth/token -u '{MAIN_ID}:{MAIN_SECRET}' -d grant_type=client_credentials\n"
    );
    let run = diagnose_curl(&sim, &curl, &[]);
    assert_eq!(run.cause(), Some("GC103"), "{}", run.stdout);
    assert_eq!(run.json["region"]["configured"], "us-east-1");
    assert_eq!(run.json["region"]["detected"], "eu-west-1");
}

#[test]
fn the_users_request_works_despite_its_defects_is_healthy_with_warnings() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_curl(&sim, &body_creds(EU, "&scope=conversation:read"), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json["verdict"], "healthy");
    assert!(run.finding("GC306").is_some());
}

#[test]
fn other_importers_reach_the_same_cause() {
    let sim = Sim::builtin_with("healthy", "body_credentials = \"rejected\"");
    let dir = tempfile::tempdir().unwrap();
    let http = dir.path().join("req.http");
    std::fs::write(&http, format!("POST /oauth/token HTTP/1.1\r\nHost: login.mypurecloud.ie\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\ngrant_type=client_credentials&client_id={MAIN_ID}&client_secret={MAIN_SECRET}")).unwrap();
    let run = diagnose(&sim, &["--from-http", http.to_str().unwrap()]);
    assert_eq!(run.cause(), Some("GC201"), "{}", run.stdout);

    let py = dir.path().join("token.py");
    std::fs::write(&py, format!("import requests\n\nresp = requests.post(\n    \"{EU}\",\n    data={{\"grant_type\": \"client_credentials\", \"client_id\": \"{MAIN_ID}\", \"client_secret\": \"{MAIN_SECRET}\"}},\n)\nprint(resp.json())\n")).unwrap();
    let run = diagnose(&sim, &["--from-python", py.to_str().unwrap()]);
    assert_eq!(run.cause(), Some("GC201"), "{}", run.stdout);
    assert_eq!(run.json["cause"]["line"], 5, "{}", run.stdout);
}

#[test]
fn wrong_region_and_body_credentials_in_the_users_request() {
    let sim = Sim::builtin("wrong-region");
    let run = diagnose_curl(
        &sim,
        &body_creds("https://login.mypurecloud.com/oauth/token", ""),
        &[],
    );
    assert_eq!(run.cause(), Some("GC103"), "{}", run.stdout);
    assert_eq!(
        run.finding_ids().iter().filter(|i| *i == "GC103").count(),
        1,
        "{}",
        run.stdout
    );
    assert_eq!(run.finding("GC201").unwrap()["severity"], "warning");
    assert!(run.json["round_trips"].as_u64().unwrap() <= 5);
}
