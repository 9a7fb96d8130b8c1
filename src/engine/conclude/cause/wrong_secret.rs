//! GC205 wrong-secret as the engine proves it: the client record shows an active Client
//! Credentials client in the target region, so the secret is what is rejected.

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::region::Region;

/// The record is of an active Client Credentials client in `region`.
pub(crate) fn by_record(region: &Region) -> Finding {
    Finding::new(
        CauseId::WrongSecret,
        Severity::Error,
        format!(
            "the client exists in {} and is an active Client Credentials client, so the secret is what is rejected",
            region.key
        ),
    )
}

/// Beside a wrong region: the secret is rejected in the home region too.
pub(crate) fn also_at_home(region: &Region) -> Finding {
    Finding::new(
        CauseId::WrongSecret,
        Severity::Error,
        format!("the secret is rejected in {} too", region.key),
    )
    .proven()
}
