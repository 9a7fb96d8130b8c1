//! The "any run of 8 characters" rule of contract §4a: every run of [`RUN`] characters of every
//! encoded form of a secret is a pattern, and wherever any of them occurs, in the text as it is
//! or after decoding HTML and JSON escapes, the covered stretch is removed.
//!
//! Plan: the runs of all forms go into one Aho-Corasick automaton (built once per redactor
//! and reused for every string). Matches may overlap; their ranges are merged and each merged
//! stretch becomes one `<redacted>`. Percent escapes compare case-insensitively because both
//! the patterns and the text are matched in a form with the two digits after each `%`
//! upper-cased (the byte length stays the same, so ranges carry over).

use super::decode::decode;
use aho_corasick::AhoCorasick;
use std::ops::Range;

/// Shortest run of a secret that counts as a leak.
pub const RUN: usize = 8;

/// Every run of [`RUN`] characters of `form` (the whole form when shorter), normalised.
pub(crate) fn runs_of(form: &str) -> Vec<String> {
    let norm = String::from_utf8(upper_hex(form)).unwrap_or_else(|_| form.to_string());
    let idx: Vec<usize> = norm
        .char_indices()
        .map(|(i, _)| i)
        .chain([norm.len()])
        .collect();
    let n = idx.len() - 1;
    if n < RUN {
        return Vec::new();
    }
    (0..=n - RUN)
        .map(|s| norm[idx[s]..idx[s + RUN]].to_string())
        .collect()
}

/// Builds the automaton of a set of runs.
pub(crate) fn automaton<'a>(
    runs: impl ExactSizeIterator<Item = &'a String>,
) -> Option<AhoCorasick> {
    if runs.len() == 0 {
        return None;
    }
    // A non-contiguous NFA builds fastest; the texts scrubbed are short.
    AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .build(runs)
        .ok()
}

/// The byte ranges of `text` covered by any run, merged, in order.
pub(crate) fn covered(ac: &AhoCorasick, text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let norm = upper_hex(text);
    for m in ac.find_overlapping_iter(&norm) {
        ranges.push(m.start()..m.end());
    }
    if let Some(d) = decode(text) {
        let norm = upper_hex(&d.text);
        for m in ac.find_overlapping_iter(&norm) {
            ranges.push(d.original(m.start()..m.end()));
        }
    }
    merge(text, ranges)
}

fn merge(text: &str, mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for mut r in ranges {
        while r.start > 0 && !text.is_char_boundary(r.start) {
            r.start -= 1;
        }
        while r.end < text.len() && !text.is_char_boundary(r.end) {
            r.end += 1;
        }
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// `text` with each range replaced by `with`.
pub(crate) fn replace(text: &str, ranges: &[Range<usize>], with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in ranges {
        out.push_str(&text[last..r.start]);
        out.push_str(with);
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Upper-cases the two characters after each `%`; the length in bytes stays the same.
pub(crate) fn upper_hex(s: &str) -> Vec<u8> {
    let mut b = s.as_bytes().to_vec();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            for j in i + 1..(i + 3).min(b.len()) {
                b[j] = b[j].to_ascii_uppercase();
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_runs_merge_into_one_stretch() {
        let runs = runs_of("abcdefghijkl");
        let ac = automaton(runs.iter()).unwrap();
        let text = "x abcdefghij y cdefghijkl z";
        let c = covered(&ac, text);
        assert_eq!(replace(text, &c, "<r>"), "x <r> y <r> z");
        assert!(runs_of("short").is_empty());
    }

    #[test]
    fn runs_are_found_behind_entities_and_any_hex_case() {
        let ac = automaton(runs_of("ab%2Bcdefgh").iter()).unwrap();
        assert_eq!(covered(&ac, "[ab%2bcdefgh]"), vec![1..12]);
        let ac = automaton(runs_of("ab+cd/efgh").iter()).unwrap();
        let text = "<p>ab&#43;cd&#x2F;efgh</p>";
        assert_eq!(replace(text, &covered(&ac, text), "X"), "<p>X</p>");
    }
}
