//! The validator on the shipped specs and on copies edited to be invalid, as a user would
//! edit them: each invalid edit is rejected with the file, the line, the key and a fix.

mod common;

use common::{copy_tree, shipped};
use ttnn_op_perf_spec::{MATH_FIDELITY, OpParamKind, SpecError, load_dir};

/// Copies the shipped specs, replaces `old` by `new` in `file`, loads the copy and returns its
/// errors with the 1-based line where `new` starts in the edited file.
fn edit(file: &str, old: &str, new: &str) -> (Vec<SpecError>, usize) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&shipped(), dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(old), "{file} does not contain {old:?}");
    let edited = text.replacen(old, new, 1);
    let line = edited[..edited.find(new).unwrap()].matches('\n').count() + 1;
    std::fs::write(&path, edited).unwrap();
    let errors = load_dir(dir.path())
        .expect_err("the edited specs must be rejected")
        .0;
    (errors, line)
}

/// The 1-based line of `header` (a table header such as `[params.math_fidelity]`) in the
/// shipped spec file `file`.
fn line_of(file: &str, header: &str) -> usize {
    let text = std::fs::read_to_string(shipped().join(file)).unwrap();
    text.lines().position(|l| l == header).unwrap() + 1
}

/// Asserts exactly one error, in `file`, at `line`, about `key`, saying `says`.
fn assert_one(errors: &[SpecError], file: &str, line: usize, key: &str, says: &str) {
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    let e = &errors[0];
    assert!(
        e.file.ends_with(file),
        "file {} is not {file}",
        e.file.display()
    );
    assert_eq!(e.line, line, "line of {e}");
    assert!(
        e.key.contains(key) || e.message.contains(key),
        "key {key:?} not named in {e}"
    );
    assert!(e.message.contains(says), "{says:?} not in {e}");
    let shown = e.to_string();
    assert!(
        shown.contains(file) && shown.contains(&format!(":{line}:")),
        "{shown}"
    );
}

#[test]
fn shipped_specs_are_valid_and_complete() {
    let s = load_dir(&shipped()).unwrap_or_else(|e| panic!("{e}"));
    let names = |v: Vec<&str>| v.join(",");
    assert_eq!(
        names(s.devices.iter().map(|d| d.name.as_str()).collect()),
        "blackhole,grayskull,wormhole_b0"
    );
    for d in &s.devices {
        assert!(d.default_card < d.cards.len(), "{}", d.name);
    }
    for m in &s.models {
        assert!(!m.versions.is_empty());
        for v in &m.versions {
            assert_eq!(v.coefficients.len(), s.family_of(v).coefficients.len());
        }
    }
    assert!(s.files.len() >= s.devices.len() + s.ops.len() + s.families.len() + s.models.len());
}

#[test]
fn misspelled_device() {
    let (errors, line) = edit(
        "wormhole_b0/matmul.toml",
        "device = \"wormhole_b0\"",
        "device = \"wormhole_b1\"",
    );
    assert_one(
        &errors,
        "wormhole_b0/matmul.toml",
        line,
        "device",
        "unknown device `wormhole_b1`; known devices: blackhole, grayskull, wormhole_b0",
    );
}

#[test]
fn version_without_coefficients() {
    let file = "blackhole/matmul.toml";
    let text = std::fs::read_to_string(shipped().join(file)).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("coefficients = "))
        .unwrap();
    let (errors, _) = edit(file, line, "");
    let versions_line = line_of(file, "[[versions]]");
    assert_one(
        &errors,
        file,
        versions_line,
        "coefficients",
        "missing field `coefficients`",
    );
}

/// A version written before `params` was renamed `coefficients` is told to rename it.
#[test]
fn version_with_the_old_params_key() {
    let file = "blackhole/matmul.toml";
    let (errors, line) = edit(file, "\ncoefficients = {", "\nparams = {");
    assert_one(&errors, file, line + 1, "params", "unknown field `params`");
    assert!(
        errors[0]
            .message
            .contains("`params` was renamed `coefficients`: a family's fitted numbers are its coefficients: a version's `params = { ... }` is `coefficients = { ... }`"),
        "{}",
        errors[0]
    );
}

/// So is a family file with `[params.<name>]` tables.
#[test]
fn family_with_the_old_params_tables() {
    let file = "families/data_movement_roofline.toml";
    let (errors, line) = edit(file, "[coefficients.dram_scale]", "[params.dram_scale]");
    assert_one(
        &errors,
        file,
        line,
        "params.dram_scale",
        "`params` was renamed `coefficients`",
    );
    assert!(
        errors[0]
            .message
            .contains("a family file's `[params.<name>]` is `[coefficients.<name>]`"),
        "{}",
        errors[0]
    );
}

#[test]
fn unknown_table() {
    let (errors, line) = edit(
        "wormhole_b0/reshard.toml",
        "[[versions]]",
        "[tuning]\nx = 1\n\n[[versions]]",
    );
    assert_one(
        &errors,
        "wormhole_b0/reshard.toml",
        line,
        "tuning",
        "unknown field `tuning`",
    );
    // Only the renamed keys get a rename hint.
    assert!(!errors[0].message.contains("renamed"), "{}", errors[0]);
}

#[test]
fn unknown_formula_family() {
    let (errors, line) = edit(
        "grayskull/matmul.toml",
        "family = \"matmul_roofline\"",
        "family = \"matmul_rooflin\"",
    );
    assert_one(
        &errors,
        "grayskull/matmul.toml",
        line,
        "versions[0].family",
        "unknown formula family `matmul_rooflin`; known families:",
    );
}

#[test]
fn family_that_does_not_model_the_op() {
    let (errors, line) = edit(
        "wormhole_b0/reshard.toml",
        "family = \"data_movement_roofline\"",
        "family = \"matmul_roofline\"",
    );
    assert_one(
        &errors,
        "wormhole_b0/reshard.toml",
        line,
        "versions[0].family",
        "does not model op `reshard`",
    );
}

#[test]
fn duplicate_version() {
    let file = "grayskull/eltwise_binary.toml"; // one version, never calibrated
    let text = std::fs::read_to_string(shipped().join(file)).unwrap();
    let block = &text[text.find("[[versions]]").unwrap()..];
    let (errors, _) = edit(
        file,
        block,
        &format!(
            "{block}\n{}",
            block.replacen("[[versions]]", "[[versions]] # again", 1)
        ),
    );
    let edited_line =
        block.lines().count() + text[..text.find("[[versions]]").unwrap()].lines().count() + 3;
    assert_one(
        &errors,
        file,
        edited_line,
        "versions[1].version",
        "version 1 is already defined at line",
    );
}

#[test]
fn coefficient_out_of_range() {
    let (errors, line) = edit(
        "wormhole_b0/reshard.toml",
        "noc_scale = 1.0",
        "noc_scale = -1.5",
    );
    assert_one(
        &errors,
        "wormhole_b0/reshard.toml",
        line,
        "versions[0].coefficients.noc_scale",
        "is -1.5; family `data_movement_roofline` allows 0 ..= 1000",
    );
}

#[test]
fn unknown_and_missing_coefficients() {
    let (errors, line) = edit(
        "wormhole_b0/reshard.toml",
        "noc_scale = 1.0",
        "noc_scael = 1.0",
    );
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors.iter().all(|e| e.line == line));
    assert!(
        errors[0].message.contains(
            "has no coefficient `noc_scael`; its coefficients: dram_scale, noc_scale, overhead_cycles"
        ),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].message.contains("missing noc_scale"),
        "{}",
        errors[1]
    );
}

#[test]
fn wrong_type() {
    let (errors, line) = edit(
        "devices/wormhole_b0.toml",
        "clock_mhz = 1000.0",
        "clock_mhz = \"fast\"",
    );
    assert_one(
        &errors,
        "devices/wormhole_b0.toml",
        line,
        "clock_mhz",
        "invalid type: string \"fast\", expected f64",
    );
}

#[test]
fn unknown_op() {
    let (errors, line) = edit(
        "blackhole/matmul.toml",
        "op = \"matmul\"",
        "op = \"matmull\"",
    );
    assert_one(
        &errors,
        "blackhole/matmul.toml",
        line,
        "op",
        "unknown op `matmull`; known ops:",
    );
}

#[test]
fn enum_default_not_among_values() {
    let (errors, _) = edit(
        "ops/matmul.toml",
        "default = \"hifi2\"",
        "default = \"hifi5\"",
    );
    let table_line = line_of("ops/matmul.toml", "[params.math_fidelity]");
    assert_one(
        &errors,
        "ops/matmul.toml",
        table_line,
        "params.math_fidelity.default",
        "not a valid value of this param (one of lofi, hifi2, hifi3, hifi4)",
    );
}

/// `type` is `int`, `float`, `bool`, `enum` or a shared enum; anything else lists them.
#[test]
fn unknown_param_type_lists_the_types() {
    let (errors, line) = edit(
        "ops/matmul.toml",
        "type = \"math_fidelity\"",
        "type = \"fidelity\"",
    );
    assert_one(
        &errors,
        "ops/matmul.toml",
        line,
        "type",
        "unknown param type `fidelity`; the types: int, float, bool, enum, dtype, math_fidelity",
    );
}

/// A param of a shared enum takes the enum's spellings: as its values, its default, and
/// nothing listed of its own.
#[test]
fn a_param_typed_by_a_shared_enum() {
    let s = load_dir(&shipped()).unwrap();
    // Matmul defaults to HiFi2 (ttnn's for a matmul without a program config), binary to HiFi4.
    for (op, default) in [("matmul", 1), ("eltwise_binary", 3)] {
        let op = s.ops.iter().find(|o| o.name == op).unwrap();
        let p = op.params.iter().find(|p| p.key == "math_fidelity").unwrap();
        assert_eq!(p.shared, Some(&MATH_FIDELITY));
        assert_eq!(
            p.kind,
            OpParamKind::Enum {
                values: ["lofi", "hifi2", "hifi3", "hifi4"]
                    .map(String::from)
                    .to_vec(),
                default: Some(default),
            }
        );
    }

    let (errors, _) = edit(
        "ops/matmul.toml",
        "type = \"math_fidelity\"",
        "type = \"math_fidelity\"\nvalues = [\"lofi\", \"hifi4\"]",
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .contains("a `math_fidelity` param takes the values of MathFidelity: remove `values`"),
        "{}",
        errors[0]
    );

    let (errors, _) = edit(
        "ops/eltwise_binary.toml",
        "default = \"hifi4\"",
        "default = \"HiFi4\"",
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].message.contains(
            "`\"HiFi4\"` is not a valid value of this param (one of lofi, hifi2, hifi3, hifi4)"
        ),
        "{}",
        errors[0]
    );
}

/// A device lists a figure for each value of a shared enum, under its spelling, and no other.
#[test]
fn tile_bytes_cover_every_dtype() {
    let (errors, _) = edit("devices/blackhole.toml", "\nint32 = 4096", "");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].key == "tile_bytes"
            && errors[0].message.contains(
                "missing `int32`: list each of bfloat16, float32, bfloat8_b, bfloat4_b, uint8, \
                 uint16, uint32, int32"
            ),
        "{}",
        errors[0]
    );
    let (errors, line) = edit("devices/blackhole.toml", "\nint32 = 4096", "\nint64 = 8192");
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_one(
        &errors[..1],
        "devices/blackhole.toml",
        line + 1,
        "tile_bytes.int64",
        "`int64` is not a dtype; list each of bfloat16,",
    );
    // Above 0, a fidelity, and not decreasing: three errors on the table's line.
    let (errors, line) = edit("devices/grayskull.toml", "hifi3 = 48", "hifi3 = 0, x = 48");
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors.iter().all(|e| e.line == line), "{errors:#?}");
}

#[test]
fn two_default_cards() {
    let (errors, _) = edit(
        "devices/blackhole.toml",
        "name = \"p100\"",
        "name = \"p100\"\ndefault = true",
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .contains("2 cards are marked `default = true`; mark exactly one"),
        "{}",
        errors[0]
    );
}

#[test]
fn compute_grid_outside_the_die() {
    let (errors, _) = edit(
        "devices/grayskull.toml",
        "compute_grid = { x = 12, y = 9 }",
        "compute_grid = { x = 13, y = 9 }",
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].message.contains("does not fit in full_grid"),
        "{}",
        errors[0]
    );
}

#[test]
fn alias_naming_two_devices() {
    let (errors, _) = edit(
        "devices/blackhole.toml",
        "aliases = [\"bh\"",
        "aliases = [\"wh\"",
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .contains("`wh` already names device `blackhole`"),
        "{}",
        errors[0]
    );
}

#[test]
fn op_code_naming_two_ops() {
    let (errors, _) = edit(
        "ops/eltwise_unary.toml",
        "op_codes = [\"UnaryDeviceOperation\"",
        "op_codes = [\"Matmul\", \"UnaryDeviceOperation\"",
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].message.contains("`Matmul` already names op"),
        "{}",
        errors[0]
    );
}

#[test]
fn name_must_match_file() {
    let (errors, line) = edit(
        "devices/grayskull.toml",
        "name = \"grayskull\"",
        "name = \"greyskull\"",
    );
    assert_one(
        &errors,
        "devices/grayskull.toml",
        line,
        "name",
        "says `greyskull` but the file is `grayskull.toml`",
    );
}

#[test]
fn syntax_error_points_at_its_line() {
    let (errors, line) = edit(
        "families/data_movement_roofline.toml",
        "min = 0.0",
        "min = 0.0 0.02",
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].line, line);
}

#[test]
fn every_problem_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&shipped(), dir.path());
    for (file, old, new) in [
        (
            "wormhole_b0/reshard.toml",
            "noc_scale = 1.0",
            "noc_scale = -1.0",
        ),
        (
            "blackhole/reshard.toml",
            "device = \"blackhole\"",
            "device = \"blackhol\"",
        ),
    ] {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replacen(old, new, 1);
        std::fs::write(&path, text).unwrap();
    }
    let errors = load_dir(dir.path()).unwrap_err();
    assert_eq!(errors.0.len(), 2, "{errors}");
    assert!(errors.to_string().starts_with("2 invalid model specs:"));
}

#[test]
fn reserved_l1_must_leave_room() {
    let (errors, line) = edit(
        "devices/grayskull.toml",
        "l1_reserved_bytes = 162048",
        "l1_reserved_bytes = 1048576",
    );
    assert_one(
        &errors,
        "grayskull.toml",
        line,
        "l1_reserved_bytes",
        "must be below l1_bytes_per_core (1048576)",
    );
}

#[test]
fn alignment_is_a_power_of_two() {
    let (errors, line) = edit(
        "devices/wormhole_b0.toml",
        "dram_alignment_bytes = 32",
        "dram_alignment_bytes = 48",
    );
    assert_one(
        &errors,
        "wormhole_b0.toml",
        line,
        "noc.dram_alignment_bytes",
        "is 48; an alignment is a power of two bytes",
    );
}

/// A fixed cost within its family's bounds but below minus the device's launch overhead
/// would give the smallest ops a negative duration.
#[test]
fn fixed_cost_below_minus_the_launch_overhead() {
    let file = "blackhole/matmul.toml";
    // Version 1's fixed cost, replaced with one the family allows (>= -2000 cycles) but
    // Blackhole's 600 ns launch (810 cycles at 1.35 GHz) does not.
    let (errors, line) = edit(file, "overhead_cycles = 0.0", "overhead_cycles = -945.0");
    assert_one(
        &errors,
        file,
        line,
        "versions[0].coefficients.overhead_cycles",
        "is -945 cycles, -700 ns at the device's 1350 MHz; with its launch_overhead_ns of 600 the ops would cost -100 ns before any work: make it -810 or more",
    );
}

#[test]
fn trace_sources_must_give_a_value_of_their_param() {
    // A call name mapped to a value the enum does not have.
    let (errors, line) = edit(
        "ops/matmul.toml",
        "{ op_code_prefix = \"MinimalMatmul\", value = \"minimal\" }",
        "{ op_code_prefix = \"MinimalMatmul\", value = \"tiny\" }",
    );
    assert_one(
        &errors,
        "ops/matmul.toml",
        line,
        "params.program_config.trace",
        "`tiny` is not a value of this param",
    );
    // Reading a bool into an int param; whether an entry is given reads into a bool param only.
    for read in ["bool", "given"] {
        let (errors, line) = edit(
            "ops/matmul.toml",
            "{ attribute = \"config.M_block_size\", read = \"int\" }",
            &format!("{{ attribute = \"config.M_block_size\", read = \"{read}\" }}"),
        );
        assert_one(
            &errors,
            "ops/matmul.toml",
            line,
            "params.m_block.trace",
            "does not give a value of this param's type",
        );
    }
    // Two kinds of source in one.
    let (errors, line) = edit(
        "ops/eltwise_binary.toml",
        "{ column = \"MATH FIDELITY\" }",
        "{ column = \"MATH FIDELITY\", attribute = \"math_fidelity\" }",
    );
    assert_one(
        &errors,
        "ops/eltwise_binary.toml",
        line,
        "params.math_fidelity.trace",
        "exactly one of `attribute`, `column`, `op_code_prefix` and `ran_before`",
    );
    // A date that is not one, and a `ran_before` source on a param that is not a bool.
    let (errors, line) = edit(
        "ops/tilize_with_val_padding.toml",
        "{ ran_before = \"2026-03-02\" }",
        "{ ran_before = \"2026-3-2\" }",
    );
    assert_one(
        &errors,
        "ops/tilize_with_val_padding.toml",
        line,
        "params.waits_each_row.trace",
        "`ran_before = \"2026-3-2\"` is not a date: write `YYYY-MM-DD`",
    );
    let (errors, line) = edit(
        "ops/eltwise_binary.toml",
        "{ column = \"MATH FIDELITY\" }",
        "{ ran_before = \"2026-03-02\" }",
    );
    assert_one(
        &errors,
        "ops/eltwise_binary.toml",
        line,
        "params.math_fidelity.trace",
        "a `ran_before` source only suits a bool param",
    );
}

#[test]
fn an_example_must_be_a_query_of_its_op() {
    let (errors, _) = edit(
        "ops/eltwise_binary.toml",
        "params = { binary_op = \"add\" }",
        "params = { binary_op = \"plus\" }",
    );
    let [e] = &errors[..] else {
        panic!("{errors:#?}")
    };
    assert!(e.key == "example.params.binary_op", "{e}");
    assert!(e.message.contains("`\"plus\"` is not a value"), "{e}");
    // A required param left out, and one input too many.
    let (errors, _) = edit(
        "ops/eltwise_unary.toml",
        "inputs = [\"1x1x1024x1024:bf16:tile:dram\"]\nparams = { unary_op = \"exp\" }",
        "inputs = [\"1x1x1024x1024:bf16:tile:dram\", \"1x1x1024x1024:bf16:tile:dram\"]",
    );
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{shown:#?}");
    assert!(
        shown[0].contains("gives 2 inputs; the op takes 1 to 1"),
        "{shown:#?}"
    );
    assert!(shown[1].contains("`unary_op` has no default"), "{shown:#?}");
}

/// The fabric's measured payload rate cannot beat its link's line rate (400 Gb/s = 50 GB/s).
#[test]
fn fabric_rate_within_the_line_rate() {
    let (errors, line) = edit(
        "devices/blackhole.toml",
        "fabric_gb_s = 17.25",
        "fabric_gb_s = 60.0",
    );
    assert_one(
        &errors,
        "blackhole.toml",
        line,
        "ethernet.fabric_gb_s",
        "exceeds ethernet.link_gbps = 400 Gb/s",
    );
}

/// `values_of` lists another enum param's values after the param's own; it must name an enum
/// param that has values of its own, of the same op (`param`) or of another (`op.param`).
#[test]
fn values_of_another_enum_param() {
    let s = load_dir(&shipped()).unwrap();
    let op = s.ops.iter().find(|o| o.name == "eltwise_unary").unwrap();
    let values = |key: &str| match &op.params.iter().find(|p| p.key == key).unwrap().kind {
        OpParamKind::Enum { values, .. } => values.clone(),
        other => panic!("{key} is {other:?}"),
    };
    let first = values("unary_op");
    assert!(first.contains(&"clamp_tss".to_string()));
    let chained = values("chain_op_2");
    assert_eq!(chained[0], "none");
    assert_eq!(chained[1..], first[..]);

    let (errors, _) = edit(
        "ops/eltwise_unary.toml",
        "values_of = \"unary_op\"",
        "values_of = \"unary_opp\"",
    );
    let table_line = line_of("ops/eltwise_unary.toml", "[params.chain_op_2]");
    assert_one(
        &errors,
        "ops/eltwise_unary.toml",
        table_line,
        "params.chain_op_2.values_of",
        "`unary_opp` is not an enum param with `values` of its own",
    );

    // Another op's: a binary op's fused activations list the unary functions.
    let binary = s.ops.iter().find(|o| o.name == "eltwise_binary").unwrap();
    let lhs = match &binary
        .params
        .iter()
        .find(|p| p.key == "lhs_activation")
        .unwrap()
        .kind
    {
        OpParamKind::Enum { values, .. } => values.clone(),
        other => panic!("lhs_activation is {other:?}"),
    };
    assert_eq!(lhs[0], "none");
    assert_eq!(lhs[1..], first[..]);
    for (of, names) in [
        ("eltwise_unary.unary_opp", "`eltwise_unary.unary_opp`"),
        ("eltwise_unaryy.unary_op", "`eltwise_unaryy.unary_op`"),
        ("eltwise_unary.chain_op_2", "`eltwise_unary.chain_op_2`"),
    ] {
        let (errors, _) = edit(
            "ops/eltwise_binary.toml",
            "values_of = \"eltwise_unary.unary_op\"",
            &format!("values_of = \"{of}\""),
        );
        let table_line = line_of("ops/eltwise_binary.toml", "[params.lhs_activation]");
        assert_one(
            &errors,
            "ops/eltwise_binary.toml",
            table_line,
            "params.lhs_activation.values_of",
            &format!("{names} is not an enum param with `values` of its own"),
        );
    }
}
