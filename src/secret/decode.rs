//! Decoding of the escapes a server (or a renderer) may wrap a secret in, keeping a map back to
//! the original text, so a run found in the decoded text is removed from the original.
//!
//! Plan: one left-to-right pass that turns HTML character references (`&#43;`, `&#x2F;`,
//! `&amp;`, `&plus;`, …) and JSON escapes (`\u00e9`, `\/`, `\"`, `\\`) into the characters
//! they stand for. Every decoded byte remembers the byte range of the original text it came
//! from. Anything that is not a complete escape is copied as it is.

use std::ops::Range;

/// Text with escapes decoded, and for each byte of it the original range it came from.
pub(crate) struct Decoded {
    pub text: String,
    /// `origin[i]` is the range of the original text that byte `i` of `text` came from.
    pub origin: Vec<Range<usize>>,
}

impl Decoded {
    /// The original range covering decoded bytes `r`.
    pub fn original(&self, r: Range<usize>) -> Range<usize> {
        let start = self.origin.get(r.start).map(|o| o.start).unwrap_or(0);
        let end = r
            .end
            .checked_sub(1)
            .and_then(|i| self.origin.get(i))
            .map(|o| o.end)
            .unwrap_or(start);
        start..end
    }
}

/// Decodes HTML character references and JSON escapes; `None` when there are none.
pub(crate) fn decode(text: &str) -> Option<Decoded> {
    if !text.contains('&') && !text.contains('\\') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let found = match rest.as_bytes()[0] {
            b'&' => html_entity(rest),
            b'\\' => json_escape(rest),
            _ => None,
        };
        let (c, len) = match found {
            Some(x) => {
                changed = true;
                x
            }
            None => {
                let c = rest.chars().next().unwrap_or('\u{fffd}');
                (c, c.len_utf8())
            }
        };
        let mut buf = [0u8; 4];
        for _ in c.encode_utf8(&mut buf).bytes() {
            origin.push(i..i + len);
        }
        out.push(c);
        i += len;
    }
    changed.then_some(Decoded { text: out, origin })
}

/// `&#43;`, `&#x2b;`, `&amp;` and a few named references at the start of `s`.
fn html_entity(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(v)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "plus" => '+',
            "sol" => '/',
            "equals" => '=',
            "percnt" => '%',
            "num" => '#',
            "dollar" => '$',
            "nbsp" => ' ',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// A JSON escape at the start of `s` (a surrogate pair counts as one character).
fn json_escape(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let c = match *b.get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'n' => '\n',
        b't' => '\t',
        b'r' => '\r',
        b'u' => {
            let hi = u16::from_str_radix(s.get(2..6)?, 16).ok()?;
            if (0xD800..0xDC00).contains(&hi) {
                let lo = s.get(6..12).filter(|t| t.starts_with("\\u"))?;
                let lo = u16::from_str_radix(&lo[2..], 16).ok()?;
                let c = char::decode_utf16([hi, lo]).next()?.ok()?;
                return Some((c, 12));
            }
            return Some((char::from_u32(hi as u32)?, 6));
        }
        _ => return None,
    };
    Some((c, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_entities_and_escapes_with_a_map_back() {
        let d = decode("a&#43;b&#x2F;c\\u00e9\\/&amp;").unwrap();
        assert_eq!(d.text, "a+b/cé/&");
        let at = d.text.find('/').unwrap();
        assert_eq!(d.original(at..at + 1), 7..13);
        assert!(decode("plain text").is_none());
    }
}
