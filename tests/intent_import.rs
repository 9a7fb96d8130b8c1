//! What the author meant, read from their request (issue 14): credentials under a Bearer
//! scheme and credentials in a curl JSON body are found, so the diagnosis names the request's
//! defect instead of stopping at "no client id".

mod common;
use base64::Engine as _;
use common::*;

const EU: &str = "https://login.mypurecloud.ie/oauth/token";

fn curl_file(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("request.sh");
    std::fs::write(&p, text).unwrap();
    let s = p.to_string_lossy().into_owned();
    (dir, s)
}

#[test]
fn bearer_base64_of_id_and_secret_is_gc202_with_the_credentials_recovered() {
    let sim = Sim::builtin("healthy");
    let b = base64::engine::general_purpose::STANDARD.encode(format!("{MAIN_ID}:{MAIN_SECRET}"));
    let (_d, f) = curl_file(&format!(
        "curl -X POST {EU} -H 'Authorization: Bearer {b}' -d grant_type=client_credentials\n"
    ));
    let run = diagnose(&sim, &["--from-curl", &f]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.cause(), Some("GC202"));
    let summary = run.json["cause"]["summary"].as_str().unwrap();
    assert!(summary.contains("Bearer"), "{summary}");
    // Recovered, so redacted everywhere, and the canonical request with them got a token.
    assert!(
        run.json["checks"].to_string().contains("token issued"),
        "{}",
        run.stdout
    );
    assert!(only_login_hosts(&hosts_that_saw(
        &sim.requests(),
        MAIN_SECRET
    )));
    // lint reads the same credentials: the id is shown, the secret masked.
    let out = gcdoctor()
        .args(["lint", "--format", "json", &f])
        .output()
        .unwrap();
    let lint = capture(out, &[MAIN_SECRET]);
    assert!(
        lint.json["inputs"].to_string().contains(MAIN_ID),
        "{}",
        lint.stdout
    );
}

#[test]
fn a_curl_json_body_with_the_credentials_is_read_as_gc301() {
    let sim = Sim::builtin("healthy");
    let (_d, f) = curl_file(&format!(
        "curl -X POST {EU} -H 'Content-Type: application/json' -d '{{\"grant_type\":\"client_credentials\",\"client_id\":\"{MAIN_ID}\",\"client_secret\":\"{MAIN_SECRET}\"}}'\n"
    ));
    let run = diagnose(&sim, &["--from-curl", &f]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("no client id"), "{}", run.stderr);
    assert_eq!(run.cause(), Some("GC301"));

    // With --client-id added, the request keeps its shape: no Basic header is invented, and
    // the body credentials are not blamed (the service took them once the body was a form).
    let run = diagnose(&sim, &["--from-curl", &f, "--client-id", MAIN_ID]);
    assert_eq!(run.cause(), Some("GC301"), "{}", run.stdout);
    let mine = run.json["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["purpose"].as_str().unwrap().starts_with("your request"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    let first = &mine["request"];
    assert!(
        !first["headers"]
            .to_string()
            .to_ascii_lowercase()
            .contains("authorization"),
        "{first}"
    );
    // On the wire the body is the user's, as written (their key order), the id put in place.
    let as_written = format!("{{\"grant_type\":\"client_credentials\",\"client_id\":\"{MAIN_ID}\"");
    assert!(
        sim.requests().iter().any(|r| {
            String::from_utf8_lossy(&r.body).starts_with(&as_written)
                && !r
                    .headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        }),
        "no request with the body as written"
    );
    if let Some(gc201) = run.finding("GC201") {
        assert_eq!(gc201["severity"], "warning", "{gc201}");
        assert!(
            gc201["evidence"]
                .to_string()
                .contains("accepted by the service")
        );
    }
}
