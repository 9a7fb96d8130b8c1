//! What the simulator's services share below its routers: a request read in full
//! ([`Incoming`]) and the scenario's outage lookup ([`outage`]). The front (server.rs)
//! builds an `Incoming`; the login service and the API read it; neither router needs the
//! other's module for these.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method};

use super::scenario::{Outage, OutageHost};
use super::state::SimState;
use crate::region::Region;

/// A request, read in full, as the services see it.
#[derive(Debug, Clone)]
pub(crate) struct Incoming {
    pub method: Method,
    /// Host name, lowercased, without port.
    pub host: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The caller's address (the connection's peer), when known.
    pub peer: Option<std::net::IpAddr>,
}

impl Incoming {
    /// A header's value as text (`None` when absent or not visible ASCII).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A header's raw bytes.
    pub fn header_bytes(&self, name: &str) -> Option<&[u8]> {
        self.headers.get(name).map(|v| v.as_bytes())
    }

    /// The origin-form target: path and query.
    pub(crate) fn target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }
}

/// The outage (first listed) hitting `host` of `region`, if any.
pub(crate) fn outage<'a>(
    state: &'a SimState,
    region: &'static Region,
    host: OutageHost,
) -> Option<&'a Outage> {
    state
        .scenario
        .outages
        .iter()
        .find(|o| o.host == host && o.region.is_none_or(|r| r.key == region.key))
}
