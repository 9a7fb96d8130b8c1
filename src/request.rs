//! The token request as it goes on the wire, and the credentials found in it.
//!
//! An [`HttpRequest`] is exact: method, URL, headers in order and body bytes, so a user's
//! request can be replayed as they wrote it. Importers (`--from-curl`, `--from-python`, …)
//! produce an [`ImportedRequest`]: the request plus where its client id and secret were
//! found, how they were written, and which input line each part came from.

pub mod body;

use crate::secret::{Secret, Shape, is_uuid_shaped};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::collections::BTreeMap;
use std::fmt;

/// The form content type the token endpoint reads.
pub const FORM: &str = "application/x-www-form-urlencoded";

/// An HTTP request, exactly as sent. Its `Debug` masks credentials (see the impl).
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    /// Absolute URL as written (it may not parse: that is a finding, not an error).
    pub url: String,
    /// Headers in order, names as written.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn new(method: &str, url: &str) -> HttpRequest {
        HttpRequest {
            method: method.to_string(),
            url: url.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// How many headers of that name there are.
    pub fn header_count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }

    /// Sets a header: replaces the first of that name in place, drops the others.
    pub fn set_header(&mut self, name: &str, value: &str) {
        let mut done = false;
        self.headers.retain_mut(|(n, v)| {
            if !n.eq_ignore_ascii_case(name) {
                return true;
            }
            if done {
                return false;
            }
            *v = value.to_string();
            done = true;
            true
        });
        if !done {
            self.headers.push((name.to_string(), value.to_string()));
        }
    }

    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// The URL, parsed.
    pub fn parsed_url(&self) -> Option<url::Url> {
        url::Url::parse(&self.url).ok().filter(|u| u.has_host())
    }

    /// The host of the URL, lower-case, without port.
    pub fn host(&self) -> Option<String> {
        self.parsed_url()
            .and_then(|u| u.host_str().map(|h| h.to_ascii_lowercase()))
    }

    /// The media type of `Content-Type`, lower-case, without parameters.
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    }

    /// The body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `Basic base64(id:secret)` as every official SDK builds it (UTF-8 bytes, standard base64).
pub fn basic_value(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

/// Form-encodes one value the way `application/x-www-form-urlencoded` requires.
pub fn form_encode(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// Form-decodes one value (`+` is a space, `%XX` a byte), as the server does.
pub fn form_decode(v: &str) -> String {
    url::form_urlencoded::parse(format!("x={v}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The canonical token request: what every official SDK sends.
pub fn canonical(token_url: &str, id: &str, secret: &str) -> HttpRequest {
    let mut r = HttpRequest::new("POST", token_url);
    r.headers
        .push(("Authorization".into(), basic_value(id, secret)));
    r.headers.push(("Content-Type".into(), FORM.into()));
    r.headers.push(("Accept".into(), "application/json".into()));
    r.body = b"grant_type=client_credentials".to_vec();
    r
}

/// `GET` of a Platform API path with a bearer token.
pub fn api_get(api_base: &str, path: &str, token: &str) -> HttpRequest {
    let mut r = HttpRequest::new("GET", &format!("{api_base}{path}"));
    r.headers
        .push(("Authorization".into(), format!("Bearer {token}")));
    r.headers.push(("Accept".into(), "application/json".into()));
    r
}

/// Client id and secret, as the user gave them (not cleaned).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Credentials {
    pub id: String,
    pub secret: Secret,
}

impl Credentials {
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Credentials {
        Credentials {
            id: id.into(),
            secret: Secret::new(secret.into()),
        }
    }

    /// The values with stray whitespace, quotes and BOMs removed; `None` if nothing changes.
    pub fn cleaned(&self) -> Option<Credentials> {
        let id = clean_value(&self.id);
        let secret = clean_value(self.secret.expose());
        (id != self.id || secret != self.secret.expose()).then(|| Credentials::new(id, secret))
    }

    /// The pair the other way round.
    pub fn swapped(&self) -> Credentials {
        Credentials::new(self.secret.expose(), self.id.clone())
    }

    /// True when the id is not UUID-shaped but the secret is: given the wrong way round.
    pub fn looks_swapped(&self) -> bool {
        let id = clean_value(&self.id);
        let secret = clean_value(self.secret.expose());
        !is_uuid_shaped(&id) && is_uuid_shaped(&secret)
    }
}

/// Characters that are never part of a Genesys client id or secret but stick to values
/// copied from consoles, env files and secret stores.
pub fn is_stray_char(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '"' | '\'' | '`' | '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'
        )
}

/// Removes stray characters around a value (and zero-width characters anywhere).
pub fn clean_value(v: &str) -> String {
    let t = v.trim_matches(is_stray_char);
    crate::secret::placeholder::unbracketed(t)
        .unwrap_or(t)
        .trim_matches(is_stray_char)
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'
            )
        })
        .collect()
}

/// Describes what is stray around a value, e.g. "a trailing newline", or `None`.
pub fn stray_description(v: &str) -> Option<String> {
    if clean_value(v) == v {
        return None;
    }
    let mut parts = Vec::new();
    let lead: String = v.chars().take_while(|c| is_stray_char(*c)).collect();
    let trail: String = {
        let mut t: Vec<char> = v.chars().rev().take_while(|c| is_stray_char(*c)).collect();
        t.reverse();
        t.into_iter().collect()
    };
    let name = |s: &str| -> String {
        let mut kinds = Vec::new();
        if s.contains('\n') {
            kinds.push("newline");
        }
        if s.contains('\r') {
            kinds.push("carriage return");
        }
        if s.contains(' ') || s.contains('\t') {
            kinds.push("space");
        }
        if s.contains('"') || s.contains('\'') || s.contains('`') {
            kinds.push("quote");
        }
        if s.contains('\u{feff}') {
            kinds.push("byte-order mark (BOM)");
        }
        if s.chars()
            .any(|c| matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'))
        {
            kinds.push("zero-width character");
        }
        kinds.join(" and ")
    };
    if !lead.is_empty() {
        parts.push(format!("a leading {}", name(&lead)));
    }
    if !trail.is_empty() && trail.len() < v.len() {
        parts.push(format!("a trailing {}", name(&trail)));
    }
    let inner: String = v.trim_matches(is_stray_char).to_string();
    if crate::secret::placeholder::unbracketed(&inner).is_some() {
        parts.push(format!(
            "the template's brackets `{}…{}` kept around it",
            &inner[..1],
            &inner[inner.len() - 1..]
        ));
    }
    if inner.chars().any(|c| {
        matches!(
            c,
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'
        )
    }) {
        parts.push("a zero-width character inside".to_string());
    }
    Some(parts.join(", "))
}

/// Where a credential sits in a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredLocation {
    /// In `Authorization: Basic …`.
    BasicHeader,
    /// A form-body parameter of that name.
    BodyParam(String),
    /// A JSON-body field of that name.
    JsonField(String),
    /// A query-string parameter of that name.
    QueryParam(String),
    /// Somewhere else or unknown (e.g. an SDK call argument).
    Other(String),
}

/// Where a value came from in the user's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueOrigin {
    /// Written literally in the input.
    Literal,
    /// Read from an environment variable that is set here.
    Env(String),
    /// Read from an environment variable that is not set here (value unknown).
    EnvUnset(String),
    /// An expression gcdoctor could not resolve (value unknown).
    Unresolved(String),
}

/// A client id or secret found in the input: the value the user meant, and where it was.
/// Its `Debug` shows the value's shape only.
#[derive(Clone, PartialEq, Eq)]
pub struct FoundValue {
    /// The value as the user wrote or meant it (before any wire encoding). Empty when unknown.
    pub value: String,
    pub location: CredLocation,
    pub origin: ValueOrigin,
    /// 1-based line in the input.
    pub line: Option<usize>,
}

impl FoundValue {
    pub fn literal(value: &str, location: CredLocation, line: Option<usize>) -> FoundValue {
        FoundValue {
            value: value.to_string(),
            location,
            origin: ValueOrigin::Literal,
            line,
        }
    }

    /// True when the value is known (literal or from a set variable).
    pub fn is_known(&self) -> bool {
        matches!(self.origin, ValueOrigin::Literal | ValueOrigin::Env(_))
    }
}

/// The kind of input a request was imported from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputKind {
    Curl,
    Http,
    Har,
    Python,
    Js,
    /// A Postman collection v2.1 export.
    Postman,
    /// A PowerShell script (`Invoke-RestMethod`, `Invoke-WebRequest`).
    #[value(name = "powershell")]
    PowerShell,
    /// A C# program (`HttpClient`, RestSharp, the .NET SDK).
    #[value(name = "csharp")]
    CSharp,
    Java,
    Go,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Curl => "curl",
            InputKind::Http => "http",
            InputKind::Har => "har",
            InputKind::Python => "python",
            InputKind::Js => "js",
            InputKind::Postman => "postman",
            InputKind::PowerShell => "powershell",
            InputKind::CSharp => "csharp",
            InputKind::Java => "java",
            InputKind::Go => "go",
        }
    }
}

/// A part of the request, for mapping findings back to input lines.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Url,
    Method,
    Body,
    /// A header, lower-case name.
    Header(String),
    /// A body, query or JSON parameter by name.
    Param(String),
    /// The call that sends the request (scripts).
    Call,
}

/// Something in the input gcdoctor could not work out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolved {
    /// What it is ("the URL", "client_secret").
    pub what: String,
    /// The expression or text as written.
    pub expr: String,
    pub line: Option<usize>,
}

/// A request read from the user's input.
#[derive(Clone, Debug)]
pub struct ImportedRequest {
    pub kind: InputKind,
    /// The input's name (file path or `-`).
    pub source: String,
    /// The request as it would go on the wire, with the credentials as found.
    pub request: HttpRequest,
    pub client_id: Option<FoundValue>,
    pub client_secret: Option<FoundValue>,
    /// Input line of each part of the request.
    pub lines: BTreeMap<Part, usize>,
    pub unresolved: Vec<Unresolved>,
    /// Other things worth saying about the input (several requests in a HAR, …).
    pub notes: Vec<String>,
    /// For a script that logs in with an official SDK: the setting that chose the host, so
    /// a fix can name it.
    pub sdk: Option<SdkSetting>,
    /// Every credential position of the input, by role, with its span and text as written
    /// (see [`crate::credential_span`]).
    pub positions: Vec<crate::credential_span::CredentialPosition>,
    /// The credentials as meant where they differ from the ones sent ([`crate::intent`]).
    pub intent: crate::intent::Intent,
}

impl ImportedRequest {
    pub fn new(kind: InputKind, source: &str, request: HttpRequest) -> ImportedRequest {
        ImportedRequest {
            kind,
            source: source.to_string(),
            request,
            client_id: None,
            client_secret: None,
            lines: BTreeMap::new(),
            unresolved: Vec::new(),
            notes: Vec::new(),
            sdk: None,
            positions: Vec::new(),
            intent: Default::default(),
        }
    }

    pub fn line_of(&self, part: &Part) -> Option<usize> {
        self.lines.get(part).copied()
    }
}

/// An official Genesys Cloud SDK a script logs in with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SdkKind {
    /// `PureCloudPlatformClientV2` (Python): `ApiClient().get_client_credentials_token(id, secret)`.
    Python,
    /// `purecloud-platform-client-v2` (Node.js): `client.loginClientCredentialsGrant(id, secret)`.
    JavaScript,
    /// `PureCloudPlatform.Client.V2` (.NET): `Configuration.Default.ApiClient.PostToken(id, secret)`.
    DotNet,
    /// `com.mypurecloud:platform-client-v2` (Java): `apiClient.authorizeClientCredentials(id, secret)`.
    Java,
    /// `platformclientv2` (Go): `config.AuthorizeClientCredentials(id, secret)`.
    Go,
}

impl SdkKind {
    pub fn name(self) -> &'static str {
        match self {
            SdkKind::Python => "the Python SDK (PureCloudPlatformClientV2)",
            SdkKind::JavaScript => "the JavaScript SDK (purecloud-platform-client-v2)",
            SdkKind::DotNet => "the .NET SDK (PureCloudPlatform.Client.V2)",
            SdkKind::Java => "the Java SDK (platform-client-v2)",
            SdkKind::Go => "the Go SDK (platformclientv2)",
        }
    }
}

/// How an SDK script chooses the host it logs in to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SdkHost {
    /// `PureCloudPlatformClientV2.configuration.host = …` (or `Configuration().host`): the
    /// host every `ApiClient` created after it starts with.
    ConfigurationHost,
    /// `ApiClient(host=…)`.
    ClientArgument,
    /// `api_client.host = …` on the client itself.
    ClientAttribute,
    /// `client.setEnvironment(…)` (JavaScript).
    SetEnvironment,
    /// `ApiClient.setBasePath(…)` or `new ApiClient(basePath)` (.NET).
    SetBasePath,
    /// `ApiClient.Builder.standard().withBasePath(…)` (Java).
    BuilderBasePath,
    /// Nothing: the SDK's default, us-east-1 (`https://api.mypurecloud.com`, `mypurecloud.com`).
    Default,
}

/// The SDK setting that decides where an SDK script's token request goes, as the script
/// writes it: what a fix for a wrong host or region must change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdkSetting {
    pub kind: SdkKind,
    pub host: SdkHost,
    /// What to change, named as the script names it: `PureCloudPlatformClientV2.configuration.host`,
    /// `api_client.host`, `ApiClient`, `client.setEnvironment`. For [`SdkHost::Default`], the
    /// setting to add.
    pub target: String,
    /// The value as written (`PureCloudRegionHosts.us_east_1.get_api_host()`); empty for the default.
    pub expr: String,
    /// Line of the setting; for the default, of the call that creates the client or logs in.
    pub line: Option<usize>,
    /// How the script can name the SDK's region constants: `PureCloudRegionHosts`,
    /// `PureCloudPlatformClientV2.PureCloudRegionHosts`, `platformClient.PureCloudRegionHosts`.
    pub regions: String,
}

impl SdkSetting {
    /// The SDK's own value for region `r`: its region constant, or the host string where the
    /// SDK's region list lacks it (eusc-de-east-1 in the Python SDK).
    pub fn region_value(&self, r: &crate::region::Region) -> String {
        match self.kind {
            SdkKind::Python if r.in_python_sdk => {
                format!("{}.{}.get_api_host()", self.regions, r.sdk_key)
            }
            SdkKind::Python => format!("\"{}\"", r.api_base()),
            SdkKind::JavaScript | SdkKind::DotNet | SdkKind::Java => {
                format!("{}.{}", self.regions, r.sdk_key)
            }
            SdkKind::Go => format!("\"{}\"", r.api_base()),
        }
    }

    /// The change that points the script at region `r` (or, unknown, at "your region"), in
    /// the SDK's own terms, as one sentence.
    pub fn fix(&self, r: Option<&crate::region::Region>) -> String {
        let value = match r {
            Some(r) => self.region_value(r),
            None => match self.kind {
                SdkKind::Python => format!("{}.<your_region>.get_api_host()", self.regions),
                SdkKind::JavaScript | SdkKind::DotNet | SdkKind::Java => {
                    format!("{}.<your_region>", self.regions)
                }
                SdkKind::Go => "\"https://api.<your_region_domain>\"".to_string(),
            },
        };
        let at = self
            .line
            .map(|l| format!(" (line {l})"))
            .unwrap_or_default();
        let change = match (self.host, self.kind) {
            (SdkHost::ClientArgument, _) => {
                format!("Create the client with `{}(host={value})`{at}", self.target)
            }
            (SdkHost::SetEnvironment | SdkHost::SetBasePath, _) => {
                format!("Call `{}({value})`{at}", self.target)
            }
            (SdkHost::Default, SdkKind::DotNet) => {
                format!("Call `{}({value})` before PostToken{at}", self.target)
            }
            (SdkHost::Default, SdkKind::JavaScript) => {
                format!("Call `{}({value})` before logging in{at}", self.target)
            }
            (SdkHost::BuilderBasePath, _) | (SdkHost::Default, SdkKind::Java) => {
                format!("Build the client with `{}({value})`{at}", self.target)
            }
            (SdkHost::Default, SdkKind::Go) => {
                format!("Set `{} = {value}` before logging in{at}", self.target)
            }
            (SdkHost::Default, SdkKind::Python) => format!(
                "Set `{} = {value}` before the ApiClient is created{at}",
                self.target
            ),
            (SdkHost::ConfigurationHost | SdkHost::ClientAttribute, _) => {
                format!("Set `{} = {value}`{at}", self.target)
            }
        };
        match r {
            Some(r) => format!(
                "{change}: {} then posts to {}.",
                self.kind.name(),
                r.token_url()
            ),
            None => format!(
                "{change}, with your org's region (`gcdoctor explain GC103` lists them): {} derives the login host from it.",
                self.kind.name()
            ),
        }
    }
}

/// Credentials never reach `Debug` output (a panic message or a test failure may print it):
/// the Authorization value is masked by structure, secret query and body parameters are
/// replaced, any other header that may carry a credential is shown by shape.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, String)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = match k.to_ascii_lowercase().as_str() {
                    "authorization" | "proxy-authorization" => {
                        crate::secret::basic::mask_authorization(v)
                    }
                    "content-type" | "accept" | "user-agent" | "host" | "content-length"
                    | "accept-encoding" | "connection" => v.clone(),
                    _ => format!("{:?}", Shape(v)),
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &crate::secret::mask::url(&self.url))
            .field("headers", &headers)
            .field("body", &body::Body::parse(self))
            .finish()
    }
}

impl fmt::Debug for FoundValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FoundValue")
            .field("value", &Shape(&self.value))
            .field("location", &self.location)
            .field("origin", &self.origin)
            .field("line", &self.line)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_is_what_the_sdks_send() {
        let r = canonical("https://login.mypurecloud.ie/oauth/token", "id", "s+/=");
        assert_eq!(r.method, "POST");
        assert_eq!(
            r.header("authorization"),
            Some(basic_value("id", "s+/=").as_str())
        );
        assert_eq!(r.media_type().as_deref(), Some(FORM));
        assert_eq!(r.body, b"grant_type=client_credentials");
    }

    #[test]
    fn form_round_trip() {
        for v in ["a+b", "a b", "%2B", "&=#", "é"] {
            assert_eq!(form_decode(&form_encode(v)), v);
        }
        assert_eq!(form_decode("a+b"), "a b");
    }

    #[test]
    fn cleaning_and_describing_stray_characters() {
        assert_eq!(clean_value("\u{feff}\"abc\"\n"), "abc");
        assert_eq!(
            stray_description("abc\n").as_deref(),
            Some("a trailing newline")
        );
        assert_eq!(stray_description("abc"), None);
        let c = Credentials::new("id ", "s");
        assert_eq!(c.cleaned().unwrap().id, "id");
        assert!(Credentials::new("abc", "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b").looks_swapped());
    }

    #[test]
    fn set_header_replaces_in_place() {
        let mut r = HttpRequest::new("POST", "https://x");
        r.headers.push(("content-type".into(), "a".into()));
        r.headers.push(("X".into(), "1".into()));
        r.headers.push(("Content-Type".into(), "b".into()));
        r.set_header("Content-Type", FORM);
        assert_eq!(
            r.headers,
            vec![
                ("content-type".into(), FORM.into()),
                ("X".into(), "1".into())
            ]
        );
    }
}
