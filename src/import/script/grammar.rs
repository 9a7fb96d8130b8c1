//! Parsing a script with its tree-sitter grammar; the first syntax error becomes an
//! [`ImportError`] at its line and column, in the language's own words.

use crate::import::{ImportError, LineIndex, first_error};
use tree_sitter::{Language, Parser, Tree};

/// What the core needs to know of a language's grammar to parse it.
pub(crate) struct Grammar {
    /// The language as messages name it (`Python`).
    pub(crate) name: &'static str,
    pub(crate) language: fn() -> Language,
    /// What an unparsable stretch usually is (`an unclosed bracket or quote?`).
    pub(crate) unclosed: &'static str,
    /// A hint added to a syntax error for an input named `source` (lower case), if any.
    pub(crate) hint: fn(&str) -> Option<&'static str>,
}

/// Parses `text`; a syntax error is reported at its first place.
pub(crate) fn parse_tree(text: &str, source: &str, g: &Grammar) -> Result<Tree, ImportError> {
    let name = g.name;
    let mut parser = Parser::new();
    parser
        .set_language(&(g.language)())
        .map_err(|e| ImportError::new(source, format!("internal error: {name} grammar: {e}")))?;
    let tree = parser.parse(text, None).ok_or_else(|| {
        ImportError::new(source, format!("the {name} parser gave up on this input"))
    })?;
    let root = tree.root_node();
    if root.has_error()
        && let Some(bad) = first_error(root)
    {
        let lines = LineIndex::new(text);
        let (line, col) = lines.line_col(text, bad.start_byte());
        let mut msg = if bad.is_missing() {
            format!("{name} syntax error: missing `{}`", bad.kind())
        } else {
            let snippet: String = text
                .get(bad.start_byte()..bad.end_byte())
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(40)
                .collect();
            if snippet.trim().is_empty() {
                format!("{name} syntax error: the code cannot be parsed here")
            } else {
                format!(
                    "{name} syntax error: the code from here on cannot be parsed ({}): `{}`",
                    g.unclosed,
                    strings_by_length(snippet.trim())
                )
            }
        };
        if let Some(hint) = (g.hint)(&source.to_ascii_lowercase()) {
            msg.push_str(hint);
        }
        return Err(ImportError::new(source, msg).at(line, Some(col)));
    }
    Ok(tree)
}

/// Frees a syntax tree on another thread: freeing a large tree node by node costs
/// milliseconds that the answer, already worked out, need not wait for.
pub(crate) fn drop_later(tree: Tree) {
    let spawned = std::thread::Builder::new().spawn(move || drop(tree));
    // No thread (resources exhausted): the tree was dropped with the closure.
    drop(spawned);
}

/// The code of a syntax-error quote with the text of every string literal replaced by its
/// length: a string may hold a secret whatever the variable is called (an unterminated one
/// runs to the end of the quote), and the code around it is what locates the error.
fn strings_by_length(code: &str) -> String {
    let mut out = String::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if !matches!(c, '\'' | '"' | '`') {
            continue;
        }
        let mut n = 0;
        let mut closed = false;
        while let Some(d) = chars.next() {
            if d == '\\' {
                chars.next();
                n += 2;
            } else if d == c {
                closed = true;
                break;
            } else {
                n += 1;
            }
        }
        if n > 0 {
            out.push_str(&format!("<{n} chars>"));
        }
        if closed {
            out.push(c);
        }
    }
    out
}

/// No hint for any input.
pub(crate) fn no_hint(_: &str) -> Option<&'static str> {
    None
}

impl Grammar {
    /// A grammar without a source-name hint.
    pub(crate) const fn plain(
        name: &'static str,
        language: fn() -> Language,
        unclosed: &'static str,
    ) -> Grammar {
        Grammar {
            name,
            language,
            unclosed,
            hint: no_hint,
        }
    }
}
