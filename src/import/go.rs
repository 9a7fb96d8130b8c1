//! `--from-go`: the token request a Go program sends with `net/http` or the official SDK
//! (`platformclientv2.GetDefaultConfiguration()…AuthorizeClientCredentials`).
//!
//! Plan: the program is parsed with tree-sitter-go and run by the shared statement-order
//! interpreter ([`crate::import::script::interp`]): package-level `var`/`const` first, then
//! `main` (or, without one, each function in turn). This module holds the grammar mapping;
//! [`lib`] the library model: `url.Values{…}` / `Set` / `Add` / `Encode()` (keys sorted, as
//! Go does), `strings.NewReader`, `http.NewRequest` (no Content-Type unless the program sets
//! one: Go sends none), `req.Header.Set/Add`, `req.SetBasicAuth`, `http.PostForm` and
//! `http.Post`, `base64.StdEncoding.EncodeToString([]byte(…))`, `os.Getenv`, `fmt.Sprintf`,
//! `url.QueryEscape`, `json.Marshal`, and the SDK (`config.BasePath`, default
//! `https://api.mypurecloud.com`, login host by `//api.` → `//login.`, facts §10.2). The
//! corrected request is written in Go by [`snippet`].

use super::ImportError;
use super::script::grammar::{self, Grammar, no_hint};
use super::script::interp::{Flow, Interp, Lang, Obj, Val, c_string, concat};
use super::script::{Env, line_of, short, text};
use super::sniff::{Sniff, Sniffed, markers};
use crate::request::{ImportedRequest, InputKind};
use tree_sitter::Node;

mod lib;
pub(crate) mod snippet;

const GRAMMAR: Grammar = Grammar {
    name: "Go",
    language: || tree_sitter_go::LANGUAGE.into(),
    unclosed: "an unclosed brace, parenthesis or quote?",
    hint: no_hint,
};

/// Imports the token request of a Go program.
pub(crate) fn parse(text: &str, source: &str, env: Env) -> Result<ImportedRequest, ImportError> {
    let tree = grammar::parse_tree(text, source, &GRAMMAR)?;
    let mut it = Interp::new(text, env);
    let root = tree.root_node();
    let mut funcs = Vec::new();
    let mut cursor = root.walk();
    let top: Vec<Node<'_>> = root.named_children(&mut cursor).collect();
    for n in top {
        match n.kind() {
            "function_declaration" | "method_declaration" => {
                if let Some(name) = n.child_by_field_name("name") {
                    let name = it.text(name).to_string();
                    it.funcs.entry(name).or_insert(n);
                    funcs.push(n);
                }
            }
            "var_declaration" | "const_declaration" => {
                GoLang.exec(&mut it, n);
            }
            _ => {}
        }
    }
    it.run(&GoLang, &funcs);
    it.outcome(
        InputKind::Go,
        source,
        lib::sdk_login,
        "no token request found: no http.NewRequest / http.PostForm / http.Post to a URL ending in /oauth/token, and no SDK config.AuthorizeClientCredentials(…)",
    )
}

/// The grammar mapping of Go.
pub(super) struct GoLang;

impl<'t> Lang<'t> for GoLang {
    fn exec(&self, it: &mut Interp<'t, '_>, n: Node<'t>) -> Flow {
        match n.kind() {
            "var_declaration" | "const_declaration" | "var_spec_list" | "const_spec_list" => {
                let mut cursor = n.walk();
                let specs: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
                for s in specs {
                    self.exec(it, s);
                }
                Flow::Next
            }
            "var_spec" | "const_spec" => {
                let mut cursor = n.walk();
                let names: Vec<Node<'t>> = n.children_by_field_name("name", &mut cursor).collect();
                let values = n.child_by_field_name("value");
                bind(self, it, &names, values, "=");
                Flow::Next
            }
            "short_var_declaration" | "assignment_statement" => {
                let (Some(l), r) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    return Flow::Next;
                };
                let mut cursor = l.walk();
                let targets: Vec<Node<'t>> = l.named_children(&mut cursor).collect();
                let op = n
                    .child_by_field_name("operator")
                    .map(|o| it.text(o))
                    .unwrap_or("=");
                bind(self, it, &targets, r, op);
                Flow::Next
            }
            "expression_statement" | "defer_statement" | "go_statement" => {
                if let Some(e) = n.named_child(0) {
                    self.eval(it, e);
                }
                Flow::Next
            }
            "return_statement" => {
                Flow::Return(match n.named_child(0).and_then(|l| l.named_child(0)) {
                    Some(e) => self.eval(it, e),
                    None => Val::Null,
                })
            }
            "block" | "statement_list" => it.block(self, n),
            "if_statement" => {
                if let Some(init) = n.child_by_field_name("initializer") {
                    self.exec(it, init);
                }
                match n.child_by_field_name("consequence") {
                    Some(c) => it.branch(self, c),
                    None => Flow::Next,
                }
            }
            "for_statement" | "labeled_statement" => {
                match n.child_by_field_name("body").or_else(|| n.named_child(1)) {
                    Some(b) => it.branch(self, b),
                    None => Flow::Next,
                }
            }
            _ => Flow::Next,
        }
    }

    fn eval(&self, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val {
        match n.kind() {
            "interpreted_string_literal" | "raw_string_literal" => c_string(n, it.src),
            "binary_expression" => {
                let (Some(l), Some(r)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    return unknown(it, n);
                };
                if n.child_by_field_name("operator").map(|o| it.text(o)) != Some("+") {
                    return unknown(it, n);
                }
                let (a, b) = (self.eval(it, l), self.eval(it, r));
                concat(&a, &b, it.text(l), it.text(r), line_of(n))
            }
            // An unbound name is a package (`http`, `url`) or something outside the program.
            "identifier" => it
                .get(it.text(n))
                .unwrap_or_else(|| Val::Path(it.text(n).to_string())),
            "selector_expression" => lib::selector(self, it, n),
            "call_expression" => lib::call(self, it, n),
            "type_conversion_expression" => match n.child_by_field_name("operand") {
                Some(o) => self.eval(it, o),
                None => unknown(it, n),
            },
            "composite_literal" => lib::composite(self, it, n),
            "unary_expression" | "parenthesized_expression" => {
                match n
                    .child_by_field_name("operand")
                    .or_else(|| n.named_child(0))
                {
                    Some(o) if it.text(n).starts_with(['&', '(']) => self.eval(it, o),
                    _ => unknown(it, n),
                }
            }
            "int_literal" | "float_literal" | "true" | "false" => {
                Val::Scalar(it.text(n).to_string())
            }
            "nil" => Val::Null,
            _ => unknown(it, n),
        }
    }

    fn signature(&self, f: Node<'t>, src: &'t str) -> (Vec<&'t str>, Option<Node<'t>>) {
        let mut names = Vec::new();
        if let Some(ps) = f.child_by_field_name("parameters") {
            let mut cursor = ps.walk();
            for p in ps.named_children(&mut cursor) {
                let mut c2 = p.walk();
                for name in p.children_by_field_name("name", &mut c2) {
                    names.push(text(name, src));
                }
            }
        }
        (names, f.child_by_field_name("body"))
    }
}

pub(super) fn unknown(it: &Interp<'_, '_>, n: Node<'_>) -> Val {
    Val::Unknown(short(it.text(n)), line_of(n))
}

/// `a, b := x, y`, `a, err := f()`, `a += b`, `config.BasePath = …`: each target its value
/// (a single call on the right gives its value to the first target only).
fn bind<'t>(
    lang: &GoLang,
    it: &mut Interp<'t, '_>,
    targets: &[Node<'t>],
    values: Option<Node<'t>>,
    op: &str,
) {
    let vals: Vec<Node<'t>> = match values {
        Some(v) => {
            let mut cursor = v.walk();
            v.named_children(&mut cursor).collect()
        }
        None => Vec::new(),
    };
    for (i, t) in targets.iter().enumerate() {
        let line = line_of(*t);
        let mut v = match vals.get(i) {
            Some(e) => lang.eval(it, *e),
            None if vals.is_empty() => Val::Null,
            None => Val::Unknown(short(it.text(*t)), line),
        };
        let name = it.text(*t);
        if op == "+=" {
            let old = it.get(name).unwrap_or(Val::Unknown(name.to_string(), line));
            v = concat(
                &old,
                &v,
                name,
                vals.get(i).map(|e| it.text(*e)).unwrap_or(""),
                line,
            );
        }
        match t.kind() {
            "identifier" if name != "_" => it.set(name, v),
            "selector_expression" => {
                let field = t.child_by_field_name("field").map(|f| it.text(f));
                let operand = t.child_by_field_name("operand");
                if let (Some("BasePath"), Some(o)) = (field, operand)
                    && let Val::Obj(obj) = lang.eval(it, o)
                    && let Obj::Sdk(base) = &mut *obj.borrow_mut()
                {
                    let expr = vals.get(i).map(|e| short(it.text(*e))).unwrap_or_default();
                    *base = Some((v, line, expr));
                }
            }
            _ => {}
        }
    }
}

/// Content sniffing: markers of a Go program.
pub(crate) fn sniff(s: &Sniffed) -> Sniff {
    const MARKERS: [&str; 8] = [
        "package main",
        "func main()",
        "import (",
        ":= ",
        "net/http",
        "os.Getenv(",
        "fmt.",
        "platformclientv2",
    ];
    match markers(s.text, &MARKERS) {
        0 | 1 => Sniff::No,
        n => Sniff::Markers(n),
    }
}
