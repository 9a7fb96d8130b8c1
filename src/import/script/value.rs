//! Script values as the core sees them: a language's own value type maps itself onto a
//! neutral [`View`], and what is built from values the same way in every language (JSON
//! serialisation, concatenation of strings, dict entries set by key) is written once here.

use crate::import::Traced;

/// An entry of a dict (Python) or object (JavaScript), with the line it is set on.
#[derive(Clone, Debug)]
pub(crate) struct Entry<V> {
    pub(crate) key: Traced,
    pub(crate) value: V,
    pub(crate) line: Option<usize>,
}

/// Sets `key` in `entries`: replaces the value in place (keeping the order), or appends.
pub(crate) fn set_entry<V>(
    entries: &mut Vec<Entry<V>>,
    key: Traced,
    value: V,
    line: Option<usize>,
) {
    if let Some(e) = entries.iter_mut().find(|e| e.key.text == key.text) {
        e.value = value;
        e.line = line;
    } else {
        entries.push(Entry { key, value, line });
    }
}

/// A script value seen language-neutrally.
pub(crate) enum View<'v, V> {
    /// Text (not bytes).
    Str(&'v Traced),
    /// A dict or object literal, with its line.
    Map(&'v [Entry<V>], Option<usize>),
    /// A list, tuple or array.
    Seq(&'v [V]),
    /// A number or boolean, as the language's JSON serialiser writes it.
    Scalar(String),
    /// `None`, `null`, `undefined`.
    Null,
    /// Cannot be known: the expression and its line.
    Unknown(&'v str, Option<usize>),
    /// Anything else (modules, clients, bytes): not serialisable.
    Other,
}

/// A language's value type, as the core reads it.
pub(crate) trait ScriptVal: Sized {
    fn view(&self) -> View<'_, Self>;
}

/// How a language's JSON serialiser lays out its text.
#[derive(Clone, Copy)]
pub(crate) struct JsonStyle {
    /// Between items (`", "` for Python's `json.dumps`, `","` for `JSON.stringify`).
    pub(crate) item_sep: &'static str,
    /// Between a key and its value.
    pub(crate) key_sep: &'static str,
    /// Escape every non-ASCII character as `\uXXXX` (Python's `ensure_ascii`).
    pub(crate) ascii: bool,
}

/// The JSON text a value serialises to, traced to where its parts come from; `None` when a
/// part cannot be serialised.
pub(crate) fn to_json<V: ScriptVal>(v: &V, style: JsonStyle) -> Option<Traced> {
    Some(match v.view() {
        View::Map(es, line) => {
            let mut t = Traced::literal("{", line);
            for (i, e) in es.iter().enumerate() {
                if i > 0 {
                    t.push_literal(style.item_sep, e.line);
                }
                let key = json_string(&e.key.text, style.ascii);
                t.push(&e.key.map(key).default_line(e.line));
                t.push_literal(style.key_sep, e.line);
                t.push(&to_json(&e.value, style)?);
            }
            t.push_literal("}", line);
            t
        }
        View::Seq(items) => {
            let mut t = Traced::literal("[", None);
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    t.push_literal(style.item_sep, None);
                }
                t.push(&to_json(it, style)?);
            }
            t.push_literal("]", None);
            t
        }
        View::Str(s) => s.map(json_string(&s.text, style.ascii)),
        View::Scalar(s) => Traced::literal(s, None),
        View::Null => Traced::literal("null", None),
        View::Unknown(e, l) => Traced::unknown(e, format!("\"{{{e}}}\""), l),
        View::Other => return None,
    })
}

/// A JSON string literal; with `ascii`, every non-ASCII character escaped.
pub(crate) fn json_string(s: &str, ascii: bool) -> String {
    if !ascii {
        return serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings() {
        assert_eq!(json_string("a\"é", true), "\"a\\\"\\u00e9\"");
        assert_eq!(json_string("a\"é", false), "\"a\\\"é\"");
        assert_eq!(json_string("\u{1}", false), "\"\\u0001\"");
    }
}
