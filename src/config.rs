//! Where credentials and regions come from: flags, the environment, a `.env` file, a profile
//! of the `gc` CLI's `~/.gc/config.toml` (facts §9), or the user's own request.
//!
//! Each resolved value remembers its source, so the report can show it like
//! `aws configure list` does: value (masked where secret), source, location.

use crate::region::{self, Region};
use crate::secret::Shape;
use crate::usage::UsageError;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use zeroize::{Zeroize, Zeroizing};

/// A value and where it came from. Its `Debug` shows the value's shape only (it may be a
/// secret).
#[derive(Clone, PartialEq, Eq)]
pub struct Sourced {
    pub value: String,
    pub source: String,
}

/// Environment lookups: the process environment, then an optional `.env` file. Its `Debug`
/// lists variable names, never values; the `.env` values are zeroed on drop.
#[derive(Clone, Default)]
pub struct Env {
    file: Option<(PathBuf, BTreeMap<String, String>)>,
    /// For tests: an environment that replaces the process one.
    fixed: Option<BTreeMap<String, String>>,
}

impl Env {
    /// The process environment plus an optional `.env` file.
    pub fn new(env_file: Option<&Path>) -> Result<Env, UsageError> {
        let file = match env_file {
            Some(p) => Some((p.to_path_buf(), read_env_file(p)?)),
            None => None,
        };
        Ok(Env { file, fixed: None })
    }

    /// A fixed environment (tests).
    pub fn fixed(vars: &[(&str, &str)]) -> Env {
        Env {
            file: None,
            fixed: Some(
                vars.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
        }
    }

    /// A variable and its source (`env NAME` or `NAME in FILE`).
    pub fn get(&self, name: &str) -> Option<Sourced> {
        let process = match &self.fixed {
            Some(m) => m.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        if let Some(v) = process.filter(|v| !v.is_empty()) {
            return Some(Sourced {
                value: v,
                source: format!("env {name}"),
            });
        }
        let (path, vars) = self.file.as_ref()?;
        vars.get(name).map(|v| Sourced {
            value: v.clone(),
            source: format!("{name} in {}", path.display()),
        })
    }

    /// Just the value.
    pub fn var(&self, name: &str) -> Option<String> {
        self.get(name).map(|s| s.value)
    }

    /// Where `name` is set but empty (`env NAME` or `NAME in FILE`), when it is set nowhere
    /// with a value: as when a CI secret is missing and `NAME=` is all that is left.
    pub fn empty(&self, name: &str) -> Option<String> {
        if self.get(name).is_some() {
            return None;
        }
        let process = match &self.fixed {
            Some(m) => m.get(name).cloned(),
            None => std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()),
        };
        if process.is_some_and(|v| v.is_empty()) {
            return Some(format!("env {name}"));
        }
        let (path, vars) = self.file.as_ref()?;
        vars.get(name)
            .filter(|v| v.is_empty())
            .map(|_| format!("{name} in {}", path.display()))
    }

    /// Names of variables with a value, each with where it is set (never the values).
    pub fn names(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = match &self.fixed {
            Some(m) => m
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, _)| (k.clone(), "the environment".to_string()))
                .collect(),
            None => std::env::vars_os()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, _)| (k.to_string_lossy().into_owned(), "the environment".into()))
                .collect(),
        };
        if let Some((path, vars)) = &self.file {
            out.extend(
                vars.iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, _)| (k.clone(), path.display().to_string())),
            );
        }
        out
    }
}

/// Reads a `.env` file: `KEY=value`, `export KEY=value`, `#` comments, values in single or
/// double quotes (quotes removed, as dotenv tools do).
pub fn read_env_file(path: &Path) -> Result<BTreeMap<String, String>, UsageError> {
    let text = std::fs::read(path)
        .map_err(|e| UsageError::new(format!("cannot read env file {}: {e}", path.display())))?;
    let text = Zeroizing::new(String::from_utf8(text).map_err(|e| {
        e.into_bytes().zeroize();
        UsageError::new(format!("{}: not UTF-8 text", path.display()))
    })?);
    let mut vars = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim_start();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((k, v)) = line.split_once('=') else {
            return Err(UsageError::new(format!(
                "{}:{}: expected KEY=value",
                path.display(),
                i + 1
            )));
        };
        let k = k.trim();
        if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            // Not a name, so possibly a value (a secret) on a line of its own: shown by shape.
            return Err(UsageError::new(format!(
                "{}:{}: `{}` is not a variable name",
                path.display(),
                i + 1,
                crate::secret::mask::name_attempt(k)
            )));
        }
        let v = v.trim_start();
        let v = if v.len() >= 2
            && (v.starts_with('"') && v.ends_with('"') || v.starts_with('\'') && v.ends_with('\''))
        {
            v[1..v.len() - 1].to_string()
        } else {
            // An unquoted value ends at an inline comment; keep trailing spaces (they are a finding).
            match v.find(" #") {
                Some(i) => v[..i].to_string(),
                None => v.to_string(),
            }
        };
        if crate::secret::mask::is_secret_name(k) {
            crate::secret::global::add(&v);
        }
        vars.insert(k.to_string(), v);
    }
    Ok(vars)
}

/// A profile of the `gc` CLI config. Its `Debug` shows the secret's shape only, and the
/// secret is zeroed on drop.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct GcProfile {
    pub name: String,
    pub path: PathBuf,
    /// `client_credentials`: the `gc` CLI's (oddly named) key for the client id.
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// `environment`: a domain, or an AWS-style region key.
    pub environment: Option<String>,
    /// `proxy_host`/`proxy_port`/`proxy_protocol`, when set.
    pub proxy: Option<String>,
}

/// The `gc` CLI config path: `$HOME/.gc/config.toml`.
pub fn gc_config_path(env: &Env) -> Option<PathBuf> {
    env.var("HOME")
        .map(|h| PathBuf::from(h).join(".gc").join("config.toml"))
}

/// Reads a profile. `Ok(None)` when the file does not exist and no profile was asked for.
pub fn read_gc_profile(
    path: &Path,
    name: &str,
    asked: bool,
) -> Result<Option<GcProfile>, UsageError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => Zeroizing::new(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !asked => return Ok(None),
        Err(e) => {
            return Err(UsageError::new(format!(
                "cannot read the gc CLI config {}: {e}",
                path.display()
            )));
        }
    };
    let table = WipedTable(text.parse().map_err(|e: toml::de::Error| {
        let at = e
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(":{line}")
            })
            .unwrap_or_default();
        UsageError::new(format!(
            "{}{at}: the gc CLI config is not valid TOML: {}",
            path.display(),
            e.message()
        ))
    })?);
    let table = &table.0;
    let Some(profile) = table.get(name).and_then(|v| v.as_table()) else {
        if !asked {
            return Ok(None);
        }
        let names: Vec<&str> = table
            .iter()
            .filter(|(_, v)| v.is_table())
            .map(|(k, _)| k.as_str())
            .collect();
        return Err(UsageError::new(format!(
            "no profile `{name}` in {}; profiles there: {}",
            path.display(),
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        )));
    };
    let s = |k: &str| {
        profile
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .filter(|v| !v.is_empty())
    };
    let proxy = s("proxy_host").map(|h| {
        let scheme = s("proxy_protocol").unwrap_or_else(|| "http".into());
        match profile.get("proxy_port").and_then(|v| {
            v.as_integer()
                .map(|i| i.to_string())
                .or_else(|| v.as_str().map(str::to_string))
        }) {
            Some(p) => format!("{scheme}://{h}:{p}"),
            None => format!("{scheme}://{h}"),
        }
    });
    Ok(Some(GcProfile {
        name: name.to_string(),
        path: path.to_path_buf(),
        client_id: s("client_credentials"),
        client_secret: s("client_secret"),
        environment: s("environment"),
        proxy,
    }))
}

/// A parsed gc config, its strings (secrets among them) zeroed on drop.
struct WipedTable(toml::Table);

impl Drop for WipedTable {
    fn drop(&mut self) {
        fn wipe(v: &mut toml::Value) {
            match v {
                toml::Value::String(s) => s.zeroize(),
                toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| wipe(v)),
                toml::Value::Array(a) => a.iter_mut().for_each(wipe),
                _ => {}
            }
        }
        self.0.iter_mut().for_each(|(_, v)| wipe(v));
    }
}

/// Resolves a `gc` CLI `environment` value the way the CLI does: a value with a dot is a
/// domain; otherwise an AWS key (the CLI itself accepts only its own spelling of each key).
pub fn gc_environment(value: &str) -> Result<&'static Region, region::UnknownRegion> {
    region::parse(value)
}

/// Which of the user's other tools accept a region spelling: the `gc` CLI takes a domain
/// (anything with a dot) or its own key (hyphens, except three regions spelled with
/// underscores); Terraform takes only the hyphenated AWS key (facts §1.3, §9). Returns a
/// warning when the tools disagree, so the same value does not work in one and fail in the
/// other.
pub fn region_spelling_note(value: &str, r: &Region, source: &str) -> Option<String> {
    let v = value.trim();
    let gc_ok = v.contains('.') || v == r.gc_cli_key();
    let tf_ok = v == r.key;
    match (gc_ok, tf_ok) {
        (true, true) => None,
        (true, false) => Some(format!(
            "{source}: `{v}` works for the gc CLI but not for the Terraform provider, which expects `{}`",
            r.key
        )),
        (false, true) => Some(format!(
            "{source}: `{v}` works for the Terraform provider but the gc CLI rejects it (\"Invalid AWS region\"); the gc CLI spells it `{}`",
            r.gc_cli_key()
        )),
        (false, false) => Some(format!(
            "{source}: `{v}` is understood by gcdoctor but neither by the gc CLI (`{}` or `{}`) nor by the Terraform provider (`{}`)",
            r.gc_cli_key(),
            r.domain,
            r.key
        )),
    }
}

/// Reads a secret file (`-` = stdin): one trailing newline is dropped, anything else stays
/// (stray whitespace is a finding, not something to hide).
pub fn read_secret_file(path: &str, what: &str) -> Result<String, UsageError> {
    let bytes = if path == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
            .map_err(|e| UsageError::new(format!("cannot read the {what} from stdin: {e}")))?;
        b
    } else {
        std::fs::read(path)
            .map_err(|e| UsageError::new(format!("cannot read the {what} from {path}: {e}")))?
    };
    let name = if path == "-" {
        "stdin".to_string()
    } else {
        path.to_string()
    };
    let mut text = String::from_utf8(bytes).map_err(|e| {
        e.into_bytes().zeroize();
        UsageError::new(format!("the {what} in {name} is not UTF-8 text"))
    })?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    if text.is_empty() {
        return Err(UsageError::new(format!("the {what} in {name} is empty")));
    }
    if text.trim().is_empty() {
        return Err(UsageError::new(format!(
            "the {what} in {name} is only whitespace"
        )));
    }
    Ok(text)
}

/// True when a file can be read by users other than its owner (Unix mode bits). On Windows
/// (and other non-Unix systems) access is governed by ACLs, which are not inspected: always
/// false, so the GC601 warning about a readable secret file is not given there.
pub fn readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o044 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

impl fmt::Debug for Sourced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sourced")
            .field("value", &Shape(&self.value))
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self
            .file
            .as_ref()
            .map(|(p, vars)| (p, vars.keys().collect::<Vec<_>>()));
        let fixed = self
            .fixed
            .as_ref()
            .map(|vars| vars.keys().collect::<Vec<_>>());
        f.debug_struct("Env")
            .field("file", &file)
            .field("fixed", &fixed)
            .finish()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for vars in self
            .file
            .as_mut()
            .map(|(_, v)| v)
            .into_iter()
            .chain(self.fixed.as_mut())
        {
            vars.values_mut().for_each(Zeroize::zeroize);
        }
    }
}

impl fmt::Debug for GcProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GcProfile")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_deref().map(Shape))
            .field("environment", &self.environment)
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl Drop for GcProfile {
    fn drop(&mut self) {
        if let Some(s) = &mut self.client_secret {
            s.zeroize();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_file_syntax() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".env");
        std::fs::write(
            &p,
            "# c\nexport A=1\nB=\"two words\"\nC='x'\nD=raw value # note\nE=trailing \n",
        )
        .unwrap();
        let v = read_env_file(&p).unwrap();
        assert_eq!(v["A"], "1");
        assert_eq!(v["B"], "two words");
        assert_eq!(v["C"], "x");
        assert_eq!(v["D"], "raw value");
        assert_eq!(v["E"], "trailing ");
        std::fs::write(&p, "A=1\nnot a line\n").unwrap();
        assert!(read_env_file(&p).unwrap_err().0.contains(":2:"));
    }

    #[test]
    fn gc_profiles() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "[DEFAULT]\nenvironment = \"mypurecloud.ie\"\nclient_credentials = \"id-1\"\nclient_secret = \"s\"\ngrant_type = \"1\"\n[other]\nenvironment = \"me_central_1\"\n").unwrap();
        let d = read_gc_profile(&p, "DEFAULT", false).unwrap().unwrap();
        assert_eq!(d.client_id.as_deref(), Some("id-1"));
        assert_eq!(
            gc_environment(d.environment.as_deref().unwrap())
                .unwrap()
                .key,
            "eu-west-1"
        );
        let e = read_gc_profile(&p, "nope", true).unwrap_err();
        assert!(e.0.contains("DEFAULT, other"), "{e}");
        std::fs::write(&p, "[DEFAULT\n").unwrap();
        assert!(
            read_gc_profile(&p, "DEFAULT", true)
                .unwrap_err()
                .0
                .contains("config.toml:1")
        );
    }

    #[test]
    fn region_spellings_the_other_tools_disagree_on() {
        let mec = region::by_key("me-central-1").unwrap();
        let euw = region::by_key("eu-west-1").unwrap();
        assert!(
            region_spelling_note("me-central-1", mec, "x")
                .unwrap()
                .contains("gc CLI rejects")
        );
        assert!(
            region_spelling_note("me_central_1", mec, "x")
                .unwrap()
                .contains("not for the Terraform")
        );
        assert!(
            region_spelling_note("eu_west_1", euw, "x")
                .unwrap()
                .contains("neither")
        );
        assert!(
            region_spelling_note("mypurecloud.ie", euw, "x")
                .unwrap()
                .contains("not for the Terraform")
        );
        assert_eq!(region_spelling_note("eu-west-1", euw, "x"), None);
    }

    #[test]
    fn secret_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s");
        std::fs::write(&p, "abc\n").unwrap();
        assert_eq!(
            read_secret_file(p.to_str().unwrap(), "client secret").unwrap(),
            "abc"
        );
        std::fs::write(&p, "abc \n\n").unwrap();
        assert_eq!(
            read_secret_file(p.to_str().unwrap(), "client secret").unwrap(),
            "abc \n"
        );
        std::fs::write(&p, "  \n").unwrap();
        assert!(read_secret_file(p.to_str().unwrap(), "client secret").is_err());
        std::fs::write(&p, [0xff, 0xfe]).unwrap();
        assert!(
            read_secret_file(p.to_str().unwrap(), "client secret")
                .unwrap_err()
                .0
                .contains("UTF-8")
        );
    }
}
