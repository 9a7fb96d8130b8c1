//! Masking by position and role: the user's own request echoed through an allow-list.
//!
//! Plan: a form body, a query or a JSON body is shown pair by pair. The values of parameters
//! known to hold nothing secret (`grant_type`, `scope`, a UUID-shaped `client_id`, …) are shown
//! as they are; every other value is shown by its structure (length and character classes),
//! however short, so a 2-character secret is as safe as a 40-character one. A parameter name
//! that is not a plausible name (`zK9`, split off a secret by an `&`) is shown by its length.
//! The userinfo of a URL is masked whole. Redaction by value then runs over the result as over
//! every output.

use super::{describe_shape, is_uuid_shaped};

/// Parameters whose values are not secret: shown as they are.
pub const KNOWN_PARAMS: &[&str] = &[
    "grant_type",
    "scope",
    "audience",
    "resource",
    "redirect_uri",
    "response_type",
    "state",
    "org",
    "organization",
];

/// True for a parameter, field, header or variable name that holds a secret in any spelling:
/// `client_secret`, `clientSecret`, `CLIENT-SECRET`, `clientsecret`, `secret_key`, `password`,
/// `access_token`, `api_key`, `Authorization`, `auth`; not `token_url` or `token_type`.
pub fn is_secret_name(name: &str) -> bool {
    let n = squash(name);
    if n.is_empty() || is_id_name(name) {
        return false;
    }
    let not_secret = [
        "url", "uri", "endpoint", "host", "path", "type", "expires", "file", "name", "env",
        "header", "region", "length", "len", "in",
    ];
    if not_secret.iter().any(|w| n.ends_with(w)) {
        return false;
    }
    [
        "secret",
        "password",
        "passwd",
        "token",
        "apikey",
        "authorization",
        "credential",
        "assertion",
        "privatekey",
    ]
    .iter()
    .any(|w| n.contains(w))
        || matches!(n.as_str(), "auth" | "pwd" | "pass" | "key")
}

/// True for a name that holds a client id (`client_id`, `clientId`, `CLIENT_ID`, …).
pub fn is_id_name(name: &str) -> bool {
    let n = squash(name);
    n.ends_with("clientid") || n == "oauthclientid"
}

/// Form-decodes one value (`+` is a space, `%XX` a byte), as the server does.
pub fn form_decode(v: &str) -> String {
    url::form_urlencoded::parse(format!("x={v}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A parameter name as shown: as it is when it is a plausible name, else by its length.
pub fn param_name(k: &str) -> String {
    let plausible = !k.is_empty()
        && k.len() <= 40
        && !k.starts_with(|c: char| c.is_ascii_digit())
        && k.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.' | '[' | ']')
        });
    if plausible || is_id_name(k) || is_secret_name(k) && k.is_ascii() && k.len() <= 40 {
        k.to_string()
    } else {
        format!("<name of {} chars>", k.chars().count())
    }
}

/// A value as shown for a parameter of that name.
pub fn param_value(name: &str, v: &str) -> String {
    let decoded = form_decode(v);
    if KNOWN_PARAMS.contains(&name) || (is_id_name(name) && is_uuid_shaped(decoded.trim())) {
        v.to_string()
    } else if v.is_empty() {
        String::new()
    } else {
        format!("<redacted: {}>", describe_shape(v))
    }
}

/// A form body or query string, pair by pair through the allow-list.
pub fn form(text: &str) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => {
                let name = form_decode(k);
                format!("{}={}", param_name_raw(k, &name), param_value(&name, v))
            }
            None if pair.is_empty() => String::new(),
            None => param_name_raw(pair, &form_decode(pair)),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn param_name_raw(raw: &str, decoded: &str) -> String {
    let shown = param_name(decoded);
    if shown == decoded {
        raw.to_string()
    } else {
        shown
    }
}

/// A request body as shown: a form pair by pair, a JSON object field by field, anything else
/// by its structure.
pub fn body(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        return text.to_string();
    }
    if t.starts_with('{') {
        return match serde_json::from_str::<serde_json::Value>(t) {
            Ok(serde_json::Value::Object(m)) => {
                let shown: serde_json::Map<String, serde_json::Value> = m
                    .into_iter()
                    .map(|(k, v)| {
                        let v = match v {
                            serde_json::Value::String(s) => {
                                serde_json::Value::String(param_value(&k, &s))
                            }
                            serde_json::Value::Bool(_) | serde_json::Value::Null => v,
                            other => serde_json::Value::String(format!(
                                "<redacted: {}>",
                                describe_shape(&other.to_string())
                            )),
                        };
                        (param_name(&k), v)
                    })
                    .collect();
                serde_json::to_string(&serde_json::Value::Object(shown)).unwrap_or_default()
            }
            _ => format!("<redacted: {}>", describe_shape(text)),
        };
    }
    if t.contains('\n') || !t.contains('=') {
        return format!("<redacted: {}>", describe_shape(text));
    }
    form(t)
}

/// A path that names a file, or could: it exists, its directory exists, or it is a bare file
/// name with an extension (`secret.txt`). A secret pasted in its place is none of these.
pub fn looks_like_a_path(v: &str) -> bool {
    let p = std::path::Path::new(v);
    if p.exists() {
        return true;
    }
    match p.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.is_dir(),
        None => v.contains('.') && !v.ends_with('.'),
    }
}

/// A value given where a path goes: as it is when it looks like one, else by its shape.
pub fn path(v: &str) -> String {
    if looks_like_a_path(v) {
        v.to_string()
    } else {
        format!("<redacted: {}>", describe_shape(v))
    }
}

/// A value given where a variable name goes: as it is when it is one (`GENESYS_SECRET`), else
/// by its shape.
pub fn env_name(v: &str) -> String {
    let ok = v.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if ok {
        v.to_string()
    } else {
        format!("<redacted: {}>", describe_shape(v))
    }
}

/// A would-be name (`BAD-NAME`, `MY.VAR`) as it is: upper-case letters, digits, `_`, `-`, `.`
/// and spaces only; anything else (mixed case, `+`, `/`, `=`: a secret?) by its shape.
pub fn name_attempt(v: &str) -> String {
    let ok = v.len() <= 40
        && v.chars().all(|c| {
            c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.' | ' ')
        });
    if ok {
        v.to_string()
    } else {
        format!("<redacted: {}>", describe_shape(v))
    }
}

/// A value given where a region goes, as an error message may quote it: shown when it is
/// plainly a region, host or URL attempt (lower-case letters, digits and `-_.:/`, as every
/// region spelling is written), else by its shape: it may be a secret pasted in the wrong
/// place (secrets mix cases and punctuation).
pub fn region_attempt(v: &str) -> String {
    let ok = v.len() <= 60
        && v.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | ':' | '/')
        });
    if ok {
        v.to_string()
    } else {
        format!("<redacted: {}>", describe_shape(v))
    }
}

/// A value given where a URL goes, as an error message may quote it: shown (through [`url`])
/// when it is plainly a URL attempt (`login.mypurecloud.ie/oauth/token`, `/api/v2/users`,
/// `POST /api/v2/users`), else by its shape: it may be a secret pasted in the wrong place.
pub fn url_attempt(v: &str) -> String {
    let t = v.trim();
    let path = t.split_once(' ').map(|(_, p)| p.trim()).unwrap_or(t);
    let head = path.split(['/', '?']).next().unwrap_or("");
    let hostlike = head.contains('.')
        && head
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | ':'));
    let method = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(t));
    if path.contains("://") || path.starts_with('/') || hostlike || method {
        url(t)
    } else {
        format!("<redacted: {}>", describe_shape(t))
    }
}

/// The byte offset of the `@` that ends a URL's userinfo. The userinfo may itself hold `/`,
/// `:`, `?`, `#`, quotes or spaces (a secret pasted there), so the `@` is the last one on the line that
/// is followed by a host name (over-masking a query that holds an `@` is the safe side).
pub fn userinfo_end(u: &str) -> Option<usize> {
    let start = u.find("://")? + 3;
    let end = u[start..].find('\n').map(|e| start + e).unwrap_or(u.len());
    let at = start + u[start..end].rfind('@')?;
    let host = u[at + 1..end].split(['/', '?', '#']).next().unwrap_or("");
    (!host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')))
    .then_some(at)
}

/// A URL as shown: userinfo masked, the query through the allow-list, the fragment by shape.
pub fn url(u: &str) -> String {
    let (head, u) = match (u.find("://"), userinfo_end(u)) {
        (Some(i), Some(at)) => (format!("{}<redacted userinfo>", &u[..i + 3]), &u[at..]),
        _ => (String::new(), u),
    };
    let (before_frag, frag) = match u.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (u, None),
    };
    let (base, query) = match before_frag.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (before_frag, None),
    };
    let mut out = head + base;
    if let Some(q) = query {
        out.push('?');
        out.push_str(&form(q));
    }
    if let Some(f) = frag {
        out.push('#');
        if !f.is_empty() {
            out.push_str(&format!("<redacted: {}>", describe_shape(f)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_echo_shows_known_values_and_the_rest_by_structure() {
        let b = form("grant_type=client_credentials&client_secret=Qm7+tR2&zK9=pL4&client_id=ab");
        assert_eq!(
            b,
            "grant_type=client_credentials&client_secret=<redacted: 7 chars: letters, digits, '+'>&<name of 3 chars>=<redacted: 3 chars: letters, digits>&client_id=<redacted: 2 chars: letters>"
        );
        assert!(!form("clientsecret=ab").contains("=ab"));
        assert!(!form("secret_key=ab").contains("=ab"));
    }

    #[test]
    fn urls_lose_userinfo_and_secret_query_values() {
        let u = url(
            "https://id:s3@login.example.com/oauth/token?access_token=x1&grant_type=client_credentials#f",
        );
        assert_eq!(
            u,
            "https://<redacted userinfo>@login.example.com/oauth/token?access_token=<redacted: 2 chars: letters, digits>&grant_type=client_credentials#<redacted: 1 char: letters>"
        );
        assert_eq!(
            url("https://login.mypurecloud.ie/oauth/token"),
            "https://login.mypurecloud.ie/oauth/token"
        );
    }

    #[test]
    fn names() {
        assert!(is_secret_name("clientsecret") && is_secret_name("secret_key"));
        assert!(is_secret_name("Authorization") && is_secret_name("access_token"));
        assert!(!is_secret_name("token_url") && !is_secret_name("token_type"));
        assert!(!is_secret_name("client_id") && is_id_name("clientId"));
    }
}
