//! curl's options, read the way curl reads them: long and short names, clustered short
//! options (`-sSL`, `-XPOST`, `-d@file`), `--no-` forms, `--` ending the options, and what
//! each one asks for, before the request is assembled (`super::build`).

use crate::import::ImportError;
use crate::import::shell::{Command, Word};

/// What an option does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opt {
    Request,
    Header,
    Data(DataKind),
    UrlQuery,
    User,
    Json,
    Get,
    Head,
    Url,
    Form { literal: bool },
    UserAgent,
    Referer,
    Cookie,
    Bearer,
    Upload,
    Config,
    Proxy,
    AuthScheme(&'static str),
    Ignore,
    IgnoreArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DataKind {
    /// `-d`, `--data`, `--data-ascii`: `@file` reads a file.
    Ascii,
    /// `--data-raw`: no `@` handling.
    Raw,
    /// `--data-binary`.
    Binary,
    /// `--data-urlencode`.
    UrlEncode,
}

impl Opt {
    fn takes_arg(self) -> bool {
        !matches!(
            self,
            Opt::Get | Opt::Head | Opt::Ignore | Opt::AuthScheme(_)
        )
    }
}

const LONG: &[(&str, Opt)] = &[
    ("request", Opt::Request),
    ("header", Opt::Header),
    ("data", Opt::Data(DataKind::Ascii)),
    ("data-ascii", Opt::Data(DataKind::Ascii)),
    ("data-raw", Opt::Data(DataKind::Raw)),
    ("data-binary", Opt::Data(DataKind::Binary)),
    ("data-urlencode", Opt::Data(DataKind::UrlEncode)),
    ("url-query", Opt::UrlQuery),
    ("user", Opt::User),
    ("json", Opt::Json),
    ("get", Opt::Get),
    ("head", Opt::Head),
    ("url", Opt::Url),
    ("form", Opt::Form { literal: false }),
    ("form-string", Opt::Form { literal: true }),
    ("user-agent", Opt::UserAgent),
    ("referer", Opt::Referer),
    ("cookie", Opt::Cookie),
    ("oauth2-bearer", Opt::Bearer),
    ("upload-file", Opt::Upload),
    ("config", Opt::Config),
    ("proxy", Opt::Proxy),
    ("basic", Opt::AuthScheme("basic")),
    ("digest", Opt::AuthScheme("digest")),
    ("ntlm", Opt::AuthScheme("ntlm")),
    ("negotiate", Opt::AuthScheme("negotiate")),
    ("anyauth", Opt::AuthScheme("anyauth")),
];

/// Long options that take an argument and do not change the request.
#[rustfmt::skip]
const LONG_WITH_ARG: &[&str] = &[
    "abstract-unix-socket", "alt-svc", "aws-sigv4", "cacert", "capath", "cert", "cert-type",
    "ciphers", "connect-timeout", "connect-to", "continue-at", "cookie-jar", "create-file-mode",
    "crlfile", "curves", "delegation", "dns-interface", "dns-ipv4-addr", "dns-ipv6-addr",
    "dns-servers", "doh-url", "dump-header", "ech", "egd-file", "engine", "etag-compare",
    "etag-save", "expect100-timeout", "ftp-account", "ftp-alternative-to-user", "ftp-method",
    "ftp-port", "ftp-ssl-ccc-mode", "happy-eyeballs-timeout-ms", "haproxy-clientip", "hostpubmd5",
    "hostpubsha256", "hsts", "interface", "ip-tos", "ipfs-gateway", "keepalive-time",
    "keepalive-cnt", "key", "key-type", "krb", "libcurl", "limit-rate", "local-port",
    "login-options", "mail-auth", "mail-from", "mail-rcpt", "max-filesize", "max-redirs",
    "max-time", "netrc-file", "noproxy", "output", "output-dir", "parallel-max", "pass",
    "pinnedpubkey", "preproxy", "proto", "proto-default", "proto-redir", "proxy-cacert",
    "proxy-capath", "proxy-cert", "proxy-cert-type", "proxy-ciphers", "proxy-crlfile",
    "proxy-header", "proxy-key", "proxy-key-type", "proxy-pass", "proxy-pinnedpubkey",
    "proxy-service-name", "proxy-tls13-ciphers", "proxy-tlsauthtype", "proxy-tlspassword",
    "proxy-tlsuser", "proxy-user", "proxy1.0", "pubkey", "quote", "random-file", "range", "rate",
    "request-target", "resolve", "retry", "retry-delay", "retry-max-time", "sasl-authzid",
    "service-name", "socks4", "socks4a", "socks5", "socks5-gssapi-service", "socks5-hostname",
    "speed-limit", "speed-time", "stderr", "telnet-option", "tftp-blksize", "time-cond", "tls-max",
    "tls13-ciphers", "tlsauthtype", "tlspassword", "tlsuser", "trace", "trace-ascii",
    "trace-config", "unix-socket", "variable", "write-out",
];

/// Long options without an argument that do not change the request.
#[rustfmt::skip]
const LONG_NO_ARG: &[&str] = &[
    "anyauth", "append", "cert-status", "compressed", "compressed-ssh", "create-dirs", "crlf",
    "disable", "disable-eprt", "disable-epsv", "doh-cert-status", "doh-insecure", "fail",
    "fail-early", "fail-with-body", "false-start", "ftp-create-dirs", "ftp-pasv", "ftp-pret",
    "ftp-skip-pasv-ip", "ftp-ssl-ccc", "ftp-ssl-control", "globoff", "haproxy-protocol", "help",
    "http0.9", "http1.0", "http1.1", "http2", "http2-prior-knowledge", "http3", "http3-only",
    "ignore-content-length", "include", "insecure", "ipv4", "ipv6", "junk-session-cookies",
    "list-only", "location", "location-trusted", "manual", "mptcp", "netrc", "netrc-optional",
    "next", "no-alpn", "no-buffer", "no-clobber", "no-keepalive", "no-npn", "no-progress-meter",
    "no-sessionid", "ntlm-wb", "parallel", "parallel-immediate", "path-as-is", "post301",
    "post302", "post303", "progress-bar", "proxy-anyauth", "proxy-basic", "proxy-digest",
    "proxy-http2", "proxy-insecure", "proxy-negotiate", "proxy-ntlm", "proxy-ssl-allow-beast",
    "proxytunnel", "raw", "remote-header-name", "remote-name", "remote-name-all",
    "remove-on-error", "retry-all-errors", "retry-connrefused", "sasl-ir", "show-error",
    "show-headers", "silent", "skip-existing", "socks5-basic", "socks5-gssapi",
    "socks5-gssapi-nec", "ssl", "ssl-allow-beast", "ssl-auto-client-cert", "ssl-no-revoke",
    "ssl-reqd", "ssl-revoke-best-effort", "sslv2", "sslv3", "styled-output",
    "suppress-connect-headers", "tcp-fastopen", "tcp-nodelay", "tftp-no-options", "tlsv1",
    "tlsv1.0", "tlsv1.1", "tlsv1.2", "tlsv1.3", "tr-encoding", "trace-ids", "trace-time",
    "use-ascii", "verbose", "version", "xattr",
];

fn long_opt(name: &str) -> Option<Opt> {
    if let Some((_, o)) = LONG.iter().find(|(n, _)| *n == name) {
        return Some(*o);
    }
    if LONG_WITH_ARG.contains(&name) {
        return Some(Opt::IgnoreArg);
    }
    if LONG_NO_ARG.contains(&name) {
        return Some(Opt::Ignore);
    }
    None
}

fn short_opt(c: char) -> Option<Opt> {
    Some(match c {
        'X' => Opt::Request,
        'H' => Opt::Header,
        'd' => Opt::Data(DataKind::Ascii),
        'u' => Opt::User,
        'G' => Opt::Get,
        'I' => Opt::Head,
        'F' => Opt::Form { literal: false },
        'A' => Opt::UserAgent,
        'e' => Opt::Referer,
        'b' => Opt::Cookie,
        'T' => Opt::Upload,
        'K' => Opt::Config,
        'x' => Opt::Proxy,
        'c' | 'C' | 'D' | 'E' | 'm' | 'o' | 'P' | 'Q' | 'r' | 't' | 'U' | 'w' | 'y' | 'Y' | 'z' => {
            Opt::IgnoreArg
        }
        '0' | '1' | '2' | '3' | '4' | '6' | 'a' | 'B' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l'
        | 'L' | 'M' | 'n' | 'N' | 'O' | 'p' | 'q' | 'R' | 's' | 'S' | 'v' | 'V' | 'Z' | '#' => {
            Opt::Ignore
        }
        _ => return None,
    })
}

/// One option with its argument.
struct OptUse {
    opt: Opt,
    arg: Option<Word>,
    line: usize,
}

/// A `-d`-like item.
pub(super) struct DataItem {
    pub(super) kind: DataKind,
    pub(super) word: Word,
}

/// Everything the options said, before the request is assembled.
#[derive(Default)]
pub(super) struct Options {
    pub(super) method: Option<(String, usize)>,
    pub(super) urls: Vec<Word>,
    pub(super) headers: Vec<Word>,
    pub(super) data: Vec<DataItem>,
    pub(super) json: Vec<Word>,
    pub(super) forms: Vec<(Word, bool)>,
    pub(super) url_query: Vec<Word>,
    pub(super) user: Option<Word>,
    pub(super) get: bool,
    pub(super) head: bool,
    pub(super) upload: bool,
    pub(super) user_agent: Option<Word>,
    pub(super) referer: Option<Word>,
    pub(super) cookie: Option<Word>,
    pub(super) bearer: Option<Word>,
    pub(super) notes: Vec<String>,
}

pub(super) fn read_options(
    cmd: &Command,
    start: usize,
    source: &str,
) -> Result<Options, ImportError> {
    let words = &cmd.words[start + 1..];
    let mut uses: Vec<OptUse> = Vec::new();
    let mut o = Options::default();
    let mut i = 0;
    let mut only_urls = false;
    while i < words.len() {
        let w = &words[i];
        let t = w.text.text.as_str();
        i += 1;
        if only_urls || !t.starts_with('-') || t == "-" {
            o.urls.push(w.clone());
            continue;
        }
        if t == "--" {
            only_urls = true;
            continue;
        }
        if let Some(name) = t.strip_prefix("--") {
            let name = name
                .strip_prefix("no-")
                .filter(|n| long_opt(n).is_some())
                .unwrap_or(name);
            let opt = match long_opt(name) {
                Some(o) => o,
                None => {
                    o.notes.push(format!(
                        "unknown curl option `{t}` ignored (line {})",
                        w.line
                    ));
                    Opt::Ignore
                }
            };
            let arg = if opt.takes_arg() {
                let a = words.get(i).cloned();
                if a.is_none() {
                    return Err(ImportError::new(
                        source,
                        format!("curl option `{t}` needs a value"),
                    )
                    .at(w.line, Some(w.col)));
                }
                i += 1;
                a
            } else {
                None
            };
            uses.push(OptUse {
                opt,
                arg,
                line: w.line,
            });
            continue;
        }
        // A cluster of short options: `-sSL`, `-XPOST`, `-d@file`.
        let chars: Vec<(usize, char)> = t.char_indices().skip(1).collect();
        let mut k = 0;
        while k < chars.len() {
            let (pos, c) = chars[k];
            k += 1;
            let opt = match short_opt(c) {
                Some(o) => o,
                None => {
                    o.notes.push(format!(
                        "unknown curl option `-{c}` ignored (line {})",
                        w.line
                    ));
                    Opt::Ignore
                }
            };
            if !opt.takes_arg() {
                uses.push(OptUse {
                    opt,
                    arg: None,
                    line: w.line,
                });
                continue;
            }
            let rest_at = pos + c.len_utf8();
            let arg = if rest_at < t.len() {
                Some(Word {
                    text: w.text.slice(rest_at..t.len()),
                    line: w.line,
                    col: w.col + rest_at,
                })
            } else {
                let a = words.get(i).cloned();
                if a.is_none() {
                    return Err(ImportError::new(
                        source,
                        format!("curl option `-{c}` needs a value"),
                    )
                    .at(w.line, Some(w.col)));
                }
                i += 1;
                a
            };
            uses.push(OptUse {
                opt,
                arg,
                line: w.line,
            });
            break;
        }
    }
    for u in uses {
        apply_option(&mut o, u);
    }
    Ok(o)
}

fn apply_option(o: &mut Options, u: OptUse) {
    let arg = u.arg;
    match (u.opt, arg) {
        (Opt::Request, Some(a)) => o.method = Some((a.text.text.clone(), a.line)),
        (Opt::Header, Some(a)) => o.headers.push(a),
        (Opt::Data(kind), Some(a)) => o.data.push(DataItem { kind, word: a }),
        (Opt::UrlQuery, Some(a)) => o.url_query.push(a),
        (Opt::User, Some(a)) => o.user = Some(a),
        (Opt::Json, Some(a)) => o.json.push(a),
        (Opt::Url, Some(a)) => o.urls.push(a),
        (Opt::Form { literal }, Some(a)) => o.forms.push((a, literal)),
        (Opt::UserAgent, Some(a)) => o.user_agent = Some(a),
        (Opt::Referer, Some(a)) => o.referer = Some(a),
        (Opt::Cookie, Some(a)) => o.cookie = Some(a),
        (Opt::Bearer, Some(a)) => o.bearer = Some(a),
        (Opt::Get, _) => o.get = true,
        (Opt::Head, _) => o.head = true,
        (Opt::Upload, Some(a)) => {
            o.upload = true;
            o.notes.push(format!(
                "-T (line {}) uploads a file: its content is not known here",
                a.line
            ));
        }
        (Opt::Config, Some(a)) => o.notes.push(format!(
            "-K (line {}) reads more options from a file; they are not read here",
            a.line
        )),
        // The proxy value may carry `user:password@`: say that there is one, not what it is.
        (Opt::Proxy, Some(a)) => o.notes.push(format!(
            "the request goes through a proxy (-x, line {})",
            a.line
        )),
        (Opt::AuthScheme(s), _) if s != "basic" => o.notes.push(format!(
            "--{s} asks curl for {s} authentication; the login service takes Basic (line {})",
            u.line
        )),
        _ => {}
    }
}
