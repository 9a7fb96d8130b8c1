//! Shared server state: the scenario, issued tokens, rate limiters and the request log.
//!
//! Everything here sits behind `std::sync::Mutex`es held only for a few map operations
//! (never across an `.await`), so [`crate::sim::SimHandle::requests`] can stay a plain
//! synchronous call. A poisoned lock is recovered rather than propagated: the simulator
//! must keep answering even if one handler panicked.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::LoggedRequest;
use super::scenario::{RateLimit, Scenario};
use crate::region::Region;

/// Who a bearer token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A token minted for `scenario.clients[i]`.
    Client(usize),
    /// `scenario.admin_tokens[i]`.
    Admin(usize),
}

/// A token the login service issued.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub subject: Subject,
    pub region: &'static Region,
    pub expires: Instant,
}

/// What a rate limiter decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// Whether the request may go on.
    pub allowed: bool,
    /// Requests counted in the window, this one included when allowed.
    pub count: u32,
    /// The limit.
    pub allowed_max: u32,
    /// Seconds until the oldest counted request leaves the window.
    pub reset_secs: u64,
}

/// A rolling-window limiter: per key, the instants of the requests counted in the last
/// `window`. Refused requests are not counted, so a client that waits gets back in.
#[derive(Debug)]
pub(crate) struct RateLimiter<K> {
    limit: u32,
    window: Duration,
    hits: HashMap<K, VecDeque<Instant>>,
}

impl<K: std::hash::Hash + Eq + Clone> RateLimiter<K> {
    pub fn new(spec: RateLimit) -> Self {
        RateLimiter {
            limit: spec.requests,
            window: Duration::from_secs(spec.window_secs),
            hits: HashMap::new(),
        }
    }

    /// Counts a request for `key` at `now`, unless the key is over its limit.
    pub fn hit(&mut self, key: &K, now: Instant) -> Verdict {
        if self.hits.len() > 10_000 {
            self.prune(now);
        }
        let window = self.window;
        let log = self.hits.entry(key.clone()).or_default();
        while log
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= window)
        {
            log.pop_front();
        }
        let allowed = (log.len() as u64) < u64::from(self.limit);
        if allowed {
            log.push_back(now);
        }
        let oldest = log.front().copied().unwrap_or(now);
        let remaining = window.saturating_sub(now.saturating_duration_since(oldest));
        Verdict {
            allowed,
            count: u32::try_from(log.len()).unwrap_or(u32::MAX),
            allowed_max: self.limit,
            reset_secs: remaining.as_secs() + u64::from(remaining.subsec_nanos() > 0),
        }
    }

    fn prune(&mut self, now: Instant) {
        let window = self.window;
        self.hits.retain(|_, log| {
            log.back()
                .is_some_and(|t| now.saturating_duration_since(*t) < window)
        });
    }
}

/// Key of the login limiter: region and the client id the request claims ("" if none).
pub(crate) type LoginKey = (&'static str, Vec<u8>);

/// The state shared by every connection of one simulator.
#[derive(Debug)]
pub(crate) struct SimState {
    pub scenario: Scenario,
    tokens: Mutex<HashMap<String, Issued>>,
    login_limiter: Mutex<RateLimiter<LoginKey>>,
    api_limiter: Mutex<RateLimiter<String>>,
    log: Mutex<Vec<LoggedRequest>>,
    /// When the simulator started: the origin of the log's timestamps.
    started: Instant,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SimState {
    pub fn new(scenario: Scenario) -> SimState {
        let login = RateLimiter::new(scenario.service.login_rate_limit);
        let api = RateLimiter::new(scenario.service.api_rate_limit);
        SimState {
            scenario,
            tokens: Mutex::new(HashMap::new()),
            login_limiter: Mutex::new(login),
            api_limiter: Mutex::new(api),
            log: Mutex::new(Vec::new()),
            started: Instant::now(),
        }
    }

    /// Time since the simulator started.
    pub fn since_start(&self) -> Duration {
        self.started.elapsed()
    }

    /// Counts a token request against the login limit.
    pub fn login_hit(&self, key: &LoginKey) -> Verdict {
        lock(&self.login_limiter).hit(key, Instant::now())
    }

    /// Counts an API call against the token's limit.
    pub fn api_hit(&self, token: &str) -> Verdict {
        lock(&self.api_limiter).hit(&token.to_string(), Instant::now())
    }

    /// Remembers a freshly minted token.
    pub fn issue(&self, token: String, issued: Issued) {
        let mut tokens = lock(&self.tokens);
        if tokens.len() > 100_000 {
            let now = Instant::now();
            tokens.retain(|_, t| t.expires > now);
        }
        tokens.insert(token, issued);
    }

    /// The subject of a bearer token valid on `region`'s API right now.
    pub fn bearer(&self, token: &str, region: &'static Region) -> Option<Subject> {
        if let Some(i) = self
            .scenario
            .admin_tokens
            .iter()
            .position(|t| t.token == token && t.region.key == region.key)
        {
            return Some(Subject::Admin(i));
        }
        let tokens = lock(&self.tokens);
        let issued = tokens.get(token)?;
        (issued.region.key == region.key && issued.expires > Instant::now())
            .then_some(issued.subject)
    }

    /// Appends to the request log; returns the entry's position for [`SimState::answered`].
    pub fn record(&self, request: LoggedRequest) -> usize {
        let mut log = lock(&self.log);
        log.push(request);
        log.len() - 1
    }

    /// Notes that the answer to the logged request at `index` is being sent now.
    pub fn answered(&self, index: usize) {
        let now = self.since_start();
        if let Some(r) = lock(&self.log).get_mut(index) {
            r.answered_at = Some(now);
        }
    }

    /// A copy of the request log.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.log).clone()
    }
}

/// A fresh opaque access token: 48 random bytes, base64url (64 characters).
pub(crate) fn new_token() -> String {
    use base64::Engine as _;
    let mut bytes = Vec::with_capacity(48);
    for _ in 0..3 {
        bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_counts_a_rolling_window() {
        let mut l = RateLimiter::new(RateLimit {
            requests: 2,
            window_secs: 60,
        });
        let t0 = Instant::now();
        let k = "a".to_string();
        assert!(l.hit(&k, t0).allowed);
        let v = l.hit(&k, t0 + Duration::from_secs(10));
        assert!(v.allowed);
        assert_eq!((v.count, v.reset_secs), (2, 50));
        let v = l.hit(&k, t0 + Duration::from_secs(20));
        assert!(!v.allowed);
        assert_eq!(v.reset_secs, 40);
        assert!(l.hit(&"b".to_string(), t0).allowed);
        assert!(l.hit(&k, t0 + Duration::from_secs(60)).allowed);
    }
}
