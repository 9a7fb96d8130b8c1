//! `gcdoctor diagnose --from-python` / `--from-js` on scripts that log in with the official
//! SDKs, against the simulator over the seam: the request the SDK sends is diagnosed, and the
//! fix names the SDK setting to change.

mod common;
use common::*;

/// Writes a script into a temp dir; the dir lives as long as the returned guard.
fn script(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    let s = p.to_string_lossy().into_owned();
    (dir, s)
}

/// The Python SDK pointed at us-east-1 while the client lives in eu-west-1.
fn python_wrong_region(id: &str, secret: &str) -> String {
    format!(
        r#"import PureCloudPlatformClientV2
from PureCloudPlatformClientV2 import PureCloudRegionHosts

CLIENT_ID = "{id}"
CLIENT_SECRET = "{secret}"

PureCloudPlatformClientV2.configuration.host = PureCloudRegionHosts.us_east_1.get_api_host()
apiclient = PureCloudPlatformClientV2.api_client.ApiClient().get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
print(PureCloudPlatformClientV2.UsersApi(apiclient).get_users())
"#
    )
}

fn assert_gc103_with_setting(run: &Run, setting: &str) {
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.cause(), Some("GC103"), "{}", run.stdout);
    assert_eq!(run.json["region"]["configured"], "us-east-1");
    assert_eq!(run.json["region"]["detected"], "eu-west-1");
    let fix = run.json["cause"]["fix"].as_str().unwrap_or_default();
    assert!(fix.contains(setting), "fix: {fix}");
    assert!(
        fix.contains("https://login.mypurecloud.ie/oauth/token"),
        "fix: {fix}"
    );
}

#[test]
fn python_sdk_in_the_wrong_region_names_the_configuration_host_to_change() {
    let sim = Sim::builtin("wrong-region");
    let (_d, path) = script("sdk_script.py", &python_wrong_region(MAIN_ID, MAIN_SECRET));
    let run = diagnose(&sim, &["--from-python", &path]);
    assert_gc103_with_setting(
        &run,
        "`PureCloudPlatformClientV2.configuration.host = PureCloudRegionHosts.eu_west_1.get_api_host()` (line 7)",
    );
    // What the SDK sends went to the host it derives: login., never api.
    let requests = sim.requests();
    let hosts = hosts_that_saw(&requests, MAIN_SECRET);
    assert!(hosts.contains("login.mypurecloud.com"), "{hosts:?}");
    assert!(only_login_hosts(&hosts), "{hosts:?}");
    // The user's request is the SDK's: Basic header, form content type, grant only.
    let first = requests
        .iter()
        .find(|r| r.host == "login.mypurecloud.com")
        .expect("the SDK's request to us-east-1");
    assert_eq!(
        first.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(first.body, b"grant_type=client_credentials");
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn python_sdk_with_credentials_from_env_vars_that_are_set() {
    let sim = Sim::builtin("wrong-region");
    let path = format!(
        "{}/tests/fixtures/python/sdk_region_env.py",
        env!("CARGO_MANIFEST_DIR")
    );
    let run = diagnose_with(
        &sim,
        &["--from-python", &path],
        &[
            ("GENESYS_CLIENT_ID", MAIN_ID),
            ("GENESYS_CLIENT_SECRET", MAIN_SECRET),
        ],
        None,
    );
    assert_gc103_with_setting(
        &run,
        "`PureCloudPlatformClientV2.configuration.host = PureCloudRegionHosts.eu_west_1.get_api_host()` (line 10)",
    );
    let inputs = run.json["inputs"].as_array().cloned().unwrap_or_default();
    let secret = inputs
        .iter()
        .find(|i| i["name"] == "client secret")
        .expect("the secret's source");
    assert!(
        secret["source"]
            .as_str()
            .is_some_and(|s| s.contains("env GENESYS_CLIENT_SECRET")),
        "{secret}"
    );
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn python_sdk_default_host_in_the_right_region_is_healthy() {
    let sim = Sim::builtin("healthy");
    let text = format!(
        "import PureCloudPlatformClientV2\nPureCloudPlatformClientV2.configuration.host = 'https://api.mypurecloud.ie'\nPureCloudPlatformClientV2.api_client.ApiClient().get_client_credentials_token('{MAIN_ID}', '{MAIN_SECRET}')\n"
    );
    let (_d, path) = script("ok.py", &text);
    let run = diagnose(&sim, &["--from-python", &path]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json["verdict"], "healthy");
}

#[test]
fn python_sdk_host_without_api_is_gc101_with_the_setting_in_the_fix() {
    let sim = Sim::builtin("wrong-region");
    let text = format!(
        "from PureCloudPlatformClientV2 import ApiClient, Configuration\n\nConfiguration().host = 'https://mypurecloud.ie'\nApiClient().get_client_credentials_token('{MAIN_ID}', '{MAIN_SECRET}')\n"
    );
    let (_d, path) = script("no_api.py", &text);
    let run = diagnose(&sim, &["--from-python", &path]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.cause(), Some("GC101"), "{}", run.stdout);
    let fix = run.json["cause"]["fix"].as_str().unwrap_or_default();
    assert!(
        fix.contains(
            "`Configuration().host = PureCloudPlatformClientV2.PureCloudRegionHosts.eu_west_1.get_api_host()` (line 3)"
        ),
        "{fix}"
    );
    // mypurecloud.ie itself is no login host: the secret never went there.
    let hosts = hosts_that_saw(&sim.requests(), MAIN_SECRET);
    assert!(only_login_hosts(&hosts), "{hosts:?}");
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn javascript_sdk_in_the_wrong_region_names_set_environment() {
    let sim = Sim::builtin("wrong-region");
    let path = format!(
        "{}/tests/fixtures/js/sdk_wrong_region.js",
        env!("CARGO_MANIFEST_DIR")
    );
    let run = diagnose_with(
        &sim,
        &["--from-js", &path],
        &[
            ("GENESYS_CLIENT_ID", MAIN_ID),
            ("GENESYS_CLIENT_SECRET", MAIN_SECRET),
        ],
        None,
    );
    assert_gc103_with_setting(
        &run,
        "`client.setEnvironment(platformClient.PureCloudRegionHosts.eu_west_1)` (line 5)",
    );
    let hosts = hosts_that_saw(&sim.requests(), MAIN_SECRET);
    assert!(hosts.contains("login.mypurecloud.com"), "{hosts:?}");
    assert!(only_login_hosts(&hosts), "{hosts:?}");
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn javascript_sdk_with_literal_credentials_and_a_string_environment() {
    let sim = Sim::builtin("wrong-region");
    let text = format!(
        "const platformClient = require('purecloud-platform-client-v2');\nconst client = platformClient.ApiClient.instance;\nclient.setEnvironment('https://api.mypurecloud.com');\nclient.loginClientCredentialsGrant('{MAIN_ID}', '{MAIN_SECRET}');\n"
    );
    let (_d, path) = script("sdk_script.js", &text);
    let run = diagnose(&sim, &["--from-js", &path]);
    assert_gc103_with_setting(
        &run,
        "`client.setEnvironment(platformClient.PureCloudRegionHosts.eu_west_1)` (line 3)",
    );
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn plain_axios_script_in_the_wrong_region_keeps_the_raw_http_fix() {
    let sim = Sim::builtin("wrong-region");
    let text = format!(
        "const axios = require('axios');\naxios.post('https://login.mypurecloud.com/oauth/token', new URLSearchParams({{ grant_type: 'client_credentials' }}), {{ auth: {{ username: '{MAIN_ID}', password: '{MAIN_SECRET}' }} }});\n"
    );
    let (_d, path) = script("token.js", &text);
    let run = diagnose(&sim, &["--from-js", &path]);
    assert_eq!(run.cause(), Some("GC103"), "{}", run.stdout);
    let fix = run.json["cause"]["fix"].as_str().unwrap_or_default();
    assert!(
        fix.contains("https://login.mypurecloud.ie/oauth/token"),
        "{fix}"
    );
    assert!(!fix.contains("setEnvironment"), "{fix}");
    assert_no_leak(&run, &[MAIN_SECRET]);
}
