//! Genesys Cloud regions and the hosts that belong to them.
//!
//! The table is the one the official SDKs, the `gc` CLI and the Terraform provider agree on
//! (see `genesys-facts.md` §1.3). Every region serves `login.<domain>` (OAuth) and
//! `api.<domain>` (Platform API); nothing else is a Genesys Cloud host. Hosts are per
//! *region*, never per organisation.
//!
//! [`parse`] accepts every spelling users paste: AWS keys (`us-east-1`), SDK keys
//! (`us_east_1`), domains (`mypurecloud.ie`), hosts (`login.mypurecloud.ie`), URLs
//! (`https://api.mypurecloud.ie/`) and service-discovery names (`prod-euw1`).

use std::fmt;

/// One Genesys Cloud region.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Region {
    /// AWS-style key used by the `gc` CLI and Terraform, e.g. `eu-west-1`.
    pub key: &'static str,
    /// Key in the Python/JS/Go/.NET SDKs, e.g. `eu_west_1`.
    pub sdk_key: &'static str,
    /// The region domain, e.g. `mypurecloud.ie`.
    pub domain: &'static str,
    /// Service-discovery name, e.g. `prod-euw1` (none seen for the newest region).
    pub discovery: Option<&'static str>,
    /// Whether the Python SDK's region list (257.x) has this region.
    pub in_python_sdk: bool,
}

impl Region {
    /// `login.<domain>`: the OAuth host.
    pub fn login_host(&self) -> String {
        format!("login.{}", self.domain)
    }

    /// `api.<domain>`: the Platform API host.
    pub fn api_host(&self) -> String {
        format!("api.{}", self.domain)
    }

    /// `https://login.<domain>/oauth/token`: the one token endpoint of this region.
    pub fn token_url(&self) -> String {
        format!("https://login.{}/oauth/token", self.domain)
    }

    /// `https://api.<domain>`: the base of Platform API URLs.
    pub fn api_base(&self) -> String {
        format!("https://api.{}", self.domain)
    }

    /// The key the `gc` CLI accepts for this region. The CLI spells three regions with
    /// underscores and rejects the hyphenated form (facts §1.3 quirks).
    pub fn gc_cli_key(&self) -> &'static str {
        match self.key {
            "me-central-1" | "ap-northeast-3" | "eu-central-2" => self.sdk_key,
            _ => self.key,
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.key, self.domain)
    }
}

macro_rules! regions {
    ($( ($key:literal, $sdk:literal, $domain:literal, $disc:expr, $py:literal) ),* $(,)?) => {
        /// Every region, in the SDKs' order.
        pub static REGIONS: &[Region] = &[
            $( Region { key: $key, sdk_key: $sdk, domain: $domain, discovery: $disc, in_python_sdk: $py } ),*
        ];
    };
}

regions! {
    ("us-east-1", "us_east_1", "mypurecloud.com", Some("prod"), true),
    ("eu-west-1", "eu_west_1", "mypurecloud.ie", Some("prod-euw1"), true),
    ("ap-southeast-2", "ap_southeast_2", "mypurecloud.com.au", Some("prod-apse2"), true),
    ("ap-northeast-1", "ap_northeast_1", "mypurecloud.jp", Some("prod-apne1"), true),
    ("eu-central-1", "eu_central_1", "mypurecloud.de", Some("prod-euc1"), true),
    ("us-west-2", "us_west_2", "usw2.pure.cloud", Some("prod-usw2"), true),
    ("ca-central-1", "ca_central_1", "cac1.pure.cloud", Some("prod-cac1"), true),
    ("ap-northeast-2", "ap_northeast_2", "apne2.pure.cloud", Some("prod-apne2"), true),
    ("eu-west-2", "eu_west_2", "euw2.pure.cloud", Some("prod-euw2"), true),
    ("ap-south-1", "ap_south_1", "aps1.pure.cloud", Some("prod-aps1"), true),
    ("us-east-2", "us_east_2", "use2.us-gov-pure.cloud", Some("fedramp-use2-core"), true),
    ("sa-east-1", "sa_east_1", "sae1.pure.cloud", Some("prod-sae1"), true),
    ("me-central-1", "me_central_1", "mec1.pure.cloud", Some("prod-mec1"), true),
    ("ap-northeast-3", "ap_northeast_3", "apne3.pure.cloud", Some("prod-apne3"), true),
    ("eu-central-2", "eu_central_2", "euc2.pure.cloud", Some("prod-euc2"), true),
    ("mx-central-1", "mx_central_1", "mxc1.pure.cloud", Some("prod-mxc1"), true),
    ("ap-southeast-1", "ap_southeast_1", "apse1.pure.cloud", Some("prod-apse1"), true),
    ("eusc-de-east-1", "eusc_de_east_1", "edee1.eusc-pure.cloud", None, false),
}

/// The region the SDKs use when none is configured (`https://api.mypurecloud.com`).
pub fn default_region() -> &'static Region {
    &REGIONS[0]
}

/// Looks a region up by its AWS key (`eu-west-1`).
pub fn by_key(key: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.key == key)
}

/// Looks a region up by its domain (`mypurecloud.ie`), case-insensitively.
pub fn by_domain(domain: &str) -> Option<&'static Region> {
    let domain = domain.trim_end_matches('.');
    REGIONS
        .iter()
        .find(|r| r.domain.eq_ignore_ascii_case(domain))
}

/// A region spelling that matched nothing, with the closest known spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRegion {
    pub input: String,
    pub suggestion: Option<String>,
}

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The value may be a secret given in the wrong place: quoted only when it is plainly
        // an attempt at a region, a host or a URL, else named by its shape.
        write!(
            f,
            "`{}` is not a Genesys Cloud region",
            crate::secret::mask::region_attempt(&self.input)
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        write!(
            f,
            " (accepted: an AWS key such as `eu-west-1`, an SDK key such as `eu_west_1`, a domain such as `mypurecloud.ie`, or a login/api URL)"
        )
    }
}

impl std::error::Error for UnknownRegion {}

/// Parses any spelling of a region that users paste.
pub fn parse(input: &str) -> Result<&'static Region, UnknownRegion> {
    let raw = input.trim();
    let mut s = raw.to_ascii_lowercase();
    for scheme in ["https://", "http://"] {
        if let Some(rest) = s.strip_prefix(scheme) {
            s = rest.to_string();
        }
    }
    // Drop any path, port and trailing dots.
    if let Some(i) = s.find('/') {
        s.truncate(i);
    }
    if let Some(i) = s.find(':') {
        s.truncate(i);
    }
    let s = s.trim_end_matches('.').to_string();

    let found = REGIONS.iter().find(|r| {
        s == r.key
            || s == r.sdk_key
            || Some(s.as_str()) == r.discovery
            || s == r.domain
            || s.strip_prefix("login.") == Some(r.domain)
            || s.strip_prefix("api.") == Some(r.domain)
            || s.strip_prefix("apps.") == Some(r.domain)
    });
    if let Some(r) = found {
        return Ok(r);
    }
    // `fedramp` is the service-discovery environment name of us-east-2.
    if s == "fedramp" {
        return by_key("us-east-2").ok_or_else(|| unknown(raw));
    }
    Err(unknown(raw))
}

fn unknown(raw: &str) -> UnknownRegion {
    let lower = raw.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for r in REGIONS {
        for cand in [r.key, r.sdk_key, r.domain].into_iter().chain(r.discovery) {
            let d = edit_distance(&lower, cand);
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, cand));
            }
        }
    }
    let suggestion = best
        .filter(|(d, cand)| *d <= 3.max(cand.len() / 3))
        .map(|(_, c)| c.to_string());
    UnknownRegion {
        input: raw.to_string(),
        suggestion,
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// What a host name is, seen from Genesys Cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    /// `login.<domain>`: the OAuth host of a region.
    Login(&'static Region),
    /// `api.<domain>`: the Platform API host of a region.
    Api(&'static Region),
    /// A region domain with another label or none (`mypurecloud.com`, `apps.mypurecloud.ie`,
    /// `myorg.mypurecloud.com`): the domain is right, the host is not a token host.
    OtherInDomain(&'static Region),
    /// Not under any region domain (`api.us.genesys.cloud`, `acme.mygenesyscloud.com`).
    Unknown,
}

impl HostKind {
    /// The region whose domain the host is under, if any.
    pub fn region(self) -> Option<&'static Region> {
        match self {
            HostKind::Login(r) | HostKind::Api(r) | HostKind::OtherInDomain(r) => Some(r),
            HostKind::Unknown => None,
        }
    }
}

/// Classifies a host name (no port). Longest domain wins (`mypurecloud.com.au` over
/// `mypurecloud.com`).
pub fn classify_host(host: &str) -> HostKind {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let mut best: Option<&'static Region> = None;
    for r in REGIONS {
        let under = host == r.domain || host.ends_with(&format!(".{}", r.domain));
        if under && best.is_none_or(|b| r.domain.len() > b.domain.len()) {
            best = Some(r);
        }
    }
    let Some(r) = best else {
        return HostKind::Unknown;
    };
    if host == format!("login.{}", r.domain) {
        HostKind::Login(r)
    } else if host == format!("api.{}", r.domain) {
        HostKind::Api(r)
    } else {
        HostKind::OtherInDomain(r)
    }
}

/// True for `login.<domain>` and `api.<domain>` of a known region: the only hosts
/// gcdoctor sends credentials or tokens to without `--allow-host`.
pub fn is_genesys_host(host: &str) -> bool {
    matches!(classify_host(host), HostKind::Login(_) | HostKind::Api(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contract_spelling_parses_to_eu_west_1() {
        for s in [
            "eu-west-1",
            "eu_west_1",
            "mypurecloud.ie",
            "login.mypurecloud.ie",
            "https://api.mypurecloud.ie",
            "https://api.mypurecloud.ie/",
            "prod-euw1",
            " EU-WEST-1 ",
        ] {
            assert_eq!(parse(s).map(|r| r.key), Ok("eu-west-1"), "{s}");
        }
    }

    #[test]
    fn unknown_region_suggests_the_closest() {
        let e = parse("eu-west-3").unwrap_err();
        assert!(e.suggestion.is_some());
        let e = parse("us-east1").unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("us-east-1"));
        assert!(parse("api.us.genesys.cloud").is_err());
    }

    #[test]
    fn hosts_are_classified_by_longest_domain() {
        assert_eq!(
            classify_host("login.mypurecloud.com.au"),
            HostKind::Login(by_key("ap-southeast-2").unwrap())
        );
        assert_eq!(
            classify_host("api.mypurecloud.com"),
            HostKind::Api(by_key("us-east-1").unwrap())
        );
        assert_eq!(
            classify_host("mypurecloud.com"),
            HostKind::OtherInDomain(by_key("us-east-1").unwrap())
        );
        assert_eq!(classify_host("api.us.genesys.cloud"), HostKind::Unknown);
        assert_eq!(classify_host("acme.mygenesyscloud.com"), HostKind::Unknown);
        assert_eq!(classify_host("evilmypurecloud.com"), HostKind::Unknown);
    }

    #[test]
    fn gc_cli_spells_three_regions_with_underscores() {
        assert_eq!(by_key("me-central-1").unwrap().gc_cli_key(), "me_central_1");
        assert_eq!(by_key("eu-west-1").unwrap().gc_cli_key(), "eu-west-1");
    }

    #[test]
    fn keys_and_domains_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for r in REGIONS {
            assert!(seen.insert(r.key));
            assert!(seen.insert(r.domain));
            assert!(seen.insert(r.sdk_key));
        }
    }
}
