//! Form and query helpers shared by the importers: splitting a form or query, finding a URL's
//! host, and the encoders of curl and Python.

use std::ops::Range;

/// `key=value` pairs of a form or query string, with the byte range of each value.
pub(crate) fn form_pairs(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = 0;
    for part in text.split('&') {
        let end = start + part.len();
        if !part.is_empty() {
            match part.find('=') {
                Some(eq) => out.push((part[..eq].to_string(), start + eq + 1..end)),
                None => out.push((part.to_string(), end..end)),
            }
        }
        start = end + 1;
    }
    out
}

/// The byte range of the query in a URL text (after `?`, before `#`).
pub(crate) fn query_range(url: &str) -> Option<Range<usize>> {
    let q = url.find('?')? + 1;
    let end = url[q..].find('#').map(|i| q + i).unwrap_or(url.len());
    Some(q..end)
}

/// The host of a URL text, found by hand (the URL may hold markers the URL parser rejects).
pub(crate) fn raw_host(url: &str) -> Option<(Range<usize>, &str)> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_start = authority.rfind('@').map(|i| i + 1).unwrap_or(0);
    let host = &authority[host_start..];
    let host = match host.rfind(':') {
        Some(i) if host[i + 1..].chars().all(|c| c.is_ascii_digit()) => &host[..i],
        _ => host,
    };
    let s = start + host_start;
    Some((s..s + host.len(), host))
}

/// curl's `--data-urlencode` encoding (`curl_easy_escape`): all but `A-Za-z0-9-._~`.
pub(crate) fn percent_encode_strict(v: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(v, SET).to_string()
}

/// Python's `urllib.parse.quote` with its default `safe='/'`.
pub(crate) fn quote(v: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(v, SET).to_string()
}

/// Python's `urllib.parse.quote_plus` (what `requests` and `urlencode` use for forms).
pub(crate) fn quote_plus(v: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b' ');
    percent_encoding::utf8_percent_encode(v, SET)
        .to_string()
        .replace(' ', "+")
}
