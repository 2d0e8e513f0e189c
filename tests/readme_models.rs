//! The README's model table is the specs': one row per op, with its OP CODEs, the devices
//! that model it and the families of its versions. Regenerate it after adding an op with
//! `TTPM_BLESS=1 cargo test --test readme_models`. Its accuracy table gives the specs'
//! cross-validated figures (checked here, written by hand from `scripts/calibrate`'s reports).

use std::path::Path;
use ttnn_op_perf_spec::{SpecSet, load_dir};

const BEGIN: &str = "<!-- models: generated from model_specs by tests/readme_models.rs -->\n";
const END: &str = "<!-- models: end -->\n";

fn table(s: &SpecSet) -> String {
    let mut out =
        String::from("| op | OP CODEs | devices | families |\n| --- | --- | --- | --- |\n");
    for op in &s.ops {
        let models: Vec<_> = s.models.iter().filter(|m| m.op == op.name).collect();
        let devices = if models.len() == s.devices.len() {
            "all".to_string()
        } else if models.is_empty() {
            "none".to_string()
        } else {
            models
                .iter()
                .map(|m| m.device.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut families: Vec<&str> = models
            .iter()
            .flat_map(|m| m.versions.iter().map(|v| s.family_of(v).name.as_str()))
            .collect();
        families.sort();
        families.dedup();
        let codes: Vec<String> = op.op_codes.iter().map(|c| format!("`{c}`")).collect();
        let families: Vec<String> = families.iter().map(|f| format!("`{f}`")).collect();
        out += &format!(
            "| {} | {} | {devices} | {} |\n",
            op.name,
            codes.join(", "),
            families.join(", ")
        );
    }
    out
}

#[test]
fn the_readme_model_table_is_the_specs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = load_dir(&root.join("model_specs")).unwrap_or_else(|e| panic!("{e}"));
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (Some(begin), Some(end)) = (readme.find(BEGIN), readme.find(END)) else {
        panic!("README.md lost its model table markers: {BEGIN:?} ... {END:?}");
    };
    let shown = &readme[begin + BEGIN.len()..end];
    let want = table(&specs);
    if shown == want {
        return;
    }
    if std::env::var_os("TTPM_BLESS").is_some() {
        let updated = format!("{}{want}{}", &readme[..begin + BEGIN.len()], &readme[end..]);
        std::fs::write(&readme_path, updated).unwrap();
        return;
    }
    panic!(
        "README.md's model table differs from model_specs; regenerate it with \
         `TTPM_BLESS=1 cargo test --test readme_models` (or paste):\n{want}"
    );
}

/// The README's accuracy table ("How accurate") is the specs' too: a row whose op's latest
/// version on the device carries a cross-validated accuracy gives that version's rows, median
/// and p90 (to the 0.1% shown), and says nothing of "not fitted" or "not held out"; a row of
/// an `Uncalibrated` version says which of those it is (its figures are `ttperf eval`'s). Every
/// measured version has its row. After `scripts/calibrate`, copy the figures each op's spec
/// now carries (`ttperf list`) into the table.
#[test]
fn the_readme_accuracy_table_is_the_specs() {
    use ttnn_op_perf_models::{Accuracy, Device, Op, PerfModels, Version};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let start = readme
        .find("### How accurate")
        .expect("README.md lost its \"How accurate\" section");
    let rows: Vec<Vec<&str>> = readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| op | device |"))
        .skip(2)
        .take_while(|l| l.starts_with("| "))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    assert!(rows.len() > 20, "no accuracy table in README.md");
    let pct = |x: f64| format!("{:.1}%", 100.0 * x);
    let mut shown = Vec::new();
    for cells in &rows {
        let (op, device_cell) = (cells[0], cells[1]);
        let (device, qualifier) = device_cell.split_once(' ').unwrap_or((device_cell, ""));
        let device = Device::from_name(device).unwrap_or_else(|e| panic!("{device_cell}: {e}"));
        let op_id = Op::from_name(op).unwrap_or_else(|e| panic!("{op}: {e}"));
        let latest = PerfModels::new(device)
            .model(op_id, Version::Latest)
            .unwrap_or_else(|e| panic!("{op} on {device}: {e}"));
        match latest.accuracy {
            Accuracy::Measured {
                median_ape,
                p90_ape,
                rows,
            } => {
                let want = [rows.to_string(), pct(median_ape), pct(p90_ape)];
                assert_eq!(
                    cells[3..6],
                    want,
                    "README's row for {op} on {device} is not {} (rows, median, p90)",
                    latest.id()
                );
                assert!(
                    !qualifier.contains("not fitted") && !qualifier.contains("not held out"),
                    "{op} on {device}: {} is cross-validated, the README says {qualifier:?}",
                    latest.id()
                );
                shown.push((device, op_id));
            }
            Accuracy::Uncalibrated => assert!(
                qualifier.contains("not fitted") || qualifier.contains("not held out"),
                "{op} on {device}: {} is Uncalibrated, the README's row must say so",
                latest.id()
            ),
        }
    }
    for device in Device::ALL {
        let models = PerfModels::new(device);
        for op in Op::ALL {
            if let Ok(m) = models.model(op, Version::Latest)
                && matches!(m.accuracy, Accuracy::Measured { .. })
            {
                assert!(
                    shown.contains(&(device, op)),
                    "{} is cross-validated but has no row in README.md's accuracy table",
                    m.id()
                );
            }
        }
    }
}
