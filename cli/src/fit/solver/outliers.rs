//! The outlier rule: rows whose log ratio lies far from the median, less the rows that alone
//! inform a coefficient.

use super::input::is_free;
use super::problem::Problem;
use super::{OUTLIER_MADS, OUTLIER_MIN_LOG_RATIO};

impl Problem<'_> {
    /// `flagged` without the rows that alone inform some coefficient: left out, they would
    /// leave that coefficient unfitted, at a value they were judged by and cannot change.
    pub(super) fn judgeable(&self, flagged: Vec<usize>) -> Vec<usize> {
        let informed_by_kept = |j: usize| {
            self.rows
                .iter()
                .enumerate()
                .any(|(i, r)| r.features[j] != 0.0 && flagged.binary_search(&i).is_err())
        };
        let orphaned: Vec<usize> = (0..self.coefficients.len())
            .filter(|&j| is_free(self.coefficients, self.rows, j) && !informed_by_kept(j))
            .collect();
        if orphaned.is_empty() {
            return flagged;
        }
        flagged
            .into_iter()
            .filter(|&i| orphaned.iter().all(|&j| self.rows[i].features[j] == 0.0))
            .collect()
    }

    /// Rows of `rows` whose log ratio is an outlier under `values`, ascending.
    pub(super) fn outliers(&self, rows: &[usize], values: &[f64]) -> Vec<usize> {
        let log_ratio = |i: usize| {
            // A non-positive prediction is as far off as the smallest positive one.
            let pred = self.predict(i, values).max(f64::MIN_POSITIVE);
            (pred / self.rows[i].measured_ns).ln()
        };
        let ratios: Vec<f64> = rows.iter().map(|&i| log_ratio(i)).collect();
        let Some(center) = crate::stats::median(&mut ratios.clone()) else {
            return Vec::new();
        };
        let mut deviations: Vec<f64> = ratios.iter().map(|r| (r - center).abs()).collect();
        let mad = crate::stats::median(&mut deviations.clone()).unwrap_or(0.0);
        let threshold = (OUTLIER_MADS * 1.4826 * mad).max(OUTLIER_MIN_LOG_RATIO);
        deviations
            .drain(..)
            .zip(rows)
            .filter(|(d, _)| *d > threshold)
            .map(|(_, &i)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::fit::solver::tests::*;
    use crate::fit::solver::*;

    #[test]
    fn gross_outliers_are_flagged_and_not_fitted() {
        let coefficients = family();
        let mut rows = rows(300, &TRUTH);
        let bad = [3usize, 50, 51, 177, 299];
        for (k, factor) in bad.iter().zip([4.0, 0.2, 2.5, 1.0 / 3.0, 10.0]) {
            rows[*k].measured_ns *= factor;
        }
        let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
        assert_eq!(report.outliers, bad);
        assert_recovered(&report.coefficients, &TRUTH, 0.01);
    }

    #[test]
    fn rows_only_a_coefficient_starting_at_zero_explains_are_fitted_not_flagged() {
        // A latency per handshake that only every tenth row has, absent from the start
        // values and large enough that all those rows are far off at the start: flagged
        // against the start, they would leave the coefficient nothing to be fitted on.
        let mut coefficients = family();
        coefficients.push(coefficient("per_handshake", Term::Overhead, 0.0));
        let mut truth = TRUTH.to_vec();
        truth.push(1e6);
        let terms = terms(&coefficients);
        let rows: Vec<FitRow> = rows(300, &TRUTH)
            .into_iter()
            .enumerate()
            .map(|(i, mut row)| {
                row.features.push(if i % 10 == 0 { 20.0 } else { 0.0 });
                row.measured_ns =
                    Breakdown::combine(row.offset_ns, &terms, &truth, &row.features).duration_ns();
                row
            })
            .collect();
        let initial: Vec<f64> = coefficients.iter().map(|p| p.initial).collect();
        let handshake_rows: Vec<usize> = (0..rows.len()).step_by(10).collect();
        let all: Vec<usize> = (0..rows.len()).collect();
        let problem = Problem::new(&coefficients, &rows, Loss::Squared, 0.0);
        assert_eq!(problem.outliers(&all, &initial), handshake_rows);
        let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
        assert!(report.outliers.is_empty(), "{:?}", report.outliers);
        assert_recovered(&report.coefficients, &truth, 0.01);
    }

    #[test]
    fn small_deviations_of_a_good_fit_are_not_outliers() {
        let coefficients = family();
        let mut rows = rows(300, &TRUTH);
        // Most rows exact, a few 20% off: far in MADs (the MAD is ~0), but within ln 1.5.
        for k in [10, 20, 30] {
            rows[k].measured_ns *= 1.2;
        }
        let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
        assert!(report.outliers.is_empty(), "{:?}", report.outliers);
    }

    #[test]
    fn rows_that_alone_inform_a_coefficient_are_not_left_out() {
        // `b` is informed by rows 3 and 4 only; `a` by every row; `fixed` has no room.
        let coefficients = vec![
            coefficient("a", Term::Compute, 1.0),
            coefficient("b", Term::Compute, 1.0),
            FitCoefficient {
                min: 2.0,
                max: 2.0,
                ..coefficient("fixed", Term::Compute, 2.0)
            },
        ];
        let row = |b: f64| FitRow {
            features: vec![1.0, b, 1.0],
            offset_ns: 0.0,
            measured_ns: 10.0,
            weight: 1.0,
        };
        let rows = vec![row(0.0), row(0.0), row(0.0), row(1.0), row(1.0)];
        let problem = Problem::new(&coefficients, &rows, Loss::Squared, 0.0);
        // Leaving out both rows of `b` would leave it unfitted: they stay in.
        assert_eq!(problem.judgeable(vec![1, 3, 4]), vec![1]);
        // With row 4 kept, `b` is still fitted: row 3 can be left out.
        assert_eq!(problem.judgeable(vec![1, 3]), vec![1, 3]);
        // `a` is informed by rows 0 and 2 as well.
        assert_eq!(problem.judgeable(vec![1, 2, 3]), vec![1, 2, 3]);
    }
}
