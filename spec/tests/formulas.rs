//! Finding each family's formula by its `#[perf_model]` attribute: the shipped formulas, and
//! edited copies where a family has no formula, two formulas, or a formula names no family.

use std::path::{Path, PathBuf};
use ttnn_op_perf_spec::{find_formulas, load_dir};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Copies the shipped formulas into a temporary folder, applies `edit` to `file` there.
fn edited(file: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("src/formulas")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = if name == file { edit(&text) } else { text };
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn every_shipped_family_has_its_formula() {
    let specs = load_dir(&root().join("model_specs")).unwrap();
    let found = find_formulas(&root().join("src/formulas"), &specs).unwrap();
    assert_eq!(found.len(), specs.families.len());
    assert_eq!(
        found["matmul_roofline"],
        "crate::formulas::matmul_roofline::features"
    );
    assert_eq!(
        found["eltwise_unary_roofline"],
        "crate::formulas::eltwise_unary_roofline::features"
    );
}

#[test]
fn a_family_without_a_formula_names_its_spec() {
    let specs = load_dir(&root().join("model_specs")).unwrap();
    let dir = edited("data_movement_roofline.rs", |t| {
        t.replace("perf_model(family", "not_perf_model(family")
    });
    let errors = find_formulas(dir.path(), &specs).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("model_specs/families/data_movement_roofline.toml: family `data_movement_roofline` has no formula"),
        "{errors:?}"
    );
}

#[test]
fn two_formulas_for_a_family_and_a_formula_without_a_family() {
    let specs = load_dir(&root().join("model_specs")).unwrap();
    let dir = edited("eltwise_binary_roofline.rs", |t| {
        t.replace(
            "family = \"eltwise_binary_roofline\"",
            "family = \"eltwise_unary_roofline\"",
        )
        .replacen(
            "pub const fn features",
            "#[perf_model(family = \"softmax_roofline\")]\npub const fn features",
            1,
        )
    });
    let errors = find_formulas(dir.path(), &specs).unwrap_err();
    let all = errors.join("\n");
    assert!(
        all.contains("src/formulas/eltwise_unary_roofline.rs: family `eltwise_unary_roofline` has two formulas"),
        "{all}"
    );
    assert!(
        all.contains("no model_specs/families/softmax_roofline.toml"),
        "{all}"
    );
    assert!(all.contains("model_specs/families/eltwise_binary_roofline.toml: family `eltwise_binary_roofline` has no formula"), "{all}");
}
