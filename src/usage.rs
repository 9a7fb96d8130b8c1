//! The one user-facing error: bad usage or unreadable input, exit code 2, one line naming what
//! and where, never a stack trace. It sits below both `config` (which reads env files and
//! profiles) and `commands` (which maps it to the exit code), so neither needs the other.

use std::fmt;

/// Bad usage or unreadable input: exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

impl UsageError {
    pub fn new(msg: impl Into<String>) -> UsageError {
        UsageError(msg.into())
    }
}
