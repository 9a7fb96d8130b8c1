//! `gcdoctor simulate`: the simulator on a local port until Ctrl-C.

use super::UsageError;
use crate::cli::SimulateArgs;
use crate::sim::{SimulateOptions, run_simulate};

pub fn run(args: &SimulateArgs) -> Result<u8, UsageError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| UsageError::new(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(run_simulate(SimulateOptions {
        listen: args.listen,
        scenario: args.scenario.clone(),
        latency_ms: args.latency,
        list: args.list,
    }))
    .map_err(|e| UsageError::new(format!("{e:#}")))?;
    Ok(0)
}
