//! Query latency: typed and string-keyed queries per formula family, `query_many` over 10^5
//! mixed queries, against the direct formula call (the floor) and the dynamic registry of the
//! seed design (the baseline). `cargo bench --bench query`; `examples/query_latency.rs`
//! measures the same cases in one run and prints the ratios.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use ttnn_op_perf_models::*;

mod cases;
use cases::{DEVICE, assert_dynamic_matches_typed, cases, dynamic_query, dynamic_registry, mixed};

fn queries(c: &mut Criterion) {
    let models = PerfModels::new(DEVICE);
    let cases = cases();
    let registry = dynamic_registry();
    assert_dynamic_matches_typed(&models, &registry, &cases);
    for case in &cases {
        let mut g = c.benchmark_group(case.family);
        let direct = case.direct();
        g.bench_function("direct", |b| b.iter(&direct));
        let typed = case.typed();
        g.bench_function("typed", |b| b.iter(|| models.query(black_box(&typed))));
        let named = case.by_name();
        g.bench_function("string", |b| b.iter(|| models.query(black_box(&named))));
        let params = case.string_params();
        g.bench_function("dynamic", |b| {
            b.iter(|| {
                dynamic_query(
                    &registry,
                    black_box(case.op.name()),
                    black_box(&params),
                    case,
                )
            })
        });
        g.finish();
    }
    let many = mixed(&cases, 100_000);
    let mut g = c.benchmark_group("query_many");
    g.throughput(Throughput::Elements(many.len() as u64));
    g.sample_size(20);
    g.bench_function("100k_mixed", |b| {
        b.iter(|| {
            models
                .query_many(black_box(&many))
                .filter(Result::is_ok)
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
