//! Queries allocate nothing: with typed params, and by op or OP CODE with `key = value`
//! params, for matmul, eltwise binary and unary, failing, and through the fallback.

use ttnn_op_perf_models::*;

mod counting_alloc;
use counting_alloc::allocations;

#[test]
fn queries_do_not_allocate() {
    let models = PerfModels::builder(Device::WormholeB0)
        .fallback(true)
        .build()
        .unwrap();
    let a = TensorParams::tiled(
        &[1, 1, 1024, 1024],
        DType::Bfloat16,
        MemoryConfig::DRAM_INTERLEAVED,
    );
    let inputs = [a, a];
    let matmul = [OpParam::new("math_fidelity", ParamValue::Enum("hifi2"))];
    let add = [OpParam::new("binary_op", ParamValue::Enum("add"))];
    let bad = [OpParam::new("math_fidelity", ParamValue::Enum("hifi9"))];
    let gelu = [OpParam::new("unary_op", ParamValue::Enum("gelu"))];
    let typed = OpParams::Matmul(op_params::matmul::Params {
        math_fidelity: MathFidelity::HiFi2,
        ..op_params::matmul::Params::DEFAULT
    });
    let queries = [
        Query::typed(typed, &inputs),
        Query::new(Op::Matmul, &inputs).params(&matmul),
        Query::named("MatmulDeviceOperation", &inputs).params(&matmul),
        Query::new(Op::EltwiseBinary, &inputs).params(&add),
        Query::named("BinaryNgDeviceOperation", &inputs).params(&add),
        Query::new(Op::EltwiseUnary, &inputs[..1]).params(&gelu),
        Query::named("UnaryDeviceOperation", &inputs[..1]).params(&gelu),
        Query::new(Op::Matmul, &inputs).params(&bad),
        Query::named("UnmodeledDeviceOperation", &inputs),
    ];
    // Warm up lazily initialized state (none expected) before counting.
    let results: Vec<_> = models.query_many(&queries).collect();
    assert!(results[..7].iter().all(Result::is_ok));
    assert_eq!(results[0], results[1]);
    assert!(results[7].is_err() && results[8].as_ref().unwrap().is_fallback());
    let mut sink = 0.0;
    let n = allocations(|| {
        for _ in 0..100 {
            for q in &queries {
                if let Ok(e) = models.query(q) {
                    sink += e.duration_ns;
                }
            }
        }
    });
    assert_eq!(n, 0, "queries allocated {n} times");
    assert!(sink > 0.0);
    // The counter does count: a Vec allocates.
    assert!(allocations(|| drop(std::hint::black_box(vec![1u8; 16]))) > 0);
}
