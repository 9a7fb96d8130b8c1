//! `scope` and other parameters the grant does not take ([`Dim::Extras`], GC306). Flipped by
//! keeping only `grant_type` and the credentials.

use super::edit::{edit_params, set_query};
use super::{CRED_PARAMS, Ctx, Defect, Dim, FixContext};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::request::HttpRequest;
use crate::shape::Body;

/// Lists this dimension's defects of the request.
pub(super) fn detect(cx: &Ctx, out: &mut Vec<Defect>) {
    let mut push = |dim: Option<Dim>, f: Finding| out.push(Defect { dim, finding: f });
    let query = &cx.query;
    let body_params = &cx.body_params;
    let param_line = |name: &str| cx.param_line(name);
    let extras: Vec<String> = body_params
        .iter()
        .chain(query.iter())
        .map(|(k, _)| k.clone())
        .filter(|k| k != "grant_type" && !CRED_PARAMS.contains(&k.as_str()))
        .map(|k| crate::secret::mask::param_name(&k))
        .collect();
    if !extras.is_empty() {
        let scope = extras.iter().any(|k| k == "scope");
        push(
            Some(Dim::Extras),
            Finding::new(
                CauseId::ScopeParameter,
                Severity::Warning,
                if scope {
                    "a `scope` is sent; client-credentials tokens get their permissions from the client's roles, not from scopes".to_string()
                } else {
                    format!("parameters the client-credentials grant does not take: {}", extras.join(", "))
                },
            )
            .at_line(param_line(extras.first().map(String::as_str).unwrap_or("scope"))),
        );
    }
}

/// Keeps only `grant_type` and the credentials.
pub(super) fn flip(r: &mut HttpRequest, body: &Body, _ctx: &FixContext) {
    if let Some(mut u) = r.parsed_url()
        && u.query().is_some()
    {
        let kept: Vec<(String, String)> = u
            .query_pairs()
            .filter(|(k, _)| k == "grant_type" || CRED_PARAMS.contains(&k.as_ref()))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        set_query(&mut u, &kept);
        r.url = u.to_string();
    }
    edit_params(r, body, |p| {
        p.retain(|(k, _)| k == "grant_type" || CRED_PARAMS.contains(&k.as_str()))
    });
}
