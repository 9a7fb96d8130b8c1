//! The body of a request, read the way a server would read it (form, JSON, multipart or raw),
//! whatever its content type says. Its `Debug` masks the values of secret parameters.

use super::HttpRequest;
use super::form_decode;
use crate::secret::Shape;
use std::fmt;

/// The body, read the way a server would read it, whatever its content type says. Its
/// `Debug` masks the values of secret parameters.
#[derive(Clone, PartialEq)]
pub enum Body {
    Empty,
    /// Raw `key=value` pairs as written (not decoded).
    Form(Vec<(String, String)>),
    Json(serde_json::Map<String, serde_json::Value>),
    /// Decoded multipart form-data fields and the boundary.
    Multipart(Vec<(String, String)>),
    /// Something else.
    Raw,
}

impl Body {
    /// Reads a body by its content, with the content type as a hint.
    pub fn parse(req: &HttpRequest) -> Body {
        let text = match std::str::from_utf8(&req.body) {
            Ok(t) => t,
            Err(_) => return Body::Raw,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Body::Empty;
        }
        if trimmed.starts_with('{') {
            if let Ok(serde_json::Value::Object(m)) = serde_json::from_str(trimmed) {
                return Body::Json(m);
            }
            return Body::Raw;
        }
        let media = req.media_type().unwrap_or_default();
        if media.starts_with("multipart/") || trimmed.starts_with("--") {
            if let Some(fields) = parse_multipart(text) {
                return Body::Multipart(fields);
            }
            return Body::Raw;
        }
        if trimmed.contains('\n') || trimmed.contains(' ') && !trimmed.contains('=') {
            return Body::Raw;
        }
        let pairs: Vec<(String, String)> = trimmed
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (p.to_string(), String::new()),
            })
            .collect();
        if pairs.iter().all(|(k, _)| !k.is_empty() && !k.contains(' ')) {
            Body::Form(pairs)
        } else {
            Body::Raw
        }
    }

    /// The parameters as the user meant them (decoded), whatever the format.
    pub fn params(&self) -> Vec<(String, String)> {
        match self {
            Body::Form(p) => p
                .iter()
                .map(|(k, v)| (form_decode(k), form_decode(v)))
                .collect(),
            Body::Json(m) => m
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), v)
                })
                .collect(),
            Body::Multipart(p) => p.clone(),
            Body::Empty | Body::Raw => Vec::new(),
        }
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.params().iter().any(|(k, _)| k == name)
    }
}

fn parse_multipart(text: &str) -> Option<Vec<(String, String)>> {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())?
        .trim()
        .to_string();
    if !first.starts_with("--") {
        return None;
    }
    let mut fields = Vec::new();
    for part in text.split(first.as_str()).skip(1) {
        if part.trim_start().starts_with("--") {
            break;
        }
        let (head, value) = part
            .split_once("\r\n\r\n")
            .or_else(|| part.split_once("\n\n"))?;
        let name = head.split(';').find_map(|s| {
            s.trim()
                .strip_prefix("name=")
                .map(|n| n.trim_matches('"').to_string())
        })?;
        fields.push((name, value.trim_end_matches(['\r', '\n']).to_string()));
    }
    Some(fields)
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let masked = |pairs: &[(String, String)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| {
                    let v = if crate::secret::mask::is_secret_name(&form_decode(k)) {
                        format!("{:?}", Shape(v))
                    } else {
                        v.clone()
                    };
                    (k.clone(), v)
                })
                .collect()
        };
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Raw => f.write_str("Raw"),
            Body::Form(p) => f.debug_tuple("Form").field(&masked(p)).finish(),
            Body::Multipart(p) => f.debug_tuple("Multipart").field(&masked(p)).finish(),
            Body::Json(m) => {
                let pairs: Vec<(String, String)> =
                    m.iter().map(|(k, v)| (k.clone(), v.to_string())).collect();
                f.debug_tuple("Json").field(&masked(&pairs)).finish()
            }
        }
    }
}
