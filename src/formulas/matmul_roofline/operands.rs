//! The query as the formula reads it: `a`, `b` and the bias, the matmul params (program
//! config, blocking, fidelity), the output's dtype and memory, and the dims in tiles, checked:
//! tiles 32 wide (`a`) and 32x32 (`b`), `K` and the batches agreeing, a bias as wide as `b`'s
//! output columns, and `b` width-sharded in DRAM for the `dram_sharded` config.

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::OpParams;
use crate::device::MathFidelity;
use crate::generated::op_params::matmul::{L1Estimate, MinimalPadding, ProgramConfig};
use crate::model::{Ctx, div, max};
use crate::tensor::{DType, Layout, MemoryConfig, MemoryLayout, TensorParams};

/// The `minimal` config's M, K and N block in tiles when the call gives none
/// (`determine_default_block_sizes` in tt-metal's `minimal_matmul_program_factory.cpp`).
const MINIMAL_DEFAULT_BLOCK: u64 = 8;

/// A multicast config's output block when the call gives none: the core's whole part of the
/// output (the blocking takes the smaller of the two).
pub(super) const WHOLE_BLOCK: u64 = u64::MAX;

/// What the stages of the formula read of the query.
#[derive(Debug, Clone, Copy)]
pub(super) struct Operands<'q> {
    pub(super) a: &'q TensorParams,
    pub(super) b: &'q TensorParams,
    pub(super) bias: Option<&'q TensorParams>,
    pub(super) transpose_a: bool,
    pub(super) config: ProgramConfig,
    pub(super) fidelity: MathFidelity,
    pub(super) fuse_batch: bool,
    /// The config's K tiles per block; 0: as ttnn picks them.
    pub(super) given_block_w: u64,
    /// The config's output subblock; (0, 0): as ttnn picks it.
    pub(super) given_sub_h: u64,
    pub(super) given_sub_w: u64,
    /// The `minimal` config (`ttnn.experimental.minimal_matmul`).
    pub(super) minimal: bool,
    /// The `auto` config: the one ttnn generates.
    pub(super) auto: bool,
    /// The call gives ttnn a core grid (`user_core_grid`): an `auto` config is generated on
    /// it as on a given grid.
    pub(super) user_grid: bool,
    /// The `minimal` config's split pads to whole blocks (its earlier factory), not to cores.
    pub(super) minimal_blocks: bool,
    /// ttnn's L1 check of a generated config leaves out a sharded `a`'s shard rows (and a
    /// transposed `a`'s buffer): an earlier tt-metal's (`l1_estimate`).
    pub(super) estimate_without_shard_rows: bool,
    /// The config's output block: the `minimal` config's (ttnn's default when not given), or
    /// a multicast config's `out_block_h` x `out_block_w` ([`WHOLE_BLOCK`] when not given).
    pub(super) m_block: u64,
    pub(super) n_block: u64,
    /// Rows of `a`'s tiles.
    pub(super) a_rows: u16,
    /// `a` as `batch_a` matrices of `mt` x `kt` tiles, `b` as `batch_b` of `kt` x `nt`.
    pub(super) batch_a: u64,
    pub(super) mt: u64,
    pub(super) kt: u64,
    pub(super) batch_b: u64,
    pub(super) nt: u64,
    /// The larger of `batch_a` and `batch_b`.
    pub(super) batch: u64,
    pub(super) out_dtype: DType,
    pub(super) out_memory: MemoryConfig,
    /// Bytes of one tile of `a`, of `b`, and of the output.
    pub(super) a_tile: u64,
    pub(super) b_tile: u64,
    pub(super) out_tile: u64,
    /// A 1D config that only multicasts `a` (`sparse_matmul`'s factory): its split runs along
    /// `N` whatever the shapes.
    pub(super) mcast_in0: bool,
    /// Slots of a `sparse_matmul` whose activity the kernels check at run time, one multicast
    /// handshake each (no `nnz` given); 0 for every other op.
    pub(super) checked_slots: u64,
}

/// The tile height of `a`, when `a` and `b` are tiled as the matrix engine takes them: `a`'s
/// tiles 32 wide (any height: tiny tiles), `b`'s 32x32.
#[inline(always)]
pub(super) const fn tile_rows_of_a(
    cx: &Ctx<'_>,
    a: &TensorParams,
    b: &TensorParams,
) -> Result<u16, Error> {
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
        return Err(cx.not_modeled("a product of row-major inputs"));
    };
    if a_cols != 32 || b_rows != 32 || b_cols != 32 {
        return Err(cx.not_modeled("a product of tiles other than 32 wide (a) and 32x32 (b)"));
    }
    Ok(a_rows)
}

/// Reads and checks the query's operands and params.
#[inline(always)]
pub(super) const fn operands<'q>(cx: &Ctx<'q>) -> Result<Operands<'q>, Error> {
    let hw = cx.hw;
    let (a, b) = (&cx.inputs[0], &cx.inputs[1]);
    let bias = if cx.inputs.len() > 2 {
        Some(&cx.inputs[2])
    } else {
        None
    };
    let OpParams::Matmul(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let (transpose_a, transpose_b, config, fidelity, fuse_batch) = (
        p.transpose_a,
        p.transpose_b,
        p.program_config,
        p.math_fidelity,
        p.fuse_batch,
    );
    let (given_block_w, given_sub_h, given_sub_w) =
        (p.in0_block_w, p.out_subblock_h, p.out_subblock_w);
    let minimal = matches!(config, ProgramConfig::Minimal);
    // Not given, the `minimal` config's blocks are ttnn's default and a multicast config's
    // output block is the core's whole part of the output.
    let default_block = if minimal {
        MINIMAL_DEFAULT_BLOCK
    } else {
        WHOLE_BLOCK
    };
    let (m_block, n_block) = (
        if p.m_block > 0 {
            p.m_block as u64
        } else {
            default_block
        },
        if p.n_block > 0 {
            p.n_block as u64
        } else {
            default_block
        },
    );
    // Non-positive blocking is "as ttnn picks it" (the schema's minimum is 0).
    let given_block_w = if given_block_w > 0 {
        given_block_w as u64
    } else if minimal {
        MINIMAL_DEFAULT_BLOCK
    } else {
        0
    };
    let (given_sub_h, given_sub_w) = if given_sub_h > 0 && given_sub_w > 0 {
        (given_sub_h as u64, given_sub_w as u64)
    } else {
        (0, 0)
    };
    let a_rows = tri!(tile_rows_of_a(cx, a, b));
    if transpose_a && a_rows != 32 {
        return Err(cx.not_modeled("a transposed a of tiles other than 32x32"));
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

    let (out_dtype, out_memory) = match cx.output {
        Some(o) => (o.dtype, o.memory),
        None => (a.dtype, a.memory),
    };
    let auto = matches!(config, ProgramConfig::Auto);
    // Tile inputs, checked above: their tile sizes are always known.
    let a_tile = some_or!(a.tile_bytes(hw), overflow);
    let b_tile = some_or!(b.tile_bytes(hw), overflow);
    // Output tiles have the rows of `a`'s tiles.
    let out_tile = hw.tile_bytes(out_dtype) as u64 * a_rows as u64 / 32;
    Ok(Operands {
        a,
        b,
        bias,
        transpose_a,
        config,
        fidelity,
        fuse_batch,
        given_block_w,
        given_sub_h,
        given_sub_w,
        minimal,
        minimal_blocks: matches!(p.minimal_padding, MinimalPadding::Blocks),
        estimate_without_shard_rows: matches!(p.l1_estimate, L1Estimate::NoShardRows),
        auto,
        user_grid: p.user_core_grid,
        m_block,
        n_block,
        a_rows,
        batch_a,
        mt,
        kt,
        batch_b,
        nt,
        batch,
        out_dtype,
        out_memory,
        a_tile,
        b_tile,
        out_tile,
        mcast_in0: false,
        checked_slots: 0,
    })
}

/// Dims of `t` as (batch, rows, cols) in tiles, after an optional transpose of the last two.
const fn tiles_of(t: &TensorParams, transpose: bool) -> Option<(u64, u64, u64)> {
    let (Some((rows, cols)), Some(tiles)) = (t.tile_grid(), t.tiles()) else {
        return None;
    };
    let batch = div(tiles, rows * cols);
    Some(if transpose {
        (batch, cols, rows)
    } else {
        (batch, rows, cols)
    })
}
