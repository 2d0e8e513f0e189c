//! `copy_roofline`: move, copy, slice, padded_slice, slice_write and concat, the ops that copy
//! pages of a tensor to another place unchanged (all, or a part of them).
//!
//! It reads the tensors' shapes, layouts and dtypes (how many pages move, and their size: a
//! tile, or a row-major stick of the last dim, or of the shard width for a sharded tensor), the
//! memory configs (DRAM or L1 for the DRAM term; sharded or interleaved for the work split)
//! and the shard specs' core counts. No param is read: which elements a slice takes (begins,
//! ends, steps) and which dim a concat joins change where pages come from, not how many move,
//! and the output shape says how many.
//!
//! What moves, by op (tt-metal `ttnn/cpp/ttnn/operations/data_movement/`):
//!
//! * **move_tensor** (ttnn.move, `move/device/`): both tensors sharded, `move_sharded_program_factory.cpp`: each
//!   shard core copies its own shard within its L1 (`reader_unary_local_l1_copy_backwards.cpp`,
//!   large local transfers, no page loop): the busiest core's shard bytes read and written at
//!   the NoC rate of the whole shard (`local_copy_scale`). Interleaved
//!   (`move_program_factory.cpp`, `move_overlap_program_factory.cpp`): a page-by-page copy as
//!   `copy`'s.
//! * **copy**, **slice**, **padded_slice**: the output's pages, split over the cores
//!   (`split_work_to_cores`, or the output's shard cores when it is sharded), each read from the
//!   input and written (`slice/device/slice_program_factory_tile.cpp`, `_rm.cpp`; a sliced
//!   stick is read at the output stick's size).
//! * **slice_write**: the input's pages (over the input's shard cores when it is sharded),
//!   each written into its place in the larger output.
//! * **concat**: every input's pages once, over the grid (interleaved) or the output's shard
//!   cores (sharded).
//!
//! The terms: DRAM (`dram_scale`) is the bytes moved read from DRAM (when the source lives
//! there) and written to it (when the target does), at the card's achievable bandwidth; NoC
//! is the busiest core's pages read and written at the NoC rate of a page's size
//! (`noc_scale`), plus one waited-for read per page (the readers issue a page and
//! `noc_async_read_barrier` before pushing it), each costed as one 32x32 tile's NoC time
//! (`round_trip_scale`: the datasheets give no latency, so v1 takes the transfer time, and
//! calibration finds how much longer a wait is). It assumes the cores work in parallel and
//! evenly, and that a padded_slice from a tiled input costs as many page reads as its
//! row-major output has sticks (its untilize is not counted).

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::{CopyRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, max, min};
use crate::tensor::{Layout, TensorParams};

/// Bytes of one page of `t`: a tile, or a row-major stick (the shard width's for a sharded
/// tensor with a shard spec).
const fn page_bytes(cx: &Ctx<'_>, t: &TensorParams) -> u64 {
    let page = match (t.layout, t.memory.shard, t.dtype.element_bytes()) {
        (Layout::RowMajor, Some(shard), Some(element)) if t.memory.layout.is_sharded() => {
            let w = min(shard.shape[1] as u64, t.shape.dim_from_end(0) as u64);
            Some(w * element as u64)
        }
        _ => t.page_bytes(cx.hw),
    };
    match page {
        Some(b) => max(b, 1),
        None => 1,
    }
}

/// Cores holding `t`'s shards; `None` when it is interleaved (or its spec is unknown).
const fn shard_cores(t: &TensorParams) -> Option<u64> {
    match t.memory.shard {
        Some(s) if t.memory.layout.is_sharded() && s.cores > 0 => Some(s.cores as u64),
        _ => None,
    }
}

const fn logical_volume(t: &TensorParams) -> u64 {
    let dims = t.shape.logical();
    let mut v: u64 = 1;
    let mut i = 0;
    while i < dims.len() {
        v = v.saturating_mul(dims[i] as u64);
        i += 1;
    }
    v
}

// Inlined into the query: its features stay in registers.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<CopyRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    // The operand rules make the output required for these ops.
    let Some(y) = cx.output else {
        return Err(cx.not_modeled("a copy without its target tensor"));
    };
    let overflow = Error::Overflow {
        what: "bytes copied",
    };
    let same_volume = matches!(cx.params, OpParams::MoveTensor(_) | OpParams::Copy(_));
    if same_volume && logical_volume(x) != logical_volume(y) {
        return Err(cx.tensor_error(
            Operand::Output,
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    // The tensor whose pages move; the bytes moved, read from DRAM and written to it.
    let (moved, mut bytes, mut dram_read) = match cx.params {
        OpParams::SliceWrite(_) => (x, 0u64, 0u64),
        OpParams::Concat(_) => (y, 0, 0),
        OpParams::MoveTensor(_) | OpParams::Copy(_) | OpParams::Slice(_) | OpParams::PaddedSlice(_) => {
            (y, 0, 0)
        }
        _ => return Err(cx.foreign_params()),
    };
    if matches!(cx.params, OpParams::Concat(_)) {
        let mut i = 0;
        while i < cx.inputs.len() {
            let b = some_or!(cx.inputs[i].bytes(cx.hw), overflow);
            bytes = bytes.saturating_add(b);
            if cx.inputs[i].memory.is_dram() {
                dram_read = dram_read.saturating_add(b);
            }
            i += 1;
        }
    } else {
        bytes = some_or!(moved.bytes(cx.hw), overflow);
        if x.memory.is_dram() {
            dram_read = bytes;
        }
    }
    let dram = if y.memory.is_dram() {
        dram_read.saturating_add(bytes)
    } else {
        dram_read
    };
    let grid = cx.grid.cores() as u64;
    // A move between sharded tensors: each core copies its shard within its L1.
    if matches!(cx.params, OpParams::MoveTensor(_))
        && x.memory.layout.is_sharded()
        && y.memory.layout.is_sharded()
    {
        let cores = match shard_cores(y) {
            Some(c) => c,
            None => grid,
        };
        let per_core = ceil_div(bytes, max(cores, 1));
        let local = cx.noc_ns_at(2 * per_core, cx.hw.noc_bytes_per_cycle(per_core));
        return Ok(CopyRooflineFeatures {
            overhead_ns: 1.0,
            dram_scale: 0.0,
            noc_scale: 0.0,
            round_trip_scale: 0.0,
            local_copy_scale: local,
        });
    }
    let page = page_bytes(cx, moved);
    let pages = ceil_div(bytes, page);
    let cores = match shard_cores(moved) {
        Some(c) => c,
        None => grid,
    };
    let per_core = ceil_div(pages, max(min(cores, pages), 1));
    // Read and written, page by page.
    let noc = cx.noc_ns_at(
        per_core.saturating_mul(page).saturating_mul(2),
        cx.hw.noc_bytes_per_cycle(page),
    );
    let tile = cx.hw.tile_bytes(x.dtype) as u64;
    let tile_ns = cx.noc_ns_at(tile, cx.hw.noc_bytes_per_cycle(tile));
    Ok(CopyRooflineFeatures {
        overhead_ns: 1.0,
        dram_scale: cx.dram_ns(dram),
        noc_scale: noc,
        round_trip_scale: per_core as f64 * tile_ns,
        local_copy_scale: 0.0,
    })
}
