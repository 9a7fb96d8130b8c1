//! Reading a scenario: the TOML or JSON file (or a built-in one) deserialised, then checked
//! across fields, every error located at file, line, column and field ([`ScenarioError`]).
//! The scenario's types and what the services ask of them are in `scenario.rs`.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use super::scenario::{OutageKind, Scenario};
use super::source_map::{FieldPath, SourceMap, line_col, offset_of};
use crate::catalogue::CauseId;

/// A scenario that could not be read: where (file, line, column, field) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    /// The file name (or the origin name given to `from_*_str`).
    pub origin: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The field path, e.g. `clients[1].region`, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl ScenarioError {
    fn plain(origin: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            origin: origin.to_string(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
        }
    }
}

/// The document format of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Toml,
    Json,
}

macro_rules! builtins {
    ($( $name:literal => $desc:literal ),* $(,)?) => {
        const BUILTIN_NAMES: &[(&str, &str)] = &[ $( ($name, $desc) ),* ];
        fn builtin_source(name: &str) -> Option<&'static str> {
            match name {
                $( $name => Some(include_str!(concat!("scenarios/", $name, ".toml"))), )*
                _ => None,
            }
        }
    };
}

builtins! {
    "healthy" => "A working client-credentials client in eu-west-1; the user does everything right",
    "wrong-region" => "The client lives in eu-west-1 but the user posts to the us-east-1 login host",
    "wrong-secret" => "The user sends an old secret; the client's secret was regenerated",
    "unknown-client" => "The user sends a client id that no region knows (deleted client)",
    "disabled-client" => "The client exists with the right secret but its state is disabled",
    "inactive-client" => "The client was set inactive and is scheduled for deletion",
    "grant-not-enabled" => "The user's client is a Code Authorization client, not Client Credentials",
    "no-roles" => "The client gets a token but has no roles, so every API call is refused",
    "missing-permission" => "The client's roles do not cover the API the user calls",
    "user-context" => "The user calls /api/v2/users/me, which needs a user, with a client-credentials token",
    "rate-limited" => "The login service throttles token requests for this client",
    "service-error" => "The eu-west-1 login service answers 503",
    "proxy-html" => "A proxy answers the token request with an HTML page instead of JSON",
    "body-credentials-rejected" => "This login service refuses client_id/client_secret in the form body; the user sends them there",
    "secret-encoding" => "The client's secret contains + / = and the user puts it in the body unencoded",
    "legacy-client-not-found" => "Legacy wording: an id unknown in the region is answered 'client not found'",
    "strict-401" => "invalid_client is answered with HTTP 401 (RFC 6749) instead of 400; the user sends a wrong secret",
}

impl Scenario {
    /// Reads a scenario file: `.json` as JSON, anything else as TOML (a file starting
    /// with `{` is taken as JSON whatever its name).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ScenarioError::plain(&origin, format!("cannot read the file: {e}")))?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || text.trim_start().starts_with('{');
        if is_json {
            Scenario::from_json_str(&text, &origin)
        } else {
            Scenario::from_toml_str(&text, &origin)
        }
    }

    /// Parses and validates a TOML scenario; `origin` names it in errors.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start);
            let map = SourceMap::toml(text);
            located(
                origin,
                text,
                offset,
                map.as_ref(),
                e.message(),
                Format::Toml,
            )
        })?;
        scenario.validated(text, origin, Format::Toml)
    }

    /// Parses and validates a JSON scenario; `origin` names it in errors.
    pub fn from_json_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = serde_json::from_str(text).map_err(|e| {
            let offset = (e.line() > 0).then(|| offset_of(text, e.line(), e.column()));
            let map = SourceMap::json(text);
            let message = strip_json_position(&e.to_string());
            located(origin, text, offset, map.as_ref(), &message, Format::Json)
        })?;
        scenario.validated(text, origin, Format::Json)
    }

    /// A built-in scenario by name (see [`Scenario::builtin_names`]).
    pub fn builtin(name: &str) -> Option<Scenario> {
        let source = builtin_source(name)?;
        Scenario::from_toml_str(source, &format!("builtin:{name}")).ok()
    }

    /// The built-in scenarios: name and one-line description.
    pub fn builtin_names() -> &'static [(&'static str, &'static str)] {
        BUILTIN_NAMES
    }

    /// The TOML text of a built-in scenario (a format example).
    pub fn builtin_source(name: &str) -> Option<&'static str> {
        builtin_source(name)
    }

    /// Cross-field validation; errors are located in `text`.
    fn validated(
        self,
        text: &str,
        origin: &str,
        format: Format,
    ) -> Result<Scenario, ScenarioError> {
        match self.check() {
            Ok(()) => Ok(self),
            Err((path, message)) => {
                let map = match format {
                    Format::Toml => SourceMap::toml(text),
                    Format::Json => SourceMap::json(text),
                };
                let span = map.as_ref().and_then(|m| m.span_of(&path));
                let (line, column) = match span {
                    Some(s) => {
                        let (l, c) = line_col(text, s.start);
                        (Some(l), Some(c))
                    }
                    None => (None, None),
                };
                Err(ScenarioError {
                    origin: origin.to_string(),
                    line,
                    column,
                    field: Some(path.to_string()),
                    message,
                })
            }
        }
    }

    /// The cross-field rules. Returns the first violation.
    fn check(&self) -> Result<(), (FieldPath, String)> {
        if self.name.trim().is_empty() {
            return Err((FieldPath::key("name"), "must not be empty".into()));
        }
        self.check_roles()?;
        self.check_clients()?;
        self.check_admin_tokens()?;
        self.check_outages()?;
        self.check_demo()
    }

    fn check_roles(&self) -> Result<(), (FieldPath, String)> {
        let mut names = HashSet::new();
        for (i, role) in self.roles.iter().enumerate() {
            let p = FieldPath::key("roles").index(i);
            if role.name.trim().is_empty() {
                return Err((p.field("name"), "must not be empty".into()));
            }
            if !names.insert(role.name.as_str()) {
                return Err((
                    p.field("name"),
                    format!("role `{}` is defined twice", role.name),
                ));
            }
        }
        Ok(())
    }

    fn check_clients(&self) -> Result<(), (FieldPath, String)> {
        let mut ids = HashSet::new();
        for (i, c) in self.clients.iter().enumerate() {
            let p = FieldPath::key("clients").index(i);
            if c.id.is_empty() || c.id.contains(':') || c.id.chars().any(char::is_control) {
                return Err((
                    p.field("id"),
                    "must be non-empty, without `:` or control characters".into(),
                ));
            }
            if !ids.insert(c.id.as_str()) {
                return Err((
                    p.field("id"),
                    format!(
                        "client `{}` is defined twice (a client lives in exactly one region)",
                        c.id
                    ),
                ));
            }
            if c.secret.is_empty() {
                return Err((p.field("secret"), "must not be empty".into()));
            }
            for (j, role) in c.roles.iter().enumerate() {
                if self.role(role).is_none() {
                    return Err((
                        p.field("roles").index(j),
                        format!("role `{role}` is not defined in [[roles]]"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_admin_tokens(&self) -> Result<(), (FieldPath, String)> {
        let mut seen = HashSet::new();
        for (i, t) in self.admin_tokens.iter().enumerate() {
            let p = FieldPath::key("admin_tokens").index(i).field("token");
            if t.token.is_empty() || t.token.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err((p, "must be non-empty, without whitespace".into()));
            }
            if !seen.insert(t.token.as_str()) {
                return Err((p, "token is defined twice".into()));
            }
        }
        Ok(())
    }

    fn check_outages(&self) -> Result<(), (FieldPath, String)> {
        for (i, o) in self.outages.iter().enumerate() {
            if o.status.is_some() && !matches!(o.kind, OutageKind::HtmlPage | OutageKind::EmptyBody)
            {
                return Err((
                    FieldPath::key("outages").index(i).field("status"),
                    format!(
                        "only `html-page` and `empty-body` outages take a status (this one is `{}`)",
                        o.kind.as_str()
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_demo(&self) -> Result<(), (FieldPath, String)> {
        let Some(demo) = &self.demo else {
            return Ok(());
        };
        let p = FieldPath::key("demo");
        match (&demo.region, &demo.token_url) {
            (Some(_), Some(_)) => {
                return Err((
                    p.field("token_url"),
                    "give `region` or `token_url`, not both".into(),
                ));
            }
            (None, None) => return Err((p, "needs `region` or `token_url`".into())),
            (None, Some(url)) => check_url(url).map_err(|m| (p.field("token_url"), m))?,
            (Some(_), None) => {}
        }
        if demo.secret.is_none() && self.client(&demo.client_id).is_none() {
            return Err((
                p.field("client_id"),
                format!(
                    "`{}` is not a client of this scenario, so `secret` must be given",
                    demo.client_id
                ),
            ));
        }
        if let Some(admin) = &demo.admin_client_id
            && demo.admin_secret.is_none()
            && self.client(admin).is_none()
        {
            return Err((
                p.field("admin_client_id"),
                format!(
                    "`{admin}` is not a client of this scenario, so `admin_secret` must be given"
                ),
            ));
        }
        for (i, call) in demo.check_api.iter().enumerate() {
            check_api_call(call).map_err(|m| (p.field("check_api").index(i), m))?;
        }
        if let Some(curl) = &demo.curl
            && !curl.trim_start().starts_with("curl ")
        {
            return Err((
                p.field("curl"),
                "must be a curl command line (`curl …`)".into(),
            ));
        }
        if let Some(cause) = &demo.expected_cause
            && CauseId::lookup(cause).is_none()
        {
            return Err((
                p.field("expected_cause"),
                format!("`{cause}` is not a cause id of the catalogue (e.g. `GC103`)"),
            ));
        }
        Ok(())
    }
}

fn check_url(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(()),
        Ok(_) => Err(format!("`{url}` is not an http(s) URL")),
        Err(e) => Err(format!("`{url}` is not a URL: {e}")),
    }
}

fn check_api_call(call: &str) -> Result<(), String> {
    let mut parts = call.split_whitespace();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(path), None)
            if m.chars().all(|c| c.is_ascii_uppercase()) && path.starts_with('/') =>
        {
            Ok(())
        }
        _ => Err(format!(
            "`{call}` is not `METHOD /path` (e.g. `GET /api/v2/authorization/roles`)"
        )),
    }
}

/// Builds a located error from a byte offset (as a parser reports it).
fn located(
    origin: &str,
    text: &str,
    offset: Option<usize>,
    map: Option<&SourceMap>,
    message: &str,
    format: Format,
) -> ScenarioError {
    let mut offset = offset;
    let mut field = offset.and_then(|o| map.and_then(|m| m.path_at(o)));
    // serde_json places errors raised inside an object at the object's end: find the
    // member the message names.
    if let (Format::Json, Some(map), Some(parent)) = (format, map, &field)
        && let Some(child) = map.child_named_in(text, parent, message)
    {
        offset = map.span_of(&child).map(|s| s.start).or(offset);
        field = Some(child);
    }
    let (line, column) = match offset {
        Some(o) => {
            let (l, c) = line_col(text, o);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    let field = field.map(|p| p.to_string());
    let message = message.trim().replace('\n', " ");
    ScenarioError {
        origin: origin.to_string(),
        line,
        column,
        field,
        message: if map.is_none() && offset.is_some() {
            format!("syntax error: {message}")
        } else {
            message
        },
    }
}

/// serde_json appends ` at line L column C`; the error carries those separately.
fn strip_json_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario_fields::{is_iso_datetime, permits};
    use super::*;

    #[test]
    fn every_builtin_loads_and_matches_its_description() {
        for (name, desc) in Scenario::builtin_names() {
            let source = builtin_source(name).unwrap();
            let s = Scenario::from_toml_str(source, name)
                .unwrap_or_else(|e| panic!("builtin {name}: {e}"));
            assert_eq!(s.name, *name);
            assert_eq!(s.description, *desc, "{name}");
            assert!(s.demo_inputs().is_some(), "{name} has demo inputs");
        }
    }

    #[test]
    fn permissions_match_with_wildcards() {
        let g = vec!["routing:*:view".to_string()];
        assert!(permits(&g, "routing:queue:view"));
        assert!(!permits(&g, "routing:queue:edit"));
        assert!(permits(&["*".to_string()], "oauth:client:view"));
        assert!(!permits(&[], "oauth:client:view"));
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_iso_datetime("2026-09-01T00:00:00Z"));
        assert!(is_iso_datetime("2026-09-01T00:00:00.000Z"));
        assert!(!is_iso_datetime("2026-09-01"));
        assert!(!is_iso_datetime("2026-09-01T00:00:00+02:00"));
    }
}
