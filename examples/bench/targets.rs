//! The PASS/FAIL list every part of the benchmark adds its targets to.

use std::fmt::Write as _;

/// The PASS/FAIL list.
#[derive(Default)]
pub struct Targets {
    rows: Vec<(String, String, Option<bool>)>,
}

impl Targets {
    pub fn check(&mut self, target: &str, measured: String, ok: bool) {
        self.rows.push((target.to_string(), measured, Some(ok)));
    }

    pub fn na(&mut self, target: &str, why: String) {
        self.rows.push((target.to_string(), why, None));
    }

    pub fn all_passed(&self) -> bool {
        self.rows.iter().all(|(_, _, ok)| *ok != Some(false))
    }

    pub fn print(&self, out: &mut String) -> std::fmt::Result {
        writeln!(out, "| target | measured | result |")?;
        writeln!(out, "|---|---|---|")?;
        for (t, m, ok) in &self.rows {
            let r = match ok {
                Some(true) => "PASS",
                Some(false) => "FAIL",
                None => "n/a",
            };
            writeln!(out, "| {t} | {m} | {r} |")?;
        }
        let failed = self.rows.iter().filter(|r| r.2 == Some(false)).count();
        writeln!(
            out,
            "\n{}",
            if failed == 0 {
                "every target met".to_string()
            } else {
                format!("{failed} target(s) missed")
            }
        )
    }
}
