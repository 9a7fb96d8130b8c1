//! Shell semantics of a pasted curl command beyond sh (issue 14 item 1): cmd.exe (at its
//! prompt and in a batch file) and PowerShell quote and expand as the real shells do, and a
//! secret mangled by cmd's `%` or PowerShell's `$` is diagnosed as GC203 with the intent
//! evidence, exactly as the sh case (tests/intent_proof.rs): gcdoctor sends the secret as
//! written the canonical way, and its token proves the mangling. Values are said by structure
//! only, never by value.

mod common;
use common::*;

const EU: &str = "https://login.mypurecloud.ie/oauth/token";
const DOLLAR_ID: &str = "4e6a8b0c-2d3f-4a71-9b2c-3d4e5f6a7b8c";
/// `$Cd9f…` at index 2: PowerShell expands it (to nothing) inside double quotes.
const DOLLAR_SECRET: &str = "ab$Cd9fQ7mLp4Rt8Wz1Vb6Nc3Hd5Jg0Ys2Qa7Ue9Ti";
const PCT_ID: &str = "5f7b9c1d-3e4a-4b82-8c3d-4e5f6a7b8c9d";
/// `%Cd9f%` at index 2: a batch file expands it (to nothing); the prompt keeps it.
const PCT_SECRET: &str = "ab%Cd9f%Q7mLp4Rt8Wz1Vb6Nc3Hd5Jg0Ys2Qa7Ue9Ti";
const LONE_ID: &str = "6a8c0d2e-4f5b-4c93-9d4e-5f6a7b8c9d0e";
/// One `%` at index 2 and no other: a batch file drops it.
const LONE_SECRET: &str = "ab%Qk7mLp4Rt8Wz1Vb6Nc3Hd5Jg0Ys2Qa7Ue9TiXw";

fn sim() -> Sim {
    let client = |id: &str, secret: &str| {
        format!(
            "[[clients]]\nid = \"{id}\"\nsecret = '{secret}'\nregion = \"eu-west-1\"\nname = \"Mangled\"\ngrant = \"CLIENT-CREDENTIALS\"\nstate = \"active\"\nroles = [\"Reporting Reader\"]\nvalidity_secs = 86400\n"
        )
    };
    Sim::builtin_plus(
        "healthy",
        &[
            client(DOLLAR_ID, DOLLAR_SECRET),
            client(PCT_ID, PCT_SECRET),
            client(LONE_ID, LONE_SECRET),
        ]
        .join("\n"),
    )
}

fn run_file(sim: &Sim, name: &str, text: &str, env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    diagnose_with(sim, &["--from-curl", p.to_str().unwrap()], env, None)
}

fn evidence(run: &Run, id: &str) -> String {
    run.finding(id)
        .unwrap_or_else(|| panic!("{id} in {:?}: {}", run.finding_ids(), run.stdout))["evidence"]
        .to_string()
}

/// GC203 proven by the secret as written: "as sent (N of M characters)".
fn assert_proved_by_intent(run: &Run, secret: &str, sent: &str) {
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.cause(), Some("GC203"), "{}", run.stdout);
    assert!(run.finding("GC900").is_none(), "{:?}", run.finding_ids());
    let ev = evidence(run, "GC203");
    assert!(ev.contains("as written got a token"), "{ev}");
    let of = format!(
        "as sent ({} of {} characters)",
        sent.chars().count(),
        secret.chars().count()
    );
    assert!(ev.contains(&of), "{ev}");
    assert_no_leak(run, &[secret, sent]);
}

#[test]
fn powershell_expands_a_dollar_in_double_quotes_and_it_is_proved_gc203() {
    let sim = sim();
    let ps = format!(
        "curl.exe -X POST {EU} `\n  -u \"$env:CLIENT_ID:{DOLLAR_SECRET}\" `\n  -d grant_type=client_credentials\n"
    );
    let run = run_file(&sim, "token.ps1", &ps, &[("CLIENT_ID", DOLLAR_ID)]);
    assert_proved_by_intent(&run, DOLLAR_SECRET, "ab");
    let ev = evidence(&run, "GC203");
    assert!(ev.contains("`$` at 3 starts a PowerShell variable"), "{ev}");
    assert!(ev.contains("inside double quotes"), "{ev}");
    let cause = &run.json["findings"][0];
    assert!(
        cause["summary"]
            .as_str()
            .unwrap()
            .starts_with("PowerShell expanded part of the client secret away"),
        "{cause}"
    );
    assert!(cause["fix"].as_str().unwrap().contains("`$"), "{cause}");
    assert_eq!(cause["line"], 2, "{cause}");
    assert!(only_login_hosts(&hosts_that_saw(
        &sim.requests(),
        DOLLAR_SECRET
    )));
}

#[test]
fn powershell_single_quotes_and_a_backtick_keep_the_dollar() {
    let sim = sim();
    let escaped = DOLLAR_SECRET.replace('$', "`$");
    for (name, user) in [
        ("single.ps1", format!("'{DOLLAR_ID}:{DOLLAR_SECRET}'")),
        ("backtick.ps1", format!("\"{DOLLAR_ID}:{escaped}\"")),
        ("doubled.ps1", format!("'{DOLLAR_ID}:{}'", DOLLAR_SECRET)),
    ] {
        let ps =
            format!("curl.exe -X POST {EU} `\n  -u {user} `\n  -d grant_type=client_credentials\n");
        let run = run_file(&sim, name, &ps, &[]);
        assert_eq!(run.json["verdict"], "healthy", "{name}: {}", run.stdout);
        assert_no_leak(&run, &[DOLLAR_SECRET]);
    }
}

#[test]
fn a_batch_file_expands_percent_away_and_it_is_proved_gc203() {
    let sim = sim();
    let bat = format!(
        "@echo off\r\ncurl -X POST {EU} ^\r\n  -u \"%CLIENT_ID%:{PCT_SECRET}\" ^\r\n  -d grant_type=client_credentials\r\n"
    );
    let sent = PCT_SECRET.replace("%Cd9f%", "");
    for name in ["token.cmd", "token.bat"] {
        let run = run_file(&sim, name, &bat, &[("CLIENT_ID", PCT_ID)]);
        assert_proved_by_intent(&run, PCT_SECRET, &sent);
        let ev = evidence(&run, "GC203");
        assert!(
            ev.contains("`%` at 3 starts a variable in a batch file"),
            "{name}: {ev}"
        );
        assert!(ev.contains("written `%%`"), "{name}: {ev}");
        assert!(!ev.contains("decoded by the server"), "{name}: {ev}");
        let cause = &run.json["findings"][0];
        assert!(cause["fix"].as_str().unwrap().contains("`%%`"), "{cause}");
    }
}

#[test]
fn a_lone_percent_is_dropped_in_a_batch_file_and_it_is_proved_gc203() {
    let sim = sim();
    let bat = format!(
        "curl -X POST {EU} -u \"%CLIENT_ID%:{LONE_SECRET}\" -d grant_type=client_credentials\r\n"
    );
    let run = run_file(&sim, "token.bat", &bat, &[("CLIENT_ID", LONE_ID)]);
    assert_proved_by_intent(&run, LONE_SECRET, &LONE_SECRET.replace('%', ""));
    let ev = evidence(&run, "GC203");
    assert!(
        ev.contains("a lone `%` at 3 is dropped by cmd in a batch file"),
        "{ev}"
    );
}

#[test]
fn the_cmd_prompt_keeps_an_unset_percent_name_and_a_batch_file_keeps_a_doubled_one() {
    let sim = sim();
    // Pasted at the prompt (a `^` continuation, no batch file): `%Cd9f%` stays as written.
    let prompt = format!(
        "curl -X POST {EU} ^\n  -u \"{PCT_ID}:{PCT_SECRET}\" ^\n  -d grant_type=client_credentials\n"
    );
    let run = run_file(&sim, "pasted.txt", &prompt, &[]);
    assert_eq!(run.json["verdict"], "healthy", "{}", run.stdout);
    // In a batch file, `%%` is one `%`.
    let doubled = PCT_SECRET.replace('%', "%%");
    let bat =
        format!("curl -X POST {EU} -u \"{PCT_ID}:{doubled}\" -d grant_type=client_credentials\r\n");
    let run = run_file(&sim, "token.cmd", &bat, &[]);
    assert_eq!(run.json["verdict"], "healthy", "{}", run.stdout);
    assert_no_leak(&run, &[PCT_SECRET, &doubled]);
}

/// `^&` outside quotes is a literal `&` that reaches curl (a bare `&` would end the command
/// there): the scope after it is seen.
#[test]
fn a_caret_escapes_an_ampersand_outside_cmd_quotes() {
    let dir = tempfile::tempdir().unwrap();
    for (body, scope_seen) in [
        ("grant_type=client_credentials^&scope=admin", true),
        ("\"grant_type=client_credentials\"&scope=admin", false),
    ] {
        let p = dir.path().join("pasted.txt");
        std::fs::write(
            &p,
            format!("curl -X POST {EU} ^\n  -u \"{DOLLAR_ID}:abc\" ^\n  -d {body}\n"),
        )
        .unwrap();
        let out = gcdoctor()
            .args(["lint", "--format", "json", p.to_str().unwrap()])
            .output()
            .unwrap();
        let run = capture(out, &[]);
        assert_eq!(
            run.finding("GC306").is_some(),
            scope_seen,
            "{body}: {}",
            run.stdout
        );
    }
}

/// In Windows PowerShell 5.1 `curl` is Invoke-WebRequest: the report says so; `curl.exe`
/// needs no note.
#[test]
fn powershell_curl_is_named_as_the_invoke_webrequest_alias() {
    let dir = tempfile::tempdir().unwrap();
    for (cmd, noted) in [("curl", true), ("curl.exe", false)] {
        let p = dir.path().join("t.ps1");
        std::fs::write(
            &p,
            format!("{cmd} -X POST {EU} `\n  -u \"$env:CLIENT_ID:$env:CLIENT_SECRET\" `\n  -d grant_type=client_credentials\n"),
        )
        .unwrap();
        let out = gcdoctor()
            .env("CLIENT_ID", DOLLAR_ID)
            .env("CLIENT_SECRET", DOLLAR_SECRET)
            .args(["lint", "--format", "json", p.to_str().unwrap()])
            .output()
            .unwrap();
        let run = capture(out, &[DOLLAR_SECRET]);
        assert_eq!(
            run.stdout.contains("alias of Invoke-WebRequest"),
            noted,
            "{cmd}: {}",
            run.stdout
        );
        assert_eq!(run.code, 0, "{cmd}: {}", run.stdout);
        assert_no_leak(&run, &[DOLLAR_SECRET]);
    }
}

/// `lint` reads the same intent offline, for cmd and PowerShell alike.
#[test]
fn lint_names_a_secret_cut_by_cmd_or_powershell() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, id, secret, said, fix) in [
        (
            "t.ps1",
            format!(
                "curl.exe -X POST {EU} -u \"$env:CLIENT_ID:{DOLLAR_SECRET}\" -d grant_type=client_credentials\n"
            ),
            DOLLAR_ID,
            DOLLAR_SECRET,
            "starts a PowerShell variable",
            "`` `$ ``",
        ),
        (
            "t.cmd",
            format!(
                "curl -X POST {EU} -u \"%CLIENT_ID%:{PCT_SECRET}\" -d grant_type=client_credentials\r\n"
            ),
            PCT_ID,
            PCT_SECRET,
            "starts a variable in a batch file",
            "as `%%`",
        ),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let out = gcdoctor()
            .env("CLIENT_ID", id)
            .args(["lint", "--format", "json", p.to_str().unwrap()])
            .output()
            .unwrap();
        let run = capture(out, &[secret]);
        assert_eq!(run.cause(), Some("GC203"), "{name}: {}", run.stdout);
        assert_eq!(run.code, 1, "{name}: {}", run.stdout);
        let cause = run.finding("GC203").unwrap().to_string();
        assert!(cause.contains(said), "{name}: {cause}");
        assert!(cause.contains(fix), "{name}: {cause}");
        assert!(!cause.contains("decoded by the server"), "{name}: {cause}");
        assert_no_leak(&run, &[secret]);
    }
}

/// The corrected request of a curl paste is written for the shell the paste was written for:
/// PowerShell gets `curl.exe`, backtick continuations and `${env:NAME}`; cmd gets `^`
/// continuations, double quotes, `rem` comments and `%NAME%` (`!NAME!` in a batch file with
/// delayed expansion, so a `!` in the value is kept); sh stays as it was. The URL is on the
/// `api.` host (GC101), so every report carries a corrected request.
#[test]
fn the_corrected_request_is_written_for_the_shell_of_the_paste() {
    const API: &str = "https://api.mypurecloud.ie/oauth/token";
    const LOGIN: &str = "https://login.mypurecloud.ie/oauth/token";
    let dir = tempfile::tempdir().unwrap();
    let ps = format!(
        "curl.exe -X POST {API} `\n  -u \"$env:CLIENT_ID:$env:CLIENT_SECRET\" `\n  -d grant_type=client_credentials\n"
    );
    let cmd = format!(
        "curl -X POST {API} ^\n  -u \"%CLIENT_ID%:%CLIENT_SECRET%\" ^\n  -d grant_type=client_credentials\n"
    );
    let delayed = format!(
        "@echo off\r\nsetlocal EnableDelayedExpansion\r\n{}",
        cmd.replace('\n', "\r\n")
    );
    let sh = format!(
        "curl -X POST {API} \\\n  -u \"$CLIENT_ID:$CLIENT_SECRET\" \\\n  -d grant_type=client_credentials\n"
    );
    let ps_want = [
        format!("curl.exe -sS '{LOGIN}' `\n  -u \""),
        "}\" `\n  -d 'grant_type=client_credentials'\n".to_string(),
        // The names are partly masked like the credential position they come from.
        "}:${".to_string(),
    ];
    let cmd_want = |r: &str| {
        [
            "rem The token endpoint of eu-west-1 (mypurecloud.ie).\nrem Credentials in a Basic header"
                .to_string(),
            format!("curl -sS \"{LOGIN}\" ^\n  -u \"{r}CLIENT_ID{r}:{r}CLIENT_SECRET{r}\" ^\n  -d \"grant_type=client_credentials\"\n"),
        ]
    };
    let sh_want = [
        "# The token endpoint of eu-west-1 (mypurecloud.ie).\n".to_string(),
        format!("curl -sS '{LOGIN}' \\\n  -u \""),
        "\" \\\n  -d 'grant_type=client_credentials'\n".to_string(),
    ];
    let cases: [(&str, &String, Vec<String>, &[&str]); 5] = [
        (
            "t.ps1",
            &ps,
            ps_want.to_vec(),
            &["curl -sS", "\\\n", "^\n", "rem ", "%"],
        ),
        (
            "pasted.txt",
            &cmd,
            cmd_want("%").to_vec(),
            &["curl.exe", "'", "\\\n", "`", "#"],
        ),
        (
            "t.bat",
            &cmd,
            cmd_want("%").to_vec(),
            &["curl.exe", "'", "%%", "!"],
        ),
        (
            "t.cmd",
            &delayed,
            cmd_want("!").to_vec(),
            &["curl.exe", "'", "%"],
        ),
        (
            "t.sh",
            &sh,
            sh_want.to_vec(),
            &["curl.exe", "`", "^\n", "rem ", "${env:", "%"],
        ),
    ];
    for (name, text, want, not) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let out = gcdoctor()
            .env("CLIENT_ID", DOLLAR_ID)
            .env("CLIENT_SECRET", DOLLAR_SECRET)
            .args(["lint", "--format", "json", p.to_str().unwrap()])
            .output()
            .unwrap();
        let run = capture(out, &[DOLLAR_SECRET]);
        assert_eq!(run.cause(), Some("GC101"), "{name}: {}", run.stdout);
        assert_eq!(run.json["suggestion"]["language"], "curl", "{name}");
        let s = run.json["suggestion"]["text"].as_str().unwrap();
        for w in &want {
            assert!(s.contains(w.as_str()), "{name}: {w:?} not in\n{s}");
        }
        for n in not {
            assert!(!s.contains(n), "{name}: {n:?} in\n{s}");
        }
        assert_no_leak(&run, &[DOLLAR_SECRET]);
    }
}
