//! `--from-curl`: a curl command line as people paste it.
//!
//! The command goes through a small shell-word lexer of our own rather than `shlex`, because
//! the request depends on things a plain splitter loses: which words were single-quoted (no
//! `$VAR` expansion), which parts came from which environment variable (so a finding can say
//! "the secret from `$GENESYS_SECRET`"), the input line of each word, and the pasted shapes
//! that are not POSIX at all: cmd.exe (`^` continuations, `^"` quoting, `%VAR%`) and
//! PowerShell (backtick continuations, `$env:VAR`). Shell variables assigned earlier in the
//! paste (`CLIENT_ID=…` then `curl -u "$CLIENT_ID:…"`) are expanded, and the common
//! `$(echo -n "$ID:$SECRET" | base64)` header is evaluated the way GNU coreutils would
//! (including its line wrap at 76 characters, a real cause of broken Basic headers).
//!
//! Options are then read the way curl reads them: `-d` sends its bytes as they are (a `+` in
//! a secret reaches the server as a space), `--data-urlencode` encodes as `curl_easy_escape`
//! does, `-u` builds the Basic header, `-d` implies POST and a form content type unless a
//! header overrides it, `-G` moves the data to the query.

use super::{
    Draft, DraftBasic, DraftHeader, DraftParam, EnvState, ImportError, LineIndex, Span, Src,
    Traced, WHAT_HEADERS, WHAT_SECRET, basic_header, finish, form_pairs, percent_encode_strict,
};
use crate::request::{FORM, ImportedRequest, InputKind, Unresolved};
use crate::shape::intended_from_raw_form;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::collections::HashMap;

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Imports a curl command.
pub(crate) fn parse(text: &str, source: &str, env: Env) -> Result<ImportedRequest, ImportError> {
    let commands = lex_all(text, source, env)?;
    let Some(cmd) = pick_command(&commands) else {
        let first = commands
            .iter()
            .find_map(|c| c.words.first())
            .map(|w| (w.line, w.col));
        let err = ImportError::new(source, "not a curl command: it does not start with `curl`");
        return Err(match first {
            Some((l, c)) => err.at(l, Some(c)),
            None => err,
        });
    };
    let mut draft = build(cmd, source)?;
    if commands.iter().filter(|c| is_curl(c)).count() > 1 {
        draft.notes.push(format!(
            "the input has several curl commands; the one at line {} is read",
            cmd.words[0].line
        ));
    }
    draft.notes.extend(cmd.notes.iter().cloned());
    Ok(finish(draft, InputKind::Curl, source))
}

// ---------------------------------------------------------------------------------------
// Lexing.

/// How the command was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Posix,
    /// cmd.exe: `^` escapes and continues lines, only double quotes, `%VAR%`.
    Cmd,
    /// PowerShell: backtick escapes and continues lines, `$env:VAR`.
    PowerShell,
}

fn detect_mode(text: &str) -> Mode {
    let ends = |c: char| text.lines().any(|l| l.trim_end().ends_with(c));
    if ends('^') || text.contains("^\"") {
        Mode::Cmd
    } else if ends('`') || text.contains("$env:") {
        Mode::PowerShell
    } else {
        Mode::Posix
    }
}

/// One shell word.
#[derive(Clone, Debug)]
struct Word {
    text: Traced,
    line: usize,
    col: usize,
}

/// One simple command.
#[derive(Clone, Debug, Default)]
struct Command {
    words: Vec<Word>,
    notes: Vec<String>,
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
    env: Env<'a>,
    vars: HashMap<String, Traced>,
    source: &'a str,
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

fn lex_all(text: &str, source: &str, env: Env) -> Result<Vec<Command>, ImportError> {
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
        mode: detect_mode(text),
        env,
        vars: HashMap::new(),
        source,
        line_offset: 0,
    };
    let mut out = Vec::new();
    while let Some(cmd) = lx.command()? {
        if !lx.assignment(&cmd) {
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

    fn posix_char(
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

    fn double_quoted(&mut self, buf: &mut WordBuf, open: usize) -> Result<(), ImportError> {
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
    fn dollar(
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
                let (name, default) = split_default(&inner);
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
    fn ansi_c(&mut self, buf: &mut WordBuf, open: usize) -> Result<(), ImportError> {
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
    fn parens(&mut self, at: usize) -> Result<String, ImportError> {
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

    fn backticks(&mut self, at: usize) -> Result<String, ImportError> {
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
    fn substitution(&self, body: &str, written: String, line: usize) -> Traced {
        if self.mode == Mode::PowerShell
            && let Some(v) = ps_variable(body.trim())
        {
            return self.expand(&v, None, body.trim(), line);
        }
        eval_base64_pipeline(body, line, self.env, &self.vars)
            .unwrap_or_else(|| Traced::unknown(&written, written.clone(), Some(line)))
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

    fn cmd_char(
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

    /// PowerShell `$name = "value"` / `$env:NAME = "value"` at the start of a command.
    fn ps_assignment(&mut self) -> Result<bool, ImportError> {
        if self.peek(0) != Some('$') {
            return Ok(false);
        }
        let mut j = self.i + 1;
        let rest = &self.text[self.chars.get(j).map(|c| c.0).unwrap_or(self.text.len())..];
        if rest.to_ascii_lowercase().starts_with("env:") {
            j += 4;
        }
        let name_start = j;
        while j < self.end && (self.chars[j].1.is_ascii_alphanumeric() || self.chars[j].1 == '_') {
            j += 1;
        }
        if j == name_start {
            return Ok(false);
        }
        let name: String = self.chars[name_start..j].iter().map(|c| c.1).collect();
        let mut k = j;
        while k < self.end && matches!(self.chars[k].1, ' ' | '\t') {
            k += 1;
        }
        if k >= self.end
            || self.chars[k].1 != '='
            || self.chars.get(k + 1).map(|c| c.1) == Some('=')
        {
            return Ok(false);
        }
        self.i = k + 1;
        while matches!(self.peek(0), Some(' ' | '\t')) {
            self.i += 1;
        }
        if let Some(w) = self.word()? {
            self.vars.insert(name, w.text);
        }
        Ok(true)
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

/// `$env:NAME` or `$name` alone: a PowerShell subexpression that is just a variable.
fn ps_variable(s: &str) -> Option<String> {
    let rest = s.strip_prefix('$')?;
    let name = match rest.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("env:") => &rest[4..],
        _ => rest,
    };
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| name.to_string())
}

fn ps_escape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        other => other,
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

/// `echo [-n] WORDS | base64 [-w0]` and `printf FMT ARGS | base64`: the Basic header people
/// build by hand, evaluated as GNU coreutils does (a trailing newline from `echo`, a line
/// break every 76 characters unless `-w0`).
fn eval_base64_pipeline(
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

// ---------------------------------------------------------------------------------------
// Choosing the command and reading its options.

fn is_curl(cmd: &Command) -> bool {
    curl_index(cmd).is_some()
}

/// Index of the `curl` word, after `VAR=x` prefixes, `sudo`, `$ ` prompts and the like.
fn curl_index(cmd: &Command) -> Option<usize> {
    for (i, w) in cmd.words.iter().enumerate() {
        let t = w.text.text.as_str();
        let base = t.rsplit(['/', '\\']).next().unwrap_or(t);
        if matches!(base.to_ascii_lowercase().as_str(), "curl" | "curl.exe") {
            return Some(i);
        }
        let skippable = matches!(
            t,
            "$" | ">" | "PS>" | "sudo" | "command" | "exec" | "time" | "%"
        ) || (t.contains('=') && !t.starts_with('-'));
        if !skippable {
            return None;
        }
    }
    None
}

fn pick_command(commands: &[Command]) -> Option<&Command> {
    let curls: Vec<&Command> = commands.iter().filter(|c| is_curl(c)).collect();
    let telling = |c: &&Command| {
        c.words
            .iter()
            .any(|w| w.text.text.contains("/oauth/token") || w.text.text.contains("grant_type"))
    };
    curls.iter().find(|c| telling(c)).or(curls.first()).copied()
}

/// What an option does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opt {
    Request,
    Header,
    Data(DataKind),
    UrlQuery,
    User,
    Json,
    Get,
    Head,
    Url,
    Form { literal: bool },
    UserAgent,
    Referer,
    Cookie,
    Bearer,
    Upload,
    Config,
    Proxy,
    AuthScheme(&'static str),
    Ignore,
    IgnoreArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DataKind {
    /// `-d`, `--data`, `--data-ascii`: `@file` reads a file.
    Ascii,
    /// `--data-raw`: no `@` handling.
    Raw,
    /// `--data-binary`.
    Binary,
    /// `--data-urlencode`.
    UrlEncode,
}

impl Opt {
    fn takes_arg(self) -> bool {
        !matches!(
            self,
            Opt::Get | Opt::Head | Opt::Ignore | Opt::AuthScheme(_)
        )
    }
}

const LONG: &[(&str, Opt)] = &[
    ("request", Opt::Request),
    ("header", Opt::Header),
    ("data", Opt::Data(DataKind::Ascii)),
    ("data-ascii", Opt::Data(DataKind::Ascii)),
    ("data-raw", Opt::Data(DataKind::Raw)),
    ("data-binary", Opt::Data(DataKind::Binary)),
    ("data-urlencode", Opt::Data(DataKind::UrlEncode)),
    ("url-query", Opt::UrlQuery),
    ("user", Opt::User),
    ("json", Opt::Json),
    ("get", Opt::Get),
    ("head", Opt::Head),
    ("url", Opt::Url),
    ("form", Opt::Form { literal: false }),
    ("form-string", Opt::Form { literal: true }),
    ("user-agent", Opt::UserAgent),
    ("referer", Opt::Referer),
    ("cookie", Opt::Cookie),
    ("oauth2-bearer", Opt::Bearer),
    ("upload-file", Opt::Upload),
    ("config", Opt::Config),
    ("proxy", Opt::Proxy),
    ("basic", Opt::AuthScheme("basic")),
    ("digest", Opt::AuthScheme("digest")),
    ("ntlm", Opt::AuthScheme("ntlm")),
    ("negotiate", Opt::AuthScheme("negotiate")),
    ("anyauth", Opt::AuthScheme("anyauth")),
];

/// Long options that take an argument and do not change the request.
#[rustfmt::skip]
const LONG_WITH_ARG: &[&str] = &[
    "abstract-unix-socket", "alt-svc", "aws-sigv4", "cacert", "capath", "cert", "cert-type",
    "ciphers", "connect-timeout", "connect-to", "continue-at", "cookie-jar", "create-file-mode",
    "crlfile", "curves", "delegation", "dns-interface", "dns-ipv4-addr", "dns-ipv6-addr",
    "dns-servers", "doh-url", "dump-header", "ech", "egd-file", "engine", "etag-compare",
    "etag-save", "expect100-timeout", "ftp-account", "ftp-alternative-to-user", "ftp-method",
    "ftp-port", "ftp-ssl-ccc-mode", "happy-eyeballs-timeout-ms", "haproxy-clientip", "hostpubmd5",
    "hostpubsha256", "hsts", "interface", "ip-tos", "ipfs-gateway", "keepalive-time",
    "keepalive-cnt", "key", "key-type", "krb", "libcurl", "limit-rate", "local-port",
    "login-options", "mail-auth", "mail-from", "mail-rcpt", "max-filesize", "max-redirs",
    "max-time", "netrc-file", "noproxy", "output", "output-dir", "parallel-max", "pass",
    "pinnedpubkey", "preproxy", "proto", "proto-default", "proto-redir", "proxy-cacert",
    "proxy-capath", "proxy-cert", "proxy-cert-type", "proxy-ciphers", "proxy-crlfile",
    "proxy-header", "proxy-key", "proxy-key-type", "proxy-pass", "proxy-pinnedpubkey",
    "proxy-service-name", "proxy-tls13-ciphers", "proxy-tlsauthtype", "proxy-tlspassword",
    "proxy-tlsuser", "proxy-user", "proxy1.0", "pubkey", "quote", "random-file", "range", "rate",
    "request-target", "resolve", "retry", "retry-delay", "retry-max-time", "sasl-authzid",
    "service-name", "socks4", "socks4a", "socks5", "socks5-gssapi-service", "socks5-hostname",
    "speed-limit", "speed-time", "stderr", "telnet-option", "tftp-blksize", "time-cond", "tls-max",
    "tls13-ciphers", "tlsauthtype", "tlspassword", "tlsuser", "trace", "trace-ascii",
    "trace-config", "unix-socket", "variable", "write-out",
];

/// Long options without an argument that do not change the request.
#[rustfmt::skip]
const LONG_NO_ARG: &[&str] = &[
    "anyauth", "append", "cert-status", "compressed", "compressed-ssh", "create-dirs", "crlf",
    "disable", "disable-eprt", "disable-epsv", "doh-cert-status", "doh-insecure", "fail",
    "fail-early", "fail-with-body", "false-start", "ftp-create-dirs", "ftp-pasv", "ftp-pret",
    "ftp-skip-pasv-ip", "ftp-ssl-ccc", "ftp-ssl-control", "globoff", "haproxy-protocol", "help",
    "http0.9", "http1.0", "http1.1", "http2", "http2-prior-knowledge", "http3", "http3-only",
    "ignore-content-length", "include", "insecure", "ipv4", "ipv6", "junk-session-cookies",
    "list-only", "location", "location-trusted", "manual", "mptcp", "netrc", "netrc-optional",
    "next", "no-alpn", "no-buffer", "no-clobber", "no-keepalive", "no-npn", "no-progress-meter",
    "no-sessionid", "ntlm-wb", "parallel", "parallel-immediate", "path-as-is", "post301",
    "post302", "post303", "progress-bar", "proxy-anyauth", "proxy-basic", "proxy-digest",
    "proxy-http2", "proxy-insecure", "proxy-negotiate", "proxy-ntlm", "proxy-ssl-allow-beast",
    "proxytunnel", "raw", "remote-header-name", "remote-name", "remote-name-all",
    "remove-on-error", "retry-all-errors", "retry-connrefused", "sasl-ir", "show-error",
    "show-headers", "silent", "skip-existing", "socks5-basic", "socks5-gssapi",
    "socks5-gssapi-nec", "ssl", "ssl-allow-beast", "ssl-auto-client-cert", "ssl-no-revoke",
    "ssl-reqd", "ssl-revoke-best-effort", "sslv2", "sslv3", "styled-output",
    "suppress-connect-headers", "tcp-fastopen", "tcp-nodelay", "tftp-no-options", "tlsv1",
    "tlsv1.0", "tlsv1.1", "tlsv1.2", "tlsv1.3", "tr-encoding", "trace-ids", "trace-time",
    "use-ascii", "verbose", "version", "xattr",
];

fn long_opt(name: &str) -> Option<Opt> {
    if let Some((_, o)) = LONG.iter().find(|(n, _)| *n == name) {
        return Some(*o);
    }
    if LONG_WITH_ARG.contains(&name) {
        return Some(Opt::IgnoreArg);
    }
    if LONG_NO_ARG.contains(&name) {
        return Some(Opt::Ignore);
    }
    None
}

fn short_opt(c: char) -> Option<Opt> {
    Some(match c {
        'X' => Opt::Request,
        'H' => Opt::Header,
        'd' => Opt::Data(DataKind::Ascii),
        'u' => Opt::User,
        'G' => Opt::Get,
        'I' => Opt::Head,
        'F' => Opt::Form { literal: false },
        'A' => Opt::UserAgent,
        'e' => Opt::Referer,
        'b' => Opt::Cookie,
        'T' => Opt::Upload,
        'K' => Opt::Config,
        'x' => Opt::Proxy,
        'c' | 'C' | 'D' | 'E' | 'm' | 'o' | 'P' | 'Q' | 'r' | 't' | 'U' | 'w' | 'y' | 'Y' | 'z' => {
            Opt::IgnoreArg
        }
        '0' | '1' | '2' | '3' | '4' | '6' | 'a' | 'B' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l'
        | 'L' | 'M' | 'n' | 'N' | 'O' | 'p' | 'q' | 'R' | 's' | 'S' | 'v' | 'V' | 'Z' | '#' => {
            Opt::Ignore
        }
        _ => return None,
    })
}

/// One option with its argument.
struct OptUse {
    opt: Opt,
    arg: Option<Word>,
    line: usize,
}

/// A `-d`-like item.
struct DataItem {
    kind: DataKind,
    word: Word,
}

/// Everything the options said, before the request is assembled.
#[derive(Default)]
struct Options {
    method: Option<(String, usize)>,
    urls: Vec<Word>,
    headers: Vec<Word>,
    data: Vec<DataItem>,
    json: Vec<Word>,
    forms: Vec<(Word, bool)>,
    url_query: Vec<Word>,
    user: Option<Word>,
    get: bool,
    head: bool,
    upload: bool,
    user_agent: Option<Word>,
    referer: Option<Word>,
    cookie: Option<Word>,
    bearer: Option<Word>,
    notes: Vec<String>,
}

fn read_options(cmd: &Command, start: usize, source: &str) -> Result<Options, ImportError> {
    let words = &cmd.words[start + 1..];
    let mut uses: Vec<OptUse> = Vec::new();
    let mut o = Options::default();
    let mut i = 0;
    let mut only_urls = false;
    while i < words.len() {
        let w = &words[i];
        let t = w.text.text.as_str();
        i += 1;
        if only_urls || !t.starts_with('-') || t == "-" {
            o.urls.push(w.clone());
            continue;
        }
        if t == "--" {
            only_urls = true;
            continue;
        }
        if let Some(name) = t.strip_prefix("--") {
            let name = name
                .strip_prefix("no-")
                .filter(|n| long_opt(n).is_some())
                .unwrap_or(name);
            let opt = match long_opt(name) {
                Some(o) => o,
                None => {
                    o.notes.push(format!(
                        "unknown curl option `{t}` ignored (line {})",
                        w.line
                    ));
                    Opt::Ignore
                }
            };
            let arg = if opt.takes_arg() {
                let a = words.get(i).cloned();
                if a.is_none() {
                    return Err(ImportError::new(
                        source,
                        format!("curl option `{t}` needs a value"),
                    )
                    .at(w.line, Some(w.col)));
                }
                i += 1;
                a
            } else {
                None
            };
            uses.push(OptUse {
                opt,
                arg,
                line: w.line,
            });
            continue;
        }
        // A cluster of short options: `-sSL`, `-XPOST`, `-d@file`.
        let chars: Vec<(usize, char)> = t.char_indices().skip(1).collect();
        let mut k = 0;
        while k < chars.len() {
            let (pos, c) = chars[k];
            k += 1;
            let opt = match short_opt(c) {
                Some(o) => o,
                None => {
                    o.notes.push(format!(
                        "unknown curl option `-{c}` ignored (line {})",
                        w.line
                    ));
                    Opt::Ignore
                }
            };
            if !opt.takes_arg() {
                uses.push(OptUse {
                    opt,
                    arg: None,
                    line: w.line,
                });
                continue;
            }
            let rest_at = pos + c.len_utf8();
            let arg = if rest_at < t.len() {
                Some(Word {
                    text: w.text.slice(rest_at..t.len()),
                    line: w.line,
                    col: w.col + rest_at,
                })
            } else {
                let a = words.get(i).cloned();
                if a.is_none() {
                    return Err(ImportError::new(
                        source,
                        format!("curl option `-{c}` needs a value"),
                    )
                    .at(w.line, Some(w.col)));
                }
                i += 1;
                a
            };
            uses.push(OptUse {
                opt,
                arg,
                line: w.line,
            });
            break;
        }
    }
    for u in uses {
        apply_option(&mut o, u);
    }
    Ok(o)
}

fn apply_option(o: &mut Options, u: OptUse) {
    let arg = u.arg;
    match (u.opt, arg) {
        (Opt::Request, Some(a)) => o.method = Some((a.text.text.clone(), a.line)),
        (Opt::Header, Some(a)) => o.headers.push(a),
        (Opt::Data(kind), Some(a)) => o.data.push(DataItem { kind, word: a }),
        (Opt::UrlQuery, Some(a)) => o.url_query.push(a),
        (Opt::User, Some(a)) => o.user = Some(a),
        (Opt::Json, Some(a)) => o.json.push(a),
        (Opt::Url, Some(a)) => o.urls.push(a),
        (Opt::Form { literal }, Some(a)) => o.forms.push((a, literal)),
        (Opt::UserAgent, Some(a)) => o.user_agent = Some(a),
        (Opt::Referer, Some(a)) => o.referer = Some(a),
        (Opt::Cookie, Some(a)) => o.cookie = Some(a),
        (Opt::Bearer, Some(a)) => o.bearer = Some(a),
        (Opt::Get, _) => o.get = true,
        (Opt::Head, _) => o.head = true,
        (Opt::Upload, Some(a)) => {
            o.upload = true;
            o.notes.push(format!(
                "-T (line {}) uploads a file: its content is not known here",
                a.line
            ));
        }
        (Opt::Config, Some(a)) => o.notes.push(format!(
            "-K (line {}) reads more options from a file; they are not read here",
            a.line
        )),
        // The proxy value may carry `user:password@`: say that there is one, not what it is.
        (Opt::Proxy, Some(a)) => o.notes.push(format!(
            "the request goes through a proxy (-x, line {})",
            a.line
        )),
        (Opt::AuthScheme(s), _) if s != "basic" => o.notes.push(format!(
            "--{s} asks curl for {s} authentication; the login service takes Basic (line {})",
            u.line
        )),
        _ => {}
    }
}

/// Reads the curl command into a draft request.
fn build(cmd: &Command, source: &str) -> Result<Draft, ImportError> {
    let start = curl_index(cmd).unwrap_or(0);
    let call = &cmd.words[start];
    let o = read_options(cmd, start, source)?;
    let mut d = Draft {
        call_line: Some(call.line),
        notes: o.notes.clone(),
        ..Draft::default()
    };

    let Some(url_word) = o.urls.first() else {
        return Err(
            ImportError::new(source, "no URL in the curl command").at(call.line, Some(call.col))
        );
    };
    if o.urls.len() > 1 {
        d.notes.push(format!(
            "the command has {} URLs; the first (line {}) is read",
            o.urls.len(),
            url_word.line
        ));
    }
    let mut url = url_word.text.clone();
    if !url.text.contains("://") && !url.text.starts_with('$') && url.is_resolved() {
        d.notes
            .push("the URL has no scheme, so curl uses http://".into());
        let mut t = Traced::literal("http://", Some(url_word.line));
        t.push(&url);
        url = t;
    }
    d.url_line = Some(url_word.line);

    // Authorization from -u and --oauth2-bearer.
    if let Some(u) = &o.user {
        let (id, secret) = match u.text.find_visible(':') {
            Some(i) => (u.text.slice(0..i), u.text.slice(i + 1..u.text.text.len())),
            None => {
                d.unresolved.push(Unresolved {
                    what: WHAT_SECRET.into(),
                    expr: "-u without a password (curl prompts for it)".into(),
                    line: Some(u.line),
                });
                (
                    u.text.clone(),
                    Traced::unknown("password prompt", "{password prompt}".into(), Some(u.line)),
                )
            }
        };
        d.set_header(
            "Authorization",
            basic_header(&id, &secret, Some(u.line)),
            Some(u.line),
        );
        d.basic = Some(DraftBasic {
            id,
            secret,
            line: Some(u.line),
        });
    }
    if let Some(b) = &o.bearer {
        let mut t = Traced::literal("Bearer ", Some(b.line));
        t.push(&b.text);
        d.set_header("Authorization", t, Some(b.line));
        d.basic = None;
    }

    // Custom headers: replace internal ones, `Name:` removes one, `Name;` sends it empty.
    let mut suppressed: Vec<String> = Vec::new();
    for h in &o.headers {
        add_custom_header(&mut d, h, &mut suppressed);
    }
    for (name, w) in [
        ("User-Agent", &o.user_agent),
        ("Referer", &o.referer),
        ("Cookie", &o.cookie),
    ] {
        if let Some(w) = w
            && !d.has_header(name)
        {
            d.headers.push(DraftHeader {
                name: name.into(),
                value: w.text.clone(),
                line: Some(w.line),
            });
        }
    }

    // Body.
    let (body, params, body_line) = data_body(&o);
    let has_data = !o.data.is_empty() || !o.json.is_empty();
    let has_form = !o.forms.is_empty();
    if has_form && has_data {
        d.notes.push(
            "curl refuses -F together with -d: \"You can only select one HTTP request method\""
                .into(),
        );
    }
    if o.get {
        if !body.is_empty() {
            let sep = if url.text.contains('?') { "&" } else { "?" };
            url.push_literal(sep, body_line);
            url.push(&body);
        }
        d.body_params = Some(Vec::new());
    } else if has_form {
        let (mp, ps, boundary) = multipart(&o.forms, &mut d);
        d.body = mp;
        d.body_params = Some(ps);
        d.body_line = o.forms.first().map(|f| f.0.line);
        let line = d.body_line;
        set_default_header(
            &mut d,
            &suppressed,
            "Content-Type",
            &format!("multipart/form-data; boundary={boundary}"),
            line,
        );
    } else if has_data {
        d.body = body;
        d.body_params = if o.json.is_empty() {
            Some(params)
        } else {
            None
        };
        d.body_line = body_line;
        let (ct, accept) = if o.json.is_empty() {
            (FORM, None)
        } else {
            ("application/json", Some("application/json"))
        };
        set_default_header(&mut d, &suppressed, "Content-Type", ct, body_line);
        if let Some(a) = accept {
            set_default_header(&mut d, &suppressed, "Accept", a, body_line);
        }
    }
    for q in &o.url_query {
        let t = url_query_item(&q.text, q.line);
        let sep = if url.text.contains('?') { "&" } else { "?" };
        url.push_literal(sep, Some(q.line));
        url.push(&t);
    }
    d.url = url;

    // Method.
    d.method = match &o.method {
        Some((m, line)) => {
            d.method_line = Some(*line);
            m.clone()
        }
        None if o.head => "HEAD".into(),
        None if o.get => "GET".into(),
        None if has_data || has_form => "POST".into(),
        None if o.upload => "PUT".into(),
        None => "GET".into(),
    };
    Ok(d)
}

fn add_custom_header(d: &mut Draft, h: &Word, suppressed: &mut Vec<String>) {
    let text = &h.text.text;
    if text.starts_with('@') {
        d.unresolved.push(Unresolved {
            what: WHAT_HEADERS.into(),
            expr: format!("-H {text}"),
            line: Some(h.line),
        });
        return;
    }
    let sep = text.find([':', ';']);
    let Some(i) = sep else {
        d.notes.push(format!(
            "the -H of line {} has no `:`; curl ignores it",
            h.line
        ));
        return;
    };
    let name = text[..i].trim().to_string();
    let value = h.text.slice(i + 1..text.len());
    let lead = value.text.len() - value.text.trim_start().len();
    let value = value.slice(lead..value.text.len());
    let value = value.slice(0..value.text.trim_end().len());
    let is_semicolon = text.as_bytes()[i] == b';';
    if is_semicolon {
        if value.text.trim().is_empty() {
            d.headers.push(DraftHeader {
                name,
                value: Traced::literal("", Some(h.line)),
                line: Some(h.line),
            });
        } else {
            d.notes.push(format!(
                "the -H of line {} has no `:`; curl ignores it",
                h.line
            ));
        }
        return;
    }
    if value.text.is_empty() {
        // `-H "Name:"` removes a header curl would add.
        d.remove_header(&name);
        if name.eq_ignore_ascii_case("authorization") {
            d.basic = None;
        }
        suppressed.push(name.to_ascii_lowercase());
        return;
    }
    if name.eq_ignore_ascii_case("authorization") && d.basic.is_some() {
        d.notes.push(format!(
            "the Authorization header of line {} replaces the one -u builds",
            h.line
        ));
        d.basic = None;
        d.remove_header("authorization");
    }
    d.headers.push(DraftHeader {
        name,
        value,
        line: Some(h.line),
    });
}

fn set_default_header(
    d: &mut Draft,
    suppressed: &[String],
    name: &str,
    value: &str,
    line: Option<usize>,
) {
    if d.has_header(name) || suppressed.contains(&name.to_ascii_lowercase()) {
        return;
    }
    d.headers.push(DraftHeader {
        name: name.into(),
        value: Traced::literal(value, line),
        line,
    });
}

/// The `-d`/`--data-*`/`--json` items joined as curl joins them, with their parameters.
fn data_body(o: &Options) -> (Traced, Vec<DraftParam>, Option<usize>) {
    let mut body = Traced::default();
    let mut params = Vec::new();
    let mut first_line = None;
    for item in &o.data {
        let w = &item.word;
        first_line.get_or_insert(w.line);
        if !body.is_empty() {
            body.push_literal("&", Some(w.line));
        }
        let text = &w.text.text;
        let file = matches!(item.kind, DataKind::Ascii | DataKind::Binary) && text.starts_with('@');
        if file {
            // The content of a file: a visible marker, reported as unresolved by `finish`.
            body.push(&Traced::unknown(
                &format!("-d {text}"),
                text.clone(),
                Some(w.line),
            ));
            continue;
        }
        if item.kind == DataKind::UrlEncode {
            let (t, param) = urlencode_item(&w.text, w.line);
            body.push(&t);
            params.extend(param);
            continue;
        }
        for (name, r) in form_pairs(text) {
            let raw = w.text.slice(r);
            params.push(DraftParam {
                name: intended_from_raw_form(&name),
                meant: raw.map(intended_from_raw_form(&raw.text)),
                line: Some(w.line),
            });
        }
        body.push(&w.text);
    }
    for j in &o.json {
        first_line.get_or_insert(j.line);
        if j.text.text.starts_with('@') {
            let expr = format!("--json {}", j.text.text);
            body.push(&Traced::unknown(&expr, j.text.text.clone(), Some(j.line)));
        } else {
            body.push(&j.text);
        }
    }
    (body, params, first_line)
}

/// `--data-urlencode` forms: `content`, `=content`, `name=content`, `@file`, `name@file`.
fn urlencode_item(t: &Traced, line: usize) -> (Traced, Option<DraftParam>) {
    let text = &t.text;
    let sep = text.find('=').or_else(|| text.find('@'));
    match sep {
        Some(i) if text.as_bytes()[i] == b'@' => {
            let name = &text[..i];
            let marker = Traced::unknown(
                &format!("--data-urlencode {text}"),
                format!("{{{}}}", &text[i..]),
                Some(line),
            );
            let mut out = Traced::default();
            if !name.is_empty() {
                out.push_literal(&format!("{name}="), Some(line));
            }
            out.push(&marker);
            (
                out,
                (!name.is_empty()).then(|| DraftParam {
                    name: name.to_string(),
                    meant: marker,
                    line: Some(line),
                }),
            )
        }
        Some(i) => {
            let name = &text[..i];
            let content = t.slice(i + 1..text.len());
            let encoded = content.map(percent_encode_strict(&content.text));
            let mut out = Traced::default();
            if !name.is_empty() {
                out.push_literal(&format!("{name}="), Some(line));
            }
            out.push(&encoded);
            let param = (!name.is_empty()).then(|| DraftParam {
                name: name.to_string(),
                meant: content,
                line: Some(line),
            });
            (out, param)
        }
        None => (t.map(percent_encode_strict(text)), None),
    }
}

/// `--url-query`: like `--data-urlencode`, but a leading `+` means "already encoded".
fn url_query_item(t: &Traced, line: usize) -> Traced {
    if t.text.starts_with('+') {
        return t.slice(1..t.text.len());
    }
    urlencode_item(t, line).0
}

/// curl's boundary is random; a fixed one keeps imports reproducible.
const BOUNDARY: &str = "------------------------9a8b7c6d5e4f3a2b";

/// `-F` fields as curl sends them (the boundary is random in real curl).
fn multipart(forms: &[(Word, bool)], d: &mut Draft) -> (Traced, Vec<DraftParam>, String) {
    let boundary = BOUNDARY.to_string();
    let mut body = Traced::default();
    let mut params = Vec::new();
    for (w, literal) in forms {
        let text = &w.text.text;
        let Some(eq) = text.find('=') else {
            d.notes.push(format!(
                "the -F of line {} has no `=`; curl rejects it",
                w.line
            ));
            continue;
        };
        let name = text[..eq].to_string();
        let mut value = w.text.slice(eq + 1..text.len());
        if !literal && (value.text.starts_with('@') || value.text.starts_with('<')) {
            value = Traced::unknown(
                &format!("-F {text}"),
                format!("{{{}}}", value.text),
                Some(w.line),
            );
        } else if !literal && let Some(semi) = value.text.find(";type=") {
            value = value.slice(0..semi);
        }
        body.push_literal(
            &format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
            Some(w.line),
        );
        body.push(&value);
        body.push_literal("\r\n", Some(w.line));
        params.push(DraftParam {
            name,
            meant: value,
            line: Some(w.line),
        });
    }
    body.push_literal(
        &format!("--{boundary}--\r\n"),
        forms.last().map(|f| f.0.line),
    );
    (body, params, boundary)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
