//! The corrected token request each kind of input is answered with, in its own language:
//! the script's own credential expressions kept (unless they spell a value out), else an
//! environment read; never a secret. The importer registry names the writer of each kind
//! (`registry::corrected`); kinds without one get curl.

use super::script::cred_ref::{Spelling, cred_ref};
use super::{Which, credential_expr};
use crate::credential_span::is_cut_secret;
use crate::intent::Shell;
use crate::region::Region;
use crate::request::{ImportedRequest, InputKind, SdkSetting, ValueOrigin};
use crate::secret::is_uuid_shaped;
use crate::shape::is_placeholder;

pub(crate) fn env_name(expr: &str) -> Option<String> {
    let e = expr.trim();
    let ident = |s: &str| {
        let s = s.trim_matches(|c| c == '{' || c == '}' || c == '%');
        (!s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then(|| s.to_string())
    };
    if let Some(rest) = e.strip_prefix("$env:") {
        return ident(rest);
    }
    if let Some(rest) = e.strip_prefix('$') {
        return ident(rest.split(":-").next().unwrap_or(rest));
    }
    if e.starts_with('%') && e.ends_with('%') && e.len() > 2 {
        return ident(e);
    }
    if let Some(rest) = e.strip_prefix("process.env.") {
        return ident(rest);
    }
    if let Some(rest) = e.strip_prefix("process.env[") {
        return ident(rest.trim_end_matches(']').trim_matches(['"', '\'', '`']));
    }
    if e.contains("getenv") || e.contains("environ") {
        let q = e.find(['"', '\''])?;
        let quote = e.as_bytes()[q] as char;
        let rest = &e[q + 1..];
        let end = rest.find(quote)?;
        return ident(&rest[..end]);
    }
    None
}

/// The Python SDK's own form: the host set from the region constant before the client is
/// created, the script's credential expressions kept.
pub(crate) fn python_sdk(
    imp: &ImportedRequest,
    sdk: &SdkSetting,
    r: &Region,
    comment: &str,
) -> String {
    const PACKAGE: &str = "PureCloudPlatformClientV2";
    let (id, id_os) = python_ref(imp, Which::Id);
    let (secret, secret_os) = python_ref(imp, Which::Secret);
    let imports = if id_os || secret_os || id.starts_with("os.") || secret.starts_with("os.") {
        format!("import os\n\nimport {PACKAGE}\n")
    } else {
        format!("import {PACKAGE}\n")
    };
    let full = SdkSetting {
        regions: format!("{PACKAGE}.PureCloudRegionHosts"),
        ..sdk.clone()
    };
    format!(
        "{imports}\n\
         # {comment}\n\
         # Set the host before the ApiClient is created: the SDK derives the login host from it\n\
         # (`//api.` becomes `//login.`) and sends the Basic header and grant_type itself.\n\
         {PACKAGE}.configuration.host = {}\n\
         apiclient = {PACKAGE}.api_client.ApiClient().get_client_credentials_token(\n    {id},\n    {secret},\n)\n",
        full.region_value(r)
    )
}

fn curl_ref(imp: &ImportedRequest, which: Which) -> String {
    let f = match which {
        Which::Id => imp.client_id.as_ref(),
        Which::Secret => imp.client_secret.as_ref(),
    };
    // The rest of a secret that a shell expansion cut (`"ab$Cd…"`) is no variable to name.
    if let Some(ValueOrigin::Env(n) | ValueOrigin::EnvUnset(n)) = f.map(|f| &f.origin)
        && !is_cut_secret(n)
    {
        return format!("${n}");
    }
    if imp.kind == InputKind::Curl
        && let Some(e) = credential_expr(imp, which)
        && let Some(n) = env_name(&e)
        && !is_cut_secret(&n)
    {
        return format!("${n}");
    }
    match which {
        Which::Id => match f {
            Some(f) if f.is_known() && is_uuid_shaped(&f.value) && !is_placeholder(&f.value) => {
                f.value.clone()
            }
            _ => "$GENESYSCLOUD_OAUTHCLIENT_ID".into(),
        },
        Which::Secret => "$GENESYSCLOUD_OAUTHCLIENT_SECRET".into(),
    }
}

/// The corrected curl command, in the shell the input was written for (sh, PowerShell, cmd).
pub(crate) fn curl(imp: &ImportedRequest, url: &str, comment: &str) -> String {
    let id = curl_ref(imp, Which::Id);
    let secret = curl_ref(imp, Which::Secret);
    let how = "Credentials in a Basic header (-u); only grant_type in the form body (-d sets the content type).";
    match imp.intent.shell {
        Shell::Sh => format!(
            "# {comment}\n\
             # {how}\n\
             curl -sS '{url}' \\\n  -u \"{id}:{secret}\" \\\n  -d 'grant_type=client_credentials'\n"
        ),
        Shell::PowerShell => {
            // `${env:NAME}`: braces, so the `:` after the id is not read as a scope.
            let ps = |r: &str| env_or(r, |n| format!("${{env:{n}}}"), str::to_string);
            format!(
                "# {comment}\n\
                 # {how}\n\
                 curl.exe -sS '{url}' `\n  -u \"{}:{}\" `\n  -d 'grant_type=client_credentials'\n",
                ps(&id),
                ps(&secret)
            )
        }
        Shell::Cmd | Shell::Batch => {
            let batch = imp.intent.shell == Shell::Batch;
            let delayed = batch && imp.intent.delayed_expansion;
            let lit = |s: &str| cmd_quoted(s, batch, delayed);
            let cmd = |r: &str| {
                env_or(
                    r,
                    |n| {
                        // With delayed expansion `!NAME!` is read after `%NAME%` would have
                        // been, so a `!` in the value is kept.
                        if delayed {
                            format!("!{n}!")
                        } else {
                            format!("%{n}%")
                        }
                    },
                    lit,
                )
            };
            format!(
                "rem {}\n\
                 rem {how}\n\
                 curl -sS \"{}\" ^\n  -u \"{}:{}\" ^\n  -d \"grant_type=client_credentials\"\n",
                comment.replace("\n# ", "\nrem "),
                lit(url),
                cmd(&id),
                cmd(&secret)
            )
        }
    }
}

/// An environment read (`$NAME`, as `curl_ref` writes it) in a shell's own form, or a
/// literal as that shell needs it written.
fn env_or(r: &str, env: impl Fn(&str) -> String, literal: impl Fn(&str) -> String) -> String {
    match r.strip_prefix('$') {
        Some(n) => env(n),
        None => literal(r),
    }
}

/// A literal inside cmd's double quotes, so that cmd passes it as written: in a batch file
/// each `%` is `%%` (a lone `%` is dropped, `%X%` expanded); with delayed expansion on, `!`
/// and `^` are escaped with `^` (its caret pass runs inside quotes too). At the prompt an
/// unset `%X%` stays as written and there is nothing to escape inside quotes.
fn cmd_quoted(s: &str, batch: bool, delayed: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' if batch => out.push_str("%%"),
            '!' | '^' if delayed => {
                out.push('^');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn python_ref(imp: &ImportedRequest, which: Which) -> (String, bool) {
    const PYTHON: Spelling = Spelling {
        env: |n| format!("os.environ[\"{n}\"]"),
        literal: |v| format!("\"{v}\""),
    };
    let e = cred_ref(imp, which, &PYTHON);
    let os = e.starts_with("os.environ[");
    (e, os)
}

pub(crate) fn python(imp: &ImportedRequest, url: &str, comment: &str) -> String {
    let (id, id_os) = python_ref(imp, Which::Id);
    let (secret, secret_os) = python_ref(imp, Which::Secret);
    let imports = if id_os || secret_os || id.starts_with("os.") || secret.starts_with("os.") {
        "import os\n\nimport requests\n"
    } else {
        "import requests\n"
    };
    format!(
        "{imports}\n\
         # {comment}\n\
         # The credentials go in a Basic header (auth=); the form body has only grant_type,\n\
         # and data= as a dict sets the Content-Type itself.\n\
         response = requests.post(\n    \"{url}\",\n    auth=({id}, {secret}),\n    data={{\"grant_type\": \"client_credentials\"}},\n    timeout=30,\n)\n\
         response.raise_for_status()\n\
         access_token = response.json()[\"access_token\"]\n"
    )
}

/// How a JavaScript snippet writes a credential: the script's own expression where it has
/// one (unless it spells the value out), else an environment read, never a secret.
fn js_ref(imp: &ImportedRequest, which: Which) -> String {
    const JS: Spelling = Spelling {
        env: |n| format!("process.env.{n}"),
        literal: |v| format!("'{v}'"),
    };
    cred_ref(imp, which, &JS)
}

/// The JavaScript SDK's own form: `setEnvironment` with the region constant, then
/// `loginClientCredentialsGrant`.
pub(crate) fn js_sdk(imp: &ImportedRequest, sdk: &SdkSetting, r: &Region, comment: &str) -> String {
    let full = SdkSetting {
        regions: "platformClient.PureCloudRegionHosts".into(),
        ..sdk.clone()
    };
    format!(
        "const platformClient = require('purecloud-platform-client-v2');\n\n\
         // {comment}\n\
         // setEnvironment takes the region's domain; the SDK then logs in at https://login.<domain>\n\
         // with the Basic header and grant_type itself (Node.js only).\n\
         const client = platformClient.ApiClient.instance;\n\
         client.setEnvironment({});\n\
         client\n  .loginClientCredentialsGrant({}, {})\n  .then(() => console.log('token obtained'))\n  .catch((err) => console.error(err));\n",
        full.region_value(r),
        js_ref(imp, Which::Id),
        js_ref(imp, Which::Secret)
    )
}

/// Plain JavaScript: axios when the script used axios, else fetch (built into Node.js 18+).
pub(crate) fn js(imp: &ImportedRequest, url: &str, comment: &str) -> String {
    let id = js_ref(imp, Which::Id);
    let secret = js_ref(imp, Which::Secret);
    let comment = comment.replace("\n# ", "\n// ");
    if imp.notes.iter().any(|n| n.contains("sent with axios")) {
        return format!(
            "const axios = require('axios');\n\n\
             // {comment}\n\
             // The credentials go in a Basic header (auth); the form body has only grant_type,\n\
             // and a URLSearchParams body sets the form content type itself.\n\
             const response = await axios.post(\n  '{url}',\n  new URLSearchParams({{ grant_type: 'client_credentials' }}),\n  {{ auth: {{ username: {id}, password: {secret} }}, timeout: 30000 }},\n);\n\
             const accessToken = response.data.access_token;\n"
        );
    }
    format!(
        "// {comment}\n\
         // The credentials go in a Basic header; the form body has only grant_type, and a\n\
         // URLSearchParams body sets the form content type itself.\n\
         const basic = Buffer.from(`${{{id}}}:${{{secret}}}`).toString('base64');\n\
         const response = await fetch('{url}', {{\n  method: 'POST',\n  headers: {{ Authorization: `Basic ${{basic}}` }},\n  body: new URLSearchParams({{ grant_type: 'client_credentials' }}),\n}});\n\
         if (!response.ok) throw new Error(`token request failed: ${{response.status}}`);\n\
         const {{ access_token: accessToken }} = await response.json();\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmd_literals_are_written_so_cmd_passes_them_as_written() {
        let s = "a%b!c^d";
        // At the prompt nothing inside double quotes needs escaping.
        assert_eq!(cmd_quoted(s, false, false), s);
        // A batch file: `%%` is one `%`; `!` and `^` are plain without delayed expansion.
        assert_eq!(cmd_quoted(s, true, false), "a%%b!c^d");
        // With delayed expansion, its caret pass runs inside quotes too.
        assert_eq!(cmd_quoted(s, true, true), "a%%b^!c^^d");
    }

    #[test]
    fn environment_reads_take_the_shell_form_and_literals_stay() {
        let ps = |n: &str| format!("${{env:{n}}}");
        assert_eq!(env_or("$SECRET", ps, str::to_string), "${env:SECRET}");
        assert_eq!(env_or("abc-1", ps, str::to_string), "abc-1");
    }
}
