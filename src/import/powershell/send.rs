//! `Invoke-RestMethod` / `Invoke-WebRequest`: the arguments of a command (named, positional,
//! splatted), the request a call sends, and the hashtable changes made before it.

use super::index::{member_of, unwrap};
use super::*;
use crate::import::script::is_token_url;
use crate::import::script::value::set_entry;
use crate::import::{Draft, DraftHeader, DraftParam, WHAT_BODY, WHAT_HEADERS, WHAT_URL};
use crate::request::{FORM, Unresolved};

/// The arguments of a command.
#[derive(Default)]
pub(super) struct Args {
    /// `-Name value` (lower-case name, as written or splatted), with the value's line.
    named: Vec<(String, Val, Option<usize>)>,
    positional: Vec<(Val, Option<usize>)>,
    /// How each named value is written (`$headers`), for markers.
    exprs: Vec<(String, String)>,
    /// Splatted hashtables that could not be read.
    opaque: Vec<(String, Option<usize>)>,
}

impl Args {
    pub(super) fn read<'t>(r: &mut Resolver<'t, '_>, cmd: Node<'t>, ctx: &Ctx<'t>) -> Args {
        let mut a = Args::default();
        let Some(elems) = cmd.child_by_field_name("command_elements") else {
            return a;
        };
        let mut cursor = elems.walk();
        let kids: Vec<Node<'t>> = elems
            .named_children(&mut cursor)
            .filter(|k| k.kind() != "command_argument_sep" && k.kind() != "comment")
            .collect();
        let mut i = 0;
        while i < kids.len() {
            let k = kids[i];
            let written = r.text(k);
            if k.kind() == "command_parameter" {
                let name = written.trim_start_matches('-').trim_end_matches(':');
                let name = name.to_ascii_lowercase();
                match kids.get(i + 1).filter(|n| n.kind() != "command_parameter") {
                    Some(v) => {
                        a.exprs.push((name.clone(), short(r.text(*v))));
                        let val = r.eval(*v, ctx);
                        a.named.push((name, val, line_of(*v)));
                        i += 2;
                    }
                    None => {
                        a.named
                            .push((name, Val::Scalar("$true".into()), line_of(k)));
                        i += 1;
                    }
                }
                continue;
            }
            let inner = unwrap(k);
            if inner.kind() == "variable" && r.text(inner).starts_with('@') {
                match r.eval(inner, ctx) {
                    Val::Map(es, _) => {
                        for e in es {
                            let name = e.key.text.to_ascii_lowercase();
                            a.exprs
                                .push((name.clone(), format!("{}.{}", written, e.key.text)));
                            a.named.push((name, e.value, e.line));
                        }
                    }
                    _ => a.opaque.push((written.to_string(), line_of(k))),
                }
            } else {
                a.positional.push((r.eval(k, ctx), line_of(k)));
            }
            i += 1;
        }
        a
    }

    /// A named argument: PowerShell takes any unambiguous prefix of a parameter name.
    pub(super) fn named(&self, name: &str) -> Option<(Val, Option<usize>)> {
        self.named
            .iter()
            .rev()
            .find(|(n, _, _)| n.len() >= 2 && name.starts_with(n.as_str()))
            .map(|(_, v, l)| (v.clone(), *l))
    }

    pub(super) fn positional(&self, i: usize) -> Option<(Val, Option<usize>)> {
        self.positional.get(i).cloned()
    }

    fn expr(&self, name: &str) -> String {
        self.exprs
            .iter()
            .rev()
            .find(|(n, _)| name.starts_with(n.as_str()))
            .map(|(_, e)| e.clone())
            .unwrap_or_else(|| name.to_string())
    }
}

impl<'t> Resolver<'t, '_> {
    /// `$h.Key = v`, `$h['Key'] = v`, `$h.Add(k, v)`, `$h.Remove(k)` between the binding and
    /// the use, applied to a hashtable.
    pub(super) fn apply_changes(
        &mut self,
        scope: Scope,
        name: &str,
        v: Val,
        from: usize,
        to: usize,
    ) -> Val {
        let Val::Map(mut es, line) = v else {
            return v;
        };
        for ch in self.index.names.muts_between(scope, name, from, to) {
            let n = ch.kind.node;
            let ctx = Ctx {
                func: ch.func,
                pos: n.start_byte(),
                frame: None,
            };
            if n.kind() == "assignment_expression" {
                let (Some(target), Some(value)) =
                    (n.named_child(0).map(unwrap), n.child_by_field_name("value"))
                else {
                    continue;
                };
                let key = match target.kind() {
                    "member_access" => {
                        member_of(target, self.src).map(|m| Traced::literal(m, line_of(target)))
                    }
                    _ => match target.named_child(1).map(|k| self.eval_memo(k, &ctx)) {
                        Some(Val::Str(k)) => Some(k),
                        _ => None,
                    },
                };
                if let Some(key) = key {
                    let value = self.eval_memo(value, &ctx);
                    set_entry(&mut es, key, value, line_of(n));
                }
                continue;
            }
            let method = member_of(n, self.src).unwrap_or("").to_ascii_lowercase();
            let args = self.call_values(n, &ctx);
            match (method.as_str(), args.as_slice()) {
                ("add", [Val::Str(k), v]) => set_entry(&mut es, k.clone(), v.clone(), line_of(n)),
                ("remove", [Val::Str(k)]) => {
                    es.retain(|e| !e.key.text.eq_ignore_ascii_case(&k.text));
                }
                _ => {}
            }
        }
        Val::Map(es, line)
    }

    fn call_values(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Vec<Val> {
        let mut out = Vec::new();
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            if x.kind() == "argument_expression" {
                out.push(self.eval_memo(x, ctx));
                continue;
            }
            let mut c = x.walk();
            let kids: Vec<Node<'t>> = x.named_children(&mut c).collect();
            stack.extend(kids.into_iter().rev());
        }
        out
    }

    /// The token request: the first HTTP cmdlet call to a token URL, else the first POST.
    pub(super) fn token_request(&mut self) -> Option<Draft> {
        let mut calls = Vec::new();
        for site in self.index.sends.clone() {
            let ctx = site.ctx();
            let args = Args::read(self, site.node, &ctx);
            let url = self.url_of(&args, line_of(site.node));
            let method = self.method_of(&args);
            calls.push((site, args, url, method));
        }
        let token = calls.iter().position(|c| is_token_url(&c.2.text));
        let chosen = token.or_else(|| calls.iter().position(|c| c.3.0 == "POST"))?;
        let (site, args, url, method) = calls.swap_remove(chosen);
        let mut d = self.draft(site.node, &args, url, method);
        let lines: Vec<String> = calls
            .iter()
            .filter(|c| is_token_url(&c.2.text))
            .filter_map(|c| line_of(c.0.node).map(|l| l.to_string()))
            .collect();
        if token.is_some() && !lines.is_empty() {
            d.notes.push(format!(
                "the script sends {} more token requests (lines {}); the one at line {} is read",
                lines.len(),
                lines.join(", "),
                line_of(site.node).unwrap_or(0)
            ));
        }
        d.notes.append(&mut self.notes);
        Some(d)
    }

    fn url_of(&mut self, args: &Args, line: Option<usize>) -> Traced {
        match args.named("uri").or_else(|| args.positional(0)) {
            Some((v, l)) => v.text(&args.expr("uri"), l).default_line(l),
            None => Traced::unknown("-Uri", "{-Uri}".into(), line),
        }
    }

    fn method_of(&mut self, args: &Args) -> (String, Option<usize>) {
        match args.named("method") {
            Some((Val::Str(m), l)) if m.is_resolved() => (m.text.to_ascii_uppercase(), l),
            Some((Val::Unknown(..), l)) => ("POST".into(), l),
            // Without -Method the cmdlets send GET.
            _ => ("GET".into(), None),
        }
    }

    fn draft(
        &mut self,
        call: Node<'t>,
        args: &Args,
        url: Traced,
        (method, method_line): (String, Option<usize>),
    ) -> Draft {
        let call_line = line_of(call);
        let cmdlet = self.text(call.child_by_field_name("command_name").unwrap_or(call));
        let mut d = Draft {
            method,
            method_line,
            url_line: url.line().or(call_line),
            url,
            call_line,
            ..Draft::default()
        };
        d.notes.push(format!(
            "the token request is sent with {cmdlet} (line {})",
            call_line.unwrap_or(0)
        ));
        for (e, l) in &args.opaque {
            d.notes.push(format!(
                "the call splats `{e}` (line {}): its contents are not known here",
                l.unwrap_or(0)
            ));
        }
        self.add_headers(args, &mut d);
        if let Some((ct, l)) = args.named("contenttype") {
            let t = ct.text(&args.expr("contenttype"), l);
            d.set_header("Content-Type", t, l);
        }
        self.add_body(args, &mut d);
        if args.named("credential").is_some() {
            d.notes.push(
                "the call passes -Credential: PowerShell sends it as a Basic header only with -Authentication Basic (PowerShell 7); gcdoctor does not read PSCredential objects".into(),
            );
        }
        d
    }

    fn add_headers(&mut self, args: &Args, d: &mut Draft) {
        let Some((h, l)) = args.named("headers") else {
            return;
        };
        match h {
            Val::Map(es, _) => {
                for e in es {
                    let line = e.line.or(l);
                    let v = e.value.text(&e.key.text, line).default_line(line);
                    d.set_header(&e.key.text, v, line);
                }
            }
            Val::Null => {}
            other => d.unresolved.push(Unresolved {
                what: WHAT_HEADERS.into(),
                expr: match other {
                    Val::Unknown(e, _) => e,
                    _ => args.expr("headers"),
                },
                line: l,
            }),
        }
    }

    fn add_body(&mut self, args: &Args, d: &mut Draft) {
        let post_like = matches!(d.method.as_str(), "POST" | "PUT" | "PATCH");
        let Some((body, l)) = args.named("body").filter(|b| !matches!(b.0, Val::Null)) else {
            return;
        };
        d.body_line = l;
        match &body {
            Val::Map(..) => {
                let pairs = dotnet::pairs_of(&body).unwrap_or_default();
                let encoded = dotnet::form_body(&pairs, dotnet::url_encode, l);
                if !post_like {
                    // A hashtable body of a GET goes into the query string.
                    let sep = if d.url.text.contains('?') { "&" } else { "?" };
                    d.url.push_literal(sep, l);
                    d.url.push(&encoded);
                    d.notes.push(format!(
                        "line {}: with -Method {} the -Body hashtable is sent in the query string",
                        l.unwrap_or(0),
                        d.method
                    ));
                    return;
                }
                d.body = encoded;
                d.body_params = Some(
                    pairs
                        .into_iter()
                        .map(|(k, v, pl)| DraftParam {
                            name: k.text,
                            meant: v,
                            line: pl.or(l),
                        })
                        .collect(),
                );
            }
            other => {
                d.body = other.text(&args.expr("body"), l).default_line(l);
                if matches!(other, Val::Unknown(..)) {
                    d.unresolved.push(Unresolved {
                        what: WHAT_BODY.into(),
                        expr: args.expr("body"),
                        line: l,
                    });
                }
            }
        }
        if post_like && !d.has_header("content-type") {
            // Without a content type the cmdlets send a POST body as a form.
            d.headers.push(DraftHeader {
                name: "Content-Type".into(),
                value: Traced::literal(FORM, d.call_line),
                line: d.call_line,
            });
        }
        if d.url.text.is_empty() {
            d.unresolved.push(Unresolved {
                what: WHAT_URL.into(),
                expr: args.expr("uri"),
                line: d.call_line,
            });
        }
    }
}
