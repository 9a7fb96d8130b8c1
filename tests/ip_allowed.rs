//! GC406 ip-not-allowed over the seam: the simulator's allowed IP ranges (org and client),
//! its denial switches, and how gcdoctor reports what it can and cannot see.

mod common;
use common::*;

/// The healthy world with the main client limited to `ranges` and extra `[service]` TOML.
fn limited(ranges: &str, service: &str) -> Sim {
    let src = gcdoctor::sim::Scenario::builtin_source("healthy").unwrap();
    let text = src.replacen(
        "roles = [\"Reporting Reader\"]",
        &format!("roles = [\"Reporting Reader\"]\nallowed_ips = {ranges}"),
        1,
    );
    let text = text.replacen("[service]", &format!("[service]\n{service}"), 1);
    Sim::start(
        gcdoctor::sim::Scenario::from_toml_str(&text, "test").unwrap_or_else(|e| panic!("{e}")),
    )
}

fn settle(run: &Run) -> String {
    run.json["settle"].to_string()
}

#[test]
fn a_client_limited_to_other_ranges_with_the_default_answer_is_gc205_or_gc406() {
    let sim = limited(r#"["203.0.113.0/24", "198.51.100.7"]"#, "");
    let run = diagnose_client_with_admin(&sim, MAIN_ID, MAIN_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert_eq!(run.json["verdict"], "inconclusive");
    let ids = run.finding_ids();
    assert!(ids.contains(&"GC406".to_string()), "{ids:?}");
    // The ranges the record carries are printed, in the findings and in the text report.
    assert!(
        run.stdout.contains("203.0.113.0/24, 198.51.100.7/32"),
        "{}",
        run.stdout
    );
    assert!(settle(&run).contains("GC406"), "{}", settle(&run));
    assert!(settle(&run).contains("GC205"), "{}", settle(&run));
    // The simulator said nothing about addresses: the default denial is invalid_client.
    let denied = sim
        .requests()
        .into_iter()
        .filter(|r| r.host == "login.mypurecloud.ie" && r.status == 400)
        .count();
    assert!(denied >= 1);
    let text = gcdoctor()
        .args(["diagnose", "--region", "eu-west-1", "--client-id", MAIN_ID])
        .args(["--client-secret-stdin", "--admin-client-id", ADMIN_ID])
        .env("GCDOCTOR_CONNECT_TO", sim.addr())
        .env("GCDOCTOR_ADMIN_CLIENT_SECRET", ADMIN_SECRET)
        .write_stdin(MAIN_SECRET)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("allowedIpRanges: 203.0.113.0/24, 198.51.100.7/32"),
        "{text}"
    );
    assert!(!flat.contains("→ GC205"), "{text}");
}

#[test]
fn a_denial_that_is_not_a_wrong_secrets_answer_names_gc406() {
    let sim = limited(
        r#"["203.0.113.0/24"]"#,
        r#"ip_denied_login = { status = 403, body = '{"error":"access_denied","error_description":"access denied"}' }"#,
    );
    let run = diagnose_client_with_admin(&sim, MAIN_ID, MAIN_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.cause(), Some("GC406"));
    let cause = run.json["cause"].to_string();
    assert!(cause.contains("203.0.113.0/24"), "{cause}");
    // The switch's status and body are what the service sent.
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.host == "login.mypurecloud.ie" && r.status == 403)
    );
}

#[test]
fn without_admin_access_the_inconclusive_report_lists_gc406_to_settle() {
    let sim = limited(r#"["203.0.113.0/24"]"#, "");
    let run = diagnose_client(&sim, MAIN_ID, MAIN_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(settle(&run).contains("GC406"), "{}", settle(&run));
    assert!(settle(&run).contains("admin access"), "{}", settle(&run));
}

#[test]
fn a_caller_inside_the_ranges_gets_a_token() {
    // The connection's own address…
    let sim = limited(r#"["127.0.0.1/32"]"#, "");
    let run = diagnose_client(&sim, MAIN_ID, MAIN_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // …or the address the scenario gives every caller.
    let sim = limited(r#"["203.0.113.0/24"]"#, r#"caller_address = "203.0.113.9""#);
    let run = diagnose_client(&sim, MAIN_ID, MAIN_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn an_org_range_enforced_on_the_api_only_shows_on_a_permission_free_call() {
    let src = gcdoctor::sim::Scenario::builtin_source("healthy").unwrap();
    let text = src.replacen(
        "[service]",
        "allowed_ips = [\"203.0.113.0/24\"]\n\n[service]\norg_ip_check = \"api\"",
        1,
    );
    let sim = Sim::start(gcdoctor::sim::Scenario::from_toml_str(&text, "t").unwrap());
    let run = diagnose_client(&sim, MAIN_ID, MAIN_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.cause(), Some("GC406"));
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.target == "/api/v2/organizations/me" && r.status == 403)
    );
}

#[test]
fn bad_ranges_are_located_scenario_errors() {
    let src = gcdoctor::sim::Scenario::builtin_source("healthy").unwrap();
    let text = src.replacen(
        "roles = [\"Reporting Reader\"]",
        "roles = [\"Reporting Reader\"]\nallowed_ips = [\"10.0.0.0/33\"]",
        1,
    );
    let e = gcdoctor::sim::Scenario::from_toml_str(&text, "s.toml").unwrap_err();
    let shown = e.to_string();
    assert!(shown.contains("s.toml:"), "{shown}");
    assert!(shown.contains("allowed_ips"), "{shown}");
    assert!(shown.contains("10.0.0.0/33"), "{shown}");
}

#[test]
fn an_org_range_at_login_refuses_the_admin_client_too_and_the_report_says_what_that_fits() {
    let src = gcdoctor::sim::Scenario::builtin_source("healthy").unwrap();
    let text = src.replacen(
        "[service]",
        "allowed_ips = [\"203.0.113.0/24\"]\n\n[service]",
        1,
    );
    let sim = Sim::start(gcdoctor::sim::Scenario::from_toml_str(&text, "t").unwrap());
    let run = diagnose_client_with_admin(&sim, MAIN_ID, MAIN_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    let admin = run.json["findings"]
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
    assert!(admin["evidence"].to_string().contains("GC406"), "{admin}");
    assert!(settle(&run).contains("GC406"), "{}", settle(&run));
}
