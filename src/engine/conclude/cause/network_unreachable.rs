//! GC104 network-unreachable as the engine proves it: no answer from the login host on the
//! first contact, or an API call with the token that failed before any answer.

use crate::catalogue::CauseId;
use crate::engine::facts::Attempt;
use crate::finding::{Finding, Severity};

/// The first contact got no answer; `why` says how it failed.
pub(crate) fn no_answer(a: &Attempt, why: &str) -> Finding {
    Finding::new(
        CauseId::NetworkUnreachable,
        Severity::Error,
        format!("no answer from {}: {why}", a.host),
    )
    .evidence(a.evidence())
    .proven()
}

/// An API call with the client's token failed before any answer.
pub(crate) fn api_call_failed(path: &str, why: &str, ev: String) -> Finding {
    Finding::new(
        CauseId::NetworkUnreachable,
        Severity::Error,
        format!("the API call {path} failed: {why}"),
    )
    .evidence(ev)
    .proven()
}
