//! The Basic Authorization header ([`Dim::BasicHeader`], GC202): present once, well formed,
//! `Basic base64(id:secret)`. Flipped by sending the meant credentials in a fresh header.

use super::{Ctx, Defect, Dim, FixContext};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::request::{HttpRequest, Part, basic_value};
use crate::secret::basic::{BasicView, read_basic};
use crate::shape::Body;

/// Lists this dimension's defects of the request.
pub(super) fn detect(cx: &Ctx, out: &mut Vec<Defect>) {
    let req = cx.req;
    let line = |p: Part| cx.line(p);
    let mut push = |dim: Option<Dim>, f: Finding| out.push(Defect { dim, finding: f });
    let auth_line = cx.auth_line();
    let body_creds = &cx.body_creds;
    let query = &cx.query;
    if let Some(value) = cx.auth_header {
        match read_basic(value) {
            BasicView::Malformed(why) => push(
                Some(Dim::BasicHeader),
                Finding::new(
                    CauseId::BasicHeaderMalformed,
                    Severity::Error,
                    format!("the Authorization header is malformed: {why}"),
                )
                .at_line(auth_line),
            ),
            BasicView::Ok { .. } => {}
        }
        if req.header_count("authorization") > 1 {
            push(
                Some(Dim::BasicHeader),
                Finding::new(
                    CauseId::BasicHeaderMalformed,
                    Severity::Error,
                    "more than one Authorization header is sent",
                )
                .at_line(auth_line),
            );
        }
    } else if body_creds.is_empty() && !query.iter().any(|(k, _)| k == "client_secret") {
        push(
            Some(Dim::BasicHeader),
            Finding::new(CauseId::BasicHeaderMalformed, Severity::Error, "no client credentials are sent (no Authorization header, no client_id/client_secret)")
                .at_line(line(Part::Call).or(line(Part::Url))),
        );
    }
}

/// Sends the meant credentials in a fresh Basic header.
pub(super) fn flip(r: &mut HttpRequest, _body: &Body, ctx: &FixContext) {
    r.set_header("Authorization", &basic_value(&ctx.id, &ctx.secret));
}
