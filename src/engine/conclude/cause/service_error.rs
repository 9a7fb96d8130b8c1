//! GC502 service-error as the engine proves it: the first contact got no OAuth answer (a 5xx,
//! an HTML page, an empty body), or an API call answered 5xx.

use crate::catalogue::CauseId;
use crate::engine::facts::Attempt;
use crate::finding::{Finding, Severity};

/// The login host's answer to the first contact is not an OAuth answer.
pub(crate) fn not_oauth(a: &Attempt) -> Finding {
    Finding::new(
        CauseId::ServiceError,
        Severity::Error,
        format!("{} did not give an OAuth answer", a.host),
    )
    .evidence(a.evidence())
    .proven()
}

/// An API call with the client's token answered 5xx.
pub(crate) fn api_error(path: &str, status: u16, ev: String) -> Finding {
    Finding::new(
        CauseId::ServiceError,
        Severity::Error,
        format!("{path} answered {status}"),
    )
    .evidence(ev)
    .proven()
}

/// Evidence added when the first contact was the sweep of every region.
pub(crate) fn swept(tried: usize) -> String {
    format!("no region's login host gave an OAuth answer ({tried} tried)")
}
