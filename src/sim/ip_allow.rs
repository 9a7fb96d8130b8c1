//! IP restrictions (facts §10.1): an org's *Allowed IP Addresses* and an OAuth client's
//! allowed ranges, and how the services answer a caller outside them.
//!
//! # Plan
//!
//! * [`IpRanges`]: a list of IPv4/IPv6 addresses or CIDR ranges, checked while the scenario
//!   is read (a bad range is a located scenario error). An empty list allows everyone.
//! * The caller's address is the connection's peer address, or the scenario's
//!   `caller_address` when a test or harness wants to play a caller elsewhere.
//! * The login service checks the org's and then the client's ranges once the client is
//!   authenticated (before `grant_type`), the API checks the org's ranges for every bearer
//!   request. How the denial looks is UNVERIFIED, so it is a switch ([`Denial`]): status and
//!   body of each service. The INFERRED defaults say nothing about IP addresses: the login
//!   service gives its usual `invalid_client` answer, the API a plain 403 (see
//!   `docs/simulator.md`). The checks live with the services (`login::ip_denial`,
//!   `api::ip_denial`); this module is data only, so the scenario can use it.

use std::net::IpAddr;

use serde::{Deserialize, Deserializer};

/// Allowed addresses: single addresses or CIDR ranges; empty allows every caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpRanges(Vec<ipnet::IpNet>);

impl IpRanges {
    /// Whether no restriction is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `ip` may call (always, when the list is empty).
    pub fn allows(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        self.0.is_empty() || self.0.iter().any(|n| n.contains(&ip))
    }

    /// The ranges as CIDR text, e.g. `203.0.113.0/24`.
    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(ToString::to_string).collect()
    }
}

/// Parses one entry: `203.0.113.7` (one address) or `203.0.113.0/24`.
pub fn parse_range(s: &str) -> Result<ipnet::IpNet, String> {
    let t = s.trim();
    t.parse::<ipnet::IpNet>()
        .or_else(|_| t.parse::<IpAddr>().map(ipnet::IpNet::from))
        .map(|n| n.trunc())
        .map_err(|_| format!("`{s}` is not an IP address or CIDR range such as `203.0.113.0/24`"))
}

impl<'de> Deserialize<'de> for IpRanges {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list = Vec::<String>::deserialize(d)?;
        list.iter()
            .map(|s| parse_range(s))
            .collect::<Result<Vec<_>, _>>()
            .map(IpRanges)
            .map_err(serde::de::Error::custom)
    }
}

/// `org_ip_check`: where the org's Allowed IP Addresses are enforced (UNVERIFIED).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrgIpCheck {
    /// Token requests and API calls (INFERRED default).
    #[default]
    LoginAndApi,
    /// API calls only: a token is still issued.
    Api,
}

/// How a service answers a caller outside the allowed ranges (UNVERIFIED: a switch).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Denial {
    /// HTTP status (default: the service's usual answer).
    #[serde(deserialize_with = "super::scenario_fields::de_opt_status")]
    pub status: Option<u16>,
    /// The body, sent as is with `Content-Type: application/json`.
    pub body: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_single_addresses() {
        let r = IpRanges(vec![
            parse_range("203.0.113.0/24").unwrap(),
            parse_range("198.51.100.7").unwrap(),
        ]);
        assert!(r.allows("203.0.113.200".parse().unwrap()));
        assert!(r.allows("198.51.100.7".parse().unwrap()));
        assert!(!r.allows("198.51.100.8".parse().unwrap()));
        assert!(!r.allows("127.0.0.1".parse().unwrap()));
        assert!(r.allows("::ffff:203.0.113.9".parse().unwrap()));
        assert!(IpRanges::default().allows("127.0.0.1".parse().unwrap()));
        assert_eq!(parse_range("10.1.2.3/8").unwrap().to_string(), "10.0.0.0/8");
        assert!(parse_range("300.1.1.1").is_err());
        assert!(parse_range("not-an-ip").is_err());
    }
}
