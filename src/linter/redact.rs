//! The redactor of a lint report: every form of the secrets the importer found, so no output
//! can leak one, and nothing that only names a value it could not resolve.

use super::{
    ImportedRequest, Redactor, ValueOrigin, form_decode, import_basic, is_uuid_shaped, shape,
};

/// How the input writes each unset variable whose name stands in for an id or secret value
/// (`$NAME`, `${NAME}`, `$env:NAME`, `${env:NAME}`, `%NAME%`): no secret, unless the name is
/// the rest of a secret a shell expansion cut.
fn unset_references(imp: &ImportedRequest) -> Vec<String> {
    let mut out = Vec::new();
    for v in [&imp.client_id, &imp.client_secret].into_iter().flatten() {
        if let ValueOrigin::EnvUnset(n) = &v.origin
            && !crate::credential_span::is_cut_secret(n)
        {
            out.extend([
                format!("${{env:{n}}}"),
                format!("$env:{n}"),
                format!("${{{n}}}"),
                format!("${n}"),
                format!("%{n}%"),
            ]);
        }
    }
    out
}

/// True when `text` is made only of the markers of values gcdoctor could not resolve (the
/// expressions and unset variables it read) and punctuation.
fn only_markers(text: &str, imp: &ImportedRequest) -> bool {
    let mut markers: Vec<String> = imp.unresolved.iter().map(|u| u.expr.clone()).collect();
    markers.extend(unset_references(imp));
    for v in [&imp.client_id, &imp.client_secret].into_iter().flatten() {
        if let ValueOrigin::Unresolved(e) = &v.origin {
            markers.push(e.clone());
        }
    }
    markers.sort_by_key(|m| std::cmp::Reverse(m.len()));
    let mut rest = text.to_string();
    for m in markers.iter().filter(|m| !m.trim().is_empty()) {
        rest = rest.replace(m.as_str(), "");
    }
    !rest.chars().any(char::is_alphanumeric)
}

/// Every form of the secrets found, so no output can leak one.
pub(super) fn redactor(imp: &ImportedRequest) -> Redactor {
    let mut r = Redactor::new();
    if let Some(s) = &imp.client_secret
        && !s.value.is_empty()
    {
        r.add(&s.value);
    }
    if let Some(id) = &imp.client_id
        && !id.value.is_empty()
        && !is_uuid_shaped(&id.value)
    {
        // Contract §4: an id that is not UUID-shaped may be the secret given the wrong way
        // round, so it is masked like one (template values included).
        r.add(&id.value);
    }
    // What the request actually carries, however mangled.
    let req = &imp.request;
    if let Some(h) = req.header("authorization") {
        // A header built from markers of values gcdoctor could not resolve
        // (`${env:ID}:${env:SECRET}` unset) holds no secret, only their names.
        let secret = import_basic(h)
            .filter(|(id, s)| !only_markers(&format!("{id}:{s}"), imp))
            .map(|(_, s)| s);
        secret
            .iter()
            .chain(h.split_whitespace().nth(1).map(String::from).iter())
            .for_each(|s| r.add(s));
    }
    let body = req.body_text();
    for src in [
        body.as_str(),
        req.url.split_once('?').map(|x| x.1).unwrap_or(""),
    ] {
        for pair in src.split('&') {
            if let Some(("client_secret", v)) = pair.split_once('=') {
                for x in [v, &form_decode(v), &shape::intended_from_raw_form(v)] {
                    r.add(x)
                }
            }
        }
    }
    if let shape::Body::Json(m) = shape::Body::parse(req)
        && let Some(serde_json::Value::String(s)) = m.get("client_secret")
    {
        r.add(s);
    }
    imp.unresolved.iter().for_each(|u| r.spare(&u.expr));
    // An unset variable's name stands in for its value, and the corrected request repeats it.
    unset_references(imp).iter().for_each(|m| r.spare(m));
    r
}
