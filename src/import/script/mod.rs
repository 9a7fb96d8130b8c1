//! The language-neutral core the script importers (Python, JavaScript, …) stand on.
//!
//! Plan: a script importer is a grammar mapping plus an HTTP/SDK library model over one
//! evaluation design. What does not depend on the language lives here, once:
//!
//! - [`grammar`]: parsing with a tree-sitter grammar and reporting the first syntax error
//!   with its line and column, in the language's own words.
//! - [`names`]: names and scopes: the scope of a function, the events (bindings and
//!   mutations) recorded per scope in one walk, call sites, and the lookups the evaluators
//!   make over them (the last binding before a use, the enclosing function, the first call
//!   of a function from outside it).
//! - [`value`]: the neutral view of a script value ([`value::View`]) every language's value
//!   maps itself onto, dict/object entries, and what is built from values the same way in
//!   every language: JSON serialisation, string concatenation.
//! - [`interp`]: a statement-order interpreter for statically typed scripts (Java, Go):
//!   scopes, calls of the script's own functions, shared library objects, env reads,
//!   base64, printf-style formatting; [`object`]: its values and the objects a library
//!   builds; [`http`]: the request such a script builds and the
//!   choice of the token request; [`sdk_host`]: how each SDK derives its login host.
//!
//! A language module keeps its grammar mapping (which node kinds bind, mutate, call) and its
//! library model (which calls send a request and how they build it); everything it shares
//! with another language comes from here.

pub(crate) mod cred_ref;
pub(crate) mod dotnet;
pub(crate) mod env;
pub(crate) mod eval;
pub(crate) mod grammar;
pub(crate) mod http;
pub(crate) mod interp;
pub(crate) mod names;
pub(crate) mod object;
pub(crate) mod sdk_host;
pub(crate) mod value;

use tree_sitter::Node;

/// Reads an environment variable for a script (`os.environ`, `process.env`, `$env:`).
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The value of an environment variable read as `expr` (`$env:NAME`,
/// `Environment.GetEnvironmentVariable("NAME")`): its value when set here, else a visible
/// `${NAME}` marker that counts as unresolved.
pub(crate) fn env_read(
    env: Env,
    name: &str,
    expr: &str,
    line: Option<usize>,
) -> crate::import::Traced {
    use crate::import::{EnvState, Src, Traced};
    let (text, state) = match env(name) {
        Some(v) => (v, EnvState::Set),
        None => (format!("${{{name}}}"), EnvState::Unset),
    };
    let src = Src::Env {
        name: name.to_string(),
        state,
        expr: expr.to_string(),
    };
    Traced::new(text, src, line).with_expr(expr)
}

/// How deep evaluation may recurse before a value counts as unknown.
pub(crate) const MAX_DEPTH: usize = 48;

/// True when a URL's path ends in `/oauth/token`.
pub(crate) fn is_token_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').ends_with("/oauth/token")
}

/// The source text of a node.
pub(crate) fn text<'s>(n: Node<'_>, src: &'s str) -> &'s str {
    src.get(n.start_byte()..n.end_byte()).unwrap_or("")
}

/// The 1-based line a node starts on.
pub(crate) fn line_of(n: Node<'_>) -> Option<usize> {
    Some(n.start_position().row + 1)
}

/// An expression as shown in notes and markers: its first line, at most 80 characters.
pub(crate) fn short(s: &str) -> String {
    let first = s.lines().next().unwrap_or("").trim();
    if first.chars().count() > 80 {
        let mut t: String = first.chars().take(79).collect();
        t.push('…');
        t
    } else {
        first.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_urls() {
        assert!(is_token_url("https://login.mypurecloud.com/oauth/token"));
        assert!(is_token_url(
            "https://login.mypurecloud.com/oauth/token/?x=1"
        ));
        assert!(!is_token_url("https://login.mypurecloud.com/oauth/token2"));
        assert!(!is_token_url("https://x/api?next=/oauth/token"));
    }

    #[test]
    fn shortened() {
        assert_eq!(short("  a + b\nc"), "a + b");
        let long = "x".repeat(100);
        assert_eq!(short(&long).chars().count(), 80);
    }
}
