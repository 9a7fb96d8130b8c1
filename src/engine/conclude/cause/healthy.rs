//! GC000 healthy as the engine proves it: a token is issued and the API calls with it
//! succeed (or were not made, and the finding says why).

use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::region::Region;

/// The healthy finding's summary line; `given_token` when the user gave a token to check.
pub(crate) fn token_works(region: Option<&Region>, given_token: bool) -> Finding {
    Finding::new(
        CauseId::Healthy,
        Severity::Info,
        match region {
            Some(r) if given_token => {
                format!("the access token works: the Platform API in {r} accepts it")
            }
            Some(r) => format!("a token is issued in {r} and the Platform API accepts it"),
            None => "a token is issued".to_string(),
        },
    )
}

/// Evidence: no region was given, and the client's home region is `home`.
pub(crate) fn home_found(home: &Region) -> String {
    format!(
        "no region was given; the client's home region is {home}: use {}",
        home.token_url()
    )
}

/// Evidence: the API was not checked, and why.
pub(crate) fn api_not_checked(budget_spent: bool) -> &'static str {
    if budget_spent {
        "the API was not checked: the request budget was spent"
    } else {
        "the API was not checked"
    }
}
