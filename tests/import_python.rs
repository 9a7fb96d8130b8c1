//! `--from-python`: scripts using requests, httpx and urllib.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gcdoctor::import::{self, WHAT_URL, Which};
use gcdoctor::request::{CredLocation, ImportedRequest, InputKind, Part, ValueOrigin};

const ID: &str = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b";
const SECRET: &str = "k7Qp-2xZ_9vLmN4sT8wYbR1cE6fH3jU5oI0aD-gKl";
const PLUS_SECRET: &str = "Zk8+q2Lw/9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui=Q";

fn no_env(_: &str) -> Option<String> {
    None
}

fn env(name: &str) -> Option<String> {
    match name {
        "GENESYS_CLIENT_ID" | "GC_ID" | "GC_CLIENT_ID" => Some(ID.into()),
        "GENESYS_CLIENT_SECRET" | "GC_SECRET" => Some(SECRET.into()),
        "GC_CLIENT_SECRET" => Some(format!("  {SECRET}\n")),
        _ => None,
    }
}

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/python/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn py_env(text: &str, env: &dyn Fn(&str) -> Option<String>) -> ImportedRequest {
    import::parse(text, InputKind::Python, "script.py", env).unwrap_or_else(|e| panic!("{e}"))
}

fn py(text: &str) -> ImportedRequest {
    py_env(text, &no_env)
}

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

#[test]
fn dict_data_is_form_encoded_with_a_content_type() {
    let imp = py(&fixture("auth_tuple_env.py"));
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(r.body, b"grant_type=client_credentials");
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        r.url, "https://login.mypurecloud.ie/oauth/token",
        "the getenv default is used"
    );
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("GENESYS_DOMAIN is not set here"))
    );
}

#[test]
fn auth_tuple_with_env_vars_set_and_unset() {
    let imp = py_env(&fixture("auth_tuple_env.py"), &env);
    assert_eq!(
        imp.request.header("authorization"),
        Some(basic(ID, SECRET).as_str())
    );
    let id = imp.client_id.as_ref().unwrap();
    assert_eq!(id.origin, ValueOrigin::Env("GENESYS_CLIENT_ID".into()));
    assert_eq!(id.location, CredLocation::BasicHeader);
    assert_eq!(id.line, Some(6));
    assert_eq!(imp.client_secret.as_ref().unwrap().line, Some(7));
    assert_eq!(
        import::credential_expr(&imp, Which::Secret).as_deref(),
        Some("CLIENT_SECRET")
    );
    assert_eq!(imp.lines.get(&Part::Url), Some(&13));
    assert_eq!(imp.lines.get(&Part::Call), Some(&12));
    assert_eq!(
        imp.lines.get(&Part::Header("authorization".into())),
        Some(&15)
    );

    let imp = py(&fixture("auth_tuple_env.py"));
    let s = imp.client_secret.unwrap();
    assert_eq!(
        s.origin,
        ValueOrigin::EnvUnset("GENESYS_CLIENT_SECRET".into())
    );
    assert_eq!(s.value, "");
    assert!(
        imp.unresolved.iter().any(|u| u.what == "client_secret"
            && u.expr == "os.getenv(\"GENESYS_CLIENT_SECRET\")"
            && u.line == Some(7)),
        "{:?}",
        imp.unresolved
    );
}

#[test]
fn string_data_is_sent_as_is_without_content_type() {
    let imp = py(&fixture("string_body.py"));
    let r = &imp.request;
    assert_eq!(
        r.header("content-type"),
        None,
        "requests adds none for a str body"
    );
    assert_eq!(
        r.body_text(),
        format!("grant_type=client_credentials&client_id={ID}&client_secret={PLUS_SECRET}")
    );
    let s = imp.client_secret.unwrap();
    assert_eq!(s.value, PLUS_SECRET);
    assert_eq!(s.location, CredLocation::BodyParam("client_secret".into()));
    assert_eq!(s.line, Some(4), "where the secret is written");
    assert_eq!(
        imp.lines.get(&Part::Param("client_secret".into())),
        Some(&7)
    );
}

#[test]
fn json_kwarg_sends_json() {
    let imp = py(&fixture("json_body.py"));
    assert_eq!(
        imp.request.body_text(),
        r#"{"grant_type": "client_credentials"}"#
    );
    assert_eq!(imp.request.header("content-type"), Some("application/json"));
    assert_eq!(imp.lines.get(&Part::Body), Some(&3));
    assert_eq!(imp.client_id.unwrap().origin, ValueOrigin::Literal);
}

#[test]
fn json_dumps_in_data_has_no_content_type() {
    let imp = py(&fixture("json_dumps_data.py"));
    assert_eq!(
        imp.request.body_text(),
        r#"{"grant_type": "client_credentials"}"#
    );
    assert_eq!(imp.request.header("content-type"), None);
}

#[test]
fn params_go_to_the_query_and_http_basic_auth_to_the_header() {
    let imp = py(&fixture("params_query.py"));
    assert_eq!(
        imp.request.url,
        "https://login.mypurecloud.com/oauth/token?grant_type=client_credentials"
    );
    assert!(imp.request.body.is_empty());
    assert_eq!(
        imp.request.header("authorization"),
        Some(basic(ID, SECRET).as_str())
    );
    assert_eq!(imp.lines.get(&Part::Param("grant_type".into())), Some(&7));
}

#[test]
fn hand_built_basic_header_is_decoded() {
    let imp = py_env(&fixture("manual_base64.py"), &env);
    assert_eq!(
        imp.request.header("authorization"),
        Some(basic(ID, SECRET).as_str())
    );
    assert_eq!(
        imp.request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let s = imp.client_secret.as_ref().unwrap();
    assert_eq!(s.value, SECRET);
    assert_eq!(s.origin, ValueOrigin::Env("GENESYS_CLIENT_SECRET".into()));
    assert_eq!(s.location, CredLocation::BasicHeader);
    assert_eq!(
        imp.lines.get(&Part::Header("authorization".into())),
        Some(&10)
    );
    assert_eq!(
        import::credential_expr(&imp, Which::Id).as_deref(),
        Some("client_id")
    );
}

#[test]
fn base64_without_decode_puts_bytes_repr_in_the_header() {
    let imp = py(&format!(
        "import base64, requests\nc = base64.b64encode(b'{ID}:{SECRET}')\nrequests.post('https://login.mypurecloud.com/oauth/token', headers={{'Authorization': f'Basic {{c}}'}}, data={{'grant_type': 'client_credentials'}})\n"
    ));
    let h = imp.request.header("authorization").unwrap();
    assert!(h.starts_with("Basic b'"), "{h}");
}

#[test]
fn sessions_and_httpx_clients() {
    let imp = py_env(&fixture("session_httpx.py"), &env);
    assert_eq!(imp.request.url, "https://login.mypurecloud.jp/oauth/token");
    assert_eq!(imp.request.header("accept"), Some("application/json"));
    assert_eq!(
        imp.request.header("authorization"),
        Some(basic(ID, SECRET).as_str())
    );
    assert!(
        imp.notes.iter().any(|n| n.contains("2 token requests")),
        "{:?}",
        imp.notes
    );

    let imp = py_env(
        "import httpx, os\nasync def t():\n    async with httpx.AsyncClient(base_url='https://login.apne2.pure.cloud') as client:\n        return await client.post('/oauth/token', data={'grant_type': 'client_credentials'}, auth=(os.environ['GC_ID'], os.environ['GC_SECRET']))\n",
        &env,
    );
    assert_eq!(
        imp.request.url,
        "https://login.apne2.pure.cloud/oauth/token"
    );
    assert_eq!(imp.request.body, b"grant_type=client_credentials");
    assert_eq!(imp.client_secret.unwrap().value, SECRET);

    let imp = py(
        "import requests\nr = requests.Session().post('https://login.mypurecloud.com/oauth/token', data={'grant_type': 'client_credentials'})\n",
    );
    assert_eq!(imp.request.method, "POST");
    let imp = py(
        "import httpx\nr = httpx.post('https://login.mypurecloud.com/oauth/token', content=b'grant_type=client_credentials')\n",
    );
    assert_eq!(imp.request.body, b"grant_type=client_credentials");
    assert_eq!(imp.request.header("content-type"), None);
    let imp = py(
        "import requests\nwith requests.Session() as s:\n    s.headers['X-Trace'] = '1'\n    s.post('https://login.mypurecloud.com/oauth/token', data={'grant_type': 'client_credentials'})\n",
    );
    assert_eq!(imp.request.header("x-trace"), Some("1"));
}

#[test]
fn urllib_request() {
    let imp = py(&fixture("urllib_request.py"));
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(
        r.body_text()
            .ends_with("client_secret=Zk8%2Bq2Lw%2F9xYt7Rv3Bn6Mc1Hd4Jf0Gs5Ka8Pe2Ui%3DQ")
    );
    assert_eq!(imp.client_secret.unwrap().value, PLUS_SECRET);
}

#[test]
fn multi_function_script_follows_parameters_returns_and_classes() {
    let imp = py_env(&fixture("multi_function.py"), &env);
    let r = &imp.request;
    assert_eq!(r.url, "https://login.mypurecloud.com.au/oauth/token");
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.header("authorization"),
        Some(basic(ID, SECRET).as_str()),
        ".strip() applied"
    );
    assert_eq!(
        imp.client_id.as_ref().unwrap().origin,
        ValueOrigin::Env("GC_CLIENT_ID".into())
    );
    assert_eq!(
        import::credential_expr(&imp, Which::Secret).as_deref(),
        Some("client_secret")
    );
    assert_eq!(imp.lines.get(&Part::Call), Some(&23));
}

#[test]
fn class_based_clients_resolve_through_the_constructor_call() {
    let imp = py_env(
        concat!(
            "import os\nimport requests\n\n\n",
            "class GenesysClient:\n",
            "    def __init__(self, client_id, client_secret, region=\"mypurecloud.ie\"):\n",
            "        self.client_id = client_id\n",
            "        self.client_secret = client_secret\n",
            "        self.token_url = f\"https://login.{region}/oauth/token\"\n\n",
            "    def get_token(self):\n",
            "        r = requests.post(self.token_url, data={\"grant_type\": \"client_credentials\"},\n",
            "                          auth=(self.client_id, self.client_secret))\n",
            "        return r.json()\n\n\n",
            "client = GenesysClient(os.environ[\"GC_ID\"], os.environ[\"GC_SECRET\"])\n",
        ),
        &env,
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(
        imp.request.header("authorization"),
        Some(basic(ID, SECRET).as_str())
    );
    assert_eq!(
        imp.client_id.as_ref().unwrap().origin,
        ValueOrigin::Env("GC_ID".into())
    );
    assert_eq!(imp.lines.get(&Part::Url), Some(&9));
    assert_eq!(
        import::credential_expr(&imp, Which::Secret).as_deref(),
        Some("self.client_secret")
    );
}

#[test]
fn postman_exports() {
    let imp = py(&fixture("postman_requests.py"));
    assert_eq!(imp.request.method, "POST");
    assert_eq!(imp.request.body, b"grant_type=client_credentials");
    assert_eq!(imp.client_secret.as_ref().unwrap().value, SECRET);
    assert_eq!(
        imp.lines.get(&Part::Header("authorization".into())),
        Some(&8)
    );

    let imp = py(&fixture("postman_http_client.py"));
    let r = &imp.request;
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "https://api.mypurecloud.de/oauth/token");
    assert_eq!(r.body, b"grant_type=client_credentials");
    assert_eq!(r.header("content-type"), None, "http.client adds none");
    assert_eq!(imp.client_id.as_ref().unwrap().value, ID);
    assert_eq!(imp.lines.get(&Part::Url), Some(&3));
}

#[test]
fn unresolvable_values_are_reported_with_lines() {
    let imp = py(&fixture("unresolved.py"));
    assert!(
        imp.unresolved
            .iter()
            .any(|u| u.what == WHAT_URL && u.expr == "config[\"token_url\"]" && u.line == Some(5)),
        "{:?}",
        imp.unresolved
    );
    let s = imp.client_secret.unwrap();
    assert_eq!(
        s.origin,
        ValueOrigin::Unresolved("vault.read(\"genesys/secret\")".into())
    );
    assert_eq!(s.line, Some(6));
    assert!(!s.is_known());
}

#[test]
fn f_strings_with_unresolvable_parts_keep_a_marker() {
    let imp = py(
        "import requests\nurl = f'https://{host}/oauth/token'\nrequests.post(url, data={'grant_type': 'client_credentials'})\n",
    );
    assert_eq!(imp.request.url, "https://{host}/oauth/token");
    assert!(
        imp.unresolved
            .iter()
            .any(|u| u.what == WHAT_URL && u.expr == "host")
    );
}

#[test]
fn string_forms_prefixes_and_concatenation() {
    let imp = py(concat!(
        "import requests as rq\n",
        "BASE = r'https://login.' 'mypurecloud.ie'\n",
        "PATH = \"/oauth/\" + \"token\"\n",
        "URL = '{}{}'.format(BASE, PATH)\n",
        "h = {'Authorization': 'Basic %s' % 'Zm9vOmJhcg=='}\n",
        "h.update({'X-A': u'\\u00e9'})\n",
        "rq.request('POST', URL, headers=h, data=dict(grant_type='client_credentials'))\n",
    ));
    assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(
        imp.request.header("authorization"),
        Some("Basic Zm9vOmJhcg==")
    );
    assert_eq!(imp.request.header("x-a"), Some("é"));
    assert_eq!(imp.request.body, b"grant_type=client_credentials");
    assert_eq!(imp.client_id.unwrap().value, "foo");
    assert_eq!(imp.lines.get(&Part::Method), Some(&7));
}

#[test]
fn last_assignment_before_the_call_wins() {
    let imp = py(concat!(
        "import requests\n",
        "url = 'https://api.mypurecloud.com/oauth/token'\n",
        "url = 'https://login.mypurecloud.com/oauth/token'\n",
        "requests.post(url, data={'grant_type': 'client_credentials'})\n",
        "url = 'https://example.com/late'\n",
    ));
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    assert_eq!(imp.lines.get(&Part::Url), Some(&3));
}

#[test]
fn imports_from_requests_and_getenv_forms() {
    let env = |n: &str| (n == "B").then(|| "b-secret-value".to_string());
    let imp = py_env(
        concat!(
            "from os import getenv, environ\n",
            "from requests import post\n",
            "a = environ.get('A', 'fallback-id')\n",
            "b = getenv('B')\n",
            "post('https://login.mypurecloud.com/oauth/token', data={'grant_type': 'client_credentials', 'client_id': a, 'client_secret': b})\n",
        ),
        &env,
    );
    let id = imp.client_id.unwrap();
    assert_eq!(id.origin, ValueOrigin::EnvUnset("A".into()));
    assert_eq!(id.value, "fallback-id");
    let s = imp.client_secret.unwrap();
    assert_eq!(s.origin, ValueOrigin::Env("B".into()));
    assert_eq!(s.value, "b-secret-value");
    assert_eq!(s.location, CredLocation::BodyParam("client_secret".into()));
}

#[test]
fn getenv_or_default() {
    let imp = py(
        "import os, requests\nu = os.getenv('TOKEN_URL') or 'https://login.mypurecloud.de/oauth/token'\nrequests.post(u, data={'grant_type': 'client_credentials'})\n",
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.de/oauth/token");
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("TOKEN_URL is not set here"))
    );
}

#[test]
fn files_are_multipart() {
    let imp = py(&fixture("files_multipart.py"));
    let ct = imp.request.header("content-type").unwrap();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    assert!(
        imp.request
            .body_text()
            .contains("name=\"grant_type\"\r\n\r\nclient_credentials")
    );
}

#[test]
fn auth_replaces_a_written_authorization_header() {
    let imp = py(&format!(
        "import requests\nrequests.post('https://login.mypurecloud.com/oauth/token', headers={{'Authorization': 'Bearer x'}}, auth=('{ID}', '{SECRET}'), data={{'grant_type': 'client_credentials'}})\n"
    ));
    assert_eq!(
        imp.request.header("authorization"),
        Some(basic(ID, SECRET).as_str())
    );
    assert!(
        imp.notes
            .iter()
            .any(|n| n.contains("replaces the Authorization header"))
    );
}

#[test]
fn get_to_the_token_url_is_the_token_request() {
    let imp = py(
        "import requests\nrequests.get('https://api.mypurecloud.com/api/v2/users')\nrequests.get('https://login.mypurecloud.com/oauth/token', params={'grant_type': 'client_credentials'})\n",
    );
    assert_eq!(imp.request.method, "GET");
    assert_eq!(imp.lines.get(&Part::Call), Some(&3));
}

#[test]
fn errors_are_precise() {
    let e = import::parse(
        &fixture("syntax_error.py"),
        InputKind::Python,
        "script.py",
        &no_env,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("script.py:3:"), "{e}");
    assert!(e.message.starts_with("Python syntax error"), "{e}");
    let e = import::parse("x = (1,\n", InputKind::Python, "script.py", &no_env).unwrap_err();
    assert!(e.line.is_some() && e.column.is_some(), "{e:?}");
    let e = import::parse(
        "import requests\nrequests.get('https://example.com')\n",
        InputKind::Python,
        "script.py",
        &no_env,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "script.py: no token request found: no requests.post(...) / requests.request('POST', ...) call to a URL ending in /oauth/token, and no PureCloudPlatformClientV2 ApiClient().get_client_credentials_token(...)"
    );
}

/// A realistic long script: many helpers, the token call in the middle.
fn long_script(lines: usize) -> String {
    let mut s =
        String::from("import os\nimport requests\n\nBASE = 'https://login.mypurecloud.ie'\n\n");
    let mut n = 5;
    let mut i = 0;
    while n < lines / 2 {
        s.push_str(&format!(
            "def helper_{i}(x, y=2):\n    total = x + y\n    label = f'item {{x}} of {{y}}'\n    data = {{'k{i}': label, 'n': total}}\n    return requests.get('https://api.mypurecloud.ie/api/v2/things/' + str(i), params=data)\n\n"
        ));
        n += 6;
        i += 1;
    }
    s.push_str("def token():\n    return requests.post(BASE + '/oauth/token', data={'grant_type': 'client_credentials'}, auth=(os.environ['GC_ID'], os.environ['GC_SECRET']))\n\n");
    n += 3;
    while n < lines {
        s.push_str(&format!(
            "value_{i} = helper_{}(1)\nprint(value_{i})\n",
            i % 50
        ));
        n += 2;
        i += 1;
    }
    s
}

#[test]
fn long_scripts_are_fast() {
    let text = long_script(2500);
    assert!(text.lines().count() >= 2500);
    let start = std::time::Instant::now();
    let imp = py_env(&text, &env);
    let report = gcdoctor::linter::lint(&imp);
    let elapsed = start.elapsed();
    assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(report.requests_sent, 0);
    // Release builds take a few ms; debug builds are several times slower.
    let limit = if cfg!(debug_assertions) { 1000 } else { 50 };
    assert!(elapsed.as_millis() < limit, "{elapsed:?}");
}
