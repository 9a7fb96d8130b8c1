//! Just enough lexing to tell string literals from code in any kind of input: `"…"`, `'…'`,
//! Python's triple quotes, JavaScript's template literals, and `#` and `//` comments (skipped,
//! so an apostrophe in a comment does not open a string). A string that is not closed ends at
//! its line's end (or the text's end, for triple quotes and templates), as the importers'
//! error recovery reads it.

use std::ops::Range;

/// A string literal: its whole extent (quotes and prefix included) and its content.
#[derive(Clone, Debug)]
pub(crate) struct Str {
    pub outer: Range<usize>,
    pub content: Range<usize>,
}

pub(crate) struct Lex {
    pub strings: Vec<Str>,
}

impl Lex {
    pub(crate) fn new(text: &str) -> Lex {
        let b = text.as_bytes();
        let mut strings = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let at_word_start = i == 0 || b[i - 1].is_ascii_whitespace();
            match b[i] {
                b'#' if at_word_start => i = line_end(b, i),
                b'/' if b.get(i + 1) == Some(&b'/')
                    && (i == 0 || b[i - 1] != b':')
                    && at_word_start =>
                {
                    i = line_end(b, i)
                }
                q @ (b'"' | b'\'' | b'`') => {
                    let s = string_at(b, i, q);
                    i = s.outer.end.max(i + 1);
                    strings.push(s);
                }
                _ => i += 1,
            }
        }
        Lex { strings }
    }

    /// The string whose content holds byte `i`.
    pub(crate) fn string_containing(&self, i: usize) -> Option<&Str> {
        let k = self.strings.partition_point(|s| s.outer.start <= i);
        let s = self.strings.get(k.checked_sub(1)?)?;
        (s.content.start <= i && i < s.content.end.max(s.content.start + 1) && i < s.outer.end)
            .then_some(s)
    }

    /// The string that starts at byte `i`.
    pub(crate) fn string_starting(&self, i: usize) -> Option<&Str> {
        let k = self.strings.partition_point(|s| s.outer.start < i);
        self.strings.get(k).filter(|s| s.outer.start == i)
    }
}

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map(|p| i + p)
        .unwrap_or(b.len())
}

fn string_at(b: &[u8], start: usize, q: u8) -> Str {
    let triple = q != b'`' && b.get(start + 1) == Some(&q) && b.get(start + 2) == Some(&q);
    let open = if triple { 3 } else { 1 };
    let multi_line = triple || q == b'`';
    let mut i = start + open;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            i += 2;
            continue;
        }
        if c == b'\n' && !multi_line {
            return Str {
                outer: start..i,
                content: start + 1..i,
            };
        }
        if c == q && (!triple || (b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q))) {
            let close = if triple { 3 } else { 1 };
            return Str {
                outer: start..i + close,
                content: start + open..i,
            };
        }
        i += 1;
    }
    let end = b.len();
    Str {
        outer: start..end,
        content: (start + open).min(end)..end,
    }
}
