//! Probe `canonical`: the canonical request at the target region. When it is rejected,
//! `region-scan` (region_scan.rs) tries the other regions; with no region at all,
//! `region-sweep` (region_sweep.rs) tries them all.
//!
//! The canonical request is what every official SDK sends: Basic header, form body with
//! `grant_type=client_credentials` and nothing else, at `login.<domain>/oauth/token`.
//! At the target region it separates "the request is wrong" (canonical gets a token, the
//! user's request does not) from "the credentials, region or client are wrong" (canonical is
//! rejected too). When it is rejected, the scan tries every other region at once: only the
//! client's home region can issue a token for it.

use super::super::facts::Attempt;
use super::super::{Facts, Probe, ProbeOutcome, Session};
use super::{attempt, canonical_at, halted};
use crate::http::Carries;
use crate::region::{REGIONS, Region};
use futures_util::future::BoxFuture;

pub struct Canonical;

impl Probe for Canonical {
    fn id(&self) -> &'static str {
        "canonical"
    }
    fn title(&self) -> &'static str {
        "Canonical token request at the target region"
    }
    fn ready(&self, _s: &Session, f: &Facts) -> bool {
        !halted(f)
            && f.creds.is_some()
            && f.target.is_some_and(|t| !f.canonical.contains_key(t.key))
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let (target, req) = {
                let f = s.facts();
                let Some(t) = f.target else {
                    return ProbeOutcome::pass("no target region");
                };
                match canonical_at(&f, t) {
                    Some(r) => (t, r),
                    None => return ProbeOutcome::pass("no credentials"),
                }
            };
            warm_up(s, target);
            let (a, sent) = attempt(
                s,
                &req,
                format!("canonical request at {}", target.login_host()),
                Carries::Credentials,
            )
            .await;
            let out = if a.outcome.is_token() {
                ProbeOutcome::pass(format!("{}: {}", target.key, a.outcome.brief()))
            } else {
                ProbeOutcome::fail(
                    format!("{}: {}", target.key, a.outcome.brief()),
                    a.outcome.service_cause(),
                )
            };
            s.facts().canonical.insert(target.key, a);
            out.requests(usize::from(sent))
        })
    }
}

/// While the canonical request is in flight, opens connections (no request) to the hosts
/// the next round may need: the target's API host (token check, client inspection) and every
/// other region's login host (region scan). A connection carries nothing until a probe sends
/// the same request it would send anyway.
pub(super) fn warm_up(s: &Session, target: &'static Region) {
    let mut urls = vec![format!("https://{}/", target.api_host())];
    urls.extend(
        REGIONS
            .iter()
            .filter(|r| r.key != target.key)
            .map(|r| format!("https://{}/", r.login_host())),
    );
    s.transport.preopen(&urls);
}

/// Records a scan's answers; returns the regions that issued a token.
pub(super) fn record_scan(
    f: &mut Facts,
    results: Vec<(&'static Region, Attempt)>,
) -> Vec<&'static str> {
    f.scanned = true;
    let mut winners = Vec::new();
    for (r, a) in results {
        if a.outcome.is_token() {
            winners.push(r.key);
        }
        f.canonical.insert(r.key, a);
    }
    winners
}
