//! Query latency in one run: ns per query for the direct formula call, the typed query, the
//! string-keyed query and the dynamic registry of the seed design, per formula family, and
//! `query_many` over 10^5 mixed queries. Prints a table, then one JSON object on the last line.
//!
//! `cargo run --release --example query_latency`
//!
//! Each figure is the median of 7 timed rounds; timings on a shared machine are noisy, the
//! ratios between cases measured in the same run much less so.

#[path = "../benches/cases.rs"]
mod cases;

use cases::{DEVICE, assert_dynamic_matches_typed, cases, dynamic_query, dynamic_registry, mixed};
use std::hint::black_box;
use std::time::Instant;
use ttnn_op_perf_models::*;

/// Median over rounds of the ns per call of `f`, called `n` times per round.
fn ns_per_call(n: u32, mut f: impl FnMut()) -> f64 {
    for _ in 0..n / 10 {
        f();
    }
    let mut rounds: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..n {
                f();
            }
            start.elapsed().as_nanos() as f64 / f64::from(n)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() {
    let models = PerfModels::new(DEVICE);
    let cases = cases();
    let registry = dynamic_registry();
    // The baseline computes the same durations as the typed query, or the run stops.
    assert_dynamic_matches_typed(&models, &registry, &cases);
    let n = 200_000;
    let (mut direct, mut typed, mut string, mut dynamic) = (vec![], vec![], vec![], vec![]);
    let mut families = vec![];
    println!(
        "{:<26} {:>10} {:>10} {:>10} {:>10}",
        "family (ns/query)", "direct", "typed", "string", "dynamic"
    );
    for case in &cases {
        let floor = case.direct();
        let d = ns_per_call(n, || {
            black_box(floor());
        });
        let q = case.typed();
        let t = ns_per_call(n, || {
            let _ = black_box(models.query(black_box(&q)));
        });
        let q = case.by_name();
        let s = ns_per_call(n, || {
            let _ = black_box(models.query(black_box(&q)));
        });
        let params = case.string_params();
        let y = ns_per_call(n / 10, || {
            let _ = black_box(dynamic_query(
                &registry,
                black_box(case.op.name()),
                black_box(&params),
                case,
            ));
        });
        println!(
            "{:<26} {d:>10.1} {t:>10.1} {s:>10.1} {y:>10.1}",
            case.family
        );
        families.push(format!(
            "\"{}\": {{\"direct\": {d:.1}, \"typed\": {t:.1}, \"string\": {s:.1}, \"dynamic\": {y:.1}}}",
            case.family
        ));
        direct.push(d);
        typed.push(t);
        string.push(s);
        dynamic.push(y);
    }
    // Each family's example with every tensor 256 times as tall (the second-to-last dim: a
    // longer sequence, more rows): the cost of a query is bounded by the card, not by the
    // tensor. Examples that no longer fit (a shard spec sized for the example) are skipped.
    let mut scaled = vec![];
    for case in &cases {
        let taller = |t: &TensorParams| {
            let mut dims = t.shape().dims().to_vec();
            let n = dims.len();
            if n >= 2 && t.memory().shard.is_none() {
                dims[n - 2] = dims[n - 2].saturating_mul(256);
            }
            TensorParams::new(Shape::new(&dims), t.dtype(), t.layout(), t.memory())
        };
        let inputs: Vec<TensorParams> = case.inputs.iter().map(taller).collect();
        let output = case.output.as_ref().map(taller);
        let mut q = Query::typed(case.typed, &inputs);
        if let Some(o) = &output {
            q = q.output(o);
        }
        if models.query(&q).is_err() {
            continue;
        }
        let base = case.typed();
        let (b, t) = (
            ns_per_call(n / 10, || {
                let _ = black_box(models.query(black_box(&base)));
            }),
            ns_per_call(n / 10, || {
                let _ = black_box(models.query(black_box(&q)));
            }),
        );
        scaled.push((case.family, t / b));
    }
    let (widest, most) = scaled
        .iter()
        .fold(("", 0.0f64), |m, &(f, r)| if r > m.1 { (f, r) } else { m });
    println!(
        "256x taller tensors, typed: {} of {} families, at most {most:.2}x the example's ns/query ({widest})",
        scaled.len(),
        cases.len()
    );
    let many = mixed(&cases, 100_000);
    let per_query = ns_per_call(3, || {
        black_box(
            models
                .query_many(black_box(&many))
                .filter(Result::is_ok)
                .count(),
        );
    }) / many.len() as f64;
    println!(
        "query_many over {} mixed queries: {per_query:.1} ns/query",
        many.len()
    );
    let (d, t, s, y) = (
        median(direct),
        median(typed),
        median(string),
        median(dynamic),
    );
    println!(
        "{{\"device\": \"{}\", \"direct_ns\": {d:.1}, \"typed_ns\": {t:.1}, \"string_ns\": {s:.1}, \"dynamic_ns\": {y:.1}, \"query_many_ns\": {per_query:.1}, \"typed_over_direct\": {:.2}, \"string_over_direct\": {:.2}, \"dynamic_over_typed\": {:.1}, \"taller_over_example\": {most:.2}, \"families\": {{{}}}}}",
        DEVICE,
        t / d,
        s / d,
        y / t,
        families.join(", ")
    );
}
