//! The shared tt-metal traces (`../shared/data/traces`) read completely, and every row of a
//! modeled op becomes a query its model answers. Skips when the data is absent.

use std::path::{Path, PathBuf};
use ttnn_op_perf_models::trace::read_trace_file;
use ttnn_op_perf_models::*;

fn traces() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/traces");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipped: {} is absent (it holds the measured traces)",
            dir.display()
        );
        return None;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    Some(files)
}

#[test]
fn shared_traces_read_and_their_modeled_ops_answer() {
    let Some(files) = traces() else { return };
    assert!(!files.is_empty());
    for file in files {
        let trace = read_trace_file(&file, None).unwrap();
        let name = file.display();
        assert!(trace.malformed.is_empty(), "{name}: {:?}", trace.malformed);
        assert!(!trace.rows.is_empty(), "{name}");
        let (mut modeled, mut answered, mut failures) = (0, 0, Vec::new());
        for row in &trace.rows {
            if Op::from_name(&row.op_code).is_err() {
                continue;
            }
            modeled += 1;
            let models = PerfModels::new(row.device);
            let params = row.op_params();
            match models.query(&row.query(&params)) {
                Ok(e) => {
                    assert!(e.duration_ns.is_finite() && e.duration_ns > 0.0);
                    answered += 1;
                }
                Err(e) => failures.push(format!("line {}: {e}", row.line)),
            }
        }
        assert!(modeled > 0, "{name} has no modeled op");
        // Rows the models refuse are ones ttnn writes that they do not cover (row-major binary
        // inputs, unary functions outside the schema): a few percent at most.
        assert!(
            answered as f64 >= 0.97 * modeled as f64,
            "{name}: {answered} of {modeled} answered; {failures:#?}"
        );
    }
}
