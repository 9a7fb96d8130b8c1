//! `--format text`: cause first, evidence, fix, checks, inputs, summary line; ASCII and
//! colour modes; `--verbose`; lint reports; width; hostile strings.

#[path = "common/report.rs"]
mod common;

use common::*;
use gcdoctor::report::{Format, RenderOptions, Report, render};
use gcdoctor::secret::Redactor;

const WIDTH: usize = 100;

fn text(r: &Report, opts: RenderOptions) -> String {
    render(r, Format::Text, opts, &Redactor::new())
}

fn plain() -> RenderOptions {
    RenderOptions {
        color: false,
        unicode: true,
        verbose: false,
        brief: false,
    }
}

/// Lines wider than the layout width must be a single unbreakable word (a URL, a mask).
fn assert_fits(what: &str, out: &str) {
    for line in out.lines() {
        if line.chars().count() > WIDTH {
            assert!(
                line.split(' ').any(|w| w.chars().count() > 40),
                "{what}: line over {WIDTH} columns that could wrap:\n{line}"
            );
        }
    }
}

fn section<'a>(out: &'a str, title: &str) -> Option<&'a str> {
    let start = out
        .find(&format!("\n{title}\n"))
        .or_else(|| out.find(&format!("\n{title}  ")))?;
    let rest = &out[start + 1..];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    Some(&rest[..end])
}

#[test]
fn every_scenario_leads_with_its_cause_and_ends_with_the_summary() {
    for name in scenarios() {
        let out = demo(name, "text", &[]);
        let s = body(&out);
        assert_fits(name, &s);
        let first = s.lines().next().unwrap_or_default();
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&demo(name, "json", &[]))).expect("json");
        match json["verdict"].as_str() {
            Some("cause-found") => {
                let id = json["cause"]["id"].as_str().expect("id");
                let nm = json["cause"]["name"].as_str().expect("name");
                let at = json["cause"]["line"]
                    .as_u64()
                    .map(|l| format!(" (line {l})"))
                    .unwrap_or_default();
                assert!(
                    first.starts_with(&format!("✗ {id} {nm}{at}: ")),
                    "{name}: {first}"
                );
                assert!(s.contains("\nFix\n  "), "{name}: no fix\n{s}");
                assert!(s.contains(&format!("gcdoctor explain {id}")), "{name}");
                assert!(s.contains("exit 1 (cause found)"), "{name}");
            }
            Some("healthy") => {
                assert!(first.starts_with("✓ GC000 healthy: "), "{name}: {first}");
                assert!(
                    !s.contains("\nFix\n"),
                    "{name}: a healthy run has nothing to fix"
                );
                assert!(s.contains("exit 0 (healthy)"), "{name}");
            }
            v => panic!("{name}: unexpected verdict {v:?}"),
        }
        // Evidence comes right after the headline and shows the request as sent.
        let ev = section(&s, "Evidence").unwrap_or_else(|| panic!("{name}: no evidence\n{s}"));
        assert!(ev.contains("  #"), "{name}: evidence refers to exchanges");
        assert!(s.contains("as sent, and the answer:\n    > "), "{name}");
        assert!(section(&s, "Checks").is_some(), "{name}: no checks\n{s}");
        assert!(section(&s, "Inputs").is_some(), "{name}: no inputs\n{s}");
        let last = s.lines().rev().find(|l| l.contains(" checks passed"));
        assert!(
            last.is_some_and(|l| l.contains(" request") && l.contains(" round trip")),
            "{name}: no summary line\n{s}"
        );
    }
}

#[test]
fn wrong_region_reads_as_designed() {
    let s = body(&demo("wrong-region", "text", &[]));
    let lines: Vec<&str> = s.lines().collect();
    assert!(lines[0].starts_with("✗ GC103 wrong-region: the client lives in eu-west-1"));
    // The headline comes first, then the evidence, then the fix, then the table.
    let order = ["Evidence", "Fix", "Checks", "Inputs", "Notes"];
    let pos: Vec<usize> = order
        .iter()
        .map(|t| {
            lines
                .iter()
                .position(|l| l.starts_with(t))
                .unwrap_or_else(|| panic!("no {t}"))
        })
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}\n{s}");
    assert!(s.contains("  #1 canonical request at login.mypurecloud.com → 400 invalid_client"));
    assert!(s.contains("  #2 canonical request at login.mypurecloud.ie → 200"));
    assert!(s.contains("  Post to https://login.mypurecloud.ie/oauth/token"));
    assert!(s.contains("  ✗ region-scan "));
    assert!(s.contains(" → GC103"));
    assert!(
        !s.contains("client-inspect"),
        "the record was not needed:\n{s}"
    );
    assert!(s.contains("  ✓ inputs "));
    let summary = lines
        .iter()
        .find(|l| l.contains("checks passed"))
        .expect("summary");
    assert!(summary.starts_with("2/4 checks passed (1 skipped) · 18 requests · 2 round trips · "));
    assert!(summary.ends_with(" · exit 1 (cause found)"));
    assert_eq!(
        lines.last(),
        Some(&"More about this cause: gcdoctor explain GC103")
    );
}

#[test]
fn ascii_mode_uses_words_for_marks() {
    let r = report_with(&|s| s.to_string());
    let s = text(
        &r,
        RenderOptions {
            unicode: false,
            ..plain()
        },
    );
    for mark in ['✓', '✗', '–'] {
        assert!(!s.contains(mark), "{mark} in ASCII mode:\n{s}");
    }
    assert!(s.starts_with("FAIL GC103 wrong-region: summary"), "{s}");
    assert!(s.contains("\n  ok   check-a "), "{s}");
    assert!(s.contains("\n  FAIL check-b "), "{s}");
    assert!(s.contains("\n  skip check-c "), "{s}");
}

#[test]
fn colour_only_when_asked() {
    let r = report_with(&|s| s.to_string());
    assert!(!text(&r, plain()).contains('\x1b'));
    colored::control::set_override(true);
    let s = text(
        &r,
        RenderOptions {
            color: true,
            ..plain()
        },
    );
    assert!(s.contains("\x1b["), "no colour:\n{s}");
    // The CLI never colours a pipe.
    let out = gcdoctor()
        .env_remove("NO_COLOR")
        .args(["demo", "--scenario", "wrong-region"])
        .output()
        .expect("runs");
    assert!(!stdout(&out).contains('\x1b'));
}

#[test]
fn verbose_shows_every_exchange() {
    let out = demo("wrong-region", "text", &["--verbose"]);
    let s = stdout(&out);
    let ex = section(&s, "Exchanges").map(|_| &s[s.find("\nExchanges\n").unwrap_or(0)..]);
    let ex = ex.unwrap_or_else(|| panic!("no Exchanges section\n{s}"));
    for n in 1..=18 {
        assert!(
            ex.contains(&format!("\n  #{n} canonical request at login.")),
            "#{n}"
        );
    }
    assert_eq!(ex.matches("    > POST https://login.").count(), 18);
    assert_eq!(ex.matches("    < 400 Bad Request").count(), 17);
    assert_eq!(ex.matches("    < 200 OK").count(), 1);
    assert!(!stdout(&demo("wrong-region", "text", &[])).contains("\nExchanges\n"));
}

#[test]
fn inconclusive_says_what_would_settle_it() {
    let out = inconclusive("text", &[]);
    assert_eq!(out.status.code(), Some(3));
    let s = body(&out);
    assert!(s.starts_with("? GC900 inconclusive: "), "{s}");
    let settle = section(&s, "To settle it").unwrap_or_else(|| panic!("{s}"));
    assert!(settle.contains("  - admin access"), "{settle}");
    assert!(
        !s.contains("\nFix\n"),
        "the settle list replaces the generic fix\n{s}"
    );
    assert!(s.contains("exit 3 (inconclusive)"));
    assert_fits("inconclusive", &s);
}

#[test]
fn lint_report_shows_lines_and_a_copyable_correction() {
    let r = lint_report();
    let s = text(&r, plain());
    assert!(
        s.starts_with("✗ GC301 json-body (line 4): the body is JSON"),
        "{s}"
    );
    assert!(s.contains("\n  in get-token.sh\n"), "{s}");
    assert!(
        s.contains("  error GC101 wrong-token-url (line 1): "),
        "{s}"
    );
    assert!(
        s.contains("  warning GC306 scope-parameter (line 5): "),
        "{s}"
    );
    // Copyable blocks are flush left, exactly as they must be pasted.
    let suggestion = &r.suggestion.as_ref().expect("suggestion").text;
    assert!(
        s.contains(&format!("Corrected request (curl)\n\n{suggestion}")),
        "{s}"
    );
    let example = r.findings[0].example.as_deref().expect("example");
    assert!(s.contains(&format!("\n\n{example}")), "{s}");
    assert!(s.contains("3 findings (2 errors, 1 warning) · nothing sent · exit 1 (defects found)"));
    assert!(!s.contains("checks passed"));

    let s = text(&lint_clean_report(), plain());
    assert!(
        s.starts_with("✓ clean: no defect found in get-token.sh"),
        "{s}"
    );
    assert!(s.contains("exit 0 (clean)"));
}

#[test]
fn network_text_cannot_drive_the_terminal() {
    let r = report_with(&|s| format!("{s} \x1b[2J\x07 \u{9b}31m"));
    let s = text(
        &r,
        RenderOptions {
            verbose: true,
            ..plain()
        },
    );
    assert!(!s.contains('\x1b') && !s.contains('\x07') && !s.contains('\u{9b}'));
    assert!(s.contains("\\u{1b}[2J"), "{s}");
}

#[test]
fn long_text_wraps_at_100_columns() {
    let long = "word ".repeat(60);
    let r = report_with(&|s| format!("{s} {long}"));
    let s = text(
        &r,
        RenderOptions {
            verbose: true,
            ..plain()
        },
    );
    // Copyable blocks (examples, the suggestion) are code: they keep their lines.
    let prose: String = s
        .lines()
        .filter(|l| {
            !["example", "other example", "suggested"]
                .iter()
                .any(|b| l.starts_with(b))
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_fits("long", &prose);
    // An unbreakable token is kept whole.
    let url = format!("https://login.mypurecloud.ie/{}", "x".repeat(150));
    let r = report_with(&|s| format!("{s} {url}"));
    assert!(text(&r, plain()).contains(&url));
}
