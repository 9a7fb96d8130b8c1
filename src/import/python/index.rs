//! The index of a Python script: one walk over the tree records imports, bindings per
//! scope, mutations, functions and call sites.

use super::*;
use crate::import::script::names::walk;

#[derive(Clone, Copy, Debug)]
pub(super) enum BindKind<'t> {
    /// `name = expr`
    Expr(Node<'t>),
    /// `a, b = expr`: element `n` of the value.
    Elem(Node<'t>, usize),
    /// `name += expr`
    Aug(Node<'t>),
}

/// A binding of a name.
pub(super) type Bind<'t> = Event<'t, BindKind<'t>>;
/// A change to the dict a name holds.
pub(super) type Mutation<'t> = Event<'t, MutKind<'t>>;

#[derive(Clone, Copy, Debug)]
pub(super) enum MutKind<'t> {
    /// `name[key] = value`
    SetItem(Node<'t>, Node<'t>),
    /// `name.update(arg)`
    Update(Node<'t>),
}

#[derive(Default)]
pub(super) struct Index<'t> {
    pub(super) names: Names<'t, BindKind<'t>, MutKind<'t>>,
    pub(super) imports: HashMap<String, String>,
    /// The class of each method, by node id.
    pub(super) method_class: HashMap<usize, String>,
    pub(super) http_calls: Vec<Site<'t>>,
    /// `….get_client_credentials_token(…)`: the official SDK's token calls.
    pub(super) sdk_calls: Vec<Site<'t>>,
    /// `….host = …`: where an SDK script may set its host (`configuration.host`,
    /// `api_client.host`).
    pub(super) host_sets: Vec<sdk::HostSet<'t>>,
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

pub(super) const HTTP_VERBS: [&str; 8] = [
    "post", "get", "put", "patch", "delete", "head", "request", "Request",
];

impl<'t> Index<'t> {
    /// One depth-first walk with a single cursor: no allocation per node.
    pub(super) fn build(root: Node<'t>, src: &'t str) -> Index<'t> {
        let mut ix = Index::default();
        // The context of a node: the (function, class) it is in.
        walk(root, (None, None), |node, (func, class)| {
            ix.visit(node, func, class, src)
        });
        ix
    }

    /// Records what a node defines or calls; returns the context of its children.
    fn visit(
        &mut self,
        node: Node<'t>,
        func: Option<Node<'t>>,
        class: Option<&'t str>,
        src: &'t str,
    ) -> (Option<Node<'t>>, Option<&'t str>) {
        match node.kind() {
            "function_definition" => {
                if let Some(n) = node.child_by_field_name("name") {
                    self.funcs
                        .entry(text(n, src).to_string())
                        .or_default()
                        .push(node);
                }
                self.func_parent.insert(node.id(), func);
                if let Some(c) = class {
                    self.method_class.insert(node.id(), c.to_string());
                }
                return (Some(node), None);
            }
            "class_definition" => {
                let name = node.child_by_field_name("name").map(|n| text(n, src));
                return (func, name);
            }
            "import_statement" | "import_from_statement" => self.import(node, src),
            "assignment" => self.assignment(node, func, class, src),
            "augmented_assignment" => {
                if let (Some(l), Some(r)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    self.bind(l, BindKind::Aug(r), node.start_byte(), func, src);
                }
            }
            "with_item" => {
                if let Some(v) = node.child_by_field_name("value")
                    && v.kind() == "as_pattern"
                    && let (Some(e), Some(alias)) =
                        (v.named_child(0), v.child_by_field_name("alias"))
                {
                    let target = alias.named_child(0).unwrap_or(alias);
                    self.bind(target, BindKind::Expr(e), node.start_byte(), func, src);
                }
            }
            "call" => self.call(node, func, src),
            _ => {}
        }
        (func, class)
    }

    fn import(&mut self, node: Node<'t>, src: &str) {
        let module = node
            .child_by_field_name("module_name")
            .map(|m| text(m, src).to_string());
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            let (dotted, alias) = match name.kind() {
                "aliased_import" => (
                    name.child_by_field_name("name")
                        .map(|n| text(n, src))
                        .unwrap_or(""),
                    name.child_by_field_name("alias").map(|n| text(n, src)),
                ),
                _ => (text(name, src), None),
            };
            let full = match &module {
                Some(m) => format!("{m}.{dotted}"),
                None => dotted.to_string(),
            };
            let local = match (alias, &module) {
                (Some(a), _) => a.to_string(),
                (None, Some(_)) => dotted.to_string(),
                // `import urllib.request` binds `urllib`.
                (None, None) => dotted.split('.').next().unwrap_or(dotted).to_string(),
            };
            let target = if alias.is_none() && module.is_none() {
                local.clone()
            } else {
                full
            };
            self.imports.insert(local, target);
        }
    }

    fn assignment(
        &mut self,
        node: Node<'t>,
        func: Option<Node<'t>>,
        class: Option<&str>,
        src: &str,
    ) {
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        let pos = node.start_byte();
        match left.kind() {
            "pattern_list" | "tuple_pattern" | "list_pattern" => {
                let mut cursor = left.walk();
                let targets: Vec<Node<'t>> = left.named_children(&mut cursor).collect();
                for (i, t) in targets.into_iter().enumerate() {
                    self.bind(t, BindKind::Elem(right, i), pos, func, src);
                }
            }
            "subscript" => {
                if let (Some(v), Some(k)) = (
                    left.child_by_field_name("value"),
                    left.child_by_field_name("subscript"),
                ) {
                    let key = (
                        if v.kind() == "identifier" {
                            scope_of(func)
                        } else {
                            0
                        },
                        text(v, src).to_string(),
                    );
                    let ev = Event {
                        pos,
                        kind: MutKind::SetItem(k, right),
                        func,
                    };
                    self.names.mutate(key.0, &key.1, ev);
                }
            }
            _ => {
                if left.kind() == "attribute"
                    && let Some(object) = left.child_by_field_name("object")
                    && left.child_by_field_name("attribute").map(|a| text(a, src)) == Some("host")
                {
                    self.host_sets.push(sdk::HostSet {
                        target: left,
                        object,
                        value: right,
                        pos,
                        func,
                    });
                }
                self.bind(left, BindKind::Expr(right), pos, func, src);
                if let Some(c) = class
                    && func.is_none()
                    && left.kind() == "identifier"
                {
                    let name = text(left, src);
                    for prefix in ["self", "cls", c] {
                        let ev = Event {
                            pos,
                            kind: BindKind::Expr(right),
                            func: None,
                        };
                        self.names.bind(0, &format!("{prefix}.{name}"), ev);
                    }
                }
            }
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
        let (scope, func) = match target.kind() {
            "identifier" => (scope_of(func), func),
            // `self.url = …`, `s.auth = …`: attributes live in one table for the whole file,
            // but their value is still worked out in the function that assigns it.
            "attribute" => (0, func),
            _ => return,
        };
        self.names
            .bind(scope, text(target, src), Event { pos, kind, func });
    }

    fn call(&mut self, node: Node<'t>, func: Option<Node<'t>>, src: &str) {
        let Some(f) = node.child_by_field_name("function") else {
            return;
        };
        let last = match f.kind() {
            "identifier" => Some(text(f, src)),
            "attribute" => f.child_by_field_name("attribute").map(|a| text(a, src)),
            _ => None,
        };
        let Some(last) = last else { return };
        let site = Site { node, func };
        self.names.call(last, site);
        if HTTP_VERBS.contains(&last) {
            self.http_calls.push(site);
        }
        if last == sdk::TOKEN_METHOD {
            self.sdk_calls.push(site);
        }
        if last == "update"
            && let Some(obj) = f.child_by_field_name("object")
            && matches!(obj.kind(), "identifier" | "attribute")
            && let Some(arg) = node
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(0))
        {
            let scope = if obj.kind() == "identifier" {
                scope_of(func)
            } else {
                0
            };
            let ev = Event {
                pos: node.start_byte(),
                kind: MutKind::Update(arg),
                func,
            };
            self.names.mutate(scope, text(obj, src), ev);
        }
    }
}
