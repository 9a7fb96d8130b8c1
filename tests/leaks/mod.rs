//! The leak scanner of the leak tests: independent of `gcdoctor::secret` (a test must not trust
//! the code it checks), stricter than `common::leak_patterns`: every run of 8 characters of a
//! secret in every encoding a printer could give it (raw, percent with either hex case, form,
//! JSON escapes, HTML character references, standard and URL-safe base64 at each of the three
//! byte alignments, so inside `base64(id:secret)` too), and the whole secret in those forms when
//! it is shorter than 8 characters (but at least 4: shorter ones are checked by position).
#![allow(dead_code)]

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};

/// Shortest run that counts as a leak (contract §4a).
pub const RUN: usize = 8;

fn html_forms(secret: &str) -> Vec<String> {
    let enc = |hex: bool| -> String {
        secret
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_string()
                } else if hex {
                    format!("&#x{:x};", c as u32)
                } else {
                    format!("&#{};", c as u32)
                }
            })
            .collect()
    };
    vec![enc(false), enc(true)]
}

/// Every encoded form of a secret.
pub fn forms(secret: &str) -> Vec<String> {
    let pct = percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let json = serde_json::to_string(secret).unwrap();
    let json = json[1..json.len() - 1].to_string();
    let mut out = vec![
        secret.to_string(),
        pct.to_ascii_lowercase(),
        pct,
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        json.replace('/', "\\/"),
        json,
    ];
    out.extend(html_forms(secret));
    let bytes = secret.as_bytes();
    for k in 0..3usize {
        let mut buf = vec![0u8; k];
        buf.extend_from_slice(bytes);
        for e in [&STANDARD, &URL_SAFE] {
            let enc = e.encode(&buf);
            let start = (k * 8).div_ceil(6);
            let end = ((k + bytes.len()) * 8) / 6;
            if end > start {
                out.push(enc[start..end].to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The patterns that betray a secret.
pub fn patterns(secret: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in forms(secret) {
        let chars: Vec<char> = f.chars().collect();
        if chars.len() < RUN {
            if chars.len() >= 4 && f.chars().count() == secret.chars().count() {
                out.push(f);
            }
            continue;
        }
        for w in chars.windows(RUN) {
            out.push(w.iter().collect());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The first pattern of any secret found in the text.
pub fn find(text: &str, secrets: &[&str]) -> Option<String> {
    secrets
        .iter()
        .flat_map(|s| patterns(s))
        .find(|p| text.contains(p.as_str()))
}

/// Panics naming the leaked run and where it was.
pub fn assert_clean(what: &str, text: &str, secrets: &[&str]) {
    if let Some(p) = find(text, secrets) {
        panic!("{what}: a run of a secret leaked ({p:?}):\n{text}");
    }
}

/// Runs a command with its stderr on a pseudo-terminal (so the progress display is drawn) and
/// returns (exit code, stdout, everything the terminal received).
pub fn on_pty(mut cmd: std::process::Command) -> (i32, String, String) {
    use std::io::Read as _;
    use std::os::fd::{FromRawFd as _, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    let ws = libc::winsize {
        ws_row: 50,
        ws_col: 200,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two new file descriptors; we own them from here on.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &ws,
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both descriptors were just opened and are owned by nothing else.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    cmd.stderr(std::process::Stdio::from(slave));
    cmd.stdout(std::process::Stdio::piped());
    cmd.stdin(std::process::Stdio::null());
    let mut child = cmd.spawn().expect("spawn");
    drop(cmd);
    let mut term = std::fs::File::from(master);
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        // Reading the master fails with EIO once the child's side is closed.
        while let Ok(n) = term.read(&mut chunk) {
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        buf
    });
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let status = child.wait().unwrap();
    let term = reader.join().unwrap();
    (
        status.code().unwrap_or(-1),
        out,
        String::from_utf8_lossy(&term).into_owned(),
    )
}

/// The `diagnose` flag that imports a file of this name.
pub fn from_flag(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "curl" | "sh" => "--from-curl",
        "http" => "--from-http",
        "har" => "--from-har",
        "py" => "--from-python",
        "js" => "--from-js",
        other => panic!("no importer for .{other}"),
    }
}
