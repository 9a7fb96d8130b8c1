//! The Content-Type of a form body ([`Dim::ContentType`], GC302): it must be
//! `application/x-www-form-urlencoded`. Flipped by setting it (a multipart body is re-sent
//! as a form).

use super::edit::set_form;
use super::{Ctx, Defect, Dim, FixContext};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::request::{FORM, HttpRequest, Part};
use crate::shape::Body;

/// Lists this dimension's defects of the request.
pub(super) fn detect(cx: &Ctx, out: &mut Vec<Defect>) {
    let line = |p: Part| cx.line(p);
    let mut push = |dim: Option<Dim>, f: Finding| out.push(Defect { dim, finding: f });
    let body = &cx.body;
    let media = cx.media.as_deref();
    let ct_line = line(Part::Header("content-type".into())).or_else(|| line(Part::Body));
    match body {
        Body::Form(_) | Body::Multipart(_) if media != Some(FORM) => {
            let what = match (body, media) {
                (Body::Multipart(_), _) => "the body is multipart/form-data; the token endpoint reads application/x-www-form-urlencoded".to_string(),
                (_, None) => "the form body is sent without a Content-Type, so the server does not read it as a form".to_string(),
                (_, Some(m)) => format!("the form body is sent as `{m}`; it must be `{FORM}`"),
            };
            push(
                Some(Dim::ContentType),
                Finding::new(CauseId::ContentTypeWrong, Severity::Error, what)
                    .fix(format!(
                        "Send `Content-Type: {FORM}` (requests and curl -d set it for you)."
                    ))
                    .at_line(ct_line),
            )
        }
        _ => {}
    }
}

/// Sets the form content type; a multipart body becomes a form.
pub(super) fn flip(r: &mut HttpRequest, body: &Body, _ctx: &FixContext) {
    if matches!(body, Body::Multipart(_)) {
        set_form(r, &body.params());
    } else {
        r.set_header("Content-Type", FORM);
    }
}
