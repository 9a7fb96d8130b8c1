//! cmd.exe words, as cmd and the program's argument parser (MSVCRT) read them:
//!
//! * percent expansion comes first and ignores quotes: `%NAME%` is the variable's value; in
//!   a batch file an unset one is nothing, `%%` is one `%`, `%1` an argument and a lone `%`
//!   is dropped, while at the prompt an unset `%NAME%` and a lone `%` stay as written; with
//!   `setlocal EnableDelayedExpansion`, `!NAME!` likewise ([`percent`], shared with the
//!   reading of what the author meant, `meant.rs`);
//! * `^` escapes the next character outside quotes (and continues a line);
//! * `"` toggles quoting (cmd's own and the program's); inside quotes `""` is one `"`
//!   (MSVCRT since 2008); backslashes before a quote follow the MSVCRT rules.

use super::{Lexer, WordBuf};
use crate::credential_span::is_cut_secret;
use crate::import::Traced;

/// One `%` (or, with delayed expansion, `!`) token of cmd's expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Percent {
    /// Text kept as it is (`%%` at the prompt, a lone `%` at the prompt) or made (`%%` in a
    /// batch file is `%`).
    Literal(String),
    /// `%NAME%` (or `%NAME:~0,4%`, `!NAME!`): `written` is the whole token.
    Var { name: String, written: String },
    /// `%1`, `%*`: a batch file's argument, unknown here.
    Arg(String),
    /// A lone `%` in a batch file: dropped.
    Dropped,
}

/// The token at `chars[i]` (a `%` or `!`) and how many characters it takes.
pub(crate) fn percent(chars: &[char], i: usize, batch: bool) -> (Percent, usize) {
    let sigil = chars[i];
    let next = chars.get(i + 1).copied();
    if sigil == '%' && next == Some('%') {
        let kept = if batch { "%" } else { "%%" };
        return (Percent::Literal(kept.into()), 2);
    }
    if sigil == '%' && batch && next.is_some_and(|n| n.is_ascii_digit() || n == '*') {
        return (Percent::Arg(chars[i..i + 2].iter().collect()), 2);
    }
    let close = chars[i + 1..]
        .iter()
        .take_while(|&&c| c != '\n')
        .position(|&c| c == sigil)
        .map(|k| i + 1 + k);
    match close {
        Some(j) if j > i + 1 => {
            let inner: String = chars[i + 1..j].iter().collect();
            let name = inner.split(':').next().unwrap_or_default().to_string();
            let written = chars[i..=j].iter().collect();
            (Percent::Var { name, written }, j - i + 1)
        }
        _ if batch => (Percent::Dropped, 1),
        _ => (Percent::Literal(sigil.to_string()), 1),
    }
}

impl<'a> Lexer<'a> {
    pub(super) fn cmd_char(
        &mut self,
        buf: &mut WordBuf,
        c: char,
        at: usize,
        line: usize,
        ms_quote: &mut bool,
        cmd_quote: &mut bool,
    ) {
        match c {
            '^' if !*cmd_quote => {
                self.i += 1;
                match self.peek(0) {
                    Some('"') => {
                        self.i += 1;
                        buf.begin(at);
                        *ms_quote = !*ms_quote;
                    }
                    Some(n) => {
                        self.i += 1;
                        buf.push_char(n, line, at);
                    }
                    None => {}
                }
            }
            '"' if *ms_quote && self.peek(1) == Some('"') => {
                // `""` inside a quoted argument: one `"`, still quoted.
                self.i += 2;
                buf.push_char('"', line, at);
            }
            '"' => {
                self.i += 1;
                buf.begin(at);
                *ms_quote = !*ms_quote;
                *cmd_quote = !*cmd_quote;
            }
            '\\' => self.cmd_backslashes(buf, line, at, cmd_quote),
            '%' => self.cmd_percent(buf, line, at),
            '!' if self.delayed => self.cmd_percent(buf, line, at),
            _ => {
                self.i += 1;
                buf.push_char(c, line, at);
            }
        }
    }

    /// Backslashes: literal, unless a quote follows (MSVCRT: 2n → n and the quote toggles,
    /// 2n+1 → n and a literal quote).
    fn cmd_backslashes(&mut self, buf: &mut WordBuf, line: usize, at: usize, cmd_quote: &mut bool) {
        let mut n = 0;
        while self.peek(n) == Some('\\') {
            n += 1;
        }
        let quote_follows = self.peek(n) == Some('"')
            || (self.peek(n) == Some('^') && self.peek(n + 1) == Some('"'));
        if quote_follows {
            for _ in 0..n / 2 {
                buf.push_char('\\', line, at);
            }
            self.i += n;
            if n % 2 == 1 {
                if self.peek(0) == Some('^') {
                    self.i += 1;
                } else {
                    *cmd_quote = !*cmd_quote;
                }
                self.i += 1;
                buf.push_char('"', line, at);
            }
        } else {
            for _ in 0..n {
                buf.push_char('\\', line, at);
            }
            self.i += n;
        }
    }

    /// `%NAME%`, `%%`, `%1`, a lone `%` (and `!NAME!` with delayed expansion), as [`percent`]
    /// reads them.
    fn cmd_percent(&mut self, buf: &mut WordBuf, line: usize, at: usize) {
        let chars: Vec<char> = self.chars[self.i..self.end].iter().map(|c| c.1).collect();
        let (token, len) = percent(&chars, 0, self.batch);
        self.i += len;
        match token {
            Percent::Literal(t) => {
                for ch in t.chars() {
                    buf.push_char(ch, line, at);
                }
            }
            Percent::Arg(w) => buf.push_traced(&Traced::unknown(&w, w.clone(), Some(line)), at),
            Percent::Dropped => buf.begin(at),
            Percent::Var { name, written } => {
                let known = self.vars.contains_key(&name) || (self.env)(&name).is_some();
                if !known && !self.batch && is_cut_secret(&name) {
                    // At the prompt an unset variable stays as written; a name no one gives
                    // a variable is text, not an env read.
                    for ch in written.chars() {
                        buf.push_char(ch, line, at);
                    }
                    return;
                }
                let t = if written.contains(':') && known {
                    Traced::unknown(&written, written.clone(), Some(line))
                } else {
                    self.expand(&name, None, &written, line)
                };
                buf.push_traced(&t, at);
            }
        }
    }
}
