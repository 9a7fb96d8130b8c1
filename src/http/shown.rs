//! How an exchange is shown in a report: the request with its credentials masked by
//! structure, the response with tokens and secret fields masked, both then scrubbed by the
//! run's redactor, the body cut to a readable length.

use super::{
    Response, SHOWN_BODY, Transport, is_secret_param, lock, mask_authorization, mask_body_secrets,
    mask_query_secrets,
};
use crate::report::{ShownRequest, ShownResponse};
use crate::request::HttpRequest;

impl Transport {
    /// The request as the report shows it: credentials masked by structure, then scrubbed.
    pub fn show_request(&self, req: &HttpRequest) -> ShownRequest {
        let r = lock(&self.redactor);
        let headers = req
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if k.eq_ignore_ascii_case("authorization") {
                    mask_authorization(v)
                } else {
                    r.scrub(v)
                };
                (k.clone(), shown)
            })
            .collect();
        ShownRequest {
            method: req.method.clone(),
            url: r.scrub(&mask_query_secrets(&req.url)),
            headers,
            body: r.scrub(&mask_body_secrets(&req.body_text())),
        }
    }

    pub(super) fn show_response(&self, resp: &Response) -> ShownResponse {
        let r = lock(&self.redactor);
        let keep = [
            "content-type",
            "location",
            "retry-after",
            "www-authenticate",
            "inin-correlation-id",
            "genesys-correlation-id",
            "inin-ratelimit-count",
            "inin-ratelimit-allowed",
            "inin-ratelimit-reset",
            "server",
            "date",
            "via",
        ];
        let headers = resp
            .headers
            .iter()
            .filter(|(k, _)| keep.contains(&k.to_ascii_lowercase().as_str()))
            .map(|(k, v)| (k.clone(), r.scrub(v)))
            .collect();
        let body = match resp.json() {
            Some(serde_json::Value::Object(mut m)) => {
                for key in ["access_token", "refresh_token", "id_token"] {
                    if let Some(serde_json::Value::String(t)) = m.get(key) {
                        let shown = format!("<redacted token, {} chars>", t.chars().count());
                        m.insert(key.to_string(), serde_json::Value::String(shown));
                    }
                }
                // An OAuth client record may carry the client's current secret, which the
                // redactor does not know when it differs from the one given.
                let mut v = serde_json::Value::Object(m);
                mask_secret_fields(&mut v);
                serde_json::to_string(&v).unwrap_or_default()
            }
            _ => String::from_utf8_lossy(&resp.body).into_owned(),
        };
        // Redacted before it is cut: a cut through a secret would leave a prefix no pattern
        // matches.
        let mut body = r.scrub(&body);
        let mut truncated = resp.truncated;
        if body.len() > SHOWN_BODY {
            let mut cut = SHOWN_BODY;
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            body.truncate(cut);
            truncated = true;
        }
        ShownResponse {
            status: resp.status,
            headers,
            body: r.scrub(&body),
            truncated,
        }
    }
}

/// Replaces every string value under a secret-named key, at any depth, by `<redacted>`.
pub(super) fn mask_secret_fields(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if is_secret_param(k) && x.as_str().is_some_and(|s| !s.starts_with("<redacted")) {
                    *x = serde_json::Value::String("<redacted>".into());
                } else {
                    mask_secret_fields(x);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(mask_secret_fields),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_fields_of_a_json_answer_are_masked() {
        let mut v = serde_json::json!({
            "id": "7c3f",
            "secret": "current-secret-value",
            "nested": [{ "client_secret": "x1" }],
            "access_token": "<redacted token, 9 chars>",
            "name": "kept"
        });
        mask_secret_fields(&mut v);
        let s = v.to_string();
        assert!(
            !s.contains("current-secret-value") && !s.contains("x1"),
            "{s}"
        );
        assert!(
            s.contains("<redacted token, 9 chars>") && s.contains("kept"),
            "{s}"
        );
        assert!(is_secret_param("clientSecret") && is_secret_param("Client-Secret"));
        assert!(!is_secret_param("client_id") && !is_secret_param("grant_type"));
    }
}
