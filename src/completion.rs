//! Values the shell completions offer (`gcdoctor completions SHELL`).
//!
//! # Plan
//!
//! clap_complete takes completion values from an argument's value parser. [`Suggest`] is a
//! parser that accepts any text (the command checks it later, with a message that names
//! every accepted spelling) and reports a list of values to complete: every spelling of every
//! region ([`region_values`]), the built-in scenario names, the cause ids and names. The
//! arguments hide the list from `--help` (`hide_possible_values`), where it would be pages
//! long.

use clap::builder::{PossibleValue, TypedValueParser};

/// Accepts any string; offers `values` to shell completion.
#[derive(Clone, Debug)]
pub struct Suggest(fn() -> Vec<String>);

/// The values of `f`, computed once per list and kept for the life of the process (clap
/// wants `'static` strings).
fn cached(f: fn() -> Vec<String>) -> &'static [&'static str] {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<usize, &'static [&'static str]>>> = OnceLock::new();
    let mut map = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    map.entry(f as usize).or_insert_with(|| {
        let v: Vec<&'static str> = f().into_iter().map(|s| &*s.leak()).collect();
        v.leak()
    })
}

impl Suggest {
    pub fn new(values: fn() -> Vec<String>) -> Suggest {
        Suggest(values)
    }
}

impl TypedValueParser for Suggest {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            cached(self.0).iter().map(|v| PossibleValue::new(*v)),
        ))
    }
}

/// Every accepted spelling of every region: `eu-west-1`, `eu_west_1`, `mypurecloud.ie`,
/// `login.mypurecloud.ie`, `https://api.mypurecloud.ie`, `prod-euw1`.
pub fn region_values() -> Vec<String> {
    let mut out = Vec::new();
    for r in crate::region::REGIONS {
        out.push(r.key.to_string());
        out.push(r.sdk_key.to_string());
        out.push(r.domain.to_string());
        out.push(format!("login.{}", r.domain));
        out.push(format!("https://api.{}", r.domain));
        if let Some(d) = r.discovery {
            out.push(d.to_string());
        }
    }
    out
}

/// The built-in simulator scenarios.
pub fn scenario_values() -> Vec<String> {
    crate::sim::Scenario::builtin_names()
        .iter()
        .map(|(n, _)| n.to_string())
        .collect()
}

/// Every cause id (`GC103`) and name (`wrong-region`).
pub fn cause_values() -> Vec<String> {
    let all = crate::catalogue::CauseId::ALL;
    all.iter()
        .map(|c| c.code().to_string())
        .chain(all.iter().map(|c| c.name().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_value_parses_to_its_region() {
        let values = region_values();
        assert!(values.len() >= 5 * crate::region::REGIONS.len());
        for v in &values {
            assert!(crate::region::parse(v).is_ok(), "{v}");
        }
        assert!(cause_values().contains(&"GC103".to_string()));
        assert!(cause_values().contains(&"wrong-region".to_string()));
        assert!(scenario_values().contains(&"wrong-secret".to_string()));
    }
}
