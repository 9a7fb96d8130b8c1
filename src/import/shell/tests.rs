//! The lexer against the shells it reads.

use super::pipeline::eval_base64_pipeline;
use super::*;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

fn words(text: &str) -> Vec<String> {
    let env = |_: &str| None;
    let cmds = lex_all(text, "t", &env).unwrap();
    cmds[0].words.iter().map(|w| w.text.text.clone()).collect()
}

#[test]
fn posix_quoting() {
    assert_eq!(
        words(r#"curl 'a b' "c\"d" e\ f $'g\nh'"#),
        vec!["curl", "a b", "c\"d", "e f", "g\nh"]
    );
    assert_eq!(words("curl a \\\n  b"), vec!["curl", "a", "b"]);
    assert_eq!(words("curl a \\  \n  b"), vec!["curl", "a", "b"]);
    assert_eq!(words("$ curl x 2>/dev/null | jq ."), vec!["curl", "x"]);
}

#[test]
fn cmd_and_powershell() {
    assert_eq!(
        words("curl ^\"https://x/a^\" ^\n  -H ^\"a: b^\""),
        vec!["curl", "https://x/a", "-H", "a: b"]
    );
    assert_eq!(
        words("curl.exe `\n -d 'a=b' `\n https://x"),
        vec!["curl.exe", "-d", "a=b", "https://x"]
    );
}

#[test]
fn variables_expand_and_are_traced() {
    let env = |n: &str| (n == "S").then(|| "sec".to_string());
    let cmds = lex_all("ID=abc\ncurl -u \"$ID:$S\" '$S'", "t", &env).unwrap();
    let w = &cmds[0].words;
    assert_eq!(w[2].text.text, "abc:sec");
    assert_eq!(w[3].text.text, "$S");
    assert_eq!(
        w[2].text.slice(4..7).origin(),
        crate::request::ValueOrigin::Env("S".into())
    );
}

/// A word written plainly, single-quoted or double-quoted.
fn quoted_word() -> impl proptest::strategy::Strategy<Value = (String, String)> {
    use proptest::prelude::*;
    ("[a-zA-Z0-9_./:=,+@-]{1,8}", 0..3u8).prop_map(|(w, style)| {
        let written = match style {
            0 => w.clone(),
            1 => format!("'{w}'"),
            _ => format!("\"{w}\""),
        };
        (written, w)
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// On plain POSIX words, the lexer agrees with `shlex` (the oracle) and with the words
    /// as meant.
    #[test]
    fn lexer_agrees_with_shlex(ws in proptest::collection::vec(quoted_word(), 1..8), seps in proptest::collection::vec(0..3u8, 8)) {
        let mut line = String::from("curl");
        for (i, (written, _)) in ws.iter().enumerate() {
            line.push_str(match seps[i % seps.len()] {
                0 => " ",
                1 => "  \\\n  ",
                _ => "\t",
            });
            line.push_str(written);
        }
        let mine = words(&line);
        let oracle = shlex::split(&line.replace("\\\n", " ")).unwrap_or_default();
        let meant: Vec<String> = std::iter::once("curl".to_string()).chain(ws.iter().map(|w| w.1.clone())).collect();
        proptest::prop_assert_eq!(&mine, &oracle);
        proptest::prop_assert_eq!(&mine, &meant);
    }
}

#[test]
fn echo_base64_is_evaluated_with_gnu_wrapping() {
    let env = |_: &str| None;
    let t = eval_base64_pipeline("echo -n \"a:b\" | base64", 1, &env, &HashMap::new()).unwrap();
    assert_eq!(t.text, STANDARD.encode("a:b"));
    let t = eval_base64_pipeline("echo \"a:b\" | base64", 1, &env, &HashMap::new()).unwrap();
    assert_eq!(t.text, STANDARD.encode("a:b\n"));
}

fn words_in(text: &str, source: &str) -> (Vec<String>, Vec<String>) {
    let env = |n: &str| (n == "ID").then(|| "i".to_string());
    let cmds = lex_all(text, source, &env).unwrap();
    let words = cmds[0].words.iter().map(|w| w.text.text.clone()).collect();
    (words, cmds[0].notes.clone())
}

#[test]
fn cmd_percent_follows_the_prompt_or_the_batch_file() {
    // cmd pairs `%`s before it reads quotes: here `%ID%`, then `%Cd9%`; the last is lone.
    let text = "curl -u \"%ID%:ab%Cd9%x\" -d a%%b -H \"x: 5%\"\n";
    let (batch, _) = words_in(text, "t.cmd");
    assert_eq!(batch[4], "a%b");
    assert_eq!(batch[6], "x: 5");
    // An unset variable in a batch file is nothing; the lexer marks it unknown.
    let env = |_: &str| None;
    let cmds = lex_all(text, "t.bat", &env).unwrap();
    assert_eq!(
        cmds[0].words[2].text.slice(7..12).origin(),
        crate::request::ValueOrigin::EnvUnset("Cd9".into())
    );
    // At the prompt an unset `%Cd9%` and a lone `%` stay. (A `%%` marks a batch file.)
    let prompt = text.replace("a%%b", "ab").replace('\n', " ^\n  -s\n");
    let (at_prompt, _) = words_in(&prompt, "pasted.txt");
    assert_eq!(at_prompt[2], "i:ab%Cd9%x");
    assert_eq!(at_prompt[6], "x: 5%");
}

#[test]
fn cmd_doubles_a_quote_inside_quotes() {
    let (w, _) = words_in("curl -H \"a: \"\"b\"\"\" https://x\n", "t.cmd");
    assert_eq!(w[2], "a: \"b\"");
}

#[test]
fn the_dialect_comes_from_the_extension_then_the_text() {
    assert_eq!(dialect("curl x", "t.ps1").shell(), Shell::PowerShell);
    assert_eq!(dialect("curl x", "T.BAT").shell(), Shell::Batch);
    assert_eq!(dialect("curl x ^\n -s", "paste").shell(), Shell::Cmd);
    assert_eq!(dialect("@echo off\ncurl x", "paste").shell(), Shell::Batch);
    assert_eq!(
        dialect("$id = 'x'\ncurl.exe -u \"${id}:y\"", "paste").shell(),
        Shell::PowerShell
    );
    assert_eq!(dialect("curl -u \"$ID:$S\" x", "paste").shell(), Shell::Sh);
    assert!(dialect("setlocal EnableDelayedExpansion\r\ncurl x", "t.cmd").delayed);
}

#[test]
fn powershell_curl_is_the_invoke_webrequest_alias_in_windows_powershell() {
    let (_, notes) = words_in("curl -X POST https://x `\n -d a=b\n", "t.ps1");
    assert!(
        notes.iter().any(|n| n.contains("Invoke-WebRequest")),
        "{notes:?}"
    );
    let (_, notes) = words_in("curl.exe -X POST https://x\n", "t.ps1");
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn powershell_notes_what_the_words_do_not_show() {
    // `"$id:$secret"` does not parse in PowerShell; `"${id}:${secret}"` and `$env:X:` do.
    let (w, notes) = words_in(
        "$id = 'a'\ncurl.exe -u \"$id:$secret\" https://x\n",
        "t.ps1",
    );
    assert_eq!(w[2], "a:$secret");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("Variable reference is not valid") && n.contains("${id}:")),
        "{notes:?}"
    );
    for ok in ["\"${id}:${secret}\"", "\"$env:ID:$env:S\"", "'$id:$secret'"] {
        let (_, notes) = words_in(&format!("curl.exe -u {ok} https://x\n"), "t.ps1");
        assert!(notes.is_empty(), "{ok}: {notes:?}");
    }
    // `${env:ID}` is an env read; `${a-b}` one variable named `a-b`.
    let (w, _) = words_in("curl.exe -u \"${env:ID}:${a-b}\" https://x\n", "t.ps1");
    assert!(w[2].starts_with("i:"), "{w:?}");
    // Double quotes inside an argument are not passed on by PowerShell before 7.3.
    let (w, notes) = words_in("curl.exe -d '{\"a\":1}' https://x\n", "t.ps1");
    assert_eq!(w[2], "{\"a\":1}");
    assert!(notes.iter().any(|n| n.contains("before 7.3")), "{notes:?}");
}
