//! A statement-order interpreter for statically typed scripts (Java, Go): the entry function
//! runs statement by statement, variables live in nested scopes, objects a library builds
//! (request builders, forms, SDK clients) are shared and changed in place, and a call of the
//! script's own function binds its parameters and takes its `return`.
//!
//! Plan: a language implements [`Lang`] (how its statements run and its expressions
//! evaluate: its grammar mapping and its library model); everything that reads the same in
//! every such language lives here: scopes, user function calls with a depth guard, branches
//! whose condition cannot be known (run once, a `return` inside does not end the function),
//! environment reads, concatenation, base64, printf-style formatting, and the values
//! themselves. What cannot be worked out is a [`Val::Unknown`] that becomes a visible
//! `{expr}` marker, never a guessed value.

use super::http::choose;
pub(crate) use super::object::{Arg, Login, Obj, ObjRef, Req, Val};
use super::value::Entry;
use super::{Env, MAX_DEPTH, is_token_url, line_of, short, text};
use crate::import::{Draft, ImportError, Traced, finish};
use crate::request::{ImportedRequest, InputKind, SdkSetting};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use std::collections::HashMap;
use tree_sitter::Node;

/// A string literal with C-style escapes (`\n`, `\t`, `\"`, `\\`, `\uXXXX`): every named
/// child is literal text except `escape_sequence`, decoded (a raw string has no escapes).
pub(crate) fn c_string(n: Node<'_>, src: &str) -> Val {
    let line = line_of(n);
    let mut out = String::new();
    let mut cursor = n.walk();
    for c in n.named_children(&mut cursor) {
        let t = text(c, src);
        if c.kind() != "escape_sequence" {
            out.push_str(t);
            continue;
        }
        let e = t.strip_prefix('\\').unwrap_or(t);
        match e.chars().next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') if e.len() == 1 => out.push('\0'),
            Some('u' | 'U' | 'x') => {
                match u32::from_str_radix(e[1..].trim_start_matches('u'), 16)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(ch) => out.push(ch),
                    None => return Val::Unknown(short(text(n, src)), line),
                }
            }
            Some(ch) => out.push(ch),
            None => {}
        }
    }
    Val::Str(Traced::literal(out, line))
}

/// What running a statement did.
pub(crate) enum Flow {
    Next,
    Return(Val),
}

/// A language's statements and expressions, over the shared interpreter.
pub(crate) trait Lang<'t> {
    /// Runs one statement.
    fn exec(&self, it: &mut Interp<'t, '_>, n: Node<'t>) -> Flow;
    /// Evaluates one expression.
    fn eval(&self, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val;
    /// The parameter names and the body of a function definition: by default each `name`
    /// of each child of its `parameters`, and its `body` (Java and Go name them so).
    fn signature(&self, f: Node<'t>, src: &'t str) -> (Vec<&'t str>, Option<Node<'t>>) {
        let mut names = Vec::new();
        if let Some(ps) = f.child_by_field_name("parameters") {
            let mut cursor = ps.walk();
            for p in ps.named_children(&mut cursor) {
                let mut inner = p.walk();
                for name in p.children_by_field_name("name", &mut inner) {
                    names.push(text(name, src));
                }
            }
        }
        (names, f.child_by_field_name("body"))
    }
    /// Reads the top level of the program: records its functions (in `funcs`, and by name in
    /// `it.funcs`) and runs its global declarations.
    fn top(&self, it: &mut Interp<'t, '_>, root: Node<'t>, funcs: &mut Vec<Node<'t>>);
}

/// What a language's importer is, for [`import`].
pub(crate) struct Script {
    pub(crate) grammar: super::grammar::Grammar,
    pub(crate) kind: InputKind,
    /// The official SDK of the language.
    pub(crate) sdk: super::sdk_host::SdkModel,
    /// The error when the program sends no token request.
    pub(crate) none: &'static str,
}

/// Imports the token request of a program: parse, read the top level, run the entry, pick
/// the request.
pub(crate) fn import<L: for<'t> Lang<'t>>(
    text: &str,
    source: &str,
    env: Env,
    lang: &L,
    s: &Script,
) -> Result<ImportedRequest, ImportError> {
    let tree = super::grammar::parse_tree(text, source, &s.grammar)?;
    let mut it = Interp::new(text, env);
    let mut funcs = Vec::new();
    lang.top(&mut it, tree.root_node(), &mut funcs);
    it.run(lang, &funcs);
    it.outcome(
        s.kind,
        source,
        |l, n| super::sdk_host::sdk_login(l, n, &s.sdk),
        s.none,
    )
}

/// The interpreter's state over one script.
pub(crate) struct Interp<'t, 'a> {
    pub(crate) src: &'t str,
    env: Env<'a>,
    scopes: Vec<HashMap<String, Val>>,
    /// The script's functions by name.
    pub(crate) funcs: HashMap<String, Node<'t>>,
    depth: usize,
    /// Every request the script builds, in order.
    pub(crate) requests: Vec<ObjRef>,
    /// Every SDK login, in order.
    pub(crate) logins: Vec<Login>,
    /// Functions already run (as the entry or through a call).
    pub(crate) ran: Vec<usize>,
}

impl<'t, 'a> Interp<'t, 'a> {
    pub(crate) fn new(src: &'t str, env: Env<'a>) -> Interp<'t, 'a> {
        Interp {
            src,
            env,
            scopes: vec![HashMap::new()],
            funcs: HashMap::new(),
            depth: 0,
            requests: Vec::new(),
            logins: Vec::new(),
            ran: Vec::new(),
        }
    }

    pub(crate) fn text(&self, n: Node<'_>) -> &'t str {
        text(n, self.src)
    }

    /// The value of an expression that cannot be worked out: a marker of its text.
    pub(crate) fn unknown(&self, n: Node<'_>) -> Val {
        Val::Unknown(short(self.text(n)), line_of(n))
    }

    /// The value of a name in the innermost scope that has it.
    pub(crate) fn get(&self, name: &str) -> Option<Val> {
        self.scopes.iter().rev().find_map(|s| s.get(name).cloned())
    }

    /// Assigns to the innermost scope that has the name, else declares it here.
    pub(crate) fn set(&mut self, name: &str, v: Val) {
        match self.scopes.iter_mut().rev().find(|s| s.contains_key(name)) {
            Some(s) => {
                s.insert(name.to_string(), v);
            }
            None => self.declare(name, v),
        }
    }

    pub(crate) fn declare(&mut self, name: &str, v: Val) {
        if let Some(s) = self.scopes.last_mut() {
            s.insert(name.to_string(), v);
        }
    }

    /// Runs the statements of a block in a scope of their own.
    pub(crate) fn block<L: Lang<'t>>(&mut self, lang: &L, n: Node<'t>) -> Flow {
        self.scopes.push(HashMap::new());
        let mut flow = Flow::Next;
        let mut cursor = n.walk();
        let stmts: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
        for s in stmts {
            if let Flow::Return(v) = lang.exec(self, s) {
                flow = Flow::Return(v);
                break;
            }
        }
        self.scopes.pop();
        flow
    }

    /// Runs a branch whose condition cannot be known: once, and a `return` inside it does
    /// not end the function (the code after it is what usually runs).
    pub(crate) fn branch<L: Lang<'t>>(&mut self, lang: &L, n: Node<'t>) -> Flow {
        self.scopes.push(HashMap::new());
        let _ = lang.exec(self, n);
        self.scopes.pop();
        Flow::Next
    }

    /// A loop, or a statement that holds one (`for`, `while`, a label): its body (field
    /// `body`, else the second named child) runs once, as a branch.
    pub(crate) fn loop_body<L: Lang<'t>>(&mut self, lang: &L, n: Node<'t>) -> Flow {
        match n.child_by_field_name("body").or_else(|| n.named_child(1)) {
            Some(b) => self.branch(lang, b),
            None => Flow::Next,
        }
    }

    /// The arguments of a call: each value, its expression and its line.
    pub(crate) fn args<L: Lang<'t>>(&mut self, lang: &L, list: Option<Node<'t>>) -> Vec<Arg> {
        let Some(list) = list else {
            return Vec::new();
        };
        let mut cursor = list.walk();
        let nodes: Vec<Node<'t>> = list
            .named_children(&mut cursor)
            .filter(|a| !a.kind().contains("comment"))
            .collect();
        nodes
            .into_iter()
            .map(|a| Arg {
                val: lang.eval(self, a),
                expr: short(self.text(a)),
                line: line_of(a),
            })
            .collect()
    }

    /// A call of the script's own function `name`, if it has one.
    pub(crate) fn user_call<L: Lang<'t>>(
        &mut self,
        lang: &L,
        name: &str,
        args: &[Arg],
        at: Node<'t>,
    ) -> Option<Val> {
        let f = self.funcs.get(name).copied()?;
        let vals = args.iter().map(|a| a.val.clone()).collect();
        Some(self.call(lang, f, vals, at))
    }

    /// Records an SDK login `client.method(id, secret)` at `line`.
    pub(crate) fn login(
        &mut self,
        client: ObjRef,
        client_expr: &str,
        args: &[Arg],
        line: Option<usize>,
    ) {
        let missing = |what: &str| Arg {
            val: Val::Unknown(what.to_string(), line),
            expr: what.to_string(),
            line,
        };
        self.logins.push(Login {
            client,
            id: args.first().cloned().unwrap_or_else(|| missing("clientId")),
            secret: args
                .get(1)
                .cloned()
                .unwrap_or_else(|| missing("clientSecret")),
            line,
            client_expr: client_expr.to_string(),
        });
    }

    /// Records a request the script builds; returns it as a value.
    pub(crate) fn request(&mut self, req: Req) -> Val {
        let v = Val::obj(Obj::Request(Box::new(req)));
        if let Val::Obj(o) = &v {
            self.requests.push(o.clone());
        }
        v
    }

    /// Runs a function with these argument values; its `return` value, or unknown.
    pub(crate) fn call<L: Lang<'t>>(
        &mut self,
        lang: &L,
        f: Node<'t>,
        args: Vec<Val>,
        at: Node<'t>,
    ) -> Val {
        let unknown = || Val::Unknown(short(text(at, self.src)), line_of(at));
        if self.depth >= MAX_DEPTH / 4 {
            return unknown();
        }
        let (params, body) = lang.signature(f, self.src);
        let Some(body) = body else {
            return unknown();
        };
        self.ran.push(f.id());
        let mut frame = HashMap::new();
        for (i, p) in params.iter().enumerate() {
            let v = args
                .get(i)
                .cloned()
                .unwrap_or_else(|| Val::Unknown(p.to_string(), line_of(f)));
            frame.insert(p.to_string(), v);
        }
        // A function sees the script's globals and its parameters, not its caller's locals.
        let saved: Vec<HashMap<String, Val>> = self.scopes.drain(1..).collect();
        self.scopes.push(frame);
        self.depth += 1;
        let flow = self.block(lang, body);
        self.depth -= 1;
        self.scopes.truncate(1);
        self.scopes.extend(saved);
        match flow {
            Flow::Return(v) => v,
            Flow::Next => unknown(),
        }
    }

    /// Runs the entry function (`main`), then, when no request came of it, every other
    /// function not yet run, with parameters unknown.
    pub(crate) fn run<L: Lang<'t>>(&mut self, lang: &L, order: &[Node<'t>]) {
        if let Some(main) = self.funcs.get("main").copied() {
            self.call(lang, main, Vec::new(), main);
        }
        for f in order {
            if !self.requests.is_empty() || !self.logins.is_empty() {
                return;
            }
            if !self.ran.contains(&f.id()) {
                self.call(lang, *f, Vec::new(), *f);
            }
        }
    }

    /// An environment read: the value from the caller's `env`, or a `${NAME}` marker.
    pub(crate) fn env_read(&self, name: &str, expr: &str, line: Option<usize>) -> Val {
        Val::Str(super::env::read(self.env, name, None, expr, line))
    }
}

/// The two children of `n` named `a` and `b`, when it has both.
pub(crate) fn pair<'t>(n: Node<'t>, a: &str, b: &str) -> Option<(Node<'t>, Node<'t>)> {
    Some((n.child_by_field_name(a)?, n.child_by_field_name(b)?))
}

/// `left + right` (both grammars name the fields so); any other operator is unknown.
pub(crate) fn plus<'t, L: Lang<'t>>(lang: &L, it: &mut Interp<'t, '_>, n: Node<'t>) -> Val {
    let (Some(l), Some(r)) = (
        n.child_by_field_name("left"),
        n.child_by_field_name("right"),
    ) else {
        return it.unknown(n);
    };
    if n.child_by_field_name("operator").map(|o| it.text(o)) != Some("+") {
        return it.unknown(n);
    }
    let (a, b) = (lang.eval(it, l), lang.eval(it, r));
    concat(&a, &b, it.text(l), it.text(r), line_of(n))
}

/// `a + b` on strings (a number joins as its text); `None` when neither side is a string.
pub(crate) fn concat(a: &Val, b: &Val, a_expr: &str, b_expr: &str, line: Option<usize>) -> Val {
    if !matches!(a, Val::Str(_)) && !matches!(b, Val::Str(_)) {
        return Val::Unknown(format!("{a_expr} + {b_expr}"), line);
    }
    let mut t = a.traced(a_expr, line);
    t.push(&b.traced(b_expr, line));
    Val::Str(t)
}

/// Standard (or URL-safe) base64 of a string, remembering what it encodes.
pub(crate) fn base64(v: &Val, expr: &str, url_safe: bool, line: Option<usize>) -> Val {
    let inner = v.traced(expr, line);
    if !inner.is_resolved() {
        return Val::Str(inner.map(format!("{{base64({})}}", short(expr))));
    }
    let engine = if url_safe { &URL_SAFE } else { &STANDARD };
    let encoded = engine.encode(inner.text.as_bytes());
    Val::Str(Traced::base64_of(inner, encoded, line))
}

/// printf-style formatting (`String.format`, `fmt.Sprintf`): each `%s`, `%v`, `%d` takes the
/// next argument as text; `%%` is a percent sign. An unknown format is unknown.
pub(crate) fn format(fmt: &Val, args: &[Arg], expr: &str, line: Option<usize>) -> Val {
    let Some(f) = fmt.as_str() else {
        return Val::Unknown(short(expr), line);
    };
    let mut out = Traced::default();
    let mut next = args.iter();
    let mut last = 0;
    let b = f.text.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] != b'%' {
            i += 1;
            continue;
        }
        // `%s`, `%v`, `%d`, `%1$s`, `%-10s`: flags and width are skipped.
        let mut j = i + 1;
        while j < b.len() && (b[j].is_ascii_digit() || matches!(b[j], b'$' | b'-' | b'+' | b'.')) {
            j += 1;
        }
        let Some(&verb) = b.get(j) else { break };
        out.push(&f.slice(last..i));
        if verb == b'%' {
            out.push(&f.slice(i..i + 1));
        } else {
            match next.next() {
                Some(a) => out.push(&a.val.traced(&a.expr, line)),
                None => return Val::Unknown(short(expr), line),
            }
        }
        i = j + 1;
        last = i;
    }
    out.push(&f.slice(last..f.text.len()));
    Val::Str(out)
}

/// Form fields as a map's entries; each value a string (a list of strings: each, as `url.Values`
/// holds them).
pub(crate) fn form_entries(v: &Val) -> Option<Vec<Entry<Val>>> {
    match v {
        Val::Map(es, _) => Some(es.clone()),
        Val::Obj(o) => match &*o.borrow() {
            Obj::Form(es) => Some(es.clone()),
            _ => None,
        },
        _ => None,
    }
}

impl Interp<'_, '_> {
    /// The imported request: a request the script builds to the token URL wins, then the
    /// SDK's login (`sdk` makes its draft and setting from the first one and their count),
    /// then the first POST; `none` is the error when there is nothing.
    pub(crate) fn outcome(
        &self,
        kind: InputKind,
        source: &str,
        sdk: impl FnOnce(&Login, usize) -> (Draft, SdkSetting),
        none: &str,
    ) -> Result<ImportedRequest, ImportError> {
        let reqs: Vec<Req> = self
            .requests
            .iter()
            .filter_map(|r| match &*r.borrow() {
                Obj::Request(q) => Some((**q).clone()),
                _ => None,
            })
            .collect();
        let raw_token = reqs.iter().any(|r| is_token_url(&r.draft.url.text));
        if !raw_token && let Some(first) = self.logins.first() {
            let (draft, setting) = sdk(first, self.logins.len());
            let mut imp = finish(draft, kind, source);
            imp.sdk = Some(setting);
            return Ok(imp);
        }
        let draft = choose(&reqs).ok_or_else(|| ImportError::new(source, none))?;
        Ok(finish(draft, kind, source))
    }
}
