//! Two defects that each block the token (issue 14, item 3): no single flip of the user's
//! request gets one, so gcdoctor fixes the defects together and finds the minimal set; the
//! report names the primary cause and the others as required findings.

mod common;
use common::*;

const EU: &str = "https://login.mypurecloud.ie/oauth/token";

fn run_file(sim: &Sim, name: &str, flag: &str, text: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    diagnose(sim, &[flag, p.to_str().unwrap()])
}

fn wrapped_basic() -> String {
    // base64.encodebytes: wrapped after 76 characters, with a final newline.
    use base64::Engine as _;
    let b = base64::engine::general_purpose::STANDARD.encode(format!("{MAIN_ID}:{MAIN_SECRET}"));
    format!("{}\\n{}", &b[..76], &b[76..])
}

fn assert_both_required(run: &Run) {
    assert_eq!(run.code, 1, "{}", run.stdout);
    let cause = run.cause().expect("a cause");
    assert!(["GC202", "GC301"].contains(&cause), "{cause}");
    for id in ["GC202", "GC301"] {
        let f = run
            .finding(id)
            .unwrap_or_else(|| panic!("{id}: {}", run.stdout));
        assert_eq!(f["severity"], "error", "{id}");
        assert!(
            f["evidence"]
                .to_string()
                .contains("each of these is needed"),
            "{id}: {}",
            f["evidence"]
        );
    }
    assert!(run.finding("GC900").is_none(), "{:?}", run.finding_ids());
}

#[test]
fn a_wrapped_basic_header_and_a_json_body_sent_with_python_are_both_named() {
    let sim = Sim::builtin("healthy");
    let py = format!(
        "import base64\nimport requests\n\nCLIENT_ID = \"{MAIN_ID}\"\nCLIENT_SECRET = \"{MAIN_SECRET}\"\nauth = base64.encodebytes(f\"{{CLIENT_ID}}:{{CLIENT_SECRET}}\".encode()).decode()\nresp = requests.post(\n    \"{EU}\",\n    headers={{\"Authorization\": \"Basic \" + auth}},\n    json={{\"grant_type\": \"client_credentials\"}},\n)\nprint(resp.json())\n"
    );
    let run = run_file(&sim, "token.py", "--from-python", &py);
    assert_both_required(&run);
    // The request as written could not go on the wire (a newline in a header): the fixes
    // were sent instead, and the secret went only to the login host.
    assert!(only_login_hosts(&hosts_that_saw(
        &sim.requests(),
        MAIN_SECRET
    )));
}

#[test]
fn a_wrapped_basic_header_and_a_json_body_sent_with_curl_are_both_named() {
    let sim = Sim::builtin("healthy");
    let curl = format!(
        "curl -X POST {EU} -H 'Authorization: Basic {}' -H 'Content-Type: application/json' -d '{{\"grant_type\":\"client_credentials\"}}'\n",
        wrapped_basic()
    );
    let run = run_file(&sim, "request.sh", "--from-curl", &curl);
    assert_both_required(&run);
}
