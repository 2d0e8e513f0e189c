const M: ttnn_op_perf_models::ModelId = ttnn_op_perf_models::model!(grayskull, typecast);

fn main() {}
