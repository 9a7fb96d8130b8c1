//! Fix texts in the language of the user's input.
//!
//! # Plan
//!
//! The catalogue's fix texts are generic ("pass a dict", "`data=` in requests, `-d` in
//! curl"). When the report is about the user's own request (`lint FILE`, `diagnose
//! --from-…`), the fixes whose wording depends on the tool are rewritten for that tool:
//! curl for curl files, raw HTTP for pasted requests and HAR exports, Python `requests` for
//! Python, axios/fetch for JavaScript. Only the fix changes; summary and evidence stay as
//! the analysis wrote them. Causes whose fix reads the same in every tool are left alone.

use super::Report;
use crate::catalogue::CauseId;
use crate::request::InputKind;

/// Rewrites the tool-dependent fix texts of the report's findings for `kind`.
/// A fix that says how to write the secret for the user's own shell (a shell expansion
/// proven by intent) is already in the input's words and stays.
pub fn localise(r: &mut Report, kind: InputKind) {
    for f in &mut r.findings {
        if crate::intent::SHELL_FIXES.contains(&f.fix.as_str()) {
            continue;
        }
        if let Some(fix) = fix_for(f.cause, kind) {
            f.fix = fix.to_string();
        }
    }
}

/// The fix of `cause` in the words of `kind`, where it depends on the tool.
pub fn fix_for(cause: CauseId, kind: InputKind) -> Option<&'static str> {
    use InputKind::*;
    Some(match (cause, kind) {
        (CauseId::JsonBody, Curl) => {
            "Send the body form-encoded: `-d grant_type=client_credentials` (not `--json`, and no `-H 'Content-Type: application/json'`)."
        }
        (CauseId::JsonBody, Python) => {
            "Send the body form-encoded: `data={'grant_type': 'client_credentials'}`, not `json=`."
        }
        (CauseId::JsonBody, Js) => {
            "Send the body form-encoded: pass `new URLSearchParams({ grant_type: 'client_credentials' })` as the body (axios sends a plain object as JSON; fetch needs the URLSearchParams too)."
        }
        (CauseId::JsonBody, Http | Har) => {
            "Send the body form-encoded, `grant_type=client_credentials`, with `Content-Type: application/x-www-form-urlencoded`."
        }
        (CauseId::SecretEncoding, Curl) => {
            "Pass the credentials with `-u \"$CLIENT_ID:$CLIENT_SECRET\"` (curl builds the Basic header), or form-encode each value with `--data-urlencode`; never put a secret with `+ / = & % #` raw in `-d`."
        }
        (CauseId::SecretEncoding, Python) => {
            "Let requests encode the values: `auth=(client_id, client_secret)` and `data={'grant_type': 'client_credentials'}` as a dict, not a hand-built string; encode exactly once."
        }
        (CauseId::SecretEncoding, Js) => {
            "Let the library encode the values: axios `auth: { username, password }` (or a Basic header built with Buffer.from(`${id}:${secret}`).toString('base64')) and a URLSearchParams body, not a hand-built string; encode exactly once."
        }
        (CauseId::SecretEncoding, Http | Har) => {
            "Send the credentials as `Authorization: Basic base64(id:secret)`, or percent-encode each form value exactly once (`+` as %2B, `/` as %2F, `=` as %3D)."
        }
        (CauseId::ContentTypeWrong, Curl) => {
            "Use `-d` (it sends `Content-Type: application/x-www-form-urlencoded`) and drop any `-H 'Content-Type: …'` that overrides it."
        }
        (CauseId::ContentTypeWrong, Python) => {
            "Pass the body as `data=` with a dict: requests then sends `Content-Type: application/x-www-form-urlencoded`; drop a `headers=` Content-Type that overrides it."
        }
        (CauseId::ContentTypeWrong, Js) => {
            "Pass a URLSearchParams body (axios and fetch then send `Content-Type: application/x-www-form-urlencoded`), or set that header yourself."
        }
        (CauseId::ContentTypeWrong, Http | Har) => {
            "Send `Content-Type: application/x-www-form-urlencoded` with the form body."
        }
        (CauseId::JsonBody, Java) => {
            "Send the body form-encoded: `BodyPublishers.ofString(\"grant_type=client_credentials\")` with `Content-Type: application/x-www-form-urlencoded` (OkHttp: a `FormBody`), not a JSON string or `MediaType` application/json."
        }
        (CauseId::JsonBody, Go) => {
            "Send the body form-encoded: `strings.NewReader(url.Values{\"grant_type\": {\"client_credentials\"}}.Encode())` with `Content-Type: application/x-www-form-urlencoded` (or `http.PostForm`), not `json.Marshal`."
        }
        (CauseId::SecretEncoding, Java) => {
            "Let the library encode the values: a Basic header of `Base64.getEncoder().encodeToString((id + \":\" + secret).getBytes(StandardCharsets.UTF_8))` (OkHttp: `Credentials.basic(id, secret)`) and a `FormBody` or `URLEncoder.encode` for form values; encode exactly once."
        }
        (CauseId::SecretEncoding, Go) => {
            "Let the library encode the values: `req.SetBasicAuth(id, secret)` and a `url.Values` body (`.Encode()`), not a string built with `fmt.Sprintf`; encode exactly once."
        }
        (CauseId::ContentTypeWrong, Java) => {
            "Set `.header(\"Content-Type\", \"application/x-www-form-urlencoded\")`: java.net.http sends no Content-Type of its own (OkHttp's `FormBody` sets it)."
        }
        (CauseId::ContentTypeWrong, Go) => {
            "Set `req.Header.Set(\"Content-Type\", \"application/x-www-form-urlencoded\")`: `http.NewRequest` sends no Content-Type of its own (`http.PostForm` sets it)."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_fix_names_only_its_own_tool() {
        for cause in [
            CauseId::JsonBody,
            CauseId::SecretEncoding,
            CauseId::ContentTypeWrong,
        ] {
            let curl = fix_for(cause, InputKind::Curl).unwrap();
            assert!(
                !curl.contains("dict") && !curl.contains("requests"),
                "{curl}"
            );
            let js = fix_for(cause, InputKind::Js).unwrap();
            assert!(!js.contains("requests") && !js.contains(" curl"), "{js}");
            let py = fix_for(cause, InputKind::Python).unwrap();
            assert!(!py.contains("curl") && !py.contains("-d "), "{py}");
        }
        assert!(fix_for(CauseId::WrongRegion, InputKind::Curl).is_none());
    }
}
