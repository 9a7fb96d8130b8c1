//! Probe `token-url`: is the URL the user posts to the token endpoint of a region?
//!
//! `https://login.<region-domain>/oauth/token` is the only one (facts §1.1). The `api.` host,
//! `/api/v2/oauth/token`, per-organisation and `genesys.cloud` hosts are findings before any
//! request; whether they also explain the failure is for the flips to prove.

use super::super::{Facts, Probe, ProbeOutcome, Session};
use crate::shape::Dim;
use futures_util::future::BoxFuture;

pub struct TokenUrl;

impl Probe for TokenUrl {
    fn id(&self) -> &'static str {
        "token-url"
    }
    fn title(&self) -> &'static str {
        "Token URL is https://login.<region domain>/oauth/token"
    }
    fn offline(&self) -> bool {
        true
    }
    fn ready(&self, _s: &Session, f: &Facts) -> bool {
        f.subject.is_some()
    }
    fn skipped(&self, _s: &Session, f: &Facts) -> Option<String> {
        f.subject
            .is_none()
            .then(|| "no URL or region given: every region is tried".to_string())
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let f = s.facts();
            let Some(sub) = &f.subject else {
                return ProbeOutcome::pass("no URL given");
            };
            match sub
                .analysis
                .defects
                .iter()
                .find(|d| d.dim == Some(Dim::Url))
            {
                Some(d) => ProbeOutcome::fail(d.finding.summary.clone(), None),
                None => ProbeOutcome::pass(crate::secret::mask::url(&sub.request.url)),
            }
        })
    }
}
