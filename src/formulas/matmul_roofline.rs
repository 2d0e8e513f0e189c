//! `matmul_roofline`: matrix product on the matrix engine.
//!
//! What it counts, for `a [..., M, K] @ b [..., K, N]` in tiles (`Mt = batch * M / 32`,
//! `Kt`, `Nt`; the batch dims of `a` and `b` agree, or one side has a single matrix that every
//! batch of the other uses):
//!
//! * **Work split** by program config over the query's grid (`gx` x `gy` cores):
//!   - `mcast_2d`: output blocks of `ceil(Mt / gy)` x `ceil(Nt / gx)` tiles; `a` is multicast
//!     along rows and `b` along columns, so each is read from DRAM once.
//!   - `mcast_1d`: the longer of `Mt`, `Nt` split over all cores, the other whole; the
//!     shared operand is multicast, each read once.
//!   - `dram_sharded` (requires `b` width-sharded in DRAM): `Nt` split over one worker per
//!     DRAM bank (`ceil(Nt / banks)` each, all of `M`), as tt-metal's
//!     `matmul_multi_core_reuse_dram_sharded_optimized` runs it; each worker reads its bank's
//!     shard of `b`, which the DRAM term bounds (no NoC term for `b`).
//!   - `multi_core_reuse`: `ceil(Mt * Nt / cores)` output tiles per core as whole output rows
//!     where possible; each core reads its own `a` and `b` blocks, so `a` is read once per
//!     column block and `b` once per row block.
//!   - `multi_core`: the same split without reuse: every output tile reads its `Kt` tiles of
//!     `a` and of `b`.
//!   - `minimal` (`ttnn.experimental.minimal_matmul`, OP CODE `MinimalMatmulOp`): `M`, `N`
//!     and `K` padded up to whole `m_block` x `n_block` output blocks and `in0_block_w` K
//!     blocks; `div_up(M blocks, gy)` x `div_up(N blocks, gx)` blocks per core, padding
//!     included (`minimal_matmul_factory`); each input read once (the left column reads `a`,
//!     the top row `b`, and each forwards it core to core).
//!   - `auto`: `mcast_2d` when `Mt >= gy` and `Nt >= gx`, otherwise `mcast_1d`.
//!   - A 1D split runs along `M` (tall) for height-sharded `a` and along `N` (wide) for
//!     width-sharded `a`, as ttnn forces it; otherwise along the longer side.
//!   - **Unfused batches**: when `b` is batched and the config does not fuse the batch into
//!     `M` (`fuse_batch = false`, or `auto` with interleaved inputs: ttnn's
//!     `create_simple_matmul_program_config`), the split covers one batch's `M` x `N` tiles
//!     and every core loops over all batches (its blocks, reads and products times the
//!     batches).
//!   - `auto` with height- or width-sharded `a` is the 1D config ttnn generates for it
//!     (`get_matmul_program_config`).
//! * **Output blocks**: a config ttnn generates (`auto`) shrinks the busiest core's output
//!   block until its circular buffers fit in L1 above the device's reserved base
//!   (`get_multi_dim_per_core_factor`); `b` is then read again for each row of blocks and `a`
//!   for each column. Explicit configs keep the whole block.
//! * **Compute** (`compute_scale`): the busiest core's `per_core_M * per_core_N * Kt` tile
//!   products at the device's cycles per tile for the math fidelity, scaled by the passes an
//!   `a` tile needs (`ceil(tile rows / rows_per_pass) * rows_per_pass / 32`: tiny tiles still
//!   cost a full pass). Beside them, the busiest core's input tiles unpacked
//!   (`input_tile_cycles`) and output tiles packed (`output_tile_cycles`), and the
//!   `matmul_block` calls (`subblock_cycles`): one per output subblock and K tile, with the
//!   subblock from the config or as ttnn picks it for the output block
//!   (`get_matmul_subblock_params`: a sharded output of a tall 1D split takes
//!   `(1, block width)`, `(1, 1)` past 8 tiles).
//! * **Overhead** beside the launch (`overhead_ns`): the K blocks the busiest core steps
//!   through (`block_ns`; blocks of `in0_block_w` K tiles from the config, else as ttnn picks
//!   them: all of K for height-sharded `a`); the first K block of each output block, whose
//!   NoC time nothing overlaps (`first_block_scale`; 1 in v1: the datasheet NoC rate); and the
//!   same blocks loaded again by each further unfused batch (`batch_block_scale`; 0 in v1:
//!   double buffering would hide them); and, when that batch's work is multicast to more than
//!   one core, a fixed latency per output block of each further batch (`batch_mcast_ns`; 0 in
//!   v1): in the Wormhole CLIP trace the two-core `[1, 20, 32, 32] @ [1, 20, 32, 64]` takes
//!   ~2.75 us per batch where the one-core `[1, 20, 32, 64] @ [1, 20, 64, 32]` takes ~1.6
//!   (Blackhole's, with 12 batches: ~2.0 and ~1.3), while the fused output blocks of the
//!   height-sharded sweep, also multicast, show no such cost.
//! * **DRAM** (`dram_scale`): bytes read of `a`, `b` and the bias (re-reads as above) plus the
//!   output written, for the tensors that live in DRAM, at the achievable bandwidth.
//! * **NoC** (`noc_scale`): bytes into the busiest core (its `a` block unless `a` is L1-sharded
//!   and local, its `b` block) and out of it (its output block unless the output is
//!   L1-sharded), in tile-sized transfers, at the size-dependent NoC rate.
//!
//! The three throughput terms overlap. It assumes 32-wide tiles for `K` and `N` (other tile
//! widths are not modeled).

use crate::device::MathFidelity;
use crate::error::{Error, Operand, TensorProblem};
use crate::generated::MatmulRooflineFeatures;
use crate::generated::OpParams;
use crate::generated::op_params::matmul::{MathFidelity as Fidelity, ProgramConfig};
use crate::model::{Ctx, ceil_div, div, max, min, mul};
use crate::tensor::{DType, Layout, MemoryLayout, TensorParams};

/// How output blocks are spread over cores and how often inputs are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// Each input read once (multicast).
    Once,
    /// Each core reads its own blocks.
    PerBlock,
    /// Every output tile reads its full row of `a` and column of `b`.
    PerTile,
}

/// Output tiles of the busiest core and the read pattern.
#[derive(Debug, Clone, Copy)]
struct Split {
    per_core_m: u64,
    per_core_n: u64,
    reads: Reads,
    /// Times the busiest core goes over its output block: the batches when ttnn does not fuse
    /// them into `M` (see [`Batches`]), else 1.
    loops: u64,
    /// A 1D split along `M` (`b` multicast, `a` per core).
    tall: bool,
}

/// Which way the split of a 1D config runs: forced by `a`'s sharding as ttnn forces it
/// (`create_matmul_1d_systolic_array_program_config`: height-sharded `a` is tall, width-sharded
/// `a` wide), or along the longer side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OneD {
    Longer,
    Tall,
    Wide,
}

/// The batches of the product and whether ttnn fuses them into `M`. Unfused (the config's
/// `fuse_batch = false`, or the config ttnn generates for interleaved inputs with a batched `b`,
/// `create_simple_matmul_program_config`), the work is split over one batch's `M` x `N` tiles
/// and every core loops over all batches.
#[derive(Debug, Clone, Copy)]
struct Batches {
    count: u64,
    fused: bool,
}

const fn split(
    config: ProgramConfig,
    mt: u64,
    nt: u64,
    gx: u64,
    gy: u64,
    one_d: OneD,
    batches: Batches,
) -> Split {
    let cores = gx * gy;
    // Rows the split sees: all batches' when fused, one batch's otherwise.
    let count = max(batches.count, 1);
    let (mt, loops) = if batches.fused {
        (mt, 1)
    } else {
        (mt / count, count)
    };
    let tall = match one_d {
        OneD::Tall => true,
        OneD::Wide => false,
        OneD::Longer => mt > nt,
    };
    match config {
        ProgramConfig::Auto if mt >= gy && nt >= gx => two_d(mt, nt, gx, gy, loops),
        ProgramConfig::Mcast2d => two_d(mt, nt, gx, gy, loops),
        ProgramConfig::Auto | ProgramConfig::Mcast1d if tall => Split {
            per_core_m: ceil_div(mt, cores),
            per_core_n: nt,
            reads: Reads::Once,
            loops,
            tall: true,
        },
        ProgramConfig::Auto | ProgramConfig::Mcast1d | ProgramConfig::DramSharded => Split {
            per_core_m: mt,
            per_core_n: ceil_div(nt, cores),
            reads: Reads::Once,
            loops,
            tall: false,
        },
        ProgramConfig::MultiCoreReuse => spread(mt, nt, cores, Reads::PerBlock, loops),
        ProgramConfig::MultiCore => spread(mt, nt, cores, Reads::PerTile, loops),
        // Split by `minimal_split`, which needs the config's blocks; without them, 1 x 1.
        ProgramConfig::Minimal => minimal_split(mt, nt, gx, gy, 1, 1),
    }
}

/// The `minimal` config (`ttnn.experimental.minimal_matmul`), as tt-metal's
/// `minimal_matmul_factory` (`ttnn/cpp/ttnn/operations/experimental/minimal_matmul/device/
/// minimal_matmul_program_factory.cpp`) splits it: M and N padded up to whole `m_block` x
/// `n_block` output blocks, `M_blocks_per_core = div_up(M_blocks, grid.y)` and
/// `N_blocks_per_core = div_up(N_blocks, grid.x)`; every core goes over all its blocks (the
/// factory does not clip them: "even if a core doesn't need to process a block, the mcast core
/// needs its ACK"), so the busiest core's block is whole blocks of padded tiles.
const fn minimal_split(mt: u64, nt: u64, gx: u64, gy: u64, mb: u64, nb: u64) -> Split {
    Split {
        per_core_m: ceil_div(ceil_div(mt, mb), gy) * mb,
        per_core_n: ceil_div(ceil_div(nt, nb), gx) * nb,
        reads: Reads::Once,
        loops: 1,
        tall: false,
    }
}

/// Output blocks of `ceil(Mt / gy)` x `ceil(Nt / gx)` tiles.
const fn two_d(mt: u64, nt: u64, gx: u64, gy: u64, loops: u64) -> Split {
    Split {
        per_core_m: ceil_div(mt, gy),
        per_core_n: ceil_div(nt, gx),
        reads: Reads::Once,
        loops,
        tall: false,
    }
}

/// `ceil(Mt * Nt / cores)` output tiles per core, as whole output rows where possible.
const fn spread(mt: u64, nt: u64, cores: u64, reads: Reads, loops: u64) -> Split {
    let tiles = ceil_div(mt.saturating_mul(nt), cores);
    let per_core_n = min(nt, tiles);
    Split {
        per_core_m: ceil_div(tiles, per_core_n),
        per_core_n,
        reads,
        loops,
        tall: false,
    }
}

/// tt-metal's `SUBBLOCK_HW_CHOICES` (`matmul_program_config.cpp`): output subblocks `(h, w)`
/// of at most 8 tiles (the dest register), largest first.
const SUBBLOCK_HW_CHOICES: [(u64, u64); 20] = [
    (4, 2),
    (2, 4),
    (8, 1),
    (1, 8),
    (7, 1),
    (1, 7),
    (3, 2),
    (2, 3),
    (6, 1),
    (1, 6),
    (5, 1),
    (1, 5),
    (2, 2),
    (4, 1),
    (1, 4),
    (3, 1),
    (1, 3),
    (2, 1),
    (1, 2),
    (1, 1),
];

/// `bmm_op_utils::get_matmul_subblock_params`: the first choice that divides the block. With
/// `w_is_block` (a sharded output of a tall 1D split: `per_core_N_equals_subblock_w`) only
/// `(1, per_core_N)` qualifies, and when `per_core_N > 8` none does and ttnn falls back to
/// `(1, 1)`. fp32 dest accumulation (at most 4 tiles) is not a query param and not modeled.
const fn subblock(per_core_m: u64, per_core_n: u64, w_is_block: bool) -> (u64, u64) {
    let mut i = 0;
    while i < SUBBLOCK_HW_CHOICES.len() {
        let (h, w) = SUBBLOCK_HW_CHOICES[i];
        if (!w_is_block || (h == 1 && w == per_core_n))
            && per_core_m % h == 0
            && per_core_n % w == 0
        {
            return (h, w);
        }
        i += 1;
    }
    (1, 1)
}

/// K tiles per block when the config does not give them: all of `K` for height-sharded `a` in
/// a tall split (`get_matmul_program_config`), 2 or 1 for the unfused batched config
/// (`get_mcast_1d_config`), else the largest divisor of `K` up to 4
/// (`create_matmul_program_config`'s starting point).
const fn default_in0_block_w(kt: u64, fused: bool, a_height_sharded_tall: bool) -> u64 {
    if !fused {
        return if kt % 2 == 0 { 2 } else { 1 };
    }
    if a_height_sharded_tall {
        return max(kt, 1);
    }
    let mut d = min(kt, 4);
    while d > 1 {
        if kt % d == 0 {
            return d;
        }
        d -= 1;
    }
    1
}

/// Bytes of the circular buffers ttnn estimates for an output block of `h` x `w` tiles and K
/// blocks of `block_w` tiles (`matmul_utilities::get_estimated_size_of_cbs`): double-buffered
/// `a` and `b` blocks, the output and its intermediate, the bias row, and a sharded `a`'s rows
/// of the shard (`shard_w` tiles wide).
#[derive(Debug, Clone, Copy)]
struct CbSizes {
    a_tile: u64,
    b_tile: u64,
    interm_tile: u64,
    bias_tile: u64,
    block_w: u64,
    shard_w: u64,
    /// A transposed `a` takes one more buffer: of its shard rows, or of its blocks.
    transpose_a: bool,
}

impl CbSizes {
    const fn bytes(&self, h: u64, w: u64) -> u64 {
        // Saturating: a block too big to count does not fit either. `a_column`: one K tile of
        // `a` for each of the block's rows.
        let a_column = h.saturating_mul(self.a_tile);
        let inputs = (2 * self.block_w)
            .saturating_mul(a_column.saturating_add(w.saturating_mul(self.b_tile)));
        let output = h
            .saturating_mul(w)
            .saturating_mul(self.a_tile + self.interm_tile);
        let shard = a_column.saturating_mul(self.shard_w);
        let transposed = match (self.transpose_a, self.shard_w > 0) {
            (false, _) => 0,
            (true, true) => shard,
            (true, false) => (2 * self.block_w).saturating_mul(a_column),
        };
        let bias = w.saturating_mul(self.bias_tile);
        inputs
            .saturating_add(output)
            .saturating_add(bias)
            .saturating_add(shard)
            .saturating_add(transposed)
    }
}

/// `a` over `b` as a ratio of the larger to the smaller factor is below that of `c` over `d`:
/// the pair is closer to square.
const fn squarer(a: u64, b: u64, c: u64, d: u64) -> bool {
    max(a, b) * min(c, d) < max(c, d) * min(a, b)
}

/// Position of divisor `d` of `n` in ttnn's candidate order: `n`, 1, then `n / 2` down to 2.
const fn candidate_rank(d: u64, n: u64) -> u64 {
    if d == n {
        0
    } else if d == 1 {
        1
    } else {
        2 + n - d
    }
}

/// `(d, n / d)` when `d` divides `n`, else `(0, 0)`: walking `d` up to the square root of `n`
/// visits every divisor in `O(sqrt(n))` steps.
const fn divisor_pair(n: u64, d: u64) -> (u64, u64) {
    if d * d > n || n % d != 0 {
        (0, 0)
    } else {
        (d, n / d)
    }
}

/// The output block a generated config works on, as ttnn's `get_multi_dim_per_core_factor`
/// picks it: the whole `per_core_M` x `per_core_N` block when its circular buffers fit in the
/// L1 above the reserved base (`budget` bytes), else the largest `h` x `w` (divisors of the two,
/// the squarest pair of each product) that fits, with the K block unchanged; 1 x 1 if none.
const fn out_block(per_core_m: u64, per_core_n: u64, cbs: &CbSizes, budget: u64) -> (u64, u64) {
    if cbs.bytes(per_core_m, per_core_n) < budget {
        return (per_core_m, per_core_n);
    }
    let mut best = (1, 1);
    let mut i = 1;
    while i * i <= per_core_m {
        let hs = divisor_pair(per_core_m, i);
        let mut j = 1;
        while hs.0 > 0 && j * j <= per_core_n {
            let ws = divisor_pair(per_core_n, j);
            if ws.0 > 0 {
                let pairs = [(hs.0, ws.0), (hs.0, ws.1), (hs.1, ws.0), (hs.1, ws.1)];
                let mut k = 0;
                while k < pairs.len() {
                    let (h, w) = pairs[k];
                    if h * w > best.0 * best.1
                        && cbs.bytes(h, w) < budget
                        && kept(h, w, per_core_m, per_core_n)
                    {
                        best = (h, w);
                    }
                    k += 1;
                }
            }
            j += 1;
        }
        i += 1;
    }
    best
}

/// ttnn keeps one pair per product `h * w`: the squarest, and of a pair and its swap the one it
/// meets last (`h` in candidate order, then `w`).
const fn kept(h: u64, w: u64, per_core_m: u64, per_core_n: u64) -> bool {
    let product = h * w;
    let mut i = 1;
    while i * i <= per_core_m {
        let (d, e) = divisor_pair(per_core_m, i);
        let candidates = [d, e];
        let mut k = 0;
        while d > 0 && k < candidates.len() {
            let a = candidates[k];
            if product % a == 0 && per_core_n % (product / a) == 0 && a != h {
                let b = product / a;
                if squarer(a, b, h, w) {
                    return false;
                }
                // Not squarer and not less square: the swapped pair; the later one is kept.
                if !squarer(h, w, a, b)
                    && candidate_rank(a, per_core_m) > candidate_rank(h, per_core_m)
                {
                    return false;
                }
            }
            k += 1;
        }
        i += 1;
    }
    true
}

/// Dims of `t` as (batch, rows, cols) in tiles, after an optional transpose of the last two.
const fn tiles_of(t: &TensorParams, transpose: bool) -> Option<(u64, u64, u64)> {
    let (Some((rows, cols)), Some(tiles)) = (t.tile_grid(), t.tiles()) else {
        return None;
    };
    let batch = div(tiles, rows * cols);
    Some(if transpose {
        (batch, cols, rows)
    } else {
        (batch, rows, cols)
    })
}

const fn fidelity(f: Fidelity) -> MathFidelity {
    match f {
        Fidelity::Lofi => MathFidelity::LoFi,
        Fidelity::Hifi2 => MathFidelity::HiFi2,
        Fidelity::Hifi3 => MathFidelity::HiFi3,
        Fidelity::Hifi4 => MathFidelity::HiFi4,
    }
}

pub const fn features(cx: &Ctx<'_>) -> Result<MatmulRooflineFeatures, Error> {
    let hw = cx.hw;
    let (a, b) = (&cx.inputs[0], &cx.inputs[1]);
    let bias = if cx.inputs.len() > 2 {
        Some(&cx.inputs[2])
    } else {
        None
    };
    let OpParams::Matmul(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let (transpose_a, transpose_b, config, fidelity_param, fuse_batch) = (
        p.transpose_a,
        p.transpose_b,
        p.program_config,
        p.math_fidelity,
        p.fuse_batch,
    );
    let (given_block_w, given_sub_h, given_sub_w) =
        (p.in0_block_w, p.out_subblock_h, p.out_subblock_w);
    // The `minimal` config's output block (1 x 1 when not given).
    let minimal = matches!(config, ProgramConfig::Minimal);
    let (m_block, n_block) = (
        if p.m_block > 0 { p.m_block as u64 } else { 1 },
        if p.n_block > 0 { p.n_block as u64 } else { 1 },
    );
    // Non-positive blocking is "as ttnn picks it" (the schema's minimum is 0).
    let given_block_w = if given_block_w > 0 {
        given_block_w as u64
    } else {
        0
    };
    let (given_sub_h, given_sub_w) = if given_sub_h > 0 && given_sub_w > 0 {
        (given_sub_h as u64, given_sub_w as u64)
    } else {
        (0, 0)
    };
    let (
        Layout::Tile {
            height: a_rows,
            width: a_cols,
        },
        Layout::Tile {
            height: b_rows,
            width: b_cols,
        },
    ) = (a.layout, b.layout)
    else {
        return Err(cx.not_modeled("matmul of row-major inputs"));
    };
    if a_cols != 32 || b_rows != 32 || b_cols != 32 || (transpose_a && a_rows != 32) {
        return Err(cx.not_modeled("matmul with tiles other than 32 wide (a) and 32x32 (b)"));
    }
    let overflow = Error::Overflow {
        what: "matmul tiles",
    };
    let (batch_a, mt, kt) = some_or!(tiles_of(a, transpose_a), overflow);
    let (batch_b, kt_b, nt) = some_or!(tiles_of(b, transpose_b), overflow);
    // Batches must agree, or one side has a single matrix that every batch of the other uses.
    if kt != kt_b || (batch_a != batch_b && batch_a != 1 && batch_b != 1) {
        return Err(cx.tensor_error(
            Operand::Input(1),
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    let batch = max(batch_a, batch_b);
    if let Some(bias) = bias {
        if bias.shape.dim_from_end(0) != b.shape.dim_from_end(if transpose_b { 1 } else { 0 }) {
            return Err(cx.tensor_error(
                Operand::Input(2),
                TensorProblem::ShapeMismatch {
                    with: Operand::Input(1),
                },
            ));
        }
    }
    if matches!(config, ProgramConfig::DramSharded)
        && !(b.memory.is_dram() && matches!(b.memory.layout, MemoryLayout::WidthSharded))
    {
        return Err(cx.tensor_error(
            Operand::Input(1),
            TensorProblem::WrongMemory {
                expected: "width-sharded in DRAM for the dram_sharded program config",
            },
        ));
    }

    let mt_all = tri!(mul(batch, mt, "matmul tiles"));
    let (gx, gy) = (cx.grid.x as u64, cx.grid.y as u64);
    let (out_dtype, out_memory) = match cx.output {
        Some(o) => (o.dtype, o.memory),
        None => (a.dtype, a.memory),
    };
    // ttnn does not fuse the batch into M when `b` is batched and the config says so, or the
    // config is the one it generates for interleaved inputs (`fuse_batch = false`).
    let interleaved = !a.memory.layout.is_sharded() && !b.memory.layout.is_sharded();
    let auto = matches!(config, ProgramConfig::Auto);
    // `minimal_matmul` takes `a` as one matrix of all its rows.
    let fused = batch_b == 1 || minimal || (fuse_batch && !(auto && interleaved));
    let one_d = if !fused && auto {
        // `create_simple_matmul_program_config`: tall unless N is wider than M.
        if batch_a == 1 || mt >= nt {
            OneD::Tall
        } else {
            OneD::Wide
        }
    } else {
        match a.memory.layout {
            MemoryLayout::HeightSharded => OneD::Tall,
            MemoryLayout::WidthSharded => OneD::Wide,
            _ => OneD::Longer,
        }
    };
    let batches = Batches {
        count: batch,
        fused,
    };
    // For height- or width-sharded `a`, ttnn generates a 1D config (`get_matmul_program_config`).
    let split_config = match (config, a.memory.layout) {
        (ProgramConfig::Auto, MemoryLayout::HeightSharded | MemoryLayout::WidthSharded) => {
            ProgramConfig::Mcast1d
        }
        _ => config,
    };
    let s = if minimal {
        minimal_split(mt_all, nt, gx, gy, m_block, n_block)
    } else if matches!(config, ProgramConfig::DramSharded) {
        // tt-metal `matmul_multi_core_reuse_dram_sharded_optimized`: the products run on one
        // worker per DRAM bank (`get_optimal_dram_bank_to_logical_worker_assignment`), each
        // over its bank's `N / banks` columns of `b` and all of `a`, which the in0 shard cores
        // multicast to them; the grid's other cores only hold `a`'s shards.
        Split {
            per_core_m: mt_all,
            per_core_n: ceil_div(nt, max(hw.dram_channels as u64, 1)),
            reads: Reads::Once,
            loops: 1,
            tall: false,
        }
    } else {
        split(split_config, mt_all, nt, gx, gy, one_d, batches)
    };
    // Output rows of the busiest core over all its loops.
    let rows = tri!(mul(s.per_core_m, s.loops, "matmul tiles"));

    let in0_block_w = if given_block_w > 0 {
        min(given_block_w, max(kt, 1))
    } else {
        default_in0_block_w(
            kt,
            fused,
            matches!(a.memory.layout, MemoryLayout::HeightSharded) && s.tall,
        )
    };
    // Compute on the busiest core; the `minimal` config pads K up to whole K blocks too
    // (`padded_K_tiles = round_up(K_tiles, K_block_tiles)`), and its compute kernel multiplies
    // the padding.
    let kt_work = if minimal {
        ceil_div(kt, in0_block_w) * in0_block_w
    } else {
        kt
    };
    let products = tri!(mul(
        tri!(mul(rows, s.per_core_n, "matmul tiles")),
        kt_work,
        "matmul tiles",
    ));
    let a_tile = some_or!(a.tile_bytes(hw), overflow);
    let b_tile = some_or!(b.tile_bytes(hw), overflow);
    // A config ttnn generates shrinks the output block until its circular buffers fit in L1;
    // `b` is then read again for each row of output blocks, `a` for each column.
    let (block_h, block_w) = if auto && matches!(s.reads, Reads::Once) {
        let cbs = CbSizes {
            // ttnn sizes the buffers by 32x32 tiles of each dtype.
            a_tile: hw.tile_bytes(a.dtype) as u64,
            b_tile: hw.tile_bytes(b.dtype) as u64,
            interm_tile: max(
                hw.tile_bytes(DType::Bfloat16) as u64,
                hw.tile_bytes(out_dtype) as u64,
            ),
            bias_tile: match bias {
                Some(bias) => hw.tile_bytes(bias.dtype) as u64,
                None => 0,
            },
            block_w: in0_block_w,
            shard_w: match a.memory.shard {
                Some(shard) if a.memory.layout.is_sharded() => shard.shape[1] as u64 / 32,
                _ => 0,
            },
            transpose_a,
        };
        out_block(
            s.per_core_m,
            s.per_core_n,
            &cbs,
            hw.l1_bytes_per_core - hw.l1_reserved_bytes,
        )
    } else if minimal {
        // The config's blocks, each with all of K (`compute.cpp`: K_blocks per output block).
        (min(m_block, s.per_core_m), min(n_block, s.per_core_n))
    } else {
        (s.per_core_m, s.per_core_n)
    };
    let (block_rows, block_cols) = (
        ceil_div(s.per_core_m, block_h),
        ceil_div(s.per_core_n, block_w),
    );
    let out_blocks = block_rows * block_cols;
    // Unfused, each further batch of a multicast config whose work spans more than one core
    // restarts each output block with a multicast handshake.
    let split_m = if fused { mt_all } else { mt };
    let busy_cores = ceil_div(split_m, s.per_core_m).saturating_mul(ceil_div(nt, s.per_core_n));
    let batch_mcasts = if matches!(s.reads, Reads::Once) && busy_cores > 1 {
        (s.loops - 1).saturating_mul(out_blocks)
    } else {
        0
    };
    // matmul_block calls: one per output subblock and K tile. A tall 1D split with a sharded
    // output must take all of the block's width as the subblock width (1x1 past 8 tiles).
    let (sub_h, sub_w) = if given_sub_h > 0 {
        (given_sub_h, given_sub_w)
    } else {
        subblock(block_h, block_w, s.tall && out_memory.layout.is_sharded())
    };
    let subblock_calls = div(products, sub_h * sub_w);
    // K blocks the busiest core steps through in sequence.
    let blocks = tri!(mul(
        tri!(mul(s.loops, out_blocks, "matmul tiles")),
        ceil_div(kt, in0_block_w),
        "matmul tiles"
    ));
    let rpp = max(hw.rows_per_pass as u64, 1);
    let pass_fraction = min(ceil_div(a_rows as u64, rpp) * rpp, 32) as f64 / 32.0;
    let cycles = products as f64 * hw.tile_cycles(fidelity(fidelity_param)) as f64 * pass_fraction;
    let compute_ns = cx.cycles_to_ns(cycles);

    // Bytes.
    // Output tiles have the rows of `a`'s tiles.
    let out_tile = hw.tile_bytes(out_dtype) as u64 * a_rows as u64 / 32;
    let a_bytes = tri!(mul(batch_a * mt * kt, a_tile, "matmul bytes"));
    let b_bytes = tri!(mul(
        tri!(mul(batch_b, kt * nt, "matmul bytes")),
        b_tile,
        "matmul bytes",
    ));
    let out_bytes = tri!(mul(
        tri!(mul(mt_all, nt, "matmul bytes")),
        out_tile,
        "matmul bytes"
    ));
    // A single `a` serving every batch of `b` is read once per batch; one matrix of `b` is
    // what a row block of the output reads.
    // `batch / batch_a` and `b_bytes / batch_b`, without dividing: `batch_a` is `batch` or 1,
    // and `b_bytes` was checked.
    let a_per_batch = tri!(mul(
        a_bytes,
        if batch_a == batch { 1 } else { batch },
        "matmul bytes"
    ));
    let b_matrix = kt * nt * b_tile;
    let (a_reads, b_reads) = match s.reads {
        Reads::Once => (
            tri!(mul(a_per_batch, block_cols, "matmul bytes")),
            tri!(mul(b_bytes, block_rows, "matmul bytes")),
        ),
        Reads::PerBlock => (
            tri!(mul(a_per_batch, ceil_div(nt, s.per_core_n), "matmul bytes")),
            tri!(mul(
                b_matrix,
                ceil_div(mt_all, s.per_core_m),
                "matmul bytes"
            )),
        ),
        Reads::PerTile => (
            tri!(mul(a_per_batch, nt, "matmul bytes")),
            tri!(mul(b_matrix, mt_all, "matmul bytes")),
        ),
    };
    let bias_bytes = match bias {
        Some(bias) if bias.memory.is_dram() => some_or!(bias.bytes(hw), overflow),
        _ => 0,
    };
    let dram_bytes = [
        (a.memory.is_dram(), a_reads),
        (b.memory.is_dram(), b_reads),
        (out_memory.is_dram(), out_bytes),
    ];
    let mut dram_total = bias_bytes;
    let mut i = 0;
    while i < dram_bytes.len() {
        if dram_bytes[i].0 {
            dram_total = some_or!(
                dram_total.checked_add(dram_bytes[i].1),
                Error::Overflow {
                    what: "matmul bytes",
                }
            );
        }
        i += 1;
    }
    let dram_ns = cx.dram_ns(dram_total);

    // NoC traffic of the busiest core. Each block is a part of a total checked above, so its
    // plain product cannot overflow; the per-tile re-reads and the sums saturate.
    let a_block = if a.memory.is_l1_sharded() {
        0
    } else {
        (rows * kt * a_tile).saturating_mul(block_cols)
    };
    let b_loops = if batch_b > 1 { s.loops } else { 1 };
    // A DRAM-sharded config's worker reads `b` from its own bank (the bank's adjacent
    // worker, `get_optimal_dram_bank_to_logical_worker_assignment`): the bank's bandwidth,
    // the DRAM term, bounds it, not the NoC.
    let b_block = if matches!(config, ProgramConfig::DramSharded) {
        0
    } else {
        (b_loops * kt * s.per_core_n * b_tile).saturating_mul(block_rows)
    };
    // Each output block starts with its first K block of `a` (unless local) and of `b`, which
    // nothing overlaps (with one K block, as height-sharded `a` takes all of K, nothing hides
    // any of it): the sweep's time per product is ~70 ns plus ~140 ns over the block's height.
    let a_first = if a.memory.is_l1_sharded() {
        0
    } else {
        block_h * in0_block_w * a_tile
    };
    // Transfers of the smaller tile, at its rate from the card's table.
    let tile_rate = if a_tile <= b_tile {
        hw.noc_bytes_per_cycle_of_tiles(a)
    } else {
        hw.noc_bytes_per_cycle_of_tiles(b)
    };
    let first_block_ns = cx.noc_ns_at(a_first + in0_block_w * block_w * b_tile, tile_rate);
    let first_blocks_ns = first_block_ns * out_blocks as f64;
    // Unfused, each further batch starts its output blocks again.
    let batch_blocks_ns = first_blocks_ns * (s.loops - 1) as f64;
    let written = if out_memory.is_l1_sharded() {
        0
    } else {
        // `products / max(kt, 1)`: the output tiles, without dividing.
        (if kt > 0 { rows * s.per_core_n } else { 0 }) * out_tile
    };
    let inbound = match s.reads {
        Reads::PerTile => products.saturating_mul(a_tile + b_tile),
        _ => a_block.saturating_add(b_block),
    };
    let noc_ns = cx.noc_ns_at(inbound.saturating_add(written), tile_rate);

    // Tiles the busiest core unpacks and packs, beside its tile products.
    let input_tiles = match s.reads {
        Reads::PerTile => products.saturating_mul(2),
        _ => (rows + s.per_core_n * b_loops).saturating_mul(kt),
    };
    let output_tiles = rows * s.per_core_n;
    let ns_per_cycle = cx.cycles_to_ns(1.0);
    Ok(MatmulRooflineFeatures {
        overhead_ns: 1.0,
        compute_scale: compute_ns,
        input_tile_cycles: input_tiles as f64 * ns_per_cycle,
        output_tile_cycles: output_tiles as f64 * ns_per_cycle,
        dram_scale: dram_ns,
        noc_scale: noc_ns,
        subblock_cycles: subblock_calls as f64 * ns_per_cycle,
        block_ns: blocks as f64,
        first_block_scale: first_blocks_ns,
        batch_block_scale: batch_blocks_ns,
        batch_mcast_ns: batch_mcasts as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FUSED: Batches = Batches {
        count: 1,
        fused: true,
    };

    #[test]
    fn two_d_split_covers_the_output() {
        let s = split(ProgramConfig::Mcast2d, 10, 20, 8, 8, OneD::Longer, FUSED);
        assert_eq!((s.per_core_m, s.per_core_n, s.loops), (2, 3, 1));
        assert!(s.per_core_m * 8 >= 10 && s.per_core_n * 8 >= 20);
    }

    #[test]
    fn auto_picks_one_d_for_a_single_tile_row() {
        let s = split(ProgramConfig::Auto, 1, 40, 8, 8, OneD::Longer, FUSED);
        assert_eq!((s.per_core_m, s.per_core_n, s.reads), (1, 1, Reads::Once));
        assert!(!s.tall);
    }

    #[test]
    fn reuse_split_prefers_whole_rows() {
        let s = split(
            ProgramConfig::MultiCoreReuse,
            4,
            8,
            2,
            2,
            OneD::Longer,
            FUSED,
        );
        assert_eq!((s.per_core_m, s.per_core_n), (1, 8));
        assert_eq!(s.reads, Reads::PerBlock);
    }

    #[test]
    fn sharding_forces_the_one_d_direction() {
        // Unforced, the longer side is split; height-sharded `a` splits M even when N is
        // longer, width-sharded `a` splits N even when M is.
        let s = split(ProgramConfig::Mcast1d, 40, 4, 8, 1, OneD::Longer, FUSED);
        assert_eq!((s.per_core_m, s.per_core_n, s.tall), (5, 4, true));
        let s = split(ProgramConfig::Mcast1d, 4, 40, 8, 1, OneD::Tall, FUSED);
        assert_eq!((s.per_core_m, s.per_core_n, s.tall), (1, 40, true));
        let s = split(ProgramConfig::Mcast1d, 40, 4, 8, 1, OneD::Wide, FUSED);
        assert_eq!((s.per_core_m, s.per_core_n, s.tall), (40, 1, false));
    }

    #[test]
    fn unfused_batches_split_one_batch_and_loop() {
        // 12 batches of 1 x 1 output tiles on 8 x 8 cores: fused, 12 tile rows spread over the
        // grid (one row per core); unfused, one batch's single tile on one core, 12 times.
        let fused = Batches {
            count: 12,
            fused: true,
        };
        let s = split(ProgramConfig::Auto, 12, 1, 8, 8, OneD::Tall, fused);
        assert_eq!((s.per_core_m, s.per_core_n, s.loops), (1, 1, 1));
        let unfused = Batches {
            count: 12,
            fused: false,
        };
        let s = split(ProgramConfig::Auto, 12, 1, 8, 8, OneD::Tall, unfused);
        assert_eq!((s.per_core_m, s.per_core_n, s.loops), (1, 1, 12));
        // 32 batches of 100 x 16 tiles on 11 x 10 cores, tall: each core takes one tile row
        // of a batch (100 cores busy) and goes over all 32 batches.
        let unfused = Batches {
            count: 32,
            fused: false,
        };
        let s = split(
            ProgramConfig::Mcast1d,
            3200,
            16,
            11,
            10,
            OneD::Longer,
            unfused,
        );
        assert_eq!(
            (s.per_core_m, s.per_core_n, s.loops, s.tall),
            (1, 16, 32, true)
        );
        // A 2D split of one batch: 4 x 4 tiles of each of 8 batches on 2 x 2 cores.
        let unfused = Batches {
            count: 8,
            fused: false,
        };
        let s = split(ProgramConfig::Mcast2d, 32, 4, 2, 2, OneD::Longer, unfused);
        assert_eq!((s.per_core_m, s.per_core_n, s.loops), (2, 2, 8));
    }

    #[test]
    fn minimal_split_pads_to_whole_blocks() {
        // The Wormhole CLIP trace's `[32, 1280] @ [1280, 5120]` with MinimalMatmulConfig
        // M_block 2, N_block 8 on 8 x 8 cores: 1 M tile pads to one 2-tile block (1 grid row
        // busy); 160 N tiles are 20 blocks, div_up(20, 8) = 3 per column: 24 tiles.
        let s = minimal_split(1, 160, 8, 8, 2, 8);
        assert_eq!((s.per_core_m, s.per_core_n, s.loops), (2, 24, 1));
        assert_eq!(s.reads, Reads::Once);
        // 40 N tiles are 5 blocks: one per column.
        let s = minimal_split(1, 40, 8, 8, 2, 8);
        assert_eq!((s.per_core_m, s.per_core_n), (2, 8));
    }

    #[test]
    fn subblocks_as_ttnn_picks_them() {
        // The first of SUBBLOCK_HW_CHOICES dividing the block.
        assert_eq!(subblock(4, 4, false), (4, 2));
        assert_eq!(subblock(2, 8, false), (2, 4));
        assert_eq!(subblock(1, 16, false), (1, 8));
        assert_eq!(subblock(3, 3, false), (3, 1));
        assert_eq!(subblock(5, 7, false), (1, 7));
        assert_eq!(subblock(1, 1, false), (1, 1));
        // Sharded output of a tall split: (1, per_core_N) when it fits in dest...
        assert_eq!(subblock(4, 4, true), (1, 4));
        assert_eq!(subblock(2, 8, true), (1, 8));
        // ...else 1 x 1.
        assert_eq!(subblock(4, 9, true), (1, 1));
        assert_eq!(subblock(1, 16, true), (1, 1));
    }

    /// Tile sizes that make the buffer bytes easy to work by hand: `2 * (a_tile * h + w) +
    /// a_tile * h * w` with one K tile per block and no intermediate, bias or shard.
    const fn toy_cbs(a_tile: u64) -> CbSizes {
        CbSizes {
            a_tile,
            b_tile: 1,
            interm_tile: 0,
            bias_tile: 0,
            block_w: 1,
            shard_w: 0,
            transpose_a: false,
        }
    }

    #[test]
    fn output_block_shrinks_as_ttnn_shrinks_it() {
        let cbs = toy_cbs(10);
        // 4x4 needs 2 * 44 + 160 = 248 bytes.
        assert_eq!(out_block(4, 4, &cbs, 249), (4, 4), "fits whole");
        // With 70 bytes: the squarest pair of product 8 needs 128+ and of product 4, (2, 2),
        // needs 84, so ttnn never tries (1, 4) (68). Of product 2, (1, 2) and (2, 1) are equally
        // square and ttnn keeps the one it meets last, (2, 1): 62 bytes fit.
        assert_eq!(out_block(4, 4, &cbs, 70), (2, 1));
        // Nothing fits: 1 x 1.
        assert_eq!(out_block(4, 4, &cbs, 10), (1, 1));
        // The sweep's 20-tile shard over K = 27 tiles, one bfloat16 column of `b`, in the
        // Wormhole budget of 1499136 - 162048 bytes: 10 rows need 1810432 bytes, 5 need 960512.
        let sweep = CbSizes {
            a_tile: 2048,
            b_tile: 2048,
            interm_tile: 2048,
            bias_tile: 0,
            block_w: 27,
            shard_w: 27,
            transpose_a: false,
        };
        assert_eq!(sweep.bytes(10, 1), 1810432);
        assert_eq!(sweep.bytes(5, 1), 960512);
        assert_eq!(out_block(20, 1, &sweep, 1499136 - 162048), (5, 1));
        // A prime height has no divisor between 1 and itself.
        assert_eq!(out_block(19, 1, &sweep, 1499136 - 162048), (1, 1));
    }

    #[test]
    fn default_block_width() {
        assert_eq!(default_in0_block_w(32, true, false), 4);
        assert_eq!(default_in0_block_w(9, true, false), 3);
        assert_eq!(default_in0_block_w(7, true, false), 1);
        assert_eq!(default_in0_block_w(9, true, true), 9);
        assert_eq!(default_in0_block_w(6, false, false), 2);
        assert_eq!(default_in0_block_w(3, false, false), 1);
    }
}
