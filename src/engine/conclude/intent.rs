//! Proof by intent: the canonical request with the credentials as the author meant them got
//! a token where the ones sent were rejected, so the mangling between the two is the cause
//! (GC203 for a raw `&` or `+` in a form body and for a shell expansion that cut the secret).
//! Its words are in `cause/secret_encoding.rs`.

use super::Builder;
use super::cause::secret_encoding;
use crate::engine::Session;
use crate::engine::facts::Facts;
use crate::engine::probes::intent::intent_of;

/// Sets the cause when the meant credentials got a token; false otherwise.
pub(super) fn proved(s: &Session, f: &Facts, b: &mut Builder) -> bool {
    let Some(a) = f.intent.as_ref().filter(|a| a.outcome.is_token()) else {
        return false;
    };
    let Some(m) = intent_of(s).and_then(|i| i.secret.as_ref()) else {
        return false;
    };
    let mut attempts: Vec<String> = f
        .target_attempt()
        .map(|t| t.evidence())
        .into_iter()
        .collect();
    attempts.push(a.evidence());
    let c = secret_encoding::by_intent(m, &attempts);
    b.cause(c);
    true
}
