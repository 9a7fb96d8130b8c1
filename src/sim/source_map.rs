//! Where a field of a scenario file is, so that errors can say `file:line:col: field`.
//!
//! serde tells *what* is wrong (and, for TOML, the byte span); it does not tell which
//! field a span belongs to, and cross-field validation (duplicate ids, undefined roles)
//! happens after deserialisation, when only a field path is known. A [`SourceMap`] bridges
//! both ways: [`SourceMap::path_at`] turns a byte offset into a field path and
//! [`SourceMap::span_of`] turns a field path into a byte span.
//!
//! TOML spans come from `toml::de::DeTable`; JSON has no span-aware parser among the
//! dependencies, so a small scanner (below) records the span of every member and element.

use std::fmt;
use std::ops::Range;

/// One step of a field path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// A field path such as `clients[1].region`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    /// The path of a top-level key.
    pub fn key(name: &str) -> FieldPath {
        FieldPath(vec![Seg::Key(name.to_string())])
    }

    /// This path extended by a key.
    pub fn field(&self, name: &str) -> FieldPath {
        let mut v = self.0.clone();
        v.push(Seg::Key(name.to_string()));
        FieldPath(v)
    }

    /// This path extended by an array index.
    pub fn index(&self, i: usize) -> FieldPath {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        FieldPath(v)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Every field of a document with its byte span(s).
#[derive(Debug, Default)]
pub(crate) struct SourceMap {
    /// Path, span, and whether the span is the value's (rather than the key's or the
    /// whole member's).
    entries: Vec<(FieldPath, Range<usize>, bool)>,
}

impl SourceMap {
    /// Maps a TOML document; `None` when it does not even parse.
    pub fn toml(text: &str) -> Option<SourceMap> {
        let root = toml::de::DeTable::parse(text).ok()?;
        let mut map = SourceMap::default();
        map.walk_toml_table(&FieldPath::default(), root.get_ref());
        Some(map)
    }

    /// Maps a JSON document; `None` when it does not even parse.
    pub fn json(text: &str) -> Option<SourceMap> {
        let mut scanner = JsonScanner {
            bytes: text.as_bytes(),
            pos: 0,
            map: SourceMap::default(),
            depth: 0,
        };
        scanner.value(&FieldPath::default())?;
        Some(scanner.map)
    }

    fn walk_toml_table(&mut self, path: &FieldPath, table: &toml::de::DeTable<'_>) {
        for (key, value) in table.iter() {
            let p = path.field(key.get_ref());
            self.entries.push((p.clone(), key.span(), false));
            self.walk_toml_value(&p, value);
        }
    }

    fn walk_toml_value(&mut self, path: &FieldPath, value: &toml::Spanned<toml::de::DeValue<'_>>) {
        self.entries.push((path.clone(), value.span(), true));
        match value.get_ref() {
            toml::de::DeValue::Table(t) => self.walk_toml_table(path, t),
            toml::de::DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk_toml_value(&path.index(i), item);
                }
            }
            _ => {}
        }
    }

    /// The most specific field whose text contains `offset`.
    pub fn path_at(&self, offset: usize) -> Option<FieldPath> {
        self.entries
            .iter()
            .filter(|(_, span, _)| span.start <= offset && offset <= span.end && !span.is_empty())
            .max_by(|(pa, sa, _), (pb, sb, _)| {
                pa.0.len()
                    .cmp(&pb.0.len())
                    .then((sb.end - sb.start).cmp(&(sa.end - sa.start)))
            })
            .map(|(p, _, _)| p.clone())
    }

    /// The direct child of `parent` that an error message is about: the member whose key
    /// or value is the message's first `backquoted` word. serde_json reports errors raised
    /// inside a struct at the struct's end, so this finds the field it meant.
    pub fn child_named_in(
        &self,
        text: &str,
        parent: &FieldPath,
        message: &str,
    ) -> Option<FieldPath> {
        let needle = message.split('`').nth(1)?;
        let quoted = serde_json::to_string(needle).ok()?;
        self.entries
            .iter()
            .filter(|(p, _, _)| p.0.len() == parent.0.len() + 1 && p.0.starts_with(&parent.0))
            .find(|(p, span, is_value)| {
                let key_matches = matches!(p.0.last(), Some(Seg::Key(k)) if k == needle);
                let value_matches = *is_value && text.get(span.clone()) == Some(quoted.as_str());
                key_matches || value_matches
            })
            .map(|(p, _, _)| p.clone())
    }

    /// The span of a field's value (else of its key), or of its closest recorded ancestor.
    pub fn span_of(&self, path: &FieldPath) -> Option<Range<usize>> {
        (0..=path.0.len()).rev().find_map(|n| {
            let mut matching = self
                .entries
                .iter()
                .filter(|(p, _, _)| p.0.as_slice() == &path.0[..n]);
            let first = matching.clone().next();
            matching
                .find(|(_, _, is_value)| *is_value)
                .or(first)
                .map(|(_, s, _)| s.clone())
        })
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut end = offset;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Byte offset of a 1-based line and column (as serde_json reports them).
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col_bytes: usize = l
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return offset + col_bytes;
        }
        offset += l.len();
    }
    text.len()
}

/// A minimal JSON reader that records spans; it does not validate what serde_json
/// validates later (it only needs to be right on documents serde_json accepts).
struct JsonScanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    map: SourceMap,
    depth: usize,
}

impl JsonScanner<'_> {
    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn value(&mut self, path: &FieldPath) -> Option<()> {
        self.skip_ws();
        let start = self.pos;
        self.depth += 1;
        if self.depth > 128 {
            return None;
        }
        match self.peek()? {
            b'{' => self.object(path)?,
            b'[' => self.array(path)?,
            b'"' => self.string().map(drop)?,
            _ => self.scalar()?,
        }
        self.depth -= 1;
        self.map.entries.push((path.clone(), start..self.pos, true));
        Some(())
    }

    fn object(&mut self, path: &FieldPath) -> Option<()> {
        self.pos += 1;
        self.skip_ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.skip_ws();
            let key_start = self.pos;
            let key = self.string()?;
            let member = path.field(&key);
            self.skip_ws();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            self.value(&member)?;
            self.map.entries.push((member, key_start..self.pos, false));
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, path: &FieldPath) -> Option<()> {
        self.pos += 1;
        self.skip_ws();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(());
        }
        let mut i = 0;
        loop {
            self.value(&path.index(i))?;
            i += 1;
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Reads a string and returns its (unescaped, approximately) contents.
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => break,
                _ => self.pos += 1,
            }
        }
        let raw = self.bytes.get(start..self.pos)?;
        self.pos += 1;
        let text = String::from_utf8_lossy(raw);
        Some(serde_json::from_str(&format!("\"{text}\"")).unwrap_or_else(|_| text.into_owned()))
    }

    fn scalar(&mut self) -> Option<()> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
        {
            self.pos += 1;
        }
        (self.pos > start).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_paths_and_spans() {
        let text =
            "name = \"x\"\n[[clients]]\nid = \"a\"\n[[clients]]\nid = \"b\"\nregion = \"eu\"\n";
        let map = SourceMap::toml(text).unwrap();
        let p = FieldPath::key("clients").index(1).field("region");
        let span = map.span_of(&p).unwrap();
        assert_eq!(&text[span.clone()], "\"eu\"");
        assert_eq!(line_col(text, span.start), (6, 10));
        assert_eq!(map.path_at(span.start + 1), Some(p));
    }

    #[test]
    fn json_paths_and_spans() {
        let text = "{\n  \"name\": \"x\",\n  \"clients\": [ {\"id\": \"a\"}, {\"id\": \"b\", \"region\": \"eu\"} ]\n}";
        let map = SourceMap::json(text).unwrap();
        let p = FieldPath::key("clients").index(1).field("region");
        let span = map.span_of(&p).unwrap();
        assert_eq!(&text[span.clone()], "\"eu\"");
        assert_eq!(map.path_at(span.end), Some(p.clone()));
        assert_eq!(p.to_string(), "clients[1].region");
    }

    #[test]
    fn offsets_round_trip() {
        let text = "ab\ncdé\nf";
        assert_eq!(offset_of(text, 2, 3), 5);
        assert_eq!(line_col(text, 5), (2, 3));
    }
}
