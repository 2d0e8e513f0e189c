//! `eltwise_unary_roofline` and `eltwise_binary_roofline`: tile-by-tile elementwise ops.
//!
//! What they count:
//!
//! * **Work split**: output tiles spread evenly over cores; the busiest core gets
//!   `ceil(tiles / cores)`. Binary: over the shard grid on ttnn's native L1-sharded path
//!   (every tensor L1-sharded, evenly, alike: `native_l1_sharded`), else over the query's
//!   whole grid (tt-metal `binary_ng_program_factory.cpp`: `split_work_to_cores` over the
//!   worker grid). Unary (and typecast): over the cores that hold shards (L1- or
//!   DRAM-sharded output or input), else the grid.
//! * **Compute**: the busiest core's tiles times the cycles of one tile through the
//!   unpack -> math -> pack pipeline, a sum of per-kind cycles (the family is linear in its
//!   parameters; how much the stages overlap is what calibration finds):
//!   - unary (and typecast): `copy_tile_cycles` plus the function's: none for a copy
//!     (`typecast`, `identity`, `fill`), `simple_tile_cycles` for a few-instruction SFPU
//!     function, `exp_tile_cycles` for the exponentials, `erf_tile_cycles` for erf, erfc and
//!     gelu, and `transcendental_tile_cycles` for the others; `tile_byte_cycles` per byte of
//!     one tile of each operand, so wide dtypes cost more; `fp32_dest_tile_cycles` when the
//!     destination registers hold 32-bit data (`fp32_dest_acc_en`, which ttnn sets when the
//!     input or output is float32, int32 or uint32);
//!   - binary: `fpu_tile_cycles` for `add`, `sub` and `mul`, plus `fidelity_phase_cycles`
//!     per further fidelity phase of a `mul` (3 at HiFi4), `sfpu_tile_cycles` for every
//!     other op.
//! * **Overhead**: a binary op whose second operand is a scalar (one input) fills a tile with
//!   it once per core before the first tile (`scalar_fill_cycles`). A unary op (and typecast)
//!   starts its cores one after another, in the order the runtime arguments are written:
//!   `core_skew_ns` per core the tiles are split over (a binary one does not gain from it in
//!   cross-validation). Counting all of them, not only those that get the busiest
//!   core's extra tile, keeps a larger op from coming out faster than a smaller one.
//! * **DRAM** (`dram_scale`): every DRAM-resident input read once and the output written once;
//!   unary (and typecast) weigh the writes by their own `dram_write_scale` (1 in v1, as the
//!   reads): on the Wormhole `exp` sweep, float32 from L1 to DRAM is slower than from DRAM to
//!   L1, the same bytes the other way.
//! * **NoC**: per tile of the busiest core, one page in from each interleaved input and one
//!   out to an interleaved output, tile-sized, at the NoC's rate (`noc_scale`); L1-sharded
//!   tensors are local and cost nothing. Binary, off the native sharded path: the reader
//!   reads each tile's pages and waits for them before the next
//!   (`reader_interleaved_no_bcast.cpp`: `noc_async_read_barrier` per tile), the writer
//!   likewise: `noc_tile_cycles` per tile, plus one for the pipeline's fill (the first tile's
//!   write waits for its read); a broadcast input's tile is filled from its first row or
//!   column by the reader's RISC-V, per output tile (`reader_interleaved_row_bcast.cpp`,
//!   `FILL_TILE_WITH_FIRST_ROW`): `bcast_tile_cycles`.
//!
//! They assume full overlap of compute, DRAM and NoC, and that a broadcast input is read once
//! from DRAM (its re-reads hit the NoC only).

use crate::device::MathFidelity;
use crate::error::{Error, Operand, TensorProblem};
use crate::generated::op_params::eltwise_binary::{BinaryOp, MathFidelity as Fidelity};
use crate::generated::op_params::eltwise_unary::UnaryOp;
use crate::generated::{EltwiseBinaryRooflineFeatures, EltwiseUnaryRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, div, max, min, mul};
use crate::tensor::{DType, Layout, MAX_RANK, Shape, TensorParams};

/// Unary functions by SFPU cost class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnaryClass {
    /// No SFPU work: the tile is copied through (with a format conversion at most).
    Copy,
    /// A few SFPU instructions per element.
    Simple,
    /// The exponential family.
    Exp,
    /// The error function and GELU, built on it.
    Erf,
    /// Another polynomial approximation or range reduction per element.
    Transcendental,
}

const fn unary_class(op: UnaryOp) -> UnaryClass {
    use UnaryOp::*;
    match op {
        Identity | Typecast | Fill => UnaryClass::Copy,
        Relu | Relu6 | Abs | Neg | Sign | Square | Gtz | Ltz | Eqz | Gez | Lez | Nez | WhereTss => {
            UnaryClass::Simple
        }
        Exp | Exp2 | Expm1 => UnaryClass::Exp,
        Erf | Erfc | Gelu => UnaryClass::Erf,
        Log | Log2 | Log10 | Sqrt | Rsqrt | Recip | Silu | Sigmoid | Tanh | Sin | Cos
        | Softplus | Mish | Elu | Atan => UnaryClass::Transcendental,
    }
}

/// The cores `tensors` are split over: those of the first sharded tensor's shard grid, or
/// else the grid.
const fn split_cores(cx: &Ctx<'_>, tensors: &[&TensorParams]) -> u64 {
    let mut i = 0;
    while i < tensors.len() {
        let m = &tensors[i].memory;
        if m.layout.is_sharded() {
            if let Some(shard) = m.shard {
                return shard.cores as u64;
            }
            break;
        }
        i += 1;
    }
    cx.grid.cores() as u64
}

/// The tiles of the busiest core when `out_tiles` are spread over `cores` ([`split_cores`]).
const fn busiest_core_tiles(out_tiles: u64, cores: u64) -> u64 {
    ceil_div(out_tiles, max(min(cores, out_tiles), 1))
}

/// What `tensors` move, in one pass: per tile of each, bytes over the NoC (a page per
/// interleaved tensor, none for L1-sharded ones) and bytes through the core (unpacked or
/// packed); and the bytes of the DRAM-resident ones, each read or written once.
const fn traffic(cx: &Ctx<'_>, tensors: &[&TensorParams]) -> Result<Traffic, Error> {
    let overflow = Error::Overflow {
        what: "eltwise bytes",
    };
    let mut t = Traffic {
        noc_per_tile: 0,
        through_per_tile: 0,
        dram: 0,
    };
    let mut i = 0;
    while i < tensors.len() {
        let x = tensors[i];
        let tile = match x.tile_bytes(cx.hw) {
            Some(b) => b,
            None => 0,
        };
        if !x.memory.is_l1_sharded() {
            t.noc_per_tile += tile;
        }
        t.through_per_tile += tile;
        if x.memory.is_dram() {
            t.dram = some_or!(
                t.dram.checked_add(some_or!(x.bytes(cx.hw), overflow)),
                overflow
            );
        }
        i += 1;
    }
    Ok(t)
}

/// What [`traffic`] finds.
struct Traffic {
    noc_per_tile: u64,
    through_per_tile: u64,
    dram: u64,
}

/// Whether a sharded tensor's shards do not divide it evenly (a partial last shard): tt-metal
/// `binary_ng_utils.cpp` and `unary/common/unary_utils.cpp`, `is_uneven`.
const fn uneven_shards(t: &TensorParams) -> bool {
    let (true, Some(shard)) = (t.memory.layout.is_sharded(), t.memory.shard) else {
        return false;
    };
    let cols = t.shape.dim_from_end(0) as u64;
    let volume = match t.shape.volume() {
        Some(v) => v,
        None => 0,
    };
    let rows = volume / max(cols, 1);
    rows % max(shard.shape[0] as u64, 1) != 0 || cols % max(shard.shape[1] as u64, 1) != 0
}

/// Whether ttnn runs an eltwise op on `tensors` (the output first) on its native L1-sharded
/// path: every tensor sharded in L1, evenly, with the same shard shape on the same cores
/// (tt-metal `binary_ng_utils.cpp` and `unary/common/unary_utils.cpp`,
/// `is_native_L1_sharding`). Each core's circular buffers are then its shards: no tile
/// moves over the NoC, and the tiles are split over the shard grid. Otherwise the program
/// factories split the tiles over the whole worker grid (`split_work_to_cores`) and every
/// tile, sharded or not, is read and written through the NoC by page (`TensorAccessor`).
const fn native_l1_sharded(tensors: &[&TensorParams]) -> bool {
    let Some(first) = tensors[0].memory.shard else {
        return false;
    };
    let mut i = 0;
    while i < tensors.len() {
        let t = tensors[i];
        let Some(shard) = t.memory.shard else {
            return false;
        };
        if !t.memory.is_l1_sharded()
            || uneven_shards(t)
            || shard.cores != first.cores
            || shard.shape[0] != first.shape[0]
            || shard.shape[1] != first.shape[1]
        {
            return false;
        }
        i += 1;
    }
    true
}

/// The cores an eltwise op on `tensors` (the output first) splits its tiles over: the shard
/// grid on the native sharded path (`native_l1_sharded`), else the query's grid.
const fn eltwise_cores(cx: &Ctx<'_>, tensors: &[&TensorParams], native: bool) -> u64 {
    match (native, tensors[0].memory.shard) {
        (true, Some(shard)) => shard.cores as u64,
        _ => cx.grid.cores() as u64,
    }
}

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

#[cfg_attr(
    feature = "macros",
    crate::perf_model(family = "eltwise_unary_roofline")
)]
pub const fn unary_features(cx: &Ctx<'_>) -> Result<EltwiseUnaryRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    let out = match cx.output {
        Some(o) => o,
        None => x,
    };
    let tiles = match (x.tiles(), out.tiles()) {
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
    let class = match cx.params {
        OpParams::Typecast(_) => UnaryClass::Copy,
        OpParams::EltwiseUnary(p) => unary_class(p.unary_op),
        _ => return Err(cx.foreign_params()),
    };
    let cores = split_cores(cx, &[out, x]);
    let per_core = busiest_core_tiles(tiles, cores);
    // Reads and writes apart: DRAM writes have their own scale.
    let (read, written) = (tri!(traffic(cx, &[x])), tri!(traffic(cx, &[out])));
    // Tile counts weigh cycles: one tile costs `copy + function` cycles.
    let tile_cycles = per_core as f64 * cx.cycles_to_ns(1.0);
    // The function's cycles go to the feature of its class.
    let mut of_class = [0.0; 5];
    of_class[class as usize] = tile_cycles;
    Ok(EltwiseUnaryRooflineFeatures {
        overhead_ns: 1.0,
        // The last core starts `cores - 1` skews after the first.
        core_skew_ns: min(cores, tiles) as f64,
        copy_tile_cycles: tile_cycles,
        simple_tile_cycles: of_class[UnaryClass::Simple as usize],
        exp_tile_cycles: of_class[UnaryClass::Exp as usize],
        erf_tile_cycles: of_class[UnaryClass::Erf as usize],
        transcendental_tile_cycles: of_class[UnaryClass::Transcendental as usize],
        tile_byte_cycles: tile_cycles * (read.through_per_tile + written.through_per_tile) as f64,
        fp32_dest_tile_cycles: if fp32_dest(x, out) { tile_cycles } else { 0.0 },
        dram_scale: cx.dram_ns(read.dram),
        dram_write_scale: cx.dram_ns(written.dram),
        noc_scale: cx.noc_ns_of_tiles(
            per_core.saturating_mul(read.noc_per_tile + written.noc_per_tile),
            x,
        ),
    })
}

/// The broadcast of two shapes, aligned at the innermost dim: padded dims of the result and
/// whether any dim was broadcast. Dims combine when their logical sizes are equal or one is 1.
const fn broadcast(a: &TensorParams, b: &TensorParams) -> Option<(Shape, bool)> {
    let (ad, al) = (a.shape.dims(), a.shape.logical());
    let (bd, bl) = (b.shape.dims(), b.shape.logical());
    let rank = if ad.len() > bd.len() {
        ad.len()
    } else {
        bd.len()
    };
    let mut out = [1u32; MAX_RANK];
    let mut broadcast = false;
    let mut i = 0;
    while i < rank {
        // Dim `i` from the innermost, (padded, logical); 1 beyond a shape's rank.
        let (pa, la) = if i < ad.len() {
            (ad[ad.len() - 1 - i], al[al.len() - 1 - i])
        } else {
            (1, 1)
        };
        let (pb, lb) = if i < bd.len() {
            (bd[bd.len() - 1 - i], bl[bl.len() - 1 - i])
        } else {
            (1, 1)
        };
        out[rank - 1 - i] = if la == lb {
            if pa > pb { pa } else { pb }
        } else if la == 1 {
            broadcast = true;
            pb
        } else if lb == 1 {
            broadcast = true;
            pa
        } else {
            return None;
        };
        i += 1;
    }
    Some((Shape::new(out.split_at(rank).0), broadcast))
}

const fn fidelity(f: Fidelity) -> MathFidelity {
    match f {
        Fidelity::Lofi => MathFidelity::LoFi,
        Fidelity::Hifi2 => MathFidelity::HiFi2,
        Fidelity::Hifi3 => MathFidelity::HiFi3,
        Fidelity::Hifi4 => MathFidelity::HiFi4,
    }
}

#[cfg_attr(
    feature = "macros",
    crate::perf_model(family = "eltwise_binary_roofline")
)]
pub const fn binary_features(cx: &Ctx<'_>) -> Result<EltwiseBinaryRooflineFeatures, Error> {
    let a = &cx.inputs[0];
    // Without a second tensor the other operand is a scalar: ttnn fills one tile with it
    // before the first tile and reuses that tile, so it costs once per op, not per tile.
    let b = if cx.inputs.len() > 1 {
        Some(&cx.inputs[1])
    } else {
        None
    };
    // The shape of the output: `a`'s own (`None`) for a scalar `b` and for the usual
    // operands, one shape without padding (which `broadcast` gives back as it is); else the
    // broadcast of the two.
    let (out_shape, broadcast) = match b {
        None => (None, false),
        Some(b) if a.shape.same_unpadded(&b.shape) => (None, false),
        Some(b) => match broadcast(a, b) {
            Some((shape, broadcast)) => (Some(shape), broadcast),
            None => {
                return Err(cx.tensor_error(
                    Operand::Input(1),
                    TensorProblem::ShapeMismatch {
                        with: Operand::Input(0),
                    },
                ));
            }
        },
    };
    let broadcast_out;
    let out = match (cx.output, &out_shape) {
        (Some(o), _) => o,
        (None, None) => a,
        (None, Some(shape)) => {
            broadcast_out = a.with_shape(*shape);
            &broadcast_out
        }
    };
    let overflow = Error::Overflow {
        what: "eltwise tiles",
    };
    let tile_area = match a.layout {
        Layout::Tile { height, width } => height as u64 * width as u64,
        Layout::RowMajor => {
            return Err(cx.not_modeled("binary op of row-major inputs"));
        }
    };
    let out_volume = match &out_shape {
        Some(shape) => shape.volume(),
        None => a.shape.volume(),
    };
    let out_volume = some_or!(out_volume, overflow);
    let out_tiles = div(out_volume, tile_area);
    if let Some(o) = cx.output {
        if !matches!(o.shape.volume(), Some(v) if v == out_volume) {
            return Err(cx.tensor_error(
                Operand::Output,
                TensorProblem::ShapeMismatch {
                    with: Operand::Input(0),
                },
            ));
        }
    }
    let OpParams::EltwiseBinary(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let (op, fidelity_param) = (p.binary_op, p.math_fidelity);
    // FPU passes per tile: one for add and sub, the fidelity phases for mul; 0 for SFPU ops.
    let fpu_passes = match op {
        BinaryOp::Add | BinaryOp::Sub => 1.0,
        BinaryOp::Mul => 1.0,
        _ => 0.0,
    };
    let all = [
        out,
        a,
        match b {
            Some(b) => b,
            None => a,
        },
    ];
    // A multiply's further fidelity phases: 0 at LoFi, 3 at HiFi4.
    let phases = match op {
        BinaryOp::Mul => fidelity(fidelity_param) as u8 as f64,
        _ => 0.0,
    };
    let tensors = all.split_at(if b.is_some() { 3 } else { 2 }).0;
    let native = native_l1_sharded(tensors);
    let cores = eltwise_cores(cx, tensors, native);
    let per_core = busiest_core_tiles(out_tiles, cores);
    let traffic = tri!(traffic(cx, tensors));
    // Tile counts weigh cycles: one tile costs the sum of its kinds' cycles.
    let tile_cycles = per_core as f64 * cx.cycles_to_ns(1.0);
    Ok(EltwiseBinaryRooflineFeatures {
        overhead_ns: 1.0,
        fpu_tile_cycles: tile_cycles * fpu_passes,
        fidelity_phase_cycles: tile_cycles * phases,
        sfpu_tile_cycles: if fpu_passes == 0.0 { tile_cycles } else { 0.0 },
        bcast_tile_cycles: if broadcast { tile_cycles } else { 0.0 },
        // The first tile's write waits for its read: one round trip more than the tiles.
        noc_tile_cycles: if native {
            0.0
        } else {
            (per_core + 1) as f64 * cx.cycles_to_ns(1.0)
        },
        scalar_fill_cycles: if b.is_none() {
            cx.cycles_to_ns(1.0)
        } else {
            0.0
        },
        dram_scale: cx.dram_ns(traffic.dram),
        noc_scale: cx.noc_ns_of_tiles(
            tri!(mul(per_core, traffic.noc_per_tile, "eltwise bytes")),
            a,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::{DType, Layout, MemoryConfig, Shape};

    fn t(padded: &[u32], logical: &[u32]) -> TensorParams {
        TensorParams::new(
            Shape::padded(padded, logical),
            DType::Bfloat16,
            Layout::TILE,
            MemoryConfig::DRAM_INTERLEAVED,
        )
    }

    #[test]
    fn broadcast_uses_logical_sizes() {
        let a = t(&[1, 64, 128], &[1, 50, 128]);
        let b = t(&[32, 128], &[1, 128]);
        let (shape, bcast) = broadcast(&a, &b).expect("broadcastable");
        assert_eq!(shape.dims(), &[1, 64, 128]);
        assert!(bcast);
    }

    #[test]
    fn equal_shapes_do_not_broadcast() {
        let a = t(&[64, 64], &[64, 64]);
        let (_, bcast) = broadcast(&a, &a).expect("same shape");
        assert!(!bcast);
    }

    #[test]
    fn incompatible_shapes_are_rejected() {
        assert!(broadcast(&t(&[64, 64], &[64, 64]), &t(&[32, 64], &[32, 64])).is_none());
    }

    /// Equal shapes without padding, which the binary formula takes as the output's shape
    /// without calling `broadcast`, are what `broadcast` gives back: on pairs of equal,
    /// padded, broadcast, mismatched and over-rank shapes.
    #[test]
    fn same_unpadded_shapes_broadcast_to_themselves() {
        let shapes = [
            t(&[1, 64, 128], &[1, 64, 128]),
            t(&[1, 64, 128], &[1, 50, 128]),
            t(&[64, 128], &[64, 128]),
            t(&[32, 128], &[1, 128]),
            t(&[1, 1, 64, 128], &[1, 1, 64, 128]),
            t(&[2, 64, 128], &[2, 64, 128]),
            t(&[64, 64], &[64, 64]),
            t(&[32, 32], &[32, 32]),
            t(&[32], &[32]),
            t(&[], &[]),
            t(&[1, 2, 3, 4, 5, 6, 7, 8, 9], &[1, 2, 3, 4, 5, 6, 7, 8, 9]),
            t(&[32, 32], &[32]),
        ];
        let mut same = 0;
        for a in &shapes {
            for b in &shapes {
                if a.shape.same_unpadded(&b.shape) {
                    assert_eq!(broadcast(a, b), Some((a.shape, false)), "{a:?} {b:?}");
                    same += 1;
                }
            }
        }
        assert_eq!(same, 8);
    }

    #[test]
    fn unary_classes() {
        assert_eq!(unary_class(UnaryOp::Typecast), UnaryClass::Copy);
        assert_eq!(unary_class(UnaryOp::Relu), UnaryClass::Simple);
        assert_eq!(unary_class(UnaryOp::Exp), UnaryClass::Exp);
        assert_eq!(unary_class(UnaryOp::Gelu), UnaryClass::Erf);
        assert_eq!(unary_class(UnaryOp::Log), UnaryClass::Transcendental);
    }
}
