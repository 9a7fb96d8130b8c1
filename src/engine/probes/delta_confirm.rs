//! Probe `delta-confirm`: when no single flip explains the failure, every flip together and
//! all flips but one, for each (see `delta.rs` for the flips and delta debugging).

use super::super::facts::Facts;
use super::super::{Probe, ProbeOutcome, Session};
use super::delta::{context, send_all, send_set};
use super::halted;
use crate::shape::apply;
use futures_util::future::BoxFuture;

pub struct Confirm;

impl Probe for Confirm {
    fn id(&self) -> &'static str {
        "delta-confirm"
    }
    fn title(&self) -> &'static str {
        "Your request with all differences but one set to canonical"
    }
    fn ready(&self, _s: &Session, f: &Facts) -> bool {
        !halted(f)
            && !f.flips.is_empty()
            && f.confirm.is_empty()
            && f.flips.iter().all(|(_, a)| !a.outcome.is_token())
            && f.subject
                .as_ref()
                .is_some_and(|s| s.analysis.dims().len() >= 2)
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let (set, all) = {
                let f = s.facts();
                let (Some((ctx, _)), Some(sub)) = (context(&f), f.subject.as_ref()) else {
                    return ProbeOutcome::pass("nothing to compare");
                };
                let dims = sub.analysis.dims();
                let all = dims
                    .iter()
                    .fold(sub.request.clone(), |r, d| apply(&r, *d, &ctx));
                let set = dims
                    .iter()
                    .map(|left| {
                        let req = dims
                            .iter()
                            .filter(|d| *d != left)
                            .fold(sub.request.clone(), |r, d| apply(&r, *d, &ctx));
                        (
                            *left,
                            format!(
                                "your request with everything but the {} made canonical",
                                left.label()
                            ),
                            req,
                        )
                    })
                    .collect::<Vec<_>>();
                (set, all)
            };
            // Every defect fixed together, beside the all-but-one sets: when even that fails,
            // the defects seen do not explain the failure.
            let ((confirm, n), (all, all_sent)) =
                futures_util::future::join(send_set(s, set), send_all(s, all)).await;
            let n = n + usize::from(all_sent);
            if !all.outcome.is_token() {
                let mut f = s.facts();
                f.confirm = confirm;
                f.all_flipped = Some(all);
                return ProbeOutcome::fail(
                    "fixing every difference seen at once still does not get a token",
                    None,
                )
                .requests(n);
            }
            let needed: Vec<&str> = confirm
                .iter()
                .filter(|(_, a)| !a.outcome.is_token())
                .map(|(d, _)| d.label())
                .collect();
            let out = if needed.is_empty() {
                ProbeOutcome::fail(
                    "no minimal set found: every combination tried got a token",
                    None,
                )
            } else {
                ProbeOutcome::fail(
                    format!(
                        "each of these is needed to get a token: {}",
                        needed.join(", ")
                    ),
                    None,
                )
            };
            let mut f = s.facts();
            f.confirm = confirm;
            f.all_flipped = Some(all);
            out.requests(n)
        })
    }
}
