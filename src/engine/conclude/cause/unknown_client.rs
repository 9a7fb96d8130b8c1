//! GC206 (unknown client) as the engine proves it, in one place: the admin's organisation has
//! no client with this id, or every region answers "client not found". The static check's
//! warning for an id that is not UUID-shaped is in `src/shape/values.rs`.

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::region::Region;

/// The client record is not found (404) with the admin token; `scanned` is the number of
/// regions tried, when all were.
pub(crate) fn not_in_org(
    region: &Region,
    n: usize,
    first: &[String],
    scanned: Option<usize>,
) -> Finding {
    let mut c = Finding::new(
        CauseId::UnknownClient,
        Severity::Error,
        format!("no OAuth client with this id exists in the admin's organisation ({}), and no region issued a token", region.key),
    )
    .evidence(format!("#{n} GET /api/v2/oauth/clients/{{id}} with the admin token → 404"))
    .proven();
    for e in first {
        c = c.evidence(e.clone());
    }
    if let Some(total) = scanned {
        c = c.evidence(format!("all {total} regions rejected the credentials"));
    }
    c
}

/// Every region answers the legacy "client not found" text.
pub(crate) fn not_found_everywhere(tried: usize, first: &[String]) -> Finding {
    let mut c = Finding::new(
        CauseId::UnknownClient,
        Severity::Error,
        format!("every region answers \"client not found\": no region knows this client id ({tried} tried)"),
    )
    .proven();
    for e in first {
        c = c.evidence(e.clone());
    }
    c
}
