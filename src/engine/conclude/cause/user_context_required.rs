//! GC405 user-context-required as the engine proves it: the API answers that the call needs
//! a user.

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};

/// `path` answered that it needs a user context.
pub(crate) fn api_needs_user(path: &str, ev: String) -> Finding {
    Finding::new(
        CauseId::UserContextRequired,
        Severity::Error,
        format!("{path} needs a user: client-credentials tokens have no user context"),
    )
    .evidence(ev)
    .proven()
}
