//! Failures of the library's own build, which trybuild cannot reach: they come from
//! `build.rs`, not from a crate that uses the library. Each case copies the workspace, makes
//! one edit, builds the library and compares the build's error lines with
//! `tests/build_fail/<case>.stderr` (regenerate with `BUILD_FAIL=overwrite cargo test --test
//! build_fail` after a deliberate change, and read the diff).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

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

/// Builds the library from a copy of the workspace with `file` edited by `edit` and the copy
/// then changed by `change` (given its root); returns the lines of the build's output that
/// are errors about the specs or the sources.
fn build_errors(file: &str, edit: impl Fn(&str) -> String, change: impl Fn(&Path)) -> String {
    // Every copy of the library builds in the same folders of the target folder (cargo does
    // not hash a workspace member's path), `OUT_DIR` included, and its build script reruns
    // only for files newer than its last run: so one case at a time, each copied once the
    // case before has built.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    copy_workspace(root(), dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(&text)).unwrap();
    change(dir.path());
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
        .filter_map(|l| {
            // rustc's `--> <file>:<line>:<col>` of a source error, from `src/` on (formulas
            // are included by absolute path).
            let at = l
                .strip_prefix("--> ")
                .and_then(|p| p.find("src/").map(|i| &p[i..]));
            match at {
                Some(at) => Some(format!("--> {at}")),
                None => (l.starts_with("error: model_specs") || l.starts_with("error["))
                    .then(|| l.to_string()),
            }
        })
        .chain(["(the build stops)".to_string()])
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
fn a_family_spec_without_its_formula_file_stops_the_build_naming_the_spec() {
    let errors = build_errors(
        "model_specs/families/data_movement_roofline.toml",
        str::to_string,
        |dir| std::fs::remove_file(dir.join("src/formulas/data_movement_roofline.rs")).unwrap(),
    );
    check("spec_without_formula", &errors);
}

#[test]
fn a_formula_without_a_feature_of_its_spec_fails_at_the_formula() {
    // rustc names the field missing where the formula builds its features.
    let errors = build_errors(
        "src/formulas/data_movement_roofline.rs",
        |t| t.replacen("        overhead_ns: 1.0,\n", "", 1),
        |_| {},
    );
    check("formula_missing_feature", &errors);
}

#[test]
fn an_invalid_spec_stops_the_build_with_file_line_key_and_fix() {
    let errors = build_errors(
        "model_specs/wormhole_b0/matmul.toml",
        |t| {
            t.replacen(
                "family = \"matmul_roofline\"",
                "family = \"matmul_rooflin\"",
                1,
            )
        },
        |_| {},
    );
    check("invalid_spec", &errors);
}
