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
use super::script::grammar::Grammar;
use super::script::interp::{Flow, Interp, Lang, Obj, Script, Val, c_string, concat, import, plus};
use super::script::{Env, line_of, short};
use super::sniff::{Sniff, Sniffed, two_or_more};
use crate::request::{ImportedRequest, InputKind};
use tree_sitter::Node;

mod lib;
pub(crate) mod snippet;

/// What Go reads as, and what the importer says when a program sends no token request.
const SCRIPT: Script = Script {
    none: "no token request found: no http.NewRequest / http.PostForm / http.Post to a URL ending in /oauth/token, and no SDK config.AuthorizeClientCredentials(…)",
    sdk: lib::SDK,
    kind: InputKind::Go,
    grammar: Grammar::plain("Go", || tree_sitter_go::LANGUAGE.into(), GO_UNCLOSED),
};

/// What an unparsable stretch of Go usually is.
const GO_UNCLOSED: &str = "a missing or extra brace, parenthesis or quote?";

/// Imports the token request of a Go program.
pub(crate) fn parse(text: &str, source: &str, env: Env) -> Result<ImportedRequest, ImportError> {
    import(text, source, env, &GoLang, &SCRIPT)
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
            "for_statement" | "labeled_statement" => it.loop_body(self, n),
            _ => Flow::Next,
        }
    }

    fn eval(&self, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val {
        match n.kind() {
            "interpreted_string_literal" | "raw_string_literal" => c_string(n, it.src),
            "binary_expression" => plus(self, it, n),
            // An unbound name is a package (`http`, `url`) or something outside the program.
            "identifier" => it
                .get(it.text(n))
                .unwrap_or_else(|| Val::Path(it.text(n).to_string())),
            "selector_expression" => lib::selector(self, it, n),
            "call_expression" => lib::call(self, it, n),
            "type_conversion_expression" => match n.child_by_field_name("operand") {
                Some(o) => self.eval(it, o),
                None => it.unknown(n),
            },
            "composite_literal" => lib::composite(self, it, n),
            "unary_expression" | "parenthesized_expression" => {
                match n
                    .child_by_field_name("operand")
                    .or_else(|| n.named_child(0))
                {
                    Some(o) if it.text(n).starts_with(['&', '(']) => self.eval(it, o),
                    _ => it.unknown(n),
                }
            }
            "int_literal" | "float_literal" | "true" | "false" => {
                Val::Scalar(it.text(n).to_string())
            }
            "nil" => Val::Null,
            _ => it.unknown(n),
        }
    }

    /// Package-level functions (recorded) and `var`/`const` declarations (run), in order.
    fn top(&self, it: &mut Interp<'t, '_>, root: Node<'t>, funcs: &mut Vec<Node<'t>>) {
        let mut cursor = root.walk();
        let top: Vec<Node<'t>> = root.named_children(&mut cursor).collect();
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
                    self.exec(it, n);
                }
                _ => {}
            }
        }
    }
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
    two_or_more(s.text, &MARKERS)
}
