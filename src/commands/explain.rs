//! `gcdoctor explain`: the catalogue pages, embedded in the binary, and the reading of a
//! pasted error (see [`crate::explain`]).

use super::UsageError;
use crate::catalogue::CauseId;
use crate::cli::ExplainArgs;
use crate::region::edit_distance;
use std::io::{Read, Write};

/// The most of stdin read for a pasted error.
const MAX_PASTE: u64 = 1 << 20;

pub fn run(args: &ExplainArgs) -> Result<(), UsageError> {
    let mut out = std::io::stdout().lock();
    if args.list {
        for c in CauseId::ALL {
            let _ = writeln!(out, "{}  {:<26} {}", c.code(), c.name(), c.meaning());
        }
        return Ok(());
    }
    let wanted = args.cause.as_deref().unwrap_or_default();
    if wanted == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(MAX_PASTE)
            .read_to_end(&mut buf)
            .map_err(|e| UsageError::new(format!("cannot read stdin: {e}")))?;
        let text = String::from_utf8_lossy(&buf);
        return paste(&text, args, &mut out).map_err(|()| not_an_error("the text on stdin"));
    }
    if let Some(c) = CauseId::lookup(wanted) {
        let _ = out.write_all(c.page().as_bytes());
        return Ok(());
    }
    if paste(wanted, args, &mut out).is_ok() {
        return Ok(());
    }
    if is_id_attempt(wanted) {
        let closest = CauseId::ALL
            .iter()
            .min_by_key(|c| edit_distance(&wanted.to_ascii_lowercase(), c.name()))
            .map(|c| format!(" Did you mean {} ({})?", c.code(), c.name()))
            .unwrap_or_default();
        return Err(UsageError::new(format!(
            "`{wanted}` is not a cause id or name.{closest} `gcdoctor explain --list` lists them all."
        )));
    }
    Err(not_an_error("the text given"))
}

fn paste(text: &str, args: &ExplainArgs, out: &mut impl Write) -> Result<(), ()> {
    let rendered = crate::explain::render_paste(text, args.format).map_err(|_| ())?;
    let _ = out.write_all(rendered.as_bytes());
    Ok(())
}

/// The refusal of a text that is neither a cause nor a readable error. It never quotes the
/// text: a paste may hold a secret in a place gcdoctor did not recognise.
fn not_an_error(what: &str) -> UsageError {
    UsageError::new(format!(
        "{what} is neither a cause id nor an error gcdoctor can read (no HTTP status, OAuth error, \
         SDK error text or network failure found in it). Paste the whole error, e.g. \
         `gcdoctor explain - < error.log`; `gcdoctor explain --list` lists the causes."
    ))
}

/// A word that looks like a cause id or name (`GC999`, `wrong-regoin`): safe to quote back.
fn is_id_attempt(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let code = lower
        .strip_prefix("gc")
        .is_some_and(|d| !d.is_empty() && d.len() <= 4 && d.chars().all(|c| c.is_ascii_digit()));
    let name = !s.is_empty()
        && s.len() <= 40
        && s.split('-')
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()));
    code || name
}
