//! Parameters in the URL's query string ([`Dim::Query`], GC304): the token endpoint reads
//! the body; a secret in a URL ends up in logs. Flipped by moving them into the body.

use super::edit::edit_params;
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
    if !query.is_empty() {
        let names: Vec<&str> = query.iter().map(|(k, _)| k.as_str()).collect();
        let secret_in_query = names.contains(&"client_secret");
        push(
            Some(Dim::Query),
            Finding::new(
                CauseId::CredentialsInQuery,
                if secret_in_query {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!(
                    "parameters in the URL query string: {}{}",
                    names.join(", "),
                    if secret_in_query {
                        " (a secret in a URL ends up in proxy and server logs)"
                    } else {
                        ""
                    }
                ),
            )
            .at_line(line(Part::Url)),
        );
    }
}

/// Moves the query parameters into the body (a parameter already there wins).
pub(super) fn flip(r: &mut HttpRequest, body: &Body, _ctx: &FixContext) {
    if let Some(mut u) = r.parsed_url() {
        let moved: Vec<(String, String)> = u
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        u.set_query(None);
        r.url = u.to_string();
        edit_params(r, body, |p| {
            for (k, v) in moved {
                if !p.iter().any(|(pk, _)| *pk == k) {
                    p.push((k, v));
                }
            }
        });
    }
}
