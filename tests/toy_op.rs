//! The README's recipe for a new op, followed on a copy of the workspace: a toy op and its
//! own family, written as the four files the recipe names and nothing else, builds and answers
//! its example query (the copy's `tests/every_model.rs`).

mod common;

use common::{cargo_in_copy, root};
use std::path::Path;

/// The recipe's files, as `README.md` names them, with the toy's contents.
const TOY: [(&str, &str, &str); 4] = [
    (
        "model_specs/ops/<op>.toml",
        "model_specs/ops/toy_copy.toml",
        r#"op = "toy_copy"
summary = "A toy op: copies of a tensor, for the recipe test."
op_codes = ["ToyCopyDeviceOperation"]

[operands]
min_inputs = 1
max_inputs = 1
output_required = false
layouts = ["tile", "row_major"]

[params.copies]
type = "int"
summary = "how many copies are written"
min = 1
max = 16
default = 1
trace = [{ attribute = "copies", read = "int" }]

[example]
inputs = ["1x1x1024x1024:bf16:tile:dram"]
params = { copies = 2 }
"#,
    ),
    (
        "model_specs/families/<family>.toml",
        "model_specs/families/toy_roofline.toml",
        r#"family = "toy_roofline"
summary = "launch + overhead + the DRAM time of reading a tensor and writing its copies"
ops = ["toy_copy"]

[coefficients.overhead_cycles]
summary = "fixed cost per op, cycles (feature: one cycle, ns)"
term = "overhead"
min = -1000.0
max = 100000.0

[coefficients.dram_scale]
summary = "measured over ideal DRAM time (feature: the bytes read and written at the card's achievable bandwidth, ns)"
term = "dram"
min = 0.0
max = 100.0
"#,
    ),
    (
        "src/formulas/<family>.rs",
        "src/formulas/toy_roofline.rs",
        r#"//! `toy_roofline`: the bytes of a tensor read once and written `copies` times, at the
//! card's DRAM bandwidth.

use crate::error::Error;
use crate::generated::{OpParams, ToyRooflineFeatures};
use crate::model::Ctx;

pub const fn features(cx: &Ctx<'_>) -> Result<ToyRooflineFeatures, Error> {
    let OpParams::ToyCopy(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let Some(bytes) = cx.inputs[0].bytes(cx.hw) else {
        return Err(Error::Overflow { what: "toy bytes" });
    };
    Ok(ToyRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        dram_scale: cx.dram_ns(bytes * (1 + p.copies as u64)),
    })
}
"#,
    ),
    (
        "model_specs/<device>/<op>.toml",
        "model_specs/wormhole_b0/toy_copy.toml",
        r#"device = "wormhole_b0"
op = "toy_copy"

[[versions]]
version = 1
family = "toy_roofline"
summary = "analytic: the bytes at the achievable DRAM bandwidth"
coefficients = { overhead_cycles = 0.0, dram_scale = 1.0 }
"#,
    ),
];

#[test]
fn the_readme_recipe_names_these_files() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let recipe = readme
        .split("### Adding an op")
        .nth(1)
        .and_then(|s| s.split("\n### ").next())
        .expect("README.md has an `### Adding an op` section");
    for (named, _, _) in TOY {
        assert!(
            recipe.contains(&format!("`{named}`")),
            "the recipe does not name `{named}`:\n{recipe}"
        );
    }
}

#[test]
fn a_toy_op_added_by_the_recipe_alone_answers_its_example() {
    let out = cargo_in_copy(
        "toy_op",
        &[
            "test",
            "--offline",
            "-p",
            "ttnn-op-perf-models",
            "--test",
            "every_model",
            "--",
            "--nocapture",
        ],
        |dir: &Path| {
            for (_, path, text) in TOY {
                std::fs::write(dir.join(path), text).unwrap();
            }
        },
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("answered toy_roofline wormhole_b0/toy_copy@v1"),
        "{stdout}"
    );
}
