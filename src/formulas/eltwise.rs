//! `eltwise_unary_roofline` and `eltwise_binary_roofline`: tile-by-tile elementwise ops.
//!
//! What they count:
//!
//! * **Work split**: output tiles spread evenly over the cores that hold shards (L1- or
//!   DRAM-sharded output or first input) or else over the query's grid; the busiest core gets
//!   `ceil(tiles / cores)`.
//! * **Compute**: the busiest core's tiles times the cycles of one tile through the
//!   unpack -> math -> pack pipeline, a sum of per-kind cycles (the family is linear in its
//!   parameters; how much the stages overlap is what calibration finds):
//!   - unary (and typecast): `copy_tile_cycles` plus the function's: none for a copy
//!     (`typecast`, `identity`, `fill`), `simple_tile_cycles` for a few-instruction SFPU
//!     function, `exp_tile_cycles` for the exponentials, `erf_tile_cycles` for erf, erfc and
//!     gelu, and `transcendental_tile_cycles` for the others;
//!   - binary: `fpu_tile_cycles` times the fidelity phases for `mul` (1 for `add`, `sub`),
//!     `sfpu_tile_cycles` for every other op, plus `bcast_tile_cycles` when an input is
//!     broadcast or the second operand is a scalar (one input), plus
//!     `uneven_shard_tile_cycles` when a sharded operand's shards do not divide it evenly;
//!   - both: `tile_byte_cycles` per byte of one tile of each operand, so wide dtypes cost more.
//! * **DRAM** (`dram_scale`): every DRAM-resident input read once and the output written once.
//! * **NoC** (`noc_scale`): per tile of the busiest core, one page in from each interleaved
//!   input and one out to an interleaved output, tile-sized; L1-sharded tensors are local and
//!   cost nothing.
//!
//! They assume full overlap of compute, DRAM and NoC, and that a broadcast input is read once
//! from DRAM (its re-reads hit the NoC only).

use crate::device::MathFidelity;
use crate::error::{Error, Operand, TensorProblem};
use crate::generated::op_params::{eltwise_binary as binary_keys, eltwise_unary as unary_keys};
use crate::generated::{EltwiseBinaryRooflineFeatures, EltwiseUnaryRooflineFeatures};
use crate::model::{Ctx, ceil_div, mul};
use crate::op::Op;
use crate::tensor::{MAX_RANK, MemoryConfig, TensorParams};

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

fn unary_class(op: &str) -> UnaryClass {
    match op {
        "identity" | "typecast" | "fill" => UnaryClass::Copy,
        "relu" | "relu6" | "abs" | "neg" | "sign" | "square" | "gtz" | "ltz" | "eqz" | "gez"
        | "lez" | "nez" | "where_tss" => UnaryClass::Simple,
        "exp" | "exp2" | "expm1" => UnaryClass::Exp,
        "erf" | "erfc" | "gelu" => UnaryClass::Erf,
        _ => UnaryClass::Transcendental,
    }
}

/// Cores that share the work of producing `out` and the tiles of the busiest one.
fn busiest_core_tiles(cx: &Ctx<'_>, out_tiles: u64, sharded: Option<&MemoryConfig>) -> u64 {
    let cores = match sharded.and_then(|m| m.shard) {
        Some(shard) => shard.cores as u64,
        None => cx.grid.cores() as u64,
    };
    ceil_div(out_tiles, cores.min(out_tiles).max(1))
}

/// The first tensor among `tensors` that is sharded, whose shard grid then fixes the cores.
fn sharded_memory<'t>(tensors: &[&'t TensorParams]) -> Option<&'t MemoryConfig> {
    tensors
        .iter()
        .map(|t| &t.memory)
        .find(|m| m.layout.is_sharded())
}

/// NoC bytes one tile moves: a page per interleaved tensor, none for L1-sharded ones.
fn noc_bytes_per_tile(cx: &Ctx<'_>, tensors: &[&TensorParams]) -> u64 {
    tensors
        .iter()
        .filter(|t| !t.memory.is_l1_sharded())
        .map(|t| t.tile_bytes(cx.hw).unwrap_or(0))
        .sum()
}

/// Whether a sharded tensor's shards do not divide it evenly (a partial last shard): ttnn's
/// binary ops then leave their native sharded path for a page-by-page one.
fn uneven_shards(t: &TensorParams) -> bool {
    let Some(shard) = t.memory.shard.filter(|_| t.memory.layout.is_sharded()) else {
        return false;
    };
    let cols = t.shape.dim_from_end(0) as u64;
    let rows = t.shape.volume().unwrap_or(0) / cols.max(1);
    rows % (shard.shape[0] as u64).max(1) != 0 || cols % (shard.shape[1] as u64).max(1) != 0
}

/// Bytes of one tile of each tensor: what unpacking and packing a tile moves through a core.
fn tile_bytes_through(cx: &Ctx<'_>, tensors: &[&TensorParams]) -> u64 {
    tensors
        .iter()
        .map(|t| t.tile_bytes(cx.hw).unwrap_or(0))
        .sum()
}

fn dram_bytes(cx: &Ctx<'_>, tensors: &[&TensorParams]) -> Result<u64, Error> {
    let overflow = Error::Overflow {
        what: "eltwise bytes",
    };
    tensors
        .iter()
        .filter(|t| t.memory.is_dram())
        .try_fold(0u64, |acc, t| acc.checked_add(t.bytes(cx.hw)?))
        .ok_or(overflow)
}

#[cfg_attr(
    feature = "macros",
    crate::perf_model(family = "eltwise_unary_roofline")
)]
pub fn unary_features(cx: &Ctx<'_>) -> Result<EltwiseUnaryRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    let out = cx.output.copied().unwrap_or(*x);
    if out.tiles() != x.tiles() {
        return Err(cx.tensor_error(
            Operand::Output,
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    let tiles = x.tiles().ok_or(Error::Overflow {
        what: "eltwise tiles",
    })?;
    let class = if cx.op == Op::Typecast {
        UnaryClass::Copy
    } else {
        unary_class(cx.params.get_enum(unary_keys::UNARY_OP))
    };
    let per_core = busiest_core_tiles(cx, tiles, sharded_memory(&[&out, x]));
    let tensors = [x, &out];
    // Tile counts weigh cycles: one tile costs `copy + function` cycles.
    let tile_cycles = per_core as f64 * cx.cycles_to_ns(1.0);
    let of_class = |c| if class == c { tile_cycles } else { 0.0 };
    Ok(EltwiseUnaryRooflineFeatures {
        overhead_ns: 1.0,
        copy_tile_cycles: tile_cycles,
        simple_tile_cycles: of_class(UnaryClass::Simple),
        exp_tile_cycles: of_class(UnaryClass::Exp),
        erf_tile_cycles: of_class(UnaryClass::Erf),
        transcendental_tile_cycles: of_class(UnaryClass::Transcendental),
        tile_byte_cycles: tile_cycles * tile_bytes_through(cx, &tensors) as f64,
        dram_scale: cx.dram_ns(dram_bytes(cx, &tensors)?),
        noc_scale: cx.noc_ns(
            per_core.saturating_mul(noc_bytes_per_tile(cx, &tensors)),
            x.tile_bytes(cx.hw).unwrap_or(0),
        ),
    })
}

/// The broadcast of two shapes, aligned at the innermost dim: padded dims of the result and
/// whether any dim was broadcast. Dims combine when their logical sizes are equal or one is 1.
fn broadcast(a: &TensorParams, b: &TensorParams) -> Option<([u32; MAX_RANK], usize, bool)> {
    let (ad, al) = (a.shape.dims(), a.shape.logical());
    let (bd, bl) = (b.shape.dims(), b.shape.logical());
    let rank = ad.len().max(bd.len());
    let mut out = [1u32; MAX_RANK];
    let mut broadcast = false;
    for i in 0..rank {
        let pick = |d: &[u32], l: &[u32]| {
            if i < d.len() {
                (d[d.len() - 1 - i], l[l.len() - 1 - i])
            } else {
                (1, 1)
            }
        };
        let ((pa, la), (pb, lb)) = (pick(ad, al), pick(bd, bl));
        out[rank - 1 - i] = if la == lb {
            pa.max(pb)
        } else if la == 1 {
            broadcast = true;
            pb
        } else if lb == 1 {
            broadcast = true;
            pa
        } else {
            return None;
        };
    }
    Some((out, rank, broadcast))
}

#[cfg_attr(
    feature = "macros",
    crate::perf_model(family = "eltwise_binary_roofline")
)]
pub fn binary_features(cx: &Ctx<'_>) -> Result<EltwiseBinaryRooflineFeatures, Error> {
    let a = &cx.inputs[0];
    // Without a second tensor the other operand is a scalar, filled like a broadcast tile.
    let b = cx.inputs.get(1);
    let (dims, rank, broadcast) = match b {
        Some(b) => broadcast(a, b).ok_or(cx.tensor_error(
            Operand::Input(1),
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ))?,
        None => {
            let mut dims = [1u32; MAX_RANK];
            let d = a.shape.dims();
            dims[..d.len()].copy_from_slice(d);
            (dims, d.len(), true)
        }
    };
    let out_shape = crate::tensor::Shape::new(&dims[..rank]);
    let out = cx.output.copied().unwrap_or(TensorParams {
        shape: out_shape,
        ..*a
    });
    let overflow = Error::Overflow {
        what: "eltwise tiles",
    };
    let tile_area = match a.layout {
        crate::tensor::Layout::Tile { height, width } => height as u64 * width as u64,
        crate::tensor::Layout::RowMajor => {
            return Err(cx.not_modeled("binary op of row-major inputs"));
        }
    };
    let out_tiles = out_shape.volume().ok_or(overflow)? / tile_area.max(1);
    if cx
        .output
        .is_some_and(|o| o.shape.volume() != out_shape.volume())
    {
        return Err(cx.tensor_error(
            Operand::Output,
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    // FPU passes per tile: one for add and sub, the fidelity phases for mul; 0 for SFPU ops.
    let fpu_passes = match cx.params.get_enum(binary_keys::BINARY_OP) {
        "add" | "sub" => 1.0,
        "mul" => {
            let fidelity = MathFidelity::from_name(cx.params.get_enum(binary_keys::MATH_FIDELITY))
                .ok_or_else(|| cx.not_modeled("this math fidelity"))?;
            fidelity as u8 as f64 + 1.0
        }
        _ => 0.0,
    };
    let all = [&out, a, b.unwrap_or(a)];
    let tensors = &all[..2 + b.is_some() as usize];
    let per_core = busiest_core_tiles(cx, out_tiles, sharded_memory(tensors));
    let per_tile_noc = noc_bytes_per_tile(cx, tensors);
    // Tile counts weigh cycles: one tile costs the sum of its kinds' cycles.
    let tile_cycles = per_core as f64 * cx.cycles_to_ns(1.0);
    Ok(EltwiseBinaryRooflineFeatures {
        overhead_ns: 1.0,
        fpu_tile_cycles: tile_cycles * fpu_passes,
        sfpu_tile_cycles: if fpu_passes == 0.0 { tile_cycles } else { 0.0 },
        bcast_tile_cycles: if broadcast { tile_cycles } else { 0.0 },
        uneven_shard_tile_cycles: if tensors.iter().any(|t| uneven_shards(t)) {
            tile_cycles
        } else {
            0.0
        },
        tile_byte_cycles: tile_cycles * tile_bytes_through(cx, tensors) as f64,
        dram_scale: cx.dram_ns(dram_bytes(cx, tensors)?),
        noc_scale: cx.noc_ns(
            mul(per_core, per_tile_noc, "eltwise bytes")?,
            a.tile_bytes(cx.hw).unwrap_or(0),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::{DType, Layout, Shape};

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
        let (dims, rank, bcast) = broadcast(&a, &b).expect("broadcastable");
        assert_eq!(&dims[..rank], &[1, 64, 128]);
        assert!(bcast);
    }

    #[test]
    fn equal_shapes_do_not_broadcast() {
        let a = t(&[64, 64], &[64, 64]);
        let (_, _, bcast) = broadcast(&a, &a).expect("same shape");
        assert!(!bcast);
    }

    #[test]
    fn incompatible_shapes_are_rejected() {
        assert!(broadcast(&t(&[64, 64], &[64, 64]), &t(&[32, 64], &[32, 64])).is_none());
    }

    #[test]
    fn unary_classes() {
        assert_eq!(unary_class("typecast"), UnaryClass::Copy);
        assert_eq!(unary_class("relu"), UnaryClass::Simple);
        assert_eq!(unary_class("exp"), UnaryClass::Exp);
        assert_eq!(unary_class("gelu"), UnaryClass::Erf);
        assert_eq!(unary_class("log"), UnaryClass::Transcendental);
    }
}
