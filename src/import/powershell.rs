//! `--from-powershell`: the token request a PowerShell script sends with
//! `Invoke-RestMethod` or `Invoke-WebRequest`.
//!
//! Plan: the script is parsed with tree-sitter-powershell and indexed in one walk
//! ([`index`]): assignments per function scope (variable names are case-insensitive),
//! changes to hashtables (`$h.Key = …`, `$h['Key'] = …`, `$h.Add(…)`), functions and the
//! commands called. The sending command is then evaluated the way PowerShell builds it
//! ([`exprs`], [`send`]):
//!
//! * strings: single quotes are literal (`''` is a quote); double quotes and here-strings
//!   expand `$name`, `${name}` and `$(…)` with backtick escapes, and `"$a:$b"` reads `$a:` as
//!   a drive-qualified variable (so the id is lost), exactly as PowerShell does;
//! * `+` concatenation, `-f` composite formatting, `$env:NAME` from the caller's `env`,
//!   `[Convert]::ToBase64String([Text.Encoding]::X.GetBytes(…))` through the shared .NET
//!   model (`script::dotnet`), `[uri]::EscapeDataString`, `ConvertTo-Json`;
//! * `Invoke-RestMethod`/`Invoke-WebRequest` take `-Uri` (or the first positional
//!   argument), `-Method` (default GET), `-Headers`, `-ContentType`, `-Body` and splatted
//!   `@params`: a hashtable body is form-encoded (`WebUtility.UrlEncode`), a string goes as
//!   is, and a POST without a content type is sent as `application/x-www-form-urlencoded`.
//!
//! Names are followed through assignments (the last one before the use), through function
//! parameters to the first call, and through functions whose body is a single `return`.
//! Whatever cannot be worked out stays a visible `{expr}` marker reported as unresolved.

use super::script::dotnet;
use super::script::eval::Evaluator;
use super::script::grammar::{self, Grammar};
use super::script::names::Scope;
use super::script::{Env, line_of, short, text};
use super::sniff::{Sniff, Sniffed, markers};
use super::{Ctx, Frame, ImportError, Traced, finish};
use crate::request::{ImportedRequest, InputKind};
use std::collections::HashMap;
use std::rc::Rc;
use tree_sitter::{Node, Tree};

mod exprs;
mod index;
mod send;
pub(crate) mod snippet;
mod strings;

use index::{Bind, Index};

/// A PowerShell value; PowerShell has no objects of its own that matter here.
type Val = dotnet::Val<Obj>;

/// Objects a script can hold that are no data.
#[derive(Clone, Debug)]
enum Obj {
    /// A .NET type named by a type literal (`[Convert]`, `[Text.Encoding]`).
    Type(String),
}

const GRAMMAR: Grammar = Grammar {
    name: "PowerShell",
    language: || tree_sitter_powershell::LANGUAGE.into(),
    unclosed: "an unclosed bracket, quote or here-string?",
    hint: grammar::no_hint,
};

/// Imports the token request of a PowerShell script.
pub(crate) fn parse(text: &str, source: &str, env: Env) -> Result<ImportedRequest, ImportError> {
    let tree = grammar::parse_tree(text, source, &GRAMMAR)?;
    let out = import(&tree, text, source, env);
    grammar::drop_later(tree);
    out
}

/// [`parse`] over the parsed tree.
fn import(tree: &Tree, text: &str, source: &str, env: Env) -> Result<ImportedRequest, ImportError> {
    let index = Index::build(tree.root_node(), text);
    let mut r = Resolver {
        src: text,
        index: &index,
        env,
        depth: 0,
        memo: HashMap::new(),
        notes: Vec::new(),
    };
    let draft = r.token_request().ok_or_else(|| {
        ImportError::new(
            source,
            "no token request found: no Invoke-RestMethod or Invoke-WebRequest call to a URL ending in /oauth/token, and no POST",
        )
    })?;
    Ok(finish(draft, InputKind::PowerShell, source))
}

/// Content sniffing: markers only PowerShell has.
pub(crate) fn sniff(s: &Sniffed) -> Sniff {
    const MARKERS: [&str; 9] = [
        "Invoke-RestMethod",
        "Invoke-WebRequest",
        "$env:",
        "[Convert]::",
        "@{",
        "-Method ",
        "-Headers ",
        "ConvertTo-Json",
        "[System.Text.Encoding]::",
    ];
    match markers(s.text, &MARKERS) {
        n if n > 0 && s.first.is_some() => Sniff::Markers(n * 2),
        _ => Sniff::No,
    }
}

/// Claims a `.ps1`/`.psm1` file that calls PowerShell's HTTP cmdlets (one that only runs
/// `curl.exe …` stays a curl command).
pub(crate) fn claims(text: &str, path: &str) -> bool {
    (path.ends_with(".ps1") || path.ends_with(".psm1")) && sends_with_cmdlet(text)
}

/// True when a script calls one of PowerShell's HTTP cmdlets: it is PowerShell, not a curl
/// command pasted into a `.ps1`.
pub(crate) fn sends_with_cmdlet(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["invoke-restmethod", "invoke-webrequest"]
        .iter()
        .any(|c| lower.contains(c))
        || lower
            .lines()
            .any(|l| l.trim_start().starts_with("irm ") || l.trim_start().starts_with("iwr "))
}

struct Resolver<'t, 'a> {
    src: &'t str,
    index: &'a Index<'t>,
    env: Env<'a>,
    depth: usize,
    memo: HashMap<usize, Val>,
    /// What evaluation noticed about how the script is written (a lost `$a:`).
    notes: Vec<String>,
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
        let inner = index::unwrap(n);
        if inner.id() != n.id() && self.names_value(inner.kind()) {
            // Through `eval`, so the value keeps the name the script gives it.
            return self.eval(inner, ctx);
        }
        self.eval_inner(inner, ctx)
    }

    fn unknown(&self, n: Node<'_>) -> Val {
        Val::Unknown(short(text(n, self.src)), line_of(n))
    }

    fn names_value(&self, kind: &str) -> bool {
        matches!(
            kind,
            "variable" | "member_access" | "element_access" | "invokation_expression"
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
        let b = self.index.names.last_bind(scope, name, pos, any)?;
        let v = self.eval_bind(scope, name, b.pos, b.kind, b.func, frame);
        Some(self.apply_changes(scope, name, v, b.pos, upto))
    }

    fn param(&mut self, f: Node<'t>, name: &str, at: Node<'t>, ctx: &Ctx<'t>) -> Option<Val> {
        self.parameter(f, name, at, ctx)
    }

    fn outer(&self, f: Node<'t>) -> Option<Node<'t>> {
        self.index.names.enclosing(f)
    }
}

impl<'t> Resolver<'t, '_> {
    fn text(&self, n: Node<'_>) -> &'t str {
        text(n, self.src)
    }

    /// The value of a binding: the assigned expression, or (`+=`) the value before it with
    /// the addition.
    fn eval_bind(
        &mut self,
        scope: Scope,
        name: &str,
        pos: usize,
        b: Bind<'t>,
        func: Option<Node<'t>>,
        frame: Option<Rc<Frame<'t>>>,
    ) -> Val {
        let ctx = Ctx {
            func,
            pos: b.value.start_byte(),
            frame: frame.clone(),
        };
        let value = self.eval_memo(b.value, &ctx);
        if !b.append {
            return value;
        }
        let start = b.value.start_byte().min(pos);
        match self.bound(scope, name, start, false, start, frame) {
            Some(prev) => exprs::add(prev, value).unwrap_or_else(|| self.unknown(b.value)),
            None => value,
        }
    }

    /// The value of a function parameter: the argument of the call that binds it, else its
    /// default, else unknown.
    fn parameter(&mut self, f: Node<'t>, name: &str, at: Node<'t>, ctx: &Ctx<'t>) -> Option<Val> {
        let params = index::parameters(f, self.src);
        let (pos, default) = params
            .iter()
            .enumerate()
            .find(|(_, p)| p.0 == name)
            .map(|(i, p)| (i, p.1))?;
        let frame = match &ctx.frame {
            Some(fr) if fr.func.id() == f.id() => Some(fr.clone()),
            _ => index::function_name(f, self.src)
                .and_then(|fname| self.index.names.frame_of(f, &fname))
                .map(Rc::new),
        };
        if let Some(fr) = frame {
            let args = send::Args::read(self, fr.call, &fr.caller);
            if let Some((v, _)) = args.named(name).or_else(|| args.positional(pos)) {
                return Some(v);
            }
        }
        if let Some(d) = default {
            let c = Ctx {
                func: self.index.names.enclosing(f),
                pos: f.start_byte(),
                frame: None,
            };
            return Some(self.eval(d, &c));
        }
        Some(Val::Unknown(format!("${name}"), line_of(at)))
    }
}

#[cfg(test)]
mod tests;
