//! A `no_std` user of `ttnn-op-perf-models`, built without the library's default features:
//! what a firmware-side scheduler or an embedded cost table links. `.ci/run` builds it and
//! checks that the library's `std` feature stays off.
//!
//! The constants below are estimates computed when this crate is built: a query of constant
//! tensors through [`PerfModels::query`], a `const fn`. A query the model rejects fails the
//! build with the error's [`summary`](ttnn_op_perf_models::Error::summary).

#![cfg_attr(not(test), no_std)]

use ttnn_op_perf_models::{
    DType, Device, Error, Estimate, MemoryConfig, ModelId, Op, OpParam, ParamValue, PerfModels,
    Query, TensorParams, model,
};

/// The model version the constants come from, checked when the code is built.
pub const MATMUL: ModelId = model!(wormhole_b0, matmul);

const MODELS: PerfModels = PerfModels::new(MATMUL.device);
const X: TensorParams = TensorParams::tiled(
    &[1, 1, 1024, 4096],
    DType::Bfloat16,
    MemoryConfig::DRAM_INTERLEAVED,
);
const W: TensorParams = TensorParams::tiled(
    &[1, 1, 4096, 4096],
    DType::Bfloat8B,
    MemoryConfig::DRAM_INTERLEAVED,
);
const LOFI: [OpParam<'static>; 1] = [OpParam::new("math_fidelity", ParamValue::Enum("lofi"))];

/// Nanoseconds of a constant estimate; a rejected query stops the build, saying why.
const fn ns(estimate: Result<Estimate, Error>) -> u64 {
    match estimate {
        Ok(e) => e.duration_ns as u64,
        Err(e) => panic!("{}", e.summary()),
    }
}

/// A 1024x4096 by 4096x4096 projection (bfloat8_b weights, LoFi) on Wormhole B0, ns.
pub const PROJECTION_NS: u64 = ns(MODELS.query(
    &Query::new(MATMUL.op, &[X, W])
        .params(&LOFI)
        .version(MATMUL.version),
));

/// GELU of the projection's output, ns.
pub const GELU_NS: u64 = ns(MODELS.query(
    &Query::new(Op::EltwiseUnary, &[X])
        .params(&[OpParam::new("unary_op", ParamValue::Enum("gelu"))]),
));

// Budgets checked when the code is built.
const _: () = assert!(PROJECTION_NS > GELU_NS);

/// The run-time form, for tensors known only then: the same query path, no heap.
pub fn gelu_ns(device: Device, x: &TensorParams) -> Result<f64, Error> {
    let params = [OpParam::new("unary_op", ParamValue::Enum("gelu"))];
    let inputs = [*x];
    PerfModels::new(device)
        .query(&Query::new(Op::EltwiseUnary, &inputs).params(&params))
        .map(|e| e.duration_ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_the_run_time_estimates() {
        let at_run_time = gelu_ns(Device::WormholeB0, &X).unwrap();
        assert_eq!(GELU_NS, at_run_time as u64);
        let projection = PerfModels::new(Device::WormholeB0)
            .query(&Query::new(Op::Matmul, &[X, W]).params(&LOFI))
            .unwrap();
        assert_eq!(PROJECTION_NS, projection.duration_ns as u64);
    }
}
