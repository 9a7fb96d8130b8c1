//! Probe `client-inspect`: the OAuth client's own record, read with the admin token
//! (`GET /api/v2/oauth/clients/{id}`), tells a wrong secret, an unknown id, a disabled client
//! and a client without the grant apart (see `admin.rs` for the admin token).

use super::super::facts::{ClientView, SentSummary};
use super::super::{Facts, Probe, ProbeOutcome, Session};
use super::halted;
use crate::catalogue::CauseId;
use crate::http::{Carries, Sent};
use crate::request::api_get;
use futures_util::future::BoxFuture;

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
