//! Every model version answers its op's example query (`[example]` of
//! `model_specs/ops/<op>.toml`), and the same query shrunk to one tile per tensor, with a
//! positive duration: for every family, every op it models and every device and version of
//! that op compiled in. A family whose formula does not handle one of its ops' params fails
//! here, not at a user's query; so does a fitted fixed cost that would make the smallest op
//! of a version cost nothing or less.

#[path = "support/example_queries.rs"]
mod example_queries;

use example_queries::example_queries;
use ttnn_op_perf_models::{
    CoreGrid, CoreRange, Device, Family, MemoryConfig, Op, PerfModels, Query, Shape, ShardSpec,
    Source, TensorParams, model_versions,
};

/// `t` with one tile of data: its last two dims 32 and the others 1, and a sharded memory
/// config on one core.
fn one_tile(t: &TensorParams) -> TensorParams {
    let rank = t.shape().dims().len();
    let mut dims = [1u32; 8];
    for d in dims.iter_mut().take(rank).skip(rank.saturating_sub(2)) {
        *d = 32;
    }
    let memory = match t.memory().shard {
        Some(s) => MemoryConfig::sharded(
            t.memory().buffer,
            t.memory().layout,
            ShardSpec::new(
                CoreRange::of_grid(CoreGrid::new(1, 1)),
                [32, 32],
                s.orientation,
            ),
        ),
        None => t.memory(),
    };
    t.with_shape(Shape::new(&dims[..rank])).with_memory(memory)
}

#[test]
fn every_version_answers_its_op_example() {
    let examples = example_queries();
    let mut answered = 0;
    for family in Family::ALL {
        for &op in family.ops() {
            let (_, example) = examples
                .iter()
                .find(|(o, _)| *o == op)
                .unwrap_or_else(|| panic!("no example of {op}"));
            let (inputs, output, params) = (&example.inputs, &example.output, &example.params);
            for device in Device::ALL {
                let models = PerfModels::new(device);
                for v in model_versions(device, op)
                    .iter()
                    .filter(|v| v.family() == family)
                {
                    // The example, then the same on one tile of data.
                    let small_inputs: Vec<_> = inputs.iter().map(one_tile).collect();
                    let small_output = output.as_ref().map(one_tile);
                    for (what, inputs, output) in [
                        ("the example", inputs, output),
                        ("the example on one tile", &small_inputs, &small_output),
                    ] {
                        let mut q = Query::new(op, inputs).params(params).version(v.version);
                        if let Some(out) = output {
                            q = q.output(out);
                        }
                        let at = format!("{family}: {device}/{op}@v{}: {what}", v.version);
                        let est = models
                            .query(&q)
                            .unwrap_or_else(|e| panic!("{at} fails: {e}"));
                        assert_eq!(est.source, Source::Model(v.id()), "{at}");
                        assert!(
                            est.duration_ns.is_finite() && est.duration_ns > 0.0,
                            "{at}: {est:?}"
                        );
                    }
                    println!("answered {family} {device}/{op}@v{}", v.version);
                    answered += 1;
                }
            }
        }
    }
    // Every op with a model on some device is one of its family's ops.
    for device in Device::ALL {
        for op in Op::ALL {
            for v in model_versions(device, op) {
                assert!(
                    v.family().ops().contains(&op),
                    "{device}/{op}@v{} names family {} which does not list the op",
                    v.version,
                    v.family()
                );
            }
        }
    }
    assert!(answered > 0);
}
