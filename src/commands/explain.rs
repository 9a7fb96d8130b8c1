//! `gcdoctor explain`: the catalogue pages, embedded in the binary.

use super::UsageError;
use crate::catalogue::CauseId;
use crate::cli::ExplainArgs;
use crate::region::edit_distance;
use std::io::Write;

pub fn run(args: &ExplainArgs) -> Result<(), UsageError> {
    let mut out = std::io::stdout().lock();
    if args.list {
        for c in CauseId::ALL {
            let _ = writeln!(out, "{}  {:<26} {}", c.code(), c.name(), c.meaning());
        }
        return Ok(());
    }
    let wanted = args.cause.as_deref().unwrap_or_default();
    match CauseId::lookup(wanted) {
        Some(c) => {
            let _ = out.write_all(c.page().as_bytes());
            Ok(())
        }
        None => {
            let closest = CauseId::ALL
                .iter()
                .min_by_key(|c| edit_distance(&wanted.to_ascii_lowercase(), c.name()))
                .map(|c| format!(" Did you mean {} ({})?", c.code(), c.name()))
                .unwrap_or_default();
            Err(UsageError::new(format!(
                "`{wanted}` is not a cause id or name.{closest} `gcdoctor explain --list` lists them all."
            )))
        }
    }
}
