//! Verdicts from what the service knows about the client: its record, read with admin access
//! (GC401, GC402, GC103, GC205, and the allowed IP ranges of GC406), and the legacy
//! "client not found" text in every region (GC206, GC103).

use super::{Builder, ip_allowed};
use crate::catalogue::CauseId;
use crate::engine::facts::{Attempt, Facts, TokenOutcome};
use crate::finding::{Finding, Severity};
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
        Finding::new(
            CauseId::GrantNotEnabled,
            Severity::Error,
            format!("the OAuth client's grant type is {grant}, not Client Credentials"),
        )
    } else if state != "active" {
        let when = s("dateToDelete");
        let extra = if when.is_empty() {
            String::new()
        } else {
            format!(" (to be deleted {when})")
        };
        Finding::new(
            CauseId::ClientDisabled,
            Severity::Error,
            format!("the OAuth client is {state}{extra}: it cannot get tokens"),
        )
    } else if f.target.is_some_and(|t| t != region) {
        Finding::new(
            CauseId::WrongRegion,
            Severity::Error,
            format!(
                "the client lives in {}, but the request goes to {}",
                region,
                f.target.map_or("", |t| t.key)
            ),
        )
    } else {
        Finding::new(
            CauseId::WrongSecret,
            Severity::Error,
            format!(
                "the client exists in {} and is an active Client Credentials client, so the secret is what is rejected",
                region.key
            ),
        )
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
        b.add(
            Finding::new(
                CauseId::WrongSecret,
                Severity::Error,
                format!("the secret is rejected in {} too", region.key),
            )
            .proven(),
        );
    }
    // Roles only matter to client-credentials clients (facts §4).
    if grant == "CLIENT-CREDENTIALS" {
        no_roles_warning(b, roles);
    }
}

fn no_roles_warning(b: &mut Builder, roles: usize) {
    if roles == 0 {
        b.add(
            Finding::new(
                CauseId::NoRoles,
                Severity::Warning,
                "the client has no roles: once it gets a token, the token can do nothing",
            )
            .proven(),
        );
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
        [] => Some(super::unknown_client::not_found_everywhere(
            texts.len(),
            first,
        )),
        [one] => {
            let home = region::by_key(one)?;
            let here = f
                .canonical
                .get(*one)
                .map(Attempt::evidence)
                .unwrap_or_default();
            if f.target == Some(home) {
                let mut c = Finding::new(
                    CauseId::Inconclusive,
                    Severity::Error,
                    format!("the client exists in {home} (only there is it not \"client not found\"), but the service does not say whether the secret is wrong or the client is disabled or not a client-credentials client"),
                )
                .evidence(here);
                for e in first {
                    c = c.evidence(e.clone());
                }
                Some(c)
            } else {
                Some(
                    Finding::new(
                        CauseId::WrongRegion,
                        Severity::Error,
                        format!("the client lives in {home} (every other region answers \"client not found\"), but the request goes to {}; its secret is rejected there too", f.target.map_or("another region", |t| t.key)),
                    )
                    .evidence(here)
                    .proven(),
                )
            }
        }
        _ => None,
    }
}
