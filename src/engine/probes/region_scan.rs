//! Probe `region-scan`: the canonical request rejected at the target, it is tried in every
//! other region at once; only the client's home region can issue a token for it.

use super::super::{Facts, Probe, ProbeOutcome, Session};
use super::canonical::record_scan;
use super::{canonical_many, halted};
use crate::catalogue::CauseId;
use crate::region::REGIONS;
use futures_util::future::BoxFuture;

/// The canonical request was rejected at the target: try every other region at once.
pub struct RegionScan;

impl Probe for RegionScan {
    fn id(&self) -> &'static str {
        "region-scan"
    }
    fn title(&self) -> &'static str {
        "Same credentials on every other region's login host"
    }
    fn ready(&self, _s: &Session, f: &Facts) -> bool {
        !halted(f)
            && !f.scanned
            && f.variant_success().is_none()
            && f.target_attempt()
                .is_some_and(|a| a.outcome.is_client_rejection())
    }
    fn skipped(&self, _s: &Session, f: &Facts) -> Option<String> {
        (f.target.is_some()
            && !f.scanned
            && f.target_attempt().is_some_and(|a| a.outcome.is_token()))
        .then(|| "not needed: the target region issued a token".to_string())
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let target = s.facts().target;
            let others = REGIONS.iter().filter(|r| Some(*r) != target).collect();
            let (results, n) = canonical_many(s, others, "canonical request").await;
            let sent = results.len();
            let winners = record_scan(&mut s.facts(), results);
            match winners.first() {
                Some(home) => ProbeOutcome::fail(
                    format!("the client's home region is {home}: a token was issued there"),
                    Some(CauseId::WrongRegion),
                ),
                None => ProbeOutcome::fail(
                    format!("none of the other {sent} regions issued a token"),
                    None,
                ),
            }
            .requests(n)
        })
    }
}
