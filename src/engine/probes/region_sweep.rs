//! Probe `region-sweep`: with no region and no URL given, the canonical request in every
//! region at once (see `canonical.rs` for the canonical request).

use super::super::{Facts, Probe, ProbeOutcome, Session};
use super::canonical::record_scan;
use super::{canonical_many, halted};
use crate::region::REGIONS;
use futures_util::future::BoxFuture;

/// With no region and no URL given: the canonical request in every region at once.
pub struct RegionSweep;

impl Probe for RegionSweep {
    fn id(&self) -> &'static str {
        "region-sweep"
    }
    fn title(&self) -> &'static str {
        "Canonical token request in every region (no region given)"
    }
    fn ready(&self, _s: &Session, f: &Facts) -> bool {
        !halted(f) && f.creds.is_some() && f.target.is_none() && !f.scanned
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let (results, n) =
                canonical_many(s, REGIONS.iter().collect(), "canonical request").await;
            let winners = record_scan(&mut s.facts(), results);
            match winners.as_slice() {
                [] => ProbeOutcome::fail("no region issued a token", None),
                [one] => ProbeOutcome::pass(format!("a token was issued in {one} only")),
                many => ProbeOutcome::pass(format!("tokens were issued in {}", many.join(", "))),
            }
            .requests(n)
        })
    }
}
