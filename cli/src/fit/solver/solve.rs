//! The fit of one set of rows: from several starts, alternating roof assignment, each step a
//! bounded weighted least-squares solve by SVD.

use super::input::is_free;
use super::problem::{Outcome, Problem};
use super::{FitError, Loss, MAX_ASSIGNMENT_ROUNDS, START_SCALES};
use nalgebra::{DMatrix, DVector};
use ttnn_op_perf_models::Term;

/// Singular values below this fraction of the largest are treated as zero (rank deficiency).
const RANK_TOLERANCE: f64 = 1e-10;

impl Problem<'_> {
    /// The best of [`Self::fit_rows`] from `initial` and from `initial` with one roof's
    /// coefficients, or one coefficient, scaled by each of [`START_SCALES`]. Alternating assignment only moves the
    /// coefficients of roofs that bind somewhere, so a roof that binds nowhere at the start
    /// (DRAM for wide dtypes, say) would keep its start values; the scaled starts let it bind.
    pub(super) fn fit_from_starts(
        &self,
        rows: &[usize],
        initial: &[f64],
    ) -> Result<Outcome, FitError> {
        let free = |j: usize| is_free(self.coefficients, self.rows, j);
        let clamp = |j: usize, x: f64| x.clamp(self.coefficients[j].min, self.coefficients[j].max);
        let mut starts: Vec<Vec<f64>> = Vec::new();
        // Each roof's free coefficients scaled together.
        for roof in [Term::Compute, Term::Dram, Term::Noc] {
            for scale in START_SCALES {
                starts.push(
                    (0..initial.len())
                        .map(|j| {
                            if self.coefficients[j].term == roof && free(j) {
                                clamp(j, initial[j] * scale)
                            } else {
                                initial[j]
                            }
                        })
                        .collect(),
                );
            }
        }
        // And each free coefficient alone: when the coefficients of one roof only ever bind together
        // (a unary op's DRAM reads and writes are equal wherever DRAM binds at the start), a
        // start that raises one of them is what lets rows that only it informs bind.
        for j in (0..initial.len()).filter(|&j| free(j)) {
            for scale in START_SCALES {
                let mut start = initial.to_vec();
                start[j] = clamp(j, initial[j] * scale);
                starts.push(start);
            }
        }
        let mut best = self.fit_rows(rows, initial)?;
        let mut best_objective = self.objective(rows, &best.coefficients);
        for start in starts.iter().filter(|s| s.as_slice() != initial) {
            let outcome = self.fit_rows(rows, start)?;
            let objective = self.objective(rows, &outcome.coefficients);
            // Strictly better only: ties keep the earlier start, for determinism.
            if objective < best_objective {
                best = outcome;
                best_objective = objective;
            }
        }
        Ok(best)
    }

    /// Alternating assignment from `start`, on `rows`; keeps the best iterate.
    pub(super) fn fit_rows(&self, rows: &[usize], start: &[f64]) -> Result<Outcome, FitError> {
        let assign = |values: &[f64]| -> Vec<Option<Term>> {
            rows.iter().map(|&i| self.binding_roof(i, values)).collect()
        };
        let mut best = start.to_vec();
        let mut best_objective = self.objective(rows, start);
        let mut current = start.to_vec();
        let mut assignment = assign(&current);
        let mut weights = self.weights(rows, &current);
        let mut iterations = 0;
        let mut converged = false;
        while iterations < MAX_ASSIGNMENT_ROUNDS {
            iterations += 1;
            current = self.solve_assigned(rows, &assignment, &weights, &current)?;
            let objective = self.objective(rows, &current);
            // The absolute loss iterates its weights too: done when they no longer improve it.
            let improved = objective < best_objective * (1.0 - 1e-9);
            if objective < best_objective {
                best_objective = objective;
                best.clone_from(&current);
            }
            let next = assign(&current);
            if next == assignment && (self.loss == Loss::Squared || !improved) {
                converged = true;
                break;
            }
            assignment = next;
            weights = self.weights(rows, &current);
        }
        Ok(Outcome {
            coefficients: best,
            converged,
        })
    }

    /// The bounded weighted least-squares solution of the linear model in which row `rows[k]`
    /// has its overhead features plus those of roof `assignment[k]` and weight `weights[k]`,
    /// starting from `current` (which is within bounds).
    pub(super) fn solve_assigned(
        &self,
        rows: &[usize],
        assignment: &[Option<Term>],
        weights: &[f64],
        current: &[f64],
    ) -> Result<Vec<f64>, FitError> {
        let n = self.coefficients.len();
        // Row scales: 1/y makes the errors relative; the square root of the weight weighs
        // the squared error by it.
        let scale: Vec<f64> = rows
            .iter()
            .zip(weights)
            .map(|(&i, w)| w.sqrt() / self.rows[i].measured_ns)
            .collect();
        // Design matrix, scaled: entry (k, j) is f_kj * scale_k where coefficient j is in the
        // row's model, else 0; then one row per coefficient for the prior (all zero without
        // one), pulling it towards its initial value.
        let m = rows.len();
        let prior_rows = if self.prior.iter().any(|&p| p > 0.0) {
            n
        } else {
            0
        };
        let design = DMatrix::from_fn(m + prior_rows, n, |k, j| {
            if k >= m {
                return if k - m == j { self.prior[j] } else { 0.0 };
            }
            let term = self.terms[j];
            let used = term == Term::Overhead || assignment[k] == Some(term);
            if used {
                self.rows[rows[k]].features[j] * scale[k]
            } else {
                0.0
            }
        });
        let mut values = current.to_vec();
        let mut free: Vec<usize> = (0..n)
            .filter(|&j| {
                // An overflowing column cannot be scaled; such a coefficient keeps its value.
                let norm = design.column(j).norm();
                self.coefficients[j].min < self.coefficients[j].max
                    && norm > 0.0
                    && norm.is_finite()
            })
            .collect();
        while !free.is_empty() {
            // Residual of the assigned linear model at `values`, scaled.
            let residual = DVector::from_fn(m + prior_rows, |k, _| {
                if k >= m {
                    let j = k - m;
                    return self.prior[j] * (self.coefficients[j].initial - values[j]);
                }
                let row = &self.rows[rows[k]];
                let modeled: f64 = (0..n).map(|j| design[(k, j)] * values[j]).sum();
                (row.measured_ns - row.offset_ns) * scale[k] - modeled
            });
            let step = solve_columns(&design, &free, &residual)?;
            let trial: Vec<f64> = values
                .iter()
                .enumerate()
                .map(|(j, v)| match free.iter().position(|&f| f == j) {
                    Some(k) => v + step[k],
                    None => *v,
                })
                .collect();
            let outside: Vec<usize> = free
                .iter()
                .copied()
                .filter(|&j| {
                    !(self.coefficients[j].min..=self.coefficients[j].max).contains(&trial[j])
                })
                .collect();
            values = trial;
            if outside.is_empty() {
                break;
            }
            for &j in &outside {
                values[j] = values[j].clamp(self.coefficients[j].min, self.coefficients[j].max);
            }
            free.retain(|j| !outside.contains(j));
        }
        // A solve can only produce non-finite values from overflowing features; keep the start.
        if values.iter().any(|v| !v.is_finite()) {
            return Ok(current.to_vec());
        }
        Ok(values)
    }
}

/// Least squares `design[:, cols] · x ≈ rhs` by SVD, columns scaled to unit norm so that
/// features of very different magnitudes (tiles, bytes) are treated alike by the rank
/// tolerance; rank-deficient directions get the minimum-norm (i.e. no) change.
fn solve_columns(
    design: &DMatrix<f64>,
    cols: &[usize],
    rhs: &DVector<f64>,
) -> Result<Vec<f64>, FitError> {
    let norms: Vec<f64> = cols.iter().map(|&j| design.column(j).norm()).collect();
    let a = DMatrix::from_fn(design.nrows(), cols.len(), |k, c| {
        design[(k, cols[c])] / norms[c]
    });
    let svd = a
        .try_svd(true, true, f64::EPSILON, 10_000)
        .ok_or(FitError::Solver)?;
    let largest = svd.singular_values.max();
    let x = svd
        .solve(rhs, largest * RANK_TOLERANCE)
        .map_err(|_| FitError::Solver)?;
    Ok(x.iter().zip(&norms).map(|(x, n)| x / n).collect())
}

#[cfg(test)]
mod tests {
    use crate::fit::solver::tests::*;
    use crate::fit::solver::*;

    #[test]
    fn bounds_are_respected() {
        let mut coefficients = family();
        coefficients[2].max = 30.0; // truth 40
        coefficients[2].initial = 25.0;
        coefficients[4].min = 0.07; // truth 0.05
        coefficients[4].initial = 0.09;
        let rows = rows(300, &TRUTH);
        let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
        for (p, v) in coefficients.iter().zip(&report.coefficients) {
            assert!(p.min <= *v && *v <= p.max, "{} = {v}", p.name);
        }
        assert_eq!(report.coefficients[2], 30.0);
        assert_eq!(report.coefficients[4], 0.07);
        assert_eq!(report.at_bound, [2, 4]);
        let initial: Vec<f64> = coefficients.iter().map(|p| p.initial).collect();
        assert!(report.objective <= objective(&coefficients, &initial, &rows));
    }

    #[test]
    fn bound_coefficient_is_clamped_and_the_rest_refitted() {
        // y = a + b x with a = 100, b = 10; b may not exceed 5. With b at 5, the best a
        // minimises Σ ((a + 5x - y) / y)², i.e. a = Σ ((y - 5x) / y²) / Σ (1 / y²).
        let coefficients = vec![
            coefficient("a", Term::Overhead, 1.0),
            FitCoefficient {
                max: 5.0,
                ..coefficient("b", Term::Overhead, 1.0)
            },
        ];
        let rows: Vec<FitRow> = (1..=20)
            .map(|x| {
                let x = f64::from(x);
                FitRow {
                    features: vec![1.0, x],
                    offset_ns: 0.0,
                    measured_ns: 100.0 + 10.0 * x,
                    weight: 1.0,
                }
            })
            .collect();
        let num: f64 = rows
            .iter()
            .map(|r| (r.measured_ns - 5.0 * r.features[1]) / r.measured_ns.powi(2))
            .sum();
        let den: f64 = rows.iter().map(|r| r.measured_ns.powi(-2)).sum();
        let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
        assert_eq!(report.coefficients[1], 5.0);
        assert!((report.coefficients[0] - num / den).abs() < 1e-9 * (num / den));
    }

    #[test]
    fn a_coefficient_that_binds_only_when_raised_alone_is_fitted() {
        // A unary op's DRAM reads `r` and writes `w`: equal on the rows where DRAM binds at
        // the start (in DRAM, out DRAM), so raising the DRAM roof raises both, and the many
        // read-only rows (in DRAM, out L1) pull it back; the rows that write only (in L1, out
        // DRAM) bind on DRAM only once `w` alone is raised. Without the one-coefficient starts
        // this lands on r = w = 1.75.
        let coefficients = vec![
            coefficient("per_tile", Term::Compute, 1000.0),
            coefficient("r", Term::Dram, 1.0),
            coefficient("w", Term::Dram, 1.0),
        ];
        let truth = [1000.0, 0.5, 3.0];
        let mut rows = Vec::new();
        for k in 0..20 {
            let tiles = 1.0 + (k % 5) as f64;
            let bytes = tiles * (300.0 + 10.0 * k as f64);
            let read_only = (bytes, 0.0);
            for (read, write) in [
                (bytes, bytes),
                (0.0, bytes),
                read_only,
                read_only,
                read_only,
            ] {
                let features = vec![tiles, read, write];
                let b = Breakdown::combine(0.0, &terms(&coefficients), &truth, &features);
                rows.push(FitRow {
                    features,
                    offset_ns: 0.0,
                    measured_ns: b.duration_ns(),
                    weight: 1.0,
                });
            }
        }
        let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
        assert_recovered(&report.coefficients, &truth, 0.01);
    }

    #[test]
    fn a_roof_that_binds_only_when_raised_far_is_fitted() {
        // The compute roof starts 10x below the truth: at 4x it still binds on no row, so
        // the alternating fit never moves it; the 16x start lets the compute-bound rows bind.
        let coefficients = vec![
            coefficient("per_tile", Term::Compute, 10.0),
            coefficient("per_byte", Term::Dram, 1.0),
        ];
        let truth = [100.0, 1.0];
        let rows: Vec<FitRow> = (0..40)
            .map(|k| {
                let compute_bound = k % 2 == 0;
                let tiles = 8.0 + (k % 5) as f64;
                // Compute-bound rows: 10 tiles against 500 bytes (at truth 1000 ns against
                // 500; at the start 100 against 500); the others are DRAM-bound throughout.
                let bytes = if compute_bound { 500.0 } else { 5000.0 } + 10.0 * k as f64;
                let features = vec![tiles, bytes];
                let b = Breakdown::combine(0.0, &terms(&coefficients), &truth, &features);
                FitRow {
                    features,
                    offset_ns: 0.0,
                    measured_ns: b.duration_ns(),
                    weight: 1.0,
                }
            })
            .collect();
        let report = fit(&coefficients, &rows, Loss::Squared, 0.0).unwrap();
        assert_recovered(&report.coefficients, &truth, 0.01);
    }
}
