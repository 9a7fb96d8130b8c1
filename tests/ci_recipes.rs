//! The recipes in `docs/examples/` (GitHub Actions, GitLab CI) and the `Dockerfile`.
//!
//! The CI files are parsed as YAML and checked for what `docs/ci.md` promises; every
//! `gcdoctor …` command in them goes through the real argument parser, and their shell steps
//! are run in bash with the real binary against the simulator, for a healthy client, a
//! named cause and an inconclusive run. Docker cannot run here, so the Dockerfile is checked
//! by reading its instructions.

mod common;
use common::*;

use clap::Parser;
use gcdoctor::cli::Cli;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(rel: &str) -> Yaml {
    let mut docs = YamlLoader::load_from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(docs.len(), 1, "{rel}: one YAML document");
    docs.remove(0)
}

fn s(y: &Yaml) -> &str {
    y.as_str().unwrap_or_else(|| panic!("not a string: {y:?}"))
}

/// The `gcdoctor …` commands of a shell script, one per logical line, cut at `||`, `|`, `;`.
fn gcdoctor_commands(script: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("gcdoctor ") else {
            continue;
        };
        let cut = ["||", "|", ";", "&&", " #"]
            .iter()
            .filter_map(|sep| rest.find(sep))
            .min()
            .unwrap_or(rest.len());
        let mut words = vec!["gcdoctor".to_string()];
        words.extend(shlex::split(&rest[..cut]).expect("shell words"));
        out.push(words);
    }
    out
}

/// The Cargo.toml `repository` URL: the recipes install from there.
fn repository() -> String {
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    manifest["package"]["repository"]
        .as_str()
        .unwrap()
        .to_string()
}

fn assert_install_line(line: &str) {
    assert_eq!(
        line.trim(),
        format!("cargo install --locked --git {} gcdoctor", repository()),
        "install from the repository of Cargo.toml"
    );
}

/// The command every recipe runs.
const DIAGNOSE: [&str; 6] = [
    "gcdoctor",
    "diagnose",
    "--format",
    "junit",
    "--output",
    "gcdoctor.xml",
];

// ---------------------------------------------------------------------------------------------
// GitHub Actions

struct GithubRecipe {
    job_env: Vec<(String, String)>,
    step_env: Vec<(String, String)>,
    script: String,
}

fn pairs(y: &Yaml) -> Vec<(String, String)> {
    y.as_hash()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (s(k).to_string(), s(v).to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn github() -> GithubRecipe {
    let doc = yaml("docs/examples/github-actions.yml");
    assert_eq!(s(&doc["permissions"]["checks"]), "write");
    assert!(!doc["on"].is_badvalue(), "triggers");
    let jobs = doc["jobs"].as_hash().expect("jobs");
    assert_eq!(jobs.len(), 1);
    let job = jobs.values().next().unwrap();
    let steps = job["steps"].as_vec().expect("steps");

    let install = steps
        .iter()
        .find(|st| {
            st["run"]
                .as_str()
                .is_some_and(|r| r.contains("cargo install"))
        })
        .expect("an install step");
    assert_install_line(s(&install["run"]));

    let diagnose = steps
        .iter()
        .position(|st| {
            st["run"]
                .as_str()
                .is_some_and(|r| r.contains("gcdoctor diagnose"))
        })
        .expect("a diagnose step");
    let step = &steps[diagnose];
    let step_env = pairs(&step["env"]);
    let env = |k: &str| {
        step_env
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("{k} not set for the diagnose step"))
    };
    // Credentials from the secret store, by the names gcdoctor reads.
    assert_eq!(
        env("GENESYSCLOUD_OAUTHCLIENT_ID"),
        "${{ secrets.GENESYSCLOUD_OAUTHCLIENT_ID }}"
    );
    assert_eq!(
        env("GENESYSCLOUD_OAUTHCLIENT_SECRET"),
        "${{ secrets.GENESYSCLOUD_OAUTHCLIENT_SECRET }}"
    );
    assert!(env("GENESYSCLOUD_REGION").contains("GENESYSCLOUD_REGION"));
    let script = s(&step["run"]).to_string();
    assert!(
        !script.contains("${{"),
        "the script reads values from env, never from expressions"
    );

    // The report is published whatever the outcome, after the diagnosis.
    let later = &steps[diagnose + 1..];
    let upload = later
        .iter()
        .find(|st| {
            st["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
        })
        .expect("an upload-artifact step after the diagnosis");
    assert_eq!(s(&upload["if"]), "always()");
    assert_eq!(s(&upload["with"]["path"]), "gcdoctor.xml");
    let junit = later
        .iter()
        .find(|st| {
            st["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("mikepenz/action-junit-report@"))
        })
        .expect("a JUnit reporter step after the diagnosis");
    assert_eq!(s(&junit["if"]), "always()");
    assert_eq!(s(&junit["with"]["report_paths"]), "gcdoctor.xml");

    GithubRecipe {
        job_env: pairs(&job["env"]),
        step_env,
        script,
    }
}

// ---------------------------------------------------------------------------------------------
// GitLab CI

struct GitlabRecipe {
    variables: Vec<(String, String)>,
    script: Vec<String>,
}

fn gitlab_job(doc: &Yaml) -> &Yaml {
    let jobs = doc.as_hash().expect("a mapping of jobs");
    assert_eq!(jobs.len(), 1);
    jobs.values().next().unwrap()
}

fn gitlab() -> GitlabRecipe {
    let doc = yaml("docs/examples/gitlab-ci.yml");
    let job = gitlab_job(&doc);
    let before = job["before_script"].as_vec().expect("before_script");
    assert_install_line(s(&before[0]));
    let script: Vec<String> = job["script"]
        .as_vec()
        .expect("script")
        .iter()
        .map(|l| s(l).to_string())
        .collect();
    assert!(script.iter().any(|l| l.contains("gcdoctor diagnose")));
    assert_eq!(s(&job["artifacts"]["reports"]["junit"]), "gcdoctor.xml");
    assert_eq!(s(&job["artifacts"]["when"]), "always");
    assert!(
        job["allow_failure"].is_badvalue(),
        "by default every failure fails the job"
    );
    let variables = pairs(&job["variables"]);
    assert!(variables.iter().any(|(k, _)| k == "GENESYSCLOUD_REGION"));
    // Credentials come from the project's CI/CD variables, never from the file.
    for (k, _) in &variables {
        assert!(!k.contains("SECRET"), "{k} must not be in the file");
    }
    GitlabRecipe { variables, script }
}

#[test]
fn gitlab_optional_allow_failure_is_valid_yaml_for_exit_3() {
    let text = read("docs/examples/gitlab-ci.yml");
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix("  # ") {
            Some(rest)
                if rest.starts_with("allow_failure:") || rest.starts_with("  exit_codes:") =>
            {
                format!("  {rest}\n")
            }
            _ => format!("{l}\n"),
        })
        .collect();
    let doc = YamlLoader::load_from_str(&uncommented).unwrap().remove(0);
    let codes: Vec<i64> = gitlab_job(&doc)["allow_failure"]["exit_codes"]
        .as_vec()
        .expect("the commented allow_failure block, uncommented")
        .iter()
        .filter_map(Yaml::as_i64)
        .collect();
    assert_eq!(codes, vec![3]);
}

// ---------------------------------------------------------------------------------------------
// Every gcdoctor command line goes through the real parser.

#[test]
fn every_gcdoctor_command_in_the_recipes_parses() {
    let gh = github();
    let gl = gitlab();
    let mut commands = gcdoctor_commands(&gh.script);
    for l in &gl.script {
        commands.extend(gcdoctor_commands(l));
    }
    assert_eq!(commands.len(), 2, "{commands:?}");
    for words in &commands {
        assert_eq!(words, &DIAGNOSE, "the command docs/ci.md describes");
        if let Err(e) = Cli::try_parse_from(words) {
            panic!("{words:?} is rejected by the CLI: {e}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The shell steps, run in bash with the real binary against the simulator.

struct StepRun {
    code: i32,
    output: String,
    report: Option<String>,
}

/// Runs a shell script like a CI runner: `bash -eo pipefail`, in a fresh directory, with the
/// real gcdoctor first on PATH and requests sent to the simulator.
fn run_step(script: &str, sim: &Sim, env: &[(String, String)]) -> StepRun {
    let dir = tempfile::tempdir().unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_gcdoctor")).parent().unwrap();
    let mut c = Command::new("bash");
    c.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir.path())
        .env_clear()
        .env(
            "PATH",
            format!("{}:/usr/local/bin:/usr/bin:/bin", bin_dir.display()),
        )
        .env("HOME", dir.path())
        .env("NO_COLOR", "1")
        .env("GCDOCTOR_CONNECT_TO", sim.addr());
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().expect("bash runs");
    StepRun {
        code: o.status.code().unwrap_or(-1),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        report: std::fs::read_to_string(dir.path().join("gcdoctor.xml")).ok(),
    }
}

/// The step's environment with the CI's expressions replaced by test values.
fn github_env(gh: &GithubRecipe, id: &str, secret: &str, region: &str) -> Vec<(String, String)> {
    let mut env = gh.job_env.clone();
    for (k, v) in &gh.step_env {
        let value = match v.as_str() {
            "${{ secrets.GENESYSCLOUD_OAUTHCLIENT_ID }}" => id.to_string(),
            "${{ secrets.GENESYSCLOUD_OAUTHCLIENT_SECRET }}" => secret.to_string(),
            "${{ vars.GENESYSCLOUD_REGION }}" => region.to_string(),
            other => panic!("{k}: unexpected value {other}"),
        };
        env.push((k.clone(), value));
    }
    env
}

fn set(env: &mut Vec<(String, String)>, k: &str, v: &str) {
    env.retain(|(n, _)| n != k);
    env.push((k.to_string(), v.to_string()));
}

fn assert_junit(run: &StepRun) {
    let report = run
        .report
        .as_deref()
        .unwrap_or_else(|| panic!("no gcdoctor.xml written:\n{}", run.output));
    assert!(report.starts_with("<?xml"), "{report}");
    assert!(report.contains("<testsuite"), "{report}");
}

#[test]
fn github_step_passes_a_healthy_client_and_writes_the_junit_report() {
    let gh = github();
    let sim = Sim::builtin("healthy");
    let env = github_env(&gh, MAIN_ID, MAIN_SECRET, "eu-west-1");
    let run = run_step(&gh.script, &sim, &env);
    assert_eq!(run.code, 0, "{}", run.output);
    assert_junit(&run);
    assert!(!run.output.contains(MAIN_SECRET));
}

#[test]
fn github_step_fails_on_a_named_cause_unless_told_not_to() {
    let gh = github();
    let sim = Sim::builtin("wrong-region");
    let mut env = github_env(&gh, MAIN_ID, MAIN_SECRET, "us-east-1");
    let run = run_step(&gh.script, &sim, &env);
    assert_eq!(run.code, 1, "{}", run.output);
    assert!(run.output.contains("::error::gcdoctor named the cause"));
    assert_junit(&run);
    set(&mut env, "FAIL_ON_CAUSE", "false");
    let run = run_step(&gh.script, &sim, &env);
    assert_eq!(run.code, 0, "{}", run.output);
    assert!(run.output.contains("::warning::"));
}

#[test]
fn github_step_fails_on_an_inconclusive_run_unless_told_not_to() {
    let gh = github();
    // A wrong secret without admin access: the service cannot tell it from an unknown client.
    let sim = Sim::builtin("wrong-secret");
    let mut env = github_env(&gh, MAIN_ID, OLD_SECRET, "eu-west-1");
    let run = run_step(&gh.script, &sim, &env);
    assert_eq!(run.code, 1, "{}", run.output);
    assert!(run.output.contains("::error::the token request failed"));
    assert_junit(&run);
    set(&mut env, "FAIL_ON_INCONCLUSIVE", "false");
    let run = run_step(&gh.script, &sim, &env);
    assert_eq!(run.code, 0, "{}", run.output);
    assert!(run.output.contains("::warning::the token request failed"));
}

#[test]
fn github_step_fails_with_gcdoctors_code_on_bad_usage() {
    let gh = github();
    let sim = Sim::builtin("healthy");
    let env = github_env(&gh, MAIN_ID, MAIN_SECRET, "eu-west-9");
    let run = run_step(&gh.script, &sim, &env);
    assert_eq!(run.code, 2, "{}", run.output);
    assert!(
        run.output
            .contains("::error::gcdoctor could not run (exit 2)")
    );
}

fn gitlab_run(gl: &GitlabRecipe, sim: &Sim, id: &str, secret: &str, region: &str) -> StepRun {
    let mut env = gl.variables.clone();
    set(&mut env, "GENESYSCLOUD_REGION", region);
    env.push(("GENESYSCLOUD_OAUTHCLIENT_ID".into(), id.into()));
    env.push(("GENESYSCLOUD_OAUTHCLIENT_SECRET".into(), secret.into()));
    run_step(&gl.script.join("\n"), sim, &env)
}

#[test]
fn gitlab_job_exits_with_gcdoctors_code_and_writes_the_junit_report() {
    let gl = gitlab();
    let healthy = Sim::builtin("healthy");
    let run = gitlab_run(&gl, &healthy, MAIN_ID, MAIN_SECRET, "eu-west-1");
    assert_eq!(run.code, 0, "{}", run.output);
    assert_junit(&run);
    let wrong_region = Sim::builtin("wrong-region");
    let run = gitlab_run(&gl, &wrong_region, MAIN_ID, MAIN_SECRET, "us-east-1");
    assert_eq!(run.code, 1, "{}", run.output);
    assert_junit(&run);
    let wrong_secret = Sim::builtin("wrong-secret");
    let run = gitlab_run(&gl, &wrong_secret, MAIN_ID, OLD_SECRET, "eu-west-1");
    assert_eq!(
        run.code, 3,
        "exit 3 is what allow_failure:exit_codes matches\n{}",
        run.output
    );
    assert_junit(&run);
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

/// The Dockerfile's instructions: (KEYWORD, arguments), continuation lines joined, comments
/// dropped.
fn dockerfile() -> Vec<(String, String)> {
    let text = read("Dockerfile");
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let t = line.trim();
        if current.is_empty() && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        if let Some(cont) = t.strip_suffix('\\') {
            current.push_str(cont);
            current.push(' ');
            continue;
        }
        current.push_str(t);
        let (kw, args) = current
            .split_once(char::is_whitespace)
            .expect("KEYWORD args");
        out.push((kw.to_ascii_uppercase(), args.trim().to_string()));
        current.clear();
    }
    assert!(current.is_empty(), "Dockerfile ends in a continuation line");
    out
}

#[test]
fn dockerfile_builds_in_rust_and_runs_as_a_non_root_user_on_debian_slim() {
    let ins = dockerfile();
    let known = [
        "FROM",
        "RUN",
        "COPY",
        "WORKDIR",
        "USER",
        "ENTRYPOINT",
        "CMD",
        "ENV",
        "ARG",
        "LABEL",
    ];
    for (kw, _) in &ins {
        assert!(known.contains(&kw.as_str()), "unexpected instruction {kw}");
    }
    let stages: Vec<usize> = ins
        .iter()
        .enumerate()
        .filter(|(_, (k, _))| k == "FROM")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(stages.len(), 2, "two stages");
    assert_eq!(ins[stages[0]].1, "rust:1-slim-bookworm AS build");
    assert_eq!(ins[stages[1]].1, "debian:bookworm-slim");
    let (build, runtime) = ins.split_at(stages[1]);

    assert!(
        build
            .iter()
            .any(|(k, a)| k == "RUN" && a.contains("cargo build --release --locked")),
        "the build stage builds the release binary from Cargo.lock"
    );
    let runs: Vec<&str> = runtime
        .iter()
        .filter(|(k, _)| k == "RUN")
        .map(|(_, a)| a.as_str())
        .collect();
    assert!(
        runs.iter().any(|r| r.contains("apt-get install")
            && r.contains("--no-install-recommends")
            && r.contains("ca-certificates")
            && r.contains("rm -rf /var/lib/apt/lists")),
        "{runs:?}"
    );
    assert!(runtime.iter().any(|(k, a)| k == "COPY"
        && a.starts_with("--from=build ")
        && a.contains("/target/release/gcdoctor")
        && a.ends_with(" /usr/local/bin/gcdoctor")));

    // The last USER of the runtime stage is not root, and comes before the entrypoint.
    let user_at = runtime
        .iter()
        .rposition(|(k, _)| k == "USER")
        .expect("a USER instruction in the runtime stage");
    let user = &runtime[user_at].1;
    let name = user.split(':').next().unwrap();
    assert!(name != "root" && name != "0", "USER {user}");
    let entry_at = runtime
        .iter()
        .position(|(k, _)| k == "ENTRYPOINT")
        .expect("ENTRYPOINT");
    assert!(user_at < entry_at);
    assert!(
        runtime[user_at..].iter().all(|(k, _)| k != "RUN"),
        "nothing runs as root after USER"
    );
    // The user exists: created with that uid in the runtime stage.
    let uid = name;
    assert!(
        runs.iter()
            .any(|r| r.contains("useradd") && r.contains(&format!("--uid {uid}"))),
        "user {uid} is created"
    );
    let entry: serde_json::Value =
        serde_json::from_str(&runtime[entry_at].1).expect("ENTRYPOINT in exec form (a JSON array)");
    assert_eq!(entry, serde_json::json!(["gcdoctor"]));
    if let Some((_, cmd)) = runtime.iter().find(|(k, _)| k == "CMD") {
        let cmd: Vec<String> = serde_json::from_str(cmd).expect("CMD in exec form");
        let mut words = vec!["gcdoctor".to_string()];
        words.extend(cmd);
        assert!(
            Cli::try_parse_from(&words)
                .is_err_and(|e| e.kind() == clap::error::ErrorKind::DisplayHelp),
            "CMD {words:?} shows the help"
        );
    }
}

#[test]
fn dockerignore_keeps_what_the_build_needs() {
    let ignore = read(".dockerignore");
    let patterns: Vec<&str> = ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    for p in ["target/", ".git"] {
        assert!(patterns.contains(&p), "{p} is sent to the builder");
    }
    // Sources, the embedded catalogue pages and scenarios, and the lock file.
    for needed in ["src", "checks", "Cargo.toml", "Cargo.lock", "README.md"] {
        assert!(
            !patterns
                .iter()
                .any(|p| p.trim_end_matches('/') == needed || *p == "*" || *p == "**"),
            "{needed} is excluded from the build context"
        );
    }
}
