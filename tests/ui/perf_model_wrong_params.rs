use ttnn_op_perf_models::model::Ctx;
use ttnn_op_perf_models::{EltwiseUnaryRooflineFeatures, Error, perf_model};

#[perf_model(family = "data_movement_roofline")]
const fn features(_cx: &Ctx<'_>) -> Result<EltwiseUnaryRooflineFeatures, Error> {
    unimplemented!()
}

fn main() {}
