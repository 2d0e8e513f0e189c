//! `copy_roofline`: move, copy (and clone), slice, concat, split, pad, repeat and nearest
//! upsample, the ops that copy pages of a tensor to another place
//! unchanged (all, a part of them, or some of them more than once).
//!
//! It reads the tensors' shapes, layouts and dtypes (how many pages move, and their size: a
//! tile, or a row-major stick of the last dim, or of the shard width for a sharded tensor), the
//! memory configs (DRAM or L1 for the DRAM term; sharded or interleaved for the work split)
//! and the shard specs' core counts. Which elements a slice takes (begins, ends) and which
//! dim a concat joins change where pages come from, not how many move, and the output shape
//! says how many; a slice's step along the last dim is read (`step`).
//!
//! What moves, by op (tt-metal `ttnn/cpp/ttnn/operations/data_movement/`):
//!
//! * **move_tensor** (ttnn.move, `move/device/`): both tensors sharded, `move_sharded_program_factory.cpp`: each
//!   shard core copies its own shard within its L1 (`reader_unary_local_l1_copy_backwards.cpp`,
//!   large local transfers, no page loop): the busiest core's shard bytes, each moved once, at
//!   the NoC rate of the whole shard (`local_copy_scale`). Interleaved
//!   (`move_program_factory.cpp`, `move_overlap_program_factory.cpp`): a page-by-page copy as
//!   `copy`'s.
//! * **copy**, **slice**: the output's pages, split over the cores
//!   (`split_work_to_cores`, or the output's shard cores when it is sharded), each read from the
//!   input and written (`slice/device/slice_program_factory_tile.cpp`, `_rm.cpp`; a sliced
//!   stick is read at the output stick's size). A row-major slice with a step over 1 along the
//!   last dim (`slice_program_factory_rm_stride.cpp`) also copies each kept element a byte at
//!   a time within the core's L1: its busiest core's kept bytes at
//!   19.5 cycles a byte (`STRIDED_COPY_CYCLES_PER_BYTE`, `local_copy_scale`).
//! * **concat**: every input's pages once, over the grid (interleaved) or the output's shard
//!   cores (sharded).
//! * **split** (`split/device/split_program_factory.cpp`, `split_last_dim_two_chunks_tiled`):
//!   every input tile read once and written into its chunk, over a grid of its own: as many
//!   columns as the largest (even) divisor of the input's tile columns that fits the grid's
//!   rows, as many rows as the largest divisor of its tile rows that fits the grid's columns
//!   per channel (`get_max_cores_divisible_by_tiles_per_core_tiles`), one group per channel.
//!   The profiler records one chunk as the output: its memory says where the chunks go.
//! * **pad**, **repeat**, **upsample** (nearest; `pad/device/`, `repeat/device/`,
//!   `pool/upsample/device/`): the output's pages, over the grid or the output's shard cores,
//!   each written once. Pad, repeat and upsample read each input page once (the padding is
//!   filled in L1: the multi-core tiled pad's writer first builds a tile of the pad value a
//!   byte at a time, `pad_fill_cycles` an element, in `local_copy_scale`; an upsampled stick
//!   is written scale-factor times from one read; repeat
//!   splits the input pages over the cores and writes each to all its places after one
//!   waited read, `repeat_higher_dim_rm_interleaved.cpp`; the write barrier after them is not
//!   counted). Bilinear upsampling interpolates in the compute engine:
//!   not modeled (an error). Earlier tt-metal's pad called with `use_multicore = false` ran
//!   its single-core factory: one core moves every page.
//!
//! The terms: DRAM (`dram_scale`) is the bytes moved read from DRAM (when the source lives
//! there) at the card's achievable bandwidth and written to it (when the target does) at its
//! `dram_write_fraction` of that; NoC
//! is the busiest core's pages read and written at the NoC rate of a page's size
//! (`noc_scale`), plus the reads each core waits for (`round_trip_scale`): the readers issue
//! a batch of pages and `noc_async_read_barrier` before pushing them. The tiled readers
//! (copy, clone, slice, concat, split, pad, repeat, an interleaved move) wait for every page;
//! the row-major slice reader for as many sticks as fit 4 KiB (`merge_num_sticks_to_read`).
//! A wait on a
//! DRAM read is tt-metal's measured latency of one core's read of that many bytes (the
//! device spec's `dram_access`: 578 cycles for a 2 KiB tile on Blackhole, 463 on Wormhole); on
//! an L1 source, one 32x32 tile's NoC time. It assumes the cores work in parallel and evenly.
//! padded_slice and slice_write, conv2d's DRAM slicing, are `window_roofline`'s.

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::op_params::upsample::Mode;
use crate::generated::{CopyRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, largest_divisor, max, min};
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

/// Cores of a tiled split of `x` (see the module docs): the divisor grid of its tile rows and
/// columns, one group of it per channel.
const fn split_cores(cx: &Ctx<'_>, x: &TensorParams) -> u64 {
    // Split takes tiled tensors only (the operand rules): a row-major one is one page a row.
    let (rows, cols) = match x.tile_grid() {
        Some(g) => g,
        None => (x.shape.dim_from_end(1) as u64, 1),
    };
    let channels = max(x.shape.dim_from_end(2) as u64, 1);
    let (grid_x, grid_y) = (cx.grid.x as u64, cx.grid.y as u64);
    let channel_groups = min(channels, max(grid_x, 1));
    let across = largest_divisor(cols, grid_y, cols > 1);
    let down = largest_divisor(rows, max(grid_x / channel_groups, 1), false);
    across * down * channel_groups
}

/// Pages a core's reader issues before each `noc_async_read_barrier` (see the module docs).
const fn pages_per_wait(cx: &Ctx<'_>, x: &TensorParams, page: u64) -> u64 {
    let row_major = matches!(x.layout, Layout::RowMajor);
    match cx.params {
        // Sticks up to 4 KiB per batch (`merge_num_sticks_to_read`), each at least one
        // 64-byte DRAM alignment unit.
        OpParams::Slice(_) if row_major => max(4096 / max(page, 64), 1),
        _ => 1,
    }
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
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
    if same_volume && x.logical_volume() != y.logical_volume() {
        return Err(cx.tensor_error(
            Operand::Output,
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    // The tensor whose pages move; the bytes moved, read from DRAM and written to it.
    let (moved, mut bytes, mut dram_read) = match cx.params {
        OpParams::Split(_) => (x, 0u64, 0u64),
        OpParams::Upsample(p) if matches!(p.mode, Mode::Bilinear) => {
            return Err(cx.not_modeled("bilinear upsampling (its interpolation is computed)"));
        }
        OpParams::Concat(_)
        | OpParams::MoveTensor(_)
        | OpParams::Copy(_)
        | OpParams::Slice(_)
        | OpParams::Pad(_)
        | OpParams::Repeat(_)
        | OpParams::Upsample(_) => (y, 0, 0),
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
            // Pad, repeat and upsample read each input page once; the others read a page per
            // page moved.
            dram_read = if matches!(
                cx.params,
                OpParams::Pad(_) | OpParams::Repeat(_) | OpParams::Upsample(_)
            ) {
                some_or!(x.bytes(cx.hw), overflow)
            } else {
                bytes
            };
        }
    }
    let dram_written = if y.memory.is_dram() { bytes } else { 0 };
    let dram_ns = cx.dram_traffic_ns(dram_read, dram_written);
    let grid = cx.grid.cores() as u64;
    // A move between sharded tensors: each core copies its shard within its L1.
    if matches!(cx.params, OpParams::MoveTensor(_))
        && x.memory.layout.is_sharded()
        && y.memory.layout.is_sharded()
    {
        let cores = match y.shard_cores() {
            Some(c) => c,
            None => grid,
        };
        let per_core = ceil_div(bytes, max(cores, 1));
        let local = cx.noc_ns_at(per_core, cx.hw.noc_bytes_per_cycle(per_core));
        return Ok(CopyRooflineFeatures {
            overhead_cycles: cx.cycles_to_ns(1.0),
            dram_scale: 0.0,
            noc_scale: 0.0,
            round_trip_scale: 0.0,
            local_copy_scale: local,
        });
    }
    // Repeat reads each input page once, waits for it, and writes it to each of its places
    // (`repeat_higher_dim_rm_interleaved.cpp`; the last-dim form writes it repeated in one
    // output page): the input pages split over the cores, each with its share of the output.
    if let OpParams::Repeat(_) = cx.params {
        let in_page = page_bytes(cx, x);
        let in_bytes = some_or!(x.bytes(cx.hw), overflow);
        let in_pages = max(ceil_div(in_bytes, in_page), 1);
        let cores = match y.shard_cores() {
            Some(c) => c,
            None => grid,
        };
        let per_core = ceil_div(in_pages, max(min(cores, in_pages), 1));
        let written = per_core.saturating_mul(ceil_div(bytes, in_pages));
        let out_page = page_bytes(cx, y);
        let noc = cx.noc_ns_at(per_core.saturating_mul(in_page), cx.hw.noc_bytes_per_cycle(in_page))
            + cx.noc_ns_at(written, cx.hw.noc_bytes_per_cycle(out_page));
        let wait_ns = cx.waited_read_ns(x, in_page);
        return Ok(CopyRooflineFeatures {
            overhead_cycles: cx.cycles_to_ns(1.0),
            dram_scale: dram_ns,
            noc_scale: noc,
            round_trip_scale: per_core as f64 * wait_ns,
            local_copy_scale: 0.0,
        });
    }
    let page = page_bytes(cx, moved);
    let pages = ceil_div(bytes, page);
    let cores = match (moved.shard_cores(), cx.params) {
        // Earlier tt-metal's `use_multicore = false` ran pad's single-core factory.
        (_, OpParams::Pad(p)) if !p.use_multicore => 1,
        (Some(c), _) => c,
        (None, OpParams::Split(_)) => split_cores(cx, x),
        (None, _) => grid,
    };
    let per_core = ceil_div(pages, max(min(cores, pages), 1));
    // Read and written, page by page.
    let noc = cx.noc_ns_at(
        per_core.saturating_mul(page).saturating_mul(2),
        cx.hw.noc_bytes_per_cycle(page),
    );
    // The reads each core waits for, a batch of pages at a time.
    let batch = min(pages_per_wait(cx, x, page), max(per_core, 1));
    let waits = ceil_div(per_core, batch);
    let wait_ns = cx.waited_read_ns(x, batch.saturating_mul(page));
    // A row-major slice with a step over 1 copies each kept element by itself (tt-metal
    // `SliceRmStrideProgramFactory`: the output sticks split over the grid by
    // `split_work_to_cores`; the reader reads an input stick, waits for it, and copies the kept
    // elements a byte at a time through volatile L1 pointers,
    // `strided_slice_reader_rm_interleaved_nd.cpp`): the busiest core's output sticks (its
    // pages, split as above), each byte a copy in its own L1.
    let strided = match cx.params {
        OpParams::Slice(p) if p.step > 1 && matches!(y.layout, Layout::RowMajor) => {
            let bytes = per_core.saturating_mul(page);
            cx.cycles_to_ns(bytes as f64 * STRIDED_COPY_CYCLES_PER_BYTE)
        }
        // The multi-core tiled pad's writer first builds a tile of the pad value a byte at a
        // time (`writer_pad_tiled.cpp`: each element's bytes loaded from the value and stored
        // through volatile pointers), then writes it to every padding page.
        OpParams::Pad(p) if p.use_multicore && matches!(y.layout, Layout::Tile { .. }) => {
            match y.dtype.element_bytes() {
                Some(element) => cx.cycles_to_ns(page as f64 / element as f64 * pad_fill_cycles(cx, element)),
                None => 0.0,
            }
        }
        _ => 0.0,
    };
    Ok(CopyRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        dram_scale: dram_ns,
        noc_scale: noc,
        round_trip_scale: waits as f64 * wait_ns,
        local_copy_scale: strided,
    })
}

/// Cycles a data-movement core spends on each byte a strided row-major slice copies, one
/// volatile L1 load and store at a time. Measured on Blackhole in tenstorrent/tt-metal's
/// GPT-OSS-20B prefill profile (`models/autoports/openai_gpt_oss_20b/doc/fused_decoder/perf/`,
/// commit 0da25aaf): `[32, 2880, 5760] -> [32, 2880, 2880]`, step 2, took 69.16 ms on 110
/// cores (838 sticks of 5,760 B a core: 19.3 cycles a byte at 1.35 GHz) and `[32, 1, 5760]`
/// 84.0 µs on 32 cores (one stick a core: 19.7). The same RISC-V loop is assumed on the other
/// devices.
const STRIDED_COPY_CYCLES_PER_BYTE: f64 = 19.5;

/// Cycles the tiled pad's fill loop takes an element of `element` bytes: a load of each of the
/// value's bytes and a store of it, the offset's and the counter's increments and the branch,
/// one instruction a cycle on the in-order RISC-V, each store at the device's store rate where
/// that is slower (`riscv_l1_store_cycles`: five cycles on Wormhole). An instruction count,
/// not a measurement: a public Blackhole GPT-OSS-20B prefill's one-tile pads take ~5 us more
/// than their moves, ~6.7k cycles, where a bfloat16 tile's 1,024 elements at 7 are 7.2k.
const fn pad_fill_cycles(cx: &Ctx<'_>, element: u32) -> f64 {
    let store = cx.hw.store_loop_cycles(1.0);
    element as f64 * (1.0 + store) + 3.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formulas::test_support::close;
    use crate::tensor::{BufferType, CoreRange, MemoryLayout, ShardOrientation, ShardSpec};
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
    /// each read from DRAM waited for (8 waits of 383 + 2048 / 21.9 cycles: tt-metal's
    /// measured Wormhole latency, then the tile at one core's DRAM rate); DRAM reads the
    /// output's 1 MiB and takes it written, at the card's `dram_write_fraction` of the rate.
    #[test]
    fn tiled_slice_features_by_hand() {
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let x = tiled(&[1, 1, 1024, 1024], dram);
        let y = tiled(&[1, 1, 1024, 512], dram);
        let f = features_of(Op::Slice, Card::N150, &[x], y);
        let hw = Hardware::of(Card::N150);
        let tile_ns = 2048.0 / hw.noc_bytes_per_cycle(2048) / (hw.clock_mhz / 1000.0);
        assert!(close(f.noc_scale, 16.0 * tile_ns));
        let (latency, rate) = (hw.dram_read_latency_cycles, hw.dram_core_bytes_per_cycle);
        assert_eq!((latency, rate), (383.0, 21.9));
        let wait_ns = (latency + 2048.0 / rate) / (hw.clock_mhz / 1000.0);
        assert!(close(f.round_trip_scale, 8.0 * wait_ns));
        let bytes = 512.0 * 2048.0;
        let dram_ns = bytes * hw.ns_per_dram_byte + bytes * hw.ns_per_dram_byte / hw.dram_write_fraction;
        assert!(close(f.dram_scale, dram_ns));
        assert!(close(hw.ns_per_dram_write_byte, hw.ns_per_dram_byte / hw.dram_write_fraction));
        assert_eq!(f.local_copy_scale, 0.0);
    }

    /// A row-major slice taking every second element of `[1, 32, 1, 5760]` bfloat16 (32 sticks
    /// of 2880 kept elements) on a p150: one output stick a core on 32 cores, 5,760 B each
    /// copied a byte at a time (19.5 cycles a byte at 1.35 GHz); a step of 1 copies none so.
    #[test]
    fn strided_row_major_slice_copies_each_byte() {
        let hw = Hardware::of(Card::P150);
        let rm = |w: u32| {
            TensorParams::new(
                Shape::new(&[1, 32, 1, w]),
                DType::Bfloat16,
                Layout::RowMajor,
                MemoryConfig::DRAM_INTERLEAVED,
            )
        };
        let (x, y) = ([rm(5760)], rm(2880));
        let f = |step: i64| {
            let params = [crate::OpParam::new("step", crate::ParamValue::Int(step))];
            let cx = Ctx::new(Op::Slice, hw, QueryParams::ByName(&params), &x, Some(&y), hw.compute_grid)
                .unwrap();
            features(&cx).unwrap()
        };
        assert!(close(f(2).local_copy_scale, 5760.0 * 19.5 / 1.35));
        assert_eq!(f(1).local_copy_scale, 0.0);
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
        assert!(close(f.dram_scale, 2.0 * s.dram_scale));
        assert!((f.round_trip_scale - 2.0 * s.round_trip_scale).abs() < 1e-6);
    }

    /// A copy from DRAM to L1 reads DRAM only: a DRAM-to-DRAM copy also writes the same bytes,
    /// at the card's `dram_write_fraction` of the read rate.
    #[test]
    fn copy_to_l1_writes_no_dram() {
        let x = tiled(&[1, 1, 1024, 1024], MemoryConfig::DRAM_INTERLEAVED);
        let to_l1 = features_of(Op::Copy, Card::N150, &[x], x.with_memory(MemoryConfig::L1_INTERLEAVED));
        let to_dram = features_of(Op::Copy, Card::N150, &[x], x);
        let write = Hardware::of(Card::N150).dram_write_fraction;
        assert!(close(to_l1.dram_scale * (1.0 + 1.0 / write), to_dram.dram_scale));
        assert_eq!(to_l1.noc_scale, to_dram.noc_scale);
    }

    /// A copy into a DRAM width-sharded tensor (a weight laid out for a DRAM-sharded matmul)
    /// splits its pages over the worker grid, as into an interleaved one: the shard grid
    /// names the 8 DRAM banks, not cores (a public Qwen3.6 trace's `[5120, 14336]` copy ran
    /// on 110 cores).
    #[test]
    fn a_copy_into_dram_shards_works_on_the_grid() {
        let x = tiled(&[1, 1, 1024, 1024], MemoryConfig::DRAM_INTERLEAVED);
        let banks = CoreRange::of_grid(crate::CoreGrid::new(8, 1));
        let shard = ShardSpec::new(banks, [1024, 128], ShardOrientation::RowMajor);
        let dram_sharded = MemoryConfig::sharded(BufferType::Dram, MemoryLayout::WidthSharded, shard);
        let to_shards = features_of(Op::Copy, Card::N150, &[x], x.with_memory(dram_sharded));
        let to_pages = features_of(Op::Copy, Card::N150, &[x], x);
        assert_eq!(to_shards.noc_scale, to_pages.noc_scale);
        assert!(close(to_shards.dram_scale, to_pages.dram_scale));
    }

    /// An interleaved move of a row-major tensor `[4096, 64]` bfloat16 on a p150: 4096 sticks
    /// of 128 B over the grid; a waited-for DRAM read per stick.
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
        let wait_ns = (hw.dram_read_latency_cycles + 128.0 / hw.dram_core_bytes_per_cycle)
            / (hw.clock_mhz / 1000.0);
        assert!(close(f.round_trip_scale, per_core * wait_ns));
        let stick_ns = 128.0 / hw.noc_bytes_per_cycle(128) / (hw.clock_mhz / 1000.0);
        assert!(close(f.noc_scale, 2.0 * per_core * stick_ns));
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
        assert!(close(f.local_copy_scale, ns));
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

    /// A row-major slice `[1, 1, 4096, 64] -> [1, 1, 4096, 32]` in DRAM on an n150: 4096
    /// output sticks of 64 B, 64 per core, read 4 KiB (64 sticks) per barrier: one wait, of
    /// the 4 KiB batch.
    #[test]
    fn row_major_slice_waits_per_4_kib_batch() {
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let rm = |dims: &[u32]| {
            TensorParams::new(Shape::new(dims), DType::Bfloat16, Layout::RowMajor, dram)
        };
        let hw = Hardware::of(Card::N150);
        let f = features_of(Op::Slice, Card::N150, &[rm(&[1, 1, 4096, 64])], rm(&[1, 1, 4096, 32]));
        let wait_ns = (hw.dram_read_latency_cycles + 4096.0 / hw.dram_core_bytes_per_cycle)
            / (hw.clock_mhz / 1000.0);
        assert!(close(f.round_trip_scale, wait_ns));
    }

    /// tt-metal's divisor pick: the largest count up to the limit that divides the tiles,
    /// even when asked (3840 tile rows on 13 columns: 12; 2 tile columns on 4 rows: 2; 3 tile
    /// columns with an even count asked: none, so 1).
    #[test]
    fn divisor_cores_as_tt_metal_picks_them() {
        assert_eq!(largest_divisor(3840, 13, false), 12);
        assert_eq!(largest_divisor(3840, 5, false), 5);
        assert_eq!(largest_divisor(2, 4, true), 2);
        assert_eq!(largest_divisor(3, 8, true), 1);
        assert_eq!(largest_divisor(7, 8, false), 7);
        assert_eq!(largest_divisor(0, 8, false), 1);
    }

    /// bh20_oft's split of `[1, 1, 122880, 64]` in two on a 5x4 grid of a p150: 2 tile
    /// columns over 2 of the 4 grid rows, 3840 tile rows over the 5 columns: 10 cores (the
    /// trace's CORE COUNT), 768 of the 7680 input tiles each, each read (a DRAM read waited
    /// for: 479 + 2048 / 21.3 cycles at 1.35 GHz, 427 ns) and written; DRAM reads and writes
    /// the input's 15 MiB. The trace measured 340 µs; 768 waits are 328 µs.
    #[test]
    fn split_spreads_tiles_over_its_divisor_grid() {
        let hw = Hardware::of(Card::P150);
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let x = tiled(&[1, 1, 122880, 64], dram);
        let y = tiled(&[1, 1, 122880, 32], dram);
        let inputs = [x];
        let cx = Ctx::new(
            Op::Split,
            hw,
            QueryParams::ByName(&[]),
            &inputs,
            Some(&y),
            crate::CoreGrid::new(5, 4),
        )
        .unwrap();
        let f = features(&cx).unwrap();
        let wait_ns = (479.0 + 2048.0 / 21.3) / 1.35;
        assert!(close(f.round_trip_scale, 768.0 * wait_ns));
        let tile_ns = 2048.0 / hw.noc_bytes_per_cycle(2048) / (hw.clock_mhz / 1000.0);
        assert!(close(f.noc_scale, 2.0 * 768.0 * tile_ns));
        let bytes = 7680.0 * 2048.0;
        assert!(close(f.dram_scale, bytes * (hw.ns_per_dram_byte + hw.ns_per_dram_write_byte)));
    }

    /// Earlier tt-metal's `use_multicore = false` runs pad on one core (an older Wormhole
    /// SegFormer trace pads `[1, 8, 256, 32]` to `[1, 32, 256, 32]` in L1 so): that core
    /// reads and writes all 256 output tiles, where the multi-core factory gives each of the
    /// n150's 64 cores 4.
    #[test]
    fn pad_single_core_moves_every_page() {
        use crate::params::{OpParam, ParamValue};
        let hw = Hardware::of(Card::N150);
        let (x, y) = (tiled(&[1, 8, 256, 32], MemoryConfig::L1_INTERLEAVED), tiled(&[1, 32, 256, 32], MemoryConfig::L1_INTERLEAVED));
        let single = [OpParam::new("use_multicore", ParamValue::Bool(false))];
        let inputs = [x];
        let cx = Ctx::new(Op::Pad, hw, QueryParams::ByName(&single), &inputs, Some(&y), hw.compute_grid).unwrap();
        let one = features(&cx).unwrap();
        let many = features_of(Op::Pad, Card::N150, &[x], y);
        // Each page read and written over the NoC at one tile's rate.
        let tile_ns = 2048.0 / hw.noc_bytes_per_cycle(2048);
        assert!(close(one.noc_scale, 2.0 * 256.0 * tile_ns));
        assert!(close(many.noc_scale, 2.0 * 4.0 * tile_ns));
    }

    /// The multi-core tiled pad's writer builds its tile of the pad value a byte at a time
    /// before it writes: a bfloat16 tile's 1,024 elements, each two byte loads and two byte
    /// stores and three loop instructions, 7 cycles on Blackhole (its stores coalesce, a
    /// cycle each) and 15 on Wormhole (a store every five cycles). The single-core factory
    /// and a row-major pad build none.
    #[test]
    fn tiled_pads_build_a_pad_tile_first() {
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let (x, y) = (tiled(&[1, 1, 32, 32], dram), tiled(&[1, 1, 32, 64], dram));
        let bh = Hardware::of(Card::P150);
        let f = features_of(Op::Pad, Card::P150, &[x], y);
        assert!(close(f.local_copy_scale, 1024.0 * 7.0 * 1000.0 / bh.clock_mhz));
        let f = features_of(Op::Pad, Card::N150, &[x], y);
        assert!(close(f.local_copy_scale, 1024.0 * 15.0));
        let single = [crate::OpParam::new("use_multicore", crate::ParamValue::Bool(false))];
        let inputs = [x];
        let cx = Ctx::new(Op::Pad, bh, QueryParams::ByName(&single), &inputs, Some(&y), bh.compute_grid).unwrap();
        assert_eq!(features(&cx).unwrap().local_copy_scale, 0.0);
        let rm = |dims: &[u32]| TensorParams::new(Shape::new(dims), DType::Bfloat16, Layout::RowMajor, dram);
        let f = features_of(Op::Pad, Card::P150, &[rm(&[1, 1, 32, 32])], rm(&[1, 1, 32, 64]));
        assert_eq!(f.local_copy_scale, 0.0);
    }

    /// A pad of `[1, 1, 1000, 1000]` row-major to `[1, 1, 1024, 1024]` in DRAM writes the
    /// output's 1024 sticks of 2048 B but reads only the input's 2,000,000 B. A repeat of
    /// `[1, 1, 32, 1024]` to the same output reads each of its 32 input sticks once and
    /// writes it 32 times (`repeat_higher_dim_rm_interleaved.cpp`): the input sticks split
    /// over the n150's 64 cores, one each, a waited read and 32 writes.
    #[test]
    fn pad_and_repeat_read_their_input_once() {
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let rm = |dims: &[u32]| {
            TensorParams::new(Shape::new(dims), DType::Bfloat16, Layout::RowMajor, dram)
        };
        let hw = Hardware::of(Card::N150);
        let pad = features_of(Op::Pad, Card::N150, &[rm(&[1, 1, 1000, 1000])], rm(&[1, 1, 1024, 1024]));
        let out = 1024.0 * 2048.0;
        let written = out * hw.ns_per_dram_write_byte;
        assert!(close(pad.dram_scale, 2_000_000.0 * hw.ns_per_dram_byte + written));
        let repeat = features_of(Op::Repeat, Card::N150, &[rm(&[1, 1, 32, 1024])], rm(&[1, 1, 1024, 1024]));
        assert!(close(repeat.dram_scale, 32.0 * 2048.0 * hw.ns_per_dram_byte + written));
        let stick_ns = 2048.0 / hw.noc_bytes_per_cycle(2048);
        assert!(close(repeat.noc_scale, 33.0 * stick_ns));
        assert!(close(repeat.round_trip_scale, hw.waited_dram_read_cycles(2048)));
    }

    /// Bilinear upsampling is not a copy: an error naming the mode, not a number.
    #[test]
    fn bilinear_upsample_is_not_modeled() {
        let x = TensorParams::new(
            Shape::new(&[1, 64, 64, 256]),
            DType::Bfloat16,
            Layout::RowMajor,
            MemoryConfig::DRAM_INTERLEAVED,
        );
        let y = x.with_shape(Shape::new(&[1, 128, 128, 256]));
        let hw = Hardware::of(Card::N150);
        let params = [crate::OpParam::new("mode", crate::ParamValue::Enum("bilinear"))];
        let inputs = [x];
        let cx = Ctx::new(
            Op::Upsample,
            hw,
            QueryParams::ByName(&params),
            &inputs,
            Some(&y),
            hw.compute_grid,
        )
        .unwrap();
        let err = features(&cx).unwrap_err();
        assert!(
            matches!(err, Error::ModeNotModeled { op: Op::Upsample, what } if what.contains("bilinear")),
            "{err}"
        );
    }
}
