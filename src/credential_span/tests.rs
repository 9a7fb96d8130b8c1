use super::*;

fn texts(src: &str) -> Vec<(Role, String)> {
    scan(src, Mode::Code)
        .into_iter()
        .map(|p| (p.role, p.text))
        .collect()
}

fn secrets(src: &str, data: bool) -> Vec<String> {
    scan(src, if data { Mode::Data } else { Mode::Code })
        .iter()
        .flat_map(|p| p.secret_texts(&|_| None))
        .collect()
}

#[test]
fn a_form_secret_keeps_what_an_ampersand_splits_off() {
    let src = r#"curl https://x/oauth/token -d "grant_type=client_credentials&client_secret=Qm7+tR2&zK9=pL4wX&client_id=abc""#;
    let t = texts(src);
    assert!(
        t.contains(&(Role::ClientSecret, "Qm7+tR2&zK9=pL4wX".to_string())),
        "{t:?}"
    );
}

#[test]
fn code_positions_cover_whole_expressions() {
    let py = "client_secret = \"Sx9kQ\" if c else \"Tz8mW\"\nx = 1\n";
    let s = secrets(py, false);
    assert!(
        s.contains(&"Sx9kQ".to_string()) && s.contains(&"Tz8mW".to_string()),
        "{s:?}"
    );
    let js = "const secret = getSecret() ?? 'Pq7rS';\nconsole.log(1)";
    assert!(secrets(js, false).contains(&"Pq7rS".to_string()));
    let env = "secret = os.environ[\"GENESYS_SECRET\"]\n";
    assert!(secrets(env, false).is_empty(), "{:?}", secrets(env, false));
    let unquoted = "client_secret = abc+def/ghi\n";
    assert!(secrets(unquoted, false).contains(&"abc+def/ghi".to_string()));
}

#[test]
fn names_outside_the_list_and_other_places() {
    for src in [
        "clientsecret=Wq8rT5yU",
        "secret_key=Wq8rT5yU",
        "https://id:Wq8rT5yU@login.example.com/oauth/token",
        "curl -u 'id:Wq8rT5yU' https://x",
        r#"{"name": "client_secret", "value": "Wq8rT5yU"}"#,
        "client.loginClientCredentialsGrant(id, 'Wq8rT5yU')",
    ] {
        let s = secrets(src, false);
        assert!(s.iter().any(|x| x == "Wq8rT5yU"), "{src}: {s:?}");
    }
    assert!(secrets("token_url=https://x/oauth/token", false).is_empty());
}

#[test]
fn an_unterminated_string_ends_at_its_line() {
    let js = "const secret = 'Wq8rT5yU\nconst x = 2;\n";
    assert!(secrets(js, false).contains(&"Wq8rT5yU".to_string()));
}

#[test]
fn environment_values_are_secret_texts() {
    let p = &scan(
        "-d \"client_secret=$SECRET&grant_type=client_credentials\"",
        Mode::Shell,
    )[0];
    assert_eq!(p.text, "$SECRET");
    let v = p.secret_texts(&|n| (n == "SECRET").then(|| "a&b=c".to_string()));
    assert_eq!(v, vec!["a&b=c".to_string()]);
}

#[test]
fn a_tuple_of_names_is_no_secret_but_a_bare_secret_in_one_is() {
    let p = &scan("r = post(url, auth=(CLIENT_ID, CLIENT_SECRET))", Mode::Code);
    let texts: Vec<String> = p.iter().flat_map(|p| p.secret_texts(&|_| None)).collect();
    assert!(texts.is_empty(), "{texts:?}");
    let p = &scan(
        "r = post(url, auth=(CLIENT_ID, Zq8vN1xR4tY7uP0oL3kJ))",
        Mode::Code,
    );
    let texts: Vec<String> = p.iter().flat_map(|p| p.secret_texts(&|_| None)).collect();
    assert!(
        texts.iter().any(|t| t.contains("Zq8vN1xR4tY7uP0oL3kJ")),
        "{texts:?}"
    );
}
