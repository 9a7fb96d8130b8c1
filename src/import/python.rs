//! `--from-python`: the token request a Python script sends with `requests`, `httpx`,
//! `urllib.request` or `http.client`.
//!
//! The script is parsed once with tree-sitter (no regex scanning: strings, comments and
//! f-strings would defeat it) and indexed in one walk: imports, assignments per scope,
//! mutations such as `headers["Authorization"] = …`, function definitions and call sites.
//! The sending call is then evaluated symbolically, the way the libraries themselves build
//! the request: `data=` dict → form-encoded with `Content-Type` added, `data=` string → sent
//! as is with no content type, `json=` → JSON, `auth=` → a Basic header that overrides any
//! written one, `params=` → query. Names are followed through assignments in the enclosing
//! function and the module (the last assignment before the use wins), through function
//! parameters to their call sites, and through simple `return` statements; environment reads
//! take their value from the caller's `env`. Whatever cannot be worked out offline stays in
//! the request as a visible `{expr}` marker and is reported, with its line, as unresolved:
//! gcdoctor never guesses a value.

use super::{
    Ctx, Draft, DraftBasic, DraftHeader, DraftParam, EnvState, Frame, ImportError, LineIndex, Src,
    Traced, WHAT_BODY, WHAT_HEADERS, WHAT_METHOD, WHAT_URL, basic_header, finish, first_error,
    quote, quote_plus, what_header,
};
use crate::request::{FORM, ImportedRequest, InputKind, Unresolved};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use std::collections::HashMap;
use std::rc::Rc;
use tree_sitter::{Node, Parser, Tree};

mod sdk;

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Imports the token request of a Python script.
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
    // A raw HTTP call to the token endpoint wins; then the official SDK's token call; then
    // the first POST (a token URL built from what gcdoctor cannot see).
    let raw_token_call = calls.iter().any(|c| is_token_url(&r.url_of(c).text));
    if !raw_token_call && let Some((draft, setting)) = r.sdk_token_call() {
        let mut imp = finish(draft, InputKind::Python, source);
        imp.sdk = Some(setting);
        return Ok(imp);
    }
    let (chosen, note) = choose(&mut r, &calls).ok_or_else(|| {
        ImportError::new(
            source,
            "no token request found: no requests.post(...) / requests.request('POST', ...) call to a URL ending in /oauth/token, and no PureCloudPlatformClientV2 ApiClient().get_client_credentials_token(...)",
        )
    })?;
    let mut draft = r.draft(chosen);
    draft.notes.extend(note);
    Ok(finish(draft, InputKind::Python, source))
}

/// True when a URL's path ends in `/oauth/token`.
fn is_token_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').ends_with("/oauth/token")
}

fn parse_tree(text: &str, source: &str) -> Result<Tree, ImportError> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .map_err(|e| ImportError::new(source, format!("internal error: Python grammar: {e}")))?;
    let tree = parser
        .parse(text, None)
        .ok_or_else(|| ImportError::new(source, "the Python parser gave up on this input"))?;
    let root = tree.root_node();
    if root.has_error()
        && let Some(bad) = first_error(root)
    {
        let lines = LineIndex::new(text);
        let (line, col) = lines.line_col(text, bad.start_byte());
        let msg = if bad.is_missing() {
            format!("Python syntax error: missing `{}`", bad.kind())
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
                "Python syntax error: the code cannot be parsed here".to_string()
            } else {
                format!(
                    "Python syntax error: the code from here on cannot be parsed (an unclosed bracket or quote?): `{}`",
                    snippet.trim()
                )
            }
        };
        return Err(ImportError::new(source, msg).at(line, Some(col)));
    }
    Ok(tree)
}

// ---------------------------------------------------------------------------------------
// The index: one walk over the tree.

/// A scope: 0 = module, else the function definition's start byte + 1.
type Scope = usize;

fn scope_of(func: Option<Node<'_>>) -> Scope {
    func.map(|f| f.start_byte() + 1).unwrap_or(0)
}

#[derive(Clone, Copy, Debug)]
enum BindKind<'t> {
    /// `name = expr`
    Expr(Node<'t>),
    /// `a, b = expr`: element `n` of the value.
    Elem(Node<'t>, usize),
    /// `name += expr`
    Aug(Node<'t>),
}

/// Something the script does to a name at a position, inside a function (or not).
#[derive(Clone, Copy, Debug)]
struct Event<'t, K> {
    pos: usize,
    kind: K,
    func: Option<Node<'t>>,
}

/// A binding of a name.
type Bind<'t> = Event<'t, BindKind<'t>>;
/// A change to the dict a name holds.
type Mutation<'t> = Event<'t, MutKind<'t>>;

#[derive(Clone, Copy, Debug)]
enum MutKind<'t> {
    /// `name[key] = value`
    SetItem(Node<'t>, Node<'t>),
    /// `name.update(arg)`
    Update(Node<'t>),
}

/// A call and the function it is in. Recorded during the walk: tree-sitter finds a node's
/// parent by descending from the root, far too slow to ask for every call of a long script.
#[derive(Clone, Copy, Debug)]
struct Site<'t> {
    node: Node<'t>,
    func: Option<Node<'t>>,
}

#[derive(Default)]
struct Index<'t> {
    imports: HashMap<String, String>,
    binds: HashMap<(Scope, String), Vec<Bind<'t>>>,
    muts: HashMap<(Scope, String), Vec<Mutation<'t>>>,
    funcs: HashMap<String, Vec<Node<'t>>>,
    /// The function each function definition is nested in, by node id.
    func_parent: HashMap<usize, Option<Node<'t>>>,
    /// The class of each method, by node id.
    method_class: HashMap<usize, String>,
    calls_by_name: HashMap<String, Vec<Site<'t>>>,
    http_calls: Vec<Site<'t>>,
    /// `….get_client_credentials_token(…)`: the official SDK's token calls.
    sdk_calls: Vec<Site<'t>>,
    /// `….host = …`: where an SDK script may set its host (`configuration.host`,
    /// `api_client.host`).
    host_sets: Vec<sdk::HostSet<'t>>,
}

const HTTP_VERBS: [&str; 8] = [
    "post", "get", "put", "patch", "delete", "head", "request", "Request",
];

impl<'t> Index<'t> {
    /// One depth-first walk with a single cursor: no allocation per node.
    fn build(root: Node<'t>, src: &'t str) -> Index<'t> {
        let mut ix = Index::default();
        // For each open node, the (function, class) its children are in.
        let mut ctx: Vec<(Option<Node<'t>>, Option<&'t str>)> = vec![(None, None)];
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            let (func, class) = ctx.last().copied().unwrap_or((None, None));
            let inner = if node.is_named() {
                ix.visit(node, func, class, src)
            } else {
                (func, class)
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
                    self.muts.entry(key).or_default().push(Event {
                        pos,
                        kind: MutKind::SetItem(k, right),
                        func,
                    });
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
                        self.binds
                            .entry((0, format!("{prefix}.{name}")))
                            .or_default()
                            .push(Event {
                                pos,
                                kind: BindKind::Expr(right),
                                func: None,
                            });
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
        self.binds
            .entry((scope, text(target, src).to_string()))
            .or_default()
            .push(Event { pos, kind, func });
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
        self.calls_by_name
            .entry(last.to_string())
            .or_default()
            .push(site);
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
            self.muts
                .entry((scope, text(obj, src).to_string()))
                .or_default()
                .push(Event {
                    pos: node.start_byte(),
                    kind: MutKind::Update(arg),
                    func,
                });
        }
    }
}

fn text<'s>(n: Node<'_>, src: &'s str) -> &'s str {
    src.get(n.start_byte()..n.end_byte()).unwrap_or("")
}

// ---------------------------------------------------------------------------------------
// Values.

/// A dict entry.
#[derive(Clone, Debug)]
struct Entry {
    key: Traced,
    value: Val,
    line: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lib {
    Requests,
    Httpx,
    Urllib,
    /// `http.client.HTTPSConnection(host).request(method, path, body, headers)`.
    HttpClient,
}

/// A `requests.Session()` or `httpx.Client(...)` and what it adds to every request.
#[derive(Clone, Debug)]
struct Client {
    lib: Lib,
    headers: Option<Val>,
    auth: Option<(Val, Option<usize>)>,
    base_url: Option<Val>,
    params: Option<Val>,
}

/// A Python value, as far as it can be known offline.
#[derive(Clone, Debug)]
enum Val {
    /// `str` (or `bytes` when the flag is set).
    Str(Traced, bool),
    /// A dict, with the line of its literal.
    Dict(Vec<Entry>, Option<usize>),
    Seq(Vec<Val>),
    None,
    /// A number or bool, as `str()` prints it.
    Scalar(String),
    /// `HTTPBasicAuth(id, secret)`.
    Auth(Box<Val>, Box<Val>),
    Client(Box<Client>),
    /// An official SDK `ApiClient`.
    Sdk(Box<sdk::ApiClient>),
    /// A module or function reached through imports (`requests.post`).
    Module(String),
    /// Cannot be known: the expression and its line.
    Unknown(String, Option<usize>),
}

impl Val {
    fn str(t: Traced) -> Val {
        Val::Str(t, false)
    }

    fn is_none(&self) -> bool {
        matches!(self, Val::None)
    }

    /// Pairs of a dict or a list of 2-tuples.
    fn pairs(&self) -> Option<Vec<(Traced, Val, Option<usize>)>> {
        match self {
            Val::Dict(es, _) => Some(
                es.iter()
                    .map(|e| (e.key.clone(), e.value.clone(), e.line))
                    .collect(),
            ),
            Val::Seq(items) => items
                .iter()
                .map(|it| match it {
                    Val::Seq(kv) if kv.len() == 2 => match &kv[0] {
                        Val::Str(k, _) => Some((k.clone(), kv[1].clone(), k.line())),
                        _ => None,
                    },
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }
}

struct Resolver<'t, 'a> {
    src: &'t str,
    lines: &'a LineIndex,
    index: &'a Index<'t>,
    env: Env<'a>,
    depth: usize,
    memo: HashMap<usize, Val>,
}

const MAX_DEPTH: usize = 48;
const MODULES: [&str; 8] = [
    "requests", "httpx", "os", "base64", "json", "urllib", "sys", "http",
];

impl<'t> Resolver<'t, '_> {
    fn line(&self, n: Node<'_>) -> Option<usize> {
        Some(n.start_position().row + 1)
    }

    fn text(&self, n: Node<'_>) -> &'t str {
        text(n, self.src)
    }

    fn unknown(&self, n: Node<'_>) -> Val {
        Val::Unknown(self.text(n).to_string(), self.line(n))
    }

    fn ctx_at(&self, site: Site<'t>) -> Ctx<'t> {
        Ctx {
            func: site.func,
            pos: site.node.start_byte(),
            frame: None,
        }
    }

    /// The function a function definition is nested in.
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
            ("identifier" | "attribute" | "subscript" | "call", Val::Str(t, b))
                if self.text(n).len() <= 80 =>
            {
                Val::Str(t.referred_as(self.text(n)), b)
            }
            (_, v) => v,
        }
    }

    fn eval_inner(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        match n.kind() {
            "string" => self.eval_string(n, ctx),
            "concatenated_string" => {
                let mut cursor = n.walk();
                let parts: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
                let mut out = Traced::default();
                let mut bytes = false;
                for p in parts {
                    match self.eval(p, ctx) {
                        Val::Str(t, b) => {
                            out.push(&t);
                            bytes |= b;
                        }
                        _ => return self.unknown(n),
                    }
                }
                Val::Str(out, bytes)
            }
            "integer" | "float" => Val::Scalar(self.text(n).to_string()),
            "true" => Val::Scalar("True".into()),
            "false" => Val::Scalar("False".into()),
            "none" => Val::None,
            "parenthesized_expression" => match n.named_child(0) {
                Some(c) => self.eval(c, ctx),
                None => self.unknown(n),
            },
            "tuple" | "list" | "expression_list" => {
                let mut cursor = n.walk();
                let items: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
                Val::Seq(items.into_iter().map(|c| self.eval(c, ctx)).collect())
            }
            "dictionary" => self.eval_dict(n, ctx),
            "identifier" => self.eval_name(n, ctx),
            "attribute" => self.eval_attribute(n, ctx),
            "subscript" => self.eval_subscript(n, ctx),
            "call" => self.eval_call(n, ctx),
            "binary_operator" => self.eval_binary(n, ctx),
            "boolean_operator" => self.eval_or(n, ctx),
            "await" => match n.named_child(0) {
                Some(c) => self.eval(c, ctx),
                None => self.unknown(n),
            },
            _ => self.unknown(n),
        }
    }

    // --- strings ----------------------------------------------------------------------

    fn eval_string(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let mut cursor = n.walk();
        let children: Vec<Node<'t>> = n.children(&mut cursor).collect();
        let (Some(start), Some(end)) = (
            children.iter().find(|c| c.kind() == "string_start"),
            children.iter().find(|c| c.kind() == "string_end"),
        ) else {
            return self.unknown(n);
        };
        let prefix: String = self
            .text(*start)
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_lowercase();
        let raw = prefix.contains('r');
        let bytes = prefix.contains('b');
        let fstr = prefix.contains('f');
        let mut out = Traced::default();
        let mut at = start.end_byte();
        for c in children.iter().filter(|c| c.kind() == "interpolation") {
            self.push_literal_segment(&mut out, at, c.start_byte(), raw, fstr);
            out.push(&self.interpolation(*c, ctx));
            at = c.end_byte();
        }
        self.push_literal_segment(&mut out, at, end.start_byte(), raw, fstr);
        Val::Str(out, bytes)
    }

    fn push_literal_segment(
        &self,
        out: &mut Traced,
        from: usize,
        to: usize,
        raw: bool,
        fstr: bool,
    ) {
        let Some(seg) = self.src.get(from..to) else {
            return;
        };
        if seg.is_empty() {
            return;
        }
        let mut s = if raw {
            seg.to_string()
        } else {
            decode_escapes(seg)
        };
        if fstr {
            s = s.replace("{{", "{").replace("}}", "}");
        }
        out.push_literal(&s, Some(self.lines.line(from)));
    }

    fn interpolation(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Traced {
        let Some(e) = n.child_by_field_name("expression") else {
            return Traced::default();
        };
        let v = self.eval(e, ctx);
        let conv = n
            .child_by_field_name("type_conversion")
            .map(|c| self.text(c));
        let t = self.to_str(&v, e);
        match (conv, &v) {
            (Some("!r"), Val::Str(s, false)) => s.map(format!("'{}'", s.text)),
            _ => t,
        }
    }

    /// Python's `str()` of a value.
    fn to_str(&self, v: &Val, n: Node<'_>) -> Traced {
        match v {
            Val::Str(t, false) => t.clone(),
            Val::Str(t, true) => t.map(format!("b'{}'", t.text)),
            Val::Scalar(s) => Traced::literal(s.clone(), self.line(n)),
            Val::None => Traced::literal("None", self.line(n)),
            Val::Unknown(e, l) => Traced::unknown(e, format!("{{{e}}}"), *l).with_expr(e),
            _ => {
                let e = self.text(n);
                Traced::unknown(e, format!("{{{e}}}"), self.line(n))
            }
        }
    }

    // --- names ------------------------------------------------------------------------

    fn eval_name(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let name = self.text(n);
        if let Some(v) = self.lookup(name, n, ctx) {
            return v;
        }
        if let Some(p) = self.index.imports.get(name) {
            return Val::Module(p.clone());
        }
        if MODULES.contains(&name) || matches!(name, "str" | "bytes" | "dict" | "HTTPBasicAuth") {
            return Val::Module(name.to_string());
        }
        self.unknown(n)
    }

    /// The value a name has at `ctx`: local assignment, parameter, enclosing scopes, module.
    fn lookup(&mut self, name: &str, at: Node<'t>, ctx: &Ctx<'t>) -> Option<Val> {
        let mut func = ctx.func;
        while let Some(f) = func {
            if let Some(b) = self.last_bind(scope_of(Some(f)), name, ctx.pos, false) {
                let v = self.eval_bind(name, b, ctx.frame.clone());
                return Some(self.apply_mutations(
                    scope_of(Some(f)),
                    name,
                    v,
                    b.pos,
                    ctx.pos,
                    ctx.frame.clone(),
                ));
            }
            if let Some(v) = self.parameter(f, name, at, ctx) {
                return Some(v);
            }
            func = self.enclosing(f);
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
            None,
        ))
    }

    /// The last binding of a name before `pos`; with `any`, the last anywhere if none is
    /// before (module names used inside functions that run later).
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
            BindKind::Elem(e, i) => match self.eval_memo(e, &ctx) {
                Val::Seq(items) => items.get(i).cloned().unwrap_or_else(|| self.unknown(e)),
                Val::Unknown(ex, l) => Val::Unknown(format!("{ex}[{i}]"), l),
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

    /// `headers["X"] = v` and `headers.update({...})` between the binding and the use.
    fn apply_mutations(
        &mut self,
        scope: Scope,
        name: &str,
        v: Val,
        from: usize,
        to: usize,
        frame: Option<Rc<Frame<'t>>>,
    ) -> Val {
        let Val::Dict(mut entries, line) = v else {
            return v;
        };
        let Some(list) = self.index.muts.get(&(scope, name.to_string())) else {
            return Val::Dict(entries, line);
        };
        let list: Vec<Mutation<'t>> = list
            .iter()
            .filter(|m| m.pos > from && m.pos < to)
            .copied()
            .collect();
        for m in list {
            let ctx = Ctx {
                func: m.func,
                pos: m.pos,
                frame: frame.clone(),
            };
            match m.kind {
                MutKind::SetItem(k, val) => {
                    if let Val::Str(key, _) = self.eval(k, &ctx) {
                        let value = self.eval(val, &ctx);
                        set_entry(&mut entries, key, value, self.line(k));
                    }
                }
                MutKind::Update(arg) => {
                    if let Val::Dict(more, _) = self.eval(arg, &ctx) {
                        for e in more {
                            set_entry(&mut entries, e.key, e.value, e.line);
                        }
                    }
                }
            }
        }
        Val::Dict(entries, line)
    }

    /// A parameter of `f`: from the call-site frame, else the first call site, else its default.
    fn parameter(&mut self, f: Node<'t>, name: &str, at: Node<'t>, ctx: &Ctx<'t>) -> Option<Val> {
        let params = parameters(f, self.src);
        let idx = params.iter().position(|p| p.0 == name)?;
        let frame = match &ctx.frame {
            Some(fr) if fr.func.id() == f.id() => Some(fr.clone()),
            _ => self.call_site(f).map(Rc::new),
        };
        if let Some(fr) = frame
            && let Some(v) = self.argument(&fr, &params, idx)
        {
            return Some(v);
        }
        if let Some(d) = params[idx].1 {
            let c = Ctx {
                func: self.enclosing(f),
                pos: f.start_byte(),
                frame: None,
            };
            return Some(self.eval(d, &c));
        }
        Some(Val::Unknown(name.to_string(), self.line(at)))
    }

    /// The first call of `f` outside `f` itself.
    fn call_site(&self, f: Node<'t>) -> Option<Frame<'t>> {
        let mut name = f.child_by_field_name("name").map(|n| self.text(n))?;
        // A constructor is called by its class's name.
        if name == "__init__"
            && let Some(class) = self.index.method_class.get(&f.id())
        {
            name = class.as_str();
        }
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

    fn argument(
        &mut self,
        fr: &Rc<Frame<'t>>,
        params: &[(String, Option<Node<'t>>)],
        idx: usize,
    ) -> Option<Val> {
        let args = fr.call.child_by_field_name("arguments")?;
        let method_call = fr
            .call
            .child_by_field_name("function")
            .is_some_and(|c| c.kind() == "attribute")
            || self.index.method_class.contains_key(&fr.func.id());
        let skip = usize::from(
            method_call
                && params
                    .first()
                    .is_some_and(|p| p.0 == "self" || p.0 == "cls"),
        );
        let want = &params[idx].0;
        let mut cursor = args.walk();
        let mut positional = 0usize;
        let list: Vec<Node<'t>> = args.named_children(&mut cursor).collect();
        for a in list {
            match a.kind() {
                "keyword_argument" => {
                    if a.child_by_field_name("name").map(|n| self.text(n)) == Some(want.as_str()) {
                        let v = a.child_by_field_name("value")?;
                        return Some(self.eval(v, &fr.caller));
                    }
                }
                "list_splat" | "dictionary_splat" | "comment" => {}
                _ => {
                    if positional + skip == idx {
                        return Some(self.eval(a, &fr.caller));
                    }
                    positional += 1;
                }
            }
        }
        None
    }

    // --- attributes, subscripts, operators --------------------------------------------

    fn eval_attribute(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let full = self.text(n);
        if let Some(b) = self.last_bind(0, full, ctx.pos, true) {
            let v = self.eval_bind(full, b, None);
            return self.apply_mutations(0, full, v, b.pos, usize::MAX, None);
        }
        let (Some(obj), Some(attr)) = (
            n.child_by_field_name("object"),
            n.child_by_field_name("attribute"),
        ) else {
            return self.unknown(n);
        };
        let attr = self.text(attr);
        match self.eval(obj, ctx) {
            Val::Module(p) => sdk::attribute(&p, attr, self.line(n))
                .unwrap_or_else(|| Val::Module(format!("{p}.{attr}"))),
            Val::Client(c) => match attr {
                "headers" => {
                    let base = c.headers.clone().unwrap_or(Val::Dict(Vec::new(), None));
                    self.apply_mutations(0, full, base, 0, ctx.pos, None)
                }
                _ => self.unknown(n),
            },
            _ => self.unknown(n),
        }
    }

    fn eval_subscript(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(v), Some(k)) = (
            n.child_by_field_name("value"),
            n.child_by_field_name("subscript"),
        ) else {
            return self.unknown(n);
        };
        let base = self.eval(v, ctx);
        let key = self.eval(k, ctx);
        match (base, key) {
            (Val::Module(m), Val::Str(name, _)) if m == "os.environ" => {
                self.env_read(&name.text, None, self.text(n), self.line(n))
            }
            (Val::Dict(es, _), Val::Str(key, _)) => es
                .into_iter()
                .rev()
                .find(|e| e.key.text == key.text)
                .map(|e| e.value)
                .unwrap_or_else(|| self.unknown(n)),
            (Val::Seq(items), Val::Scalar(i)) => i
                .parse::<i64>()
                .ok()
                .and_then(|i| {
                    let len = items.len() as i64;
                    let j = if i < 0 { len + i } else { i };
                    usize::try_from(j).ok().and_then(|j| items.get(j).cloned())
                })
                .unwrap_or_else(|| self.unknown(n)),
            _ => self.unknown(n),
        }
    }

    /// Left operand, operator and right operand of a binary or boolean operator.
    fn operands(&self, n: Node<'t>) -> Option<(Node<'t>, &'t str, Node<'t>)> {
        Some((
            n.child_by_field_name("left")?,
            self.text(n.child_by_field_name("operator")?),
            n.child_by_field_name("right")?,
        ))
    }

    fn eval_binary(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some((l, op, r)) = self.operands(n) else {
            return self.unknown(n);
        };
        let lv = self.eval(l, ctx);
        let rv = self.eval(r, ctx);
        match op {
            "+" => concat(lv, rv).unwrap_or_else(|| self.unknown(n)),
            "%" => match lv {
                Val::Str(fmt, b) => {
                    let args = match rv {
                        Val::Seq(items) => items,
                        other => vec![other],
                    };
                    let strs: Vec<Traced> = args.iter().map(|a| self.to_str(a, r)).collect();
                    percent_format(&fmt, &strs)
                        .map(|t| Val::Str(t, b))
                        .unwrap_or_else(|| self.unknown(n))
                }
                _ => self.unknown(n),
            },
            _ => self.unknown(n),
        }
    }

    /// `a or b`: `os.getenv("X") or "default"`.
    fn eval_or(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some((l, "or", r)) = self.operands(n) else {
            return self.unknown(n);
        };
        let lv = self.eval(l, ctx);
        let unset_env = match &lv {
            Val::Str(t, _) => t.spans.iter().find_map(|s| match &s.src {
                Src::Env {
                    name,
                    state: EnvState::Unset,
                    expr,
                } => Some((name.clone(), expr.clone())),
                _ => None,
            }),
            _ => None,
        };
        match (lv, unset_env) {
            (Val::Str(t, b), None) if !t.text.is_empty() && t.is_resolved() => Val::Str(t, b),
            (_, Some((name, expr))) => match self.eval(r, ctx) {
                Val::Str(d, b) => Val::Str(
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
                    b,
                ),
                other => other,
            },
            (Val::None, None) => self.eval(r, ctx),
            (Val::Str(t, _), None) if t.text.is_empty() => self.eval(r, ctx),
            _ => self.unknown(n),
        }
    }

    fn eval_dict(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
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
                    let key = match self.eval(k, ctx) {
                        Val::Str(t, _) => t,
                        Val::Scalar(s) => Traced::literal(s, self.line(k)),
                        other => self.to_str(&other, k),
                    };
                    let value = self.eval(v, ctx);
                    set_entry(&mut entries, key, value, self.line(k));
                }
                "dictionary_splat" => {
                    if let Some(inner) = it.named_child(0)
                        && let Val::Dict(more, _) = self.eval(inner, ctx)
                    {
                        for e in more {
                            set_entry(&mut entries, e.key, e.value, e.line);
                        }
                    }
                }
                _ => {}
            }
        }
        Val::Dict(entries, self.line(n))
    }

    // --- calls ------------------------------------------------------------------------

    fn eval_call(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some(f) = n.child_by_field_name("function") else {
            return self.unknown(n);
        };
        let args = self.call_args(n, ctx);
        if f.kind() == "attribute"
            && let (Some(obj), Some(attr)) = (
                f.child_by_field_name("object"),
                f.child_by_field_name("attribute"),
            )
        {
            let attr = self.text(attr);
            let recv = self.eval(obj, ctx);
            return match recv {
                Val::Module(p) => self.builtin(&format!("{p}.{attr}"), &args, n),
                Val::Str(t, b) => self.str_method(t, b, attr, &args, n),
                Val::Dict(es, line) => match attr {
                    "get" => match args.positional.first() {
                        Some((Val::Str(k, _), _)) => es
                            .into_iter()
                            .rev()
                            .find(|e| e.key.text == k.text)
                            .map(|e| e.value)
                            .or_else(|| args.positional.get(1).map(|a| a.0.clone()))
                            .unwrap_or(Val::None),
                        _ => self.unknown(n),
                    },
                    "copy" => Val::Dict(es, line),
                    _ => self.unknown(n),
                },
                _ => self.user_call(attr, n, ctx),
            };
        }
        match self.eval(f, ctx) {
            Val::Module(p) => self.builtin(&p, &args, n),
            _ if f.kind() == "identifier" => {
                let name = self.text(f);
                self.user_call(name, n, ctx)
            }
            _ => self.unknown(n),
        }
    }

    /// A call of a function of the script with a single obvious `return`.
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

    fn call_args(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Args {
        let mut out = Args::default();
        let Some(args) = n.child_by_field_name("arguments") else {
            return out;
        };
        if args.kind() != "argument_list" {
            return out;
        }
        let mut cursor = args.walk();
        let list: Vec<Node<'t>> = args.named_children(&mut cursor).collect();
        for a in list {
            match a.kind() {
                "keyword_argument" => {
                    if let (Some(k), Some(v)) = (
                        a.child_by_field_name("name"),
                        a.child_by_field_name("value"),
                    ) {
                        let val = self.eval(v, ctx);
                        out.keywords
                            .push((self.text(k).to_string(), val, self.line(a)));
                    }
                }
                "dictionary_splat" => match a.named_child(0).map(|x| self.eval(x, ctx)) {
                    Some(Val::Dict(es, _)) => {
                        for e in es {
                            out.keywords.push((e.key.text.clone(), e.value, e.line));
                        }
                    }
                    _ => out.opaque = Some((self.text(a).to_string(), self.line(a))),
                },
                "list_splat" => out.opaque = Some((self.text(a).to_string(), self.line(a))),
                "comment" => {}
                _ => {
                    let v = self.eval(a, ctx);
                    out.positional.push((v, self.line(a)));
                }
            }
        }
        out
    }

    /// Library and builtin functions, by dotted path.
    fn builtin(&mut self, path: &str, args: &Args, n: Node<'t>) -> Val {
        if let Some(v) = self.sdk_builtin(path, args, n) {
            return v;
        }
        let arg = |i: usize, kw: &str| args.get(i, kw).map(|a| a.0);
        match path {
            "os.getenv" | "os.environ.get" => match arg(0, "key") {
                Some(Val::Str(name, _)) => {
                    self.env_read(&name.text, arg(1, "default"), self.text(n), self.line(n))
                }
                _ => self.unknown(n),
            },
            "base64.b64encode"
            | "base64.standard_b64encode"
            | "base64.urlsafe_b64encode"
            | "base64.encodebytes"
            | "base64.encodestring" => match arg(0, "s") {
                Some(Val::Str(inner, _)) => Val::Str(b64(&inner, path), true),
                _ => self.unknown(n),
            },
            "str" => match (arg(0, "object"), arg(1, "encoding")) {
                (Some(Val::Str(t, true)), Some(_)) => Val::str(t),
                (Some(v), _) => Val::str(self.to_str(&v, n)),
                (None, _) => Val::str(Traced::literal("", self.line(n))),
            },
            "bytes" => match arg(0, "source") {
                Some(Val::Str(t, _)) => Val::Str(t, true),
                _ => self.unknown(n),
            },
            "dict" => {
                let mut entries = match arg(0, "") {
                    Some(Val::Dict(es, _)) => es,
                    _ => Vec::new(),
                };
                for (k, v, l) in &args.keywords {
                    set_entry(&mut entries, Traced::literal(k.clone(), *l), v.clone(), *l);
                }
                Val::Dict(entries, self.line(n))
            }
            "json.dumps" => match arg(0, "obj").and_then(|v| to_json(&v)) {
                Some(t) => Val::str(t),
                None => self.unknown(n),
            },
            "urllib.parse.urlencode" => match arg(0, "query").and_then(|v| v.pairs()) {
                Some(pairs) => Val::str(form_encode_pairs(&pairs, self.line(n)).0),
                None => self.unknown(n),
            },
            "urllib.parse.quote_plus" | "urllib.parse.quote" | "requests.utils.quote" => {
                match arg(0, "string") {
                    Some(Val::Str(t, b)) => {
                        let enc = if path.ends_with("quote_plus") {
                            quote_plus(&t.text)
                        } else {
                            quote(&t.text)
                        };
                        Val::Str(t.map(enc), b)
                    }
                    _ => self.unknown(n),
                }
            }
            p if p.ends_with("HTTPBasicAuth") || p == "httpx.BasicAuth" => {
                match (arg(0, "username"), arg(1, "password")) {
                    (Some(a), Some(b)) => Val::Auth(Box::new(a), Box::new(b)),
                    _ => self.unknown(n),
                }
            }
            "requests.Session" | "requests.session" | "requests.sessions.Session" => {
                Val::Client(Box::new(Client {
                    lib: Lib::Requests,
                    headers: None,
                    auth: None,
                    base_url: None,
                    params: None,
                }))
            }
            "http.client.HTTPSConnection" | "http.client.HTTPConnection" => {
                let scheme = if path.ends_with("HTTPSConnection") {
                    "https://"
                } else {
                    "http://"
                };
                let base_url = match arg(0, "host") {
                    Some(Val::Str(host, _)) => {
                        let mut t = Traced::literal(scheme, self.line(n));
                        t.push(&host);
                        Some(Val::str(t))
                    }
                    _ => None,
                };
                Val::Client(Box::new(Client {
                    lib: Lib::HttpClient,
                    headers: None,
                    auth: None,
                    base_url,
                    params: None,
                }))
            }
            "httpx.Client" | "httpx.AsyncClient" => Val::Client(Box::new(Client {
                lib: Lib::Httpx,
                headers: arg(usize::MAX, "headers"),
                auth: args.get(usize::MAX, "auth"),
                base_url: arg(usize::MAX, "base_url"),
                params: arg(usize::MAX, "params"),
            })),
            _ => self.unknown(n),
        }
    }

    fn str_method(
        &mut self,
        t: Traced,
        bytes: bool,
        method: &str,
        args: &Args,
        n: Node<'t>,
    ) -> Val {
        let arg_str = |i: usize| match args.positional.get(i) {
            Some((Val::Str(s, _), _)) => Some(s.text.clone()),
            _ => None,
        };
        match method {
            "encode" => Val::Str(t, true),
            "decode" => Val::Str(t, false),
            "strip" | "lstrip" | "rstrip" => {
                let chars = arg_str(0);
                let is_strip = |c: char| match &chars {
                    Some(set) => set.contains(c),
                    None => c.is_whitespace(),
                };
                let s = t.text.as_str();
                let start = if method != "rstrip" {
                    s.len() - s.trim_start_matches(is_strip).len()
                } else {
                    0
                };
                let end = if method != "lstrip" {
                    s.trim_end_matches(is_strip).len()
                } else {
                    s.len()
                };
                Val::Str(t.slice(start..end.max(start)), bytes)
            }
            "lower" => Val::Str(t.map(t.text.to_lowercase()), bytes),
            "upper" => Val::Str(t.map(t.text.to_uppercase()), bytes),
            "replace" => match (arg_str(0), arg_str(1)) {
                (Some(a), Some(b)) if !a.is_empty() => {
                    Val::Str(t.map(t.text.replace(&a, &b)), bytes)
                }
                _ => self.unknown(n),
            },
            "format" => {
                let pos: Vec<Traced> = args
                    .positional
                    .iter()
                    .map(|a| self.to_str(&a.0, n))
                    .collect();
                let kw: Vec<(String, Traced)> = args
                    .keywords
                    .iter()
                    .map(|(k, v, _)| (k.clone(), self.to_str(v, n)))
                    .collect();
                brace_format(&t, &pos, &kw)
                    .map(|r| Val::Str(r, bytes))
                    .unwrap_or_else(|| self.unknown(n))
            }
            "join" => match args.positional.first() {
                Some((Val::Seq(items), _)) => {
                    let mut out = Traced::default();
                    for (i, it) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(&t);
                        }
                        match it {
                            Val::Str(s, _) => out.push(s),
                            _ => return self.unknown(n),
                        }
                    }
                    Val::Str(out, bytes)
                }
                _ => self.unknown(n),
            },
            _ => self.unknown(n),
        }
    }

    /// An environment read: the value from `env`, the default, or a `${NAME}` marker.
    fn env_read(&self, name: &str, default: Option<Val>, expr: &str, line: Option<usize>) -> Val {
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
        match ((self.env)(name), default) {
            (Some(v), _) => Val::str(mk(v, EnvState::Set)),
            (None, Some(Val::Str(d, b))) => Val::Str(mk(d.text, EnvState::UnsetDefault), b),
            (None, _) => Val::str(mk(format!("${{{name}}}"), EnvState::Unset)),
        }
    }

    // --- the HTTP calls -----------------------------------------------------------------

    /// Every call that sends an HTTP request, with what kind it is.
    fn http_calls(&mut self) -> Vec<HttpCall<'t>> {
        let sites = self.index.http_calls.clone();
        sites.into_iter().filter_map(|s| self.classify(s)).collect()
    }

    fn classify(&mut self, site: Site<'t>) -> Option<HttpCall<'t>> {
        let n = site.node;
        let f = n.child_by_field_name("function")?;
        let ctx = self.ctx_at(site);
        let (path, client) = match f.kind() {
            "attribute" => {
                let obj = f.child_by_field_name("object")?;
                let attr = self.text(f.child_by_field_name("attribute")?);
                match self.eval(obj, &ctx) {
                    Val::Module(p) => (format!("{p}.{attr}"), None),
                    Val::Client(c) => {
                        let mut c = *c;
                        self.session_settings(obj, &mut c, &ctx);
                        (format!("client.{attr}"), Some(c))
                    }
                    _ => return None,
                }
            }
            "identifier" => match self.eval(f, &ctx) {
                Val::Module(p) => (p, None),
                _ => return None,
            },
            _ => return None,
        };
        let (lib, verb) = match (path.as_str(), &client) {
            ("urllib.request.Request", _) => (Lib::Urllib, "request".to_string()),
            (p, Some(c)) => (c.lib, p.rsplit('.').next()?.to_string()),
            (p, None) => {
                let (lib, verb) = p.rsplit_once('.')?;
                let lib = match lib {
                    "requests" | "requests.api" => Lib::Requests,
                    "httpx" => Lib::Httpx,
                    _ => return None,
                };
                (lib, verb.to_string())
            }
        };
        if !HTTP_VERBS.contains(&verb.as_str()) {
            return None;
        }
        let params = signature(lib, &verb, client.is_some());
        let args = self.call_args(n, &ctx);
        Some(HttpCall {
            node: n,
            lib,
            verb,
            client,
            params,
            args,
        })
    }

    /// `s.auth = …` and `s.headers.update(…)` / `s.headers[k] = v` for a session variable.
    fn session_settings(&mut self, obj: Node<'t>, c: &mut Client, ctx: &Ctx<'t>) {
        if !matches!(obj.kind(), "identifier" | "attribute") {
            return;
        }
        let name = self.text(obj).to_string();
        let auth_key = format!("{name}.auth");
        if let Some(b) = self.last_bind(0, &auth_key, ctx.pos, true) {
            let line = Some(self.lines.line(b.pos));
            c.auth = Some((self.eval_bind(&auth_key, b, None), line));
        }
        let headers_key = format!("{name}.headers");
        let base = c.headers.clone().unwrap_or(Val::Dict(Vec::new(), None));
        let base = match self.last_bind(0, &headers_key, ctx.pos, true) {
            Some(b) => self.eval_bind(&headers_key, b, None),
            None => base,
        };
        let merged = self.apply_mutations(0, &headers_key, base, 0, ctx.pos, None);
        if matches!(&merged, Val::Dict(es, _) if !es.is_empty()) || c.headers.is_some() {
            c.headers = Some(merged);
        }
    }

    fn url_of(&mut self, call: &HttpCall<'t>) -> Traced {
        let mut url = match call.arg("url") {
            Some((v, l)) => {
                let expr = call.arg_node_text(self.src, "url");
                self.value_str(&v, l, &expr)
            }
            None => Traced::unknown("url", "{url}".into(), self.line(call.node)),
        };
        if let Some(c) = &call.client
            && let Some(base) = &c.base_url
            && !url.text.contains("://")
        {
            let mut b = self.value_str(base, self.line(call.node), "base_url");
            let trimmed = b.text.trim_end_matches('/').len();
            b = b.slice(0..trimmed);
            if !url.text.starts_with('/') {
                b.push_literal("/", None);
            }
            b.push(&url);
            url = b;
        }
        url
    }

    fn value_str(&self, v: &Val, line: Option<usize>, expr: &str) -> Traced {
        match v {
            Val::Str(t, _) => t.clone(),
            Val::Unknown(e, l) => Traced::unknown(e, format!("{{{e}}}"), *l).with_expr(e),
            Val::Scalar(s) => Traced::literal(s.clone(), line),
            _ => Traced::unknown(expr, format!("{{{expr}}}"), line),
        }
    }

    fn method_of(&mut self, call: &HttpCall<'t>) -> (String, Option<usize>, Option<Unresolved>) {
        if call.lib == Lib::Urllib {
            return match call.arg("method") {
                Some((Val::Str(m, _), l)) if m.is_resolved() => {
                    (m.text.to_ascii_uppercase(), l, None)
                }
                _ => {
                    let has_data = call.arg("data").is_some_and(|d| !d.0.is_none());
                    (if has_data { "POST" } else { "GET" }.into(), None, None)
                }
            };
        }
        if call.verb != "request" {
            return (call.verb.to_ascii_uppercase(), None, None);
        }
        match call.arg("method") {
            Some((Val::Str(m, _), l)) if m.is_resolved() => (m.text.to_ascii_uppercase(), l, None),
            Some((other, l)) => {
                let expr = match other {
                    Val::Unknown(e, _) => e,
                    _ => "method".into(),
                };
                (
                    "POST".into(),
                    l,
                    Some(Unresolved {
                        what: WHAT_METHOD.into(),
                        expr,
                        line: l,
                    }),
                )
            }
            None => ("GET".into(), None, None),
        }
    }

    /// The draft request of the chosen call.
    fn draft(&mut self, call: &HttpCall<'t>) -> Draft {
        let call_line = self.line(call.node);
        let mut d = Draft {
            call_line,
            ..Draft::default()
        };
        let (method, mline, munres) = self.method_of(call);
        d.method = method;
        d.method_line = mline;
        d.unresolved.extend(munres);
        d.url = self.url_of(call);
        d.url_line = call.arg("url").and_then(|a| a.1);
        self.add_params(call, &mut d);
        self.add_headers(call, &mut d);
        self.add_body(call, &mut d);
        self.add_auth(call, &mut d);
        if let Some((e, l)) = &call.args.opaque {
            d.notes.push(format!(
                "the call passes `{e}` (line {}): its contents are not known here",
                l.unwrap_or(0)
            ));
        }
        d
    }

    fn add_params(&mut self, call: &HttpCall<'t>, d: &mut Draft) {
        let mut all: Vec<(Traced, Val, Option<usize>)> = Vec::new();
        let sources = [
            call.client
                .as_ref()
                .and_then(|c| c.params.clone())
                .map(|v| (v, None)),
            call.arg("params"),
        ];
        for (v, l) in sources.into_iter().flatten() {
            match v.pairs() {
                Some(ps) => all.extend(ps),
                None if v.is_none() => {}
                None => {
                    let e = match &v {
                        Val::Unknown(e, _) => e.clone(),
                        _ => "params".into(),
                    };
                    d.unresolved.push(Unresolved {
                        what: WHAT_URL.into(),
                        expr: e,
                        line: l,
                    });
                }
            }
        }
        if all.is_empty() {
            return;
        }
        let (q, params) = form_encode_pairs(&all, d.url_line);
        if q.is_empty() {
            return;
        }
        let sep = if d.url.text.contains('?') { "&" } else { "?" };
        d.url.push_literal(sep, None);
        d.url.push(&q);
        let mut existing: Vec<DraftParam> = Vec::new();
        if let Some(qr) = super::query_range(&d.url.text) {
            let own = &d.url.text[qr.clone()];
            let own_len = own.len().saturating_sub(q.text.len() + 1);
            if own_len > 0 {
                for (name, r) in super::form_pairs(&own[..own_len]) {
                    let raw = d.url.slice(qr.start + r.start..qr.start + r.end);
                    existing.push(DraftParam {
                        name,
                        meant: raw.map(crate::shape::intended_from_raw_form(&raw.text)),
                        line: raw.line(),
                    });
                }
            }
        }
        existing.extend(params);
        d.query_params = Some(existing);
    }

    fn add_headers(&mut self, call: &HttpCall<'t>, d: &mut Draft) {
        let sources = [
            call.client
                .as_ref()
                .and_then(|c| c.headers.clone())
                .map(|v| (v, None)),
            call.arg("headers"),
        ];
        for (v, l) in sources.into_iter().flatten() {
            match v {
                Val::Dict(es, _) => {
                    for e in es {
                        let name = if call.lib == Lib::Urllib {
                            capitalize(&e.key.text)
                        } else {
                            e.key.text.clone()
                        };
                        match &e.value {
                            Val::None => d.remove_header(&name),
                            other => {
                                let t = self.value_str(other, e.line, &name);
                                d.set_header(&name, t, e.line);
                            }
                        }
                    }
                }
                Val::None => {}
                other => {
                    let e = match other {
                        Val::Unknown(e, _) => e,
                        _ => "headers".into(),
                    };
                    d.unresolved.push(Unresolved {
                        what: WHAT_HEADERS.into(),
                        expr: e,
                        line: l,
                    });
                }
            }
        }
    }

    fn add_auth(&mut self, call: &HttpCall<'t>, d: &mut Draft) {
        let auth = call
            .arg("auth")
            .filter(|a| !a.0.is_none())
            .or_else(|| call.client.as_ref().and_then(|c| c.auth.clone()));
        let Some((v, line)) = auth else { return };
        let (a, b) = match v {
            Val::Seq(items) if items.len() == 2 => (items[0].clone(), items[1].clone()),
            Val::Auth(a, b) => (*a, *b),
            other => {
                let e = match other {
                    Val::Unknown(e, _) => e,
                    _ => "auth".into(),
                };
                d.unresolved.push(Unresolved {
                    what: what_header("Authorization"),
                    expr: e,
                    line,
                });
                return;
            }
        };
        let id = self.value_str(&a, line, "username").default_line(line);
        let secret = self.value_str(&b, line, "password").default_line(line);
        let header = basic_header(&id, &secret, line);
        if d.has_header("authorization") {
            d.notes.push(format!(
                "`auth=` (line {}) replaces the Authorization header the code sets: requests and httpx apply auth last",
                line.unwrap_or(0)
            ));
        }
        d.set_header("Authorization", header, line);
        d.basic = Some(DraftBasic { id, secret, line });
    }

    fn add_body(&mut self, call: &HttpCall<'t>, d: &mut Draft) {
        let data = call.arg("data").filter(|a| !a.0.is_none());
        let json = call.arg("json").filter(|a| !a.0.is_none());
        let files = call.arg("files").filter(|a| !a.0.is_none());
        let content = call.arg("content").filter(|a| !a.0.is_none());
        let set_ct = |d: &mut Draft, ct: &str, line: Option<usize>| {
            if !d.has_header("content-type") {
                let name = if call.lib == Lib::Urllib {
                    "Content-type"
                } else {
                    "Content-Type"
                };
                d.headers.push(DraftHeader {
                    name: name.into(),
                    value: Traced::literal(ct, line),
                    line,
                });
            }
        };
        if let Some((f, fl)) = files {
            let fields = data.as_ref().and_then(|x| x.0.pairs()).unwrap_or_default();
            let (body, params) = self.multipart(&fields, &f, fl);
            d.body = body;
            d.body_params = Some(params);
            d.body_line = fl;
            set_ct(
                d,
                &format!("multipart/form-data; boundary={MP_BOUNDARY}"),
                fl,
            );
            return;
        }
        // httpx `content=` and http.client's `body` are sent as they are, with no content type.
        let raw = content.or_else(|| call.arg("body").filter(|a| !a.0.is_none()));
        if let Some((c, cl)) = raw {
            d.body = self.value_str(&c, cl, "content");
            d.body_line = cl;
            return;
        }
        if let Some((v, l)) = data {
            d.body_line = match &v {
                Val::Dict(_, dl) => dl.or(l),
                _ => l,
            };
            match v.pairs() {
                Some(pairs) if call.lib != Lib::Urllib => {
                    let (body, params) = form_encode_pairs(&pairs, d.body_line);
                    d.body = body;
                    d.body_params = Some(params);
                    set_ct(d, FORM, d.body_line);
                }
                _ => {
                    d.body = self.value_str(&v, l, "data");
                    if d.body.text.starts_with('{')
                        && !d.body.is_resolved()
                        && d.body.spans.len() == 1
                    {
                        d.unresolved.push(Unresolved {
                            what: WHAT_BODY.into(),
                            expr: d.body.text.trim_matches(['{', '}']).to_string(),
                            line: l,
                        });
                    }
                    if call.lib == Lib::Urllib {
                        set_ct(d, FORM, l);
                    }
                }
            }
            return;
        }
        if let Some((j, l)) = json {
            d.body_line = match &j {
                Val::Dict(_, dl) => dl.or(l),
                _ => l,
            };
            d.body = to_json(&j).unwrap_or_else(|| self.value_str(&j, l, "json"));
            set_ct(d, "application/json", d.body_line);
        }
    }

    /// requests/urllib3's multipart encoding (the boundary is random in reality).
    fn multipart(
        &self,
        fields: &[(Traced, Val, Option<usize>)],
        files: &Val,
        line: Option<usize>,
    ) -> (Traced, Vec<DraftParam>) {
        let mut body = Traced::default();
        let mut params = Vec::new();
        let mut part = |body: &mut Traced,
                        name: &str,
                        filename: Option<&str>,
                        value: Traced,
                        l: Option<usize>| {
            let disp = match filename {
                Some(f) => format!(
                    "--{MP_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\r\n"
                ),
                None => format!(
                    "--{MP_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                ),
            };
            body.push_literal(&disp, l);
            body.push(&value);
            body.push_literal("\r\n", l);
            params.push(DraftParam {
                name: name.to_string(),
                meant: value,
                line: l,
            });
        };
        for (k, v, l) in fields {
            let t = self.value_str(v, *l, &k.text);
            part(&mut body, &k.text, None, t, *l);
        }
        for (k, v, l) in files.pairs().unwrap_or_default() {
            match &v {
                Val::Seq(items) if !items.is_empty() => {
                    let filename = match &items[0] {
                        Val::Str(f, _) => Some(f.text.clone()),
                        _ => None,
                    };
                    let content = items
                        .get(1)
                        .map(|c| self.value_str(c, l, &k.text))
                        .unwrap_or_default();
                    part(&mut body, &k.text, filename.as_deref(), content, l);
                }
                other => {
                    let content = self.value_str(other, l, &k.text);
                    part(&mut body, &k.text, Some(&k.text), content, l);
                }
            }
        }
        body.push_literal(&format!("--{MP_BOUNDARY}--\r\n"), line);
        (body, params)
    }
}

const MP_BOUNDARY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

/// Arguments of a call.
#[derive(Default)]
struct Args {
    positional: Vec<(Val, Option<usize>)>,
    keywords: Vec<(String, Val, Option<usize>)>,
    /// A `*args` or unknown `**kwargs` that may hold anything.
    opaque: Option<(String, Option<usize>)>,
}

impl Args {
    /// Positional `i` or keyword `kw`, with its line.
    fn get(&self, i: usize, kw: &str) -> Option<(Val, Option<usize>)> {
        if let Some(k) = self.keywords.iter().rev().find(|k| k.0 == kw) {
            return Some((k.1.clone(), k.2));
        }
        self.positional.get(i).cloned()
    }
}

/// An HTTP call of the script.
struct HttpCall<'t> {
    node: Node<'t>,
    lib: Lib,
    verb: String,
    client: Option<Client>,
    params: &'static [&'static str],
    args: Args,
}

impl HttpCall<'_> {
    /// The argument for a parameter: by keyword, else by position in the signature.
    fn arg(&self, name: &str) -> Option<(Val, Option<usize>)> {
        let params = self.params;
        if let Some(k) = self.args.keywords.iter().rev().find(|k| k.0 == name) {
            return Some((k.1.clone(), k.2));
        }
        let i = params.iter().position(|p| *p == name)?;
        self.args.positional.get(i).cloned()
    }

    fn arg_node_text(&self, src: &str, name: &str) -> String {
        let params = self.params;
        let Some(args) = self.node.child_by_field_name("arguments") else {
            return name.to_string();
        };
        let mut cursor = args.walk();
        let list: Vec<Node<'_>> = args.named_children(&mut cursor).collect();
        for a in &list {
            if a.kind() == "keyword_argument"
                && a.child_by_field_name("name").map(|n| text(n, src)) == Some(name)
            {
                return a
                    .child_by_field_name("value")
                    .map(|v| text(v, src).to_string())
                    .unwrap_or_default();
            }
        }
        let i = params.iter().position(|p| *p == name).unwrap_or(usize::MAX);
        list.iter()
            .filter(|a| {
                !matches!(
                    a.kind(),
                    "keyword_argument" | "dictionary_splat" | "list_splat" | "comment"
                )
            })
            .nth(i)
            .map(|a| text(*a, src).to_string())
            .unwrap_or_else(|| name.to_string())
    }
}

/// The positional parameters of each sending function.
fn signature(lib: Lib, verb: &str, session: bool) -> &'static [&'static str] {
    match (lib, verb, session) {
        (Lib::HttpClient, _, _) => &["method", "url", "body", "headers"],
        (Lib::Urllib, _, _) => &[
            "url",
            "data",
            "headers",
            "origin_req_host",
            "unverifiable",
            "method",
        ],
        (Lib::Requests, "request", true) => &[
            "method", "url", "params", "data", "headers", "cookies", "files", "auth",
        ],
        (_, "request", _) => &["method", "url"],
        (Lib::Requests, "post" | "put" | "patch", _) => &["url", "data", "json"],
        (Lib::Requests, "get", false) => &["url", "params"],
        _ => &["url"],
    }
}

/// Picks the token call: URL ending in /oauth/token, else the first POST.
fn choose<'c, 't>(
    r: &mut Resolver<'t, '_>,
    calls: &'c [HttpCall<'t>],
) -> Option<(&'c HttpCall<'t>, Option<String>)> {
    let mut token_calls = Vec::new();
    let mut first_post = None;
    for c in calls {
        if is_token_url(&r.url_of(c).text) {
            token_calls.push(c);
        }
        if first_post.is_none() && r.method_of(c).0 == "POST" {
            first_post = Some(c);
        }
    }
    match token_calls.as_slice() {
        [] => first_post.map(|c| (c, None)),
        [one] => Some((*one, None)),
        [first, ..] => {
            let lines: Vec<String> = token_calls
                .iter()
                .map(|c| c.node.start_position().row + 1)
                .map(|l| l.to_string())
                .collect();
            Some((
                *first,
                Some(format!(
                    "the script has {} token requests (lines {}); the one at line {} is read",
                    token_calls.len(),
                    lines.join(", "),
                    first.node.start_position().row + 1
                )),
            ))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Helpers.

/// Parameter names and defaults of a function definition.
fn parameters<'t>(f: Node<'t>, src: &str) -> Vec<(String, Option<Node<'t>>)> {
    let Some(ps) = f.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut cursor = ps.walk();
    let list: Vec<Node<'t>> = ps.named_children(&mut cursor).collect();
    list.into_iter()
        .filter_map(|p| match p.kind() {
            "identifier" => Some((text(p, src).to_string(), None)),
            "default_parameter" | "typed_default_parameter" => Some((
                p.child_by_field_name("name")
                    .map(|n| text(n, src).to_string())?,
                p.child_by_field_name("value"),
            )),
            "typed_parameter" => p
                .named_child(0)
                .filter(|c| c.kind() == "identifier")
                .map(|c| (text(c, src).to_string(), None)),
            _ => None,
        })
        .collect()
}

/// The expression of a function's only `return` at the top of its body.
fn single_return(f: Node<'_>) -> Option<Node<'_>> {
    let body = f.child_by_field_name("body")?;
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
        (Val::Str(mut x, bx), Val::Str(y, by)) if bx == by => {
            x.push(&y);
            Some(Val::Str(x, bx))
        }
        (Val::Seq(mut x), Val::Seq(y)) => {
            x.extend(y);
            Some(Val::Seq(x))
        }
        _ => None,
    }
}

fn capitalize(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// A form (or query) from pairs as requests encodes it (`urlencode(..., doseq=True)`),
/// with each parameter's meant value.
fn form_encode_pairs(
    pairs: &[(Traced, Val, Option<usize>)],
    line: Option<usize>,
) -> (Traced, Vec<DraftParam>) {
    let mut body = Traced::default();
    let mut params = Vec::new();
    let mut add = |body: &mut Traced, k: &Traced, v: Traced, l: Option<usize>| {
        if !body.is_empty() {
            body.push_literal("&", l.or(line));
        }
        body.push(&k.map(quote_plus(&k.text)).default_line(l));
        body.push_literal("=", l);
        body.push(&v.map(quote_plus(&v.text)).default_line(l));
        params.push(DraftParam {
            name: k.text.clone(),
            meant: v,
            line: l,
        });
    };
    for (k, v, l) in pairs {
        let values: Vec<Val> = match v {
            Val::Seq(items) => items.clone(),
            other => vec![other.clone()],
        };
        for v in values {
            let t = match v {
                Val::None => continue,
                Val::Str(t, _) => t,
                Val::Scalar(s) => Traced::literal(s, *l),
                Val::Unknown(e, ul) => Traced::unknown(&e, format!("{{{e}}}"), ul).with_expr(&e),
                _ => Traced::unknown(&k.text, format!("{{{}}}", k.text), *l),
            };
            add(&mut body, k, t, *l);
        }
    }
    (body, params)
}

/// `json.dumps` with Python's default separators and `ensure_ascii`.
fn to_json(v: &Val) -> Option<Traced> {
    Some(match v {
        Val::Dict(es, line) => {
            let mut t = Traced::literal("{", *line);
            for (i, e) in es.iter().enumerate() {
                if i > 0 {
                    t.push_literal(", ", e.line);
                }
                t.push(&e.key.map(json_string(&e.key.text)).default_line(e.line));
                t.push_literal(": ", e.line);
                t.push(&to_json(&e.value)?);
            }
            t.push_literal("}", *line);
            t
        }
        Val::Seq(items) => {
            let mut t = Traced::literal("[", None);
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    t.push_literal(", ", None);
                }
                t.push(&to_json(it)?);
            }
            t.push_literal("]", None);
            t
        }
        Val::Str(s, false) => s.map(json_string(&s.text)),
        Val::Scalar(s) => Traced::literal(
            match s.as_str() {
                "True" => "true".to_string(),
                "False" => "false".to_string(),
                other => other.to_string(),
            },
            None,
        ),
        Val::None => Traced::literal("null", None),
        Val::Unknown(e, l) => Traced::unknown(e, format!("\"{{{e}}}\""), *l),
        _ => return None,
    })
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// base64 of a traced string, remembering what it encodes.
fn b64(inner: &Traced, path: &str) -> Traced {
    let bytes = inner.text.as_bytes();
    let text = match path {
        "base64.urlsafe_b64encode" => URL_SAFE.encode(bytes),
        "base64.encodebytes" | "base64.encodestring" => {
            let enc = STANDARD.encode(bytes);
            let mut out: Vec<String> = enc
                .as_bytes()
                .chunks(76)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            out.push(String::new());
            out.join("\n")
        }
        _ => STANDARD.encode(bytes),
    };
    Traced::base64_of(inner.clone(), text, inner.line())
}

/// `"%s:%s" % (a, b)`.
fn percent_format(fmt: &Traced, args: &[Traced]) -> Option<Traced> {
    let mut out = Traced::default();
    let mut args = args.iter();
    let s = &fmt.text;
    let mut last = 0;
    let mut i = 0;
    let b = s.as_bytes();
    while i < b.len() {
        if b[i] == b'%' && i + 1 < b.len() {
            out.push(&fmt.slice(last..i));
            match b[i + 1] {
                b'%' => out.push_literal("%", fmt.line()),
                b's' | b'r' | b'd' => out.push(args.next()?),
                _ => return None,
            }
            i += 2;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push(&fmt.slice(last..s.len()));
    Some(out)
}

/// `"{}:{}".format(a, b)` and `"{name}".format(name=x)`.
fn brace_format(fmt: &Traced, pos: &[Traced], kw: &[(String, Traced)]) -> Option<Traced> {
    let mut out = Traced::default();
    let s = &fmt.text;
    let mut auto = 0usize;
    let mut last = 0;
    let mut i = 0;
    let b = s.as_bytes();
    while i < b.len() {
        match b[i] {
            b'{' if b.get(i + 1) == Some(&b'{') => {
                out.push(&fmt.slice(last..i + 1));
                i += 2;
                last = i;
            }
            b'}' if b.get(i + 1) == Some(&b'}') => {
                out.push(&fmt.slice(last..i + 1));
                i += 2;
                last = i;
            }
            b'{' => {
                let close = s[i..].find('}')? + i;
                out.push(&fmt.slice(last..i));
                let field = s[i + 1..close].split([':', '!']).next().unwrap_or("");
                let v = if field.is_empty() {
                    auto += 1;
                    pos.get(auto - 1)?
                } else if let Ok(n) = field.parse::<usize>() {
                    pos.get(n)?
                } else {
                    &kw.iter().find(|(k, _)| k == field)?.1
                };
                out.push(v);
                i = close + 1;
                last = i;
            }
            _ => i += 1,
        }
    }
    out.push(&fmt.slice(last..s.len()));
    Some(out)
}

/// Python string escapes (not raw strings).
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
            '\\' | '\'' | '"' => out.push(n),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            'x' | 'u' | 'U' => {
                let len = match n {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = (0..len)
                    .filter_map(|_| chars.next_if(|c| c.is_ascii_hexdigit()))
                    .collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == len => out.push(ch),
                    _ => {
                        out.push('\\');
                        out.push(n);
                        out.push_str(&hex);
                    }
                }
            }
            '0'..='7' => {
                let mut v = n.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                if let Some(ch) = char::from_u32(v) {
                    out.push(ch);
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(decode_escapes(r"a\nb\x41\u00e9\\\q"), "a\nbAé\\\\q");
    }

    #[test]
    fn formats() {
        let f = Traced::literal("{}:{x}", None);
        let r = brace_format(
            &f,
            &[Traced::literal("a", None)],
            &[("x".into(), Traced::literal("b", None))],
        )
        .unwrap();
        assert_eq!(r.text, "a:b");
        let p = percent_format(
            &Traced::literal("Basic %s", None),
            &[Traced::literal("Zm8=", None)],
        )
        .unwrap();
        assert_eq!(p.text, "Basic Zm8=");
    }
}
