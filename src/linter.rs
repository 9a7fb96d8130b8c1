//! `gcdoctor lint`: every defect the user's own request shows, found offline.
//!
//! Lint sends nothing: it runs the shape analysis ([`shape::analyze`]) over the imported
//! request with the credentials as the user meant them, so a `+` sent raw in a `-d` body is
//! caught by comparing what was meant with what the server reads. What the input does not
//! show cannot be judged, and lint says so instead of guessing: a URL built from an unset
//! `BASE_URL` gets an info finding, not a "not an absolute URL" error; a secret read from an
//! unset variable is replaced by a neutral stand-in for the analysis, so it is neither called
//! a placeholder nor "not UUID-shaped". Forum folklore (charsets, clock skew, scopes that must
//! match) is never a finding: only defects of the request itself are.
//!
//! The report carries the corrected request in the input's own language (curl for curl, HTTP
//! and HAR input; Python `requests` for scripts), written with the user's variable names or
//! env reads so it never contains a secret, and is scrubbed with a redactor that knows every
//! secret value found.

mod redact;

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::import::snippet::env_name;
use crate::import::{
    self, WHAT_BODY, WHAT_HEADERS, WHAT_ID, WHAT_METHOD, WHAT_SECRET, WHAT_URL, Which,
};
use crate::region::{self, HostKind, REGIONS, Region};
use crate::report::{Check, CheckStatus, InputSource, RegionInfo, Report, ReportKind, Suggestion};
use crate::request::{
    CredLocation, FoundValue, HttpRequest, ImportedRequest, Part, SdkKind, SdkSetting, ValueOrigin,
    basic_value, form_decode, form_encode,
};
use crate::secret::{Redactor, is_uuid_shaped, mask};
use crate::shape::{self, Dim, Intended};

/// A UUID-shaped stand-in for a client id gcdoctor cannot see.
const STAND_IN_ID: &str = "00000000-0000-4000-8000-0000000c1d00";
/// A plausible stand-in for a secret gcdoctor cannot see.
const STAND_IN_SECRET: &str = "gcdoctorStandInSecretValue0000000000000000";

/// Lints an imported request. Sends nothing.
pub fn lint(imp: &ImportedRequest) -> Report {
    let gaps = Gaps::of(imp);
    let (req, intended) = with_stand_ins(imp);
    let analysis = shape::analyze(&req, &intended, &imp.lines);

    let mut found: Vec<(Option<Dim>, Finding)> = Vec::new();
    let mut skipped: Vec<Dim> = Vec::new();
    for d in analysis.defects {
        if gaps.hides(d.dim, &req) {
            skipped.extend(d.dim);
            continue;
        }
        found.push((d.dim, d.finding));
    }
    let url_line = imp.line_of(&Part::Url);
    if gaps.url {
        skipped.push(Dim::Url);
        found.extend(
            url_findings_with_gaps(&imp.request.url, url_line)
                .into_iter()
                .map(|f| (Some(Dim::Url), f)),
        );
    } else if analysis.host_kind == Some(HostKind::Unknown)
        && let Some(f) = path_finding(&imp.request.url, url_line)
    {
        found.push((Some(Dim::Url), f));
    }
    for f in unresolved_findings(imp) {
        found.push((None, f));
    }
    let region = if gaps.url {
        url_region_with_gaps(&imp.request.url)
    } else {
        analysis.region
    };
    if let Some(sdk) = &imp.sdk {
        sdk_terms(imp, sdk, region, &mut found);
    }
    for (_, f) in &mut found {
        if let Some(m) = &imp.intent.secret {
            m.explain_expansion(f);
        }
        f.map_text(&|s: &str| {
            s.replace(STAND_IN_SECRET, "(unknown)")
                .replace(STAND_IN_ID, "(unknown)")
        });
    }
    if let Some(r) = &imp.intent.rejected {
        rejected_finding(r, &mut found);
    }
    // As analyze orders its defects: by severity, then by dimension (values last).
    found.sort_by_key(|(d, f)| (f.severity, d.unwrap_or(Dim::Extras)));

    let mut report = Report::new(ReportKind::Lint);
    report.checks = checks(&found, &skipped);
    report.findings = found.into_iter().map(|(_, f)| f).collect();
    report.region = RegionInfo {
        configured: if gaps.url { None } else { analysis.region },
        detected: None,
    };
    report.requests_sent = 0;
    report.target = Some(imp.source.clone());
    report.inputs = inputs(imp);
    report.notes = imp
        .notes
        .iter()
        .filter(|n| !import::is_expr_note(n))
        .cloned()
        .collect();
    report.suggestion = Some(suggestion(imp, region));
    crate::report::lint_outcome::settle(&mut report, false);
    report.scrub(&redact::redactor(imp));
    report
}

// ---------------------------------------------------------------------------------------
// What the input does not show.

/// The parts of the request gcdoctor cannot see.
#[derive(Debug, Default)]
struct Gaps {
    url: bool,
    body: bool,
    headers: bool,
    auth: bool,
    content_type: bool,
    method: bool,
}

impl Gaps {
    fn of(imp: &ImportedRequest) -> Gaps {
        let mut g = Gaps::default();
        for u in &imp.unresolved {
            let w = u.what.as_str();
            match w {
                WHAT_URL => g.url = true,
                WHAT_BODY => g.body = true,
                WHAT_HEADERS => g.headers = true,
                WHAT_METHOD => g.method = true,
                _ if w.eq_ignore_ascii_case(&import::what_header("Authorization")) => g.auth = true,
                _ if w.eq_ignore_ascii_case(&import::what_header("Content-Type")) => {
                    g.content_type = true
                }
                _ => {}
            }
        }
        g
    }

    /// True when a defect of this dimension may be an artefact of what cannot be seen.
    fn hides(&self, dim: Option<Dim>, req: &HttpRequest) -> bool {
        let Some(dim) = dim else { return false };
        let no_auth = req.header("authorization").is_none();
        match dim {
            Dim::Url => self.url,
            Dim::Method => self.method,
            Dim::BodyFormat | Dim::GrantType | Dim::Extras => self.body,
            Dim::ContentType => self.body || self.headers || self.content_type,
            Dim::BasicHeader => self.auth || (no_auth && (self.body || self.headers)),
            _ => false,
        }
    }
}

/// The request with stand-ins where a credential's value is unknown, and the credentials
/// as meant: the analysis then judges the structure without inventing defects in values
/// it cannot see.
fn with_stand_ins(imp: &ImportedRequest) -> (HttpRequest, Intended) {
    let mut req = imp.request.clone();
    let mut intended = Intended {
        id: imp.client_id.clone(),
        secret: crate::import::intent::meant_secret(imp),
    };
    let unknown = |v: &Option<FoundValue>| {
        v.as_ref()
            .filter(|f| !f.is_known())
            .map(|f| f.location.clone())
    };
    let id_loc = unknown(&imp.client_id);
    let secret_loc = unknown(&imp.client_secret);
    if let Some(loc) = &id_loc {
        replace_at(&mut req, loc, Which::Id, STAND_IN_ID);
        intended.id = Some(FoundValue::literal(
            STAND_IN_ID,
            loc.clone(),
            imp.client_id.as_ref().and_then(|f| f.line),
        ));
    }
    if let Some(loc) = &secret_loc {
        replace_at(&mut req, loc, Which::Secret, STAND_IN_SECRET);
        intended.secret = Some(FoundValue::literal(
            STAND_IN_SECRET,
            loc.clone(),
            imp.client_secret.as_ref().and_then(|f| f.line),
        ));
    }
    (req, intended)
}

/// Puts `value` where the request carries the credential.
fn replace_at(req: &mut HttpRequest, loc: &CredLocation, which: Which, value: &str) {
    match loc {
        CredLocation::BasicHeader => {
            let Some(h) = req.header("authorization") else {
                return;
            };
            let Some((id, secret)) = import_basic(h) else {
                return;
            };
            let (id, secret) = match which {
                Which::Id => (value.to_string(), secret),
                Which::Secret => (id, value.to_string()),
            };
            req.set_header("Authorization", &basic_value(&id, &secret));
        }
        CredLocation::BodyParam(name) => {
            let body = req.body_text();
            if req
                .media_type()
                .is_some_and(|m| m.starts_with("multipart/"))
            {
                req.body = replace_multipart(&body, name, value).into_bytes();
            } else {
                req.body = replace_form(&body, name, value).into_bytes();
            }
        }
        CredLocation::JsonField(name) => {
            if let Ok(serde_json::Value::Object(mut m)) =
                serde_json::from_slice::<serde_json::Value>(&req.body)
            {
                m.insert(name.clone(), serde_json::Value::String(value.to_string()));
                req.body = serde_json::to_vec(&m).unwrap_or_default();
            }
        }
        CredLocation::QueryParam(name) => {
            if let Some(q) = req.url.find('?') {
                let (head, rest) = req.url.split_at(q + 1);
                let (query, frag) = match rest.find('#') {
                    Some(f) => rest.split_at(f),
                    None => (rest, ""),
                };
                req.url = format!("{head}{}{frag}", replace_form(query, name, value));
            }
        }
        CredLocation::Other(_) => {}
    }
}

fn import_basic(h: &str) -> Option<(String, String)> {
    match shape::read_basic(h) {
        shape::BasicView::Ok { id, secret } => Some((id, secret)),
        shape::BasicView::Malformed(_) => None,
    }
}

fn replace_form(text: &str, name: &str, value: &str) -> String {
    text.split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if form_decode(k) == name => format!("{k}={}", form_encode(value)),
            _ => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn replace_multipart(body: &str, name: &str, value: &str) -> String {
    let needle = format!("name=\"{name}\"");
    let Some(at) = body.find(&needle) else {
        return body.to_string();
    };
    let Some(start) = body[at..].find("\r\n\r\n").map(|i| at + i + 4) else {
        return body.to_string();
    };
    let end = body[start..]
        .find("\r\n--")
        .map(|i| start + i)
        .unwrap_or(body.len());
    format!("{}{value}{}", &body[..start], &body[end..])
}

// ---------------------------------------------------------------------------------------
// URL checks that analyze cannot make.

/// The wrong path, when the host is wrong too (analyze reports only the host then).
fn path_finding(url: &str, line: Option<usize>) -> Option<Finding> {
    let path = known_path(url)?;
    if path == "/oauth/token" || path.is_empty() {
        return None;
    }
    let what = if path.ends_with("/api/v2/oauth/token") {
        format!(
            "the path `{path}` is not the token endpoint: `/api/v2/oauth/token` does not exist in the Platform API; tokens come from `/oauth/token`"
        )
    } else {
        format!("the path `{path}` is not the token endpoint `/oauth/token`")
    };
    Some(
        Finding::new(CauseId::WrongTokenUrl, Severity::Error, what)
            .fix("POST to https://login.<your region's domain>/oauth/token")
            .at_line(line),
    )
}

/// The path of a URL text, when no unknown part is in it.
fn known_path(url: &str) -> Option<String> {
    let after_marker = match last_marker_end(url) {
        Some(e) => &url[e..],
        None => {
            let s = url.find("://").map(|i| i + 3)?;
            let rest = &url[s..];
            &rest[rest.find('/')?..]
        }
    };
    if !after_marker.starts_with('/') {
        let slash = after_marker.find('/')?;
        if after_marker[..slash].contains(['?', '#']) {
            return None;
        }
        return known_path_tail(&after_marker[slash..]);
    }
    known_path_tail(after_marker)
}

fn known_path_tail(s: &str) -> Option<String> {
    let p = s.split(['?', '#']).next().unwrap_or("");
    (!has_marker(p)).then(|| p.to_string())
}

fn has_marker(s: &str) -> bool {
    s.contains(['{', '}', '$'])
}

/// End of the last `{…}`, `${…}`, `$NAME` or `%NAME%` in a URL text.
fn last_marker_end(url: &str) -> Option<usize> {
    let b = url.as_bytes();
    let mut end = None;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => {
                let close = url[i..].find('}').map(|c| i + c + 1).unwrap_or(b.len());
                end = Some(close);
                i = close;
            }
            b'$' => {
                let mut j = i + 1;
                if b.get(j) == Some(&b'{') {
                    j = url[j..].find('}').map(|c| j + c + 1).unwrap_or(b.len());
                } else {
                    while j < b.len()
                        && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b':')
                    {
                        j += 1;
                    }
                }
                end = Some(j);
                i = j;
            }
            b'%' if i + 1 < b.len() && b[i + 1].is_ascii_alphabetic() => {
                match url[i + 1..].find('%') {
                    Some(c)
                        if url[i + 1..i + 1 + c]
                            .chars()
                            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_') =>
                    {
                        end = Some(i + c + 2);
                        i += c + 2;
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    end
}

/// URL checks when part of the URL is unknown: judge only the parts that are known.
fn url_findings_with_gaps(url: &str, line: Option<usize>) -> Vec<Finding> {
    let mut out = Vec::new();
    let host = import::raw_host(url).map(|(_, h)| h.to_string());
    match host.as_deref() {
        Some(h) if !has_marker(h) && !h.contains('%') => {
            match region::classify_host(h) {
                HostKind::Unknown => out.push(
                    Finding::new(
                        CauseId::UnknownDomain,
                        Severity::Error,
                        format!("`{h}` is not a Genesys Cloud host"),
                    )
                    .at_line(line),
                ),
                HostKind::Api(r) | HostKind::OtherInDomain(r) => out.push(
                    Finding::new(
                        CauseId::WrongTokenUrl,
                        Severity::Error,
                        format!(
                            "`{h}` is not the login host of {}; tokens come from `{}`",
                            r.key,
                            r.login_host()
                        ),
                    )
                    .fix(format!("POST to {}", r.token_url()))
                    .at_line(line),
                ),
                HostKind::Login(_) => {}
            }
            if url.starts_with("http://") {
                out.push(
                    Finding::new(
                        CauseId::WrongTokenUrl,
                        Severity::Error,
                        "the URL uses `http`; the login service is HTTPS only",
                    )
                    .at_line(line),
                );
            }
        }
        Some(h) => {
            let suffix = known_suffix(h);
            if !suffix.is_empty() && !could_be_region_host(&suffix) {
                out.push(
                    Finding::new(
                        CauseId::UnknownDomain,
                        Severity::Error,
                        format!("`{h}` is not a Genesys Cloud host whatever its first part is: `{suffix}` is not a region domain (hosts are per region, never per organisation)"),
                    )
                    .fix("Use https://login.<your region's domain>/oauth/token, e.g. https://login.mypurecloud.com/oauth/token (Americas) or https://login.mypurecloud.ie/oauth/token (EMEA).")
                    .at_line(line),
                );
            }
        }
        None => {}
    }
    out.extend(path_finding(url, line));
    out
}

/// The labels after the last unknown one: `{org}.mygenesyscloud.com` → `mygenesyscloud.com`.
fn known_suffix(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').collect();
    let last_unknown = labels
        .iter()
        .rposition(|l| has_marker(l) || l.contains('%'));
    match last_unknown {
        Some(i) => labels[i + 1..].join("."),
        None => host.to_string(),
    }
}

/// True if `<something>.suffix` can be a region's login host.
fn could_be_region_host(suffix: &str) -> bool {
    REGIONS.iter().any(|r| {
        let d = r.domain;
        d == suffix || d.ends_with(&format!(".{suffix}")) || suffix == format!("login.{d}")
    })
}

/// The region a URL with unknown parts still names (`https://login.{x}.pure.cloud` names none).
fn url_region_with_gaps(url: &str) -> Option<&'static Region> {
    let host = import::raw_host(url)?.1;
    if has_marker(host) {
        return None;
    }
    region::classify_host(host).region()
}

// ---------------------------------------------------------------------------------------
// SDK scripts.

/// Findings of an SDK script in the SDK's own terms: a wrong host is fixed where the script
/// sets it (the SDK builds the URL, so "POST to …" would not help), and the Python SDK cannot
/// send a non-ASCII Basic header at all.
fn sdk_terms(
    imp: &ImportedRequest,
    sdk: &SdkSetting,
    region: Option<&'static Region>,
    found: &mut Vec<(Option<Dim>, Finding)>,
) {
    for (_, f) in found.iter_mut() {
        if matches!(f.cause, CauseId::WrongTokenUrl | CauseId::UnknownDomain)
            && f.severity != Severity::Info
        {
            f.fix = sdk.fix(region);
        }
    }
    if sdk.kind != SdkKind::Python {
        return;
    }
    let non_ascii = [
        (imp.client_secret.as_ref(), "secret"),
        (imp.client_id.as_ref(), "client id"),
    ]
    .into_iter()
    .find_map(|(v, what)| {
        v.filter(|v| v.is_known() && !v.value.is_ascii())
            .map(|_| what)
    });
    if let Some(what) = non_ascii {
        found.retain(|(_, f)| {
            !(f.cause == CauseId::SecretEncoding
                && f.summary.starts_with("the secret has non-ASCII"))
        });
        found.push((
            None,
            Finding::new(
                CauseId::SecretEncoding,
                Severity::Error,
                format!("the Python SDK encodes the Basic header as ASCII: the {what} has non-ASCII characters, so get_client_credentials_token raises UnicodeEncodeError and nothing is sent"),
            )
            .fix("Use the secret exactly as Admin > Integrations > OAuth shows it (Genesys secrets are ASCII); a secret that really has other characters cannot be used with the Python SDK: regenerate it.")
            .at_line(imp.line_of(&Part::Call)),
        ));
    }
}

// ---------------------------------------------------------------------------------------
// Infos for what the input does not show.

fn unresolved_findings(imp: &ImportedRequest) -> Vec<Finding> {
    imp.unresolved
        .iter()
        .map(|u| {
            let source = describe_expr(&u.expr);
            let (cause, what, consequence) = match u.what.as_str() {
                WHAT_URL => (CauseId::WrongTokenUrl, "the URL".to_string(), "the parts of the URL it gives are not checked: it must end up as https://login.<region domain>/oauth/token"),
                WHAT_ID => (CauseId::Inconclusive, "the client id".into(), "its value is not checked (run with it set, or use `gcdoctor diagnose`)"),
                WHAT_SECRET => (CauseId::Inconclusive, "the client secret".into(), "its value is not checked (run with it set, or use `gcdoctor diagnose`)"),
                WHAT_BODY => (CauseId::Inconclusive, "the body".into(), "grant_type, the content type and the body parameters are not checked"),
                WHAT_HEADERS => (CauseId::Inconclusive, "the headers".into(), "the Content-Type and Authorization headers are not checked"),
                WHAT_METHOD => (CauseId::WrongMethod, "the method".into(), "it must be POST"),
                other => (CauseId::Inconclusive, other.to_string(), "it is not checked"),
            };
            Finding::new(cause, Severity::Info, format!("{what} comes from {source}, which gcdoctor cannot see here: {consequence}"))
                .fix("Nothing to fix from what the input shows; make sure the value at run time is right.")
                .at_line(u.line)
        })
        .collect()
}

/// "env `X` (not set here)" for variable reads, else the expression.
fn describe_expr(expr: &str) -> String {
    if let Some(name) = env_name(expr) {
        return format!("env `{name}` (not set here)");
    }
    format!("`{expr}`")
}

// ---------------------------------------------------------------------------------------
// Report pieces.

fn checks(found: &[(Option<Dim>, Finding)], skipped: &[Dim]) -> Vec<Check> {
    let mut out: Vec<Check> = Dim::ALL
        .iter()
        .map(|dim| {
            let mine: Vec<&Finding> = found
                .iter()
                .filter(|(d, f)| *d == Some(*dim) && f.severity != Severity::Info)
                .map(|(_, f)| f)
                .collect();
            let status = if !mine.is_empty() {
                CheckStatus::Fail
            } else if skipped.contains(dim) {
                CheckStatus::Skip
            } else {
                CheckStatus::Pass
            };
            Check {
                id: check_id(*dim).into(),
                title: format!("Request {}", dim.label()),
                status,
                summary: match (status, mine.first()) {
                    (_, Some(f)) => f.summary.clone(),
                    (CheckStatus::Skip, None) => "not checked: the input does not show it".into(),
                    _ => "ok".into(),
                },
                elapsed_ms: 0,
                requests: 0,
                cause: mine.first().map(|f| f.cause),
            }
        })
        .collect();
    let values: Vec<&Finding> = found
        .iter()
        .filter(|(d, f)| d.is_none() && f.severity != Severity::Info)
        .map(|(_, f)| f)
        .collect();
    out.push(Check {
        id: "credential-values".into(),
        title: "Client id and secret values".into(),
        status: if values.is_empty() {
            CheckStatus::Pass
        } else {
            CheckStatus::Fail
        },
        summary: values
            .first()
            .map(|f| f.summary.clone())
            .unwrap_or_else(|| "ok".into()),
        elapsed_ms: 0,
        requests: 0,
        cause: values.first().map(|f| f.cause),
    });
    out
}

fn check_id(d: Dim) -> &'static str {
    d.check_id()
}

fn inputs(imp: &ImportedRequest) -> Vec<InputSource> {
    let id_value = match &imp.client_id {
        Some(f) if f.is_known() && is_uuid_shaped(&f.value) => f.value.clone(),
        Some(f) if f.is_known() => mask(&f.value),
        Some(_) => "(unknown)".into(),
        None => "(not found)".into(),
    };
    let secret_value = match &imp.client_secret {
        Some(f) if f.is_known() => mask(&f.value),
        Some(_) => "(unknown)".into(),
        None => "(not found)".into(),
    };
    vec![
        InputSource {
            name: "client id".into(),
            value: id_value,
            source: source_of(imp, imp.client_id.as_ref(), Which::Id),
        },
        InputSource {
            name: "client secret".into(),
            value: secret_value,
            source: source_of(imp, imp.client_secret.as_ref(), Which::Secret),
        },
        InputSource {
            name: "token URL".into(),
            value: crate::secret::mask::url(&imp.request.url),
            source: match imp.line_of(&Part::Url) {
                Some(l) => format!("{} line {l}", imp.source),
                None => imp.source.clone(),
            },
        },
    ]
}

/// "script.py line 12, literal, in the Basic header" / "env X (set)" / …
fn source_of(imp: &ImportedRequest, f: Option<&FoundValue>, which: Which) -> String {
    let Some(f) = f else {
        return format!("{}: not found in the input", imp.source);
    };
    let at = f
        .line
        .map(|l| format!("{} line {l}", imp.source))
        .unwrap_or_else(|| imp.source.clone());
    let via = import::credential_expr(imp, which)
        .filter(|_| !matches!(f.origin, ValueOrigin::Env(_) | ValueOrigin::EnvUnset(_)))
        .map(|e| format!(" via `{e}`"))
        .unwrap_or_default();
    let origin = match &f.origin {
        ValueOrigin::Literal => format!("{at}, literal{via}"),
        ValueOrigin::Env(n) => format!("env {n} (set)"),
        ValueOrigin::EnvUnset(n) => format!("env {n} (not set here)"),
        ValueOrigin::Unresolved(e) => format!("{at}, `{e}` (not resolved offline)"),
    };
    let place = match &f.location {
        CredLocation::BasicHeader => "in the Basic header".to_string(),
        CredLocation::BodyParam(n) => format!("body parameter {n}"),
        CredLocation::JsonField(n) => format!("JSON field {n}"),
        CredLocation::QueryParam(n) => format!("query parameter {n}"),
        CredLocation::Other(s) => s.clone(),
    };
    format!("{origin}, {place}")
}

/// A credential the shell rejects: the Basic credential is built wrong (GC202) even though
/// its parts read as meant; said on the finding there is, or as one of its own.
fn rejected_finding(r: &crate::intent::Rejected, found: &mut Vec<(Option<Dim>, Finding)>) {
    if let Some((_, f)) = found
        .iter_mut()
        .find(|(_, f)| f.cause == CauseId::BasicHeaderMalformed)
    {
        f.evidence.push(r.why.clone());
        return;
    }
    let f = Finding::new(
        CauseId::BasicHeaderMalformed,
        Severity::Error,
        "the Basic credential is written so that the shell rejects the command",
    )
    .evidence(r.why.clone())
    .fix(r.fix.clone())
    .at_line(Some(r.line));
    found.push((Some(Dim::BasicHeader), f));
}

// ---------------------------------------------------------------------------------------
// The corrected request.

pub fn suggestion(imp: &ImportedRequest, region: Option<&'static Region>) -> Suggestion {
    let (url, comment) = match region {
        Some(r) => (r.token_url(), format!("The token endpoint of {} ({}).", r.key, r.domain)),
        None => (
            region::default_region().token_url(),
            "The region is unknown from the input: this is us-east-1 (mypurecloud.com); use the login\n\
             # host of the region your org is in (`gcdoctor explain GC102` lists them)."
                .to_string(),
        ),
    };
    let r = region.unwrap_or_else(region::default_region);
    let (language, text) = import::corrected(imp, &url, r, &comment);
    Suggestion {
        language: language.into(),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_that_can_and_cannot_be_genesys() {
        assert_eq!(
            known_suffix("{org}.mygenesyscloud.com"),
            "mygenesyscloud.com"
        );
        assert!(!could_be_region_host("mygenesyscloud.com"));
        assert!(could_be_region_host("mypurecloud.com"));
        assert!(could_be_region_host("pure.cloud"));
        assert_eq!(known_suffix("${HOST}"), "");
    }

    #[test]
    fn paths_past_markers() {
        assert_eq!(
            known_path("$BASE/api/v2/oauth/token").as_deref(),
            Some("/api/v2/oauth/token")
        );
        assert_eq!(
            known_path("https://{org}.x.com/api/v2/oauth/token").as_deref(),
            Some("/api/v2/oauth/token")
        );
        assert_eq!(
            known_path("https://login.mypurecloud.com/oauth/token").as_deref(),
            Some("/oauth/token")
        );
        assert_eq!(known_path("{TOKEN_URL}"), None);
    }

    #[test]
    fn env_names_from_expressions() {
        assert_eq!(env_name("$SECRET").as_deref(), Some("SECRET"));
        assert_eq!(env_name("${SECRET}").as_deref(), Some("SECRET"));
        assert_eq!(env_name("os.getenv(\"X_Y\")").as_deref(), Some("X_Y"));
        assert_eq!(env_name("os.environ['Z']").as_deref(), Some("Z"));
        assert_eq!(env_name("%ID%").as_deref(), Some("ID"));
        assert_eq!(env_name("process.env.GC_ID").as_deref(), Some("GC_ID"));
        assert_eq!(env_name("process.env['GC_ID']").as_deref(), Some("GC_ID"));
        assert_eq!(env_name("get_secret()"), None);
    }
}
