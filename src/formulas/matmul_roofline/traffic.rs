//! The traffic of the product: the bytes it moves to and from DRAM (each input read again as
//! its blocks are, the output written), and the NoC traffic into and out of the busiest core,
//! with the first K block of each output block that nothing overlaps.

use super::blocking::Blocks;
use super::operands::Operands;
use super::split::{Reads, Work};
use crate::error::Error;
use crate::generated::op_params::matmul::ProgramConfig;
use crate::model::{Ctx, ceil_div, max, mul};

/// Time of the bytes read and written in DRAM, at the achievable bandwidth.
#[inline(always)]
pub(super) const fn dram_ns(
    cx: &Ctx<'_>,
    q: &Operands<'_>,
    w: &Work,
    blocks: &Blocks,
) -> Result<f64, Error> {
    let hw = cx.hw;
    let (a, b, bias, out_memory) = (q.a, q.b, q.bias, q.out_memory);
    let (batch_a, batch_b, batch, mt, kt, nt) = (q.batch_a, q.batch_b, q.batch, q.mt, q.kt, q.nt);
    let (a_tile, b_tile, out_tile) = (q.a_tile, q.b_tile, q.out_tile);
    let (s, mt_all) = (&w.s, w.mt_all);
    let (block_rows, block_cols) = (blocks.block_rows, blocks.block_cols);
    // A bias too large to count is an overflow of the tiles.
    let overflow = Error::Overflow {
        what: "matmul tiles",
    };
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
    // Unfused, a `b` shared by the batches is read again in each batch's loop.
    let b_per_loops = if batch_b == 1 {
        tri!(mul(b_bytes, s.loops, "matmul bytes"))
    } else {
        b_bytes
    };
    let (a_reads, b_reads) = match s.reads {
        Reads::Once => (
            tri!(mul(a_per_batch, block_cols, "matmul bytes")),
            tri!(mul(b_per_loops, block_rows, "matmul bytes")),
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
    Ok(cx.dram_ns(dram_total))
}

/// The busiest core's NoC time, and the part of it that nothing overlaps.
#[derive(Debug, Clone, Copy)]
pub(super) struct Noc {
    /// Bytes into and out of the busiest core, at the NoC rate of tile transfers.
    pub(super) noc_ns: f64,
    /// The first K block of each output block.
    pub(super) first_blocks_ns: f64,
    /// The same blocks loaded again by each further unfused batch.
    pub(super) batch_blocks_ns: f64,
    /// `minimal`: the first K block's way to the farthest core of its chain.
    pub(super) chain_fill_ns: f64,
}

/// NoC traffic of the busiest core. Each block is a part of a total checked before, so its
/// plain product cannot overflow; the per-tile re-reads and the sums saturate.
#[inline(always)]
pub(super) const fn noc(
    cx: &Ctx<'_>,
    q: &Operands<'_>,
    w: &Work,
    blocks: &Blocks,
    products: u64,
) -> Noc {
    let hw = cx.hw;
    let (a, b, config, out_memory) = (q.a, q.b, q.config, q.out_memory);
    let (kt, a_tile, b_tile, out_tile) = (q.kt, q.a_tile, q.b_tile, q.out_tile);
    // Unfused, each loop reads its batch's `b`, or the shared one again.
    let (s, rows, b_loops) = (&w.s, w.rows, w.s.loops);
    let Blocks {
        in0_block_w,
        block_h,
        block_w,
        block_rows,
        block_cols,
        out_blocks,
        ..
    } = *blocks;
    let a_block = if a.memory.is_l1_sharded() {
        0
    } else {
        (rows * kt * a_tile).saturating_mul(block_cols)
    };
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
    let b_first = in0_block_w * block_w * b_tile;
    // A DRAM-sharded worker streams its first block of `b` from its own bank like every
    // other: the DRAM term holds it.
    let b_first_exposed = if matches!(config, ProgramConfig::DramSharded) {
        0
    } else {
        b_first
    };
    // A first block in DRAM is read at one core's DRAM rate before it crosses the NoC (a
    // multicast input's sender reads it, then sends it on): both times, one after the other.
    let from_dram = if a.memory.is_dram() { a_first } else { 0 }
        + if b.memory.is_dram() { b_first_exposed } else { 0 };
    let first_block_ns = cx.noc_ns_at(a_first + b_first_exposed, tile_rate)
        + cx.noc_ns_at(from_dram, hw.dram_core_bytes_per_cycle);
    // `minimal`'s first block goes down its chain instead (`chain_fill_ns`).
    let first_blocks_ns = if q.minimal {
        0.0
    } else {
        first_block_ns * out_blocks as f64
    };
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
    // `minimal`: a K block of `a` enters each row of the grid at its first core and of `b`
    // each column, and every core writes it on to the next once that one is ready
    // (`dm_in0_sender.cpp`, `dm_in1_sender_out.cpp`); the farthest core's first block waits
    // for its read and every hop of the longer chain, which nothing overlaps.
    let chain_fill_ns = if q.minimal {
        let (gx, gy) = (cx.grid.x as u64, cx.grid.y as u64);
        // `M` over the grid's rows, or its columns for an output taller than wide.
        let (cores_m, cores_n) = if w.mt_all > q.nt { (gx, gy) } else { (gy, gx) };
        // A block times its hops: saturating, as the per-tile re-reads.
        let a_chain = cores_n.saturating_sub(1).saturating_mul(block_h * in0_block_w * a_tile);
        let b_chain = cores_m.saturating_sub(1).saturating_mul(b_first);
        first_block_ns + cx.noc_ns_at(max(a_chain, b_chain), tile_rate)
    } else {
        0.0
    };
    Noc {
        noc_ns,
        first_blocks_ns,
        batch_blocks_ns,
        chain_fill_ns,
    }
}
