//! The token request a Postman item sends: a request (method, URL, headers, its `basic` or
//! `bearer` auth, a body in `urlencoded`, `raw` or `formdata` mode), or the request Postman's
//! OAuth 2.0 helper makes for a client-credentials auth (`accessTokenUrl`, `clientId`,
//! `clientSecret`, `client_authentication` header or body, `scope`). Postman adds the
//! Content-Type of the body mode itself when the request sets none, so the draft does too.

use super::super::json_locate::{Step, offset};
use super::super::{Draft, DraftBasic, DraftHeader, DraftParam, LineIndex, Traced, WHAT_BODY};
use super::vars::{Vars, disabled, text_of};
use crate::request::{FORM, Unresolved, form_encode};
use serde_json::Value;

/// What a draft is built from: the collection text, its lines and variables.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub lines: LineIndex,
    pub vars: Vars,
}

impl Ctx<'_> {
    pub(crate) fn line(&self, path: &[Step]) -> Option<usize> {
        offset(self.text.as_bytes(), path).map(|o| self.lines.line(o))
    }
}

/// `path` with more steps.
pub(crate) fn at(path: &[Step], more: &[Step]) -> Vec<Step> {
    let mut p = path.to_vec();
    p.extend_from_slice(more);
    p
}

pub(crate) fn key(k: &str) -> Step {
    Step::Key(k.to_string())
}

/// A parameter of an auth block: v2.1 writes `[{key, value}]`, v2.0 an object.
pub(crate) fn auth_param(auth: &Value, name: &str) -> Option<(String, Vec<Step>)> {
    let ty = auth.get("type").and_then(Value::as_str)?;
    let block = auth.get(ty)?;
    match block {
        Value::Array(items) => items.iter().enumerate().find_map(|(i, p)| {
            (p.get("key").and_then(Value::as_str) == Some(name)).then(|| {
                (
                    text_of(p.get("value")),
                    vec![key(ty), Step::Index(i), key("value")],
                )
            })
        }),
        Value::Object(m) => m
            .get(name)
            .map(|v| (text_of(Some(v)), vec![key(ty), key(name)])),
        _ => None,
    }
}

/// The type of an auth block (`basic`, `oauth2`, `noauth`, …).
pub(crate) fn auth_type(auth: &Value) -> &str {
    auth.get("type").and_then(Value::as_str).unwrap_or("")
}

/// The URL of a request as Postman sends it: `url.raw`, or built from its parts.
pub(crate) fn url_text(req: &Value) -> (String, Vec<Step>) {
    match req.get("url") {
        Some(Value::String(s)) => (s.clone(), vec![key("url")]),
        Some(u @ Value::Object(_)) => {
            if let Some(raw) = u.get("raw").and_then(Value::as_str) {
                return (raw.to_string(), vec![key("url"), key("raw")]);
            }
            let join = |k: &str, sep: &str| match u.get(k) {
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|x| text_of(Some(x)))
                    .collect::<Vec<_>>()
                    .join(sep),
                Some(v) => text_of(Some(v)),
                None => String::new(),
            };
            let protocol = u.get("protocol").and_then(Value::as_str).unwrap_or("https");
            let mut s = format!("{protocol}://{}", join("host", "."));
            let path = join("path", "/");
            if !path.is_empty() {
                s.push('/');
                s.push_str(&path);
            }
            (s, vec![key("url")])
        }
        _ => (String::new(), vec![key("url")]),
    }
}

/// The draft of a request item; `req_path` leads to its `request` object, `auth` is the auth
/// in force (its own or inherited) with its path.
pub(crate) fn request_draft(
    ctx: &Ctx,
    req: &Value,
    req_path: &[Step],
    auth: Option<(&Value, &[Step])>,
) -> Draft {
    let method_line = ctx.line(&at(req_path, &[key("method")]));
    let (url, url_steps) = url_text(req);
    let url_line = ctx.line(&at(req_path, &url_steps)).or(method_line);
    let mut d = Draft {
        method: req
            .get("method")
            .and_then(Value::as_str)
            .unwrap_or("GET")
            .to_ascii_uppercase(),
        method_line,
        url: ctx.vars.resolve(&url, url_line),
        url_line,
        call_line: ctx.line(req_path),
        ..Draft::default()
    };
    if let Some(hs) = req.get("header").and_then(Value::as_array) {
        for (i, h) in hs.iter().enumerate() {
            let name = h.get("key").and_then(Value::as_str).unwrap_or("").trim();
            if name.is_empty() || disabled(h) {
                continue;
            }
            let line = ctx.line(&at(req_path, &[key("header"), Step::Index(i)]));
            d.headers.push(DraftHeader {
                name: name.to_string(),
                value: ctx.vars.resolve(&text_of(h.get("value")), line),
                line,
            });
        }
    }
    if let Some((a, path)) = auth {
        request_auth(ctx, &mut d, a, path);
    }
    if let Some(body) = req.get("body") {
        read_body(ctx, &mut d, body, &at(req_path, &[key("body")]));
    }
    d
}

fn request_auth(ctx: &Ctx, d: &mut Draft, auth: &Value, path: &[Step]) {
    let param = |name: &str| {
        auth_param(auth, name).map(|(v, steps)| {
            let line = ctx.line(&at(path, &steps));
            (ctx.vars.resolve(&v, line), line)
        })
    };
    match auth_type(auth) {
        "basic" => {
            let (id, id_line) = param("username").unwrap_or_default();
            let (secret, line) = param("password").unwrap_or_default();
            let line = id_line.or(line);
            if d.has_header("authorization") {
                d.notes.push("the request sets an Authorization header and a Basic auth: Postman sends the auth's header".into());
            }
            let value = super::super::basic_header(&id, &secret, line);
            d.set_header("Authorization", value, line);
            d.basic = Some(DraftBasic { id, secret, line });
        }
        "bearer" => {
            let (token, line) = param("token").unwrap_or_default();
            let mut v = Traced::literal("Bearer ", line);
            v.push(&token);
            d.set_header("Authorization", v, line);
        }
        "noauth" | "" => {}
        other => d.notes.push(format!(
            "the request's `{other}` auth adds nothing to the token request itself"
        )),
    }
}

/// Form-encodes traced parameters as Postman does; markers of unresolved variables stay as
/// written.
fn encode_params(params: &[DraftParam], line: Option<usize>) -> Traced {
    let mut body = Traced::default();
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            body.push_literal("&", line);
        }
        body.push_literal(&format!("{}=", form_encode(&p.name)), p.line.or(line));
        if p.meant.is_resolved() {
            body.push(&p.meant.map(form_encode(&p.meant.text)));
        } else {
            body.push(&p.meant);
        }
    }
    body
}

/// The `[{key, value}]` list of a body mode as parameters.
fn list_params(ctx: &Ctx, list: &[Value], path: &[Step]) -> Vec<DraftParam> {
    let mut out = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let name = p.get("key").and_then(Value::as_str).unwrap_or("");
        if name.is_empty() || disabled(p) {
            continue;
        }
        let line = ctx.line(&at(path, &[Step::Index(i)]));
        out.push(DraftParam {
            name: name.to_string(),
            meant: ctx.vars.resolve(&text_of(p.get("value")), line),
            line,
        });
    }
    out
}

fn read_body(ctx: &Ctx, d: &mut Draft, body: &Value, path: &[Step]) {
    let mode = body.get("mode").and_then(Value::as_str).unwrap_or("");
    let mode_line = ctx.line(&at(path, &[key("mode")]));
    d.body_line = mode_line;
    let content_type = match mode {
        "urlencoded" => {
            let list = body
                .get("urlencoded")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let params = list_params(ctx, &list, &at(path, &[key("urlencoded")]));
            d.body = encode_params(&params, mode_line);
            d.body_params = Some(params);
            FORM.to_string()
        }
        "raw" => {
            let raw = text_of(body.get("raw"));
            let line = ctx.line(&at(path, &[key("raw")]));
            d.body_line = line;
            d.body = ctx.vars.resolve(&raw, line);
            let lang = body
                .pointer("/options/raw/language")
                .and_then(Value::as_str)
                .unwrap_or("text");
            match lang {
                "json" => "application/json",
                "xml" => "application/xml",
                "javascript" => "application/javascript",
                "html" => "text/html",
                _ => "text/plain",
            }
            .to_string()
        }
        "formdata" => {
            let list = body
                .get("formdata")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let params = list_params(ctx, &list, &at(path, &[key("formdata")]));
            let boundary = "--------------------------gcdoctor0postman";
            let mut t = Traced::default();
            for p in &params {
                t.push_literal(
                    &format!(
                        "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n",
                        p.name
                    ),
                    p.line,
                );
                // The parts are not form pairs: what is unresolved is said per field here.
                t.push_literal(&p.meant.text, p.line);
                for (_, expr, line) in p.meant.unknown_parts() {
                    let what = match p.name.as_str() {
                        "client_id" => super::super::WHAT_ID.to_string(),
                        "client_secret" => super::super::WHAT_SECRET.to_string(),
                        n => format!("the {n} parameter"),
                    };
                    d.unresolved.push(Unresolved {
                        what,
                        expr,
                        line: line.or(p.line),
                    });
                }
                t.push_literal("\r\n", p.line);
            }
            t.push_literal(&format!("--{boundary}--\r\n"), mode_line);
            d.body = t;
            d.body_params = Some(params);
            format!("multipart/form-data; boundary={boundary}")
        }
        "" => return,
        other => {
            d.notes.push(format!(
                "the body is in Postman's `{other}` mode, which gcdoctor does not read"
            ));
            d.unresolved.push(Unresolved {
                what: WHAT_BODY.into(),
                expr: format!("a `{other}` body"),
                line: mode_line,
            });
            return;
        }
    };
    if !d.has_header("content-type") {
        d.headers.push(DraftHeader {
            name: "Content-Type".into(),
            value: Traced::literal(content_type, mode_line),
            line: mode_line,
        });
    }
}

/// The request Postman's OAuth 2.0 helper sends for this auth (`path` leads to it).
pub(crate) fn oauth2_draft(ctx: &Ctx, auth: &Value, path: &[Step]) -> Draft {
    let param = |name: &str| {
        auth_param(auth, name).map(|(v, steps)| {
            let line = ctx.line(&at(path, &steps));
            (ctx.vars.resolve(&v, line), line)
        })
    };
    let auth_line = ctx.line(path);
    let (url, url_line) = param("accessTokenUrl").unwrap_or_else(|| {
        (
            Traced::unknown("accessTokenUrl", "{{accessTokenUrl}}".into(), auth_line),
            auth_line,
        )
    });
    let (id, id_line) = param("clientId").unwrap_or_default();
    let (secret, secret_line) = param("clientSecret").unwrap_or_default();
    // Postman's default grant is the authorization code.
    let (grant, grant_line) = param("grant_type")
        .unwrap_or_else(|| (Traced::literal("authorization_code", auth_line), auth_line));
    let wire_grant = match grant.text.as_str() {
        "password_credentials" => "password",
        "authorization_code_with_pkce" => "authorization_code",
        g => g,
    };
    let mut params = vec![DraftParam {
        name: "grant_type".into(),
        meant: grant.map(wire_grant),
        line: grant_line,
    }];
    if let Some((scope, line)) = param("scope").filter(|(s, _)| !s.text.trim().is_empty()) {
        params.push(DraftParam {
            name: "scope".into(),
            meant: scope,
            line,
        });
    }
    let in_body = param("client_authentication").is_some_and(|(v, _)| v.text == "body");
    let mut d = Draft {
        method: "POST".into(),
        method_line: auth_line,
        url,
        url_line,
        call_line: auth_line,
        ..Draft::default()
    };
    d.headers.push(DraftHeader {
        name: "Content-Type".into(),
        value: Traced::literal(FORM, auth_line),
        line: auth_line,
    });
    if in_body {
        params.push(DraftParam {
            name: "client_id".into(),
            meant: id,
            line: id_line,
        });
        params.push(DraftParam {
            name: "client_secret".into(),
            meant: secret,
            line: secret_line,
        });
    } else {
        let line = id_line.or(secret_line);
        d.headers.insert(
            0,
            DraftHeader {
                name: "Authorization".into(),
                value: super::super::basic_header(&id, &secret, line),
                line,
            },
        );
        d.basic = Some(DraftBasic { id, secret, line });
    }
    d.body_line = grant_line;
    d.body = encode_params(&params, grant_line);
    d.body_params = Some(params);
    d
}
