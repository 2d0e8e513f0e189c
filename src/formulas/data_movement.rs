//! `data_movement_roofline`: reshard, interleaved -> sharded and sharded -> interleaved.
//!
//! What it counts:
//!
//! * **Bytes moved**: the sharded side's bytes (for the `Partial` variants, one of
//!   `num_slices` slices of the interleaved tensor), each moved once.
//! * **DRAM** (`dram_scale`): those bytes at the achievable bandwidth when the
//!   interleaved side (or for reshard, either side) lives in DRAM.
//! * **NoC**: the busiest core moves `ceil(bytes / shard cores)` (reshard: the larger of its
//!   read and its write), in page-sized transfers (a tile, or a row-major shard row), at
//!   the size-dependent NoC rate (`noc_scale`). Small pages are what makes row-major
//!   moves slow.
//! * **Compute**: none.
//!
//! It assumes shards are balanced and that the NoC serves all shard cores in parallel.

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::DataMovementRooflineFeatures;
use crate::generated::op_params::{
    interleaved_to_sharded as i2s_keys, sharded_to_interleaved as s2i_keys,
};
use crate::model::{Ctx, ceil_div};
use crate::op::Op;
use crate::tensor::{Layout, TensorParams};

/// Bytes of one transfer: a tile, or one row of the shard in row-major layout.
fn page_bytes(cx: &Ctx<'_>, t: &TensorParams) -> u64 {
    match (t.layout, t.memory.shard) {
        (Layout::RowMajor, Some(shard)) => {
            shard.shape[1] as u64 * t.dtype.element_bytes().unwrap_or(1) as u64
        }
        _ => t.page_bytes(cx.hw).unwrap_or(0),
    }
}

fn shard_cores(t: &TensorParams) -> u64 {
    t.memory.shard.map_or(1, |s| s.cores as u64)
}

#[cfg_attr(
    feature = "macros",
    crate::perf_model(family = "data_movement_roofline")
)]
pub fn features(cx: &Ctx<'_>) -> Result<DataMovementRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    // The operand rules make the output required for these ops.
    let Some(y) = cx.output else {
        return Err(cx.not_modeled("a data movement without its target tensor"));
    };
    let wrong =
        |operand, expected| cx.tensor_error(operand, TensorProblem::WrongMemory { expected });
    let (sharded, interleaved, slices) = match cx.op {
        Op::Reshard => {
            if !x.memory.layout.is_sharded() {
                return Err(wrong(Operand::Input(0), "sharded"));
            }
            if !y.memory.layout.is_sharded() {
                return Err(wrong(Operand::Output, "sharded"));
            }
            (x, None, 1)
        }
        Op::InterleavedToSharded => {
            if x.memory.layout.is_sharded() {
                return Err(wrong(Operand::Input(0), "interleaved"));
            }
            if !y.memory.layout.is_sharded() {
                return Err(wrong(Operand::Output, "sharded"));
            }
            (y, Some(x), cx.params.get_int(i2s_keys::NUM_SLICES))
        }
        Op::ShardedToInterleaved => {
            if !x.memory.layout.is_sharded() {
                return Err(wrong(Operand::Input(0), "sharded"));
            }
            if y.memory.layout.is_sharded() {
                return Err(wrong(Operand::Output, "interleaved"));
            }
            (x, Some(y), cx.params.get_int(s2i_keys::NUM_SLICES))
        }
        _ => return Err(cx.not_modeled("this op with the data-movement family")),
    };
    let slices = slices.max(1) as u64;
    let overflow = Error::Overflow {
        what: "data movement bytes",
    };
    // Sizes must agree: the sharded side holds the whole tensor, or one slice of it.
    let same_size = match (cx.op, interleaved) {
        (Op::Reshard, _) => x.shape.volume() == y.shape.volume(),
        (_, Some(i)) => {
            let whole = i.shape.volume().ok_or(overflow)?;
            let part = sharded.shape.volume().ok_or(overflow)?;
            part.checked_mul(slices) == Some(whole)
        }
        _ => true,
    };
    if !same_size {
        return Err(cx.tensor_error(
            Operand::Output,
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    let bytes = sharded.bytes(cx.hw).ok_or(overflow)?;
    let (per_core, page) = if cx.op == Op::Reshard {
        let out_bytes = y.bytes(cx.hw).ok_or(overflow)?;
        (
            ceil_div(bytes, shard_cores(x)).max(ceil_div(out_bytes, shard_cores(y))),
            page_bytes(cx, x).min(page_bytes(cx, y)),
        )
    } else {
        (
            ceil_div(bytes, shard_cores(sharded)),
            page_bytes(cx, sharded),
        )
    };
    let in_dram = match interleaved {
        Some(i) => i.memory.is_dram(),
        None => x.memory.is_dram() || y.memory.is_dram(),
    };
    Ok(DataMovementRooflineFeatures {
        overhead_ns: 1.0,
        dram_scale: if in_dram { cx.dram_ns(bytes) } else { 0.0 },
        noc_scale: cx.noc_ns(per_core, page),
    })
}
