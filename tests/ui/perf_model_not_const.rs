use ttnn_op_perf_models::model::Ctx;
use ttnn_op_perf_models::{DataMovementRooflineFeatures, Error, perf_model};

// A formula that is not a `const fn`: it could not be evaluated when the code is built.
#[perf_model(family = "data_movement_roofline")]
fn features(cx: &Ctx<'_>) -> Result<DataMovementRooflineFeatures, Error> {
    let _ = cx;
    Ok(DataMovementRooflineFeatures { overhead_ns: 1.0, dram_scale: 2.0, noc_scale: 3.0 })
}

fn main() {
    let _ = features;
}
