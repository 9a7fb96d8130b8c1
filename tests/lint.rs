//! `gcdoctor lint`: the defects each input really shows, and none of the forum folklore.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gcdoctor::finding::Severity;
use gcdoctor::import;
use gcdoctor::linter::lint;
use gcdoctor::report::{self, CheckStatus, Format, RenderOptions, Report, ReportKind, Verdict};
use gcdoctor::request::InputKind;
use gcdoctor::secret::Redactor;
use std::collections::BTreeSet;

const ID: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";
const SECRET: &str = "k7Qp-2xZ_9vLmN4sT8wYbR1cE6fH3jU5oI0aD-gKl";
const PLUS_SECRET: &str = "Zk8+q2Lw/9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui=Q";

fn no_env(_: &str) -> Option<String> {
    None
}

fn env(name: &str) -> Option<String> {
    match name {
        "GENESYS_CLIENT_ID" | "GC_ID" | "GC_CLIENT_ID" => Some(ID.into()),
        "GENESYS_CLIENT_SECRET" | "GC_SECRET" | "GC_CLIENT_SECRET" => Some(SECRET.into()),
        _ => None,
    }
}

fn path(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn lint_file(rel: &str, env: &dyn Fn(&str) -> Option<String>) -> Report {
    let imp = import::load(&path(rel), None, env).unwrap_or_else(|e| panic!("{e}"));
    lint(&imp)
}

fn lint_text(text: &str, kind: InputKind) -> Report {
    let imp = import::parse(text, kind, "input", &no_env).unwrap_or_else(|e| panic!("{e}"));
    lint(&imp)
}

/// Codes of the error and warning findings.
fn defects(r: &Report) -> BTreeSet<&'static str> {
    r.findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| f.cause.code())
        .collect()
}

fn set(codes: &[&'static str]) -> BTreeSet<&'static str> {
    codes.iter().copied().collect()
}

fn line_of(r: &Report, code: &str) -> Option<usize> {
    r.findings
        .iter()
        .find(|f| f.cause.code() == code)
        .and_then(|f| f.line)
}

fn all_text(r: &Report) -> String {
    report::json::render(r).to_ascii_lowercase()
}

/// Nothing from the forum answers that is not a defect of the request.
fn assert_no_folklore(r: &Report) {
    assert!(
        !defects(r).contains("GC302"),
        "no content-type finding when data= sets it: {:?}",
        r.findings
    );
    let findings: String = r
        .findings
        .iter()
        .map(|f| format!("{} {} {}", f.summary, f.fix, f.evidence.join(" ")))
        .collect::<Vec<_>>()
        .join("\n")
        .to_ascii_lowercase();
    for folk in [
        "charset",
        "timezone",
        "time zone",
        "clock",
        "skew",
        "www-authenticate",
        "must match",
        "match exactly",
        "900 seconds",
        "x-rate-limit",
        "orgname",
        "sdk instead",
        "strictly requires",
    ] {
        assert!(!findings.contains(folk), "folklore `{folk}` in {findings}");
    }
}

// --- The five forum threads, as their askers would paste them ----------------------------

#[test]
fn seed_0_api_host_body_credentials_and_scope() {
    let r = lint_file("seeds/s0_api_host_body_credentials.py", &no_env);
    assert_eq!(defects(&r), set(&["GC101", "GC201", "GC208", "GC306"]));
    assert_eq!(line_of(&r, "GC101"), Some(4), "the line of the URL literal");
    assert_eq!(line_of(&r, "GC201"), Some(9));
    assert_eq!(line_of(&r, "GC306"), Some(10));
    assert_eq!(line_of(&r, "GC208"), Some(8));
    assert_eq!(r.verdict, Verdict::Defects);
    assert_eq!(r.cause_finding().map(|f| f.severity), Some(Severity::Error));
    assert_no_folklore(&r);
}

#[test]
fn seed_1_explicit_content_type_is_not_a_defect() {
    let r = lint_file("seeds/s1_explicit_content_type_scope.py", &no_env);
    assert_eq!(defects(&r), set(&["GC101", "GC201", "GC208", "GC306"]));
    assert_no_folklore(&r);
}

#[test]
fn seed_2_invalid_grant_shows_host_body_and_placeholders() {
    let r = lint_file("seeds/s2_invalid_grant.py", &no_env);
    assert_eq!(defects(&r), set(&["GC101", "GC201", "GC208"]));
    assert!(!all_text(&r).contains("stockholm"));
    assert_no_folklore(&r);
}

#[test]
fn seed_3_org_host_and_api_v2_path() {
    let r = lint_file("seeds/s3_org_host_api_v2_path.py", &no_env);
    assert_eq!(defects(&r), set(&["GC101", "GC102", "GC201", "GC208"]));
    assert_eq!(line_of(&r, "GC102"), Some(5));
    let path = r
        .findings
        .iter()
        .find(|f| f.cause.code() == "GC101" && f.severity == Severity::Error)
        .unwrap();
    assert!(
        path.summary.contains("/api/v2/oauth/token"),
        "{}",
        path.summary
    );
    // The org part is unknown, and said so.
    assert!(
        r.findings
            .iter()
            .any(|f| f.severity == Severity::Info && f.summary.contains("GENESYS_ORG"))
    );
    assert_no_folklore(&r);
}

#[test]
fn seed_4_genesys_cloud_host_as_http_and_curl() {
    let r = lint_file("seeds/s4_us_genesys_cloud.http", &no_env);
    assert_eq!(defects(&r), set(&["GC101", "GC102", "GC201", "GC208"]));
    assert_eq!(line_of(&r, "GC208"), Some(5));
    assert_no_folklore(&r);
    let r = lint_file("seeds/s4_us_genesys_cloud.curl", &no_env);
    assert_eq!(defects(&r), set(&["GC102", "GC201", "GC208"]));
    assert_eq!(line_of(&r, "GC102"), Some(1));
    assert_eq!(line_of(&r, "GC201"), Some(3));
    assert_no_folklore(&r);
}

// --- Clean requests and the report's frame ----------------------------------------------

#[test]
fn a_canonical_request_is_clean() {
    for (rel, env) in [
        (
            "curl/u_flag_env.curl",
            &env as &dyn Fn(&str) -> Option<String>,
        ),
        ("curl/chrome_cmd.txt", &no_env),
        ("http/canonical_crlf.http", &no_env),
        ("python/auth_tuple_env.py", &env),
        ("python/manual_base64.py", &env),
        ("python/multi_function.py", &env),
        ("python/postman_requests.py", &no_env),
        ("har/all_ok.har", &no_env),
    ] {
        let r = lint_file(rel, env);
        assert_eq!(r.verdict, Verdict::Clean, "{rel}: {:?}", r.findings);
        assert_eq!(r.cause, None, "{rel}");
        assert_eq!(r.exit_code(), 0);
    }
}

#[test]
fn report_frame() {
    let r = lint_file("curl/u_flag_env.curl", &env);
    assert_eq!(r.kind, ReportKind::Lint);
    assert_eq!(r.requests_sent, 0);
    assert_eq!(
        r.target.as_deref(),
        Some(path("curl/u_flag_env.curl").as_str())
    );
    assert_eq!(r.region.configured.map(|x| x.key), Some("eu-west-1"));
    let json: serde_json::Value = serde_json::from_str(&report::json::render(&r)).unwrap();
    assert_eq!(json["verdict"], "clean");
    assert_eq!(json["requests_sent"], 0);
    assert!(json["cause"].is_null());
    assert!(
        r.checks.iter().all(|c| c.status == CheckStatus::Pass),
        "{:?}",
        r.checks
    );
}

#[test]
fn json_findings_carry_lines() {
    let r = lint_file("seeds/s0_api_host_body_credentials.py", &no_env);
    let json: serde_json::Value = serde_json::from_str(&report::json::render(&r)).unwrap();
    assert_eq!(json["verdict"], "defects");
    assert_eq!(json["cause"]["id"], "GC101");
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["line"].is_u64())
    );
    let url_check = r.checks.iter().find(|c| c.id == "token-url").unwrap();
    assert_eq!(url_check.status, CheckStatus::Fail);
}

// --- Defects of encoding and values -----------------------------------------------------

#[test]
fn a_raw_plus_in_d_is_an_encoding_error_at_its_line() {
    let r = lint_file("curl/plus_in_secret.curl", &no_env);
    assert_eq!(defects(&r), set(&["GC201", "GC203"]));
    assert_eq!(line_of(&r, "GC203"), Some(4));
    let r = lint_file("curl/data_urlencode.curl", &no_env);
    assert_eq!(
        defects(&r),
        set(&["GC201"]),
        "--data-urlencode encodes the +"
    );
    let r = lint_file("python/urllib_request.py", &no_env);
    assert_eq!(defects(&r), set(&["GC201"]), "urlencode() encodes the +");
}

#[test]
fn python_string_body_lacks_a_content_type_and_mangles_the_plus() {
    let r = lint_file("python/string_body.py", &no_env);
    assert_eq!(defects(&r), set(&["GC201", "GC203", "GC302"]));
    assert_eq!(line_of(&r, "GC302"), Some(8));
    assert_eq!(line_of(&r, "GC203"), Some(4));
}

#[test]
fn body_formats() {
    assert_eq!(
        defects(&lint_file("curl/json_body.curl", &no_env)),
        set(&["GC301"])
    );
    assert_eq!(
        defects(&lint_file("python/json_body.py", &no_env)),
        set(&["GC301"])
    );
    assert_eq!(
        defects(&lint_file("python/json_dumps_data.py", &no_env)),
        set(&["GC301"])
    );
    assert_eq!(
        defects(&lint_file("python/files_multipart.py", &no_env)),
        set(&["GC302"])
    );
    assert_eq!(
        defects(&lint_file("python/params_query.py", &no_env)),
        set(&["GC304"])
    );
    assert_eq!(
        defects(&lint_file("har/session.har", &no_env)),
        set(&["GC301"])
    );
    assert_eq!(
        defects(&lint_file("python/postman_http_client.py", &no_env)),
        set(&["GC101", "GC302"]),
        "api. host, and http.client sends the form without a content type"
    );
}

#[test]
fn a_newline_from_echo_is_stray_whitespace() {
    let r = lint_file("curl/echo_base64_header.sh", &no_env);
    assert_eq!(defects(&r), set(&["GC204"]));
    assert_eq!(line_of(&r, "GC204"), Some(6), "the echo that adds it");
}

#[test]
fn swapped_credentials() {
    let r = lint_text(
        &format!(
            "curl -u '{SECRET}:{ID}' -d grant_type=client_credentials https://login.mypurecloud.com/oauth/token"
        ),
        InputKind::Curl,
    );
    assert_eq!(defects(&r), set(&["GC207"]));
    // The "id" is not UUID-shaped: it may be the secret and is masked.
    let id_input = r.inputs.iter().find(|i| i.name == "client id").unwrap();
    assert!(
        id_input.value.starts_with("<redacted"),
        "{}",
        id_input.value
    );
}

#[test]
fn wrong_method_and_grant() {
    let r = lint_text(
        &format!(
            "curl -G -u {ID}:{SECRET} https://login.mypurecloud.com/oauth/token -d grant_type=password"
        ),
        InputKind::Curl,
    );
    assert_eq!(defects(&r), set(&["GC303", "GC304", "GC305"]));
}

// --- What the input does not show -------------------------------------------------------

#[test]
fn unset_variables_are_not_judged() {
    let r = lint_file("curl/u_flag_env.curl", &no_env);
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", r.findings);
    let infos: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Info)
        .map(|f| f.summary.as_str())
        .collect();
    assert!(
        infos
            .iter()
            .any(|s| s.contains("GENESYS_CLIENT_SECRET") && s.contains("not set here")),
        "{infos:?}"
    );
    let secret = r.inputs.iter().find(|i| i.name == "client secret").unwrap();
    assert_eq!(
        secret.source,
        "env GENESYS_CLIENT_SECRET (not set here), in the Basic header"
    );
}

#[test]
fn a_url_from_an_unset_variable_is_an_info_not_an_error() {
    let r = lint_text(
        &format!(
            "curl -u {ID}:{SECRET} \"$BASE_URL/oauth/token\" -d grant_type=client_credentials"
        ),
        InputKind::Curl,
    );
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", r.findings);
    let info = r
        .findings
        .iter()
        .find(|f| f.severity == Severity::Info)
        .unwrap();
    assert!(info.summary.contains("BASE_URL"), "{}", info.summary);
    assert_eq!(info.line, Some(1));
    // A wrong path after the unknown part is still a defect.
    let r = lint_text(
        &format!(
            "curl -u {ID}:{SECRET} \"$BASE_URL/api/v2/oauth/token\" -d grant_type=client_credentials"
        ),
        InputKind::Curl,
    );
    assert_eq!(defects(&r), set(&["GC101"]));
    // A host that may well be a login host is not judged…
    let r = lint_text(
        "import requests\nrequests.post(f'https://login.{domain}/oauth/token', data={'grant_type': 'client_credentials'}, auth=(a, b))\n",
        InputKind::Python,
    );
    assert_eq!(defects(&r), set(&[]), "{:?}", r.findings);
    // …but a known part that is wrong is.
    let r = lint_text(
        "import requests\nrequests.post(f'https://api.{domain}.genesys.cloud/oauth/token', data={'grant_type': 'client_credentials'}, auth=(a, b))\n",
        InputKind::Python,
    );
    assert_eq!(defects(&r), set(&["GC102"]));
}

#[test]
fn an_unknown_body_or_auth_is_not_a_missing_grant() {
    let r = lint_text(
        &format!("curl -u {ID}:{SECRET} -d @body.txt https://login.mypurecloud.com/oauth/token"),
        InputKind::Curl,
    );
    assert_eq!(defects(&r), set(&[]), "{:?}", r.findings);
    let r = lint_text(
        "import requests\nfrom auth import make_auth\nrequests.post('https://login.mypurecloud.com/oauth/token', data={'grant_type': 'client_credentials'}, auth=make_auth())\n",
        InputKind::Python,
    );
    assert_eq!(defects(&r), set(&[]), "{:?}", r.findings);
    let r = lint_file("python/unresolved.py", &no_env);
    assert_eq!(defects(&r), set(&["GC201"]));
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .count(),
        3
    );
}

// --- Inputs, suggestion and redaction ---------------------------------------------------

#[test]
fn inputs_say_where_each_value_came_from() {
    let r = lint_file("python/auth_tuple_env.py", &env);
    let id = r.inputs.iter().find(|i| i.name == "client id").unwrap();
    assert_eq!(id.value, ID);
    assert_eq!(
        id.source,
        "env GENESYS_CLIENT_ID (set), in the Basic header"
    );
    let secret = r.inputs.iter().find(|i| i.name == "client secret").unwrap();
    assert!(
        secret.value.starts_with("<redacted: 41 chars"),
        "{}",
        secret.value
    );
    let r = lint_file("python/string_body.py", &no_env);
    let secret = r.inputs.iter().find(|i| i.name == "client secret").unwrap();
    assert!(
        secret
            .source
            .contains("string_body.py line 4, literal via `client_secret`"),
        "{}",
        secret.source
    );
}

#[test]
fn suggestions_keep_the_input_language_and_names() {
    let r = lint_file("python/auth_tuple_env.py", &env);
    let s = r.suggestion.as_ref().unwrap();
    assert_eq!(s.language, "python");
    assert!(
        s.text.contains("auth=(CLIENT_ID, CLIENT_SECRET)"),
        "{}",
        s.text
    );
    assert!(
        s.text
            .contains("\"https://login.mypurecloud.ie/oauth/token\""),
        "{}",
        s.text
    );
    assert!(
        s.text
            .contains("data={\"grant_type\": \"client_credentials\"}"),
        "{}",
        s.text
    );

    let r = lint_file("seeds/s0_api_host_body_credentials.py", &no_env);
    let s = &r.suggestion.as_ref().unwrap().text;
    assert!(
        s.contains("https://login.mypurecloud.com/oauth/token"),
        "the api. host's region: {s}"
    );
    assert!(
        s.contains("os.environ[\"GENESYSCLOUD_OAUTHCLIENT_SECRET\"]"),
        "{s}"
    );
    assert!(!s.contains("scope"), "{s}");

    let r = lint_file("curl/u_flag_env.curl", &env);
    let s = r.suggestion.as_ref().unwrap();
    assert_eq!(s.language, "curl");
    assert!(
        s.text
            .contains("-u \"$GENESYS_CLIENT_ID:$GENESYS_CLIENT_SECRET\""),
        "{}",
        s.text
    );
    assert!(
        s.text
            .contains("'https://login.mypurecloud.ie/oauth/token'"),
        "{}",
        s.text
    );

    for rel in [
        "http/no_length_lf.http",
        "har/session.har",
        "seeds/s4_us_genesys_cloud.http",
    ] {
        let r = lint_file(rel, &no_env);
        let s = r.suggestion.as_ref().unwrap();
        assert_eq!(s.language, "curl", "{rel}");
        assert!(
            s.text.contains("$GENESYSCLOUD_OAUTHCLIENT_SECRET"),
            "{rel}: {}",
            s.text
        );
    }
    let r = lint_file("seeds/s4_us_genesys_cloud.http", &no_env);
    let s = &r.suggestion.as_ref().unwrap().text;
    assert!(s.contains("region is unknown"), "{s}");
    assert!(
        s.contains("https://login.mypurecloud.com/oauth/token"),
        "{s}"
    );
}

/// Every encoded form of the secrets, checked against every output format.
fn assert_no_leak(r: &Report, secrets: &[&str]) {
    let mut red = Redactor::new();
    for s in secrets {
        red.add(s);
    }
    let basic = STANDARD.encode(format!("{ID}:{SECRET}"));
    for format in [Format::Text, Format::Markdown, Format::Json, Format::Junit] {
        let out = report::render(r, format, RenderOptions::default(), &Redactor::new());
        assert!(!red.leaks(&out), "{format:?} leaks a secret:\n{out}");
        assert!(!out.contains(&basic), "{format:?} leaks the Basic value");
    }
    let model = format!(
        "{:?} {:?} {:?} {:?} {:?}",
        r.findings, r.inputs, r.suggestion, r.notes, r.checks
    );
    assert!(
        !red.leaks(&model),
        "the report model leaks a secret: {model}"
    );
}

#[test]
fn no_output_contains_a_secret() {
    let cases: &[(&str, &[&str])] = &[
        ("curl/u_flag_env.curl", &[SECRET]),
        (
            "curl/plus_in_secret.curl",
            &[PLUS_SECRET, "Zk8 q2Lw/9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui=Q"],
        ),
        ("curl/data_urlencode.curl", &[PLUS_SECRET]),
        ("curl/json_body.curl", &[SECRET]),
        ("curl/chrome_cmd.txt", &[SECRET]),
        ("curl/echo_base64_header.sh", &[SECRET]),
        ("http/canonical_crlf.http", &[SECRET]),
        ("http/no_length_lf.http", &[PLUS_SECRET]),
        ("har/session.har", &[SECRET]),
        ("python/string_body.py", &[PLUS_SECRET]),
        ("python/json_body.py", &[SECRET]),
        ("python/auth_tuple_env.py", &[SECRET]),
        ("python/multi_function.py", &[SECRET]),
    ];
    for (rel, secrets) in cases {
        let r = lint_file(rel, &env);
        assert_no_leak(&r, secrets);
    }
    // A secret swapped into the id position is not shown either.
    let r = lint_text(
        &format!(
            "curl -u '{SECRET}:{ID}' -d grant_type=client_credentials https://login.mypurecloud.com/oauth/token"
        ),
        InputKind::Curl,
    );
    assert_no_leak(&r, &[SECRET]);
}

#[test]
fn notes_do_not_repeat_values_that_may_be_secret() {
    let hidden = STANDARD.encode(format!("{ID}:{SECRET}"));
    let r = lint_text(
        &format!(
            "curl -x http://proxyuser:{SECRET}@proxy:3128 -H 'Authorization Basic {hidden}' -u {ID}:x https://login.mypurecloud.com/oauth/token -d grant_type=client_credentials"
        ),
        InputKind::Curl,
    );
    let notes = r.notes.join("\n");
    assert!(notes.contains("proxy"), "{notes}");
    assert!(
        !notes.contains(SECRET) && !notes.contains(&hidden),
        "{notes}"
    );
}

#[test]
fn lint_builds_no_runtime_and_is_quick() {
    let imp = import::load(&path("har/session.har"), None, &no_env).unwrap();
    let start = std::time::Instant::now();
    for _ in 0..100 {
        let _ = lint(&imp);
    }
    assert!(start.elapsed().as_millis() < 2000, "{:?}", start.elapsed());
}

#[test]
fn a_suggestion_never_reuses_an_expression_that_spells_the_secret() {
    let r = lint_text(
        &format!(
            "import requests\nrequests.post('https://login.mypurecloud.com/oauth/token', data={{'grant_type': 'client_credentials'}}, auth=('{ID}', '{SECRET}'.strip()))\n"
        ),
        InputKind::Python,
    );
    let s = &r.suggestion.as_ref().unwrap().text;
    assert!(
        s.contains("os.environ[\"GENESYSCLOUD_OAUTHCLIENT_SECRET\"]"),
        "{s}"
    );
    assert!(!s.contains("redacted"), "{s}");
}

#[test]
fn the_url_defect_is_the_cause_when_part_of_the_url_is_unknown() {
    let r = lint_file("seeds/s3_org_host_api_v2_path.py", &no_env);
    assert_eq!(r.cause_finding().map(|f| f.cause.code()), Some("GC102"));
}

// --- Scripts that log in with an official SDK ---------------------------------------------

#[test]
fn python_sdk_script_is_linted_as_the_request_the_sdk_sends() {
    // Right region, env credentials: nothing wrong with the request the SDK builds.
    let r = lint_file("python/sdk_region_env.py", &env);
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", r.findings);
    assert_eq!(r.region.configured.map(|x| x.key), Some("us-east-1"));
    let s = r.suggestion.as_ref().unwrap();
    assert_eq!(s.language, "python");
    assert!(
        s.text.contains(
            "PureCloudPlatformClientV2.configuration.host = PureCloudPlatformClientV2.PureCloudRegionHosts.us_east_1.get_api_host()"
        ),
        "{}",
        s.text
    );
    assert!(
        s.text
            .contains("get_client_credentials_token(\n    CLIENT_ID,\n    CLIENT_SECRET,\n)"),
        "the script's own names: {}",
        s.text
    );
    assert_no_leak(&r, &[SECRET]);

    // A host without `api.`: GC101 at the line that sets it, fixed in the SDK's terms.
    let r = lint_file("python/sdk_host_without_api.py", &no_env);
    assert_eq!(defects(&r), set(&["GC101"]));
    assert_eq!(line_of(&r, "GC101"), Some(7));
    let f = r.cause_finding().unwrap();
    assert!(
        f.fix.starts_with("Set `Configuration().host = "),
        "{}",
        f.fix
    );
    assert!(
        !all_text(&r).contains("post to https://login"),
        "no raw-HTTP fix"
    );
    assert_no_leak(&r, &[SECRET]);

    // An unknown domain: GC102; a non-ASCII secret: GC203 error, never a warning as well.
    let r = lint_file("python/sdk_unknown_domain.py", &env);
    assert!(defects(&r).contains("GC102"), "{:?}", r.findings);
    let r = lint_file("python/sdk_non_ascii_secret.py", &no_env);
    let gc203: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.cause.code() == "GC203")
        .collect();
    assert_eq!(gc203.len(), 1, "{gc203:?}");
    assert_eq!(gc203[0].severity, Severity::Error);
    assert_no_leak(&r, &["k7Qp-2xZ_9vLmN4sT8wYbR1cE6fH3jU5oI0aD-gKé"]);
}

#[test]
fn javascript_scripts_are_linted_with_javascript_suggestions() {
    // axios with URLSearchParams and auth: the canonical request.
    let r = lint_file("js/axios_canonical.js", &env);
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", r.findings);
    let s = r.suggestion.as_ref().unwrap();
    assert_eq!(s.language, "javascript");
    assert!(s.text.contains("axios.post("), "{}", s.text);
    assert!(
        s.text
            .contains("'https://login.mypurecloud.ie/oauth/token'"),
        "{}",
        s.text
    );
    assert_no_leak(&r, &[SECRET]);

    // The forum's axios config: API host, JSON body, credentials in it, template values.
    let r = lint_file("js/axios_config_json.js", &no_env);
    assert_eq!(
        defects(&r),
        set(&["GC101", "GC201", "GC208", "GC301"]),
        "{:?}",
        r.findings
    );
    assert_eq!(line_of(&r, "GC101"), Some(5));
    let s = &r.suggestion.as_ref().unwrap().text;
    assert!(
        s.contains("process.env.GENESYSCLOUD_OAUTHCLIENT_SECRET"),
        "{s}"
    );
    assert!(!s.contains("YOUR_CLIENT_SECRET"), "{s}");

    // fetch with a string body: text/plain, so the server sees no form.
    let r = lint_file("js/fetch_string_body.js", &env);
    assert_eq!(defects(&r), set(&["GC302"]), "{:?}", r.findings);
    let s = r.suggestion.as_ref().unwrap();
    assert!(s.text.contains("await fetch("), "{}", s.text);
    assert!(s.text.contains("new URLSearchParams"), "{}", s.text);
    assert_no_leak(&r, &[SECRET]);

    // A raw `+` in a hand-built string body.
    let r = lint_file("js/axios_string_plus.js", &no_env);
    assert!(defects(&r).contains("GC203"), "{:?}", r.findings);
    assert_eq!(line_of(&r, "GC203"), Some(4));
    assert_no_leak(&r, &[PLUS_SECRET]);

    // Unset variables are not judged, and said so in the env's own words.
    let r = lint_file("js/fetch_string_body.js", &no_env);
    assert!(
        r.findings
            .iter()
            .any(|f| f.severity == Severity::Info && f.summary.contains("env `GC_SECRET`")),
        "{:?}",
        r.findings
    );
}

#[test]
fn javascript_sdk_scripts_get_the_sdk_form_and_fixes() {
    let r = lint_file("js/sdk_wrong_region.js", &env);
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", r.findings);
    let s = r.suggestion.as_ref().unwrap();
    assert_eq!(s.language, "javascript");
    assert!(
        s.text
            .contains("client.setEnvironment(platformClient.PureCloudRegionHosts.us_east_1);"),
        "{}",
        s.text
    );
    assert!(
        s.text
            .contains(".loginClientCredentialsGrant(clientId, clientSecret)"),
        "{}",
        s.text
    );
    assert_no_leak(&r, &[SECRET]);

    // A login host given to setEnvironment: the SDK prefixes `login.` again.
    let r = lint_text(
        "const platformClient = require('purecloud-platform-client-v2');\nconst client = platformClient.ApiClient.instance;\nclient.setEnvironment('login.mypurecloud.ie');\nclient.loginClientCredentialsGrant(process.env.GC_ID, process.env.GC_SECRET);\n",
        InputKind::Js,
    );
    assert_eq!(defects(&r), set(&["GC101"]), "{:?}", r.findings);
    let f = r.cause_finding().unwrap();
    assert_eq!(f.line, Some(3));
    assert!(
        f.fix.starts_with(
            "Call `client.setEnvironment(platformClient.PureCloudRegionHosts.eu_west_1)` (line 3)"
        ),
        "{}",
        f.fix
    );

    // A forum host: GC102, fixed with the region constant.
    let r = lint_text(
        "const pc = require('purecloud-platform-client-v2');\nconst c = pc.ApiClient.instance;\nc.setEnvironment('api.us.genesys.cloud');\nc.loginClientCredentialsGrant('a', 'b');\n",
        InputKind::Js,
    );
    assert!(defects(&r).contains("GC102"), "{:?}", r.findings);
    let f = r
        .findings
        .iter()
        .find(|f| f.cause.code() == "GC102")
        .unwrap();
    assert!(
        f.fix
            .contains("`c.setEnvironment(pc.PureCloudRegionHosts.<your_region>)` (line 3)"),
        "{}",
        f.fix
    );
}
