use super::*;
use crate::request::InputKind;

fn import(src: &str) -> ImportedRequest {
    let env = |k: &str| (k == "GC_ID").then(|| "0b1e5c3a-1111-4222-8333-444455556666".to_string());
    parse(src, "t.ps1", &env).unwrap_or_else(|e| panic!("{e}"))
}

fn header<'a>(imp: &'a ImportedRequest, name: &str) -> Option<&'a str> {
    imp.request
        .headers
        .iter()
        .find(|h| h.0.eq_ignore_ascii_case(name))
        .map(|h| h.1.as_str())
}

#[test]
fn hashtable_body_is_a_form_and_basic_is_built() {
    let imp = import(
        "$id = $env:GC_ID\n$secret = 'a+b&c'\n$pair = \"${id}:${secret}\"\n\
         $b = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($pair))\n\
         Invoke-RestMethod -Uri 'https://login.mypurecloud.ie/oauth/token' -Method Post `\n  -Headers @{ Authorization = \"Basic $b\" } -Body @{ grant_type = 'client_credentials' }\n",
    );
    assert_eq!(imp.kind, InputKind::PowerShell);
    assert_eq!(imp.request.method, "POST");
    assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(
        String::from_utf8_lossy(&imp.request.body),
        "grant_type=client_credentials"
    );
    assert_eq!(header(&imp, "content-type"), Some(crate::request::FORM));
    assert_eq!(imp.client_secret.as_ref().unwrap().value, "a+b&c");
    assert_eq!(
        imp.client_id.as_ref().unwrap().value,
        "0b1e5c3a-1111-4222-8333-444455556666"
    );
}

#[test]
fn a_colon_before_another_variable_is_rejected_and_read_as_meant() {
    let imp = import(
        "$ClientId = $env:GC_ID\n$ClientSecret = $env:GC_SECRET\n$b = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(\"$ClientId:$ClientSecret\"))\n\
         Invoke-RestMethod https://login.mypurecloud.com/oauth/token -Method POST -Headers @{Authorization=\"Basic $b\"} -Body 'grant_type=client_credentials'\n",
    );
    assert!(
        imp.notes.iter().any(|n| n.contains("PowerShell rejects")),
        "{:?}",
        imp.notes
    );
    // The id and the secret are the ones the author named, not the secret taken for the id.
    use crate::request::ValueOrigin::{Env, EnvUnset};
    let name = |v: &Option<crate::request::FoundValue>| match &v.as_ref().unwrap().origin {
        Env(n) | EnvUnset(n) => n.clone(),
        o => format!("{o:?}"),
    };
    assert_eq!(name(&imp.client_id), "GC_ID");
    assert_eq!(name(&imp.client_secret), "GC_SECRET");
    // As built (less the colon PowerShell never lets through), the pair has no `:`.
    let h = header(&imp, "authorization").unwrap();
    assert!(h.starts_with("Basic "), "{h}");
}

#[test]
fn splatting_functions_and_unset_env() {
    let imp = import(
        "function Get-Url($region) { return \"https://login.$region/oauth/token\" }\n\
         $p = @{ Uri = (Get-Url 'mypurecloud.de'); Method = 'Post' }\n\
         $p.Body = \"grant_type=client_credentials&client_secret=$env:NOPE\"\n\
         Invoke-WebRequest @p\n",
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.de/oauth/token");
    assert_eq!(imp.request.method, "POST");
    assert!(!imp.unresolved.is_empty());
}

#[test]
fn verbatim_and_here_strings_and_escapes() {
    let imp = import(
        "$s = 'it''s'\n$h = @\"\ngrant_type=client_credentials&client_secret=$s\n\"@\n\
         $u = \"https://login.mypurecloud.com/oauth/token`?x=1\"\n\
         Invoke-RestMethod -Uri $u -Method Post -Body $h -ContentType \"application/json\"\n",
    );
    assert_eq!(
        String::from_utf8_lossy(&imp.request.body),
        "grant_type=client_credentials&client_secret=it's"
    );
    assert_eq!(
        imp.request.url,
        "https://login.mypurecloud.com/oauth/token?x=1"
    );
    assert_eq!(header(&imp, "content-type"), Some("application/json"));
}

#[test]
fn convert_to_json_and_format() {
    let imp = import(
        "$b = @{ grant_type = 'client_credentials' } | ConvertTo-Json\n$u = '{0}/oauth/token' -f 'https://login.mypurecloud.com'\n\
         Invoke-RestMethod -Uri $u -Method Post -Body $b\n",
    );
    assert_eq!(
        String::from_utf8_lossy(&imp.request.body),
        "{\"grant_type\":\"client_credentials\"}"
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
}
