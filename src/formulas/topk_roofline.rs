//! `topk_roofline`: `ttnn.topk` (OP CODEs `TopKDeviceOperation`, `TopK`) and `ttnn.sampling`
//! (`SamplingDeviceOperation`, `Sampling`: its own kernels, see `sampling` below), a bitonic sort
//! on the vector engine of each row's tiles, transposed so a tile's 32 columns are 32 rows of
//! the tensor. tt-metal `ttnn/cpp/ttnn/operations/reduction/topk/device/`, the current kernels:
//!
//! * **Factory** (`topk_device_operation.cpp`, `select_program_factory`): the multi-core
//!   factory when the reduced (last) dim `W` is at least 8192 (`multi_core_min_width`; the
//!   current `topk_constants.hpp` lowers it to 1024 for at most 2 rows of tiles), a
//!   power of two below 65535, `k <= 64`, and `find_topk_core_config` (`topk_utils.cpp`) finds
//!   a split; otherwise the "single-core" one. ttnn.topk (`topk.cpp`) first pads a dim
//!   narrower than 64 with -/+inf, so such an input costs as 64 wide.
//! * **"Single-core"** (`topk_single_core_program_factory.cpp`): the rows of tiles
//!   (`Ht = volume / W / 32`) split over the grid (`split_work_to_cores`), each core taking
//!   whole rows of `Wt = W / 32` tiles. Per row the compute kernel (`kernels/compute/topk.cpp`,
//!   the current one: it keeps only the top `Kt = ceil(k / 32)` tiles, where an earlier one
//!   sorted all `Wt` tiles and merged them pairwise) transposes every value tile and its index
//!   tile, then inserts each new tile into the `Kt` kept ones: a full `topk_local_sort` of the
//!   64 values of a tile pair (phases 0..=5: 1 + 2 + ... + 6 = 21 compare-exchange steps) with
//!   4 tiles copied to dest and 4 packed, against each kept tile (1 merge for the first two
//!   tiles, then `min(i, Kt)` for the `i`-th of the next ones while the kept set grows to
//!   `Kt`); it ends transposing the `Kt` value and index tiles out.
//! * **Multi-core** (`topk_multi_core_program_factory.cpp`): `find_topk_core_config` tries
//!   power-of-two splits of `W` from `W / 32 / largest_pow2(max_cores) * 32` up to `W / 2`,
//!   `max_cores = (rows - 2) * (columns - 1)` of the grid, and keeps the one fitting the grid
//!   (as a rectangle), L1 and `split >= 64` with the least `7 Wt_local + 2 Wt_final`
//!   (tt-metal's own makespan model, fitted on Blackhole). Each of `W / split` local cores
//!   runs every row's `Wt_local = split / 32` tiles (`topk_local.cpp`): transposes, a
//!   `topk_local_sort` per tile pair into sorted runs of `k` (`logk (logk + 1) / 2` steps), a
//!   bitonic merge tree of `Wt_local - 1` merges (4 copies, `topk_merge` one step,
//!   `topk_rebuild` `logk` steps on the kept tile, 2 packs), and copies its `Kt` value and
//!   index tiles out. The final core (`topk_final.cpp`) copies the gathered `Wt_final = cores x
//!   max(k, 32) / 32` tiles in, merges them the same way (`Wt_final - 1` merges) and transposes
//!   `Kt` tiles out. Local and final work add, as in tt-metal's makespan model.
//! * **Reader** (`reader_create_index_tensor.cpp`): one tile read and waited for
//!   (`noc_async_read_barrier`) at a time, then its index tile built (`index_tile_cycles`):
//!   today the tile's 32 distinct indices stored and copied across it by local NoC reads
//!   (tt-metal PR #53618), before that its 1,024 indices stored one at a time
//!   (`generate_index_tile`; `index_tile_stores`). It runs beside the compute kernel (NoC
//!   term).
//!
//! The DRAM term is the input read and the `Kt`-tile-wide values and indices written.
//! Left out: the local cores' transfers of their `Kt` tiles to the final core (`cores x 2 Kt`
//! tiles a row over the NoC, beside the merge work), `sub_core_grids` other than the query's
//! grid, the newer routed variants (`topk_route_*`) and per-row kernel setup.

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::{OpParams, TopkRooflineFeatures};
use crate::device::Hardware;
use crate::model::{Ctx, ceil_div, max, min, mul};
use crate::tensor::{DType, Layout, TensorParams};

/// Values per tile row (tt-metal's `TILE_WIDTH`).
const TILE: u64 = 32;
/// `topk::constants::multi_core_min_width`.
const MULTI_CORE_MIN_WIDTH: u64 = 8192;
/// `multi_core_low_ht_min_width`: the multi-core factory's narrowest dim for a short input.
const LOW_HT_MIN_WIDTH: u64 = 1024;
/// `multi_core_low_ht_max_tile_rows`.
const LOW_HT_MAX_ROWS: u64 = 2;
/// `topk::constants::min_dim_per_core`: the narrowest dim (and core split) the op takes.
const MIN_DIM_PER_CORE: u64 = 64;
/// Compare-exchange steps of `topk_local_sort` to phase 5 (a full sort of a tile pair's 64
/// values): 1 + 2 + ... + 6.
const FULL_SORT_STEPS: u64 = 21;

/// Instructions of `generate_index_tile`'s loop an index (the value's add, the store, two
/// counter increments, the branch), one a cycle on the in-order RISC-V: tt-metal issue #52909
/// measured its 1,024 stores at 4.1 us a tile on Blackhole, ~5.4 cycles a store.
const INDEX_STORE_LOOP: f64 = 5.0;

/// Cycles for a reader to build one index tile. Each index stored in turn (`stores_each`:
/// tt-metal before PR #53618, opened 2026-08-19), at the loop's instructions or the device's
/// store rate where slower; or today's build (PR #53618, a shared `kernel_lib` header): the
/// tile's 32 distinct values in 32 stores, then 15 local NoC reads that copy them across the
/// faces, the 14 upper-face rows' reads waited for together, then the lower half's (two
/// round trips of a core's read, each read a NoC command).
const fn index_tile_cycles(hw: &Hardware, stores_each: bool) -> f64 {
    let store = hw.store_loop_cycles(INDEX_STORE_LOOP);
    if stores_each {
        1024.0 * store
    } else {
        32.0 * store + 15.0 * hw.noc_write_issue_cycles + 2.0 * hw.noc_core_read_latency_cycles
    }
}

/// The busiest core's work: transposes, tile moves, sort steps in halves (a step over a
/// pair of tiles is 2, over one tile 1), tiles read, index stores.
struct Work {
    transposes: u64,
    moves: u64,
    half_steps: u64,
    reads: u64,
}

impl Work {
    /// The sort's features of `rows` rows of this work, each cycle `cycle` ns; the other
    /// features 0.
    const fn sort_features(&self, rows: f64, cycle: f64) -> TopkRooflineFeatures {
        TopkRooflineFeatures {
            overhead_cycles: cycle,
            sort_step_cycles: rows * self.half_steps as f64 / 2.0 * cycle,
            tile_move_cycles: rows * self.moves as f64 * cycle,
            transpose_tile_cycles: rows * self.transposes as f64 * cycle,
            softmax_tile_cycles: 0.0,
            read_wait_scale: 0.0,
            index_fill_scale: 0.0,
            dram_scale: 0.0,
        }
    }
}

/// Merges of the insertion into `kt` kept tiles over a row of `wt` tiles (`topk.cpp`'s
/// `count` loop): 1 for the first two tiles, then `min(i, kt)` for tile `i = 2 .. wt - 1`.
const fn insertion_merges(wt: u64, kt: u64) -> u64 {
    if wt < 2 {
        return 0;
    }
    let last = wt - 1;
    let ramp_end = min(last, kt);
    // 2 + 3 + ... + ramp_end, while the kept set grows.
    let ramp = if ramp_end >= 2 {
        ramp_end * (ramp_end + 1) / 2 - 1
    } else {
        0
    };
    // Tiles `kt + 1 ..= last` each merge against all `kt` kept tiles.
    let steady = if last > kt { (last - kt) * kt } else { 0 };
    1 + ramp + steady
}

/// One row on the "single-core" factory's kernel: `wt` tiles into `kt` kept tiles.
const fn single_core_row(wt: u64, kt: u64) -> Work {
    let merges = insertion_merges(wt, kt);
    Work {
        // Each value and index tile in, the kept value and index tiles out.
        transposes: 2 * (wt + kt),
        // 4 tiles copied to dest and 4 packed per merge.
        moves: 8 * merges,
        half_steps: 2 * FULL_SORT_STEPS * merges,
        reads: wt,
    }
}

/// `ceil(log2(k))`, at least 1 (the kernels' `logk` for `k <= 64`).
const fn log2_ceil(k: u64) -> u64 {
    let mut l = 1;
    while (1u64 << l) < k {
        l += 1;
    }
    l
}

/// One row on the multi-core factory: a local core's `wl` tiles, then the final core's `wf`.
const fn multi_core_row(wl: u64, wf: u64, kt: u64, k: u64) -> Work {
    let logk = log2_ceil(k);
    // `topk_merge` (a step over the pair) and `topk_rebuild` (`logk` steps on the kept tile).
    let merge_half_steps = 2 + logk;
    let local = Work {
        // Each value and index tile transposed in (4 per pair, packed).
        transposes: 2 * wl,
        // The merges' 4 copies and 2 packs; the `Kt` value and index tiles copied out.
        moves: 6 * (wl - 1) + 4 * kt,
        // A local sort per pair into runs of k, then the merge tree.
        half_steps: (wl / 2) * logk * (logk + 1) + (wl - 1) * merge_half_steps,
        reads: wl,
    };
    Work {
        // The final core's `Kt` value and index tiles transposed out.
        transposes: local.transposes + 2 * kt,
        // The gathered value and index tiles copied in (copy and pack each), the merges.
        moves: local.moves + 4 * wf + 6 * (wf - 1),
        half_steps: local.half_steps + (wf - 1) * merge_half_steps,
        reads: local.reads,
    }
}

/// `find_topk_core_config` (`topk_utils.cpp`) on the query's grid: the split of `w` values
/// `(split, cores)` with the least `7 Wt_local + 2 Wt_final`, or `None`.
const fn multi_core_split(cx: &Ctx<'_>, x: &TensorParams, w: u64, k: u64) -> Option<(u64, u64)> {
    let hw = cx.hw;
    // `max_cores = (end.y - start.y - 1) * (end.x - start.x)` of an inclusive core range.
    let (columns, rows) = (cx.grid.x as u64, cx.grid.y as u64);
    if columns < 2 || rows < 3 {
        return None;
    }
    let (max_x, max_y) = (columns - 1, rows - 2);
    let max_cores = max_x * max_y;
    // `largest_power_of_two(max_cores)`.
    let mut pow2 = 1;
    while pow2 * 2 <= max_cores {
        pow2 *= 2;
    }
    let start = w / TILE / pow2 * TILE;
    if start == 0 {
        return None;
    }
    let value_tile = hw.tile_bytes(x.dtype) as u64;
    let index_tile = hw.tile_bytes(DType::Uint16) as u64;
    let transposed_tile = max(value_tile, hw.tile_bytes(DType::Bfloat16) as u64);
    let l1 = hw.l1_bytes_per_core.saturating_sub(hw.l1_reserved_bytes);
    let mut best: Option<(u64, u64)> = None;
    let mut best_score = u64::MAX;
    let mut split = start;
    while split <= w / 2 {
        let cores = w / split;
        let wt_final = cores * max(k, TILE) / TILE;
        let wt_local = split / TILE;
        let shared = 4 * (value_tile + index_tile)
            + wt_final * (transposed_tile + index_tile)
            + 2 * index_tile;
        let final_core = shared + 2 * value_tile + wt_final * (transposed_tile + index_tile);
        let local_core = shared + wt_local * (transposed_tile + index_tile) + 2 * transposed_tile;
        let fits = w % split == 0
            && cores > 1
            && cores <= max_cores
            && split >= MIN_DIM_PER_CORE
            && max(final_core, local_core) < l1
            && is_rectangle(cores, max_x, max_y);
        let score = 7 * wt_local + 2 * wt_final;
        if fits && score < best_score {
            best_score = score;
            best = Some((split, cores));
        }
        split *= 2;
    }
    best
}

/// `cores` fill an `a x b` rectangle with `a <= max_x`, `b <= max_y`.
const fn is_rectangle(cores: u64, max_x: u64, max_y: u64) -> bool {
    let mut b = max_y;
    while b > 0 {
        if cores % b == 0 && cores / b <= max_x {
            return true;
        }
        b -= 1;
    }
    false
}

pub const fn features(cx: &Ctx<'_>) -> Result<TopkRooflineFeatures, Error> {
    match cx.params {
        OpParams::Topk(p) => topk(cx, p.k, p.dim, p.index_tile_stores),
        OpParams::Sampling(p) => sampling(cx, p.index_tile_stores),
        _ => Err(cx.foreign_params()),
    }
}

/// Merges of the bitonic merge tree over `wt` tiles (`topk_local.cpp`, `topk_final.cpp`,
/// sampling's `top_k`): for `m < log_wt`, the pairs `left < wt - 2^m` stepping by `2^(m+1)`.
const fn tree_merges(wt: u64, log_wt: u64) -> u64 {
    let mut merges = 0;
    let mut m = 0;
    while m < log_wt && m < 63 {
        let stride = 1u64 << m;
        if wt > stride {
            merges += ceil_div(wt - stride, 2 * stride);
        }
        m += 1;
    }
    merges
}

/// `floor(log2(wt))` (the factories' `(uint32_t)std::log2(Wt)`), 0 for `wt <= 1`.
const fn log2_floor(wt: u64) -> u64 {
    if wt <= 1 { 0 } else { 63 - wt.leading_zeros() as u64 }
}

/// `ttnn.sampling`'s current kernels (`sampling_program_factory.cpp`,
/// `kernels/compute/sampling.cpp`, `reader_values_indices_tensor.cpp`): one core per user row
/// (`Ht x 32` cores), each running the whole op over every row of tiles: its reader reads all
/// `Ht x Wt` value tiles (each waited for, an index tile built beside it: `index_tile_cycles`)
/// and all `Ht x 32` index rows (`W` int32 each, each waited for); its compute kernel takes a
/// bitonic top-32 of each row of tiles (`top_k` with `K = 32`, `logk = 5`: `Wt / 2` pair sorts
/// of 15 steps, the merge tree, 2 tiles transposed out), then the softmax tail on the row's
/// one kept tile.
/// Left out: the writer's scalar top-p pick over its row's 32 probabilities.
const fn sampling(cx: &Ctx<'_>, stores_each: bool) -> Result<TopkRooflineFeatures, Error> {
    let hw = cx.hw;
    let x = &cx.inputs[0];
    let overflow = Error::Overflow {
        what: "sampling tiles",
    };
    let Layout::Tile { width, .. } = x.layout else {
        return Err(cx.tensor_error(Operand::Input(0), TensorProblem::LayoutNotAllowed));
    };
    if width as u64 != TILE {
        return Err(cx.not_modeled("sampling of tiles other than 32 wide"));
    }
    let tiles = some_or!(x.tiles(), overflow);
    let wt = max(x.row_tiles(), 1);
    let ht = tiles / wt;
    // `num_cores = Ht * TILE_HEIGHT`, one a user row, on the grid.
    let cores = ht * TILE;
    if cores > cx.grid.cores() as u64 {
        return Err(cx.not_modeled("sampling of more user rows than the grid has cores"));
    }
    let logk = 5;
    let merges = tree_merges(wt, log2_floor(wt));
    let pairs = ceil_div(wt, 2);
    let row = Work {
        transposes: 2 * wt + 2,
        moves: 6 * merges,
        half_steps: pairs * logk * (logk + 1) + merges * (2 + logk),
        reads: wt,
    };
    let reads = tri!(mul(ht, wt, "sampling tiles"));
    let tile_bytes = some_or!(x.tile_bytes(hw), overflow);
    let w = x.shape.dim_from_end(0) as u64;
    // The indices: row-major int32 (its dtype when given), `W` a row.
    let (index_row, index_dram) = if cx.inputs.len() > 1 {
        let ix = &cx.inputs[1];
        let element = match ix.dtype.element_bytes() {
            Some(b) => b as u64,
            None => 4,
        };
        (w * element, ix.memory.is_dram())
    } else {
        (w * 4, x.memory.is_dram())
    };
    let index_rows = cores;
    let index_wait_ns = if cx.inputs.len() > 1 {
        index_rows as f64 * cx.waited_read_ns(&cx.inputs[1], index_row)
    } else {
        index_rows as f64 * cx.waited_read_ns(x, index_row)
    };
    // Every core reads all of both inputs.
    let values_bytes = if x.memory.is_dram() {
        tri!(mul(reads, tile_bytes, "sampling bytes"))
    } else {
        0
    };
    let indices_bytes = if index_dram {
        tri!(mul(index_rows, index_row, "sampling bytes"))
    } else {
        0
    };
    let read_bytes = tri!(mul(cores, values_bytes + indices_bytes, "sampling bytes"));
    // One uint32 token index per user.
    let out_bytes = cores * 4;
    let cycle = hw.ns_per_cycle;
    let rows = ht as f64;
    Ok(TopkRooflineFeatures {
        softmax_tile_cycles: rows * cycle,
        read_wait_scale: reads as f64 * cx.waited_read_ns(x, tile_bytes) + index_wait_ns,
        index_fill_scale: reads as f64 * index_tile_cycles(hw, stores_each) * cycle,
        dram_scale: cx.dram_traffic_ns(read_bytes, out_bytes),
        ..row.sort_features(rows, cycle)
    })
}

/// `ttnn.topk` keeping `k` along `dim`.
const fn topk(cx: &Ctx<'_>, k: i64, dim: i64, stores_each: bool) -> Result<TopkRooflineFeatures, Error> {
    let hw = cx.hw;
    let x = &cx.inputs[0];
    let overflow = Error::Overflow {
        what: "topk tiles",
    };
    if x.memory.layout.is_sharded() {
        return Err(cx.tensor_error(
            Operand::Input(0),
            TensorProblem::WrongMemory {
                expected: "interleaved",
            },
        ));
    }
    // `validate_on_program_cache_miss`: BFLOAT16 or BFLOAT8_B (newer tt-metal sorts float32
    // too, at full width).
    if !matches!(
        x.dtype,
        DType::Bfloat16 | DType::Bfloat8B | DType::Float32
    ) {
        return Err(cx.not_modeled("top-k of a tensor other than bfloat16, bfloat8_b or float32"));
    }
    let Layout::Tile { width, .. } = x.layout else {
        return Err(cx.tensor_error(Operand::Input(0), TensorProblem::LayoutNotAllowed));
    };
    if width as u64 != TILE {
        return Err(cx.not_modeled("top-k of tiles other than 32 wide"));
    }
    let rank = x.shape.logical().len() as i64;
    let dim = if dim < 0 { dim + rank } else { dim };
    if dim != rank - 1 {
        return Err(cx.param_error("dim", "the device op reduces along the last dim only"));
    }
    // ttnn.topk (`topk.cpp`) pads a dim narrower than 64 (`min_dim_per_core`) with -/+inf
    // before the device op, which takes no narrower one: such an input costs as that padding.
    let w = max(x.shape.dim_from_end(0) as u64, MIN_DIM_PER_CORE);
    let k = k as u64;
    let logical_w = x.shape.logical()[x.shape.logical().len() - 1] as u64;
    if k > logical_w {
        return Err(cx.param_error("k", "k is larger than the reduced dim"));
    }
    let tiles = some_or!(x.tiles(), overflow);
    let wt = w / TILE;
    // Rows of tiles: `(N * C * H) / 32`, over the input's own (unpadded) row of tiles.
    let ht = tiles / max(x.row_tiles(), 1);
    let kt = ceil_div(k, TILE);
    // Indices are uint16 below 65536 values, else uint32.
    let uint16 = w <= u16::MAX as u64;
    // `multi_core_min_width`, or `multi_core_low_ht_min_width` for at most
    // `multi_core_low_ht_max_tile_rows` rows of tiles (current `topk_constants.hpp`).
    let wide = w >= MULTI_CORE_MIN_WIDTH || (w >= LOW_HT_MIN_WIDTH && ht <= LOW_HT_MAX_ROWS);
    let multi = if wide && w < u16::MAX as u64 && w.is_power_of_two() && k <= 64 {
        multi_core_split(cx, x, w, k)
    } else {
        None
    };
    let (row, rows) = match multi {
        Some((split, cores)) => (
            multi_core_row(split / TILE, cores * max(k, TILE) / TILE, kt, k),
            // Every core runs every row.
            ht,
        ),
        None => (
            single_core_row(wt, kt),
            ceil_div(ht, cx.cores_over(x, ht)),
        ),
    };
    let reads = tri!(mul(rows, row.reads, "topk tiles"));
    let cycle = hw.ns_per_cycle;
    let tile_bytes = some_or!(x.tile_bytes(hw), overflow);
    // The values keep the input's dtype; the indices are uint16 or uint32; both `Kt` tiles a row.
    let index_tile = hw.tile_bytes(if uint16 { DType::Uint16 } else { DType::Uint32 }) as u64;
    let out_tiles = tri!(mul(ht, kt, "topk tiles"));
    let out_dram = match cx.output {
        Some(o) => o.memory.is_dram(),
        None => x.memory.is_dram(),
    };
    let in_bytes = if x.memory.is_dram() {
        tri!(mul(tri!(mul(ht, wt, "topk tiles")), tile_bytes, "topk bytes"))
    } else {
        0
    };
    let out_bytes = if out_dram {
        out_tiles * (tile_bytes + index_tile)
    } else {
        0
    };
    let rows = rows as f64;
    Ok(TopkRooflineFeatures {
        read_wait_scale: reads as f64 * cx.waited_read_ns(x, tile_bytes),
        index_fill_scale: reads as f64 * index_tile_cycles(hw, stores_each) * cycle,
        dram_scale: cx.dram_traffic_ns(in_bytes, out_bytes),
        ..row.sort_features(rows, cycle)
    })
}

#[cfg(test)]
mod tests {
    use super::{Ctx, DType, Hardware, TensorParams, index_tile_cycles, insertion_merges, log2_ceil, log2_floor, tree_merges};
    use crate::Card;

    #[test]
    fn tree_merges_count_the_kernel_loop() {
        // A power of two: a binary tree, wt - 1 merges.
        assert_eq!(tree_merges(8, log2_floor(8)), 7);
        assert_eq!(tree_merges(32, log2_floor(32)), 31);
        // 6 tiles, log2 floor 2: m = 0 pairs (0,1) (2,3) (4,5); m = 1 pairs (0,2) only
        // (left 4 is not below 6 - 2): 4 merges.
        assert_eq!(tree_merges(6, log2_floor(6)), 4);
        assert_eq!(tree_merges(1, log2_floor(1)), 0);
    }

    #[test]
    fn insertion_merges_count_the_kernel_loop() {
        // The `count` loop of `topk.cpp` walked by hand. 4 tiles, 1 kept: 1 (tiles 0 and 1),
        // then 1 each for tiles 2 and 3.
        assert_eq!(insertion_merges(4, 1), 3);
        // 6 tiles, 3 kept: 1, then tile 2 merges 2 (growing to 3), tiles 3..5 merge 3 each.
        assert_eq!(insertion_merges(6, 3), 1 + 2 + 3 + 3 + 3);
        // 2 tiles: the first merge only.
        assert_eq!(insertion_merges(2, 4), 1);
        // 5 tiles, 8 kept: 1 + 2 + 3 + 4 (never full).
        assert_eq!(insertion_merges(5, 8), 10);
    }

    /// An index tile on a p150: the earlier reader's 1,024 stores at 5 instructions each
    /// (Blackhole's stores coalesce, a cycle each), 5,120 cycles (issue #52909 measured ~5.5k);
    /// today's 32 stores, 15 NoC commands of 25.4 cycles and two core-read round trips of 368,
    /// 1,277 cycles. On an n150 a store takes 5 cycles, as many as the loop.
    #[test]
    fn index_tiles_by_stores_and_by_noc_copies() {
        let bh = Hardware::of(Card::P150);
        assert!((index_tile_cycles(bh, true) - 5120.0).abs() < 1e-9);
        assert!((index_tile_cycles(bh, false) - (160.0 + 15.0 * 25.4 + 2.0 * 368.0)).abs() < 1e-9);
        let wh = Hardware::of(Card::N150);
        assert!((index_tile_cycles(wh, true) - 5120.0).abs() < 1e-9);
        // A one-core top-k reads and indexes every tile of its row: the era's index tiles show.
        let x = TensorParams::tiled(&[1, 1, 32, 64], DType::Bfloat16, crate::MemoryConfig::DRAM_INTERLEAVED);
        let features = |stores: bool| {
            let params = [
                crate::OpParam::new("k", crate::ParamValue::Int(32)),
                crate::OpParam::new("index_tile_stores", crate::ParamValue::Bool(stores)),
            ];
            let inputs = [x];
            let one = crate::CoreGrid::new(1, 1);
            let cx = Ctx::new(crate::Op::Topk, bh, crate::QueryParams::ByName(&params), &inputs, None, one).unwrap();
            super::features(&cx).unwrap()
        };
        let ratio = features(true).index_fill_scale / features(false).index_fill_scale;
        assert!((ratio - 5120.0 / index_tile_cycles(bh, false)).abs() < 1e-9);
    }

    #[test]
    fn log2_ceil_of_k() {
        assert_eq!(log2_ceil(1), 1);
        assert_eq!(log2_ceil(32), 5);
        assert_eq!(log2_ceil(33), 6);
        assert_eq!(log2_ceil(64), 6);
    }
}
