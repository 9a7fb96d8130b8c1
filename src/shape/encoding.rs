//! How the secret is encoded where it is sent ([`Dim::Encoding`], GC203): what the server
//! reads against what the user meant (a `+` sent unencoded, a secret percent-encoded twice,
//! non-ASCII). Flipped by putting the meant values back, properly encoded.

use super::edit::replace_cred_values;
use super::{Ctx, Defect, Dim, FixContext};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::request::{HttpRequest, basic_value, clean_value, form_decode};
use crate::secret::describe_shape;
use crate::shape::Body;

/// Lists this dimension's defects of the request.
pub(super) fn detect(cx: &Ctx, out: &mut Vec<Defect>) {
    let mut push = |dim: Option<Dim>, f: Finding| out.push(Defect { dim, finding: f });
    let intended = cx.intended;
    let seen_secret = &cx.seen_secret;
    let auth_line = cx.auth_line();
    let param_line = |name: &str| cx.param_line(name);
    if let (Some(meant), Some(seen)) = (intended.known_secret(), seen_secret.as_deref())
        && meant != seen
        && clean_value(meant) != clean_value(seen)
    {
        let in_header = matches!(
            intended.secret.as_ref().map(|v| &v.location),
            Some(crate::request::CredLocation::BasicHeader)
        );
        let why = if seen.contains(' ') && meant.contains('+') {
            "a `+` in the secret is sent unencoded, and the server decodes it as a space"
                .to_string()
        } else if form_decode(seen) == meant || seen.contains('%') && !meant.contains('%') {
            "the secret is percent-encoded once too often".to_string()
        } else {
            format!(
                "the server reads a different secret ({}) from the one meant ({})",
                describe_shape(seen),
                describe_shape(meant)
            )
        };
        push(
            Some(if in_header {
                Dim::BasicHeader
            } else {
                Dim::Encoding
            }),
            crate::secret::structure::difference(meant, seen)
                .into_iter()
                .fold(
                    Finding::new(CauseId::SecretEncoding, Severity::Error, why),
                    Finding::evidence,
                )
                .at_line(intended.secret.as_ref().and_then(|v| v.line).or(auth_line)),
        );
    } else if let Some(seen) = seen_secret.as_deref() {
        if intended.known_secret().is_none() && seen.contains(' ') {
            push(
                Some(Dim::Encoding),
                Finding::new(CauseId::SecretEncoding, Severity::Warning, "the secret as the server reads it contains a space; Genesys secrets have none, so a `+` was probably sent unencoded")
                    .at_line(param_line("client_secret").or(auth_line)),
            );
        }
        if looks_percent_encoded(seen) {
            push(
                None,
                Finding::new(CauseId::SecretEncoding, Severity::Warning, "the secret as the server reads it still contains %XX sequences: it may be percent-encoded twice")
                    .at_line(param_line("client_secret").or(auth_line)),
            );
        }
    }
    if let Some(s) = intended.known_secret().or(seen_secret.as_deref())
        && !s.is_ascii()
    {
        push(
            None,
            Finding::new(CauseId::SecretEncoding, Severity::Warning, "the secret has non-ASCII characters: the Python SDK cannot send it, and .NET (ISO-8859-1) and Go/Java/JS (UTF-8) encode it differently")
                .at_line(intended.secret.as_ref().and_then(|v| v.line)),
        );
    }
}

fn looks_percent_encoded(v: &str) -> bool {
    let b = v.as_bytes();
    b.windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// Puts the meant values back, properly encoded.
pub(super) fn flip(r: &mut HttpRequest, body: &Body, ctx: &FixContext) {
    if r.header("authorization").is_some() && !body.has("client_secret") {
        r.set_header("Authorization", &basic_value(&ctx.id, &ctx.secret));
    }
    replace_cred_values(r, body, &ctx.id, &ctx.secret);
}
