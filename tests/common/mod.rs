//! Shared helpers for the integration tests: an in-process simulator, the real binary run
//! over the test seam, and checks of where secrets went.
#![allow(dead_code)]

use assert_cmd::Command;
use base64::Engine as _;
use gcdoctor::sim::{self, LoggedRequest, Scenario, SimHandle};
use serde_json::Value;
use std::collections::BTreeSet;

/// Fixed credentials of the built-in scenarios (docs/simulator.md).
pub const MAIN_ID: &str = "7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61";
pub const MAIN_SECRET: &str = "s8B8Dq65NERzuWc78TLlI8IipDKO-u2TO9G6kAj3FJE";
pub const OLD_SECRET: &str = "oEfbgjhIDzq5lWT11XXT_52qpETQlbGbnkuvWRhHnLS";
pub const UNKNOWN_ID: &str = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
pub const ADMIN_ID: &str = "e4a1b2c3-d5e6-4f70-8a91-b2c3d4e5f607";
pub const ADMIN_SECRET: &str = "oNBGy0sxXFlm6P7o2nuEdMlbt3yfF8XOOc_tuaZRPq7";
pub const ADMIN_TOKEN: &str = "SimAdminToken-euw1-Xk29fQ7mLp4Rt8Wz1Vb6Nc3Hd5Jg0Ys2";
pub const CODE_ID: &str = "5d2e8f10-3a4b-4c6d-8e7f-90a1b2c3d4e5";
pub const CODE_SECRET: &str = "J8qeuV9G4JUJY7Gknt8oZ9AcJKPtvWF4odI5gwxVTrj";
pub const PLUS_ID: &str = "9b8a7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d";
pub const PLUS_SECRET: &str = "weKRo+hNskTY/1SFpjip=MAbvQP3dr+ac0HR4/c3jpA";

/// A simulator running on its own runtime for the length of a test.
pub struct Sim {
    handle: Option<SimHandle>,
    _rt: tokio::runtime::Runtime,
}

impl Sim {
    pub fn start(scenario: Scenario) -> Sim {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let handle = rt
            .block_on(sim::start(scenario, "127.0.0.1:0".parse().unwrap()))
            .expect("simulator starts");
        Sim {
            handle: Some(handle),
            _rt: rt,
        }
    }

    pub fn builtin(name: &str) -> Sim {
        Sim::start(Scenario::builtin(name).unwrap_or_else(|| panic!("no scenario {name}")))
    }

    /// A built-in scenario with its `[service]` switches replaced or extended.
    pub fn builtin_with(name: &str, service: &str) -> Sim {
        let src = Scenario::builtin_source(name).expect("builtin source");
        // Drop the switch if the scenario sets it already, then add ours.
        let key = service.split('=').next().unwrap_or("").trim();
        let src: String = src
            .lines()
            .filter(|l| l.split('=').next().map(str::trim) != Some(key))
            .map(|l| format!("{l}\n"))
            .collect();
        let text = if src.contains("[service]") {
            src.replacen("[service]", &format!("[service]\n{service}"), 1)
        } else {
            format!("{src}\n[service]\n{service}\n")
        };
        Sim::start(Scenario::from_toml_str(&text, "test").unwrap_or_else(|e| panic!("{e}")))
    }

    /// A built-in scenario with more TOML appended (clients, admin tokens, …).
    pub fn builtin_plus(name: &str, extra: &str) -> Sim {
        let src = Scenario::builtin_source(name).expect("builtin source");
        let text = match src.find("[service]").or_else(|| src.find("[demo]")) {
            Some(i) => format!("{}{extra}\n{}", &src[..i], &src[i..]),
            None => format!("{src}\n{extra}\n"),
        };
        Sim::start(Scenario::from_toml_str(&text, "test").unwrap_or_else(|e| panic!("{e}")))
    }

    pub fn addr(&self) -> String {
        self.handle.as_ref().unwrap().addr().to_string()
    }

    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.handle.as_ref().unwrap().requests()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.shutdown();
        }
    }
}

/// The gcdoctor binary with a clean environment: no credentials, no colours, a temp HOME.
pub fn gcdoctor() -> Command {
    let mut c = Command::cargo_bin("gcdoctor").expect("binary");
    for v in [
        "GENESYSCLOUD_OAUTHCLIENT_ID",
        "GENESYSCLOUD_OAUTHCLIENT_SECRET",
        "GENESYSCLOUD_REGION",
        "GENESYSCLOUD_ACCESS_TOKEN",
        "GCDOCTOR_CONNECT_TO",
        "GCDOCTOR_CONNECT_TO_TLS",
        "GCDOCTOR_TEST_CA",
        "GCDOCTOR_ADMIN_CLIENT_ID",
        "GCDOCTOR_ADMIN_CLIENT_SECRET",
        "GCDOCTOR_ADMIN_TOKEN",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "RUST_BACKTRACE",
    ] {
        c.env_remove(v);
    }
    c.env("NO_COLOR", "1");
    c.env(
        "HOME",
        std::env::temp_dir().join("gcdoctor-test-home-nonexistent"),
    );
    c
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub json: Value,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn cause(&self) -> Option<&str> {
        self.json["cause"]["id"].as_str()
    }

    pub fn finding_ids(&self) -> Vec<String> {
        self.json["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f["id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn finding(&self, id: &str) -> Option<&Value> {
        self.json["findings"]
            .as_array()?
            .iter()
            .find(|f| f["id"] == id)
    }

    pub fn requests_sent(&self) -> u64 {
        self.json["requests_sent"].as_u64().unwrap_or(0)
    }
}

/// Runs `gcdoctor diagnose --format json` over the seam to the simulator.
pub fn diagnose(sim: &Sim, args: &[&str]) -> Run {
    diagnose_with(sim, args, &[], None)
}

/// Same, with extra environment variables and optional stdin.
pub fn diagnose_with(sim: &Sim, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut c = gcdoctor();
    c.arg("diagnose")
        .arg("--format")
        .arg("json")
        .arg("--timeout")
        .arg("5");
    c.args(args);
    c.env("GCDOCTOR_CONNECT_TO", sim.addr());
    for (k, v) in env {
        c.env(k, v);
    }
    if let Some(s) = stdin {
        c.write_stdin(s.to_string());
    }
    capture(c.output().expect("runs"), &[])
}

/// Diagnoses one client: its secret in a private file, then `--client-id ID
/// --client-secret-file FILE` and the extra arguments.
pub fn diagnose_client(sim: &Sim, id: &str, secret: &str, extra: &[&str]) -> Run {
    let (_d, f) = secret_file(secret);
    let mut args = vec!["--client-id", id, "--client-secret-file", &f];
    args.extend_from_slice(extra);
    diagnose(sim, &args)
}

/// Same, with the built-in scenarios' admin client (`oauth:client:view`) as admin access.
pub fn diagnose_client_with_admin(sim: &Sim, id: &str, secret: &str, extra: &[&str]) -> Run {
    let (_a, af) = secret_file(ADMIN_SECRET);
    let mut args = extra.to_vec();
    args.extend([
        "--admin-client-id",
        ADMIN_ID,
        "--admin-client-secret-file",
        &af,
    ]);
    diagnose_client(sim, id, secret, &args)
}

/// Writes a secret to a temp file and returns its path (kept alive by the returned dir).
/// The file holds the secret alone, without a line ending (a final newline is reported as a
/// GC204 warning: code reading the file as-is sends it).
pub fn secret_file(secret: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("secret.txt");
    std::fs::write(&p, secret).unwrap();
    // As a careful user keeps it: readable by the owner only (else GC601 is reported; on
    // Windows gcdoctor does not inspect permissions).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let s = p.to_string_lossy().into_owned();
    (dir, s)
}

/// Every host that received this secret, in any place: Basic header, body, query.
pub fn hosts_that_saw(requests: &[LoggedRequest], secret: &str) -> BTreeSet<String> {
    let forms = forms_of(secret);
    requests
        .iter()
        .filter(|r| {
            let basic = r
                .header("authorization")
                .and_then(|v| v.split_once(' '))
                .and_then(|(_, b)| {
                    base64::engine::general_purpose::STANDARD
                        .decode(b.trim())
                        .ok()
                })
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let body = String::from_utf8_lossy(&r.body);
            forms.iter().any(|f| {
                basic.contains(f.as_str())
                    || body.contains(f.as_str())
                    || r.target.contains(f.as_str())
            })
        })
        .map(|r| r.host.clone())
        .collect()
}

/// Raw, percent-encoded and form-encoded forms of a value.
pub fn forms_of(v: &str) -> Vec<String> {
    vec![
        v.to_string(),
        url::form_urlencoded::byte_serialize(v.as_bytes()).collect(),
        percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string(),
    ]
}

/// True when every host is a `login.` host.
pub fn only_login_hosts(hosts: &BTreeSet<String>) -> bool {
    hosts.iter().all(|h| h.starts_with("login."))
}

/// Asserts that no output contains the secret in any form, including a Basic header.
pub fn assert_no_leak(run: &Run, secrets: &[&str]) {
    assert_no_secret_in(&format!("{}\n{}", run.stdout, run.stderr), secrets);
}

/// A secret the hostile-server and bad-input tests use: `+ / =` make its raw, percent-,
/// `+`- and base64-encoded forms all differ.
pub const HOSTILE_SECRET: &str = "Hx7+Kp/QzLm4Rt8Wy2Vb6Nc3=Hd5Jg0Ys1Fa9Ue-Ti_Ow";

/// Every secret, admin secret and token any test gives gcdoctor. Every captured output of
/// [`capture`] (so of [`diagnose`] and [`diagnose_with`]) is scanned for all of them.
pub const KNOWN_SECRETS: &[&str] = &[
    MAIN_SECRET,
    OLD_SECRET,
    ADMIN_SECRET,
    ADMIN_TOKEN,
    CODE_SECRET,
    PLUS_SECRET,
    HOSTILE_SECRET,
];

/// The texts that betray a secret, whatever encoder wrote it.
///
/// Independent of `gcdoctor::secret` on purpose (a test must not trust the code it checks):
/// the exact raw, percent- (upper and lower hex), `+`- and JSON-encoded forms; every run of
/// 12 or more letters and digits of the secret (any text encoding, whatever characters it
/// escapes, leaves those runs as they are); and the same runs of its standard and URL-safe
/// base64 at each of the three byte alignments, so the secret is found inside any base64 blob,
/// `Basic base64(id:secret)` with any id included.
pub fn leak_patterns(secret: &str) -> Vec<String> {
    use base64::engine::general_purpose::STANDARD;
    let pct = percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let mut out = vec![
        secret.to_string(),
        pct.to_ascii_lowercase(),
        pct,
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        serde_json::to_string(secret)
            .unwrap()
            .trim_matches('"')
            .to_string(),
    ];
    let runs = |s: &str, min: usize| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|r| r.len() >= min)
            .map(str::to_string)
            .collect()
    };
    out.extend(runs(secret, 12));
    let bytes = secret.as_bytes();
    for k in 0..3usize {
        let mut buf = vec![0u8; k];
        buf.extend_from_slice(bytes);
        let enc = STANDARD.encode(&buf);
        let start = (k * 8).div_ceil(6);
        let end = ((k + bytes.len()) * 8) / 6;
        if end > start {
            let fragment = &enc[start..end];
            out.push(fragment.to_string());
            out.push(fragment.replace('+', "-").replace('/', "_"));
            out.extend(runs(fragment, 12));
        }
    }
    out.retain(|p| p.len() >= 8);
    out.sort();
    out.dedup();
    out
}

/// The first form of any of the secrets that the text holds.
pub fn find_leak(text: &str, secrets: &[&str]) -> Option<String> {
    secrets
        .iter()
        .flat_map(|s| leak_patterns(s))
        .find(|p| text.contains(p.as_str()))
}

/// Panics, naming the form, when the text holds any of the secrets in any form.
pub fn assert_no_secret_in(text: &str, secrets: &[&str]) {
    if let Some(p) = find_leak(text, secrets) {
        panic!("a form of a secret leaked ({p:?}):\n{text}");
    }
}

/// Turns a finished run of the binary into a [`Run`], after checking that neither stdout nor
/// stderr holds any [`KNOWN_SECRETS`] or `extra` secret in any form.
pub fn capture(out: std::process::Output, extra: &[&str]) -> Run {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let all = format!("{stdout}\n{stderr}");
    assert_no_secret_in(&all, KNOWN_SECRETS);
    assert_no_secret_in(&all, extra);
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    Run {
        code: out.status.code().unwrap_or(-1),
        json,
        stdout,
        stderr,
    }
}
