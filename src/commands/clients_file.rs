//! The clients file of `diagnose --clients FILE`: a JSON list or one client per line.
//!
//! ```text
//! # client id                              region      where its secret is          label
//! 7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61     eu-west-1   env:REPORTING_SECRET         label:reporting
//! 2a4c6e80-1b3d-4f57-9a0b-c2d4e6f80a1b     us-east-1   file:/run/secrets/us_client
//! ```
//!
//! ```json
//! [{"client_id": "7c3f…", "region": "eu-west-1", "secret_env": "REPORTING_SECRET", "label": "reporting"},
//!  {"client_id": "2a4c…", "secret_file": "/run/secrets/us_client"}]
//! ```
//!
//! # Plan
//!
//! A file that cannot be read, is not JSON when it starts with `[`, or holds no client is a
//! usage error for the whole batch. A single line (or list entry) that is wrong (an unknown
//! region, no secret source) is an [`Entry`] with its error: the batch reports it as a client
//! that could not run, and runs the rest.

use super::UsageError;
use crate::region::{self, Region};

/// One client of the clients file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSpec {
    pub id: String,
    pub region: Option<&'static Region>,
    pub secret: SecretSource,
    /// Where it was written, e.g. `clients.txt:3`.
    pub at: String,
    /// `label:NAME` / `"label"`: the name shown for it; else the client id.
    pub label: Option<String>,
}

impl ClientSpec {
    pub fn label(&self) -> String {
        self.label.clone().unwrap_or_else(|| self.id.clone())
    }
}

/// Where a client's secret is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretSource {
    Env(String),
    File(String),
}

/// A line of the file that could not be understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLine {
    pub at: String,
    /// What of the client could be read: its id and label, for the report.
    pub id: String,
    pub label: Option<String>,
    pub error: String,
}

/// One entry of the file: a client to run, or a line that cannot be.
pub type Entry = Result<ClientSpec, BadLine>;

/// Reads a clients file (JSON list, or one client per line).
pub fn parse_clients(path: &std::path::Path) -> Result<Vec<Entry>, UsageError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError::new(format!("cannot read the clients file {name}: {e}")))?;
    let entries = if text.trim_start().starts_with('[') {
        parse_json(&text, &name)?
    } else {
        parse_lines(&text, &name)
    };
    if entries.is_empty() {
        return Err(UsageError::new(format!("{name}: no clients in the file")));
    }
    Ok(entries)
}

fn parse_lines(text: &str, name: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = format!("{name}:{}", i + 1);
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let id = words.next().unwrap_or_default().to_string();
        let (mut region, mut secret, mut label, mut error) = (None, None, None, None);
        for w in words {
            if let Some(v) = w.strip_prefix("env:") {
                secret = Some(SecretSource::Env(v.to_string()));
            } else if let Some(v) = w.strip_prefix("file:") {
                secret = Some(SecretSource::File(v.to_string()));
            } else if let Some(v) = w.strip_prefix("label:") {
                label = Some(v.to_string());
            } else {
                match region::parse(w) {
                    Ok(r) => region = Some(r),
                    // A word that is no region may be a secret in the wrong column: not quoted.
                    Err(e) => {
                        let e = e.to_string().replace(w, &crate::secret::mask(w));
                        error = error.or(Some(format!("{at}: {e}")))
                    }
                }
            }
        }
        let error = error.or_else(|| {
            secret.is_none().then(|| {
                format!(
                    "{at}: no secret source: add `env:VARIABLE` or `file:PATH` after the client id"
                )
            })
        });
        out.push(match (error, secret) {
            (None, Some(secret)) => Ok(ClientSpec {
                id,
                region,
                secret,
                at,
                label,
            }),
            (error, _) => Err(BadLine {
                at,
                id,
                label,
                error: error.unwrap_or_default(),
            }),
        });
    }
    out
}

fn parse_json(text: &str, name: &str) -> Result<Vec<Entry>, UsageError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        UsageError::new(format!(
            "{name}:{}:{}: not valid JSON: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let list = v
        .as_array()
        .ok_or_else(|| UsageError::new(format!("{name}: expected a JSON list of clients")))?;
    Ok(list
        .iter()
        .enumerate()
        .map(|(i, c)| json_entry(c, format!("{name}[{i}]")))
        .collect())
}

fn json_entry(c: &serde_json::Value, at: String) -> Entry {
    let s = |k: &str| c.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let id = s("client_id").unwrap_or_default();
    let label = s("label");
    let bad = |error: String| BadLine {
        at: at.clone(),
        id: id.clone(),
        label: label.clone(),
        error,
    };
    if id.is_empty() {
        return Err(bad(format!("{at}: missing client_id")));
    }
    let region = match s("region").map(|r| region::parse(&r)) {
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => {
            let r = s("region").unwrap_or_default();
            let e = e.to_string().replace(&r, &crate::secret::mask(&r));
            return Err(bad(format!("{at}.region: {e}")));
        }
        None => None,
    };
    let secret = match (s("secret_env"), s("secret_file")) {
        (Some(e), None) => SecretSource::Env(e),
        (None, Some(f)) => SecretSource::File(f),
        _ => {
            return Err(bad(format!(
                "{at}: give exactly one of secret_env and secret_file"
            )));
        }
    };
    Ok(ClientSpec {
        id,
        region,
        secret,
        at,
        label,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_file_formats() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.txt");
        std::fs::write(
            &p,
            "# comment\nid-1 eu-west-1 env:A label:eu\n\nid-2 file:/x # trailing\n",
        )
        .unwrap();
        let c = parse_clients(&p).unwrap();
        assert_eq!(c.len(), 2);
        let c0 = c[0].as_ref().unwrap();
        assert_eq!(c0.region.map(|r| r.key), Some("eu-west-1"));
        assert_eq!(c0.label(), "eu");
        assert_eq!(
            c[1].as_ref().unwrap().secret,
            SecretSource::File("/x".into())
        );
        assert_eq!(c[1].as_ref().unwrap().label(), "id-2");
        std::fs::write(&p, "id-1 eu-west-9 env:A\nid-2 env:B\n").unwrap();
        let c = parse_clients(&p).unwrap();
        assert!(c[0].as_ref().unwrap_err().error.contains("c.txt:1"));
        assert!(c[1].is_ok(), "the rest still runs");
        std::fs::write(&p, "id-1 eu-west-1\n").unwrap();
        let c = parse_clients(&p).unwrap();
        assert!(
            c[0].as_ref()
                .unwrap_err()
                .error
                .contains("no secret source")
        );
        std::fs::write(&p, r#"[{"client_id":"a","secret_env":"X"},{"client_id":"b","region":"mypurecloud.ie","secret_file":"f","label":"ie"}]"#).unwrap();
        let c = parse_clients(&p).unwrap();
        let c1 = c[1].as_ref().unwrap();
        assert_eq!(c1.region.map(|r| r.key), Some("eu-west-1"));
        assert_eq!(c1.label(), "ie");
        std::fs::write(&p, r#"[{"client_id":"a"}]"#).unwrap();
        let c = parse_clients(&p).unwrap();
        assert!(c[0].as_ref().unwrap_err().error.contains("exactly one"));
        std::fs::write(&p, "\n# nothing\n").unwrap();
        assert!(parse_clients(&p).is_err());
    }
}
