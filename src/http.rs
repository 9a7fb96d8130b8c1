//! The one HTTP client: every request gcdoctor sends goes through [`Transport::send`].
//!
//! It enforces, in one place, what the contract (§3) promises:
//! * a request carrying the client secret goes only to `login.<domain>` of a region (or, when
//!   replaying the user's own request, to the `api.<domain>` URL their code already uses), a
//!   bearer token only to `api.<domain>` of the region that issued it; any other host needs
//!   `--allow-host`; never over plain `http://` outside the test seam;
//! * the test seam: with `--connect-to HOST:PORT` / `GCDOCTOR_CONNECT_TO`, every request goes
//!   over plain HTTP/1.1 to that address with its original path, query and `Host` header;
//! * a request budget, at most [`TransportOptions::per_host`] requests in flight per host, and
//!   no request at all to a host once it has signalled throttling;
//! * a per-request timeout, bounded body reads, no redirects followed;
//! * a redacted record ([`Exchange`]) of every request and answer, for the report.
//!
//! How requests travel is in submodules: `wire` (direct connections: reuse, HTTP/2,
//! connections opened ahead by [`Transport::preopen`]), `via_proxy` (reqwest, when a proxy
//! is set), `tls` (trust, and the test-only TLS seam), `failure` (errors in plain words),
//! `outgoing` (the request as checked for the wire).

use crate::region::{self, HostKind, Region};
use crate::report::Exchange;
use crate::request::HttpRequest;
use crate::secret::Redactor;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

mod failure;
mod outgoing;
mod response;
mod shown;
mod tls;
mod via_proxy;
mod wire;

pub use failure::{Failure, proxy_for};
use hyper_util::client::proxy::matcher::Matcher;
use outgoing::{Answer, Outgoing};
pub use response::{OAuthError, Response, is_throttling, oauth_error};
pub use tls::TlsSeam;
use wire::{Origin, Route, Wire};

/// The client a request takes.
enum Path<'a> {
    Wire(Arc<Wire>),
    /// reqwest, through the named proxy.
    Proxy(&'a reqwest::Client, String),
}

/// Largest response body read; the rest is dropped.
pub const MAX_BODY: usize = 1024 * 1024;
/// Largest body shown in a report.
const SHOWN_BODY: usize = 4096;

/// How the transport is set up.
#[derive(Clone, Debug)]
pub struct TransportOptions {
    /// The test seam: send everything to this `HOST:PORT` over plain HTTP/1.1.
    pub connect_to: Option<String>,
    /// The TLS variant of the test seam (test-only; see `http/tls.rs`). Ignored when
    /// `connect_to` is set.
    pub tls_seam: Option<TlsSeam>,
    /// Per-request timeout (connect to last body byte).
    pub timeout: Duration,
    /// Most requests one run may send.
    pub budget: usize,
    /// Most requests in flight to one host.
    pub per_host: usize,
    /// Hosts outside the region domains the user allows their secret to go to.
    pub allow_hosts: Vec<String>,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            connect_to: None,
            tls_seam: None,
            timeout: Duration::from_secs(10),
            budget: 30,
            per_host: 8,
            allow_hosts: Vec::new(),
        }
    }
}

/// What a request carries, which decides where it may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carries {
    /// Client credentials, built by gcdoctor: login hosts only.
    Credentials,
    /// The user's own request, replayed: login hosts, or the `api.` host they post to.
    UserRequest,
    /// A bearer token issued in this region: that region's API host only.
    Token(&'static Region),
    /// Nothing secret.
    Nothing,
}

/// Why gcdoctor did not send a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The request budget of the run is spent.
    Budget,
    /// The host signalled throttling earlier in the run.
    Throttled(String),
    /// The secret or token would go to a host it does not belong to.
    HostNotAllowed(String),
    /// Plain `http://` with credentials.
    Insecure(String),
    /// The request cannot be expressed on the wire (e.g. a newline inside a header).
    Invalid(String),
    /// A method that could change something: gcdoctor sends only `POST …/oauth/token` and GETs.
    Method(String),
}

impl Refused {
    pub fn describe(&self) -> String {
        match self {
            Refused::Budget => "not sent: the run's request budget is spent".into(),
            Refused::Throttled(h) => {
                format!("not sent: {h} signalled throttling earlier in this run")
            }
            Refused::HostNotAllowed(h) => format!(
                "not sent: `{h}` is not a Genesys Cloud login/API host, and gcdoctor sends credentials only there (use --allow-host {h} to override)"
            ),
            Refused::Insecure(u) => format!(
                "not sent: `{u}` is plain http, and gcdoctor never sends credentials unencrypted"
            ),
            Refused::Method(m) => format!(
                "not sent: gcdoctor sends only POST to /oauth/token and GET requests, never {m}: it changes nothing in your org"
            ),
            Refused::Invalid(why) => format!(
                "not sent: the request cannot go on the wire as written ({why}); your HTTP library would refuse it too"
            ),
        }
    }
}

/// The result of one request.
#[derive(Clone, Debug)]
pub enum Sent {
    Response(Response),
    Failed { failure: Failure, n: usize },
    NotSent(Refused),
}

/// Transport counters for reports and the benchmark.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub sent: usize,
    /// Requests per host.
    pub per_host: BTreeMap<String, usize>,
    /// Highest number of requests in flight at once, per host.
    pub max_in_flight: BTreeMap<String, usize>,
    /// Highest number of requests in flight at once, overall.
    pub max_in_flight_total: usize,
}

#[derive(Default)]
struct HostState {
    in_flight: usize,
    max_in_flight: usize,
    count: usize,
}

/// What every run of one process shares: the HTTP client, the per-host limits, the hosts
/// that signalled throttling, and the counters. A batch of diagnoses shares one, so its
/// per-host limits and throttling stop hold across clients.
#[derive(Default)]
pub struct Shared {
    client: OnceLock<Result<reqwest::Client, String>>,
    wire: OnceLock<Result<Arc<Wire>, String>>,
    proxies: OnceLock<Matcher>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    limits: Mutex<HashMap<String, Arc<Semaphore>>>,
    hosts: Mutex<BTreeMap<String, HostState>>,
    throttled: Mutex<Vec<String>>,
}

/// The HTTP client of a run.
pub struct Transport {
    opts: TransportOptions,
    shared: Arc<Shared>,
    sent: AtomicUsize,
    exchanges: Mutex<Vec<Exchange>>,
    /// Exchanges not shown yet: showing scrubs with the redactor, whose automaton is rebuilt
    /// after every token it learns (milliseconds), so it is done when the record is read,
    /// not between one round's answer and the next round's requests.
    unshown: Mutex<Vec<Unshown>>,
    redactor: Arc<Mutex<Redactor>>,
}

/// An exchange as it happened, to be shown (redacted) when the record is read. It lives only
/// in memory, like the answers the probes hold.
struct Unshown {
    n: usize,
    purpose: String,
    request: HttpRequest,
    response: Option<Response>,
    error: Option<String>,
    elapsed_ms: u64,
}

impl Transport {
    pub fn new(opts: TransportOptions, redactor: Arc<Mutex<Redactor>>) -> Transport {
        Transport::with_shared(opts, redactor, Arc::new(Shared::default()))
    }

    /// A transport with its own budget and record, sharing client, limits and throttling.
    pub fn with_shared(
        opts: TransportOptions,
        redactor: Arc<Mutex<Redactor>>,
        shared: Arc<Shared>,
    ) -> Transport {
        Transport {
            opts,
            shared,
            sent: AtomicUsize::new(0),
            exchanges: Mutex::new(Vec::new()),
            unshown: Mutex::new(Vec::new()),
            redactor,
        }
    }

    /// Adds everything this transport's redactor knows (tokens it saw) to another one.
    pub fn redactor_into(&self, other: &mut Redactor) {
        other.merge(&lock(&self.redactor));
    }

    /// The shared part, for sibling transports.
    pub fn shared(&self) -> Arc<Shared> {
        self.shared.clone()
    }

    pub fn options(&self) -> &TransportOptions {
        &self.opts
    }

    /// True when requests go to the test seam (plain or TLS).
    pub fn uses_seam(&self) -> bool {
        self.opts.connect_to.is_some() || self.opts.tls_seam.is_some()
    }

    /// Requests sent so far.
    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::SeqCst)
    }

    /// Requests the budget still allows.
    pub fn remaining(&self) -> usize {
        self.opts.budget.saturating_sub(self.sent())
    }

    pub fn stats(&self) -> Stats {
        let hosts = lock(&self.shared.hosts);
        Stats {
            sent: self.sent(),
            per_host: hosts.iter().map(|(h, s)| (h.clone(), s.count)).collect(),
            max_in_flight: hosts
                .iter()
                .map(|(h, s)| (h.clone(), s.max_in_flight))
                .collect(),
            max_in_flight_total: self.shared.max_in_flight.load(Ordering::SeqCst),
        }
    }

    /// The redacted record of every request, in the order sent.
    pub fn exchanges(&self) -> Vec<Exchange> {
        let unshown = std::mem::take(&mut *lock(&self.unshown));
        let shown: Vec<Exchange> = unshown
            .into_iter()
            .map(|u| Exchange {
                n: u.n,
                purpose: u.purpose,
                request: self.show_request(&u.request),
                response: u.response.as_ref().map(|r| self.show_response(r)),
                error: u.error,
                elapsed_ms: u.elapsed_ms,
            })
            .collect();
        let mut v = {
            let mut all = lock(&self.exchanges);
            all.extend(shown);
            all.clone()
        };
        v.sort_by_key(|e| e.n);
        v
    }

    /// True once the host has signalled throttling.
    pub fn is_throttled(&self, host: &str) -> bool {
        lock(&self.shared.throttled).iter().any(|h| h == host)
    }

    /// Whether a host name resolves. Under the seam, hosts under a region domain resolve and
    /// every other host does not (contract §3).
    pub async fn resolves(&self, host: &str) -> bool {
        if self.uses_seam() {
            return region::classify_host(host) != HostKind::Unknown;
        }
        let lookup = tokio::net::lookup_host((host.to_string(), 443));
        match tokio::time::timeout(self.opts.timeout, lookup).await {
            Ok(Ok(mut addrs)) => addrs.next().is_some(),
            _ => false,
        }
    }

    /// The client for this URL: reqwest through the proxy the environment names, else the
    /// direct connections (always under the seams). Built once, lazily: loading the system's
    /// roots costs a few milliseconds that `--version` should not pay.
    fn path_for(&self, url: &url::Url) -> Result<Path<'_>, String> {
        if let Some(p) = self.proxy(url) {
            let c = self
                .shared
                .client
                .get_or_init(|| via_proxy::client(&self.opts))
                .as_ref()
                .map_err(Clone::clone)?;
            return Ok(Path::Proxy(c, p));
        }
        self.wire().map(Path::Wire)
    }

    /// The proxy a request to this URL goes through: the environment's (named as
    /// [`proxy_for`] names it), else the system's settings (macOS, Windows); none under
    /// the seams.
    fn proxy(&self, url: &url::Url) -> Option<String> {
        if self.uses_seam() {
            return None;
        }
        proxy_for(url, false, &|k| std::env::var(k).ok()).or_else(|| {
            let uri: hyper::Uri = url.as_str().parse().ok()?;
            let system = self.shared.proxies.get_or_init(Matcher::from_system);
            system
                .intercept(&uri)
                .map(|i| format!("{} from the system's proxy settings", i.uri()))
        })
    }

    fn wire(&self) -> Result<Arc<Wire>, String> {
        self.shared
            .wire
            .get_or_init(|| {
                let connect = self.opts.timeout.min(Duration::from_secs(10));
                let wire = match (&self.opts.connect_to, &self.opts.tls_seam) {
                    (Some(addr), _) => Wire::new(Route::Plain(addr.clone()), None, connect),
                    (None, Some(seam)) => Wire::new(
                        Route::Tls(seam.addr.clone()),
                        Some(tls::test_ca(seam)?),
                        connect,
                    ),
                    (None, None) => Wire::new(Route::Direct, Some(tls::system()?), connect),
                };
                Ok(Arc::new(wire))
            })
            .clone()
    }

    /// Opens connections (TCP and TLS, no request) in the background to the hosts of these
    /// URLs that the next round may need, so that a request that follows finds its connection
    /// ready instead of paying two more round trips. Never through a proxy, never under the
    /// plain seam (it is plain HTTP/1.1 for tests), never to a host that signalled throttling;
    /// at most one connection per host, and none to a host that already has one.
    pub fn preopen(&self, urls: &[String]) {
        if self.opts.connect_to.is_some() || tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        for u in urls {
            let Ok(url) = url::Url::parse(u) else {
                continue;
            };
            let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
            if self.is_throttled(&host) {
                continue;
            }
            if let Ok(Path::Wire(w)) = self.path_for(&url) {
                w.preopen(Origin::of(&url));
            }
        }
    }

    /// Checks where a request may go (contract §3).
    pub fn check_policy(&self, url: &url::Url, carries: Carries) -> Result<(), Refused> {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let allowed = self
            .opts
            .allow_hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(&host));
        let kind = region::classify_host(&host);
        let ok = match carries {
            Carries::Nothing => true,
            Carries::Credentials => matches!(kind, HostKind::Login(_)) || allowed,
            Carries::UserRequest => {
                matches!(kind, HostKind::Login(_) | HostKind::Api(_)) || allowed
            }
            Carries::Token(r) => kind == HostKind::Api(r),
        };
        if !ok {
            return Err(Refused::HostNotAllowed(host));
        }
        if carries != Carries::Nothing && url.scheme() != "https" {
            return Err(Refused::Insecure(url.to_string()));
        }
        Ok(())
    }

    /// Sends a request, within the run's rules. `purpose` labels it in the report.
    pub async fn send(&self, req: &HttpRequest, purpose: &str, carries: Carries) -> Sent {
        let url = match url::Url::parse(&req.url) {
            Ok(u) if u.has_host() && matches!(u.scheme(), "http" | "https") => u,
            _ => {
                return Sent::NotSent(Refused::Invalid(format!(
                    "`{}` is not an http(s) URL",
                    req.url
                )));
            }
        };
        if let Err(r) = check_method(&req.method, &url) {
            return Sent::NotSent(r);
        }
        if let Err(r) = self.check_policy(&url, carries) {
            return Sent::NotSent(r);
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let built = match Outgoing::new(req, &url) {
            Ok(b) => b,
            Err(r) => return Sent::NotSent(r),
        };
        if let Err(why) = self.path_for(&url) {
            return Sent::NotSent(Refused::Invalid(why));
        }
        let sem = {
            let mut l = lock(&self.shared.limits);
            l.entry(host.clone())
                .or_insert_with(|| Arc::new(Semaphore::new(self.opts.per_host.max(1))))
                .clone()
        };
        let _permit = match sem.acquire().await {
            Ok(p) => p,
            Err(_) => return Sent::NotSent(Refused::Budget),
        };
        if self.is_throttled(&host) {
            return Sent::NotSent(Refused::Throttled(host));
        }
        // Take a place in the budget.
        let n = match self
            .sent
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |s| {
                (s < self.opts.budget).then_some(s + 1)
            }) {
            Ok(prev) => prev + 1,
            Err(_) => return Sent::NotSent(Refused::Budget),
        };
        self.enter(&host);
        let started = Instant::now();
        let result = self.execute(&built).await;
        self.leave(&host);
        let elapsed = started.elapsed();
        match result {
            Ok(Answer {
                status,
                headers,
                body,
                truncated,
            }) => {
                let resp = Response {
                    status,
                    headers,
                    body,
                    truncated,
                    elapsed,
                    n,
                };
                self.note_tokens(&resp);
                if is_throttling(&host, &resp) {
                    lock(&self.shared.throttled).push(host.clone());
                }
                self.record(Unshown {
                    n,
                    purpose: purpose.to_string(),
                    request: req.clone(),
                    response: Some(resp.clone()),
                    error: None,
                    elapsed_ms: elapsed.as_millis() as u64,
                });
                Sent::Response(resp)
            }
            Err(failure) => {
                self.record(Unshown {
                    n,
                    purpose: purpose.to_string(),
                    request: req.clone(),
                    response: None,
                    error: Some(failure.describe()),
                    elapsed_ms: elapsed.as_millis() as u64,
                });
                Sent::Failed { failure, n }
            }
        }
    }

    /// Sends a checked request on the path its URL takes, within the timeout.
    async fn execute(&self, out: &Outgoing) -> Result<Answer, Failure> {
        let timeout = self.opts.timeout;
        let path = self.path_for(&out.url).map_err(Failure::Tls)?;
        match path {
            Path::Wire(w) => match tokio::time::timeout(timeout, w.send(out)).await {
                Ok(r) => r,
                Err(_) => Err(Failure::Timeout(timeout)),
            },
            Path::Proxy(c, proxy) => {
                // reqwest's timeout covers the body too; this outer bound is a second guard.
                let fut = via_proxy::send(c, out, timeout);
                match tokio::time::timeout(timeout + Duration::from_millis(250), fut).await {
                    Ok(r) => r,
                    Err(_) => Err(Failure::Timeout(timeout)),
                }
                .map_err(|f| via_proxy::through_proxy(f, &proxy))
            }
        }
    }

    fn enter(&self, host: &str) {
        let mut hosts = lock(&self.shared.hosts);
        let s = hosts.entry(host.to_string()).or_default();
        s.in_flight += 1;
        s.count += 1;
        s.max_in_flight = s.max_in_flight.max(s.in_flight);
        let now = self.shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
    }

    fn leave(&self, host: &str) {
        let mut hosts = lock(&self.shared.hosts);
        if let Some(s) = hosts.get_mut(host) {
            s.in_flight = s.in_flight.saturating_sub(1);
        }
        self.shared.in_flight.fetch_sub(1, Ordering::SeqCst);
    }

    fn record(&self, e: Unshown) {
        lock(&self.unshown).push(e);
    }

    /// Registers any access token in an answer with the redactor before it is shown.
    fn note_tokens(&self, resp: &Response) {
        if let Some(serde_json::Value::Object(m)) = resp.json() {
            for key in ["access_token", "refresh_token", "id_token"] {
                if let Some(serde_json::Value::String(t)) = m.get(key) {
                    let mut r = lock(&self.redactor);
                    r.add(t);
                    crate::secret::register_for_panics(&r);
                }
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Only requests that cannot change anything: `POST` to a token endpoint, `GET`, `HEAD`.
fn check_method(method: &str, url: &url::Url) -> Result<(), Refused> {
    let m = method.to_ascii_uppercase();
    let token_path = url.path().trim_end_matches('/').ends_with("/oauth/token");
    match m.as_str() {
        "GET" | "HEAD" => Ok(()),
        "POST" if token_path => Ok(()),
        _ => Err(Refused::Method(format!("{m} {}", url.path()))),
    }
}

pub use crate::secret::basic::mask_authorization;

/// True for a parameter or field name that holds a credential in any spelling
/// (`client_secret`, `clientSecret`, `Client-Secret`, `password`, `access_token`, …).
pub fn is_secret_param(name: &str) -> bool {
    crate::secret::mask::is_secret_name(name)
}

/// A URL as the report shows it: userinfo and secret query values masked by structure.
pub(crate) fn mask_query_secrets(u: &str) -> String {
    crate::secret::mask::url(u)
}

/// A body as the report shows it: through the allow-list of `crate::secret::mask`.
pub(crate) fn mask_body_secrets(body: &str) -> String {
    crate::secret::mask::body(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::basic_value;

    #[test]
    fn authorization_is_masked_by_structure() {
        let v = basic_value(
            "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b",
            "k7Qp-2xZ_9vLmN4sT8wY",
        );
        let m = mask_authorization(&v);
        assert!(m.starts_with("Basic <redacted:"), "{m}");
        assert!(!m.contains(&v[6..]), "{m}");
        assert!(!m.contains("k7Qp"), "{m}");
        assert_eq!(
            mask_authorization("Bearer abcdef"),
            "Bearer <redacted: 6 chars>"
        );
    }

    #[test]
    fn body_and_query_secrets_are_masked() {
        assert_eq!(
            mask_body_secrets("grant_type=client_credentials&client_id=x&client_secret=ab%2Bc"),
            "grant_type=client_credentials&client_id=<redacted: 1 char: letters>&client_secret=<redacted: 6 chars: letters, digits, '%'>"
        );
        assert!(mask_body_secrets(r#"{"client_secret":"zz","a":1}"#).contains("<redacted"));
        let u = mask_query_secrets(
            "https://login.mypurecloud.com/oauth/token?client_secret=abc&grant_type=x",
        );
        assert!(
            u.contains("client_secret=<redacted") && !u.contains("abc"),
            "{u}"
        );
    }

    fn policy(url: &str, carries: Carries, allow: &[&str]) -> Result<(), Refused> {
        let t = Transport::new(
            TransportOptions {
                allow_hosts: allow.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            },
            Default::default(),
        );
        t.check_policy(&url::Url::parse(url).unwrap(), carries)
    }

    #[test]
    fn the_proxy_in_use_is_named_without_credentials() {
        let u = url::Url::parse("https://login.mypurecloud.ie/oauth/token").unwrap();
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let e = env(&[("HTTPS_PROXY", "http://user:pw@proxy.corp:3128")]);
        assert_eq!(
            proxy_for(&u, false, &e).as_deref(),
            Some("http://proxy.corp:3128 from HTTPS_PROXY")
        );
        assert_eq!(proxy_for(&u, true, &e), None);
        let e = env(&[
            ("https_proxy", "http://p:8080"),
            ("NO_PROXY", ".mypurecloud.ie"),
        ]);
        assert_eq!(proxy_for(&u, false, &e), None);
        assert_eq!(proxy_for(&u, false, &env(&[])), None);
    }

    #[test]
    fn only_token_posts_and_reads_are_sent() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert!(check_method("POST", &u("https://login.mypurecloud.ie/oauth/token")).is_ok());
        assert!(check_method("get", &u("https://api.mypurecloud.ie/api/v2/users")).is_ok());
        assert!(check_method("POST", &u("https://api.mypurecloud.ie/api/v2/users")).is_err());
        assert!(check_method("DELETE", &u("https://api.mypurecloud.ie/api/v2/tokens/me")).is_err());
        assert!(check_method("PUT", &u("https://login.mypurecloud.ie/oauth/token")).is_err());
    }

    #[test]
    fn secrets_go_only_to_genesys_hosts() {
        let eu = region::by_key("eu-west-1").unwrap();
        let us = region::by_key("us-east-1").unwrap();
        assert!(
            policy(
                "https://login.mypurecloud.ie/oauth/token",
                Carries::Credentials,
                &[]
            )
            .is_ok()
        );
        assert!(
            policy(
                "https://api.mypurecloud.ie/oauth/token",
                Carries::Credentials,
                &[]
            )
            .is_err()
        );
        assert!(
            policy(
                "https://api.mypurecloud.ie/oauth/token",
                Carries::UserRequest,
                &[]
            )
            .is_ok()
        );
        assert!(
            policy(
                "https://api.us.genesys.cloud/oauth/token",
                Carries::UserRequest,
                &[]
            )
            .is_err()
        );
        assert!(
            policy(
                "https://api.us.genesys.cloud/oauth/token",
                Carries::UserRequest,
                &["api.us.genesys.cloud"]
            )
            .is_ok()
        );
        assert!(
            policy(
                "http://login.mypurecloud.ie/oauth/token",
                Carries::Credentials,
                &[]
            )
            .is_err()
        );
        assert!(
            policy(
                "https://api.mypurecloud.ie/api/v2/organizations/me",
                Carries::Token(eu),
                &[]
            )
            .is_ok()
        );
        assert!(
            policy(
                "https://api.mypurecloud.com/api/v2/organizations/me",
                Carries::Token(eu),
                &[]
            )
            .is_err()
        );
        assert!(
            policy(
                "https://api.mypurecloud.com/api/v2/organizations/me",
                Carries::Token(us),
                &[]
            )
            .is_ok()
        );
    }
}
