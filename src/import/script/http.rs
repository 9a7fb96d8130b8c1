//! The HTTP request a script builds, as its library sends it: a [`Draft`] changed in place
//! by the library calls the language module recognises (set the URL, a header, a form or
//! text body, Basic credentials), and the choice of the token request among all the script
//! builds.

pub(crate) use super::object::Req;
use super::object::Val;
use super::value::Entry;
use super::{is_token_url, short};
use crate::import::{Draft, DraftBasic, DraftParam, Traced, basic_header};
use crate::request::FORM;

impl Req {
    pub(crate) fn new(lib: &'static str, line: Option<usize>) -> Req {
        Req {
            draft: Draft {
                method: "GET".into(),
                call_line: line,
                ..Draft::default()
            },
            lib,
        }
    }

    pub(crate) fn method(&mut self, m: &Val, expr: &str, line: Option<usize>) {
        self.draft.method = match m.as_str() {
            Some(t) if t.is_resolved() => t.text.to_ascii_uppercase(),
            _ => format!("{{{}}}", short(expr)),
        };
        self.draft.method_line = line;
    }

    pub(crate) fn url(&mut self, u: &Val, expr: &str, line: Option<usize>) {
        self.draft.url = u.traced(expr, line).default_line(line);
        self.draft.url_line = line;
    }

    /// A header: `replace` drops the ones of that name before (`setHeader`, `Header.Set`).
    pub(crate) fn header(
        &mut self,
        name: &Val,
        value: &Val,
        exprs: (&str, &str),
        replace: bool,
        line: Option<usize>,
    ) {
        let name = match name.as_str() {
            Some(t) => t.text.clone(),
            None => format!("{{{}}}", short(exprs.0)),
        };
        let value = value.traced(exprs.1, line).default_line(line);
        if replace {
            self.draft.set_header(&name, value, line);
        } else {
            self.draft
                .headers
                .push(crate::import::DraftHeader { name, value, line });
        }
    }

    /// A body sent as it is (a string, a reader over one).
    pub(crate) fn text_body(&mut self, b: &Val, expr: &str, line: Option<usize>) {
        self.draft.body = b.traced(expr, line).default_line(line);
        self.draft.body_line = line;
        self.draft.body_params = None;
    }

    /// A form body the library encodes itself with `encode`; with `content_type`, the
    /// library also sends the form content type (unless the script set one).
    pub(crate) fn form_body(
        &mut self,
        entries: &[Entry<Val>],
        encode: fn(&str) -> String,
        content_type: bool,
        line: Option<usize>,
    ) {
        let (body, params) = encode_form(entries, encode, line);
        self.draft.body = body;
        self.draft.body_params = Some(params);
        self.draft.body_line = line;
        if content_type && !self.draft.has_header("Content-Type") {
            self.draft.headers.push(crate::import::DraftHeader {
                name: "Content-Type".into(),
                value: Traced::literal(FORM, line),
                line,
            });
        }
    }

    /// Basic credentials the library puts in the Authorization header itself.
    pub(crate) fn basic(&mut self, id: Traced, secret: Traced, line: Option<usize>) {
        self.draft
            .set_header("Authorization", basic_header(&id, &secret, line), line);
        self.draft.basic = Some(DraftBasic { id, secret, line });
    }
}

/// A form body encoded pair by pair with `encode`, and its parameters as meant.
pub(crate) fn encode_form(
    entries: &[Entry<Val>],
    encode: fn(&str) -> String,
    line: Option<usize>,
) -> (Traced, Vec<DraftParam>) {
    let mut body = Traced::default();
    let mut params = Vec::new();
    for e in entries {
        let values = match &e.value {
            Val::Seq(items) => items.clone(),
            other => vec![other.clone()],
        };
        for v in values {
            let l = e.line.or(line);
            let meant = v.traced(&e.key.text, l).default_line(l);
            if !body.is_empty() {
                body.push_literal("&", l);
            }
            body.push(&e.key.map(encode(&e.key.text)).default_line(l));
            body.push_literal("=", l);
            body.push(&meant.map(encode(&meant.text)).default_line(l));
            params.push(DraftParam {
                name: e.key.text.clone(),
                meant,
                line: l,
            });
        }
    }
    (body, params)
}

/// The token request among the requests a script builds: the ones to a URL ending in
/// `/oauth/token` (the first, with a note when there are several), else the first POST.
pub(crate) fn choose(reqs: &[Req]) -> Option<Draft> {
    let token: Vec<&Req> = reqs
        .iter()
        .filter(|r| is_token_url(&r.draft.url.text))
        .collect();
    let chosen = match token.first() {
        Some(r) => *r,
        None => reqs.iter().find(|r| r.draft.method == "POST")?,
    };
    let mut d = chosen.draft.clone();
    d.notes.push(format!("sent with {}", chosen.lib));
    if token.len() > 1 {
        let lines: Vec<String> = token
            .iter()
            .map(|r| r.draft.call_line.unwrap_or(0).to_string())
            .collect();
        d.notes.push(format!(
            "the script has {} token requests (lines {}); the one at line {} is read",
            token.len(),
            lines.join(", "),
            d.call_line.unwrap_or(0)
        ));
    }
    Some(d)
}
