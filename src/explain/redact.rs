//! Redaction of a pasted error before anything of it is quoted.
//!
//! A pasted log line or exception may carry what must never be printed: a Basic header, a bearer
//! token, `client_secret=…` in a URL or body, an access token in a success body. Redaction goes
//! by position first: every value in a credential position (after an `Authorization` header
//! name, after `Basic`/`Bearer`, after a name that says secret, token or password, after a
//! non-UUID client id, in a URL's userinfo, after a `--…secret` flag) is cut out whatever it
//! looks like. Then by value: each value cut out (and the id:secret pair inside a Basic
//! header) goes into a [`Redactor`], which removes its other forms (raw, percent-, form-,
//! JSON-, base64-encoded) wherever else they appear in the text. Correlation ids, client ids
//! shaped like UUIDs, status codes and OAuth error texts stay readable.

use crate::secret::{REDACTED, Redactor, is_uuid_shaped};
use base64::Engine as _;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// `NAME: scheme value` or `NAME=value` where NAME says the value is secret.
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(authorization|proxy-authorization|secret|token|password|passwd|pwd|api[_-]?key|cookie)\\?["']?\s*(?:[:=]|=>|->)\s*"#,
    )
    .expect("valid regex")
});

/// A client id position: masked when its value is not UUID-shaped (it may be the secret).
static CLIENT_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)client[_-]?id\\?["']?\s*(?:[:=]|=>)\s*"#).expect("valid regex")
});

/// `Basic xxx` / `Bearer xxx` anywhere.
static SCHEME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(basic|bearer)\s+([A-Za-z0-9+/=._~-]{6,})").expect("valid regex")
});

/// `scheme://user:password@` in a URL.
static USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z][a-z0-9+.-]*://([^/\s:@]*):([^/\s@]+)@").expect("valid regex")
});

/// Basic credentials passed as a pair in code: `auth=('id', 'secret')` (Python requests),
/// `HTTPBasicAuth('id', 'secret')`, `BasicAuth(...)`, `SetBasicAuth(id, secret)` (Go).
static PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:\bauth\s*[:=]\s*[(\[]|basicauth\s*\()\s*(?:['"]([^'"\n]*)['"]|([^\s,()'"]+))\s*,\s*(?:['"]([^'"\n]*)['"]?|([^\s,()'"]+))"#,
    )
    .expect("valid regex")
});

/// A command-line flag that takes a secret: `--client-secret VALUE`, `--clientsecret VALUE`.
static FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|\s)--?[a-z-]*(?:secret|token|password)\s+(\S+)").expect("valid regex")
});

/// The pasted text with every credential position and every form of the values found there
/// replaced by `<redacted>`.
pub fn redact(text: &str) -> String {
    let (spans, values) = positions(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in spans {
        if r.start < last {
            continue;
        }
        out.push_str(&text[last..r.start]);
        out.push_str(REDACTED);
        last = r.end;
    }
    out.push_str(&text[last..]);
    redactor(&values).scrub(&out)
}

/// A redactor that knows every value found in a credential position of `text`.
pub fn redactor_for(text: &str) -> Redactor {
    redactor(&positions(text).1)
}

fn redactor(values: &[String]) -> Redactor {
    let mut r = Redactor::new();
    for v in values {
        r.add(v);
        // The pair inside a Basic header: the secret on its own, wherever else it appears.
        if let Some((id, secret)) = basic_pair(v) {
            // (Not `id:secret` as one value: its runs would take the readable id with them;
            // the header value itself was added above.)
            r.add(&secret);
            if !is_uuid_shaped(&id) {
                r.add(&id);
            }
        }
    }
    r
}

fn basic_pair(v: &str) -> Option<(String, String)> {
    let engines = [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::URL_SAFE,
    ];
    let decoded = engines.iter().find_map(|e| e.decode(v.trim()).ok())?;
    let s = String::from_utf8(decoded).ok()?;
    let (id, secret) = s.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// The credential positions the importers' scanner marks by syntax (`curl -u id:secret`,
/// credential calls, URL userinfo): a pasted error often quotes the request that
/// failed.
/// A UUID-shaped client id stays readable.
fn input_positions(text: &str) -> Vec<Range<usize>> {
    use crate::credential_span::{Role, scan_syntax};
    let mut out = Vec::new();
    // (Not every `name: value` read as code: an error text is full of them, `Auth Error: 401`,
    // `PostToken: {…}`; the secret-named ones are [`NAMED`]'s.)
    for p in scan_syntax(text) {
        let value = &text[p.span.clone()];
        match p.role {
            Role::ClientId if is_uuid_shaped(value.trim()) => {}
            Role::BasicHeader => match value.split_once(':') {
                Some((id, _)) if is_uuid_shaped(id.trim_matches(['"', '\''])) => {
                    out.push(p.span.start + id.len() + 1..p.span.end);
                }
                _ => out.push(p.span.clone()),
            },
            _ => out.push(p.span.clone()),
        }
    }
    out
}

/// Last, by shape: a long token that looks generated (24 or more characters of a base64 or
/// base64url alphabet with at least 3 upper-case letters, 3 lower-case and 2 digits, not a
/// UUID, no `.`), whatever stands before it. A pasted error is free text: a secret may sit in
/// prose (`failed for secret …`) or in a dump no name announces. Class names, hosts, UUIDs
/// and words stay readable.
fn random_tokens(text: &str) -> Vec<Range<usize>> {
    static TOKEN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/=_~-]{24,}").expect("valid regex"));
    TOKEN
        .find_iter(text)
        .filter(|m| {
            let t = m.as_str();
            let count = |f: fn(&char) -> bool| t.chars().filter(f).count();
            let bounded = !text[m.end()..].starts_with('.') && !text[..m.start()].ends_with('.');
            bounded
                && !is_uuid_shaped(t)
                && count(char::is_ascii_uppercase) >= 3
                && count(char::is_ascii_lowercase) >= 3
                && count(char::is_ascii_digit) >= 2
        })
        .map(|m| m.range())
        .collect()
}

/// The byte ranges to cut (sorted, merged) and the values they hold.
fn positions(text: &str) -> (Vec<Range<usize>>, Vec<String>) {
    let mut spans: Vec<Range<usize>> = Vec::new();
    for m in NAMED.captures_iter(text) {
        let whole = m.get(0).expect("match");
        let name = m[1].to_ascii_lowercase();
        if word_before(text, whole.start()).eq_ignore_ascii_case("post") {
            // .NET's `Error calling PostToken: …` names a method, not a token.
            continue;
        }
        let header = name.contains("authorization") || name == "cookie";
        if let Some(r) = value_at(text, whole.end(), header) {
            spans.push(r);
        }
    }
    for m in CLIENT_ID.captures_iter(text) {
        let end = m.get(0).expect("match").end();
        if let Some(r) = value_at(text, end, false)
            && !is_uuid_shaped(text[r.clone()].trim())
            && !text[r.clone()].starts_with('{')
        {
            spans.push(r);
        }
    }
    for m in SCHEME.captures_iter(text) {
        let v = m.get(2).expect("group");
        let s = v.as_str();
        // A word of prose ("bearer token specified") is not a credential.
        if !s.chars().all(|c| c.is_ascii_lowercase()) {
            spans.push(v.range());
        }
    }
    for m in USERINFO.captures_iter(text) {
        let user = m.get(1).expect("group");
        if !user.as_str().is_empty() && !is_uuid_shaped(user.as_str()) {
            spans.push(user.range());
        }
        spans.push(m.get(2).expect("group").range());
    }
    for m in FLAG.captures_iter(text) {
        spans.push(m.get(1).expect("group").range());
    }
    for m in PAIR.captures_iter(text) {
        if let Some(id) = m.get(1).or(m.get(2))
            && !is_uuid_shaped(id.as_str())
        {
            spans.push(id.range());
        }
        if let Some(secret) = m.get(3).or(m.get(4)) {
            spans.push(secret.range());
        }
    }
    spans.extend(input_positions(text));
    spans.extend(random_tokens(text));
    spans.retain(|r| !r.is_empty());
    spans.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in spans {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut values: Vec<String> = Vec::new();
    for r in &merged {
        let v = &text[r.clone()];
        values.push(v.to_string());
        // A header value: the part after the scheme on its own too.
        if let Some((_, rest)) = v.trim().split_once(char::is_whitespace) {
            values.push(rest.trim().to_string());
        }
    }
    (merged, values)
}

/// The letters just before `at` (the start of a camel-case word such as `PostToken`).
fn word_before(text: &str, at: usize) -> &str {
    let head = &text[..at];
    let start = head
        .rfind(|c: char| !c.is_ascii_alphabetic())
        .map(|i| i + 1)
        .unwrap_or(0);
    &head[start..]
}

/// The value that starts at `at` (after the separator): a quoted string to its closing quote,
/// else a bare word. A header value (`header`) runs to the end of the line or quote, so
/// `Basic xxx` is taken whole.
fn value_at(text: &str, at: usize, header: bool) -> Option<Range<usize>> {
    let rest = text.get(at..)?;
    let escaped = rest.starts_with("\\\"");
    let quote = if escaped {
        Some('"')
    } else {
        rest.chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
    };
    let start = at
        + if escaped {
            2
        } else {
            quote.map_or(0, char::len_utf8)
        };
    let body = text.get(start..)?;
    let end = match quote {
        Some(q) => {
            let stop = if escaped {
                body.find("\\\"")
            } else {
                body.find(q)
            };
            stop.unwrap_or_else(|| body.find(['\n', '\r']).unwrap_or(body.len()))
        }
        None if header => header_value_len(body),
        None => body
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(c, '&' | ',' | ';' | '}' | ']' | ')' | '"' | '\'' | '<')
            })
            .unwrap_or(body.len()),
    };
    let value = &body[..end];
    // An empty value, or a structure (the name of an object), holds nothing to cut.
    if value.trim().is_empty() || value.starts_with(['{', '[']) {
        return None;
    }
    Some(start..start + end)
}

/// The length of an unquoted header value: `scheme credentials` (two words) or one word,
/// never past the end of the line.
fn header_value_len(body: &str) -> usize {
    let line = body.find(['\n', '\r']).unwrap_or(body.len());
    let stop = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '}' | ']' | ')' | ';');
    let first = body[..line].find(stop).unwrap_or(line);
    let after = &body[first..line];
    let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
    let is_scheme = body[..first].chars().all(|c| c.is_ascii_alphabetic()) && first > 0;
    if !is_scheme || gap == 0 {
        return first;
    }
    let second = first + gap;
    second + body[second..line].find(stop).unwrap_or(line - second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_cut_and_ids_kept() {
        let id = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{id}:Sup3r+Secret"));
        let text = format!(
            "Authorization: Basic {basic}\nPOST https://login.mypurecloud.ie/oauth/token?client_secret=Sup3r%2BSecret\n\
             {{\"access_token\":\"tok-ABC123xyz\",\"client_id\":\"{id}\"}} ININ-Correlation-Id: 1234-abcd later Sup3r+Secret"
        );
        let out = redact(&text);
        for bad in [basic.as_str(), "Sup3r", "tok-ABC123xyz"] {
            assert!(!out.contains(bad), "{out}");
        }
        assert!(out.contains(id), "{out}");
        assert!(out.contains("1234-abcd"), "{out}");
        assert!(out.contains("login.mypurecloud.ie/oauth/token"), "{out}");
    }

    #[test]
    fn prose_and_oauth_words_stay() {
        let text = r#"{"error":"invalid_client","description":"authentication failed","error_description":"authentication failed"} No authentication bearer token specified"#;
        assert_eq!(redact(text), text);
    }

    #[test]
    fn flags_userinfo_and_escaped_json() {
        let out = redact(
            "gc --clientsecret hunter2hunter2 https://me:pa55word@host/x {\\\"access_token\\\":\\\"zzTOKzz\\\"}",
        );
        for bad in ["hunter2hunter2", "pa55word", "zzTOKzz"] {
            assert!(!out.contains(bad), "{out}");
        }
    }
}
