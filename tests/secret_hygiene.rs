//! Secret hygiene: where credentials may go, and every way they could get out.
//!
//! The contract (§3, §4) promises that the client secret goes only to Genesys login hosts
//! (or a host the user names with `--allow-host`), never over plain `http://` outside the test
//! seam, and that no output, log, `Debug` text or panic message ever holds it. These tests
//! check each promise from the outside (the real binary over the seam, its outputs scanned by
//! `common::capture`) and, for `Debug`, from the inside: a whole diagnosis run in-process, then
//! every structure that held a secret formatted with `{:?}` and scanned.

mod common;
use common::*;

use clap::{CommandFactory, FromArgMatches};
use gcdoctor::cli::{Cli, Command};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn base_args(secret_file: &str) -> Vec<&str> {
    vec!["--client-id", MAIN_ID, "--client-secret-file", secret_file]
}

#[test]
fn allow_host_really_allows_that_host_and_no_other() {
    let host = "auth.example.com";
    let url = format!("https://{host}/oauth/token");
    let (_d, f) = secret_file(MAIN_SECRET);
    let cases: [(&[&str], bool); 4] = [
        (&[], false),
        (&["--allow-host", "other.example.com"], false),
        (&["--allow-host", host], true),
        (&["--allow-host", "AUTH.Example.COM"], true),
    ];
    for (extra, sent) in cases {
        let sim = Sim::builtin("healthy");
        let mut args = base_args(&f);
        args.extend(["--region", "eu-west-1", "--token-url", &url]);
        args.extend_from_slice(extra);
        let run = diagnose(&sim, &args);
        assert!(run.code == 1 || run.code == 3, "{extra:?}: {}", run.stdout);
        let hosts = hosts_that_saw(&sim.requests(), MAIN_SECRET);
        assert_eq!(hosts.contains(host), sent, "{extra:?}: {hosts:?}");
        assert!(
            hosts.iter().all(|h| h == host || h.starts_with("login.")),
            "{extra:?}: {hosts:?}"
        );
        if !sent {
            assert!(
                sim.requests().iter().all(|r| r.host != host),
                "{extra:?}: a request went to {host}"
            );
        }
    }
}

#[test]
fn a_plain_http_token_url_is_never_sent_the_secret() {
    // Under the seam every request travels as plain HTTP to the simulator, but gcdoctor still
    // refuses an http:// URL with credentials: the user's request is not replayed, only the
    // canonical https one (which carries gcdoctor's User-Agent) is sent.
    let sim = Sim::builtin("healthy");
    let (_d, f) = secret_file(MAIN_SECRET);
    let mut args = base_args(&f);
    args.extend([
        "--region",
        "eu-west-1",
        "--token-url",
        "http://login.mypurecloud.ie/oauth/token",
        "--allow-host",
        "login.mypurecloud.ie",
    ]);
    let run = diagnose(&sim, &args);
    assert!(run.code == 0 || run.code == 1, "{}", run.stdout);
    let reqs = sim.requests();
    assert!(!reqs.is_empty());
    for r in &reqs {
        assert!(
            r.header("user-agent")
                .is_some_and(|ua| ua.starts_with("gcdoctor/")),
            "the user's http:// request was sent: {r:?}"
        );
    }
}

#[test]
fn verbose_output_masks_the_basic_header_by_structure() {
    let sim = Sim::builtin("wrong-secret");
    let (_d, f) = secret_file(OLD_SECRET);
    let mut args = base_args(&f);
    args.extend(["--region", "eu-west-1", "--verbose"]);
    let run = diagnose(&sim, &args);
    assert_eq!(run.code, 3, "{}", run.stdout);
    let basic_len = 4 * (MAIN_ID.len() + 1 + OLD_SECRET.len()).div_ceil(3);
    let want = format!(
        "Basic <redacted: {basic_len} chars of base64, decodes to `{MAIN_ID}:` + secret of 43 chars"
    );
    let exchanges = run.json["exchanges"].as_array().expect("exchanges");
    assert!(!exchanges.is_empty());
    for e in exchanges {
        let auth = e["request"]["headers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| {
                h["name"]
                    .as_str()
                    .unwrap()
                    .eq_ignore_ascii_case("authorization")
            })
            .map(|h| h["value"].as_str().unwrap().to_string())
            .expect("an Authorization header");
        assert!(auth.starts_with(&want), "{auth}");
    }
    // Every format, verbose, is scanned too.
    for format in ["text", "markdown", "junit"] {
        let out = gcdoctor()
            .args([
                "diagnose",
                "--format",
                format,
                "--verbose",
                "--timeout",
                "5",
            ])
            .args(&args[..args.len() - 1])
            .env("GCDOCTOR_CONNECT_TO", sim.addr())
            .output()
            .unwrap();
        let r = capture(out, &[]);
        assert_eq!(r.code, 3, "{format}: {}", r.stderr);
    }
    // And a report written with --output.
    let dir = tempfile::tempdir().unwrap();
    for format in ["json", "text", "markdown", "junit"] {
        let path = dir.path().join(format!("report.{format}"));
        let out = gcdoctor()
            .args(["diagnose", "--format", format, "--verbose", "--output"])
            .arg(&path)
            .args(&args[..args.len() - 1])
            .env("GCDOCTOR_CONNECT_TO", sim.addr())
            .output()
            .unwrap();
        let r = capture(out, &[]);
        assert_eq!(r.code, 3, "{format}: {}", r.stderr);
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(!written.is_empty());
        assert_no_secret_in(&written, KNOWN_SECRETS);
    }
}

#[test]
fn a_secret_on_the_command_line_warns_and_is_never_echoed() {
    let sim = Sim::builtin("healthy");
    for format in ["json", "text"] {
        let out = gcdoctor()
            .args([
                "diagnose",
                "--format",
                format,
                "--client-id",
                MAIN_ID,
                "--client-secret",
                MAIN_SECRET,
                "--region",
                "eu-west-1",
            ])
            .env("GCDOCTOR_CONNECT_TO", sim.addr())
            .output()
            .unwrap();
        let r = capture(out, &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr
                .contains("warning: --client-secret puts the secret in your shell history"),
            "{}",
            r.stderr
        );
    }
}

/// Parses a `gcdoctor diagnose …` command line as the binary does.
fn parse(argv: &[&str]) -> (Box<gcdoctor::cli::DiagnoseArgs>, clap::ArgMatches) {
    let matches = Cli::command()
        .try_get_matches_from(std::iter::once("gcdoctor").chain(argv.iter().copied()))
        .unwrap();
    let sub = matches.subcommand().unwrap().1.clone();
    match Cli::from_arg_matches(&matches).unwrap().command {
        Command::Diagnose(a) => (a, sub),
        _ => unreachable!(),
    }
}

#[test]
fn debug_output_of_a_whole_run_holds_no_secret() {
    use gcdoctor::commands::diagnose::resolve;
    use gcdoctor::config::{Env, read_gc_profile};
    use gcdoctor::engine::{self, Session};
    use gcdoctor::http::{Transport, TransportOptions};
    use gcdoctor::secret::Redactor;

    // Credentials from a gc CLI profile, an admin secret from a file, a .env file that holds
    // the secret too: every place a secret lives while gcdoctor runs.
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".gc")).unwrap();
    let config = home.path().join(".gc/config.toml");
    std::fs::write(
        &config,
        format!(
            "[DEFAULT]\nenvironment = \"us-east-1\"\nclient_credentials = \"{MAIN_ID}\"\nclient_secret = \"{MAIN_SECRET}\"\n"
        ),
    )
    .unwrap();
    let dotenv = home.path().join(".env");
    std::fs::write(
        &dotenv,
        format!("GENESYSCLOUD_OAUTHCLIENT_SECRET={MAIN_SECRET}\n"),
    )
    .unwrap();
    let (_a, admin_file) = secret_file(ADMIN_SECRET);
    let sim = Sim::builtin("wrong-region");
    let (args, sub) = parse(&[
        "diagnose",
        "--profile",
        "DEFAULT",
        "--admin-client-id",
        ADMIN_ID,
        "--admin-client-secret-file",
        &admin_file,
        "--check-api",
        "GET /api/v2/organizations/me",
    ]);
    let env = Env::fixed(&[("HOME", home.path().to_str().unwrap())]);
    let resolved = resolve(&args, Some(&sub), &env, None).unwrap();
    // The secrets the redactor gets are zeroed on drop: this fails to compile if they become
    // plain Strings again.
    let held: &Vec<zeroize::Zeroizing<String>> = &resolved.secrets;
    assert!(!held.is_empty());
    let profile = read_gc_profile(&config, "DEFAULT", true).unwrap().unwrap();
    let file_env = Env::new(Some(&dotenv)).unwrap();

    let mut redactor = Redactor::new();
    for s in &resolved.secrets {
        redactor.add(s);
    }
    let redactor = Arc::new(Mutex::new(redactor));
    let transport = Arc::new(Transport::new(
        TransportOptions {
            connect_to: Some(sim.addr()),
            timeout: Duration::from_secs(5),
            ..TransportOptions::default()
        },
        redactor.clone(),
    ));
    let inputs_debug = format!("{:?}", resolved.inputs);
    let session = Session::new(resolved.inputs, transport);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = rt.block_on(engine::diagnose(&session, &engine::Silent));
    assert_eq!(
        report.cause_finding().map(|c| c.cause.code()),
        Some("GC103")
    );
    let facts = session.facts();
    let token = facts
        .canonical
        .values()
        .find_map(|a| match &a.outcome {
            engine::facts::TokenOutcome::Token { token, .. } => Some(token.expose().to_string()),
            _ => None,
        })
        .expect("a token was issued in the home region");

    let texts = [
        inputs_debug,
        format!("{:?}", *facts),
        format!("{:?}", session.inputs),
        format!("{report:?}"),
        format!("{profile:?}"),
        format!("{file_env:?}"),
        format!("{env:?}"),
        format!("{:?}", redactor.lock().unwrap()),
    ];
    for t in &texts {
        assert_no_secret_in(t, &[MAIN_SECRET, ADMIN_SECRET, &token]);
    }
    // The facts did hold the requests: the check is not vacuous.
    assert!(texts[1].contains("HttpRequest"), "{}", texts[1]);
    assert!(texts[1].contains("Basic <redacted:"), "{}", texts[1]);
}

#[test]
fn debug_of_requests_bodies_and_basic_views_masks_credentials() {
    use gcdoctor::request::{FoundValue, HttpRequest, basic_value};
    use gcdoctor::shape::{Body, read_basic};
    let mut form = HttpRequest::new(
        "POST",
        &format!("https://login.mypurecloud.ie/oauth/token?client_secret={HOSTILE_SECRET}"),
    );
    form.headers
        .push(("Authorization".into(), basic_value(MAIN_ID, HOSTILE_SECRET)));
    form.headers
        .push(("X-Client-Secret".into(), HOSTILE_SECRET.into()));
    form.headers.push((
        "Content-Type".into(),
        "application/x-www-form-urlencoded".into(),
    ));
    let encoded: String = url::form_urlencoded::byte_serialize(HOSTILE_SECRET.as_bytes()).collect();
    form.body =
        format!("grant_type=client_credentials&client_id={MAIN_ID}&client_secret={encoded}")
            .into_bytes();
    let mut json = form.clone();
    json.body = serde_json::json!({ "clientSecret": HOSTILE_SECRET, "grant_type": "x" })
        .to_string()
        .into_bytes();
    let texts = [
        format!("{form:?}"),
        format!("{json:?}"),
        format!("{:?}", Body::parse(&form)),
        format!("{:?}", read_basic(&basic_value(MAIN_ID, HOSTILE_SECRET))),
        format!(
            "{:?}",
            FoundValue::literal(
                HOSTILE_SECRET,
                gcdoctor::request::CredLocation::BasicHeader,
                Some(3)
            )
        ),
    ];
    for t in &texts {
        assert_no_secret_in(t, &[HOSTILE_SECRET]);
    }
    assert!(texts[0].contains("grant_type"), "{}", texts[0]);
}

#[test]
fn the_demo_never_prints_a_secret_of_its_world() {
    // `gcdoctor demo` runs a real diagnosis against the in-process simulator: its output is
    // scanned for every secret and admin token of every built-in scenario.
    for (name, _) in gcdoctor::sim::Scenario::builtin_names() {
        let scenario = gcdoctor::sim::Scenario::builtin(name).unwrap();
        let mut secrets: Vec<String> = scenario.clients.iter().map(|c| c.secret.clone()).collect();
        secrets.extend(scenario.admin_tokens.iter().map(|t| t.token.clone()));
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        for format in ["json", "text"] {
            let out = gcdoctor()
                .args(["demo", "--scenario", name, "--format", format, "--verbose"])
                .timeout(Duration::from_secs(60))
                .output()
                .unwrap();
            let r = capture(out, &secrets);
            assert!(
                matches!(r.code, 0 | 1 | 3),
                "{name} {format}: exit {}\n{}",
                r.code,
                r.stderr
            );
        }
    }
}
