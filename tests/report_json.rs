//! `--format json` against `docs/report.schema.json`: every report the tool can produce
//! validates, the schema describes every field it emits, and the schema rejects a renamed or
//! missing contract field.

#[path = "common/report.rs"]
mod common;

use common::*;
use gcdoctor::report::{Format, RenderOptions, Report, render};
use gcdoctor::secret::Redactor;
use serde_json::{Value, json};

fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/report.schema.json"
    ))
    .expect("docs/report.schema.json exists");
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// The schema with `additionalProperties: false` on every object that lists properties:
/// a report that validates against it has no field the schema does not document.
fn closed(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if m.contains_key("properties") {
                    m.entry("additionalProperties").or_insert(json!(false));
                }
                for (k, x) in m.iter_mut() {
                    // The conditions of `allOf` constrain values, they do not describe fields.
                    if k != "allOf" {
                        walk(x);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    let v = jsonschema::validator_for(schema).expect("the schema compiles");
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Validates against the published schema and its closed form.
fn assert_valid(what: &str, instance: &Value) {
    let open = errors(&schema(), instance);
    assert!(open.is_empty(), "{what}: {open:#?}");
    let strict = errors(&closed(schema()), instance);
    assert!(
        strict.is_empty(),
        "{what}: fields the schema does not describe: {strict:#?}"
    );
}

fn parse_stdout(what: &str, out: &std::process::Output) -> Value {
    let s = stdout(out);
    let v: Value = serde_json::from_str(&s)
        .unwrap_or_else(|e| panic!("{what}: stdout is not one JSON value ({e}):\n{s}"));
    assert!(v.is_object(), "{what}: not an object");
    assert!(
        s.trim_start()
            .starts_with("{\n  \"schema\": \"gcdoctor.report/v1\""),
        "{what}: `schema` comes first"
    );
    v
}

fn render_json(r: &Report) -> Value {
    let s = render(r, Format::Json, RenderOptions::default(), &Redactor::new());
    serde_json::from_str(&s).expect("JSON")
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::meta::validate(&s).expect("valid against the 2020-12 meta-schema");
}

#[test]
fn every_built_in_scenario_validates() {
    for name in scenarios() {
        let out = demo(name, "json", &[]);
        let v = parse_stdout(name, &out);
        assert_valid(name, &v);
        assert_eq!(v["kind"], "diagnose", "{name}");
        let n = v["exchanges"].as_array().map_or(0, Vec::len);
        assert_eq!(v["requests_sent"].as_u64(), Some(n as u64), "{name}");
        // The cause is one of the findings.
        if !v["cause"].is_null() {
            let f = v["findings"].as_array().expect("findings");
            assert!(f.iter().any(|x| x["id"] == v["cause"]["id"]), "{name}");
        }
    }
}

#[test]
fn contract_values_of_known_scenarios() {
    let v = parse_stdout("wrong-region", &demo("wrong-region", "json", &[]));
    assert_eq!(v["verdict"], "cause-found");
    assert_eq!(v["cause"]["id"], "GC103");
    assert_eq!(v["cause"]["name"], "wrong-region");
    assert!(
        v["cause"]["summary"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert!(
        v["cause"]["fix"]
            .as_str()
            .is_some_and(|s| s.contains("login.mypurecloud.ie"))
    );
    assert_eq!(
        v["region"],
        json!({"configured": "us-east-1", "detected": "eu-west-1"})
    );
    assert_eq!(v["exit_code"], 1);
    assert_eq!(v["cause"]["exchanges"], json!([1, 2]));

    let v = parse_stdout("healthy", &demo("healthy", "json", &[]));
    assert_eq!(v["verdict"], "healthy");
    assert!(v["cause"].is_null());
    assert_eq!(v["findings"][0]["id"], "GC000");
    assert_eq!(v["exit_code"], 0);
}

#[test]
fn an_inconclusive_run_validates_and_exits_3() {
    let out = inconclusive("json", &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let v = parse_stdout("inconclusive", &out);
    assert_valid("inconclusive", &v);
    assert_eq!(v["verdict"], "inconclusive");
    assert!(v["cause"].is_null());
    assert_eq!(v["findings"][0]["id"], "GC900");
    assert!(!v["settle"].as_array().expect("settle").is_empty());
    assert_eq!(v["exit_code"], 3);
}

#[test]
fn lint_reports_validate() {
    let v = render_json(&lint_report());
    assert_valid("lint", &v);
    assert_eq!(v["kind"], "lint");
    assert_eq!(v["verdict"], "defects");
    assert_eq!(v["requests_sent"], 0);
    assert_eq!(v["cause"]["id"], "GC301");
    assert_eq!(v["findings"][0]["line"], 4);
    assert_eq!(v["suggestion"]["language"], "curl");

    let v = render_json(&lint_clean_report());
    assert_valid("lint clean", &v);
    assert_eq!(v["verdict"], "clean");
    assert!(v["cause"].is_null());
    assert_eq!(v["exit_code"], 0);
}

#[test]
fn a_report_with_every_field_filled_validates() {
    let r = report_with(&|s| format!("{s} | ` < > \" \\ \n ü"));
    let v = render_json(&r);
    assert_valid("full", &v);
    assert_eq!(v["exchanges"][1]["response"], Value::Null);
    assert_eq!(
        v["exchanges"][1]["error"],
        "connection refused | ` < > \" \\ \n ü"
    );
    assert_eq!(v["checks"][1]["cause"], "GC103");
    assert_eq!(v["findings"][1]["line"], 3);
}

/// Paths of the contract fields (contract §4).
const CONTRACT: &[&[&str]] = &[
    &["schema"],
    &["verdict"],
    &["cause"],
    &["findings"],
    &["region"],
    &["requests_sent"],
    &["cause", "id"],
    &["cause", "name"],
    &["cause", "summary"],
    &["cause", "fix"],
    &["findings", "0", "id"],
    &["findings", "0", "name"],
    &["findings", "0", "severity"],
    &["findings", "0", "summary"],
    &["region", "configured"],
    &["region", "detected"],
];

fn parent_of<'a>(v: &'a mut Value, path: &[&str]) -> &'a mut serde_json::Map<String, Value> {
    let mut cur = v;
    for p in &path[..path.len() - 1] {
        cur = match p.parse::<usize>() {
            Ok(i) => &mut cur[i],
            Err(_) => &mut cur[*p],
        };
    }
    cur.as_object_mut().expect("an object")
}

#[test]
fn the_schema_rejects_a_renamed_or_missing_contract_field() {
    let good = parse_stdout("wrong-region", &demo("wrong-region", "json", &[]));
    let s = schema();
    assert!(errors(&s, &good).is_empty());
    for path in CONTRACT {
        let key = path[path.len() - 1];
        let mut missing = good.clone();
        let value = parent_of(&mut missing, path).remove(key).expect("present");
        assert!(
            !errors(&s, &missing).is_empty(),
            "dropping {path:?} is not caught"
        );
        let mut renamed = missing.clone();
        parent_of(&mut renamed, path).insert(format!("{key}_renamed"), value);
        assert!(
            !errors(&s, &renamed).is_empty(),
            "renaming {path:?} is not caught"
        );
    }
}

#[test]
fn the_schema_rejects_wrong_contract_values() {
    let good = parse_stdout("wrong-region", &demo("wrong-region", "json", &[]));
    let s = schema();
    let bad = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        !errors(&s, &v).is_empty()
    };
    assert!(bad(&|v| v["schema"] = json!("gcdoctor.report/v2")));
    assert!(bad(&|v| v["verdict"] = json!("found")));
    assert!(
        bad(&|v| v["cause"] = Value::Null),
        "cause-found needs a cause"
    );
    assert!(bad(&|v| v["cause"]["id"] = json!("103")));
    assert!(bad(&|v| v["findings"][0]["severity"] = json!("fatal")));
    assert!(bad(&|v| v["requests_sent"] = json!(-1)));
    assert!(bad(&|v| v["requests_sent"] = json!("18")));
    assert!(bad(&|v| v["region"]["configured"] = json!(7)));
    assert!(bad(&|v| v["exit_code"] = json!(0)), "cause-found exits 1");
    assert!(
        bad(&|v| {
            v["kind"] = json!("lint");
        }),
        "lint has no cause-found verdict"
    );
}

#[test]
fn lint_reports_of_the_real_cli_validate() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut n = 0;
    for dir in ["seeds", "curl", "http", "har", "python", "js"] {
        let Ok(entries) = std::fs::read_dir(format!("{fixtures}/{dir}")) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_gcdoctor"))
                .args(["lint", "--format", "json"])
                .arg(&path)
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            // Fixtures that are deliberately unreadable exit 2 and print no report.
            if out.status.code() == Some(2) {
                continue;
            }
            let v = parse_stdout(&path.display().to_string(), &out);
            assert_valid(&path.display().to_string(), &v);
            assert_eq!(v["kind"], "lint");
            assert_eq!(v["requests_sent"], 0);
            n += 1;
        }
    }
    assert!(n >= 20, "only {n} fixtures linted");
}

#[test]
fn every_client_of_a_batch_report_validates() {
    let sim = Sim::start("healthy");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clients.txt");
    std::fs::write(
        &file,
        "7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61 eu-west-1 env:S1\n7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61 us-east-1 env:S1\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gcdoctor"))
        .args(["diagnose", "--format", "json", "--clients"])
        .arg(&file)
        .env("GCDOCTOR_CONNECT_TO", sim.addr().to_string())
        .env("S1", "s8B8Dq65NERzuWc78TLlI8IipDKO-u2TO9G6kAj3FJE")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.starts_with("{\n  \"schema\": \"gcdoctor.batch/v1\""),
        "{text}"
    );
    let v: Value = serde_json::from_str(&text).expect("one JSON value");
    for (i, c) in v["clients"].as_array().unwrap().iter().enumerate() {
        assert_valid(&format!("batch client {i}"), c);
    }
}
