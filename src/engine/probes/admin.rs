//! Probe `admin-token`: the admin access, for looking at the OAuth client (`client-inspect`,
//! in client_inspect.rs).
//!
//! The login service answers `invalid_client` whether the secret is wrong, the id unknown,
//! the client disabled or not a client-credentials client (facts §3). Only the client's own
//! record tells these apart: `GET /api/v2/oauth/clients/{id}` with a token of another client
//! of the same organisation that has `oauth:client:view` (facts §4).

use super::super::{Admin, Facts, Probe, ProbeOutcome, Session};
use super::{attempt, halted};
use crate::http::Carries;
use crate::request::canonical;
use futures_util::future::BoxFuture;

pub struct AdminToken;

pub(super) fn admin_region(s: &Session, f: &Facts) -> Option<&'static crate::region::Region> {
    match &s.inputs.admin {
        Some(Admin::Client { region, .. }) | Some(Admin::Token { region, .. }) => {
            region.or(f.target).or(f.home())
        }
        None => None,
    }
}

impl Probe for AdminToken {
    fn id(&self) -> &'static str {
        "admin-token"
    }
    fn title(&self) -> &'static str {
        "Admin token for inspecting the client"
    }
    fn ready(&self, s: &Session, f: &Facts) -> bool {
        !halted(f)
            && matches!(s.inputs.admin, Some(Admin::Client { .. }))
            && f.admin_token.is_none()
            && f.admin_failure.is_none()
            && admin_region(s, f).is_some()
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let Some(Admin::Client { creds, .. }) = &s.inputs.admin else {
                return ProbeOutcome::pass("no admin client");
            };
            let Some(region) = admin_region(s, &s.facts()) else {
                return ProbeOutcome::pass("no region for the admin client");
            };
            let req = canonical(&region.token_url(), &creds.id, creds.secret.expose());
            let (a, sent) = attempt(
                s,
                &req,
                format!("admin client token at {}", region.login_host()),
                Carries::Credentials,
            )
            .await;
            let mut f = s.facts();
            let out = match &a.outcome {
                super::super::facts::TokenOutcome::Token { token, .. } => {
                    f.admin_token = Some((region, token.clone()));
                    ProbeOutcome::pass(format!("admin token issued in {}", region.key))
                }
                other => {
                    let why = format!(
                        "the admin client got no token in {}: {}",
                        region.key,
                        other.brief()
                    );
                    f.admin_failure = Some(why.clone());
                    f.admin_rejected = other.is_client_rejection();
                    ProbeOutcome::fail(why, None)
                }
            };
            out.requests(usize::from(sent))
        })
    }
}
