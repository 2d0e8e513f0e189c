//! The shared tt-metal traces (`../shared/data/traces` and `../shared/data/more_traces`) read
//! completely, and every row of a modeled op becomes a query its model answers. Skips when the
//! data is absent.

use std::path::{Path, PathBuf};
use ttnn_op_perf_models::trace::{TraceError, read_trace_file};
use ttnn_op_perf_models::*;

/// The CSV files of `../shared/data/<kind>`, or `None` (with a message) when it is absent.
fn traces(kind: &str) -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(kind);
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

/// The device a trace without a `DEVICE ARCH` column ran on, as `../shared/data/README.md`
/// names it (the file name's `wh_` / `bh` prefix).
fn named_device(file: &Path) -> Device {
    let name = file.file_name().unwrap().to_string_lossy();
    if name.starts_with("wh_") {
        Device::WormholeB0
    } else if name.starts_with("bh") {
        Device::Blackhole
    } else {
        panic!("{name}: no DEVICE ARCH column and no device in its name")
    }
}

fn read_and_answer(kind: &str) {
    let Some(files) = traces(kind) else { return };
    assert!(!files.is_empty());
    for file in files {
        let trace = match read_trace_file(&file, None) {
            Err(TraceError::NoDevice) => read_trace_file(&file, Some(named_device(&file))).unwrap(),
            other => other.unwrap(),
        };
        let name = file.display();
        assert!(trace.malformed.is_empty(), "{name}: {:?}", trace.malformed);
        assert!(!trace.rows.is_empty(), "{name}");
        let (mut modeled, mut answered, mut failures) = (0, 0, Vec::new());
        for row in &trace.rows {
            // Rows of ops with a model on the row's device (an op spec may have none yet).
            match Op::from_name(&row.op_code) {
                Ok(op) if !model_versions(row.device, op).is_empty() => {}
                _ => continue,
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
        // inputs, unary functions outside the schema, a padded shape the older column set
        // records without its logical one): a few percent at most.
        assert!(
            answered as f64 >= 0.97 * modeled as f64,
            "{name}: {answered} of {modeled} answered; {failures:#?}"
        );
    }
}

#[test]
fn shared_traces_read_and_their_modeled_ops_answer() {
    read_and_answer("traces");
}

#[test]
fn more_traces_read_and_their_modeled_ops_answer() {
    read_and_answer("more_traces");
}

/// What each more_traces file holds besides its rows, as `../shared/data/README.md` describes
/// it: host-only rows of the decode traces, the SegFormer trace's host ops.
#[test]
fn more_traces_skip_what_has_no_device_data() {
    let Some(files) = traces("more_traces") else {
        return;
    };
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let trace = match read_trace_file(&file, None) {
            Err(TraceError::NoDevice) => read_trace_file(&file, Some(named_device(&file))).unwrap(),
            other => other.unwrap(),
        };
        let skipped = (trace.host_only, trace.signposts, trace.non_device);
        match name.as_str() {
            // The README's 29 host-only rows include its 2 signposts.
            "bh_coherelabs_north_mini_decode_b1.csv" => {
                assert_eq!(skipped, (27, 2, 0), "{name}");
                assert_eq!(trace.rows.len(), 114 - 29, "{name}");
            }
            "bh_qwen3_4b_prefill_decode.csv" => {
                assert_eq!(skipped, (38, 14, 0), "{name}");
                assert_eq!(trace.rows.len(), 223 - 14 - 38, "{name}");
            }
            "wh_segformer_encoder_2025_02_16.csv" => {
                assert_eq!(trace.rows.len(), 398, "{name}");
                assert_eq!(skipped, (0, 0, 1179 - 398), "{name}");
                assert!(trace.rows.iter().all(|r| r.device == Device::WormholeB0));
            }
            _ => assert_eq!(trace.host_only, 0, "{name}"),
        }
        assert!(
            trace.implausible.is_empty(),
            "{name}: {:?}",
            trace.implausible
        );
        assert!(
            trace.rows.iter().all(|r| r.measured_ns.is_some()),
            "{name}: every device row has a duration"
        );
    }
}
