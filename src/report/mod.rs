//! The report: one model of a run, rendered four ways.
//!
//! `diagnose` and `lint` both produce a [`Report`]; [`render`] turns it into `text`,
//! `markdown`, `json` (schema `gcdoctor.report/v1`, see `docs/report.schema.json`) or `junit`.
//! Every string in the model is redacted when it is put there; [`Report::scrub`] runs the
//! redactor over the whole model once more, and [`render`] over the finished output, so no
//! renderer can leak a secret even by mistake.

pub mod json;
pub mod junit;
pub mod markdown;
pub mod text;

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

    /// Runs the redactor over every string in the model.
    pub fn scrub(&mut self, r: &Redactor) {
        let f = |s: &str| r.scrub(s);
        for x in &mut self.findings {
            x.map_text(&f);
        }
        for c in &mut self.checks {
            c.summary = f(&c.summary);
            c.title = f(&c.title);
        }
        for e in &mut self.exchanges {
            e.purpose = f(&e.purpose);
            e.request.url = f(&e.request.url);
            e.request.body = f(&e.request.body);
            for (_, v) in &mut e.request.headers {
                *v = f(v);
            }
            if let Some(resp) = &mut e.response {
                resp.body = f(&resp.body);
                for (_, v) in &mut resp.headers {
                    *v = f(v);
                }
            }
            if let Some(err) = &mut e.error {
                *err = f(err);
            }
        }
        for i in &mut self.inputs {
            i.value = f(&i.value);
            i.source = f(&i.source);
        }
        for s in self.settle.iter_mut().chain(self.notes.iter_mut()) {
            *s = f(s);
        }
        if let Some(t) = &mut self.target {
            *t = f(t);
        }
        if let Some(s) = &mut self.suggestion {
            s.text = f(&s.text);
        }
    }
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
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            unicode: true,
            verbose: false,
        }
    }
}

/// Renders the report; the finished text is scrubbed once more.
pub fn render(report: &Report, format: Format, opts: RenderOptions, redactor: &Redactor) -> String {
    let out = match format {
        Format::Text => text::render(report, opts),
        Format::Markdown => markdown::render(report, opts),
        Format::Json => json::render(report),
        Format::Junit => junit::render(report),
    };
    redactor.scrub(&out)
}
