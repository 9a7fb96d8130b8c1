//! The simulator over TLS: the same router behind a TLS acceptor, offering HTTP/2 and
//! HTTP/1.1 by ALPN, for measuring what a user waits for (TCP and TLS set-up included) and
//! for testing the TLS seam (`GCDOCTOR_CONNECT_TO_TLS`). The certificate is the caller's:
//! the benchmark and the tests make a throwaway CA and a certificate for every region's
//! hosts. `gcdoctor simulate` stays plain HTTP.

use super::state::SimState;
use super::{Scenario, SimHandle, router};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Most time a client gets to finish its TLS handshake.
const HANDSHAKE: Duration = Duration::from_secs(10);

/// Starts the simulator over TLS on `addr` (port 0 picks a free port). `config` holds the
/// certificate; its ALPN list is replaced by `h2`, `http/1.1`. Serves on the current tokio
/// runtime until the handle is dropped.
pub async fn start_tls(
    scenario: Scenario,
    addr: SocketAddr,
    mut config: rustls::ServerConfig,
) -> std::io::Result<SimHandle> {
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let state = Arc::new(SimState::new(scenario));
    let service = TowerToHyperService::new(router(&state));
    let (stop, stopped) = watch::channel(false);
    let mut until_stop = stopped.clone();
    tokio::spawn(async move {
        loop {
            let (tcp, _) = tokio::select! {
                r = listener.accept() => match r {
                    Ok(c) => c,
                    Err(_) => continue,
                },
                _ = until_stop.wait_for(|s| *s) => break,
            };
            let _ = tcp.set_nodelay(true);
            let (acceptor, service, mut stopped) =
                (acceptor.clone(), service.clone(), stopped.clone());
            tokio::spawn(async move {
                let Ok(Ok(tls)) = tokio::time::timeout(HANDSHAKE, acceptor.accept(tcp)).await
                else {
                    return;
                };
                let builder = auto::Builder::new(TokioExecutor::new());
                let conn = builder.serve_connection(TokioIo::new(tls), service);
                tokio::select! {
                    _ = conn => {}
                    _ = stopped.wait_for(|s| *s) => {}
                }
            });
        }
    });
    Ok(SimHandle { addr, state, stop })
}
