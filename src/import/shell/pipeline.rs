//! A hand-built Basic header: `$(echo -n "$ID:$SECRET" | base64)`, worked out.

use super::{Env, Lexer, Mode};
use crate::import::{LineIndex, Traced};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::collections::HashMap;

/// `echo [-n] WORDS | base64 [-w0]` and `printf FMT ARGS | base64`: the Basic header people
/// build by hand, evaluated as GNU coreutils does (a trailing newline from `echo`, a line
/// break every 76 characters unless `-w0`).
pub(super) fn eval_base64_pipeline(
    body: &str,
    line: usize,
    env: Env,
    vars: &HashMap<String, Traced>,
) -> Option<Traced> {
    let (left, right) = body.split_once('|')?;
    let right_words: Vec<String> = shlex::split(right.trim())?;
    if right_words.first().map(String::as_str) != Some("base64") {
        return None;
    }
    let no_wrap = right_words
        .windows(2)
        .any(|w| (w[0] == "-w" || w[0] == "-b") && w[1] == "0")
        || right_words
            .iter()
            .any(|w| matches!(w.as_str(), "-w0" | "--wrap=0" | "-b0"));
    let lines = LineIndex::new(left);
    let chars: Vec<(usize, char)> = left.char_indices().collect();
    let end = chars.len();
    let mut lx = Lexer {
        text: left,
        chars,
        i: 0,
        end,
        lines: &lines,
        mode: Mode::Posix,
        batch: false,
        delayed: false,
        notes: Vec::new(),
        env,
        vars: vars.clone(),
        source: "",
        line_offset: line.saturating_sub(1),
    };
    let cmd = lx.command().ok()??;
    let words: Vec<Traced> = cmd
        .words
        .iter()
        .map(|w| w.text.clone().default_line(Some(line)))
        .collect();
    let prog = words.first()?.text.clone();
    let inner = match prog.as_str() {
        "echo" => {
            let mut args = &words[1..];
            let mut newline = true;
            while let Some(a) = args.first() {
                match a.text.as_str() {
                    "-n" => newline = false,
                    "-e" | "-E" | "-ne" | "-en" => newline &= !a.text.contains('n'),
                    _ => break,
                }
                args = &args[1..];
            }
            let mut t = Traced::default();
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    t.push_literal(" ", Some(line));
                }
                t.push(a);
            }
            if newline {
                t.push_literal("\n", Some(line));
            }
            t
        }
        "printf" => {
            let fmt = words.get(1)?.text.clone();
            let mut args = words[2..].iter();
            let mut t = Traced::default();
            let mut rest = fmt.as_str();
            while let Some(i) = rest.find('%') {
                t.push_literal(&rest[..i].replace("\\n", "\n"), Some(line));
                let spec = rest[i + 1..].chars().next();
                match spec {
                    Some('s') => {
                        if let Some(a) = args.next() {
                            t.push(a);
                        }
                        rest = &rest[i + 2..];
                    }
                    Some('%') => {
                        t.push_literal("%", Some(line));
                        rest = &rest[i + 2..];
                    }
                    _ => return None,
                }
            }
            t.push_literal(&rest.replace("\\n", "\n"), Some(line));
            t
        }
        _ => return None,
    };
    let mut encoded = STANDARD.encode(inner.text.as_bytes());
    if !no_wrap && encoded.len() > 76 {
        let wrapped: Vec<String> = encoded
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        encoded = wrapped.join("\n");
    }
    Some(Traced::base64_of(inner, encoded, Some(line)))
}
