//! The gcdoctor benchmark (issue 7): `cargo run --release --example bench [-- --latency MS]`.
//!
//! # What it measures, and how
//!
//! Everything printed is measured in this run; nothing is hard-coded.
//!
//! * **Diagnoses.** For each case (a scenario of the built-in simulator and the inputs its
//!   user has), the **real release binary** (`target/release/gcdoctor`, built first with
//!   `cargo build --release` so it is never stale) runs `diagnose --format json` as a child
//!   process, over the test seam (`GCDOCTOR_CONNECT_TO`) to the simulator running in this
//!   process with `--latency` ms (default 100) added to every answer: one injected round
//!   trip. Each case runs `--runs` times (default 3) against a fresh simulator; the wall
//!   time is the median of the runs, every count the worst of them.
//!   - *wall*: process start to exit; also as a multiple of the injected round trip;
//!   - *requests*: what the simulator received (checked against the report's
//!     `requests_sent`);
//!   - *round trips*: the report's `round_trips` (rounds on the critical path);
//!   - *max in flight*: the most requests the simulator was answering at once for one host,
//!     from the `received_at` / `answered_at` of its request log;
//!   - *after throttle*: requests the simulator received after it had answered with
//!     throttling (a 429, or a login host's `rate limit exceeded` 400).
//! * **The naive sequential approach** (`bench/naive.rs`), measured in the same run against
//!   a fresh simulator: the same hypotheses as plain requests one after the other (the
//!   token request, each variation, each region in table order, the admin lookup), stopping
//!   at the first answer that settles the cause. Its round trips are its requests. The
//!   speed-up is the naive median wall time over gcdoctor's.
//! * **Start-up**: `gcdoctor --version` and `gcdoctor explain GC103`, one warm-up run then
//!   `--startup-runs` (≥ 30) runs each with `std::process::Command`, median.
//! * **Lint** (`bench/lint.rs`): `gcdoctor lint` of a file of at least 2,000 lines of each
//!   script kind of the importer registry (Python, JavaScript, Java, Go, …), made of the
//!   kind's fixtures, median of 15 runs (n/a while `lint` is not built).
//! * **Binary size** of the release binary, with every grammar (≤ 18 MB, issue 18).
//! * **Batch**: `diagnose --clients FILE` for 1 to 100 generated healthy clients in two
//!   regions (each with its own secret in an environment variable), with the same figures.
//!
//! * **The wait over TLS** (`bench/wait.rs`, issue 15): the simulator over TLS behind a
//!   delaying TCP proxy (`bench/delay.rs`), so that connection set-up costs round trips as
//!   on a real network; gcdoctor through the test-only TLS seam, one SDK-style login and the
//!   naive approach, each as a multiple of the login. `--wait-only` runs just this part.
//!
//! The cases are built in `bench/cases.rs`; the tables and the targets on diagnoses are
//! printed by `bench/report.rs`.
//!
//! Then each target of issues 7, 15 and 18 is printed with PASS, FAIL or n/a, and the process exits
//! non-zero if any target failed. `docs/performance.md` explains the method and holds the
//! latest figures.

#[path = "bench/cases.rs"]
mod cases;
#[path = "bench/delay.rs"]
mod delay;
#[path = "bench/figures.rs"]
mod figures;
#[path = "bench/lint.rs"]
mod lint;
#[path = "bench/naive.rs"]
mod naive;
#[path = "bench/report.rs"]
mod report;
#[path = "bench/targets.rs"]
mod targets;
#[path = "bench/test_ca.rs"]
mod test_ca;
#[path = "bench/wait.rs"]
mod wait;

use anyhow::{Context as _, Result, bail};
use base64::Engine as _;
use cases::{Case, cases};
use clap::Parser;
use figures::{BatchFigures, busiest, max_in_flight_per_host, median, sent_after_throttling};
use gcdoctor::sim::scenario::{OutageHost, OutageKind};
use gcdoctor::sim::{self, LoggedRequest, Scenario, SimHandle};
use naive::Naive;
use report::{batch_table, check_diagnoses, diagnosis_table, ms, ratio, startup_table};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};
use std::time::{Duration, Instant};
use targets::Targets;

/// Most requests gcdoctor may have in flight to one host (issue 7).
const PER_HOST_LIMIT: usize = 8;

#[derive(Debug, Parser)]
#[command(about = "Benchmark of the gcdoctor release binary against the in-process simulator")]
struct Args {
    /// Latency the simulator adds to every answer: one injected round trip, in ms.
    #[arg(long, default_value_t = 100, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..=2000))]
    latency: u64,

    /// Runs of each diagnosis and batch (the median wall time is shown).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=20))]
    runs: u64,

    /// Runs of each start-up command (median shown; at least 30).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(30..=1000))]
    startup_runs: u64,

    /// Batch sizes (clients), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,10,50,100")]
    batch: Vec<usize>,

    /// Use the existing release binary instead of running `cargo build --release` first.
    #[arg(long)]
    no_build: bool,

    /// Only the wait measurement over TLS (connection set-up included) and its targets.
    #[arg(long)]
    wait_only: bool,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("bench: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs everything; returns whether every target passed.
fn run(args: Args) -> Result<bool> {
    let bin = release_binary(args.no_build)?;
    let bench = Bench::new(bin, &args)?;
    let mut targets = Targets::default();

    let cases = cases(&bench)?;
    if args.wait_only {
        eprintln!("bench: wait over TLS ({} run(s) each)…", args.runs);
        let wait = wait::measure(&bench, &cases, &BTreeMap::new())?;
        let mut out = format!("{}\n\n", bench.machine());
        wait.table(&mut out)?;
        writeln!(out)?;
        wait.check(&mut targets);
        targets.print(&mut out)?;
        print!("{out}");
        return Ok(targets.all_passed());
    }
    eprintln!("bench: diagnoses ({} run(s) each)…", args.runs);
    let mut results = Vec::new();
    for case in &cases {
        eprintln!("bench:   {}", case.name);
        let gcdoctor = bench.gcdoctor_case(case)?;
        let naive = bench.naive_case(case)?;
        results.push((case, gcdoctor, naive));
    }

    eprintln!("bench: start-up, lint, size…");
    let version = bench.time_command(&["--version"], bench.startup_runs)?;
    let explain = bench.time_command(&["explain", "GC103"], bench.startup_runs)?;
    let lints = bench.lints()?;
    let size = std::fs::metadata(&bench.bin)
        .with_context(|| format!("cannot read {}", bench.bin.display()))?
        .len();

    eprintln!("bench: batch…");
    let mut batches = Vec::new();
    for &n in &args.batch {
        eprintln!("bench:   {n} client(s)");
        batches.push(bench.batch(n)?);
    }

    eprintln!("bench: wait over TLS…");
    let plain = results
        .iter()
        .filter_map(|(c, m, _)| match m {
            Measured::Done(f) => Some((c.name.clone(), f.requests)),
            Measured::Unavailable(_) => None,
        })
        .collect();
    let wait = wait::measure(&bench, &cases, &plain)?;

    // The report.
    let mut out = String::new();
    writeln!(out, "{}", bench.machine())?;
    writeln!(out)?;
    diagnosis_table(&mut out, &results, bench.latency)?;
    writeln!(out)?;
    startup_table(&mut out, &version, &explain, &lints, size)?;
    writeln!(out)?;
    batch_table(&mut out, &batches, bench.latency)?;
    writeln!(out)?;
    wait.table(&mut out)?;
    writeln!(out)?;

    check_diagnoses(&mut targets, &results);
    wait.check(&mut targets);
    targets.check(
        "`gcdoctor --version` starts in ≤ 5 ms (median)",
        format!("{} over {} runs", ms(version.median), version.runs),
        version.median <= Duration::from_millis(5),
    );
    targets.check(
        "`gcdoctor explain GC103` starts in ≤ 5 ms (median)",
        format!("{} over {} runs", ms(explain.median), explain.runs),
        explain.median <= Duration::from_millis(5),
    );
    lint::check(&mut targets, &lints);
    targets.check(
        "release binary ≤ 18 MB",
        format!("{:.1} MB ({size} bytes)", size as f64 / 1e6),
        size <= 18_000_000,
    );
    for b in &batches {
        let mut measured = format!(
            "max {} in flight ({}), {} request(s)",
            b.in_flight,
            b.in_flight_host.as_deref().unwrap_or("-"),
            b.requests
        );
        for p in &b.problems {
            measured.push_str("; ");
            measured.push_str(p);
        }
        targets.check(
            &format!(
                "batch of {}: every client healthy, ≤ {PER_HOST_LIMIT} in flight per host",
                b.clients
            ),
            measured,
            b.problems.is_empty() && b.in_flight <= PER_HOST_LIMIT,
        );
    }
    targets.print(&mut out)?;
    print!("{out}");
    Ok(targets.all_passed())
}

/// Finds the release binary next to this example's own executable, building it first.
fn release_binary(no_build: bool) -> Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find the benchmark's own executable")?;
    // target/<profile>/examples/bench → target/<profile>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .context("the benchmark's executable is not under target/<profile>/examples")?;
    if profile_dir.file_name().and_then(|n| n.to_str()) != Some("release") {
        bail!(
            "the benchmark measures the release binary: run it as `cargo run --release --example bench`"
        );
    }
    let bin = profile_dir.join(format!("gcdoctor{}", std::env::consts::EXE_SUFFIX));
    if !no_build {
        // `cargo run --example` builds the example but not the binary: build (or confirm up
        // to date) the binary the users get, with the same target directory.
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
        let target_dir = profile_dir.parent().context("no target directory")?;
        eprintln!("bench: cargo build --release --bin gcdoctor…");
        let status = Command::new(cargo)
            .args(["build", "--release", "--bin", "gcdoctor", "--manifest-path"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target_dir)
            .status();
        match status {
            Ok(s) if s.success() => {}
            Ok(s) => bail!("`cargo build --release --bin gcdoctor` failed ({s})"),
            Err(e) => {
                eprintln!("bench: note: could not run cargo ({e}); using the existing binary")
            }
        }
    }
    if !bin.is_file() {
        bail!(
            "{} is missing: build it with `cargo build --release` (or run `cargo run --release --example bench`, which builds it)",
            bin.display()
        );
    }
    Ok(bin)
}

/// The environment of the benchmark: the binary, a runtime for the simulator, a scratch
/// directory.
struct Bench {
    bin: PathBuf,
    rt: tokio::runtime::Runtime,
    latency: Duration,
    runs: u64,
    startup_runs: u64,
    /// Scratch files (curl commands, Python scripts, clients files) and an empty HOME.
    dir: tempfile::TempDir,
}

/// What gcdoctor did in one case.
enum Measured {
    Done(Figures),
    /// The binary does not do this yet (e.g. `--from-curl` not built).
    Unavailable(String),
}

/// Figures of one approach in one case.
struct Figures {
    wall: Duration,
    requests: usize,
    round_trips: usize,
    in_flight: usize,
    in_flight_host: Option<String>,
    after_throttle: usize,
    /// The cause id found, or the verdict (gcdoctor); the conclusion (naive).
    conclusion: String,
    /// Problems seen on the way (report and log disagree, …).
    notes: Vec<String>,
}

/// A timed command.
struct Timed {
    median: Duration,
    min: Duration,
    max: Duration,
    runs: u64,
}

enum Lint {
    Timed(Timed),
    Unavailable(String),
}

struct BatchResult {
    clients: usize,
    wall: Duration,
    requests: usize,
    in_flight: usize,
    in_flight_host: Option<String>,
    figures: BatchFigures,
    /// What was wrong in any run (a client not healthy, counts that disagree).
    problems: Vec<String>,
}

impl Bench {
    fn new(bin: PathBuf, args: &Args) -> Result<Bench> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("cannot start the runtime")?;
        Ok(Bench {
            bin,
            rt,
            latency: Duration::from_millis(args.latency),
            runs: args.runs,
            startup_runs: args.startup_runs,
            dir: tempfile::tempdir().context("cannot create a scratch directory")?,
        })
    }

    /// The binary with a clean environment: no credentials, no proxies, an empty HOME.
    fn gcdoctor(&self) -> Command {
        let mut c = Command::new(&self.bin);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("NO_COLOR", "1");
        c
    }

    /// Writes a scratch file; returns its path.
    fn file(&self, name: &str, text: &str) -> Result<String> {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).with_context(|| format!("cannot write {}", p.display()))?;
        Ok(p.to_string_lossy().into_owned())
    }

    fn start(&self, mut scenario: Scenario) -> Result<SimHandle> {
        scenario.latency_ms = u64::try_from(self.latency.as_millis())?;
        self.rt
            .block_on(sim::start(scenario, "127.0.0.1:0".parse()?))
            .context("cannot start the simulator")
    }

    /// Runs gcdoctor on a case `runs` times.
    fn gcdoctor_case(&self, case: &Case) -> Result<Measured> {
        let mut walls = Vec::new();
        let mut worst = Figures::default();
        for _ in 0..self.runs {
            let sim = self.start(case.scenario.clone())?;
            let mut cmd = self.gcdoctor();
            cmd.args(["diagnose", "--format", "json"])
                .args(&case.args)
                .envs(case.env.iter().map(|(k, v)| (k, v)))
                .env("GCDOCTOR_CONNECT_TO", sim.addr().to_string());
            let started = Instant::now();
            let out = cmd.output().context("cannot run gcdoctor")?;
            let wall = started.elapsed();
            let log = sim.requests();
            sim.shutdown();
            if let Some(why) = not_built(&out) {
                return Ok(Measured::Unavailable(why));
            }
            let stdout = String::from_utf8_lossy(&out.stdout);
            let report = figures::read_report(&stdout).map_err(|e| {
                anyhow::anyhow!(
                    "{}: {e}\nstderr: {}",
                    case.name,
                    String::from_utf8_lossy(&out.stderr)
                )
            })?;
            walls.push(wall);
            let mut f = figures_of(&log, &case.scenario);
            f.round_trips = usize::try_from(report.round_trips)?;
            f.conclusion = report.cause.clone().unwrap_or(report.verdict.clone());
            if report.requests_sent != log.len() as u64 {
                f.notes.push(format!(
                    "the report counts {} request(s), the simulator received {}",
                    report.requests_sent,
                    log.len()
                ));
            }
            let found_expected = match case.expected.as_str() {
                "healthy" => report.verdict == "healthy",
                id => report.cause.as_deref() == Some(id),
            };
            if !found_expected {
                f.notes.push(format!(
                    "expected {}, gcdoctor concluded {}",
                    case.expected, f.conclusion
                ));
            }
            worst.merge(f);
        }
        worst.wall = median(&walls);
        Ok(Measured::Done(worst))
    }

    /// Runs the naive sequential baseline on a case `runs` times.
    fn naive_case(&self, case: &Case) -> Result<Figures> {
        let mut walls = Vec::new();
        let mut worst = Figures::default();
        for _ in 0..self.runs {
            let sim = self.start(case.scenario.clone())?;
            let naive = Naive::new(sim.addr());
            let started = Instant::now();
            let run = self.rt.block_on(naive.run(&case.naive));
            let wall = started.elapsed();
            let log = sim.requests();
            sim.shutdown();
            walls.push(wall);
            let mut f = figures_of(&log, &case.scenario);
            f.round_trips = run.requests;
            f.conclusion = run.conclusion.to_string();
            worst.merge(f);
        }
        worst.wall = median(&walls);
        Ok(worst)
    }

    /// Times `gcdoctor ARGS` (output discarded): one warm-up, then `runs` runs.
    fn time_command(&self, args: &[&str], runs: u64) -> Result<Timed> {
        let mut times = Vec::new();
        for i in 0..=runs {
            let started = Instant::now();
            let out = self.gcdoctor().args(args).output()?;
            let t = started.elapsed();
            if !out.status.success() {
                bail!(
                    "`gcdoctor {}` failed: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            if i > 0 {
                times.push(t);
            }
        }
        Ok(Timed {
            median: median(&times),
            min: times.iter().copied().min().unwrap_or_default(),
            max: times.iter().copied().max().unwrap_or_default(),
            runs,
        })
    }

    /// `diagnose --clients FILE` for `n` generated healthy clients.
    fn batch(&self, n: usize) -> Result<BatchResult> {
        let BatchWorld {
            scenario,
            clients_file,
            env,
        } = batch_world(n)?;
        let path = self.file(&format!("clients-{n}.txt"), &clients_file)?;
        let mut walls = Vec::new();
        let mut result: Option<BatchResult> = None;
        for _ in 0..self.runs {
            let sim = self.start(scenario.clone())?;
            let started = Instant::now();
            let out = self
                .gcdoctor()
                .args(["diagnose", "--clients", &path, "--format", "json"])
                .envs(env.iter().map(|(k, v)| (k, v)))
                .env("GCDOCTOR_CONNECT_TO", sim.addr().to_string())
                .output()
                .context("cannot run gcdoctor")?;
            let wall = started.elapsed();
            let log = sim.requests();
            sim.shutdown();
            walls.push(wall);
            let figures =
                figures::read_batch(&String::from_utf8_lossy(&out.stdout)).map_err(|e| {
                    anyhow::anyhow!(
                        "batch of {n}: {e}\nstderr: {}",
                        String::from_utf8_lossy(&out.stderr)
                    )
                })?;
            let per_host = max_in_flight_per_host(&log);
            let (in_flight, host) = busiest(&per_host);
            let mut problems = Vec::new();
            if figures.verdict != "healthy" || figures.clients != n {
                problems.push(format!(
                    "verdict {} for {} of {n} client(s)",
                    figures.verdict, figures.clients
                ));
            }
            if figures.requests_sent != log.len() as u64 {
                problems.push(format!(
                    "the report counts {} request(s), the simulator received {}",
                    figures.requests_sent,
                    log.len()
                ));
            }
            let this = BatchResult {
                clients: n,
                wall,
                requests: log.len(),
                in_flight,
                in_flight_host: host,
                figures,
                problems,
            };
            // Keep the worst run: most in flight, then most requests; problems of every run.
            result = Some(match result {
                None => this,
                Some(mut prev) => {
                    let worse = (this.in_flight, this.requests) > (prev.in_flight, prev.requests);
                    let mut problems = std::mem::take(&mut prev.problems);
                    problems.extend(this.problems.iter().cloned());
                    let mut kept = if worse { this } else { prev };
                    problems.dedup();
                    kept.problems = problems;
                    kept
                }
            });
        }
        let mut r = result.context("no batch run")?;
        r.wall = median(&walls);
        Ok(r)
    }

    /// One line about where this ran.
    fn machine(&self) -> String {
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_else(|| "unknown CPU".into());
        let version = self
            .gcdoctor()
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        format!(
            "{version} (release), {} {}, {cores} core(s), {cpu}; injected latency {} per request; {} run(s) per case",
            std::env::consts::OS,
            std::env::consts::ARCH,
            ms(self.latency),
            self.runs
        )
    }
}

impl Default for Figures {
    fn default() -> Self {
        Figures {
            wall: Duration::ZERO,
            requests: 0,
            round_trips: 0,
            in_flight: 0,
            in_flight_host: None,
            after_throttle: 0,
            conclusion: String::new(),
            notes: Vec::new(),
        }
    }
}

impl Figures {
    /// Keeps the worst of two runs' counts.
    fn merge(&mut self, other: Figures) {
        self.requests = self.requests.max(other.requests);
        self.round_trips = self.round_trips.max(other.round_trips);
        if other.in_flight > self.in_flight {
            self.in_flight = other.in_flight;
            self.in_flight_host = other.in_flight_host;
        }
        self.after_throttle = self.after_throttle.max(other.after_throttle);
        self.conclusion = other.conclusion;
        for n in other.notes {
            if !self.notes.contains(&n) {
                self.notes.push(n);
            }
        }
    }
}

/// The figures the simulator's log gives.
fn figures_of(log: &[LoggedRequest], scenario: &Scenario) -> Figures {
    let per_host = max_in_flight_per_host(log);
    let (in_flight, host) = busiest(&per_host);
    Figures {
        requests: log.len(),
        in_flight,
        in_flight_host: host,
        after_throttle: sent_after_throttling(log, |r| is_throttling(r, scenario)),
        ..Figures::default()
    }
}

/// Whether the simulator's answer was throttling: a 429, or a 400 to a token request at a
/// login host the scenario throttles (its `rate-limited` outages). The login limiter's own
/// 400s look like any other 400 in the log; no case here reaches it.
fn is_throttling(r: &LoggedRequest, scenario: &Scenario) -> bool {
    if r.status == 429 {
        return true;
    }
    r.status == 400
        && r.target.starts_with("/oauth/token")
        && scenario.outages.iter().any(|o| {
            o.kind == OutageKind::RateLimited
                && o.host == OutageHost::Login
                && o.region.map_or_else(
                    || r.host.starts_with("login."),
                    |reg| reg.login_host() == r.host,
                )
        })
}

/// The reason, when the binary says a command or flag is not built yet.
fn not_built(out: &Output) -> Option<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    (out.status.code() == Some(2) && stderr.contains("not built yet")).then(|| {
        stderr
            .lines()
            .find(|l| l.contains("not built yet"))
            .unwrap_or_default()
            .trim_start_matches("gcdoctor: error: ")
            .to_string()
    })
}

/// A world with `n` healthy clients, the clients file naming them, and the environment
/// holding their secrets.
struct BatchWorld {
    scenario: Scenario,
    clients_file: String,
    env: Vec<(String, String)>,
}

/// `n` healthy clients, alternately in eu-west-1 and us-east-1, each with its own secret.
fn batch_world(n: usize) -> Result<BatchWorld> {
    let regions = ["eu-west-1", "us-east-1"];
    let mut toml = format!(
        "name = \"bench-batch-{n}\"\ndescription = \"{n} healthy clients in two regions\"\n\n\
         [[roles]]\nname = \"Reporting Reader\"\npermissions = [\"routing:queue:view\", \"directory:user:view\", \"authorization:role:view\"]\n"
    );
    let mut file = String::from("# client id                            region     secret\n");
    let mut env = Vec::new();
    for k in 0..n {
        let id = uuid::Uuid::new_v4().to_string();
        let mut bytes = uuid::Uuid::new_v4().as_bytes().to_vec();
        bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
        let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let region = regions[k % regions.len()];
        let var = format!("BENCH_SECRET_{k}");
        write!(
            toml,
            "\n[[clients]]\nid = \"{id}\"\nsecret = \"{secret}\"\nregion = \"{region}\"\nname = \"Batch client {k}\"\nroles = [\"Reporting Reader\"]\n"
        )?;
        writeln!(file, "{id}  {region}  env:{var}")?;
        env.push((var, secret));
    }
    let scenario =
        Scenario::from_toml_str(&toml, "bench batch").map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(BatchWorld {
        scenario,
        clients_file: file,
        env,
    })
}
