//! The cost formulas, one module per op family. Each family is implemented once here and
//! parameterized per device and version by its spec (`model_specs/families/<family>.toml`
//! declares the parameters; `model_specs/<device>/<op>.toml` gives their values).
//!
//! Every family is a roofline: `launch + overhead + max(compute, DRAM, NoC)`, with the
//! throughput terms computed for the busiest core of the op's work split.

pub mod data_movement;
pub mod eltwise;
mod fallback;
pub mod matmul;

use crate::error::Error;
use crate::estimate::Breakdown;
use crate::model::{Ctx, ModelParams};

pub(crate) use fallback::fallback;

/// Dispatches to the formula of the model's family.
pub fn cost(params: &ModelParams, ctx: &Ctx<'_>) -> Result<Breakdown, Error> {
    match params {
        ModelParams::MatmulRoofline(p) => matmul::cost(p, ctx),
        ModelParams::EltwiseUnaryRoofline(p) => eltwise::unary_cost(p, ctx),
        ModelParams::EltwiseBinaryRoofline(p) => eltwise::binary_cost(p, ctx),
        ModelParams::DataMovementRoofline(p) => data_movement::cost(p, ctx),
    }
}
