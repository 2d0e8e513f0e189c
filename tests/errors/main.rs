//! Every error variant, produced by a real call, with a message that says what went wrong.

use ttnn_op_perf_models::*;

mod lookups;
mod manager;
mod operands;
mod params;

fn dram(dims: &[u32]) -> TensorParams {
    TensorParams::tiled(dims, DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED)
}

fn exp() -> [OpParam<'static>; 1] {
    [OpParam::new("unary_op", ParamValue::Enum("exp"))]
}

/// A query that answers: `exp` of a 1024 x 1024 tensor in DRAM.
fn good(models: &PerfModels) -> Estimate {
    let inputs = [dram(&[1, 1, 1024, 1024])];
    models
        .query(&Query::new(Op::EltwiseUnary, &inputs).params(&exp()))
        .expect("the good query answers")
}

/// Runs `bad` on a fresh manager, checks the error with `check`, and returns its message,
/// which must not be empty.
fn fails(
    bad: impl Fn(&PerfModels) -> Result<Estimate, Error>,
    check: impl Fn(&Error) -> bool,
) -> String {
    let models = PerfModels::new(Device::WormholeB0);
    let err = bad(&models).expect_err("the query must fail");
    assert!(check(&err), "unexpected error: {err:?}");
    let msg = err.to_string();
    assert!(!msg.is_empty());
    msg
}

fn unary(models: &PerfModels, inputs: &[TensorParams]) -> Result<Estimate, Error> {
    models.query(&Query::new(Op::EltwiseUnary, inputs).params(&exp()))
}
