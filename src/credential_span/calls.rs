//! Credential positions that Java and Go code writes as call arguments and short
//! declarations, beside the named values of [`super::scan`]:
//!
//! * `name := value` (Go's short declaration) whose name is a credential's;
//! * a credential name as a string argument followed by its value, in any call:
//!   `data.Set("client_secret", v)`, `new FormBody.Builder().add("client_secret", v)`,
//!   `Map.of("client_secret", v)`, `.header("Authorization", v)`, `req.Header.Set(…)`;
//! * the two arguments of a Basic-credentials call: Go's `req.SetBasicAuth(id, secret)`,
//!   OkHttp's `Credentials.basic(id, secret)`.

use super::lexer::Lex;
use super::scan::{code_value, name_before, push, role_of};
use super::{CredentialPosition, Role};

/// `name := value`.
pub(crate) fn short_declarations(text: &str, lex: &Lex, out: &mut Vec<CredentialPosition>) {
    for (i, _) in text.match_indices(":=") {
        if lex.string_containing(i).is_some() {
            continue;
        }
        let Some((name, _)) = name_before(text, i) else {
            continue;
        };
        let span = code_value(text, lex, i + 2, false);
        if let Some(role) = role_of(name, &text[span.clone()]) {
            push(out, text, role, span, false);
        }
    }
}

/// `f("client_secret", value)`: a string argument naming a credential, then its value.
pub(crate) fn name_value_arguments(text: &str, lex: &Lex, out: &mut Vec<CredentialPosition>) {
    for s in &lex.strings {
        let name = &text[s.content.clone()];
        // A parameter or header name, not a URL or a sentence that mentions a token.
        let is_name = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if name.is_empty() || name.len() > 40 || !is_name {
            continue;
        }
        let before = text[..s.outer.start].trim_end();
        if !before.ends_with(['(', ',']) {
            continue;
        }
        let after = &text[s.outer.end..];
        let gap = after.len() - after.trim_start().len();
        if !after[gap..].starts_with(',') {
            continue;
        }
        let span = code_value(text, lex, s.outer.end + gap + 1, false);
        if let Some(role) = role_of(name, &text[span.clone()]) {
            push(out, text, role, span, false);
        }
    }
}

/// `SetBasicAuth(id, secret)`, `Credentials.basic(id, secret)`.
pub(crate) fn basic_pairs(text: &str, lex: &Lex, out: &mut Vec<CredentialPosition>) {
    for pat in ["SetBasicAuth(", "Credentials.basic("] {
        for (k, _) in text.match_indices(pat) {
            if lex.string_containing(k).is_some() {
                continue;
            }
            let first = code_value(text, lex, k + pat.len(), false);
            push(out, text, Role::ClientId, first.clone(), false);
            if text.as_bytes().get(first.end) == Some(&b',') {
                let second = code_value(text, lex, first.end + 1, false);
                push(out, text, Role::ClientSecret, second, false);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::credential_span::{Mode, Role, scan};

    fn roles(text: &str) -> Vec<(Role, String)> {
        scan(text, Mode::Code)
            .into_iter()
            .map(|p| (p.role, p.text))
            .collect()
    }

    #[test]
    fn go_positions() {
        let r = roles(
            "secret := \"Qx7v\"\nreq.SetBasicAuth(id, \"Wd4t\")\ndata.Set(\"client_secret\", \"Hj5r\")\n",
        );
        assert!(
            r.contains(&(Role::ClientSecret, "\"Qx7v\"".into())),
            "{r:?}"
        );
        assert!(
            r.contains(&(Role::ClientSecret, "\"Wd4t\"".into())),
            "{r:?}"
        );
        assert!(
            r.contains(&(Role::ClientSecret, "\"Hj5r\"".into())),
            "{r:?}"
        );
    }

    #[test]
    fn java_positions() {
        let r = roles(
            "new FormBody.Builder().add(\"client_secret\", \"Hj5r\")\nCredentials.basic(id, \"Wd4t\");\n.header(\"Authorization\", \"Basic Rk9P\")",
        );
        assert!(
            r.contains(&(Role::ClientSecret, "\"Hj5r\"".into())),
            "{r:?}"
        );
        assert!(
            r.contains(&(Role::ClientSecret, "\"Wd4t\"".into())),
            "{r:?}"
        );
        assert!(
            r.contains(&(Role::BasicHeader, "\"Basic Rk9P\"".into())),
            "{r:?}"
        );
    }
}
