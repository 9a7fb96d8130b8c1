//! Probe `token-check`: is the token the user's request gets good for anything?
//!
//! A client-credentials token carries the permissions of the client's roles, not scopes
//! (facts §5). `GET /api/v2/tokens/me` shows the client's role assignments (where the service
//! answers it for such tokens), `GET /api/v2/organizations/me` proves the token works, and each
//! `--check-api` target is called to explain a 401/403.

use super::super::facts::{ApiResult, Facts, SentSummary};
use super::super::{Probe, ProbeOutcome, Session};
use super::halted;
use crate::http::{Carries, Sent};
use crate::request::api_get;
use futures_util::future::BoxFuture;

pub struct TokenCheck;

impl Probe for TokenCheck {
    fn id(&self) -> &'static str {
        "token-check"
    }
    fn title(&self) -> &'static str {
        "The token works on the Platform API"
    }
    fn ready(&self, _s: &Session, f: &Facts) -> bool {
        !halted(f) && f.api.is_empty() && f.client_token().is_some()
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let Some((region, token)) = s.facts().client_token() else {
                return ProbeOutcome::pass("no token");
            };
            let mut calls: Vec<(String, String, bool)> = vec![
                ("GET".into(), "/api/v2/tokens/me".into(), false),
                ("GET".into(), "/api/v2/organizations/me".into(), false),
            ];
            for t in &s.inputs.check_api {
                calls.retain(|(m, p, _)| !(m == &t.method && p == &t.path));
                calls.push((t.method.clone(), t.path.clone(), true));
            }
            let futs = calls.iter().map(|(method, path, requested)| {
                let token = token.clone();
                async move {
                    let mut req = api_get(&region.api_base(), path, token.expose());
                    req.method = method.clone();
                    let sent = s
                        .transport
                        .send(
                            &req,
                            &format!("{method} {path} with the client's token"),
                            Carries::Token(region),
                        )
                        .await;
                    let counted = !matches!(sent, Sent::NotSent(_));
                    (
                        ApiResult {
                            method: method.clone(),
                            path: path.clone(),
                            requested: *requested,
                            sent: SentSummary::from(&sent),
                        },
                        counted,
                    )
                }
            });
            let results = futures_util::future::join_all(futs).await;
            let n = results.iter().filter(|r| r.1).count();
            let results: Vec<ApiResult> = results.into_iter().map(|r| r.0).collect();
            let failed: Vec<String> = results
                .iter()
                .filter(|r| {
                    (r.requested || r.path.ends_with("organizations/me"))
                        && !r.sent.status().is_some_and(|c| (200..300).contains(&c))
                })
                .map(|r| format!("{} {} → {}", r.method, r.path, r.sent.brief()))
                .collect();
            let ok = results
                .iter()
                .filter(|r| r.sent.status().is_some_and(|c| (200..300).contains(&c)))
                .count();
            let mut f = s.facts();
            f.api = results;
            f.api_region = Some(region);
            if failed.is_empty() {
                ProbeOutcome::pass(format!(
                    "{} answered 2xx in {}",
                    crate::finding::plural(ok, "API call", "API calls"),
                    region.key
                ))
            } else {
                ProbeOutcome::fail(failed.join("; "), None)
            }
            .requests(n)
        })
    }
}
