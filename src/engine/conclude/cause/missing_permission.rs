//! GC404 missing-permission as the engine proves it: an API call with the token is refused
//! (403) and the client has roles; the fix names the permission the answer names.

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};

/// `path` is refused for lack of `perms` (from the answer's message; empty when it names
/// none); `source` says where the client's roles were seen.
pub(crate) fn refused(path: &str, perms: &[String], ev: String, source: Option<String>) -> Finding {
    let what = if perms.is_empty() {
        "a permission".to_string()
    } else {
        perms.join(" or ")
    };
    let mut x = Finding::new(
        CauseId::MissingPermission,
        Severity::Error,
        format!("{path} is refused: the client's roles lack {what}"),
    )
    .evidence(ev)
    .fix(format!("Add a role granting {what} to the OAuth client (Admin > Integrations > OAuth > Roles), or add the permission to one of its roles."))
    .proven();
    if let Some(source) = source {
        x = x.evidence(source);
    }
    x
}
