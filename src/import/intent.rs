//! Fills the [`crate::intent`] model of an imported request from its credential positions.
//!
//! # Plan
//!
//! For each client-secret position (and a curl `-u`/Basic position, split at its first `:`)
//! the text as written is read the way the input's language reads it:
//!
//! * a curl command: sh/bash quoting, from the quoting state the source is in at the
//!   position's start (single quotes keep everything, double quotes and bare words expand
//!   `$NAME` and `${NAME}`, a backslash escapes); a variable named like an environment
//!   variable (`CLIENT_SECRET`, `$ID`) is meant as one and expanded on both sides, while a
//!   `$` followed by a name no one would give a variable (`$Cd9f…`, mixed case in a random
//!   string) is meant literally: the author's text keeps it, the shell sends the variable's
//!   value (nothing when unset);
//! * a HAR: the JSON string's escapes;
//! * a raw HTTP request file: the bytes as they are.
//!
//! The result, the *meant* value, is compared with the value the importer found in the
//! request as sent. A difference is named ([`Mangling`]) and kept in
//! [`ImportedRequest::intent`]; a secret the shell cut short by an unset variable becomes the
//! sent value (what the real shell sends) instead of an unknown one.

use crate::credential_span::{CredentialPosition, Role, is_cut_secret};
use crate::intent::{Mangling, Meant};
use crate::request::{CredLocation, ImportedRequest, InputKind, ValueOrigin, basic_value};

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A position's text read as its language reads it: what the author meant and what is sent.
#[derive(Clone, Debug, Default, PartialEq)]
struct Reading {
    meant: String,
    sent: String,
    /// Shell expansions meant literally: (1-based char position of the `$` in `meant`,
    /// length written, inside double quotes).
    cut: Vec<(usize, usize, bool)>,
}

impl Reading {
    fn push(&mut self, c: char) {
        self.meant.push(c);
        self.sent.push(c);
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Quote {
    None,
    Single,
    Double,
}

/// The sh quoting state at byte `at` of `src`.
fn quote_at(src: &str, at: usize) -> Quote {
    let mut q = Quote::None;
    let mut chars = src[..at.min(src.len())].chars().peekable();
    let mut word_start = true;
    while let Some(c) = chars.next() {
        let starts = word_start;
        word_start = c.is_whitespace();
        match (q, c) {
            // A comment runs to the end of its line; its quotes quote nothing.
            (Quote::None, '#') if starts => while chars.next_if(|&n| n != '\n').is_some() {},
            (Quote::None, '\'') => q = Quote::Single,
            (Quote::None, '"') => q = Quote::Double,
            (Quote::Single, '\'') | (Quote::Double, '"') => q = Quote::None,
            (Quote::None | Quote::Double, '\\') => {
                chars.next();
            }
            _ => {}
        }
    }
    q
}

/// Reads `text` as sh/bash does from quoting state `q`; `None` when it reads a variable
/// meant as one that is not set (the meant value is then unknown).
fn read_shell(text: &str, mut q: Quote, env: Env) -> Option<Reading> {
    let mut r = Reading::default();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match (q, c) {
            (Quote::None, '\'') => q = Quote::Single,
            (Quote::None, '"') => q = Quote::Double,
            (Quote::Single, '\'') | (Quote::Double, '"') => q = Quote::None,
            (Quote::None, '\\') => {
                if let Some(&n) = chars.get(i) {
                    i += 1;
                    if n != '\n' {
                        r.push(n);
                    }
                }
            }
            (Quote::Double, '\\') => match chars.get(i) {
                Some(&n) if matches!(n, '$' | '`' | '"' | '\\') => {
                    i += 1;
                    r.push(n);
                }
                Some('\n') => i += 1,
                _ => r.push('\\'),
            },
            (Quote::None | Quote::Double, '$') => {
                let braced = chars.get(i) == Some(&'{');
                let start = if braced { i + 1 } else { i };
                let mut end = start;
                while end < chars.len()
                    && (chars[end].is_ascii_alphanumeric() || chars[end] == '_')
                    && !(end == start && chars[end].is_ascii_digit())
                {
                    end += 1;
                }
                if end == start || (braced && chars.get(end) != Some(&'}')) {
                    r.push('$');
                    continue;
                }
                let name: String = chars[start..end].iter().collect();
                let next = if braced { end + 1 } else { end };
                let written: String = chars[i - 1..next].iter().collect();
                i = next;
                let value = env(&name);
                if is_cut_secret(&name) {
                    let at = r.meant.chars().count() + 1;
                    r.cut
                        .push((at, written.chars().count(), q == Quote::Double));
                    r.meant.push_str(&written);
                    r.sent.push_str(&value.unwrap_or_default());
                } else {
                    let v = value?;
                    r.meant.push_str(&v);
                    r.sent.push_str(&v);
                }
            }
            _ => r.push(c),
        }
    }
    Some(r)
}

/// A position's text as meant, by the input's kind.
fn read(kind: InputKind, src: &str, p: &CredentialPosition, env: Env) -> Option<Reading> {
    match kind {
        InputKind::Curl => read_shell(&p.text, quote_at(src, p.span.start), env),
        InputKind::Http => Some(Reading {
            meant: p.text.clone(),
            sent: p.text.clone(),
            cut: Vec::new(),
        }),
        InputKind::Har => {
            let s: String = serde_json::from_str(&format!("\"{}\"", p.text)).ok()?;
            Some(Reading {
                meant: s.clone(),
                sent: s,
                cut: Vec::new(),
            })
        }
        _ => None,
    }
}

/// Names the difference between the meant value and the one the server reads.
fn mangling(meant: &str, sent: &str, cut: &[(usize, usize, bool)]) -> Option<Mangling> {
    if meant == sent {
        return None;
    }
    if let Some(&(at, len, double_quoted)) = cut.first() {
        return Some(Mangling::ShellExpansion {
            at,
            len,
            double_quoted,
        });
    }
    form_mangling(meant, sent)
}

/// What a server's form decoding makes of a value written unencoded: the part before the
/// first `&`, each `+` a space, each `%XX` one byte.
fn form_read(head: &str) -> String {
    percent_encoding::percent_decode_str(&head.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// `%XX` escapes (two hex digits) in `s`.
fn escapes(s: &str) -> usize {
    let b = s.as_bytes();
    (0..b.len())
        .filter(|&i| {
            b[i] == b'%'
                && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
        })
        .count()
}

/// The form-decoding difference between a value as written and as the server reads it.
fn form_mangling(meant: &str, sent: &str) -> Option<Mangling> {
    let (head, split_at) = match meant.find('&') {
        Some(i) => (&meant[..i], Some(meant[..i].chars().count() + 1)),
        None => (meant, None),
    };
    if head.is_empty() || form_read(head) != sent {
        return None;
    }
    let (pluses, escapes) = (head.matches('+').count(), escapes(head));
    match (split_at, pluses, escapes) {
        (None, 0, 0) => None,
        (Some(at), 0, 0) => Some(Mangling::FormSplit { at }),
        (None, _, 0) => Some(Mangling::PlusAsSpace),
        _ => Some(Mangling::FormDecoded {
            split_at,
            pluses,
            escapes,
        }),
    }
}

/// The secret as written in a form body or a query the importer built (a script's string,
/// an f-string, a template): when it holds a raw `&` or `+`, the author did not encode it, so
/// what they meant is the text as written, up to the next parameter gcdoctor knows.
fn form_written(imp: &ImportedRequest, found: &crate::request::FoundValue) -> Option<Meant> {
    let (name, raw) = match &found.location {
        CredLocation::BodyParam(n) => {
            let form = imp
                .request
                .header("Content-Type")
                .is_none_or(|c| c.contains("x-www-form-urlencoded"));
            let body = std::str::from_utf8(&imp.request.body).ok()?;
            if !form || body.trim_start().starts_with(['{', '[']) {
                return None;
            }
            (n, body)
        }
        CredLocation::QueryParam(n) => (n, imp.request.url.split_once('?')?.1),
        _ => return None,
    };
    let key = format!("{name}=");
    let start = raw
        .match_indices(&key)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || raw.as_bytes()[i - 1] == b'&')?
        + key.len();
    let rest = &raw[start..];
    let end = (0..rest.len())
        .find(|&i| rest.as_bytes()[i] == b'&' && crate::credential_span::ends_value(rest, i))
        .unwrap_or(rest.len());
    let meant = &rest[..end];
    if !meant.contains(['&', '+']) {
        return None;
    }
    let sent = url::form_urlencoded::parse(raw.as_bytes())
        .find(|(k, _)| k == name.as_str())?
        .1
        .into_owned();
    let mangling = form_mangling(meant, &sent)?;
    Some(Meant {
        sent,
        meant: meant.to_string(),
        mangling,
        span: 0..0,
        line: found.line.unwrap_or(1),
    })
}

/// Reads the intent of an imported request from its positions (see the module docs), and
/// puts what a real shell sends in place of a secret it cut short.
pub fn fill(imp: &mut ImportedRequest, src: &str, env: Env) {
    let Some(found) = imp.client_secret.clone() else {
        return;
    };
    let basic = matches!(found.location, CredLocation::BasicHeader);
    let positions = imp.positions.clone();
    let candidates = positions.iter().filter(|p| match p.role {
        Role::ClientSecret => !basic,
        Role::BasicHeader => basic,
        _ => false,
    });
    let on_line = |p: &&CredentialPosition| {
        found
            .line
            .is_none_or(|l| p.line <= l && l <= p.line + p.text.matches('\n').count())
    };
    for p in candidates.filter(on_line) {
        let Some(mut r) = read(imp.kind, src, p, env) else {
            continue;
        };
        if basic {
            // `id:secret`: the secret is after the first `:` on both sides.
            let (Some((mid, ms)), Some((_, ss))) =
                (r.meant.split_once(':'), r.sent.split_once(':'))
            else {
                continue;
            };
            let shift = mid.chars().count() + 1;
            r.cut = r
                .cut
                .iter()
                .filter(|c| c.0 > shift)
                .map(|&(at, len, dq)| (at - shift, len, dq))
                .collect();
            r = Reading {
                meant: ms.to_string(),
                sent: ss.to_string(),
                cut: r.cut,
            };
        }
        // What the server reads: the importer's value, unless the importer left it unknown
        // for a shell expansion the real shell performs (then the shell's reading).
        let cut_short = matches!(&found.origin, ValueOrigin::EnvUnset(n) if is_cut_secret(n))
            && !r.cut.is_empty();
        let sent = if cut_short {
            r.sent.clone()
        } else if found.is_known() {
            found.value.clone()
        } else {
            continue;
        };
        let Some(m) = mangling(&r.meant, &sent, &r.cut) else {
            continue;
        };
        crate::secret::global::add(&r.meant);
        if cut_short {
            send_as_the_shell_does(imp, &sent);
        }
        imp.intent.secret = Some(Meant {
            sent,
            meant: r.meant,
            mangling: m,
            span: p.span.clone(),
            line: p.line,
        });
        return;
    }
    if let Some(m) = form_written(imp, &found) {
        crate::secret::global::add(&m.meant);
        imp.intent.secret = Some(m);
    }
}

/// The secret as found, with the value the author meant where the intent model knows it:
/// what the analysis compares with the value the server reads (then a raw `&` shows as
/// "`&` at N ends the value").
pub fn meant_secret(imp: &ImportedRequest) -> Option<crate::request::FoundValue> {
    let mut v = imp.client_secret.clone()?;
    if let Some(m) = &imp.intent.secret {
        v.value = m.meant.clone();
        v.origin = ValueOrigin::Literal;
    }
    Some(v)
}

/// The secret becomes the value the shell sends, in the request too.
fn send_as_the_shell_does(imp: &mut ImportedRequest, sent: &str) {
    if let Some(s) = imp.client_secret.as_mut() {
        s.value = sent.to_string();
        s.origin = ValueOrigin::Literal;
    }
    imp.unresolved
        .retain(|u| u.what != crate::import::WHAT_SECRET);
    if let Some(id) = imp.client_id.as_ref().filter(|i| i.is_known())
        && matches!(id.location, CredLocation::BasicHeader)
    {
        let v = basic_value(&id.value, sent);
        imp.request.set_header("Authorization", &v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(n: &str) -> Option<String> {
        (n == "CLIENT_ID").then(|| "the-id".to_string())
    }

    #[test]
    fn double_quotes_expand_a_dollar_single_quotes_keep_it() {
        let r = read_shell("\"$CLIENT_ID:ab$Cd9x\"", Quote::None, &env).unwrap();
        assert_eq!(r.meant, "the-id:ab$Cd9x");
        assert_eq!(r.sent, "the-id:ab");
        assert_eq!(r.cut, vec![(10, 5, true)]);
        let r = read_shell("'$CLIENT_ID:ab$Cd9x'", Quote::None, &env).unwrap();
        assert_eq!(
            (r.meant.as_str(), r.sent.as_str()),
            ("$CLIENT_ID:ab$Cd9x", "$CLIENT_ID:ab$Cd9x")
        );
        let r = read_shell("\"ab\\$Cd9x\"", Quote::None, &env).unwrap();
        assert_eq!(r.sent, "ab$Cd9x");
        assert!(r.cut.is_empty());
        let r = read_shell("ab${Cd}x", Quote::None, &env).unwrap();
        assert_eq!((r.sent.as_str(), r.cut[0]), ("abx", (3, 5, false)));
        // A variable meant as one, not set: the meant value is unknown.
        assert!(read_shell("\"$CLIENT_SECRET\"", Quote::None, &env).is_none());
    }

    #[test]
    fn the_quote_state_comes_from_the_source() {
        let src = "curl -d 'a=b&c' -u \"x:y\"";
        assert_eq!(quote_at(src, src.find("a=b").unwrap()), Quote::Single);
        assert_eq!(quote_at(src, src.find("x:y").unwrap()), Quote::Double);
        assert_eq!(quote_at(src, src.find("-u").unwrap()), Quote::None);
        let src = "# it's a comment\ncurl -d 'a=b'";
        assert_eq!(quote_at(src, src.find("a=b").unwrap()), Quote::Single);
        assert_eq!(quote_at(src, src.find("curl").unwrap()), Quote::None);
    }

    #[test]
    fn manglings_are_named() {
        assert_eq!(
            mangling("abc&def", "abc", &[]),
            Some(Mangling::FormSplit { at: 4 })
        );
        assert_eq!(mangling("a+b", "a b", &[]), Some(Mangling::PlusAsSpace));
        assert_eq!(mangling("abc", "abc", &[]), None);
        assert_eq!(mangling("abc", "xyz", &[]), None);
        assert_eq!(
            mangling("a+b%41c&d", "a bAc", &[]),
            Some(Mangling::FormDecoded {
                split_at: Some(8),
                pluses: 1,
                escapes: 1
            })
        );
        assert_eq!(
            mangling("ab%41", "abA", &[]),
            Some(Mangling::FormDecoded {
                split_at: None,
                pluses: 0,
                escapes: 1
            })
        );
        assert_eq!(escapes("%4G%41%%2"), 1);
    }
}
