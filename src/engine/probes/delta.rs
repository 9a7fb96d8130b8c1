//! Probe `delta` (and, in delta_confirm.rs, `delta-confirm`): which difference from the canonical request makes the
//! user's request fail.
//!
//! The user's request and the canonical one are two points in a space of dimensions (host
//! and path, method, body format, content type, grant type, query, credential placement,
//! Basic header, encoding, stray characters, extra parameters). When the canonical request
//! gets a token and the user's does not, `delta` flips each differing dimension alone toward
//! the canonical value, all at once: a flip that turns the rejection into a token proves that
//! dimension is the cause, and that every other difference is harmless. When no single flip
//! does (two defects that each block the token, or a request that cannot even be sent as
//! written), `delta-confirm` applies every flip together and all flips but one, for each one:
//! with every defect fixed getting a token, the ones whose omission still fails are each
//! necessary (delta debugging's minimal set); when even every defect fixed fails, the defects
//! seen do not explain the failure and the verdict is inconclusive.

use super::super::facts::{Attempt, Facts, TokenOutcome};
use super::super::{Probe, ProbeOutcome, Session};
use super::{attempt, canonical_at, halted};
use crate::http::{Carries, Refused};
use crate::request::HttpRequest;
use crate::shape::{Dim, FixContext, apply};
use futures_util::future::BoxFuture;

/// True when the user's request failed in a way the flips can explain.
pub(super) fn user_failed(f: &Facts) -> bool {
    match &f.user {
        Some(a) => match &a.outcome {
            TokenOutcome::Token { .. }
            | TokenOutcome::Throttled { .. }
            | TokenOutcome::Network(_) => false,
            TokenOutcome::NotSent(r) => matches!(
                r,
                Refused::HostNotAllowed(_)
                    | Refused::Insecure(_)
                    | Refused::Invalid(_)
                    | Refused::Method(_)
            ),
            _ => true,
        },
        None => false,
    }
}

pub(super) fn context(f: &Facts) -> Option<(FixContext, &'static crate::region::Region)> {
    let home = f.home()?;
    let sub = f.subject.as_ref()?;
    Some((
        FixContext {
            token_url: home.token_url(),
            id: sub.meant.id.clone(),
            secret: sub.meant.secret.expose().to_string(),
        },
        home,
    ))
}

/// The parts of a request that matter to the token endpoint, for spotting duplicates.
pub(super) fn key(r: &HttpRequest) -> (String, String, Option<String>, Option<String>, Vec<u8>) {
    (
        r.method.to_ascii_uppercase(),
        r.url.clone(),
        r.header("authorization").map(str::to_string),
        r.media_type(),
        r.body.clone(),
    )
}

/// Sends a set of labelled requests at once, reusing the canonical answer for a request that
/// is the canonical one and sending duplicates once.
pub(super) async fn send_set(
    s: &Session,
    set: Vec<(Dim, String, HttpRequest)>,
) -> (Vec<(Dim, Attempt)>, usize) {
    let (canon, canon_attempt) = {
        let f = s.facts();
        let home = f.home();
        let c = home.and_then(|h| canonical_at(&f, h));
        let a = home.and_then(|h| f.canonical.get(h.key).cloned());
        (c, a)
    };
    let mut unique: Vec<(Dim, String, HttpRequest)> = Vec::new();
    let mut reused: Vec<(Dim, Attempt)> = Vec::new();
    for (d, label, req) in set {
        if let (Some(c), Some(a)) = (&canon, &canon_attempt)
            && key(c) == key(&req)
        {
            let mut a = a.clone();
            a.label = format!("{label} (= the canonical request)");
            reused.push((d, a));
            continue;
        }
        unique.push((d, label, req));
    }
    let futs = unique.iter().map(|(d, label, req)| async move {
        let (a, sent) = attempt(s, req, label.clone(), Carries::UserRequest).await;
        (*d, a, sent)
    });
    let results = futures_util::future::join_all(futs).await;
    let n = results.iter().filter(|r| r.2).count();
    let mut out: Vec<(Dim, Attempt)> = results.into_iter().map(|(d, a, _)| (d, a)).collect();
    out.extend(reused);
    out.sort_by_key(|(d, _)| *d);
    (out, n)
}

/// The user's request with every flip applied: the canonical answer when it is the
/// canonical request, else sent.
pub(super) async fn send_all(s: &Session, req: HttpRequest) -> (Attempt, bool) {
    let label = "your request with every difference made canonical".to_string();
    let reuse = {
        let f = s.facts();
        let home = f.home();
        match (
            home.and_then(|h| canonical_at(&f, h)),
            home.and_then(|h| f.canonical.get(h.key)),
        ) {
            (Some(c), Some(a)) if key(&c) == key(&req) => {
                let mut a = a.clone();
                a.label = format!("{label} (= the canonical request)");
                Some(a)
            }
            _ => None,
        }
    };
    match reuse {
        Some(a) => (a, false),
        None => attempt(s, &req, label, Carries::UserRequest).await,
    }
}

pub struct Delta;

impl Probe for Delta {
    fn id(&self) -> &'static str {
        "delta"
    }
    fn title(&self) -> &'static str {
        "Your request with one difference at a time set to canonical"
    }
    fn ready(&self, _s: &Session, f: &Facts) -> bool {
        !halted(f)
            && f.flips.is_empty()
            && user_failed(f)
            && context(f).is_some()
            && f.subject
                .as_ref()
                .is_some_and(|s| !s.analysis.dims().is_empty())
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let (set, home) = {
                let f = s.facts();
                let (Some((ctx, home)), Some(sub)) = (context(&f), f.subject.as_ref()) else {
                    return ProbeOutcome::pass("nothing to compare");
                };
                // Every flip is tried, even when the request as written cannot be sent (a
                // newline in its header): a flip that leaves it unsendable is refused
                // locally, one that repairs it may get a token.
                let set: Vec<(Dim, String, HttpRequest)> = sub
                    .analysis
                    .dims()
                    .into_iter()
                    .map(|d| {
                        let label =
                            format!("your request with only the {} made canonical", d.label());
                        (d, label, apply(&sub.request, d, &ctx))
                    })
                    .collect();
                (set, home)
            };
            let (flips, n) = send_set(s, set).await;
            let winners: Vec<&str> = flips
                .iter()
                .filter(|(_, a)| a.outcome.is_token())
                .map(|(d, _)| d.label())
                .collect();
            let out = if winners.is_empty() {
                ProbeOutcome::fail(
                    format!("no single change got a token ({} tried)", flips.len()),
                    None,
                )
            } else {
                let cause = flips
                    .iter()
                    .find(|(_, a)| a.outcome.is_token())
                    .map(|(d, _)| *d);
                let f = s.facts();
                let cause = cause
                    .zip(f.subject.as_ref())
                    .map(|(d, sub)| d.cause(&sub.analysis));
                ProbeOutcome::fail(
                    format!("fixing only the {} got a token", winners.join(" or the ")),
                    cause,
                )
            };
            let mut f = s.facts();
            f.flips = flips;
            f.flips_region = Some(home);
            out.requests(n)
        })
    }
}
