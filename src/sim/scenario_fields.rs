//! Field deserialisers of the scenario format: value checks that need the value's own span
//! (so TOML errors point at the exact value), and the permission matcher they share with the
//! API.

use serde::{Deserialize, Deserializer};

use crate::region::{self, Region};

pub(crate) fn de_region<'de, D: Deserializer<'de>>(d: D) -> Result<&'static Region, D::Error> {
    let s = String::deserialize(d)?;
    parse_region(&s).map_err(serde::de::Error::custom)
}

pub(crate) fn de_opt_region<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<&'static Region>, D::Error> {
    let s = String::deserialize(d)?;
    parse_region(&s).map(Some).map_err(serde::de::Error::custom)
}

pub(crate) fn parse_region(s: &str) -> Result<&'static Region, String> {
    region::parse(s).map_err(|e| {
        let mut m = format!("`{}` is not a Genesys Cloud region", e.input);
        if let Some(sugg) = e.suggestion {
            m.push_str(&format!("; did you mean `{sugg}`?"));
        }
        m
    })
}

pub(crate) fn de_bad_client_status<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    match u16::deserialize(d)? {
        s @ (400 | 401) => Ok(s),
        s => Err(serde::de::Error::custom(format!(
            "`{s}` is not allowed; expected 400 or 401"
        ))),
    }
}

pub(crate) fn de_user_context_status<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    match u16::deserialize(d)? {
        s @ (400 | 401 | 403) => Ok(s),
        s => Err(serde::de::Error::custom(format!(
            "`{s}` is not allowed; expected 400, 401 or 403"
        ))),
    }
}

pub(crate) fn de_opt_status<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    match u16::deserialize(d)? {
        s @ 200..=599 => Ok(Some(s)),
        s => Err(serde::de::Error::custom(format!(
            "`{s}` is not an HTTP status between 200 and 599"
        ))),
    }
}

pub(crate) fn de_token_type<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.eq_ignore_ascii_case("bearer") {
        Ok(s)
    } else {
        Err(serde::de::Error::custom(format!(
            "`{s}` is not allowed; expected `bearer` or `Bearer`"
        )))
    }
}

pub(crate) fn de_positive_u32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    match u32::deserialize(d)? {
        0 => Err(serde::de::Error::custom("must be at least 1")),
        n => Ok(n),
    }
}

pub(crate) fn de_positive_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    match u64::deserialize(d)? {
        0 => Err(serde::de::Error::custom("must be at least 1")),
        n => Ok(n),
    }
}

pub(crate) fn de_validity<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    match u32::deserialize(d)? {
        n @ 1..=38_880_000 => Ok(n),
        n => Err(serde::de::Error::custom(format!(
            "`{n}` is out of range; expected 1 to 38880000 seconds (the real service allows 300 to 172800, SCIM clients up to 38880000)"
        ))),
    }
}

pub(crate) fn de_permissions<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let perms = Vec::<String>::deserialize(d)?;
    for p in &perms {
        if !is_permission(p) {
            return Err(serde::de::Error::custom(format!(
                "`{p}` is not a permission; expected `domain:entity:action` (segments may be `*`) or `*`"
            )));
        }
    }
    Ok(perms)
}

pub(crate) fn is_permission(p: &str) -> bool {
    p == "*" || {
        let segs: Vec<&str> = p.split(':').collect();
        segs.len() == 3
            && segs.iter().all(|s| {
                !s.is_empty()
                    && (*s == "*"
                        || s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            })
    }
}

pub(crate) fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if is_iso_datetime(&s) {
        Ok(s)
    } else {
        Err(serde::de::Error::custom(format!(
            "`{s}` is not an ISO-8601 UTC date-time such as `2026-09-01T00:00:00.000Z`"
        )))
    }
}

pub(crate) fn de_opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    de_date(d).map(Some)
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
pub(crate) fn is_iso_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let head = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    head && match &s[19..] {
        "Z" => true,
        frac => {
            frac.len() >= 3
                && frac.starts_with('.')
                && frac.ends_with('Z')
                && frac[1..frac.len() - 1].bytes().all(|c| c.is_ascii_digit())
        }
    }
}

/// Whether a set of granted permissions covers `needed` (`*` matches all, or one segment).
pub fn permits(granted: &[String], needed: &str) -> bool {
    granted.iter().any(|g| {
        g == "*" || {
            let gs = g.split(':');
            let ns: Vec<&str> = needed.split(':').collect();
            gs.clone().count() == ns.len() && gs.zip(ns.iter()).all(|(g, n)| g == "*" || g == *n)
        }
    })
}
