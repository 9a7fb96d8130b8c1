//! Bad input: every way a user can hand gcdoctor something unusable, through the real binary.
//!
//! The promise (contract §4, `commands::UsageError`): exit code 2 and one clear message that
//! names what is wrong and where (file and line, flag, variable), never a panic or a stack
//! trace, and never the secret. Each case runs twice, with `RUST_BACKTRACE` unset and set to
//! 1, and the two stderr texts must be identical: the message cannot depend on it.

mod common;
use common::*;

use std::path::Path;

/// The outcome of a bad-input run: stderr, checked to be the same with and without
/// `RUST_BACKTRACE=1`.
struct Refusal {
    stderr: String,
    stdout: String,
}

/// Runs the binary with `args` (and `env`, and `stdin`) twice and checks the promise; returns
/// what it printed.
fn refused(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Refusal {
    let mut seen: Vec<(String, String)> = Vec::new();
    for backtrace in [None, Some("1")] {
        let mut c = gcdoctor();
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        if let Some(b) = backtrace {
            c.env("RUST_BACKTRACE", b);
        }
        c.write_stdin(stdin.unwrap_or_default().to_vec());
        c.timeout(std::time::Duration::from_secs(30));
        let r = capture(c.output().unwrap(), &[]);
        assert_eq!(
            r.code, 2,
            "{args:?}\nstdout: {}\nstderr: {}",
            r.stdout, r.stderr
        );
        for s in [&r.stdout, &r.stderr] {
            assert!(!s.contains("panicked"), "{args:?}: {s}");
            assert!(!s.contains("stack backtrace"), "{args:?}: {s}");
            assert!(!s.contains("RUST_BACKTRACE"), "{args:?}: {s}");
        }
        seen.push((r.stdout, r.stderr));
    }
    assert_eq!(
        seen[0], seen[1],
        "{args:?}: the message depends on RUST_BACKTRACE"
    );
    let (stdout, stderr) = seen.remove(0);
    Refusal { stderr, stdout }
}

impl Refusal {
    /// A gcdoctor usage error: exactly one line on stderr, nothing on stdout, holding every
    /// fragment.
    fn one_line(&self, fragments: &[&str]) -> &Self {
        assert!(self.stdout.is_empty(), "stdout: {}", self.stdout);
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{}", self.stderr);
        assert!(lines[0].starts_with("gcdoctor: error: "), "{}", self.stderr);
        for f in fragments {
            assert!(self.stderr.contains(f), "missing {f:?} in: {}", self.stderr);
        }
        self
    }

    /// A command-line parse error (clap): names the flags.
    fn clap(&self, fragments: &[&str]) -> &Self {
        assert!(self.stderr.starts_with("error: "), "{}", self.stderr);
        for f in fragments {
            assert!(self.stderr.contains(f), "missing {f:?} in: {}", self.stderr);
        }
        self
    }
}

fn diagnose_args<'a>(secret_file: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "diagnose",
        "--client-id",
        MAIN_ID,
        "--client-secret-file",
        secret_file,
        "--region",
        "eu-west-1",
        // Nothing may be sent: a seam to a port where nothing listens would show it.
        "--connect-to",
        "127.0.0.1:9",
    ];
    a.extend_from_slice(extra);
    a
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn unreadable_secret_files() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.txt").to_string_lossy().into_owned();
    refused(&diagnose_args(&missing, &[]), &[], None).one_line(&[
        "cannot read the client secret from",
        &missing,
        "No such file",
    ]);
    // A directory where a file is expected.
    let d = dir.path().to_string_lossy().into_owned();
    refused(&diagnose_args(&d, &[]), &[], None)
        .one_line(&["cannot read the client secret from", &d]);
}

#[test]
fn empty_whitespace_and_non_utf8_secret_files() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty", b"");
    refused(&diagnose_args(&empty, &[]), &[], None).one_line(&[
        "the client secret in",
        &empty,
        "is empty",
    ]);
    let newline = write(dir.path(), "newline", b"\n");
    refused(&diagnose_args(&newline, &[]), &[], None).one_line(&["is empty"]);
    let blank = write(dir.path(), "blank", b"  \t \n");
    refused(&diagnose_args(&blank, &[]), &[], None).one_line(&[
        "the client secret in",
        &blank,
        "only whitespace",
    ]);
    // Latin-1 bytes around a real secret: the message must not quote any of it.
    let mut bytes = b"\xff\xfe".to_vec();
    bytes.extend_from_slice(HOSTILE_SECRET.as_bytes());
    bytes.push(0xe9);
    let latin1 = write(dir.path(), "latin1", &bytes);
    let r = refused(&diagnose_args(&latin1, &[]), &[], None);
    r.one_line(&["the client secret in", &latin1, "not UTF-8"]);
    assert_no_secret_in(&r.stderr, &[HOSTILE_SECRET]);
    // The same through stdin and for the admin secret.
    refused(
        &[
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-stdin",
            "--region",
            "eu-west-1",
        ],
        &[],
        Some(b""),
    )
    .one_line(&["the client secret in stdin is empty"]);
    let (_d, good) = secret_file(MAIN_SECRET);
    refused(
        &diagnose_args(
            &good,
            &[
                "--admin-client-id",
                ADMIN_ID,
                "--admin-client-secret-file",
                &blank,
            ],
        ),
        &[],
        None,
    )
    .one_line(&["the admin client secret in", "only whitespace"]);
}

#[test]
fn unknown_region_spellings_suggest_the_closest() {
    let (_d, f) = secret_file(MAIN_SECRET);
    for (given, closest) in [
        ("eu-wset-1", "eu-west-1"),
        ("us_east1", "us_east_1"),
        ("mypurecloud.ei", "mypurecloud.ie"),
        ("prod-euw", "prod-euw1"),
    ] {
        let mut a = vec![
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
        ];
        a.extend(["--region", given]);
        refused(&a, &[], None).one_line(&[
            "--region",
            &format!("`{given}` is not a Genesys Cloud region"),
            &format!("did you mean `{closest}`?"),
        ]);
    }
    // From the environment: the message names the variable.
    refused(
        &[
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
        ],
        &[("GENESYSCLOUD_REGION", "eu-west-9")],
        None,
    )
    .one_line(&["GENESYSCLOUD_REGION", "`eu-west-9`", "did you mean"]);
    let mut a = vec![
        "diagnose",
        "--client-id",
        MAIN_ID,
        "--client-secret-file",
        &f,
    ];
    a.extend(["--admin-region", "mars-1"]);
    refused(&a, &[], None).one_line(&["--admin-region", "`mars-1`"]);
}

#[test]
fn malformed_token_urls() {
    let (_d, f) = secret_file(MAIN_SECRET);
    for (url, says) in [
        ("login.mypurecloud.ie/oauth/token", "is not a URL"),
        ("https://", "is not a URL"),
        ("https://exa mple.com/oauth/token", "is not a URL"),
        (
            "ftp://login.mypurecloud.ie/oauth/token",
            "is not an http(s) URL",
        ),
        ("mailto:me@example.com", "is not an http(s) URL"),
    ] {
        let mut a = vec![
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
        ];
        a.extend(["--token-url", url]);
        refused(&a, &[], None).one_line(&["--token-url", &format!("`{url}`"), says]);
    }
}

#[test]
fn conflicting_and_malformed_flags() {
    let (_d, f) = secret_file(MAIN_SECRET);
    refused(
        &[
            "diagnose",
            "--client-secret-file",
            &f,
            "--client-secret-stdin",
        ],
        &[],
        None,
    )
    .clap(&[
        "--client-secret-file",
        "--client-secret-stdin",
        "cannot be used with",
    ]);
    refused(
        &[
            "diagnose",
            "--admin-token-file",
            &f,
            "--admin-client-id",
            ADMIN_ID,
        ],
        &[],
        None,
    )
    .clap(&["--admin-token-file", "--admin-client-id"]);
    refused(&["diagnose", "--quiet", "--verbose"], &[], None).clap(&["--quiet", "--verbose"]);
    refused(&["diagnose", "--timeout", "0"], &[], None).clap(&["--timeout", "0"]);
    refused(&["diagnose", "--format", "yaml"], &[], None).clap(&["--format", "yaml"]);
    refused(
        &diagnose_args(&f, &["--admin-client-secret-file", &f]),
        &[],
        None,
    )
    .one_line(&["--admin-client-secret-file needs --admin-client-id"]);
    for bad in [
        "nohostport",
        "127.0.0.1:",
        ":8089",
        "127.0.0.1:99999",
        "http://127.0.0.1:80",
    ] {
        let a = [
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
            "--connect-to",
            bad,
        ];
        refused(&a, &[], None).one_line(&["--connect-to", &format!("`{bad}`"), "HOST:PORT"]);
    }
    refused(&["explain", "GC999"], &[], None).one_line(&["`GC999` is not a cause id"]);
}

#[test]
fn check_api_accepts_only_get_under_api_v2() {
    let (_d, f) = secret_file(MAIN_SECRET);
    for (call, says) in [
        ("POST /api/v2/users", "only GET calls can be checked"),
        (
            "DELETE /api/v2/oauth/clients/x",
            "only GET calls can be checked",
        ),
        (
            "put /api/v2/routing/queues",
            "only GET calls can be checked",
        ),
        ("GET /oauth/token", "must start with /api/v2/"),
        ("GET", "must start with /api/v2/"),
    ] {
        refused(&diagnose_args(&f, &["--check-api", call]), &[], None).one_line(&[
            "--check-api",
            &format!("`{call}`"),
            says,
        ]);
    }
}

fn home_with_config(text: &[u8]) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".gc")).unwrap();
    std::fs::write(home.path().join(".gc/config.toml"), text).unwrap();
    home
}

#[test]
fn unknown_profile_and_corrupt_gc_config() {
    let home = home_with_config(
        format!("[DEFAULT]\nclient_credentials = \"{MAIN_ID}\"\nclient_secret = \"{MAIN_SECRET}\"\n[prod]\nenvironment = \"mypurecloud.ie\"\n")
            .as_bytes(),
    );
    let h = home.path().to_str().unwrap();
    refused(&["diagnose", "--profile", "staging"], &[("HOME", h)], None).one_line(&[
        "no profile `staging` in",
        "config.toml",
        "profiles there: DEFAULT, prod",
    ]);
    // A broken line 3: the message names the file and the line, never the secret on line 2.
    let corrupt = home_with_config(
        format!("[DEFAULT]\nclient_secret = \"{MAIN_SECRET}\"\nenvironment = mypurecloud.ie\n")
            .as_bytes(),
    );
    let h = corrupt.path().to_str().unwrap();
    let r = refused(&["diagnose", "--client-id", MAIN_ID], &[("HOME", h)], None);
    r.one_line(&["config.toml:3", "not valid TOML"]);
    // Not UTF-8 at all.
    let binary = home_with_config(b"[DEFAULT]\nclient_secret = \"\xff\xfe\"\n");
    let h = binary.path().to_str().unwrap();
    refused(
        &["diagnose", "--client-id", MAIN_ID, "--profile", "DEFAULT"],
        &[("HOME", h)],
        None,
    )
    .one_line(&["gc CLI config", "config.toml"]);
    // A profile whose environment is no region.
    let badenv = home_with_config(
        format!("[DEFAULT]\nenvironment = \"mypurecloud.xx\"\nclient_credentials = \"{MAIN_ID}\"\nclient_secret = \"{MAIN_SECRET}\"\n")
            .as_bytes(),
    );
    let h = badenv.path().to_str().unwrap();
    refused(&["diagnose"], &[("HOME", h)], None).one_line(&[
        "profile DEFAULT (environment in",
        "`mypurecloud.xx` is not a Genesys Cloud region",
    ]);
}

#[test]
fn malformed_env_files() {
    let dir = tempfile::tempdir().unwrap();
    for (text, says) in [
        (
            format!("GENESYSCLOUD_OAUTHCLIENT_SECRET={MAIN_SECRET}\nthis is not a line\n"),
            ":2: expected KEY=value",
        ),
        (
            format!(
                "# secrets\nexport GENESYSCLOUD_OAUTHCLIENT_SECRET={MAIN_SECRET}\nBAD-NAME=1\n"
            ),
            ":3: `BAD-NAME` is not a variable name",
        ),
        (format!("={MAIN_SECRET}\n"), ":1: `` is not a variable name"),
    ] {
        let p = write(dir.path(), ".env", text.as_bytes());
        let r = refused(
            &["diagnose", "--client-id", MAIN_ID, "--env-file", &p],
            &[],
            None,
        );
        r.one_line(&[&p, says]);
    }
    let p = write(
        dir.path(),
        "latin1.env",
        b"GENESYSCLOUD_REGION=\xe9u-west-1\n",
    );
    refused(&["diagnose", "--env-file", &p], &[], None).one_line(&[&p, "not UTF-8"]);
    let missing = dir.path().join("none.env").to_string_lossy().into_owned();
    refused(&["diagnose", "--env-file", &missing], &[], None)
        .one_line(&["cannot read env file", &missing]);
}

#[test]
fn malformed_simulator_scenarios_name_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let healthy = gcdoctor::sim::Scenario::builtin_source("healthy").unwrap();
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "bad-region.toml",
            healthy.replacen("region = \"eu-west-1\"", "region = \"eu-wset-1\"", 1),
            vec!["clients[0].region", "eu-wset-1"],
        ),
        (
            "bad-key.toml",
            healthy.replacen("[[clients]]", "[[clients]]\nsekret = \"x\"", 1),
            vec!["sekret"],
        ),
        (
            "syntax.toml",
            format!("{healthy}\n[service\n"),
            vec!["syntax.toml:"],
        ),
        (
            "bad-status.toml",
            healthy.replacen("bad_client_status = 400", "bad_client_status = 302", 1),
            vec!["service.bad_client_status", "302"],
        ),
        (
            "bad.json",
            "{\"name\": \"x\", \"clients\": [{\"id\": 5}]}".to_string(),
            vec!["bad.json:1:", "clients[0]"],
        ),
    ];
    for (name, text, says) in cases {
        let p = write(dir.path(), name, text.as_bytes());
        let r = refused(
            &["simulate", "--listen", "127.0.0.1:0", "--scenario", &p],
            &[],
            None,
        );
        let mut want = vec![p.as_str()];
        want.extend(says.iter().copied());
        r.one_line(&want);
        // file:line:column is given whenever the parser knows the place.
        assert!(
            r.stderr.contains(&format!("{p}:")),
            "{name}: no line in {}",
            r.stderr
        );
    }
    refused(&["simulate", "--scenario", "no-such-scenario"], &[], None)
        .one_line(&["`no-such-scenario` is neither a built-in scenario nor a file"]);
}

#[test]
fn an_unwritable_output_file() {
    let sim = Sim::builtin("healthy");
    let (_d, f) = secret_file(MAIN_SECRET);
    let out = gcdoctor()
        .args([
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
            "--output",
            "/nonexistent-dir/report.json",
        ])
        .env("GCDOCTOR_CONNECT_TO", sim.addr())
        .output()
        .unwrap();
    let r = capture(out, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("cannot write /nonexistent-dir/report.json"),
        "{}",
        r.stderr
    );
}
