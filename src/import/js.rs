//! `--from-js`: the token request a Node.js script sends with the official SDK
//! (`purecloud-platform-client-v2`), axios or fetch.
//!
//! Built the way the Python importer is, for the same reasons: the script is parsed once with
//! tree-sitter (template literals, comments and regex literals defeat any pattern matching)
//! and indexed in one walk: bindings per function scope (`const`, `let`, `var`, assignments,
//! destructuring such as `const { ID, SECRET } = process.env`), mutations of objects and
//! `URLSearchParams` (`headers.Authorization = …`, `params.append(…)`), functions and call
//! sites. The sending call is then evaluated symbolically, by each library's own rules:
//!
//! * the SDK's `loginClientCredentialsGrant(id, secret)` posts `grant_type=client_credentials`
//!   to `https://login.<environment>/oauth/token` with `Basic base64(id:secret)`; the
//!   environment is the last `setEnvironment(…)` before it, normalised as the SDK does (a
//!   trailing `/`, `https://` and a leading `api.` are stripped), or `mypurecloud.com`;
//! * axios sends a string as is, a `URLSearchParams` form-encoded, an object as JSON (or
//!   form-encoded when the content type says so), sets `application/x-www-form-urlencoded` on
//!   a POST that has no content type, and lets `auth` replace any Authorization header;
//! * fetch defaults to GET, sends a string as `text/plain;charset=UTF-8` unless told
//!   otherwise, a `URLSearchParams` as a form, and an object as `[object Object]`.
//!
//! Names are followed through bindings in the enclosing functions and the module (the last
//! one before the use wins), through parameters to the first call site, and through
//! functions with a single `return`. `process.env.X` takes its value from the caller's
//! `env`. What cannot be worked out offline stays in the request as a visible `{expr}`
//! marker and is reported with its line as unresolved: gcdoctor never guesses a value.

use super::{
    Ctx, Draft, DraftBasic, DraftHeader, DraftParam, EnvState, Frame, ImportError, LineIndex, Src,
    Traced, WHAT_BODY, WHAT_HEADERS, WHAT_METHOD, WHAT_URL, basic_header, finish, first_error,
    percent_encode_strict, sdk_token_draft, what_header,
};
use crate::request::{FORM, ImportedRequest, InputKind, SdkHost, SdkKind, SdkSetting, Unresolved};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::collections::HashMap;
use std::rc::Rc;
use tree_sitter::{Node, Parser, Tree};

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The SDK's npm package.
const SDK: &str = "purecloud-platform-client-v2";
/// The SDK's client-credentials method.
const SDK_LOGIN: &str = "loginClientCredentialsGrant";
/// The environment the SDK uses when `setEnvironment` is never called.
const SDK_DEFAULT_ENV: &str = "mypurecloud.com";

/// Imports the token request of a JavaScript (Node.js) script.
pub(crate) fn parse(text: &str, source: &str, env: Env) -> Result<ImportedRequest, ImportError> {
    let tree = parse_tree(text, source)?;
    let lines = LineIndex::new(text);
    let index = Index::build(tree.root_node(), text);
    let mut r = Resolver {
        src: text,
        lines: &lines,
        index: &index,
        env,
        depth: 0,
        memo: HashMap::new(),
    };
    let calls = r.http_calls();
    let token_call = calls.iter().position(|c| is_token_url(&r.url_of(c).text));
    if token_call.is_none()
        && let Some((draft, setting)) = r.sdk_login()
    {
        let mut imp = finish(draft, InputKind::Js, source);
        imp.sdk = Some(setting);
        return Ok(imp);
    }
    let chosen = token_call
        .or_else(|| {
            calls
                .iter()
                .position(|c| r.method_of(c).0.eq_ignore_ascii_case("POST"))
        })
        .ok_or_else(|| {
            ImportError::new(
                source,
                "no token request found: no axios or fetch call to a URL ending in /oauth/token, and no purecloud-platform-client-v2 loginClientCredentialsGrant(...)",
            )
        })?;
    let mut draft = r.draft(&calls[chosen]);
    let token_lines: Vec<usize> = calls
        .iter()
        .filter(|c| is_token_url(&r.url_of(c).text))
        .map(|c| c.node.start_position().row + 1)
        .collect();
    if token_lines.len() > 1 {
        let list: Vec<String> = token_lines.iter().map(usize::to_string).collect();
        draft.notes.push(format!(
            "the script has {} token requests (lines {}); the one at line {} is read",
            token_lines.len(),
            list.join(", "),
            token_lines[0]
        ));
    }
    Ok(finish(draft, InputKind::Js, source))
}

fn is_token_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').ends_with("/oauth/token")
}

fn parse_tree(text: &str, source: &str) -> Result<Tree, ImportError> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_javascript::LANGUAGE.into())
        .map_err(|e| {
            ImportError::new(source, format!("internal error: JavaScript grammar: {e}"))
        })?;
    let tree = parser
        .parse(text, None)
        .ok_or_else(|| ImportError::new(source, "the JavaScript parser gave up on this input"))?;
    let root = tree.root_node();
    if root.has_error()
        && let Some(bad) = first_error(root)
    {
        let lines = LineIndex::new(text);
        let (line, col) = lines.line_col(text, bad.start_byte());
        let mut msg = if bad.is_missing() {
            format!("JavaScript syntax error: missing `{}`", bad.kind())
        } else {
            let snippet: String = text
                .get(bad.start_byte()..bad.end_byte())
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(40)
                .collect();
            if snippet.trim().is_empty() {
                "JavaScript syntax error: the code cannot be parsed here".to_string()
            } else {
                format!(
                    "JavaScript syntax error: the code from here on cannot be parsed (an unclosed bracket, quote or backtick?): `{}`",
                    snippet.trim()
                )
            }
        };
        if source.to_ascii_lowercase().ends_with(".ts") {
            msg.push_str(
                " (TypeScript type annotations are not understood: give the compiled JavaScript, e.g. from `npx tsc`, or the request as curl)",
            );
        }
        return Err(ImportError::new(source, msg).at(line, Some(col)));
    }
    Ok(tree)
}

fn text<'s>(n: Node<'_>, src: &'s str) -> &'s str {
    src.get(n.start_byte()..n.end_byte()).unwrap_or("")
}

fn line_of(n: Node<'_>) -> Option<usize> {
    Some(n.start_position().row + 1)
}

// ---------------------------------------------------------------------------------------
// The index: one walk over the tree.

/// A scope: 0 = module, else the function's start byte + 1.
type Scope = usize;

fn scope_of(func: Option<Node<'_>>) -> Scope {
    func.map(|f| f.start_byte() + 1).unwrap_or(0)
}

fn is_function(kind: &str) -> bool {
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
enum BindKind<'t> {
    /// `name = expr`
    Expr(Node<'t>),
    /// `{ key: name = default } = expr`: property `key` of the value.
    Prop(Node<'t>, &'t str, Option<Node<'t>>),
    /// `[a, b] = expr`: element `n` of the value.
    Elem(Node<'t>, usize),
    /// `name += expr`
    Aug(Node<'t>),
}

#[derive(Clone, Copy, Debug)]
struct Bind<'t> {
    pos: usize,
    kind: BindKind<'t>,
    func: Option<Node<'t>>,
}

/// A change to the object or `URLSearchParams` a name holds.
#[derive(Clone, Copy, Debug)]
enum MutKind<'t> {
    /// `name.key = value` / `name["key"] = value`
    Set(Node<'t>, Node<'t>),
    /// `name.append(key, value)` / `name.set(key, value)`
    Append(Node<'t>, Node<'t>),
}

#[derive(Clone, Copy, Debug)]
struct Mutation<'t> {
    pos: usize,
    kind: MutKind<'t>,
    func: Option<Node<'t>>,
}

/// A call and the function it is in.
#[derive(Clone, Copy, Debug)]
struct Site<'t> {
    node: Node<'t>,
    func: Option<Node<'t>>,
}

#[derive(Default)]
struct Index<'t> {
    binds: HashMap<(Scope, String), Vec<Bind<'t>>>,
    muts: HashMap<(Scope, String), Vec<Mutation<'t>>>,
    funcs: HashMap<String, Vec<Node<'t>>>,
    func_parent: HashMap<usize, Option<Node<'t>>>,
    calls_by_name: HashMap<String, Vec<Site<'t>>>,
    /// Calls that may send a request (`fetch`, `axios`, `….post`, …).
    http_calls: Vec<Site<'t>>,
    /// `….loginClientCredentialsGrant(…)`.
    sdk_logins: Vec<Site<'t>>,
    /// `….setEnvironment(…)`.
    sdk_envs: Vec<Site<'t>>,
    /// ES module imports: local name → module path (`axios`, `purecloud-platform-client-v2.ApiClient`).
    imports: HashMap<String, String>,
}

const HTTP_NAMES: [&str; 9] = [
    "fetch", "axios", "post", "put", "patch", "get", "request", "delete", "head",
];

impl<'t> Index<'t> {
    fn build(root: Node<'t>, src: &'t str) -> Index<'t> {
        let mut ix = Index::default();
        let mut ctx: Vec<Option<Node<'t>>> = vec![None];
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            let func = ctx.last().copied().flatten();
            let inner = if node.is_named() {
                ix.visit(node, func, src)
            } else {
                func
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
                    return ix;
                }
                ctx.pop();
            }
        }
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
                    self.muts
                        .entry((scope, text(o, src).to_string()))
                        .or_default()
                        .push(Mutation {
                            pos,
                            kind: MutKind::Set(k, right),
                            func,
                        });
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
        self.binds
            .entry((scope, text(target, src).to_string()))
            .or_default()
            .push(Bind { pos, kind, func });
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
        self.calls_by_name
            .entry(last.to_string())
            .or_default()
            .push(site);
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
                    self.muts
                        .entry((scope, text(o, src).to_string()))
                        .or_default()
                        .push(Mutation {
                            pos: node.start_byte(),
                            kind: MutKind::Append(k, v),
                            func,
                        });
                }
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// Values.

#[derive(Clone, Debug)]
struct Entry {
    key: Traced,
    value: Val,
    line: Option<usize>,
}

/// `axios.create({...})`: what the instance adds to every request.
#[derive(Clone, Debug, Default)]
struct AxiosDefaults {
    base_url: Option<Val>,
    headers: Option<Val>,
    auth: Option<(Val, Option<usize>)>,
}

/// A JavaScript value, as far as it can be known offline.
#[derive(Clone, Debug)]
enum Val {
    Str(Traced),
    /// An object literal (or `new Headers({...})`), with its line.
    Obj(Vec<Entry>, Option<usize>),
    Arr(Vec<Val>),
    /// A number or boolean, as `String()` prints it.
    Scalar(String),
    /// `null` or `undefined`.
    Null,
    /// `new URLSearchParams(...)`: its pairs, in order.
    Form(Vec<(Traced, Traced, Option<usize>)>, Option<usize>),
    /// `Buffer.from(x)`.
    Buffer(Traced),
    /// A module, global or function reached by name (`axios`, `process.env`, `Buffer.from`).
    Module(String),
    /// The SDK's `ApiClient` (a singleton: `ApiClient.instance`).
    Sdk,
    Axios(Box<AxiosDefaults>),
    /// Cannot be known: the expression and its line.
    Unknown(String, Option<usize>),
}

impl Val {
    fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    fn get(&self, key: &str) -> Option<Val> {
        match self {
            Val::Obj(es, _) => es
                .iter()
                .rev()
                .find(|e| e.key.text == key)
                .map(|e| e.value.clone()),
            _ => None,
        }
    }

    fn entry_line(&self, key: &str) -> Option<usize> {
        match self {
            Val::Obj(es, _) => es.iter().rev().find(|e| e.key.text == key)?.line,
            _ => None,
        }
    }
}

/// A module path without the `node:` prefix and a `.default` after the package.
fn module_path(p: &str) -> String {
    let p = p.strip_prefix("node:").unwrap_or(p);
    match p.split_once(".default") {
        Some((head, tail)) if tail.is_empty() || tail.starts_with('.') => format!("{head}{tail}"),
        _ => p.to_string(),
    }
}

/// Globals a script may use without requiring them.
const GLOBALS: [&str; 11] = [
    "process",
    "Buffer",
    "JSON",
    "URLSearchParams",
    "Headers",
    "fetch",
    "btoa",
    "encodeURIComponent",
    "String",
    "require",
    "Object",
];

struct Resolver<'t, 'a> {
    src: &'t str,
    lines: &'a LineIndex,
    index: &'a Index<'t>,
    env: Env<'a>,
    depth: usize,
    memo: HashMap<usize, Val>,
}

const MAX_DEPTH: usize = 48;

/// Arguments of a call, evaluated.
#[derive(Default)]
struct Args {
    list: Vec<(Val, Option<usize>)>,
    /// A spread argument that may hold anything.
    opaque: Option<(String, Option<usize>)>,
}

impl Args {
    fn get(&self, i: usize) -> Option<(Val, Option<usize>)> {
        self.list.get(i).cloned()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lib {
    Axios,
    Fetch,
}

/// A call that sends an HTTP request.
struct HttpCall<'t> {
    node: Node<'t>,
    lib: Lib,
    /// `post`, `get`, … for axios shortcuts; `request` for `axios(config)`; `fetch`.
    verb: String,
    defaults: Option<AxiosDefaults>,
    args: Args,
}

impl<'t> Resolver<'t, '_> {
    fn text(&self, n: Node<'_>) -> &'t str {
        text(n, self.src)
    }

    fn unknown(&self, n: Node<'_>) -> Val {
        Val::Unknown(short(self.text(n)), line_of(n))
    }

    fn ctx_at(&self, site: Site<'t>) -> Ctx<'t> {
        Ctx {
            func: site.func,
            pos: site.node.start_byte(),
            frame: None,
        }
    }

    fn enclosing(&self, f: Node<'t>) -> Option<Node<'t>> {
        self.index.func_parent.get(&f.id()).copied().flatten()
    }

    fn eval(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        if self.depth > MAX_DEPTH {
            return self.unknown(n);
        }
        self.depth += 1;
        let v = self.eval_inner(n, ctx);
        self.depth -= 1;
        // Remember how the code refers to a value: keeps the user's names in suggestions.
        match (n.kind(), v) {
            (
                "identifier" | "member_expression" | "subscript_expression" | "call_expression",
                Val::Str(t),
            ) if self.text(n).len() <= 80 => Val::Str(t.referred_as(self.text(n))),
            (_, v) => v,
        }
    }

    fn eval_inner(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        match n.kind() {
            "string" => self.eval_string(n),
            "template_string" => self.eval_template(n, ctx),
            "number" => Val::Scalar(self.text(n).to_string()),
            "true" | "false" => Val::Scalar(self.text(n).to_string()),
            "null" | "undefined" => Val::Null,
            "parenthesized_expression" | "await_expression" => match n.named_child(0) {
                Some(c) => self.eval(c, ctx),
                None => self.unknown(n),
            },
            "object" => self.eval_object(n, ctx),
            "array" => {
                let mut cursor = n.walk();
                let items: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
                Val::Arr(items.into_iter().map(|c| self.eval(c, ctx)).collect())
            }
            "identifier" => self.eval_name(n, ctx),
            "member_expression" => self.eval_member(n, ctx),
            "subscript_expression" => self.eval_subscript(n, ctx),
            "call_expression" => self.eval_call(n, ctx),
            "new_expression" => self.eval_new(n, ctx),
            "binary_expression" => self.eval_binary(n, ctx),
            _ => self.unknown(n),
        }
    }

    // --- strings ----------------------------------------------------------------------

    fn eval_string(&self, n: Node<'t>) -> Val {
        let raw = self.text(n);
        let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        Val::Str(Traced::literal(decode_escapes(inner), line_of(n)))
    }

    fn eval_template(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
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

    fn push_segment(&self, out: &mut Traced, from: usize, to: usize) {
        if let Some(seg) = self.src.get(from..to)
            && !seg.is_empty()
        {
            out.push_literal(&decode_escapes(seg), Some(self.lines.line(from)));
        }
    }

    /// JavaScript's `String(value)`.
    fn to_str(&self, v: &Val, n: Node<'_>) -> Traced {
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

    fn value_str(&self, v: &Val, line: Option<usize>, expr: &str) -> Traced {
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

    fn eval_name(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let name = self.text(n);
        if let Some(v) = self.lookup(name, n, ctx) {
            return v;
        }
        if GLOBALS.contains(&name) || name == "axios" {
            return Val::Module(name.to_string());
        }
        self.unknown(n)
    }

    fn lookup(&mut self, name: &str, at: Node<'t>, ctx: &Ctx<'t>) -> Option<Val> {
        let mut func = ctx.func;
        while let Some(f) = func {
            if let Some(b) = self.last_bind(scope_of(Some(f)), name, ctx.pos, false) {
                let v = self.eval_bind(name, b, ctx.frame.clone());
                return Some(self.apply_mutations(scope_of(Some(f)), name, v, b.pos, ctx.pos));
            }
            if let Some(v) = self.parameter(f, name, at, ctx) {
                return Some(v);
            }
            func = self.enclosing(f);
        }
        if let Some(v) = self.import_of(name) {
            return Some(v);
        }
        let local_use = ctx.func.is_none();
        let b = self.last_bind(0, name, ctx.pos, !local_use)?;
        let v = self.eval_bind(name, b, None);
        Some(self.apply_mutations(
            0,
            name,
            v,
            b.pos,
            if local_use { ctx.pos } else { usize::MAX },
        ))
    }

    /// An ES module import of `name`.
    fn import_of(&self, name: &str) -> Option<Val> {
        self.index.imports.get(name).map(|p| Val::Module(p.clone()))
    }

    fn last_bind(&self, scope: Scope, name: &str, pos: usize, any: bool) -> Option<Bind<'t>> {
        let list = self.index.binds.get(&(scope, name.to_string()))?;
        let before = list.partition_point(|b| b.pos < pos);
        if before > 0 {
            return Some(list[before - 1]);
        }
        if any { list.last().copied() } else { None }
    }

    fn eval_bind(&mut self, name: &str, b: Bind<'t>, frame: Option<Rc<Frame<'t>>>) -> Val {
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

    fn eval_memo(&mut self, e: Node<'t>, ctx: &Ctx<'t>) -> Val {
        if ctx.frame.is_some() {
            return self.eval(e, ctx);
        }
        if let Some(v) = self.memo.get(&e.id()) {
            return v.clone();
        }
        let v = self.eval(e, ctx);
        self.memo.insert(e.id(), v.clone());
        v
    }

    /// `obj.key = v` and `params.append(k, v)` between the binding and the use.
    fn apply_mutations(&mut self, scope: Scope, name: &str, v: Val, from: usize, to: usize) -> Val {
        let Some(list) = self.index.muts.get(&(scope, name.to_string())) else {
            return v;
        };
        let list: Vec<Mutation<'t>> = list
            .iter()
            .filter(|m| m.pos > from && m.pos < to)
            .copied()
            .collect();
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
    fn key_of(&mut self, k: Node<'t>, ctx: &Ctx<'t>) -> Option<Traced> {
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
    fn parameter(&mut self, f: Node<'t>, name: &str, at: Node<'t>, ctx: &Ctx<'t>) -> Option<Val> {
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
    fn call_site(&self, f: Node<'t>) -> Option<Frame<'t>> {
        let name = self
            .index
            .funcs
            .iter()
            .find(|(_, v)| v.iter().any(|x| x.id() == f.id()))
            .map(|(k, _)| k.as_str())
            .or_else(|| f.child_by_field_name("name").map(|n| self.text(n)))?;
        let calls = self.index.calls_by_name.get(name)?;
        let site = calls.iter().find(|c| {
            !(c.node.start_byte() >= f.start_byte() && c.node.end_byte() <= f.end_byte())
        })?;
        Some(Frame {
            func: f,
            call: site.node,
            caller: self.ctx_at(*site),
        })
    }

    fn argument(&mut self, fr: &Rc<Frame<'t>>, p: Param<'t>) -> Option<Val> {
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

    // --- members, subscripts, operators -------------------------------------------------

    fn eval_member(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let full = self.text(n);
        if let Some(b) = self.last_bind(0, full, ctx.pos, true) {
            return self.eval_bind(full, b, None);
        }
        let (Some(obj), Some(prop)) = (
            n.child_by_field_name("object"),
            n.child_by_field_name("property"),
        ) else {
            return self.unknown(n);
        };
        let key = self.text(prop);
        let base = self.eval(obj, ctx);
        self.property(base, key, n, line_of(n))
    }

    /// `base.key`, whatever `base` is.
    fn property(&mut self, base: Val, key: &str, n: Node<'t>, line: Option<usize>) -> Val {
        match base {
            Val::Module(p) if p == "process.env" => {
                let expr = if self.text(n).starts_with("process.env") {
                    short(self.text(n))
                } else {
                    format!("process.env.{key}")
                };
                self.env_read(key, &expr, line)
            }
            Val::Module(p) => {
                let path = module_path(&format!("{p}.{key}"));
                match path.strip_prefix(SDK).and_then(|r| r.strip_prefix('.')) {
                    Some("ApiClient.instance") => Val::Sdk,
                    Some(rest) => match rest.strip_prefix("PureCloudRegionHosts.") {
                        Some(region) => {
                            match crate::region::REGIONS.iter().find(|r| r.sdk_key == region) {
                                Some(r) => Val::Str(Traced::literal(r.domain, line)),
                                None => Val::Unknown(short(self.text(n)), line),
                            }
                        }
                        None => Val::Module(path),
                    },
                    None => Val::Module(path),
                }
            }
            Val::Obj(..) => base.get(key).unwrap_or(Val::Null),
            _ => Val::Unknown(short(self.text(n)), line_of(n)),
        }
    }

    fn eval_subscript(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(obj), Some(idx)) = (
            n.child_by_field_name("object"),
            n.child_by_field_name("index"),
        ) else {
            return self.unknown(n);
        };
        let base = self.eval(obj, ctx);
        match (base, self.eval(idx, ctx)) {
            (Val::Arr(items), Val::Scalar(i)) => i
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).cloned())
                .unwrap_or_else(|| self.unknown(n)),
            (base @ (Val::Module(_) | Val::Obj(..)), Val::Str(k)) => {
                let key = k.text.clone();
                self.property(base, &key, n, line_of(n))
            }
            _ => self.unknown(n),
        }
    }

    fn eval_binary(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(l), Some(op), Some(r)) = (
            n.child_by_field_name("left"),
            n.child_by_field_name("operator"),
            n.child_by_field_name("right"),
        ) else {
            return self.unknown(n);
        };
        match self.text(op) {
            "+" => {
                let lv = self.eval(l, ctx);
                let rv = self.eval(r, ctx);
                let (lt, rt) = (self.to_str(&lv, l), self.to_str(&rv, r));
                match (&lv, &rv) {
                    (Val::Str(_), _) | (_, Val::Str(_)) => {
                        let mut t = lt;
                        t.push(&rt);
                        Val::Str(t)
                    }
                    _ => self.unknown(n),
                }
            }
            "||" | "??" => {
                let lv = self.eval(l, ctx);
                match lv {
                    Val::Str(t) if is_unset_env(&t) => {
                        let d = self.eval(r, ctx);
                        with_env_default(t, d)
                    }
                    Val::Str(t) if !t.text.is_empty() && t.is_resolved() => Val::Str(t),
                    Val::Null => self.eval(r, ctx),
                    Val::Str(t) if t.text.is_empty() => self.eval(r, ctx),
                    _ => self.unknown(n),
                }
            }
            _ => self.unknown(n),
        }
    }

    fn eval_object(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let mut entries = Vec::new();
        let mut cursor = n.walk();
        let items: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
        for it in items {
            match it.kind() {
                "pair" => {
                    let (Some(k), Some(v)) = (
                        it.child_by_field_name("key"),
                        it.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    let key = match k.kind() {
                        "property_identifier" | "number" => {
                            Some(Traced::literal(self.text(k), line_of(k)))
                        }
                        "string" => match self.eval_string(k) {
                            Val::Str(t) => Some(t),
                            _ => None,
                        },
                        "computed_property_name" => match k.named_child(0) {
                            Some(e) => self.key_of(e, ctx),
                            None => None,
                        },
                        _ => None,
                    };
                    if let Some(key) = key {
                        let value = self.eval(v, ctx);
                        set_entry(&mut entries, key, value, line_of(k));
                    }
                }
                "shorthand_property_identifier" => {
                    let value = self.eval_name(it, ctx);
                    let value = match value {
                        Val::Str(t) => Val::Str(t.referred_as(self.text(it))),
                        other => other,
                    };
                    set_entry(
                        &mut entries,
                        Traced::literal(self.text(it), line_of(it)),
                        value,
                        line_of(it),
                    );
                }
                "spread_element" => {
                    if let Some(inner) = it.named_child(0)
                        && let Val::Obj(more, _) = self.eval(inner, ctx)
                    {
                        for e in more {
                            set_entry(&mut entries, e.key, e.value, e.line);
                        }
                    }
                }
                _ => {}
            }
        }
        Val::Obj(entries, line_of(n))
    }

    // --- calls ------------------------------------------------------------------------

    fn call_args(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Args {
        let mut out = Args::default();
        let Some(args) = n.child_by_field_name("arguments") else {
            return out;
        };
        if args.kind() != "arguments" {
            return out;
        }
        let mut cursor = args.walk();
        let list: Vec<Node<'t>> = args.named_children(&mut cursor).collect();
        for a in list {
            match a.kind() {
                "comment" => {}
                "spread_element" => out.opaque = Some((short(self.text(a)), line_of(a))),
                _ => {
                    let v = self.eval(a, ctx);
                    out.list.push((v, line_of(a)));
                }
            }
        }
        out
    }

    fn eval_call(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some(f) = n.child_by_field_name("function") else {
            return self.unknown(n);
        };
        let args = self.call_args(n, ctx);
        if f.kind() == "member_expression"
            && let (Some(obj), Some(prop)) = (
                f.child_by_field_name("object"),
                f.child_by_field_name("property"),
            )
        {
            let method = self.text(prop);
            let recv = self.eval(obj, ctx);
            return match recv {
                Val::Module(p) => self.builtin(&module_path(&format!("{p}.{method}")), &args, n),
                Val::Str(t) => self.str_method(t, method, &args, n),
                Val::Buffer(t) => match (method, args.get(0)) {
                    ("toString", Some((Val::Str(enc), _))) if enc.text == "base64" => {
                        let encoded = STANDARD.encode(t.text.as_bytes());
                        Val::Str(Traced::base64_of(t.clone(), encoded, t.line()))
                    }
                    ("toString", None) => Val::Str(t),
                    _ => self.unknown(n),
                },
                Val::Form(pairs, line) if method == "toString" => Val::Str(form_text(&pairs, line)),
                _ => self.user_call(method, n, ctx),
            };
        }
        match self.eval(f, ctx) {
            Val::Module(p) => self.builtin(&module_path(&p), &args, n),
            _ if f.kind() == "identifier" => {
                let name = self.text(f);
                self.user_call(name, n, ctx)
            }
            _ => self.unknown(n),
        }
    }

    fn eval_new(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some(c) = n.child_by_field_name("constructor") else {
            return self.unknown(n);
        };
        let args = self.call_args(n, ctx);
        let path = match self.eval(c, ctx) {
            Val::Module(p) => module_path(&p),
            _ => return self.unknown(n),
        };
        match path.as_str() {
            "URLSearchParams" | "url.URLSearchParams" => match args.get(0) {
                None => Val::Form(Vec::new(), line_of(n)),
                Some((v, l)) => match self.form_pairs(&v, l) {
                    Some(pairs) => Val::Form(pairs, line_of(n)),
                    None => self.unknown(n),
                },
            },
            "Headers" => match args.get(0) {
                None => Val::Obj(Vec::new(), line_of(n)),
                Some((v @ Val::Obj(..), _)) => v,
                _ => self.unknown(n),
            },
            p if p == format!("{SDK}.ApiClient") => Val::Sdk,
            _ => self.unknown(n),
        }
    }

    /// The pairs of `new URLSearchParams(x)` for an object, an array of pairs or a string.
    fn form_pairs(
        &self,
        v: &Val,
        line: Option<usize>,
    ) -> Option<Vec<(Traced, Traced, Option<usize>)>> {
        match v {
            Val::Obj(es, _) => Some(
                es.iter()
                    .filter(|e| !e.value.is_null())
                    .map(|e| {
                        (
                            e.key.clone(),
                            self.value_str(&e.value, e.line, &e.key.text),
                            e.line,
                        )
                    })
                    .collect(),
            ),
            Val::Arr(items) => items
                .iter()
                .map(|it| match it {
                    Val::Arr(kv) if kv.len() == 2 => match (&kv[0], &kv[1]) {
                        (Val::Str(k), v) => {
                            Some((k.clone(), self.value_str(v, k.line(), &k.text), k.line()))
                        }
                        _ => None,
                    },
                    _ => None,
                })
                .collect(),
            Val::Str(t) => {
                let s = t.text.trim_start_matches('?');
                let off = t.text.len() - s.len();
                Some(
                    super::form_pairs(s)
                        .into_iter()
                        .map(|(k, r)| {
                            let raw = t.slice(off + r.start..off + r.end);
                            let meant = raw.map(crate::shape::intended_from_raw_form(&raw.text));
                            (
                                Traced::literal(crate::shape::intended_from_raw_form(&k), line),
                                meant,
                                raw.line().or(line),
                            )
                        })
                        .collect(),
                )
            }
            _ => None,
        }
    }

    /// A call of a function of the script with a single obvious `return` (or an arrow
    /// function's expression body).
    fn user_call(&mut self, name: &str, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some(f) = self.index.funcs.get(name).and_then(|v| v.first()).copied() else {
            return self.unknown(n);
        };
        let Some(ret) = single_return(f) else {
            return self.unknown(n);
        };
        let frame = Rc::new(Frame {
            func: f,
            call: n,
            caller: ctx.clone(),
        });
        let c = Ctx {
            func: Some(f),
            pos: ret.start_byte(),
            frame: Some(frame),
        };
        self.eval(ret, &c)
    }

    /// Library and global functions, by dotted path.
    fn builtin(&mut self, path: &str, args: &Args, n: Node<'t>) -> Val {
        let arg = |i: usize| args.get(i).map(|a| a.0);
        match path {
            "require" => match arg(0) {
                Some(Val::Str(m)) => Val::Module(module_path(&m.text)),
                _ => self.unknown(n),
            },
            "Buffer.from" => match arg(0) {
                Some(Val::Str(t)) => Val::Buffer(t),
                Some(Val::Buffer(t)) => Val::Buffer(t),
                _ => self.unknown(n),
            },
            "btoa" => match arg(0) {
                Some(Val::Str(t)) => {
                    let encoded = STANDARD.encode(t.text.as_bytes());
                    Val::Str(Traced::base64_of(t.clone(), encoded, t.line()))
                }
                _ => self.unknown(n),
            },
            "String" => match arg(0) {
                Some(v) => Val::Str(self.to_str(&v, n)),
                None => Val::Str(Traced::literal("", line_of(n))),
            },
            "encodeURIComponent" => match arg(0) {
                Some(Val::Str(t)) => Val::Str(t.map(encode_uri_component(&t.text))),
                _ => self.unknown(n),
            },
            "JSON.stringify" => match arg(0).and_then(|v| to_json(&v)) {
                Some(t) => Val::Str(t),
                None => self.unknown(n),
            },
            "qs.stringify" | "querystring.stringify" => match arg(0) {
                Some(Val::Obj(es, line)) => {
                    let strict = path.starts_with("qs");
                    let mut out = Traced::default();
                    for e in es.iter().filter(|e| !e.value.is_null()) {
                        if !out.is_empty() {
                            out.push_literal("&", e.line);
                        }
                        let v = self.value_str(&e.value, e.line, &e.key.text);
                        let enc = |s: &str| {
                            if strict {
                                percent_encode_strict(s)
                            } else {
                                encode_uri_component(s)
                            }
                        };
                        out.push(&e.key.map(enc(&e.key.text)).default_line(e.line));
                        out.push_literal("=", e.line);
                        out.push(&v.map(enc(&v.text)).default_line(e.line));
                    }
                    if out.is_empty() {
                        out = Traced::literal("", line);
                    }
                    Val::Str(out)
                }
                _ => self.unknown(n),
            },
            "axios.create" => {
                let cfg = arg(0).unwrap_or(Val::Obj(Vec::new(), None));
                Val::Axios(Box::new(AxiosDefaults {
                    base_url: cfg.get("baseURL"),
                    headers: cfg.get("headers"),
                    auth: cfg.get("auth").map(|a| (a, cfg.entry_line("auth"))),
                }))
            }
            _ => self.unknown(n),
        }
    }

    fn str_method(&mut self, t: Traced, method: &str, args: &Args, n: Node<'t>) -> Val {
        let arg_str = |i: usize| match args.get(i) {
            Some((Val::Str(s), _)) => Some(s.text),
            _ => None,
        };
        match method {
            "toString" | "valueOf" => Val::Str(t),
            "trim" | "trimStart" | "trimEnd" => {
                let s = t.text.as_str();
                let start = if method != "trimEnd" {
                    s.len() - s.trim_start().len()
                } else {
                    0
                };
                let end = if method != "trimStart" {
                    s.trim_end().len()
                } else {
                    s.len()
                };
                Val::Str(t.slice(start..end.max(start)))
            }
            "concat" => {
                let mut out = t;
                for (v, _) in &args.list {
                    out.push(&self.to_str(v, n));
                }
                Val::Str(out)
            }
            "replace" | "replaceAll" => match (arg_str(0), arg_str(1)) {
                (Some(a), Some(b)) if !a.is_empty() => {
                    let replaced = if method == "replace" {
                        t.text.replacen(&a, &b, 1)
                    } else {
                        t.text.replace(&a, &b)
                    };
                    Val::Str(t.map(replaced))
                }
                _ => self.unknown(n),
            },
            _ => self.unknown(n),
        }
    }

    /// `process.env.NAME`: the value from `env`, or a `${NAME}` marker.
    fn env_read(&self, name: &str, expr: &str, line: Option<usize>) -> Val {
        let mk = |value: String, state| {
            Traced::new(
                value,
                Src::Env {
                    name: name.to_string(),
                    state,
                    expr: expr.to_string(),
                },
                line,
            )
            .with_expr(expr)
        };
        match (self.env)(name) {
            Some(v) => Val::Str(mk(v, EnvState::Set)),
            None => Val::Str(mk(format!("${{{name}}}"), EnvState::Unset)),
        }
    }

    // --- the SDK ----------------------------------------------------------------------

    /// The SDK's `loginClientCredentialsGrant(id, secret)`, as a draft, with the setting
    /// that chose its environment.
    fn sdk_login(&mut self) -> Option<(Draft, SdkSetting)> {
        let sites = self.index.sdk_logins.clone();
        let mut found = Vec::new();
        for site in sites {
            let n = site.node;
            let Some(f) = n
                .child_by_field_name("function")
                .filter(|f| f.kind() == "member_expression")
            else {
                continue;
            };
            let Some(obj) = f.child_by_field_name("object") else {
                continue;
            };
            let ctx = self.ctx_at(site);
            if matches!(self.eval(obj, &ctx), Val::Sdk) {
                found.push((site, obj));
            }
        }
        let (site, obj) = *found.first()?;
        let n = site.node;
        // The line of `.loginClientCredentialsGrant(`, also in a chain over several lines.
        let call_line = n
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("property"))
            .and_then(line_of)
            .or_else(|| line_of(n));
        let ctx = self.ctx_at(site);
        let args = self.call_args(n, &ctx);
        let cred = |r: &Self, i: usize, what: &str| match args.get(i) {
            Some((v, l)) => r.value_str(&v, l, what).default_line(l),
            None => Traced::unknown(what, format!("{{{what}}}"), call_line),
        };
        let id = cred(self, 0, "clientId");
        let secret = cred(self, 1, "clientSecret");
        let mut notes = Vec::new();
        if found.len() > 1 {
            let lines: Vec<String> = found
                .iter()
                .filter_map(|(s, _)| line_of(s.node).map(|l| l.to_string()))
                .collect();
            notes.push(format!(
                "the script calls {SDK_LOGIN} {} times (lines {}); the one at line {} is read",
                found.len(),
                lines.join(", "),
                call_line.unwrap_or(0)
            ));
        }

        // The last setEnvironment on the SDK client before the login call.
        let env_sites: Vec<Site<'t>> = self
            .index
            .sdk_envs
            .iter()
            .filter(|s| s.node.start_byte() < n.start_byte())
            .copied()
            .collect();
        let mut chosen = None;
        for s in env_sites {
            let c = self.ctx_at(s);
            if let Some(o) = s
                .node
                .child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("object"))
                && matches!(self.eval(o, &c), Val::Sdk)
            {
                chosen = Some(s);
            }
        }
        let client_name = if matches!(obj.kind(), "identifier" | "member_expression") {
            short(self.text(obj))
        } else {
            "platformClient.ApiClient.instance".to_string()
        };
        let (env, setting) = match chosen {
            Some(s) => {
                let c = self.ctx_at(s);
                let a = self.call_args(s.node, &c);
                let arg_node = s
                    .node
                    .child_by_field_name("arguments")
                    .and_then(|x| x.named_child(0));
                let expr = arg_node.map(|x| short(self.text(x))).unwrap_or_default();
                let line = line_of(s.node);
                let env = match a.get(0) {
                    None | Some((Val::Null, _)) => Traced::literal(SDK_DEFAULT_ENV, line),
                    Some((v, l)) => self.value_str(&v, l, &expr).default_line(l),
                };
                let target = s
                    .node
                    .child_by_field_name("function")
                    .map(|f| short(self.text(f)))
                    .unwrap_or_else(|| format!("{client_name}.setEnvironment"));
                (env, (SdkHost::SetEnvironment, target, expr, line))
            }
            None => {
                notes.push(format!(
                    "the script never calls setEnvironment: the SDK uses its default {SDK_DEFAULT_ENV} (us-east-1), unless its config file (~/.genesyscloudjavascript/config, `[general] host`) sets another"
                ));
                (
                    Traced::literal(SDK_DEFAULT_ENV, call_line),
                    (
                        SdkHost::Default,
                        format!("{client_name}.setEnvironment"),
                        String::new(),
                        call_line,
                    ),
                )
            }
        };
        let env = sdk_environment(&env);
        let mut url = Traced::literal("https://login.", setting.3);
        url.push(&env);
        url.push_literal("/oauth/token", setting.3);
        let draft = sdk_token_draft(url, setting.3, id, secret, call_line, notes);
        let sdk = SdkSetting {
            kind: SdkKind::JavaScript,
            host: setting.0,
            target: setting.1,
            expr: setting.2,
            line: setting.3,
            regions: self.sdk_regions_name(),
        };
        Some((draft, sdk))
    }

    /// How the script can name `PureCloudRegionHosts`: a name bound to it, else the SDK's
    /// module name with `.PureCloudRegionHosts`.
    fn sdk_regions_name(&mut self) -> String {
        let mut module_name = None;
        let mut regions_name = None;
        let mut names: Vec<String> = self
            .index
            .binds
            .keys()
            .filter(|(scope, name)| *scope == 0 && !name.contains('.'))
            .map(|(_, name)| name.clone())
            .collect();
        names.sort();
        for name in names {
            let Some(b) = self.last_bind(0, &name, usize::MAX, true) else {
                continue;
            };
            if let Val::Module(p) = self.eval_bind(&name, b, None) {
                if p == SDK && module_name.is_none() {
                    module_name = Some(name.clone());
                }
                if p == format!("{SDK}.PureCloudRegionHosts") && regions_name.is_none() {
                    regions_name = Some(name);
                }
            }
        }
        for candidate in ["platformClient", "PureCloudRegionHosts"] {
            if let Some(Val::Module(p)) = self.import_of(candidate) {
                if p == SDK && module_name.is_none() {
                    module_name = Some(candidate.to_string());
                }
                if p == format!("{SDK}.PureCloudRegionHosts") && regions_name.is_none() {
                    regions_name = Some(candidate.to_string());
                }
            }
        }
        regions_name.unwrap_or_else(|| {
            format!(
                "{}.PureCloudRegionHosts",
                module_name.unwrap_or_else(|| "platformClient".into())
            )
        })
    }

    // --- the HTTP calls -----------------------------------------------------------------

    fn http_calls(&mut self) -> Vec<HttpCall<'t>> {
        let sites = self.index.http_calls.clone();
        sites.into_iter().filter_map(|s| self.classify(s)).collect()
    }

    fn classify(&mut self, site: Site<'t>) -> Option<HttpCall<'t>> {
        let n = site.node;
        let f = n.child_by_field_name("function")?;
        let ctx = self.ctx_at(site);
        let (lib, verb, defaults) = match f.kind() {
            "member_expression" => {
                let obj = f.child_by_field_name("object")?;
                let method = self.text(f.child_by_field_name("property")?);
                match self.eval(obj, &ctx) {
                    Val::Module(p) if is_axios(&module_path(&p)) => {
                        (Lib::Axios, method.to_string(), None)
                    }
                    Val::Axios(d) => (Lib::Axios, method.to_string(), Some(*d)),
                    _ => return None,
                }
            }
            "identifier" => match self.eval(f, &ctx) {
                Val::Module(p) if is_axios(&module_path(&p)) => {
                    (Lib::Axios, "request".to_string(), None)
                }
                Val::Module(p) if is_fetch(&module_path(&p)) => {
                    (Lib::Fetch, "fetch".to_string(), None)
                }
                Val::Axios(d) => (Lib::Axios, "request".to_string(), Some(*d)),
                _ => return None,
            },
            _ => return None,
        };
        if lib == Lib::Axios
            && !matches!(
                verb.as_str(),
                "post" | "put" | "patch" | "get" | "delete" | "head" | "request"
            )
        {
            return None;
        }
        let args = self.call_args(n, &ctx);
        Some(HttpCall {
            node: n,
            lib,
            verb,
            defaults,
            args,
        })
    }

    /// The request config of a call: `axios(config)`, `axios(url, config)`,
    /// `axios.post(url, data, config)`, `fetch(url, init)`.
    fn config_of(&self, call: &HttpCall<'t>) -> Val {
        let i = match (call.lib, call.verb.as_str()) {
            (Lib::Fetch, _) => 1,
            (Lib::Axios, "request") => match call.args.get(0) {
                Some((Val::Obj(..), _)) => 0,
                _ => 1,
            },
            (Lib::Axios, "post" | "put" | "patch") => 2,
            _ => 1,
        };
        call.args
            .get(i)
            .map(|a| a.0)
            .unwrap_or(Val::Obj(Vec::new(), None))
    }

    fn url_of(&mut self, call: &HttpCall<'t>) -> Traced {
        let config = self.config_of(call);
        let line = line_of(call.node);
        let (url, l) = match call.args.get(0) {
            Some((Val::Obj(..), _)) if call.verb == "request" => {
                (config.get("url"), config.entry_line("url"))
            }
            Some((v, l)) => (Some(v), l),
            None => (None, line),
        };
        let expr = self.arg_text(call.node, 0);
        let mut url = match url {
            Some(v) => self.value_str(&v, l, &expr),
            None => Traced::unknown("url", "{url}".into(), line),
        };
        let base = config
            .get("baseURL")
            .or_else(|| call.defaults.as_ref().and_then(|d| d.base_url.clone()));
        if call.lib == Lib::Axios
            && let Some(b) = base
            && !url.text.contains("://")
        {
            let mut b = self.value_str(&b, line, "baseURL");
            let trimmed = b.text.trim_end_matches('/').len();
            b = b.slice(0..trimmed);
            let tail = url.text.trim_start_matches('/').len();
            let start = url.text.len() - tail;
            b.push_literal("/", None);
            b.push(&url.slice(start..url.text.len()));
            url = b;
        }
        url
    }

    fn arg_text(&self, call: Node<'t>, i: usize) -> String {
        call.child_by_field_name("arguments")
            .and_then(|a| {
                let mut cursor = a.walk();
                let list: Vec<Node<'t>> = a
                    .named_children(&mut cursor)
                    .filter(|x| x.kind() != "comment")
                    .collect();
                list.get(i).map(|x| short(self.text(*x)))
            })
            .unwrap_or_else(|| "url".into())
    }

    fn method_of(&mut self, call: &HttpCall<'t>) -> (String, Option<usize>, Option<Unresolved>) {
        if call.lib == Lib::Axios && call.verb != "request" {
            return (call.verb.to_ascii_uppercase(), None, None);
        }
        let config = self.config_of(call);
        match config.get("method") {
            Some(Val::Str(m)) if m.is_resolved() => (
                m.text.to_ascii_uppercase(),
                config.entry_line("method"),
                None,
            ),
            Some(Val::Unknown(e, l)) => (
                "POST".into(),
                l,
                Some(Unresolved {
                    what: WHAT_METHOD.into(),
                    expr: e,
                    line: l,
                }),
            ),
            _ => ("GET".into(), None, None),
        }
    }

    /// The draft request of the chosen call.
    fn draft(&mut self, call: &HttpCall<'t>) -> Draft {
        let call_line = line_of(call.node);
        let mut d = Draft {
            call_line,
            ..Draft::default()
        };
        d.notes.push(format!(
            "the token request is sent with {} (line {})",
            match call.lib {
                Lib::Axios => "axios",
                Lib::Fetch => "fetch",
            },
            call_line.unwrap_or(0)
        ));
        let (method, mline, munres) = self.method_of(call);
        d.method = method;
        d.method_line = mline;
        d.unresolved.extend(munres);
        d.url = self.url_of(call);
        d.url_line = match call.args.get(0) {
            Some((Val::Obj(..), _)) if call.verb == "request" => {
                self.config_of(call).entry_line("url")
            }
            Some((_, l)) => l,
            None => call_line,
        };
        let config = self.config_of(call);
        self.add_params(&config, &mut d);
        self.add_headers(call, &config, &mut d);
        self.add_body(call, &config, &mut d);
        if call.lib == Lib::Axios {
            self.add_auth(call, &config, &mut d);
        }
        if let Some((e, l)) = &call.args.opaque {
            d.notes.push(format!(
                "the call passes `{e}` (line {}): its contents are not known here",
                l.unwrap_or(0)
            ));
        }
        d
    }

    /// axios `params`: appended to the URL as axios's `buildURL` serialises them.
    fn add_params(&mut self, config: &Val, d: &mut Draft) {
        let Some(p) = config.get("params") else {
            return;
        };
        let line = config.entry_line("params");
        let pairs = match &p {
            Val::Form(pairs, _) => pairs.clone(),
            other => match self.form_pairs(other, line) {
                Some(pairs) => pairs,
                None => {
                    d.unresolved.push(Unresolved {
                        what: WHAT_URL.into(),
                        expr: match other {
                            Val::Unknown(e, _) => e.clone(),
                            _ => "params".into(),
                        },
                        line,
                    });
                    return;
                }
            },
        };
        if pairs.is_empty() {
            return;
        }
        let sep = if d.url.text.contains('?') { "&" } else { "?" };
        d.url.push_literal(sep, line);
        let mut params = Vec::new();
        for (i, (k, v, l)) in pairs.iter().enumerate() {
            if i > 0 {
                d.url.push_literal("&", *l);
            }
            d.url
                .push(&k.map(axios_param_encode(&k.text)).default_line(*l));
            d.url.push_literal("=", *l);
            d.url
                .push(&v.map(axios_param_encode(&v.text)).default_line(*l));
            params.push(DraftParam {
                name: k.text.clone(),
                meant: v.clone(),
                line: *l,
            });
        }
        d.query_params = Some(params);
    }

    fn add_headers(&mut self, call: &HttpCall<'t>, config: &Val, d: &mut Draft) {
        let sources = [
            call.defaults
                .as_ref()
                .and_then(|x| x.headers.clone())
                .map(|v| (v, None)),
            config
                .get("headers")
                .map(|v| (v, config.entry_line("headers"))),
        ];
        for (v, l) in sources.into_iter().flatten() {
            match v {
                Val::Obj(es, _) => {
                    for e in es {
                        match &e.value {
                            Val::Null => d.remove_header(&e.key.text),
                            other => {
                                let t = self.value_str(other, e.line, &e.key.text);
                                d.set_header(&e.key.text, t, e.line);
                            }
                        }
                    }
                }
                Val::Arr(items) => {
                    for it in items {
                        if let Val::Arr(kv) = it
                            && let [Val::Str(k), v] = kv.as_slice()
                        {
                            let t = self.value_str(v, k.line(), &k.text);
                            d.set_header(&k.text, t, k.line());
                        }
                    }
                }
                Val::Null => {}
                other => d.unresolved.push(Unresolved {
                    what: WHAT_HEADERS.into(),
                    expr: match other {
                        Val::Unknown(e, _) => e,
                        _ => "headers".into(),
                    },
                    line: l,
                }),
            }
        }
    }

    fn add_body(&mut self, call: &HttpCall<'t>, config: &Val, d: &mut Draft) {
        let data = match (call.lib, call.verb.as_str()) {
            (Lib::Fetch, _) => config.get("body").map(|v| (v, config.entry_line("body"))),
            (Lib::Axios, "post" | "put" | "patch") => call.args.get(1),
            (Lib::Axios, _) => config.get("data").map(|v| (v, config.entry_line("data"))),
        };
        let post_like = matches!(d.method.as_str(), "POST" | "PUT" | "PATCH");
        let set_ct = |d: &mut Draft, ct: &str, line: Option<usize>| {
            if !d.has_header("content-type") {
                d.headers.push(DraftHeader {
                    name: "Content-Type".into(),
                    value: Traced::literal(ct, line),
                    line,
                });
            }
        };
        let Some((v, l)) = data.filter(|(v, _)| !v.is_null()) else {
            if call.lib == Lib::Axios && post_like {
                set_ct(d, FORM, call.node.start_position().row.checked_add(1));
            }
            return;
        };
        let line = match &v {
            Val::Obj(_, ol) | Val::Form(_, ol) => ol.or(l),
            _ => l,
        };
        d.body_line = line;
        match (call.lib, v) {
            (_, Val::Form(pairs, fl)) => {
                d.body = form_text(&pairs, fl.or(line));
                d.body_params = Some(
                    pairs
                        .iter()
                        .map(|(k, v, pl)| DraftParam {
                            name: k.text.clone(),
                            meant: v.clone(),
                            line: *pl,
                        })
                        .collect(),
                );
                set_ct(d, "application/x-www-form-urlencoded;charset=utf-8", line);
            }
            (Lib::Axios, Val::Obj(es, ol)) => {
                let form = d
                    .header("content-type")
                    .is_some_and(|h| h.value.text.contains("application/x-www-form-urlencoded"));
                if form && let Some(pairs) = self.form_pairs(&Val::Obj(es.clone(), ol), line) {
                    d.body = form_text(&pairs, line);
                    d.body_params = Some(
                        pairs
                            .iter()
                            .map(|(k, v, pl)| DraftParam {
                                name: k.text.clone(),
                                meant: v.clone(),
                                line: *pl,
                            })
                            .collect(),
                    );
                } else {
                    d.body = to_json(&Val::Obj(es, ol))
                        .unwrap_or_else(|| Traced::unknown("data", "{data}".into(), line));
                    set_ct(d, "application/json", line);
                }
            }
            (Lib::Fetch, Val::Obj(..)) => {
                // fetch turns a plain object into its string form.
                d.body = Traced::literal("[object Object]", line);
                set_ct(d, "text/plain;charset=UTF-8", line);
                d.notes.push(format!(
                    "line {}: fetch sends a plain object as the text `[object Object]`; wrap it in new URLSearchParams(...)",
                    line.unwrap_or(0)
                ));
            }
            (lib, other) => {
                d.body = self.value_str(&other, l, "body");
                if d.body.text.starts_with('{') && !d.body.is_resolved() && d.body.spans.len() == 1
                {
                    d.unresolved.push(Unresolved {
                        what: WHAT_BODY.into(),
                        expr: d.body.text.trim_matches(['{', '}']).to_string(),
                        line: l,
                    });
                }
                match lib {
                    Lib::Fetch if matches!(other, Val::Str(_)) => {
                        set_ct(d, "text/plain;charset=UTF-8", line)
                    }
                    Lib::Axios if post_like => set_ct(d, FORM, line),
                    _ => {}
                }
            }
        }
    }

    /// axios `auth: { username, password }`: a Basic header that replaces any written one.
    fn add_auth(&mut self, call: &HttpCall<'t>, config: &Val, d: &mut Draft) {
        let auth = config
            .get("auth")
            .map(|a| (a, config.entry_line("auth")))
            .or_else(|| call.defaults.as_ref().and_then(|x| x.auth.clone()));
        let Some((v, line)) = auth.filter(|a| !a.0.is_null()) else {
            return;
        };
        let (Some(u), Some(p)) = (v.get("username"), v.get("password")) else {
            d.unresolved.push(Unresolved {
                what: what_header("Authorization"),
                expr: match v {
                    Val::Unknown(e, _) => e,
                    _ => "auth".into(),
                },
                line,
            });
            return;
        };
        let id = self
            .value_str(&u, v.entry_line("username").or(line), "username")
            .default_line(line);
        let secret = self
            .value_str(&p, v.entry_line("password").or(line), "password")
            .default_line(line);
        if d.has_header("authorization") {
            d.notes.push(format!(
                "`auth` (line {}) replaces the Authorization header the code sets: axios applies auth last",
                line.unwrap_or(0)
            ));
        }
        d.set_header("Authorization", basic_header(&id, &secret, line), line);
        d.basic = Some(DraftBasic { id, secret, line });
    }
}

/// A parameter of a function: its name, position, default and, for a destructured
/// parameter (`function f({ id, secret })`), the property it takes.
#[derive(Clone, Copy)]
struct Param<'t> {
    name: &'t str,
    index: usize,
    default: Option<Node<'t>>,
    key: Option<&'t str>,
}

fn parameters<'t>(f: Node<'t>, src: &'t str) -> Vec<Param<'t>> {
    if let Some(p) = f.child_by_field_name("parameter") {
        return vec![Param {
            name: text(p, src),
            index: 0,
            default: None,
            key: None,
        }];
    }
    let Some(ps) = f.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut cursor = ps.walk();
    let list: Vec<Node<'t>> = ps
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect();
    let mut out = Vec::new();
    for (index, p) in list.into_iter().enumerate() {
        match p.kind() {
            "identifier" => out.push(Param {
                name: text(p, src),
                index,
                default: None,
                key: None,
            }),
            "assignment_pattern" => {
                if let Some(l) = p.child_by_field_name("left")
                    && l.kind() == "identifier"
                {
                    out.push(Param {
                        name: text(l, src),
                        index,
                        default: p.child_by_field_name("right"),
                        key: None,
                    });
                }
            }
            "object_pattern" => {
                let mut c2 = p.walk();
                let items: Vec<Node<'t>> = p.named_children(&mut c2).collect();
                for it in items {
                    match it.kind() {
                        "shorthand_property_identifier_pattern" => out.push(Param {
                            name: text(it, src),
                            index,
                            default: None,
                            key: Some(text(it, src)),
                        }),
                        "object_assignment_pattern" => {
                            if let Some(l) = it.child_by_field_name("left") {
                                out.push(Param {
                                    name: text(l, src),
                                    index,
                                    default: it.child_by_field_name("right"),
                                    key: Some(text(l, src)),
                                });
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The expression of a function's only top-level `return`, or an arrow function's
/// expression body.
fn single_return(f: Node<'_>) -> Option<Node<'_>> {
    let body = f.child_by_field_name("body")?;
    if body.kind() != "statement_block" {
        return Some(body);
    }
    let mut cursor = body.walk();
    let returns: Vec<Node<'_>> = body
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "return_statement")
        .collect();
    match returns.as_slice() {
        [r] => r.named_child(0),
        _ => None,
    }
}

fn is_axios(path: &str) -> bool {
    path == "axios"
}

fn is_fetch(path: &str) -> bool {
    matches!(
        path,
        "fetch" | "node-fetch" | "undici.fetch" | "cross-fetch"
    )
}

/// The environment `setEnvironment` stores: trailing `/` removed, then a leading
/// `https://` or `http://`, then a leading `api.` (configuration.js, facts §1.3).
fn sdk_environment(env: &Traced) -> Traced {
    let s = env.text.as_str();
    let mut start = 0;
    let end = s.trim_end_matches('/').len();
    let inner = &s[..end];
    for p in ["https://", "http://"] {
        if inner.starts_with(p) {
            start = p.len();
            break;
        }
    }
    if inner[start..].starts_with("api.") {
        start += 4;
    }
    env.slice(start..end.max(start))
}

/// True when the value is an environment variable that is not set here.
fn is_unset_env(t: &Traced) -> bool {
    t.spans.iter().any(|s| {
        matches!(
            s.src,
            Src::Env {
                state: EnvState::Unset,
                ..
            }
        )
    })
}

/// `process.env.X || "default"` with X unset: the default, still known as X's.
fn with_env_default(t: Traced, d: Val) -> Val {
    let Some((name, expr)) = t.spans.iter().find_map(|s| match &s.src {
        Src::Env { name, expr, .. } => Some((name.clone(), expr.clone())),
        _ => None,
    }) else {
        return d;
    };
    match d {
        Val::Str(d) => Val::Str(
            Traced::new(
                d.text.clone(),
                Src::Env {
                    name,
                    state: EnvState::UnsetDefault,
                    expr: expr.clone(),
                },
                d.line(),
            )
            .with_expr(&expr),
        ),
        Val::Null => Val::Str(t),
        other => other,
    }
}

fn set_entry(entries: &mut Vec<Entry>, key: Traced, value: Val, line: Option<usize>) {
    if let Some(e) = entries.iter_mut().find(|e| e.key.text == key.text) {
        e.value = value;
        e.line = line;
    } else {
        entries.push(Entry { key, value, line });
    }
}

fn concat(a: Val, b: Val) -> Option<Val> {
    match (a, b) {
        (Val::Str(mut x), Val::Str(y)) => {
            x.push(&y);
            Some(Val::Str(x))
        }
        _ => None,
    }
}

/// `URLSearchParams.toString()`: the form serializer (space as `+`).
fn form_text(pairs: &[(Traced, Traced, Option<usize>)], line: Option<usize>) -> Traced {
    let mut out = Traced::default();
    for (k, v, l) in pairs {
        if !out.is_empty() {
            out.push_literal("&", l.or(line));
        }
        out.push(&k.map(url_search_params_encode(&k.text)).default_line(*l));
        out.push_literal("=", *l);
        out.push(&v.map(url_search_params_encode(&v.text)).default_line(*l));
    }
    if out.is_empty() {
        out = Traced::literal("", line);
    }
    out
}

/// The `application/x-www-form-urlencoded` serializer of URLSearchParams: `*-._` and
/// alphanumerics stay, space becomes `+`, everything else is percent-encoded.
fn url_search_params_encode(v: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'*')
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b' ');
    percent_encoding::utf8_percent_encode(v, SET)
        .to_string()
        .replace(' ', "+")
}

/// `encodeURIComponent`: all but `A-Za-z0-9-_.!~*'()`.
fn encode_uri_component(v: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'!')
        .remove(b'~')
        .remove(b'*')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')');
    percent_encoding::utf8_percent_encode(v, SET).to_string()
}

/// axios's `buildURL` encoding of params: `encodeURIComponent`, then `: $ , [ ]` and `+` for
/// spaces put back.
fn axios_param_encode(v: &str) -> String {
    encode_uri_component(v)
        .replace("%3A", ":")
        .replace("%24", "$")
        .replace("%2C", ",")
        .replace("%20", "+")
        .replace("%5B", "[")
        .replace("%5D", "]")
}

/// `JSON.stringify` (no spaces).
fn to_json(v: &Val) -> Option<Traced> {
    Some(match v {
        Val::Obj(es, line) => {
            let mut t = Traced::literal("{", *line);
            let mut first = true;
            for e in es {
                if !first {
                    t.push_literal(",", e.line);
                }
                first = false;
                t.push(&e.key.map(json_string(&e.key.text)).default_line(e.line));
                t.push_literal(":", e.line);
                t.push(&to_json(&e.value)?);
            }
            t.push_literal("}", *line);
            t
        }
        Val::Arr(items) => {
            let mut t = Traced::literal("[", None);
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    t.push_literal(",", None);
                }
                t.push(&to_json(it)?);
            }
            t.push_literal("]", None);
            t
        }
        Val::Str(s) => s.map(json_string(&s.text)),
        Val::Scalar(s) => Traced::literal(s.clone(), None),
        Val::Null => Traced::literal("null", None),
        Val::Unknown(e, l) => Traced::unknown(e, format!("\"{{{e}}}\""), *l),
        _ => return None,
    })
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// An expression as shown in notes and markers: its first line, at most 80 characters.
fn short(s: &str) -> String {
    let first = s.lines().next().unwrap_or("").trim();
    if first.chars().count() > 80 {
        let mut t: String = first.chars().take(79).collect();
        t.push('…');
        t
    } else {
        first.to_string()
    }
}

/// JavaScript string escapes.
fn decode_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(n) = chars.next() else {
            out.push('\\');
            break;
        };
        match n {
            '\n' => {}
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0' if !chars.peek().is_some_and(|c| c.is_ascii_digit()) => out.push('\0'),
            'x' | 'u' => {
                let braced = n == 'u' && chars.peek() == Some(&'{');
                if braced {
                    chars.next();
                }
                let len = match (n, braced) {
                    ('x', _) => 2,
                    (_, true) => 6,
                    _ => 4,
                };
                let hex: String = (0..len)
                    .map_while(|_| chars.next_if(|c| c.is_ascii_hexdigit()))
                    .collect();
                if braced {
                    let _ = chars.next_if_eq(&'}');
                }
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if !hex.is_empty() && (braced || hex.len() == len) => out.push(ch),
                    _ => {
                        out.push(n);
                        out.push_str(&hex);
                    }
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(decode_escapes(r"a\nb\x41\u00e9\u{1F600}\q\'"), "a\nbAé😀q'");
    }

    #[test]
    fn encoders() {
        assert_eq!(url_search_params_encode("a b+c/d*~"), "a+b%2Bc%2Fd*%7E");
        assert_eq!(encode_uri_component("a b+c/d!'"), "a%20b%2Bc%2Fd!'");
        assert_eq!(axios_param_encode("a b:c"), "a+b:c");
    }

    #[test]
    fn set_environment_normalisation() {
        for (given, env) in [
            ("mypurecloud.ie", "mypurecloud.ie"),
            ("https://api.mypurecloud.ie/", "mypurecloud.ie"),
            ("http://mypurecloud.de//", "mypurecloud.de"),
            ("api.usw2.pure.cloud", "usw2.pure.cloud"),
            ("login.mypurecloud.ie", "login.mypurecloud.ie"),
        ] {
            assert_eq!(
                sdk_environment(&Traced::literal(given, None)).text,
                env,
                "{given}"
            );
        }
    }

    #[test]
    fn module_paths() {
        assert_eq!(module_path("node:querystring"), "querystring");
        assert_eq!(module_path("axios.default"), "axios");
        assert_eq!(module_path("axios.default.post"), "axios.post");
        assert_eq!(module_path("x.defaults"), "x.defaults");
    }
}
