//! The HTTP method ([`Dim::Method`], GC305): the token endpoint takes POST only. Flipped by
//! sending POST.

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
    if !req.method.eq_ignore_ascii_case("POST") {
        push(
            Some(Dim::Method),
            Finding::new(
                CauseId::WrongMethod,
                Severity::Error,
                format!(
                    "the request is a {}; the token endpoint takes POST",
                    req.method.to_ascii_uppercase()
                ),
            )
            .at_line(line(Part::Method).or_else(|| line(Part::Call))),
        );
    }
}

/// Sends POST.
pub(super) fn flip(r: &mut HttpRequest, _body: &Body, _ctx: &FixContext) {
    r.method = "POST".into();
}
