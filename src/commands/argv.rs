//! The command line as a source of secrets: what must be known before clap parses it, so that
//! neither clap's own usage errors nor any later message can echo a secret given on it.
//!
//! Plan: by position and role first. The value after a secret-bearing flag
//! (`--client-secret S`, `--client-secret=S`, and the paths of secret files, which a user may
//! fill with the secret itself) is registered with the process-wide redactor at once. A clap
//! error is then scrubbed once more with every argument that is not a word of gcdoctor's own
//! interface (a flag, a subcommand, a possible value): an argument clap did not understand is
//! exactly what it is about to quote, and it may be a secret in the wrong place.

use crate::secret::{Redactor, global};
use std::collections::BTreeSet;
use std::ffi::OsString;

/// Flags whose value is a secret, or names where one is kept.
const SECRET_FLAGS: &[&str] = &[
    "--client-secret",
    "--client-secret-file",
    "--admin-client-secret-file",
    "--admin-token-file",
];

/// Registers the value of every secret-bearing flag with the process-wide redactor.
pub fn register_secret_values(args: &[OsString]) {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    for (i, a) in args.iter().enumerate() {
        let (flag, value) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (a.as_str(), args.get(i + 1).map(String::as_str)),
        };
        let Some(v) = value.filter(|_| SECRET_FLAGS.contains(&flag)) else {
            continue;
        };
        // A secret file that exists is named by its path, which is not secret; a "path" that
        // names no file may well be the secret itself.
        if flag == "--client-secret" || !crate::secret::mask::looks_like_a_path(v) {
            global::add(v);
        }
    }
}

/// A clap error as text, with every argument that is not a word of gcdoctor's interface
/// scrubbed (and every registered secret).
pub fn scrub_clap_error(rendered: &str, args: &[OsString], cmd: &clap::Command) -> String {
    let words = interface_words(cmd);
    let enums = enum_flags(cmd);
    let mut r = Redactor::new();
    let mut after_enum = false;
    for a in args.iter().skip(1) {
        let a = a.to_string_lossy();
        let (value, of_enum) = match a.split_once('=') {
            Some((flag, v)) if flag.starts_with("--") => {
                if !words.contains(flag) && !looks_like_flag(flag) {
                    r.add(flag);
                }
                (v.to_string(), enums.contains(flag))
            }
            _ => (a.to_string(), after_enum),
        };
        after_enum = enums.contains(a.as_ref());
        // The value of a flag with a fixed set of values is shown: it is no secret's place.
        if !of_enum && !words.contains(value.as_str()) && !looks_like_flag(&value) {
            r.add(&value);
            // A `--`-led value is quoted without its dashes in clap's tips.
            r.add(value.trim_start_matches('-'));
        }
    }
    global::scrub(&r.scrub(rendered))
}

/// A mistyped flag (`--regoin`) is shown as typed: lower-case words and dashes only.
fn looks_like_flag(a: &str) -> bool {
    a.strip_prefix("--")
        .or_else(|| a.strip_prefix('-'))
        .is_some_and(|w| {
            !w.is_empty() && w.len() <= 40 && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        })
}

/// The spellings of the flags that take one of a fixed set of values (or a number).
fn enum_flags(cmd: &clap::Command) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![cmd];
    while let Some(c) = stack.pop() {
        for a in c.get_arguments() {
            let fixed = a.get_action().takes_values()
                && (!a.get_possible_values().is_empty()
                    || matches!(a.get_long(), Some("timeout" | "latency" | "jobs")));
            if fixed {
                out.extend(a.get_long().map(|l| format!("--{l}")));
                out.extend(a.get_short().map(|s| format!("-{s}")));
            }
        }
        stack.extend(c.get_subcommands());
    }
    out
}

fn interface_words(cmd: &clap::Command) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect(cmd, &mut out);
    out
}

fn collect(cmd: &clap::Command, out: &mut BTreeSet<String>) {
    out.insert(cmd.get_name().to_string());
    for a in cmd.get_arguments() {
        if let Some(l) = a.get_long() {
            out.insert(format!("--{l}"));
        }
        if let Some(s) = a.get_short() {
            out.insert(format!("-{s}"));
        }
        for v in a.get_possible_values() {
            out.insert(v.get_name().to_string());
        }
    }
    for s in cmd.get_subcommands() {
        collect(s, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_errors_do_not_echo_unknown_arguments() {
        let cmd = crate::cli::Cli::command();
        let args: Vec<OsString> = [
            "gcdoctor",
            "diagnose",
            "--quiet",
            "--regoin",
            "Zq8-Wm4+Kx7/Rt2",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        let text = "error: unexpected argument 'Zq8-Wm4+Kx7/Rt2' found; did you mean '--region' for '--regoin'?";
        let out = scrub_clap_error(text, &args, &cmd);
        assert!(!out.contains("Zq8-Wm4"), "{out}");
        assert!(
            out.contains("--regoin") && out.contains("--region"),
            "{out}"
        );
    }
}
