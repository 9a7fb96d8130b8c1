//! The simulator under load: many concurrent clients, exact login rate limiting, no errors.
//!
//! gcdoctor's own tests, `gcdoctor demo` and outside harnesses all lean on the simulator; if it
//! dropped connections or miscounted under concurrency, a diagnosis test could pass or fail for
//! the wrong reason. Here 200 keep-alive connections, all open at once, send 3,000 token
//! requests for 50 clients over loopback. The login limiter must let through exactly its
//! configured number of tokens per client and window and answer every other request with the
//! login service's `400 invalid_request` "rate limit exceeded;…" (facts §6), with not one
//! connection error. Everything is bounded (a 60 s guard around a run that takes about a
//! second) and stops by itself.

mod common;
use common::*;

use base64::Engine as _;
use gcdoctor::sim::Scenario;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CLIENTS: usize = 50;
const PER_CLIENT: usize = 60;
const TOTAL: usize = CLIENTS * PER_CLIENT;
const CONNECTIONS: usize = 200;

fn client_id(i: usize) -> String {
    format!("{i:08x}-1111-4222-8333-{i:012x}")
}

fn client_secret(i: usize) -> String {
    format!("LoadTestSecret-{i:04}-q7Zk2Vx9Lm4Rt8Wy2Vb6Nc3Hd5")
}

/// A world of `CLIENTS` clients in eu-west-1 and a login limit of `limit` per `window` s.
fn scenario(limit: usize, window: u64) -> Scenario {
    let mut t = format!(
        "name = \"load\"\n[service]\nlogin_rate_limit = {{ requests = {limit}, window_secs = {window} }}\n"
    );
    t.push_str("[[roles]]\nname = \"Reader\"\npermissions = [\"routing:queue:view\"]\n");
    for i in 0..CLIENTS {
        t.push_str(&format!(
            "[[clients]]\nid = \"{}\"\nsecret = \"{}\"\nregion = \"eu-west-1\"\nname = \"Load {i}\"\nroles = [\"Reader\"]\n",
            client_id(i),
            client_secret(i)
        ));
    }
    Scenario::from_toml_str(&t, "load.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// The canonical token request for client `i`, as raw HTTP/1.1 (keep-alive).
fn token_request(i: usize) -> Vec<u8> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        client_id(i),
        client_secret(i)
    ));
    let body = "grant_type=client_credentials";
    format!(
        "POST /oauth/token HTTP/1.1\r\nHost: login.mypurecloud.ie\r\nAuthorization: Basic {basic}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one response (head, then a `Content-Length` body) from a keep-alive connection.
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<(u16, String)> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or(std::io::ErrorKind::InvalidData)?;
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or(std::io::ErrorKind::InvalidData)?;
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..head_end + len]).into_owned();
    buf.drain(..head_end + len);
    Ok((status, body))
}

/// What one answer was.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy, PartialOrd, Ord)]
enum Answer {
    Token,
    RateLimited,
    Other(u16),
}

fn classify(status: u16, body: &str) -> (Answer, Option<String>) {
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    match status {
        200 => match json["access_token"].as_str() {
            Some(t) if !t.is_empty() => (Answer::Token, Some(t.to_string())),
            _ => (Answer::Other(200), None),
        },
        400 if json["error"] == "invalid_request"
            && json["error_description"]
                .as_str()
                .is_some_and(|d| d.starts_with("rate limit exceeded;")) =>
        {
            (Answer::RateLimited, None)
        }
        s => (Answer::Other(s), None),
    }
}

#[test]
fn two_hundred_concurrent_connections_and_exact_login_limits() {
    const LIMIT: usize = 20;
    let sim = Sim::start(scenario(LIMIT, 600));
    let addr: std::net::SocketAddr = sim.addr().parse().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let results = rt.block_on(async move {
        let all_open = Arc::new(tokio::sync::Barrier::new(CONNECTIONS));
        let tasks: Vec<_> = (0..CONNECTIONS)
            .map(|c| {
                let all_open = all_open.clone();
                tokio::spawn(async move {
                    let mut s = TcpStream::connect(addr).await?;
                    // Every connection is open before the first request goes out.
                    all_open.wait().await;
                    let mut buf = Vec::new();
                    let mut out = Vec::new();
                    for j in (c..TOTAL).step_by(CONNECTIONS) {
                        let client = j % CLIENTS;
                        s.write_all(&token_request(client)).await?;
                        let (status, body) = read_response(&mut s, &mut buf).await?;
                        out.push((client, status, body));
                    }
                    std::io::Result::Ok(out)
                })
            })
            .collect();
        let all = futures_util::future::join_all(tasks);
        tokio::time::timeout(Duration::from_secs(60), all)
            .await
            .expect("the load run finished within its 60 s guard")
    });
    let elapsed = started.elapsed();

    let mut per_client: BTreeMap<usize, BTreeMap<Answer, usize>> = BTreeMap::new();
    let mut tokens = HashSet::new();
    let mut answered = 0;
    for r in results {
        let answers = r.expect("task ran").expect("no connection error");
        for (client, status, body) in answers {
            answered += 1;
            let (a, token) = classify(status, &body);
            *per_client.entry(client).or_default().entry(a).or_default() += 1;
            if let Some(t) = token {
                assert!(tokens.insert(t), "a token was issued twice");
            }
        }
    }
    assert_eq!(answered, TOTAL);
    for (client, counts) in &per_client {
        let want = BTreeMap::from([
            (Answer::Token, LIMIT),
            (Answer::RateLimited, PER_CLIENT - LIMIT),
        ]);
        assert_eq!(counts, &want, "client {client}");
    }
    assert_eq!(per_client.len(), CLIENTS);
    assert_eq!(tokens.len(), CLIENTS * LIMIT);
    assert_eq!(
        sim.requests().len(),
        TOTAL,
        "the simulator logged every request"
    );
    eprintln!(
        "sim load: {TOTAL} requests on {CONNECTIONS} concurrent connections in {:.2} s ({:.0} req/s)",
        elapsed.as_secs_f64(),
        TOTAL as f64 / elapsed.as_secs_f64()
    );
    assert!(
        elapsed < Duration::from_secs(30),
        "took {elapsed:?} (expected about a second)"
    );
}

#[test]
fn the_login_window_rolls() {
    // 3 tokens per client per 1 s window: the 4th is refused, and after the window the client
    // gets back in (refused requests are not counted against it).
    let sim = Sim::start(scenario(3, 1));
    let addr: std::net::SocketAddr = sim.addr().parse().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let mut s = TcpStream::connect(addr).await.unwrap();
        let mut buf = Vec::new();
        let mut ask = async |client: usize| {
            s.write_all(&token_request(client)).await.unwrap();
            let (status, body) = read_response(&mut s, &mut buf).await.unwrap();
            classify(status, &body).0
        };
        for _ in 0..3 {
            assert_eq!(ask(0).await, Answer::Token);
        }
        assert_eq!(ask(0).await, Answer::RateLimited);
        assert_eq!(ask(0).await, Answer::RateLimited);
        // Another client has its own budget.
        assert_eq!(ask(1).await, Answer::Token);
        tokio::time::sleep(Duration::from_millis(1100)).await;
        for _ in 0..3 {
            assert_eq!(ask(0).await, Answer::Token);
        }
        assert_eq!(ask(0).await, Answer::RateLimited);
    });
}
