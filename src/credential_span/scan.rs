//! The scanners behind [`super::scan`]: named values, SDK credential calls, curl's `-u`, HAR
//! name/value pairs and URL userinfo.

use super::lexer::Lex;
use super::{CredentialPosition, Mode, Role, ends_value, is_id_name, is_secret_name};
use std::ops::Range;

/// The longest value a position may have (a runaway expression is cut here).
const MAX_VALUE: usize = 4096;

/// Gives every position its line, in one pass over the text: `out` is sorted by start.
pub(super) fn set_lines(text: &str, out: &mut [CredentialPosition]) {
    let (mut line, mut at) = (1, 0);
    for p in out {
        line += text.as_bytes()[at..p.span.start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        at = p.span.start;
        p.line = line;
    }
}

pub(super) fn push(
    out: &mut Vec<CredentialPosition>,
    text: &str,
    role: Role,
    span: Range<usize>,
    in_string: bool,
) {
    let span = span.start..span.end.min(text.len());
    if span.is_empty() || !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
        return;
    }
    let value = &text[span.clone()];
    let unbound = !in_string && is_bare_word(value) && {
        // Exactly one occurrence: stop at the second.
        let mut found = text.matches(value);
        found.next().is_some() && found.next().is_none()
    };
    out.push(CredentialPosition {
        role,
        // Set by `set_lines` once every position is found.
        line: 0,
        text: value.to_string(),
        span,
        in_string,
        unbound,
    });
}

/// A word without quotes, brackets or operators (`abc123`, `Qm7tR2zK9`).
fn is_bare_word(v: &str) -> bool {
    !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The role of the value of a name, and whether it is a credential at all.
pub(super) fn role_of(name: &str, value: &str) -> Option<Role> {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if is_id_name(name) {
        return Some(Role::ClientId);
    }
    if !is_secret_name(name) {
        return None;
    }
    let v = value
        .trim_start_matches(['"', '\'', ' '])
        .to_ascii_lowercase();
    Some(if n.contains("admin") {
        Role::AdminSecret
    } else if n == "authorization" || n == "auth" {
        if v.starts_with("bearer") {
            Role::BearerToken
        } else {
            Role::BasicHeader
        }
    } else if n.contains("token") {
        Role::BearerToken
    } else if n.ends_with("clientsecret") || n == "secret" {
        Role::ClientSecret
    } else {
        Role::SecretParam(name.to_string())
    })
}

/// The name that ends just before byte `i` (a separator), skipping spaces and a closing quote.
pub(super) fn name_before(text: &str, i: usize) -> Option<(&str, usize)> {
    let b = text.as_bytes();
    let mut j = i;
    while j > 0 && matches!(b[j - 1], b' ' | b'\t') {
        j -= 1;
    }
    while j > 0 && matches!(b[j - 1], b'"' | b'\'' | b'\\') {
        j -= 1;
    }
    let end = j;
    while j > 0 && (b[j - 1].is_ascii_alphanumeric() || matches!(b[j - 1], b'_' | b'-' | b'.')) {
        j -= 1;
    }
    (j < end).then(|| (&text[j..end], j))
}

/// Every `name = value`, `name: value`, `"name": value` whose name is a credential's.
pub(crate) fn named_values(text: &str, lex: &Lex, mode: Mode, out: &mut Vec<CredentialPosition>) {
    let data = mode == Mode::Data;
    let b = text.as_bytes();
    for i in 0..b.len() {
        let c = b[i];
        if c != b'=' && c != b':' {
            continue;
        }
        let next = b.get(i + 1).copied().unwrap_or(b'\n');
        let prev = if i > 0 { b[i - 1] } else { b' ' };
        let compound = if c == b'=' {
            matches!(next, b'=' | b'>') || b"=!<>:+-*/%&|^~".contains(&prev)
        } else {
            next == b':' || next == b'/' || prev == b':'
        };
        if compound {
            continue;
        }
        let Some((name, at)) = name_before(text, i) else {
            continue;
        };
        if c == b':' && at > 0 && b[at - 1] == b'$' {
            // `"$CLIENT_ID:$CLIENT_SECRET"`: a variable read before a separator, not a key.
            continue;
        }
        let in_string = lex.string_containing(i).cloned();
        let span = match &in_string {
            Some(s) => string_value(text, i + 1, s.content.end),
            None if data => string_value(text, i + 1, text.len()),
            None => code_value(text, lex, i + 1, mode == Mode::Shell),
        };
        let Some(role) = role_of(name, &text[span.clone()]) else {
            continue;
        };
        push(out, text, role, span, data || in_string.is_some());
    }
}

/// A value inside a string: up to the string's end, a line end, or an `&` that starts a
/// parameter of its own. A quoted value (JSON inside the string) ends at its closing quote.
fn string_value(text: &str, start: usize, end: usize) -> Range<usize> {
    let b = text.as_bytes();
    let mut s = start;
    while s < end && b[s] == b' ' {
        s += 1;
    }
    for q in ["\\\"", "\"", "'"] {
        if text[s..end].starts_with(q) {
            let from = s + q.len();
            let close = text[from..end].find(q).map(|k| from + k).unwrap_or(end);
            return from..close;
        }
    }
    let mut i = s;
    while i < end && i - s < MAX_VALUE {
        match b[i] {
            b'\n' | b'\r' => break,
            b'&' if ends_value(text, i) => break,
            b' ' if text[i..].starts_with(" HTTP/") => break,
            _ => i += 1,
        }
    }
    s..i
}

/// A value in code: the expression up to a `,`, `;`, closing bracket or line end at depth 0
/// (strings skipped whole; in a shell word, a space ends it too).
pub(super) fn code_value(text: &str, lex: &Lex, start: usize, shell: bool) -> Range<usize> {
    let b = text.as_bytes();
    let mut s = start;
    while s < b.len() && matches!(b[s], b' ' | b'\t') {
        s += 1;
    }
    let mut depth = 0usize;
    let mut i = s;
    while i < b.len() && i - s < MAX_VALUE {
        if let Some(st) = lex.string_starting(i) {
            i = st.outer.end.max(i + 1);
            continue;
        }
        match b[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => break,
            b')' | b']' | b'}' => depth -= 1,
            b',' | b';' | b'\n' | b'\r' if depth == 0 => break,
            b' ' | b'\t' if depth == 0 && shell && shell_word_ends(text, s, i) => break,
            _ => {}
        }
        i += 1;
    }
    let mut e = i.min(b.len());
    while e > s && b[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    s..e
}

/// In a shell assignment (`SECRET=abc curl …`) a space ends the value; in code it does not.
fn shell_word_ends(text: &str, s: usize, i: usize) -> bool {
    let value = &text[s..i];
    let rest = text[i..].trim_start();
    !value.is_empty()
        && !rest.starts_with(|c: char| "+-*/%|&?:.<>=!".contains(c))
        && !rest.starts_with("if ")
        && !rest.starts_with("else")
        && !rest.starts_with("or ")
        && !rest.starts_with("and ")
        && !value
            .trim_end()
            .ends_with(|c: char| "+-*/%|&?:.<>=!(".contains(c))
}

/// The arguments of an SDK's client-credentials login (`loginClientCredentialsGrant(id,
/// secret)`, `get_client_credentials_token(id, secret)`): id and secret positions.
pub(crate) fn credential_calls(text: &str, lex: &Lex, out: &mut Vec<CredentialPosition>) {
    let lower = text.to_ascii_lowercase();
    // .NET: the SDK's `PostToken(id, secret)`, RestSharp's `HttpBasicAuthenticator(id, secret)`.
    for pat in [
        "clientcredentials",
        "client_credentials",
        "posttoken",
        "basicauthenticator",
    ] {
        for (k, _) in lower.match_indices(pat) {
            let after = &text[k + pat.len()..];
            let ident: usize = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let open = k + pat.len() + ident;
            if text.as_bytes().get(open) != Some(&b'(') || lex.string_containing(k).is_some() {
                continue;
            }
            let first = code_value(text, lex, open + 1, false);
            push(out, text, Role::ClientId, first.clone(), false);
            let comma = first.end;
            if text.as_bytes().get(comma) == Some(&b',') {
                let second = code_value(text, lex, comma + 1, false);
                push(out, text, Role::ClientSecret, second, false);
            }
        }
    }
}

/// curl's `-u ID:SECRET` / `--user ID:SECRET` / `--user=…` (quoted or not).
pub(crate) fn curl_user(text: &str, lex: &Lex, out: &mut Vec<CredentialPosition>) {
    for flag in [" -u", " --user", "\t-u", "\t--user"] {
        for (k, _) in text.match_indices(flag) {
            let mut i = k + flag.len();
            let b = text.as_bytes();
            match b.get(i) {
                Some(b' ' | b'=') => i += 1,
                Some(b'"' | b'\'') if flag.ends_with("-u") => {}
                _ => continue,
            }
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            let span = match lex.string_starting(i) {
                Some(s) => s.content.clone(),
                None => {
                    let e = text[i..]
                        .find(|c: char| c.is_whitespace())
                        .map(|e| i + e)
                        .unwrap_or(text.len());
                    i..e
                }
            };
            push(out, text, Role::BasicHeader, span, true);
        }
    }
}

/// HAR (and any JSON) `{"name": "client_secret", "value": "…"}` pairs.
pub(crate) fn har_pairs(text: &str, lex: &Lex, out: &mut Vec<CredentialPosition>) {
    for (k, _) in text.match_indices("\"name\"") {
        let Some(name) = next_string(text, lex, k + 6) else {
            continue;
        };
        let name_text = &text[name.clone()];
        let Some(v) = text[name.end..]
            .char_indices()
            .take(400)
            .find(|(_, c)| *c == '}')
            .map(|(e, _)| name.end + e)
            .and_then(|close| {
                text[name.end..close]
                    .find("\"value\"")
                    .map(|e| name.end + e)
            })
        else {
            continue;
        };
        let Some(value) = next_string(text, lex, v + 7) else {
            continue;
        };
        if let Some(role) = role_of(name_text, &text[value.clone()]) {
            push(out, text, role, value, true);
        }
    }
}

/// The content of the first string after `from` that follows a `:`.
fn next_string(text: &str, lex: &Lex, from: usize) -> Option<Range<usize>> {
    let rest = &text[from..];
    let colon = rest.find(':')?;
    if !rest[..colon].trim().is_empty() {
        return None;
    }
    let after = from + colon + 1;
    let skip = text[after..].len() - text[after..].trim_start().len();
    lex.string_starting(after + skip).map(|s| s.content.clone())
}

/// The userinfo of every URL (`https://ID:SECRET@host/…`).
pub(crate) fn userinfo(text: &str, out: &mut Vec<CredentialPosition>) {
    for (k, _) in text.match_indices("://") {
        let line_end = text[k..].find('\n').map(|e| k + e).unwrap_or(text.len());
        if let Some(at) = crate::secret::mask::userinfo_end(&text[k..line_end]) {
            push(out, text, Role::Userinfo, k + 3..k + at, true);
        }
    }
}

/// A name written as a string and its value as the next argument or item:
/// `new KeyValuePair<string, string>("client_secret", secret)`, `{ "client_secret", secret }`,
/// `AddParameter("client_secret", secret)`, `Headers.Add("Authorization", value)`, and
/// `new AuthenticationHeaderValue("Basic", value)` (the value is a Basic credential).
pub(crate) fn name_value_pairs(text: &str, lex: &Lex, out: &mut Vec<CredentialPosition>) {
    for st in &lex.strings {
        let name = &text[st.content.clone()];
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if name.is_empty() || name.len() > 40 || !name.chars().all(word) {
            continue;
        }
        let after = &text[st.outer.end.min(text.len())..];
        let gap = after.len() - after.trim_start().len();
        if !after[gap..].starts_with(',') {
            continue;
        }
        let comma = st.outer.end + gap;
        let value = code_value(text, lex, comma + 1, false);
        let role = if name.eq_ignore_ascii_case("basic") {
            Some(Role::BasicHeader)
        } else {
            role_of(name, &text[value.clone()])
        };
        if let Some(role) = role {
            push(out, text, role, value, false);
        }
    }
}
