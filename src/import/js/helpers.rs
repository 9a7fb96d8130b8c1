//! Helpers of the JavaScript importer: parameters, the SDK environment, the encoders of
//! `URLSearchParams`, `encodeURIComponent` and axios, JSON and string escapes.

use super::*;

/// A parameter of a function: its name, position, default and, for a destructured
/// parameter (`function f({ id, secret })`), the property it takes.
#[derive(Clone, Copy)]
pub(super) struct Param<'t> {
    pub(super) name: &'t str,
    pub(super) index: usize,
    pub(super) default: Option<Node<'t>>,
    pub(super) key: Option<&'t str>,
}

pub(super) fn parameters<'t>(f: Node<'t>, src: &'t str) -> Vec<Param<'t>> {
    if let Some(p) = f.child_by_field_name("parameter") {
        return vec![Param {
            name: text(p, src),
            index: 0,
            default: None,
            key: None,
        }];
    }
    let Some(ps) = f.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut cursor = ps.walk();
    let list: Vec<Node<'t>> = ps
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect();
    let mut out = Vec::new();
    for (index, p) in list.into_iter().enumerate() {
        match p.kind() {
            "identifier" => out.push(Param {
                name: text(p, src),
                index,
                default: None,
                key: None,
            }),
            "assignment_pattern" => {
                if let Some(l) = p.child_by_field_name("left")
                    && l.kind() == "identifier"
                {
                    out.push(Param {
                        name: text(l, src),
                        index,
                        default: p.child_by_field_name("right"),
                        key: None,
                    });
                }
            }
            "object_pattern" => {
                let mut c2 = p.walk();
                let items: Vec<Node<'t>> = p.named_children(&mut c2).collect();
                for it in items {
                    match it.kind() {
                        "shorthand_property_identifier_pattern" => out.push(Param {
                            name: text(it, src),
                            index,
                            default: None,
                            key: Some(text(it, src)),
                        }),
                        "object_assignment_pattern" => {
                            if let Some(l) = it.child_by_field_name("left") {
                                out.push(Param {
                                    name: text(l, src),
                                    index,
                                    default: it.child_by_field_name("right"),
                                    key: Some(text(l, src)),
                                });
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The expression of a function's only top-level `return`, or an arrow function's
/// expression body.
pub(super) fn single_return(f: Node<'_>) -> Option<Node<'_>> {
    let body = f.child_by_field_name("body")?;
    if body.kind() != "statement_block" {
        return Some(body);
    }
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

pub(super) fn is_axios(path: &str) -> bool {
    path == "axios"
}

pub(super) fn is_fetch(path: &str) -> bool {
    matches!(
        path,
        "fetch" | "node-fetch" | "undici.fetch" | "cross-fetch"
    )
}

/// The environment `setEnvironment` stores: trailing `/` removed, then a leading
/// `https://` or `http://`, then a leading `api.` (configuration.js, facts §1.3).
pub(super) fn sdk_environment(env: &Traced) -> Traced {
    let s = env.text.as_str();
    let mut start = 0;
    let end = s.trim_end_matches('/').len();
    let inner = &s[..end];
    for p in ["https://", "http://"] {
        if inner.starts_with(p) {
            start = p.len();
            break;
        }
    }
    if inner[start..].starts_with("api.") {
        start += 4;
    }
    env.slice(start..end.max(start))
}

/// True when the value is an environment variable that is not set here.
pub(super) fn is_unset_env(t: &Traced) -> bool {
    t.spans.iter().any(|s| {
        matches!(
            s.src,
            Src::Env {
                state: EnvState::Unset,
                ..
            }
        )
    })
}

/// `process.env.X || "default"` with X unset: the default, still known as X's.
pub(super) fn with_env_default(t: Traced, d: Val) -> Val {
    let Some((name, expr)) = t.spans.iter().find_map(|s| match &s.src {
        Src::Env { name, expr, .. } => Some((name.clone(), expr.clone())),
        _ => None,
    }) else {
        return d;
    };
    match d {
        Val::Str(d) => Val::Str(
            Traced::new(
                d.text.clone(),
                Src::Env {
                    name,
                    state: EnvState::UnsetDefault,
                    expr: expr.clone(),
                },
                d.line(),
            )
            .with_expr(&expr),
        ),
        Val::Null => Val::Str(t),
        other => other,
    }
}

pub(super) fn concat(a: Val, b: Val) -> Option<Val> {
    match (a, b) {
        (Val::Str(mut x), Val::Str(y)) => {
            x.push(&y);
            Some(Val::Str(x))
        }
        _ => None,
    }
}

/// `URLSearchParams.toString()`: the form serializer (space as `+`).
pub(super) fn form_text(pairs: &[(Traced, Traced, Option<usize>)], line: Option<usize>) -> Traced {
    let mut out = Traced::default();
    for (k, v, l) in pairs {
        if !out.is_empty() {
            out.push_literal("&", l.or(line));
        }
        out.push(&k.map(url_search_params_encode(&k.text)).default_line(*l));
        out.push_literal("=", *l);
        out.push(&v.map(url_search_params_encode(&v.text)).default_line(*l));
    }
    if out.is_empty() {
        out = Traced::literal("", line);
    }
    out
}

/// The `application/x-www-form-urlencoded` serializer of URLSearchParams: `*-._` and
/// alphanumerics stay, space becomes `+`, everything else is percent-encoded.
pub(super) fn url_search_params_encode(v: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'*')
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b' ');
    percent_encoding::utf8_percent_encode(v, SET)
        .to_string()
        .replace(' ', "+")
}

/// `encodeURIComponent`: all but `A-Za-z0-9-_.!~*'()`.
pub(super) fn encode_uri_component(v: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'!')
        .remove(b'~')
        .remove(b'*')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')');
    percent_encoding::utf8_percent_encode(v, SET).to_string()
}

/// axios's `buildURL` encoding of params: `encodeURIComponent`, then `: $ , [ ]` and `+` for
/// spaces put back.
pub(super) fn axios_param_encode(v: &str) -> String {
    encode_uri_component(v)
        .replace("%3A", ":")
        .replace("%24", "$")
        .replace("%2C", ",")
        .replace("%20", "+")
        .replace("%5B", "[")
        .replace("%5D", "]")
}

/// `JSON.stringify` (no spaces).
/// `JSON.stringify`'s layout.
pub(super) const JSON: JsonStyle = JsonStyle {
    item_sep: ",",
    key_sep: ":",
    ascii: false,
};

pub(super) fn to_json(v: &Val) -> Option<Traced> {
    value::to_json(v, JSON)
}

impl ScriptVal for Val {
    fn view(&self) -> View<'_, Val> {
        match self {
            Val::Obj(es, line) => View::Map(es, *line),
            Val::Arr(items) => View::Seq(items),
            Val::Str(s) => View::Str(s),
            Val::Scalar(s) => View::Scalar(s.clone()),
            Val::Null => View::Null,
            Val::Unknown(e, l) => View::Unknown(e, *l),
            _ => View::Other,
        }
    }
}

/// JavaScript string escapes.
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
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0' if !chars.peek().is_some_and(|c| c.is_ascii_digit()) => out.push('\0'),
            'x' | 'u' => {
                let braced = n == 'u' && chars.peek() == Some(&'{');
                if braced {
                    chars.next();
                }
                let len = match (n, braced) {
                    ('x', _) => 2,
                    (_, true) => 6,
                    _ => 4,
                };
                let hex: String = (0..len)
                    .map_while(|_| chars.next_if(|c| c.is_ascii_hexdigit()))
                    .collect();
                if braced {
                    let _ = chars.next_if_eq(&'}');
                }
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if !hex.is_empty() && (braced || hex.len() == len) => out.push(ch),
                    _ => {
                        out.push(n);
                        out.push_str(&hex);
                    }
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(decode_escapes(r"a\nb\x41\u00e9\u{1F600}\q\'"), "a\nbAé😀q'");
    }

    #[test]
    fn encoders() {
        assert_eq!(url_search_params_encode("a b+c/d*~"), "a+b%2Bc%2Fd*%7E");
        assert_eq!(encode_uri_component("a b+c/d!'"), "a%20b%2Bc%2Fd!'");
        assert_eq!(axios_param_encode("a b:c"), "a+b:c");
    }

    #[test]
    fn set_environment_normalisation() {
        for (given, env) in [
            ("mypurecloud.ie", "mypurecloud.ie"),
            ("https://api.mypurecloud.ie/", "mypurecloud.ie"),
            ("http://mypurecloud.de//", "mypurecloud.de"),
            ("api.usw2.pure.cloud", "usw2.pure.cloud"),
            ("login.mypurecloud.ie", "login.mypurecloud.ie"),
        ] {
            assert_eq!(
                sdk_environment(&Traced::literal(given, None)).text,
                env,
                "{given}"
            );
        }
    }

    #[test]
    fn module_paths() {
        assert_eq!(module_path("node:querystring"), "querystring");
        assert_eq!(module_path("axios.default"), "axios");
        assert_eq!(module_path("axios.default.post"), "axios.post");
        assert_eq!(module_path("x.defaults"), "x.defaults");
    }
}
