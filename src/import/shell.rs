//! The shell words of a pasted command: the one place shell quoting lives.
//!
//! A curl command goes through this small shell-word lexer of our own rather than `shlex`,
//! because the request depends on things a plain splitter loses: which words were
//! single-quoted (no `$VAR` expansion), which parts came from which environment variable (so
//! a finding can say "the secret from `$GENESYS_SECRET`"), the input line of each word, and
//! the pasted shapes that are not POSIX at all: cmd.exe (`^` continuations, `^"` quoting,
//! `%VAR%`) and PowerShell (backtick continuations, `$env:VAR`). Shell variables assigned
//! earlier in the paste (`CLIENT_ID=…` then `curl -u "$CLIENT_ID:…"`) are expanded, and the
//! common `$(echo -n "$ID:$SECRET" | base64)` header is evaluated the way GNU coreutils
//! would (including its line wrap at 76 characters, a real cause of broken Basic headers).
//!
//! # Plan
//!
//! * `shell.rs` (this file): the dialect of the input ([`Mode`]), the words and commands it
//!   yields, and the lexer's core: commands, words, continuations, redirections, comments,
//!   variable assignments and the expansion of a variable.
//! * `shell/posix.rs`: sh/bash quoting (`'…'`, `"…"`, `\`, `$'…'`), `$NAME`, `${NAME:-x}`,
//!   `$(…)` and backticks; PowerShell shares its quote handling with its own escape.
//! * `shell/cmd.rs`: cmd.exe (`^` escapes, `"` toggles and `""` inside quotes, MSVCRT
//!   argument rules, percent expansion as at the prompt or in a batch file: see [`Dialect`]).
//! * `shell/powershell.rs`: PowerShell assignments, `$env:NAME`, backtick escapes, and the
//!   note that `curl` is Invoke-WebRequest in Windows PowerShell 5.1.
//! * `shell/pipeline.rs`: `echo … | base64` and `printf … | base64`, evaluated.
//! * `shell/meant.rs`: a credential's text read by the same shell into what the author meant
//!   and what the shell sends (the intent model's reading, in `import/intent.rs`).
//!
//! The dialect comes from the file's extension (`.ps1`; `.cmd` and `.bat` are batch files)
//! or else from the text ([`dialect`]).

use super::{EnvState, ImportError, LineIndex, Span, Src, Traced};
use crate::intent::Shell;
use std::collections::HashMap;

mod cmd;
pub(crate) mod meant;
mod pipeline;
mod posix;
mod powershell;
#[cfg(test)]
mod tests;

pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// How the command was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Posix,
    /// cmd.exe: `^` escapes and continues lines, only double quotes, `%VAR%`.
    Cmd,
    /// PowerShell: backtick escapes and continues lines, `$env:VAR`.
    PowerShell,
}

/// The shell an input is written for, and how cmd reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dialect {
    pub(crate) mode: Mode,
    /// cmd.exe running a batch file: an unset `%NAME%` is nothing, a lone `%` is dropped.
    pub(crate) batch: bool,
    /// A batch file with `setlocal EnableDelayedExpansion`: `!NAME!` expands too.
    pub(crate) delayed: bool,
}

impl Dialect {
    /// The shell, as the intent model names it.
    pub(crate) fn shell(self) -> Shell {
        match self.mode {
            Mode::Posix => Shell::Sh,
            Mode::Cmd if self.batch => Shell::Batch,
            Mode::Cmd => Shell::Cmd,
            Mode::PowerShell => Shell::PowerShell,
        }
    }
}

/// The dialect of an input: by the file's extension (`.ps1`; `.cmd` and `.bat` are batch
/// files; `.sh`, `.bash`), else by what the text shows (a `^` or backtick continuation,
/// `^"` quoting, `$env:`, a PowerShell `$name = …` assignment, `@echo off`).
pub(crate) fn dialect(text: &str, source: &str) -> Dialect {
    let lower = source.to_ascii_lowercase();
    let ext = |e: &str| lower.ends_with(e);
    let batch_text = text.lines().any(|l| {
        let t = l.trim_start().to_ascii_lowercase();
        t.starts_with("@echo off") || t.starts_with("setlocal") || t.starts_with("rem ")
    }) || text.contains("%%")
        || text.contains("%~");
    let mode = if ext(".ps1") || ext(".psm1") {
        Mode::PowerShell
    } else if ext(".cmd") || ext(".bat") {
        Mode::Cmd
    } else if ext(".sh") || ext(".bash") || ext(".zsh") {
        Mode::Posix
    } else {
        detect_mode(text)
    };
    let batch = mode == Mode::Cmd && (ext(".cmd") || ext(".bat") || batch_text);
    let delayed = batch && text.to_ascii_lowercase().contains("enabledelayedexpansion");
    Dialect {
        mode,
        batch,
        delayed,
    }
}

fn detect_mode(text: &str) -> Mode {
    let ends = |c: char| text.lines().any(|l| l.trim_end().ends_with(c));
    let ps_assignment = text.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with('$')
            && t[1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .is_some_and(|e| t[1 + e..].trim_start().starts_with('='))
    });
    let batch = text
        .lines()
        .any(|l| l.trim_start().to_ascii_lowercase().starts_with("@echo off"));
    if ends('^') || text.contains("^\"") || batch {
        Mode::Cmd
    } else if ends('`') || text.contains("$env:") || ps_assignment {
        Mode::PowerShell
    } else {
        Mode::Posix
    }
}

/// One shell word.
#[derive(Clone, Debug)]
pub(crate) struct Word {
    pub(crate) text: Traced,
    pub(crate) line: usize,
    pub(crate) col: usize,
}

/// One simple command.
#[derive(Clone, Debug, Default)]
pub(crate) struct Command {
    pub(crate) words: Vec<Word>,
    pub(crate) notes: Vec<String>,
}

/// A word being built.
#[derive(Default)]
struct WordBuf {
    t: Traced,
    started: bool,
    start: usize,
}

impl WordBuf {
    fn begin(&mut self, at: usize) {
        if !self.started {
            self.started = true;
            self.start = at;
        }
    }

    fn push_char(&mut self, c: char, line: usize, at: usize) {
        self.begin(at);
        let pos = self.t.text.len();
        self.t.text.push(c);
        let end = self.t.text.len();
        if let Some(last) = self.t.spans.last_mut()
            && last.src == Src::Literal
            && last.line == Some(line)
            && last.range.end == pos
        {
            last.range.end = end;
            return;
        }
        self.t.spans.push(Span {
            range: pos..end,
            src: Src::Literal,
            line: Some(line),
            expr: None,
        });
    }

    fn push_traced(&mut self, t: &Traced, at: usize) {
        self.begin(at);
        self.t.push(t);
    }
}

struct Lexer<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    i: usize,
    end: usize,
    lines: &'a LineIndex,
    mode: Mode,
    /// cmd.exe reading a batch file (see [`Dialect`]).
    batch: bool,
    delayed: bool,
    env: Env<'a>,
    vars: HashMap<String, Traced>,
    source: &'a str,
    /// What the shell does that the words do not show (a PowerShell parse error), for the
    /// command being read.
    notes: Vec<String>,
    /// Added to line numbers: a nested command (`$(…)`) is lexed from its own text.
    line_offset: usize,
}

/// Blanks shell prompts at the start of lines (`$ `, `PS> `, `PS C:\dir> `, `C:\dir>`),
/// keeping every byte offset, so lines and columns still match the input.
fn strip_prompts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let lead = line.len() - line.trim_start().len();
        let rest = &line[lead..];
        let prompt_len = if rest.starts_with("$ ") {
            Some(2)
        } else if rest.starts_with("PS") || rest.get(1..3) == Some(":\\") {
            rest.find("> ")
                .filter(|i| {
                    rest[..*i].is_ascii() && !rest[..*i].contains(' ') || rest.starts_with("PS")
                })
                .filter(|i| rest[..*i].is_ascii() && !rest[..*i].contains('"'))
                .map(|i| i + 2)
        } else {
            None
        };
        match prompt_len {
            Some(n) if rest.is_char_boundary(n) => {
                out.push_str(&line[..lead]);
                out.push_str(&" ".repeat(n));
                out.push_str(&rest[n..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

pub(crate) fn lex_all(text: &str, source: &str, env: Env) -> Result<Vec<Command>, ImportError> {
    let dialect = dialect(text, source);
    let stripped = strip_prompts(text);
    let text = stripped.as_str();
    let lines = LineIndex::new(text);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end = chars.len();
    let mut lx = Lexer {
        text,
        chars,
        i: 0,
        end,
        lines: &lines,
        mode: dialect.mode,
        batch: dialect.batch,
        delayed: dialect.delayed,
        notes: Vec::new(),
        env,
        vars: HashMap::new(),
        source,
        line_offset: 0,
    };
    let mut out = Vec::new();
    while let Some(mut cmd) = lx.command()? {
        if !lx.assignment(&cmd) {
            if dialect.mode == Mode::PowerShell {
                powershell::curl_alias_note(&mut cmd);
                powershell::native_quote_note(&mut cmd);
            }
            cmd.notes.append(&mut lx.notes);
            out.push(cmd);
        }
    }
    Ok(out)
}

impl<'a> Lexer<'a> {
    fn peek(&self, k: usize) -> Option<char> {
        let j = self.i + k;
        (j < self.end).then(|| self.chars[j].1)
    }

    fn byte(&self) -> usize {
        self.chars
            .get(self.i)
            .map(|c| c.0)
            .unwrap_or(self.text.len())
    }

    fn line(&self) -> usize {
        self.lines.line(self.byte()) + self.line_offset
    }

    fn err_here(&self, at: usize, msg: String) -> ImportError {
        let (l, c) = self.lines.line_col(self.text, at);
        ImportError::new(self.source, msg).at(l + self.line_offset, Some(c))
    }

    fn escape_char(&self) -> char {
        match self.mode {
            Mode::Posix => '\\',
            Mode::Cmd => '^',
            Mode::PowerShell => '`',
        }
    }

    /// True at an escape character that ends a line: a continuation. Tolerates spaces after
    /// it, a common paste accident.
    fn at_continuation(&self) -> Option<usize> {
        if self.peek(0) != Some(self.escape_char()) {
            return None;
        }
        let mut k = 1;
        while matches!(self.peek(k), Some(' ' | '\t' | '\r')) {
            k += 1;
        }
        match self.peek(k) {
            Some('\n') => Some(k + 1),
            None if k > 1 || self.peek(1).is_none() => Some(k),
            _ => None,
        }
    }

    /// Reads the next command; `None` at the end of input.
    fn command(&mut self) -> Result<Option<Command>, ImportError> {
        let mut cmd = Command::default();
        while let Some(c) = self.peek(0) {
            if let Some(skip) = self.at_continuation() {
                self.i += skip;
                continue;
            }
            match c {
                ' ' | '\t' | '\r' => self.i += 1,
                '\n' => {
                    self.i += 1;
                    if !cmd.words.is_empty() {
                        break;
                    }
                }
                '#' if self.mode != Mode::Cmd => self.skip_comment(),
                ';' | '|' | '&' | '(' | ')' => {
                    self.i += 1;
                    while matches!(self.peek(0), Some('|' | '&')) {
                        self.i += 1;
                    }
                    if self.peek(0) == Some('>') {
                        // `&>` redirection
                        self.redirect(&mut cmd);
                        continue;
                    }
                    if !cmd.words.is_empty() {
                        break;
                    }
                }
                '>' | '<' => self.redirect(&mut cmd),
                '$' if self.mode == Mode::Posix && self.subst_is_curl() => {
                    // `TOKEN=$(curl …)`: the substitution is a command of its own.
                    self.i += 2;
                    if !cmd.words.is_empty() {
                        break;
                    }
                }
                _ => {
                    if cmd.words.is_empty()
                        && self.mode == Mode::PowerShell
                        && self.ps_assignment()?
                    {
                        continue;
                    }
                    let w = self.word()?;
                    if let Some(w) = w {
                        cmd.words.push(w);
                    }
                }
            }
        }
        Ok((!cmd.words.is_empty()).then_some(cmd))
    }

    /// True at `$(curl …`: a substitution that is the command to read.
    fn subst_is_curl(&self) -> bool {
        if self.peek(0) != Some('$') || self.peek(1) != Some('(') {
            return false;
        }
        let at = self
            .chars
            .get(self.i + 2)
            .map(|c| c.0)
            .unwrap_or(self.text.len());
        let rest = self.text[at..].trim_start();
        rest.starts_with("curl ")
            || rest.starts_with(
                "curl\
",
            )
            || rest.starts_with(
                "curl
",
            )
    }

    fn skip_comment(&mut self) {
        while let Some(c) = self.peek(0) {
            if c == '\n' {
                break;
            }
            self.i += 1;
        }
    }

    /// `> file`, `2>/dev/null`, `>> log`: drops the target (and a file-descriptor number).
    fn redirect(&mut self, cmd: &mut Command) {
        let adjacent = self.i > 0
            && !matches!(
                self.chars.get(self.i - 1).map(|c| c.1),
                Some(' ' | '\t' | '\n')
            );
        if adjacent
            && let Some(last) = cmd.words.last()
            && !last.text.text.is_empty()
            && last.text.text.chars().all(|c| c.is_ascii_digit())
        {
            cmd.words.pop();
        }
        while matches!(self.peek(0), Some('>' | '<' | '&')) {
            self.i += 1;
        }
        if matches!(self.peek(0), Some('0'..='9' | '-'))
            && self.chars.get(self.i - 1).map(|c| c.1) == Some('&')
        {
            self.i += 1;
            return;
        }
        while matches!(self.peek(0), Some(' ' | '\t')) {
            self.i += 1;
        }
        let _ = self.word();
    }

    /// Reads one word; `None` if nothing but an operator was there.
    fn word(&mut self) -> Result<Option<Word>, ImportError> {
        let mut buf = WordBuf::default();
        let start_byte = self.byte();
        let mut ms_quote = false; // cmd.exe: inside a quoted argument (MSVCRT rules)
        let mut cmd_quote = false; // cmd.exe: inside quotes cmd itself sees
        while let Some(c) = self.peek(0) {
            if let Some(skip) = self.at_continuation()
                && !(self.mode == Mode::Cmd && cmd_quote)
            {
                self.i += skip;
                continue;
            }
            let at = self.byte();
            let line = self.line();
            match self.mode {
                Mode::Posix | Mode::PowerShell => {
                    if matches!(
                        c,
                        ' ' | '\t' | '\n' | '\r' | ';' | '|' | '&' | '<' | '>' | '(' | ')'
                    ) {
                        break;
                    }
                    if c == '$' && self.mode == Mode::Posix && self.subst_is_curl() {
                        break;
                    }
                    self.posix_char(&mut buf, c, at, line)?;
                }
                Mode::Cmd => {
                    if !ms_quote && matches!(c, ' ' | '\t' | '\r') || c == '\n' {
                        break;
                    }
                    if !ms_quote && !cmd_quote && matches!(c, '&' | '|' | '<' | '>') {
                        break;
                    }
                    self.cmd_char(&mut buf, c, at, line, &mut ms_quote, &mut cmd_quote);
                }
            }
        }
        if !buf.started {
            return Ok(None);
        }
        let (line, col) = self.lines.line_col(self.text, buf.start.max(start_byte));
        Ok(Some(Word {
            text: buf.t,
            line,
            col,
        }))
    }

    /// The value of a variable: assigned earlier in the input, else from the environment.
    fn expand(&self, name: &str, default: Option<String>, written: &str, line: usize) -> Traced {
        if let Some(v) = self.vars.get(name) {
            return v.clone().with_expr(written);
        }
        let env_t = |value: String, state| {
            Traced::new(
                value,
                Src::Env {
                    name: name.to_string(),
                    state,
                    expr: written.to_string(),
                },
                Some(line),
            )
            .with_expr(written)
        };
        match ((self.env)(name), default) {
            (Some(v), Some(d)) if v.is_empty() => env_t(d, EnvState::UnsetDefault),
            (Some(v), _) => env_t(v, EnvState::Set),
            (None, Some(d)) => env_t(d, EnvState::UnsetDefault),
            (None, None) => env_t(written.to_string(), EnvState::Unset),
        }
    }

    /// Records `NAME=value` commands (and `export`/`set` ones); true if `cmd` was one.
    fn assignment(&mut self, cmd: &Command) -> bool {
        let mut words = cmd.words.iter().peekable();
        if let Some(w) = words.peek()
            && matches!(
                w.text.text.as_str(),
                "export" | "set" | "SET" | "declare" | "local" | "readonly"
            )
        {
            words.next();
        }
        let rest: Vec<&Word> = words.collect();
        if rest.is_empty() {
            return false;
        }
        let mut parsed = Vec::new();
        for w in &rest {
            let Some(eq) = w.text.text.find('=') else {
                return false;
            };
            let name = &w.text.text[..eq];
            let valid = !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit());
            if !valid {
                return false;
            }
            parsed.push((name.to_string(), w.text.slice(eq + 1..w.text.text.len())));
        }
        for (name, value) in parsed {
            self.vars.insert(name, value);
        }
        true
    }
}
