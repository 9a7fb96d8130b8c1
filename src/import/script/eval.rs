//! The evaluator every script language shares: a depth guard, the memo of values already
//! worked out for a node, the user's own names kept on the values they name, and the call of
//! a function with a single `return`. A language implements the required methods (its
//! grammar mapping: how a node of its tree evaluates); the rest is provided.

use super::MAX_DEPTH;
use super::names::{Scope, scope_of};
use crate::import::{Ctx, Frame, Traced};
use std::collections::HashMap;
use std::rc::Rc;
use tree_sitter::Node;

/// A language's evaluator over one script.
pub(crate) trait Evaluator<'t> {
    type Val: Clone;

    /// The source of the script.
    fn source(&self) -> &'t str;
    /// How deep evaluation is now.
    fn depth(&mut self) -> &mut usize;
    /// Values worked out for nodes outside any call frame, by node id.
    fn memo(&mut self) -> &mut HashMap<usize, Self::Val>;
    /// Evaluates one node by the language's rules.
    fn eval_node(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Self::Val;
    /// The value of a node that cannot be worked out.
    fn unknown(&self, n: Node<'_>) -> Self::Val;
    /// Node kinds that name a value (an identifier, attribute, subscript or call).
    fn names_value(&self, kind: &str) -> bool;
    /// The text a value holds, to be marked with how the code refers to it.
    fn traced_mut(v: &mut Self::Val) -> Option<&mut Traced>;
    /// The value `name` has in `scope` from its last binding before `pos` (with `any`, the
    /// last anywhere), with the changes made to it before `upto`.
    fn bound(
        &mut self,
        scope: Scope,
        name: &str,
        pos: usize,
        any: bool,
        upto: usize,
        frame: Option<Rc<Frame<'t>>>,
    ) -> Option<Self::Val>;
    /// The value of parameter `name` of function `f`, used at `at`.
    fn param(&mut self, f: Node<'t>, name: &str, at: Node<'t>, ctx: &Ctx<'t>) -> Option<Self::Val>;
    /// The function a function definition is nested in.
    fn outer(&self, f: Node<'t>) -> Option<Node<'t>>;
    /// A module-level import of `name`, looked at before module-level bindings.
    fn imported(&self, _name: &str) -> Option<Self::Val> {
        None
    }

    /// The value a name has at `ctx`: a binding in the enclosing function, a parameter, the
    /// enclosing functions outwards, an import, the module. A module name used inside a
    /// function counts with its last binding anywhere (the function runs later).
    fn lookup(&mut self, name: &str, at: Node<'t>, ctx: &Ctx<'t>) -> Option<Self::Val> {
        let mut func = ctx.func;
        while let Some(f) = func {
            let scope = scope_of(Some(f));
            if let Some(v) = self.bound(scope, name, ctx.pos, false, ctx.pos, ctx.frame.clone()) {
                return Some(v);
            }
            if let Some(v) = self.param(f, name, at, ctx) {
                return Some(v);
            }
            func = self.outer(f);
        }
        if let Some(v) = self.imported(name) {
            return Some(v);
        }
        let local_use = ctx.func.is_none();
        let upto = if local_use { ctx.pos } else { usize::MAX };
        self.bound(0, name, ctx.pos, !local_use, upto, None)
    }

    /// Evaluates a node, guarded against runaway recursion.
    fn eval(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Self::Val {
        if *self.depth() > MAX_DEPTH {
            return self.unknown(n);
        }
        *self.depth() += 1;
        let mut v = self.eval_node(n, ctx);
        *self.depth() -= 1;
        // Remember how the code refers to a value: keeps the user's names in suggestions.
        let expr = self
            .source()
            .get(n.start_byte()..n.end_byte())
            .unwrap_or("");
        if self.names_value(n.kind())
            && expr.len() <= 80
            && let Some(t) = Self::traced_mut(&mut v)
        {
            *t = std::mem::take(t).referred_as(expr);
        }
        v
    }

    /// [`Evaluator::eval`], remembered per node outside call frames.
    fn eval_memo(&mut self, e: Node<'t>, ctx: &Ctx<'t>) -> Self::Val {
        if ctx.frame.is_some() {
            return self.eval(e, ctx);
        }
        if let Some(v) = self.memo().get(&e.id()) {
            return v.clone();
        }
        let v = self.eval(e, ctx);
        self.memo().insert(e.id(), v.clone());
        v
    }

    /// The value of calling `f`, whose body is `return ret`, at `call`.
    fn eval_return(
        &mut self,
        f: Node<'t>,
        ret: Node<'t>,
        call: Node<'t>,
        ctx: &Ctx<'t>,
    ) -> Self::Val {
        let frame = Rc::new(Frame {
            func: f,
            call,
            caller: ctx.clone(),
        });
        let c = Ctx {
            func: Some(f),
            pos: ret.start_byte(),
            frame: Some(frame),
        };
        self.eval(ret, &c)
    }
}
