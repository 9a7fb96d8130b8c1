//! gcdoctor: finds why a Genesys Cloud OAuth client-credentials token request fails.
//!
//! # Design
//!
//! A small core, one module per concern:
//!
//! * [`region`]: the region table and every spelling of a region or host.
//! * [`secret`]: the [`secret::Secret`] type and the [`secret::Redactor`]; nothing secret is
//!   printable except through them. [`credential_span`]: where the user's input holds a
//!   credential, by role, so redaction does not depend on what gcdoctor resolved.
//! * [`catalogue`] and [`finding`]: stable cause ids (`GC103`), their embedded `checks/` pages,
//!   and findings as data (cause, severity, evidence, fix).
//! * [`intent`]: each credential of an imported request as meant and as sent (a shell
//!   expansion, a raw `&` in a form body), for the proof by intent.
//! * [`request`] and [`shape`]: the token request as sent, and how it differs from the
//!   canonical one, dimension by dimension, one file per dimension under `src/shape/` (the
//!   basis of `lint` and of delta debugging).
//! * [`import`]: the user's own request, read from what they paste (curl, raw HTTP, HAR,
//!   Postman, Python, JavaScript), with the shell lexer of pasted commands
//!   (`import::shell`) and the raw HTTP request importer (`import::raw_http`).
//! * [`http`]: the one HTTP client, which enforces where secrets may go, the test seam, the
//!   request budget, per-host limits and the throttling stop.
//! * [`engine`]: the probe table, run in rounds over shared facts, and the conclusions.
//! * [`linter`]: what `gcdoctor lint` finds in a request, sending nothing (the command itself
//!   is `commands::lint`).
//! * [`explain`]: reading a pasted error (an SDK exception, a raw answer, a log line) into the
//!   causes it can and cannot mean.
//! * [`report`]: one report model, rendered as text, markdown, JSON or JUnit.
//! * [`sim`]: the Genesys Cloud login/API simulator, routed by `Host`, used by `simulate`,
//!   `demo` and the tests.
//! * [`cli`], [`commands`], [`config`], [`progress`]: the command line, its commands, where
//!   credentials come from, and the terminal progress display; [`completion`]: the values
//!   shell completions offer; [`usage`]: the one user-facing error.
//!
//! The binary (`src/main.rs`) only calls [`commands::main`].
//!
//! `docs/architecture.md` follows one request from import to report and says where to add
//! a probe, a cause, a check, an importer and a format.

pub mod catalogue;
pub mod cli;
pub mod commands;
pub mod completion;
pub mod config;
pub mod credential_span;
pub mod engine;
pub mod explain;
pub mod finding;
pub mod http;
pub mod import;
pub mod intent;
pub mod linter;
pub mod progress;
pub mod region;
pub mod report;
pub mod request;
pub mod secret;
pub mod shape;
pub mod sim;
pub mod usage;

/// Installs the ring crypto provider for rustls once; reqwest needs it before any client.
pub fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
