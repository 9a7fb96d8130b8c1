//! The TLS variant of the test seam through the real binary: `GCDOCTOR_CONNECT_TO_TLS` with
//! `GCDOCTOR_TEST_CA` reaches the simulator over TLS, speaks HTTP/2 where it is offered,
//! trusts only the given CA, and is refused unless both are given. The plain seam stays
//! plain HTTP/1.1 (contract §3).

mod common;

#[allow(dead_code)]
#[path = "../examples/bench/test_ca.rs"]
mod test_ca;

#[allow(dead_code)]
#[path = "../examples/bench/delay.rs"]
mod delay;

use common::*;
use gcdoctor::sim::{self, Scenario, SimHandle};

/// The simulator over TLS on its own runtime, and the CA file gcdoctor is given.
struct TlsSim {
    handle: Option<SimHandle>,
    _rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
    ca_file: String,
}

impl TlsSim {
    fn start(scenario: &str) -> TlsSim {
        let ca = test_ca::make().expect("a test CA");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let handle = rt
            .block_on(sim::start_tls(
                Scenario::builtin(scenario).expect("scenario"),
                "127.0.0.1:0".parse().unwrap(),
                ca.server,
            ))
            .expect("simulator starts");
        let dir = tempfile::tempdir().unwrap();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, &ca.ca_pem).unwrap();
        TlsSim {
            handle: Some(handle),
            _rt: rt,
            ca_file: ca_file.to_string_lossy().into_owned(),
            _dir: dir,
        }
    }

    fn addr(&self) -> String {
        self.handle.as_ref().unwrap().addr().to_string()
    }

    /// A delaying proxy in front of it, counting connections.
    fn proxy(&self, rtt_ms: u64) -> delay::DelayProxy {
        let upstream = self.handle.as_ref().unwrap().addr();
        self._rt
            .block_on(delay::DelayProxy::start(
                upstream,
                std::time::Duration::from_millis(rtt_ms),
            ))
            .expect("proxy starts")
    }

    fn requests(&self) -> Vec<gcdoctor::sim::LoggedRequest> {
        self.handle.as_ref().unwrap().requests()
    }
}

impl Drop for TlsSim {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.shutdown();
        }
    }
}

fn run(env: &[(&str, &str)], extra: &[&str]) -> Run {
    let (_d, f) = secret_file(MAIN_SECRET);
    let (_a, af) = secret_file(ADMIN_SECRET);
    let mut c = gcdoctor();
    c.args([
        "diagnose",
        "--format",
        "json",
        "--timeout",
        "5",
        "--client-id",
        MAIN_ID,
        "--client-secret-file",
        &f,
        "--admin-client-id",
        ADMIN_ID,
        "--admin-client-secret-file",
        &af,
    ]);
    c.args(extra);
    for (k, v) in env {
        c.env(k, v);
    }
    capture(c.output().expect("runs"), &[])
}

#[test]
fn a_diagnosis_over_the_tls_seam_speaks_http2_and_finds_the_cause() {
    let sim = TlsSim::start("wrong-region");
    let r = run(
        &[
            ("GCDOCTOR_CONNECT_TO_TLS", &sim.addr()),
            ("GCDOCTOR_TEST_CA", &sim.ca_file),
        ],
        &["--region", "us-east-1"],
    );
    assert_eq!(r.cause(), Some("GC103"), "{}\n{}", r.stdout, r.stderr);
    let log = sim.requests();
    assert_eq!(log.len() as u64, r.requests_sent(), "{log:?}");
    assert!(log.len() > 2);
    assert!(
        log.iter().all(|q| q.version == "HTTP/2.0"),
        "{:?}",
        log.iter().map(|q| &q.version).collect::<Vec<_>>()
    );
    // The original host names travel as the :authority: the simulator routed by them.
    assert!(log.iter().any(|q| q.host == "login.mypurecloud.ie"));
    assert!(log.iter().any(|q| q.host == "login.mypurecloud.com"));
    let secret_hosts = hosts_that_saw(&log, MAIN_SECRET);
    assert!(only_login_hosts(&secret_hosts), "{secret_hosts:?}");
}

#[test]
fn the_tls_seam_trusts_only_the_given_ca() {
    let sim = TlsSim::start("healthy");
    let other = TlsSim::start("healthy");
    // The CA of another simulator does not vouch for this one's certificate.
    let r = run(
        &[
            ("GCDOCTOR_CONNECT_TO_TLS", &sim.addr()),
            ("GCDOCTOR_TEST_CA", &other.ca_file),
        ],
        &["--region", "eu-west-1"],
    );
    assert_eq!(r.cause(), Some("GC104"), "{}", r.stdout);
    assert!(r.stdout.contains("not trusted"), "{}", r.stdout);
    assert!(sim.requests().is_empty());
}

#[test]
fn the_tls_seam_needs_both_settings_and_not_the_plain_seam() {
    let sim = TlsSim::start("healthy");
    for env in [
        vec![("GCDOCTOR_CONNECT_TO_TLS", sim.addr())],
        vec![("GCDOCTOR_TEST_CA", sim.ca_file.clone())],
        vec![
            ("GCDOCTOR_CONNECT_TO_TLS", sim.addr()),
            ("GCDOCTOR_TEST_CA", sim.ca_file.clone()),
            ("GCDOCTOR_CONNECT_TO", sim.addr()),
        ],
    ] {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = run(&env, &["--region", "eu-west-1"]);
        assert_eq!(r.code, 2, "{env:?}: {}\n{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("GCDOCTOR_CONNECT_TO_TLS"), "{}", r.stderr);
    }
    assert!(sim.requests().is_empty());
}

#[test]
fn the_plain_seam_stays_http1() {
    let sim = Sim::builtin("healthy");
    let r = diagnose_client(&sim, MAIN_ID, MAIN_SECRET, &["--region", "eu-west-1"]);
    assert_eq!(r.json["verdict"], "healthy", "{}", r.stdout);
    let log = sim.requests();
    assert!(!log.is_empty());
    assert!(log.iter().all(|q| q.version == "HTTP/1.1"), "{log:?}");
}

#[test]
fn connections_are_opened_ahead_but_carry_no_request() {
    let sim = TlsSim::start("healthy");
    let proxy = sim.proxy(20);
    let r = run(
        &[
            ("GCDOCTOR_CONNECT_TO_TLS", &proxy.addr().to_string()),
            ("GCDOCTOR_TEST_CA", &sim.ca_file),
        ],
        &["--region", "eu-west-1"],
    );
    assert_eq!(r.json["verdict"], "healthy", "{}\n{}", r.stdout, r.stderr);
    let log = sim.requests();
    // The canonical request and the admin token at the login host, the token check at
    // the API host: nothing anywhere else, although every other region's login host got a
    // connection ahead (for the region scan a rejection would have needed).
    let hosts: std::collections::BTreeSet<&str> = log.iter().map(|q| q.host.as_str()).collect();
    assert_eq!(
        hosts,
        ["api.mypurecloud.ie", "login.mypurecloud.ie"].into(),
        "{log:?}"
    );
    assert_eq!(log.len() as u64, r.requests_sent());
    let regions = gcdoctor::region::REGIONS.len();
    // One connection per login host and one to the API host, shared by HTTP/2; the admin
    // token request may race the canonical one for a second login connection.
    assert!(
        (regions + 1..=regions + 2).contains(&proxy.connections()),
        "{} connections",
        proxy.connections()
    );
}
