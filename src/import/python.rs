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

use super::script::eval::Evaluator;
use super::script::grammar::{self, Grammar, no_hint};
use super::script::names::{Event, Names, Scope, Site, scope_of};
use super::script::value::{self, JsonStyle, ScriptVal, View, set_entry};
use super::script::{Env, is_token_url, line_of, text};
use super::sniff::{Sniff, Sniffed, markers};
use super::{
    Ctx, Draft, DraftBasic, DraftHeader, DraftParam, EnvState, Frame, ImportError, LineIndex, Src,
    Traced, WHAT_BODY, WHAT_HEADERS, WHAT_METHOD, WHAT_URL, basic_header, finish, quote,
    quote_plus, what_header,
};
use crate::request::{FORM, ImportedRequest, InputKind, Unresolved};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use std::collections::HashMap;
use std::rc::Rc;
use tree_sitter::{Node, Tree};

mod exprs;
mod helpers;
mod index;
mod names;
mod sdk;
mod send;

use helpers::*;
use index::*;

/// Imports the token request of a Python script.
pub(crate) fn parse(text: &str, source: &str, env: Env) -> Result<ImportedRequest, ImportError> {
    let tree = parse_tree(text, source)?;
    let out = import(&tree, text, source, env);
    grammar::drop_later(tree);
    out
}

/// [`parse`] over the parsed tree.
fn import(tree: &Tree, text: &str, source: &str, env: Env) -> Result<ImportedRequest, ImportError> {
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

const GRAMMAR: Grammar = Grammar {
    name: "Python",
    language: || tree_sitter_python::LANGUAGE.into(),
    unclosed: "an unclosed bracket or quote?",
    hint: no_hint,
};

fn parse_tree(text: &str, source: &str) -> Result<Tree, ImportError> {
    grammar::parse_tree(text, source, &GRAMMAR)
}

// ---------------------------------------------------------------------------------------
// Values.

/// A dict entry.
type Entry = value::Entry<Val>;

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

const MODULES: [&str; 8] = [
    "requests", "httpx", "os", "base64", "json", "urllib", "sys", "http",
];

impl<'t> Evaluator<'t> for Resolver<'t, '_> {
    type Val = Val;

    fn source(&self) -> &'t str {
        self.src
    }

    fn depth(&mut self) -> &mut usize {
        &mut self.depth
    }

    fn memo(&mut self) -> &mut HashMap<usize, Val> {
        &mut self.memo
    }

    fn eval_node(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        self.eval_inner(n, ctx)
    }

    fn unknown(&self, n: Node<'_>) -> Val {
        Val::Unknown(self.text(n).to_string(), self.line(n))
    }

    fn names_value(&self, kind: &str) -> bool {
        matches!(kind, "identifier" | "attribute" | "subscript" | "call")
    }

    fn traced_mut(v: &mut Val) -> Option<&mut Traced> {
        match v {
            Val::Str(t, _) => Some(t),
            _ => None,
        }
    }
    fn bound(
        &mut self,
        scope: Scope,
        name: &str,
        pos: usize,
        any: bool,
        upto: usize,
        frame: Option<Rc<Frame<'t>>>,
    ) -> Option<Val> {
        let b = self.last_bind(scope, name, pos, any)?;
        let v = self.eval_bind(name, b, frame.clone());
        Some(self.apply_mutations(scope, name, v, b.pos, upto, frame))
    }

    fn param(&mut self, f: Node<'t>, name: &str, at: Node<'t>, ctx: &Ctx<'t>) -> Option<Val> {
        self.parameter(f, name, at, ctx)
    }

    fn outer(&self, f: Node<'t>) -> Option<Node<'t>> {
        self.enclosing(f)
    }
}

impl<'t> Resolver<'t, '_> {
    fn line(&self, n: Node<'_>) -> Option<usize> {
        line_of(n)
    }

    fn text(&self, n: Node<'_>) -> &'t str {
        text(n, self.src)
    }

    fn ctx_at(&self, site: Site<'t>) -> Ctx<'t> {
        site.ctx()
    }

    /// The function a function definition is nested in.
    fn enclosing(&self, f: Node<'t>) -> Option<Node<'t>> {
        self.index.enclosing(f)
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

/// Content sniffing: markers only Python has (JavaScript shares `import` and `from`).
pub(crate) fn sniff(s: &Sniffed) -> Sniff {
    const MARKERS: [&str; 9] = [
        "def ",
        "requests.",
        "httpx.",
        "print(",
        "os.environ",
        "os.getenv",
        "import requests",
        "import os",
        "PureCloudPlatformClientV2",
    ];
    if s.first.is_none() {
        return Sniff::No;
    }
    match markers(s.text, &MARKERS) {
        0 if !(s.text.contains("import ") || s.text.contains("from ")) => Sniff::No,
        n => Sniff::Markers(n),
    }
}
