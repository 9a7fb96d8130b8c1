//! What a recognised answer can and cannot mean, grounded in genesys-facts.md.
//!
//! The login service gives one answer for many causes (facts §3.2: a wrong secret, an unknown
//! client and a client of another region all get `invalid_client` "authentication failed", and
//! the status, 400 or 401, does not tell them apart). So an answer is read as a *family*
//! ([`Family`]), and each family lists the causes it is consistent with and those it rules out,
//! each with the reason, never more than the facts support. The `gcdoctor diagnose` command
//! that settles the question is built from what the paste shows (the tool, the host).

use super::recognise::{Answer, Source, Transport, is_user_context};
use crate::catalogue::CauseId::{self, *};
use crate::region::{HostKind, classify_host};

/// A cause with the reason this answer allows or excludes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Because {
    pub cause: CauseId,
    pub why: &'static str,
}

/// The reading of one answer.
#[derive(Clone, Debug)]
pub struct Reading {
    pub answer: Answer,
    /// What the answer says, in one sentence.
    pub said: String,
    pub can: Vec<Because>,
    pub cannot: Vec<Because>,
    /// Commands that settle the question.
    pub settle: Vec<String>,
    pub notes: Vec<String>,
}

/// The kinds of answer that mean the same set of causes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// `invalid_client` (or `unauthorized`) "authentication failed", or no description.
    Rejected,
    /// `invalid_client` "client not found".
    ClientNotFound,
    /// `unauthorized_client`.
    GrantRefused,
    /// 400 `invalid_request` "rate limit exceeded", or 429.
    Throttled,
    /// Another `invalid_request`, `unsupported_grant_type`, 405, 415.
    BadRequest,
    /// `invalid_scope`.
    Scope,
    /// No HTTP answer.
    Network,
    /// 200 without an access token.
    NoToken,
    /// An HTML page, a 5xx.
    NotOAuth,
    /// 404 on the token URL.
    NotFound,
    /// A Platform API 403 (`missing.any.permissions`).
    Permission,
    /// "requires a user context".
    UserContext,
    /// A 400 or 401 without its body.
    StatusOnly,
    /// The `gc` CLI rejected a region key.
    RegionKey,
    /// A token was issued.
    Token,
    /// A Platform API 401 (`bad.credentials`, `authentication.required`, `credentials.expired`):
    /// the token of an API call refused, not the client.
    ApiToken,
}

const NO_TOKEN_YET: &str =
    "permissions, roles and user context count only once a token is issued and used (facts §5)";
const ANSWERED: &str = "an OAuth answer came back, so the network path to the login host works";
const OAUTH_SHAPE: &str =
    "the login service answered in its OAuth JSON form, not with a 5xx or a page from a proxy";
const NOT_THROTTLED: &str = "the login service throttles with 400 invalid_request \"rate limit exceeded\" (facts §6), not with this answer";
const NOT_JUDGED: &str =
    "no OAuth answer came back, so the service never judged the credentials or the request";

/// The family of an answer.
pub fn family(a: &Answer) -> Family {
    let err = a.error.as_deref().unwrap_or("");
    let desc = a.description.as_deref().unwrap_or("").to_ascii_lowercase();
    let code = a.api_code.as_deref().unwrap_or("");
    if a.region_key.is_some() {
        return Family::RegionKey;
    }
    if a.transport.is_some() || a.status == Some(0) || a.status == Some(407) {
        return Family::Network;
    }
    if a.no_token {
        return Family::NoToken;
    }
    if err == "invalid_request" && desc.contains("rate limit")
        || a.status == Some(429)
        || code == "too.many.requests"
    {
        return Family::Throttled;
    }
    match err {
        "invalid_client" | "unauthorized" | "access_denied" | "invalid_grant" => {
            return if desc.contains("not found") {
                Family::ClientNotFound
            } else {
                Family::Rejected
            };
        }
        "unauthorized_client" => return Family::GrantRefused,
        "invalid_request" | "unsupported_grant_type" => return Family::BadRequest,
        "invalid_scope" => return Family::Scope,
        _ => {}
    }
    if a.html || a.status.is_some_and(|s| s >= 500) {
        return Family::NotOAuth;
    }
    if a.message.as_deref().is_some_and(is_user_context) {
        return Family::UserContext;
    }
    if matches!(
        code,
        "missing.any.permissions" | "missing.permissions" | "not.authorized"
    ) || a.status == Some(403)
    {
        return Family::Permission;
    }
    if a.token {
        return Family::Token;
    }
    if matches!(
        code,
        "bad.credentials" | "authentication.required" | "credentials.expired"
    ) || !code.is_empty() && a.status == Some(401)
    {
        return Family::ApiToken;
    }
    match a.status {
        Some(404) => Family::NotFound,
        Some(405 | 415) => Family::BadRequest,
        _ => Family::StatusOnly,
    }
}

fn list(items: &[(CauseId, &'static str)]) -> Vec<Because> {
    items
        .iter()
        .map(|&(cause, why)| Because { cause, why })
        .collect()
}

/// The causes of a credential rejection (`invalid_client` "authentication failed").
const REJECTED: &[(CauseId, &str)] = &[
    (
        WrongRegion,
        "a client is known only in the region where it was created: elsewhere it gets this same answer (facts §3.2)",
    ),
    (
        WrongSecret,
        "the answer to a known client id with a secret the service does not accept (facts §3.2)",
    ),
    (
        UnknownClient,
        "current behaviour answers an unknown client id with \"authentication failed\" too (facts §3.2)",
    ),
    (
        IdSecretSwapped,
        "id and secret the wrong way round are an unknown id with a wrong secret",
    ),
    (
        SecretEncoding,
        "a secret whose + / = & % characters were mangled on the way is a wrong secret to the service",
    ),
    (
        CredentialWhitespace,
        "a newline, space, quote or BOM around the id or secret makes it another value",
    ),
    (
        BasicHeaderMalformed,
        "a Basic header the service cannot decode carries no usable credentials",
    ),
    (
        PlaceholderCredentials,
        "template values such as YOUR_CLIENT_ID are an unknown client",
    ),
    (
        CredentialsInBody,
        "only where the service refuses credentials in the form body (it advertises client_secret_post, so this is unlikely: facts §3.2)",
    ),
    (
        ClientDisabled,
        "a disabled or inactive client may get the same answer (UNVERIFIED, facts §3.2)",
    ),
    (
        GrantNotEnabled,
        "a client of another grant type may get invalid_client rather than unauthorized_client (UNVERIFIED, facts §3.2)",
    ),
    (
        IpNotAllowed,
        "a caller outside the org's or the client's allowed IP ranges is denied; how the login service words it is UNVERIFIED (facts §10.1)",
    ),
];

const REJECTED_NOT: &[(CauseId, &str)] = &[
    (RateLimited, NOT_THROTTLED),
    (NetworkUnreachable, ANSWERED),
    (ServiceError, OAUTH_SHAPE),
    (MissingPermission, NO_TOKEN_YET),
    (NoRoles, NO_TOKEN_YET),
    (UserContextRequired, NO_TOKEN_YET),
];

const NOT_FOUND: &[(CauseId, &str)] = &[
    (
        UnknownClient,
        "\"client not found\": no client with this id in the region asked (facts §3.2)",
    ),
    (
        WrongRegion,
        "the client may exist in another region: a region knows only its own clients (facts §3.2)",
    ),
    (
        IdSecretSwapped,
        "the value sent as the id may be the secret",
    ),
    (
        CredentialWhitespace,
        "stray whitespace or quotes around the id make it another id",
    ),
    (
        PlaceholderCredentials,
        "a template value such as YOUR_CLIENT_ID is no client",
    ),
    (
        BasicHeaderMalformed,
        "a mis-built Basic header can carry a garbled id",
    ),
];

const NOT_FOUND_NOT: &[(CauseId, &str)] = &[
    (
        WrongSecret,
        "the id itself was not found; a known id with a wrong secret gets \"authentication failed\" (facts §3.2)",
    ),
    (
        SecretEncoding,
        "the id itself was not found, whatever the secret looked like",
    ),
    (RateLimited, NOT_THROTTLED),
    (NetworkUnreachable, ANSWERED),
    (ServiceError, OAUTH_SHAPE),
    (MissingPermission, NO_TOKEN_YET),
];

const NETWORK: &[(CauseId, &str)] = &[(
    NetworkUnreachable,
    "DNS, connection, proxy or TLS failed before any answer (status 0 in the SDKs: facts §10.3)",
)];

const NETWORK_NOT: &[(CauseId, &str)] = &[
    (WrongSecret, NOT_JUDGED),
    (UnknownClient, NOT_JUDGED),
    (WrongRegion, NOT_JUDGED),
    (BasicHeaderMalformed, NOT_JUDGED),
    (RateLimited, NOT_JUDGED),
    (
        ServiceError,
        "GC502 is an answer that is not OAuth; here no answer came at all",
    ),
];

const NOT_OAUTH: &[(CauseId, &str)] = &[
    (
        ServiceError,
        "the login service answers in JSON (facts §3.1): a 5xx or an HTML page comes from a failure in the service or from a proxy or gateway in between",
    ),
    (
        WrongTokenUrl,
        "a URL that is not https://login.<domain>/oauth/token can answer with a web page",
    ),
];

const NOT_OAUTH_NOT: &[(CauseId, &str)] = &[
    (
        WrongSecret,
        "credentials are judged by the login service, which answers invalid_client in JSON (facts §3.1)",
    ),
    (
        UnknownClient,
        "credentials are judged by the login service, which answers invalid_client in JSON (facts §3.1)",
    ),
    (
        WrongRegion,
        "a wrong region gets invalid_client in JSON (facts §3.2), not a page",
    ),
    (RateLimited, NOT_THROTTLED),
];

const THROTTLED: &[(CauseId, &str)] = &[(
    RateLimited,
    "the login service throttles token requests with 400 invalid_request \"rate limit exceeded;\" (facts §6); a 429 is the Platform API's limit (300 requests a minute per client-credentials token by default)",
)];

const THROTTLED_NOT: &[(CauseId, &str)] = &[
    (NetworkUnreachable, ANSWERED),
    (
        ServiceError,
        "a throttling answer is a normal answer, not a failure of the service",
    ),
];

const BAD_REQUEST: &[(CauseId, &str)] = &[
    (
        JsonBody,
        "a JSON body leaves grant_type unread, which OAuth servers answer with invalid_request or unsupported_grant_type (INFERRED, facts §3.2)",
    ),
    (
        ContentTypeWrong,
        "a form body without Content-Type: application/x-www-form-urlencoded is not read as a form",
    ),
    (
        GrantTypeWrong,
        "grant_type missing, misspelled or another grant (facts §3.2: probably invalid_request or unsupported_grant_type)",
    ),
    (
        CredentialsInBody,
        "credentials both in a Basic header and in the body are two methods in one request (RFC 6749 §2.3: invalid_request)",
    ),
    (WrongMethod, "a GET or another method (405)"),
];

const BAD_REQUEST_NOT: &[(CauseId, &str)] = &[
    (
        RateLimited,
        "the throttling answer says \"rate limit exceeded\"; this one does not",
    ),
    (NetworkUnreachable, ANSWERED),
    (ServiceError, OAUTH_SHAPE),
    (MissingPermission, NO_TOKEN_YET),
];

const STATUS_ONLY: &[(CauseId, &str)] = &[
    (
        WrongRegion,
        "400 or 401 is the status of a credential rejection (facts §3.2: the status does not tell the causes apart)",
    ),
    (
        WrongSecret,
        "400 or 401 is the status of a credential rejection (facts §3.2)",
    ),
    (
        UnknownClient,
        "400 or 401 is the status of a credential rejection (facts §3.2)",
    ),
    (
        BasicHeaderMalformed,
        "a malformed Basic header is rejected with 400 or 401",
    ),
    (
        SecretEncoding,
        "a mangled secret is rejected like a wrong one",
    ),
    (
        JsonBody,
        "a 400 can be a request the service cannot read (INFERRED)",
    ),
    (
        GrantTypeWrong,
        "a 400 can be a missing or wrong grant_type (INFERRED)",
    ),
    (
        RateLimited,
        "login throttling is a 400 too (facts §6); only the body says \"rate limit exceeded\"",
    ),
];

const STATUS_ONLY_NOT: &[(CauseId, &str)] = &[
    (
        NetworkUnreachable,
        "an HTTP status came back, so the network path works",
    ),
    (
        ServiceError,
        "a 4xx is an answer to the request, not a failure of the service",
    ),
];

const NO_TOKEN: &[(CauseId, &str)] = &[
    (
        WrongTokenUrl,
        "a 200 answer without access_token: something other than the token endpoint answered (facts §2: Go reports \"No access token found\" only for a 200)",
    ),
    (
        ServiceError,
        "a proxy or gateway answering 200 with its own page is not an OAuth answer",
    ),
    (
        UnknownDomain,
        "a host outside the region domains may answer anything",
    ),
];

const NO_TOKEN_NOT: &[(CauseId, &str)] = &[
    (
        WrongSecret,
        "a rejected secret is a 400 or 401 with invalid_client, never a 200 (facts §3.2)",
    ),
    (
        UnknownClient,
        "an unknown client is a 400 or 401 with invalid_client, never a 200 (facts §3.2)",
    ),
    (
        WrongRegion,
        "a wrong region is a 400 or 401 with invalid_client, never a 200 (facts §3.2)",
    ),
    (RateLimited, NOT_THROTTLED),
];

const PERMISSION: &[(CauseId, &str)] = &[
    (
        MissingPermission,
        "403 missing.any.permissions: the token works, its roles lack this permission (facts §5)",
    ),
    (
        NoRoles,
        "a client without roles gets a token that is refused everywhere (facts §5)",
    ),
    (
        IpNotAllowed,
        "the org's allowed IP ranges apply to API calls too: a 403 that names no missing permission can be this machine's address (facts §10.1, UNVERIFIED answer)",
    ),
];

const AFTER_TOKEN_NOT: &[(CauseId, &str)] = &[
    (
        WrongSecret,
        "a token was issued, so the credentials were accepted",
    ),
    (UnknownClient, "a token was issued, so the client exists"),
    (
        WrongRegion,
        "a token was issued, so the login host knew the client",
    ),
    (RateLimited, "a refusal for a permission is not throttling"),
];

const API_TOKEN_NOT: &[(CauseId, &str)] = &[
    (
        MissingPermission,
        "a missing permission is a 403 (missing.any.permissions), not a 401 (facts §3.3)",
    ),
    (
        RateLimited,
        "the Platform API's limit is a 429 too.many.requests (facts §6)",
    ),
    (
        NetworkUnreachable,
        "an answer came back, so the network path to the API host works",
    ),
];

const REGION_KEY: &[(CauseId, &str)] = &[
    (
        RegionSpelling,
        "the gc CLI spells me_central_1, ap_northeast_3 and eu_central_2 with underscores and rejects the hyphenated keys (facts §1.3, §9)",
    ),
    (
        UnknownDomain,
        "a key that is no region at all names no login host",
    ),
];

/// Reads an answer: its family, the causes it allows and excludes, the commands that settle it.
pub fn read(answer: Answer) -> Reading {
    let fam = family(&answer);
    let (can, cannot): (&[_], &[_]) = match fam {
        Family::Rejected => (REJECTED, REJECTED_NOT),
        Family::ClientNotFound => (NOT_FOUND, NOT_FOUND_NOT),
        Family::GrantRefused => (
            &[(
                GrantNotEnabled,
                "unauthorized_client: the client authenticated but may not use this grant (RFC 6749 §5.2); the client record's authorizedGrantType settles it (facts §4)",
            )],
            &[
                (
                    WrongSecret,
                    "unauthorized_client follows a successful client authentication (RFC 6749 §5.2)",
                ),
                (
                    UnknownClient,
                    "unauthorized_client follows a successful client authentication (RFC 6749 §5.2)",
                ),
                (RateLimited, NOT_THROTTLED),
            ],
        ),
        Family::Throttled => (THROTTLED, THROTTLED_NOT),
        Family::BadRequest => (BAD_REQUEST, BAD_REQUEST_NOT),
        Family::Scope => (
            &[(
                ScopeParameter,
                "invalid_scope: a scope was sent; client-credentials clients get their permissions from roles and the SDKs send no scope (facts §2, §5)",
            )],
            &[(RateLimited, NOT_THROTTLED), (NetworkUnreachable, ANSWERED)],
        ),
        Family::Network => (NETWORK, NETWORK_NOT),
        Family::NoToken => (NO_TOKEN, NO_TOKEN_NOT),
        Family::NotOAuth => (NOT_OAUTH, NOT_OAUTH_NOT),
        Family::NotFound => (
            &[(
                WrongTokenUrl,
                "a 404: the token endpoint is https://login.<domain>/oauth/token; /api/v2/oauth/token does not exist (facts §1.2)",
            )],
            &[
                (
                    WrongSecret,
                    "a wrong secret is answered by the token endpoint with invalid_client, not 404",
                ),
                (RateLimited, NOT_THROTTLED),
            ],
        ),
        Family::Permission => (PERMISSION, AFTER_TOKEN_NOT),
        Family::UserContext => (
            &[(
                UserContextRequired,
                "\"requires a user context\": a client-credentials token on a user-only resource such as /api/v2/users/me (facts §3.3)",
            )],
            AFTER_TOKEN_NOT,
        ),
        Family::StatusOnly => (STATUS_ONLY, STATUS_ONLY_NOT),
        Family::ApiToken => (&[], API_TOKEN_NOT),
        Family::RegionKey => (
            REGION_KEY,
            &[
                (WrongSecret, "the CLI stopped before sending anything"),
                (
                    NetworkUnreachable,
                    "the CLI stopped before sending anything",
                ),
            ],
        ),
        Family::Token => (
            &[(
                Healthy,
                "an access_token came back: the token request works",
            )],
            AFTER_TOKEN_NOT,
        ),
    };
    let mut can = list(can);
    let mut cannot = list(cannot);
    refine(fam, &answer, &mut can, &mut cannot);
    Reading {
        said: said(fam, &answer),
        settle: settle(fam, &answer),
        notes: notes(fam, &answer),
        answer,
        can,
        cannot,
    }
}

/// Adjustments the details of the answer allow.
fn refine(fam: Family, a: &Answer, can: &mut Vec<Because>, cannot: &mut Vec<Because>) {
    let kind = a.host.as_deref().map(classify_host);
    if fam == Family::Network && a.transport == Some(Transport::Dns) {
        can.push(Because {
            cause: UnknownDomain,
            why: "the name did not resolve: a host outside the region domains (api.us.genesys.cloud, {org}.mygenesyscloud.com) never does (facts §1.4)",
        });
    }
    if matches!(
        fam,
        Family::Rejected | Family::ClientNotFound | Family::StatusOnly
    ) && matches!(
        kind,
        Some(HostKind::Api(_) | HostKind::OtherInDomain(_) | HostKind::Unknown)
    ) {
        can.insert(
            0,
            Because {
                cause: WrongTokenUrl,
                why: "the request went to a host that is not login.<domain> (facts §1.1)",
            },
        );
    }
    if fam == Family::Throttled && kind.is_some_and(|k| matches!(k, HostKind::Api(_)))
        || a.api_code.as_deref() == Some("too.many.requests")
    {
        cannot.push(Because {
            cause: WrongSecret,
            why: "the limit was hit on the Platform API, with a token: the credentials work",
        });
    }
}

fn said(fam: Family, a: &Answer) -> String {
    let status = match a.status {
        Some(0) | None => String::new(),
        Some(s) => format!("HTTP {s} "),
    };
    let err = a.error.as_deref().unwrap_or("");
    let desc = a
        .description
        .as_deref()
        .map(|d| format!(" \"{d}\""))
        .unwrap_or_default();
    match fam {
        Family::Rejected | Family::ClientNotFound => format!(
            "{status}{err}{desc}: the login service refused the client's credentials. It gives this one answer for many causes."
        ),
        Family::GrantRefused => format!(
            "{status}unauthorized_client{desc}: the client may not use the client-credentials grant."
        ),
        Family::Throttled => format!(
            "{status}{}: the service is throttling.",
            if err.is_empty() {
                a.api_code.as_deref().unwrap_or("too many requests")
            } else {
                err
            }
        ),
        Family::BadRequest | Family::Scope => {
            format!("{status}{err}{desc}: the service could not use the request as sent.")
        }
        Family::Network => match a.transport {
            Some(Transport::Dns) => "no answer: the host name did not resolve.".into(),
            Some(Transport::Tls) => {
                "no answer: the TLS connection failed (certificate or handshake).".into()
            }
            Some(Transport::Refused) => "no answer: the connection was refused or reset.".into(),
            Some(Transport::Timeout) => "no answer: the connection timed out.".into(),
            Some(Transport::Proxy) => {
                "no answer from the service: a proxy refused or failed the connection.".into()
            }
            _ => "no HTTP answer came back (status 0).".into(),
        },
        Family::NoToken => "a 200 answer without an access token.".into(),
        Family::NotOAuth => format!(
            "{}{}, not an OAuth answer.",
            if a.html {
                "an HTML page"
            } else {
                "a server error"
            },
            a.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
        ),
        Family::NotFound => format!("{status}not found: nothing answers at that URL."),
        Family::Permission => format!(
            "{status}{}: the token was refused a permission.",
            a.api_code.as_deref().unwrap_or("forbidden")
        ),
        Family::UserContext => "the resource needs a user, not a client-credentials token.".into(),
        Family::StatusOnly => format!(
            "{status}without its body: the body names the OAuth error, the status alone does not."
        ),
        Family::RegionKey => format!(
            "the gc CLI does not know the region key `{}`.",
            a.region_key.as_deref().unwrap_or("")
        ),
        Family::Token => "a token answer: the token request worked.".into(),
        Family::ApiToken => format!(
            "{status}{}: the Platform API refused the token an API call carried (facts §3.3); the login service was not asked.",
            a.api_code.as_deref().unwrap_or("unauthorized")
        ),
    }
}

fn notes(fam: Family, a: &Answer) -> Vec<String> {
    let mut out = Vec::new();
    if matches!(fam, Family::Rejected | Family::ClientNotFound) && a.status.is_some() {
        out.push("400 or 401 makes no difference: the service's status for a credential rejection is not tied to its cause (facts §3.2, §8).".into());
    }
    if fam == Family::StatusOnly {
        let hint = match a.source {
            Some(Source::Javascript) => "print error.response.data",
            Some(Source::Java) => "print e.getRawBody()",
            Some(Source::Python) => "print the exception's body",
            _ => "look at the response body",
        };
        out.push(format!(
            "The body of the answer tells more: {hint} and paste it too."
        ));
    }
    if fam == Family::Throttled && a.source == Some(Source::Terraform) {
        out.push("Terraform retries this answer itself for up to a minute (facts §9); many parallel provider logins trigger it.".into());
    }
    if fam == Family::ApiToken {
        out.push(match a.api_code.as_deref() {
            Some("authentication.required") => "No token was sent with the call: the code went on after a failed or skipped token request, or did not set `Authorization: Bearer <token>`. The token request is the thing to diagnose.".into(),
            Some("credentials.expired") => "The token expired: tokens live 300 s to 48 h as the client sets it, and HIPAA orgs end idle tokens after 15 minutes (facts §10.4); get a new one before it runs out.".into(),
            _ => "The token was not accepted: it may be from another client or org, cut or mangled on the way, or sent to the API host of another region than the one that issued it.".into(),
        });
    }
    if let Some(c) = &a.correlation_id {
        out.push(format!(
            "Correlation id {c}: quote it to Genesys support if you open a case."
        ));
    }
    out
}

/// The `gcdoctor diagnose` commands that settle what this answer leaves open.
fn settle(fam: Family, a: &Answer) -> Vec<String> {
    let region = a
        .host
        .as_deref()
        .and_then(|h| classify_host(h).region())
        .map(|r| format!(" --region {}", r.key));
    let region_or = |alt: &str| region.clone().unwrap_or_else(|| alt.to_string());
    let (base, comment) = match a.source {
        Some(Source::Terraform) => (
            "gcdoctor diagnose".to_string(),
            "   # reads GENESYSCLOUD_OAUTHCLIENT_ID, _SECRET and _REGION, as the provider does",
        ),
        Some(Source::GcCli) => (
            "gcdoctor diagnose --profile YOUR_GC_PROFILE".to_string(),
            "",
        ),
        Some(Source::Python) => (
            format!(
                "gcdoctor diagnose --from-python your_script.py{}",
                region_or("")
            ),
            "",
        ),
        Some(Source::Javascript) => (
            format!(
                "gcdoctor diagnose --from-js your_script.js{}",
                region_or("")
            ),
            "",
        ),
        _ => (
            format!(
                "gcdoctor diagnose --client-id YOUR_CLIENT_ID --client-secret-file secret.txt{}",
                region_or(" --region YOUR_REGION")
            ),
            "",
        ),
    };
    let mut out = vec![format!("{base}{comment}")];
    match fam {
        Family::Rejected | Family::ClientNotFound | Family::GrantRefused => out.push(format!(
            "{base} --admin-client-id ADMIN_CLIENT_ID --admin-client-secret-file admin-secret.txt   # also tells a wrong secret from an unknown, disabled or wrong-grant client"
        )),
        Family::Permission | Family::UserContext | Family::ApiToken => {
            let call = a
                .path
                .as_deref()
                .filter(|p| p.starts_with("/api/v2/"))
                .unwrap_or("/api/v2/…");
            out[0] = format!("{base} --check-api 'GET {call}'{comment}");
        }
        Family::Throttled => out.insert(0, "# wait a minute first: gcdoctor stops at the first throttling answer".into()),
        _ => {}
    }
    out
}
