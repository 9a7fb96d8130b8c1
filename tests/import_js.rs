//! `--from-js`: Node.js scripts using the official SDK (`purecloud-platform-client-v2`),
//! axios and fetch.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gcdoctor::import::{self, Which};
use gcdoctor::region;
use gcdoctor::request::{
    CredLocation, FORM, ImportedRequest, InputKind, Part, SdkHost, SdkKind, ValueOrigin,
};

const ID: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";
const SECRET: &str = "k7Qp-2xZ_9vLmN4sT8wYbR1cE6fH3jU5oI0aD-gKl";
const PLUS_SECRET: &str = "Zk8+q2Lw/9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui=Q";

fn no_env(_: &str) -> Option<String> {
    None
}

fn env(name: &str) -> Option<String> {
    match name {
        "GENESYS_CLIENT_ID" | "GC_ID" => Some(ID.into()),
        "GENESYS_CLIENT_SECRET" | "GC_SECRET" => Some(SECRET.into()),
        _ => None,
    }
}

fn path(name: &str) -> String {
    format!("{}/tests/fixtures/js/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn load(name: &str, env: &dyn Fn(&str) -> Option<String>) -> ImportedRequest {
    import::load(&path(name), None, env).unwrap_or_else(|e| panic!("{e}"))
}

fn js(text: &str) -> ImportedRequest {
    js_env(text, &no_env)
}

fn js_env(text: &str, env: &dyn Fn(&str) -> Option<String>) -> ImportedRequest {
    import::parse(text, InputKind::Js, "script.js", env).unwrap_or_else(|e| panic!("{e}"))
}

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

// --- The official SDK ---------------------------------------------------------------------

#[test]
fn sdk_region_constant_and_env_credentials() {
    let imp = load("sdk_wrong_region.js", &env);
    assert_eq!(imp.kind, InputKind::Js, "detected by extension");
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "https://login.mypurecloud.com/oauth/token");
    assert_eq!(r.header("authorization"), Some(basic(ID, SECRET).as_str()));
    assert_eq!(r.header("content-type"), Some(FORM));
    assert_eq!(r.body, b"grant_type=client_credentials");
    let id = imp.client_id.as_ref().unwrap();
    assert_eq!(id.origin, ValueOrigin::Env("GENESYS_CLIENT_ID".into()));
    assert_eq!(id.location, CredLocation::BasicHeader);
    assert_eq!(id.line, Some(7));
    assert_eq!(imp.client_secret.as_ref().unwrap().line, Some(8));
    assert_eq!(
        import::credential_expr(&imp, Which::Secret).as_deref(),
        Some("clientSecret")
    );
    let sdk = imp.sdk.as_ref().expect("an SDK script");
    assert_eq!(sdk.kind, SdkKind::JavaScript);
    assert_eq!(sdk.host, SdkHost::SetEnvironment);
    assert_eq!(sdk.target, "client.setEnvironment");
    assert_eq!(sdk.expr, "platformClient.PureCloudRegionHosts.us_east_1");
    assert_eq!(sdk.line, Some(5));
    assert_eq!(sdk.regions, "platformClient.PureCloudRegionHosts");
    assert_eq!(imp.line_of(&Part::Url), Some(5));
    assert_eq!(imp.line_of(&Part::Call), Some(11));
    let eu = region::by_key("eu-west-1").unwrap();
    assert_eq!(
        sdk.fix(Some(eu)),
        "Call `client.setEnvironment(platformClient.PureCloudRegionHosts.eu_west_1)` (line 5): the JavaScript SDK (purecloud-platform-client-v2) then posts to https://login.mypurecloud.ie/oauth/token."
    );
}

#[test]
fn sdk_unset_env_credentials_are_named() {
    let imp = load("sdk_wrong_region.js", &no_env);
    let s = imp.client_secret.as_ref().unwrap();
    assert_eq!(
        s.origin,
        ValueOrigin::EnvUnset("GENESYS_CLIENT_SECRET".into())
    );
    assert!(
        imp.unresolved
            .iter()
            .any(|u| u.what == "client_secret" && u.expr == "process.env.GENESYS_CLIENT_SECRET"),
        "{:?}",
        imp.unresolved
    );
}

#[test]
fn sdk_set_environment_is_normalised_the_sdks_way() {
    // ESM default import, destructured env with a default URL: https://, api. and / stripped.
    let imp = load("sdk_esm_string_env.mjs", &env);
    assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(
        imp.client_id.as_ref().unwrap().origin,
        ValueOrigin::Env("GC_ID".into())
    );
    assert_eq!(imp.client_id.as_ref().unwrap().line, Some(3));
    let sdk = imp.sdk.as_ref().unwrap();
    assert_eq!(sdk.target, "client.setEnvironment");
    assert_eq!(sdk.expr, "GC_ENV");
    assert_eq!(sdk.line, Some(7));
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("GC_ENV is not set here")),
        "{:?}",
        imp.notes
    );

    let imp = js(
        "const pc = require('purecloud-platform-client-v2');\nconst c = pc.ApiClient.instance;\nc.setEnvironment('mypurecloud.com.au/');\nc.loginClientCredentialsGrant('a', 'b');\n",
    );
    assert_eq!(
        imp.request.url,
        "https://login.mypurecloud.com.au/oauth/token"
    );
    assert_eq!(imp.sdk.as_ref().unwrap().regions, "pc.PureCloudRegionHosts");
}

#[test]
fn sdk_without_set_environment_uses_mypurecloud_com() {
    let imp = load("sdk_default_env.js", &env);
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    let sdk = imp.sdk.as_ref().unwrap();
    assert_eq!(sdk.host, SdkHost::Default);
    assert_eq!(sdk.target, "client.setEnvironment");
    assert_eq!(sdk.regions, "PureCloudRegionHosts", "the destructured name");
    assert_eq!(sdk.line, Some(4));
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("never calls setEnvironment"))
    );
    assert_eq!(imp.client_id.as_ref().unwrap().value, ID);
    let de = region::by_key("eu-central-1").unwrap();
    assert!(
        sdk.fix(Some(de)).starts_with(
            "Call `client.setEnvironment(PureCloudRegionHosts.eu_central_1)` before logging in (line 4)"
        ),
        "{}",
        sdk.fix(Some(de))
    );
}

#[test]
fn an_unknown_region_key_is_not_guessed() {
    let imp = js(
        "const pc = require('purecloud-platform-client-v2');\nconst c = pc.ApiClient.instance;\nc.setEnvironment(pc.PureCloudRegionHosts.eu_west_9);\nc.loginClientCredentialsGrant('a', 'b');\n",
    );
    assert!(
        imp.unresolved.iter().any(|u| u.what == import::WHAT_URL),
        "{:?}",
        imp.unresolved
    );
}

// --- axios ----------------------------------------------------------------------------------

#[test]
fn axios_url_search_params_and_auth_is_the_canonical_request() {
    let imp = load("axios_canonical.js", &env);
    assert!(imp.sdk.is_none());
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(r.body, b"grant_type=client_credentials");
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded;charset=utf-8")
    );
    assert_eq!(r.header("authorization"), Some(basic(ID, SECRET).as_str()));
    // Followed through the parameters to the call site.
    let s = imp.client_secret.as_ref().unwrap();
    assert_eq!(s.origin, ValueOrigin::Env("GC_SECRET".into()));
    assert_eq!(s.location, CredLocation::BasicHeader);
    assert_eq!(imp.line_of(&Part::Call), Some(8));
    assert_eq!(imp.line_of(&Part::Url), Some(3));
    assert!(imp.notes.iter().any(|n| n.contains("sent with axios")));
}

#[test]
fn axios_config_object_sends_json() {
    let imp = load("axios_config_json.js", &no_env);
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "https://api.mypurecloud.com/oauth/token");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.body_text(),
        r#"{"grant_type":"client_credentials","client_id":"YOUR_CLIENT_ID","client_secret":"YOUR_CLIENT_SECRET"}"#
    );
    let s = imp.client_secret.as_ref().unwrap();
    assert_eq!(s.location, CredLocation::JsonField("client_secret".into()));
    assert_eq!(s.value, "YOUR_CLIENT_SECRET");
    assert_eq!(imp.line_of(&Part::Url), Some(5));
    assert_eq!(imp.line_of(&Part::Method), Some(4));
}

#[test]
fn axios_string_body_is_sent_as_written() {
    let imp = load("axios_string_plus.js", &no_env);
    let r = &imp.request;
    assert_eq!(
        r.body_text(),
        format!("grant_type=client_credentials&client_id={ID}&client_secret={PLUS_SECRET}")
    );
    assert_eq!(
        r.header("content-type"),
        Some(FORM),
        "axios adds it to a POST"
    );
    let s = imp.client_secret.as_ref().unwrap();
    assert_eq!(s.value, PLUS_SECRET);
    assert_eq!(s.line, Some(4));
    assert_eq!(s.location, CredLocation::BodyParam("client_secret".into()));
}

#[test]
fn axios_instance_defaults_apply() {
    let imp = load("axios_instance.js", &env);
    let r = &imp.request;
    assert_eq!(r.url, "https://api.mypurecloud.com.au/oauth/token");
    assert_eq!(r.header("content-type"), Some(FORM));
    assert_eq!(r.header("authorization"), Some(basic(ID, SECRET).as_str()));
}

#[test]
fn axios_object_with_a_form_content_type_is_form_encoded() {
    let imp = js(&format!(
        "const axios = require('axios');\naxios.post('https://login.mypurecloud.com/oauth/token', {{ grant_type: 'client_credentials', client_secret: '{PLUS_SECRET}' }}, {{ headers: {{ 'content-type': 'application/x-www-form-urlencoded' }} }});\n"
    ));
    assert_eq!(
        imp.request.body_text(),
        "grant_type=client_credentials&client_secret=Zk8%2Bq2Lw%2F9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui%3DQ"
    );
    assert_eq!(imp.client_secret.as_ref().unwrap().value, PLUS_SECRET);
}

// --- fetch ----------------------------------------------------------------------------------

#[test]
fn fetch_string_body_is_text_plain_and_the_basic_header_is_traced() {
    let imp = load("fetch_string_body.js", &env);
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "https://login.mypurecloud.de/oauth/token");
    assert_eq!(
        r.header("content-type"),
        Some("text/plain;charset=UTF-8"),
        "fetch's default for a string body"
    );
    assert_eq!(r.header("authorization"), Some(basic(ID, SECRET).as_str()));
    let id = imp.client_id.as_ref().unwrap();
    assert_eq!(id.origin, ValueOrigin::Env("GC_ID".into()));
    assert_eq!(id.line, Some(1));
    assert!(imp.notes.iter().any(|n| n.contains("sent with fetch")));

    let imp = load("fetch_string_body.js", &no_env);
    assert!(
        imp.unresolved.iter().any(|u| u.what == "client_secret"
            && u.expr == "process.env.GC_SECRET"
            && u.line == Some(2)),
        "{:?}",
        imp.unresolved
    );
}

#[test]
fn fetch_json_stringify_body() {
    let imp = load("fetch_json_stringify.js", &env);
    let r = &imp.request;
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.body_text(),
        format!(
            r#"{{"grant_type":"client_credentials","client_id":"{ID}","client_secret":"{SECRET}"}}"#
        )
    );
    assert_eq!(
        imp.client_secret.as_ref().unwrap().origin,
        ValueOrigin::Env("GC_SECRET".into())
    );
}

#[test]
fn fetch_defaults_to_get_and_a_plain_object_body_is_object_object() {
    let imp = js(
        "fetch('https://login.mypurecloud.com/oauth/token', { body: { grant_type: 'client_credentials' } });\n",
    );
    assert_eq!(imp.request.method, "GET");
    assert_eq!(imp.request.body_text(), "[object Object]");
    assert!(imp.notes.iter().any(|n| n.contains("[object Object]")));
}

// --- what cannot be known, and what is not JavaScript ----------------------------------------

#[test]
fn unresolved_values_are_named_with_lines() {
    let imp = load("unresolved.js", &env);
    assert_eq!(imp.request.url, "https://login.{region}/oauth/token");
    let names: Vec<(&str, &str, Option<usize>)> = imp
        .unresolved
        .iter()
        .map(|u| (u.what.as_str(), u.expr.as_str(), u.line))
        .collect();
    assert!(
        names.contains(&(import::WHAT_URL, "region", Some(6))),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|(w, e, _)| *w == "client_secret" && e.contains("getSecret")),
        "{names:?}"
    );
    assert_eq!(
        imp.client_id.as_ref().unwrap().origin,
        ValueOrigin::Env("GC_ID".into())
    );
}

#[test]
fn syntax_errors_have_a_line_and_column() {
    let e = import::load(&path("syntax_error.js"), None, &no_env).unwrap_err();
    assert!(e.message.starts_with("JavaScript syntax error"), "{e}");
    assert!(e.line.is_some() && e.column.is_some(), "{e:?}");
    let e = import::parse(
        "const x: string = 'a';\n",
        InputKind::Js,
        "token.ts",
        &no_env,
    )
    .unwrap_err();
    assert!(e.message.contains("TypeScript"), "{e}");
    let e = import::parse("console.log('hi');\n", InputKind::Js, "a.js", &no_env).unwrap_err();
    assert!(e.message.starts_with("no token request found"), "{e}");
}

#[test]
fn several_token_requests_are_named() {
    let imp = js(
        "const axios = require('axios');\naxios.post('https://login.mypurecloud.com/oauth/token', 'grant_type=client_credentials');\naxios.post('https://login.mypurecloud.ie/oauth/token', 'grant_type=client_credentials');\n",
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    assert!(
        imp.notes.iter().any(|n| n.contains("lines 2, 3")),
        "{:?}",
        imp.notes
    );
}

#[test]
fn comments_and_template_strings_do_not_confuse_it() {
    let imp = js_env(
        "// axios.post('https://evil.example/oauth/token')\nconst axios = require('axios');\nconst host = 'login.mypurecloud.jp';\n/* fetch('x') */\naxios({ method: 'POST', url: `https://${host}/oauth/token`, data: 'grant_type=client_credentials', auth: { username: process.env.GC_ID, password: process.env.GC_SECRET } });\n",
        &env,
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.jp/oauth/token");
    assert_eq!(imp.request.method, "POST");
    assert_eq!(
        imp.request.header("authorization"),
        Some(basic(ID, SECRET).as_str())
    );
}
