//! The cause catalogue: stable ids, names, one-line meanings and fixes.
//!
//! Every cause has a page `checks/GCnnn-name.md`, embedded here with `include_str!`, so a
//! missing page is a compile error and `gcdoctor explain` works offline. Ids are never
//! reused; a new cause is one line in [`catalogue!`] plus its page.
//!
//! The ids of the contract's table (GC000–GC502, GC900) name causes of a failed token
//! request. GC6xx are hygiene findings about where the user keeps credentials (asked for by
//! the "fits the user's world" issue): always warnings, never the cause.

use std::fmt;

macro_rules! catalogue {
    ($( $variant:ident => $code:literal, $name:literal, $meaning:literal, $fix:literal; )*) => {
        /// A cause id of the catalogue (contract §5).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum CauseId { $( #[doc = $meaning] $variant ),* }

        impl CauseId {
            /// Every cause, in catalogue order.
            pub const ALL: &'static [CauseId] = &[ $( CauseId::$variant ),* ];

            /// The stable code, e.g. `GC103`.
            pub fn code(self) -> &'static str {
                match self { $( CauseId::$variant => $code ),* }
            }

            /// The stable kebab-case name, e.g. `wrong-region`.
            pub fn name(self) -> &'static str {
                match self { $( CauseId::$variant => $name ),* }
            }

            /// What the cause means, in one line.
            pub fn meaning(self) -> &'static str {
                match self { $( CauseId::$variant => $meaning ),* }
            }

            /// The generic fix, in one line; findings may carry a more specific one.
            pub fn fix(self) -> &'static str {
                match self { $( CauseId::$variant => $fix ),* }
            }

            /// The catalogue page (`checks/GCnnn-name.md`), embedded in the binary.
            pub fn page(self) -> &'static str {
                match self {
                    $( CauseId::$variant => include_str!(concat!("../checks/", $code, "-", $name, ".md")) ),*
                }
            }

            /// The page's file name, e.g. `GC103-wrong-region.md`.
            pub fn page_file(self) -> &'static str {
                match self { $( CauseId::$variant => concat!($code, "-", $name, ".md") ),* }
            }
        }
    };
}

catalogue! {
    Healthy => "GC000", "healthy",
        "token obtained (and usable, where checked)",
        "Nothing to fix.";
    WrongTokenUrl => "GC101", "wrong-token-url",
        "the URL is not https://login.<region-domain>/oauth/token",
        "POST to https://login.<your region's domain>/oauth/token (not api.<domain>, not /api/v2/oauth/token).";
    UnknownDomain => "GC102", "unknown-domain",
        "the host is not a Genesys Cloud region domain, or does not resolve",
        "Use the login host of your region, e.g. login.mypurecloud.com or login.mypurecloud.ie; hosts are per region, never per organisation.";
    WrongRegion => "GC103", "wrong-region",
        "the client lives in another region than the one the request goes to",
        "Send the token request to the login host of the region where the OAuth client was created.";
    NetworkUnreachable => "GC104", "network-unreachable",
        "connection, proxy or TLS failure before any OAuth answer",
        "Check DNS, proxy (HTTPS_PROXY) and TLS interception settings between this machine and the login host.";
    CredentialsInBody => "GC201", "credentials-in-body",
        "client id and secret in the form body are rejected where the Basic header works",
        "Send the credentials in an `Authorization: Basic base64(id:secret)` header and only grant_type=client_credentials in the body.";
    BasicHeaderMalformed => "GC202", "basic-header-malformed",
        "the Authorization header is not `Basic base64(id:secret)`",
        "Build the header as `Basic ` + standard base64 of `client_id:client_secret`, on one line, encoded once.";
    SecretEncoding => "GC203", "secret-encoding",
        "special characters in the secret are mangled by encoding",
        "Let your HTTP library form-encode the body (pass a dict, not a string), or use the Basic header; encode exactly once.";
    CredentialWhitespace => "GC204", "credential-whitespace",
        "stray whitespace, newline, quotes or BOM around the client id or secret",
        "Strip whitespace, newlines, quotes and BOM from the values where they are read (env file, secret store, config).";
    WrongSecret => "GC205", "wrong-secret",
        "the client exists in this region but its secret is rejected",
        "Copy the current secret of this OAuth client (Admin > Integrations > OAuth); it may have been regenerated.";
    UnknownClient => "GC206", "unknown-client",
        "no region knows this client id",
        "Check the client id for typos and that the OAuth client still exists in your organisation.";
    IdSecretSwapped => "GC207", "id-secret-swapped",
        "client id and secret are given the wrong way round",
        "Swap them: the client id is the UUID, the secret is the long random string.";
    PlaceholderCredentials => "GC208", "placeholder-credentials",
        "template values such as YOUR_CLIENT_ID are sent as credentials",
        "Replace the template values with the client id and secret of your OAuth client.";
    JsonBody => "GC301", "json-body",
        "the token request body is JSON instead of form encoding",
        "Send `grant_type=client_credentials` form-encoded (`data=` in requests, `-d` in curl), not JSON.";
    ContentTypeWrong => "GC302", "content-type-wrong",
        "the Content-Type is missing or wrong for a form body",
        "Send `Content-Type: application/x-www-form-urlencoded` with the form body.";
    GrantTypeWrong => "GC303", "grant-type-wrong",
        "grant_type is missing, misspelled or another grant",
        "Send exactly `grant_type=client_credentials` in the form body.";
    CredentialsInQuery => "GC304", "credentials-in-query",
        "credentials or grant type in the URL query string",
        "Move grant_type to the form body and the credentials to the Basic header; never put a secret in a URL.";
    WrongMethod => "GC305", "wrong-method",
        "the token request is not a POST",
        "Use POST for /oauth/token.";
    ScopeParameter => "GC306", "scope-parameter",
        "scope sent with client credentials (permissions come from the client's roles)",
        "Drop the scope parameter; give the OAuth client the roles it needs instead.";
    GrantNotEnabled => "GC401", "grant-not-enabled",
        "the OAuth client is not a Client Credentials client",
        "Create an OAuth client with the grant type Client Credentials (the grant type of an existing client cannot be used for this flow).";
    ClientDisabled => "GC402", "client-disabled",
        "the OAuth client is disabled or inactive (pending deletion)",
        "Set the OAuth client's state back to active, or create a new client if it is pending deletion.";
    NoRoles => "GC403", "no-roles",
        "the client has no roles, so its token can do nothing",
        "Assign roles (with divisions) to the OAuth client under Admin > Integrations > OAuth > Roles.";
    MissingPermission => "GC404", "missing-permission",
        "the token works, but an API call is refused for lack of a permission",
        "Add a role with the named permission to the OAuth client.";
    UserContextRequired => "GC405", "user-context-required",
        "a client-credentials token is used on a user-only resource",
        "Use a user grant (authorization code, PKCE) for user resources such as /api/v2/users/me, or an org-level endpoint.";
    IpNotAllowed => "GC406", "ip-not-allowed",
        "the org's or the client's allowed IP ranges do not cover this machine",
        "Add this machine's public address (or its CIDR range) to the OAuth client's allowed ranges and the org's Allowed IP Addresses, or run from a machine inside them.";
    RateLimited => "GC501", "rate-limited",
        "the login service is throttling token requests",
        "Wait, then reuse tokens until they expire instead of requesting a new one per call.";
    ServiceError => "GC502", "service-error",
        "a 5xx or non-OAuth answer (HTML page from a proxy, empty body)",
        "Retry later; if a proxy or captive portal answered, configure the proxy or bypass it for Genesys hosts.";
    SecretExposed => "GC601", "secret-exposed",
        "a secret is kept or passed where other people or programs can read it (never the cause of a failure)",
        "Keep the secret in a file only you can read (chmod 600) or in a secret store, and pass it by file or environment, not on the command line.";
    RegionSpelling => "GC602", "region-spelling",
        "a region spelling that one of your other tools (the gc CLI, the Terraform provider) rejects (never the cause of a failure)",
        "Use the spelling every tool accepts: the hyphenated AWS key (e.g. eu-west-1) for Terraform; the gc CLI's own key or the domain for gc.";
    Inconclusive => "GC900", "inconclusive",
        "rejected, and the cause cannot be pinned down without more input",
        "Run again with the input the report names (often admin access to inspect the client).";
}

impl CauseId {
    /// Looks a cause up by code (`GC103`, `gc103`, `103`) or name (`wrong-region`).
    pub fn lookup(s: &str) -> Option<CauseId> {
        let s = s.trim();
        let upper = s.to_ascii_uppercase();
        CauseId::ALL.iter().copied().find(|c| {
            c.code() == upper
                || c.code()[2..] == *upper
                || c.name().eq_ignore_ascii_case(s)
                || c.page_file()
                    .trim_end_matches(".md")
                    .eq_ignore_ascii_case(s)
        })
    }
}

impl fmt::Display for CauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for CauseId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in CauseId::ALL {
            assert!(seen.insert(c.code()), "duplicate code {}", c.code());
            assert!(seen.insert(c.name()), "duplicate name {}", c.name());
            assert!(c.code().len() == 5 && c.code().starts_with("GC"));
            assert!(
                c.name()
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-')
            );
        }
    }

    #[test]
    fn lookup_accepts_code_number_and_name() {
        assert_eq!(CauseId::lookup("GC103"), Some(CauseId::WrongRegion));
        assert_eq!(CauseId::lookup("gc103"), Some(CauseId::WrongRegion));
        assert_eq!(CauseId::lookup("103"), Some(CauseId::WrongRegion));
        assert_eq!(CauseId::lookup("wrong-region"), Some(CauseId::WrongRegion));
        assert_eq!(
            CauseId::lookup("GC103-wrong-region"),
            Some(CauseId::WrongRegion)
        );
        assert_eq!(CauseId::lookup("GC999"), None);
    }
}
