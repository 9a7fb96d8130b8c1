//! PowerShell strings as PowerShell expands them: single quotes literal (`''` is a quote),
//! double quotes and here-strings with `$name`, `${name}`, `$(…)` and backtick escapes, and
//! `"$a:b"`, where `$a:b` is a drive-qualified variable name (the value of `$a` and the colon
//! are lost), and `"$a:$b"`, which PowerShell rejects (read as the author meant it, less the
//! colon, so the malformed pair is what gets diagnosed).

use super::*;

/// Where the text of a string node runs, without its quotes: (start, end) byte offsets.
fn content_range(n: Node<'_>, src: &str) -> (usize, usize) {
    let (s, e) = (n.start_byte(), n.end_byte());
    let t = text(n, src);
    if t.starts_with("@\"") || t.starts_with("@'") {
        // A here-string: from the line after `@"` to the end of the line before `"@`.
        let start = t.find('\n').map(|i| s + i + 1).unwrap_or(s + 2);
        let end = t
            .rfind('\n')
            .map(|i| s + i)
            .filter(|&x| x >= start)
            .unwrap_or(start);
        let end = if src[..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        return (start, end.max(start));
    }
    (s + 1, e.saturating_sub(1).max(s + 1))
}

/// A backtick escape's character (`` `n `` is a newline; any other character stands for itself).
fn backtick(c: char) -> char {
    match c {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        'e' => '\u{1b}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\u{b}',
        other => other,
    }
}

/// The literal text between expansions: backtick escapes and (outside here-strings) `""`.
fn unescape(raw: &str, here: bool) -> String {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => {
                if let Some(n) = chars.next() {
                    out.push(backtick(n));
                }
            }
            '"' | '\u{201c}' | '\u{201d}' if !here && chars.peek() == Some(&'"') => {
                chars.next();
                out.push('"');
            }
            c => out.push(c),
        }
    }
    out
}

impl<'t> Resolver<'t, '_> {
    /// A single-quoted string or here-string: literal.
    pub(super) fn verbatim(&self, n: Node<'t>) -> Val {
        let (s, e) = content_range(n, self.src);
        let raw = self.src.get(s..e).unwrap_or("");
        let here = text(n, self.src).starts_with('@');
        let value = if here {
            raw.to_string()
        } else {
            raw.replace("''", "'")
        };
        Val::Str(Traced::literal(value, line_of(n)))
    }

    /// A double-quoted string or here-string, expanded.
    pub(super) fn expandable(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (start, end) = content_range(n, self.src);
        let here = text(n, self.src).starts_with('@');
        let line = line_of(n);
        let mut out = Traced::literal("", line);
        let mut at = start;
        let mut cursor = n.walk();
        let parts: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
        for p in parts {
            if p.start_byte() < at || p.end_byte() > end {
                continue;
            }
            let raw = self.src.get(at..p.start_byte()).unwrap_or("");
            out.push_literal(&unescape(raw, here), line_of(p));
            at = p.end_byte();
            let written = self.text(p);
            let drive = p.kind() == "variable"
                && !written.starts_with("${")
                && !written.contains(':')
                && self.src[at..end].starts_with(':');
            let named = drive
                && self
                    .src
                    .get(at + 1..end)
                    .and_then(|r| r.chars().next())
                    .is_some_and(|c| c.is_alphanumeric() || c == '_');
            if drive && !named {
                // `"$id:$secret"`: a `:` after `$id` followed by no name is a parse error
                // ("Variable reference is not valid"), so the script never sends anything.
                // Read as the author meant it, the id's value then the secret's, but without
                // the colon PowerShell never lets through: the pair is built wrong (GC202),
                // and the id and the secret are still found for the canonical request.
                at += 1;
                self.notes.push(format!(
                    "line {}: PowerShell rejects `{written}:` followed by no variable name (\"Variable reference is not valid. ':' was not followed by a valid variable name character\"), so the script stops before it sends the request; write `${{{}}}:` or `$({written}):`",
                    line.unwrap_or(0),
                    written.trim_start_matches('$')
                ));
                let v = self.eval(p, ctx);
                out.push(&v.text(&short(written), line_of(p)));
                continue;
            }
            if drive {
                // `$a:b` names variable `b` on drive `a`: neither `$a` nor the colon appear.
                at += 1;
                let rest: String = self.src[at..end]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                at += rest.len();
                self.notes.push(format!(
                    "line {}: PowerShell reads `{written}:` in a double-quoted string as a drive-qualified variable name, so the value of `{written}` and the colon are lost; write `${{{}}}:` or `$({written}):`",
                    line.unwrap_or(0),
                    written.trim_start_matches('$')
                ));
                continue;
            }
            let v = self.eval(p, ctx);
            out.push(&v.text(&short(written), line_of(p)));
        }
        let raw = self.src.get(at..end).unwrap_or("");
        out.push_literal(&unescape(raw, here), line);
        Val::Str(out)
    }
}
