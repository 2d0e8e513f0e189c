//! `data_movement_roofline`: reshard, interleaved -> sharded and sharded -> interleaved.
//!
//! What it counts:
//!
//! * **Bytes moved**: the sharded side's bytes (for the `Partial` variants, one of
//!   `num_slices` slices of the interleaved tensor), each moved once.
//! * **DRAM** (`dram_scale`): those bytes read at the achievable bandwidth when the source
//!   lives in DRAM, and written at the card's `dram_write_fraction` of it when the target
//!   does.
//! * **NoC** (`noc_scale`): interleaved <-> sharded, the busiest core moves `ceil(bytes /
//!   shard cores)`, over the cores that hold a shard (`TensorParams::shard_cores`), in
//!   page-sized transfers (a tile, or a row-major shard row), at the size-dependent NoC
//!   rate: small pages are what makes row-major moves slow. Reshard, the busier
//!   data-movement core of the busiest output core: its reads of the input cores' L1, a read
//!   per run of pages on one input core, each at the NoC rate of its size (see
//!   `reshard_noc_ns` for how tt-metal's factories cut and deal them).
//! * **Waited reads** (`round_trip_scale`, interleaved -> sharded only): each shard core's
//!   reader waits on its reads (`noc_async_read_barrier`), each wait tt-metal's measured
//!   latency of one core's read of the batch (from L1, one tile's NoC time):
//!   * tiles: a batch of `(512 / cores) x 1152 / tile bytes` tiles, about 576 KiB in flight
//!     over the whole grid (`get_barrier_read_threshold`,
//!     `reader_unary_sharded_blocks_interleaved_start_id.cpp`);
//!   * row-major sticks: one wait at the end, or one a stick where the reader stages each
//!     stick in a scratch buffer and waits for it
//!     (`reader_unary_stick_layout_sharded_blocks_interleaved_start_id.cpp`, its unaligned
//!     path): a stick from DRAM that is not a multiple of the DRAM alignment, and every stick
//!     on a device whose spec says `staged_row_major_shard_reads` (see
//!     `Hardware::staged_row_major_shard_reads`).
//!
//!   Today's sharded -> interleaved writer writes every page and waits once at the end
//!   (`writer_unary_sharded_blocks_interleaved_start_id.cpp`): no waits counted. Nor for
//!   reshard, whose readers wait once, at the end.
//! * **Waited writes** (`round_trip_scale`, sharded -> interleaved with `waits_each_page`):
//!   until tt-metal PR #27430 (CI 2025-09-03; issue #27777 measured up to ~7x) both its
//!   writers, tiles and row-major sticks, waited for each page they wrote
//!   (`noc_async_write_barrier` inside the page loop). Each page after the first then costs
//!   the busiest core a write's round trip and the page's bytes
//!   ([`Hardware::waited_write_cycles`]: tt-metal's one-core write measurements). Many
//!   cores writing at once wait longer than one alone (a Wormhole SegFormer trace: ~300
//!   cycles a tile on 8 cores, ~520 on 64, against the published one-core 358); the model
//!   takes the published figure.
//! * **Compute**: none.
//!
//! It assumes shards are balanced and that the NoC serves all shard cores in parallel: a
//! reshard's input cores serve every output core that reads them at the NoC's rate, however
//! many. A row-major height-to-height reshard whose rows are not a multiple of the L1
//! alignment stages each piece and waits for it in tt-metal: counted as the aligned reads.

#[cfg(doc)]
use crate::device::Hardware;
use crate::error::{Error, Operand, TensorProblem};
use crate::generated::{DataMovementRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, max, min};
use crate::op::Op;
use crate::tensor::{Layout, MemoryLayout, TensorParams};

/// Bytes of one transfer: a tile, or one row of the shard in row-major layout.
const fn page_bytes(cx: &Ctx<'_>, t: &TensorParams) -> u64 {
    let page = match (t.layout, t.memory.shard, t.dtype.element_bytes()) {
        (Layout::RowMajor, Some(shard), Some(element)) => {
            Some(shard.shape[1] as u64 * element as u64)
        }
        _ => t.page_bytes(cx.hw),
    };
    match page {
        Some(b) => b,
        None => 0,
    }
}

/// NoC bytes per cycle in transfers of one page of `t`: a tile's rate comes from the card's
/// table.
const fn page_rate(cx: &Ctx<'_>, t: &TensorParams) -> f64 {
    match t.layout {
        Layout::Tile { .. } => cx.hw.noc_bytes_per_cycle_of_tiles(t),
        Layout::RowMajor => cx.hw.noc_bytes_per_cycle(page_bytes(cx, t)),
    }
}

/// The shards of `t` the work splits into, one a core (1 without a shard grid): the cores
/// that hold one ([`TensorParams::shard_cores`]); for a DRAM-sharded `t`, its banks' shards
/// (no shared row checks how tt-metal places those).
const fn shard_cores(t: &TensorParams) -> u64 {
    if let Some(cores) = t.shard_cores() {
        return cores;
    }
    match t.memory.shard {
        Some(s) if s.cores > 0 && t.memory.layout.is_sharded() => s.cores as u64,
        _ => 1,
    }
}

/// Whether `sharded` is `whole` with its last two dims padded up to at most whole shards of
/// its shard spec (and every other dim the same).
const fn padded_to_shards(whole: &TensorParams, sharded: &TensorParams) -> bool {
    let Some(shard) = sharded.memory.shard else {
        return false;
    };
    let (w, s) = (whole.shape.dims(), sharded.shape.dims());
    if w.len() != s.len() || w.len() < 2 {
        return false;
    }
    let mut i = 0;
    while i < w.len() {
        let fits = if i + 2 >= w.len() {
            let unit = shard.shape[i + 2 - w.len()] as u64;
            let (wd, sd) = (w[i] as u64, s[i] as u64);
            unit > 0 && sd >= wd && sd <= ceil_div(wd, unit) * unit
        } else {
            w[i] == s[i]
        };
        if !fits {
            return false;
        }
        i += 1;
    }
    true
}

/// Pages of one shard of `shape` (height, width in elements) in `layout`: its tiles, or its
/// rows (row-major sticks).
const fn shard_pages(shape: [u32; 2], layout: Layout) -> u64 {
    let (rows, cols) = (shape[0] as u64, shape[1] as u64);
    match layout {
        Layout::Tile { height, width } => ceil_div(rows, max(height as u64, 1))
            .saturating_mul(ceil_div(cols, max(width as u64, 1))),
        Layout::RowMajor => rows,
    }
}

/// Tiles an interleaved-to-sharded reader issues before each wait, with `cores` readers:
/// `(512 / cores) x 1152` bytes of tiles (tt-metal's `get_barrier_read_threshold`); 0 when not
/// one tile fits, and the reader then waits once, at the end.
const fn tiles_per_wait(cores: u64, tile_bytes: u64) -> u64 {
    (512 / max(cores, 1)) * 1152 / max(tile_bytes, 1)
}

/// The reads the busiest shard core of an interleaved-to-sharded move waits for after its
/// first, ns (see the module docs): its shard of `sharded`, read from `source`. The first
/// wait is within the device's launch overhead, the shortest op measured: on Blackhole a
/// one-core move of four tiles from DRAM takes 561-599 ns in all.
const fn reader_waits_ns(cx: &Ctx<'_>, source: &TensorParams, sharded: &TensorParams) -> f64 {
    let Some(shard) = sharded.memory.shard else {
        return 0.0;
    };
    let (rows, cols) = (shard.shape[0] as u64, shard.shape[1] as u64);
    match source.layout {
        Layout::Tile { .. } => {
            let tiles = shard_pages(shard.shape, source.layout);
            let tile = match source.tile_bytes(cx.hw) {
                Some(b) => b,
                None => return 0.0,
            };
            let batch = match tiles_per_wait(shard_cores(sharded), tile) {
                0 => tiles,
                b => min(b, tiles),
            };
            if batch == 0 {
                return 0.0;
            }
            // Whole batches after the first, then the rest.
            let (later, rest) = (tiles / batch - 1, tiles % batch);
            let rest_ns = if rest > 0 {
                cx.waited_read_ns(source, rest.saturating_mul(tile))
            } else {
                0.0
            };
            later as f64 * cx.waited_read_ns(source, batch.saturating_mul(tile)) + rest_ns
        }
        Layout::RowMajor => {
            let stick = match source.dtype.element_bytes() {
                Some(e) => cols.saturating_mul(e as u64),
                None => return 0.0,
            };
            let unaligned = source.memory.is_dram()
                && stick % max(cx.hw.dram_alignment_bytes as u64, 1) != 0;
            if cx.hw.staged_row_major_shard_reads || unaligned {
                rows.saturating_sub(1) as f64 * cx.waited_read_ns(source, stick)
            } else {
                // One wait, at the end.
                0.0
            }
        }
    }
}

/// A sharded tensor's layout for a reshard: its rows and columns in units of a page's height
/// and width (a tile's; for row-major, one row by one element), its shard's, the bytes of one
/// unit, and whether its shards are bands of rows.
struct ShardGrid {
    rows: u64,
    cols: u64,
    shard_rows: u64,
    shard_cols: u64,
    unit_bytes: u64,
    height: bool,
}

impl ShardGrid {
    /// `t`'s grid; a sharded tensor without a shard spec is one shard of the whole tensor.
    const fn of(cx: &Ctx<'_>, t: &TensorParams) -> Option<ShardGrid> {
        let (th, tw, unit_bytes) = match t.layout {
            Layout::Tile { height, width } => match t.tile_bytes(cx.hw) {
                Some(b) => (max(height as u64, 1), max(width as u64, 1), b),
                None => return None,
            },
            Layout::RowMajor => match t.dtype.element_bytes() {
                Some(e) => (1, 1, e as u64),
                None => return None,
            },
        };
        let cols = max(t.shape.dim_from_end(0) as u64, 1);
        let (rows, cols) = (ceil_div(max(t.rows(), 1), th), ceil_div(cols, tw));
        let (shard_rows, shard_cols) = match t.memory.shard {
            Some(s) if s.shape[0] > 0 && s.shape[1] > 0 => (
                min(ceil_div(s.shape[0] as u64, th), rows),
                min(ceil_div(s.shape[1] as u64, tw), cols),
            ),
            _ => (rows, cols),
        };
        let height = matches!(t.memory.layout, MemoryLayout::HeightSharded);
        Some(ShardGrid { rows, cols, shard_rows, shard_cols, unit_bytes, height })
    }
}

/// How many shards of `size` units the span `[start, start + len)` touches.
const fn shards_touched(start: u64, len: u64, size: u64) -> u64 {
    if len == 0 {
        return 0;
    }
    let size = max(size, 1);
    (start.saturating_add(len) - 1) / size - start / size + 1
}

/// Time for one RISC-V to read `bytes` in `reads` equal transfers, ns.
const fn reads_ns(cx: &Ctx<'_>, bytes: u64, reads: u64) -> f64 {
    if bytes == 0 {
        return 0.0;
    }
    cx.noc_ns_at(bytes, cx.hw.noc_bytes_per_cycle(ceil_div(bytes, max(reads, 1))))
}

/// A reshard's cores each hold one shard of `t` (tt-metal refuses more shards than cores).
const fn one_shard_a_core(cx: &Ctx<'_>, operand: Operand, t: &TensorParams) -> Result<(), Error> {
    match (t.shards(), t.memory.shard) {
        (Some(shards), Some(s)) if shards > s.cores as u64 => {
            let problem = TensorProblem::TooManyShards { shards, cores: s.cores };
            Err(cx.tensor_error(operand, problem))
        }
        _ => Ok(()),
    }
}

/// A reshard's busiest output core's busier data-movement core: its reads of `x`'s shards into
/// `y`'s, ns at the NoC rate of each read's size. Every output core pulls its shard from the
/// input cores' L1 (tt-metal `data_movement/sharded/reshard/device/`: no writes, one
/// barrier at the end, in the launch), its two data-movement cores on their own NoCs:
///
/// * height- to height-sharded (`reshard_program_factory_same_width.cpp`): each takes half
///   of the core's pages, one read per input shard its half touches;
/// * row-major width- to width-sharded (`reshard_program_factory_same_height.cpp`): each
///   takes half of the rows, one read per row per input shard the core's columns touch;
/// * every other pair (`reshard_program_factory_generic.cpp`, `reshard_reader.cpp`): one read
///   per run of pages on one input core with consecutive page ids: per output row, one per
///   input shard its columns touch, or, where the core's columns are exactly one input
///   shard's, one per input shard its rows touch (the rows follow on). The runs are dealt
///   half to each (by runtime-arg entries, about two runs an entry); a single run is one
///   core's, the other idles.
const fn reshard_noc_ns(cx: &Ctx<'_>, x: &TensorParams, y: &TensorParams) -> f64 {
    let (Some(i), Some(o)) = (ShardGrid::of(cx, x), ShardGrid::of(cx, y)) else {
        return 0.0;
    };
    let (ih, iw, oh, ow) = (i.shard_rows, i.shard_cols, o.shard_rows, o.shard_cols);
    let same_width = i.height && o.height;
    let same_height = matches!(x.layout, Layout::RowMajor)
        && matches!(x.memory.layout, MemoryLayout::WidthSharded)
        && matches!(y.memory.layout, MemoryLayout::WidthSharded);
    // Every shard of an L1 output has its core (checked in `features`); a DRAM one, its
    // grid's banks'.
    let mut shards_left = match y.memory.shard {
        Some(s) => max(s.cores as u64, 1),
        None => 1,
    };
    let mut busiest = 0.0;
    let mut r0 = 0;
    while r0 < o.rows && shards_left > 0 {
        let rows = min(oh, o.rows - r0);
        let mut c0 = 0;
        while c0 < o.cols && shards_left > 0 {
            shards_left -= 1;
            let cols = min(ow, o.cols - c0);
            let bytes = rows.saturating_mul(cols).saturating_mul(o.unit_bytes);
            let ns = if same_width {
                // Pages in row-major order over the whole width: the core's run of pages, in
                // two halves, each read in one piece per input shard it touches.
                let (start, pages) = (r0.saturating_mul(o.cols), rows.saturating_mul(o.cols));
                let per_shard = ih.saturating_mul(i.cols);
                let (half, rest) = (ceil_div(pages, 2), pages - ceil_div(pages, 2));
                let (half_pieces, rest_pieces) = (
                    shards_touched(start, half, per_shard),
                    shards_touched(start.saturating_add(half), rest, per_shard),
                );
                let first = reads_ns(cx, half.saturating_mul(o.unit_bytes), half_pieces);
                let second = reads_ns(cx, rest.saturating_mul(o.unit_bytes), rest_pieces);
                if first > second { first } else { second }
            } else {
                let across = shards_touched(c0, cols, iw);
                let one_shard_wide = cols == iw && c0 % iw == 0;
                let reads = if one_shard_wide && !same_height {
                    shards_touched(r0, rows, ih)
                } else {
                    rows.saturating_mul(across)
                };
                let mine = if reads > 1 { ceil_div(reads, 2) } else { 1 };
                reads_ns(cx, (bytes / reads).saturating_mul(mine), mine)
            };
            if ns > busiest {
                busiest = ns;
            }
            c0 += ow;
        }
        r0 += oh;
    }
    busiest
}

/// The writes the busiest shard core of a sharded-to-interleaved move waits for after its
/// first, ns, when its writer waits for each page (see the module docs): its shard's pages of
/// `sharded` (tiles, or row-major shard rows), each written to `target`. The first is within
/// the device's launch overhead, as for the reader's waits.
const fn writer_waits_ns(cx: &Ctx<'_>, sharded: &TensorParams, target: &TensorParams) -> f64 {
    let Some(shard) = sharded.memory.shard else {
        return 0.0;
    };
    let pages = shard_pages(shard.shape, sharded.layout);
    pages.saturating_sub(1) as f64 * cx.waited_write_ns(target, page_bytes(cx, sharded))
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<DataMovementRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    // The operand rules make the output required for these ops.
    let Some(y) = cx.output else {
        return Err(cx.not_modeled("a data movement without its target tensor"));
    };
    let (x_sharded, y_sharded) = (x.memory.layout.is_sharded(), y.memory.layout.is_sharded());
    // The tensor that must be sharded or interleaved and is not, and what it must be.
    let misplaced = match cx.op {
        Op::Reshard if !x_sharded => Some((Operand::Input(0), "sharded")),
        Op::Reshard if !y_sharded => Some((Operand::Output, "sharded")),
        Op::InterleavedToSharded if x_sharded => Some((Operand::Input(0), "interleaved")),
        Op::InterleavedToSharded if !y_sharded => Some((Operand::Output, "sharded")),
        Op::ShardedToInterleaved if !x_sharded => Some((Operand::Input(0), "sharded")),
        Op::ShardedToInterleaved if y_sharded => Some((Operand::Output, "interleaved")),
        _ => None,
    };
    if let Some((operand, expected)) = misplaced {
        return Err(cx.tensor_error(operand, TensorProblem::WrongMemory { expected }));
    }
    // The sharded side, the interleaved side and the slices the sharded side holds one of.
    let (sharded, interleaved, slices) = match cx.params {
        OpParams::Reshard(_) => (x, None, 1),
        OpParams::InterleavedToSharded(p) => (y, Some(x), p.num_slices),
        OpParams::ShardedToInterleaved(p) => (x, Some(y), p.num_slices),
        _ => return Err(cx.not_modeled("this op with the data-movement family")),
    };
    let slices = if slices > 1 { slices as u64 } else { 1 };
    let overflow = Error::Overflow {
        what: "data movement bytes",
    };
    // Sizes must agree: the sharded side holds the whole tensor (padded up to whole shards,
    // as tt-metal pads a sharded tensor whose dims are not multiples of its shard shape), or
    // one slice of it.
    let same_size = match interleaved {
        None => some_or!(x.shape.volume(), overflow) == some_or!(y.shape.volume(), overflow),
        Some(i) => {
            let whole = some_or!(i.shape.volume(), overflow);
            let part = some_or!(sharded.shape.volume(), overflow);
            matches!(part.checked_mul(slices), Some(v) if v == whole)
                || (slices == 1 && padded_to_shards(i, sharded))
        }
    };
    if !same_size {
        return Err(cx.tensor_error(
            Operand::Output,
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    if interleaved.is_none() {
        tri!(one_shard_a_core(cx, Operand::Input(0), x));
        tri!(one_shard_a_core(cx, Operand::Output, y));
    }
    let bytes = some_or!(sharded.bytes(cx.hw), overflow);
    let noc_ns = match interleaved {
        None => reshard_noc_ns(cx, x, y),
        Some(_) => cx.noc_ns_at(ceil_div(bytes, shard_cores(sharded)), page_rate(cx, sharded)),
    };
    // Bytes read from DRAM and written to it: the interleaved side's, or a reshard's sides'.
    let read = if x.memory.is_dram() { bytes } else { 0 };
    let written = if y.memory.is_dram() { bytes } else { 0 };
    let waits_ns = match (cx.params, interleaved) {
        (OpParams::InterleavedToSharded(_), Some(source)) => reader_waits_ns(cx, source, sharded),
        (OpParams::ShardedToInterleaved(p), Some(target)) if p.waits_each_page => {
            writer_waits_ns(cx, sharded, target)
        }
        _ => 0.0,
    };
    Ok(DataMovementRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        dram_scale: cx.dram_traffic_ns(read, written),
        noc_scale: noc_ns,
        round_trip_scale: waits_ns,
    })
}
