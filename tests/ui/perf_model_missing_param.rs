use ttnn_op_perf_models::model::Ctx;
use ttnn_op_perf_models::{DataMovementRooflineFeatures, Error, perf_model};

#[perf_model(family = "data_movement_roofline")]
const fn features(_cx: &Ctx<'_>) -> Result<DataMovementRooflineFeatures, Error> {
    Ok(DataMovementRooflineFeatures { overhead_ns: 1.0, dram_scale: 1.0 })
}

fn main() {}
