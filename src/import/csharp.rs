//! `--from-csharp`: the token request a C# program sends with `HttpClient`, RestSharp or
//! the Genesys Cloud .NET SDK (`PureCloudPlatform.Client.V2`).
//!
//! Plan: the program is parsed with tree-sitter-c-sharp and indexed in one walk ([`index`]):
//! declarations and assignments per method (class fields and constants count as the
//! module's), changes made through a variable (`client.DefaultRequestHeaders.Add(…)`,
//! `request.AddParameter(…)`, `dict["k"] = v`, `msg.Content = …`), methods and the calls of
//! each method name. The sending call is then evaluated as .NET builds it:
//!
//! * strings ([`exprs`]): regular literals with backslash escapes, verbatim `@"…"` (`""` is a
//!   quote), interpolated `$"{a}:{b}"` (also `$@"…"`, format specifiers, `{{`), raw `"""…"""`,
//!   `+`, `string.Format`, `string.Concat`, `??` over an unset variable, `.Trim()`;
//!   `Environment.GetEnvironmentVariable` reads the caller's `env`; the base64 idiom
//!   `Convert.ToBase64String(Encoding.X.GetBytes(…))` goes through the shared .NET model
//!   (`script::dotnet`), by the encoding's real bytes;
//! * objects ([`objects`]): `HttpClient` (`BaseAddress`, `DefaultRequestHeaders`),
//!   `HttpRequestMessage`, `FormUrlEncodedContent` (pairs, a dictionary or a list of
//!   `KeyValuePair`, encoded as .NET does: `Uri.EscapeDataString`, space as `+`),
//!   `StringContent` (`text/plain` unless a media type is given), `JsonContent.Create`,
//!   `AuthenticationHeaderValue`; RestSharp's `RestClient`, `RestRequest`, `AddParameter`
//!   (form-encoded on a POST), `AddHeader`, `AddJsonBody`, `HttpBasicAuthenticator`;
//! * the sending calls ([`send`]): `PostAsync`, `SendAsync`, `PostAsJsonAsync`, RestSharp's
//!   `Execute…`/`PostAsync`;
//! * the SDK ([`sdk`]): `PostToken(id, secret)` on `Configuration.Default.ApiClient` or a
//!   `new ApiClient(…)` posts to the base path with `//api.` replaced by `//login.` (a base
//!   path without `api.` is used as it is), the base path set by `setBasePath(…)` (a
//!   `PureCloudRegionHosts` value or a string), else `https://api.mypurecloud.com`; its Basic
//!   header is ISO-8859-1 (facts §2, §10.2).
//!
//! Names are followed through declarations and assignments (the last before the use),
//! parameters to the first call, and methods whose body is one `return` (or `=>`). Whatever
//! cannot be worked out stays a visible `{expr}` marker reported as unresolved.

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
mod objects;
mod sdk;
mod send;
pub(crate) mod snippet;
mod strings;

use index::{Bind, Index};
pub(crate) use objects::Obj;

/// A C# value.
type Val = dotnet::Val<Obj>;

const GRAMMAR: Grammar = Grammar {
    name: "C#",
    language: || tree_sitter_c_sharp::LANGUAGE.into(),
    unclosed: "an unclosed brace, parenthesis or string?",
    hint: grammar::no_hint,
};

/// Imports the token request of a C# program.
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
    };
    if let Some(d) = r.http_request() {
        return Ok(finish(d, InputKind::CSharp, source));
    }
    if let Some((d, setting)) = r.sdk_login() {
        let mut imp = finish(d, InputKind::CSharp, source);
        imp.sdk = Some(setting);
        return Ok(imp);
    }
    Err(ImportError::new(
        source,
        "no token request found: no HttpClient or RestSharp call to a URL ending in /oauth/token, and no .NET SDK PostToken(...)",
    ))
}

/// Content sniffing: markers only C# has.
pub(crate) fn sniff(s: &Sniffed) -> Sniff {
    const MARKERS: [&str; 10] = [
        "using System",
        "namespace ",
        "HttpClient",
        "FormUrlEncodedContent",
        "StringContent",
        "Convert.ToBase64String",
        "Encoding.UTF8",
        "PostToken(",
        "RestRequest",
        "static void Main",
    ];
    match markers(s.text, &MARKERS) {
        n if n > 0 && s.first.is_some() => Sniff::Markers(n * 2),
        _ => Sniff::No,
    }
}

struct Resolver<'t, 'a> {
    src: &'t str,
    index: &'a Index<'t>,
    env: Env<'a>,
    depth: usize,
    memo: HashMap<usize, Val>,
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
        Val::Unknown(short(text(n, self.src)), line_of(n))
    }

    fn names_value(&self, kind: &str) -> bool {
        matches!(
            kind,
            "identifier" | "member_access_expression" | "element_access_expression"
        ) || kind == "invocation_expression"
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

    /// The value of a declaration or assignment (`+=` adds to the value before it).
    fn eval_bind(
        &mut self,
        scope: Scope,
        name: &str,
        pos: usize,
        b: Bind<'t>,
        func: Option<Node<'t>>,
        frame: Option<Rc<Frame<'t>>>,
    ) -> Val {
        let Some(value) = b.value else {
            return Val::Null;
        };
        let ctx = Ctx {
            func,
            pos: value.start_byte(),
            frame: frame.clone(),
        };
        let v = self.eval_memo(value, &ctx);
        if !b.append {
            return v;
        }
        let start = value.start_byte().min(pos);
        match self.bound(scope, name, start, false, start, frame) {
            Some(prev) => exprs::concat(prev, v).unwrap_or_else(|| self.unknown(value)),
            None => v,
        }
    }

    /// A method parameter: the argument of the first call of the method, else its default.
    fn parameter(&mut self, f: Node<'t>, name: &str, at: Node<'t>, ctx: &Ctx<'t>) -> Option<Val> {
        let params = index::parameters(f, self.src);
        let i = params.iter().position(|p| p.0 == name)?;
        let frame = match &ctx.frame {
            Some(fr) if fr.func.id() == f.id() => Some(fr.clone()),
            _ => index::method_name(f, self.src)
                .and_then(|m| self.index.names.frame_of(f, &m))
                .map(Rc::new),
        };
        if let Some(fr) = frame
            && let Some(a) = index::arguments(fr.call).get(i).copied()
        {
            return Some(self.eval(a, &fr.caller));
        }
        if let Some(d) = params[i].1 {
            let c = Ctx {
                func: self.index.names.enclosing(f),
                pos: f.start_byte(),
                frame: None,
            };
            return Some(self.eval(d, &c));
        }
        Some(Val::Unknown(name.to_string(), line_of(at)))
    }
}

#[cfg(test)]
mod tests;
