//! Evaluating Python attributes, subscripts, operators, dicts and calls (builtins and
//! `str` methods included).

use super::*;

impl<'t> Resolver<'t, '_> {
    // --- attributes, subscripts, operators --------------------------------------------

    pub(super) fn eval_attribute(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let full = self.text(n);
        if let Some(b) = self.last_bind(0, full, ctx.pos, true) {
            let v = self.eval_bind(full, b, None);
            return self.apply_mutations(0, full, v, b.pos, usize::MAX, None);
        }
        let (Some(obj), Some(attr)) = (
            n.child_by_field_name("object"),
            n.child_by_field_name("attribute"),
        ) else {
            return self.unknown(n);
        };
        let attr = self.text(attr);
        match self.eval(obj, ctx) {
            Val::Module(p) => sdk::attribute(&p, attr, self.line(n))
                .unwrap_or_else(|| Val::Module(format!("{p}.{attr}"))),
            Val::Client(c) => match attr {
                "headers" => {
                    let base = c.headers.clone().unwrap_or(Val::Dict(Vec::new(), None));
                    self.apply_mutations(0, full, base, 0, ctx.pos, None)
                }
                _ => self.unknown(n),
            },
            _ => self.unknown(n),
        }
    }

    pub(super) fn eval_subscript(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(v), Some(k)) = (
            n.child_by_field_name("value"),
            n.child_by_field_name("subscript"),
        ) else {
            return self.unknown(n);
        };
        let base = self.eval(v, ctx);
        let key = self.eval(k, ctx);
        match (base, key) {
            (Val::Module(m), Val::Str(name, _)) if m == "os.environ" => {
                self.env_read(&name.text, None, self.text(n), self.line(n))
            }
            (Val::Dict(es, _), Val::Str(key, _)) => es
                .into_iter()
                .rev()
                .find(|e| e.key.text == key.text)
                .map(|e| e.value)
                .unwrap_or_else(|| self.unknown(n)),
            (Val::Seq(items), Val::Scalar(i)) => i
                .parse::<i64>()
                .ok()
                .and_then(|i| {
                    let len = items.len() as i64;
                    let j = if i < 0 { len + i } else { i };
                    usize::try_from(j).ok().and_then(|j| items.get(j).cloned())
                })
                .unwrap_or_else(|| self.unknown(n)),
            _ => self.unknown(n),
        }
    }

    /// Left operand, operator and right operand of a binary or boolean operator.
    pub(super) fn operands(&self, n: Node<'t>) -> Option<(Node<'t>, &'t str, Node<'t>)> {
        Some((
            n.child_by_field_name("left")?,
            self.text(n.child_by_field_name("operator")?),
            n.child_by_field_name("right")?,
        ))
    }

    pub(super) fn eval_binary(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some((l, op, r)) = self.operands(n) else {
            return self.unknown(n);
        };
        let lv = self.eval(l, ctx);
        let rv = self.eval(r, ctx);
        match op {
            "+" => concat(lv, rv).unwrap_or_else(|| self.unknown(n)),
            "%" => match lv {
                Val::Str(fmt, b) => {
                    let args = match rv {
                        Val::Seq(items) => items,
                        other => vec![other],
                    };
                    let strs: Vec<Traced> = args.iter().map(|a| self.to_str(a, r)).collect();
                    percent_format(&fmt, &strs)
                        .map(|t| Val::Str(t, b))
                        .unwrap_or_else(|| self.unknown(n))
                }
                _ => self.unknown(n),
            },
            _ => self.unknown(n),
        }
    }

    /// `a or b`: `os.getenv("X") or "default"`.
    pub(super) fn eval_or(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some((l, "or", r)) = self.operands(n) else {
            return self.unknown(n);
        };
        let lv = self.eval(l, ctx);
        let unset_env = match &lv {
            Val::Str(t, _) => t.spans.iter().find_map(|s| match &s.src {
                Src::Env {
                    name,
                    state: EnvState::Unset,
                    expr,
                } => Some((name.clone(), expr.clone())),
                _ => None,
            }),
            _ => None,
        };
        match (lv, unset_env) {
            (Val::Str(t, b), None) if !t.text.is_empty() && t.is_resolved() => Val::Str(t, b),
            (_, Some((name, expr))) => match self.eval(r, ctx) {
                Val::Str(d, b) => Val::Str(
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
                    b,
                ),
                other => other,
            },
            (Val::None, None) => self.eval(r, ctx),
            (Val::Str(t, _), None) if t.text.is_empty() => self.eval(r, ctx),
            _ => self.unknown(n),
        }
    }

    pub(super) fn eval_dict(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
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
                    let key = match self.eval(k, ctx) {
                        Val::Str(t, _) => t,
                        Val::Scalar(s) => Traced::literal(s, self.line(k)),
                        other => self.to_str(&other, k),
                    };
                    let value = self.eval(v, ctx);
                    set_entry(&mut entries, key, value, self.line(k));
                }
                "dictionary_splat" => {
                    if let Some(inner) = it.named_child(0)
                        && let Val::Dict(more, _) = self.eval(inner, ctx)
                    {
                        for e in more {
                            set_entry(&mut entries, e.key, e.value, e.line);
                        }
                    }
                }
                _ => {}
            }
        }
        Val::Dict(entries, self.line(n))
    }

    // --- calls ------------------------------------------------------------------------

    pub(super) fn eval_call(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some(f) = n.child_by_field_name("function") else {
            return self.unknown(n);
        };
        let args = self.call_args(n, ctx);
        if f.kind() == "attribute"
            && let (Some(obj), Some(attr)) = (
                f.child_by_field_name("object"),
                f.child_by_field_name("attribute"),
            )
        {
            let attr = self.text(attr);
            let recv = self.eval(obj, ctx);
            return match recv {
                Val::Module(p) => self.builtin(&format!("{p}.{attr}"), &args, n),
                Val::Str(t, b) => self.str_method(t, b, attr, &args, n),
                Val::Dict(es, line) => match attr {
                    "get" => match args.positional.first() {
                        Some((Val::Str(k, _), _)) => es
                            .into_iter()
                            .rev()
                            .find(|e| e.key.text == k.text)
                            .map(|e| e.value)
                            .or_else(|| args.positional.get(1).map(|a| a.0.clone()))
                            .unwrap_or(Val::None),
                        _ => self.unknown(n),
                    },
                    "copy" => Val::Dict(es, line),
                    _ => self.unknown(n),
                },
                _ => self.user_call(attr, n, ctx),
            };
        }
        match self.eval(f, ctx) {
            Val::Module(p) => self.builtin(&p, &args, n),
            _ if f.kind() == "identifier" => {
                let name = self.text(f);
                self.user_call(name, n, ctx)
            }
            _ => self.unknown(n),
        }
    }

    /// A call of a function of the script with a single obvious `return`.
    pub(super) fn user_call(&mut self, name: &str, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some(f) = self.index.funcs.get(name).and_then(|v| v.first()).copied() else {
            return self.unknown(n);
        };
        let Some(ret) = single_return(f) else {
            return self.unknown(n);
        };
        self.eval_return(f, ret, n, ctx)
    }

    pub(super) fn call_args(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Args {
        let mut out = Args::default();
        let Some(args) = n.child_by_field_name("arguments") else {
            return out;
        };
        if args.kind() != "argument_list" {
            return out;
        }
        let mut cursor = args.walk();
        let list: Vec<Node<'t>> = args.named_children(&mut cursor).collect();
        for a in list {
            match a.kind() {
                "keyword_argument" => {
                    if let (Some(k), Some(v)) = (
                        a.child_by_field_name("name"),
                        a.child_by_field_name("value"),
                    ) {
                        let val = self.eval(v, ctx);
                        out.keywords
                            .push((self.text(k).to_string(), val, self.line(a)));
                    }
                }
                "dictionary_splat" => match a.named_child(0).map(|x| self.eval(x, ctx)) {
                    Some(Val::Dict(es, _)) => {
                        for e in es {
                            out.keywords.push((e.key.text.clone(), e.value, e.line));
                        }
                    }
                    _ => out.opaque = Some((self.text(a).to_string(), self.line(a))),
                },
                "list_splat" => out.opaque = Some((self.text(a).to_string(), self.line(a))),
                "comment" => {}
                _ => {
                    let v = self.eval(a, ctx);
                    out.positional.push((v, self.line(a)));
                }
            }
        }
        out
    }

    /// Library and builtin functions, by dotted path.
    pub(super) fn builtin(&mut self, path: &str, args: &Args, n: Node<'t>) -> Val {
        if let Some(v) = self.sdk_builtin(path, args, n) {
            return v;
        }
        let arg = |i: usize, kw: &str| args.get(i, kw).map(|a| a.0);
        match path {
            "os.getenv" | "os.environ.get" => match arg(0, "key") {
                Some(Val::Str(name, _)) => {
                    self.env_read(&name.text, arg(1, "default"), self.text(n), self.line(n))
                }
                _ => self.unknown(n),
            },
            "base64.b64encode"
            | "base64.standard_b64encode"
            | "base64.urlsafe_b64encode"
            | "base64.encodebytes"
            | "base64.encodestring" => match arg(0, "s") {
                Some(Val::Str(inner, _)) => Val::Str(b64(&inner, path), true),
                _ => self.unknown(n),
            },
            "str" => match (arg(0, "object"), arg(1, "encoding")) {
                (Some(Val::Str(t, true)), Some(_)) => Val::str(t),
                (Some(v), _) => Val::str(self.to_str(&v, n)),
                (None, _) => Val::str(Traced::literal("", self.line(n))),
            },
            "bytes" => match arg(0, "source") {
                Some(Val::Str(t, _)) => Val::Str(t, true),
                _ => self.unknown(n),
            },
            "dict" => {
                let mut entries = match arg(0, "") {
                    Some(Val::Dict(es, _)) => es,
                    _ => Vec::new(),
                };
                for (k, v, l) in &args.keywords {
                    set_entry(&mut entries, Traced::literal(k.clone(), *l), v.clone(), *l);
                }
                Val::Dict(entries, self.line(n))
            }
            "json.dumps" => match arg(0, "obj").and_then(|v| to_json(&v)) {
                Some(t) => Val::str(t),
                None => self.unknown(n),
            },
            "urllib.parse.urlencode" => match arg(0, "query").and_then(|v| v.pairs()) {
                Some(pairs) => Val::str(form_encode_pairs(&pairs, self.line(n)).0),
                None => self.unknown(n),
            },
            "urllib.parse.quote_plus" | "urllib.parse.quote" | "requests.utils.quote" => {
                match arg(0, "string") {
                    Some(Val::Str(t, b)) => {
                        let enc = if path.ends_with("quote_plus") {
                            quote_plus(&t.text)
                        } else {
                            quote(&t.text)
                        };
                        Val::Str(t.map(enc), b)
                    }
                    _ => self.unknown(n),
                }
            }
            p if p.ends_with("HTTPBasicAuth") || p == "httpx.BasicAuth" => {
                match (arg(0, "username"), arg(1, "password")) {
                    (Some(a), Some(b)) => Val::Auth(Box::new(a), Box::new(b)),
                    _ => self.unknown(n),
                }
            }
            "requests.Session" | "requests.session" | "requests.sessions.Session" => {
                Val::Client(Box::new(Client {
                    lib: Lib::Requests,
                    headers: None,
                    auth: None,
                    base_url: None,
                    params: None,
                }))
            }
            "http.client.HTTPSConnection" | "http.client.HTTPConnection" => {
                let scheme = if path.ends_with("HTTPSConnection") {
                    "https://"
                } else {
                    "http://"
                };
                let base_url = match arg(0, "host") {
                    Some(Val::Str(host, _)) => {
                        let mut t = Traced::literal(scheme, self.line(n));
                        t.push(&host);
                        Some(Val::str(t))
                    }
                    _ => None,
                };
                Val::Client(Box::new(Client {
                    lib: Lib::HttpClient,
                    headers: None,
                    auth: None,
                    base_url,
                    params: None,
                }))
            }
            "httpx.Client" | "httpx.AsyncClient" => Val::Client(Box::new(Client {
                lib: Lib::Httpx,
                headers: arg(usize::MAX, "headers"),
                auth: args.get(usize::MAX, "auth"),
                base_url: arg(usize::MAX, "base_url"),
                params: arg(usize::MAX, "params"),
            })),
            _ => self.unknown(n),
        }
    }

    pub(super) fn str_method(
        &mut self,
        t: Traced,
        bytes: bool,
        method: &str,
        args: &Args,
        n: Node<'t>,
    ) -> Val {
        let arg_str = |i: usize| match args.positional.get(i) {
            Some((Val::Str(s, _), _)) => Some(s.text.clone()),
            _ => None,
        };
        match method {
            "encode" => Val::Str(t, true),
            "decode" => Val::Str(t, false),
            "strip" | "lstrip" | "rstrip" => {
                let chars = arg_str(0);
                let is_strip = |c: char| match &chars {
                    Some(set) => set.contains(c),
                    None => c.is_whitespace(),
                };
                let s = t.text.as_str();
                let start = if method != "rstrip" {
                    s.len() - s.trim_start_matches(is_strip).len()
                } else {
                    0
                };
                let end = if method != "lstrip" {
                    s.trim_end_matches(is_strip).len()
                } else {
                    s.len()
                };
                Val::Str(t.slice(start..end.max(start)), bytes)
            }
            "lower" => Val::Str(t.map(t.text.to_lowercase()), bytes),
            "upper" => Val::Str(t.map(t.text.to_uppercase()), bytes),
            "replace" => match (arg_str(0), arg_str(1)) {
                (Some(a), Some(b)) if !a.is_empty() => {
                    Val::Str(t.map(t.text.replace(&a, &b)), bytes)
                }
                _ => self.unknown(n),
            },
            "format" => {
                let pos: Vec<Traced> = args
                    .positional
                    .iter()
                    .map(|a| self.to_str(&a.0, n))
                    .collect();
                let kw: Vec<(String, Traced)> = args
                    .keywords
                    .iter()
                    .map(|(k, v, _)| (k.clone(), self.to_str(v, n)))
                    .collect();
                brace_format(&t, &pos, &kw)
                    .map(|r| Val::Str(r, bytes))
                    .unwrap_or_else(|| self.unknown(n))
            }
            "join" => match args.positional.first() {
                Some((Val::Seq(items), _)) => {
                    let mut out = Traced::default();
                    for (i, it) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(&t);
                        }
                        match it {
                            Val::Str(s, _) => out.push(s),
                            _ => return self.unknown(n),
                        }
                    }
                    Val::Str(out, bytes)
                }
                _ => self.unknown(n),
            },
            _ => self.unknown(n),
        }
    }

    /// An environment read: the value from `env`, the default, or a `${NAME}` marker.
    pub(super) fn env_read(
        &self,
        name: &str,
        default: Option<Val>,
        expr: &str,
        line: Option<usize>,
    ) -> Val {
        let (d, bytes) = match &default {
            Some(Val::Str(d, b)) => (Some(d.text.as_str()), *b),
            _ => (None, false),
        };
        let t = crate::import::script::env::read(self.env, name, d, expr, line);
        Val::Str(t, bytes && (self.env)(name).is_none())
    }
}
