//! One device-op row of a trace -> a [`TraceRow`], the query it becomes: its op and device,
//! its tensors with their shard specs (from the attributes, the output's, or an even split),
//! its core grid and its measured duration.

use super::attributes::{Attr, parse_attributes};
use super::cells::{number, shard_spec, tensor};
use super::era::Since;
use super::params::params_of;
use crate::device::{CoreGrid, Device};
use crate::manager::Query;
use crate::op::Op;
use crate::params::{OpParam, OwnedParamValue};
use crate::tensor::{
    CoreRange, Layout, MAX_RANK, MemoryConfig, MemoryLayout, Shape, ShardOrientation, ShardSpec,
    TensorParams,
};
use std::collections::HashMap;
use std::format;
use std::prelude::rust_2024::*;

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
    /// `DEVICE KERNEL DURATION [ns]`; `None` when the cell is empty, holds a duration above
    /// [`MAX_KERNEL_NS`](super::MAX_KERNEL_NS) (the row is then in
    /// [`Trace::implausible`](super::Trace::implausible)) or belongs to a call whose op info
    /// the profiler replayed ([`TraceRow::replays`]).
    pub measured_ns: Option<f64>,
    /// Whose recorded op info this row shows when it may not be its own call's, for an OP
    /// CODE whose program hash leaves the shapes out
    /// ([`SHAPELESS_PROGRAM_HASH`](super::SHAPELESS_PROGRAM_HASH)): the row's shapes and
    /// attributes may be another call's, so its duration is not a measurement of the query it
    /// shows.
    pub replays: Option<Replay>,
    /// `PM IDEAL [ns]`, tt-metal's built-in estimate.
    pub baseline_ns: Option<f64>,
    /// Some sharded tensor's shard spec was not in the trace and was inferred.
    pub inferred_shards: bool,
    /// `OP TO OP LATENCY [ns]`: from the end of the op before it on its chip to its start,
    /// how closely the op followed the one before (a queued op, dispatched back to back, starts
    /// within about a microsecond); `None` without the cell.
    pub gap_ns: Option<f64>,
}

/// Where a row's op info came from when the profiler replayed it ([`TraceRow::replays`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// The call on this line of the trace recorded the info first.
    Line(u64),
    /// A call before the trace's rows recorded it: the row ran in a metal-trace replay (its
    /// `METAL TRACE ID` is set), where the host dispatches nothing and records no op info, and
    /// no earlier row of the trace shows its program's info.
    BeforeTrace,
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

/// The parsed `ATTRIBUTES` cell.
pub(super) struct Attrs(pub(super) Vec<(String, Attr)>);

impl Attrs {
    pub(super) fn get(&self, key: &str) -> Option<&Attr> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

pub(super) struct Row<'a> {
    pub(super) columns: &'a HashMap<&'a str, usize>,
    pub(super) record: &'a csv::StringRecord,
    /// The older column set: `INPUT_0_W` ... (see [`SHAPE_COLUMNS`](super::SHAPE_COLUMNS)).
    pub(super) plain_shapes: bool,
}

impl Row<'_> {
    /// The trimmed cell of `column`; empty when the column or cell is absent.
    pub(super) fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim)
    }

    pub(super) fn number(&self, column: &str) -> Result<Option<f64>, String> {
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

pub(super) fn read_row(
    row: &Row<'_>,
    line: u64,
    default_device: Option<Device>,
    since: Since,
) -> Result<TraceRow, String> {
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
            (cores, hw.full_grid, grid),
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
                (cores, hw.full_grid, grid),
                &mut inferred_shards,
            )),
            None => break,
        }
    }
    let op = Op::from_name(op_code).ok();
    // An empty tensor (a zero dim: ring-joint attention's joint Q, K and V without joint
    // tokens) is no operand of a modeled op: it is dropped, and the op counts its inputs
    // without it.
    if op.is_some() {
        inputs.retain(|t| !t.shape.dims().contains(&0));
    }
    // ttnn lists a preallocated output tensor as a trailing input: beyond the op's inputs, an
    // input that is the output is dropped. A binary op given a scalar (`scalar` holds a value)
    // has one tensor operand, but for a where (`WHERE_TS`: a condition, a tensor and the
    // scalar).
    if let (Some(op), Some(out)) = (op, &output) {
        let where_op = attr("binary_op_type")
            .and_then(Attr::variant)
            .is_some_and(|v| v.starts_with("WHERE"));
        let scalar =
            op == Op::EltwiseBinary && !where_op && attr("scalar").is_some_and(Attr::is_given);
        let max = if scalar {
            1
        } else {
            op.spec().operands.max_inputs as usize
        };
        while inputs.len() > max
            && inputs
                .last()
                .is_some_and(|t| t.shape == out.shape && t.memory.layout == out.memory.layout)
        {
            inputs.pop();
        }
    }
    if row.plain_shapes && op == Some(Op::EltwiseBinary) {
        if let Some(out) = &output {
            for t in &mut inputs {
                *t = broadcast_operand_of_padded_shapes(*t, out);
            }
        }
    }
    let params = op.map_or_else(Vec::new, |op| params_of(op, row, &attrs, since));
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
        replays: None,
        baseline_ns: row.number("PM IDEAL [ns]")?,
        inferred_shards,
        gap_ns: row.number("OP TO OP LATENCY [ns]")?,
    })
}

/// A binary op's tiled operand as it broadcasts against the op's output, when the trace
/// records padded shapes only (the older column set): a scalar or a row there shows as a
/// whole tile (`1x1x32x32` beside a `1x1x16384x256` output, the 2024 SegFormer trace's
/// multiply by a scale), and ttnn's binary ops take an operand dim equal to the output's or
/// 1 (numpy's rule), so a one-tile dim under a larger output dim is a padded 1.
fn broadcast_operand_of_padded_shapes(t: TensorParams, out: &TensorParams) -> TensorParams {
    let Layout::Tile { height, width } = t.layout else {
        return t;
    };
    let (padded, out_dims) = (t.shape.dims(), out.shape.dims());
    let rank = padded.len();
    if rank < 2 || out_dims.len() != rank {
        return t;
    }
    // `dims` and `logical` have the same length, the shape's rank.
    let mut logical = [0u32; MAX_RANK];
    let logical = &mut logical[..rank];
    logical.copy_from_slice(t.shape.logical());
    for (i, side) in [(rank - 2, height), (rank - 1, width)] {
        if padded[i] == u32::from(side) && out_dims[i] > padded[i] {
            logical[i] = 1;
        }
    }
    t.with_shape(Shape::padded(padded, logical))
}

/// Gives a sharded tensor its shard spec: `known`, else the output's when the shapes agree,
/// else an even split over the op's cores (`split`: their count, the device's full grid and
/// the op's own grid when the row gives one; see [`even_split`]).
fn with_shard(
    t: TensorParams,
    known: Option<ShardSpec>,
    output: Option<&TensorParams>,
    split: (u32, CoreGrid, Option<CoreGrid>),
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
        Some(even_split(&t, split.0, split.1, split.2))
    });
    t.with_memory(MemoryConfig { shard, ..t.memory })
}

/// The shard spec of a sharded tensor whose trace row records no shard spec (older tt-metal
/// wrote only `DEV_0_L1_BLOCK_SHARDED`): its rows (every outer dim) and columns split evenly
/// over the op's `cores`, each shard rounded up to whole tiles of a `TILE` tensor (tt-metal
/// shards tiled tensors in whole tiles).
///
/// Height and width sharding lay the cores out as the most square grid; block sharding splits
/// rows over the grid's `y` and columns over its `x`: over the op's own grid when the row
/// gives one of exactly `cores` cores (a matmul's `user_core_coord`: its block-sharded output
/// is sharded over the grid it computes on), else over the `x * y = cores` layout whose shards
/// are smallest (the split that needs the least padding: a 1024 x 160 tensor on 40 cores is 8
/// rows of 5 cores, 128 x 32 shards, not 5 rows of 8, whose 20-column shards are not whole
/// tiles), the most square of those on a tie.
fn even_split(
    t: &TensorParams,
    cores: u32,
    full: CoreGrid,
    op_grid: Option<CoreGrid>,
) -> ShardSpec {
    let (unit_h, unit_w) = match t.layout {
        Layout::Tile { height, width } => (u32::from(height).max(1), u32::from(width).max(1)),
        Layout::RowMajor => (1, 1),
    };
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
    // One of `n` equal parts of `len`, in whole `unit`s.
    let split =
        |len: u32, n: u32, unit: u32| len.div_ceil(unit).div_ceil(n.max(1)).saturating_mul(unit);
    let square = CoreGrid::most_square(cores, full).unwrap_or(full);
    let (grid, shape) = match t.memory.layout {
        MemoryLayout::WidthSharded => (square, [rows, split(cols, square.cores(), unit_w)]),
        MemoryLayout::BlockSharded => (1..=u32::from(full.y))
            .filter(|y| cores % y == 0 && cores / y <= u32::from(full.x))
            .filter(|y| op_grid.is_none_or(|g| g.cores() != cores || u32::from(g.y) == *y))
            .map(|y| {
                let x = cores / y;
                let shape = [split(rows, y, unit_h), split(cols, x, unit_w)];
                let area = u64::from(shape[0]) * u64::from(shape[1]);
                (area, x.abs_diff(y), CoreGrid::new(x as u8, y as u8), shape)
            })
            .min_by_key(|&(area, skew, grid, _)| (area, skew, core::cmp::Reverse(grid.x)))
            .map_or(
                (
                    square,
                    [
                        split(rows, square.y.into(), unit_h),
                        split(cols, square.x.into(), unit_w),
                    ],
                ),
                |(_, _, g, s)| (g, s),
            ),
        _ => (square, [split(rows, square.cores(), unit_h), cols]),
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

#[cfg(test)]
mod tests {
    use super::super::reader::read_trace;
    use super::*;

    /// A trace's columns for rows of two inputs and an output.
    const TWO_INPUTS_HEADER: &str = "OP CODE,OP TYPE,DEVICE ARCH,ATTRIBUTES,MATH FIDELITY,CORE COUNT,AVAILABLE WORKER CORE COUNT,DEVICE KERNEL DURATION [ns],PM IDEAL [ns],INPUT_0_W_PAD[LOGICAL],INPUT_0_Z_PAD[LOGICAL],INPUT_0_Y_PAD[LOGICAL],INPUT_0_X_PAD[LOGICAL],INPUT_0_LAYOUT,INPUT_0_DATATYPE,INPUT_0_MEMORY,INPUT_1_W_PAD[LOGICAL],INPUT_1_Z_PAD[LOGICAL],INPUT_1_Y_PAD[LOGICAL],INPUT_1_X_PAD[LOGICAL],INPUT_1_LAYOUT,INPUT_1_DATATYPE,INPUT_1_MEMORY,OUTPUT_0_W_PAD[LOGICAL],OUTPUT_0_Z_PAD[LOGICAL],OUTPUT_0_Y_PAD[LOGICAL],OUTPUT_0_X_PAD[LOGICAL],OUTPUT_0_LAYOUT,OUTPUT_0_DATATYPE,OUTPUT_0_MEMORY\n";

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

    /// Attributes as newer tt-metal writes them: `ShardSpec{...}`, `x-y` grids, a minimal
    /// matmul without a config.
    #[test]
    fn newer_attributes_give_shards_grids_and_program_configs() {
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
        let csv = std::format!("{TWO_INPUTS_HEADER}{i2s}\n{mm_1d}\n{minimal}\n{unary}\n");
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

    /// A binary op given a scalar has one tensor operand: a second input that is the output
    /// (a preallocated output, as the public GPT-OSS-20B prefill's `x + 1` lists it) is
    /// dropped. A where with a scalar (`WHERE_TS`) keeps its condition and its tensor.
    #[test]
    fn a_scalar_binary_op_drops_its_preallocated_output() {
        let t = "1[1],32[32],32[17],2880[2880],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED";
        let row = |op: &str, scalar: &str| {
            std::format!(
                "BinaryNgDeviceOperation,tt_dnn_device,blackhole,\"{{'binary_op_type': 'BinaryOpType::{op}'; 'input_layout_b': 'Layout::INVALID'; 'scalar': '{scalar}'}}\",,110,110,30488,1,{t},{t},{t}\n"
            )
        };
        let csv = std::format!(
            "{TWO_INPUTS_HEADER}{}{}{}",
            row("ADD", "1"),
            row("WHERE_TS", "-1.5708"),
            row("ADD", "std::nullopt")
        );
        let trace = read_trace(csv.as_bytes(), None).unwrap();
        assert!(trace.malformed.is_empty(), "{:?}", trace.malformed);
        let inputs: Vec<usize> = trace.rows.iter().map(|r| r.inputs.len()).collect();
        assert_eq!(inputs, [1, 2, 2], "x + 1; where(c, x, s); x + y");
    }

    /// `OP TO OP LATENCY [ns]` is the row's gap; a cell that is not a number is the row's
    /// error, reported with its line.
    #[test]
    fn op_to_op_latency_is_the_gap() {
        let header = "OP CODE,OP TYPE,DEVICE ARCH,ATTRIBUTES,MATH FIDELITY,CORE COUNT,AVAILABLE WORKER CORE COUNT,DEVICE KERNEL DURATION [ns],PM IDEAL [ns],OP TO OP LATENCY [ns],INPUT_0_W_PAD[LOGICAL],INPUT_0_Z_PAD[LOGICAL],INPUT_0_Y_PAD[LOGICAL],INPUT_0_X_PAD[LOGICAL],INPUT_0_LAYOUT,INPUT_0_DATATYPE,INPUT_0_MEMORY\n";
        let row = |gap: &str| {
            std::format!(
                "CopyDeviceOperation,tt_dnn_device,blackhole,,,1,110,900,1,{gap},1[1],1[1],32[32],32[32],TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED\n"
            )
        };
        let csv = std::format!("{header}{}{}{}", row("612"), row(""), row("soon"));
        let trace = read_trace(csv.as_bytes(), None).unwrap();
        let gaps: std::vec::Vec<Option<f64>> = trace.rows.iter().map(|r| r.gap_ns).collect();
        assert_eq!(gaps, [Some(612.0), None]);
        let [bad] = &trace.malformed[..] else {
            std::panic!("{:?}", trace.malformed)
        };
        assert_eq!(bad.line, 4);
        assert!(
            bad.reason
                .contains("OP TO OP LATENCY [ns]: `soon` is not a number"),
            "{}",
            bad.reason
        );
    }

    /// Ring-joint attention lists its empty joint Q, K and V (a zero sequence) between its
    /// own inputs and the all-gather's buffers: they are dropped, the rest kept in order; the
    /// program config's `(x=10;y=10)` grid and chunk sizes are read.
    #[test]
    fn empty_inputs_are_dropped() {
        let mut header = std::string::String::from(
            "OP CODE,OP TYPE,DEVICE ARCH,ATTRIBUTES,MATH FIDELITY,CORE COUNT,AVAILABLE WORKER CORE COUNT,DEVICE KERNEL DURATION [ns],PM IDEAL [ns]",
        );
        let dims = [
            [32, 3200, 576],
            [1, 3200, 576],
            [32, 3200, 128],
            [8, 0, 192],
            [1, 0, 576],
            [8, 0, 128],
            [1, 6400, 576],
            [32, 6400, 128],
        ];
        let mut row = std::string::String::from(
            "RingJointSDPADeviceOperation,tt_dnn_device,blackhole,\"{'is_balanced': 'false'; 'is_causal': 'true'; 'program_config': 'SDPAProgramConfig(compute_with_storage_grid_size=(x=10;y=10);sub_core_grids=std::nullopt;q_chunk_size=160;k_chunk_size=160;exp_approx_mode=0;max_cores_per_head_batch=16)'; 'ring_size': '2'}\",HiFi2,104,110,6886809,1",
        );
        for (i, [z, y, x]) in dims.iter().enumerate() {
            for d in ["W", "Z", "Y", "X"] {
                header.push_str(&std::format!(",INPUT_{i}_{d}_PAD[LOGICAL]"));
            }
            header.push_str(&std::format!(
                ",INPUT_{i}_LAYOUT,INPUT_{i}_DATATYPE,INPUT_{i}_MEMORY"
            ));
            row.push_str(&std::format!(
                ",1[1],{z}[{z}],{y}[{y}],{x}[{x}],TILE,BFLOAT8_B,DEV_0_DRAM_INTERLEAVED"
            ));
        }
        let csv = std::format!("{header}\n{row}\n");
        let trace = read_trace(csv.as_bytes(), None).unwrap();
        assert!(trace.malformed.is_empty(), "{:?}", trace.malformed);
        let [ring] = &trace.rows[..] else {
            std::panic!("{:?}", trace.rows)
        };
        let seqs: std::vec::Vec<u32> = ring
            .inputs
            .iter()
            .map(|t| t.shape.dim_from_end(1))
            .collect();
        assert_eq!(seqs, [3200, 3200, 3200, 6400, 6400]);
        assert_eq!(ring.grid, Some(CoreGrid::new(10, 10)));
        assert!(
            ring.params
                .contains(&("q_chunk_size", OwnedParamValue::Int(160)))
        );
        assert!(
            ring.params
                .contains(&("ring_size", OwnedParamValue::Int(2)))
        );
        assert!(
            ring.params
                .contains(&("is_causal", OwnedParamValue::Bool(true)))
        );
    }
}
