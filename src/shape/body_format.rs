//! The body's format ([`Dim::BodyFormat`], GC301 JSON body, or a body that is no form at
//! all): the token endpoint reads form-encoded parameters. Flipped by re-sending the same
//! parameters as a form.

use super::edit::set_form;
use super::{Ctx, Defect, Dim, FixContext};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::request::{HttpRequest, Part};
use crate::shape::Body;

/// Lists this dimension's defects of the request.
pub(super) fn detect(cx: &Ctx, out: &mut Vec<Defect>) {
    let req = cx.req;
    let line = |p: Part| cx.line(p);
    let mut push = |dim: Option<Dim>, f: Finding| out.push(Defect { dim, finding: f });
    let body = &cx.body;
    let ct_line = line(Part::Header("content-type".into())).or_else(|| line(Part::Body));
    match body {
        Body::Json(_) => push(
            Some(Dim::BodyFormat),
            Finding::new(
                CauseId::JsonBody,
                Severity::Error,
                "the body is JSON; the token endpoint reads form-encoded parameters",
            )
            .evidence(format!(
                "Content-Type: {}",
                req.header("content-type").unwrap_or("(none)")
            ))
            .fix("Send the parameters form-encoded: `data=` (not `json=`) in requests, `-d` (not `--json`) in curl.")
            .at_line(line(Part::Body).or(ct_line)),
        ),
        Body::Raw if !req.body.is_empty() => push(
            Some(Dim::BodyFormat),
            Finding::new(
                CauseId::ContentTypeWrong,
                Severity::Error,
                "the body is neither a form nor JSON; the token endpoint reads `grant_type=client_credentials` form-encoded",
            )
            .at_line(line(Part::Body)),
        ),
        _ => {}
    }
}

/// Re-sends the parameters as a form.
pub(super) fn flip(r: &mut HttpRequest, body: &Body, _ctx: &FixContext) {
    set_form(r, &body.params());
}
