//! A wrong scheme in the Authorization header (issue 14, "a wrong scheme" among the manglings):
//! the credentials the author meant are still in the header, so gcdoctor reads them as meant,
//! the canonical request with them gets a token and GC202 is proved. The secret never shows.

mod common;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;

const EU: &str = "https://login.mypurecloud.ie/oauth/token";

fn curl_with(header: &str) -> String {
    format!(
        "curl -X POST {EU} -H 'Authorization: {header}' -H 'Content-Type: application/x-www-form-urlencoded' -d grant_type=client_credentials\n"
    )
}

fn run(sim: &Sim, text: &str, env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("token.sh");
    std::fs::write(&p, text).unwrap();
    diagnose_with(sim, &["--from-curl", p.to_str().unwrap()], env, None)
}

#[test]
fn basic_with_a_colon_or_no_scheme_at_all_is_gc202_proved_with_the_encoded_credentials() {
    let sim = Sim::builtin("healthy");
    let b64 = STANDARD.encode(format!("{MAIN_ID}:{MAIN_SECRET}"));
    for (header, why) in [
        (format!("Basic: {b64}"), "the scheme is `Basic:`"),
        (b64.clone(), "no scheme"),
        (format!("Bearer {b64}"), "`Bearer`"),
    ] {
        let run = run(&sim, &curl_with(&header), &[]);
        assert_eq!(run.code, 1, "{header}: {}{}", run.stdout, run.stderr);
        assert_eq!(run.cause(), Some("GC202"), "{}", run.stdout);
        let f = run.finding("GC202").unwrap();
        assert_eq!(f["proven"], true, "{f}");
        assert!(f["summary"].as_str().unwrap().contains(why), "{f}");
        assert!(!run.stdout.contains("<redacted>:"), "{}", run.stdout);
        assert_no_leak(&run, &[MAIN_SECRET, &b64]);
    }
}

/// `Authorization: Bearer SECRET`: the secret is in the request, the id is not. Without an id
/// the run stops and says why; with `--client-id` the secret as meant proves GC202.
#[test]
fn a_secret_sent_as_a_bearer_token_is_read_as_the_secret() {
    let sim = Sim::builtin("healthy");
    let text = curl_with(&format!("Bearer {MAIN_SECRET}"));
    let run1 = run(&sim, &text, &[("RUST_BACKTRACE", "0")]);
    assert_eq!(run1.code, 2, "{}{}", run1.stdout, run1.stderr);
    assert!(run1.stderr.contains("no client id"), "{}", run1.stderr);
    assert!(
        run1.stderr.contains("as `Authorization: Bearer …`"),
        "{}",
        run1.stderr
    );
    assert_no_leak(&run1, &[MAIN_SECRET]);

    let run2 = run(&sim, &text, &[("GENESYSCLOUD_OAUTHCLIENT_ID", MAIN_ID)]);
    assert_eq!(run2.cause(), Some("GC202"), "{}", run2.stdout);
    assert_eq!(run2.finding("GC202").unwrap()["proven"], true);
    assert_no_leak(&run2, &[MAIN_SECRET]);
}
