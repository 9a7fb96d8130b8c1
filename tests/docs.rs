//! The user documentation (`README.md`, `docs/*.md`) against the code: links resolve, every
//! cause of the catalogue is in the guide with a working link, the generated tables match
//! the catalogue and the region list, every `gcdoctor …` command shown parses, the numbers
//! quoted match the code, and the package metadata is complete.
//!
//! `GCDOCTOR_UPDATE_DOCS=1 cargo test --test docs` rewrites the generated tables.

use clap::Parser;
use gcdoctor::catalogue::CauseId;
use gcdoctor::cli::Cli;
use gcdoctor::region::REGIONS;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser as Md, Tag, TagEnd};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// README.md and every `docs/*.md`.
fn doc_files() -> Vec<String> {
    let mut v = vec!["README.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    v.extend(docs);
    v
}

fn updating() -> bool {
    std::env::var_os("GCDOCTOR_UPDATE_DOCS").is_some_and(|v| v == "1")
}

// ---------------------------------------------------------------------------------------------
// Generated tables

/// Markdown-safe table cell: `<`, `>` and `|` escaped outside code spans.
fn cell(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
        } else {
            out.push_str(
                &part
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('|', "\\|"),
            );
        }
    }
    out
}

fn causes_table() -> String {
    let mut t = String::from("| id | name | meaning |\n|---|---|---|\n");
    for c in CauseId::ALL {
        t.push_str(&format!(
            "| [{}](../checks/{}) | `{}` | {} |\n",
            c.code(),
            c.page_file(),
            c.name(),
            cell(c.meaning())
        ));
    }
    t
}

fn regions_table() -> String {
    let mut t =
        String::from("| region | SDK key | domain | service discovery |\n|---|---|---|---|\n");
    for r in REGIONS {
        t.push_str(&format!(
            "| `{}` | `{}` | `{}` | {} |\n",
            r.key,
            r.sdk_key,
            r.domain,
            r.discovery.map_or("—".to_string(), |d| format!("`{d}`"))
        ));
    }
    t
}

/// Replaces the text between `<!-- BEGIN generated: NAME … -->` and `<!-- END generated:
/// NAME -->`; returns the new file text.
fn splice(text: &str, name: &str, body: &str) -> String {
    let begin = format!("<!-- BEGIN generated: {name} ");
    let end = format!("<!-- END generated: {name} -->");
    let b = text
        .find(&begin)
        .unwrap_or_else(|| panic!("no `{begin}…` marker"));
    let b = b + text[b..].find("-->\n").expect("end of the BEGIN marker") + 4;
    let e = text
        .find(&end)
        .unwrap_or_else(|| panic!("no `{end}` marker"));
    format!("{}{}{}", &text[..b], body, &text[e..])
}

#[test]
fn generated_tables_in_the_guide_are_up_to_date() {
    let path = root().join("docs/guide.md");
    let text = read("docs/guide.md");
    let new = splice(&text, "causes", &causes_table());
    let new = splice(&new, "regions", &regions_table());
    if new != text {
        if updating() {
            std::fs::write(&path, new).unwrap();
        } else {
            panic!(
                "docs/guide.md: the cause or region table differs from the code; regenerate with: GCDOCTOR_UPDATE_DOCS=1 cargo test --test docs"
            );
        }
    }
}

#[test]
fn every_cause_is_in_the_guide_with_a_link_to_its_page() {
    let guide = read("docs/guide.md");
    let links = links_of(&guide);
    for c in CauseId::ALL {
        let target = format!("../checks/{}", c.page_file());
        assert!(
            links.iter().any(|l| l == &target),
            "docs/guide.md has no link to {target}"
        );
        assert!(
            guide.contains(&format!("[{}]({target})", c.code())),
            "{} is not linked by its id",
            c.code()
        );
        assert!(root().join("checks").join(c.page_file()).is_file());
    }
}

// ---------------------------------------------------------------------------------------------
// Links

fn links_of(md: &str) -> Vec<String> {
    Md::new_ext(md, Options::all())
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// GitHub's heading anchors: lower case, punctuation dropped, spaces to `-`.
fn anchors_of(md: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut in_heading = false;
    let mut text = String::new();
    for e in Md::new_ext(md, Options::all()) {
        match e {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                text.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                let slug: String = text
                    .to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                    .map(|c| if c == ' ' { '-' } else { c })
                    .collect();
                let mut s = slug.clone();
                let mut n = 1;
                while out.contains(&s) {
                    s = format!("{slug}-{n}");
                    n += 1;
                }
                out.insert(s);
            }
            Event::Text(t) | Event::Code(t) if in_heading => text.push_str(&t),
            _ => {}
        }
    }
    out
}

#[test]
fn every_relative_link_in_the_docs_resolves() {
    let mut broken = Vec::new();
    for file in doc_files() {
        let text = read(&file);
        let dir = Path::new(&file).parent().unwrap().to_path_buf();
        for link in links_of(&text) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (path, anchor) = match link.split_once('#') {
                Some((p, a)) => (p.to_string(), Some(a.to_string())),
                None => (link.clone(), None),
            };
            let target = if path.is_empty() {
                PathBuf::from(&file)
            } else {
                dir.join(&path)
            };
            let full = root().join(&target);
            if !full.exists() {
                broken.push(format!("{file}: {link} (no {})", target.display()));
                continue;
            }
            if let Some(a) = anchor
                && full.extension().is_some_and(|x| x == "md")
            {
                let anchors = anchors_of(&std::fs::read_to_string(&full).unwrap());
                if !anchors.contains(&a) {
                    broken.push(format!("{file}: {link} (no heading #{a})"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn readme_documentation_section_links_every_doc() {
    let readme = read("README.md");
    let section = readme
        .split("## Documentation")
        .nth(1)
        .expect("a Documentation section")
        .split("\n## ")
        .next()
        .unwrap();
    let links = links_of(section);
    for file in doc_files().iter().filter(|f| f.starts_with("docs/")) {
        assert!(
            links.iter().any(|l| l == file),
            "README's Documentation section does not link {file}"
        );
    }
    assert!(links.iter().any(|l| l == "docs/gcdoctor.1"));
}

// ---------------------------------------------------------------------------------------------
// Commands and code blocks

/// The shell code blocks (`sh`, `bash`, `console`) of a markdown file.
fn shell_blocks(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for e in Md::new_ext(md, Options::all()) {
        match e {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))
                if matches!(lang.as_ref(), "sh" | "bash" | "console" | "shell") =>
            {
                current = Some(String::new());
            }
            Event::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(c) = current.take() {
                    out.push(c);
                }
            }
            _ => {}
        }
    }
    out
}

/// Every `gcdoctor …` command of a shell snippet, as words: continuation lines joined,
/// leading `VAR=value` assignments skipped, cut at `|`, `;`, `&&`, `<`, `>`, `)` and comments.
fn commands_in(snippet: &str) -> Vec<Vec<String>> {
    let joined = snippet.replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        let mut rest = line;
        while let Some(i) = rest.find("gcdoctor ") {
            let before = rest[..i].chars().last();
            let after = &rest[i + "gcdoctor ".len()..];
            rest = after;
            if !matches!(before, None | Some(' ') | Some('(')) {
                continue;
            }
            let prefix = line[..line.len() - after.len() - "gcdoctor ".len()].trim();
            let assigns_only = prefix
                .split_whitespace()
                .all(|w| w.contains('=') || w == "source" || w.ends_with("<(") || w == "|");
            if !(prefix.is_empty() || assigns_only || prefix.ends_with("<(")) {
                continue;
            }
            let cut = ["|", ";", "&&", " <", ">", ")", " #"]
                .iter()
                .filter_map(|sep| after.find(sep))
                .min()
                .unwrap_or(after.len());
            let mut words = vec!["gcdoctor".to_string()];
            words.extend(
                shlex::split(&after[..cut]).unwrap_or_else(|| panic!("shell words: {line}")),
            );
            out.push(words);
        }
    }
    out
}

#[test]
fn every_gcdoctor_command_in_the_docs_parses() {
    let mut seen = 0;
    let mut bad = Vec::new();
    for file in doc_files() {
        for block in shell_blocks(&read(&file)) {
            for words in commands_in(&block) {
                seen += 1;
                match Cli::try_parse_from(&words) {
                    Ok(_) => {}
                    Err(e)
                        if matches!(
                            e.kind(),
                            clap::error::ErrorKind::DisplayHelp
                                | clap::error::ErrorKind::DisplayVersion
                        ) => {}
                    Err(e) => bad.push(format!("{file}: {}\n{e}", words.join(" "))),
                }
            }
        }
    }
    assert!(
        seen >= 15,
        "only {seen} commands found: is the extraction broken?"
    );
    assert!(
        bad.is_empty(),
        "commands the CLI rejects:\n{}",
        bad.join("\n")
    );
}

#[test]
fn command_extraction_understands_the_shell_forms_used() {
    let c = commands_in(
        "GENESYSCLOUD_OAUTHCLIENT_SECRET=x gcdoctor diagnose --client-id $ID \\\n  --region eu-west-1 # c\nsource <(gcdoctor completions bash)\ngcdoctor lint --kind http - < req.txt\ncargo run -- gcdoctor x\n",
    );
    assert_eq!(
        c,
        vec![
            vec![
                "gcdoctor",
                "diagnose",
                "--client-id",
                "$ID",
                "--region",
                "eu-west-1"
            ],
            vec!["gcdoctor", "completions", "bash"],
            vec!["gcdoctor", "lint", "--kind", "http", "-"],
        ]
    );
}

#[test]
fn ci_page_shows_the_example_files_verbatim() {
    let page = read("docs/ci.md");
    let blocks: Vec<String> = {
        let mut out = Vec::new();
        let mut current: Option<String> = None;
        for e in Md::new_ext(&page, Options::all()) {
            match e {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))
                    if lang.as_ref() == "yaml" =>
                {
                    current = Some(String::new())
                }
                Event::Text(t) => {
                    if let Some(c) = current.as_mut() {
                        c.push_str(&t)
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(c) = current.take() {
                        out.push(c)
                    }
                }
                _ => {}
            }
        }
        out
    };
    for file in [
        "docs/examples/github-actions.yml",
        "docs/examples/gitlab-ci.yml",
    ] {
        assert!(
            blocks.iter().any(|b| b == &read(file)),
            "docs/ci.md does not show {file} as it is"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers and names quoted from the code

#[test]
fn what_is_sent_names_every_probe_and_the_transport_limits() {
    let page = read("docs/what-is-sent.md");
    for p in gcdoctor::engine::PROBES {
        assert!(
            page.contains(&format!("`{}`", p.id())),
            "docs/what-is-sent.md does not describe probe `{}`",
            p.id()
        );
    }
    let t = gcdoctor::http::TransportOptions::default();
    assert!(
        page.contains(&format!("**{}** requests", t.budget)),
        "budget {}",
        t.budget
    );
    assert!(
        page.contains(&format!("**{}** at a time", t.per_host)),
        "per host {}",
        t.per_host
    );
    assert!(page.contains(&format!("{} regions", REGIONS.len())));
    let guide = read("docs/guide.md");
    assert!(guide.contains(&format!("({} requests)", REGIONS.len())));
}

#[test]
fn guide_headings_are_unique_enough_to_link() {
    // The contents list at the top of the guide links headings by anchor.
    let guide = read("docs/guide.md");
    let mut level2 = 0;
    for e in Md::new_ext(&guide, Options::all()) {
        if let Event::Start(Tag::Heading {
            level: HeadingLevel::H2,
            ..
        }) = e
        {
            level2 += 1;
        }
    }
    assert!(level2 >= 6);
}

// ---------------------------------------------------------------------------------------------
// Package metadata

#[test]
fn package_metadata_is_complete() {
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    let p = manifest["package"].as_table().unwrap();
    let s = |k: &str| {
        p.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("package.{k}"))
    };
    assert_eq!(s("license"), "MIT OR Apache-2.0");
    for f in ["LICENSE-MIT", "LICENSE-APACHE"] {
        let text = read(f);
        assert!(text.len() > 500, "{f}");
    }
    assert!(read("LICENSE-MIT").contains("Copyright (c) the gcdoctor developers"));
    assert!(
        read("LICENSE-APACHE")
            .contains("Apache License\n                        Version 2.0, January 2004")
    );
    assert!(s("repository").starts_with("https://"));
    assert!(!s("description").is_empty() && s("description").len() < 200);
    assert!(root().join(s("readme")).is_file());
    // crates.io: at most 5 keywords of at most 20 ASCII alphanumerics, `-` or `_`.
    let keywords = p["keywords"].as_array().unwrap();
    assert!(keywords.len() <= 5);
    for k in keywords {
        let k = k.as_str().unwrap();
        assert!(
            k.len() <= 20
                && k.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "keyword {k}"
        );
    }
    // crates.io category slugs.
    let known = [
        "command-line-utilities",
        "development-tools::debugging",
        "authentication",
    ];
    for c in p["categories"].as_array().unwrap() {
        assert!(known.contains(&c.as_str().unwrap()), "category {c}");
    }
    // Everything the tests and `include_str!` read is in the package.
    let include: Vec<&str> = p["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for needed in [
        "src/**",
        "checks/**",
        "docs/**",
        "tests/**",
        "LICENSE*",
        "Dockerfile",
        ".dockerignore",
    ] {
        assert!(include.contains(&needed), "include lacks {needed}");
    }
}
