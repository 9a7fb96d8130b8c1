//! `gcdoctor diagnose --clients FILE`: many clients at once, for CI and support teams.
//!
//! Each client gets its own diagnosis (own budget, own report), all running concurrently
//! over one shared HTTP client: the per-host limit (8 in flight to one host) and the
//! throttling stop hold across the whole batch, so a batch never hammers a login host.
//!
//! The file is a JSON list or one client per line:
//!
//! ```text
//! # client id                              region      where its secret is
//! 7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61     eu-west-1   env:REPORTING_SECRET
//! 2a4c6e80-1b3d-4f57-9a0b-c2d4e6f80a1b     us-east-1   file:/run/secrets/us_client
//! ```
//!
//! ```json
//! [{"client_id": "7c3f…", "region": "eu-west-1", "secret_env": "REPORTING_SECRET"},
//!  {"client_id": "2a4c…", "secret_file": "/run/secrets/us_client"}]
//! ```

use super::diagnose::Resolved;
use super::output::write_atomically;
use super::{Globals, UsageError};
use crate::cli::DiagnoseArgs;
use crate::config::{self, Env};
use crate::engine::{self, Inputs, Session, Silent};
use crate::http::{Shared, Transport, TransportOptions};
use crate::region::{self, Region};
use crate::report::{Format, RenderOptions, Report, Verdict, json, render};
use crate::request::Credentials;
use crate::secret::{Redactor, mask};
use futures_util::StreamExt;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Diagnoses running at once.
const CONCURRENT_CLIENTS: usize = 16;

/// One line of the clients file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSpec {
    pub id: String,
    pub region: Option<&'static Region>,
    pub secret: SecretSource,
    /// Where it was written, e.g. `clients.txt:3`.
    pub at: String,
}

/// Where a client's secret is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretSource {
    Env(String),
    File(String),
}

/// Reads a clients file (JSON list, or one client per line).
pub fn parse_clients(path: &std::path::Path) -> Result<Vec<ClientSpec>, UsageError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError::new(format!("cannot read the clients file {name}: {e}")))?;
    let specs = if text.trim_start().starts_with('[') {
        parse_json(&text, &name)?
    } else {
        parse_lines(&text, &name)?
    };
    if specs.is_empty() {
        return Err(UsageError::new(format!("{name}: no clients in the file")));
    }
    Ok(specs)
}

fn parse_lines(text: &str, name: &str) -> Result<Vec<ClientSpec>, UsageError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = format!("{name}:{}", i + 1);
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let id = words.next().unwrap_or_default().to_string();
        let mut region = None;
        let mut secret = None;
        for w in words {
            if let Some(v) = w.strip_prefix("env:") {
                secret = Some(SecretSource::Env(v.to_string()));
            } else if let Some(v) = w.strip_prefix("file:") {
                secret = Some(SecretSource::File(v.to_string()));
            } else {
                // A word that is no region may be a secret in the wrong column: not quoted.
                let e = |e: region::UnknownRegion| {
                    UsageError::new(format!("{at}: {}", e.to_string().replace(w, &mask(w))))
                };
                region = Some(region::parse(w).map_err(e)?);
            }
        }
        let secret = secret.ok_or_else(|| {
            UsageError::new(format!(
                "{at}: no secret source: add `env:VARIABLE` or `file:PATH` after the client id"
            ))
        })?;
        out.push(ClientSpec {
            id,
            region,
            secret,
            at,
        });
    }
    Ok(out)
}

fn parse_json(text: &str, name: &str) -> Result<Vec<ClientSpec>, UsageError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        UsageError::new(format!(
            "{name}:{}:{}: not valid JSON: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let list = v
        .as_array()
        .ok_or_else(|| UsageError::new(format!("{name}: expected a JSON list of clients")))?;
    list.iter()
        .enumerate()
        .map(|(i, c)| {
            let at = format!("{name}[{i}]");
            let s = |k: &str| c.get(k).and_then(|x| x.as_str()).map(str::to_string);
            let id = s("client_id")
                .ok_or_else(|| UsageError::new(format!("{at}: missing client_id")))?;
            let region = match s("region") {
                Some(r) => Some(region::parse(&r).map_err(|e| {
                    UsageError::new(format!(
                        "{at}.region: {}",
                        e.to_string().replace(&r, &mask(&r))
                    ))
                })?),
                None => None,
            };
            let secret = match (s("secret_env"), s("secret_file")) {
                (Some(e), None) => SecretSource::Env(e),
                (None, Some(f)) => SecretSource::File(f),
                _ => {
                    return Err(UsageError::new(format!(
                        "{at}: give exactly one of secret_env and secret_file"
                    )));
                }
            };
            Ok(ClientSpec {
                id,
                region,
                secret,
                at,
            })
        })
        .collect()
}

/// Runs the batch; returns the exit code: 1 if any cause was found, else 3 if any run was
/// inconclusive, else 0.
pub fn run(args: &DiagnoseArgs, base: Resolved, g: Globals) -> Result<u8, UsageError> {
    let path = args.clients.as_deref().unwrap_or(std::path::Path::new("-"));
    let specs = parse_clients(path)?;
    let env = Env::new(args.env_file.as_deref())?;
    let mut all_secrets = base.secrets.clone();
    let mut sessions = Vec::new();
    let shared = Arc::new(Shared::default());
    let opts = TransportOptions {
        connect_to: args.connect_to.clone().filter(|s| !s.is_empty()),
        timeout: std::time::Duration::from_secs(args.timeout),
        allow_hosts: args.allow_host.clone(),
        ..TransportOptions::default()
    };
    for spec in &specs {
        let secret = zeroize::Zeroizing::new(match &spec.secret {
            SecretSource::Env(v) => env.var(v).ok_or_else(|| {
                UsageError::new(format!(
                    "{}: the variable {} is not set",
                    spec.at,
                    crate::secret::mask::env_name(v)
                ))
            })?,
            SecretSource::File(f) => config::read_secret_file(f, &format!("secret of {}", spec.at))
                .map_err(|e| UsageError::new(e.0.replace(f, &crate::secret::mask::path(f))))?,
        });
        let mut redactor = Redactor::new();
        for s in &base.secrets {
            redactor.add(s);
        }
        redactor.add(&secret);
        if !crate::secret::is_uuid_shaped(&spec.id) {
            // Contract §4: an id that is not UUID-shaped may be the secret, swapped.
            redactor.add(&spec.id);
        }
        crate::secret::register_for_panics(&redactor);
        all_secrets.push(secret.clone());
        let mut inputs: Inputs = base.inputs.clone();
        inputs.creds = Credentials::new(spec.id.clone(), secret.as_str());
        inputs.region = spec.region.or(base.inputs.region);
        inputs.sources = vec![
            crate::report::InputSource {
                name: "client id".into(),
                value: spec.id.clone(),
                source: spec.at.clone(),
            },
            crate::report::InputSource {
                name: "client secret".into(),
                value: mask(&secret),
                source: match &spec.secret {
                    SecretSource::Env(v) => format!("env {v}"),
                    SecretSource::File(f) => format!("file {f}"),
                },
            },
        ];
        let transport =
            Transport::with_shared(opts.clone(), Arc::new(Mutex::new(redactor)), shared.clone());
        sessions.push(Session::new(inputs, Arc::new(transport)));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| UsageError::new(format!("cannot start the async runtime: {e}")))?;
    let started = std::time::Instant::now();
    let mut reports: Vec<Report> = runtime.block_on(async {
        futures_util::stream::iter(sessions.iter().map(|s| engine::diagnose(s, &Silent)))
            .buffered(CONCURRENT_CLIENTS)
            .collect()
            .await
    });
    let mut redactor = Redactor::new();
    for s in &all_secrets {
        redactor.add(s);
    }
    for s in &sessions {
        s.transport.redactor_into(&mut redactor);
    }
    let redactor = redactor.with_global();
    for r in reports.iter_mut() {
        r.scrub(&redactor);
    }
    let stats = sessions
        .first()
        .map(|s| s.transport.stats())
        .unwrap_or_default();
    let batch = Batch {
        reports,
        elapsed_ms: started.elapsed().as_millis() as u64,
        max_in_flight: stats.max_in_flight,
        specs,
    };
    let text = redactor.scrub(&batch.render(args.output.format, g));
    match &args.output.output {
        Some(p) => write_atomically(p, text.as_bytes())?,
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
    }
    Ok(batch.exit_code())
}

/// A finished batch.
pub struct Batch {
    pub reports: Vec<Report>,
    pub specs: Vec<ClientSpec>,
    pub elapsed_ms: u64,
    pub max_in_flight: std::collections::BTreeMap<String, usize>,
}

impl Batch {
    pub fn exit_code(&self) -> u8 {
        let v: Vec<Verdict> = self.reports.iter().map(|r| r.verdict).collect();
        if v.contains(&Verdict::CauseFound) {
            1
        } else if v.contains(&Verdict::Inconclusive) {
            3
        } else {
            0
        }
    }

    fn verdict(&self) -> &'static str {
        match self.exit_code() {
            0 => "healthy",
            1 => "cause-found",
            _ => "inconclusive",
        }
    }

    fn render(&self, format: Format, g: Globals) -> String {
        let opts = RenderOptions {
            color: false,
            unicode: super::output::unicode_ok(),
            verbose: g.verbose,
        };
        let none = Redactor::new();
        match format {
            Format::Json => {
                // Fields in a fixed order, `schema` first, as in single reports.
                #[derive(serde::Serialize)]
                struct View<'a> {
                    schema: &'static str,
                    verdict: &'static str,
                    exit_code: u8,
                    requests_sent: usize,
                    max_in_flight_per_host: &'a std::collections::BTreeMap<String, usize>,
                    elapsed_ms: u64,
                    clients: Vec<serde_json::Value>,
                }
                let v = View {
                    schema: "gcdoctor.batch/v1",
                    verdict: self.verdict(),
                    exit_code: self.exit_code(),
                    requests_sent: self.reports.iter().map(|r| r.requests_sent).sum(),
                    max_in_flight_per_host: &self.max_in_flight,
                    elapsed_ms: self.elapsed_ms,
                    clients: self.reports.iter().map(json::to_value).collect(),
                };
                let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
                s.push('\n');
                s
            }
            Format::Junit => crate::report::junit::render_many(
                self.specs.iter().map(|s| s.id.as_str()).zip(&self.reports),
                self.elapsed_ms,
            ),
            Format::Text | Format::Markdown => {
                let md = format == Format::Markdown;
                let mut out = String::new();
                out.push_str(if md { "## gcdoctor batch\n\n| client | region | verdict | cause | requests |\n|---|---|---|---|---|\n" } else { "gcdoctor batch\n" });
                for (r, spec) in self.reports.iter().zip(&self.specs) {
                    let cause = r
                        .cause_finding()
                        .map(|c| format!("{} {}", c.cause.code(), c.cause.name()))
                        .unwrap_or_else(|| "-".into());
                    let region = r
                        .region
                        .detected
                        .or(r.region.configured)
                        .map_or("-", |x| x.key);
                    if md {
                        out.push_str(&format!(
                            "| `{}` | {region} | {} | {cause} | {} |\n",
                            spec.id,
                            r.verdict.as_str(),
                            r.requests_sent
                        ));
                    } else {
                        out.push_str(&format!(
                            "  {:<38} {:<15} {:<13} {:<28} {:>3} requests\n",
                            spec.id,
                            region,
                            r.verdict.as_str(),
                            cause,
                            r.requests_sent
                        ));
                    }
                }
                out.push_str(&format!(
                    "\n{}, {}, {:.1} s, exit {}\n",
                    crate::finding::plural(self.reports.len(), "client", "clients"),
                    crate::finding::plural(
                        self.reports.iter().map(|r| r.requests_sent).sum::<usize>(),
                        "request",
                        "requests"
                    ),
                    self.elapsed_ms as f64 / 1000.0,
                    self.exit_code()
                ));
                for (r, spec) in self.reports.iter().zip(&self.specs) {
                    if r.verdict == Verdict::Healthy {
                        continue;
                    }
                    out.push_str(if md {
                        "\n---\n\n"
                    } else {
                        "\n──────────\n"
                    });
                    out.push_str(&format!("{}{}\n\n", if md { "### " } else { "" }, spec.id));
                    out.push_str(&render(r, format, opts, &none));
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_file_formats() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.txt");
        std::fs::write(
            &p,
            "# comment\nid-1 eu-west-1 env:A\n\nid-2 file:/x # trailing\n",
        )
        .unwrap();
        let c = parse_clients(&p).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].region.map(|r| r.key), Some("eu-west-1"));
        assert_eq!(c[1].secret, SecretSource::File("/x".into()));
        std::fs::write(&p, "id-1 eu-west-9 env:A\n").unwrap();
        assert!(parse_clients(&p).unwrap_err().0.contains("c.txt:1"));
        std::fs::write(&p, "id-1 eu-west-1\n").unwrap();
        assert!(
            parse_clients(&p)
                .unwrap_err()
                .0
                .contains("no secret source")
        );
        std::fs::write(&p, r#"[{"client_id":"a","secret_env":"X"},{"client_id":"b","region":"mypurecloud.ie","secret_file":"f"}]"#).unwrap();
        let c = parse_clients(&p).unwrap();
        assert_eq!(c[1].region.map(|r| r.key), Some("eu-west-1"));
        std::fs::write(&p, r#"[{"client_id":"a"}]"#).unwrap();
        assert!(parse_clients(&p).unwrap_err().0.contains("exactly one"));
    }
}
