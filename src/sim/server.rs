//! The HTTP front: reads a request (bounded), finds its host, dispatches to the login
//! service or the API of that host's region, logs it, and applies the latency.
//!
//! Routing is by host, never by the address the connection came in on: the `Host` header,
//! or the authority of an absolute-form target (`POST http://login.mypurecloud.ie/oauth/token`
//! as sent through an HTTP proxy, which the authority overrides per RFC 9112 §3.2.2). That
//! one rule lets `GCDOCTOR_CONNECT_TO`, curl's `-H 'Host: …'` and an SDK configured with the
//! simulator as its proxy all reach the right region.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, Response};

use super::LoggedRequest;
use super::incoming::Incoming;
use super::respond::Reply;
use super::state::SimState;
use super::{api, login};
use crate::region::{HostKind, classify_host};

/// Largest request body read (1 MiB); a larger one gets 413.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// The axum handler for every request.
pub(crate) async fn handle(State(state): State<Arc<SimState>>, req: Request) -> Response<Body> {
    let received_at = state.since_start();
    let (parts, body) = req.into_parts();
    let version = format!("{:?}", parts.version);
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let host = request_host(&parts.uri, &parts.headers);
    let path = match parts.uri.path() {
        "" => "/".to_string(),
        p => p.to_string(),
    };
    let mut incoming = Incoming {
        method: parts.method,
        host,
        path,
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers,
        body: Bytes::new(),
        peer,
    };
    let reply = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            incoming.body = bytes;
            dispatch(&state, &incoming)
        }
        Err(_) => Reply::text(413, "request body too large\n").foreign(),
    };
    let logged = state.record(LoggedRequest {
        host: incoming.host.clone(),
        method: incoming.method.to_string(),
        target: incoming.target(),
        headers: incoming
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: incoming.body.to_vec(),
        status: reply.status,
        version,
        received_at,
        answered_at: None,
    });
    let latency = state.scenario.latency_ms;
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    state.answered(logged);
    reply.into_response()
}

/// Sends a request to the service its host names.
fn dispatch(state: &SimState, req: &Incoming) -> Reply {
    if req.method == Method::CONNECT {
        return Reply::text(
            501,
            "the gcdoctor simulator speaks plain HTTP: use http:// URLs (or absolute-form requests) instead of an HTTPS tunnel\n",
        )
        .foreign();
    }
    match classify_host(&req.host) {
        HostKind::Login(region) => login::serve(state, region, req),
        HostKind::Api(region) => api::serve(state, region, req),
        HostKind::OtherInDomain(_) | HostKind::Unknown => misdirected(&req.host),
    }
}

/// A host no Genesys Cloud region serves: in the real world the name would not resolve.
fn misdirected(host: &str) -> Reply {
    let shown = if host.is_empty() { "(none)" } else { host };
    let shown: String = shown.chars().take(253).collect();
    Reply::text(
        421,
        &format!("421 Misdirected Request: no Genesys Cloud service at host `{shown}`\n"),
    )
    .foreign()
}

/// The host a request is for: the absolute-form authority, else the `Host` header;
/// lowercased, without port.
fn request_host(uri: &axum::http::Uri, headers: &HeaderMap) -> String {
    if let Some(host) = uri.host() {
        return strip_port(host);
    }
    headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .map(strip_port)
        .unwrap_or_default()
}

fn strip_port(authority: &str) -> String {
    let a = authority.trim();
    let host = if let Some(rest) = a.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        a.rsplit_once(':').map_or(a, |(h, _)| h)
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_and_brackets_are_stripped() {
        assert_eq!(
            strip_port("Login.MyPureCloud.ie:8089"),
            "login.mypurecloud.ie"
        );
        assert_eq!(strip_port("login.mypurecloud.ie."), "login.mypurecloud.ie");
        assert_eq!(strip_port("[::1]:80"), "::1");
        assert_eq!(strip_port("api.mypurecloud.com"), "api.mypurecloud.com");
    }
}
