//! The importers, one table row per kind: its name, file extensions, content sniffing, parser
//! and corrected-request snippet. Detection (`lint`, `--from FILE`), parse dispatch and the
//! suggestion `lint` prints all read this table, so adding a language is one row here plus
//! its module.
//!
//! Detection, in order: a row that claims the input outright (a Postman collection, by its
//! schema), then the file extension, then the content: the first row whose sniffer is sure,
//! else the row whose language markers count highest (the earlier row on a tie).

use super::sniff::{Sniff, Sniffed};
use super::{
    ImportError, csharp, curl, go, har, java, js, postman, powershell, python, raw_http,
    script::Env, snippet,
};
use crate::region::Region;
use crate::request::SdkSetting;
use crate::request::{ImportedRequest, InputKind, SdkKind};

type Parse = fn(&str, &str, Env) -> Result<ImportedRequest, ImportError>;
/// Writes the corrected request: the input, the token URL and a comment on the region.
type Write = fn(&ImportedRequest, &str, &str) -> String;
/// Writes the corrected request in an SDK's own form.
type WriteSdk = fn(&ImportedRequest, &SdkSetting, &Region, &str) -> String;

/// One kind of input.
pub(crate) struct Importer {
    pub(crate) kind: InputKind,
    pub(crate) extensions: &'static [&'static str],
    /// Takes the input before extensions are looked at (`text`, lower-case path).
    pub(crate) claims: fn(&str, &str) -> bool,
    pub(crate) sniff: fn(&Sniffed) -> Sniff,
    pub(crate) parse: Parse,
    /// The corrected request in the input's own language: (language, writer).
    pub(crate) snippet: Option<(&'static str, Write)>,
    /// The corrected request for a script that uses this SDK.
    pub(crate) sdk: Option<(SdkKind, WriteSdk)>,
}

fn never(_: &str, _: &str) -> bool {
    false
}

fn no_sniff(_: &Sniffed) -> Sniff {
    Sniff::No
}

pub(crate) static IMPORTERS: [Importer; 10] = [
    Importer {
        kind: InputKind::Postman,
        extensions: &[],
        claims: postman::detect,
        sniff: no_sniff,
        parse: postman::parse,
        snippet: None,
        sdk: None,
    },
    Importer {
        kind: InputKind::Har,
        extensions: &[".har"],
        claims: never,
        sniff: sniff_har,
        parse: |t, s, _| har::parse(t, s),
        snippet: None,
        sdk: None,
    },
    Importer {
        kind: InputKind::Http,
        extensions: &[".http", ".rest", ".req"],
        claims: never,
        sniff: sniff_http,
        parse: |t, s, _| raw_http::parse(t, s),
        snippet: None,
        sdk: None,
    },
    Importer {
        kind: InputKind::Curl,
        extensions: &[".curl", ".sh", ".bash", ".cmd", ".bat", ".ps1"],
        claims: never,
        sniff: sniff_curl,
        parse: curl::parse,
        snippet: None,
        sdk: None,
    },
    Importer {
        kind: InputKind::Python,
        extensions: &[".py"],
        claims: never,
        sniff: python::sniff,
        parse: python::parse,
        snippet: Some(("python", snippet::python)),
        sdk: Some((SdkKind::Python, snippet::python_sdk)),
    },
    Importer {
        kind: InputKind::Js,
        extensions: &[".js", ".mjs", ".cjs", ".ts"],
        claims: never,
        sniff: js::sniff,
        parse: js::parse,
        snippet: Some(("javascript", snippet::js)),
        sdk: Some((SdkKind::JavaScript, snippet::js_sdk)),
    },
    // After curl: a `.ps1` that only runs `curl.exe …` stays curl; one that calls
    // Invoke-RestMethod is claimed by its content.
    Importer {
        kind: InputKind::PowerShell,
        extensions: &[".ps1", ".psm1"],
        claims: powershell::claims,
        sniff: powershell::sniff,
        parse: powershell::parse,
        snippet: Some(("powershell", powershell::snippet::write)),
        sdk: None,
    },
    Importer {
        kind: InputKind::CSharp,
        extensions: &[".cs", ".csx"],
        claims: never,
        sniff: csharp::sniff,
        parse: csharp::parse,
        snippet: Some(("csharp", csharp::snippet::write)),
        sdk: Some((SdkKind::DotNet, csharp::snippet::write_sdk)),
    },
    Importer {
        kind: InputKind::Java,
        extensions: &[".java"],
        claims: never,
        sniff: java::sniff,
        parse: java::parse,
        snippet: Some(("java", java::snippet::java)),
        sdk: Some((SdkKind::Java, java::snippet::java_sdk)),
    },
    Importer {
        kind: InputKind::Go,
        extensions: &[".go"],
        claims: never,
        sniff: go::sniff,
        parse: go::parse,
        snippet: Some(("go", go::snippet::go)),
        sdk: Some((SdkKind::Go, go::snippet::go_sdk)),
    },
];

/// The row of a kind.
pub(crate) fn importer(kind: InputKind) -> &'static Importer {
    IMPORTERS
        .iter()
        .find(|i| i.kind == kind)
        .expect("every input kind has a row")
}

/// The kind of an input: claimed by its content, by file extension, then sniffed.
pub(crate) fn detect(text: &str, path: &str) -> Option<InputKind> {
    let lower = path.to_ascii_lowercase();
    if let Some(i) = IMPORTERS.iter().find(|i| (i.claims)(text, &lower)) {
        return Some(i.kind);
    }
    let by_ext = IMPORTERS
        .iter()
        .find(|i| i.extensions.iter().any(|e| lower.ends_with(e)));
    if let Some(i) = by_ext {
        return Some(i.kind);
    }
    let first = text
        .trim_start()
        .lines()
        .map(str::trim)
        .find(|t| !t.is_empty() && !t.starts_with('#'));
    let seen = Sniffed { text, first };
    let mut best: Option<(usize, InputKind)> = None;
    for i in &IMPORTERS {
        match (i.sniff)(&seen) {
            Sniff::Sure => return Some(i.kind),
            Sniff::Markers(n) if best.is_none_or(|(b, _)| n > b) => best = Some((n, i.kind)),
            _ => {}
        }
    }
    best.map(|(_, k)| k)
}

fn sniff_har(s: &Sniffed) -> Sniff {
    let trimmed = s.text.trim_start();
    if trimmed.starts_with('{') && trimmed.contains("\"log\"") {
        Sniff::Sure
    } else {
        Sniff::No
    }
}

fn sniff_http(s: &Sniffed) -> Sniff {
    match s.first {
        Some(f) if raw_http::looks_like_request_line(f) || f.starts_with(":method") => Sniff::Sure,
        _ => Sniff::No,
    }
}

fn sniff_curl(s: &Sniffed) -> Sniff {
    let Some(first) = s.first else {
        return Sniff::No;
    };
    let word = first
        .trim_start_matches("$ ")
        .trim_start_matches("PS> ")
        .split_whitespace()
        .next()
        .unwrap_or("");
    if matches!(word, "curl" | "curl.exe") {
        return Sniff::Sure;
    }
    // A shell script that sets variables before its curl command.
    if s.text.lines().any(|l| {
        let w = l.trim_start().trim_start_matches("$ ");
        w.starts_with("curl ") || w.starts_with("curl.exe ") || w.contains("=$(curl ")
    }) && !s.text.contains("import ")
    {
        return Sniff::Sure;
    }
    Sniff::No
}

/// The corrected request for `imp`: (language, text). An SDK script gets the SDK's own
/// form; a kind with a writer its language; any other curl.
pub(crate) fn corrected(
    imp: &ImportedRequest,
    url: &str,
    r: &Region,
    comment: &str,
) -> (&'static str, String) {
    if let Some(sdk) = imp.sdk.as_ref()
        && let Some((row, write)) = IMPORTERS
            .iter()
            .find_map(|i| i.sdk.filter(|s| s.0 == sdk.kind).map(|s| (i, s.1)))
        && let Some((language, _)) = row.snippet
    {
        return (language, write(imp, sdk, r, comment));
    }
    match importer(imp.kind).snippet {
        Some((language, write)) => (language, write(imp, url, comment)),
        None => ("curl", snippet::curl(imp, url, comment)),
    }
}

/// The script kinds (those whose corrected request is written in their own language), each
/// with its first file extension: what the benchmark lints one of each of.
pub fn script_kinds() -> Vec<(InputKind, &'static str)> {
    IMPORTERS
        .iter()
        .filter(|i| i.snippet.is_some())
        .filter_map(|i| i.extensions.first().map(|e| (i.kind, *e)))
        .collect()
}
