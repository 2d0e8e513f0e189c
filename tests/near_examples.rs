//! Properties of the models over queries near each op's example (`[example]` of its spec):
//! the example's tensors resized, relaid and moved, and any of its op's params set to any
//! value its schema allows. Unlike `tests/properties.rs`, whose arbitrary queries mostly stop
//! at the checks, these reach the formulas: none panics, and every answer is a finite,
//! positive duration that matches its breakdown, or an error that says what is wrong.

#[path = "support/example_queries.rs"]
mod example_queries;

use example_queries::{ExampleQuery, example_queries};
use proptest::prelude::*;
use std::sync::OnceLock;
use ttnn_op_perf_models::*;

/// Every op's example, read once.
fn examples() -> &'static [(Op, ExampleQuery)] {
    static EXAMPLES: OnceLock<Vec<(Op, ExampleQuery)>> = OnceLock::new();
    EXAMPLES.get_or_init(example_queries)
}

/// A change to one dim: kept, scaled up or down, or set to an edge value.
fn dim_change() -> impl Strategy<Value = (u8, u32)> {
    (0u8..8, 1u32..64)
}

fn changed_dim(d: u32, (kind, k): (u8, u32)) -> u32 {
    match kind {
        0..=2 => d,
        3 => d.saturating_mul(k),
        4 => (d / k).max(1),
        5 => k,
        6 => k * 32,
        _ => [1, 31, 33, 1 << 20][k as usize % 4],
    }
}

/// Where a changed tensor lives.
#[derive(Debug, Clone)]
enum Placement {
    Interleaved {
        dram: bool,
    },
    /// In L1 over a grid of `x + 1` by `y + 1` cores, each shard the tensor's share (`even`)
    /// or of whatever size its last dims are.
    Sharded {
        layout: MemoryLayout,
        x: u8,
        y: u8,
        even: bool,
    },
}

/// A change to one tensor: its dims, and maybe its dtype, layout and placement.
#[derive(Debug, Clone)]
struct TensorChange {
    dims: Vec<(u8, u32)>,
    dtype: Option<DType>,
    layout: Option<Layout>,
    placement: Option<Placement>,
}

fn tensor_change() -> impl Strategy<Value = TensorChange> {
    let layouts = prop_oneof![Just(Layout::TILE), Just(Layout::RowMajor)];
    let sharding = prop_oneof![
        Just(MemoryLayout::HeightSharded),
        Just(MemoryLayout::WidthSharded),
        Just(MemoryLayout::BlockSharded),
    ];
    let placement = prop_oneof![
        any::<bool>().prop_map(|dram| Placement::Interleaved { dram }),
        (sharding, 0u8..14, 0u8..12, any::<bool>())
            .prop_map(|(layout, x, y, even)| Placement::Sharded { layout, x, y, even }),
    ];
    (
        proptest::collection::vec(dim_change(), 6),
        proptest::option::weighted(0.3, proptest::sample::select(DType::ALL.to_vec())),
        proptest::option::weighted(0.3, layouts),
        proptest::option::weighted(0.4, placement),
    )
        .prop_map(|(dims, dtype, layout, placement)| TensorChange {
            dims,
            dtype,
            layout,
            placement,
        })
}

/// `t` changed by `c`.
fn changed(t: &TensorParams, c: &TensorChange) -> TensorParams {
    let dims: Vec<u32> = t
        .shape()
        .dims()
        .iter()
        .zip(c.dims.iter().cycle())
        .map(|(&d, &change)| changed_dim(d, change))
        .collect();
    let memory = match c.placement {
        None => t.memory(),
        Some(Placement::Interleaved { dram: true }) => MemoryConfig::DRAM_INTERLEAVED,
        Some(Placement::Interleaved { dram: false }) => MemoryConfig::L1_INTERLEAVED,
        Some(Placement::Sharded { layout, x, y, even }) => {
            let width = dims.last().copied().unwrap_or(1);
            let rows: u32 = dims
                .iter()
                .rev()
                .skip(1)
                .fold(1u32, |a, &d| a.saturating_mul(d));
            let cores = (u32::from(x) + 1) * (u32::from(y) + 1);
            let share = |n: u32, by: u32| {
                n.div_ceil(by)
                    .checked_next_multiple_of(32)
                    .unwrap_or(u32::MAX)
            };
            let shard = match (layout, even) {
                (_, false) => [rows.min(4096), width.min(4096)],
                (MemoryLayout::HeightSharded, true) => [share(rows, cores), width],
                (MemoryLayout::WidthSharded, true) => [rows, share(width, cores)],
                _ => [
                    share(rows, u32::from(y) + 1),
                    share(width, u32::from(x) + 1),
                ],
            };
            let grid = CoreRange {
                start: (0, 0),
                end: (x, y),
            };
            MemoryConfig {
                buffer: BufferType::L1,
                layout,
                shard: Some(ShardSpec::new(grid, shard, ShardOrientation::RowMajor)),
            }
        }
    };
    TensorParams::new(
        Shape::new(&dims),
        c.dtype.unwrap_or(t.dtype()),
        c.layout.unwrap_or(t.layout()),
        memory,
    )
}

/// A value of `kind`: mostly small or at the edges of its range.
fn value_of(kind: ParamKind, pick: u64) -> ParamValue<'static> {
    match kind {
        ParamKind::Int { min, max } => {
            let edges = [min, max, 0, 1, 2, 3, 7, 32, 33, -1];
            let v = if pick % 3 == 0 {
                min.saturating_add(
                    (pick / 3) as i64 % (max.saturating_sub(min).saturating_add(1)).max(1),
                )
            } else {
                edges[(pick as usize / 3) % edges.len()]
            };
            ParamValue::Int(v.clamp(min, max))
        }
        ParamKind::Float { min, max } => {
            let edges = [min, max, 0.0, 0.5, 1.0, 2.0];
            ParamValue::Float(edges[pick as usize % edges.len()].clamp(min, max))
        }
        ParamKind::Bool => ParamValue::Bool(pick % 2 == 0),
        ParamKind::Enum { values } => ParamValue::Enum(values[pick as usize % values.len()]),
    }
}

proptest! {
    // `PROPTEST_CASES` runs more (a search for a failing query), 10,000 by default.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn queries_near_each_example_answer_soundly(
        device in proptest::sample::select(Device::ALL.to_vec()),
        which in any::<prop::sample::Index>(),
        inputs in proptest::collection::vec(proptest::option::weighted(0.6, tensor_change()), 4),
        output in proptest::option::weighted(0.6, tensor_change()),
        params in proptest::collection::vec(proptest::option::weighted(0.4, any::<u64>()), 16),
        grid in proptest::option::weighted(0.2, (1u8..14, 1u8..12)),
    ) {
        let (op, example) = &examples()[which.index(examples().len())];
        let inputs: Vec<TensorParams> = example
            .inputs
            .iter()
            .enumerate()
            .map(|(i, t)| inputs.get(i).and_then(Option::as_ref).map_or(*t, |c| changed(t, c)))
            .collect();
        let output = example.output.map(|t| output.as_ref().map_or(t, |c| changed(&t, c)));
        let mut query_params = example.params.clone();
        for (spec, pick) in op.params().iter().zip(&params) {
            if let Some(pick) = pick {
                query_params.retain(|p| p.key != spec.key);
                query_params.push(OpParam::new(spec.key, value_of(spec.kind, *pick)));
            }
        }
        let models = PerfModels::new(device);
        let mut q = Query::new(*op, &inputs).params(&query_params);
        if let Some(o) = &output {
            q = q.output(o);
        }
        if let Some((x, y)) = grid {
            q = q.grid(CoreGrid::new(x, y));
        }
        match models.query(&q) {
            Ok(e) => {
                prop_assert!(e.duration_ns.is_finite() && e.duration_ns > 0.0, "{op}: {e:?}");
                prop_assert_eq!(e.duration_ns, e.breakdown.duration_ns());
                prop_assert!(e.duration_ns >= e.breakdown.overhead_ns);
                if let Some((lo, hi)) = e.band_ns() {
                    prop_assert!(lo.is_finite() && hi.is_finite() && lo <= e.duration_ns && e.duration_ns <= hi, "{op}: {e:?}");
                }
            }
            Err(err) => prop_assert!(!err.to_string().is_empty()),
        }
    }
}
