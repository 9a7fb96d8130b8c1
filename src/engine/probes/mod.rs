//! The probes, one file per probe id (`region-scan` in region_scan.rs, `request-shape` in
//! request_shape.rs, …). A probe reads the facts, sends its requests through the transport
//! and records what it saw; it concludes nothing beyond its own check line.

pub mod admin;
pub mod as_read;
pub mod canonical;
pub mod client_inspect;
pub mod delta;
pub mod delta_confirm;
pub mod dns;
pub mod inputs;
pub mod intent;
pub mod region_scan;
pub mod region_sweep;
pub mod request_shape;
pub mod token_check;
pub mod token_url;
pub mod user_request;
pub mod variants;

use super::facts::{Attempt, Facts};
use super::{Admin, Inputs, Session, subject};
use crate::http::Carries;
use crate::region::{self, Region};
use crate::request::{HttpRequest, canonical as canonical_request};

/// The facts before anything is sent: the subject, the target region, the credentials.
pub fn initial_facts(inputs: &Inputs) -> Facts {
    // Only an access token to check: no credentials, no token request.
    if let (Some(token), Some(region)) = (&inputs.access_token, inputs.region) {
        return Facts {
            target: Some(region),
            given_token: Some((region, token.clone())),
            ..Facts::default()
        };
    }
    let subject = subject::build(inputs);
    let target = inputs
        .region
        .or_else(|| subject.as_ref().and_then(|s| s.analysis.region));
    let creds = inputs
        .creds
        .cleaned()
        .unwrap_or_else(|| inputs.creds.clone());
    let admin_token = match &inputs.admin {
        Some(Admin::Token { token, region }) => region.or(target).map(|r| (r, token.clone())),
        _ => None,
    };
    let analysis = match &subject {
        Some(sub) => sub.analysis.clone(),
        None => subject::analyze_values(&inputs.creds),
    };
    let mut static_findings = analysis.findings();
    static_findings.extend(inputs.findings.iter().cloned());
    Facts {
        static_findings,
        subject,
        target,
        creds: Some(creds),
        admin_token,
        ..Facts::default()
    }
}

/// The canonical request for this run's credentials at a region's login host.
pub fn canonical_at(f: &Facts, r: &'static Region) -> Option<HttpRequest> {
    let c = f.creds.as_ref()?;
    let mut req = canonical_request(&r.token_url(), &c.id, c.secret.expose());
    req.headers.push((
        "User-Agent".into(),
        concat!("gcdoctor/", env!("CARGO_PKG_VERSION")).into(),
    ));
    Some(req)
}

/// Sends a token request and classifies the answer.
pub async fn attempt(
    s: &Session,
    req: &HttpRequest,
    label: String,
    carries: Carries,
) -> (Attempt, bool) {
    let sent = s.transport.send(req, &label, carries).await;
    let was_sent = !matches!(sent, crate::http::Sent::NotSent(_));
    (Attempt::new(label, req, &sent), was_sent)
}

/// Sends the canonical request to several regions at once.
pub async fn canonical_many(
    s: &Session,
    regions: Vec<&'static Region>,
    purpose: &str,
) -> (Vec<(&'static Region, Attempt)>, usize) {
    let reqs: Vec<(&'static Region, HttpRequest)> = {
        let f = s.facts();
        regions
            .into_iter()
            .filter_map(|r| canonical_at(&f, r).map(|q| (r, q)))
            .collect()
    };
    let futs = reqs.iter().map(|(r, q)| async move {
        let (a, sent) = attempt(
            s,
            q,
            format!("{purpose} at {}", r.login_host()),
            Carries::Credentials,
        )
        .await;
        (*r, a, sent)
    });
    let results = futures_util::future::join_all(futs).await;
    let n = results.iter().filter(|(_, _, sent)| *sent).count();
    (results.into_iter().map(|(r, a, _)| (r, a)).collect(), n)
}

/// True when no more requests should be sent: a cause was proven before sending, or the
/// service throttled.
pub fn halted(f: &Facts) -> bool {
    f.stop.is_some() || f.throttled()
}

/// The region a host belongs to.
pub fn region_of(host: &str) -> Option<&'static Region> {
    region::classify_host(host).region()
}
