//! The README's model table is the specs': one row per op, with its OP CODEs, the devices
//! that model it and the families of its versions. Regenerate it after adding an op with
//! `TTPM_BLESS=1 cargo test --test readme_models`.

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
