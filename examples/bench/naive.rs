//! The naive sequential baseline: what a person or a script without gcdoctor does to find
//! the same cause, as plain requests one after the other.
//!
//! It tests the same hypotheses as gcdoctor, in a fixed order, and stops at the first
//! answer that settles the cause:
//!
//! 1. the user's own request, if they have one, at the region they configured;
//! 2. the canonical request (Basic header, form body) there; a token means the request's
//!    shape was the problem (or nothing was);
//! 3. the credential variants the inputs suggest (the secret percent-decoded, spaces
//!    restored to `+`, id and secret swapped), one by one;
//! 4. every other region, in the order of the region table, until one issues a token;
//! 5. with admin access: an admin token, then the client's record.
//!
//! Whenever a token is obtained, it is checked on the API (`GET /api/v2/organizations/me`
//! and each `--check-api` call), as gcdoctor's token check does. A throttling answer or a
//! non-OAuth answer stops everything.

use base64::Engine as _;
use gcdoctor::region::{REGIONS, Region};
use std::net::SocketAddr;

/// What the user knows.
#[derive(Clone, Debug)]
pub struct NaiveInputs {
    pub client_id: String,
    /// The secret as the user has it (possibly mangled).
    pub secret: String,
    /// The region they configured; none: the region table from the top.
    pub region: Option<&'static Region>,
    /// Admin client id and secret.
    pub admin: Option<(String, String)>,
    /// `--check-api` paths (`GET` only).
    pub check_api: Vec<String>,
    /// The user's own token request, when the cause may be in its shape.
    pub user_request: Option<UserRequest>,
}

/// The user's own token request: a form body with these fields, no Authorization header.
#[derive(Clone, Debug)]
pub struct UserRequest {
    pub form: Vec<(String, String)>,
}

/// One naive run: the requests it sent and what it concluded.
#[derive(Clone, Debug)]
pub struct NaiveRun {
    pub requests: usize,
    pub conclusion: &'static str,
}

struct Answer {
    status: u16,
    body: String,
}

impl Answer {
    fn token(&self) -> Option<String> {
        if self.status != 200 {
            return None;
        }
        let v: serde_json::Value = serde_json::from_str(&self.body).ok()?;
        v["access_token"].as_str().map(str::to_string)
    }

    fn throttled(&self) -> bool {
        self.status == 429 || (self.status == 400 && self.body.contains("rate limit exceeded"))
    }

    /// Not an answer of the OAuth service: a 5xx, or no OAuth error body.
    fn foreign(&self) -> bool {
        self.status >= 500
            || (self.status != 200
                && serde_json::from_str::<serde_json::Value>(&self.body)
                    .ok()
                    .and_then(|v| v.get("error").cloned())
                    .is_none())
    }
}

/// Where the baseline's requests go.
enum Endpoint {
    /// The simulator's plain HTTP address, with the host in the `Host` header.
    Plain(SocketAddr),
    /// The real `https://` URLs, through a client that reaches the simulator (the wait
    /// measurement: the client resolves every host to the delaying proxy, over TLS).
    Tls,
}

/// Sends requests to the simulator, one at a time.
pub struct Naive {
    client: reqwest::Client,
    endpoint: Endpoint,
    sent: usize,
}

/// `Err(conclusion)` ends the run: the answer settled the cause.
type Step = Result<(), &'static str>;

impl Naive {
    /// Plain HTTP to the simulator at `addr`.
    pub fn new(addr: SocketAddr) -> Naive {
        gcdoctor::install_crypto_provider();
        let client = reqwest::Client::builder()
            .no_proxy()
            .http1_only()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("an HTTP client for the baseline");
        Naive {
            client,
            endpoint: Endpoint::Plain(addr),
            sent: 0,
        }
    }

    /// The real URLs through `client` (which knows where they go and whom to trust).
    pub fn tls(client: reqwest::Client) -> Naive {
        Naive {
            client,
            endpoint: Endpoint::Tls,
            sent: 0,
        }
    }

    /// A request to `host` and `path`.
    fn request(&self, method: reqwest::Method, host: &str, path: &str) -> reqwest::RequestBuilder {
        match self.endpoint {
            Endpoint::Plain(addr) => self
                .client
                .request(method, format!("http://{addr}{path}"))
                .header(reqwest::header::HOST, host),
            Endpoint::Tls => self.client.request(method, format!("https://{host}{path}")),
        }
    }

    async fn send(&mut self, rb: reqwest::RequestBuilder) -> Answer {
        self.sent += 1;
        match rb.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                let body = r.text().await.unwrap_or_default();
                Answer { status, body }
            }
            Err(_) => Answer {
                status: 599,
                body: String::new(),
            },
        }
    }

    fn post_token(&self, region: &Region) -> reqwest::RequestBuilder {
        self.request(reqwest::Method::POST, &region.login_host(), "/oauth/token")
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
    }

    async fn canonical(&mut self, region: &Region, id: &str, secret: &str) -> Answer {
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
        let rb = self
            .post_token(region)
            .header(reqwest::header::AUTHORIZATION, format!("Basic {basic}"))
            .body("grant_type=client_credentials");
        self.send(rb).await
    }

    async fn user_request(&mut self, region: &Region, req: &UserRequest) -> Answer {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&req.form)
            .finish();
        let rb = self.post_token(region).body(body);
        self.send(rb).await
    }

    async fn get(&mut self, region: &Region, path: &str, token: &str) -> Answer {
        let rb = self
            .request(reqwest::Method::GET, &region.api_host(), path)
            .header(reqwest::header::AUTHORIZATION, format!("Bearer {token}"))
            .header(reqwest::header::ACCEPT, "application/json");
        self.send(rb).await
    }

    /// Checks a token on the API, as gcdoctor's token check does.
    async fn check_token(&mut self, region: &Region, token: &str, inputs: &NaiveInputs) {
        self.get(region, "/api/v2/organizations/me", token).await;
        for path in &inputs.check_api {
            if path != "/api/v2/organizations/me" {
                self.get(region, path, token).await;
            }
        }
    }

    /// Stops on an answer that settles the run by itself: a token (checked on the API),
    /// throttling, or a non-OAuth answer.
    async fn settle(
        &mut self,
        a: &Answer,
        region: &Region,
        inputs: &NaiveInputs,
        on_token: &'static str,
    ) -> Step {
        if let Some(token) = a.token() {
            self.check_token(region, &token, inputs).await;
            return Err(on_token);
        }
        if a.throttled() {
            return Err("rate-limited");
        }
        if a.foreign() {
            return Err("service-error");
        }
        Ok(())
    }

    /// Runs the baseline to its conclusion.
    pub async fn run(mut self, inputs: &NaiveInputs) -> NaiveRun {
        let conclusion = match self.steps(inputs).await {
            Ok(()) => "inconclusive",
            Err(c) => c,
        };
        NaiveRun {
            requests: self.sent,
            conclusion,
        }
    }

    async fn steps(&mut self, inputs: &NaiveInputs) -> Step {
        let (id, secret) = (inputs.client_id.as_str(), inputs.secret.as_str());
        let first = inputs.region.unwrap_or(&REGIONS[0]);
        // 1. Their own request.
        if let Some(req) = &inputs.user_request {
            let a = self.user_request(first, req).await;
            self.settle(&a, first, inputs, "healthy").await?;
        }
        // 2. The canonical request where they aimed.
        let a = self.canonical(first, id, secret).await;
        let on_token = if inputs.user_request.is_some() {
            "request-shape"
        } else if inputs.region.is_some() {
            "healthy"
        } else {
            "healthy (region found)"
        };
        self.settle(&a, first, inputs, on_token).await?;
        // 3. Credential variants the inputs suggest.
        for (variant, vid, vsecret) in variants(id, secret) {
            let a = self.canonical(first, &vid, &vsecret).await;
            self.settle(&a, first, inputs, variant).await?;
        }
        // 4. Every other region, one by one.
        for region in REGIONS.iter().filter(|r| r.key != first.key) {
            let a = self.canonical(region, id, secret).await;
            let found = if inputs.region.is_some() {
                "wrong-region"
            } else {
                "healthy (region found)"
            };
            self.settle(&a, region, inputs, found).await?;
        }
        // 5. The client's record, with admin access.
        if let Some((admin_id, admin_secret)) = &inputs.admin {
            let a = self.canonical(first, admin_id, admin_secret).await;
            if let Some(token) = a.token() {
                let path = format!("/api/v2/oauth/clients/{id}");
                let record = self.get(first, &path, &token).await;
                return Err(match record.status {
                    404 => "unknown-client",
                    200 => "client record read",
                    _ => "inconclusive",
                });
            }
        }
        Ok(())
    }
}

/// Credential variants worth a try, given what the values look like.
fn variants(id: &str, secret: &str) -> Vec<(&'static str, String, String)> {
    let mut v = Vec::new();
    let decoded = percent_encoding::percent_decode_str(secret)
        .decode_utf8_lossy()
        .into_owned();
    if decoded != secret {
        v.push(("secret-encoding", id.to_string(), decoded));
    }
    if secret.contains(' ') {
        v.push(("secret-encoding", id.to_string(), secret.replace(' ', "+")));
    }
    if uuid::Uuid::parse_str(id).is_err() && uuid::Uuid::parse_str(secret).is_ok() {
        v.push(("id-secret-swapped", secret.to_string(), id.to_string()));
    }
    v
}
