//! The corrected request in a diagnose report, as `lint` shows it.
//!
//! # Plan
//!
//! When the diagnosis names a cause that the request itself can fix (the URL or region, how
//! the credentials are sent, the body, the method), the report ends with the request to
//! send instead, posting to the region where the client was found: the user's own request
//! corrected, in the language of their input (`--from-…`), else a curl command. Causes the
//! request cannot fix (a wrong or unknown secret, a disabled client, roles, the network)
//! get none, nor does a healthy or inconclusive run. The text holds variable names, never a
//! value, and the report is scrubbed like everything else.

use crate::catalogue::CauseId;
use crate::report::{Report, ReportKind, Suggestion, Verdict};
use crate::request::ImportedRequest;

/// Causes a corrected request fixes.
const FIXED_BY_THE_REQUEST: &[CauseId] = &[
    CauseId::WrongTokenUrl,
    CauseId::UnknownDomain,
    CauseId::WrongRegion,
    CauseId::CredentialsInBody,
    CauseId::BasicHeaderMalformed,
    CauseId::SecretEncoding,
    CauseId::CredentialWhitespace,
    CauseId::IdSecretSwapped,
    CauseId::JsonBody,
    CauseId::ContentTypeWrong,
    CauseId::GrantTypeWrong,
    CauseId::CredentialsInQuery,
    CauseId::WrongMethod,
    CauseId::ScopeParameter,
];

/// Adds the corrected request to a diagnose report whose cause the request can fix.
pub fn attach(r: &mut Report, imported: Option<&ImportedRequest>) {
    if r.kind != ReportKind::Diagnose || r.verdict != Verdict::CauseFound {
        return;
    }
    let Some(cause) = r.cause_finding().map(|c| c.cause) else {
        return;
    };
    if !FIXED_BY_THE_REQUEST.contains(&cause) {
        return;
    }
    let region = r.region.detected.or(r.region.configured);
    r.suggestion = Some(match imported {
        Some(imp) => crate::linter::suggestion(imp, region),
        None => {
            let r = region.unwrap_or_else(crate::region::default_region);
            Suggestion {
                language: "curl".into(),
                text: format!(
                    "# The token endpoint of {} ({}); credentials in a Basic header (-u).\ncurl -sS '{}' \\\n  -u \"$GENESYSCLOUD_OAUTHCLIENT_ID:$GENESYSCLOUD_OAUTHCLIENT_SECRET\" \\\n  -d 'grant_type=client_credentials'",
                    r.key,
                    r.domain,
                    r.token_url()
                ),
            }
        }
    });
}
