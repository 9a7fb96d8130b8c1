//! How a corrected-request snippet writes a credential, in any language: the script's own
//! expression where it has one (unless it spells the value out), else the language's read of
//! the environment variable it used, else a UUID-shaped id as a literal, else the read of the
//! conventional `GENESYSCLOUD_OAUTHCLIENT_*` variable. Never a secret.

use crate::import::{Which, credential_expr};
use crate::request::{ImportedRequest, ValueOrigin};
use crate::secret::is_uuid_shaped;
use crate::shape::is_placeholder;

/// How a language writes an environment read and a string literal.
pub(crate) struct Spelling {
    pub(crate) env: fn(&str) -> String,
    pub(crate) literal: fn(&str) -> String,
}

/// The expression a snippet uses for a credential.
pub(crate) fn cred_ref(imp: &ImportedRequest, which: Which, s: &Spelling) -> String {
    let f = match which {
        Which::Id => imp.client_id.as_ref(),
        Which::Secret => imp.client_secret.as_ref(),
    };
    if let Some(e) = credential_expr(imp, which)
        && !e.contains('\n')
        && f.is_none_or(|f| f.value.is_empty() || !e.contains(f.value.as_str()))
    {
        return e;
    }
    if let Some(ValueOrigin::Env(n) | ValueOrigin::EnvUnset(n)) = f.map(|f| &f.origin) {
        return (s.env)(n);
    }
    match which {
        Which::Id => match f {
            Some(f) if f.is_known() && is_uuid_shaped(&f.value) && !is_placeholder(&f.value) => {
                (s.literal)(&f.value)
            }
            _ => (s.env)("GENESYSCLOUD_OAUTHCLIENT_ID"),
        },
        Which::Secret => (s.env)("GENESYSCLOUD_OAUTHCLIENT_SECRET"),
    }
}

/// A snippet's comment (written with `#` line starts) for a language of `//` comments.
pub(crate) fn slash_comment(comment: &str) -> String {
    comment.replace("\n# ", "\n// ")
}
