//! Proof by intent (issue 14, items 1 and 2): the request's meant credentials differ from the
//! ones sent (a raw `&` splits a form body, the shell expands `$Cd` away inside double
//! quotes); gcdoctor sends the canonical request with the meant values, and the token it gets
//! proves the mangling cause, said by structure, never by value.

mod common;
use common::*;

const EU: &str = "https://login.mypurecloud.ie/oauth/token";
const AMP_ID: &str = "3d5f7a9b-1c2e-4f60-8a1b-2c3d4e5f6a7b";
/// A secret with a raw `&` at index 7 (0-based): a form parser keeps the first 7 characters.
const AMP_SECRET: &str = "Xk29fQ7&mLp4Rt8Wz1Vb6Nc3Hd5Jg0Ys2Qa7Ue9Ti1";
const DOLLAR_ID: &str = "4e6a8b0c-2d3f-4a71-9b2c-3d4e5f6a7b8c";
/// A secret with `$Cd` at index 2: inside double quotes the shell expands `$Cd` to nothing.
const DOLLAR_SECRET: &str = "ab$Cd9fQ7mLp4Rt8Wz1Vb6Nc3Hd5Jg0Ys2Qa7Ue9Ti";

const MIX_ID: &str = "5f7b9c1d-3e4a-4b82-8c3d-4e5f6a7b8c9d";
/// A secret that form decoding changes three ways: `+` at 8, `%41` at 16 and `&` at 23.
const MIX_SECRET: &str = "Xk29fQ7+mLp4Rt8%41z1Vb&6Nc3Hd5Jg0Ys2Qa7Ue9Ti";

fn sim() -> Sim {
    let client = |id: &str, secret: &str| {
        format!(
            "[[clients]]\nid = \"{id}\"\nsecret = '{secret}'\nregion = \"eu-west-1\"\nname = \"Mangled\"\ngrant = \"CLIENT-CREDENTIALS\"\nstate = \"active\"\nroles = [\"Reporting Reader\"]\nvalidity_secs = 86400\n"
        )
    };
    Sim::builtin_plus(
        "healthy",
        &format!(
            "{}\n{}\n{}",
            client(AMP_ID, AMP_SECRET),
            client(DOLLAR_ID, DOLLAR_SECRET),
            client(MIX_ID, MIX_SECRET)
        ),
    )
}

fn run_file(sim: &Sim, name: &str, flag: &str, text: &str, env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    diagnose_with(sim, &[flag, p.to_str().unwrap()], env, None)
}

fn evidence(run: &Run, id: &str) -> String {
    run.finding(id)
        .unwrap_or_else(|| panic!("{id} in {:?}: {}", run.finding_ids(), run.stdout))["evidence"]
        .to_string()
}

fn assert_proved_by_intent(run: &Run, secret: &str, sent_len: usize) {
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.cause(), Some("GC203"), "{}", run.stdout);
    assert!(run.finding("GC900").is_none(), "{:?}", run.finding_ids());
    let ev = evidence(run, "GC203");
    assert!(ev.contains("as written got a token"), "{ev}");
    let of = format!("as sent ({sent_len} of {} characters)", secret.len());
    assert!(ev.contains(&of), "{ev}");
    assert_no_leak(run, &[secret, &secret[..sent_len], &secret[sent_len..]]);
}

#[test]
fn a_raw_ampersand_in_a_curl_form_body_is_gc203_proved_by_the_secret_as_written() {
    let sim = sim();
    let curl = format!(
        "curl -X POST {EU} -H 'Content-Type: application/x-www-form-urlencoded' -d 'grant_type=client_credentials&client_id={AMP_ID}&client_secret={AMP_SECRET}'\n"
    );
    let run = run_file(&sim, "request.sh", "--from-curl", &curl, &[]);
    assert_proved_by_intent(&run, AMP_SECRET, 7);
    let ev = evidence(&run, "GC203");
    assert!(ev.contains("`&` at 8 ends the value"), "{ev}");
    assert!(only_login_hosts(&hosts_that_saw(
        &sim.requests(),
        AMP_SECRET
    )));
}

#[test]
fn a_dollar_in_a_double_quoted_curl_user_is_expanded_away_and_proved_gc203() {
    let sim = sim();
    let curl = format!(
        "curl -X POST {EU} -u \"$CLIENT_ID:{DOLLAR_SECRET}\" -d grant_type=client_credentials\n"
    );
    let run = run_file(
        &sim,
        "token.sh",
        "--from-curl",
        &curl,
        &[("CLIENT_ID", DOLLAR_ID)],
    );
    assert_proved_by_intent(&run, DOLLAR_SECRET, 2);
    let ev = evidence(&run, "GC203");
    assert!(ev.contains("`$` at 3 starts a shell expansion"), "{ev}");
    assert!(ev.contains("double quotes"), "{ev}");
    assert!(only_login_hosts(&hosts_that_saw(
        &sim.requests(),
        DOLLAR_SECRET
    )));
}

#[test]
fn single_quotes_keep_the_dollar_and_the_request_is_healthy() {
    let sim = sim();
    let curl = format!(
        "curl -X POST {EU} -u '{DOLLAR_ID}:{DOLLAR_SECRET}' -d grant_type=client_credentials\n"
    );
    let run = run_file(&sim, "token.sh", "--from-curl", &curl, &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json["verdict"], "healthy", "{}", run.stdout);
}

#[test]
fn an_escaped_dollar_in_double_quotes_is_kept() {
    let sim = sim();
    let escaped = DOLLAR_SECRET.replace('$', "\\$");
    let curl = format!(
        "curl -X POST {EU} -u \"{DOLLAR_ID}:{escaped}\" -d grant_type=client_credentials\n"
    );
    let run = run_file(&sim, "token.sh", "--from-curl", &curl, &[]);
    assert_eq!(run.json["verdict"], "healthy", "{}", run.stdout);
}

#[test]
fn a_raw_ampersand_in_a_raw_http_request_file_is_gc203() {
    let sim = sim();
    let body =
        format!("grant_type=client_credentials&client_id={AMP_ID}&client_secret={AMP_SECRET}");
    let http = format!(
        "POST /oauth/token HTTP/1.1\r\nHost: login.mypurecloud.ie\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let run = run_file(&sim, "token.http", "--from-http", &http, &[]);
    assert_proved_by_intent(&run, AMP_SECRET, 7);
}

#[test]
fn a_raw_ampersand_in_a_har_post_data_text_is_gc203() {
    let sim = sim();
    let body =
        format!("grant_type=client_credentials&client_id={AMP_ID}&client_secret={AMP_SECRET}");
    let har = serde_json::json!({"log": {"version": "1.2", "entries": [{
        "request": {
            "method": "POST",
            "url": EU,
            "httpVersion": "HTTP/1.1",
            "headers": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
            "queryString": [],
            "cookies": [],
            "headersSize": -1,
            "bodySize": body.len(),
            "postData": {"mimeType": "application/x-www-form-urlencoded", "text": body}
        },
        "response": {"status": 400, "statusText": "Bad Request", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [], "content": {"size": 0, "mimeType": "application/json"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0},
        "startedDateTime": "2026-01-01T00:00:00Z", "time": 0
    }]}});
    let run = run_file(&sim, "token.har", "--from-har", &har.to_string(), &[]);
    assert_proved_by_intent(&run, AMP_SECRET, 7);
}

/// A secret written unencoded into a form body that a script builds (an f-string, a template
/// literal, a concatenation) from an environment variable: the server form-decodes it (`+` a
/// space, `%41` one character, `&` the end), whatever the language. The text as written is
/// what the author meant, and a token for it proves GC203.
#[test]
fn a_secret_interpolated_raw_into_a_script_form_body_is_gc203_proved_as_written() {
    let sim = sim();
    let env = [
        ("GENESYS_CLIENT_ID", MIX_ID),
        ("GENESYS_CLIENT_SECRET", MIX_SECRET),
    ];
    let python = format!(
        "import os, requests\ncid = os.environ['GENESYS_CLIENT_ID']\nsec = os.getenv('GENESYS_CLIENT_SECRET')\nbody = f'grant_type=client_credentials&client_id={{cid}}&client_secret={{sec}}'\nr = requests.post('{EU}', data=body, headers={{'Content-Type': 'application/x-www-form-urlencoded'}})\n"
    );
    let js = format!(
        "const id = process.env.GENESYS_CLIENT_ID;\nconst secret = process.env.GENESYS_CLIENT_SECRET;\nfetch('{EU}', {{ method: 'POST', headers: {{ 'Content-Type': 'application/x-www-form-urlencoded' }}, body: 'grant_type=client_credentials&client_id=' + id + '&client_secret=' + secret }});\n"
    );
    for (name, flag, text) in [
        ("token.py", "--from-python", python),
        ("token.js", "--from-js", js),
    ] {
        let run = run_file(&sim, name, flag, &text, &env);
        assert_eq!(run.cause(), Some("GC203"), "{name}: {}", run.stdout);
        let ev = evidence(&run, "GC203");
        assert!(ev.contains("as written got a token"), "{name}: {ev}");
        // The server reads the 22 characters before the `&`, `%41` as one: 20.
        assert!(ev.contains("as sent (20 of 44 characters)"), "{name}: {ev}");
        let summary = run.finding("GC203").unwrap()["summary"].to_string();
        for part in [
            "`&` at 23 ends it",
            "1 `+` read as space",
            "1 `%XX` sequence",
        ] {
            assert!(summary.contains(part), "{name}: {summary}");
        }
        assert_no_leak(&run, &[MIX_SECRET, &MIX_SECRET[..22], &MIX_SECRET[23..]]);
    }
}

/// The same three manglings in a curl form body, written by hand.
#[test]
fn a_secret_mangled_three_ways_in_a_curl_form_body_is_gc203() {
    let sim = sim();
    let curl = format!(
        "curl -X POST {EU} -d 'grant_type=client_credentials&client_id={MIX_ID}&client_secret={MIX_SECRET}'\n"
    );
    let run = run_file(&sim, "request.sh", "--from-curl", &curl, &[]);
    assert_eq!(run.cause(), Some("GC203"), "{}", run.stdout);
    let ev = evidence(&run, "GC203");
    assert!(ev.contains("as sent (20 of 44 characters)"), "{ev}");
    assert_no_leak(&run, &[MIX_SECRET, &MIX_SECRET[..22], &MIX_SECRET[23..]]);
}

/// The importer already reads a raw `+` as meant, so the canonical request gets a token and
/// the flip of the encoding proves GC203: no extra request with the credentials as written.
#[test]
fn a_raw_plus_in_a_curl_form_body_is_proved_by_the_encoding_flip_without_an_intent_request() {
    let sim = Sim::builtin("secret-encoding");
    let curl = format!(
        "curl -X POST {EU} -d \"grant_type=client_credentials&client_id={PLUS_ID}&client_secret={PLUS_SECRET}\"\n"
    );
    let run = run_file(&sim, "request.sh", "--from-curl", &curl, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.cause(), Some("GC203"), "{}", run.stdout);
    let ev = evidence(&run, "GC203");
    assert!(
        ev.contains("only the secret encoding made canonical"),
        "{ev}"
    );
    assert!(ev.contains("sent raw: the server reads a space"), "{ev}");
    assert!(
        !run.stdout.contains("credentials as written"),
        "{}",
        run.stdout
    );
    assert_no_leak(&run, &[PLUS_SECRET, &PLUS_SECRET.replace('+', " ")]);
}

/// `lint` reads the same intent: the cut secret is an error with its structure, offline.
#[test]
fn lint_names_a_secret_cut_by_a_raw_ampersand_or_a_shell_expansion() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, needle, secret) in [
        (
            "amp.sh",
            format!(
                "curl -X POST {EU} -d 'grant_type=client_credentials&client_id={AMP_ID}&client_secret={AMP_SECRET}'\n"
            ),
            "`&` at 8 ends the value",
            AMP_SECRET,
        ),
        (
            "dollar.sh",
            format!(
                "curl -X POST {EU} -u \"$CLIENT_ID:{DOLLAR_SECRET}\" -d grant_type=client_credentials\n"
            ),
            "as the server reads it: 2 chars",
            DOLLAR_SECRET,
        ),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let out = gcdoctor()
            .env("CLIENT_ID", DOLLAR_ID)
            .args(["lint", "--format", "json", p.to_str().unwrap()])
            .output()
            .unwrap();
        let run = capture(out, &[secret]);
        assert_eq!(run.cause(), Some("GC203"), "{name}: {}", run.stdout);
        assert_eq!(run.code, 1, "{name}: {}", run.stdout);
        let ev = evidence(&run, "GC203");
        assert!(ev.contains(needle), "{name}: {ev}");
        assert_no_leak(&run, &[secret]);
    }
}

/// A Basic header built wrong from the right values: the credentials the author meant are the
/// ones the script names (`id + secret` without the `:`, Python's bytes `b'…'` formatted into
/// the header). gcdoctor reads them as meant, the canonical request with them gets a token,
/// and GC202 is proved; the words that build the header (`Basic`, `base64`) stay readable.
#[test]
fn a_basic_header_built_wrong_from_named_credentials_is_gc202_proved_with_them() {
    let sim = Sim::builtin("healthy");
    let env = [("CLIENT_ID", MAIN_ID), ("CLIENT_SECRET", MAIN_SECRET)];
    let js = format!(
        "const id = process.env.CLIENT_ID, secret = process.env.CLIENT_SECRET;\nfetch('{EU}', {{ method: 'POST', headers: {{ Authorization: 'Basic ' + Buffer.from(id + secret).toString('base64'), 'Content-Type': 'application/x-www-form-urlencoded' }}, body: 'grant_type=client_credentials' }});\n"
    );
    let python = format!(
        "import os, base64, requests\ncid = os.environ['CLIENT_ID']\nsec = os.environ['CLIENT_SECRET']\nauth = base64.b64encode(f'{{cid}}:{{sec}}'.encode('utf-8'))\nrequests.post('{EU}', headers={{'Authorization': f'Basic {{auth}}'}}, data={{'grant_type': 'client_credentials'}})\n"
    );
    for (name, flag, text, why) in [
        ("token.js", "--from-js", js, "no `:`"),
        ("token.py", "--from-python", python, "`b'…'`"),
    ] {
        let run = run_file(&sim, name, flag, &text, &env);
        assert_eq!(run.code, 1, "{name}: {}{}", run.stdout, run.stderr);
        assert_eq!(run.cause(), Some("GC202"), "{name}: {}", run.stdout);
        let f = run.finding("GC202").unwrap();
        assert_eq!(f["proven"], true, "{name}: {f}");
        let summary = f["summary"].as_str().unwrap();
        assert!(summary.contains(why), "{name}: {summary}");
        assert!(
            !run.stdout.contains("<redacted> "),
            "{name}: {}",
            run.stdout
        );
        assert!(f["fix"].as_str().unwrap().contains("Basic "), "{name}: {f}");
        assert!(f["fix"].as_str().unwrap().contains("base64"), "{name}: {f}");
        assert!(run.stdout.contains(MAIN_ID), "{name}: the id as meant");
        assert_no_leak(&run, &[MAIN_SECRET]);
    }
}
