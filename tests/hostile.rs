//! Hostile and broken servers: what gcdoctor does when the other end misbehaves.
//!
//! Real networks between a user and `login.<domain>` are full of things that are not the
//! Genesys login service: captive portals, TLS-inspecting proxies, load balancers that reset,
//! servers that never answer or drip bytes, bodies of any size. Each test here starts a small
//! misbehaving server on 127.0.0.1 (raw HTTP/1.1 bytes from a tokio `TcpListener`), points
//! the real binary at it through the test seam (`GCDOCTOR_CONNECT_TO`) or, for TLS and proxy
//! failures, through `HTTPS_PROXY`, and checks the promise: the right finding (GC104 network,
//! GC501 throttled, GC502 service error) in plain words, exit 1 or 3, no panic, no hang (the
//! wall time of the whole run is bounded), the secret sent nowhere but a login host, and no
//! secret in any output (every run is scanned by `common::capture`).
//!
//! Timeouts are short (`--timeout 1`) and every bound on wall time is generous (several times
//! the expected value), so the tests are neither slow nor flaky on a loaded machine.

mod common;
use common::*;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with each connection.
#[derive(Clone)]
enum Act {
    /// Reads the request and never answers (holds the connection open).
    Silent,
    /// Resets the connection (RST) as soon as it is accepted.
    ResetOnAccept,
    /// Reads the request, then resets the connection.
    ResetAfterRequest,
    /// Reads the request, then closes the connection without a byte.
    CloseAfterRequest,
    /// Reads the request, writes these bytes, closes.
    Reply(Vec<u8>),
    /// Reads the request, then writes these bytes one at a time, `every` apart.
    Drip { bytes: Vec<u8>, every: Duration },
    /// Reads the request, answers 200 with a body of `size` bytes, as fast as it is read.
    Huge { size: u64 },
    /// An HTTPS proxy (`HTTPS_PROXY`): answers each CONNECT as told.
    Proxy(Tunnel),
}

/// What a hostile proxy does with a CONNECT.
#[derive(Clone, Copy)]
enum Tunnel {
    /// 407 Proxy Authentication Required.
    Refuse,
    /// 200, then plain-text HTTP instead of a TLS handshake.
    NotTls,
    /// 200, then a TLS handshake with a self-signed certificate (a TLS-inspecting proxy whose
    /// CA the machine does not trust).
    UntrustedTls,
}

#[derive(Default)]
struct Seen {
    connections: AtomicUsize,
    /// Body bytes written by [`Act::Huge`].
    written: AtomicU64,
    /// TLS handshakes that completed (the client trusted the certificate).
    handshakes: AtomicUsize,
    /// Every request (head and body, lossy text), in order of arrival.
    requests: Mutex<Vec<String>>,
}

/// A misbehaving server on 127.0.0.1, on its own runtime; dropping it stops everything.
struct Hostile {
    addr: SocketAddr,
    seen: Arc<Seen>,
    rt: Option<tokio::runtime::Runtime>,
}

impl Hostile {
    fn start(act: Act) -> Hostile {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Seen::default());
        let s = seen.clone();
        rt.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                s.connections.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, act.clone(), s.clone()));
            }
        });
        Hostile {
            addr,
            seen,
            rt: Some(rt),
        }
    }

    fn addr(&self) -> String {
        self.addr.to_string()
    }

    fn connections(&self) -> usize {
        self.seen.connections.load(Ordering::SeqCst)
    }

    fn requests(&self) -> Vec<String> {
        self.seen.requests.lock().unwrap().clone()
    }

    /// Asserts that every request that carried the secret (in any form) was for a login host.
    fn assert_secret_only_to_login_hosts(&self, secret: &str) {
        for r in self.requests() {
            let host = r
                .lines()
                .find_map(|l| {
                    l.split_once(':')
                        .filter(|(k, _)| k.eq_ignore_ascii_case("host"))
                        .map(|(_, v)| v.trim().to_string())
                })
                .unwrap_or_default();
            let carries = find_leak(&r, &[secret]).is_some();
            assert!(
                !carries || host.starts_with("login."),
                "the secret went to {host}:\n{r}"
            );
        }
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// Reads one request (head, then a `Content-Length` body), at most 64 KiB.
async fn read_request(s: &mut TcpStream, seen: &Seen) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 65536 {
            return None;
        }
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
        .min(65536);
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    seen.requests.lock().unwrap().push(text.clone());
    Some(text)
}

async fn serve(mut s: TcpStream, act: Act, seen: Arc<Seen>) {
    match act {
        Act::ResetOnAccept => {
            let _ = s.set_zero_linger();
        }
        Act::Silent => {
            let _ = read_request(&mut s, &seen).await;
            // Bounded, and cut short when the server is dropped.
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Act::ResetAfterRequest => {
            let _ = read_request(&mut s, &seen).await;
            let _ = s.set_zero_linger();
        }
        Act::CloseAfterRequest => {
            let _ = read_request(&mut s, &seen).await;
            let _ = s.shutdown().await;
        }
        Act::Reply(bytes) => {
            if read_request(&mut s, &seen).await.is_some() {
                let _ = s.write_all(&bytes).await;
                let _ = s.shutdown().await;
            }
        }
        Act::Drip { bytes, every } => {
            if read_request(&mut s, &seen).await.is_some() {
                for b in bytes {
                    if s.write_all(&[b]).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(every).await;
                }
            }
        }
        Act::Huge { size } => {
            if read_request(&mut s, &seen).await.is_none() {
                return;
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {size}\r\n\r\n"
            );
            if s.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b'x'; 64 * 1024];
            let mut left = size;
            while left > 0 {
                let n = left.min(chunk.len() as u64) as usize;
                if s.write_all(&chunk[..n]).await.is_err() {
                    return;
                }
                seen.written.fetch_add(n as u64, Ordering::SeqCst);
                left -= n as u64;
            }
        }
        Act::Proxy(tunnel) => {
            let Some(req) = read_request(&mut s, &seen).await else {
                return;
            };
            if !req.starts_with("CONNECT ") {
                let _ = s
                    .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                    .await;
                return;
            }
            match tunnel {
                Tunnel::Refuse => {
                    let _ = s
                        .write_all(
                            b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n",
                        )
                        .await;
                }
                Tunnel::NotTls => {
                    let _ = s
                        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        .await;
                    let mut hello = [0u8; 512];
                    let _ = s.read(&mut hello).await;
                    let _ = s
                        .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 24\r\n\r\n<html>plain http</html>\n")
                        .await;
                }
                Tunnel::UntrustedTls => {
                    if s.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        .await
                        .is_err()
                    {
                        return;
                    }
                    let acceptor = tokio_rustls::TlsAcceptor::from(untrusted_tls_config());
                    if let Ok(mut tls) = acceptor.accept(s).await {
                        seen.handshakes.fetch_add(1, Ordering::SeqCst);
                        let mut buf = [0u8; 4096];
                        if let Ok(n) = tls.read(&mut buf).await {
                            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                            seen.requests.lock().unwrap().push(text);
                        }
                    }
                }
            }
        }
    }
}

/// A rustls server config with the self-signed certificate of `tests/fixtures`.
fn untrusted_tls_config() -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    gcdoctor::install_crypto_provider();
    let cert = CertificateDer::from(include_bytes!("fixtures/untrusted-cert.der").to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        include_bytes!("fixtures/untrusted-key.der").to_vec(),
    ));
    Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap(),
    )
}

/// Runs `gcdoctor diagnose --format json --timeout 1` for the main client with the hostile
/// secret, with `env` set; returns the run and its wall time.
fn run(args: &[&str], env: &[(&str, &str)]) -> (Run, Duration) {
    let (_d, f) = secret_file(HOSTILE_SECRET);
    let mut c = gcdoctor();
    c.env_remove("NO_PROXY").env_remove("no_proxy");
    c.args([
        "diagnose",
        "--format",
        "json",
        "--timeout",
        "1",
        "--client-id",
        MAIN_ID,
        "--client-secret-file",
        &f,
    ]);
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    // A safety net far above every bound asserted below: a hang fails, it does not block.
    c.timeout(Duration::from_secs(60));
    let t = Instant::now();
    let out = c.output().expect("runs");
    let elapsed = t.elapsed();
    let r = capture(out, &[]);
    assert_clean(&r);
    (r, elapsed)
}

/// Through the seam to `server`, region eu-west-1 unless `args` say otherwise.
fn run_at(server: &Hostile, args: &[&str]) -> (Run, Duration) {
    let mut a = vec!["--region", "eu-west-1"];
    a.extend_from_slice(args);
    run(&a, &[("GCDOCTOR_CONNECT_TO", &server.addr())])
}

/// Exit 1 or 3, one JSON report on stdout, no panic, no backtrace.
fn assert_clean(r: &Run) {
    assert!(
        r.code == 1 || r.code == 3,
        "exit {}\n{}\n{}",
        r.code,
        r.stdout,
        r.stderr
    );
    assert_eq!(r.json["schema"], "gcdoctor.report/v1", "{}", r.stdout);
    for s in [&r.stdout, &r.stderr] {
        assert!(!s.contains("panicked"), "{s}");
        assert!(!s.contains("RUST_BACKTRACE"), "{s}");
    }
}

fn summary(r: &Run) -> String {
    r.json["cause"]["summary"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// The cause's summary and evidence in one string.
fn cause_text(r: &Run) -> String {
    format!("{} {}", summary(r), r.json["cause"]["evidence"])
}

fn http(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut s = format!("HTTP/1.1 {status}\r\n");
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    s.into_bytes()
}

#[test]
fn no_answer_at_all_times_out_per_request_and_the_run_is_bounded() {
    let server = Hostile::start(Act::Silent);
    let (r, took) = run_at(&server, &[]);
    assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
    assert_eq!(r.code, 1);
    assert!(
        summary(&r).contains("no complete answer within 1 s"),
        "{}",
        summary(&r)
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
    server.assert_secret_only_to_login_hosts(HOSTILE_SECRET);
}

#[test]
fn no_answer_from_any_region_when_no_region_is_given() {
    // The sweep sends to every region's login host at once; none answers.
    let server = Hostile::start(Act::Silent);
    let (r, took) = run(&[], &[("GCDOCTOR_CONNECT_TO", &server.addr())]);
    assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
    assert!(
        cause_text(&r).contains("no region's login host gave an OAuth answer (18 tried)"),
        "{}",
        cause_text(&r)
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
    server.assert_secret_only_to_login_hosts(HOSTILE_SECRET);
}

#[test]
fn connection_reset_before_and_after_the_request() {
    for act in [Act::ResetOnAccept, Act::ResetAfterRequest] {
        let server = Hostile::start(act);
        let (r, took) = run_at(&server, &[]);
        assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
        assert!(
            summary(&r).contains("connection failed: the connection was reset"),
            "{}",
            summary(&r)
        );
        assert!(took < Duration::from_secs(10), "took {took:?}");
    }
}

#[test]
fn connection_closed_without_an_answer() {
    let server = Hostile::start(Act::CloseAfterRequest);
    let (r, _) = run_at(&server, &[]);
    assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
    assert!(summary(&r).contains("closed"), "{}", summary(&r));
}

#[test]
fn garbage_instead_of_http() {
    let server = Hostile::start(Act::Reply(
        b"SSH-2.0-OpenSSH_9.6\r\n\x00\x01\x02\xff\xfe garbage \x1b[31m\r\n\r\n".to_vec(),
    ));
    let (r, _) = run_at(&server, &[]);
    assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
    assert!(summary(&r).contains("not HTTP"), "{}", summary(&r));
}

#[test]
fn a_body_shorter_than_its_content_length() {
    let server = Hostile::start(Act::Reply(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"access_token\":\"abc"
            .to_vec(),
    ));
    let (r, _) = run_at(&server, &[]);
    assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
}

#[test]
fn tls_inspecting_proxy_with_an_untrusted_certificate() {
    // No seam: the real https URL of the login host, through a local proxy whose tunnel ends
    // in a TLS server with a self-signed certificate. Nothing leaves 127.0.0.1.
    let proxy = Hostile::start(Act::Proxy(Tunnel::UntrustedTls));
    let url = format!("http://{}", proxy.addr());
    let (r, took) = run(&["--region", "eu-west-1"], &[("HTTPS_PROXY", &url)]);
    assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
    let s = summary(&r);
    assert!(
        s.contains("TLS") && s.contains("not trusted") && s.contains("SSL_CERT_FILE"),
        "{s}"
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let connects = proxy.requests();
    assert!(
        connects
            .iter()
            .all(|c| c.starts_with("CONNECT login.mypurecloud.ie:443 ")),
        "{connects:?}"
    );
    assert_eq!(
        proxy.seen.handshakes.load(Ordering::SeqCst),
        0,
        "a handshake completed with an untrusted certificate"
    );
    proxy.assert_secret_only_to_login_hosts(HOSTILE_SECRET);
}

#[test]
fn tls_handshake_answered_in_plain_http() {
    let proxy = Hostile::start(Act::Proxy(Tunnel::NotTls));
    let url = format!("http://{}", proxy.addr());
    let (r, _) = run(&["--region", "eu-west-1"], &[("HTTPS_PROXY", &url)]);
    assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
    assert!(
        summary(&r).contains("does not speak TLS"),
        "{}",
        summary(&r)
    );
}

#[test]
fn proxy_refuses_the_tunnel() {
    let proxy = Hostile::start(Act::Proxy(Tunnel::Refuse));
    let url = format!("http://{}", proxy.addr());
    let (r, _) = run(&["--region", "eu-west-1"], &[("HTTPS_PROXY", &url)]);
    assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
    assert!(summary(&r).contains("proxy"), "{}", summary(&r));
}

#[test]
fn a_redirect_to_another_host_is_never_followed() {
    let elsewhere = Hostile::start(Act::Reply(http("200 OK", &[], "stolen")));
    let to = format!("http://{}/collect", elsewhere.addr());
    let server = Hostile::start(Act::Reply(http("302 Found", &[("Location", &to)], "")));
    let (r, _) = run_at(&server, &[]);
    assert_eq!(r.cause(), Some("GC502"), "{}", r.stdout);
    assert!(
        cause_text(&r).contains("not followed"),
        "{}",
        cause_text(&r)
    );
    assert_eq!(elsewhere.connections(), 0, "the redirect was followed");
    assert_eq!(server.requests().len() as u64, r.requests_sent());
}

#[test]
fn a_redirect_loop_is_never_followed() {
    let server = Hostile::start(Act::Reply(http(
        "307 Temporary Redirect",
        &[("Location", "https://login.mypurecloud.ie/oauth/token")],
        "",
    )));
    let (r, took) = run_at(&server, &[]);
    assert_eq!(r.cause(), Some("GC502"), "{}", r.stdout);
    assert_eq!(server.requests().len() as u64, r.requests_sent());
    assert!(r.requests_sent() <= 2, "{}", r.requests_sent());
    assert!(took < Duration::from_secs(10));
}

#[test]
fn a_captive_portal_page() {
    let page = "<!DOCTYPE html><html><head><title>Guest Wi-Fi: sign in</title></head><body><form action=\"/login\">Accept the terms</form></body></html>";
    let server = Hostile::start(Act::Reply(http(
        "200 OK",
        &[("Content-Type", "text/html; charset=utf-8")],
        page,
    )));
    let (r, _) = run_at(&server, &[]);
    assert_eq!(r.cause(), Some("GC502"), "{}", r.stdout);
    let t = cause_text(&r);
    assert!(
        t.contains("HTML page") && t.contains("Guest Wi-Fi: sign in"),
        "{t}"
    );
}

#[test]
fn an_html_page_from_a_blocking_proxy() {
    let page =
        "<html><head><title>Access Denied</title></head><body>Blocked by policy</body></html>";
    let server = Hostile::start(Act::Reply(http(
        "403 Forbidden",
        &[("Content-Type", "text/html")],
        page,
    )));
    let (r, _) = run_at(&server, &[]);
    assert_eq!(r.cause(), Some("GC502"), "{}", r.stdout);
    assert!(
        cause_text(&r).contains("Access Denied"),
        "{}",
        cause_text(&r)
    );
}

#[test]
fn invalid_and_truncated_json() {
    for (status, body) in [
        ("200 OK", "{\"access_token\": \"abc"),
        ("200 OK", "{\"access_token\": }"),
        ("400 Bad Request", "{\"error\": \"invalid_client\", \"descr"),
        ("401 Unauthorized", "[1, 2"),
    ] {
        let server = Hostile::start(Act::Reply(http(
            status,
            &[("Content-Type", "application/json")],
            body,
        )));
        let (r, _) = run_at(&server, &[]);
        assert_eq!(r.cause(), Some("GC502"), "{status} {body}: {}", r.stdout);
        assert!(
            cause_text(&r).contains("not JSON"),
            "{status} {body}: {}",
            cause_text(&r)
        );
    }
}

#[test]
fn an_empty_answer_and_a_503() {
    for (status, body) in [
        ("200 OK", ""),
        ("503 Service Unavailable", ""),
        ("502 Bad Gateway", "<html><title>502</title></html>"),
    ] {
        let server = Hostile::start(Act::Reply(http(status, &[], body)));
        let (r, _) = run_at(&server, &[]);
        assert_eq!(r.cause(), Some("GC502"), "{status}: {}", r.stdout);
    }
}

#[test]
fn a_100_mb_body_is_read_only_up_to_the_limit() {
    const SIZE: u64 = 100 * 1024 * 1024;
    let server = Hostile::start(Act::Huge { size: SIZE });
    let (r, took) = run_at(&server, &[]);
    assert_eq!(r.cause(), Some("GC502"), "{}", r.stdout);
    assert!(cause_text(&r).contains("truncated"), "{}", cause_text(&r));
    let ex = &r.json["exchanges"][0]["response"];
    assert_eq!(ex["truncated"], true, "{ex}");
    assert!(ex["body"].as_str().unwrap().len() <= 4096);
    // The client stopped reading at 1 MiB and hung up: the server could not write more than
    // that plus what the socket buffers hold.
    let written = server.seen.written.load(Ordering::SeqCst);
    assert!(written < 32 * 1024 * 1024, "{written} bytes were read");
    assert!(took < Duration::from_secs(15), "took {took:?}");
}

#[test]
fn the_transport_reads_at_most_max_body() {
    use gcdoctor::http::{Carries, MAX_BODY, Sent, Transport, TransportOptions};
    let server = Hostile::start(Act::Huge {
        size: 100 * 1024 * 1024,
    });
    let t = Transport::new(
        TransportOptions {
            connect_to: Some(server.addr()),
            timeout: Duration::from_secs(5),
            ..TransportOptions::default()
        },
        Default::default(),
    );
    let req = gcdoctor::request::canonical(
        "https://login.mypurecloud.ie/oauth/token",
        MAIN_ID,
        HOSTILE_SECRET,
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    match rt.block_on(t.send(&req, "huge", Carries::Credentials)) {
        Sent::Response(resp) => {
            assert_eq!(resp.body.len(), MAX_BODY);
            assert!(resp.truncated);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_slow_drip_of_bytes_times_out() {
    // The head arrives, then the body at one byte every 100 ms: 10 s for all of it.
    let mut bytes =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            .to_vec();
    let head_len = bytes.len();
    bytes.extend(std::iter::repeat_n(b' ', 100));
    let body_drip = Hostile::start(Act::Drip {
        bytes: bytes.clone(),
        every: Duration::from_millis(100),
    });
    let (r, took) = run_at(&body_drip, &[]);
    assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
    assert!(summary(&r).contains("within 1 s"), "{}", summary(&r));
    assert!(took < Duration::from_secs(10), "took {took:?}");
    // The status line itself, dripped.
    let head_drip = Hostile::start(Act::Drip {
        bytes: bytes[..head_len].to_vec(),
        every: Duration::from_millis(200),
    });
    let (r, took) = run_at(&head_drip, &[]);
    assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn a_token_in_the_wrong_content_type() {
    // A form-encoded "token" as text/plain is not the OAuth answer the SDKs read.
    let server = Hostile::start(Act::Reply(http(
        "200 OK",
        &[("Content-Type", "text/plain")],
        "access_token=abc123&token_type=bearer&expires_in=86400",
    )));
    let (r, _) = run_at(&server, &[]);
    assert_eq!(r.cause(), Some("GC502"), "{}", r.stdout);
    assert!(cause_text(&r).contains("text/plain"), "{}", cause_text(&r));
}

#[test]
fn a_429_with_a_huge_retry_after_is_not_waited_for() {
    let huge = "99999999999999999999999999999999999999";
    let server = Hostile::start(Act::Reply(http(
        "429 Too Many Requests",
        &[("Retry-After", huge), ("Content-Type", "application/json")],
        "{\"message\":\"Rate limit exceeded\",\"code\":\"too.many.requests\",\"status\":429}",
    )));
    let (r, took) = run_at(&server, &[]);
    assert_eq!(r.cause(), Some("GC501"), "{}", r.stdout);
    assert_eq!(r.code, 1);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    // Throttling stops all sending: one request, never retried.
    assert_eq!(server.requests().len(), 1);
    assert!(
        cause_text(&r).contains("over an hour; gcdoctor neither waits nor retries"),
        "{}",
        cause_text(&r)
    );
}

#[test]
fn the_login_services_rate_limit_answer() {
    for desc in [
        "rate limit exceeded; too many token requests",
        "Rate limit exceeded;",
    ] {
        let body = format!(
            "{{\"error\":\"invalid_request\",\"description\":\"{desc}\",\"error_description\":\"{desc}\"}}"
        );
        let server = Hostile::start(Act::Reply(http(
            "400 Bad Request",
            &[("Content-Type", "application/json")],
            &body,
        )));
        let (r, _) = run_at(&server, &[]);
        assert_eq!(r.cause(), Some("GC501"), "{desc}: {}", r.stdout);
        assert_eq!(server.requests().len(), 1, "{desc}");
        assert!(summary(&r).contains("throttling"), "{}", summary(&r));
    }
}

#[test]
fn throttled_everywhere_when_no_region_is_given() {
    let server = Hostile::start(Act::Reply(http(
        "400 Bad Request",
        &[("Content-Type", "application/json")],
        "{\"error\":\"invalid_request\",\"description\":\"rate limit exceeded;\",\"error_description\":\"rate limit exceeded;\"}",
    )));
    let (r, _) = run(&[], &[("GCDOCTOR_CONNECT_TO", &server.addr())]);
    assert_eq!(r.cause(), Some("GC501"), "{}", r.stdout);
}

#[test]
fn plain_http_never_carries_credentials_outside_the_seam() {
    // No seam: a user URL on http://, even on a host the user allows, is not sent the secret.
    // The canonical https request goes to a refusing proxy, so nothing leaves 127.0.0.1.
    let target = Hostile::start(Act::Reply(http(
        "200 OK",
        &[("Content-Type", "application/json")],
        "{\"access_token\":\"x\",\"token_type\":\"bearer\"}",
    )));
    let proxy = Hostile::start(Act::Proxy(Tunnel::Refuse));
    let token_url = format!("http://{}/oauth/token", target.addr());
    let proxy_url = format!("http://{}", proxy.addr());
    let (r, _) = run(
        &[
            "--region",
            "eu-west-1",
            "--token-url",
            &token_url,
            "--allow-host",
            "127.0.0.1",
        ],
        &[("HTTPS_PROXY", &proxy_url)],
    );
    assert_eq!(target.connections(), 0, "the http:// URL was contacted");
    proxy.assert_secret_only_to_login_hosts(HOSTILE_SECRET);
    assert!(
        r.stdout.contains("never sends credentials unencrypted")
            || r.json["checks"].to_string().contains("plain http"),
        "{}",
        r.stdout
    );
}
