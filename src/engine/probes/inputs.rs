//! Probe `inputs`: the credentials themselves, before anything is sent.
//!
//! Template values (GC208) stop the run here: sending them would only earn an
//! `invalid_client`. Swapped values (GC207), stray characters (GC204) and an id that is not a
//! UUID are recorded for the probes that test them.

use super::super::{Facts, Probe, ProbeOutcome, Session};
use crate::catalogue::CauseId;
use crate::secret::describe_shape;
use futures_util::future::BoxFuture;

pub struct InputValues;

const VALUE_CAUSES: [CauseId; 4] = [
    CauseId::PlaceholderCredentials,
    CauseId::IdSecretSwapped,
    CauseId::CredentialWhitespace,
    CauseId::UnknownClient,
];

impl Probe for InputValues {
    fn id(&self) -> &'static str {
        "inputs"
    }
    fn title(&self) -> &'static str {
        "Client id and secret look like real credentials"
    }
    fn offline(&self) -> bool {
        true
    }
    fn ready(&self, _s: &Session, _f: &Facts) -> bool {
        true
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let mut f = s.facts();
            if let Some((r, _)) = &f.given_token {
                return ProbeOutcome::pass(format!(
                    "no client credentials: the access token from GENESYSCLOUD_ACCESS_TOKEN is checked in {}",
                    r.key
                ));
            }
            let found: Vec<_> = f
                .static_findings
                .iter()
                .filter(|x| VALUE_CAUSES.contains(&x.cause))
                // Warnings about how the inputs were read (a secret file's line ending)
                // are not defects of the values gcdoctor sends.
                .filter(|x| !s.inputs.findings.contains(x))
                .cloned()
                .collect();
            if let Some(p) = found
                .iter()
                .find(|x| x.cause == CauseId::PlaceholderCredentials)
            {
                f.stop = Some(p.clone());
                return ProbeOutcome::fail(
                    format!("{}; nothing was sent", p.summary),
                    Some(CauseId::PlaceholderCredentials),
                );
            }
            // A real secret has 43 characters; one or two are a value cut short or a stand-in.
            let secret = s.inputs.creds.secret.expose().trim();
            let n = secret.chars().count();
            if n <= 2 && found.is_empty() {
                return ProbeOutcome::fail(
                    format!(
                        "the secret has only {n} character{}: Genesys Cloud client secrets have 43; it was cut short (a shell `$`, a `&` in a form body) or is a stand-in",
                        if n == 1 { "" } else { "s" }
                    ),
                    None,
                );
            }
            match found.first() {
                Some(first) => ProbeOutcome::fail(first.summary.clone(), Some(first.cause)),
                None => ProbeOutcome::pass(format!(
                    "client id is a UUID; secret has {}",
                    describe_shape(s.inputs.creds.secret.expose())
                )),
            }
        })
    }
}
