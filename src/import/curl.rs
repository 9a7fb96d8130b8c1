//! `--from-curl`: a curl command line as people paste it.
//!
//! The command's words come from the shell lexer (`src/import/shell.rs`: sh/bash, cmd.exe
//! and PowerShell quoting, variables assigned earlier in the paste, a hand-built
//! `$(echo -n "$ID:$SECRET" | base64)` header). Options are then read the way curl reads
//! them (`curl/options.rs`): `-d` sends its bytes as they are (a `+` in a secret reaches the
//! server as a space), `--data-urlencode` encodes as `curl_easy_escape` does, `-u` builds
//! the Basic header, `-d` implies POST and a form content type unless a header overrides it,
//! `-G` moves the data to the query.

mod options;

use super::shell::{Command, Env, Word, lex_all};
use super::{
    Draft, DraftBasic, DraftHeader, DraftParam, ImportError, Traced, WHAT_HEADERS, WHAT_SECRET,
    basic_header, finish, form_pairs, percent_encode_strict,
};
use crate::request::{FORM, ImportedRequest, InputKind, Unresolved};
use crate::shape::intended_from_raw_form;
use options::{DataKind, Options, read_options};

/// Imports a curl command.
pub(crate) fn parse(text: &str, source: &str, env: Env) -> Result<ImportedRequest, ImportError> {
    let commands = lex_all(text, source, env)?;
    let Some(cmd) = pick_command(&commands) else {
        let first = commands
            .iter()
            .find_map(|c| c.words.first())
            .map(|w| (w.line, w.col));
        let err = ImportError::new(source, "not a curl command: it does not start with `curl`");
        return Err(match first {
            Some((l, c)) => err.at(l, Some(c)),
            None => err,
        });
    };
    let mut draft = build(cmd, source)?;
    if commands.iter().filter(|c| is_curl(c)).count() > 1 {
        draft.notes.push(format!(
            "the input has several curl commands; the one at line {} is read",
            cmd.words[0].line
        ));
    }
    draft.notes.extend(cmd.notes.iter().cloned());
    Ok(finish(draft, InputKind::Curl, source))
}

// ---------------------------------------------------------------------------------------
// Choosing the command.

fn is_curl(cmd: &Command) -> bool {
    curl_index(cmd).is_some()
}

/// Index of the `curl` word, after `VAR=x` prefixes, `sudo`, `$ ` prompts and the like.
fn curl_index(cmd: &Command) -> Option<usize> {
    for (i, w) in cmd.words.iter().enumerate() {
        let t = w.text.text.as_str();
        let base = t.rsplit(['/', '\\']).next().unwrap_or(t);
        if matches!(base.to_ascii_lowercase().as_str(), "curl" | "curl.exe") {
            return Some(i);
        }
        let skippable = matches!(
            t,
            "$" | ">" | "PS>" | "sudo" | "command" | "exec" | "time" | "%"
        ) || (t.contains('=') && !t.starts_with('-'));
        if !skippable {
            return None;
        }
    }
    None
}

fn pick_command(commands: &[Command]) -> Option<&Command> {
    let curls: Vec<&Command> = commands.iter().filter(|c| is_curl(c)).collect();
    let telling = |c: &&Command| {
        c.words
            .iter()
            .any(|w| w.text.text.contains("/oauth/token") || w.text.text.contains("grant_type"))
    };
    curls.iter().find(|c| telling(c)).or(curls.first()).copied()
}

/// Reads the curl command into a draft request.
fn build(cmd: &Command, source: &str) -> Result<Draft, ImportError> {
    let start = curl_index(cmd).unwrap_or(0);
    let call = &cmd.words[start];
    let o = read_options(cmd, start, source)?;
    let mut d = Draft {
        call_line: Some(call.line),
        notes: o.notes.clone(),
        ..Draft::default()
    };

    let Some(url_word) = o.urls.first() else {
        return Err(
            ImportError::new(source, "no URL in the curl command").at(call.line, Some(call.col))
        );
    };
    if o.urls.len() > 1 {
        d.notes.push(format!(
            "the command has {} URLs; the first (line {}) is read",
            o.urls.len(),
            url_word.line
        ));
    }
    let mut url = url_word.text.clone();
    if !url.text.contains("://") && !url.text.starts_with('$') && url.is_resolved() {
        d.notes
            .push("the URL has no scheme, so curl uses http://".into());
        let mut t = Traced::literal("http://", Some(url_word.line));
        t.push(&url);
        url = t;
    }
    d.url_line = Some(url_word.line);

    authorization(&o, &mut d);
    let suppressed = headers(&o, &mut d);
    body(&o, &mut d, &mut url, &suppressed);
    for q in &o.url_query {
        let t = url_query_item(&q.text, q.line);
        let sep = if url.text.contains('?') { "&" } else { "?" };
        url.push_literal(sep, Some(q.line));
        url.push(&t);
    }
    d.url = url;

    // Method.
    let has_body = !o.data.is_empty() || !o.json.is_empty() || !o.forms.is_empty();
    d.method = match &o.method {
        Some((m, line)) => {
            d.method_line = Some(*line);
            m.clone()
        }
        None if o.head => "HEAD".into(),
        None if o.get => "GET".into(),
        None if has_body => "POST".into(),
        None if o.upload => "PUT".into(),
        None => "GET".into(),
    };
    Ok(d)
}

/// The Authorization header from `-u` and `--oauth2-bearer`.
fn authorization(o: &Options, d: &mut Draft) {
    if let Some(u) = &o.user {
        let (id, secret) = match u.text.find_visible(':') {
            Some(i) => (u.text.slice(0..i), u.text.slice(i + 1..u.text.text.len())),
            None => {
                d.unresolved.push(Unresolved {
                    what: WHAT_SECRET.into(),
                    expr: "-u without a password (curl prompts for it)".into(),
                    line: Some(u.line),
                });
                (
                    u.text.clone(),
                    Traced::unknown("password prompt", "{password prompt}".into(), Some(u.line)),
                )
            }
        };
        d.set_header(
            "Authorization",
            basic_header(&id, &secret, Some(u.line)),
            Some(u.line),
        );
        d.basic = Some(DraftBasic {
            id,
            secret,
            line: Some(u.line),
        });
    }
    if let Some(b) = &o.bearer {
        let mut t = Traced::literal("Bearer ", Some(b.line));
        t.push(&b.text);
        d.set_header("Authorization", t, Some(b.line));
        d.basic = None;
    }
}

/// Custom headers (they replace internal ones, `Name:` removes one, `Name;` sends it empty),
/// then `-A`, `-e` and `-b`; returns the names of the headers removed.
fn headers(o: &Options, d: &mut Draft) -> Vec<String> {
    let mut suppressed: Vec<String> = Vec::new();
    for h in &o.headers {
        add_custom_header(d, h, &mut suppressed);
    }
    for (name, w) in [
        ("User-Agent", &o.user_agent),
        ("Referer", &o.referer),
        ("Cookie", &o.cookie),
    ] {
        if let Some(w) = w
            && !d.has_header(name)
        {
            d.headers.push(DraftHeader {
                name: name.into(),
                value: w.text.clone(),
                line: Some(w.line),
            });
        }
    }
    suppressed
}

/// The body from `-d`, `--data-*`, `--json` or `-F`, with its content type; with `-G` the
/// data goes to the query of `url` instead.
fn body(o: &Options, d: &mut Draft, url: &mut Traced, suppressed: &[String]) {
    let (body, params, body_line) = data_body(o);
    let has_data = !o.data.is_empty() || !o.json.is_empty();
    let has_form = !o.forms.is_empty();
    if has_form && has_data {
        d.notes.push(
            "curl refuses -F together with -d: \"You can only select one HTTP request method\""
                .into(),
        );
    }
    if o.get {
        if !body.is_empty() {
            let sep = if url.text.contains('?') { "&" } else { "?" };
            url.push_literal(sep, body_line);
            url.push(&body);
        }
        d.body_params = Some(Vec::new());
    } else if has_form {
        let (mp, ps, boundary) = multipart(&o.forms, d);
        d.body = mp;
        d.body_params = Some(ps);
        d.body_line = o.forms.first().map(|f| f.0.line);
        let line = d.body_line;
        set_default_header(
            d,
            suppressed,
            "Content-Type",
            &format!("multipart/form-data; boundary={boundary}"),
            line,
        );
    } else if has_data {
        d.body = body;
        d.body_params = if o.json.is_empty() {
            Some(params)
        } else {
            None
        };
        d.body_line = body_line;
        let (ct, accept) = if o.json.is_empty() {
            (FORM, None)
        } else {
            ("application/json", Some("application/json"))
        };
        set_default_header(d, suppressed, "Content-Type", ct, body_line);
        if let Some(a) = accept {
            set_default_header(d, suppressed, "Accept", a, body_line);
        }
    }
}

fn add_custom_header(d: &mut Draft, h: &Word, suppressed: &mut Vec<String>) {
    let text = &h.text.text;
    if text.starts_with('@') {
        d.unresolved.push(Unresolved {
            what: WHAT_HEADERS.into(),
            expr: format!("-H {text}"),
            line: Some(h.line),
        });
        return;
    }
    let sep = text.find([':', ';']);
    let Some(i) = sep else {
        d.notes.push(format!(
            "the -H of line {} has no `:`; curl ignores it",
            h.line
        ));
        return;
    };
    let name = text[..i].trim().to_string();
    let value = h.text.slice(i + 1..text.len());
    let lead = value.text.len() - value.text.trim_start().len();
    let value = value.slice(lead..value.text.len());
    let value = value.slice(0..value.text.trim_end().len());
    let is_semicolon = text.as_bytes()[i] == b';';
    if is_semicolon {
        if value.text.trim().is_empty() {
            d.headers.push(DraftHeader {
                name,
                value: Traced::literal("", Some(h.line)),
                line: Some(h.line),
            });
        } else {
            d.notes.push(format!(
                "the -H of line {} has no `:`; curl ignores it",
                h.line
            ));
        }
        return;
    }
    if value.text.is_empty() {
        // `-H "Name:"` removes a header curl would add.
        d.remove_header(&name);
        if name.eq_ignore_ascii_case("authorization") {
            d.basic = None;
        }
        suppressed.push(name.to_ascii_lowercase());
        return;
    }
    if name.eq_ignore_ascii_case("authorization") && d.basic.is_some() {
        d.notes.push(format!(
            "the Authorization header of line {} replaces the one -u builds",
            h.line
        ));
        d.basic = None;
        d.remove_header("authorization");
    }
    d.headers.push(DraftHeader {
        name,
        value,
        line: Some(h.line),
    });
}

fn set_default_header(
    d: &mut Draft,
    suppressed: &[String],
    name: &str,
    value: &str,
    line: Option<usize>,
) {
    if d.has_header(name) || suppressed.contains(&name.to_ascii_lowercase()) {
        return;
    }
    d.headers.push(DraftHeader {
        name: name.into(),
        value: Traced::literal(value, line),
        line,
    });
}

/// The `-d`/`--data-*`/`--json` items joined as curl joins them, with their parameters.
fn data_body(o: &Options) -> (Traced, Vec<DraftParam>, Option<usize>) {
    let mut body = Traced::default();
    let mut params = Vec::new();
    let mut first_line = None;
    for item in &o.data {
        let w = &item.word;
        first_line.get_or_insert(w.line);
        if !body.is_empty() {
            body.push_literal("&", Some(w.line));
        }
        let text = &w.text.text;
        let file = matches!(item.kind, DataKind::Ascii | DataKind::Binary) && text.starts_with('@');
        if file {
            // The content of a file: a visible marker, reported as unresolved by `finish`.
            body.push(&Traced::unknown(
                &format!("-d {text}"),
                text.clone(),
                Some(w.line),
            ));
            continue;
        }
        if item.kind == DataKind::UrlEncode {
            let (t, param) = urlencode_item(&w.text, w.line);
            body.push(&t);
            params.extend(param);
            continue;
        }
        for (name, r) in form_pairs(text) {
            let raw = w.text.slice(r);
            params.push(DraftParam {
                name: intended_from_raw_form(&name),
                meant: raw.map(intended_from_raw_form(&raw.text)),
                line: Some(w.line),
            });
        }
        body.push(&w.text);
    }
    for j in &o.json {
        first_line.get_or_insert(j.line);
        if j.text.text.starts_with('@') {
            let expr = format!("--json {}", j.text.text);
            body.push(&Traced::unknown(&expr, j.text.text.clone(), Some(j.line)));
        } else {
            body.push(&j.text);
        }
    }
    (body, params, first_line)
}

/// `--data-urlencode` forms: `content`, `=content`, `name=content`, `@file`, `name@file`.
fn urlencode_item(t: &Traced, line: usize) -> (Traced, Option<DraftParam>) {
    let text = &t.text;
    let sep = text.find('=').or_else(|| text.find('@'));
    match sep {
        Some(i) if text.as_bytes()[i] == b'@' => {
            let name = &text[..i];
            let marker = Traced::unknown(
                &format!("--data-urlencode {text}"),
                format!("{{{}}}", &text[i..]),
                Some(line),
            );
            let mut out = Traced::default();
            if !name.is_empty() {
                out.push_literal(&format!("{name}="), Some(line));
            }
            out.push(&marker);
            (
                out,
                (!name.is_empty()).then(|| DraftParam {
                    name: name.to_string(),
                    meant: marker,
                    line: Some(line),
                }),
            )
        }
        Some(i) => {
            let name = &text[..i];
            let content = t.slice(i + 1..text.len());
            let encoded = content.map(percent_encode_strict(&content.text));
            let mut out = Traced::default();
            if !name.is_empty() {
                out.push_literal(&format!("{name}="), Some(line));
            }
            out.push(&encoded);
            let param = (!name.is_empty()).then(|| DraftParam {
                name: name.to_string(),
                meant: content,
                line: Some(line),
            });
            (out, param)
        }
        None => (t.map(percent_encode_strict(text)), None),
    }
}

/// `--url-query`: like `--data-urlencode`, but a leading `+` means "already encoded".
fn url_query_item(t: &Traced, line: usize) -> Traced {
    if t.text.starts_with('+') {
        return t.slice(1..t.text.len());
    }
    urlencode_item(t, line).0
}

/// curl's boundary is random; a fixed one keeps imports reproducible.
const BOUNDARY: &str = "------------------------9a8b7c6d5e4f3a2b";

/// `-F` fields as curl sends them (the boundary is random in real curl).
fn multipart(forms: &[(Word, bool)], d: &mut Draft) -> (Traced, Vec<DraftParam>, String) {
    let boundary = BOUNDARY.to_string();
    let mut body = Traced::default();
    let mut params = Vec::new();
    for (w, literal) in forms {
        let text = &w.text.text;
        let Some(eq) = text.find('=') else {
            d.notes.push(format!(
                "the -F of line {} has no `=`; curl rejects it",
                w.line
            ));
            continue;
        };
        let name = text[..eq].to_string();
        let mut value = w.text.slice(eq + 1..text.len());
        if !literal && (value.text.starts_with('@') || value.text.starts_with('<')) {
            value = Traced::unknown(
                &format!("-F {text}"),
                format!("{{{}}}", value.text),
                Some(w.line),
            );
        } else if !literal && let Some(semi) = value.text.find(";type=") {
            value = value.slice(0..semi);
        }
        body.push_literal(
            &format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
            Some(w.line),
        );
        body.push(&value);
        body.push_literal("\r\n", Some(w.line));
        params.push(DraftParam {
            name,
            meant: value,
            line: Some(w.line),
        });
    }
    body.push_literal(
        &format!("--{boundary}--\r\n"),
        forms.last().map(|f| f.0.line),
    );
    (body, params, boundary)
}
