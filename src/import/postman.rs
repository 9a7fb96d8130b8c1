//! `--from-postman`: a Postman collection v2.1 (or v2.0) export, with its environment export
//! given by `--postman-env FILE`.
//!
//! # Plan
//!
//! * The collection is JSON (serde_json); [`super::json_locate`] finds the line of each part
//!   of the picked request in the raw text, so findings point into the file.
//! * `{{variables}}` come from the environment export over the collection's `variable` list
//!   ([`vars`]); an undefined one stays a visible `{{name}}` marker and is listed as
//!   unresolved.
//! * The items are walked through their folders with the auth in force (a request's own, else
//!   its folder's, else the collection's). The token request is a request that posts to
//!   `/oauth/token` (or sends `grant_type`); without one, the request Postman's OAuth 2.0
//!   helper makes for an `oauth2` auth ([`draft`]). When there are several, the first is read
//!   and a note names the others.
//! * Credential positions: the `basic` auth's username and password, the `oauth2` auth's
//!   `clientId` and `clientSecret`, a `bearer` token, `client_id`/`client_secret` body
//!   parameters and Authorization headers all flow into the draft as traced values, so the
//!   value behind `{{client_secret}}` becomes the request's client secret and every output
//!   redacts it. [`secret_texts`] lists every secret text of a collection and its environment
//!   (also those of requests that are not read), for the redaction layer.

mod draft;
mod vars;

use super::json_locate::Step;
use super::{ImportError, LineIndex, finish};
use crate::request::{ImportedRequest, InputKind};
use draft::{Ctx, at, auth_param, auth_type, key, oauth2_draft, request_draft, url_text};
use serde_json::Value;
use vars::{Vars, is_secret_name};

/// True for a Postman collection export, by its name or its content.
pub(crate) fn detect(text: &str, lower_path: &str) -> bool {
    if lower_path.ends_with(".postman_collection.json")
        || lower_path.ends_with(".postman_collection")
    {
        return true;
    }
    let head: String = text.trim_start().chars().take(4096).collect();
    head.starts_with('{')
        && (head.contains("schema.getpostman.com/json/collection")
            || head.contains("\"_postman_id\"") && head.contains("\"item\""))
}

/// The name under which the variable reader gives the environment export's path.
pub(crate) const ENV_PATH: &str = "\u{0}postman-environment-path";
/// The name under which the variable reader gives the environment export's text.
pub(crate) const ENV_TEXT: &str = "\u{0}postman-environment";

/// Reads an environment export (`--postman-env FILE`).
pub(crate) fn read_environment(path: &str) -> Result<String, ImportError> {
    let bytes = std::fs::read(path)
        .map_err(|e| ImportError::new(path, format!("cannot read the Postman environment: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn json_error(source: &str, what: &str, e: &serde_json::Error) -> ImportError {
    let full = e.to_string();
    let msg = full.split(" at line ").next().unwrap_or(&full);
    ImportError::new(source, format!("not a {what}: invalid JSON: {msg}"))
        .at(e.line().max(1), Some(e.column().max(1)))
}

/// Imports the token request of a collection; `vars` gives the environment export under
/// [`ENV_PATH`] and [`ENV_TEXT`] (the process environment is not read: Postman has its own).
pub(crate) fn parse(
    text: &str,
    source: &str,
    vars: &dyn Fn(&str) -> Option<String>,
) -> Result<ImportedRequest, ImportError> {
    let env_file = vars(ENV_TEXT).map(|t| {
        let name = vars(ENV_PATH).unwrap_or_else(|| "the environment".into());
        (name, t)
    });
    let env = env_file.as_ref().map(|(p, t)| (p.as_str(), t.as_str()));
    let root: Value =
        serde_json::from_str(text).map_err(|e| json_error(source, "Postman collection", &e))?;
    let env_root = match env {
        Some((name, t)) => {
            let v: Value = serde_json::from_str(t.trim_start_matches('\u{feff}'))
                .map_err(|e| json_error(name, "Postman environment", &e))?;
            if !v.get("values").is_some_and(Value::is_array) {
                return Err(ImportError::new(
                    name,
                    "not a Postman environment export: no `values` list",
                ));
            }
            Some(v)
        }
        None => None,
    };
    if root.get("requests").is_some() && root.get("item").is_none() {
        return Err(ImportError::new(
            source,
            "a Postman collection v1 export: export it again as Collection v2.1",
        ));
    }
    let Some(items) = root.get("item").and_then(Value::as_array) else {
        return Err(ImportError::new(
            source,
            "not a Postman collection v2.1 export: no `item` list",
        ));
    };
    let lines = LineIndex::new(text);
    let vars = Vars::new(&root, text, &lines, env_root.as_ref());
    let ctx = Ctx { text, lines, vars };
    let mut found = Vec::new();
    let root_auth = root.get("auth").map(|a| (a, vec![key("auth")]));
    walk(
        &ctx,
        items,
        &[key("item")],
        root_auth.clone(),
        &mut Vec::new(),
        &mut found,
    );
    if let Some((a, p)) = &root_auth
        && auth_type(a) == "oauth2"
        && !found.iter().any(|c| c.auth_path.as_ref() == Some(p))
    {
        found.push(Candidate {
            name: "the collection's OAuth 2.0 auth".into(),
            req: None,
            auth: Some((*a).clone()),
            auth_path: Some(p.clone()),
        });
    }
    let picked = found
        .iter()
        .position(|c| c.req.is_some())
        .or(if found.is_empty() { None } else { Some(0) })
        .ok_or_else(|| {
            ImportError::new(
                source,
                format!(
                    "no token request found: none of the {} requests posts to /oauth/token or sends grant_type, and no OAuth 2.0 auth is set",
                    count_requests(items)
                ),
            )
        })?;
    let c = &found[picked];
    let mut d = match &c.req {
        Some((req, path)) => {
            request_draft(&ctx, req, path, c.auth.as_ref().zip(c.auth_path.as_deref()))
        }
        None => oauth2_draft(
            &ctx,
            c.auth.as_ref().unwrap_or(&Value::Null),
            c.auth_path.as_deref().unwrap_or(&[]),
        ),
    };
    d.notes.insert(0, format!("reads {}", c.name));
    if found.len() > 1 {
        let others: Vec<&str> = found
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != picked)
            .map(|(_, c)| c.name.as_str())
            .collect();
        d.notes.push(format!(
            "the collection has {} token requests; the others are {}",
            found.len(),
            others.join(", ")
        ));
    }
    let mut imp = finish(d, InputKind::Postman, source);
    let mut undefined: Vec<&str> = imp
        .unresolved
        .iter()
        .map(|u| u.expr.as_str())
        .filter(|e| e.starts_with("{{"))
        .collect();
    undefined.sort();
    undefined.dedup();
    if !undefined.is_empty() {
        let list = undefined.join(", ");
        imp.notes.push(match env {
            None => format!("{list}: not defined in the collection; give its environment export with --postman-env FILE"),
            Some((name, _)) => format!("{list}: defined neither in the collection nor in {name}"),
        });
    }
    Ok(imp)
}

/// A request or auth that makes a token request.
struct Candidate {
    name: String,
    /// The request object and its path.
    req: Option<(Value, Vec<Step>)>,
    /// The auth in force and its path.
    auth: Option<Value>,
    auth_path: Option<Vec<Step>>,
}

fn count_requests(items: &[Value]) -> usize {
    items
        .iter()
        .map(|i| match i.get("item").and_then(Value::as_array) {
            Some(sub) => count_requests(sub),
            None => usize::from(i.get("request").is_some()),
        })
        .sum()
}

/// The auth an item sets, if it sets one (`inherit` or none = the parent's).
fn own_auth<'a>(item: &'a Value, path: &[Step]) -> Option<(&'a Value, Vec<Step>)> {
    let a = item.get("auth")?;
    if a.is_null() || auth_type(a) == "inherit" {
        return None;
    }
    Some((a, at(path, &[key("auth")])))
}

fn walk<'a>(
    ctx: &Ctx,
    items: &'a [Value],
    path: &[Step],
    inherited: Option<(&'a Value, Vec<Step>)>,
    names: &mut Vec<String>,
    out: &mut Vec<Candidate>,
) {
    for (i, item) in items.iter().enumerate() {
        let item_path = at(path, &[Step::Index(i)]);
        let name = item
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)")
            .to_string();
        if let Some(sub) = item.get("item").and_then(Value::as_array) {
            let auth = own_auth(item, &item_path).or_else(|| inherited.clone());
            names.push(name);
            walk(ctx, sub, &at(&item_path, &[key("item")]), auth, names, out);
            names.pop();
            continue;
        }
        let Some(req) = item.get("request") else {
            continue;
        };
        let req_path = at(&item_path, &[key("request")]);
        let req = match req {
            Value::String(u) => serde_json::json!({ "method": "GET", "url": u }),
            other => other.clone(),
        };
        let own = own_auth(&req, &req_path);
        let is_own = own.is_some();
        let auth = own.or_else(|| inherited.clone());
        let mut full = names.clone();
        full.push(name);
        let label = full.join(" / ");
        if is_token_request(ctx, &req) {
            let (auth, auth_path) = match &auth {
                Some((a, p)) if auth_type(a) != "oauth2" => (Some((*a).clone()), Some(p.clone())),
                _ => (None, None),
            };
            out.push(Candidate {
                name: format!("the request \"{label}\""),
                req: Some((req, req_path)),
                auth,
                auth_path,
            });
        } else if let Some((a, p)) = auth
            && auth_type(a) == "oauth2"
            && !out.iter().any(|c| c.auth_path.as_ref() == Some(&p))
        {
            let name = if p == [key("auth")] {
                "the collection's OAuth 2.0 auth".to_string()
            } else if is_own {
                format!("the OAuth 2.0 auth of the request \"{label}\"")
            } else {
                format!("the OAuth 2.0 auth of the folder holding \"{label}\"")
            };
            out.push(Candidate {
                name,
                req: None,
                auth: Some(a.clone()),
                auth_path: Some(p),
            });
        }
    }
}

fn is_token_request(ctx: &Ctx, req: &Value) -> bool {
    let url = ctx.vars.resolve(&url_text(req).0, None).text;
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path.trim_end_matches('/').ends_with("/oauth/token") {
        return true;
    }
    let body = req.get("body").map(Value::to_string).unwrap_or_default();
    body.contains("grant_type") || url.contains("grant_type=")
}

/// Every secret text of a collection and its environment: the values in credential positions
/// (auth usernames' passwords, OAuth 2.0 client secrets and tokens, bearer tokens,
/// Authorization headers, `client_secret` parameters) and every variable whose name says
/// secret or that such a position refers to, resolved.
pub fn secret_texts(text: &str, env: Option<&str>) -> Vec<String> {
    let Ok(root) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let env_root = env.and_then(|t| serde_json::from_str::<Value>(t).ok());
    let lines = LineIndex::new(text);
    let vars = Vars::new(&root, text, &lines, env_root.as_ref());
    texts_of(&root, &vars, env_root.as_ref())
}

fn texts_of(root: &Value, vars: &Vars, env_root: Option<&Value>) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    collect(root, &mut raw);
    let mut out: Vec<String> = Vec::new();
    for r in &raw {
        out.push(vars.resolve(r, None).text);
        for name in Vars::references(r) {
            if let Some(v) = vars.get(&name) {
                out.push(vars.resolve(&v.value, None).text);
            }
        }
    }
    for (name, v) in vars.values() {
        if is_secret_name(name) {
            out.push(vars.resolve(&v.value, None).text);
        }
    }
    if let Some(values) = env_root
        .and_then(|e| e.get("values"))
        .and_then(Value::as_array)
    {
        for v in values {
            if v.get("type").and_then(Value::as_str) == Some("secret") {
                out.push(vars::text_of(v.get("value")));
            }
        }
    }
    out.retain(|s| !s.trim().is_empty() && !crate::secret::is_uuid_shaped(s.trim()));
    out.sort();
    out.dedup();
    out
}

/// The raw texts in credential positions anywhere in a collection value.
fn collect(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(auth_ty) = m.get("type").and_then(Value::as_str)
                && m.contains_key(auth_ty)
            {
                for name in [
                    "password",
                    "clientSecret",
                    "token",
                    "accessToken",
                    "refreshToken",
                    "value",
                ] {
                    if let Some((t, _)) = auth_param(v, name) {
                        out.push(t);
                    }
                }
            }
            if let Some(k) = m.get("key").and_then(Value::as_str)
                && (is_secret_name(k) || k.eq_ignore_ascii_case("authorization"))
            {
                out.push(vars::text_of(m.get("value")));
            }
            for child in m.values() {
                collect(child, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| collect(c, out)),
        Value::String(s) => {
            // A raw body's `client_secret=…` or `"client_secret": "…"`.
            for (i, _) in s.match_indices("client_secret") {
                let rest = s[i + "client_secret".len()..].trim_start_matches(['"', ':', '=', ' ']);
                let end = rest.find(['&', '"', '\n', ',', '}']).unwrap_or(rest.len());
                out.push(rest[..end].to_string());
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_0_auth_objects_string_requests_and_the_header_default() {
        // v2.0 writes an auth's parameters as an object; a request may be a bare URL.
        let text = r#"{
  "info": {"name": "v2.0", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
  "item": [
    {"name": "ping", "request": "https://api.mypurecloud.de/api/v2/organizations/me"},
    {"name": "token", "request": {"method": "post", "url": "https://login.mypurecloud.de/oauth/token",
      "auth": {"type": "basic", "basic": {"username": "my-client-id", "password": "pa55-w0rd-xyz"}},
      "body": {"mode": "urlencoded", "urlencoded": [{"key": "grant_type", "value": "client_credentials"}]}}}
  ]
}"#;
        let imp = parse(text, "c.json", &|_| None).unwrap();
        assert_eq!(imp.request.method, "POST");
        assert_eq!(imp.client_secret.as_ref().unwrap().value, "pa55-w0rd-xyz");
        assert_eq!(imp.line_of(&crate::request::Part::Url), Some(5));
        // An OAuth 2.0 auth without client_authentication sends a Basic header, and without
        // grant_type it is Postman's default, the authorization code.
        let text = r#"{"info": {"name": "x"}, "item": [],
  "auth": {"type": "oauth2", "oauth2": [{"key": "accessTokenUrl", "value": "https://login.mypurecloud.jp/oauth/token"},
    {"key": "clientId", "value": "id-1"}, {"key": "clientSecret", "value": "s3cr3t-value-1"}]}}"#;
        let imp = parse(text, "c.json", &|_| None).unwrap();
        assert!(
            imp.request
                .header("authorization")
                .is_some_and(|h| h.starts_with("Basic "))
        );
        assert_eq!(imp.request.body_text(), "grant_type=authorization_code");
        assert!(secret_texts(text, None).contains(&"s3cr3t-value-1".to_string()));
    }
}
