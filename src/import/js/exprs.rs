//! Evaluating JavaScript members, subscripts, operators, objects, calls and `new`
//! (builtins and string methods included).

use super::*;

impl<'t> Resolver<'t, '_> {
    // --- members, subscripts, operators -------------------------------------------------

    pub(super) fn eval_member(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let full = self.text(n);
        if let Some(b) = self.last_bind(0, full, ctx.pos, true) {
            return self.eval_bind(full, b, None);
        }
        let (Some(obj), Some(prop)) = (
            n.child_by_field_name("object"),
            n.child_by_field_name("property"),
        ) else {
            return self.unknown(n);
        };
        let key = self.text(prop);
        let base = self.eval(obj, ctx);
        self.property(base, key, n, line_of(n))
    }

    /// `base.key`, whatever `base` is.
    pub(super) fn property(
        &mut self,
        base: Val,
        key: &str,
        n: Node<'t>,
        line: Option<usize>,
    ) -> Val {
        match base {
            Val::Module(p) if p == "process.env" => {
                let expr = if self.text(n).starts_with("process.env") {
                    short(self.text(n))
                } else {
                    format!("process.env.{key}")
                };
                self.env_read(key, &expr, line)
            }
            Val::Module(p) => {
                let path = module_path(&format!("{p}.{key}"));
                match path.strip_prefix(SDK).and_then(|r| r.strip_prefix('.')) {
                    Some("ApiClient.instance") => Val::Sdk,
                    Some(rest) => match rest.strip_prefix("PureCloudRegionHosts.") {
                        Some(region) => {
                            match crate::region::REGIONS.iter().find(|r| r.sdk_key == region) {
                                Some(r) => Val::Str(Traced::literal(r.domain, line)),
                                None => Val::Unknown(short(self.text(n)), line),
                            }
                        }
                        None => Val::Module(path),
                    },
                    None => Val::Module(path),
                }
            }
            Val::Obj(..) => base.get(key).unwrap_or(Val::Null),
            _ => Val::Unknown(short(self.text(n)), line_of(n)),
        }
    }

    pub(super) fn eval_subscript(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(obj), Some(idx)) = (
            n.child_by_field_name("object"),
            n.child_by_field_name("index"),
        ) else {
            return self.unknown(n);
        };
        let base = self.eval(obj, ctx);
        match (base, self.eval(idx, ctx)) {
            (Val::Arr(items), Val::Scalar(i)) => i
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).cloned())
                .unwrap_or_else(|| self.unknown(n)),
            (base @ (Val::Module(_) | Val::Obj(..)), Val::Str(k)) => {
                let key = k.text.clone();
                self.property(base, &key, n, line_of(n))
            }
            _ => self.unknown(n),
        }
    }

    pub(super) fn eval_binary(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(l), Some(op), Some(r)) = (
            n.child_by_field_name("left"),
            n.child_by_field_name("operator"),
            n.child_by_field_name("right"),
        ) else {
            return self.unknown(n);
        };
        match self.text(op) {
            "+" => {
                let lv = self.eval(l, ctx);
                let rv = self.eval(r, ctx);
                let (lt, rt) = (self.to_str(&lv, l), self.to_str(&rv, r));
                match (&lv, &rv) {
                    (Val::Str(_), _) | (_, Val::Str(_)) => {
                        let mut t = lt;
                        t.push(&rt);
                        Val::Str(t)
                    }
                    _ => self.unknown(n),
                }
            }
            "||" | "??" => {
                let lv = self.eval(l, ctx);
                match lv {
                    Val::Str(t) if is_unset_env(&t) => {
                        let d = self.eval(r, ctx);
                        with_env_default(t, d)
                    }
                    Val::Str(t) if !t.text.is_empty() && t.is_resolved() => Val::Str(t),
                    Val::Null => self.eval(r, ctx),
                    Val::Str(t) if t.text.is_empty() => self.eval(r, ctx),
                    _ => self.unknown(n),
                }
            }
            _ => self.unknown(n),
        }
    }

    pub(super) fn eval_object(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let mut entries = Vec::new();
        let mut cursor = n.walk();
        let items: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
        for it in items {
            match it.kind() {
                "pair" => {
                    let (Some(k), Some(v)) = (
                        it.child_by_field_name("key"),
                        it.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    let key = match k.kind() {
                        "property_identifier" | "number" => {
                            Some(Traced::literal(self.text(k), line_of(k)))
                        }
                        "string" => match self.eval_string(k) {
                            Val::Str(t) => Some(t),
                            _ => None,
                        },
                        "computed_property_name" => match k.named_child(0) {
                            Some(e) => self.key_of(e, ctx),
                            None => None,
                        },
                        _ => None,
                    };
                    if let Some(key) = key {
                        let value = self.eval(v, ctx);
                        set_entry(&mut entries, key, value, line_of(k));
                    }
                }
                "shorthand_property_identifier" => {
                    let value = self.eval_name(it, ctx);
                    let value = match value {
                        Val::Str(t) => Val::Str(t.referred_as(self.text(it))),
                        other => other,
                    };
                    set_entry(
                        &mut entries,
                        Traced::literal(self.text(it), line_of(it)),
                        value,
                        line_of(it),
                    );
                }
                "spread_element" => {
                    if let Some(inner) = it.named_child(0)
                        && let Val::Obj(more, _) = self.eval(inner, ctx)
                    {
                        for e in more {
                            set_entry(&mut entries, e.key, e.value, e.line);
                        }
                    }
                }
                _ => {}
            }
        }
        Val::Obj(entries, line_of(n))
    }

    // --- calls ------------------------------------------------------------------------

    pub(super) fn call_args(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Args {
        let mut out = Args::default();
        let Some(args) = n.child_by_field_name("arguments") else {
            return out;
        };
        if args.kind() != "arguments" {
            return out;
        }
        let mut cursor = args.walk();
        let list: Vec<Node<'t>> = args.named_children(&mut cursor).collect();
        for a in list {
            match a.kind() {
                "comment" => {}
                "spread_element" => out.opaque = Some((short(self.text(a)), line_of(a))),
                _ => {
                    let v = self.eval(a, ctx);
                    out.list.push((v, line_of(a)));
                }
            }
        }
        out
    }

    pub(super) fn eval_call(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some(f) = n.child_by_field_name("function") else {
            return self.unknown(n);
        };
        let args = self.call_args(n, ctx);
        if f.kind() == "member_expression"
            && let (Some(obj), Some(prop)) = (
                f.child_by_field_name("object"),
                f.child_by_field_name("property"),
            )
        {
            let method = self.text(prop);
            let recv = self.eval(obj, ctx);
            return match recv {
                Val::Module(p) => self.builtin(&module_path(&format!("{p}.{method}")), &args, n),
                Val::Str(t) => self.str_method(t, method, &args, n),
                Val::Buffer(t) => match (method, args.get(0)) {
                    ("toString", Some((Val::Str(enc), _))) if enc.text == "base64" => {
                        let encoded = STANDARD.encode(t.text.as_bytes());
                        Val::Str(Traced::base64_of(t.clone(), encoded, t.line()))
                    }
                    ("toString", None) => Val::Str(t),
                    _ => self.unknown(n),
                },
                Val::Form(pairs, line) if method == "toString" => Val::Str(form_text(&pairs, line)),
                _ => self.user_call(method, n, ctx),
            };
        }
        match self.eval(f, ctx) {
            Val::Module(p) => self.builtin(&module_path(&p), &args, n),
            _ if f.kind() == "identifier" => {
                let name = self.text(f);
                self.user_call(name, n, ctx)
            }
            _ => self.unknown(n),
        }
    }

    pub(super) fn eval_new(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some(c) = n.child_by_field_name("constructor") else {
            return self.unknown(n);
        };
        let args = self.call_args(n, ctx);
        let path = match self.eval(c, ctx) {
            Val::Module(p) => module_path(&p),
            _ => return self.unknown(n),
        };
        match path.as_str() {
            "URLSearchParams" | "url.URLSearchParams" => match args.get(0) {
                None => Val::Form(Vec::new(), line_of(n)),
                Some((v, l)) => match self.form_pairs(&v, l) {
                    Some(pairs) => Val::Form(pairs, line_of(n)),
                    None => self.unknown(n),
                },
            },
            "Headers" => match args.get(0) {
                None => Val::Obj(Vec::new(), line_of(n)),
                Some((v @ Val::Obj(..), _)) => v,
                _ => self.unknown(n),
            },
            p if p == format!("{SDK}.ApiClient") => Val::Sdk,
            _ => self.unknown(n),
        }
    }

    /// The pairs of `new URLSearchParams(x)` for an object, an array of pairs or a string.
    pub(super) fn form_pairs(
        &self,
        v: &Val,
        line: Option<usize>,
    ) -> Option<Vec<(Traced, Traced, Option<usize>)>> {
        match v {
            Val::Obj(es, _) => Some(
                es.iter()
                    .filter(|e| !e.value.is_null())
                    .map(|e| {
                        (
                            e.key.clone(),
                            self.value_str(&e.value, e.line, &e.key.text),
                            e.line,
                        )
                    })
                    .collect(),
            ),
            Val::Arr(items) => items
                .iter()
                .map(|it| match it {
                    Val::Arr(kv) if kv.len() == 2 => match (&kv[0], &kv[1]) {
                        (Val::Str(k), v) => {
                            Some((k.clone(), self.value_str(v, k.line(), &k.text), k.line()))
                        }
                        _ => None,
                    },
                    _ => None,
                })
                .collect(),
            Val::Str(t) => {
                let s = t.text.trim_start_matches('?');
                let off = t.text.len() - s.len();
                Some(
                    crate::import::form_pairs(s)
                        .into_iter()
                        .map(|(k, r)| {
                            let raw = t.slice(off + r.start..off + r.end);
                            let meant = raw.map(crate::shape::intended_from_raw_form(&raw.text));
                            (
                                Traced::literal(crate::shape::intended_from_raw_form(&k), line),
                                meant,
                                raw.line().or(line),
                            )
                        })
                        .collect(),
                )
            }
            _ => None,
        }
    }

    /// A call of a function of the script with a single obvious `return` (or an arrow
    /// function's expression body).
    pub(super) fn user_call(&mut self, name: &str, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some(f) = self.index.funcs.get(name).and_then(|v| v.first()).copied() else {
            return self.unknown(n);
        };
        let Some(ret) = single_return(f) else {
            return self.unknown(n);
        };
        self.eval_return(f, ret, n, ctx)
    }

    /// Library and global functions, by dotted path.
    pub(super) fn builtin(&mut self, path: &str, args: &Args, n: Node<'t>) -> Val {
        let arg = |i: usize| args.get(i).map(|a| a.0);
        match path {
            "require" => match arg(0) {
                Some(Val::Str(m)) => Val::Module(module_path(&m.text)),
                _ => self.unknown(n),
            },
            "Buffer.from" => match arg(0) {
                Some(Val::Str(t)) => Val::Buffer(t),
                Some(Val::Buffer(t)) => Val::Buffer(t),
                _ => self.unknown(n),
            },
            "btoa" => match arg(0) {
                Some(Val::Str(t)) => {
                    let encoded = STANDARD.encode(t.text.as_bytes());
                    Val::Str(Traced::base64_of(t.clone(), encoded, t.line()))
                }
                _ => self.unknown(n),
            },
            "String" => match arg(0) {
                Some(v) => Val::Str(self.to_str(&v, n)),
                None => Val::Str(Traced::literal("", line_of(n))),
            },
            "encodeURIComponent" => match arg(0) {
                Some(Val::Str(t)) => Val::Str(t.map(encode_uri_component(&t.text))),
                _ => self.unknown(n),
            },
            "JSON.stringify" => match arg(0).and_then(|v| to_json(&v)) {
                Some(t) => Val::Str(t),
                None => self.unknown(n),
            },
            "qs.stringify" | "querystring.stringify" => match arg(0) {
                Some(Val::Obj(es, line)) => {
                    let strict = path.starts_with("qs");
                    let mut out = Traced::default();
                    for e in es.iter().filter(|e| !e.value.is_null()) {
                        if !out.is_empty() {
                            out.push_literal("&", e.line);
                        }
                        let v = self.value_str(&e.value, e.line, &e.key.text);
                        let enc = |s: &str| {
                            if strict {
                                percent_encode_strict(s)
                            } else {
                                encode_uri_component(s)
                            }
                        };
                        out.push(&e.key.map(enc(&e.key.text)).default_line(e.line));
                        out.push_literal("=", e.line);
                        out.push(&v.map(enc(&v.text)).default_line(e.line));
                    }
                    if out.is_empty() {
                        out = Traced::literal("", line);
                    }
                    Val::Str(out)
                }
                _ => self.unknown(n),
            },
            "axios.create" => {
                let cfg = arg(0).unwrap_or(Val::Obj(Vec::new(), None));
                Val::Axios(Box::new(AxiosDefaults {
                    base_url: cfg.get("baseURL"),
                    headers: cfg.get("headers"),
                    auth: cfg.get("auth").map(|a| (a, cfg.entry_line("auth"))),
                }))
            }
            _ => self.unknown(n),
        }
    }

    pub(super) fn str_method(&mut self, t: Traced, method: &str, args: &Args, n: Node<'t>) -> Val {
        let arg_str = |i: usize| match args.get(i) {
            Some((Val::Str(s), _)) => Some(s.text),
            _ => None,
        };
        match method {
            "toString" | "valueOf" => Val::Str(t),
            "trim" | "trimStart" | "trimEnd" => {
                let s = t.text.as_str();
                let start = if method != "trimEnd" {
                    s.len() - s.trim_start().len()
                } else {
                    0
                };
                let end = if method != "trimStart" {
                    s.trim_end().len()
                } else {
                    s.len()
                };
                Val::Str(t.slice(start..end.max(start)))
            }
            "concat" => {
                let mut out = t;
                for (v, _) in &args.list {
                    out.push(&self.to_str(v, n));
                }
                Val::Str(out)
            }
            "replace" | "replaceAll" => match (arg_str(0), arg_str(1)) {
                (Some(a), Some(b)) if !a.is_empty() => {
                    let replaced = if method == "replace" {
                        t.text.replacen(&a, &b, 1)
                    } else {
                        t.text.replace(&a, &b)
                    };
                    Val::Str(t.map(replaced))
                }
                _ => self.unknown(n),
            },
            _ => self.unknown(n),
        }
    }

    /// `process.env.NAME`: the value from `env`, or a `${NAME}` marker.
    pub(super) fn env_read(&self, name: &str, expr: &str, line: Option<usize>) -> Val {
        Val::Str(crate::import::script::env::read(
            self.env, name, None, expr, line,
        ))
    }
}
