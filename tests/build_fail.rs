//! Failures of the library's own build, which trybuild cannot reach: they come from
//! `build.rs`, not from a crate that uses the library. Each case copies the workspace, makes
//! one edit, builds the library and compares the build's error lines with
//! `tests/build_fail/<case>.stderr` (regenerate with `BUILD_FAIL=overwrite cargo test --test
//! build_fail` after a deliberate change, and read the diff).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the workspace (without `target/` and `.git/`) into `to`.
fn copy_workspace(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_workspace(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Builds the library from a copy of the workspace with `file` edited by `edit`; returns the
/// lines of the build's output that the build script wrote as errors.
fn build_errors(file: &str, edit: impl Fn(&str) -> String) -> String {
    let dir = tempfile::tempdir().unwrap();
    copy_workspace(root(), dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit of {file} changed nothing");
    std::fs::write(&path, edited).unwrap();
    // A target folder of its own, kept between runs so dependencies build once.
    let target: PathBuf = root().join("target/tests/build_fail");
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--offline", "-p", "ttnn-op-perf-models"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap();
    assert!(!out.status.success(), "the edited library built");
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("error: model_specs") || l.starts_with("error: src/"))
        .chain(["(the build stops)"])
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Compares `actual` with `tests/build_fail/<case>.stderr`, or writes it there.
fn check(case: &str, actual: &str) {
    let path = root().join(format!("tests/build_fail/{case}.stderr"));
    if std::env::var("BUILD_FAIL").as_deref() == Ok("overwrite") {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        actual,
        expected,
        "{case}: build errors differ from {}",
        path.display()
    );
}

#[test]
fn a_family_spec_without_a_formula_stops_the_build_naming_the_spec() {
    let errors = build_errors("src/formulas/data_movement_roofline.rs", |t| {
        t.replace(
            "crate::perf_model(family = \"data_movement_roofline\")",
            "doc = \"no longer a formula\"",
        )
    });
    check("spec_without_formula", &errors);
}
