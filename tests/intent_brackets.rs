//! A template filled in without removing its brackets (`{client_id}` → `{7c3f…}`,
//! `<client_secret>` → `<s8B8…>`): what the author meant is the value inside, so the run
//! proves GC204 (stray characters around the value) with it, where a template word inside
//! brackets stays GC208.

mod common;
use common::*;

const EU: &str = "https://login.mypurecloud.ie/oauth/token";

fn run(sim: &Sim, user: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("token.sh");
    let text = format!("curl -X POST {EU} -u '{user}' -d grant_type=client_credentials\n");
    std::fs::write(&p, text).unwrap();
    diagnose_with(sim, &["--from-curl", p.to_str().unwrap()], &[], None)
}

#[test]
fn a_real_value_left_in_template_brackets_is_gc204_proved_with_the_value_inside() {
    let sim = Sim::builtin("healthy");
    for (user, which) in [
        (format!("{{{MAIN_ID}}}:{MAIN_SECRET}"), "client id"),
        (format!("{MAIN_ID}:<{MAIN_SECRET}>"), "client secret"),
    ] {
        let run = run(&sim, &user);
        assert_eq!(run.code, 1, "{user}: {}{}", run.stdout, run.stderr);
        assert_eq!(run.cause(), Some("GC204"), "{}", run.stdout);
        let f = run.finding("GC204").unwrap();
        assert_eq!(f["proven"], true, "{f}");
        let summary = f["summary"].as_str().unwrap();
        assert!(
            summary.contains(which) && summary.contains("brackets"),
            "{summary}"
        );
        assert_no_leak(&run, &[MAIN_SECRET]);
    }
}

#[test]
fn a_template_word_in_brackets_stays_a_placeholder() {
    let sim = Sim::builtin("healthy");
    let run = run(&sim, "{client_id}:<YOUR_CLIENT_SECRET>");
    assert_eq!(run.cause(), Some("GC208"), "{}", run.stdout);
}
