//! Verdicts from what the service knows about the client: its record, read with admin access
//! (GC401, GC402, GC103, GC205, and the allowed IP ranges of GC406), and the legacy
//! "client not found" text in every region (GC206, GC103).

use super::cause::{
    client_disabled, grant_not_enabled, inconclusive, no_roles, unknown_client, wrong_region,
    wrong_secret,
};
use super::{Builder, ip_allowed};
use crate::catalogue::CauseId;
use crate::engine::facts::{Attempt, Facts, TokenOutcome};
use crate::finding::Finding;
use crate::region::{self, Region};

pub(super) fn client_record_verdict(
    f: &Facts,
    b: &mut Builder,
    region: &'static Region,
    json: &serde_json::Value,
    n: usize,
    first: &[String],
) {
    let s = |k: &str| json.get(k).and_then(|v| v.as_str()).unwrap_or("");
    let grant = s("authorizedGrantType");
    let state = if s("state").is_empty() {
        "active"
    } else {
        s("state")
    };
    let name = s("name");
    let record = format!(
        "#{n} client record in {}: name \"{name}\", authorizedGrantType {grant}, state {state}",
        region.key
    );
    let roles = json
        .get("roleDivisions")
        .and_then(|v| v.as_array())
        .map_or(0, Vec::len);
    let ranges = ip_allowed::record_ranges(json);
    if let Some(r) = ranges.as_ref().filter(|_| {
        grant == "CLIENT-CREDENTIALS" && state == "active" && f.target.is_none_or(|t| t == region)
    }) {
        let mut seen = vec![record, ip_allowed::evidence(r, n)];
        seen.extend(first.iter().cloned());
        ip_allowed::record_verdict(f, b, region, r, &seen);
        no_roles_warning(b, roles);
        return;
    }
    let mut c = if grant != "CLIENT-CREDENTIALS" {
        grant_not_enabled::by_record(grant)
    } else if state != "active" {
        client_disabled::by_record(state, s("dateToDelete"))
    } else if f.target.is_some_and(|t| t != region) {
        wrong_region::by_record(region, f.target)
    } else {
        wrong_secret::by_record(region)
    };
    c = c.evidence(record);
    if let Some(r) = &ranges {
        c = c.evidence(ip_allowed::evidence(r, n));
    }
    for e in first {
        c = c.evidence(e.clone());
    }
    let is_region = c.cause == CauseId::WrongRegion;
    b.cause(c.proven());
    if is_region {
        b.add(wrong_secret::also_at_home(region));
    }
    // Roles only matter to client-credentials clients (facts §4).
    if grant == "CLIENT-CREDENTIALS" {
        no_roles_warning(b, roles);
    }
}

fn no_roles_warning(b: &mut Builder, roles: usize) {
    if roles == 0 {
        b.add(no_roles::warning());
    }
}

/// The legacy "client not found" text, where the service gives it, tells an unknown id from
/// a known one.
pub(super) fn legacy_texts(f: &Facts, first: &[String]) -> Option<Finding> {
    if !f.scanned {
        return None;
    }
    let texts: Vec<(&str, String)> = f
        .canonical
        .iter()
        .filter_map(|(k, a)| match &a.outcome {
            TokenOutcome::Rejected { error, .. } => Some((*k, error.text().to_ascii_lowercase())),
            _ => None,
        })
        .collect();
    if texts.len() != f.canonical.len() || texts.is_empty() {
        return None;
    }
    let not_found = |t: &str| t.contains("client not found");
    if !texts.iter().any(|(_, t)| not_found(t)) {
        return None;
    }
    let known: Vec<&str> = texts
        .iter()
        .filter(|(_, t)| !not_found(t))
        .map(|(k, _)| *k)
        .collect();
    match known.as_slice() {
        [] => Some(unknown_client::not_found_everywhere(texts.len(), first)),
        [one] => {
            let home = region::by_key(one)?;
            let here = f
                .canonical
                .get(*one)
                .map(Attempt::evidence)
                .unwrap_or_default();
            if f.target == Some(home) {
                Some(inconclusive::known_at_home(home, here, first))
            } else {
                Some(wrong_region::by_legacy_text(home, f.target, here))
            }
        }
        _ => None,
    }
}
