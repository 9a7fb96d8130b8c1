//! `gcdoctor explain -` and `gcdoctor explain 'TEXT'`: a pasted error read into the causes it
//! can and cannot mean, through the real binary, for every format users paste
//! (genesys-facts.md §10.3), and never an echo of a credential in it.

use assert_cmd::Command;
use base64::Engine as _;
use proptest::prelude::*;

const ID: &str = "7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61";
const SECRET: &str = "s8B8Dq65NERzuWc78TLlI8IipDKO-u2TO9G6kAj3FJE";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = Command::cargo_bin("gcdoctor").unwrap();
    cmd.env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .args(args);
    if let Some(s) = stdin {
        cmd.write_stdin(s.to_string());
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Explains `text` (once as an argument, once on stdin: the same answer) and returns stdout.
fn explain(text: &str) -> String {
    let arg = run(&["explain", text], None);
    let stdin = run(&["explain", "-"], Some(text));
    assert_eq!(arg.code, 0, "{}", arg.stderr);
    assert_eq!(arg.stdout, stdin.stdout);
    arg.stdout
}

/// The ids listed under "It can mean" and "It cannot mean".
fn sections(out: &str) -> (Vec<String>, Vec<String>) {
    let ids = |part: &str| -> Vec<String> {
        part.lines()
            .take_while(|l| !l.trim().is_empty())
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .filter(|w| w.starts_with("GC"))
            .collect()
    };
    let can = out
        .split("It can mean:\n")
        .nth(1)
        .map(ids)
        .unwrap_or_default();
    let cannot = out
        .split("It cannot mean:\n")
        .nth(1)
        .map(ids)
        .unwrap_or_default();
    (can, cannot)
}

fn has(list: &[String], ids: &[&str]) -> bool {
    ids.iter().all(|id| list.iter().any(|x| x == id))
}

const REJECTED_BODY: &str = r#"{"error":"invalid_client","description":"authentication failed","error_description":"authentication failed"}"#;

#[test]
fn dotnet_post_token_rejection() {
    let out = explain(&format!("Error calling PostToken: {REJECTED_BODY}"));
    assert!(out.starts_with("You pasted a .NET SDK error"), "{out}");
    let (can, cannot) = sections(&out);
    assert!(
        has(
            &can,
            &["GC103", "GC205", "GC206", "GC207", "GC203", "GC201"]
        ),
        "{out}"
    );
    assert!(has(&cannot, &["GC501", "GC404", "GC104"]), "{out}");
    assert!(!can.iter().any(|c| c == "GC501" || c == "GC404"), "{out}");
    assert!(out.contains("gcdoctor diagnose --client-id YOUR_CLIENT_ID --client-secret-file secret.txt --region YOUR_REGION"), "{out}");
    assert!(out.contains("--admin-client-id"), "{out}");
}

#[test]
fn dotnet_status_zero_is_the_network() {
    let out = explain(
        "PureCloudPlatform.Client.V2.Client.ApiException: Error calling PostToken: The SSL connection could not be established, see inner exception.",
    );
    let (can, cannot) = sections(&out);
    assert_eq!(can.first().map(String::as_str), Some("GC104"), "{out}");
    assert!(has(&cannot, &["GC205", "GC206", "GC103"]), "{out}");
    assert!(out.contains("TLS"), "{out}");
}

#[test]
fn go_and_cli_auth_error_with_and_without_terraform() {
    let plain = explain("Auth Error: 401 - invalid_client (authentication failed)");
    assert!(
        plain.starts_with("You pasted a Go SDK or gc CLI error"),
        "{plain}"
    );
    let (can, cannot) = sections(&plain);
    assert!(has(&can, &["GC103", "GC205", "GC206"]), "{plain}");
    assert!(has(&cannot, &["GC501"]), "{plain}");
    assert!(plain.contains("400 or 401 makes no difference"), "{plain}");

    let tf = explain(
        "Error: failed to authorize Genesys Cloud client credentials: Auth Error: 401 - invalid_client (authentication failed)",
    );
    assert!(
        tf.starts_with("You pasted a Terraform provider error"),
        "{tf}"
    );
    assert_eq!(sections(&tf), (can, cannot));
    assert!(tf.contains("GENESYSCLOUD_OAUTHCLIENT_ID"), "{tf}");

    let throttled = explain(
        "failed to authorize Genesys Cloud client credentials: Auth Error: 400 - invalid_request (rate limit exceeded; retry later)",
    );
    let (can, _) = sections(&throttled);
    assert_eq!(can, vec!["GC501"], "{throttled}");
    assert!(
        throttled.contains("Terraform retries this answer"),
        "{throttled}"
    );

    let none = explain("Auth Error: No access token found");
    let (can, cannot) = sections(&none);
    assert!(has(&can, &["GC101", "GC502"]), "{none}");
    assert!(has(&cannot, &["GC205", "GC206", "GC103"]), "{none}");
}

#[test]
fn python_api_exception_and_status_zero() {
    let text = format!(
        "(401)\nReason: Unauthorized\nHTTP response headers: HTTPHeaderDict({{'Content-Type': 'application/json', 'ININ-Correlation-Id': '8c3b2a1f-1111-2222-3333-444455556666'}})\nHTTP response body: {}\n",
        r#"{"error":"invalid_client","description":"client not found","error_description":"client not found"}"#
    );
    let out = explain(&text);
    assert!(
        out.starts_with("You pasted a Python SDK ApiException"),
        "{out}"
    );
    let (can, cannot) = sections(&out);
    assert!(has(&can, &["GC206", "GC103"]), "{out}");
    // "client not found" names the id: not a wrong secret.
    assert!(has(&cannot, &["GC205", "GC203"]), "{out}");
    assert!(
        out.contains("8c3b2a1f-1111-2222-3333-444455556666"),
        "{out}"
    );
    assert!(
        out.contains("gcdoctor diagnose --from-python your_script.py"),
        "{out}"
    );

    let zero = explain(
        "(0)\nReason: (MaxRetryError(\"HTTPSConnectionPool(host='login.mypurecloud.ie', port=443): Max retries exceeded (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed')))\"))\n",
    );
    let (can, _) = sections(&zero);
    assert_eq!(can, vec!["GC104"], "{zero}");
    assert!(zero.contains("--region eu-west-1"), "{zero}");
}

#[test]
fn javascript_axios_and_java_api_exception() {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{ID}:{SECRET}"));
    let text = format!(
        "AxiosError: Request failed with status code 400\n    at settle (node_modules/axios/lib/core/settle.js:19:12) {{\n  config: {{ url: 'https://api.mypurecloud.ie/oauth/token', headers: {{ Authorization: 'Basic {basic}' }} }}"
    );
    let out = explain(&text);
    assert!(
        out.starts_with("You pasted a JavaScript (axios) error"),
        "{out}"
    );
    let (can, cannot) = sections(&out);
    // The api. host is the first thing to fix.
    assert_eq!(can.first().map(String::as_str), Some("GC101"), "{out}");
    assert!(has(&can, &["GC501", "GC205"]), "{out}");
    assert!(has(&cannot, &["GC104"]), "{out}");
    assert!(out.contains("error.response.data"), "{out}");
    assert!(!out.contains(&basic) && !out.contains(SECRET), "{out}");

    let java = explain(
        "com.mypurecloud.sdk.v2.ApiException: invalid_client\n\tat com.mypurecloud.sdk.v2.ApiClient.authorizeClientCredentials(ApiClient.java:412)",
    );
    assert!(
        java.starts_with("You pasted a Java SDK ApiException"),
        "{java}"
    );
    assert!(has(&sections(&java).0, &["GC205", "GC103"]), "{java}");
}

#[test]
fn raw_json_answers() {
    let (can, cannot) = sections(&explain(REJECTED_BODY));
    assert!(has(&can, &["GC205", "GC206", "GC103"]));
    assert!(has(&cannot, &["GC501"]));

    let unauthorized = explain(r#"{"error":"unauthorized","error_description":"Unauthorized"}"#);
    assert!(
        has(&sections(&unauthorized).0, &["GC205", "GC103"]),
        "{unauthorized}"
    );

    let rate = explain(
        r#"{"error":"invalid_request","description":"rate limit exceeded; try later","error_description":"rate limit exceeded; try later"}"#,
    );
    let (can, cannot) = sections(&rate);
    assert_eq!(can, vec!["GC501"], "{rate}");
    assert!(has(&cannot, &["GC104"]), "{rate}");
    assert!(rate.contains("wait a minute"), "{rate}");

    let api = explain(
        r#"{"message":"Rate limit exceeded the maximum [300] requests within [60] seconds","code":"too.many.requests","status":429}"#,
    );
    let (can, cannot) = sections(&api);
    assert_eq!(can, vec!["GC501"], "{api}");
    // The API's limit needs a token: the credentials work.
    assert!(has(&cannot, &["GC205"]), "{api}");

    let grant =
        explain(r#"{"error":"unauthorized_client","error_description":"unauthorized client"}"#);
    let (can, cannot) = sections(&grant);
    assert_eq!(can, vec!["GC401"], "{grant}");
    assert!(has(&cannot, &["GC205"]), "{grant}");

    let perm = explain(
        r#"HTTP/1.1 403 Forbidden {"message":"You must have at least one of the following permissions assigned: routing:queue:view","code":"missing.any.permissions","status":403} GET https://api.mypurecloud.com/api/v2/routing/queues"#,
    );
    let (can, cannot) = sections(&perm);
    assert!(has(&can, &["GC404", "GC403"]), "{perm}");
    assert!(has(&cannot, &["GC205", "GC103"]), "{perm}");
    assert!(
        perm.contains("--check-api 'GET /api/v2/routing/queues'"),
        "{perm}"
    );
}

#[test]
fn platform_api_401_is_the_token_of_a_call_not_the_client() {
    let out = explain(
        r#"GET https://api.mypurecloud.de/api/v2/routing/queues -> {"message":"No authentication bearer token specified in authorization header.","code":"authentication.required","status":401}"#,
    );
    let (can, cannot) = sections(&out);
    assert!(can.is_empty(), "{out}");
    assert!(
        out.contains("It can mean: none of the causes of a failed token request"),
        "{out}"
    );
    assert!(has(&cannot, &["GC404", "GC501"]), "{out}");
    assert!(out.contains("No token was sent with the call"), "{out}");
    assert!(
        out.contains("--region eu-central-1 --check-api 'GET /api/v2/routing/queues'"),
        "{out}"
    );
}

#[test]
fn html_pages_and_log_lines() {
    let page = explain(
        "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
    );
    assert!(page.starts_with("You pasted an HTML page"), "{page}");
    let (can, cannot) = sections(&page);
    assert_eq!(can.first().map(String::as_str), Some("GC502"), "{page}");
    assert!(has(&cannot, &["GC205", "GC103", "GC501"]), "{page}");
    assert!(page.contains("HTTP 502"), "{page}");

    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{ID}:{SECRET}"));
    let line = format!(
        "2026-05-01T10:00:00Z ERROR POST https://login.mypurecloud.com.au/oauth/token Authorization: Basic {basic} -> 400 {REJECTED_BODY} inin-correlation-id: 0a1b2c3d-4e5f"
    );
    let out = explain(&line);
    assert!(
        out.starts_with("You pasted a log line holding a JSON answer"),
        "{out}"
    );
    assert!(has(&sections(&out).0, &["GC205", "GC103"]), "{out}");
    assert!(out.contains("--region ap-southeast-2"), "{out}");
    assert!(out.contains("0a1b2c3d-4e5f"), "correlation id kept: {out}");
    assert!(!out.contains(&basic) && !out.contains(SECRET), "{out}");
}

#[test]
fn json_format() {
    let out = run(
        &["explain", "--format", "json", "-"],
        Some(&format!("Error calling PostToken: {REJECTED_BODY}")),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["schema"], "gcdoctor.explain/v1");
    assert_eq!(v["recognised"]["source"], "dotnet");
    assert_eq!(v["recognised"]["error"], "invalid_client");
    let ids = |k: &str| -> Vec<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(has(&ids("can"), &["GC103", "GC205", "GC206"]));
    assert!(has(&ids("cannot"), &["GC501"]));
    assert!(
        v["settle"][0]
            .as_str()
            .unwrap()
            .starts_with("gcdoctor diagnose")
    );
}

#[test]
fn secrets_in_the_paste_never_come_back() {
    let token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.Zm9vYmFy";
    let pct: String = url::form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
    let text = format!(
        "POST https://login.mypurecloud.ie/oauth/token?client_secret={pct}&client_id={ID}\n\
         Authorization: Bearer {token}\n\
         {{\"access_token\":\"{token}\",\"token_type\":\"bearer\"}}\n\
         gc --clientsecret {SECRET}\n\
         HTTP/1.1 400 Bad Request\n{REJECTED_BODY}"
    );
    for format in ["text", "json"] {
        let out = run(&["explain", "--format", format, "-"], Some(&text));
        assert_eq!(out.code, 0, "{}", out.stderr);
        for bad in [SECRET, pct.as_str(), token, "c2VjcmV0LXRva2Vu"] {
            assert!(!out.stdout.contains(bad), "{format}: {}", out.stdout);
            assert!(!out.stderr.contains(bad));
        }
        assert!(
            out.stdout.contains(ID),
            "a UUID client id is not secret: {}",
            out.stdout
        );
    }
}

#[test]
fn unreadable_text_is_exit_2_and_not_echoed() {
    let out = run(
        &[
            "explain",
            "my secret is Sup3rS3cretValue99 and nothing else",
        ],
        None,
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("neither a cause id nor an error gcdoctor can read"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("Sup3rS3cretValue99"));
    let stdin = run(&["explain", "-"], Some("just words\n"));
    assert_eq!(stdin.code, 2);
    assert!(
        stdin.stderr.contains("the text on stdin"),
        "{}",
        stdin.stderr
    );
    // Ids and names keep their own message.
    let id = run(&["explain", "wrong-regoin"], None);
    assert_eq!(id.code, 2);
    assert!(
        id.stderr.contains("Did you mean GC103 (wrong-region)?"),
        "{}",
        id.stderr
    );
    let page = run(&["explain", "GC103"], None);
    assert_eq!(page.code, 0);
    assert!(page.stdout.starts_with("# GC103 wrong-region"));
}

/// Credential positions a paste may have, each holding the planted secret.
fn planted(secret: &str) -> Vec<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let pct: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    vec![
        format!("Authorization: Basic {}", b64(&format!("{ID}:{secret}"))),
        format!("'Authorization': 'Bearer {secret}'"),
        format!(
            "https://login.mypurecloud.com/oauth/token?grant_type=client_credentials&client_secret={pct}"
        ),
        format!("{{\"access_token\":\"{secret}\",\"expires_in\":86399}}"),
        format!("client_secret: \"{secret}\""),
        format!("https://{ID}:{pct}@login.mypurecloud.ie/oauth/token"),
        format!("--client-secret {secret}"),
        // The failing request quoted with the error: curl's -u, a requests auth pair.
        format!("curl -u {ID}:{secret} https://login.mypurecloud.com/oauth/token"),
        format!("requests.post(url, auth=('{ID}', '{secret}'))"),
        format!("requests.post(url, auth=HTTPBasicAuth(\"{ID}\", \"{secret}\"))"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_text(s in any::<String>(), b in prop::collection::vec(any::<u8>(), 0..400)) {
        for text in [s.clone(), String::from_utf8_lossy(&b).into_owned()] {
            for f in [gcdoctor::explain::ExplainFormat::Text, gcdoctor::explain::ExplainFormat::Json] {
                let _ = gcdoctor::explain::render_paste(&text, f);
            }
        }
    }

    #[test]
    fn never_echoes_a_planted_secret(
        secret in "[A-Za-z0-9][A-Za-z0-9+/_=-]{11,40}",
        which in 0usize..10,
        before in any::<String>(),
        after in "[ \\n]{1,2}.{0,40}",
        answer in prop::sample::select(vec![
            "", "Auth Error: 401 - invalid_client (authentication failed)",
            "HTTP/1.1 400 Bad Request", "(0)\nReason: certificate verify failed",
        ]),
    ) {
        prop_assume!(secret.chars().any(|c| !c.is_ascii_lowercase()));
        let text = format!("{before} {}{after}\n{answer}", planted(&secret)[which]);
        for f in [gcdoctor::explain::ExplainFormat::Text, gcdoctor::explain::ExplainFormat::Json] {
            if let Ok(out) = gcdoctor::explain::render_paste(&text, f) {
                let chars: Vec<char> = secret.chars().collect();
                for w in chars.windows(8) {
                    let w: String = w.iter().collect();
                    prop_assert!(!out.contains(&w), "{:?} leaks {:?}: {}", text, w, out);
                }
            }
        }
    }
}

/// A secret no name or syntax announces (prose, a struct dump) goes by its generated shape;
/// class names, hosts, UUIDs and OAuth words stay readable.
#[test]
fn a_generated_token_in_free_text_is_cut_by_its_shape() {
    for paste in [
        format!("400 Bad Request: invalid_client for secret {SECRET}"),
        format!(
            "Auth Error: 401 - invalid_client (authentication failed)\nconfig: &{{{ID} {SECRET} https://api.mypurecloud.com}}"
        ),
    ] {
        let out = explain(&paste);
        for run in [&SECRET[..8], &SECRET[12..20], &SECRET[30..38]] {
            assert!(!out.contains(run), "{run}: {out}");
        }
        assert!(out.contains("invalid_client"), "{out}");
    }
    let out = explain(&format!(
        "com.mypurecloud.sdk.v2.ApiException: error: invalid_client\n  at PureCloudPlatformClientV2.AuthorizeClientCredentials\n  correlation 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0 {ID}"
    ));
    for kept in [
        "com.mypurecloud.sdk.v2.ApiException",
        "PureCloudPlatformClientV2.AuthorizeClientCredentials",
        "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        ID,
    ] {
        assert!(out.contains(kept), "{kept}: {out}");
    }
}
