use ttnn_op_perf_models::model::Ctx;
use ttnn_op_perf_models::{Breakdown, Error, MatmulRooflineParams, perf_model};

#[perf_model(family = "matmul_roofline")]
fn cost(p: &MatmulRooflineParams, _cx: &Ctx<'_>) -> Result<Breakdown, Error> {
    Ok(Breakdown {
        overhead_ns: p.overhead_ns,
        compute_ns: 1.0 / p.compute_efficiency,
        ..Breakdown::default()
    })
}

fn main() {}
