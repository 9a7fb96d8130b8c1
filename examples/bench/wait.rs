//! The wait measurement (issue 15): what a user waits for on a real network, TCP and TLS
//! set-up included.
//!
//! The simulator speaks TLS (`gcdoctor::sim::start_tls`, HTTP/2 and HTTP/1.1 by ALPN) with a
//! certificate of a throwaway CA (`test_ca.rs`), behind a delaying TCP proxy (`delay.rs`)
//! that stands in for the network: `--latency` ms per round trip, connection set-up
//! included, so a new HTTPS connection costs three round trips and a warm one one. The
//! simulator itself adds no latency here. Each run gets a fresh simulator and proxy.
//!
//! * gcdoctor: the real release binary, through the test-only TLS seam
//!   (`GCDOCTOR_CONNECT_TO_TLS` = the proxy, `GCDOCTOR_TEST_CA` = the CA), for the cases
//!   healthy, wrong region, wrong secret with admin access and throttled.
//! * One SDK-style login: a fresh client (reqwest, trusting the CA) connects, does TLS and
//!   sends one token request, as every SDK does at start-up. The targets are ratios to it.
//! * The naive sequential approach (`naive.rs`) over the same network, with a client that
//!   reuses its connections.
//!
//! The wall times are medians of `--runs`; the connections are those the proxy accepted
//! (the handshakes paid for), the worst of the runs.

use super::delay::DelayProxy;
use super::figures::{self, median};
use super::naive::Naive;
use super::targets::Targets;
use super::test_ca::TestCa;
use super::{Bench, Case, ms, ratio};
use anyhow::{Context as _, Result, bail};
use gcdoctor::sim::{self, LoggedRequest, Scenario, SimHandle};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The cases measured, by the start of their names in the main table, and the target of
/// each as a multiple of one SDK-style login.
pub const CASES: [(&str, f64); 4] = [
    ("healthy", 1.4),
    ("wrong region (home", 1.5),
    ("client inspection: wrong secret", 2.0),
    ("rate limited", 2.0),
];

/// The measurements of one case.
pub struct Row {
    pub name: String,
    pub target: f64,
    pub expected: String,
    pub found: String,
    pub wall: Duration,
    pub connections: usize,
    pub requests: usize,
    pub round_trips: u64,
    pub versions: BTreeSet<String>,
    pub naive_wall: Duration,
    pub naive_connections: usize,
    pub naive_requests: usize,
    /// What was wrong (cause not found, counts that disagree).
    pub problems: Vec<String>,
}

/// Everything the wait measurement found.
pub struct Wait {
    pub rtt: Duration,
    pub login: Duration,
    pub login_connections: usize,
    pub rows: Vec<Row>,
}

/// The network stand-in of one run: the TLS simulator behind the delaying proxy.
struct World {
    proxy: DelayProxy,
    sim: SimHandle,
}

struct Measure<'a> {
    bench: &'a Bench,
    ca: TestCa,
    ca_file: String,
}

impl Measure<'_> {
    fn world(&self, scenario: &Scenario) -> Result<World> {
        let mut scenario = scenario.clone();
        scenario.latency_ms = 0;
        let rtt = self.bench.latency;
        self.bench.rt.block_on(async {
            let sim = sim::start_tls(scenario, "127.0.0.1:0".parse()?, self.ca.server.clone())
                .await
                .context("cannot start the TLS simulator")?;
            let proxy = DelayProxy::start(sim.addr(), rtt)
                .await
                .context("cannot start the delaying proxy")?;
            Ok(World { proxy, sim })
        })
    }

    /// A client like an SDK's: trusts the test CA only, every host reached at the proxy.
    fn client(&self, proxy: SocketAddr) -> Result<reqwest::Client> {
        gcdoctor::install_crypto_provider();
        reqwest::Client::builder()
            .no_proxy()
            .dns_resolver(Arc::new(ToProxy(proxy)))
            .tls_certs_only([reqwest::Certificate::from_der(&self.ca.ca_der)?])
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .context("cannot build the TLS client")
    }

    /// One SDK-style login: a new client, a new connection, TLS, one token request.
    fn login(&self, case: &Case) -> Result<(Duration, usize)> {
        let w = self.world(&case.scenario)?;
        let region = case.naive.region.context("the healthy case has a region")?;
        let started = Instant::now();
        let status = self.bench.rt.block_on(async {
            let client = self.client(w.proxy.addr())?;
            let resp = client
                .post(format!("https://{}/oauth/token", region.login_host()))
                .basic_auth(&case.naive.client_id, Some(&case.naive.secret))
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body("grant_type=client_credentials")
                .send()
                .await?;
            let status = resp.status().as_u16();
            resp.bytes().await?;
            anyhow::Ok(status)
        })?;
        let wall = started.elapsed();
        if status != 200 {
            bail!("the SDK-style login got {status}, not a token");
        }
        Ok((wall, w.proxy.connections()))
    }

    /// gcdoctor on a case over the TLS seam.
    fn gcdoctor(&self, case: &Case) -> Result<(Duration, Vec<LoggedRequest>, usize, Row)> {
        let w = self.world(&case.scenario)?;
        let mut cmd = self.bench.gcdoctor();
        cmd.args(["diagnose", "--format", "json"])
            .args(&case.args)
            .envs(case.env.iter().map(|(k, v)| (k, v)))
            .env("GCDOCTOR_CONNECT_TO_TLS", w.proxy.addr().to_string())
            .env("GCDOCTOR_TEST_CA", &self.ca_file);
        let started = Instant::now();
        let out = cmd.output().context("cannot run gcdoctor")?;
        let wall = started.elapsed();
        let log = w.sim.requests();
        let report = figures::read_report(&String::from_utf8_lossy(&out.stdout)).map_err(|e| {
            anyhow::anyhow!(
                "{} (TLS): {e}\nstderr: {}",
                case.name,
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
        let mut row = Row::new(case);
        row.found = report.cause.clone().unwrap_or(report.verdict.clone());
        row.round_trips = report.round_trips;
        let found = match case.expected.as_str() {
            "healthy" => report.verdict == "healthy",
            id => report.cause.as_deref() == Some(id),
        };
        if !found {
            row.problems
                .push(format!("expected {}, found {}", case.expected, row.found));
        }
        if report.requests_sent != log.len() as u64 {
            row.problems.push(format!(
                "the report counts {} request(s), the simulator received {}",
                report.requests_sent,
                log.len()
            ));
        }
        Ok((wall, log, w.proxy.connections(), row))
    }

    /// The naive sequential approach over the same network.
    fn naive(&self, case: &Case) -> Result<(Duration, usize, usize)> {
        let w = self.world(&case.scenario)?;
        let started = Instant::now();
        let run = self.bench.rt.block_on(async {
            let naive = Naive::tls(self.client(w.proxy.addr())?);
            anyhow::Ok(naive.run(&case.naive).await)
        })?;
        Ok((started.elapsed(), w.proxy.connections(), run.requests))
    }
}

impl Row {
    fn new(case: &Case) -> Row {
        Row {
            name: case.name.clone(),
            target: 2.0,
            expected: case.expected.clone(),
            found: String::new(),
            wall: Duration::ZERO,
            connections: 0,
            requests: 0,
            round_trips: 0,
            versions: BTreeSet::new(),
            naive_wall: Duration::ZERO,
            naive_connections: 0,
            naive_requests: 0,
            problems: Vec::new(),
        }
    }
}

/// Every host resolves to the proxy (the port is the proxy's too).
struct ToProxy(SocketAddr);

impl reqwest::dns::Resolve for ToProxy {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let addr = self.0;
        Box::pin(async move { Ok(Box::new(std::iter::once(addr)) as reqwest::dns::Addrs) })
    }
}

/// Runs the wait measurement on the cases of [`CASES`]. `plain` holds the requests each
/// case sent over the plain seam, which must not change.
pub fn measure(bench: &Bench, cases: &[Case], plain: &BTreeMap<String, usize>) -> Result<Wait> {
    let ca = super::test_ca::make().context("cannot make the test CA")?;
    let ca_file = bench.file("test-ca.pem", &ca.ca_pem)?;
    let m = Measure { bench, ca, ca_file };
    let healthy = cases
        .iter()
        .find(|c| c.name == "healthy")
        .context("no healthy case")?;
    let mut logins = Vec::new();
    let mut login_connections = 0;
    for _ in 0..bench.runs {
        let (wall, conns) = m.login(healthy)?;
        logins.push(wall);
        login_connections = login_connections.max(conns);
    }
    let mut rows = Vec::new();
    for (prefix, target) in CASES {
        let case = cases
            .iter()
            .find(|c| c.name.starts_with(prefix))
            .with_context(|| format!("no case `{prefix}…`"))?;
        eprintln!("bench:   {} (TLS, {} RTT)", case.name, ms(bench.latency));
        let mut row = Row::new(case);
        let (mut walls, mut naive_walls) = (Vec::new(), Vec::new());
        for _ in 0..bench.runs {
            let (wall, log, conns, r) = m.gcdoctor(case)?;
            walls.push(wall);
            row.found = r.found;
            row.round_trips = row.round_trips.max(r.round_trips);
            row.problems.extend(r.problems);
            row.connections = row.connections.max(conns);
            row.requests = row.requests.max(log.len());
            row.versions.extend(log.iter().map(|q| q.version.clone()));
            let (nwall, nconns, nreq) = m.naive(case)?;
            naive_walls.push(nwall);
            row.naive_connections = row.naive_connections.max(nconns);
            row.naive_requests = row.naive_requests.max(nreq);
        }
        if let Some(&p) = plain.get(&case.name)
            && p != row.requests
        {
            row.problems.push(format!(
                "{} request(s) here, {p} over the plain seam",
                row.requests
            ));
        }
        row.problems.dedup();
        row.target = target;
        row.wall = median(&walls);
        row.naive_wall = median(&naive_walls);
        rows.push(row);
    }
    Ok(Wait {
        rtt: bench.latency,
        login: median(&logins),
        login_connections,
        rows,
    })
}

impl Wait {
    /// The table of the wait measurement.
    pub fn table(&self, out: &mut String) -> std::fmt::Result {
        writeln!(
            out,
            "Wait over TLS, {} per round trip (connection set-up included): one SDK-style login takes {} ({:.1} RTT, {} connection)\n",
            ms(self.rtt),
            ms(self.login),
            ratio(self.login, self.rtt),
            self.login_connections
        )?;
        writeln!(
            out,
            "| case (TLS) | expected → found | wall | × RTT | × SDK login | target | connections | requests | round trips | HTTP | naive wall | naive × SDK login | naive connections | naive requests |"
        )?;
        writeln!(
            out,
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"
        )?;
        for r in &self.rows {
            writeln!(
                out,
                "| {} | {} → {} | {} | {:.1} | {:.2}× | ≤ {:.1}× | {} | {} | {} | {} | {} | {:.2}× | {} | {} |",
                r.name,
                r.expected,
                r.found,
                ms(r.wall),
                ratio(r.wall, self.rtt),
                ratio(r.wall, self.login),
                r.target,
                r.connections,
                r.requests,
                r.round_trips,
                r.versions.iter().cloned().collect::<Vec<_>>().join(", "),
                ms(r.naive_wall),
                ratio(r.naive_wall, self.login),
                r.naive_connections,
                r.naive_requests,
            )?;
        }
        Ok(())
    }

    /// The targets of issue 15.
    pub fn check(&self, t: &mut Targets) {
        for r in &self.rows {
            let x = ratio(r.wall, self.login);
            t.check(
                &format!(
                    "wait over TLS, {}: ≤ {:.1}× one SDK-style login",
                    r.name, r.target
                ),
                format!("{x:.2}× ({} vs {})", ms(r.wall), ms(self.login)),
                x <= r.target,
            );
        }
        let problems: Vec<String> = self
            .rows
            .iter()
            .flat_map(|r| r.problems.iter().map(move |p| format!("{}: {p}", r.name)))
            .collect();
        t.check(
            "wait over TLS: the expected causes, with the same requests as over the plain seam",
            if problems.is_empty() {
                format!("{} case(s) right", self.rows.len())
            } else {
                problems.join("; ")
            },
            problems.is_empty(),
        );
    }
}
