//! Building the user's request (the *subject* of the diagnosis) from what they gave.
//!
//! With `--from-…` it is their own request, with credentials given by flags or env put in the
//! place and encoding their code uses. With `--token-url` it is the canonical request at their
//! URL, and with only a region the canonical request at that region's login host, carrying the
//! credentials exactly as given (stray whitespace included: that is what their code sends).

use super::Inputs;
use super::facts::Subject;
use crate::request::{
    CredLocation, Credentials, FoundValue, HttpRequest, ValueOrigin, basic_value, canonical,
    form_encode,
};
use crate::shape::{self, BasicView, Body, Intended, read_basic};
use std::collections::BTreeMap;

/// Builds the subject, or `None` when the user gave no URL and no region.
pub fn build(inputs: &Inputs) -> Option<Subject> {
    let creds = &inputs.creds;
    let (request, intended, lines, origin) = if let Some(imp) = &inputs.imported {
        let mut req = imp.request.clone();
        let mut id = imp.client_id.clone();
        let mut secret = imp.client_secret.clone();
        if inputs.creds_override {
            req = substitute(
                &req,
                imp.client_id.as_ref(),
                imp.client_secret.as_ref(),
                creds,
            );
            id = Some(override_value(imp.client_id.as_ref(), &creds.id));
            secret = Some(override_value(
                imp.client_secret.as_ref(),
                creds.secret.expose(),
            ));
        }
        // The secret as the author meant it, where the intent model knows it: the analysis
        // then compares it with what the server reads (a raw `&`, a shell expansion).
        if !inputs.creds_override {
            secret = crate::import::intent::meant_secret(imp);
        }
        if let Some(url) = &inputs.token_url {
            req.url = url.clone();
        }
        let origin = format!("your request ({} file {})", imp.kind.as_str(), imp.source);
        (req, Intended { id, secret }, imp.lines.clone(), origin)
    } else {
        let url = match (&inputs.token_url, inputs.region) {
            (Some(u), _) => u.clone(),
            (None, Some(r)) => r.token_url(),
            (None, None) => return None,
        };
        let req = canonical(&url, &creds.id, creds.secret.expose());
        let intended = in_basic_header(creds);
        let origin = if inputs.token_url.is_some() {
            "the canonical request at your --token-url".to_string()
        } else {
            "the canonical request with your credentials".to_string()
        };
        (req, intended, BTreeMap::new(), origin)
    };
    let analysis = shape::analyze(&request, &intended, &lines);
    let cleaned = creds.cleaned().unwrap_or_else(|| creds.clone());
    // The user's request is the canonical one when it is byte for byte what gcdoctor would
    // send to the target region: then there is nothing to compare, and it is sent once.
    let target = inputs.region.or(analysis.region);
    let is_canonical = target.is_some_and(|t| {
        request == canonical(&t.token_url(), &cleaned.id, cleaned.secret.expose())
    });
    Some(Subject {
        request,
        analysis,
        meant: creds.clone(),
        origin,
        is_canonical,
    })
}

/// Analysis of the credentials alone (placeholders, whitespace, swapped), for runs without a
/// subject.
pub fn analyze_values(creds: &Credentials) -> shape::Analysis {
    let req = canonical(
        "https://login.mypurecloud.com/oauth/token",
        &creds.id,
        creds.secret.expose(),
    );
    shape::analyze(&req, &in_basic_header(creds), &BTreeMap::new())
}

/// The credentials as given, sent in a Basic header (no input file, no lines).
fn in_basic_header(creds: &Credentials) -> Intended {
    let found = |v: &str| Some(FoundValue::literal(v, CredLocation::BasicHeader, None));
    Intended {
        id: found(&creds.id),
        secret: found(creds.secret.expose()),
    }
}

fn override_value(found: Option<&FoundValue>, value: &str) -> FoundValue {
    FoundValue {
        value: value.to_string(),
        location: found
            .map(|f| f.location.clone())
            .unwrap_or(CredLocation::BasicHeader),
        origin: ValueOrigin::Literal,
        line: found.and_then(|f| f.line),
    }
}

/// Puts the given credentials into the request where the found ones were, written the same
/// way (raw or form-encoded), so the request keeps its shape and its defects.
pub fn substitute(
    req: &HttpRequest,
    id: Option<&FoundValue>,
    secret: Option<&FoundValue>,
    creds: &Credentials,
) -> HttpRequest {
    let mut r = req.clone();
    let locations = [
        (id.map(|f| &f.location), creds.id.as_str(), id),
        (secret.map(|f| &f.location), creds.secret.expose(), secret),
    ];
    // Basic header: rebuild it when it decodes, keeping the scheme word as written.
    let header_has_creds = locations
        .iter()
        .any(|(l, ..)| matches!(l, Some(CredLocation::BasicHeader)));
    if header_has_creds || (id.is_none() && secret.is_none()) {
        if let Some(v) = req.header("authorization") {
            if let BasicView::Ok { .. } = read_basic(v) {
                let scheme = v.trim().split(' ').next().unwrap_or("Basic");
                let fresh = basic_value(&creds.id, creds.secret.expose());
                r.set_header("Authorization", &format!("{scheme}{}", &fresh[5..]));
            }
        } else if id.is_none() && secret.is_none() {
            r.set_header(
                "Authorization",
                &basic_value(&creds.id, creds.secret.expose()),
            );
        }
    }
    for (loc, value, found) in locations {
        match loc {
            Some(CredLocation::BodyParam(p)) => {
                if let Body::Form(pairs) = Body::parse(&r) {
                    let written_raw =
                        found.is_some_and(|f| pairs.iter().any(|(k, v)| k == p && *v == f.value));
                    let encoded = if written_raw {
                        value.to_string()
                    } else {
                        form_encode(value)
                    };
                    let text: Vec<String> = pairs
                        .iter()
                        .map(|(k, v)| {
                            if k == p {
                                format!("{k}={encoded}")
                            } else {
                                format!("{k}={v}")
                            }
                        })
                        .collect();
                    r.body = text.join("&").into_bytes();
                }
            }
            Some(CredLocation::JsonField(p)) => {
                // In place, so the body keeps the user's key order and spacing.
                if let Some(body) = replace_json_string(&r.body, p, value) {
                    r.body = body;
                } else if let Body::Json(mut m) = Body::parse(&r) {
                    m.insert(p.clone(), serde_json::Value::String(value.to_string()));
                    r.body = serde_json::to_vec(&serde_json::Value::Object(m)).unwrap_or_default();
                }
            }
            Some(CredLocation::QueryParam(p)) => {
                if let Some(mut u) = r.parsed_url() {
                    let pairs: Vec<(String, String)> = u
                        .query_pairs()
                        .map(|(k, v)| {
                            if k == p.as_str() {
                                (k.into_owned(), value.to_string())
                            } else {
                                (k.into_owned(), v.into_owned())
                            }
                        })
                        .collect();
                    u.query_pairs_mut().clear().extend_pairs(pairs);
                    r.url = u.to_string();
                }
            }
            _ => {}
        }
    }
    r
}

/// The JSON text with the string value of `"key"` replaced by `value`, or `None` when the
/// key has no string value in the text.
fn replace_json_string(body: &[u8], key: &str, value: &str) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(body).ok()?;
    let needle = serde_json::to_string(key).ok()?;
    let mut from = 0;
    while let Some(i) = text[from..].find(&needle) {
        let after = from + i + needle.len();
        let rest = text[after..].trim_start();
        if let Some(v) = rest.strip_prefix(':') {
            let v = v.trim_start();
            if let Some(inner) = v.strip_prefix('"') {
                let start = text.len() - v.len();
                let mut escaped = false;
                let end = inner.char_indices().find_map(|(j, c)| {
                    let hit = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    hit.then_some(start + 1 + j)
                })?;
                let quoted = serde_json::to_string(value).ok()?;
                return Some(
                    format!("{}{quoted}{}", &text[..start], &text[end + 1..]).into_bytes(),
                );
            }
        }
        from = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::FORM;

    #[test]
    fn a_json_value_is_replaced_in_place() {
        let body =
            br#"{"grant_type": "client_credentials", "client_id":"old", "client_secret": "a\"b"}"#;
        let out = replace_json_string(body, "client_secret", "n\"ew").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"grant_type": "client_credentials", "client_id":"old", "client_secret": "n\"ew"}"#
        );
        assert!(replace_json_string(br#"{"client_id": 5}"#, "client_id", "x").is_none());
    }

    #[test]
    fn substitution_keeps_the_raw_writing() {
        let mut req = HttpRequest::new("POST", "https://login.mypurecloud.com/oauth/token");
        req.headers.push(("Content-Type".into(), FORM.into()));
        req.body =
            b"grant_type=client_credentials&client_id=YOUR_ID&client_secret=YOUR_SECRET".to_vec();
        let id = FoundValue::literal(
            "YOUR_ID",
            CredLocation::BodyParam("client_id".into()),
            Some(1),
        );
        let secret = FoundValue::literal(
            "YOUR_SECRET",
            CredLocation::BodyParam("client_secret".into()),
            Some(1),
        );
        let out = substitute(
            &req,
            Some(&id),
            Some(&secret),
            &Credentials::new("abc", "p+q"),
        );
        // Written raw before, so written raw now: the `+` defect is preserved.
        assert_eq!(
            out.body_text(),
            "grant_type=client_credentials&client_id=abc&client_secret=p+q"
        );
    }

    #[test]
    fn substitution_rebuilds_a_basic_header() {
        let mut req = HttpRequest::new("POST", "https://login.mypurecloud.com/oauth/token");
        req.headers.push((
            "Authorization".into(),
            basic_value("YOUR_ID", "YOUR_SECRET"),
        ));
        let id = FoundValue::literal("YOUR_ID", CredLocation::BasicHeader, Some(1));
        let out = substitute(&req, Some(&id), Some(&id), &Credentials::new("abc", "xyz"));
        assert_eq!(
            out.header("authorization"),
            Some(basic_value("abc", "xyz").as_str())
        );
    }
}
