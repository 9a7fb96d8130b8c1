//! sh/bash quoting and expansion: single and double quotes, backslash escapes, `$'…'`,
//! `$NAME`, `${NAME}`, `${NAME:-default}`, `$(…)` and backticks. PowerShell words go through
//! the same quote handling with its own escape character (see `powershell.rs`).

use super::pipeline::eval_base64_pipeline;
use super::powershell::{ps_escape, ps_variable};
use super::{Lexer, Mode, WordBuf};
use crate::import::{ImportError, Traced};

impl<'a> Lexer<'a> {
    pub(super) fn posix_char(
        &mut self,
        buf: &mut WordBuf,
        c: char,
        at: usize,
        line: usize,
    ) -> Result<(), ImportError> {
        let esc = self.escape_char();
        match c {
            _ if c == esc => {
                self.i += 1;
                match self.peek(0) {
                    Some(n) => {
                        self.i += 1;
                        let n = if self.mode == Mode::PowerShell {
                            ps_escape(n)
                        } else {
                            n
                        };
                        buf.push_char(n, line, at);
                    }
                    None => buf.push_char(c, line, at),
                }
            }
            '\'' => {
                self.i += 1;
                buf.begin(at);
                loop {
                    match self.peek(0) {
                        None => {
                            return Err(self.err_here(
                                at,
                                "unterminated ' quote: the command ends before the closing quote"
                                    .into(),
                            ));
                        }
                        Some('\'')
                            if self.mode == Mode::PowerShell && self.peek(1) == Some('\'') =>
                        {
                            let l = self.line();
                            buf.push_char('\'', l, at);
                            self.i += 2;
                        }
                        Some('\'') => {
                            self.i += 1;
                            break;
                        }
                        Some(ch) => {
                            let l = self.line();
                            buf.push_char(ch, l, at);
                            self.i += 1;
                        }
                    }
                }
            }
            '"' => {
                self.i += 1;
                buf.begin(at);
                self.double_quoted(buf, at)?;
            }
            '$' => self.dollar(buf, at, line, false)?,
            '`' if self.mode == Mode::Posix => {
                let body = self.backticks(at)?;
                let t = self.substitution(&body, format!("`{body}`"), line);
                buf.push_traced(&t, at);
            }
            _ => {
                self.i += 1;
                buf.push_char(c, line, at);
            }
        }
        Ok(())
    }

    pub(super) fn double_quoted(
        &mut self,
        buf: &mut WordBuf,
        open: usize,
    ) -> Result<(), ImportError> {
        let esc = self.escape_char();
        loop {
            let Some(c) = self.peek(0) else {
                return Err(self.err_here(
                    open,
                    "unterminated \" quote: the command ends before the closing quote".into(),
                ));
            };
            let at = self.byte();
            let line = self.line();
            if c == '"' {
                if self.mode == Mode::PowerShell && self.peek(1) == Some('"') {
                    buf.push_char('"', line, at);
                    self.i += 2;
                    continue;
                }
                self.i += 1;
                return Ok(());
            }
            if c == esc {
                let n = self.peek(1);
                match (self.mode, n) {
                    (_, Some('\n')) => self.i += 2,
                    (Mode::Posix, Some(n @ ('$' | '`' | '"' | '\\'))) => {
                        buf.push_char(n, line, at);
                        self.i += 2;
                    }
                    (Mode::PowerShell, Some(n)) => {
                        buf.push_char(ps_escape(n), line, at);
                        self.i += 2;
                    }
                    _ => {
                        buf.push_char(c, line, at);
                        self.i += 1;
                    }
                }
                continue;
            }
            if c == '$' {
                self.dollar(buf, at, line, true)?;
                continue;
            }
            if c == '`' && self.mode == Mode::Posix {
                let body = self.backticks(at)?;
                let t = self.substitution(&body, format!("`{body}`"), line);
                buf.push_traced(&t, at);
                continue;
            }
            buf.push_char(c, line, at);
            self.i += 1;
        }
    }

    /// `$NAME`, `${NAME}`, `${NAME:-default}`, `$'…'`, `$(…)`, `$env:NAME`.
    pub(super) fn dollar(
        &mut self,
        buf: &mut WordBuf,
        at: usize,
        line: usize,
        in_double: bool,
    ) -> Result<(), ImportError> {
        let next = self.peek(1);
        match next {
            Some('\'') if !in_double && self.mode == Mode::Posix => {
                self.i += 2;
                buf.begin(at);
                self.ansi_c(buf, at)
            }
            Some('"') if !in_double && self.mode == Mode::Posix => {
                self.i += 2;
                buf.begin(at);
                self.double_quoted(buf, at)
            }
            Some('{') => {
                let start = self.i;
                let mut j = self.i + 2;
                while j < self.end && self.chars[j].1 != '}' {
                    j += 1;
                }
                if j >= self.end {
                    return Err(self.err_here(at, "unterminated ${…}: no closing `}`".into()));
                }
                let inner: String = self.chars[start + 2..j].iter().map(|c| c.1).collect();
                let written: String = self.chars[start..=j].iter().map(|c| c.1).collect();
                self.i = j + 1;
                // PowerShell: `${name}` is the whole name (`${env:NAME}` an env read).
                let (name, default) = match self.mode {
                    Mode::PowerShell => match inner.get(..4) {
                        Some(p) if p.eq_ignore_ascii_case("env:") => (inner[4..].to_string(), None),
                        _ => (inner, None),
                    },
                    _ => split_default(&inner),
                };
                let t = self.expand(&name, default, &written, line);
                buf.push_traced(&t, at);
                Ok(())
            }
            Some('(') => {
                let body = self.parens(at)?;
                let t = self.substitution(&body, format!("$({body})"), line);
                buf.push_traced(&t, at);
                Ok(())
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let start = self.i;
                let mut j = self.i + 1;
                let ps_env = self.mode == Mode::PowerShell
                    && j < self.end
                    && self.text[self.chars[j].0..]
                        .get(..4)
                        .is_some_and(|p| p.eq_ignore_ascii_case("env:"));
                if ps_env {
                    j += 4;
                }
                while j < self.end
                    && (self.chars[j].1.is_ascii_alphanumeric() || self.chars[j].1 == '_')
                {
                    j += 1;
                }
                let written: String = self.chars[start..j].iter().map(|c| c.1).collect();
                let name = if ps_env {
                    written[5..].to_string()
                } else {
                    written[1..].to_string()
                };
                self.i = j;
                if self.mode == Mode::PowerShell && !ps_env {
                    self.ps_drive_check(&written, line);
                }
                let t = self.expand(&name, None, &written, line);
                buf.push_traced(&t, at);
                Ok(())
            }
            Some(c) if c.is_ascii_digit() || "@*#?!-$".contains(c) => {
                self.i += 2;
                let written = format!("${c}");
                buf.push_traced(&Traced::unknown(&written, written.clone(), Some(line)), at);
                Ok(())
            }
            _ => {
                self.i += 1;
                buf.push_char('$', line, at);
                Ok(())
            }
        }
    }

    /// `$'…'`: C escapes, no expansion.
    pub(super) fn ansi_c(&mut self, buf: &mut WordBuf, open: usize) -> Result<(), ImportError> {
        loop {
            let Some(c) = self.peek(0) else {
                return Err(self.err_here(
                    open,
                    "unterminated $'…' quote: the command ends before the closing quote".into(),
                ));
            };
            let at = self.byte();
            let line = self.line();
            self.i += 1;
            match c {
                '\'' => return Ok(()),
                '\\' => {
                    let Some(n) = self.peek(0) else { continue };
                    self.i += 1;
                    let out = match n {
                        'n' => Some('\n'),
                        't' => Some('\t'),
                        'r' => Some('\r'),
                        '0' => Some('\0'),
                        'e' | 'E' => Some('\u{1b}'),
                        '\\' | '\'' | '"' | '?' => Some(n),
                        'x' => {
                            let mut v = 0u32;
                            let mut k = 0;
                            while k < 2
                                && let Some(d) = self.peek(0).and_then(|d| d.to_digit(16))
                            {
                                v = v * 16 + d;
                                self.i += 1;
                                k += 1;
                            }
                            char::from_u32(v)
                        }
                        'u' | 'U' => {
                            let max = if n == 'u' { 4 } else { 8 };
                            let mut v = 0u32;
                            let mut k = 0;
                            while k < max
                                && let Some(d) = self.peek(0).and_then(|d| d.to_digit(16))
                            {
                                v = v.saturating_mul(16).saturating_add(d);
                                self.i += 1;
                                k += 1;
                            }
                            char::from_u32(v)
                        }
                        other => {
                            buf.push_char('\\', line, at);
                            Some(other)
                        }
                    };
                    if let Some(o) = out {
                        buf.push_char(o, line, at);
                    }
                }
                _ => buf.push_char(c, line, at),
            }
        }
    }

    /// Reads `$( … )` from `$`, returning the inner text.
    pub(super) fn parens(&mut self, at: usize) -> Result<String, ImportError> {
        let start = self.i + 2;
        let mut depth = 1usize;
        let mut j = start;
        let mut quote: Option<char> = None;
        while j < self.end {
            let c = self.chars[j].1;
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), '\\') => j += 1,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '\\') => j += 1,
                (None, '(') => depth += 1,
                (None, ')') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if j >= self.end {
            return Err(self.err_here(at, "unterminated $( … ): no closing `)`".into()));
        }
        let body: String = self.chars[start..j].iter().map(|c| c.1).collect();
        self.i = j + 1;
        Ok(body)
    }

    pub(super) fn backticks(&mut self, at: usize) -> Result<String, ImportError> {
        let start = self.i + 1;
        let mut j = start;
        while j < self.end && self.chars[j].1 != '`' {
            if self.chars[j].1 == '\\' {
                j += 1;
            }
            j += 1;
        }
        if j >= self.end {
            return Err(self.err_here(at, "unterminated ` command substitution".into()));
        }
        let body: String = self.chars[start..j].iter().map(|c| c.1).collect();
        self.i = j + 1;
        Ok(body)
    }

    /// The value of a command substitution: `echo -n "$ID:$SECRET" | base64` is worked out,
    /// anything else is unknown.
    pub(super) fn substitution(&self, body: &str, written: String, line: usize) -> Traced {
        if self.mode == Mode::PowerShell
            && let Some(v) = ps_variable(body.trim())
        {
            return self.expand(&v, None, body.trim(), line);
        }
        eval_base64_pipeline(body, line, self.env, &self.vars)
            .unwrap_or_else(|| Traced::unknown(&written, written.clone(), Some(line)))
    }
}

fn split_default(inner: &str) -> (String, Option<String>) {
    if let Some(i) = inner.find(":-") {
        return (inner[..i].to_string(), Some(inner[i + 2..].to_string()));
    }
    if let Some(i) = inner.find('-') {
        return (inner[..i].to_string(), Some(inner[i + 1..].to_string()));
    }
    (inner.to_string(), None)
}
