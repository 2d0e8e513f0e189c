//! The weighted problem: the rows' relative errors under a set of values, each row's weight
//! (and the absolute loss's reweighting), the pull of the physics prior, and the roof that
//! binds on each row.

use super::input::is_free;
use super::{FitCoefficient, FitRow, IRLS_FLOOR, Loss};
use ttnn_op_perf_models::{Breakdown, Term};

/// The roofs, in the order that breaks ties.
const ROOFS: [Term; 3] = [Term::Compute, Term::Dram, Term::Noc];

/// Validated input.
pub(super) struct Problem<'a> {
    pub(super) coefficients: &'a [FitCoefficient],
    pub(super) rows: &'a [FitRow],
    pub(super) terms: Vec<Term>,
    pub(super) loss: Loss,
    /// Per coefficient, the square root of the prior's weight on it: `sqrt(λ W) s_j` (see
    /// [`Problem::new`]); 0 where there is no prior.
    pub(super) prior: Vec<f64>,
}

/// One fit on a set of rows.
pub(super) struct Outcome {
    pub(super) coefficients: Vec<f64>,
    pub(super) converged: bool,
}

impl<'a> Problem<'a> {
    /// With `prior_weight` λ > 0 the objective adds `λ W Σ_j (s_j (θ_j - θ0_j))²`, where
    /// `θ0` are the initial values, `W` the rows' total weight and `s_j` the weighted RMS of
    /// coefficient `j`'s relative feature `f_ij / y_i`: moving a coefficient so far from its start
    /// that it shifts the average row by a fraction δ costs λ times what shifting every row
    /// by δ costs. Scale-free, so one λ suits every family.
    pub(super) fn new(
        coefficients: &'a [FitCoefficient],
        rows: &'a [FitRow],
        loss: Loss,
        prior_weight: f64,
    ) -> Self {
        let terms = coefficients.iter().map(|p| p.term).collect();
        let total: f64 = rows.iter().map(|r| r.weight).sum();
        let prior = (0..coefficients.len())
            .map(|j| {
                if prior_weight.is_nan() || prior_weight <= 0.0 || total <= 0.0 {
                    return 0.0;
                }
                let mean_square = rows
                    .iter()
                    .map(|r| r.weight * (r.features[j] / r.measured_ns).powi(2))
                    .sum::<f64>()
                    / total;
                let s = (prior_weight * total * mean_square).sqrt();
                if s.is_finite() { s } else { 0.0 }
            })
            .collect();
        Problem {
            coefficients,
            rows,
            terms,
            loss,
            prior,
        }
    }

    /// The prior's part of the objective at `values`.
    pub(super) fn penalty(&self, values: &[f64]) -> f64 {
        self.prior
            .iter()
            .zip(values.iter().zip(self.coefficients))
            .map(|(s, (v, p))| (s * (v - p.initial)).powi(2))
            .sum()
    }

    pub(super) fn free_count(&self) -> usize {
        (0..self.coefficients.len())
            .filter(|&j| is_free(self.coefficients, self.rows, j))
            .count()
    }

    pub(super) fn breakdown(&self, row: usize, values: &[f64]) -> Breakdown {
        let r = &self.rows[row];
        Breakdown::combine(r.offset_ns, &self.terms, values, &r.features)
    }

    pub(super) fn predict(&self, row: usize, values: &[f64]) -> f64 {
        self.breakdown(row, values).duration_ns()
    }

    /// The relative error `(pred - y) / y` of row `i`.
    pub(super) fn relative_error(&self, i: usize, values: &[f64]) -> f64 {
        let y = self.rows[i].measured_ns;
        (self.predict(i, values) - y) / y
    }

    /// The loss over `rows`: `Σ r²` or `Σ |r|`, plus the prior's penalty.
    pub(super) fn objective(&self, rows: &[usize], values: &[f64]) -> f64 {
        rows.iter()
            .map(|&i| {
                let r = self.relative_error(i, values);
                self.rows[i].weight
                    * match self.loss {
                        Loss::Squared => r * r,
                        Loss::Absolute => r.abs(),
                    }
            })
            .sum::<f64>()
            + self.penalty(values)
    }

    /// The weight of each of `rows` in the next linear step: 1, or for the absolute loss
    /// `1 / max(|r|, IRLS_FLOOR)` at `values`.
    pub(super) fn weights(&self, rows: &[usize], values: &[f64]) -> Vec<f64> {
        rows.iter()
            .map(|&i| {
                self.rows[i].weight
                    * match self.loss {
                        Loss::Squared => 1.0,
                        Loss::Absolute => {
                            1.0 / self.relative_error(i, values).abs().max(IRLS_FLOOR)
                        }
                    }
            })
            .collect()
    }

    /// The roof that binds on `row`: the largest, ties to the first in [`ROOFS`]. A roof none
    /// of whose features is nonzero on the row is 0 and never binds, so `None` when such a
    /// roof is the largest (or none has a feature).
    pub(super) fn binding_roof(&self, row: usize, values: &[f64]) -> Option<Term> {
        let b = self.breakdown(row, values);
        let features = &self.rows[row].features;
        let mut best: Option<(Term, f64)> = None;
        let mut empty_roof = false;
        for roof in ROOFS {
            let has_features = self
                .terms
                .iter()
                .zip(features)
                .any(|(t, f)| *t == roof && *f != 0.0);
            if !has_features {
                empty_roof = true;
                continue;
            }
            let value = match roof {
                Term::Compute => b.compute_ns,
                Term::Dram => b.dram_ns,
                _ => b.noc_ns,
            };
            if best.is_none_or(|(_, v)| value > v) {
                best = Some((roof, value));
            }
        }
        match best {
            Some((_, v)) if empty_roof && v < 0.0 => None,
            other => other.map(|(roof, _)| roof),
        }
    }
}
