//! Over-redaction is a defect too: what is not secret in a credential position (the name of
//! the variable a secret is read from, a UUID-shaped client id written before the secret)
//! stays readable in the report and in the corrected request a user copies, while the secret
//! itself, and the rest of one a shell expansion cut, never shows.

mod common;
use common::*;

/// `gcdoctor lint` of `text` written to a file called `name`: stdout and stderr.
fn lint(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    let o = gcdoctor().arg("lint").arg(&p).output().unwrap();
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The corrected request's credential line (`-u …`).
fn user_line(out: &str) -> String {
    let start = out.find("Corrected request").expect("a corrected request");
    out[start..]
        .lines()
        .find(|l| l.trim_start().starts_with("-u "))
        .unwrap_or_else(|| panic!("no -u line in:\n{out}"))
        .trim()
        .to_string()
}

#[test]
fn variable_names_in_a_basic_credential_stay_readable() {
    let cases = [
        (
            "token.sh",
            "curl -X POST \"https://api.mypurecloud.com/oauth/token\" \\\n  -u \"$GC_APP_CLIENT_ID:$GC_APP_CLIENT_SECRET\" \\\n  -d \"grant_type=client_credentials\"\n",
            "-u \"$GC_APP_CLIENT_ID:$GC_APP_CLIENT_SECRET\"",
        ),
        (
            "token.ps1",
            "curl.exe -X POST 'https://api.mypurecloud.com/oauth/token' `\n  -u \"${env:GC_APP_CLIENT_ID}:${env:GC_APP_CLIENT_SECRET}\" `\n  -d 'grant_type=client_credentials'\n",
            "-u \"${env:GC_APP_CLIENT_ID}:${env:GC_APP_CLIENT_SECRET}\"",
        ),
        (
            "token.bat",
            "curl -X POST \"https://api.mypurecloud.com/oauth/token\" ^\n  -u \"%GC_APP_CLIENT_ID%:%GC_APP_CLIENT_SECRET%\" ^\n  -d \"grant_type=client_credentials\"\n",
            "-u \"%GC_APP_CLIENT_ID%:%GC_APP_CLIENT_SECRET%\"",
        ),
    ];
    for (name, text, want) in cases {
        let out = lint(name, text);
        assert!(
            !out.contains("<redacted>"),
            "{name}: nothing here is secret:\n{out}"
        );
        assert_eq!(
            user_line(&out),
            format!("{want} {}", continuation(name)),
            "{name}"
        );
        let said = out
            .split("the client secret comes from")
            .nth(1)
            .unwrap_or_else(|| panic!("{name}: the unset secret is named:\n{out}"));
        assert!(
            said[..80].contains("GC_APP_CLIENT_SECRET"),
            "{name}:\n{out}"
        );
    }
}

fn continuation(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("ps1") => "`",
        Some("bat") | Some("cmd") => "^",
        _ => "\\",
    }
}

#[test]
fn a_uuid_id_before_a_literal_secret_stays_readable() {
    let secret = "Zq8vN1xR4tY7uP0oL3kJ6hG9fD2sA5zXcVbNmQwEr";
    let text = format!(
        "curl -X POST \"https://api.mypurecloud.com/oauth/token\" \\\n  -u \"{MAIN_ID}:{secret}\" \\\n  -d \"grant_type=client_credentials\"\n"
    );
    let out = lint("token.sh", &text);
    assert_no_secret_in(&out, &[secret]);
    assert!(
        user_line(&out).starts_with(&format!("-u \"{MAIN_ID}:$")),
        "the id is shown, the secret is a variable:\n{out}"
    );
}

#[test]
fn the_rest_of_a_secret_a_shell_cut_is_no_variable_name() {
    // In double quotes, sh expands `$Cdx9…` (unset: empty); the author meant it literally.
    let text = "curl -X POST \"https://api.mypurecloud.com/oauth/token\" \\\n  -u \"$GC_APP_CLIENT_ID:ab$Cdx9Lm2pQ7rT5vW8yZ1kJ\" \\\n  -d \"grant_type=client_credentials\"\n";
    let out = lint("token.sh", text);
    assert_no_secret_in(&out, &["ab$Cdx9Lm2pQ7rT5vW8yZ1kJ", "Cdx9Lm2pQ7rT5vW8yZ1kJ"]);
    let line = user_line(&out);
    assert!(line.starts_with("-u \"$GC_APP_CLIENT_ID:$"), "{line}");
    assert!(!line.contains("<redacted>"), "a command to copy: {line}");
}

/// Every file under `tests/fixtures/` (recursively), but the binary ones.
fn fixtures() -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_none_or(|x| x != "der") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut out,
    );
    out.sort();
    out
}

/// A mask glued to a word character means a run of a name or a keyword was cut out of it
/// (`GENESYS_<redacted>`, `C<redacted>`): some text that is no secret was registered as one.
#[test]
fn no_fixture_report_cuts_a_word() {
    let id_vars = [
        "GENESYS_CLIENT_ID",
        "GENESYSCLOUD_OAUTHCLIENT_ID",
        "GC_CLIENT_ID",
        "CLIENT_ID",
    ];
    let glued = |out: &str| {
        let b = out.as_bytes();
        out.match_indices("<redacted>").find_map(|(i, m)| {
            let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$';
            let before = i > 0 && word(b[i - 1]);
            let after = b.get(i + m.len()).is_some_and(|&c| word(c) && c != b'$');
            let line = out[..i].rsplit('\n').next().unwrap_or("");
            (before || after).then(|| format!("{line}<redacted>…"))
        })
    };
    let mut bad = Vec::new();
    for f in fixtures() {
        let mut c = gcdoctor();
        c.arg("lint").arg(&f);
        for v in id_vars {
            c.env(v, MAIN_ID);
        }
        let o = c.output().unwrap();
        let out = format!(
            "{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        if let Some(at) = glued(&out) {
            bad.push(format!("{}: {at}", f.display()));
        }
    }
    assert!(
        bad.is_empty(),
        "words cut by the redactor:\n{}",
        bad.join("\n")
    );
}
