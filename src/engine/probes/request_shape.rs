//! Probe `request-shape`: how the user's request differs from the canonical one.
//!
//! Only the user's own request (`--from-…`) can show shape defects; each is a dimension the
//! `delta` probe may flip. What is listed here is what the request shows, not yet what
//! explains the failure.

use super::super::{Facts, Probe, ProbeOutcome, Session};
use crate::shape::Dim;
use futures_util::future::BoxFuture;

pub struct RequestShape;

impl Probe for RequestShape {
    fn id(&self) -> &'static str {
        "request-shape"
    }
    fn title(&self) -> &'static str {
        "Request shape matches the canonical token request"
    }
    fn offline(&self) -> bool {
        true
    }
    fn ready(&self, s: &Session, f: &Facts) -> bool {
        f.subject.is_some() && s.inputs.imported.is_some()
    }
    fn skipped(&self, s: &Session, _f: &Facts) -> Option<String> {
        s.inputs.imported.is_none().then(|| {
            "needs your own request (--from-curl, --from-python, --from-js, …)".to_string()
        })
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let f = s.facts();
            let Some(sub) = &f.subject else {
                return ProbeOutcome::pass("no request");
            };
            let shape: Vec<_> = sub
                .analysis
                .defects
                .iter()
                .filter(|d| d.dim.is_some_and(|x| x != Dim::Url && x != Dim::Whitespace))
                .collect();
            if shape.is_empty() {
                return ProbeOutcome::pass(
                    "POST, Basic header, form body with grant_type=client_credentials only",
                );
            }
            let dims: Vec<&str> = shape
                .iter()
                .filter_map(|d| d.dim.map(|x| x.label()))
                .collect();
            ProbeOutcome::fail(format!("differs in: {}", dims.join(", ")), None)
        })
    }
}
