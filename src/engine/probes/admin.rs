//! Probes `admin-token` and `client-inspect`: looking at the OAuth client with admin access.
//!
//! The login service answers `invalid_client` whether the secret is wrong, the id unknown,
//! the client disabled or not a client-credentials client (facts §3). Only the client's own
//! record tells these apart: `GET /api/v2/oauth/clients/{id}` with a token of another client
//! of the same organisation that has `oauth:client:view` (facts §4).

use super::super::facts::{ClientView, SentSummary};
use super::super::{Admin, Facts, Probe, ProbeOutcome, Session};
use super::{attempt, halted};
use crate::catalogue::CauseId;
use crate::http::{Carries, Sent};
use crate::request::{api_get, canonical};
use futures_util::future::BoxFuture;

pub struct AdminToken;

fn admin_region(s: &Session, f: &Facts) -> Option<&'static crate::region::Region> {
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

pub struct ClientInspect;

/// Characters escaped in a path segment: everything but RFC 3986 unreserved characters.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn wants_inspection(f: &Facts) -> bool {
    // Rejected at the target, and no other region or variant has explained it yet.
    let rejected = f
        .target_attempt()
        .is_some_and(|a| a.outcome.is_client_rejection())
        && f.variant_success().is_none()
        && f.home().is_none();
    let forbidden = f.api.iter().any(|r| r.sent.status() == Some(403));
    rejected || forbidden
}

impl Probe for ClientInspect {
    fn id(&self) -> &'static str {
        "client-inspect"
    }
    fn title(&self) -> &'static str {
        "OAuth client record (GET /api/v2/oauth/clients/{id})"
    }
    fn ready(&self, _s: &Session, f: &Facts) -> bool {
        !halted(f)
            && f.creds.is_some()
            && f.admin_token.is_some()
            && f.client_view.is_none()
            && wants_inspection(f)
    }
    fn skipped(&self, s: &Session, f: &Facts) -> Option<String> {
        if f.client_view.is_some() || !wants_inspection(f) {
            return None;
        }
        Some(match (&s.inputs.admin, &f.admin_failure) {
            (None, _) => "needs admin access: --admin-client-id with --admin-client-secret-file, or --admin-token-file (a client or token with oauth:client:view in the same org)".to_string(),
            (Some(_), Some(why)) => why.clone(),
            (Some(_), None) => "the admin token was not available".to_string(),
        })
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let (region, token, id) = {
                let f = s.facts();
                let Some((r, t)) = f.admin_token.clone() else {
                    return ProbeOutcome::pass("no admin token");
                };
                let id = f.creds.as_ref().map(|c| c.id.clone()).unwrap_or_default();
                (r, t, id)
            };
            let path = format!(
                "/api/v2/oauth/clients/{}",
                percent_encoding::utf8_percent_encode(&id, PATH_SEGMENT)
            );
            let req = api_get(&region.api_base(), &path, token.expose());
            let sent = s
                .transport
                .send(
                    &req,
                    &format!(
                        "client record with the admin token at {}",
                        region.api_host()
                    ),
                    Carries::Token(region),
                )
                .await;
            let requests = usize::from(!matches!(sent, Sent::NotSent(_)));
            let summary = SentSummary::from(&sent);
            let view = match &summary {
                SentSummary::Answer {
                    status: 200,
                    json: Some(j),
                    n,
                    ..
                } => ClientView::Found {
                    region,
                    json: j.clone(),
                    n: *n,
                },
                SentSummary::Answer { status: 404, n, .. } => {
                    ClientView::NotFound { region, n: *n }
                }
                other => ClientView::Unavailable {
                    why: format!("GET {path} in {}: {}", region.key, other.brief()),
                },
            };
            let out = match &view {
                ClientView::Found { json, .. } => {
                    let grant = json
                        .get("authorizedGrantType")
                        .and_then(|v| v.as_str())
                        .unwrap_or("?");
                    let state = json
                        .get("state")
                        .and_then(|v| v.as_str())
                        .unwrap_or("active");
                    let roles = json
                        .get("roleDivisions")
                        .and_then(|v| v.as_array())
                        .map_or(0, Vec::len);
                    let ranges = crate::engine::conclude::ip_allowed::record_ranges(json);
                    // A sound record while the login service rejects the client leaves only
                    // the secret to blame.
                    let rejected = s
                        .facts()
                        .target_attempt()
                        .is_some_and(|a| a.outcome.is_client_rejection());
                    let bad = if grant != "CLIENT-CREDENTIALS" {
                        Some(CauseId::GrantNotEnabled)
                    } else if state != "active" {
                        Some(CauseId::ClientDisabled)
                    } else if rejected {
                        // Allowed IP ranges leave the address to blame as much as the secret.
                        ranges.is_none().then_some(CauseId::WrongSecret)
                    } else {
                        None
                    };
                    let mut line = format!(
                        "found in {}: grant {grant}, state {state}, role assignments: {roles}",
                        region.key
                    );
                    if let Some(r) = &ranges {
                        line.push_str(&format!(", allowed IP ranges: {}", r.values.join(", ")));
                    }
                    match bad {
                        Some(c) => ProbeOutcome::fail(line, Some(c)),
                        None if rejected => ProbeOutcome::fail(line, None),
                        None => ProbeOutcome::pass(line),
                    }
                }
                ClientView::NotFound { .. } => ProbeOutcome::fail(
                    format!(
                        "no client with this id in the admin's organisation ({})",
                        region.key
                    ),
                    Some(CauseId::UnknownClient),
                ),
                ClientView::Unavailable { why } => ProbeOutcome::fail(why.clone(), None),
            };
            let mut f = s.facts();
            // An admin token the API does not accept: the admin access given failed.
            if let (ClientView::Unavailable { why }, Some(401)) = (&view, summary.status()) {
                f.admin_failure = Some(format!("the admin token was not accepted: {why}"));
                f.admin_rejected = true;
            }
            f.client_view = Some(view);
            out.requests(requests)
        })
    }
}
