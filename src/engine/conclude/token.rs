//! The verdict once a token is issued: the token check's API calls decide between healthy,
//! GC403, GC404, GC405 and (a refusal that names no permission) GC406.

use super::Builder;
use crate::catalogue::CauseId;
use crate::engine::Session;
use crate::engine::facts::{ApiResult, ClientView, Facts, SentSummary};
use crate::finding::{Finding, Severity, plural};
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
                b.settle.push(if f.given_token.is_some() {
                    "a fresh token, or the client id and secret (GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET) so gcdoctor can diagnose the login itself".into()
                } else {
                    "run again: a token the login service has just issued should be accepted".into()
                });
            }
            b.cause(c);
            return;
        }
    }
    if let Some((0, source)) = roles {
        b.cause(
            Finding::new(
                CauseId::NoRoles,
                Severity::Error,
                "a token is issued, but the client has no roles: the token can do nothing",
            )
            .evidence(source)
            .proven(),
        );
        return;
    }
    let mut ok = Finding::new(
        CauseId::Healthy,
        Severity::Info,
        match region {
            Some(r) if f.given_token.is_some() => {
                format!("the access token works: the Platform API in {r} accepts it")
            }
            Some(r) => format!("a token is issued in {r} and the Platform API accepts it"),
            None => "a token is issued".to_string(),
        },
    );
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
        ok = ok.evidence(format!(
            "no region was given; the client's home region is {h}: use {}",
            h.token_url()
        ));
    }
    if f.api.is_empty() {
        ok = ok.evidence(if s.transport.remaining() == 0 {
            "the API was not checked: the request budget was spent"
        } else {
            "the API was not checked"
        });
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
            return Some(
                Finding::new(
                    CauseId::NetworkUnreachable,
                    Severity::Error,
                    format!("the API call {} failed: {w}", r.path),
                )
                .evidence(ev)
                .proven(),
            );
        }
    };
    if (200..300).contains(&status) {
        return None;
    }
    let lower = message.to_ascii_lowercase();
    if lower.contains("user context") {
        return Some(
            Finding::new(
                CauseId::UserContextRequired,
                Severity::Error,
                format!(
                    "{} needs a user: client-credentials tokens have no user context",
                    r.path
                ),
            )
            .evidence(ev)
            .proven(),
        );
    }
    if status == 403 {
        return Some(refused(r, roles, &message, ev));
    }
    if status == 429 {
        return Some(
            Finding::new(
                CauseId::RateLimited,
                Severity::Error,
                format!(
                    "the Platform API in {} is throttling this token",
                    region.map_or("this region", |r| r.key)
                ),
            )
            .evidence(ev)
            .proven(),
        );
    }
    if status >= 500 {
        return Some(
            Finding::new(
                CauseId::ServiceError,
                Severity::Error,
                format!("{} answered {status}", r.path),
            )
            .evidence(ev)
            .proven(),
        );
    }
    if status == 401 {
        return Some(
            Finding::new(
                CauseId::Inconclusive,
                Severity::Error,
                format!(
                    "the Platform API rejects the token ({status} {code}): it has expired, was revoked, or was issued in another region"
                ),
            )
            .evidence(ev),
        );
    }
    let why = if status == 404 {
        format!("{} does not exist (404 {code}); check the path", r.path)
    } else {
        format!("{} answered {status} {code}", r.path)
    };
    Some(Finding::new(CauseId::Inconclusive, Severity::Error, why).evidence(ev))
}

/// A 403 from the API: no roles at all, or roles that lack the permission.
fn refused(r: &ApiResult, roles: Option<(usize, String)>, message: &str, ev: String) -> Finding {
    if let Some((0, source)) = roles {
        return Finding::new(
            CauseId::NoRoles,
            Severity::Error,
            format!("{} is refused: the client has no roles", r.path),
        )
        .evidence(ev)
        .evidence(source)
        .proven();
    }
    let perms = permissions_in(message);
    let what = if perms.is_empty() {
        "a permission".to_string()
    } else {
        perms.join(" or ")
    };
    let mut x = Finding::new(
        CauseId::MissingPermission,
        Severity::Error,
        format!("{} is refused: the client's roles lack {what}", r.path),
    )
    .evidence(ev)
    .fix(format!("Add a role granting {what} to the OAuth client (Admin > Integrations > OAuth > Roles), or add the permission to one of its roles."))
    .proven();
    if let Some((_, source)) = roles {
        x = x.evidence(source);
    }
    x
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
