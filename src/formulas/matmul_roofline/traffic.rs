//! The traffic of the product: the bytes it moves to and from DRAM (each input read again as
//! its blocks are, the output written), and the NoC traffic into and out of the busiest core,
//! with the first K block of each output block that nothing overlaps.

use super::blocking::Blocks;
use super::operands::Operands;
use super::split::{Reads, Work};
use crate::error::Error;
use crate::generated::op_params::matmul::ProgramConfig;
use crate::model::{Ctx, ceil_div, max, mul};
use crate::tensor::TensorParams;

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
    // Each page of an interleaved input is one read request to its bank's endpoint; `a`'s and
    // `b`'s readers issue on their own NoCs.
    let requests = max(
        a.dram_page_reads(a_reads, a_tile),
        b.dram_page_reads(b_reads, b_tile),
    );
    // A DRAM-sharded worker streams its own bank's shard of `b`, beside the bank: the bank
    // readers' share of the peak, not the interleaved readers'.
    Ok(if matches!(q.config, ProgramConfig::DramSharded) {
        cx.dram_bytes_or_requests_ns(dram_total - b_reads, requests) + cx.dram_bank_local_ns(b_reads)
    } else {
        cx.dram_bytes_or_requests_ns(dram_total, requests)
    })
}

/// The busiest core's NoC time, and the part of it that nothing overlaps.
#[derive(Debug, Clone, Copy)]
pub(super) struct Noc {
    /// Bytes into the busiest core from other cores' L1 and out of it, at the NoC rate of tile
    /// transfers.
    pub(super) noc_ns: f64,
    /// Bytes the busiest core reads from DRAM, at one core's DRAM read rate.
    pub(super) dram_read_ns: f64,
    /// The first K block of each output block.
    pub(super) first_blocks_ns: f64,
    /// The same blocks loaded again by each further unfused batch.
    pub(super) batch_blocks_ns: f64,
    /// `minimal`: the first K block's way to the farthest core of its chain.
    pub(super) chain_fill_ns: f64,
    /// `minimal`: the busier chain's edge core reading its share and passing it on.
    pub(super) chain_stream_ns: f64,
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
    let first_block_ns = cx.noc_ns_at(a_first + b_first_exposed, tile_rate)
        + cx.cycles_to_ns(
            dram_read_cycles(cx, a, a_first, a_tile) + dram_read_cycles(cx, b, b_first_exposed, b_tile),
        );
    // `minimal`'s first block goes down its chain instead (`chain_fill_ns`). At the op's start
    // every core asks for its first block at once: the distinct tiles of all of them (a row of
    // cores shares its `a`, a column its `b`, by multicast) come through the card's DRAM
    // together (at the slower of the bandwidth and the banks' endpoints' request rate, as in
    // the DRAM term), and no core starts before its own has come. Beyond one core's time, that
    // wait is exposed once.
    let (first_blocks_ns, start_wait_ns) = if q.minimal {
        (0.0, 0.0)
    } else {
        // Unfused batches run one after the other: one batch's rows start at once.
        let rows = if s.loops > 1 { q.mt } else { w.mt_all };
        let (row_groups, col_groups) = (
            ceil_div(rows, max(s.per_core_m, 1)),
            ceil_div(q.nt, max(s.per_core_n, 1)),
        );
        let a_all = if a.memory.is_dram() {
            row_groups.saturating_mul(a_first)
        } else {
            0
        };
        let b_all = if b.memory.is_dram() {
            col_groups.saturating_mul(b_first_exposed)
        } else {
            0
        };
        let requests = a.dram_page_reads(a_all, a_tile).saturating_add(b.dram_page_reads(b_all, b_tile));
        let all_ns = cx.dram_bytes_or_requests_ns(a_all.saturating_add(b_all), requests);
        let start_wait_ns = if all_ns > first_block_ns {
            all_ns - first_block_ns
        } else {
            0.0
        };
        (first_block_ns * out_blocks as f64, start_wait_ns)
    };
    // Unfused, each further batch starts its output blocks again (the start wait is once).
    let batch_blocks_ns = first_blocks_ns * (s.loops - 1) as f64;
    let written = if out_memory.is_l1_sharded() {
        0
    } else {
        // `products / max(kt, 1)`: the output tiles, without dividing.
        (if kt > 0 { rows * s.per_core_n } else { 0 }) * out_tile
    };
    // The busiest core's inbound bytes of each input: what it reads from DRAM comes at one
    // core's DRAM read rate, what crosses from another core's L1 (a multicast, an L1 tensor)
    // at the NoC's.
    let (a_in, b_in) = match s.reads {
        Reads::PerTile => (products.saturating_mul(a_tile), products.saturating_mul(b_tile)),
        _ => (a_block, b_block),
    };
    let from_l1 = if a.memory.is_dram() { 0 } else { a_in }
        .saturating_add(if b.memory.is_dram() { 0 } else { b_in });
    let dram_read_cycles = dram_read_cycles(cx, a, a_in, a_tile) + dram_read_cycles(cx, b, b_in, b_tile);
    // `minimal` moves its inputs down chains of cores instead (`chain_stream_ns`).
    let (noc_ns, dram_read_ns) = if q.minimal {
        (0.0, 0.0)
    } else {
        (
            cx.noc_ns_at(from_l1.saturating_add(written), tile_rate),
            cx.cycles_to_ns(dram_read_cycles),
        )
    };
    let (chain_fill_ns, chain_stream_ns) = if q.minimal {
        let first = (first_block_ns, tile_rate);
        minimal_chains(cx, q, w, blocks, first, (a_block, b_block, written))
    } else {
        (0.0, 0.0)
    };
    Noc {
        noc_ns,
        dram_read_ns,
        first_blocks_ns: first_blocks_ns + start_wait_ns,
        batch_blocks_ns,
        chain_fill_ns,
        chain_stream_ns,
    }
}

/// Cycles one core takes to read `bytes` of `t` from DRAM in pages of a `tile`: each page at
/// one core's published DRAM read rate, but no faster than the core issues page reads
/// (`dram_access.read_issue_cycles`: on Blackhole a bfloat4_b tile's 576 B take 27 cycles at
/// the rate and 36.6 to issue); 0 for a tensor in L1.
#[inline(always)]
const fn dram_read_cycles(cx: &Ctx<'_>, t: &TensorParams, bytes: u64, tile: u64) -> f64 {
    if !t.memory.is_dram() || tile == 0 {
        return 0.0;
    }
    (bytes / tile) as f64 * cx.command_cycles(cx.hw.dram_read_issue_cycles, tile)
}

/// `minimal` (`ttnn.experimental.minimal_matmul`) moves its inputs down chains of cores, not
/// by multicast: a K block of `a` enters each row of the grid at its first core and of `b` each
/// column (the other way round for an output taller than wide), and every core writes it on
/// to the next once that one is ready (`dm_in0_sender.cpp`, `dm_in1_sender_out.cpp`). Returns
/// the chain fill and the stream beyond it, in ns:
///
/// * **fill**: the farthest core's first block waits for its read (`first_block_ns`) and every
///   hop of the longer chain (at `tile_rate`, the NoC's for the smaller tile), which nothing
///   overlaps;
/// * **stream**: each chain's edge core reads the chain's whole share (`shares`: the busiest
///   core's `a` and `b` bytes and its output bytes; each core of a chain takes the same),
///   one barrier a K block, and writes each block on to the next core, one after the other on
///   one RISC-V (`read_in1_block_sync`, then the forward's `noc_async_write`); the chains of
///   `a` and `b` run on different RISC-Vs and NoCs, and `a`'s also writes the output (`b`'s
///   when the grid is transposed). The last block then still takes its hops down the chain.
///   What that takes beyond the fill: the op takes the fill plus the longer of the products
///   and this.
#[inline(always)]
const fn minimal_chains(
    cx: &Ctx<'_>,
    q: &Operands<'_>,
    w: &Work,
    blocks: &Blocks,
    (first_block_ns, tile_rate): (f64, f64),
    shares: (u64, u64, u64),
) -> (f64, f64) {
    let (a_tile, b_tile) = (q.a_tile, q.b_tile);
    let (gx, gy) = (cx.grid.x as u64, cx.grid.y as u64);
    // `M` over the grid's rows, or its columns for an output taller than wide: `b` goes down
    // the cores that split `M`, `a` along those that split `N`.
    let transposed = w.mt_all > q.nt;
    let (cores_m, cores_n) = if transposed { (gx, gy) } else { (gy, gx) };
    let (a_hops, b_hops) = (cores_n.saturating_sub(1), cores_m.saturating_sub(1));
    let Blocks {
        in0_block_w: kb,
        block_h,
        block_w,
        ..
    } = *blocks;
    // A block times its hops: saturating, as the per-tile re-reads.
    let a_first = a_hops.saturating_mul(block_h * kb * a_tile);
    let b_first = b_hops.saturating_mul(kb * block_w * b_tile);
    let fill = first_block_ns + cx.noc_ns_at(max(a_first, b_first), tile_rate);
    // The last block: the busiest core's last row and column of blocks may be partial.
    let (last_h, last_w) = (
        last_part(w.s.per_core_m, block_h),
        last_part(w.s.per_core_n, block_w),
    );
    let a_last = a_hops.saturating_mul(last_h * kb * a_tile);
    let b_last = b_hops.saturating_mul(kb * last_w * b_tile);
    let drain = cx.noc_ns_at(max(a_last, b_last), tile_rate);
    let (a_share, b_share, written) = shares;
    let (a_out, b_out) = if transposed { (0, written) } else { (written, 0) };
    let a_edge = edge_core_ns(cx, (q.a, a_tile), a_share, a_hops, a_out);
    let b_edge = edge_core_ns(cx, (q.b, b_tile), b_share, b_hops, b_out);
    let stream = (if a_edge > b_edge { a_edge } else { b_edge }) + drain;
    (fill, if stream > fill { stream - fill } else { 0.0 })
}

/// The last of `whole`'s parts of `part` (all of `part` when it divides `whole`).
const fn last_part(whole: u64, part: u64) -> u64 {
    if part == 0 || whole % part == 0 {
        part
    } else {
        whole % part
    }
}

/// One chain's edge core: its `bytes` of `t` (in tiles of `tile` bytes) read (from DRAM as
/// one core reads it, else across the NoC), written on to the next core when the chain has one
/// (`hops > 0`), and `out` bytes of output written, each at the NoC rate of `t`'s tiles.
#[inline(always)]
const fn edge_core_ns(
    cx: &Ctx<'_>,
    (t, tile): (&TensorParams, u64),
    bytes: u64,
    hops: u64,
    out: u64,
) -> f64 {
    let tile_rate = cx.hw.noc_bytes_per_cycle_of_tiles(t);
    let read_ns = if t.memory.is_dram() {
        cx.cycles_to_ns(dram_read_cycles(cx, t, bytes, tile))
    } else {
        cx.noc_ns_at(bytes, tile_rate)
    };
    let forward = if hops > 0 { bytes } else { 0 };
    read_ns + cx.noc_ns_at(forward.saturating_add(out), tile_rate)
}
