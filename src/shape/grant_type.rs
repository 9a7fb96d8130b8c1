//! The grant type ([`Dim::GrantType`], GC303): `grant_type=client_credentials`, exactly.
//! Flipped by sending it first in the body (and dropping one from the query).

use super::edit::{edit_params, set_query};
use super::{Ctx, Defect, Dim, FixContext};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::request::{HttpRequest, Part};
use crate::shape::Body;

/// Lists this dimension's defects of the request.
pub(super) fn detect(cx: &Ctx, out: &mut Vec<Defect>) {
    let line = |p: Part| cx.line(p);
    let mut push = |dim: Option<Dim>, f: Finding| out.push(Defect { dim, finding: f });
    let query = &cx.query;
    let body_params = &cx.body_params;
    let param_line = |name: &str| cx.param_line(name);
    let grant = body_params
        .iter()
        .chain(query.iter())
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.clone());
    match grant.as_deref() {
        None => push(
            Some(Dim::GrantType),
            Finding::new(
                CauseId::GrantTypeWrong,
                Severity::Error,
                "no `grant_type` is sent",
            )
            .at_line(line(Part::Body).or_else(|| line(Part::Call))),
        ),
        Some("client_credentials") => {}
        Some(other) => push(
            Some(Dim::GrantType),
            Finding::new(
                CauseId::GrantTypeWrong,
                Severity::Error,
                format!("`grant_type` is `{other}`; it must be exactly `client_credentials`"),
            )
            .at_line(param_line("grant_type")),
        ),
    }
}

/// Sends `grant_type=client_credentials` in the body, none in the query.
pub(super) fn flip(r: &mut HttpRequest, body: &Body, _ctx: &FixContext) {
    if let Some(mut u) = r.parsed_url()
        && u.query_pairs().any(|(k, _)| k == "grant_type")
    {
        let kept: Vec<(String, String)> = u
            .query_pairs()
            .filter(|(k, _)| k != "grant_type")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        set_query(&mut u, &kept);
        r.url = u.to_string();
    }
    edit_params(r, body, |p| {
        p.retain(|(k, _)| k != "grant_type");
        p.insert(0, ("grant_type".into(), "client_credentials".into()));
    });
}
