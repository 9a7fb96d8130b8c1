//! GC501 rate-limited as the engine proves it: the login service throttles the first
//! contact, or the Platform API throttles the token.

use crate::catalogue::CauseId;
use crate::engine::facts::Attempt;
use crate::finding::{Finding, Severity};
use crate::region::Region;

/// The login service answered the first contact with a throttle.
pub(crate) fn login_throttled(a: &Attempt, retry_after: Option<&str>) -> Finding {
    let mut x = Finding::new(
        CauseId::RateLimited,
        Severity::Error,
        format!(
            "the login service is throttling token requests at {}",
            a.host
        ),
    )
    .evidence(a.evidence())
    .evidence("gcdoctor stopped sending at once; nothing was retried into the limit")
    .proven();
    if let Some(r) = retry_after {
        x = x.evidence(retry_after_words(r));
    }
    x
}

/// What to do before running again.
pub(crate) fn settle_hint() -> String {
    "wait a minute (the login service's window), then run gcdoctor again; do not retry in a loop"
        .into()
}

/// The Platform API throttles calls with the client's token.
pub(crate) fn api_throttled(region: Option<&Region>, ev: String) -> Finding {
    Finding::new(
        CauseId::RateLimited,
        Severity::Error,
        format!(
            "the Platform API in {} is throttling this token",
            region.map_or("this region", |r| r.key)
        ),
    )
    .evidence(ev)
    .proven()
}

/// A `Retry-After` value as evidence: shortened, and an absurd wait called so (gcdoctor
/// never waits for it anyway).
fn retry_after_words(value: &str) -> String {
    let v = value.trim();
    let mut shown: String = v.chars().take(40).collect();
    if v.chars().count() > 40 {
        shown.push('…');
    }
    let numeric = !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit());
    if numeric && !matches!(v.parse::<u64>(), Ok(secs) if secs <= 3600) {
        format!("Retry-After: {shown} s (over an hour; gcdoctor neither waits nor retries)")
    } else if numeric {
        format!("Retry-After: {shown} s")
    } else {
        format!("Retry-After: {shown}")
    }
}
