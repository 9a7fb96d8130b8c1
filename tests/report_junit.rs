//! `--format junit`: parsed back with quick-junit's reader and checked by hand for the
//! standard JUnit shape CI dashboards read (testsuites > testsuite > testcase with failure /
//! skipped), one testcase per check, the cause on the check that carries it.

#[path = "common/report.rs"]
mod common;

use common::*;
use gcdoctor::report::{Format, RenderOptions, Report, render};
use gcdoctor::secret::Redactor;
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

fn junit(r: &Report) -> String {
    render(r, Format::Junit, RenderOptions::default(), &Redactor::new())
}

fn parse(what: &str, xml: &str) -> TestSuite {
    let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    let rest = xml
        .strip_prefix(decl)
        .unwrap_or_else(|| panic!("{what}: {xml}"));
    // A run through the test seam says so in a comment on the first line.
    let rest = match rest.strip_prefix("<!-- TEST SEAM: ") {
        Some(r) => r.split_once(" -->").expect("comment closes").1,
        None => rest,
    };
    assert!(
        rest.starts_with("\n<testsuites name=\"gcdoctor\""),
        "{what}: {xml}"
    );
    let report = quick_junit::Report::deserialize_from_str(xml)
        .unwrap_or_else(|e| panic!("{what}: not JUnit XML ({e}):\n{xml}"));
    assert_eq!(report.test_suites.len(), 1, "{what}");
    let suite = report.test_suites.into_iter().next().expect("one suite");
    // The counts agree with the testcases (dashboards show the attributes).
    let failures = suite
        .test_cases
        .iter()
        .filter(|c| failure(c).is_some())
        .count();
    let skipped = suite
        .test_cases
        .iter()
        .filter(|c| matches!(c.status, TestCaseStatus::Skipped { .. }))
        .count();
    assert_eq!(suite.tests, suite.test_cases.len(), "{what}");
    assert_eq!(suite.failures, failures, "{what}");
    assert_eq!(suite.skipped, skipped, "{what}");
    assert_eq!(suite.errors, 0, "{what}");
    for c in &suite.test_cases {
        let class = c.classname.as_ref().map(|x| x.as_str()).unwrap_or_default();
        assert!(class.starts_with("gcdoctor."), "{what}: classname {class}");
        assert!(c.time.is_some(), "{what}: {} has no time", c.name.as_str());
    }
    suite
}

/// (message, type, text) of a failure.
fn failure(c: &TestCase) -> Option<(String, String, String)> {
    match &c.status {
        TestCaseStatus::NonSuccess {
            kind: NonSuccessKind::Failure,
            message,
            ty,
            description,
            ..
        } => Some((
            message
                .as_ref()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            ty.as_ref()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            description
                .as_ref()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
        )),
        _ => None,
    }
}

fn property<'a>(s: &'a TestSuite, name: &str) -> Option<&'a str> {
    s.properties
        .iter()
        .find(|p| p.name.as_str() == name)
        .map(|p| p.value.as_str())
}

#[test]
fn every_scenario_gives_one_testcase_per_check_and_the_cause_on_one() {
    for name in scenarios() {
        let xml = stdout(&demo(name, "junit", &[]));
        let suite = parse(name, &xml);
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&demo(name, "json", &[]))).expect("json");
        let checks = json["checks"].as_array().expect("checks");
        assert_eq!(suite.test_cases.len(), checks.len(), "{name}");
        for (c, j) in suite.test_cases.iter().zip(checks) {
            let id = j["id"].as_str().unwrap_or_default();
            let title = j["title"].as_str().unwrap_or_default();
            assert_eq!(c.name.as_str(), format!("{id}: {title}"), "{name}");
            let group = j["group"].as_str().unwrap_or_default();
            assert_eq!(
                c.classname.as_ref().map(|x| x.as_str()),
                Some(format!("gcdoctor.{group}").as_str())
            );
            match j["status"].as_str() {
                Some("skip") => {
                    assert!(
                        matches!(c.status, TestCaseStatus::Skipped { .. }),
                        "{name} {id}"
                    )
                }
                Some("fail") => assert!(failure(c).is_some(), "{name} {id}"),
                _ => {}
            }
        }
        assert_eq!(
            property(&suite, "verdict"),
            json["verdict"].as_str(),
            "{name}"
        );
        assert_eq!(
            property(&suite, "requests_sent"),
            Some(json["requests_sent"].to_string().as_str()),
            "{name}"
        );
        match json["cause"]["id"].as_str() {
            Some(id) => {
                assert_eq!(property(&suite, "cause"), Some(id), "{name}");
                let carriers: Vec<_> = suite
                    .test_cases
                    .iter()
                    .filter_map(failure)
                    .filter(|(_, ty, _)| ty == id)
                    .collect();
                assert_eq!(carriers.len(), 1, "{name}: the cause is on one check");
                let (message, _, text) = &carriers[0];
                let cause_name = json["cause"]["name"].as_str().unwrap_or_default();
                let summary = json["cause"]["summary"].as_str().unwrap_or_default();
                let at = json["cause"]["line"]
                    .as_u64()
                    .map(|l| format!(" (line {l})"))
                    .unwrap_or_default();
                assert_eq!(
                    message,
                    &format!("{id} {cause_name}{at}: {summary}"),
                    "{name}"
                );
                assert!(text.contains("\nEvidence:\n  #"), "{name}: {text}");
                assert!(text.contains("\nFix: "), "{name}: {text}");
            }
            None => {
                assert_eq!(property(&suite, "cause"), Some(""), "{name}");
                assert_eq!(suite.failures, 0, "{name}: a healthy run is green");
            }
        }
    }
}

#[test]
fn wrong_region_puts_the_cause_on_the_region_scan() {
    let suite = parse("wrong-region", &stdout(&demo("wrong-region", "junit", &[])));
    let scan = suite
        .test_cases
        .iter()
        .find(|c| c.name.as_str().starts_with("region-scan: "))
        .expect("region-scan");
    let (message, ty, text) = failure(scan).expect("a failure");
    assert_eq!(ty, "GC103");
    assert!(message.starts_with("GC103 wrong-region: the client lives in eu-west-1"));
    assert!(text.contains("#2 canonical request at login.mypurecloud.ie → 200"));
    assert!(text.contains("Fix: Post to https://login.mypurecloud.ie/oauth/token"));
    assert_eq!(
        scan.classname.as_ref().map(|c| c.as_str()),
        Some("gcdoctor.token")
    );
    assert_eq!(property(&suite, "region.configured"), Some("us-east-1"));
    assert_eq!(property(&suite, "region.detected"), Some("eu-west-1"));
    // The region scan explained the rejection: the client record was not needed, so it is
    // not reported as a skipped check either.
    assert!(
        !suite
            .test_cases
            .iter()
            .any(|c| c.name.as_str().starts_with("client-inspect: "))
    );
}

#[test]
fn inconclusive_fails_with_what_would_settle_it() {
    let out = inconclusive("junit", &[]);
    assert_eq!(out.status.code(), Some(3));
    let suite = parse("inconclusive", &stdout(&out));
    assert_eq!(property(&suite, "verdict"), Some("inconclusive"));
    let lead: Vec<_> = suite
        .test_cases
        .iter()
        .filter_map(failure)
        .filter(|(_, ty, _)| ty == "GC900")
        .collect();
    assert_eq!(lead.len(), 1);
    assert!(lead[0].0.starts_with("GC900 inconclusive: "));
    assert!(
        lead[0].2.contains("To settle it:\n  - admin access"),
        "{}",
        lead[0].2
    );
}

#[test]
fn lint_without_checks_gives_a_testcase_per_finding() {
    let suite = parse("lint", &junit(&lint_report()));
    assert_eq!(suite.name.as_str(), "gcdoctor lint");
    let names: Vec<&str> = suite.test_cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "GC301 json-body (line 4)",
            "GC101 wrong-token-url (line 1)",
            "GC306 scope-parameter (line 5)"
        ]
    );
    assert_eq!(suite.failures, 2, "errors fail, warnings pass");
    assert_eq!(property(&suite, "requests_sent"), Some("0"));

    let suite = parse("clean", &junit(&lint_clean_report()));
    assert_eq!(suite.tests, 0);
    assert_eq!(suite.failures, 0);
    assert_eq!(property(&suite, "verdict"), Some("clean"));
}

#[test]
fn a_failing_verdict_without_a_failed_check_still_fails() {
    let mut r = report_with(&|s| s.to_string());
    for c in &mut r.checks {
        c.status = gcdoctor::report::CheckStatus::Pass;
    }
    let suite = parse("no failed check", &junit(&r));
    let verdict = suite
        .test_cases
        .iter()
        .find(|c| {
            c.classname
                .as_ref()
                .is_some_and(|x| x.as_str() == "gcdoctor.verdict")
        })
        .expect("a verdict testcase");
    let (message, ty, _) = failure(verdict).expect("failure");
    assert_eq!(ty, "GC103");
    assert_eq!(message, "GC103 wrong-region: summary");
}

#[test]
fn hostile_strings_stay_well_formed_xml() {
    let payload = "<testcase name=\"x\"/> ]]> <![CDATA[ & &amp; \" ' \n\t line \u{1b}[31m \u{0}\u{b} ü 😀 --> <!--";
    let r = report_with(&|s| format!("{s} {payload}"));
    let xml = junit(&r);
    let suite = parse("hostile", &xml);
    assert_eq!(suite.test_cases.len(), 3);
    let (message, _, text) = failure(&suite.test_cases[1]).expect("failure on check-b");
    // Attributes are one line; characters XML cannot hold are dropped, the rest kept.
    assert!(
        message.starts_with(
            "GC103 wrong-region: summary <testcase name=\"x\"/> ]]> <![CDATA[ & &amp; \" ' line"
        ),
        "{message}"
    );
    assert!(!message.contains('\n'));
    assert!(text.contains("ü 😀 --> <!--"), "{text}");
    assert!(!xml.contains('\u{1b}') && !xml.contains('\u{0}'));
}
