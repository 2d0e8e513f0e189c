//! `accumulation_roofline`: `ttnn.cumsum` / `ttnn.cumprod` (OP CODEs
//! `AccumulationDeviceOperation`, `CumSumDeviceOperation`). tt-metal
//! `ttnn/cpp/ttnn/operations/reduction/accumulation/device/accumulation_program_factory.cpp`
//! and its forerunner `reduction/cumsum/device/cumsum_program_factory.cpp`:
//!
//! * **Work split**: the tiles form `rows` of `tiles_per_row = padded dim size` tiles along
//!   `dim` (a dim before the last two: `dim + 2 < rank`), `rows = tiles / tiles_per_row`;
//!   `split_work_to_cores(grid, rows)` gives the busiest core `ceil(rows / cores)` rows.
//! * **Per tile**, in sequence along its row: the reader reads one tile and waits for it
//!   (`noc.async_read_barrier()`, `accumulation_reader.cpp`) into a 4-tile buffer, so the
//!   reads run ahead of the compute (NoC term, `read_wait_scale`); the compute kernel adds the
//!   tile to the running one (`sfpu_tile_cycles`: both copied to dest and an SFPU add or
//!   multiply, `accumulation_compute.cpp`; `fpu_tile_cycles`: `add_tiles` on the matrix
//!   engine, `cumsum_compute.cpp` on a float tensor) and packs it out twice (to the output and
//!   back to the running tile).
//! * **DRAM** (`dram_scale`): the input read at the card's achievable bandwidth and the
//!   output written at its `dram_write_fraction` of it.
//!
//! Left out: each row's fill of the running tile (one tile per row), and the writer's waits
//! (its writes overlap the reads).

use crate::error::Error;
use crate::generated::op_params::accumulation::AddUnit;
use crate::generated::{AccumulationRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, div, max, min, mul};
use crate::tensor::DType;

pub const fn features(cx: &Ctx<'_>) -> Result<AccumulationRooflineFeatures, Error> {
    let hw = cx.hw;
    let OpParams::Accumulation(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let x = &cx.inputs[0];
    let overflow = Error::Overflow {
        what: "accumulation tiles",
    };
    let dims = x.shape.dims();
    let rank = dims.len() as i64;
    let dim = if p.dim < 0 { p.dim + rank } else { p.dim };
    // `cumsum on x and y axes not supported`: the dim must come before the last two.
    if dim < 0 || dim + 2 >= rank {
        return Err(cx.param_error(
            "dim",
            "cumsum and cumprod run along a dim before the last two only",
        ));
    }
    let tiles = some_or!(x.tiles(), overflow);
    let tiles_per_row = max(dims[dim as usize] as u64, 1);
    let rows = div(tiles, tiles_per_row);
    let cores = max(min(cx.grid.cores() as u64, rows), 1);
    let busiest = tri!(mul(ceil_div(rows, cores), tiles_per_row, "accumulation tiles"));
    let tile_bytes = some_or!(x.tile_bytes(hw), overflow);
    let ns_per_cycle = hw.ns_per_cycle;
    // `CUMSUM_USE_INT32`: the earlier kernel adds integer tiles on the SFPU too.
    let fpu = matches!(p.add_unit, AddUnit::Fpu) && !matches!(x.dtype, DType::Int32 | DType::Uint32);
    let (sfpu_tiles, fpu_tiles) = if fpu { (0, busiest) } else { (busiest, 0) };
    let in_bytes = if x.memory.is_dram() {
        some_or!(x.bytes(hw), overflow)
    } else {
        0
    };
    // The output has the input's shape and dtype.
    let out_dram = match cx.output {
        Some(o) => o.memory.is_dram(),
        None => x.memory.is_dram(),
    };
    let out_bytes = if out_dram {
        some_or!(x.bytes(hw), overflow)
    } else {
        0
    };
    Ok(AccumulationRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        sfpu_tile_cycles: sfpu_tiles as f64 * ns_per_cycle,
        fpu_tile_cycles: fpu_tiles as f64 * ns_per_cycle,
        read_wait_scale: busiest as f64 * cx.waited_read_ns(x, tile_bytes),
        dram_scale: cx.dram_traffic_ns(in_bytes, out_bytes),
    })
}
