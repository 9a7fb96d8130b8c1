//! `--format junit`: one testcase per check.

use super::Report;

pub fn render(r: &Report) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    s.push_str(&format!(
        "<testsuite name=\"gcdoctor\" tests=\"{}\"></testsuite>\n",
        r.checks.len()
    ));
    s.push_str("</testsuites>\n");
    s
}
