use ttnn_op_perf_models::*;

// A checked handle and a query of constants: the estimate is computed when this builds.
const MATMUL: ModelId = model!(wormhole_b0, matmul);
const A: TensorParams =
    TensorParams::tiled(&[1, 1, 1024, 4096], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
const B: TensorParams =
    TensorParams::tiled(&[1, 1, 4096, 4096], DType::Bfloat8B, MemoryConfig::DRAM_INTERLEAVED);
const PARAMS: [OpParam<'static>; 1] = [OpParam::new("math_fidelity", ParamValue::Enum("lofi"))];
const MATMUL_NS: u64 = match PerfModels::new(MATMUL.device)
    .query(&Query::new(MATMUL.op, &[A, B]).params(&PARAMS).version(MATMUL.version))
{
    Ok(e) => e.duration_ns as u64,
    Err(e) => panic!("{}", e.summary()),
};
// A bound checked when the code is built.
const _: () = assert!(MATMUL_NS > 1_000);

// The same with a card chosen through the builder.
const N300: PerfModels = match PerfModels::builder(Device::WormholeB0).card(Card::N300).build() {
    Ok(m) => m,
    Err(_) => panic!("n300 is a wormhole_b0 card"),
};
const ON_N300: Result<Estimate, Error> =
    N300.query(&Query::named("UnaryDeviceOperation", &[A]).params(&[OpParam::new(
        "unary_op",
        ParamValue::Enum("gelu"),
    )]));

fn main() {
    // The compile-time figure is the run-time one.
    let at_run_time = PerfModels::new(Device::WormholeB0)
        .query(&Query::new(Op::Matmul, &[A, B]).params(&PARAMS))
        .unwrap();
    assert_eq!(MATMUL_NS, at_run_time.duration_ns as u64);
    assert!(ON_N300.is_ok());
}
