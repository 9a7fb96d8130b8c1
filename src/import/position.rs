//! Credential positions of an imported input (see [`crate::credential_span`]): scanned and
//! registered with the process-wide redactor before the importer parses the input, then
//! attached to the [`ImportedRequest`].

use super::ImportError;
pub use crate::credential_span::*;
use crate::request::{ImportedRequest, InputKind, ValueOrigin};

/// How the text of an input of this kind reads outside strings.
pub fn mode_of(kind: InputKind) -> Mode {
    match kind {
        InputKind::Curl => Mode::Shell,
        InputKind::Http => Mode::Data,
        _ => Mode::Code,
    }
}

/// Scans an input, registers every secret text of its positions with the process-wide
/// redactor (before any parser can quote one in an error), and returns the positions.
pub fn guard(
    text: &str,
    kind: InputKind,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<CredentialPosition> {
    let positions = scan(text, mode_of(kind));
    // In PowerShell `$name` in a string is always a variable: one the script assigns is no
    // secret cut by an expansion.
    let assigned_names = std::cell::OnceCell::new();
    let assigned = |n: &str| {
        kind == InputKind::PowerShell
            && assigned_names
                .get_or_init(|| assigned_variables(text))
                .contains(&n.to_ascii_lowercase())
    };
    let env_or_var = |n: &str| env(n).or_else(|| assigned(n).then(String::new));
    register(&positions, &env_or_var);
    if kind == InputKind::Postman {
        // A collection keeps its secrets in key/value objects (auth entries, variables, the
        // environment export) that the lexical scan does not read as positions: every
        // secret text of the collection, of the request read or any other, is registered.
        let export = env(super::postman::ENV_TEXT);
        for t in super::postman::secret_texts(text, export.as_deref()) {
            let t = t.trim();
            if !t.is_empty() && !t.contains("{{") && !crate::secret::is_uuid_shaped(t) {
                crate::secret::global::add(t);
            }
        }
    }
    positions
}

/// The variables a PowerShell script assigns (`$name = …`, `$name += …`), lower-cased:
/// found in one pass over the script.
fn assigned_variables(text: &str) -> std::collections::HashSet<String> {
    let b = text.as_bytes();
    let mut out = std::collections::HashSet::new();
    for (i, _) in text.match_indices('$') {
        let name_end = b[i + 1..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
            .map_or(b.len(), |n| i + 1 + n);
        if name_end == i + 1 {
            continue;
        }
        let r = text[name_end..].trim_start();
        if (r.starts_with('=') && !r.starts_with("==")) || r.starts_with("+=") {
            out.insert(text[i + 1..name_end].to_ascii_lowercase());
        }
    }
    out
}

/// Registers what an importer found in credential positions but could not resolve (an
/// expression, an unset variable's default): the literal parts of each expression.
pub fn register_found(imp: &ImportedRequest) {
    let mut exprs: Vec<&str> = imp
        .unresolved
        .iter()
        .filter(|u| {
            u.what == crate::import::WHAT_SECRET
                || u.what.to_ascii_lowercase().contains("authorization")
                || is_secret_name(&u.what)
        })
        .map(|u| u.expr.as_str())
        .collect();
    for v in [&imp.client_secret].into_iter().flatten() {
        if let ValueOrigin::Unresolved(e) = &v.origin {
            exprs.push(e);
        }
        if let ValueOrigin::EnvUnset(name) = &v.origin
            && is_cut_secret(name)
        {
            crate::secret::global::add(name);
        }
        if v.is_known() {
            crate::secret::global::add(&v.value);
        }
    }
    for e in exprs {
        for part in literal_parts(e, false) {
            if !crate::secret::is_uuid_shaped(part.trim()) {
                crate::secret::global::add(part.trim());
            }
        }
    }
}

/// An import error on a line that holds a credential position quotes nothing of that line:
/// each backticked snippet of its message is shown by its shape.
pub fn mask_error(mut e: ImportError, positions: &[CredentialPosition]) -> ImportError {
    let Some(line) = e.line else {
        return e;
    };
    let on_line = |p: &CredentialPosition| {
        let last = p.line + p.text.matches('\n').count();
        p.line <= line && line <= last
    };
    if !positions.iter().any(on_line) {
        return e;
    }
    let parts: Vec<&str> = e.message.split('`').collect();
    e.message = parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 && i + 1 < parts.len() {
                crate::secret::mask(part)
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("`");
    e
}
