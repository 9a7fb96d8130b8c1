//! Credential positions: where in the user's input a credential is written, by role, whatever
//! gcdoctor later makes of it.
//!
//! Redaction by value only knows the values gcdoctor resolved; a secret it resolved
//! differently (split by `&`, cut by a shell expansion) or not at all (an expression it cannot
//! evaluate, a syntax error) would go out in clear. So before any importer parses the input,
//! [`scan`] reads the raw text and marks every credential position:
//!
//! * the value after a secret-bearing name (`client_secret=`, `clientSecret:`,
//!   `"client_secret": `, `SECRET=`, `Authorization: Basic `, `secret_key=`, …; see
//!   [`is_secret_name`]) and after a client-id name, to its whole extent: inside a string (a
//!   form body, a query, a header) up to the end of the string or to an `&` that starts a
//!   parameter gcdoctor knows ([`ends_value`]), so what a form parser would split off stays in;
//!   in code, the whole expression up to a `,`, `;`, closing bracket or line end at depth 0;
//! * the two arguments of an SDK's client-credentials call, a curl `-u id:secret`, the
//!   userinfo of every URL (`https://ID:SECRET@host`), a HAR `{"name": …, "value": …}` pair,
//!   and a name written as a string followed by its value (`("client_secret", secret)`,
//!   `AuthenticationHeaderValue("Basic", value)`).
//!
//! Each [`CredentialPosition`] keeps its [`Role`], its byte span and line in the input, and its
//! whole text as written. The redaction use is [`CredentialPosition::secret_texts`]: the text
//! as written and unescaped when it is a literal, each string literal inside an expression
//! (never the name of an environment variable, never a UUID-shaped id), and the value of every
//! environment variable it reads. The importer that runs next registers them with the
//! process-wide redactor, so nothing derived from a position can be printed in clear, not even
//! by the syntax-error message of an input that does not parse.
//!
//! The importers call [`scan`] through their `position` module, which also registers what
//! they could not resolve.
//!
//! The scan is lexical on purpose: it needs no successful parse and errs on the side of
//! marking too much. What the author meant by a position is another layer's business.

use std::ops::Range;

/// What a credential position holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// A client id (secret only when it is not UUID-shaped: possibly the secret, swapped).
    ClientId,
    /// A client secret.
    ClientSecret,
    /// The value of an `Authorization: Basic` header, or curl's `-u id:secret`.
    BasicHeader,
    /// A bearer or other access token.
    BearerToken,
    /// A credential of the admin client (`--admin-*`).
    AdminSecret,
    /// Another parameter whose name says it holds a secret (`password`, `secret_key`, …).
    SecretParam(String),
    /// The `user:password` part of a URL.
    Userinfo,
    /// An expression in a credential position that gcdoctor cannot evaluate.
    Unevaluable,
}

/// One credential position of the input.
#[derive(Clone, PartialEq, Eq)]
pub struct CredentialPosition {
    pub role: Role,
    /// Byte range of the value in the input.
    pub span: Range<usize>,
    /// 1-based line of its start.
    pub line: usize,
    /// The whole value as written in the input (before form splitting, `+`-as-space or shell
    /// expansion).
    pub text: String,
    /// The value is inside a string of the input (a form body, a header), not code.
    pub in_string: bool,
    /// A bare word the input never defines (no assignment, import or parameter of that name):
    /// a literal written without quotes.
    pub unbound: bool,
}

impl std::fmt::Debug for CredentialPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialPosition")
            .field("role", &self.role)
            .field("span", &self.span)
            .field("line", &self.line)
            .field("text", &crate::secret::Shape(&self.text))
            .finish()
    }
}

impl CredentialPosition {
    /// Every text derived from this position that must never be printed.
    pub fn secret_texts(&self, env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
        let mut out = Vec::new();
        for name in env_names(&self.text) {
            match env(&name) {
                // A UUID-shaped value is a client id, which is not secret (contract §4).
                Some(v) if crate::secret::is_uuid_shaped(v.trim()) => {}
                Some(v) => out.push(v),
                None if is_cut_secret(&name) => out.push(name),
                None => {}
            }
        }
        if self.role == Role::ClientId {
            // Only a literal id that cannot be one (it may be the secret, given swapped).
            let t = self.text.trim().trim_matches(|c| c == '"' || c == '\'');
            if !crate::secret::is_uuid_shaped(t) && self.is_plain_literal() && !is_reference(t) {
                out.push(t.to_string());
            }
            return out;
        }
        let parts = if self.unbound {
            vec![self.text.trim().to_string()]
        } else {
            literal_parts(&self.text, self.in_string)
        };
        for p in parts {
            let p = p.trim().to_string();
            if p.is_empty() || crate::secret::is_uuid_shaped(&p) || is_vocabulary(&p) {
                continue;
            }
            let unescaped = unescape(&p);
            let decoded = crate::secret::mask::form_decode(&p);
            // A Basic credential (`id:secret`) or a header value: the part after the scheme
            // and after the id counts on its own too.
            if let Some((_, rest)) = p.split_once(' ')
                && rest.len() >= 4
            {
                out.push(rest.trim().to_string());
            }
            let pair = matches!(self.role, Role::Userinfo | Role::BasicHeader);
            if let Some((id, rest)) = p.split_once(':')
                && (pair || crate::secret::is_uuid_shaped(id.trim()))
            {
                out.push(rest.to_string());
                if !crate::secret::is_uuid_shaped(id.trim()) && !id.contains('$') {
                    out.push(id.to_string());
                }
            }
            out.push(p);
            out.push(unescaped);
            out.push(decoded);
        }
        // The id in front of a secret (`uuid:secret`) is no part of it: registered with it,
        // runs of the id would be cut out of every report.
        for s in &mut out {
            if let Some((id, rest)) = s.split_once(':')
                && crate::secret::is_uuid_shaped(id.trim())
            {
                *s = rest.to_string();
            }
        }
        out.retain(|s| !s.is_empty() && !is_vocabulary(s));
        // An auth scheme or a separator written beside the credential (`"Basic " + b64`,
        // `id + ":" + secret`) is no secret.
        out.retain(|s| {
            let t = s.trim();
            !t.eq_ignore_ascii_case("basic")
                && !t.eq_ignore_ascii_case("bearer")
                && t.chars().any(|c| c.is_alphanumeric())
        });
        out.retain(|s| !s.is_empty());
        out.sort();
        out.dedup();
        out
    }

    fn is_plain_literal(&self) -> bool {
        self.in_string || self.text.trim_start().starts_with(['"', '\'', '`'])
    }
}

pub use crate::secret::mask::{is_id_name, is_secret_name};

/// A string literal inside a credential expression that is part of how the value is built,
/// never the value: an auth scheme (`"Basic "`), an encoding's name (`"base64"`, `"utf-8"`)
/// or punctuation (`":"`). Registering one would blank that word in every report.
fn is_vocabulary(p: &str) -> bool {
    let w = p.trim().trim_end_matches(':').to_ascii_lowercase();
    w.chars().all(|c| !c.is_alphanumeric())
        || matches!(
            w.as_str(),
            "basic"
                | "bearer"
                | "base64"
                | "base64url"
                | "utf-8"
                | "utf8"
                | "utf_8"
                | "utf-16"
                | "utf16"
                | "ascii"
                | "latin1"
                | "latin-1"
                | "iso-8859-1"
                | "hex"
                | "binary"
                | "unicode"
                // Grant types: the value of `grant_type`, never a credential.
                | "client_credentials"
                | "authorization_code"
                | "refresh_token"
        )
}

/// Parameters that are not secret: an `&` followed by one of them ends a secret value.
const KNOWN_PARAMS: &[&str] = &[
    "grant_type",
    "client_id",
    "scope",
    "audience",
    "resource",
    "redirect_uri",
    "code",
    "state",
    "username",
];

/// True when the text at `i` (an `&`) starts a parameter that ends the value before it.
pub fn ends_value(text: &str, i: usize) -> bool {
    let rest = &text[i + 1..];
    let Some(eq) = rest.find('=') else {
        return false;
    };
    let name = &rest[..eq];
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && (KNOWN_PARAMS.contains(&name) || is_secret_name(name) || is_id_name(name))
}

/// How an input's text outside strings reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Python or JavaScript: a value is an expression.
    Code,
    /// A shell command line: a value is a word (a space ends it).
    Shell,
    /// A raw HTTP request: a value is data up to the line end.
    Data,
}

/// The credential positions that syntax alone marks, whatever the names around them: the
/// arguments of credential calls (`auth=(id, secret)`, `HTTPBasicAuth(…)`), curl's
/// `-u`/`--user`, and URL userinfo. For text that is not one input of a known kind (a pasted
/// error quoting the request that failed), where reading every `name: value` as code would
/// take the answer with it.
pub fn scan_syntax(text: &str) -> Vec<CredentialPosition> {
    let lex = lexer::Lex::new(text);
    let mut out = Vec::new();
    scan::credential_calls(text, &lex, &mut out);
    scan::curl_user(text, &lex, &mut out);
    scan::userinfo(text, &mut out);
    out.sort_by_key(|p| (p.span.start, p.span.end));
    out.dedup_by(|a, b| a.span == b.span);
    scan::set_lines(text, &mut out);
    out
}

/// The credential positions of an input's text.
pub fn scan(text: &str, mode: Mode) -> Vec<CredentialPosition> {
    let lex = lexer::Lex::new(text);
    let mut out = Vec::new();
    scan::named_values(text, &lex, mode, &mut out);
    scan::credential_calls(text, &lex, &mut out);
    scan::curl_user(text, &lex, &mut out);
    scan::har_pairs(text, &lex, &mut out);
    scan::name_value_pairs(text, &lex, &mut out);
    scan::userinfo(text, &mut out);
    if mode == Mode::Code {
        calls::short_declarations(text, &lex, &mut out);
        calls::name_value_arguments(text, &lex, &mut out);
        calls::basic_pairs(text, &lex, &mut out);
    }
    out.sort_by_key(|p| (p.span.start, p.span.end));
    out.dedup_by(|a, b| a.span == b.span);
    scan::set_lines(text, &mut out);
    out
}

/// The credential positions of a URL given on its own (`--token-url`, `--check-api`).
pub fn scan_url(url: &str) -> Vec<CredentialPosition> {
    let mut out = scan(url, Mode::Data);
    for p in &mut out {
        p.in_string = true;
    }
    out
}

/// True for the "name" of an unset variable read in a credential position that is rather the
/// rest of a secret a shell expansion cut (`client_secret=$Xk9Lm2pQ…` in double quotes): not
/// written the way environment variables are (`GENESYS_SECRET`), and no credential name itself.
pub fn is_cut_secret(name: &str) -> bool {
    let env_style = name
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    !env_style && !is_secret_name(name) && !is_id_name(name)
}

/// The names of the environment variables a text reads (`$NAME`, `${NAME}`, `$env:NAME`,
/// `%NAME%`, `os.environ["NAME"]`, `os.getenv("NAME")`, `process.env.NAME`).
pub fn env_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let word = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in text.match_indices('$') {
        let rest = &text[i + 1..];
        let rest = rest
            .strip_prefix('{')
            .or_else(|| rest.strip_prefix("env:"))
            .unwrap_or(rest);
        out.push(word(rest));
    }
    for marker in [
        "environ[\"",
        "environ['",
        "environ.get(\"",
        "environ.get('",
        "getenv(\"",
        "getenv('",
        "Getenv(\"",
        "process.env.",
        "process.env[\"",
        "process.env['",
    ] {
        for (i, _) in text.match_indices(marker) {
            out.push(word(&text[i + marker.len()..]));
        }
    }
    let mut parts = text.split('%');
    parts.next();
    for p in parts {
        if !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push(p.to_string());
        }
    }
    out.retain(|n| !n.is_empty() && !n.starts_with(|c: char| c.is_ascii_digit()));
    out.sort();
    out.dedup();
    out
}

/// The literal parts of a position's text: inside a string, the text minus its
/// interpolations (`$VAR`, `${…}`, `{…}`); in code, the contents of its string literals
/// (environment variable names excepted), or the whole text when it holds no string and is not
/// a reference (an unquoted secret).
pub fn literal_parts(text: &str, in_string: bool) -> Vec<String> {
    if in_string {
        return split_interpolations(text);
    }
    let t = text.trim_start();
    // A dict or object literal (`credentials = {…}`): its secret-named entries are positions
    // of their own; its other strings are keys and plain values.
    if t.starts_with(['{', '[']) || t.starts_with("dict(") {
        return Vec::new();
    }
    let lex = lexer::Lex::new(text);
    let strings: Vec<&lexer::Str> = lex.strings.iter().collect();
    if strings.is_empty() {
        // `secret`, `cfg.secret`, or a tuple of them (`(CLIENT_ID, CLIENT_SECRET)`): names.
        let t = text.trim();
        let inner = t
            .strip_prefix('(')
            .and_then(|i| i.strip_suffix(')'))
            .unwrap_or(t);
        // A name, not a secret written without quotes (long, mixed case and digits, no `_`).
        let generated = |p: &str| {
            p.len() >= 16
                && p.chars().any(|c| c.is_ascii_uppercase())
                && p.chars().any(|c| c.is_ascii_lowercase())
                && p.chars().any(|c| c.is_ascii_digit())
                && !p.contains(['_', '.', '('])
        };
        let tuple = || {
            inner.split(',').all(|p| {
                let p = p.trim();
                p.is_empty() || (is_reference(p) && !generated(p))
            })
        };
        return if is_reference(t) || tuple() {
            Vec::new()
        } else {
            vec![t.to_string()]
        };
    }
    let mut out = Vec::new();
    for s in strings {
        let before = text[..s.outer.start].trim_end();
        let is_env_name = ["environ[", "environ.get(", "getenv(", "Getenv(", "env["]
            .iter()
            .any(|m| before.ends_with(m));
        let content = &text[s.content.clone()];
        let word = KNOWN_PARAMS.contains(&content)
            || content == "client_credentials"
            || is_secret_name(content)
            || is_id_name(content);
        if !is_env_name && !word {
            out.extend(split_interpolations(content));
        }
    }
    out
}

/// A value that names another (`secret`, `cfg.secret`, `os.environ["X"]`, `$SECRET`,
/// `getSecret()`) rather than being one.
fn is_reference(t: &str) -> bool {
    if t.starts_with('$') || t.starts_with('%') {
        return true;
    }
    let head: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
        .collect();
    let rest = &t[head.len()..];
    !head.is_empty()
        && !head.starts_with(|c: char| c.is_ascii_digit())
        && (rest.is_empty() || rest.starts_with(['(', '[']))
}

/// `a${X}b{y}c` → `["a", "b", "c"]`: the literal text between interpolations.
fn split_interpolations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let rest = &text[i..];
        let skip = if rest.starts_with("${") || (c == '{' && !rest.starts_with("{{")) {
            rest.find('}').map(|e| e + 1)
        } else if c == '$'
            && rest
                .get(1..5)
                .is_some_and(|p| p.eq_ignore_ascii_case("env:"))
        {
            // PowerShell's `$env:NAME`.
            let n = rest[5..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len() - 5);
            (n > 0).then_some(n + 5)
        } else if c == '%' {
            // cmd's `%NAME%`, for a name written as an environment variable's.
            rest[1..]
                .find('%')
                .filter(|&e| {
                    e > 0
                        && rest[1..1 + e]
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                })
                .map(|e| e + 2)
        } else if c == '$' {
            let n = rest[1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len() - 1);
            (n > 0).then_some(n + 1)
        } else {
            None
        };
        match skip {
            Some(n) => {
                out.push(std::mem::take(&mut cur));
                while chars.peek().is_some_and(|(j, _)| *j < i + n) {
                    chars.next();
                }
            }
            None => cur.push(c),
        }
    }
    out.push(cur);
    out.retain(|s| !s.trim().is_empty());
    out
}

/// Backslash escapes of JSON, Python and JavaScript strings resolved (`\"`, `\\`, `\/`,
/// `\uXXXX`, `\n`).
fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(u) if hex.len() == 4 => {
                        out.push(u);
                        for _ in 0..4 {
                            chars.next();
                        }
                    }
                    _ => out.push('u'),
                }
            }
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// Registers the secret texts of positions with the process-wide redactor.
pub fn register(positions: &[CredentialPosition], env: &dyn Fn(&str) -> Option<String>) {
    // Adding a text twice changes nothing: a script that repeats a secret adds it once.
    let mut added = std::collections::HashSet::new();
    for p in positions {
        for t in p.secret_texts(env) {
            if !added.contains(&t) {
                crate::secret::global::add(&t);
                added.insert(t);
            }
        }
    }
}

mod calls;
mod lexer;
mod scan;

#[cfg(test)]
mod tests;
