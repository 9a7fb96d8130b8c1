//! The benchmark's report: the tables of diagnoses, start-up and batches, and the targets on
//! diagnoses.

use super::cases::Case;
use super::figures::busiest;
use super::lint;
use super::targets::Targets;
use super::{BatchResult, Figures, Measured, PER_HOST_LIMIT, Timed};
use gcdoctor::sim::scenario::OutageKind;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// The targets on diagnoses.
pub(crate) fn check_diagnoses(t: &mut Targets, results: &[(&Case, Measured, Figures)]) {
    let done: Vec<(&Case, &Figures, &Figures)> = results
        .iter()
        .filter_map(|(c, m, n)| match m {
            Measured::Done(f) => Some((*c, f, n)),
            Measured::Unavailable(_) => None,
        })
        .collect();
    let find = |prefix: &str| done.iter().find(|(c, _, _)| c.name.starts_with(prefix));
    match find("healthy") {
        Some((_, f, _)) => t.check(
            "healthy run: ≤ 2 round trips",
            format!("{} round trip(s)", f.round_trips),
            f.round_trips <= 2,
        ),
        None => t.na("healthy run: ≤ 2 round trips", "no healthy case".into()),
    }
    match find("wrong region among all") {
        Some((_, f, n)) => {
            t.check(
                "wrong region among all regions: ≤ 3 round trips",
                format!("{} round trip(s)", f.round_trips),
                f.round_trips <= 3,
            );
            let speedup = ratio(n.wall, f.wall);
            t.check(
                "wrong region among all regions: ≥ 6× faster than sequential",
                format!("{speedup:.1}× ({} vs {})", ms(f.wall), ms(n.wall)),
                speedup >= 6.0,
            );
        }
        None => t.na("wrong region among all regions", "no such case".into()),
    }
    let worst = |key: fn(&Figures) -> usize| {
        done.iter()
            .max_by_key(|(_, f, _)| key(f))
            .map(|(c, f, _)| (key(f), c.name.as_str()))
            .unwrap_or((0, "-"))
    };
    let (rt, rt_case) = worst(|f| f.round_trips);
    t.check(
        "any cause: ≤ 5 round trips",
        format!("max {rt} ({rt_case})"),
        rt <= 5,
    );
    let (req, req_case) = worst(|f| f.requests);
    t.check(
        "any cause: ≤ 30 requests",
        format!("max {req} ({req_case})"),
        req <= 30,
    );
    let (fl, fl_case) = worst(|f| f.in_flight);
    t.check(
        &format!("any cause: ≤ {PER_HOST_LIMIT} in flight to one host (server view)"),
        format!("max {fl} ({fl_case})"),
        fl <= PER_HOST_LIMIT,
    );
    let (after, after_case) = worst(|f| f.after_throttle);
    let throttled_cases = done
        .iter()
        .filter(|(c, _, _)| {
            c.scenario
                .outages
                .iter()
                .any(|o| o.kind == OutageKind::RateLimited)
        })
        .count();
    t.check(
        "zero requests after the service signalled throttling",
        format!("max {after} ({after_case}; {throttled_cases} throttled case(s))"),
        after == 0 && throttled_cases > 0,
    );
    let wrong: Vec<String> = done
        .iter()
        .flat_map(|(c, f, _)| f.notes.iter().map(move |n| format!("{}: {n}", c.name)))
        .collect();
    t.check(
        "every diagnosis names the expected cause and counts its requests",
        if wrong.is_empty() {
            format!("{} case(s) right", done.len())
        } else {
            wrong.join("; ")
        },
        wrong.is_empty(),
    );
    for (c, m, _) in results {
        if let Measured::Unavailable(why) = m {
            t.na(&format!("case `{}`", c.name), why.clone());
        }
    }
}

pub(crate) fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

pub(crate) fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

pub(crate) fn in_flight(f: &Figures) -> String {
    match &f.in_flight_host {
        Some(h) => format!("{} ({h})", f.in_flight),
        None => "0".into(),
    }
}

pub(crate) fn diagnosis_table(
    out: &mut String,
    results: &[(&Case, Measured, Figures)],
    rtt: Duration,
) -> std::fmt::Result {
    writeln!(
        out,
        "| case | expected → gcdoctor found | wall | × RTT | requests | round trips | max in flight / host | after throttle | naive wall | × RTT | naive requests (= round trips) | naive max in flight / host | naive found | speed-up |"
    )?;
    writeln!(
        out,
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---|---:|"
    )?;
    for (case, m, n) in results {
        let gcdoctor = match m {
            Measured::Done(f) => format!(
                "{} → {} | {} | {:.1} | {} | {} | {} | {}",
                case.expected,
                f.conclusion,
                ms(f.wall),
                ratio(f.wall, rtt),
                f.requests,
                f.round_trips,
                in_flight(f),
                f.after_throttle,
            ),
            Measured::Unavailable(why) => format!(
                "{} → n/a ({why}) | n/a | n/a | n/a | n/a | n/a | n/a",
                case.expected
            ),
        };
        let speedup = match m {
            Measured::Done(f) => format!("{:.1}×", ratio(n.wall, f.wall)),
            Measured::Unavailable(_) => "n/a".into(),
        };
        writeln!(
            out,
            "| {} | {gcdoctor} | {} | {:.1} | {} | {} | {} | {speedup} |",
            case.name,
            ms(n.wall),
            ratio(n.wall, rtt),
            n.requests,
            in_flight(n),
            n.conclusion,
        )?;
    }
    Ok(())
}

pub(crate) fn startup_table(
    out: &mut String,
    version: &Timed,
    explain: &Timed,
    lints: &[lint::KindLint],
    size: u64,
) -> std::fmt::Result {
    writeln!(out, "| command | median | min | max | runs |")?;
    writeln!(out, "|---|---:|---:|---:|---:|")?;
    for (name, t) in [
        ("gcdoctor --version", version),
        ("gcdoctor explain GC103", explain),
    ] {
        writeln!(
            out,
            "| `{name}` | {} | {} | {} | {} |",
            ms(t.median),
            ms(t.min),
            ms(t.max),
            t.runs
        )?;
    }
    lint::rows(out, lints)?;
    writeln!(
        out,
        "\nrelease binary: {:.1} MB ({size} bytes)",
        size as f64 / 1e6
    )
}

pub(crate) fn batch_table(
    out: &mut String,
    batches: &[BatchResult],
    rtt: Duration,
) -> std::fmt::Result {
    writeln!(
        out,
        "| clients (batch) | wall | × RTT | per client | requests | max round trips of a client | max in flight / host (server) | max in flight / host (gcdoctor) | verdict |"
    )?;
    writeln!(out, "|---:|---:|---:|---:|---:|---:|---|---:|---|")?;
    for b in batches {
        let own: BTreeMap<String, usize> = b.figures.max_in_flight_per_host.clone();
        writeln!(
            out,
            "| {} | {} | {:.1} | {} | {} | {} | {} | {} | {} |",
            b.clients,
            ms(b.wall),
            ratio(b.wall, rtt),
            ms(b.wall / u32::try_from(b.clients.max(1)).unwrap_or(1)),
            b.requests,
            b.figures.max_round_trips,
            match &b.in_flight_host {
                Some(h) => format!("{} ({h})", b.in_flight),
                None => "0".into(),
            },
            busiest(&own).0,
            b.figures.verdict
        )?;
    }
    Ok(())
}
