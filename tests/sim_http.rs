//! The simulator over real HTTP: raw requests on a TCP socket, so what is tested is
//! exactly what an HTTP client (curl, an SDK, gcdoctor through `GCDOCTOR_CONNECT_TO`) sees.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use base64::Engine as _;
use gcdoctor::sim::{self, Scenario, SimHandle};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MAIN_ID: &str = "7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61";
const MAIN_SECRET: &str = "s8B8Dq65NERzuWc78TLlI8IipDKO-u2TO9G6kAj3FJE";
const OLD_SECRET: &str = "oEfbgjhIDzq5lWT11XXT_52qpETQlbGbnkuvWRhHnLS";
const ADMIN_ID: &str = "e4a1b2c3-d5e6-4f70-8a91-b2c3d4e5f607";
const ADMIN_SECRET: &str = "oNBGy0sxXFlm6P7o2nuEdMlbt3yfF8XOOc_tuaZRPq7";
const ADMIN_TOKEN: &str = "SimAdminToken-euw1-Xk29fQ7mLp4Rt8Wz1Vb6Nc3Hd5Jg0Ys2";
const US_ID: &str = "2a4c6e80-1b3d-4f57-9a0b-c2d4e6f80a1b";
const UNKNOWN_ID: &str = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const EU_LOGIN: &str = "login.mypurecloud.ie";
const EU_API: &str = "api.mypurecloud.ie";
const US_LOGIN: &str = "login.mypurecloud.com";
const US_API: &str = "api.mypurecloud.com";
const AUTH_FAILED_BODY: &str = r#"{"error":"invalid_client","description":"authentication failed","error_description":"authentication failed"}"#;

/// An HTTP answer, parsed.
#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
}

async fn sim(scenario: Scenario) -> SimHandle {
    sim::start(scenario, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("simulator starts")
}

async fn builtin(name: &str) -> SimHandle {
    sim(Scenario::builtin(name).expect("builtin exists")).await
}

/// Sends raw request bytes and reads the whole answer (the request says `Connection: close`).
async fn raw(addr: SocketAddr, request: &[u8]) -> Resp {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request).await.expect("write");
    let mut bytes = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut bytes))
        .await
        .expect("answer in time")
        .expect("read");
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> Resp {
    let text = String::from_utf8_lossy(bytes);
    let (head, body) = text.split_once("\r\n\r\n").expect("header end");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Resp {
        status,
        headers,
        body: body.to_string(),
    }
}

fn request(
    method: &str,
    target: &str,
    host: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut out = format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        out.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn basic(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

/// The SDKs' token request: Basic header, form body `grant_type=client_credentials`.
async fn token_request(h: &SimHandle, host: &str, id: &str, secret: &str) -> Resp {
    let auth = basic(id, secret);
    raw(
        h.addr(),
        &request(
            "POST",
            "/oauth/token",
            host,
            &[("Authorization", &auth), FORM],
            b"grant_type=client_credentials",
        ),
    )
    .await
}

async fn token(h: &SimHandle, host: &str, id: &str, secret: &str) -> String {
    let r = token_request(h, host, id, secret).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

async fn api_get(h: &SimHandle, host: &str, path: &str, token: &str) -> Resp {
    let auth = format!("Bearer {token}");
    raw(
        h.addr(),
        &request("GET", path, host, &[("Authorization", &auth)], b""),
    )
    .await
}

/// The `healthy` scenario with some `[service]` switches replaced.
fn scenario_with(extra_service: &str) -> Scenario {
    let keys: Vec<&str> = extra_service
        .lines()
        .filter_map(|l| l.split('=').next())
        .map(str::trim)
        .collect();
    let mut text = String::new();
    for line in Scenario::builtin_source("healthy").unwrap().lines() {
        let key = line.split('=').next().unwrap_or("").trim();
        if line.contains('=') && keys.contains(&key) {
            continue;
        }
        text.push_str(line);
        text.push('\n');
        if line == "[service]" {
            text.push_str(extra_service);
            text.push('\n');
        }
    }
    Scenario::from_toml_str(&text, "test.toml").unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn assert_oauth_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let v = r.json();
    assert_eq!(v["error"], code, "{}", r.body);
    assert_eq!(v["description"], v["error_description"]);
    assert_eq!(r.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn token_in_the_clients_region_and_the_real_error_elsewhere() {
    let h = builtin("healthy").await;
    let ok = token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.header("content-type"), Some("application/json"));
    assert!(ok.header("inin-correlation-id").is_some());
    assert!(ok.header("genesys-correlation-id").is_some());
    let v = ok.json();
    assert_eq!(v["token_type"], "bearer");
    assert_eq!(v["expires_in"], 86399);
    assert!(v["access_token"].as_str().unwrap().len() >= 40);

    let wrong_region = token_request(&h, US_LOGIN, MAIN_ID, MAIN_SECRET).await;
    assert_eq!(wrong_region.status, 400);
    assert_eq!(wrong_region.body, AUTH_FAILED_BODY);
    // A wrong secret in the right region looks exactly the same.
    let wrong_secret = token_request(&h, EU_LOGIN, MAIN_ID, OLD_SECRET).await;
    assert_eq!(
        (wrong_secret.status, wrong_secret.body.as_str()),
        (400, AUTH_FAILED_BODY)
    );
    // The host is routed with or without a port.
    let with_port = token_request(&h, "login.mypurecloud.ie:443", MAIN_ID, MAIN_SECRET).await;
    assert_eq!(with_port.status, 200);
}

#[tokio::test]
async fn absolute_form_targets_are_routed_by_their_authority() {
    let h = builtin("healthy").await;
    let auth = basic(MAIN_ID, MAIN_SECRET);
    let r = raw(
        h.addr(),
        &request(
            "POST",
            "http://login.mypurecloud.ie/oauth/token",
            "login.mypurecloud.ie",
            &[("Authorization", &auth), FORM],
            b"grant_type=client_credentials",
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let log = h.requests();
    let last = log.last().unwrap();
    assert_eq!(last.host, EU_LOGIN);
    assert_eq!(last.target, "/oauth/token");
    assert_eq!(last.method, "POST");
    assert_eq!(last.status, 200);
    assert_eq!(last.body, b"grant_type=client_credentials");
    assert_eq!(last.header("authorization"), Some(auth.as_str()));
}

#[tokio::test]
async fn body_credentials_are_accepted_or_rejected_by_switch() {
    let body =
        format!("grant_type=client_credentials&client_id={MAIN_ID}&client_secret={MAIN_SECRET}");
    let send = |h: &SimHandle| {
        let req = request("POST", "/oauth/token", EU_LOGIN, &[FORM], body.as_bytes());
        let addr = h.addr();
        async move { raw(addr, &req).await }
    };
    let h = builtin("healthy").await;
    assert_eq!(send(&h).await.status, 200);
    let h = builtin("body-credentials-rejected").await;
    let r = send(&h).await;
    assert_eq!((r.status, r.body.as_str()), (400, AUTH_FAILED_BODY));
    // The Basic header still works there.
    assert_eq!(
        token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn both_credentials_switch() {
    let body = format!("grant_type=client_credentials&client_id={MAIN_ID}&client_secret=nope");
    let auth = basic(MAIN_ID, MAIN_SECRET);
    let req = request(
        "POST",
        "/oauth/token",
        EU_LOGIN,
        &[("Authorization", &auth), FORM],
        body.as_bytes(),
    );
    let h = builtin("healthy").await;
    assert_eq!(raw(h.addr(), &req).await.status, 200, "basic wins");
    let h = sim(scenario_with("both_credentials = \"rejected\"")).await;
    assert_oauth_error(&raw(h.addr(), &req).await, 400, "invalid_request");
}

#[tokio::test]
async fn secret_with_plus_slash_equals_survives_basic_but_not_a_raw_body() {
    let id = "9b8a7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d";
    let secret = "weKRo+hNskTY/1SFpjip=MAbvQP3dr+ac0HR4/c3jpA";
    let h = builtin("secret-encoding").await;
    assert_eq!(token_request(&h, EU_LOGIN, id, secret).await.status, 200);
    let raw_body = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    let r = raw(
        h.addr(),
        &request(
            "POST",
            "/oauth/token",
            EU_LOGIN,
            &[FORM],
            raw_body.as_bytes(),
        ),
    )
    .await;
    assert_eq!((r.status, r.body.as_str()), (400, AUTH_FAILED_BODY));
    let encoded: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "client_credentials")
        .append_pair("client_id", id)
        .append_pair("client_secret", secret)
        .finish();
    let r = raw(
        h.addr(),
        &request(
            "POST",
            "/oauth/token",
            EU_LOGIN,
            &[FORM],
            encoded.as_bytes(),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn bad_client_status_switch() {
    let h = builtin("strict-401").await;
    let r = token_request(&h, EU_LOGIN, MAIN_ID, OLD_SECRET).await;
    assert_eq!((r.status, r.body.as_str()), (401, AUTH_FAILED_BODY));
    let r = token_request(&h, EU_LOGIN, UNKNOWN_ID, OLD_SECRET).await;
    assert_eq!(r.status, 401);
    let h = builtin("wrong-secret").await;
    assert_eq!(
        token_request(&h, EU_LOGIN, MAIN_ID, OLD_SECRET)
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn unknown_client_switch() {
    let h = builtin("healthy").await;
    let r = token_request(&h, EU_LOGIN, UNKNOWN_ID, OLD_SECRET).await;
    assert_eq!((r.status, r.body.as_str()), (400, AUTH_FAILED_BODY));

    let h = builtin("legacy-client-not-found").await;
    let r = token_request(&h, EU_LOGIN, UNKNOWN_ID, OLD_SECRET).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body,
        r#"{"error":"invalid_client","description":"client not found","error_description":"client not found"}"#
    );
    // Wrong region = unknown in that region: the legacy text there too.
    let r = token_request(&h, US_LOGIN, MAIN_ID, MAIN_SECRET).await;
    assert_eq!(r.json()["description"], "client not found");
    // A known id with a wrong secret still says "authentication failed".
    let r = token_request(&h, EU_LOGIN, MAIN_ID, OLD_SECRET).await;
    assert_eq!(r.body, AUTH_FAILED_BODY);
}

#[tokio::test]
async fn client_problems_all_look_the_same() {
    for (scenario, id, secret) in [
        ("disabled-client", MAIN_ID, MAIN_SECRET),
        ("inactive-client", MAIN_ID, MAIN_SECRET),
        (
            "grant-not-enabled",
            "5d2e8f10-3a4b-4c6d-8e7f-90a1b2c3d4e5",
            "J8qeuV9G4JUJY7Gknt8oZ9AcJKPtvWF4odI5gwxVTrj",
        ),
        ("unknown-client", UNKNOWN_ID, OLD_SECRET),
        ("wrong-secret", MAIN_ID, OLD_SECRET),
    ] {
        let h = builtin(scenario).await;
        let r = token_request(&h, EU_LOGIN, id, secret).await;
        assert_eq!(
            (r.status, r.body.as_str()),
            (400, AUTH_FAILED_BODY),
            "{scenario}"
        );
    }
    // Malformed Authorization headers and no credentials at all: the same again.
    let h = builtin("healthy").await;
    for auth in [
        Some("Basic not*base64"),
        Some("Basic N2MzZjlhMmU"),
        Some(MAIN_ID),
        Some("Bearer abc"),
        None,
    ] {
        let headers: Vec<(&str, &str)> = auth
            .map(|a| ("Authorization", a))
            .into_iter()
            .chain([FORM])
            .collect();
        let r = raw(
            h.addr(),
            &request(
                "POST",
                "/oauth/token",
                EU_LOGIN,
                &headers,
                b"grant_type=client_credentials",
            ),
        )
        .await;
        assert_eq!(
            (r.status, r.body.as_str()),
            (400, AUTH_FAILED_BODY),
            "{auth:?}"
        );
    }
    let h = sim(scenario_with(
        "wrong_grant_client = \"unauthorized-client\"",
    ))
    .await;
    let r = raw(
        h.addr(),
        &request(
            "POST",
            "/oauth/token",
            EU_LOGIN,
            &[FORM],
            b"grant_type=client_credentials",
        ),
    )
    .await;
    assert_eq!(r.body, AUTH_FAILED_BODY);
}

#[tokio::test]
async fn login_rate_limit_answers_400_and_locks_out() {
    let h = sim(scenario_with(
        "login_rate_limit = { requests = 3, window_secs = 60 }",
    ))
    .await;
    assert_eq!(
        token_request(&h, EU_LOGIN, MAIN_ID, OLD_SECRET)
            .await
            .status,
        400
    );
    assert_eq!(
        token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET)
            .await
            .status,
        200
    );
    assert_eq!(
        token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET)
            .await
            .status,
        200
    );
    let r = token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    assert_oauth_error(&r, 400, "invalid_request");
    let v = r.json();
    assert!(
        v["error_description"]
            .as_str()
            .unwrap()
            .starts_with("rate limit exceeded;"),
        "{v}"
    );
    let keys: Vec<&str> = r.body.split('"').skip(1).step_by(4).collect();
    assert_eq!(keys, ["error", "description", "error_description"]);
    // No access after, right secret or not; other clients and regions are not affected.
    assert_eq!(
        token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET)
            .await
            .status,
        400
    );
    assert_eq!(
        token_request(&h, EU_LOGIN, ADMIN_ID, ADMIN_SECRET)
            .await
            .status,
        200
    );
    assert_eq!(
        token_request(&h, US_LOGIN, MAIN_ID, MAIN_SECRET)
            .await
            .json()["description"],
        "authentication failed"
    );
}

#[tokio::test]
async fn rate_limited_outage_and_service_errors() {
    let h = builtin("rate-limited").await;
    let r = token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    assert_oauth_error(&r, 400, "invalid_request");
    assert!(r.body.contains("rate limit exceeded;"));
    // The admin token still works on the API.
    assert_eq!(
        api_get(&h, EU_API, "/api/v2/organizations/me", ADMIN_TOKEN)
            .await
            .status,
        200
    );

    let h = builtin("service-error").await;
    let r = token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    assert_eq!(r.status, 503);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(
        r.header("inin-correlation-id").is_none(),
        "a load balancer page"
    );
    assert_eq!(
        token_request(&h, US_LOGIN, MAIN_ID, MAIN_SECRET)
            .await
            .status,
        400,
        "other regions fine"
    );

    let h = builtin("proxy-html").await;
    let r = token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("<html>"));
}

#[tokio::test]
async fn grant_type_missing_wrong_and_scope() {
    let h = builtin("healthy").await;
    let auth = basic(MAIN_ID, MAIN_SECRET);
    let send = |body: &'static str| {
        let req = request(
            "POST",
            "/oauth/token",
            EU_LOGIN,
            &[("Authorization", &auth), FORM],
            body.as_bytes(),
        );
        let addr = h.addr();
        async move { raw(addr, &req).await }
    };
    assert_oauth_error(&send("").await, 400, "invalid_request");
    assert_oauth_error(&send("grant_type=").await, 400, "invalid_request");
    assert_oauth_error(
        &send("grant_type=password").await,
        400,
        "unsupported_grant_type",
    );
    assert_oauth_error(
        &send("grant_type=client-credentials").await,
        400,
        "unsupported_grant_type",
    );
    assert_eq!(
        send("grant_type=client_credentials&scope=users")
            .await
            .status,
        200,
        "scope ignored"
    );
    // Query-string parameters are read by default.
    let req = request(
        "POST",
        "/oauth/token?grant_type=client_credentials",
        EU_LOGIN,
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(raw(h.addr(), &req).await.status, 200);
    // A wrong secret is reported before a bad grant type.
    let bad = basic(MAIN_ID, OLD_SECRET);
    let req = request(
        "POST",
        "/oauth/token",
        EU_LOGIN,
        &[("Authorization", &bad), FORM],
        b"grant_type=password",
    );
    assert_eq!(raw(h.addr(), &req).await.body, AUTH_FAILED_BODY);
    // Other methods: 405.
    let r = raw(
        h.addr(),
        &request("GET", "/oauth/token", EU_LOGIN, &[], b""),
    )
    .await;
    assert_oauth_error(&r, 405, "invalid_request");

    let h = sim(scenario_with("scope = \"invalid-scope\"")).await;
    let req = request(
        "POST",
        "/oauth/token",
        EU_LOGIN,
        &[("Authorization", &auth), FORM],
        b"grant_type=client_credentials&scope=users",
    );
    assert_oauth_error(&raw(h.addr(), &req).await, 400, "invalid_scope");
}

#[tokio::test]
async fn json_and_untyped_bodies() {
    let auth = basic(MAIN_ID, MAIN_SECRET);
    let json = ("Content-Type", "application/json");
    let body = br#"{"grant_type":"client_credentials"}"#;
    let h = builtin("healthy").await;
    let r = raw(
        h.addr(),
        &request(
            "POST",
            "/oauth/token",
            EU_LOGIN,
            &[("Authorization", &auth), json],
            body,
        ),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_request");
    // Without any content type the form body is not read either.
    let r = raw(
        h.addr(),
        &request(
            "POST",
            "/oauth/token",
            EU_LOGIN,
            &[("Authorization", &auth)],
            b"grant_type=client_credentials",
        ),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_request");
    // charset parameters are fine.
    let r = raw(
        h.addr(),
        &request(
            "POST",
            "/oauth/token",
            EU_LOGIN,
            &[
                ("Authorization", &auth),
                (
                    "Content-Type",
                    "application/x-www-form-urlencoded; charset=UTF-8",
                ),
            ],
            b"grant_type=client_credentials",
        ),
    )
    .await;
    assert_eq!(r.status, 200);

    let h = sim(scenario_with(
        "json_body = \"unsupported-media-type\"\nuntyped_body = \"parsed\"",
    ))
    .await;
    let r = raw(
        h.addr(),
        &request(
            "POST",
            "/oauth/token",
            EU_LOGIN,
            &[("Authorization", &auth), json],
            body,
        ),
    )
    .await;
    assert_oauth_error(&r, 415, "invalid_request");
    let r = raw(
        h.addr(),
        &request(
            "POST",
            "/oauth/token",
            EU_LOGIN,
            &[("Authorization", &auth)],
            b"grant_type=client_credentials",
        ),
    )
    .await;
    assert_eq!(r.status, 200, "untyped body parsed");
}

#[tokio::test]
async fn api_resources_with_a_client_credentials_token() {
    let h = builtin("healthy").await;
    let t = token(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;

    let r = api_get(&h, EU_API, "/api/v2/organizations/me", &t).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let org = r.json();
    assert_eq!(org["defaultLanguage"], "en-us");
    assert_eq!(org["state"], "active");
    assert!(org["id"].is_string() && org["name"].is_string() && org["selfUri"].is_string());
    assert!(r.header("inin-correlation-id").is_some());
    assert_eq!(r.header("inin-ratelimit-allowed"), Some("300"));
    assert_eq!(r.header("inin-ratelimit-count"), Some("1"));
    assert!(r.header("inin-ratelimit-reset").is_some());

    let r = api_get(&h, EU_API, "/api/v2/tokens/me", &t).await;
    assert_eq!(r.status, 200);
    let info = r.json();
    assert_eq!(info["OAuthClient"]["id"], MAIN_ID);
    assert_eq!(
        info["OAuthClient"]["authorizedGrantType"],
        "CLIENT-CREDENTIALS"
    );
    assert_eq!(info["OAuthClient"]["state"], "active");
    assert_eq!(
        info["OAuthClient"]["roleDivisions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(info["organization"]["id"], org["id"]);

    let r = api_get(&h, EU_API, "/api/v2/users/me", &t).await;
    assert_eq!(r.status, 400);
    let e = r.json();
    assert_eq!(e["code"], "bad.request");
    assert_eq!(
        e["message"],
        "This request requires a user context. Client credentials cannot be used for requests to this resource."
    );
    assert_eq!(e["status"], 400);
    assert_eq!(e["contextId"].as_str(), r.header("inin-correlation-id"));
    assert_eq!(e["details"], serde_json::json!([]));
    assert_eq!(e["errors"], serde_json::json!([]));

    // The main client lacks oauth:client:view.
    let r = api_get(&h, EU_API, &format!("/api/v2/oauth/clients/{MAIN_ID}"), &t).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["code"], "missing.any.permissions");
    assert_eq!(
        r.json()["message"],
        "Unable to perform the requested action. You must have at least one of the following permissions assigned: [oauth:client:view]"
    );
    assert_eq!(
        api_get(&h, EU_API, "/api/v2/routing/queues", &t)
            .await
            .status,
        200
    );
    assert_eq!(
        api_get(&h, EU_API, "/api/v2/authorization/roles", &t)
            .await
            .status,
        200
    );
    assert_eq!(
        api_get(&h, EU_API, "/api/v2/nothing/here", &t).await.json()["code"],
        "not.found"
    );
    let auth = format!("Bearer {t}");
    let r = raw(
        h.addr(),
        &request(
            "DELETE",
            "/api/v2/tokens/me",
            EU_API,
            &[("Authorization", &auth)],
            b"",
        ),
    )
    .await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn oauth_client_inspection_needs_the_permission_and_the_region() {
    let h = builtin("healthy").await;
    let admin = token(&h, EU_LOGIN, ADMIN_ID, ADMIN_SECRET).await;
    let r = api_get(
        &h,
        EU_API,
        &format!("/api/v2/oauth/clients/{MAIN_ID}"),
        &admin,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let c = r.json();
    for field in [
        "id",
        "name",
        "description",
        "accessTokenValiditySeconds",
        "authorizedGrantType",
        "scope",
        "roleDivisions",
        "state",
        "dateCreated",
        "dateModified",
        "createdBy",
        "modifiedBy",
        "selfUri",
    ] {
        assert!(!c[field].is_null(), "{field} in {c}");
    }
    assert!(
        c["roleDivisions"][0]["roleId"].is_string()
            && c["roleDivisions"][0]["divisionId"].is_string()
    );
    assert!(!r.body.contains(MAIN_SECRET) && c.get("secret").is_none());
    // A client of another region's org is not found here.
    let r = api_get(
        &h,
        EU_API,
        &format!("/api/v2/oauth/clients/{US_ID}"),
        &admin,
    )
    .await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (404, Some("not.found"))
    );
    // The scenario's admin token works too.
    let r = api_get(
        &h,
        EU_API,
        &format!("/api/v2/oauth/clients/{MAIN_ID}"),
        ADMIN_TOKEN,
    )
    .await;
    assert_eq!(r.status, 200);
    // An inactive client shows its state and deletion date.
    let h = builtin("inactive-client").await;
    let admin = token(&h, EU_LOGIN, ADMIN_ID, ADMIN_SECRET).await;
    let c = api_get(
        &h,
        EU_API,
        &format!("/api/v2/oauth/clients/{MAIN_ID}"),
        &admin,
    )
    .await
    .json();
    assert_eq!(c["state"], "inactive");
    assert_eq!(c["dateToDelete"], "2026-09-30T00:00:00.000Z");
}

#[tokio::test]
async fn roleless_client_gets_403_on_every_permission_checked_read() {
    let h = builtin("no-roles").await;
    let t = token(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    for path in [
        "/api/v2/authorization/roles",
        "/api/v2/authorization/permissions",
        "/api/v2/users",
        "/api/v2/routing/queues",
        "/api/v2/oauth/clients",
    ] {
        let r = api_get(&h, EU_API, path, &t).await;
        assert_eq!(r.status, 403, "{path}");
        assert_eq!(r.json()["code"], "missing.any.permissions");
        assert!(r.header("inin-ratelimit-count").is_some());
    }
    assert_eq!(
        api_get(&h, EU_API, "/api/v2/organizations/me", &t)
            .await
            .status,
        200
    );
    let info = api_get(&h, EU_API, "/api/v2/tokens/me", &t).await.json();
    assert_eq!(info["OAuthClient"]["roleDivisions"], serde_json::json!([]));
}

#[tokio::test]
async fn api_rate_limit_answers_429_with_retry_after() {
    let h = sim(scenario_with(
        "api_rate_limit = { requests = 2, window_secs = 30 }",
    ))
    .await;
    let t = token(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    for _ in 0..2 {
        assert_eq!(
            api_get(&h, EU_API, "/api/v2/organizations/me", &t)
                .await
                .status,
            200
        );
    }
    let r = api_get(&h, EU_API, "/api/v2/organizations/me", &t).await;
    assert_eq!(r.status, 429);
    let e = r.json();
    assert_eq!(e["code"], "too.many.requests");
    assert_eq!(
        e["message"],
        "Rate limit exceeded the maximum [2] requests within [30] seconds"
    );
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry));
    assert_eq!(r.header("inin-ratelimit-count"), Some("2"));
    assert_eq!(r.header("inin-ratelimit-allowed"), Some("2"));
    assert!(r.header("inin-ratelimit-reset").is_some());
    // The limit is per token.
    let t2 = token(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    assert_eq!(
        api_get(&h, EU_API, "/api/v2/organizations/me", &t2)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn tokens_are_only_valid_on_their_regions_api() {
    let h = builtin("healthy").await;
    let t = token(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    let r = api_get(&h, US_API, "/api/v2/organizations/me", &t).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["code"], "bad.credentials");
    assert_eq!(r.json()["message"], "Invalid login credentials.");
    let r = api_get(&h, EU_API, "/api/v2/organizations/me", "made-up").await;
    assert_eq!(r.json()["code"], "bad.credentials");
    let r = raw(
        h.addr(),
        &request("GET", "/api/v2/organizations/me", EU_API, &[], b""),
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["code"], "authentication.required");
    assert_eq!(
        r.json()["message"],
        "No authentication bearer token specified in authorization header."
    );
    // An expired token.
    let text = Scenario::builtin_source("healthy")
        .unwrap()
        .replace("validity_secs = 86400", "validity_secs = 1");
    let h = sim(Scenario::from_toml_str(&text, "short.toml").unwrap()).await;
    let r = token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    assert_eq!(r.json()["expires_in"], 0);
    let t = r.json()["access_token"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        api_get(&h, EU_API, "/api/v2/organizations/me", &t)
            .await
            .json()["code"],
        "bad.credentials"
    );
}

#[tokio::test]
async fn api_host_token_path_switch() {
    let h = builtin("healthy").await;
    let r = token_request(&h, EU_API, MAIN_ID, MAIN_SECRET).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["code"], "not.found");
    assert_eq!(r.json()["status"], 404);
    let h = sim(scenario_with("api_token_path = \"html\"")).await;
    let r = token_request(&h, EU_API, MAIN_ID, MAIN_SECRET).await;
    assert_eq!(r.status, 404);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let h = sim(scenario_with("api_token_path = \"login\"")).await;
    assert_eq!(
        token_request(&h, EU_API, MAIN_ID, MAIN_SECRET).await.status,
        200
    );
}

#[tokio::test]
async fn unknown_hosts_get_421() {
    let h = builtin("healthy").await;
    for host in [
        "api.us.genesys.cloud",
        "acme.mygenesyscloud.com",
        "mypurecloud.com",
        "127.0.0.1",
    ] {
        let r = token_request(&h, host, MAIN_ID, MAIN_SECRET).await;
        assert_eq!(r.status, 421, "{host}");
        assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    }
}

#[tokio::test]
async fn well_known_metadata_on_login_only() {
    let h = builtin("healthy").await;
    let r = raw(
        h.addr(),
        &request(
            "GET",
            "/.well-known/oauth-authorization-server",
            EU_LOGIN,
            &[],
            b"",
        ),
    )
    .await;
    assert_eq!(r.status, 200);
    let m = r.json();
    assert_eq!(m["issuer"], "https://login.mypurecloud.ie");
    assert_eq!(
        m["token_endpoint"],
        "https://login.mypurecloud.ie/oauth/token"
    );
    assert_eq!(
        m["token_endpoint_auth_methods_supported"],
        serde_json::json!(["client_secret_basic", "client_secret_post"])
    );
    assert!(
        m["grant_types_supported"]
            .as_array()
            .unwrap()
            .contains(&Value::from("client_credentials"))
    );
    let r = raw(
        h.addr(),
        &request(
            "GET",
            "/.well-known/oauth-authorization-server",
            EU_API,
            &[],
            b"",
        ),
    )
    .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn hostile_requests_do_not_break_it() {
    let h = builtin("healthy").await;
    // Non-UTF-8 body and header bytes.
    let mut req = request(
        "POST",
        "/oauth/token",
        EU_LOGIN,
        &[FORM],
        b"grant_type=\xff\xfe&client_id=\xc3",
    );
    let r = raw(h.addr(), &req).await;
    assert_eq!(r.status, 400);
    req = b"POST /oauth/token HTTP/1.1\r\nHost: login.mypurecloud.ie\r\nAuthorization: Basic \xff\xff==\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".to_vec();
    assert_eq!(raw(h.addr(), &req).await.status, 400);
    // Base64 of bytes that are not UTF-8.
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(b"\xff\xfe:\x00")
    );
    let r = raw(
        h.addr(),
        &request(
            "POST",
            "/oauth/token",
            EU_LOGIN,
            &[("Authorization", &auth), FORM],
            b"grant_type=client_credentials",
        ),
    )
    .await;
    assert_eq!(r.body, AUTH_FAILED_BODY);
    // A body over 1 MiB.
    let big = vec![b'a'; 1024 * 1024 + 10];
    let r = raw(
        h.addr(),
        &request("POST", "/oauth/token", EU_LOGIN, &[FORM], &big),
    )
    .await;
    assert_eq!(r.status, 413);
    // The server still answers.
    assert_eq!(
        token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn latency_delays_answers() {
    let mut s = Scenario::builtin("healthy").unwrap();
    s.latency_ms = 300;
    let h = sim(s).await;
    let t0 = Instant::now();
    token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    assert!(t0.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn the_log_shows_which_hosts_received_a_secret() {
    let h = builtin("wrong-region").await;
    token_request(&h, US_LOGIN, MAIN_ID, MAIN_SECRET).await;
    token_request(&h, EU_LOGIN, MAIN_ID, MAIN_SECRET).await;
    let hosts: Vec<(String, u16)> = h
        .requests()
        .into_iter()
        .map(|r| (r.host, r.status))
        .collect();
    assert_eq!(
        hosts,
        [(US_LOGIN.to_string(), 400), (EU_LOGIN.to_string(), 200)]
    );
    h.shutdown();
}

#[test]
fn every_builtin_scenario_loads_with_demo_inputs() {
    let names = Scenario::builtin_names();
    assert!(names.len() >= 17);
    for (name, desc) in names {
        let s = Scenario::builtin(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!((s.name.as_str(), s.description.as_str()), (*name, *desc));
        let demo = s.demo_inputs().unwrap_or_else(|| panic!("{name} demo"));
        assert!(demo.expected_cause.is_some(), "{name}");
        assert!(demo.token_url.starts_with("https://login."), "{name}");
        // Every scenario has a working admin client in the main client's region.
        let admin = s.client(ADMIN_ID).expect("admin client");
        let main = s.client(MAIN_ID).expect("main client");
        assert_eq!(admin.region, main.region, "{name}");
        assert!(
            s.client_permissions(admin)
                .contains(&"oauth:client:view".to_string())
        );
    }
    assert!(Scenario::builtin("no-such-scenario").is_none());
    let demo = Scenario::builtin("wrong-region")
        .unwrap()
        .demo_inputs()
        .unwrap();
    assert_eq!(demo.token_url, "https://login.mypurecloud.com/oauth/token");
    assert_eq!(
        (demo.client_id.as_str(), demo.secret.as_str()),
        (MAIN_ID, MAIN_SECRET)
    );
}

const GOOD: &str = r#"name = "t"
[[roles]]
name = "R"
permissions = ["routing:queue:view"]

[[clients]]
id = "a"
secret = "s"
region = "eu-west-1"
roles = ["R"]
"#;

fn toml_err(text: &str) -> String {
    Scenario::from_toml_str(text, "scenario.toml")
        .expect_err("must fail")
        .to_string()
}

#[test]
fn scenario_errors_name_file_line_and_field() {
    assert!(Scenario::from_toml_str(GOOD, "scenario.toml").is_ok());

    let e = toml_err(&GOOD.replace("region = \"eu-west-1\"", "region = \"eu-west-9\""));
    assert!(e.starts_with("scenario.toml:9:10: clients[0].region: `eu-west-9` is not a Genesys Cloud region; did you mean `eu-west-1`?"), "{e}");

    let e = toml_err(&GOOD.replace("secret = \"s\"", "secret = \"s\"\ncolour = \"red\""));
    assert!(
        e.starts_with("scenario.toml:9:1: clients[0].colour: unknown field `colour`"),
        "{e}"
    );

    let e = toml_err(&format!("{GOOD}[service]\njson_body = \"maybe\"\n"));
    assert!(
        e.starts_with("scenario.toml:12:13: service.json_body: unknown variant `maybe`"),
        "{e}"
    );

    let e = toml_err(&format!("{GOOD}[service]\nbad_client_status = 402\n"));
    assert!(
        e.contains(":12:21: service.bad_client_status: `402` is not allowed"),
        "{e}"
    );

    let e = toml_err(&GOOD.replace("[[clients]]", "[[clients]"));
    assert!(e.starts_with("scenario.toml:6:"), "{e}");

    let e = toml_err(&GOOD.replace("roles = [\"R\"]", "roles = [\"R\", \"Nope\"]"));
    assert!(
        e.starts_with("scenario.toml:10:15: clients[0].roles[1]: role `Nope` is not defined"),
        "{e}"
    );

    let e = toml_err(&format!(
        "{GOOD}\n[[clients]]\nid = \"a\"\nsecret = \"t\"\nregion = \"us-east-1\"\n"
    ));
    assert!(
        e.starts_with("scenario.toml:13:6: clients[1].id: client `a` is defined twice"),
        "{e}"
    );

    let e = toml_err(&GOOD.replace(
        "region = \"eu-west-1\"",
        "region = \"eu-west-1\"\ngrant = \"IMPLICIT\"",
    ));
    assert!(
        e.starts_with("scenario.toml:10:9: clients[0].grant: unknown variant `IMPLICIT`"),
        "{e}"
    );

    let e = toml_err(&format!(
        "{GOOD}[demo]\nclient_id = \"zzz\"\nregion = \"us-east-1\"\n"
    ));
    assert!(e.contains("demo.client_id: `zzz` is not a client"), "{e}");
}

#[test]
fn json_scenarios_and_files() {
    let json = r#"{
  "name": "j",
  "clients": [
    { "id": "a", "secret": "s", "region": "mypurecloud.ie" },
    { "id": "b", "secret": "s", "region": "eu-west-9" }
  ]
}"#;
    let e = Scenario::from_json_str(json, "s.json").unwrap_err();
    assert_eq!(
        (e.line, e.field.as_deref()),
        (Some(5), Some("clients[1].region")),
        "{e}"
    );
    assert!(e.to_string().starts_with("s.json:5:"), "{e}");
    assert!(e.message.contains("did you mean `eu-west-1`?"));

    let ok = json.replace("eu-west-9", "us-east-1");
    let s = Scenario::from_json_str(&ok, "s.json").unwrap();
    assert_eq!(s.clients[0].region.key, "eu-west-1");

    let e = Scenario::from_json_str(
        &ok.replace("\"name\": \"j\",", "\"name\": \"j\", \"extra\": 1,"),
        "s.json",
    )
    .unwrap_err();
    assert_eq!(
        (e.line, e.field.as_deref()),
        (Some(2), Some("extra")),
        "{e}"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.toml");
    std::fs::write(&path, GOOD.replace("eu-west-1", "eu-west-9")).unwrap();
    let e = Scenario::from_file(&path).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("{}:9:10: clients[0].region:", path.display())),
        "{e}"
    );
    let path = dir.path().join("world.json");
    std::fs::write(&path, &ok).unwrap();
    assert!(Scenario::from_file(&path).is_ok());
    let e = Scenario::from_file(dir.path().join("missing.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing.toml: cannot read the file"), "{e}");
}

#[test]
fn load_scenario_names_the_builtins_when_missing() {
    let e = sim::load_scenario("no-such-world").unwrap_err().to_string();
    assert!(e.contains("healthy") && e.contains("wrong-region"), "{e}");
    assert!(
        sim::builtin_list()
            .lines()
            .any(|l| l.starts_with("healthy "))
    );
}

#[tokio::test]
async fn banner_starts_with_the_listening_line() {
    let h = builtin("wrong-region").await;
    let text = sim::banner(h.scenario(), h.addr());
    assert_eq!(
        text.lines().next(),
        Some(format!("listening on http://{}", h.addr()).as_str())
    );
    assert!(text.contains("-H 'Host: login.mypurecloud.ie'"), "{text}");
    assert!(text.contains(&format!("GCDOCTOR_CONNECT_TO={}", h.addr())));
    assert!(text.contains("--region us-east-1"));
}
