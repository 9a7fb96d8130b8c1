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

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use super::ip_allow::{Denial, IpRanges, OrgIpCheck};
pub use super::scenario_fields::permits;
use super::scenario_fields::{
    de_bad_client_status, de_date, de_opt_date, de_opt_region, de_opt_status, de_permissions,
    de_positive_u32, de_positive_u64, de_region, de_token_type, de_user_context_status,
    de_validity,
};
use super::source_map::{FieldPath, SourceMap, line_col, offset_of};
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

/// A scenario that could not be read: where (file, line, column, field) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    /// The file name (or the origin name given to `from_*_str`).
    pub origin: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The field path, e.g. `clients[1].region`, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl ScenarioError {
    fn plain(origin: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            origin: origin.to_string(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
        }
    }
}

/// The document format of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Toml,
    Json,
}

macro_rules! builtins {
    ($( $name:literal => $desc:literal ),* $(,)?) => {
        const BUILTIN_NAMES: &[(&str, &str)] = &[ $( ($name, $desc) ),* ];
        fn builtin_source(name: &str) -> Option<&'static str> {
            match name {
                $( $name => Some(include_str!(concat!("scenarios/", $name, ".toml"))), )*
                _ => None,
            }
        }
    };
}

builtins! {
    "healthy" => "A working client-credentials client in eu-west-1; the user does everything right",
    "wrong-region" => "The client lives in eu-west-1 but the user posts to the us-east-1 login host",
    "wrong-secret" => "The user sends an old secret; the client's secret was regenerated",
    "unknown-client" => "The user sends a client id that no region knows (deleted client)",
    "disabled-client" => "The client exists with the right secret but its state is disabled",
    "inactive-client" => "The client was set inactive and is scheduled for deletion",
    "grant-not-enabled" => "The user's client is a Code Authorization client, not Client Credentials",
    "no-roles" => "The client gets a token but has no roles, so every API call is refused",
    "missing-permission" => "The client's roles do not cover the API the user calls",
    "user-context" => "The user calls /api/v2/users/me, which needs a user, with a client-credentials token",
    "rate-limited" => "The login service throttles token requests for this client",
    "service-error" => "The eu-west-1 login service answers 503",
    "proxy-html" => "A proxy answers the token request with an HTML page instead of JSON",
    "body-credentials-rejected" => "This login service refuses client_id/client_secret in the form body; the user sends them there",
    "secret-encoding" => "The client's secret contains + / = and the user puts it in the body unencoded",
    "legacy-client-not-found" => "Legacy wording: an id unknown in the region is answered 'client not found'",
    "strict-401" => "invalid_client is answered with HTTP 401 (RFC 6749) instead of 400; the user sends a wrong secret",
}

impl Scenario {
    /// Reads a scenario file: `.json` as JSON, anything else as TOML (a file starting
    /// with `{` is taken as JSON whatever its name).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ScenarioError::plain(&origin, format!("cannot read the file: {e}")))?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || text.trim_start().starts_with('{');
        if is_json {
            Scenario::from_json_str(&text, &origin)
        } else {
            Scenario::from_toml_str(&text, &origin)
        }
    }

    /// Parses and validates a TOML scenario; `origin` names it in errors.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start);
            let map = SourceMap::toml(text);
            located(
                origin,
                text,
                offset,
                map.as_ref(),
                e.message(),
                Format::Toml,
            )
        })?;
        scenario.validated(text, origin, Format::Toml)
    }

    /// Parses and validates a JSON scenario; `origin` names it in errors.
    pub fn from_json_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = serde_json::from_str(text).map_err(|e| {
            let offset = (e.line() > 0).then(|| offset_of(text, e.line(), e.column()));
            let map = SourceMap::json(text);
            let message = strip_json_position(&e.to_string());
            located(origin, text, offset, map.as_ref(), &message, Format::Json)
        })?;
        scenario.validated(text, origin, Format::Json)
    }

    /// A built-in scenario by name (see [`Scenario::builtin_names`]).
    pub fn builtin(name: &str) -> Option<Scenario> {
        let source = builtin_source(name)?;
        Scenario::from_toml_str(source, &format!("builtin:{name}")).ok()
    }

    /// The built-in scenarios: name and one-line description.
    pub fn builtin_names() -> &'static [(&'static str, &'static str)] {
        BUILTIN_NAMES
    }

    /// The TOML text of a built-in scenario (a format example).
    pub fn builtin_source(name: &str) -> Option<&'static str> {
        builtin_source(name)
    }

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

    /// Cross-field validation; errors are located in `text`.
    fn validated(
        self,
        text: &str,
        origin: &str,
        format: Format,
    ) -> Result<Scenario, ScenarioError> {
        match self.check() {
            Ok(()) => Ok(self),
            Err((path, message)) => {
                let map = match format {
                    Format::Toml => SourceMap::toml(text),
                    Format::Json => SourceMap::json(text),
                };
                let span = map.as_ref().and_then(|m| m.span_of(&path));
                let (line, column) = match span {
                    Some(s) => {
                        let (l, c) = line_col(text, s.start);
                        (Some(l), Some(c))
                    }
                    None => (None, None),
                };
                Err(ScenarioError {
                    origin: origin.to_string(),
                    line,
                    column,
                    field: Some(path.to_string()),
                    message,
                })
            }
        }
    }

    /// The cross-field rules. Returns the first violation.
    fn check(&self) -> Result<(), (FieldPath, String)> {
        if self.name.trim().is_empty() {
            return Err((FieldPath::key("name"), "must not be empty".into()));
        }
        self.check_roles()?;
        self.check_clients()?;
        self.check_admin_tokens()?;
        self.check_outages()?;
        self.check_demo()
    }

    fn check_roles(&self) -> Result<(), (FieldPath, String)> {
        let mut names = HashSet::new();
        for (i, role) in self.roles.iter().enumerate() {
            let p = FieldPath::key("roles").index(i);
            if role.name.trim().is_empty() {
                return Err((p.field("name"), "must not be empty".into()));
            }
            if !names.insert(role.name.as_str()) {
                return Err((
                    p.field("name"),
                    format!("role `{}` is defined twice", role.name),
                ));
            }
        }
        Ok(())
    }

    fn check_clients(&self) -> Result<(), (FieldPath, String)> {
        let mut ids = HashSet::new();
        for (i, c) in self.clients.iter().enumerate() {
            let p = FieldPath::key("clients").index(i);
            if c.id.is_empty() || c.id.contains(':') || c.id.chars().any(char::is_control) {
                return Err((
                    p.field("id"),
                    "must be non-empty, without `:` or control characters".into(),
                ));
            }
            if !ids.insert(c.id.as_str()) {
                return Err((
                    p.field("id"),
                    format!(
                        "client `{}` is defined twice (a client lives in exactly one region)",
                        c.id
                    ),
                ));
            }
            if c.secret.is_empty() {
                return Err((p.field("secret"), "must not be empty".into()));
            }
            for (j, role) in c.roles.iter().enumerate() {
                if self.role(role).is_none() {
                    return Err((
                        p.field("roles").index(j),
                        format!("role `{role}` is not defined in [[roles]]"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_admin_tokens(&self) -> Result<(), (FieldPath, String)> {
        let mut seen = HashSet::new();
        for (i, t) in self.admin_tokens.iter().enumerate() {
            let p = FieldPath::key("admin_tokens").index(i).field("token");
            if t.token.is_empty() || t.token.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err((p, "must be non-empty, without whitespace".into()));
            }
            if !seen.insert(t.token.as_str()) {
                return Err((p, "token is defined twice".into()));
            }
        }
        Ok(())
    }

    fn check_outages(&self) -> Result<(), (FieldPath, String)> {
        for (i, o) in self.outages.iter().enumerate() {
            if o.status.is_some() && !matches!(o.kind, OutageKind::HtmlPage | OutageKind::EmptyBody)
            {
                return Err((
                    FieldPath::key("outages").index(i).field("status"),
                    format!(
                        "only `html-page` and `empty-body` outages take a status (this one is `{}`)",
                        o.kind.as_str()
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_demo(&self) -> Result<(), (FieldPath, String)> {
        let Some(demo) = &self.demo else {
            return Ok(());
        };
        let p = FieldPath::key("demo");
        match (&demo.region, &demo.token_url) {
            (Some(_), Some(_)) => {
                return Err((
                    p.field("token_url"),
                    "give `region` or `token_url`, not both".into(),
                ));
            }
            (None, None) => return Err((p, "needs `region` or `token_url`".into())),
            (None, Some(url)) => check_url(url).map_err(|m| (p.field("token_url"), m))?,
            (Some(_), None) => {}
        }
        if demo.secret.is_none() && self.client(&demo.client_id).is_none() {
            return Err((
                p.field("client_id"),
                format!(
                    "`{}` is not a client of this scenario, so `secret` must be given",
                    demo.client_id
                ),
            ));
        }
        if let Some(admin) = &demo.admin_client_id
            && demo.admin_secret.is_none()
            && self.client(admin).is_none()
        {
            return Err((
                p.field("admin_client_id"),
                format!(
                    "`{admin}` is not a client of this scenario, so `admin_secret` must be given"
                ),
            ));
        }
        for (i, call) in demo.check_api.iter().enumerate() {
            check_api_call(call).map_err(|m| (p.field("check_api").index(i), m))?;
        }
        if let Some(curl) = &demo.curl
            && !curl.trim_start().starts_with("curl ")
        {
            return Err((
                p.field("curl"),
                "must be a curl command line (`curl …`)".into(),
            ));
        }
        if let Some(cause) = &demo.expected_cause
            && CauseId::lookup(cause).is_none()
        {
            return Err((
                p.field("expected_cause"),
                format!("`{cause}` is not a cause id of the catalogue (e.g. `GC103`)"),
            ));
        }
        Ok(())
    }
}

fn check_url(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(()),
        Ok(_) => Err(format!("`{url}` is not an http(s) URL")),
        Err(e) => Err(format!("`{url}` is not a URL: {e}")),
    }
}

fn check_api_call(call: &str) -> Result<(), String> {
    let mut parts = call.split_whitespace();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(path), None)
            if m.chars().all(|c| c.is_ascii_uppercase()) && path.starts_with('/') =>
        {
            Ok(())
        }
        _ => Err(format!(
            "`{call}` is not `METHOD /path` (e.g. `GET /api/v2/authorization/roles`)"
        )),
    }
}

/// Builds a located error from a byte offset (as a parser reports it).
fn located(
    origin: &str,
    text: &str,
    offset: Option<usize>,
    map: Option<&SourceMap>,
    message: &str,
    format: Format,
) -> ScenarioError {
    let mut offset = offset;
    let mut field = offset.and_then(|o| map.and_then(|m| m.path_at(o)));
    // serde_json places errors raised inside an object at the object's end: find the
    // member the message names.
    if let (Format::Json, Some(map), Some(parent)) = (format, map, &field)
        && let Some(child) = map.child_named_in(text, parent, message)
    {
        offset = map.span_of(&child).map(|s| s.start).or(offset);
        field = Some(child);
    }
    let (line, column) = match offset {
        Some(o) => {
            let (l, c) = line_col(text, o);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    let field = field.map(|p| p.to_string());
    let message = message.trim().replace('\n', " ");
    ScenarioError {
        origin: origin.to_string(),
        line,
        column,
        field,
        message: if map.is_none() && offset.is_some() {
            format!("syntax error: {message}")
        } else {
            message
        },
    }
}

/// serde_json appends ` at line L column C`; the error carries those separately.
fn strip_json_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario_fields::is_iso_datetime;
    use super::*;

    #[test]
    fn every_builtin_loads_and_matches_its_description() {
        for (name, desc) in Scenario::builtin_names() {
            let source = builtin_source(name).unwrap();
            let s = Scenario::from_toml_str(source, name)
                .unwrap_or_else(|e| panic!("builtin {name}: {e}"));
            assert_eq!(s.name, *name);
            assert_eq!(s.description, *desc, "{name}");
            assert!(s.demo_inputs().is_some(), "{name} has demo inputs");
        }
    }

    #[test]
    fn permissions_match_with_wildcards() {
        let g = vec!["routing:*:view".to_string()];
        assert!(permits(&g, "routing:queue:view"));
        assert!(!permits(&g, "routing:queue:edit"));
        assert!(permits(&["*".to_string()], "oauth:client:view"));
        assert!(!permits(&[], "oauth:client:view"));
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_iso_datetime("2026-09-01T00:00:00Z"));
        assert!(is_iso_datetime("2026-09-01T00:00:00.000Z"));
        assert!(!is_iso_datetime("2026-09-01"));
        assert!(!is_iso_datetime("2026-09-01T00:00:00+02:00"));
    }
}
