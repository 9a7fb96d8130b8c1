//! `--from-csharp`: HttpClient, RestSharp and the .NET SDK, read the way .NET builds the
//! request. Each fixture carries one defect the language can express; `gcdoctor lint` must
//! name its cause and line, `diagnose` must prove it against the simulator, and no secret may
//! reach any output.

mod common;
#[path = "common/fixtures.rs"]
mod fixtures;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;
use fixtures::{ID, SECRET, assert_finding, assert_never_printed, diagnose_fixture, findings};
use gcdoctor::import;
use gcdoctor::region;
use gcdoctor::request::{CredLocation, FORM, InputKind, SdkHost, SdkKind, ValueOrigin};

const KIND: &str = "csharp";

fn path(name: &str) -> String {
    fixtures::path(KIND, name)
}

fn load(name: &str) -> gcdoctor::request::ImportedRequest {
    import::load(&path(name), None, &fixtures::env).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_canonical_program_is_clean() {
    let (code, json) = fixtures::lint(KIND, "canonical.cs");
    assert_eq!(code, 0, "{json}");
    assert_eq!(findings(&json), vec![]);
    let imp = load("canonical.cs");
    assert_eq!(imp.kind, InputKind::CSharp);
    assert_eq!(imp.request.method, "POST");
    assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(imp.request.header("content-type"), Some(FORM));
    assert_eq!(imp.request.body, b"grant_type=client_credentials");
    let id = imp.client_id.as_ref().unwrap();
    assert_eq!(id.origin, ValueOrigin::Env("GENESYS_CLIENT_ID".into()));
    assert_eq!(id.location, CredLocation::BasicHeader);
    assert_eq!(id.line, Some(7));
    assert_eq!(imp.client_secret.as_ref().unwrap().value, SECRET);
    let basic = format!("Basic {}", STANDARD.encode(format!("{ID}:{SECRET}")));
    assert_eq!(imp.request.header("authorization"), Some(basic.as_str()));
}

#[test]
fn each_defect_is_named_at_its_line() {
    for (file, id, line) in [
        ("api_host.cs", "GC101", 5),
        ("no_colon.cs", "GC202", 6),
        ("secret_only.cs", "GC202", 4),
        ("double_base64.cs", "GC202", 7),
        ("bearer_scheme.cs", "GC202", 5),
        ("json_body.cs", "GC301", 8),
        ("body_credentials.cs", "GC201", 4),
        ("wrong_grant.cs", "GC303", 5),
        ("text_plain.cs", "GC302", 6),
        ("plus_unencoded.cs", "GC203", 2),
        ("query_grant.cs", "GC304", 5),
        ("restsharp_get.cs", "GC305", 13),
        ("sdk_no_api.cs", "GC101", 4),
    ] {
        assert_finding(KIND, file, id, line);
    }
}

#[test]
fn sdk_base_path_and_default_region_are_read_as_the_sdk_does() {
    let imp = load("sdk_wrong_region.cs");
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    assert_eq!(imp.request.body, b"grant_type=client_credentials");
    let sdk = imp.sdk.as_ref().expect("an SDK program");
    assert_eq!(sdk.kind, SdkKind::DotNet);
    assert_eq!(sdk.host, SdkHost::SetBasePath);
    assert_eq!(sdk.target, "apiClient.setBasePath");
    assert_eq!(sdk.expr, "PureCloudRegionHosts.us_east_1");
    assert_eq!(sdk.line, Some(4));
    let eu = region::by_key("eu-west-1").unwrap();
    assert_eq!(
        sdk.fix(Some(eu)),
        "Call `apiClient.setBasePath(PureCloudRegionHosts.eu_west_1)` (line 4): the .NET SDK (PureCloudPlatform.Client.V2) then posts to https://login.mypurecloud.ie/oauth/token."
    );

    let imp = load("sdk_default_region.cs");
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    let sdk = imp.sdk.as_ref().unwrap();
    assert_eq!(sdk.host, SdkHost::Default);
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("never calls setBasePath"))
    );
    assert!(
        sdk.fix(Some(eu)).starts_with(
            "Call `Configuration.Default.ApiClient.setBasePath(PureCloudRegionHosts.eu_west_1)` before PostToken (line 6)"
        ),
        "{}",
        sdk.fix(Some(eu))
    );

    // The SDK's Basic header is ISO-8859-1.
    let text = "var t = Configuration.Default.ApiClient.PostToken(\"3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b\", \"s\u{e9}cret-value\");\n";
    let imp = import::parse(text, InputKind::CSharp, "p.cs", &|_| None).unwrap();
    let latin1: Vec<u8> = format!("{ID}:s")
        .bytes()
        .chain([0xe9])
        .chain(*b"cret-value")
        .collect();
    let want = format!("Basic {}", STANDARD.encode(latin1));
    assert_eq!(imp.request.header("authorization"), Some(want.as_str()));
}

#[test]
fn corrected_requests_are_csharp() {
    let out = gcdoctor()
        .args(["lint", &path("api_host.cs")])
        .env("GENESYS_CLIENT_ID", ID)
        .env("GENESYS_CLIENT_SECRET", SECRET)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("Corrected request (csharp)"), "{s}");
    assert!(s.contains("GetBytes($\"{id}:{secret}\")"), "{s}");
    assert!(
        s.contains("http.PostAsync(\"https://login.mypurecloud.ie/oauth/token\", form)"),
        "{s}"
    );
    let out = gcdoctor()
        .args(["lint", &path("sdk_no_api.cs")])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("apiClient.setBasePath(PureCloudRegionHosts.eu_west_1);"),
        "{s}"
    );
    assert!(
        s.contains("apiClient.PostToken(Environment.GetEnvironmentVariable(\"GENESYS_CLIENT_ID\")"),
        "{s}"
    );
}

#[test]
fn a_syntax_error_names_its_place_and_quotes_no_secret() {
    let out = gcdoctor()
        .args(["lint", &path("syntax_error.cs")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("C# syntax error"), "{stderr}");
    assert!(stderr.contains("syntax_error.cs:1:"), "{stderr}");
    assert_no_secret_in(&stderr, &["Qm9vZ2llV29vZ2llU2VjcmV0OTk5"]);
}

#[test]
fn sniffed_from_stdin() {
    let text = "using System.Net.Http;\nvar c = new HttpClient();\nawait c.PostAsync(url, new FormUrlEncodedContent(p));\n";
    assert_eq!(import::detect(text, "-"), Some(InputKind::CSharp));
}

// --- diagnose over the seam, one test per cause family --------------------------------------

#[track_caller]
fn assert_fix_names(run: &Run, setting: &str) {
    assert_eq!(run.cause(), Some("GC103"), "{}", run.stdout);
    let fix = run.json["cause"]["fix"].as_str().unwrap_or_default();
    assert!(fix.contains(setting), "{fix}");
    assert_no_leak(run, &[MAIN_SECRET]);
}

#[test]
fn diagnose_sdk_in_the_wrong_region_names_set_base_path() {
    let sim = Sim::builtin("wrong-region");
    let run = diagnose_fixture(&sim, KIND, "sdk_wrong_region.cs", &[]);
    assert_fix_names(
        &run,
        "`apiClient.setBasePath(PureCloudRegionHosts.eu_west_1)` (line 4)",
    );
    let run = diagnose_fixture(&sim, KIND, "sdk_default_region.cs", &[]);
    assert_fix_names(
        &run,
        "`Configuration.Default.ApiClient.setBasePath(PureCloudRegionHosts.eu_west_1)` before PostToken (line 6)",
    );
    let hosts = hosts_that_saw(&sim.requests(), MAIN_SECRET);
    assert!(only_login_hosts(&hosts), "{hosts:?}");
}

#[test]
fn diagnose_header_built_wrong() {
    let sim = Sim::builtin("healthy");
    for f in [
        "no_colon.cs",
        "secret_only.cs",
        "double_base64.cs",
        "bearer_scheme.cs",
    ] {
        let run = diagnose_fixture(&sim, KIND, f, &["--client-id", MAIN_ID]);
        assert_eq!(run.cause(), Some("GC202"), "{f}: {}", run.stdout);
        assert_no_leak(&run, &[MAIN_SECRET]);
    }
}

#[test]
fn diagnose_body_format_content_type_and_grant() {
    let sim = Sim::builtin("healthy");
    for (f, cause) in [
        ("json_body.cs", "GC301"),
        ("text_plain.cs", "GC302"),
        ("wrong_grant.cs", "GC303"),
    ] {
        let run = diagnose_fixture(&sim, KIND, f, &[]);
        assert_eq!(run.cause(), Some(cause), "{f}: {}", run.stdout);
        assert_no_leak(&run, &[MAIN_SECRET]);
    }
}

#[test]
fn diagnose_credentials_in_the_body() {
    let sim = Sim::builtin("body-credentials-rejected");
    let run = diagnose_fixture(&sim, KIND, "body_credentials.cs", &[]);
    assert_eq!(run.cause(), Some("GC201"), "{}", run.stdout);
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn diagnose_plus_in_a_hand_built_form() {
    let sim = Sim::builtin("secret-encoding");
    let text = format!(
        "var body = $\"grant_type=client_credentials&client_id={PLUS_ID}&client_secret={PLUS_SECRET}\";\nusing var http = new HttpClient();\nawait http.PostAsync(\"https://login.mypurecloud.ie/oauth/token\", new StringContent(body, Encoding.UTF8, \"application/x-www-form-urlencoded\"));\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Token.cs");
    std::fs::write(&p, text).unwrap();
    let run = diagnose(&sim, &["--from-csharp", p.to_str().unwrap()]);
    assert_eq!(run.cause(), Some("GC203"), "{}", run.stdout);
    assert_no_leak(&run, &[PLUS_SECRET]);
}

// --- secrets never reach an output ----------------------------------------------------------

const LITERAL: &str = "Vq3-Lz8_Rt5nWp2Xk7Yb4Hm9Jd6Fs1Gc0Ae";

#[test]
fn a_literal_secret_never_reaches_lint_or_diagnose_output() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let good = write(
        "Good.cs",
        format!(
            "var pairs = new List<KeyValuePair<string, string>> {{ new KeyValuePair<string, string>(\"grant_type\", \"client_credentials\"), new KeyValuePair<string, string>(\"client_secret\", \"{LITERAL}\") }};\nusing var http = new HttpClient();\nhttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(\"Basic\", Convert.ToBase64String(Encoding.UTF8.GetBytes(\"{MAIN_ID}:{LITERAL}\")));\nawait http.PostAsync(\"https://login.mypurecloud.com/oauth/token\", new FormUrlEncodedContent(pairs));\n"
        ),
    );
    let broken = write(
        "Broken.cs",
        format!(
            "var c = new RestClient(new RestClientOptions(url) {{ Authenticator = new HttpBasicAuthenticator(\"{MAIN_ID}\", \"{LITERAL}\")\n}}}}(;\n"
        ),
    );
    let unknown = write(
        "Unknown.cs",
        format!(
            "var t = Configuration.Default.ApiClient.PostToken(Vault.Get(\"id\"), Vault.Get(\"x\") + \"{LITERAL}\");\n"
        ),
    );
    let sdk_pair = write(
        "Pair.cs",
        format!(
            "var f = new Dictionary<string, string> {{ {{ \"grant_type\", \"client_credentials\" }}, {{ \"client_secret\", Lookup() + \"{LITERAL}\" }} }};\nawait new HttpClient().PostAsync(\"https://login.mypurecloud.com/oauth/token\", new FormUrlEncodedContent(f));\n"
        ),
    );
    assert_never_printed(
        &[&good, &broken, &unknown, &sdk_pair],
        "--from-csharp",
        LITERAL,
    );
}
