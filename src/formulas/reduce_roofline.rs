//! `reduce_roofline`: reductions whose reader gathers the inputs of each output and whose
//! compute engine folds them: `fast_reduce_nc`, the generic `reduce`, `pool2d` and the
//! integral image `intimg`.
//!
//! Each op's work split, per tt-metal's program factories:
//!
//! - `fast_reduce_nc` (`ttnn/cpp/ttnn/operations/experimental/reduction/fast_reduce_nc/device/
//!   fast_reduce_nc_program_factory.cpp`, `kernels/reader_reduce_nc.cpp`): the output's tiles
//!   (the input's with `dim` set to 1) are split over the grid (`split_work_to_cores`); per output
//!   tile the reader reads the `N = dims[dim]` tiles it sums in batches of `g` (the largest factor
//!   of `N` up to 8), each batch waited for (`noc_async_read_barrier`); the compute engine adds
//!   each into the accumulator (an FPU add: two tiles unpacked at 64 B/cycle).
//!   It reads the input's shape, dtype and memory and the param `dim`; when given, the
//!   output's memory (else the input's), and its shape for how many input tiles each of its
//!   tiles sums.
//! - `reduce` (`ttnn/cpp/ttnn/operations/reduction/generic/device/`,
//!   `reduce_op_multi_core_{w,h}_program_factory.cpp`, `reduce_op_single_core_hw_program_factory
//!   .cpp`, `reduce_op_device_operation.cpp`'s `select_program_factory`): over W the rows of `Wt`
//!   tiles (`N*C*Ht` of them) are split over the grid, over H the columns of `Ht` tiles, over HW
//!   one core does every tile. The reader reads and waits for each tile; the compute engine
//!   folds each with one matrix-engine pass (`reduce_tile`): at the op's fidelity for a sum
//!   (a multiply by the scaler), at LoFi for max and min. It reads the input's shape, dtype and
//!   memory and the params `reduce_op`, `reduce_dim`, `math_fidelity`.
//! - `pool2d` (`ttnn/cpp/ttnn/operations/pool/generic/device/pool_multi_core_program_factory.cpp`,
//!   `kernels/dataflow/reader_pool_2d.cpp`, `kernels/compute/compute_pool_2d.cpp`): the output's
//!   sticks are split over the output's shard cores; per output stick the reader gathers its
//!   `kernel_h x kernel_w` input sticks (the input's channels each) from the halo'd shard in L1,
//!   one read per stick and one wait per window, and the compute engine tilizes them and
//!   reduces each channel tile in one pass (LoFi for max, the fidelity for an average). It reads
//!   the input's channels, dtype and memory, the output's sticks, shard and memory, and the
//!   params `pool_type`, `kernel_h`, `kernel_w`, `math_fidelity`. `return_indices` is not
//!   modeled: its extra index work is left out (an underestimate).
//!
//! - `intimg` (`ttnn/cpp/ttnn/operations/experimental/reduction/integral_image/device/
//!   intimg_program_factory.cpp`, `kernels/intimg_compute.cpp`): a [1, W, H, C] tensor's channel
//!   tiles on a fixed 2x4 grid, one each; per core the W x Ht tiles of its channel tile, in
//!   blocks of 48 along W per row chunk of a tile's height. Per tile the compute engine adds it
//!   into the running sum along W, copies it twice, runs the SFPU's cumsum down the tile
//!   (estimated at 512 cycles, eltwise_binary's v1 SFPU figure), and for a later row chunk (a
//!   later W block) adds the upper block's last row (the left block's last tile), each unpack
//!   and pack at 64 B/cycle. The reader waits for each block's reads, the writer for each upper
//!   block it re-reads from the output. It reads the input's shape, dtype and memory.
//!
//! The terms: compute (`compute_scale`), the busiest core's passes at the device's cycles per
//! pass; the reads it waits for (`round_trip_scale`), from DRAM at tt-metal's measured latency of
//! one core's read of the batch, from L1 at one tile's NoC time; NoC (`noc_scale`), the busiest
//! core's bytes read and written at the rate of each transfer's size; DRAM (`dram_scale`), every
//! byte read or written in DRAM. It assumes reader, compute engine and writer overlap.

use crate::MathFidelity;
use crate::error::{Error, Operand, TensorProblem};
use crate::generated::op_params::pool2d::PoolType;
use crate::generated::op_params::reduce::{ReduceDim, ReduceOp};
use crate::generated::{OpParams, ReduceRooflineFeatures};
use crate::model::{Ctx, ceil_div, largest_divisor, max, min};
use crate::tensor::{Layout, TensorParams};

/// Cycles of an FPU add of two tiles of `tile_bytes`: both unpacked at 64 B/cycle (the
/// unpacker's rate; tt-metal tech_reports/matrix_engine), the add's math hidden under it.
const fn add_cycles(tile_bytes: u64) -> f64 {
    (2 * tile_bytes) as f64 / 64.0
}

/// The product of `t`'s dims before its last two (`None` on overflow).
const fn leading_volume(t: &TensorParams) -> Option<u64> {
    let plane = t.shape.dim_from_end(0) as u64 * t.shape.dim_from_end(1) as u64;
    match t.shape.volume() {
        Some(v) => Some(v / max(plane, 1)),
        None => None,
    }
}

/// The largest factor of `n` up to 8 (at least 1): `fast_reduce_nc`'s read batch.
const fn granularity(n: u64) -> u64 {
    largest_divisor(n, 8, false)
}

/// Whether the output (the input's memory when not given) lives in DRAM.
const fn out_in_dram(cx: &Ctx<'_>) -> bool {
    match cx.output {
        Some(y) => y.memory.is_dram(),
        None => cx.inputs[0].memory.is_dram(),
    }
}

/// The features of a tile reduction: `out_tiles` outputs over the grid, each of `per_out`
/// input tiles read in waited batches of `batch`, each input tile costing `pass_cycles`.
const fn tile_reduction(
    cx: &Ctx<'_>,
    out_tiles: u64,
    per_out: u64,
    batch: u64,
    cores: u64,
    pass_cycles: f64,
) -> Result<ReduceRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    let tile = some_or!(
        x.tile_bytes(cx.hw),
        Error::Overflow {
            what: "reduce tile bytes"
        }
    );
    let cores = max(min(cores, out_tiles), 1);
    let outs = ceil_div(out_tiles, cores);
    let reads = outs.saturating_mul(per_out);
    let batches = outs.saturating_mul(ceil_div(per_out, max(batch, 1)));
    let noc_rate = cx.hw.noc_bytes_per_cycle(tile);
    let noc = cx.noc_ns_at(reads.saturating_add(outs).saturating_mul(tile), noc_rate);
    let read = if x.memory.is_dram() { out_tiles.saturating_mul(per_out).saturating_mul(tile) } else { 0 };
    let written = if out_in_dram(cx) { out_tiles.saturating_mul(tile) } else { 0 };
    Ok(ReduceRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        compute_scale: cx.cycles_to_ns(reads as f64 * pass_cycles),
        round_trip_scale: batches as f64 * cx.waited_read_ns(x, batch.saturating_mul(tile)),
        noc_scale: noc,
        dram_scale: cx.dram_traffic_ns(read, written),
    })
}

const fn fast_reduce_nc(cx: &Ctx<'_>, dim: i64) -> Result<ReduceRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    let dims = x.shape.dims();
    if dim < 0 || dim as usize + 2 >= dims.len() {
        return Err(cx.not_modeled("fast_reduce_nc over one of the last two dims"));
    }
    // The dims summed: `dim`'s, or, with the output given, what the leading dims shrink by. A
    // profiler row pads a tensor of fewer dims with leading 1s, so its `dim` (counted from
    // the tensor's own outermost dim) can name a padding 1 there: GPT-OSS-20B's `[32, 17,
    // 2880]` summed over dim 0 is `[1, 32, 32[17], 2880] -> [1, 1, 32, 2880]`.
    let n = match cx.output {
        Some(y) => match (leading_volume(x), leading_volume(y)) {
            (Some(a), Some(b)) if b > 0 && a % b == 0 => a / b,
            _ => {
                return Err(cx.tensor_error(
                    Operand::Output,
                    TensorProblem::ShapeMismatch {
                        with: Operand::Input(0),
                    },
                ));
            }
        },
        None => dims[dim as usize] as u64,
    };
    let tiles = some_or!(
        x.tiles(),
        Error::Overflow {
            what: "fast_reduce_nc tiles"
        }
    );
    let tile = some_or!(
        x.tile_bytes(cx.hw),
        Error::Overflow {
            what: "reduce tile bytes"
        }
    );
    let out_tiles = tiles / max(n, 1);
    tile_reduction(
        cx,
        out_tiles,
        n,
        granularity(n),
        cx.grid.cores() as u64,
        add_cycles(tile),
    )
}

const fn reduce(
    cx: &Ctx<'_>,
    op: ReduceOp,
    dim: ReduceDim,
    fidelity: MathFidelity,
) -> Result<ReduceRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    let Some((ht, wt)) = x.tile_grid() else {
        return Err(cx.not_modeled("reduce of a row-major input"));
    };
    let tiles = some_or!(
        x.tiles(),
        Error::Overflow {
            what: "reduce tiles"
        }
    );
    let plane = max(ht.saturating_mul(wt), 1);
    let batch = tiles / plane;
    let (out_tiles, per_out, cores) = match dim {
        ReduceDim::W => (batch.saturating_mul(ht), wt, cx.grid.cores() as u64),
        ReduceDim::H => (batch.saturating_mul(wt), ht, cx.grid.cores() as u64),
        // One core folds every tile into one output tile per batch.
        ReduceDim::Hw => (batch, plane, 1),
    };
    let pass = match op {
        ReduceOp::Sum => cx.hw.tile_cycles(fidelity),
        ReduceOp::Max | ReduceOp::Min => cx.hw.tile_cycles(MathFidelity::LoFi),
    };
    tile_reduction(cx, out_tiles, per_out, 1, cores, pass as f64)
}

const fn pool2d(
    cx: &Ctx<'_>,
    pool: PoolType,
    window: u64,
    fidelity: MathFidelity,
) -> Result<ReduceRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    let Some(y) = cx.output else {
        return Err(cx.tensor_error(Operand::Output, TensorProblem::Missing));
    };
    let channels = x.shape.dim_from_end(0) as u64;
    let element = match x.dtype.element_bytes() {
        Some(e) => e as u64,
        None => return Err(cx.not_modeled("pool2d of a block-float input")),
    };
    let in_stick = max(channels * element, 1);
    let out_sticks = y.rows();
    let cores = cx.cores_over(y, out_sticks);
    let per_core = ceil_div(out_sticks, cores);
    let channel_tiles = ceil_div(channels, 32);
    let pass = match pool {
        PoolType::MaxPool2d => cx.hw.tile_cycles(MathFidelity::LoFi),
        PoolType::AvgPool2d => cx.hw.tile_cycles(fidelity),
    };
    let gathered = per_core.saturating_mul(window);
    // The busiest core's output bytes, written a tile (32 sticks of 32 channels) or a stick
    // at a time.
    let (out_bytes, out_page) = match y.layout {
        Layout::Tile { .. } => {
            let tile = cx.hw.tile_bytes(y.dtype) as u64;
            (
                ceil_div(per_core, 32)
                    .saturating_mul(channel_tiles)
                    .saturating_mul(tile),
                tile,
            )
        }
        Layout::RowMajor => (per_core.saturating_mul(in_stick), in_stick),
    };
    let noc = cx.noc_ns_at(
        gathered.saturating_mul(in_stick),
        cx.hw.noc_bytes_per_cycle(in_stick),
    ) + cx.noc_ns_at(out_bytes, cx.hw.noc_bytes_per_cycle(out_page));
    let read = if x.memory.is_dram() {
        out_sticks.saturating_mul(window).saturating_mul(in_stick)
    } else {
        0
    };
    let written = if y.memory.is_dram() { out_bytes.saturating_mul(cores) } else { 0 };
    Ok(ReduceRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        compute_scale: cx.cycles_to_ns(
            per_core.saturating_mul(channel_tiles) as f64 * pass as f64,
        ),
        round_trip_scale: per_core as f64 * cx.waited_read_ns(x, window.saturating_mul(in_stick)),
        noc_scale: noc,
        dram_scale: cx.dram_traffic_ns(read, written),
    })
}

/// Cycles of an SFPU pass over one tile: 32 iterations of about 16 cycles (the estimate
/// eltwise_binary's v1 takes for an SFPU op), taken for `cumsum_tile`'s fixed sequence.
const SFPU_TILE_CYCLES: f64 = 512.0;

/// tt-metal's integral image: `BLOCK_DEPTH` tiles along W per block, on a fixed 2x4 grid.
const INTIMG_BLOCK_DEPTH: u64 = 48;
const INTIMG_CORES: u64 = 8;

const fn intimg(cx: &Ctx<'_>) -> Result<ReduceRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    let dims = x.shape.dims();
    if dims.len() != 4 {
        return Err(cx.not_modeled("intimg of a tensor not of rank 4"));
    }
    let (Some((ht, ct)), Some(tile)) = (x.tile_grid(), x.tile_bytes(cx.hw)) else {
        return Err(cx.not_modeled("intimg of a row-major input"));
    };
    // [B, W, H, C]: each core scans its channel tiles' W x H planes.
    let depth = (dims[0] as u64).saturating_mul(dims[1] as u64);
    let channels = ceil_div(ct, INTIMG_CORES);
    let plane = depth.saturating_mul(ht);
    let tiles = channels.saturating_mul(plane);
    // Tiles of the row chunks after the first (they add the upper block's last row) and of
    // the W blocks after the first (they add the left block's last tile).
    let below = channels.saturating_mul(depth).saturating_mul(ht.saturating_sub(1));
    let right = channels
        .saturating_mul(depth.saturating_sub(min(depth, INTIMG_BLOCK_DEPTH)))
        .saturating_mul(ht);
    // A tile unpacked or packed at 64 B/cycle. Every tile: the add into the running sum (2
    // unpacks, a pack), two copies (an unpack and a pack each), the SFPU cumsum down the tile;
    // each propagation an add of two tiles and a pack more.
    let u = tile as f64 / 64.0;
    let cycles = tiles as f64 * (7.0 * u + SFPU_TILE_CYCLES) + (below + right) as f64 * 3.0 * u;
    // The reader waits for each block's reads; the writer, for each upper block it re-reads.
    let blocks_per_row = ceil_div(depth, INTIMG_BLOCK_DEPTH);
    let block = min(depth, INTIMG_BLOCK_DEPTH).saturating_mul(tile);
    let waits = channels
        .saturating_mul(blocks_per_row)
        .saturating_mul(ht.saturating_add(ht.saturating_sub(1)));
    let reread = below.saturating_mul(tile);
    let noc = cx.noc_ns_at(
        (2 * tiles).saturating_mul(tile).saturating_add(reread),
        cx.hw.noc_bytes_per_cycle(tile),
    );
    let cores = min(ct, INTIMG_CORES);
    let mut read = if x.memory.is_dram() { tiles.saturating_mul(tile).saturating_mul(cores) } else { 0 };
    let mut written = 0;
    if out_in_dram(cx) {
        // The output written, and the part of it read back.
        written = tiles.saturating_mul(tile).saturating_mul(cores);
        read = read.saturating_add(reread.saturating_mul(cores));
    }
    Ok(ReduceRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        compute_scale: cx.cycles_to_ns(cycles),
        round_trip_scale: waits as f64 * cx.waited_read_ns(x, block),
        noc_scale: noc,
        dram_scale: cx.dram_traffic_ns(read, written),
    })
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<ReduceRooflineFeatures, Error> {
    match cx.params {
        OpParams::FastReduceNc(p) => fast_reduce_nc(cx, p.dim),
        OpParams::Reduce(p) => reduce(cx, p.reduce_op, p.reduce_dim, p.math_fidelity),
        OpParams::Pool2d(p) => pool2d(
            cx,
            p.pool_type,
            (p.kernel_h as u64).saturating_mul(p.kernel_w as u64),
            p.math_fidelity,
        ),
        OpParams::Intimg(_) => intimg(cx),
        _ => Err(cx.foreign_params()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formulas::test_support::close;
    use crate::{
        BufferType, Card, CoreGrid, CoreRange, DType, Hardware, MemoryConfig, MemoryLayout, Op,
        OpParam, ParamValue, QueryParams, Shape, ShardOrientation, ShardSpec, TensorParams,
    };

    fn run(
        op: Op,
        inputs: &[TensorParams],
        output: Option<&TensorParams>,
        params: &[OpParam<'_>],
        grid: CoreGrid,
    ) -> Result<ReduceRooflineFeatures, Error> {
        let hw = Hardware::of(Card::P150);
        let cx = Ctx::new(op, hw, QueryParams::ByName(params), inputs, output, grid)?;
        features(&cx)
    }

    fn tiled(dims: &[u32], memory: MemoryConfig) -> TensorParams {
        TensorParams::new(Shape::new(dims), DType::Bfloat16, Layout::TILE, memory)
    }

    /// DeepSeek V3's fast_reduce_nc on a 110-core p150 (11x10): [1, 4, 3200, 576] summed over
    /// dim 1 gives 100 x 18 = 1800 output tiles, 17 on the busiest core (1800 / 110 = 16.4),
    /// each of 4 input tiles read in one batch of 4 (8 KiB, waited: 479 + 8192 / 21.3 cycles)
    /// and added at 2 x 2048 / 64 = 64 cycles each. DRAM: 7200 tiles read, 1800 written.
    #[test]
    fn fast_reduce_nc_deepseek_by_hand() {
        let hw = Hardware::of(Card::P150);
        let x = tiled(&[1, 4, 3200, 576], MemoryConfig::DRAM_INTERLEAVED);
        let params = [OpParam::new("dim", ParamValue::Int(1))];
        let f = run(Op::FastReduceNc, &[x], None, &params, CoreGrid::new(11, 10)).unwrap();
        assert!(close(f.compute_scale, 68.0 * 64.0 / 1.35));
        assert!(close(f.round_trip_scale, 17.0 * (479.0 + 8192.0 / 21.3) / 1.35));
        let dram = 7200.0 * 2048.0 * hw.ns_per_dram_byte + 1800.0 * 2048.0 * hw.ns_per_dram_write_byte;
        assert!(close(f.dram_scale, dram));
        let noc = (68.0 + 17.0) * 2048.0 / hw.noc_bytes_per_cycle(2048) / 1.35;
        assert!(close(f.noc_scale, noc));
    }

    /// A profiler row pads GPT-OSS-20B's `[32, 17, 2880]` summed over its dim 0 to
    /// `[1, 32, 32[17], 2880] -> [1, 1, 32, 2880]`: `dim` 0 names the padding 1 there, and the
    /// output says 32 tiles are summed into each of its 90 (on 90 cores: one a core, its 32
    /// input tiles read in 4 waited batches of 8, each added at 64 cycles). Without the
    /// output, `dim` 1 of the padded shape says the same; an output the input's leading dims
    /// do not shrink to is an error.
    #[test]
    fn fast_reduce_nc_takes_the_summed_dims_from_the_output() {
        let hw = Hardware::of(Card::P150);
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let x = TensorParams::new(Shape::padded(&[1, 32, 32, 2880], &[1, 32, 17, 2880]), DType::Bfloat16, Layout::TILE, dram);
        let y = tiled(&[1, 1, 32, 2880], dram);
        let grid = CoreGrid::new(10, 9);
        let dim = |d: i64| [OpParam::new("dim", ParamValue::Int(d))];
        let f = run(Op::FastReduceNc, &[x], Some(&y), &dim(0), grid).unwrap();
        assert!(close(f.compute_scale, 32.0 * 64.0 / 1.35));
        assert!(close(f.round_trip_scale, 4.0 * (479.0 + 8.0 * 2048.0 / 21.3) / 1.35));
        let bytes = 90.0 * 2048.0;
        assert!(close(f.dram_scale, 32.0 * bytes * hw.ns_per_dram_byte + bytes * hw.ns_per_dram_write_byte));
        assert_eq!(run(Op::FastReduceNc, &[x], None, &dim(1), grid).unwrap(), f);
        let odd = tiled(&[1, 3, 32, 2880], dram);
        let e = run(Op::FastReduceNc, &[x], Some(&odd), &dim(0), grid).unwrap_err();
        assert!(matches!(e, Error::InvalidTensor { .. }), "{e:?}");
    }

    /// A read batch is the largest factor of the reduced dim up to 8.
    #[test]
    fn batches_divide_the_reduced_dim() {
        assert_eq!(granularity(4), 4);
        assert_eq!(granularity(12), 6);
        assert_eq!(granularity(7), 7);
        assert_eq!(granularity(11), 1);
        assert_eq!(granularity(16), 8);
    }

    /// Summing over one of the last two dims is not what fast_reduce_nc does: an error.
    #[test]
    fn fast_reduce_nc_of_an_inner_dim_is_an_error() {
        let x = tiled(&[1, 4, 64, 64], MemoryConfig::DRAM_INTERLEAVED);
        let params = [OpParam::new("dim", ParamValue::Int(2))];
        let e = run(Op::FastReduceNc, &[x], None, &params, CoreGrid::new(8, 8)).unwrap_err();
        assert!(matches!(e, Error::ModeNotModeled { .. }));
    }

    /// A sum over W of [1, 1, 1024, 1024] on 8x8 cores: 32 rows of 32 tiles, one row on each
    /// of 32 cores; each tile is read and waited for alone (479 + 2048 / 21.3 cycles) and
    /// folded in one HiFi4 pass (64 cycles). Over HW one core reads all 1024 tiles and folds a
    /// max at LoFi (16 cycles each).
    #[test]
    fn reduce_w_and_hw_by_hand() {
        let x = tiled(&[1, 1, 1024, 1024], MemoryConfig::DRAM_INTERLEAVED);
        let w = [
            OpParam::new("reduce_op", ParamValue::Enum("sum")),
            OpParam::new("reduce_dim", ParamValue::Enum("w")),
        ];
        let f = run(Op::Reduce, &[x], None, &w, CoreGrid::new(8, 8)).unwrap();
        assert!(close(f.compute_scale, 32.0 * 64.0 / 1.35));
        assert!(close(f.round_trip_scale, 32.0 * (479.0 + 2048.0 / 21.3) / 1.35));
        let hw_max = [
            OpParam::new("reduce_op", ParamValue::Enum("max")),
            OpParam::new("reduce_dim", ParamValue::Enum("hw")),
        ];
        let g = run(Op::Reduce, &[x], None, &hw_max, CoreGrid::new(8, 8)).unwrap();
        assert!(close(g.compute_scale, 1024.0 * 16.0 / 1.35));
        assert!(close(g.round_trip_scale, 1024.0 * (479.0 + 2048.0 / 21.3) / 1.35));
        // The DRAM traffic is the same either way but the output: 32 tiles against 1.
        let hw = Hardware::of(Card::P150);
        assert!(close(f.dram_scale - g.dram_scale, 31.0 * 2048.0 * hw.ns_per_dram_write_byte));
    }

    /// bh20_oft's 3x3 max pool of 64 channels: 30720 output sticks on 20 shard cores, 1536 on
    /// each; each gathers 9 sticks of 128 B from L1 (at 5.5 B/cycle, the NoC rate of 128 B),
    /// waits once per window (one bfloat16 tile's NoC time, 2048 / 54 cycles) and reduces its 2
    /// channel tiles at LoFi (16 cycles). The output, bfloat8_b tiles: 48 x 2 of 1088 B at
    /// 54 B/cycle (the rate of 1088 B, between 1024 and 2048 B: 40 + 64/1024 x 14 = 40.875).
    #[test]
    fn pool2d_oft_by_hand() {
        let shard = |rows| {
            MemoryConfig::sharded(
                BufferType::L1,
                MemoryLayout::HeightSharded,
                ShardSpec::new(
                    CoreRange::of_grid(CoreGrid::new(5, 4)),
                    [rows, 64],
                    ShardOrientation::RowMajor,
                ),
            )
        };
        let x = TensorParams::new(
            Shape::new(&[1, 1, 151540, 64]),
            DType::Bfloat16,
            Layout::RowMajor,
            shard(7577),
        );
        let y = TensorParams::new(
            Shape::new(&[1, 1, 30720, 64]),
            DType::Bfloat8B,
            Layout::TILE,
            shard(1536),
        );
        let params = [
            OpParam::new("kernel_h", ParamValue::Int(3)),
            OpParam::new("kernel_w", ParamValue::Int(3)),
        ];
        let f = run(Op::Pool2d, &[x], Some(&y), &params, CoreGrid::new(11, 10)).unwrap();
        assert!(close(f.compute_scale, 1536.0 * 2.0 * 16.0 / 1.35));
        assert!(close(f.round_trip_scale, 1536.0 * 2048.0 / 54.0 / 1.35));
        let noc = (1536.0 * 9.0 * 128.0 / 5.5 + 96.0 * 1088.0 / 40.875) / 1.35;
        assert!(close(f.noc_scale, noc));
        assert_eq!(f.dram_scale, 0.0);
    }

    /// bh20_oft's smallest integral image, [1, 12, 64 (40), 256] in DRAM: 8 channel tiles, one
    /// per core of the 2x4 grid; each core scans 12 x 2 = 24 tiles, 12 of them in the second
    /// row chunk. Per tile 7 unpacks or packs of 32 cycles and the SFPU cumsum (512), per
    /// second-chunk tile 3 x 32 more: 24 x 736 + 12 x 96 = 18,816 cycles (13.9 us; measured
    /// 19.2). The reader waits for 2 blocks of 12 tiles, the writer re-reads 1.
    #[test]
    fn intimg_oft_by_hand() {
        let hw = Hardware::of(Card::P150);
        let x = TensorParams::new(
            Shape::padded(&[1, 12, 64, 256], &[1, 12, 40, 256]),
            DType::Bfloat16,
            Layout::TILE,
            MemoryConfig::DRAM_INTERLEAVED,
        );
        let f = run(Op::Intimg, &[x], None, &[], CoreGrid::new(13, 10)).unwrap();
        assert!(close(f.compute_scale, 18_816.0 / 1.35));
        assert!(close(f.round_trip_scale, 3.0 * (479.0 + 24_576.0 / 21.3) / 1.35));
        let noc = 60.0 * 2048.0 / hw.noc_bytes_per_cycle(2048) / 1.35;
        assert!(close(f.noc_scale, noc));
        // Per core (8): 24 tiles read, 24 written and 12 of them read back.
        let dram = 8.0 * 2048.0 * ((24.0 + 12.0) * hw.ns_per_dram_byte + 24.0 * hw.ns_per_dram_write_byte);
        assert!(close(f.dram_scale, dram));
    }

    /// A tensor not of rank 4 is not what the kernels scan.
    #[test]
    fn intimg_of_rank_3_is_an_error() {
        let x = tiled(&[48, 160, 256], MemoryConfig::DRAM_INTERLEAVED);
        let e = run(Op::Intimg, &[x], None, &[], CoreGrid::new(13, 10)).unwrap_err();
        assert!(matches!(e, Error::ModeNotModeled { .. }));
    }
}
