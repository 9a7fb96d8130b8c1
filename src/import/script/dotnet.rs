//! .NET, as C# and PowerShell share it: the value model of a .NET script and the framework
//! calls both languages reach (`Encoding.X.GetBytes`, `Convert.ToBase64String`,
//! `Uri.EscapeDataString`, `WebUtility.UrlEncode`, the form encoding of
//! `FormUrlEncodedContent` and of a PowerShell hashtable body).
//!
//! Plan: a language module maps its syntax onto [`Val`] (its own objects, an `HttpClient` or
//! a `RestRequest`, ride in [`Val::Obj`]); the base64 idiom
//! `Convert.ToBase64String(Encoding.UTF8.GetBytes(s))` is evaluated here once, by the
//! encoding's real bytes (ASCII turns every non-ASCII character into `?`, Latin-1 every
//! character above U+00FF, UTF-16 doubles each byte), so a header built over the wrong
//! encoding is the header the runtime really sends.

use super::value::{Entry, ScriptVal, View};
use crate::import::Traced;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// A text encoding of `System.Text.Encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Enc {
    Ascii,
    Utf8,
    Latin1,
    /// `Encoding.Unicode`: UTF-16 little-endian.
    Utf16,
}

/// A .NET value, as far as it can be known offline; `O` is the language's own objects.
#[derive(Clone, Debug)]
pub(crate) enum Val<O> {
    Str(Traced),
    /// A hashtable, dictionary, anonymous object or initializer, with its line.
    Map(Vec<Entry<Val<O>>>, Option<usize>),
    /// An array or list.
    Seq(Vec<Val<O>>),
    /// A number or boolean, as .NET prints it.
    Scalar(String),
    Null,
    /// A `byte[]` made by `GetBytes` (the text and the encoding that makes its bytes).
    Bytes(Traced, Enc),
    /// An `Encoding` instance.
    Encoding(Enc),
    Obj(O),
    /// Cannot be known: the expression and its line.
    Unknown(String, Option<usize>),
}

impl<O> Val<O> {
    /// The entry `key` of a map (case-insensitive, as PowerShell hashtables and HTTP headers).
    pub(crate) fn get(&self, key: &str) -> Option<&Val<O>> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry `key` of a map, with its line.
    pub(crate) fn entry(&self, key: &str) -> Option<&Entry<Val<O>>> {
        match self {
            Val::Map(es, _) => es
                .iter()
                .rev()
                .find(|e| e.key.text.eq_ignore_ascii_case(key)),
            _ => None,
        }
    }

    /// The value as the string .NET makes of it (`ToString()`, interpolation); what cannot
    /// be known is a visible `{expr}` marker.
    pub(crate) fn text(&self, expr: &str, line: Option<usize>) -> Traced {
        match self {
            Val::Str(t) => t.clone(),
            Val::Scalar(s) => Traced::literal(s.clone(), line),
            Val::Null => Traced::literal("", line),
            Val::Bytes(..) => Traced::literal("System.Byte[]", line),
            Val::Unknown(e, l) => Traced::unknown(e, format!("{{{e}}}"), *l).with_expr(e),
            _ => Traced::unknown(expr, format!("{{{expr}}}"), line),
        }
    }
}

impl<O> ScriptVal for Val<O> {
    fn view(&self) -> View<'_, Self> {
        match self {
            Val::Str(t) => View::Str(t),
            Val::Map(es, l) => View::Map(es, *l),
            Val::Seq(items) => View::Seq(items),
            Val::Scalar(s) => View::Scalar(s.to_ascii_lowercase()),
            Val::Null => View::Null,
            Val::Unknown(e, l) => View::Unknown(e, *l),
            _ => View::Other,
        }
    }
}

/// The encoding a member of `Encoding` names (`UTF8`, `ASCII`, `Default`, …).
pub(crate) fn encoding(member: &str) -> Option<Enc> {
    Some(match member.to_ascii_lowercase().as_str() {
        "ascii" => Enc::Ascii,
        // `Default` is UTF-8 on .NET Core and PowerShell 7.
        "utf8" | "default" => Enc::Utf8,
        "latin1" => Enc::Latin1,
        "unicode" => Enc::Utf16,
        _ => return None,
    })
}

/// The encoding `Encoding.GetEncoding(name)` returns.
pub(crate) fn encoding_named(name: &str) -> Option<Enc> {
    Some(
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "iso-8859-1" | "latin1" | "28591" => Enc::Latin1,
            "utf-8" | "utf8" | "65001" => Enc::Utf8,
            "us-ascii" | "ascii" | "20127" => Enc::Ascii,
            "utf-16" | "unicode" | "1200" => Enc::Utf16,
            _ => return None,
        },
    )
}

/// The bytes `enc.GetBytes(text)` gives.
pub(crate) fn bytes_of(text: &str, enc: Enc) -> Vec<u8> {
    match enc {
        Enc::Utf8 => text.as_bytes().to_vec(),
        Enc::Ascii => text
            .chars()
            .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
            .collect(),
        Enc::Latin1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect(),
        Enc::Utf16 => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
    }
}

/// `Convert.ToBase64String(bytes)` of `GetBytes(text)`, remembering what it encodes.
pub(crate) fn to_base64(text: &Traced, enc: Enc, line: Option<usize>) -> Traced {
    let encoded = STANDARD.encode(bytes_of(&text.text, enc));
    Traced::base64_of(text.clone(), encoded, text.line().or(line))
}

/// `Encoding.X.GetString(Convert.FromBase64String(b64))`: the text back, when it decodes.
pub(crate) fn from_base64(b64: &Traced) -> Option<Traced> {
    let bytes = STANDARD.decode(b64.text.trim()).ok()?;
    Some(b64.map(String::from_utf8(bytes).ok()?))
}

/// `Uri.EscapeDataString`: all but `A-Za-z0-9-._~` percent-encoded (upper-case hex).
pub(crate) fn escape_data_string(v: &str) -> String {
    crate::import::percent_encode_strict(v)
}

/// `WebUtility.UrlEncode` (and `HttpUtility.UrlEncode`): alphanumerics and `-_.!*()` stay,
/// a space becomes `+`, everything else is percent-encoded.
pub(crate) fn url_encode(v: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'!')
        .remove(b'*')
        .remove(b'(')
        .remove(b')')
        .remove(b' ');
    percent_encoding::utf8_percent_encode(v, SET)
        .to_string()
        .replace(' ', "+")
}

/// `FormUrlEncodedContent`'s encoding: `Uri.EscapeDataString`, then `%20` as `+`.
pub(crate) fn form_content_encode(v: &str) -> String {
    escape_data_string(v).replace("%20", "+")
}

/// A form body from its pairs, each encoded by `encode`, traced to where each part came from.
pub(crate) fn form_body(
    pairs: &[(Traced, Traced, Option<usize>)],
    encode: fn(&str) -> String,
    line: Option<usize>,
) -> Traced {
    let mut out = Traced::literal("", line);
    for (i, (k, v, l)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_literal("&", l.or(line));
        }
        out.push(&k.map(encode(&k.text)).default_line(*l));
        out.push_literal("=", *l);
        out.push(&v.map(encode(&v.text)).default_line(*l));
    }
    out
}

/// The pairs of a map or of a list of pairs (`KeyValuePair`, two-item arrays), as strings;
/// `None` when it is neither.
pub(crate) fn pairs_of<O>(v: &Val<O>) -> Option<Vec<(Traced, Traced, Option<usize>)>> {
    match v {
        Val::Map(es, _) => Some(
            es.iter()
                .map(|e| {
                    let key = e.key.clone().default_line(e.line);
                    (key, e.value.text(&e.key.text, e.line), e.line)
                })
                .collect(),
        ),
        Val::Seq(items) => items
            .iter()
            .map(|it| match it {
                Val::Seq(kv) => match kv.as_slice() {
                    [k, v] => {
                        let key = k.text("key", None);
                        let line = key.line();
                        Some((key.clone(), v.text(&key.text, line), line))
                    }
                    _ => None,
                },
                Val::Map(..) => {
                    let (k, v) = (it.entry("Key")?, it.entry("Value")?);
                    let key = k.value.text("key", k.line);
                    Some((key.clone(), v.value.text(&key.text, v.line), v.line))
                }
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// .NET composite formatting (`String.Format`, PowerShell's `-f`): `{0}`, `{1,-5}`, `{{`.
/// `None` when an index has no argument.
pub(crate) fn composite_format(fmt: &Traced, args: &[Traced]) -> Option<Traced> {
    let s = fmt.text.as_str();
    let mut out = Traced::default();
    let mut last = 0;
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') || bytes.get(i + 1) == Some(&b'}') => {
                out.push(&fmt.slice(last..i + 1));
                i += 2;
                last = i;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                out.push(&fmt.slice(last..i + 1));
                i += 2;
                last = i;
            }
            b'{' => {
                let end = s[i..].find('}')? + i;
                let spec = &s[i + 1..end];
                let idx: usize = spec.split([',', ':']).next()?.trim().parse().ok()?;
                out.push(&fmt.slice(last..i));
                out.push(args.get(idx)?);
                i = end + 1;
                last = i;
            }
            _ => i += 1,
        }
    }
    out.push(&fmt.slice(last..s.len()));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_give_their_bytes() {
        assert_eq!(bytes_of("é", Enc::Utf8), vec![0xc3, 0xa9]);
        assert_eq!(bytes_of("é", Enc::Latin1), vec![0xe9]);
        assert_eq!(bytes_of("é", Enc::Ascii), b"?".to_vec());
        assert_eq!(bytes_of("a", Enc::Utf16), vec![b'a', 0]);
        let t = Traced::literal("id:s", None);
        assert_eq!(to_base64(&t, Enc::Ascii, None).text, "aWQ6cw==");
    }

    #[test]
    fn url_encoders() {
        assert_eq!(url_encode("a b+c&d!"), "a+b%2Bc%26d!");
        assert_eq!(form_content_encode("a b+c!"), "a+b%2Bc%21");
    }

    #[test]
    fn composite() {
        let f = Traced::literal("{0}:{1} {{x}}", None);
        let args = [Traced::literal("a", None), Traced::literal("b", None)];
        assert_eq!(composite_format(&f, &args).unwrap().text, "a:b {x}");
        assert!(composite_format(&f, &args[..1]).is_none());
    }
}
