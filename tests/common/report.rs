//! Helpers shared by the `report_*` tests, included with `#[path = "common/report.rs"] mod
//! common;`.
#![allow(dead_code)]

use gcdoctor::catalogue::CauseId;
use gcdoctor::finding::{Finding, Severity};
use gcdoctor::region;
use gcdoctor::report::{
    Check, CheckStatus, Exchange, InputSource, RegionInfo, Report, ReportKind, ShownRequest,
    ShownResponse, Suggestion, Verdict,
};
use gcdoctor::sim::{self, Scenario, SimHandle};
use std::io::Write as _;
use std::net::SocketAddr;
use std::process::Output;

/// The fixed demo credentials of the built-in scenarios (docs/simulator.md).
pub const MAIN_ID: &str = "7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61";
pub const MAIN_SECRET: &str = "s8B8Dq65NERzuWc78TLlI8IipDKO-u2TO9G6kAj3FJE";
pub const OLD_SECRET: &str = "oEfbgjhIDzq5lWT11XXT_52qpETQlbGbnkuvWRhHnLS";
pub const ADMIN_ID: &str = "e4a1b2c3-d5e6-4f70-8a91-b2c3d4e5f607";
pub const ADMIN_SECRET: &str = "oNBGy0sxXFlm6P7o2nuEdMlbt3yfF8XOOc_tuaZRPq7";
pub const ADMIN_TOKEN: &str = "SimAdminToken-euw1-Xk29fQ7mLp4Rt8Wz1Vb6Nc3Hd5Jg0Ys2";
pub const US_SECRET: &str = "LmH8LIwnYSgrZMSWEI7rcBO-k903w_L_5S5WoBkopkG";
pub const CODE_ID: &str = "5d2e8f10-3a4b-4c6d-8e7f-90a1b2c3d4e5";
pub const CODE_SECRET: &str = "J8qeuV9G4JUJY7Gknt8oZ9AcJKPtvWF4odI5gwxVTrj";
pub const WALLBOARD_SECRET: &str = "weKRo+hNskTY/1SFpjip=MAbvQP3dr+ac0HR4/c3jpA";

/// Every secret of the built-in scenarios.
pub const SECRETS: &[&str] = &[
    MAIN_SECRET,
    OLD_SECRET,
    ADMIN_SECRET,
    ADMIN_TOKEN,
    US_SECRET,
    CODE_SECRET,
    WALLBOARD_SECRET,
];

pub const FORMATS: &[&str] = &["text", "markdown", "json", "junit"];

/// The gcdoctor binary, with no colour and no inherited seam.
pub fn gcdoctor() -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("gcdoctor");
    c.env_remove("GCDOCTOR_CONNECT_TO")
        .env_remove("GENESYSCLOUD_OAUTHCLIENT_ID")
        .env_remove("GENESYSCLOUD_OAUTHCLIENT_SECRET")
        .env_remove("GENESYSCLOUD_REGION")
        .env("NO_COLOR", "1")
        .env("LANG", "C.UTF-8");
    c
}

/// `gcdoctor demo --scenario NAME --format FORMAT` plus `extra`.
pub fn demo(scenario: &str, format: &str, extra: &[&str]) -> Output {
    let mut c = gcdoctor();
    c.args(["demo", "--scenario", scenario, "--format", format])
        .args(extra);
    c.output().expect("gcdoctor runs")
}

/// The names of the built-in scenarios.
pub fn scenarios() -> Vec<&'static str> {
    Scenario::builtin_names().iter().map(|(n, _)| *n).collect()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A simulator on a free port, on its own runtime, for the real binary to talk to.
pub struct Sim {
    handle: Option<SimHandle>,
    runtime: tokio::runtime::Runtime,
}

impl Sim {
    pub fn start(scenario: &str) -> Sim {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let s = Scenario::builtin(scenario).expect("built-in scenario");
        let handle = runtime
            .block_on(sim::start(s, SocketAddr::from(([127, 0, 0, 1], 0))))
            .expect("simulator starts");
        Sim {
            handle: Some(handle),
            runtime,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.handle.as_ref().expect("running").addr()
    }

    /// `gcdoctor diagnose` against this simulator, the secret given in a 0600 file.
    pub fn diagnose(&self, secret: &str, args: &[&str]) -> Output {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("secret.txt");
        let mut f = std::fs::File::create(&path).expect("secret file");
        f.write_all(secret.as_bytes()).expect("write secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        let mut c = gcdoctor();
        c.env("GCDOCTOR_CONNECT_TO", self.addr().to_string())
            .arg("diagnose")
            .args(args)
            .arg("--client-secret-file")
            .arg(&path);
        c.output().expect("gcdoctor runs")
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            let _guard = self.runtime.enter();
            h.shutdown();
        }
    }
}

/// An inconclusive run: the old secret, no admin access.
pub fn inconclusive(format: &str, extra: &[&str]) -> Output {
    let sim = Sim::start("wrong-secret");
    let mut args = vec![
        "--client-id",
        MAIN_ID,
        "--region",
        "eu-west-1",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    sim.diagnose(OLD_SECRET, &args)
}

/// A lint report as `gcdoctor lint` would make it for a curl command with three defects.
pub fn lint_report() -> Report {
    let mut r = Report::new(ReportKind::Lint);
    r.verdict = Verdict::Defects;
    r.target = Some("get-token.sh".into());
    r.findings = vec![
        Finding::new(
            CauseId::JsonBody,
            Severity::Error,
            "the body is JSON: the login service reads only form-encoded parameters",
        )
        .evidence("line 3: -H 'Content-Type: application/json'")
        .evidence(r#"line 4: -d '{"grant_type": "client_credentials"}'"#)
        .example("curl -sS -u \"$CLIENT_ID:$CLIENT_SECRET\" \\\n  -d grant_type=client_credentials \\\n  https://login.mypurecloud.ie/oauth/token")
        .at_line(Some(4)),
        Finding::new(
            CauseId::WrongTokenUrl,
            Severity::Error,
            "`api.mypurecloud.ie` is the Platform API host; tokens come from `login.mypurecloud.ie`",
        )
        .evidence("line 1: https://api.mypurecloud.ie/oauth/token")
        .fix("POST to https://login.mypurecloud.ie/oauth/token")
        .at_line(Some(1)),
        Finding::new(
            CauseId::ScopeParameter,
            Severity::Warning,
            "`scope=admin` is sent; client-credentials tokens get their permissions from the client's roles",
        )
        .at_line(Some(5)),
    ];
    r.cause = Some(0);
    r.suggestion = Some(Suggestion {
        language: "curl".into(),
        text: "curl -sS -u \"$CLIENT_ID:$CLIENT_SECRET\" \\\n  -d grant_type=client_credentials \\\n  https://login.mypurecloud.ie/oauth/token".into(),
    });
    r.inputs = vec![InputSource {
        name: "request".into(),
        value: "curl command, 5 lines".into(),
        source: "file get-token.sh".into(),
    }];
    r
}

/// A clean lint report.
pub fn lint_clean_report() -> Report {
    let mut r = Report::new(ReportKind::Lint);
    r.verdict = Verdict::Clean;
    r.target = Some("get-token.sh".into());
    r
}

/// A diagnose report with every field filled, for format-level tests: one string per
/// field, all taken from `s` (so a test can put hostile or secret text everywhere).
pub fn report_with(s: &dyn Fn(&str) -> String) -> Report {
    let mut r = Report::new(ReportKind::Diagnose);
    r.verdict = Verdict::CauseFound;
    let cause = Finding::new(CauseId::WrongRegion, Severity::Error, s("summary"))
        .evidence(s("#1 evidence"))
        .evidence(s("evidence two"))
        .fix(s("fix"))
        .example(s("example"))
        .proven();
    let other = Finding::new(
        CauseId::ScopeParameter,
        Severity::Warning,
        s("other summary"),
    )
    .evidence(s("other evidence"))
    .fix(s("other fix"))
    .example(s("other example"))
    .at_line(Some(3));
    r.findings = vec![cause, other];
    r.cause = Some(0);
    r.region = RegionInfo {
        configured: region::by_key("us-east-1"),
        detected: region::by_key("eu-west-1"),
    };
    r.requests_sent = 2;
    r.round_trips = 1;
    r.checks = vec![
        check(
            s("check-a"),
            s("title a"),
            CheckStatus::Pass,
            s("summary a"),
        ),
        {
            let mut c = check(
                s("check-b"),
                s("title b"),
                CheckStatus::Fail,
                s("summary b"),
            );
            c.cause = Some(CauseId::WrongRegion);
            c.requests = 2;
            c
        },
        check(
            s("check-c"),
            s("title c"),
            CheckStatus::Skip,
            s("summary c"),
        ),
    ];
    r.exchanges = vec![
        Exchange {
            n: 1,
            purpose: s("purpose one"),
            request: ShownRequest {
                method: "POST".into(),
                url: s("https://login.mypurecloud.com/oauth/token?q="),
                headers: vec![
                    (s("X-Name"), s("header value")),
                    ("Authorization".into(), s("Basic ")),
                ],
                body: s("grant_type=client_credentials&x="),
            },
            response: Some(ShownResponse {
                status: 400,
                headers: vec![("content-type".into(), s("application/json; "))],
                body: s("{\"error\":\"invalid_client\",\"x\":\"\"}"),
                truncated: false,
            }),
            error: None,
            elapsed_ms: 3,
        },
        Exchange {
            n: 2,
            purpose: s("purpose two"),
            request: ShownRequest {
                method: "POST".into(),
                url: s("https://login.mypurecloud.ie/oauth/token"),
                headers: vec![],
                body: s("body two"),
            },
            response: None,
            error: Some(s("connection refused")),
            elapsed_ms: 4,
        },
    ];
    r.inputs = vec![InputSource {
        name: s("client id"),
        value: s("value"),
        source: s("source"),
    }];
    r.settle = vec![s("settle")];
    r.notes = vec![s("note")];
    r.target = Some(s("https://login.mypurecloud.com/oauth/token"));
    r.suggestion = Some(Suggestion {
        language: "curl".into(),
        text: s("suggested"),
    });
    r.command = Some(s("gcdoctor diagnose --region us-east-1"));
    r
}

fn check(id: String, title: String, status: CheckStatus, summary: String) -> Check {
    Check {
        id,
        title,
        status,
        summary,
        elapsed_ms: 5,
        requests: 0,
        cause: None,
    }
}

/// A report without the seam notice a run through the simulator opens with (text: a
/// `! TEST SEAM` paragraph; markdown: a `> ⚠️ **TEST SEAM:**` quote), so tests can read the
/// report's own first line. Panics when the notice is missing: every simulator run has it.
pub fn strip_seam(s: &str) -> String {
    assert!(
        s.starts_with("! TEST SEAM") || s.starts_with("> ⚠️ **TEST SEAM:**"),
        "no seam notice first: {s}"
    );
    match s.split_once("\n\n") {
        Some((_, rest)) => rest.to_string(),
        None => String::new(),
    }
}

/// Stdout of a run through the simulator, without its seam notice.
pub fn body(o: &Output) -> String {
    strip_seam(&stdout(o))
}
