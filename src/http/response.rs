//! A response as gcdoctor keeps it (read within the limits, its `Debug` never showing the
//! body) and what is read from it: an OAuth error body and the throttling answer.

use crate::region::{self, HostKind};
use std::time::Duration;

/// A response, read within the limits. Its `Debug` shows the body's length, not the body (it
/// may hold an access token).
#[derive(Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// True when the body was longer than [`super::MAX_BODY`].
    pub truncated: bool,
    pub elapsed: Duration,
    /// Order of the request in the run (1-based), for evidence lines.
    pub n: usize,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    }
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("content_type", &self.header("content-type"))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("truncated", &self.truncated)
            .field("elapsed", &self.elapsed)
            .field("n", &self.n)
            .finish()
    }
}

/// True for the login service's throttling answer (400 `invalid_request` "rate limit
/// exceeded…", facts §6) or any 429.
pub fn is_throttling(host: &str, resp: &Response) -> bool {
    if resp.status == 429 {
        return true;
    }
    if resp.status != 400 || !matches!(region::classify_host(host), HostKind::Login(_)) {
        return false;
    }
    oauth_error(resp).is_some_and(|e| {
        e.error == "invalid_request"
            && e.text()
                .to_ascii_lowercase()
                .starts_with("rate limit exceeded")
    })
}

/// An OAuth error body (`error`, `description`, `error_description`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthError {
    pub error: String,
    pub description: Option<String>,
    pub error_description: Option<String>,
}

impl OAuthError {
    /// The description text, whichever key carries it.
    pub fn text(&self) -> &str {
        self.error_description
            .as_deref()
            .or(self.description.as_deref())
            .unwrap_or("")
    }
}

/// Reads an OAuth error body.
pub fn oauth_error(resp: &Response) -> Option<OAuthError> {
    let v = resp.json()?;
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    Some(OAuthError {
        error: s("error")?,
        description: s("description"),
        error_description: s("error_description"),
    })
}
