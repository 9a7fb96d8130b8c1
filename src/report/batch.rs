//! The report of a batch (`diagnose --clients FILE`): one report per client, rendered as one
//! document in each format.
//!
//! # Plan
//!
//! * Each client is a [`BatchClient`]: its label (the file's `label:` or the client id), its
//!   id, where it was written (`clients.txt:3`) and either its [`Report`] or, for a line that
//!   could not be run (a typo in the region, a secret variable not set), the error.
//! * Exit code: 1 if any cause was found; else 2 if any line could not be run; else 3 if any
//!   run was inconclusive; else 0. A broken line must not pass as healthy, and a found
//!   cause is the most important news.
//! * JSON: schema `gcdoctor.batch/v1`, `clients` holding one `gcdoctor.report/v1` object per
//!   client, or a `gcdoctor.error/v1` object for a line that could not be run, each with
//!   `label` and `at` added.
//! * JUnit: one suite per client named after its label; an errored line is a suite with one
//!   `<error>`.
//! * Text and markdown: a table of the clients, then the report of each client that is not
//!   healthy under a heading one level below the batch's; the client report's own headings
//!   are pushed down to stay below it (`##` batch, `###` client, `####` its sections).

use super::{Format, RenderOptions, Report, RunInfo, Verdict, error, json, junit, render};
use crate::finding::plural;
use crate::secret::Redactor;
use std::collections::BTreeMap;

/// What became of one client of the batch.
#[derive(Clone, Debug)]
pub enum Outcome {
    Report(Box<Report>),
    /// The line could not be run: the reason, as a usage error would say it.
    Error(String),
}

/// One client of the batch.
#[derive(Clone, Debug)]
pub struct BatchClient {
    /// The name shown for it: its `label:`, else the client id.
    pub label: String,
    pub id: String,
    /// Where it is written, e.g. `clients.txt:3`.
    pub at: String,
    pub outcome: Outcome,
}

/// A finished batch.
#[derive(Clone, Debug)]
pub struct Batch {
    pub clients: Vec<BatchClient>,
    pub elapsed_ms: u64,
    pub max_in_flight: BTreeMap<String, usize>,
    pub run: RunInfo,
}

impl Batch {
    fn reports(&self) -> impl Iterator<Item = &Report> {
        self.clients.iter().filter_map(|c| match &c.outcome {
            Outcome::Report(r) => Some(&**r),
            Outcome::Error(_) => None,
        })
    }

    fn count(&self, v: Verdict) -> usize {
        self.reports().filter(|r| r.verdict == v).count()
    }

    fn errors(&self) -> usize {
        self.clients.len() - self.reports().count()
    }

    pub fn exit_code(&self) -> u8 {
        if self.count(Verdict::CauseFound) > 0 {
            1
        } else if self.errors() > 0 {
            2
        } else if self.count(Verdict::Inconclusive) > 0 {
            3
        } else {
            0
        }
    }

    pub fn verdict(&self) -> &'static str {
        match self.exit_code() {
            0 => "healthy",
            1 => "cause-found",
            2 => "error",
            _ => "inconclusive",
        }
    }

    pub fn requests_sent(&self) -> usize {
        self.reports().map(|r| r.requests_sent).sum()
    }

    /// The batch in one line, for the CI log.
    pub fn verdict_line(&self) -> String {
        let mut parts = vec![
            format!("{} healthy", self.count(Verdict::Healthy)),
            format!("{} cause found", self.count(Verdict::CauseFound)),
            format!("{} inconclusive", self.count(Verdict::Inconclusive)),
        ];
        if self.errors() > 0 {
            parts.push(format!("{} could not run", self.errors()));
        }
        format!(
            "batch of {}: {} (exit {}, {})",
            plural(self.clients.len(), "client", "clients"),
            parts.join(", "),
            self.exit_code(),
            self.verdict()
        )
    }

    /// The batch in `format`.
    pub fn render(&self, format: Format, opts: RenderOptions) -> String {
        match format {
            Format::Json => self.json(),
            Format::Junit => self.junit(),
            Format::Text | Format::Markdown => self.document(format, opts),
        }
    }

    fn json(&self) -> String {
        // Fields in a fixed order, `schema` first, as in single reports.
        #[derive(serde::Serialize)]
        struct View<'a> {
            schema: &'static str,
            verdict: &'static str,
            exit_code: u8,
            requests_sent: usize,
            max_in_flight_per_host: &'a BTreeMap<String, usize>,
            elapsed_ms: u64,
            run: &'a RunInfo,
            clients: Vec<serde_json::Value>,
        }
        let clients = self
            .clients
            .iter()
            .map(|c| {
                let mut v = match &c.outcome {
                    Outcome::Report(r) => json::to_value(r),
                    Outcome::Error(e) => error::json_value("diagnose", e, &self.run),
                };
                if let Some(m) = v.as_object_mut() {
                    m.insert("label".into(), c.label.clone().into());
                    m.insert("at".into(), c.at.clone().into());
                }
                v
            })
            .collect();
        let v = View {
            schema: "gcdoctor.batch/v1",
            verdict: self.verdict(),
            exit_code: self.exit_code(),
            requests_sent: self.requests_sent(),
            max_in_flight_per_host: &self.max_in_flight,
            elapsed_ms: self.elapsed_ms,
            run: &self.run,
            clients,
        };
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    }

    fn junit(&self) -> String {
        let mut doc = quick_junit::Report::new("gcdoctor batch");
        doc.set_time(std::time::Duration::from_millis(self.elapsed_ms));
        for c in &self.clients {
            doc.add_test_suite(match &c.outcome {
                Outcome::Report(r) => junit::suite(r, Some(&c.label)),
                Outcome::Error(e) => {
                    error::junit_suite(&format!("diagnose {}", c.label), e, &self.run)
                }
            });
        }
        let xml = doc.to_string().unwrap_or_default();
        junit::with_seam_notice(xml, self.run.seam_notice())
    }

    /// Text or markdown: the table, then each client that is not healthy.
    fn document(&self, format: Format, opts: RenderOptions) -> String {
        let md = format == Format::Markdown;
        let mut out = String::new();
        if let Some(n) = self.run.seam_notice() {
            out.push_str(&if md {
                format!("> ⚠️ {}\n\n", super::markdown::inline(&n))
            } else {
                format!("! {n}\n\n")
            });
        }
        out.push_str(if md {
            "## gcdoctor batch\n\n| client | id | region | verdict | cause | requests |\n|---|---|---|---|---|---|\n"
        } else {
            "gcdoctor batch\n"
        });
        for c in &self.clients {
            out.push_str(&self.row(c, md));
        }
        out.push_str(&format!(
            "\n{}, {}, {:.1} s, exit {} ({})\ngcdoctor {} · started {}\n",
            plural(self.clients.len(), "client", "clients"),
            plural(self.requests_sent(), "request", "requests"),
            self.elapsed_ms as f64 / 1000.0,
            self.exit_code(),
            self.verdict(),
            self.run.version,
            self.run.started_at,
        ));
        let none = Redactor::new();
        for c in &self.clients {
            let body = match &c.outcome {
                Outcome::Report(r) if r.verdict == Verdict::Healthy => continue,
                Outcome::Report(r) => {
                    let mut one = (**r).clone();
                    // The seam is said once, at the top.
                    one.run.connect_to = None;
                    render(&one, format, opts, &none)
                }
                Outcome::Error(e) => format!("error: {e}\n"),
            };
            if md {
                let title = super::markdown::inline(&format!("{} ({})", c.label, c.at));
                out.push_str(&format!("\n---\n\n### {title}\n\n{}", demote(&body, 2)));
            } else {
                out.push_str(&format!("\n──────────\n{} ({})\n\n{body}", c.label, c.at));
            }
        }
        out
    }

    fn row(&self, c: &BatchClient, md: bool) -> String {
        let (region, verdict, cause, requests) = match &c.outcome {
            Outcome::Report(r) => (
                r.region
                    .detected
                    .or(r.region.configured)
                    .map_or("-", |x| x.key),
                r.verdict.as_str(),
                r.cause_finding()
                    .map(|f| format!("{} {}", f.cause.code(), f.cause.name()))
                    .unwrap_or_else(|| "-".into()),
                r.requests_sent,
            ),
            Outcome::Error(_) => ("-", "error", "could not run (see below)".into(), 0),
        };
        if md {
            let cell = |s: &str| super::markdown::inline(s);
            format!(
                "| {} | `{}` | {region} | {verdict} | {} | {requests} |\n",
                cell(&c.label),
                c.id.replace('`', ""),
                cell(&cause)
            )
        } else {
            let name = if c.label == c.id {
                c.id.clone()
            } else {
                format!("{} ({})", c.label, c.id)
            };
            format!("  {name:<38} {region:<15} {verdict:<13} {cause:<28} {requests:>3} requests\n")
        }
    }
}

/// Pushes every markdown heading outside code blocks down by `by` levels (at most `######`).
pub fn demote(md: &str, by: usize) -> String {
    let mut fence: Option<usize> = None;
    let mut out = String::with_capacity(md.len() + 64);
    for line in md.split_inclusive('\n') {
        let ticks = line.chars().take_while(|&c| c == '`').count();
        match fence {
            Some(n) if ticks >= n && line.trim_end().chars().all(|c| c == '`') => fence = None,
            Some(_) => {}
            None if ticks >= 3 => fence = Some(ticks),
            None => {
                let hashes = line.chars().take_while(|&c| c == '#').count();
                if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
                    let level = (hashes + by).min(6);
                    out.push_str(&"#".repeat(level));
                    out.push_str(&line[hashes..]);
                    continue;
                }
            }
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demote_skips_code_blocks() {
        let md = "## a\n\n```http\n## not a heading\n```\n### b\n####### c\n";
        assert_eq!(
            demote(md, 2),
            "#### a\n\n```http\n## not a heading\n```\n##### b\n####### c\n"
        );
    }
}
