//! Secrets that cannot leak by accident, and the scrubber that is the second line of defence.
//!
//! [`Secret`] holds a client secret, admin secret or access token. It has no `Display`, its
//! `Debug` prints `Secret(<redacted>)`, it does not implement `Serialize`, and its memory is
//! zeroed on drop. The only way to the value is [`Secret::expose`], used where bytes go on the
//! wire.
//!
//! [`Redactor`] knows every secret of a run and removes each one from any text in every form it
//! could take on the way out: raw, percent-encoded (upper or lower hex), `+`-encoded form
//! values, JSON-escaped, and standard or URL-safe base64 at every byte alignment (which also
//! covers a Basic header's `base64(id:secret)`). Reports are built from redacted text, and the
//! renderers run the finished output through the redactor once more.
//!
//! Two more exits are closed here: [`Shape`] is what the `Debug` impls of every type that can
//! hold a credential print instead of the value, and [`install_panic_hook`] makes a panic message
//! (which may quote a value through `{:?}`) pass through the run's redactor before it reaches
//! stderr.

pub mod basic;
mod decode;
pub mod global;
pub mod mask;
pub mod placeholder;
pub mod runs;
pub mod structure;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use std::fmt;
use zeroize::Zeroize;

/// A secret value: a client secret, admin secret or access token.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The clear value, for the wire only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Length in characters, safe to show.
    pub fn char_len(&self) -> usize {
        self.0.chars().count()
    }

    /// A shape description safe to show: length and character classes, never characters.
    pub fn describe(&self) -> String {
        describe_shape(&self.0)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Describes a value by length and classes of characters, e.g.
/// `43 chars: letters, digits, '-', '_'`.
pub fn describe_shape(v: &str) -> String {
    let n = v.chars().count();
    let mut classes: Vec<String> = Vec::new();
    if v.chars().any(|c| c.is_ascii_alphabetic()) {
        classes.push("letters".into());
    }
    if v.chars().any(|c| c.is_ascii_digit()) {
        classes.push("digits".into());
    }
    let mut specials: Vec<char> = v
        .chars()
        .filter(|c| c.is_ascii_punctuation())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    specials.truncate(12);
    for c in specials {
        classes.push(format!("'{c}'"));
    }
    if v.chars().any(|c| c == ' ') {
        classes.push("spaces".into());
    }
    if v.chars().any(|c| c.is_control()) {
        classes.push("control characters".into());
    }
    if !v.is_ascii() {
        classes.push("non-ASCII".into());
    }
    let unit = if n == 1 { "char" } else { "chars" };
    if classes.is_empty() {
        format!("{n} {unit}")
    } else {
        format!("{n} {unit}: {}", classes.join(", "))
    }
}

/// The replacement text for a scrubbed secret.
pub const REDACTED: &str = "<redacted>";

/// Shortest whole form the scrubber removes; shorter secrets are redacted by position only
/// (the importers and the request echo mask their positions), as they would eat ordinary words.
const MIN_PATTERN: usize = 4;

/// Removes every known secret, in every encoded form, and every run of [`runs::RUN`] characters
/// of any of those forms, from text.
#[derive(Clone, Default)]
pub struct Redactor {
    /// (pattern, replacement), longest pattern first.
    patterns: Vec<(String, String)>,
    /// Runs of [`runs::RUN`] characters of every secret form.
    runs: std::collections::BTreeSet<String>,
    /// The automaton of `runs`, built on first use after a change.
    automaton: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
}

impl Drop for Redactor {
    fn drop(&mut self) {
        for (p, _) in &mut self.patterns {
            p.zeroize();
        }
        for mut r in std::mem::take(&mut self.runs) {
            r.zeroize();
        }
    }
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} patterns)", self.patterns.len())
    }
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Adds a secret (all its encoded forms, and every run of 8 of their characters). A
    /// template value left in (`YOUR_CLIENT_SECRET`) is no secret: only its whole forms are
    /// removed, so the names it shares words with stay readable.
    pub fn add(&mut self, secret: &str) {
        let runs = !placeholder::is_template(secret);
        for form in encoded_forms(secret) {
            if runs {
                self.runs.extend(runs::runs_of(&form));
            }
            self.push(form, REDACTED.to_string());
        }
        if runs {
            self.automaton = std::sync::OnceLock::new();
        }
    }

    /// Replaces a non-secret value (a client id with `--redact-id`) by a mask, in its raw and
    /// encoded forms.
    pub fn add_masked(&mut self, value: &str, mask: &str) {
        for form in encoded_forms(value) {
            self.push(form, mask.to_string());
        }
    }

    fn push(&mut self, pattern: String, replacement: String) {
        if pattern.chars().count() >= MIN_PATTERN
            && !self.patterns.iter().any(|(p, _)| *p == pattern)
        {
            self.patterns.push((pattern, replacement));
        }
        // Longest first, so a longer form is not broken by a shorter one inside it.
        self.patterns
            .sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    }

    /// Adds a secret value.
    pub fn add_secret(&mut self, secret: &Secret) {
        self.add(secret.expose());
    }

    /// Adds every pattern of another redactor.
    pub fn merge(&mut self, other: &Redactor) {
        for (p, r) in &other.patterns {
            self.push(p.clone(), r.clone());
        }
        let before = self.runs.len();
        self.runs.extend(other.runs.iter().cloned());
        if self.runs.len() != before {
            self.automaton = std::sync::OnceLock::new();
        }
    }

    /// Drops every run found inside `text`: the name of a variable or an expression that a
    /// value gcdoctor could not resolve holds as a marker (`$GENESYS_CLIENT_SECRET`) is not
    /// secret, and its mention elsewhere must stay readable.
    pub fn spare(&mut self, text: &str) {
        let norm = String::from_utf8(runs::upper_hex(text)).unwrap_or_default();
        let before = self.runs.len();
        self.runs.retain(|r| !norm.contains(r.as_str()));
        if self.runs.len() != before {
            self.automaton = std::sync::OnceLock::new();
        }
    }

    /// This redactor with the process-wide one (see [`global`]) merged in.
    pub fn with_global(&self) -> Redactor {
        let mut r = self.clone();
        r.merge(&global::snapshot());
        r
    }

    fn automaton(&self) -> Option<&aho_corasick::AhoCorasick> {
        self.automaton
            .get_or_init(|| runs::automaton(self.runs.iter()))
            .as_ref()
    }

    /// True if the text contains any known secret form or run.
    pub fn leaks(&self, text: &str) -> bool {
        self.patterns
            .iter()
            .any(|(p, r)| r == REDACTED && text.contains(p.as_str()))
            || self
                .automaton()
                .is_some_and(|ac| !runs::covered(ac, text).is_empty())
    }

    /// The text with every known secret form, and every run of 8 characters of one, replaced
    /// by `<redacted>` (looking through HTML and JSON escapes too).
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        let has_pct = out.contains('%');
        for (p, r) in &self.patterns {
            if out.contains(p.as_str()) {
                out = out.replace(p.as_str(), r);
            }
            // Percent-encoding with hex digits in any case (`%2b`, `%2B`, mixed).
            if has_pct && p.contains('%') {
                out = replace_ignoring_hex_case(&out, p, r);
            }
        }
        if let Some(ac) = self.automaton() {
            let ranges = runs::covered(ac, &out);
            if !ranges.is_empty() {
                out = runs::replace(&out, &ranges, REDACTED);
            }
        }
        let twice = format!("{REDACTED}{REDACTED}");
        while out.contains(&twice) {
            out = out.replace(&twice, REDACTED);
        }
        out
    }
}

/// Replaces `pattern` in `text`, comparing the hex digits of `%XX` escapes case-insensitively.
fn replace_ignoring_hex_case(text: &str, pattern: &str, replacement: &str) -> String {
    let (t, p) = (runs::upper_hex(text), runs::upper_hex(pattern));
    if p.is_empty() || t.len() < p.len() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let (mut i, mut last) = (0, 0);
    while i + p.len() <= t.len() {
        if t[i..i + p.len()] == p[..]
            && text.is_char_boundary(i)
            && text.is_char_boundary(i + p.len())
        {
            out.push_str(&text[last..i]);
            out.push_str(replacement);
            i += p.len();
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Every form a secret can take in text gcdoctor prints.
pub fn encoded_forms(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_string()];
    let trimmed = secret.trim();
    if trimmed != secret && !trimmed.is_empty() {
        forms.push(trimmed.to_string());
    }
    let pct = percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    forms.push(pct.to_ascii_lowercase_hex());
    forms.push(pct);
    forms.push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    // Query/path style encodings that leave more characters alone.
    forms.push(percent_encoding::utf8_percent_encode(secret, &QUERY_SET).to_string());
    if let Ok(json) = serde_json::to_string(secret) {
        let inner = json[1..json.len() - 1].to_string();
        // Escaped slashes (`\/`, as PHP and some proxies write JSON) and `\uXXXX` escapes of
        // non-ASCII characters, in either case.
        for base in [inner.clone(), inner.replace('/', "\\/")] {
            if base.is_ascii() {
                forms.push(base);
                continue;
            }
            let mut lower = String::new();
            let mut upper = String::new();
            for c in base.chars() {
                if c.is_ascii() {
                    lower.push(c);
                    upper.push(c);
                } else {
                    let mut units = [0u16; 2];
                    for u in c.encode_utf16(&mut units) {
                        lower.push_str(&format!("\\u{u:04x}"));
                        upper.push_str(&format!("\\u{u:04X}"));
                    }
                }
            }
            forms.push(base);
            forms.push(lower);
            forms.push(upper);
        }
    }
    // base64 at each alignment: the characters that depend only on the secret's bytes.
    let bytes = secret.as_bytes();
    for k in 0..3usize {
        let mut buf = vec![0u8; k];
        buf.extend_from_slice(bytes);
        for engine in [&STANDARD as &dyn EncodeStr, &URL_SAFE_NO_PAD] {
            let enc = engine.enc(&buf);
            let start = (k * 8).div_ceil(6);
            let end = ((k + bytes.len()) * 8) / 6;
            if end > start && end <= enc.len() {
                forms.push(enc[start..end].to_string());
            }
        }
    }
    forms.retain(|f| !f.is_empty());
    forms.dedup();
    forms
}

const QUERY_SET: percent_encoding::AsciiSet = percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'&')
    .add(b'+')
    .add(b'=')
    .add(b'%');

trait EncodeStr {
    fn enc(&self, b: &[u8]) -> String;
}
impl<E: base64::Engine> EncodeStr for E {
    fn enc(&self, b: &[u8]) -> String {
        self.encode(b)
    }
}

trait LowerHex {
    fn to_ascii_lowercase_hex(&self) -> String;
}
impl LowerHex for String {
    /// `%2B` → `%2b`, leaving other characters as they are.
    fn to_ascii_lowercase_hex(&self) -> String {
        let mut out = String::with_capacity(self.len());
        let mut chars = self.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if c == '%' {
                for _ in 0..2 {
                    if let Some(h) = chars.next() {
                        out.push(h.to_ascii_lowercase());
                    }
                }
            }
        }
        out
    }
}

/// A value shown in `Debug` output by its shape only: `<redacted: 43 chars: letters, …>`.
pub struct Shape<'a>(pub &'a str);

impl fmt::Debug for Shape<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted: {}>", describe_shape(self.0))
    }
}

/// Adds the secrets `r` knows to the process-wide redactor (see [`global`]), which scrubs
/// panic messages and every line on stderr.
pub fn register_for_panics(r: &Redactor) {
    global::register(r);
}

/// Makes every panic print one line, scrubbed of the secrets given to
/// [`register_for_panics`]: `gcdoctor: internal error (a bug, please report it): MESSAGE at
/// FILE:LINE`. A panic is a bug, but its message must not turn it into a leak: payloads often
/// quote values through `{:?}`. The binary installs it first thing.
pub fn install_panic_hook() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!(
                "gcdoctor: internal error (a bug, please report it): {}{at}",
                scrub_for_panic(&payload)
            );
        }));
    });
}

/// A panic message with every registered secret removed. When the redactor is busy (a panic
/// while it is locked), the message is dropped rather than risked.
pub fn scrub_for_panic(message: &str) -> String {
    global::try_scrub(message).unwrap_or_else(|| "(message withheld)".to_string())
}

/// Masks a value for display: keeps nothing of it, only its shape.
pub fn mask(v: &str) -> String {
    format!("<redacted: {}>", describe_shape(v))
}

/// Masks a client id that is safe to show partly (a UUID): keeps the first 4 characters.
pub fn mask_id(v: &str) -> String {
    let head: String = v.chars().take(4).collect();
    format!("{head}…<redacted id>")
}

/// True for the 8-4-4-4-12 hex shape of a Genesys client id.
pub fn is_uuid_shaped(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
    }

    #[test]
    fn scrubs_every_form() {
        let secret = "ab+c/d=e&f%g#h i";
        let mut r = Redactor::new();
        r.add(secret);
        let basic = STANDARD.encode(format!("3f2a:{secret}"));
        for text in [
            secret.to_string(),
            url::form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>(),
            percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
            STANDARD.encode(secret),
            basic.clone(),
            serde_json::to_string(secret).unwrap(),
        ] {
            let out = r.scrub(&format!("before {text} after"));
            assert!(!r.leaks(&out), "{out}");
            assert!(out.starts_with("before "), "{out}");
        }
    }

    #[test]
    fn panic_messages_are_scrubbed() {
        let mut r = Redactor::new();
        r.add("pAn1c-s3cret-Value+/=");
        register_for_panics(&r);
        let msg = scrub_for_panic(&format!("unwrap on {:?}", "pAn1c-s3cret-Value+/="));
        assert!(!msg.contains("pAn1c-s3cret"), "{msg}");
        assert!(msg.starts_with("unwrap on"), "{msg}");
        assert_eq!(
            format!("{:?}", Shape("ab+1")),
            "<redacted: 4 chars: letters, digits, '+'>"
        );
    }

    #[test]
    fn scrubs_json_escapes_and_any_hex_case() {
        let secret = "ab/cd+é€x-12345";
        let mut r = Redactor::new();
        r.add(secret);
        for text in [
            "ab\\/cd+\\u00e9\\u20acx-12345".to_string(),
            "ab\\/cd+\\u00E9\\u20ACx-12345".to_string(),
            "ab%2fcd%2B%C3%a9%E2%82%ACx%2D12345".to_string(),
        ] {
            let out = r.scrub(&format!("[{text}]"));
            assert_eq!(out, format!("[{REDACTED}]"), "{text}");
        }
    }

    #[test]
    fn uuid_shape() {
        assert!(is_uuid_shaped("3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b"));
        assert!(!is_uuid_shaped("my-client-id"));
    }

    #[test]
    fn describe_gives_classes_not_characters() {
        assert_eq!(describe_shape("ab+1"), "4 chars: letters, digits, '+'");
    }
}
