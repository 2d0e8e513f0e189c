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
//!   large local transfers, no page loop): the busiest core's shard bytes, each moved once, at
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
        let local = cx.noc_ns_at(per_core, cx.hw.noc_bytes_per_cycle(per_core));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Card, DType, Hardware, MemoryConfig, Op, QueryParams, Shape};

    fn tiled(dims: &[u32], memory: MemoryConfig) -> TensorParams {
        TensorParams::tiled(dims, DType::Bfloat16, memory)
    }

    fn features_of(
        op: Op,
        card: Card,
        inputs: &[TensorParams],
        y: TensorParams,
    ) -> CopyRooflineFeatures {
        let hw = Hardware::of(card);
        let cx = Ctx::new(op, hw, QueryParams::ByName(&[]), inputs, Some(&y), hw.compute_grid)
            .unwrap();
        features(&cx).unwrap()
    }

    /// A tiled slice `[1, 1, 1024, 1024] -> [1, 1, 1024, 512]` in DRAM on an n150 (8x8 grid):
    /// 512 output tiles of 2048 B, 8 per core; each read and written (16 tile transfers) and
    /// each read waited for (8 tiles' NoC time); DRAM reads and writes the output's 1 MiB.
    #[test]
    fn tiled_slice_features_by_hand() {
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let x = tiled(&[1, 1, 1024, 1024], dram);
        let y = tiled(&[1, 1, 1024, 512], dram);
        let f = features_of(Op::Slice, Card::N150, &[x], y);
        let hw = Hardware::of(Card::N150);
        let tile_ns = 2048.0 / hw.noc_bytes_per_cycle(2048) / (hw.clock_mhz / 1000.0);
        assert!((f.noc_scale - 16.0 * tile_ns).abs() < 1e-6 * f.noc_scale);
        assert!((f.round_trip_scale - 8.0 * tile_ns).abs() < 1e-6 * f.round_trip_scale);
        let dram_bytes = 2.0 * 512.0 * 2048.0;
        assert!((f.dram_scale - dram_bytes * hw.ns_per_dram_byte).abs() < 1e-6 * f.dram_scale);
        assert_eq!(f.local_copy_scale, 0.0);
    }

    /// A concat of two `[1, 1, 1024, 512]` DRAM tensors moves both (1 MiB each) once: the
    /// same 512 tiles read and written per 64 cores as the slice above's output, twice.
    #[test]
    fn concat_moves_every_input() {
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let a = tiled(&[1, 1, 1024, 512], dram);
        let y = tiled(&[1, 1, 1024, 1024], dram);
        let f = features_of(Op::Concat, Card::N150, &[a, a], y);
        let s = features_of(Op::Slice, Card::N150, &[y], a);
        assert!((f.dram_scale - 2.0 * s.dram_scale).abs() < 1e-6 * f.dram_scale);
        assert!((f.round_trip_scale - 2.0 * s.round_trip_scale).abs() < 1e-6);
    }

    /// A copy from DRAM to L1 reads DRAM only: half the DRAM bytes of a DRAM-to-DRAM copy.
    #[test]
    fn copy_to_l1_writes_no_dram() {
        let x = tiled(&[1, 1, 1024, 1024], MemoryConfig::DRAM_INTERLEAVED);
        let to_l1 = features_of(Op::Copy, Card::N150, &[x], x.with_memory(MemoryConfig::L1_INTERLEAVED));
        let to_dram = features_of(Op::Copy, Card::N150, &[x], x);
        assert!((2.0 * to_l1.dram_scale - to_dram.dram_scale).abs() < 1e-6 * to_dram.dram_scale);
        assert_eq!(to_l1.noc_scale, to_dram.noc_scale);
    }

    /// An interleaved move of a row-major tensor `[4096, 64]` bfloat16 on a p150: 4096 sticks
    /// of 128 B over the grid; a waited-for read per stick.
    #[test]
    fn row_major_move_counts_sticks() {
        let x = TensorParams::new(
            Shape::new(&[1, 1, 4096, 64]),
            DType::Bfloat16,
            Layout::RowMajor,
            MemoryConfig::DRAM_INTERLEAVED,
        );
        let hw = Hardware::of(Card::P100);
        let f = features_of(Op::MoveTensor, Card::P100, &[x], x);
        let cores = hw.compute_grid.cores() as u64;
        let per_core = 4096u64.div_ceil(cores) as f64;
        let tile_ns = 2048.0 / hw.noc_bytes_per_cycle(2048) / (hw.clock_mhz / 1000.0);
        assert!((f.round_trip_scale - per_core * tile_ns).abs() < 1e-6 * f.round_trip_scale);
        let stick_ns = 128.0 / hw.noc_bytes_per_cycle(128) / (hw.clock_mhz / 1000.0);
        assert!((f.noc_scale - 2.0 * per_core * stick_ns).abs() < 1e-6 * f.noc_scale);
        assert_eq!(f.local_copy_scale, 0.0);
    }

    /// A move between height-sharded tensors (shards of 384x32 on 4x4 cores): each core copies
    /// its 24 KiB shard (12 tiles of 2048 B) within its L1, at the NoC rate of 24 KiB; no page
    /// loop, no DRAM.
    #[test]
    fn sharded_move_copies_each_shard_locally() {
        use crate::tensor::{BufferType, CoreRange, MemoryLayout, ShardOrientation, ShardSpec};
        let shard = ShardSpec::new(
            CoreRange { start: (0, 0), end: (3, 3) },
            [384, 32],
            ShardOrientation::RowMajor,
        );
        let mem = MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard);
        let x = tiled(&[1, 1, 6144, 32], mem);
        let f = features_of(Op::MoveTensor, Card::N150, &[x], x);
        let hw = Hardware::of(Card::N150);
        let ns = 24576.0 / hw.noc_bytes_per_cycle(24576) / (hw.clock_mhz / 1000.0);
        assert!((f.local_copy_scale - ns).abs() < 1e-6 * ns);
        assert_eq!((f.noc_scale, f.round_trip_scale, f.dram_scale), (0.0, 0.0, 0.0));
    }

    /// Slice and copy of different volumes: a copy must keep the volume, a slice need not.
    #[test]
    fn copy_keeps_the_volume() {
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let (x, y) = (tiled(&[1, 1, 64, 64], dram), tiled(&[1, 1, 32, 64], dram));
        let hw = Hardware::of(Card::N150);
        let inputs = [x];
        let cx = Ctx::new(Op::Copy, hw, QueryParams::ByName(&[]), &inputs, Some(&y), hw.compute_grid)
            .unwrap();
        assert!(features(&cx).is_err());
    }
}
