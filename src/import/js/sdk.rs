//! The official SDK (`purecloud-platform-client-v2`): `loginClientCredentialsGrant` and
//! the environment set before it.

use super::*;

impl<'t> Resolver<'t, '_> {
    // --- the SDK ----------------------------------------------------------------------

    /// The SDK's `loginClientCredentialsGrant(id, secret)`, as a draft, with the setting
    /// that chose its environment.
    pub(super) fn sdk_login(&mut self) -> Option<(Draft, SdkSetting)> {
        let sites = self.index.sdk_logins.clone();
        let mut found = Vec::new();
        for site in sites {
            let n = site.node;
            let Some(f) = n
                .child_by_field_name("function")
                .filter(|f| f.kind() == "member_expression")
            else {
                continue;
            };
            let Some(obj) = f.child_by_field_name("object") else {
                continue;
            };
            let ctx = self.ctx_at(site);
            if matches!(self.eval(obj, &ctx), Val::Sdk) {
                found.push((site, obj));
            }
        }
        let (site, obj) = *found.first()?;
        let n = site.node;
        // The line of `.loginClientCredentialsGrant(`, also in a chain over several lines.
        let call_line = n
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("property"))
            .and_then(line_of)
            .or_else(|| line_of(n));
        let ctx = self.ctx_at(site);
        let args = self.call_args(n, &ctx);
        let cred = |r: &Self, i: usize, what: &str| match args.get(i) {
            Some((v, l)) => r.value_str(&v, l, what).default_line(l),
            None => Traced::unknown(what, format!("{{{what}}}"), call_line),
        };
        let id = cred(self, 0, "clientId");
        let secret = cred(self, 1, "clientSecret");
        let mut notes = Vec::new();
        if found.len() > 1 {
            let lines: Vec<String> = found
                .iter()
                .filter_map(|(s, _)| line_of(s.node).map(|l| l.to_string()))
                .collect();
            notes.push(format!(
                "the script calls {SDK_LOGIN} {} times (lines {}); the one at line {} is read",
                found.len(),
                lines.join(", "),
                call_line.unwrap_or(0)
            ));
        }

        let chosen = self.last_set_environment(n.start_byte());
        let client_name = if matches!(obj.kind(), "identifier" | "member_expression") {
            short(self.text(obj))
        } else {
            "platformClient.ApiClient.instance".to_string()
        };
        let (env, setting) = match chosen {
            Some(s) => {
                let c = self.ctx_at(s);
                let a = self.call_args(s.node, &c);
                let arg_node = s
                    .node
                    .child_by_field_name("arguments")
                    .and_then(|x| x.named_child(0));
                let expr = arg_node.map(|x| short(self.text(x))).unwrap_or_default();
                let line = line_of(s.node);
                let env = match a.get(0) {
                    None | Some((Val::Null, _)) => Traced::literal(SDK_DEFAULT_ENV, line),
                    Some((v, l)) => self.value_str(&v, l, &expr).default_line(l),
                };
                let target = s
                    .node
                    .child_by_field_name("function")
                    .map(|f| short(self.text(f)))
                    .unwrap_or_else(|| format!("{client_name}.setEnvironment"));
                (env, (SdkHost::SetEnvironment, target, expr, line))
            }
            None => {
                notes.push(format!(
                    "the script never calls setEnvironment: the SDK uses its default {SDK_DEFAULT_ENV} (us-east-1), unless its config file (~/.genesyscloudjavascript/config, `[general] host`) sets another"
                ));
                (
                    Traced::literal(SDK_DEFAULT_ENV, call_line),
                    (
                        SdkHost::Default,
                        format!("{client_name}.setEnvironment"),
                        String::new(),
                        call_line,
                    ),
                )
            }
        };
        let env = sdk_environment(&env);
        let mut url = Traced::literal("https://login.", setting.3);
        url.push(&env);
        url.push_literal("/oauth/token", setting.3);
        let draft = sdk_token_draft(url, setting.3, id, secret, call_line, notes);
        let sdk = SdkSetting {
            kind: SdkKind::JavaScript,
            host: setting.0,
            target: setting.1,
            expr: setting.2,
            line: setting.3,
            regions: self.sdk_regions_name(),
        };
        Some((draft, sdk))
    }

    /// The last `setEnvironment` on the SDK client before byte `before`.
    fn last_set_environment(&mut self, before: usize) -> Option<Site<'t>> {
        let env_sites: Vec<Site<'t>> = self
            .index
            .sdk_envs
            .iter()
            .filter(|s| s.node.start_byte() < before)
            .copied()
            .collect();
        let mut chosen = None;
        for s in env_sites {
            let c = self.ctx_at(s);
            if let Some(o) = s
                .node
                .child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("object"))
                && matches!(self.eval(o, &c), Val::Sdk)
            {
                chosen = Some(s);
            }
        }
        chosen
    }

    /// How the script can name `PureCloudRegionHosts`: a name bound to it, else the SDK's
    /// module name with `.PureCloudRegionHosts`.
    pub(super) fn sdk_regions_name(&mut self) -> String {
        let mut module_name = None;
        let mut regions_name = None;
        let mut names: Vec<String> = self
            .index
            .binds
            .keys()
            .filter(|(scope, name)| *scope == 0 && !name.contains('.'))
            .map(|(_, name)| name.clone())
            .collect();
        names.sort();
        for name in names {
            let Some(b) = self.last_bind(0, &name, usize::MAX, true) else {
                continue;
            };
            if let Val::Module(p) = self.eval_bind(&name, b, None) {
                if p == SDK && module_name.is_none() {
                    module_name = Some(name.clone());
                }
                if p == format!("{SDK}.PureCloudRegionHosts") && regions_name.is_none() {
                    regions_name = Some(name);
                }
            }
        }
        for candidate in ["platformClient", "PureCloudRegionHosts"] {
            if let Some(Val::Module(p)) = self.imported(candidate) {
                if p == SDK && module_name.is_none() {
                    module_name = Some(candidate.to_string());
                }
                if p == format!("{SDK}.PureCloudRegionHosts") && regions_name.is_none() {
                    regions_name = Some(candidate.to_string());
                }
            }
        }
        regions_name.unwrap_or_else(|| {
            format!(
                "{}.PureCloudRegionHosts",
                module_name.unwrap_or_else(|| "platformClient".into())
            )
        })
    }
}
