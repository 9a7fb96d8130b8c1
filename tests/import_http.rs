//! `--from-http`: raw HTTP requests as pasted.

use gcdoctor::import;
use gcdoctor::request::{CredLocation, ImportedRequest, InputKind, Part, ValueOrigin};

const ID: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";
const SECRET: &str = "k7Qp-2xZ_9vLmN4sT8wYbR1cE6fH3jU5oI0aD-gKl";

fn no_env(_: &str) -> Option<String> {
    None
}

fn http(text: &str) -> ImportedRequest {
    import::parse(text, InputKind::Http, "req.http", &no_env).unwrap_or_else(|e| panic!("{e}"))
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/http/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn origin_form_with_host_crlf_and_content_length() {
    let imp = http(&fixture("canonical_crlf.http"));
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(r.body, b"grant_type=client_credentials");
    assert_eq!(r.headers.len(), 4);
    assert_eq!(r.headers[0], ("Host".into(), "login.mypurecloud.ie".into()));
    let id = imp.client_id.unwrap();
    assert_eq!(id.value, ID);
    assert_eq!(id.location, CredLocation::BasicHeader);
    assert_eq!(id.origin, ValueOrigin::Literal);
    assert_eq!(id.line, Some(3));
    assert_eq!(imp.client_secret.unwrap().value, SECRET);
    assert_eq!(imp.lines.get(&Part::Url), Some(&1));
    assert_eq!(
        imp.lines.get(&Part::Header("content-length".into())),
        Some(&5)
    );
    assert_eq!(imp.lines.get(&Part::Body), Some(&7));
}

#[test]
fn content_length_excludes_trailing_noise() {
    let text = fixture("canonical_crlf.http") + "\r\n\r\n";
    assert_eq!(http(&text).request.body, b"grant_type=client_credentials");
}

#[test]
fn absolute_form_without_length_and_lf_line_endings() {
    let imp = http(&fixture("no_length_lf.http"));
    let r = &imp.request;
    assert_eq!(r.url, "https://login.mypurecloud.com/oauth/token");
    assert_eq!(
        r.body_text(),
        format!(
            "grant_type=client_credentials&client_id={ID}&client_secret=Zk8+q2Lw/9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui=Q"
        ),
        "the trailing newline is paste noise"
    );
    let s = imp.client_secret.unwrap();
    assert_eq!(s.value, "Zk8+q2Lw/9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui=Q");
    assert_eq!(s.location, CredLocation::BodyParam("client_secret".into()));
    assert_eq!(s.line, Some(7));
    assert_eq!(
        imp.lines.get(&Part::Method),
        Some(&3),
        "leading blank lines are skipped"
    );
}

#[test]
fn folded_headers_and_json_body() {
    let imp = http(&fixture("folded_json.http"));
    let r = &imp.request;
    assert_eq!(r.header("x-note"), Some("first part continued here"));
    assert_eq!(r.url, "https://login.mypurecloud.de/oauth/token");
    assert_eq!(
        r.body_text(),
        "{\n  \"grant_type\": \"client_credentials\"\n}"
    );
    assert_eq!(imp.lines.get(&Part::Param("grant_type".into())), Some(&9));
    assert_eq!(imp.client_secret.unwrap().value, SECRET);
}

#[test]
fn json_credentials_are_json_fields() {
    let imp = http(&format!(
        "POST /oauth/token HTTP/1.1\nHost: login.mypurecloud.com\nContent-Type: application/json\n\n{{\"grant_type\":\"client_credentials\",\"client_id\":\"{ID}\",\n\"client_secret\":\"{SECRET}\"}}\n"
    ));
    let s = imp.client_secret.unwrap();
    assert_eq!(s.location, CredLocation::JsonField("client_secret".into()));
    assert_eq!(s.value, SECRET);
    assert_eq!(s.line, Some(6));
}

#[test]
fn devtools_http2_pseudo_headers() {
    let imp = http(&fixture("devtools_h2.http"));
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "https://login.mypurecloud.com.au/oauth/token");
    assert!(r.headers.iter().all(|(n, _)| !n.starts_with(':')));
    assert_eq!(r.body, b"grant_type=client_credentials");
    assert_eq!(imp.client_id.unwrap().value, ID);
}

#[test]
fn query_credentials() {
    let imp = http(&format!(
        "POST /oauth/token?grant_type=client_credentials&client_id={ID}&client_secret=a%2Bb HTTP/1.1\r\nHost: login.mypurecloud.com\r\n\r\n"
    ));
    let s = imp.client_secret.unwrap();
    assert_eq!(s.location, CredLocation::QueryParam("client_secret".into()));
    assert_eq!(s.value, "a+b");
    assert!(imp.request.body.is_empty());
}

#[test]
fn port_80_host_means_http() {
    let imp = http(
        "POST /oauth/token HTTP/1.1\nHost: login.mypurecloud.com:80\n\ngrant_type=client_credentials",
    );
    assert_eq!(
        imp.request.url,
        "http://login.mypurecloud.com:80/oauth/token"
    );
}

#[test]
fn a_short_body_is_noted() {
    let imp = http(
        "POST /oauth/token HTTP/1.1\nHost: h\nContent-Length: 100\n\ngrant_type=client_credentials\n",
    );
    assert_eq!(imp.request.body, b"grant_type=client_credentials");
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("Content-Length says 100")),
        "{:?}",
        imp.notes
    );
}

#[test]
fn errors_name_the_line_and_what_is_wrong() {
    let e = import::parse("hello there\n", InputKind::Http, "req.http", &no_env).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("req.http:1:1: not a raw HTTP request"),
        "{e}"
    );
    let e = import::parse(
        "POST /oauth/token HTTP/1.1\nContent-Type: x\n\nbody",
        InputKind::Http,
        "req.http",
        &no_env,
    )
    .unwrap_err();
    assert!(e.message.contains("no Host header"), "{e}");
    let e = import::parse(
        "POST /oauth/token HTTP/1.1\nHost: x\ngrant_type=client_credentials\n",
        InputKind::Http,
        "req.http",
        &no_env,
    )
    .unwrap_err();
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("blank line"), "{e}");
    let e = import::parse("\n\n", InputKind::Http, "req.http", &no_env).unwrap_err();
    assert!(e.message.contains("empty"), "{e}");
}
