//! C# string literals as the compiler reads them: regular (backslash escapes), verbatim
//! `@"…"` (`""` is a quote), raw `"""…"""` (common indentation removed), and interpolated
//! `$"…{expr}…"` (also verbatim and raw; `{{` is a brace, alignment and format are ignored).

use super::*;

/// A regular literal's escapes resolved (`\n`, `\"`, `\\`, `\uXXXX`, `\xH…`, `\0`).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '0' => out.push('\0'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            'e' => out.push('\u{1b}'),
            'u' | 'x' | 'U' => {
                let max = if e == 'U' { 8 } else { 4 };
                let mut hex = String::new();
                while hex.len() < max && chars.peek().is_some_and(char::is_ascii_hexdigit) {
                    hex.extend(chars.next());
                }
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(u) => out.push(u),
                    None => out.push(e),
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A raw literal's content: between the quote runs; a multi-line one without its first and
/// last lines and with the closing line's indentation removed from each line.
fn raw_content(t: &str) -> String {
    let t = t.trim_start_matches(['$', '@']);
    let quotes = t.chars().take_while(|c| *c == '"').count();
    let inner = t.get(quotes..t.len().saturating_sub(quotes)).unwrap_or("");
    if !inner.contains('\n') {
        return inner.to_string();
    }
    let lines: Vec<&str> = inner.split('\n').collect();
    let indent = lines.last().map(|l| l.len()).unwrap_or(0);
    let body = &lines[1..lines.len().saturating_sub(1)];
    body.iter()
        .map(|l| {
            l.get(indent.min(l.len())..)
                .unwrap_or("")
                .trim_end_matches('\r')
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl<'t> Resolver<'t, '_> {
    /// A string literal of any form but interpolated.
    pub(super) fn string(&self, n: Node<'t>) -> Val {
        let t = self.text(n);
        let value = match n.kind() {
            "verbatim_string_literal" => t
                .get(2..t.len().saturating_sub(1))
                .unwrap_or("")
                .replace("\"\"", "\""),
            "raw_string_literal" => raw_content(t),
            "character_literal" => unescape(t.get(1..t.len().saturating_sub(1)).unwrap_or("")),
            _ => {
                let inner = t.trim_end_matches("u8");
                unescape(inner.get(1..inner.len().saturating_sub(1)).unwrap_or(""))
            }
        };
        Val::Str(Traced::literal(value, line_of(n)))
    }

    /// `$"…{expr}…"`.
    pub(super) fn interpolated(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let written = self.text(n);
        let head: String = written.chars().take_while(|c| *c != '"').collect();
        let verbatim = head.contains('@');
        let raw = written[head.len()..].starts_with("\"\"\"");
        let line = line_of(n);
        let mut out = Traced::literal("", line);
        let mut cursor = n.walk();
        let parts: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
        for p in parts {
            match p.kind() {
                "string_content" | "escape_sequence" => {
                    let s = self.text(p);
                    let s = if raw {
                        s.to_string()
                    } else if verbatim {
                        s.replace("\"\"", "\"")
                    } else {
                        unescape(s)
                    };
                    out.push_literal(&s.replace("{{", "{").replace("}}", "}"), line_of(p));
                }
                "interpolation" => {
                    let mut c = p.walk();
                    let expr = p.named_children(&mut c).find(|x| {
                        !matches!(
                            x.kind(),
                            "interpolation_brace"
                                | "interpolation_alignment_clause"
                                | "interpolation_format_clause"
                        )
                    });
                    match expr {
                        Some(e) => {
                            let v = self.eval(e, ctx);
                            out.push(&v.text(&short(self.text(e)), line_of(e)));
                        }
                        None => out.push(&Traced::unknown("{}", "{}".into(), line_of(p))),
                    }
                }
                _ => {}
            }
        }
        Val::Str(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_raw() {
        assert_eq!(unescape(r#"a\"b\\c\n\u0041\x42"#), "a\"b\\c\nAB");
        assert_eq!(
            raw_content("\"\"\"\n    x\"y\n      z\n    \"\"\""),
            "x\"y\n  z"
        );
        assert_eq!(raw_content("\"\"\"a\"b\"\"\""), "a\"b");
    }
}
