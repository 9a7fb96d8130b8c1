//! GC403 no-roles as the engine proves it: a token is issued to a client without roles (seen
//! in its record or in `/api/v2/tokens/me`), an API call is refused for it, or, beside
//! another cause, a warning that the token will do nothing once issued.

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};

/// A token is issued; `source` says where the empty role list was seen.
pub(crate) fn token_useless(source: String) -> Finding {
    Finding::new(
        CauseId::NoRoles,
        Severity::Error,
        "a token is issued, but the client has no roles: the token can do nothing",
    )
    .evidence(source)
    .proven()
}

/// An API call at `path` is refused (403) and the client has no roles.
pub(crate) fn api_refused(path: &str, ev: String, source: String) -> Finding {
    Finding::new(
        CauseId::NoRoles,
        Severity::Error,
        format!("{path} is refused: the client has no roles"),
    )
    .evidence(ev)
    .evidence(source)
    .proven()
}

/// The client record lists no roles, beside the cause of the rejection.
pub(crate) fn warning() -> Finding {
    Finding::new(
        CauseId::NoRoles,
        Severity::Warning,
        "the client has no roles: once it gets a token, the token can do nothing",
    )
    .proven()
}
