//! How the official SDKs turn the base path a script configures into the host they log in
//! to (facts §10.2): the rule each SDK applies, reproduced on traced text so the result
//! still says where each part came from.

use super::object::{Login, Obj, Val};
use crate::import::{Draft, Traced, sdk_token_draft};
use crate::request::{SdkHost, SdkKind, SdkSetting};

/// An official SDK as an importer models it.
pub(crate) struct SdkModel {
    pub(crate) kind: SdkKind,
    /// How it derives the login host from the base path.
    pub(crate) rule: fn(&Traced) -> Traced,
    /// Its base path when the program sets none.
    pub(crate) default: &'static str,
    /// Its client-credentials call, as notes name it.
    pub(crate) call: &'static str,
    /// How a program sets the base path.
    pub(crate) host: SdkHost,
    /// The setting a fix changes, for the login's client (set by the program or not).
    pub(crate) target: fn(&Login, bool) -> String,
    /// How a program names the SDK's region constants.
    pub(crate) regions: &'static str,
}

/// The draft of an SDK login and the setting that chose its host.
pub(crate) fn sdk_login(l: &Login, count: usize, m: &SdkModel) -> (Draft, SdkSetting) {
    let (draft, base) = login_draft(l, count, m.rule, m.default, m.call);
    let set = base.is_some();
    let (host, expr, line) = match base {
        Some((_, line, expr)) => (m.host, expr, line),
        None => (SdkHost::Default, String::new(), l.line),
    };
    let setting = SdkSetting {
        kind: m.kind,
        host,
        target: (m.target)(l, set),
        expr,
        line,
        regions: m.regions.into(),
    };
    (draft, setting)
}

/// The base path an SDK client was given: its value, line and expression.
pub(crate) type Base = (Val, Option<usize>, String);

/// An SDK login as a draft: the token URL `rule` derives from the client's base path (or the
/// SDK's `default` when none was set, with a note), Basic credentials, the form body.
/// Returns the draft and the base path set, if any.
fn login_draft(
    login: &Login,
    count: usize,
    rule: fn(&Traced) -> Traced,
    default: &str,
    call: &str,
) -> (Draft, Option<Base>) {
    let base = match &*login.client.borrow() {
        Obj::Sdk(b) => b.clone(),
        _ => None,
    };
    let mut notes = Vec::new();
    let host = match &base {
        Some((v, l, e)) => v.traced(e, *l).default_line(*l),
        None => {
            notes.push(format!(
                "the script never sets the SDK's base path: it uses its default {default} (us-east-1)"
            ));
            Traced::literal(default, login.line)
        }
    };
    if count > 1 {
        notes.push(format!(
            "the script calls {call} {count} times; the first (line {}) is read",
            login.line.unwrap_or(0)
        ));
    }
    let line = base.as_ref().and_then(|b| b.1).or(login.line);
    let url = token_url(&rule(&host), line);
    let draft = sdk_token_draft(
        url,
        line,
        login.id.traced(),
        login.secret.traced(),
        login.line,
        notes,
    );
    (draft, base)
}

/// Python, .NET and Go: every `//api.` becomes `//login.`; a base path without `api.` is
/// used unchanged, so the token request goes to the bare domain.
pub(crate) fn api_to_login(host: &Traced) -> Traced {
    let mut out = Traced::default();
    let mut last = 0;
    for (i, _) in host.text.match_indices("//api.") {
        out.push(&host.slice(last..i + 2));
        out.push_literal("login.", host.line_at(i));
        last = i + 6;
    }
    out.push(&host.slice(last..host.text.len()));
    out
}

/// Java: the base path is split at its first dot and `https://login.` put before the rest,
/// so `https://mypurecloud.com` becomes `https://login.com`. A base path without a dot is
/// used as it is.
pub(crate) fn first_dot_to_login(host: &Traced) -> Traced {
    let Some(dot) = host.text.find('.') else {
        return host.clone();
    };
    let mut out = Traced::literal("https://login.", host.line_at(dot));
    out.push(&host.slice(dot + 1..host.text.len()));
    out
}

/// The token URL under a login base: `<base>/oauth/token`, one slash between.
pub(crate) fn token_url(login: &Traced, line: Option<usize>) -> Traced {
    let mut url = login.slice(0..login.text.trim_end_matches('/').len());
    url.push_literal("/oauth/token", line);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Traced {
        Traced::literal(s, Some(1))
    }

    #[test]
    fn go_and_python_rule() {
        assert_eq!(
            api_to_login(&t("https://api.mypurecloud.ie")).text,
            "https://login.mypurecloud.ie"
        );
        assert_eq!(
            api_to_login(&t("https://mypurecloud.ie")).text,
            "https://mypurecloud.ie"
        );
    }

    #[test]
    fn java_rule() {
        assert_eq!(
            first_dot_to_login(&t("https://api.mypurecloud.de")).text,
            "https://login.mypurecloud.de"
        );
        assert_eq!(
            first_dot_to_login(&t("https://mypurecloud.com")).text,
            "https://login.com"
        );
        assert_eq!(
            token_url(&t("https://login.x.com/"), None).text,
            "https://login.x.com/oauth/token"
        );
    }
}
