//! Template values people leave in place of a real credential: no secret, so redaction
//! removes only their whole forms, and lint names them.

/// True for template values people leave in (`YOUR_CLIENT_ID`, `my-secret`, `xxx`, `<id>`).
pub fn is_placeholder(v: &str) -> bool {
    let t = v.trim().trim_matches(|c| c == '"' || c == '\'');
    if t.is_empty() {
        return false;
    }
    let l = t.to_ascii_lowercase();
    let wrapped = |o: char, c: char| t.starts_with(o) && t.ends_with(c) && t.len() > 2;
    if wrapped('<', '>') || (wrapped('{', '}') && !t.starts_with("${")) || wrapped('[', ']') {
        return true;
    }
    if t.chars().count() >= 3 && t.chars().all(|c| c == t.chars().next().unwrap_or(' ')) {
        return true;
    }
    if l.contains("your")
        && (l.contains("client") || l.contains("secret") || l.contains("id") || l.contains("key"))
    {
        return true;
    }
    for word in [
        "placeholder",
        "changeme",
        "change_me",
        "change-me",
        "replace",
        "insert",
        "redacted",
        "example",
        "dummy",
        "todo",
        "xxxx",
        "****",
        "...",
    ] {
        if l.contains(word) {
            return true;
        }
    }
    const EXACT: &[&str] = &[
        "my-client-id",
        "my_client_id",
        "myclientid",
        "client_id",
        "clientid",
        "client-id",
        "my-secret",
        "my_secret",
        "mysecret",
        "my-client-secret",
        "my_client_secret",
        "client_secret",
        "clientsecret",
        "client-secret",
        "secret",
        "password",
        "test",
        "abc123",
        "xyz789",
        "123456",
        "12345",
        "id",
        "foo",
        "bar",
        "tbd",
        "none",
        "null",
        "undefined",
        "my_client_id_here",
        "client_id_here",
        "secret_here",
        "my-client-secret-here",
    ];
    EXACT.contains(&l.as_str())
}

/// A template value that is plainly one: a placeholder made of letters and separators only
/// (`YOUR_CLIENT_SECRET`, `<client secret>`, `my-client-secret`). A value with digits or other
/// characters is treated as a possible secret even when it contains a placeholder word.
pub fn is_template(v: &str) -> bool {
    is_placeholder(v)
        && v.trim().chars().all(|c| {
            c.is_ascii_alphabetic()
                || matches!(
                    c,
                    '_' | '-' | '.' | ' ' | '<' | '>' | '{' | '}' | '[' | ']' | '*'
                )
        })
}
