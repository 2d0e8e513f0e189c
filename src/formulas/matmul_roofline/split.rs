//! The work split: the program config as ttnn chooses it for the query (a 1D config for
//! height- or width-sharded `a`, the batches fused into `M` or not, which way a 1D split runs)
//! and the output tiles of the busiest core that it gives over the query's grid.

use super::blocking::{dram_2d_blocks, mcast_1d_block_w, per_core_factor};
use super::operands::Operands;
use crate::error::Error;
use crate::generated::op_params::matmul::ProgramConfig;
use crate::model::{Ctx, ceil_div, largest_divisor, max, min, mul};
use crate::tensor::{MemoryLayout, ShardOrientation};

/// How output blocks are spread over cores and how often inputs are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reads {
    /// Each input read once (multicast).
    Once,
    /// Each core reads its own blocks.
    PerBlock,
    /// Every output tile reads its full row of `a` and column of `b`.
    PerTile,
}

/// Output tiles of the busiest core and the read pattern.
#[derive(Debug, Clone, Copy)]
pub(super) struct Split {
    pub(super) per_core_m: u64,
    pub(super) per_core_n: u64,
    pub(super) reads: Reads,
    /// Times the busiest core goes over its output block: the batches when ttnn does not fuse
    /// them into `M` (see [`Batches`]), else 1.
    pub(super) loops: u64,
    /// A 1D split along `M` (`b` multicast, `a` per core).
    pub(super) tall: bool,
    /// The receivers whose ready signals a multicast sender waits for before each K block
    /// (0 without a multicast).
    pub(super) acks: u64,
}

impl Split {
    /// A multicast split gone over once: `per_core_m` x `per_core_n` tiles a core, along `M`
    /// when `tall`, each block's sender waiting for `acks` receivers.
    const fn once(per_core_m: u64, per_core_n: u64, tall: bool, acks: u64) -> Split {
        Split {
            per_core_m,
            per_core_n,
            reads: Reads::Once,
            loops: 1,
            tall,
            acks,
        }
    }
}

/// The receivers of a multicast to `cores` cores, the sender among them.
const fn receivers(cores: u64) -> u64 {
    cores.saturating_sub(1)
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

/// The split of the query's work and how the busiest core goes over it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Work {
    pub(super) s: Split,
    /// Output tile rows of all batches.
    pub(super) mt_all: u64,
    /// Whether ttnn fuses the batches into `M` (see [`Batches`]).
    pub(super) fused: bool,
    /// Output rows of the busiest core over all its loops.
    pub(super) rows: u64,
    /// K tiles per block and output block of the config ttnn generates, when it fixes them
    /// (0 and (0, 0): the blocking picks them; it always picks the subblock).
    pub(super) block_w: u64,
    pub(super) out_block: (u64, u64),
}

/// The program config ttnn runs for the query and the busiest core's part of the work.
#[inline(always)]
pub(super) const fn work_split(cx: &Ctx<'_>, q: &Operands<'_>) -> Result<Work, Error> {
    let hw = cx.hw;
    let (config, minimal) = (q.config, q.minimal);
    let (mt, nt) = (q.mt, q.nt);
    let mt_all = tri!(mul(q.batch, mt, "matmul tiles"));
    let (gx, gy) = (cx.grid.x as u64, cx.grid.y as u64);
    let generated = match simple_config(cx, q, mt_all) {
        Some(g) => Some(g),
        None => match user_grid_config(cx, q, mt_all) {
            Some(g) => Some(g),
            None => sharded_config(q, mt_all),
        },
    };
    if let Some(g) = generated {
        return Ok(Work {
            rows: tri!(mul(g.s.per_core_m, g.s.loops, "matmul tiles")),
            s: g.s,
            mt_all,
            fused: g.fused,
            block_w: g.block_w,
            out_block: g.out_block,
        });
    }
    // The config the call gives, or (a batched `b`, a one-core shard) the one the split takes.
    let (split_config, one_d, batches) = program_config(q);
    let fused = batches.fused;
    let s = if minimal {
        minimal_split(mt_all, nt, gx, gy, minimal_blocks(q))
    } else if matches!(config, ProgramConfig::DramSharded) {
        // tt-metal `matmul_multi_core_reuse_dram_sharded_optimized`: the products run on one
        // worker per DRAM bank (`get_optimal_dram_bank_to_logical_worker_assignment`), each
        // over its bank's `N / banks` columns of `b` and all of `a`, which the in0 shard cores
        // multicast to them; the grid's other cores only hold `a`'s shards.
        let per_core_n = ceil_div(nt, max(hw.dram_channels as u64, 1));
        // The in0 shard cores multicast `a`'s blocks to the workers, none of them a sender
        // (`in0_mcast_num_dests = num_worker_cores`,
        // `matmul_multicore_reuse_mcast_dram_sharded_program_factory.cpp`).
        Split::once(mt_all, per_core_n, false, ceil_div(nt, per_core_n))
    } else {
        split(split_config, mt_all, nt, gx, gy, one_d, batches)
    };
    // Output rows of the busiest core over all its loops.
    let rows = tri!(mul(s.per_core_m, s.loops, "matmul tiles"));
    Ok(Work {
        s,
        mt_all,
        fused,
        rows,
        block_w: 0,
        out_block: (0, 0),
    })
}

/// What both branches of [`simple_config`] read of the query.
struct Simple {
    mt_all: u64,
    mt: u64,
    kt: u64,
    nt: u64,
    gx: u64,
    gy: u64,
    batches: Batches,
    /// One batch's padded height and `b`'s padded width, in elements.
    height: u64,
    width: u64,
}

/// The config ttnn generates for a matmul given neither a config nor a core grid whose
/// operands and output are interleaved (tt-metal `create_simple_matmul_program_config`,
/// `matmul_program_config.cpp`): [`dram_config`] when all three are in DRAM, else
/// [`l1_config`]. The batches are not fused. `None` for any other query.
const fn simple_config(cx: &Ctx<'_>, q: &Operands<'_>, mt_all: u64) -> Option<Generated> {
    let (interleaved, all_dram) = placement(q);
    if !q.auto || q.user_grid || !interleaved {
        return None;
    }
    let simple = Simple {
        mt_all,
        mt: q.mt,
        kt: q.kt,
        nt: q.nt,
        gx: cx.grid.x as u64,
        gy: cx.grid.y as u64,
        batches: Batches {
            count: q.batch,
            fused: q.batch <= 1,
        },
        height: q.mt * q.a_rows as u64,
        width: q.nt * 32,
    };
    if all_dram {
        Some(dram_config(cx, q, &simple))
    } else {
        l1_config(cx, q, &simple)
    }
}

/// [`simple_config`] with an operand or the output interleaved in L1: not spread over the grid
/// as the all-DRAM product is, but
/// square output blocks of the largest of 16, 8, 4 or 2 tiles a side whose circular buffers
/// fit in L1, one a core, in K blocks of 2 tiles (1 for an odd `K` over several blocks); a
/// single row or column of blocks, or a shape more than 8 times wider than tall (or taller than
/// wide), runs a 1D config over the whole grid instead; one block, or more blocks than cores,
/// the config without reuse (`MatmulMultiCoreProgramConfig`). The batches are not fused. tt-metal
/// issue #56976 measured a `[1024, 5376] @ [5376, 5376]` 3.9x slower so (22 cores busy) than
/// with all three in DRAM. `None` for a batched `b` of a single `a` (that function's other
/// path).
const fn l1_config(cx: &Ctx<'_>, q: &Operands<'_>, s: &Simple) -> Option<Generated> {
    if q.batch_a == 1 && q.batch_b > 1 {
        return None;
    }
    let (mt_all, mt, kt, nt, gx, gy, batches) = (s.mt_all, s.mt, s.kt, s.nt, s.gx, s.gy, s.batches);
    let (height, width) = (s.height, s.width);
    let narrow = narrow(height, width);
    let f = per_core_factor(cx, q, 2);
    let (blocks_y, blocks_x) = (ceil_div(mt, f), ceil_div(nt, f));
    let block_w = if (blocks_y > 1 || blocks_x > 1) && kt % 2 != 0 {
        1
    } else {
        2
    };
    let no_reuse = Generated {
        s: split(ProgramConfig::MultiCore, mt_all, nt, gx, gy, OneD::Longer, batches),
        fused: batches.fused,
        block_w: 0,
        out_block: (0, 0),
    };
    if blocks_x * blocks_y > gx * gy || kt % block_w != 0 {
        return Some(no_reuse);
    }
    // `get_core_range`: the blocks' rows and columns of cores, unless one block.
    let (range_x, range_y) = if (blocks_y > 1 || blocks_x > 1) && blocks_y <= gy && blocks_x <= gx
    {
        (blocks_x, blocks_y)
    } else {
        (0, 0)
    };
    // `get_mcast_1d_config`: over the whole grid.
    let one_d = if range_y == 1 || (narrow && width > height) {
        Some(OneD::Wide)
    } else if range_x == 1 || narrow {
        Some(OneD::Tall)
    } else {
        None
    };
    if let Some(one_d) = one_d {
        Some(Generated {
            s: split(ProgramConfig::Mcast1d, mt_all, nt, gx, gy, one_d, batches),
            fused: batches.fused,
            block_w: mcast_1d_block_w(kt),
            out_block: (0, 0),
        })
    } else if range_y > 0 {
        Some(Generated {
            s: Split {
                per_core_m: f,
                per_core_n: f,
                reads: Reads::Once,
                loops: if batches.fused { 1 } else { batches.count },
                tall: false,
                acks: receivers(max(range_x, range_y)),
            },
            fused: batches.fused,
            block_w,
            // The subblock is the blocking's: the largest of tt-metal's subblock choices that
            // divides the block (its auto-tuner in the order of `SUBBLOCK_HW_CHOICES`: 4 x 2
            // for a block of 4 tiles a side or more, 2 x 2 for 2).
            out_block: (0, 0),
        })
    } else {
        Some(no_reuse)
    }
}

/// [`simple_config`] with all three tensors interleaved in DRAM, as tt-metal PR #49621 left it:
/// a core goes over one batch's `M` x `N` split once per batch; a narrow shape (one side more
/// than 8 times the other, or either at most one tile: `is_narrow_shape` with `all_dram`) runs
/// a 1D config along its longer side in K blocks of 2 tiles (1 for an odd `K`:
/// `get_mcast_1d_config`), as does a single `a` against a batched `b` (along `M`:
/// `a_batch_broadcast`); every other shape a 2D config over the whole grid, `ceil(Mt / rows)`
/// x `ceil(Nt / columns)` tiles a core, in K blocks of `Kt / columns` tiles when the columns
/// divide `Kt`, else 1, shrunk (K first, then the output block) until the circular buffers fit
/// in L1 (`get_multi_dim_per_core_factor` with `adjust_in0_block_w`). Before that PR a row of
/// blocks that fit one core row (`core_range.y == 1`) took the 1D config: tt-metal's GEMM_FLOPS
/// report's `M = 512` runs on an n150 show it.
const fn dram_config(cx: &Ctx<'_>, q: &Operands<'_>, s: &Simple) -> Generated {
    let (mt_all, kt, nt, gx, gy, batches) = (s.mt_all, s.kt, s.nt, s.gx, s.gy, s.batches);
    let (height, width) = (s.height, s.width);
    let narrow = narrow(height, width) || min(height, width) <= 32;
    let broadcast_a = q.batch_a == 1 && q.batch_b > 1;
    let one_d = if narrow && width > height && !broadcast_a {
        Some(OneD::Wide)
    } else if narrow || broadcast_a {
        Some(OneD::Tall)
    } else {
        None
    };
    if let Some(one_d) = one_d {
        return Generated {
            s: split(ProgramConfig::Mcast1d, mt_all, nt, gx, gy, one_d, batches),
            fused: batches.fused,
            block_w: mcast_1d_block_w(kt),
            out_block: (0, 0),
        };
    }
    let split = split(ProgramConfig::Mcast2d, mt_all, nt, gx, gy, OneD::Longer, batches);
    let block_w = if gx > 0 && kt % gx == 0 { kt / gx } else { 1 };
    let (per_core_m, per_core_n) = (split.per_core_m, split.per_core_n);
    let (block_h, block_n, block_w) = dram_2d_blocks(cx, q, per_core_m, per_core_n, block_w);
    Generated {
        s: split,
        fused: batches.fused,
        block_w,
        out_block: (block_h, block_n),
    }
}

/// The config ttnn generates on a grid the call gives (`user_core_grid`) for a single `b`
/// (tt-metal `create_matmul_program_config`, `matmul_program_config.cpp`), the batches fused
/// into `M`: a narrow shape (one side more than 8 times the other, or `M`, `K` or `N` at most
/// one tile) with `a` not block-sharded, or `a` height- or width-sharded, runs the 1D "systolic"
/// config (`create_matmul_1d_systolic_array_program_config`: along `M` for height-sharded `a`,
/// along `N` for width-sharded, else along the longer side) in K blocks of the largest divisor
/// of `Kt` up to `ceil(Kt / cores)`; interleaved `a` a 2D config, `ceil(Mt / rows)` x
/// `ceil(Nt / columns)` tiles a core in K blocks of the largest divisor of `Kt` up to 4;
/// block-sharded `a` a 2D config in K blocks of its shard's width and `Kt`'s greatest common
/// divisor. `None` for any other query.
const fn user_grid_config(cx: &Ctx<'_>, q: &Operands<'_>, mt_all: u64) -> Option<Generated> {
    if !q.auto || !q.user_grid || q.batch_b > 1 {
        return None;
    }
    let (mt, kt, nt) = (q.mt, q.kt, q.nt);
    let (gx, gy) = (cx.grid.x as u64, cx.grid.y as u64);
    let batches = Batches {
        count: q.batch,
        fused: true,
    };
    let a = q.a.memory;
    let (height, width) = (mt_all * q.a_rows as u64, nt * 32);
    let within_tile = kt <= 1 || mt * (q.a_rows as u64) <= 32 || nt <= 1;
    let narrow = narrow(height, width) || within_tile;
    let (one_d, block_sharded) = match a.layout {
        MemoryLayout::HeightSharded => (Some(OneD::Tall), false),
        MemoryLayout::WidthSharded => (Some(OneD::Wide), false),
        MemoryLayout::BlockSharded => (None, true),
        _ if narrow => (Some(OneD::Longer), false),
        _ => (None, false),
    };
    let (config, one_d, block_w) = match one_d {
        Some(one_d) => (
            ProgramConfig::Mcast1d,
            one_d,
            largest_divisor(kt, ceil_div(kt, max(gx * gy, 1)), false),
        ),
        None if block_sharded => {
            let shard_w = match a.shard {
                Some(shard) => shard.shape[1] as u64 / 32,
                None => 1,
            };
            (ProgramConfig::Mcast2d, OneD::Longer, gcd(shard_w, kt))
        }
        None => (ProgramConfig::Mcast2d, OneD::Longer, largest_divisor(kt, 4, false)),
    };
    Some(Generated {
        s: split(config, mt_all, nt, gx, gy, one_d, batches),
        fused: true,
        block_w,
        out_block: (0, 0),
    })
}

/// The config ttnn generates for a sharded `a` without a core grid from the call and a single
/// `b` (tt-metal `get_matmul_program_config`, `matmul_program_config.cpp`), on `a`'s shard grid
/// whatever the query's, the batches fused into `M`: height-sharded `a` (over more than one
/// core) the 1D config along `M`, a core's shard rows of all of `N`, K blocks of all of `K`;
/// width-sharded `a` the 1D config along `N`, `ceil(Nt / shard cores)` columns a core, K
/// blocks of the shard width's and `Kt`'s gcd; block-sharded `a` on a grid of several rows and
/// columns the 2D config, `ceil(Mt / grid rows)` x `ceil(Nt / grid columns)` (the grid
/// transposed for a column-major shard orientation), K blocks of the shard width's and `Kt`'s
/// gcd when the grid's columns are `Kt` over the shard width (rounded down), else 1.
/// A batched `b` (ttnn's `user_run_batched`, `get_matmul_program_config` with `matmul` false)
/// takes the config without multicast (`MatmulMultiCoreReuseProgramConfig`): a core's shard
/// rows of all of `N`, each core reading its own blocks of `b`, K blocks of the shard's width.
/// `None` for any other query.
const fn sharded_config(q: &Operands<'_>, mt_all: u64) -> Option<Generated> {
    let Some(shard) = q.a.memory.shard else {
        return None;
    };
    if !q.auto || q.user_grid || !q.a.memory.layout.is_sharded() {
        return None;
    }
    let (kt, nt) = (q.kt, q.nt);
    let (shard_h, shard_w) = (
        max(shard.shape[0] as u64 / max(q.a_rows as u64, 1), 1),
        max(shard.shape[1] as u64 / 32, 1),
    );
    if q.batch_b > 1 {
        if matches!(q.a.memory.layout, MemoryLayout::WidthSharded) {
            return None;
        }
        let s = Split {
            per_core_m: shard_h,
            per_core_n: nt,
            reads: Reads::PerBlock,
            loops: 1,
            tall: true,
            acks: 0,
        };
        return Some(Generated {
            s,
            fused: true,
            block_w: min(shard_w, kt),
            out_block: (0, 0),
        });
    }
    let (cols, rows) = (
        shard.grid.end.0.saturating_sub(shard.grid.start.0) as u64 + 1,
        shard.grid.end.1.saturating_sub(shard.grid.start.1) as u64 + 1,
    );
    let several = shard.cores > 1;
    let (s, block_w) = match q.a.memory.layout {
        MemoryLayout::HeightSharded if several => {
            let acks = receivers(ceil_div(mt_all, shard_h));
            (Split::once(shard_h, nt, true, acks), kt)
        }
        MemoryLayout::WidthSharded if several => {
            let per_core_n = ceil_div(nt, shard.cores as u64);
            let acks = receivers(ceil_div(nt, per_core_n));
            (Split::once(mt_all, per_core_n, false, acks), gcd(shard_w, kt))
        }
        MemoryLayout::BlockSharded if cols > 1 && rows > 1 => {
            let (x, y) = match shard.orientation {
                ShardOrientation::ColMajor => (rows, cols),
                ShardOrientation::RowMajor => (cols, rows),
            };
            let block_w = if x == kt / shard_w { gcd(shard_w, kt) } else { 1 };
            (two_d(mt_all, nt, x, y, 1), block_w)
        }
        _ => return None,
    };
    Some(Generated {
        s,
        fused: true,
        block_w,
        out_block: (0, 0),
    })
}

/// The greatest common divisor of `a` and `b` (`b` when `a` is 0).
const fn gcd(a: u64, b: u64) -> u64 {
    let (mut a, mut b) = (a, b);
    while b > 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Whether `a`, `b` and the output are all interleaved, and whether all three are in DRAM.
const fn placement(q: &Operands<'_>) -> (bool, bool) {
    let (a, b, out) = (q.a.memory, q.b.memory, q.out_memory);
    (
        !a.layout.is_sharded() && !b.layout.is_sharded() && !out.layout.is_sharded(),
        a.is_dram() && b.is_dram() && out.is_dram(),
    )
}

/// tt-metal's `is_narrow_shape` test of a padded height and width (elements): more than 8
/// times apart (its all-DRAM variant adds either side at most one tile).
const fn narrow(height: u64, width: u64) -> bool {
    max(height, width) / max(min(height, width), 1) > 8
}

/// A config ttnn generates with its split, batches, K blocks and output block.
struct Generated {
    s: Split,
    fused: bool,
    block_w: u64,
    out_block: (u64, u64),
}

/// The `minimal` config's blocks when its split pads to them.
const fn minimal_blocks(q: &Operands<'_>) -> Option<(u64, u64)> {
    if q.minimal_blocks {
        Some((q.m_block, q.n_block))
    } else {
        None
    }
}

/// The config the split runs by (ttnn's 1D config for height- or width-sharded `a` under
/// `auto`), which way a 1D split runs, and the batches.
const fn program_config(q: &Operands<'_>) -> (ProgramConfig, OneD, Batches) {
    let (a, b, config, minimal, auto, fuse_batch) =
        (q.a, q.b, q.config, q.minimal, q.auto, q.fuse_batch);
    let (batch_a, batch_b, batch, mt, nt) = (q.batch_a, q.batch_b, q.batch, q.mt, q.nt);
    // A config given with `fuse_batch = false` loops over the batches, `b` batched or not
    // (`matmul_multi_core_reuse_mcast_1d_program_factory.cpp`: `B` batches, `in1` read again
    // for each, at a batch stride of 0 when it is shared). The config ttnn generates fuses a
    // shared `b`'s batches into M, and a batched `b`'s when the inputs are sharded
    // (`create_simple_matmul_program_config`: `fuse_batch = false` for interleaved ones). One
    // batch has nothing to loop over.
    let interleaved = !a.memory.layout.is_sharded() && !b.memory.layout.is_sharded();
    // `minimal_matmul` takes `a` as one matrix of all its rows.
    let fused = minimal
        || batch <= 1
        || if auto {
            batch_b == 1 || (fuse_batch && !interleaved)
        } else {
            fuse_batch
        };
    let one_d = if q.mcast_in0 {
        OneD::Wide
    } else if !fused && auto {
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
    (split_config, one_d, batches)
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
        ProgramConfig::Auto | ProgramConfig::Mcast1d if tall => {
            let per_core_m = ceil_div(mt, cores);
            Split {
                per_core_m,
                per_core_n: nt,
                reads: Reads::Once,
                loops,
                tall: true,
                // `b`'s blocks go to every core with rows.
                acks: receivers(ceil_div(mt, per_core_m)),
            }
        }
        ProgramConfig::Auto | ProgramConfig::Mcast1d | ProgramConfig::DramSharded => {
            let per_core_n = ceil_div(nt, cores);
            Split {
                per_core_m: mt,
                per_core_n,
                reads: Reads::Once,
                loops,
                tall: false,
                // `a`'s blocks go to every core with columns.
                acks: receivers(ceil_div(nt, per_core_n)),
            }
        }
        ProgramConfig::MultiCoreReuse => spread(mt, nt, cores, Reads::PerBlock, loops),
        ProgramConfig::MultiCore => spread(mt, nt, cores, Reads::PerTile, loops),
        ProgramConfig::Minimal => minimal_split(mt, nt, gx, gy, None),
    }
}

/// The `minimal` config (`ttnn.experimental.minimal_matmul`), as tt-metal's
/// `minimal_matmul_factory_helper` (`ttnn/cpp/ttnn/operations/experimental/minimal_matmul/device/
/// minimal_matmul_program_factory.cpp`) splits it: `M` over the grid's rows and `N` over its
/// columns, or the other way round when the output is taller than wide (`transpose_core_grid =
/// M > N`); each side's tiles are padded up to a multiple of its cores, so every core takes
/// `ceil(tiles / cores)` of them (its last output block may be partial).
///
/// With `blocks`, as the factory at tenstorrent/tt-metal@0007784 did: `M` always over the
/// rows, `M` and `N` padded up to whole `mb` x `nb` blocks, `div_up(blocks, cores)` of them per
/// core, padding included. The traces' `MinimalMatmulOp` rows time as the split by cores
/// does, so no trace row asks for it.
const fn minimal_split(mt: u64, nt: u64, gx: u64, gy: u64, blocks: Option<(u64, u64)>) -> Split {
    let (per_core_m, per_core_n) = match blocks {
        Some((mb, nb)) => (
            ceil_div(ceil_div(mt, mb), gy) * mb,
            ceil_div(ceil_div(nt, nb), gx) * nb,
        ),
        None => {
            let (cores_m, cores_n) = if mt > nt { (gx, gy) } else { (gy, gx) };
            (ceil_div(mt, cores_m), ceil_div(nt, cores_n))
        }
    };
    Split {
        per_core_m,
        per_core_n,
        reads: Reads::Once,
        loops: 1,
        tall: false,
        // Each core forwards the block to the next: no multicast.
        acks: 0,
    }
}

/// Output blocks of `ceil(Mt / gy)` x `ceil(Nt / gx)` tiles.
const fn two_d(mt: u64, nt: u64, gx: u64, gy: u64, loops: u64) -> Split {
    let (per_core_m, per_core_n) = (ceil_div(mt, gy), ceil_div(nt, gx));
    Split {
        per_core_m,
        per_core_n,
        reads: Reads::Once,
        loops,
        tall: false,
        // `a` along each row of cores, `b` down each column: the longer run's sender waits
        // longest.
        acks: receivers(max(ceil_div(nt, per_core_n), ceil_div(mt, per_core_m))),
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
        // Each core reads its own blocks.
        acks: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::{DType, MemoryConfig, TensorParams};
    use crate::{Card, CoreGrid, Hardware, Op, OpParam, ParamValue, QueryParams};

    /// The work split of `a @ b` into `out` on a p150 (13 x 10 cores), given `grid` or none.
    fn p150_work(
        a: TensorParams,
        b: TensorParams,
        out: TensorParams,
        params: &[OpParam<'_>],
        grid: Option<CoreGrid>,
    ) -> Work {
        let inputs = [a, b];
        let hw = Hardware::of(Card::P150);
        let cx = Ctx::checked(
            Op::Matmul,
            hw,
            &QueryParams::ByName(params),
            &inputs,
            Some(&out),
            grid,
        )
        .unwrap();
        let q = super::super::operands::operands(&cx).unwrap();
        work_split(&cx, &q).unwrap()
    }

    fn tiled(dims: &[u32], dtype: DType, memory: MemoryConfig) -> TensorParams {
        TensorParams::tiled(dims, dtype, memory)
    }

    #[test]
    fn without_a_grid_an_l1_operand_gets_square_blocks_on_few_cores() {
        use MemoryConfig as M;
        let bf16 = DType::Bfloat16;
        let a = |m| tiled(&[1024, 5376], bf16, m);
        let b = tiled(&[5376, 5376], bf16, M::DRAM_INTERLEAVED);
        let out = |m| tiled(&[1024, 5376], bf16, m);
        // tt-metal #56976's `[1024, 5376] @ [5376, 5376]`, output in L1: blocks of 16 x 16 tiles
        // (their buffers, 2 x 2 x (16 + 16) input tiles and 256 output and intermediate
        // tiles of 2 KiB, 1,310,720 B, fit in the p150's 1,397,808 B; 32 would not), 2 x 11 of
        // them for the 32 x 168 output tiles: 22 cores, K blocks of 2 tiles, the subblocks the
        // blocking's (4 x 2, the first of tt-metal's choices that divides the block).
        let w = p150_work(a(M::DRAM_INTERLEAVED), b, out(M::L1_INTERLEAVED), &[], None);
        assert_eq!((w.s.per_core_m, w.s.per_core_n), (16, 16));
        assert_eq!((w.block_w, w.s.reads), (2, Reads::Once));
        assert_eq!(super::super::blocking::subblock(16, 16, false), (4, 2));
        assert_eq!(w.s.acks, 10);
        // `a` in L1 is the same.
        let w = p150_work(a(M::L1_INTERLEAVED), b, out(M::DRAM_INTERLEAVED), &[], None);
        assert_eq!((w.s.per_core_m, w.s.per_core_n), (16, 16));
        // All in DRAM, or on a grid the call gives, the blocks spread over the grid: ceil(32 /
        // 10) x ceil(168 / 13); all in DRAM in K blocks of 1 tile (13 columns do not divide 168
        // K tiles), on a given grid of 4 (the largest divisor of 168 up to 4).
        let on_grid = [OpParam::new("user_core_grid", ParamValue::Bool(true))];
        for (a_memory, out_memory, params, block_w) in [
            (M::DRAM_INTERLEAVED, M::DRAM_INTERLEAVED, &[][..], 1),
            (M::L1_INTERLEAVED, M::L1_INTERLEAVED, &on_grid[..], 4),
        ] {
            let w = p150_work(a(a_memory), b, out(out_memory), params, None);
            assert_eq!((w.s.per_core_m, w.s.per_core_n), (4, 13));
            assert_eq!(w.block_w, block_w);
        }
        // A given config is run as given.
        let mcast = [OpParam::new("program_config", ParamValue::Enum("mcast_2d"))];
        let w = p150_work(a(M::DRAM_INTERLEAVED), b, out(M::L1_INTERLEAVED), &mcast, None);
        assert_eq!((w.s.per_core_m, w.s.per_core_n), (4, 13));
    }

    #[test]
    fn all_dram_without_a_grid_runs_ttnns_dram_config() {
        use MemoryConfig as M;
        let dram = |dims: &[u32]| tiled(dims, DType::Bfloat16, M::DRAM_INTERLEAVED);
        let work = |a: &[u32], b: &[u32], out: &[u32]| p150_work(dram(a), dram(b), dram(out), &[], None);
        // 1024 x 192 is not narrow (5.3x, neither side one tile): 2D over the 13 x 10 grid
        // though its 6 columns of tiles fill half the grid's columns: ceil(32 / 10) x
        // ceil(6 / 13) = 4 x 1 tiles a core, K blocks of 1 (13 does not divide 128).
        let w = work(&[1024, 4096], &[4096, 192], &[1024, 192]);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.s.tall), (4, 1, false));
        assert_eq!((w.block_w, w.out_block), (1, (4, 1)));
        // 4096 x 384 is narrow (10.7x) and tall: 1D along M, ceil(128 / 130) = 1 row of all 12
        // columns a core, K blocks of 2.
        let w = work(&[4096, 4096], &[4096, 384], &[4096, 384]);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.s.tall), (1, 12, true));
        assert_eq!((w.block_w, w.out_block), (2, (0, 0)));
        // K = 260 tiles = 13 x 20: K blocks of 20 tiles, 4 x 3 tiles a core; their buffers,
        // 2 x 20 x (4 + 3) input tiles and 12 output and 12 intermediate tiles of 2 KiB,
        // 622,592 B, fit.
        let w = work(&[1024, 8320], &[8320, 1024], &[1024, 1024]);
        assert_eq!((w.block_w, w.out_block), (20, (4, 3)));
        // K = 832 tiles = 13 x 64: 64-tile K blocks take 1,884,160 B, over the p150's 1,397,808;
        // ttnn shrinks K before the output block: 32 tiles, 966,656 B.
        let w = work(&[1024, 26624], &[26624, 1024], &[1024, 1024]);
        assert_eq!((w.block_w, w.out_block), (32, (4, 3)));
        // On 8 x 8 of its cores a `[16384, 1024] @ [1024, 16384]`: 64 x 64 tiles a core, whose
        // output tiles alone (2 KiB and a 2 KiB intermediate each) are 16 MiB; down by area,
        // 32 x 64, 32 x 32 and 16 x 32 do not fit either, 16 x 16 does in K blocks of 2
        // (1,310,720 B; of 4, 1,572,864 B).
        let (a, b) = (dram(&[16384, 1024]), dram(&[1024, 16384]));
        let w = p150_work(a, b, dram(&[16384, 16384]), &[], Some(CoreGrid::new(8, 8)));
        assert_eq!((w.s.per_core_m, w.s.per_core_n), (64, 64));
        assert_eq!((w.block_w, w.out_block), (2, (16, 16)));
        // A batched `a` against one `b` is not fused: one batch's 16 x 32 tiles split 2D,
        // ceil(16 / 10) x ceil(32 / 13) a core, gone over for each of the 8 batches.
        let w = work(&[8, 512, 1024], &[1024, 1024], &[8, 512, 1024]);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.s.loops, w.fused), (2, 3, 8, false));
        assert_eq!(w.rows, 16);
    }

    #[test]
    fn without_a_grid_the_l1_blocks_shrink_to_fit() {
        use MemoryConfig as M;
        // A float32 output's 4 KiB intermediate tiles: 16 x 16 takes 262,144 + 256 x 6,144 =
        // 1,835,008 B, over the budget; 8 x 8 131,072 + 393,216 = 524,288 B: blocks of 8,
        // 2 x 8 of them for 16 x 64 output tiles.
        let f32_out = |dims: &[u32]| tiled(dims, DType::Float32, M::L1_INTERLEAVED);
        let bf16 = |dims: &[u32]| tiled(dims, DType::Bfloat16, M::DRAM_INTERLEAVED);
        let w = p150_work(bf16(&[512, 2048]), bf16(&[2048, 2048]), f32_out(&[512, 2048]), &[], None);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.s.acks), (8, 8, 7));
        // tt-metal #56976's shape so: 4 x 21 blocks, more columns than the grid's 13: no
        // reuse.
        let w = p150_work(
            bf16(&[1024, 5376]),
            bf16(&[5376, 5376]),
            f32_out(&[1024, 5376]),
            &[],
            None,
        );
        assert_eq!(w.s.reads, Reads::PerTile);
    }

    #[test]
    fn without_a_grid_an_l1_operand_falls_back_as_ttnn_does() {
        use MemoryConfig as M;
        let bf16 = DType::Bfloat16;
        let l1 = |dims: &[u32]| tiled(dims, bf16, M::L1_INTERLEAVED);
        let dram = |dims: &[u32]| tiled(dims, bf16, M::DRAM_INTERLEAVED);
        // More than 8 times wider than tall: the 1D config over the whole grid, N split.
        let w = p150_work(dram(&[32, 4096]), dram(&[4096, 14336]), l1(&[32, 14336]), &[], None);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.s.tall), (1, 4, false));
        assert_eq!(w.block_w, 2);
        // A single row of blocks (1 x 3 of 16 x 16 tiles): the 1D config over the grid too.
        let w = p150_work(dram(&[512, 512]), dram(&[512, 1536]), l1(&[512, 1536]), &[], None);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.s.tall), (16, 1, false));
        // One block: the config without reuse, its 64 output tiles one a core.
        let w = p150_work(dram(&[256, 256]), dram(&[256, 256]), l1(&[256, 256]), &[], None);
        assert_eq!((w.s.reads, w.s.per_core_m * w.s.per_core_n), (Reads::PerTile, 1));
        // 16 x 16 blocks of 16 x 16 tiles are more than the 130 cores: no reuse either.
        let w = p150_work(dram(&[8192, 8192]), dram(&[8192, 8192]), l1(&[8192, 8192]), &[], None);
        assert_eq!(w.s.reads, Reads::PerTile);
    }

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
    fn a_grid_the_call_gives_runs_ttnns_config_for_it() {
        use crate::tensor::{BufferType, CoreRange, ShardOrientation, ShardSpec};
        let bf16 = DType::Bfloat16;
        let on_grid = [OpParam::new("user_core_grid", ParamValue::Bool(true))];
        let grid = Some(CoreGrid::new(8, 8));
        let sharded = |layout, shape: [u32; 2]| {
            let range = CoreRange::of_grid(CoreGrid::new(8, 8));
            MemoryConfig::sharded(
                BufferType::L1,
                layout,
                ShardSpec::new(range, shape, ShardOrientation::RowMajor),
            )
        };
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        // Height-sharded `a` (SegFormer's `[16384, 128] @ [128, 32]` on 8 x 8): the systolic
        // 1D config, 8 rows a core, K blocks of ceil(4 / 64) = 1 tile (without the grid,
        // ttnn's sharded config takes all 4 at once).
        let hs = sharded(MemoryLayout::HeightSharded, [256, 128]);
        let (a, b) = (tiled(&[16384, 128], bf16, hs), tiled(&[128, 32], bf16, dram));
        let out = tiled(&[16384, 32], bf16, sharded(MemoryLayout::HeightSharded, [256, 32]));
        let w = p150_work(a, b, out, &on_grid, grid);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.s.tall), (8, 1, true));
        assert_eq!((w.block_w, w.fused), (1, true));
        // Block-sharded `a` of 32 x 32 shards: 2D, K blocks of gcd(1, 8) = 1 tile.
        let bs = sharded(MemoryLayout::BlockSharded, [32, 32]);
        let (a, b) = (tiled(&[256, 256], bf16, bs), tiled(&[256, 256], bf16, dram));
        let w = p150_work(a, b, tiled(&[256, 256], bf16, bs), &on_grid, grid);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.block_w), (1, 1, 1));
        // Interleaved and not narrow (4 x 32 tiles): 2D on the 8 x 8 grid though it has fewer
        // tile rows than the grid, ceil(4 / 8) x ceil(32 / 8) a core, K blocks of 4; narrow
        // (128 x 4096, 32x wider than tall) the systolic 1D config along N, K blocks of the
        // largest divisor of 32 up to ceil(32 / 64) = 1.
        let (a, b) = (tiled(&[128, 1024], bf16, dram), tiled(&[1024, 1024], bf16, dram));
        let w = p150_work(a, b, tiled(&[128, 1024], bf16, dram), &on_grid, grid);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.s.tall), (1, 4, false));
        assert_eq!(w.block_w, 4);
        let (a, b) = (tiled(&[128, 1024], bf16, dram), tiled(&[1024, 4096], bf16, dram));
        let w = p150_work(a, b, tiled(&[128, 4096], bf16, dram), &on_grid, grid);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.s.tall), (4, 2, false));
        assert_eq!(w.block_w, 1);
    }

    #[test]
    fn a_sharded_a_without_a_core_grid_runs_on_its_shard_grid() {
        use crate::tensor::{BufferType, CoreRange, ShardOrientation, ShardSpec};
        let bf16 = DType::Bfloat16;
        let sharded = |layout, grid: CoreGrid, shape: [u32; 2]| {
            let range = CoreRange::of_grid(grid);
            MemoryConfig::sharded(
                BufferType::L1,
                layout,
                ShardSpec::new(range, shape, ShardOrientation::RowMajor),
            )
        };
        let dram = |dims: &[u32]| tiled(dims, bf16, MemoryConfig::DRAM_INTERLEAVED);
        // Height-sharded over 8 cores of the p150's 130: each core its shard's 4 tile rows of
        // all 8 columns, all 8 K tiles at once; `b` multicast to the 8.
        let hs = sharded(MemoryLayout::HeightSharded, CoreGrid::new(8, 1), [128, 256]);
        let w = p150_work(tiled(&[1024, 256], bf16, hs), dram(&[256, 256]), dram(&[1024, 256]), &[], None);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.s.tall), (4, 8, true));
        assert_eq!((w.block_w, w.s.acks), (8, 7));
        // Width-sharded over 16 cores, 8 K tiles a shard: ceil(128 / 16) = 8 columns a core, K
        // blocks of gcd(8, 128) = 8.
        let ws = sharded(MemoryLayout::WidthSharded, CoreGrid::new(2, 8), [32, 256]);
        let w = p150_work(tiled(&[32, 4096], bf16, ws), dram(&[4096, 4096]), dram(&[32, 4096]), &[], None);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.s.tall), (1, 8, false));
        assert_eq!(w.block_w, 8);
        // Block-sharded on 4 x 4 cores, shards 8 tiles wide: 4 columns of them make K's 32
        // tiles, so K blocks of gcd(8, 32) = 8; ceil(32 / 4) x ceil(16 / 4) tiles a core.
        let bs = sharded(MemoryLayout::BlockSharded, CoreGrid::new(4, 4), [256, 256]);
        let w = p150_work(tiled(&[1024, 1024], bf16, bs), dram(&[1024, 512]), dram(&[1024, 512]), &[], None);
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.block_w), (8, 4, 8));
        // A batched `b` (SegFormer's `[1, 2, 4096, 256] @ [1, 2, 256, 32]`, `a` height-sharded
        // in shards of 256 rows over 32 cores): no multicast, each core its shard's 8 tile rows
        // of the one column, reading its own `b`, in one K block of the shard's 8 tiles.
        let hs = sharded(MemoryLayout::HeightSharded, CoreGrid::new(8, 4), [256, 256]);
        let l1 = |dims: &[u32]| tiled(dims, bf16, MemoryConfig::L1_INTERLEAVED);
        let out = sharded(MemoryLayout::HeightSharded, CoreGrid::new(8, 4), [256, 32]);
        let w = p150_work(
            tiled(&[1, 2, 4096, 256], bf16, hs),
            l1(&[1, 2, 256, 32]),
            tiled(&[1, 2, 4096, 32], bf16, out),
            &[],
            None,
        );
        assert_eq!((w.s.per_core_m, w.s.per_core_n, w.block_w), (8, 1, 8));
        assert_eq!((w.s.reads, w.s.acks), (Reads::PerBlock, 0));
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
    fn minimal_split_pads_each_side_to_its_cores() {
        // The Wormhole CLIP trace's `[32, 1280] @ [1280, 5120]` on 8 x 8 cores: wider than
        // tall, so M's 1 tile goes over the 8 grid rows (1 each, 7 idle) and N's 160 tiles
        // over the 8 columns, 20 each.
        let s = minimal_split(1, 160, 8, 8, None);
        assert_eq!((s.per_core_m, s.per_core_n, s.loops), (1, 20, 1));
        assert_eq!(s.reads, Reads::Once);
        // Glimmer's `[8192, 19968] @ [19968, 6656]` on 11 x 10 cores is taller than wide: M's
        // 256 tiles go over the 11 columns (24 each, padded from 23.3), N's 208 over the 10
        // rows (21 each, padded from 20.8).
        let s = minimal_split(256, 208, 11, 10, None);
        assert_eq!((s.per_core_m, s.per_core_n), (24, 21));
    }

    #[test]
    fn earlier_minimal_split_pads_to_whole_blocks() {
        // The same CLIP matmul by the earlier factory, M_block 2, N_block 8: 1 M tile pads to
        // one 2-tile block; 160 N tiles are 20 blocks, div_up(20, 8) = 3 per column: 24 tiles.
        let s = minimal_split(1, 160, 8, 8, Some((2, 8)));
        assert_eq!((s.per_core_m, s.per_core_n, s.loops), (2, 24, 1));
        // 40 N tiles are 5 blocks: one per column.
        let s = minimal_split(1, 40, 8, 8, Some((2, 8)));
        assert_eq!((s.per_core_m, s.per_core_n), (2, 8));
        // A taller than wide output still puts M over the rows.
        let s = minimal_split(256, 208, 11, 10, Some((8, 8)));
        assert_eq!((s.per_core_m, s.per_core_n), (32, 24));
    }
}
