//! Tests of the whole fit on rows generated from known coefficients; the generators here also
//! serve each stage's own tests.

use super::*;

pub(super) const INF: f64 = f64::INFINITY;

pub(super) fn coefficient(name: &str, term: Term, initial: f64) -> FitCoefficient {
    FitCoefficient {
        name: name.into(),
        term,
        min: 0.0,
        max: INF,
        initial,
    }
}

/// A family with several coefficients per term, started away from `TRUTH`.
pub(super) fn family() -> Vec<FitCoefficient> {
    vec![
        coefficient("launch", Term::Overhead, 1000.0),
        coefficient("per_core", Term::Overhead, 30.0),
        coefficient("per_tile", Term::Compute, 20.0),
        coefficient("per_hifi_tile", Term::Compute, 50.0),
        coefficient("per_byte", Term::Dram, 0.1),
        coefficient("per_page", Term::Dram, 2.0),
        coefficient("per_noc_byte", Term::Noc, 0.05),
    ]
}

pub(super) const TRUTH: [f64; 7] = [2000.0, 15.0, 40.0, 25.0, 0.05, 4.0, 0.1];

/// splitmix64: deterministic, well-spread test inputs.
pub(super) struct Rng(u64);
impl Rng {
    pub(super) fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Log-uniform in [lo, hi).
    pub(super) fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + self.next() * (hi.ln() - lo.ln())).exp().round()
    }
}

pub(super) fn terms(coefficients: &[FitCoefficient]) -> Vec<Term> {
    coefficients.iter().map(|p| p.term).collect()
}

/// Rows measured exactly under `truth`, with features spread so that every roof binds on
/// a good share of them.
pub(super) fn rows(n: usize, truth: &[f64]) -> Vec<FitRow> {
    let terms = terms(&family());
    let mut rng = Rng(42);
    (0..n)
        .map(|i| {
            let cores = rng.log_uniform(1.0, 64.0);
            let tiles = rng.log_uniform(1.0, 4000.0);
            let hifi = if i % 3 == 0 {
                0.0
            } else {
                tiles * (i % 3) as f64
            };
            let bytes = rng.log_uniform(2048.0, 8e6);
            let pages = rng.log_uniform(1.0, 5000.0);
            let noc = rng.log_uniform(2048.0, 4e6);
            let features = vec![1.0, cores, tiles, hifi, bytes, pages, noc];
            let offset_ns = 500.0 + 10.0 * (i % 4) as f64;
            let measured_ns = Breakdown::combine(offset_ns, &terms, truth, &features).duration_ns();
            FitRow {
                features,
                offset_ns,
                measured_ns,
                weight: 1.0,
            }
        })
        .collect()
}

pub(super) fn assert_recovered(got: &[f64], want: &[f64], tolerance: f64) {
    assert_eq!(got.len(), want.len());
    for (j, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            ((g - w) / w).abs() <= tolerance,
            "coefficient {j}: got {g}, want {w} (all: {got:?})"
        );
    }
}

/// Weighted objective computed here, independently of the solver.
pub(super) fn objective(coefficients: &[FitCoefficient], values: &[f64], rows: &[FitRow]) -> f64 {
    let terms = terms(coefficients);
    rows.iter()
        .map(|r| {
            let p = Breakdown::combine(r.offset_ns, &terms, values, &r.features).duration_ns();
            ((p - r.measured_ns) / r.measured_ns).powi(2)
        })
        .sum()
}

#[test]
fn the_prior_pulls_towards_the_initial_values() {
    let coefficients = family();
    let rows = rows(300, &TRUTH);
    let initial: Vec<f64> = coefficients.iter().map(|p| p.initial).collect();
    // No pull: the truth; an overwhelming pull: the start.
    assert_recovered(
        &fit(&coefficients, &rows, Loss::Squared, 0.0)
            .unwrap()
            .coefficients,
        &TRUTH,
        0.01,
    );
    let held = fit(&coefficients, &rows, Loss::Squared, 1e9)
        .unwrap()
        .coefficients;
    assert_recovered(&held, &initial, 0.01);
    // In between, every coefficient the data moves lies between its start and the truth,
    // and the fit is worse on the rows than the unpulled one.
    let between = fit(&coefficients, &rows, Loss::Squared, 0.1).unwrap();
    for (j, v) in between.coefficients.iter().enumerate() {
        let (lo, hi) = (initial[j].min(TRUTH[j]), initial[j].max(TRUTH[j]));
        assert!(
            (lo * 0.999..=hi * 1.001).contains(v),
            "coefficient {j}: {v} not within {lo}..{hi}"
        );
    }
    assert!(
        objective(&coefficients, &between.coefficients, &rows)
            > objective(&coefficients, &TRUTH, &rows)
    );
}

#[test]
fn test_data_exercises_every_roof() {
    let terms = terms(&family());
    let rows = rows(300, &TRUTH);
    let mut counts = [0usize; 3];
    for r in &rows {
        let b = Breakdown::combine(r.offset_ns, &terms, &TRUTH, &r.features);
        let top = b.compute_ns.max(b.dram_ns).max(b.noc_ns);
        let k = [b.compute_ns, b.dram_ns, b.noc_ns]
            .iter()
            .position(|v| *v == top)
            .unwrap();
        counts[k] += 1;
    }
    assert!(counts.iter().all(|c| *c >= 40), "{counts:?}");
}

#[test]
fn recovers_known_coefficients() {
    let coefficients = family();
    let rows = rows(300, &TRUTH);
    let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
    assert_recovered(&report.coefficients, &TRUTH, 0.01);
    assert!(report.converged);
    assert!(report.outliers.is_empty());
    assert!(report.unidentified.is_empty());
    assert!(report.at_bound.is_empty());
    assert!(report.objective < 1e-12, "{}", report.objective);
}

#[test]
fn absolute_loss_recovers_known_coefficients() {
    let coefficients = family();
    let rows = rows(300, &TRUTH);
    let report = fit(&coefficients, &rows, Loss::Absolute, 0.0).unwrap();
    assert_recovered(&report.coefficients, &TRUTH, 0.01);
    assert!(report.outliers.is_empty());
}

#[test]
fn absolute_loss_aims_at_the_median_of_a_skewed_spread() {
    // One query measured five times, two of them slow: the squared loss lands between
    // the clusters, the absolute one near the median (the fast cluster).
    let coefficients = vec![coefficient("launch", Term::Overhead, 500.0)];
    let row = |measured_ns| FitRow {
        features: vec![1.0],
        offset_ns: 0.0,
        measured_ns,
        weight: 1.0,
    };
    let rows: Vec<FitRow> = [1000.0, 1010.0, 1020.0, 1300.0, 1320.0]
        .into_iter()
        .map(row)
        .collect();
    let squared = fit(&coefficients, &rows, Loss::Squared, 0.0)
        .unwrap()
        .coefficients[0];
    let absolute = fit(&coefficients, &rows, Loss::Absolute, 0.0)
        .unwrap()
        .coefficients[0];
    assert!((1050.0..1250.0).contains(&squared), "{squared}");
    assert!((1000.0..=1025.0).contains(&absolute), "{absolute}");
}

#[test]
fn a_row_of_weight_three_counts_as_three_rows() {
    // Σ w ((c - y) / y)² over 1000 (weight 3) and 1100: c = (3/1000 + 1/1100) /
    // (3/1000² + 1/1100²), the same as with 1000 given three times.
    let coefficients = vec![coefficient("launch", Term::Overhead, 500.0)];
    let row = |measured_ns, weight| FitRow {
        features: vec![1.0],
        offset_ns: 0.0,
        measured_ns,
        weight,
    };
    let weighted = [row(1000.0, 3.0), row(1100.0, 1.0)];
    let repeated = [
        row(1000.0, 1.0),
        row(1000.0, 1.0),
        row(1000.0, 1.0),
        row(1100.0, 1.0),
    ];
    let want = (3.0 / 1000.0 + 1.0 / 1100.0) / (3.0 / 1e6 + 1.0 / 1.21e6);
    for rows in [&weighted[..], &repeated[..]] {
        let got = fit(&coefficients, rows, Loss::Squared, 0.0)
            .unwrap()
            .coefficients[0];
        assert!((got - want).abs() < 1e-6 * want, "{got} vs {want}");
    }
    assert!(matches!(
        fit(&coefficients, &[row(1000.0, 0.0)], Loss::Squared, 0.0),
        Err(FitError::BadWeight { row: 0, .. })
    ));
}

#[test]
fn mild_noise_still_recovers_and_beats_start_and_truth() {
    let coefficients = family();
    let mut rows = rows(300, &TRUTH);
    let mut rng = Rng(7);
    for r in &mut rows {
        r.measured_ns *= 1.0 + 0.004 * (2.0 * rng.next() - 1.0);
    }
    let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
    assert_recovered(&report.coefficients, &TRUTH, 0.01);
    assert!(report.outliers.is_empty());
    let initial: Vec<f64> = coefficients.iter().map(|p| p.initial).collect();
    let got = objective(&coefficients, &report.coefficients, &rows);
    assert_eq!(got, report.objective);
    assert!(got <= objective(&coefficients, &initial, &rows));
    // The least-squares optimum fits noisy data at least as well as the truth does.
    assert!(got <= objective(&coefficients, &TRUTH, &rows) * (1.0 + 1e-9));
}

#[test]
fn coefficient_without_data_keeps_its_initial_value() {
    let mut coefficients = family();
    coefficients.push(coefficient("unused", Term::Noc, 0.25));
    let mut rows = rows(300, &TRUTH);
    for r in &mut rows {
        r.features.push(0.0);
    }
    let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
    assert_eq!(report.unidentified, [7]);
    assert_eq!(report.coefficients[7], 0.25);
    assert_recovered(&report.coefficients[..7], &TRUTH, 0.01);
}

#[test]
fn fixed_coefficient_stays_fixed() {
    let mut coefficients = family();
    coefficients[0].min = 2000.0;
    coefficients[0].max = 2000.0;
    coefficients[0].initial = 2000.0;
    let rows = rows(300, &TRUTH);
    let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
    assert_eq!(report.coefficients[0], 2000.0);
    assert!(report.at_bound.is_empty());
    assert_recovered(&report.coefficients, &TRUTH, 0.01);
}

#[test]
fn deterministic() {
    let coefficients = family();
    let mut rows = rows(200, &TRUTH);
    let mut rng = Rng(9);
    for r in &mut rows {
        r.measured_ns *= 1.0 + 0.05 * (2.0 * rng.next() - 1.0);
    }
    rows[17].measured_ns *= 6.0;
    let a = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
    let b = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
    let bits = |r: &FitReport| {
        r.coefficients
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&a), bits(&b));
    assert_eq!(a.objective.to_bits(), b.objective.to_bits());
    assert_eq!(a.outliers, b.outliers);
}

#[test]
fn output_is_finite_on_degenerate_input() {
    // Huge and tiny features, and rows a model cannot fit well: still finite output.
    let coefficients = family();
    let mut rows = rows(50, &TRUTH);
    rows[0].features[4] = 1e300;
    rows[1].features[6] = 1e-300;
    rows[2].measured_ns = 1e-300;
    let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
    assert!(report.coefficients.iter().all(|v| v.is_finite()));
    assert!(report.objective.is_finite());
    // A feature so large for its duration that its error overflows: that row is an
    // outlier, and the rest still fit.
    rows[3].features[4] = f64::MAX;
    rows[3].measured_ns = 1e-300;
    let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
    assert!(report.outliers.contains(&3), "{:?}", report.outliers);
    assert!(report.coefficients.iter().all(|v| v.is_finite()));
    assert!(report.objective.is_finite());
}

#[test]
fn predict_matches_breakdown() {
    let coefficients = family();
    let row = &rows(1, &TRUTH)[0];
    assert_eq!(predict(&coefficients, &TRUTH, row), row.measured_ns);
}
