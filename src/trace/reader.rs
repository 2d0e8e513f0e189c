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
//!   layout) is a preallocated output tensor and is dropped.
//! * `ATTRIBUTES` and `MATH FIDELITY` -> the op params the op's schema declares.
//! * `DEVICE KERNEL DURATION [ns]` -> the measured duration, unless it is above
//!   [`MAX_KERNEL_NS`] (a profiler bug, listed in [`Trace::implausible`]); `PM IDEAL [ns]` ->
//!   tt-metal's own estimate, the baseline.
//!
//! A row that cannot be read is reported with its line and reason; the rest are still read.

use super::attributes::{Attr, parse_attributes};
use crate::device::{CoreGrid, Device};
use crate::manager::Query;
use crate::op::Op;
use crate::params::{OpParam, OwnedParamValue};
use crate::tensor::{
    BufferType, CoreRange, DType, Layout, MemoryConfig, MemoryLayout, Shape, ShardOrientation,
    ShardSpec, TensorParams,
};
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

/// One device-op row of a trace.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceRow {
    /// Line in the file (the header is line 1).
    pub line: u64,
    pub op_code: String,
    pub device: Device,
    /// `DEVICE ID`: which chip of a multi-chip trace ran the op.
    pub device_id: Option<u32>,
    pub params: Vec<(&'static str, OwnedParamValue)>,
    pub inputs: Vec<TensorParams>,
    pub output: Option<TensorParams>,
    pub grid: Option<CoreGrid>,
    /// `DEVICE KERNEL DURATION [ns]`; `None` when the cell is empty or holds a duration above
    /// [`MAX_KERNEL_NS`] (the row is then in [`Trace::implausible`]).
    pub measured_ns: Option<f64>,
    /// `PM IDEAL [ns]`, tt-metal's built-in estimate.
    pub baseline_ns: Option<f64>,
    /// Some sharded tensor's shard spec was not in the trace and was inferred.
    pub inferred_shards: bool,
}

impl TraceRow {
    /// The row's params as query params (borrowing from the row).
    pub fn op_params(&self) -> Vec<OpParam<'_>> {
        self.params
            .iter()
            .map(|(key, value)| OpParam::new(key, value.as_value()))
            .collect()
    }

    /// The row as a query by OP CODE, with `params` from [`TraceRow::op_params`].
    pub fn query<'a>(&'a self, params: &'a [OpParam<'a>]) -> Query<'a> {
        let mut q = Query::named(&self.op_code, &self.inputs).params(params);
        if let Some(o) = &self.output {
            q = q.output(o);
        }
        if let Some(g) = self.grid {
            q = q.grid(g);
        }
        q
    }
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub line: u64,
    pub reason: String,
}

/// A row whose `DEVICE KERNEL DURATION [ns]` is above [`MAX_KERNEL_NS`]: a broken
/// measurement, never a duration to fit or score. The row is still in [`Trace::rows`] (it
/// ran), with no [`TraceRow::measured_ns`].
#[derive(Debug, Clone, PartialEq)]
pub struct Implausible {
    pub line: u64,
    pub duration_ns: f64,
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
    /// Rows whose duration is a profiler bug (see [`MAX_KERNEL_NS`]).
    pub implausible: Vec<Implausible>,
    pub malformed: Vec<Malformed>,
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
    for (i, record) in csv.records().enumerate() {
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
        let row = Row {
            columns: &columns,
            record: &record,
            plain_shapes,
        };
        let device_data = [
            "DEVICE ARCH",
            "DEVICE KERNEL DURATION [ns]",
            "DEVICE FW DURATION [ns]",
        ]
        .iter()
        .any(|c| !row.get(c).is_empty());
        match row.get("OP TYPE") {
            "signpost" => trace.signposts += 1,
            "" | "tt_dnn_device" if !device_data => trace.host_only += 1,
            "" | "tt_dnn_device" => match read_row(&row, line, default_device) {
                Ok(mut r) => {
                    if let Some(ns) = r.measured_ns.filter(|&ns| ns > MAX_KERNEL_NS) {
                        r.measured_ns = None;
                        trace.implausible.push(Implausible {
                            line,
                            duration_ns: ns,
                        });
                    }
                    trace.rows.push(r)
                }
                Err(reason) => trace.malformed.push(Malformed { line, reason }),
            },
            _ => trace.non_device += 1,
        }
    }
    Ok(trace)
}

/// The parsed `ATTRIBUTES` cell.
struct Attrs(Vec<(String, Attr)>);

impl Attrs {
    fn get(&self, key: &str) -> Option<&Attr> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

struct Row<'a> {
    columns: &'a HashMap<&'a str, usize>,
    record: &'a csv::StringRecord,
    /// The older column set: `INPUT_0_W` ... (see [`SHAPE_COLUMNS`]).
    plain_shapes: bool,
}

impl Row<'_> {
    /// The trimmed cell of `column`; empty when the column or cell is absent.
    fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim)
    }

    fn number(&self, column: &str) -> Result<Option<f64>, String> {
        match self.get(column) {
            "" => Ok(None),
            s => s
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| format!("{column}: `{s}` is not a number")),
        }
    }
}

fn read_row(row: &Row<'_>, line: u64, default_device: Option<Device>) -> Result<TraceRow, String> {
    let op_code = row.get("OP CODE");
    if op_code.is_empty() {
        return Err("empty OP CODE".into());
    }
    let device = match row.get("DEVICE ARCH") {
        "" => default_device
            .ok_or("empty DEVICE ARCH: the device the trace ran on must be given (no default)")?,
        arch => Device::from_name(arch).map_err(|e| e.to_string())?,
    };
    let attrs =
        Attrs(parse_attributes(row.get("ATTRIBUTES")).map_err(|e| format!("ATTRIBUTES: {e}"))?);
    let attr = |key: &str| attrs.get(key);
    let hw = device.hardware();
    let grid = grid_of(row, &attrs, hw.full_grid)?;
    let cores = match row.number("CORE COUNT")? {
        Some(n) if n >= 1.0 => n as u32,
        _ => grid.map_or(hw.compute_grid.cores(), CoreGrid::cores),
    };

    let mut inferred_shards = false;
    let output_shard = ["output_mem_config", "memory_config", "output_memory_config"]
        .iter()
        .filter_map(|k| attr(k))
        .find_map(|mc| mc.arg("shard_spec").and_then(shard_spec))
        .or_else(|| attr("shard_spec").and_then(shard_spec));
    let output_tile = attr("output_tile")
        .and_then(|t| t.arg("tile_shape"))
        .and_then(Attr::items)
        .and_then(|s| Some((number(s.first()?)?, number(s.get(1)?)?)));
    let output = tensor(row, "OUTPUT_0", output_tile)?.map(|t| {
        with_shard(
            t,
            output_shard,
            None,
            cores,
            hw.full_grid,
            &mut inferred_shards,
        )
    });
    let mut inputs = Vec::new();
    for i in 0.. {
        match tensor(row, &format!("INPUT_{i}"), None)? {
            Some(t) => inputs.push(with_shard(
                t,
                None,
                output.as_ref(),
                cores,
                hw.full_grid,
                &mut inferred_shards,
            )),
            None => break,
        }
    }
    let op = Op::from_name(op_code).ok();
    // ttnn lists a preallocated output tensor as a trailing input: beyond the op's inputs, an
    // input that is the output is dropped.
    if let (Some(op), Some(out)) = (op, &output) {
        let max = op.spec().operands.max_inputs as usize;
        while inputs.len() > max
            && inputs
                .last()
                .is_some_and(|t| t.shape == out.shape && t.memory.layout == out.memory.layout)
        {
            inputs.pop();
        }
    }
    let params = op.map_or_else(Vec::new, |op| params_of(op, row, &attrs));
    Ok(TraceRow {
        line,
        op_code: op_code.to_string(),
        device,
        device_id: match row.get("DEVICE ID") {
            "" => None,
            id => Some(
                id.parse()
                    .map_err(|_| format!("DEVICE ID: `{id}` is not a chip number"))?,
            ),
        },
        params,
        inputs,
        output,
        grid,
        measured_ns: row.number("DEVICE KERNEL DURATION [ns]")?,
        baseline_ns: row.number("PM IDEAL [ns]")?,
        inferred_shards,
    })
}

/// `32[19]` -> (32, 19); `32` -> (32, 32) (see [`tensor`] for the older column set).
fn dim(cell: &str) -> Option<(u32, u32)> {
    match cell.split_once('[') {
        Some((padded, rest)) => Some((
            padded.trim().parse().ok()?,
            rest.strip_suffix(']')?.trim().parse().ok()?,
        )),
        None => {
            let d = cell.parse().ok()?;
            Some((d, d))
        }
    }
}

fn tensor(
    row: &Row<'_>,
    prefix: &str,
    tile: Option<(u16, u16)>,
) -> Result<Option<TensorParams>, String> {
    let suffix = if row.plain_shapes {
        ""
    } else {
        "_PAD[LOGICAL]"
    };
    let cells: Vec<&str> = ["W", "Z", "Y", "X"]
        .iter()
        .map(|d| row.get(&format!("{prefix}_{d}{suffix}")))
        .collect();
    if cells.iter().all(|c| c.is_empty()) {
        return Ok(None);
    }
    let layout = match row.get(&format!("{prefix}_LAYOUT")) {
        "TILE" | "" => {
            let (height, width) = tile.unwrap_or((32, 32));
            Layout::Tile { height, width }
        }
        "ROW_MAJOR" => Layout::RowMajor,
        other => return Err(format!("{prefix}_LAYOUT: unknown layout `{other}`")),
    };
    let mut padded = [0u32; 4];
    let mut logical = [0u32; 4];
    for (i, cell) in cells.iter().enumerate() {
        let (p, l) = if row.plain_shapes {
            let d: u32 = cell
                .parse()
                .map_err(|_| format!("{prefix}: dim `{cell}` is not a number"))?;
            // Y and X of a tile tensor are whole tiles when padded (see `SHAPE_COLUMNS`).
            let tile_dim = match (layout, i) {
                (Layout::Tile { height, .. }, 2) => u32::from(height),
                (Layout::Tile { width, .. }, 3) => u32::from(width),
                _ => 1,
            };
            let p = d
                .checked_next_multiple_of(tile_dim.max(1))
                .ok_or_else(|| format!("{prefix}: dim `{cell}` is too large"))?;
            (p, d)
        } else {
            dim(cell).ok_or_else(|| format!("{prefix}: dim `{cell}` is not `padded[logical]`"))?
        };
        padded[i] = p;
        logical[i] = l;
    }
    let dtype_cell = row.get(&format!("{prefix}_DATATYPE"));
    let dtype = DType::from_name(dtype_cell)
        .ok_or_else(|| format!("{prefix}_DATATYPE: unknown dtype `{dtype_cell}`"))?;
    let memory_cell = row.get(&format!("{prefix}_MEMORY"));
    let memory = memory(memory_cell)
        .ok_or_else(|| format!("{prefix}_MEMORY: unknown memory `{memory_cell}`"))?;
    Ok(Some(TensorParams::new(
        Shape::padded(&padded, &logical),
        dtype,
        layout,
        memory,
    )))
}

/// `DEV_0_L1_HEIGHT_SHARDED` -> L1, height sharded (shard spec filled in later).
fn memory(cell: &str) -> Option<MemoryConfig> {
    let rest = cell.strip_prefix("DEV_")?;
    let (_, rest) = rest.split_once('_')?;
    let (buffer, layout) = rest.split_once('_')?;
    let buffer = match buffer {
        "DRAM" => BufferType::Dram,
        "L1" => BufferType::L1,
        _ => return None,
    };
    let layout = match layout {
        "INTERLEAVED" => MemoryLayout::Interleaved,
        "HEIGHT_SHARDED" => MemoryLayout::HeightSharded,
        "WIDTH_SHARDED" => MemoryLayout::WidthSharded,
        "BLOCK_SHARDED" => MemoryLayout::BlockSharded,
        "ND_SHARDED" => MemoryLayout::NdSharded,
        _ => return None,
    };
    Some(MemoryConfig {
        buffer,
        layout,
        shard: None,
    })
}

/// `ShardSpec(grid={[(x=0;y=0) - (x=4;y=3)]};shape={1536; 64};orientation=...)`, or as newer
/// tt-metal writes it, `ShardSpec{grid=[{"start":{"x":0;"y":0};"end":{..}]; shape=[32; 128]; ...}`.
fn shard_spec(spec: &Attr) -> Option<ShardSpec> {
    let ranges = spec.arg("grid")?.find(
        &|a| matches!(a, Attr::List(items) if items.iter().any(|i| i.core_range().is_some())),
    )?;
    let (mut cores, mut lo, mut hi) = (0u32, (u8::MAX, u8::MAX), (0u8, 0u8));
    for r in ranges.items()? {
        let Some((a, b)) = r.core_range() else {
            continue;
        };
        let (a, b) = (core(a)?, core(b)?);
        let range = CoreRange { start: a, end: b };
        cores = cores.checked_add(range.cores())?;
        lo = (lo.0.min(a.0), lo.1.min(a.1));
        hi = (hi.0.max(b.0), hi.1.max(b.1));
    }
    let shape = spec.arg("shape")?.items()?;
    let shape = [number(shape.first()?)?, number(shape.get(1)?)?];
    // Newer ttnn writes `shape=[0; 0]` for a spec whose shard shape the op computes itself:
    // no shard shape, so none is taken from it.
    if shape.contains(&0) {
        return None;
    }
    let orientation = match spec.arg("orientation").and_then(Attr::variant) {
        Some("COL_MAJOR") => ShardOrientation::ColMajor,
        _ => ShardOrientation::RowMajor,
    };
    Some(ShardSpec {
        grid: CoreRange { start: lo, end: hi },
        cores,
        shape,
        orientation,
    })
}

/// A core coordinate that fits a grid.
fn core((x, y): (u64, u64)) -> Option<(u8, u8)> {
    Some((u8::try_from(x).ok()?, u8::try_from(y).ok()?))
}

/// A token as a number of the wanted width; `None` when it does not fit.
fn number<T: TryFrom<u64>>(a: &Attr) -> Option<T> {
    T::try_from(a.as_u64()?).ok()
}

/// Gives a sharded tensor its shard spec: `known`, else the output's when the shapes agree,
/// else an even split over `cores`.
fn with_shard(
    t: TensorParams,
    known: Option<ShardSpec>,
    output: Option<&TensorParams>,
    cores: u32,
    full: CoreGrid,
    inferred: &mut bool,
) -> TensorParams {
    if !t.memory.layout.is_sharded() {
        return t;
    }
    let from_output = output
        .filter(|o| o.shape == t.shape && o.memory.layout == t.memory.layout)
        .and_then(|o| o.memory.shard);
    let shard = known.or(from_output).or_else(|| {
        *inferred = true;
        Some(even_split(&t, cores, full))
    });
    t.with_memory(MemoryConfig { shard, ..t.memory })
}

fn even_split(t: &TensorParams, cores: u32, full: CoreGrid) -> ShardSpec {
    let grid = CoreGrid::most_square(cores, full).unwrap_or(full);
    let cols = t.shape.dim_from_end(0);
    // Rows of all outer dims; an absurd product saturates and validation rejects the tensor.
    let rows = t
        .shape
        .dims()
        .iter()
        .rev()
        .skip(1)
        .fold(1u32, |acc, &d| acc.saturating_mul(d))
        .max(1);
    let n = grid.cores().max(1);
    let shape = match t.memory.layout {
        MemoryLayout::WidthSharded => [rows, cols.div_ceil(n)],
        MemoryLayout::BlockSharded => [
            rows.div_ceil(grid.y.max(1) as u32),
            cols.div_ceil(grid.x.max(1) as u32),
        ],
        _ => [rows.div_ceil(n), cols],
    };
    ShardSpec::new(CoreRange::of_grid(grid), shape, ShardOrientation::RowMajor)
}

fn grid_of(row: &Row<'_>, attrs: &Attrs, full: CoreGrid) -> Result<Option<CoreGrid>, String> {
    let attr = |key: &str| attrs.get(key);
    let point_grid =
        |(x, y): (u64, u64)| Some(CoreGrid::new(u8::try_from(x).ok()?, u8::try_from(y).ok()?));
    // A matmul without a program config picks one on `user_core_coord`'s grid.
    if let Some(g) = attr("program_config")
        .or_else(|| attr("config"))
        .and_then(|pc| pc.arg("compute_with_storage_grid_size"))
        .or_else(|| attr("user_core_coord"))
        .and_then(Attr::point)
        .and_then(point_grid)
    {
        return Ok(Some(g));
    }
    if let Some((_, (x, y))) = attr("worker_grid")
        .and_then(|g| g.find(&|a| a.core_range().is_some()))
        .and_then(Attr::core_range)
    {
        if let Some(g) = point_grid((x.saturating_add(1), y.saturating_add(1))) {
            return Ok(Some(g));
        }
    }
    Ok(match row.number("AVAILABLE WORKER CORE COUNT")? {
        Some(n) if n >= 1.0 => CoreGrid::most_square(n as u32, full),
        _ => None,
    })
}

fn fidelity(row: &Row<'_>) -> Option<OwnedParamValue> {
    match row.get("MATH FIDELITY") {
        "" => None,
        f => Some(OwnedParamValue::Enum(f.to_ascii_lowercase())),
    }
}

fn params_of(op: Op, row: &Row<'_>, attrs: &Attrs) -> Vec<(&'static str, OwnedParamValue)> {
    let attr = |key: &str| attrs.get(key);
    let mut out = Vec::new();
    let bool_attr = |key: &str| attr(key).and_then(Attr::as_bool).map(OwnedParamValue::Bool);
    match op {
        Op::Matmul => {
            let config = match attr("program_config").and_then(Attr::call_name) {
                Some("MatmulMultiCoreReuseMultiCastProgramConfig") => "mcast_2d",
                Some("MatmulMultiCoreReuseMultiCast1DProgramConfig") => "mcast_1d",
                Some("MatmulMultiCoreReuseMultiCastDRAMShardedProgramConfig") => "dram_sharded",
                Some("MatmulMultiCoreReuseProgramConfig") => "multi_core_reuse",
                Some("MatmulMultiCoreProgramConfig") => "multi_core",
                // The minimal matmul (`MinimalMatmulOp`, renamed `MinimalMatmulDeviceOperation`)
                // always runs its one program; without a `MinimalMatmulConfig` it takes default
                // blocks on the full grid (tt-metal,
                // `experimental/minimal_matmul/device/minimal_matmul_program_factory.cpp`).
                _ if row.get("OP CODE").starts_with("MinimalMatmul")
                    || attr("config").and_then(Attr::call_name) == Some("MinimalMatmulConfig") =>
                {
                    "minimal"
                }
                _ => "auto",
            };
            out.push(("program_config", OwnedParamValue::Enum(config.into())));
            // Blocking of a MinimalMatmulConfig (ttnn.experimental.minimal_matmul).
            if config == "minimal" {
                for (key, param) in [
                    ("M_block_size", "m_block"),
                    ("K_block_size", "in0_block_w"),
                    ("N_block_size", "n_block"),
                    ("subblock_h", "out_subblock_h"),
                    ("subblock_w", "out_subblock_w"),
                ] {
                    let value = attr("config")
                        .and_then(|pc| pc.arg(key))
                        .and_then(Attr::as_u64)
                        .filter(|&n| (1..=65536).contains(&n));
                    out.extend(value.map(|n| (param, OwnedParamValue::Int(n as i64))));
                }
            }
            // Blocking of an explicit program config.
            for key in ["in0_block_w", "out_subblock_h", "out_subblock_w"] {
                let value = attr("program_config")
                    .and_then(|pc| pc.arg(key))
                    .and_then(Attr::as_u64)
                    .filter(|&n| (1..=65536).contains(&n));
                out.extend(value.map(|n| (key, OwnedParamValue::Int(n as i64))));
            }
            let fuse_batch = attr("program_config")
                .and_then(|pc| pc.arg("fuse_batch"))
                .and_then(Attr::as_bool);
            out.extend(fuse_batch.map(|b| ("fuse_batch", OwnedParamValue::Bool(b))));
            out.extend(fidelity(row).map(|f| ("math_fidelity", f)));
            out.extend(bool_attr("transpose_a").map(|b| ("transpose_a", b)));
            out.extend(bool_attr("transpose_b").map(|b| ("transpose_b", b)));
        }
        Op::EltwiseUnary => {
            let op_type = attr("op_chain")
                .and_then(|c| c.find(&|a| a.arg("op_type").is_some()))
                .and_then(|u| u.arg("op_type"))
                .and_then(Attr::variant);
            out.extend(
                op_type.map(|t| ("unary_op", OwnedParamValue::Enum(t.to_ascii_lowercase()))),
            );
        }
        Op::EltwiseBinary => {
            let op_type = attr("binary_op_type").and_then(Attr::variant);
            out.extend(
                op_type.map(|t| ("binary_op", OwnedParamValue::Enum(t.to_ascii_lowercase()))),
            );
            out.extend(fidelity(row).map(|f| ("math_fidelity", f)));
        }
        Op::InterleavedToSharded | Op::ShardedToInterleaved => {
            let slices = attr("num_slices").and_then(Attr::as_u64);
            out.extend(slices.map(|n| {
                (
                    "num_slices",
                    OwnedParamValue::Int(n.min(i64::MAX as u64) as i64),
                )
            }));
        }
        Op::Reshard | Op::Typecast => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The trace's one malformed row is at `line`, for a reason that says `why`.
    fn assert_one_malformed(trace: &Trace, line: u64, why: &str) {
        let [m] = &trace.malformed[..] else {
            std::panic!("{:?}", trace.malformed)
        };
        assert_eq!(m.line, line, "{m:?}");
        assert!(m.reason.contains(why), "{m:?}");
    }

    #[test]
    fn dims_and_memory_cells() {
        assert_eq!(dim("32[19]"), Some((32, 19)));
        assert_eq!(dim("64"), Some((64, 64)));
        assert_eq!(dim("x[1]"), None);
        let m = memory("DEV_1_L1_HEIGHT_SHARDED").unwrap();
        assert_eq!(
            (m.buffer, m.layout),
            (BufferType::L1, MemoryLayout::HeightSharded)
        );
        assert_eq!(
            memory("DEV_0_DRAM_ND_SHARDED").unwrap().layout,
            MemoryLayout::NdSharded
        );
        assert!(memory("SYSTEM_MEMORY").is_none());
    }

    #[test]
    fn grids_are_as_square_as_possible() {
        let bh = CoreGrid::new(14, 10);
        assert_eq!(CoreGrid::most_square(20, bh), Some(CoreGrid::new(5, 4)));
        assert_eq!(CoreGrid::most_square(110, bh), Some(CoreGrid::new(11, 10)));
        assert_eq!(CoreGrid::most_square(130, bh), Some(CoreGrid::new(13, 10)));
        assert_eq!(
            CoreGrid::most_square(64, CoreGrid::new(8, 10)),
            Some(CoreGrid::new(8, 8))
        );
        assert_eq!(CoreGrid::most_square(13, bh), Some(CoreGrid::new(13, 1)));
        assert_eq!(CoreGrid::most_square(17, bh), None);
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
            [("unary_op", OwnedParamValue::Enum("exp".into()))]
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

    #[test]
    fn device_ids_name_the_chip() {
        let row = "UnaryDeviceOperation,tt_dnn_device,wormhole_b0,,HiFi4,64,64,5000,1,1[1],1[1],32[32],32[32],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED";
        let csv = std::format!("DEVICE ID,{HEADER}3,{row}\n,{row}\nchip7,{row}\n");
        let trace = read_trace(csv.as_bytes(), None).unwrap();
        let ids: Vec<Option<u32>> = trace.rows.iter().map(|r| r.device_id).collect();
        assert_eq!(ids, [Some(3), None]);
        assert_one_malformed(&trace, 4, "DEVICE ID: `chip7`");
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
            [("unary_op", OwnedParamValue::Enum("gelu".into()))]
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
                duration_ns: 1.0583e13
            }]
        );
        assert_one_malformed(&trace, 6, "must be given");
    }

    /// Attributes as newer tt-metal writes them: `ShardSpec{...}`, `x-y` grids, a minimal
    /// matmul without a config.
    #[test]
    fn newer_attributes_give_shards_grids_and_program_configs() {
        let header = "OP CODE,OP TYPE,DEVICE ARCH,ATTRIBUTES,MATH FIDELITY,CORE COUNT,AVAILABLE WORKER CORE COUNT,DEVICE KERNEL DURATION [ns],PM IDEAL [ns],INPUT_0_W_PAD[LOGICAL],INPUT_0_Z_PAD[LOGICAL],INPUT_0_Y_PAD[LOGICAL],INPUT_0_X_PAD[LOGICAL],INPUT_0_LAYOUT,INPUT_0_DATATYPE,INPUT_0_MEMORY,INPUT_1_W_PAD[LOGICAL],INPUT_1_Z_PAD[LOGICAL],INPUT_1_Y_PAD[LOGICAL],INPUT_1_X_PAD[LOGICAL],INPUT_1_LAYOUT,INPUT_1_DATATYPE,INPUT_1_MEMORY,OUTPUT_0_W_PAD[LOGICAL],OUTPUT_0_Z_PAD[LOGICAL],OUTPUT_0_Y_PAD[LOGICAL],OUTPUT_0_X_PAD[LOGICAL],OUTPUT_0_LAYOUT,OUTPUT_0_DATATYPE,OUTPUT_0_MEMORY\n";
        let dram = "TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED";
        let i2s = std::format!(
            "InterleavedToShardedDeviceOperation,tt_dnn_device,blackhole,\"{{'keep_l1_aligned': 'false'; 'output_mem_config': 'MemoryConfig(memory_layout=TensorMemoryLayout::WIDTH_SHARDED;buffer_type=BufferType::L1;shard_spec=ShardSpec{{grid=[{{\"\"start\"\":{{\"\"x\"\":0;\"\"y\"\":0}};\"\"end\"\":{{\"\"x\"\":1;\"\"y\"\":7}}]; shape=[32; 128]; orientation=ShardOrientation::ROW_MAJOR}};nd_shard_spec=std::nullopt)'}}\",,16,110,1057,1,1[1],1[1],32[32],2048[2048],{dram},,,,,,,,1[1],1[1],32[32],2048[2048],TILE,BFLOAT16,DEV_0_L1_WIDTH_SHARDED"
        );
        let mm_1d = std::format!(
            "MatmulDeviceOperation,tt_dnn_device,blackhole,\"{{'program_config': 'MatmulMultiCoreReuseMultiCast1DProgramConfig(compute_with_storage_grid_size=11-3;in0_block_w=2;out_subblock_h=1;out_subblock_w=2;fuse_batch=0;allowed_worker_cores={{[0-0 - 10-9]}})'; 'transpose_a': 'false'}}\",LoFi,33,110,9000,1,1[1],1[1],32[32],2560[2560],{dram},1[1],1[1],2560[2560],512[512],{dram},1[1],1[1],32[32],512[512],{dram}"
        );
        let minimal = std::format!(
            "MinimalMatmulDeviceOperation,tt_dnn_device,blackhole,\"{{'chunks': '1'; 'config': 'std::nullopt'; 'fused_activation': ''}}\",HiFi2,110,110,2135294,1,1[1],1[1],8192[8192],6656[6656],{dram},1[1],1[1],6656[6656],4608[4608],{dram},1[1],1[1],8192[8192],4608[4608],{dram}"
        );
        let unary = std::format!(
            "UnaryDeviceOperation,tt_dnn_device,blackhole,\"{{'op_chain': '{{BasicUnaryWithParam<float; int; unsigned int>(base=BasicUnaryWithParam<float>(op_type=UnaryOpType::SILU;param={{}}))}}'; 'worker_grid': '{{[0-0 - 10-9]}}'}}\",HiFi4,110,,4000,1,1[1],1[1],32[32],8192[8192],{dram},,,,,,,,1[1],1[1],32[32],8192[8192],{dram}"
        );
        let csv = std::format!("{header}{i2s}\n{mm_1d}\n{minimal}\n{unary}\n");
        let trace = read_trace(csv.as_bytes(), None).unwrap();
        assert!(trace.malformed.is_empty(), "{:?}", trace.malformed);
        let [i2s, mm_1d, minimal, unary] = &trace.rows[..] else {
            std::panic!("{:?}", trace.rows)
        };
        let shard = i2s.output.and_then(|o| o.memory.shard).unwrap();
        assert_eq!((shard.cores, shard.shape), (16, [32, 128]));
        assert_eq!(
            shard.grid,
            CoreRange {
                start: (0, 0),
                end: (1, 7)
            }
        );
        assert!(!i2s.inferred_shards);
        // The program config's `x-y` grid, not the 110 available cores.
        assert_eq!(mm_1d.grid, Some(CoreGrid::new(11, 3)));
        assert!(
            mm_1d
                .params
                .contains(&("program_config", OwnedParamValue::Enum("mcast_1d".into())))
        );
        // The minimal matmul's newer OP CODE is the matmul, run by its own program.
        assert_eq!(Op::from_name(&minimal.op_code), Ok(Op::Matmul));
        assert!(
            minimal
                .params
                .contains(&("program_config", OwnedParamValue::Enum("minimal".into())))
        );
        assert_eq!(minimal.grid, Some(CoreGrid::new(11, 10)));
        // `worker_grid` as `{[0-0 - 10-9]}`: 11 x 10 cores.
        assert_eq!(unary.grid, Some(CoreGrid::new(11, 10)));
        assert_eq!(
            unary.params,
            [("unary_op", OwnedParamValue::Enum("silu".into()))]
        );
    }

    #[test]
    fn zero_shard_shapes_are_no_shard_spec() {
        let spec = crate::trace::attributes::parse_value(
            r#"ShardSpec{grid=[{"start":{"x":0;"y":0};"end":{"x":10;"y":9}]; shape=[0; 0]; orientation=ShardOrientation::ROW_MAJOR}"#,
        )
        .unwrap();
        assert_eq!(shard_spec(&spec), None);
        let spec = crate::trace::attributes::parse_value(
            r#"ShardSpec{grid=[{"start":{"x":0;"y":0};"end":{"x":10;"y":9}]; shape=[32; 64]; orientation=ShardOrientation::COL_MAJOR}"#,
        )
        .unwrap();
        let s = shard_spec(&spec).unwrap();
        assert_eq!(
            (s.cores, s.shape, s.orientation),
            (110, [32, 64], ShardOrientation::ColMajor)
        );
    }
}
