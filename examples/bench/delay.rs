//! A delaying TCP proxy: a stand-in for a real network's round-trip time, connection set-up
//! included.
//!
//! Every byte is delivered half a round trip after it was read, in both directions, in
//! order. A new connection also pays the TCP handshake: nothing the client sends reaches the
//! server before one full round trip after the connection was accepted. So, as on a real
//! network, a new HTTPS connection costs three round trips before its answer (TCP, TLS 1.3,
//! the request) and a warm one costs one.
//!
//! Bounded: it listens on 127.0.0.1 only, accepts at most [`MAX_CONNECTIONS`] connections,
//! closes each after [`LIFETIME`], and stops (listener and connections) when its handle is
//! dropped. It counts the connections it accepted: the handshakes a run paid for.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

/// Most connections one proxy accepts.
pub const MAX_CONNECTIONS: usize = 1000;
/// Longest life of one connection.
pub const LIFETIME: Duration = Duration::from_secs(120);

/// A running proxy; dropping it stops it.
pub struct DelayProxy {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    stop: watch::Sender<bool>,
}

impl DelayProxy {
    /// Starts a proxy on 127.0.0.1 to `upstream` with this round-trip time.
    pub async fn start(upstream: SocketAddr, rtt: Duration) -> std::io::Result<DelayProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let accepted = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = watch::channel(false);
        let count = Arc::clone(&accepted);
        let mut until_stop = stopped.clone();
        tokio::spawn(async move {
            loop {
                let client = tokio::select! {
                    r = listener.accept() => match r {
                        Ok((c, _)) => c,
                        Err(_) => continue,
                    },
                    _ = until_stop.wait_for(|s| *s) => break,
                };
                if count.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    continue; // dropped: the client sees the connection closed
                }
                let mut stopped = stopped.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = relay(client, upstream, rtt) => {}
                        _ = tokio::time::sleep(LIFETIME) => {}
                        _ = stopped.wait_for(|s| *s) => {}
                    }
                });
            }
        });
        Ok(DelayProxy {
            addr,
            accepted,
            stop,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for DelayProxy {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Relays one connection with the delays.
async fn relay(client: TcpStream, upstream: SocketAddr, rtt: Duration) {
    let accepted = Instant::now();
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (cr, cw) = client.into_split();
    let (sr, sw) = server.into_split();
    let half = rtt / 2;
    // Client to server: not before the TCP handshake's round trip.
    let up = pump(cr, sw, half, accepted + rtt);
    let down = pump(sr, cw, half, accepted);
    tokio::join!(up, down);
}

/// Copies one direction, each chunk delivered `delay` after it was read (and not before
/// `not_before` + `delay`); the end of the stream is delayed the same way.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay: Duration,
    not_before: Instant,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let read = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = from.read(&mut buf).await.unwrap_or(0);
            let at = Instant::now().max(not_before) + delay;
            if tx.send((at, buf[..n].to_vec())).is_err() || n == 0 {
                break;
            }
        }
    };
    let write = async move {
        while let Some((at, bytes)) = rx.recv().await {
            tokio::time::sleep_until(at).await;
            if bytes.is_empty() || to.write_all(&bytes).await.is_err() {
                let _ = to.shutdown().await;
                break;
            }
        }
    };
    tokio::join!(read, write);
}
