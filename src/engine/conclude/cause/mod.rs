//! The words of every cause the engine concludes: one file per catalogue cause, named as the
//! catalogue names it (`wrong_region.rs` for GC103 wrong-region, `unknown_client.rs` for
//! GC206 unknown-client, …), with one builder per way the engine proves it. A builder makes
//! the finding (summary, evidence, severity, proof) from what was observed; its fix is the
//! catalogue's ([`crate::catalogue`]) unless the observation makes a more specific one (the
//! region to post to, the permission to add).
//!
//! The rules that decide *which* cause wins stay in the ordered decision procedure of
//! [`super`] (`src/engine/conclude.rs`) and its rule groups (`token.rs`, `client_record.rs`,
//! `ip_allowed.rs`, `intent.rs`); those call the builders here and hold no wording of their
//! own. The static checks' words for the same causes are in `src/shape/`.

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::shape::Dim;

pub(super) mod client_disabled;
pub(super) mod grant_not_enabled;
pub(super) mod healthy;
pub(super) mod id_secret_swapped;
pub(super) mod inconclusive;
pub(super) mod ip_not_allowed;
pub(super) mod missing_permission;
pub(super) mod network_unreachable;
pub(super) mod no_roles;
pub(super) mod placeholder_credentials;
pub(super) mod rate_limited;
pub(super) mod secret_encoding;
pub(super) mod service_error;
pub(super) mod unknown_client;
pub(super) mod user_context_required;
pub(super) mod wrong_region;
pub(super) mod wrong_secret;

/// A request dimension's cause (GC101–GC306) proven by its flip when the static analysis
/// had no finding for it to prove.
pub(super) fn dimension_differs(cause: CauseId, d: Dim) -> Finding {
    Finding::new(
        cause,
        Severity::Error,
        format!("the {} differs from the canonical request", d.label()),
    )
}

/// Evidence lines added to a finding in order.
pub(super) fn with_evidence(mut c: Finding, lines: &[String]) -> Finding {
    c.evidence.extend(lines.iter().cloned());
    c
}
