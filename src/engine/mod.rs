//! The diagnosis engine: an ordered table of probes run in rounds over shared facts.
//!
//! # How a diagnosis runs
//!
//! Each probe ([`Probe`]) is one small unit: what it needs (`ready`, read from the [`Facts`]),
//! the requests it sends (`run`), and what it records. [`PROBES`] lists them in report order.
//! The runner works in *rounds*: every probe that is ready runs, concurrently with the others
//! of its round; their observations make the next probes ready. A round is one round trip on
//! the critical path, so the cost of a diagnosis is designed, not accidental:
//!
//! 1. no network: the inputs, the token URL and the request's shape (placeholders stop here);
//! 2. the user's request, the canonical request at the target region, credential variants,
//!    the admin token;
//! 3. the region scan (canonical request rejected), the one-dimension flips of the user's
//!    request (canonical got a token, theirs did not), the client inspection, the token check;
//! 4. the confirmation of a minimal set of flips, when no single flip explains the failure.
//!
//! Every request goes through [`crate::http::Transport`], which keeps the budget, the per-host
//! limits and the throttling stop. [`conclude`] then names the one cause that explains the
//! failure from what was observed, never from what forums say. Where the answers cannot tell
//! causes apart and no probe can, the verdict is inconclusive and names the input that would
//! settle it.

pub mod conclude;
pub mod facts;
pub mod probes;
pub mod subject;

use crate::catalogue::CauseId;
use crate::http::Transport;
use crate::region::Region;
use crate::report::{Check, CheckStatus, InputSource};
use crate::request::{Credentials, ImportedRequest};
use crate::secret::Secret;
pub use facts::Facts;
use futures_util::future::BoxFuture;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Admin access to inspect the OAuth client.
#[derive(Clone, Debug)]
pub enum Admin {
    /// Another OAuth client of the same org with `oauth:client:view`.
    Client {
        creds: Credentials,
        region: Option<&'static Region>,
    },
    /// A bearer token with `oauth:client:view`.
    Token {
        token: Secret,
        region: Option<&'static Region>,
    },
}

/// One `--check-api` target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTarget {
    pub method: String,
    /// Path and query, starting with `/`.
    pub path: String,
}

impl ApiTarget {
    /// Parses `GET /api/v2/...` (method optional, GET only: gcdoctor changes nothing).
    pub fn parse(s: &str) -> Result<ApiTarget, String> {
        let s = s.trim();
        let (method, path) = match s.split_once(char::is_whitespace) {
            Some((m, p)) => (m.to_ascii_uppercase(), p.trim().to_string()),
            None => ("GET".to_string(), s.to_string()),
        };
        if method != "GET" {
            return Err(format!(
                "`{s}`: only GET calls can be checked (gcdoctor never sends a request that changes anything)"
            ));
        }
        let path = match url::Url::parse(&path) {
            Ok(u) if u.has_host() => {
                let mut p = u.path().to_string();
                if let Some(q) = u.query() {
                    p.push('?');
                    p.push_str(q);
                }
                p
            }
            _ => path,
        };
        if !path.starts_with("/api/v2/") {
            return Err(format!("`{s}`: the path must start with /api/v2/"));
        }
        Ok(ApiTarget { method, path })
    }
}

/// What the user gave, resolved.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// The client id and secret as given (not cleaned).
    pub creds: Credentials,
    /// True when `creds` came from flags/env and replace the ones in the imported request.
    pub creds_override: bool,
    /// The configured region (`--region`, env, profile).
    pub region: Option<&'static Region>,
    /// `--token-url`.
    pub token_url: Option<String>,
    /// The user's own request (`--from-…`).
    pub imported: Option<ImportedRequest>,
    pub admin: Option<Admin>,
    pub check_api: Vec<ApiTarget>,
    /// Where each value came from, for the report.
    pub sources: Vec<InputSource>,
    /// Notes about the inputs for the report.
    pub notes: Vec<String>,
    /// Findings about the inputs themselves (hygiene warnings: a secret on the command line,
    /// a world-readable secret file, a region spelling other tools reject).
    pub findings: Vec<crate::finding::Finding>,
    /// An access token to check instead of client credentials (`GENESYSCLOUD_ACCESS_TOKEN`);
    /// it belongs to `region`.
    pub access_token: Option<Secret>,
    /// The secret as its source holds it, where gcdoctor cleaned it (a secret file's final
    /// line ending): what code reading the source as-is sends.
    pub as_read: Option<AsRead>,
}

/// A secret as read from its source, before gcdoctor cleaned it.
#[derive(Clone, Debug)]
pub struct AsRead {
    /// Where it was read, e.g. `file secret.txt`.
    pub source: String,
    /// The value with what gcdoctor removed.
    pub raw: Secret,
    /// What was removed, as written in code (`\n`, `\r\n`).
    pub removed: &'static str,
}

/// A run in progress.
pub struct Session {
    pub inputs: Inputs,
    pub transport: Arc<Transport>,
    pub facts: Mutex<Facts>,
}

impl Session {
    pub fn new(inputs: Inputs, transport: Arc<Transport>) -> Session {
        let facts = probes::initial_facts(&inputs);
        Session {
            inputs,
            transport,
            facts: Mutex::new(facts),
        }
    }

    /// Locks the facts (never held across an await).
    pub fn facts(&self) -> std::sync::MutexGuard<'_, Facts> {
        self.facts.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What a probe reports about its own run.
#[derive(Clone, Debug)]
pub struct ProbeOutcome {
    pub status: CheckStatus,
    pub summary: String,
    /// The cause this probe proved or points at.
    pub cause: Option<CauseId>,
    pub requests: usize,
}

impl ProbeOutcome {
    pub fn pass(summary: impl Into<String>) -> ProbeOutcome {
        ProbeOutcome {
            status: CheckStatus::Pass,
            summary: summary.into(),
            cause: None,
            requests: 0,
        }
    }
    pub fn fail(summary: impl Into<String>, cause: Option<CauseId>) -> ProbeOutcome {
        ProbeOutcome {
            status: CheckStatus::Fail,
            summary: summary.into(),
            cause,
            requests: 0,
        }
    }
    pub fn requests(mut self, n: usize) -> ProbeOutcome {
        self.requests = n;
        self
    }
}

/// One probe of the table.
pub trait Probe: Sync {
    /// Stable id, e.g. `region-scan`.
    fn id(&self) -> &'static str;
    /// What it does, for the checks table.
    fn title(&self) -> &'static str;
    /// True for probes that send nothing; they run before any request.
    fn offline(&self) -> bool {
        false
    }
    /// Whether it can run now.
    fn ready(&self, s: &Session, f: &Facts) -> bool;
    /// Why it did not run, when worth showing (e.g. "needs admin access").
    fn skipped(&self, _s: &Session, _f: &Facts) -> Option<String> {
        None
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome>;
}

/// Every probe, in report order.
pub static PROBES: &[&dyn Probe] = &[
    &probes::inputs::InputValues,
    &probes::token_url::TokenUrl,
    &probes::request_shape::RequestShape,
    &probes::dns::Dns,
    &probes::user_request::UserRequest,
    &probes::canonical::Canonical,
    &probes::region_sweep::RegionSweep,
    &probes::variants::Variants,
    &probes::intent::IntentProbe,
    &probes::admin::AdminToken,
    &probes::region_scan::RegionScan,
    &probes::delta::Delta,
    &probes::delta_confirm::Confirm,
    &probes::client_inspect::ClientInspect,
    &probes::token_check::TokenCheck,
    &probes::as_read::AsRead,
];

/// Progress display hooks (a spinner per probe on a terminal, nothing otherwise).
pub trait Progress: Sync {
    fn start(&self, _id: &str, _title: &str) {}
    fn finish(&self, _id: &str, _outcome: &ProbeOutcome) {}
}

/// No progress display.
pub struct Silent;
impl Progress for Silent {}

/// Runs the probes in rounds until none is ready; returns the checks in table order.
pub async fn run_probes(s: &Session, progress: &dyn Progress) -> (Vec<Check>, usize) {
    let mut done: Vec<&'static str> = Vec::new();
    let mut checks: Vec<(usize, Check)> = Vec::new();
    let mut rounds = 0;
    loop {
        let ready: Vec<(usize, &dyn Probe)> = {
            let f = s.facts();
            let all: Vec<(usize, &dyn Probe)> = PROBES
                .iter()
                .enumerate()
                .filter(|(_, p)| !done.contains(&p.id()) && p.ready(s, &f))
                .map(|(i, p)| (i, *p))
                .collect();
            // Offline probes first, on their own: what they find decides what is sent.
            if all.iter().any(|(_, p)| p.offline()) {
                all.into_iter().filter(|(_, p)| p.offline()).collect()
            } else {
                all
            }
        };
        if ready.is_empty() {
            break;
        }
        let runs = ready.iter().map(|(i, p)| async move {
            progress.start(p.id(), p.title());
            let t = Instant::now();
            let o = p.run(s).await;
            progress.finish(p.id(), &o);
            (*i, *p, o, t.elapsed())
        });
        let results = futures_util::future::join_all(runs).await;
        // A round is a round trip only if something went on the wire.
        if results.iter().any(|(_, _, o, _)| o.requests > 0) {
            rounds += 1;
        }
        for (i, p, o, elapsed) in results {
            done.push(p.id());
            checks.push((
                i,
                Check {
                    id: p.id().to_string(),
                    title: p.title().to_string(),
                    status: o.status,
                    summary: o.summary,
                    elapsed_ms: elapsed.as_millis() as u64,
                    requests: o.requests,
                    cause: o.cause,
                },
            ));
        }
    }
    let f = s.facts();
    for (i, p) in PROBES.iter().enumerate() {
        if !done.contains(&p.id())
            && let Some(why) = p.skipped(s, &f)
        {
            checks.push((
                i,
                Check {
                    id: p.id().to_string(),
                    title: p.title().to_string(),
                    status: CheckStatus::Skip,
                    summary: why,
                    elapsed_ms: 0,
                    requests: 0,
                    cause: None,
                },
            ));
        }
    }
    checks.sort_by_key(|(i, _)| *i);
    (checks.into_iter().map(|(_, c)| c).collect(), rounds)
}

/// Runs a whole diagnosis and builds the report.
pub async fn diagnose(s: &Session, progress: &dyn Progress) -> crate::report::Report {
    let started = Instant::now();
    let (checks, rounds) = run_probes(s, progress).await;
    let mut report = conclude::report(s, checks);
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    report.round_trips = rounds;
    report
}
