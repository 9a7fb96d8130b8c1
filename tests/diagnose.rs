//! `gcdoctor diagnose` against the simulator over the seam: for each cause, a scenario that
//! reproduces it, the built binary, the cause id, the exit code, and where the secret went.

mod common;
use common::*;

fn creds_args<'a>(id: &'a str, file: &'a str) -> Vec<&'a str> {
    vec!["--client-id", id, "--client-secret-file", file]
}

#[test]
fn gc000_healthy_client_gets_a_usable_token_in_two_round_trips() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_client(&sim, MAIN_ID, MAIN_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json["verdict"], "healthy");
    assert!(run.json["cause"].is_null());
    assert_eq!(run.finding_ids(), vec!["GC000"]);
    assert_eq!(run.json["region"]["configured"], "eu-west-1");
    assert_eq!(run.json["round_trips"], 2);
    assert_eq!(
        hosts_that_saw(&sim.requests(), MAIN_SECRET),
        ["login.mypurecloud.ie".to_string()].into()
    );
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn gc103_wrong_region_names_the_home_region() {
    let sim = Sim::builtin("wrong-region");
    let run = diagnose_client(&sim, MAIN_ID, MAIN_SECRET, &["--region", "us-east-1"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.cause(), Some("GC103"));
    assert_eq!(run.json["region"]["configured"], "us-east-1");
    assert_eq!(run.json["region"]["detected"], "eu-west-1");
    assert!(run.json["round_trips"].as_u64().unwrap() <= 3);
    assert!(only_login_hosts(&hosts_that_saw(
        &sim.requests(),
        MAIN_SECRET
    )));
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn every_region_spelling_of_the_contract_is_accepted() {
    let sim = Sim::builtin("healthy");
    let (_d, f) = secret_file(MAIN_SECRET);
    for spelling in [
        "eu-west-1",
        "eu_west_1",
        "mypurecloud.ie",
        "login.mypurecloud.ie",
        "https://api.mypurecloud.ie",
        "prod-euw1",
    ] {
        let mut args = creds_args(MAIN_ID, &f);
        args.extend(["--region", spelling]);
        let run = diagnose(&sim, &args);
        assert_eq!(run.code, 0, "{spelling}: {}", run.stderr);
        assert_eq!(run.json["region"]["configured"], "eu-west-1", "{spelling}");
    }
}

#[test]
fn gc101_api_host_token_url() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_client(
        &sim,
        MAIN_ID,
        MAIN_SECRET,
        &["--token-url", "https://api.mypurecloud.ie/oauth/token"],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.cause(), Some("GC101"));
    // The user's own URL may receive the secret (their code already sends it there).
    let hosts = hosts_that_saw(&sim.requests(), MAIN_SECRET);
    assert!(
        hosts
            .iter()
            .all(|h| h == "login.mypurecloud.ie" || h == "api.mypurecloud.ie"),
        "{hosts:?}"
    );
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn gc101_api_v2_path_on_the_login_host() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_client(
        &sim,
        MAIN_ID,
        MAIN_SECRET,
        &[
            "--token-url",
            "https://login.mypurecloud.ie/api/v2/oauth/token",
        ],
    );
    assert_eq!(run.cause(), Some("GC101"), "{}", run.stdout);
    assert_eq!(run.code, 1);
}

#[test]
fn gc102_forum_host_is_never_sent_the_secret() {
    let sim = Sim::builtin("healthy");
    let (_d, f) = secret_file(MAIN_SECRET);
    for url in [
        "https://api.us.genesys.cloud/oauth/token",
        "https://acme.mygenesyscloud.com/api/v2/oauth/token",
    ] {
        let mut args = creds_args(MAIN_ID, &f);
        args.extend(["--token-url", url]);
        let run = diagnose(&sim, &args);
        assert_eq!(run.cause(), Some("GC102"), "{url}: {}", run.stdout);
        assert_eq!(run.code, 1);
        // No region given: the sweep finds the client's home region.
        assert_eq!(run.json["region"]["detected"], "eu-west-1");
    }
    let hosts = hosts_that_saw(&sim.requests(), MAIN_SECRET);
    assert!(only_login_hosts(&hosts), "{hosts:?}");
    assert!(
        sim.requests()
            .iter()
            .all(|r| !r.host.contains("genesys.cloud"))
    );
}

#[test]
fn gc104_nothing_listening() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (_d, f) = secret_file(MAIN_SECRET);
    let out = gcdoctor()
        .args([
            "diagnose",
            "--format",
            "json",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
        ])
        .env("GCDOCTOR_CONNECT_TO", format!("127.0.0.1:{port}"))
        .output()
        .unwrap();
    let _ = capture(out.clone(), &[]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json["cause"]["id"], "GC104");
    assert!(
        json["cause"]["summary"]
            .as_str()
            .unwrap()
            .contains("refused"),
        "{json}"
    );
}

#[test]
fn gc204_trailing_newline_in_the_env_secret() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_with(
        &sim,
        &["--client-id", MAIN_ID, "--region", "eu-west-1"],
        &[(
            "GENESYSCLOUD_OAUTHCLIENT_SECRET",
            &format!("{MAIN_SECRET}\r\n"),
        )],
        None,
    );
    assert_eq!(run.cause(), Some("GC204"), "{}", run.stdout);
    assert_eq!(run.code, 1);
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn gc205_wrong_secret_with_admin_access() {
    let sim = Sim::builtin("wrong-secret");
    let run = diagnose_client_with_admin(&sim, MAIN_ID, OLD_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.cause(), Some("GC205"), "{}", run.stdout);
    assert_eq!(run.code, 1);
    assert!(run.requests_sent() <= 30);
    assert!(only_login_hosts(&hosts_that_saw(
        &sim.requests(),
        OLD_SECRET
    )));
    assert!(only_login_hosts(&hosts_that_saw(
        &sim.requests(),
        ADMIN_SECRET
    )));
    assert_no_leak(&run, &[OLD_SECRET, ADMIN_SECRET, MAIN_SECRET]);
}

#[test]
fn wrong_secret_without_admin_access_is_inconclusive_and_says_what_would_settle_it() {
    let sim = Sim::builtin("wrong-secret");
    let run = diagnose_client(&sim, MAIN_ID, OLD_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert_eq!(run.json["verdict"], "inconclusive");
    let settle = run.json["settle"].to_string();
    assert!(settle.contains("--admin-client-id"), "{settle}");
}

#[test]
fn gc205_with_an_admin_token_file() {
    let sim = Sim::builtin_plus(
        "wrong-secret",
        &format!(
            "[[admin_tokens]]\ntoken = \"{ADMIN_TOKEN}\"\nregion = \"eu-west-1\"\npermissions = [\"oauth:client:view\"]\n"
        ),
    );
    let (_d, f) = secret_file(OLD_SECRET);
    let (_t, tf) = secret_file(ADMIN_TOKEN);
    let mut args = creds_args(MAIN_ID, &f);
    args.extend(["--region", "eu-west-1", "--admin-token-file", &tf]);
    let run = diagnose(&sim, &args);
    assert_eq!(run.cause(), Some("GC205"), "{}", run.stdout);
    assert_no_leak(&run, &[OLD_SECRET, ADMIN_TOKEN]);
}

#[test]
fn gc205_also_when_a_bad_secret_gets_401() {
    let sim = Sim::builtin("strict-401");
    let run = diagnose_client_with_admin(&sim, MAIN_ID, OLD_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.cause(), Some("GC205"), "{}", run.stdout);
}

#[test]
fn gc206_unknown_client_with_admin_access() {
    let sim = Sim::builtin("unknown-client");
    let run = diagnose_client_with_admin(&sim, UNKNOWN_ID, OLD_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.cause(), Some("GC206"), "{}", run.stdout);
    assert_eq!(run.code, 1);
}

#[test]
fn gc206_from_the_legacy_client_not_found_text_without_admin_access() {
    let sim = Sim::builtin("legacy-client-not-found");
    let run = diagnose_client(&sim, UNKNOWN_ID, OLD_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.cause(), Some("GC206"), "{}", run.stdout);
}

#[test]
fn legacy_text_with_a_known_client_narrows_but_does_not_guess() {
    // The client exists in eu-west-1 with another secret: only that region answers
    // "authentication failed"; without admin access gcdoctor must not claim GC205.
    let sim = Sim::builtin("legacy-client-not-found");
    let run = diagnose_client(&sim, MAIN_ID, OLD_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert_eq!(run.json["verdict"], "inconclusive");
    assert!(run.finding("GC205").is_none());
    assert!(
        run.json["findings"][0]["summary"]
            .as_str()
            .unwrap()
            .contains("exists in eu-west-1")
    );
}

#[test]
fn legacy_text_locates_the_client_in_another_region() {
    let sim = Sim::builtin("legacy-client-not-found");
    let run = diagnose_client(&sim, MAIN_ID, OLD_SECRET, &["--region", "us-east-1"]);
    assert_eq!(run.cause(), Some("GC103"), "{}", run.stdout);
    assert_eq!(run.code, 1);
}

#[test]
fn gc207_swapped_id_and_secret() {
    let sim = Sim::builtin("healthy");
    let (_d, f) = secret_file(MAIN_ID);
    let run = diagnose(
        &sim,
        &[
            "--client-id",
            MAIN_SECRET,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
        ],
    );
    assert_eq!(run.cause(), Some("GC207"), "{}", run.stdout);
    assert_eq!(run.code, 1);
    // The "id" given is really the secret: it must be masked like one.
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn gc208_placeholders_are_caught_before_anything_is_sent() {
    let sim = Sim::builtin("healthy");
    let (_d, f) = secret_file("YOUR_CLIENT_SECRET");
    let run = diagnose(
        &sim,
        &[
            "--client-id",
            "YOUR_CLIENT_ID",
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
        ],
    );
    assert_eq!(run.cause(), Some("GC208"), "{}", run.stdout);
    assert_eq!(run.code, 1);
    assert_eq!(run.requests_sent(), 0);
    assert!(sim.requests().is_empty());
}

#[test]
fn gc203_secret_given_percent_encoded() {
    let sim = Sim::builtin("secret-encoding");
    let encoded: String = url::form_urlencoded::byte_serialize(PLUS_SECRET.as_bytes()).collect();
    let (_d, f) = secret_file(&encoded);
    let run = diagnose(
        &sim,
        &[
            "--client-id",
            PLUS_ID,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
        ],
    );
    assert_eq!(run.cause(), Some("GC203"), "{}", run.stdout);
    assert_no_leak(&run, &[PLUS_SECRET]);
}

#[test]
fn gc203_plus_turned_into_space_before_it_reached_us() {
    let sim = Sim::builtin("secret-encoding");
    let (_d, f) = secret_file(&PLUS_SECRET.replace('+', " "));
    let run = diagnose(
        &sim,
        &[
            "--client-id",
            PLUS_ID,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
        ],
    );
    assert_eq!(run.cause(), Some("GC203"), "{}", run.stdout);
}

fn admin_args(af: &str) -> Vec<&str> {
    vec![
        "--admin-client-id",
        ADMIN_ID,
        "--admin-client-secret-file",
        af,
    ]
}

#[test]
fn gc401_client_without_the_client_credentials_grant() {
    let sim = Sim::builtin("grant-not-enabled");
    let run = diagnose_client_with_admin(&sim, CODE_ID, CODE_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.cause(), Some("GC401"), "{}", run.stdout);
    assert_eq!(run.code, 1);
}

#[test]
fn gc401_from_an_unauthorized_client_answer() {
    let sim = Sim::builtin_with(
        "grant-not-enabled",
        "wrong_grant_client = \"unauthorized-client\"",
    );
    let (_d, f) = secret_file(CODE_SECRET);
    let run = diagnose(
        &sim,
        &[
            "--client-id",
            CODE_ID,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
        ],
    );
    assert_eq!(run.cause(), Some("GC401"), "{}", run.stdout);
}

#[test]
fn gc402_disabled_and_inactive_clients() {
    for scenario in ["disabled-client", "inactive-client"] {
        let sim = Sim::builtin(scenario);
        let (_d, f) = secret_file(MAIN_SECRET);
        let (_a, af) = secret_file(ADMIN_SECRET);
        let mut args = creds_args(MAIN_ID, &f);
        args.extend(["--region", "eu-west-1"]);
        args.extend(admin_args(&af));
        let run = diagnose(&sim, &args);
        assert_eq!(run.cause(), Some("GC402"), "{scenario}: {}", run.stdout);
        assert_eq!(run.code, 1);
    }
}

#[test]
fn gc403_no_roles() {
    let sim = Sim::builtin("no-roles");
    let run = diagnose_client(
        &sim,
        MAIN_ID,
        MAIN_SECRET,
        &[
            "--region",
            "eu-west-1",
            "--check-api",
            "GET /api/v2/routing/queues",
        ],
    );
    assert_eq!(run.cause(), Some("GC403"), "{}", run.stdout);
    assert_eq!(run.code, 1);
}

#[test]
fn gc403_no_roles_shown_by_the_admin_view_when_tokens_me_is_unavailable() {
    let sim = Sim::builtin_with("no-roles", "tokens_me = \"not-found\"");
    let run = diagnose_client_with_admin(
        &sim,
        MAIN_ID,
        MAIN_SECRET,
        &[
            "--region",
            "eu-west-1",
            "--check-api",
            "GET /api/v2/routing/queues",
        ],
    );
    assert_eq!(run.cause(), Some("GC403"), "{}", run.stdout);
}

#[test]
fn gc404_missing_permission_names_it() {
    let sim = Sim::builtin("missing-permission");
    let run = diagnose_client(
        &sim,
        MAIN_ID,
        MAIN_SECRET,
        &["--region", "eu-west-1", "--check-api", "GET /api/v2/users"],
    );
    assert_eq!(run.cause(), Some("GC404"), "{}", run.stdout);
    assert!(
        run.json["cause"]["summary"]
            .as_str()
            .unwrap()
            .contains("directory:user:view"),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1);
}

#[test]
fn gc405_user_context() {
    let sim = Sim::builtin("user-context");
    let run = diagnose_client(
        &sim,
        MAIN_ID,
        MAIN_SECRET,
        &[
            "--region",
            "eu-west-1",
            "--check-api",
            "GET /api/v2/users/me",
        ],
    );
    assert_eq!(run.cause(), Some("GC405"), "{}", run.stdout);
    assert_eq!(run.code, 1);
}

#[test]
fn gc501_throttling_stops_all_sending() {
    let sim = Sim::builtin("rate-limited");
    let (_d, f) = secret_file(MAIN_SECRET);
    let run = diagnose(
        &sim,
        &[
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
        ],
    );
    assert_eq!(run.cause(), Some("GC501"), "{}", run.stdout);
    assert_eq!(run.code, 1);
    // One token request was answered "rate limit exceeded"; nothing followed it.
    let login: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.host == "login.mypurecloud.ie")
        .collect();
    assert_eq!(login.len(), 1, "{login:?}");
}

#[test]
fn gc502_service_error_and_html_page() {
    for scenario in ["service-error", "proxy-html"] {
        let sim = Sim::builtin(scenario);
        let (_d, f) = secret_file(MAIN_SECRET);
        let run = diagnose(
            &sim,
            &[
                "--client-id",
                MAIN_ID,
                "--client-secret-file",
                &f,
                "--region",
                "eu-west-1",
            ],
        );
        assert_eq!(run.cause(), Some("GC502"), "{scenario}: {}", run.stdout);
        assert_eq!(run.code, 1);
    }
}

#[test]
fn no_region_given_sweeps_and_reports_the_home_region() {
    let sim = Sim::builtin("healthy");
    let (_d, f) = secret_file(MAIN_SECRET);
    let run = diagnose(&sim, &creds_args(MAIN_ID, &f));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.json["region"]["configured"].is_null());
    assert_eq!(run.json["region"]["detected"], "eu-west-1");
}

#[test]
fn requests_stay_within_the_budget_for_every_scenario() {
    for name in [
        "wrong-region",
        "wrong-secret",
        "unknown-client",
        "grant-not-enabled",
    ] {
        let sim = Sim::builtin(name);
        let s = gcdoctor::sim::Scenario::builtin(name)
            .unwrap()
            .demo_inputs()
            .unwrap();
        let (_d, f) = secret_file(&s.secret);
        let (_a, af) = secret_file(ADMIN_SECRET);
        let region = s.region.map(|r| r.key).unwrap_or("eu-west-1");
        let mut args = creds_args(&s.client_id, &f);
        args.extend(["--region", region]);
        args.extend(admin_args(&af));
        let run = diagnose(&sim, &args);
        assert!(run.requests_sent() <= 30, "{name}: {}", run.requests_sent());
        assert!(run.json["round_trips"].as_u64().unwrap() <= 5, "{name}");
        assert_eq!(
            sim.requests().len() as u64,
            run.requests_sent(),
            "{name}: the report counts every request"
        );
    }
}

#[test]
fn gc101_whatever_the_api_host_answers() {
    let (_d, f) = secret_file(MAIN_SECRET);
    for switch in [
        "api_token_path = \"html\"",
        "api_token_path = \"not-found\"",
    ] {
        let sim = Sim::builtin_with("healthy", switch);
        let mut args = creds_args(MAIN_ID, &f);
        args.extend(["--token-url", "https://api.mypurecloud.ie/oauth/token"]);
        let run = diagnose(&sim, &args);
        assert_eq!(run.cause(), Some("GC101"), "{switch}: {}", run.stdout);
        assert_eq!(run.code, 1);
    }
    // Where the api host would issue tokens, the URL is only a warning: evidence decides.
    let sim = Sim::builtin_with("healthy", "api_token_path = \"login\"");
    let mut args = creds_args(MAIN_ID, &f);
    args.extend(["--token-url", "https://api.mypurecloud.ie/oauth/token"]);
    let run = diagnose(&sim, &args);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.finding("GC101").unwrap()["severity"], "warning");
}

#[test]
fn gc104_when_no_region_is_reachable_and_none_was_given() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (_d, f) = secret_file(MAIN_SECRET);
    let out = gcdoctor()
        .args([
            "diagnose",
            "--format",
            "json",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
        ])
        .env("GCDOCTOR_CONNECT_TO", format!("127.0.0.1:{port}"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["cause"]["id"], "GC104", "{json}");
    assert_eq!(out.status.code(), Some(1));
}
