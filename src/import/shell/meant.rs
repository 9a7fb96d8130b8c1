//! What the author of a pasted command meant by a credential, and what the shell sends: a
//! credential position's text read the way its shell reads it.
//!
//! # Plan
//!
//! The quoting state at the position's start comes from the source before it; the text is
//! then read character by character into two values at once, the *meant* one (the literal as
//! written) and the *sent* one (what the shell passes to curl). A variable named like one
//! (`$CLIENT_SECRET`, `%CLIENT_ID%`, `$env:GENESYS_SECRET`) is meant as one and expanded on
//! both sides (unknown when not set here); a name no one would give a variable (`$Cd9f…`,
//! `%Cd9f%`, mixed case in a random string) is meant literally: the author's text keeps it,
//! the shell sends what it really does, and the difference is recorded as a cut.
//!
//! * sh/bash ([`read_shell`]): single quotes keep everything, double quotes and bare words
//!   expand `$NAME` and `${NAME}`, a backslash escapes.
//! * PowerShell ([`read_powershell`]): single quotes keep everything (`''` is one `'`),
//!   double quotes and bare words expand `$name`, `${name}` and `$env:NAME` (an unset
//!   variable is nothing), a backtick escapes, `""` is one `"` inside double quotes.
//! * cmd.exe ([`read_cmd`]): percent expansion first, in quotes too (see `cmd.rs`): in a
//!   batch file an unset `%NAME%` is nothing and a lone `%` is dropped, at the prompt both
//!   stay as written; `^` escapes outside quotes; `""` is one `"` inside quotes.

use super::cmd::{Percent, percent};
use super::{Env, Mode, dialect};
use crate::credential_span::is_cut_secret;
use crate::intent::Shell;

/// A credential position's text (`text`, starting at byte `at` of `src`, an input named
/// `source`) read by the shell the input is written for.
pub(crate) fn read(src: &str, source: &str, at: usize, text: &str, env: Env) -> Option<Reading> {
    let d = dialect(src, source);
    let mut r = match d.mode {
        Mode::Posix => read_shell(text, quote_at(src, at), env),
        Mode::PowerShell => read_powershell(text, ps_quote_at(src, at), env),
        Mode::Cmd => read_cmd(text, cmd_quoted_at(src, at), d.batch, d.delayed, env),
    }?;
    r.shell = d.shell();
    Some(r)
}

/// A position's text read as its language reads it: what the author meant and what is sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Reading {
    pub(crate) meant: String,
    pub(crate) sent: String,
    /// Shell expansions meant literally: (1-based char position of the `$` (`%`, `!`) in
    /// `meant`, length written, inside double quotes).
    pub(crate) cut: Vec<(usize, usize, bool)>,
    /// The shell that read it.
    pub(crate) shell: Shell,
}

impl Reading {
    fn push(&mut self, c: char) {
        self.meant.push(c);
        self.sent.push(c);
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Quote {
    None,
    Single,
    Double,
}

/// The sh quoting state at byte `at` of `src`.
pub(crate) fn quote_at(src: &str, at: usize) -> Quote {
    let mut q = Quote::None;
    let mut chars = src[..at.min(src.len())].chars().peekable();
    let mut word_start = true;
    while let Some(c) = chars.next() {
        let starts = word_start;
        word_start = c.is_whitespace();
        match (q, c) {
            // A comment runs to the end of its line; its quotes quote nothing.
            (Quote::None, '#') if starts => while chars.next_if(|&n| n != '\n').is_some() {},
            (Quote::None, '\'') => q = Quote::Single,
            (Quote::None, '"') => q = Quote::Double,
            (Quote::Single, '\'') | (Quote::Double, '"') => q = Quote::None,
            (Quote::None | Quote::Double, '\\') => {
                chars.next();
            }
            _ => {}
        }
    }
    q
}

/// Reads `text` as sh/bash does from quoting state `q`; `None` when it reads a variable
/// meant as one that is not set (the meant value is then unknown).
pub(crate) fn read_shell(text: &str, mut q: Quote, env: Env) -> Option<Reading> {
    let mut r = Reading::default();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match (q, c) {
            (Quote::None, '\'') => q = Quote::Single,
            (Quote::None, '"') => q = Quote::Double,
            (Quote::Single, '\'') | (Quote::Double, '"') => q = Quote::None,
            (Quote::None, '\\') => {
                if let Some(&n) = chars.get(i) {
                    i += 1;
                    if n != '\n' {
                        r.push(n);
                    }
                }
            }
            (Quote::Double, '\\') => match chars.get(i) {
                Some(&n) if matches!(n, '$' | '`' | '"' | '\\') => {
                    i += 1;
                    r.push(n);
                }
                Some('\n') => i += 1,
                _ => r.push('\\'),
            },
            (Quote::None | Quote::Double, '$') => {
                let braced = chars.get(i) == Some(&'{');
                let start = if braced { i + 1 } else { i };
                let mut end = start;
                while end < chars.len()
                    && (chars[end].is_ascii_alphanumeric() || chars[end] == '_')
                    && !(end == start && chars[end].is_ascii_digit())
                {
                    end += 1;
                }
                if end == start || (braced && chars.get(end) != Some(&'}')) {
                    r.push('$');
                    continue;
                }
                let name: String = chars[start..end].iter().collect();
                let next = if braced { end + 1 } else { end };
                let written: String = chars[i - 1..next].iter().collect();
                i = next;
                let value = env(&name);
                if is_cut_secret(&name) {
                    let at = r.meant.chars().count() + 1;
                    r.cut
                        .push((at, written.chars().count(), q == Quote::Double));
                    r.meant.push_str(&written);
                    r.sent.push_str(&value.unwrap_or_default());
                } else {
                    let v = value?;
                    r.meant.push_str(&v);
                    r.sent.push_str(&v);
                }
            }
            _ => r.push(c),
        }
    }
    Some(r)
}

/// The PowerShell quoting state at byte `at` of `src`.
fn ps_quote_at(src: &str, at: usize) -> Quote {
    let mut q = Quote::None;
    let mut chars = src[..at.min(src.len())].chars().peekable();
    let mut word_start = true;
    while let Some(c) = chars.next() {
        let starts = word_start;
        word_start = c.is_whitespace();
        match (q, c) {
            (Quote::None, '#') if starts => while chars.next_if(|&n| n != '\n').is_some() {},
            (Quote::None, '\'') => q = Quote::Single,
            (Quote::None, '"') => q = Quote::Double,
            (Quote::Single, '\'') | (Quote::Double, '"') => q = Quote::None,
            (Quote::None | Quote::Double, '`') => {
                chars.next();
            }
            _ => {}
        }
    }
    q
}

/// Whether byte `at` of `src` is inside cmd's double quotes.
fn cmd_quoted_at(src: &str, at: usize) -> bool {
    let mut quoted = false;
    let mut chars = src[..at.min(src.len())].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '^' if !quoted => {
                chars.next();
            }
            _ => {}
        }
    }
    quoted
}

/// A variable reference after a `$` at `chars[i - 1]`: (name, is `$env:`, index after it);
/// `None` when no name follows. `${name}` takes everything up to `}`.
fn ps_name(chars: &[char], i: usize) -> Option<(String, bool, usize)> {
    let word = |from: usize| {
        let mut end = from;
        while end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '_') {
            end += 1;
        }
        end
    };
    if chars.get(i) == Some(&'{') {
        let close = chars[i + 1..].iter().position(|&c| c == '}')? + i + 1;
        let inner: String = chars[i + 1..close].iter().collect();
        return match inner.get(..4) {
            Some(p) if p.eq_ignore_ascii_case("env:") => {
                Some((inner[4..].to_string(), true, close + 1))
            }
            _ => Some((inner, false, close + 1)),
        };
    }
    let end = word(i);
    if end == i {
        return None;
    }
    let first: String = chars[i..end].iter().collect();
    // `$env:NAME`: the environment drive, then the name (as the lexer reads it).
    if chars.get(end) == Some(&':') && first.eq_ignore_ascii_case("env") {
        let after = word(end + 1);
        if after > end + 1 {
            let name: String = chars[end + 1..after].iter().collect();
            return Some((name, true, after));
        }
    }
    Some((first, false, end))
}

/// Reads `text` as PowerShell does from quoting state `q`; `None` when it reads a variable
/// meant as one that is not set here, or a subexpression `$(…)`.
pub(crate) fn read_powershell(text: &str, mut q: Quote, env: Env) -> Option<Reading> {
    let mut r = Reading::default();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match (q, c) {
            (Quote::None, '\'') => q = Quote::Single,
            (Quote::None, '"') => q = Quote::Double,
            (Quote::Single, '\'') | (Quote::Double, '"') if chars.get(i) == Some(&c) => {
                i += 1;
                r.push(c);
            }
            (Quote::Single, '\'') | (Quote::Double, '"') => q = Quote::None,
            (Quote::None | Quote::Double, '`') => {
                if let Some(&n) = chars.get(i) {
                    i += 1;
                    if n != '\n' {
                        r.push(super::powershell::ps_escape(n));
                    }
                }
            }
            (Quote::None | Quote::Double, '$') => {
                if chars.get(i) == Some(&'(') {
                    return None;
                }
                let Some((name, is_env, next)) = ps_name(&chars, i) else {
                    r.push('$');
                    continue;
                };
                let written: String = chars[i - 1..next].iter().collect();
                i = next;
                let value = env(&name);
                if !is_env && is_cut_secret(&name) {
                    let at = r.meant.chars().count() + 1;
                    r.cut
                        .push((at, written.chars().count(), q == Quote::Double));
                    r.meant.push_str(&written);
                    r.sent.push_str(&value.unwrap_or_default());
                } else {
                    let v = value?;
                    r.meant.push_str(&v);
                    r.sent.push_str(&v);
                }
            }
            _ => r.push(c),
        }
    }
    Some(r)
}

/// Reads `text` as cmd.exe does (`quoted`: inside double quotes at its start; `batch`: a
/// batch file; `delayed`: delayed expansion on); `None` when it reads a variable meant as one
/// that is not set here.
pub(crate) fn read_cmd(
    text: &str,
    mut quoted: bool,
    batch: bool,
    delayed: bool,
    env: Env,
) -> Option<Reading> {
    let mut r = Reading::default();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '%' || (c == '!' && delayed) {
            let (token, len) = percent(&chars, i, batch);
            i += len;
            let at = r.meant.chars().count() + 1;
            match token {
                Percent::Literal(t) => {
                    let meant = if t == "%" { "%" } else { t.as_str() };
                    r.meant.push_str(meant);
                    r.sent.push_str(&t);
                }
                Percent::Arg(w) => {
                    r.cut.push((at, w.chars().count(), quoted));
                    r.meant.push_str(&w);
                }
                Percent::Dropped => {
                    r.cut.push((at, 1, quoted));
                    r.meant.push(c);
                }
                Percent::Var { name, written } => {
                    let value = env(&name);
                    if is_cut_secret(&name) {
                        if batch || value.is_some() {
                            r.cut.push((at, written.chars().count(), quoted));
                            r.sent.push_str(&value.unwrap_or_default());
                        } else {
                            r.sent.push_str(&written);
                        }
                        r.meant.push_str(&written);
                    } else {
                        let v = value?;
                        r.meant.push_str(&v);
                        r.sent.push_str(&v);
                    }
                }
            }
            continue;
        }
        i += 1;
        match c {
            '^' if !quoted => {
                if let Some(&n) = chars.get(i) {
                    i += 1;
                    if n != '\n' {
                        r.push(n);
                    }
                }
            }
            '"' if quoted && chars.get(i) == Some(&'"') => {
                i += 1;
                r.push('"');
            }
            '"' => quoted = !quoted,
            _ => r.push(c),
        }
    }
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(n: &str) -> Option<String> {
        (n == "CLIENT_ID").then(|| "the-id".to_string())
    }

    #[test]
    fn double_quotes_expand_a_dollar_single_quotes_keep_it() {
        let r = read_shell("\"$CLIENT_ID:ab$Cd9x\"", Quote::None, &env).unwrap();
        assert_eq!(r.meant, "the-id:ab$Cd9x");
        assert_eq!(r.sent, "the-id:ab");
        assert_eq!(r.cut, vec![(10, 5, true)]);
        let r = read_shell("'$CLIENT_ID:ab$Cd9x'", Quote::None, &env).unwrap();
        assert_eq!(
            (r.meant.as_str(), r.sent.as_str()),
            ("$CLIENT_ID:ab$Cd9x", "$CLIENT_ID:ab$Cd9x")
        );
        let r = read_shell("\"ab\\$Cd9x\"", Quote::None, &env).unwrap();
        assert_eq!(r.sent, "ab$Cd9x");
        assert!(r.cut.is_empty());
        let r = read_shell("ab${Cd}x", Quote::None, &env).unwrap();
        assert_eq!((r.sent.as_str(), r.cut[0]), ("abx", (3, 5, false)));
        // A variable meant as one, not set: the meant value is unknown.
        assert!(read_shell("\"$CLIENT_SECRET\"", Quote::None, &env).is_none());
    }

    #[test]
    fn the_quote_state_comes_from_the_source() {
        let src = "curl -d 'a=b&c' -u \"x:y\"";
        assert_eq!(quote_at(src, src.find("a=b").unwrap()), Quote::Single);
        assert_eq!(quote_at(src, src.find("x:y").unwrap()), Quote::Double);
        assert_eq!(quote_at(src, src.find("-u").unwrap()), Quote::None);
        let src = "# it's a comment\ncurl -d 'a=b'";
        assert_eq!(quote_at(src, src.find("a=b").unwrap()), Quote::Single);
        assert_eq!(quote_at(src, src.find("curl").unwrap()), Quote::None);
    }

    #[test]
    fn powershell_expands_in_double_quotes_only() {
        let r = read_powershell("$env:CLIENT_ID:ab$Cd9x", Quote::Double, &env).unwrap();
        assert_eq!(
            (r.meant.as_str(), r.sent.as_str()),
            ("the-id:ab$Cd9x", "the-id:ab")
        );
        assert_eq!(r.cut, vec![(10, 5, true)]);
        let r = read_powershell("'ab$Cd9x''s'", Quote::None, &env).unwrap();
        assert_eq!(
            (r.meant.as_str(), r.sent.as_str()),
            ("ab$Cd9x's", "ab$Cd9x's")
        );
        let r = read_powershell("ab`$Cd9x", Quote::Double, &env).unwrap();
        assert_eq!((r.sent.as_str(), r.cut.len()), ("ab$Cd9x", 0));
        let r = read_powershell("ab${Cd}x", Quote::Double, &env).unwrap();
        assert_eq!((r.sent.as_str(), r.cut[0]), ("abx", (3, 5, true)));
        // An env read that is not set here: unknown.
        assert!(read_powershell("$env:CLIENT_SECRET", Quote::Double, &env).is_none());
    }

    #[test]
    fn cmd_expands_percent_in_batch_files_and_keeps_it_at_the_prompt() {
        let r = read_cmd("%CLIENT_ID%:ab%Cd9%x", true, true, false, &env).unwrap();
        assert_eq!(
            (r.meant.as_str(), r.sent.as_str()),
            ("the-id:ab%Cd9%x", "the-id:abx")
        );
        assert_eq!(r.cut, vec![(10, 5, true)]);
        let r = read_cmd("%CLIENT_ID%:ab%Cd9%x", true, false, false, &env).unwrap();
        assert_eq!(r.sent, "the-id:ab%Cd9%x");
        assert!(r.cut.is_empty());
        // A lone `%` is dropped in a batch file; `%%` is one `%`.
        let r = read_cmd("ab%cd", true, true, false, &env).unwrap();
        assert_eq!(
            (r.meant.as_str(), r.sent.as_str(), r.cut[0]),
            ("ab%cd", "abcd", (3, 1, true))
        );
        let r = read_cmd("ab%%cd", true, true, false, &env).unwrap();
        assert_eq!((r.meant.as_str(), r.sent.as_str()), ("ab%cd", "ab%cd"));
        // `""` inside quotes is one `"`; `^` escapes outside quotes only.
        let r = read_cmd("a\"\"b\" c^&d", true, false, false, &env).unwrap();
        assert_eq!(r.sent, "a\"b c&d");
        // Delayed expansion: `!x!` and a lone `!`.
        let r = read_cmd("ab!Cd!e!f", true, true, true, &env).unwrap();
        assert_eq!(r.sent, "abef");
        assert!(read_cmd("%CLIENT_SECRET%", true, true, false, &env).is_none());
    }

    #[test]
    fn the_dialect_decides_the_reading() {
        let src = "curl.exe -u \"$env:CLIENT_ID:ab$Cd9x\" https://x";
        let at = src.find("$env").unwrap();
        let r = read(src, "t.ps1", at, "$env:CLIENT_ID:ab$Cd9x", &env).unwrap();
        assert_eq!((r.sent.as_str(), r.shell), ("the-id:ab", Shell::PowerShell));
        let src = "curl -u \"%CLIENT_ID%:ab%Cd9%x\" https://x";
        let at = src.find("%C").unwrap();
        let r = read(src, "t.bat", at, "%CLIENT_ID%:ab%Cd9%x", &env).unwrap();
        assert_eq!((r.sent.as_str(), r.shell), ("the-id:abx", Shell::Batch));
        let r = read(src, "paste.txt", at, "%CLIENT_ID%:ab%Cd9%x", &env);
        assert_eq!(r.map(|r| r.shell), Some(Shell::Sh));
    }
}
