//! The cause catalogue: stable ids, one `checks/` page per id with the same sections, and
//! `gcdoctor explain` serving every page from the binary.

mod common;
use common::gcdoctor;
use gcdoctor::catalogue::CauseId;

const SECTIONS: [&str; 8] = [
    "## What it means",
    "## How gcdoctor detects it",
    "## Evidence in the report",
    "## Fix",
    "### Python (requests)",
    "### curl",
    "### Official SDKs",
    "## Related",
];

#[test]
fn the_id_list_is_stable() {
    // A change here is a change of the outside contract: ids are never reused or renamed.
    let list: Vec<String> = CauseId::ALL
        .iter()
        .map(|c| format!("{} {}", c.code(), c.name()))
        .collect();
    insta::assert_snapshot!("cause_ids", list.join("\n"));
}

#[test]
fn every_page_in_checks_belongs_to_a_cause_and_every_cause_has_one() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("checks");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    files.sort();
    let mut expected: Vec<String> = CauseId::ALL
        .iter()
        .map(|c| c.page_file().to_string())
        .collect();
    expected.sort();
    assert_eq!(files, expected, "checks/ and the catalogue disagree");
}

#[test]
fn every_page_has_the_same_sections_in_order() {
    for c in CauseId::ALL {
        let page = c.page();
        let first = page.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("# {} {}", c.code(), c.name()),
            "{}",
            c.page_file()
        );
        let mut at = 0;
        for s in SECTIONS {
            let found = page[at..].lines().position(|l| l == s).unwrap_or_else(|| {
                panic!("{}: no `{s}` after the previous section", c.page_file())
            });
            at += page[at..]
                .lines()
                .take(found + 1)
                .map(|l| l.len() + 1)
                .sum::<usize>();
        }
        // A one-sentence lead under the title.
        let lead = page
            .lines()
            .skip(1)
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        assert!(
            !lead.starts_with('#'),
            "{}: no lead sentence",
            c.page_file()
        );
    }
}

#[test]
fn the_contract_table_and_the_catalogue_agree() {
    let contract = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/contract.md");
    let Ok(text) = std::fs::read_to_string(&contract) else {
        // Outside the project's workspace the contract is not beside the checkout; the
        // snapshot of the id list above still guards the ids.
        eprintln!(
            "{} not found: checked against the snapshot only",
            contract.display()
        );
        return;
    };
    let rows: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells.len() > 3 && cells[1].starts_with("GC") && cells[1].len() == 5)
                .then(|| (cells[1].to_string(), cells[2].to_string()))
        })
        .collect();
    assert!(!rows.is_empty());
    // The contract names the next id ("Next id, to be added to the table above … **GC406
    // ip-not-allowed**") before its table row exists: it counts as a row.
    let mut rows = rows;
    rows.extend(next_ids(&text));
    for (code, name) in &rows {
        let c = CauseId::lookup(code).unwrap_or_else(|| panic!("{code} is not in the catalogue"));
        assert_eq!(c.name(), name, "{code}");
    }
    // Beyond the contract's causes, only the hygiene warnings (GC6xx) of the catalogue.
    for c in CauseId::ALL {
        if !rows.iter().any(|(code, _)| code == c.code()) {
            assert!(
                c.code().starts_with("GC6"),
                "{} is in neither the contract nor GC6xx",
                c.code()
            );
        }
    }
}

/// `**GCnnn name**` ids named in the contract's "Next id" paragraph.
fn next_ids(contract: &str) -> Vec<(String, String)> {
    let Some(at) = contract.find("Next id") else {
        return Vec::new();
    };
    let para = contract[at..].split("\n\n").next().unwrap_or_default();
    para.split("**")
        .skip(1)
        .step_by(2)
        .filter_map(|bold| {
            let (code, name) = bold.trim().split_once(' ')?;
            (code.starts_with("GC") && code.len() == 5)
                .then(|| (code.to_string(), name.trim().to_string()))
        })
        .collect()
}

#[test]
fn the_contracts_next_id_is_read() {
    let text = "| GC900 | inconclusive | x |\n\nNext id, to be added: **GC406 ip-not-allowed**: the org's ranges.\n\nOther **GC999 nope** text.";
    assert_eq!(
        next_ids(text),
        vec![("GC406".to_string(), "ip-not-allowed".to_string())]
    );
}

#[test]
fn explain_prints_every_page_by_code_and_by_name() {
    for c in CauseId::ALL {
        for key in [
            c.code().to_string(),
            c.name().to_string(),
            c.code().to_ascii_lowercase(),
        ] {
            let out = gcdoctor().args(["explain", &key]).output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{key}");
            assert_eq!(String::from_utf8_lossy(&out.stdout), c.page(), "{key}");
        }
    }
    let list = gcdoctor().args(["explain", "--list"]).output().unwrap();
    let text = String::from_utf8_lossy(&list.stdout);
    for c in CauseId::ALL {
        assert!(
            text.contains(c.code()) && text.contains(c.name()),
            "{}",
            c.code()
        );
    }
    let bad = gcdoctor().args(["explain", "GC999"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("explain --list"));
}
