//! Direct connections: dialling, reuse, HTTP/2, and pre-opening (issue 15).
//!
//! # Plan
//!
//! On a real network every new host costs a TCP and a TLS handshake (two round trips) before
//! the request's own round trip. A diagnosis moves from host to host (the target's login
//! host, then the API host for the token check, or every other region's login host for the
//! scan), so this module owns the connections to the hosts gcdoctor reaches directly (not
//! through a proxy: `via_proxy` does that):
//!
//! * `dial`: the address (a name lookup, or the seam's address), TCP, then TLS offering
//!   `h2` and `http/1.1` by ALPN. The plain seam (contract §3) is plain HTTP/1.1, always.
//! * A pool per origin (scheme, host, port): one HTTP/2 connection shared by every request,
//!   or idle HTTP/1.1 connections reused once their answer has been read. While a
//!   connection to an origin is being opened and may turn out to be HTTP/2, a request to it
//!   waits for that connection instead of opening its own (an origin seen to speak only
//!   HTTP/1.1 gets no such wait).
//! * [`Wire::preopen`]: opens a connection (TCP, TLS and, for HTTP/2, the connection
//!   preface; no request) in the background to an origin that has none, so that the request
//!   that may follow finds it ready. Which origins to pre-open is the caller's decision
//!   (`Transport::preopen`); a pre-open never carries anything and is not a request.
//!
//! Nothing here decides what is sent or to whom: the transport has checked the request, its
//! host, the budget and the per-host limit before it gets here.

use super::Failure;
use super::failure::{classify_chain, describe_tls};
use super::outgoing::{Answer, Outgoing};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::{http1, http2};
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::watch;

/// Where connections go.
#[derive(Clone, Debug)]
pub(crate) enum Route {
    /// To the URL's host, by name lookup.
    Direct,
    /// The plain seam: every connection to this `HOST:PORT`, plain HTTP/1.1.
    Plain(String),
    /// The TLS seam: every connection to this `HOST:PORT`, over TLS.
    Tls(String),
}

/// Scheme, host and port: what one connection serves.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Origin {
    pub https: bool,
    pub host: String,
    pub port: u16,
}

impl Origin {
    pub fn of(url: &url::Url) -> Origin {
        Origin {
            https: url.scheme() == "https",
            host: url.host_str().unwrap_or_default().to_ascii_lowercase(),
            port: url.port_or_known_default().unwrap_or(443),
        }
    }
}

trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

type Body = Full<Bytes>;

enum Sender {
    H1(http1::SendRequest<Body>),
    H2(http2::SendRequest<Body>),
}

#[derive(Default)]
struct Slot {
    h2: Option<http2::SendRequest<Body>>,
    idle: Vec<http1::SendRequest<Body>>,
    /// Connections being opened.
    opening: usize,
    /// Whether the origin spoke HTTP/2 last time (`None`: never connected yet).
    h2_seen: Option<bool>,
}

/// The direct connections of a process.
pub(crate) struct Wire {
    route: Route,
    tls: Option<Arc<rustls::ClientConfig>>,
    connect_timeout: Duration,
    slots: Mutex<HashMap<Origin, Slot>>,
    /// Bumped whenever a connection is opened or fails to open.
    changed: watch::Sender<u64>,
}

/// Counts a connection being opened; uncounts it (and wakes waiters) however that ends.
struct Opening {
    wire: Arc<Wire>,
    origin: Origin,
}

impl Drop for Opening {
    fn drop(&mut self) {
        if let Some(s) = lock(&self.wire.slots).get_mut(&self.origin) {
            s.opening = s.opening.saturating_sub(1);
        }
        self.wire.changed.send_modify(|n| *n += 1);
    }
}

impl Wire {
    /// `tls` is required unless the route is the plain seam.
    pub fn new(
        route: Route,
        tls: Option<Arc<rustls::ClientConfig>>,
        connect_timeout: Duration,
    ) -> Wire {
        Wire {
            route,
            tls,
            connect_timeout,
            slots: Mutex::new(HashMap::new()),
            changed: watch::channel(0).0,
        }
    }

    /// True when connections to `o` are TLS (and so may negotiate HTTP/2).
    fn uses_tls(&self, o: &Origin) -> bool {
        match self.route {
            Route::Direct => o.https,
            Route::Plain(_) => false,
            Route::Tls(_) => true,
        }
    }

    /// Opens a connection to `o` in the background if it has none and none is being opened.
    /// Must be called within the tokio runtime.
    pub fn preopen(self: &Arc<Self>, o: Origin) {
        {
            let mut slots = lock(&self.slots);
            let s = slots.entry(o.clone()).or_default();
            if s.h2.as_ref().is_some_and(|c| !c.is_closed())
                || s.idle.iter().any(|c| !c.is_closed())
                || s.opening > 0
            {
                return;
            }
            s.opening += 1;
        }
        let wire = Arc::clone(self);
        tokio::spawn(async move {
            let guard = Opening {
                wire: Arc::clone(&wire),
                origin: o.clone(),
            };
            if let Ok(sender) = wire.open(&o).await {
                let mut slots = lock(&wire.slots);
                let s = slots.entry(o).or_default();
                match sender {
                    Sender::H2(c) => {
                        s.h2_seen = Some(true);
                        s.h2 = Some(c);
                    }
                    Sender::H1(c) => {
                        s.h2_seen = Some(false);
                        s.idle.push(c);
                    }
                }
            }
            drop(guard);
        });
    }

    /// A connection for `o`: the shared HTTP/2 one, an idle HTTP/1.1 one, the one being
    /// opened, or a new one. The flag says whether it was reused (idle HTTP/1.1).
    async fn sender(self: &Arc<Self>, o: &Origin) -> Result<(Sender, bool), Failure> {
        loop {
            let mut changed = self.changed.subscribe();
            {
                let mut slots = lock(&self.slots);
                let s = slots.entry(o.clone()).or_default();
                if let Some(c) = &s.h2 {
                    if !c.is_closed() {
                        return Ok((Sender::H2(c.clone()), false));
                    }
                    s.h2 = None;
                }
                s.idle.retain(|c| !c.is_closed());
                if let Some(c) = s.idle.pop() {
                    return Ok((Sender::H1(c), true));
                }
                let may_share = self.uses_tls(o) && s.h2_seen != Some(false);
                if s.opening == 0 || !may_share {
                    s.opening += 1;
                    break;
                }
            }
            // A connection is being opened and may be HTTP/2: wait for it.
            if changed.changed().await.is_err() {
                break;
            }
        }
        let guard = Opening {
            wire: Arc::clone(self),
            origin: o.clone(),
        };
        let sender = self.open(o).await;
        if let Ok(s) = &sender {
            let mut slots = lock(&self.slots);
            let slot = slots.entry(o.clone()).or_default();
            match s {
                Sender::H2(c) => {
                    slot.h2_seen = Some(true);
                    slot.h2 = Some(c.clone());
                }
                Sender::H1(_) => slot.h2_seen = Some(false),
            }
        }
        drop(guard);
        sender.map(|s| (s, false))
    }

    /// Dials and hands the connection to hyper.
    async fn open(&self, o: &Origin) -> Result<Sender, Failure> {
        let (io, h2) = tokio::time::timeout(self.connect_timeout, self.dial(o))
            .await
            .map_err(|_| Failure::Timeout(self.connect_timeout))??;
        let io = TokioIo::new(io);
        if h2 {
            let (send, conn) = http2::handshake(TokioExecutor::new(), io)
                .await
                .map_err(|e| classify_chain(&e, true, self.connect_timeout))?;
            tokio::spawn(conn);
            Ok(Sender::H2(send))
        } else {
            let (send, conn) = http1::handshake(io)
                .await
                .map_err(|e| classify_chain(&e, true, self.connect_timeout))?;
            tokio::spawn(conn);
            Ok(Sender::H1(send))
        }
    }

    /// Address, TCP, TLS. Returns the stream and whether HTTP/2 was negotiated.
    async fn dial(&self, o: &Origin) -> Result<(Box<dyn Io>, bool), Failure> {
        let target = match &self.route {
            Route::Direct => format!("{}:{}", bracketed(&o.host), o.port),
            Route::Plain(a) | Route::Tls(a) => a.clone(),
        };
        let mut addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host(target.as_str())
            .await
            .map_err(|e| Failure::Dns(e.to_string()))?
            .collect();
        if addrs.is_empty() {
            return Err(Failure::Dns(format!("no address for {target}")));
        }
        // IPv4 first, and no address may take the whole connect timeout: a network with
        // broken IPv6 then still connects over IPv4.
        addrs.sort_by_key(|a| a.is_ipv6());
        let each = (self.connect_timeout / addrs.len() as u32).max(Duration::from_secs(2));
        let mut last = None;
        let mut tcp = None;
        for a in addrs {
            match tokio::time::timeout(each, tokio::net::TcpStream::connect(a)).await {
                Ok(Ok(s)) => {
                    tcp = Some(s);
                    break;
                }
                Ok(Err(e)) => last = Some(e),
                Err(_) => last = Some(std::io::ErrorKind::TimedOut.into()),
            }
        }
        let tcp = match (tcp, last) {
            (Some(s), _) => s,
            (None, Some(e)) => return Err(classify_chain(&e, true, self.connect_timeout)),
            (None, None) => return Err(Failure::Connect(format!("cannot reach {target}"))),
        };
        let _ = tcp.set_nodelay(true);
        if !self.uses_tls(o) {
            return Ok((Box::new(tcp), false));
        }
        let config = self
            .tls
            .clone()
            .ok_or_else(|| Failure::Tls("TLS is not set up".into()))?;
        let name = rustls::pki_types::ServerName::try_from(o.host.clone())
            .map_err(|_| Failure::Tls(format!("`{}` is not a valid TLS server name", o.host)))?;
        let tls = tokio_rustls::TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .map_err(
                |e| match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                    Some(t) => Failure::Tls(describe_tls(t)),
                    None => classify_chain(&e, true, self.connect_timeout),
                },
            )?;
        let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2".as_slice());
        Ok((Box::new(tls), h2))
    }

    /// Sends a request and reads its answer within the limits.
    pub async fn send(self: &Arc<Self>, out: &Outgoing) -> Result<Answer, Failure> {
        let origin = Origin::of(&out.url);
        let (sender, reused) = self.sender(&origin).await?;
        match sender {
            Sender::H2(mut c) => {
                let resp = c
                    .send_request(self.request(out, true)?)
                    .await
                    .map_err(|e| classify_chain(&e, false, self.connect_timeout))?;
                read(resp).await
            }
            Sender::H1(c) => {
                let (c, resp) = match self.send_h1(c, out).await {
                    // An idle connection the server had closed: the request never left;
                    // send it once more on a new connection.
                    Err(None) if reused => {
                        let (fresh, _) = self.sender(&origin).await?;
                        match fresh {
                            Sender::H1(f) => self.send_h1(f, out).await,
                            Sender::H2(mut f) => {
                                let resp = f
                                    .send_request(self.request(out, true)?)
                                    .await
                                    .map_err(|e| classify_chain(&e, false, self.connect_timeout))?;
                                return read(resp).await;
                            }
                        }
                    }
                    other => other,
                }
                .map_err(|e| {
                    e.unwrap_or_else(|| {
                        Failure::Connect(
                            "the connection was reset or closed before an answer".into(),
                        )
                    })
                })?;
                let keep = !resp
                    .headers()
                    .get(hyper::header::CONNECTION)
                    .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"close"));
                let answer = read(resp).await?;
                if keep && !answer.truncated {
                    lock(&self.slots).entry(origin).or_default().idle.push(c);
                }
                Ok(answer)
            }
        }
    }

    /// One HTTP/1.1 exchange; `Err(None)` when the request was not sent at all.
    async fn send_h1(
        &self,
        mut c: http1::SendRequest<Body>,
        out: &Outgoing,
    ) -> Result<
        (
            http1::SendRequest<Body>,
            hyper::Response<hyper::body::Incoming>,
        ),
        Option<Failure>,
    > {
        if c.ready().await.is_err() {
            return Err(None);
        }
        let req = self.request(out, false).map_err(Some)?;
        match c.try_send_request(req).await {
            Ok(resp) => Ok((c, resp)),
            Err(mut e) => match e.take_message() {
                Some(_) => Err(None),
                None => Err(Some(classify_chain(e.error(), false, self.connect_timeout))),
            },
        }
    }

    /// The hyper request: absolute URI for HTTP/2 (`:authority` is the original host),
    /// origin form and `Host` for HTTP/1.1.
    fn request(&self, out: &Outgoing, h2: bool) -> Result<hyper::Request<Body>, Failure> {
        let uri = if h2 {
            format!("https://{}{}", out.host_header(), out.target())
        } else {
            out.target()
        };
        let mut b = hyper::Request::builder()
            .method(out.method.clone())
            .uri(uri);
        if let Some(h) = b.headers_mut() {
            *h = out.headers.clone();
            if !h2 && let Ok(v) = hyper::header::HeaderValue::from_str(&out.host_header()) {
                h.insert(hyper::header::HOST, v);
            }
        }
        b.body(Full::new(out.body.clone()))
            .map_err(|e| Failure::Protocol(format!("the request cannot be built: {e}")))
    }
}

/// Reads an answer's body up to the limit.
async fn read(resp: hyper::Response<hyper::body::Incoming>) -> Result<Answer, Failure> {
    let mut answer = Answer::head(resp.status().as_u16(), resp.headers());
    let mut body = resp.into_body();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| classify_chain(&e, false, Duration::ZERO))?;
        if let Ok(data) = frame.into_data()
            && !answer.push(&data)
        {
            break;
        }
    }
    Ok(answer)
}

fn bracketed(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
