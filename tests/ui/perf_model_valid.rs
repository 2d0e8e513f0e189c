use ttnn_op_perf_models::model::Ctx;
use ttnn_op_perf_models::{DataMovementRooflineFeatures, Error, perf_model};

// A formula outside the library: the macro checks it against the family spec.
#[perf_model(family = "data_movement_roofline")]
const fn features(cx: &Ctx<'_>) -> Result<DataMovementRooflineFeatures, Error> {
    let _ = cx;
    Ok(DataMovementRooflineFeatures { overhead_ns: 1.0, dram_scale: 2.0, noc_scale: 3.0 })
}

fn main() {
    let _ = features;
}
