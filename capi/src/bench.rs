//! The Rust side of the C++ benchmark's comparison; not in the header (cbindgen.toml
//! excludes it).

use crate::models::TtpmModels;
use crate::read::object;
use std::panic::{AssertUnwindSafe, catch_unwind};
use ttnn_op_perf_models::{
    DType, MathFidelity, MemoryConfig, OpParam, ParamValue, Query, TensorParams,
};

/// For the C++ benchmark (`capi/cpp/bench.cpp`), not part of the header: ns per Rust query
/// of benchmark case `case` (0: the README's matmul, 1: unary exp, 2: binary add, on the
/// handle's device), typed or (`by_name` non-zero) by OP CODE with `key = value` params, over
/// one round of `iterations` queries; a negative value for an unknown case, a failed query or
/// one whose two forms disagree.
///
/// # Safety
/// `models` must be null (refused) or a live handle.
#[doc(hidden)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_internal_bench_rust_typed(
    models: *const TtpmModels,
    case: u32,
    iterations: u64,
    by_name: u32,
) -> f64 {
    use std::hint::black_box;
    use ttnn_op_perf_models::OpParams;
    use ttnn_op_perf_models::op_params::{eltwise_binary, eltwise_unary, matmul};
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller's contract.
        let Ok(models) = (unsafe { object(models, "models") }) else {
            return -1.0;
        };
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let (inputs, params) = match case {
            0 => (
                vec![
                    TensorParams::tiled(&[1, 1, 128, 4096], DType::Bfloat16, dram),
                    TensorParams::tiled(&[1, 1, 4096, 4096], DType::Bfloat8B, dram),
                ],
                OpParams::Matmul(matmul::Params {
                    math_fidelity: MathFidelity::HiFi2,
                    ..matmul::Params::DEFAULT
                }),
            ),
            1 => (
                vec![TensorParams::tiled(
                    &[1, 1, 1024, 1024],
                    DType::Bfloat16,
                    dram,
                )],
                OpParams::EltwiseUnary(eltwise_unary::Params {
                    unary_op: eltwise_unary::UnaryOp::Exp,
                    chain_op_2: eltwise_unary::ChainOp2::None,
                    chain_op_3: eltwise_unary::ChainOp3::None,
                    chain_op_4: eltwise_unary::ChainOp4::None,
                    fast_and_approximate_mode: false,
                }),
            ),
            2 => (
                vec![TensorParams::tiled(&[1, 1, 1024, 1024], DType::Bfloat16, dram); 2],
                OpParams::EltwiseBinary(eltwise_binary::Params {
                    binary_op: eltwise_binary::BinaryOp::Add,
                    math_fidelity: MathFidelity::HiFi4,
                    compute_unit: eltwise_binary::ComputeUnit::Auto,
                    lhs_activation: eltwise_binary::LhsActivation::None,
                    rhs_activation: eltwise_binary::RhsActivation::None,
                    post_activation: eltwise_binary::PostActivation::None,
                }),
            ),
            _ => return -1.0,
        };
        let named = match params {
            OpParams::Matmul(_) => ("MatmulDeviceOperation", "math_fidelity", "hifi2"),
            OpParams::EltwiseUnary(_) => ("UnaryDeviceOperation", "unary_op", "exp"),
            _ => ("BinaryNgDeviceOperation", "binary_op", "add"),
        };
        let named_params = [OpParam::new(named.1, ParamValue::Enum(named.2))];
        let q = if by_name != 0 {
            Query::named(named.0, &inputs).params(&named_params)
        } else {
            Query::typed(params, &inputs)
        };
        if models.models.query(&q) != models.models.query(&Query::typed(params, &inputs)) {
            return -1.0;
        }
        if models.models.query(&q).is_err() {
            return -1.0;
        }
        let n = iterations.max(1);
        let start = std::time::Instant::now();
        for _ in 0..n {
            let _ = black_box(models.models.query(black_box(&q)));
        }
        start.elapsed().as_nanos() as f64 / n as f64
    }))
    .unwrap_or(-1.0)
}
