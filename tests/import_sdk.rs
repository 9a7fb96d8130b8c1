//! `--from-python` on scripts that log in with the official Python SDK
//! (`PureCloudPlatformClientV2`): the request the SDK really sends, and the setting that
//! chose its host.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gcdoctor::finding::Severity;
use gcdoctor::import::{self, Which};
use gcdoctor::linter::lint;
use gcdoctor::region;
use gcdoctor::request::{
    CredLocation, FORM, ImportedRequest, InputKind, Part, SdkHost, SdkKind, ValueOrigin,
};

const ID: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";
const SECRET: &str = "k7Qp-2xZ_9vLmN4sT8wYbR1cE6fH3jU5oI0aD-gKl";

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
    format!(
        "{}/tests/fixtures/python/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn load(name: &str, env: &dyn Fn(&str) -> Option<String>) -> ImportedRequest {
    import::load(&path(name), None, env).unwrap_or_else(|e| panic!("{e}"))
}

fn py(text: &str) -> ImportedRequest {
    import::parse(text, InputKind::Python, "script.py", &no_env).unwrap_or_else(|e| panic!("{e}"))
}

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

/// Every request the SDK sends has this shape; only the URL and the credentials vary.
fn assert_sdk_shape(imp: &ImportedRequest) {
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(r.header("content-type"), Some(FORM));
    assert_eq!(r.body, b"grant_type=client_credentials");
    assert_eq!(
        r.headers
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>(),
        ["Authorization", "Content-Type"]
    );
}

#[test]
fn region_constant_and_env_credentials() {
    let imp = load("sdk_region_env.py", &env);
    assert_eq!(imp.kind, InputKind::Python);
    assert_sdk_shape(&imp);
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    assert_eq!(
        imp.request.header("authorization"),
        Some(basic(ID, SECRET).as_str())
    );
    let id = imp.client_id.as_ref().unwrap();
    assert_eq!(id.origin, ValueOrigin::Env("GENESYS_CLIENT_ID".into()));
    assert_eq!(id.location, CredLocation::BasicHeader);
    assert_eq!(id.line, Some(6));
    let secret = imp.client_secret.as_ref().unwrap();
    assert_eq!(
        secret.origin,
        ValueOrigin::Env("GENESYS_CLIENT_SECRET".into())
    );
    assert_eq!(secret.line, Some(7));
    assert_eq!(
        import::credential_expr(&imp, Which::Secret).as_deref(),
        Some("CLIENT_SECRET")
    );
    let sdk = imp.sdk.as_ref().expect("an SDK script");
    assert_eq!(sdk.kind, SdkKind::Python);
    assert_eq!(sdk.host, SdkHost::ConfigurationHost);
    assert_eq!(sdk.target, "PureCloudPlatformClientV2.configuration.host");
    assert_eq!(sdk.expr, "region.get_api_host()");
    assert_eq!(sdk.line, Some(10));
    assert_eq!(sdk.regions, "PureCloudRegionHosts");
    assert_eq!(imp.line_of(&Part::Call), Some(12));
    assert!(imp.unresolved.is_empty(), "{:?}", imp.unresolved);

    let eu = region::by_key("eu-west-1").unwrap();
    assert_eq!(
        sdk.fix(Some(eu)),
        "Set `PureCloudPlatformClientV2.configuration.host = PureCloudRegionHosts.eu_west_1.get_api_host()` (line 10): the Python SDK (PureCloudPlatformClientV2) then posts to https://login.mypurecloud.ie/oauth/token."
    );
}

#[test]
fn unset_env_credentials_are_named_with_their_lines() {
    let imp = load("sdk_region_env.py", &no_env);
    let s = imp.client_secret.as_ref().unwrap();
    assert_eq!(
        s.origin,
        ValueOrigin::EnvUnset("GENESYS_CLIENT_SECRET".into())
    );
    assert!(
        imp.unresolved
            .iter()
            .any(|u| u.what == "client_secret" && u.line == Some(7)),
        "{:?}",
        imp.unresolved
    );
    // The host does not depend on them.
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
}

#[test]
fn no_host_means_the_sdk_default_us_east_1() {
    let imp = load("sdk_default_host.py", &env);
    assert_sdk_shape(&imp);
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    let sdk = imp.sdk.as_ref().unwrap();
    assert_eq!(sdk.host, SdkHost::Default);
    assert_eq!(sdk.target, "gc.configuration.host", "the script's alias");
    assert_eq!(sdk.regions, "gc.PureCloudRegionHosts");
    assert_eq!(sdk.line, Some(5), "where the ApiClient is created");
    assert!(
        imp.notes.iter().any(|n| n.contains("sets no host")),
        "{:?}",
        imp.notes
    );
    assert_eq!(
        imp.client_id.as_ref().unwrap().origin,
        ValueOrigin::Env("GENESYS_CLIENT_ID".into())
    );
    let au = region::by_key("ap-southeast-2").unwrap();
    assert!(
        sdk.fix(Some(au)).starts_with(
            "Set `gc.configuration.host = gc.PureCloudRegionHosts.ap_southeast_2.get_api_host()` before the ApiClient is created (line 5)"
        ),
        "{}",
        sdk.fix(Some(au))
    );
}

#[test]
fn a_host_without_api_is_used_unchanged() {
    let imp = load("sdk_host_without_api.py", &no_env);
    assert_sdk_shape(&imp);
    assert_eq!(imp.request.url, "https://mypurecloud.com/oauth/token");
    let sdk = imp.sdk.as_ref().unwrap();
    assert_eq!(sdk.host, SdkHost::ConfigurationHost);
    assert_eq!(sdk.target, "Configuration().host");
    assert_eq!(sdk.line, Some(7));
    assert_eq!(
        sdk.regions,
        "PureCloudPlatformClientV2.PureCloudRegionHosts"
    );
    assert!(imp.notes.iter().any(|n| n.contains("has no `//api.`")));
    assert_eq!(imp.client_secret.as_ref().unwrap().value, SECRET);
    assert_eq!(imp.client_secret.as_ref().unwrap().line, Some(4));

    // Lint: the normal analysis finds the wrong token URL; the fix names the SDK setting.
    let r = lint(&imp);
    let f = r
        .findings
        .iter()
        .find(|f| f.cause.code() == "GC101")
        .expect("GC101");
    assert_eq!(f.line, Some(7));
    assert!(
        f.fix.contains(
            "`Configuration().host = PureCloudPlatformClientV2.PureCloudRegionHosts.us_east_1.get_api_host()` (line 7)"
        ),
        "{}",
        f.fix
    );
}

#[test]
fn a_host_set_on_the_client_wins_over_the_constructor() {
    let imp = load("sdk_client_host.py", &env);
    assert_sdk_shape(&imp);
    assert_eq!(imp.request.url, "https://login.mypurecloud.de/oauth/token");
    let sdk = imp.sdk.as_ref().unwrap();
    assert_eq!(sdk.host, SdkHost::ClientAttribute);
    assert_eq!(sdk.target, "client.host");
    assert_eq!(sdk.line, Some(12));
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("GENESYS_API_HOST is not set here")),
        "{:?}",
        imp.notes
    );

    // Without the attribute, the constructor's host= is the setting.
    let imp = py(
        "from PureCloudPlatformClientV2.api_client import ApiClient\nc = ApiClient(host='https://api.mypurecloud.ie')\nc.get_client_credentials_token('a', 'b')\n",
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    let sdk = imp.sdk.as_ref().unwrap();
    assert_eq!(sdk.host, SdkHost::ClientArgument);
    assert_eq!(sdk.target, "ApiClient");
    assert_eq!(sdk.expr, "'https://api.mypurecloud.ie'");
    assert_eq!(sdk.line, Some(2));
    let jp = region::by_key("ap-northeast-1").unwrap();
    assert!(
        sdk.fix(Some(jp)).starts_with(
            "Create the client with `ApiClient(host=PureCloudPlatformClientV2.PureCloudRegionHosts.ap_northeast_1.get_api_host())` (line 2)"
        ),
        "{}",
        sdk.fix(Some(jp))
    );
}

#[test]
fn configuration_set_after_the_client_is_created_does_not_reach_it() {
    let imp = load("sdk_late_configuration.py", &env);
    assert_eq!(
        imp.request.url, "https://login.mypurecloud.com/oauth/token",
        "the client was created with the default host"
    );
    let sdk = imp.sdk.as_ref().unwrap();
    assert_eq!(sdk.host, SdkHost::Default);
    assert_eq!(sdk.line, Some(4));
    let notes = imp.notes.join("\n");
    assert!(
        notes.contains("line 5: `api_client.configuration.host` does not set the host"),
        "{notes}"
    );
    assert!(notes.contains("AttributeError"), "{notes}");
    assert!(
        notes.contains("line 6: `PureCloudPlatformClientV2.configuration.host` comes after the ApiClient is created (line 4)"),
        "{notes}"
    );
    assert!(!notes.contains("sets no host"), "{notes}");
}

#[test]
fn a_non_ascii_secret_fails_in_the_python_sdk_before_sending() {
    let imp = load("sdk_non_ascii_secret.py", &no_env);
    assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("encodes `client_id:client_secret` as ASCII")),
        "{:?}",
        imp.notes
    );
    let r = lint(&imp);
    let f = r
        .findings
        .iter()
        .find(|f| f.cause.code() == "GC203")
        .expect("GC203");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.summary
            .contains("the Python SDK encodes the Basic header as ASCII"),
        "{}",
        f.summary
    );
    assert_eq!(f.line, Some(5));
    assert_eq!(r.cause_finding().map(|f| f.cause.code()), Some("GC203"));
}

#[test]
fn an_unknown_domain_is_gc102_with_the_setting_in_the_fix() {
    let imp = load("sdk_unknown_domain.py", &env);
    assert_eq!(
        imp.request.url, "https://login.us.genesys.cloud/oauth/token",
        "the SDK rewrites `//api.` whatever the domain"
    );
    let sdk = imp.sdk.as_ref().unwrap();
    assert_eq!(sdk.target, "genesys.configuration.host");
    assert_eq!(sdk.line, Some(5));
    let r = lint(&imp);
    let f = r
        .findings
        .iter()
        .find(|f| f.cause.code() == "GC102")
        .expect("GC102");
    assert_eq!(f.line, Some(5));
    assert!(
        f.fix.contains("`genesys.configuration.host = genesys.PureCloudRegionHosts.<your_region>.get_api_host()` (line 5)"),
        "{}",
        f.fix
    );
}

#[test]
fn the_chained_readme_form_and_region_value_attribute() {
    let imp = py(
        "import PureCloudPlatformClientV2\nPureCloudPlatformClientV2.configuration.host = PureCloudPlatformClientV2.PureCloudRegionHosts.ap_south_1.value\napiclient = PureCloudPlatformClientV2.api_client.ApiClient().get_client_credentials_token(\"a\", \"b\")\n",
    );
    assert_eq!(imp.request.url, "https://login.aps1.pure.cloud/oauth/token");
    assert_eq!(imp.sdk.as_ref().unwrap().line, Some(2));
}

#[test]
fn a_region_the_python_sdk_lacks_is_not_guessed() {
    let imp = py(
        "import PureCloudPlatformClientV2\nPureCloudPlatformClientV2.configuration.host = PureCloudPlatformClientV2.PureCloudRegionHosts.eusc_de_east_1.get_api_host()\nPureCloudPlatformClientV2.api_client.ApiClient().get_client_credentials_token('a', 'b')\n",
    );
    assert!(
        imp.unresolved.iter().any(|u| u.what == import::WHAT_URL),
        "{:?}",
        imp.unresolved
    );
    // The fix for that region is the host string.
    let sdk = imp.sdk.as_ref().unwrap();
    let eusc = region::by_key("eusc-de-east-1").unwrap();
    assert!(
        sdk.fix(Some(eusc))
            .contains("= \"https://api.edee1.eusc-pure.cloud\"`"),
        "{}",
        sdk.fix(Some(eusc))
    );
}

#[test]
fn a_raw_token_call_wins_over_the_sdk() {
    let imp = py(&format!(
        "import requests\nimport PureCloudPlatformClientV2\nr = requests.post('https://login.mypurecloud.ie/oauth/token', auth=('{ID}', 's'), data={{'grant_type': 'client_credentials'}})\nPureCloudPlatformClientV2.api_client.ApiClient().get_client_credentials_token('a', 'b')\n"
    ));
    assert!(imp.sdk.is_none());
    assert_eq!(imp.line_of(&Part::Call), Some(3));
}

#[test]
fn a_function_of_the_same_name_on_something_else_is_not_the_sdk() {
    let e = import::parse(
        "class Mine:\n    def get_client_credentials_token(self, a, b):\n        pass\nMine().get_client_credentials_token('a', 'b')\n",
        InputKind::Python,
        "script.py",
        &no_env,
    )
    .unwrap_err();
    assert!(e.message.contains("no token request found"), "{e}");
}
