//! A request as it goes on the wire ([`Outgoing`]): method, URL, headers and body checked
//! once, whichever client sends it; and the answer as read back ([`Answer`]), bounded.

use super::{MAX_BODY, Refused};
use crate::request::HttpRequest;
use hyper::body::Bytes;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};

/// A request that can go on the wire as written.
#[derive(Clone, Debug)]
pub(crate) struct Outgoing {
    pub method: hyper::Method,
    /// The original URL (under the seams too: only the address dialled changes).
    pub url: url::Url,
    /// The headers, without `Host` and the framing headers (the client sets those).
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Outgoing {
    /// Checks that the request can be expressed on the wire: a real method, header names
    /// and values without newlines or control characters.
    pub fn new(req: &HttpRequest, url: &url::Url) -> Result<Outgoing, Refused> {
        let method = hyper::Method::from_bytes(req.method.to_ascii_uppercase().as_bytes())
            .map_err(|_| Refused::Invalid(format!("`{}` is not an HTTP method", req.method)))?;
        let mut headers = HeaderMap::new();
        for (name, value) in &req.headers {
            // Hop-by-hop and framing headers are the transport's business.
            let lname = name.to_ascii_lowercase();
            if matches!(
                lname.as_str(),
                "host" | "content-length" | "transfer-encoding" | "connection" | "expect"
            ) {
                continue;
            }
            let hn = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Refused::Invalid(format!("`{name}` is not a valid header name")))?;
            let hv = HeaderValue::from_str(value).map_err(|_| {
                Refused::Invalid(format!(
                    "the {name} header contains a newline or control character"
                ))
            })?;
            headers.append(hn, hv);
        }
        Ok(Outgoing {
            method,
            url: url.clone(),
            headers,
            body: Bytes::from(req.body.clone()),
        })
    }

    /// The `Host` header value: the URL's host, with its port when it names one.
    pub fn host_header(&self) -> String {
        match self.url.port() {
            Some(p) => format!("{}:{p}", self.url.host_str().unwrap_or_default()),
            None => self.url.host_str().unwrap_or_default().to_string(),
        }
    }

    /// Path and query (origin form).
    pub fn target(&self) -> String {
        let mut t = self.url.path().to_string();
        if let Some(q) = self.url.query() {
            t.push('?');
            t.push_str(q);
        }
        t
    }
}

/// An answer, read within the limits.
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// True when the body was longer than [`MAX_BODY`] (the rest was not read).
    pub truncated: bool,
}

impl Answer {
    /// The status and headers of an answer whose body is still to be read.
    pub fn head(status: u16, headers: &HeaderMap) -> Answer {
        Answer {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: Vec::new(),
            truncated: false,
        }
    }

    /// Appends a chunk of the body; false once the limit is reached (stop reading).
    pub fn push(&mut self, chunk: &[u8]) -> bool {
        let room = MAX_BODY - self.body.len();
        if chunk.len() > room {
            self.body.extend_from_slice(&chunk[..room]);
            self.truncated = true;
            return false;
        }
        self.body.extend_from_slice(chunk);
        true
    }
}
