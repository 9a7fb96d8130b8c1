//! The corrected token request in C#: `HttpClient` with a Basic header and a
//! `FormUrlEncodedContent` holding only `grant_type`; or, for a program that uses the .NET
//! SDK, `setBasePath` with the region constant before `PostToken`.

use crate::import::Which;
use crate::import::script::cred_ref::{Spelling, cred_ref};
use crate::region::Region;
use crate::request::{ImportedRequest, SdkSetting};

/// How the snippet writes a credential: the program's own expression, else an environment
/// read.
fn cred(imp: &ImportedRequest, which: Which) -> String {
    const CSHARP: Spelling = Spelling {
        env: |n| format!("Environment.GetEnvironmentVariable(\"{n}\")"),
        literal: |v| format!("\"{v}\""),
    };
    cred_ref(imp, which, &CSHARP)
}

fn comment(c: &str) -> String {
    c.replace("\n# ", "\n// ")
}

/// Plain `HttpClient`.
pub(crate) fn write(imp: &ImportedRequest, url: &str, c: &str) -> String {
    let id = cred(imp, Which::Id);
    let secret = cred(imp, Which::Secret);
    format!(
        "// {}\n\
         // The credentials go in a Basic header; the form body has only grant_type, and\n\
         // FormUrlEncodedContent encodes it and sets the form content type itself.\n\
         using var http = new HttpClient();\n\
         var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($\"{{{id}}}:{{{secret}}}\"));\n\
         http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(\"Basic\", basic);\n\
         var form = new FormUrlEncodedContent(new Dictionary<string, string>\n\
         {{\n    [\"grant_type\"] = \"client_credentials\",\n}});\n\
         var response = await http.PostAsync(\"{url}\", form);\n\
         response.EnsureSuccessStatusCode();\n",
        comment(c)
    )
}

/// The .NET SDK's own form: the base path from the region constant, then `PostToken`.
pub(crate) fn write_sdk(imp: &ImportedRequest, sdk: &SdkSetting, r: &Region, c: &str) -> String {
    format!(
        "using PureCloudPlatform.Client.V2.Client;\n\n\
         // {}\n\
         // setBasePath takes the region constant; PostToken then logs in at https://login.<domain>\n\
         // (it replaces `//api.` with `//login.`) with the Basic header and grant_type itself.\n\
         var apiClient = Configuration.Default.ApiClient;\n\
         apiClient.setBasePath({});\n\
         var token = apiClient.PostToken({}, {});\n",
        comment(c),
        sdk.region_value(r),
        cred(imp, Which::Id),
        cred(imp, Which::Secret)
    )
}
