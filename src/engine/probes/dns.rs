//! Probe `dns`: does a host outside the region domains resolve at all?
//!
//! Nothing secret is sent: only a name lookup. Under the test seam, hosts outside the
//! region domains are reported as not resolving (contract §3).

use super::super::{Facts, Probe, ProbeOutcome, Session};
use crate::catalogue::CauseId;
use crate::region::{self, HostKind};
use futures_util::future::BoxFuture;

pub struct Dns;

fn unknown_host(f: &Facts) -> Option<String> {
    let host = f.subject.as_ref()?.request.host()?;
    (region::classify_host(&host) == HostKind::Unknown).then_some(host)
}

impl Probe for Dns {
    fn id(&self) -> &'static str {
        "dns"
    }
    fn title(&self) -> &'static str {
        "Host of your URL resolves"
    }
    fn ready(&self, _s: &Session, f: &Facts) -> bool {
        f.stop.is_none() && f.dns.is_none() && unknown_host(f).is_some()
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let Some(host) = unknown_host(&s.facts()) else {
                return ProbeOutcome::pass("nothing to look up");
            };
            let ok = s.transport.resolves(&host).await;
            s.facts().dns = Some(ok);
            if ok {
                ProbeOutcome::fail(
                    format!(
                        "`{host}` resolves, but it is not a Genesys Cloud host; your secret was not sent there"
                    ),
                    Some(CauseId::UnknownDomain),
                )
            } else {
                ProbeOutcome::fail(
                    format!("`{host}` does not resolve"),
                    Some(CauseId::UnknownDomain),
                )
            }
        })
    }
}
