//! Why a request got no HTTP answer ([`Failure`]), in plain words, from whichever client
//! sent it: the direct connections of `wire` or reqwest through a proxy (`via_proxy`).
//! Also names the proxy the environment sets for a URL ([`proxy_for`]).

use std::time::Duration;

/// Why a request got no HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The host name does not resolve.
    Dns(String),
    /// TCP connection refused, reset or unreachable.
    Connect(String),
    /// TLS handshake or certificate failure.
    Tls(String),
    /// A proxy refused or failed.
    Proxy(String),
    /// No complete answer within the timeout.
    Timeout(Duration),
    /// The connection broke mid-answer or the answer was not HTTP.
    Protocol(String),
}

impl Failure {
    /// The failure in plain words.
    pub fn describe(&self) -> String {
        match self {
            Failure::Dns(s) => format!("the host name does not resolve ({s})"),
            Failure::Connect(s) => format!("connection failed: {s}"),
            Failure::Tls(s) => format!("TLS failure: {s}"),
            Failure::Proxy(s) => format!("proxy failure: {s}"),
            Failure::Timeout(d) => format!("no complete answer within {} s", d.as_secs_f32()),
            Failure::Protocol(s) => format!("the connection broke or the answer was not HTTP: {s}"),
        }
    }
}

/// Maps a reqwest error to a failure in plain words, looking through its causes.
pub(super) fn classify(e: &reqwest::Error, timeout: Duration) -> Failure {
    if e.is_timeout() {
        return Failure::Timeout(timeout);
    }
    classify_chain(e, e.is_connect(), timeout)
}

/// Maps any error to a failure in plain words, looking through its causes: a TLS error, an
/// I/O error of a known kind, else the words of the deepest cause. `connecting` says whether
/// the error happened while the connection was being set up.
pub(super) fn classify_chain(
    e: &(dyn std::error::Error + 'static),
    connecting: bool,
    timeout: Duration,
) -> Failure {
    let mut chain = Vec::new();
    let mut src: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = src {
        chain.push(s.to_string());
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return Failure::Tls(describe_tls(tls));
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            // An io::Error's `source()` skips the error it wraps: look at that one too, it is
            // where the TLS stack puts a rustls::Error (an untrusted certificate, …).
            if let Some(tls) = io
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            {
                return Failure::Tls(describe_tls(tls));
            }
            use std::io::ErrorKind::*;
            match io.kind() {
                ConnectionRefused => return Failure::Connect("connection refused".into()),
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof => {
                    return Failure::Connect(
                        "the connection was reset or closed before an answer".into(),
                    );
                }
                TimedOut => return Failure::Timeout(timeout),
                _ => {}
            }
        }
        src = s.source();
    }
    let joined = chain.join(": ");
    let lower = joined.to_ascii_lowercase();
    if lower.contains("dns error")
        || lower.contains("failed to lookup")
        || lower.contains("name or service not known")
    {
        Failure::Dns(last(&chain))
    } else if lower.contains("proxy") {
        Failure::Proxy(last(&chain))
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        Failure::Tls(last(&chain))
    } else if connecting {
        Failure::Connect(last(&chain))
    } else {
        Failure::Protocol(last(&chain))
    }
}

/// The proxy an HTTP client takes for this URL from the environment (`HTTPS_PROXY`,
/// `HTTP_PROXY`, `ALL_PROXY`, with `NO_PROXY` exceptions), shown without credentials.
pub fn proxy_for(
    url: &url::Url,
    seam: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    if seam {
        return None;
    }
    let get = |k: &str| {
        env(k)
            .or_else(|| env(&k.to_ascii_lowercase()))
            .filter(|v| !v.trim().is_empty())
    };
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if let Some(no) = get("NO_PROXY") {
        let excluded = no
            .split(',')
            .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
            .any(|e| !e.is_empty() && (e == "*" || host == e || host.ends_with(&format!(".{e}"))));
        if excluded {
            return None;
        }
    }
    let var = if url.scheme() == "https" {
        "HTTPS_PROXY"
    } else {
        "HTTP_PROXY"
    };
    let (name, value) = [var, "ALL_PROXY"]
        .iter()
        .find_map(|k| get(k).map(|v| (*k, v)))?;
    let shown = match url::Url::parse(&value) {
        Ok(mut u) if u.has_host() => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string().trim_end_matches('/').to_string()
        }
        _ => value,
    };
    Some(format!("{shown} from {name}"))
}

fn last(chain: &[String]) -> String {
    chain.last().cloned().unwrap_or_default()
}

pub(super) fn describe_tls(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => {
            let why = match c {
                C::UnknownIssuer => "it is signed by an authority this machine does not trust".to_string(),
                C::Expired | C::ExpiredContext { .. } => "it has expired".to_string(),
                C::NotValidYet | C::NotValidYetContext { .. } => {
                    "it is not valid yet (is this machine's clock right?)".to_string()
                }
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    "it is not issued for this host name".to_string()
                }
                C::Revoked => "it has been revoked".to_string(),
                other => format!("{other:?}"),
            };
            format!(
                "the server's certificate is not trusted: {why}; a TLS-inspecting proxy may be in the way: add its CA to this machine's trust store (on Linux, SSL_CERT_FILE can point at a bundle that includes it)"
            )
        }
        rustls::Error::InvalidMessage(_) => "the other end does not speak TLS (it answered the handshake with something else, plain HTTP perhaps): a proxy or firewall may be in the way, or the port is not an HTTPS port".to_string(),
        other => other.to_string(),
    }
}
