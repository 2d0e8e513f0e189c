//! Queries allocate nothing: with typed params, and by op or OP CODE with `key = value`
//! params, for matmul, eltwise binary and unary, failing, and through the fallback; and every
//! op's example query on every device.

use ttnn_op_perf_models::*;

mod counting_alloc;
use counting_alloc::allocations;

#[path = "support/example_queries.rs"]
mod example_queries;
use example_queries::example_queries;

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

/// Every op's `[example]` (each family's formula, and ops sharing one) answered on every
/// device with a model of it, without allocating.
#[test]
fn every_op_example_does_not_allocate() {
    let examples = example_queries();
    let mut answered = 0;
    for device in Device::ALL {
        let models = PerfModels::new(device);
        let queries: Vec<Query<'_>> = examples
            .iter()
            .filter(|(op, _)| !model_versions(device, *op).is_empty())
            .map(|(op, ex)| {
                let q = Query::new(*op, &ex.inputs).params(&ex.params);
                match &ex.output {
                    Some(out) => q.output(out),
                    None => q,
                }
            })
            .collect();
        // Warm up, and every example answers.
        for q in &queries {
            models.query(q).unwrap_or_else(|e| panic!("{device}: {e}"));
        }
        let mut sink = 0.0;
        let n = allocations(|| {
            for q in &queries {
                if let Ok(e) = models.query(q) {
                    sink += e.duration_ns;
                }
            }
        });
        assert_eq!(n, 0, "{device}: the op examples allocated {n} times");
        assert!(sink > 0.0);
        answered += queries.len();
    }
    assert!(answered > 0);
}
