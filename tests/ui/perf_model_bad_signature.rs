use ttnn_op_perf_models::{DataMovementRooflineFeatures, Error, perf_model};

#[perf_model(family = "data_movement_roofline")]
fn features(scale: f64) -> Result<DataMovementRooflineFeatures, Error> {
    Ok(DataMovementRooflineFeatures { overhead_ns: 1.0, dram_scale: scale, noc_scale: scale })
}

fn main() {}
