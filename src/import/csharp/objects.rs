//! The .NET and RestSharp objects a token request is built from, what `new T(…) { … }`
//! makes of them, and the changes made to them afterwards (`client.BaseAddress = …`,
//! `request.AddParameter(…)`, `dict.Add(…)`).

use super::index::{arguments, called_name};
use super::*;
use crate::import::script::value::{Entry, set_entry};

/// A header set on a client, request or message: name, value, line.
pub(crate) type Header = (Traced, Traced, Option<usize>);
/// A form pair: name, value, line.
pub(crate) type Pair = (Traced, Traced, Option<usize>);

/// A base path set on the SDK's `ApiClient`: the value, as written, the setter, its line.
pub(crate) type BasePath = (Traced, String, String, Option<usize>);

/// What an `HttpContent` (or a RestSharp body) holds.
#[derive(Clone, Debug)]
pub(crate) enum Body {
    /// `FormUrlEncodedContent`, RestSharp's `AddParameter` on a POST.
    Form(Vec<Pair>),
    /// `StringContent`, `AddStringBody`.
    Text(Traced),
    /// `JsonContent.Create`, `AddJsonBody`, `PostAsJsonAsync`.
    Json(Traced),
}

/// An `HttpContent` and the content type it sets.
#[derive(Clone, Debug)]
pub(crate) struct Content {
    pub(crate) body: Body,
    pub(crate) media: Option<Traced>,
    pub(crate) line: Option<usize>,
}

/// An `HttpClient`, `HttpRequestMessage`, RestSharp `RestClient`/`RestClientOptions` or
/// `RestRequest`: what each adds to the request.
#[derive(Clone, Debug, Default)]
pub(crate) struct Http {
    /// `BaseAddress`, the message's URI, the RestSharp base URL or resource.
    pub(crate) url: Option<(Traced, Option<usize>)>,
    pub(crate) method: Option<(String, Option<usize>)>,
    pub(crate) headers: Vec<Header>,
    pub(crate) content: Option<Content>,
    /// RestSharp parameters (`AddParameter`): form pairs on a POST, else the query.
    pub(crate) params: Vec<Pair>,
    /// Parameters added to the URL's query string.
    pub(crate) query: Vec<Pair>,
    /// `HttpBasicAuthenticator(id, secret)`.
    pub(crate) basic: Option<(Traced, Traced, Option<usize>)>,
}

/// A C# object gcdoctor follows.
#[derive(Clone, Debug)]
pub(crate) enum Obj {
    /// A type reached by name (`Convert`, `Encoding`, `HttpMethod`, `PureCloudRegionHosts`).
    Type(String),
    HttpClient(Box<Http>),
    Message(Box<Http>),
    RestClient(Box<Http>),
    RestRequest(Box<Http>),
    Content(Box<Content>),
    /// `new AuthenticationHeaderValue(scheme, parameter)`.
    AuthHeader(Traced),
    /// `HttpMethod.Post`, RestSharp's `Method.Post`.
    Method(String),
    /// `new HttpBasicAuthenticator(id, secret)`.
    Basic(Traced, Traced, Option<usize>),
    /// The SDK's `ApiClient`, with the base path set on it.
    ApiClient(Option<Box<BasePath>>),
    /// `PureCloudRegionHosts.X`: the region's API base.
    Region(Traced),
}

impl<'t> Resolver<'t, '_> {
    /// `new T(args) { initializer }`.
    pub(super) fn create(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let ty = n
            .child_by_field_name("type")
            .map(|t| self.text(t))
            .unwrap_or("");
        let ty = ty
            .split('<')
            .next()
            .unwrap_or(ty)
            .rsplit('.')
            .next()
            .unwrap_or(ty);
        let line = line_of(n);
        let args: Vec<Val> = arguments(n)
            .into_iter()
            .map(|a| self.eval(a, ctx))
            .collect();
        let a = |i: usize| args.get(i).cloned().unwrap_or(Val::Null);
        let mut v = match ty {
            "HttpClient" => Val::Obj(Obj::HttpClient(Box::default())),
            "HttpRequestMessage" => {
                let mut h = Http::default();
                if let Val::Obj(Obj::Method(m)) = a(0) {
                    h.method = Some((m, line));
                }
                h.url = args.get(1).map(|u| (u.text("requestUri", line), line));
                Val::Obj(Obj::Message(Box::new(h)))
            }
            "Uri" => match (a(0), a(1)) {
                (Val::Str(mut base), Val::Str(rel)) => {
                    base.push(&rel);
                    Val::Str(base)
                }
                (u, _) => u,
            },
            "FormUrlEncodedContent" => {
                let pairs = dotnet::pairs_of(&a(0)).unwrap_or_default();
                content(Body::Form(pairs), None, line)
            }
            "StringContent" => {
                let media = args.get(2).map(|m| m.text("mediaType", line));
                content(Body::Text(a(0).text("content", line)), media, line)
            }
            "AuthenticationHeaderValue" => {
                let mut t = a(0).text("scheme", line);
                if let Some(p) = args.get(1) {
                    t.push_literal(" ", line);
                    t.push(&p.text("parameter", line));
                }
                Val::Obj(Obj::AuthHeader(t))
            }
            "KeyValuePair" => Val::Seq(vec![a(0), a(1)]),
            "HttpMethod" => Val::Obj(Obj::Method(a(0).text("method", line).text.to_uppercase())),
            "RestClient" | "RestClientOptions" => match a(0) {
                Val::Obj(Obj::RestClient(h)) => Val::Obj(Obj::RestClient(h)),
                u => {
                    let url = (!matches!(u, Val::Null)).then(|| (u.text("baseUrl", line), line));
                    Val::Obj(Obj::RestClient(Box::new(Http {
                        url,
                        ..Http::default()
                    })))
                }
            },
            "RestRequest" => {
                let url = args.first().map(|u| (u.text("resource", line), line));
                let method = match a(1) {
                    Val::Obj(Obj::Method(m)) => Some((m, line)),
                    _ => None,
                };
                Val::Obj(Obj::RestRequest(Box::new(Http {
                    url,
                    method,
                    ..Http::default()
                })))
            }
            "HttpBasicAuthenticator" => Val::Obj(Obj::Basic(
                a(0).text("username", line),
                a(1).text("password", line),
                line,
            )),
            "ApiClient" => match a(0) {
                Val::Str(s) => {
                    let expr = arguments(n)
                        .first()
                        .map(|x| short(self.text(*x)))
                        .unwrap_or_default();
                    Val::Obj(Obj::ApiClient(Some(Box::new((
                        s,
                        expr,
                        "new ApiClient".into(),
                        line,
                    )))))
                }
                _ => Val::Obj(Obj::ApiClient(None)),
            },
            "Dictionary" | "SortedDictionary" => Val::Map(Vec::new(), line),
            "List" => Val::Seq(Vec::new()),
            _ => return self.unknown(n),
        };
        if let Some(init) = n.child_by_field_name("initializer") {
            v = self.initialize(v, init, ctx);
        }
        v
    }

    /// An object or collection initializer applied to a new value.
    fn initialize(&mut self, mut v: Val, init: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let mut cursor = init.walk();
        let items: Vec<Node<'t>> = init.named_children(&mut cursor).collect();
        for it in items {
            let line = line_of(it);
            match it.kind() {
                "assignment_expression" => {
                    let (Some(l), Some(r)) = (
                        it.child_by_field_name("left"),
                        it.child_by_field_name("right"),
                    ) else {
                        continue;
                    };
                    let value = self.eval(r, ctx);
                    if l.kind() == "identifier" {
                        v = self.set_member(v, &[self.text(l)], value, line);
                    } else if let Some(k) = l.named_child(0).and_then(|a| a.named_child(0)) {
                        // `["key"] = value` in a dictionary initializer.
                        let key = self.eval(k, ctx).text("key", line);
                        v = add_pair(v, key, value, line);
                    }
                }
                "initializer_expression" => {
                    let mut c = it.walk();
                    let kv: Vec<Node<'t>> = it.named_children(&mut c).collect();
                    if let [k, val] = kv.as_slice() {
                        let key = self.eval(*k, ctx).text("key", line);
                        let value = self.eval(*val, ctx);
                        v = add_pair(v, key, value, line);
                    }
                }
                _ => {
                    let item = self.eval(it, ctx);
                    if let Val::Seq(xs) = &mut v {
                        xs.push(item);
                    }
                }
            }
        }
        v
    }

    /// `target.path… = value` on an object.
    pub(super) fn set_member(&self, v: Val, path: &[&str], value: Val, line: Option<usize>) -> Val {
        let Val::Obj(mut o) = v else {
            return match (v, path) {
                (Val::Map(mut es, l), [key]) => {
                    set_entry(&mut es, Traced::literal(*key, line), value, line);
                    Val::Map(es, l)
                }
                (other, _) => other,
            };
        };
        let h = match &mut o {
            Obj::HttpClient(h) | Obj::Message(h) | Obj::RestClient(h) | Obj::RestRequest(h) => h,
            _ => return Val::Obj(o),
        };
        match path {
            ["BaseAddress" | "RequestUri" | "BaseUrl" | "Resource"] => {
                h.url = Some((value.text(path[0], line), line));
            }
            ["Method"] => {
                if let Val::Obj(Obj::Method(m)) = value {
                    h.method = Some((m, line));
                }
            }
            ["Content"] => {
                if let Val::Obj(Obj::Content(c)) = value {
                    h.content = Some(*c);
                }
            }
            ["Authenticator"] => {
                if let Val::Obj(Obj::Basic(id, s, l)) = value {
                    h.basic = Some((id, s, l));
                }
            }
            [_, "Authorization"] => {
                let t = match value {
                    Val::Obj(Obj::AuthHeader(t)) => t,
                    other => other.text("Authorization", line),
                };
                set_header(
                    &mut h.headers,
                    Traced::literal("Authorization", line),
                    t,
                    line,
                );
            }
            _ => {}
        }
        Val::Obj(o)
    }

    /// `target.path….method(args)` on an object.
    fn call_member(
        &self,
        v: Val,
        path: &[&str],
        method: &str,
        args: Vec<Val>,
        line: Option<usize>,
    ) -> Val {
        let a = |i: usize| args.get(i).cloned().unwrap_or(Val::Null);
        match (v, method) {
            (Val::Map(es, l), "Add") => {
                add_pair(Val::Map(es, l), a(0).text("key", line), a(1), line)
            }
            (Val::Map(mut es, l), "Remove") => {
                let k = a(0).text("key", line);
                es.retain(|e: &Entry<Val>| e.key.text != k.text);
                Val::Map(es, l)
            }
            (Val::Seq(mut xs), "Add") => {
                xs.push(a(0));
                Val::Seq(xs)
            }
            (Val::Obj(Obj::ApiClient(_)), "setBasePath") => {
                let value = match a(0) {
                    Val::Obj(Obj::Region(t)) => t,
                    other => other.text("basePath", line),
                };
                Val::Obj(Obj::ApiClient(Some(Box::new((
                    value,
                    String::new(),
                    String::new(),
                    line,
                )))))
            }
            (Val::Obj(mut o), m) => {
                if let Obj::HttpClient(h)
                | Obj::Message(h)
                | Obj::RestClient(h)
                | Obj::RestRequest(h) = &mut o
                {
                    http_call(h, path, m, &args, line);
                }
                Val::Obj(o)
            }
            (other, _) => other,
        }
    }

    /// The changes made through `name` between its binding and the use, applied. A field
    /// (bound outside any method) is changed by every method that does not declare the name
    /// itself (`Http.DefaultRequestHeaders.Authorization = …` in `Main`).
    pub(super) fn apply_changes(
        &mut self,
        scope: Scope,
        name: &str,
        v: Val,
        from: usize,
        to: usize,
    ) -> Val {
        let names = &self.index.names;
        let mut changes = names.muts_between(scope, name, from, to);
        if scope == 0 {
            for (s, n) in names.muts.keys() {
                if *s != 0 && n == name && !names.binds.contains_key(&(*s, n.clone())) {
                    changes.extend(names.muts_between(*s, name, from, to));
                }
            }
            changes.sort_by_key(|c| c.pos);
        }
        let mut v = v;
        for ch in changes {
            let n = ch.kind.node;
            let ctx = Ctx {
                func: ch.func,
                pos: n.start_byte(),
                frame: None,
            };
            let line = line_of(n);
            if n.kind() == "assignment_expression" {
                let (Some(left), Some(right)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    continue;
                };
                let value = self.eval_memo(right, &ctx);
                if left.kind() == "element_access_expression" {
                    let key = left
                        .child_by_field_name("subscript")
                        .and_then(|s| s.named_child(0))
                        .and_then(|a| a.named_child(0))
                        .map(|k| self.eval_memo(k, &ctx).text("key", line));
                    if let Some(key) = key {
                        v = add_pair(v, key, value, line);
                    }
                    continue;
                }
                let path = self.member_path(left);
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                v = self.set_member(v, &path, value, line);
                continue;
            }
            let method = called_name(n, self.src).unwrap_or("").to_string();
            let target = n
                .child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("expression"));
            let path = target.map(|t| self.member_path(t)).unwrap_or_default();
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            let args: Vec<Val> = arguments(n)
                .into_iter()
                .map(|a| self.eval_memo(a, &ctx))
                .collect();
            v = self.call_member(v, &path, &method, args, line);
        }
        v
    }

    /// The member names after the root variable: `client.DefaultRequestHeaders.Authorization`
    /// → `["DefaultRequestHeaders", "Authorization"]`.
    fn member_path(&self, mut n: Node<'t>) -> Vec<String> {
        let mut out = Vec::new();
        while n.kind() == "member_access_expression" {
            if let Some(name) = n.child_by_field_name("name") {
                out.push(self.text(name).to_string());
            }
            match n.child_by_field_name("expression") {
                Some(e) => n = e,
                None => break,
            }
        }
        out.reverse();
        out
    }
}

fn content(body: Body, media: Option<Traced>, line: Option<usize>) -> Val {
    Val::Obj(Obj::Content(Box::new(Content { body, media, line })))
}

/// Adds `key = value` to a dictionary (or a pair to a list).
fn add_pair(v: Val, key: Traced, value: Val, line: Option<usize>) -> Val {
    match v {
        Val::Map(mut es, l) => {
            set_entry(&mut es, key.default_line(line), value, line);
            Val::Map(es, l)
        }
        Val::Seq(mut xs) => {
            xs.push(Val::Seq(vec![Val::Str(key), value]));
            Val::Seq(xs)
        }
        other => other,
    }
}

/// Sets a header, replacing one of the same name.
pub(super) fn set_header(
    headers: &mut Vec<Header>,
    name: Traced,
    value: Traced,
    line: Option<usize>,
) {
    headers.retain(|h| !h.0.text.eq_ignore_ascii_case(&name.text));
    headers.push((name, value, line));
}

/// A method called on an HTTP object: headers, RestSharp parameters and bodies.
fn http_call(h: &mut Http, path: &[&str], method: &str, args: &[Val], line: Option<usize>) {
    let text = |i: usize, what: &str| args.get(i).map(|v| v.text(what, line)).unwrap_or_default();
    match (path, method) {
        ([_], "Add" | "TryAddWithoutValidation") | ([], "AddHeader" | "AddOrUpdateHeader") => {
            set_header(&mut h.headers, text(0, "name"), text(1, "value"), line);
        }
        ([_], "Remove") => {
            let name = text(0, "name");
            h.headers
                .retain(|x| !x.0.text.eq_ignore_ascii_case(&name.text));
        }
        ([], "AddParameter" | "AddOrUpdateParameter") => {
            h.params.push((text(0, "name"), text(1, "value"), line));
        }
        ([], "AddStringBody") => {
            let media = args.get(1).map(|m| m.text("contentType", line));
            h.content = Some(Content {
                body: Body::Text(text(0, "body")),
                media,
                line,
            });
        }
        ([], "AddJsonBody" | "AddBody") => {
            let json = args.first().and_then(exprs::json);
            h.content = json.map(|j| Content {
                body: Body::Json(j),
                media: None,
                line,
            });
        }
        _ => {}
    }
}
