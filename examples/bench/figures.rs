//! Figures read from what a run left behind: the simulator's request log and gcdoctor's
//! JSON report. Pure functions, so `tests/bench_figures.rs` can check them without a
//! benchmark run.

use gcdoctor::sim::LoggedRequest;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

/// The highest number of requests the simulator was answering at once, per host.
///
/// A request is in flight from `received_at` to `answered_at`; one that was never answered
/// counts as in flight until the end of the log. An answer that leaves at the very instant
/// another request arrives is counted as gone first.
pub fn max_in_flight_per_host(log: &[LoggedRequest]) -> BTreeMap<String, usize> {
    let mut events: BTreeMap<&str, Vec<(Duration, i32)>> = BTreeMap::new();
    for r in log {
        let e = events.entry(r.host.as_str()).or_default();
        e.push((r.received_at, 1));
        e.push((r.answered_at.unwrap_or(Duration::MAX), -1));
    }
    events
        .into_iter()
        .map(|(host, mut e)| {
            // At equal instants the departure (-1) sorts before the arrival (+1).
            e.sort_unstable();
            let (mut now, mut max) = (0i32, 0i32);
            for (_, step) in e {
                now += step;
                max = max.max(now);
            }
            (host.to_string(), usize::try_from(max).unwrap_or(0))
        })
        .collect()
}

/// The largest value of a per-host map (0 when empty), with where it was reached: the host,
/// or `N hosts` when several share it.
pub fn busiest(per_host: &BTreeMap<String, usize>) -> (usize, Option<String>) {
    let max = per_host.values().copied().max().unwrap_or(0);
    let at: Vec<&String> = per_host
        .iter()
        .filter(|(_, n)| **n == max)
        .map(|(h, _)| h)
        .collect();
    let place = match at.as_slice() {
        [] => None,
        [one] => Some((*one).clone()),
        many => Some(format!("{} hosts", many.len())),
    };
    (max, place)
}

/// Requests that reached the simulator after it had sent its first throttling answer
/// (`is_throttling` says which answers throttled).
pub fn sent_after_throttling(
    log: &[LoggedRequest],
    is_throttling: impl Fn(&LoggedRequest) -> bool,
) -> usize {
    let Some(first) = log
        .iter()
        .filter(|r| is_throttling(r))
        .filter_map(|r| r.answered_at)
        .min()
    else {
        return 0;
    };
    log.iter().filter(|r| r.received_at > first).count()
}

/// What a `gcdoctor diagnose --format json` report says about its own run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFigures {
    pub verdict: String,
    /// The cause id (`GC103`), if any.
    pub cause: Option<String>,
    pub requests_sent: u64,
    pub round_trips: u64,
}

/// Reads the figures of a single-run JSON report.
pub fn read_report(stdout: &str) -> Result<ReportFigures, String> {
    let v: Value =
        serde_json::from_str(stdout).map_err(|e| format!("the report is not JSON: {e}"))?;
    let number = |key: &str| {
        v[key]
            .as_u64()
            .ok_or_else(|| format!("the report has no number `{key}`"))
    };
    Ok(ReportFigures {
        verdict: v["verdict"]
            .as_str()
            .ok_or("the report has no `verdict`")?
            .to_string(),
        cause: v["cause"]["id"].as_str().map(str::to_string),
        requests_sent: number("requests_sent")?,
        round_trips: number("round_trips")?,
    })
}

/// What a `gcdoctor diagnose --clients FILE --format json` report says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchFigures {
    pub verdict: String,
    pub clients: usize,
    pub requests_sent: u64,
    /// Highest round trips of any one client's diagnosis.
    pub max_round_trips: u64,
    /// gcdoctor's own count of requests in flight at once, per host.
    pub max_in_flight_per_host: BTreeMap<String, usize>,
}

/// Reads the figures of a batch JSON report.
pub fn read_batch(stdout: &str) -> Result<BatchFigures, String> {
    let v: Value =
        serde_json::from_str(stdout).map_err(|e| format!("the report is not JSON: {e}"))?;
    let clients = v["clients"]
        .as_array()
        .ok_or("the batch report has no `clients` list")?;
    Ok(BatchFigures {
        verdict: v["verdict"]
            .as_str()
            .ok_or("the batch report has no `verdict`")?
            .to_string(),
        clients: clients.len(),
        requests_sent: v["requests_sent"]
            .as_u64()
            .ok_or("the batch report has no `requests_sent`")?,
        max_round_trips: clients
            .iter()
            .filter_map(|c| c["round_trips"].as_u64())
            .max()
            .unwrap_or(0),
        max_in_flight_per_host: v["max_in_flight_per_host"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(h, n)| Some((h.clone(), usize::try_from(n.as_u64()?).ok()?)))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// The median of some durations (the mean of the middle two for an even count).
pub fn median(values: &[Duration]) -> Duration {
    let mut v = values.to_vec();
    v.sort_unstable();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}
