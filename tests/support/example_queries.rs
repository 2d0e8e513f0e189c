//! The op specs' example queries (`[example]` of `model_specs/ops/<op>.toml`) as the
//! library's types: what `tests/every_model.rs` queries on every version and
//! `benches/cases.rs` times for every family.

use std::path::Path;
use ttnn_op_perf_models::{Op, OpParam, ParamValue, TensorParams};
use ttnn_op_perf_spec::{ExampleValue, load_dir};
use ttnn_op_perf_tensor_spec::parse_tensor;

/// One op's example: its tensors and its `key = value` params.
pub struct ExampleQuery {
    pub inputs: Vec<TensorParams>,
    pub output: Option<TensorParams>,
    pub params: Vec<OpParam<'static>>,
}

/// The example of every op of this build, by op. Panics naming the spec file when an
/// example's tensor does not parse: the spec is then what to fix.
pub fn example_queries() -> Vec<(Op, ExampleQuery)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("model_specs");
    let specs = load_dir(&root).unwrap_or_else(|e| panic!("{e}"));
    Op::ALL
        .iter()
        .map(|&op| {
            let spec = specs
                .ops
                .iter()
                .find(|o| o.name == op.name())
                .unwrap_or_else(|| panic!("no op spec for {op}"));
            let example = &spec.example;
            let tensor = |s: &String| {
                parse_tensor(s)
                    .unwrap_or_else(|e| panic!("model_specs/ops/{op}.toml: [example]: {e}"))
            };
            // Tests and benches live as long as the process: the params' strings may too.
            let leak = |s: &String| -> &'static str { Box::leak(s.clone().into_boxed_str()) };
            let params = example
                .params
                .iter()
                .map(|(k, v)| {
                    let value = match v {
                        ExampleValue::Int(i) => ParamValue::Int(*i),
                        ExampleValue::Float(x) => ParamValue::Float(*x),
                        ExampleValue::Bool(b) => ParamValue::Bool(*b),
                        ExampleValue::Enum(e) => ParamValue::Enum(leak(e)),
                    };
                    OpParam::new(leak(k), value)
                })
                .collect();
            let query = ExampleQuery {
                inputs: example.inputs.iter().map(tensor).collect(),
                output: example.output.as_ref().map(tensor),
                params,
            };
            (op, query)
        })
        .collect()
}
