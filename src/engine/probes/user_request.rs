//! Probe `user-request`: the user's own request, sent as they wrote it.
//!
//! Only to a Genesys login host, or to the `api.` URL their code already sends it to
//! (contract §3); to any other host only with `--allow-host`.

use super::super::{Facts, Probe, ProbeOutcome, Session};
use super::{attempt, halted};
use crate::http::Carries;
use futures_util::future::BoxFuture;

pub struct UserRequest;

impl Probe for UserRequest {
    fn id(&self) -> &'static str {
        "user-request"
    }
    fn title(&self) -> &'static str {
        "Your request, sent as written"
    }
    fn ready(&self, _s: &Session, f: &Facts) -> bool {
        !halted(f) && f.user.is_none() && f.subject.as_ref().is_some_and(|s| !s.is_canonical)
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let (req, origin) = {
                let f = s.facts();
                let Some(sub) = &f.subject else {
                    return ProbeOutcome::pass("no request");
                };
                (sub.request.clone(), sub.origin.clone())
            };
            let host = req.host().unwrap_or_default();
            let (a, sent) =
                attempt(s, &req, format!("{origin} at {host}"), Carries::UserRequest).await;
            let out = if a.outcome.is_token() {
                ProbeOutcome::pass(a.outcome.brief())
            } else {
                ProbeOutcome::fail(a.outcome.brief(), a.outcome.service_cause())
            };
            s.facts().user = Some(a);
            out.requests(usize::from(sent))
        })
    }
}
