use ttnn_op_perf_models::*;

// Inner dims that do not agree: the query fails, and so does the build, saying why.
const A: TensorParams =
    TensorParams::tiled(&[1, 1, 1024, 4096], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
const B: TensorParams =
    TensorParams::tiled(&[1, 1, 2048, 4096], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
const MATMUL_NS: u64 = match PerfModels::new(Device::WormholeB0).query(&Query::new(Op::Matmul, &[A, B])) {
    Ok(e) => e.duration_ns as u64,
    Err(e) => panic!("{}", e.summary()),
};

fn main() {
    let _ = MATMUL_NS;
}
