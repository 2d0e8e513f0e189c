use ttnn_op_perf_models::model::Ctx;
use ttnn_op_perf_models::{Breakdown, Error, MatmulRooflineParams, perf_model};

#[perf_model(family = "matmul_rooflin")]
fn cost(p: &MatmulRooflineParams, _cx: &Ctx<'_>) -> Result<Breakdown, Error> {
    Ok(Breakdown { overhead_ns: p.overhead_ns, ..Breakdown::default() })
}

fn main() {}
