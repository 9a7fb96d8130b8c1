//! Postman `{{variables}}`: the collection's `variable` list and an environment export
//! (`--postman-env FILE`), which wins over the collection as in Postman. A value is resolved
//! into a [`Traced`] string whose parts remember the line of the variable's definition and
//! the `{{name}}` the request writes, so a finding about the secret points at the line that
//! holds it. A variable defined nowhere (or a dynamic one such as `{{$guid}}`) stays in the
//! text as its `{{name}}` marker, never a guess.

use super::super::json_locate::{Step, offset};
use super::super::{LineIndex, Src, Traced};
use serde_json::Value;
use std::collections::BTreeMap;

/// Where a variable is defined.
#[derive(Clone, Debug)]
pub(crate) struct Var {
    pub value: String,
    /// Line in the collection (none for the environment file).
    pub line: Option<usize>,
}

/// The variables a collection's requests can use.
#[derive(Clone, Debug, Default)]
pub(crate) struct Vars {
    map: BTreeMap<String, Var>,
}

/// A `key`/`value` list entry that is switched off in Postman.
pub(crate) fn disabled(v: &Value) -> bool {
    v.get("disabled").and_then(Value::as_bool) == Some(true)
        || v.get("enabled").and_then(Value::as_bool) == Some(false)
}

/// A variable or list value as text (numbers and booleans as written).
pub(crate) fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

impl Vars {
    /// The collection's `variable` list, then the environment's `values` over it.
    pub(crate) fn new(root: &Value, text: &str, lines: &LineIndex, env: Option<&Value>) -> Vars {
        let mut map = BTreeMap::new();
        if let Some(list) = root.get("variable").and_then(Value::as_array) {
            for (i, v) in list.iter().enumerate() {
                let Some(key) = v.get("key").and_then(Value::as_str) else {
                    continue;
                };
                if disabled(v) {
                    continue;
                }
                // The line of the value, where the secret is written.
                let item = [Step::Key("variable".into()), Step::Index(i)];
                let value = [item[0].clone(), item[1].clone(), Step::Key("value".into())];
                let line = offset(text.as_bytes(), &value)
                    .or_else(|| offset(text.as_bytes(), &item))
                    .map(|o| lines.line(o));
                map.insert(
                    key.to_string(),
                    Var {
                        value: text_of(v.get("value")),
                        line,
                    },
                );
            }
        }
        if let Some(values) = env.and_then(|e| e.get("values")).and_then(Value::as_array) {
            for v in values {
                if let Some(key) = v.get("key").and_then(Value::as_str)
                    && !disabled(v)
                {
                    map.insert(
                        key.to_string(),
                        Var {
                            value: text_of(v.get("value")),
                            line: None,
                        },
                    );
                }
            }
        }
        Vars { map }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Var> {
        self.map.get(name)
    }

    /// The names of `{{…}}` references in `s`.
    pub(crate) fn references(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(i) = rest.find("{{") {
            let after = &rest[i + 2..];
            let Some(j) = after.find("}}") else { break };
            out.push(after[..j].trim().to_string());
            rest = &after[j + 2..];
        }
        out
    }

    /// `s` with every `{{name}}` resolved (to five levels of variables in variables).
    pub(crate) fn resolve(&self, s: &str, line: Option<usize>) -> Traced {
        self.resolve_depth(s, line, 0)
    }

    fn resolve_depth(&self, s: &str, line: Option<usize>, depth: usize) -> Traced {
        let mut out = Traced::default();
        let mut rest = s;
        while let Some(i) = rest.find("{{") {
            let after = &rest[i + 2..];
            let Some(j) = after.find("}}") else { break };
            if i > 0 {
                out.push_literal(&rest[..i], line);
            }
            let name = after[..j].trim();
            let marker = format!("{{{{{name}}}}}");
            match self.map.get(name) {
                Some(v) if depth < 5 && !name.starts_with('$') => {
                    let inner = self.resolve_depth(&v.value, v.line.or(line), depth + 1);
                    out.push(&inner.referred_as(&marker));
                }
                _ => out.push(&Traced::new(
                    marker.clone(),
                    Src::Unknown { expr: marker },
                    line,
                )),
            }
            rest = &after[j + 2..];
        }
        if !rest.is_empty() || out.is_empty() {
            out.push_literal(rest, line);
        }
        out
    }

    /// Every variable value (resolved), with its name.
    pub(crate) fn values(&self) -> impl Iterator<Item = (&String, &Var)> {
        self.map.iter()
    }
}

/// True for a name that says its value is secret (`client_secret`, `clientSecret`,
/// `password`, `access_token`, `apiKey`).
pub(crate) fn is_secret_name(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "secret",
        "password",
        "passwd",
        "token",
        "apikey",
        "authorization",
    ]
    .iter()
    .any(|w| n.contains(w))
        && !n.ends_with("url")
        && !n.ends_with("type")
        && !n.ends_with("name")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_nested_and_keeps_markers() {
        let root: Value = serde_json::json!({"variable": [
            {"key": "env", "value": "mypurecloud.ie"},
            {"key": "host", "value": "login.{{env}}"},
            {"key": "off", "value": "x", "disabled": true}
        ]});
        let text = root.to_string();
        let v = Vars::new(&root, &text, &LineIndex::new(&text), None);
        let t = v.resolve("https://{{host}}/oauth/token?{{off}}&{{$guid}}", Some(3));
        assert_eq!(
            t.text,
            "https://login.mypurecloud.ie/oauth/token?{{off}}&{{$guid}}"
        );
        assert_eq!(t.unknown_parts().len(), 2);
        assert!(is_secret_name("clientSecret") && is_secret_name("client_secret"));
        assert!(!is_secret_name("accessTokenUrl") && !is_secret_name("client_id"));
    }
}
