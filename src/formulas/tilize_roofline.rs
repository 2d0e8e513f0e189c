//! `tilize_roofline`: tilize, tilize with value padding, untilize and untilize with
//! unpadding: the conversions between row-major sticks and 32x32 tiles.
//!
//! What it reads: the row-major side (the input of a tilize, the output of an untilize) and
//! the tile side: their padded shapes (the tile side's, padded to whole tiles, is what a
//! padding tilize writes and an unpadding untilize reads), their layouts (which side is
//! which; a query with both alike is an error), their dtypes (tile and stick bytes), their
//! memory configs (DRAM or L1, interleaved or sharded) and, when sharded, the shard grid's
//! core count. Of the op params it reads only `use_multicore` (earlier tt-metal ran a padding
//! tilize or an unpadding untilize called with `false` on its single-core factory: one core
//! does every block); the pad value costs nothing.
//!
//! How ttnn splits the work (tenstorrent/tt-metal,
//! `ttnn/cpp/ttnn/operations/data_movement/tilize/device/tilize_multi_core_interleaved_program_factory.cpp`
//! and the `untilize`, `tilize_with_val_padding` and `untilize_with_unpadding` factories
//! beside it): a *block* is one row of tiles, the full width of the tensor (`ntiles_per_block
//! = padded_shape[-1] / TILE_WIDTH`, `nblocks = tiles / ntiles_per_block`);
//! `split_blocks_for_tilize` gives each core of the worker grid `ceil(nblocks / cores)` blocks
//! (fewer cores when there are fewer blocks). Each 2D slice is padded to whole tile rows on
//! its own, so a padding tilize's block holds only its slice's real rows (a `[1, 32, 4, 64]`
//! tensor's 32 blocks, 4 sticks each), and so does an unpadding untilize's. The reader of a
//! tilize reads each block as
//! `TILE_HEIGHT` row-major sticks of `padded_shape[-1] * element_size` bytes and waits once
//! for the 32 (`reader_unary_stick_layout_split_rows_interleaved.cpp`), the compute kernel
//! tilizes the block (`tilize.cpp`: unpack in tilize mode, pack), and the writer writes its
//! tiles (`writer_unary_interleaved_start_id.cpp`). An interleaved tilize, plain or padding,
//! more than 32 tiles wide goes to `TilizeMultiCoreBlockProgramFactory`
//! (`TilizeWithValPaddingMultiCoreBlockInterleavedFactory`) when tt-metal's square blocks
//! (`split_blocks_for_tilize_wh`) spread over more cores than its tile rows: each core then
//! tilizes one square block of every 2D slice, reading each of its real rows and waiting for
//! it (`reader_unary_pad_multicore_both_dims.cpp`): a decode token's row of 2048 padded to a
//! tile row runs on 64 cores, one tile and one 64 B stick each. An untilize's reader reads
//! each DRAM tile and waits for it (`reader_unary_start_id.cpp`, the unpadding one's
//! `reader_unary_interleaved_start_id.cpp`), `pack_untilize` writes row-major rows, and the
//! writer writes each row as a request (`writer_unary_stick_layout_split_rows_multi_core.cpp`),
//! except for an untilize into the same shard spec, whose rows the packer writes into the
//! output shard itself (`untilize_multi_core_input_and_output_shard_type_and_shard_spec_identical_program_factory.cpp`:
//! `writer_unary_sharded.cpp` only waits). The sharded tilize factory runs each core on its
//! own shard, in place in L1.
//!
//! What it counts, for the busiest core (`ceil(blocks / cores)` blocks, over the shard grid's
//! cores when either side is sharded, else over the query's grid; the block factory's square
//! block):
//!
//! * **Compute**: its tiles times `tile_cycles` (one tile through unpack and pack), plus
//!   `tile_byte_cycles` per byte of a tile of each side's dtype (float32 tiles are twice
//!   the bytes of bfloat16 and tilize with `fp32_dest_acc_en`), plus, for a plain untilize,
//!   `block_cycles` per sub-block `pack_untilize` packs (a block is packed in sub-blocks of
//!   the widest divisor of its width up to the tiles DEST holds: 8 of 16 bits, 4 of 32;
//!   `pack_untilize.cpp`). v1 of tilize and untilize takes a tile from the published per-thread cycles
//!   (tt-llk issue #130: Blackhole's unpacker 25 and packer 39 cycles a tile, which a tile
//!   pays in turn: 64; Wormhole 75 cycles a tile, measured in tt-metal issue #21624), and an
//!   untilize's from tt-llk issue #916's instruction count of `pack_untilize`: Blackhole
//!   `32 + 32 * PACR + 6 * 32 / block_ct_dim`, Wormhole `16 * (PACR + 1) + 17 /
//!   block_ct_dim` cycles a tile, `PACR` the cycles of a 16-datum face row at 32 (Blackhole) or
//!   16 (Wormhole) bytes a cycle: 32 or 16 a tile, 1/128 a byte of the input and output tiles
//!   (2 bytes a datum: 1 or 2 cycles a face row, 32 a tile), and 192 or 17 a sub-block.
//!   The padding variants' v1 keeps the eltwise copy's 32 cycles a tile.
//! * **The slow untilize** (`unpack_untilize_scale`, `unpack_untilize_fill_scale`): before
//!   tt-metal PR #25701 (July 2025) the factories ran `untilize.cpp` on every block wider
//!   than 8 tiles (`unpack_untilizes_wide_blocks`, read off a trace's tt-metal:
//!   `trace::era`); its unpacker untilizes a tile a face row at a time, the device's
//!   `unpack_untilize_tile_cycles` a tile (tt-llk issue #131, measured that spring: ~393
//!   cycles on Wormhole, ~512 on Blackhole), in place of pack_untilize's tiles and
//!   sub-blocks. The compute takes a whole block after its read, and the writer the
//!   untilized block: the first block's untilize overlaps nothing and is added to the op
//!   (the fill); the others' are in the compute term, against the reads and writes of the
//!   blocks around them. Wormhole SegFormer's untilizes of one block of 20 and 32 tiles a
//!   core took 0.48x and 0.58x the prediction without it. Today's factories still send
//!   uint16, and float32 wider than 8 tiles, to the slow untilize, not counted: public
//!   Blackhole traces' one-tile uint16 untilizes take 160-270 ns over pack_untilize's
//!   prediction, where the figure adds ~380 (Blackhole's untilize has changed since,
//!   tt-metal PR #45103).
//! * **DRAM** (`dram_scale`): each DRAM-resident side's bytes once, at the card's achievable
//!   bandwidth; for the padding variants the tile side's bytes include the padding.
//! * **NoC** (`noc_scale`): the busiest core's interleaved traffic: its sticks' bytes at the
//!   NoC rate of one stick's size (a stick is one transfer; narrow sticks are slow), its
//!   tiles' bytes at the rate of one tile. Sharded sides are local and cost nothing here.
//! * **Per stick** (`stick_cycles`, in the NoC term): each stick the data-movement core moves
//!   as its own request costs it a fixed number of cycles besides its bytes (address
//!   generation, the request, the barrier): the sticks of an interleaved row-major side, and
//!   every stick an untilize writes (its writer writes row by row, also into an L1 shard of
//!   another spec). A sharded tilize hands the whole shard to the compute kernel, and an
//!   untilize into the same shard spec has the packer write its rows: no per-stick cost. This
//!   is what makes a tensor of narrow rows (3 channels of an image) slow to tilize.
//! * **Waited reads** (`dram_wait_scale`, in the NoC term): each read the reader waits for
//!   costs the device's read latency: from DRAM, tt-metal's measured latency of one core's
//!   small DRAM read (`dram_access` in the device spec: 479 cycles on Blackhole, 383 on
//!   Wormhole), from another core's L1 the NoC's (`noc.core_read_latency_cycles`: 368 on
//!   Blackhole; bh20_oft's 32 waited rows of an L1 tensor a core take 9.3 us, 32 x 368 cycles
//!   and the launch): a plain tilize's block of 32 sticks, each row of the block factory, a
//!   padding tilize's block (today's reader) or each of its rows (the earlier one, below),
//!   each tile an untilize reads.
//! * **Waited row writes** (`write_wait_scale`, in the DRAM term so that the writer's chain
//!   overlaps the reader's in the NoC term; from untilize_with_unpadding's v3): the
//!   unpadding untilize's interleaved writer writes each row it keeps and waits for it
//!   (`writer_unary_stick_layout_split_rows_multicore.cpp`: `noc_async_write_barrier` per
//!   row), so each costs a write's round trip (`noc.write_round_trip_cycles`) plus its bytes
//!   at one core's DRAM rate, or the NoC's to L1 (`Hardware::waited_write_cycles`). On
//!   bh20_oft a core's 1,280 rows of 512 B and another's 1,280 of 6 B (a 3-channel image)
//!   both take ~380 cycles a row, whatever the width.
//! * **Pad stores** (`pad_store_scale`, in the NoC term): a padding tilize's reader fills
//!   the padding of each block it builds with 32-bit stores from its RISC-V, one at a time,
//!   whatever the pad value: each real row's tail short of the padded width, the rows after a
//!   slice's last real row, whole padding tile rows. Each store takes its loop's instructions
//!   at one a cycle (the baby RISC-V issues in order, one at a time), or the device's store
//!   rate where that is slower (`riscv_l1_store_cycles`: five cycles on Wormhole): five for
//!   the indexed loop (`fill_with_val`: `ptr[i] = val`, shift, add, store, increment, branch)
//!   of the block factory, the single-core factory (`reader_unary_pad_dims_split_rows.cpp`)
//!   and the earlier row reader, three for today's row reader's pointer-stepping loop
//!   (`fill_l1_range`: store, increment, branch). The fit puts 1.08 on these counts; the
//!   public Blackhole traces measure ~5.7 and ~3.3 cycles a store (a 1x6656 and a 1x2048
//!   padding over 104 and 64 cores, a 1x256 and a 1x128 on one core).
//!   The reader that waits for each row fills a row's tail while the row's read is in
//!   flight: those stores hide under the wait and are not counted.
//! * **The row reader** (`waits_each_row`): the multi-core row reader
//!   (`reader_unary_pad_dims_split_rows_multicore.cpp`) waited for each row it read until
//!   tt-metal's ND-sharding rewrite of the op (PR #38415, opened 2026-02-24); since, it
//!   issues a tile row's reads, fills the block's padding meanwhile, and waits once. A
//!   trace's tt-metal is read off its rows (`trace::era`); a query takes today's. Its cores
//!   then differ in padding as well as rows: the busiest is the core whose waited reads and
//!   stores take longest by the published figures (a `[33, 64]` tensor on two cores: the
//!   core of one real row and 31 of padding, not the one of 32 rows).
//!
//! It assumes balanced blocks (the busiest core's count is the one that matters) and full
//! overlap of the reader, compute and writer; the block factory's edge blocks' row tails are
//! not counted as stores.

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::{OpParams, TilizeRooflineFeatures};
use crate::model::{Ctx, ceil_div, div, largest_divisor, max, min};
use crate::tensor::{Layout, TensorParams};

/// The busiest core's work: tile-row blocks, tiles and row-major sticks, and the bytes of
/// one stick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split {
    pub cores: u64,
    pub blocks: u64,
    pub tiles: u64,
    pub sticks: u64,
    pub stick_bytes: u64,
}

/// How `split_blocks_for_tilize` divides a conversion between `rm` (row-major) and `tiled`
/// over `cores` (the shard grid's, or the query grid's).
pub(crate) const fn split(
    rm: &TensorParams,
    tiled: &TensorParams,
    cores: u64,
) -> Option<Split> {
    let (Some((_, w_tiles)), Some(tiles)) = (tiled.tile_grid(), tiled.tiles()) else {
        return None;
    };
    let tile_h = match tiled.layout {
        Layout::Tile { height, .. } => height as u64,
        Layout::RowMajor => return None,
    };
    let (Some(rm_volume), Some(element)) = (rm.shape.volume(), rm.dtype.element_bytes()) else {
        return None;
    };
    let width = rm.shape.dim_from_end(0) as u64;
    let rm_rows = rm_volume / if width > 0 { width } else { 1 };
    let blocks = tiles / if w_tiles > 0 { w_tiles } else { 1 };
    let cores = max(min(cores, blocks), 1);
    let per_core = ceil_div(blocks, cores);
    // Each 2D slice pads its rows to whole tile rows on its own: a block holds the real rows
    // of its slice's tile row, the rest is padding
    // (`reader_unary_pad_dims_split_rows_multicore.cpp` reads `n_data` full tile rows, one of
    // `n_mixed` real rows, and fills `n_pads` tile rows). The busiest core's run of blocks:
    // whole slices, then at most one slice's first blocks.
    let real_h = rm.shape.dim_from_end(1) as u64;
    let per_slice = max(ceil_div(tiled.shape.dim_from_end(1) as u64, max(tile_h, 1)), 1);
    let sticks = (per_core / per_slice) * real_h + min((per_core % per_slice) * tile_h, real_h);
    Some(Split {
        cores,
        blocks: per_core,
        tiles: per_core * w_tiles,
        sticks: min(sticks, rm_rows),
        stick_bytes: width * element as u64,
    })
}

/// The busiest core's work when `tilize_multi_core_interleaved_program_factory.cpp` hands a
/// plain tilize to `TilizeMultiCoreBlockProgramFactory`: a tensor more than 32 tiles wide,
/// and taller than 32 tiles or wider than tall (in its last two dims), whose square blocks
/// (`square_blocks`) spread over more cores than its tile rows (`row_cores`) do. Each core
/// then tilizes one square block of every 2D slice: `side` rows of tiles, each read as 32
/// sticks of `side` tiles' width (`reader_unary_pad_multicore_both_dims.cpp`, which reads a
/// row, waits for it and copies it into place). `None`: the row factory.
pub(crate) const fn block_split(
    rm: &TensorParams,
    tiled: &TensorParams,
    grid: u64,
    row_cores: u64,
) -> Option<Split> {
    let (Some((h, w)), Some(tiles), Some(element)) =
        (tiled.tile_grid(), tiled.tiles(), rm.dtype.element_bytes())
    else {
        return None;
    };
    let (tile_h, tile_w) = match tiled.layout {
        Layout::Tile { height, width } => (height as u64, width as u64),
        Layout::RowMajor => return None,
    };
    if w <= 32 || !(h > 32 || w > h) || h == 0 {
        return None;
    }
    let (side, cores) = square_blocks(w, h, grid);
    if cores <= row_cores {
        return None;
    }
    let slices = tiles / (w * h);
    let (bw, bh) = (min(side, w), min(side, h));
    Some(Split {
        cores,
        blocks: bh * slices,
        tiles: bw * bh * slices,
        sticks: bh * tile_h * slices,
        stick_bytes: bw * tile_w * element as u64,
    })
}

/// The widest block, in tiles, the earlier factories gave `pack_untilize` (`MAX_PACK_UNTILIZE_WIDTH`).
const MAX_PACK_UNTILIZE_WIDTH: u64 = 8;

/// Tiles of one of the busiest core's blocks (`s`) when an untilize runs the slow untilize,
/// else 0: before tt-metal PR #25701 (`wide_blocks_slow`), the factories
/// (`untilize_multi_core_program_factory.cpp` and the unpadding ones') gave it every block
/// wider than `MAX_PACK_UNTILIZE_WIDTH`.
const fn slow_untilize_block(s: &Split, wide_blocks_slow: bool) -> u64 {
    let per_block = min(ceil_div(s.tiles, max(s.blocks, 1)), s.tiles);
    if wide_blocks_slow && per_block > MAX_PACK_UNTILIZE_WIDTH { per_block } else { 0 }
}

/// The square block side (in tiles) and core count `split_blocks_for_tilize_wh` gives a
/// `w` x `h` tile matrix on `grid` cores (`compute_ncores_wh` and
/// `closest_square_larger_than_b` in tt-metal's
/// `ttnn/cpp/ttnn/operations/core/work_split/work_split_tilize.hpp`): the smallest side, from
/// the square root of the tiles a core would take, whose blocks number fewer than the grid's
/// cores.
pub(crate) const fn square_blocks(w: u64, h: u64, grid: u64) -> (u64, u64) {
    let (w, h) = (max(w, 1), max(h, 1));
    if grid == 0 {
        return (1, w * h);
    }
    let b = ceil_div(w * h, grid);
    let side = b.isqrt();
    if side * side == b && blocks_of(w, h, side) < grid {
        return (side, blocks_of(w, h, side));
    }
    // The blocks fall as the side grows: the smallest side from `side + 1` on whose blocks
    // number fewer than the cores, by bisection (a walk a tile at a time would be as long as
    // the matrix is wide). Once the side covers the matrix there is one block, fewer than any
    // grid of 2+.
    let (mut lo, mut hi) = (side + 1, max(max(w, h), side + 1));
    if blocks_of(w, h, hi) >= grid {
        return (1, w * h);
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if blocks_of(w, h, mid) < grid {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    (lo, blocks_of(w, h, lo))
}

/// Instructions an iteration of the padding fill loops: an indexed loop (`ptr[i] = val`:
/// shift, add, store, increment, branch: `fill_with_val` of the block factory, the
/// single-core reader and the earlier row reader) and a pointer-stepping one (store,
/// increment, branch: today's row reader, `fill_l1_range`), at one instruction a cycle (the
/// baby RISC-V issues in order, one at a time), unless the device's stores are slower.
const INDEXED_FILL_LOOP: f64 = 5.0;
const POINTER_FILL_LOOP: f64 = 3.0;

/// Cycles a waited read of `t` takes: the DRAM's read latency, or from another core's L1 the
/// NoC's.
const fn read_latency_cycles(cx: &Ctx<'_>, t: &TensorParams) -> f64 {
    if t.memory.is_dram() {
        cx.hw.dram_read_latency_cycles
    } else {
        cx.hw.noc_core_read_latency_cycles
    }
}

/// The 32-bit stores a padding tilize's reader makes to fill the padding of `core`'s blocks
/// that it waits for: all they hold but its real rows' bytes, `row_bytes` each: a row's
/// bytes, or, where the reader waits for each row, the row padded to its block's width (it
/// fills a row's tail while the row's read is in flight, then waits for the read, which
/// takes longer).
const fn pad_stores_of(tiled: &TensorParams, core: &Split, element: u64, row_bytes: u64) -> Option<u64> {
    let Layout::Tile { height, width } = tiled.layout else {
        return None;
    };
    let built = core.tiles * height as u64 * width as u64 * element;
    Some(built.saturating_sub(core.sticks * row_bytes) / 4)
}

/// The core of a padding tilize's row factory whose reader takes longest: `split_blocks_for_tilize`
/// gives the first cores `ceil(blocks / cores)` blocks each, in order through the slices,
/// and a block's real rows are its slice's rows left at that tile row (none in the padding
/// tile rows past them). A core of full blocks waits longest for reads, one holding a slice's
/// last rows and its padding stores longest: each core costs its waited reads (each row, or
/// each block with a real row) at `latency` cycles and its pad stores at `store` cycles. The
/// core's `blocks` are those it reads a row for (a padding tile row reads none).
const fn padded_busiest_core(
    rm: &TensorParams,
    tiled: &TensorParams,
    cores: u64,
    waits_each_row: bool,
    latency: f64,
    store: f64,
) -> Option<Split> {
    let (Some((_, w_tiles)), Some(tiles)) = (tiled.tile_grid(), tiled.tiles()) else {
        return None;
    };
    let (tile_h, tile_w) = match tiled.layout {
        Layout::Tile { height, width } => (max(height as u64, 1), width as u64),
        Layout::RowMajor => return None,
    };
    let element = match rm.dtype.element_bytes() {
        Some(e) => e as u64,
        None => return None,
    };
    let w_tiles = max(w_tiles, 1);
    let blocks = tiles / w_tiles;
    let cores = max(min(cores, blocks), 1);
    let per_core = ceil_div(blocks, cores);
    let real_h = rm.shape.dim_from_end(1) as u64;
    let per_slice = max(ceil_div(tiled.shape.dim_from_end(1) as u64, tile_h), 1);
    let real_blocks = ceil_div(real_h, tile_h);
    let stick_bytes = rm.shape.dim_from_end(0) as u64 * element;
    let mut best: Option<(f64, Split)> = None;
    let mut k = 0;
    while k < cores {
        let a = k * per_core;
        let b = min(a + per_core, blocks);
        if a >= b {
            break;
        }
        let core = Split {
            cores,
            blocks: first(b, per_slice, real_blocks, 1) - first(a, per_slice, real_blocks, 1),
            tiles: (b - a) * w_tiles,
            sticks: first(b, per_slice, real_h, tile_h) - first(a, per_slice, real_h, tile_h),
            stick_bytes,
        };
        let waits = if waits_each_row { core.sticks } else { core.blocks };
        let row_bytes = if waits_each_row { w_tiles * tile_w * element } else { stick_bytes };
        let stores = match pad_stores_of(tiled, &core, element, row_bytes) {
            Some(n) => n,
            None => return None,
        };
        let cost = waits as f64 * latency + stores as f64 * store;
        best = match best {
            Some((c, _)) if c >= cost => best,
            _ => Some((cost, core)),
        };
        k += 1;
    }
    match best {
        Some((_, core)) => Some(core),
        None => None,
    }
}

/// Real rows (`unit` = the tile height, `real` = a slice's real rows) or blocks holding any
/// (`unit` = 1, `real` = such blocks a slice) in the first `n` blocks, `per_slice` blocks a slice.
const fn first(n: u64, per_slice: u64, real: u64, unit: u64) -> u64 {
    (n / per_slice) * real + min((n % per_slice) * unit, real)
}

/// Square blocks of `side` tiles covering a `w` x `h` tile matrix.
const fn blocks_of(w: u64, h: u64, side: u64) -> u64 {
    ceil_div(w, side) * ceil_div(h, side)
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<TilizeRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    // The operand rules make the output required for these ops.
    let Some(y) = cx.output else {
        return Err(cx.not_modeled("a layout conversion without its target tensor"));
    };
    // Which side is row-major, and whether the op writes its sticks one by one.
    let (rm, tiled, rm_operand, tiled_operand, untilize) = match cx.params {
        OpParams::Tilize(_) | OpParams::TilizeWithValPadding(_) => {
            (x, y, Operand::Input(0), Operand::Output, false)
        }
        OpParams::Untilize(_) | OpParams::UntilizeWithUnpadding(_) => {
            (y, x, Operand::Output, Operand::Input(0), true)
        }
        _ => return Err(cx.foreign_params()),
    };
    if !matches!(rm.layout, Layout::RowMajor) {
        return Err(cx.tensor_error(rm_operand, TensorProblem::LayoutNotAllowed));
    }
    if matches!(tiled.layout, Layout::RowMajor) {
        return Err(cx.tensor_error(tiled_operand, TensorProblem::LayoutNotAllowed));
    }
    let overflow = Error::Overflow {
        what: "tilize bytes",
    };
    // The tile side holds the row-major side, padded at most to whole tiles.
    let (rm_bytes, tiled_bytes) = (
        some_or!(rm.bytes(cx.hw), overflow),
        some_or!(tiled.bytes(cx.hw), overflow),
    );
    if some_or!(rm.shape.volume(), overflow) > some_or!(tiled.shape.volume(), overflow) {
        return Err(cx.tensor_error(
            Operand::Output,
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    // Earlier tt-metal ran a padding tilize or an unpadding untilize called with
    // `use_multicore = false` on its single-core factory
    // (`tilize_with_val_padding_single_core`, `untilize_with_unpadding_single_core`): one
    // core does every block, with the same reader and writer loops.
    let multicore = match cx.params {
        OpParams::TilizeWithValPadding(p) => p.use_multicore,
        OpParams::UntilizeWithUnpadding(p) => p.use_multicore,
        _ => true,
    };
    let cores = match (rm.memory.shard, tiled.memory.shard) {
        _ if !multicore => 1,
        (Some(s), _) | (None, Some(s)) => s.cores as u64,
        (None, None) => cx.grid.cores() as u64,
    };
    let (rm_interleaved, tiled_interleaved) = (
        !rm.memory.layout.is_sharded(),
        !tiled.memory.layout.is_sharded(),
    );
    let rows = some_or!(split(rm, tiled, cores), overflow);
    // A plain interleaved tilize of wide rows may go to the block factory instead, whose
    // reader waits for every row it reads.
    let block = match cx.params {
        OpParams::Tilize(_) if rm_interleaved && tiled_interleaved => {
            // The row factory's cores: `compute_ncores`, ceil(blocks / blocks a core).
            let row_blocks = some_or!(tiled.tiles(), overflow) / tiled.row_tiles();
            block_split(rm, tiled, cores, ceil_div(row_blocks, rows.blocks))
        }
        // A padding tilize picks its factory by the same rule
        // (`tilize_with_val_padding_device_operation.cpp`, `select_program_factory`: more than
        // 32 tiles wide, taller than 32 tiles or wider than tall, and more cores by square
        // blocks than by tile rows: `TilizeWithValPaddingMultiCoreBlockInterleavedFactory`,
        // the same `reader_unary_pad_multicore_both_dims.cpp`). Its cores read only the real
        // rows of their blocks: a one-token row padded to a tile row is one stick a core.
        // So do an interleaved untilize with unpadding and its kept rows
        // (`untilize_with_unpadding_device_operation.cpp`, `select_program_factory`:
        // `UntilizeWithUnpaddingMultiCoreBlockInterleavedProgramFactory`).
        OpParams::TilizeWithValPadding(_) | OpParams::UntilizeWithUnpadding(_)
            if multicore && rm_interleaved && tiled_interleaved =>
        {
            let row_blocks = some_or!(tiled.tiles(), overflow) / tiled.row_tiles();
            match block_split(rm, tiled, cores, ceil_div(row_blocks, rows.blocks)) {
                Some(b) => {
                    Some(Split {
                        sticks: min(b.sticks, rm.rows()),
                        ..b
                    })
                }
                None => None,
            }
        }
        _ => None,
    };
    // The padding tilize's row reader: which loop fills the padding (its instructions a
    // store), and whether it waits for each row or once a tile row.
    let (waits_each_row, fill_loop) = match cx.params {
        OpParams::TilizeWithValPadding(p) if multicore && !p.waits_each_row && block.is_none() => (false, POINTER_FILL_LOOP),
        _ => (true, INDEXED_FILL_LOOP),
    };
    let store_cycles = cx.hw.store_loop_cycles(fill_loop);
    let (s, waited_reads) = match block {
        Some(b) => (b, b.sticks),
        // A plain tilize's reader issues a block's 32 sticks and waits once
        // (`reader_unary_stick_layout_split_rows_interleaved.cpp`: 32 `noc_async_read`s,
        // one `noc_async_read_barrier`).
        None => match cx.params {
            OpParams::Tilize(_) => (rows, rows.blocks),
            // A padding tilize's cores differ in padding as well as rows: the busiest is
            // the one whose waits and fill stores take longest.
            OpParams::TilizeWithValPadding(_) if rm_interleaved => {
                let latency = read_latency_cycles(cx, rm);
                let c = some_or!(padded_busiest_core(rm, tiled, rows.cores, waits_each_row, latency, store_cycles), overflow);
                (c, if waits_each_row { c.sticks } else { c.blocks })
            }
            _ => (rows, rows.sticks),
        },
    };
    let tile_bytes = some_or!(tiled.tile_bytes(cx.hw), overflow);
    let mut noc_ns = 0.0;
    if rm_interleaved {
        noc_ns += cx.noc_ns_at(
            s.sticks * s.stick_bytes,
            cx.hw.noc_bytes_per_cycle(s.stick_bytes),
        );
    }
    if tiled_interleaved {
        noc_ns += cx.noc_ns_of_tiles(s.tiles * tile_bytes, tiled);
    }
    // A plain untilize from an L1 shard into the same shard spec packs its rows straight
    // into the output shard; its writer only waits for them
    // (`untilize_multi_core_input_and_output_shard_type_and_shard_spec_identical_program_factory.cpp`,
    // `writer_unary_sharded.cpp`). Other untilizes' writers write each row as a request.
    let in_place = matches!(cx.params, OpParams::Untilize(_))
        && match (rm.memory.shard, tiled.memory.shard) {
            (Some(a), Some(b)) => a.cores == b.cores && a.shape[0] == b.shape[0] && a.shape[1] == b.shape[1],
            _ => false,
        };
    let one_by_one = rm_interleaved || (untilize && !in_place);
    // An untilize's reader reads a DRAM tile and waits for it before the next
    // (`reader_unary_start_id.cpp`, and `reader_unary_interleaved_start_id.cpp` of the
    // unpadding one: `noc_async_read`, `noc_async_read_barrier` per tile).
    let (waited_reads, read_from) = match cx.params {
        OpParams::Untilize(_) | OpParams::UntilizeWithUnpadding(_) => (s.tiles, if tiled_interleaved { Some(tiled) } else { None }),
        _ => (waited_reads, if rm_interleaved { Some(rm) } else { None }),
    };
    let read_latency = match read_from {
        Some(t) => read_latency_cycles(cx, t),
        None => 0.0,
    };
    // pack_untilize packs a block in sub-blocks of the widest divisor of its width up to the
    // tiles DEST holds (8 of 16 bits, 4 of 32: `pack_untilize.cpp`, `max_bct`), each with a
    // fixed cost (`block_cycles`).
    let sub_blocks = match cx.params {
        OpParams::Untilize(_) => {
            let w = tiled.row_tiles();
            let most = if cx.hw.tile_bytes(tiled.dtype) > 2048 || cx.hw.tile_bytes(rm.dtype) > 2048 { 4 } else { 8 };
            s.blocks * div(w, largest_divisor(w, most, false))
        }
        _ => 0,
    };
    let dram = if rm.memory.is_dram() { rm_bytes } else { 0 }
        + if tiled.memory.is_dram() { tiled_bytes } else { 0 };
    // untilize_with_unpadding's interleaved writer writes each row it keeps and waits for it
    // (`writer_unary_stick_layout_split_rows_multicore.cpp`: `noc_async_write`,
    // `noc_async_write_barrier` per row): a write's round trip a row, plus its bytes. The
    // busiest core keeps the real rows of its blocks (`split`: whole tile rows but for each
    // slice's last; the padding rows are dropped), not an even share of all kept rows: a
    // `[33, W]` tensor's two blocks on two cores keep 32 rows and 1.
    let waited_writes = match cx.params {
        OpParams::UntilizeWithUnpadding(_) if rm_interleaved => {
            let row = cx.hw.waited_write_cycles(s.stick_bytes, rm.memory.is_dram());
            cx.cycles_to_ns(s.sticks as f64 * row)
        }
        _ => 0.0,
    };
    // Every padding tilize's reader fills the padding of the blocks it builds with 32-bit
    // stores from its RISC-V, one at a time: the tail of each real row short of the padded
    // width, the rows after a slice's last real row, and whole padding tile rows
    // (`reader_unary_pad_dims_split_rows_multicore.cpp`: `fill_with_val`, later
    // `fill_l1_range`; the block factory's `reader_unary_pad_multicore_both_dims.cpp` and the
    // single-core `reader_unary_pad_dims_split_rows.cpp` alike), whatever the pad value.
    let pad_stores = match cx.params {
        OpParams::TilizeWithValPadding(_) if rm_interleaved => {
            let element = some_or!(rm.dtype.element_bytes(), overflow) as u64;
            let row_bytes = match block {
                // The block factory reads its block's width, padding and all.
                Some(_) => s.stick_bytes,
                None if waits_each_row => match tiled.layout {
                    Layout::Tile { width, .. } => tiled.row_tiles() * width as u64 * element,
                    Layout::RowMajor => s.stick_bytes,
                },
                None => s.stick_bytes,
            };
            some_or!(pad_stores_of(tiled, &s, element, row_bytes), overflow)
        }
        _ => 0,
    };
    // Where the earlier factories ran the slow untilize, every tile takes the device's
    // `unpack_untilize_tile_cycles` instead of pack_untilize's cycles and sub-blocks. Its
    // compute waits for a whole block's read, and the writer for the untilized block: the
    // first block's untilize overlaps nothing (the fill), the others' the reads and writes.
    let slow_block = match cx.params {
        OpParams::Untilize(p) => slow_untilize_block(&s, p.unpack_untilizes_wide_blocks),
        OpParams::UntilizeWithUnpadding(p) => slow_untilize_block(&s, p.unpack_untilizes_wide_blocks),
        _ => 0,
    };
    let (fast_tiles, slow_tiles, sub_blocks) =
        if slow_block > 0 { (0, s.tiles, 0) } else { (s.tiles, 0, sub_blocks) };
    let slow_tile_ns = cx.cycles_to_ns(cx.hw.unpack_untilize_tile_cycles);
    let tile_ns = cx.cycles_to_ns(fast_tiles as f64);
    Ok(TilizeRooflineFeatures {
        pad_store_scale: cx.cycles_to_ns(pad_stores as f64 * store_cycles),
        write_wait_scale: waited_writes,
        overhead_cycles: cx.cycles_to_ns(1.0),
        tile_cycles: tile_ns,
        tile_byte_cycles: tile_ns * (tile_bytes + cx.hw.tile_bytes(rm.dtype) as u64) as f64,
        dram_scale: cx.dram_ns(dram),
        noc_scale: noc_ns,
        stick_cycles: if one_by_one {
            cx.cycles_to_ns(s.sticks as f64)
        } else {
            0.0
        },
        block_cycles: cx.cycles_to_ns(sub_blocks as f64),
        unpack_untilize_scale: (slow_tiles - slow_block) as f64 * slow_tile_ns,
        unpack_untilize_fill_scale: slow_block as f64 * slow_tile_ns,
        dram_wait_scale: cx.cycles_to_ns(waited_reads as f64 * read_latency),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{Card, Hardware};
    use crate::op::Op;
    use crate::params::QueryParams;
    use crate::tensor::{BufferType, DType, MemoryConfig, Shape};
    use crate::formulas::test_support::close;
    use crate::{CoreGrid, OpParam, ParamValue};

    /// The features of `op` from `x` to `y` on `hw`, over `grid`.
    fn features_of(op: Op, hw: &'static Hardware, x: TensorParams, y: TensorParams, grid: crate::device::CoreGrid) -> TilizeRooflineFeatures {
        let inputs = [x];
        let cx = Ctx::new(op, hw, QueryParams::ByName(&[]), &inputs, Some(&y), grid).unwrap();
        features(&cx).unwrap()
    }

    fn rm(dims: &[u32], memory: MemoryConfig) -> TensorParams {
        TensorParams::new(Shape::new(dims), DType::Bfloat16, Layout::RowMajor, memory)
    }

    fn tiled(padded: &[u32], logical: &[u32], memory: MemoryConfig) -> TensorParams {
        TensorParams::new(
            Shape::padded(padded, logical),
            DType::Bfloat16,
            Layout::TILE,
            memory,
        )
    }

    /// A 1024x1024 bfloat16 tilize from DRAM to DRAM on an n150 (8x8 grid, 1 GHz):
    /// 32 blocks of 32 tiles, one block a core on 32 of the 64 cores. The busiest core
    /// reads 32 sticks of 2048 B and writes 32 tiles of 2048 B.
    #[test]
    fn tilize_dram_interleaved_by_hand() {
        let hw = Hardware::of(Card::N150);
        let (x, y) = (
            rm(&[1, 1, 1024, 1024], MemoryConfig::DRAM_INTERLEAVED),
            tiled(&[1, 1, 1024, 1024], &[1, 1, 1024, 1024], MemoryConfig::DRAM_INTERLEAVED),
        );
        let s = split(&x, &y, 64).unwrap();
        assert_eq!(
            s,
            Split { cores: 32, blocks: 1, tiles: 32, sticks: 32, stick_bytes: 2048 }
        );
        let f = features_of(Op::Tilize, hw, x, y, hw.compute_grid);
        // 1 GHz: a cycle is 1 ns.
        assert!(close(f.tile_cycles, 32.0));
        // Both sides' tiles are bfloat16: 2048 + 2048 B.
        assert!(close(f.tile_byte_cycles, 32.0 * 4096.0));
        assert!(close(f.stick_cycles, 32.0));
        // 2 MiB read and 2 MiB written at the card's achievable bandwidth.
        assert!(close(f.dram_scale, 4.0 * 1048576.0 * hw.ns_per_dram_byte));
        // 64 KiB of 2048 B sticks and 64 KiB of 2048 B tiles, both at the 2048 B rate.
        let rate = hw.noc_bytes_per_cycle(2048);
        assert!(close(f.noc_scale, 2.0 * 65536.0 / rate));
        // 32 tiles wide is not wider than 32: the row factory, whose reader waits once for
        // its one block's 32 sticks (383 cycles on Wormhole).
        assert!(close(f.dram_wait_scale, 383.0));
        assert_eq!(f.block_cycles, 0.0);
    }

    /// The same tensor untilized from DRAM: the reader waits for each of the busiest core's
    /// 32 tiles, and pack_untilize packs its one block of 32 tiles in 4 sub-blocks of 8
    /// (the most 16-bit tiles DEST holds).
    #[test]
    fn untilize_dram_waits_per_tile_and_packs_sub_blocks() {
        let hw = Hardware::of(Card::N150);
        let (t, r) = (
            tiled(&[1, 1, 1024, 1024], &[1, 1, 1024, 1024], MemoryConfig::DRAM_INTERLEAVED),
            rm(&[1, 1, 1024, 1024], MemoryConfig::DRAM_INTERLEAVED),
        );
        let inputs = [t];
        let cx = Ctx::new(Op::Untilize, hw, QueryParams::ByName(&[]), &inputs, Some(&r), hw.compute_grid)
            .unwrap();
        let f = features(&cx).unwrap();
        assert!(close(f.dram_wait_scale, 32.0 * 383.0));
        assert!(close(f.block_cycles, 4.0));
        assert!(close(f.stick_cycles, 32.0));
    }

    /// Wormhole SegFormer's untilize of a bfloat8_b `[1, 1, 1024, 640]` from L1 on 32 cores
    /// (1 GHz): one block of 20 tiles a core. Its tt-metal (before PR #25701) ran the slow
    /// untilize on a block that wide: 20 x 393 cycles, all in the first block's fill, and no
    /// pack_untilize tiles or sub-blocks. Today's packs the block in 4 sub-blocks of 5.
    #[test]
    fn wide_blocks_of_earlier_tt_metal_take_the_slow_untilize() {
        let hw = Hardware::of(Card::N150);
        let mut t = tiled(&[1, 1, 1024, 640], &[1, 1, 1024, 640], MemoryConfig::L1_INTERLEAVED);
        t.dtype = DType::Bfloat8B;
        let r = rm(&[1, 1, 1024, 640], MemoryConfig::L1_INTERLEAVED);
        let inputs = [t];
        let with = |earlier: bool| {
            let params = [OpParam::new("unpack_untilizes_wide_blocks", ParamValue::Bool(earlier))];
            let cx = Ctx::new(Op::Untilize, hw, QueryParams::ByName(&params), &inputs, Some(&r), CoreGrid::new(8, 4))
                .unwrap();
            features(&cx).unwrap()
        };
        let slow = with(true);
        assert!(close(slow.unpack_untilize_fill_scale, 20.0 * 393.0));
        assert_eq!(slow.unpack_untilize_scale, 0.0);
        assert_eq!((slow.tile_cycles, slow.tile_byte_cycles, slow.block_cycles), (0.0, 0.0, 0.0));
        let today = with(false);
        assert!(close(today.tile_cycles, 20.0));
        assert!(close(today.block_cycles, 4.0));
        assert_eq!((today.unpack_untilize_scale, today.unpack_untilize_fill_scale), (0.0, 0.0));
    }

    /// The earlier factories' choice by width: a `[64, 288]` tensor (blocks of 9 tiles) takes
    /// the slow untilize, `[64, 256]` (8) pack_untilize. On 2 cores, one block each: all in
    /// the fill; on one core, two blocks: the second in the compute term.
    #[test]
    fn earlier_slow_untilize_takes_blocks_wider_than_8_tiles() {
        let hw = Hardware::of(Card::N150);
        let params = [OpParam::new("unpack_untilizes_wide_blocks", ParamValue::Bool(true))];
        let slow = |width: u32, cores: u8| {
            let t = tiled(&[1, 1, 64, width], &[1, 1, 64, width], MemoryConfig::L1_INTERLEAVED);
            let r = rm(&[1, 1, 64, width], MemoryConfig::L1_INTERLEAVED);
            let inputs = [t];
            let cx = Ctx::new(Op::Untilize, hw, QueryParams::ByName(&params), &inputs, Some(&r), CoreGrid::new(cores, 1))
                .unwrap();
            let f = features(&cx).unwrap();
            (f.unpack_untilize_fill_scale, f.unpack_untilize_scale)
        };
        assert_eq!(slow(288, 2), (9.0 * 393.0, 0.0));
        assert_eq!(slow(288, 1), (9.0 * 393.0, 9.0 * 393.0));
        assert_eq!(slow(256, 2), (0.0, 0.0));
    }

    /// bh20_oft's untilize with unpadding of `[1, 1, 25312, 256]` (25,281 rows kept) from and
    /// to DRAM on 20 cores of a p150 (1.35 GHz): 791 blocks of 8 tiles, 40 a core; the busiest
    /// core keeps its 40 blocks' rows, 40 x 32 = 1,280, each written (512 B) and waited for:
    /// 366 + 512 / 21.3 cycles a row. v3 gives 600 + 1,280 x 390.04 / 1.35 +
    /// the DRAM term's bytes; the trace measured 383.2-383.4 µs. Only the unpadding variant
    /// waits row by row.
    #[test]
    fn untilize_with_unpadding_waits_for_each_row_it_writes() {
        let hw = Hardware::of(Card::P150);
        let grid = crate::device::CoreGrid::new(5, 4);
        let t = tiled(&[1, 1, 25312, 256], &[1, 1, 25281, 256], MemoryConfig::DRAM_INTERLEAVED);
        let r = rm(&[1, 1, 25281, 256], MemoryConfig::DRAM_INTERLEAVED);
        let inputs = [t];
        let cx = Ctx::new(Op::UntilizeWithUnpadding, hw, QueryParams::ByName(&[]), &inputs, Some(&r), grid).unwrap();
        let f = features(&cx).unwrap();
        assert!(close(f.write_wait_scale, 1280.0 * (366.0 + 512.0 / 21.3) / 1.35), "{}", f.write_wait_scale);
        let cx = Ctx::new(Op::Untilize, hw, QueryParams::ByName(&[]), &inputs, Some(&r), grid).unwrap();
        assert_eq!(features(&cx).unwrap().write_wait_scale, 0.0);
    }

    /// A public Qwen3.6-27B prefill trace's (tenstorrent/tt-metal `models/autoports`, not in
    /// `../shared`) untilize with unpadding of `[1, 1, 64, 64]` (33 rows real) to DRAM on
    /// two cores: two blocks, one a core. The first core's block is 32 real rows, the second's
    /// one: the busiest core writes and waits for 32 rows of 128 B, not an even share of the
    /// 33 (17). Measured 9.7-9.8 µs: 32 waited rows at ~380 cycles and the launch.
    #[test]
    fn untilize_with_unpadding_busiest_core_keeps_its_blocks_real_rows() {
        let hw = Hardware::of(Card::P150);
        let t = tiled(&[1, 1, 64, 64], &[1, 1, 33, 64], MemoryConfig::DRAM_INTERLEAVED);
        let r = rm(&[1, 1, 33, 64], MemoryConfig::DRAM_INTERLEAVED);
        let f = features_of(Op::UntilizeWithUnpadding, hw, t, r, crate::device::CoreGrid::new(2, 1));
        let row = hw.noc_write_round_trip_cycles + 128.0 / hw.dram_core_bytes_per_cycle;
        assert!(close(f.write_wait_scale, 32.0 * row / 1.35), "{}", f.write_wait_scale);
    }

    /// tt-metal's square blocks for a 96 x 64 tile matrix (2048 x 3072) on 110 cores:
    /// 6144 / 110 -> 56 tiles a core, not a square; side 8 gives 12 x 8 = 96 blocks, the
    /// first count under 110 (side 7: 14 x 10 = 140).
    #[test]
    fn square_blocks_by_hand() {
        assert_eq!(square_blocks(96, 64, 110), (8, 96));
        // 160 x 64 tiles: 94 a core; side 10 gives 16 x 7 = 112, side 11 15 x 6 = 90.
        assert_eq!(square_blocks(160, 64, 110), (11, 90));
        // A perfect square that fits: 64 x 64 on 64 cores -> 64 a core, side 8 -> 64 blocks,
        // not under 64; side 9 -> 8 x 8 = 64 again; side 10 -> 7 x 7 = 49.
        assert_eq!(square_blocks(64, 64, 64), (10, 49));
    }

    /// The bisection finds the side that growing it a tile at a time finds (the blocks fall
    /// as the side grows), and a matrix as wide as a dim can be is answered at once.
    #[test]
    fn square_blocks_bisects_as_a_walk_steps() {
        let walk = |w: u64, h: u64, grid: u64| {
            let b = (w * h).div_ceil(grid);
            let mut side = b.isqrt();
            if side * side == b && blocks_of(w, h, side) < grid {
                return (side, blocks_of(w, h, side));
            }
            side += 1;
            while side < w.max(h) && blocks_of(w, h, side) >= grid {
                side += 1;
            }
            if blocks_of(w, h, side) >= grid {
                return (1, w * h);
            }
            (side, blocks_of(w, h, side))
        };
        for w in 1..=70 {
            for h in 1..=40 {
                for grid in [1, 2, 7, 20, 64, 110, 130] {
                    assert_eq!(square_blocks(w, h, grid), walk(w, h, grid), "{w} x {h} on {grid}");
                }
            }
        }
        // 2^25 tiles wide, one tall, on 64 cores: the first side with fewer than 64 blocks.
        let (side, cores) = square_blocks(1 << 25, 1, 64);
        assert!(cores < 64 && blocks_of(1 << 25, 1, side - 1) >= 64, "{side} {cores}");
    }

    /// A 2048 x 3072 bfloat16 tilize from DRAM on a p150 harvested to an 11x10 grid: 64 tile rows would take
    /// 64 cores, the square blocks 96, so the block factory: each core tilizes an 8 x 8 tile
    /// block, 256 sticks of 8 tiles' width (512 B), each read waited for.
    #[test]
    fn wide_tilize_goes_to_the_block_factory() {
        use crate::device::CoreGrid;
        let hw = Hardware::of(Card::P150);
        let (x, y) = (
            rm(&[1, 1, 2048, 3072], MemoryConfig::DRAM_INTERLEAVED),
            tiled(&[1, 1, 2048, 3072], &[1, 1, 2048, 3072], MemoryConfig::DRAM_INTERLEAVED),
        );
        let b = block_split(&x, &y, 110, 64).unwrap();
        assert_eq!(b, Split { cores: 96, blocks: 8, tiles: 64, sticks: 256, stick_bytes: 512 });
        // As many cores by rows as by blocks: the row factory.
        assert_eq!(block_split(&x, &y, 110, 96), None);
        let inputs = [x];
        let grid = CoreGrid { x: 11, y: 10 };
        let cx = Ctx::new(Op::Tilize, hw, QueryParams::ByName(&[]), &inputs, Some(&y), grid).unwrap();
        let f = features(&cx).unwrap();
        // Blackhole: 1.35 cycles a ns, 479 cycles a waited DRAM read.
        assert!(close(f.tile_cycles, 64.0 / 1.35));
        assert!(close(f.stick_cycles, 256.0 / 1.35));
        assert!(close(f.dram_wait_scale, 256.0 * 479.0 / 1.35));
    }

    /// Tilize with padding of 19 rows of 1280 to one row of 40 tiles (the CLIP text
    /// encoder's input) on an n150 (8x8 grid): 40 tiles wide is more than 32 and wider than
    /// one tile tall, and 40 square blocks of one tile beat the row factory's one core, so
    /// the block factory, as the Wormhole CLIP trace's 40 cores say. Each core reads the 19
    /// real rows of its tile column, 19 sticks of 64 B, each waited for (383 cycles on
    /// Wormhole), and writes one padded tile.
    #[test]
    fn tilize_with_val_padding_wide_row_goes_to_the_block_factory() {
        let hw = Hardware::of(Card::N150);
        let (x, y) = (
            rm(&[1, 1, 19, 1280], MemoryConfig::DRAM_INTERLEAVED),
            tiled(&[1, 1, 32, 1280], &[1, 1, 19, 1280], MemoryConfig::DRAM_INTERLEAVED),
        );
        let f = features_of(Op::TilizeWithValPadding, hw, x, y, hw.compute_grid);
        // 1 GHz: a cycle is 1 ns.
        assert!(close(f.tile_cycles, 1.0));
        assert!(close(f.stick_cycles, 19.0));
        assert!(close(f.dram_wait_scale, 19.0 * 383.0));
        // 19 x 2560 B read, 40 x 2048 B written, whichever cores do it.
        assert!(close(f.dram_scale, (19.0 * 2560.0 + 40.0 * 2048.0) * hw.ns_per_dram_byte));
        let expect = 19.0 * 64.0 / hw.noc_bytes_per_cycle(64) + 2048.0 / hw.noc_bytes_per_cycle(2048);
        assert!(close(f.noc_scale, expect));
    }

    /// An untilize with unpadding of one tile row 90 tiles wide (17 real rows of 2880, as a
    /// GPT-OSS prefill keeps them) on a p150: more than 32 tiles wide and wider than tall, and
    /// 90 square blocks of one tile beat the row factory's one core, so the block factory (the
    /// trace's 90 cores). Each core untilizes one tile and writes its 17 kept rows of 64 B,
    /// each waited for: a write round trip plus 64 B at one core's DRAM rate.
    #[test]
    fn wide_untilize_with_unpadding_goes_to_the_block_factory() {
        let hw = Hardware::of(Card::P150);
        let (x, y) = (
            tiled(&[1, 1, 32, 2880], &[1, 1, 17, 2880], MemoryConfig::DRAM_INTERLEAVED),
            rm(&[1, 1, 17, 2880], MemoryConfig::DRAM_INTERLEAVED),
        );
        let f = features_of(Op::UntilizeWithUnpadding, hw, x, y, hw.compute_grid);
        assert!(close(f.tile_cycles, 1.0 / 1.35));
        let row = hw.noc_write_round_trip_cycles + 64.0 / hw.dram_core_bytes_per_cycle;
        assert!(close(f.write_wait_scale, 17.0 * row / 1.35));
    }

    /// Earlier tt-metal's `use_multicore = false` (an older Wormhole SegFormer trace's padding
    /// tilizes and unpadding untilizes, on one core): `[1, 256, 8, 32]` padded to
    /// `[1, 256, 32, 32]` is 256 blocks of
    /// one tile. On one core that core takes all 256: 256 tiles and 256 x 8 = 2048 sticks of
    /// 64 B, each waited for (383 cycles on Wormhole), and the 256 x 24 x 32 padding values
    /// (2 B each) written as 98,304 32-bit stores at Wormhole's one store in five cycles. The
    /// multi-core factory (the default) spreads the blocks over the n150's 64 cores: 4 blocks
    /// and 4 tiles a core, and fills its padding otherwise (no store counted).
    #[test]
    fn tilize_with_val_padding_single_core_takes_every_block() {
        use crate::params::{OpParam, ParamValue};
        let hw = Hardware::of(Card::N150);
        let (x, y) = (
            rm(&[1, 256, 8, 32], MemoryConfig::DRAM_INTERLEAVED),
            tiled(&[1, 256, 32, 32], &[1, 256, 8, 32], MemoryConfig::DRAM_INTERLEAVED),
        );
        let single = [OpParam::new("use_multicore", ParamValue::Bool(false))];
        let inputs = [x];
        let cx = Ctx::new(Op::TilizeWithValPadding, hw, QueryParams::ByName(&single), &inputs, Some(&y), hw.compute_grid).unwrap();
        let one = features(&cx).unwrap();
        // 1 GHz: a cycle is 1 ns.
        assert!(close(one.tile_cycles, 256.0));
        assert!(close(one.stick_cycles, 2048.0));
        assert!(close(one.dram_wait_scale, 2048.0 * 383.0));
        assert!(close(one.pad_store_scale, 98304.0 * 5.0));
        // Over the grid, 4 blocks a core, each 8 real rows and 24 of padding (64 B: 16 stores
        // a row), read with one wait a block: Wormhole's stores take five cycles, slower than
        // today's three-instruction fill loop.
        let many = features_of(Op::TilizeWithValPadding, hw, x, y, hw.compute_grid);
        assert!(close(many.tile_cycles, 4.0));
        assert!(close(many.dram_wait_scale, 4.0 * 383.0));
        assert!(close(many.pad_store_scale, 4.0 * 24.0 * 16.0 * 5.0));
        // The unpadding untilize back to `[1, 256, 8, 32]` alike: one core untilizes all 256
        // tiles (reading each from DRAM and waiting for it) and writes the 2048 kept rows,
        // each waited for; over the grid, 4 tiles and 32 rows a core.
        let inputs = [y];
        let cx = Ctx::new(Op::UntilizeWithUnpadding, hw, QueryParams::ByName(&single), &inputs, Some(&x), hw.compute_grid).unwrap();
        let one = features(&cx).unwrap();
        assert!(close(one.tile_cycles, 256.0));
        assert!(close(one.dram_wait_scale, 256.0 * 383.0));
        let row = hw.noc_write_round_trip_cycles + 64.0 / hw.dram_core_bytes_per_cycle;
        assert!(close(one.write_wait_scale, 2048.0 * row));
        let many = features_of(Op::UntilizeWithUnpadding, hw, y, x, hw.compute_grid);
        assert!(close(many.tile_cycles, 4.0));
        assert!(close(many.write_wait_scale, 32.0 * row));
    }

    /// Each 2D slice pads its own rows: `[1, 32, 4, 64]` tilized to `[1, 32, 32, 64]` is 32
    /// tile rows of 2 tiles, each holding one head's 4 real rows and 28 padding rows. On 32
    /// cores a core reads 4 sticks of 128 B, not 32. `[1, 2, 40, 64]` padded to 64 rows is
    /// 2 tile rows a slice, the second with 8 real rows: 2 blocks a core on 3 cores is at
    /// worst one whole slice (40 sticks), 1 block a core a full tile row (32), one core
    /// everything (80).
    #[test]
    fn padding_tilize_reads_only_each_slices_real_rows() {
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let (x, y) = (rm(&[1, 32, 4, 64], dram), tiled(&[1, 32, 32, 64], &[1, 32, 4, 64], dram));
        assert_eq!(
            split(&x, &y, 32).unwrap(),
            Split { cores: 32, blocks: 1, tiles: 2, sticks: 4, stick_bytes: 128 }
        );
        let (x, y) = (rm(&[1, 2, 40, 64], dram), tiled(&[1, 2, 64, 64], &[1, 2, 40, 64], dram));
        let sticks = |cores| split(&x, &y, cores).unwrap().sticks;
        assert_eq!((sticks(3), sticks(4), sticks(1)), (40, 32, 80));
    }

    /// The Blackhole CLIP's 19 rows of 768 are 24 tiles wide, not more than 32: the row
    /// factory, one block on one core (the trace's one core), 19 sticks of 1536 B, 24 tiles,
    /// and 13 rows of padding filled, 4,992 stores of 4 B. Today's reader waits once for the
    /// block and fills with a three-instruction loop (three cycles a store: Blackhole's
    /// coalesced stores retire one a cycle); the earlier one waited for each row (479 cycles
    /// from DRAM) and filled with a five-instruction loop.
    #[test]
    fn tilize_with_val_padding_narrow_row_stays_on_one_core() {
        use crate::params::{OpParam, ParamValue};
        let hw = Hardware::of(Card::P150);
        let (x, y) = (
            rm(&[1, 1, 19, 768], MemoryConfig::DRAM_INTERLEAVED),
            tiled(&[1, 1, 32, 768], &[1, 1, 19, 768], MemoryConfig::DRAM_INTERLEAVED),
        );
        let f = features_of(Op::TilizeWithValPadding, hw, x, y, hw.compute_grid);
        assert!(close(f.tile_cycles, 24.0 / 1.35));
        assert!(close(f.stick_cycles, 19.0 / 1.35));
        assert!(close(f.dram_wait_scale, 479.0 / 1.35));
        assert!(close(f.pad_store_scale, 4992.0 * 3.0 / 1.35));
        let earlier = [OpParam::new("waits_each_row", ParamValue::Bool(true))];
        let inputs = [x];
        let cx = Ctx::new(Op::TilizeWithValPadding, hw, QueryParams::ByName(&earlier), &inputs, Some(&y), hw.compute_grid).unwrap();
        let f = features(&cx).unwrap();
        assert!(close(f.dram_wait_scale, 19.0 * 479.0 / 1.35));
        assert!(close(f.pad_store_scale, 4992.0 * 5.0 / 1.35));
    }

    /// A public Qwen3.6-27B prefill trace's (tenstorrent/tt-metal `models/autoports`, not in
    /// `../shared`) padding tilize of 33 rows of 64 to `[64, 64]` on two cores: the first
    /// core's block is 32 real rows (one wait, no padding), the second's one real row and 31
    /// of padding, 992 stores of 4 B at three cycles: the second is the busiest, as the
    /// trace's 3.1 us for both (where 32 waited rows would take 11 us) says. The earlier
    /// reader waited for each of the first core's 32 rows: that core.
    #[test]
    fn padding_tilize_busiest_core_is_the_one_that_fills() {
        use crate::params::{OpParam, ParamValue};
        let hw = Hardware::of(Card::P150);
        let grid = crate::device::CoreGrid::new(2, 1);
        let (x, y) = (
            rm(&[1, 1, 33, 64], MemoryConfig::DRAM_INTERLEAVED),
            tiled(&[1, 1, 64, 64], &[1, 1, 33, 64], MemoryConfig::DRAM_INTERLEAVED),
        );
        let f = features_of(Op::TilizeWithValPadding, hw, x, y, grid);
        assert!(close(f.stick_cycles, 1.0 / 1.35));
        assert!(close(f.dram_wait_scale, 479.0 / 1.35));
        assert!(close(f.pad_store_scale, 992.0 * 3.0 / 1.35));
        let earlier = [OpParam::new("waits_each_row", ParamValue::Bool(true))];
        let inputs = [x];
        let cx = Ctx::new(Op::TilizeWithValPadding, hw, QueryParams::ByName(&earlier), &inputs, Some(&y), grid).unwrap();
        let f = features(&cx).unwrap();
        assert!(close(f.stick_cycles, 32.0 / 1.35));
        assert!(close(f.dram_wait_scale, 32.0 * 479.0 / 1.35));
        assert_eq!(f.pad_store_scale, 0.0);
    }

    /// bh20_oft's padding tilize of a 3-channel image (`[1, 159, 159, 3]` to `[1, 159, 160,
    /// 32]`) on 20 cores, by the earlier reader: 795 tile rows, 40 a core; the first core's 40
    /// hold 1,272 real rows of 6 B, each read and waited for (479 cycles), while it fills the
    /// row's other 58 B (hidden under the wait); the slices' last tile rows hold 31 real rows
    /// and one of padding (64 B, 16 stores), 8 of them on the first core (one slice is 5 tile
    /// rows). Read from L1 instead, each wait is the NoC's core read latency (368 cycles).
    #[test]
    fn earlier_padding_tilize_waits_for_each_narrow_row() {
        use crate::params::{OpParam, ParamValue};
        let hw = Hardware::of(Card::P150);
        let grid = crate::device::CoreGrid::new(5, 4);
        let earlier = [OpParam::new("waits_each_row", ParamValue::Bool(true))];
        let f = |memory| {
            let (x, y) = (rm(&[1, 159, 159, 3], memory), tiled(&[1, 159, 160, 32], &[1, 159, 159, 3], memory));
            let inputs = [x];
            let cx = Ctx::new(Op::TilizeWithValPadding, hw, QueryParams::ByName(&earlier), &inputs, Some(&y), grid).unwrap();
            features(&cx).unwrap()
        };
        let dram = f(MemoryConfig::DRAM_INTERLEAVED);
        assert!(close(dram.stick_cycles, 1272.0 / 1.35), "{}", dram.stick_cycles * 1.35);
        assert!(close(dram.dram_wait_scale, 1272.0 * 479.0 / 1.35));
        assert!(close(dram.pad_store_scale, 8.0 * 16.0 * 5.0 / 1.35), "{}", dram.pad_store_scale * 1.35 / 5.0);
        let l1 = f(MemoryConfig::L1_INTERLEAVED);
        assert!(close(l1.dram_wait_scale, 1272.0 * 368.0 / 1.35));
    }

    /// Untilize of a height-sharded 6144x32 tensor on 4x4 cores (shards of 384x32), into the
    /// same shard spec: 192 blocks of one tile, 12 a core; no DRAM, no NoC traffic and no
    /// stick requests (pack_untilize writes the rows into the output shard), but 12
    /// sub-blocks of one tile. The same tensor tilized costs no stick either.
    #[test]
    fn sharded_untilize_in_place_writes_no_sticks() {
        use crate::tensor::{CoreRange, MemoryLayout, ShardOrientation, ShardSpec};
        let hw = Hardware::of(Card::N150);
        let shard = ShardSpec::new(
            CoreRange { start: (0, 0), end: (3, 3) },
            [384, 32],
            ShardOrientation::RowMajor,
        );
        let mem = MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard);
        let (t, r) = (tiled(&[1, 1, 6144, 32], &[1, 1, 6144, 32], mem), rm(&[1, 1, 6144, 32], mem));
        let inputs = [t];
        let cx = Ctx::new(Op::Untilize, hw, QueryParams::ByName(&[]), &inputs, Some(&r), hw.compute_grid)
            .unwrap();
        let f = features(&cx).unwrap();
        assert!(close(f.tile_cycles, 12.0));
        assert!(close(f.block_cycles, 12.0));
        assert_eq!((f.stick_cycles, f.dram_scale, f.noc_scale, f.dram_wait_scale), (0.0, 0.0, 0.0, 0.0));
        let inputs = [r];
        let cx = Ctx::new(Op::Tilize, hw, QueryParams::ByName(&[]), &inputs, Some(&t), hw.compute_grid)
            .unwrap();
        let f = features(&cx).unwrap();
        assert!(close(f.tile_cycles, 12.0));
        assert_eq!(f.stick_cycles, 0.0);
    }

    /// Both sides tiled is not a tilize.
    #[test]
    fn wrong_layout_is_an_error() {
        let hw = Hardware::of(Card::N150);
        let x = tiled(&[1, 1, 64, 64], &[1, 1, 64, 64], MemoryConfig::DRAM_INTERLEAVED);
        let inputs = [x];
        let cx = Ctx::new(Op::Tilize, hw, QueryParams::ByName(&[]), &inputs, Some(&x), hw.compute_grid)
            .unwrap();
        assert!(matches!(
            features(&cx),
            Err(Error::InvalidTensor { problem: TensorProblem::LayoutNotAllowed, .. })
        ));
    }
}
