//! Where the credentials are sent ([`Dim::Placement`], GC201): the SDKs all use a Basic
//! header; credentials in the body work but are reported. Flipped by moving the values the
//! server reads from the body into a Basic header, as they are.

use super::edit::edit_params;
use super::{CRED_PARAMS, Ctx, Defect, Dim, FixContext};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::request::{HttpRequest, basic_value};
use crate::shape::Body;

/// Lists this dimension's defects of the request.
pub(super) fn detect(cx: &Ctx, out: &mut Vec<Defect>) {
    let mut push = |dim: Option<Dim>, f: Finding| out.push(Defect { dim, finding: f });
    let param_line = |name: &str| cx.param_line(name);
    let body_creds = &cx.body_creds;
    let auth_header = cx.auth_header;
    if !body_creds.is_empty() {
        let both = auth_header.is_some();
        push(
            Some(Dim::Placement),
            Finding::new(
                CauseId::CredentialsInBody,
                Severity::Warning,
                if both {
                    format!("credentials are sent twice: in the Authorization header and as {} in the body", body_creds.join(" and "))
                } else {
                    format!("the credentials are sent as {} in the body, not in a Basic header", body_creds.join(" and "))
                },
            )
            .evidence("The service advertises both client_secret_basic and client_secret_post; the official SDKs all use the Basic header.")
            .at_line(param_line(body_creds.last().copied().unwrap_or("client_secret"))),
        );
    }
}

/// Moves the body's credentials into a Basic header.
pub(super) fn flip(r: &mut HttpRequest, body: &Body, ctx: &FixContext) {
    // Move the values the server reads from the body into a Basic header, as they are.
    let params = body.params();
    let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let (id, secret) = (get("client_id"), get("client_secret"));
    edit_params(r, body, |p| {
        p.retain(|(k, _)| !CRED_PARAMS.contains(&k.as_str()))
    });
    if r.header("authorization").is_none() {
        r.set_header(
            "Authorization",
            &basic_value(
                id.as_deref().unwrap_or(&ctx.id),
                secret.as_deref().unwrap_or(&ctx.secret),
            ),
        );
    }
}
