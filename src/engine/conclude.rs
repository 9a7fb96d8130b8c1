//! From observations to the one cause, and the report.
//!
//! The rules, in order (the first that applies names the cause):
//!
//! 1. template credentials (GC208): nothing was sent;
//! 2. the first contact (the user's request, or the canonical one) was throttled (GC501),
//!    never reached the service (GC104), or got a non-OAuth or 5xx answer (GC502);
//! 3. the user's request got a token: the token check decides (GC403/GC404/GC405, or healthy);
//! 4. the canonical request got a token in another region than the target: GC103;
//! 5. the canonical request got a token and the user's request did not: the flips decide
//!    (the cause of the dimension whose flip alone got a token, or of the minimal set);
//! 6. the canonical request was rejected everywhere: a credential variant that got a token,
//!    an `unauthorized_client` answer, the client record (GC401/GC402/GC205/GC206), or the
//!    legacy "client not found" text in every region decide; otherwise inconclusive (GC900),
//!    naming the input that would settle it.
//!
//! A defect seen in the request but not needed to explain the failure stays a finding; if
//! the service accepted it (a token was issued with it in place) it is downgraded to a
//! warning and says so.

use super::Session;
use super::facts::{Attempt, ClientView, Facts, Subject, TokenOutcome, Variant};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::region::{self, HostKind, Region};
use crate::report::{Check, RegionInfo, Report, ReportKind, Verdict};
use crate::request::SdkSetting;
use crate::shape::Dim;

mod admin_access;
mod as_read;
mod cause;
mod client_record;
mod intent;
pub(crate) mod ip_allowed;
mod token;

use cause::{inconclusive, rate_limited};
use client_record::{client_record_verdict, legacy_texts};
use token::token_verdict;

/// Findings being assembled into a verdict.
struct Builder {
    cause: Option<Finding>,
    findings: Vec<Finding>,
    settle: Vec<String>,
    verdict: Option<Verdict>,
}

impl Builder {
    fn new(static_findings: &[Finding]) -> Builder {
        Builder {
            cause: None,
            findings: static_findings.to_vec(),
            settle: Vec::new(),
            verdict: None,
        }
    }

    /// Sets the cause; a static finding of the same cause and summary is replaced by it.
    fn cause(&mut self, f: Finding) {
        if self.cause.is_none() {
            self.findings
                .retain(|x| !(x.cause == f.cause && (x.summary == f.summary || !x.proven)));
            self.cause = Some(f);
        } else {
            self.add(f);
        }
    }

    fn add(&mut self, f: Finding) {
        if !self
            .findings
            .iter()
            .any(|x| x.cause == f.cause && x.summary == f.summary)
        {
            self.findings.push(f);
        }
    }

    /// The static finding(s) of a dimension, proven as errors with extra evidence.
    fn prove_dim(
        &mut self,
        sub: &Subject,
        d: Dim,
        cause: CauseId,
        evidence: &[String],
        as_cause: bool,
    ) {
        // Already the cause (e.g. GC103 found by the region scan, then again by the flip of
        // the host): one finding, with both proofs.
        if !as_cause
            && let Some(c) = self.cause.as_mut()
            && c.cause == cause
        {
            for e in evidence {
                if !c.evidence.contains(e) {
                    c.evidence.push(e.clone());
                }
            }
            return;
        }
        let mut found: Vec<Finding> = sub
            .analysis
            .defects
            .iter()
            .filter(|x| x.dim == Some(d))
            .map(|x| x.finding.clone())
            .collect();
        if found.is_empty() {
            found.push(cause::dimension_differs(cause, d));
        }
        for (i, mut f) in found.into_iter().enumerate() {
            self.findings
                .retain(|x| !(x.cause == f.cause && x.summary == f.summary));
            if f.cause != cause {
                f.evidence
                    .push(format!("(seen as {} {})", f.cause.code(), f.cause.name()));
                f.cause = cause;
                f.fix = cause.fix().to_string();
            }
            f.severity = Severity::Error;
            f.proven = true;
            // The proof first, then what the input showed.
            let seen = std::mem::take(&mut f.evidence);
            f.evidence = evidence.iter().cloned().chain(seen).collect();
            if as_cause && i == 0 {
                self.cause(f);
            } else {
                self.add(f);
            }
        }
    }

    /// The static findings of a dimension the service accepted.
    fn accepted_dim(&mut self, sub: &Subject, d: Dim, why: &str) {
        for x in sub.analysis.defects.iter().filter(|x| x.dim == Some(d)) {
            if let Some(f) = self
                .findings
                .iter_mut()
                .find(|y| y.cause == x.finding.cause && y.summary == x.finding.summary)
            {
                if f.severity == Severity::Error {
                    f.severity = Severity::Warning;
                }
                f.evidence.push(why.to_string());
            }
        }
    }

    fn verdict(&self) -> Verdict {
        if let Some(v) = self.verdict {
            return v;
        }
        match &self.cause {
            Some(c) if c.cause == CauseId::Inconclusive => Verdict::Inconclusive,
            Some(c) if c.cause == CauseId::Healthy => Verdict::Healthy,
            Some(_) => Verdict::CauseFound,
            None => Verdict::Healthy,
        }
    }
}

/// Builds the report of a finished run.
pub fn report(s: &Session, checks: Vec<Check>) -> Report {
    let f = s.facts();
    let mut b = Builder::new(&f.static_findings);
    decide(s, &f, &mut b);
    admin_access::admin_failed(&f, &mut b);
    as_read::prove(&f, &mut b);
    if let Some(sdk) = s.inputs.imported.as_ref().and_then(|i| i.sdk.as_ref()) {
        sdk_fixes(sdk, &f, &mut b);
    }
    let verdict = b.verdict();

    let mut r = Report::new(ReportKind::Diagnose);
    r.verdict = verdict;
    let mut findings = Vec::new();
    let mut cause = None;
    if let Some(c) = b.cause.take() {
        if verdict == Verdict::CauseFound {
            cause = Some(0);
        }
        findings.push(c);
    }
    let mut rest = b.findings;
    rest.sort_by_key(|x| (x.severity, x.cause));
    findings.extend(rest);
    r.findings = findings;
    r.cause = cause;
    r.region = RegionInfo {
        configured: f.target,
        detected: f.home().or_else(|| match &f.client_view {
            Some(ClientView::Found { region, .. }) => Some(*region),
            _ => None,
        }),
    };
    r.requests_sent = s.transport.sent();
    r.checks = checks;
    let lead = r.cause_finding().map(|c| c.cause);
    attach_cause(&mut r.checks, lead);
    admin_access::healthy_without_failures(&mut r);
    r.exchanges = s.transport.exchanges();
    r.inputs = s.inputs.sources.clone();
    r.settle = b.settle;
    r.notes = s.inputs.notes.clone();
    r.target = f
        .subject
        .as_ref()
        .map(|x| crate::secret::mask::url(&x.request.url))
        .or_else(|| f.target.map(|t| t.token_url()));
    r
}

/// With an SDK script the SDK builds the token URL, so the fix of a wrong region or host
/// names the SDK setting to change and the region constant: the client's home region once a
/// probe found it, else the region the request aimed at.
fn sdk_fixes(sdk: &SdkSetting, f: &Facts, b: &mut Builder) {
    let home = f.home().or(match &f.client_view {
        Some(ClientView::Found { region, .. }) => Some(*region),
        _ => None,
    });
    for x in b.cause.iter_mut().chain(b.findings.iter_mut()) {
        let region = match x.cause {
            CauseId::WrongRegion => home,
            CauseId::WrongTokenUrl | CauseId::UnknownDomain => home.or(f.target),
            _ => continue,
        };
        if x.severity != Severity::Info {
            x.fix = sdk.fix(region);
        }
    }
}

/// Puts the report's cause on exactly one check: the last probe that names it, or else the
/// probe whose observations prove it. (JUnit hangs the cause's failure on that check.)
fn attach_cause(checks: &mut [Check], cause: Option<CauseId>) {
    let Some(cause) = cause else { return };
    let last = checks.iter().rposition(|c| c.cause == Some(cause));
    for (i, c) in checks.iter_mut().enumerate() {
        if c.cause == Some(cause) && Some(i) != last {
            c.cause = None;
        }
    }
    if last.is_some() {
        return;
    }
    use crate::report::CheckStatus;
    let prefer: &[&str] = match cause {
        CauseId::RateLimited | CauseId::ServiceError | CauseId::NetworkUnreachable => &[
            "user-request",
            "canonical",
            "region-sweep",
            "region-scan",
            "token-check",
        ],
        CauseId::WrongRegion => &["region-scan", "region-sweep", "delta", "canonical"],
        CauseId::WrongSecret
        | CauseId::UnknownClient
        | CauseId::GrantNotEnabled
        | CauseId::ClientDisabled => &["client-inspect", "region-scan", "canonical"],
        CauseId::NoRoles | CauseId::MissingPermission | CauseId::UserContextRequired => {
            &["token-check", "client-inspect"]
        }
        CauseId::IdSecretSwapped | CauseId::SecretEncoding => {
            &["variants", "delta-confirm", "delta"]
        }
        CauseId::PlaceholderCredentials => &["inputs"],
        _ => &[
            "delta-confirm",
            "delta",
            "token-url",
            "request-shape",
            "inputs",
            "canonical",
            "region-scan",
        ],
    };
    let target = prefer
        .iter()
        .find_map(|id| {
            checks
                .iter()
                .position(|c| c.id == *id && c.status == CheckStatus::Fail)
        })
        .or_else(|| checks.iter().rposition(|c| c.status == CheckStatus::Fail));
    if let Some(i) = target {
        checks[i].cause = Some(cause);
    }
}

fn decide(s: &Session, f: &Facts, b: &mut Builder) {
    if let Some(stop) = &f.stop {
        b.cause(cause::placeholder_credentials::nothing_sent(stop));
        return;
    }
    // The user's own request counts here only when it goes to the token endpoint: an HTML
    // page or a reset from a wrong host is the wrong host's doing, for the flips to prove.
    let user_at_endpoint = f
        .subject
        .as_ref()
        .is_some_and(|s| !s.analysis.dims().contains(&Dim::Url));
    if f.given_token.is_some() {
        token_verdict(s, f, b);
        return;
    }
    let first: Vec<&Attempt> = [
        f.user_outcome().filter(|_| user_at_endpoint),
        f.target_attempt(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let swept = first.is_empty();
    let first = if swept {
        sweep_without_answer(f)
    } else {
        first
    };
    if let Some(mut c) = first_contact_failure(&first) {
        if swept {
            c = c.evidence(cause::service_error::swept(first.len()));
        }
        let throttled = c.cause == CauseId::RateLimited;
        b.cause(c);
        if throttled {
            b.settle.push(rate_limited::settle_hint());
        }
        return;
    }
    if f.user_got_token() {
        if let Some(sub) = &f.subject {
            for d in sub.analysis.dims() {
                b.accepted_dim(
                    sub,
                    d,
                    "accepted by the service: your request got a token with it in place",
                );
            }
        }
        token_verdict(s, f, b);
        return;
    }
    if let Some(home) = f.home() {
        if let Some(target) = f.target
            && target != home
        {
            b.cause(cause::wrong_region::by_token(f, target, home));
            if let Some(sub) = f.subject.as_ref().filter(|x| !x.is_canonical) {
                delta_verdict(f, b, sub, home, false);
            }
            return;
        }
        match f.subject.as_ref().filter(|x| !x.is_canonical) {
            Some(sub) => delta_verdict(f, b, sub, home, true),
            None => token_verdict(s, f, b),
        }
        return;
    }
    if intent::proved(s, f, b) {
        return;
    }
    rejected_everywhere(s, f, b);
}

/// With no target region the first contact is the sweep. When no region's login host gave
/// an OAuth answer (all throttled, unreachable or answering something else), that is the
/// cause, not "rejected everywhere": the most telling attempt first (throttling, then a
/// non-OAuth answer, then no answer).
fn sweep_without_answer(f: &Facts) -> Vec<&Attempt> {
    let answered = |a: &Attempt| {
        matches!(
            a.outcome,
            TokenOutcome::Token { .. }
                | TokenOutcome::Rejected { .. }
                | TokenOutcome::Refused { .. }
        )
    };
    if !f.scanned || f.canonical.is_empty() || f.canonical.values().any(answered) {
        return Vec::new();
    }
    let rank = |a: &Attempt| match a.outcome {
        TokenOutcome::Throttled { .. } => 0,
        TokenOutcome::ServiceError { .. } => 1,
        _ => 2,
    };
    let mut all: Vec<&Attempt> = f.canonical.values().collect();
    all.sort_by_key(|a| rank(a));
    all
}

/// GC501, GC104 or GC502 on the first contact with the service.
fn first_contact_failure(first: &[&Attempt]) -> Option<Finding> {
    for a in first {
        match &a.outcome {
            TokenOutcome::Throttled { retry_after, .. } => {
                return Some(rate_limited::login_throttled(a, retry_after.as_deref()));
            }
            TokenOutcome::Network(fail) => {
                // An unknown host that does not resolve is GC102, not a network failure.
                if region::classify_host(&a.host) == HostKind::Unknown {
                    continue;
                }
                return Some(cause::network_unreachable::no_answer(a, &fail.describe()));
            }
            TokenOutcome::ServiceError { .. } => {
                return Some(cause::service_error::not_oauth(a));
            }
            _ => {}
        }
    }
    None
}

/// The canonical request got a token at `home`, the user's did not.
fn delta_verdict(f: &Facts, b: &mut Builder, sub: &Subject, home: &'static Region, primary: bool) {
    let base: Vec<String> = [f.user.as_ref(), f.canonical.get(home.key)]
        .into_iter()
        .flatten()
        .map(Attempt::evidence)
        .collect();
    let dims = sub.analysis.dims();
    let dim_cause = |d: Dim| -> CauseId {
        if d == Dim::Url
            && let Some(host) = sub.request.host()
            && let HostKind::Login(r) = region::classify_host(&host)
            && r != home
            && sub
                .request
                .parsed_url()
                .is_some_and(|u| u.scheme() == "https" && u.path() == "/oauth/token")
        {
            return CauseId::WrongRegion;
        }
        d.cause(&sub.analysis)
    };
    let winners: Vec<&(Dim, Attempt)> = f
        .flips
        .iter()
        .filter(|(_, a)| a.outcome.is_token())
        .collect();
    if !winners.is_empty() {
        for (i, (d, a)) in winners.iter().enumerate() {
            let mut ev = base.clone();
            ev.push(a.evidence());
            b.prove_dim(sub, *d, dim_cause(*d), &ev, primary && i == 0);
        }
        let won: Vec<Dim> = winners.iter().map(|(d, _)| *d).collect();
        let label = won
            .iter()
            .map(|d| d.label())
            .collect::<Vec<_>>()
            .join(" or the ");
        for d in dims.iter().filter(|d| !won.contains(d)) {
            b.accepted_dim(sub, *d, &format!("accepted by the service: fixing only the {label} got a token with this still in place"));
        }
        return;
    }
    let all_fixed_fails = f
        .all_flipped
        .as_ref()
        .is_some_and(|a| !a.outcome.is_token());
    if !f.confirm.is_empty() && !all_fixed_fails {
        let needed: Vec<&(Dim, Attempt)> = f
            .confirm
            .iter()
            .filter(|(_, a)| !a.outcome.is_token())
            .collect();
        if !needed.is_empty() {
            for (i, (d, a)) in needed.iter().enumerate() {
                let mut ev = base.clone();
                ev.push(a.evidence());
                ev.push("no single change was enough: each of these is needed".into());
                b.prove_dim(sub, *d, dim_cause(*d), &ev, primary && i == 0);
            }
            let needed_dims: Vec<Dim> = needed.iter().map(|(d, _)| *d).collect();
            for (d, _) in f.confirm.iter().filter(|(d, _)| !needed_dims.contains(d)) {
                b.accepted_dim(
                    sub,
                    *d,
                    "accepted by the service: the request got a token with this still in place",
                );
            }
            return;
        }
    }
    if !primary {
        return;
    }
    // A URL that could not be tried (host not allowed) is certainly wrong: it is the cause.
    if let Some(d) = sub
        .analysis
        .defects
        .iter()
        .find(|d| d.dim == Some(Dim::Url) && d.finding.severity == Severity::Error)
    {
        let mut ev = base.clone();
        if let Some(dns) = f.dns {
            ev.push(if dns {
                "the host resolves, but it is not Genesys Cloud's".into()
            } else {
                "the host does not resolve".into()
            });
        }
        b.prove_dim(sub, Dim::Url, d.finding.cause, &ev, true);
        return;
    }
    let mut seen = base.clone();
    seen.extend(
        f.flips
            .iter()
            .chain(f.confirm.iter())
            .map(|(_, a)| a.evidence()),
    );
    let all_fixed = f
        .all_flipped
        .as_ref()
        .filter(|_| all_fixed_fails)
        .map(Attempt::evidence);
    b.cause(inconclusive::unexplained_difference(
        &seen,
        all_fixed,
        &header_names(&sub.request),
    ));
    b.settle.push(inconclusive::settle_compare());
}

fn header_names(r: &crate::request::HttpRequest) -> String {
    let names: Vec<&str> = r.headers.iter().map(|(k, _)| k.as_str()).collect();
    if names.is_empty() {
        "(none)".into()
    } else {
        names.join(", ")
    }
}

/// The canonical request was rejected, and no region issued a token.
fn rejected_everywhere(s: &Session, f: &Facts, b: &mut Builder) {
    let mut first: Vec<String> = [f.user_outcome(), f.target_attempt()]
        .into_iter()
        .flatten()
        .map(Attempt::evidence)
        .collect::<Vec<_>>();
    first.dedup();
    if let Some(v) = f.variant_success() {
        b.cause(variant_proven(f, v, &first));
        return;
    }
    // A URL defect the user's request certainly has is the first thing to fix.
    if let Some(sub) = f.subject.as_ref()
        && !sub.is_canonical
        && let Some(d) = sub
            .analysis
            .defects
            .iter()
            .find(|d| d.dim == Some(Dim::Url) && d.finding.severity == Severity::Error)
        // …when the user's request never reached a token endpoint: not sent, or answered by
        // something that is not the OAuth service (a 404 from the API host, an HTML page).
        && (f.target.is_none()
            || matches!(
                f.user.as_ref().map(|a| &a.outcome),
                Some(
                    TokenOutcome::NotSent(_)
                        | TokenOutcome::Refused { .. }
                        | TokenOutcome::ServiceError { .. }
                )
            ))
    {
        let mut c = d.finding.clone();
        if let Some(dns) = f.dns {
            c = c.evidence(if dns {
                "the host resolves, but it is not Genesys Cloud's"
            } else {
                "the host does not resolve"
            });
        }
        b.cause(c);
        b.add(inconclusive::credentials_also_rejected());
        b.settle.push(inconclusive::settle_admin());
        return;
    }
    let ta = f.target_attempt();
    if let Some(a) = ta
        && let TokenOutcome::Rejected { error, .. } = &a.outcome
        && error.error == "unauthorized_client"
    {
        b.cause(cause::grant_not_enabled::unauthorized_client(a));
        return;
    }
    match &f.client_view {
        Some(ClientView::Found { region, json, n }) => {
            client_record_verdict(f, b, region, json, *n, &first);
            return;
        }
        Some(ClientView::NotFound { region, n }) => {
            let scanned = f.scanned.then_some(f.canonical.len());
            b.cause(cause::unknown_client::not_in_org(
                region, *n, &first, scanned,
            ));
            return;
        }
        Some(ClientView::Unavailable { why }) => {
            b.settle.push(inconclusive::settle_record_unreadable(why))
        }
        None => {}
    }
    if let Some(c) = legacy_texts(f, &first) {
        b.cause(c);
        if b.cause
            .as_ref()
            .is_some_and(|c| c.cause == CauseId::Inconclusive)
        {
            b.settle
                .extend([inconclusive::settle_admin(), ip_allowed::settle_hint()]);
        }
        return;
    }
    inconclusive_everywhere(s, f, b, &first);
}

/// The cause proven by a variant of the user's values that got a token.
fn variant_proven(f: &Facts, v: Variant, first: &[String]) -> Finding {
    let mut ev = first.to_vec();
    if let Some((_, a)) = f.variants.iter().find(|(x, _)| *x == v) {
        ev.push(a.evidence());
    }
    match v {
        Variant::Swapped => cause::id_secret_swapped::by_variant(&ev),
        Variant::Decoded => cause::secret_encoding::decoded(&ev),
        Variant::PlusRestored => cause::secret_encoding::plus_restored(&ev),
    }
}

/// No rule explains the rejection: inconclusive, with what would settle it.
fn inconclusive_everywhere(s: &Session, f: &Facts, b: &mut Builder, first: &[String]) {
    let scanned = f.scanned.then_some(f.canonical.len());
    b.cause(inconclusive::rejected(first, scanned, f.throttled()));
    if f.throttled() {
        b.settle.push(inconclusive::settle_wait());
    }
    if s.inputs.admin.is_none() {
        b.settle.push(inconclusive::settle_admin());
    }
    if f.target.is_none() {
        b.settle.push(inconclusive::settle_region());
    }
    b.settle
        .extend([inconclusive::settle_secret(), ip_allowed::settle_hint()]);
}
