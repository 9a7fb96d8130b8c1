//! Scenarios: the world the simulator plays (clients, roles, service quirks, outages).
//!
//! A scenario is a self-contained TOML or JSON file. Every behaviour of the real service
//! that `genesys-facts.md` marks UNVERIFIED is a switch in [`Service`], defaulting to the
//! INFERRED behaviour, so gcdoctor can be exercised against every plausible variant instead
//! of one guess. `docs/simulator.md` lists every key, its default and the fact behind it.
//!
//! Errors name the file, line, column and field (`scenario.toml:12:9: clients[1].region:
//! …`): the region, grant, state and switch values are checked while deserialising (so
//! TOML gives the exact span) and the cross-field rules (unique ids, defined roles, a
//! resolvable demo) right after, located with a [`SourceMap`].

use std::fmt;

use serde::Deserialize;

use super::ip_allow::{Denial, IpRanges, OrgIpCheck};
pub use super::scenario_fields::permits;
use super::scenario_fields::{
    de_bad_client_status, de_date, de_opt_date, de_opt_region, de_opt_status, de_permissions,
    de_positive_u32, de_positive_u64, de_region, de_token_type, de_user_context_status,
    de_validity,
};
use crate::catalogue::CauseId;
use crate::region::Region;

/// A simulated Genesys Cloud world. Build one with [`Scenario::from_file`],
/// [`Scenario::from_toml_str`], [`Scenario::from_json_str`] or [`Scenario::builtin`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short kebab-case name, e.g. `wrong-region`.
    pub name: String,
    /// One line: what is wrong in this world.
    #[serde(default)]
    pub description: String,
    /// Delay added to every response, in milliseconds.
    #[serde(default)]
    pub latency_ms: u64,
    /// Name of the organisation; every region has its own org of this name.
    #[serde(default = "default_organization")]
    pub organization: String,
    /// Switches for the behaviours of the real service that are not verified.
    #[serde(default)]
    pub service: Service,
    /// Roles that clients and admin tokens can hold.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// OAuth clients; each lives in exactly one region.
    #[serde(default)]
    pub clients: Vec<Client>,
    /// The org's Allowed IP Addresses (facts §10.1), applied to token requests and API
    /// calls of every region's org; empty allows every caller.
    #[serde(default)]
    pub allowed_ips: IpRanges,
    /// Ready-made bearer tokens (for `--admin-token-file`).
    #[serde(default)]
    pub admin_tokens: Vec<AdminToken>,
    /// Service trouble, per region and host.
    #[serde(default)]
    pub outages: Vec<Outage>,
    /// What a user of this world does: the inputs that reproduce its problem.
    #[serde(default)]
    pub demo: Option<Demo>,
}

fn default_organization() -> String {
    "Acme Simulated".to_string()
}

/// One switch per UNVERIFIED behaviour of the real service (see `docs/simulator.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Service {
    /// HTTP status of an `invalid_client` answer: 400 (observed) or 401 (RFC 6749).
    #[serde(deserialize_with = "de_bad_client_status")]
    pub bad_client_status: u16,
    /// Text for an id unknown in the region.
    pub unknown_client: UnknownClient,
    /// Whether `client_id`/`client_secret` form parameters authenticate.
    pub body_credentials: BodyCredentials,
    /// What happens when a Basic header and `client_secret` parameter both come.
    pub both_credentials: BothCredentials,
    /// Whether query-string parameters are read.
    pub query_parameters: QueryParameters,
    /// Whether a body without the form content type is read as parameters.
    pub untyped_body: UntypedBody,
    /// How a JSON body is answered.
    pub json_body: JsonBody,
    /// How a `scope` parameter is answered.
    pub scope: ScopeParam,
    /// How a client of another grant type using `client_credentials` is answered.
    pub wrong_grant_client: WrongGrantClient,
    /// What `POST api.<domain>/oauth/token` returns.
    pub api_token_path: ApiTokenPath,
    /// Whether `GET /api/v2/tokens/me` answers client-credentials tokens.
    pub tokens_me: TokensMe,
    /// Status of the "requires a user context" answer.
    #[serde(deserialize_with = "de_user_context_status")]
    pub user_context_status: u16,
    /// `token_type` of a token answer (`bearer` or `Bearer`).
    #[serde(deserialize_with = "de_token_type")]
    pub token_type: String,
    /// Token requests allowed per client id and region in a rolling window.
    pub login_rate_limit: RateLimit,
    /// API requests allowed per token in a rolling window.
    pub api_rate_limit: RateLimit,
    /// The login service's answer to a caller outside the allowed ranges.
    pub ip_denied_login: Denial,
    /// The API's answer to a caller outside the org's allowed ranges.
    pub ip_denied_api: Denial,
    /// Where the org's Allowed IP Addresses are enforced.
    pub org_ip_check: OrgIpCheck,
    /// The address every caller is taken to have (default: the connection's own).
    pub caller_address: Option<std::net::IpAddr>,
}

impl Default for Service {
    fn default() -> Self {
        Service {
            bad_client_status: 400,
            unknown_client: UnknownClient::AuthenticationFailed,
            body_credentials: BodyCredentials::Accepted,
            both_credentials: BothCredentials::BasicWins,
            query_parameters: QueryParameters::Accepted,
            untyped_body: UntypedBody::Ignored,
            json_body: JsonBody::Ignored,
            scope: ScopeParam::Ignored,
            wrong_grant_client: WrongGrantClient::InvalidClient,
            api_token_path: ApiTokenPath::NotFound,
            tokens_me: TokensMe::Available,
            user_context_status: 400,
            token_type: "bearer".to_string(),
            login_rate_limit: RateLimit {
                requests: 20,
                window_secs: 60,
            },
            api_rate_limit: RateLimit {
                requests: 300,
                window_secs: 60,
            },
            ip_denied_login: Denial::default(),
            ip_denied_api: Denial::default(),
            org_ip_check: OrgIpCheck::LoginAndApi,
            caller_address: None,
        }
    }
}

/// `unknown_client`: the text for an id unknown in this region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownClient {
    /// `authentication failed` (reported 2025–2026).
    AuthenticationFailed,
    /// `client not found` (observed 2021).
    ClientNotFound,
}

/// `body_credentials`: `client_id` + `client_secret` form parameters (`client_secret_post`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyCredentials {
    /// They authenticate the client.
    Accepted,
    /// They do not: the request counts as unauthenticated (`invalid_client`).
    Rejected,
}

/// `query_parameters`: parameters in the URL query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QueryParameters {
    /// Read like form parameters (after them).
    Accepted,
    /// Not read.
    Ignored,
}

/// `both_credentials`: a Basic header and body credentials in one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BothCredentials {
    /// The Basic header is used, the body credentials are ignored.
    BasicWins,
    /// 400 `invalid_request` (RFC 6749 §2.3: one method per request).
    Rejected,
}

/// `untyped_body`: a body without `Content-Type: application/x-www-form-urlencoded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UntypedBody {
    /// Not read (servlet behaviour).
    Ignored,
    /// Read as a form anyway.
    Parsed,
}

/// `json_body`: a body sent as `application/json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JsonBody {
    /// Its fields are not read; the request goes on without parameters.
    Ignored,
    /// 400 `invalid_request`.
    InvalidRequest,
    /// 415 `invalid_request`.
    UnsupportedMediaType,
}

/// `scope`: a `scope` parameter on a client-credentials request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScopeParam {
    /// Ignored (roles decide permissions).
    Ignored,
    /// 400 `invalid_scope`.
    InvalidScope,
}

/// `wrong_grant_client`: a CODE/TOKEN/… client asking for `client_credentials`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WrongGrantClient {
    /// `invalid_client` / `authentication failed`, like every other client problem.
    InvalidClient,
    /// 400 `unauthorized_client` (RFC 6749 §5.2).
    UnauthorizedClient,
}

/// `api_token_path`: `POST api.<domain>/oauth/token`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApiTokenPath {
    /// 404 with a Platform API ErrorBody.
    NotFound,
    /// 404 with an HTML page.
    Html,
    /// Answered like the login host.
    Login,
}

/// `tokens_me`: `GET /api/v2/tokens/me` with a client-credentials token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokensMe {
    /// 200 TokenInfo.
    Available,
    /// 404 `not.found`.
    NotFound,
}

/// A rolling-window rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Requests allowed in the window (at least 1).
    #[serde(deserialize_with = "de_positive_u32")]
    pub requests: u32,
    /// Window length in seconds (at least 1).
    #[serde(deserialize_with = "de_positive_u64")]
    pub window_secs: u64,
}

/// A role: a name and the permissions it grants (`*` grants everything; `*` may also
/// stand for one segment, as in `routing:*:view`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Role name, referenced by clients.
    pub name: String,
    /// Role id; derived from the role's position when omitted.
    #[serde(default)]
    pub id: Option<String>,
    /// Description shown in `GET /api/v2/authorization/roles`.
    #[serde(default)]
    pub description: String,
    /// Permissions (`domain:entity:action`, `*` wildcards allowed).
    #[serde(default, deserialize_with = "de_permissions")]
    pub permissions: Vec<String>,
}

/// An OAuth client.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// Client id (a UUID in the real service).
    pub id: String,
    /// Client secret.
    pub secret: String,
    /// The one region the client lives in.
    #[serde(deserialize_with = "de_region")]
    pub region: &'static Region,
    /// Display name.
    #[serde(default = "default_client_name")]
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// `authorizedGrantType`.
    #[serde(default = "default_grant")]
    pub grant: Grant,
    /// `state`.
    #[serde(default)]
    pub state: ClientState,
    /// `dateToDelete` (ISO-8601), normally set on inactive clients.
    #[serde(default, deserialize_with = "de_opt_date")]
    pub date_to_delete: Option<String>,
    /// `dateCreated` (ISO-8601).
    #[serde(default = "default_date", deserialize_with = "de_date")]
    pub date_created: String,
    /// Names of roles of [`Scenario::roles`].
    #[serde(default)]
    pub roles: Vec<String>,
    /// `accessTokenValiditySeconds`; a token answer says `expires_in` = this − 1.
    #[serde(
        default = "default_validity",
        deserialize_with = "de_validity",
        alias = "accessTokenValiditySeconds"
    )]
    pub validity_secs: u32,
    /// The client's allowed IP ranges (facts §10.1); empty allows every caller.
    #[serde(default)]
    pub allowed_ips: IpRanges,
}

fn default_client_name() -> String {
    "Simulated client".to_string()
}
fn default_grant() -> Grant {
    Grant::ClientCredentials
}
fn default_validity() -> u32 {
    86_400
}
fn default_date() -> String {
    "2024-03-18T09:30:00.000Z".to_string()
}

/// `authorizedGrantType` of an OAuth client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Grant {
    /// Code authorization.
    #[serde(rename = "CODE")]
    Code,
    /// Implicit grant.
    #[serde(rename = "TOKEN")]
    Token,
    /// SAML2 bearer.
    #[serde(rename = "SAML2-BEARER", alias = "SAML2BEARER")]
    Saml2Bearer,
    /// Resource owner password.
    #[serde(rename = "PASSWORD")]
    Password,
    /// Client credentials: the only grant that can use `grant_type=client_credentials`.
    #[serde(rename = "CLIENT-CREDENTIALS")]
    ClientCredentials,
}

impl Grant {
    /// The value as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Grant::Code => "CODE",
            Grant::Token => "TOKEN",
            Grant::Saml2Bearer => "SAML2-BEARER",
            Grant::Password => "PASSWORD",
            Grant::ClientCredentials => "CLIENT-CREDENTIALS",
        }
    }
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `state` of an OAuth client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientState {
    /// Usable.
    #[default]
    Active,
    /// No new tokens, existing ones invalid.
    Disabled,
    /// No new tokens; the client will be deleted.
    Inactive,
}

impl ClientState {
    /// The value as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientState::Active => "active",
            ClientState::Disabled => "disabled",
            ClientState::Inactive => "inactive",
        }
    }
}

impl fmt::Display for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A bearer token accepted on one region's API, with its own permissions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminToken {
    /// The token string.
    pub token: String,
    /// The region whose API accepts it.
    #[serde(deserialize_with = "de_region")]
    pub region: &'static Region,
    /// Permissions it carries.
    #[serde(default, deserialize_with = "de_permissions")]
    pub permissions: Vec<String>,
}

/// Service trouble on one host kind, in one region or (without `region`) in all.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outage {
    /// Region affected; every region when omitted.
    #[serde(default, deserialize_with = "de_opt_region")]
    pub region: Option<&'static Region>,
    /// `login` or `api`.
    pub host: OutageHost,
    /// What goes wrong.
    pub kind: OutageKind,
    /// Status override for `html-page` (default 200) and `empty-body` (default 200).
    #[serde(default, deserialize_with = "de_opt_status")]
    pub status: Option<u16>,
}

/// Which host of a region an outage hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutageHost {
    /// `login.<domain>`.
    Login,
    /// `api.<domain>`.
    Api,
}

/// What an outage does to every request of its host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutageKind {
    /// 503 with a load balancer's HTML page.
    #[serde(rename = "status-503")]
    Status503,
    /// 500 with the service's own JSON error.
    #[serde(rename = "status-500")]
    Status500,
    /// An HTML page (a proxy or captive portal), status 200 unless `status` says otherwise.
    HtmlPage,
    /// No body at all.
    EmptyBody,
    /// Every token request (login) or API call (api) gets the rate-limit answer.
    RateLimited,
}

impl OutageKind {
    /// The kind as a scenario file spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            OutageKind::Status503 => "status-503",
            OutageKind::Status500 => "status-500",
            OutageKind::HtmlPage => "html-page",
            OutageKind::EmptyBody => "empty-body",
            OutageKind::RateLimited => "rate-limited",
        }
    }
}

/// The `[demo]` section as written in the file. See [`Scenario::demo_inputs`] for the
/// resolved form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demo {
    /// Client id the user sends (a client of the scenario, or any string).
    pub client_id: String,
    /// Secret the user sends; defaults to that client's secret.
    #[serde(default)]
    pub secret: Option<String>,
    /// Region the user targets (exclusive with `token_url`).
    #[serde(default, deserialize_with = "de_opt_region")]
    pub region: Option<&'static Region>,
    /// Exact token URL the user's code posts to (exclusive with `region`).
    #[serde(default)]
    pub token_url: Option<String>,
    /// Admin client for `GET /api/v2/oauth/clients/{id}`.
    #[serde(default)]
    pub admin_client_id: Option<String>,
    /// Its secret; defaults to that client's secret.
    #[serde(default)]
    pub admin_secret: Option<String>,
    /// `--check-api` calls, e.g. `GET /api/v2/authorization/roles`.
    #[serde(default)]
    pub check_api: Vec<String>,
    /// The user's own request as a curl command line (for `--from-curl`), when the
    /// problem is in how they build it.
    #[serde(default)]
    pub curl: Option<String>,
    /// What gcdoctor should conclude (a catalogue id such as `GC103`). Used by tests;
    /// never served.
    #[serde(default)]
    pub expected_cause: Option<String>,
}

/// The demo inputs, resolved: what `gcdoctor demo` (or a test) feeds into a diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInputs {
    /// Client id to send.
    pub client_id: String,
    /// Secret to send.
    pub secret: String,
    /// The region targeted, if given as a region.
    pub region: Option<&'static Region>,
    /// The token URL the user posts to (derived from `region` when not given).
    pub token_url: String,
    /// Admin client id and secret, if the demo has admin access.
    pub admin: Option<(String, String)>,
    /// `--check-api` calls.
    pub check_api: Vec<String>,
    /// The user's own request as a curl command line, if the scenario has one.
    pub curl: Option<String>,
    /// What gcdoctor should conclude.
    pub expected_cause: Option<CauseId>,
}

impl Scenario {
    /// The client with this id, in any region.
    pub fn client(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == id)
    }

    /// The role with this name.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// The id of a role (given, or derived from its position).
    pub fn role_id(&self, role: &Role) -> String {
        role.id.clone().unwrap_or_else(|| {
            let n = self
                .roles
                .iter()
                .position(|r| r.name == role.name)
                .unwrap_or(0);
            format!("7a0e5000-0000-4000-8000-{:012x}", n + 1)
        })
    }

    /// Every permission a client holds: the union of its roles' permissions.
    pub fn client_permissions(&self, client: &Client) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for role in client.roles.iter().filter_map(|n| self.role(n)) {
            for p in &role.permissions {
                if !out.contains(p) {
                    out.push(p.clone());
                }
            }
        }
        out
    }

    /// The demo inputs, resolved (secret defaults, token URL from the region).
    pub fn demo_inputs(&self) -> Option<DemoInputs> {
        let demo = self.demo.as_ref()?;
        let secret = demo
            .secret
            .clone()
            .or_else(|| self.client(&demo.client_id).map(|c| c.secret.clone()))?;
        let token_url = match (&demo.token_url, demo.region) {
            (Some(url), _) => url.clone(),
            (None, Some(r)) => r.token_url(),
            (None, None) => return None,
        };
        let admin = match &demo.admin_client_id {
            Some(id) => {
                let secret = demo
                    .admin_secret
                    .clone()
                    .or_else(|| self.client(id).map(|c| c.secret.clone()))?;
                Some((id.clone(), secret))
            }
            None => None,
        };
        Some(DemoInputs {
            client_id: demo.client_id.clone(),
            secret,
            region: demo.region,
            token_url,
            admin,
            check_api: demo.check_api.clone(),
            curl: demo.curl.clone(),
            expected_cause: demo.expected_cause.as_deref().and_then(CauseId::lookup),
        })
    }
}
