//! `norm_roofline`: layer norm, RMS norm (with the halves of a distributed norm), softmax and
//! group norm, the ops that reduce rows (or groups of channels) and then rescale them.
//!
//! It reads the input's padded shape (rows of tiles, tiles per row), layout (tiled only),
//! dtype and memory (DRAM or L1, interleaved or sharded with its shard shape), the other
//! inputs' presence, shapes, dtypes and memory (residual, gamma, beta, gathered statistics,
//! softmax mask), the output's dtype and memory (the input's when it is not given), and the
//! params: `norm_type`, `stage`, `numeric_stable`, `dim` (only the last dim is modeled),
//! `math_fidelity` and `fp32_dest_acc_en`. Inputs are told apart as the profiler lists the
//! present ones: after the input, one of its own padded shape and more than one logical row is
//! the residual (a post-all-gather's second input is the statistics); the rest are gamma,
//! then beta. (A residual of a one-row input is read as gamma: the two look alike.)
//!
//! The work split (tt-metal `ttnn/cpp/ttnn/operations/normalization/`):
//!
//! * **Interleaved** (`layernorm/device/layernorm_op_multi_core.cpp`,
//!   `softmax/device/softmax_program_factory_attention_optimized.cpp`): the rows of tiles
//!   (`NC * Ht`) are split over the grid by `split_work_to_cores`; the busiest core does
//!   `ceil(rows / cores)` whole rows. Each core reads a row (in blocks of 4 tiles with
//!   32-bit destination registers, else 8), keeps it in L1 while the compute kernel passes over
//!   it, and writes the result. Layer norm keeps the row in L1 when its circular buffers fit
//!   (`CB_can_fit_in_L1`: the input, centred, squared, gamma and beta rows of `Wt` tiles each,
//!   the intermediates 32-bit with `fp32_dest_acc_en`, under 95% of L1); when they do not
//!   and gamma and beta are tiled, the large-tensor kernels
//!   (`reader_unary_interleaved_ln_large_tensor.cpp`) read the row again for each statistic:
//!   three times for layer norm (mean, variance, normalize), twice for RMS norm, the residual
//!   with it, and gamma and beta on every row instead of once per core. The large-tensor RMS
//!   norm also copies each tile of its second read to an intermediate buffer before scaling it
//!   (`layernorm_large_tensor.cpp`: the copy stands in for a destination-reuse multiply that
//!   tt-llk #868 breaks): one pass more. Where the one-read kernel (`layernorm.cpp`) sets up
//!   each pass once a row, the large-tensor one sets up each of its eltwise chains again for
//!   every block of the row (`layernorm_large_tensor.cpp`: each `eltwise_chain` call and the
//!   reduce section between them reconfigure the data formats, initialise their op and hand
//!   the destination registers from math to pack): per block, for RMS norm the square, the
//!   reduce into the running sum, the copy and the scale, for layer norm the mean's reduce,
//!   the centring and square, the variance's reduce, the centring and the scale, and one each
//!   for gamma and beta (`chain_setup_cycles` a chain). Softmax likewise
//!   switches to its large-tensor kernel above 90% of L1, counted here as one more read of the
//!   row per reduction (max, sum).
//! * **Sharded** (`layernorm_op_multi_core_sharded.cpp`, the sharded softmax): each core
//!   works on its own shard (block_ht x block_wt tiles) in L1; a layer norm whose rows span
//!   several cores (width or block sharding) sends each core's partial statistics (1 tile per
//!   row of the block for RMS norm, 2 for layer norm) to the row's reducing core and gets the
//!   result back: counted as that many tiles over the NoC and one pass per gathered tile.
//!   Each core reads the gamma and beta tiles of its own columns.
//!
//! The busiest core's compute is its tiles times the passes the compute kernel makes over
//! each (`layernorm/device/kernels/compute/layernorm.cpp`, `softmax/.../compute/softmax.cpp`),
//! `fpu_tile_cycles` each, plus `fidelity_phase_cycles` per fidelity phase beyond the first
//! of the passes that multiply (reductions with their scaler tile, squares, products), plus
//! `fp32_pack_scale` times the cycles the packer takes for a 32-bit tile's 2,048 more bytes
//! (through its four interfaces, 16 bytes a cycle each on Wormhole, 32 on Blackhole:
//! `Hardware::pack_cycles`) per pass when the destination and the intermediates are 32-bit
//! (the same norm on the same tiles takes more cycles on Wormhole than on Blackhole, in this
//! share):
//!
//! | op | passes over each tile | of them multiplying |
//! | --- | --- | --- |
//! | layer norm | mean, subtract, square, variance, scale: 5 | 4 |
//! | RMS norm | square, mean of squares, scale: 3 | 3 |
//! | pre-all-gather (layer / RMS) | sum, square, sum of squares: 3 / square, sum: 2 | 3 / 2 |
//! | post-all-gather (layer / RMS) | subtract, scale: 2 / scale: 1 | 1 / 1 |
//! | + residual, gamma, beta | add (per read of the row), multiply, add: +1 each | gamma |
//! | softmax | sum, scale by the reciprocal: 2; max and subtract (numeric_stable): +2; a copy pass when not numeric_stable or the last dim is padded (the pad mask is added on it); scale and mask add (a mask input): +2 instead of the copy | sum, scale; the mask's scale |
//!
//! and `exp_tile_cycles` per tile of a softmax; `row_cycles` per row for the reduction's
//! finish and the row's one-tile statistic (rsqrt of the variance, reciprocal of the sum; a
//! post-all-gather also passes over the gathered statistic tiles of each row). A norm sharded
//! across a row computes each row's statistic once, on the core that reduces that row's
//! gathered partials (`layernorm_sharded.cpp`: the global reduce, the `+ eps` and the rsqrt
//! run under `is_allgather_worker`, over its `num_tiles_per_allgather_worker` rows): the
//! busiest core's share of its rows. A softmax whose
//! last dim is padded waits, before its first row's last tile, for the writer to build the
//! pad mask tile (`writer_unary_interleaved_start_id_blocked_sm.cpp`): 1024 zeros and -inf
//! in each row's padded columns, one 2-byte store at a time, at the device's RISC-V L1 store
//! rate (`pad_mask_scale`; one store every 5 cycles on Wormhole, coalesced to one a cycle on
//! Blackhole): on CLIP's one-tile rows a large part of the op.
//!
//! DRAM (`dram_scale`): the input (and residual) read once per pass over it, each core's
//! gamma and beta once, a softmax mask's row per batch a core touches, the statistics of a
//! post-all-gather, and the output written, each where it lives in DRAM, read at the card's
//! achievable bandwidth and written at its `dram_write_fraction` of it. The large-tensor kernels read gamma and beta again on every row;
//! that is counted on the NoC but not in DRAM: on the 30B prefill's `[8192, 6656]` RMS norm
//! (110 cores reading the same gamma tiles at about the same time), counting it in DRAM puts
//! the norm at 1.04x its measured time where its peers' DRAM-bound norms (the same trace's
//! other norms, DeepSeek's) come to 0.65-0.88x; without it, 0.89x. NoC (`noc_scale`): the
//! same tiles of the busiest core, for interleaved tensors (an L1-sharded one is local), at
//! a tile's NoC rate.
//! It assumes the reader, compute and writer overlap fully.
//!
//! **Group norm** (`groupnorm/device/groupnorm_sharded_program_factory.cpp`,
//! `groupnorm_mcast_program_factory.cpp`) reads `num_groups`, the input's shape `[N, 1, H W,
//! C]`, its shard spec (or, interleaved, the grid split into channel columns as tt-metal
//! does: as many as divide C in whole tiles and the groups evenly, the rest rows of cores),
//! and which optional inputs are row-major (gamma, beta; the masks after them are tiled).
//! Each core passes over its block of each of its groups (the rows of tiles it holds, times
//! the tiles the widest group spans, `find_max_tile_span`): mask, mean, subtract, square,
//! variance, scale, gamma, beta; a row-major input is tilized and a row-major output
//! untilized on the core (one pass over its tiles each). Per group and batch, the core that
//! gathers the mean and then the variance reads each core's partial one at a time, waiting
//! for each (`reader_mcast_sender_unary_sharded_gn_v2.cpp`): `partial_wait_scale` times the
//! device's latency of one core reading another's L1 (tt-metal's data-movement "One from One"
//! test: 290 cycles Wormhole, 368 Blackhole), in the compute term, as the kernel waits for the
//! result. Interleaved (`groupnorm_mcast_program_factory.cpp`), each core takes `Ht /
//! num_virtual_rows` rows of tiles (floored, as tt-metal does) and a group's statistics are
//! gathered over one column of the virtual grid (at most `num_virtual_rows` cores); the reader
//! reads its tiles from DRAM one at a time, each waited for (`reader_mcast_sender_unary_gn.cpp`):
//! for the mean, the variance and the result of each group, and the group's output tiles read
//! back on the third pass to add its channels to the earlier groups' (`waited_read_scale`,
//! at the device's DRAM latency and one core's DRAM rate; four reads a tile a group), and in
//! DRAM (`dram_scale`) with each group's output block written.

use crate::device::MathFidelity;
use crate::error::{Error, Operand, TensorProblem};
use crate::generated::op_params::layer_norm::{NormType, Stage};
use crate::generated::{NormRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, largest_divisor, max, min};
use crate::tensor::{DType, Layout, TensorParams};

/// What the op is, read from its params and inputs.
#[derive(Clone, Copy)]
struct Norm<'q> {
    /// Passes of the compute kernel over each tile, and how many of them multiply.
    passes: u64,
    multiplying: u64,
    /// Times the input row is read (1, or one per statistic in the large-tensor kernels).
    reads: u64,
    softmax: bool,
    /// A softmax's exponential in its approximate form.
    approx: bool,
    /// The 2-byte stores with which each core's writer builds the mask tile of a softmax whose
    /// last dim is padded, before the compute kernel's first row can finish (0 without one).
    pad_mask: u64,
    fidelity: MathFidelity,
    fp32_dest: bool,
    /// Read with the input on every pass: the residual added before the norm.
    residual: Option<&'q TensorParams>,
    /// Read once per core (every row in the large-tensor kernels): gamma, beta.
    weights: [Option<&'q TensorParams>; 2],
    /// Read once per batch row a core touches (softmax mask), or, for a post-all-gather,
    /// each row's gathered statistics.
    side: Option<&'q TensorParams>,
}

/// Rows of tiles and tiles per row of a tiled `t`.
const fn tile_grid_of(cx: &Ctx<'_>, t: &TensorParams, operand: Operand) -> Result<(u64, u64), Error> {
    let (Some(tiles), Some((_, wt))) = (t.tiles(), t.tile_grid()) else {
        return Err(cx.not_modeled("a row-major input (the norm kernels read tiles)"));
    };
    if wt == 0 || tiles == 0 {
        // Validated operands have no zero dim; kept for a tensor built around the checks.
        let dim = t.shape.rank().saturating_sub(1);
        return Err(cx.tensor_error(operand, TensorProblem::ZeroDim { dim }));
    }
    Ok((tiles / wt, wt))
}

/// Bytes of `t` on the card; an overflow is an error.
const fn bytes_of(cx: &Ctx<'_>, t: &TensorParams) -> Result<u64, Error> {
    match t.bytes(cx.hw) {
        Some(b) => Ok(b),
        None => Err(Error::Overflow { what: "norm bytes" }),
    }
}

/// Bytes of one tile of `t`, or of a bfloat16 tile for a row-major `t` (gamma and beta sticks
/// are read into tiles).
const fn tile_bytes_of(cx: &Ctx<'_>, t: &TensorParams) -> u64 {
    match t.tile_bytes(cx.hw) {
        Some(b) => b,
        None => cx.hw.tile_bytes(DType::Bfloat16) as u64,
    }
}

/// Bytes of a gamma or beta tile in its circular buffer: bfloat16 when absent.
const fn weight_tile(cx: &Ctx<'_>, w: Option<&TensorParams>) -> u64 {
    match w {
        Some(t) => tile_bytes_of(cx, t),
        None => cx.hw.tile_bytes(DType::Bfloat16) as u64,
    }
}

/// Tiles a norm kernel's block holds: 4 with 32-bit destination registers, else 8 (the
/// destination registers hold half as many 32-bit tiles).
const fn block_tiles(n: &Norm<'_>) -> u64 {
    if n.fp32_dest { 4 } else { 8 }
}

/// Whether layer norm's circular buffers for a row of `wt` tiles fit in L1
/// (`layernorm_op_multi_core.cpp`, `CB_can_fit_in_L1`, under 95% of L1).
const fn layernorm_fits_l1(cx: &Ctx<'_>, x: &TensorParams, out: &TensorParams, n: &Norm<'_>, wt: u64) -> bool {
    let block = block_tiles(n);
    let wtb = ceil_div(wt, block).saturating_mul(block);
    let bf16 = cx.hw.tile_bytes(DType::Bfloat16) as u64;
    let cb = if n.fp32_dest {
        cx.hw.tile_bytes(DType::Float32) as u64
    } else {
        bf16
    };
    let (in0, in1, im6) = match n.residual {
        Some(r) => (2 * block * tile_bytes_of(cx, x), 2 * block * tile_bytes_of(cx, r), wtb.saturating_mul(cb)),
        None => (wtb.saturating_mul(tile_bytes_of(cx, x)), 0, 2 * block * cb),
    };
    let sum = in0
        .saturating_add(in1)
        .saturating_add(2 * block * tile_bytes_of(cx, out))
        // centred and squared rows; gamma and beta rows (bfloat16 when absent)
        .saturating_add(wtb.saturating_mul(2 * cb))
        .saturating_add(wtb.saturating_mul(weight_tile(cx, n.weights[0]) + weight_tile(cx, n.weights[1])))
        .saturating_add(im6)
        // im5 (2 blocks), im4 (8), im1 and im2 (2 each) in the intermediate format
        + (2 * block + 12) * cb
        // the reduce scaler and epsilon tiles
        + 4 * bf16;
    (sum as f64) < 0.95 * cx.hw.l1_bytes_per_core as f64
}

/// Whether softmax's circular buffers fit under 90% of L1
/// (`softmax_program_factory_attention_optimized.cpp`).
const fn softmax_fits_l1(cx: &Ctx<'_>, x: &TensorParams, out: &TensorParams, n: &Norm<'_>, stable: bool, wt: u64) -> bool {
    let block = largest_divisor(wt, block_tiles(n), false);
    let bf16 = cx.hw.tile_bytes(DType::Bfloat16) as u64;
    let im = if n.fp32_dest {
        cx.hw.tile_bytes(DType::Float32) as u64
    } else {
        bf16
    };
    let in0 = if stable { wt } else { 2 * block };
    let mut sum = in0
        .saturating_mul(tile_bytes_of(cx, x))
        .saturating_add(wt.saturating_mul(im))
        .saturating_add(2 * block * tile_bytes_of(cx, out) + 5 * im);
    if stable {
        sum = sum.saturating_add(wt.saturating_mul(im));
    }
    if let Some(mask) = n.side {
        sum = sum
            .saturating_add((wt + block).saturating_mul(im) + bf16)
            .saturating_add(wt.saturating_mul(tile_bytes_of(cx, mask)));
    }
    (sum as f64) < 0.9 * cx.hw.l1_bytes_per_core as f64
}

/// Whether `t` has `x`'s padded shape.
const fn same_shape(t: &TensorParams, x: &TensorParams) -> bool {
    let (a, b) = (t.shape.dims(), x.shape.dims());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Logical size of `t`'s second-last dim (1 for a rank-1 `t`): gamma and beta have one row.
const fn logical_rows(t: &TensorParams) -> u32 {
    t.shape.logical_dim_from_end(1)
}

/// The input at `i`, if given.
const fn input<'q>(cx: &Ctx<'q>, i: usize) -> Option<&'q TensorParams> {
    if i < cx.inputs.len() { Some(&cx.inputs[i]) } else { None }
}

/// Cycles the packer takes for the bytes a 32-bit tile has beyond a 16-bit one.
const fn fp32_pack_cycles(cx: &Ctx<'_>) -> f64 {
    let extra = cx.hw.tile_bytes(DType::Float32) - cx.hw.tile_bytes(DType::Bfloat16);
    cx.hw.pack_cycles(extra as u64)
}

/// Layer norm's passes and inputs.
const fn layer_norm<'q>(cx: &Ctx<'q>, norm_type: NormType, stage: Stage, fidelity: MathFidelity, fp32_dest: bool) -> Norm<'q> {
    let x = &cx.inputs[0];
    let rms = matches!(norm_type, NormType::Rmsnorm);
    // The second input: the statistics of a post-all-gather, a residual of the input's
    // shape, or gamma.
    let second = input(cx, 1);
    let (residual, side, first_weight) = match (stage, second) {
        (Stage::PostAllGather, Some(s)) => (None, Some(s), 2),
        (_, Some(r)) if same_shape(r, x) && logical_rows(r) > 1 => (Some(r), None, 2),
        _ => (None, None, 1),
    };
    let weights = [input(cx, first_weight), input(cx, first_weight + 1)];
    let (mut passes, mut multiplying) = match (stage, rms) {
        (Stage::NotDistributed, false) => (5, 4),
        (Stage::NotDistributed, true) => (3, 3),
        (Stage::PreAllGather, false) => (3, 3),
        (Stage::PreAllGather, true) => (2, 2),
        (Stage::PostAllGather, false) => (2, 1),
        (Stage::PostAllGather, true) => (1, 1),
    };
    // Gamma and beta apply after the statistics: not in a pre-all-gather.
    if !matches!(stage, Stage::PreAllGather) {
        if weights[0].is_some() {
            passes += 1;
            multiplying += 1;
        }
        if weights[1].is_some() {
            passes += 1;
        }
    }
    Norm {
        passes,
        multiplying,
        reads: 1,
        softmax: false,
        approx: false,
        pad_mask: 0,
        fidelity,
        fp32_dest,
        residual,
        weights,
        side,
    }
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<NormRooflineFeatures, Error> {
    if let OpParams::GroupNorm(p) = cx.params {
        return group_norm(cx, p.num_groups, p.math_fidelity, p.fp32_dest_acc_en);
    }
    let x = &cx.inputs[0];
    let (rows, wt) = tri!(tile_grid_of(cx, x, Operand::Input(0)));
    let mut n = match cx.params {
        OpParams::LayerNorm(p) => layer_norm(cx, p.norm_type, p.stage, p.math_fidelity, p.fp32_dest_acc_en),
        OpParams::Softmax(p) => {
            let rank = x.shape.rank() as i64;
            if p.dim != -1 && p.dim != rank - 1 {
                return Err(cx.not_modeled("a softmax over another dim than the last"));
            }
            let mask = input(cx, 1);
            // The last dim's padding is masked on a copy pass (`mask_padded_data`).
            let logical = x.shape.logical();
            let last = if logical.is_empty() { 0 } else { logical[logical.len() - 1] as u64 };
            let padded_by = (x.shape.dim_from_end(0) as u64).saturating_sub(last);
            let padded = !logical.is_empty() && padded_by > 0;
            // `writer_unary_interleaved_start_id_blocked_sm.cpp`: the mask tile zeroed one
            // element at a time (1024 stores), then -inf stored in each of its 32 rows' padded
            // columns (`fill_pad_tile`).
            let mask_stores = 1024 + 32 * min(padded_by, 32);
            let first = if mask.is_some() {
                2
            } else if p.numeric_stable && !padded {
                0
            } else {
                1
            };
            Norm {
                passes: first + if p.numeric_stable { 2 } else { 0 } + 2,
                multiplying: if mask.is_some() { 3 } else { 2 },
                reads: 1,
                softmax: true,
                approx: p.math_approx_mode,
                pad_mask: if padded && mask.is_none() { mask_stores } else { 0 },
                fidelity: p.math_fidelity,
                fp32_dest: p.fp32_dest_acc_en,
                residual: None,
                weights: [None, None],
                side: mask,
            }
        }
        _ => return Err(cx.foreign_params()),
    };
    let out = match cx.output {
        Some(o) => o,
        None => x,
    };
    let stable = match cx.params {
        OpParams::Softmax(p) => p.numeric_stable,
        _ => false,
    };
    let rms = match cx.params {
        OpParams::LayerNorm(p) => matches!(p.norm_type, NormType::Rmsnorm),
        _ => false,
    };
    if let Some(r) = n.residual {
        if r.tiles().is_none() {
            return Err(cx.tensor_error(Operand::Input(1), TensorProblem::ShapeMismatch { with: Operand::Input(0) }));
        }
    }
    // The work split: the shard's block on each core, or whole rows over the grid.
    let sharded = match x.memory.shard {
        Some(s) if x.memory.layout.is_sharded() && s.cores > 0 => Some(s),
        _ => None,
    };
    let grid = cx.grid.cores() as u64;
    let (core_rows, core_wt, cores, row_cores) = match sharded {
        Some(s) => {
            let (th, tw) = match x.layout {
                Layout::Tile { height, width } => (max(height as u64, 1), max(width as u64, 1)),
                Layout::RowMajor => (32, 32),
            };
            let block_ht = max(ceil_div(s.shape[0] as u64, th), 1);
            let block_wt = min(max(ceil_div(s.shape[1] as u64, tw), 1), wt);
            (min(block_ht, rows), block_wt, s.cores as u64, ceil_div(wt, block_wt))
        }
        None => {
            let cores = max(min(grid, rows), 1);
            (ceil_div(rows, cores), wt, cores, 1)
        }
    };
    // Rows that do not stay in L1 are read again for each statistic (interleaved only).
    let row_major_weights = matches!(n.weights[0], Some(t) if matches!(t.layout, Layout::RowMajor))
        || matches!(n.weights[1], Some(t) if matches!(t.layout, Layout::RowMajor));
    if sharded.is_none() {
        if n.softmax {
            if !softmax_fits_l1(cx, x, out, &n, stable, wt) {
                n.reads = if stable { 3 } else { 2 };
            }
        } else if !row_major_weights
            && matches!(cx.params, OpParams::LayerNorm(p) if matches!(p.stage, Stage::NotDistributed))
            && !layernorm_fits_l1(cx, x, out, &n, wt)
        {
            n.reads = if rms { 2 } else { 3 };
        }
    }
    let large = n.reads > 1;
    // The chains the large-tensor layer norm sets up for each block of a row (module doc).
    let chain_setups = if large && !n.softmax {
        let block = block_tiles(&n);
        let weights = n.weights[0].is_some() as u64 + n.weights[1].is_some() as u64;
        let chains = if rms { 4 } else { 5 } + weights;
        core_rows.saturating_mul(ceil_div(core_wt, block)).saturating_mul(chains)
    } else {
        0
    };
    let tiles = core_rows.saturating_mul(core_wt);
    // Passes: the residual's add happens on every read of the row.
    let mut passes = n.passes;
    // The large-tensor RMS norm's copy of the re-read row (module doc).
    if large && rms {
        passes += 1;
    }
    if n.residual.is_some() {
        passes += n.reads;
    }
    let mut row_passes = 0u64;
    // A norm sharded across a row gathers each core's partial statistics. The row's cores
    // share the reduction: each reduces `ceil(block_ht / cores in the row)` rows of every
    // core's partials (`num_rows_per_all_to_all_worker` in `layernorm_op_multi_core_sharded.cpp`).
    // Each row's statistic (the rsqrt) is computed by the core that reduces its partials:
    // the rows whose statistics the busiest core computes.
    let stats_per_row: u64 = if rms { 1 } else { 2 };
    let shared = row_cores > 1 && !n.softmax;
    let stat_rows = if shared { ceil_div(core_rows, row_cores) } else { core_rows };
    let gathered = if shared {
        stat_rows.saturating_mul(row_cores).saturating_mul(stats_per_row)
    } else {
        0
    };
    row_passes += gathered;
    // A post-all-gather combines each row's gathered statistic tiles.
    let mut side_tiles = 0u64;
    if let (Some(s), false) = (n.side, n.softmax) {
        let (_, s_wt) = tri!(tile_grid_of(cx, s, Operand::Input(1)));
        side_tiles = core_rows.saturating_mul(s_wt);
        row_passes = row_passes.saturating_add(side_tiles);
    }
    let phases = cx.hw.tile_cycles(n.fidelity) as u64 / max(cx.hw.tile_cycles(MathFidelity::LoFi) as u64, 1);
    let cycle = cx.cycles_to_ns(1.0);
    let tile_passes = tiles.saturating_mul(passes).saturating_add(row_passes);
    // DRAM bytes read (the writes below) and the busiest core's NoC bytes.
    let x_bytes = tri!(bytes_of(cx, x));
    let mut read = 0u64;
    let mut noc = 0u64;
    let x_tile = tile_bytes_of(cx, x);
    if x.memory.is_dram() {
        read = read.saturating_add(x_bytes.saturating_mul(n.reads));
    }
    if !x.memory.is_l1_sharded() {
        noc = noc.saturating_add(tiles.saturating_mul(n.reads).saturating_mul(x_tile));
    }
    if let Some(r) = n.residual {
        if r.memory.is_dram() {
            read = read.saturating_add(tri!(bytes_of(cx, r)).saturating_mul(n.reads));
        }
        if !r.memory.is_l1_sharded() {
            noc = noc.saturating_add(tiles.saturating_mul(n.reads).saturating_mul(tile_bytes_of(cx, r)));
        }
    }
    // The output: the input's shape, or a pre-all-gather's statistics.
    let out_bytes = match (cx.output, cx.params) {
        (Some(o), _) => tri!(bytes_of(cx, o)),
        (None, OpParams::LayerNorm(p)) if matches!(p.stage, Stage::PreAllGather) => {
            rows.saturating_mul(stats_per_row).saturating_mul(tile_bytes_of(cx, x))
        }
        _ => x_bytes,
    };
    let written = if out.memory.is_dram() { out_bytes } else { 0 };
    if !out.memory.is_l1_sharded() {
        noc = noc.saturating_add(ceil_div(out_bytes, max(cores, 1)));
    }
    let mut i = 0;
    while i < 2 {
        if let Some(w) = n.weights[i] {
            // A sharded norm's core reads the block_wt tiles of its columns.
            let w_bytes = (tri!(bytes_of(cx, w)) / wt).saturating_mul(core_wt);
            // Each core reads them once, or on every row in the large-tensor kernels; DRAM
            // serves them once per core (see the module doc).
            if w.memory.is_dram() {
                read = read.saturating_add(w_bytes.saturating_mul(cores));
            }
            noc = noc.saturating_add(w_bytes.saturating_mul(if large { core_rows } else { 1 }));
        }
        i += 1;
    }
    if let Some(s) = n.side {
        let s_tile = tile_bytes_of(cx, s);
        let s_tiles = if n.softmax {
            // The mask row (Wt tiles) per batch a core's rows touch; a full-size mask per row.
            let ht = match x.tile_grid() {
                Some((h, _)) => max(h, 1),
                None => 1,
            };
            let per_core = if same_shape(s, x) { core_rows } else { min(core_rows, core_rows / ht + 1) };
            per_core.saturating_mul(wt)
        } else {
            side_tiles
        };
        if s.memory.is_dram() {
            read = read.saturating_add(s_tiles.saturating_mul(s_tile).saturating_mul(cores));
        }
        if !s.memory.is_l1_sharded() {
            noc = noc.saturating_add(s_tiles.saturating_mul(s_tile));
        }
    }
    // The gathered partials of a sharded norm travel over the NoC.
    noc = noc.saturating_add(gathered.saturating_mul(cx.hw.tile_bytes(DType::Bfloat16) as u64));
    Ok(NormRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        // Softmax's kernels run on the whole grid (idle cores get no rows); layer norm's on
        // the cores with rows, or the shard grid.
        core_skew_cycles: cx.cycles_to_ns(if n.softmax && sharded.is_none() { grid as f64 } else { cores as f64 }),
        row_cycles: stat_rows as f64 * cycle,
        fpu_tile_cycles: tile_passes as f64 * cycle,
        fidelity_phase_cycles: tiles.saturating_mul(n.multiplying * phases.saturating_sub(1)) as f64 * cycle,
        fp32_pack_scale: if n.fp32_dest { tile_passes as f64 * fp32_pack_cycles(cx) * cycle } else { 0.0 },
        exp_tile_cycles: if n.softmax && !n.approx { tiles as f64 * cycle } else { 0.0 },
        exp_approx_tile_cycles: if n.softmax && n.approx { tiles as f64 * cycle } else { 0.0 },
        pad_mask_scale: n.pad_mask as f64 * cx.hw.riscv_l1_store_cycles * cycle,
        chain_setup_cycles: chain_setups as f64 * cycle,
        partial_wait_scale: 0.0,
        waited_read_scale: 0.0,
        dram_scale: cx.dram_traffic_ns(read, written),
        noc_scale: cx.noc_ns_of_tiles(noc, x),
    })
}

/// The tiles of `per_core_n` channels the widest group of `group_size` channels spans
/// (tt-metal `groupnorm_program_utils.cpp`, `find_max_tile_span`): groups start every
/// `group_size` channels, and one that straddles a tile boundary spans one more tile.
const fn max_tile_span(per_core_n: u64, group_size: u64, tile_w: u64) -> u64 {
    if group_size == 0 || tile_w == 0 {
        return 1;
    }
    let mut widest = 1;
    let mut start = 0;
    // A group's span depends on its start within a tile, which repeats every 32 groups at most.
    let mut k = 0;
    while start < per_core_n && k < 32 {
        k += 1;
        let span = (start + group_size - 1) / tile_w - start / tile_w + 1;
        if span > widest {
            widest = span;
        }
        start += group_size;
    }
    widest
}

/// Group norm (tt-metal `normalization/groupnorm/device/`): see the module doc.
const fn group_norm(cx: &Ctx<'_>, num_groups: i64, fidelity: MathFidelity, fp32_dest: bool) -> Result<NormRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    let shape = &x.shape;
    let (batches, w) = (max(shape.dim_from_end(3) as u64, 1), shape.dim_from_end(0) as u64);
    // The rows of all batches (a row-major input's too: tilized on the cores).
    let h = (shape.dim_from_end(2) as u64).saturating_mul(shape.dim_from_end(1) as u64).saturating_mul(batches);
    let groups = if num_groups > 0 { num_groups as u64 } else { 1 };
    if w % groups != 0 || w % 32 != 0 {
        return Err(cx.not_modeled("a group norm whose channels are not whole tiles split evenly into groups"));
    }
    let group_size = w / groups;
    let ht = ceil_div(h, 32);
    // The work split: each core holds per_core_m rows and per_core_n channels.
    let sharded = match x.memory.shard {
        Some(sh) if x.memory.layout.is_sharded() && sh.cores > 0 => Some(sh),
        _ => None,
    };
    // The rows of cores a statistic is gathered over: the shards' rows, at most the grid's
    // virtual rows when interleaved.
    let (per_core_m, per_core_n, cores, row_cap) = match sharded {
        Some(sh) => (max(sh.shape[0] as u64, 32), min(max(sh.shape[1] as u64, 1), w), sh.cores as u64, u64::MAX),
        None => {
            // `groupnorm_mcast_program_factory.cpp`: the grid's columns become channel
            // columns (as many as divide the channels in whole tiles and the groups evenly),
            // its rows and the remaining columns rows of tiles.
            let mut cols = min(cx.grid.x as u64, groups);
            while cols > 1 && ((w / cols) % 32 != 0 || groups % cols != 0) {
                cols -= 1;
            }
            let cols = max(cols, 1);
            let virtual_rows = max((cx.grid.x as u64 / cols) * cx.grid.y as u64, 1);
            // tt-metal floors the rows each core takes (`per_core_Mt = Ht / num_virtual_rows`)
            // and gathers each group's statistics over a column of the virtual grid: its
            // mcast group is the cores between two senders, `num_virtual_rows` of them for
            // one batch, however many shards of `per_core_M` rows the input would hold.
            let rows = max(ht / virtual_rows, 1);
            (rows.saturating_mul(32), w / cols, cols * virtual_rows, virtual_rows)
        }
    };
    let shards_r = min(max(h / per_core_m, 1), row_cap);
    let shards_c = max(w / per_core_n, 1);
    let batches_per_core = if batches > shards_r { batches / shards_r } else { 1 };
    let cores_per_batch = if batches > shards_r { 1 } else { shards_r / batches };
    let groups_per_core = if groups > shards_c { groups / shards_c } else { 1 };
    let cores_per_group = if groups > shards_c { 1 } else { shards_c / groups };
    let block_wt = max_tile_span(per_core_n, group_size, 32);
    let per_core_mt = ceil_div(per_core_m, 32);
    let per_core_nt = ceil_div(per_core_n, 32);
    let block_ht = per_core_mt / batches_per_core;
    // Gamma and beta are row-major (tt-metal requires it); the masks after them are tiled.
    let (gamma, beta) = match (input(cx, 1), input(cx, 2)) {
        (Some(g), Some(b)) if matches!(g.layout, Layout::RowMajor) && matches!(b.layout, Layout::RowMajor) => {
            (Some(g), Some(b))
        }
        (Some(g), _) if matches!(g.layout, Layout::RowMajor) => (Some(g), None),
        _ => (None, None),
    };
    // Per group and batch, over the group's block: mask, mean, subtract, square, variance,
    // scale (6), gamma's multiply and beta's add; all but the subtraction and beta multiply.
    let mut passes = 6;
    let mut multiplying = 5;
    if gamma.is_some() {
        passes += 1;
        multiplying += 1;
    }
    if beta.is_some() {
        passes += 1;
    }
    let group_blocks = batches_per_core.saturating_mul(groups_per_core);
    let block = block_ht.saturating_mul(block_wt);
    let mut tile_passes = group_blocks.saturating_mul(block).saturating_mul(passes);
    // A row-major input is tilized on the core, a row-major output untilized.
    let core_tiles = per_core_mt.saturating_mul(per_core_nt);
    if matches!(x.layout, Layout::RowMajor) {
        tile_passes = tile_passes.saturating_add(core_tiles);
    }
    if let Some(o) = cx.output {
        if matches!(o.layout, Layout::RowMajor) {
            tile_passes = tile_passes.saturating_add(core_tiles);
        }
    }
    // Per group and batch, the mean and then the variance: the sender reads each core's
    // partial one at a time, waiting for each (`reader_mcast_sender_unary_sharded_gn_v2.cpp`).
    let mcast_cores = cores_per_batch.saturating_mul(cores_per_group);
    let partial_reads = if mcast_cores > 1 { group_blocks.saturating_mul(2).saturating_mul(mcast_cores) } else { 0 };
    let phases = cx.hw.tile_cycles(fidelity) as u64 / max(cx.hw.tile_cycles(MathFidelity::LoFi) as u64, 1);
    let cycle = cx.cycles_to_ns(1.0);
    // Interleaved: the input read from DRAM tile by tile, each read waited for
    // (`reader_mcast_sender_unary_gn.cpp`), for the mean, the variance and the result of
    // each group, and on the third pass the output tiles of the group's block read back
    // (`cb_reread_out`: each group adds its channels to what the groups before it wrote),
    // waited for too; the writer writes the group's block of output tiles.
    let x_bytes = match x.bytes(cx.hw) {
        Some(b) => b,
        None => return Err(Error::Overflow { what: "norm bytes" }),
    };
    let tile_bytes = tile_bytes_of(cx, x);
    let (mut read, mut written, waited) = if sharded.is_none() {
        let reads = group_blocks.saturating_mul(block).saturating_mul(4);
        // Four reads of each tile and one write.
        let per_tile = x_bytes / max(core_tiles.saturating_mul(cores), 1);
        (
            per_tile.saturating_mul(reads).saturating_mul(cores),
            per_tile.saturating_mul(reads / 4).saturating_mul(cores),
            reads as f64 * cx.hw.waited_dram_read_cycles(tile_bytes) * cycle,
        )
    } else {
        (0, 0, 0.0)
    };
    if x.memory.is_dram() && sharded.is_some() {
        read = read.saturating_add(x_bytes);
    }
    let out = match cx.output {
        Some(o) => o,
        None => x,
    };
    // (Interleaved, the output's writes are counted above, a group's block at a time.)
    if out.memory.is_dram() && sharded.is_some() {
        written = written.saturating_add(x_bytes);
    }
    Ok(NormRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        core_skew_cycles: cx.cycles_to_ns(cores as f64),
        row_cycles: group_blocks as f64 * cycle,
        fpu_tile_cycles: tile_passes as f64 * cycle,
        fidelity_phase_cycles: (group_blocks.saturating_mul(block).saturating_mul(multiplying * phases.saturating_sub(1))) as f64 * cycle,
        fp32_pack_scale: if fp32_dest { tile_passes as f64 * fp32_pack_cycles(cx) * cycle } else { 0.0 },
        exp_tile_cycles: 0.0,
        exp_approx_tile_cycles: 0.0,
        pad_mask_scale: 0.0,
        chain_setup_cycles: 0.0,
        partial_wait_scale: partial_reads as f64 * cx.hw.noc_core_read_latency_cycles * cycle,
        waited_read_scale: waited,
        dram_scale: cx.dram_traffic_ns(read, written),
        noc_scale: 0.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::{BufferType, CoreRange, MemoryLayout, ShardOrientation, ShardSpec};
    use crate::{Card, CoreGrid, Hardware, MemoryConfig, Op, OpParam, ParamValue, QueryParams, Shape};
    use crate::formulas::test_support::close;

    const DRAM: MemoryConfig = MemoryConfig::DRAM_INTERLEAVED;

    fn tiled(dims: &[u32]) -> TensorParams {
        TensorParams::tiled(dims, DType::Bfloat16, DRAM)
    }

    /// An RMS norm with 32-bit intermediates (`fp32_dest_acc_en`).
    const RMS_FP32: [OpParam<'static>; 2] = [
        OpParam::new("norm_type", ParamValue::Enum("rmsnorm")),
        OpParam::new("fp32_dest_acc_en", ParamValue::Bool(true)),
    ];

    fn features_of(op: Op, card: Card, grid: CoreGrid, inputs: &[TensorParams], params: &[OpParam<'_>]) -> NormRooflineFeatures {
        let hw = Hardware::of(card);
        let cx = Ctx::new(op, hw, QueryParams::ByName(params), inputs, None, grid).unwrap();
        features(&cx).unwrap()
    }

    /// With 32-bit intermediates each pass packs 2,048 more bytes a tile through four packer
    /// interfaces: 16 bytes a cycle each on Wormhole (32 cycles), 32 on Blackhole (16). The
    /// same RMS norm as below, 4 passes over each of the busiest core's 64 tiles.
    #[test]
    fn fp32_intermediates_pack_at_each_devices_packer_rate() {
        let (x, gamma) = (tiled(&[1, 1, 128, 2048]), tiled(&[1, 1, 32, 2048]));
        let params = RMS_FP32;
        let grid = CoreGrid::new(8, 8);
        let wh = features_of(Op::LayerNorm, Card::N150, grid, &[x, gamma], &params);
        let bh = features_of(Op::LayerNorm, Card::P150, grid, &[x, gamma], &params);
        assert!(close(wh.fp32_pack_scale, 64.0 * 4.0 * 32.0));
        let bh_ns = 1000.0 / Hardware::of(Card::P150).clock_mhz;
        assert!(close(bh.fp32_pack_scale, 64.0 * 4.0 * 16.0 * bh_ns));
    }

    /// RMS norm of `[1, 1, 128, 2048]` bfloat16 with a tiled gamma, in DRAM on an n150 (8x8
    /// grid, 1 GHz: a cycle is 1 ns): 4 rows of 64 tiles, one per core. Per tile: square,
    /// mean of squares, scale, gamma: 4 passes, all multiplying, 3 extra phases at HiFi4.
    /// The row fits in L1 (64-tile rows of the input, the two intermediates, gamma and beta:
    /// 786,432 B of CBs, under 95% of 1,499,136), so it is read once. DRAM: the input and the
    /// output (512 KiB each) and gamma (64 tiles, 128 KiB) read by each of the 4 cores.
    #[test]
    fn rms_norm_by_hand() {
        let (x, gamma) = (tiled(&[1, 1, 128, 2048]), tiled(&[1, 1, 32, 2048]));
        let params = [OpParam::new("norm_type", ParamValue::Enum("rmsnorm"))];
        let hw = Hardware::of(Card::N150);
        let f = features_of(Op::LayerNorm, Card::N150, hw.compute_grid, &[x, gamma], &params);
        assert!(close(f.fpu_tile_cycles, 64.0 * 4.0));
        assert!(close(f.fidelity_phase_cycles, 64.0 * 4.0 * 3.0));
        assert!(close(f.row_cycles, 1.0));
        assert_eq!(f.fp32_pack_scale, 0.0);
        assert_eq!(f.chain_setup_cycles, 0.0);
        // 4 cores, a cycle each at 1 GHz.
        assert!(close(f.core_skew_cycles, 4.0));
        let read = (524_288 + 4 * 131_072) as f64;
        assert!(close(f.dram_scale, read * hw.ns_per_dram_byte() + 524_288.0 * hw.ns_per_dram_write_byte));
        // The busiest core: 64 input tiles, its 64 output tiles and gamma's 64.
        let noc = 3.0 * 64.0 * 2048.0 / hw.noc_bytes_per_cycle(2048);
        assert!(close(f.noc_scale, noc));
    }

    /// Layer norm of `[1, 1, 64, 32768]` with tiled gamma and beta: a row of 1024 tiles is
    /// 2 MiB, above L1, so the large-tensor kernels read it three times (mean, variance,
    /// normalize). 2 rows on 2 cores; DRAM: the 4 MiB input three times, the output once,
    /// gamma and beta (2 MiB each) once per core. A row-major gamma keeps the one-read
    /// kernels (tt-metal has no large-tensor kernel for it).
    #[test]
    fn wide_layer_norm_reads_the_row_three_times() {
        let x = tiled(&[1, 1, 64, 32768]);
        let w = tiled(&[1, 1, 32, 32768]);
        let hw = Hardware::of(Card::N150);
        let f = features_of(Op::LayerNorm, Card::N150, hw.compute_grid, &[x, w, w], &[]);
        let mib = 1024.0 * 1024.0;
        // The input read three times, gamma and beta by each of the 2 cores; the output written.
        let read = (3.0 * 4.0 + 2.0 * 2.0 * 2.0) * mib;
        assert!(close(f.dram_scale, read * hw.ns_per_dram_byte() + 4.0 * mib * hw.ns_per_dram_write_byte));
        // 5 passes of a layer norm, gamma's and beta's: 7 over each of 1024 tiles.
        assert!(close(f.fpu_tile_cycles, 7.0 * 1024.0));
        // Its row in 128 blocks of 8 tiles, each setting up the mean's reduce, the centring and
        // square, the variance's reduce, the centring, the scale, gamma and beta.
        assert!(close(f.chain_setup_cycles, 128.0 * 7.0));
        let rm = TensorParams::new(Shape::new(&[1, 1, 1024, 32]), DType::Bfloat16, Layout::RowMajor, DRAM);
        let g = features_of(Op::LayerNorm, Card::N150, hw.compute_grid, &[x, rm], &[]);
        // Read once: the input and the output, and the 64 KiB row-major gamma per core.
        let once = 4.0 * mib + 2.0 * 65_536.0;
        assert!(close(g.dram_scale, once * hw.ns_per_dram_byte() + 4.0 * mib * hw.ns_per_dram_write_byte));
        // The one-read kernel sets up each pass once a row, which the tile passes count.
        assert_eq!(g.chain_setup_cycles, 0.0);
    }

    /// RMS norm of `[1, 1, 64, 32768]` with a tiled gamma: the 2 MiB row is above L1, so the
    /// large-tensor kernel reads it twice and copies each tile of the second read before
    /// scaling it. Per tile: square, mean of squares, copy, scale, gamma: 5 passes, of which
    /// 4 multiply (3 extra phases each at the default HiFi4). Per block of the row (8 tiles,
    /// 4 with 32-bit intermediates): the square, the reduce, the copy, the scale and gamma.
    #[test]
    fn wide_rms_norm_copies_its_second_read() {
        let x = tiled(&[1, 1, 64, 32768]);
        let gamma = tiled(&[1, 1, 32, 32768]);
        let params = [OpParam::new("norm_type", ParamValue::Enum("rmsnorm"))];
        let hw = Hardware::of(Card::N150);
        let f = features_of(Op::LayerNorm, Card::N150, hw.compute_grid, &[x, gamma], &params);
        assert!(close(f.fpu_tile_cycles, 5.0 * 1024.0));
        assert!(close(f.fidelity_phase_cycles, 4.0 * 3.0 * 1024.0));
        assert!(close(f.chain_setup_cycles, 128.0 * 5.0));
        let fp32 = RMS_FP32;
        let f32 = features_of(Op::LayerNorm, Card::N150, hw.compute_grid, &[x, gamma], &fp32);
        assert!(close(f32.chain_setup_cycles, 256.0 * 5.0));
        let mib = 1024.0 * 1024.0;
        // The input read twice, gamma by each of the 2 cores; the output written.
        let read = (2.0 * 4.0 + 2.0 * 2.0) * mib;
        assert!(close(f.dram_scale, read * hw.ns_per_dram_byte() + 4.0 * mib * hw.ns_per_dram_write_byte));
    }

    /// One-core RMS norm of `[1, 1, 17, 2880]` with a tiled gamma and 32-bit intermediates (a
    /// public GPT-OSS-20B prefill's): 90 tiles, rounded up to 92 in blocks of 4. Its circular
    /// buffers take 1,458,176 B: the input and output rows and gamma's and the absent beta's
    /// bfloat16 rows (92 x 2,048 each), the centred and squared rows (92 x 4,096 each), 8 and
    /// 20 intermediate tiles more, 4 bfloat16 scaler tiles. That is under 95% of Blackhole's
    /// 1,572,864 B of L1 (1,494,221), so the row is read once, and over 95% of Wormhole's
    /// 1,499,136 (1,424,179), so there the large-tensor kernel runs: 23 blocks of 5 chains.
    #[test]
    fn whether_a_row_fits_in_l1_depends_on_the_device() {
        let rows = |logical| {
            let shape = Shape::padded(&[1, 1, 32, 2880], &[1, 1, logical, 2880]);
            TensorParams::new(shape, DType::Bfloat16, Layout::Tile { height: 32, width: 32 }, DRAM)
        };
        let (x, gamma) = (rows(17), rows(1));
        let params = RMS_FP32;
        let one = CoreGrid::new(1, 1);
        let bh = features_of(Op::LayerNorm, Card::P150, one, &[x, gamma], &params);
        let wh = features_of(Op::LayerNorm, Card::N150, one, &[x, gamma], &params);
        assert_eq!(bh.chain_setup_cycles, 0.0);
        // Square, mean of squares, scale, gamma on Blackhole; the copy of the second read too
        // on Wormhole.
        let bh_ns = 1000.0 / Hardware::of(Card::P150).clock_mhz;
        assert!(close(bh.fpu_tile_cycles, 90.0 * 4.0 * bh_ns));
        assert!(close(wh.fpu_tile_cycles, 90.0 * 5.0));
        assert!(close(wh.chain_setup_cycles, 23.0 * 5.0));
    }

    /// A residual (the input's shape, more rows than one) is added on every read of the row.
    #[test]
    fn residual_adds_a_pass_and_a_read() {
        let x = tiled(&[1, 1, 64, 1024]);
        let gamma = tiled(&[1, 1, 32, 1024]);
        let hw = Hardware::of(Card::N150);
        let plain = features_of(Op::LayerNorm, Card::N150, hw.compute_grid, &[x, gamma], &[]);
        let fused = features_of(Op::LayerNorm, Card::N150, hw.compute_grid, &[x, x, gamma], &[]);
        // One row of 32 tiles per core: one more pass each.
        assert!(close(fused.fpu_tile_cycles - plain.fpu_tile_cycles, 32.0));
        // The residual's 128 KiB read from DRAM.
        assert!(close(fused.dram_scale - plain.dram_scale, 131_072.0 * hw.ns_per_dram_byte()));
    }

    /// Softmax of CLIP's attention scores, `[1, 12, 19, 19]` padded to `[1, 12, 32, 32]`,
    /// numeric_stable, 32-bit intermediates, on a p150 given an 8x8 grid: 12 rows of one tile
    /// on 12 cores (the kernels on all 64). Passes over the tile: the copy that adds the pad
    /// mask, max, subtract, sum, scale: 5, of which the sum and the scale multiply; an exact
    /// exponential; the mask tile built once.
    #[test]
    fn clip_softmax_by_hand() {
        let x = TensorParams::new(
            Shape::padded(&[1, 12, 32, 32], &[1, 12, 19, 19]),
            DType::Bfloat16,
            Layout::Tile { height: 32, width: 32 },
            DRAM,
        );
        let params = [
            OpParam::new("numeric_stable", ParamValue::Bool(true)),
            OpParam::new("fp32_dest_acc_en", ParamValue::Bool(true)),
            OpParam::new("dim", ParamValue::Int(3)),
        ];
        let hw = Hardware::of(Card::P150);
        let f = features_of(Op::Softmax, Card::P150, CoreGrid::new(8, 8), &[x], &params);
        let ns = 1000.0 / hw.clock_mhz;
        assert!(close(f.fpu_tile_cycles, 5.0 * ns));
        // 5 passes, each packing 2,048 more bytes through 4 interfaces of 32 bytes a cycle.
        assert!(close(f.fp32_pack_scale, 5.0 * 16.0 * ns));
        assert!(close(f.fidelity_phase_cycles, 2.0 * 3.0 * ns));
        assert!(close(f.exp_tile_cycles, ns));
        assert_eq!(f.exp_approx_tile_cycles, 0.0);
        // 1024 zeros and 13 padded columns of 32 rows, one cycle a store on Blackhole.
        assert!(close(f.pad_mask_scale, (1024.0 + 13.0 * 32.0) * ns));
        assert!(close(f.core_skew_cycles, 64.0 / 1.35));
        // Read and written once: 12 tiles of 2 KiB each way.
        let tiles = 12.0 * 2048.0;
        assert!(close(f.dram_scale, tiles * (hw.ns_per_dram_byte() + hw.ns_per_dram_write_byte)));
    }

    /// Width-sharded RMS norm of one row of 64 tiles over 16 cores (4 tiles each): no DRAM
    /// for the input and output; each core passes over its 4 tiles (3 passes, gamma's 4th)
    /// and the row's reducing core takes one partial tile from each of the 16.
    #[test]
    fn width_sharded_rms_norm_gathers_partials() {
        let shard = ShardSpec::new(CoreRange { start: (0, 0), end: (7, 1) }, [32, 128], ShardOrientation::RowMajor);
        let mem = MemoryConfig::sharded(BufferType::L1, MemoryLayout::WidthSharded, shard);
        let x = TensorParams::new(
            Shape::padded(&[1, 1, 32, 2048], &[1, 1, 1, 2048]),
            DType::Bfloat16,
            Layout::Tile { height: 32, width: 32 },
            mem,
        );
        let gamma = TensorParams::new(
            Shape::padded(&[1, 1, 32, 2048], &[1, 1, 1, 2048]),
            DType::Bfloat16,
            Layout::Tile { height: 32, width: 32 },
            DRAM,
        );
        let params = [OpParam::new("norm_type", ParamValue::Enum("rmsnorm"))];
        let hw = Hardware::of(Card::P150);
        let f = features_of(Op::LayerNorm, Card::P150, hw.compute_grid, &[x, gamma], &params);
        let ns = 1000.0 / hw.clock_mhz;
        // 4 tiles x 4 passes, and 16 gathered partials: gamma, not a residual (one row).
        assert!(close(f.fpu_tile_cycles, (16.0 + 16.0) * ns));
        assert!(close(f.core_skew_cycles, 16.0 / 1.35));
        // DRAM: each core reads the 4 tiles of gamma over its columns.
        assert!(close(f.dram_scale, 16.0 * 4.0 * 2048.0 * hw.ns_per_dram_byte()));
    }

    /// A 128-token prefill's width-sharded RMS norm, `[128, 6656]` over 16 cores (a public
    /// Blackhole Glimmer-30B trace's): each core holds 4 rows of 13 tiles. The row's 16 cores
    /// share the reduction of the partials, one row each (4 rows over 16 cores rounds up to
    /// 1): 16 gathered tiles on the busiest core, not 4 x 16, and one row's statistic, not 4.
    #[test]
    fn width_sharded_norm_shares_the_reduction_over_the_row() {
        let shard = ShardSpec::new(CoreRange { start: (0, 0), end: (7, 1) }, [128, 416], ShardOrientation::RowMajor);
        let mem = MemoryConfig::sharded(BufferType::L1, MemoryLayout::WidthSharded, shard);
        let x = TensorParams::new(Shape::new(&[1, 1, 128, 6656]), DType::Bfloat16, Layout::Tile { height: 32, width: 32 }, mem);
        let params = [OpParam::new("norm_type", ParamValue::Enum("rmsnorm"))];
        let hw = Hardware::of(Card::P150);
        let f = features_of(Op::LayerNorm, Card::P150, hw.compute_grid, &[x], &params);
        let ns = 1000.0 / hw.clock_mhz;
        // 52 tiles x 3 passes (no gamma), and 16 gathered partials.
        assert!(close(f.fpu_tile_cycles, (52.0 * 3.0 + 16.0) * ns));
        assert!(close(f.row_cycles, ns));
    }

    /// What is not modeled is said so: a softmax over another dim, a row-major input.
    #[test]
    fn unmodeled_cases_are_errors() {
        let hw = Hardware::of(Card::N150);
        let x = tiled(&[1, 1, 64, 64]);
        let inputs = [x];
        let params = [OpParam::new("dim", ParamValue::Int(2))];
        let cx = Ctx::new(Op::Softmax, hw, QueryParams::ByName(&params), &inputs, None, hw.compute_grid).unwrap();
        assert!(matches!(features(&cx), Err(Error::ModeNotModeled { .. })));
        let rm = [TensorParams::new(Shape::new(&[1, 1, 64, 64]), DType::Bfloat16, Layout::RowMajor, DRAM)];
        let cx = Ctx::new(Op::LayerNorm, hw, QueryParams::ByName(&[]), &rm, None, hw.compute_grid).unwrap();
        assert!(matches!(features(&cx), Err(Error::ModeNotModeled { .. })));
    }

    /// Group norm as bh20_oft runs it: `[1, 1, 1920, 256]` height-sharded on 20 cores (shards
    /// of 96 x 256: 3 x 8 tiles), 16 groups of 16 channels (each within one tile), row-major
    /// gamma and beta and a tiled mask. Per core: 16 groups over 3 x 1 tiles, 8 passes each (6 of
    /// them multiplying, 3 extra phases at HiFi4); per group the mean and the variance
    /// gathered from the 20 cores, one waited read of another core's L1 each (368 cycles on
    /// Blackhole); no DRAM.
    #[test]
    fn sharded_group_norm_by_hand() {
        let shard = ShardSpec::new(CoreRange { start: (0, 0), end: (4, 3) }, [96, 256], ShardOrientation::RowMajor);
        let mem = MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard);
        let x = TensorParams::tiled(&[1, 1, 1920, 256], DType::Bfloat16, mem);
        let rm = TensorParams::new(Shape::new(&[1, 1, 8, 32]), DType::Bfloat16, Layout::RowMajor, DRAM);
        let mask = tiled(&[1, 16, 32, 32]);
        let params = [OpParam::new("num_groups", ParamValue::Int(16))];
        let hw = Hardware::of(Card::P150);
        let f = features_of(Op::GroupNorm, Card::P150, CoreGrid::new(5, 4), &[x, rm, rm, mask], &params);
        let ns = 1000.0 / hw.clock_mhz;
        assert!(close(f.fpu_tile_cycles, 16.0 * 3.0 * 8.0 * ns));
        assert!(close(f.fidelity_phase_cycles, 16.0 * 3.0 * 6.0 * 3.0 * ns));
        assert!(close(f.row_cycles, 16.0 * ns));
        assert!(close(f.partial_wait_scale, 16.0 * 2.0 * 20.0 * 368.0 * ns));
        assert_eq!((f.dram_scale, f.waited_read_scale), (0.0, 0.0));
        assert!(close(f.core_skew_cycles, 20.0 / 1.35));
        // Without gamma and beta the mask is not read as gamma: 6 passes.
        let g = features_of(Op::GroupNorm, Card::P150, CoreGrid::new(5, 4), &[x, mask], &params);
        assert!(close(g.fpu_tile_cycles, 16.0 * 3.0 * 6.0 * ns));
    }

    /// An interleaved group norm of `[1, 1, 1024, 256]` in DRAM, 16 groups, on a 4x4 grid:
    /// 4 channel columns (64 channels, 2 tiles, 4 groups each), 4 rows of cores with 8 tile
    /// rows each. Per core: 4 groups over 8 x 1 tiles, each tile read from DRAM (waited) for
    /// the mean, the variance and the result, and the group's output tile read back: 128
    /// waited reads; each group's 8 output tiles written.
    #[test]
    fn interleaved_group_norm_by_hand() {
        let x = tiled(&[1, 1, 1024, 256]);
        let params = [OpParam::new("num_groups", ParamValue::Int(16))];
        let hw = Hardware::of(Card::P150);
        let f = features_of(Op::GroupNorm, Card::P150, CoreGrid::new(4, 4), &[x], &params);
        let ns = 1000.0 / hw.clock_mhz;
        assert!(close(f.fpu_tile_cycles, 4.0 * 8.0 * 6.0 * ns));
        assert!(close(f.waited_read_scale, 128.0 * (479.0 + 2048.0 / 21.3) * ns));
        // 16 cores read 128 tiles and write 32 each.
        let (read, written) = (16.0 * 128.0 * 2048.0, 16.0 * 32.0 * 2048.0);
        assert!(close(f.dram_scale, read * hw.ns_per_dram_byte() + written * hw.ns_per_dram_write_byte));
        // 4 cores share each group's statistics.
        assert!(close(f.partial_wait_scale, 4.0 * 2.0 * 4.0 * 368.0 * ns));
        let bad = [OpParam::new("num_groups", ParamValue::Int(48))];
        let inputs = [x];
        let cx = Ctx::new(Op::GroupNorm, hw, QueryParams::ByName(&bad), &inputs, None, CoreGrid::new(4, 4)).unwrap();
        assert!(matches!(features(&cx), Err(Error::ModeNotModeled { .. })));
    }

    /// `[1, 1, 4096, 320]` in 32 groups of 10 channels on a p150's 13x10 grid: 2 channel
    /// columns (160 channels, 5 tiles, 16 groups each; 10 columns would not split 32 groups
    /// evenly), 6 x 10 = 60 virtual rows, each core 128 / 60 = 2 rows of tiles (floored). The
    /// input would hold 64 shards of 2 rows, but a group's statistics are gathered over the 60
    /// cores of its column: 16 groups x 2 statistics x 60 waited reads. On an n150's 8x8 grid:
    /// 32 virtual rows of 4 rows of tiles, 32 cores a column.
    #[test]
    fn interleaved_group_norm_gathers_over_a_column() {
        let x = tiled(&[1, 1, 4096, 320]);
        let params = [OpParam::new("num_groups", ParamValue::Int(32))];
        let bh = Hardware::of(Card::P150);
        let f = features_of(Op::GroupNorm, Card::P150, CoreGrid::new(13, 10), &[x], &params);
        assert!(close(f.partial_wait_scale, 16.0 * 2.0 * 60.0 * 368.0 * 1000.0 / bh.clock_mhz));
        assert!(close(f.core_skew_cycles, 120.0 / 1.35));
        let g = features_of(Op::GroupNorm, Card::N150, CoreGrid::new(8, 8), &[x], &params);
        assert!(close(g.partial_wait_scale, 16.0 * 2.0 * 32.0 * 290.0));
        assert!(close(g.core_skew_cycles, 64.0));
    }

    /// Groups of 16 channels start on tile boundaries or mid-tile: one tile each; groups of
    /// 12 start at every multiple of 4 within a tile, and one starting at 28 spans two; groups
    /// of 48 always span two.
    #[test]
    fn tile_spans_of_groups() {
        assert_eq!(max_tile_span(256, 16, 32), 1);
        assert_eq!(max_tile_span(384, 12, 32), 2);
        assert_eq!(max_tile_span(96, 48, 32), 2);
        assert_eq!(max_tile_span(12, 12, 32), 1);
    }

    /// The halves of a distributed layer norm: the pre-all-gather makes 3 passes (sum,
    /// square, sum of squares) and writes 2 statistic tiles per row; the post-all-gather
    /// reads the input and the gathered statistics (here 2 devices' worth: 4 tiles a row),
    /// passes over each statistic tile once per row, and normalizes (2 passes, and gamma).
    #[test]
    fn distributed_halves() {
        let hw = Hardware::of(Card::N150);
        let x = tiled(&[1, 1, 32, 1024]);
        let pre = [OpParam::new("stage", ParamValue::Enum("pre_all_gather"))];
        let f = features_of(Op::LayerNorm, Card::N150, hw.compute_grid, &[x], &pre);
        assert!(close(f.fpu_tile_cycles, 3.0 * 32.0));
        // The input read; its statistics (2 tiles) written.
        assert!(close(f.dram_scale, 65_536.0 * hw.ns_per_dram_byte() + 2.0 * 2048.0 * hw.ns_per_dram_write_byte));
        let stats = tiled(&[1, 1, 32, 128]);
        let gamma = tiled(&[1, 1, 32, 1024]);
        let post = [OpParam::new("stage", ParamValue::Enum("post_all_gather"))];
        let g = features_of(Op::LayerNorm, Card::N150, hw.compute_grid, &[x, stats, gamma], &post);
        assert!(close(g.fpu_tile_cycles, 3.0 * 32.0 + 4.0));
    }
}
