//! The intent model: for each credential of an imported request, what was sent (what the
//! server parses) and what the author meant (the literal as written, before the shell, the
//! form parser or a wrong scheme changed it), with the source span.
//!
//! # Plan
//!
//! * The importers already mark every credential position ([`crate::credential_span`]) with
//!   its text as written. `import::intent` (the importers) reads each client id and client secret
//!   position the way the input's language does (sh/bash quoting and expansion for a curl
//!   command, JSON string escapes for a HAR, the raw bytes of a request file) into the
//!   *meant* value, and compares it with the value the importer found in the request as it
//!   goes on the wire, the *sent* value.
//! * Where they differ, the difference is named by a [`Mangling`]: a raw `&` that ends the
//!   value in a form body, a `+` read as a space, a shell expansion inside double quotes that
//!   replaced part of the secret by an unset variable's (empty) value.
//! * The probe `intent` (in the engine's probe table) sends the canonical request with the meant values;
//!   a token proves the mangling cause, and the report says so by structure only (positions,
//!   lengths, character classes), never by value.
//!
//! Nothing here holds a printable secret: `Debug` shows shapes, and every meant value is
//! registered with the redactor by the reader that finds it.

use crate::catalogue::CauseId;
use std::ops::Range;

/// What turned the value the author wrote into the value the server reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mangling {
    /// A raw `&` in a form body ends the value: the server reads the part before it. `at` is
    /// the 1-based character position of the `&` in the meant value.
    FormSplit { at: usize },
    /// A raw `+` in a form body is read as a space.
    PlusAsSpace,
    /// A value written unencoded in a form body that the server's form decoding changes in
    /// more than one way, or by `%XX` escapes: `split_at` is the 1-based position of an `&`
    /// that ends it, `pluses` the `+` read as spaces, `escapes` the `%XX` read as one
    /// character each.
    FormDecoded {
        split_at: Option<usize>,
        pluses: usize,
        escapes: usize,
    },
    /// A shell expansion (`$NAME` in sh or PowerShell, `%NAME%` or a lone `%` in a batch
    /// file) of a variable that is not set, meant literally: the shell replaced it by nothing.
    /// `at` is the 1-based position of the `$` (or `%`, `!`); `double_quoted` says it was
    /// inside double quotes (single quotes would have kept it; cmd expands in quotes too).
    ShellExpansion {
        at: usize,
        len: usize,
        double_quoted: bool,
        shell: Shell,
    },
}

/// How to write a secret so that sh, PowerShell and cmd (a batch file) pass it as written.
pub const SHELL_FIXES: [&str; 3] = [
    "Put the secret in single quotes (-u 'ID:SECRET'), or escape each `$` as `\\$` inside double quotes; better, read it from a file or an environment variable.",
    "Put the secret in single quotes (-u 'ID:SECRET'), or escape each `$` as `` `$ `` inside double quotes; better, read it from a file or an environment variable ($env:NAME).",
    "In a batch file write each `%` of the secret as `%%` (and, with delayed expansion on, each `!` as `^^!`); better, read it from a file or an environment variable.",
];

/// The shell a pasted command was written for, as the input shows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shell {
    /// sh, bash, zsh.
    #[default]
    Sh,
    /// cmd.exe at its prompt: an unset `%NAME%` stays as written.
    Cmd,
    /// cmd.exe running a batch file (`.cmd`, `.bat`): an unset `%NAME%` becomes nothing, a
    /// lone `%` is dropped, `%%` is one `%`.
    Batch,
    /// PowerShell (Windows PowerShell 5.1 or PowerShell 7).
    PowerShell,
}

impl Shell {
    /// What the report calls it: "the shell", "cmd", "PowerShell".
    pub fn name(self) -> &'static str {
        match self {
            Shell::Sh => "the shell",
            Shell::Cmd | Shell::Batch => "cmd",
            Shell::PowerShell => "PowerShell",
        }
    }
}

impl Mangling {
    /// The cause a token with the meant value proves.
    pub fn cause(&self) -> CauseId {
        CauseId::SecretEncoding
    }
}

/// One credential as meant and as sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Meant {
    /// What the server parses.
    pub sent: String,
    /// What the author wrote.
    pub meant: String,
    pub mangling: Mangling,
    /// Byte span of the credential position in the input, and its 1-based line.
    pub span: Range<usize>,
    pub line: usize,
}

impl std::fmt::Debug for Meant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Meant")
            .field("sent", &crate::secret::Shape(&self.sent))
            .field("meant", &crate::secret::Shape(&self.meant))
            .field("mangling", &self.mangling)
            .field("span", &self.span)
            .field("line", &self.line)
            .finish()
    }
}

impl Meant {
    /// "as sent (7 of 43 characters)": the sent value's length against the meant one's.
    pub fn lengths(&self) -> String {
        format!(
            "{} of {} characters",
            self.sent.chars().count(),
            self.meant.chars().count()
        )
    }

    /// What happened to the value, by structure.
    pub fn describe(&self) -> String {
        match &self.mangling {
            Mangling::FormSplit { at } => format!(
                "`&` at {at} ends the value in the form body: the server reads the first {} characters and takes the rest as another parameter",
                at - 1
            ),
            Mangling::PlusAsSpace => {
                "a raw `+` in the form body is read as a space by the server".to_string()
            }
            Mangling::FormDecoded {
                split_at,
                pluses,
                escapes,
            } => format!(
                "written unencoded in the form body, the value is decoded by the server: {}",
                form_parts(*split_at, *pluses, *escapes).join("; ")
            ),
            Mangling::ShellExpansion {
                at,
                len,
                double_quoted,
                shell,
            } => {
                let quoted = if *double_quoted {
                    " inside double quotes"
                } else {
                    " (unquoted)"
                };
                match shell {
                    Shell::Sh => format!(
                        "`$` at {at} starts a shell expansion{quoted}: the shell replaced those {len} characters with the value of a variable that is not set (nothing); in single quotes, or written `\\$`, it would have been kept"
                    ),
                    Shell::PowerShell => format!(
                        "`$` at {at} starts a PowerShell variable{quoted}: PowerShell replaced those {len} characters with the value of a variable that is not set (nothing); in single quotes, or written `` `$ ``, it would have been kept"
                    ),
                    Shell::Batch | Shell::Cmd if *len == 1 => format!(
                        "a lone `{}` at {at} is dropped by cmd in a batch file; written `{}` it would have been kept",
                        self.sigil(),
                        if self.sigil() == '!' { "^^!" } else { "%%" }
                    ),
                    Shell::Batch | Shell::Cmd => format!(
                        "`{}` at {at} starts a variable in a batch file: cmd replaced those {len} characters with the value of a variable that is not set (nothing); written `{}` it would have been kept",
                        self.sigil(),
                        if self.sigil() == '!' { "^^!" } else { "%%" }
                    ),
                }
            }
        }
    }

    /// A static finding of the secret's encoding, for a value a shell expanded: says what
    /// the shell did (instead of a `%XX` the server never decoded) and gives the fix for that
    /// shell. Other manglings leave the finding as it is.
    pub fn explain_expansion(&self, f: &mut crate::finding::Finding) {
        if !matches!(self.mangling, Mangling::ShellExpansion { .. })
            || f.cause != CauseId::SecretEncoding
        {
            return;
        }
        f.evidence.retain(|e| !e.starts_with("`%XX`"));
        f.evidence.push(self.describe());
        f.fix = self.fix().to_string();
    }

    /// The character that starts the expansion (`$`, `%`, `!`).
    pub fn sigil(&self) -> char {
        match &self.mangling {
            Mangling::ShellExpansion { at, .. } => {
                self.meant.chars().nth(at.saturating_sub(1)).unwrap_or('$')
            }
            _ => '$',
        }
    }

    /// How to write the value so it is sent as meant.
    pub fn fix(&self) -> &'static str {
        match &self.mangling {
            Mangling::FormSplit { .. } | Mangling::PlusAsSpace | Mangling::FormDecoded { .. } => {
                "Encode the secret in the form body (`&` as %26, `+` as %2B): with curl, --data-urlencode 'client_secret=…'; or send id and secret in a Basic header (curl -u 'ID:SECRET')."
            }
            Mangling::ShellExpansion {
                shell: Shell::Sh, ..
            } => SHELL_FIXES[0],
            Mangling::ShellExpansion {
                shell: Shell::PowerShell,
                ..
            } => SHELL_FIXES[1],
            Mangling::ShellExpansion { .. } => SHELL_FIXES[2],
        }
    }
}

/// What form decoding did to a value written unencoded, part by part.
pub fn form_parts(split_at: Option<usize>, pluses: usize, escapes: usize) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(at) = split_at {
        parts.push(format!(
            "`&` at {at} ends it (the rest is taken as another parameter)"
        ));
    }
    let s = |n: usize| if n == 1 { "" } else { "s" };
    if pluses > 0 {
        parts.push(format!("{pluses} `+` read as space{}", s(pluses)));
    }
    if escapes > 0 {
        parts.push(format!(
            "{escapes} `%XX` sequence{} read as one character each",
            s(escapes)
        ));
    }
    parts
}

/// The credentials of an imported request as meant, where they differ from what is sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Intent {
    pub id: Option<Meant>,
    pub secret: Option<Meant>,
    /// The shell a pasted command was written for (sh for every other kind of input): the
    /// corrected command is written for it too.
    pub shell: Shell,
    /// A batch file with `setlocal EnableDelayedExpansion`: `!` is special there too.
    pub delayed_expansion: bool,
    /// A credential written so that the shell rejects the command before it sends anything
    /// (PowerShell's `"$id:$secret"`): read as the author meant it, but never sent.
    pub rejected: Option<Rejected>,
}

/// A credential the shell does not let through as written: where, and what the shell says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub line: usize,
    /// What the shell does, in a sentence.
    pub why: String,
    /// How to write it instead.
    pub fix: String,
}

impl Intent {
    /// True when some credential was meant differently from how it is sent.
    pub fn differs(&self) -> bool {
        self.id.is_some() || self.secret.is_some()
    }
}
