//! `--from-java`: the token request a Java program sends with `java.net.http.HttpClient`,
//! OkHttp or the official SDK (`ApiClient.Builder.standard()…authorizeClientCredentials`).
//!
//! Plan: the program is parsed with tree-sitter-java and run by the shared statement-order
//! interpreter ([`crate::import::script::interp`]): the class fields and static
//! initialisers first, then `main` (or, without one, each method in turn). This module holds
//! only the grammar mapping (which node is a declaration, an assignment, a call, a string)
//! here, and the library model in [`lib`]: how `HttpRequest.newBuilder()`, OkHttp's
//! `Request.Builder`/`FormBody.Builder`/`RequestBody.create`/`Credentials.basic`,
//! `Base64.getEncoder().encodeToString(….getBytes(…))`, `System.getenv`, `String.format` and
//! `URLEncoder.encode` build the request, and how the SDK derives its login host (split at
//! the first dot, facts §10.2; default `https://api.mypurecloud.com`). The corrected request
//! is written in Java by [`snippet`].

use super::ImportError;
use super::script::grammar::Grammar;
use super::script::interp::{
    Flow, Interp, Lang, Script, Val, c_string, concat, import, pair, plus,
};
use super::script::{Env, line_of};
use super::sniff::{Sniff, Sniffed, two_or_more};
use crate::request::{ImportedRequest, InputKind};
use tree_sitter::Node;

mod lib;
pub(crate) mod snippet;

const SCRIPT: Script = Script {
    grammar: Grammar::plain(
        "Java",
        || tree_sitter_java::LANGUAGE.into(),
        "an unclosed brace, parenthesis or quote?",
    ),
    kind: InputKind::Java,
    sdk: lib::SDK,
    none: "no token request found: no HttpRequest.newBuilder() / OkHttp Request.Builder() request to a URL ending in /oauth/token, and no SDK apiClient.authorizeClientCredentials(…)",
};

/// Imports the token request of a Java program.
pub(crate) fn parse(text: &str, source: &str, env: Env) -> Result<ImportedRequest, ImportError> {
    import(text, source, env, &Java, &SCRIPT)
}

/// Records the methods of every class and runs its field declarations and static
/// initialisers, in source order.
fn classes<'t>(it: &mut Interp<'t, '_>, n: Node<'t>, methods: &mut Vec<Node<'t>>) {
    let mut cursor = n.walk();
    let children: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
    for c in children {
        match c.kind() {
            "method_declaration" => {
                if let Some(name) = c.child_by_field_name("name") {
                    let name = it.text(name).to_string();
                    it.funcs.entry(name).or_insert(c);
                    methods.push(c);
                }
            }
            "field_declaration" => {
                Java.exec(it, c);
            }
            "static_initializer" => {
                if let Some(b) = c.named_child(0) {
                    it.branch(&Java, b);
                }
            }
            "class_declaration"
            | "class_body"
            | "enum_declaration"
            | "record_declaration"
            | "interface_declaration"
            | "interface_body"
            | "enum_body" => {
                let body = c.child_by_field_name("body").unwrap_or(c);
                if body.id() == c.id() {
                    classes(it, c, methods);
                } else {
                    classes(it, body, methods);
                }
            }
            _ => {}
        }
    }
}

/// The grammar mapping of Java.
struct Java;

impl<'t> Lang<'t> for Java {
    fn exec(&self, it: &mut Interp<'t, '_>, n: Node<'t>) -> Flow {
        match n.kind() {
            "local_variable_declaration" | "field_declaration" => {
                let mut cursor = n.walk();
                let decls: Vec<Node<'t>> = n
                    .children_by_field_name("declarator", &mut cursor)
                    .collect();
                for d in decls {
                    let Some(name) = d.child_by_field_name("name") else {
                        continue;
                    };
                    let v = match d.child_by_field_name("value") {
                        Some(v) => self.eval(it, v),
                        None => Val::Null,
                    };
                    let name = it.text(name).to_string();
                    it.declare(&name, v);
                }
                Flow::Next
            }
            "expression_statement" => {
                if let Some(e) = n.named_child(0) {
                    self.eval(it, e);
                }
                Flow::Next
            }
            "return_statement" => Flow::Return(match n.named_child(0) {
                Some(e) => self.eval(it, e),
                None => Val::Null,
            }),
            "block" | "constructor_body" => it.block(self, n),
            "try_statement" | "try_with_resources_statement" => {
                if let Some(res) = n.child_by_field_name("resources") {
                    resources(self, it, res);
                }
                match n.child_by_field_name("body") {
                    Some(b) => it.block(self, b),
                    None => Flow::Next,
                }
            }
            "if_statement" => match n.child_by_field_name("consequence") {
                Some(c) => it.branch(self, c),
                None => Flow::Next,
            },
            "for_statement"
            | "enhanced_for_statement"
            | "while_statement"
            | "do_statement"
            | "synchronized_statement"
            | "labeled_statement" => it.loop_body(self, n),
            _ => Flow::Next,
        }
    }

    fn eval(&self, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val {
        match n.kind() {
            "string_literal" => c_string(n, it.src),
            "binary_expression" => plus(self, it, n),
            "identifier" => {
                let name = it.text(n);
                match it.get(name) {
                    Some(v) => v,
                    None if name.starts_with(|c: char| c.is_ascii_uppercase()) => {
                        Val::Path(name.to_string())
                    }
                    None => it.unknown(n),
                }
            }
            "field_access" | "scoped_identifier" => lib::member(self, it, n),
            "method_invocation" => lib::invoke(self, it, n),
            "object_creation_expression" => lib::create(self, it, n),
            "parenthesized_expression" | "cast_expression" => {
                match n
                    .child_by_field_name("value")
                    .or_else(|| n.named_child(n.named_child_count().saturating_sub(1) as u32))
                {
                    Some(c) => self.eval(it, c),
                    None => it.unknown(n),
                }
            }
            "decimal_integer_literal" | "true" | "false" => Val::Scalar(it.text(n).to_string()),
            "null_literal" => Val::Null,
            "assignment_expression" => assign(self, it, n),
            _ => it.unknown(n),
        }
    }

    fn top(&self, it: &mut Interp<'t, '_>, root: Node<'t>, funcs: &mut Vec<Node<'t>>) {
        classes(it, root, funcs);
    }
}

/// `x = e` and `x += e`: the new value of a variable (or a field, by its name).
fn assign<'t>(lang: &Java, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val {
    let Some((l, r)) = pair(n, "left", "right") else {
        return it.unknown(n);
    };
    let name = match l.kind() {
        "field_access" => l.child_by_field_name("field").map(|f| it.text(f)),
        "identifier" => Some(it.text(l)),
        _ => None,
    };
    let mut v = lang.eval(it, r);
    let op = n.child_by_field_name("operator").map(|o| it.text(o));
    if let Some(name) = name {
        if op == Some("+=") {
            let old = it
                .get(name)
                .unwrap_or(Val::Unknown(name.to_string(), line_of(n)));
            v = concat(&old, &v, name, it.text(r), line_of(n));
        }
        it.set(name, v.clone());
    }
    v
}

/// `try (var x = …)`: the resources, declared for the block.
fn resources<'t>(lang: &Java, it: &mut Interp<'t, '_>, spec: Node<'t>) {
    let mut cursor = spec.walk();
    let list: Vec<Node<'t>> = spec.named_children(&mut cursor).collect();
    for r in list {
        if let (Some(name), Some(v)) = (
            r.child_by_field_name("name"),
            r.child_by_field_name("value"),
        ) {
            let v = lang.eval(it, v);
            let name = it.text(name).to_string();
            it.declare(&name, v);
        }
    }
}

/// Content sniffing: markers of a Java program.
pub(crate) fn sniff(s: &Sniffed) -> Sniff {
    const MARKERS: [&str; 9] = [
        "public class ",
        "public static void main",
        "import java.",
        "System.getenv(",
        "HttpRequest.newBuilder",
        "new Request.Builder()",
        "import okhttp3",
        "import com.mypurecloud",
        "String ",
    ];
    two_or_more(s.text, &MARKERS)
}
