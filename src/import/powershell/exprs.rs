//! PowerShell expressions: variables, hashtables, arrays, `+`, `-f`, casts, member and
//! element access, .NET static calls and methods, pipelines into `ConvertTo-Json`, and calls
//! of the script's own functions.

use super::index::{member_of, unwrap, var_name};
use super::*;
use crate::import::script::value::{self, Entry, JsonStyle, set_entry};

/// `ConvertTo-Json -Compress`'s layout (the spaces of the default layout do not matter to a
/// server).
const JSON: JsonStyle = JsonStyle {
    item_sep: ",",
    key_sep: ":",
    ascii: false,
};

/// `a + b` as PowerShell adds: strings concatenate (the right side as a string), hashtables
/// merge, arrays append.
pub(super) fn add(a: Val, b: Val) -> Option<Val> {
    match (a, b) {
        (Val::Str(mut x), y) => {
            x.push(&y.text("+", x.line()));
            Some(Val::Str(x))
        }
        (Val::Map(mut es, l), Val::Map(more, _)) => {
            for e in more {
                set_entry(&mut es, e.key, e.value, e.line);
            }
            Some(Val::Map(es, l))
        }
        (Val::Seq(mut xs), Val::Seq(ys)) => {
            xs.extend(ys);
            Some(Val::Seq(xs))
        }
        (Val::Seq(mut xs), y) => {
            xs.push(y);
            Some(Val::Seq(xs))
        }
        (Val::Null, y) => Some(y),
        _ => None,
    }
}

impl<'t> Resolver<'t, '_> {
    pub(super) fn eval_inner(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        match n.kind() {
            "verbatim_string_characters" | "verbatim_here_string_characters" => self.verbatim(n),
            "expandable_string_literal" | "expandable_here_string_literal" => {
                self.expandable(n, ctx)
            }
            "decimal_integer_literal" | "hexadecimal_integer_literal" | "real_literal" => {
                Val::Scalar(self.text(n).to_string())
            }
            // A bare word in command mode is a string (`-Method Post`, an unquoted URL).
            "generic_token" if n.named_child_count() == 0 => {
                Val::Str(Traced::literal(self.text(n), line_of(n)))
            }
            "variable" => self.variable(n, ctx),
            "hash_literal_expression" => self.hashtable(n, ctx),
            "array_expression" | "array_literal_expression" => self.array(n, ctx),
            "sub_expression" | "script_block_expression" | "parenthesized_expression" => {
                match n.named_child(0) {
                    Some(c) => self.eval(c, ctx),
                    None => Val::Null,
                }
            }
            "cast_expression" => match n.named_child_count() {
                c if c >= 2 => match n.named_child((c - 1) as u32) {
                    Some(x) => self.eval(x, ctx),
                    None => self.unknown(n),
                },
                _ => self.unknown(n),
            },
            "additive_expression" | "additive_argument_expression" => self.binary(n, ctx),
            "format_expression" | "format_argument_expression" => self.format(n, ctx),
            "member_access" => self.member(n, ctx),
            "element_access" => self.element(n, ctx),
            "invokation_expression" => self.invoke(n, ctx),
            "type_literal" => Val::Obj(Obj::Type(type_name(self.text(n)))),
            "pipeline" | "pipeline_chain" => self.pipeline(n, ctx),
            "command" => self.command(n, ctx),
            _ => self.unknown(n),
        }
    }

    fn variable(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let written = self.text(n);
        let bare = written
            .trim_start_matches(['$', '@'])
            .trim_start_matches('{')
            .trim_end_matches('}');
        if let Some(name) = bare
            .strip_prefix("env:")
            .or_else(|| bare.strip_prefix("Env:"))
            .or_else(|| bare.strip_prefix("ENV:"))
        {
            let expr = format!("$env:{name}");
            return Val::Str(crate::import::script::env_read(
                self.env,
                name,
                &expr,
                line_of(n),
            ));
        }
        match bare.to_ascii_lowercase().as_str() {
            "null" => return Val::Null,
            "true" | "false" => return Val::Scalar(format!("${bare}")),
            _ => {}
        }
        let Some(name) = var_name(written) else {
            return self.unknown(n);
        };
        self.lookup(&name, n, ctx)
            .unwrap_or_else(|| self.unknown(n))
    }

    fn hashtable(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let mut entries: Vec<Entry<Val>> = Vec::new();
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            if x.kind() == "hash_entry" {
                let (Some(k), Some(v)) = (x.named_child(0), x.named_child(1)) else {
                    continue;
                };
                let key = match self.eval(k, ctx) {
                    Val::Str(t) => t,
                    _ => Traced::literal(self.text(unwrap(k)), line_of(k)),
                };
                let value = self.eval(v, ctx);
                set_entry(&mut entries, key, value, line_of(x));
                continue;
            }
            let mut cursor = x.walk();
            let kids: Vec<Node<'t>> = x.named_children(&mut cursor).collect();
            stack.extend(kids.into_iter().rev());
        }
        Val::Map(entries, line_of(n))
    }

    fn array(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let mut cursor = n.walk();
        let kids: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
        let mut items = Vec::new();
        for k in kids {
            match self.eval(k, ctx) {
                Val::Seq(inner) if n.kind() == "array_expression" => items.extend(inner),
                v => items.push(v),
            }
        }
        Val::Seq(items)
    }

    fn binary(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(a), Some(b)) = (n.named_child(0), n.named_child(1)) else {
            return self.unknown(n);
        };
        let op = n
            .child(1)
            .map(|o| self.text(o).trim().to_string())
            .unwrap_or_default();
        if op != "+" {
            return self.unknown(n);
        }
        let (x, y) = (self.eval(a, ctx), self.eval(b, ctx));
        add(x, y).unwrap_or_else(|| self.unknown(n))
    }

    /// `"{0}:{1}" -f $a, $b`.
    fn format(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(f), Some(a)) = (n.named_child(0), n.named_child(2)) else {
            return self.unknown(n);
        };
        let fmt = self.eval(f, ctx).text("format", line_of(f));
        let args: Vec<Traced> = match self.eval(a, ctx) {
            Val::Seq(items) => items.iter().map(|i| i.text("arg", line_of(a))).collect(),
            v => vec![v.text(self.text(a), line_of(a))],
        };
        match dotnet::composite_format(&fmt, &args) {
            Some(t) => Val::Str(t),
            None => self.unknown(n),
        }
    }

    fn member(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(target), Some(name)) = (n.named_child(0), member_of(n, self.src)) else {
            return self.unknown(n);
        };
        match self.eval(target, ctx) {
            Val::Obj(Obj::Type(t)) if t.ends_with("encoding") => match dotnet::encoding(name) {
                Some(e) => Val::Encoding(e),
                None => self.unknown(n),
            },
            v @ Val::Map(..) => v.get(name).cloned().unwrap_or(Val::Null),
            Val::Str(s) if name.eq_ignore_ascii_case("length") => {
                Val::Scalar(s.text.chars().count().to_string())
            }
            _ => self.unknown(n),
        }
    }

    fn element(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(target), Some(key)) = (n.named_child(0), n.named_child(1)) else {
            return self.unknown(n);
        };
        let base = self.eval(target, ctx);
        match (base, self.eval(key, ctx)) {
            (m @ Val::Map(..), Val::Str(k)) => m.get(&k.text).cloned().unwrap_or(Val::Null),
            (Val::Seq(items), Val::Scalar(i)) => i
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).cloned())
                .unwrap_or_else(|| self.unknown(n)),
            _ => self.unknown(n),
        }
    }

    /// The arguments of a method call, evaluated.
    fn method_args(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Vec<Val> {
        let mut cursor = n.walk();
        let Some(list) = n
            .named_children(&mut cursor)
            .find(|c| c.kind() == "argument_list")
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut stack = vec![list];
        while let Some(x) = stack.pop() {
            if x.kind() == "argument_expression" {
                out.push(self.eval(x, ctx));
                continue;
            }
            let mut c = x.walk();
            let kids: Vec<Node<'t>> = x.named_children(&mut c).collect();
            stack.extend(kids.into_iter().rev());
        }
        out
    }

    /// A static or instance method call.
    fn invoke(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(target), Some(method)) = (n.named_child(0), member_of(n, self.src)) else {
            return self.unknown(n);
        };
        let method = method.to_ascii_lowercase();
        let on = self.eval(target, ctx);
        let args = self.method_args(n, ctx);
        let line = line_of(n);
        let first = args.first();
        let v = match (&on, method.as_str(), first) {
            (Val::Obj(Obj::Type(t)), "tobase64string", Some(Val::Bytes(b, e)))
                if t == "convert" =>
            {
                Some(Val::Str(dotnet::to_base64(b, *e, line)))
            }
            (Val::Obj(Obj::Type(t)), "frombase64string", Some(Val::Str(b))) if t == "convert" => {
                dotnet::from_base64(b).map(|s| Val::Bytes(s, dotnet::Enc::Utf8))
            }
            (Val::Obj(Obj::Type(t)), "getencoding", Some(Val::Str(name)))
                if t.ends_with("encoding") =>
            {
                dotnet::encoding_named(&name.text).map(Val::Encoding)
            }
            (Val::Encoding(e), "getbytes", Some(Val::Str(s))) => Some(Val::Bytes(s.clone(), *e)),
            (Val::Encoding(_), "getstring", Some(Val::Bytes(s, _))) => Some(Val::Str(s.clone())),
            (Val::Obj(Obj::Type(t)), "escapedatastring", Some(Val::Str(s))) if t == "uri" => {
                Some(Val::Str(s.map(dotnet::escape_data_string(&s.text))))
            }
            (Val::Obj(Obj::Type(t)), "urlencode", Some(Val::Str(s)))
                if t.ends_with("webutility") || t.ends_with("httputility") =>
            {
                Some(Val::Str(s.map(dotnet::url_encode(&s.text))))
            }
            (Val::Obj(Obj::Type(t)), "getenvironmentvariable", Some(Val::Str(name)))
                if t == "environment" =>
            {
                let expr = short(self.text(n));
                Some(Val::Str(crate::import::script::env_read(
                    self.env, &name.text, &expr, line,
                )))
            }
            (Val::Str(s), "trim", _) => Some(Val::Str(trimmed(s))),
            (Val::Str(s), "tostring", _) => Some(Val::Str(s.clone())),
            (Val::Str(s), "tolower", _) => Some(Val::Str(s.map(s.text.to_lowercase()))),
            _ => None,
        };
        v.unwrap_or_else(|| self.unknown(n))
    }

    /// A pipeline of several commands: `$body | ConvertTo-Json`.
    fn pipeline(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let mut cursor = n.walk();
        let stages: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
        let Some((last, first)) = stages.split_last() else {
            return self.unknown(n);
        };
        let name = index::command_name(*last, self.src).unwrap_or_default();
        match (name.as_str(), first) {
            ("convertto-json", [input]) => {
                let v = self.eval(*input, ctx);
                json(&v).unwrap_or_else(|| self.unknown(n))
            }
            _ => self.unknown(n),
        }
    }

    /// A command used as a value: the script's own function (its single `return`), or
    /// `ConvertTo-Json -InputObject x`.
    fn command(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let name = index::command_name(n, self.src).unwrap_or_default();
        if name == "convertto-json" {
            let args = send::Args::read(self, n, ctx);
            if let Some((v, _)) = args.named("inputobject").or_else(|| args.positional(0)) {
                return json(&v).unwrap_or_else(|| self.unknown(n));
            }
        }
        let f = self
            .index
            .names
            .funcs
            .get(&name)
            .and_then(|fs| fs.last().copied());
        if let Some(f) = f
            && let Some(ret) = single_return(f)
        {
            return self.eval_return(f, ret, n, ctx);
        }
        self.unknown(n)
    }
}

/// The JSON `ConvertTo-Json` writes for a value.
fn json(v: &Val) -> Option<Val> {
    value::to_json(v, JSON).map(Val::Str)
}

/// `.Trim()`: the same parts, whitespace at both ends cut.
fn trimmed(s: &Traced) -> Traced {
    let start = s.text.len() - s.text.trim_start().len();
    let end = s.text.trim_end().len().max(start);
    s.slice(start..end)
}

/// A type literal's name, lower-case, without brackets and `System.` (`[System.Text.Encoding]`
/// → `text.encoding`).
fn type_name(t: &str) -> String {
    let t = t.trim_matches(['[', ']']).trim().to_ascii_lowercase();
    t.strip_prefix("system.").unwrap_or(&t).to_string()
}

/// The expression of a function whose body is a single `return X` (or a single expression,
/// which PowerShell outputs).
fn single_return(f: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = f.walk();
    let block = f
        .named_children(&mut cursor)
        .find(|c| c.kind() == "script_block")?;
    let body = block.child_by_field_name("script_block_body")?;
    let list = body.child_by_field_name("statement_list")?;
    let mut c = list.walk();
    let stmts: Vec<Node<'_>> = list.named_children(&mut c).collect();
    match stmts.as_slice() {
        [s] if s.kind() == "flow_control_statement" => s.named_child(0),
        [s] if s.kind() == "pipeline" => Some(*s),
        _ => None,
    }
}
