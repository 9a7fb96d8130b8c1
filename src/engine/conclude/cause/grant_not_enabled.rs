//! GC401 grant-not-enabled as the engine proves it: the service answers
//! `unauthorized_client`, or the client record shows another grant type.

use crate::catalogue::CauseId;
use crate::engine::facts::Attempt;
use crate::finding::{Finding, Severity};

/// The target's answer is `unauthorized_client`.
pub(crate) fn unauthorized_client(a: &Attempt) -> Finding {
    Finding::new(
        CauseId::GrantNotEnabled,
        Severity::Error,
        "the service answers unauthorized_client: this client may not use the client-credentials grant",
    )
    .evidence(a.evidence())
    .evidence("RFC 6749 §5.2: unauthorized_client means the authenticated client is not authorized to use this grant type")
    .proven()
}

/// The client record's `authorizedGrantType` is `grant`.
pub(crate) fn by_record(grant: &str) -> Finding {
    Finding::new(
        CauseId::GrantNotEnabled,
        Severity::Error,
        format!("the OAuth client's grant type is {grant}, not Client Credentials"),
    )
}
