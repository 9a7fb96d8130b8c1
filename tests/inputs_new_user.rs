//! Inputs as a new user tries them (issue 14, item 5): `--offline` with every flag, a token
//! URL and a region that disagree, a variable set but empty, credentials under other
//! variable names, a secret cut down to a character or two, and admin access that fails.

mod common;
use common::*;
use serde_json::Value;

fn offline(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut c = gcdoctor();
    c.args(["diagnose", "--offline", "--format", "json"])
        .args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    capture(c.output().unwrap(), &[])
}

fn source_of<'a>(run: &'a Run, name: &str) -> &'a str {
    run.json["inputs"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["name"] == name))
        .and_then(|i| i["source"].as_str())
        .unwrap_or_else(|| panic!("no input {name}: {}", run.stdout))
}

fn failed_checks(run: &Run) -> Vec<String> {
    run.json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn offline_honours_every_flag_and_says_where_each_value_came_from() {
    let (_d, f) = secret_file(MAIN_SECRET);
    let run = offline(
        &[
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.requests_sent(), 0);
    assert_eq!(source_of(&run, "client id"), "flag --client-id");
    assert!(source_of(&run, "client secret").starts_with("file "));
    assert_eq!(source_of(&run, "region"), "flag --region");
    assert!(
        run.json["suggestion"]
            .to_string()
            .contains("login.mypurecloud.ie/oauth/token"),
        "{}",
        run.stdout
    );

    let run = offline(
        &[
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--token-url",
            "https://api.mypurecloud.ie/oauth/token",
        ],
        &[],
    );
    assert_eq!(source_of(&run, "token URL"), "flag --token-url");
    assert_eq!(run.json["cause"]["id"], "GC101", "{}", run.stdout);

    // A token URL and a region that disagree: one finding, saying which is used.
    let run = offline(
        &[
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
            "--token-url",
            "https://login.mypurecloud.com/oauth/token",
        ],
        &[],
    );
    // A warning alone is no defect (contract §4: exit 0, as lint gives it).
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.finding_ids(), vec!["GC103"]);
    assert_eq!(run.json["findings"][0]["severity"], "warning");
    assert!(source_of(&run, "region").contains("not used"));
}

#[test]
fn offline_flags_replace_the_request_files_values() {
    let dir = tempfile::tempdir().unwrap();
    let req = dir.path().join("req.sh");
    std::fs::write(
        &req,
        "curl -X POST https://login.mypurecloud.com/oauth/token -u \"$MY_ID:$MY_SECRET\" -d grant_type=client_credentials\n",
    )
    .unwrap();
    let (_d, f) = secret_file(MAIN_SECRET);
    let run = offline(
        &[
            "--from-curl",
            req.to_str().unwrap(),
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--token-url",
            "https://login.mypurecloud.ie/oauth/token",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(source_of(&run, "client id"), "flag --client-id");
    assert!(source_of(&run, "client secret").starts_with("file "));
    assert_eq!(source_of(&run, "token URL"), "flag --token-url");
    let suggestion = run.json["suggestion"].to_string();
    assert!(
        suggestion.contains("login.mypurecloud.ie/oauth/token"),
        "{suggestion}"
    );
    assert!(!suggestion.contains("mypurecloud.com"), "{suggestion}");
}

#[test]
fn a_wrong_token_url_with_the_right_region_is_one_gc103_finding() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_client(
        &sim,
        MAIN_ID,
        MAIN_SECRET,
        &[
            "--region",
            "eu-west-1",
            "--token-url",
            "https://login.mypurecloud.com/oauth/token",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.cause(), Some("GC103"));
    let gc103 = run.finding_ids().iter().filter(|i| *i == "GC103").count();
    assert_eq!(gc103, 1, "{:?}", run.finding_ids());
    assert_eq!(run.json["region"]["detected"], "eu-west-1");
}

#[test]
fn a_right_token_url_with_a_wrong_region_is_healthy_without_failed_checks() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_client(
        &sim,
        MAIN_ID,
        MAIN_SECRET,
        &[
            "--region",
            "us-east-1",
            "--token-url",
            "https://login.mypurecloud.ie/oauth/token",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json["verdict"], "healthy");
    assert!(failed_checks(&run).is_empty(), "{:?}", failed_checks(&run));
    let w = run.finding("GC103").expect("the disagreement is a finding");
    assert_eq!(w["severity"], "warning");
    let summary = w["summary"].as_str().unwrap();
    assert!(summary.contains("used the token URL"), "{summary}");
    assert!(source_of(&run, "region").contains("not used"));
}

fn usage_error(args: &[&str], env: &[(&str, &str)], dir: Option<&std::path::Path>) -> String {
    let mut c = gcdoctor();
    c.arg("diagnose")
        .args(args)
        .env("GCDOCTOR_CONNECT_TO", "127.0.0.1:9");
    for (k, v) in env {
        c.env(k, v);
    }
    if let Some(d) = dir {
        c.current_dir(d);
    }
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_no_secret_in(&err, &[MAIN_SECRET]);
    err
}

#[test]
fn a_variable_set_but_empty_is_named_as_empty() {
    let err = usage_error(
        &["--region", "eu-west-1"],
        &[
            ("GENESYSCLOUD_OAUTHCLIENT_ID", MAIN_ID),
            ("GENESYSCLOUD_OAUTHCLIENT_SECRET", ""),
        ],
        None,
    );
    assert!(err.contains("no client secret"), "{err}");
    assert!(
        err.contains("GENESYSCLOUD_OAUTHCLIENT_SECRET is set but empty"),
        "{err}"
    );
}

#[test]
fn credentials_under_other_names_are_named_with_how_to_map_them() {
    let err = usage_error(
        &["--region", "eu-west-1"],
        &[
            ("GENESYS_CLOUD_CLIENT_ID", MAIN_ID),
            ("GENESYS_CLOUD_CLIENT_SECRET", MAIN_SECRET),
        ],
        None,
    );
    assert!(err.contains("no client id"), "{err}");
    assert!(
        err.contains("GENESYS_CLOUD_CLIENT_ID is set in the environment"),
        "{err}"
    );
    assert!(
        err.contains("export GENESYSCLOUD_OAUTHCLIENT_ID=\"$GENESYS_CLOUD_CLIENT_ID\""),
        "{err}"
    );
    // A .env file in the working directory, not loaded: named, with --env-file.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        format!("GENESYS_CLOUD_CLIENT_ID={MAIN_ID}\nGENESYS_CLOUD_CLIENT_SECRET={MAIN_SECRET}\n"),
    )
    .unwrap();
    let err = usage_error(&["--region", "eu-west-1"], &[], Some(dir.path()));
    assert!(
        err.contains("GENESYS_CLOUD_CLIENT_ID is set in ./.env"),
        "{err}"
    );
    assert!(err.contains("--env-file"), "{err}");
    // Loaded with --env-file: the secret's other name is named once the id is given.
    let err = usage_error(
        &[
            "--region",
            "eu-west-1",
            "--env-file",
            ".env",
            "--client-id",
            MAIN_ID,
        ],
        &[],
        Some(dir.path()),
    );
    assert!(err.contains("no client secret"), "{err}");
    assert!(
        err.contains("GENESYS_CLOUD_CLIENT_SECRET is set in .env"),
        "{err}"
    );
}

#[test]
fn a_secret_of_one_or_two_characters_fails_the_inputs_check() {
    let sim = Sim::builtin("healthy");
    for short in ["x", "ab"] {
        let run = diagnose_client(&sim, MAIN_ID, short, &["--region", "eu-west-1"]);
        let inputs: &Value = run.json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "inputs")
            .unwrap();
        assert_eq!(inputs["status"], "fail", "{short}: {}", run.stdout);
        assert!(inputs["summary"].as_str().unwrap().contains("43"));
        assert_ne!(run.code, 0);
    }
}

#[test]
fn a_rejected_admin_credential_is_its_own_finding_and_the_settle_line_says_so() {
    let sim = Sim::builtin("wrong-secret");
    let (_a, af) = secret_file(OLD_SECRET);
    let run = diagnose_client(
        &sim,
        MAIN_ID,
        OLD_SECRET,
        &[
            "--region",
            "eu-west-1",
            "--admin-client-id",
            ADMIN_ID,
            "--admin-client-secret-file",
            &af,
        ],
    );
    assert_eq!(run.code, 3, "{}", run.stdout);
    let f = run.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["summary"]
                .as_str()
                .unwrap()
                .starts_with("admin access failed")
        })
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(f["severity"], "warning");
    let settle = run.json["settle"][0].as_str().unwrap();
    assert!(settle.contains("admin access given failed"), "{settle}");
    assert!(
        !run.json["settle"]
            .to_string()
            .contains("admin access, to read"),
        "{}",
        run.json["settle"]
    );
}

#[test]
fn a_secret_file_with_a_line_ending_is_a_gc204_warning_naming_the_file() {
    let sim = Sim::builtin("healthy");
    let dir = tempfile::tempdir().unwrap();
    for (name, ending, shown) in [
        ("echo.txt", "\n", "`\\n`"),
        ("notepad.txt", "\r\n", "`\\r\\n`"),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, format!("{MAIN_SECRET}{ending}")).unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let path = p.to_str().unwrap();
        let run = diagnose(
            &sim,
            &[
                "--client-id",
                MAIN_ID,
                "--client-secret-file",
                path,
                "--region",
                "eu-west-1",
            ],
        );
        // gcdoctor reads the secret without the line ending, so the client is healthy…
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert_eq!(run.json["verdict"], "healthy");
        // …and says what code reading the file as-is sends.
        let w = run
            .finding("GC204")
            .unwrap_or_else(|| panic!("{name}: {}", run.stdout));
        assert_eq!(w["severity"], "warning");
        let summary = w["summary"].as_str().unwrap();
        assert!(summary.contains(path), "{summary}");
        assert!(summary.contains(shown), "{summary}");
        assert!(summary.contains("as-is"), "{summary}");
        assert!(failed_checks(&run).is_empty(), "{:?}", failed_checks(&run));
        // Proven: the secret as the file holds it is rejected, the cleaned one got a token.
        let ev = w["evidence"].to_string();
        assert!(ev.contains("invalid_client"), "{ev}");
        assert!(ev.contains("token issued"), "{ev}");
        assert_eq!(w["proven"], true);
    }
    // A file without a line ending: nothing to say.
    let run = diagnose_client(&sim, MAIN_ID, MAIN_SECRET, &["--region", "eu-west-1"]);
    assert!(run.finding("GC204").is_none(), "{}", run.stdout);
}

#[test]
fn an_admin_token_the_api_refuses_is_its_own_finding_too() {
    let sim = Sim::builtin("wrong-secret");
    let (_t, tf) = secret_file("SimAdminToken-euw1-NotAValidTokenAtAll0000000000");
    let run = diagnose_client(
        &sim,
        MAIN_ID,
        OLD_SECRET,
        &["--region", "eu-west-1", "--admin-token-file", &tf],
    );
    assert_eq!(run.code, 3, "{}", run.stdout);
    let f = run.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["summary"]
                .as_str()
                .unwrap()
                .starts_with("admin access failed")
        })
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(f["evidence"].to_string().contains("401"), "{f}");
    let settle = run.json["settle"][0].as_str().unwrap();
    assert!(settle.contains("admin access given failed"), "{settle}");
}

#[test]
fn a_healthy_client_with_a_wrong_admin_secret_is_healthy_without_failed_checks() {
    let sim = Sim::builtin("healthy");
    let (_a, af) = secret_file(OLD_SECRET);
    let run = diagnose_client(
        &sim,
        MAIN_ID,
        MAIN_SECRET,
        &[
            "--region",
            "eu-west-1",
            "--admin-client-id",
            ADMIN_ID,
            "--admin-client-secret-file",
            &af,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json["verdict"], "healthy");
    assert!(failed_checks(&run).is_empty(), "{:?}", failed_checks(&run));
    assert!(
        run.json["findings"]
            .to_string()
            .contains("admin access failed"),
        "{}",
        run.stdout
    );
}

/// A script whose secret comes from code gcdoctor cannot run offline (a file it opens): the
/// error names that expression and its line, and how to give the value.
#[test]
fn a_secret_from_code_gcdoctor_cannot_run_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("token.py");
    std::fs::write(
        &script,
        format!(
            "import requests\nsec = open('secret.txt').read()\nrequests.post('https://login.mypurecloud.ie/oauth/token', auth=('{MAIN_ID}', sec), data={{'grant_type': 'client_credentials'}})\n"
        ),
    )
    .unwrap();
    let err = usage_error(&["--from-python", script.to_str().unwrap()], &[], None);
    assert!(err.contains("no client secret"), "{err}");
    assert!(
        err.contains("takes it from `open('secret.txt').read()` (line 2)"),
        "{err}"
    );
    assert!(err.contains("--client-secret-file"), "{err}");
}
