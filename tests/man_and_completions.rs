//! The man pages (`docs/gcdoctor.1`, `docs/man/gcdoctor-*.1`) are generated from the clap
//! definitions and must match what is committed; the shell completions must load and work.
//!
//! `GCDOCTOR_UPDATE_DOCS=1 cargo test --test man_and_completions` rewrites the man pages.

use clap::CommandFactory;
use gcdoctor::cli::Cli;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_gcdoctor")
}

// ---------------------------------------------------------------------------------------------
// Man pages

/// Sections written by hand, appended to the generated ones (plain ASCII roff).
const ENVIRONMENT: &str = r#".SH ENVIRONMENT
.TP
\fBGENESYSCLOUD_OAUTHCLIENT_ID\fR
The client id, when \fB\-\-client\-id\fR is not given (the \fBgc\fR CLI's and the
Terraform provider's name).
.TP
\fBGENESYSCLOUD_OAUTHCLIENT_SECRET\fR
The client secret, when no secret flag is given.
.TP
\fBGENESYSCLOUD_REGION\fR
The region, when \fB\-\-region\fR is not given.
.TP
\fBGCDOCTOR_ADMIN_CLIENT_ID\fR
Like \fB\-\-admin\-client\-id\fR.
.TP
\fBGCDOCTOR_ADMIN_CLIENT_SECRET\fR
The admin client's secret, when \fB\-\-admin\-client\-secret\-file\fR is not given.
.TP
\fBGCDOCTOR_ADMIN_TOKEN\fR
An admin access token, when \fB\-\-admin\-token\-file\fR is not given.
.TP
\fBGCDOCTOR_CONNECT_TO\fR
HOST:PORT: send every request over plain HTTP/1.1 there, keeping its Host header (the
simulator and test harnesses).
.TP
\fBHTTPS_PROXY\fR, \fBNO_PROXY\fR
The proxy for https URLs, and the hosts that bypass it (also \fBALL_PROXY\fR, and the
lower\-case names). Not used with \fBGCDOCTOR_CONNECT_TO\fR.
.TP
\fBSSL_CERT_FILE\fR, \fBSSL_CERT_DIR\fR
On Linux: trust the CA certificates there instead of the system's (for a TLS\-inspecting
proxy).
.TP
\fBNO_COLOR\fR
Any non\-empty value turns colours off.
.TP
\fBHOME\fR
Where \fI~/.gc/config.toml\fR is looked for.
.SH FILES
.TP
\fI~/.gc/config.toml\fR
The \fBgc\fR CLI config: with \fB\-\-profile\fR NAME, that profile's \fBclient_credentials\fR
(the client id), \fBclient_secret\fR and \fBenvironment\fR are used; without it, the
\fB[DEFAULT]\fR profile when it exists.
"#;

/// Escapes a line for roff.
fn roff_line(l: &str) -> String {
    let l = l.replace('\\', "\\e").replace('-', "\\-");
    if l.starts_with('.') || l.starts_with('\'') {
        format!("\\&{l}\n")
    } else {
        format!("{l}\n")
    }
}

/// Turns an `after_help` text into man sections: `Examples:` becomes EXAMPLES (one command
/// per line), `Exit code…`/`Exits…` EXIT STATUS, any other `Heading:` paragraph a subsection
/// of NOTES (filled prose) or, right after the examples, more examples.
fn after_help(cmd: &clap::Command) -> String {
    let Some(text) = cmd.get_after_help().map(|t| t.to_string()) else {
        return String::new();
    };
    let mut out = String::new();
    let mut section = "";
    for para in text.split("\n\n") {
        let lines: Vec<&str> = para.lines().collect();
        let Some(first) = lines.first() else { continue };
        let body = &lines[1..];
        if *first == "Examples:" {
            out.push_str(".SH EXAMPLES\n.nf\n");
            for l in body {
                out.push_str(&roff_line(l.strip_prefix("  ").unwrap_or(l)));
            }
            out.push_str(".fi\n");
            section = "EXAMPLES";
        } else if first.starts_with("Exit code") || first.starts_with("Exits") {
            out.push_str(".SH \"EXIT STATUS\"\n");
            let t = first.strip_prefix("Exit codes:").unwrap_or(first).trim();
            out.push_str(&roff_line(t));
            for l in body {
                out.push_str(&roff_line(l.trim()));
            }
            section = "EXIT STATUS";
        } else if section == "EXAMPLES" {
            out.push_str(".PP\n");
            out.push_str(&roff_line(first));
            out.push_str(".nf\n");
            for l in body {
                out.push_str(&roff_line(l.strip_prefix("  ").unwrap_or(l)));
            }
            out.push_str(".fi\n");
        } else {
            if section != "NOTES" {
                out.push_str(".SH NOTES\n");
                section = "NOTES";
            }
            match first.strip_suffix(':') {
                Some(h) => {
                    out.push_str(&format!(".SS \"{}\"\n", h.replace('"', "")));
                    for l in body {
                        out.push_str(&roff_line(l.trim()));
                    }
                }
                None => {
                    out.push_str(".PP\n");
                    for l in &lines {
                        out.push_str(&roff_line(l.trim()));
                    }
                }
            }
        }
    }
    out
}

/// One page: clap_mangen's sections, the `after_help` sections, hand-written ones, version.
fn render(cmd: &clap::Command, extra: &str) -> Vec<u8> {
    let title = cmd
        .get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_uppercase();
    let man = clap_mangen::Man::new(cmd.clone()).title(title);
    let mut buf = Vec::new();
    man.render_title(&mut buf).unwrap();
    // No hyphenation, ragged right: names and flags stay whole.
    buf.extend_from_slice(b".nh\n.ad l\n");
    man.render_name_section(&mut buf).unwrap();
    man.render_synopsis_section(&mut buf).unwrap();
    man.render_description_section(&mut buf).unwrap();
    man.render_options_section(&mut buf).unwrap();
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut buf).unwrap();
    }
    buf.extend_from_slice(after_help(cmd).as_bytes());
    buf.extend_from_slice(extra.as_bytes());
    if cmd.get_version().is_some() {
        man.render_version_section(&mut buf).unwrap();
    }
    // Non-ASCII as groff escapes, so plain `groff -man` renders it without preconv.
    let text = String::from_utf8(buf).unwrap();
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", c as u32));
        }
    }
    out.into_bytes()
}

/// Every page: `docs/gcdoctor.1` and `docs/man/gcdoctor-<subcommand>.1`.
fn pages() -> Vec<(PathBuf, Vec<u8>)> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let subs: Vec<clap::Command> = cli
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    let names: Vec<String> = subs
        .iter()
        .map(|s| format!("\\fBgcdoctor\\-{}\\fR(1)", s.get_name()))
        .collect();
    let top_extra = format!(
        "{ENVIRONMENT}.SH \"SEE ALSO\"\n{}\n.PP\nThe user guide: \\fIdocs/guide.md\\fR; what is sent where: \\fIdocs/what\\-is\\-sent.md\\fR.\n",
        names.join(",\n")
    );
    let mut out = vec![(root().join("docs/gcdoctor.1"), render(&cli, &top_extra))];
    for sub in &subs {
        let env = if sub.get_name() == "diagnose" {
            ENVIRONMENT
        } else {
            ""
        };
        let extra = format!("{env}.SH \"SEE ALSO\"\n\\fBgcdoctor\\fR(1), \\fIdocs/guide.md\\fR\n");
        let file = format!(
            "{}.1",
            sub.get_display_name().unwrap_or_else(|| sub.get_name())
        );
        out.push((root().join("docs/man").join(file), render(sub, &extra)));
    }
    out
}

fn updating() -> bool {
    std::env::var_os("GCDOCTOR_UPDATE_DOCS").is_some_and(|v| v == "1")
}

#[test]
fn man_pages_are_up_to_date() {
    let pages = pages();
    let mut stale = Vec::new();
    for (path, bytes) in &pages {
        let current = std::fs::read(path).unwrap_or_default();
        if &current != bytes {
            if updating() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            } else {
                stale.push(path.strip_prefix(root()).unwrap().display().to_string());
            }
        }
    }
    // A page of a subcommand that no longer exists is stale too.
    let wanted: Vec<&PathBuf> = pages.iter().map(|(p, _)| p).collect();
    if let Ok(dir) = std::fs::read_dir(root().join("docs/man")) {
        for e in dir.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "1") && !wanted.contains(&&p) {
                if updating() {
                    std::fs::remove_file(&p).unwrap();
                } else {
                    stale.push(p.strip_prefix(root()).unwrap().display().to_string());
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "man pages out of date with src/cli.rs: {}\nregenerate with: GCDOCTOR_UPDATE_DOCS=1 cargo test --test man_and_completions",
        stale.join(", ")
    );
}

#[test]
fn man_pages_cover_every_subcommand_and_flag() {
    let pages = pages();
    let top = String::from_utf8(pages[0].1.clone()).unwrap();
    for sub in [
        "diagnose",
        "lint",
        "explain",
        "simulate",
        "demo",
        "completions",
    ] {
        assert!(top.contains(&format!("gcdoctor\\-{sub}(1)")), "{sub}");
        assert!(
            pages
                .iter()
                .any(|(p, _)| p.ends_with(format!("docs/man/gcdoctor-{sub}.1"))),
            "{sub}"
        );
    }
    let diagnose = pages
        .iter()
        .find(|(p, _)| p.ends_with("gcdoctor-diagnose.1"))
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .unwrap();
    for flag in [
        "client\\-id",
        "client\\-secret\\-file",
        "profile",
        "env\\-file",
        "region",
        "token\\-url",
        "from\\-curl",
        "admin\\-client\\-id",
        "check\\-api",
        "timeout",
        "format",
        "output",
    ] {
        assert!(diagnose.contains(&format!("\\-\\-{flag}")), "--{flag}");
    }
    assert!(diagnose.contains(".SH EXAMPLES"));
    assert!(diagnose.contains(".SH ENVIRONMENT"));
    assert!(top.contains(".SH \"EXIT STATUS\""));
    for (p, b) in &pages {
        assert!(b.is_ascii(), "{} is not plain ASCII roff", p.display());
    }
}

/// Runs a formatter; `None` when it is not installed.
fn run_tool(cmd: &mut Command) -> Option<std::process::Output> {
    match cmd.output() {
        Ok(o) => Some(o),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("cannot run {cmd:?}: {e}"),
    }
}

fn strip_overstrike(s: &str) -> String {
    // grotty marks bold as `c\bc` and underline as `_\bc` when SGR is off.
    let mut out: Vec<char> = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if chars.peek() == Some(&'\u{8}') {
            chars.next();
            continue;
        }
        out.push(c);
    }
    out.into_iter().collect()
}

#[test]
fn man_pages_render_without_warnings() {
    let mut files = vec![root().join("docs/gcdoctor.1")];
    let mut man_dir: Vec<PathBuf> = std::fs::read_dir(root().join("docs/man"))
        .expect("docs/man exists (GCDOCTOR_UPDATE_DOCS=1 cargo test --test man_and_completions)")
        .flatten()
        .map(|e| e.path())
        .collect();
    man_dir.sort();
    files.extend(man_dir);
    let mut rendered_by = Vec::new();
    for f in &files {
        // groff: every warning on (-ww), plain text out.
        if let Some(o) = run_tool(
            Command::new("groff")
                .args(["-man", "-Tutf8", "-ww", "-P-c"])
                .arg(f)
                .env("GROFF_NO_SGR", "1"),
        ) {
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(o.status.success(), "groff failed on {}: {err}", f.display());
            assert!(
                err.trim().is_empty(),
                "groff warns on {}:\n{err}",
                f.display()
            );
            let text = strip_overstrike(&String::from_utf8_lossy(&o.stdout));
            assert!(text.contains("gcdoctor"), "{}", f.display());
            assert!(
                !text.contains("\\[u"),
                "unrendered escape in {}",
                f.display()
            );
            rendered_by.push("groff");
        }
        // man -l, as a user would read it.
        if let Some(o) = run_tool(
            Command::new("man")
                .arg("-l")
                .arg(f)
                .env("MANPAGER", "cat")
                .env("MANWIDTH", "80")
                .env("MAN_KEEP_FORMATTING", "0"),
        ) {
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                o.status.success(),
                "man -l failed on {}: {err}",
                f.display()
            );
            let text = strip_overstrike(&String::from_utf8_lossy(&o.stdout));
            assert!(text.contains("NAME"), "{}: {text}", f.display());
            rendered_by.push("man");
        }
    }
    assert!(
        !rendered_by.is_empty(),
        "neither `groff` nor `man` is installed, so the man pages cannot be checked: install groff-base (Debian: apt-get install groff-base; .ci/run does this)"
    );
    let top = Command::new("groff")
        .args(["-man", "-Tutf8", "-P-c"])
        .arg(root().join("docs/gcdoctor.1"))
        .output();
    if let Ok(o) = top {
        let text = strip_overstrike(&String::from_utf8_lossy(&o.stdout));
        for want in [
            "SYNOPSIS",
            "EXAMPLES",
            "EXIT STATUS",
            "ENVIRONMENT",
            "gcdoctor-diagnose(1)",
        ] {
            assert!(text.contains(want), "{want} missing from:\n{text}");
        }
        // The examples keep one command per line (no filling).
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with("gcdoctor explain GC103")),
            "{text}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Completions

fn completions(shell: &str) -> String {
    let o = Command::new(bin())
        .args(["completions", shell])
        .output()
        .unwrap();
    assert!(o.status.success(), "completions {shell}: {:?}", o);
    String::from_utf8(o.stdout).unwrap()
}

/// Runs bash with the completion script loaded; `words` is the command line being completed
/// (the last word is the one under the cursor). Returns the candidates.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let script = r#"
set -e
source <("$GCDOCTOR_BIN" completions bash)
spec=$(complete -p gcdoctor)
fn=$(printf '%s\n' "$spec" | sed -n 's/.*-F \([^ ]*\).*/\1/p')
[ -n "$fn" ] || { echo "no completion function in: $spec" >&2; exit 1; }
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
cur="${COMP_WORDS[COMP_CWORD]}"
prev="${COMP_WORDS[COMP_CWORD-1]}"
"$fn" gcdoctor "$cur" "$prev"
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let o = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg("bash")
        .args(words)
        .env("GCDOCTOR_BIN", bin())
        .output()
        .expect("bash is installed");
    assert!(
        o.status.success(),
        "bash completion failed for {words:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completion_loads_in_a_real_bash() {
    let o = Command::new("bash")
        .arg("-c")
        .arg(r#"source <("$GCDOCTOR_BIN" completions bash) && complete -p gcdoctor"#)
        .env("GCDOCTOR_BIN", bin())
        .output()
        .expect("bash is installed");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("-F _gcdoctor") && out.trim_end().ends_with(" gcdoctor"),
        "{out}"
    );
}

#[test]
fn bash_completes_subcommands_flags_and_values() {
    assert_eq!(bash_complete(&["gcdoctor", "diag"]), vec!["diagnose"]);
    assert_eq!(bash_complete(&["gcdoctor", "comp"]), vec!["completions"]);
    let region = bash_complete(&["gcdoctor", "diagnose", "--reg"]);
    assert_eq!(region, vec!["--region"]);
    let admin = bash_complete(&["gcdoctor", "diagnose", "--admin-client-"]);
    for want in ["--admin-client-id", "--admin-client-secret-file"] {
        assert!(admin.iter().any(|c| c == want), "{want} in {admin:?}");
    }
    let mut formats = bash_complete(&["gcdoctor", "diagnose", "--format", ""]);
    formats.sort();
    assert_eq!(formats, vec!["json", "junit", "markdown", "text"]);
    let shells = bash_complete(&["gcdoctor", "completions", ""]);
    for want in ["bash", "elvish", "fish", "powershell", "zsh"] {
        assert!(shells.iter().any(|c| c == want), "{want} in {shells:?}");
    }
}

#[test]
fn other_shells_get_a_script_that_knows_the_subcommands() {
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let s = completions(shell);
        assert!(s.len() > 500, "{shell}: suspiciously short");
        for word in ["diagnose", "simulate", "explain", "client-id"] {
            assert!(s.contains(word), "{shell} completion lacks {word}");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let o = Command::new(bin())
        .args(["completions", "nushell"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("possible values"));
}

#[test]
fn bash_completes_regions_scenarios_and_causes() {
    // Every accepted spelling of a region, not file names.
    let eu = bash_complete(&["gcdoctor", "diagnose", "--region", "eu"]);
    for want in ["eu-west-1", "eu_west_1", "eu-central-1"] {
        assert!(eu.iter().any(|c| c == want), "{want} in {eu:?}");
    }
    let ie = bash_complete(&["gcdoctor", "diagnose", "--region", "mypurecloud.i"]);
    assert_eq!(ie, vec!["mypurecloud.ie"]);
    let login = bash_complete(&["gcdoctor", "diagnose", "--region", "login.mypurecloud.i"]);
    assert_eq!(login, vec!["login.mypurecloud.ie"]);
    let prod = bash_complete(&["gcdoctor", "diagnose", "--admin-region", "prod-euw"]);
    assert!(prod.iter().any(|c| c == "prod-euw1"), "{prod:?}");
    // Scenario names for demo and simulate.
    for cmd in ["demo", "simulate"] {
        let s = bash_complete(&["gcdoctor", cmd, "--scenario", "wrong-s"]);
        assert_eq!(s, vec!["wrong-secret"], "{cmd}");
    }
    // explain completes cause ids and names.
    let ids = bash_complete(&["gcdoctor", "explain", "GC10"]);
    for want in ["GC101", "GC102", "GC103", "GC104"] {
        assert!(ids.iter().any(|c| c == want), "{want} in {ids:?}");
    }
    let names = bash_complete(&["gcdoctor", "explain", "wrong-r"]);
    assert_eq!(names, vec!["wrong-region"]);
    // The value lists stay out of --help.
    let help = Command::new(bin())
        .args(["diagnose", "--help"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains("possible values: us-east-1"));
    // Any accepted spelling still parses (the list is for completion, not a restriction).
    let o = Command::new(bin())
        .args(["explain", "gc103"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
