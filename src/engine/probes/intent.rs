//! Probe `intent`: the canonical request with the credentials as the author meant them.
//!
//! When the imported request's intent model ([`crate::intent`]) says a credential was meant
//! differently from how it is sent (a raw `&` ended it in a form body, the shell expanded part
//! of it away) and the canonical request with the sent values was rejected at the target
//! region, one more canonical request carries the meant values there. A token proves the
//! mangling is the cause; the conclusion ([`crate::engine`]'s `conclude::intent`) says so by
//! structure. The meant secret goes only to the target's login host, like every credential.

use super::super::{Facts, Probe, ProbeOutcome, Session};
use super::{attempt, halted};
use crate::http::Carries;
use crate::intent::Intent;
use crate::request::canonical;
use futures_util::future::BoxFuture;

pub struct IntentProbe;

/// The intent to try, when the run's credentials are the imported ones.
pub fn intent_of(s: &Session) -> Option<&Intent> {
    let imp = s.inputs.imported.as_ref()?;
    (!s.inputs.creds_override && imp.intent.differs()).then_some(&imp.intent)
}

fn sent_rejected(f: &Facts) -> bool {
    f.target_attempt()
        .is_some_and(|a| !a.outcome.is_token() && !f.throttled())
}

impl Probe for IntentProbe {
    fn id(&self) -> &'static str {
        "intent"
    }
    fn title(&self) -> &'static str {
        "The credentials as written, before the shell or the form parser changed them"
    }
    fn ready(&self, s: &Session, f: &Facts) -> bool {
        !halted(f)
            && f.target.is_some()
            && f.intent.is_none()
            && intent_of(s).is_some()
            && sent_rejected(f)
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let (target, creds) = {
                let f = s.facts();
                (f.target, f.creds.clone())
            };
            let (Some(target), Some(creds), Some(intent)) = (target, creds, intent_of(s)) else {
                return ProbeOutcome::pass("nothing meant differently");
            };
            let id = intent.id.as_ref().map_or(creds.id.as_str(), |m| &m.meant);
            let secret = intent
                .secret
                .as_ref()
                .map_or(creds.secret.expose(), |m| &m.meant);
            let req = canonical(&target.token_url(), id, secret);
            let label = format!(
                "canonical request with the credentials as written at {}",
                target.login_host()
            );
            let (a, sent) = attempt(s, &req, label, Carries::Credentials).await;
            let token = a.outcome.is_token();
            let cause = intent.secret.as_ref().map(|m| m.mangling.cause());
            let outcome = if token {
                ProbeOutcome::fail(
                    "the credentials as written got a token; as sent they are rejected",
                    cause,
                )
            } else {
                ProbeOutcome::pass(format!("rejected as written too ({})", a.outcome.brief()))
            };
            s.facts().intent = Some(a);
            outcome.requests(usize::from(sent))
        })
    }
}
