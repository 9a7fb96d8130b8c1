//! Requests that go through a proxy the environment names (`HTTPS_PROXY`, …; see
//! [`super::proxy_for`]): reqwest's client, which speaks to HTTP proxies (CONNECT tunnels)
//! and reads the system's proxy settings. Every other request goes over `wire`'s direct
//! connections. Nothing is pre-opened through a proxy.

use super::outgoing::{Answer, Outgoing};
use super::{Failure, TransportOptions, failure};
use std::time::Duration;

/// The client for proxied requests: no redirects, the system's roots, HTTP/2 where offered.
pub(super) fn client(opts: &TransportOptions) -> Result<reqwest::Client, String> {
    crate::install_crypto_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(opts.timeout)
        .connect_timeout(opts.timeout.min(Duration::from_secs(10)))
        .pool_max_idle_per_host(opts.per_host)
        .build()
        .map_err(|e| format!("could not set up the HTTP client: {e}"))
}

/// Sends a request through the proxy and reads the answer within the limits.
pub(super) async fn send(
    client: &reqwest::Client,
    out: &Outgoing,
    timeout: Duration,
) -> Result<Answer, Failure> {
    let rb = client
        .request(out.method.clone(), out.url.as_str())
        .headers(out.headers.clone());
    let rb = if out.body.is_empty() {
        rb
    } else {
        rb.body(out.body.clone())
    };
    let mut resp = rb
        .send()
        .await
        .map_err(|e| failure::classify(&e, timeout))?;
    let mut answer = Answer::head(resp.status().as_u16(), resp.headers());
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if !answer.push(&chunk) {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => return Err(failure::classify(&e, timeout)),
        }
    }
    Ok(answer)
}

/// Names the proxy in a connection failure: a dead or refusing proxy otherwise reads like an
/// unreachable Genesys host.
pub(super) fn through_proxy(failure: Failure, proxy: &str) -> Failure {
    match failure {
        Failure::Connect(why) | Failure::Protocol(why) => {
            Failure::Proxy(format!("{why} (through the proxy {proxy})"))
        }
        Failure::Timeout(d) => Failure::Proxy(format!(
            "no complete answer within {} s through the proxy {proxy}",
            d.as_secs_f32()
        )),
        other => other,
    }
}
