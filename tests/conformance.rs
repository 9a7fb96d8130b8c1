//! Conformance: the official Genesys Cloud Python SDK (`PureCloudPlatformClientV2`, from PyPI)
//! logs in to the simulator and fails against it the way the real service makes it fail.
//!
//! The Python side is `tests/conformance/test_sdk.py`; `tests/conformance/run.sh` makes a
//! venv under the target directory (pip install from PyPI, cached after the first run),
//! starts this build's `gcdoctor simulate` and runs pytest. A missing Python or an
//! unreachable PyPI fails this test: it is never skipped.

use std::process::Command;

#[test]
fn official_python_sdk_against_the_simulator() {
    let root = env!("CARGO_MANIFEST_DIR");
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| format!("{root}/target"));
    let out = Command::new("bash")
        .arg(format!("{root}/tests/conformance/run.sh"))
        .env("GCDOCTOR_BIN", env!("CARGO_BIN_EXE_gcdoctor"))
        .env("CARGO_TARGET_DIR", target)
        .current_dir(root)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "conformance test failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    assert!(stdout.contains("passed"), "pytest ran no test:\n{stdout}");
}
