//! The proof of an encoding defect, told without the secret: how the value the user meant and
//! the value the server reads differ, by structure only (lengths, character classes, and the
//! characters that matter with their 1-based positions, never the other characters).
//!
//! Plan: walk both values side by side. A `+` that became a space, an `&` or `#` where the
//! server's value stops, a `%XX` the server decoded: each is one line of evidence, so a report
//! can show *why* the bytes differ (GC203) and still be pasted anywhere.

use super::describe_shape;

/// Lines of evidence for a secret the server reads differently from the one meant.
pub fn difference(meant: &str, seen: &str) -> Vec<String> {
    let m: Vec<char> = meant.chars().collect();
    let s: Vec<char> = seen.chars().collect();
    let mut out = vec![format!(
        "the secret meant: {}; as the server reads it: {}",
        describe_shape(meant),
        describe_shape(seen)
    )];
    let mut pluses = Vec::new();
    for (i, c) in m.iter().enumerate() {
        if *c == '+' && s.get(i) == Some(&' ') {
            pluses.push(i + 1);
        }
    }
    if !pluses.is_empty() {
        out.push(format!(
            "`+` at {} sent raw: the server reads a space",
            list(&pluses)
        ));
    }
    // Where the server's value stops short of the meant one.
    let common = m
        .iter()
        .zip(&s)
        .take_while(|(a, b)| a == b || (**a == '+' && **b == ' '))
        .count();
    if common == s.len() && common < m.len() {
        match m[common] {
            '&' => out.push(format!(
                "`&` at {} ends the value: the server reads the first {common} characters and takes the rest as another parameter",
                common + 1
            )),
            '#' => out.push(format!(
                "`#` at {} starts a URL fragment: nothing after it is sent",
                common + 1
            )),
            _ => {}
        }
    }
    let pcts = m
        .windows(3)
        .enumerate()
        .filter(|(_, w)| w[0] == '%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
        .map(|(i, _)| i + 1)
        .collect::<Vec<_>>();
    if !pcts.is_empty() && s.len() < m.len() {
        out.push(format!(
            "`%XX` at {} is decoded by the server: it reads one character for each",
            list(&pcts)
        ));
    }
    out
}

fn list(v: &[usize]) -> String {
    v.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proof_is_told_by_structure() {
        let ev = difference("Qm7+tR2&zK9=pL4", "Qm7 tR2");
        assert_eq!(ev[1], "`+` at 4 sent raw: the server reads a space");
        assert!(ev[2].starts_with("`&` at 8 ends the value"), "{ev:?}");
        assert!(!ev.join(" ").contains("Qm7"));
    }
}
