//! The corrected token request in PowerShell: a Basic header over UTF-8, a hashtable body
//! (form-encoded by the cmdlet) with only `grant_type`, the form content type.

use crate::import::Which;
use crate::import::snippet::credential_ref;
use crate::request::ImportedRequest;

/// How the snippet writes a credential: the script's own expression, else `$env:NAME`.
fn cred(imp: &ImportedRequest, which: Which) -> String {
    credential_ref(imp, which, &|n| format!("$env:{n}"), &|v| format!("'{v}'"))
}

pub(crate) fn write(imp: &ImportedRequest, url: &str, comment: &str) -> String {
    let id = cred(imp, Which::Id);
    let secret = cred(imp, Which::Secret);
    format!(
        "# {comment}\n\
         # The credentials go in a Basic header over \"id:secret\" (`$( )` keeps the colon: in\n\
         # \"$id:$secret\" PowerShell reads `$id:` as a drive-qualified name); the body has only\n\
         # grant_type, and a hashtable -Body is form-encoded by the cmdlet.\n\
         $pair = \"$({id}):$({secret})\"\n\
         $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($pair))\n\
         $response = Invoke-RestMethod -Uri '{url}' -Method Post `\n  \
         -Headers @{{ Authorization = \"Basic $basic\" }} `\n  \
         -ContentType 'application/x-www-form-urlencoded' `\n  \
         -Body @{{ grant_type = 'client_credentials' }}\n\
         $accessToken = $response.access_token\n"
    )
}
