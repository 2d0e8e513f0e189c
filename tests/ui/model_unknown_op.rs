const M: ttnn_op_perf_models::ModelId = ttnn_op_perf_models::model!(blackhole, layernorm);

fn main() {}
