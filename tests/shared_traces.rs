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
            trace
                .rows
                .iter()
                .all(|r| r.measured_ns.is_some() != r.replays.is_some()),
            "{name}: every device row has a duration, but for the profiler's replays"
        );
    }
}

/// A row marked as the profiler's replay shows exactly what the call it replays shows (op,
/// params, tensors), and is of an OP CODE whose program hash leaves the shapes out. On the
/// Wormhole CLIP trace, rows replaying one call differ in duration far beyond a repeat's
/// spread: they ran other shapes than the one they show.
#[test]
fn replayed_rows_show_their_first_calls_info() {
    use ttnn_op_perf_models::trace::{Replay, SHAPELESS_PROGRAM_HASH};
    for kind in ["traces", "more_traces"] {
        let Some(files) = traces(kind) else { return };
        for file in files {
            let trace = read_trace_file(&file, Some(named_device(&file))).unwrap();
            let name = file.display();
            let by_line = |line: u64| trace.rows.iter().find(|r| r.line == line);
            let measured = durations(&file);
            let mut replay_durations: std::collections::BTreeMap<u64, Vec<f64>> =
                Default::default();
            for row in &trace.rows {
                let Some(replay) = row.replays else { continue };
                let Replay::Line(first_line) = replay else {
                    panic!(
                        "{name}:{}: no shared trace begins inside a metal trace",
                        row.line
                    )
                };
                assert!(first_line < row.line, "{name}:{}", row.line);
                assert!(SHAPELESS_PROGRAM_HASH.contains(&row.op_code.as_str()));
                let first = by_line(first_line).expect("the first call is a device row");
                assert_eq!(
                    (&row.op_code, &row.params, &row.inputs, &row.output),
                    (&first.op_code, &first.params, &first.inputs, &first.output),
                    "{name}:{}",
                    row.line
                );
                replay_durations
                    .entry(first_line)
                    .or_default()
                    .push(measured[row.line as usize - 2]);
            }
            if name.to_string().ends_with("wh_clip_encoder_2.csv") {
                let spread = replay_durations
                    .values()
                    .map(|d| {
                        d.iter().cloned().fold(0.0, f64::max)
                            / d.iter().cloned().fold(f64::MAX, f64::min)
                    })
                    .fold(0.0, f64::max);
                assert!(spread > 1.4, "{name}: replays of one call span {spread}x");
            }
        }
    }
}

/// Each record's `DEVICE KERNEL DURATION [ns]` (0 when empty), read from the CSV itself:
/// a replayed row keeps none in its `TraceRow`.
fn durations(file: &Path) -> Vec<f64> {
    let mut csv = csv::Reader::from_path(file).unwrap();
    let column = csv
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "DEVICE KERNEL DURATION [ns]")
        .unwrap();
    csv.records()
        .map(|r| r.unwrap()[column].parse().unwrap_or(0.0))
        .collect()
}
