//! C# expressions: literals, names, `+` and `??`, member and element access, calls of the
//! framework (`Convert`, `Encoding`, `Environment`, `Uri`, `string.Format`, JSON
//! serialisers) and of the program's own methods, collections and anonymous objects.

use super::*;
use crate::import::script::value::{self, JsonStyle, set_entry};
use crate::import::{EnvState, Src};

/// `System.Text.Json`'s compact output, which escapes every non-ASCII character.
const JSON: JsonStyle = JsonStyle {
    item_sep: ",",
    key_sep: ":",
    ascii: true,
};

/// The JSON text a serialiser writes for a value.
pub(super) fn json(v: &Val) -> Option<Traced> {
    value::to_json(v, JSON)
}

/// `a + b` as C# adds: a string on either side makes both strings.
pub(super) fn concat(a: Val, b: Val) -> Option<Val> {
    match (a, b) {
        (Val::Str(mut x), y) => {
            x.push(&y.text("+", x.line()));
            Some(Val::Str(x))
        }
        (x, Val::Str(y)) if !matches!(x, Val::Unknown(..) | Val::Obj(_)) => {
            let mut t = x.text("+", y.line());
            t.push(&y);
            Some(Val::Str(t))
        }
        _ => None,
    }
}

/// True when a value is an environment variable that is not set here.
fn unset_env(v: &Val) -> bool {
    matches!(v, Val::Str(t) if t.spans.iter().any(|s| matches!(&s.src, Src::Env { state: EnvState::Unset, .. })))
}

/// `Environment.GetEnvironmentVariable("X") ?? "default"` with X unset: the default, known
/// as X's.
fn env_default(t: &Traced, d: Val) -> Val {
    let Some(Src::Env { name, expr, .. }) = t.dominant().map(|s| s.src.clone()) else {
        return d;
    };
    match d {
        Val::Str(d) => {
            let src = Src::Env {
                name,
                state: EnvState::UnsetDefault,
                expr: expr.clone(),
            };
            Val::Str(Traced::new(d.text.clone(), src, d.line()).with_expr(&expr))
        }
        _ => Val::Str(t.clone()),
    }
}

/// Types the framework calls are made on.
const TYPES: [&str; 17] = [
    "Convert",
    "Encoding",
    "Environment",
    "Uri",
    "WebUtility",
    "HttpUtility",
    "string",
    "String",
    "JsonContent",
    "JsonSerializer",
    "JsonConvert",
    "HttpMethod",
    "Method",
    "Configuration",
    "PureCloudRegionHosts",
    "Text",
    "System",
];

impl<'t> Resolver<'t, '_> {
    pub(super) fn eval_inner(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        match n.kind() {
            "string_literal"
            | "verbatim_string_literal"
            | "raw_string_literal"
            | "character_literal" => self.string(n),
            "interpolated_string_expression" => self.interpolated(n, ctx),
            "integer_literal" | "real_literal" | "boolean_literal" => {
                Val::Scalar(self.text(n).to_string())
            }
            "null_literal" => Val::Null,
            "parenthesized_expression"
            | "await_expression"
            | "checked_expression"
            | "postfix_unary_expression"
            | "argument" => match n.named_child(0) {
                Some(c) => self.eval(c, ctx),
                None => self.unknown(n),
            },
            "cast_expression" => match n.child_by_field_name("value") {
                Some(c) => self.eval(c, ctx),
                None => self.unknown(n),
            },
            "identifier" => self.name(n, ctx),
            "predefined_type" => Val::Obj(Obj::Type(self.text(n).to_string())),
            "member_access_expression" => self.member(n, ctx),
            "element_access_expression" => self.element(n, ctx),
            "invocation_expression" => self.invoke(n, ctx),
            "object_creation_expression" | "implicit_object_creation_expression" => {
                self.create(n, ctx)
            }
            "anonymous_object_creation_expression" => self.anonymous(n, ctx),
            "implicit_array_creation_expression"
            | "array_creation_expression"
            | "collection_expression"
            | "initializer_expression" => self.items(n, ctx),
            "binary_expression" => self.binary(n, ctx),
            _ => self.unknown(n),
        }
    }

    fn name(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let name = self.text(n);
        if let Some(v) = self.lookup(name, n, ctx) {
            return v;
        }
        if TYPES.contains(&name) {
            return Val::Obj(Obj::Type(name.to_string()));
        }
        self.unknown(n)
    }

    fn binary(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(l), Some(r)) = (
            n.child_by_field_name("left"),
            n.child_by_field_name("right"),
        ) else {
            return self.unknown(n);
        };
        let op = n
            .child_by_field_name("operator")
            .map(|o| self.text(o))
            .unwrap_or("");
        let a = self.eval(l, ctx);
        match op {
            "+" => {
                let b = self.eval(r, ctx);
                concat(a, b).unwrap_or_else(|| self.unknown(n))
            }
            "??" => match a {
                Val::Null => self.eval(r, ctx),
                Val::Str(t) if unset_env(&Val::Str(t.clone())) => {
                    let d = self.eval(r, ctx);
                    env_default(&t, d)
                }
                other => other,
            },
            _ => self.unknown(n),
        }
    }

    /// `{ a, b }`, `new[] { … }`, `[a, b]`.
    fn items(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let init = match n.kind() {
            "initializer_expression" | "collection_expression" => Some(n),
            _ => n.child_by_field_name("initializer").or_else(|| {
                let mut c = n.walk();
                n.named_children(&mut c)
                    .find(|x| x.kind() == "initializer_expression")
            }),
        };
        let Some(init) = init else {
            return Val::Seq(Vec::new());
        };
        let mut cursor = init.walk();
        let kids: Vec<Node<'t>> = init.named_children(&mut cursor).collect();
        Val::Seq(kids.into_iter().map(|k| self.eval(k, ctx)).collect())
    }

    /// `new { grant_type = "client_credentials", client_id = id }`.
    fn anonymous(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let mut es = Vec::new();
        let mut cursor = n.walk();
        let kids: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
        let mut i = 0;
        while i < kids.len() {
            let k = kids[i];
            let line = line_of(k);
            match (k.kind(), kids.get(i + 1)) {
                ("identifier", Some(v))
                    if v.start_byte() > k.end_byte()
                        && self.src[k.end_byte()..v.start_byte()].contains('=') =>
                {
                    let value = self.eval(*v, ctx);
                    set_entry(&mut es, Traced::literal(self.text(k), line), value, line);
                    i += 2;
                }
                _ => {
                    // `new { id }`: the member takes the variable's name.
                    let key = self.text(k).rsplit('.').next().unwrap_or("").to_string();
                    let value = self.eval(k, ctx);
                    set_entry(&mut es, Traced::literal(key, line), value, line);
                    i += 1;
                }
            }
        }
        Val::Map(es, line_of(n))
    }

    fn member(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let (Some(target), Some(name)) = (
            n.child_by_field_name("expression"),
            n.child_by_field_name("name"),
        ) else {
            return self.unknown(n);
        };
        let name = self.text(name);
        let on = self.eval(target, ctx);
        match (&on, name) {
            (Val::Obj(Obj::Type(t)), _) if t == "Encoding" => match dotnet::encoding(name) {
                Some(e) => Val::Encoding(e),
                None => self.unknown(n),
            },
            (Val::Obj(Obj::Type(t)), "Default") if t == "Configuration" => {
                Val::Obj(Obj::Type("Configuration.Default".into()))
            }
            (Val::Obj(Obj::Type(t)), "ApiClient") if t == "Configuration.Default" => {
                Val::Obj(Obj::ApiClient(None))
            }
            (Val::Obj(Obj::Type(t)), m) if t == "HttpMethod" || t == "Method" => {
                Val::Obj(Obj::Method(m.to_ascii_uppercase()))
            }
            (Val::Obj(Obj::Type(t)), key) if t == "PureCloudRegionHosts" => {
                match crate::region::REGIONS.iter().find(|r| r.sdk_key == key) {
                    Some(r) => Val::Obj(Obj::Region(Traced::literal(r.api_base(), line_of(n)))),
                    None => self.unknown(n),
                }
            }
            (Val::Obj(Obj::Type(t)), m) if t == "Text" || t == "System" => {
                Val::Obj(Obj::Type(m.to_string()))
            }
            (Val::Map(..), key) => on.get(key).cloned().unwrap_or_else(|| self.unknown(n)),
            (Val::Str(s), "Length") => Val::Scalar(s.text.encode_utf16().count().to_string()),
            _ => self.unknown(n),
        }
    }

    fn element(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let target = n.child_by_field_name("expression");
        let key = n
            .child_by_field_name("subscript")
            .and_then(|s| s.named_child(0))
            .and_then(|a| a.named_child(0));
        let (Some(target), Some(key)) = (target, key) else {
            return self.unknown(n);
        };
        let base = self.eval(target, ctx);
        match (base, self.eval(key, ctx)) {
            (m @ Val::Map(..), Val::Str(k)) => {
                m.get(&k.text).cloned().unwrap_or_else(|| self.unknown(n))
            }
            (Val::Seq(items), Val::Scalar(i)) => i
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).cloned())
                .unwrap_or_else(|| self.unknown(n)),
            _ => self.unknown(n),
        }
    }

    /// A call: the framework's static and string methods, or the program's own method.
    fn invoke(&mut self, n: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let Some(f) = n.child_by_field_name("function") else {
            return self.unknown(n);
        };
        let args: Vec<Val> = index::arguments(n)
            .into_iter()
            .map(|a| self.eval(a, ctx))
            .collect();
        if f.kind() == "identifier" {
            return self.own_method(self.text(f), n, ctx);
        }
        let (Some(target), Some(method)) = (
            f.child_by_field_name("expression"),
            f.child_by_field_name("name"),
        ) else {
            return self.unknown(n);
        };
        let method = self.text(method);
        let method = method.split('<').next().unwrap_or(method);
        let on = self.eval(target, ctx);
        let line = line_of(n);
        self.framework(&on, method, &args, n, line)
            .unwrap_or_else(|| self.unknown(n))
    }

    fn framework(
        &mut self,
        on: &Val,
        method: &str,
        args: &[Val],
        n: Node<'t>,
        line: Option<usize>,
    ) -> Option<Val> {
        let first = args.first();
        let ty = match on {
            Val::Obj(Obj::Type(t)) => t.as_str(),
            _ => "",
        };
        Some(match (on, method, first) {
            (_, "ToBase64String", Some(Val::Bytes(b, e))) if ty == "Convert" => {
                Val::Str(dotnet::to_base64(b, *e, line))
            }
            (_, "FromBase64String", Some(Val::Str(b))) if ty == "Convert" => {
                Val::Bytes(dotnet::from_base64(b)?, dotnet::Enc::Utf8)
            }
            (_, "GetEncoding", Some(Val::Str(name))) if ty == "Encoding" => {
                Val::Encoding(dotnet::encoding_named(&name.text)?)
            }
            (Val::Encoding(e), "GetBytes", Some(Val::Str(s))) => Val::Bytes(s.clone(), *e),
            (Val::Encoding(_), "GetString", Some(Val::Bytes(s, _))) => Val::Str(s.clone()),
            (_, "GetEnvironmentVariable", Some(Val::Str(name))) if ty == "Environment" => {
                let expr = short(self.text(n));
                Val::Str(crate::import::script::env_read(
                    self.env, &name.text, &expr, line,
                ))
            }
            (_, "EscapeDataString" | "EscapeUriString", Some(Val::Str(s))) if ty == "Uri" => {
                Val::Str(s.map(dotnet::escape_data_string(&s.text)))
            }
            (_, "UrlEncode", Some(Val::Str(s))) if ty == "WebUtility" || ty == "HttpUtility" => {
                Val::Str(s.map(dotnet::url_encode(&s.text)))
            }
            (_, "Format", Some(Val::Str(f))) if ty.eq_ignore_ascii_case("string") => {
                let rest: Vec<Traced> = args[1..].iter().map(|a| a.text("arg", line)).collect();
                Val::Str(dotnet::composite_format(f, &rest)?)
            }
            (_, "Concat", _) if ty.eq_ignore_ascii_case("string") => {
                let mut t = Traced::literal("", line);
                for a in args {
                    t.push(&a.text("arg", line));
                }
                Val::Str(t)
            }
            (_, "Create", Some(v)) if ty == "JsonContent" => {
                Val::Obj(Obj::Content(Box::new(objects::Content {
                    body: objects::Body::Json(json(v)?),
                    media: None,
                    line,
                })))
            }
            (_, "Serialize" | "SerializeObject", Some(v))
                if ty == "JsonSerializer" || ty == "JsonConvert" =>
            {
                Val::Str(json(v)?)
            }
            (Val::Str(s), "Trim", _) => {
                let start = s.text.len() - s.text.trim_start().len();
                let end = s.text.trim_end().len().max(start);
                Val::Str(s.slice(start..end))
            }
            (Val::Str(s), "ToString", _) => Val::Str(s.clone()),
            (Val::Str(s), "Replace", Some(Val::Str(a))) => {
                let b = args.get(1)?.text("new", line);
                Val::Str(s.map(s.text.replace(&a.text, &b.text)))
            }
            _ => return None,
        })
    }

    /// A call of the program's own method: the value of its single `return` (or `=>`).
    fn own_method(&mut self, name: &str, call: Node<'t>, ctx: &Ctx<'t>) -> Val {
        let f = self
            .index
            .names
            .funcs
            .get(name)
            .and_then(|fs| fs.last().copied());
        let ret = f.and_then(|f| {
            let body = f.child_by_field_name("body")?;
            match body.kind() {
                "arrow_expression_clause" => body.named_child(0),
                _ => {
                    let mut c = body.walk();
                    let stmts: Vec<Node<'t>> = body.named_children(&mut c).collect();
                    match stmts.as_slice() {
                        [r] if r.kind() == "return_statement" => r.named_child(0),
                        _ => None,
                    }
                }
            }
        });
        match (f, ret) {
            (Some(f), Some(ret)) => self.eval_return(f, ret, call, ctx),
            _ => self.unknown(call),
        }
    }
}
