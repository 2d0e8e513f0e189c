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
pub(crate) const fn fallback(
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
    let out = match (output, inputs.first()) {
        (Some(out), _) | (None, Some(out)) => out,
        (None, None) => {
            return Err(Error::InvalidTensor {
                op,
                operand: Operand::Input(0),
                problem: TensorProblem::Missing,
            });
        }
    };
    let (mut dram, mut all) = (0u64, 0u64);
    // Every input, then the output.
    let mut i = 0;
    while i <= inputs.len() {
        let (operand, t) = if i < inputs.len() {
            (Operand::Input(i), &inputs[i])
        } else {
            (Operand::Output, out)
        };
        i += 1;
        // An empty tensor (an unused optional operand in a trace) moves nothing.
        if is_empty(t) {
            continue;
        }
        if let Err(problem) = t.validate(1, hw) {
            return Err(Error::InvalidTensor {
                op,
                operand,
                problem,
            });
        }
        let overflow = Error::Overflow {
            what: "tensor bytes",
        };
        let bytes = some_or!(t.bytes(hw), overflow);
        all = some_or!(all.checked_add(bytes), overflow);
        if t.memory.is_dram() {
            dram += bytes;
        }
    }
    let cores = grid.cores();
    let per_core = all as f64 / if cores > 1 { cores } else { 1 } as f64;
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

/// A tensor with a dim of size 0.
const fn is_empty(t: &TensorParams) -> bool {
    let dims = t.shape.dims();
    let mut i = 0;
    while i < dims.len() {
        if dims[i] == 0 {
            return true;
        }
        i += 1;
    }
    false
}
