//! Inputs as a new user gives them: the checks and messages around the resolution of the
//! credentials, region and token URL (`diagnose` and `diagnose --offline`).
//!
//! # Plan
//!
//! * [`reconcile_region`]: `--token-url` and `--region` naming different regions. The run
//!   uses the token URL (it is what the user's code posts to, and the region scan finds the
//!   client's home anyway), drops the region flag from the target, and records one warning
//!   finding saying so; the inputs table marks the region as not used. So a right token URL
//!   with a wrong region flag gives a healthy report without a failed canonical check, and a
//!   wrong token URL is proven GC103 by the scan, replacing the warning.
//! * [`no_client_id`] and [`no_client_secret`]: the usage errors when a credential is missing,
//!   naming a variable that is set but empty (a missing CI secret leaves `NAME=`), the
//!   variables of other names that the environment, the `--env-file` or a `./.env` not loaded
//!   do have (`GENESYS_CLOUD_CLIENT_ID`, …) with how to map them, and the variables the
//!   user's script reads that are not set. Names only: values are never shown.
//! * [`cleaned_values`]: gcdoctor reads a secret file without its final line ending (what
//!   `echo` or Notepad leave); code that reads the file as-is sends the secret with it, so
//!   every such cleaning is a GC204 warning naming the file and what such code sends.

use super::UsageError;
use crate::catalogue::CauseId;
use crate::config::Env;
use crate::engine::{AsRead, Inputs};
use crate::finding::{Finding, Severity};
use crate::region::{self, HostKind, Region};
use crate::request::{FoundValue, ImportedRequest, ValueOrigin};
use crate::secret::Secret;

const ID_VAR: &str = "GENESYSCLOUD_OAUTHCLIENT_ID";
const SECRET_VAR: &str = "GENESYSCLOUD_OAUTHCLIENT_SECRET";

/// The region a token URL posts to, when its host is a Genesys Cloud login or API host.
fn url_region(url: &str) -> Option<&'static Region> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    match region::classify_host(&host) {
        HostKind::Login(r) | HostKind::Api(r) => Some(r),
        _ => None,
    }
}

/// `--token-url` and `--region` that disagree: the run uses the token URL's region.
pub fn reconcile_region(inputs: &mut Inputs) {
    let (Some(flag), Some(url)) = (inputs.region, inputs.token_url.as_deref()) else {
        return;
    };
    let Some(posted) = url_region(url) else {
        return;
    };
    if posted == flag {
        return;
    }
    inputs.region = None;
    for s in inputs.sources.iter_mut().filter(|s| s.name == "region") {
        s.source
            .push_str(&format!(" (not used: --token-url posts to {})", posted.key));
    }
    inputs.findings.push(
        Finding::new(
            CauseId::WrongRegion,
            Severity::Warning,
            format!(
                "--token-url posts to {posted} but --region says {flag}: the run used the token URL, since that is what your code posts to"
            ),
        )
        .evidence(format!("--token-url {url}"))
        .evidence(format!(
            "--region {} ({})",
            flag.key,
            flag.token_url()
        ))
        .fix("Make --token-url and --region agree, or give only one: the region where the OAuth client was created decides the login host."),
    );
}

/// What ends a file's bytes that gcdoctor drops when it reads a secret file.
fn line_ending(bytes: &[u8]) -> Option<(&'static str, &'static str, usize)> {
    if bytes.ends_with(b"\r\n") {
        Some((
            "a Windows line ending (CRLF, as Notepad writes)",
            "\\r\\n",
            2,
        ))
    } else if bytes.ends_with(b"\n") {
        Some(("a newline (as `echo` writes)", "\\n", 1))
    } else {
        None
    }
}

/// GC204 warnings for the secret files gcdoctor read without their final line ending; the
/// client secret as the file holds it is kept (for the `as-read` probe and the redactor).
pub fn cleaned_values(
    files: &[(Option<&str>, &str)],
    inputs: &mut Inputs,
    secrets: &mut Vec<zeroize::Zeroizing<String>>,
) {
    for (path, what) in files {
        let Some(path) = path.filter(|p| *p != "-") else {
            continue;
        };
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let bytes = zeroize::Zeroizing::new(bytes);
        let Some((ending, escaped, n)) = line_ending(&bytes) else {
            continue;
        };
        let chars = String::from_utf8_lossy(&bytes).chars().count();
        if *what == "client secret"
            && let Ok(raw) = std::str::from_utf8(&bytes)
        {
            secrets.push(zeroize::Zeroizing::new(raw.to_string()));
            inputs.as_read = Some(AsRead {
                source: format!("file {path}"),
                raw: Secret::new(raw),
                removed: escaped,
            });
        }
        inputs.findings.push(
            Finding::new(
                CauseId::CredentialWhitespace,
                Severity::Warning,
                format!(
                    "the {what} file {path} ends with {ending}: gcdoctor removed it, but code that reads the file as-is sends the {what} with `{escaped}` at the end ({chars} characters instead of {}), and the service rejects that",
                    chars - n
                ),
            )
            .evidence(format!("file {path}: {chars} characters, the last {n} a line ending"))
            .fix(format!(
                "Strip the line ending where the file is read (Python `open(p).read().strip()`, Terraform `trimspace(file(p))`, shell `$(cat {path})` strips it already), or write the file without one (`printf %s \"$SECRET\" > {path}`)."
            )),
        );
    }
}

/// Which credential is missing.
#[derive(Clone, Copy)]
enum Missing {
    Id,
    Secret,
}

impl Missing {
    fn var(self) -> &'static str {
        match self {
            Missing::Id => ID_VAR,
            Missing::Secret => SECRET_VAR,
        }
    }

    /// Whether a variable name looks like this credential under another name.
    fn looks_like(self, name: &str) -> bool {
        let n = name.to_ascii_uppercase().replace(['-', '.'], "_");
        if n == ID_VAR || n == SECRET_VAR || n.starts_with("GCDOCTOR_ADMIN") {
            return false;
        }
        let compact = n.replace('_', "");
        match self {
            Missing::Id => compact.contains("CLIENTID") || compact.ends_with("OAUTHID"),
            Missing::Secret => compact.contains("CLIENTSECRET") || compact.ends_with("OAUTHSECRET"),
        }
    }
}

/// The usage error for a missing client id.
pub fn no_client_id(
    env: &Env,
    imported: Option<&ImportedRequest>,
    env_file_given: bool,
) -> UsageError {
    let mut e = missing(
        Missing::Id,
        "no client id: give --client-id, set GENESYSCLOUD_OAUTHCLIENT_ID, use a gc CLI profile (--profile), or a request file with the id in it (--from-…)",
        env,
        imported.and_then(|i| i.client_id.as_ref()),
        env_file_given,
    );
    let bearer = imported.is_some_and(|i| {
        i.client_id.is_none()
            && i.client_secret.is_some()
            && i.request
                .header("Authorization")
                .is_some_and(|h| h.trim_start().to_ascii_lowercase().starts_with("bearer "))
    });
    if bearer {
        e.0.push_str(
            "\n  the request sends its client secret as `Authorization: Bearer …`; the token endpoint takes `Basic base64(client_id:client_secret)`, and the client id is not in the request: give it with --client-id to diagnose",
        );
    }
    e
}

/// The usage error for a missing client secret.
pub fn no_client_secret(
    env: &Env,
    imported: Option<&ImportedRequest>,
    env_file_given: bool,
) -> UsageError {
    missing(
        Missing::Secret,
        "no client secret: give --client-secret-file FILE or --client-secret-stdin, or set GENESYSCLOUD_OAUTHCLIENT_SECRET",
        env,
        imported.and_then(|i| i.client_secret.as_ref()),
        env_file_given,
    )
}

fn missing(
    what: Missing,
    lead: &str,
    env: &Env,
    found: Option<&FoundValue>,
    env_file_given: bool,
) -> UsageError {
    let mut lines = vec![lead.to_string()];
    if let Some(place) = env.empty(what.var()) {
        lines.push(format!(
            "{} is set but empty ({place}), as when a CI secret or variable is missing: give it a value",
            what.var()
        ));
    }
    if let Some(FoundValue {
        origin: ValueOrigin::EnvUnset(name),
        ..
    }) = found
    {
        match env.empty(name) {
            Some(place) => lines.push(format!(
                "your request reads {name}, which is set but empty ({place})"
            )),
            None => lines.push(format!("your request reads {name}, which is not set here")),
        }
    }
    if let Some(FoundValue {
        origin: ValueOrigin::Unresolved(expr),
        line,
        ..
    }) = found
    {
        let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
        let flag = match what {
            Missing::Id => "--client-id ID",
            Missing::Secret => {
                "--client-secret-file FILE (the same file the code reads, if it reads one) or --client-secret-stdin"
            }
        };
        lines.push(format!(
            "your request takes it from `{}`{at}, which gcdoctor cannot work out without running the code: give the value it holds with {flag}",
            short(expr)
        ));
    }
    let mut others: Vec<(String, String)> = env
        .names()
        .into_iter()
        .filter(|(n, _)| what.looks_like(n))
        .collect();
    if !env_file_given && let Ok(vars) = crate::config::read_env_file(std::path::Path::new(".env"))
    {
        others.extend(
            vars.iter()
                .filter(|(n, v)| !v.is_empty() && what.looks_like(n))
                .map(|(n, _)| {
                    (
                        n.clone(),
                        "./.env (gcdoctor reads it only with --env-file .env)".into(),
                    )
                }),
        );
    }
    others.dedup();
    for (name, place) in others.iter().take(4) {
        lines.push(format!(
            "{name} is set in {place}, but gcdoctor reads {} (the Terraform provider's name); map it: {}",
            what.var(),
            mapping(what, name, place)
        ));
    }
    UsageError::new(lines.join("\n  "))
}

/// An expression's first line, at most 80 characters.
fn short(expr: &str) -> String {
    let first = expr.lines().next().unwrap_or("").trim();
    match first.char_indices().nth(79) {
        Some((i, _)) => format!("{}…", &first[..i]),
        None => first.to_string(),
    }
}

fn mapping(what: Missing, name: &str, place: &str) -> String {
    if place == "the environment" {
        match what {
            Missing::Id => format!("export {ID_VAR}=\"${name}\" (or --client-id \"${name}\")"),
            Missing::Secret => format!("export {SECRET_VAR}=\"${name}\""),
        }
    } else {
        format!(
            "add a line {}=<the same value> to that file (or rename {name}) and pass --env-file",
            what.var()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_names_of_the_credentials_are_recognised() {
        for n in [
            "GENESYS_CLOUD_CLIENT_ID",
            "GENESYS_CLIENT_ID",
            "PURECLOUD_CLIENT_ID",
            "GC_CLIENT_ID",
            "genesysClientId",
        ] {
            assert!(Missing::Id.looks_like(n), "{n}");
            assert!(!Missing::Secret.looks_like(n), "{n}");
        }
        assert!(Missing::Secret.looks_like("GENESYS_CLOUD_CLIENT_SECRET"));
        assert!(!Missing::Id.looks_like(ID_VAR));
        assert!(!Missing::Secret.looks_like("GCDOCTOR_ADMIN_CLIENT_SECRET"));
        assert!(!Missing::Id.looks_like("PATH"));
    }

    #[test]
    fn empty_and_other_names_are_named_without_values() {
        let env = Env::fixed(&[
            (SECRET_VAR, ""),
            ("GENESYS_CLOUD_CLIENT_SECRET", "s3cr3t-value-xyz"),
        ]);
        let e = no_client_secret(&env, None, true).to_string();
        assert!(
            e.contains("GENESYSCLOUD_OAUTHCLIENT_SECRET is set but empty"),
            "{e}"
        );
        assert!(
            e.contains("GENESYS_CLOUD_CLIENT_SECRET is set in the environment"),
            "{e}"
        );
        assert!(!e.contains("s3cr3t"), "{e}");
    }
}
