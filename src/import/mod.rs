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

mod csharp;
mod curl;
mod draft;
mod encode;
mod finish;
mod go;
mod har;
pub mod intent;
mod java;
mod js;
mod json_locate;
pub mod position;
pub mod postman;
mod powershell;
mod python;
mod raw_http;
mod registry;
pub(crate) mod script;
pub(crate) mod shell;
mod sniff;
pub(crate) mod snippet;
mod syntax_tree;
mod traced;

pub(crate) use draft::{
    Draft, DraftBasic, DraftHeader, DraftParam, basic_header, dig_basic, sdk_token_draft,
};
pub(crate) use encode::{
    form_pairs, percent_encode_strict, query_range, quote, quote_plus, raw_host,
};
pub(crate) use finish::finish;
pub(crate) use syntax_tree::{Ctx, Frame, first_error};
pub(crate) use traced::{EnvState, LineIndex, Span, Src, Traced};

use crate::request::{ImportedRequest, InputKind};
use std::fmt;

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
                "cannot tell what kind of input this is: name it with --from-curl, --from-http, --from-har, --from-python, --from-js, --from-powershell, --from-csharp, --from-java, --from-go or --from-postman (lint: --kind)",
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
            let _ = crate::linter::lint(&imp);
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
