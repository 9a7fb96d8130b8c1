//! The verdict once a token is issued: the token check's API calls decide between healthy,
//! GC403, GC404, GC405 and (a refusal that names no permission) GC406.

use super::Builder;
use super::cause::{
    healthy, inconclusive, missing_permission, network_unreachable, no_roles, rate_limited,
    service_error, user_context_required,
};
use crate::catalogue::CauseId;
use crate::engine::Session;
use crate::engine::facts::{ApiResult, ClientView, Facts, SentSummary};
use crate::finding::{Finding, plural};
use crate::region::Region;
use crate::report::Verdict;

/// The user's request (or the canonical stand-in) got a token: is it usable?
pub(super) fn token_verdict(s: &Session, f: &Facts, b: &mut Builder) {
    let region = f.api_region.or_else(|| f.home());
    let roles = roles_of(f);
    for r in f
        .api
        .iter()
        .filter(|r| r.requested || r.path == "/api/v2/organizations/me")
    {
        let refused = super::ip_allowed::api_refusal(r, &api_evidence(r));
        if let Some(c) = refused.or_else(|| api_failure(r, roles.clone(), region)) {
            if c.cause == CauseId::Inconclusive && r.sent.status() == Some(401) {
                b.settle
                    .push(inconclusive::settle_token(f.given_token.is_some()));
            }
            b.cause(c);
            return;
        }
    }
    if let Some((0, source)) = roles {
        b.cause(no_roles::token_useless(source));
        return;
    }
    let mut ok = healthy::token_works(region, f.given_token.is_some());
    if let Some(a) = f
        .user_outcome()
        .or_else(|| f.home().and_then(|h| f.canonical.get(h.key)))
    {
        ok = ok.evidence(a.evidence());
    }
    for r in &f.api {
        ok = ok.evidence(api_evidence(r));
    }
    if f.target.is_none()
        && let Some(h) = f.home()
    {
        ok = ok.evidence(healthy::home_found(h));
    }
    if f.api.is_empty() {
        ok = ok.evidence(healthy::api_not_checked(s.transport.remaining() == 0));
    }
    b.add(ok.proven());
    b.verdict = Some(Verdict::Healthy);
}

/// The number of role assignments and where that was seen, if known.
fn roles_of(f: &Facts) -> Option<(usize, String)> {
    if let Some(ClientView::Found { json, n, .. }) = &f.client_view
        && let Some(a) = json.get("roleDivisions").and_then(|v| v.as_array())
    {
        return Some((
            a.len(),
            format!(
                "#{n} the client record lists {} (roleDivisions)",
                plural(a.len(), "role assignment", "role assignments")
            ),
        ));
    }
    for r in &f.api {
        if r.path == "/api/v2/tokens/me"
            && let SentSummary::Answer {
                status: 200,
                json: Some(j),
                n,
                ..
            } = &r.sent
            && let Some(a) = j
                .get("OAuthClient")
                .and_then(|c| c.get("roleDivisions"))
                .and_then(|v| v.as_array())
        {
            return Some((
                a.len(),
                format!(
                    "#{n} GET /api/v2/tokens/me: OAuthClient.roleDivisions has {}",
                    plural(a.len(), "entry", "entries")
                ),
            ));
        }
    }
    None
}

fn api_evidence(r: &ApiResult) -> String {
    match &r.sent {
        SentSummary::Answer { n, .. } => {
            format!("#{n} {} {} → {}", r.method, r.path, r.sent.brief())
        }
        SentSummary::Failed(w) => format!("{} {} → {w}", r.method, r.path),
    }
}

/// Explains a failed API call with the client's token.
fn api_failure(
    r: &ApiResult,
    roles: Option<(usize, String)>,
    region: Option<&'static Region>,
) -> Option<Finding> {
    let ev = api_evidence(r);
    let (status, code, message) = match &r.sent {
        SentSummary::Answer {
            status,
            code,
            message,
            ..
        } => (
            *status,
            code.clone().unwrap_or_default(),
            message.clone().unwrap_or_default(),
        ),
        SentSummary::Failed(w) => {
            return Some(network_unreachable::api_call_failed(&r.path, w, ev));
        }
    };
    if (200..300).contains(&status) {
        return None;
    }
    let lower = message.to_ascii_lowercase();
    if lower.contains("user context") {
        return Some(user_context_required::api_needs_user(&r.path, ev));
    }
    if status == 403 {
        return Some(refused(r, roles, &message, ev));
    }
    if status == 429 {
        return Some(rate_limited::api_throttled(region, ev));
    }
    if status >= 500 {
        return Some(service_error::api_error(&r.path, status, ev));
    }
    if status == 401 {
        return Some(inconclusive::token_rejected_by_api(status, &code, ev));
    }
    Some(inconclusive::api_answer(&r.path, status, &code, ev))
}

/// A 403 from the API: no roles at all, or roles that lack the permission.
fn refused(r: &ApiResult, roles: Option<(usize, String)>, message: &str, ev: String) -> Finding {
    if let Some((0, source)) = roles {
        return no_roles::api_refused(&r.path, ev, source);
    }
    missing_permission::refused(
        &r.path,
        &permissions_in(message),
        ev,
        roles.map(|(_, source)| source),
    )
}

/// Permission names in a `missing.any.permissions` message: `… assigned: [a:b:c, d:e:f]`.
fn permissions_in(message: &str) -> Vec<String> {
    let Some(start) = message.find('[') else {
        return Vec::new();
    };
    let Some(end) = message[start..].find(']') else {
        return Vec::new();
    };
    message[start + 1..start + end]
        .split(',')
        .map(|p| p.trim().trim_matches('"').to_string())
        .filter(|p| !p.is_empty())
        .collect()
}
