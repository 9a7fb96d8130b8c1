//! GC203 secret-encoding as the engine proves it: a variant of the user's secret (decoded
//! once, `+` restored) gets a token, or the secret as the author meant it does where the one
//! sent (cut by a raw `&`, `+` read as a space, a shell expansion) is rejected. The evidence
//! describes values by structure (lengths, positions), never by value. (The static check's
//! words are in `src/shape/encoding.rs`.)

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::intent::{Mangling, Meant, Shell};

/// The secret decoded once got a token; `ev` is the rejection, then the variant's attempt.
pub(crate) fn decoded(ev: &[String]) -> Finding {
    super::with_evidence(
        Finding::new(
            CauseId::SecretEncoding,
            Severity::Error,
            "the secret is percent-encoded once too often: decoded once, it gets a token",
        )
        .fix("Use the secret exactly as shown in Admin > Integrations > OAuth; encode it once, where it is sent.")
        .proven(),
        ev,
    )
}

/// The secret with `+` restored got a token; `ev` as for [`decoded`].
pub(crate) fn plus_restored(ev: &[String]) -> Finding {
    super::with_evidence(
        Finding::new(
            CauseId::SecretEncoding,
            Severity::Error,
            "a `+` in the secret became a space before it reached you: with `+` restored it gets a token",
        )
        .fix("Send the secret with `+` intact: in a form body it must be encoded as %2B; in a Basic header it is sent as is.")
        .proven(),
        ev,
    )
}

/// The meant secret got a token where the sent one was rejected. `attempts` are the
/// rejection of the sent value (if any), then the intent probe's token.
pub(crate) fn by_intent(m: &Meant, attempts: &[String]) -> Finding {
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
        Mangling::ShellExpansion {
            double_quoted,
            shell,
            ..
        } => format!(
            "{} expanded part of the client secret away: a `{}` in it starts a variable{}, and {} sends {}",
            shell.name(),
            m.sigil(),
            match shell {
                Shell::Batch | Shell::Cmd => " in a batch file",
                _ if *double_quoted => " inside double quotes",
                _ => "",
            },
            shell.name(),
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
    let expansion = matches!(m.mangling, Mangling::ShellExpansion { .. });
    for e in crate::secret::structure::difference(&m.meant, &m.sent) {
        // A `%Cd` the shell expanded away was never percent-decoded by the server.
        if !(expansion && e.starts_with("`%XX`")) {
            c = c.evidence(e);
        }
    }
    if matches!(m.mangling, Mangling::ShellExpansion { .. }) {
        c = c.evidence(m.describe());
    }
    super::with_evidence(c, attempts)
}
