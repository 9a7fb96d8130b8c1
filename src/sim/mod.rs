//! The built-in Genesys Cloud simulator: a faithful stand-in for `login.<domain>` and
//! `api.<domain>` of every region, on one local port.
//!
//! # Why it exists
//!
//! gcdoctor's diagnoses must be testable without a Genesys org, and a user must be able to
//! see one work (`gcdoctor demo`) before trusting it. So the simulator copies the real
//! service's hosts, statuses, bodies and headers (`genesys-facts.md`), and — just as
//! importantly — its *silence*: every client problem answers `invalid_client` /
//! "authentication failed", whatever the cause. A diagnosis that only worked because the
//! simulator hinted would be worthless against the real thing. Behaviours the facts
//! cannot confirm are switches of the [`Scenario`] (see `docs/simulator.md`), so gcdoctor is
//! exercised against every plausible variant.
//!
//! # Shape
//!
//! * [`scenario`]: the world (clients, roles, switches, outages, demo inputs), its file
//!   format, validation with located errors, and the built-in scenarios.
//! * `server`: the HTTP front, routing by `Host` (or absolute-form authority).
//! * `login` and `api`: the two services, answering as plain data (`respond::Reply`).
//! * `state`: issued tokens, rate limiters, the request log.
//!
//! [`start`] runs it on a port (0 for any); [`run_simulate`] is `gcdoctor simulate`.
//! [`start_tls`] runs it over TLS with a certificate the caller makes, offering HTTP/2 and
//! HTTP/1.1 (the benchmark's wait measurement and the TLS seam's test).

mod api;
mod incoming;
pub mod ip_allow;
mod login;
mod respond;
pub mod scenario;
mod scenario_fields;
mod scenario_load;
mod server;
mod source_map;
mod state;
mod tls;

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::sync::watch;

pub use scenario::{DemoInputs, Scenario};
pub use scenario_load::ScenarioError;
pub use tls::start_tls;

use state::SimState;

/// One request the simulator received, with the status it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// The host it was routed by (lowercased, no port).
    pub host: String,
    /// The method, e.g. `POST`.
    pub method: String,
    /// Path and query (origin form, even when sent in absolute form).
    pub target: String,
    /// Every header, in order (values decoded lossily as UTF-8).
    pub headers: Vec<(String, String)>,
    /// The body as received (empty when it exceeded the 1 MiB limit).
    pub body: Vec<u8>,
    /// The status answered.
    pub status: u16,
    /// The HTTP version it came in (`HTTP/1.1`, `HTTP/2.0`).
    pub version: String,
    /// When the request reached the handler, since the simulator started.
    pub received_at: Duration,
    /// When its answer was handed back to the connection (after `latency_ms`), since the
    /// simulator started; `None` while it is still being answered.
    pub answered_at: Option<Duration>,
}

impl LoggedRequest {
    /// The first value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A running simulator. Dropping it (or [`SimHandle::shutdown`]) stops it.
#[derive(Debug)]
pub struct SimHandle {
    addr: SocketAddr,
    state: Arc<SimState>,
    stop: watch::Sender<bool>,
}

impl SimHandle {
    /// The address it listens on (the real port when started on port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`: where to connect (send `Host: login.<domain>` with every request).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The scenario it plays.
    pub fn scenario(&self) -> &Scenario {
        &self.state.scenario
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state.requests()
    }

    /// Stops accepting connections and closes idle ones.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Starts the simulator for `scenario` on `addr` (port 0 picks a free port) and returns
/// at once; it serves on the current tokio runtime until the handle is dropped.
pub async fn start(scenario: Scenario, addr: SocketAddr) -> std::io::Result<SimHandle> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let state = Arc::new(SimState::new(scenario));
    let app = router(&state);
    let (stop, mut stopped) = watch::channel(false);
    tokio::spawn(async move {
        let signal = async move {
            let _ = stopped.wait_for(|s| *s).await;
        };
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(signal)
        .await;
    });
    Ok(SimHandle { addr, state, stop })
}

/// The one handler, routing by host, over the shared state.
fn router(state: &Arc<SimState>) -> axum::Router {
    axum::Router::new()
        .fallback(server::handle)
        .with_state(Arc::clone(state))
}

/// Options of `gcdoctor simulate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulateOptions {
    /// Address to listen on (default `127.0.0.1:8089`; port 0 picks a free port).
    pub listen: SocketAddr,
    /// A built-in scenario name or a scenario file path (default `healthy`).
    pub scenario: Option<String>,
    /// Overrides the scenario's `latency_ms`.
    pub latency_ms: Option<u64>,
    /// Print the built-in scenarios and exit.
    pub list: bool,
}

impl Default for SimulateOptions {
    fn default() -> Self {
        SimulateOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 8089)),
            scenario: None,
            latency_ms: None,
            list: false,
        }
    }
}

/// Loads a scenario by built-in name, else as a file path.
pub fn load_scenario(name_or_path: &str) -> anyhow::Result<Scenario> {
    if let Some(s) = Scenario::builtin(name_or_path) {
        return Ok(s);
    }
    let path = std::path::Path::new(name_or_path);
    if path.exists() {
        return Ok(Scenario::from_file(path)?);
    }
    let names: Vec<&str> = Scenario::builtin_names().iter().map(|(n, _)| *n).collect();
    anyhow::bail!(
        "`{name_or_path}` is neither a built-in scenario nor a file; built-in scenarios: {}",
        names.join(", ")
    )
}

/// `gcdoctor simulate`: serves a scenario until Ctrl-C, or lists the built-ins.
///
/// The banner goes to stderr; its first line is exactly `listening on http://ADDR`
/// (scripts wait for it).
pub async fn run_simulate(args: SimulateOptions) -> anyhow::Result<()> {
    if args.list {
        print!("{}", builtin_list());
        return Ok(());
    }
    let mut scenario = load_scenario(args.scenario.as_deref().unwrap_or("healthy"))?;
    if let Some(ms) = args.latency_ms {
        scenario.latency_ms = ms;
    }
    let handle = start(scenario, args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(banner(handle.scenario(), handle.addr()).as_bytes());
    let _ = err.flush();
    drop(err);
    tokio::signal::ctrl_c()
        .await
        .context("cannot wait for Ctrl-C")?;
    eprintln!("stopping");
    handle.shutdown();
    Ok(())
}

/// The list printed by `gcdoctor simulate --list`.
pub fn builtin_list() -> String {
    let width = Scenario::builtin_names()
        .iter()
        .map(|(n, _)| n.len())
        .max()
        .unwrap_or(0);
    Scenario::builtin_names()
        .iter()
        .map(|(name, desc)| format!("{name:width$}  {desc}\n"))
        .collect()
}

fn quote(s: &str) -> String {
    shlex::try_quote(s).map_or_else(|_| format!("'{s}'"), |q| q.into_owned())
}

/// What `run_simulate` prints once listening.
pub fn banner(scenario: &Scenario, addr: SocketAddr) -> String {
    let mut out = format!("listening on http://{addr}\n");
    out.push_str(&format!("scenario: {}", scenario.name));
    if !scenario.description.is_empty() {
        out.push_str(&format!(" — {}", scenario.description));
    }
    out.push('\n');
    if scenario.latency_ms > 0 {
        out.push_str(&format!(
            "latency: {} ms per response\n",
            scenario.latency_ms
        ));
    }
    out.push_str("clients (simulated; the secrets are fake):\n");
    for c in &scenario.clients {
        out.push_str(&format!(
            "  {}  {:<15} {:<18} {:<8} secret {}  ({})\n",
            c.id,
            c.region.key,
            c.grant.as_str(),
            c.state.as_str(),
            c.secret,
            c.name
        ));
    }
    for t in &scenario.admin_tokens {
        out.push_str(&format!(
            "  admin token for api.{}: {}\n",
            t.region.domain, t.token
        ));
    }
    if let Some(c) = scenario.clients.first() {
        out.push_str(&format!(
            "try:\n  curl -sS http://{addr}/oauth/token -H {} -u {} -d grant_type=client_credentials\n",
            quote(&format!("Host: {}", c.region.login_host())),
            quote(&format!("{}:{}", c.id, c.secret)),
        ));
    }
    if let Some(demo) = scenario.demo_inputs() {
        let mut cmd = format!(
            "  printf %s {} | GCDOCTOR_CONNECT_TO={addr} gcdoctor diagnose --client-id {} --client-secret-stdin",
            quote(&demo.secret),
            quote(&demo.client_id)
        );
        match demo.region {
            Some(r) => cmd.push_str(&format!(" --region {}", r.key)),
            None => cmd.push_str(&format!(" --token-url {}", quote(&demo.token_url))),
        }
        if let Some((id, _)) = &demo.admin {
            cmd.push_str(&format!(" --admin-client-id {id}"));
        }
        for call in &demo.check_api {
            cmd.push_str(&format!(" --check-api {}", quote(call)));
        }
        out.push_str("reproduce the scenario's problem:\n");
        out.push_str(&cmd);
        out.push('\n');
        if let Some((_, secret)) = &demo.admin {
            out.push_str(&format!(
                "  (admin secret: GCDOCTOR_ADMIN_CLIENT_SECRET={})\n",
                quote(secret)
            ));
        }
    }
    out.push_str("press Ctrl-C to stop\n");
    out
}
