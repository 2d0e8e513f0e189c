//! `matmul_roofline`: matrix product on the matrix engine.
//!
//! What it counts, for `a [..., M, K] @ b [..., K, N]` in tiles (`Mt = batch * M / 32`,
//! `Kt`, `Nt`; the batch dims of `a` and `b` agree, or one side has a single matrix that every
//! batch of the other uses):
//!
//! * **Work split** by program config over the query's grid (`gx` x `gy` cores):
//!   - `mcast_2d`: output blocks of `ceil(Mt / gy)` x `ceil(Nt / gx)` tiles; `a` is multicast
//!     along rows and `b` along columns, so each is read from DRAM once.
//!   - `mcast_1d` and `dram_sharded`: the longer of `Mt`, `Nt` split over all cores, the other
//!     whole; the shared operand is multicast, each read once. `dram_sharded` requires `b`
//!     width-sharded in DRAM and splits `Nt`.
//!   - `multi_core_reuse`: `ceil(Mt * Nt / cores)` output tiles per core as whole output rows
//!     where possible; each core reads its own `a` and `b` blocks, so `a` is read once per
//!     column block and `b` once per row block.
//!   - `multi_core`: the same split without reuse: every output tile reads its `Kt` tiles of
//!     `a` and of `b`.
//!   - `auto`: `mcast_2d` when `Mt >= gy` and `Nt >= gx`, otherwise `mcast_1d`.
//! * **Compute** (`compute_scale`): the busiest core's `per_core_M * per_core_N * Kt` tile
//!   products at the device's cycles per tile for the math fidelity, scaled by the passes an
//!   `a` tile needs (`ceil(tile rows / rows_per_pass) * rows_per_pass / 32`: tiny tiles still
//!   cost a full pass). Beside them, the busiest core's input tiles unpacked
//!   (`input_tile_cycles`) and output tiles packed (`output_tile_cycles`).
//! * **DRAM** (`dram_scale`): bytes read of `a`, `b` and the bias (re-reads as above) plus the
//!   output written, for the tensors that live in DRAM, at the achievable bandwidth.
//! * **NoC** (`noc_scale`): bytes into the busiest core (its `a` block unless `a` is L1-sharded
//!   and local, its `b` block) and out of it (its output block unless the output is
//!   L1-sharded), in tile-sized transfers, at the size-dependent NoC rate.
//!
//! The three throughput terms overlap. It assumes 32-wide tiles for `K` and `N` (other tile
//! widths are not modeled).

use crate::device::MathFidelity;
use crate::error::{Error, Operand, TensorProblem};
use crate::generated::MatmulRooflineFeatures;
use crate::generated::op_params::matmul::{self as keys, MathFidelity as Fidelity, ProgramConfig};
use crate::model::{Ctx, ceil_div, max, min, mul};
use crate::tensor::{Layout, MemoryLayout, TensorParams};

/// How output blocks are spread over cores and how often inputs are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// Each input read once (multicast).
    Once,
    /// Each core reads its own blocks.
    PerBlock,
    /// Every output tile reads its full row of `a` and column of `b`.
    PerTile,
}

/// Output tiles of the busiest core and the read pattern.
#[derive(Debug, Clone, Copy)]
struct Split {
    per_core_m: u64,
    per_core_n: u64,
    reads: Reads,
}

const fn split(config: ProgramConfig, mt: u64, nt: u64, gx: u64, gy: u64) -> Split {
    let cores = gx * gy;
    match config {
        ProgramConfig::Auto if mt >= gy && nt >= gx => {
            split(ProgramConfig::Mcast2d, mt, nt, gx, gy)
        }
        ProgramConfig::Auto | ProgramConfig::Mcast1d if nt >= mt => Split {
            per_core_m: mt,
            per_core_n: ceil_div(nt, cores),
            reads: Reads::Once,
        },
        ProgramConfig::Auto | ProgramConfig::Mcast1d => Split {
            per_core_m: ceil_div(mt, cores),
            per_core_n: nt,
            reads: Reads::Once,
        },
        ProgramConfig::Mcast2d => Split {
            per_core_m: ceil_div(mt, gy),
            per_core_n: ceil_div(nt, gx),
            reads: Reads::Once,
        },
        ProgramConfig::DramSharded => Split {
            per_core_m: mt,
            per_core_n: ceil_div(nt, cores),
            reads: Reads::Once,
        },
        ProgramConfig::MultiCoreReuse => spread(mt, nt, cores, Reads::PerBlock),
        ProgramConfig::MultiCore => spread(mt, nt, cores, Reads::PerTile),
    }
}

/// `ceil(Mt * Nt / cores)` output tiles per core, as whole output rows where possible.
const fn spread(mt: u64, nt: u64, cores: u64, reads: Reads) -> Split {
    let tiles = ceil_div(mt.saturating_mul(nt), cores);
    let per_core_n = min(nt, tiles);
    Split {
        per_core_m: ceil_div(tiles, per_core_n),
        per_core_n,
        reads,
    }
}

/// Dims of `t` as (batch, rows, cols) in tiles, after an optional transpose of the last two.
const fn tiles_of(t: &TensorParams, transpose: bool) -> Option<(u64, u64, u64)> {
    let (Some((rows, cols)), Some(tiles)) = (t.tile_grid(), t.tiles()) else {
        return None;
    };
    let batch = tiles / max(rows * cols, 1);
    Some(if transpose {
        (batch, cols, rows)
    } else {
        (batch, rows, cols)
    })
}

const fn fidelity(f: Fidelity) -> MathFidelity {
    match f {
        Fidelity::Lofi => MathFidelity::LoFi,
        Fidelity::Hifi2 => MathFidelity::HiFi2,
        Fidelity::Hifi3 => MathFidelity::HiFi3,
        Fidelity::Hifi4 => MathFidelity::HiFi4,
    }
}

#[cfg_attr(feature = "macros", crate::perf_model(family = "matmul_roofline"))]
pub const fn features(cx: &Ctx<'_>) -> Result<MatmulRooflineFeatures, Error> {
    let hw = cx.hw;
    let (a, b) = (&cx.inputs[0], &cx.inputs[1]);
    let bias = if cx.inputs.len() > 2 {
        Some(&cx.inputs[2])
    } else {
        None
    };
    let (Some(transpose_a), Some(transpose_b), Some(config), Some(fidelity_param)) = (
        cx.params.get_bool(keys::TRANSPOSE_A),
        cx.params.get_bool(keys::TRANSPOSE_B),
        ProgramConfig::of(&cx.params),
        Fidelity::of(&cx.params),
    ) else {
        return Err(cx.foreign_params());
    };
    let (
        Layout::Tile {
            height: a_rows,
            width: a_cols,
        },
        Layout::Tile {
            height: b_rows,
            width: b_cols,
        },
    ) = (a.layout, b.layout)
    else {
        return Err(cx.not_modeled("matmul of row-major inputs"));
    };
    if a_cols != 32 || b_rows != 32 || b_cols != 32 || (transpose_a && a_rows != 32) {
        return Err(cx.not_modeled("matmul with tiles other than 32 wide (a) and 32x32 (b)"));
    }
    let overflow = Error::Overflow {
        what: "matmul tiles",
    };
    let (batch_a, mt, kt) = some_or!(tiles_of(a, transpose_a), overflow);
    let (batch_b, kt_b, nt) = some_or!(tiles_of(b, transpose_b), overflow);
    // Batches must agree, or one side has a single matrix that every batch of the other uses.
    if kt != kt_b || (batch_a != batch_b && batch_a != 1 && batch_b != 1) {
        return Err(cx.tensor_error(
            Operand::Input(1),
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    let batch = max(batch_a, batch_b);
    if let Some(bias) = bias {
        if bias.shape.dim_from_end(0) != b.shape.dim_from_end(if transpose_b { 1 } else { 0 }) {
            return Err(cx.tensor_error(
                Operand::Input(2),
                TensorProblem::ShapeMismatch {
                    with: Operand::Input(1),
                },
            ));
        }
    }
    if matches!(config, ProgramConfig::DramSharded)
        && !(b.memory.is_dram() && matches!(b.memory.layout, MemoryLayout::WidthSharded))
    {
        return Err(cx.tensor_error(
            Operand::Input(1),
            TensorProblem::WrongMemory {
                expected: "width-sharded in DRAM for the dram_sharded program config",
            },
        ));
    }

    let mt_all = tri!(mul(batch, mt, "matmul tiles"));
    let (gx, gy) = (cx.grid.x as u64, cx.grid.y as u64);
    let s = split(config, mt_all, nt, gx, gy);

    // Compute on the busiest core.
    let products = tri!(mul(
        tri!(mul(s.per_core_m, s.per_core_n, "matmul tiles")),
        kt,
        "matmul tiles",
    ));
    let rpp = max(hw.rows_per_pass as u64, 1);
    let pass_fraction = min(ceil_div(a_rows as u64, rpp) * rpp, 32) as f64 / 32.0;
    let cycles = products as f64 * hw.tile_cycles(fidelity(fidelity_param)) as f64 * pass_fraction;
    let compute_ns = cx.cycles_to_ns(cycles);

    // Bytes.
    let a_tile = some_or!(a.tile_bytes(hw), overflow);
    let b_tile = some_or!(b.tile_bytes(hw), overflow);
    let (out_dtype, out_memory) = match cx.output {
        Some(o) => (o.dtype, o.memory),
        None => (a.dtype, a.memory),
    };
    // Output tiles have the rows of `a`'s tiles.
    let out_tile = hw.tile_bytes(out_dtype) as u64 * a_rows as u64 / 32;
    let a_bytes = tri!(mul(batch_a * mt * kt, a_tile, "matmul bytes"));
    let b_bytes = tri!(mul(
        tri!(mul(batch_b, kt * nt, "matmul bytes")),
        b_tile,
        "matmul bytes",
    ));
    let out_bytes = tri!(mul(
        tri!(mul(mt_all, nt, "matmul bytes")),
        out_tile,
        "matmul bytes"
    ));
    // A single `a` serving every batch of `b` is read once per batch; one matrix of `b` is
    // what a row block of the output reads.
    let a_per_batch = tri!(mul(a_bytes, batch / batch_a, "matmul bytes"));
    let b_matrix = b_bytes / batch_b;
    let (a_reads, b_reads) = match s.reads {
        Reads::Once => (a_per_batch, b_bytes),
        Reads::PerBlock => (
            tri!(mul(a_per_batch, ceil_div(nt, s.per_core_n), "matmul bytes")),
            tri!(mul(
                b_matrix,
                ceil_div(mt_all, s.per_core_m),
                "matmul bytes"
            )),
        ),
        Reads::PerTile => (
            tri!(mul(a_per_batch, nt, "matmul bytes")),
            tri!(mul(b_matrix, mt_all, "matmul bytes")),
        ),
    };
    let bias_bytes = match bias {
        Some(bias) if bias.memory.is_dram() => some_or!(bias.bytes(hw), overflow),
        _ => 0,
    };
    let dram_bytes = [
        (a.memory.is_dram(), a_reads),
        (b.memory.is_dram(), b_reads),
        (out_memory.is_dram(), out_bytes),
    ];
    let mut dram_total = bias_bytes;
    let mut i = 0;
    while i < dram_bytes.len() {
        if dram_bytes[i].0 {
            dram_total = some_or!(
                dram_total.checked_add(dram_bytes[i].1),
                Error::Overflow {
                    what: "matmul bytes",
                }
            );
        }
        i += 1;
    }
    let dram_ns = cx.dram_ns(dram_total);

    // NoC traffic of the busiest core. Each block is a part of a total checked above, so its
    // plain product cannot overflow; the per-tile re-reads and the sums saturate.
    let a_block = if a.memory.is_l1_sharded() {
        0
    } else {
        s.per_core_m * kt * a_tile
    };
    let b_block = kt * s.per_core_n * b_tile;
    let out_block = if out_memory.is_l1_sharded() {
        0
    } else {
        products / max(kt, 1) * out_tile
    };
    let inbound = match s.reads {
        Reads::PerTile => products.saturating_mul(a_tile + b_tile),
        _ => a_block.saturating_add(b_block),
    };
    let noc_ns = cx.noc_ns(inbound.saturating_add(out_block), min(a_tile, b_tile));

    // Tiles the busiest core unpacks and packs, beside its tile products.
    let input_tiles = match s.reads {
        Reads::PerTile => products.saturating_mul(2),
        _ => (s.per_core_m + s.per_core_n).saturating_mul(kt),
    };
    let output_tiles = s.per_core_m * s.per_core_n;
    let ns_per_cycle = cx.cycles_to_ns(1.0);
    Ok(MatmulRooflineFeatures {
        overhead_ns: 1.0,
        compute_scale: compute_ns,
        input_tile_cycles: input_tiles as f64 * ns_per_cycle,
        output_tile_cycles: output_tiles as f64 * ns_per_cycle,
        dram_scale: dram_ns,
        noc_scale: noc_ns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_d_split_covers_the_output() {
        let s = split(ProgramConfig::Mcast2d, 10, 20, 8, 8);
        assert_eq!((s.per_core_m, s.per_core_n), (2, 3));
        assert!(s.per_core_m * 8 >= 10 && s.per_core_n * 8 >= 20);
    }

    #[test]
    fn auto_picks_one_d_for_a_single_tile_row() {
        let s = split(ProgramConfig::Auto, 1, 40, 8, 8);
        assert_eq!((s.per_core_m, s.per_core_n, s.reads), (1, 1, Reads::Once));
    }

    #[test]
    fn reuse_split_prefers_whole_rows() {
        let s = split(ProgramConfig::MultiCoreReuse, 4, 8, 2, 2);
        assert_eq!((s.per_core_m, s.per_core_n), (1, 8));
        assert_eq!(s.reads, Reads::PerBlock);
    }
}
