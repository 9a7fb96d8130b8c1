//! Evaluating JavaScript strings, template literals and names: lookups through scopes,
//! bindings, mutations and function parameters.

use super::*;

impl<'t> Resolver<'t, '_> {
    // --- strings ----------------------------------------------------------------------

    pub(super) fn eval_string(&self, n: Node<'t>) -> Val {
        let raw = self.text(n);
        let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        Val::Str(Traced::literal(decode_escapes(inner), line_of(n)))
    }

    pub(super) fn eval_template(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let mut out = Traced::default();
        let mut at = n.start_byte() + 1;
        let end = n.end_byte().saturating_sub(1);
        let mut cursor = n.walk();
        let subs: Vec<Node<'t>> = n
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "template_substitution")
            .collect();
        for s in subs {
            self.push_segment(&mut out, at, s.start_byte());
            let v = match s.named_child(0) {
                Some(e) => {
                    let v = self.eval(e, ctx);
                    self.to_str(&v, e)
                }
                None => Traced::default(),
            };
            out.push(&v);
            at = s.end_byte();
        }
        self.push_segment(&mut out, at, end.max(at));
        Val::Str(out)
    }

    pub(super) fn push_segment(&self, out: &mut Traced, from: usize, to: usize) {
        if let Some(seg) = self.src.get(from..to)
            && !seg.is_empty()
        {
            out.push_literal(&decode_escapes(seg), Some(self.lines.line(from)));
        }
    }

    /// JavaScript's `String(value)`.
    pub(super) fn to_str(&self, v: &Val, n: Node<'_>) -> Traced {
        match v {
            Val::Str(t) => t.clone(),
            Val::Scalar(s) => Traced::literal(s.clone(), line_of(n)),
            Val::Null => Traced::literal(
                if self.text(n) == "null" {
                    "null"
                } else {
                    "undefined"
                },
                line_of(n),
            ),
            Val::Obj(..) => Traced::literal("[object Object]", line_of(n)),
            Val::Form(pairs, line) => form_text(pairs, *line),
            Val::Buffer(t) => t.clone(),
            Val::Unknown(e, l) => Traced::unknown(e, format!("{{{e}}}"), *l).with_expr(e),
            _ => {
                let e = short(self.text(n));
                Traced::unknown(&e, format!("{{{e}}}"), line_of(n))
            }
        }
    }

    pub(super) fn value_str(&self, v: &Val, line: Option<usize>, expr: &str) -> Traced {
        match v {
            Val::Str(t) => t.clone(),
            Val::Buffer(t) => t.clone(),
            Val::Scalar(s) => Traced::literal(s.clone(), line),
            Val::Form(pairs, l) => form_text(pairs, l.or(line)),
            Val::Unknown(e, l) => Traced::unknown(e, format!("{{{e}}}"), *l).with_expr(e),
            _ => Traced::unknown(expr, format!("{{{expr}}}"), line),
        }
    }

    // --- names ------------------------------------------------------------------------

    pub(super) fn eval_name(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let name = self.text(n);
        if let Some(v) = self.lookup(name, n, ctx) {
            return v;
        }
        if GLOBALS.contains(&name) || name == "axios" {
            return Val::Module(name.to_string());
        }
        self.unknown(n)
    }

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
            BindKind::Prop(e, key, default) => {
                let base = self.eval_memo(e, &ctx);
                let v = self.property(base, key, e, line_of(e));
                match (v, default) {
                    (Val::Null, Some(d)) => self.eval(d, &ctx),
                    (Val::Str(t), Some(d)) if is_unset_env(&t) => {
                        let dv = self.eval(d, &ctx);
                        with_env_default(t, dv)
                    }
                    (v, _) => v,
                }
            }
            BindKind::Elem(e, i) => match self.eval_memo(e, &ctx) {
                Val::Arr(items) => items.get(i).cloned().unwrap_or_else(|| self.unknown(e)),
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

    /// `obj.key = v` and `params.append(k, v)` between the binding and the use.
    pub(super) fn apply_mutations(
        &mut self,
        scope: Scope,
        name: &str,
        v: Val,
        from: usize,
        to: usize,
    ) -> Val {
        let list: Vec<Mutation<'t>> = self.index.muts_between(scope, name, from, to);
        let mut v = v;
        for m in list {
            let ctx = Ctx {
                func: m.func,
                pos: m.pos,
                frame: None,
            };
            v = match (v, m.kind) {
                (Val::Obj(mut es, line), MutKind::Set(k, val)) => {
                    if let Some(key) = self.key_of(k, &ctx) {
                        let value = self.eval(val, &ctx);
                        set_entry(&mut es, key, value, line_of(k));
                    }
                    Val::Obj(es, line)
                }
                (Val::Form(mut pairs, line), MutKind::Append(k, val)) => {
                    let key = self.eval(k, &ctx);
                    let value = self.eval(val, &ctx);
                    let key = self.to_str(&key, k);
                    let value = self.to_str(&value, val);
                    let is_set = self
                        .index
                        .calls_by_name
                        .get("set")
                        .is_some_and(|s| s.iter().any(|s| s.node.start_byte() == m.pos));
                    if is_set {
                        pairs.retain(|p| p.0.text != key.text);
                    }
                    pairs.push((key, value, line_of(k)));
                    Val::Form(pairs, line)
                }
                (other, _) => other,
            };
        }
        v
    }

    /// A property key: `obj.key`, `obj["key"]`, `obj[name]`.
    pub(super) fn key_of(&mut self, k: Node<'t>, ctx: &Ctx<'t>) -> Option<Traced> {
        match k.kind() {
            "property_identifier" => Some(Traced::literal(self.text(k), line_of(k))),
            _ => match self.eval(k, ctx) {
                Val::Str(t) => Some(t),
                Val::Scalar(s) => Some(Traced::literal(s, line_of(k))),
                _ => None,
            },
        }
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
        let param = *params.iter().find(|p| p.name == name)?;
        let frame = match &ctx.frame {
            Some(fr) if fr.func.id() == f.id() => Some(fr.clone()),
            _ => self.call_site(f).map(Rc::new),
        };
        if let Some(fr) = frame
            && let Some(v) = self.argument(&fr, param)
            && !v.is_null()
        {
            return Some(v);
        }
        if let Some(d) = param.default {
            let c = Ctx {
                func: self.enclosing(f),
                pos: f.start_byte(),
                frame: None,
            };
            return Some(self.eval(d, &c));
        }
        Some(Val::Unknown(name.to_string(), line_of(at)))
    }

    /// The first call of `f` outside `f` itself, by the name it is declared or bound with.
    pub(super) fn call_site(&self, f: Node<'t>) -> Option<Frame<'t>> {
        let name = self
            .index
            .funcs
            .iter()
            .find(|(_, v)| v.iter().any(|x| x.id() == f.id()))
            .map(|(k, _)| k.as_str())
            .or_else(|| f.child_by_field_name("name").map(|n| self.text(n)))?;
        self.index.frame_of(f, name)
    }

    pub(super) fn argument(&mut self, fr: &Rc<Frame<'t>>, p: Param<'t>) -> Option<Val> {
        let args = fr.call.child_by_field_name("arguments")?;
        let mut cursor = args.walk();
        let list: Vec<Node<'t>> = args
            .named_children(&mut cursor)
            .filter(|a| a.kind() != "comment")
            .collect();
        let a = *list.get(p.index)?;
        if a.kind() == "spread_element" {
            return None;
        }
        let v = self.eval(a, &fr.caller);
        Some(match p.key {
            Some(key) => self.property(v, key, a, line_of(a)),
            None => v,
        })
    }
}
