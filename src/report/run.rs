//! Run metadata: when the run started, which gcdoctor made it, and whether it went through
//! the test seam (contract §3, §4: `run.started_at`, `run.version`, `run.connect_to`).
//!
//! # Plan
//!
//! * [`RunInfo`] is part of every [`super::Report`]; `Report::new` stamps the time and the
//!   version, the command sets `connect_to` when `--connect-to`/`GCDOCTOR_CONNECT_TO` (or
//!   `demo`'s in-process simulator) carried the requests.
//! * A seam run must not pass for a run against the real service: [`RunInfo::seam_notice`]
//!   is the one sentence every renderer puts on its first line.
//! * Each exchange's `Date` and correlation id come from the answer's headers (the transport
//!   keeps `Date`, `ININ-Correlation-ID` and `Genesys-Correlation-Id`); [`super::Exchange`]
//!   reads them back here, so support can match a report to the service's logs.

use super::Exchange;
use serde::Serialize;

/// When, by what and against what the run was made.
#[derive(Clone, Debug, Serialize)]
pub struct RunInfo {
    /// RFC 3339, UTC, whole seconds: `2026-12-05T07:06:51Z`.
    pub started_at: String,
    /// gcdoctor's version.
    pub version: String,
    /// `HOST:PORT` when every request went to the test seam instead of the real service.
    pub connect_to: Option<String>,
}

impl RunInfo {
    /// A run starting now, against the real service.
    pub fn now() -> RunInfo {
        RunInfo {
            started_at: now_rfc3339(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            connect_to: None,
        }
    }

    /// The first line of a seam run's report, plain text: it names the seam and says the
    /// report is not about the real service.
    pub fn seam_notice(&self) -> Option<String> {
        let addr = self.connect_to.as_deref()?;
        Some(format!(
            "TEST SEAM: every request went to {addr} (GCDOCTOR_CONNECT_TO), not to Genesys Cloud; this report is not about the real service."
        ))
    }
}

impl super::Report {
    /// The outcome in one line, for a CI log when the report itself goes to a file:
    /// `GC103 wrong-region: the client lives in … (exit 1)`, prefixed `[TEST SEAM HOST:PORT]`
    /// for a seam run.
    pub fn verdict_line(&self) -> String {
        let what = match self.lead() {
            Some(l) => {
                let line = l.line.map(|n| format!(" (line {n})")).unwrap_or_default();
                format!("{} {}{line}: {}", l.cause.code(), l.cause.name(), l.summary)
            }
            None => self.meaning(),
        };
        let what = what.split_whitespace().collect::<Vec<_>>().join(" ");
        let seam = match &self.run.connect_to {
            Some(a) => format!("[TEST SEAM {a}] "),
            None => String::new(),
        };
        format!(
            "{seam}{what} (exit {}, {})",
            self.exit_code(),
            self.meaning()
        )
    }
}

/// Now, as RFC 3339 in UTC with whole seconds.
pub fn now_rfc3339() -> String {
    let now: chrono::DateTime<chrono::Utc> = std::time::SystemTime::now().into();
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Correlation-id headers of Genesys Cloud answers, the first found wins.
const CORRELATION_HEADERS: &[&str] = &["inin-correlation-id", "genesys-correlation-id"];

impl Exchange {
    /// The answer's `Date` header, as the server sent it.
    pub fn date(&self) -> Option<&str> {
        self.response_header(&["date"])
    }

    /// The answer's correlation id (`ININ-Correlation-ID`), for Genesys support.
    pub fn correlation_id(&self) -> Option<&str> {
        self.response_header(CORRELATION_HEADERS)
    }

    fn response_header(&self, names: &[&str]) -> Option<&str> {
        let resp = self.response.as_ref()?;
        names.iter().find_map(|n| {
            resp.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.as_str())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn started_at_is_rfc3339_utc() {
        let s = now_rfc3339();
        assert!(chrono::DateTime::parse_from_rfc3339(&s).is_ok(), "{s}");
        assert!(s.ends_with('Z') && s.len() == 20, "{s}");
    }

    #[test]
    fn seam_notice_only_for_a_seam_run() {
        let mut r = RunInfo::now();
        assert!(r.seam_notice().is_none());
        r.connect_to = Some("127.0.0.1:8089".into());
        let n = r.seam_notice().unwrap();
        assert!(n.contains("127.0.0.1:8089") && n.contains("not about the real service"));
    }
}
