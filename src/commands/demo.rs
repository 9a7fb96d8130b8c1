//! `gcdoctor demo`: the zero-setup first run.
//!
//! Starts the simulator in-process on a broken built-in scenario and runs the real diagnosis
//! against it over the test seam: the same engine, probes and report as on a real client.
//! Nothing in the report is canned. The exit code is the report's, as `diagnose` gives it
//! (0 healthy, 1 cause found, 3 inconclusive), so the process, the footer and the JSON
//! `exit_code` agree; a diagnosis that misses the scenario's intended cause is a warning on
//! stderr.

use super::diagnose::execute;
use super::resolve::Resolved;
use super::{Globals, UsageError};
use crate::cli::DemoArgs;
use crate::engine::{Admin, ApiTarget, Inputs};
use crate::http::TransportOptions;
use crate::report::InputSource;
use crate::request::Credentials;
use crate::secret::mask;
use crate::sim::{self, Scenario};

pub fn run(args: &DemoArgs, g: Globals) -> Result<u8, UsageError> {
    let scenario = builtin(&args.scenario)?;
    let demo = scenario.demo_inputs().ok_or_else(|| {
        UsageError::new(format!("scenario `{}` has no [demo] inputs", args.scenario))
    })?;
    let description = scenario.description.clone();
    let handle = SimThread::start(scenario)?;

    let mut command = format!("gcdoctor diagnose --client-id {}", demo.client_id);
    let mut sources = vec![
        InputSource {
            name: "client id".into(),
            value: demo.client_id.clone(),
            source: "demo scenario".into(),
        },
        InputSource {
            name: "client secret".into(),
            value: mask(&demo.secret),
            source: "demo scenario".into(),
        },
    ];
    let (region, token_url) = match demo.region {
        Some(r) => {
            command.push_str(&format!(" --region {}", r.key));
            sources.push(InputSource {
                name: "region".into(),
                value: r.to_string(),
                source: "demo scenario".into(),
            });
            (Some(r), None)
        }
        None => {
            command.push_str(&format!(" --token-url {}", demo.token_url));
            (None, Some(demo.token_url.clone()))
        }
    };
    let mut secrets = vec![zeroize::Zeroizing::new(demo.secret.clone())];
    let admin = demo.admin.as_ref().map(|(id, secret)| {
        command.push_str(&format!(" --admin-client-id {id}"));
        secrets.push(zeroize::Zeroizing::new(secret.clone()));
        Admin::Client {
            creds: Credentials::new(id.clone(), secret.clone()),
            region: None,
        }
    });
    // The user's own request, where the scenario has one: diagnosed as --from-curl would.
    let imported = match &demo.curl {
        Some(curl) => {
            command.push_str(" --from-curl request.sh");
            let imp =
                crate::import::parse(curl, crate::request::InputKind::Curl, "request.sh", &|_| {
                    None
                })
                .map_err(|e| UsageError::new(format!("the scenario's curl command: {e}")))?;
            Some(imp)
        }
        None => None,
    };
    let mut check_api = Vec::new();
    for c in &demo.check_api {
        command.push_str(&format!(" --check-api '{c}'"));
        check_api.push(ApiTarget::parse(c).map_err(UsageError::new)?);
    }
    if !g.quiet {
        eprintln!(
            "gcdoctor demo: a simulated Genesys Cloud org ({}): {description}.",
            args.scenario
        );
        eprintln!(
            "Running, against the simulator on {}:\n  {command}\n",
            handle.addr
        );
    }
    let resolved = Resolved {
        inputs: Inputs {
            creds: Credentials::new(demo.client_id.clone(), demo.secret.clone()),
            creds_override: false,
            region,
            token_url,
            imported,
            admin,
            check_api,
            sources,
            notes: vec![format!("demo: simulated scenario `{}`", args.scenario)],
            findings: Vec::new(),
            ..Inputs::default()
        },
        secrets,
        warnings: Vec::new(),
        command: Some(format!("gcdoctor demo --scenario {}", args.scenario)),
    };
    let transport = TransportOptions {
        connect_to: Some(handle.addr.to_string()),
        ..TransportOptions::default()
    };
    let outcome = execute(resolved, transport, &args.output, g);
    handle.stop();
    let outcome = outcome?;
    if !g.quiet {
        eprintln!(
            "\nThat was a simulated client. To diagnose your own:\n  gcdoctor diagnose --client-id YOUR_CLIENT_ID --client-secret-file secret.txt --region YOUR_REGION\n  gcdoctor diagnose --from-curl your-failing-command.sh\nOther simulated failures: gcdoctor simulate --list, then gcdoctor demo --scenario NAME."
        );
    }
    // The exit code is the report's, as `diagnose` would give it (1 for a named cause), so
    // the report's footer, its JSON `exit_code` and the process agree. A diagnosis that
    // misses the scenario's intended cause is said on stderr.
    let expected = demo.expected_cause.map(|c| c.code());
    let found = outcome
        .cause
        .as_deref()
        .or((outcome.exit == 0).then_some("GC000"));
    if let Some(e) = expected.filter(|e| Some(*e) != found) {
        eprintln!(
            "gcdoctor demo: warning: the scenario shows {e}, the diagnosis found {}",
            found.unwrap_or("no cause")
        );
    }
    Ok(outcome.exit)
}

/// The built-in scenario of that name.
fn builtin(name: &str) -> Result<Scenario, UsageError> {
    Scenario::builtin(name).ok_or_else(|| {
        let names: Vec<&str> = Scenario::builtin_names().iter().map(|(n, _)| *n).collect();
        UsageError::new(format!(
            "no built-in scenario `{name}`; there are: {}",
            names.join(", ")
        ))
    })
}

/// The simulator on its own thread and runtime, so the diagnosis runs exactly as it would
/// against a remote service.
struct SimThread {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SimThread {
    fn start(scenario: Scenario) -> Result<SimThread, UsageError> {
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                    return;
                }
            };
            rt.block_on(async move {
                match sim::start(scenario, std::net::SocketAddr::from(([127, 0, 0, 1], 0))).await {
                    Ok(h) => {
                        let _ = tx.send(Ok(h.addr()));
                        let _ = stopped.await;
                        h.shutdown();
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e.to_string()));
                    }
                }
            });
        });
        let addr = rx
            .recv()
            .map_err(|_| UsageError::new("the simulator thread ended before it started"))?
            .map_err(|e| UsageError::new(format!("cannot start the simulator: {e}")))?;
        Ok(SimThread {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
