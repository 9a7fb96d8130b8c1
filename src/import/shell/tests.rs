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
