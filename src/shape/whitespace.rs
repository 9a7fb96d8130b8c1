//! Stray whitespace, quotes or a BOM around the id or secret ([`Dim::Whitespace`], GC204).
//! Flipped by sending the cleaned values.

use super::edit::replace_cred_values;
use super::{Ctx, Defect, Dim, FixContext};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::request::{HttpRequest, basic_value, clean_value, stray_description};
use crate::secret::basic::{BasicView, read_basic};
use crate::shape::Body;

/// Lists this dimension's defects of the request.
pub(super) fn detect(cx: &Ctx, out: &mut Vec<Defect>) {
    let mut push = |dim: Option<Dim>, f: Finding| out.push(Defect { dim, finding: f });
    let (id_value, secret_value) = cx.values();
    let id_line = cx.intended.id.as_ref().and_then(|v| v.line);
    let secret_line = cx.intended.secret.as_ref().and_then(|v| v.line);
    let auth_line = cx.auth_line();
    for (what, v, l) in [
        ("client id", &id_value, id_line),
        ("client secret", &secret_value, secret_line),
    ] {
        if let Some(v) = v
            && let Some(desc) = stray_description(v)
        {
            push(
                Some(Dim::Whitespace),
                Finding::new(
                    CauseId::CredentialWhitespace,
                    Severity::Error,
                    format!("the {what} has {desc}"),
                )
                .at_line(l.or(auth_line)),
            );
        }
    }
}

/// Sends the cleaned values.
pub(super) fn flip(r: &mut HttpRequest, body: &Body, ctx: &FixContext) {
    let (id, secret) = (clean_value(&ctx.id), clean_value(&ctx.secret));
    if let Some(v) = r.header("authorization")
        && let BasicView::Ok {
            id: hid,
            secret: hs,
        } = read_basic(v)
    {
        r.set_header(
            "Authorization",
            &basic_value(&clean_value(&hid), &clean_value(&hs)),
        );
    }
    replace_cred_values(r, body, &id, &secret);
}
