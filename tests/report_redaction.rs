//! Redaction by construction: a secret put in any string of the model, in any encoded form,
//! comes out of no format in any form, whether the renderer escapes it (JSON, XML, markdown)
//! or not. The forms are computed here, independently of `secret::encoded_forms`, and each
//! output is also checked after decoding it the way its reader would (JSON strings, XML
//! entities, markdown text, ANSI colours stripped).
//!
//! The end-to-end test runs the real binary on the built-in scenarios and checks that the
//! scenarios' secrets (docs/simulator.md) appear in no output in any form.

#[path = "common/report.rs"]
mod common;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use common::*;
use gcdoctor::report::{Format, RenderOptions, Report, render};
use gcdoctor::secret::Redactor;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;

/// RFC 3986 unreserved characters stay, everything else is encoded (what `quote()` does).
const KEEP_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn lower_hex(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        out.push(c);
        if c == '%' {
            out.extend(it.by_ref().take(2).map(|h| h.to_ascii_lowercase()));
        }
    }
    out
}

/// Every form of `secret` that must not appear, longest first.
fn forms(secret: &str, id: &str) -> Vec<String> {
    let mut v = vec![secret.to_string()];
    for set in [NON_ALPHANUMERIC, KEEP_UNRESERVED] {
        let upper = utf8_percent_encode(secret, set).to_string();
        v.push(lower_hex(&upper));
        v.push(upper);
    }
    v.push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    let json = serde_json::to_string(secret).expect("json");
    v.push(json[1..json.len() - 1].to_string());
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        v.push(engine.encode(secret));
        v.push(engine.encode(format!("{id}:{secret}")));
    }
    v.sort_by_key(|f| std::cmp::Reverse(f.len()));
    v.dedup();
    v
}

/// The forms as they are placed in the model: raw, percent-encoded (both cases), `+`-form,
/// JSON-escaped, base64 (standard, URL-safe) and a Basic header, in realistic contexts.
fn placed(secret: &str, id: &str) -> String {
    let pct = utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string();
    let plus: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let json = serde_json::to_string(secret).expect("json");
    format!(
        "raw {secret} | pct {pct} {lower} | query ?client_secret={plus}&grant_type=client_credentials | json {{\"client_secret\":{json}}} | b64 {b64} {b64url} | Authorization: Basic {basic} | end",
        lower = lower_hex(&pct),
        b64 = STANDARD.encode(secret),
        b64url = URL_SAFE_NO_PAD.encode(secret),
        basic = STANDARD.encode(format!("{id}:{secret}")),
    )
}

/// The outputs of every format a user can ask for.
fn outputs(r: &Report, red: &Redactor) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for (name, format) in [
        ("text", Format::Text),
        ("markdown", Format::Markdown),
        ("json", Format::Json),
        ("junit", Format::Junit),
    ] {
        for (color, unicode, verbose) in [(false, true, true), (true, false, false)] {
            let opts = RenderOptions {
                color,
                unicode,
                verbose,
                brief: false,
            };
            v.push((format!("{name} {opts:?}"), render(r, format, opts, red)));
        }
    }
    v
}

/// The output decoded the way its reader decodes it.
fn decoded(name: &str, out: &str) -> String {
    if name.starts_with("json") {
        let v: serde_json::Value = serde_json::from_str(out).expect("json output parses");
        let mut all = String::new();
        collect_strings(&v, &mut all);
        all
    } else if name.starts_with("junit") {
        xml_unescape(out)
    } else if name.starts_with("markdown") {
        markdown_text(out)
    } else {
        strip_ansi(out)
    }
}

fn collect_strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| {
            out.push_str(k);
            out.push('\n');
            collect_strings(x, out);
        }),
        _ => {}
    }
}

fn xml_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &tail[1..e];
            let c = match ent {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => ent
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn markdown_text(s: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let mut out = String::new();
    for ev in Parser::new_ext(s, Options::ENABLE_TABLES | Options::ENABLE_GFM) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Fails if any form of any secret is in the output or in its decoded text.
fn assert_clean(what: &str, out: &str, secrets: &[&str], id: &str) -> Result<(), TestCaseError> {
    let dec = decoded(what, out);
    for secret in secrets {
        for f in forms(secret, id) {
            prop_assert!(
                !out.contains(&f),
                "{what}: form {f:?} of {secret:?} leaks:\n{out}"
            );
            prop_assert!(
                !dec.contains(&f),
                "{what}: form {f:?} of {secret:?} leaks once decoded:\n{dec}"
            );
        }
    }
    Ok(())
}

const ID: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";

fn secret_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            8 => (0x20u8..0x7f).prop_map(char::from),
            1 => prop::sample::select(vec!['ü', 'é', 'ß', '名', '😀', '\u{a0}']),
        ],
        12..=64,
    )
    .prop_map(|v| v.into_iter().collect::<String>())
    // A secret that is only spaces is not a credential anyone has.
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_form_of_a_secret_survives_any_format(secret in secret_strategy()) {
        let mut red = Redactor::new();
        red.add(&secret);
        let text = placed(&secret, ID);
        let r = report_with(&|label| format!("{label} {text}"));
        for (what, out) in outputs(&r, &red) {
            assert_clean(&what, &out, &[&secret], ID)?;
        }
        // The CLI's path: scrub the model, then render.
        let mut scrubbed = r.clone();
        scrubbed.scrub(&red);
        for (what, out) in outputs(&scrubbed, &red) {
            assert_clean(&what, &out, &[&secret], ID)?;
        }
    }
}

#[test]
fn known_awkward_secrets() {
    for secret in [
        "ab+c/d=e&f%g#h i\"j'k\\l`m<n>o|p",
        "weKRo+hNskTY/1SFpjip=MAbvQP3dr+ac0HR4/c3jpA",
        "  leading and trailing  ",
        "%2B%2F%3D already encoded",
        "ünïcödé-sécret-名前-😀",
        "<redacted>-lookalike-123",
    ] {
        let mut red = Redactor::new();
        red.add(secret);
        let text = placed(secret, ID);
        let r = report_with(&|label| format!("{label} {text}"));
        for (what, out) in outputs(&r, &red) {
            if let Err(e) = assert_clean(&what, &out, &[secret], ID) {
                panic!("{secret:?}: {e}");
            }
        }
    }
}

#[test]
fn the_demo_secrets_never_appear_in_any_output() {
    let mut runs: Vec<(String, std::process::Output)> = Vec::new();
    for name in scenarios() {
        for format in FORMATS {
            runs.push((
                format!("{name} {format} -v"),
                demo(name, format, &["--verbose"]),
            ));
        }
        runs.push((format!("{name} text"), demo(name, "text", &[])));
    }
    for format in FORMATS {
        runs.push((
            format!("inconclusive {format}"),
            inconclusive(format, &["--verbose"]),
        ));
    }
    for (what, out) in &runs {
        for (stream, text) in [("stdout", stdout(out)), ("stderr", stderr(out))] {
            let what = format!("{what} ({stream})");
            // stderr is plain text; stdout is decoded by its format.
            let kind = if stream == "stderr" {
                "text"
            } else {
                what.split(' ').nth(1).unwrap_or("text")
            };
            let dec = decoded(kind, &text);
            for secret in SECRETS {
                for id in [MAIN_ID, ADMIN_ID, CODE_ID] {
                    for f in forms(secret, id) {
                        assert!(!text.contains(&f), "{what}: {f:?} of {secret:?} leaks");
                        assert!(
                            !dec.contains(&f),
                            "{what}: {f:?} of {secret:?} leaks once decoded"
                        );
                    }
                }
            }
        }
    }
}
