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

mod basic_header;
mod body_format;
mod content_type;
mod edit;
mod encoding;
mod extras;
mod grant_type;
mod method;
mod placement;
mod query;
mod url;
mod values;
mod whitespace;

use crate::catalogue::CauseId;
use crate::finding::Finding;
use crate::region::{self, HostKind, Region};
use crate::request::{FoundValue, HttpRequest, Part};
use crate::secret::Shape;
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

    /// This dimension's rule: its check id, label, cause, detection and flip.
    pub fn rule(self) -> &'static Rule {
        RULES
            .iter()
            .find(|r| r.dim == self)
            .expect("every dimension has a rule")
    }

    /// The cause a defect in this dimension is.
    pub fn cause(self, analysis: &Analysis) -> CauseId {
        if self == Dim::Url && analysis.host_kind == Some(HostKind::Unknown) {
            CauseId::UnknownDomain
        } else {
            self.rule().cause
        }
    }

    /// Short label for reports: "host and path", "credential placement", …
    pub fn label(self) -> &'static str {
        self.rule().label
    }

    /// The id `gcdoctor lint` gives this dimension's check: "token-url", "basic-header", …
    pub fn check_id(self) -> &'static str {
        self.rule().check
    }
}

/// One request dimension's static check, all in one file under `src/shape/`: how it is
/// detected, how it is flipped toward the canonical request, its cause and its check id.
pub struct Rule {
    pub dim: Dim,
    /// The id `gcdoctor lint` reports the check under.
    pub check: &'static str,
    /// Short label for reports.
    pub label: &'static str,
    /// The cause a defect in this dimension is (GC102 for an unknown host aside).
    pub cause: CauseId,
    detect: fn(&Ctx, &mut Vec<Defect>),
    flip: fn(&mut HttpRequest, &Body, &FixContext),
}

macro_rules! rule {
    ($dim:ident, $module:ident, $check:literal, $label:literal, $cause:ident) => {
        Rule {
            dim: Dim::$dim,
            check: $check,
            label: $label,
            cause: CauseId::$cause,
            detect: $module::detect,
            flip: $module::flip,
        }
    };
}

/// The rules, in the order their defects are listed (and, within one severity and
/// dimension, reported). [`Dim::ALL`] is the order causes are preferred in.
pub static RULES: [Rule; 11] = [
    rule!(Url, url, "token-url", "host and path", WrongTokenUrl),
    rule!(Method, method, "method", "method", WrongMethod),
    rule!(
        BodyFormat,
        body_format,
        "body-format",
        "body format",
        JsonBody
    ),
    rule!(
        ContentType,
        content_type,
        "content-type",
        "content type",
        ContentTypeWrong
    ),
    rule!(
        GrantType,
        grant_type,
        "grant-type",
        "grant type",
        GrantTypeWrong
    ),
    rule!(
        Query,
        query,
        "query-string",
        "query string",
        CredentialsInQuery
    ),
    rule!(
        Placement,
        placement,
        "credential-placement",
        "credential placement",
        CredentialsInBody
    ),
    rule!(
        Extras,
        extras,
        "extra-parameters",
        "scope and extra parameters",
        ScopeParameter
    ),
    rule!(
        BasicHeader,
        basic_header,
        "basic-header",
        "Basic header",
        BasicHeaderMalformed
    ),
    rule!(
        Encoding,
        encoding,
        "secret-encoding",
        "secret encoding",
        SecretEncoding
    ),
    rule!(
        Whitespace,
        whitespace,
        "credential-whitespace",
        "stray characters in the credentials",
        CredentialWhitespace
    ),
];

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

pub(crate) const CRED_PARAMS: [&str; 2] = ["client_id", "client_secret"];

/// What every rule reads: the request, what the user meant, the input lines, and the request
/// read once the way the token endpoint reads it.
pub(crate) struct Ctx<'a> {
    req: &'a HttpRequest,
    intended: &'a Intended,
    lines: &'a BTreeMap<Part, usize>,
    body: Body,
    media: Option<String>,
    query: Vec<(String, String)>,
    body_params: Vec<(String, String)>,
    /// `client_id` / `client_secret`, where the body carries them.
    body_creds: Vec<&'static str>,
    auth_header: Option<&'a str>,
    /// The id and secret as the server reads them: from a well-formed Basic header, else
    /// from the body or query.
    seen_id: Option<String>,
    seen_secret: Option<String>,
    region: Option<&'static Region>,
    host_kind: Option<HostKind>,
}

impl<'a> Ctx<'a> {
    fn new(
        req: &'a HttpRequest,
        intended: &'a Intended,
        lines: &'a BTreeMap<Part, usize>,
    ) -> Ctx<'a> {
        let host_kind = req
            .parsed_url()
            .map(|u| region::classify_host(&u.host_str().unwrap_or_default().to_ascii_lowercase()));
        let body = Body::parse(req);
        let query: Vec<(String, String)> = req
            .parsed_url()
            .map(|u| {
                u.query_pairs()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let body_params = body.params();
        let body_creds = CRED_PARAMS
            .iter()
            .copied()
            .filter(|p| body.has(p))
            .collect();
        let auth_header = req.header("authorization");
        let (mut seen_id, mut seen_secret) = match auth_header.map(read_basic) {
            Some(BasicView::Ok { id, secret }) => (Some(id), Some(secret)),
            _ => (None, None),
        };
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

        Ctx {
            req,
            intended,
            lines,
            media: req.media_type(),
            body,
            query,
            body_params,
            body_creds,
            auth_header,
            seen_id,
            seen_secret,
            region: host_kind.and_then(|k| k.region()),
            host_kind,
        }
    }

    fn line(&self, p: Part) -> Option<usize> {
        self.lines.get(&p).copied()
    }

    /// The line of a parameter, else of the body, else of the call.
    fn param_line(&self, name: &str) -> Option<usize> {
        self.line(Part::Param(name.to_string()))
            .or_else(|| self.line(Part::Body))
            .or_else(|| self.line(Part::Call))
    }

    fn auth_line(&self) -> Option<usize> {
        self.line(Part::Header("authorization".into()))
    }

    /// The id and secret to judge as values: as meant where known, else as the server reads them.
    fn values(&self) -> (Option<String>, Option<String>) {
        let id = self
            .intended
            .known_id()
            .map(str::to_string)
            .or(self.seen_id.clone());
        let secret = self
            .intended
            .known_secret()
            .map(str::to_string)
            .or(self.seen_secret.clone());
        (id, secret)
    }
}

/// Reads a request the way the token endpoint does and lists its defects: every rule of
/// [`RULES`] in turn, then the checks of the values themselves.
pub fn analyze(req: &HttpRequest, intended: &Intended, lines: &BTreeMap<Part, usize>) -> Analysis {
    let cx = Ctx::new(req, intended, lines);
    let mut out: Vec<Defect> = Vec::new();
    for rule in &RULES {
        (rule.detect)(&cx, &mut out);
    }
    values::detect(&cx, &mut out);
    out.sort_by_key(|d| (d.finding.severity, d.dim.unwrap_or(Dim::Extras)));
    Analysis {
        defects: out,
        region: cx.region,
        host_kind: cx.host_kind,
        body: cx.body,
    }
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

/// The request with one dimension flipped toward the canonical request (the dimension's
/// rule says how).
pub fn apply(req: &HttpRequest, dim: Dim, ctx: &FixContext) -> HttpRequest {
    let mut r = req.clone();
    let body = Body::parse(req);
    (dim.rule().flip)(&mut r, &body, ctx);
    r
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
    use crate::request::{CredLocation, FORM, basic_value, canonical};
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
