//! GC207 (id and secret swapped) and GC203 (secret encoding) as a credential variant proves
//! them: the user's values, swapped, decoded once or with `+` restored, get a token. The
//! static checks' words for the same causes are in `src/shape/values.rs` and
//! `src/shape/encoding.rs`.

use crate::catalogue::CauseId;
use crate::engine::facts::{Facts, Variant};
use crate::finding::{Finding, Severity};

/// The cause proven by a variant of the user's values that gets a token.
pub(super) fn proven(f: &Facts, v: Variant, first: &[String]) -> Finding {
    let (summary, fix) = match v {
        Variant::Swapped => (
            "the client id and secret are swapped: the request gets a token with them the other way round".to_string(),
            CauseId::IdSecretSwapped.fix().to_string(),
        ),
        Variant::Decoded => (
            "the secret is percent-encoded once too often: decoded once, it gets a token".to_string(),
            "Use the secret exactly as shown in Admin > Integrations > OAuth; encode it once, where it is sent.".to_string(),
        ),
        Variant::PlusRestored => (
            "a `+` in the secret became a space before it reached you: with `+` restored it gets a token".to_string(),
            "Send the secret with `+` intact: in a form body it must be encoded as %2B; in a Basic header it is sent as is.".to_string(),
        ),
    };
    let mut c = Finding::new(v.cause(), Severity::Error, summary)
        .fix(fix)
        .proven();
    for e in first {
        c = c.evidence(e.clone());
    }
    if let Some((_, a)) = f.variants.iter().find(|(x, _)| *x == v) {
        c = c.evidence(a.evidence());
    }
    c
}
