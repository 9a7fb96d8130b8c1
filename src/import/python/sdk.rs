//! The official Python SDK, `PureCloudPlatformClientV2`: the token request that
//! `ApiClient().get_client_credentials_token(id, secret)` sends, worked out the SDK's way.
//!
//! A script that logs in with the SDK shows no URL, no header and no body: the SDK builds
//! them (facts §2, `api_client.py` 257.x). What decides where the request goes is a
//! *setting*, and the failures people ask about are mostly settings: no host at all (the
//! SDK's default is us-east-1), a region constant of the wrong region, a host without
//! `api.` (the SDK derives the login host by rewriting `//api.` to `//login.` and leaves any
//! other host as it is), or `configuration.host` set after the `ApiClient` was created
//! (the client copies the host when it is constructed). So this module follows the SDK's
//! own rules, in its order:
//!
//! 1. `api_client.host = …` on the client itself, after it was created;
//! 2. `ApiClient(host=…)`;
//! 3. the package's `configuration` singleton (`PureCloudPlatformClientV2.configuration.host`,
//!    `Configuration().host`) as it was when the client was created;
//! 4. the default `https://api.mypurecloud.com`.
//!
//! Values are resolved by the Python importer (literals, assignments, `os.getenv`,
//! `PureCloudRegionHosts.<region>.get_api_host()`); the setting that won is recorded as an
//! [`SdkSetting`] with its line, so a finding can say which line to change and to what.

use super::{Args, Ctx, Resolver, Site, Val, text};
use crate::import::script::eval::Evaluator;
use crate::import::script::short;
use crate::import::{Draft, Traced, WHAT_URL, sdk_token_draft};
use crate::region::REGIONS;
use crate::request::{SdkHost, SdkKind, SdkSetting, Unresolved};
use tree_sitter::Node;

/// The SDK's client-credentials method.
pub(super) const TOKEN_METHOD: &str = "get_client_credentials_token";
const PACKAGE: &str = "PureCloudPlatformClientV2";
/// `Configuration.host` before anything sets it.
const DEFAULT_HOST: &str = "https://api.mypurecloud.com";
/// What the package's `configuration` singleton (and `Configuration()`) evaluates to.
const CONFIGURATION: &str = "PureCloudPlatformClientV2.configuration";

/// `<object>.host = <value>`, recorded by the index walk.
#[derive(Clone, Copy, Debug)]
pub(super) struct HostSet<'t> {
    pub target: Node<'t>,
    pub object: Node<'t>,
    pub value: Node<'t>,
    pub pos: usize,
    pub func: Option<Node<'t>>,
}

/// An `ApiClient(…)`.
#[derive(Clone, Debug)]
pub(super) struct ApiClient {
    /// Byte offset of the constructor call: it identifies the client.
    pos: usize,
    line: Option<usize>,
    /// The constructor as written (`PureCloudPlatformClientV2.api_client.ApiClient`).
    callee: String,
    /// `ApiClient(host=…)`: the value, its line and the argument as written.
    host: Option<(Box<Val>, Option<usize>, String)>,
}

/// The path inside the package, for a dotted path that starts with it.
fn in_package(path: &str) -> Option<&str> {
    path.strip_prefix(PACKAGE)?.strip_prefix('.')
}

/// `<key>` of `PureCloudRegionHosts.<key>` (inside the package).
fn region_member(rest: &str) -> Option<&str> {
    rest.strip_prefix("PureCloudRegionHosts.")
        .or_else(|| rest.strip_prefix("purecloud_region_hosts.PureCloudRegionHosts."))
}

/// The API host string of a region constant; `None` for a key the Python SDK does not have
/// (the script would raise AttributeError).
fn region_host(key: &str, line: Option<usize>) -> Option<Val> {
    REGIONS
        .iter()
        .find(|r| r.sdk_key == key && r.in_python_sdk)
        .map(|r| Val::str(Traced::literal(r.api_base(), line)))
}

/// `PureCloudRegionHosts.<key>.value` (and `.apihost`): the enum member's host string.
pub(super) fn attribute(path: &str, attr: &str, line: Option<usize>) -> Option<Val> {
    if !matches!(attr, "value" | "apihost") {
        return None;
    }
    region_host(region_member(in_package(path)?)?, line)
}

/// The login base URL the SDK derives from a host (`re.sub(r'\/\/(api)\.', '//login.', host)`).
fn login_base(host: &Traced) -> Traced {
    crate::import::script::sdk_host::api_to_login(host)
}

/// The node of argument `i` or keyword `kw` of a call.
fn arg_node<'t>(call: Node<'t>, i: usize, kw: &str, src: &str) -> Option<Node<'t>> {
    let args = call.child_by_field_name("arguments")?;
    let mut cursor = args.walk();
    let list: Vec<Node<'t>> = args.named_children(&mut cursor).collect();
    if let Some(k) = list.iter().find(|a| {
        a.kind() == "keyword_argument"
            && a.child_by_field_name("name").map(|n| text(n, src)) == Some(kw)
    }) {
        return k.child_by_field_name("value");
    }
    list.into_iter()
        .filter(|a| {
            !matches!(
                a.kind(),
                "keyword_argument" | "dictionary_splat" | "list_splat" | "comment"
            )
        })
        .nth(i)
}

/// Where the winning host setting is, before it becomes an [`SdkSetting`].
struct Chosen {
    host: Traced,
    setting: SdkHost,
    target: String,
    expr: String,
    line: Option<usize>,
}

impl<'t> Resolver<'t, '_> {
    /// Calls into the package: `ApiClient(…)`, `Configuration()`, `….get_api_host()`.
    pub(super) fn sdk_builtin(&mut self, path: &str, args: &Args, n: Node<'t>) -> Option<Val> {
        let rest = in_package(path)?;
        match rest {
            "ApiClient" | "api_client.ApiClient" => {
                let host = args
                    .get(0, "host")
                    .filter(|(v, _)| !v.is_none())
                    .map(|(v, l)| {
                        let written = arg_node(n, 0, "host", self.src)
                            .map(|a| self.text(a).to_string())
                            .unwrap_or_else(|| "host".into());
                        (Box::new(v), l, written)
                    });
                let callee = n
                    .child_by_field_name("function")
                    .map(|f| self.text(f).to_string())
                    .unwrap_or_else(|| "ApiClient".into());
                Some(Val::Sdk(Box::new(ApiClient {
                    pos: n.start_byte(),
                    line: self.line(n),
                    callee,
                    host,
                })))
            }
            // A singleton: every `Configuration()` is the package's `configuration`.
            "Configuration" | "configuration.Configuration" => {
                Some(Val::Module(CONFIGURATION.into()))
            }
            _ => {
                let key = region_member(rest.strip_suffix(".get_api_host")?)?;
                Some(region_host(key, self.line(n)).unwrap_or_else(|| self.unknown(n)))
            }
        }
    }

    /// The SDK's token call, as a draft, with the setting that chose its host. The first
    /// call on an `ApiClient` wins; a note names the others.
    pub(super) fn sdk_token_call(&mut self) -> Option<(Draft, SdkSetting)> {
        let sites = self.index.sdk_calls.clone();
        let mut found: Vec<(Draft, SdkSetting, Option<usize>)> = Vec::new();
        for site in sites {
            if let Some((d, s)) = self.sdk_call(site) {
                found.push((d, s, self.line(site.node)));
            }
        }
        let lines: Vec<String> = found
            .iter()
            .filter_map(|f| f.2.map(|l| l.to_string()))
            .collect();
        let (mut draft, setting, line) = found.into_iter().next()?;
        if lines.len() > 1 {
            draft.notes.push(format!(
                "the script calls {TOKEN_METHOD} {} times (lines {}); the one at line {} is read",
                lines.len(),
                lines.join(", "),
                line.unwrap_or(0)
            ));
        }
        Some((draft, setting))
    }

    fn sdk_call(&mut self, site: Site<'t>) -> Option<(Draft, SdkSetting)> {
        let n = site.node;
        let f = n.child_by_field_name("function")?;
        if f.kind() != "attribute" {
            return None;
        }
        let ctx = self.ctx_at(site);
        let Val::Sdk(client) = self.eval(f.child_by_field_name("object")?, &ctx) else {
            return None;
        };
        let call_line = self.line(n);
        let mut notes = Vec::new();
        let mut unresolved = Vec::new();
        let chosen = self.sdk_host(&client, site, &mut notes);

        let args = self.call_args(n, &ctx);
        let cred = |i: usize, kw: &str| match args.get(i, kw) {
            Some((v, l)) => self.value_str(&v, l, kw).default_line(l),
            None => Traced::unknown(kw, format!("{{{kw}}}"), call_line),
        };
        let id = cred(0, "client_id");
        let secret = cred(1, "client_secret");
        for (what, t) in [("client id", &id), ("secret", &secret)] {
            if t.is_resolved() && !t.text.is_ascii() {
                notes.push(format!(
                    "the Python SDK encodes `client_id:client_secret` as ASCII (`.encode('ascii')`): with this {what}, {TOKEN_METHOD} (line {}) raises UnicodeEncodeError and nothing is sent",
                    call_line.unwrap_or(0)
                ));
            }
        }
        if chosen.host.is_resolved() && !chosen.host.text.contains("//api.") {
            notes.push(format!(
                "the host `{}` has no `//api.`: the Python SDK then posts the token request to it unchanged, not to a login host",
                chosen.host.text
            ));
        }
        if let Some(g) = self
            .index
            .calls_by_name
            .get("set_gateway")
            .and_then(|v| v.first())
        {
            let expr = short(self.text(g.node));
            notes.push(format!(
                "the script sets a gateway (`{expr}`): the SDK then sends the token request to the gateway, which gcdoctor does not model"
            ));
            unresolved.push(Unresolved {
                what: WHAT_URL.into(),
                expr,
                line: self.line(g.node),
            });
        }

        let mut url = login_base(&chosen.host);
        url.push_literal("/oauth/token", chosen.line);
        let draft = Draft {
            unresolved,
            ..sdk_token_draft(url, chosen.line, id, secret, call_line, notes)
        };
        let setting = SdkSetting {
            kind: SdkKind::Python,
            host: chosen.setting,
            target: chosen.target,
            expr: chosen.expr,
            line: chosen.line,
            regions: self.regions_name(),
        };
        Some((draft, setting))
    }

    /// The host the client has at the token call, by the SDK's rules (module docs).
    fn sdk_host(&mut self, client: &ApiClient, call: Site<'t>, notes: &mut Vec<String>) -> Chosen {
        let call_pos = call.node.start_byte();
        let sets: Vec<HostSet<'t>> = self
            .index
            .host_sets
            .iter()
            .filter(|h| h.pos < call_pos)
            .copied()
            .collect();
        let mut on_client: Option<HostSet<'t>> = None;
        let mut config: Option<HostSet<'t>> = None;
        let mut late_config: Option<HostSet<'t>> = None;
        let mut misplaced = false;
        for h in sets {
            let ctx = Ctx {
                func: h.func,
                pos: h.pos,
                frame: None,
            };
            match self.eval(h.object, &ctx) {
                Val::Module(p) if p == CONFIGURATION => {
                    if h.pos < client.pos {
                        config = Some(h);
                    } else {
                        late_config = Some(h);
                    }
                }
                Val::Sdk(c) if c.pos == client.pos && h.pos > client.pos => on_client = Some(h),
                _ => {
                    // `api_client.configuration.host = …`: ApiClient has no such attribute.
                    if h.object.kind() == "attribute"
                        && h.object
                            .child_by_field_name("attribute")
                            .is_some_and(|a| self.text(a) == "configuration")
                        && let Some(o) = h.object.child_by_field_name("object")
                        && matches!(self.eval(o, &ctx), Val::Sdk(c) if c.pos == client.pos)
                    {
                        misplaced = true;
                        notes.push(format!(
                            "line {}: `{}` does not set the host: the SDK's ApiClient has no `configuration` attribute, so this line raises AttributeError; set `{}.configuration.host` before creating the client, or pass `ApiClient(host=…)`",
                            self.lines.line(h.pos),
                            short(self.text(h.target)),
                            self.package_name()
                        ));
                    }
                }
            }
        }
        let from_set = |r: &mut Self, h: HostSet<'t>, setting: SdkHost| {
            let ctx = Ctx {
                func: h.func,
                pos: h.pos,
                frame: None,
            };
            let v = r.eval(h.value, &ctx);
            let line = r.line(h.target);
            let expr = short(r.text(h.value));
            Chosen {
                host: r.value_str(&v, line, &expr).default_line(line),
                setting,
                target: r.text(h.target).to_string(),
                expr,
                line,
            }
        };
        let chosen = if let Some(h) = on_client {
            from_set(self, h, SdkHost::ClientAttribute)
        } else if let Some((v, line, expr)) = &client.host {
            Chosen {
                host: self.value_str(v, *line, expr).default_line(*line),
                setting: SdkHost::ClientArgument,
                target: client.callee.clone(),
                expr: short(expr),
                line: *line,
            }
        } else if let Some(h) = config {
            from_set(self, h, SdkHost::ConfigurationHost)
        } else {
            Chosen {
                host: Traced::literal(DEFAULT_HOST, client.line),
                setting: SdkHost::Default,
                target: format!("{}.configuration.host", self.package_name()),
                expr: String::new(),
                line: client.line,
            }
        };
        if let Some(h) = late_config
            && matches!(
                chosen.setting,
                SdkHost::ConfigurationHost | SdkHost::Default
            )
        {
            notes.push(format!(
                "line {}: `{}` comes after the ApiClient is created (line {}): that client keeps the host it was created with ({})",
                self.lines.line(h.pos),
                short(self.text(h.target)),
                client.line.unwrap_or(0),
                chosen.host.text
            ));
        }
        if chosen.setting == SdkHost::Default && late_config.is_none() && !misplaced {
            notes.push(format!(
                "the script sets no host: the SDK uses its default {DEFAULT_HOST} (us-east-1), unless its config file (~/.genesyscloudpython/config, `[general] host`) sets another"
            ));
        }
        chosen
    }

    /// How the script names the package (`PureCloudPlatformClientV2`, or its alias).
    fn package_name(&self) -> String {
        let mut names: Vec<&String> = self
            .index
            .imports
            .iter()
            .filter(|(_, v)| v.as_str() == PACKAGE)
            .map(|(k, _)| k)
            .collect();
        names.sort();
        names
            .iter()
            .find(|k| k.as_str() == PACKAGE)
            .or_else(|| names.first())
            .map_or_else(|| PACKAGE.to_string(), |k| k.to_string())
    }

    /// How the script can name `PureCloudRegionHosts`.
    fn regions_name(&self) -> String {
        let mut names: Vec<&String> = self
            .index
            .imports
            .iter()
            .filter(|(_, v)| {
                in_package(v).is_some_and(|r| {
                    r == "PureCloudRegionHosts"
                        || r == "purecloud_region_hosts.PureCloudRegionHosts"
                })
            })
            .map(|(k, _)| k)
            .collect();
        names.sort();
        names.first().map_or_else(
            || format!("{}.PureCloudRegionHosts", self.package_name()),
            |k| k.to_string(),
        )
    }
}
