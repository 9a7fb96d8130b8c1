//! A Basic Authorization header: read ([`read_basic`]: decoded to id and secret, or why it
//! is malformed) and masked by structure for display ([`mask_authorization`]). It lives next
//! to `Secret` so that every module that shows a request (http, request, report) masks it
//! the same way without depending on one another.

use super::{Shape, describe_shape, is_uuid_shaped, mask};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::fmt;

/// What the Authorization header holds. Its `Debug` shows the secret's shape only.
#[derive(Clone, PartialEq, Eq)]
pub enum BasicView {
    /// `Basic base64(id:secret)`, decoded.
    Ok { id: String, secret: String },
    /// A header that is not a well-formed Basic credential; the text says why.
    Malformed(String),
}

/// Reads an Authorization header value.
pub fn read_basic(value: &str) -> BasicView {
    let v = value.trim_matches(|c| c == ' ' || c == '\t');
    let (scheme, rest) = match v.split_once(' ') {
        Some((s, r)) => (s, r.trim()),
        None => {
            return BasicView::Malformed(format!(
                "the value has no scheme: it should start with `Basic ` ({})",
                describe_shape(v)
            ));
        }
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return BasicView::Malformed(format!("the scheme is `{scheme}`, not `Basic`"));
    }
    if rest.contains(['\n', '\r']) || value.contains("\\n") {
        return BasicView::Malformed(
            "the base64 is wrapped over several lines (base64.encodebytes/encodestring adds newlines)"
                .into(),
        );
    }
    if rest.contains(':') && STANDARD.decode(rest).is_err() {
        return BasicView::Malformed("`id:secret` is not base64-encoded".into());
    }
    // A bytes value formatted into a string: Python's `f"Basic {b64encode(…)}"` sends
    // `b'…'`, quotes included.
    if let Some(inner) = rest
        .strip_prefix("b'")
        .or_else(|| rest.strip_prefix("b\""))
        .and_then(|r| r.strip_suffix(['\'', '"']))
        && STANDARD.decode(inner).is_ok()
    {
        return BasicView::Malformed(
            "the base64 is wrapped in `b'…'`: a bytes value formatted into the string (decode it first: `.decode()`)"
                .into(),
        );
    }
    let url_safe_only = rest.contains(['-', '_']) && !rest.contains(['+', '/']);
    if url_safe_only
        && STANDARD.decode(rest).is_err()
        && (base64::engine::general_purpose::URL_SAFE
            .decode(rest)
            .is_ok()
            || base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(rest.trim_end_matches('='))
                .is_ok())
    {
        return BasicView::Malformed(
            "the base64 is URL-safe (`-`/`_`); Basic needs standard base64 (`+`/`/`)".into(),
        );
    }
    let bytes = match STANDARD.decode(rest) {
        Ok(b) => b,
        Err(_) => {
            let unpadded = base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(rest.trim_end_matches('='))
                .is_ok();
            return BasicView::Malformed(if unpadded {
                "the base64 lacks its `=` padding".into()
            } else {
                "the value after `Basic ` is not valid base64".into()
            });
        }
    };
    let decoded = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    match decoded.split_once(':') {
        Some((id, secret)) => BasicView::Ok {
            id: id.to_string(),
            secret: secret.to_string(),
        },
        None => {
            let again = STANDARD
                .decode(decoded.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok());
            if again.as_deref().is_some_and(|s| s.contains(':')) {
                BasicView::Malformed("`id:secret` is base64-encoded twice".into())
            } else {
                BasicView::Malformed(
                    "it decodes to a single value with no `:`: Basic needs `client_id:client_secret`"
                        .into(),
                )
            }
        }
    }
}

impl fmt::Debug for BasicView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BasicView::Ok { id, secret } => f
                .debug_struct("Ok")
                .field("id", id)
                .field("secret", &Shape(secret))
                .finish(),
            BasicView::Malformed(why) => f.debug_tuple("Malformed").field(why).finish(),
        }
    }
}

/// Masks an Authorization value by structure: scheme kept, credential described.
pub fn mask_authorization(v: &str) -> String {
    let (scheme, rest) = v.trim().split_once(' ').unwrap_or((v.trim(), ""));
    if scheme.eq_ignore_ascii_case("basic") {
        match read_basic(v) {
            BasicView::Ok { id, secret } => format!(
                "{scheme} <redacted: {} chars of base64, decodes to `{}:` + secret of {}>",
                rest.trim().len(),
                // An id that is not UUID-shaped may be the secret (contract §4).
                if is_uuid_shaped(&id) { id } else { mask(&id) },
                describe_shape(&secret)
            ),
            BasicView::Malformed(_) => format!(
                "{scheme} <redacted: {} chars, not a well-formed Basic credential>",
                rest.len()
            ),
        }
    } else if rest.is_empty() {
        format!("<redacted: {}>", describe_shape(v))
    } else {
        format!("{scheme} <redacted: {} chars>", rest.trim().chars().count())
    }
}
