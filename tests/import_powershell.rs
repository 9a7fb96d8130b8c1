//! `--from-powershell`: Invoke-RestMethod / Invoke-WebRequest scripts, read the way
//! PowerShell builds the request. Each fixture carries one defect the language can express;
//! `gcdoctor lint` must name its cause and line, `diagnose` must prove it against the
//! simulator, and no secret may reach any output.

mod common;
#[path = "common/fixtures.rs"]
mod fixtures;
use common::*;
use fixtures::{ID, SECRET, assert_finding, assert_never_printed, diagnose_fixture, findings};
use gcdoctor::import;
use gcdoctor::request::{CredLocation, FORM, InputKind, ValueOrigin};
use serde_json::Value;

const KIND: &str = "powershell";

fn path(name: &str) -> String {
    fixtures::path(KIND, name)
}

fn env(name: &str) -> Option<String> {
    fixtures::env(name)
}

fn lint(name: &str) -> (i32, Value) {
    fixtures::lint(KIND, name)
}

#[test]
fn the_canonical_script_is_clean() {
    let (code, json) = lint("canonical.ps1");
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["verdict"], "clean");
    assert_eq!(findings(&json), vec![]);
    let imp = import::load(&path("canonical.ps1"), None, &env).unwrap();
    assert_eq!(
        imp.kind,
        InputKind::PowerShell,
        "a .ps1 calling Invoke-RestMethod"
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(imp.request.header("content-type"), Some(FORM));
    let id = imp.client_id.as_ref().unwrap();
    assert_eq!(id.origin, ValueOrigin::Env("GENESYS_CLIENT_ID".into()));
    assert_eq!(id.location, CredLocation::BasicHeader);
    assert_eq!(id.line, Some(2));
    assert_eq!(imp.client_secret.as_ref().unwrap().value, SECRET);
}

#[test]
fn each_defect_is_named_at_its_line() {
    for (file, id, line) in [
        ("api_host.ps1", "GC101", 6),
        ("colon_lost.ps1", "GC202", 5),
        ("no_colon.ps1", "GC202", 4),
        ("double_base64.ps1", "GC202", 5),
        ("bearer_scheme.ps1", "GC202", 4),
        ("json_body.ps1", "GC301", 6),
        ("body_credentials.ps1", "GC201", 7),
        ("wrong_grant.ps1", "GC303", 2),
        ("plus_unencoded.ps1", "GC203", 2),
        ("get_method.ps1", "GC305", 2),
        ("wrong_content_type.ps1", "GC302", 4),
    ] {
        assert_finding(KIND, file, id, line);
    }
}

#[test]
fn a_lost_id_is_explained_as_powershell_reads_it() {
    let imp = import::load(&path("colon_lost.ps1"), None, &env).unwrap();
    assert!(
        imp.notes.iter().any(|n| n.contains("PowerShell rejects")
            && n.contains("`$id:`")
            && n.starts_with("line 4")),
        "{:?}",
        imp.notes
    );
    // PowerShell never runs the script; the id and the secret are read as the author meant
    // them, so the canonical request can prove the pair wrong.
    assert_eq!(imp.client_id.as_ref().unwrap().value, ID);
    assert_eq!(imp.client_secret.as_ref().unwrap().value, SECRET);
}

#[test]
fn an_unset_variable_is_reported_not_guessed() {
    let out = gcdoctor()
        .args(["lint", "--format", "json", &path("canonical.ps1")])
        .env_remove("GENESYS_CLIENT_ID")
        .env_remove("GENESYS_CLIENT_SECRET")
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = json.to_string();
    assert!(text.contains("GENESYS_CLIENT_SECRET"), "{text}");
    assert!(text.contains("not set here"), "{text}");
    assert_eq!(json["verdict"], "clean", "nothing wrong is shown");
}

#[test]
fn a_ps1_that_only_runs_curl_stays_curl() {
    let imp = import::load(&path("curl_exe.ps1"), None, &env).unwrap();
    assert_eq!(imp.kind, InputKind::Curl);
    let detected = import::detect(
        "$r = Invoke-RestMethod -Uri $u -Method Post -Body @{ grant_type = 'client_credentials' }\n",
        "-",
    );
    assert_eq!(detected, Some(InputKind::PowerShell), "sniffed from stdin");
    let psm = import::detect("Invoke-WebRequest -Uri $u\n", "mod.psm1");
    assert_eq!(psm, Some(InputKind::PowerShell));
}

#[test]
fn a_syntax_error_names_its_line_and_quotes_no_secret() {
    let out = gcdoctor()
        .args(["lint", &path("syntax_error.ps1")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("PowerShell syntax error"), "{stderr}");
    assert!(stderr.contains("syntax_error.ps1:1:"), "{stderr}");
    assert_no_secret_in(&stderr, &["Qm9vZ2llV29vZ2llU2VjcmV0OTk5"]);
}

#[test]
fn the_corrected_request_is_powershell_with_the_scripts_names() {
    let out = gcdoctor()
        .args(["lint", &path("api_host.ps1")])
        .env("GENESYS_CLIENT_ID", ID)
        .env("GENESYS_CLIENT_SECRET", SECRET)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("Corrected request (powershell)"), "{s}");
    assert!(
        s.contains("$pair = \"$($clientId):$($clientSecret)\""),
        "{s}"
    );
    assert!(
        s.contains("-Body @{ grant_type = 'client_credentials' }"),
        "{s}"
    );
    assert!(
        s.contains("https://login.mypurecloud.com/oauth/token"),
        "{s}"
    );
}

// --- diagnose over the seam, one test per cause family --------------------------------------

#[test]
fn diagnose_wrong_region() {
    let sim = Sim::builtin("wrong-region");
    let run = diagnose_fixture(&sim, KIND, "api_host.ps1", &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        matches!(run.cause(), Some("GC101" | "GC103")),
        "{}",
        run.stdout
    );
    assert!(run.finding_ids().contains(&"GC101".to_string()));
    // The secret goes to login hosts, and to the api. host only as the user's own request.
    let mut hosts = hosts_that_saw(&sim.requests(), MAIN_SECRET);
    assert!(hosts.remove("api.mypurecloud.com"), "{hosts:?}");
    assert!(only_login_hosts(&hosts), "{hosts:?}");
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn diagnose_header_built_wrong() {
    let sim = Sim::builtin("healthy");
    for f in [
        "colon_lost.ps1",
        "no_colon.ps1",
        "double_base64.ps1",
        "bearer_scheme.ps1",
    ] {
        // The header lost or mangled the id: the user names it, as the report asks.
        let run = diagnose_fixture(&sim, KIND, f, &["--client-id", MAIN_ID]);
        assert_eq!(run.cause(), Some("GC202"), "{f}: {}", run.stdout);
        assert_eq!(run.code, 1);
        assert_no_leak(&run, &[MAIN_SECRET]);
    }
}

#[test]
fn diagnose_body_format_and_grant() {
    let sim = Sim::builtin("healthy");
    for (f, cause) in [("json_body.ps1", "GC301"), ("wrong_grant.ps1", "GC303")] {
        let run = diagnose_fixture(&sim, KIND, f, &[]);
        assert_eq!(run.cause(), Some(cause), "{f}: {}", run.stdout);
        assert_no_leak(&run, &[MAIN_SECRET]);
    }
}

#[test]
fn diagnose_credentials_in_the_body() {
    let sim = Sim::builtin("body-credentials-rejected");
    let run = diagnose_fixture(&sim, KIND, "body_credentials.ps1", &[]);
    assert_eq!(run.cause(), Some("GC201"), "{}", run.stdout);
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn diagnose_plus_in_a_hand_built_form() {
    let sim = Sim::builtin("secret-encoding");
    let text = format!(
        "$id = '{PLUS_ID}'\n$secret = '{PLUS_SECRET}'\n$body = \"grant_type=client_credentials&client_id=$id&client_secret=$secret\"\nInvoke-RestMethod -Uri 'https://login.mypurecloud.ie/oauth/token' -Method Post -Body $body\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("token.ps1");
    std::fs::write(&p, text).unwrap();
    let run = diagnose(&sim, &["--from-powershell", p.to_str().unwrap()]);
    assert_eq!(run.cause(), Some("GC203"), "{}", run.stdout);
    assert_no_leak(&run, &[PLUS_SECRET]);
}

// --- secrets never reach an output ----------------------------------------------------------

const LITERAL: &str = "Vq3-Lz8_Rt5nWp2Xk7Yb4Hm9Jd6Fs1Gc0Ae";

#[test]
fn a_literal_secret_never_reaches_lint_or_diagnose_output() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.ps1");
    std::fs::write(
        &good,
        format!(
            "$h = @{{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{MAIN_ID}:{LITERAL}')) }}\nInvoke-RestMethod -Uri https://login.mypurecloud.com/oauth/token -Method Post -Headers $h -Body @{{ grant_type = 'client_credentials'; client_secret = \"{LITERAL}\" }}\n"
        ),
    )
    .unwrap();
    let broken = dir.path().join("broken.ps1");
    std::fs::write(
        &broken,
        format!("$p = @{{ client_secret = '{LITERAL}'\nInvoke-RestMethod -Body $p (\n"),
    )
    .unwrap();
    let unknown = dir.path().join("unknown.ps1");
    std::fs::write(
        &unknown,
        format!(
            "Invoke-RestMethod -Uri https://login.mypurecloud.com/oauth/token -Method Post -Body \"grant_type=client_credentials&client_secret=$(Get-Secret){LITERAL}\"\n"
        ),
    )
    .unwrap();
    assert_never_printed(&[&good, &broken, &unknown], "--from-powershell", LITERAL);
}
