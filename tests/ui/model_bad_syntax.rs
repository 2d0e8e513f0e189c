const M: ttnn_op_perf_models::ModelId = ttnn_op_perf_models::model!(wormhole_b0 matmul);

fn main() {}
