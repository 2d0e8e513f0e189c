use ttnn_op_perf_models::{Device, ModelId, Op, model};

const MATMUL_V1: ModelId = model!(wormhole_b0, matmul, 1);
const LATEST_UNARY: ModelId = model!(blackhole, eltwise_unary);
const TRAILING_COMMA: ModelId = model!(grayskull, reshard, 1,);

fn main() {
    assert_eq!(MATMUL_V1.device, Device::WormholeB0);
    assert_eq!(LATEST_UNARY.op, Op::EltwiseUnary);
    assert!(TRAILING_COMMA.model().is_ok());
}
