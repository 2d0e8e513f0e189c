//! The generic fallback for ops without a model: every tensor byte moved once.

use crate::device::{CoreGrid, Hardware};
use crate::error::{Error, Operand, TensorProblem};
use crate::estimate::{Accuracy, Breakdown, Estimate, Source};
use crate::op::Op;
use crate::tensor::TensorParams;

/// Bandwidth-only estimate of an op nothing else models: launch overhead plus the larger of
/// (DRAM bytes of all tensors at the achievable DRAM bandwidth) and (all bytes spread over the
/// grid's cores at the sustained NoC rate). It knows no compute cost, so compute-heavy ops come
/// out too fast; the estimate is marked [`Source::Fallback`] and [`Accuracy::Uncalibrated`].
/// The output defaults to the size of the first input; empty tensors count for nothing.
pub(crate) fn fallback(
    hw: &'static Hardware,
    op: Option<Op>,
    inputs: &[TensorParams],
    output: Option<&TensorParams>,
    grid: CoreGrid,
) -> Result<Estimate, Error> {
    if !grid.fits_in(hw.full_grid) {
        return Err(Error::InvalidGrid {
            grid,
            card: hw.card,
        });
    }
    let Some(first) = inputs.first().or(output) else {
        return Err(Error::InvalidTensor {
            op,
            operand: Operand::Input(0),
            problem: TensorProblem::Missing,
        });
    };
    let out = output.unwrap_or(first);
    let tensors = inputs
        .iter()
        .enumerate()
        .map(|(i, t)| (Operand::Input(i), t))
        .chain(core::iter::once((Operand::Output, out)));
    let (mut dram, mut all) = (0u64, 0u64);
    for (operand, t) in tensors {
        // An empty tensor (an unused optional operand in a trace) moves nothing.
        if t.shape.dims().contains(&0) {
            continue;
        }
        t.validate(1, hw).map_err(|problem| Error::InvalidTensor {
            op,
            operand,
            problem,
        })?;
        let bytes = t.bytes(hw).ok_or(Error::Overflow {
            what: "tensor bytes",
        })?;
        all = all.checked_add(bytes).ok_or(Error::Overflow {
            what: "tensor bytes",
        })?;
        if t.memory.is_dram() {
            dram += bytes;
        }
    }
    let per_core = all as f64 / grid.cores().max(1) as f64;
    let breakdown = Breakdown {
        overhead_ns: hw.launch_overhead_ns,
        compute_ns: 0.0,
        dram_ns: dram as f64 / hw.dram_bytes_per_ns(),
        noc_ns: per_core / hw.noc_sustained_bytes_per_cycle / hw.cycles_per_ns(),
    };
    Estimate::new(
        breakdown,
        Source::Fallback {
            device: hw.device,
            op,
        },
        Accuracy::Uncalibrated,
    )
}
