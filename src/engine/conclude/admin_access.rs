//! Admin access that failed is its own finding: the admin client's token request was
//! rejected (or the API refused the admin token), so the client record, which tells GC205,
//! GC206, GC401 and GC402 apart, could not be read. "To settle it" then says that the admin
//! access given failed instead of asking for admin access the user already gave. In a
//! healthy report the failed admin check is shown as not needed.

use super::Builder;
use super::cause::inconclusive;
use crate::engine::facts::Facts;
use crate::report::Verdict;

pub(super) fn admin_failed(f: &Facts, b: &mut Builder) {
    let Some(why) = f.admin_failure.as_ref().filter(|_| f.admin_rejected) else {
        return;
    };
    let own_rejected = f
        .target_attempt()
        .is_some_and(|a| a.outcome.is_client_rejection());
    let x = inconclusive::admin_failed(why, own_rejected && f.admin_token.is_none());
    b.add(x);
    if b.verdict() == Verdict::Inconclusive {
        b.settle.retain(|x| !x.starts_with("admin access, to read"));
        b.settle.insert(0, inconclusive::settle_admin_failed(why));
    }
}

/// A healthy report carries no failed check: a check that failed without deciding the
/// verdict (admin access that failed while the client itself got a usable token) did not
/// matter to it, and its finding, if any, says what went wrong.
pub(super) fn healthy_without_failures(r: &mut crate::report::Report) {
    if r.verdict != Verdict::Healthy {
        return;
    }
    for c in r
        .checks
        .iter_mut()
        .filter(|c| c.status == crate::report::CheckStatus::Fail)
    {
        c.status = crate::report::CheckStatus::Skip;
        c.summary = format!("not needed for the verdict: {}", c.summary);
    }
}
