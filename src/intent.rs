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
    /// A shell expansion (`$NAME`) of a variable that is not set, meant literally: the shell
    /// replaced it by nothing. `at` is the 1-based position of the `$`; `double_quoted` says
    /// it was inside double quotes (single quotes would have kept it).
    ShellExpansion {
        at: usize,
        len: usize,
        double_quoted: bool,
    },
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
            } => format!(
                "`$` at {at} starts a shell expansion{}: the shell replaced those {len} characters with the value of a variable that is not set (nothing); in single quotes, or written `\\$`, it would have been kept",
                if *double_quoted {
                    " inside double quotes"
                } else {
                    " (unquoted)"
                }
            ),
        }
    }

    /// How to write the value so it is sent as meant.
    pub fn fix(&self) -> &'static str {
        match &self.mangling {
            Mangling::FormSplit { .. } | Mangling::PlusAsSpace | Mangling::FormDecoded { .. } => {
                "Encode the secret in the form body (`&` as %26, `+` as %2B): with curl, --data-urlencode 'client_secret=…'; or send id and secret in a Basic header (curl -u 'ID:SECRET')."
            }
            Mangling::ShellExpansion { .. } => {
                "Put the secret in single quotes (-u 'ID:SECRET'), or escape each `$` as `\\$` inside double quotes; better, read it from a file or an environment variable."
            }
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
}

impl Intent {
    /// True when some credential was meant differently from how it is sent.
    pub fn differs(&self) -> bool {
        self.id.is_some() || self.secret.is_some()
    }
}
