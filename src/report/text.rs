//! `--format text`: the terminal report, written for someone whose token request fails and
//! who wants to know why before anything else.
//!
//! # Layout
//!
//! 1. One headline: the cause in a line (`✗ GC103 wrong-region: the client lives in …`).
//! 2. The evidence, each line as the engine wrote it (`#n` names the exchange it comes
//!    from), and the first of those exchanges as it went over the wire, redacted.
//! 3. The fix, and a copyable example where the finding has one. Copyable blocks are printed
//!    flush left between blank lines, so a triple-click or a mouse drag copies them as they
//!    must be pasted (a Python snippet indented by the report would not run).
//! 4. Other findings, the checks (`✓`/`✗`/`–`, or `ok`/`FAIL`/`skip` without Unicode), every
//!    exchange with `--verbose`, the inputs and where each came from, notes.
//! 5. A last line that sums the run up (checks, requests, round trips, time, exit code) and
//!    a pointer to `gcdoctor explain`.
//!
//! Prose is wrapped at [`WIDTH`] columns; words longer than a line (URLs, masked values) are
//! never broken, so they stay copyable. Control characters in strings that came from the
//! network are shown escaped, so a hostile answer cannot drive the terminal. Colours come
//! from `colored` and only when [`RenderOptions::color`] says so.

use super::{
    Check, CheckStatus, Exchange, InputSource, RenderOptions, Report, ReportKind, Verdict,
    human_ms, reason,
};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use colored::Colorize;

/// The width the report is laid out for.
pub const WIDTH: usize = 100;

/// The widest check id that gets the id column; longer ones get a line of their own.
const MAX_ID: usize = 24;

/// Renders the report as terminal text.
pub fn render(r: &Report, opts: RenderOptions) -> String {
    let p = Paint(opts);
    let mut sections: Vec<String> = Vec::new();
    if let Some(n) = r.run.seam_notice() {
        sections.push(p.yellow(&wrap(&format!("! {n}"), WIDTH, "", "  ")));
    }
    sections.push(headline(r, p));
    if let Some(lead) = r.lead() {
        sections.extend(evidence(r, lead, p));
        sections.extend(next_steps(r, lead, p));
    } else if !r.settle.is_empty() {
        sections.push(settle(r, "To settle it", p));
    }
    if opts.brief {
        // The short report: other findings in a line each, the corrected request, the footer.
        let rest: Vec<String> = r
            .rest()
            .iter()
            .map(|f| {
                let t = format!(
                    "{} {}: {}",
                    f.severity.as_str(),
                    finding_label(f),
                    clean(&f.summary)
                );
                wrap(&t, WIDTH, "  ", "    ")
            })
            .collect();
        if !rest.is_empty() {
            sections.push(format!("{}\n{}", p.heading("Also found"), rest.join("\n")));
        }
        sections.extend(suggestion(r, p));
        sections.push(footer(r, p));
        return sections.join("\n\n") + "\n";
    }
    sections.extend(other_findings(r, p));
    sections.extend(suggestion(r, p));
    sections.extend(checks(r, p));
    if opts.verbose {
        sections.extend(exchanges(r, p));
    }
    sections.extend(inputs(r, p));
    sections.extend(notes(r, p));
    sections.push(footer(r, p));
    let mut out = sections.join("\n\n");
    out.push('\n');
    out
}

/// Colours and marks, or none.
#[derive(Clone, Copy)]
struct Paint(RenderOptions);

impl Paint {
    fn paint(self, s: &str, f: fn(&str) -> colored::ColoredString) -> String {
        if self.0.color {
            f(s).to_string()
        } else {
            s.to_string()
        }
    }
    fn red(self, s: &str) -> String {
        self.paint(s, |s| s.red().bold())
    }
    fn green(self, s: &str) -> String {
        self.paint(s, |s| s.green().bold())
    }
    fn yellow(self, s: &str) -> String {
        self.paint(s, |s| s.yellow().bold())
    }
    fn bold(self, s: &str) -> String {
        self.paint(s, |s| s.bold())
    }
    fn dim(self, s: &str) -> String {
        self.paint(s, |s| s.dimmed())
    }
    fn code(self, s: &str) -> String {
        self.paint(s, |s| s.cyan())
    }

    /// A section heading.
    fn heading(self, s: &str) -> String {
        self.bold(s)
    }

    /// The mark of a check status: `✓ ✗ –`, or `ok FAIL skip` without Unicode.
    fn mark(self, s: CheckStatus) -> &'static str {
        s.mark(self.0.unicode)
    }

    /// The mark of a check status, coloured and padded to `width` columns.
    fn status(self, s: CheckStatus, width: usize) -> String {
        let mark = format!("{:<width$}", self.mark(s));
        match s {
            CheckStatus::Pass => self.green(&mark),
            CheckStatus::Fail => self.red(&mark),
            CheckStatus::Skip => self.dim(&mark),
        }
    }

    /// The width of a check mark.
    fn mark_width(self) -> usize {
        if self.0.unicode { 1 } else { 4 }
    }

    /// The mark of the whole run, plain.
    fn verdict_mark(self, v: Verdict) -> &'static str {
        match v {
            Verdict::Healthy | Verdict::Clean => self.mark(CheckStatus::Pass),
            Verdict::CauseFound | Verdict::Defects => self.mark(CheckStatus::Fail),
            Verdict::Inconclusive => "?",
        }
    }

    /// The mark of the whole run, coloured.
    fn verdict(self, v: Verdict) -> String {
        let mark = self.verdict_mark(v);
        match v {
            Verdict::Healthy | Verdict::Clean => self.green(mark),
            Verdict::CauseFound | Verdict::Defects => self.red(mark),
            Verdict::Inconclusive => self.yellow(mark),
        }
    }

    fn severity(self, s: Severity) -> String {
        match s {
            Severity::Error => self.red("error"),
            Severity::Warning => self.yellow("warning"),
            Severity::Info => self.dim("info"),
        }
    }
}

/// The cause in one line: mark, id, name, line, summary.
fn headline(r: &Report, p: Paint) -> String {
    let mark = p.verdict(r.verdict);
    let Some(lead) = r.lead() else {
        let what = match (r.kind, r.verdict) {
            (ReportKind::Lint, Verdict::Clean) => r.clean_headline(),
            _ => r.title(),
        };
        return format!("{mark} {}", clean(&what));
    };
    let label = finding_label(lead);
    let text = format!("{label}: {}", clean(&lead.summary));
    let wrapped = wrap(
        &text,
        WIDTH - p.verdict_mark(r.verdict).chars().count() - 1,
        "",
        "  ",
    );
    // Bold the id and name; the rest of the line stays plain.
    let mut out = match wrapped.strip_prefix(&label) {
        Some(tail) => format!("{mark} {}{tail}", p.bold(&label)),
        None => format!("{mark} {wrapped}"),
    };
    if r.kind == ReportKind::Lint
        && let Some(t) = &r.target
    {
        out.push_str(&format!("\n  in {}", clean(t)));
    }
    out
}

/// `GC103 wrong-region` or `GC301 json-body (line 4)`.
fn finding_label(f: &Finding) -> String {
    let line = f.line.map(|l| format!(" (line {l})")).unwrap_or_default();
    format!("{} {}{line}", f.cause.code(), f.cause.name())
}

/// The evidence lines of the lead finding and the first exchange they refer to.
fn evidence(r: &Report, lead: &Finding, p: Paint) -> Option<String> {
    let mut lines: Vec<String> = lead
        .distinct_evidence()
        .iter()
        .map(|e| wrap(&clean(e), WIDTH, "  ", "      "))
        .collect();
    let first = lead.exchange_refs().into_iter().min();
    if let Some(e) = first.and_then(|n| r.exchange(n)).filter(|_| !p.0.brief) {
        lines.push(String::new());
        lines.push(format!("  Request #{} as sent, and the answer:", e.n));
        lines.push(exchange_lines(e, "    ", p));
    }
    if lines.is_empty() {
        return None;
    }
    Some(format!("{}\n{}", p.heading("Evidence"), lines.join("\n")))
}

/// The fix (with its example) or, when the run could not decide, what would settle it.
fn next_steps(r: &Report, lead: &Finding, p: Paint) -> Vec<String> {
    let mut out = Vec::new();
    let generic = lead.cause == CauseId::Inconclusive && !r.settle.is_empty();
    if lead.cause != CauseId::Healthy && !generic {
        let mut s = format!(
            "{}\n{}",
            p.heading("Fix"),
            wrap(&clean(&lead.fix), WIDTH, "  ", "  ")
        );
        if let Some(ex) = &lead.example {
            s.push_str(&format!(
                "\n\n  Example (copy as is):\n\n{}",
                p.code(&clean_block(ex))
            ));
        }
        out.push(s);
    }
    if !r.settle.is_empty() {
        let title = if r.verdict == Verdict::Inconclusive {
            "To settle it"
        } else {
            "Next"
        };
        out.push(settle(r, title, p));
    }
    out
}

fn settle(r: &Report, title: &str, p: Paint) -> String {
    let items: Vec<String> = r
        .settle
        .iter()
        .map(|s| wrap(&clean(s), WIDTH, "  - ", "    "))
        .collect();
    format!("{}\n{}", p.heading(title), items.join("\n"))
}

/// Every finding but the lead: severity, id, summary, evidence, fix, example.
fn other_findings(r: &Report, p: Paint) -> Option<String> {
    let rest = r.rest();
    if rest.is_empty() {
        return None;
    }
    let title = if r.lead().is_some() {
        "Also found"
    } else {
        "Findings"
    };
    let items: Vec<String> = rest.into_iter().map(|f| finding_item(f, p)).collect();
    // A blank line between findings once they have evidence or a fix under them.
    let sep = if items.iter().any(|i| i.contains('\n')) {
        "\n\n"
    } else {
        "\n"
    };
    Some(format!("{}\n{}", p.heading(title), items.join(sep)))
}

fn finding_item(f: &Finding, p: Paint) -> String {
    let sev = f.severity.as_str();
    let text = format!("{sev} {}: {}", finding_label(f), clean(&f.summary));
    let wrapped = wrap(&text, WIDTH, "  ", "    ");
    // Colour the severity word, which is the first word after the indent.
    let mut lines = vec![wrapped.replacen(sev, &p.severity(f.severity), 1)];
    for e in &f.distinct_evidence() {
        lines.push(wrap(&clean(e), WIDTH, "    · ", "      "));
    }
    if f.severity != Severity::Info {
        lines.push(wrap(
            &clean(&format!("fix: {}", f.fix)),
            WIDTH,
            "    ",
            "      ",
        ));
    }
    if let Some(ex) = &f.example {
        lines.push(format!("\n{}\n", p.code(&clean_block(ex))));
    }
    lines.join("\n")
}

/// A corrected request from `lint`.
fn suggestion(r: &Report, p: Paint) -> Option<String> {
    let s = r.suggestion.as_ref()?;
    Some(format!(
        "{}\n\n{}",
        p.heading(&format!("Corrected request ({})", clean(&s.language))),
        p.code(&clean_block(&s.text))
    ))
}

/// The checks table: mark, id, title, then the summary under the title.
fn checks(r: &Report, p: Paint) -> Option<String> {
    if r.checks.is_empty() {
        return None;
    }
    // The id column fits the ids, up to a limit; a longer id gets a line of its own.
    let w = r
        .checks
        .iter()
        .map(|c| clean(&c.id).chars().count())
        .filter(|n| *n <= MAX_ID)
        .max()
        .unwrap_or(0)
        + 2;
    let (pass, fail, skip) = r.check_counts();
    let mut counts = vec![format!("{pass} passed"), format!("{fail} failed")];
    if skip > 0 {
        counts.push(format!("{skip} skipped"));
    }
    let mut lines = vec![format!(
        "{}  {}",
        p.heading("Checks"),
        p.dim(&counts.join(", "))
    )];
    // Lint's passing rules say nothing more than their names: one line for all of them.
    let compact = r.kind == ReportKind::Lint;
    for c in &r.checks {
        if !(compact && c.status == CheckStatus::Pass) {
            lines.push(check_row(c, w, p));
        }
    }
    let passed: Vec<String> = r
        .checks
        .iter()
        .filter(|c| compact && c.status == CheckStatus::Pass)
        .map(|c| clean(&c.id))
        .collect();
    if !passed.is_empty() {
        let mark = p.status(CheckStatus::Pass, p.mark_width());
        let indent = " ".repeat(2 + p.mark_width() + 1);
        let text = wrap(&passed.join(", "), WIDTH, &indent, &indent);
        lines.push(format!("  {mark} {}", &text[indent.len()..]));
    }
    Some(lines.join("\n"))
}

fn check_row(c: &Check, w: usize, p: Paint) -> String {
    let mark_w = p.mark_width();
    let indent = " ".repeat(2 + mark_w + 1 + w);
    let mut title = clean(&c.title);
    if c.requests > 0 {
        let s = if c.requests == 1 { "" } else { "s" };
        title.push_str(&format!(" · {} request{s}", c.requests));
    }
    if p.0.verbose && c.status != CheckStatus::Skip {
        title.push_str(&format!(" · {}", human_ms(c.elapsed_ms)));
    }
    if let Some(cause) = c.cause {
        title.push_str(&format!(" → {}", cause.code()));
    }
    let id = clean(&c.id);
    let mark = p.status(c.status, mark_w);
    let head = wrap(&title, WIDTH, &indent, &indent);
    let summary = wrap(&clean(&c.summary), WIDTH, &indent, &indent);
    if id.chars().count() + 2 > w {
        let id = wrap(&id, WIDTH - (2 + mark_w + 1), "", &indent);
        return format!("  {mark} {id}\n{head}\n{summary}");
    }
    let head = head.get(indent.len()..).unwrap_or_default();
    format!("  {mark} {id:<w$}{head}\n{summary}")
}

/// Every exchange, `curl -v` style (`--verbose`).
fn exchanges(r: &Report, p: Paint) -> Option<String> {
    if r.exchanges.is_empty() {
        return None;
    }
    let items: Vec<String> = r
        .exchanges
        .iter()
        .map(|e| {
            let title = wrap(
                &format!("#{} {}", e.n, clean(&e.purpose)),
                WIDTH,
                "  ",
                "    ",
            );
            format!("{}\n{}", p.bold(&title), exchange_lines(e, "    ", p))
        })
        .collect();
    Some(format!(
        "{}\n{}",
        p.heading("Exchanges"),
        items.join("\n\n")
    ))
}

/// One exchange: `> ` lines for the request, `< ` lines for the answer.
fn exchange_lines(e: &Exchange, indent: &str, p: Paint) -> String {
    let out_p = format!("{indent}> ");
    let in_p = format!("{indent}< ");
    let rq = &e.request;
    let mut lines = vec![wrap(
        &format!("{} {}", clean(&rq.method), clean(&rq.url)),
        WIDTH,
        &out_p,
        &out_p,
    )];
    lines.extend(header_lines(&rq.headers, &out_p));
    if !rq.body.is_empty() {
        lines.push(out_p.trim_end().to_string());
        lines.extend(body_lines(&rq.body, &out_p));
    }
    match (&e.response, &e.error) {
        (Some(resp), _) => {
            let status = format!("{} {}", resp.status, reason(resp.status));
            let status = match resp.status {
                200..=299 => p.green(status.trim_end()),
                _ => p.red(status.trim_end()),
            };
            lines.push(format!(
                "{in_p}{status} {}",
                p.dim(&format!("({})", human_ms(e.elapsed_ms)))
            ));
            lines.extend(header_lines(&resp.headers, &in_p));
            if !resp.body.is_empty() {
                lines.push(in_p.trim_end().to_string());
                lines.extend(body_lines(&resp.body, &in_p));
            }
            if resp.truncated {
                lines.push(format!("{in_p}{}", p.dim("(truncated)")));
            }
        }
        (None, Some(err)) => lines.push(wrap(
            &format!("no answer: {}", clean(err)),
            WIDTH,
            &in_p,
            &in_p,
        )),
        (None, None) => lines.push(format!("{in_p}no answer")),
    }
    lines.join("\n")
}

fn header_lines(headers: &[(String, String)], prefix: &str) -> Vec<String> {
    let cont = format!("{prefix}    ");
    headers
        .iter()
        .map(|(k, v)| wrap_raw(&format!("{}: {}", clean(k), clean(v)), WIDTH, prefix, &cont))
        .collect()
}

fn body_lines(body: &str, prefix: &str) -> Vec<String> {
    pretty_body(body)
        .lines()
        .map(|l| {
            let l = clean(l);
            let lead = l.len() - l.trim_start().len();
            let cont = format!("{prefix}{}  ", &l[..lead]);
            wrap_raw(&l, WIDTH, prefix, &cont)
        })
        .collect()
}

/// A JSON body pretty-printed, anything else as it is. Bodies with `\u` or `\/` escapes are
/// left alone: re-serialising would decode them, and decoded text was not what the
/// redactor saw.
pub(crate) fn pretty_body(body: &str) -> String {
    let t = body.trim();
    if !(t.starts_with('{') || t.starts_with('[')) || t.contains("\\u") || t.contains("\\/") {
        return body.to_string();
    }
    match serde_json::from_str::<serde_json::Value>(t) {
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_else(|_| body.to_string()),
        Err(_) => body.to_string(),
    }
}

/// Where each input came from.
fn inputs(r: &Report, p: Paint) -> Option<String> {
    if r.inputs.is_empty() {
        return None;
    }
    let width = |f: fn(&InputSource) -> &str| {
        r.inputs
            .iter()
            .map(|i| clean(f(i)).chars().count())
            .max()
            .unwrap_or(0)
    };
    let names = width(|i| &i.name);
    let name_w = names.min(MAX_ID) + 2;
    let value_w = width(|i| &i.value) + 2;
    // Sources line up in a column when every row fits; otherwise each goes under its value.
    let aligned = names <= MAX_ID && 2 + name_w + value_w + 5 + width(|i| &i.source) <= WIDTH;
    let rows: Vec<String> = r
        .inputs
        .iter()
        .map(|i| input_row(i, name_w, aligned.then_some(value_w), p))
        .collect();
    Some(format!("{}\n{}", p.heading("Inputs"), rows.join("\n")))
}

fn input_row(i: &InputSource, name_w: usize, value_w: Option<usize>, p: Paint) -> String {
    let name = clean(&i.name);
    let value = clean(&i.value);
    let from = format!("from {}", clean(&i.source));
    if let Some(w) = value_w {
        return format!("  {name:<name_w$}{value:<w$}{}", p.dim(&from));
    }
    let indent = " ".repeat(2 + name_w);
    let value = wrap(&value, WIDTH, &indent, &indent);
    let from = p.dim(&wrap(&from, WIDTH, &indent, &indent));
    if name.chars().count() + 2 > name_w {
        let name = wrap(&name, WIDTH, "  ", "  ");
        return format!("{name}\n{value}\n{from}");
    }
    let value = value.get(indent.len()..).unwrap_or_default();
    format!("  {name:<name_w$}{value}\n{from}")
}

fn notes(r: &Report, p: Paint) -> Option<String> {
    if r.notes.is_empty() {
        return None;
    }
    let items: Vec<String> = r
        .notes
        .iter()
        .map(|n| wrap(&clean(n), WIDTH, "  - ", "    "))
        .collect();
    Some(format!("{}\n{}", p.heading("Notes"), items.join("\n")))
}

/// The last line: checks, requests, round trips, time, exit code; then `explain`.
fn footer(r: &Report, p: Paint) -> String {
    let mut parts = Vec::new();
    if r.kind == ReportKind::Lint {
        let (e, w, i) = r.severity_counts();
        let n = e + w + i;
        let mut kinds = Vec::new();
        for (k, word) in [(e, "error"), (w, "warning"), (i, "info")] {
            if k > 0 {
                kinds.push(format!(
                    "{k} {word}{}",
                    if k == 1 || word == "info" { "" } else { "s" }
                ));
            }
        }
        let s = if n == 1 { "" } else { "s" };
        parts.push(if kinds.is_empty() {
            format!("{n} finding{s}")
        } else {
            format!("{n} finding{s} ({})", kinds.join(", "))
        });
        if r.requests_sent == 0 {
            parts.push("nothing sent".into());
        }
    } else {
        let (pass, fail, skip) = r.check_counts();
        let mut checks = format!("{pass}/{} checks passed", pass + fail);
        if skip > 0 {
            checks.push_str(&format!(" ({skip} skipped)"));
        }
        parts.push(checks);
        let s = if r.requests_sent == 1 { "" } else { "s" };
        parts.push(format!("{} request{s}", r.requests_sent));
        let s = if r.round_trips == 1 { "" } else { "s" };
        parts.push(format!("{} round trip{s}", r.round_trips));
        parts.push(human_ms(r.elapsed_ms));
    }
    parts.push(format!("exit {} ({})", r.exit_code(), r.meaning()));
    let mut out = p.dim(&parts.join(" · "));
    out.push('\n');
    out.push_str(&p.dim(&run_line(r)));
    if let Some(l) = r.lead().filter(|l| l.cause != CauseId::Healthy) {
        out.push_str(&format!(
            "\nMore about this cause: {}",
            p.code(&format!("gcdoctor explain {}", l.cause.code()))
        ));
    }
    out
}

/// `gcdoctor 0.1.0 · started 2026-12-05T07:06:51Z · Genesys Cloud` (or the seam's address).
pub(crate) fn run_line(r: &Report) -> String {
    let mut line = format!(
        "gcdoctor {} · started {}",
        clean(&r.run.version),
        clean(&r.run.started_at)
    );
    match (&r.run.connect_to, r.kind) {
        (Some(a), _) => line.push_str(&format!(" · test seam {}", clean(a))),
        (None, ReportKind::Diagnose) => line.push_str(" · Genesys Cloud"),
        (None, ReportKind::Lint) => {}
    }
    line
}

/// Control characters shown escaped (`\u{1b}`), so network text cannot drive the terminal;
/// newlines and tabs become spaces (prose is re-wrapped anyway).
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => " ".to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Like [`clean`], but keeps line breaks (copyable blocks).
fn clean_block(s: &str) -> String {
    s.lines().map(clean).collect::<Vec<_>>().join("\n")
}

/// Wraps `text` at `width` columns on spaces: the first line starts with `first`, the others
/// with `rest`. A word longer than a line is kept whole.
pub(crate) fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = line.chars().count();
        if !empty && len + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines.join("\n")
}

/// Like [`wrap`], but keeps every space of the line (indentation, runs of spaces): for
/// headers and bodies, whose spacing is part of what was sent.
pub(crate) fn wrap_raw(line: &str, width: usize, first: &str, rest: &str) -> String {
    if first.chars().count() + line.chars().count() <= width {
        return format!("{first}{line}");
    }
    let mut lines: Vec<String> = Vec::new();
    let mut cur = first.to_string();
    let mut base = first.chars().count();
    for (i, word) in line.split(' ').enumerate() {
        let piece = if i == 0 {
            word.to_string()
        } else {
            format!(" {word}")
        };
        let len = cur.chars().count();
        if len > base && !word.is_empty() && len + piece.chars().count() > width {
            lines.push(std::mem::replace(&mut cur, rest.to_string()));
            base = rest.chars().count();
            cur.push_str(word);
        } else {
            cur.push_str(&piece);
        }
    }
    lines.push(cur);
    lines.join("\n")
}
