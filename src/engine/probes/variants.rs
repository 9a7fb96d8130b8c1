//! Probe `variants`: credential variants that the inputs make plausible.
//!
//! Sent only when the values show the sign: the id is not a UUID but the secret is (swapped,
//! GC207); the secret still holds `%XX` (encoded once too often, GC203); the secret holds a
//! space where Genesys secrets have none (a `+` decoded to a space, GC203). A variant that
//! gets a token proves the cause.

use super::super::facts::Variant;
use super::super::{Facts, Probe, ProbeOutcome, Session};
use super::{attempt, halted};
use crate::http::Carries;
use crate::request::{Credentials, canonical};
use futures_util::future::BoxFuture;

pub struct Variants;

fn wanted(f: &Facts) -> Vec<(Variant, Credentials)> {
    let Some(c) = &f.creds else { return Vec::new() };
    let secret = c.secret.expose();
    let mut v = Vec::new();
    if c.looks_swapped() {
        v.push((Variant::Swapped, c.swapped()));
    }
    let decoded = percent_encoding::percent_decode_str(secret)
        .decode_utf8_lossy()
        .into_owned();
    if decoded != secret && !decoded.is_empty() {
        v.push((Variant::Decoded, Credentials::new(c.id.clone(), decoded)));
    }
    if secret.contains(' ') {
        v.push((
            Variant::PlusRestored,
            Credentials::new(c.id.clone(), secret.replace(' ', "+")),
        ));
    }
    v
}

impl Probe for Variants {
    fn id(&self) -> &'static str {
        "variants"
    }
    fn title(&self) -> &'static str {
        "Credential variants the inputs suggest (swapped, decoded)"
    }
    fn ready(&self, _s: &Session, f: &Facts) -> bool {
        !halted(f) && f.target.is_some() && f.variants.is_empty() && !wanted(f).is_empty()
    }
    fn run<'a>(&'a self, s: &'a Session) -> BoxFuture<'a, ProbeOutcome> {
        Box::pin(async move {
            let (target, list) = {
                let f = s.facts();
                match f.target {
                    Some(t) => (t, wanted(&f)),
                    None => return ProbeOutcome::pass("no target region"),
                }
            };
            let futs = list.iter().map(|(v, c)| async move {
                let req = canonical(&target.token_url(), &c.id, c.secret.expose());
                let label = match v {
                    Variant::Swapped => "canonical request with id and secret swapped",
                    Variant::Decoded => "canonical request with the secret percent-decoded",
                    Variant::PlusRestored => {
                        "canonical request with spaces in the secret restored to `+`"
                    }
                };
                let (a, sent) = attempt(
                    s,
                    &req,
                    format!("{label} at {}", target.login_host()),
                    Carries::Credentials,
                )
                .await;
                (*v, a, sent)
            });
            let results = futures_util::future::join_all(futs).await;
            let n = results.iter().filter(|r| r.2).count();
            let mut f = s.facts();
            let mut won = None;
            for (v, a, _) in results {
                if a.outcome.is_token() && won.is_none() {
                    won = Some(v);
                }
                f.variants.push((v, a));
            }
            match won {
                Some(v) => ProbeOutcome::fail(
                    format!("{:?} variant got a token", v).to_lowercase(),
                    Some(v.cause()),
                ),
                None => ProbeOutcome::pass("no variant got a token"),
            }
            .requests(n)
        })
    }
}
