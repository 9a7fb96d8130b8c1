//! `gcdoctor explain -` / `gcdoctor explain 'TEXT'`: what a pasted error can and cannot mean.
//!
//! # Plan
//!
//! 1. [`redact`]: the pasted text is redacted by position (Authorization values, `Basic`/
//!    `Bearer` tokens, `client_secret=`, `access_token`, passwords, URL userinfo, secret flags),
//!    then by value (every form of what was cut, wherever else it appears). Everything after
//!    this step sees only the redacted text, so nothing secret can be quoted.
//! 2. [`recognise`]: which tool wrote the text (.NET, Go/gc CLI, Terraform, Python, JavaScript,
//!    Java, raw JSON, HTML, a log line) and what it says: status, OAuth `error` and
//!    description, Platform API code, transport failure, host, correlation id.
//! 3. [`causes`]: the answer's family and, grounded in genesys-facts.md, the causes it can and
//!    cannot mean, and the `gcdoctor diagnose` command that settles it.
//! 4. Here: the reading rendered as text or JSON, the whole output scrubbed once more by the
//!    redactor of step 1.

pub mod causes;
pub mod recognise;
pub mod redact;

use causes::{Because, Reading};
use serde_json::json;

/// Output formats of `explain` for a pasted error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

/// The pasted text is no error gcdoctor can read.
#[derive(Debug, PartialEq, Eq)]
pub struct NotRecognised;

/// The longest excerpt of the paste quoted back.
const EXCERPT: usize = 300;

/// Reads a pasted error. The reading holds only redacted text.
pub fn explain_paste(text: &str) -> Result<(Reading, String), NotRecognised> {
    let redacted = redact::redact(text);
    let answer = recognise::recognise(&redacted).ok_or(NotRecognised)?;
    Ok((causes::read(answer), excerpt(&redacted)))
}

/// Renders a pasted error's reading; the output is scrubbed of every value in a credential
/// position of `text`.
pub fn render_paste(text: &str, format: ExplainFormat) -> Result<String, NotRecognised> {
    let (reading, quote) = explain_paste(text)?;
    let out = match format {
        ExplainFormat::Text => render_text(&reading, &quote),
        ExplainFormat::Json => render_json(&reading, &quote),
    };
    Ok(redact::redactor_for(text).scrub(&out))
}

/// The lines of the paste that say most (the first few non-empty ones), cut to a length.
fn excerpt(redacted: &str) -> String {
    let mut out = String::new();
    for line in redacted
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
    {
        if out.chars().count() + line.chars().count() > EXCERPT {
            let room = EXCERPT.saturating_sub(out.chars().count());
            if room > 20 {
                out.push_str(&line.chars().take(room).collect::<String>());
                out.push('…');
            } else {
                out.push('…');
            }
            break;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

fn rows(items: &[Because]) -> String {
    items
        .iter()
        .map(|b| format!("  {} {:<24} {}\n", b.cause.code(), b.cause.name(), b.why))
        .collect()
}

fn render_text(r: &Reading, quote: &str) -> String {
    let a = &r.answer;
    let source = a.source.map(|s| s.label()).unwrap_or("an error text");
    let mut out = if a.in_log {
        format!("You pasted a log line holding {source}:\n")
    } else {
        format!("You pasted {source}:\n")
    };
    for l in quote.lines() {
        out.push_str(&format!("  | {l}\n"));
    }
    out.push_str(&format!("\nThe answer: {}\n", r.said));
    if let Some(h) = &a.host {
        out.push_str(&format!("Host named in it: {h}\n"));
    }
    if r.can.is_empty() {
        out.push_str(
            "\nIt can mean: none of the causes of a failed token request (see the note).\n",
        );
    } else {
        out.push_str(&format!("\nIt can mean:\n{}", rows(&r.can)));
    }
    if !r.cannot.is_empty() {
        out.push_str(&format!("\nIt cannot mean:\n{}", rows(&r.cannot)));
    }
    if !r.notes.is_empty() {
        out.push('\n');
        for n in &r.notes {
            out.push_str(&format!("Note: {n}\n"));
        }
    }
    out.push_str("\nTo settle it, run:\n");
    for c in &r.settle {
        out.push_str(&format!("  {c}\n"));
    }
    if let Some(first) = r.can.first() {
        out.push_str(&format!(
            "\nMore about a cause: gcdoctor explain {}\n",
            first.cause.code()
        ));
    }
    out
}

fn render_json(r: &Reading, quote: &str) -> String {
    let a = &r.answer;
    let causes = |items: &[Because]| {
        items
            .iter()
            .map(|b| json!({"id": b.cause.code(), "name": b.cause.name(), "why": b.why}))
            .collect::<Vec<_>>()
    };
    let v = json!({
        "schema": "gcdoctor.explain/v1",
        "recognised": {
            "source": a.source,
            "in_log": a.in_log,
            "status": a.status,
            "error": a.error,
            "description": a.description,
            "api_code": a.api_code,
            "message": a.message,
            "transport": a.transport,
            "host": a.host,
            "correlation_id": a.correlation_id,
            "excerpt": quote,
        },
        "answer": r.said,
        "can": causes(&r.can),
        "cannot": causes(&r.cannot),
        "notes": r.notes,
        "settle": r.settle,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotnet_rejection_reads_as_many_causes_not_throttling() {
        let out = render_paste(
            r#"Error calling PostToken: {"error":"invalid_client","description":"authentication failed","error_description":"authentication failed"}"#,
            ExplainFormat::Text,
        )
        .unwrap();
        let (can, cannot) = out.split_once("It cannot mean:").unwrap();
        for id in ["GC103", "GC205", "GC206", "GC207", "GC203", "GC201"] {
            assert!(can.contains(id), "{id}: {out}");
        }
        for id in ["GC501", "GC404"] {
            assert!(cannot.contains(id), "{id}: {out}");
            assert!(!can.contains(id), "{id}: {out}");
        }
        assert!(out.contains("gcdoctor diagnose --client-id"), "{out}");
    }

    #[test]
    fn unreadable_text_is_refused() {
        assert_eq!(
            render_paste("the weather is fine", ExplainFormat::Text),
            Err(NotRecognised)
        );
    }
}
