//! The process-wide redactor: every secret the run has met so far, for the outputs that are
//! written before (or outside) a report: stderr lines (usage, parse and I/O errors, warnings,
//! notes), progress lines, clap's usage errors and panic messages.
//!
//! Plan: one `Mutex<Redactor>` that only grows. Secrets are registered as soon as they are
//! known: the values after secret-bearing flags before the command line is even parsed, the
//! credential positions of an input before it is parsed (so a syntax error cannot quote one),
//! resolved secrets and tokens as they arrive. [`scrub`] is what every stderr line goes
//! through; reports merge it into their own redactor ([`super::Redactor::with_global`]).

use super::Redactor;
use std::sync::Mutex;

static GLOBAL: Mutex<Option<Redactor>> = Mutex::new(None);

fn lock() -> std::sync::MutexGuard<'static, Option<Redactor>> {
    GLOBAL.lock().unwrap_or_else(|p| p.into_inner())
}

/// Adds every secret `r` knows.
pub fn register(r: &Redactor) {
    lock().get_or_insert_with(Redactor::new).merge(r);
}

/// Adds one secret value (all its forms and runs).
pub fn add(secret: &str) {
    if secret.is_empty() {
        return;
    }
    lock().get_or_insert_with(Redactor::new).add(secret);
}

/// A copy of the process-wide redactor.
pub fn snapshot() -> Redactor {
    lock().clone().unwrap_or_default()
}

/// `text` without any registered secret.
pub fn scrub(text: &str) -> String {
    match lock().as_ref() {
        Some(r) => r.scrub(text),
        None => text.to_string(),
    }
}

/// Like [`scrub`], but `None` instead of waiting when the redactor is locked (a panic inside
/// it).
pub fn try_scrub(text: &str) -> Option<String> {
    // Another thread may hold it for a moment; this one may hold it itself (then give up).
    for _ in 0..100 {
        if let Some(s) = try_scrub_once(text) {
            return Some(s);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    None
}

fn try_scrub_once(text: &str) -> Option<String> {
    match GLOBAL.try_lock() {
        Ok(g) => Some(match g.as_ref() {
            Some(r) => r.scrub(text),
            None => text.to_string(),
        }),
        Err(std::sync::TryLockError::Poisoned(p)) => Some(match p.get_ref().as_ref() {
            Some(r) => r.scrub(text),
            None => text.to_string(),
        }),
        Err(std::sync::TryLockError::WouldBlock) => None,
    }
}

/// Writes one line to stderr, scrubbed.
pub fn eprintln(line: &str) {
    use std::io::Write as _;
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "{}", scrub(line));
}
