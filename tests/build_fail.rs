//! Failures of the library's own build, which trybuild cannot reach: they come from
//! `build.rs`, not from a crate that uses the library. Each case copies the workspace, makes
//! one edit, builds the library and compares the build's error lines with
//! `tests/build_fail/<case>.stderr` (regenerate with `BUILD_FAIL=overwrite cargo test --test
//! build_fail` after a deliberate change, and read the diff).

mod common;

use common::{cargo_in_copy, root};
use std::path::Path;

/// Builds the library from a copy of the workspace with `file` edited by `edit` and the copy
/// then changed by `change` (given its root); returns the lines of the build's output that
/// are errors about the specs or the sources.
fn build_errors(file: &str, edit: impl Fn(&str) -> String, change: impl Fn(&Path)) -> String {
    let out = cargo_in_copy(
        "build_fail",
        &["build", "--offline", "-p", "ttnn-op-perf-models"],
        |dir| {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, edit(&text)).unwrap();
            change(dir);
        },
    );
    assert!(!out.status.success(), "the edited library built");
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::trim)
        .filter_map(|l| {
            // rustc's `--> <file>:<line>:<col>` of a source error: the file, from `src/` on
            // (formulas are included by absolute path); the line moves with every edit above
            // it, so only the file is compared.
            let at = l
                .strip_prefix("--> ")
                .and_then(|p| p.find("src/").map(|i| &p[i..]))
                .map(|p| p.split(':').next().unwrap_or(p));
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
        |t| t.replacen("        overhead_cycles: cx.cycles_to_ns(1.0),\n", "", 1),
        |_| {},
    );
    check("formula_missing_feature", &errors);
}

#[test]
fn an_invalid_spec_stops_the_build_with_file_line_key_and_fix() {
    let errors = build_errors(
        "model_specs/wormhole_b0/matmul.toml",
        |t| {
            // A misspelled coefficient: the message names the family's coefficients (a
            // list that adding an op leaves as it is).
            t.replacen(
                "coefficients = { overhead_cycles",
                "coefficients = { overhed_cycles",
                1,
            )
        },
        |_| {},
    );
    check("invalid_spec", &errors);
}
