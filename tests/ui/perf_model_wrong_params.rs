use ttnn_op_perf_models::model::Ctx;
use ttnn_op_perf_models::{Breakdown, EltwiseUnaryRooflineParams, Error, perf_model};

#[perf_model(family = "matmul_roofline")]
fn cost(p: &EltwiseUnaryRooflineParams, _cx: &Ctx<'_>) -> Result<Breakdown, Error> {
    Ok(Breakdown { overhead_ns: p.overhead_ns, ..Breakdown::default() })
}

fn main() {}
