//! Importers: the user's own request, read from what they paste, as an [`ImportedRequest`].
//!
//! People who ask why their token request fails paste a curl command, a raw HTTP request, a
//! browser's HAR export or a Python script. Each importer (one per file) works out the exact
//! request that input sends (method, absolute URL, headers in order, body bytes) *and* what the
//! user meant: the client id and secret before any wire encoding, where they sit, where their
//! value came from (a literal, an environment variable, an expression gcdoctor cannot
//! evaluate) and on which input line. `lint` compares the meant values with what the server
//! reads; `diagnose` replays the request.
//!
//! # Shared machinery
//!
//! Every importer builds a [`Draft`] of [`Traced`] strings and hands it to [`finish`], which
//! turns it into the request, the line map, the found credentials and the list of what could
//! not be resolved. A [`Traced`] string knows, for each byte range, where it came from and on
//! which line, so a value sliced out of a body (`client_secret=…`) still knows that it was
//! read from `$GENESYS_SECRET` on line 4. Values gcdoctor cannot see stay in the text as
//! visible markers (`$NAME`, `${NAME}`, `{expr}`), never as guesses.

mod curl;
mod encode;
mod go;
mod har;
mod http;
pub mod intent;
mod java;
mod js;
mod json_locate;
pub mod position;
pub mod postman;
mod python;
mod registry;
pub(crate) mod script;
mod sniff;
pub(crate) mod snippet;

use crate::request::{
    CredLocation, FoundValue, HttpRequest, ImportedRequest, InputKind, Part, Unresolved,
    ValueOrigin,
};
use crate::secret::is_uuid_shaped;
use crate::shape::{Body, intended_from_raw_form};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use std::fmt;
use std::ops::Range;

/// Why an input could not be imported, with where in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The input's name (file path or `-`).
    pub source: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (characters), when known.
    pub column: Option<usize>,
    pub message: String,
}

impl ImportError {
    pub(crate) fn new(source: &str, message: impl Into<String>) -> ImportError {
        ImportError {
            source: source.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub(crate) fn at(mut self, line: usize, column: Option<usize>) -> ImportError {
        self.line = Some(line);
        self.column = column;
        self
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ImportError {}

/// Reads `path` (`-` = stdin) and imports it. `kind` `None` detects the kind from the file
/// name, then from the content. `env` reads environment variables.
pub fn load(
    path: &str,
    kind: Option<InputKind>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ImportedRequest, ImportError> {
    load_with(path, kind, None, env)
}

/// [`load`], with a Postman environment export (`--postman-env FILE`) for a collection's
/// `{{variables}}`.
pub fn load_with(
    path: &str,
    kind: Option<InputKind>,
    postman_env: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ImportedRequest, ImportError> {
    let bytes = read_input(path)?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let kind = match kind {
        Some(k) => k,
        None => detect(text, path).ok_or_else(|| {
            ImportError::new(
                path,
                "cannot tell what kind of input this is: name it with --from-curl, --from-http, --from-har, --from-python, --from-js, --from-java, --from-go or --from-postman (lint: --kind)",
            )
        })?,
    };
    // The environment export reaches the Postman importer through the variable reader, so
    // every kind goes through the one `parse`.
    let environment = postman_env
        .filter(|_| kind == InputKind::Postman)
        .map(|p| postman::read_environment(p).map(|t| (p.to_string(), t)))
        .transpose()?;
    let env_and_postman = |k: &str| match (k, &environment) {
        (postman::ENV_PATH, Some((p, _))) => Some(p.clone()),
        (postman::ENV_TEXT, Some((_, t))) => Some(t.clone()),
        _ => env(k),
    };
    parse(text, kind, path, &env_and_postman)
}

fn read_input(path: &str) -> Result<Vec<u8>, ImportError> {
    use std::io::Read as _;
    let mut buf = Vec::new();
    let res = if path == "-" {
        std::io::stdin().read_to_end(&mut buf).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut buf).map(|_| ()))
    };
    res.map_err(|e| ImportError::new(path, format!("cannot read the input: {e}")))?;
    Ok(buf)
}

/// Imports `text` as an input of `kind`; `source` names it in messages and reports.
pub fn parse(
    text: &str,
    kind: InputKind,
    source: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ImportedRequest, ImportError> {
    // Credential positions first: no parse error may quote what they hold.
    let positions = position::guard(text, kind, env);
    let mut imp = (registry::importer(kind).parse)(text, source, env)
        .map_err(|e| position::mask_error(e, &positions))?;
    position::register_found(&imp);
    imp.positions = positions;
    intent::fill(&mut imp, text, env);
    Ok(imp)
}

pub(crate) use registry::corrected;
pub use registry::script_kinds;

/// The kind of an input: by file extension, then by content.
pub fn detect(text: &str, path: &str) -> Option<InputKind> {
    registry::detect(text, path)
}

// ---------------------------------------------------------------------------------------
// What an unresolved entry is about: `lint` reads these to know which checks it cannot make.

/// [`Unresolved::what`] for the URL.
pub const WHAT_URL: &str = "the URL";
/// [`Unresolved::what`] for the body (or a part of it that is no parameter).
pub const WHAT_BODY: &str = "the body";
/// [`Unresolved::what`] for the method.
pub const WHAT_METHOD: &str = "the method";
/// [`Unresolved::what`] for the headers as a whole.
pub const WHAT_HEADERS: &str = "the headers";
/// [`Unresolved::what`] for the client id.
pub const WHAT_ID: &str = "client_id";
/// [`Unresolved::what`] for the client secret.
pub const WHAT_SECRET: &str = "client_secret";

/// [`Unresolved::what`] for one header.
pub fn what_header(name: &str) -> String {
    format!("the {name} header")
}

/// Which credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Id,
    Secret,
}

impl Which {
    fn label(self) -> &'static str {
        match self {
            Which::Id => "client id",
            Which::Secret => "client secret",
        }
    }
}

/// The note that records how the input writes a credential at the sending call (a variable,
/// an env read), so a suggested fix can keep it. Until [`FoundValue`] carries this itself,
/// it travels in [`ImportedRequest::notes`]; [`credential_expr`] reads it back.
fn expr_note(which: Which, expr: &str) -> String {
    format!("the {} is passed as `{expr}`", which.label())
}

/// How the input writes the credential where the request is built (`client_secret`,
/// `os.environ["X"]`, `$CLIENT_SECRET`), if it is not a literal.
pub fn credential_expr(imp: &ImportedRequest, which: Which) -> Option<String> {
    let prefix = format!("the {} is passed as `", which.label());
    imp.notes.iter().find_map(|n| {
        n.strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix('`'))
            .map(str::to_string)
    })
}

/// True for the notes [`credential_expr`] reads (they repeat what `inputs` shows).
pub fn is_expr_note(note: &str) -> bool {
    note.starts_with("the client id is passed as `")
        || note.starts_with("the client secret is passed as `")
}

// ---------------------------------------------------------------------------------------
// Lines and columns.

/// Byte offset → 1-based line and column.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = text
            .get(start..offset.min(text.len()))
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line, col + 1)
    }
}

// ---------------------------------------------------------------------------------------
// Traced strings.

/// Where a piece of a value came from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Src {
    /// Written in the input.
    Literal,
    /// Read from an environment variable; `expr` is how the input reads it.
    Env {
        name: String,
        state: EnvState,
        expr: String,
    },
    /// An expression gcdoctor cannot evaluate; the text holds a marker.
    Unknown { expr: String },
    /// Standard base64 of another traced string (a hand-built Basic header).
    Base64Of(Box<Traced>),
}

/// Whether an environment variable is set here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EnvState {
    Set,
    /// Not set; the text holds a marker.
    Unset,
    /// Not set; the text holds the default the input gives.
    UnsetDefault,
}

/// A byte range of a [`Traced`] string and its source.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Span {
    pub range: Range<usize>,
    pub src: Src,
    pub line: Option<usize>,
    /// How the input refers to this value where the request is built (`client_secret`).
    pub expr: Option<String>,
}

/// A string that remembers where each of its parts came from.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Traced {
    pub text: String,
    pub spans: Vec<Span>,
}

impl Traced {
    pub(crate) fn new(text: impl Into<String>, src: Src, line: Option<usize>) -> Traced {
        let text = text.into();
        let spans = vec![Span {
            range: 0..text.len(),
            src,
            line,
            expr: None,
        }];
        Traced { text, spans }
    }

    pub(crate) fn literal(text: impl Into<String>, line: Option<usize>) -> Traced {
        Traced::new(text, Src::Literal, line)
    }

    pub(crate) fn unknown(expr: &str, marker: String, line: Option<usize>) -> Traced {
        Traced::new(
            marker,
            Src::Unknown {
                expr: expr.to_string(),
            },
            line,
        )
    }

    /// `encoded`, some base64 of `inner`, remembering what it encodes.
    pub(crate) fn base64_of(inner: Traced, encoded: String, line: Option<usize>) -> Traced {
        Traced {
            spans: vec![Span {
                range: 0..encoded.len(),
                src: Src::Base64Of(Box::new(inner)),
                line,
                expr: None,
            }],
            text: encoded,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends another traced string.
    pub(crate) fn push(&mut self, other: &Traced) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        for s in &other.spans {
            let mut s = s.clone();
            s.range = s.range.start + base..s.range.end + base;
            self.spans.push(s);
        }
    }

    pub(crate) fn push_literal(&mut self, text: &str, line: Option<usize>) {
        self.push(&Traced::literal(text, line));
    }

    /// The part of the string in `range` (byte offsets; clamped to char boundaries).
    pub(crate) fn slice(&self, range: Range<usize>) -> Traced {
        let start = floor_char(&self.text, range.start);
        let end = floor_char(&self.text, range.end.max(start));
        let text = self.text.get(start..end).unwrap_or("").to_string();
        let spans = self
            .spans
            .iter()
            .filter(|s| {
                s.range.start < end && s.range.end > start
                    || s.range.is_empty() && s.range.start >= start && s.range.start < end
            })
            .map(|s| {
                let mut c = s.clone();
                c.range = s.range.start.max(start) - start..s.range.end.min(end) - start;
                c
            })
            .collect();
        Traced { text, spans }
    }

    /// A new text derived from this one (encoded, stripped, …): one span with the most
    /// telling source of the old spans.
    pub(crate) fn map(&self, text: impl Into<String>) -> Traced {
        let text = text.into();
        let (src, line, expr) = match self.dominant() {
            Some(s) => (s.src.clone(), s.line, self.expr()),
            None => (Src::Literal, None, None),
        };
        let src = match src {
            Src::Base64Of(inner) => inner
                .dominant()
                .map(|s| s.src.clone())
                .unwrap_or(Src::Literal),
            other => other,
        };
        Traced {
            spans: vec![Span {
                range: 0..text.len(),
                src,
                line,
                expr,
            }],
            text,
        }
    }

    /// Sets how the input refers to this whole value.
    pub(crate) fn with_expr(mut self, expr: &str) -> Traced {
        for s in &mut self.spans {
            s.expr = Some(expr.to_string());
        }
        self
    }

    /// Names the value by a reference to it (`secret`), unless it is built from several
    /// references (`"id=" + client_id + "&secret=" + client_secret`): then the parts keep
    /// their own names.
    pub(crate) fn referred_as(self, expr: &str) -> Traced {
        let single = self.spans.windows(2).all(|w| w[0].expr == w[1].expr);
        if single { self.with_expr(expr) } else { self }
    }

    /// Every span's line set to `line` where it has none.
    pub(crate) fn default_line(mut self, line: Option<usize>) -> Traced {
        for s in &mut self.spans {
            if s.line.is_none() {
                s.line = line;
            }
        }
        self
    }

    fn rank(src: &Src) -> u8 {
        match src {
            Src::Unknown { .. } => 4,
            Src::Env {
                state: EnvState::Unset,
                ..
            } => 3,
            Src::Env {
                state: EnvState::UnsetDefault,
                ..
            } => 2,
            Src::Env { .. } => 1,
            Src::Base64Of(inner) => inner.dominant().map(|s| Traced::rank(&s.src)).unwrap_or(0),
            Src::Literal => 0,
        }
    }

    /// The span whose source says most about the value (unknown > env > literal), the
    /// first of equals.
    pub(crate) fn dominant(&self) -> Option<&Span> {
        let mut best: Option<&Span> = None;
        for s in &self.spans {
            if best.is_none_or(|b| Traced::rank(&s.src) > Traced::rank(&b.src)) {
                best = Some(s);
            }
        }
        best
    }

    /// Where the value came from, as the report says it.
    pub(crate) fn origin(&self) -> ValueOrigin {
        match self.dominant().map(|s| &s.src) {
            Some(Src::Unknown { expr }) => ValueOrigin::Unresolved(expr.clone()),
            Some(Src::Env {
                name,
                state: EnvState::Set,
                ..
            }) => ValueOrigin::Env(name.clone()),
            Some(Src::Env { name, .. }) => ValueOrigin::EnvUnset(name.clone()),
            Some(Src::Base64Of(inner)) => inner.origin(),
            _ => ValueOrigin::Literal,
        }
    }

    /// True when no part is unknown (an unset variable with a default counts as known).
    pub(crate) fn is_resolved(&self) -> bool {
        self.unknown_parts().is_empty()
    }

    /// Line of the most telling span.
    pub(crate) fn line(&self) -> Option<usize> {
        self.dominant()
            .and_then(|s| s.line)
            .or_else(|| self.spans.iter().find_map(|s| s.line))
    }

    /// Line of the span that covers byte `offset`.
    pub(crate) fn line_at(&self, offset: usize) -> Option<usize> {
        self.spans
            .iter()
            .find(|s| s.range.contains(&offset))
            .and_then(|s| s.line)
    }

    /// How the input refers to the whole value, if every span says the same (spans of bare
    /// whitespace, such as the newline `echo` adds, do not count).
    pub(crate) fn expr(&self) -> Option<String> {
        let telling = |s: &&Span| {
            !(s.expr.is_none()
                && self
                    .text
                    .get(s.range.clone())
                    .is_some_and(|t| t.trim().is_empty()))
        };
        let mut spans = self.spans.iter().filter(telling);
        let first = spans.next()?.expr.clone()?;
        spans
            .all(|s| s.expr.as_deref() == Some(first.as_str()))
            .then_some(first)
    }

    /// The first `c` that is not inside a part gcdoctor cannot see (a marker such as
    /// `$env:NAME` or `$(cmd)` may itself contain it).
    pub(crate) fn find_visible(&self, c: char) -> Option<usize> {
        self.text.match_indices(c).map(|(i, _)| i).find(|i| {
            !self.spans.iter().any(|s| {
                s.range.contains(i)
                    && matches!(
                        s.src,
                        Src::Unknown { .. }
                            | Src::Env {
                                state: EnvState::Unset,
                                ..
                            }
                    )
            })
        })
    }

    /// The parts gcdoctor cannot see: (range, expression, line).
    pub(crate) fn unknown_parts(&self) -> Vec<(Range<usize>, String, Option<usize>)> {
        let mut out = Vec::new();
        for s in &self.spans {
            match &s.src {
                Src::Unknown { expr } => out.push((s.range.clone(), expr.clone(), s.line)),
                Src::Env {
                    state: EnvState::Unset,
                    expr,
                    ..
                } => out.push((s.range.clone(), expr.clone(), s.line)),
                Src::Base64Of(inner) => {
                    for (_, e, l) in inner.unknown_parts() {
                        out.push((s.range.clone(), e, l));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Unset variables whose default is used: (name, line).
    pub(crate) fn defaulted_env(&self) -> Vec<(String, Option<usize>)> {
        let mut out = Vec::new();
        for s in &self.spans {
            match &s.src {
                Src::Env {
                    name,
                    state: EnvState::UnsetDefault,
                    ..
                } => out.push((name.clone(), s.line)),
                Src::Base64Of(inner) => out.extend(inner.defaulted_env()),
                _ => {}
            }
        }
        out
    }

    /// The inner string of a base64 span covering exactly `range`, if any.
    pub(crate) fn base64_source(&self, range: Range<usize>) -> Option<&Traced> {
        self.spans.iter().find_map(|s| match &s.src {
            Src::Base64Of(inner) if s.range.start <= range.start && s.range.end >= range.end => {
                Some(inner.as_ref())
            }
            _ => None,
        })
    }
}

/// `Basic base64(id:secret)` from traced parts, as curl's `-u` and Python's `auth=` build it.
/// Call-site bindings of a function's parameters, shared by the script importers' resolvers.
pub(crate) struct Frame<'t> {
    pub(crate) func: tree_sitter::Node<'t>,
    pub(crate) call: tree_sitter::Node<'t>,
    pub(crate) caller: Ctx<'t>,
}

/// Where a script expression is evaluated: the enclosing function, the position (only
/// assignments before it count) and the call that bound the function's parameters.
#[derive(Clone)]
pub(crate) struct Ctx<'t> {
    pub(crate) func: Option<tree_sitter::Node<'t>>,
    pub(crate) pos: usize,
    pub(crate) frame: Option<std::rc::Rc<Frame<'t>>>,
}

/// The first ERROR or MISSING node of a tree-sitter parse, in source order: where a syntax
/// error is reported.
pub(crate) fn first_error(root: tree_sitter::Node<'_>) -> Option<tree_sitter::Node<'_>> {
    let mut node = root;
    'outer: loop {
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.is_error() || child.is_missing() {
                return Some(child);
            }
            if child.has_error() {
                node = child;
                continue 'outer;
            }
        }
        return (node.id() != root.id()).then_some(node);
    }
}

/// The draft of the token request an official SDK sends: `POST <url>` with a Basic header,
/// the form content type and `grant_type=client_credentials` only (facts §2).
pub(crate) fn sdk_token_draft(
    url: Traced,
    url_line: Option<usize>,
    id: Traced,
    secret: Traced,
    call_line: Option<usize>,
    notes: Vec<String>,
) -> Draft {
    Draft {
        method: "POST".into(),
        url,
        url_line,
        headers: vec![
            DraftHeader {
                name: "Authorization".into(),
                value: basic_header(&id, &secret, call_line),
                line: call_line,
            },
            DraftHeader {
                name: "Content-Type".into(),
                value: Traced::literal(crate::request::FORM, call_line),
                line: call_line,
            },
        ],
        body_params: Some(vec![DraftParam {
            name: "grant_type".into(),
            meant: Traced::literal("client_credentials", call_line),
            line: call_line,
        }]),
        body: Traced::literal("grant_type=client_credentials", call_line),
        body_line: call_line,
        basic: Some(DraftBasic {
            id,
            secret,
            line: call_line,
        }),
        call_line,
        notes,
        ..Draft::default()
    }
}

pub(crate) fn basic_header(id: &Traced, secret: &Traced, line: Option<usize>) -> Traced {
    let mut inner = id.clone();
    inner.push_literal(":", line);
    inner.push(secret);
    let encoded = STANDARD.encode(inner.text.as_bytes());
    let mut t = Traced::literal("Basic ", line);
    t.push(&Traced::base64_of(inner, encoded, line));
    t
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(crate) use encode::{
    form_pairs, percent_encode_strict, query_range, quote, quote_plus, raw_host,
};

/// The values hidden in an Authorization header that is not a clean `Basic base64(id:secret)`:
/// raw `id:secret`, wrapped or URL-safe base64, base64 applied twice. Used so the values are
/// known (and redacted) even when the header is malformed.
pub(crate) fn dig_basic(value: &str) -> Option<(String, String)> {
    let (scheme, rest) = value.trim().split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        // `Bearer base64(id:secret)`: the credentials under the wrong scheme.
        return dig_basic(&format!("Basic {rest}")).filter(|(id, _)| is_uuid_shaped(id));
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let rest: String = rest.trim().to_string();
    let split = |s: &str| {
        s.split_once(':')
            .map(|(a, b)| (a.to_string(), b.to_string()))
    };
    let decode = |s: &str| -> Option<String> {
        let compact: String = s.split_whitespace().collect::<String>().replace("\\n", "");
        [&STANDARD, &URL_SAFE]
            .iter()
            .find_map(|e| e.decode(&compact).ok())
            .or_else(|| {
                let t = compact.trim_end_matches('=');
                [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD]
                    .iter()
                    .find_map(|e| e.decode(t).ok())
            })
            .and_then(|b| String::from_utf8(b).ok())
    };
    if let Some(once) = decode(&rest) {
        if let Some(p) = split(&once) {
            return Some(p);
        }
        if let Some(twice) = decode(&once)
            && let Some(p) = split(&twice)
        {
            return Some(p);
        }
        return Some((once, String::new()));
    }
    split(&rest)
}

// ---------------------------------------------------------------------------------------
// Drafts: what every importer fills in, and `finish`, which makes the ImportedRequest.

/// A header of a draft.
#[derive(Clone, Debug)]
pub(crate) struct DraftHeader {
    pub name: String,
    pub value: Traced,
    pub line: Option<usize>,
}

/// A parameter whose meant value the importer knows exactly (a Python dict entry, a curl
/// `--data-urlencode` item).
#[derive(Clone, Debug)]
pub(crate) struct DraftParam {
    pub name: String,
    /// The value as meant, before encoding.
    pub meant: Traced,
    pub line: Option<usize>,
}

/// Credentials the importer put into a Basic header itself (`-u`, `auth=`).
#[derive(Clone, Debug)]
pub(crate) struct DraftBasic {
    pub id: Traced,
    pub secret: Traced,
    pub line: Option<usize>,
}

/// The request an importer read, before [`finish`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Draft {
    pub method: String,
    pub method_line: Option<usize>,
    pub url: Traced,
    pub url_line: Option<usize>,
    pub headers: Vec<DraftHeader>,
    pub body: Traced,
    pub body_line: Option<usize>,
    /// Body parameters known exactly; `None` = read them from the body text.
    pub body_params: Option<Vec<DraftParam>>,
    /// Query parameters known exactly; `None` = read them from the URL.
    pub query_params: Option<Vec<DraftParam>>,
    /// The credentials of the Authorization header, when the importer built it.
    pub basic: Option<DraftBasic>,
    pub call_line: Option<usize>,
    pub notes: Vec<String>,
    pub unresolved: Vec<Unresolved>,
}

impl Draft {
    pub(crate) fn header(&self, name: &str) -> Option<&DraftHeader> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
    }

    pub(crate) fn has_header(&self, name: &str) -> bool {
        self.header(name).is_some()
    }

    /// Sets a header, replacing the first of that name and dropping the others.
    pub(crate) fn set_header(&mut self, name: &str, value: Traced, line: Option<usize>) {
        let mut done = false;
        self.headers.retain_mut(|h| {
            if !h.name.eq_ignore_ascii_case(name) {
                return true;
            }
            if done {
                return false;
            }
            h.value = value.clone();
            h.line = line;
            done = true;
            true
        });
        if !done {
            self.headers.push(DraftHeader {
                name: name.to_string(),
                value,
                line,
            });
        }
    }

    pub(crate) fn remove_header(&mut self, name: &str) {
        self.headers.retain(|h| !h.name.eq_ignore_ascii_case(name));
    }
}

/// A parameter found in the body or query, as `finish` sees it.
struct FoundParam {
    name: String,
    meant: Traced,
    line: Option<usize>,
    location: CredLocation,
}

/// Turns a draft into the imported request: wire request, lines, credentials, unresolved.
pub(crate) fn finish(draft: Draft, kind: InputKind, source: &str) -> ImportedRequest {
    let mut req = HttpRequest::new(&draft.method, &draft.url.text);
    req.headers = draft
        .headers
        .iter()
        .map(|h| (h.name.clone(), h.value.text.clone()))
        .collect();
    req.body = draft.body.text.clone().into_bytes();
    let mut imp = ImportedRequest::new(kind, source, req);

    let body_params = body_params(&draft, &imp.request);
    let query_params = query_params(&draft);
    fill_lines(&mut imp, &draft, &body_params, &query_params);

    let basic = credentials_from_header(&draft);
    for which in [Which::Id, Which::Secret] {
        let name = match which {
            Which::Id => "client_id",
            Which::Secret => "client_secret",
        };
        let from_header = basic.as_ref().and_then(|(id, secret, line)| {
            let t = match which {
                Which::Id => id,
                Which::Secret => secret,
            };
            (!(t.text.is_empty() && which == Which::Secret && t.is_resolved()))
                .then(|| (t.clone(), *line, CredLocation::BasicHeader))
        });
        let from_params = || {
            body_params
                .iter()
                .chain(query_params.iter())
                .find(|p| p.name == name)
                .map(|p| (p.meant.clone(), p.line, p.location.clone()))
        };
        if let Some((t, line, location)) = from_header.or_else(from_params) {
            let found = found_value(&t, location, line);
            if let Some(e) = t.expr() {
                imp.notes.push(expr_note(which, &e));
            }
            match which {
                Which::Id => imp.client_id = Some(found),
                Which::Secret => imp.client_secret = Some(found),
            }
        }
    }

    imp.unresolved = collect_unresolved(&draft, &imp.request);
    let mut notes = draft.notes.clone();
    for (name, line) in defaulted(&draft) {
        let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
        let n = format!("env {name} is not set here, so the input's default{at} is used");
        if !notes.contains(&n) {
            notes.push(n);
        }
    }
    notes.append(&mut imp.notes);
    imp.notes = notes;
    imp
}

fn found_value(t: &Traced, location: CredLocation, line: Option<usize>) -> FoundValue {
    let origin = t.origin();
    // Stray whitespace is the defect of the line that adds it (`echo` without `-n`).
    let stray_line = crate::request::stray_description(&t.text)
        .and_then(|_| {
            t.spans.iter().find(|s| {
                t.text
                    .get(s.range.clone())
                    .is_some_and(|x| !x.is_empty() && x.trim().is_empty())
            })
        })
        .and_then(|s| s.line);
    let value = if t.is_resolved() {
        t.text.clone()
    } else {
        String::new()
    };
    FoundValue {
        value,
        location,
        origin,
        line: stray_line.or_else(|| t.line()).or(line),
    }
}

/// Id and secret of the Authorization header, traced where possible.
fn credentials_from_header(draft: &Draft) -> Option<(Traced, Traced, Option<usize>)> {
    let header = draft.header("authorization")?;
    if let Some(b) = &draft.basic {
        return Some((b.id.clone(), b.secret.clone(), b.line.or(header.line)));
    }
    let value = &header.value;
    let text = value.text.as_str();
    let after = text.find(' ').map(|i| i + 1).unwrap_or(0);
    let token = after..text.trim_end().len();
    if let Some(inner) = value.base64_source(token.clone()) {
        return Some(split_basic(inner, header.line));
    }
    if !value.is_resolved() {
        // The whole header comes from somewhere gcdoctor cannot see.
        let unknown = value.slice(token);
        return Some((unknown.clone(), unknown, header.line));
    }
    let (id, secret) = dig_basic(text)?;
    Some((value.map(id), value.map(secret), header.line))
}

fn split_basic(inner: &Traced, line: Option<usize>) -> (Traced, Traced, Option<usize>) {
    match inner.find_visible(':') {
        Some(i) => (
            inner.slice(0..i),
            inner.slice(i + 1..inner.text.len()),
            line,
        ),
        None => (inner.clone(), Traced::default(), line),
    }
}

fn body_params(draft: &Draft, req: &HttpRequest) -> Vec<FoundParam> {
    let body = Body::parse(req);
    let location = |name: &str| match body {
        Body::Json(_) => CredLocation::JsonField(name.to_string()),
        _ => CredLocation::BodyParam(name.to_string()),
    };
    if let Some(ps) = (draft.body_params.as_ref()).filter(|_| !matches!(body, Body::Json(_))) {
        return ps
            .iter()
            .map(|p| FoundParam {
                name: p.name.clone(),
                meant: p.meant.clone(),
                line: p.line.or(draft.body_line),
                location: location(&p.name),
            })
            .collect();
    }
    let text = &draft.body.text;
    match &body {
        Body::Form(_) => {
            let trimmed_start = text.len() - text.trim_start().len();
            let inner = text.trim();
            form_pairs(inner)
                .into_iter()
                .map(|(name, r)| {
                    let r = r.start + trimmed_start..r.end + trimmed_start;
                    let raw = draft.body.slice(r.clone());
                    let meant = raw.map(intended_from_raw_form(&raw.text));
                    let name = intended_from_raw_form(&name);
                    FoundParam {
                        line: draft
                            .body
                            .line_at(r.start.saturating_sub(1))
                            .or(draft.body_line),
                        location: CredLocation::BodyParam(name.clone()),
                        meant,
                        name,
                    }
                })
                .collect()
        }
        Body::Json(_) | Body::Multipart(_) => body
            .params()
            .into_iter()
            .map(|(name, v)| {
                let needle = match body {
                    Body::Json(_) => format!("\"{name}\""),
                    _ => format!("name=\"{name}\""),
                };
                let at = text.find(&needle);
                FoundParam {
                    line: at.and_then(|i| draft.body.line_at(i)).or(draft.body_line),
                    meant: match at {
                        Some(i) => draft.body.slice(i..text.len()).map(v),
                        None => draft.body.map(v),
                    },
                    location: location(&name),
                    name,
                }
            })
            .collect(),
        Body::Empty | Body::Raw => Vec::new(),
    }
}

fn query_params(draft: &Draft) -> Vec<FoundParam> {
    if let Some(ps) = &draft.query_params {
        return ps
            .iter()
            .map(|p| FoundParam {
                name: p.name.clone(),
                meant: p.meant.clone(),
                line: p.line.or(draft.url_line),
                location: CredLocation::QueryParam(p.name.clone()),
            })
            .collect();
    }
    let Some(q) = query_range(&draft.url.text) else {
        return Vec::new();
    };
    form_pairs(&draft.url.text[q.clone()])
        .into_iter()
        .map(|(name, r)| {
            let raw = draft.url.slice(q.start + r.start..q.start + r.end);
            let name = intended_from_raw_form(&name);
            FoundParam {
                meant: raw.map(intended_from_raw_form(&raw.text)),
                line: raw.line().or(draft.url_line),
                location: CredLocation::QueryParam(name.clone()),
                name,
            }
        })
        .collect()
}

fn fill_lines(
    imp: &mut ImportedRequest,
    draft: &Draft,
    body_params: &[FoundParam],
    query_params: &[FoundParam],
) {
    let mut put = |part: Part, line: Option<usize>| {
        if let Some(l) = line {
            imp.lines.entry(part).or_insert(l);
        }
    };
    let host_line = raw_host(&draft.url.text).and_then(|(r, _)| draft.url.line_at(r.start));
    put(
        Part::Url,
        host_line
            .or(draft.url_line)
            .or_else(|| draft.url.line())
            .or(draft.call_line),
    );
    put(Part::Method, draft.method_line.or(draft.call_line));
    put(Part::Call, draft.call_line);
    put(Part::Body, draft.body_line.or_else(|| draft.body.line()));
    for h in &draft.headers {
        put(
            Part::Header(h.name.to_ascii_lowercase()),
            h.line.or_else(|| h.value.line()),
        );
    }
    for p in body_params.iter().chain(query_params.iter()) {
        put(Part::Param(p.name.clone()), p.line);
    }
}

fn collect_unresolved(draft: &Draft, req: &HttpRequest) -> Vec<Unresolved> {
    let mut out: Vec<Unresolved> = Vec::new();
    let mut add = |what: String, expr: String, line: Option<usize>| {
        if !out.iter().any(|u| u.what == what && u.expr == expr) {
            out.push(Unresolved { what, expr, line });
        }
    };
    for (_, e, l) in draft.url.unknown_parts() {
        add(WHAT_URL.into(), e, l);
    }
    for h in &draft.headers {
        if h.name.eq_ignore_ascii_case("authorization")
            && let Some(b) = &draft.basic
        {
            for (t, what) in [(&b.id, WHAT_ID), (&b.secret, WHAT_SECRET)] {
                for (_, e, l) in t.unknown_parts() {
                    add(what.into(), e, l.or(b.line));
                }
            }
            continue;
        }
        if h.name.eq_ignore_ascii_case("authorization")
            && let Some(inner) = h.value.spans.iter().find_map(|s| match &s.src {
                Src::Base64Of(i) => Some(i),
                _ => None,
            })
        {
            let (id, secret, _) = split_basic(inner, h.line);
            for (t, what) in [(&id, WHAT_ID), (&secret, WHAT_SECRET)] {
                for (_, e, l) in t.unknown_parts() {
                    add(what.into(), e, l.or(h.line));
                }
            }
            continue;
        }
        for (_, e, l) in h.value.unknown_parts() {
            add(what_header(&h.name), e, l.or(h.line));
        }
    }
    let is_json =
        matches!(Body::parse(req), Body::Json(_)) || draft.body.text.trim_start().starts_with('{');
    let pairs = if is_json {
        Vec::new()
    } else {
        form_pairs(&draft.body.text)
    };
    for (r, e, l) in draft.body.unknown_parts() {
        let what = if is_json {
            json_key_before(&draft.body.text, r.start)
        } else {
            pairs
                .iter()
                .find(|(_, vr)| vr.start <= r.start && r.end <= vr.end.max(vr.start + 1))
                .map(|(n, _)| intended_from_raw_form(n))
        };
        let what = match what.as_deref() {
            Some("client_id") => WHAT_ID.to_string(),
            Some("client_secret") => WHAT_SECRET.to_string(),
            Some(n) => format!("the {n} parameter"),
            None => WHAT_BODY.to_string(),
        };
        add(what, e, l.or(draft.body_line));
    }
    if let Some(ps) = &draft.query_params {
        for p in ps {
            for (_, e, l) in p.meant.unknown_parts() {
                add(WHAT_URL.into(), e, l.or(p.line));
            }
        }
    }
    for u in &draft.unresolved {
        add(u.what.clone(), u.expr.clone(), u.line);
    }
    out
}

/// The JSON key whose value contains byte `at` (a rough look back for `"key":`).
fn json_key_before(text: &str, at: usize) -> Option<String> {
    let head = text.get(..at)?;
    let colon = head.rfind(':')?;
    let before = head[..colon].trim_end().strip_suffix('"')?;
    let open = before.rfind('"')?;
    Some(before[open + 1..].to_string())
}

fn defaulted(draft: &Draft) -> Vec<(String, Option<usize>)> {
    let mut all = draft.url.defaulted_env();
    for h in &draft.headers {
        all.extend(h.value.defaulted_env());
    }
    all.extend(draft.body.defaulted_env());
    if let Some(b) = &draft.basic {
        all.extend(b.id.defaulted_env());
        all.extend(b.secret.defaulted_env());
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_display_omits_what_is_unknown() {
        let e = ImportError::new("req.har", "not a HAR file");
        assert_eq!(e.to_string(), "req.har: not a HAR file");
        assert_eq!(
            e.clone().at(7, Some(12)).to_string(),
            "req.har:7:12: not a HAR file"
        );
        assert_eq!(e.at(7, None).to_string(), "req.har:7: not a HAR file");
    }

    #[test]
    fn line_index() {
        let t = "ab\ncd\n\nef";
        let li = LineIndex::new(t);
        assert_eq!(li.line(0), 1);
        assert_eq!(li.line(3), 2);
        assert_eq!(li.line(6), 3);
        assert_eq!(li.line_col(t, 8), (4, 2));
    }

    #[test]
    fn traced_slices_keep_their_source() {
        let mut t = Traced::literal("client_secret=", Some(3));
        t.push(&Traced::new(
            "abc",
            Src::Env {
                name: "S".into(),
                state: EnvState::Set,
                expr: "$S".into(),
            },
            Some(4),
        ));
        let v = t.slice(14..17);
        assert_eq!(v.text, "abc");
        assert_eq!(v.origin(), ValueOrigin::Env("S".into()));
        assert_eq!(v.line(), Some(4));
        assert_eq!(t.slice(0..6).origin(), ValueOrigin::Literal);
    }

    #[test]
    fn detect_by_extension_then_content() {
        assert_eq!(detect("", "x.har"), Some(InputKind::Har));
        assert_eq!(detect("curl https://x", "cmd.txt"), Some(InputKind::Curl));
        assert_eq!(
            detect("POST /oauth/token HTTP/1.1\nHost: x\n", "req.txt"),
            Some(InputKind::Http)
        );
        assert_eq!(
            detect("import requests\nrequests.post(u)", "snippet"),
            Some(InputKind::Python)
        );
        assert_eq!(detect("{\"log\": {}}", "-"), Some(InputKind::Har));
        assert_eq!(detect("hello", "-"), None);
        assert_eq!(
            detect("ID=x\nTOKEN=$(curl -s https://x)\n", "run"),
            Some(InputKind::Curl)
        );
        let py = "import requests\n\"\"\"\ncurl https://x\n\"\"\"\n";
        assert_eq!(detect(py, "snippet"), Some(InputKind::Python));
        for ext in ["x.js", "x.mjs", "x.cjs", "x.ts"] {
            assert_eq!(detect("", ext), Some(InputKind::Js), "{ext}");
        }
        let js = "import axios from 'axios';\nconst r = await axios.post(url, data);\n";
        assert_eq!(detect(js, "snippet"), Some(InputKind::Js));
        let js = "const platformClient = require('purecloud-platform-client-v2');\n";
        assert_eq!(detect(js, "-"), Some(InputKind::Js));
    }

    #[test]
    fn digging_values_out_of_bad_basic_headers() {
        assert_eq!(
            dig_basic("Basic id:secret"),
            Some(("id".into(), "secret".into()))
        );
        let twice = STANDARD.encode(STANDARD.encode("id:s"));
        assert_eq!(
            dig_basic(&format!("Basic {twice}")),
            Some(("id".into(), "s".into()))
        );
        assert_eq!(dig_basic("Bearer x"), None);
    }

    #[test]
    fn encoders() {
        assert_eq!(quote_plus("a b+c/d"), "a+b%2Bc%2Fd");
        assert_eq!(percent_encode_strict("a b+~"), "a%20b%2B~");
        assert_eq!(
            raw_host("https://u@{org}.x.com:443/p").map(|x| x.1),
            Some("{org}.x.com")
        );
        assert_eq!(
            query_range("https://h/p?a=1#f").map(|r| &"https://h/p?a=1#f"[r]),
            Some("a=1")
        );
    }
}

/// Property tests: no importer panics, whatever it is given, and neither does lint on what it
/// imports. One module for every kind of input: the properties are the same.
#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    const KINDS: [InputKind; 6] = [
        InputKind::Curl,
        InputKind::Http,
        InputKind::Har,
        InputKind::Python,
        InputKind::Js,
        InputKind::Postman,
    ];

    fn env(name: &str) -> Option<String> {
        name.len()
            .is_multiple_of(2)
            .then(|| "v+al ue:x".to_string())
    }

    fn check(kind: InputKind, text: &str) {
        if let Ok(imp) = parse(text, kind, "prop", &env) {
            let _ = crate::lint::lint(&imp);
        }
    }

    fn check_all(text: &str) {
        for kind in KINDS {
            check(kind, text);
        }
    }

    /// Every fixture with the kind it is read as.
    fn fixtures() -> &'static [(InputKind, Vec<u8>)] {
        static CACHE: OnceLock<Vec<(InputKind, Vec<u8>)>> = OnceLock::new();
        CACHE.get_or_init(|| {
            let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
            let mut out = Vec::new();
            for dir in ["curl", "http", "har", "python", "js", "postman", "seeds"] {
                let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}")) else {
                    continue;
                };
                for e in entries.flatten() {
                    let path = e.path();
                    let Ok(bytes) = std::fs::read(&path) else {
                        continue;
                    };
                    let text = String::from_utf8_lossy(&bytes);
                    if let Some(kind) = detect(&text, &path.to_string_lossy()) {
                        out.push((kind, bytes));
                    }
                }
            }
            out.sort_by(|a, b| a.1.cmp(&b.1));
            out
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 2500,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn arbitrary_strings(s in any::<String>()) {
            check_all(&s);
        }

        #[test]
        fn arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..600)) {
            check_all(&String::from_utf8_lossy(&b));
        }

        /// Text made of each syntax's own characters, bare and after a valid start.
        #[test]
        fn syntax_soup(
            curl in "[a-zA-Z0-9 '\"\\\\$(){}|;&<>\\n^`%=:@/.-]{0,240}",
            http in "[A-Za-z0-9 :/?&=%+.\\r\\n{}\"-]{0,240}",
            har in "[a-z0-9 {}\\[\\]:,\"\\\\.\\n-]{0,240}",
            python in "[a-zA-Z0-9 _.,:=+%()\\[\\]{}'\"\\\\\\n#*-]{0,240}",
            js in "[a-zA-Z0-9 _.,:;=+%()\\[\\]{}'\"`$\\\\\\n/*!?&|<>-]{0,240}",
        ) {
            for (kind, s, start) in [
                (InputKind::Curl, curl, "curl "),
                (InputKind::Http, http, "POST /oauth/token HTTP/1.1\n"),
                (InputKind::Har, har, "{\"log\": {\"entries\": ["),
                (InputKind::Python, python, "import requests\nrequests.post("),
                (InputKind::Js, js.clone(), "const axios = require('axios');\naxios.post("),
                (
                    InputKind::Js,
                    js,
                    "const platformClient = require('purecloud-platform-client-v2');\nconst client = platformClient.ApiClient.instance;\nclient.setEnvironment(",
                ),
            ] {
                check(kind, &s);
                check(kind, &format!("{start}{s}"));
            }
        }

        /// Valid inputs cut short and with random bytes changed.
        #[test]
        fn mutated_fixtures(
            pick in any::<prop::sample::Index>(),
            cut in any::<prop::sample::Index>(),
            flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        ) {
            let all = fixtures();
            prop_assume!(!all.is_empty());
            let (kind, original) = pick.get(all);
            let mut bytes = original.clone();
            bytes.truncate(cut.index(bytes.len() + 1));
            for (at, b) in flips {
                if !bytes.is_empty() {
                    let i = at.index(bytes.len());
                    bytes[i] = b;
                }
            }
            check(*kind, &String::from_utf8_lossy(&bytes));
        }
    }
}
