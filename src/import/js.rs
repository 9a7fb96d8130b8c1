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

use super::script::eval::Evaluator;
use super::script::grammar::{self, Grammar};
use super::script::names::{Event, Names, Scope, Site, scope_of};
use super::script::value::{self, JsonStyle, ScriptVal, View, set_entry};
use super::script::{Env, is_token_url, line_of, short, text};
use super::sniff::{Sniff, Sniffed, markers};
use super::{
    Ctx, Draft, DraftBasic, DraftHeader, DraftParam, EnvState, Frame, ImportError, LineIndex, Src,
    Traced, WHAT_BODY, WHAT_HEADERS, WHAT_METHOD, WHAT_URL, basic_header, finish,
    percent_encode_strict, sdk_token_draft, what_header,
};
use crate::request::{FORM, ImportedRequest, InputKind, SdkHost, SdkKind, SdkSetting, Unresolved};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
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

/// The SDK's npm package.
const SDK: &str = "purecloud-platform-client-v2";
/// The SDK's client-credentials method.
const SDK_LOGIN: &str = "loginClientCredentialsGrant";
/// The environment the SDK uses when `setEnvironment` is never called.
const SDK_DEFAULT_ENV: &str = "mypurecloud.com";

/// Imports the token request of a JavaScript (Node.js) script.
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

const GRAMMAR: Grammar = Grammar {
    name: "JavaScript",
    language: || tree_sitter_javascript::LANGUAGE.into(),
    unclosed: "an unclosed bracket, quote or backtick?",
    hint: typescript_hint,
};

/// TypeScript is read with the JavaScript grammar: its annotations do not parse.
fn typescript_hint(source: &str) -> Option<&'static str> {
    source.ends_with(".ts").then_some(
        " (TypeScript type annotations are not understood: give the compiled JavaScript, e.g. from `npx tsc`, or the request as curl)",
    )
}

fn parse_tree(text: &str, source: &str) -> Result<Tree, ImportError> {
    grammar::parse_tree(text, source, &GRAMMAR)
}

// ---------------------------------------------------------------------------------------
// Values.

/// An object entry.
type Entry = value::Entry<Val>;

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
        Val::Unknown(short(self.text(n)), line_of(n))
    }

    fn names_value(&self, kind: &str) -> bool {
        matches!(
            kind,
            "identifier" | "member_expression" | "subscript_expression" | "call_expression"
        )
    }

    fn traced_mut(v: &mut Val) -> Option<&mut Traced> {
        match v {
            Val::Str(t) => Some(t),
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
        Some(self.apply_mutations(scope, name, v, b.pos, upto))
    }

    fn param(&mut self, f: Node<'t>, name: &str, at: Node<'t>, ctx: &Ctx<'t>) -> Option<Val> {
        self.parameter(f, name, at, ctx)
    }

    fn outer(&self, f: Node<'t>) -> Option<Node<'t>> {
        self.enclosing(f)
    }

    fn imported(&self, name: &str) -> Option<Val> {
        self.index.imports.get(name).map(|p| Val::Module(p.clone()))
    }
}

impl<'t> Resolver<'t, '_> {
    fn text(&self, n: Node<'_>) -> &'t str {
        text(n, self.src)
    }

    fn ctx_at(&self, site: Site<'t>) -> Ctx<'t> {
        site.ctx()
    }

    fn enclosing(&self, f: Node<'t>) -> Option<Node<'t>> {
        self.index.enclosing(f)
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
}

/// Content sniffing: markers only JavaScript has (Python shares `import` and `from`).
pub(crate) fn sniff(s: &Sniffed) -> Sniff {
    const MARKERS: [&str; 11] = [
        "require(",
        "const ",
        "let ",
        "=>",
        "process.env",
        "console.",
        "function ",
        "axios",
        "fetch(",
        "loginClientCredentialsGrant",
        ";\n",
    ];
    match markers(s.text, &MARKERS) {
        n if n > 0 && s.first.is_some() => Sniff::Markers(n),
        _ => Sniff::No,
    }
}
