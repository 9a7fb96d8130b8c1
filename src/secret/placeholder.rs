//! Template values people leave in place of a real credential: no secret, so redaction
//! removes only their whole forms, and lint names them.

/// The real value inside template brackets kept around it: a template's `{client_id}` or
/// `<client_secret>` filled in without removing the brackets (`{7c3f…}`). `None` when the
/// value is not wrapped, or what is inside is itself a template word.
pub fn unbracketed(v: &str) -> Option<&str> {
    [('{', '}'), ('<', '>'), ('[', ']')]
        .iter()
        .find_map(|&(o, c)| {
            let inner = v.strip_prefix(o)?.strip_suffix(c)?;
            (!inner.contains([o, c]) && looks_real(inner)).then_some(inner)
        })
}

/// A UUID, or a long random-looking token (letters of both cases and digits, no spaces).
fn looks_real(s: &str) -> bool {
    if super::is_uuid_shaped(s) {
        return true;
    }
    s.chars().count() >= 20
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_+/=.~".contains(c))
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().any(|c| c.is_ascii_uppercase())
        && s.chars().any(|c| c.is_ascii_lowercase())
        && !is_placeholder(s)
}

/// True for template values people leave in (`YOUR_CLIENT_ID`, `my-secret`, `xxx`, `<id>`).
pub fn is_placeholder(v: &str) -> bool {
    let t = v.trim().trim_matches(|c| c == '"' || c == '\'');
    if t.is_empty() {
        return false;
    }
    let l = t.to_ascii_lowercase();
    let wrapped = |o: char, c: char| t.starts_with(o) && t.ends_with(c) && t.len() > 2;
    if (wrapped('<', '>') || (wrapped('{', '}') && !t.starts_with("${")) || wrapped('[', ']'))
        && unbracketed(t).is_none()
    {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_around_a_real_value_are_not_a_template() {
        let id = "{7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61}";
        assert_eq!(unbracketed(id), Some(&id[1..id.len() - 1]));
        assert!(!is_placeholder(id));
        let secret = "<s8B8Dq65NERzuWc78TLlI8IipDKO-u2TO9G6kAj3FJE>";
        assert!(unbracketed(secret).is_some() && !is_placeholder(secret));
        for template in [
            "{client_id}",
            "<YOUR_CLIENT_SECRET>",
            "[secret]",
            "{{id}}",
            "<xxxxxxxxxxxxxxxxxxxxxxxx>",
        ] {
            assert!(unbracketed(template).is_none(), "{template}");
            assert!(is_placeholder(template), "{template}");
        }
        assert_eq!(unbracketed("${CLIENT_ID}"), None);
    }
}
