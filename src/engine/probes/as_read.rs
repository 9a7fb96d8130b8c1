//! Probe `as-read`: the secret as code that reads its source as-is would send it.
//!
//! gcdoctor reads a secret file without its final line ending (what `echo` or Notepad
//! leave). Once the canonical request got a token with the cleaned secret, one more request
//! with the secret as the file holds it proves what such code meets: rejected (the line
//! ending is part of the secret it sends) or accepted. The conclusion adds the proof to the
//! GC204 warning; the check itself passes either way, since the run's own value works.

use super::super::{Facts, Probe, ProbeOutcome, Session};
use super::{attempt, halted};
use crate::http::Carries;
use crate::request::canonical;
use futures_util::future::BoxFuture;

pub struct AsRead;

fn home_token(f: &Facts) -> Option<&'static crate::region::Region> {
    let home = f.home()?;
    f.canonical
        .get(home.key)
        .is_some_and(|a| a.outcome.is_token())
        .then_some(home)
}

impl Probe for AsRead {
    fn id(&self) -> &'static str {
        "as-read"
    }
    fn title(&self) -> &'static str {
        "The secret as code reading its source as-is sends it"
    }
    fn ready(&self, s: &Session, f: &Facts) -> bool {
        !halted(f) && s.inputs.as_read.is_some() && f.as_read.is_none() && home_token(f).is_some()
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let (home, id) = {
                let f = s.facts();
                (home_token(&f), f.creds.as_ref().map(|c| c.id.clone()))
            };
            let (Some(raw), Some(home), Some(id)) = (s.inputs.as_read.as_ref(), home, id) else {
                return ProbeOutcome::pass("nothing to compare");
            };
            let req = canonical(&home.token_url(), &id, raw.raw.expose());
            let label = format!(
                "canonical request with the secret as {} holds it (`{}` included) at {}",
                raw.source,
                raw.removed,
                home.login_host()
            );
            let (a, sent) = attempt(s, &req, label, Carries::Credentials).await;
            let summary = if a.outcome.is_token() {
                format!("accepted with `{}` included too", raw.removed)
            } else {
                format!(
                    "with `{}` included it is rejected ({}); without it, it gets a token",
                    raw.removed,
                    a.outcome.brief()
                )
            };
            s.facts().as_read = Some(a);
            ProbeOutcome::pass(summary).requests(usize::from(sent))
        })
    }
}
