//! Byte offsets of values in JSON text, by path, for mapping findings back to input lines.
//!
//! serde_json reads JSON inputs (HAR, Postman) without positions; these helpers walk the raw,
//! already validated text once more to the value at a path of keys and array indices.
//! Iterative where it matters, so deep nesting cannot overflow.

/// One step of a path into a JSON document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// Byte offset of the value at `path` (from the document's root value).
pub(crate) fn offset(b: &[u8], path: &[Step]) -> Option<usize> {
    let mut at = ws(b, 0)?;
    for s in path {
        at = match s {
            Step::Key(k) => object_get(b, at, k)?,
            Step::Index(i) => array_nth(b, at, *i)?,
        };
    }
    Some(at)
}

pub(crate) fn ws(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    (i < b.len()).then_some(i)
}

/// End (exclusive) of the string starting at `i` (`"`).
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// End (exclusive) of the value starting at `i`. Iterative, so deep nesting cannot overflow.
pub(crate) fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i;
    loop {
        let c = *b.get(j)?;
        match c {
            b'"' => j = skip_string(b, j)?,
            b'{' | b'[' => {
                depth += 1;
                j += 1;
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                j += 1;
            }
            _ if depth == 0 => {
                while j < b.len()
                    && !matches!(b[j], b',' | b'}' | b']')
                    && !b[j].is_ascii_whitespace()
                {
                    j += 1;
                }
                return Some(j);
            }
            _ => j += 1,
        }
        if depth == 0 {
            return Some(j);
        }
    }
}

/// Offset of the value of `key` in the object at `i`.
pub(crate) fn object_get(b: &[u8], i: usize, key: &str) -> Option<usize> {
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut j = ws(b, i + 1)?;
    loop {
        if b[j] == b'}' {
            return None;
        }
        let end = skip_string(b, j)?;
        let k = &b[j + 1..end - 1];
        j = ws(b, end)?;
        if b[j] != b':' {
            return None;
        }
        let v = ws(b, j + 1)?;
        if k == key.as_bytes() {
            return Some(v);
        }
        j = ws(b, skip_value(b, v)?)?;
        if b[j] == b',' {
            j = ws(b, j + 1)?;
        }
    }
}

/// Offset of the `n`th element of the array at `i`.
pub(crate) fn array_nth(b: &[u8], i: usize, n: usize) -> Option<usize> {
    if b.get(i) != Some(&b'[') {
        return None;
    }
    let mut j = ws(b, i + 1)?;
    let mut k = 0;
    loop {
        if b[j] == b']' {
            return None;
        }
        if k == n {
            return Some(j);
        }
        j = ws(b, skip_value(b, j)?)?;
        if b[j] == b',' {
            j = ws(b, j + 1)?;
        }
        k += 1;
    }
}
