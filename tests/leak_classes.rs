//! The twelve ways a secret got out (issue 13), each as a class, through the real binary.
//!
//! Every test plants secrets the code under test has never seen, runs `gcdoctor` the way a
//! user would (lint in every format, diagnose over the seam to the simulator, usage errors,
//! the progress display on a pseudo-terminal) and scans everything it printed with the strict
//! scanner of `leaks`: no run of 8 characters of a secret in any encoding.

mod common;
mod leaks;
use common::*;

const FORMATS: [&str; 4] = ["text", "markdown", "json", "junit"];

/// stdout and stderr of a run, one text.
fn all(o: &std::process::Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Writes an input file and lints it in every format; diagnoses it over the seam (verbose
/// text, every exchange shown) too; scans every output.
fn check_input(name: &str, text: &str, env: &[(&str, &str)], secrets: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    let p = p.to_string_lossy().into_owned();
    for f in FORMATS {
        let mut c = gcdoctor();
        c.args(["lint", &p, "--format", f])
            .envs(env.iter().copied());
        let o = c.output().unwrap();
        leaks::assert_clean(&format!("lint {name} --format {f}"), &all(&o), secrets);
    }
    let sim = Sim::builtin("healthy");
    let (_d, secret_file) = secret_file(MAIN_SECRET);
    // As it is (the run may stop at a missing credential: its message is scanned too), and
    // with the credentials the input may lack given on the command line (a report is written).
    let given: [&[&str]; 2] = [
        &[],
        &["--client-id", MAIN_ID, "--client-secret-file", &secret_file],
    ];
    for extra in given {
        for f in ["text", "json"] {
            let mut c = gcdoctor();
            c.args(["diagnose", leaks::from_flag(name), &p, "--format", f, "-v"])
                .args(["--timeout", "5"])
                .args(extra)
                .env("GCDOCTOR_CONNECT_TO", sim.addr())
                .envs(env.iter().copied());
            let o = c.output().unwrap();
            if !extra.is_empty() {
                assert_ne!(o.status.code(), Some(2), "{name}: {}", all(&o));
            }
            leaks::assert_clean(
                &format!("diagnose {name} {extra:?} --format {f}"),
                &all(&o),
                secrets,
            );
        }
    }
}

const SPLIT: &str = "Qm7+tR2&zK9=pL4wXyZ&aB3/cD5%eF";

#[test]
fn class_01_a_secret_split_by_an_ampersand() {
    let id = MAIN_ID;
    let s = SPLIT;
    check_input(
        "form.curl",
        &format!(
            "curl -X POST https://login.mypurecloud.ie/oauth/token -d \"grant_type=client_credentials&client_id={id}&client_secret={s}\"\n"
        ),
        &[],
        &[s],
    );
    check_input(
        "query.curl",
        &format!(
            "curl -X POST 'https://login.mypurecloud.ie/oauth/token?grant_type=client_credentials&client_id={id}&client_secret={s}'\n"
        ),
        &[],
        &[s],
    );
    check_input(
        "fstring.py",
        &format!(
            "import requests\nsecret = \"{s}\"\nr = requests.post(\"https://login.mypurecloud.ie/oauth/token\", data=f\"grant_type=client_credentials&client_id={id}&client_secret={{secret}}\", headers={{\"Content-Type\": \"application/x-www-form-urlencoded\"}})\n"
        ),
        &[],
        &[s],
    );
    check_input(
        "template.js",
        &format!(
            "const secret = '{s}';\nconst r = await fetch('https://login.mypurecloud.ie/oauth/token', {{ method: 'POST', headers: {{ 'Content-Type': 'application/x-www-form-urlencoded' }}, body: `grant_type=client_credentials&client_id={id}&client_secret=${{secret}}` }});\n"
        ),
        &[],
        &[s],
    );
    let har = serde_json::json!({"log": {"entries": [{"request": {
        "method": "POST", "url": "https://login.mypurecloud.ie/oauth/token",
        "headers": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
        "postData": {"mimeType": "application/x-www-form-urlencoded",
            "text": format!("grant_type=client_credentials&client_id={id}&client_secret={s}")}
    }, "response": {"status": 401}}]}});
    check_input("session.har", &har.to_string(), &[], &[s]);
    check_input(
        "env.curl",
        &format!(
            "curl -X POST https://login.mypurecloud.ie/oauth/token -d \"grant_type=client_credentials&client_id={id}&client_secret=$LEAKY_SECRET\"\n"
        ),
        &[("LEAKY_SECRET", s)],
        &[s],
    );
}

#[test]
fn class_02_and_06_the_progress_display_and_the_token_url_check() {
    let sim = Sim::builtin("healthy");
    let (_d, f) = secret_file(MAIN_SECRET);
    let old = "Ow4LdSecRet7Vq2Zx9Kp";
    let tok = "AcT0kEn5Rq8Wm3Zp1Yx";
    let url =
        format!("https://login.mypurecloud.ie/oauth/token?client_secret={old}&access_token={tok}");
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("gcdoctor"));
    c.args([
        "diagnose",
        "--client-id",
        MAIN_ID,
        "--client-secret-file",
        &f,
        "--region",
        "eu-west-1",
        "--token-url",
        &url,
        "--timeout",
        "5",
    ])
    .env("GCDOCTOR_CONNECT_TO", sim.addr())
    .env("TERM", "xterm")
    .env("NO_COLOR", "1")
    .env_remove("RUST_BACKTRACE");
    let (_code, out, term) = leaks::on_pty(c);
    // The display was drawn: the test sees what a terminal shows.
    assert!(
        term.contains("Token URL") || term.contains("token"),
        "{term}"
    );
    leaks::assert_clean("progress display", &term, &[old, tok, MAIN_SECRET]);
    leaks::assert_clean("report", &out, &[old, tok, MAIN_SECRET]);
    // Short values in the same places are masked by position.
    let url = "https://login.mypurecloud.ie/oauth/token?client_secret=Zq8";
    let r = diagnose(
        &sim,
        &[
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
            "--token-url",
            url,
        ],
    );
    assert!(!r.stdout.contains("Zq8"), "{}", r.stdout);
}

#[test]
fn class_03_a_secret_inside_an_expression_gcdoctor_cannot_evaluate() {
    let a = "Ex4mPleS3cretLit9";
    let b = "0therBr4nchVal7Q";
    check_input(
        "ternary.py",
        &format!(
            "import requests, os\nc = os.environ.get('X')\nsecret = \"{a}\" if c else \"{b}\"\nrequests.post('https://login.mypurecloud.ie/oauth/token', data={{'grant_type': 'client_credentials'}}, auth=('{MAIN_ID}', secret))\n"
        ),
        &[],
        &[a, b],
    );
    check_input(
        "nullish.js",
        &format!(
            "const axios = require('axios');\nconst secret = getSecret() ?? '{a}';\naxios.post('https://login.mypurecloud.ie/oauth/token', new URLSearchParams({{ grant_type: 'client_credentials' }}), {{ auth: {{ username: '{MAIN_ID}', password: secret }} }});\n"
        ),
        &[],
        &[a],
    );
    check_input(
        "concat.py",
        &format!(
            "import requests\nrequests.post('https://login.mypurecloud.ie/oauth/token', data={{'grant_type': 'client_credentials', 'client_id': '{MAIN_ID}', 'client_secret': \"{a}\" + load_rest()}})\n"
        ),
        &[],
        &[a],
    );
}

#[test]
fn class_04_userinfo_in_a_url() {
    let s = "Us3rInf0Secr3tVal";
    check_input(
        "userinfo.curl",
        &format!(
            "curl -X POST 'https://{MAIN_ID}:{s}@login.mypurecloud.ie/oauth/token' -d grant_type=client_credentials\n"
        ),
        &[],
        &[s],
    );
    let sim = Sim::builtin("healthy");
    let (_d, f) = secret_file(MAIN_SECRET);
    let url = format!("https://{MAIN_ID}:{s}@login.mypurecloud.ie/oauth/token");
    for fmt in FORMATS {
        let o = gcdoctor()
            .args([
                "diagnose",
                "--client-id",
                MAIN_ID,
                "--client-secret-file",
                &f,
                "--token-url",
                &url,
                "--format",
                fmt,
                "-v",
            ])
            .env("GCDOCTOR_CONNECT_TO", sim.addr())
            .output()
            .unwrap();
        leaks::assert_clean(&format!("--token-url userinfo {fmt}"), &all(&o), &[s]);
    }
}

#[test]
fn class_05_batch_files() {
    let dir = tempfile::tempdir().unwrap();
    let s = "B4tchS3cretInRegion";
    let sim = Sim::builtin("healthy");
    let run = |body: &str, env: &[(&str, &str)]| {
        let p = dir.path().join("clients.txt");
        std::fs::write(&p, body).unwrap();
        let mut outs = String::new();
        for fmt in FORMATS {
            let o = gcdoctor()
                .args([
                    "diagnose",
                    "--clients",
                    &p.to_string_lossy(),
                    "--format",
                    fmt,
                ])
                .env("GCDOCTOR_CONNECT_TO", sim.addr())
                .envs(env.iter().copied())
                .output()
                .unwrap();
            outs.push_str(&all(&o));
        }
        outs
    };
    // A secret where the region goes.
    let out = run(
        &format!("{MAIN_ID} {s} env:BATCH_SECRET\n"),
        &[("BATCH_SECRET", MAIN_SECRET)],
    );
    leaks::assert_clean("batch region", &out, &[s]);
    // A secret written as the variable or file name.
    let out = run(&format!("{MAIN_ID} eu-west-1 env:{s}\n"), &[]);
    leaks::assert_clean("batch env:", &out, &[s]);
    let out = run(&format!("{MAIN_ID} eu-west-1 file:{s}\n"), &[]);
    leaks::assert_clean("batch file:", &out, &[s]);
    // Id and secret swapped: the "id" is the secret.
    let out = run(
        &format!("{s} eu-west-1 env:BATCH_SECRET\n"),
        &[("BATCH_SECRET", MAIN_ID)],
    );
    leaks::assert_clean("batch swapped", &out, &[s]);
}

#[test]
fn class_07_syntax_errors_do_not_quote_a_secret() {
    let s = "Synt4xErrS3cretV4l";
    let cases = [
        (
            "unterminated.js",
            format!(
                "const axios = require('axios');\nconst clientSecret = '{s}\naxios.post(x, {{}});\n"
            ),
        ),
        // A string in no credential position (a variable named `s`): a syntax-error quote
        // shows the code, never a string's text.
        ("short_name.js", format!("const s = '{s}\n")),
        ("only_secret.http", format!("{s}\n\n")),
        (
            "unquoted.py",
            format!(
                "import requests\nclient_secret = {s}+/=\nrequests.post('https://login.mypurecloud.ie/oauth/token', data={{'client_secret': client_secret)\n"
            ),
        ),
    ];
    for (name, text) in cases {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, &text).unwrap();
        for cmd in [
            vec!["lint", p.to_str().unwrap()],
            vec![
                "diagnose",
                leaks::from_flag(name),
                p.to_str().unwrap(),
                "--client-id",
                MAIN_ID,
            ],
        ] {
            let o = gcdoctor()
                .args(&cmd)
                .env("GCDOCTOR_CONNECT_TO", "127.0.0.1:9")
                .output()
                .unwrap();
            leaks::assert_clean(&format!("{name} {cmd:?}"), &all(&o), &[s]);
        }
    }
}

#[test]
fn class_08_env_file_errors_do_not_quote_a_value() {
    let s = "weKRo+hNskTY/1SFpjip=MAbvQP3dr";
    let dir = tempfile::tempdir().unwrap();
    for body in [
        format!("{s}\n"),
        format!("GENESYSCLOUD_OAUTHCLIENT_SECRET {s}\n"),
        format!("{s}=x\n"),
    ] {
        let p = dir.path().join(".env");
        std::fs::write(&p, &body).unwrap();
        let o = gcdoctor()
            .args([
                "diagnose",
                "--env-file",
                p.to_str().unwrap(),
                "--client-id",
                MAIN_ID,
            ])
            .env("GCDOCTOR_CONNECT_TO", "127.0.0.1:9")
            .output()
            .unwrap();
        leaks::assert_clean(".env error", &all(&o), &[s]);
    }
}

#[test]
fn class_09_usage_errors_do_not_echo_a_secret() {
    let s = "Us4geS3cretPl4ced";
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("missing-dir").join(s);
    let out = out.to_string_lossy().into_owned();
    let (_d, f) = secret_file(s);
    let dashed = format!("--{s}");
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            s,
        ],
        vec![
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--admin-token-file",
            s,
        ],
        vec![
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--region",
            "eu-west-1",
            "-o",
            &out,
        ],
        vec![
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--token-url",
            s,
        ],
        vec![
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--check-api",
            s,
        ],
        vec![
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret",
            &dashed,
        ],
        vec!["diagnose", "--client-id", MAIN_ID, s],
        // A secret where the region goes (and in the environment's region variable).
        vec![
            "diagnose",
            "--client-id",
            MAIN_ID,
            "--client-secret-file",
            &f,
            "--region",
            s,
        ],
    ];
    let sim = Sim::builtin("healthy");
    for args in cases {
        let o = gcdoctor()
            .args(&args)
            .env("GCDOCTOR_CONNECT_TO", sim.addr())
            .env_remove("RUST_BACKTRACE")
            .output()
            .unwrap();
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        leaks::assert_clean(&format!("{args:?}"), &all(&o), &[s]);
    }
}

/// A server that answers every request with `body` (status 401, HTML).
fn reflecting_server(body: String) -> String {
    use std::io::{Read as _, Write as _};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { continue };
            let mut buf = [0u8; 65536];
            let _ = s.set_read_timeout(Some(std::time::Duration::from_millis(300)));
            let _ = s.read(&mut buf);
            let head = format!(
                "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(body.as_bytes());
        }
    });
    addr
}

#[test]
fn class_10_a_server_that_reflects_the_secret() {
    let s = PLUS_SECRET;
    let html: String = s
        .chars()
        .map(|c| match c {
            '+' => "&#43;".to_string(),
            '/' => "&#x2F;".to_string(),
            c => c.to_string(),
        })
        .collect();
    // Padding so the plain echo is cut by the 4 KiB display limit in the middle of it.
    let pad = "x".repeat(4096 - 20);
    let body = format!("<p>{html}</p><p>{}</p>{pad}{s}{s}", &s[..20]);
    let addr = reflecting_server(body);
    let (_d, f) = secret_file(s);
    for fmt in FORMATS {
        let o = gcdoctor()
            .args([
                "diagnose",
                "--client-id",
                PLUS_ID,
                "--client-secret-file",
                &f,
                "--region",
                "eu-west-1",
                "--format",
                fmt,
                "-v",
                "--timeout",
                "3",
            ])
            .env("GCDOCTOR_CONNECT_TO", &addr)
            .output()
            .unwrap();
        leaks::assert_clean(&format!("reflected {fmt}"), &all(&o), &[s]);
    }
}

#[test]
fn class_11_short_secrets_are_masked_by_position() {
    let sim = Sim::builtin("healthy");
    for s in ["Q", "Zq", "Zq8"] {
        let dir = tempfile::tempdir().unwrap();
        let body = dir.path().join("body.curl");
        std::fs::write(&body, format!("curl -X POST https://login.mypurecloud.ie/oauth/token -d 'grant_type=client_credentials&client_id={MAIN_ID}&client_secret={s}'\n")).unwrap();
        let query = dir.path().join("query.curl");
        std::fs::write(&query, format!("curl -X POST 'https://login.mypurecloud.ie/oauth/token?client_secret={s}' -d 'grant_type=client_credentials&client_id={MAIN_ID}'\n")).unwrap();
        for p in [&body, &query] {
            let p = p.to_str().unwrap();
            let runs = [
                gcdoctor()
                    .args(["diagnose", "--from-curl", p, "-v", "--format", "text"])
                    .env("GCDOCTOR_CONNECT_TO", sim.addr())
                    .output()
                    .unwrap(),
                gcdoctor().args(["lint", p]).output().unwrap(),
                gcdoctor()
                    .args(["lint", p, "--format", "json"])
                    .output()
                    .unwrap(),
            ];
            for o in runs {
                let text = all(&o);
                for shown in [
                    format!("client_secret={s}"),
                    format!("client_secret%3D{s}"),
                    format!("\"{s}\""),
                ] {
                    assert!(!text.contains(&shown), "{p}: {shown}:\n{text}");
                }
            }
        }
    }
}

#[test]
fn class_12_secret_bearing_names_outside_the_list() {
    for name in [
        "clientsecret",
        "secret_key",
        "ClientSecret",
        "api_key",
        "client-secret",
    ] {
        let s = "N4meOutsideL1stVal";
        check_input(
            "names.curl",
            &format!(
                "curl -X POST https://login.mypurecloud.ie/oauth/token -d 'grant_type=client_credentials&client_id={MAIN_ID}&{name}={s}'\n"
            ),
            &[],
            &[s],
        );
        let short = "Sk3";
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("short.curl");
        std::fs::write(&p, format!("curl -X POST https://login.mypurecloud.ie/oauth/token -d 'grant_type=client_credentials&{name}={short}'\n")).unwrap();
        let o = gcdoctor()
            .args(["lint", p.to_str().unwrap(), "--format", "json"])
            .output()
            .unwrap();
        assert!(!all(&o).contains(&format!("{name}={short}")), "{}", all(&o));
    }
}
