//! tt-metal `ops_perf_results` CSV -> [`TraceRow`]s that become queries.
//!
//! What each column becomes:
//!
//! * `OP CODE` -> the op, through the phf alias map (unknown codes stay names, for the
//!   fallback); `OP TYPE` other than `tt_dnn_device` -> skipped (`signpost` rows counted apart).
//! * A device-op row without any device data (`DEVICE ARCH`, `DEVICE KERNEL DURATION [ns]`
//!   and `DEVICE FW DURATION [ns]` all empty: an op the host recorded, e.g. while capturing a
//!   metal trace, that has no device measurement) -> skipped, counted in [`Trace::host_only`].
//! * `DEVICE ARCH` -> the device, or the caller's default when the cell is empty. A trace
//!   without the column (older tt-metal) needs the default: [`TraceError::NoDevice`].
//! * `INPUT_i_*` / `OUTPUT_0_*` -> [`TensorParams`]: `W,Z,Y,X` dims as `padded[logical]`
//!   (`INPUT_0_W_PAD[LOGICAL]`, ...) or, in the older column set, as one number
//!   (`INPUT_0_W`, ...; see [`SHAPE_COLUMNS`]), `TILE` (32x32; the output takes
//!   `output_tile` from the attributes) or `ROW_MAJOR`, the dtype, and
//!   `DEV_n_<BUFFER>_<LAYOUT>` memory. Shard specs come from the attributes
//!   (`output_mem_config`, `memory_config`, `shard_spec`, ...) for the output; a sharded
//!   tensor without one in the attributes takes the output's when the shapes agree, else an
//!   even split over the op's cores (marked in [`TraceRow::inferred_shards`]).
//! * `AVAILABLE WORKER CORE COUNT` (or the matmul program config's grid, its
//!   `user_core_coord`, or `worker_grid`) -> the core grid, as the most square `x >= y`
//!   rectangle of that many cores.
//! * A trailing input beyond the op's inputs that is the output (same shape and memory
//!   layout) is a preallocated output tensor and is dropped (a binary op given a `scalar` has
//!   one tensor input, a where two); so is an input with a zero dim (an empty tensor, e.g.
//!   ring-joint attention's joint inputs without joint tokens).
//! * `ATTRIBUTES` and `MATH FIDELITY` -> the op params the op's schema declares.
//! * `DEVICE KERNEL DURATION [ns]` -> the measured duration, unless it is above
//!   [`MAX_KERNEL_NS`] (a profiler bug) or the capture times every op the same
//!   ([`UNIFORM_CAPTURE`]), both listed in [`Trace::implausible`], or the row's op info is
//!   the profiler's replay of an earlier call's ([`SHAPELESS_PROGRAM_HASH`],
//!   [`TraceRow::replays`]); `PM IDEAL [ns]` -> tt-metal's own estimate, the baseline;
//!   `OP TO OP LATENCY [ns]` -> [`TraceRow::gap_ns`], how closely the op followed the one
//!   before (the models do not read it; `ttperf eval` splits its figures by it).
//!
//! A row that cannot be read is reported with its line and reason; the rest are still read.

use super::era::Since;
use super::row::{Replay, Row, TraceRow, read_row};
use crate::device::Device;
use std::collections::HashMap;
use std::fmt;
use std::format;
use std::prelude::rust_2024::*;

/// Columns a trace must have, besides one of [`SHAPE_COLUMNS`].
pub const REQUIRED_COLUMNS: [&str; 2] = ["OP CODE", "DEVICE KERNEL DURATION [ns]"];

/// The first input's last dim, in either column set a trace must have one of: `padded[logical]`
/// cells (`INPUT_0_X_PAD[LOGICAL]`), or, from older tt-metal, one number per dim
/// (`INPUT_0_X`).
///
/// Older tt-metal wrote each tensor's `get_legacy_shape()` there, its padded shape
/// (`tt_metal/tools/profiler/op_profiler.hpp`, `get_tensor_json`). The logical shape is not
/// recorded, so it is taken to be the padded one; a `TILE` dim that is not a whole number of
/// tiles cannot be a padded dim, so it is taken as the logical dim and padded up to the tile.
pub const SHAPE_COLUMNS: [&str; 2] = ["INPUT_0_X_PAD[LOGICAL]", "INPUT_0_X"];

/// The longest `DEVICE KERNEL DURATION [ns]` taken as a measurement: 1 s.
///
/// On Blackhole the profiler has written durations no op takes for multi-core ops: about
/// 10,583 s (1.06e13 ns) in some captures, about 6.9 s (with an equally negative op-to-op
/// latency) in others (tenstorrent/tt-metal#48043: a stale kernel start cycle). The longest
/// real op in the shared traces takes 8.8 ms; a second is 1e9 cycles at Wormhole's 1 GHz,
/// over 100x that and still 6.9x below the smallest broken value seen. Longer durations are
/// listed in [`Trace::implausible`], and their rows carry no measured duration.
pub const MAX_KERNEL_NS: f64 = 1e9;

/// OP CODEs whose program hash leaves the tensors' shapes out, so that a row of one may show
/// another call's shapes.
///
/// tt-metal's op profiler records an op's info (attributes, input and output tensors) once
/// per chip and program hash: on a later call with the same hash it emits only the cached
/// short message, and the trace's row for that call repeats the first call's cells
/// (`tt_metal/tools/profiler/op_profiler.hpp`, `op_meta_data_serialized_json`, unless
/// `TT_METAL_PROFILER_NO_CACHE_OP_INFO` was set; its `PROGRAM CACHE HIT` column is the
/// first call's too). For these ops the hash holds the attributes, dtypes and memory configs
/// but not the shapes (`BinaryDeviceOperation::compute_program_hash`,
/// `BinaryNgDeviceOperation::compute_program_hash`: "shapes are intentionally excluded", the
/// work is split by runtime args; the older `Softmax` op's `compute_program_hash`: memory
/// configs and dtypes, where its successor `SoftmaxDeviceOperation` hashes the shape), so
/// after the first call of each hash the row's shapes may be another call's: on the shared
/// Wormhole CLIP trace, 194 rows that all show an add of `[1, 1, 19, 1280]` take 2.6-3.0 us
/// twice a layer and 3.9-4.5 us once. Such rows are read, marked ([`TraceRow::replays`])
/// and carry no measured duration: there is no query to score them against. A call that did
/// repeat the first call's shapes cannot be told from them: only the first row is scored.
/// A row of a metal-trace replay (`METAL TRACE ID` set) records no info of its own: the host
/// only recorded the call it captured, which, on a hit of the profiler's cache, shows the
/// info of the first call of its hash in the process. When no earlier row of the trace shows
/// that info, the call that recorded it ran before the trace's rows (a public Blackhole
/// Qwen3.6-35B-A3B decode capture, tenstorrent/tt-metal `models/autoports/qwen_qwen3_6_35b_a3b`,
/// shows its decode adds and multiplies with a 5-row prompt's `[5, 8192]` shapes): such a row
/// is not scored either ([`Replay::BeforeTrace`]).
/// (Unary ops, typecast and ternary ops hash the
/// volume, which with the memory config fixes their work. The newest `MoveDeviceOperation`
/// hashes memory configs and dtypes only, but earlier ones hashed the tensors, and the
/// shared traces' moves repeat their first call's time within 1.35x: not listed, so their
/// repeats stay measurements.)
pub const SHAPELESS_PROGRAM_HASH: [&str; 3] = [
    "BinaryDeviceOperation",
    "BinaryNgDeviceOperation",
    "Softmax",
];

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub line: u64,
    pub reason: String,
}

/// A row whose `DEVICE KERNEL DURATION [ns]` is a broken measurement, never a duration to
/// fit or score. The row is still in [`Trace::rows`] (it ran), with no
/// [`TraceRow::measured_ns`].
#[derive(Debug, Clone, PartialEq)]
pub struct Implausible {
    pub line: u64,
    pub duration_ns: f64,
    pub why: Broken,
}

/// How a duration is known to be broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// Above [`MAX_KERNEL_NS`].
    TooLong,
    /// Every op of the capture reports the same duration (see [`UNIFORM_CAPTURE`]).
    SameForEveryOp,
    /// A sweep's runs of one shape span more than its dtypes and memories explain: some of
    /// its durations are a neighbouring shape's (the file's durations are out of step with
    /// its rows there).
    OutOfStep,
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Broken::TooLong => "a profiler bug: no op runs that long",
            Broken::SameForEveryOp => {
                "every op of this capture reports the same duration: the profiler timed the \
                 capture, not the op"
            }
            Broken::OutOfStep => {
                "this shape's runs span more than its dtypes and memories explain: the \
                 sweep's durations are out of step with its rows here"
            }
        })
    }
}

/// A capture whose device-op rows all report one duration (within `spread` of the shortest)
/// across at least `ops` different OP CODEs and `rows` rows measures no op. Public Blackhole
/// traces of metal-trace replays show it (tenstorrent/tt-metal `models/autoports/
/// qwen_qwen3_6_27b/.../full_attention_trace`: 172 ops from a tilize to a matmul, every one
/// 1.417-1.422 ms; `google_gemma_4_26b_a4b_it/.../sliding_trace`: 194 ops at 1.247-1.253 ms),
/// where the same ops measure 0.5 us to 0.2 ms in an ordinary capture. Such rows are listed
/// in [`Trace::implausible`].
pub const UNIFORM_CAPTURE: UniformCapture = UniformCapture {
    rows: 16,
    ops: 4,
    spread: 0.02,
};

/// The thresholds of [`UNIFORM_CAPTURE`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UniformCapture {
    pub rows: usize,
    pub ops: usize,
    pub spread: f64,
}

/// A read trace.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    pub rows: Vec<TraceRow>,
    /// `signpost` marker rows skipped.
    pub signposts: usize,
    /// Rows of other op types (host ops such as `python_fallback`) skipped.
    pub non_device: usize,
    /// Device-op rows without device data (no `DEVICE ARCH`, no kernel or firmware duration)
    /// skipped.
    pub host_only: usize,
    /// Rows whose duration is a broken measurement (see [`Broken`]).
    pub implausible: Vec<Implausible>,
    pub malformed: Vec<Malformed>,
    /// The latest tt-metal change the rows show; the params of kernels that changed since
    /// follow it.
    pub since: Since,
}

/// Why a trace could not be read at all.
#[derive(Debug)]
pub enum TraceError {
    /// The file could not be read.
    Io(std::io::Error),
    /// The CSV header could not be read.
    Csv(csv::Error),
    /// The header lacks columns every trace needs.
    MissingColumns(Vec<&'static str>),
    /// The trace has no `DEVICE ARCH` column and no default device was given.
    NoDevice,
}

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceError::Io(e) => write!(f, "cannot read the trace: {e}"),
            TraceError::Csv(e) => write!(f, "not a CSV trace: {e}"),
            TraceError::MissingColumns(c) => write!(
                f,
                "not a tt-metal ops_perf_results trace: missing column(s) {}",
                c.join(", ")
            ),
            TraceError::NoDevice => write!(
                f,
                "the trace has no DEVICE ARCH column (older tt-metal), so the device it ran \
                 on must be given"
            ),
        }
    }
}

impl std::error::Error for TraceError {}

/// Reads a trace file; `default_device` serves rows whose `DEVICE ARCH` is empty, and is
/// required when the trace has no `DEVICE ARCH` column.
pub fn read_trace_file(
    path: &std::path::Path,
    default_device: Option<Device>,
) -> Result<Trace, TraceError> {
    let file = std::fs::File::open(path).map_err(TraceError::Io)?;
    read_trace(std::io::BufReader::new(file), default_device)
}

/// Reads a trace from any reader; `default_device` serves rows whose `DEVICE ARCH` is empty,
/// and is required when the trace has no `DEVICE ARCH` column.
pub fn read_trace(
    input: impl std::io::Read,
    default_device: Option<Device>,
) -> Result<Trace, TraceError> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = csv.headers().map_err(TraceError::Csv)?.clone();
    let columns: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim(), i))
        .collect();
    let mut missing: Vec<&'static str> = REQUIRED_COLUMNS
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(c))
        .collect();
    let plain_shapes = !columns.contains_key(SHAPE_COLUMNS[0]);
    if plain_shapes && !columns.contains_key(SHAPE_COLUMNS[1]) {
        missing.push("INPUT_0_X_PAD[LOGICAL] (or INPUT_0_X)");
    }
    if !missing.is_empty() {
        return Err(TraceError::MissingColumns(missing));
    }
    if default_device.is_none() && !columns.contains_key("DEVICE ARCH") {
        return Err(TraceError::NoDevice);
    }
    let mut trace = Trace::default();
    let recorded_columns: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            let h = h.trim();
            h == "ATTRIBUTES" || h.starts_with("INPUT_") || h.starts_with("OUTPUT_")
        })
        .map(|(i, _)| i)
        .collect();
    // Which tt-metal wrote the trace, read off all its rows before any is read.
    let records: Vec<Result<csv::StringRecord, csv::Error>> = csv.records().collect();
    let row_of = |record| Row {
        columns: &columns,
        record,
        plain_shapes,
    };
    trace.since = Since::of(records.iter().filter_map(|r| r.as_ref().ok()).map(row_of));
    // The first line of each recorded op info (see `SHAPELESS_PROGRAM_HASH`).
    let mut first_call: HashMap<String, u64> = HashMap::new();
    for (i, record) in records.iter().enumerate() {
        let line = i as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                trace.malformed.push(Malformed {
                    line,
                    reason: format!("unreadable CSV record: {e}"),
                });
                continue;
            }
        };
        let row = row_of(record);
        let device_data = [
            "DEVICE ARCH",
            "DEVICE KERNEL DURATION [ns]",
            "DEVICE FW DURATION [ns]",
        ]
        .iter()
        .any(|c| !row.get(c).is_empty());
        let op_type = row.get("OP TYPE");
        let replays = match recorded_info(&row, &recorded_columns) {
            Some(info) if matches!(op_type, "" | "tt_dnn_device") => {
                match *first_call.entry(info).or_insert(line) {
                    first if first != line => Some(Replay::Line(first)),
                    _ if !row.get("METAL TRACE ID").is_empty() => Some(Replay::BeforeTrace),
                    _ => None,
                }
            }
            _ => None,
        };
        match op_type {
            "signpost" => trace.signposts += 1,
            "" | "tt_dnn_device" if !device_data => trace.host_only += 1,
            "" | "tt_dnn_device" => match read_row(&row, line, default_device, trace.since) {
                Ok(mut r) => {
                    if replays.is_some() {
                        r.replays = replays;
                        r.measured_ns = None;
                    }
                    if let Some(ns) = r.measured_ns.filter(|&ns| ns > MAX_KERNEL_NS) {
                        r.measured_ns = None;
                        trace.implausible.push(Implausible {
                            line,
                            duration_ns: ns,
                            why: Broken::TooLong,
                        });
                    }
                    trace.rows.push(r)
                }
                Err(reason) => trace.malformed.push(Malformed { line, reason }),
            },
            _ => trace.non_device += 1,
        }
    }
    unscore_uniform_capture(&mut trace);
    Ok(trace)
}

/// The op info the profiler cached for a row of an OP CODE in [`SHAPELESS_PROGRAM_HASH`], as
/// the row shows it: the chip and the `PROGRAM HASH` when the trace has one, else the chip,
/// the OP CODE and every cell the cached message fills (`ATTRIBUTES`, `INPUT_*`,
/// `OUTPUT_*`), which a replay repeats exactly. `None` for other OP CODEs.
fn recorded_info(row: &Row<'_>, recorded_columns: &[usize]) -> Option<String> {
    let op_code = row.get("OP CODE");
    if !SHAPELESS_PROGRAM_HASH.contains(&op_code) {
        return None;
    }
    let mut info = format!("{}\u{1f}{op_code}", row.get("DEVICE ID"));
    match row.get("PROGRAM HASH") {
        "" => {
            for &i in recorded_columns {
                info.push('\u{1f}');
                info.push_str(row.record.get(i).unwrap_or("").trim());
            }
        }
        hash => {
            info.push('\u{1f}');
            info.push_str(hash);
        }
    }
    Some(info)
}

/// Moves every measured row of a capture that times every op the same
/// ([`UNIFORM_CAPTURE`]) to [`Trace::implausible`].
fn unscore_uniform_capture(trace: &mut Trace) {
    let durations = || trace.rows.iter().filter_map(|r| r.measured_ns);
    let rows = durations().count();
    let ops: std::collections::BTreeSet<&str> = trace
        .rows
        .iter()
        .filter(|r| r.measured_ns.is_some())
        .map(|r| r.op_code.as_str())
        .collect();
    let shortest = durations().fold(f64::INFINITY, f64::min);
    let longest = durations().fold(0.0, f64::max);
    let UniformCapture {
        rows: min_rows,
        ops: min_ops,
        spread,
    } = UNIFORM_CAPTURE;
    if rows < min_rows || ops.len() < min_ops || longest - shortest > spread * shortest {
        return;
    }
    for r in &mut trace.rows {
        if let Some(ns) = r.measured_ns.take() {
            trace.implausible.push(Implausible {
                line: r.line,
                duration_ns: ns,
                why: Broken::SameForEveryOp,
            });
        }
    }
    trace.implausible.sort_by_key(|i| i.line);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::CoreGrid;
    use crate::params::OwnedParamValue;
    use crate::tensor::{CoreRange, DType, Layout, Shape};

    /// The trace's one malformed row is at `line`, for a reason that says `why`.
    fn assert_one_malformed(trace: &Trace, line: u64, why: &str) {
        let [m] = &trace.malformed[..] else {
            std::panic!("{:?}", trace.malformed)
        };
        assert_eq!(m.line, line, "{m:?}");
        assert!(m.reason.contains(why), "{m:?}");
    }

    const HEADER: &str = "OP CODE,OP TYPE,DEVICE ARCH,ATTRIBUTES,MATH FIDELITY,CORE COUNT,AVAILABLE WORKER CORE COUNT,DEVICE KERNEL DURATION [ns],PM IDEAL [ns],INPUT_0_W_PAD[LOGICAL],INPUT_0_Z_PAD[LOGICAL],INPUT_0_Y_PAD[LOGICAL],INPUT_0_X_PAD[LOGICAL],INPUT_0_LAYOUT,INPUT_0_DATATYPE,INPUT_0_MEMORY\n";

    #[test]
    fn rows_signposts_and_malformed_rows() {
        let csv = std::format!(
            "{HEADER}\
             start,signpost,,,,,,,,,,,,,,\n\
             UnaryDeviceOperation,tt_dnn_device,wormhole_b0,\"{{'op_chain': '{{BasicUnaryWithParam<float>(op_type=UnaryOpType::EXP;param={{0}})}}'}}\",HiFi4,64,64,5000,1,1[1],1[1],32[19],1024[1024],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED\n\
             UnaryDeviceOperation,tt_dnn_device,,,HiFi4,64,64,5000,1,1[1],1[1],32[19],1024[1024],TILE,NOTATYPE,DEV_0_DRAM_INTERLEAVED\n"
        );
        let trace = read_trace(csv.as_bytes(), None).unwrap();
        assert_eq!(trace.signposts, 1);
        assert_eq!(trace.rows.len(), 1);
        let r = &trace.rows[0];
        assert_eq!(
            (r.line, r.device, r.measured_ns),
            (3, Device::WormholeB0, Some(5000.0))
        );
        assert_eq!(
            r.params,
            [
                ("fast_and_approximate_mode", OwnedParamValue::Bool(false)),
                ("unary_op", OwnedParamValue::Enum("exp".into()))
            ]
        );
        assert_eq!(r.grid, Some(CoreGrid::new(8, 8)));
        assert_eq!(
            r.inputs[0].shape,
            Shape::padded(&[1, 1, 32, 1024], &[1, 1, 19, 1024])
        );
        assert_one_malformed(&trace, 4, "DEVICE ARCH");
        let with_default = read_trace(csv.as_bytes(), Some(Device::Blackhole)).unwrap();
        assert_one_malformed(&with_default, 4, "NOTATYPE");
    }

    /// A padding tilize in a trace without a mark of tt-metal from its reader's rewrite on
    /// ran the earlier reader (`waits_each_row`); beside a unary row that carries
    /// `worker_grid` (a tt-metal of 2026-04-21 or later), wherever that row stands, today's.
    #[test]
    fn the_traces_tt_metal_picks_the_kernel() {
        let tilize = "TilizeWithValPaddingDeviceOperation,tt_dnn_device,blackhole,\"{'use_multicore': 'true'}\",,1,110,3000,1,1[1],1[1],33[33],64[64],ROW_MAJOR,BFLOAT16,DEV_0_DRAM_INTERLEAVED\n";
        let unary = "UnaryDeviceOperation,tt_dnn_device,blackhole,\"{'op_chain': '{BasicUnaryWithParam<float>(op_type=UnaryOpType::EXP;param={0})}'; 'worker_grid': '{}'}\",HiFi4,64,64,5000,1,1[1],1[1],32[32],1024[1024],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED\n";
        let waits = |csv: &str| {
            let trace = read_trace(csv.as_bytes(), None).unwrap();
            let r = trace
                .rows
                .iter()
                .find(|r| r.op_code.starts_with("Tilize"))
                .unwrap();
            let (_, v) = r
                .params
                .iter()
                .find(|(k, _)| *k == "waits_each_row")
                .unwrap();
            (v.clone(), trace.since.0.map(|m| m.since))
        };
        // The tilize's own OP CODE dates the trace from December 2025 on: before the rewrite.
        assert_eq!(
            waits(&std::format!("{HEADER}{tilize}")),
            (OwnedParamValue::Bool(true), Some(20251208))
        );
        let marked = (OwnedParamValue::Bool(false), Some(20260421));
        assert_eq!(waits(&std::format!("{HEADER}{tilize}{unary}")), marked);
        assert_eq!(waits(&std::format!("{HEADER}{unary}{tilize}")), marked);
    }

    /// A binary row that repeats an earlier one's recorded info, on the same chip, is the
    /// profiler's replay: it keeps no duration and names the first call's line; a unary row
    /// (its hash holds the volume) and a row on another chip or of another program hash
    /// are measurements.
    #[test]
    fn replayed_op_info_of_shapeless_hashes_is_not_a_measurement() {
        let tensor = "1[1],1[1],32[19],1280[1280],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED";
        let add = "BinaryNgDeviceOperation,tt_dnn_device,wormhole_b0,\"{'binary_op_type': 'BinaryOpType::ADD'}\",HiFi4,64,64";
        let exp = "UnaryDeviceOperation,tt_dnn_device,wormhole_b0,,HiFi4,64,64";
        let row = |id: &str, op: &str, hash: &str, ns: u32| {
            std::format!("{id},{hash},{op},{ns},1,{tensor}\n")
        };
        let body = [
            row("0", add, "", 3000),
            row("0", exp, "", 2000),
            row("0", add, "", 4400),
            row("0", exp, "", 2100),
            row("1", add, "", 3100),
        ]
        .concat();
        let trace = read_trace(
            std::format!("DEVICE ID,PROGRAM HASH,{HEADER}{body}").as_bytes(),
            None,
        )
        .unwrap();
        let seen: Vec<(u64, Option<f64>, Option<Replay>)> = trace
            .rows
            .iter()
            .map(|r| (r.line, r.measured_ns, r.replays))
            .collect();
        assert_eq!(
            seen,
            [
                (2, Some(3000.0), None),
                (3, Some(2000.0), None),
                (4, None, Some(Replay::Line(2))),
                (5, Some(2100.0), None),
                (6, Some(3100.0), None),
            ]
        );
        // With a PROGRAM HASH, the hash is the key: the same cells under another hash are
        // another program's, and the same hash replays whatever cells it shows.
        let body = [
            row("0", add, "11", 3000),
            row("0", add, "22", 4400),
            row("0", &add.replace("ADD", "MUL"), "11", 5000),
        ]
        .concat();
        let trace = read_trace(
            std::format!("DEVICE ID,PROGRAM HASH,{HEADER}{body}").as_bytes(),
            None,
        )
        .unwrap();
        let replays: Vec<Option<Replay>> = trace.rows.iter().map(|r| r.replays).collect();
        assert_eq!(replays, [None, None, Some(Replay::Line(2))]);
    }

    /// In a metal-trace replay, a binary row whose program hash no earlier row shows holds the
    /// info of a call before the trace: not a measurement. A metal-trace row that repeats a
    /// host-dispatched row names that row, and a unary row there is a measurement.
    #[test]
    fn metal_trace_rows_without_an_earlier_call_are_not_measurements() {
        let tensor = "1[1],1[1],32[5],8192[8192],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED";
        let add = "BinaryNgDeviceOperation,tt_dnn_device,blackhole,\"{'binary_op_type': 'BinaryOpType::ADD'}\",HiFi4,110,110";
        let neg = "UnaryDeviceOperation,tt_dnn_device,blackhole,,HiFi4,110,110";
        let row = |trace_id: &str, op: &str, hash: &str, ns: u32| {
            std::format!("{trace_id},{hash},{op},{ns},1,{tensor}\n")
        };
        let body = [
            row("", add, "11", 3000),
            row("1", add, "11", 3100),
            row("1", add, "22", 2200),
            row("1", add, "22", 2100),
            row("1", neg, "33", 2000),
        ]
        .concat();
        let trace = read_trace(
            std::format!("METAL TRACE ID,PROGRAM HASH,{HEADER}{body}").as_bytes(),
            None,
        )
        .unwrap();
        let seen: Vec<(Option<f64>, Option<Replay>)> = trace
            .rows
            .iter()
            .map(|r| (r.measured_ns, r.replays))
            .collect();
        assert_eq!(
            seen,
            [
                (Some(3000.0), None),
                (None, Some(Replay::Line(2))),
                (None, Some(Replay::BeforeTrace)),
                (None, Some(Replay::Line(4))),
                (Some(2000.0), None),
            ]
        );
    }

    #[test]
    fn device_ids_name_the_chip() {
        let row = "UnaryDeviceOperation,tt_dnn_device,wormhole_b0,,HiFi4,64,64,5000,1,1[1],1[1],32[32],32[32],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED";
        let csv = std::format!("DEVICE ID,{HEADER}3,{row}\n,{row}\nchip7,{row}\n");
        let trace = read_trace(csv.as_bytes(), None).unwrap();
        let ids: Vec<Option<u32>> = trace.rows.iter().map(|r| r.device_id).collect();
        assert_eq!(ids, [Some(3), None]);
        assert_one_malformed(&trace, 4, "DEVICE ID: `chip7`");
    }

    /// tt-metal's unary_ng op (PR #40294, March 2026) has the unary op's attributes: its rows
    /// read as eltwise_unary with their function, and date the trace.
    #[test]
    fn unary_ng_rows_are_unary_ops() {
        let chain = "{'op_chain': '{BasicUnaryWithParam<float; int; unsigned int>(base=BasicUnaryWithParam<float>(op_type=UnaryOpType::EXP;param={}))}'; 'worker_grid': '{}'}";
        let row = std::format!(
            "UnaryNgDeviceOperation,tt_dnn_device,blackhole,\"{chain}\",HiFi4,110,110,5000,1,1[1],1[1],32[32],32[32],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED"
        );
        let trace = read_trace(std::format!("{HEADER}{row}\n").as_bytes(), None).unwrap();
        let r = &trace.rows[0];
        assert_eq!(
            crate::Op::from_name(&r.op_code),
            Ok(crate::Op::EltwiseUnary)
        );
        assert!(
            r.params
                .iter()
                .any(|(k, v)| *k == "unary_op" && std::format!("{v:?}").contains("exp")),
            "{:?}",
            r.params
        );
        assert_eq!(trace.since.0.map(|m| m.since), Some(20260319));
    }

    #[test]
    fn missing_columns_are_named() {
        let err = read_trace("OP CODE,ATTRIBUTES\n".as_bytes(), None).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("DEVICE KERNEL DURATION [ns]")
                && msg.contains("INPUT_0_X_PAD[LOGICAL] (or INPUT_0_X)"),
            "{msg}"
        );
    }

    /// The older column set (`INPUT_0_W` ..., no `DEVICE ARCH`, no `AVAILABLE WORKER CORE
    /// COUNT`, per-core duration columns) as the 2025 SegFormer trace has it.
    const OLD_HEADER: &str = "OP CODE,OP TYPE,DEVICE ID,ATTRIBUTES,MATH FIDELITY,CORE COUNT,DEVICE FW DURATION [ns],DEVICE KERNEL DURATION [ns],DEVICE KERNEL DURATION PER CORE MIN [ns],DEVICE KERNEL DURATION PER CORE MAX [ns],PM IDEAL [ns],INPUT_0_W,INPUT_0_Z,INPUT_0_Y,INPUT_0_X,INPUT_0_LAYOUT,INPUT_0_DATATYPE,INPUT_0_MEMORY,OUTPUT_0_W,OUTPUT_0_Z,OUTPUT_0_Y,OUTPUT_0_X,OUTPUT_0_LAYOUT,OUTPUT_0_DATATYPE,OUTPUT_0_MEMORY\n";

    #[test]
    fn older_column_set() {
        let csv = std::format!(
            "{OLD_HEADER}\
             (torch) contiguous,python_fallback,,None,,,,,,,,,,,,,,,,,,,,,\n\
             UnaryDeviceOperation,tt_dnn_device,0,\"{{'op_chain': '{{UnaryWithParam(op_type=UnaryOpType::GELU;param={{0}})}}'}}\",HiFi4,64,6000,5000,4000,4900,1,1,1,16384,128,TILE,BFLOAT8_B,DEV_0_L1_INTERLEAVED,1,1,16384,128,TILE,BFLOAT8_B,DEV_0_L1_INTERLEAVED\n\
             MoveDeviceOperation,tt_dnn_device,0,,,64,8000,7000,6000,6900,1,1,1,364480,16,ROW_MAJOR,BFLOAT16,DEV_0_L1_INTERLEAVED,1,1,364480,16,ROW_MAJOR,BFLOAT16,DEV_0_L1_INTERLEAVED\n\
             UnaryDeviceOperation,tt_dnn_device,0,,HiFi4,64,6000,5000,4000,4900,1,1,1,19,1000,TILE,BFLOAT16,DEV_0_L1_INTERLEAVED,,,,,,,\n\
             UnaryDeviceOperation,tt_dnn_device,0,,HiFi4,64,6000,5000,4000,4900,1,1,1,32[19],1024,TILE,BFLOAT16,DEV_0_L1_INTERLEAVED,,,,,,,\n"
        );
        // No DEVICE ARCH column: the device must be given.
        let err = read_trace(csv.as_bytes(), None).unwrap_err();
        assert!(matches!(err, TraceError::NoDevice), "{err}");
        assert!(err.to_string().contains("DEVICE ARCH"), "{err}");

        let trace = read_trace(csv.as_bytes(), Some(Device::WormholeB0)).unwrap();
        assert_eq!(trace.non_device, 1);
        assert_eq!(trace.rows.len(), 3, "{:?}", trace.malformed);
        let gelu = &trace.rows[0];
        assert_eq!(
            (gelu.line, gelu.device, gelu.measured_ns),
            (3, Device::WormholeB0, Some(5000.0))
        );
        assert_eq!(
            gelu.params,
            [
                ("fast_and_approximate_mode", OwnedParamValue::Bool(false)),
                ("unary_op", OwnedParamValue::Enum("gelu".into()))
            ]
        );
        // One number per dim is the padded (legacy) shape; the logical shape is taken equal.
        assert_eq!(gelu.inputs[0].shape, Shape::new(&[1, 1, 16384, 128]));
        assert_eq!(gelu.inputs[0].dtype, DType::Bfloat8B);
        assert_eq!(
            gelu.output.map(|o| o.shape),
            Some(Shape::new(&[1, 1, 16384, 128]))
        );
        // Row-major dims are taken as they are.
        assert_eq!(
            trace.rows[1].inputs[0].shape,
            Shape::new(&[1, 1, 364480, 16])
        );
        assert_eq!(trace.rows[1].inputs[0].layout, Layout::RowMajor);
        // A tile dim that is no whole number of tiles is logical, padded up to the tile.
        assert_eq!(
            trace.rows[2].inputs[0].shape,
            Shape::padded(&[1, 1, 32, 1024], &[1, 1, 19, 1000])
        );
        assert_eq!(trace.rows[2].output, None);
        // A `padded[logical]` cell in the older set is no number: reported with its line.
        assert_one_malformed(&trace, 6, "INPUT_0: dim `32[19]` is not a number");
    }

    /// A sharded tensor of the older column set has no shard spec in its row (only
    /// `DEV_0_L1_BLOCK_SHARDED`): it is split evenly over the op's cores in whole tiles.
    #[test]
    fn older_sharded_tensors_split_in_whole_tiles() {
        let s2i = |cores: u32, y: u32, x: u32, layout: &str, memory: &str| {
            std::format!(
                "ShardedToInterleavedDeviceOperation,tt_dnn_device,0,\"{{'output_dtype': 'DataType::BFLOAT8_B'}}\",,{cores},3000,2000,1500,1900,1,\
                 1,1,{y},{x},{layout},BFLOAT8_B,DEV_0_L1_{memory},1,1,{y},{x},{layout},BFLOAT8_B,DEV_0_L1_INTERLEAVED"
            )
        };
        let rows = [
            // 32 x 5 tiles on 40 cores: 8 rows of 5 cores hold 4 x 1 tiles each (5 rows of 8
            // would leave 20-column shards, no whole tile).
            s2i(40, 1024, 160, "TILE", "BLOCK_SHARDED"),
            // 8 x 8 tiles on 64 cores: one tile each.
            s2i(64, 256, 256, "TILE", "BLOCK_SHARDED"),
            // 10 x 3 tiles on 6 cores (2 x 3 or 3 x 2 grids fit): 2 rows of 3 cores hold 5 x 1
            // tiles, where 3 rows of 2 would hold 4 x 2.
            s2i(6, 320, 96, "TILE", "BLOCK_SHARDED"),
            // 3 tile rows on 2 cores: 2 tile rows each, not 48 rows.
            s2i(2, 96, 64, "TILE", "HEIGHT_SHARDED"),
            // Row-major rows split as they are.
            s2i(2, 96, 64, "ROW_MAJOR", "HEIGHT_SHARDED"),
            // A block-sharded output over the matmul's own 2 x 8 grid, 16 x 2 tiles each (a 4 x 4
            // grid would hold 32 x 1 tiles, as many); its input on the same grid.
            "Matmul,tt_dnn_device,0,\"{'user_core_coord': '(x=2;y=8)'}\",LoFi,16,3000,2000,1500,1900,1,\
             1,1,4096,64,TILE,BFLOAT8_B,DEV_0_L1_BLOCK_SHARDED,1,1,4096,128,TILE,BFLOAT8_B,DEV_0_L1_BLOCK_SHARDED"
                .to_string(),
        ];
        let csv = std::format!("{OLD_HEADER}{}\n", rows.join("\n"));
        let trace = read_trace(csv.as_bytes(), Some(Device::WormholeB0)).unwrap();
        assert_eq!(trace.rows.len(), rows.len(), "{:?}", trace.malformed);
        let shards: Vec<(CoreRange, [u32; 2])> = trace
            .rows
            .iter()
            .map(|r| {
                assert!(r.inferred_shards);
                let shard = r.inputs[0].memory.shard.unwrap();
                (shard.grid, shard.shape)
            })
            .collect();
        let grid = |x, y| CoreRange::of_grid(CoreGrid::new(x, y));
        assert_eq!(
            shards,
            [
                (grid(5, 8), [128, 32]),
                (grid(8, 8), [32, 32]),
                (grid(3, 2), [160, 32]),
                (grid(2, 1), [64, 64]),
                (grid(2, 1), [48, 64]),
                (grid(2, 8), [512, 32]),
            ]
        );
        assert_eq!(
            trace.rows[5]
                .output
                .unwrap()
                .memory
                .shard
                .map(|s| (s.grid, s.shape)),
            Some((grid(2, 8), [512, 64]))
        );
    }

    /// In the older column set a binary op's scalar or row operand shows as whole tiles: a
    /// one-tile dim under a larger output dim is read as a padded 1, and the row is a
    /// broadcast the model answers; other ops' shapes stay as recorded.
    #[test]
    fn older_column_set_binary_operands_broadcast() {
        let header = OLD_HEADER.replace(
            "OUTPUT_0_W",
            "INPUT_1_W,INPUT_1_Z,INPUT_1_Y,INPUT_1_X,INPUT_1_LAYOUT,INPUT_1_DATATYPE,INPUT_1_MEMORY,OUTPUT_0_W",
        );
        let row = |op: &str, y: u32, x: u32| {
            std::format!(
                "{op},tt_dnn_device,0,\"{{'binary_op_type': 'BinaryOpType::MUL'}}\",HiFi4,64,3000,2000,1500,1900,1,\
                 1,1,16384,256,TILE,BFLOAT16,DEV_0_L1_INTERLEAVED,\
                 1,1,{y},{x},TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED,\
                 1,1,16384,256,TILE,BFLOAT16,DEV_0_L1_INTERLEAVED"
            )
        };
        let rows = [
            row("BinaryDeviceOperation", 32, 32),
            row("BinaryDeviceOperation", 32, 256),
            row("BinaryDeviceOperation", 16384, 256),
            row("Matmul", 32, 32),
        ];
        let csv = std::format!("{header}{}\n", rows.join("\n"));
        let trace = read_trace(csv.as_bytes(), Some(Device::WormholeB0)).unwrap();
        assert_eq!(trace.rows.len(), rows.len(), "{:?}", trace.malformed);
        let b = |i: usize| trace.rows[i].inputs[1].shape;
        assert_eq!(b(0), Shape::padded(&[1, 1, 32, 32], &[1, 1, 1, 1]));
        assert_eq!(b(1), Shape::padded(&[1, 1, 32, 256], &[1, 1, 1, 256]));
        assert_eq!(b(2), Shape::new(&[1, 1, 16384, 256]));
        assert_eq!(b(3), Shape::new(&[1, 1, 32, 32]));
        let models = crate::manager::PerfModels::new(Device::WormholeB0);
        for r in &trace.rows[..3] {
            let params = r.op_params();
            let estimate = models.query(&r.query(&params));
            assert!(estimate.is_ok(), "line {}: {estimate:?}", r.line);
        }
    }

    #[test]
    fn host_only_rows_and_implausible_durations() {
        let tensor = "1[1],1[1],32[32],1024[1024],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED";
        let row = |arch: &str, fw: &str, ns: &str| {
            std::format!(
                "UnaryDeviceOperation,tt_dnn_device,{arch},,HiFi4,64,64,{fw},{ns},1,{tensor}"
            )
        };
        let header = HEADER.replace(
            "DEVICE KERNEL DURATION [ns]",
            "DEVICE FW DURATION [ns],DEVICE KERNEL DURATION [ns]",
        );
        let rows = [
            // Host-only: no device data at all (a row of a captured metal trace).
            row("", "", ""),
            // Device data without a kernel duration: a device row, unmeasured.
            row("blackhole", "12000", ""),
            // The Blackhole profiler bug (10,583 s), and the limit itself, which is kept.
            row("blackhole", "10583000000000", "10583000000000"),
            row("blackhole", "1000000000", "1000000000"),
            // A duration but no DEVICE ARCH and no default: the device must be given.
            row("", "6000", "5000"),
        ];
        let csv = std::format!("{header}{}\n", rows.join("\n"));
        let trace = read_trace(csv.as_bytes(), None).unwrap();
        assert_eq!(trace.host_only, 1);
        let measured: Vec<(u64, Option<f64>)> =
            trace.rows.iter().map(|r| (r.line, r.measured_ns)).collect();
        assert_eq!(measured, [(3, None), (4, None), (5, Some(1e9))]);
        assert_eq!(
            trace.implausible,
            [Implausible {
                line: 4,
                duration_ns: 1.0583e13,
                why: Broken::TooLong,
            }]
        );
        assert_one_malformed(&trace, 6, "must be given");
    }

    /// A capture that times 16 rows of 4 different ops all at 1.42 ms (+-0.3%) measured no
    /// op: every row is listed as implausible and keeps no duration. One op of a different
    /// duration among them, or fewer kinds of op, and the rows are measurements.
    #[test]
    fn a_capture_that_times_every_op_the_same_is_not_scored() {
        let tensor = "1[1],1[1],32[32],1024[1024],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED";
        let csv = |ops: &[&str], last_ns: u32| {
            let rows: Vec<String> = (0..16)
                .map(|i| {
                    let op = ops[i % ops.len()];
                    let ns = if i == 15 {
                        last_ns
                    } else {
                        1_418_000 + 250 * i as u32
                    };
                    std::format!("{op},tt_dnn_device,blackhole,,HiFi4,64,64,{ns},1,{tensor}")
                })
                .collect();
            std::format!("{HEADER}{}\n", rows.join("\n"))
        };
        let ops = [
            "UnaryDeviceOperation",
            "TypecastDeviceOperation",
            "TilizeDeviceOperation",
            "MatmulDeviceOperation",
        ];
        let trace = read_trace(csv(&ops, 1_421_000).as_bytes(), None).unwrap();
        assert!(trace.rows.iter().all(|r| r.measured_ns.is_none()));
        assert_eq!(trace.implausible.len(), 16);
        assert!(
            trace
                .implausible
                .iter()
                .all(|i| i.why == Broken::SameForEveryOp)
        );
        assert_eq!(trace.implausible[0].line, 2);
        let one_differs = read_trace(csv(&ops, 30_000).as_bytes(), None).unwrap();
        assert!(one_differs.implausible.is_empty());
        let one_op = read_trace(csv(&ops[..1], 1_421_000).as_bytes(), None).unwrap();
        assert!(one_op.implausible.is_empty());
    }
}
