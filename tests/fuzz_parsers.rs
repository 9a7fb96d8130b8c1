//! Fuzzing every parser of the binary with property tests.
//!
//! No `cargo fuzz` here (it needs a nightly toolchain with the fuzzer runtime, which this
//! project does not depend on), so each parser gets a proptest target run at scale instead:
//! arbitrary input, plus *mutations* of valid input (deleted, inserted, replaced and
//! duplicated ranges, truncation, hostile tokens), which reach far deeper than random bytes.
//! Each target checks that the parser never panics and, where there is one, a property that
//! matters: a round trip, a security invariant (credentials go only to exact login hosts, no
//! token in a verdict line, scrubbed text holds no secret form), or a located error.
//!
//! The default run is fast: 2,000 cases per target. `GCDOCTOR_FUZZ_CASES=N` sets the count
//! (and `GCDOCTOR_FUZZ_SEED=U64` fixes the random seed); each target prints its case count
//! and time with `--nocapture`. `docs/reliability.md` records the large runs.
//!
//! The request importers (curl, raw HTTP, HAR, Python, JavaScript) have their own property
//! tests; the PowerShell and C# importers are fuzzed here, with a secret planted in a
//! credential position that must never be shown.

use gcdoctor::config;
use gcdoctor::engine::ApiTarget;
use gcdoctor::engine::facts::TokenOutcome;
use gcdoctor::http::{Carries, Failure, Refused, Response, Sent, Transport, TransportOptions};
use gcdoctor::import;
use gcdoctor::linter;
use gcdoctor::region::{self, HostKind, REGIONS};
use gcdoctor::report::{self, Format, RenderOptions};
use gcdoctor::request::InputKind;
use gcdoctor::request::{CredLocation, FoundValue, HttpRequest, basic_value, form_encode};
use gcdoctor::secret;
use gcdoctor::secret::Redactor;
use gcdoctor::shape::{self, BasicView, Body, Dim, FixContext, Intended, read_basic};
use gcdoctor::sim::Scenario;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Cases per target: `GCDOCTOR_FUZZ_CASES`, default 2,000.
fn cases() -> u32 {
    std::env::var("GCDOCTOR_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// Runs one target: `cases()` inputs from `strategy` through `check`; panics with the
/// shrunk failing input.
fn fuzz<S: Strategy>(
    name: &str,
    strategy: S,
    check: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let n = cases();
    let mut config = Config {
        cases: n,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    if let Some(seed) = std::env::var("GCDOCTOR_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        config.rng_seed = RngSeed::Fixed(seed);
    }
    let started = Instant::now();
    let result = TestRunner::new(config).run(&strategy, check);
    eprintln!(
        "fuzz target {name}: {n} cases in {:.1} s: {}",
        started.elapsed().as_secs_f64(),
        if result.is_ok() { "ok" } else { "FAILED" }
    );
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

// ---------------------------------------------------------------------------------------
// Mutations of valid input.

/// One edit of a text.
#[derive(Clone, Debug)]
enum Edit {
    Delete { at: f64, len: usize },
    Insert { at: f64, text: String },
    Replace { at: f64, len: usize, text: String },
    DuplicateLine { at: f64 },
    SwapLines { a: f64, b: f64 },
    Truncate { at: f64 },
}

/// Fragments that tend to break parsers of TOML, JSON, URLs, headers and forms.
const TOKENS: &[&str] = &[
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ",",
    ":",
    "\n",
    "\r\n",
    "#",
    "\\",
    "\\u0000",
    "\\uD800",
    "\u{0}",
    "\u{feff}",
    "\u{202e}",
    "é",
    "𝕏",
    "ß",
    "%",
    "%2B",
    "%zz",
    "+",
    "&",
    "?",
    "/",
    "//",
    "@",
    "..",
    "\t",
    " ",
    "-1",
    "0",
    "1e999",
    "65536",
    "99999999999999999999999",
    "true",
    "null",
    "NaN",
    "[[clients]]",
    "[service]",
    "[demo]",
    "region = \"eu-west-1\"",
    "region = \"mars-1\"",
    "id = \"",
    "secret = \"\"",
    "state = \"x\"",
    "grant = \"CODE\"",
    "roles = [\"x\"]",
    "requests = 0",
    "window_secs = 0",
    "latency_ms = -5",
    "{\"",
    "\":",
    "[]",
    "{}",
    "login.",
    "api.",
    "mypurecloud.ie",
    "https://",
    "http://",
    "Basic ",
    "Bearer ",
    "client_secret=",
    "grant_type=",
    "access_token",
    "error",
    "rate limit exceeded;",
];

fn edit() -> impl Strategy<Value = Edit> {
    let frac = 0.0..1.0f64;
    let text = prop_oneof![
        proptest::sample::select(TOKENS).prop_map(str::to_string),
        ".{0,12}",
        proptest::collection::vec(proptest::sample::select(TOKENS), 1..4).prop_map(|v| v.concat()),
    ];
    prop_oneof![
        (frac.clone(), 1..40usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (frac.clone(), text.clone()).prop_map(|(at, text)| Edit::Insert { at, text }),
        (frac.clone(), 1..20usize, text).prop_map(|(at, len, text)| Edit::Replace {
            at,
            len,
            text
        }),
        frac.clone().prop_map(|at| Edit::DuplicateLine { at }),
        (frac.clone(), frac.clone()).prop_map(|(a, b)| Edit::SwapLines { a, b }),
        frac.prop_map(|at| Edit::Truncate { at }),
    ]
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(edit(), 1..6)
}

/// Applies edits on char boundaries.
fn mutate(source: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = source.chars().collect();
    let pos = |at: f64, len: usize| ((at * len as f64) as usize).min(len);
    for e in edits {
        let n = chars.len();
        match e {
            Edit::Delete { at, len } => {
                let a = pos(*at, n);
                let b = (a + len).min(n);
                chars.drain(a..b);
            }
            Edit::Insert { at, text } => {
                let a = pos(*at, n);
                chars.splice(a..a, text.chars());
            }
            Edit::Replace { at, len, text } => {
                let a = pos(*at, n);
                let b = (a + len).min(n);
                chars.splice(a..b, text.chars());
            }
            Edit::DuplicateLine { at } | Edit::SwapLines { a: at, .. }
                if !chars.contains(&'\n') =>
            {
                let a = pos(*at, n);
                chars.truncate(a);
            }
            Edit::DuplicateLine { at } => {
                let s: String = chars.iter().collect();
                let mut lines: Vec<&str> = s.split('\n').collect();
                let i = pos(*at, lines.len() - 1);
                lines.insert(i, lines[i]);
                chars = lines.join("\n").chars().collect();
            }
            Edit::SwapLines { a, b } => {
                let s: String = chars.iter().collect();
                let mut lines: Vec<&str> = s.split('\n').collect();
                let (i, j) = (pos(*a, lines.len() - 1), pos(*b, lines.len() - 1));
                lines.swap(i, j);
                chars = lines.join("\n").chars().collect();
            }
            Edit::Truncate { at } => {
                let a = pos(*at, n);
                chars.truncate(a);
            }
        }
    }
    chars.into_iter().collect()
}

// ---------------------------------------------------------------------------------------
// Regions and hosts.

/// Every spelling of a region the contract accepts, with random case and whitespace.
fn region_spelling() -> impl Strategy<Value = (usize, String)> + Clone {
    (0..REGIONS.len(), 0..7usize, any::<bool>(), "[ \t]{0,2}").prop_map(|(i, form, upper, pad)| {
        let r = &REGIONS[i];
        let s = match form {
            0 => r.key.to_string(),
            1 => r.sdk_key.to_string(),
            2 => r.domain.to_string(),
            3 => format!("login.{}", r.domain),
            4 => format!("https://api.{}/", r.domain),
            5 => format!("api.{}.", r.domain),
            _ => r.discovery.unwrap_or(r.key).to_string(),
        };
        let s = if upper { s.to_ascii_uppercase() } else { s };
        (i, format!("{pad}{s}{pad}"))
    })
}

#[test]
fn fuzz_region_parse() {
    let input = prop_oneof![
        region_spelling().prop_map(|(i, s)| (Some(i), s)),
        (region_spelling(), edits()).prop_map(|((_, s), e)| (None, mutate(&s, &e))),
        any::<String>().prop_map(|s| (None, s)),
    ];
    fuzz("region::parse", input, |(want, s)| {
        match region::parse(&s) {
            Ok(r) => {
                if let Some(i) = want {
                    prop_assert_eq!(r.key, REGIONS[i].key, "{:?}", s);
                }
            }
            Err(e) => {
                prop_assert!(want.is_none(), "valid spelling {:?} refused: {}", s, e);
                // Quoted when it is plainly a region attempt, else by shape (it may be a
                // secret given in the region's place).
                let shown = gcdoctor::secret::mask::region_attempt(&e.input);
                prop_assert!(e.to_string().contains(&shown));
                if shown != e.input {
                    prop_assert!(shown.starts_with("<redacted: "), "{}", shown);
                }
                if let Some(sug) = &e.suggestion {
                    prop_assert!(
                        region::parse(sug).is_ok(),
                        "suggestion {:?} does not parse",
                        sug
                    );
                }
            }
        }
        Ok(())
    });
}

fn host() -> impl Strategy<Value = String> {
    let base = (0..REGIONS.len(), 0..4usize).prop_map(|(i, k)| {
        let d = REGIONS[i].domain;
        match k {
            0 => format!("login.{d}"),
            1 => format!("api.{d}"),
            2 => format!("apps.{d}"),
            _ => d.to_string(),
        }
    });
    prop_oneof![
        base.clone(),
        (base, edits()).prop_map(|(h, e)| mutate(&h, &e)),
        "[a-z0-9.-]{0,40}",
        any::<String>(),
    ]
}

#[test]
fn fuzz_classify_host() {
    fuzz("region::classify_host", host(), |h| {
        let norm = h.trim_end_matches('.').to_ascii_lowercase();
        match region::classify_host(&h) {
            // The security invariant: only the exact login and api hosts qualify.
            HostKind::Login(r) => prop_assert_eq!(norm, format!("login.{}", r.domain)),
            HostKind::Api(r) => prop_assert_eq!(norm, format!("api.{}", r.domain)),
            HostKind::OtherInDomain(r) => prop_assert!(
                norm == r.domain || norm.ends_with(&format!(".{}", r.domain)),
                "{}",
                h
            ),
            HostKind::Unknown => {}
        }
        Ok(())
    });
}

/// URLs around the token endpoint, mutated toward the classic tricks: userinfo, ports,
/// backslashes, encoded dots, IDNA, trailing dots.
fn token_url() -> impl Strategy<Value = String> {
    let tricks = proptest::sample::select(vec![
        "https://login.mypurecloud.ie/oauth/token",
        "https://login.mypurecloud.ie@evil.example/oauth/token",
        "https://evil.example\\@login.mypurecloud.ie/oauth/token",
        "https://login.mypurecloud.ie.evil.example/oauth/token",
        "https://login.mypurecloud.ie%2eevil.example/",
        "https://login.mypurecloud.ie:443/oauth/token",
        "https://LOGIN.MYPURECLOUD.IE./oauth/token",
        "http://login.mypurecloud.ie/oauth/token",
        "https://login。mypurecloud。ie/oauth/token",
        "https://api.mypurecloud.com/oauth/token",
        "https://xn--login-mypurecloud-ie.example/",
    ]);
    prop_oneof![
        tricks.clone().prop_map(str::to_string),
        (tricks, edits()).prop_map(|(u, e)| mutate(u, &e)),
    ]
}

#[test]
fn fuzz_secret_policy_on_urls() {
    let t = Transport::new(TransportOptions::default(), Default::default());
    let input = (token_url(), 0..3usize);
    fuzz("http::Transport::check_policy", input, |(u, which)| {
        let Ok(url) = url::Url::parse(&u) else {
            return Ok(());
        };
        let carries = [Carries::Credentials, Carries::UserRequest, Carries::Nothing][which];
        if t.check_policy(&url, carries).is_ok() && carries != Carries::Nothing {
            let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
            prop_assert_eq!(url.scheme(), "https", "{}", u);
            let ok = match region::classify_host(&host) {
                HostKind::Login(r) => host.trim_end_matches('.') == format!("login.{}", r.domain),
                HostKind::Api(_) => carries == Carries::UserRequest,
                _ => false,
            };
            prop_assert!(ok, "credentials allowed to {:?} ({})", host, u);
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// The Basic header.

#[test]
fn fuzz_read_basic() {
    let input = prop_oneof![
        // Round trip: any id without ':' and any secret.
        ("[^:]{0,40}", any::<String>())
            .prop_map(|(id, s)| (Some((id.clone(), s.clone())), basic_value(&id, &s))),
        // Mutated headers.
        (("[^:]{0,40}", ".{0,40}"), edits())
            .prop_map(|((id, s), e)| (None, mutate(&basic_value(&id, &s), &e))),
        any::<String>().prop_map(|s| (None, s)),
    ];
    fuzz("shape::read_basic", input, |(want, v)| {
        let view = read_basic(&v);
        if let Some((id, secret)) = want {
            prop_assert_eq!(view, BasicView::Ok { id, secret });
        }
        let _ = gcdoctor::http::mask_authorization(&v);
        Ok(())
    });
}

#[test]
fn fuzz_mask_authorization_never_shows_the_secret() {
    let input = (
        "[0-9a-f-]{0,36}",
        "[A-Za-z0-9+/=_-]{12,64}",
        "(Basic|basic|BASIC) {1,3}",
    );
    fuzz("http::mask_authorization", input, |(id, secret, scheme)| {
        let v = format!("{scheme}{}", &basic_value(&id, &secret)[6..]);
        let shown = gcdoctor::http::mask_authorization(&v);
        prop_assert!(!shown.contains(&secret), "{}", shown);
        prop_assert!(!shown.contains(&v[scheme.len()..]), "{}", shown);
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// Requests: body parsing, shape analysis, one-dimension flips.

fn request() -> impl Strategy<Value = HttpRequest> {
    let method = prop_oneof![
        proptest::sample::select(vec!["POST", "GET", "post", "PUT"]).prop_map(str::to_string),
        "[A-Za-z]{0,8}",
    ];
    let url = prop_oneof![token_url(), any::<String>()];
    let header_name = prop_oneof![
        proptest::sample::select(vec![
            "Authorization",
            "authorization",
            "Content-Type",
            "Accept",
            "Host",
            "Content-Length",
        ])
        .prop_map(str::to_string),
        "[A-Za-z-]{1,12}",
    ];
    let header_value = prop_oneof![
        ("[^:]{0,20}", ".{0,30}").prop_map(|(i, s)| basic_value(&i, &s)),
        proptest::sample::select(vec![
            "application/x-www-form-urlencoded",
            "application/json",
            "multipart/form-data; boundary=x",
            "text/plain",
        ])
        .prop_map(str::to_string),
        ".{0,40}",
    ];
    let body_base = prop_oneof![
        Just(b"grant_type=client_credentials".to_vec()),
        ("[a-z_]{1,12}", ".{0,20}", "[a-z_]{1,12}", ".{0,20}").prop_map(|(a, b, c, d)| {
            format!("{a}={}&{c}={d}", form_encode(&b)).into_bytes()
        }),
        Just(b"{\"grant_type\":\"client_credentials\",\"client_secret\":\"x\"}".to_vec()),
        Just(b"--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--x--\r\n".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..80),
    ];
    let body = prop_oneof![
        body_base.clone(),
        (body_base, edits())
            .prop_map(|(b, e)| mutate(&String::from_utf8_lossy(&b), &e).into_bytes()),
    ];
    (
        method,
        url,
        proptest::collection::vec((header_name, header_value), 0..5),
        body,
    )
        .prop_map(|(method, url, headers, body)| HttpRequest {
            method,
            url,
            headers,
            body,
        })
}

fn intended() -> impl Strategy<Value = Intended> {
    let value = prop_oneof![
        Just(None),
        ".{0,40}".prop_map(|v| Some(FoundValue::literal(&v, CredLocation::BasicHeader, Some(1)))),
        ("[a-z_]{1,12}", ".{0,40}").prop_map(|(p, v)| Some(FoundValue::literal(
            &v,
            CredLocation::BodyParam(p),
            None
        ))),
    ];
    (value.clone(), value).prop_map(|(id, secret)| Intended { id, secret })
}

#[test]
fn fuzz_body_parse_and_analyze() {
    fuzz(
        "shape::Body::parse + shape::analyze + shape::apply",
        (request(), intended()),
        |(req, intended)| {
            let body = Body::parse(&req);
            let _ = body.params();
            let _ = format!("{body:?}{req:?}");
            let analysis = shape::analyze(&req, &intended, &BTreeMap::new());
            for d in &analysis.defects {
                prop_assert!(!d.finding.summary.is_empty());
            }
            let ctx = FixContext {
                token_url: "https://login.mypurecloud.ie/oauth/token".into(),
                id: intended
                    .id
                    .as_ref()
                    .map(|v| v.value.clone())
                    .unwrap_or_default(),
                secret: intended
                    .secret
                    .as_ref()
                    .map(|v| v.value.clone())
                    .unwrap_or_default(),
            };
            for d in Dim::ALL {
                let _ = shape::apply(&req, d, &ctx);
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------
// Answers of the token endpoint.

const BODIES: &[&str] = &[
    r#"{"access_token":"TOKEN-VALUE-0123456789abcdef","token_type":"bearer","expires_in":86400}"#,
    r#"{"error":"invalid_client","description":"authentication failed","error_description":"authentication failed"}"#,
    r#"{"error":"invalid_request","description":"rate limit exceeded; try later","error_description":"rate limit exceeded; try later"}"#,
    r#"{"message":"Rate limit exceeded","code":"too.many.requests","status":429}"#,
    r#"<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>"#,
    r#"{"error":"unauthorized_client"}"#,
    "",
];

fn response() -> impl Strategy<Value = (String, Sent)> {
    let status = prop_oneof![
        proptest::sample::select(vec![200u16, 302, 307, 400, 401, 403, 404, 429, 500, 503]),
        100u16..600,
    ];
    let body = prop_oneof![
        proptest::sample::select(BODIES).prop_map(|b| b.as_bytes().to_vec()),
        (proptest::sample::select(BODIES), edits()).prop_map(|(b, e)| mutate(b, &e).into_bytes()),
        proptest::collection::vec(any::<u8>(), 0..100),
    ];
    let headers = proptest::collection::vec(
        (
            proptest::sample::select(vec!["content-type", "retry-after", "location", "x-other"]),
            prop_oneof![
                proptest::sample::select(vec![
                    "application/json",
                    "text/html",
                    "99999999999999999999",
                    "Wed, 21 Oct 2015 07:28:00 GMT"
                ])
                .prop_map(str::to_string),
                ".{0,30}",
            ],
        ),
        0..4,
    );
    let sent = prop_oneof![
        8 => (status, headers, body, any::<bool>()).prop_map(|(status, headers, body, truncated)| {
            Sent::Response(Response {
                status,
                headers: headers.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                body,
                truncated,
                elapsed: Duration::from_millis(5),
                n: 1,
            })
        }),
        1 => ".{0,20}".prop_map(|s| Sent::Failed { failure: Failure::Protocol(s), n: 1 }),
        1 => Just(Sent::NotSent(Refused::Budget)),
    ];
    (host(), sent)
}

#[test]
fn fuzz_token_outcome_classify() {
    fuzz(
        "engine::facts::TokenOutcome::classify",
        response(),
        |(host, sent)| {
            let outcome = TokenOutcome::classify(&host, &sent);
            let brief = outcome.brief();
            let _ = (
                outcome.is_rejection(),
                outcome.is_client_rejection(),
                outcome.reached(),
            );
            if let Sent::Response(r) = &sent {
                if r.status == 429 {
                    prop_assert!(
                        matches!(outcome, TokenOutcome::Throttled { .. }),
                        "{:?}",
                        outcome
                    );
                }
                if let TokenOutcome::Token { token, .. } = &outcome {
                    prop_assert!((200..300).contains(&r.status));
                    // A verdict line never shows the token.
                    if token.expose().len() >= 8 {
                        prop_assert!(!brief.contains(token.expose()), "{}", brief);
                    }
                }
                if r.status >= 500 && r.status != 429 {
                    prop_assert!(
                        matches!(outcome, TokenOutcome::ServiceError { .. }),
                        "{:?}",
                        outcome
                    );
                }
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------
// Secret scrubbing: the last line of defence.

#[test]
fn fuzz_redactor_removes_every_form() {
    let secret = "[!-;=?-~]{8,48}"; // printable ASCII without '<' and '>'
    let input = (secret, "[0-9a-f-]{0,36}", ".{0,20}", ".{0,20}", 0..7usize);
    fuzz(
        "secret::Redactor::scrub",
        input,
        |(secret, id, pre, post, form)| {
            let mut r = Redactor::new();
            r.add(&secret);
            let pct =
                percent_encoding::utf8_percent_encode(&secret, percent_encoding::NON_ALPHANUMERIC)
                    .to_string();
            use base64::Engine as _;
            let shown = match form {
                0 => secret.clone(),
                1 => pct.clone(),
                2 => pct.to_ascii_lowercase(),
                3 => form_encode(&secret),
                4 => serde_json::to_string(&secret).unwrap(),
                5 => basic_value(&id, &secret),
                _ => base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .encode(format!("{id}:{secret}")),
            };
            let out = r.scrub(&format!("{pre}{shown}{post}"));
            prop_assert!(!r.leaks(&out), "{:?}", out);
            prop_assert!(!out.contains(&secret), "{:?}", out);
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------
// Files: .env, the gc CLI config, the batch clients file.

#[derive(Clone, Debug)]
enum Quote {
    Plain,
    Double,
    Single,
    Export,
}

#[test]
fn fuzz_env_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    let entry = (
        "[A-Za-z_][A-Za-z0-9_]{0,15}",
        // No newline (one line per entry), no leading blank, no " #" (an inline comment).
        "[^\\s\"'][^\n\r#]{0,30}",
        prop_oneof![
            Just(Quote::Plain),
            Just(Quote::Double),
            Just(Quote::Single),
            Just(Quote::Export)
        ],
    );
    let input = prop_oneof![
        proptest::collection::vec(entry, 0..6).prop_map(Ok),
        proptest::collection::vec(any::<u8>(), 0..200).prop_map(Err),
    ];
    fuzz("config::read_env_file", input, |input| {
        match input {
            Ok(entries) => {
                let mut text = String::from("# generated\n\n");
                let mut want = BTreeMap::new();
                for (k, v, q) in &entries {
                    let v = v.trim_end().to_string();
                    let line = match q {
                        Quote::Plain => format!("{k}={v}"),
                        Quote::Double => format!("{k}=\"{v}\""),
                        Quote::Single => format!("{k}='{v}'"),
                        Quote::Export => format!("export {k}={v}"),
                    };
                    text.push_str(&line);
                    text.push('\n');
                    want.insert(k.clone(), v);
                }
                std::fs::write(&path, &text).unwrap();
                let got = config::read_env_file(&path);
                prop_assert!(got.is_ok(), "{:?}\n{}", got.err(), text);
                prop_assert_eq!(got.unwrap(), want, "{}", text);
            }
            Err(bytes) => {
                std::fs::write(&path, &bytes).unwrap();
                if let Err(e) = config::read_env_file(&path) {
                    prop_assert!(e.0.contains(&path.display().to_string()), "{}", e);
                }
            }
        }
        Ok(())
    });
}

#[test]
fn fuzz_gc_profiles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let profile = (
        "[A-Za-z0-9_-]{1,12}",
        ".{0,40}",
        ".{0,40}",
        proptest::option::of(region_spelling().prop_map(|(_, s)| s)),
    );
    let valid = profile.prop_map(|(name, id, secret, env)| {
        let mut t = toml::Table::new();
        t.insert("client_credentials".into(), id.clone().into());
        t.insert("client_secret".into(), secret.clone().into());
        t.insert("grant_type".into(), "1".into());
        if let Some(e) = &env {
            t.insert("environment".into(), e.clone().into());
        }
        let mut doc = toml::Table::new();
        doc.insert(name.clone(), toml::Value::Table(t));
        (name, id, secret, env, toml::to_string(&doc).unwrap())
    });
    let input = prop_oneof![
        valid.clone().prop_map(Ok),
        (valid, edits()).prop_map(|((name, .., text), e)| Err((name, mutate(&text, &e)))),
    ];
    fuzz("config::read_gc_profile", input, |input| {
        match input {
            Ok((name, id, secret, env, text)) => {
                std::fs::write(&path, &text).unwrap();
                let p = config::read_gc_profile(&path, &name, true);
                prop_assert!(matches!(p, Ok(Some(_))), "{:?}\n{}", p, text);
                let p = p.unwrap().unwrap();
                prop_assert_eq!(p.client_id.clone(), Some(id).filter(|v| !v.is_empty()));
                prop_assert_eq!(
                    p.client_secret.clone(),
                    Some(secret).filter(|v| !v.is_empty())
                );
                prop_assert_eq!(p.environment.clone(), env.filter(|v| !v.is_empty()));
                if let Some(e) = &p.environment {
                    prop_assert!(config::gc_environment(e).is_ok(), "{}", e);
                }
            }
            Err((name, text)) => {
                std::fs::write(&path, &text).unwrap();
                for asked in [true, false] {
                    if let Err(e) = config::read_gc_profile(&path, &name, asked) {
                        prop_assert!(e.0.contains(&path.display().to_string()), "{}", e);
                    }
                }
            }
        }
        Ok(())
    });
}

#[test]
fn fuzz_clients_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clients.txt");
    let valid = proptest::sample::select(vec![
        "# id region secret\n7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61 eu-west-1 env:EU_SECRET\n2a4c6e80-1b3d-4f57-9a0b-c2d4e6f80a1b file:/run/s\n",
        "[{\"client_id\": \"7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61\", \"region\": \"eu-west-1\", \"secret_env\": \"X\"}]\n",
    ]);
    let input = prop_oneof![
        (valid, edits()).prop_map(|(t, e)| mutate(t, &e)),
        any::<String>(),
    ];
    fuzz("commands::clients_file::parse_clients", input, |text| {
        std::fs::write(&path, &text).unwrap();
        let _ = gcdoctor::commands::clients_file::parse_clients(&path);
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// Command-line values.

#[test]
fn fuzz_check_api_and_explain_arguments() {
    let call = prop_oneof![
        (
            proptest::sample::select(vec!["GET ", "get ", "POST ", "", "GET\t"]),
            "/api/v2/[a-z/?=&]{0,30}"
        )
            .prop_map(|(m, p)| format!("{m}{p}")),
        any::<String>(),
    ];
    fuzz("engine::ApiTarget::parse, catalogue lookup", call, |s| {
        if let Ok(t) = ApiTarget::parse(&s) {
            prop_assert_eq!(t.method.as_str(), "GET");
            prop_assert!(t.path.starts_with("/api/v2/"), "{:?}", t);
        }
        let _ = gcdoctor::catalogue::CauseId::lookup(&s);
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// Simulator scenarios.

fn builtin_sources() -> Vec<&'static str> {
    Scenario::builtin_names()
        .iter()
        .filter_map(|(n, _)| Scenario::builtin_source(n))
        .collect()
}

/// Checks a scenario parse result: an error is located inside the text it names.
fn check_scenario(
    result: Result<Scenario, gcdoctor::sim::ScenarioError>,
    text: &str,
    origin: &str,
) -> Result<(), TestCaseError> {
    match result {
        Ok(s) => {
            let _ = s.demo_inputs();
            let _ = gcdoctor::sim::banner(&s, "127.0.0.1:8089".parse().unwrap());
        }
        Err(e) => {
            let shown = e.to_string();
            prop_assert!(shown.starts_with(origin), "{}", shown);
            prop_assert!(!e.message.is_empty());
            if let Some(line) = e.line {
                let lines = text.split('\n').count();
                prop_assert!(
                    line >= 1 && line <= lines + 1,
                    "line {} of {}: {}",
                    line,
                    lines,
                    shown
                );
            }
            if let Some(col) = e.column {
                prop_assert!(col >= 1, "{}", shown);
            }
        }
    }
    Ok(())
}

#[test]
fn fuzz_scenario_toml() {
    let sources = builtin_sources();
    let input = (proptest::sample::select(sources), edits());
    fuzz("sim::Scenario::from_toml_str", input, |(src, e)| {
        let text = mutate(src, &e);
        check_scenario(
            Scenario::from_toml_str(&text, "fuzz.toml"),
            &text,
            "fuzz.toml",
        )
    });
}

#[test]
fn fuzz_scenario_json() {
    let sources: Vec<String> = builtin_sources()
        .into_iter()
        .map(|s| {
            let v: toml::Value = toml::from_str(s).unwrap();
            serde_json::to_string_pretty(&v).unwrap()
        })
        .collect();
    // The JSON forms are valid scenarios too.
    for s in &sources {
        Scenario::from_json_str(s, "builtin.json").unwrap();
    }
    let input = (proptest::sample::select(sources), edits());
    fuzz("sim::Scenario::from_json_str", input, |(src, e)| {
        let text = mutate(&src, &e);
        check_scenario(
            Scenario::from_json_str(&text, "fuzz.json"),
            &text,
            "fuzz.json",
        )
    });
}

// ---------------------------------------------------------------------------------------
// The script importers added by issue 18: PowerShell, C#, Java and Go.

/// A secret planted in a credential position of the generated scripts.
const PLANTED: &str = "Tq7wZp3KxN9vLb2RmY5cHs4J";

/// Credential positions of each language, `{S}` standing for the planted secret.
const PLANTS: &[(InputKind, &str)] = &[
    (InputKind::PowerShell, "$clientSecret = '{S}'"),
    (
        InputKind::PowerShell,
        "Invoke-RestMethod -Uri https://login.mypurecloud.com/oauth/token -Method Post -Body @{ grant_type = 'client_credentials'; client_secret = \"{S}\" }",
    ),
    (
        InputKind::PowerShell,
        "$h = @{ Authorization = 'Basic {S}' }",
    ),
    (
        InputKind::CSharp,
        "var pair = new KeyValuePair<string, string>(\"client_secret\", \"{S}\");",
    ),
    (
        InputKind::CSharp,
        "var t = Configuration.Default.ApiClient.PostToken(\"3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b\", @\"{S}\");",
    ),
    (
        InputKind::CSharp,
        "http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(\"Basic\", \"{S}\");",
    ),
    (
        InputKind::CSharp,
        "var auth = new HttpBasicAuthenticator(id, $\"{S}\");",
    ),
    (
        InputKind::Java,
        "class Planted { String clientSecret = \"{S}\"; }",
    ),
    (
        InputKind::Java,
        "String form = \"grant_type=client_credentials&client_secret={S}\";",
    ),
    (InputKind::Go, "var clientSecret = \"{S}\""),
    (
        InputKind::Go,
        "req.SetBasicAuth(\"3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b\", `{S}`)",
    ),
];

/// The fixtures of a kind, as text.
fn script_fixtures(kind: InputKind) -> Vec<String> {
    let dir = format!(
        "{}/tests/fixtures/{}",
        env!("CARGO_MANIFEST_DIR"),
        kind.as_str()
    );
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Imports `text` as `kind` and lints it, as the binary does: no panic, a bounded time, and
/// no run of 8 characters of `secret` in the report or the error message.
fn import_and_lint(kind: InputKind, text: &str, secret: &str) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let env = |name: &str| (name == "GENESYS_CLIENT_ID").then(|| "x+y z".to_string());
    let shown = match import::parse(text, kind, "fuzz", &env) {
        Ok(imp) => {
            let report = linter::lint(&imp);
            let redactor = secret::global::snapshot();
            [Format::Text, Format::Json]
                .into_iter()
                .map(|f| report::render(&report, f, RenderOptions::default(), &redactor))
                .collect::<Vec<_>>()
                .join("\n")
        }
        Err(e) => secret::global::scrub(&e.to_string()),
    };
    prop_assert!(
        started.elapsed() < Duration::from_secs(10),
        "{} took {:?}",
        kind.as_str(),
        started.elapsed()
    );
    let chars: Vec<char> = secret.chars().collect();
    for w in chars.windows(8) {
        let run: String = w.iter().collect();
        prop_assert!(
            !shown.contains(&run),
            "`{run}` of the secret shown:\n{shown}"
        );
    }
    Ok(())
}

#[test]
fn fuzz_script_importers() {
    let kinds = [
        InputKind::PowerShell,
        InputKind::CSharp,
        InputKind::Java,
        InputKind::Go,
    ];
    let sources: Vec<(InputKind, Vec<String>)> =
        kinds.iter().map(|k| (*k, script_fixtures(*k))).collect();
    // Mutated fixtures around an intact credential position.
    let strategy = (
        0..PLANTS.len(),
        any::<prop::sample::Index>(),
        edits(),
        any::<prop::sample::Index>(),
        edits(),
    );
    fuzz(
        "powershell/csharp/java/go mutated",
        strategy,
        |(p, a, ea, b, eb)| {
            let (kind, plant) = PLANTS[p];
            let list = &sources.iter().find(|s| s.0 == kind).unwrap().1;
            let before = mutate(a.get::<String>(list), &ea);
            let after = mutate(b.get::<String>(list), &eb);
            let text = format!("{before}\n{}\n{after}", plant.replace("{S}", PLANTED));
            import_and_lint(kind, &text, PLANTED)
        },
    );
    // Arbitrary text in each language's own characters.
    let soup = (
        0..kinds.len(),
        "[a-zA-Z0-9 _.,:;=+%()\\[\\]{}'\"`$@\\\\\\n/*!?&|<>#-]{0,300}",
    );
    fuzz("powershell/csharp/java/go soup", soup, |(k, s)| {
        import_and_lint(kinds[k], &s, PLANTED)?;
        let start = match kinds[k] {
            InputKind::PowerShell => "Invoke-RestMethod -Uri ",
            InputKind::Java => "HttpRequest.newBuilder().uri(URI.create(",
            InputKind::Go => "http.PostForm(",
            _ => "await new HttpClient().PostAsync(",
        };
        import_and_lint(kinds[k], &format!("{start}{s}"), PLANTED)
    });
}
