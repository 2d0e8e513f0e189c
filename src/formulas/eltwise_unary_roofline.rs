//! `eltwise_unary_roofline`: unary SFPU functions and typecast, tile by tile; the work split,
//! traffic and the terms it shares with binary ops are described in `src/formulas/eltwise_common.rs`.

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::op_params::eltwise_unary::UnaryOp;
use crate::generated::{EltwiseUnaryRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, max, min, mul};
use crate::tensor::{DType, Layout, TensorParams};

use super::eltwise_common::{
    UnaryClass, busiest_core_tiles, chain_class, dram_page_reads, eltwise_cores, native_l1_sharded,
    traffic, unary_class,
};

/// Whether ttnn runs a unary op (or typecast) from `x` to `out` with 32-bit destination
/// registers: `fp32_dest_acc_en` is set when either is float32, int32 or uint32
/// (tt-metal `ttnn/cpp/ttnn/operations/eltwise/unary/unary.cpp`, `unary_impl`, and
/// `ttnn/cpp/ttnn/operations/copy/typecast/typecast.cpp`). The unpacker then moves each tile
/// into the destination as 32-bit data and the packer reads it back as such.
const fn fp32_dest(x: &TensorParams, out: &TensorParams) -> bool {
    const fn wide(t: &TensorParams) -> bool {
        matches!(t.dtype, DType::Float32 | DType::Int32 | DType::Uint32)
    }
    wide(x) || wide(out)
}

/// The "tiles" a row-major `x` runs as. Only the sharded factory takes a row-major tensor, and
/// it counts each shard's bytes in whole tiles of its dtype (tt-metal
/// `unary_sharded_program_factory.cpp`: `num_tile_per_core = shard_size_in_bytes /
/// input_tile_size` when the dtype is not block-float); every core runs that many.
const fn row_major_shard_tiles(
    cx: &Ctx<'_>,
    x: &TensorParams,
    out: &TensorParams,
) -> Result<u64, Error> {
    let (true, Some(shard)) = (x.memory.is_l1_sharded(), x.memory.shard) else {
        return Err(cx.not_modeled("unary op of a row-major tensor that is not sharded in L1"));
    };
    if !out.memory.is_l1_sharded() || !matches!(out.layout, Layout::RowMajor) {
        return Err(cx.tensor_error(
            Operand::Output,
            TensorProblem::WrongMemory {
                expected: "row-major, sharded in L1 as the input",
            },
        ));
    }
    let overflow = Error::Overflow {
        what: "eltwise tiles",
    };
    let element = some_or!(x.dtype.element_bytes(), overflow) as u64;
    let shard_bytes = tri!(mul(
        shard.shape[0] as u64 * shard.shape[1] as u64,
        element,
        "eltwise tiles"
    ));
    let per_core = ceil_div(shard_bytes, cx.hw.tile_bytes(x.dtype) as u64);
    mul(per_core, shard.cores as u64, "eltwise tiles")
}

/// Cycles the reader waits for each read of `bytes` of `x`: it reads one page (or chunk) and
/// waits for it before the next (`reader_unary_interleaved_start_id.cpp`, typecast's
/// `typecast_reader_interleaved_start_id.cpp` and `reader_typecast_rm_chunked.cpp`:
/// `noc_async_read_barrier` per page), so each costs a lone read's wait from its source:
/// DRAM for DRAM-interleaved pages, another core's L1 from L1 (interleaved, or shards read
/// by page off the native path); each the published latency, then the bytes at one core's
/// rate (a 2 KiB tile from Blackhole DRAM: 479 + 96 cycles). Nothing when each core reads
/// its own shard (`local`) or from a DRAM-sharded tensor (not modeled: no shared row).
const fn read_wait_cycles(cx: &Ctx<'_>, x: &TensorParams, bytes: u64, local: bool) -> f64 {
    if local {
        0.0
    } else if !x.memory.is_dram() {
        cx.hw.waited_l1_read_cycles(bytes)
    } else if x.memory.layout.is_sharded() {
        0.0
    } else {
        cx.hw.waited_dram_read_cycles(bytes)
    }
}

/// A typecast of an interleaved row-major tensor (tt-metal
/// `typecast_rm_chunked_program_factory.cpp`): the rows (pages) split over the grid
/// (`split_work_to_cores`), each row in chunks of at most 1024 values (the last one partial);
/// per chunk the reader reads it and waits (`reader_typecast_rm_chunked.cpp`), the compute
/// kernel casts it as one tile (`eltwise_typecast.cpp`) and the writer writes it. Counted as
/// the tiled cast with a chunk for a tile: its copy cycles, its bytes through the core and
/// over the NoC (at the rate of a chunk's size), its source's latency per chunk read.
const fn row_major_typecast(
    cx: &Ctx<'_>,
    x: &TensorParams,
    out: &TensorParams,
) -> Result<EltwiseUnaryRooflineFeatures, Error> {
    /// Values a chunk at most (`max_elements_per_chunk`).
    const CHUNK: u64 = 1024;
    let overflow = Error::Overflow {
        what: "typecast chunks",
    };
    if !matches!(out.layout, Layout::RowMajor) {
        return Err(cx.not_modeled("a typecast between layouts (tt-metal's cross-layout factory)"));
    }
    if some_or!(out.shape.volume(), overflow) != some_or!(x.shape.volume(), overflow) {
        return Err(cx.tensor_error(
            Operand::Output,
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    let (x_element, out_element) = match (x.dtype.element_bytes(), out.dtype.element_bytes()) {
        (Some(a), Some(b)) => (a as u64, b as u64),
        _ => return Err(cx.not_modeled("a row-major typecast of a block-float dtype")),
    };
    let width = max(x.shape.dim_from_end(0) as u64, 1);
    let rows = some_or!(x.shape.volume(), overflow) / width;
    let chunk = min(width, CHUNK);
    let chunks_per_row = ceil_div(width, chunk);
    let cores = max(min(cx.grid.cores() as u64, rows), 1);
    let rows_per_core = ceil_div(rows, cores);
    let per_core = tri!(mul(rows_per_core, chunks_per_row, "typecast chunks"));
    // The busiest core's values, each read, cast and written once.
    let values = tri!(mul(rows_per_core, width, "typecast chunks"));
    let (read, written) = (values.saturating_mul(x_element), values.saturating_mul(out_element));
    let cycle = cx.cycles_to_ns(1.0);
    let chunk_cycles = per_core as f64 * cycle;
    let x_dram = if x.memory.is_dram() { some_or!(x.bytes(cx.hw), overflow) } else { 0 };
    let out_dram = if out.memory.is_dram() { some_or!(out.bytes(cx.hw), overflow) } else { 0 };
    // A row's chunks read, on average, its bytes over their count: the waits add up to a
    // latency a chunk and the row's bytes at the source's rate. The NoC term has the writes
    // (and the reads, were they not waited for).
    let read_wait = read_wait_cycles(cx, x, width * x_element / chunks_per_row, false);
    // A row's last chunk is the last page written.
    let last_chunk = width - (chunks_per_row - 1) * chunk;
    let mut noc = cx.noc_ns_at(written, cx.hw.noc_bytes_per_cycle(chunk * out_element));
    if read_wait == 0.0 {
        noc += cx.noc_ns_at(read, cx.hw.noc_bytes_per_cycle(chunk * x_element));
    }
    Ok(EltwiseUnaryRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        core_skew_cycles: cx.cycles_to_ns(cores as f64),
        copy_tile_cycles: chunk_cycles,
        simple_tile_cycles: 0.0,
        exp_tile_cycles: 0.0,
        erf_tile_cycles: 0.0,
        gelu_tile_cycles: 0.0,
        gelu_approx_tile_cycles: 0.0,
        transcendental_tile_cycles: 0.0,
        recip_tile_cycles: 0.0,
        tile_byte_cycles: (read + written) as f64 * cycle,
        fp32_dest_tile_cycles: if fp32_dest(x, out) { chunk_cycles } else { 0.0 },
        dram_scale: cx.dram_ns(x_dram),
        dram_write_scale: cx.dram_write_ns(out_dram),
        // One wait more for the pipeline's fill (see `eltwise_common`).
        read_wait_scale: (per_core + 1) as f64 * cx.cycles_to_ns(read_wait),
        noc_scale: noc,
        // The writer waits for every write before it ends (`writer_typecast_rm_chunked.cpp`).
        write_drain_scale: cx.waited_write_ns(out, last_chunk * out_element),
    })
}

pub const fn features(cx: &Ctx<'_>) -> Result<EltwiseUnaryRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    let out = match cx.output {
        Some(o) => o,
        None => x,
    };
    if let (OpParams::Typecast(_), Layout::RowMajor, false) =
        (cx.params, x.layout, x.memory.layout.is_sharded())
    {
        return row_major_typecast(cx, x, out);
    }
    let tiles = match (x.tiles(), out.tiles()) {
        _ if matches!(x.layout, Layout::RowMajor) => tri!(row_major_shard_tiles(cx, x, out)),
        (Some(x_tiles), Some(out_tiles)) if x_tiles == out_tiles => x_tiles,
        (Some(_), _) => {
            return Err(cx.tensor_error(
                Operand::Output,
                TensorProblem::ShapeMismatch {
                    with: Operand::Input(0),
                },
            ));
        }
        (None, _) => {
            return Err(Error::Overflow {
                what: "eltwise tiles",
            });
        }
    };
    // The functions each tile goes through, by class: a fused chain runs them all in turn.
    let chain = match cx.params {
        OpParams::Typecast(_) => [Some(UnaryClass::Copy), None, None, None],
        OpParams::EltwiseUnary(p) => [
            Some(match p.unary_op {
                UnaryOp::Gelu if p.fast_and_approximate_mode => UnaryClass::GeluApprox,
                op => unary_class(op),
            }),
            chain_class(p.chain_op_2 as usize),
            chain_class(p.chain_op_3 as usize),
            chain_class(p.chain_op_4 as usize),
        ],
        _ => return Err(cx.foreign_params()),
    };
    // Tiles run on the shard grid when ttnn takes its native sharded path (input and output
    // sharded in L1 alike and evenly), else over the worker grid, each tile read and written
    // by page (tt-metal `unary/common/unary_utils.cpp`, `is_native_L1_sharding`; an ND shard
    // spec, or shards that do not divide the tensor, fall back).
    // A row-major tensor runs on the sharded factory only (`row_major_shard_tiles`): each
    // core its own shard.
    let local = matches!(x.layout, Layout::RowMajor) || native_l1_sharded(&[out, x]);
    let cores = eltwise_cores(cx, &[out, x], local);
    let per_core = busiest_core_tiles(tiles, cores);
    // Reads and writes apart: DRAM writes have their own scale.
    let (read, written) = (tri!(traffic(cx, &[x])), tri!(traffic(cx, &[out])));
    // A page read and waited for is counted in its wait (its bytes too); the NoC term has
    // the rest: the pages written, and those read without a wait (DRAM-sharded).
    let read_wait = read_wait_cycles(cx, x, read.through_per_tile, local);
    let noc_per_tile = if read_wait > 0.0 {
        written.noc_per_tile
    } else {
        read.noc_per_tile + written.noc_per_tile
    };
    // Tile counts weigh cycles: one tile costs `copy + function` cycles.
    let tile_cycles = per_core as f64 * cx.cycles_to_ns(1.0);
    // Each function's cycles go to the feature of its class.
    let mut of_class = [0.0; 8];
    let mut i = 0;
    while i < chain.len() {
        if let Some(class) = chain[i] {
            of_class[class as usize] += tile_cycles;
        }
        i += 1;
    }
    Ok(EltwiseUnaryRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        // The last core starts `cores - 1` skews after the first.
        core_skew_cycles: cx.cycles_to_ns(min(cores, tiles) as f64),
        // A tile's unpack and pack are part of each function's cycles; alone (a copy or a
        // typecast) they are the copy's.
        copy_tile_cycles: of_class[UnaryClass::Copy as usize],
        simple_tile_cycles: of_class[UnaryClass::Simple as usize],
        exp_tile_cycles: of_class[UnaryClass::Exp as usize],
        erf_tile_cycles: of_class[UnaryClass::Erf as usize],
        gelu_tile_cycles: of_class[UnaryClass::Gelu as usize],
        gelu_approx_tile_cycles: of_class[UnaryClass::GeluApprox as usize],
        transcendental_tile_cycles: of_class[UnaryClass::Transcendental as usize],
        recip_tile_cycles: of_class[UnaryClass::Recip as usize],
        tile_byte_cycles: tile_cycles * (read.through_per_tile + written.through_per_tile) as f64,
        fp32_dest_tile_cycles: if fp32_dest(x, out) { tile_cycles } else { 0.0 },
        dram_scale: cx.dram_bytes_or_requests_ns(read.dram, dram_page_reads(cx, &[x])),
        dram_write_scale: cx.dram_write_ns(written.dram),
        // One wait more for the pipeline's fill (see `eltwise_common`).
        read_wait_scale: (per_core + 1) as f64 * cx.cycles_to_ns(read_wait),
        noc_scale: cx.noc_ns_of_tiles(per_core.saturating_mul(noc_per_tile), x),
        // The writer issues each page and goes on once it has left, but waits for every
        // acknowledgement before it ends (`noc_async_write_barrier` after its loop,
        // `writer_unary_interleaved_start_id.cpp`): the last page's round trip follows the
        // last tile's compute. Into its own shard a core writes nothing.
        write_drain_scale: if local {
            0.0
        } else {
            cx.waited_write_ns(out, cx.hw.tile_bytes(out.dtype) as u64)
        },
    })
}
