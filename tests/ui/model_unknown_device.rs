const M: ttnn_op_perf_models::ModelId = ttnn_op_perf_models::model!(wormhole_c0, matmul, 1);

fn main() {}
