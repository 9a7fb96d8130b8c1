//! The benchmark's figure extraction (`examples/bench/figures.rs`): requests in flight per
//! host from the simulator's log, requests after throttling, and the report fields it reads.
//! The benchmark itself is not a test: `cargo run --release --example bench`.

#[allow(dead_code)]
#[path = "../examples/bench/figures.rs"]
mod figures;

use figures::*;
use gcdoctor::sim::LoggedRequest;
use std::time::Duration;

fn logged(host: &str, from_ms: u64, to_ms: Option<u64>, status: u16) -> LoggedRequest {
    LoggedRequest {
        host: host.into(),
        method: "POST".into(),
        target: "/oauth/token".into(),
        headers: Vec::new(),
        body: Vec::new(),
        status,
        version: "HTTP/1.1".into(),
        received_at: Duration::from_millis(from_ms),
        answered_at: to_ms.map(Duration::from_millis),
    }
}

#[test]
fn figures_from_a_log_and_from_reports() {
    let log = vec![
        logged("login.mypurecloud.ie", 0, Some(100), 200),
        logged("login.mypurecloud.ie", 10, Some(110), 429),
        // Arrives as the first answer leaves: not counted as overlapping it.
        logged("login.mypurecloud.ie", 100, Some(200), 200),
        logged("api.mypurecloud.ie", 50, Some(150), 200),
        // Never answered: in flight until the end.
        logged("login.mypurecloud.com", 300, None, 200),
        logged("login.mypurecloud.com", 400, Some(500), 200),
    ];
    let per_host = max_in_flight_per_host(&log);
    assert_eq!(per_host["login.mypurecloud.ie"], 2);
    assert_eq!(per_host["api.mypurecloud.ie"], 1);
    assert_eq!(per_host["login.mypurecloud.com"], 2);
    assert_eq!(busiest(&per_host), (2, Some("2 hosts".to_string())));
    // The throttling answer left at 110 ms; two requests arrived later.
    assert_eq!(sent_after_throttling(&log, |r| r.status == 429), 2);
    assert_eq!(sent_after_throttling(&log, |_| false), 0);

    let report = r#"{"schema":"gcdoctor.report/v1","verdict":"cause-found",
        "cause":{"id":"GC103","name":"wrong-region"},"requests_sent":18,"round_trips":2}"#;
    assert_eq!(
        read_report(report),
        Ok(ReportFigures {
            verdict: "cause-found".into(),
            cause: Some("GC103".into()),
            requests_sent: 18,
            round_trips: 2,
        })
    );
    assert!(read_report(r#"{"verdict":"healthy"}"#).is_err());

    let batch = r#"{"schema":"gcdoctor.batch/v1","verdict":"healthy","requests_sent":6,
        "clients":[{"round_trips":2},{"round_trips":3}],
        "max_in_flight_per_host":{"login.mypurecloud.ie":2}}"#;
    let b = read_batch(batch).unwrap();
    assert_eq!((b.clients, b.requests_sent, b.max_round_trips), (2, 6, 3));
    assert_eq!(b.max_in_flight_per_host["login.mypurecloud.ie"], 2);

    let ms = Duration::from_millis;
    assert_eq!(median(&[ms(3), ms(1), ms(2)]), ms(2));
    assert_eq!(
        median(&[ms(4), ms(1), ms(2), ms(3)]),
        Duration::from_micros(2500)
    );
}
