//! `--format markdown` parsed back with pulldown-cmark (GitHub-flavoured options): whatever
//! the strings of the model hold, tables keep their shape, code blocks hold exactly their
//! text, no raw HTML gets through, and no heading, link or emphasis comes from the content.

#[path = "common/report.rs"]
mod common;

use common::*;
use gcdoctor::report::{Format, RenderOptions, Report, render};
use gcdoctor::secret::Redactor;
use proptest::prelude::*;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
}

fn markdown(r: &Report, verbose: bool) -> String {
    render(
        r,
        Format::Markdown,
        RenderOptions {
            color: false,
            unicode: true,
            verbose,
            brief: false,
        },
        &Redactor::new(),
    )
}

/// What a GFM renderer makes of the document.
#[derive(Debug, Default)]
struct Parsed {
    html: Vec<String>,
    /// Tables: rows of cells (header first), cell text as rendered.
    tables: Vec<Vec<Vec<String>>>,
    /// Fenced code blocks: (info, text).
    code: Vec<(String, String)>,
    headings: Vec<(HeadingLevel, String)>,
    /// Text of every paragraph, list item and table cell (code spans included).
    texts: Vec<String>,
    /// Tags that only the renderer may produce from content: links, images, emphasis, …
    forbidden: Vec<String>,
    strong: Vec<String>,
    /// The `<details>` folds the report opens and closes.
    folds: Vec<String>,
}

fn is_fold(h: &str) -> bool {
    let h = h.trim_end();
    if h == "</details>" {
        return true;
    }
    h.strip_prefix("<details><summary>")
        .and_then(|r| r.strip_suffix("</summary>"))
        .is_some_and(|summary| !summary.contains(['<', '>', '&', '"', '\'']))
}

fn parse(md: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut text = String::new();
    let mut in_code: Option<String> = None;
    let mut code = String::new();
    let mut row: Vec<String> = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut heading: Option<HeadingLevel> = None;
    let mut strong: Option<String> = None;
    for ev in Parser::new_ext(md, options()) {
        match ev {
            // The report's own folds are the only HTML allowed: `<details>` with a plain
            // summary (no `<`, `&` or quote inside), and its end.
            Event::Html(h) if is_fold(&h) => p.folds.push(h.to_string()),
            Event::Html(h) | Event::InlineHtml(h) => p.html.push(h.to_string()),
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(i) => i.to_string(),
                    CodeBlockKind::Indented => "<indented>".to_string(),
                };
                in_code = Some(info);
                code.clear();
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(info) = in_code.take() {
                    p.code.push((info, code.clone()));
                }
            }
            Event::Text(t) if in_code.is_some() => code.push_str(&t),
            Event::Text(t) | Event::Code(t) => {
                text.push_str(&t);
                if let Some(s) = &mut strong {
                    s.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            Event::Start(Tag::Strong) => strong = Some(String::new()),
            Event::End(TagEnd::Strong) => p.strong.extend(strong.take()),
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(level);
                text.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(l) = heading.take() {
                    p.headings.push((l, std::mem::take(&mut text)));
                }
            }
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell) => text.clear(),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => p.texts.push(std::mem::take(&mut text)),
            Event::End(TagEnd::TableCell) => {
                row.push(text.clone());
                p.texts.push(std::mem::take(&mut text));
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                table.push(std::mem::take(&mut row))
            }
            Event::End(TagEnd::Table) => p.tables.push(std::mem::take(&mut table)),
            Event::Start(
                t @ (Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Emphasis
                | Tag::Strikethrough
                | Tag::BlockQuote(_)
                | Tag::FootnoteDefinition(_)
                | Tag::HtmlBlock),
            ) => p.forbidden.push(format!("{t:?}")),
            Event::FootnoteReference(f) => p.forbidden.push(format!("footnote {f}")),
            Event::TaskListMarker(_) => p.forbidden.push("task list".into()),
            _ => {}
        }
    }
    // Each fold line is an HTML block of its own: those blocks are the report's, not content.
    for _ in 0..p.folds.len() {
        if let Some(k) = p.forbidden.iter().position(|f| f == "HtmlBlock") {
            p.forbidden.remove(k);
        }
    }
    p
}

/// Markdown-significant payloads: pipes, backticks and fences, HTML, entities, links,
/// emphasis, block openers, line breaks, non-ASCII.
const HOSTILE: &[&str] = &[
    "a | b || c \\| d",
    "`tick` ``double`` ```fence``` ````four````",
    "```\nnot a fence\n```",
    "~~~\ntilde fence\n~~~",
    "<script>alert(1)</script> <img src=x onerror=alert(1)> <!-- c --> <div>",
    "&amp; &lt; &#60; &#x3c; &copy",
    "[link](https://evil.example) ![img](x.png) <https://auto.example> [ref]: /x",
    "*em* **strong** _u_ __uu__ ~~strike~~ ~one~",
    "# heading",
    "## h2 ###",
    "- item",
    "+ plus",
    "1. one",
    "2) two",
    "> quote",
    "===",
    "---",
    "    indented code",
    "line\nbreak\r\ncrlf\rcr",
    "trailing backslash \\",
    "ünïcödé 😀 עברית \u{202e}rtl \u{0301}combining 名前",
    "[^1] footnote [ ] task",
    "#20 issue ref, email@example.com, @mention",
    "| --- | --- |",
];

/// A report whose every string carries `payload`.
fn hostile(payload: &str) -> Report {
    report_with(&|s| format!("{s} {payload}"))
}

/// The text a renderer must show for a model string: line breaks become spaces, the ends
/// are trimmed, and a `` `x` `` pair shows as code `x` (without its backticks) when `x` is
/// not empty, has no `|` and no space at either end.
fn shown(s: &str) -> String {
    let flat = s
        .replace("\r\n", " ")
        .replace(['\n', '\r', '\t'], " ")
        .trim()
        .to_string();
    let c: Vec<char> = flat.chars().collect();
    let tick = |i: usize| c.get(i) == Some(&'`');
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        let single = tick(i) && !tick(i + 1) && (i == 0 || !tick(i - 1));
        if single && let Some(len) = c[i + 1..].iter().position(|&x| x == '`') {
            let inner: String = c[i + 1..i + 1 + len].iter().collect();
            let close = i + 1 + len;
            if !tick(close + 1)
                && !inner.is_empty()
                && !inner.contains('|')
                && !inner.starts_with(' ')
                && !inner.ends_with(' ')
            {
                out.push_str(&inner);
                i = close + 1;
                continue;
            }
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

fn request_text(r: &Report, n: usize) -> String {
    let e = &r.exchanges[n - 1];
    let mut s = format!("{} {}\n", e.request.method, e.request.url);
    for (k, v) in &e.request.headers {
        s.push_str(&format!("{k}: {v}\n"));
    }
    s.push('\n');
    s.push_str(&e.request.body);
    s
}

fn response_text(r: &Report, n: usize) -> String {
    let e = &r.exchanges[n - 1];
    let resp = e.response.as_ref().expect("response");
    let mut s = format!("HTTP/1.1 {} Bad Request\n", resp.status);
    for (k, v) in &resp.headers {
        s.push_str(&format!("{k}: {v}\n"));
    }
    s.push('\n');
    s.push_str(&pretty(&resp.body));
    s
}

/// A JSON body is shown pretty-printed (unless it has `\u` escapes, which re-serialising
/// would decode); anything else as it is.
fn pretty(body: &str) -> String {
    let t = body.trim();
    if t.contains("\\u") || t.contains("\\/") || !(t.starts_with('{') || t.starts_with('[')) {
        return body.to_string();
    }
    serde_json::from_str::<serde_json::Value>(t)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| body.to_string())
}

/// The text a code block holds for `content`: LF line ends and one final newline.
fn block(content: &str) -> String {
    let c = content.replace("\r\n", "\n").replace('\r', "\n");
    format!("{}\n", c.trim_end_matches('\n'))
}

/// Checks the invariants on the markdown of `hostile(payload)`.
fn check(payload: &str) -> Result<(), TestCaseError> {
    let r = hostile(payload);
    let md = markdown(&r, false);
    let p = parse(&md);
    prop_assert!(p.html.is_empty(), "raw HTML {:?} in\n{md}", p.html);
    prop_assert!(p.forbidden.is_empty(), "{:?} in\n{md}", p.forbidden);

    // Headings: only the renderer's own.
    prop_assert_eq!(
        &p.headings[0],
        &(HeadingLevel::H2, "gcdoctor: GC103 wrong-region".to_string())
    );
    for (level, h) in &p.headings[1..] {
        prop_assert_eq!(*level, HeadingLevel::H3, "{}", h);
        prop_assert!(
            [
                "Checks",
                "Requests and answers",
                "Other findings",
                "Inputs",
                "Notes"
            ]
            .iter()
            .any(|t| h.starts_with(t)),
            "heading {h:?} from content in\n{md}"
        );
    }

    // Tables: checks (3 rows) and inputs (1 row), three columns each.
    prop_assert_eq!(p.tables.len(), 2, "{}", md);
    prop_assert_eq!(p.tables[0].len(), 1 + r.checks.len(), "{}", md);
    prop_assert_eq!(p.tables[1].len(), 1 + r.inputs.len(), "{}", md);
    for t in &p.tables {
        for row in t {
            prop_assert_eq!(row.len(), 3, "row {:?} in\n{}", row, md);
        }
    }
    // Cells show the strings whole.
    let check_b = &p.tables[0][2];
    prop_assert_eq!(
        &check_b[2],
        &format!("{} → GC103", shown(&r.checks[1].summary))
    );
    prop_assert_eq!(&p.tables[1][1][1], &shown(&r.inputs[0].value));

    // Code blocks: exactly the intended text, in order.
    let mut want = vec![
        block(r.findings[0].example.as_deref().unwrap_or_default()),
        block(
            &r.suggestion
                .as_ref()
                .map(|s| s.text.clone())
                .unwrap_or_default(),
        ),
        block(&request_text(&r, 1)),
        block(&response_text(&r, 1)),
    ];
    // Exchange 2 is shown too when the payload refers to it.
    if r.findings[0].exchange_refs().contains(&2) {
        want.push(block(&request_text(&r, 2)));
        let error = r.exchanges[1].error.clone().unwrap_or_default();
        want.push(block(&format!("no answer: {error}")));
    }
    want.push(block(r.findings[1].example.as_deref().unwrap_or_default()));
    want.push(block(&format!(
        "{} --format markdown",
        r.command.clone().unwrap_or_default()
    )));
    let got: Vec<String> = p.code.iter().map(|(_, t)| t.clone()).collect();
    prop_assert_eq!(got, want, "in\n{}", md);
    for (info, _) in &p.code {
        prop_assert!(
            ["", "http", "sh", "text"].contains(&info.as_str()),
            "info {info:?}"
        );
    }

    // Prose shows the strings whole: summary, evidence, fix, notes, settle.
    for s in [
        format!("Cause: {}", shown(&r.findings[0].summary)),
        format!("Fix: {}", shown(&r.findings[0].fix)),
        shown(&r.findings[0].evidence[1]),
        shown(&r.notes[0]),
        shown(&r.settle[0]),
        format!("Fix: {}", shown(&r.findings[1].fix)),
    ] {
        prop_assert!(
            p.texts.contains(&s),
            "{s:?} not shown whole in\n{md}\n{:#?}",
            p.texts
        );
    }
    // Bold only where the renderer puts it.
    for s in &p.strong {
        prop_assert!(
            [
                "Cause:",
                "Fix:",
                "Evidence:",
                "Next:",
                "Corrected request",
                "GC103"
            ]
            .contains(&s.as_str())
                || s.starts_with("warning GC306 scope-parameter (line 3):"),
            "bold {s:?} from content"
        );
    }
    Ok(())
}

#[test]
fn hostile_strings_cannot_break_the_document() {
    for payload in HOSTILE {
        if let Err(e) = check(payload) {
            panic!("payload {payload:?}: {e}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_string_keeps_the_document_intact(
        payload in proptest::collection::vec(
            prop_oneof![
                Just("|".to_string()), Just("`".to_string()), Just("```".to_string()),
                Just("<".to_string()), Just(">".to_string()), Just("*".to_string()),
                Just("_".to_string()), Just("[".to_string()), Just("]".to_string()),
                Just("(".to_string()), Just(")".to_string()), Just("\\".to_string()),
                Just("\n".to_string()), Just("#".to_string()), Just("&".to_string()),
                Just("~".to_string()), Just("!".to_string()), Just("-".to_string()),
                Just(" ".to_string()), Just("1.".to_string()), Just("<b>".to_string()),
                Just("&lt;".to_string()), Just("ü".to_string()), Just("😀".to_string()),
                "[a-z0-9]{1,4}",
            ],
            1..24,
        ).prop_map(|v| v.concat())
    ) {
        check(&payload)?;
    }
}

#[test]
fn line_endings_and_control_characters_in_code_are_normalised() {
    let r = report_with(&|s| format!("{s}\r\nsecond\rthird\x1b[1m"));
    let p = parse(&markdown(&r, false));
    let example = &p.code[0].1;
    assert_eq!(example, "example\nsecond\nthird\\u{1b}[1m\n");
}

#[test]
fn fences_outgrow_any_backtick_run() {
    let r = report_with(&|s| format!("{s}\n``````\nafter"));
    let md = markdown(&r, false);
    assert!(
        md.contains("\n```````\nexample\n``````\nafter\n```````"),
        "{md}"
    );
    let p = parse(&md);
    assert_eq!(p.code[0].1, "example\n``````\nafter\n");
}

#[test]
fn every_scenario_renders_as_intended() {
    for name in scenarios() {
        let md = body(&demo(name, "markdown", &[]));
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&demo(name, "json", &[]))).expect("json");
        let p = parse(&md);
        assert!(p.html.is_empty(), "{name}: {:?}", p.html);
        assert!(p.forbidden.is_empty(), "{name}: {:?}", p.forbidden);
        let title = match json["verdict"].as_str() {
            Some("healthy") => "gcdoctor: healthy".to_string(),
            _ => format!(
                "gcdoctor: {} {}",
                json["cause"]["id"].as_str().unwrap_or_default(),
                json["cause"]["name"].as_str().unwrap_or_default()
            ),
        };
        assert_eq!(p.headings[0], (HeadingLevel::H2, title), "{name}");
        // The cause (or result) and the fix come first.
        assert!(
            p.texts[0].starts_with("Cause: ")
                || p.texts[0].starts_with("Cause (line ")
                || p.texts[0].starts_with("Result: "),
            "{name}: {:?}",
            p.texts[0]
        );
        let checks = json["checks"].as_array().map_or(0, Vec::len);
        assert_eq!(p.tables[0].len(), 1 + checks, "{name}");
        // The key exchanges: the first request and every one the evidence refers to (for a
        // healthy run, the request that worked).
        let mut key: Vec<u64> = vec![1];
        if !json["cause"].is_null() {
            let refs = json["cause"]["exchanges"].as_array().into_iter().flatten();
            key.extend(refs.filter_map(|x| x.as_u64()));
        }
        key.sort_unstable();
        key.dedup();
        let http = p.code.iter().filter(|(i, _)| i == "http").count();
        assert_eq!(http, 2 * key.len(), "{name}: request and answer of {key:?}");
        for n in &key {
            let url = json["exchanges"][(n - 1) as usize]["request"]["url"]
                .as_str()
                .unwrap_or_default();
            assert!(
                p.code.iter().any(|(_, t)| t.contains(url)),
                "{name}: #{n} ({url}) not shown"
            );
        }
        let version = format!("gcdoctor {} · ", env!("CARGO_PKG_VERSION"));
        let footer = p.texts.iter().find(|t| t.starts_with(&version));
        assert!(
            footer.is_some_and(|f| f.contains(" request") && f.contains("exit ")),
            "{name}: no footer"
        );
        let (_, cmd) = p.code.last().expect("reproduce block");
        assert!(
            cmd.starts_with("gcdoctor diagnose --client-id ")
                || cmd.starts_with(&format!("gcdoctor demo --scenario {name}")),
            "{name}: {cmd}"
        );
    }
}

#[test]
fn verbose_shows_every_exchange() {
    let md = stdout(&demo("wrong-region", "markdown", &["--verbose"]));
    let p = parse(&md);
    assert_eq!(p.code.iter().filter(|(i, _)| i == "http").count(), 2 * 18);
    assert!(p.headings.iter().any(|(_, h)| h == "Requests and answers"));
}

#[test]
fn inconclusive_and_lint_headings() {
    let md = body(&inconclusive("markdown", &[]));
    let p = parse(&md);
    assert_eq!(p.headings[0].1, "gcdoctor: inconclusive");
    assert!(
        p.texts[0].starts_with("Not pinned down: "),
        "{:?}",
        p.texts[0]
    );
    assert!(p.texts.iter().any(|t| t == "To settle it:"));

    let p = parse(&markdown(&lint_report(), false));
    assert_eq!(p.headings[0].1, "gcdoctor lint: GC301 json-body");
    assert!(p.texts[0].starts_with("Cause (line 4): the body is JSON"));
    assert!(
        p.code
            .iter()
            .any(|(i, t)| i == "sh" && t.starts_with("curl -sS"))
    );
    let p = parse(&markdown(&lint_clean_report(), false));
    assert_eq!(p.headings[0].1, "gcdoctor lint: clean");
}

#[test]
fn requests_answers_and_the_checks_table_fold_and_brief_is_short() {
    let out = demo("wrong-region", "markdown", &["--verbose"]);
    let md = stdout(&out);
    let p = parse(&md);
    assert!(p.html.is_empty(), "{:?}", p.html);
    let opened = p
        .folds
        .iter()
        .filter(|f| f.starts_with("<details>"))
        .count();
    let closed = p
        .folds
        .iter()
        .filter(|f| f.trim_end() == "</details>")
        .count();
    assert_eq!((opened, closed), (2, 2), "{:?}", p.folds);
    // The table and every exchange sit inside the folds; the cause and fix do not.
    let first_fold = md.find("<details>").unwrap();
    assert!(md[..first_fold].contains("**Fix:**"));
    let table = md.find("| Result | Check |").unwrap();
    let http = md.find("```http").unwrap();
    assert!(table > first_fold && http > first_fold);
    let brief = stdout(&demo("wrong-region", "markdown", &["--brief"]));
    assert!(brief.lines().count() * 3 < md.lines().count(), "{brief}");
    assert!(brief.contains("## gcdoctor: GC103 wrong-region"));
    assert!(brief.contains("**Fix:**") && brief.contains("**Evidence:**"));
    assert!(!brief.contains("### Checks") && !brief.contains("```http"));
    let text = stdout(&demo("wrong-region", "text", &["--brief"]));
    assert!(text.contains("\nFix\n") && !text.contains("\nChecks") && !text.contains("\nInputs"));
}
