//! Postman collection v2.1 exports: every defect a collection can express, found by `lint`
//! on the line of the collection that holds it, `{{variables}}` from the collection and from
//! an environment export, and no secret of the collection in any output.

use assert_cmd::Command;
use gcdoctor::finding::Severity;
use gcdoctor::import;
use gcdoctor::linter::lint;
use gcdoctor::report::{self, Report};
use gcdoctor::request::{CredLocation, ImportedRequest, InputKind};
use std::collections::BTreeSet;

const ID: &str = "7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61";
const SECRET: &str = "s8B8Dq65NERzuWc78TLlI8IipDKO-u2TO9G6kAj3FJE";
const ENV: &str = "postman/genesys-ie.postman_environment.json";

fn path(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn collection(name: &str) -> String {
    path(&format!("postman/{name}.postman_collection.json"))
}

fn load(name: &str, env: Option<&str>) -> ImportedRequest {
    let env = env.map(path);
    import::load_with(&collection(name), None, env.as_deref(), &|_| None)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The 1-based line of the first line of the fixture that contains `needle`.
fn line_with(name: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(collection(name)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle} not in {name}"))
}

fn defects(r: &Report) -> BTreeSet<&'static str> {
    r.findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| f.cause.code())
        .collect()
}

fn line_of(r: &Report, code: &str) -> Option<usize> {
    r.findings
        .iter()
        .find(|f| f.cause.code() == code)
        .and_then(|f| f.line)
}

fn set(codes: &[&'static str]) -> BTreeSet<&'static str> {
    codes.iter().copied().collect()
}

#[test]
fn the_clean_collection_is_clean_and_its_secret_comes_from_the_variable_line() {
    let imp = load("clean", None);
    assert_eq!(imp.kind, InputKind::Postman);
    let r = lint(&imp);
    assert_eq!(defects(&r), set(&[]), "{:?}", r.findings);
    assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(imp.request.body_text(), "grant_type=client_credentials");
    let secret = imp.client_secret.as_ref().unwrap();
    assert_eq!(secret.value, SECRET);
    assert_eq!(secret.location, CredLocation::BasicHeader);
    // The value behind {{client_secret}}: the line of its definition in `variable`.
    assert_eq!(
        secret.line,
        Some(line_with("clean", &format!("\"value\": \"{SECRET}\"")))
    );
    assert_eq!(imp.client_id.as_ref().unwrap().value, ID);
}

#[test]
fn a_json_body_is_gc301_on_the_raw_line() {
    let r = lint(&load("json_body", None));
    assert_eq!(defects(&r), set(&["GC301", "GC201"]), "{:?}", r.findings);
    assert_eq!(
        line_of(&r, "GC301"),
        Some(line_with("json_body", "\"raw\":"))
    );
}

#[test]
fn a_form_written_as_raw_text_is_sent_as_text_plain() {
    let r = lint(&load("text_body", None));
    assert_eq!(defects(&r), set(&["GC302"]), "{:?}", r.findings);
    assert_eq!(
        line_of(&r, "GC302"),
        Some(line_with("text_body", "\"mode\": \"raw\""))
    );
}

#[test]
fn form_data_and_an_undefined_variable() {
    let imp = load("formdata_unresolved", None);
    let r = lint(&imp);
    assert_eq!(defects(&r), set(&["GC302", "GC201"]), "{:?}", r.findings);
    let u = imp
        .unresolved
        .iter()
        .find(|u| u.what == import::WHAT_SECRET)
        .expect("client_secret unresolved");
    assert_eq!(u.expr, "{{client_secret}}");
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("{{client_secret}}") && n.contains("--postman-env")),
        "{:?}",
        imp.notes
    );
}

#[test]
fn the_forum_url_in_a_folder_is_gc101_and_the_other_token_request_is_named() {
    let imp = load("wrong_host", None);
    let r = lint(&imp);
    assert_eq!(defects(&r), set(&["GC101"]), "{:?}", r.findings);
    assert_eq!(
        line_of(&r, "GC101"),
        Some(line_with(
            "wrong_host",
            "api.mypurecloud.ie/api/v2/oauth/token\","
        ))
    );
    // The folder's Basic auth is inherited.
    assert_eq!(imp.client_secret.as_ref().unwrap().value, SECRET);
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("\"Auth / Token (forum)\"")),
        "{:?}",
        imp.notes
    );
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("2 token requests") && n.contains("\"Auth / Token (login host)\"")),
        "{:?}",
        imp.notes
    );
}

#[test]
fn the_oauth2_helper_with_body_credentials_and_a_scope() {
    let imp = load("oauth2_body_scope", None);
    assert_eq!(imp.request.method, "POST");
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    assert!(imp.request.header("authorization").is_none());
    let r = lint(&imp);
    assert_eq!(defects(&r), set(&["GC201", "GC306"]), "{:?}", r.findings);
    assert_eq!(
        line_of(&r, "GC306"),
        Some(line_with("oauth2_body_scope", "openid users:read"))
    );
    let secret = imp.client_secret.as_ref().unwrap();
    assert_eq!(secret.value, SECRET);
    assert_eq!(
        secret.location,
        CredLocation::BodyParam("client_secret".into())
    );
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("the collection's OAuth 2.0 auth")),
        "{:?}",
        imp.notes
    );
}

#[test]
fn the_oauth2_helper_with_the_password_grant_is_gc303() {
    let imp = load("oauth2_password_grant", None);
    let r = lint(&imp);
    assert_eq!(defects(&r), set(&["GC303"]), "{:?}", r.findings);
    assert_eq!(
        line_of(&r, "GC303"),
        Some(line_with("oauth2_password_grant", "password_credentials"))
    );
    // Header mode: a Basic header from clientId and clientSecret.
    assert_eq!(
        imp.client_secret.as_ref().unwrap().location,
        CredLocation::BasicHeader
    );
}

#[test]
fn variables_from_an_environment_export() {
    let without = load("env_vars", None);
    assert!(!without.unresolved.is_empty());
    assert!(without.client_secret.as_ref().unwrap().value.is_empty());
    let with = load("env_vars", Some(ENV));
    assert!(with.unresolved.is_empty(), "{:?}", with.unresolved);
    assert_eq!(with.request.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(with.client_secret.as_ref().unwrap().value, SECRET);
    // A disabled body parameter is not sent.
    assert_eq!(with.request.body_text(), "grant_type=client_credentials");
    assert_eq!(defects(&lint(&with)), set(&[]));
}

#[test]
fn detection_by_name_and_content() {
    for name in ["clean", "json_body", "oauth2_body_scope"] {
        let text = std::fs::read_to_string(collection(name)).unwrap();
        assert_eq!(
            import::detect(&text, &collection(name)),
            Some(InputKind::Postman)
        );
        assert_eq!(
            import::detect(&text, "export.json"),
            Some(InputKind::Postman),
            "{name}"
        );
        assert_eq!(
            import::detect(&text, "-"),
            Some(InputKind::Postman),
            "{name}"
        );
    }
    let env = std::fs::read_to_string(path(ENV)).unwrap();
    assert_ne!(import::detect(&env, "env.json"), Some(InputKind::Postman));
}

#[test]
fn secret_texts_cover_every_credential_position() {
    for name in [
        "clean",
        "json_body",
        "oauth2_body_scope",
        "wrong_host",
        "text_body",
    ] {
        let text = std::fs::read_to_string(collection(name)).unwrap();
        let texts = import::postman::secret_texts(&text, None);
        assert!(
            texts.iter().any(|t| t == SECRET),
            "{name}: {} texts",
            texts.len()
        );
        assert!(!texts.iter().any(|t| t == ID), "a UUID id is not secret");
    }
    let text = std::fs::read_to_string(collection("env_vars")).unwrap();
    let env = std::fs::read_to_string(path(ENV)).unwrap();
    assert!(
        import::postman::secret_texts(&text, Some(&env))
            .iter()
            .any(|t| t == SECRET)
    );
}

#[test]
fn reading_a_collection_registers_every_secret_text_with_the_process_wide_redactor() {
    // A second request the importer does not read, with a bearer token of its own: the
    // lexical position scan does not read Postman's key/value objects, so the import
    // registers every secret text of the collection itself.
    let other = "Zq9xW2vT7kLp4RmN8sYc";
    let mut c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(collection("clean")).unwrap()).unwrap();
    c["item"].as_array_mut().unwrap().push(serde_json::json!({
        "name": "me",
        "request": {
            "method": "GET",
            "auth": {"type": "bearer", "bearer": [{"key": "token", "value": other}]},
            "url": {"raw": "https://api.mypurecloud.ie/api/v2/users/me"}
        }
    }));
    let text = serde_json::to_string_pretty(&c).unwrap();
    assert!(gcdoctor::secret::global::scrub(other).contains(other));
    import::parse(
        &text,
        InputKind::Postman,
        "c.postman_collection.json",
        &|_| None,
    )
    .unwrap();
    let scrubbed = gcdoctor::secret::global::scrub(&format!("token {other} id {ID}"));
    assert!(!scrubbed.contains(other), "{scrubbed}");
    assert!(
        scrubbed.contains(ID),
        "a UUID id stays readable: {scrubbed}"
    );
}

fn gcdoctor() -> Command {
    let mut c = Command::cargo_bin("gcdoctor").unwrap();
    c.env_remove("RUST_BACKTRACE").env("NO_COLOR", "1");
    c
}

#[test]
fn lint_through_the_binary_points_at_lines_and_never_prints_the_secret() {
    for (name, code, exit) in [
        ("clean", None, 0),
        ("json_body", Some("GC301"), 1),
        ("text_body", Some("GC302"), 1),
        ("wrong_host", Some("GC101"), 1),
        ("oauth2_password_grant", Some("GC303"), 1),
    ] {
        for format in ["text", "json", "markdown", "junit"] {
            let out = gcdoctor()
                .args(["lint", "--format", format, &collection(name)])
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(out.status.code(), Some(exit), "{name} {format}: {stdout}");
            assert!(
                !stdout.contains(SECRET) && !stdout.contains("s8B8Dq65"),
                "{name} {format}"
            );
            if format == "json" {
                let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                if let Some(code) = code {
                    assert_eq!(v["cause"]["id"], code, "{name}");
                    assert!(v["cause"]["line"].as_u64().is_some(), "{name}: {stdout}");
                }
            }
            if format == "text"
                && let Some(code) = code
            {
                assert!(
                    stdout.contains(&format!("{code} ")) && stdout.contains("(line "),
                    "{stdout}"
                );
            }
        }
    }
    // --kind postman on stdin, and the environment flag.
    let text = std::fs::read_to_string(collection("env_vars")).unwrap();
    let out = gcdoctor()
        .args([
            "lint",
            "--kind",
            "postman",
            "--postman-env",
            &path(ENV),
            "-",
        ])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains(SECRET));
}

#[test]
fn unreadable_collections_and_environments_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.postman_collection.json");
    std::fs::write(&bad, "{\n  \"info\": {\"name\": \"x\"},\n  \"item\": [\n").unwrap();
    let out = gcdoctor()
        .args(["lint", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a Postman collection: invalid JSON"),
        "{err}"
    );

    let none = dir.path().join("none.postman_collection.json");
    std::fs::write(&none, r#"{"info": {"name": "x"}, "item": [{"name": "a", "request": {"method": "GET", "url": "https://example.com/"}}]}"#).unwrap();
    let out = gcdoctor()
        .args(["lint", none.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no token request found"));

    let env = dir.path().join("env.json");
    std::fs::write(
        &env,
        format!("{{\"values\": [{{\"key\": \"s\", \"value\": \"{SECRET}\""),
    )
    .unwrap();
    let out = gcdoctor()
        .args([
            "lint",
            "--postman-env",
            env.to_str().unwrap(),
            &collection("env_vars"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a Postman environment"), "{err}");
    assert!(!err.contains(SECRET), "{err}");
}

#[test]
fn the_report_names_the_request_read() {
    let r = lint(&load("wrong_host", None));
    let json = report::json::render(&r);
    assert!(json.contains("reads the request"), "{json}");
}
