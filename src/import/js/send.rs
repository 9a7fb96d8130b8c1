//! The HTTP calls of a JavaScript script (axios, fetch) and the request each one sends.

use super::*;

impl<'t> Resolver<'t, '_> {
    // --- the HTTP calls -----------------------------------------------------------------

    pub(super) fn http_calls(&mut self) -> Vec<HttpCall<'t>> {
        let sites = self.index.http_calls.clone();
        sites.into_iter().filter_map(|s| self.classify(s)).collect()
    }

    pub(super) fn classify(&mut self, site: Site<'t>) -> Option<HttpCall<'t>> {
        let n = site.node;
        let f = n.child_by_field_name("function")?;
        let ctx = self.ctx_at(site);
        let (lib, verb, defaults) = match f.kind() {
            "member_expression" => {
                let obj = f.child_by_field_name("object")?;
                let method = self.text(f.child_by_field_name("property")?);
                match self.eval(obj, &ctx) {
                    Val::Module(p) if is_axios(&module_path(&p)) => {
                        (Lib::Axios, method.to_string(), None)
                    }
                    Val::Axios(d) => (Lib::Axios, method.to_string(), Some(*d)),
                    _ => return None,
                }
            }
            "identifier" => match self.eval(f, &ctx) {
                Val::Module(p) if is_axios(&module_path(&p)) => {
                    (Lib::Axios, "request".to_string(), None)
                }
                Val::Module(p) if is_fetch(&module_path(&p)) => {
                    (Lib::Fetch, "fetch".to_string(), None)
                }
                Val::Axios(d) => (Lib::Axios, "request".to_string(), Some(*d)),
                _ => return None,
            },
            _ => return None,
        };
        if lib == Lib::Axios
            && !matches!(
                verb.as_str(),
                "post" | "put" | "patch" | "get" | "delete" | "head" | "request"
            )
        {
            return None;
        }
        let args = self.call_args(n, &ctx);
        Some(HttpCall {
            node: n,
            lib,
            verb,
            defaults,
            args,
        })
    }

    /// The request config of a call: `axios(config)`, `axios(url, config)`,
    /// `axios.post(url, data, config)`, `fetch(url, init)`.
    pub(super) fn config_of(&self, call: &HttpCall<'t>) -> Val {
        let i = match (call.lib, call.verb.as_str()) {
            (Lib::Fetch, _) => 1,
            (Lib::Axios, "request") => match call.args.get(0) {
                Some((Val::Obj(..), _)) => 0,
                _ => 1,
            },
            (Lib::Axios, "post" | "put" | "patch") => 2,
            _ => 1,
        };
        call.args
            .get(i)
            .map(|a| a.0)
            .unwrap_or(Val::Obj(Vec::new(), None))
    }

    pub(super) fn url_of(&mut self, call: &HttpCall<'t>) -> Traced {
        let config = self.config_of(call);
        let line = line_of(call.node);
        let (url, l) = match call.args.get(0) {
            Some((Val::Obj(..), _)) if call.verb == "request" => {
                (config.get("url"), config.entry_line("url"))
            }
            Some((v, l)) => (Some(v), l),
            None => (None, line),
        };
        let expr = self.arg_text(call.node, 0);
        let mut url = match url {
            Some(v) => self.value_str(&v, l, &expr),
            None => Traced::unknown("url", "{url}".into(), line),
        };
        let base = config
            .get("baseURL")
            .or_else(|| call.defaults.as_ref().and_then(|d| d.base_url.clone()));
        if call.lib == Lib::Axios
            && let Some(b) = base
            && !url.text.contains("://")
        {
            let mut b = self.value_str(&b, line, "baseURL");
            let trimmed = b.text.trim_end_matches('/').len();
            b = b.slice(0..trimmed);
            let tail = url.text.trim_start_matches('/').len();
            let start = url.text.len() - tail;
            b.push_literal("/", None);
            b.push(&url.slice(start..url.text.len()));
            url = b;
        }
        url
    }

    pub(super) fn arg_text(&self, call: Node<'t>, i: usize) -> String {
        call.child_by_field_name("arguments")
            .and_then(|a| {
                let mut cursor = a.walk();
                let list: Vec<Node<'t>> = a
                    .named_children(&mut cursor)
                    .filter(|x| x.kind() != "comment")
                    .collect();
                list.get(i).map(|x| short(self.text(*x)))
            })
            .unwrap_or_else(|| "url".into())
    }

    pub(super) fn method_of(
        &mut self,
        call: &HttpCall<'t>,
    ) -> (String, Option<usize>, Option<Unresolved>) {
        if call.lib == Lib::Axios && call.verb != "request" {
            return (call.verb.to_ascii_uppercase(), None, None);
        }
        let config = self.config_of(call);
        match config.get("method") {
            Some(Val::Str(m)) if m.is_resolved() => (
                m.text.to_ascii_uppercase(),
                config.entry_line("method"),
                None,
            ),
            Some(Val::Unknown(e, l)) => (
                "POST".into(),
                l,
                Some(Unresolved {
                    what: WHAT_METHOD.into(),
                    expr: e,
                    line: l,
                }),
            ),
            _ => ("GET".into(), None, None),
        }
    }

    /// The draft request of the chosen call.
    pub(super) fn draft(&mut self, call: &HttpCall<'t>) -> Draft {
        let call_line = line_of(call.node);
        let mut d = Draft {
            call_line,
            ..Draft::default()
        };
        d.notes.push(format!(
            "the token request is sent with {} (line {})",
            match call.lib {
                Lib::Axios => "axios",
                Lib::Fetch => "fetch",
            },
            call_line.unwrap_or(0)
        ));
        let (method, mline, munres) = self.method_of(call);
        d.method = method;
        d.method_line = mline;
        d.unresolved.extend(munres);
        d.url = self.url_of(call);
        d.url_line = match call.args.get(0) {
            Some((Val::Obj(..), _)) if call.verb == "request" => {
                self.config_of(call).entry_line("url")
            }
            Some((_, l)) => l,
            None => call_line,
        };
        let config = self.config_of(call);
        self.add_params(&config, &mut d);
        self.add_headers(call, &config, &mut d);
        self.add_body(call, &config, &mut d);
        if call.lib == Lib::Axios {
            self.add_auth(call, &config, &mut d);
        }
        if let Some((e, l)) = &call.args.opaque {
            d.notes.push(format!(
                "the call passes `{e}` (line {}): its contents are not known here",
                l.unwrap_or(0)
            ));
        }
        d
    }

    /// axios `params`: appended to the URL as axios's `buildURL` serialises them.
    pub(super) fn add_params(&mut self, config: &Val, d: &mut Draft) {
        let Some(p) = config.get("params") else {
            return;
        };
        let line = config.entry_line("params");
        let pairs = match &p {
            Val::Form(pairs, _) => pairs.clone(),
            other => match self.form_pairs(other, line) {
                Some(pairs) => pairs,
                None => {
                    d.unresolved.push(Unresolved {
                        what: WHAT_URL.into(),
                        expr: match other {
                            Val::Unknown(e, _) => e.clone(),
                            _ => "params".into(),
                        },
                        line,
                    });
                    return;
                }
            },
        };
        if pairs.is_empty() {
            return;
        }
        let sep = if d.url.text.contains('?') { "&" } else { "?" };
        d.url.push_literal(sep, line);
        let mut params = Vec::new();
        for (i, (k, v, l)) in pairs.iter().enumerate() {
            if i > 0 {
                d.url.push_literal("&", *l);
            }
            d.url
                .push(&k.map(axios_param_encode(&k.text)).default_line(*l));
            d.url.push_literal("=", *l);
            d.url
                .push(&v.map(axios_param_encode(&v.text)).default_line(*l));
            params.push(DraftParam {
                name: k.text.clone(),
                meant: v.clone(),
                line: *l,
            });
        }
        d.query_params = Some(params);
    }

    pub(super) fn add_headers(&mut self, call: &HttpCall<'t>, config: &Val, d: &mut Draft) {
        let sources = [
            call.defaults
                .as_ref()
                .and_then(|x| x.headers.clone())
                .map(|v| (v, None)),
            config
                .get("headers")
                .map(|v| (v, config.entry_line("headers"))),
        ];
        for (v, l) in sources.into_iter().flatten() {
            match v {
                Val::Obj(es, _) => {
                    for e in es {
                        match &e.value {
                            Val::Null => d.remove_header(&e.key.text),
                            other => {
                                let t = self.value_str(other, e.line, &e.key.text);
                                d.set_header(&e.key.text, t, e.line);
                            }
                        }
                    }
                }
                Val::Arr(items) => {
                    for it in items {
                        if let Val::Arr(kv) = it
                            && let [Val::Str(k), v] = kv.as_slice()
                        {
                            let t = self.value_str(v, k.line(), &k.text);
                            d.set_header(&k.text, t, k.line());
                        }
                    }
                }
                Val::Null => {}
                other => d.unresolved.push(Unresolved {
                    what: WHAT_HEADERS.into(),
                    expr: match other {
                        Val::Unknown(e, _) => e,
                        _ => "headers".into(),
                    },
                    line: l,
                }),
            }
        }
    }

    pub(super) fn add_body(&mut self, call: &HttpCall<'t>, config: &Val, d: &mut Draft) {
        let data = match (call.lib, call.verb.as_str()) {
            (Lib::Fetch, _) => config.get("body").map(|v| (v, config.entry_line("body"))),
            (Lib::Axios, "post" | "put" | "patch") => call.args.get(1),
            (Lib::Axios, _) => config.get("data").map(|v| (v, config.entry_line("data"))),
        };
        let post_like = matches!(d.method.as_str(), "POST" | "PUT" | "PATCH");
        let set_ct = |d: &mut Draft, ct: &str, line: Option<usize>| {
            if !d.has_header("content-type") {
                d.headers.push(DraftHeader {
                    name: "Content-Type".into(),
                    value: Traced::literal(ct, line),
                    line,
                });
            }
        };
        let Some((v, l)) = data.filter(|(v, _)| !v.is_null()) else {
            if call.lib == Lib::Axios && post_like {
                set_ct(d, FORM, call.node.start_position().row.checked_add(1));
            }
            return;
        };
        let line = match &v {
            Val::Obj(_, ol) | Val::Form(_, ol) => ol.or(l),
            _ => l,
        };
        d.body_line = line;
        match (call.lib, v) {
            (_, Val::Form(pairs, fl)) => {
                d.body = form_text(&pairs, fl.or(line));
                d.body_params = Some(
                    pairs
                        .iter()
                        .map(|(k, v, pl)| DraftParam {
                            name: k.text.clone(),
                            meant: v.clone(),
                            line: *pl,
                        })
                        .collect(),
                );
                set_ct(d, "application/x-www-form-urlencoded;charset=utf-8", line);
            }
            (Lib::Axios, Val::Obj(es, ol)) => {
                let form = d
                    .header("content-type")
                    .is_some_and(|h| h.value.text.contains("application/x-www-form-urlencoded"));
                if form && let Some(pairs) = self.form_pairs(&Val::Obj(es.clone(), ol), line) {
                    d.body = form_text(&pairs, line);
                    d.body_params = Some(
                        pairs
                            .iter()
                            .map(|(k, v, pl)| DraftParam {
                                name: k.text.clone(),
                                meant: v.clone(),
                                line: *pl,
                            })
                            .collect(),
                    );
                } else {
                    d.body = to_json(&Val::Obj(es, ol))
                        .unwrap_or_else(|| Traced::unknown("data", "{data}".into(), line));
                    set_ct(d, "application/json", line);
                }
            }
            (Lib::Fetch, Val::Obj(..)) => {
                // fetch turns a plain object into its string form.
                d.body = Traced::literal("[object Object]", line);
                set_ct(d, "text/plain;charset=UTF-8", line);
                d.notes.push(format!(
                    "line {}: fetch sends a plain object as the text `[object Object]`; wrap it in new URLSearchParams(...)",
                    line.unwrap_or(0)
                ));
            }
            (lib, other) => {
                d.body = self.value_str(&other, l, "body");
                if d.body.text.starts_with('{') && !d.body.is_resolved() && d.body.spans.len() == 1
                {
                    d.unresolved.push(Unresolved {
                        what: WHAT_BODY.into(),
                        expr: d.body.text.trim_matches(['{', '}']).to_string(),
                        line: l,
                    });
                }
                match lib {
                    Lib::Fetch if matches!(other, Val::Str(_)) => {
                        set_ct(d, "text/plain;charset=UTF-8", line)
                    }
                    Lib::Axios if post_like => set_ct(d, FORM, line),
                    _ => {}
                }
            }
        }
    }

    /// axios `auth: { username, password }`: a Basic header that replaces any written one.
    pub(super) fn add_auth(&mut self, call: &HttpCall<'t>, config: &Val, d: &mut Draft) {
        let auth = config
            .get("auth")
            .map(|a| (a, config.entry_line("auth")))
            .or_else(|| call.defaults.as_ref().and_then(|x| x.auth.clone()));
        let Some((v, line)) = auth.filter(|a| !a.0.is_null()) else {
            return;
        };
        let (Some(u), Some(p)) = (v.get("username"), v.get("password")) else {
            d.unresolved.push(Unresolved {
                what: what_header("Authorization"),
                expr: match v {
                    Val::Unknown(e, _) => e,
                    _ => "auth".into(),
                },
                line,
            });
            return;
        };
        let id = self
            .value_str(&u, v.entry_line("username").or(line), "username")
            .default_line(line);
        let secret = self
            .value_str(&p, v.entry_line("password").or(line), "password")
            .default_line(line);
        if d.has_header("authorization") {
            d.notes.push(format!(
                "`auth` (line {}) replaces the Authorization header the code sets: axios applies auth last",
                line.unwrap_or(0)
            ));
        }
        d.set_header("Authorization", basic_header(&id, &secret, line), line);
        d.basic = Some(DraftBasic { id, secret, line });
    }
}
