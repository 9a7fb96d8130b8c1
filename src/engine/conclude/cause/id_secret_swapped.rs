//! GC207 id-secret-swapped as the engine proves it: the user's values the other way round
//! get a token. (The static check's warning is in `src/shape/values.rs`.)

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};

/// The swapped variant got a token; `ev` is the rejection, then the variant's attempt.
pub(crate) fn by_variant(ev: &[String]) -> Finding {
    super::with_evidence(
        Finding::new(
            CauseId::IdSecretSwapped,
            Severity::Error,
            "the client id and secret are swapped: the request gets a token with them the other way round",
        )
        .proven(),
        ev,
    )
}
