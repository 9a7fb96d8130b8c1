//! GC406 ip-not-allowed: the org's or the client's allowed IP ranges (facts §10.1).
//!
//! # Plan
//!
//! gcdoctor cannot see its own public address, and the service's denial is UNVERIFIED (it
//! may be the very `invalid_client` answer of a wrong secret), so GC406 is never named from a
//! rejection alone:
//!
//! * an inconclusive rejection lists it as a possibility to settle ([`settle_hint`]);
//! * a client record read with admin access that carries allowed ranges (the field name is
//!   unverified: any list field named for IP addresses whose values are addresses or CIDR
//!   ranges, see [`record_ranges`]) is printed as evidence;
//! * such a record of an active Client Credentials client in the target region, with an
//!   answer that is *not* the plain `invalid_client` of a wrong secret, names GC406
//!   ([`record_verdict`]); with the plain answer GC205 and GC406 both fit and the verdict says
//!   so (inconclusive, with the ranges to compare);
//! * a token whose `GET /api/v2/organizations/me` (no permission needed) is refused with a 403
//!   that names no missing permission points at the org's Allowed IP Addresses
//!   ([`api_refusal`]).

use super::Builder;
use super::cause::{inconclusive, ip_not_allowed};
use crate::engine::facts::{ApiResult, Attempt, Facts, SentSummary, TokenOutcome};
use crate::finding::Finding;
use crate::region::Region;

/// Allowed ranges found on a record: the field's name and its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ranges {
    pub field: String,
    pub values: Vec<String>,
}

impl Ranges {
    /// `allowedIpRanges: 203.0.113.0/24, 198.51.100.7/32`.
    fn shown(&self) -> String {
        format!("{}: {}", self.field, self.values.join(", "))
    }
}

/// The allowed IP ranges a client record carries, if any: the first top-level list field
/// whose name mentions IP addresses (`allowedIpRanges`, `ipAllowList`, `allowedIps`, …) and
/// whose values are all addresses or CIDR ranges.
pub(crate) fn record_ranges(json: &serde_json::Value) -> Option<Ranges> {
    let obj = json.as_object()?;
    obj.iter().find_map(|(k, v)| {
        let lower = k.to_ascii_lowercase();
        let named = lower.contains("ip") && !lower.contains("description")
            || lower.contains("cidr")
            || lower.contains("whitelist")
            || lower.contains("allowlist");
        let values: Vec<String> = v
            .as_array()?
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect::<Option<_>>()?;
        (named && !values.is_empty() && values.iter().all(|x| is_range(x))).then(|| Ranges {
            field: k.clone(),
            values,
        })
    })
}

fn is_range(s: &str) -> bool {
    let t = s.trim();
    t.parse::<ipnet::IpNet>().is_ok() || t.parse::<std::net::IpAddr>().is_ok()
}

/// The record's ranges as evidence: `#4 the client record allows only these IP ranges
/// (allowedIpRanges: …)`.
pub(super) fn evidence(r: &Ranges, n: usize) -> String {
    format!(
        "#{n} the client record allows token requests only from these IP ranges ({}); gcdoctor cannot see this machine's public address to compare",
        r.shown()
    )
}

/// What would settle GC406, for an inconclusive report.
pub(super) fn settle_hint() -> String {
    "whether the org's Allowed IP Addresses (Admin > Organization Settings) or the OAuth client's allowed IP ranges exclude this machine (GC406 ip-not-allowed): compare its public address (`curl -s https://checkip.amazonaws.com`) with them, or run gcdoctor from a machine inside them".into()
}

/// The plain `invalid_client` answer of a wrong secret (or no answer to judge by).
fn plain_invalid_client(a: Option<&Attempt>) -> bool {
    match a.map(|a| &a.outcome) {
        Some(TokenOutcome::Rejected { error, .. }) => error.error == "invalid_client",
        Some(_) => false,
        None => true,
    }
}

/// The client record shows an active Client Credentials client in the target region with
/// allowed IP ranges: GC406 when the answer is not a wrong secret's, else GC205 and GC406
/// both fit (inconclusive).
pub(super) fn record_verdict(
    f: &Facts,
    b: &mut Builder,
    region: &'static Region,
    ranges: &Ranges,
    seen: &[String],
) {
    let attempt = f.target_attempt().or(f.canonical.get(region.key));
    let mut c = if plain_invalid_client(attempt) {
        b.settle.push(settle_hint());
        b.settle.push(format!(
            "if this machine's address is inside {}, the secret is what is rejected (GC205): copy the current one from Admin > Integrations > OAuth",
            ranges.values.join(", ")
        ));
        b.add(ip_not_allowed::possible(&ranges.values));
        inconclusive::secret_or_ip(region)
    } else {
        ip_not_allowed::by_record(&ranges.values)
    };
    for e in seen {
        c = c.evidence(e.clone());
    }
    b.cause(c);
}

/// A token whose `GET /api/v2/organizations/me` (no permission needed) is refused with a 403
/// that names no missing permission: the org's Allowed IP Addresses are the likely reason.
pub(super) fn api_refusal(r: &ApiResult, ev: &str) -> Option<Finding> {
    let SentSummary::Answer { status, code, .. } = &r.sent else {
        return None;
    };
    let code = code.as_deref().unwrap_or_default();
    (*status == 403 && code != "missing.any.permissions" && r.path == "/api/v2/organizations/me")
        .then(|| ip_not_allowed::api_refused(&r.path, code, ev))
}
