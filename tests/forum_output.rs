//! Output for forum posts and tickets, through the real binary: the corrected request in
//! diagnose reports, fix texts in the language of the user's input, `--brief`.

#[path = "common/report.rs"]
mod common;

use common::*;
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn a_diagnosis_the_request_can_fix_ends_with_the_corrected_request() {
    let sim = Sim::start("wrong-region");
    let out = sim.diagnose(
        MAIN_SECRET,
        &[
            "--client-id",
            MAIN_ID,
            "--region",
            "us-east-1",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["suggestion"]["language"], "curl");
    let text = v["suggestion"]["text"].as_str().unwrap();
    assert!(
        text.contains("https://login.mypurecloud.ie/oauth/token"),
        "{text}"
    );
    assert!(!text.contains(MAIN_SECRET));
    // The user's own request, corrected in its own language, to the region found.
    let dir = tempfile::tempdir().unwrap();
    let req = dir.path().join("token.sh");
    std::fs::write(
        &req,
        format!("curl -X POST https://login.mypurecloud.com/oauth/token -u \"{MAIN_ID}:$SECRET\" -d grant_type=client_credentials\n"),
    )
    .unwrap();
    let out = sim.diagnose(
        MAIN_SECRET,
        &["--from-curl", req.to_str().unwrap(), "--format", "text"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let s = stdout(&out);
    let corrected = &s[s
        .find("Corrected request (curl)")
        .expect("a corrected request")..];
    assert!(corrected.contains("login.mypurecloud.ie"), "{corrected}");
}

#[test]
fn no_corrected_request_when_the_request_is_not_the_problem() {
    let sim = Sim::start("wrong-secret");
    let admin = tempfile::tempdir().unwrap();
    let admin_file = admin.path().join("admin.txt");
    std::fs::write(&admin_file, ADMIN_SECRET).unwrap();
    let out = sim.diagnose(
        OLD_SECRET,
        &[
            "--client-id",
            MAIN_ID,
            "--region",
            "eu-west-1",
            "--admin-client-id",
            ADMIN_ID,
            "--admin-client-secret-file",
            admin_file.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let v = json(&out);
    assert_eq!(v["cause"]["id"], "GC205", "{v}");
    assert_eq!(v["suggestion"], Value::Null);
    let sim = Sim::start("healthy");
    let out = sim.diagnose(
        MAIN_SECRET,
        &[
            "--client-id",
            MAIN_ID,
            "--region",
            "eu-west-1",
            "--format",
            "json",
        ],
    );
    assert_eq!(json(&out)["suggestion"], Value::Null);
}

#[test]
fn fixes_speak_the_language_of_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let curl = dir.path().join("enc.sh");
    std::fs::write(&curl, "curl -X POST https://login.mypurecloud.ie/oauth/token -d \"grant_type=client_credentials&client_id=$ID&client_secret=$SECRET\"\n").unwrap();
    let out = gcdoctor()
        .env("ID", MAIN_ID)
        .env("SECRET", WALLBOARD_SECRET)
        .args(["lint", "--format", "json"])
        .arg(&curl)
        .output()
        .unwrap();
    let v = json(&out);
    let gc203 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "GC203")
        .expect("GC203");
    let fix = gc203["fix"].as_str().unwrap();
    assert!(!fix.contains("dict") && fix.contains("-u "), "{fix}");

    let js = dir.path().join("token.js");
    std::fs::write(&js, "const axios = require('axios');\naxios.post('https://login.mypurecloud.ie/oauth/token', { grant_type: 'client_credentials' }, { auth: { username: process.env.ID, password: process.env.SECRET } });\n").unwrap();
    let out = gcdoctor()
        .args(["lint", "--format", "json"])
        .arg(&js)
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["cause"]["id"], "GC301", "{v}");
    let fix = v["cause"]["fix"].as_str().unwrap();
    assert!(fix.contains("URLSearchParams"), "{fix}");
    assert!(!fix.contains("requests") && !fix.contains("curl"), "{fix}");
}
