//! `--from-http`: a raw HTTP/1.1 request as pasted from a proxy, a debugger or a log. (This
//! is the raw HTTP *importer*; the HTTP client that sends requests is [`crate::http`].)
//!
//! Pasted requests are rarely byte-exact: line endings turn into `\n`, blank lines creep in
//! before the request line, an editor adds a final newline after the body, a devtools panel
//! shows HTTP/2 pseudo-headers (`:authority`, `:path`) instead of a request line. The parser
//! accepts all of that and keeps what matters for the diagnosis exact: the header values and
//! the body bytes (cut at `Content-Length` when there is one, so a stray newline is not read
//! as part of the secret).

use super::{Draft, DraftHeader, ImportError, Traced, finish};
use crate::request::{ImportedRequest, InputKind};

/// True for `METHOD target` or `METHOD target HTTP/x.y`.
pub(crate) fn looks_like_request_line(line: &str) -> bool {
    let parts: Vec<&str> = line.split_whitespace().collect();
    let method_ok =
        |m: &str| !m.is_empty() && m.len() <= 10 && m.chars().all(|c| c.is_ascii_uppercase());
    match parts.as_slice() {
        [m, t] => method_ok(m) && (t.starts_with('/') || t.contains("://")),
        [m, t, v] => {
            method_ok(m)
                && (t.starts_with('/') || t.contains("://") || *t == "*")
                && v.starts_with("HTTP/")
        }
        _ => false,
    }
}

/// One input line with its byte range and 1-based number.
struct Line<'a> {
    text: &'a str,
    start: usize,
    end_with_newline: usize,
    number: usize,
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let content = raw.trim_end_matches('\n').trim_end_matches('\r');
        out.push(Line {
            text: content,
            start,
            end_with_newline: start + raw.len(),
            number: i + 1,
        });
        start += raw.len();
    }
    out
}

/// Imports a raw HTTP request.
pub(crate) fn parse(text: &str, source: &str) -> Result<ImportedRequest, ImportError> {
    let lines = split_lines(text);
    let mut idx = lines
        .iter()
        .position(|l| !l.text.trim().is_empty())
        .ok_or_else(|| ImportError::new(source, "not a raw HTTP request: the input is empty"))?;

    let mut d = Draft::default();
    let first = &lines[idx];
    let mut target: Option<(String, usize)> = None;
    if first.text.trim_start().starts_with(':') {
        // HTTP/2 pseudo-headers as devtools shows them; read with the other headers.
    } else if looks_like_request_line(first.text.trim()) {
        let parts: Vec<&str> = first.text.split_whitespace().collect();
        d.method = parts[0].to_string();
        d.method_line = Some(first.number);
        target = Some((parts[1].to_string(), first.number));
        d.call_line = Some(first.number);
        idx += 1;
    } else {
        return Err(ImportError::new(
            source,
            format!(
                "not a raw HTTP request: the first line should look like `POST /oauth/token HTTP/1.1`, not `{}`",
                crate::secret::mask(first.text.trim())
            ),
        )
        .at(first.number, Some(1)));
    }

    // Headers, up to the first blank line.
    let mut pseudo: Vec<(String, String, usize)> = Vec::new();
    let mut body_start: Option<usize> = None;
    while idx < lines.len() {
        let l = &lines[idx];
        idx += 1;
        if l.text.trim().is_empty() {
            body_start = Some(idx);
            break;
        }
        if (l.text.starts_with(' ') || l.text.starts_with('\t'))
            && let Some(last) = d.headers.last_mut()
        {
            // An obsolete folded line continues the previous header.
            last.value.push_literal(" ", Some(l.number));
            last.value.push_literal(l.text.trim(), Some(l.number));
            continue;
        }
        let (name, value) = split_header(l.text).ok_or_else(|| {
            ImportError::new(
                source,
                format!(
                    "not a header line (`Name: value` expected; is a blank line missing before the body?): `{}`",
                    crate::secret::mask(l.text.trim())
                ),
            )
            .at(l.number, Some(1))
        })?;
        if let Some(p) = name.strip_prefix(':') {
            pseudo.push((p.to_ascii_lowercase(), value.to_string(), l.number));
            continue;
        }
        d.headers.push(DraftHeader {
            name: name.to_string(),
            value: Traced::literal(value, Some(l.number)),
            line: Some(l.number),
        });
    }
    apply_pseudo_headers(&mut d, &pseudo, &mut target);

    let (target, target_line) = target.ok_or_else(|| {
        ImportError::new(
            source,
            "no request line (`POST /oauth/token HTTP/1.1`) and no `:path` header",
        )
        .at(1, None)
    })?;
    d.url = Traced::literal(
        absolute_url(&d, &target, source, target_line)?,
        Some(target_line),
    );
    d.url_line = Some(target_line);
    if d.method.is_empty() {
        d.method = "GET".into();
    }

    if let Some(b) = body_start {
        read_body(&mut d, &lines, b, text);
    }
    Ok(finish(d, InputKind::Http, source))
}

fn split_header(line: &str) -> Option<(&str, &str)> {
    // `:authority: x` has a leading colon that is part of the name.
    let search_from = usize::from(line.starts_with(':'));
    let i = line[search_from..].find(':')? + search_from;
    let name = line[..i].trim();
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.trim_start_matches(':').chars().all(token) {
        return None;
    }
    Some((name, line[i + 1..].trim()))
}

fn apply_pseudo_headers(
    d: &mut Draft,
    pseudo: &[(String, String, usize)],
    target: &mut Option<(String, usize)>,
) {
    let get = |n: &str| pseudo.iter().find(|p| p.0 == n);
    if let Some((_, m, l)) = get("method")
        && d.method.is_empty()
    {
        d.method = m.clone();
        d.method_line = Some(*l);
        d.call_line.get_or_insert(*l);
    }
    if target.is_none()
        && let Some((_, path, l)) = get("path")
    {
        let scheme = get("scheme").map(|s| s.1.as_str()).unwrap_or("https");
        let url = match get("authority") {
            Some((_, host, _)) => format!("{scheme}://{host}{path}"),
            None => path.clone(),
        };
        *target = Some((url, *l));
    }
}

/// The absolute URL: absolute-form as is, origin-form joined to the Host header.
fn absolute_url(d: &Draft, target: &str, source: &str, line: usize) -> Result<String, ImportError> {
    if target.contains("://") {
        return Ok(target.to_string());
    }
    let host = d.header("host").map(|h| h.value.text.trim().to_string());
    match host {
        Some(h) if !h.is_empty() => {
            let scheme = if h.ends_with(":80") { "http" } else { "https" };
            Ok(format!("{scheme}://{h}{target}"))
        }
        _ => Err(ImportError::new(
            source,
            format!(
                "the request line has only the path `{}` and there is no Host header, so the URL is unknown: add e.g. `Host: login.mypurecloud.com`",
                crate::secret::mask::url(target)
            ),
        )
        .at(line, None)),
    }
}

/// The body: `Content-Length` bytes when given, else the rest without trailing paste noise.
fn read_body(d: &mut Draft, lines: &[Line<'_>], first: usize, text: &str) {
    let Some(start_line) = lines.get(first) else {
        return;
    };
    let start = start_line.start;
    let rest = &text[start..];
    let declared = d
        .header("content-length")
        .and_then(|h| h.value.text.trim().parse::<usize>().ok());
    let body = match declared {
        Some(n) if n <= rest.len() && rest.is_char_boundary(n) => &rest[..n],
        Some(n) => {
            if n > rest.len() {
                d.notes.push(format!(
                    "Content-Length says {n} bytes but the pasted body has {}: the paste may be cut short",
                    rest.len()
                ));
            }
            rest.trim_end_matches(['\r', '\n'])
        }
        None => rest.trim_end_matches(['\r', '\n']),
    };
    if body.is_empty() {
        return;
    }
    let mut t = Traced::default();
    for l in lines[first..].iter() {
        if l.start >= start + body.len() {
            break;
        }
        let end = l.end_with_newline.min(start + body.len());
        t.push_literal(&text[l.start..end], Some(l.number));
    }
    d.body = t;
    d.body_line = Some(start_line.number);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines() {
        assert!(looks_like_request_line("POST /oauth/token HTTP/1.1"));
        assert!(looks_like_request_line(
            "POST https://login.mypurecloud.com/oauth/token"
        ));
        assert!(!looks_like_request_line("import requests"));
        assert!(!looks_like_request_line("curl -X POST"));
    }

    #[test]
    fn content_length_cuts_the_body() {
        let t = "POST /oauth/token HTTP/1.1\r\nHost: login.mypurecloud.ie\r\nContent-Length: 5\r\n\r\nabcdefg\r\n";
        let imp = parse(t, "t").unwrap();
        assert_eq!(imp.request.body, b"abcde");
        assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    }
}
