//! GC406 ip-not-allowed as the engine words it: a client record limited to allowed IP ranges
//! with an answer that is not a wrong secret's, the same record with the plain answer (a
//! warning beside an inconclusive verdict), or a token whose permission-free API call is
//! refused. When each is concluded is decided in `super::super::ip_allowed`.

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};

/// The record's ranges deny this machine, and the answer is not a wrong secret's.
pub(crate) fn by_record(ranges: &[String]) -> Finding {
    Finding::new(
        CauseId::IpNotAllowed,
        Severity::Error,
        format!(
            "the client accepts token requests only from {}, and the service denies this machine with an answer that is not a wrong secret's",
            ranges.join(", ")
        ),
    )
    .proven()
}

/// The record's ranges, beside an answer that a wrong secret gives too.
pub(crate) fn possible(ranges: &[String]) -> Finding {
    Finding::new(
        CauseId::IpNotAllowed,
        Severity::Warning,
        format!(
            "the client accepts token requests only from {}: a caller outside them is denied",
            ranges.join(", ")
        ),
    )
    .evidence(
        "the service gives the same answer for a wrong secret, so the answer cannot tell which",
    )
}

/// `path` needs no permission and is refused with a 403 `code` that names none.
pub(crate) fn api_refused(path: &str, code: &str, ev: &str) -> Finding {
    Finding::new(
        CauseId::IpNotAllowed,
        Severity::Error,
        format!(
            "a token is issued, but {path} is refused (403 {code}) although it needs no permission: the org's Allowed IP Addresses likely exclude this machine"
        ),
    )
    .evidence(ev.to_string())
    .evidence("Genesys Cloud applies the org's Allowed IP Addresses to API calls too")
}
