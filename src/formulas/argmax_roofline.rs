//! `argmax_roofline`: `ttnn.argmax` (OP CODEs `ArgMaxDeviceOperation`, `ArgMax`), whose
//! compares run on a data-movement RISC-V one value at a time, not on the matrix or vector
//! engine. tt-metal `ttnn/cpp/ttnn/operations/reduction/argmax/device/`:
//!
//! * **Factory** (`argmax_device_operation.cpp`, `select_program_factory`): a row-major input
//!   reduced along its last dim runs the multi-core factory; anything else (a tiled input,
//!   or earlier tt-metal's `use_multicore = false`) the single-core one.
//! * **Multi-core** (`argmax_multi_core_program_factory.cpp`, `distribute_work_to_cores`): the
//!   last dim's `W` values split over the grid in blocks of `alignment / 2` values (the NoC
//!   read alignment of the input's buffer, the device spec's `noc.dram_alignment_bytes` or `l1_alignment_bytes`),
//!   `split_work_to_cores`: `ceil(blocks / cores)` blocks on the busiest core. For each row
//!   every core reads its part of the row and waits for it (`noc.async_read_barrier()` in
//!   `reader_argmax_interleaved_multicore.cpp`), then compares its values one by one; core 0
//!   also gathers every core's partial result per row and compares those
//!   (`find_argmax_from_intermediate_outputs`), and writes the indices.
//! * **Single-core** (`argmax_single_core_program_factory.cpp`): one core reads every page (a
//!   row of a row-major input, a tile of a tiled one), waits for each, and compares every
//!   value (`reader_argmax_interleaved.cpp`, `reader_argmax_tile_layout.cpp`).
//!
//! The busiest core's waits (`read_wait_scale`) and compares (`element_cycles`) are one
//! RISC-V's serial work, so both sit in the compute term and add; the DRAM term
//! (`dram_scale`) is the input read and the uint32 indices written at the card's achievable
//! bandwidth. Left out: the second data-movement core newer tt-metal can give half the rows
//! (`enable_secondary_dm`), a `sub_core_grids` other than the query's grid, and the gather's
//! semaphore handshakes (a few NoC round trips per op).

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::{ArgmaxRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, div, max, min, mul};
use crate::tensor::{DType, Layout, TensorParams};

/// The busiest core's work: its waited reads' time, its compared values.
struct Work {
    wait_ns: f64,
    values: u64,
}

/// The multi-core factory on a row-major `x` of `rows` rows of `w` values of `element` bytes.
const fn multi_core(cx: &Ctx<'_>, x: &TensorParams, rows: u64, w: u64, element: u64) -> Result<Work, Error> {
    // `min_red_dim_units_per_core = alignment / sizeof(bfloat16)`, whatever the dtype.
    let unit = cx.hw.read_alignment(x) / 2;
    let blocks = ceil_div(w, unit);
    let cores = max(min(cx.grid.cores() as u64, blocks), 1);
    let share = min(ceil_div(blocks, cores) * unit, w);
    let wait_ns = rows as f64 * cx.waited_read_ns(x, share * element);
    // Core 0's share of every row, then each row's partial results of all the cores.
    let gathered = if cores > 1 {
        tri!(mul(rows, cores, "argmax values"))
    } else {
        0
    };
    let values = tri!(mul(rows, share, "argmax values"));
    Ok(Work {
        wait_ns,
        values: some_or!(
            values.checked_add(gathered),
            Error::Overflow {
                what: "argmax values"
            }
        ),
    })
}

pub const fn features(cx: &Ctx<'_>) -> Result<ArgmaxRooflineFeatures, Error> {
    let hw = cx.hw;
    let OpParams::Argmax(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let x = &cx.inputs[0];
    // `validate_on_program_cache_miss`: interleaved input only.
    if x.memory.layout.is_sharded() {
        return Err(cx.tensor_error(
            Operand::Input(0),
            TensorProblem::WrongMemory {
                expected: "interleaved",
            },
        ));
    }
    let overflow = Error::Overflow {
        what: "argmax values",
    };
    let dims = x.shape.dims();
    let logical = x.shape.logical();
    let rank = dims.len() as i64;
    let dim = if p.dim < 0 { p.dim + rank } else { p.dim };
    if dim < 0 || dim >= rank {
        return Err(cx.param_error("dim", "not a dim of the input"));
    }
    let last = dim == rank - 1;
    let volume = some_or!(x.shape.volume(), overflow);
    let work = match x.layout {
        Layout::RowMajor => {
            if !last {
                // `ROW_MAJOR: only argmax on the last dim is supported`.
                return Err(cx.param_error("dim", "a row-major argmax reduces the last dim only"));
            }
            let element = some_or!(x.dtype.element_bytes(), overflow) as u64;
            let w = max(dims[dims.len() - 1] as u64, 1);
            let rows = div(volume, w);
            if p.use_multicore {
                tri!(multi_core(cx, x, rows, w, element))
            } else {
                Work {
                    wait_ns: rows as f64 * cx.waited_read_ns(x, w * element),
                    values: volume,
                }
            }
        }
        Layout::Tile { .. } => {
            // `TILE: argmax dim must be H (rank-2) or W (last)`, bfloat16 or float32 only.
            if !(last || dim == rank - 2) {
                return Err(cx.param_error("dim", "a tiled argmax reduces the last dim or the one before it only"));
            }
            if !matches!(x.dtype, DType::Bfloat16 | DType::Float32) {
                return Err(cx.not_modeled("argmax of a tiled input other than bfloat16 or float32"));
            }
            let tiles = some_or!(x.tiles(), overflow);
            let tile = some_or!(x.tile_bytes(hw), overflow);
            // The kernel compares the logical values of each tile.
            Work {
                wait_ns: tiles as f64 * cx.waited_read_ns(x, tile),
                values: x.logical_volume(),
            }
        }
    };
    // uint32 indices, one per value left after the reduced dim.
    let reduced = max(logical[dim as usize] as u64, 1);
    let out_bytes = div(x.logical_volume(), reduced).saturating_mul(4);
    let out_dram = match cx.output {
        Some(o) => o.memory.is_dram(),
        None => x.memory.is_dram(),
    };
    let in_bytes = if x.memory.is_dram() {
        some_or!(x.bytes(hw), overflow)
    } else {
        0
    };
    let written = if out_dram { out_bytes } else { 0 };
    Ok(ArgmaxRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        read_wait_scale: work.wait_ns,
        element_cycles: work.values as f64 * hw.ns_per_cycle,
        dram_scale: cx.dram_traffic_ns(in_bytes, written),
    })
}
