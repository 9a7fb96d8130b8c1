//! Environment reads of a script (`os.environ`, `process.env`, `System.getenv`,
//! `os.Getenv`), as traced strings: the value from the caller's environment, else the default
//! the script gives, else a visible `${NAME}` marker, never a guessed value.

use super::Env;
use crate::import::{EnvState, Src, Traced};

/// `NAME` read as `expr` at `line`.
pub(crate) fn read(
    env: Env,
    name: &str,
    default: Option<&str>,
    expr: &str,
    line: Option<usize>,
) -> Traced {
    let mk = |value: String, state| {
        Traced::new(
            value,
            Src::Env {
                name: name.to_string(),
                state,
                expr: expr.to_string(),
            },
            line,
        )
        .with_expr(expr)
    };
    match (env(name), default) {
        (Some(v), _) => mk(v, EnvState::Set),
        (None, Some(d)) => mk(d.to_string(), EnvState::UnsetDefault),
        (None, None) => mk(format!("${{{name}}}"), EnvState::Unset),
    }
}
