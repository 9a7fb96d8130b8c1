//! Evaluating Python strings and names: literals, f-strings, lookups through scopes,
//! bindings, mutations and function parameters.

use super::*;

impl<'t> Resolver<'t, '_> {
    // --- strings ----------------------------------------------------------------------

    pub(super) fn eval_string(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let mut cursor = n.walk();
        let children: Vec<Node<'t>> = n.children(&mut cursor).collect();
        let (Some(start), Some(end)) = (
            children.iter().find(|c| c.kind() == "string_start"),
            children.iter().find(|c| c.kind() == "string_end"),
        ) else {
            return self.unknown(n);
        };
        let prefix: String = self
            .text(*start)
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_lowercase();
        let raw = prefix.contains('r');
        let bytes = prefix.contains('b');
        let fstr = prefix.contains('f');
        let mut out = Traced::default();
        let mut at = start.end_byte();
        for c in children.iter().filter(|c| c.kind() == "interpolation") {
            self.push_literal_segment(&mut out, at, c.start_byte(), raw, fstr);
            out.push(&self.interpolation(*c, ctx));
            at = c.end_byte();
        }
        self.push_literal_segment(&mut out, at, end.start_byte(), raw, fstr);
        Val::Str(out, bytes)
    }

    pub(super) fn push_literal_segment(
        &self,
        out: &mut Traced,
        from: usize,
        to: usize,
        raw: bool,
        fstr: bool,
    ) {
        let Some(seg) = self.src.get(from..to) else {
            return;
        };
        if seg.is_empty() {
            return;
        }
        let mut s = if raw {
            seg.to_string()
        } else {
            decode_escapes(seg)
        };
        if fstr {
            s = s.replace("{{", "{").replace("}}", "}");
        }
        out.push_literal(&s, Some(self.lines.line(from)));
    }

    pub(super) fn interpolation(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Traced {
        let Some(e) = n.child_by_field_name("expression") else {
            return Traced::default();
        };
        let v = self.eval(e, ctx);
        let conv = n
            .child_by_field_name("type_conversion")
            .map(|c| self.text(c));
        let t = self.to_str(&v, e);
        match (conv, &v) {
            (Some("!r"), Val::Str(s, false)) => s.map(format!("'{}'", s.text)),
            _ => t,
        }
    }

    /// Python's `str()` of a value.
    pub(super) fn to_str(&self, v: &Val, n: Node<'_>) -> Traced {
        match v {
            Val::Str(t, false) => t.clone(),
            Val::Str(t, true) => {
                // `b'…'` around the text, which keeps where each part came from (a base64
                // of the credentials stays one).
                let mut out = Traced::literal("b'", self.line(n));
                out.push(t);
                out.push_literal("'", self.line(n));
                out
            }
            Val::Scalar(s) => Traced::literal(s.clone(), self.line(n)),
            Val::None => Traced::literal("None", self.line(n)),
            Val::Unknown(e, l) => Traced::unknown(e, format!("{{{e}}}"), *l).with_expr(e),
            _ => {
                let e = self.text(n);
                Traced::unknown(e, format!("{{{e}}}"), self.line(n))
            }
        }
    }

    // --- names ------------------------------------------------------------------------

    pub(super) fn eval_name(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let name = self.text(n);
        if let Some(v) = self.lookup(name, n, ctx) {
            return v;
        }
        if let Some(p) = self.index.imports.get(name) {
            return Val::Module(p.clone());
        }
        if MODULES.contains(&name) || matches!(name, "str" | "bytes" | "dict" | "HTTPBasicAuth") {
            return Val::Module(name.to_string());
        }
        self.unknown(n)
    }

    /// The last binding of a name before `pos`; with `any`, the last anywhere if none is
    /// before (module names used inside functions that run later).
    pub(super) fn last_bind(
        &self,
        scope: Scope,
        name: &str,
        pos: usize,
        any: bool,
    ) -> Option<Bind<'t>> {
        self.index.last_bind(scope, name, pos, any)
    }

    pub(super) fn eval_bind(
        &mut self,
        name: &str,
        b: Bind<'t>,
        frame: Option<Rc<Frame<'t>>>,
    ) -> Val {
        let ctx = Ctx {
            func: b.func,
            pos: b.pos,
            frame: frame.clone(),
        };
        match b.kind {
            BindKind::Expr(e) => self.eval_memo(e, &ctx),
            BindKind::Elem(e, i) => match self.eval_memo(e, &ctx) {
                Val::Seq(items) => items.get(i).cloned().unwrap_or_else(|| self.unknown(e)),
                Val::Unknown(ex, l) => Val::Unknown(format!("{ex}[{i}]"), l),
                _ => self.unknown(e),
            },
            BindKind::Aug(e) => {
                let prev = match self.last_bind(scope_of(b.func), name, b.pos, false) {
                    Some(pb) => self.eval_bind(name, pb, frame),
                    None => return self.unknown(e),
                };
                let add = self.eval(e, &ctx);
                concat(prev, add).unwrap_or_else(|| self.unknown(e))
            }
        }
    }

    /// `headers["X"] = v` and `headers.update({...})` between the binding and the use.
    pub(super) fn apply_mutations(
        &mut self,
        scope: Scope,
        name: &str,
        v: Val,
        from: usize,
        to: usize,
        frame: Option<Rc<Frame<'t>>>,
    ) -> Val {
        let Val::Dict(mut entries, line) = v else {
            return v;
        };
        let list: Vec<Mutation<'t>> = self.index.muts_between(scope, name, from, to);
        for m in list {
            let ctx = Ctx {
                func: m.func,
                pos: m.pos,
                frame: frame.clone(),
            };
            match m.kind {
                MutKind::SetItem(k, val) => {
                    if let Val::Str(key, _) = self.eval(k, &ctx) {
                        let value = self.eval(val, &ctx);
                        set_entry(&mut entries, key, value, self.line(k));
                    }
                }
                MutKind::Update(arg) => {
                    if let Val::Dict(more, _) = self.eval(arg, &ctx) {
                        for e in more {
                            set_entry(&mut entries, e.key, e.value, e.line);
                        }
                    }
                }
            }
        }
        Val::Dict(entries, line)
    }

    /// A parameter of `f`: from the call-site frame, else the first call site, else its default.
    pub(super) fn parameter(
        &mut self,
        f: Node<'t>,
        name: &str,
        at: Node<'t>,
        ctx: &Ctx<'t>,
    ) -> Option<Val> {
        let params = parameters(f, self.src);
        let idx = params.iter().position(|p| p.0 == name)?;
        let frame = match &ctx.frame {
            Some(fr) if fr.func.id() == f.id() => Some(fr.clone()),
            _ => self.call_site(f).map(Rc::new),
        };
        if let Some(fr) = frame
            && let Some(v) = self.argument(&fr, &params, idx)
        {
            return Some(v);
        }
        if let Some(d) = params[idx].1 {
            let c = Ctx {
                func: self.enclosing(f),
                pos: f.start_byte(),
                frame: None,
            };
            return Some(self.eval(d, &c));
        }
        Some(Val::Unknown(name.to_string(), self.line(at)))
    }

    /// The first call of `f` outside `f` itself.
    pub(super) fn call_site(&self, f: Node<'t>) -> Option<Frame<'t>> {
        let mut name = f.child_by_field_name("name").map(|n| self.text(n))?;
        // A constructor is called by its class's name.
        if name == "__init__"
            && let Some(class) = self.index.method_class.get(&f.id())
        {
            name = class.as_str();
        }
        self.index.frame_of(f, name)
    }

    pub(super) fn argument(
        &mut self,
        fr: &Rc<Frame<'t>>,
        params: &[(String, Option<Node<'t>>)],
        idx: usize,
    ) -> Option<Val> {
        let args = fr.call.child_by_field_name("arguments")?;
        let method_call = fr
            .call
            .child_by_field_name("function")
            .is_some_and(|c| c.kind() == "attribute")
            || self.index.method_class.contains_key(&fr.func.id());
        let skip = usize::from(
            method_call
                && params
                    .first()
                    .is_some_and(|p| p.0 == "self" || p.0 == "cls"),
        );
        let want = &params[idx].0;
        let mut cursor = args.walk();
        let mut positional = 0usize;
        let list: Vec<Node<'t>> = args.named_children(&mut cursor).collect();
        for a in list {
            match a.kind() {
                "keyword_argument" => {
                    if a.child_by_field_name("name").map(|n| self.text(n)) == Some(want.as_str()) {
                        let v = a.child_by_field_name("value")?;
                        return Some(self.eval(v, &fr.caller));
                    }
                }
                "list_splat" | "dictionary_splat" | "comment" => {}
                _ => {
                    if positional + skip == idx {
                        return Some(self.eval(a, &fr.caller));
                    }
                    positional += 1;
                }
            }
        }
        None
    }
}
