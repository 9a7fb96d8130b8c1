//! `gcdoctor diagnose --from-postman` against the simulator over the seam: one collection per
//! cause family (healthy, region, credentials, URL, request shape, the OAuth 2.0 helper,
//! variables from an environment export), and the collection's secret only ever sent to login
//! hosts and never printed.

mod common;
use common::*;

fn collection(name: &str) -> String {
    format!(
        "{}/tests/fixtures/postman/{name}.postman_collection.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn env_export() -> String {
    format!(
        "{}/tests/fixtures/postman/genesys-ie.postman_environment.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn from_postman(sim: &Sim, name: &str, extra: &[&str]) -> Run {
    let c = collection(name);
    let mut args = vec!["--from-postman", c.as_str()];
    args.extend_from_slice(extra);
    diagnose(sim, &args)
}

#[test]
fn healthy_collection() {
    let sim = Sim::builtin("wrong-region");
    let run = from_postman(&sim, "clean", &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(only_login_hosts(&hosts_that_saw(
        &sim.requests(),
        MAIN_SECRET
    )));
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn region_family_oauth2_helper_pointed_at_us_east_1() {
    let sim = Sim::builtin("wrong-region");
    let run = from_postman(&sim, "oauth2_body_scope", &[]);
    assert_eq!(run.cause(), Some("GC103"), "{}", run.stdout);
    assert_eq!(run.json["region"]["detected"], "eu-west-1");
    // The defects of the helper's request stay findings.
    let ids = run.finding_ids();
    assert!(ids.contains(&"GC306".to_string()), "{ids:?}");
    assert!(only_login_hosts(&hosts_that_saw(
        &sim.requests(),
        MAIN_SECRET
    )));
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn credentials_family_an_old_secret_in_the_collection() {
    let sim = Sim::builtin("wrong-secret");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("old.postman_collection.json");
    let text = std::fs::read_to_string(collection("clean"))
        .unwrap()
        .replace(MAIN_SECRET, OLD_SECRET);
    std::fs::write(&p, text).unwrap();
    let (_a, af) = secret_file(ADMIN_SECRET);
    let run = diagnose(
        &sim,
        &[
            "--from-postman",
            p.to_str().unwrap(),
            "--admin-client-id",
            ADMIN_ID,
            "--admin-client-secret-file",
            &af,
        ],
    );
    assert_eq!(run.cause(), Some("GC205"), "{}", run.stdout);
    assert!(only_login_hosts(&hosts_that_saw(
        &sim.requests(),
        OLD_SECRET
    )));
    assert_no_leak(&run, &[OLD_SECRET, ADMIN_SECRET]);
}

#[test]
fn url_family_the_forum_token_url() {
    let sim = Sim::builtin("wrong-region");
    let run = from_postman(&sim, "wrong_host", &[]);
    assert_eq!(run.cause(), Some("GC101"), "{}", run.stdout);
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn request_shape_family() {
    for (name, cause) in [
        ("json_body", "GC301"),
        ("text_body", "GC302"),
        ("oauth2_password_grant", "GC303"),
    ] {
        let sim = Sim::builtin("wrong-region");
        let run = from_postman(&sim, name, &[]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert_eq!(run.cause(), Some(cause), "{name}: {}", run.stdout);
        assert!(
            only_login_hosts(&hosts_that_saw(&sim.requests(), MAIN_SECRET)),
            "{name}"
        );
        assert_no_leak(&run, &[MAIN_SECRET]);
    }
}

#[test]
fn variables_from_the_environment_export() {
    let sim = Sim::builtin("wrong-region");
    let env = env_export();
    let run = from_postman(&sim, "env_vars", &["--postman-env", &env]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_no_leak(&run, &[MAIN_SECRET]);
    // Without it, the variables are unknown: diagnose asks for the secret, and says nothing of it.
    let run = from_postman(&sim, "env_vars", &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn from_detects_the_kind_as_lint_does() {
    let sim = Sim::builtin("wrong-region");
    // By name.
    let run = diagnose(&sim, &["--from", &collection("json_body")]);
    assert_eq!(run.cause(), Some("GC301"), "{}", run.stdout);
    // By content: a collection saved under another name.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("export.json");
    std::fs::copy(collection("wrong_host"), &p).unwrap();
    let run = diagnose(&sim, &["--from", p.to_str().unwrap()]);
    assert_eq!(run.cause(), Some("GC101"), "{}", run.stdout);
    // Another kind on stdin.
    let curl = format!(
        "curl -X POST https://login.mypurecloud.com/oauth/token -u '{MAIN_ID}:{MAIN_SECRET}' -d grant_type=client_credentials\n"
    );
    let run = diagnose_with(&sim, &["--from", "-"], &[], Some(&curl));
    assert_eq!(run.cause(), Some("GC103"), "{}", run.stdout);
    assert_no_leak(&run, &[MAIN_SECRET]);
    // One --from flag at a time.
    let run = diagnose(
        &sim,
        &[
            "--from",
            &collection("clean"),
            "--from-postman",
            &collection("clean"),
        ],
    );
    assert_eq!(run.code, 2);
}
