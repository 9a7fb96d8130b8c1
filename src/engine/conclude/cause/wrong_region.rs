//! GC103 wrong-region as the engine proves it: the canonical request got a token in the
//! client's home region and not in the target; the client record (admin access) lives in
//! another region; or every other region answers the legacy "client not found". (A wrong
//! host proven by the flip of the URL keeps the static check's words, `src/shape/url.rs`.)

use crate::catalogue::CauseId;
use crate::engine::facts::Facts;
use crate::finding::{Finding, Severity};
use crate::region::Region;

/// The canonical request got a token at `home` and not at `target`.
pub(crate) fn by_token(f: &Facts, target: &Region, home: &Region) -> Finding {
    let mut c = Finding::new(
        CauseId::WrongRegion,
        Severity::Error,
        format!("the client lives in {home}, but the request goes to {target}"),
    )
    .fix(format!(
        "Post to {} (region {}, SDK key {}).",
        home.token_url(),
        home.key,
        home.sdk_key
    ))
    .proven();
    if let Some(a) = f.target_attempt() {
        c = c.evidence(a.evidence());
    }
    if let Some(a) = f.canonical.get(home.key) {
        c = c.evidence(a.evidence());
    }
    let others = f.canonical.len().saturating_sub(2);
    if others > 0 {
        c = c.evidence(format!(
            "the other {others} regions rejected the same credentials"
        ));
    }
    c
}

/// The client record, read with admin access, is in `home`; the request goes to `target`.
pub(crate) fn by_record(home: &Region, target: Option<&Region>) -> Finding {
    Finding::new(
        CauseId::WrongRegion,
        Severity::Error,
        format!(
            "the client lives in {}, but the request goes to {}",
            home,
            target.map_or("", |t| t.key)
        ),
    )
}

/// Only `home` does not answer "client not found"; the request goes elsewhere. `here` is
/// the attempt at `home`.
pub(crate) fn by_legacy_text(home: &Region, target: Option<&Region>, here: String) -> Finding {
    Finding::new(
        CauseId::WrongRegion,
        Severity::Error,
        format!("the client lives in {home} (every other region answers \"client not found\"), but the request goes to {}; its secret is rejected there too", target.map_or("another region", |t| t.key)),
    )
    .evidence(here)
    .proven()
}
