//! GC900 inconclusive as the engine words it: what was seen when no rule proves one cause,
//! and what would settle it (the report's "To settle it" lines).

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::region::Region;

/// The canonical request gets a token and the user's does not, and no flip explains it.
/// `seen` is the evidence so far; `all_fixed` the attempt with every defect fixed at once,
/// when it still failed.
pub(crate) fn unexplained_difference(
    seen: &[String],
    all_fixed: Option<String>,
    headers: &str,
) -> Finding {
    let mut c = super::with_evidence(
        Finding::new(
            CauseId::Inconclusive,
            Severity::Error,
            "the canonical request gets a token and yours does not, but no difference gcdoctor models explains it",
        ),
        seen,
    );
    if let Some(a) = all_fixed {
        c = c.evidence(a);
        c = c.evidence("fixing every difference gcdoctor sees, all at once, still fails");
    }
    c.evidence(format!("headers of your request: {headers}"))
}

/// What settles [`unexplained_difference`].
pub(crate) fn settle_compare() -> String {
    "compare your request with the canonical one shown in the exchanges (headers, body bytes); send exactly the canonical request".into()
}

/// Beside a URL defect named as the cause: the credentials are rejected too.
pub(crate) fn credentials_also_rejected() -> Finding {
    Finding::new(
        CauseId::Inconclusive,
        Severity::Warning,
        "the credentials are also rejected: no region's login host issued a token for them",
    )
}

/// Every region (or the one tried) rejects the credentials and nothing tells why.
pub(crate) fn rejected(first: &[String], scanned: Option<usize>, throttled: bool) -> Finding {
    let mut c = super::with_evidence(
        Finding::new(
            CauseId::Inconclusive,
            Severity::Error,
            if scanned.is_some() {
                "every region's login host rejects these credentials with the same answer; the service gives it for a wrong secret, an unknown client, a disabled client and a client without the client-credentials grant alike".to_string()
            } else {
                "the credentials are rejected, and gcdoctor could not try the other regions"
                    .to_string()
            },
        ),
        first,
    );
    if let Some(n) = scanned {
        c = c.evidence(format!("{n} regions tried, none issued a token"));
    }
    if throttled {
        c = c.evidence("the service throttled gcdoctor before it could finish");
    }
    c
}

/// Only `home` knows the client, and it is the target: the answer does not say more.
pub(crate) fn known_at_home(home: &Region, here: String, first: &[String]) -> Finding {
    super::with_evidence(
        Finding::new(
            CauseId::Inconclusive,
            Severity::Error,
            format!("the client exists in {home} (only there is it not \"client not found\"), but the service does not say whether the secret is wrong or the client is disabled or not a client-credentials client"),
        )
        .evidence(here),
        first,
    )
}

/// The record of an active Client Credentials client with allowed IP ranges, and the plain
/// answer of a wrong secret: GC205 and GC406 both fit.
pub(crate) fn secret_or_ip(region: &Region) -> Finding {
    Finding::new(
        CauseId::Inconclusive,
        Severity::Error,
        format!(
            "the client exists in {} and is an active Client Credentials client limited to allowed IP ranges: either the secret is rejected (GC205) or this machine is outside the ranges (GC406)",
            region.key
        ),
    )
}

/// The Platform API rejects the token (401).
pub(crate) fn token_rejected_by_api(status: u16, code: &str, ev: String) -> Finding {
    Finding::new(
        CauseId::Inconclusive,
        Severity::Error,
        format!(
            "the Platform API rejects the token ({status} {code}): it has expired, was revoked, or was issued in another region"
        ),
    )
    .evidence(ev)
}

/// An API call answered something no rule explains (a 404: the path is wrong).
pub(crate) fn api_answer(path: &str, status: u16, code: &str, ev: String) -> Finding {
    let why = if status == 404 {
        format!("{path} does not exist (404 {code}); check the path")
    } else {
        format!("{path} answered {status} {code}")
    };
    Finding::new(CauseId::Inconclusive, Severity::Error, why).evidence(ev)
}

/// What settles a token the API rejects: a fresh one, or the credentials.
pub(crate) fn settle_token(given_token: bool) -> String {
    if given_token {
        "a fresh token, or the client id and secret (GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET) so gcdoctor can diagnose the login itself".into()
    } else {
        "run again: a token the login service has just issued should be accepted".into()
    }
}

/// The admin credentials were rejected (a warning beside the verdict). `ip_hint` when the
/// user's client is rejected too and no admin token was given.
pub(crate) fn admin_failed(why: &str, ip_hint: bool) -> Finding {
    let mut x = Finding::new(
        CauseId::Inconclusive,
        Severity::Warning,
        "admin access failed: the admin credentials were rejected, so the OAuth client's record could not be read",
    )
    .evidence(why.to_string())
    .fix("Check --admin-client-id and its secret (GCDOCTOR_ADMIN_CLIENT_ID, GCDOCTOR_ADMIN_CLIENT_SECRET): another OAuth client of the same org and region with oauth:client:view; or give --admin-token-file.");
    if ip_hint {
        // Two clients of the org refused from this machine: with the admin credentials
        // right, that fits the org's Allowed IP Addresses.
        x = x.evidence("your client is rejected too: if the admin credentials are right, two clients refused from this machine fit the org's Allowed IP Addresses (GC406 ip-not-allowed)");
    }
    x
}

/// The "To settle it" line that asks for admin access.
pub(crate) fn settle_admin() -> String {
    "admin access, to read the client's record: --admin-client-id ID with --admin-client-secret-file FILE (another OAuth client of the same org with oauth:client:view), or --admin-token-file FILE; it tells a wrong secret (GC205) from an unknown client (GC206), a disabled client (GC402) and a client without the client-credentials grant (GC401)".into()
}

/// The "To settle it" line when the admin access given failed.
pub(crate) fn settle_admin_failed(why: &str) -> String {
    format!(
        "admin access that works: the admin access given failed ({why}); fix the admin client id and secret (same org and region, oauth:client:view) or give --admin-token-file, and run again"
    )
}

/// The "To settle it" lines of an inconclusive rejection, after the admin access.
pub(crate) fn settle_region() -> String {
    "the region where the OAuth client was created (--region)".into()
}

/// Whether the secret is current.
pub(crate) fn settle_secret() -> String {
    "whether the secret is current: Admin > Integrations > OAuth shows the client; regenerate the secret if in doubt".into()
}

/// The client record could not be read.
pub(crate) fn settle_record_unreadable(why: &str) -> String {
    format!("the client record could not be read: {why}")
}

/// Throttled before the run could finish.
pub(crate) fn settle_wait() -> String {
    "wait a minute and run again".into()
}
