//! Scheme, host and path ([`Dim::Url`], GC101 wrong token URL, GC102 unknown domain): the
//! request must POST to `https://login.<region domain>/oauth/token`. Flipped by putting the
//! canonical token URL in place, the query kept (another dimension).

use super::{Ctx, Defect, Dim, FixContext};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::region::{self, HostKind};
use crate::request::{HttpRequest, Part};
use crate::shape::Body;

/// Lists this dimension's defects of the request.
pub(super) fn detect(cx: &Ctx, out: &mut Vec<Defect>) {
    let req = cx.req;
    let line = |p: Part| cx.line(p);
    let mut push = |dim: Option<Dim>, f: Finding| out.push(Defect { dim, finding: f });
    match req.parsed_url() {
        None => push(
            Some(Dim::Url),
            Finding::new(
                CauseId::WrongTokenUrl,
                Severity::Error,
                format!(
                    "the URL `{}` is not an absolute http(s) URL",
                    crate::secret::mask::url(&req.url)
                ),
            )
            .at_line(line(Part::Url)),
        ),
        Some(u) => {
            let host = u.host_str().unwrap_or_default().to_ascii_lowercase();
            let kind = region::classify_host(&host);
            let path = u.path();
            match kind {
                HostKind::Unknown => {
                    let hint = if host.ends_with("genesys.cloud") || host.contains("mygenesyscloud")
                    {
                        " (hosts like this appear in forum answers; Genesys Cloud has no per-organisation or `genesys.cloud` API hosts)"
                    } else {
                        ""
                    };
                    push(
                        Some(Dim::Url),
                        Finding::new(
                            CauseId::UnknownDomain,
                            Severity::Error,
                            format!("`{host}` is not a Genesys Cloud host{hint}"),
                        )
                        .evidence(format!("URL: {}", u))
                        .fix("Use https://login.<your region's domain>/oauth/token, e.g. https://login.mypurecloud.com/oauth/token (Americas) or https://login.mypurecloud.ie/oauth/token (EMEA); see `gcdoctor explain GC102` for every region.")
                        .at_line(line(Part::Url)),
                    )
                }
                HostKind::Login(r) if path == "/oauth/token" => {
                    if u.scheme() != "https" {
                        push(
                            Some(Dim::Url),
                            Finding::new(
                                CauseId::WrongTokenUrl,
                                Severity::Error,
                                format!(
                                    "the URL uses `{}`; the login service is HTTPS only",
                                    u.scheme()
                                ),
                            )
                            .fix(format!("Use {}", r.token_url()))
                            .at_line(line(Part::Url)),
                        )
                    }
                }
                HostKind::Login(r) | HostKind::Api(r) | HostKind::OtherInDomain(r) => {
                    let what = match kind {
                        HostKind::Login(_) => {
                            format!("the path `{path}` is not the token endpoint")
                        }
                        HostKind::Api(_) if path.starts_with("/api/v2/") => format!(
                            "`{host}{path}` is a Platform API URL; tokens come from the login host"
                        ),
                        HostKind::Api(_) => format!(
                            "`{host}` is the Platform API host; tokens come from `{}`",
                            r.login_host()
                        ),
                        _ => format!("`{host}` is not the login host of {}", r.key),
                    };
                    push(
                        Some(Dim::Url),
                        Finding::new(CauseId::WrongTokenUrl, Severity::Error, what)
                            .evidence(format!("URL: {u}"))
                            .fix(format!("POST to {}", r.token_url()))
                            .at_line(line(Part::Url)),
                    )
                }
            }
        }
    }
}

/// Puts the canonical token URL in place; the query stays for its own dimension.
pub(super) fn flip(r: &mut HttpRequest, _body: &Body, ctx: &FixContext) {
    let query = r.parsed_url().and_then(|u| u.query().map(str::to_string));
    r.url = match query {
        Some(q) => format!("{}?{q}", ctx.token_url),
        None => ctx.token_url.clone(),
    };
}
