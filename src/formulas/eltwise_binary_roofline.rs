//! `eltwise_binary_roofline`: binary ops (and a tensor with a scalar), tile by tile, with
//! broadcasting; the work split, traffic and the terms it shares with unary ops are described
//! in `src/formulas/eltwise_common.rs`.

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::op_params::eltwise_binary::{BinaryOp, ComputeUnit};
use crate::generated::{EltwiseBinaryRooflineFeatures, OpParams};
use crate::model::{Ctx, div, max, mul};
use crate::tensor::{DType, Layout, MAX_RANK, Shape, TensorParams};

use super::eltwise_common::{
    activation_passes, busiest_core_tiles, dram_page_reads, eltwise_cores, native_l1_sharded,
    traffic,
};

/// The broadcast of two shapes, aligned at the innermost dim: padded dims of the result and
/// whether any dim was broadcast. Dims combine when their logical sizes are equal or one is 1.
const fn broadcast(a: &TensorParams, b: &TensorParams) -> Option<(Shape, bool)> {
    let (ra, rb) = (a.shape.dims().len(), b.shape.dims().len());
    let rank = if ra > rb { ra } else { rb };
    let mut out = [1u32; MAX_RANK];
    let mut broadcast = false;
    let mut i = 0;
    while i < rank {
        // Dim `i` from the innermost, (padded, logical); 1 beyond a shape's rank.
        let (pa, la) = (a.shape.dim_from_end(i), a.shape.logical_dim_from_end(i));
        let (pb, lb) = (b.shape.dim_from_end(i), b.shape.logical_dim_from_end(i));
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

/// The ternary ops (tt-metal `ttnn/cpp/ttnn/operations/eltwise/ternary/device/`: where, lerp,
/// addcmul, addcdiv): binary_ng's work split with a third input; per output tile the reader
/// reads a tile of each tensor operand, the SFPU computes the op (`where_tile`, ...), the
/// writer writes it. A scalar operand (fewer than three tensors) fills a tile once. It reads
/// every input's shape, dtype and memory and the output's when given.
const fn ternary(cx: &Ctx<'_>) -> Result<EltwiseBinaryRooflineFeatures, Error> {
    let a = &cx.inputs[0];
    let n = cx.inputs.len();
    // The output's shape: the largest of the first operand's broadcasts with each other one
    // (exact unless two operands broadcast along different dims).
    let mut shape = a.shape;
    let mut broadcasts = false;
    let mut i = 1;
    while i < n {
        let b = &cx.inputs[i];
        if !a.shape.same_unpadded(&b.shape) {
            match broadcast(a, b) {
                Some((s, bcast)) => {
                    if let (Some(v), Some(w)) = (s.volume(), shape.volume()) {
                        if v > w {
                            shape = s;
                        }
                    }
                    broadcasts |= bcast;
                }
                None => {
                    return Err(cx.tensor_error(
                        Operand::Input(i),
                        TensorProblem::ShapeMismatch {
                            with: Operand::Input(0),
                        },
                    ));
                }
            }
        }
        i += 1;
    }
    let tile_area = match a.layout {
        Layout::Tile { height, width } => height as u64 * width as u64,
        Layout::RowMajor => return Err(cx.not_modeled("ternary op of row-major inputs")),
    };
    let out_volume = some_or!(
        shape.volume(),
        Error::Overflow {
            what: "eltwise tiles"
        }
    );
    let out_tiles = div(out_volume, tile_area);
    let shaped = a.with_shape(shape);
    let out = match cx.output {
        Some(o) => o,
        None => &shaped,
    };
    let all = [
        out,
        a,
        if n > 1 { &cx.inputs[1] } else { a },
        if n > 2 { &cx.inputs[2] } else { a },
    ];
    let tensors = all.split_at(1 + n).0;
    let native = native_l1_sharded(tensors);
    let cores = eltwise_cores(cx, tensors, native);
    let per_core = busiest_core_tiles(out_tiles, cores);
    let traffic = tri!(traffic(cx, tensors));
    let tile_cycles = filled_tiles_ns(cx, per_core);
    Ok(EltwiseBinaryRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        fpu_tile_cycles: 0.0,
        fidelity_phase_cycles: 0.0,
        sfpu_tile_cycles: tile_cycles,
        bcast_tile_cycles: if broadcasts {
            per_core as f64 * cx.cycles_to_ns(1.0)
        } else {
            0.0
        },
        noc_tile_cycles: if native {
            0.0
        } else {
            filled_tiles_ns(cx, per_core)
        },
        scalar_fill_cycles: if n < 3 { cx.cycles_to_ns(1.0) } else { 0.0 },
        simple_activation_cycles: 0.0,
        function_activation_cycles: 0.0,
        dram_scale: dram_ns(cx, tensors, traffic.dram),
        noc_scale: cx.noc_ns_of_tiles(
            tri!(mul(per_core, traffic.noc_per_tile, "eltwise bytes")),
            a,
        ),
    })
}

/// DRAM time of `dram` bytes of `tensors` (the output first, then the inputs): the inputs'
/// pages read, the output's written.
const fn dram_ns(cx: &Ctx<'_>, tensors: &[&TensorParams], dram: u64) -> f64 {
    let (out, inputs) = tensors.split_at(1);
    let written = match out[0].bytes(cx.hw) {
        Some(b) if out[0].memory.is_dram() => b,
        _ => 0,
    };
    cx.dram_pages_ns(dram.saturating_sub(written), dram_page_reads(cx, inputs), written)
}

/// Whether `op` of inputs of `a` and `b` runs on the FPU (the matrix engine; other ops than
/// add, sub and mul then wrap it in SFPU steps: a divide multiplies by the reciprocal, a
/// comparison tests a difference) rather than all on the SFPU. `Fpu` and `Sfpu` say where it
/// ran (a profiler row's `is_sfpu`); `Auto` is current ttnn's choice, binary_ng
/// `is_binary_sfpu_op` with `fast_and_approximate_mode` off: since tt-metal PR #35077 a
/// multiply runs on the SFPU whatever its dtypes (rounding bfloat16 products to nearest even),
/// as a divide, power, maximum, minimum and a where of two tensors and a scalar do; add, sub,
/// logical ops and squared difference run there when both inputs are float32 or the same
/// integer type, comparisons also for bfloat16, bias_gelu and logaddexp for float32 only.
const fn runs_on_fpu(op: BinaryOp, unit: ComputeUnit, a: DType, b: DType) -> bool {
    let same_integer = matches!(
        (a, b),
        (DType::Int32, DType::Int32) | (DType::Uint32, DType::Uint32) | (DType::Uint16, DType::Uint16)
    );
    let both_f32 = matches!((a, b), (DType::Float32, DType::Float32));
    match unit {
        ComputeUnit::Fpu => true,
        ComputeUnit::Sfpu => false,
        ComputeUnit::Auto => match op {
            BinaryOp::Mul
            | BinaryOp::Div
            | BinaryOp::Pow
            | BinaryOp::Maximum
            | BinaryOp::Minimum
            | BinaryOp::WhereTst
            | BinaryOp::WhereTts => false,
            BinaryOp::Add
            | BinaryOp::Sub
            | BinaryOp::LogicalAnd
            | BinaryOp::LogicalOr
            | BinaryOp::SquaredDifference => !(both_f32 || same_integer),
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Gt | BinaryOp::Ge | BinaryOp::Lt | BinaryOp::Le => {
                !(both_f32 || same_integer || matches!((a, b), (DType::Bfloat16, DType::Bfloat16)))
            }
            BinaryOp::BiasGelu | BinaryOp::Logaddexp => !both_f32,
        },
    }
}

/// The SFPU passes ttnn wraps around `op`'s own step, per output tile, as (few-instruction
/// passes, range-reduced function passes): binary_ng's `OpConfig`
/// (`binary_ng/device/binary_ng_utils.cpp`; the legacy op's `get_defines` fuses the same
/// pre- and post-steps) runs a comparison as a subtract then `gez` / `gtz` / `eqz` / ...
/// (an int32 one natively on the SFPU), a logical and / or as `nez` of each input, a
/// multiply / add and `nez` of the result, a squared difference as a subtract then `square`,
/// bias_gelu as an add then `gelu`, logaddexp as `exp` of each input, an add and `log`, and a
/// divide on the FPU as `recip` of b then a multiply (on the SFPU it divides natively). Each
/// is a pass of the tiles through the destination registers, as a fused activation is; the
/// recip counts as a few-instruction one (see `activation_passes`). A scalar b's pre-step is
/// applied to its one tile, once: not counted.
const fn implicit_passes(op: BinaryOp, on_fpu: bool, a: DType, b: DType, b_tensor: bool) -> (u64, u64) {
    let b_pass = b_tensor as u64;
    match op {
        BinaryOp::Gt | BinaryOp::Ge | BinaryOp::Lt | BinaryOp::Le
            if matches!((a, b), (DType::Int32, DType::Int32)) =>
        {
            (0, 0)
        }
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::SquaredDifference => (1, 0),
        BinaryOp::LogicalAnd | BinaryOp::LogicalOr => (2 + b_pass, 0),
        BinaryOp::BiasGelu => (0, 1),
        BinaryOp::Logaddexp => (0, 2 + b_pass),
        BinaryOp::Div if on_fpu => (b_pass, 0),
        _ => (0, 0),
    }
}

/// The busiest core's `per_core` tiles and one more, the pipeline's fill: the first tile's
/// compute waits for its read and the first write for its compute, so each stage leaves one
/// tile's time unoverlapped. It weighs the per-tile cycles of the compute stage and of the
/// waited NoC round trips (ns per cycle).
const fn filled_tiles_ns(cx: &Ctx<'_>, per_core: u64) -> f64 {
    (per_core + 1) as f64 * cx.cycles_to_ns(1.0)
}

/// `fill_pad` (ttnn.fill_implicit_tile_padding): the tiles that hold padding, each 2D
/// slice's right tile column when the logical width is short of whole tiles, its bottom tile
/// row when the height is, and their corner, split over the grid (the shard grid of an
/// L1-sharded tensor, which is filled in place). Per tile: the reader's read and the
/// writer's write, each waited for (off L1 shards), and in the compute kernel a select
/// (`where_tile`, costed as an SFPU binary op: the tile and the mask copied in, the select,
/// the pack; a corner tile selects twice) after a fill of the value (a few-instruction SFPU
/// pass); the writer builds one mask tile per padded side first (costed as a scalar's tile).
/// A tensor without padding is launched and does nothing.
const fn fill_pad(cx: &Ctx<'_>) -> Result<EltwiseBinaryRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    let (Layout::Tile { height, width }, Some((ht, wt))) = (x.layout, x.tile_grid()) else {
        return Err(cx.not_modeled("fill_pad of a row-major tensor"));
    };
    let (tile_h, tile_w) = (max(height as u64, 1), max(width as u64, 1));
    let (ht, wt) = (max(ht, 1), max(wt, 1));
    let h = x.shape.logical_dim_from_end(1) as u64;
    let w = x.shape.logical_dim_from_end(0) as u64;
    let tiles = some_or!(
        x.tiles(),
        Error::Overflow {
            what: "eltwise tiles"
        }
    );
    let slices = tiles / (ht * wt);
    let (right, bottom) = (w % tile_w != 0, h % tile_h != 0);
    // One slice's border: the right column and the bottom row, their shared corner once.
    let edge = (if right { ht } else { 0 }) + (if bottom { wt } else { 0 });
    let corner = (right && bottom) as u64;
    let border = tri!(mul(slices, edge - corner, "eltwise tiles"));
    let native = x.memory.is_l1_sharded();
    let cores = eltwise_cores(cx, &[x], native);
    let per_core = busiest_core_tiles(border, cores);
    // A corner tile selects twice: the busiest core's share of the corners.
    let corners = busiest_core_tiles(slices * corner, cores);
    let cycle = cx.cycles_to_ns(1.0);
    // Each border tile's compute and round trips, with the fill; nothing without a border.
    let tile_cycles = if border > 0 {
        filled_tiles_ns(cx, per_core)
    } else {
        0.0
    };
    let tile = some_or!(
        x.tile_bytes(cx.hw),
        Error::Overflow {
            what: "eltwise bytes"
        }
    );
    // Each border tile read and written back in place.
    let dram = if x.memory.is_dram() {
        tri!(mul(border, tile, "eltwise bytes"))
    } else {
        0
    };
    Ok(EltwiseBinaryRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        fpu_tile_cycles: 0.0,
        fidelity_phase_cycles: 0.0,
        sfpu_tile_cycles: tile_cycles + corners as f64 * cycle,
        bcast_tile_cycles: 0.0,
        noc_tile_cycles: if native { 0.0 } else { tile_cycles },
        scalar_fill_cycles: if border > 0 {
            (right as u64 + bottom as u64) as f64 * cycle
        } else {
            0.0
        },
        simple_activation_cycles: tile_cycles,
        function_activation_cycles: 0.0,
        dram_scale: cx.dram_traffic_ns(dram, dram),
        noc_scale: if native {
            0.0
        } else {
            cx.noc_ns_of_tiles(per_core.saturating_mul(2 * tile), x)
        },
    })
}

pub const fn features(cx: &Ctx<'_>) -> Result<EltwiseBinaryRooflineFeatures, Error> {
    match cx.params {
        OpParams::Ternary(_) => return ternary(cx),
        OpParams::FillPad(_) => return fill_pad(cx),
        _ => {}
    }
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
    let (op, fidelity) = (p.binary_op, p.math_fidelity);
    let b_dtype = match b {
        Some(b) => b.dtype,
        None => a.dtype,
    };
    let on_fpu = runs_on_fpu(op, p.compute_unit, a.dtype, b_dtype);
    // FPU passes per tile: one (and a multiply's fidelity phases below); 0 on the SFPU. The
    // SFPU steps ttnn wraps around the op are counted with the fused activations below.
    let fpu_passes = if on_fpu { 1.0 } else { 0.0 };
    let all = [
        out,
        a,
        match b {
            Some(b) => b,
            None => a,
        },
    ];
    // A multiply's further fidelity phases on the FPU: 0 at LoFi, 3 at HiFi4.
    let phases = match op {
        BinaryOp::Mul if on_fpu => fidelity as u8 as f64,
        _ => 0.0,
    };
    let tensors = all.split_at(if b.is_some() { 3 } else { 2 }).0;
    let native = native_l1_sharded(tensors);
    let cores = eltwise_cores(cx, tensors, native);
    let per_core = busiest_core_tiles(out_tiles, cores);
    let traffic = tri!(traffic(cx, tensors));
    // Tile counts weigh cycles: one tile costs the sum of its kinds' cycles.
    let tile_cycles = filled_tiles_ns(cx, per_core);
    // Each fused activation is one more pass of the tiles it applies to through the SFPU:
    // a's and b's, one of each per output tile, and the result. A scalar b's is applied to
    // its one tile, once.
    let rhs = if b.is_some() { p.rhs_activation as usize } else { 0 };
    let (fused_simple, fused_function) =
        activation_passes(&[p.lhs_activation as usize, rhs, p.post_activation as usize]);
    let (implicit_simple, implicit_function) =
        implicit_passes(op, on_fpu, a.dtype, b_dtype, b.is_some());
    let (simple, function) = (
        fused_simple + implicit_simple,
        fused_function + implicit_function,
    );
    Ok(EltwiseBinaryRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        fpu_tile_cycles: tile_cycles * fpu_passes,
        fidelity_phase_cycles: tile_cycles * phases,
        sfpu_tile_cycles: if fpu_passes == 0.0 { tile_cycles } else { 0.0 },
        // The reader fills each broadcast tile: one per output tile.
        bcast_tile_cycles: if broadcast {
            per_core as f64 * cx.cycles_to_ns(1.0)
        } else {
            0.0
        },
        // The first tile's write waits for its read: one round trip more than the tiles.
        noc_tile_cycles: if native {
            0.0
        } else {
            filled_tiles_ns(cx, per_core)
        },
        scalar_fill_cycles: if b.is_none() {
            cx.cycles_to_ns(1.0)
        } else {
            0.0
        },
        simple_activation_cycles: tile_cycles * simple as f64,
        function_activation_cycles: tile_cycles * function as f64,
        dram_scale: dram_ns(cx, tensors, traffic.dram),
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

    /// bh20_oft's where of three [160, 160] bfloat16 tensors (159 x 159 logical) in L1 on a 5x4
    /// grid: 25 output tiles, 2 on the busiest core, each an SFPU tile and a waited read of
    /// its three input tiles, and one more of each for the pipeline's fill (the first tile's
    /// compute after its read, the first write after its compute); no scalar, no DRAM.
    #[test]
    fn ternary_where_oft_by_hand() {
        use crate::{Card, CoreGrid, Hardware, Op, QueryParams};
        let x = TensorParams::new(
            Shape::padded(&[1, 1, 160, 160], &[1, 1, 159, 159]),
            DType::Bfloat16,
            Layout::TILE,
            MemoryConfig::L1_INTERLEAVED,
        );
        let inputs = [x, x, x];
        let cx = Ctx::new(
            Op::Ternary,
            Hardware::of(Card::P150),
            QueryParams::ByName(&[]),
            &inputs,
            None,
            CoreGrid::new(5, 4),
        )
        .unwrap();
        let f = features(&cx).unwrap();
        let ns = 1.0 / 1.35;
        assert!((f.sfpu_tile_cycles - 3.0 * ns).abs() < 1e-12);
        assert!((f.noc_tile_cycles - 3.0 * ns).abs() < 1e-12);
        assert_eq!(f.fpu_tile_cycles, 0.0);
        assert_eq!(f.bcast_tile_cycles, 0.0);
        assert_eq!(f.scalar_fill_cycles, 0.0);
        assert_eq!(f.dram_scale, 0.0);
    }

    /// Where a multiply of two [1024, 1024] bfloat16 tensors in DRAM runs on Blackhole's 11x10
    /// grid: 1024 tiles, 10 on the busiest core (11 counted with the pipeline's fill). As
    /// current ttnn picks it (`auto`) and as a profiler row says `is_sfpu` (`sfpu`), every
    /// tile is an SFPU tile without fidelity phases; on the FPU (`fast_and_approximate_mode`)
    /// each is one FPU pass and three more phases at HiFi4. An add of the same tensors stays
    /// on the FPU unless both are float32.
    #[test]
    fn multiply_runs_on_the_sfpu_unless_told_otherwise() {
        use crate::{Card, CoreGrid, Hardware, Op, OpParam, ParamValue, QueryParams};
        let x = t(&[1, 1, 1024, 1024], &[1, 1, 1024, 1024]);
        let features_of = |op: &str, unit: &str, inputs: &[TensorParams]| {
            let params = [
                OpParam::new("binary_op", ParamValue::Enum(op)),
                OpParam::new("compute_unit", ParamValue::Enum(unit)),
            ];
            let cx = Ctx::new(
                Op::EltwiseBinary,
                Hardware::of(Card::P150),
                QueryParams::ByName(&params),
                inputs,
                None,
                CoreGrid::new(11, 10),
            )
            .unwrap();
            features(&cx).unwrap()
        };
        let ns = 1.0 / 1.35;
        for unit in ["auto", "sfpu"] {
            let f = features_of("mul", unit, &[x, x]);
            assert!((f.sfpu_tile_cycles - 11.0 * ns).abs() < 1e-12, "{unit}");
            assert_eq!((f.fpu_tile_cycles, f.fidelity_phase_cycles), (0.0, 0.0));
        }
        let f = features_of("mul", "fpu", &[x, x]);
        assert!((f.fpu_tile_cycles - 11.0 * ns).abs() < 1e-12);
        assert!((f.fidelity_phase_cycles - 33.0 * ns).abs() < 1e-12);
        assert_eq!(f.sfpu_tile_cycles, 0.0);
        let f = features_of("add", "auto", &[x, x]);
        assert!((f.fpu_tile_cycles - 11.0 * ns).abs() < 1e-12);
        let mut y = x;
        y.dtype = DType::Float32;
        let f = features_of("add", "auto", &[y, y]);
        assert!((f.sfpu_tile_cycles - 11.0 * ns).abs() < 1e-12);
        assert_eq!(f.fpu_tile_cycles, 0.0);
    }

    /// A where whose condition is one row broadcasts it over the others' rows.
    #[test]
    fn ternary_broadcasts_a_row() {
        use crate::{Card, CoreGrid, Hardware, Op, QueryParams};
        let full = t(&[1, 1, 64, 64], &[1, 1, 64, 64]);
        let row = t(&[1, 1, 32, 64], &[1, 1, 1, 64]);
        let inputs = [row, full, full];
        let cx = Ctx::new(
            Op::Ternary,
            Hardware::of(Card::P150),
            QueryParams::ByName(&[]),
            &inputs,
            None,
            CoreGrid::new(2, 1),
        )
        .unwrap();
        let f = features(&cx).unwrap();
        // 4 output tiles over 2 cores: 2 each (3 through the SFPU with the pipeline's fill),
        // every one broadcast.
        let ns = 1.0 / 1.35;
        assert!((f.sfpu_tile_cycles - 3.0 * ns).abs() < 1e-12);
        assert!((f.bcast_tile_cycles - 2.0 * ns).abs() < 1e-12);
    }
}
