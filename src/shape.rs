//! The shape of a token request: every way it differs from the canonical one.
//!
//! [`analyze`] reads a request the way the token endpoint does (media type, form parameters,
//! query, Basic header) and lists its defects, each tied to a catalogue cause and, where the
//! defect is one *dimension* of the request, to a [`Dim`]. `gcdoctor lint` prints these
//! defects; `gcdoctor diagnose` uses the dimensions for delta debugging: [`apply`] flips one
//! dimension of the user's request toward the canonical request, and the flip that turns a
//! rejection into a token is the cause.
//!
//! Only what the request shows is reported here, never forum folklore: a `charset` on the
//! content type, a missing `Accept` header or the absence of `scope` are not defects.

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::region::{self, HostKind, Region};
use crate::request::{
    FORM, FoundValue, HttpRequest, Part, basic_value, clean_value, form_decode, form_encode,
    stray_description,
};
use crate::secret::{Shape, describe_shape, is_uuid_shaped, mask};
use std::collections::BTreeMap;
use std::fmt;

/// One dimension of a token request, in the order causes are preferred when several
/// dimensions each explain a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dim {
    /// Scheme, host and path.
    Url,
    Method,
    /// JSON (or other) body instead of a form.
    BodyFormat,
    ContentType,
    GrantType,
    /// Parameters in the query string.
    Query,
    /// Credentials in the body or query instead of the Basic header.
    Placement,
    BasicHeader,
    /// How the secret is encoded where it is sent.
    Encoding,
    /// Stray whitespace, quotes or BOM around the values.
    Whitespace,
    /// `scope` and other parameters the grant does not take.
    Extras,
}

impl Dim {
    pub const ALL: [Dim; 11] = [
        Dim::Url,
        Dim::Method,
        Dim::BodyFormat,
        Dim::ContentType,
        Dim::GrantType,
        Dim::Query,
        Dim::Placement,
        Dim::BasicHeader,
        Dim::Encoding,
        Dim::Whitespace,
        Dim::Extras,
    ];

    /// The cause a defect in this dimension is.
    pub fn cause(self, analysis: &Analysis) -> CauseId {
        match self {
            Dim::Url => {
                if analysis.host_kind == Some(HostKind::Unknown) {
                    CauseId::UnknownDomain
                } else {
                    CauseId::WrongTokenUrl
                }
            }
            Dim::Method => CauseId::WrongMethod,
            Dim::BodyFormat => CauseId::JsonBody,
            Dim::ContentType => CauseId::ContentTypeWrong,
            Dim::GrantType => CauseId::GrantTypeWrong,
            Dim::Query => CauseId::CredentialsInQuery,
            Dim::Placement => CauseId::CredentialsInBody,
            Dim::BasicHeader => CauseId::BasicHeaderMalformed,
            Dim::Encoding => CauseId::SecretEncoding,
            Dim::Whitespace => CauseId::CredentialWhitespace,
            Dim::Extras => CauseId::ScopeParameter,
        }
    }

    /// Short label for reports: "host and path", "credential placement", …
    pub fn label(self) -> &'static str {
        match self {
            Dim::Url => "host and path",
            Dim::Method => "method",
            Dim::BodyFormat => "body format",
            Dim::ContentType => "content type",
            Dim::GrantType => "grant type",
            Dim::Query => "query string",
            Dim::Placement => "credential placement",
            Dim::BasicHeader => "Basic header",
            Dim::Encoding => "secret encoding",
            Dim::Whitespace => "stray characters in the credentials",
            Dim::Extras => "scope and extra parameters",
        }
    }
}

/// A defect of the request: a finding, and the dimension to flip to remove it.
#[derive(Clone, Debug)]
pub struct Defect {
    pub dim: Option<Dim>,
    pub finding: Finding,
}

/// The values the user meant for id and secret, where known.
#[derive(Clone, Debug, Default)]
pub struct Intended {
    pub id: Option<FoundValue>,
    pub secret: Option<FoundValue>,
}

impl Intended {
    fn known_id(&self) -> Option<&str> {
        self.id
            .as_ref()
            .filter(|v| v.is_known())
            .map(|v| v.value.as_str())
    }
    fn known_secret(&self) -> Option<&str> {
        self.secret
            .as_ref()
            .filter(|v| v.is_known())
            .map(|v| v.value.as_str())
    }
}

/// Everything [`analyze`] saw.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub defects: Vec<Defect>,
    /// The region of the URL's domain, if it is a region domain.
    pub region: Option<&'static Region>,
    pub host_kind: Option<HostKind>,
    pub body: Body,
}

impl Analysis {
    /// The dimensions in which the request differs from the canonical one.
    pub fn dims(&self) -> Vec<Dim> {
        let mut d: Vec<Dim> = self.defects.iter().filter_map(|x| x.dim).collect();
        d.sort();
        d.dedup();
        d
    }

    pub fn findings(&self) -> Vec<Finding> {
        self.defects.iter().map(|d| d.finding.clone()).collect()
    }

    /// True when one of the defects is of that cause.
    pub fn has(&self, cause: CauseId) -> bool {
        self.defects.iter().any(|d| d.finding.cause == cause)
    }
}

const CRED_PARAMS: [&str; 2] = ["client_id", "client_secret"];

/// Reads a request the way the token endpoint does and lists its defects.
pub fn analyze(req: &HttpRequest, intended: &Intended, lines: &BTreeMap<Part, usize>) -> Analysis {
    let line = |p: Part| lines.get(&p).copied();
    let param_line = |name: &str| {
        line(Part::Param(name.to_string()))
            .or_else(|| line(Part::Body))
            .or_else(|| line(Part::Call))
    };
    let mut out: Vec<Defect> = Vec::new();
    let mut push = |dim: Option<Dim>, f: Finding| out.push(Defect { dim, finding: f });

    // --- URL -------------------------------------------------------------------------
    let mut region = None;
    let mut host_kind = None;
    match req.parsed_url() {
        None => push(
            Some(Dim::Url),
            Finding::new(
                CauseId::WrongTokenUrl,
                Severity::Error,
                format!(
                    "the URL `{}` is not an absolute http(s) URL",
                    crate::secret::mask::url(&req.url)
                ),
            )
            .at_line(line(Part::Url)),
        ),
        Some(u) => {
            let host = u.host_str().unwrap_or_default().to_ascii_lowercase();
            let kind = region::classify_host(&host);
            host_kind = Some(kind);
            region = kind.region();
            let path = u.path();
            match kind {
                HostKind::Unknown => {
                    let hint = if host.ends_with("genesys.cloud") || host.contains("mygenesyscloud")
                    {
                        " (hosts like this appear in forum answers; Genesys Cloud has no per-organisation or `genesys.cloud` API hosts)"
                    } else {
                        ""
                    };
                    push(
                        Some(Dim::Url),
                        Finding::new(
                            CauseId::UnknownDomain,
                            Severity::Error,
                            format!("`{host}` is not a Genesys Cloud host{hint}"),
                        )
                        .evidence(format!("URL: {}", u))
                        .fix("Use https://login.<your region's domain>/oauth/token, e.g. https://login.mypurecloud.com/oauth/token (Americas) or https://login.mypurecloud.ie/oauth/token (EMEA); see `gcdoctor explain GC102` for every region.")
                        .at_line(line(Part::Url)),
                    )
                }
                HostKind::Login(r) if path == "/oauth/token" => {
                    if u.scheme() != "https" {
                        push(
                            Some(Dim::Url),
                            Finding::new(
                                CauseId::WrongTokenUrl,
                                Severity::Error,
                                format!(
                                    "the URL uses `{}`; the login service is HTTPS only",
                                    u.scheme()
                                ),
                            )
                            .fix(format!("Use {}", r.token_url()))
                            .at_line(line(Part::Url)),
                        )
                    }
                }
                HostKind::Login(r) | HostKind::Api(r) | HostKind::OtherInDomain(r) => {
                    let what = match kind {
                        HostKind::Login(_) => {
                            format!("the path `{path}` is not the token endpoint")
                        }
                        HostKind::Api(_) if path.starts_with("/api/v2/") => format!(
                            "`{host}{path}` is a Platform API URL; tokens come from the login host"
                        ),
                        HostKind::Api(_) => format!(
                            "`{host}` is the Platform API host; tokens come from `{}`",
                            r.login_host()
                        ),
                        _ => format!("`{host}` is not the login host of {}", r.key),
                    };
                    push(
                        Some(Dim::Url),
                        Finding::new(CauseId::WrongTokenUrl, Severity::Error, what)
                            .evidence(format!("URL: {u}"))
                            .fix(format!("POST to {}", r.token_url()))
                            .at_line(line(Part::Url)),
                    )
                }
            }
        }
    }

    // --- method ----------------------------------------------------------------------
    if !req.method.eq_ignore_ascii_case("POST") {
        push(
            Some(Dim::Method),
            Finding::new(
                CauseId::WrongMethod,
                Severity::Error,
                format!(
                    "the request is a {}; the token endpoint takes POST",
                    req.method.to_ascii_uppercase()
                ),
            )
            .at_line(line(Part::Method).or_else(|| line(Part::Call))),
        );
    }

    // --- body format and content type ------------------------------------------------
    let body = Body::parse(req);
    let media = req.media_type();
    let ct_line = line(Part::Header("content-type".into())).or_else(|| line(Part::Body));
    match &body {
        Body::Json(_) => push(
            Some(Dim::BodyFormat),
            Finding::new(
                CauseId::JsonBody,
                Severity::Error,
                "the body is JSON; the token endpoint reads form-encoded parameters",
            )
            .evidence(format!(
                "Content-Type: {}",
                req.header("content-type").unwrap_or("(none)")
            ))
            .fix("Send the parameters form-encoded: `data=` (not `json=`) in requests, `-d` (not `--json`) in curl.")
            .at_line(line(Part::Body).or(ct_line)),
        ),
        Body::Form(_) | Body::Multipart(_) if media.as_deref() != Some(FORM) => {
            let what = match (&body, media.as_deref()) {
                (Body::Multipart(_), _) => "the body is multipart/form-data; the token endpoint reads application/x-www-form-urlencoded".to_string(),
                (_, None) => "the form body is sent without a Content-Type, so the server does not read it as a form".to_string(),
                (_, Some(m)) => format!("the form body is sent as `{m}`; it must be `{FORM}`"),
            };
            push(
                Some(Dim::ContentType),
                Finding::new(CauseId::ContentTypeWrong, Severity::Error, what)
                    .fix(format!("Send `Content-Type: {FORM}` (requests and curl -d set it for you)."))
                    .at_line(ct_line),
            )
        }
        Body::Raw if !req.body.is_empty() => push(
            Some(Dim::BodyFormat),
            Finding::new(
                CauseId::ContentTypeWrong,
                Severity::Error,
                "the body is neither a form nor JSON; the token endpoint reads `grant_type=client_credentials` form-encoded",
            )
            .at_line(line(Part::Body)),
        ),
        _ => {}
    }

    // --- parameters ------------------------------------------------------------------
    let query: Vec<(String, String)> = req
        .parsed_url()
        .map(|u| {
            u.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let body_params = body.params();
    let grant = body_params
        .iter()
        .chain(query.iter())
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.clone());
    match grant.as_deref() {
        None => push(
            Some(Dim::GrantType),
            Finding::new(
                CauseId::GrantTypeWrong,
                Severity::Error,
                "no `grant_type` is sent",
            )
            .at_line(line(Part::Body).or_else(|| line(Part::Call))),
        ),
        Some("client_credentials") => {}
        Some(other) => push(
            Some(Dim::GrantType),
            Finding::new(
                CauseId::GrantTypeWrong,
                Severity::Error,
                format!("`grant_type` is `{other}`; it must be exactly `client_credentials`"),
            )
            .at_line(param_line("grant_type")),
        ),
    }
    if !query.is_empty() {
        let names: Vec<&str> = query.iter().map(|(k, _)| k.as_str()).collect();
        let secret_in_query = names.contains(&"client_secret");
        push(
            Some(Dim::Query),
            Finding::new(
                CauseId::CredentialsInQuery,
                if secret_in_query {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!(
                    "parameters in the URL query string: {}{}",
                    names.join(", "),
                    if secret_in_query {
                        " (a secret in a URL ends up in proxy and server logs)"
                    } else {
                        ""
                    }
                ),
            )
            .at_line(line(Part::Url)),
        );
    }
    let body_creds: Vec<&str> = CRED_PARAMS
        .iter()
        .copied()
        .filter(|p| body.has(p))
        .collect();
    let auth_header = req.header("authorization");
    if !body_creds.is_empty() {
        let both = auth_header.is_some();
        push(
            Some(Dim::Placement),
            Finding::new(
                CauseId::CredentialsInBody,
                Severity::Warning,
                if both {
                    format!("credentials are sent twice: in the Authorization header and as {} in the body", body_creds.join(" and "))
                } else {
                    format!("the credentials are sent as {} in the body, not in a Basic header", body_creds.join(" and "))
                },
            )
            .evidence("The service advertises both client_secret_basic and client_secret_post; the official SDKs all use the Basic header.")
            .at_line(param_line(body_creds.last().copied().unwrap_or("client_secret"))),
        );
    }
    let extras: Vec<String> = body_params
        .iter()
        .chain(query.iter())
        .map(|(k, _)| k.clone())
        .filter(|k| k != "grant_type" && !CRED_PARAMS.contains(&k.as_str()))
        .map(|k| crate::secret::mask::param_name(&k))
        .collect();
    if !extras.is_empty() {
        let scope = extras.iter().any(|k| k == "scope");
        push(
            Some(Dim::Extras),
            Finding::new(
                CauseId::ScopeParameter,
                Severity::Warning,
                if scope {
                    "a `scope` is sent; client-credentials tokens get their permissions from the client's roles, not from scopes".to_string()
                } else {
                    format!("parameters the client-credentials grant does not take: {}", extras.join(", "))
                },
            )
            .at_line(param_line(extras.first().map(String::as_str).unwrap_or("scope"))),
        );
    }

    // --- Basic header ------------------------------------------------------------------
    let mut seen_id: Option<String> = None;
    let mut seen_secret: Option<String> = None;
    let auth_line = line(Part::Header("authorization".into()));
    if let Some(value) = auth_header {
        match read_basic(value) {
            BasicView::Malformed(why) => push(
                Some(Dim::BasicHeader),
                Finding::new(
                    CauseId::BasicHeaderMalformed,
                    Severity::Error,
                    format!("the Authorization header is malformed: {why}"),
                )
                .at_line(auth_line),
            ),
            BasicView::Ok { id, secret } => {
                seen_id = Some(id);
                seen_secret = Some(secret);
            }
        }
        if req.header_count("authorization") > 1 {
            push(
                Some(Dim::BasicHeader),
                Finding::new(
                    CauseId::BasicHeaderMalformed,
                    Severity::Error,
                    "more than one Authorization header is sent",
                )
                .at_line(auth_line),
            );
        }
    } else if body_creds.is_empty() && !query.iter().any(|(k, _)| k == "client_secret") {
        push(
            Some(Dim::BasicHeader),
            Finding::new(CauseId::BasicHeaderMalformed, Severity::Error, "no client credentials are sent (no Authorization header, no client_id/client_secret)")
                .at_line(line(Part::Call).or(line(Part::Url))),
        );
    }
    if seen_secret.is_none() {
        let from_params = body_params.iter().chain(query.iter());
        for (k, v) in from_params {
            if k == "client_id" && seen_id.is_none() {
                seen_id = Some(v.clone());
            }
            if k == "client_secret" && seen_secret.is_none() {
                seen_secret = Some(v.clone());
            }
        }
    }

    // --- encoding: what the server reads vs what the user meant --------------------------
    if let (Some(meant), Some(seen)) = (intended.known_secret(), seen_secret.as_deref())
        && meant != seen
        && clean_value(meant) != clean_value(seen)
    {
        let in_header = matches!(
            intended.secret.as_ref().map(|v| &v.location),
            Some(crate::request::CredLocation::BasicHeader)
        );
        let why = if seen.contains(' ') && meant.contains('+') {
            "a `+` in the secret is sent unencoded, and the server decodes it as a space"
                .to_string()
        } else if form_decode(seen) == meant || seen.contains('%') && !meant.contains('%') {
            "the secret is percent-encoded once too often".to_string()
        } else {
            format!(
                "the server reads a different secret ({}) from the one meant ({})",
                describe_shape(seen),
                describe_shape(meant)
            )
        };
        push(
            Some(if in_header {
                Dim::BasicHeader
            } else {
                Dim::Encoding
            }),
            crate::secret::structure::difference(meant, seen)
                .into_iter()
                .fold(
                    Finding::new(CauseId::SecretEncoding, Severity::Error, why),
                    Finding::evidence,
                )
                .at_line(intended.secret.as_ref().and_then(|v| v.line).or(auth_line)),
        );
    } else if let Some(seen) = seen_secret.as_deref() {
        if intended.known_secret().is_none() && seen.contains(' ') {
            push(
                Some(Dim::Encoding),
                Finding::new(CauseId::SecretEncoding, Severity::Warning, "the secret as the server reads it contains a space; Genesys secrets have none, so a `+` was probably sent unencoded")
                    .at_line(param_line("client_secret").or(auth_line)),
            );
        }
        if looks_percent_encoded(seen) {
            push(
                None,
                Finding::new(CauseId::SecretEncoding, Severity::Warning, "the secret as the server reads it still contains %XX sequences: it may be percent-encoded twice")
                    .at_line(param_line("client_secret").or(auth_line)),
            );
        }
    }
    if let Some(s) = intended.known_secret().or(seen_secret.as_deref())
        && !s.is_ascii()
    {
        push(
            None,
            Finding::new(CauseId::SecretEncoding, Severity::Warning, "the secret has non-ASCII characters: the Python SDK cannot send it, and .NET (ISO-8859-1) and Go/Java/JS (UTF-8) encode it differently")
                .at_line(intended.secret.as_ref().and_then(|v| v.line)),
        );
    }

    // --- the values themselves -----------------------------------------------------------
    let id_value = intended.known_id().map(str::to_string).or(seen_id.clone());
    let secret_value = intended
        .known_secret()
        .map(str::to_string)
        .or(seen_secret.clone());
    let id_line = intended.id.as_ref().and_then(|v| v.line);
    let secret_line = intended.secret.as_ref().and_then(|v| v.line);
    for (what, v, l) in [
        ("client id", &id_value, id_line),
        ("client secret", &secret_value, secret_line),
    ] {
        if let Some(v) = v
            && let Some(desc) = stray_description(v)
        {
            push(
                Some(Dim::Whitespace),
                Finding::new(
                    CauseId::CredentialWhitespace,
                    Severity::Error,
                    format!("the {what} has {desc}"),
                )
                .at_line(l.or(auth_line)),
            );
        }
    }
    let id_placeholder = id_value.as_deref().is_some_and(is_placeholder);
    let secret_placeholder = secret_value.as_deref().is_some_and(is_placeholder);
    if id_placeholder || secret_placeholder {
        let which = match (id_placeholder, secret_placeholder) {
            (true, true) => "the client id and the secret are",
            (true, false) => "the client id is",
            _ => "the client secret is",
        };
        let mut f = Finding::new(
            CauseId::PlaceholderCredentials,
            Severity::Error,
            format!("{which} a template value, not real credentials"),
        )
        .at_line(if id_placeholder { id_line } else { secret_line }.or(auth_line));
        if id_placeholder && let Some(id) = &id_value {
            // Not UUID-shaped, so shown by shape only (contract §4).
            f = f.evidence(format!("client id: {}", mask(id)));
        }
        if secret_placeholder && let Some(s) = &secret_value {
            f = f.evidence(format!("client secret: {}", mask(s)));
        }
        push(None, f);
    }
    if let (Some(id), Some(secret)) = (&id_value, &secret_value) {
        let (id, secret) = (clean_value(id), clean_value(secret));
        if !id_placeholder && !is_uuid_shaped(&id) && is_uuid_shaped(&secret) {
            push(
                None,
                Finding::new(
                    CauseId::IdSecretSwapped,
                    Severity::Error,
                    "the \"client id\" is not a UUID but the \"secret\" is: they look swapped",
                )
                .at_line(id_line.or(auth_line)),
            );
        } else if !id_placeholder && !id.is_empty() && !is_uuid_shaped(&id) {
            push(
                None,
                Finding::new(
                    CauseId::UnknownClient,
                    Severity::Warning,
                    format!("the client id is not UUID-shaped ({}); Genesys client ids look like 3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b", describe_shape(&id)),
                )
                .at_line(id_line.or(auth_line)),
            );
        }
    }

    out.sort_by_key(|d| (d.finding.severity, d.dim.unwrap_or(Dim::Extras)));
    Analysis {
        defects: out,
        region,
        host_kind,
        body,
    }
}

fn looks_percent_encoded(v: &str) -> bool {
    let b = v.as_bytes();
    b.windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

pub use crate::request::body::Body;
pub use crate::secret::basic::{BasicView, read_basic};
pub use crate::secret::placeholder::is_placeholder;

/// What the fixes need: the canonical URL and the credentials as meant and cleaned. Its
/// `Debug` shows the secret's shape only.
#[derive(Clone)]
pub struct FixContext {
    pub token_url: String,
    pub id: String,
    pub secret: String,
}

/// The request with one dimension flipped toward the canonical request.
pub fn apply(req: &HttpRequest, dim: Dim, ctx: &FixContext) -> HttpRequest {
    let mut r = req.clone();
    let body = Body::parse(req);
    match dim {
        Dim::Url => {
            let query = req.parsed_url().and_then(|u| u.query().map(str::to_string));
            r.url = match query {
                Some(q) => format!("{}?{q}", ctx.token_url),
                None => ctx.token_url.clone(),
            };
        }
        Dim::Method => r.method = "POST".into(),
        Dim::BodyFormat => {
            set_form(&mut r, &body.params());
        }
        Dim::ContentType => {
            if matches!(body, Body::Multipart(_)) {
                set_form(&mut r, &body.params());
            } else {
                r.set_header("Content-Type", FORM);
            }
        }
        Dim::GrantType => {
            if let Some(mut u) = r.parsed_url()
                && u.query_pairs().any(|(k, _)| k == "grant_type")
            {
                let kept: Vec<(String, String)> = u
                    .query_pairs()
                    .filter(|(k, _)| k != "grant_type")
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                set_query(&mut u, &kept);
                r.url = u.to_string();
            }
            edit_params(&mut r, &body, |p| {
                p.retain(|(k, _)| k != "grant_type");
                p.insert(0, ("grant_type".into(), "client_credentials".into()));
            });
        }
        Dim::Query => {
            if let Some(mut u) = r.parsed_url() {
                let moved: Vec<(String, String)> = u
                    .query_pairs()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                u.set_query(None);
                r.url = u.to_string();
                edit_params(&mut r, &body, |p| {
                    for (k, v) in moved {
                        if !p.iter().any(|(pk, _)| *pk == k) {
                            p.push((k, v));
                        }
                    }
                });
            }
        }
        Dim::Placement => {
            // Move the values the server reads from the body into a Basic header, as they are.
            let params = body.params();
            let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
            let (id, secret) = (get("client_id"), get("client_secret"));
            edit_params(&mut r, &body, |p| {
                p.retain(|(k, _)| !CRED_PARAMS.contains(&k.as_str()))
            });
            if r.header("authorization").is_none() {
                r.set_header(
                    "Authorization",
                    &basic_value(
                        id.as_deref().unwrap_or(&ctx.id),
                        secret.as_deref().unwrap_or(&ctx.secret),
                    ),
                );
            }
        }
        Dim::BasicHeader => {
            r.set_header("Authorization", &basic_value(&ctx.id, &ctx.secret));
        }
        Dim::Encoding => {
            if r.header("authorization").is_some() && !body.has("client_secret") {
                r.set_header("Authorization", &basic_value(&ctx.id, &ctx.secret));
            }
            replace_cred_values(&mut r, &body, &ctx.id, &ctx.secret);
        }
        Dim::Whitespace => {
            let (id, secret) = (clean_value(&ctx.id), clean_value(&ctx.secret));
            if let Some(v) = r.header("authorization")
                && let BasicView::Ok {
                    id: hid,
                    secret: hs,
                } = read_basic(v)
            {
                r.set_header(
                    "Authorization",
                    &basic_value(&clean_value(&hid), &clean_value(&hs)),
                );
            }
            replace_cred_values(&mut r, &body, &id, &secret);
        }
        Dim::Extras => {
            if let Some(mut u) = r.parsed_url()
                && u.query().is_some()
            {
                let kept: Vec<(String, String)> = u
                    .query_pairs()
                    .filter(|(k, _)| k == "grant_type" || CRED_PARAMS.contains(&k.as_ref()))
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                set_query(&mut u, &kept);
                r.url = u.to_string();
            }
            edit_params(&mut r, &body, |p| {
                p.retain(|(k, _)| k == "grant_type" || CRED_PARAMS.contains(&k.as_str()))
            });
        }
    }
    r
}

fn set_query(u: &mut url::Url, pairs: &[(String, String)]) {
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
}

/// Replaces the body with a form of these (decoded) parameters.
fn set_form(r: &mut HttpRequest, params: &[(String, String)]) {
    r.body = encode_form(params).into_bytes();
    r.set_header("Content-Type", FORM);
}

fn encode_form(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Edits the body's parameters in its own format; raw form pairs the edit leaves alone keep
/// their bytes, so other dimensions (such as a bad encoding) survive the edit.
fn edit_params(r: &mut HttpRequest, body: &Body, f: impl FnOnce(&mut Vec<(String, String)>)) {
    match body {
        Body::Json(m) => {
            let mut p: Vec<(String, String)> = Body::Json(m.clone()).params();
            f(&mut p);
            let mut out = serde_json::Map::new();
            for (k, v) in p {
                let orig = m.get(&k).cloned();
                out.insert(k, orig.unwrap_or(serde_json::Value::String(v)));
            }
            r.body = serde_json::to_vec(&serde_json::Value::Object(out)).unwrap_or_default();
        }
        Body::Form(raw) => {
            let decoded: Vec<(String, String)> = body.params();
            let mut p = decoded.clone();
            f(&mut p);
            let parts: Vec<String> = p
                .iter()
                .map(
                    |(k, v)| match decoded.iter().position(|(dk, dv)| dk == k && dv == v) {
                        Some(i) => format!("{}={}", raw[i].0, raw[i].1),
                        None => format!("{}={}", form_encode(k), form_encode(v)),
                    },
                )
                .collect();
            r.body = parts.join("&").into_bytes();
        }
        Body::Multipart(_) | Body::Empty | Body::Raw => {
            let mut p = body.params();
            f(&mut p);
            if !p.is_empty() || matches!(body, Body::Multipart(_)) {
                set_form(r, &p);
            }
        }
    }
}

/// Puts these values, properly encoded, where the body or query carries the credentials.
fn replace_cred_values(r: &mut HttpRequest, body: &Body, id: &str, secret: &str) {
    let value_for = |k: &str| match k {
        "client_id" => Some(id.to_string()),
        "client_secret" => Some(secret.to_string()),
        _ => None,
    };
    if body.has("client_id") || body.has("client_secret") {
        edit_params(r, body, |p| {
            for (k, v) in p.iter_mut() {
                if let Some(nv) = value_for(k) {
                    *v = nv;
                }
            }
        });
    }
    if let Some(mut u) = r.parsed_url()
        && u.query_pairs()
            .any(|(k, _)| CRED_PARAMS.contains(&k.as_ref()))
    {
        let pairs: Vec<(String, String)> = u
            .query_pairs()
            .map(|(k, v)| {
                let nv = value_for(&k).unwrap_or_else(|| v.to_string());
                (k.into_owned(), nv)
            })
            .collect();
        set_query(&mut u, &pairs);
        r.url = u.to_string();
    }
}

/// The intended value of a form value written by hand (curl `-d`, a raw HTTP body, a Python
/// string): `%XX` decoded, `+` kept, because Genesys secrets never contain spaces but may
/// contain `+`.
pub fn intended_from_raw_form(raw: &str) -> String {
    let kept = raw.replace('+', "%2B");
    percent_encoding::percent_decode_str(&kept)
        .decode_utf8_lossy()
        .into_owned()
}

impl fmt::Debug for FixContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FixContext")
            .field("token_url", &self.token_url)
            .field("id", &self.id)
            .field("secret", &Shape(&self.secret))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{CredLocation, canonical};
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    const ID: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";
    const URL: &str = "https://login.mypurecloud.ie/oauth/token";

    fn analyze_plain(r: &HttpRequest) -> Analysis {
        analyze(r, &Intended::default(), &BTreeMap::new())
    }

    fn causes(a: &Analysis) -> Vec<CauseId> {
        a.defects.iter().map(|d| d.finding.cause).collect()
    }

    #[test]
    fn canonical_request_has_no_defect() {
        let r = canonical(URL, ID, "s3cr3t-value-with+plus/and=equals");
        let a = analyze_plain(&r);
        assert!(a.defects.is_empty(), "{:?}", a.defects);
        assert_eq!(a.region.map(|r| r.key), Some("eu-west-1"));
    }

    #[test]
    fn forum_request_shows_its_real_defects() {
        // The shape of the seed threads: api host, body credentials, scope.
        let mut r = HttpRequest::new("POST", "https://api.mypurecloud.com/oauth/token");
        r.headers.push(("Content-Type".into(), FORM.into()));
        r.body = format!("grant_type=client_credentials&client_id={ID}&client_secret=abcDEF123456789abcDEF123456789abcDEF1234567&scope=conversation%3Aread").into_bytes();
        let a = analyze_plain(&r);
        assert_eq!(
            causes(&a),
            vec![
                CauseId::WrongTokenUrl,
                CauseId::CredentialsInBody,
                CauseId::ScopeParameter
            ]
        );
        assert_eq!(a.dims(), vec![Dim::Url, Dim::Placement, Dim::Extras]);
    }

    #[test]
    fn json_body_and_missing_grant() {
        let mut r = canonical(URL, ID, "x-secret-value-123");
        r.set_header("Content-Type", "application/json");
        r.body = br#"{"grant_type":"client_credentials"}"#.to_vec();
        assert_eq!(causes(&analyze_plain(&r)), vec![CauseId::JsonBody]);
        let fixed = apply(&r, Dim::BodyFormat, &ctx("x-secret-value-123"));
        assert!(analyze_plain(&fixed).defects.is_empty());

        r.body.clear();
        r.set_header("Content-Type", FORM);
        assert_eq!(causes(&analyze_plain(&r)), vec![CauseId::GrantTypeWrong]);
    }

    fn ctx(secret: &str) -> FixContext {
        FixContext {
            token_url: URL.into(),
            id: ID.into(),
            secret: secret.into(),
        }
    }

    #[test]
    fn unencoded_plus_is_an_encoding_defect_and_the_flip_fixes_only_that() {
        let secret = "ab+cd/ef=gh-secret-value";
        let mut r = HttpRequest::new("POST", URL);
        r.headers.push(("Content-Type".into(), FORM.into()));
        r.body = format!("grant_type=client_credentials&client_id={ID}&client_secret={secret}")
            .into_bytes();
        let intended = Intended {
            id: Some(FoundValue::literal(
                ID,
                CredLocation::BodyParam("client_id".into()),
                Some(3),
            )),
            secret: Some(FoundValue::literal(
                secret,
                CredLocation::BodyParam("client_secret".into()),
                Some(4),
            )),
        };
        let a = analyze(&r, &intended, &BTreeMap::new());
        assert!(a.has(CauseId::SecretEncoding), "{:?}", causes(&a));
        let fixed = apply(&r, Dim::Encoding, &ctx(secret));
        let body = String::from_utf8(fixed.body.clone()).unwrap();
        assert!(
            body.contains("client_secret=ab%2Bcd%2Fef%3Dgh-secret-value"),
            "{body}"
        );
        // Moving the mangled value to a Basic header keeps it mangled: one dimension only.
        let moved = apply(&r, Dim::Placement, &ctx(secret));
        match read_basic(moved.header("authorization").unwrap()) {
            BasicView::Ok { secret: s, .. } => assert_eq!(s, "ab cd/ef=gh-secret-value"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_basic_headers() {
        for (value, needle) in [
            ("Bearer abc", "scheme"),
            (&format!("Basic {ID}:secret") as &str, "not base64"),
            (
                &format!("Basic {}", STANDARD.encode(ID)) as &str,
                "single value",
            ),
            (
                &format!(
                    "Basic {}",
                    STANDARD.encode(STANDARD.encode(format!("{ID}:s")))
                ) as &str,
                "twice",
            ),
        ] {
            match read_basic(value) {
                BasicView::Malformed(why) => assert!(why.contains(needle), "{value}: {why}"),
                ok => panic!("{value}: {ok:?}"),
            }
        }
        assert_eq!(
            read_basic(&basic_value(ID, "a:b")),
            BasicView::Ok {
                id: ID.into(),
                secret: "a:b".into()
            }
        );
    }

    #[test]
    fn placeholders() {
        for p in [
            "YOUR_CLIENT_ID",
            "my-client-id",
            "xxx",
            "<client_secret>",
            "{client_id}",
            "abc123",
            "your-secret-here",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for real in [
            ID,
            "k7Qp-2xZ_9vLmN4sT8wYbR1cE6fH3jU5oI0aD-gKl",
            "${CLIENT_ID}",
        ] {
            assert!(!is_placeholder(real), "{real}");
        }
    }

    #[test]
    fn hosts_and_paths() {
        let a = analyze_plain(&canonical(
            "https://api.us.genesys.cloud/oauth/token",
            ID,
            "secret-value-1234",
        ));
        assert_eq!(causes(&a), vec![CauseId::UnknownDomain]);
        let a = analyze_plain(&canonical(
            "https://login.mypurecloud.com/api/v2/oauth/token",
            ID,
            "secret-value-1234",
        ));
        assert_eq!(causes(&a), vec![CauseId::WrongTokenUrl]);
        let a = analyze_plain(&canonical(
            "http://login.mypurecloud.com/oauth/token",
            ID,
            "secret-value-1234",
        ));
        assert_eq!(causes(&a), vec![CauseId::WrongTokenUrl]);
    }

    #[test]
    fn intended_value_of_hand_written_form() {
        assert_eq!(intended_from_raw_form("ab+cd"), "ab+cd");
        assert_eq!(intended_from_raw_form("ab%2Bcd"), "ab+cd");
    }
}
