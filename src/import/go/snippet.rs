//! The corrected token request in Go: `net/http` for a raw request, the SDK's configuration
//! for an SDK program; the program's credential expressions kept, never a secret.

use crate::import::Which;
use crate::import::script::cred_ref::{Spelling, cred_ref, slash_comment};
use crate::region::Region;
use crate::request::{ImportedRequest, SdkSetting};

const GO: Spelling = Spelling {
    env: |n| format!("os.Getenv(\"{n}\")"),
    literal: |v| format!("\"{v}\""),
};

/// `net/http`: a url.Values body with its Content-Type set (Go sends none), SetBasicAuth.
pub(crate) fn go(imp: &ImportedRequest, url: &str, comment: &str) -> String {
    format!(
        "// {}\n\
         // The credentials go in a Basic header (SetBasicAuth); the form body has only\n\
         // grant_type, and Go sends no Content-Type unless it is set.\n\
         form := url.Values{{\"grant_type\": {{\"client_credentials\"}}}}\n\
         req, err := http.NewRequest(\"POST\", \"{url}\", strings.NewReader(form.Encode()))\n\
         if err != nil {{\n\tlog.Fatal(err)\n}}\n\
         req.Header.Set(\"Content-Type\", \"application/x-www-form-urlencoded\")\n\
         req.SetBasicAuth({}, {})\n\
         resp, err := http.DefaultClient.Do(req)\n",
        slash_comment(comment),
        cred_ref(imp, Which::Id, &GO),
        cred_ref(imp, Which::Secret, &GO)
    )
}

/// The SDK's own form: the base path of the region, then `AuthorizeClientCredentials`.
pub(crate) fn go_sdk(imp: &ImportedRequest, sdk: &SdkSetting, r: &Region, comment: &str) -> String {
    format!(
        "// {}\n\
         // The SDK derives the login host from BasePath (`//api.` becomes `//login.`) and sends\n\
         // the Basic header and grant_type itself.\n\
         config := platformclientv2.GetDefaultConfiguration()\n\
         config.BasePath = {}\n\
         if err := config.AuthorizeClientCredentials({}, {}); err != nil {{\n\tlog.Fatal(err)\n}}\n",
        slash_comment(comment),
        sdk.region_value(r),
        cred_ref(imp, Which::Id, &GO),
        cred_ref(imp, Which::Secret, &GO)
    )
}
