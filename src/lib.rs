//! gcdoctor: finds why a Genesys Cloud OAuth client-credentials token request fails.
//!
//! # Design
//!
//! A small core, one module per concern:
//!
//! * [`region`]: the region table and every spelling of a region or host.
//! * [`secret`]: the [`secret::Secret`] type and the [`secret::Redactor`]; nothing secret is
//!   printable except through them.
//! * [`catalogue`] and [`finding`]: stable cause ids (`GC103`), their embedded `checks/` pages,
//!   and findings as data (cause, severity, evidence, fix).
//! * [`report`]: one report model, rendered as text, markdown, JSON or JUnit.
//! * [`sim`]: the Genesys Cloud login/API simulator, routed by `Host`, used by `simulate`,
//!   `demo` and the tests.
//!
//! The binary (`src/main.rs`) only calls [`cli::main`].

pub mod catalogue;
pub mod finding;
pub mod import;
pub mod lint;
pub mod region;
pub mod report;
pub mod request;
pub mod secret;
pub mod shape;
