//! The Go library model: the calls that build the token request, as `net/http`, `net/url`,
//! `encoding/base64` and the official SDK build it.

use super::GoLang;
use crate::import::script::http::{Req, encode_form};
use crate::import::script::interp::{Arg, Interp, Lang, Obj, Val, base64, format, pair};
use crate::import::script::sdk_host::{SdkModel, api_to_login};
use crate::import::script::value::{self, Entry, JsonStyle, set_entry};
use crate::import::script::{line_of, short};
use crate::import::{Traced, quote, quote_plus};
use crate::request::{SdkHost, SdkKind};
use tree_sitter::Node;

/// The SDK's base path when the program sets none.
const SDK_DEFAULT: &str = "https://api.mypurecloud.com";

/// The SDK: `config.BasePath` (default above), the login host by `//api.` → `//login.`.
pub(super) const SDK: SdkModel = SdkModel {
    kind: SdkKind::Go,
    rule: api_to_login,
    default: SDK_DEFAULT,
    call: "AuthorizeClientCredentials",
    host: SdkHost::ConfigurationHost,
    target: |l, _| format!("{}.BasePath", l.client_expr),
    regions: "platformclientv2",
};

/// `encoding/json`'s layout: no spaces (map keys come sorted).
const JSON: JsonStyle = JsonStyle {
    item_sep: ",",
    key_sep: ":",
    ascii: false,
};

/// `x.f`: a package member is a path; `req.Header` is the request (its headers are set
/// through it); `config.BasePath` the SDK's base path.
pub(super) fn selector<'t>(lang: &GoLang, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val {
    let Some((o, f)) = pair(n, "operand", "field") else {
        return it.unknown(n);
    };
    let field = it.text(f);
    match lang.eval(it, o) {
        Val::Path(p) => Val::Path(format!("{p}.{field}")),
        Val::Obj(obj) => {
            let base = match &*obj.borrow() {
                Obj::Request(_) if field == "Header" => None,
                Obj::Sdk(Some((v, ..))) if field == "BasePath" => Some(v.clone()),
                Obj::Sdk(None) if field == "BasePath" => {
                    Some(Val::Str(Traced::literal(SDK_DEFAULT, line_of(n))))
                }
                _ => return it.unknown(n),
            };
            base.unwrap_or(Val::Obj(obj))
        }
        _ => it.unknown(n),
    }
}

/// Form fields sorted by key, as `url.Values.Encode` writes them.
fn sorted(mut es: Vec<Entry<Val>>) -> Vec<Entry<Val>> {
    es.sort_by(|a, b| a.key.text.cmp(&b.key.text));
    es
}

/// A call: a package function, a method of a value the library built, or the program's own
/// function.
pub(super) fn call<'t>(lang: &GoLang, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val {
    let Some(f) = n.child_by_field_name("function") else {
        return it.unknown(n);
    };
    let args = it.args(lang, n.child_by_field_name("arguments"));
    let line = line_of(f.child_by_field_name("field").unwrap_or(f));
    if f.kind() == "identifier" || f.kind().ends_with("_type") || f.kind() == "parenthesized_type" {
        let name = it.text(f);
        if let Some(v) = it.user_call(lang, name, &args, n) {
            return v;
        }
        // Conversions: `string(b)`, `[]byte(s)`.
        return match (name, args.first()) {
            ("string" | "[]byte", Some(a)) => a.val.clone(),
            _ => it.unknown(n),
        };
    }
    let Some((o, m)) = pair(f, "operand", "field") else {
        return it.unknown(n);
    };
    let method = it.text(m);
    match lang.eval(it, o) {
        Val::Path(p) => package(it, &format!("{p}.{method}"), &args, n, line),
        Val::Obj(obj) => {
            if method == "AuthorizeClientCredentials" && matches!(&*obj.borrow(), Obj::Sdk(_)) {
                it.login(obj, it.text(o), &args, line);
                return it.unknown(n);
            }
            let done = match &mut *obj.borrow_mut() {
                Obj::Form(es) => form_call(es, method, &args),
                Obj::Request(r) => request_call(r, method, &args, line),
                _ => None,
            };
            done.unwrap_or_else(|| it.unknown(n))
        }
        _ => it.unknown(n),
    }
}

/// A method of `url.Values`: `Set`, `Add`, `Del`, `Encode`.
fn form_call(es: &mut Vec<Entry<Val>>, method: &str, args: &[Arg]) -> Option<Val> {
    match (method, args) {
        ("Set", [k, v, ..]) => set_entry(es, k.traced(), Val::Seq(vec![v.val.clone()]), k.line),
        ("Add", [k, v, ..]) => match es.iter_mut().find(|e| e.key.text == k.traced().text) {
            Some(Entry {
                value: Val::Seq(items),
                ..
            }) => items.push(v.val.clone()),
            _ => set_entry(es, k.traced(), Val::Seq(vec![v.val.clone()]), k.line),
        },
        ("Del", [k, ..]) => es.retain(|e| e.key.text != k.traced().text),
        ("Encode", _) => {
            let (body, _) = encode_form(&sorted(es.clone()), quote_plus, None);
            return Some(Val::Str(body));
        }
        _ => return None,
    }
    Some(Val::Null)
}

/// A method of `*http.Request` (or of its `Header`).
fn request_call(r: &mut Req, method: &str, args: &[Arg], line: Option<usize>) -> Option<Val> {
    match (method, args) {
        ("Set", [k, v, ..]) => r.header(&k.val, &v.val, (&k.expr, &v.expr), true, line),
        ("Add", [k, v, ..]) => r.header(&k.val, &v.val, (&k.expr, &v.expr), false, line),
        ("Del", [k, ..]) => r.draft.remove_header(&k.traced().text),
        ("SetBasicAuth", [id, secret, ..]) => r.basic(id.traced(), secret.traced(), line),
        _ => return None,
    }
    Some(Val::Null)
}

/// A package function: `os.Getenv`, `fmt.Sprintf`, `http.NewRequest`, `base64…`, …
fn package<'t>(
    it: &mut Interp<'t, '_>,
    path: &str,
    args: &[Arg],
    n: Node<'t>,
    line: Option<usize>,
) -> Val {
    let expr = it.text(n);
    let a0 = args.first();
    // A method of an `*http.Client` value (`client.Post`), named by its package path.
    let func = path.rsplit('.').next().unwrap_or(path);
    match (path, a0) {
        ("os.Getenv" | "os.LookupEnv", Some(a)) => match a.val.as_str() {
            Some(k) if k.is_resolved() => it.env_read(&k.text, &short(expr), line),
            _ => it.unknown(n),
        },
        ("fmt.Sprintf", Some(f)) => format(&f.val, &args[1..], expr, line),
        (
            "strings.NewReader" | "bytes.NewBufferString" | "bytes.NewReader" | "bytes.NewBuffer",
            Some(a),
        ) => a.val.clone(),
        ("strings.TrimSpace", Some(a))
            if a.val.as_str().is_some_and(|t| t.text.trim() == t.text) =>
        {
            a.val.clone()
        }
        ("base64.StdEncoding.EncodeToString", Some(a)) => base64(&a.val, &a.expr, false, line),
        ("base64.URLEncoding.EncodeToString", Some(a)) => base64(&a.val, &a.expr, true, line),
        ("url.QueryEscape", Some(a)) => encoded(&a.val, quote_plus, it, n),
        ("url.PathEscape", Some(a)) => encoded(&a.val, quote, it, n),
        ("json.Marshal", Some(a)) => {
            let sorted_map = match &a.val {
                Val::Map(es, l) => Val::Map(sorted(es.clone()), *l),
                v => v.clone(),
            };
            match value::to_json(&sorted_map, JSON) {
                Some(t) => Val::Str(t),
                None => it.unknown(n),
            }
        }
        ("platformclientv2.GetDefaultConfiguration" | "platformclientv2.NewConfiguration", _) => {
            Val::obj(Obj::Sdk(None))
        }
        ("http.NewRequest" | "http.NewRequestWithContext", _) => {
            let skip = usize::from(path.ends_with("Context"));
            let mut r = Req::new("net/http", line);
            if let [m, u, rest @ ..] = &args[skip.min(args.len())..] {
                r.method(&m.val, &m.expr, m.line);
                r.url(&u.val, &u.expr, u.line);
                if let Some(b) = rest.first().filter(|b| !matches!(b.val, Val::Null)) {
                    r.text_body(&b.val, &b.expr, b.line);
                }
            }
            it.request(r)
        }
        (_, Some(u)) if matches!(func, "PostForm" | "Post") => {
            let mut r = Req::new("net/http", line);
            r.method(&Val::Str(Traced::literal("POST", line)), "POST", line);
            r.url(&u.val, &u.expr, u.line);
            match (func, &args[1..]) {
                ("PostForm", [form, ..]) => {
                    match crate::import::script::interp::form_entries(&form.val) {
                        Some(es) => r.form_body(&sorted(es), quote_plus, true, line),
                        None => r.text_body(&form.val, &form.expr, form.line),
                    }
                }
                ("Post", [ct, b, ..]) => {
                    r.header(
                        &Val::Str(Traced::literal("Content-Type", line)),
                        &ct.val,
                        ("", &ct.expr),
                        true,
                        ct.line,
                    );
                    r.text_body(&b.val, &b.expr, b.line);
                }
                _ => {}
            }
            it.request(r)
        }
        _ => it.unknown(n),
    }
}

fn encoded(v: &Val, enc: fn(&str) -> String, it: &Interp<'_, '_>, n: Node<'_>) -> Val {
    match v.as_str() {
        Some(t) => Val::Str(t.map(enc(&t.text))),
        None => it.unknown(n),
    }
}

/// `url.Values{"k": {"v"}}`, `map[string]string{…}`, `[]string{…}`, `&http.Client{}`.
pub(super) fn composite<'t>(lang: &GoLang, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val {
    let ty = n
        .child_by_field_name("type")
        .map(|t| it.text(t))
        .unwrap_or("");
    let Some(body) = n.child_by_field_name("body") else {
        return it.unknown(n);
    };
    let items = literal_items(lang, it, body);
    if ty.starts_with("map[") || ty == "url.Values" {
        let mut es = Vec::new();
        for (k, v, l) in items {
            if let Some(k) = k.and_then(|k| k.as_str().cloned()) {
                set_entry(&mut es, k, v, l);
            }
        }
        return if ty == "url.Values" {
            Val::obj(Obj::Form(es))
        } else {
            Val::Map(es, line_of(n))
        };
    }
    if ty.starts_with("[]") {
        return Val::Seq(items.into_iter().map(|(_, v, _)| v).collect());
    }
    Val::Path(ty.to_string())
}

/// The elements of a `{…}` literal: (key, value, line); a nested `{…}` is a list.
fn literal_items<'t>(
    lang: &GoLang,
    it: &mut Interp<'t, '_>,
    body: Node<'t>,
) -> Vec<(Option<Val>, Val, Option<usize>)> {
    let mut cursor = body.walk();
    let elems: Vec<Node<'t>> = body.named_children(&mut cursor).collect();
    let mut out = Vec::new();
    let value_of = |it: &mut Interp<'t, '_>, e: Node<'t>| -> Val {
        match e.named_child(0) {
            Some(inner) if inner.kind() == "literal_value" => Val::Seq(
                literal_items(lang, it, inner)
                    .into_iter()
                    .map(|(_, v, _)| v)
                    .collect(),
            ),
            Some(inner) => lang.eval(it, inner),
            None => it.unknown(e),
        }
    };
    for e in elems {
        match e.kind() {
            "keyed_element" => {
                let (Some(k), Some(v)) =
                    (e.child_by_field_name("key"), e.child_by_field_name("value"))
                else {
                    continue;
                };
                let key = value_of(it, k);
                let val = value_of(it, v);
                out.push((Some(key), val, line_of(e)));
            }
            "literal_element" => {
                let val = value_of(it, e);
                out.push((None, val, line_of(e)));
            }
            _ => {}
        }
    }
    out
}
