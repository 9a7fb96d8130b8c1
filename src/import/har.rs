//! `--from-har`: a browser's or proxy's HAR 1.2 export.
//!
//! A HAR holds every request of a session; the token request is the one that posts to
//! `/oauth/token` (or sends `grant_type`). When there are several (retries, several clients)
//! the last one that failed is the one worth explaining, and the report says which was taken.
//! HAR files are JSON, so serde_json reads the content; a small locator walks the raw text
//! once more to find the line of each part of the picked entry, so findings point into the
//! file the user has open. Browsers' exports are often incomplete (Chrome's sanitized export
//! drops `Authorization`, some exports leave bodies out); what is missing is said, not guessed.

use super::json_locate::{array_nth, object_get, ws};
use super::{Draft, DraftHeader, ImportError, LineIndex, Traced, WHAT_BODY, finish};
use crate::request::{ImportedRequest, InputKind, Unresolved, form_encode};
use serde_json::Value;

/// Imports the token request of a HAR file.
pub(crate) fn parse(text: &str, source: &str) -> Result<ImportedRequest, ImportError> {
    let root: Value = serde_json::from_str(text).map_err(|e| json_error(source, &e))?;
    let entries = root
        .get("log")
        .and_then(|l| l.get("entries"))
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ImportError::new(source, "not a HAR file: no log.entries (is it truncated?)")
        })?;
    let candidates: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| is_token_request(e))
        .map(|(i, _)| i)
        .collect();
    let Some(&picked) = pick(entries, &candidates) else {
        return Err(ImportError::new(
            source,
            format!(
                "no token request found: none of the {} entries posts to a URL ending in /oauth/token or sends grant_type",
                entries.len()
            ),
        ));
    };
    let entry = &entries[picked];
    let lines = LineIndex::new(text);
    let loc = Locator::new(text.as_bytes(), &lines, picked);
    let mut d = draft(entry, &loc);
    if candidates.len() > 1 {
        d.notes.push(pick_note(entries, &candidates, picked));
    }
    Ok(finish(d, InputKind::Har, source))
}

fn json_error(source: &str, e: &serde_json::Error) -> ImportError {
    let full = e.to_string();
    let what = full.split(" at line ").next().unwrap_or(&full);
    let msg = if e.is_eof() {
        format!("not a complete HAR file: the JSON ends early (is it truncated?): {what}")
    } else {
        format!("not a HAR file: invalid JSON: {what}")
    };
    ImportError::new(source, msg).at(e.line().max(1), Some(e.column().max(1)))
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

fn is_token_request(e: &Value) -> bool {
    let url = str_at(e, &["request", "url"]).unwrap_or("");
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path.trim_end_matches('/').ends_with("/oauth/token") {
        return true;
    }
    let body = str_at(e, &["request", "postData", "text"]).unwrap_or("");
    let in_params = e
        .pointer("/request/postData/params")
        .and_then(Value::as_array)
        .is_some_and(|ps| {
            ps.iter()
                .any(|p| p.get("name").and_then(Value::as_str) == Some("grant_type"))
        });
    body.contains("grant_type") || in_params
}

fn status(e: &Value) -> i64 {
    e.pointer("/response/status")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// The last failed token request, else the last one.
fn pick<'a>(entries: &[Value], candidates: &'a [usize]) -> Option<&'a usize> {
    candidates
        .iter()
        .rev()
        .find(|&&i| status(&entries[i]) >= 400)
        .or_else(|| candidates.last())
}

fn pick_note(entries: &[Value], candidates: &[usize], picked: usize) -> String {
    let e = &entries[picked];
    let when = e
        .get("startedDateTime")
        .and_then(Value::as_str)
        .unwrap_or("time unknown");
    let why = if status(e) >= 400 {
        format!("the last that failed, status {}", status(e))
    } else {
        "the last; none failed".to_string()
    };
    format!(
        "the HAR has {} token requests (entries {}); entry {} ({when}) is read: {why}",
        candidates.len(),
        candidates
            .iter()
            .map(|i| format!("#{}", i + 1))
            .collect::<Vec<_>>()
            .join(", "),
        format_args!("#{}", picked + 1),
    )
}

/// The draft of one HAR entry.
fn draft(entry: &Value, loc: &Locator<'_>) -> Draft {
    let req = entry.get("request").cloned().unwrap_or(Value::Null);
    let mut d = Draft {
        method: req
            .get("method")
            .and_then(Value::as_str)
            .unwrap_or("GET")
            .to_string(),
        method_line: loc.line(&["request", "method"]),
        call_line: loc.line(&["request"]),
        ..Draft::default()
    };
    let mut url = req
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !url.contains('?')
        && let Some(qs) = req.get("queryString").and_then(Value::as_array)
        && !qs.is_empty()
    {
        url = format!("{url}?{}", encode_pairs(qs));
    }
    d.url_line = loc.line(&["request", "url"]);
    d.url = Traced::literal(url, d.url_line);

    if let Some(hs) = req.get("headers").and_then(Value::as_array) {
        for (j, h) in hs.iter().enumerate() {
            let name = h.get("name").and_then(Value::as_str).unwrap_or("");
            let value = h.get("value").and_then(Value::as_str).unwrap_or("");
            if name.is_empty() || name.starts_with(':') {
                continue;
            }
            let line = loc.line_idx(&["request", "headers"], j);
            d.headers.push(DraftHeader {
                name: name.to_string(),
                value: Traced::literal(value, line),
                line,
            });
        }
    }

    match req.get("postData") {
        Some(pd) => read_post_data(&mut d, pd, loc),
        None if !d.method.eq_ignore_ascii_case("GET") => {
            d.notes.push("the HAR entry has no postData: the export left the body out, so the body is not checked".into());
            d.unresolved.push(Unresolved {
                what: WHAT_BODY.into(),
                expr: "the request body (not in the HAR)".into(),
                line: d.call_line,
            });
        }
        None => {}
    }
    if !d.has_header("authorization") && !d.body.text.contains("client_secret") {
        d.notes.push(
            "no Authorization header in the HAR entry: browsers' sanitized exports remove it; export \"with sensitive data\" to check it"
                .into(),
        );
    }
    d
}

/// A HAR `[{name, value}]` array (query or form params), form-encoded.
fn encode_pairs(items: &[Value]) -> String {
    items
        .iter()
        .map(|p| {
            let n = p.get("name").and_then(Value::as_str).unwrap_or("");
            let v = p.get("value").and_then(Value::as_str).unwrap_or("");
            format!("{}={}", form_encode(n), form_encode(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn read_post_data(d: &mut Draft, pd: &Value, loc: &Locator<'_>) {
    let mime = pd.get("mimeType").and_then(Value::as_str).unwrap_or("");
    if let Some(text) = pd.get("text").and_then(Value::as_str) {
        d.body_line = loc.line(&["request", "postData", "text"]);
        d.body = Traced::literal(text, d.body_line);
    } else if let Some(ps) = pd.get("params").and_then(Value::as_array) {
        d.body_line = loc.line(&["request", "postData", "params"]);
        d.body = Traced::literal(encode_pairs(ps), d.body_line);
    } else {
        d.notes
            .push("the HAR entry's postData has no text: the body is not checked".into());
        d.unresolved.push(Unresolved {
            what: WHAT_BODY.into(),
            expr: "postData without text".into(),
            line: loc.line(&["request", "postData"]),
        });
    }
    if !mime.is_empty() && !d.has_header("content-type") {
        d.headers.push(DraftHeader {
            name: "Content-Type".into(),
            value: Traced::literal(mime, loc.line(&["request", "postData", "mimeType"])),
            line: loc.line(&["request", "postData", "mimeType"]),
        });
    }
}

// ---------------------------------------------------------------------------------------
// Finding the lines of the picked entry in the raw JSON text.

/// Walks validated JSON text to the byte offset of a value by path.
struct Locator<'a> {
    b: &'a [u8],
    lines: &'a LineIndex,
    /// Offset of `log.entries[picked]`.
    entry: Option<usize>,
}

impl<'a> Locator<'a> {
    fn new(b: &'a [u8], lines: &'a LineIndex, picked: usize) -> Locator<'a> {
        let entry = ws(b, 0)
            .and_then(|i| object_get(b, i, "log"))
            .and_then(|i| object_get(b, i, "entries"))
            .and_then(|i| array_nth(b, i, picked));
        Locator { b, lines, entry }
    }

    fn offset(&self, path: &[&str]) -> Option<usize> {
        let mut at = self.entry?;
        for p in path {
            at = object_get(self.b, at, p)?;
        }
        Some(at)
    }

    fn line(&self, path: &[&str]) -> Option<usize> {
        self.offset(path).map(|o| self.lines.line(o))
    }

    /// Line of the `n`th element of an array of `{name, value}` objects (its `name`).
    fn line_idx(&self, path: &[&str], n: usize) -> Option<usize> {
        let at = self.offset(path)?;
        let item = array_nth(self.b, at, n)?;
        let name = object_get(self.b, item, "name").unwrap_or(item);
        Some(self.lines.line(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locator_finds_nested_values() {
        let t = "{\"log\": {\"x\": [1, {\"a\": \"}\"}],\n \"entries\": [\n {\"request\": {\"url\": \"u0\"}},\n {\"request\":\n {\"url\": \"u1\"}}]}}";
        let li = LineIndex::new(t);
        let loc = Locator::new(t.as_bytes(), &li, 1);
        assert_eq!(loc.line(&["request", "url"]), Some(5));
        let loc0 = Locator::new(t.as_bytes(), &li, 0);
        assert_eq!(loc0.line(&["request", "url"]), Some(3));
    }
}
