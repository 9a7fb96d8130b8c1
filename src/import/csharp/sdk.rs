//! The .NET SDK (`PureCloudPlatform.Client.V2`): `PostToken(id, secret)` and the base path
//! set before it.

use super::index::arguments;
use super::*;
use crate::import::{Draft, sdk_token_draft};
use crate::request::{SdkHost, SdkKind, SdkSetting};

/// The base path the SDK uses when none is set.
const DEFAULT_BASE: &str = "https://api.mypurecloud.com";

/// The login URL the SDK derives from a base path: `//api.` becomes `//login.` (a base path
/// without it is used as it is), then `/oauth/token`.
fn login_url(base: &Traced, line: Option<usize>) -> Traced {
    let b = base.text.trim_end_matches('/');
    let mut url = match b.find("//api.") {
        Some(i) => {
            let mut u = base.slice(0..i);
            u.push_literal("//login.", line);
            u.push(&base.slice(i + "//api.".len()..b.len()));
            u
        }
        None => base.slice(0..b.len()),
    };
    url.push_literal("/oauth/token", line);
    url
}

impl<'t> Resolver<'t, '_> {
    /// The SDK's `PostToken(id, secret)`, as a draft, with the setting that chose its host.
    pub(super) fn sdk_login(&mut self) -> Option<(Draft, SdkSetting)> {
        let sites = self.index.names.calls_by_name.get("PostToken")?.clone();
        let mut found = None;
        for s in sites {
            let target = s
                .node
                .child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("expression"));
            let Some(target) = target else { continue };
            if let Val::Obj(Obj::ApiClient(base)) = self.eval(target, &s.ctx()) {
                found = Some((s, target, base));
                break;
            }
        }
        let (site, target, from_object) = found?;
        let n = site.node;
        let line = line_of(n);
        let ctx = site.ctx();
        let args: Vec<Node<'t>> = arguments(n);
        let cred = |r: &mut Self, i: usize, what: &str| match args.get(i) {
            Some(a) => {
                let v = r.eval(*a, &ctx);
                v.text(&short(r.text(*a)), line_of(*a))
                    .default_line(line_of(*a))
            }
            None => Traced::unknown(what, format!("{{{what}}}"), line),
        };
        let id = cred(self, 0, "clientId");
        let secret = cred(self, 1, "clientSecret");
        let client = short(self.text(target));
        let mut notes = Vec::new();
        let set = self.last_base_path(n.start_byte());
        let (base, host, expr, setting_line, setter) = match (set, from_object) {
            (Some((value, expr, setter, l)), _) => (value, SdkHost::SetBasePath, expr, l, setter),
            (None, Some(b)) => {
                let (value, expr, setter, l) = *b;
                let setter = if setter.is_empty() {
                    format!("{client}.setBasePath")
                } else {
                    setter
                };
                (value, SdkHost::SetBasePath, expr, l, setter)
            }
            (None, None) => {
                notes.push(format!(
                    "the program never calls setBasePath: the SDK uses its default {DEFAULT_BASE} (us-east-1)"
                ));
                (
                    Traced::literal(DEFAULT_BASE, line),
                    SdkHost::Default,
                    String::new(),
                    line,
                    format!("{client}.setBasePath"),
                )
            }
        };
        let url = login_url(&base, setting_line);
        let mut draft = sdk_token_draft(url, setting_line, id.clone(), secret.clone(), line, notes);
        // The SDK encodes `id:secret` as ISO-8859-1.
        let mut inner = id;
        inner.push_literal(":", line);
        inner.push(&secret);
        let mut header = Traced::literal("Basic ", line);
        header.push(&dotnet::to_base64(&inner, dotnet::Enc::Latin1, line));
        draft.set_header("Authorization", header, line);
        let setting = SdkSetting {
            kind: SdkKind::DotNet,
            host,
            target: setter,
            expr,
            line: setting_line,
            regions: "PureCloudRegionHosts".into(),
        };
        Some((draft, setting))
    }

    /// The last `setBasePath(…)` on an SDK client before byte `before`: the value, as
    /// written, the call's target, its line.
    fn last_base_path(&mut self, before: usize) -> Option<objects::BasePath> {
        let sites = self.index.names.calls_by_name.get("setBasePath")?.clone();
        let mut chosen = None;
        for s in sites.into_iter().filter(|s| s.node.start_byte() < before) {
            let Some(f) = s.node.child_by_field_name("function") else {
                continue;
            };
            let Some(target) = f.child_by_field_name("expression") else {
                continue;
            };
            if !matches!(self.eval(target, &s.ctx()), Val::Obj(Obj::ApiClient(_))) {
                continue;
            }
            let Some(arg) = arguments(s.node).first().copied() else {
                continue;
            };
            let line = line_of(s.node);
            let value = match self.eval(arg, &s.ctx()) {
                Val::Obj(Obj::Region(t)) => t,
                other => other.text(&short(self.text(arg)), line),
            };
            chosen = Some((value, short(self.text(arg)), short(self.text(f)), line));
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_host_from_base_path() {
        let t = |s: &str| login_url(&Traced::literal(s, None), None).text;
        assert_eq!(
            t("https://api.mypurecloud.ie"),
            "https://login.mypurecloud.ie/oauth/token"
        );
        assert_eq!(
            t("https://mypurecloud.ie/"),
            "https://mypurecloud.ie/oauth/token"
        );
    }
}
