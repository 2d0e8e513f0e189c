//! `cache_roofline`: the KV-cache writers (`fill_cache`, `update_cache`), `embedding` and
//! `scatter`, ops that gather or scatter rows of a large DRAM table one at a time, each
//! transfer waited for.
//!
//! It reads the tensors' padded shapes (tiles and rows of tiles; heads and users of a decode
//! update), the indices' logical shape (an embedding's token count), layouts, dtypes (bytes
//! per tile or per row) and memory configs (DRAM or L1: which waits pay DRAM's latency and
//! which bytes cross DRAM; L1-sharded: read in place). The update's `op_type` and `cache`
//! say which program runs. Update indices, page tables and block sizes are not read: they say where the
//! rows go, not how many move.
//!
//! How tt-metal splits the work, and what each case costs here (busiest core):
//!
//! * **Paged fill** (`fill_cache`; `update_cache` with `op_type = "fill"`, `cache = "paged"`:
//!   the older spelling; `experimental/paged_cache/device/fill_cache/paged_fill_cache_program_factory.cpp`):
//!   the blocks are the input's rows of tiles (batch x heads x sequence tiles), split over the
//!   grid by `split_work_to_cores`. Per row the reader reads its `Wt` tiles then waits
//!   (`reader_fill_cache_interleaved.cpp`: one `async_read_barrier` a row), and the writer
//!   writes them to the page the page table names and waits (`writer_fill_cache_interleaved.cpp`:
//!   one `async_write_barrier` a row), after reading the page table once (waited). Counted: 2
//!   waited transfers per row, less the reads that overlap the previous row's write (the
//!   input buffer holds two rows): the first read and each row's write, plus one per extra
//!   input (page table, batch index); the row's tiles read and written at the tile NoC rate,
//!   the input's bytes read and written once in DRAM.
//! * **Contiguous fill** (`update_cache`, `op_type = "fill"`, `cache = "contiguous"`: `UpdateKVCacheOperation`,
//!   `kv_cache/device/fill_cache_multi_core_program_factory.cpp`): the same rows over the grid
//!   (or the input's shard cores, whose tiles are read in place), but the reader waits for
//!   every tile (`reader_fill_cache_interleaved_start_id.cpp`: `noc_async_read_barrier` a
//!   tile) and the writer only flushes its writes (`writer_unary_interleaved_start_id.cpp`):
//!   one waited transfer a tile. Into an ND-sharded cache (DeepSeek's), the writer computes
//!   each tile's address first (see `address_scale` below).
//! * **Contiguous update** (`update_cache`, `op_type = "update"`, `cache = "contiguous"`:
//!   `kv_cache/device/update_cache_multi_core_program_factory.cpp`): the new rows `[1, H, B,
//!   D]` are `H B / 32` rows of tiles, split over the grid or the input's shard cores; per row
//!   the reader reads it (waited, unless sharded in L1), then the cache rows of up to 32 users,
//!   two per wait (`reader_update_cache_interleaved_start_id.cpp`); each user's row is
//!   untilized, updated and tilized back, and the writer only flushes its writes. Counted:
//!   those waits, `Wt + 2 Wt` per user converted, the cache rows read and written.
//! * **Paged update** (`update_cache`, `op_type = "update"`, `cache = "paged"`:
//!   `paged_update_cache_program_factory.cpp`;
//!   `"fused_update"`: the key and the value cache in one program, each on its own cores):
//!   one core per user (the new rows are height-sharded, one user a core: the users are the
//!   input's dim -3), and each core walks every head of the cache (its dim -3): it reads the
//!   row of `Wt` tiles holding the update position and waits
//!   (`reader_update_cache_interleaved_start_id.cpp`), untilizes it, the writer copies the new
//!   row in, the compute kernel tilizes it back (`kernels/compute/update_cache.cpp`; the new
//!   rows are untilized once first) and the writer writes the row and waits. The cache buffer
//!   holds two rows, so the next head's read overlaps this one's write. Counted: the first
//!   read and each head's write waited for, one per extra input (update index, page table),
//!   `Wt` tiles once and `2 Wt`
//!   per head converted (`tile_cycles`), the rows read and written at the tile NoC rate and
//!   through DRAM. Every user's row of a head sits at the same place in its block, and the
//!   cores go over the heads together: when a block's tiles are a multiple of the DRAM banks
//!   (interleaved a tile each), all users' rows fall in the same few banks, and the cache's
//!   traffic is counted through the banks they reach, not all.
//! * **Embedding** (`embedding/device/`, the factory `select_program_factory` picks): tiled
//!   indices (`embeddings_tilized_indices_program_factory.cpp`) split over the grid in groups
//!   of 16 tokens, one waited index read a group; row-major indices into a tiled output
//!   (`embeddings_fused_program_factory.cpp`) in blocks of 32 tokens, 32 indices a read;
//!   row-major indices into row-major rows (`embeddings_rm_program_factory.cpp`) token by
//!   token, one waited index read per block of indices the NoC reads at its alignment (64 B
//!   of DRAM on Blackhole: 16 uint32 indices). Per token the reader reads its weight row and
//!   waits (a waited transfer, from DRAM when the table is there), the writer writes the row
//!   as an output stick; the fused factory instead issues a block's 32 row reads and waits
//!   once (`embeddings_tilize.cpp`; once a chunk of the rows when two blocks' tiles exceed
//!   its 1 MiB budget). A tiled output (the fused tilize) adds its tiles as conversions.
//! * **Scatter** (`data_movement/scatter/device/scatter_program_factory.cpp`): the input's
//!   sticks (rows of its last dim) split over the grid by `split_work_to_cores`, every circular
//!   buffer one page deep. Per stick the reader reads the input stick and waits, copies it
//!   element by element into the output page, reads the stick's index and source sticks (each
//!   waited for) when the index tensor has that row, and for each index loads it, the source
//!   value and the output value and stores the result (`reader_scatter.cpp`); the writer writes
//!   the output stick and waits (`writer_scatter.cpp`, `common.hpp`). The reader's next input
//!   read overlaps that write, and its copy waits for the output page: one wait a stick for
//!   the two, the last write's more. Counted: those waits, the sticks at the NoC rate of their
//!   size, and the element loops on the reader (`element_scale`: each load waited for by the
//!   store or compare that needs it, the device's published L1 load latency, and each store
//!   at its store rate). The busiest core is the first, whose sticks come first in the index
//!   too (the kernel scatters a stick when its coordinates are inside the index's shape): as
//!   many of its sticks have an index row as the index has rows, up to all. A stick over the
//!   kernel's L1 chunk (about 75,000 elements) is read in chunks: not counted. tt-metal takes
//!   interleaved tensors only, an integer index, and, for a bfloat16 input with a
//!   `reduction`, another program (`ScatterReduceBfloat16ProgramFactory`, not modeled).
//!
//! The terms: compute is the busiest core's tiles converted (`tile_cycles`); DRAM the bytes
//! read from and written to DRAM at the card's achievable bandwidth (`dram_scale`); NoC the
//! busiest core's pages at the NoC rate of their size (`noc_scale`) plus its waited-for
//! transfers, `wait_cycles` each, and for one to or from DRAM the device's DRAM latency more
//! (`dram_wait_scale`: tt-metal's measured latency of one core's small DRAM read, 479 cycles
//! on Blackhole, 383 on Wormhole, `dram_access` in the device spec), plus the element loops
//! (`element_scale`), plus, for each page of an ND-sharded tensor it reads or writes, the
//! address its RISC-V computes from the page's coordinates (`address_scale`: the device's
//! `nd_page_address_cycles`, 248 cycles a `TensorAccessor::get_noc_addr` in tt-metal issue
//! #24288; v1, nothing fitted, puts DeepSeek's fills into its ND-sharded cache at 0.75x of
//! their measured time without it and 1.00x with it). The fixed cost (`overhead_cycles`) is the
//! setup of a compute kernel: the updates untilize and tilize, a tiled embedding tilizes; the
//! fills and the scatter move pages with their data-movement kernels only and have none. It
//! assumes the cores work in parallel and evenly, and that a row's conversions and its write
//! do not overlap (the roofline takes the larger).

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::{CacheRooflineFeatures, OpParams};
use crate::op_params::scatter::Reduction;
use crate::op_params::update_cache::{Cache, OpType};
use crate::tensor::{DType, MemoryLayout, TensorParams};
use crate::model::{Ctx, ceil_div, max, min, one_if};

/// What the busiest core does, and what crosses DRAM.
struct Work {
    /// Tiles untilized or tilized.
    converted: u64,
    /// NoC time of the pages moved, ns.
    noc_ns: f64,
    /// Transfers waited for one by one.
    waits: u64,
    /// Of those, the ones to or from DRAM.
    dram_waits: u64,
    /// Bytes read from and written to DRAM, all cores.
    dram_bytes: u64,
    /// Loads from L1 one element at a time, each waited for, and stores, on the busiest core.
    l1_loads: u64,
    l1_stores: u64,
    /// Pages of ND-sharded tensors the busiest core reads or writes, each address computed.
    nd_pages: u64,
}

/// 1 for an ND-sharded tensor, whose every page's address a kernel computes (0 otherwise).
const fn nd(t: &TensorParams) -> u64 {
    one_if(matches!(t.memory.layout, MemoryLayout::NdSharded))
}

/// Waited-for reads of the small extra inputs (page table, indices): one each, from DRAM
/// when they are there. `from` is the first extra input.
const fn extra_reads(cx: &Ctx<'_>, from: usize) -> (u64, u64) {
    let (mut waits, mut dram) = (0u64, 0u64);
    let mut i = from;
    while i < cx.inputs.len() {
        waits += 1;
        dram += one_if(cx.inputs[i].memory.is_dram());
        i += 1;
    }
    (waits, dram)
}

/// A fill: the input's (`inputs[1]`) rows of tiles into the cache (`inputs[0]`). `per_row`:
/// the paged fill, which waits once per row read and once per row written; else the kv_cache
/// fill, which waits for every tile read.
const fn fill(cx: &Ctx<'_>, per_row: bool) -> Result<Work, Error> {
    let (cache, x) = (&cx.inputs[0], &cx.inputs[1]);
    let overflow = Error::Overflow {
        what: "cache tiles",
    };
    let tiles = some_or!(x.tiles(), cx.not_modeled("a fill from a row-major input"));
    let x_tile = some_or!(x.tile_bytes(cx.hw), overflow);
    let cache_tile = some_or!(cache.tile_bytes(cx.hw), cx.not_modeled("a row-major cache"));
    let wt = x.row_tiles();
    let rows = max(ceil_div(tiles, wt), 1);
    // The kv_cache fill runs on a sharded input's cores and reads its tiles in place.
    let local = !per_row && x.memory.is_l1_sharded();
    let cores = match x.shard_cores() {
        Some(c) if !per_row => c,
        _ => max(min(cx.grid.cores() as u64, rows), 1),
    };
    let per_core_rows = ceil_div(rows, cores);
    let per_core = per_core_rows.saturating_mul(wt);
    let (extra, extra_dram) = extra_reads(cx, 2);
    let (waits, dram_waits) = if per_row {
        // The input buffer holds two rows: the next row's read overlaps this row's write, so
        // the first read and every row's write are waited for.
        (
            extra + 1 + per_core_rows,
            extra_dram + one_if(x.memory.is_dram()) + per_core_rows * one_if(cache.memory.is_dram()),
        )
    } else if local {
        (extra, extra_dram)
    } else {
        (extra + per_core, extra_dram + per_core * one_if(x.memory.is_dram()))
    };
    let read = if local { 0 } else { per_core.saturating_mul(x_tile) };
    let written = per_core.saturating_mul(cache_tile);
    let x_bytes = tiles.saturating_mul(x_tile);
    let cache_bytes = tiles.saturating_mul(cache_tile);
    Ok(Work {
        converted: 0,
        noc_ns: cx.noc_ns_of_tiles(read, x) + cx.noc_ns_of_tiles(written, cache),
        waits,
        dram_waits,
        dram_bytes: (x_bytes * one_if(x.memory.is_dram()))
            .saturating_add(cache_bytes * one_if(cache.memory.is_dram())),
        l1_loads: 0,
        l1_stores: 0,
        // The reader addresses each tile it reads, the writer each it writes.
        nd_pages: per_core.saturating_mul(nd(x) + nd(cache)),
    })
}

/// A decode update: each user's new row into every head of the cache, on one core per user
/// (two with the fused key and value update).
const fn update(cx: &Ctx<'_>, fused: bool) -> Result<Work, Error> {
    let new_inputs = if fused { 2 } else { 1 };
    if cx.inputs.len() < 2 * new_inputs {
        return Err(cx.not_modeled("a fused cache update without both caches and their rows"));
    }
    let (cache, x) = (&cx.inputs[0], &cx.inputs[1]);
    let overflow = Error::Overflow {
        what: "cache tiles",
    };
    let x_tile = some_or!(x.tile_bytes(cx.hw), cx.not_modeled("an update from a row-major input"));
    let cache_tile = some_or!(cache.tile_bytes(cx.hw), cx.not_modeled("a row-major cache"));
    let wt = x.row_tiles();
    let heads = max(cache.shape.dim_from_end(2) as u64, 1);
    let users = max(x.shape.dim_from_end(2) as u64, 1);
    let cores = users * new_inputs as u64;
    // The new rows are read in place when sharded in L1, else once from where they are.
    let local = x.memory.is_l1_sharded();
    let (extra, extra_dram) = extra_reads(cx, 2 * new_inputs);
    let cache_dram = one_if(cache.memory.is_dram());
    let row = some_or!(heads.checked_mul(wt), overflow);
    let moved = row.saturating_mul(cache_tile);
    let x_read = if local { 0 } else { wt.saturating_mul(x_tile) };
    // Every user's row of a head sits at the same offset in its block, so the cache traffic
    // reaches only the banks those rows' tiles fall in: counted as all of it through them.
    let banks = max(cx.hw.dram_channels as u64, 1);
    let block_tiles = ceil_div(cache.shape.dim_from_end(1) as u64, 32).saturating_mul(wt);
    let hit = max(banks_of_rows(banks, block_tiles, heads, wt, users), 1);
    let cache_bytes = cores
        .saturating_mul(moved)
        .saturating_mul(2)
        .saturating_mul(banks)
        / hit;
    let x_bytes = cores.saturating_mul(wt).saturating_mul(x_tile);
    Ok(Work {
        converted: row.saturating_mul(2).saturating_add(wt),
        noc_ns: cx.noc_ns_of_tiles(moved.saturating_mul(2), cache) + cx.noc_ns_of_tiles(x_read, x),
        // The cache buffer holds two rows: the next head's read overlaps this head's
        // conversions and write, so the first read and every head's write are waited for.
        waits: extra + 1 + heads + one_if(!local),
        dram_waits: extra_dram + (1 + heads) * cache_dram + one_if(!local && x.memory.is_dram()),
        dram_bytes: (cache_bytes * cache_dram).saturating_add(x_bytes * one_if(x.memory.is_dram())),
        l1_loads: 0,
        l1_stores: 0,
        // Each head's row of the cache read and written, the new row read.
        nd_pages: row
            .saturating_mul(2 * nd(cache))
            .saturating_add(wt * nd(x) * one_if(!local)),
    })
}

/// The DRAM banks (of `banks`, interleaved a tile each) that a paged decode update's rows
/// reach: user `u`'s row of head `h` is `Wt` tiles from tile `(block(u) * heads + h) *
/// block_tiles` plus the row's place in the block, the same for every user
/// (`writer_update_cache_interleaved_start_id.cpp`), the users' blocks taken as distinct, so
/// their rows start on every multiple of `gcd(block_tiles * heads, banks)`. Bits of a mask:
/// at most 64 banks.
const fn banks_of_rows(banks: u64, block_tiles: u64, heads: u64, wt: u64, users: u64) -> u64 {
    let banks = if banks > 64 { 64 } else { banks };
    // gcd(block_tiles * heads mod banks, banks): the spacing of the users' first banks.
    let (mut a, mut b) = (banks, block_tiles.saturating_mul(heads) % banks);
    while b != 0 {
        (a, b) = (b, a % b);
    }
    let starts = min(banks / a, users);
    let mut mask: u64 = 0;
    let mut k = 0;
    while k < starts {
        let mut h = 0;
        while h < min(heads, banks) {
            let mut j = 0;
            while j < min(wt, banks) {
                mask |= 1 << ((k * a + h * (block_tiles % banks) + j) % banks);
                j += 1;
            }
            h += 1;
        }
        k += 1;
    }
    mask.count_ones() as u64
}

/// A contiguous cache's decode update (`kv_cache/device/update_cache_multi_core_program_factory.cpp`):
/// the new rows `[1, H, B, D]` are `H x B / 32` rows of tiles ("batched heads"), split over
/// the grid (or the input's shard cores); per batched head the reader reads the new row
/// (waited, unless sharded in L1), then the cache rows of up to 32 users, two a wait
/// (`granularity`); the writer copies each user's row in from L1 and only flushes its writes.
const fn contiguous_update(cx: &Ctx<'_>) -> Result<Work, Error> {
    const GRANULARITY: u64 = 2;
    let (cache, x) = (&cx.inputs[0], &cx.inputs[1]);
    let overflow = Error::Overflow {
        what: "cache tiles",
    };
    let x_tile = some_or!(x.tile_bytes(cx.hw), cx.not_modeled("an update from a row-major input"));
    let cache_tile = some_or!(cache.tile_bytes(cx.hw), cx.not_modeled("a row-major cache"));
    let wt = x.row_tiles();
    // Every row of tiles of the input (heads x users / 32).
    let batched = max(ceil_div(some_or!(x.tiles(), overflow), wt), 1);
    let cores = match x.shard_cores() {
        Some(c) => c,
        None => max(min(cx.grid.cores() as u64, batched), 1),
    };
    let per_core = ceil_div(batched, cores);
    let cache_batch = max(cache.shape.dim_from_end(3) as u64, 1);
    let users = min(32, cache_batch);
    let groups = ceil_div(users, min(GRANULARITY, cache_batch));
    let local = x.memory.is_l1_sharded();
    let cache_dram = one_if(cache.memory.is_dram());
    let rows = some_or!(per_core.checked_mul(users), overflow);
    let moved = rows.saturating_mul(wt).saturating_mul(cache_tile);
    let x_read = if local { 0 } else { per_core.saturating_mul(wt).saturating_mul(x_tile) };
    let all_rows = batched.saturating_mul(users).saturating_mul(wt);
    Ok(Work {
        converted: per_core.saturating_mul(wt).saturating_add(rows.saturating_mul(2 * wt)),
        noc_ns: cx.noc_ns_of_tiles(moved.saturating_mul(2), cache) + cx.noc_ns_of_tiles(x_read, x),
        waits: per_core * (groups + one_if(!local)),
        dram_waits: per_core * (groups * cache_dram + one_if(!local && x.memory.is_dram())),
        dram_bytes: (all_rows.saturating_mul(cache_tile).saturating_mul(2) * cache_dram)
            .saturating_add(batched.saturating_mul(wt).saturating_mul(x_tile) * one_if(x.memory.is_dram())),
        l1_loads: 0,
        l1_stores: 0,
        // Each user's cache row read and written, the new rows read.
        nd_pages: rows
            .saturating_mul(wt)
            .saturating_mul(2 * nd(cache))
            .saturating_add(per_core * wt * nd(x) * one_if(!local)),
    })
}

/// Chunks the fused (tilizing) embedding factory reads each block of rows in, for rows of
/// `row_tiles` tiles of `tile` bytes (`embeddings_fused_program_factory.cpp`): one, unless
/// two blocks' tiles exceed its 1 MiB budget; then at most 64 tiles a chunk.
const fn fused_chunks(row_tiles: u64, tile: u64) -> u64 {
    const BUDGET: u64 = 1 << 20;
    const MOST_TILES: u64 = 64;
    if 2 * row_tiles * tile <= BUDGET {
        return 1;
    }
    let per_chunk = min(min(BUDGET / max(tile, 1), row_tiles), MOST_TILES);
    ceil_div(row_tiles, max(per_chunk, 1))
}

/// An embedding lookup: one weight row per token, the tokens split over the grid as the
/// factory tt-metal picks for the query splits them (`embedding_device_operation.cpp`,
/// `select_program_factory`).
const fn embedding(cx: &Ctx<'_>) -> Result<Work, Error> {
    /// Tokens a group of the tilized-indices factory (`FACE_HEIGHT`).
    const GROUP: u64 = 16;
    /// Tokens a block of the fused (tilizing) factory: a tile's rows.
    const TILE_ROWS: u64 = 32;
    let (idx, w) = (&cx.inputs[0], &cx.inputs[1]);
    let overflow = Error::Overflow {
        what: "embedding rows",
    };
    let element = some_or!(
        w.dtype.element_bytes(),
        cx.not_modeled("an embedding table of a block-float dtype")
    );
    let row_bytes = some_or!((w.shape.dim_from_end(0) as u64).checked_mul(element as u64), overflow);
    let tokens = max(idx.logical_volume(), 1);
    let cores = max(cx.grid.cores() as u64, 1);
    let tiled_out = matches!(cx.output, Some(y) if y.tile_grid().is_some());
    // Tokens of the busiest core, and the tokens one index read covers:
    // - tiled indices (`embeddings_tilized_indices_program_factory.cpp`): groups of 16 tokens
    //   a core (`split_work_to_cores_aligned(..., FACE_HEIGHT)`), one index read a group;
    // - row-major indices into a tiled output (`embeddings_fused_program_factory.cpp`):
    //   blocks of 32 tokens (`split_work_to_cores` over the blocks), read 32 indices at a time;
    // - row-major indices into row-major rows (`embeddings_rm_program_factory.cpp`): tokens
    //   one by one (`split_work_to_cores`), one index read per block of indices the NoC reads
    //   at its alignment; a core's first token need not start a block, so its tokens may span
    //   one block more.
    // Each factory but the fused one waits for every token's row; the fused one issues a
    // block's 32 row reads (or a chunk of each row, when two blocks' tiles would not fit in
    // its 1 MiB budget) and waits once (`embeddings_tilize.cpp`).
    let (per_core, index_reads, row_waits) = if idx.tile_grid().is_some() {
        let n = min(tokens, ceil_div(ceil_div(tokens, GROUP), cores) * GROUP);
        (n, ceil_div(n, GROUP), n)
    } else if tiled_out {
        let n = min(tokens, ceil_div(ceil_div(tokens, TILE_ROWS), cores) * TILE_ROWS);
        let blocks = ceil_div(n, TILE_ROWS);
        let row_tiles = ceil_div(row_bytes, 32 * element as u64);
        let chunks = fused_chunks(row_tiles, cx.hw.tile_bytes(w.dtype) as u64);
        (n, blocks, blocks.saturating_mul(chunks))
    } else {
        let index_bytes = some_or!(
            idx.dtype.element_bytes(),
            cx.not_modeled("block-float embedding indices")
        ) as u64;
        let block = max(cx.hw.read_alignment(idx) / max(index_bytes, 1), 1);
        let n = ceil_div(tokens, cores);
        (n, ceil_div(n - 1 + block, block), n)
    };
    let out_dram = match cx.output {
        Some(y) => y.memory.is_dram(),
        None => w.memory.is_dram(),
    };
    // A tiled output is tilized on the way (32 rows of the table's width a block).
    let converted = match cx.output {
        Some(y) if y.tile_grid().is_some() => ceil_div(per_core, 32).saturating_mul(ceil_div(row_bytes, 32 * element as u64)),
        _ => 0,
    };
    let bytes = some_or!(tokens.checked_mul(row_bytes), overflow);
    Ok(Work {
        converted,
        noc_ns: cx.noc_ns_at(
            per_core.saturating_mul(row_bytes).saturating_mul(2),
            cx.hw.noc_bytes_per_cycle(row_bytes),
        ),
        waits: row_waits + index_reads,
        dram_waits: row_waits * one_if(w.memory.is_dram())
            + index_reads * one_if(idx.memory.is_dram()),
        dram_bytes: (bytes * one_if(w.memory.is_dram())).saturating_add(bytes * one_if(out_dram)),
        l1_loads: 0,
        l1_stores: 0,
        // A row of the table read, and written out, for each token.
        nd_pages: per_core.saturating_mul(
            nd(w) + match cx.output {
                Some(y) => nd(y),
                None => 0,
            },
        ),
    })
}

/// Sticks (rows of the last dim) of a row-major `t` ([`TensorParams::rows`]), and the bytes
/// ([`TensorParams::page_bytes`]) and elements of one. (Validated tensors have no zero dim;
/// row-major ones no block-float dtype.)
const fn sticks(cx: &Ctx<'_>, t: &TensorParams) -> Result<(u64, u64, u64), Error> {
    if t.shape.volume().is_none() {
        return Err(Error::Overflow { what: "scatter sticks" });
    }
    let Some(bytes) = t.page_bytes(cx.hw) else {
        return Err(cx.not_modeled("a scatter of a block-float tensor"));
    };
    Ok((t.rows(), bytes, t.shape.dim_from_end(0) as u64))
}

/// Scatter (`scatter`): see the module doc.
const fn scatter(cx: &Ctx<'_>, reduction: Reduction) -> Result<Work, Error> {
    let (x, index, source) = (&cx.inputs[0], &cx.inputs[1], &cx.inputs[2]);
    let out = match cx.output {
        Some(y) => y,
        None => x,
    };
    let tensors = [
        (x, Operand::Input(0)),
        (index, Operand::Input(1)),
        (source, Operand::Input(2)),
        (out, Operand::Output),
    ];
    let mut i = 0;
    while i < tensors.len() {
        if tensors[i].0.memory.layout.is_sharded() {
            let problem = TensorProblem::WrongMemory { expected: "interleaved" };
            return Err(cx.tensor_error(tensors[i].1, problem));
        }
        i += 1;
    }
    if !matches!(index.dtype, DType::Uint8 | DType::Uint16 | DType::Uint32 | DType::Int32) {
        return Err(cx.not_modeled("a scatter whose index is not an integer tensor"));
    }
    if !matches!(reduction, Reduction::None) && matches!(x.dtype, DType::Bfloat16) {
        return Err(cx.not_modeled("a bfloat16 scatter with a reduction (its own program)"));
    }
    let (x_sticks, x_stick, x_elements) = tri!(sticks(cx, x));
    let (index_sticks, index_stick, index_elements) = tri!(sticks(cx, index));
    let (_, source_stick, _) = tri!(sticks(cx, source));
    let cores = max(min(cx.grid.cores() as u64, x_sticks), 1);
    let per_core = ceil_div(x_sticks, cores);
    // The first (busiest) core's sticks that the index has a row for.
    let scattered = min(per_core, index_sticks);
    // Per stick one wait for the input read and the previous stick's write, which overlap,
    // and the last write's; per scattered stick the index's and the source's reads.
    let waits = per_core.saturating_add(1).saturating_add(scattered.saturating_mul(2));
    let (x_dram, out_dram) = (one_if(x.memory.is_dram()), one_if(out.memory.is_dram()));
    let dram_waits = per_core
        .saturating_mul(max(x_dram, out_dram))
        .saturating_add(out_dram)
        .saturating_add(scattered.saturating_mul(one_if(index.memory.is_dram()) + one_if(source.memory.is_dram())));
    let noc_ns = cx.noc_ns_at(per_core.saturating_mul(x_stick).saturating_mul(2), cx.hw.noc_bytes_per_cycle(x_stick))
        + cx.noc_ns_at(scattered.saturating_mul(index_stick), cx.hw.noc_bytes_per_cycle(index_stick))
        + cx.noc_ns_at(scattered.saturating_mul(source_stick), cx.hw.noc_bytes_per_cycle(source_stick));
    // The copy loads and stores each input element; the scatter loads an index, its source
    // value and the output value, and stores the result.
    let copied = per_core.saturating_mul(x_elements);
    let scanned = scattered.saturating_mul(index_elements);
    let x_bytes = x_sticks.saturating_mul(x_stick);
    Ok(Work {
        converted: 0,
        noc_ns,
        waits,
        dram_waits,
        dram_bytes: (x_bytes * one_if(x.memory.is_dram()))
            .saturating_add(x_bytes * one_if(out.memory.is_dram()))
            .saturating_add(index_sticks.saturating_mul(index_stick) * one_if(index.memory.is_dram()))
            .saturating_add(index_sticks.saturating_mul(source_stick) * one_if(source.memory.is_dram())),
        l1_loads: copied.saturating_add(scanned.saturating_mul(3)),
        l1_stores: copied.saturating_add(scanned),
        // tt-metal's scatter takes interleaved tensors only (refused above).
        nd_pages: 0,
    })
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<CacheRooflineFeatures, Error> {
    let work = match cx.params {
        OpParams::FillCache(_) => tri!(fill(cx, true)),
        OpParams::UpdateCache(p) => match (p.op_type, p.cache) {
            // The older paged op's fill is the paged fill.
            (OpType::Fill, Cache::Paged) => tri!(fill(cx, true)),
            (OpType::Fill, Cache::Contiguous) => tri!(fill(cx, false)),
            (OpType::Update, Cache::Paged) => tri!(update(cx, false)),
            (OpType::Update, Cache::Contiguous) => tri!(contiguous_update(cx)),
            // Only the paged cache has a fused update.
            (OpType::FusedUpdate, _) => tri!(update(cx, true)),
        },
        OpParams::Embedding(_) => tri!(embedding(cx)),
        OpParams::Scatter(p) => tri!(scatter(cx, p.reduction)),
        _ => return Err(cx.foreign_params()),
    };
    let cycle = cx.cycles_to_ns(1.0);
    Ok(CacheRooflineFeatures {
        // The setup of the compute kernel the fills and scatter do not have.
        overhead_cycles: if work.converted > 0 { cx.cycles_to_ns(1.0) } else { 0.0 },
        tile_cycles: work.converted as f64 * cycle,
        dram_scale: cx.dram_ns(work.dram_bytes),
        noc_scale: work.noc_ns,
        wait_cycles: work.waits as f64 * cycle,
        dram_wait_scale: work.dram_waits as f64 * cx.cycles_to_ns(cx.hw.dram_read_latency_cycles),
        element_scale: cx.cycles_to_ns(
            work.l1_loads as f64 * cx.hw.riscv_l1_load_cycles + work.l1_stores as f64 * cx.hw.riscv_l1_store_cycles,
        ),
        address_scale: cx.cycles_to_ns(work.nd_pages as f64 * cx.hw.nd_page_address_cycles),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::{BufferType, CoreRange, Layout, MemoryLayout, ShardOrientation, ShardSpec, TensorParams};
    use crate::{Card, DType, Hardware, MemoryConfig, Op, OpParam, ParamValue, QueryParams, Shape};
    use crate::formulas::test_support::close;

    const DRAM: MemoryConfig = MemoryConfig::DRAM_INTERLEAVED;
    const FUSED: &[(&str, &str)] = &[("op_type", "fused_update")];
    const CONTIGUOUS_FILL: &[(&str, &str)] = &[("op_type", "fill"), ("cache", "contiguous")];

    fn tiled(dims: &[u32], dtype: DType, memory: MemoryConfig) -> TensorParams {
        TensorParams::new(Shape::new(dims), dtype, Layout::TILE, memory)
    }

    /// A row-major int32 index or page table in DRAM.
    fn table(dims: &[u32]) -> TensorParams {
        TensorParams::new(Shape::new(dims), DType::Int32, Layout::RowMajor, DRAM)
    }

    /// The new rows of a decode update, height-sharded in L1 on one core.
    fn one_core_rows(dims: &[u32]) -> TensorParams {
        let shard = ShardSpec::new(
            CoreRange { start: (0, 0), end: (0, 0) },
            [32, dims[dims.len() - 1]],
            ShardOrientation::RowMajor,
        );
        let mem = MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard);
        tiled(dims, DType::Bfloat16, mem)
    }

    fn features_of(
        op: Op,
        params: &[(&'static str, &'static str)],
        inputs: &[TensorParams],
        output: Option<&TensorParams>,
    ) -> Result<CacheRooflineFeatures, Error> {
        let hw = Hardware::of(Card::P150);
        let mut given = [OpParam::new("", ParamValue::Enum("")); 2];
        for (slot, &(k, v)) in given.iter_mut().zip(params) {
            *slot = OpParam::new(k, ParamValue::Enum(v));
        }
        let given = &given[..params.len()];
        let cx = Ctx::new(op, hw, QueryParams::ByName(given), inputs, output, hw.compute_grid)?;
        features(&cx)
    }

    fn ns_per_cycle() -> f64 {
        1000.0 / Hardware::of(Card::P150).clock_mhz
    }

    /// 2048-byte tiles at the p150's 2 KiB NoC rate (54 B a cycle), ns.
    fn tile_noc_ns(tiles: f64) -> f64 {
        tiles * 2048.0 / 54.0 * ns_per_cycle()
    }

    /// A 128-token paged fill of 4 KV heads of 128 on a p150 (13x10 grid): 4 x 4 = 16 rows
    /// of 4 tiles, one a core. The busiest core waits for the page table, its row's read and
    /// its row's write (3, all DRAM), moves 4 tiles in and 4 out; DRAM reads and writes the
    /// 64 tiles once each.
    #[test]
    fn paged_fill_by_hand() {
        let cache = tiled(&[4, 4, 32, 128], DType::Bfloat16, DRAM);
        let x = tiled(&[1, 4, 128, 128], DType::Bfloat16, DRAM);
        let f = features_of(Op::FillCache, &[], &[cache, x, table(&[1, 4])], None).unwrap();
        assert!(close(f.wait_cycles, 3.0 * ns_per_cycle()));
        assert!(close(f.dram_wait_scale, 3.0 * 479.0 * ns_per_cycle()));
        assert!(close(f.noc_scale, tile_noc_ns(8.0)));
        let hw = Hardware::of(Card::P150);
        assert!(close(f.dram_scale, 2.0 * 64.0 * 2048.0 * hw.ns_per_dram_byte));
        assert_eq!(f.tile_cycles, 0.0);
    }

    /// A paged decode update of one user into 8 heads of 128 (qwen3): one core walks the 8
    /// heads. Waited: the index and the page table, the first row read, 8 row writes (11, all
    /// DRAM). Converted: the new row's 4 tiles, then 4 untilized and 4 tilized a head (68).
    /// Moved: 8 rows of 4 tiles, in and out.
    #[test]
    fn paged_update_by_hand() {
        let cache = tiled(&[4, 8, 32, 128], DType::Bfloat16, DRAM);
        let x = one_core_rows(&[1, 1, 32, 128]);
        let inputs = [cache, x, table(&[1, 1]), table(&[1, 4])];
        let f = features_of(Op::UpdateCache, &[], &inputs, None).unwrap();
        assert!(close(f.wait_cycles, 11.0 * ns_per_cycle()));
        assert!(close(f.dram_wait_scale, 11.0 * 479.0 * ns_per_cycle()));
        assert!(close(f.tile_cycles, 68.0 * ns_per_cycle()));
        assert!(close(f.noc_scale, tile_noc_ns(64.0)));
        let hw = Hardware::of(Card::P150);
        assert!(close(f.dram_scale, 64.0 * 2048.0 * hw.ns_per_dram_byte));
    }

    /// The banks a paged update's rows reach. Llama-3.2-1B on a p150 (8 banks): blocks of 64
    /// rows of 2 tiles (4 tiles), 8 heads: a block is 32 tiles, so every user's rows start on
    /// bank 0, head `h`'s `4 h` further: banks 0, 1, 4, 5. Llama-3.1-8B on a Wormhole (12
    /// banks): blocks of 32 rows of 4 tiles, 8 heads, a block 32 tiles: the users start on
    /// banks 0, 4 and 8 and their rows cover all 12. One user: its rows alone.
    #[test]
    fn paged_update_rows_reach_the_banks_their_offsets_give() {
        assert_eq!(banks_of_rows(8, 4, 8, 2, 32), 4);
        assert_eq!(banks_of_rows(12, 4, 8, 4, 32), 12);
        assert_eq!(banks_of_rows(8, 4, 8, 2, 1), 4);
        assert_eq!(banks_of_rows(8, 1, 3, 1, 1), 3);
        // 32 users of Llama-3.2-1B's shape: the cache's 2 MiB in and out through 4 of 8 banks.
        let cache = tiled(&[32, 8, 64, 64], DType::Bfloat16, DRAM);
        let x = tiled(&[1, 32, 32, 64], DType::Bfloat16, DRAM);
        let f = features_of(Op::UpdateCache, &[], &[cache, x, table(&[1, 32]), table(&[32, 1])], None).unwrap();
        let hw = Hardware::of(Card::P150);
        let (cache_bytes, x_bytes) = (32.0 * 8.0 * 2.0 * 2048.0 * 2.0, 32.0 * 2.0 * 2048.0);
        assert!(close(f.dram_scale, (cache_bytes * 8.0 / 4.0 + x_bytes) * hw.ns_per_dram_byte));
    }

    /// The fused update runs the key and the value cache on a core each: the busiest core's
    /// work is one update's, DRAM carries both.
    #[test]
    fn fused_update_doubles_the_cores() {
        let cache = tiled(&[1, 4, 32, 128], DType::Bfloat16, DRAM);
        let x = one_core_rows(&[1, 1, 32, 128]);
        let (idx, pages) = (table(&[1, 1]), table(&[1, 1]));
        let one = features_of(Op::UpdateCache, &[], &[cache, x, idx, pages], None).unwrap();
        let fused = [cache, x, cache, x, idx, pages];
        let both = features_of(Op::UpdateCache, FUSED, &fused, None).unwrap();
        assert!(close(both.wait_cycles, one.wait_cycles));
        assert!(close(both.dram_scale, 2.0 * one.dram_scale));
        // Without the value cache and its rows there is no fused update to cost.
        assert!(features_of(Op::UpdateCache, FUSED, &[cache, x], None).is_err());
    }

    /// DeepSeek's kv_cache fill of `[1, 1, 3200, 576]` bfloat8_b on a p150: 100 rows of 18
    /// tiles, one a core; every tile read waited for (18, from DRAM); 18 tiles of 1088 B in
    /// and out.
    #[test]
    fn kv_fill_waits_per_tile() {
        let t = tiled(&[1, 1, 3200, 576], DType::Bfloat8B, DRAM);
        let f = features_of(Op::UpdateCache, CONTIGUOUS_FILL, &[t, t], None).unwrap();
        assert!(close(f.wait_cycles, 18.0 * ns_per_cycle()));
        assert!(close(f.dram_wait_scale, 18.0 * 479.0 * ns_per_cycle()));
        let hw = Hardware::of(Card::P150);
        let rate = hw.noc_bytes_per_cycle(1088);
        assert!(close(f.noc_scale, 2.0 * 18.0 * 1088.0 / rate * ns_per_cycle()));
        assert!(close(f.dram_scale, 2.0 * 1800.0 * 1088.0 * hw.ns_per_dram_byte));
        // Interleaved: no address to compute; no compute kernel: no fixed cost.
        assert_eq!((f.address_scale, f.overhead_cycles), (0.0, 0.0));
    }

    /// The same fill into the ND-sharded DRAM cache DeepSeek's trace has
    /// (`DEV_0_DRAM_ND_SHARDED`): the writer computes the address of each of its 18 tiles
    /// before writing it, 248 cycles each (tt-metal issue #24288); the rest is the interleaved
    /// fill's. A paged update, whose compute kernel untilizes and tilizes, has the fixed cost.
    #[test]
    fn nd_sharded_cache_pages_are_addressed_one_by_one() {
        let x = tiled(&[1, 1, 3200, 576], DType::Bfloat8B, DRAM);
        let shard = ShardSpec::new(
            CoreRange { start: (0, 0), end: (7, 0) },
            [416, 576],
            ShardOrientation::RowMajor,
        );
        let nd = MemoryConfig::sharded(BufferType::Dram, MemoryLayout::NdSharded, shard);
        let cache = tiled(&[1, 1, 3200, 576], DType::Bfloat8B, nd);
        let f = features_of(Op::UpdateCache, CONTIGUOUS_FILL, &[cache, x], None).unwrap();
        let interleaved = features_of(Op::UpdateCache, CONTIGUOUS_FILL, &[x, x], None).unwrap();
        assert!(close(f.address_scale, 18.0 * 248.0 * ns_per_cycle()));
        assert!(close(f.wait_cycles, interleaved.wait_cycles));
        assert_eq!(f.overhead_cycles, 0.0);
        let update = features_of(
            Op::UpdateCache,
            &[],
            &[tiled(&[32, 8, 1024, 64], DType::Bfloat16, DRAM), one_core_rows(&[1, 8, 32, 64]), table(&[1])],
            None,
        )
        .unwrap();
        assert!(close(update.overhead_cycles, ns_per_cycle()));
    }

    /// A scatter's row-major DRAM tensors: a bfloat16 input of `rows` sticks of `width`, an
    /// index of `index_rows` of `k` positions in `index_dtype` and its bfloat16 source.
    fn scatter_inputs(rows: u32, width: u32, index_rows: u32, k: u32, index_dtype: DType) -> [TensorParams; 3] {
        let rm = |dims: &[u32], dtype| TensorParams::new(Shape::new(dims), dtype, Layout::RowMajor, DRAM);
        [
            rm(&[1, 1, rows, width], DType::Bfloat16),
            rm(&[1, 1, index_rows, k], index_dtype),
            rm(&[1, 1, index_rows, k], DType::Bfloat16),
        ]
    }

    /// A MoE router's scatter on a p150 (13x10 grid): 300 sticks of 128 bfloat16 into which
    /// the index's 150 rows of 8 uint16 positions write 8 source values each. 3 sticks on the
    /// busiest core, the first, all with an index row: a wait a stick for its read and the
    /// previous stick's write, the last write's, and 2 a stick for the index and source
    /// reads, all to or from DRAM: 3 + 1 + 6. Its L1 loads are the 3 x 128 copied elements
    /// and 3 a scanned index (index, source, output value), its stores the copies and one an
    /// index.
    #[test]
    fn scatter_by_hand() {
        let [x, index, source] = scatter_inputs(300, 128, 150, 8, DType::Uint16);
        let f = features_of(Op::Scatter, &[], &[x, index, source], None).unwrap();
        assert!(close(f.wait_cycles, 10.0 * ns_per_cycle()));
        assert!(close(f.dram_wait_scale, 10.0 * 479.0 * ns_per_cycle()));
        let (loads, stores) = (3.0 * 128.0 + 3.0 * 3.0 * 8.0, 3.0 * 128.0 + 3.0 * 8.0);
        assert!(close(f.element_scale, (loads * 8.0 + stores * 1.0) * ns_per_cycle()));
        let hw = Hardware::of(Card::P150);
        let noc = 3.0 * 2.0 * 256.0 / hw.noc_bytes_per_cycle(256) + 3.0 * 2.0 * 16.0 / hw.noc_bytes_per_cycle(16);
        assert!(close(f.noc_scale, noc * ns_per_cycle()));
        // The input read and the output written, the index and source read once.
        assert!(close(f.dram_scale, (2.0 * 300.0 * 256.0 + 2.0 * 150.0 * 16.0) * hw.ns_per_dram_byte));
        assert_eq!(f.tile_cycles, 0.0);
        // An index of 2 rows: 2 of the first core's sticks scattered, 3 + 1 + 4 waits.
        let [_, few, few_source] = scatter_inputs(300, 128, 2, 8, DType::Uint16);
        let g = features_of(Op::Scatter, &[], &[x, few, few_source], None).unwrap();
        assert!(close(g.wait_cycles, 8.0 * ns_per_cycle()));
    }

    /// What tt-metal's scatter does not run, or runs with another program, is an error: a
    /// tiled or sharded tensor, a float index, a bfloat16 input with a reduction (float32 with
    /// one runs the modeled program).
    #[test]
    fn scatter_refuses_what_the_kernel_does_not_run() {
        let [x, index, source] = scatter_inputs(64, 128, 64, 8, DType::Int32);
        assert!(features_of(Op::Scatter, &[], &[x, index, source], None).is_ok());
        let tiled_x = tiled(&[1, 1, 64, 128], DType::Bfloat16, DRAM);
        assert!(features_of(Op::Scatter, &[], &[tiled_x, index, source], None).is_err());
        let shard = ShardSpec::new(CoreRange { start: (0, 0), end: (1, 0) }, [32, 128], ShardOrientation::RowMajor);
        let sharded = x.with_memory(MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard));
        assert!(matches!(
            features_of(Op::Scatter, &[], &[sharded, index, source], None),
            Err(Error::InvalidTensor { .. })
        ));
        let float_index = index.with_dtype(DType::Bfloat16);
        assert!(features_of(Op::Scatter, &[], &[x, float_index, source], None).is_err());
        let add = [("reduction", "add")];
        assert!(features_of(Op::Scatter, &add, &[x, index, source], None).is_err());
        let (x32, source32) = (x.with_dtype(DType::Float32), source.with_dtype(DType::Float32));
        assert!(features_of(Op::Scatter, &add, &[x32, index, source32], None).is_ok());
    }

    /// CLIP's 19 tokens from a 768-wide bfloat16 table: groups of 16 tokens, 16 on the busiest
    /// core, each a waited 1536 B row read from DRAM, plus one waited index read.
    #[test]
    fn embedding_by_hand() {
        let idx = TensorParams::new(
            Shape::padded(&[1, 1, 32, 32], &[1, 1, 1, 19]),
            DType::Uint32,
            Layout::TILE,
            DRAM,
        );
        let w = TensorParams::new(Shape::new(&[1, 1, 49408, 768]), DType::Bfloat16, Layout::RowMajor, DRAM);
        let y = TensorParams::new(Shape::new(&[1, 1, 19, 768]), DType::Bfloat16, Layout::RowMajor, DRAM);
        let f = features_of(Op::Embedding, &[], &[idx, w], Some(&y)).unwrap();
        assert!(close(f.wait_cycles, 17.0 * ns_per_cycle()));
        assert!(close(f.dram_wait_scale, 17.0 * 479.0 * ns_per_cycle()));
        let hw = Hardware::of(Card::P150);
        let rate = hw.noc_bytes_per_cycle(1536);
        assert!(close(f.noc_scale, 2.0 * 16.0 * 1536.0 / rate * ns_per_cycle()));
        assert!(close(f.dram_scale, 2.0 * 19.0 * 1536.0 * hw.ns_per_dram_byte));
        assert_eq!(f.tile_cycles, 0.0);
        // A block-float table has no row size to read.
        let bf8 = w.with_dtype(DType::Bfloat8B).with_layout(Layout::TILE);
        assert!(features_of(Op::Embedding, &[], &[idx, bf8], Some(&y)).is_err());
    }

    /// Row-major indices (a public Qwen3.6 prefill's 33 tokens, a 64-wide table) into
    /// row-major rows take `embeddings_rm_program_factory.cpp`: one token a core over the
    /// p150's 130 cores, so the busiest core waits for one weight row and one index read (not
    /// a group of 16). With 1040 tokens, 8 a core: they may span two of the 16-index blocks
    /// a 64-B DRAM read holds, 8 rows and 2 index reads. Into a tiled output the fused
    /// factory takes 32-token blocks: 1040 tokens are 33 blocks, one a core: one read of 32
    /// indices waited for, then the block's 32 rows issued and waited for once
    /// (`embeddings_tilize.cpp`); a table 16384 wide (512 tiles a row, 2 MiB for two blocks
    /// against the factory's 1 MiB budget) in 8 chunks of 64 tiles, each waited for.
    #[test]
    fn embedding_of_row_major_indices_follows_the_factory() {
        let rm = |dims: &[u32], dtype| TensorParams::new(Shape::new(dims), dtype, Layout::RowMajor, DRAM);
        let w = rm(&[1, 1, 151936, 64], DType::Bfloat16);
        let waits = |tokens: u32, y: TensorParams| {
            let f = features_of(Op::Embedding, &[], &[rm(&[1, 1, 1, tokens], DType::Uint32), w], Some(&y)).unwrap();
            (f.wait_cycles / ns_per_cycle(), f.dram_wait_scale / (479.0 * ns_per_cycle()))
        };
        let (one, _) = waits(33, rm(&[1, 1, 33, 64], DType::Bfloat16));
        assert!(close(one, 2.0));
        let (eight, dram) = waits(1040, rm(&[1, 1, 1040, 64], DType::Bfloat16));
        assert!(close(eight, 10.0) && close(dram, 10.0));
        let tiled = TensorParams::new(Shape::new(&[1, 1, 1056, 64]), DType::Bfloat16, Layout::TILE, DRAM);
        let (fused, dram) = waits(1040, tiled);
        assert!(close(fused, 2.0) && close(dram, 2.0));
        let wide = rm(&[1, 1, 151936, 16384], DType::Bfloat16);
        let y = TensorParams::new(Shape::new(&[1, 1, 1056, 16384]), DType::Bfloat16, Layout::TILE, DRAM);
        let f = features_of(Op::Embedding, &[], &[rm(&[1, 1, 1, 1040], DType::Uint32), wide], Some(&y)).unwrap();
        assert!(close(f.wait_cycles / ns_per_cycle(), 1.0 + 8.0));
    }

    /// A contiguous cache's decode update of 8 heads x 32 users `[1, 8, 32, 128]` (interleaved
    /// in DRAM) into a `[32, 8, 1024, 128]` cache on a p150: 8 rows of tiles over 8 cores.
    /// The busiest core waits for its new row and 16 reads of 2 users' cache rows (17, all
    /// DRAM); converts 4 tiles, then 4 + 4 for each of the 32 users (260); moves 32 rows of 4
    /// tiles in and out, and its new row in.
    #[test]
    fn contiguous_update_by_hand() {
        let cache = tiled(&[32, 8, 1024, 128], DType::Bfloat16, DRAM);
        let x = tiled(&[1, 8, 32, 128], DType::Bfloat16, DRAM);
        let params = &[("op_type", "update"), ("cache", "contiguous")];
        let f = features_of(Op::UpdateCache, params, &[cache, x], None).unwrap();
        assert!(close(f.wait_cycles, 17.0 * ns_per_cycle()));
        assert!(close(f.dram_wait_scale, 17.0 * 479.0 * ns_per_cycle()));
        assert!(close(f.tile_cycles, 260.0 * ns_per_cycle()));
        assert!(close(f.noc_scale, tile_noc_ns(2.0 * 128.0 + 4.0)));
        let hw = Hardware::of(Card::P150);
        // 8 rows x 32 users x 4 tiles read and written, the 32 new tiles read.
        let tiles = 2.0 * 1024.0 + 32.0;
        assert!(close(f.dram_scale, tiles * 2048.0 * hw.ns_per_dram_byte));
    }

    /// The older paged op's fill (`update_cache` with `op_type = "fill"`) is the paged fill.
    #[test]
    fn paged_fill_by_either_op() {
        let cache = tiled(&[4, 4, 32, 128], DType::Bfloat16, DRAM);
        let x = tiled(&[1, 4, 128, 128], DType::Bfloat16, DRAM);
        let inputs = [cache, x, table(&[1, 4])];
        let fill = features_of(Op::FillCache, &[], &inputs, None).unwrap();
        let old = features_of(Op::UpdateCache, &[("op_type", "fill")], &inputs, None).unwrap();
        assert_eq!(fill, old);
    }
}
