//! The index of a JavaScript script: one walk over the tree records bindings per scope
//! (destructuring included), mutations of objects and `URLSearchParams`, functions, call
//! sites and ES module imports.

use super::*;
use crate::import::script::names::walk;

pub(super) fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration"
            | "generator_function_declaration"
            | "function_expression"
            | "function"
            | "generator_function"
            | "arrow_function"
            | "method_definition"
    )
}

#[derive(Clone, Copy, Debug)]
pub(super) enum BindKind<'t> {
    /// `name = expr`
    Expr(Node<'t>),
    /// `{ key: name = default } = expr`: property `key` of the value.
    Prop(Node<'t>, &'t str, Option<Node<'t>>),
    /// `[a, b] = expr`: element `n` of the value.
    Elem(Node<'t>, usize),
    /// `name += expr`
    Aug(Node<'t>),
}

/// A binding of a name.
pub(super) type Bind<'t> = Event<'t, BindKind<'t>>;
/// A change to what a name holds.
pub(super) type Mutation<'t> = Event<'t, MutKind<'t>>;

/// A change to the object or `URLSearchParams` a name holds.
#[derive(Clone, Copy, Debug)]
pub(super) enum MutKind<'t> {
    /// `name.key = value` / `name["key"] = value`
    Set(Node<'t>, Node<'t>),
    /// `name.append(key, value)` / `name.set(key, value)`
    Append(Node<'t>, Node<'t>),
}

#[derive(Default)]
pub(super) struct Index<'t> {
    pub(super) names: Names<'t, BindKind<'t>, MutKind<'t>>,
    /// Calls that may send a request (`fetch`, `axios`, `….post`, …).
    pub(super) http_calls: Vec<Site<'t>>,
    /// `….loginClientCredentialsGrant(…)`.
    pub(super) sdk_logins: Vec<Site<'t>>,
    /// `….setEnvironment(…)`.
    pub(super) sdk_envs: Vec<Site<'t>>,
    /// ES module imports: local name → module path (`axios`, `purecloud-platform-client-v2.ApiClient`).
    pub(super) imports: HashMap<String, String>,
}

impl<'t> std::ops::Deref for Index<'t> {
    type Target = Names<'t, BindKind<'t>, MutKind<'t>>;
    fn deref(&self) -> &Self::Target {
        &self.names
    }
}

impl std::ops::DerefMut for Index<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.names
    }
}

pub(super) const HTTP_NAMES: [&str; 9] = [
    "fetch", "axios", "post", "put", "patch", "get", "request", "delete", "head",
];

impl<'t> Index<'t> {
    pub(super) fn build(root: Node<'t>, src: &'t str) -> Index<'t> {
        let mut ix = Index::default();
        walk(root, None, |node, func| ix.visit(node, func, src));
        ix
    }

    /// Records what a node defines or calls; returns the function its children are in.
    fn visit(&mut self, node: Node<'t>, func: Option<Node<'t>>, src: &'t str) -> Option<Node<'t>> {
        let kind = node.kind();
        if is_function(kind) {
            self.func_parent.insert(node.id(), func);
            if let Some(n) = node.child_by_field_name("name") {
                self.funcs
                    .entry(text(n, src).to_string())
                    .or_default()
                    .push(node);
            }
            return Some(node);
        }
        match kind {
            "variable_declarator" => {
                if let (Some(name), Some(value)) = (
                    node.child_by_field_name("name"),
                    node.child_by_field_name("value"),
                ) {
                    if name.kind() == "identifier" && is_function(value.kind()) {
                        self.funcs
                            .entry(text(name, src).to_string())
                            .or_default()
                            .push(value);
                    }
                    self.pattern(name, value, node.start_byte(), func, src);
                }
            }
            "assignment_expression" => {
                if let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    self.assignment(left, right, node.start_byte(), func, src);
                }
            }
            "augmented_assignment_expression" => {
                if let (Some(left), Some(right), Some(op)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                    node.child_by_field_name("operator"),
                ) && text(op, src) == "+="
                {
                    self.bind(left, BindKind::Aug(right), node.start_byte(), func, src);
                }
            }
            "call_expression" => self.call(node, func, src),
            "import_statement" => self.import(node, src),
            _ => {}
        }
        func
    }

    /// `import a from 'm'`, `import * as a from 'm'`, `import { b as a } from 'm'`.
    fn import(&mut self, node: Node<'t>, src: &str) {
        let Some(source) = node.child_by_field_name("source") else {
            return;
        };
        let module = text(source, src).trim_matches(['"', '\'']).to_string();
        let mut cursor = node.walk();
        let clauses: Vec<Node<'t>> = node
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "import_clause")
            .collect();
        for clause in clauses {
            let mut c2 = clause.walk();
            let parts: Vec<Node<'t>> = clause.named_children(&mut c2).collect();
            for p in parts {
                match p.kind() {
                    "identifier" => {
                        self.imports
                            .insert(text(p, src).to_string(), module_path(&module));
                    }
                    "namespace_import" => {
                        if let Some(i) = p.named_child(0) {
                            self.imports
                                .insert(text(i, src).to_string(), module_path(&module));
                        }
                    }
                    "named_imports" => {
                        let mut c3 = p.walk();
                        let specs: Vec<Node<'t>> = p.named_children(&mut c3).collect();
                        for spec in specs {
                            let Some(imported) = spec.child_by_field_name("name") else {
                                continue;
                            };
                            let imported = text(imported, src).trim_matches(['"', '\'']);
                            let local = spec
                                .child_by_field_name("alias")
                                .map(|a| text(a, src))
                                .unwrap_or(imported);
                            self.imports.insert(
                                local.to_string(),
                                module_path(&format!("{module}.{imported}")),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// `const <pattern> = value`: every name the pattern binds.
    fn pattern(
        &mut self,
        pat: Node<'t>,
        value: Node<'t>,
        pos: usize,
        func: Option<Node<'t>>,
        src: &'t str,
    ) {
        match pat.kind() {
            "identifier" => self.bind(pat, BindKind::Expr(value), pos, func, src),
            "object_pattern" => {
                let mut cursor = pat.walk();
                let items: Vec<Node<'t>> = pat.named_children(&mut cursor).collect();
                for it in items {
                    match it.kind() {
                        "shorthand_property_identifier_pattern" => self.bind(
                            it,
                            BindKind::Prop(value, text(it, src), None),
                            pos,
                            func,
                            src,
                        ),
                        "object_assignment_pattern" => {
                            if let Some(l) = it.child_by_field_name("left")
                                && l.kind() == "shorthand_property_identifier_pattern"
                            {
                                let d = it.child_by_field_name("right");
                                self.bind(
                                    l,
                                    BindKind::Prop(value, text(l, src), d),
                                    pos,
                                    func,
                                    src,
                                );
                            }
                        }
                        "pair_pattern" => {
                            let (Some(k), Some(v)) = (
                                it.child_by_field_name("key"),
                                it.child_by_field_name("value"),
                            ) else {
                                continue;
                            };
                            let key = text(k, src).trim_matches(['"', '\'']);
                            let (target, default) = match v.kind() {
                                "assignment_pattern" => (
                                    v.child_by_field_name("left"),
                                    v.child_by_field_name("right"),
                                ),
                                _ => (Some(v), None),
                            };
                            if let Some(t) = target.filter(|t| t.kind() == "identifier") {
                                self.bind(t, BindKind::Prop(value, key, default), pos, func, src);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "array_pattern" => {
                let mut cursor = pat.walk();
                let items: Vec<Node<'t>> = pat.named_children(&mut cursor).collect();
                for (i, it) in items.into_iter().enumerate() {
                    if it.kind() == "identifier" {
                        self.bind(it, BindKind::Elem(value, i), pos, func, src);
                    }
                }
            }
            _ => {}
        }
    }

    fn assignment(
        &mut self,
        left: Node<'t>,
        right: Node<'t>,
        pos: usize,
        func: Option<Node<'t>>,
        src: &'t str,
    ) {
        match left.kind() {
            "identifier" | "object_pattern" | "array_pattern" => {
                self.pattern(left, right, pos, func, src)
            }
            "member_expression" | "subscript_expression" => {
                // `headers.Authorization = v`: a change to what `headers` holds …
                let obj = left.child_by_field_name("object");
                let key = left
                    .child_by_field_name("property")
                    .or_else(|| left.child_by_field_name("index"));
                if let (Some(o), Some(k)) = (obj, key)
                    && matches!(o.kind(), "identifier" | "member_expression")
                {
                    let scope = if o.kind() == "identifier" {
                        scope_of(func)
                    } else {
                        0
                    };
                    let ev = Event {
                        pos,
                        kind: MutKind::Set(k, right),
                        func,
                    };
                    self.names.mutate(scope, text(o, src), ev);
                }
                // … and a binding of the member itself (`this.url = …`).
                self.bind(left, BindKind::Expr(right), pos, func, src);
            }
            _ => {}
        }
    }

    fn bind(
        &mut self,
        target: Node<'t>,
        kind: BindKind<'t>,
        pos: usize,
        func: Option<Node<'t>>,
        src: &str,
    ) {
        let scope = match target.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => scope_of(func),
            "member_expression" | "subscript_expression" => 0,
            _ => return,
        };
        self.names
            .bind(scope, text(target, src), Event { pos, kind, func });
    }

    fn call(&mut self, node: Node<'t>, func: Option<Node<'t>>, src: &str) {
        let Some(f) = node.child_by_field_name("function") else {
            return;
        };
        let (last, obj) = match f.kind() {
            "identifier" => (text(f, src), None),
            "member_expression" => match f.child_by_field_name("property") {
                Some(p) => (text(p, src), f.child_by_field_name("object")),
                None => return,
            },
            _ => return,
        };
        let site = Site { node, func };
        self.names.call(last, site);
        if HTTP_NAMES.contains(&last) {
            self.http_calls.push(site);
        }
        match last {
            SDK_LOGIN => self.sdk_logins.push(site),
            "setEnvironment" => self.sdk_envs.push(site),
            "append" | "set" => {
                if let Some(o) = obj
                    && matches!(o.kind(), "identifier" | "member_expression")
                    && let Some(args) = node.child_by_field_name("arguments")
                    && let (Some(k), Some(v)) = (args.named_child(0), args.named_child(1))
                {
                    let scope = if o.kind() == "identifier" {
                        scope_of(func)
                    } else {
                        0
                    };
                    let ev = Event {
                        pos: node.start_byte(),
                        kind: MutKind::Append(k, v),
                        func,
                    };
                    self.names.mutate(scope, text(o, src), ev);
                }
            }
            _ => {}
        }
    }
}
