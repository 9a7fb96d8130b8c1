//! The corrected token request in PowerShell: a Basic header over UTF-8, a hashtable body
//! (form-encoded by the cmdlet) with only `grant_type`, the form content type.

use crate::import::Which;
use crate::import::script::cred_ref::{Spelling, cred_ref};
use crate::request::ImportedRequest;

/// How the snippet writes a credential: the script's own expression, else `$env:NAME`.
fn cred(imp: &ImportedRequest, which: Which) -> String {
    const POWERSHELL: Spelling = Spelling {
        env: |n| format!("$env:{n}"),
        literal: |v| format!("'{v}'"),
    };
    cred_ref(imp, which, &POWERSHELL)
}

/// `expr` inside a double-quoted string before a colon: `${name}` as written, else `$(expr)`
/// (a bare `$name:` would be read as a drive-qualified name).
fn in_string(expr: &str) -> String {
    let braced = expr
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .is_some_and(|name| !name.is_empty() && !name.contains(['{', '}', '`', '"']));
    if braced {
        expr.to_string()
    } else {
        format!("$({expr})")
    }
}

pub(crate) fn write(imp: &ImportedRequest, url: &str, comment: &str) -> String {
    let id = in_string(&cred(imp, Which::Id));
    let secret = in_string(&cred(imp, Which::Secret));
    format!(
        "# {comment}\n\
         # The credentials go in a Basic header over \"id:secret\" (`$( )` or `${{ }}` keeps the\n\
         # colon: PowerShell rejects \"$id:$secret\", a `$id:` followed by no name); the body\n\
         # has only grant_type, and a hashtable -Body is form-encoded by the cmdlet.\n\
         $pair = \"{id}:{secret}\"\n\
         $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($pair))\n\
         $response = Invoke-RestMethod -Uri '{url}' -Method Post `\n  \
         -Headers @{{ Authorization = \"Basic $basic\" }} `\n  \
         -ContentType 'application/x-www-form-urlencoded' `\n  \
         -Body @{{ grant_type = 'client_credentials' }}\n\
         $accessToken = $response.access_token\n"
    )
}

#[cfg(test)]
mod tests {
    use super::in_string;

    #[test]
    fn a_braced_name_stays_as_written_and_anything_else_is_a_subexpression() {
        assert_eq!(in_string("${id}"), "${id}");
        assert_eq!(in_string("$clientId"), "$($clientId)");
        assert_eq!(
            in_string("$env:GENESYS_CLIENT_ID"),
            "$($env:GENESYS_CLIENT_ID)"
        );
        assert_eq!(in_string("${a}.${b}"), "$(${a}.${b})");
    }
}
