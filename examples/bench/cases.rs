//! The diagnosis cases of the benchmark: the built-in scenarios and what their users give
//! gcdoctor.

use super::Bench;
use super::naive::{NaiveInputs, UserRequest};
use anyhow::{Context as _, Result};
use gcdoctor::region::{self, REGIONS, Region};
use gcdoctor::sim::Scenario;

/// One diagnosis case: a world and what its user gives gcdoctor.
pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) scenario: Scenario,
    /// `healthy`, or the cause id gcdoctor should name.
    pub(crate) expected: String,
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) naive: NaiveInputs,
}

/// The diagnosis cases, from the built-in scenarios' `[demo]` inputs.
pub(crate) fn cases(bench: &Bench) -> Result<Vec<Case>> {
    let builtin = |name: &str| {
        Scenario::builtin(name).with_context(|| format!("no built-in scenario `{name}`"))
    };
    let mut cases = Vec::new();
    cases.push(demo_case("healthy", builtin("healthy")?)?);

    let mut no_region = demo_case("healthy, no region given", builtin("healthy")?)?;
    no_region.args = vec!["--client-id".into(), no_region.naive.client_id.clone()];
    no_region.naive.region = None;
    no_region.naive.admin = None;
    no_region.naive.check_api.clear();
    no_region
        .env
        .retain(|(k, _)| k == "GENESYSCLOUD_OAUTHCLIENT_SECRET");
    cases.push(no_region);

    let wrong = builtin("wrong-region")?;
    let home = wrong
        .demo_inputs()
        .and_then(|d| wrong.clients.iter().find(|c| c.id == d.client_id))
        .map(|c| c.region)
        .context("wrong-region has no demo client")?;
    let position = REGIONS.iter().position(|r| r.key == home.key).unwrap_or(0) + 1;
    cases.push(demo_case(
        &format!(
            "wrong region (home {} is {} of {} in table order)",
            home.key,
            ordinal(position),
            REGIONS.len()
        ),
        wrong.clone(),
    )?);

    // The same world with the client in the last region of the table: the sequential
    // approach has to try every region.
    let mut far = wrong;
    let last = REGIONS.last().context("no regions")?;
    let main_id = far.demo_inputs().map(|d| d.client_id).unwrap_or_default();
    for c in far.clients.iter_mut().filter(|c| c.id == main_id) {
        c.region = last;
    }
    cases.push(demo_case(
        &format!(
            "wrong region among all {} (home {} is last)",
            REGIONS.len(),
            last.key
        ),
        far,
    )?);

    cases.push(demo_case(
        "unknown client (admin)",
        builtin("unknown-client")?,
    )?);

    // Credentials in the body: the user's own request, as a curl command.
    let body = builtin("body-credentials-rejected")?;
    let demo = body.demo_inputs().context("no demo inputs")?;
    let mut c = demo_case("credentials in body (--from-curl)", body)?;
    let curl = demo.curl.context("body-credentials-rejected has no curl")?;
    let curl_file = bench.file("token.sh", &format!("{curl}\n"))?;
    c.args = vec!["--from-curl".into(), curl_file];
    if let Some((admin_id, _)) = &demo.admin {
        c.args
            .extend(["--admin-client-id".into(), admin_id.clone()]);
    }
    c.env
        .retain(|(k, _)| k != "GENESYSCLOUD_OAUTHCLIENT_SECRET");
    c.naive.user_request = Some(UserRequest {
        form: vec![
            ("grant_type".into(), "client_credentials".into()),
            ("client_id".into(), demo.client_id.clone()),
            ("client_secret".into(), demo.secret.clone()),
        ],
    });
    cases.push(c);

    // Secret encoding: the secret handed over percent-encoded.
    let mut c = demo_case(
        "secret encoding (secret percent-encoded)",
        builtin("secret-encoding")?,
    )?;
    let encoded: String = url::form_urlencoded::byte_serialize(c.naive.secret.as_bytes()).collect();
    for (k, v) in &mut c.env {
        if k == "GENESYSCLOUD_OAUTHCLIENT_SECRET" {
            v.clone_from(&encoded);
        }
    }
    c.naive.secret = encoded;
    cases.push(c);

    cases.push(demo_case(
        "client inspection: wrong secret (admin)",
        builtin("wrong-secret")?,
    )?);
    cases.push(demo_case("rate limited", builtin("rate-limited")?)?);
    Ok(cases)
}

/// A case from a scenario's `[demo]` inputs: id by flag, secrets by environment variable.
pub(crate) fn demo_case(name: &str, scenario: Scenario) -> Result<Case> {
    let demo = scenario
        .demo_inputs()
        .with_context(|| format!("scenario {} has no [demo]", scenario.name))?;
    let mut args = vec!["--client-id".to_string(), demo.client_id.clone()];
    match demo.region {
        Some(r) => args.extend(["--region".into(), r.key.to_string()]),
        None => args.extend(["--token-url".into(), demo.token_url.clone()]),
    }
    let mut env = vec![(
        "GENESYSCLOUD_OAUTHCLIENT_SECRET".to_string(),
        demo.secret.clone(),
    )];
    if let Some((id, secret)) = &demo.admin {
        args.extend(["--admin-client-id".into(), id.clone()]);
        env.push(("GCDOCTOR_ADMIN_CLIENT_SECRET".into(), secret.clone()));
    }
    for call in &demo.check_api {
        args.extend(["--check-api".into(), call.clone()]);
    }
    let expected = match demo.expected_cause.map(|c| c.code()) {
        Some("GC000") | None => "healthy".to_string(),
        Some(id) => id.to_string(),
    };
    let region: Option<&'static Region> = demo
        .region
        .or_else(|| region::classify_host(&url_host(&demo.token_url)).region());
    Ok(Case {
        name: name.to_string(),
        expected,
        args,
        env,
        naive: NaiveInputs {
            client_id: demo.client_id.clone(),
            secret: demo.secret.clone(),
            region,
            admin: demo.admin.clone(),
            check_api: demo
                .check_api
                .iter()
                .map(|c| c.split_whitespace().last().unwrap_or_default().to_string())
                .collect(),
            user_request: None,
        },
        scenario,
    })
}

pub(crate) fn url_host(u: &str) -> String {
    url::Url::parse(u)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

pub(crate) fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
