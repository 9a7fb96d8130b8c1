//! `--from-har`: browser and proxy HAR exports.

use gcdoctor::import::{self, WHAT_BODY};
use gcdoctor::request::{CredLocation, ImportedRequest, InputKind, Part};

const ID: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";
const SECRET: &str = "k7Qp-2xZ_9vLmN4sT8wYbR1cE6fH3jU5oI0aD-gKl";

fn no_env(_: &str) -> Option<String> {
    None
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/har/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn har(name: &str) -> ImportedRequest {
    import::parse(&fixture(name), InputKind::Har, name, &no_env).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_last_failed_token_request_is_picked_and_named() {
    let imp = har("session.har");
    let r = &imp.request;
    // Entries #2 (401) and #3 (400) failed, #4 succeeded: #3 is the last failure.
    assert_eq!(r.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.body_text(), r#"{"grant_type":"client_credentials"}"#);
    let note = imp
        .notes
        .iter()
        .find(|n| n.contains("token requests"))
        .expect("a note on the pick");
    assert!(note.contains("3 token requests"), "{note}");
    assert!(note.contains("#3"), "{note}");
    assert!(note.contains("2026-03-02T09:15:03.000Z"), "{note}");
    assert!(note.contains("400"), "{note}");
    assert_eq!(imp.client_id.as_ref().unwrap().value, ID);
    assert_eq!(imp.client_secret.as_ref().unwrap().value, SECRET);
    assert_eq!(
        imp.client_secret.as_ref().unwrap().location,
        CredLocation::BasicHeader
    );
    assert_eq!(imp.lines.get(&Part::Url), Some(&105));
    assert_eq!(imp.lines.get(&Part::Method), Some(&104));
    assert_eq!(
        imp.lines.get(&Part::Header("authorization".into())),
        Some(&110)
    );
    assert_eq!(
        imp.lines.get(&Part::Header("content-type".into())),
        Some(&114)
    );
    assert_eq!(imp.lines.get(&Part::Body), Some(&123));
}

#[test]
fn without_a_failure_the_last_token_request_is_picked() {
    let imp = har("all_ok.har");
    assert_eq!(imp.request.body, b"grant_type=client_credentials");
    assert!(
        imp.notes.iter().all(|n| !n.contains("token requests")),
        "only one token request"
    );
}

#[test]
fn pseudo_headers_are_dropped() {
    let text = fixture("session.har").replace("\"status\": 400", "\"status\": 200");
    let imp = import::parse(&text, InputKind::Har, "s.har", &no_env).unwrap();
    // Now #2 (401) is the last failure; its :authority header is not a real header.
    assert_eq!(imp.request.url, "https://api.mypurecloud.ie/oauth/token");
    assert!(imp.request.headers.iter().all(|(n, _)| !n.starts_with(':')));
    assert_eq!(
        imp.request.body,
        b"grant_type=client_credentials&scope=analytics"
    );
}

#[test]
fn params_instead_of_text() {
    let imp = har("params.har");
    assert_eq!(
        imp.request.body_text(),
        format!(
            "grant_type=client_credentials&client_id={ID}&client_secret=Zk8%2Bq2Lw%2F9xYt7Rv3Bn6"
        )
    );
    let s = imp.client_secret.unwrap();
    assert_eq!(s.value, "Zk8+q2Lw/9xYt7Rv3Bn6");
    assert_eq!(s.location, CredLocation::BodyParam("client_secret".into()));
}

#[test]
fn a_missing_body_and_authorization_are_said() {
    let imp = har("sanitized_no_body.har");
    assert!(
        imp.unresolved.iter().any(|u| u.what == WHAT_BODY),
        "{:?}",
        imp.unresolved
    );
    assert!(
        imp.notes.iter().any(|n| n.contains("no postData")),
        "{:?}",
        imp.notes
    );
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("no Authorization header")),
        "{:?}",
        imp.notes
    );
}

#[test]
fn truncated_file_gives_line_and_column() {
    let e = import::parse(
        &fixture("truncated.har"),
        InputKind::Har,
        "req.har",
        &no_env,
    )
    .unwrap_err();
    assert!(e.line.is_some() && e.column.is_some(), "{e:?}");
    let s = e.to_string();
    assert!(s.starts_with("req.har:"), "{s}");
    assert!(s.contains("is it truncated?"), "{s}");
}

#[test]
fn json_that_is_not_a_har() {
    let e = import::parse("{\"foo\": 1}", InputKind::Har, "req.har", &no_env).unwrap_err();
    assert_eq!(
        e.to_string(),
        "req.har: not a HAR file: no log.entries (is it truncated?)"
    );
    let e = import::parse("{\"foo\": 1,}", InputKind::Har, "req.har", &no_env).unwrap_err();
    assert!(e.to_string().starts_with("req.har:1:"), "{e}");
    assert!(e.message.contains("invalid JSON"), "{e}");
}

#[test]
fn no_token_request_in_the_har() {
    let text = r#"{"log": {"entries": [{"request": {"method": "GET", "url": "https://x/", "headers": []}}]}}"#;
    let e = import::parse(text, InputKind::Har, "req.har", &no_env).unwrap_err();
    assert!(e.message.starts_with("no token request found"), "{e}");
}

#[test]
fn query_string_is_used_when_the_url_has_none() {
    let text = r#"{"log": {"entries": [{"request": {"method": "POST", "url": "https://login.mypurecloud.com/oauth/token", "headers": [], "queryString": [{"name": "grant_type", "value": "client_credentials"}]}}]}}"#;
    let imp = import::parse(text, InputKind::Har, "q.har", &no_env).unwrap();
    assert_eq!(
        imp.request.url,
        "https://login.mypurecloud.com/oauth/token?grant_type=client_credentials"
    );
}

#[test]
fn load_detects_har_by_extension_and_content() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("capture.json");
    std::fs::write(&p, fixture("all_ok.har")).unwrap();
    let imp = import::load(p.to_str().unwrap(), None, &no_env).unwrap();
    assert_eq!(imp.kind, InputKind::Har);
}
