//! The Platform API, `api.<domain>`: the few read-only resources a diagnosis touches.
//!
//! Every `/api/…` request needs a bearer token issued by *this* region's login host (or an
//! admin token of the scenario). Authenticated answers carry the `inin-ratelimit-*`
//! headers and count against the token's rolling-window limit. Permission-checked reads
//! answer 403 `missing.any.permissions` when the token's roles do not cover them: that is
//! how a roleless client or a missing role shows. Nothing here changes state: any method
//! other than GET/HEAD on a known resource is 405.

use serde::Serialize;
use serde_json::{Value, json};

use super::incoming::{Incoming, outage};
use super::login;
use super::respond::{Reply, correlation_id, error_body, lb_503_page, not_found_page, proxy_page};
use super::scenario::{
    ApiTokenPath, Client, Outage, OutageHost, OutageKind, Scenario, TokensMe, permits,
};
use super::state::{SimState, Subject, Verdict};
use crate::region::{REGIONS, Region};

/// The VERIFIED message of a client-credentials token on a user-only resource.
const USER_CONTEXT: &str = "This request requires a user context. Client credentials cannot be used for requests to this resource.";
const NOT_FOUND: &str = "The requested resource was not found.";

/// Serves one request to `api.<domain>` of `region`.
pub(crate) fn serve(state: &SimState, region: &'static Region, req: &Incoming) -> Reply {
    if req.path == "/oauth/token"
        && state.scenario.service.api_token_path == ApiTokenPath::Login
        && outage(state, region, OutageHost::Api).is_none()
    {
        return login::with_correlation(login::token(state, region, req));
    }
    let cid = correlation_id();
    let reply = route(state, region, req, &cid);
    if reply.foreign {
        reply
    } else {
        reply.header("inin-correlation-id", cid)
    }
}

fn route(state: &SimState, region: &'static Region, req: &Incoming, cid: &str) -> Reply {
    if let Some(o) = outage(state, region, OutageHost::Api) {
        return outage_reply(state, o, cid);
    }
    if req.path == "/oauth/token" {
        return match state.scenario.service.api_token_path {
            ApiTokenPath::Html => Reply::html(404, not_found_page()),
            _ => error_body(404, "not.found", NOT_FOUND, cid),
        };
    }
    if !req.path.starts_with("/api/") {
        return error_body(404, "not.found", NOT_FOUND, cid);
    }
    let Some(token) = bearer(req) else {
        return error_body(
            401,
            "authentication.required",
            "No authentication bearer token specified in authorization header.",
            cid,
        );
    };
    let Some(subject) = state.bearer(token, region) else {
        return error_body(401, "bad.credentials", "Invalid login credentials.", cid);
    };
    if let Some(denied) = ip_denial(state, req, cid) {
        return denied;
    }
    let verdict = state.api_hit(token);
    let reply = if verdict.allowed {
        resource(state, region, subject, req, cid)
    } else {
        too_many_requests(&verdict, cid)
    };
    with_rate_headers(reply, &verdict)
}

/// A caller outside the org's allowed IP ranges (facts §10.1): `service.ip_denied_api`, by
/// default (INFERRED) 403 `not.authorized`, which does not name the cause.
fn ip_denial(state: &SimState, req: &Incoming, cid: &str) -> Option<Reply> {
    let service = &state.scenario.service;
    let ip = service.caller_address.or(req.peer)?;
    if state.scenario.allowed_ips.allows(ip) {
        return None;
    }
    let d = &service.ip_denied_api;
    let status = d.status.unwrap_or(403);
    Some(match &d.body {
        Some(body) => Reply::json_text(status, body),
        None => error_body(
            status,
            "not.authorized",
            "You are not authorized to perform the requested action.",
            cid,
        ),
    })
}

fn with_rate_headers(reply: Reply, v: &Verdict) -> Reply {
    reply
        .header("inin-ratelimit-count", v.count.to_string())
        .header("inin-ratelimit-allowed", v.allowed_max.to_string())
        .header("inin-ratelimit-reset", v.reset_secs.to_string())
}

fn too_many_requests(v: &Verdict, cid: &str) -> Reply {
    let window = v.reset_secs.max(1);
    let message = format!(
        "Rate limit exceeded the maximum [{}] requests within [{}] seconds",
        v.allowed_max, window
    );
    error_body(429, "too.many.requests", &message, cid).header("retry-after", window.to_string())
}

fn outage_reply(state: &SimState, outage: &Outage, cid: &str) -> Reply {
    let status = outage.status;
    match outage.kind {
        OutageKind::Status503 => Reply::html(503, lb_503_page()).foreign(),
        OutageKind::Status500 => error_body(
            500,
            "internal.server.error",
            "The server encountered an unexpected error.",
            cid,
        ),
        OutageKind::HtmlPage => Reply::html(status.unwrap_or(200), proxy_page()).foreign(),
        OutageKind::EmptyBody => Reply::empty(status.unwrap_or(200)).foreign(),
        OutageKind::RateLimited => {
            let limit = state.scenario.service.api_rate_limit;
            let v = Verdict {
                allowed: false,
                count: limit.requests,
                allowed_max: limit.requests,
                reset_secs: limit.window_secs,
            };
            with_rate_headers(too_many_requests(&v, cid), &v)
        }
    }
}

/// The bearer token of the Authorization header (scheme case-insensitive).
fn bearer(req: &Incoming) -> Option<&str> {
    let value = req.header("authorization")?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The resources the simulator knows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resource {
    OrganizationsMe,
    TokensMe,
    UsersMe,
    OAuthClients,
    OAuthClient(String),
    OAuthScopes,
    Roles,
    Permissions,
    Users,
    Queues,
}

impl Resource {
    fn of(path: &str) -> Option<Resource> {
        let r = match path {
            "/api/v2/organizations/me" => Resource::OrganizationsMe,
            "/api/v2/tokens/me" => Resource::TokensMe,
            "/api/v2/users/me" => Resource::UsersMe,
            "/api/v2/oauth/clients" => Resource::OAuthClients,
            "/api/v2/oauth/scopes" => Resource::OAuthScopes,
            "/api/v2/authorization/roles" => Resource::Roles,
            "/api/v2/authorization/permissions" => Resource::Permissions,
            "/api/v2/users" => Resource::Users,
            "/api/v2/routing/queues" => Resource::Queues,
            _ => {
                let id = path.strip_prefix("/api/v2/oauth/clients/")?;
                if id.is_empty() || id.contains('/') {
                    return None;
                }
                let id = percent_encoding::percent_decode_str(id).decode_utf8_lossy();
                Resource::OAuthClient(id.into_owned())
            }
        };
        Some(r)
    }

    /// The permission a read needs (any of one), if it is permission-checked.
    fn permission(&self) -> Option<&'static str> {
        match self {
            Resource::OAuthClients | Resource::OAuthClient(_) => Some("oauth:client:view"),
            Resource::Roles | Resource::Permissions => Some("authorization:role:view"),
            Resource::Users => Some("directory:user:view"),
            Resource::Queues => Some("routing:queue:view"),
            Resource::OrganizationsMe
            | Resource::TokensMe
            | Resource::UsersMe
            | Resource::OAuthScopes => None,
        }
    }
}

fn resource(
    state: &SimState,
    region: &'static Region,
    subject: Subject,
    req: &Incoming,
    cid: &str,
) -> Reply {
    let Some(resource) = Resource::of(&req.path) else {
        return error_body(404, "not.found", NOT_FOUND, cid);
    };
    if req.method != "GET" && req.method != "HEAD" {
        return error_body(
            405,
            "method.not.allowed",
            "The requested HTTP method is not allowed for this resource.",
            cid,
        )
        .header("allow", "GET, HEAD");
    }
    let scenario = &state.scenario;
    if let Some(needed) = resource.permission() {
        let granted = permissions(scenario, subject);
        if !permits(&granted, needed) {
            let message = format!(
                "Unable to perform the requested action. You must have at least one of the following permissions assigned: [{needed}]"
            );
            return error_body(403, "missing.any.permissions", &message, cid);
        }
    }
    let world = World { scenario, region };
    match resource {
        Resource::OrganizationsMe => Reply::json(200, &world.organization()),
        Resource::TokensMe => match scenario.service.tokens_me {
            TokensMe::Available => Reply::json(200, &world.token_info(subject)),
            TokensMe::NotFound => error_body(404, "not.found", NOT_FOUND, cid),
        },
        Resource::UsersMe => {
            let status = scenario.service.user_context_status;
            error_body(status, "bad.request", USER_CONTEXT, cid)
        }
        Resource::OAuthClient(id) => match world.client(&id) {
            Some(c) => Reply::json(200, &world.oauth_client(c)),
            None => error_body(404, "not.found", NOT_FOUND, cid),
        },
        Resource::OAuthClients => {
            let entities = world
                .clients()
                .map(|c| serde_json::to_value(world.oauth_client(c)).unwrap_or(Value::Null))
                .collect();
            listing(entities, "/api/v2/oauth/clients")
        }
        Resource::OAuthScopes => listing(world.scopes(), "/api/v2/oauth/scopes"),
        Resource::Roles => listing(world.roles(), "/api/v2/authorization/roles"),
        Resource::Permissions => listing(
            world.permission_domains(),
            "/api/v2/authorization/permissions",
        ),
        Resource::Users => listing(world.users(), "/api/v2/users"),
        Resource::Queues => listing(world.queues(), "/api/v2/routing/queues"),
    }
}

fn permissions(scenario: &Scenario, subject: Subject) -> Vec<String> {
    match subject {
        Subject::Client(i) => scenario
            .clients
            .get(i)
            .map(|c| scenario.client_permissions(c))
            .unwrap_or_default(),
        Subject::Admin(i) => scenario
            .admin_tokens
            .get(i)
            .map(|t| t.permissions.clone())
            .unwrap_or_default(),
    }
}

/// A Platform API entity listing (one page holding everything).
fn listing(entities: Vec<Value>, self_uri: &str) -> Reply {
    let total = entities.len();
    Reply::json(
        200,
        &json!({
            "entities": entities,
            "pageSize": total.max(25),
            "pageNumber": 1,
            "total": total,
            "pageCount": 1,
            "firstUri": format!("{self_uri}?pageSize=25&pageNumber=1"),
            "selfUri": format!("{self_uri}?pageSize=25&pageNumber=1"),
            "lastUri": format!("{self_uri}?pageSize=25&pageNumber=1"),
        }),
    )
}

/// `{id, name, selfUri}` / `{id, selfUri}` references.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct EntityRef {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    self_uri: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Organization {
    id: String,
    name: String,
    default_language: &'static str,
    domain: String,
    state: &'static str,
    self_uri: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RoleDivision {
    role_id: String,
    division_id: String,
}

/// `OAuthClient` (facts §4); never the secret.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct OAuthClientJson {
    id: String,
    name: String,
    description: String,
    access_token_validity_seconds: u32,
    registered_redirect_uri: Vec<String>,
    authorized_grant_type: &'static str,
    scope: Vec<String>,
    role_divisions: Vec<RoleDivision>,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_to_delete: Option<String>,
    /// The client's allowed IP ranges (field name INFERRED, facts §10.1); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    allowed_ip_ranges: Vec<String>,
    date_created: String,
    date_modified: String,
    created_by: EntityRef,
    modified_by: EntityRef,
    self_uri: String,
}

/// `OrgOAuthClient`, as embedded in TokenInfo.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct OrgOAuthClient {
    id: String,
    name: String,
    date_created: String,
    date_modified: String,
    created_by: EntityRef,
    modified_by: EntityRef,
    authorized_grant_type: &'static str,
    scope: Vec<String>,
    role_divisions: Vec<RoleDivision>,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_to_delete: Option<String>,
    organization: EntityRef,
}

/// `TokenInfo` (facts §5): note the capital O of `OAuthClient`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenInfo {
    organization: EntityRef,
    home_organization: EntityRef,
    authorized_scope: Vec<String>,
    #[serde(rename = "OAuthClient", skip_serializing_if = "Option::is_none")]
    oauth_client: Option<OrgOAuthClient>,
}

/// One region's org as the API shows it.
struct World<'a> {
    scenario: &'a Scenario,
    region: &'static Region,
}

const CREATOR_ID: &str = "c0ffee00-0000-4000-8000-000000000001";

impl World<'_> {
    fn region_index(&self) -> usize {
        REGIONS
            .iter()
            .position(|r| r.key == self.region.key)
            .unwrap_or(0)
            + 1
    }

    /// The org id of this region (fixed, documented).
    fn org_id(&self) -> String {
        format!("0e6a51a1-0000-4000-8000-{:012x}", self.region_index())
    }

    /// The home division id of this region's org.
    fn division_id(&self) -> String {
        format!("d1f15000-0000-4000-8000-{:012x}", self.region_index())
    }

    fn org_ref(&self) -> EntityRef {
        EntityRef {
            id: self.org_id(),
            name: Some(self.scenario.organization.clone()),
            self_uri: format!("/api/v2/organizations/{}", self.org_id()),
        }
    }

    fn user_ref(id: &str) -> EntityRef {
        EntityRef {
            id: id.to_string(),
            name: None,
            self_uri: format!("/api/v2/users/{id}"),
        }
    }

    fn organization(&self) -> Organization {
        let domain: String = self
            .scenario
            .organization
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        Organization {
            id: self.org_id(),
            name: self.scenario.organization.clone(),
            default_language: "en-us",
            domain,
            state: "active",
            self_uri: format!("/api/v2/organizations/{}", self.org_id()),
        }
    }

    fn clients(&self) -> impl Iterator<Item = &Client> {
        self.scenario
            .clients
            .iter()
            .filter(|c| c.region.key == self.region.key)
    }

    fn client(&self, id: &str) -> Option<&Client> {
        self.clients().find(|c| c.id == id)
    }

    fn role_divisions(&self, client: &Client) -> Vec<RoleDivision> {
        client
            .roles
            .iter()
            .filter_map(|name| self.scenario.role(name))
            .map(|role| RoleDivision {
                role_id: self.scenario.role_id(role),
                division_id: self.division_id(),
            })
            .collect()
    }

    fn oauth_client(&self, c: &Client) -> OAuthClientJson {
        OAuthClientJson {
            id: c.id.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            access_token_validity_seconds: c.validity_secs,
            registered_redirect_uri: Vec::new(),
            authorized_grant_type: c.grant.as_str(),
            scope: Vec::new(),
            role_divisions: self.role_divisions(c),
            state: c.state.as_str(),
            date_to_delete: c.date_to_delete.clone(),
            allowed_ip_ranges: c.allowed_ips.to_strings(),
            date_created: c.date_created.clone(),
            date_modified: c.date_created.clone(),
            created_by: Self::user_ref(CREATOR_ID),
            modified_by: Self::user_ref(CREATOR_ID),
            self_uri: format!("/api/v2/oauth/clients/{}", c.id),
        }
    }

    fn token_info(&self, subject: Subject) -> TokenInfo {
        let oauth_client = match subject {
            Subject::Client(i) => self.scenario.clients.get(i).map(|c| OrgOAuthClient {
                id: c.id.clone(),
                name: c.name.clone(),
                date_created: c.date_created.clone(),
                date_modified: c.date_created.clone(),
                created_by: Self::user_ref(CREATOR_ID),
                modified_by: Self::user_ref(CREATOR_ID),
                authorized_grant_type: c.grant.as_str(),
                scope: Vec::new(),
                role_divisions: self.role_divisions(c),
                state: c.state.as_str(),
                date_to_delete: c.date_to_delete.clone(),
                organization: self.org_ref(),
            }),
            Subject::Admin(_) => None,
        };
        TokenInfo {
            organization: self.org_ref(),
            home_organization: self.org_ref(),
            authorized_scope: Vec::new(),
            oauth_client,
        }
    }

    fn roles(&self) -> Vec<Value> {
        self.scenario
            .roles
            .iter()
            .map(|role| {
                let id = self.scenario.role_id(role);
                json!({
                    "id": id,
                    "name": role.name,
                    "description": role.description,
                    "defaultRoleId": "",
                    "permissions": role.permissions,
                    "userCount": 0,
                    "default": false,
                    "base": false,
                    "selfUri": format!("/api/v2/authorization/roles/{id}"),
                })
            })
            .collect()
    }

    fn permission_domains(&self) -> Vec<Value> {
        let mut domains: Vec<&str> = self
            .scenario
            .roles
            .iter()
            .flat_map(|r| r.permissions.iter())
            .filter_map(|p| p.split(':').next())
            .filter(|d| *d != "*")
            .chain(["authorization", "directory", "oauth", "routing"])
            .collect();
        domains.sort_unstable();
        domains.dedup();
        domains
            .into_iter()
            .map(|d| json!({ "id": d, "domain": d, "selfUri": format!("/api/v2/authorization/permissions/{d}") }))
            .collect()
    }

    fn users(&self) -> Vec<Value> {
        let id = CREATOR_ID;
        vec![json!({
            "id": id,
            "name": "Sim Administrator",
            "email": "admin@example.invalid",
            "username": "admin@example.invalid",
            "state": "active",
            "division": { "id": self.division_id(), "name": "Home", "selfUri": format!("/api/v2/authorization/divisions/{}", self.division_id()) },
            "selfUri": format!("/api/v2/users/{id}"),
        })]
    }

    fn queues(&self) -> Vec<Value> {
        ["Support", "Sales"]
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let id = format!("9e0e5000-0000-4000-8000-{:012x}", i + 1);
                json!({
                    "id": id,
                    "name": name,
                    "memberCount": 0,
                    "division": { "id": self.division_id(), "name": "Home", "selfUri": format!("/api/v2/authorization/divisions/{}", self.division_id()) },
                    "selfUri": format!("/api/v2/routing/queues/{id}"),
                })
            })
            .collect()
    }

    fn scopes(&self) -> Vec<Value> {
        ["analytics", "analytics:readonly", "users", "users:readonly"]
            .iter()
            .map(|s| json!({ "id": s, "name": s, "selfUri": format!("/api/v2/oauth/scopes/{s}") }))
            .collect()
    }
}
