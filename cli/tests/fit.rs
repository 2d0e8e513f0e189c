//! `ttperf fit` as a user runs it: recovering a known cost from generated sweep data, the
//! spec file it writes (valid, loadable, byte-for-byte reproducible) and its failures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ttperf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ttperf"))
        .args(args)
        .output()
        .expect("run ttperf")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Cycles per tile of `exp` the generated data is made of, and the n150's launch overhead.
const TILE_NS: f64 = 3000.0;
const LAUNCH_NS: f64 = 2200.0;

/// An `exp` sweep in the shared sweep's format, in two files (batches 1-6 and 7-12):
/// bfloat16 tensors in DRAM on the n150's 64 cores, whose duration is the launch plus
/// `TILE_NS` per tile of the busiest core (compute bound: DRAM would take ~16 ns per tile).
/// Two rows are gross outliers.
fn sweep(dir: &Path) -> [PathBuf; 2] {
    let header = "input_shape_1,input_shape_2,input_shape_3,input_shape_4,bfloat8,bfloat16,float32,uint16,uint32,input_DRAM,input_L1,kernel_duration\n";
    let mut texts = [String::from(header), String::from(header)];
    let mut n = 0;
    for batch in 1..=12u64 {
        let text = &mut texts[usize::from(batch > 6)];
        for rows in [32u64, 64, 96, 160, 320] {
            for cols in [64u64, 128, 256, 512] {
                let tiles = batch * rows.div_ceil(32) * cols.div_ceil(32);
                let mut ns = LAUNCH_NS + tiles.div_ceil(64) as f64 * TILE_NS;
                n += 1;
                if n == 17 || n == 101 {
                    ns *= 5.0;
                }
                *text += &format!("{batch},{rows},{cols},0,0,1,0,0,0,1,0,{ns}\n");
            }
        }
    }
    ["exp_sweep_a.csv", "exp_sweep_b.csv"].map(|name| {
        let path = dir.join(name);
        std::fs::write(&path, &texts[usize::from(name.ends_with("b.csv"))]).unwrap();
        path
    })
}

/// `ttperf fit` of wormhole unary on `data` into `out`, with `extra` arguments.
fn fit_with(data: &[PathBuf], out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["fit", "--device", "wormhole_b0", "--op", "eltwise_unary"];
    args.push("--data");
    args.extend(data.iter().map(|d| d.to_str().unwrap()));
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(extra);
    ttperf(&args)
}

fn fit(data: &[PathBuf], out: &Path) -> Output {
    fit_with(data, out, &["--json"])
}

fn coefficient(doc: &toml_edit::DocumentMut, version: usize, name: &str) -> f64 {
    doc["versions"][version]["coefficients"][name]
        .as_float()
        .unwrap()
}

#[test]
fn recovers_a_known_cost_and_writes_a_valid_reproducible_spec() {
    let dir = tempfile::tempdir().unwrap();
    let data = sweep(dir.path());
    let out = dir.path().join("eltwise_unary.toml");
    let shipped = repo().join("model_specs/wormhole_b0/eltwise_unary.toml");
    std::fs::copy(&shipped, &out).unwrap();
    let before = std::fs::read_to_string(&out).unwrap();

    let run = fit(&data, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    // The fitted values are the family's coefficients, by name.
    assert!(
        report["coefficients"]["overhead_cycles"].is_number(),
        "{report}"
    );
    assert!(report.get("params").is_none(), "{report}");
    // The two gross rows are flagged and left out of the fit.
    assert_eq!(report["outliers"].as_array().unwrap().len(), 2, "{report}");
    // Each file is predicted by a fit on the other: the cost is recovered from either half,
    // so every fold's p90 is under 1% (the outliers are scored: 2 rows of 120).
    let folds = report["folds"].as_array().unwrap();
    assert_eq!(folds.len(), 2, "{report}");
    for f in folds {
        assert_eq!(f["rows"], 120, "{report}");
        assert_eq!(f["fit_rows"], 120, "{report}");
        assert!(f["p90_ape"].as_f64().unwrap() < 0.01, "{report}");
    }

    // The new version follows the shipped ones, which are kept as they were.
    let text = std::fs::read_to_string(&out).unwrap();
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    let versions = doc["versions"].as_array_of_tables().unwrap();
    let shipped_count = before.matches("[[versions]]").count();
    assert_eq!(versions.len(), shipped_count + 1);
    let new = versions.len() - 1;
    assert_eq!(
        doc["versions"][new]["version"].as_integer(),
        Some(shipped_count as i64 + 1)
    );
    // Exp-only data fixes the sum of what one bfloat16 tile costs (exp, its unpack and pack
    // included, and bytes are collinear here), within 1%; the fixed overhead stays near zero.
    let per_tile = coefficient(&doc, new, "exp_tile_cycles")
        + 2.0 * 2048.0 * coefficient(&doc, new, "tile_byte_cycles");
    assert!((per_tile - TILE_NS).abs() < 0.01 * TILE_NS, "{per_tile}");
    assert!(coefficient(&doc, new, "overhead_cycles") < 0.01 * LAUNCH_NS);
    // The version's accuracy is the cross-validated one, over both files' rows.
    let accuracy = &doc["versions"][new]["accuracy"];
    assert_eq!(accuracy["rows"].as_integer(), Some(240));
    assert!(accuracy["p90_ape"].as_float().unwrap() < 0.01, "{text}");
    assert!(
        accuracy["source"]
            .as_str()
            .unwrap()
            .starts_with("ttperf crossval"),
        "{text}"
    );
    let fitted_on = accuracy["fitted_on"].to_string();
    assert!(
        fitted_on.contains("exp_sweep_a.csv") && fitted_on.contains("exp_sweep_b.csv"),
        "{text}"
    );

    // The spec crate accepts the file in a copy of the shipped tree.
    let tree = dir.path().join("model_specs");
    copy_tree(&repo().join("model_specs"), &tree);
    std::fs::copy(&out, tree.join("wormhole_b0/eltwise_unary.toml")).unwrap();
    let specs = ttnn_op_perf_spec::load_dir(&tree).unwrap();
    let model = specs
        .models
        .iter()
        .find(|m| m.device == "wormhole_b0" && m.op == "eltwise_unary")
        .unwrap();
    assert!(model.versions.last().unwrap().accuracy.is_some());

    // The same inputs give the same bytes: refitting the same version number rewrites it.
    let number = (shipped_count + 1).to_string();
    let again = fit_with(&data, &out, &["--version", &number]);
    assert!(again.status.success());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
}

#[test]
fn failures_have_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = sweep(dir.path());
    let out = dir.path().join("x.toml");
    // A spec file of another op is refused, and left alone.
    let other = dir.path().join("matmul.toml");
    std::fs::copy(repo().join("model_specs/wormhole_b0/matmul.toml"), &other).unwrap();
    let before = std::fs::read_to_string(&other).unwrap();
    let refused = fit(&data, &other);
    assert_eq!(refused.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("pick the spec file"));
    assert_eq!(std::fs::read_to_string(&other).unwrap(), before);
    // An unknown device, and a file that is not measured data.
    let unknown = ttperf(&[
        "fit",
        "--device",
        "wormhole_c0",
        "--op",
        "matmul",
        "--data",
        "x.csv",
        "--out",
        "y",
    ]);
    assert_eq!(unknown.status.code(), Some(5));
    let junk = dir.path().join("junk.csv");
    std::fs::write(&junk, "a,b\n1,2\n").unwrap();
    assert_eq!(fit(&[junk], &out).status.code(), Some(4));
    // No rows of the op in the data.
    let none = ttperf(&[
        "fit",
        "--device",
        "wormhole_b0",
        "--op",
        "matmul",
        "--data",
        data[0].to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        none.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
    assert!(!out.exists());
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn a_single_file_earns_no_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    let [a, _] = sweep(dir.path());
    let out = dir.path().join("eltwise_unary.toml");
    std::fs::copy(
        repo().join("model_specs/wormhole_b0/eltwise_unary.toml"),
        &out,
    )
    .unwrap();
    let run = fit(std::slice::from_ref(&a), &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        report["folds"][0]["prior_because"], "no other file has rows",
        "{report}"
    );
    // Nothing predicted it from other data: the new version claims no accuracy.
    let doc: toml_edit::DocumentMut = std::fs::read_to_string(&out).unwrap().parse().unwrap();
    let versions = doc["versions"].as_array_of_tables().unwrap();
    assert!(versions.iter().last().unwrap().get("accuracy").is_none());
    // One --out per --device.
    let two = ttperf(&[
        "fit",
        "--device",
        "wormhole_b0",
        "--device",
        "blackhole",
        "--op",
        "eltwise_unary",
        "--data",
        a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(two.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&two.stderr).contains("one --out per --device"));
    // A pull towards the prior is a finite number >= 0.
    for bad in ["-1", "nan", "inf", "x"] {
        let flag = format!("--prior-weight={bad}");
        let run = fit_with(std::slice::from_ref(&a), &out, &[&flag]);
        assert_eq!(run.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&run.stderr).contains("not a finite number >= 0"));
    }
}

#[test]
fn crossval_prints_one_json_object_with_every_fold() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b] = sweep(dir.path());
    // `ttperf crossval` of wormhole unary on both halves, in `format`.
    let crossval = |format: &str| {
        ttperf(&[
            "crossval",
            "--op",
            "eltwise_unary",
            "--data",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--format",
            format,
        ])
    };
    let run = crossval("json");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["op"], "eltwise_unary");
    assert_eq!(report["family"], "eltwise_unary_roofline");
    // Only Wormhole has rows: the recipe fits it alone.
    assert_eq!(
        report["recipe"]
            .as_str()
            .unwrap()
            .matches("--device")
            .count(),
        1
    );
    let folds = report["folds"].as_array().unwrap();
    let held: Vec<&str> = folds
        .iter()
        .map(|f| f["held_out"].as_str().unwrap())
        .collect();
    assert_eq!(held, ["exp_sweep_a.csv", "exp_sweep_b.csv"]);
    for f in folds {
        for key in [
            "device",
            "fit_rows",
            "rows",
            "median_ape",
            "p90_ape",
            "rank_pairs",
            "rank_accuracy",
            "rank_ties",
            "coefficients",
        ] {
            assert!(f.get(key).is_some(), "fold lacks {key}: {f}");
        }
        assert!(f.get("params").is_none(), "{f}");
        assert_eq!(f["device"], "wormhole_b0");
    }
    // The pooled figures cover both folds; the exact cost is recovered from either half.
    assert_eq!(report["rows"], 240);
    assert!(report["median_ape"].as_f64().unwrap() < 0.001, "{report}");
    // Every query of the generated sweep is one computation run one way: nothing to rank.
    assert_eq!(report["rank_pairs"], 0);
    assert!(report["rank_accuracy"].is_null());
    assert_eq!(report["rank_ties"], 0);
    // One CSV line per held-out row, each with its APE.
    let csv = crossval("csv");
    let text = String::from_utf8(csv.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "held_out,line,device,measured_ns,predicted_ns,ape"
    );
    assert_eq!(lines.len(), 241);
    assert!(
        lines[1].starts_with("exp_sweep_a.csv,2,wormhole_b0,"),
        "{}",
        lines[1]
    );
    // An op with no rows in the data is unusable data (exit 4).
    let none = ttperf(&["crossval", "--op", "matmul", "--data", a.to_str().unwrap()]);
    assert_eq!(
        none.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
}

/// `--with-op` names another op of the family; the op itself, or an op of another family, is
/// a bad name (exit 5) that says which ops the family has.
#[test]
fn with_op_must_be_another_op_of_the_family() {
    let dir = tempfile::tempdir().unwrap();
    let [a, _] = sweep(dir.path());
    for other in ["matmul", "eltwise_unary"] {
        let run = ttperf(&[
            "crossval",
            "--op",
            "eltwise_unary",
            "--with-op",
            other,
            "--data",
            a.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(5), "{stderr}");
        assert!(stderr.contains("eltwise_unary_roofline"), "{stderr}");
    }
}

/// Permute has rows in bh20_oft only: alone, no other file has rows to fit its fold on; with
/// transpose's rows (`--with-op`), the fold is fitted on wh_clip's transposes, and still
/// scores permute's rows only.
#[test]
fn with_op_rows_join_the_fits_but_are_not_scored() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/traces");
    if !shared.is_dir() {
        eprintln!("skipped: {} is absent", shared.display());
        return;
    }
    let files = ["bh20_oft.csv", "wh_clip_encoder_2.csv"].map(|f| shared.join(f));
    let crossval = |extra: &[&str]| {
        let mut args = vec!["crossval", "--op", "permute", "--format", "json"];
        args.extend(extra);
        args.push("--data");
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        let run = ttperf(&args);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&run.stdout).unwrap()
    };
    let alone = crossval(&[]);
    let with = crossval(&["--with-op", "transpose"]);
    for report in [&alone, &with] {
        let folds = report["folds"].as_array().unwrap();
        assert_eq!(folds.len(), 1, "{report}");
        assert_eq!(folds[0]["held_out"], "bh20_oft.csv");
        assert_eq!(report["rows"], 4);
    }
    assert_eq!(alone["folds"][0]["fit_rows"], 0);
    assert!(
        with["folds"][0]["fit_rows"].as_u64().unwrap() > 100,
        "{with}"
    );
    assert!(
        with["recipe"]
            .as_str()
            .unwrap()
            .contains("--with-op transpose")
    );
}

/// A copy of Wormhole's eltwise_unary spec beside the exp sweep (in a folder that lives as
/// long as the first value): the sweep, the copy's path and the copy as read.
fn unary_spec_beside_the_sweep() -> (
    tempfile::TempDir,
    [PathBuf; 2],
    PathBuf,
    toml_edit::DocumentMut,
) {
    let dir = tempfile::tempdir().unwrap();
    let data = sweep(dir.path());
    let out = dir.path().join("eltwise_unary.toml");
    std::fs::copy(
        repo().join("model_specs/wormhole_b0/eltwise_unary.toml"),
        &out,
    )
    .unwrap();
    let prior = std::fs::read_to_string(&out).unwrap().parse().unwrap();
    (dir, data, out, prior)
}

/// The JSON report of a fit that must have succeeded.
fn report_of(run: &Output) -> serde_json::Value {
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

/// `--only` fits the named coefficients; the others keep the physics prior's values (the
/// family's first version), and a name the family does not have is refused.
#[test]
fn only_fits_the_named_coefficients_and_holds_the_rest() {
    let (_dir, data, out, prior) = unary_spec_beside_the_sweep();
    let report = report_of(&fit_with(
        &data,
        &out,
        &["--json", "--only", "exp_tile_cycles"],
    ));
    let fitted = report["coefficients"].as_object().unwrap();
    for (name, value) in fitted {
        let held = coefficient(&prior, 0, name);
        if name == "exp_tile_cycles" {
            // The whole per-tile cost the sweep shows lands on the one free coefficient.
            assert!(value.as_f64().unwrap() > held, "{report}");
        } else {
            assert_eq!(value.as_f64(), Some(held), "{name}: {report}");
        }
    }

    let bogus = fit_with(&data, &out, &["--only", "exp_cycles"]);
    let stderr = String::from_utf8_lossy(&bogus.stderr);
    assert_eq!(bogus.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("exp_tile_cycles"), "{stderr}");
}

/// With every coefficient held, the version written is the physics prior's, and its summary
/// says so: the data only gives its held-out accuracy.
#[test]
fn a_fit_that_holds_every_coefficient_says_so() {
    let (_dir, data, out, prior) = unary_spec_beside_the_sweep();
    let names: Vec<String> = prior["versions"][0]["coefficients"]
        .as_inline_table()
        .unwrap()
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    let mut args = vec!["--json"];
    for name in &names {
        args.extend(["--hold", name.as_str()]);
    }
    let report = report_of(&fit_with(&data, &out, &args));
    for (name, value) in report["coefficients"].as_object().unwrap() {
        assert_eq!(value.as_f64(), Some(coefficient(&prior, 0, name)), "{name}");
    }
    let written: toml_edit::DocumentMut = std::fs::read_to_string(&out).unwrap().parse().unwrap();
    let versions = written["versions"].as_array_of_tables().unwrap();
    let summary = versions.iter().last().unwrap()["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("published figures, every coefficient held"),
        "{summary}"
    );
}

/// `--hold-all` holds every coefficient without naming them. Nothing is fitted, so even a
/// lone file is held out: the version carries the physics' accuracy on it, and says how it
/// was measured. It goes with neither `--only` nor `--hold`.
#[test]
fn hold_all_measures_the_physics_prior() {
    let (_dir, data, out, prior) = unary_spec_beside_the_sweep();
    let report = report_of(&fit_with(
        std::slice::from_ref(&data[0]),
        &out,
        &["--json", "--hold-all"],
    ));
    for (name, value) in report["coefficients"].as_object().unwrap() {
        assert_eq!(value.as_f64(), Some(coefficient(&prior, 0, name)), "{name}");
    }
    let written: toml_edit::DocumentMut = std::fs::read_to_string(&out).unwrap().parse().unwrap();
    let version = written["versions"]
        .as_array_of_tables()
        .unwrap()
        .iter()
        .last()
        .unwrap();
    let accuracy = version
        .get("accuracy")
        .and_then(|a| a.as_table())
        .expect("an accuracy");
    let source = accuracy["source"].as_str().unwrap();
    assert!(source.contains("--hold-all"), "{source}");
    assert!(source.contains("nothing fitted"), "{source}");
    // The spec keeps six significant digits of the fold's figure.
    let median = accuracy["median_ape"].as_float().unwrap();
    let fold = report["folds"][0]["median_ape"].as_f64().unwrap();
    assert!(
        median > 0.0 && (median - fold).abs() < 1e-6,
        "{median} {report}"
    );

    for other in [["--only", "exp_tile_cycles"], ["--hold", "exp_tile_cycles"]] {
        let run = fit_with(&data, &out, &["--hold-all", other[0], other[1]]);
        assert_eq!(run.status.code(), Some(2), "{other:?}");
    }
}

/// `--hold` keeps the named coefficients at the physics prior's values and fits the others;
/// a name the family does not have is refused, and `--only` with it is a bad argument.
#[test]
fn hold_keeps_the_named_coefficients_and_fits_the_rest() {
    let (_dir, data, out, prior) = unary_spec_beside_the_sweep();
    let report = report_of(&fit_with(
        &data,
        &out,
        &["--json", "--hold", "exp_tile_cycles"],
    ));
    let fitted = report["coefficients"].as_object().unwrap();
    let held = coefficient(&prior, 0, "exp_tile_cycles");
    assert_eq!(fitted["exp_tile_cycles"].as_f64(), Some(held), "{report}");
    // With the per-tile cost held, the sweep's rows move some other coefficient.
    assert!(
        fitted
            .iter()
            .any(|(name, value)| value.as_f64() != Some(coefficient(&prior, 0, name))),
        "{report}"
    );

    let bogus = fit_with(&data, &out, &["--hold", "exp_cycles"]);
    let stderr = String::from_utf8_lossy(&bogus.stderr);
    assert_eq!(bogus.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("exp_tile_cycles"), "{stderr}");

    let both = fit_with(
        &data,
        &out,
        &["--hold", "exp_tile_cycles", "--only", "exp_tile_cycles"],
    );
    assert_eq!(both.status.code(), Some(2));
}
