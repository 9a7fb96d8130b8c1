//! Where credentials come from: flags, env, `.env` files, `gc` CLI profiles, and the report's
//! account of each value's source.

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;

fn home_with_gc_config(text: &str, mode: u32) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".gc");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("config.toml");
    std::fs::write(&p, text).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    home
}

fn source_of(run: &Run, name: &str) -> String {
    run.json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .map(|i| i["source"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[test]
fn a_gc_cli_profile_alone_is_enough() {
    let sim = Sim::builtin("healthy");
    let home = home_with_gc_config(
        &format!(
            "[DEFAULT]\nenvironment = \"mypurecloud.ie\"\ngrant_type = \"1\"\nclient_credentials = \"{MAIN_ID}\"\nclient_secret = \"{MAIN_SECRET}\"\n\n[us]\nenvironment = \"us-east-1\"\nclient_credentials = \"{MAIN_ID}\"\nclient_secret = \"{MAIN_SECRET}\"\n"
        ),
        0o644,
    );
    let home_s = home.path().to_str().unwrap();
    let run = diagnose_with(&sim, &[], &[("HOME", home_s)], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        source_of(&run, "client id").contains("profile DEFAULT"),
        "{}",
        run.stdout
    );
    assert!(source_of(&run, "client secret").contains("client_secret"));
    let exposed = run.finding("GC601").expect("GC601 for the 0644 gc config");
    assert!(
        exposed["summary"]
            .as_str()
            .unwrap()
            .contains("readable by other users")
    );
    assert_eq!(exposed["severity"], "warning");
    assert_no_leak(&run, &[MAIN_SECRET]);

    let run = diagnose_with(&sim, &["--profile", "us"], &[("HOME", home_s)], None);
    assert_eq!(run.cause(), Some("GC103"), "{}", run.stdout);
    assert!(source_of(&run, "region").contains("profile us"));
}

#[test]
fn an_unknown_profile_names_the_ones_there() {
    let home = home_with_gc_config(
        "[DEFAULT]\nenvironment = \"mypurecloud.ie\"\n[prod]\n",
        0o600,
    );
    let out = gcdoctor()
        .args(["diagnose", "--profile", "staging"])
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no profile `staging`") && err.contains("DEFAULT, prod"),
        "{err}"
    );
}

#[test]
fn env_vars_and_their_region_spelling_warning() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_with(
        &sim,
        &[],
        &[
            ("GENESYSCLOUD_OAUTHCLIENT_ID", MAIN_ID),
            ("GENESYSCLOUD_OAUTHCLIENT_SECRET", MAIN_SECRET),
            ("GENESYSCLOUD_REGION", "eu_west_1"),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        source_of(&run, "client id"),
        "env GENESYSCLOUD_OAUTHCLIENT_ID"
    );
    assert_eq!(source_of(&run, "region"), "env GENESYSCLOUD_REGION");
    assert!(
        run.finding("GC602")
            .is_some_and(|f| f["summary"].to_string().contains("Terraform")),
        "{}",
        run.json["notes"]
    );
}

#[test]
fn flags_win_over_env() {
    let sim = Sim::builtin("wrong-region");
    let (_d, f) = secret_file(MAIN_SECRET);
    let run = diagnose_with(
        &sim,
        &["--client-secret-file", &f, "--region", "eu-west-1"],
        &[
            ("GENESYSCLOUD_OAUTHCLIENT_ID", MAIN_ID),
            (
                "GENESYSCLOUD_OAUTHCLIENT_SECRET",
                "not-the-secret-value-0000000000000000000000",
            ),
            ("GENESYSCLOUD_REGION", "us-east-1"),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(source_of(&run, "client secret").starts_with("file "));
    assert_eq!(source_of(&run, "region"), "flag --region");
}

#[test]
fn a_dotenv_file_when_asked() {
    let sim = Sim::builtin("healthy");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(".env");
    std::fs::write(&p, format!("GENESYSCLOUD_OAUTHCLIENT_ID={MAIN_ID}\nexport GENESYSCLOUD_OAUTHCLIENT_SECRET=\"{MAIN_SECRET}\"\nGENESYSCLOUD_REGION=eu-west-1\n")).unwrap();
    let run = diagnose(&sim, &["--env-file", p.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        source_of(&run, "client secret").contains(".env"),
        "{}",
        run.stdout
    );
}

#[test]
fn secret_from_stdin_and_the_command_line_warning() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_with(
        &sim,
        &[
            "--client-id",
            MAIN_ID,
            "--client-secret-stdin",
            "--region",
            "eu-west-1",
        ],
        &[],
        Some(&format!("{MAIN_SECRET}\n")),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(source_of(&run, "client secret"), "stdin");

    let run = diagnose(
        &sim,
        &[
            "--client-id",
            MAIN_ID,
            "--client-secret",
            MAIN_SECRET,
            "--region",
            "eu-west-1",
        ],
    );
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("shell history"), "{}", run.stderr);
    assert!(
        run.finding("GC601")
            .is_some_and(|f| f["summary"].to_string().contains("shell history"))
    );
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn no_secret_anywhere_and_no_terminal_is_a_usage_error() {
    let out = gcdoctor()
        .args(["diagnose", "--client-id", MAIN_ID, "--region", "eu-west-1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no client secret"));
}

#[test]
fn an_access_token_alone_is_checked_in_its_region() {
    let sim = Sim::builtin("healthy");
    // The scenario's admin token reads OAuth clients and roles, not queues.
    let env = [
        ("GENESYSCLOUD_ACCESS_TOKEN", ADMIN_TOKEN),
        ("GENESYSCLOUD_REGION", "eu-west-1"),
    ];
    let run = diagnose_with(&sim, &[], &env, None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        source_of(&run, "access token"),
        "env GENESYSCLOUD_ACCESS_TOKEN"
    );
    let run = diagnose_with(
        &sim,
        &["--check-api", "GET /api/v2/routing/queues"],
        &env,
        None,
    );
    assert_eq!(run.cause(), Some("GC404"), "{}", run.stdout);
    // Only the API host of its region saw it, and no token request was made.
    let hosts: std::collections::BTreeSet<String> = sim
        .requests()
        .iter()
        .filter(|r| {
            r.header("authorization")
                .is_some_and(|a| a.contains(ADMIN_TOKEN))
        })
        .map(|r| r.host.clone())
        .collect();
    assert_eq!(hosts, ["api.mypurecloud.ie".to_string()].into());
    assert!(sim.requests().iter().all(|r| !r.host.starts_with("login.")));
    assert_no_leak(&run, &[ADMIN_TOKEN]);

    let run = diagnose_with(
        &sim,
        &[],
        &[
            (
                "GENESYSCLOUD_ACCESS_TOKEN",
                "expired-or-foreign-token-0123456789",
            ),
            ("GENESYSCLOUD_REGION", "eu-west-1"),
        ],
        None,
    );
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(
        run.json["settle"]
            .to_string()
            .contains("GENESYSCLOUD_OAUTHCLIENT_ID")
    );

    let out = gcdoctor()
        .args(["diagnose"])
        .env("GENESYSCLOUD_ACCESS_TOKEN", ADMIN_TOKEN)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no region"));
}

#[test]
fn gc601_a_world_readable_secret_file_is_a_warning_not_a_cause() {
    let sim = Sim::builtin("healthy");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("secret.txt");
    std::fs::write(&p, MAIN_SECRET).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = diagnose(
        &sim,
        &[
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            p.to_str().unwrap(),
            "--region",
            "eu-west-1",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    let f = run.finding("GC601").expect("GC601");
    assert_eq!(f["severity"], "warning");
    assert!(f["fix"].as_str().unwrap().contains("chmod 600"));
    assert!(run.json["cause"].is_null());
}
