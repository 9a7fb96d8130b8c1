//! GC402 client-disabled as the engine proves it: the client record's state is not active.

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};

/// The client record's `state` is `state`; `to_delete` is its `dateToDelete`, if any.
pub(crate) fn by_record(state: &str, to_delete: &str) -> Finding {
    let extra = if to_delete.is_empty() {
        String::new()
    } else {
        format!(" (to be deleted {to_delete})")
    };
    Finding::new(
        CauseId::ClientDisabled,
        Severity::Error,
        format!("the OAuth client is {state}{extra}: it cannot get tokens"),
    )
}
