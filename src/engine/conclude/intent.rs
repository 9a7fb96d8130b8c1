//! Proof by intent: the canonical request with the credentials as the author meant them got
//! a token where the ones sent were rejected, so the mangling between the two is the cause
//! (GC203 for a raw `&` or `+` in a form body and for a shell expansion that cut the secret).
//! The evidence describes both values by structure (lengths, positions), never by value.

use super::Builder;
use crate::engine::Session;
use crate::engine::facts::Facts;
use crate::engine::probes::intent::intent_of;
use crate::finding::{Finding, Severity};
use crate::intent::Mangling;

/// Sets the cause when the meant credentials got a token; false otherwise.
pub(super) fn proved(s: &Session, f: &Facts, b: &mut Builder) -> bool {
    let Some(a) = f.intent.as_ref().filter(|a| a.outcome.is_token()) else {
        return false;
    };
    let Some(m) = intent_of(s).and_then(|i| i.secret.as_ref()) else {
        return false;
    };
    let summary = match &m.mangling {
        Mangling::FormSplit { at } => format!(
            "a raw `&` in the client secret ends it in the form body: the server reads only its first {} characters",
            at - 1
        ),
        Mangling::PlusAsSpace => {
            "a `+` in the client secret is sent raw in the form body, and the server reads it as a space".to_string()
        }
        Mangling::FormDecoded {
            split_at,
            pluses,
            escapes,
        } => format!(
            "the client secret is written unencoded in the form body, and the server decodes it: {}",
            crate::intent::form_parts(*split_at, *pluses, *escapes).join("; ")
        ),
        Mangling::ShellExpansion { double_quoted, .. } => format!(
            "the shell expanded part of the client secret away: a `$` in it starts a variable{}, and the shell sends {}",
            if *double_quoted { " inside double quotes" } else { "" },
            m.lengths()
        ),
    };
    let mut c = Finding::new(m.mangling.cause(), Severity::Error, summary)
        .fix(m.fix())
        .at_line(Some(m.line))
        .proven()
        .evidence(format!(
            "your secret as written got a token; as sent ({}) it is rejected",
            match m.mangling {
                Mangling::PlusAsSpace => "each `+` read as a space".to_string(),
                _ => m.lengths(),
            }
        ));
    for e in crate::secret::structure::difference(&m.meant, &m.sent) {
        c = c.evidence(e);
    }
    if matches!(m.mangling, Mangling::ShellExpansion { .. }) {
        c = c.evidence(m.describe());
    }
    if let Some(t) = f.target_attempt() {
        c = c.evidence(t.evidence());
    }
    c = c.evidence(a.evidence());
    b.cause(c);
    true
}
