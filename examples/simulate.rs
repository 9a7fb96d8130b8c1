//! Runs the built-in Genesys Cloud simulator, exactly as `gcdoctor simulate` will:
//!
//! ```text
//! cargo run --example simulate -- --listen 127.0.0.1:0 --scenario healthy
//! cargo run --example simulate -- --list
//! ```
//!
//! The first line on stderr is `listening on http://ADDR`.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use gcdoctor::sim::{SimulateOptions, run_simulate};

/// Serve a simulated Genesys Cloud (login + API hosts of every region) on one port.
#[derive(Debug, Parser)]
struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8089")]
    listen: SocketAddr,
    /// A built-in scenario name or a scenario file (.toml or .json).
    #[arg(long)]
    scenario: Option<String>,
    /// Delay every response by this many milliseconds.
    #[arg(long)]
    latency_ms: Option<u64>,
    /// List the built-in scenarios and exit.
    #[arg(long)]
    list: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let options = SimulateOptions {
        listen: args.listen,
        scenario: args.scenario,
        latency_ms: args.latency_ms,
        list: args.list,
    };
    match run_simulate(options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
