//! The compute of the busiest core: its tile products (with the `minimal` config's K padding),
//! their cycles at the math fidelity, the `matmul_block` calls, the K blocks it steps through,
//! the multicast handshakes of unfused batches, and the tiles it unpacks and packs.

use super::blocking::Blocks;
use super::operands::Operands;
use super::split::{Reads, Work};
use crate::error::Error;
use crate::model::{Ctx, ceil_div, div, max, min, mul};

/// Tile products of the busiest core, with K blocks of `in0_block_w` tiles.
#[inline(always)]
pub(super) const fn tile_products(
    q: &Operands<'_>,
    w: &Work,
    in0_block_w: u64,
) -> Result<u64, Error> {
    let (kt, minimal) = (q.kt, q.minimal);
    let (s, rows) = (&w.s, w.rows);
    // Compute on the busiest core; the `minimal` config pads K up to whole K blocks too
    // (`padded_K_tiles = round_up(K_tiles, K_block_tiles)`), and its compute kernel multiplies
    // the padding.
    let kt_work = if minimal {
        ceil_div(kt, in0_block_w) * in0_block_w
    } else {
        kt
    };
    mul(
        tri!(mul(rows, s.per_core_n, "matmul tiles")),
        kt_work,
        "matmul tiles",
    )
}

/// What the busiest core computes besides its tile products.
#[derive(Debug, Clone, Copy)]
pub(super) struct Compute {
    /// Output blocks restarted with a multicast handshake by further unfused batches.
    pub(super) batch_mcasts: u64,
    /// `matmul_block` calls.
    pub(super) subblock_calls: u64,
    /// K blocks stepped through in sequence.
    pub(super) blocks: u64,
    /// The tile products' time.
    pub(super) compute_ns: f64,
}

/// The busiest core's `products` tile products in time, and the calls, blocks and
/// handshakes they take.
#[inline(always)]
pub(super) const fn compute(
    cx: &Ctx<'_>,
    q: &Operands<'_>,
    w: &Work,
    blocks: &Blocks,
    products: u64,
) -> Result<Compute, Error> {
    let hw = cx.hw;
    let (mt, kt, nt, a_rows, fidelity) = (q.mt, q.kt, q.nt, q.a_rows, q.fidelity);
    let (s, mt_all, fused) = (&w.s, w.mt_all, w.fused);
    let Blocks {
        in0_block_w,
        out_blocks,
        sub_h,
        sub_w,
        ..
    } = *blocks;
    // Unfused, each further batch of a multicast config whose work spans more than one core
    // restarts each output block with a multicast handshake.
    let split_m = if fused { mt_all } else { mt };
    let busy_cores = ceil_div(split_m, s.per_core_m).saturating_mul(ceil_div(nt, s.per_core_n));
    let batch_mcasts = if matches!(s.reads, Reads::Once) && busy_cores > 1 {
        (s.loops - 1).saturating_mul(out_blocks)
    } else {
        0
    };
    // matmul_block calls: one per output subblock and K tile, a row or column the subblocks
    // do not divide ending in a narrower call (the DRAM-sharded factory's padded row).
    let (rows, per_core_n) = (w.rows, s.per_core_n);
    let k_tiles = div(products, rows * per_core_n);
    let subblock_calls = ceil_div(rows, sub_h)
        .saturating_mul(ceil_div(per_core_n, sub_w))
        .saturating_mul(k_tiles);
    // K blocks the busiest core steps through in sequence.
    let blocks = tri!(mul(
        tri!(mul(s.loops, out_blocks, "matmul tiles")),
        ceil_div(kt, in0_block_w),
        "matmul tiles"
    ));
    let rpp = max(hw.rows_per_pass as u64, 1);
    let pass_fraction = min(ceil_div(a_rows as u64, rpp) * rpp, 32) as f64 / 32.0;
    let cycles = products as f64 * hw.tile_cycles(fidelity) as f64 * pass_fraction;
    let compute_ns = cx.cycles_to_ns(cycles);
    Ok(Compute {
        batch_mcasts,
        subblock_calls,
        blocks,
        compute_ns,
    })
}

/// Tiles the busiest core unpacks and packs, beside its `products` tile products.
#[inline(always)]
pub(super) const fn unpacked_and_packed(
    w: &Work,
    blocks: &Blocks,
    core: &Compute,
    products: u64,
) -> (u64, u64) {
    let (s, rows) = (&w.s, w.rows);
    // Each matmul_block call keeps one tile of the subblock's shorter side in its source
    // register while it unpacks the longer side's tiles against it, once for each tile of
    // the shorter side: `min * (max + 1)` tiles (tt-llk `llk_unpack_AB_matmul.h`, `reuse_a =
    // ct_dim >= rt_dim`).
    let (short, long) = (min(blocks.sub_h, blocks.sub_w), max(blocks.sub_h, blocks.sub_w));
    let input_tiles = match s.reads {
        Reads::PerTile => products.saturating_mul(2),
        _ => core.subblock_calls.saturating_mul(short * (long + 1)),
    };
    let output_tiles = rows * s.per_core_n;
    (input_tiles, output_tiles)
}

