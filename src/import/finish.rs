//! `finish`: a [`Draft`] becomes the `ImportedRequest`: the wire request, the input line of
//! each part, the credentials found (where, how written, from which source) and what could
//! not be resolved.

use super::{
    Draft, Src, Traced, WHAT_BODY, WHAT_ID, WHAT_SECRET, WHAT_URL, Which, dig_basic, expr_note,
    form_pairs, query_range, raw_host, what_header,
};
use crate::request::{
    CredLocation, FoundValue, HttpRequest, ImportedRequest, InputKind, Part, Unresolved,
};
use crate::shape::{Body, intended_from_raw_form};

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
        let from_header = from_header.or_else(|| {
            (basic.is_none() && which == Which::Secret)
                .then(|| bearer_secret(&draft))
                .flatten()
                .map(|(t, line)| (t, line, CredLocation::BasicHeader))
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

/// `Authorization: Bearer SECRET`: the client secret sent as if it were an access token (the
/// token endpoint wants `Basic base64(id:secret)`). The secret is what the author meant to
/// send; the client id is not in the request.
fn bearer_secret(draft: &Draft) -> Option<(Traced, Option<usize>)> {
    let header = draft.header("authorization")?;
    let text = header.value.text.trim_end();
    let (scheme, token) = text.split_once(' ')?;
    let token = token.trim();
    let start = text.len() - token.len();
    (scheme.eq_ignore_ascii_case("bearer")
        && token.len() >= 16
        && !token.contains(char::is_whitespace)
        && !crate::secret::is_uuid_shaped(token)
        && header.value.is_resolved())
    .then(|| (header.value.slice(start..text.len()), header.line))
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
    // Base64 inside a wrapper that makes the header malformed (Python's `b'…'` of bytes
    // formatted into a string, quotes): the credentials are still the ones encoded.
    if let Some(inner) = value.spans.iter().find_map(|s| match &s.src {
        Src::Base64Of(inner) if s.range.start >= token.start && s.range.end <= token.end => {
            Some(inner.as_ref())
        }
        _ => None,
    }) {
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
        None => match missing_colon(inner) {
            Some(i) => (inner.slice(0..i), inner.slice(i..inner.text.len()), line),
            None => (inner.clone(), Traced::default(), line),
        },
    }
}

/// Where the author meant the `:` of a Basic value built without one (`id + secret`): between
/// two values the input names (variables, environment reads), the first a client id by its
/// name or its UUID shape, the second not. The header is still sent as built; the id and the
/// secret are what the author meant, so the canonical request can prove the header wrong.
fn missing_colon(inner: &Traced) -> Option<usize> {
    let parts: Vec<&super::Span> = inner.spans.iter().filter(|s| !s.range.is_empty()).collect();
    let [a, b] = parts[..] else {
        return None;
    };
    let name = |s: &super::Span| match &s.src {
        Src::Env { name, .. } => Some(name.clone()),
        Src::Literal => s.expr.clone(),
        _ => None,
    };
    let text = |s: &super::Span| inner.text.get(s.range.clone()).unwrap_or("");
    let (an, bn) = (name(a)?, name(b)?);
    let squashed = an.to_ascii_lowercase().replace(['_', '-'], "");
    let id = crate::secret::is_uuid_shaped(text(a))
        || crate::secret::mask::is_id_name(&an)
        || squashed.ends_with("id");
    let secret = !crate::secret::is_uuid_shaped(text(b)) && !crate::secret::mask::is_id_name(&bn);
    (id && secret).then_some(b.range.start)
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
