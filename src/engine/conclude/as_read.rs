//! The proof of a GC204 warning about a cleaned secret: the `as-read` probe's answer added
//! to the warning (rejected as the source holds it, accepted as gcdoctor cleaned it).

use super::Builder;
use crate::catalogue::CauseId;
use crate::engine::facts::Facts;
use crate::finding::Severity;

pub(super) fn prove(f: &Facts, b: &mut Builder) {
    let Some(a) = &f.as_read else {
        return;
    };
    let Some(w) = b.findings.iter_mut().find(|x| {
        x.cause == CauseId::CredentialWhitespace && x.severity == Severity::Warning && !x.proven
    }) else {
        return;
    };
    w.evidence.push(a.evidence());
    if a.outcome.is_token() {
        w.evidence
            .push("the service accepted it with the line ending too".into());
    } else {
        if let Some(c) = f.home().and_then(|h| f.canonical.get(h.key)) {
            w.evidence.push(c.evidence());
        }
        w.proven = true;
    }
}
