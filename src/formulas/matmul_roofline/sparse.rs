//! `sparse_matmul` (`ttnn.sparse_matmul`, OP CODE `SparseMatmulDeviceOperation`) read as the
//! dense matmul its one program factory runs: tt-metal
//! `ttnn/cpp/ttnn/operations/matmul/device/sparse/factory/sparse_matmul_multicore_reuse_mcast_1d_optimized.cpp`
//! and `sparse_matmul_device_operation.cpp`.
//!
//! * **Slots** (`validate_on_program_cache_miss`): the sparsity mask has one entry per
//!   (batch, expert) slot: `b`'s batches when both inputs are sparse, `a`'s when only `a` is,
//!   `a`'s times `b`'s when only `b` is (the mixture-of-experts case: every token batch of `a`
//!   against every expert of `b`). At least one input is sparse, and `nnz <= slots`.
//! * **Work split**: the factory takes the `MatmulMultiCoreReuseMultiCast1DProgramConfig` and
//!   only `mcast_in0` (`TT_FATAL(mcast_in0, ...)`): `N` split over `ceil(Nt / per_core_N)`
//!   cores, each with all of one slot's `M`; one core reads `a` from DRAM and multicasts it
//!   (`in0_sender_num_cores = 1`), every core reads its `b` columns and writes its output.
//!   The batch is never fused into `M` (`get_M_dim(.., fuse_batch = false)`).
//! * **Sparsity**: the receiver and compute kernels loop exactly `nnz` times when `nnz` is
//!   given (`num_batch_compute = nnz.value_or(sparsity.logical_volume())`), each active slot
//!   one `M x K @ K x N` product with its own matrix of `a` and of `b` (`in0_reuse_in_dfb =
//!   0`: `a` is read again per slot). So the model is the dense `mcast_1d` matmul over the
//!   active slots as unfused batches, split along `N`: the family's formula unchanged, with
//!   `a` and `b` as that many matrices each.
//! * **Without `nnz`** (0; `get_batch_from_reader`): the `a` sender
//!   (`reader_bmm_tile_layout_in0_sender_padding.cpp`) reads each slot's mask entry and
//!   multicasts whether the slot is active to the receivers in a semaphore handshake, with
//!   explicit waits of 100, 400 and 1 cycles (`ckernel::wait`), before it runs the slot or
//!   skips it; the receivers (`reader_bmm_tile_layout_in0_receiver.cpp`) and compute kernels
//!   follow. Every slot is one more K block's handshake (`block_cycles`, `mcast_ack_cycles`) plus
//!   those waits (`slot_check_cycles`); a one-core config (`SKIP_MCAST`) has neither. Which
//!   slots are active is data the model does not see: in each pass of the sender's outer
//!   loop over the mask (`a`'s batches when only `b` is sparse, `a`'s over `b`'s when only
//!   `a` is, one when both are), each of `a`'s token rows (its logical rows) is taken as
//!   routed to `experts_per_token` of the pass's slots (the router's top-k; 8 by default), at
//!   most all of them. Counting every slot active, as the model did before, put the public
//!   Qwen3.6-35B-A3B decode's expert products at 5.0x and 14.5x their measured time
//!   (CHANGELOG).
//! * **Active ids given** (a fourth input, newer tt-metal's indexed mode,
//!   `use_indices`): the kernels loop over the listed slots, as many as the list holds; no
//!   slot is checked.
//!
//! Left out: the sender's read of the sparsity page (one small read per pass of its outer
//! loop), and the output's zero fill (`create_output_tensors` runs `zeros_like`, a separate
//! device op). No measured rows in the shared data: v2 is matmul's fit, uncalibrated.

use super::operands::{Operands, WHOLE_BLOCK};
use crate::device::CoreGrid;
use crate::error::{Error, Operand, TensorProblem};
use crate::generated::OpParams;
use crate::generated::op_params::matmul::ProgramConfig;
use crate::model::{Ctx, ceil_div, div, max, min, mul};
use crate::tensor::TensorParams;


/// The query as the dense matmul of its active slots, and the grid its 1D config runs on.
#[inline(always)]
pub(super) const fn operands<'q>(cx: &Ctx<'q>) -> Result<(Operands<'q>, CoreGrid), Error> {
    let hw = cx.hw;
    let OpParams::SparseMatmul(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let (a, b, mask) = (&cx.inputs[0], &cx.inputs[1], &cx.inputs[2]);
    let a_rows = tri!(super::operands::tile_rows_of_a(cx, a, b));
    let overflow = Error::Overflow {
        what: "matmul tiles",
    };
    let (batches_a, mt, kt) = some_or!(tiles_of(a), overflow);
    let (batches_b, kt_b, nt) = some_or!(tiles_of(b), overflow);
    if kt != kt_b {
        return Err(cx.tensor_error(
            Operand::Input(1),
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    let slots = match (p.is_input_a_sparse, p.is_input_b_sparse) {
        (true, true) => batches_b,
        (true, false) => batches_a,
        (false, true) => tri!(mul(batches_a, batches_b, "matmul tiles")),
        (false, false) => return Err(cx.param_error("is_input_b_sparse", "neither input is sparse: sparse_matmul needs is_input_a_sparse or is_input_b_sparse")),
    };
    // One mask entry per slot (ttnn requires `sparsity.logical_volume() == batch_length`);
    // the model reads only `nnz`, so a mask too short to cover the slots is the error it
    // checks.
    if mask.logical_volume() < slots {
        return Err(cx.tensor_error(
            Operand::Input(2),
            TensorProblem::ShapeMismatch {
                with: Operand::Input(1),
            },
        ));
    }
    let nnz = p.nnz as u64;
    if nnz > slots {
        return Err(cx.param_error("nnz", "more active slots than the sparse input has (batches of the sparse side; a's times b's when only b is sparse)"));
    }
    // The slots run, and those checked at run time. A list of the active slots' ids (the
    // fourth input, newer tt-metal's indexed mode) is looped over as it is: no check. Given
    // `nnz`, the kernels loop that many. Without either, ttnn checks every slot at run time
    // and runs the active ones: in each pass of the `a` sender's outer loop over the mask
    // (`a`'s batches when only `b` is sparse, `a`'s over `b`'s when only `a` is, one when
    // both are), each of `a`'s token rows routed to `experts_per_token` of the pass's slots,
    // at most all of them. At least one slot either way (every dim is at least 1).
    let (active, checked_slots) = if cx.inputs.len() > 3 {
        let ids = cx.inputs[3].logical_volume();
        if ids > slots {
            return Err(cx.tensor_error(
                Operand::Input(3),
                TensorProblem::ShapeMismatch {
                    with: Operand::Input(2),
                },
            ));
        }
        (max(ids, 1), 0)
    } else if nnz > 0 {
        (nnz, 0)
    } else {
        let routed = (a.shape.logical_dim_from_end(1) as u64)
            .saturating_mul(p.experts_per_token as u64);
        // The passes, and the slots each goes over.
        let (passes, per_pass) = match (p.is_input_a_sparse, p.is_input_b_sparse) {
            (false, true) => (batches_a, batches_b),
            (true, false) => (max(div(batches_a, batches_b), 1), batches_b),
            _ => (1, slots),
        };
        (passes.saturating_mul(min(max(routed, 1), per_pass)), slots)
    };
    // The 1D config's cores: `num_blocks_total = ceil(Nt / per_core_N)`, at most the grid
    // (`TT_FATAL(num_blocks_total <= num_cores_available)`), laid out row-major.
    let (gx, gy) = (cx.grid.x as u64, cx.grid.y as u64);
    let grid = if p.per_core_n > 0 {
        let cores = ceil_div(nt, p.per_core_n as u64);
        if cores > gx * gy {
            return Err(cx.param_error("per_core_n", "more cores (N tiles / per_core_n) than the grid has"));
        }
        let x = if cores < gx { cores } else { gx };
        // `cores <= gx * gy <= 255 * 255`, and the rows at most `gy`.
        CoreGrid::new(x as u8, ceil_div(cores, x) as u8)
    } else {
        cx.grid
    };
    let (out_dtype, out_memory) = match cx.output {
        Some(o) => (o.dtype, o.memory),
        None => (a.dtype, a.memory),
    };
    let a_tile = some_or!(a.tile_bytes(hw), overflow);
    let b_tile = some_or!(b.tile_bytes(hw), overflow);
    let out_tile = hw.tile_bytes(out_dtype) as u64 * a_rows as u64 / 32;
    let q = Operands {
        a,
        b,
        bias: None,
        transpose_a: false,
        config: ProgramConfig::Mcast1d,
        fidelity: p.math_fidelity,
        fuse_batch: false,
        given_block_w: if p.in0_block_w > 0 {
            p.in0_block_w as u64
        } else {
            0
        },
        given_sub_h: if p.out_subblock_h > 0 && p.out_subblock_w > 0 {
            p.out_subblock_h as u64
        } else {
            0
        },
        given_sub_w: if p.out_subblock_h > 0 && p.out_subblock_w > 0 {
            p.out_subblock_w as u64
        } else {
            0
        },
        minimal: false,
        auto: false,
        user_grid: false,
        minimal_blocks: false,
        estimate_without_shard_rows: false,
        m_block: WHOLE_BLOCK,
        n_block: WHOLE_BLOCK,
        a_rows,
        batch_a: active,
        mt,
        kt,
        batch_b: active,
        nt,
        batch: active,
        out_dtype,
        out_memory,
        a_tile,
        b_tile,
        out_tile,
        mcast_in0: true,
        checked_slots,
    };
    Ok((q, grid))
}

/// Dims of `t` as (batches, rows, cols) in tiles.
const fn tiles_of(t: &TensorParams) -> Option<(u64, u64, u64)> {
    let (Some((rows, cols)), Some(tiles)) = (t.tile_grid(), t.tiles()) else {
        return None;
    };
    Some((div(tiles, rows * cols), rows, cols))
}
