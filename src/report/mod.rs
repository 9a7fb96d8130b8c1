//! The report: one model of a run, rendered four ways.
//!
//! `diagnose` and `lint` both produce a [`Report`]; [`render`] turns it into `text`,
//! `markdown`, `json` (schema `gcdoctor.report/v1`, see `docs/report.schema.json`) or `junit`
//! (see `docs/report-formats.md`).
//!
//! # Redaction
//!
//! Every string in the model is redacted when it is put there. [`Report::scrub`] runs the
//! redactor over every string of the model once more (names included), [`render`] does so on
//! a copy whatever the caller did, and then scrubs the finished output. The model must be
//! clean *before* rendering because renderers escape: a secret turned into `a\_b` by markdown
//! or `a&amp;b` by XML would no longer match the final scrub.
//!
//! # What the renderers share
//!
//! The formats agree on what matters, through helpers here: the *lead* finding the report
//! opens with ([`Report::lead`]: the cause, else the GC900 or GC000 finding, else lint's most
//! serious), the check that carries it ([`Report::lead_check`]), the *key* exchanges worth
//! showing without `--verbose` ([`Report::key_exchanges`]: the first request and the ones the
//! lead's evidence names as `#n`), check groups ([`Check::group`]) and the command that
//! reproduces the run ([`Report::reproduce`]).

pub mod batch;
pub mod error;
pub mod json;
pub mod junit;
pub mod language;
pub mod lint_outcome;
pub mod markdown;
pub mod run;
pub mod text;

pub use run::RunInfo;

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::region::Region;
use crate::secret::Redactor;
use serde::Serialize;

/// The JSON schema id of this report version.
pub const SCHEMA: &str = "gcdoctor.report/v1";

/// Output formats (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable, coloured on a terminal.
    Text,
    /// For pasting into a forum post or support ticket.
    Markdown,
    /// One JSON object (schema gcdoctor.report/v1) for scripts.
    Json,
    /// JUnit XML, one testcase per check, for CI dashboards.
    Junit,
}

/// Which command made the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    Diagnose,
    Lint,
}

/// The overall verdict (contract §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// diagnose: a token was obtained and every API check passed.
    Healthy,
    /// diagnose: the cause of the failure was found.
    CauseFound,
    /// diagnose: a failure was seen, the cause is not pinned down.
    Inconclusive,
    /// lint: no defect.
    Clean,
    /// lint: defects found.
    Defects,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Healthy => "healthy",
            Verdict::CauseFound => "cause-found",
            Verdict::Inconclusive => "inconclusive",
            Verdict::Clean => "clean",
            Verdict::Defects => "defects",
        }
    }

    /// The process exit code for this verdict (contract §4).
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Healthy | Verdict::Clean => 0,
            Verdict::CauseFound | Verdict::Defects => 1,
            Verdict::Inconclusive => 3,
        }
    }
}

/// Result of one check (a probe, or a lint rule group).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Fail,
    /// Not run: not needed, or missing input.
    Skip,
}

impl CheckStatus {
    /// The mark shown for it: `✓ ✗ –`, or `ok FAIL skip` where Unicode cannot be shown.
    pub fn mark(self, unicode: bool) -> &'static str {
        match (self, unicode) {
            (CheckStatus::Pass, true) => "✓",
            (CheckStatus::Fail, true) => "✗",
            (CheckStatus::Skip, true) => "–",
            (CheckStatus::Pass, false) => "ok",
            (CheckStatus::Fail, false) => "FAIL",
            (CheckStatus::Skip, false) => "skip",
        }
    }
}

/// One check of the run, as shown in the checks table and as a JUnit testcase.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// Stable probe id, e.g. `region-scan`.
    pub id: String,
    /// What the check does, e.g. "Token request on every region's login host".
    pub title: String,
    pub status: CheckStatus,
    /// What it found, one line.
    pub summary: String,
    pub elapsed_ms: u64,
    /// Requests the check sent.
    pub requests: usize,
    /// The cause the check proved or points at, if any.
    pub cause: Option<CauseId>,
}

/// A request as sent, redacted.
#[derive(Clone, Debug, Serialize)]
pub struct ShownRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// A response as received, redacted and possibly truncated.
#[derive(Clone, Debug, Serialize)]
pub struct ShownResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub truncated: bool,
}

/// One request/response pair of the run.
#[derive(Clone, Debug, Serialize)]
pub struct Exchange {
    /// 1-based order in which requests were sent.
    pub n: usize,
    /// Which probe sent it and why, e.g. "canonical request, eu-west-1".
    pub purpose: String,
    pub request: ShownRequest,
    pub response: Option<ShownResponse>,
    /// Transport error in plain words, when there was no response.
    pub error: Option<String>,
    pub elapsed_ms: u64,
}

/// Where an input value came from (like `aws configure list`).
#[derive(Clone, Debug, Serialize)]
pub struct InputSource {
    /// "client id", "client secret", "region", "token URL", …
    pub name: String,
    /// The value, masked where it is secret.
    pub value: String,
    /// "flag --client-id", "env GENESYSCLOUD_REGION", "profile DEFAULT (~/.gc/config.toml)", …
    pub source: String,
}

/// A corrected request suggested by `lint`, in the same language as the input.
#[derive(Clone, Debug, Serialize)]
pub struct Suggestion {
    /// `curl`, `http`, `python`, `javascript`.
    pub language: String,
    pub text: String,
}

/// Regions of the run.
#[derive(Clone, Copy, Debug, Default)]
pub struct RegionInfo {
    pub configured: Option<&'static Region>,
    pub detected: Option<&'static Region>,
}

/// The whole run.
#[derive(Clone, Debug)]
pub struct Report {
    pub kind: ReportKind,
    pub verdict: Verdict,
    /// Index into `findings` of the finding that explains the failure.
    pub cause: Option<usize>,
    pub findings: Vec<Finding>,
    pub region: RegionInfo,
    pub requests_sent: usize,
    /// Rounds of concurrent requests: round trips on the critical path.
    pub round_trips: usize,
    pub checks: Vec<Check>,
    pub exchanges: Vec<Exchange>,
    pub inputs: Vec<InputSource>,
    /// For an inconclusive verdict: the inputs that would settle it.
    pub settle: Vec<String>,
    /// Notes about the run itself (a secret given on the command line, a file read, …).
    pub notes: Vec<String>,
    /// The token URL diagnosed, or the input file linted.
    pub target: Option<String>,
    pub suggestion: Option<Suggestion>,
    pub elapsed_ms: u64,
    /// The command line that reproduces this run (secrets masked), for the markdown footer;
    /// when `None`, renderers rebuild a likely one from `inputs`.
    pub command: Option<String>,
    /// When, by which version and through which seam the run was made.
    pub run: RunInfo,
}

impl Report {
    pub fn new(kind: ReportKind) -> Report {
        Report {
            kind,
            verdict: match kind {
                ReportKind::Diagnose => Verdict::Inconclusive,
                ReportKind::Lint => Verdict::Clean,
            },
            cause: None,
            findings: Vec::new(),
            region: RegionInfo::default(),
            requests_sent: 0,
            round_trips: 0,
            checks: Vec::new(),
            exchanges: Vec::new(),
            inputs: Vec::new(),
            settle: Vec::new(),
            notes: Vec::new(),
            target: None,
            suggestion: None,
            elapsed_ms: 0,
            command: None,
            run: RunInfo::now(),
        }
    }

    /// The finding that explains the failure.
    pub fn cause_finding(&self) -> Option<&Finding> {
        self.cause.and_then(|i| self.findings.get(i))
    }

    /// Findings other than the cause, most serious first.
    pub fn other_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .enumerate()
            .filter(move |(i, _)| Some(*i) != self.cause)
            .map(|(_, f)| f)
    }

    /// Counts of errors, warnings and infos.
    pub fn severity_counts(&self) -> (usize, usize, usize) {
        let n = |s| self.findings.iter().filter(|f| f.severity == s).count();
        (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
    }

    /// Process exit code (contract §4).
    pub fn exit_code(&self) -> u8 {
        self.verdict.exit_code()
    }

    /// Runs the redactor over every string in the model, names included: a renderer may
    /// escape what it prints (XML, markdown), and an escaped secret would no longer match the
    /// final scrub of the output, so the model itself must hold none.
    pub fn scrub(&mut self, r: &Redactor) {
        let f = |s: &str| r.scrub(s);
        let all = |v: &mut Vec<String>| v.iter_mut().for_each(|s| *s = f(s));
        let pairs = |v: &mut Vec<(String, String)>| {
            for (k, x) in v.iter_mut() {
                *k = f(k);
                *x = f(x);
            }
        };
        for x in &mut self.findings {
            x.map_text(&f);
        }
        for c in &mut self.checks {
            c.id = f(&c.id);
            c.summary = f(&c.summary);
            c.title = f(&c.title);
        }
        for e in &mut self.exchanges {
            e.purpose = f(&e.purpose);
            e.request.method = f(&e.request.method);
            e.request.url = f(&e.request.url);
            e.request.body = f(&e.request.body);
            pairs(&mut e.request.headers);
            if let Some(resp) = &mut e.response {
                resp.body = f(&resp.body);
                pairs(&mut resp.headers);
            }
            if let Some(err) = &mut e.error {
                *err = f(err);
            }
        }
        for i in &mut self.inputs {
            i.name = f(&i.name);
            i.value = f(&i.value);
            i.source = f(&i.source);
        }
        all(&mut self.settle);
        all(&mut self.notes);
        for t in self.target.iter_mut().chain(self.command.iter_mut()) {
            *t = f(t);
        }
        if let Some(s) = &mut self.suggestion {
            s.language = f(&s.language);
            s.text = f(&s.text);
        }
    }

    /// Index in `findings` of the finding the report leads with: the cause; for an
    /// inconclusive run its GC900 finding; for a healthy run its GC000 finding; for lint the
    /// most serious finding.
    pub fn lead_index(&self) -> Option<usize> {
        if self.cause.is_some_and(|i| i < self.findings.len()) {
            return self.cause;
        }
        let wanted = match self.verdict {
            Verdict::Healthy => CauseId::Healthy,
            Verdict::Inconclusive => CauseId::Inconclusive,
            Verdict::Clean => return None,
            Verdict::CauseFound | Verdict::Defects => {
                return (0..self.findings.len()).min_by_key(|&i| self.findings[i].severity);
            }
        };
        self.findings.iter().position(|f| f.cause == wanted)
    }

    /// The finding the report leads with (see [`Report::lead_index`]).
    pub fn lead(&self) -> Option<&Finding> {
        self.lead_index().and_then(|i| self.findings.get(i))
    }

    /// Findings other than [`Report::lead`], most serious first (stable within a severity).
    pub fn rest(&self) -> Vec<&Finding> {
        let lead = self.lead_index();
        let mut v: Vec<&Finding> = self
            .findings
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != lead)
            .map(|(_, f)| f)
            .collect();
        v.sort_by_key(|f| f.severity);
        v
    }

    /// The short name of the outcome: `GC103 wrong-region`, `healthy`, `inconclusive`,
    /// `clean`, or `N defects`.
    pub fn title(&self) -> String {
        match (self.verdict, self.cause_finding()) {
            (Verdict::Healthy, _) => "healthy".into(),
            (Verdict::Inconclusive, _) => "inconclusive".into(),
            (Verdict::Clean, _) => self.meaning(),
            (_, Some(c)) => format!("{} {}", c.cause.code(), c.cause.name()),
            (Verdict::Defects, None) => match self.lead() {
                Some(l) => format!("{} {}", l.cause.code(), l.cause.name()),
                None => "defects".into(),
            },
            (Verdict::CauseFound, None) => "cause found".into(),
        }
    }

    /// Checks that passed, failed and were skipped.
    pub fn check_counts(&self) -> (usize, usize, usize) {
        let n = |s| self.checks.iter().filter(|c| c.status == s).count();
        (
            n(CheckStatus::Pass),
            n(CheckStatus::Fail),
            n(CheckStatus::Skip),
        )
    }

    /// The check that carries the lead finding: the failed check that names its cause, else
    /// the first failed check (the first contact that went wrong).
    pub fn lead_check(&self) -> Option<usize> {
        let lead = self.lead().filter(|l| l.severity == Severity::Error)?;
        let failed = |c: &&Check| c.status == CheckStatus::Fail;
        self.checks
            .iter()
            .position(|c| failed(&c) && c.cause == Some(lead.cause))
            .or_else(|| self.checks.iter().position(|c| failed(&c)))
    }

    /// The exchange numbered `n`.
    pub fn exchange(&self, n: usize) -> Option<&Exchange> {
        self.exchanges.iter().find(|e| e.n == n)
    }

    /// The exchanges worth showing without `--verbose`: the first request sent (the user's
    /// own, or the canonical one at the target) and, unless the run is healthy, every
    /// exchange the lead finding's evidence refers to, in order.
    pub fn key_exchanges(&self) -> Vec<&Exchange> {
        let mut ns: Vec<usize> = self
            .exchanges
            .iter()
            .map(|e| e.n)
            .min()
            .into_iter()
            .collect();
        // A healthy run has nothing decisive: the request that worked is enough.
        if let Some(l) = self.lead().filter(|l| l.cause != CauseId::Healthy) {
            ns.extend(l.exchange_refs());
        }
        ns.sort_unstable();
        ns.dedup();
        ns.into_iter().filter_map(|n| self.exchange(n)).collect()
    }

    /// A command line that reproduces the run: [`Report::command`] when the CLI set it,
    /// else one rebuilt from the inputs (the secret always from a file).
    pub fn reproduce(&self) -> String {
        if let Some(c) = &self.command {
            return c.clone();
        }
        if self.kind == ReportKind::Lint {
            let file = self.target.as_deref().unwrap_or("FILE");
            return format!("gcdoctor lint {}", shell_word(file));
        }
        let mut cmd = String::from("gcdoctor diagnose");
        let input = |name: &str| {
            self.inputs
                .iter()
                .find(|i| i.name.eq_ignore_ascii_case(name))
        };
        let id = input("client id")
            .map(|i| i.value.as_str())
            .filter(|v| crate::secret::is_uuid_shaped(v))
            .unwrap_or("YOUR_CLIENT_ID");
        cmd.push_str(&format!(
            " --client-id {id} --client-secret-file secret.txt"
        ));
        if let Some(r) = self.region.configured {
            cmd.push_str(&format!(" --region {}", r.key));
        } else if let Some(u) = input("token URL") {
            cmd.push_str(&format!(" --token-url {}", shell_word(&u.value)));
        }
        cmd
    }
}

/// Quotes a word for a POSIX shell when it needs it.
fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

impl Verdict {
    /// What the exit code means, in words: `cause found`, `healthy`, …
    pub fn meaning(self) -> &'static str {
        match self {
            Verdict::Healthy => "healthy",
            Verdict::CauseFound => "cause found",
            Verdict::Inconclusive => "inconclusive",
            Verdict::Clean => "clean",
            Verdict::Defects => "defects found",
        }
    }
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::Skip => "skip",
        }
    }
}

impl Check {
    /// The group of the check, for JUnit class names and grouping: what it looks at.
    pub fn group(&self, kind: ReportKind) -> &'static str {
        match self.id.as_str() {
            "inputs" | "token-url" | "request-shape" => "inputs",
            "dns" => "network",
            "user-request" | "canonical" | "region-sweep" | "region-scan" | "variants"
            | "delta" | "delta-confirm" => "token",
            "admin-token" | "client-inspect" => "client",
            "token-check" => "api",
            _ if kind == ReportKind::Lint => "lint",
            _ => "other",
        }
    }
}

impl Finding {
    /// The evidence lines without repeats (the same exchange can reach a finding twice, as
    /// the user's request and as the canonical one); what people read, where JSON keeps all.
    pub fn distinct_evidence(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for e in &self.evidence {
            if !out.contains(e) {
                out.push(e.clone());
            }
        }
        out
    }

    /// The exchanges (`#n`) this finding's evidence refers to, in order of mention.
    pub fn exchange_refs(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for n in self.evidence.iter().flat_map(|e| exchange_refs(e)) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }
}

/// The `#n` references in a line of text (a `#` not preceded by a word character, then
/// digits).
pub fn exchange_refs(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for (i, _) in text.match_indices('#') {
        if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'&') {
            continue;
        }
        let digits: String = text[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(n) = digits.parse() {
            out.push(n);
        }
    }
    out
}

/// Milliseconds for people: `19 ms`, `0.4 s`, `12.5 s`.
pub fn human_ms(ms: u64) -> String {
    if ms < 100 {
        format!("{ms} ms")
    } else {
        format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
    }
}

/// The standard reason phrase of an HTTP status, if it has one.
pub fn reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// Rendering options.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// ANSI colours (text only).
    pub color: bool,
    /// ✓/✗ marks; ASCII `ok`/`FAIL` when false.
    pub unicode: bool,
    /// Include every exchange (`--verbose`).
    pub verbose: bool,
    /// The short report (`--brief`): outcome, evidence, fix, footer.
    pub brief: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            unicode: true,
            verbose: false,
            brief: false,
        }
    }
}

/// Renders the report. The model is scrubbed first (a copy, so a caller that forgot
/// [`Report::scrub`] still leaks nothing, even in escaped form), and the finished text once
/// more.
pub fn render(report: &Report, format: Format, opts: RenderOptions, redactor: &Redactor) -> String {
    let mut clean = report.clone();
    clean.scrub(redactor);
    let out = match format {
        Format::Text => text::render(&clean, opts),
        Format::Markdown => markdown::render(&clean, opts),
        Format::Json => json::render(&clean),
        Format::Junit => junit::render(&clean),
    };
    redactor.scrub(&out)
}
