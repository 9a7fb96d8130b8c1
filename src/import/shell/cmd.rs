//! cmd.exe words: `^` escapes the next character (and continues a line), `"` toggles quoting
//! (cmd's own and the program's, MSVCRT rules for backslashes before a quote), `%VAR%`
//! expands an environment variable.

use super::{Lexer, WordBuf};

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
            '"' => {
                self.i += 1;
                buf.begin(at);
                *ms_quote = !*ms_quote;
                *cmd_quote = !*cmd_quote;
            }
            '\\' => {
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
            '%' => {
                let mut j = self.i + 1;
                while j < self.end
                    && (self.chars[j].1.is_ascii_alphanumeric() || self.chars[j].1 == '_')
                {
                    j += 1;
                }
                if j > self.i + 1 && j < self.end && self.chars[j].1 == '%' {
                    let name: String = self.chars[self.i + 1..j].iter().map(|c| c.1).collect();
                    let written = format!("%{name}%");
                    self.i = j + 1;
                    let t = self.expand(&name, None, &written, line);
                    buf.push_traced(&t, at);
                } else {
                    self.i += 1;
                    buf.push_char('%', line, at);
                }
            }
            _ => {
                self.i += 1;
                buf.push_char(c, line, at);
            }
        }
    }
}
