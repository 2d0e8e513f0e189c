use ttnn_op_perf_models::{Breakdown, Error, MatmulRooflineParams, perf_model};

#[perf_model(family = "matmul_roofline")]
fn cost(p: &MatmulRooflineParams) -> Result<Breakdown, Error> {
    Ok(Breakdown { overhead_ns: p.overhead_ns, ..Breakdown::default() })
}

fn main() {}
