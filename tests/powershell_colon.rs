//! PowerShell's `"$id:$secret"`: `$id:` followed by no variable name is a parse error
//! ("Variable reference is not valid"), so the script never sends its request. gcdoctor reads
//! the id and the secret as the author meant them, names the pair as the defect (GC202) in a
//! PowerShell script and in a curl command pasted into PowerShell, and proves it by the
//! canonical request; `"${id}:${secret}"` is fine.

mod common;
use common::*;

fn script(pair: &str) -> String {
    format!(
        "$ClientId = $env:GC_APP_ID\n$ClientSecret = $env:GC_APP_SECRET\n\
         $pair = \"{pair}\"\n\
         $b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($pair))\n\
         $r = Invoke-RestMethod -Uri 'https://login.mypurecloud.ie/oauth/token' -Method Post `\n  \
         -Headers @{{ Authorization = \"Basic $b64\" }} `\n  -Body @{{ grant_type = 'client_credentials' }}\n\
         $r.access_token\n"
    )
}

fn curl(pair: &str) -> String {
    format!(
        "$id = $env:GC_APP_ID\n$secret = $env:GC_APP_SECRET\n\
         curl.exe -X POST 'https://login.mypurecloud.ie/oauth/token' -u \"{pair}\" -d 'grant_type=client_credentials'\n"
    )
}

const ENV: [(&str, &str); 2] = [("GC_APP_ID", MAIN_ID), ("GC_APP_SECRET", MAIN_SECRET)];

fn diagnose_file(sim: &Sim, name: &str, text: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    diagnose_with(sim, &["--from", p.to_str().unwrap()], &ENV, None)
}

fn lint_file(name: &str, text: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    let out = gcdoctor()
        .envs(ENV)
        .args(["lint", "--format", "json", p.to_str().unwrap()])
        .output()
        .unwrap();
    capture(out, &[MAIN_SECRET])
}

#[test]
fn a_script_with_the_colon_pair_is_gc202_proved_with_the_meant_credentials() {
    let sim = Sim::builtin("healthy");
    let run = diagnose_file(&sim, "Get-Token.ps1", &script("$ClientId:$ClientSecret"));
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.cause(), Some("GC202"), "{}", run.stdout);
    let notes = run.json["notes"].to_string();
    assert!(notes.contains("PowerShell rejects"), "{notes}");
    // The canonical request with the id and the secret the script names got a token.
    assert!(
        run.stdout.contains(MAIN_ID),
        "the id as meant: {}",
        run.stdout
    );
    assert_no_leak(&run, &[MAIN_SECRET]);

    let fixed = diagnose_file(
        &sim,
        "Get-Token.ps1",
        &script("${ClientId}:${ClientSecret}"),
    );
    assert_eq!(fixed.code, 0, "{}{}", fixed.stdout, fixed.stderr);
    assert!(
        fixed.finding("GC202").is_none(),
        "{:?}",
        fixed.finding_ids()
    );
}

#[test]
fn a_curl_command_pasted_into_powershell_with_the_colon_pair_is_gc202() {
    let run = lint_file("token.ps1", &curl("$id:$secret"));
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.cause(), Some("GC202"), "{}", run.stdout);
    let f = run.finding("GC202").unwrap();
    assert!(
        f["evidence"].to_string().contains("PowerShell rejects"),
        "{f}"
    );
    assert!(f["fix"].to_string().contains("${id}:"), "{f}");
    assert_no_leak(&run, &[MAIN_SECRET]);

    for ok in ["${id}:${secret}", "$($id):$($secret)"] {
        let run = lint_file("token.ps1", &curl(ok));
        assert!(run.finding("GC202").is_none(), "{ok}: {}", run.stdout);
        assert_eq!(run.code, 0, "{ok}: {}", run.stdout);
    }
    // In sh the same words are fine: `$id:` is no PowerShell there.
    let sh = curl("$id:$secret").replace("curl.exe", "curl").replace(
        "$id = $env:GC_APP_ID\n$secret = $env:GC_APP_SECRET\n",
        "id=$GC_APP_ID\nsecret=$GC_APP_SECRET\n",
    );
    let run = lint_file("token.sh", &sh);
    assert!(run.finding("GC202").is_none(), "{}", run.stdout);
}
