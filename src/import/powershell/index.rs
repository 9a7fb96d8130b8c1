//! One walk over a PowerShell tree: assignments and hashtable changes per scope, functions,
//! the commands called, and the HTTP cmdlet calls.

use crate::import::script::names::{Event, Names, Site, scope_of, walk};
use crate::import::script::text;
use tree_sitter::Node;

/// An assignment: `$x = value` (or `$x += value`, `append`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Bind<'t> {
    pub(super) value: Node<'t>,
    pub(super) append: bool,
}

/// A change to what a variable holds: `$h.Key = v`, `$h['Key'] = v` (the assignment), or
/// `$h.Add(k, v)` / `$h.Remove(k)` (the call).
#[derive(Clone, Copy, Debug)]
pub(super) struct Change<'t> {
    pub(super) node: Node<'t>,
}

pub(super) struct Index<'t> {
    pub(super) names: Names<'t, Bind<'t>, Change<'t>>,
    /// `Invoke-RestMethod` / `Invoke-WebRequest` (and their aliases) calls, in order.
    pub(super) sends: Vec<Site<'t>>,
}

/// Node kinds that only wrap one expression (PowerShell's grammar nests a dozen of them
/// around every value).
const WRAPPERS: [&str; 26] = [
    "integer_literal",
    "pipeline",
    "pipeline_chain",
    "logical_expression",
    "bitwise_expression",
    "comparison_expression",
    "additive_expression",
    "multiplicative_expression",
    "format_expression",
    "range_expression",
    "array_literal_expression",
    "unary_expression",
    "expression_with_unary_operator",
    "argument_expression",
    "logical_argument_expression",
    "bitwise_argument_expression",
    "comparison_argument_expression",
    "additive_argument_expression",
    "multiplicative_argument_expression",
    "format_argument_expression",
    "range_argument_expression",
    "string_literal",
    "key_expression",
    "parenthesized_expression",
    "statement_list",
    "left_assignment_expression",
];

/// The expression a chain of wrappers holds.
pub(super) fn unwrap(mut n: Node<'_>) -> Node<'_> {
    while WRAPPERS.contains(&n.kind()) && n.named_child_count() == 1 {
        match n.named_child(0) {
            Some(c) => n = c,
            None => break,
        }
    }
    n
}

/// The name of a variable node, lower-case, without `$`, braces or a `script:`/`global:`/
/// `local:` scope (`None` for `$env:X` and other drives).
pub(super) fn var_name(t: &str) -> Option<String> {
    let t = t.trim_start_matches(['$', '@']);
    let t = t
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(t);
    let lower = t.to_ascii_lowercase();
    for scope in ["script:", "global:", "local:", "private:"] {
        if let Some(rest) = lower.strip_prefix(scope) {
            return Some(rest.to_string());
        }
    }
    (!lower.contains(':')).then_some(lower)
}

/// The name of a command or function, lower-case.
pub(super) fn command_name<'t>(cmd: Node<'t>, src: &'t str) -> Option<String> {
    let n = cmd.child_by_field_name("command_name")?;
    Some(text(n, src).to_ascii_lowercase())
}

/// The name a function is declared with, lower-case.
pub(super) fn function_name(f: Node<'_>, src: &str) -> Option<String> {
    let mut cursor = f.walk();
    let n = f
        .named_children(&mut cursor)
        .find(|c| c.kind() == "function_name")?;
    Some(text(n, src).to_ascii_lowercase())
}

/// The parameters of a function (`function F($a, $b = 1)` or a `param(…)` block): names,
/// lower-case, and defaults.
pub(super) fn parameters<'t>(f: Node<'t>, src: &str) -> Vec<(String, Option<Node<'t>>)> {
    let mut out = Vec::new();
    let mut stack = vec![f];
    while let Some(n) = stack.pop() {
        if n.kind() == "script_parameter" {
            let mut cursor = n.walk();
            let kids: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
            if let Some(name) = kids
                .iter()
                .find(|k| k.kind() == "variable")
                .and_then(|v| var_name(text(*v, src)))
            {
                let default = kids
                    .iter()
                    .find(|k| k.kind() == "script_parameter_default")
                    .and_then(|d| d.named_child(0));
                out.push((name, default));
            }
            continue;
        }
        if n.id() != f.id() && n.kind() == "function_statement" {
            continue;
        }
        let mut cursor = n.walk();
        let kids: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
        stack.extend(kids.into_iter().rev());
    }
    out
}

/// The HTTP cmdlets and their aliases.
pub(super) fn is_send(name: &str) -> bool {
    matches!(
        name,
        "invoke-restmethod" | "invoke-webrequest" | "irm" | "iwr"
    )
}

impl<'t> Index<'t> {
    pub(super) fn build(root: Node<'t>, src: &'t str) -> Index<'t> {
        let mut ix = Index {
            names: Names::default(),
            sends: Vec::new(),
        };
        walk(root, None, |n, func: Option<Node<'t>>| {
            match n.kind() {
                "function_statement" => {
                    if let Some(name) = function_name(n, src) {
                        ix.names.funcs.entry(name).or_default().push(n);
                    }
                    ix.names.func_parent.insert(n.id(), func);
                    return Some(n);
                }
                "assignment_expression" => ix.assignment(n, func, src),
                "invokation_expression" => ix.method_call(n, func, src),
                "command" => {
                    if let Some(name) = command_name(n, src) {
                        let site = Site { node: n, func };
                        if is_send(&name) {
                            ix.sends.push(site);
                        }
                        ix.names.call(&name, site);
                    }
                }
                _ => {}
            }
            func
        });
        ix
    }

    fn assignment(&mut self, n: Node<'t>, func: Option<Node<'t>>, src: &str) {
        let (Some(left), Some(value)) = (n.named_child(0), n.child_by_field_name("value")) else {
            return;
        };
        let op = n.named_child(1).map(|o| text(o, src).trim()).unwrap_or("=");
        let target = unwrap(left);
        let scope = scope_of(func);
        match target.kind() {
            "variable" => {
                let Some(name) = var_name(text(target, src)) else {
                    return;
                };
                let append = op == "+=";
                if op != "=" && !append {
                    return;
                }
                let ev = Event {
                    pos: n.end_byte(),
                    kind: Bind { value, append },
                    func,
                };
                self.names.bind(scope, &name, ev);
            }
            "member_access" | "element_access" => {
                if let Some(name) = target
                    .named_child(0)
                    .map(unwrap)
                    .filter(|v| v.kind() == "variable")
                    .and_then(|v| var_name(text(v, src)))
                {
                    let ev = Event {
                        pos: n.end_byte(),
                        kind: Change { node: n },
                        func,
                    };
                    self.names.mutate(scope, &name, ev);
                }
            }
            _ => {}
        }
    }

    fn method_call(&mut self, n: Node<'t>, func: Option<Node<'t>>, src: &str) {
        let Some(target) = n.named_child(0).map(unwrap) else {
            return;
        };
        let method = member_of(n, src).unwrap_or_default().to_ascii_lowercase();
        if target.kind() != "variable" || !matches!(method.as_str(), "add" | "remove" | "set_item")
        {
            return;
        }
        if let Some(name) = var_name(text(target, src)) {
            let ev = Event {
                pos: n.end_byte(),
                kind: Change { node: n },
                func,
            };
            self.names.mutate(scope_of(func), &name, ev);
        }
    }
}

/// The member an access or invocation names (`ASCII`, `GetBytes`).
pub(super) fn member_of<'t>(n: Node<'_>, src: &'t str) -> Option<&'t str> {
    let mut cursor = n.walk();
    let m = n
        .named_children(&mut cursor)
        .find(|c| c.kind() == "member_name")?;
    Some(text(m, src))
}
