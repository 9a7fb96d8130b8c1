//! `--format markdown`: a self-contained report to paste into a forum post or a support
//! ticket, redacted like every other format.
//!
//! Order: a heading that names the outcome (`## gcdoctor: GC103 wrong-region`), the cause
//! and the fix (with its example), the evidence, the checks as a table, the key exchanges in
//! fenced blocks (every exchange with `--verbose`), other findings, the inputs, and a footer
//! with the version and the command that reproduces the run.
//!
//! # Untrusted text
//!
//! Every string of the model may hold anything a server, a proxy or a user's file put there,
//! so nothing is interpolated raw:
//!
//! * inline text ([`inline`]) has the characters that mean something to GitHub-flavoured
//!   markdown backslash-escaped (`\ ` * _ [ ] < > | # & ~`, and `- + =` or `1.` at the start),
//!   and line breaks turned into spaces, so a summary can neither open a block, a link, an
//!   HTML tag or an entity, nor break a table row;
//! * code ([`code_block`]) is fenced with more backticks than the longest run inside, so no
//!   content can close the fence; line endings are normalised and control characters shown
//!   escaped. The info string comes from a fixed list.
//!
//! The tests parse the output with pulldown-cmark and check that tables keep their shape, code
//! blocks hold exactly their text, and no raw HTML gets through.

use super::{
    Check, CheckStatus, Exchange, RenderOptions, Report, ReportKind, Verdict, human_ms, reason,
};
use crate::catalogue::CauseId;
use crate::finding::Finding;

/// Renders the report as GitHub-flavoured markdown.
pub fn render(r: &Report, opts: RenderOptions) -> String {
    let mut blocks: Vec<String> = Vec::new();
    if let Some(n) = r.run.seam_notice() {
        let (head, rest) = n.split_once(": ").unwrap_or(("TEST SEAM", &n));
        blocks.push(format!("> ⚠️ **{}:** {}", inline(head), inline(rest)));
    }
    blocks.push(heading(r));
    match r.lead() {
        Some(lead) => blocks.extend(lead_blocks(r, lead)),
        None => blocks.push(no_lead(r)),
    }
    if !r.settle.is_empty() {
        let title = if r.verdict == Verdict::Inconclusive {
            "To settle it"
        } else {
            "Next"
        };
        blocks.push(format!("**{title}:**"));
        blocks.push(bullets(&r.settle));
    }
    blocks.extend(suggestion(r));
    if opts.brief {
        // The short report: other findings in a line each, then the footer.
        let rest: Vec<String> = r
            .rest()
            .iter()
            .map(|f| {
                format!(
                    "{} {} {}: {}",
                    f.severity.as_str(),
                    f.cause.code(),
                    f.cause.name(),
                    f.summary
                )
            })
            .collect();
        if !rest.is_empty() {
            blocks.push("**Also found:**".into());
            blocks.push(bullets(&rest));
        }
        blocks.extend(footer(r));
        let mut out = blocks.join("\n\n");
        out.push('\n');
        return out;
    }
    blocks.extend(checks(r, opts));
    blocks.extend(exchanges(r, opts));
    blocks.extend(other_findings(r));
    blocks.extend(inputs(r));
    if !r.notes.is_empty() {
        blocks.push("### Notes".into());
        blocks.push(bullets(&r.notes));
    }
    blocks.extend(footer(r));
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// `## gcdoctor: GC103 wrong-region`, `## gcdoctor lint: clean`, …
fn heading(r: &Report) -> String {
    let who = match r.kind {
        ReportKind::Diagnose => "gcdoctor",
        ReportKind::Lint => "gcdoctor lint",
    };
    format!("## {who}: {}", inline(&r.title()))
}

/// The lead finding: summary, fix with example, evidence.
fn lead_blocks(r: &Report, lead: &Finding) -> Vec<String> {
    let label = match (r.verdict, lead.cause) {
        (Verdict::Healthy, _) | (_, CauseId::Healthy) => "Result",
        (Verdict::Inconclusive, _) => "Not pinned down",
        _ => "Cause",
    };
    let mut out = vec![format!(
        "**{label}{}:** {}",
        line_note(lead),
        inline(&lead.summary)
    )];
    let settles = lead.cause == CauseId::Inconclusive && !r.settle.is_empty();
    if lead.cause != CauseId::Healthy && !settles {
        out.push(format!("**Fix:** {}", inline(&lead.fix)));
        if let Some(ex) = &lead.example {
            out.push(code_block("", ex));
        }
    }
    if !lead.evidence.is_empty() {
        out.push("**Evidence:**".into());
        out.push(bullets(&lead.distinct_evidence()));
    }
    out
}

/// ` (line 4)` for lint findings.
fn line_note(f: &Finding) -> String {
    f.line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

fn no_lead(r: &Report) -> String {
    match (&r.target, r.verdict) {
        (_, Verdict::Clean) => format!("**Result:** {}", inline(&r.clean_headline())),
        _ => format!("**Result:** {}", inline(r.verdict.meaning())),
    }
}

fn suggestion(r: &Report) -> Vec<String> {
    let Some(s) = &r.suggestion else {
        return Vec::new();
    };
    vec![
        format!("**Corrected request** ({}):", inline(&s.language)),
        code_block(&s.language, &s.text),
    ]
}

/// The checks table.
fn checks(r: &Report, opts: RenderOptions) -> Vec<String> {
    if r.checks.is_empty() {
        return Vec::new();
    }
    let (pass, fail, skip) = r.check_counts();
    let mut rows = vec![
        "| Result | Check | What it found |".to_string(),
        "|---|---|---|".to_string(),
    ];
    // Lint's passing rules say nothing more than their names: one row for all of them.
    let compact = r.kind == ReportKind::Lint;
    let shown = |c: &&Check| !(compact && c.status == CheckStatus::Pass);
    rows.extend(r.checks.iter().filter(shown).map(|c| check_row(c, opts)));
    let passed: Vec<String> = r
        .checks
        .iter()
        .filter(|c| compact && c.status == CheckStatus::Pass)
        .map(|c| inline(&c.id))
        .collect();
    if !passed.is_empty() {
        let mark = if opts.unicode { "✅ pass" } else { "pass" };
        rows.push(format!("| {mark} | {} | ok |", passed.join(", ")));
    }
    vec![
        "### Checks".into(),
        fold(
            &format!("{pass} passed, {fail} failed, {skip} skipped"),
            &rows.join("\n"),
        ),
    ]
}

fn check_row(c: &Check, opts: RenderOptions) -> String {
    let mark = match (c.status, opts.unicode) {
        (CheckStatus::Pass, true) => "✅ pass",
        (CheckStatus::Fail, true) => "❌ fail",
        (CheckStatus::Skip, true) => "➖ skip",
        (CheckStatus::Pass, false) => "pass",
        (CheckStatus::Fail, false) => "**FAIL**",
        (CheckStatus::Skip, false) => "skip",
    };
    let mut found = inline(&c.summary);
    if let Some(cause) = c.cause {
        found.push_str(&format!(" → **{}**", cause.code()));
    }
    let mut what = format!("{} ({})", inline(&c.title), inline(&c.id));
    if c.requests > 0 {
        let s = if c.requests == 1 { "" } else { "s" };
        what.push_str(&format!(", {} request{s}", c.requests));
    }
    format!("| {mark} | {what} | {found} |")
}

/// The key exchanges, or all of them with `--verbose`.
fn exchanges(r: &Report, opts: RenderOptions) -> Vec<String> {
    let shown: Vec<&Exchange> = if opts.verbose {
        r.exchanges.iter().collect()
    } else {
        r.key_exchanges()
    };
    if shown.is_empty() {
        return Vec::new();
    }
    let title = if shown.len() == r.exchanges.len() {
        "### Requests and answers".to_string()
    } else {
        format!(
            "### Requests and answers ({} of {}; all with --verbose)",
            shown.len(),
            r.exchanges.len()
        )
    };
    let refs: Vec<String> = shown.iter().map(|e| format!("#{}", e.n)).collect();
    let summary = match refs.len() {
        1 => format!("request {} and its answer", refs[0]),
        _ => format!("requests {} and their answers", refs.join(", ")),
    };
    let body: Vec<String> = shown.into_iter().flat_map(exchange).collect();
    vec![title, fold(&summary, &body.join("\n\n"))]
}

/// A folded block: `<details>` with a plain summary (digits, letters, `#`, `,` only: it is
/// HTML, where markdown escapes do not apply), blank lines around the markdown inside so
/// GitHub and Discourse render it.
fn fold(summary: &str, body: &str) -> String {
    let summary: String = summary
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || " #,.()-".contains(*c))
        .collect();
    format!("<details><summary>{summary}</summary>\n\n{body}\n\n</details>")
}

fn exchange(e: &Exchange) -> Vec<String> {
    let rq = &e.request;
    let mut req = format!("{} {}\n", rq.method, rq.url);
    for (k, v) in &rq.headers {
        req.push_str(&format!("{k}: {v}\n"));
    }
    if !rq.body.is_empty() {
        req.push('\n');
        req.push_str(&rq.body);
    }
    let answer = match (&e.response, &e.error) {
        (Some(resp), _) => {
            let mut s = format!("HTTP/1.1 {} {}", resp.status, reason(resp.status))
                .trim_end()
                .to_string();
            s.push('\n');
            for (k, v) in &resp.headers {
                s.push_str(&format!("{k}: {v}\n"));
            }
            if !resp.body.is_empty() {
                s.push('\n');
                s.push_str(&super::text::pretty_body(&resp.body));
            }
            if resp.truncated {
                s.push_str("\n(truncated)");
            }
            code_block("http", &s)
        }
        (None, Some(err)) => code_block("text", &format!("no answer: {err}")),
        (None, None) => code_block("text", "no answer"),
    };
    vec![
        format!(
            "`#{}` {} ({})",
            e.n,
            inline(&e.purpose),
            human_ms(e.elapsed_ms)
        ),
        code_block("http", &req),
        answer,
    ]
}

/// Every finding but the lead, each a short paragraph with its evidence and fix.
fn other_findings(r: &Report) -> Vec<String> {
    let rest = r.rest();
    if rest.is_empty() {
        return Vec::new();
    }
    let title = if r.lead().is_some() {
        "### Other findings"
    } else {
        "### Findings"
    };
    let mut out = vec![title.to_string()];
    for f in rest {
        out.push(format!(
            "**{} {} {}{}:** {}",
            f.severity.as_str(),
            f.cause.code(),
            f.cause.name(),
            line_note(f),
            inline(&f.summary)
        ));
        let mut items = f.distinct_evidence();
        items.push(format!("Fix: {}", f.fix));
        out.push(bullets(&items));
        if let Some(ex) = &f.example {
            out.push(code_block("", ex));
        }
    }
    out
}

fn inputs(r: &Report) -> Vec<String> {
    if r.inputs.is_empty() {
        return Vec::new();
    }
    let mut rows = vec![
        "| Input | Value | From |".to_string(),
        "|---|---|---|".to_string(),
    ];
    for i in &r.inputs {
        rows.push(format!(
            "| {} | {} | {} |",
            inline(&i.name),
            inline(&i.value),
            inline(&i.source)
        ));
    }
    vec!["### Inputs".into(), rows.join("\n")]
}

/// Version, totals, the explain pointer and the command that reproduces the run.
fn footer(r: &Report) -> Vec<String> {
    let mut parts = vec![
        inline(&format!("gcdoctor {}", r.run.version)),
        format!("started {}", inline(&r.run.started_at)),
    ];
    if let Some(a) = &r.run.connect_to {
        parts.push(format!("test seam `{}`", a.replace('`', "")));
    }
    if r.kind == ReportKind::Diagnose {
        let (pass, fail, skip) = r.check_counts();
        parts.push(format!("{pass}/{} checks passed", pass + fail));
        if skip > 0 {
            parts.push(format!("{skip} skipped"));
        }
        parts.push(plural(r.requests_sent, "request"));
        parts.push(plural(r.round_trips, "round trip"));
        parts.push(human_ms(r.elapsed_ms));
    }
    parts.push(format!("exit {} ({})", r.exit_code(), r.meaning()));
    let mut line = parts.join(" · ");
    if let Some(l) = r.lead().filter(|l| l.cause != CauseId::Healthy) {
        line.push_str(&format!(" · more: `gcdoctor explain {}`", l.cause.code()));
    }
    vec![
        "---".into(),
        line,
        "Reproduce with:".into(),
        code_block("sh", &reproduce(r)),
    ]
}

/// The command that reproduces the run, asking for markdown again.
fn reproduce(r: &Report) -> String {
    let cmd = r.reproduce();
    if cmd.contains("--format") {
        cmd
    } else {
        format!("{cmd} --format markdown")
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A bullet list of inline texts.
fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("- {}", inline(s)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text made safe for a paragraph, a list item or a table cell.
///
/// Text between single backticks (the engine marks code that way: `` `grant_type` ``)
/// becomes a code span when it can be one safely (no `|`, no edge spaces), and `#n`
/// references become code spans so GitHub does not link them to issue n. Everything else
/// is escaped.
pub fn inline(s: &str) -> String {
    let flat: String = s
        .replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => " ".to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect();
    let mut out = String::with_capacity(flat.len() + 8);
    for (i, seg) in segments(flat.trim()).into_iter().enumerate() {
        match seg {
            Segment::Code(c) => out.push_str(&format!("`{c}`")),
            Segment::Text(t) if i == 0 => out.push_str(&escape_line_start(escape_text(&t))),
            Segment::Text(t) => out.push_str(&escape_text(&t)),
        }
    }
    out
}

/// A run of inline text: plain, or shown as a code span.
#[derive(Debug, PartialEq)]
enum Segment {
    Text(String),
    Code(String),
}

/// Splits text into plain runs and code runs (`` `x` `` pairs and `#n` references);
/// adjacent code runs are merged, since two code spans cannot touch.
fn segments(s: &str) -> Vec<Segment> {
    let c: Vec<char> = s.chars().collect();
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |seg: Segment| match (out.last_mut(), seg) {
        (Some(Segment::Text(a)), Segment::Text(b)) => a.push_str(&b),
        (Some(Segment::Code(a)), Segment::Code(b)) => a.push_str(&b),
        (_, seg) => out.push(seg),
    };
    let mut i = 0;
    while i < c.len() {
        let run = c[i..].iter().take_while(|&&x| x == c[i]).count();
        if c[i] == '`' {
            if let Some(len) = code_pair(&c[i..]).filter(|_| run == 1) {
                push(Segment::Code(c[i + 1..i + 1 + len].iter().collect()));
                i += len + 2;
            } else {
                push(Segment::Text(c[i..i + run].iter().collect()));
                i += run;
            }
            continue;
        }
        let digits = c[i + 1..].iter().take_while(|x| x.is_ascii_digit()).count();
        let boundary = i == 0 || !c[i - 1].is_alphanumeric();
        if c[i] == '#' && digits > 0 && boundary {
            push(Segment::Code(c[i..=i + digits].iter().collect()));
            i += 1 + digits;
            continue;
        }
        push(Segment::Text(c[i].to_string()));
        i += 1;
    }
    out
}

/// The length of the content of a `` `x` `` pair at the start of `c`, if it can be a code
/// span that shows exactly `x`: a single closing backtick, no `|` (it would split a table
/// cell), no space at either end (CommonMark strips one), not empty.
fn code_pair(c: &[char]) -> Option<usize> {
    let len = c.iter().skip(1).position(|&x| x == '`')?;
    let content = &c[1..1 + len];
    let single_close = c.get(len + 2) != Some(&'`');
    let ok = single_close
        && !content.is_empty()
        && !content.contains(&'|')
        && content.first() != Some(&' ')
        && content.last() != Some(&' ');
    ok.then_some(len)
}

/// Backslash-escapes what GitHub-flavoured markdown would act on in plain text.
fn escape_text(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let word = |j: Option<&char>| j.is_some_and(|x| x.is_alphanumeric());
        let needs = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '|' | '&' | '~' => true,
            // `_` only opens or closes emphasis at a word boundary (CommonMark §6.2).
            '_' => !(word(i.checked_sub(1).and_then(|j| chars.get(j))) && word(chars.get(i + 1))),
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what would open a block at the start of a line: a heading (`#`), a quote
/// (`>`), a list marker (`-`, `+`, `1.`, `1)`) or a setext underline (`=`).
fn escape_line_start(s: String) -> String {
    let body = s.trim_start_matches(' ');
    let lead = s.len() - body.len();
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    let at = if body.starts_with(['-', '+', '=', '>'])
        || body.starts_with("# ")
        || body == "#"
        || body.starts_with("##")
    {
        Some(lead)
    } else if digits > 0 && body[digits..].starts_with(['.', ')']) {
        Some(lead + digits)
    } else {
        None
    };
    match at {
        Some(i) => format!("{}\\{}", &s[..i], &s[i..]),
        None => s,
    }
}

/// A fenced code block holding exactly `content` (line endings normalised, control
/// characters escaped), fenced with more backticks than any run inside.
pub fn code_block(info: &str, content: &str) -> String {
    let text = code_text(content);
    let longest = longest_run(&text, '`');
    let fence = "`".repeat((longest + 1).max(3));
    let info = info_string(info);
    format!("{fence}{info}\n{text}\n{fence}")
}

/// The text a code block holds for `content`: what the tests expect back from a parser.
pub fn code_text(content: &str) -> String {
    let normalised = content.replace("\r\n", "\n").replace('\r', "\n");
    let escaped: String = normalised
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect();
    escaped.trim_end_matches('\n').to_string()
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        cur = if c == ch { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}

/// A known language tag, or none.
fn info_string(lang: &str) -> &'static str {
    match lang.trim().to_ascii_lowercase().as_str() {
        "http" => "http",
        "curl" | "sh" | "shell" | "bash" => "sh",
        "python" | "py" => "python",
        "javascript" | "js" | "node" => "javascript",
        "json" => "json",
        "text" => "text",
        _ => "",
    }
}
