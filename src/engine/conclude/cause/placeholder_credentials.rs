//! GC208 placeholder-credentials as the engine concludes it: the inputs check stopped the run
//! on template values (its finding is made in `src/engine/probes/inputs.rs`), so nothing was
//! sent.

use crate::finding::Finding;

/// The inputs check's stop, as the cause.
pub(crate) fn nothing_sent(stop: &Finding) -> Finding {
    stop.clone()
        .evidence("nothing was sent: template values can only be rejected")
}
