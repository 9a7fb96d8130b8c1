//! `--output FILE`: the whole report lands in the file through a temporary file and a
//! rename, nothing is left behind, and a write that cannot happen is a usage error (exit 2)
//! with a message that names the file.

#[path = "common/report.rs"]
mod common;

use common::*;
use std::path::Path;

/// Every entry of a directory, by name.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn output_writes_the_full_report_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    for format in FORMATS {
        let file = dir.path().join(format!("report.{format}"));
        let out = demo(
            "wrong-region",
            format,
            &["--output", &file.to_string_lossy()],
        );
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert!(
            out.stdout.is_empty(),
            "{format}: the report goes to the file only"
        );
        let written = std::fs::read_to_string(&file).expect("the report file");
        let printed = stdout(&demo("wrong-region", format, &[]));
        // Same report as on stdout, up to timings and correlation ids.
        assert_eq!(
            written.lines().count(),
            printed.lines().count(),
            "{format}: a partial report?\n{written}"
        );
        assert!(written.ends_with('\n'), "{format}");
        match *format {
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&written).expect("JSON");
                assert_eq!(v["cause"]["id"], "GC103");
            }
            "junit" => {
                quick_junit::Report::deserialize_from_str(&written).expect("JUnit XML");
            }
            "text" => {
                // demo runs through the seam: that is said first, then the cause.
                assert!(written.starts_with("! TEST SEAM"), "{written}");
                assert!(written.contains("\n\n✗ GC103 wrong-region: "));
                assert!(!written.contains('\x1b'), "no colours in a file");
            }
            _ => {
                assert!(written.starts_with("> ⚠️ **TEST SEAM:**"), "{written}");
                assert!(written.contains("\n\n## gcdoctor: GC103 wrong-region"));
            }
        }
    }
    let names = entries(dir.path());
    assert_eq!(
        names,
        [
            "report.json",
            "report.junit",
            "report.markdown",
            "report.text"
        ],
        "temporary files left behind"
    );
}

#[test]
fn output_replaces_an_existing_file_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("report.txt");
    std::fs::write(&file, "x".repeat(100_000)).expect("old content");
    let out = demo("healthy", "text", &["--output", &file.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(&file).expect("report");
    assert!(written.starts_with("! TEST SEAM") && written.contains("\n\n✓ GC000 healthy: "));
    assert!(!written.contains("xxxx"));
    assert_eq!(entries(dir.path()), ["report.txt"]);
}

fn assert_write_fails(target: &Path, dir: &Path) {
    let out = demo(
        "wrong-region",
        "json",
        &["--output", &target.to_string_lossy()],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "gcdoctor: error: cannot write {}: ",
            target.display()
        )),
        "unclear message: {err}"
    );
    assert!(out.stdout.is_empty(), "no report on stdout either");
    assert!(
        entries(dir).iter().all(|n| !n.starts_with(".gcdoctor-")),
        "temporary file left behind in {}: {:?}",
        dir.display(),
        entries(dir)
    );
}

#[test]
fn output_to_a_directory_is_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("reports");
    std::fs::create_dir(&target).expect("mkdir");
    std::fs::write(target.join("keep.txt"), "kept").expect("a file inside");
    assert_write_fails(&target, dir.path());
    assert_eq!(
        std::fs::read_to_string(target.join("keep.txt"))
            .ok()
            .as_deref(),
        Some("kept")
    );
}

#[test]
fn output_in_a_missing_directory_is_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("no-such-dir").join("report.json");
    assert_write_fails(&target, dir.path());
}

#[cfg(unix)]
#[test]
fn output_in_a_read_only_directory_is_exit_2() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).expect("mkdir");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root writes through permissions; /proc takes no new files from anyone.
    let probe = ro.join("probe");
    if std::fs::write(&probe, "x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        let proc = Path::new("/proc");
        if proc.join("self").exists() {
            assert_write_fails(&proc.join("gcdoctor-report.json"), proc);
        }
    } else {
        assert_write_fails(&ro.join("report.json"), &ro);
    }
    let _ = std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755));
}
