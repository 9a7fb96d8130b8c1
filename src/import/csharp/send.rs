//! The HTTP calls of a C# program (`HttpClient`, RestSharp) and the request each one sends.

use super::index::{arguments, called_name};
use super::objects::{Body, Content, Http};
use super::*;
use crate::import::script::is_token_url;
use crate::import::script::names::Site;
use crate::import::{Draft, DraftHeader, DraftParam, WHAT_BODY};
use crate::request::{FORM, Unresolved};

/// The methods that send a request.
const SENDS: [&str; 11] = [
    "PostAsync",
    "PutAsync",
    "GetAsync",
    "SendAsync",
    "PostAsJsonAsync",
    "Execute",
    "ExecuteAsync",
    "ExecutePostAsync",
    "ExecutePost",
    "Post",
    "PostJsonAsync",
];

/// A sending call, with what its objects add to the request.
struct Call<'t> {
    node: Node<'t>,
    library: &'static str,
    http: Http,
}

/// `base` and a relative URI resolved as `new Uri(base, relative)` does.
fn resolve(base: &Traced, rel: &Traced) -> Traced {
    if rel.text.contains("://") || base.text.is_empty() {
        return rel.clone();
    }
    let authority_end = base
        .text
        .find("://")
        .map(|i| i + 3)
        .map(|s| {
            base.text[s..]
                .find('/')
                .map(|j| s + j)
                .unwrap_or(base.text.len())
        })
        .unwrap_or(0);
    let keep = if rel.text.starts_with('/') {
        authority_end
    } else {
        match base.text[authority_end..].rfind('/') {
            Some(j) => authority_end + j + 1,
            None => authority_end,
        }
    };
    let mut out = base.slice(0..keep);
    if !rel.text.starts_with('/') && !out.text.ends_with('/') {
        out.push_literal("/", rel.line());
    }
    out.push(rel);
    out
}

/// RestSharp's base URL and resource joined with one `/`.
fn join(base: &Traced, resource: &Traced) -> Traced {
    if resource.text.contains("://") || base.text.is_empty() {
        return resource.clone();
    }
    let end = base.text.trim_end_matches('/').len();
    let mut out = base.slice(0..end);
    let start = resource.text.len() - resource.text.trim_start_matches('/').len();
    if !resource.text.is_empty() {
        out.push_literal("/", resource.line());
    }
    out.push(&resource.slice(start..resource.text.len()));
    out
}

impl<'t> Resolver<'t, '_> {
    /// The token request an `HttpClient` or RestSharp call sends: the first call to a token
    /// URL, else the first POST.
    pub(super) fn http_request(&mut self) -> Option<Draft> {
        let mut sites: Vec<Site<'t>> = SENDS
            .iter()
            .filter_map(|m| self.index.names.calls_by_name.get(*m))
            .flatten()
            .copied()
            .collect();
        sites.sort_by_key(|s| s.node.start_byte());
        let calls: Vec<Call<'t>> = sites.into_iter().filter_map(|s| self.classify(s)).collect();
        let chosen = calls
            .iter()
            .position(|c| c.http.url.as_ref().is_some_and(|u| is_token_url(&u.0.text)))
            .or_else(|| {
                calls
                    .iter()
                    .position(|c| c.http.method.as_ref().is_some_and(|m| m.0 == "POST"))
            })?;
        let c = &calls[chosen];
        Some(self.draft(c))
    }

    /// What a call sends, when it is a call on an `HttpClient` or a RestSharp client.
    fn classify(&mut self, site: Site<'t>) -> Option<Call<'t>> {
        let n = site.node;
        let method = called_name(n, self.src)?;
        let target = n
            .child_by_field_name("function")?
            .child_by_field_name("expression")?;
        let ctx = site.ctx();
        let on = self.eval(target, &ctx);
        let args: Vec<Val> = arguments(n)
            .into_iter()
            .map(|a| self.eval(a, &ctx))
            .collect();
        let line = line_of(n);
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Val::Null);
        let (library, http) = match on {
            Val::Obj(Obj::HttpClient(client)) => {
                ("HttpClient", http_client(*client, method, &arg, line)?)
            }
            Val::Obj(Obj::RestClient(client)) => {
                ("RestSharp", rest(*client, method, arg(0), line)?)
            }
            _ => return None,
        };
        Some(Call {
            node: n,
            library,
            http,
        })
    }

    fn draft(&mut self, c: &Call<'t>) -> Draft {
        let call_line = line_of(c.node);
        let h = &c.http;
        let (url, url_line) = h
            .url
            .clone()
            .unwrap_or_else(|| (Traced::unknown("url", "{url}".into(), call_line), call_line));
        let (method, method_line) = h.method.clone().unwrap_or(("GET".into(), None));
        let mut d = Draft {
            method,
            method_line,
            url: url.default_line(url_line),
            url_line: url_line.or(call_line),
            call_line,
            ..Draft::default()
        };
        d.notes.push(format!(
            "the token request is sent with {} (line {})",
            c.library,
            call_line.unwrap_or(0)
        ));
        for (k, v, l) in &h.headers {
            d.set_header(&k.text, v.clone().default_line(*l), *l);
        }
        if let Some(content) = &h.content {
            add_content(&mut d, content);
        }
        if !h.query.is_empty() {
            d.query_params = Some(
                h.query
                    .iter()
                    .map(|(k, v, l)| DraftParam {
                        name: k.text.clone(),
                        meant: v.clone(),
                        line: *l,
                    })
                    .collect(),
            );
        }
        if let Some((id, secret, l)) = &h.basic {
            let header = crate::import::basic_header(id, secret, *l);
            d.set_header("Authorization", header, *l);
            d.basic = Some(crate::import::DraftBasic {
                id: id.clone(),
                secret: secret.clone(),
                line: *l,
            });
        }
        if d.body.text.starts_with('{') && !d.body.is_resolved() && d.body.spans.len() == 1 {
            d.unresolved.push(Unresolved {
                what: WHAT_BODY.into(),
                expr: d.body.text.trim_matches(['{', '}']).to_string(),
                line: d.body_line,
            });
        }
        d
    }
}

/// A call on an `HttpClient`.
fn http_client(
    client: Http,
    method: &str,
    arg: &dyn Fn(usize) -> Val,
    line: Option<usize>,
) -> Option<Http> {
    let base = client.url.clone().map(|u| u.0).unwrap_or_default();
    let url_at = |i: usize| {
        let rel = arg(i).text("requestUri", line).default_line(line);
        Some((resolve(&base, &rel), line))
    };
    let mut h = Http {
        headers: client.headers.clone(),
        ..Http::default()
    };
    match method {
        "PostAsync" | "PutAsync" => {
            h.method = Some((method.trim_end_matches("Async").to_uppercase(), line));
            h.url = url_at(0);
            h.content = match arg(1) {
                Val::Obj(Obj::Content(c)) => Some(*c),
                Val::Null => None,
                other => Some(Content {
                    body: Body::Text(other.text("content", line)),
                    media: None,
                    line,
                }),
            };
        }
        "PostAsJsonAsync" => {
            h.method = Some(("POST".into(), line));
            h.url = url_at(0);
            h.content = exprs::json(&arg(1)).map(|j| Content {
                body: Body::Json(j),
                media: None,
                line,
            });
        }
        "GetAsync" => {
            h.method = Some(("GET".into(), line));
            h.url = url_at(0);
        }
        "SendAsync" => {
            let Val::Obj(Obj::Message(m)) = arg(0) else {
                return None;
            };
            h.method = m.method.clone().or(Some(("GET".into(), None)));
            h.url = m.url.as_ref().map(|u| (resolve(&base, &u.0), u.1));
            h.content = m.content.clone();
            for (k, v, l) in m.headers {
                objects::set_header(&mut h.headers, k, v, l);
            }
        }
        _ => return None,
    }
    Some(h)
}

/// A RestSharp call: `client.Execute…(request)` / `client.PostAsync(request)`.
fn rest(client: Http, method: &str, request: Val, line: Option<usize>) -> Option<Http> {
    let Val::Obj(Obj::RestRequest(r)) = request else {
        return None;
    };
    let base = client.url.clone().map(|u| u.0).unwrap_or_default();
    let resource = r.url.clone().map(|u| u.0).unwrap_or_default();
    let verb = match method {
        "ExecutePostAsync" | "ExecutePost" | "Post" | "PostAsync" | "PostJsonAsync" => {
            "POST".into()
        }
        _ => r
            .method
            .clone()
            .map(|m| m.0)
            .unwrap_or_else(|| "GET".into()),
    };
    let mut h = Http {
        url: Some((
            join(&base, &resource),
            r.url.as_ref().and_then(|u| u.1).or(line),
        )),
        method: Some((verb.clone(), r.method.as_ref().and_then(|m| m.1))),
        headers: client.headers.clone(),
        content: r.content.clone(),
        basic: client.basic.clone().or(r.basic.clone()),
        ..Http::default()
    };
    for (k, v, l) in r.headers.iter().cloned() {
        objects::set_header(&mut h.headers, k, v, l);
    }
    if !r.params.is_empty() {
        if verb == "GET" || h.content.is_some() {
            // Parameters go to the query string.
            let mut url = h.url.take()?;
            let q = dotnet::form_body(&r.params, dotnet::form_content_encode, line);
            url.0
                .push_literal(if url.0.text.contains('?') { "&" } else { "?" }, line);
            url.0.push(&q);
            h.url = Some(url);
            h.query = r.params.clone();
        } else {
            h.content = Some(Content {
                body: Body::Form(r.params.clone()),
                media: None,
                line: r.params.first().and_then(|p| p.2),
            });
        }
    }
    Some(h)
}

/// The body and content type an `HttpContent` sets.
fn add_content(d: &mut Draft, c: &Content) {
    d.body_line = c.line;
    let media = match &c.body {
        Body::Form(pairs) => {
            d.body = dotnet::form_body(pairs, dotnet::form_content_encode, c.line);
            d.body_params = Some(
                pairs
                    .iter()
                    .map(|(k, v, l)| DraftParam {
                        name: k.text.clone(),
                        meant: v.clone(),
                        line: l.or(c.line),
                    })
                    .collect(),
            );
            Traced::literal(FORM, c.line)
        }
        Body::Text(t) => {
            d.body = t.clone().default_line(c.line);
            let mut m = c
                .media
                .clone()
                .unwrap_or_else(|| Traced::literal("text/plain", c.line));
            // StringContent always adds the encoding's charset.
            if !m.text.contains("charset") {
                m.push_literal("; charset=utf-8", c.line);
            }
            m
        }
        Body::Json(t) => {
            d.body = t.clone().default_line(c.line);
            c.media
                .clone()
                .unwrap_or_else(|| Traced::literal("application/json; charset=utf-8", c.line))
        }
    };
    d.remove_header("content-type");
    d.headers.push(DraftHeader {
        name: "Content-Type".into(),
        value: media,
        line: c.line,
    });
}
