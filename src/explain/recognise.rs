//! Reading a pasted error: which tool wrote it, and what the service (or the network) said.
//!
//! The formats are those of genesys-facts.md §10.3 and §2: the .NET SDK's `Error calling
//! PostToken: …`, the Go SDK's and `gc` CLI's `Auth Error: STATUS - error (description)`
//! (Terraform prefixes `failed to authorize Genesys Cloud client credentials:`), Python's
//! `ApiException` text (`(401)\nReason: …\nHTTP response body: …`), the JavaScript axios
//! error, Java's `ApiException`, a raw JSON answer (OAuth or Platform API `ErrorBody`), an HTML
//! page, a transport failure (status 0, TLS, DNS, refused), and a log line holding any of these.
//! The text given here is already redacted ([`super::redact`]).

use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// Which tool wrote the pasted text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The .NET SDK (`Error calling PostToken: …`).
    Dotnet,
    /// The Go SDK or the `gc` CLI (`Auth Error: …`).
    GoSdk,
    /// The Terraform provider (`failed to authorize Genesys Cloud client credentials: …`).
    Terraform,
    /// The `gc` CLI's region check (`Invalid AWS region: …`).
    GcCli,
    /// The Python SDK's `ApiException`.
    Python,
    /// The JavaScript SDK or axios.
    Javascript,
    /// The Java SDK's `ApiException`.
    Java,
    /// A raw JSON answer.
    Json,
    /// An HTML page.
    Html,
    /// Anything else that names a status, an OAuth error or a transport failure.
    Text,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Dotnet => "a .NET SDK error (Error calling PostToken)",
            Source::GoSdk => "a Go SDK or gc CLI error (Auth Error)",
            Source::Terraform => "a Terraform provider error (Go SDK login)",
            Source::GcCli => "a gc CLI region error",
            Source::Python => "a Python SDK ApiException",
            Source::Javascript => "a JavaScript (axios) error",
            Source::Java => "a Java SDK ApiException",
            Source::Json => "a JSON answer",
            Source::Html => "an HTML page",
            Source::Text => "an error text",
        }
    }
}

/// What the pasted text says happened.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Answer {
    pub source: Option<Source>,
    /// HTTP status; `Some(0)` = no HTTP answer at all (the SDKs' status 0).
    pub status: Option<u16>,
    /// The OAuth `error` code.
    pub error: Option<String>,
    /// `error_description` (or `description`).
    pub description: Option<String>,
    /// A Platform API `ErrorBody` code (`missing.any.permissions`).
    pub api_code: Option<String>,
    /// A Platform API message, an HTML page's title or a transport message.
    pub message: Option<String>,
    /// The answer was an HTML page.
    pub html: bool,
    /// A 200 answer without an access token (Go: `Auth Error: No access token found`).
    pub no_token: bool,
    /// The answer was a token (a success body).
    pub token: bool,
    /// No HTTP answer: a transport failure, with its kind.
    pub transport: Option<Transport>,
    /// A host named in the text.
    pub host: Option<String>,
    /// A path named in the text (`/oauth/token`, `/api/v2/…`).
    pub path: Option<String>,
    /// The correlation id of the answer.
    pub correlation_id: Option<String>,
    /// The `gc` CLI's rejected region key.
    pub region_key: Option<String>,
    /// The answer sits inside other text (a log line).
    pub in_log: bool,
}

/// A transport failure's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transport {
    Dns,
    Tls,
    Refused,
    Timeout,
    Proxy,
    Other,
}

macro_rules! re {
    ($name:ident, $pat:literal) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($pat).expect("valid regex"));
    };
}

re!(
    GO_AUTH,
    r"Auth Error: (\d{3}) - ([A-Za-z_.]*) \(([^)\n]*)\)?"
);
re!(NO_TOKEN, r"Auth Error: No access token found");
re!(
    TERRAFORM,
    r"(?i)failed to authorize Genesys Cloud client credentials"
);
re!(DOTNET, r"Error calling PostToken:\s*([^\n]*)");
re!(
    PYTHON,
    r"(?m)^\s*\((\d{1,3})\)\s*\r?\n\s*Reason:\s*([^\r\n]*)"
);
re!(PY_BODY, r"HTTP response body:");
re!(AXIOS, r"(?i)Request failed with status code (\d{3})");
re!(AXIOS_WORD, r"AxiosError|axios|error\.response\.data");
re!(
    JAVA,
    r"(?:com\.mypurecloud\.sdk\.v2\.)?ApiException(?::\s*([A-Za-z_.]+))?"
);
re!(JAVA_PKG, r"com\.mypurecloud|getRawBody|\.java:\d+");
re!(GC_REGION, r"Invalid AWS region:\s*(\S+)");
re!(STATUS_LINE, r"HTTP/[0-9.]+\s+(\d{3})");
re!(
    STATUS_WORD,
    r"(?i)\bstatus(?:[ _]?code)?\b[\s:=]*\(?(\d{3})\b"
);
re!(
    CODE_WORD,
    r"(?i)\b(\d{3}) (?:Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|Unsupported Media Type|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out|Proxy Authentication Required)\b"
);
re!(HTML, r"(?i)<!doctype html|<html[\s>]|<body[\s>]|<title>");
re!(TITLE, r"(?is)<title>\s*([^<]{0,120}?)\s*</title>");
re!(
    URL,
    r#"(?i)https?://([a-z0-9.-]+\.[a-z]{2,})(?::\d+)?(/[^\s'"<>)]*)?"#
);
re!(
    HOST_HEADER,
    r#"(?im)^\s*host:\s*([a-z0-9.-]+\.[a-z]{2,})|\bhost=['"]([a-z0-9.-]+\.[a-z]{2,})"#
);
re!(
    CORRELATION,
    r#"(?i)(?:inin|genesys)-correlation-id['"]?\s*[:=]\s*['"]?([A-Za-z0-9-]{8,64})"#
);
re!(
    OAUTH_WORD,
    r"\b(invalid_client|invalid_request|unauthorized_client|unsupported_grant_type|invalid_grant|invalid_scope|access_denied)\b"
);
re!(
    DNS,
    r"(?i)ENOTFOUND|EAI_AGAIN|getaddrinfo|Name or service not known|nodename nor servname|No such host|could not resolve host|NameResolutionError|Failed to resolve|no such host|Temporary failure in name resolution"
);
re!(
    TLS,
    r"(?i)SSL|TLS|certificate|CERT_|handshake|Could not establish trust|self[- ]signed|PKIX path"
);
re!(
    REFUSED,
    r"(?i)ECONNREFUSED|Connection refused|actively refused|ECONNRESET|connection reset"
);
re!(TIMEOUT, r"(?i)ETIMEDOUT|timed out|timeout|Timeout");
re!(PROXY, r"(?i)\bproxy\b|407 Proxy");

/// Reads the (redacted) text. `None` when nothing in it says what happened.
pub fn recognise(text: &str) -> Option<Answer> {
    let mut a = Answer::default();
    sdk_formats(text, &mut a);
    if let Some(v) = first_json(text) {
        read_json(&v, &mut a);
        if a.source.is_none() {
            a.source = Some(Source::Json);
        }
    }
    if HTML.is_match(text) {
        a.html = true;
        a.message = a
            .message
            .or_else(|| TITLE.captures(text).map(|c| c[1].trim().to_string()));
        a.source.get_or_insert(Source::Html);
        if a.status.is_none()
            && let Some(t) = &a.message
        {
            a.status = leading_status(t);
        }
    }
    statuses(text, &mut a);
    if a.error.is_none()
        && let Some(c) = OAUTH_WORD.captures(text)
    {
        a.error = Some(c[1].to_string());
    }
    if a.status == Some(0) || (a.status.is_none() && a.error.is_none() && !a.html) {
        a.transport = transport(text);
        if a.transport.is_some() {
            a.status = Some(0);
        }
    }
    context(text, &mut a);
    let something = a.status.is_some()
        || a.error.is_some()
        || a.api_code.is_some()
        || a.html
        || a.no_token
        || a.token
        || a.region_key.is_some()
        || a.transport.is_some()
        || a.message.as_deref().is_some_and(is_user_context);
    if !something {
        return None;
    }
    a.source.get_or_insert(Source::Text);
    a.in_log = matches!(a.source, Some(Source::Json | Source::Html | Source::Text))
        && text
            .lines()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| !l.trim_start().starts_with(['{', '<']));
    Some(a)
}

/// The Platform API's answer to a client-credentials token on a user-only resource.
pub fn is_user_context(m: &str) -> bool {
    m.contains("requires a user context")
}

fn sdk_formats(text: &str, a: &mut Answer) {
    if let Some(c) = GO_AUTH.captures(text) {
        a.source = Some(Source::GoSdk);
        a.status = c[1].parse().ok();
        a.error = Some(c[2].to_string()).filter(|e| !e.is_empty());
        a.description = Some(c[3].trim().to_string()).filter(|d| !d.is_empty());
    }
    if NO_TOKEN.is_match(text) {
        a.source = Some(Source::GoSdk);
        a.no_token = true;
    }
    if TERRAFORM.is_match(text) {
        a.source = Some(Source::Terraform);
    }
    if let Some(c) = GC_REGION.captures(text) {
        a.source = Some(Source::GcCli);
        a.region_key = Some(c[1].trim_end_matches(['.', ',']).to_string());
    }
    if let Some(c) = DOTNET.captures(text) {
        a.source = Some(Source::Dotnet);
        let rest = c[1].trim();
        if !rest.starts_with('{') && !rest.starts_with('<') {
            // Status 0: the message of a transport failure instead of a body.
            a.status = Some(0);
            a.message = Some(rest.to_string()).filter(|m| !m.is_empty());
        }
    }
    if let Some(c) = PYTHON.captures(text) {
        a.source = Some(Source::Python);
        a.status = c[1].parse().ok();
        if a.status == Some(0) {
            a.message = Some(c[2].trim().to_string()).filter(|m| !m.is_empty());
        }
    } else if PY_BODY.is_match(text) {
        a.source.get_or_insert(Source::Python);
    }
    if let Some(c) = AXIOS.captures(text) {
        a.source = Some(Source::Javascript);
        a.status = c[1].parse().ok();
    } else if AXIOS_WORD.is_match(text) {
        a.source.get_or_insert(Source::Javascript);
    }
    if let Some(c) = JAVA.captures(text)
        && (JAVA_PKG.is_match(text) || c.get(1).is_some())
        && a.source.is_none_or(|s| s == Source::Text)
    {
        a.source = Some(Source::Java);
        if let Some(e) = c.get(1) {
            a.error = Some(e.as_str().to_string());
        }
    }
}

/// The first JSON object in the text that reads as an answer.
fn first_json(text: &str) -> Option<Value> {
    let candidates = [text.to_string(), text.replace("\\\"", "\"")];
    for t in &candidates {
        for (i, _) in t.match_indices('{') {
            let mut it = serde_json::Deserializer::from_str(&t[i..]).into_iter::<Value>();
            if let Some(Ok(v @ Value::Object(_))) = it.next()
                && ["error", "code", "access_token", "message"]
                    .iter()
                    .any(|k| v.get(k).is_some())
            {
                return Some(v);
            }
        }
    }
    None
}

fn read_json(v: &Value, a: &mut Answer) {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    if let Some(e) = s("error") {
        a.error = Some(e);
        a.description = s("error_description").or_else(|| s("description"));
    }
    if let Some(c) = s("code") {
        a.api_code = Some(c);
        a.message = s("message").or(a.message.take());
    } else if let Some(m) = s("message") {
        a.message = Some(m);
    }
    if a.status.is_none() {
        a.status = v
            .get("status")
            .and_then(Value::as_u64)
            .and_then(|n| u16::try_from(n).ok());
    }
    if v.get("access_token").is_some() {
        a.token = true;
    }
}

fn statuses(text: &str, a: &mut Answer) {
    if a.status.is_some() {
        return;
    }
    a.status = STATUS_LINE
        .captures(text)
        .or_else(|| STATUS_WORD.captures(text))
        .or_else(|| CODE_WORD.captures(text))
        .and_then(|c| c[1].parse().ok());
}

fn leading_status(t: &str) -> Option<u16> {
    let n: String = t.chars().take_while(char::is_ascii_digit).collect();
    n.parse().ok().filter(|n| (100..600).contains(n))
}

fn transport(text: &str) -> Option<Transport> {
    if DNS.is_match(text) {
        Some(Transport::Dns)
    } else if PROXY.is_match(text) {
        Some(Transport::Proxy)
    } else if TLS.is_match(text) {
        Some(Transport::Tls)
    } else if REFUSED.is_match(text) {
        Some(Transport::Refused)
    } else if TIMEOUT.is_match(text) {
        Some(Transport::Timeout)
    } else {
        None
    }
}

fn context(text: &str, a: &mut Answer) {
    if let Some(c) = URL.captures(text) {
        a.host = Some(c[1].to_ascii_lowercase());
        a.path = c.get(2).map(|p| {
            let p = p.as_str();
            p.split(['?', '#']).next().unwrap_or(p).to_string()
        });
    } else if let Some(c) = HOST_HEADER.captures(text) {
        a.host = c
            .get(1)
            .or(c.get(2))
            .map(|h| h.as_str().to_ascii_lowercase());
    }
    if a.path.is_none() {
        a.path = ["/oauth/token", "/api/v2/"]
            .iter()
            .find_map(|p| text.find(p).map(|i| path_at(&text[i..])));
    }
    a.correlation_id = CORRELATION.captures(text).map(|c| c[1].to_string());
    if a.status == Some(0) && a.message.is_none() {
        a.message = text
            .lines()
            .map(str::trim)
            .find(|l| transport(l).is_some())
            .map(|l| l.chars().take(160).collect());
    }
}

fn path_at(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || matches!(c, '?' | '#' | '"' | '\'' | ')' | ','))
        .next()
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_sdk_format() {
        let a = recognise(r#"Error calling PostToken: {"error":"invalid_client","description":"authentication failed","error_description":"authentication failed"}"#).unwrap();
        assert_eq!(a.source, Some(Source::Dotnet));
        assert_eq!(a.error.as_deref(), Some("invalid_client"));
        assert_eq!(a.description.as_deref(), Some("authentication failed"));

        let a = recognise("failed to authorize Genesys Cloud client credentials: Auth Error: 400 - invalid_request (rate limit exceeded; try later)").unwrap();
        assert_eq!(a.source, Some(Source::Terraform));
        assert_eq!(a.status, Some(400));
        assert_eq!(a.error.as_deref(), Some("invalid_request"));

        let a =
            recognise("(0)\nReason: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed\n")
                .unwrap();
        assert_eq!((a.source, a.status), (Some(Source::Python), Some(0)));
        assert_eq!(a.transport, Some(Transport::Tls));

        let a = recognise("<html><head><title>502 Bad Gateway</title></head></html>").unwrap();
        assert!(a.html);
        assert_eq!(a.status, Some(502));

        assert_eq!(recognise("hello world"), None);
    }
}
