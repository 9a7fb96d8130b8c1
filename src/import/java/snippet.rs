//! The corrected token request in Java: `java.net.http` for a raw request, the SDK's own
//! builder for an SDK program; the program's credential expressions kept, never a secret.

use crate::import::Which;
use crate::import::script::cred_ref::{Spelling, cred_ref, slash_comment};
use crate::region::Region;
use crate::request::{ImportedRequest, SdkSetting};

const JAVA: Spelling = Spelling {
    env: |n| format!("System.getenv(\"{n}\")"),
    literal: |v| format!("\"{v}\""),
};

/// `java.net.http`: Basic header, form body and its content type.
pub(crate) fn java(imp: &ImportedRequest, url: &str, comment: &str) -> String {
    let id = cred_ref(imp, Which::Id, &JAVA);
    let secret = cred_ref(imp, Which::Secret, &JAVA);
    format!(
        "// {}\n\
         // The credentials go in a Basic header; the form body has only grant_type, and\n\
         // java.net.http sends no Content-Type unless it is set.\n\
         String basic = Base64.getEncoder()\n    .encodeToString(({id} + \":\" + {secret}).getBytes(StandardCharsets.UTF_8));\n\
         HttpRequest request = HttpRequest.newBuilder()\n    .uri(URI.create(\"{url}\"))\n    .header(\"Authorization\", \"Basic \" + basic)\n    .header(\"Content-Type\", \"application/x-www-form-urlencoded\")\n    .POST(HttpRequest.BodyPublishers.ofString(\"grant_type=client_credentials\"))\n    .build();\n\
         HttpResponse<String> response = HttpClient.newHttpClient()\n    .send(request, HttpResponse.BodyHandlers.ofString());\n",
        slash_comment(comment)
    )
}

/// The SDK's own form: the builder given the region, then `authorizeClientCredentials`.
pub(crate) fn java_sdk(
    imp: &ImportedRequest,
    sdk: &SdkSetting,
    r: &Region,
    comment: &str,
) -> String {
    format!(
        "// {}\n\
         // The SDK derives the login host from the base path and sends the Basic header and\n\
         // grant_type itself.\n\
         ApiClient apiClient = ApiClient.Builder.standard()\n    .withBasePath({})\n    .build();\n\
         ApiResponse<AuthResponse> auth = apiClient.authorizeClientCredentials({}, {});\n\
         Configuration.setDefaultApiClient(apiClient);\n",
        slash_comment(comment),
        sdk.region_value(r),
        cred_ref(imp, Which::Id, &JAVA),
        cred_ref(imp, Which::Secret, &JAVA)
    )
}
