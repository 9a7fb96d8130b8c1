//! PowerShell: `$name = "value"` and `$env:NAME = "value"` assignments, `$env:NAME` and
//! `$(…)` that is just a variable, backtick escapes.

use super::{Command, Lexer};
use crate::import::ImportError;

impl<'a> Lexer<'a> {
    /// `"$id:$secret"`: after `$id:` PowerShell expects the name of a variable on a drive or
    /// scope (`$env:NAME`), so a `:` not followed by a name is a parse error and the command
    /// never runs. Noted; the words are read as the author meant them.
    pub(super) fn ps_drive_check(&mut self, written: &str, line: usize) {
        let after = |k: usize| self.chars.get(self.i + k).map(|c| c.1);
        let name_char = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if after(0) == Some(':') && !name_char(after(1)) && after(1) != Some(':') {
            self.notes.push(format!(
                "PowerShell rejects `{written}:` followed by no name (line {line}): \"Variable reference is not valid\", so the command does not run; write `${{{}}}:` instead",
                &written[1..]
            ));
        }
    }

    /// PowerShell `$name = "value"` / `$env:NAME = "value"` at the start of a command.
    pub(super) fn ps_assignment(&mut self) -> Result<bool, ImportError> {
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
}

/// `$env:NAME` or `$name` alone: a PowerShell subexpression that is just a variable.
pub(super) fn ps_variable(s: &str) -> Option<String> {
    let rest = s.strip_prefix('$')?;
    let name = match rest.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("env:") => &rest[4..],
        _ => rest,
    };
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| name.to_string())
}

pub(super) fn ps_escape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        other => other,
    }
}

/// In Windows PowerShell 5.1 `curl` is an alias of `Invoke-WebRequest`, which takes none of
/// curl's options; PowerShell 6 and later dropped the alias, so `curl` runs curl.exe there.
/// The command is read as curl, with a note saying so.
pub(super) fn curl_alias_note(cmd: &mut Command) {
    let Some(w) = cmd.words.first() else { return };
    if w.text.text.eq_ignore_ascii_case("curl") {
        cmd.notes.push(format!(
            "in Windows PowerShell 5.1 `curl` (line {}) is an alias of Invoke-WebRequest, which rejects curl's options; it is read here as curl.exe, which PowerShell 6 and later run (write `curl.exe` to run it in both)",
            w.line
        ));
    }
}

/// PowerShell before 7.3 (Windows PowerShell 5.1 included) passes an argument with `"` in it
/// to a native program without escaping them, so curl.exe receives it without its quotes (a
/// JSON body loses every `"`).
pub(super) fn native_quote_note(cmd: &mut Command) {
    let is_curl = cmd.words.first().is_some_and(|w| {
        let t = w.text.text.to_ascii_lowercase();
        t == "curl" || t == "curl.exe"
    });
    if let Some(w) = cmd.words.iter().skip(1).find(|w| w.text.text.contains('"'))
        && is_curl
    {
        cmd.notes.push(format!(
            "an argument of line {} holds `\"`: PowerShell before 7.3 passes it to curl.exe without escaping them, so curl receives it without its double quotes (write each as `\\\"`, or read the body from a file with `-d @file`)",
            w.line
        ));
    }
}
