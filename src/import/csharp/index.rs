//! One walk over a C# tree: declarations and assignments per method, changes made through a
//! variable, methods, and the calls of each method name.

use crate::import::script::names::{Event, Names, Site, scope_of, walk};
use crate::import::script::text;
use tree_sitter::Node;

/// A declaration or assignment: `var x = value;`, `x = value`, `x += value` (`append`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Bind<'t> {
    /// `None` for a declaration without a value.
    pub(super) value: Option<Node<'t>>,
    pub(super) append: bool,
}

/// A change to what a variable holds: an assignment to a member or element
/// (`client.BaseAddress = …`, `dict["k"] = …`) or a call that adds to it
/// (`request.AddParameter(…)`, `client.DefaultRequestHeaders.Add(…)`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Change<'t> {
    pub(super) node: Node<'t>,
}

pub(super) struct Index<'t> {
    pub(super) names: Names<'t, Bind<'t>, Change<'t>>,
}

/// Methods that change the object they are called on.
const CHANGING: [&str; 14] = [
    "Add",
    "AddParameter",
    "AddHeader",
    "AddHeaders",
    "AddJsonBody",
    "AddStringBody",
    "AddBody",
    "AddQueryParameter",
    "TryAddWithoutValidation",
    "Remove",
    "Clear",
    "setBasePath",
    "AddOrUpdateParameter",
    "AddOrUpdateHeader",
];

/// Node kinds that start a function scope.
fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "method_declaration" | "local_function_statement" | "constructor_declaration"
    )
}

/// The variable at the root of a member or element access chain (`client` in
/// `client.DefaultRequestHeaders.Authorization`).
pub(super) fn root_name<'t>(mut n: Node<'t>, src: &'t str) -> Option<&'t str> {
    loop {
        match n.kind() {
            "identifier" => return Some(text(n, src)),
            "member_access_expression" | "element_access_expression" => {
                n = n.child_by_field_name("expression")?;
            }
            _ => return None,
        }
    }
}

/// The name a method is declared with.
pub(super) fn method_name(f: Node<'_>, src: &str) -> Option<String> {
    f.child_by_field_name("name")
        .map(|n| text(n, src).to_string())
}

/// The parameters of a method: names and defaults.
pub(super) fn parameters<'t>(f: Node<'t>, src: &str) -> Vec<(String, Option<Node<'t>>)> {
    let Some(list) = f.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut cursor = list.walk();
    let params: Vec<Node<'t>> = list
        .named_children(&mut cursor)
        .filter(|p| p.kind() == "parameter")
        .collect();
    params
        .into_iter()
        .filter_map(|p| {
            let name = p.child_by_field_name("name")?;
            let mut c = p.walk();
            let default = p
                .named_children(&mut c)
                .find(|k| k.start_byte() > name.end_byte());
            Some((text(name, src).to_string(), default))
        })
        .collect()
}

/// The argument expressions of a call or object creation, in order.
pub(super) fn arguments(call: Node<'_>) -> Vec<Node<'_>> {
    let Some(list) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut cursor = list.walk();
    let args: Vec<Node<'_>> = list
        .named_children(&mut cursor)
        .filter(|a| a.kind() == "argument")
        .collect();
    args.into_iter()
        .filter_map(|a| a.named_child(a.named_child_count().saturating_sub(1) as u32))
        .collect()
}

/// The method an invocation calls, by its simple name (`PostAsync`, `Add`).
pub(super) fn called_name<'t>(call: Node<'t>, src: &'t str) -> Option<&'t str> {
    let f = call.child_by_field_name("function")?;
    match f.kind() {
        "member_access_expression" => f.child_by_field_name("name").map(|n| text(n, src)),
        "identifier" => Some(text(f, src)),
        "generic_name" => f.named_child(0).map(|n| text(n, src)),
        _ => None,
    }
    .map(|s| s.split('<').next().unwrap_or(s))
}

impl<'t> Index<'t> {
    pub(super) fn build(root: Node<'t>, src: &'t str) -> Index<'t> {
        let mut ix = Index {
            names: Names::default(),
        };
        walk(root, None, |n, func: Option<Node<'t>>| {
            match n.kind() {
                k if is_function(k) => {
                    if let Some(name) = method_name(n, src) {
                        ix.names.funcs.entry(name).or_default().push(n);
                    }
                    ix.names.func_parent.insert(n.id(), func);
                    return Some(n);
                }
                "variable_declarator" => ix.declaration(n, func, src),
                "assignment_expression" => ix.assignment(n, func, src),
                "invocation_expression" => ix.invocation(n, func, src),
                _ => {}
            }
            func
        });
        ix
    }

    fn declaration(&mut self, n: Node<'t>, func: Option<Node<'t>>, src: &str) {
        let Some(name) = n.child_by_field_name("name") else {
            return;
        };
        let mut cursor = n.walk();
        let value = n
            .named_children(&mut cursor)
            .filter(|c| c.start_byte() > name.end_byte())
            .last();
        let value = value.map(|v| match v.kind() {
            "equals_value_clause" => v.named_child(0).unwrap_or(v),
            _ => v,
        });
        let ev = Event {
            pos: n.end_byte(),
            kind: Bind {
                value,
                append: false,
            },
            func,
        };
        self.names.bind(scope_of(func), text(name, src), ev);
    }

    fn assignment(&mut self, n: Node<'t>, func: Option<Node<'t>>, src: &str) {
        let (Some(left), Some(right)) = (
            n.child_by_field_name("left"),
            n.child_by_field_name("right"),
        ) else {
            return;
        };
        // `Content = form` inside an object initializer sets a member of the new object.
        if n.parent()
            .is_some_and(|p| p.kind() == "initializer_expression")
        {
            return;
        }
        let op = n
            .child_by_field_name("operator")
            .map(|o| text(o, src))
            .unwrap_or("=");
        let scope = scope_of(func);
        match left.kind() {
            "identifier" if op == "=" || op == "+=" || op == "??=" => {
                let ev = Event {
                    pos: n.end_byte(),
                    kind: Bind {
                        value: Some(right),
                        append: op == "+=",
                    },
                    func,
                };
                self.names.bind(scope, text(left, src), ev);
            }
            "member_access_expression" | "element_access_expression" => {
                if let Some(root) = root_name(left, src) {
                    let ev = Event {
                        pos: n.end_byte(),
                        kind: Change { node: n },
                        func,
                    };
                    self.names.mutate(scope, root, ev);
                }
            }
            _ => {}
        }
    }

    fn invocation(&mut self, n: Node<'t>, func: Option<Node<'t>>, src: &str) {
        let Some(name) = called_name(n, src) else {
            return;
        };
        self.names.call(name, Site { node: n, func });
        if !CHANGING.contains(&name) {
            return;
        }
        let root = n
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("expression"))
            .and_then(|e| root_name(e, src));
        if let Some(root) = root {
            let ev = Event {
                pos: n.end_byte(),
                kind: Change { node: n },
                func,
            };
            self.names.mutate(scope_of(func), root, ev);
        }
    }
}
