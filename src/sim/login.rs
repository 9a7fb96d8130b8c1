//! The login service, `login.<domain>`: RFC 8414 metadata and `POST /oauth/token`.
//!
//! The token endpoint checks a request in a fixed order (documented in
//! `docs/simulator.md`): method, rate limit, parameters, client authentication, allowed IP
//! ranges, `grant_type`, `scope`, then success. Every client problem (malformed header, unknown id,
//! wrong secret, disabled client, wrong grant type) gets the *same* `invalid_client` /
//! "authentication failed" answer, as the real service does: the answer never names the
//! cause, so a diagnosis has to earn it (other regions, admin inspection, request shape).

use base64::Engine as _;
use serde::Serialize;
use std::time::{Duration, Instant};

use super::incoming::{Incoming, outage};
use super::ip_allow::OrgIpCheck;
use super::respond::{Reply, correlation_id, lb_503_page, oauth_error, proxy_page};
use super::scenario::{
    BodyCredentials, BothCredentials, ClientState, Grant, JsonBody, Outage, OutageHost, OutageKind,
    QueryParameters, ScopeParam, UnknownClient, UntypedBody, WrongGrantClient,
};
use super::state::{Issued, SimState, Subject, new_token};
use crate::region::Region;

const AUTH_FAILED: &str = "authentication failed";

/// Serves one request to `login.<domain>` of `region`.
pub(crate) fn serve(state: &SimState, region: &'static Region, req: &Incoming) -> Reply {
    let is_token_request = req.path == "/oauth/token" && req.method == "POST";
    let reply = match outage(state, region, OutageHost::Login) {
        // A throttled login service refuses token requests only.
        Some(o) if o.kind == OutageKind::RateLimited && is_token_request => rate_limit_reply(),
        Some(o) if o.kind != OutageKind::RateLimited => outage_reply(o),
        _ => route(state, region, req),
    };
    with_correlation(reply)
}

fn route(state: &SimState, region: &'static Region, req: &Incoming) -> Reply {
    match req.path.as_str() {
        "/oauth/token" => token(state, region, req),
        "/.well-known/oauth-authorization-server" => well_known(req),
        _ => oauth_error(404, "not_found", "not found"),
    }
}

/// Adds `ININ-Correlation-Id` and `Genesys-Correlation-Id` (one fresh id) to a service answer.
pub(crate) fn with_correlation(reply: Reply) -> Reply {
    if reply.foreign {
        return reply;
    }
    let id = correlation_id();
    reply
        .header("inin-correlation-id", id.clone())
        .header("genesys-correlation-id", id)
}

/// The answer of a login host in trouble.
fn outage_reply(outage: &Outage) -> Reply {
    let status = outage.status;
    match outage.kind {
        OutageKind::Status503 => Reply::html(503, lb_503_page()).foreign(),
        OutageKind::Status500 => oauth_error(500, "server_error", "internal server error"),
        OutageKind::HtmlPage => Reply::html(status.unwrap_or(200), proxy_page()).foreign(),
        OutageKind::EmptyBody => Reply::empty(status.unwrap_or(200)).foreign(),
        OutageKind::RateLimited => rate_limit_reply(),
    }
}

/// The RFC 8414 document captured from `login.mypurecloud.com` (facts §1.1), with this
/// host as issuer.
fn well_known(req: &Incoming) -> Reply {
    #[derive(Serialize)]
    struct Metadata {
        issuer: String,
        authorization_endpoint: String,
        token_endpoint: String,
        grant_types_supported: [&'static str; 4],
        code_challenge_methods_supported: [&'static str; 1],
        token_endpoint_auth_methods_supported: [&'static str; 2],
    }
    if req.method != "GET" && req.method != "HEAD" {
        return method_not_allowed("GET");
    }
    let base = format!("https://{}", req.host);
    Reply::json(
        200,
        &Metadata {
            issuer: base.clone(),
            authorization_endpoint: format!("{base}/oauth/authorize"),
            token_endpoint: format!("{base}/oauth/token"),
            grant_types_supported: [
                "authorization_code",
                "client_credentials",
                "refresh_token",
                "urn:ietf:params:oauth:grant-type:saml2-bearer",
            ],
            code_challenge_methods_supported: ["S256"],
            token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        },
    )
}

fn method_not_allowed(allow: &'static str) -> Reply {
    oauth_error(405, "invalid_request", "method not allowed").header("allow", allow)
}

/// The login throttle's answer (facts §3.2, §6: 400, not 429).
fn rate_limit_reply() -> Reply {
    oauth_error(
        400,
        "invalid_request",
        "rate limit exceeded; too many token requests, try again later",
    )
}

/// `POST /oauth/token`, in the documented order.
pub(crate) fn token(state: &SimState, region: &'static Region, req: &Incoming) -> Reply {
    let service = &state.scenario.service;
    // 1. Method.
    if req.method != "POST" {
        return method_not_allowed("POST");
    }
    // 2. Rate limit, keyed by the client id the request claims.
    let input = TokenInput::read(req, state);
    let key = (region.key, input.claimed_id().unwrap_or_default());
    if !state.login_hit(&key).allowed {
        return rate_limit_reply();
    }
    // 3. Parameters.
    if input.json {
        match service.json_body {
            JsonBody::Ignored => {}
            JsonBody::InvalidRequest => {
                return oauth_error(400, "invalid_request", "invalid request");
            }
            JsonBody::UnsupportedMediaType => {
                return oauth_error(415, "invalid_request", "unsupported media type");
            }
        }
    }
    // 4. Client authentication.
    let client = match authenticate(state, region, &input) {
        Ok(i) => i,
        Err(reply) => return reply,
    };
    // 4b. Allowed IP ranges of the org and the client (facts §10.1).
    if let Some(denied) = ip_denial(state, req, client) {
        return denied;
    }
    // 5. grant_type.
    match input.param("grant_type") {
        None => return oauth_error(400, "invalid_request", "invalid request"),
        Some("client_credentials") => {}
        Some(_) => return oauth_error(400, "unsupported_grant_type", "unsupported grant type"),
    }
    // 6. scope.
    if input.param("scope").is_some() && service.scope == ScopeParam::InvalidScope {
        return oauth_error(400, "invalid_scope", "invalid scope");
    }
    // 7. Success.
    mint(state, region, client)
}

fn mint(state: &SimState, region: &'static Region, client: usize) -> Reply {
    #[derive(Serialize)]
    struct TokenAnswer<'a> {
        access_token: &'a str,
        token_type: &'a str,
        expires_in: u32,
    }
    let validity = state.scenario.clients[client].validity_secs;
    let token = new_token();
    state.issue(
        token.clone(),
        Issued {
            subject: Subject::Client(client),
            region,
            expires: Instant::now() + Duration::from_secs(u64::from(validity)),
        },
    );
    Reply::json(
        200,
        &TokenAnswer {
            access_token: &token,
            token_type: &state.scenario.service.token_type,
            expires_in: validity.saturating_sub(1),
        },
    )
    .header("cache-control", "no-store")
    .header("pragma", "no-cache")
}

/// Credentials as the request presents them.
enum Presented {
    /// No credentials at all.
    None,
    /// An Authorization header that is not `Basic base64(id:secret)`.
    Malformed,
    /// Id and secret bytes.
    Pair(Vec<u8>, Vec<u8>),
}

/// What a token request carries, read according to the switches.
struct TokenInput {
    /// Parameters: form body first, then the query string. First occurrence wins.
    params: Vec<(String, String)>,
    /// The body was sent as `application/json`.
    json: bool,
    /// The Authorization header's reading, if the header is present.
    basic: Option<Presented>,
}

impl TokenInput {
    fn read(req: &Incoming, state: &SimState) -> TokenInput {
        let service = &state.scenario.service;
        let media = req
            .header("content-type")
            .map(|ct| {
                ct.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let form = media == "application/x-www-form-urlencoded";
        let json = media == "application/json" || media.ends_with("+json");
        let mut params = Vec::new();
        if form || (!json && service.untyped_body == UntypedBody::Parsed) {
            params.extend(url::form_urlencoded::parse(&req.body).into_owned());
        }
        if service.query_parameters == QueryParameters::Accepted
            && let Some(q) = &req.query
        {
            params.extend(url::form_urlencoded::parse(q.as_bytes()).into_owned());
        }
        let basic = req.header_bytes("authorization").map(parse_basic);
        TokenInput {
            params,
            json,
            basic,
        }
    }

    /// A parameter's first value; an empty value counts as absent (RFC 6749 §3.1).
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The client id the request claims, for rate limiting (capped at 256 bytes so a
    /// hostile id cannot grow the limiter's memory).
    fn claimed_id(&self) -> Option<Vec<u8>> {
        let id: &[u8] = match &self.basic {
            Some(Presented::Pair(id, _)) => id,
            _ => self.param("client_id")?.as_bytes(),
        };
        Some(id[..id.len().min(256)].to_vec())
    }
}

/// Reads an Authorization header as `Basic base64(id:secret)`: scheme case-insensitive,
/// standard base64 with padding, split at the first `:`, bytes kept exactly.
fn parse_basic(value: &[u8]) -> Presented {
    let Some(space) = value.iter().position(|b| *b == b' ') else {
        return Presented::Malformed;
    };
    let (scheme, rest) = value.split_at(space);
    if !scheme.eq_ignore_ascii_case(b"basic") {
        return Presented::Malformed;
    }
    let encoded = rest.trim_ascii_start();
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
        return Presented::Malformed;
    };
    match decoded.iter().position(|b| *b == b':') {
        Some(colon) => Presented::Pair(decoded[..colon].to_vec(), decoded[colon + 1..].to_vec()),
        None => Presented::Malformed,
    }
}

/// Step 4: which client this is, or the `invalid_client` (or `invalid_request`) answer.
fn authenticate(
    state: &SimState,
    region: &'static Region,
    input: &TokenInput,
) -> Result<usize, Reply> {
    let service = &state.scenario.service;
    let body_pair = match (input.param("client_id"), input.param("client_secret")) {
        (Some(id), Some(secret)) => Some((id.as_bytes().to_vec(), secret.as_bytes().to_vec())),
        _ => None,
    };
    let presented = match (&input.basic, input.param("client_secret")) {
        (Some(_), Some(_)) if service.both_credentials == BothCredentials::Rejected => {
            return Err(oauth_error(400, "invalid_request", "invalid request"));
        }
        (Some(Presented::Pair(id, secret)), _) => Presented::Pair(id.clone(), secret.clone()),
        (Some(_), _) => Presented::Malformed,
        (None, _) => match body_pair {
            Some((id, secret)) if service.body_credentials == BodyCredentials::Accepted => {
                Presented::Pair(id, secret)
            }
            _ => Presented::None,
        },
    };
    let Presented::Pair(id, secret) = presented else {
        return Err(invalid_client(state, AUTH_FAILED));
    };
    let clients = &state.scenario.clients;
    let Some(index) = clients
        .iter()
        .position(|c| c.id.as_bytes() == id.as_slice() && c.region.key == region.key)
    else {
        let text = match service.unknown_client {
            UnknownClient::AuthenticationFailed => AUTH_FAILED,
            UnknownClient::ClientNotFound => "client not found",
        };
        return Err(invalid_client(state, text));
    };
    let client = &clients[index];
    if client.secret.as_bytes() != secret.as_slice() || client.state != ClientState::Active {
        return Err(invalid_client(state, AUTH_FAILED));
    }
    if client.grant != Grant::ClientCredentials {
        return Err(match service.wrong_grant_client {
            WrongGrantClient::InvalidClient => invalid_client(state, AUTH_FAILED),
            WrongGrantClient::UnauthorizedClient => {
                oauth_error(400, "unauthorized_client", "unauthorized client")
            }
        });
    }
    Ok(index)
}

/// Step 4b: the org's and the client's allowed IP ranges (facts §10.1). The denial is
/// `service.ip_denied_login`; by default (INFERRED) the usual `invalid_client` answer, so it
/// does not name the cause.
fn ip_denial(state: &SimState, req: &Incoming, client: usize) -> Option<Reply> {
    let scenario = &state.scenario;
    let service = &scenario.service;
    let ip = service.caller_address.or(req.peer)?;
    let client_ranges = &scenario.clients.get(client)?.allowed_ips;
    let org_denies =
        service.org_ip_check == OrgIpCheck::LoginAndApi && !scenario.allowed_ips.allows(ip);
    if !org_denies && client_ranges.allows(ip) {
        return None;
    }
    let d = &service.ip_denied_login;
    let status = d.status.unwrap_or(service.bad_client_status);
    Some(match &d.body {
        Some(body) => Reply::json_text(status, body),
        None => oauth_error(status, "invalid_client", AUTH_FAILED),
    })
}

fn invalid_client(state: &SimState, text: &str) -> Reply {
    oauth_error(
        state.scenario.service.bad_client_status,
        "invalid_client",
        text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_is_read_strictly() {
        let ok = |v: &str| match parse_basic(v.as_bytes()) {
            Presented::Pair(i, s) => {
                Some((String::from_utf8(i).unwrap(), String::from_utf8(s).unwrap()))
            }
            _ => None,
        };
        assert_eq!(ok("Basic aWQ6c2U6Yw=="), Some(("id".into(), "se:c".into())));
        assert_eq!(ok("bAsIc aWQ6c2U6Yw=="), Some(("id".into(), "se:c".into())));
        assert_eq!(ok("Basic aWQ6c2U6Yw"), None, "padding required");
        assert_eq!(ok("Bearer aWQ6c2U6Yw=="), None);
        assert_eq!(ok("Basic aWQ="), None, "no colon");
        assert_eq!(ok("Basic"), None);
        assert_eq!(ok("Basic !!!"), None);
    }
}
