//! Fills the [`crate::intent`] model of an imported request from its credential positions.
//!
//! # Plan
//!
//! For each client-secret position (and a curl `-u`/Basic position, split at its first `:`)
//! the text as written is read the way the input's language reads it:
//!
//! * a curl command: by the shell it is written for (sh/bash, cmd.exe at its prompt or in a
//!   batch file, PowerShell), from the quoting state the source is in at the position's
//!   start, in `src/import/shell/meant.rs` (the one place shell quoting lives): a variable
//!   named like an environment variable (`CLIENT_SECRET`, `$ID`, `%CLIENT_ID%`,
//!   `$env:ID`) is meant as one and expanded on both sides, while a `$` (`%`) followed by a
//!   name no one would give a variable (`$Cd9f…`, mixed case in a random string) is meant
//!   literally: the author's text keeps it, the shell sends what it really does (nothing
//!   for an unset variable; a batch file also drops a lone `%`);
//! * a HAR: the JSON string's escapes;
//! * a raw HTTP request file: the bytes as they are.
//!
//! The result, the *meant* value, is compared with the value the importer found in the
//! request as sent. A difference is named ([`Mangling`]) and kept in
//! [`ImportedRequest::intent`]; a secret the shell cut short by an unset variable becomes the
//! sent value (what the real shell sends) instead of an unknown one.

use super::shell::{self, meant::Reading};
use crate::credential_span::{CredentialPosition, Role, is_cut_secret};
use crate::intent::{Mangling, Meant, Shell};
use crate::request::{CredLocation, ImportedRequest, InputKind, ValueOrigin, basic_value};

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A position's text as meant, by the input's kind.
fn read(imp: &ImportedRequest, src: &str, p: &CredentialPosition, env: Env) -> Option<Reading> {
    match imp.kind {
        InputKind::Curl => shell::meant::read(src, &imp.source, p.span.start, &p.text, env),
        InputKind::Http => Some(Reading {
            meant: p.text.clone(),
            sent: p.text.clone(),
            ..Reading::default()
        }),
        InputKind::Har => {
            let s: String = serde_json::from_str(&format!("\"{}\"", p.text)).ok()?;
            Some(Reading {
                meant: s.clone(),
                sent: s,
                ..Reading::default()
            })
        }
        _ => None,
    }
}

/// Names the difference between the meant value and the one the server reads.
fn mangling(
    meant: &str,
    sent: &str,
    cut: &[(usize, usize, bool)],
    shell: Shell,
) -> Option<Mangling> {
    if meant == sent {
        return None;
    }
    if let Some(&(at, len, double_quoted)) = cut.first() {
        return Some(Mangling::ShellExpansion {
            at,
            len,
            double_quoted,
            shell,
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
/// `"$id:$secret"` in a PowerShell credential position: `$id:` followed by no name is a
/// parse error, so the command never runs.
fn powershell_rejects(imp: &ImportedRequest) -> Option<crate::intent::Rejected> {
    let re = regex::Regex::new(r"\$([A-Za-z_][A-Za-z0-9_]*):").ok()?;
    imp.positions.iter().find_map(|p| {
        if p.text.trim_start().starts_with('\'') {
            return None;
        }
        re.captures_iter(&p.text).find_map(|c| {
            let end = c.get(0)?.end();
            let next = p.text[end..].chars().next();
            if next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                return None;
            }
            let name = &c[1];
            Some(crate::intent::Rejected {
                line: p.line,
                why: format!(
                    "PowerShell rejects `${name}:` followed by no variable name (\"Variable reference is not valid\"): the command stops before curl runs, so nothing is sent"
                ),
                fix: format!(
                    "Write `${{{name}}}:` (or `$(${name}):`) so the colon stays text: `\"${{{name}}}:…\"`."
                ),
            })
        })
    })
}

pub fn fill(imp: &mut ImportedRequest, src: &str, env: Env) {
    if imp.kind == InputKind::Curl {
        let d = shell::dialect(src, &imp.source);
        imp.intent.shell = d.shell();
        imp.intent.delayed_expansion = d.delayed;
        if imp.intent.shell == Shell::PowerShell {
            imp.intent.rejected = powershell_rejects(imp);
        }
    }
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
        let Some(mut r) = read(imp, src, p, env) else {
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
                shell: r.shell,
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
        let Some(m) = mangling(&r.meant, &sent, &r.cut, r.shell) else {
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

    #[test]
    fn manglings_are_named() {
        assert_eq!(
            mangling("abc&def", "abc", &[], Shell::Sh),
            Some(Mangling::FormSplit { at: 4 })
        );
        assert_eq!(
            mangling("a+b", "a b", &[], Shell::Sh),
            Some(Mangling::PlusAsSpace)
        );
        assert_eq!(mangling("abc", "abc", &[], Shell::Sh), None);
        assert_eq!(mangling("abc", "xyz", &[], Shell::Sh), None);
        assert_eq!(
            mangling("a+b%41c&d", "a bAc", &[], Shell::Sh),
            Some(Mangling::FormDecoded {
                split_at: Some(8),
                pluses: 1,
                escapes: 1
            })
        );
        assert_eq!(
            mangling("ab%41", "abA", &[], Shell::Sh),
            Some(Mangling::FormDecoded {
                split_at: None,
                pluses: 0,
                escapes: 1
            })
        );
        assert_eq!(escapes("%4G%41%%2"), 1);
    }
}
