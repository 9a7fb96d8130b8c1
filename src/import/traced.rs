//! Traced strings: a value that knows, for each byte range, where it came from (a literal, an
//! environment variable, an expression gcdoctor cannot evaluate, the base64 of another
//! traced string) and on which input line, so a value sliced out of a body still knows it
//! was read from `$GENESYS_SECRET` on line 4. Also the byte offset → line/column index every
//! importer uses.

use crate::request::ValueOrigin;
use std::ops::Range;

// Lines and columns.

/// Byte offset → 1-based line and column.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = text
            .get(start..offset.min(text.len()))
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line, col + 1)
    }
}

// ---------------------------------------------------------------------------------------
// Traced strings.

/// Where a piece of a value came from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Src {
    /// Written in the input.
    Literal,
    /// Read from an environment variable; `expr` is how the input reads it.
    Env {
        name: String,
        state: EnvState,
        expr: String,
    },
    /// An expression gcdoctor cannot evaluate; the text holds a marker.
    Unknown { expr: String },
    /// Standard base64 of another traced string (a hand-built Basic header).
    Base64Of(Box<Traced>),
}

/// Whether an environment variable is set here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EnvState {
    Set,
    /// Not set; the text holds a marker.
    Unset,
    /// Not set; the text holds the default the input gives.
    UnsetDefault,
}

/// A byte range of a [`Traced`] string and its source.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Span {
    pub range: Range<usize>,
    pub src: Src,
    pub line: Option<usize>,
    /// How the input refers to this value where the request is built (`client_secret`).
    pub expr: Option<String>,
}

/// A string that remembers where each of its parts came from.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Traced {
    pub text: String,
    pub spans: Vec<Span>,
}

impl Traced {
    pub(crate) fn new(text: impl Into<String>, src: Src, line: Option<usize>) -> Traced {
        let text = text.into();
        let spans = vec![Span {
            range: 0..text.len(),
            src,
            line,
            expr: None,
        }];
        Traced { text, spans }
    }

    pub(crate) fn literal(text: impl Into<String>, line: Option<usize>) -> Traced {
        Traced::new(text, Src::Literal, line)
    }

    pub(crate) fn unknown(expr: &str, marker: String, line: Option<usize>) -> Traced {
        Traced::new(
            marker,
            Src::Unknown {
                expr: expr.to_string(),
            },
            line,
        )
    }

    /// `encoded`, some base64 of `inner`, remembering what it encodes.
    pub(crate) fn base64_of(inner: Traced, encoded: String, line: Option<usize>) -> Traced {
        Traced {
            spans: vec![Span {
                range: 0..encoded.len(),
                src: Src::Base64Of(Box::new(inner)),
                line,
                expr: None,
            }],
            text: encoded,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends another traced string.
    pub(crate) fn push(&mut self, other: &Traced) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        for s in &other.spans {
            let mut s = s.clone();
            s.range = s.range.start + base..s.range.end + base;
            self.spans.push(s);
        }
    }

    pub(crate) fn push_literal(&mut self, text: &str, line: Option<usize>) {
        self.push(&Traced::literal(text, line));
    }

    /// The part of the string in `range` (byte offsets; clamped to char boundaries).
    pub(crate) fn slice(&self, range: Range<usize>) -> Traced {
        let start = floor_char(&self.text, range.start);
        let end = floor_char(&self.text, range.end.max(start));
        let text = self.text.get(start..end).unwrap_or("").to_string();
        let spans = self
            .spans
            .iter()
            .filter(|s| {
                s.range.start < end && s.range.end > start
                    || s.range.is_empty() && s.range.start >= start && s.range.start < end
            })
            .map(|s| {
                let mut c = s.clone();
                c.range = s.range.start.max(start) - start..s.range.end.min(end) - start;
                c
            })
            .collect();
        Traced { text, spans }
    }

    /// A new text derived from this one (encoded, stripped, …): one span with the most
    /// telling source of the old spans.
    pub(crate) fn map(&self, text: impl Into<String>) -> Traced {
        let text = text.into();
        let (src, line, expr) = match self.dominant() {
            Some(s) => (s.src.clone(), s.line, self.expr()),
            None => (Src::Literal, None, None),
        };
        let src = match src {
            Src::Base64Of(inner) => inner
                .dominant()
                .map(|s| s.src.clone())
                .unwrap_or(Src::Literal),
            other => other,
        };
        Traced {
            spans: vec![Span {
                range: 0..text.len(),
                src,
                line,
                expr,
            }],
            text,
        }
    }

    /// Sets how the input refers to this whole value.
    pub(crate) fn with_expr(mut self, expr: &str) -> Traced {
        for s in &mut self.spans {
            s.expr = Some(expr.to_string());
        }
        self
    }

    /// Names the value by a reference to it (`secret`), unless it is built from several
    /// references (`"id=" + client_id + "&secret=" + client_secret`): then the parts keep
    /// their own names.
    pub(crate) fn referred_as(self, expr: &str) -> Traced {
        let single = self.spans.windows(2).all(|w| w[0].expr == w[1].expr);
        if single { self.with_expr(expr) } else { self }
    }

    /// Every span's line set to `line` where it has none.
    pub(crate) fn default_line(mut self, line: Option<usize>) -> Traced {
        for s in &mut self.spans {
            if s.line.is_none() {
                s.line = line;
            }
        }
        self
    }

    fn rank(src: &Src) -> u8 {
        match src {
            Src::Unknown { .. } => 4,
            Src::Env {
                state: EnvState::Unset,
                ..
            } => 3,
            Src::Env {
                state: EnvState::UnsetDefault,
                ..
            } => 2,
            Src::Env { .. } => 1,
            Src::Base64Of(inner) => inner.dominant().map(|s| Traced::rank(&s.src)).unwrap_or(0),
            Src::Literal => 0,
        }
    }

    /// The span whose source says most about the value (unknown > env > literal), the
    /// first of equals.
    pub(crate) fn dominant(&self) -> Option<&Span> {
        let mut best: Option<&Span> = None;
        for s in &self.spans {
            if best.is_none_or(|b| Traced::rank(&s.src) > Traced::rank(&b.src)) {
                best = Some(s);
            }
        }
        best
    }

    /// Where the value came from, as the report says it.
    pub(crate) fn origin(&self) -> ValueOrigin {
        match self.dominant().map(|s| &s.src) {
            Some(Src::Unknown { expr }) => ValueOrigin::Unresolved(expr.clone()),
            Some(Src::Env {
                name,
                state: EnvState::Set,
                ..
            }) => ValueOrigin::Env(name.clone()),
            Some(Src::Env { name, .. }) => ValueOrigin::EnvUnset(name.clone()),
            Some(Src::Base64Of(inner)) => inner.origin(),
            _ => ValueOrigin::Literal,
        }
    }

    /// True when no part is unknown (an unset variable with a default counts as known).
    pub(crate) fn is_resolved(&self) -> bool {
        self.unknown_parts().is_empty()
    }

    /// Line of the most telling span.
    pub(crate) fn line(&self) -> Option<usize> {
        self.dominant()
            .and_then(|s| s.line)
            .or_else(|| self.spans.iter().find_map(|s| s.line))
    }

    /// Line of the span that covers byte `offset`.
    pub(crate) fn line_at(&self, offset: usize) -> Option<usize> {
        self.spans
            .iter()
            .find(|s| s.range.contains(&offset))
            .and_then(|s| s.line)
    }

    /// How the input refers to the whole value, if every span says the same (spans of bare
    /// whitespace, such as the newline `echo` adds, do not count).
    pub(crate) fn expr(&self) -> Option<String> {
        let telling = |s: &&Span| {
            !(s.expr.is_none()
                && self
                    .text
                    .get(s.range.clone())
                    .is_some_and(|t| t.trim().is_empty()))
        };
        let mut spans = self.spans.iter().filter(telling);
        let first = spans.next()?.expr.clone()?;
        spans
            .all(|s| s.expr.as_deref() == Some(first.as_str()))
            .then_some(first)
    }

    /// The first `c` that is not inside a part gcdoctor cannot see (a marker such as
    /// `$env:NAME` or `$(cmd)` may itself contain it).
    pub(crate) fn find_visible(&self, c: char) -> Option<usize> {
        self.text.match_indices(c).map(|(i, _)| i).find(|i| {
            !self.spans.iter().any(|s| {
                s.range.contains(i)
                    && matches!(
                        s.src,
                        Src::Unknown { .. }
                            | Src::Env {
                                state: EnvState::Unset,
                                ..
                            }
                    )
            })
        })
    }

    /// The parts gcdoctor cannot see: (range, expression, line).
    pub(crate) fn unknown_parts(&self) -> Vec<(Range<usize>, String, Option<usize>)> {
        let mut out = Vec::new();
        for s in &self.spans {
            match &s.src {
                Src::Unknown { expr } => out.push((s.range.clone(), expr.clone(), s.line)),
                Src::Env {
                    state: EnvState::Unset,
                    expr,
                    ..
                } => out.push((s.range.clone(), expr.clone(), s.line)),
                Src::Base64Of(inner) => {
                    for (_, e, l) in inner.unknown_parts() {
                        out.push((s.range.clone(), e, l));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Unset variables whose default is used: (name, line).
    pub(crate) fn defaulted_env(&self) -> Vec<(String, Option<usize>)> {
        let mut out = Vec::new();
        for s in &self.spans {
            match &s.src {
                Src::Env {
                    name,
                    state: EnvState::UnsetDefault,
                    ..
                } => out.push((name.clone(), s.line)),
                Src::Base64Of(inner) => out.extend(inner.defaulted_env()),
                _ => {}
            }
        }
        out
    }

    /// The inner string of a base64 span covering exactly `range`, if any.
    pub(crate) fn base64_source(&self, range: Range<usize>) -> Option<&Traced> {
        self.spans.iter().find_map(|s| match &s.src {
            Src::Base64Of(inner) if s.range.start <= range.start && s.range.end >= range.end => {
                Some(inner.as_ref())
            }
            _ => None,
        })
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index() {
        let t = "ab\ncd\n\nef";
        let li = LineIndex::new(t);
        assert_eq!(li.line(0), 1);
        assert_eq!(li.line(3), 2);
        assert_eq!(li.line(6), 3);
        assert_eq!(li.line_col(t, 8), (4, 2));
    }

    #[test]
    fn traced_slices_keep_their_source() {
        let mut t = Traced::literal("client_secret=", Some(3));
        t.push(&Traced::new(
            "abc",
            Src::Env {
                name: "S".into(),
                state: EnvState::Set,
                expr: "$S".into(),
            },
            Some(4),
        ));
        let v = t.slice(14..17);
        assert_eq!(v.text, "abc");
        assert_eq!(v.origin(), ValueOrigin::Env("S".into()));
        assert_eq!(v.line(), Some(4));
        assert_eq!(t.slice(0..6).origin(), ValueOrigin::Literal);
    }
}
