//! What the probes have observed so far, shared by the probes of a run.
//!
//! Probes write observations here; readiness of the next probes and the final conclusion
//! are read from it. Nothing in here is a conclusion yet.

use crate::catalogue::CauseId;
use crate::finding::Finding;
use crate::http::{self, Failure, OAuthError, Refused, Response, Sent};
use crate::region::Region;
use crate::request::{Credentials, HttpRequest};
use crate::secret::Secret;
use crate::shape::{Analysis, Dim};
use std::collections::BTreeMap;

/// The answer to one token request, classified.
#[derive(Clone, Debug)]
pub enum TokenOutcome {
    /// A token was issued.
    Token {
        token: Secret,
        token_type: String,
        expires_in: Option<u64>,
    },
    /// An OAuth error answer (`invalid_client`, `unsupported_grant_type`, …).
    Rejected { status: u16, error: OAuthError },
    /// Some other 4xx answer (a Platform API 404, a 405, …).
    Refused { status: u16, what: String },
    /// The service throttled the request.
    Throttled {
        status: u16,
        what: String,
        retry_after: Option<String>,
    },
    /// 5xx, an HTML page, an empty or non-JSON body, a redirect.
    ServiceError { status: u16, what: String },
    /// No HTTP answer.
    Network(Failure),
    /// gcdoctor did not send it.
    NotSent(Refused),
}

impl TokenOutcome {
    /// Classifies the answer to a token request sent to `host`.
    pub fn classify(host: &str, sent: &Sent) -> TokenOutcome {
        match sent {
            Sent::NotSent(r) => TokenOutcome::NotSent(r.clone()),
            Sent::Failed { failure, .. } => TokenOutcome::Network(failure.clone()),
            Sent::Response(resp) => classify_response(host, resp),
        }
    }

    pub fn is_token(&self) -> bool {
        matches!(self, TokenOutcome::Token { .. })
    }

    /// A rejection of the client (any OAuth error answer that is not throttling).
    pub fn is_rejection(&self) -> bool {
        matches!(
            self,
            TokenOutcome::Rejected { .. } | TokenOutcome::Refused { .. }
        )
    }

    /// True for an OAuth `invalid_client`-family answer: the client was not authenticated.
    pub fn is_client_rejection(&self) -> bool {
        matches!(self, TokenOutcome::Rejected { error, .. } if matches!(error.error.as_str(), "invalid_client" | "unauthorized_client" | "unauthorized" | "access_denied"))
    }

    /// The answer in a few words: `400 invalid_client "authentication failed"`.
    pub fn brief(&self) -> String {
        match self {
            TokenOutcome::Token { expires_in, .. } => match expires_in {
                Some(s) => format!("200, token issued (expires in {s} s)"),
                None => "200, token issued".into(),
            },
            TokenOutcome::Rejected { status, error } => {
                let t = error.text();
                if t.is_empty() {
                    format!("{status} {}", error.error)
                } else {
                    format!("{status} {} \"{t}\"", error.error)
                }
            }
            TokenOutcome::Refused { status, what } => format!("{status} {what}"),
            TokenOutcome::Throttled { status, what, .. } => format!("{status} {what}"),
            TokenOutcome::ServiceError { status, what } => {
                if *status == 0 {
                    what.clone()
                } else {
                    format!("{status} {what}")
                }
            }
            TokenOutcome::Network(f) => f.describe(),
            TokenOutcome::NotSent(r) => r.describe(),
        }
    }

    /// The cause an answer shows by itself, whatever the credentials: throttling (GC501), a
    /// non-OAuth or 5xx answer (GC502), no answer (GC104).
    pub fn service_cause(&self) -> Option<CauseId> {
        match self {
            TokenOutcome::Throttled { .. } => Some(CauseId::RateLimited),
            TokenOutcome::ServiceError { .. } => Some(CauseId::ServiceError),
            TokenOutcome::Network(_) => Some(CauseId::NetworkUnreachable),
            _ => None,
        }
    }

    /// True when the request reached the service.
    pub fn reached(&self) -> bool {
        !matches!(self, TokenOutcome::Network(_) | TokenOutcome::NotSent(_))
    }
}

fn classify_response(host: &str, resp: &Response) -> TokenOutcome {
    let status = resp.status;
    if http::is_throttling(host, resp) {
        let what = http::oauth_error(resp)
            .map(|e| format!("{} \"{}\"", e.error, e.text()))
            .unwrap_or_else(|| "too many requests".into());
        return TokenOutcome::Throttled {
            status,
            what,
            retry_after: resp.header("retry-after").map(str::to_string),
        };
    }
    if (300..400).contains(&status) {
        let to = resp.header("location").unwrap_or("(no Location)");
        return TokenOutcome::ServiceError {
            status,
            what: format!(
                "redirect to {to} (not followed: credentials never go to a redirect target)"
            ),
        };
    }
    if status >= 500 {
        return TokenOutcome::ServiceError {
            status,
            what: describe_body(resp),
        };
    }
    let json = resp.json();
    if (200..300).contains(&status) {
        if let Some(j) = &json
            && let Some(t) = j.get("access_token").and_then(|v| v.as_str())
            && !t.is_empty()
        {
            return TokenOutcome::Token {
                token: Secret::new(t),
                token_type: j
                    .get("token_type")
                    .and_then(|v| v.as_str())
                    .unwrap_or("bearer")
                    .to_string(),
                expires_in: j.get("expires_in").and_then(|v| v.as_u64()),
            };
        }
        return TokenOutcome::ServiceError {
            status,
            what: format!(
                "success status without an access_token ({})",
                describe_body(resp)
            ),
        };
    }
    if let Some(e) = http::oauth_error(resp) {
        return TokenOutcome::Rejected { status, error: e };
    }
    if json.is_none() {
        return TokenOutcome::ServiceError {
            status,
            what: describe_body(resp),
        };
    }
    let what = json
        .as_ref()
        .and_then(|j| {
            let code = j.get("code").and_then(|v| v.as_str())?;
            Some(match j.get("message").and_then(|v| v.as_str()) {
                Some(m) => format!("{code} \"{m}\""),
                None => code.to_string(),
            })
        })
        .unwrap_or_else(|| "not an OAuth answer".into());
    TokenOutcome::Refused { status, what }
}

/// Describes a body that is not the expected JSON: "an HTML page (<title>…)", "an empty body".
pub fn describe_body(resp: &Response) -> String {
    let text = String::from_utf8_lossy(&resp.body);
    let t = text.trim();
    if t.is_empty() {
        return "an empty body".into();
    }
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || resp.media_type().as_deref() == Some("text/html")
    {
        let title = lower.find("<title>").and_then(|i| {
            let rest = &t[i + 7..];
            rest.find("</").map(|j| rest[..j].trim().to_string())
        });
        return match title {
            Some(ti) if !ti.is_empty() => format!(
                "an HTML page (\"{}\"), not an OAuth answer",
                ti.chars().take(80).collect::<String>()
            ),
            _ => "an HTML page, not an OAuth answer".into(),
        };
    }
    if serde_json::from_str::<serde_json::Value>(t).is_err() {
        let kind = resp
            .media_type()
            .unwrap_or_else(|| "no content type".into());
        return format!(
            "a body that is not JSON ({kind}, {} bytes{})",
            resp.body.len(),
            if resp.truncated { ", truncated" } else { "" }
        );
    }
    "an unexpected JSON body".into()
}

/// One token request and its answer.
#[derive(Clone, Debug)]
pub struct Attempt {
    /// What was tried, e.g. "canonical request at login.mypurecloud.ie".
    pub label: String,
    pub host: String,
    pub outcome: TokenOutcome,
    /// Order in the run, when sent.
    pub n: Option<usize>,
}

impl Attempt {
    pub fn new(label: String, req: &HttpRequest, sent: &Sent) -> Attempt {
        let host = req.host().unwrap_or_default();
        let n = match sent {
            Sent::Response(r) => Some(r.n),
            Sent::Failed { n, .. } => Some(*n),
            Sent::NotSent(_) => None,
        };
        Attempt {
            outcome: TokenOutcome::classify(&host, sent),
            label,
            host,
            n,
        }
    }

    /// One evidence line: `#3 canonical request at login.mypurecloud.ie → 400 invalid_client "…"`.
    pub fn evidence(&self) -> String {
        match self.n {
            Some(n) => format!("#{n} {} → {}", self.label, self.outcome.brief()),
            None => format!("{} → {}", self.label, self.outcome.brief()),
        }
    }
}

/// The user's request, as diagnosed.
#[derive(Clone, Debug)]
pub struct Subject {
    pub request: HttpRequest,
    pub analysis: Analysis,
    /// The credentials the user meant (raw, not cleaned).
    pub meant: Credentials,
    /// Where the request came from ("curl file req.sh", "your settings").
    pub origin: String,
    /// True when the user's request is the canonical request (nothing to compare).
    pub is_canonical: bool,
}

/// A variant of the credentials tried when the canonical request is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Id and secret swapped.
    Swapped,
    /// The secret percent-decoded once.
    Decoded,
    /// Spaces in the secret turned back into `+`.
    PlusRestored,
}

impl Variant {
    pub fn cause(self) -> CauseId {
        match self {
            Variant::Swapped => CauseId::IdSecretSwapped,
            Variant::Decoded | Variant::PlusRestored => CauseId::SecretEncoding,
        }
    }
}

/// What an admin token showed about the client.
#[derive(Clone, Debug)]
pub enum ClientView {
    Found {
        region: &'static Region,
        json: serde_json::Value,
        n: usize,
    },
    NotFound {
        region: &'static Region,
        n: usize,
    },
    /// The admin token may not read OAuth clients, or the call failed.
    Unavailable {
        why: String,
    },
}

/// An API call made with the client's token.
#[derive(Clone, Debug)]
pub struct ApiResult {
    pub method: String,
    pub path: String,
    /// True for a call the user asked for with `--check-api`.
    pub requested: bool,
    pub sent: SentSummary,
}

/// The parts of an API answer the conclusions need.
#[derive(Clone, Debug)]
pub enum SentSummary {
    Answer {
        status: u16,
        code: Option<String>,
        message: Option<String>,
        json: Option<serde_json::Value>,
        n: usize,
    },
    Failed(String),
}

impl SentSummary {
    pub fn from(sent: &Sent) -> SentSummary {
        match sent {
            Sent::Response(r) => {
                let json = r.json();
                let s = |k: &str| {
                    json.as_ref()
                        .and_then(|j| j.get(k))
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                };
                SentSummary::Answer {
                    status: r.status,
                    code: s("code"),
                    message: s("message"),
                    json: json.clone(),
                    n: r.n,
                }
            }
            Sent::Failed { failure, .. } => SentSummary::Failed(failure.describe()),
            Sent::NotSent(r) => SentSummary::Failed(r.describe()),
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            SentSummary::Answer { status, .. } => Some(*status),
            SentSummary::Failed(_) => None,
        }
    }

    pub fn brief(&self) -> String {
        match self {
            SentSummary::Answer {
                status,
                code,
                message,
                ..
            } => match (code, message) {
                (Some(c), Some(m)) => format!("{status} {c} \"{m}\""),
                (Some(c), None) => format!("{status} {c}"),
                _ => format!("{status}"),
            },
            SentSummary::Failed(w) => w.clone(),
        }
    }
}

/// Everything observed in a run.
#[derive(Debug, Default)]
pub struct Facts {
    pub subject: Option<Subject>,
    /// The region the canonical request goes to first (configured, or from the user's URL).
    pub target: Option<&'static Region>,
    /// The credentials for the canonical request (cleaned of stray characters).
    pub creds: Option<Credentials>,
    /// Findings from the inputs alone.
    pub static_findings: Vec<Finding>,
    /// A cause proven before sending anything (placeholders).
    pub stop: Option<Finding>,
    /// The user's own request, when it differs from the canonical one.
    pub user: Option<Attempt>,
    /// The canonical request per region key.
    pub canonical: BTreeMap<&'static str, Attempt>,
    /// True once every region has been tried.
    pub scanned: bool,
    pub variants: Vec<(Variant, Attempt)>,
    /// One-dimension flips of the user's request toward the canonical one.
    pub flips: Vec<(Dim, Attempt)>,
    pub flips_region: Option<&'static Region>,
    /// All flips but one, per left-out dimension.
    pub confirm: Vec<(Dim, Attempt)>,
    /// Every flip at once: every defect seen fixed together.
    pub all_flipped: Option<Attempt>,
    /// The canonical request with the secret as its source holds it (line ending included).
    pub as_read: Option<Attempt>,
    /// The canonical request with the credentials as the author meant them ([`crate::intent`]).
    pub intent: Option<Attempt>,
    pub admin_token: Option<(&'static Region, Secret)>,
    pub admin_failure: Option<String>,
    /// The admin client's credentials were rejected (not throttled, not unreachable).
    pub admin_rejected: bool,
    pub client_view: Option<ClientView>,
    pub api: Vec<ApiResult>,
    /// The region whose API was checked with the client's token.
    pub api_region: Option<&'static Region>,
    /// Whether the user's host resolves (only checked for hosts outside the region domains).
    pub dns: Option<bool>,
    /// An access token given instead of client credentials, and its region.
    pub given_token: Option<(&'static Region, Secret)>,
}

impl Facts {
    /// The region where the canonical request got a token, if any.
    pub fn home(&self) -> Option<&'static Region> {
        let by_key = |k: &str| crate::region::by_key(k);
        if let Some(t) = self.target
            && self
                .canonical
                .get(t.key)
                .is_some_and(|a| a.outcome.is_token())
        {
            return Some(t);
        }
        self.canonical
            .iter()
            .find(|(_, a)| a.outcome.is_token())
            .and_then(|(k, _)| by_key(k))
    }

    /// True once any answer signalled throttling.
    pub fn throttled(&self) -> bool {
        self.all_attempts()
            .any(|a| matches!(a.outcome, TokenOutcome::Throttled { .. }))
            || self.api.iter().any(|r| r.sent.status() == Some(429))
    }

    pub fn all_attempts(&self) -> impl Iterator<Item = &Attempt> {
        self.user
            .iter()
            .chain(self.canonical.values())
            .chain(self.variants.iter().map(|(_, a)| a))
            .chain(self.flips.iter().map(|(_, a)| a))
            .chain(self.confirm.iter().map(|(_, a)| a))
    }

    /// The canonical attempt at the target region.
    pub fn target_attempt(&self) -> Option<&Attempt> {
        self.target.and_then(|t| self.canonical.get(t.key))
    }

    /// What the user's own request got: their attempt, or the canonical one when they are
    /// the same request.
    pub fn user_outcome(&self) -> Option<&Attempt> {
        match &self.subject {
            Some(s) if s.is_canonical => self.target_attempt(),
            Some(_) => self.user.as_ref(),
            None => None,
        }
    }

    /// True when the user's request (or canonical stand-in) got a token.
    pub fn user_got_token(&self) -> bool {
        self.user_outcome().is_some_and(|a| a.outcome.is_token())
    }

    /// The client's token usable for API checks: from the user's request, else canonical.
    pub fn client_token(&self) -> Option<(&'static Region, Secret)> {
        if let Some(t) = &self.given_token {
            return Some(t.clone());
        }
        let region_of = |a: &Attempt| crate::region::classify_host(&a.host).region();
        // With no URL or region given there is no "user's request": the sweep's token in the
        // client's home region is what the user would get there.
        let attempt = match &self.subject {
            Some(_) => self.user_outcome(),
            None => self.home().and_then(|h| self.canonical.get(h.key)),
        };
        if let Some(a) = attempt
            && let TokenOutcome::Token { token, .. } = &a.outcome
            && let Some(r) = region_of(a)
        {
            return Some((r, token.clone()));
        }
        None
    }

    /// A successful variant, if any.
    pub fn variant_success(&self) -> Option<Variant> {
        self.variants
            .iter()
            .find(|(_, a)| a.outcome.is_token())
            .map(|(v, _)| *v)
    }
}
