//! The HTTP calls of a Python script, and the request each one sends: `requests`, `httpx`,
//! `urllib.request`, `http.client`.

use super::*;

impl<'t> Resolver<'t, '_> {
    // --- the HTTP calls -----------------------------------------------------------------

    /// Every call that sends an HTTP request, with what kind it is.
    pub(super) fn http_calls(&mut self) -> Vec<HttpCall<'t>> {
        let sites = self.index.http_calls.clone();
        sites.into_iter().filter_map(|s| self.classify(s)).collect()
    }

    pub(super) fn classify(&mut self, site: Site<'t>) -> Option<HttpCall<'t>> {
        let n = site.node;
        let f = n.child_by_field_name("function")?;
        let ctx = self.ctx_at(site);
        let (path, client) = match f.kind() {
            "attribute" => {
                let obj = f.child_by_field_name("object")?;
                let attr = self.text(f.child_by_field_name("attribute")?);
                match self.eval(obj, &ctx) {
                    Val::Module(p) => (format!("{p}.{attr}"), None),
                    Val::Client(c) => {
                        let mut c = *c;
                        self.session_settings(obj, &mut c, &ctx);
                        (format!("client.{attr}"), Some(c))
                    }
                    _ => return None,
                }
            }
            "identifier" => match self.eval(f, &ctx) {
                Val::Module(p) => (p, None),
                _ => return None,
            },
            _ => return None,
        };
        let (lib, verb) = match (path.as_str(), &client) {
            ("urllib.request.Request", _) => (Lib::Urllib, "request".to_string()),
            (p, Some(c)) => (c.lib, p.rsplit('.').next()?.to_string()),
            (p, None) => {
                let (lib, verb) = p.rsplit_once('.')?;
                let lib = match lib {
                    "requests" | "requests.api" => Lib::Requests,
                    "httpx" => Lib::Httpx,
                    _ => return None,
                };
                (lib, verb.to_string())
            }
        };
        if !HTTP_VERBS.contains(&verb.as_str()) {
            return None;
        }
        let params = signature(lib, &verb, client.is_some());
        let args = self.call_args(n, &ctx);
        Some(HttpCall {
            node: n,
            lib,
            verb,
            client,
            params,
            args,
        })
    }

    /// `s.auth = …` and `s.headers.update(…)` / `s.headers[k] = v` for a session variable.
    pub(super) fn session_settings(&mut self, obj: Node<'t>, c: &mut Client, ctx: &Ctx<'t>) {
        if !matches!(obj.kind(), "identifier" | "attribute") {
            return;
        }
        let name = self.text(obj).to_string();
        let auth_key = format!("{name}.auth");
        if let Some(b) = self.last_bind(0, &auth_key, ctx.pos, true) {
            let line = Some(self.lines.line(b.pos));
            c.auth = Some((self.eval_bind(&auth_key, b, None), line));
        }
        let headers_key = format!("{name}.headers");
        let base = c.headers.clone().unwrap_or(Val::Dict(Vec::new(), None));
        let base = match self.last_bind(0, &headers_key, ctx.pos, true) {
            Some(b) => self.eval_bind(&headers_key, b, None),
            None => base,
        };
        let merged = self.apply_mutations(0, &headers_key, base, 0, ctx.pos, None);
        if matches!(&merged, Val::Dict(es, _) if !es.is_empty()) || c.headers.is_some() {
            c.headers = Some(merged);
        }
    }

    pub(super) fn url_of(&mut self, call: &HttpCall<'t>) -> Traced {
        let mut url = match call.arg("url") {
            Some((v, l)) => {
                let expr = call.arg_node_text(self.src, "url");
                self.value_str(&v, l, &expr)
            }
            None => Traced::unknown("url", "{url}".into(), self.line(call.node)),
        };
        if let Some(c) = &call.client
            && let Some(base) = &c.base_url
            && !url.text.contains("://")
        {
            let mut b = self.value_str(base, self.line(call.node), "base_url");
            let trimmed = b.text.trim_end_matches('/').len();
            b = b.slice(0..trimmed);
            if !url.text.starts_with('/') {
                b.push_literal("/", None);
            }
            b.push(&url);
            url = b;
        }
        url
    }

    pub(super) fn value_str(&self, v: &Val, line: Option<usize>, expr: &str) -> Traced {
        match v {
            Val::Str(t, _) => t.clone(),
            Val::Unknown(e, l) => Traced::unknown(e, format!("{{{e}}}"), *l).with_expr(e),
            Val::Scalar(s) => Traced::literal(s.clone(), line),
            _ => Traced::unknown(expr, format!("{{{expr}}}"), line),
        }
    }

    pub(super) fn method_of(
        &mut self,
        call: &HttpCall<'t>,
    ) -> (String, Option<usize>, Option<Unresolved>) {
        if call.lib == Lib::Urllib {
            return match call.arg("method") {
                Some((Val::Str(m, _), l)) if m.is_resolved() => {
                    (m.text.to_ascii_uppercase(), l, None)
                }
                _ => {
                    let has_data = call.arg("data").is_some_and(|d| !d.0.is_none());
                    (if has_data { "POST" } else { "GET" }.into(), None, None)
                }
            };
        }
        if call.verb != "request" {
            return (call.verb.to_ascii_uppercase(), None, None);
        }
        match call.arg("method") {
            Some((Val::Str(m, _), l)) if m.is_resolved() => (m.text.to_ascii_uppercase(), l, None),
            Some((other, l)) => {
                let expr = match other {
                    Val::Unknown(e, _) => e,
                    _ => "method".into(),
                };
                (
                    "POST".into(),
                    l,
                    Some(Unresolved {
                        what: WHAT_METHOD.into(),
                        expr,
                        line: l,
                    }),
                )
            }
            None => ("GET".into(), None, None),
        }
    }

    /// The draft request of the chosen call.
    pub(super) fn draft(&mut self, call: &HttpCall<'t>) -> Draft {
        let call_line = self.line(call.node);
        let mut d = Draft {
            call_line,
            ..Draft::default()
        };
        let (method, mline, munres) = self.method_of(call);
        d.method = method;
        d.method_line = mline;
        d.unresolved.extend(munres);
        d.url = self.url_of(call);
        d.url_line = call.arg("url").and_then(|a| a.1);
        self.add_params(call, &mut d);
        self.add_headers(call, &mut d);
        self.add_body(call, &mut d);
        self.add_auth(call, &mut d);
        if let Some((e, l)) = &call.args.opaque {
            d.notes.push(format!(
                "the call passes `{e}` (line {}): its contents are not known here",
                l.unwrap_or(0)
            ));
        }
        d
    }

    pub(super) fn add_params(&mut self, call: &HttpCall<'t>, d: &mut Draft) {
        let mut all: Vec<(Traced, Val, Option<usize>)> = Vec::new();
        let sources = [
            call.client
                .as_ref()
                .and_then(|c| c.params.clone())
                .map(|v| (v, None)),
            call.arg("params"),
        ];
        for (v, l) in sources.into_iter().flatten() {
            match v.pairs() {
                Some(ps) => all.extend(ps),
                None if v.is_none() => {}
                None => {
                    let e = match &v {
                        Val::Unknown(e, _) => e.clone(),
                        _ => "params".into(),
                    };
                    d.unresolved.push(Unresolved {
                        what: WHAT_URL.into(),
                        expr: e,
                        line: l,
                    });
                }
            }
        }
        if all.is_empty() {
            return;
        }
        let (q, params) = form_encode_pairs(&all, d.url_line);
        if q.is_empty() {
            return;
        }
        let sep = if d.url.text.contains('?') { "&" } else { "?" };
        d.url.push_literal(sep, None);
        d.url.push(&q);
        let mut existing: Vec<DraftParam> = Vec::new();
        if let Some(qr) = crate::import::query_range(&d.url.text) {
            let own = &d.url.text[qr.clone()];
            let own_len = own.len().saturating_sub(q.text.len() + 1);
            if own_len > 0 {
                for (name, r) in crate::import::form_pairs(&own[..own_len]) {
                    let raw = d.url.slice(qr.start + r.start..qr.start + r.end);
                    existing.push(DraftParam {
                        name,
                        meant: raw.map(crate::shape::intended_from_raw_form(&raw.text)),
                        line: raw.line(),
                    });
                }
            }
        }
        existing.extend(params);
        d.query_params = Some(existing);
    }

    pub(super) fn add_headers(&mut self, call: &HttpCall<'t>, d: &mut Draft) {
        let sources = [
            call.client
                .as_ref()
                .and_then(|c| c.headers.clone())
                .map(|v| (v, None)),
            call.arg("headers"),
        ];
        for (v, l) in sources.into_iter().flatten() {
            match v {
                Val::Dict(es, _) => {
                    for e in es {
                        let name = if call.lib == Lib::Urllib {
                            capitalize(&e.key.text)
                        } else {
                            e.key.text.clone()
                        };
                        match &e.value {
                            Val::None => d.remove_header(&name),
                            other => {
                                let t = self.value_str(other, e.line, &name);
                                d.set_header(&name, t, e.line);
                            }
                        }
                    }
                }
                Val::None => {}
                other => {
                    let e = match other {
                        Val::Unknown(e, _) => e,
                        _ => "headers".into(),
                    };
                    d.unresolved.push(Unresolved {
                        what: WHAT_HEADERS.into(),
                        expr: e,
                        line: l,
                    });
                }
            }
        }
    }

    pub(super) fn add_auth(&mut self, call: &HttpCall<'t>, d: &mut Draft) {
        let auth = call
            .arg("auth")
            .filter(|a| !a.0.is_none())
            .or_else(|| call.client.as_ref().and_then(|c| c.auth.clone()));
        let Some((v, line)) = auth else { return };
        let (a, b) = match v {
            Val::Seq(items) if items.len() == 2 => (items[0].clone(), items[1].clone()),
            Val::Auth(a, b) => (*a, *b),
            other => {
                let e = match other {
                    Val::Unknown(e, _) => e,
                    _ => "auth".into(),
                };
                d.unresolved.push(Unresolved {
                    what: what_header("Authorization"),
                    expr: e,
                    line,
                });
                return;
            }
        };
        let id = self.value_str(&a, line, "username").default_line(line);
        let secret = self.value_str(&b, line, "password").default_line(line);
        let header = basic_header(&id, &secret, line);
        if d.has_header("authorization") {
            d.notes.push(format!(
                "`auth=` (line {}) replaces the Authorization header the code sets: requests and httpx apply auth last",
                line.unwrap_or(0)
            ));
        }
        d.set_header("Authorization", header, line);
        d.basic = Some(DraftBasic { id, secret, line });
    }

    pub(super) fn add_body(&mut self, call: &HttpCall<'t>, d: &mut Draft) {
        let data = call.arg("data").filter(|a| !a.0.is_none());
        let json = call.arg("json").filter(|a| !a.0.is_none());
        let files = call.arg("files").filter(|a| !a.0.is_none());
        let content = call.arg("content").filter(|a| !a.0.is_none());
        let set_ct = |d: &mut Draft, ct: &str, line: Option<usize>| {
            if !d.has_header("content-type") {
                let name = if call.lib == Lib::Urllib {
                    "Content-type"
                } else {
                    "Content-Type"
                };
                d.headers.push(DraftHeader {
                    name: name.into(),
                    value: Traced::literal(ct, line),
                    line,
                });
            }
        };
        if let Some((f, fl)) = files {
            let fields = data.as_ref().and_then(|x| x.0.pairs()).unwrap_or_default();
            let (body, params) = self.multipart(&fields, &f, fl);
            d.body = body;
            d.body_params = Some(params);
            d.body_line = fl;
            set_ct(
                d,
                &format!("multipart/form-data; boundary={MP_BOUNDARY}"),
                fl,
            );
            return;
        }
        // httpx `content=` and http.client's `body` are sent as they are, with no content type.
        let raw = content.or_else(|| call.arg("body").filter(|a| !a.0.is_none()));
        if let Some((c, cl)) = raw {
            d.body = self.value_str(&c, cl, "content");
            d.body_line = cl;
            return;
        }
        if let Some((v, l)) = data {
            d.body_line = match &v {
                Val::Dict(_, dl) => dl.or(l),
                _ => l,
            };
            match v.pairs() {
                Some(pairs) if call.lib != Lib::Urllib => {
                    let (body, params) = form_encode_pairs(&pairs, d.body_line);
                    d.body = body;
                    d.body_params = Some(params);
                    set_ct(d, FORM, d.body_line);
                }
                _ => {
                    d.body = self.value_str(&v, l, "data");
                    if d.body.text.starts_with('{')
                        && !d.body.is_resolved()
                        && d.body.spans.len() == 1
                    {
                        d.unresolved.push(Unresolved {
                            what: WHAT_BODY.into(),
                            expr: d.body.text.trim_matches(['{', '}']).to_string(),
                            line: l,
                        });
                    }
                    if call.lib == Lib::Urllib {
                        set_ct(d, FORM, l);
                    }
                }
            }
            return;
        }
        if let Some((j, l)) = json {
            d.body_line = match &j {
                Val::Dict(_, dl) => dl.or(l),
                _ => l,
            };
            d.body = to_json(&j).unwrap_or_else(|| self.value_str(&j, l, "json"));
            set_ct(d, "application/json", d.body_line);
        }
    }

    /// requests/urllib3's multipart encoding (the boundary is random in reality).
    pub(super) fn multipart(
        &self,
        fields: &[(Traced, Val, Option<usize>)],
        files: &Val,
        line: Option<usize>,
    ) -> (Traced, Vec<DraftParam>) {
        let mut body = Traced::default();
        let mut params = Vec::new();
        let mut part = |body: &mut Traced,
                        name: &str,
                        filename: Option<&str>,
                        value: Traced,
                        l: Option<usize>| {
            let disp = match filename {
                Some(f) => format!(
                    "--{MP_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\r\n"
                ),
                None => format!(
                    "--{MP_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                ),
            };
            body.push_literal(&disp, l);
            body.push(&value);
            body.push_literal("\r\n", l);
            params.push(DraftParam {
                name: name.to_string(),
                meant: value,
                line: l,
            });
        };
        for (k, v, l) in fields {
            let t = self.value_str(v, *l, &k.text);
            part(&mut body, &k.text, None, t, *l);
        }
        for (k, v, l) in files.pairs().unwrap_or_default() {
            match &v {
                Val::Seq(items) if !items.is_empty() => {
                    let filename = match &items[0] {
                        Val::Str(f, _) => Some(f.text.clone()),
                        _ => None,
                    };
                    let content = items
                        .get(1)
                        .map(|c| self.value_str(c, l, &k.text))
                        .unwrap_or_default();
                    part(&mut body, &k.text, filename.as_deref(), content, l);
                }
                other => {
                    let content = self.value_str(other, l, &k.text);
                    part(&mut body, &k.text, Some(&k.text), content, l);
                }
            }
        }
        body.push_literal(&format!("--{MP_BOUNDARY}--\r\n"), line);
        (body, params)
    }
}
