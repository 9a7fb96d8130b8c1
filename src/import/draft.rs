//! Drafts: the request an importer read, as [`Traced`] strings, before
//! [`super::finish`] makes it an `ImportedRequest`; the SDK's own token request as a draft;
//! and the Basic header built from, or dug out of, an id and a secret.

use super::Traced;
use crate::request::Unresolved;
use crate::secret::is_uuid_shaped;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

// Drafts: what every importer fills in, and `finish`, which makes the ImportedRequest.

/// A header of a draft.
#[derive(Clone, Debug)]
pub(crate) struct DraftHeader {
    pub name: String,
    pub value: Traced,
    pub line: Option<usize>,
}

/// A parameter whose meant value the importer knows exactly (a Python dict entry, a curl
/// `--data-urlencode` item).
#[derive(Clone, Debug)]
pub(crate) struct DraftParam {
    pub name: String,
    /// The value as meant, before encoding.
    pub meant: Traced,
    pub line: Option<usize>,
}

/// Credentials the importer put into a Basic header itself (`-u`, `auth=`).
#[derive(Clone, Debug)]
pub(crate) struct DraftBasic {
    pub id: Traced,
    pub secret: Traced,
    pub line: Option<usize>,
}

/// The request an importer read, before [`finish`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Draft {
    pub method: String,
    pub method_line: Option<usize>,
    pub url: Traced,
    pub url_line: Option<usize>,
    pub headers: Vec<DraftHeader>,
    pub body: Traced,
    pub body_line: Option<usize>,
    /// Body parameters known exactly; `None` = read them from the body text.
    pub body_params: Option<Vec<DraftParam>>,
    /// Query parameters known exactly; `None` = read them from the URL.
    pub query_params: Option<Vec<DraftParam>>,
    /// The credentials of the Authorization header, when the importer built it.
    pub basic: Option<DraftBasic>,
    pub call_line: Option<usize>,
    pub notes: Vec<String>,
    pub unresolved: Vec<Unresolved>,
}

impl Draft {
    pub(crate) fn header(&self, name: &str) -> Option<&DraftHeader> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
    }

    pub(crate) fn has_header(&self, name: &str) -> bool {
        self.header(name).is_some()
    }

    /// Sets a header, replacing the first of that name and dropping the others.
    pub(crate) fn set_header(&mut self, name: &str, value: Traced, line: Option<usize>) {
        let mut done = false;
        self.headers.retain_mut(|h| {
            if !h.name.eq_ignore_ascii_case(name) {
                return true;
            }
            if done {
                return false;
            }
            h.value = value.clone();
            h.line = line;
            done = true;
            true
        });
        if !done {
            self.headers.push(DraftHeader {
                name: name.to_string(),
                value,
                line,
            });
        }
    }

    pub(crate) fn remove_header(&mut self, name: &str) {
        self.headers.retain(|h| !h.name.eq_ignore_ascii_case(name));
    }
}

/// The draft of the token request an official SDK sends: `POST <url>` with a Basic header,
/// the form content type and `grant_type=client_credentials` only (facts §2).
pub(crate) fn sdk_token_draft(
    url: Traced,
    url_line: Option<usize>,
    id: Traced,
    secret: Traced,
    call_line: Option<usize>,
    notes: Vec<String>,
) -> Draft {
    Draft {
        method: "POST".into(),
        url,
        url_line,
        headers: vec![
            DraftHeader {
                name: "Authorization".into(),
                value: basic_header(&id, &secret, call_line),
                line: call_line,
            },
            DraftHeader {
                name: "Content-Type".into(),
                value: Traced::literal(crate::request::FORM, call_line),
                line: call_line,
            },
        ],
        body_params: Some(vec![DraftParam {
            name: "grant_type".into(),
            meant: Traced::literal("client_credentials", call_line),
            line: call_line,
        }]),
        body: Traced::literal("grant_type=client_credentials", call_line),
        body_line: call_line,
        basic: Some(DraftBasic {
            id,
            secret,
            line: call_line,
        }),
        call_line,
        notes,
        ..Draft::default()
    }
}

/// `Basic base64(id:secret)` from traced parts, as curl's `-u` and Python's `auth=` build it.
pub(crate) fn basic_header(id: &Traced, secret: &Traced, line: Option<usize>) -> Traced {
    let mut inner = id.clone();
    inner.push_literal(":", line);
    inner.push(secret);
    let encoded = STANDARD.encode(inner.text.as_bytes());
    let mut t = Traced::literal("Basic ", line);
    t.push(&Traced::base64_of(inner, encoded, line));
    t
}

/// The values hidden in an Authorization header that is not a clean `Basic base64(id:secret)`:
/// raw `id:secret`, wrapped or URL-safe base64, base64 applied twice. Used so the values are
/// known (and redacted) even when the header is malformed.
pub(crate) fn dig_basic(value: &str) -> Option<(String, String)> {
    let v = value.trim();
    let (scheme, rest) = match v.split_once(' ') {
        Some((s, r)) => (s.trim_end_matches(':'), r),
        None => ("", v),
    };
    if scheme.eq_ignore_ascii_case("bearer") || scheme.is_empty() {
        // `Bearer base64(id:secret)`, or the base64 with no scheme: the credentials under
        // the wrong scheme or none.
        return dig_basic(&format!("Basic {rest}")).filter(|(id, _)| is_uuid_shaped(id));
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let rest: String = rest.trim().to_string();
    let split = |s: &str| {
        s.split_once(':')
            .map(|(a, b)| (a.to_string(), b.to_string()))
    };
    let decode = |s: &str| -> Option<String> {
        let compact: String = s.split_whitespace().collect::<String>().replace("\\n", "");
        [&STANDARD, &URL_SAFE]
            .iter()
            .find_map(|e| e.decode(&compact).ok())
            .or_else(|| {
                let t = compact.trim_end_matches('=');
                [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD]
                    .iter()
                    .find_map(|e| e.decode(t).ok())
            })
            .and_then(|b| String::from_utf8(b).ok())
    };
    if let Some(once) = decode(&rest) {
        if let Some(p) = split(&once) {
            return Some(p);
        }
        if let Some(twice) = decode(&once)
            && let Some(p) = split(&twice)
        {
            return Some(p);
        }
        return Some((once, String::new()));
    }
    split(&rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digging_values_out_of_bad_basic_headers() {
        assert_eq!(
            dig_basic("Basic id:secret"),
            Some(("id".into(), "secret".into()))
        );
        let twice = STANDARD.encode(STANDARD.encode("id:s"));
        assert_eq!(
            dig_basic(&format!("Basic {twice}")),
            Some(("id".into(), "s".into()))
        );
        assert_eq!(dig_basic("Bearer x"), None);
    }
}
