//! Helpers of the Python importer: parameters, formatting (`%`, `str.format`), form
//! encoding, JSON, base64 and string escapes.

use super::*;

// ---------------------------------------------------------------------------------------
// Helpers.

/// Parameter names and defaults of a function definition.
pub(super) fn parameters<'t>(f: Node<'t>, src: &str) -> Vec<(String, Option<Node<'t>>)> {
    let Some(ps) = f.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut cursor = ps.walk();
    let list: Vec<Node<'t>> = ps.named_children(&mut cursor).collect();
    list.into_iter()
        .filter_map(|p| match p.kind() {
            "identifier" => Some((text(p, src).to_string(), None)),
            "default_parameter" | "typed_default_parameter" => Some((
                p.child_by_field_name("name")
                    .map(|n| text(n, src).to_string())?,
                p.child_by_field_name("value"),
            )),
            "typed_parameter" => p
                .named_child(0)
                .filter(|c| c.kind() == "identifier")
                .map(|c| (text(c, src).to_string(), None)),
            _ => None,
        })
        .collect()
}

/// The expression of a function's only `return` at the top of its body.
pub(super) fn single_return(f: Node<'_>) -> Option<Node<'_>> {
    let body = f.child_by_field_name("body")?;
    let mut cursor = body.walk();
    let returns: Vec<Node<'_>> = body
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "return_statement")
        .collect();
    match returns.as_slice() {
        [r] => r.named_child(0),
        _ => None,
    }
}

pub(super) fn concat(a: Val, b: Val) -> Option<Val> {
    match (a, b) {
        (Val::Str(mut x, bx), Val::Str(y, by)) if bx == by => {
            x.push(&y);
            Some(Val::Str(x, bx))
        }
        (Val::Seq(mut x), Val::Seq(y)) => {
            x.extend(y);
            Some(Val::Seq(x))
        }
        _ => None,
    }
}

pub(super) fn capitalize(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// A form (or query) from pairs as requests encodes it (`urlencode(..., doseq=True)`),
/// with each parameter's meant value.
pub(super) fn form_encode_pairs(
    pairs: &[(Traced, Val, Option<usize>)],
    line: Option<usize>,
) -> (Traced, Vec<DraftParam>) {
    let mut body = Traced::default();
    let mut params = Vec::new();
    let mut add = |body: &mut Traced, k: &Traced, v: Traced, l: Option<usize>| {
        if !body.is_empty() {
            body.push_literal("&", l.or(line));
        }
        body.push(&k.map(quote_plus(&k.text)).default_line(l));
        body.push_literal("=", l);
        body.push(&v.map(quote_plus(&v.text)).default_line(l));
        params.push(DraftParam {
            name: k.text.clone(),
            meant: v,
            line: l,
        });
    };
    for (k, v, l) in pairs {
        let values: Vec<Val> = match v {
            Val::Seq(items) => items.clone(),
            other => vec![other.clone()],
        };
        for v in values {
            let t = match v {
                Val::None => continue,
                Val::Str(t, _) => t,
                Val::Scalar(s) => Traced::literal(s, *l),
                Val::Unknown(e, ul) => Traced::unknown(&e, format!("{{{e}}}"), ul).with_expr(&e),
                _ => Traced::unknown(&k.text, format!("{{{}}}", k.text), *l),
            };
            add(&mut body, k, t, *l);
        }
    }
    (body, params)
}

/// `json.dumps` with Python's default separators and `ensure_ascii`.
/// `json.dumps`' layout.
pub(super) const JSON: JsonStyle = JsonStyle {
    item_sep: ", ",
    key_sep: ": ",
    ascii: true,
};

pub(super) fn to_json(v: &Val) -> Option<Traced> {
    value::to_json(v, JSON)
}

impl ScriptVal for Val {
    fn view(&self) -> View<'_, Val> {
        match self {
            Val::Dict(es, line) => View::Map(es, *line),
            Val::Seq(items) => View::Seq(items),
            Val::Str(s, false) => View::Str(s),
            Val::Scalar(s) => View::Scalar(match s.as_str() {
                "True" => "true".to_string(),
                "False" => "false".to_string(),
                other => other.to_string(),
            }),
            Val::None => View::Null,
            Val::Unknown(e, l) => View::Unknown(e, *l),
            _ => View::Other,
        }
    }
}

/// base64 of a traced string, remembering what it encodes.
pub(super) fn b64(inner: &Traced, path: &str) -> Traced {
    let bytes = inner.text.as_bytes();
    let text = match path {
        "base64.urlsafe_b64encode" => URL_SAFE.encode(bytes),
        "base64.encodebytes" | "base64.encodestring" => {
            let enc = STANDARD.encode(bytes);
            let mut out: Vec<String> = enc
                .as_bytes()
                .chunks(76)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            out.push(String::new());
            out.join("\n")
        }
        _ => STANDARD.encode(bytes),
    };
    Traced::base64_of(inner.clone(), text, inner.line())
}

/// `"%s:%s" % (a, b)`.
pub(super) fn percent_format(fmt: &Traced, args: &[Traced]) -> Option<Traced> {
    let mut out = Traced::default();
    let mut args = args.iter();
    let s = &fmt.text;
    let mut last = 0;
    let mut i = 0;
    let b = s.as_bytes();
    while i < b.len() {
        if b[i] == b'%' && i + 1 < b.len() {
            out.push(&fmt.slice(last..i));
            match b[i + 1] {
                b'%' => out.push_literal("%", fmt.line()),
                b's' | b'r' | b'd' => out.push(args.next()?),
                _ => return None,
            }
            i += 2;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push(&fmt.slice(last..s.len()));
    Some(out)
}

/// `"{}:{}".format(a, b)` and `"{name}".format(name=x)`.
pub(super) fn brace_format(
    fmt: &Traced,
    pos: &[Traced],
    kw: &[(String, Traced)],
) -> Option<Traced> {
    let mut out = Traced::default();
    let s = &fmt.text;
    let mut auto = 0usize;
    let mut last = 0;
    let mut i = 0;
    let b = s.as_bytes();
    while i < b.len() {
        match b[i] {
            b'{' if b.get(i + 1) == Some(&b'{') => {
                out.push(&fmt.slice(last..i + 1));
                i += 2;
                last = i;
            }
            b'}' if b.get(i + 1) == Some(&b'}') => {
                out.push(&fmt.slice(last..i + 1));
                i += 2;
                last = i;
            }
            b'{' => {
                let close = s[i..].find('}')? + i;
                out.push(&fmt.slice(last..i));
                let field = s[i + 1..close].split([':', '!']).next().unwrap_or("");
                let v = if field.is_empty() {
                    auto += 1;
                    pos.get(auto - 1)?
                } else if let Ok(n) = field.parse::<usize>() {
                    pos.get(n)?
                } else {
                    &kw.iter().find(|(k, _)| k == field)?.1
                };
                out.push(v);
                i = close + 1;
                last = i;
            }
            _ => i += 1,
        }
    }
    out.push(&fmt.slice(last..s.len()));
    Some(out)
}

/// Python string escapes (not raw strings).
pub(super) fn decode_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(n) = chars.next() else {
            out.push('\\');
            break;
        };
        match n {
            '\n' => {}
            '\\' | '\'' | '"' => out.push(n),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            'x' | 'u' | 'U' => {
                let len = match n {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = (0..len)
                    .filter_map(|_| chars.next_if(|c| c.is_ascii_hexdigit()))
                    .collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == len => out.push(ch),
                    _ => {
                        out.push('\\');
                        out.push(n);
                        out.push_str(&hex);
                    }
                }
            }
            '0'..='7' => {
                let mut v = n.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                if let Some(ch) = char::from_u32(v) {
                    out.push(ch);
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(decode_escapes(r"a\nb\x41\u00e9\\\q"), "a\nbAé\\\\q");
    }

    #[test]
    fn formats() {
        let f = Traced::literal("{}:{x}", None);
        let r = brace_format(
            &f,
            &[Traced::literal("a", None)],
            &[("x".into(), Traced::literal("b", None))],
        )
        .unwrap();
        assert_eq!(r.text, "a:b");
        let p = percent_format(
            &Traced::literal("Basic %s", None),
            &[Traced::literal("Zm8=", None)],
        )
        .unwrap();
        assert_eq!(p.text, "Basic Zm8=");
    }
}
