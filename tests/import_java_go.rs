//! `--from-java` / `--from-go` and `lint` of Java and Go programs, through the binary: every
//! defect the fixtures under tests/fixtures/{java,go} express is found with its cause and the
//! line it names; the SDKs' default region and login-host rules; no secret in any output,
//! also of a program that does not parse; and diagnose over the seam per cause family.

mod common;
use common::*;

const ID: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";
const SECRET: &str = "Zk8+q2Lw/9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui=Q";

fn fixture(kind: &str, name: &str) -> String {
    format!(
        "{}/tests/fixtures/{kind}/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// `gcdoctor lint --format json FILE` with the fixtures' env vars set.
fn lint(path: &str, extra: &[&str]) -> Run {
    let mut c = gcdoctor();
    c.arg("lint");
    if !extra.contains(&"--format") {
        c.arg("--format").arg("json");
    }
    c.args(extra).arg(path);
    c.env("GENESYS_CLIENT_ID", ID);
    c.env("GENESYS_CLIENT_SECRET", SECRET);
    capture(c.output().expect("runs"), &[SECRET])
}

/// The (id, line) of every finding that is not informational.
fn defects(run: &Run) -> Vec<(String, u64)> {
    run.json["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|f| f["severity"] != "info")
                .map(|f| {
                    (
                        f["id"].as_str().unwrap_or("").to_string(),
                        f["line"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn check(kind: &str, cases: &[(&str, &[(&str, u64)])]) {
    for (name, want) in cases {
        let run = lint(&fixture(kind, name), &[]);
        let got = defects(&run);
        let want: Vec<(String, u64)> = want.iter().map(|(i, l)| (i.to_string(), *l)).collect();
        assert_eq!(got, want, "{name}: {}\n{}", run.stdout, run.stderr);
        assert_no_secret_in(&format!("{}{}", run.stdout, run.stderr), &[SECRET]);
    }
}

#[test]
fn java_fixtures_each_defect_with_its_line() {
    check(
        "java",
        &[
            ("HttpClientToken.java", &[]),
            ("OkHttpForm.java", &[]),
            ("SdkDefaultRegion.java", &[]),
            ("SdkRegionConstant.java", &[]),
            ("WrongHost.java", &[("GC101", 14)]),
            ("SdkBasePathWithoutApi.java", &[("GC102", 6)]),
            ("MissingColon.java", &[("GC202", 15)]),
            ("SecretOnly.java", &[("GC202", 15)]),
            ("DoubleBase64.java", &[("GC202", 16)]),
            ("BearerScheme.java", &[("GC202", 15)]),
            ("HelperMethod.java", &[("GC202", 23)]),
            ("MissingContentType.java", &[("GC302", 16)]),
            ("WrongGrantType.java", &[("GC303", 17)]),
            ("OkHttpJsonBody.java", &[("GC301", 13), ("GC201", 8)]),
            ("HandBuiltForm.java", &[("GC203", 11), ("GC201", 12)]),
            ("FormatBody.java", &[("GC201", 12)]),
        ],
    );
}

#[test]
fn go_fixtures_each_defect_with_its_line() {
    check(
        "go",
        &[
            ("net_http_ok.go", &[]),
            ("sdk_default_region.go", &[]),
            ("sdk_region.go", &[]),
            ("wrong_host.go", &[("GC101", 17)]),
            ("sdk_base_path_without_api.go", &[("GC101", 11)]),
            ("missing_colon.go", &[("GC202", 18)]),
            ("double_base64.go", &[("GC202", 19)]),
            ("bearer_scheme.go", &[("GC202", 18)]),
            ("form_without_content_type.go", &[("GC302", 12)]),
            ("json_body.go", &[("GC301", 16)]),
            ("wrong_grant.go", &[("GC303", 15)]),
            ("body_credentials.go", &[("GC201", 18)]),
            ("post_form.go", &[("GC201", 17)]),
            ("unencoded_plus.go", &[("GC203", 14), ("GC201", 15)]),
            ("hand_built_form.go", &[("GC203", 12), ("GC201", 13)]),
        ],
    );
}

#[test]
fn unset_env_vars_are_reported_not_guessed() {
    for (kind, name) in [("java", "EnvUnset.java"), ("go", "env_unset.go")] {
        let run = lint(&fixture(kind, name), &[]);
        let text = run.stdout.clone();
        assert!(text.contains("GC_UNSET_SECRET"), "{name}: {text}");
        assert!(
            run.finding_ids().iter().all(|i| i == "GC900"),
            "{name}: {text}"
        );
    }
}

#[test]
fn sdk_defaults_and_login_host_rules() {
    // Java's default base path, and its split-at-the-first-dot rule.
    let run = lint(
        &fixture("java", "SdkDefaultRegion.java"),
        &["--format", "text"],
    );
    assert!(
        run.stdout
            .contains("https://login.mypurecloud.com/oauth/token"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("default https://api.mypurecloud.com"),
        "{}",
        run.stdout
    );
    let run = lint(
        &fixture("java", "SdkBasePathWithoutApi.java"),
        &["--format", "text"],
    );
    assert!(
        run.stdout.contains("https://login.de/oauth/token"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(".withBasePath(PureCloudRegionHosts."),
        "{}",
        run.stdout
    );
    // Go keeps a base path without `api.` as it is.
    let run = lint(
        &fixture("go", "sdk_base_path_without_api.go"),
        &["--format", "text"],
    );
    assert!(
        run.stdout.contains("https://mypurecloud.ie/oauth/token"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("config.BasePath = \"https://api.mypurecloud.ie\""),
        "{}",
        run.stdout
    );
}

#[test]
fn corrected_request_in_the_language() {
    let run = lint(
        &fixture("go", "form_without_content_type.go"),
        &["--format", "text"],
    );
    assert!(
        run.stdout.contains("Corrected request (go)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("req.SetBasicAuth(os.Getenv(\"GENESYS_CLIENT_ID\")"),
        "{}",
        run.stdout
    );
    let run = lint(
        &fixture("java", "MissingContentType.java"),
        &["--format", "text"],
    );
    assert!(
        run.stdout.contains("Corrected request (java)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("HttpRequest.newBuilder()"),
        "{}",
        run.stdout
    );
}

// --- Leaks --------------------------------------------------------------------------------

const HARD: [&str; 4] = [
    "Qx7vLm2pK9sT4wYbRt5u",
    "Hj5rPq8zNc3xVb6mEe1w",
    "Wd4tYu7iOp2aSd9fGg3z",
    "Ab3dEf6hIj9kLm2nOp5q",
];

fn go_program(broken: bool) -> String {
    let tail = if broken { "(" } else { ")" };
    format!(
        "package main\n\nimport (\n\t\"net/http\"\n\t\"net/url\"\n\t\"strings\"\n)\n\nfunc main() {{\n\tclientSecret := \"{}\"\n\tdata := url.Values{{}}\n\tdata.Set(\"client_secret\", \"{}\")\n\tdata.Set(\"grant_type\", \"client_credentials\")\n\treq, _ := http.NewRequest(\"POST\", \"https://login.mypurecloud.com/oauth/token\", strings.NewReader(data.Encode()))\n\treq.SetBasicAuth(\"{ID}\", \"{}\")\n\t_ = clientSecret + mystery(\"{}\"{tail}\n\thttp.DefaultClient.Do(req)\n}}\n",
        HARD[0], HARD[1], HARD[2], HARD[3]
    )
}

fn java_program(broken: bool) -> String {
    let tail = if broken { "(;" } else { ";" };
    format!(
        "import okhttp3.*;\n\npublic class Leak {{\n    public static void main(String[] args) throws Exception {{\n        String clientSecret = \"{}\";\n        RequestBody form = new FormBody.Builder()\n            .add(\"grant_type\", \"client_credentials\")\n            .add(\"client_secret\", \"{}\")\n            .build();\n        Request request = new Request.Builder().url(\"https://login.mypurecloud.com/oauth/token\")\n            .header(\"Authorization\", Credentials.basic(\"{ID}\", \"{}\")).post(form).build(){tail}\n        var other = Map.of(\"client_secret\", \"{}\");\n    }}\n}}\n",
        HARD[0], HARD[1], HARD[2], HARD[3]
    )
}

#[test]
fn secrets_in_credential_positions_never_reach_any_output() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("leak.go", go_program(false)),
        ("broken.go", go_program(true)),
        ("Leak.java", java_program(false)),
        ("Broken.java", java_program(true)),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, &text).unwrap();
        let path = p.to_string_lossy().into_owned();
        for format in ["text", "json", "markdown"] {
            let out = dir.path().join(format!("{name}.{format}.out"));
            let out_s = out.to_string_lossy().into_owned();
            let run = lint(&path, &["--format", format, "--output", &out_s]);
            assert_no_secret_in(&format!("{}\n{}", run.stdout, run.stderr), &HARD);
            if let Ok(written) = std::fs::read_to_string(&out) {
                assert_no_secret_in(&written, &HARD);
            }
        }
        let sim = Sim::builtin("healthy");
        let flag = if name.ends_with(".go") {
            "--from-go"
        } else {
            "--from-java"
        };
        for format in ["text", "json"] {
            let mut c = gcdoctor();
            c.args([
                "diagnose",
                "--timeout",
                "5",
                "--format",
                format,
                flag,
                &path,
            ]);
            c.env("GCDOCTOR_CONNECT_TO", sim.addr());
            let run = capture(c.output().expect("runs"), &[]);
            assert_no_secret_in(&format!("{}\n{}", run.stdout, run.stderr), &HARD);
        }
    }
}

// --- Diagnose over the seam -----------------------------------------------------------------

fn program(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn creds() -> [(&'static str, &'static str); 2] {
    [
        ("GENESYS_CLIENT_ID", MAIN_ID),
        ("GENESYS_CLIENT_SECRET", MAIN_SECRET),
    ]
}

#[test]
fn java_sdk_in_the_wrong_region_names_with_base_path() {
    let sim = Sim::builtin("wrong-region");
    let path = fixture("java", "SdkRegionConstant.java");
    let run = diagnose_with(&sim, &["--from-java", &path], &creds(), None);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.cause(), Some("GC103"), "{}", run.stdout);
    let fix = run.json["cause"]["fix"].as_str().unwrap_or_default();
    assert!(
        fix.contains("`.withBasePath(PureCloudRegionHosts.eu_west_1)` (line 7)"),
        "{fix}"
    );
    assert!(
        fix.contains("https://login.mypurecloud.ie/oauth/token"),
        "{fix}"
    );
    let hosts = hosts_that_saw(&sim.requests(), MAIN_SECRET);
    assert!(only_login_hosts(&hosts), "{hosts:?}");
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn go_sdk_default_region_is_us_east_1_and_the_fix_sets_base_path() {
    let sim = Sim::builtin("wrong-region");
    let path = fixture("go", "sdk_default_region.go");
    let run = diagnose_with(&sim, &["--from-go", &path], &creds(), None);
    assert_eq!(run.cause(), Some("GC103"), "{}", run.stdout);
    assert_eq!(run.json["region"]["configured"], "us-east-1");
    let fix = run.json["cause"]["fix"].as_str().unwrap_or_default();
    assert!(
        fix.contains("config.BasePath = \"https://api.mypurecloud.ie\""),
        "{fix}"
    );
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn go_sdk_in_the_right_region_is_healthy() {
    let sim = Sim::builtin("healthy");
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("go", "sdk_region.go"))
        .unwrap()
        .replace("api.mypurecloud.com", "api.mypurecloud.ie");
    let path = program(&dir, "ok.go", &text);
    let run = diagnose_with(&sim, &["--from-go", &path], &creds(), None);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.json["verdict"], "healthy");
}

#[test]
fn go_form_without_content_type_is_proven() {
    let sim = Sim::builtin("healthy");
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("go", "form_without_content_type.go"))
        .unwrap()
        .replace("mypurecloud.com", "mypurecloud.ie");
    let path = program(&dir, "no_ct.go", &text);
    let run = diagnose_with(&sim, &["--from-go", &path], &creds(), None);
    assert_eq!(run.cause(), Some("GC302"), "{}", run.stdout);
    assert_no_leak(&run, &[MAIN_SECRET]);
}

#[test]
fn java_basic_header_and_body_families() {
    let sim = Sim::builtin("healthy");
    let dir = tempfile::tempdir().unwrap();
    for (name, cause) in [
        ("BearerScheme.java", "GC202"),
        ("OkHttpJsonBody.java", "GC301"),
        ("WrongGrantType.java", "GC303"),
    ] {
        let text = std::fs::read_to_string(fixture("java", name))
            .unwrap()
            .replace("mypurecloud.com", "mypurecloud.ie");
        let path = program(&dir, name, &text);
        // A header without the colon hides the secret: it is given as diagnose asks.
        let (_s, secret) = secret_file(MAIN_SECRET);
        let args = ["--from-java", &path, "--client-secret-file", &secret];
        let run = diagnose_with(&sim, &args, &creds(), None);
        assert_eq!(
            run.cause(),
            Some(cause),
            "{name}: {}\n{}",
            run.stdout,
            run.stderr
        );
        assert_no_leak(&run, &[MAIN_SECRET]);
    }
}

#[test]
fn from_detects_go_and_java_by_extension() {
    let sim = Sim::builtin("wrong-region");
    let path = fixture("go", "sdk_default_region.go");
    let run = diagnose_with(&sim, &["--from", &path], &creds(), None);
    assert_eq!(run.cause(), Some("GC103"), "{}\n{}", run.stdout, run.stderr);
    let fix = run.json["cause"]["fix"].as_str().unwrap_or_default();
    assert!(fix.contains("config.BasePath"), "read as Go: {fix}");
    let path = fixture("java", "SdkRegionConstant.java");
    let run = diagnose_with(&sim, &["--from", &path], &creds(), None);
    let fix = run.json["cause"]["fix"].as_str().unwrap_or_default();
    assert!(fix.contains(".withBasePath("), "read as Java: {fix}");
}

#[test]
fn lint_of_stdin_sniffs_go_and_java_by_content() {
    for (kind, name, lang) in [
        ("go", "form_without_content_type.go", "(go)"),
        ("java", "MissingContentType.java", "(java)"),
    ] {
        let text = std::fs::read_to_string(fixture(kind, name)).unwrap();
        let mut c = gcdoctor();
        c.args(["lint", "-"]).write_stdin(text);
        c.env("GENESYS_CLIENT_ID", ID)
            .env("GENESYS_CLIENT_SECRET", SECRET);
        let run = capture(c.output().expect("runs"), &[SECRET]);
        assert!(
            run.stdout.contains("GC302"),
            "{name}: {}\n{}",
            run.stdout,
            run.stderr
        );
        assert!(
            run.stdout.contains(&format!("Corrected request {lang}")),
            "{name}: {}",
            run.stdout
        );
    }
}
