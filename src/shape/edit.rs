//! Edits shared by the flips: the query, the body's parameters in its own format, the
//! credential values wherever they are carried.

use super::CRED_PARAMS;
use crate::request::{FORM, HttpRequest, form_encode};
use crate::shape::Body;

pub(super) fn set_query(u: &mut url::Url, pairs: &[(String, String)]) {
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
}

/// Replaces the body with a form of these (decoded) parameters.
pub(super) fn set_form(r: &mut HttpRequest, params: &[(String, String)]) {
    r.body = encode_form(params).into_bytes();
    r.set_header("Content-Type", FORM);
}

fn encode_form(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Edits the body's parameters in its own format; raw form pairs the edit leaves alone keep
/// their bytes, so other dimensions (such as a bad encoding) survive the edit.
pub(super) fn edit_params(
    r: &mut HttpRequest,
    body: &Body,
    f: impl FnOnce(&mut Vec<(String, String)>),
) {
    match body {
        Body::Json(m) => {
            let mut p: Vec<(String, String)> = Body::Json(m.clone()).params();
            f(&mut p);
            let mut out = serde_json::Map::new();
            for (k, v) in p {
                let orig = m.get(&k).cloned();
                out.insert(k, orig.unwrap_or(serde_json::Value::String(v)));
            }
            r.body = serde_json::to_vec(&serde_json::Value::Object(out)).unwrap_or_default();
        }
        Body::Form(raw) => {
            let decoded: Vec<(String, String)> = body.params();
            let mut p = decoded.clone();
            f(&mut p);
            let parts: Vec<String> = p
                .iter()
                .map(
                    |(k, v)| match decoded.iter().position(|(dk, dv)| dk == k && dv == v) {
                        Some(i) => format!("{}={}", raw[i].0, raw[i].1),
                        None => format!("{}={}", form_encode(k), form_encode(v)),
                    },
                )
                .collect();
            r.body = parts.join("&").into_bytes();
        }
        Body::Multipart(_) | Body::Empty | Body::Raw => {
            let mut p = body.params();
            f(&mut p);
            if !p.is_empty() || matches!(body, Body::Multipart(_)) {
                set_form(r, &p);
            }
        }
    }
}

/// Puts these values, properly encoded, where the body or query carries the credentials.
pub(super) fn replace_cred_values(r: &mut HttpRequest, body: &Body, id: &str, secret: &str) {
    let value_for = |k: &str| match k {
        "client_id" => Some(id.to_string()),
        "client_secret" => Some(secret.to_string()),
        _ => None,
    };
    if body.has("client_id") || body.has("client_secret") {
        edit_params(r, body, |p| {
            for (k, v) in p.iter_mut() {
                if let Some(nv) = value_for(k) {
                    *v = nv;
                }
            }
        });
    }
    if let Some(mut u) = r.parsed_url()
        && u.query_pairs()
            .any(|(k, _)| CRED_PARAMS.contains(&k.as_ref()))
    {
        let pairs: Vec<(String, String)> = u
            .query_pairs()
            .map(|(k, v)| {
                let nv = value_for(&k).unwrap_or_else(|| v.to_string());
                (k.into_owned(), nv)
            })
            .collect();
        set_query(&mut u, &pairs);
        r.url = u.to_string();
    }
}
