//! `--from-curl`: curl commands as people paste them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gcdoctor::import::{self, WHAT_BODY, WHAT_SECRET};
use gcdoctor::request::{CredLocation, ImportedRequest, InputKind, Part, ValueOrigin};

const ID: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";
const SECRET: &str = "k7Qp-2xZ_9vLmN4sT8wYbR1cE6fH3jU5oI0aD-gKl";

fn no_env(_: &str) -> Option<String> {
    None
}

fn env(name: &str) -> Option<String> {
    match name {
        "GENESYS_CLIENT_ID" => Some(ID.into()),
        "GENESYS_CLIENT_SECRET" => Some(SECRET.into()),
        _ => None,
    }
}

fn curl(text: &str) -> ImportedRequest {
    import::parse(text, InputKind::Curl, "cmd.txt", &no_env).unwrap_or_else(|e| panic!("{e}"))
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/curl/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

#[test]
fn user_flag_with_env_vars_set() {
    let imp = import::parse(&fixture("u_flag_env.curl"), InputKind::Curl, "u.curl", &env).unwrap();
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(r.header("authorization"), Some(basic(ID, SECRET).as_str()));
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(r.body, b"grant_type=client_credentials");
    let id = imp.client_id.unwrap();
    assert_eq!(id.value, ID);
    assert_eq!(id.location, CredLocation::BasicHeader);
    assert_eq!(id.origin, ValueOrigin::Env("GENESYS_CLIENT_ID".into()));
    assert_eq!(id.line, Some(2));
    let secret = imp.client_secret.unwrap();
    assert_eq!(secret.value, SECRET);
    assert_eq!(
        secret.origin,
        ValueOrigin::Env("GENESYS_CLIENT_SECRET".into())
    );
    assert!(imp.unresolved.is_empty());
    assert_eq!(imp.lines.get(&Part::Url), Some(&1));
    assert_eq!(
        imp.lines.get(&Part::Header("authorization".into())),
        Some(&2)
    );
    assert_eq!(imp.lines.get(&Part::Param("grant_type".into())), Some(&3));
    assert_eq!(imp.lines.get(&Part::Call), Some(&1));
}

#[test]
fn unset_env_vars_stay_visible_and_are_reported() {
    let imp = curl(&fixture("u_flag_env.curl"));
    let secret = imp.client_secret.unwrap();
    assert_eq!(secret.value, "");
    assert_eq!(
        secret.origin,
        ValueOrigin::EnvUnset("GENESYS_CLIENT_SECRET".into())
    );
    assert!(!secret.is_known());
    assert!(
        imp.unresolved.iter().any(|u| u.what == WHAT_SECRET
            && u.expr == "$GENESYS_CLIENT_SECRET"
            && u.line == Some(2)),
        "{:?}",
        imp.unresolved
    );
}

#[test]
fn single_quotes_do_not_expand() {
    let imp = import::parse(
        "curl -u '$GENESYS_CLIENT_ID:x' https://login.mypurecloud.com/oauth/token -d grant_type=client_credentials",
        InputKind::Curl,
        "c",
        &env,
    )
    .unwrap();
    let id = imp.client_id.unwrap();
    assert_eq!(id.value, "$GENESYS_CLIENT_ID");
    assert_eq!(id.origin, ValueOrigin::Literal);
}

#[test]
fn braces_and_defaults() {
    let imp = curl(
        "curl https://login.mypurecloud.com/oauth/token -u \"${GENESYS_CLIENT_ID:-abc}:${S}\" -d grant_type=client_credentials",
    );
    let id = imp.client_id.unwrap();
    assert_eq!(id.origin, ValueOrigin::EnvUnset("GENESYS_CLIENT_ID".into()));
    assert_eq!(id.value, "abc", "the default is what would be sent");
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("GENESYS_CLIENT_ID is not set here"))
    );
    assert_eq!(
        imp.client_secret.unwrap().origin,
        ValueOrigin::EnvUnset("S".into())
    );
}

#[test]
fn plus_in_a_d_body_is_sent_raw() {
    let imp = curl(&fixture("plus_in_secret.curl"));
    assert_eq!(
        imp.request.body_text(),
        format!(
            "grant_type=client_credentials&client_id={ID}&client_secret=Zk8+q2Lw/9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui=Q"
        )
    );
    let s = imp.client_secret.unwrap();
    assert_eq!(
        s.value, "Zk8+q2Lw/9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui=Q",
        "meant value keeps the +"
    );
    assert_eq!(s.location, CredLocation::BodyParam("client_secret".into()));
    assert_eq!(s.line, Some(4));
    assert_eq!(imp.lines.get(&Part::Param("client_id".into())), Some(&3));
}

#[test]
fn data_urlencode_encodes_like_curl() {
    let imp = curl(&fixture("data_urlencode.curl"));
    assert!(
        imp.request
            .body_text()
            .ends_with("client_secret=Zk8%2Bq2Lw%2F9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui%3DQ"),
        "{}",
        imp.request.body_text()
    );
    assert_eq!(
        imp.client_secret.unwrap().value,
        "Zk8+q2Lw/9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui=Q"
    );
}

#[test]
fn data_urlencode_forms() {
    let imp = curl(
        "curl https://h/oauth/token --data-urlencode 'a b' --data-urlencode '=c&d' --data-urlencode 'scope=x y' --data-urlencode 'client_secret@secret.txt'",
    );
    let body = imp.request.body_text();
    assert!(
        body.starts_with("a%20b&c%26d&scope=x%20y&client_secret="),
        "{body}"
    );
    assert!(
        imp.unresolved
            .iter()
            .any(|u| u.expr.contains("client_secret@secret.txt")),
        "{:?}",
        imp.unresolved
    );
    assert!(!imp.client_secret.unwrap().is_known());
}

#[test]
fn several_d_are_joined_with_ampersands() {
    let imp = curl(
        "curl -d a=1 --data b=2 --data-ascii c=3 --data-raw d=4 --data-binary e=5 https://x/oauth/token",
    );
    assert_eq!(imp.request.body, b"a=1&b=2&c=3&d=4&e=5");
    assert_eq!(imp.request.method, "POST");
}

#[test]
fn data_raw_keeps_an_at_sign_but_d_reads_a_file() {
    let imp = curl("curl --data-raw @literal https://x/oauth/token");
    assert_eq!(imp.request.body, b"@literal");
    assert!(imp.unresolved.is_empty());
    let imp = curl("curl -d @body.txt https://x/oauth/token");
    assert!(
        imp.unresolved
            .iter()
            .any(|u| u.what == WHAT_BODY && u.expr.contains("@body.txt")),
        "{:?}",
        imp.unresolved
    );
}

#[test]
fn json_flag_sets_json_headers_and_post() {
    let imp = curl(&fixture("json_body.curl"));
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(r.body_text(), r#"{"grant_type": "client_credentials"}"#);
    assert_eq!(r.url, "https://login.mypurecloud.de/oauth/token");
    assert_eq!(imp.client_secret.unwrap().value, SECRET);
}

#[test]
fn get_flag_moves_data_to_the_query() {
    let imp = curl(
        "curl -G https://login.mypurecloud.com/oauth/token -d grant_type=client_credentials -d client_id=abc",
    );
    assert_eq!(imp.request.method, "GET");
    assert_eq!(
        imp.request.url,
        "https://login.mypurecloud.com/oauth/token?grant_type=client_credentials&client_id=abc"
    );
    assert!(imp.request.body.is_empty());
    let id = imp.client_id.unwrap();
    assert_eq!(id.location, CredLocation::QueryParam("client_id".into()));
    assert_eq!(id.value, "abc");
}

#[test]
fn url_flag_and_form_fields() {
    let imp = curl(&format!(
        "curl --url https://login.mypurecloud.com/oauth/token -F grant_type=client_credentials -F client_id={ID} --form-string 'client_secret=@not-a-file'"
    ));
    let r = &imp.request;
    assert_eq!(r.url, "https://login.mypurecloud.com/oauth/token");
    assert_eq!(r.method, "POST");
    let ct = r.header("content-type").unwrap();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = r.body_text();
    assert!(
        body.contains("name=\"grant_type\"\r\n\r\nclient_credentials\r\n"),
        "{body}"
    );
    let s = imp.client_secret.unwrap();
    assert_eq!(s.value, "@not-a-file");
    assert_eq!(s.location, CredLocation::BodyParam("client_secret".into()));
}

#[test]
fn harmless_flags_are_ignored_and_user_agent_kept() {
    let imp = curl(&format!(
        "curl -k -s -S -v -i -L --compressed --max-time 10 -o out.json -w '%{{http_code}}' -A 'my-tool/1.0' -u {ID}:{SECRET} https://login.mypurecloud.com/oauth/token -d grant_type=client_credentials"
    ));
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    assert_eq!(imp.request.header("user-agent"), Some("my-tool/1.0"));
    assert!(
        imp.notes.iter().all(|n| !n.contains("unknown")),
        "{:?}",
        imp.notes
    );
}

#[test]
fn clustered_and_attached_short_options() {
    let imp = curl(&format!(
        "curl -sSLXPOST -HContent-Type:application/x-www-form-urlencoded -u{ID}:{SECRET} -dgrant_type=client_credentials https://login.mypurecloud.com/oauth/token"
    ));
    assert_eq!(imp.request.method, "POST");
    assert_eq!(
        imp.request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(imp.request.body, b"grant_type=client_credentials");
    assert_eq!(imp.client_secret.unwrap().value, SECRET);
}

#[test]
fn empty_header_removes_curls_own() {
    let imp =
        curl("curl -H 'Content-Type:' -d grant_type=client_credentials https://x/oauth/token");
    assert_eq!(imp.request.header("content-type"), None);
    let imp = curl("curl -H 'X-Empty;' https://x/oauth/token");
    assert_eq!(imp.request.header("x-empty"), Some(""));
}

#[test]
fn a_written_authorization_header_wins_over_u() {
    let imp = curl(&format!(
        "curl -u a:b -H 'Authorization: {}' -d grant_type=client_credentials https://login.mypurecloud.com/oauth/token",
        basic(ID, SECRET)
    ));
    assert_eq!(imp.request.header_count("authorization"), 1);
    assert_eq!(imp.client_id.unwrap().value, ID);
    assert_eq!(imp.client_secret.unwrap().value, SECRET);
}

#[test]
fn basic_and_other_auth_schemes() {
    let imp = curl("curl --basic -u a:b https://x/oauth/token");
    assert!(imp.notes.is_empty(), "{:?}", imp.notes);
    let imp = curl("curl --digest -u a:b https://x/oauth/token");
    assert!(imp.notes.iter().any(|n| n.contains("digest")));
}

#[test]
fn user_without_password_is_unresolved() {
    let imp = curl(
        "curl -u onlyid https://login.mypurecloud.com/oauth/token -d grant_type=client_credentials",
    );
    assert_eq!(imp.client_id.unwrap().value, "onlyid");
    assert!(!imp.client_secret.unwrap().is_known());
    assert!(
        imp.unresolved
            .iter()
            .any(|u| u.what == WHAT_SECRET && u.expr.contains("prompts"))
    );
}

#[test]
fn no_scheme_means_http() {
    let imp = curl("curl login.mypurecloud.com/oauth/token -d grant_type=client_credentials");
    assert_eq!(imp.request.url, "http://login.mypurecloud.com/oauth/token");
    assert!(imp.notes.iter().any(|n| n.contains("no scheme")));
}

#[test]
fn no_data_means_get() {
    let imp = curl("curl https://login.mypurecloud.com/oauth/token");
    assert_eq!(imp.request.method, "GET");
    let imp = curl(
        "curl -X GET -d grant_type=client_credentials https://login.mypurecloud.com/oauth/token",
    );
    assert_eq!(imp.request.method, "GET");
    assert_eq!(imp.lines.get(&Part::Method), Some(&1));
}

#[test]
fn prompt_continuations_and_pipes() {
    let text = "$ curl -s \\\n    -X POST \\\n    https://login.mypurecloud.com/oauth/token \\\n    -d grant_type=client_credentials 2>/dev/null | jq -r .access_token\n";
    let imp = curl(text);
    assert_eq!(imp.request.method, "POST");
    assert_eq!(imp.request.body, b"grant_type=client_credentials");
    assert_eq!(imp.lines.get(&Part::Url), Some(&3));
    assert_eq!(imp.lines.get(&Part::Body), Some(&4));
}

#[test]
fn windows_cmd_copy_as_curl() {
    let imp = curl(&fixture("chrome_cmd.txt"));
    let r = &imp.request;
    assert_eq!(r.url, "https://login.mypurecloud.jp/oauth/token");
    assert_eq!(r.method, "POST");
    assert_eq!(r.body, b"grant_type=client_credentials");
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(imp.client_id.unwrap().value, ID);
    assert_eq!(
        imp.lines.get(&Part::Header("authorization".into())),
        Some(&3)
    );
}

#[test]
fn cmd_percent_variables() {
    let env = |n: &str| (n == "GC_SECRET").then(|| SECRET.to_string());
    let imp = import::parse(
        &format!("curl -u {ID}:%GC_SECRET% ^\n  -d grant_type=client_credentials ^\n  https://login.mypurecloud.com/oauth/token"),
        InputKind::Curl,
        "c.cmd",
        &env,
    )
    .unwrap();
    let s = imp.client_secret.unwrap();
    assert_eq!(s.value, SECRET);
    assert_eq!(s.origin, ValueOrigin::Env("GC_SECRET".into()));
}

#[test]
fn powershell_backticks_and_env() {
    let imp = curl(&fixture("powershell.ps1"));
    assert_eq!(imp.request.url, "https://login.usw2.pure.cloud/oauth/token");
    assert_eq!(imp.request.method, "POST");
    assert_eq!(imp.client_id.unwrap().value, ID, "assigned on line 1");
    let s = imp.client_secret.unwrap();
    assert_eq!(s.origin, ValueOrigin::EnvUnset("GC_SECRET".into()));
}

#[test]
fn shell_variables_assigned_before_the_command() {
    let imp = curl(&fixture("echo_base64_header.sh"));
    assert_eq!(
        imp.request.url,
        "https://login.mypurecloud.com.au/oauth/token"
    );
    let id = imp.client_id.unwrap();
    assert_eq!(id.value, ID);
    assert_eq!(id.origin, ValueOrigin::Literal);
    assert_eq!(id.line, Some(2), "the line where the value is written");
    // `echo` without -n adds a newline to what base64 encodes.
    let s = imp.client_secret.unwrap();
    assert_eq!(s.value, format!("{SECRET}\n"));
    assert_eq!(
        s.line,
        Some(6),
        "the line of the echo that adds the newline"
    );
    assert_eq!(
        import::credential_expr(
            &curl(&fixture("echo_base64_header.sh")),
            import::Which::Secret
        )
        .as_deref(),
        Some("$CLIENT_SECRET")
    );
}

#[test]
fn gnu_base64_wraps_long_credentials() {
    let text = format!(
        "curl -H \"Authorization: Basic $(echo -n '{ID}:{SECRET}' | base64)\" -d grant_type=client_credentials https://login.mypurecloud.com/oauth/token"
    );
    let imp = curl(&text);
    let h = imp.request.header("authorization").unwrap();
    assert!(h.contains('\n'), "GNU base64 wraps at 76 columns: {h:?}");
    let text = text.replace("| base64)", "| base64 -w 0)");
    let imp = curl(&text);
    assert_eq!(
        imp.request.header("authorization"),
        Some(basic(ID, SECRET).as_str())
    );
    assert_eq!(imp.client_secret.unwrap().value, SECRET);
}

#[test]
fn unknown_command_substitution_is_unresolved() {
    let imp = curl(
        "curl -u \"$(vault read -field=id secret/gc):x\" https://login.mypurecloud.com/oauth/token -d grant_type=client_credentials",
    );
    let id = imp.client_id.unwrap();
    assert!(
        matches!(id.origin, ValueOrigin::Unresolved(ref e) if e.contains("vault read")),
        "{id:?}"
    );
    assert_eq!(imp.client_secret.unwrap().value, "x");
}

#[test]
fn chrome_bash_copy_with_ansi_c_quotes() {
    let text = format!(
        "curl 'https://login.mypurecloud.ie/oauth/token' \\\n  -H 'accept: */*' \\\n  -H 'authorization: {}' \\\n  -H 'content-type: application/x-www-form-urlencoded' \\\n  --data-raw $'grant_type=client_credentials\\u0026x=1' \\\n  --compressed",
        basic(ID, SECRET)
    );
    let imp = curl(&text);
    assert_eq!(imp.request.body, b"grant_type=client_credentials&x=1");
    assert_eq!(imp.request.method, "POST");
    assert_eq!(imp.lines.get(&Part::Body), Some(&5));
}

#[test]
fn the_token_request_is_picked_among_several_commands() {
    let text = format!(
        "curl https://api.mypurecloud.com/api/v2/users -H 'Authorization: Bearer x'\ncurl -u {ID}:{SECRET} https://login.mypurecloud.com/oauth/token -d grant_type=client_credentials\n"
    );
    let imp = curl(&text);
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("several curl commands"))
    );
}

#[test]
fn errors_name_file_line_and_problem() {
    let e = import::parse("wget https://x", InputKind::Curl, "cmd.txt", &no_env).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cmd.txt:1:1: not a curl command: it does not start with `curl`"
    );
    let e = import::parse("curl -d 'abc\n", InputKind::Curl, "cmd.txt", &no_env).unwrap_err();
    assert_eq!((e.line, e.column), (Some(1), Some(9)));
    assert!(e.message.contains("unterminated ' quote"), "{e}");
    let e = import::parse("curl -s", InputKind::Curl, "cmd.txt", &no_env).unwrap_err();
    assert!(e.message.contains("no URL"), "{e}");
    let e = import::parse("curl https://x -H", InputKind::Curl, "cmd.txt", &no_env).unwrap_err();
    assert!(e.message.contains("needs a value"), "{e}");
}

#[test]
fn load_detects_curl_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("request.txt");
    std::fs::write(
        &p,
        "\u{feff}curl https://login.mypurecloud.com/oauth/token -d grant_type=client_credentials\n",
    )
    .unwrap();
    let imp = import::load(p.to_str().unwrap(), None, &no_env).unwrap();
    assert_eq!(imp.kind, InputKind::Curl);
    assert_eq!(imp.request.method, "POST");
}
