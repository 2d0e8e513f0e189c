//! What `eltwise_unary_roofline` and `eltwise_binary_roofline` share: how tile-by-tile
//! elementwise ops split their tiles over cores and what those tiles move.
//!
//! What they count:
//!
//! * **Work split**: output tiles spread evenly over cores; the busiest core gets
//!   `ceil(tiles / cores)`. Binary: over the shard grid on ttnn's native L1-sharded path
//!   (every tensor L1-sharded, evenly, alike: `native_l1_sharded`), else over the query's
//!   whole grid (tt-metal `binary_ng_program_factory.cpp`: `split_work_to_cores` over the
//!   worker grid). Unary (and typecast): over the shard grid on the same native path (tt-metal
//!   `unary/common/unary_utils.cpp`, `is_native_L1_sharding`) or for row-major shards, else
//!   over the query's grid: shards that do not divide the tensor (an ND shard spec's), a
//!   DRAM-sharded side or two different shard specs take the interleaved path. On the
//!   native path each core runs its own shard, so a shard grid with more cores than the
//!   tensor has shards leaves the rest idle: the split is over the cores that hold one.
//! * **Compute**: the busiest core's tiles times the cycles of one tile through the
//!   unpack -> math -> pack pipeline, a sum of per-kind cycles (the family is linear in its
//!   coefficients; how much the stages overlap is what calibration finds):
//!   - unary (and typecast): each function's cycles, the tile's unpack and pack included:
//!     `copy_tile_cycles` for a copy (`typecast`, `identity`, `fill`), `simple_tile_cycles`
//!     for a few-instruction SFPU function, `exp_tile_cycles` for the exponentials,
//!     `erf_tile_cycles` for erf and erfc, `gelu_tile_cycles` for gelu, `recip_tile_cycles`
//!     for the reciprocal and `transcendental_tile_cycles` for the others. A fused chain
//!     (ttnn's `op_chain`: up to four functions read, e.g. sigmoid as neg, exp,
//!     add_unary_sfpu, recip) runs every function on each tile in turn
//!     (`unary_op_utils.cpp`, `get_block_defines`: `SFPU_OP_CHAIN_0`), so each adds its
//!     class's cycles. `tile_byte_cycles` per byte of one tile of each operand, so wide
//!     dtypes cost more; `fp32_dest_tile_cycles` when the destination registers hold 32-bit
//!     data (`fp32_dest_acc_en`, which ttnn sets when the input or output is float32, int32
//!     or uint32);
//!   - binary: `fpu_tile_cycles` when the op runs on the FPU, plus `fidelity_phase_cycles`
//!     per further fidelity phase of a `mul` (3 at HiFi4), `sfpu_tile_cycles` when it runs
//!     on the SFPU; each SFPU step ttnn wraps around the op (a comparison's test of the
//!     difference, a logical op's `nez`s, a divide's reciprocal on the FPU: binary_ng's
//!     `OpConfig`) and each fused activation (binary_ng's `lhs_activations`, `rhs_activations`,
//!     `post_activations`: the function's pass of a's, b's or the result's tile through the
//!     destination registers and the SFPU, packed for the next step) adds
//!     `simple_activation_cycles` for a few-instruction function (a copy, a reciprocal) and
//!     `function_activation_cycles` for any other, per output tile (a scalar b's once, not
//!     per tile). Binary counts one tile more than the busiest core's: the first tile's
//!     compute waits for its read and the last tile's write for its compute, one tile's time
//!     the stages do not overlap (the NoC side's `noc_tile_cycles` counts the same fill);
//!     cross-validated, Blackhole's pooled median 4.2% -> 4.0%, north-mini prefill's (four
//!     tiles a core) 16.4% -> 10.0%.
//! * **Overhead**: a binary op whose second operand is a scalar (one input) fills a tile with
//!   it once per core before the first tile (`scalar_fill_cycles`). A unary op (and typecast)
//!   starts its cores one after another, in the order the runtime arguments are written:
//!   `core_skew_cycles` per core the tiles are split over (a binary one does not gain from it in
//!   cross-validation). Counting all of them, not only those that get the busiest
//!   core's extra tile, keeps a larger op from coming out faster than a smaller one.
//!   A unary op's (and typecast's) writer issues each page and goes on once it has left,
//!   then waits for every acknowledgement before it ends (`noc_async_write_barrier` after
//!   its loop, `writer_unary_interleaved_start_id.cpp`): the last page's round trip follows
//!   the last tile's compute, which nothing overlaps (`write_drain_scale`: a lone write of a
//!   page, to DRAM at one core's DRAM rate or to another core's L1 at the NoC's; none to
//!   the core's own shard). So of two compute-bound runs, the one writing tiles of 1 KiB or
//!   more to DRAM comes out slower, as measured: held out, the Wormhole `exp` sweep's
//!   ranking 61.4% -> 90.6% (CHANGELOG). (Pages under ~730 B on Wormhole, ~590 B on
//!   Blackhole cross the NoC slower than one core's DRAM rate by the published figures, and
//!   the order turns, by a few cycles.)
//! * **DRAM** (`dram_scale`): every DRAM-resident input read once at the card's achievable
//!   bandwidth (no faster than the DRAM banks' endpoints take their pages, one request each,
//!   `dram_access.endpoint_read_cycles` apart, tt-metal issue #55898: on Blackhole a `neg` on
//!   bfloat4_b runs at 289 GB/s where bfloat8_b gets 411) and the output written once at the
//!   card's `dram_write_fraction` of it; unary (and typecast) weigh the writes by their own
//!   `dram_write_scale` (1 in v1): on the Wormhole `exp` sweep, float32 from L1 to DRAM is
//!   slower than from DRAM to L1, the same bytes the other way.
//! * **NoC**: per tile of the busiest core, one page in from each interleaved input and one
//!   out to an interleaved output, tile-sized, at the NoC's rate (`noc_scale`); L1-sharded
//!   tensors are local and cost nothing; a unary op's page read and waited for is counted in
//!   its wait (below), not here. Binary, off the native sharded path: the reader
//!   reads each tile's pages and waits for them before the next
//!   (`reader_interleaved_no_bcast.cpp`: `noc_async_read_barrier` per tile), the writer
//!   likewise: `noc_tile_cycles` per tile, plus one for the pipeline's fill (the first tile's
//!   write waits for its read); a broadcast input's tile is filled from its first row or
//!   column by the reader's RISC-V, per output tile (`reader_interleaved_row_bcast.cpp`,
//!   `FILL_TILE_WITH_FIRST_ROW`): `bcast_tile_cycles`.
//!
//! * **Read waits** (unary and typecast, `read_wait_scale`, NoC side): the reader reads one
//!   page and waits for it before the next (`reader_unary_interleaved_start_id.cpp`:
//!   `noc_async_read_barrier` per page), so every tile of the busiest core costs a lone
//!   read's wait from its source, the published latency then the page at one core's rate:
//!   from a DRAM-interleaved input the device's DRAM read (`Hardware::waited_dram_read_cycles`,
//!   479 + 96 cycles for a 2 KiB tile on Blackhole), from an L1 one a read of another core's
//!   L1 (`Hardware::waited_l1_read_cycles`, the page at the NoC's rate, as the NoC term had
//!   it); none from the core's own shard. The page's wait and the written page's NoC time
//!   add up (bh20_oft's bf16 unary ops from DRAM to DRAM: 613 cycles a tile so, 643-650
//!   measured; its cast to bfloat8_b 595, 617 measured). One wait more than the busiest
//!   core's tiles, for the pipeline's fill, as binary's `noc_tile_cycles` counts one tile
//!   more: nothing starts before the first read lands, and the last tile's compute and write
//!   follow the last read (bh20_oft's two-tile-a-core ops from L1: 0.80-0.84x without it,
//!   0.98-1.04x with it).
//!   Cross-validated, the same term in binary ops took bh20_oft's held-out rows from 9.5% to
//!   78% (the L1 round trip it leaves to `noc_tile_cycles` shrinks): binary has none.
//!
//! They assume full overlap of compute, DRAM and NoC, and that a broadcast input is read once
//! from DRAM (its re-reads hit the NoC only).

use crate::error::Error;
use crate::generated::op_params::eltwise_unary::UnaryOp;
use crate::model::{Ctx, ceil_div, max, min};
use crate::tensor::TensorParams;

/// Unary functions by SFPU cost class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UnaryClass {
    /// No SFPU work: the tile is copied through (with a format conversion at most).
    Copy,
    /// A few SFPU instructions per element.
    Simple,
    /// The exponential family.
    Exp,
    /// The error function (erf, erfc): two degree-4 polynomials, both sides of the sign
    /// test inlined (tt-metal `ckernel_sfpu_erf_erfc.h`, `calculate_erf_body`).
    Erf,
    /// GELU: its own kernel (tanh or CDF based, tt-metal `ckernel_sfpu_gelu.h`), about half
    /// erf's cycles on Wormhole by the CLIP and SegFormer traces (v1: exp's 2,080).
    Gelu,
    /// Another polynomial approximation or range reduction per element.
    Transcendental,
    /// The reciprocal: an initial estimate and Newton steps (tt-metal
    /// `ckernel_sfpu_recip.h`), a few multiply-adds per element.
    Recip,
    /// GELU in ttnn's `fast_and_approximate_mode`: a piecewise-linear lookup table
    /// (`calculate_gelu_appx`), 223 SFPU cycles a tile on Blackhole against 2,849 for the
    /// accurate kernel (tt-metal issue #52407, `MATH_ISOLATE` over all bfloat16 inputs).
    GeluApprox,
}

pub(super) const fn unary_class(op: UnaryOp) -> UnaryClass {
    use UnaryOp::*;
    match op {
        Identity | Typecast | Fill => UnaryClass::Copy,
        // Compares, clamps, rounding and sign tests: a few instructions per element (the
        // clamp is two conditional assignments and an add, `ckernel_sfpu_clamp.h`).
        Relu | Relu6 | Abs | Neg | Sign | Square | Gtz | Ltz | Eqz | Gez | Lez | Nez | WhereTss
        | AddUnarySfpu | SubUnarySfpu | MulUnarySfpu | DivUnarySfpu | Rsub | ClampTss
        | Hardtanh | ReluMax | ReluMin | LeakyRelu | Heaviside | Signbit | LogicalNotUnary
        | Floor | Ceil | Trunc | Frac | Round | Maximum | Minimum | Threshold | Hardshrink
        | Softshrink | Hardsigmoid | Hardswish | UnaryNe | UnaryEq | UnaryGt | UnaryLt
        | UnaryGe | UnaryLe | Isinf | Isposinf | Isneginf | Isnan | Isfinite => UnaryClass::Simple,
        Exp | Exp2 | Expm1 | Selu | Celu => UnaryClass::Exp,
        Erf | Erfc => UnaryClass::Erf,
        Gelu => UnaryClass::Gelu,
        Recip | Rdiv | Softsign => UnaryClass::Recip,
        Log | Log2 | Log10 | Sqrt | Rsqrt | Silu | Sigmoid | Tanh | Sin | Cos | Softplus | Mish
        | Elu | Atan | Power | Tan | Sinh | Cosh | Asin | Acos | Atanh | Asinh | Acosh
        | Logsigmoid | Tanhshrink | Cbrt | Logit | Erfinv | I0 | I1 => UnaryClass::Transcendental,
    }
}

/// The class of a fused function given as the index of its value among a param's of `none`
/// then `unary_op`'s values (a unary chain's further functions, a binary op's fused
/// activations): `None` for `none`.
pub(super) const fn chain_class(index: usize) -> Option<UnaryClass> {
    if index == 0 || index > UnaryOp::ALL.len() {
        None
    } else {
        Some(unary_class(UnaryOp::ALL[index - 1]))
    }
}

/// Fused activations (a binary op's, a matmul's), as the indices of their values among a
/// param's `none` then `eltwise_unary`'s functions: how many are a few SFPU instructions and
/// how many a range-reduced or polynomial function. A copy (a typecast) counts among the
/// first, as it still takes the pass through the destination registers, and so does the
/// reciprocal: a few multiply-adds an element (eltwise_unary's v1: 544 cycles a tile, against
/// 288 and 2,080).
pub(super) const fn activation_passes(indices: &[usize]) -> (u64, u64) {
    let (mut simple, mut function) = (0, 0);
    let mut i = 0;
    while i < indices.len() {
        match chain_class(indices[i]) {
            None => {}
            Some(UnaryClass::Copy | UnaryClass::Simple | UnaryClass::Recip) => simple += 1,
            Some(_) => function += 1,
        }
        i += 1;
    }
    (simple, function)
}

/// The cores `tensors` are split over: those of the first sharded tensor's shard grid that
/// hold a shard ([`TensorParams::shard_cores`]), or else the grid.
#[inline]
pub(super) const fn split_cores(cx: &Ctx<'_>, tensors: &[&TensorParams]) -> u64 {
    let mut i = 0;
    while i < tensors.len() {
        let t = tensors[i];
        if t.memory.layout.is_sharded() {
            if let Some(used) = t.shard_cores() {
                return used;
            }
            if let Some(shard) = t.memory.shard {
                return shard.cores as u64;
            }
            break;
        }
        i += 1;
    }
    cx.grid.cores() as u64
}

/// The tiles of the busiest core when `out_tiles` are spread over `cores` ([`split_cores`]).
#[inline]
pub(super) const fn busiest_core_tiles(out_tiles: u64, cores: u64) -> u64 {
    ceil_div(out_tiles, max(min(cores, out_tiles), 1))
}

/// What `tensors` move, in one pass: per tile of each, bytes over the NoC (a page per
/// interleaved tensor, none for L1-sharded ones) and bytes through the core (unpacked or
/// packed); and the bytes of the DRAM-resident ones, each read or written once.
#[inline]
pub(super) const fn traffic(cx: &Ctx<'_>, tensors: &[&TensorParams]) -> Result<Traffic, Error> {
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

/// Read requests of the DRAM-interleaved `inputs`, read whole, one a page (each read from the
/// reader's one NoC, `dram_access.endpoint_read_cycles` apart at each bank's endpoint).
#[inline]
pub(super) const fn dram_page_reads(cx: &Ctx<'_>, inputs: &[&TensorParams]) -> u64 {
    let mut requests = 0u64;
    let mut i = 0;
    while i < inputs.len() {
        let x = inputs[i];
        if let (Some(page), Some(bytes)) = (x.page_bytes(cx.hw), x.bytes(cx.hw)) {
            requests = requests.saturating_add(x.dram_page_reads(bytes, page));
        }
        i += 1;
    }
    requests
}

/// What [`traffic`] finds.
pub(super) struct Traffic {
    pub(super) noc_per_tile: u64,
    pub(super) through_per_tile: u64,
    pub(super) dram: u64,
}

/// Whether a sharded tensor's shards do not divide it evenly (a partial last shard): tt-metal
/// `binary_ng_utils.cpp` and `unary/common/unary_utils.cpp`, `is_uneven`.
#[inline]
pub(super) const fn uneven_shards(t: &TensorParams) -> bool {
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
#[inline]
pub(super) const fn native_l1_sharded(tensors: &[&TensorParams]) -> bool {
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

/// The cores an eltwise op on `tensors` (the output first) splits its tiles over: when each
/// core runs its own shard (`local`: the native sharded path, `native_l1_sharded`, or
/// unary's row-major shards), the cores that hold one; else the query's grid.
#[inline]
pub(super) const fn eltwise_cores(cx: &Ctx<'_>, tensors: &[&TensorParams], local: bool) -> u64 {
    if local {
        split_cores(cx, tensors)
    } else {
        cx.grid.cores() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unary_classes() {
        assert_eq!(unary_class(UnaryOp::Typecast), UnaryClass::Copy);
        assert_eq!(unary_class(UnaryOp::Relu), UnaryClass::Simple);
        assert_eq!(unary_class(UnaryOp::Exp), UnaryClass::Exp);
        assert_eq!(unary_class(UnaryOp::Gelu), UnaryClass::Gelu);
        assert_eq!(unary_class(UnaryOp::Log), UnaryClass::Transcendental);
        assert_eq!(unary_class(UnaryOp::Erf), UnaryClass::Erf);
        assert_eq!(unary_class(UnaryOp::Recip), UnaryClass::Recip);
        assert_eq!(unary_class(UnaryOp::AddUnarySfpu), UnaryClass::Simple);
    }

    /// A unary chain's further functions and a binary op's fused activations list
    /// `unary_op`'s values with `none` first, in the same order: `chain_class` reads a
    /// function's class by that index.
    #[test]
    fn chain_values_follow_unary_op() {
        use crate::generated::op_params::eltwise_binary::{
            LhsActivation, PostActivation, RhsActivation,
        };
        use crate::generated::op_params::eltwise_unary::{ChainOp2, ChainOp3, ChainOp4};
        let lists = [
            ChainOp2::ALL.map(|v| v.name()).to_vec(),
            ChainOp3::ALL.map(|v| v.name()).to_vec(),
            ChainOp4::ALL.map(|v| v.name()).to_vec(),
            LhsActivation::ALL.map(|v| v.name()).to_vec(),
            RhsActivation::ALL.map(|v| v.name()).to_vec(),
            PostActivation::ALL.map(|v| v.name()).to_vec(),
        ];
        for names in &lists {
            assert_eq!(names.len(), UnaryOp::ALL.len() + 1);
            assert_eq!(names[0], "none");
            for (i, op) in UnaryOp::ALL.iter().enumerate() {
                assert_eq!(names[i + 1], op.name());
            }
        }
        for (i, op) in UnaryOp::ALL.iter().enumerate() {
            assert_eq!(chain_class(i + 1), Some(unary_class(*op)));
        }
        assert_eq!(chain_class(ChainOp2::None as usize), None);
        assert_eq!(chain_class(LhsActivation::None as usize), None);
        assert_eq!(chain_class(ChainOp2::ALL.len()), None);
    }
}
