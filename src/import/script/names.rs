//! Names and scopes: what a script binds and changes, per scope, recorded in one walk over
//! the tree, and the lookups every evaluator makes over it.
//!
//! A language fills a [`Names`] table while it walks its tree (its grammar mapping decides
//! which nodes bind or mutate a name); the evaluator then asks for the last binding before a
//! use, the function a function is nested in, and the call that gives a function's
//! parameters their values.

use crate::import::{Ctx, Frame};
use std::collections::HashMap;
use tree_sitter::Node;

/// A scope: 0 = module, else the function definition's start byte + 1.
pub(crate) type Scope = usize;

/// The scope of code inside `func` (none: the module).
pub(crate) fn scope_of(func: Option<Node<'_>>) -> Scope {
    func.map(|f| f.start_byte() + 1).unwrap_or(0)
}

/// Something the script does to a name at a position, inside a function (or not).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Event<'t, K> {
    pub(crate) pos: usize,
    pub(crate) kind: K,
    pub(crate) func: Option<Node<'t>>,
}

/// A call and the function it is in. Recorded during the walk: tree-sitter finds a node's
/// parent by descending from the root, far too slow to ask for every call of a long script.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Site<'t> {
    pub(crate) node: Node<'t>,
    pub(crate) func: Option<Node<'t>>,
}

impl<'t> Site<'t> {
    /// The evaluation context just before the call.
    pub(crate) fn ctx(self) -> Ctx<'t> {
        Ctx {
            func: self.func,
            pos: self.node.start_byte(),
            frame: None,
        }
    }
}

/// The names of a script: bindings `B` and mutations `M` per scope and name, functions,
/// and calls by the name called.
pub(crate) struct Names<'t, B, M> {
    pub(crate) binds: HashMap<(Scope, String), Vec<Event<'t, B>>>,
    pub(crate) muts: HashMap<(Scope, String), Vec<Event<'t, M>>>,
    pub(crate) funcs: HashMap<String, Vec<Node<'t>>>,
    /// The function each function definition is nested in, by node id.
    pub(crate) func_parent: HashMap<usize, Option<Node<'t>>>,
    pub(crate) calls_by_name: HashMap<String, Vec<Site<'t>>>,
}

impl<B, M> Default for Names<'_, B, M> {
    fn default() -> Self {
        Names {
            binds: HashMap::new(),
            muts: HashMap::new(),
            funcs: HashMap::new(),
            func_parent: HashMap::new(),
            calls_by_name: HashMap::new(),
        }
    }
}

impl<'t, B: Copy, M: Copy> Names<'t, B, M> {
    /// Records a binding of `name` in `scope` (walk order keeps each list sorted by
    /// position).
    pub(crate) fn bind(&mut self, scope: Scope, name: &str, ev: Event<'t, B>) {
        self.binds
            .entry((scope, name.to_string()))
            .or_default()
            .push(ev);
    }

    /// Records a change to what `name` holds in `scope`.
    pub(crate) fn mutate(&mut self, scope: Scope, name: &str, ev: Event<'t, M>) {
        self.muts
            .entry((scope, name.to_string()))
            .or_default()
            .push(ev);
    }

    /// Records a call of `name`.
    pub(crate) fn call(&mut self, name: &str, site: Site<'t>) {
        self.calls_by_name
            .entry(name.to_string())
            .or_default()
            .push(site);
    }

    /// The last binding of a name before `pos`; with `any`, the last anywhere if none is
    /// before (module names used inside functions that run later).
    pub(crate) fn last_bind(
        &self,
        scope: Scope,
        name: &str,
        pos: usize,
        any: bool,
    ) -> Option<Event<'t, B>> {
        let list = self.binds.get(&(scope, name.to_string()))?;
        let before = list.partition_point(|b| b.pos < pos);
        if before > 0 {
            return Some(list[before - 1]);
        }
        if any { list.last().copied() } else { None }
    }

    /// The mutations of `name` in `scope` strictly between `from` and `to`.
    pub(crate) fn muts_between(
        &self,
        scope: Scope,
        name: &str,
        from: usize,
        to: usize,
    ) -> Vec<Event<'t, M>> {
        self.muts
            .get(&(scope, name.to_string()))
            .map(|l| {
                l.iter()
                    .filter(|m| m.pos > from && m.pos < to)
                    .copied()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The function a function definition is nested in.
    pub(crate) fn enclosing(&self, f: Node<'t>) -> Option<Node<'t>> {
        self.func_parent.get(&f.id()).copied().flatten()
    }

    /// The first call of `name` outside the function `f` itself, as the frame that gives
    /// `f`'s parameters their values.
    pub(crate) fn frame_of(&self, f: Node<'t>, name: &str) -> Option<Frame<'t>> {
        let calls = self.calls_by_name.get(name)?;
        let site = calls.iter().find(|c| {
            !(c.node.start_byte() >= f.start_byte() && c.node.end_byte() <= f.end_byte())
        })?;
        Some(Frame {
            func: f,
            call: site.node,
            caller: site.ctx(),
        })
    }
}

/// One depth-first walk over the tree with a single cursor (no allocation per node):
/// `visit` sees every named node with the context its parent gave, and returns the context
/// of the node's children (the function, or class, they are in).
pub(crate) fn walk<'t, C: Copy>(root: Node<'t>, top: C, mut visit: impl FnMut(Node<'t>, C) -> C) {
    let mut ctx: Vec<C> = vec![top];
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        let cur = ctx.last().copied().unwrap_or(top);
        let inner = if node.is_named() {
            visit(node, cur)
        } else {
            cur
        };
        if cursor.goto_first_child() {
            ctx.push(inner);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            ctx.pop();
        }
    }
}
