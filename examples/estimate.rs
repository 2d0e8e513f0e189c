//! Estimates the ops of one decoder layer of a Llama-class model (batch 1, 128 tokens,
//! hidden 4096, 32 heads, MLP 11008) on every device, from the embedded specs alone.
//!
//! `cargo run --example estimate`

use ttnn_op_perf_models::*;

const DRAM: MemoryConfig = MemoryConfig::DRAM_INTERLEAVED;

/// One op of the workload: a label, the op, its params and its input tensors.
struct Step {
    label: &'static str,
    op: Op,
    params: &'static [OpParam<'static>],
    inputs: &'static [TensorParams],
}

const HIFI2: &[OpParam<'static>] = &[OpParam::new("math_fidelity", ParamValue::Enum("hifi2"))];
const ADD: &[OpParam<'static>] = &[OpParam::new("binary_op", ParamValue::Enum("add"))];
const MUL: &[OpParam<'static>] = &[OpParam::new("binary_op", ParamValue::Enum("mul"))];
const SILU: &[OpParam<'static>] = &[OpParam::new("unary_op", ParamValue::Enum("silu"))];

const fn bf16(dims: &'static [u32]) -> TensorParams {
    TensorParams::tiled(dims, DType::Bfloat16, DRAM)
}
const fn bf8(dims: &'static [u32]) -> TensorParams {
    TensorParams::tiled(dims, DType::Bfloat8B, DRAM)
}

const X: TensorParams = bf16(&[1, 1, 128, 4096]);
const H: TensorParams = bf16(&[1, 1, 128, 11008]);

const LAYER: &[Step] = &[
    Step {
        label: "qkv projection",
        op: Op::Matmul,
        params: HIFI2,
        inputs: &[X, bf8(&[1, 1, 4096, 12288])],
    },
    Step {
        label: "attention scores",
        op: Op::Matmul,
        params: HIFI2,
        inputs: &[bf16(&[1, 32, 128, 128]), bf16(&[1, 32, 128, 128])],
    },
    Step {
        label: "attention values",
        op: Op::Matmul,
        params: HIFI2,
        inputs: &[bf16(&[1, 32, 128, 128]), bf16(&[1, 32, 128, 128])],
    },
    Step {
        label: "output projection",
        op: Op::Matmul,
        params: HIFI2,
        inputs: &[X, bf8(&[1, 1, 4096, 4096])],
    },
    Step {
        label: "residual add",
        op: Op::EltwiseBinary,
        params: ADD,
        inputs: &[X, X],
    },
    Step {
        label: "mlp gate",
        op: Op::Matmul,
        params: HIFI2,
        inputs: &[X, bf8(&[1, 1, 4096, 11008])],
    },
    Step {
        label: "mlp up",
        op: Op::Matmul,
        params: HIFI2,
        inputs: &[X, bf8(&[1, 1, 4096, 11008])],
    },
    Step {
        label: "silu",
        op: Op::EltwiseUnary,
        params: SILU,
        inputs: &[H],
    },
    Step {
        label: "gate * up",
        op: Op::EltwiseBinary,
        params: MUL,
        inputs: &[H, H],
    },
    Step {
        label: "mlp down",
        op: Op::Matmul,
        params: HIFI2,
        inputs: &[H, bf8(&[1, 1, 11008, 4096])],
    },
    Step {
        label: "residual add",
        op: Op::EltwiseBinary,
        params: ADD,
        inputs: &[X, X],
    },
];

fn main() {
    for device in Device::ALL {
        let models = PerfModels::new(device);
        let hw = models.hardware();
        println!("\n{device} ({}, {} grid)", hw.card, hw.compute_grid);
        println!("  {:<20} {:>12} {:>9}  model", "op", "ns", "bound");
        let mut total = 0.0;
        for step in LAYER {
            let q = Query::new(step.op, step.inputs).params(step.params);
            match models.query(&q) {
                Ok(e) => {
                    total += e.duration_ns;
                    let model = match e.source {
                        Source::Model(id) => id.to_string(),
                        Source::Fallback { .. } => "fallback".into(),
                    };
                    println!(
                        "  {:<20} {:>12.0} {:>9}  {model}",
                        step.label,
                        e.duration_ns,
                        format!("{:?}", e.bound)
                    );
                }
                Err(e) => println!("  {:<20} error: {e}", step.label),
            }
        }
        println!("  {:<20} {:>12.0}", "layer total", total);
    }
}
