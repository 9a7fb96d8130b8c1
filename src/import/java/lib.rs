//! The Java library model: the calls that build the token request, as the JDK, OkHttp and
//! the official SDK build it.

use super::Java;
use crate::import::script::http::Req;
use crate::import::script::interp::{Arg, Interp, Lang, Obj, Val, base64, concat, format};
use crate::import::script::line_of;
use crate::import::script::sdk_host::{SdkModel, first_dot_to_login};
use crate::import::script::value::{Entry, set_entry};
use crate::import::{Traced, basic_header};
use crate::request::{SdkHost, SdkKind};
use tree_sitter::Node;

/// The SDK: its default base path, the login host split at the first dot (facts §10.2),
/// the builder's `withBasePath` as the setting a fix changes.
pub(super) const SDK: SdkModel = SdkModel {
    kind: SdkKind::Java,
    rule: first_dot_to_login,
    default: "https://api.mypurecloud.com",
    call: "authorizeClientCredentials",
    host: SdkHost::BuilderBasePath,
    target: |_, set| {
        if set {
            ".withBasePath".into()
        } else {
            "ApiClient.Builder.standard().withBasePath".into()
        }
    },
    regions: "PureCloudRegionHosts",
};

/// `java.net.URLEncoder.encode`: all but `A-Za-z0-9 .-*_`, a space as `+`.
fn url_encode(v: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'.')
        .remove(b'-')
        .remove(b'*')
        .remove(b'_')
        .remove(b' ');
    percent_encoding::utf8_percent_encode(v, SET)
        .to_string()
        .replace(' ', "+")
}

/// `A.b` where `A` is a class or package: a path; `PureCloudRegionHosts.x`: the region's API
/// base; a field of a value: unknown.
pub(super) fn member<'t>(lang: &Java, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val {
    let (obj, field) = match n.kind() {
        "field_access" => (
            n.child_by_field_name("object"),
            n.child_by_field_name("field"),
        ),
        _ => (
            n.child_by_field_name("scope"),
            n.child_by_field_name("name"),
        ),
    };
    let (Some(obj), Some(field)) = (obj, field) else {
        return it.unknown(n);
    };
    let field = it.text(field);
    match lang.eval(it, obj) {
        Val::Path(p) if p.ends_with("PureCloudRegionHosts") => {
            match crate::region::REGIONS.iter().find(|r| r.sdk_key == field) {
                Some(r) => Val::Str(
                    Traced::literal(r.api_base(), line_of(n))
                        .with_expr(&crate::import::script::short(it.text(n))),
                ),
                None => it.unknown(n),
            }
        }
        Val::Path(p) => Val::Path(format!("{p}.{field}")),
        _ => match it.get(field) {
            Some(v) if obj.kind() == "this" => v,
            _ => it.unknown(n),
        },
    }
}

/// The last segment of a class path (`java.util.Base64` → `Base64`).
fn class(p: &str) -> &str {
    let mut parts = p.rsplit('.');
    let last = parts.next().unwrap_or(p);
    match parts.next() {
        // Nested classes: `HttpRequest.BodyPublishers`, `ApiClient.Builder`.
        Some(outer) if outer.starts_with(|c: char| c.is_ascii_uppercase()) => {
            &p[p.len() - outer.len() - 1 - last.len()..]
        }
        _ => last,
    }
}

/// A method call.
pub(super) fn invoke<'t>(lang: &Java, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val {
    let name = n
        .child_by_field_name("name")
        .map(|x| it.text(x))
        .unwrap_or("");
    let line = n.child_by_field_name("name").and_then(line_of);
    let args = it.args(lang, n.child_by_field_name("arguments"));
    let recv = match n.child_by_field_name("object") {
        Some(o) if o.kind() != "this" => lang.eval(it, o),
        _ => {
            return it
                .user_call(lang, name, &args, n)
                .unwrap_or_else(|| it.unknown(n));
        }
    };
    let arg = |i: usize| args.get(i).cloned();
    match recv {
        Val::Path(p) => statics(it, class(&p), name, &args, n, line),
        Val::Obj(o)
            if name == "authorizeClientCredentials" && matches!(&*o.borrow(), Obj::Sdk(_)) =>
        {
            let client = n
                .child_by_field_name("object")
                .map(|o| it.text(o))
                .unwrap_or("apiClient");
            it.login(o, client, &args, line);
            it.unknown(n)
        }
        Val::Obj(o) => {
            let mut obj = o.borrow_mut();
            let kept = match &mut *obj {
                Obj::Request(r) => request_call(r, name, &args, line),
                Obj::Form(es) => {
                    if let (true, Some(k), Some(v)) = (name.starts_with("add"), arg(0), arg(1)) {
                        es.push(Entry {
                            key: k.traced(),
                            value: v.val,
                            line: k.line,
                        });
                    }
                    true
                }
                Obj::Sdk(base) => {
                    if matches!(name, "withBasePath" | "setBasePath")
                        && let Some(a) = arg(0)
                    {
                        *base = Some((a.val, line, a.expr));
                    }
                    true
                }
                Obj::Body(..) => false,
            };
            drop(obj);
            if kept { Val::Obj(o) } else { it.unknown(n) }
        }
        Val::Str(t) => string_call(t, name, &args, n, line),
        _ => it.unknown(n),
    }
}

/// A call on a class: `System.getenv`, `String.format`, `URLEncoder.encode`, `Base64…`, …
fn statics<'t>(
    it: &mut Interp<'t, '_>,
    class: &str,
    name: &str,
    args: &[Arg],
    n: Node<'t>,
    line: Option<usize>,
) -> Val {
    let arg = |i: usize| args.get(i).cloned();
    let expr = it.text(n);
    match (class, name, arg(0)) {
        ("System", "getenv", Some(a)) => match a.val.as_str() {
            Some(k) if k.is_resolved() => {
                it.env_read(&k.text, &crate::import::script::short(expr), line)
            }
            _ => it.unknown(n),
        },
        ("String", "format", Some(f)) => format(&f.val, &args[1..], expr, line),
        ("String", "valueOf", Some(a)) => a.val,
        ("URLEncoder", "encode", Some(a)) => match a.val.as_str() {
            Some(t) => Val::Str(t.map(url_encode(&t.text))),
            None => it.unknown(n),
        },
        ("URI" | "URL", "create", Some(a)) => a.val,
        ("Base64", "getEncoder" | "getMimeEncoder", _) => Val::Path("Base64.Encoder".into()),
        ("Base64", "getUrlEncoder", _) => Val::Path("Base64.UrlEncoder".into()),
        ("Base64.Encoder" | "Base64.UrlEncoder", "encodeToString" | "encode", Some(a)) => {
            base64(&a.val, &a.expr, class == "Base64.UrlEncoder", line)
        }
        ("HttpRequest", "newBuilder", a) => {
            let mut r = Req::new("java.net.http", line);
            if let Some(a) = a {
                r.url(&a.val, &a.expr, a.line);
            }
            it.request(r)
        }
        ("HttpRequest.BodyPublishers" | "BodyPublishers", "ofString", Some(a)) => a.val,
        ("HttpRequest.BodyPublishers" | "BodyPublishers", "noBody", _) => {
            Val::Str(Traced::literal("", line))
        }
        ("Credentials", "basic", Some(id)) => match arg(1) {
            Some(secret) => Val::Str(basic_header(&id.traced(), &secret.traced(), line)),
            None => it.unknown(n),
        },
        ("MediaType", "parse" | "get", Some(a)) => Val::obj(Obj::Body(Val::Null, Some(a.traced()))),
        ("RequestBody", "create", Some(a)) => request_body(a, arg(1)),
        ("ApiClient.Builder", "standard", _) | ("Configuration", "getDefaultApiClient", _) => {
            Val::obj(Obj::Sdk(None))
        }
        ("Map", "of", _) => {
            let mut es = Vec::new();
            for kv in args.chunks(2) {
                if let [k, v] = kv {
                    set_entry(&mut es, k.traced(), v.val.clone(), k.line);
                }
            }
            Val::Map(es, line)
        }
        _ => it
            .user_call(&Java, name, args, n)
            .unwrap_or_else(|| it.unknown(n)),
    }
}

/// OkHttp's `RequestBody.create(content, mediaType)` (or the older `(mediaType, content)`).
fn request_body(a: Arg, b: Option<Arg>) -> Val {
    let media_of = |v: &Val| match v {
        Val::Obj(o) => match &*o.borrow() {
            Obj::Body(_, m) => Some(m.clone()),
            _ => None,
        },
        Val::Null => Some(None),
        _ => None,
    };
    let (content, media) = match b {
        Some(b) => match media_of(&a.val) {
            Some(m) => (b, m),
            None => (a, media_of(&b.val).flatten()),
        },
        None => (a, None),
    };
    Val::obj(Obj::Body(Val::Str(content.traced()), media))
}

/// A call on a string: `getBytes`, `trim`, `concat`, `formatted`, `toString`.
fn string_call(t: Traced, name: &str, args: &[Arg], n: Node<'_>, line: Option<usize>) -> Val {
    match name {
        "getBytes" | "toString" | "intern" => Val::Str(t),
        "trim" | "strip" if t.text.trim() == t.text => Val::Str(t),
        "concat" if !args.is_empty() => concat(&Val::Str(t), &args[0].val, "", &args[0].expr, line),
        "formatted" => format(&Val::Str(t), args, "", line),
        _ => Val::Unknown(
            crate::import::script::short(&format!("{}.{name}(…)", t.text.len())),
            line_of(n),
        ),
    }
}

/// A call on a request builder; false when the call does not return the builder.
fn request_call(r: &mut Req, name: &str, args: &[Arg], line: Option<usize>) -> bool {
    let okhttp = r.lib == "OkHttp";
    match (name, args) {
        ("uri" | "url", [u, ..]) => r.url(&u.val, &u.expr, line),
        ("header", [k, v, ..]) => r.header(&k.val, &v.val, (&k.expr, &v.expr), okhttp, line),
        ("setHeader", [k, v, ..]) => r.header(&k.val, &v.val, (&k.expr, &v.expr), true, line),
        ("addHeader", [k, v, ..]) => r.header(&k.val, &v.val, (&k.expr, &v.expr), false, line),
        ("headers", pairs) => {
            for kv in pairs.chunks(2) {
                if let [k, v] = kv {
                    r.header(&k.val, &v.val, (&k.expr, &v.expr), false, line);
                }
            }
        }
        ("POST" | "PUT" | "post" | "put" | "patch" | "PATCH", [b, ..]) => {
            let m = Val::Str(Traced::literal(name, line));
            r.method(&m, name, line);
            body(r, b, line);
        }
        ("method", [m, b, ..]) => {
            r.method(&m.val, &m.expr, line);
            body(r, b, line);
        }
        ("GET" | "get" | "DELETE" | "delete", _) => {
            let m = Val::Str(Traced::literal(name, line));
            r.method(&m, name, line);
        }
        ("build" | "timeout" | "version" | "expectContinue" | "tag", _) => {}
        _ => return false,
    }
    true
}

/// The body a request is given: a string as it is; OkHttp's form or typed body as OkHttp
/// sends it (a form with its content type, a typed body with its media type).
fn body(r: &mut Req, b: &Arg, line: Option<usize>) {
    let Val::Obj(o) = &b.val else {
        r.text_body(&b.val, &b.expr, line);
        return;
    };
    match &*o.borrow() {
        Obj::Form(es) => r.form_body(es, url_encode, true, line),
        Obj::Body(content, media) => {
            r.text_body(content, &b.expr, line);
            if let Some(m) = media {
                // OkHttp adds the charset to a text body's media type.
                let mut v = m.clone();
                if !m.text.to_ascii_lowercase().contains("charset") {
                    v.push_literal("; charset=utf-8", line);
                }
                r.header(
                    &Val::Str(Traced::literal("Content-Type", line)),
                    &Val::Str(v),
                    ("", &b.expr),
                    true,
                    line,
                );
            }
        }
        _ => r.text_body(&b.val, &b.expr, line),
    }
}

/// `new T(…)`: OkHttp's `Request.Builder` and `FormBody.Builder`, `new String(bytes)`.
pub(super) fn create<'t>(lang: &Java, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val {
    let ty = n
        .child_by_field_name("type")
        .map(|t| it.text(t))
        .unwrap_or("");
    let ty = ty.split('<').next().unwrap_or(ty);
    let line = line_of(n);
    let args = it.args(lang, n.child_by_field_name("arguments"));
    match (class(ty), args.first()) {
        ("Request.Builder", _) => it.request(Req::new("OkHttp", line)),
        ("FormBody.Builder", _) => Val::obj(Obj::Form(Vec::new())),
        ("String", Some(a)) if a.val.as_str().is_some() => a.val.clone(),
        ("StringBuilder", Some(a)) => a.val.clone(),
        ("ApiClient.Builder", _) => Val::obj(Obj::Sdk(None)),
        (c, _) => Val::Path(c.to_string()),
    }
}
