//! Answers as data: a [`Reply`] is built by the login and API modules without touching
//! HTTP types, so their logic reads (and tests) as plain functions, and is turned into a
//! hyper response in one place.
//!
//! Bodies are serialised from structs, not `json!` maps, so keys keep the order the real
//! service uses (`error`, `description`, `error_description`).

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Response, StatusCode};
use serde::Serialize;

/// An HTTP answer of the simulator.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    /// The answer does not come from the Genesys service itself (a proxy page, a load
    /// balancer): no correlation headers are added.
    pub foreign: bool,
}

impl Reply {
    /// An empty answer.
    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            foreign: false,
        }
    }

    /// A JSON answer.
    pub fn json<T: Serialize>(status: u16, value: &T) -> Reply {
        let body = serde_json::to_vec(value).unwrap_or_default();
        Reply::empty(status)
            .header("content-type", "application/json")
            .with_body(body)
    }

    /// A JSON answer whose body is given as text, sent as is.
    pub fn json_text(status: u16, body: &str) -> Reply {
        Reply::empty(status)
            .header("content-type", "application/json")
            .with_body(body.as_bytes().to_vec())
    }

    /// A plain-text answer.
    pub fn text(status: u16, text: &str) -> Reply {
        Reply::empty(status)
            .header("content-type", "text/plain; charset=utf-8")
            .with_body(text.as_bytes().to_vec())
    }

    /// An HTML answer.
    pub fn html(status: u16, html: &str) -> Reply {
        Reply::empty(status)
            .header("content-type", "text/html; charset=utf-8")
            .with_body(html.as_bytes().to_vec())
    }

    /// Adds a header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }

    /// Marks the answer as not coming from the Genesys service.
    pub fn foreign(mut self) -> Reply {
        self.foreign = true;
        self
    }

    fn with_body(mut self, body: Vec<u8>) -> Reply {
        self.body = body;
        self
    }

    /// The hyper response.
    pub fn into_response(self) -> Response<Body> {
        let mut response = Response::new(Body::from(self.body));
        *response.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        for (name, value) in self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                headers.append(name, value);
            }
        }
        response
    }
}

/// The login service's error body: `error`, then the same text twice (facts §3.1).
#[derive(Debug, Serialize)]
struct OAuthError<'a> {
    error: &'a str,
    description: &'a str,
    error_description: &'a str,
}

/// A login-service error answer.
pub(crate) fn oauth_error(status: u16, code: &str, description: &str) -> Reply {
    Reply::json(
        status,
        &OAuthError {
            error: code,
            description,
            error_description: description,
        },
    )
}

/// The Platform API's `ErrorBody` (facts §3.3).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    message: &'a str,
    code: &'a str,
    status: u16,
    context_id: &'a str,
    details: [(); 0],
    errors: [(); 0],
}

/// A Platform API error answer; `context_id` is the request's correlation id.
pub(crate) fn error_body(status: u16, code: &str, message: &str, context_id: &str) -> Reply {
    Reply::json(
        status,
        &ErrorBody {
            message,
            code,
            status,
            context_id,
            details: [],
            errors: [],
        },
    )
}

/// A fresh correlation id.
pub(crate) fn correlation_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The HTML page of a load balancer with no healthy backend.
pub(crate) fn lb_503_page() -> &'static str {
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"
}

/// The HTML page of an intercepting corporate proxy.
pub(crate) fn proxy_page() -> &'static str {
    "<!DOCTYPE html>\n<html><head><title>Access Notice</title></head>\n<body><h1>Web access notice</h1>\n<p>This request was intercepted by the corporate web gateway. Please sign in to continue.</p>\n<form method=\"post\" action=\"/gateway/login\"><input name=\"user\"><input name=\"password\" type=\"password\"><button>Sign in</button></form>\n</body></html>\n"
}

/// A generic HTML 404 page (for `api_token_path = "html"`).
pub(crate) fn not_found_page() -> &'static str {
    "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n"
}
