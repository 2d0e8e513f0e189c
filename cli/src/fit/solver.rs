//! Fits a family's parameters to measured durations.
//!
//! A family computes one feature per parameter for each measured row; the prediction is
//! [`Breakdown::combine`]`(offset, terms, params, features).`[`duration_ns`](Breakdown::duration_ns),
//! i.e. `offset + Σ overhead + max(Σ compute, Σ dram, Σ noc)`. [`fit`] minimises the
//! *relative* error `r = (pred - y) / y` over the rows it keeps, by its [`Loss`]: squared,
//! `Σ r²`, or absolute, `Σ |r|`, which aims at the median error and lets a skewed spread of
//! repeated measurements pull less:
//!
//! - **The max over the roofs** by alternating assignment: each row is assigned the roof that
//!   binds under the current parameters, which makes the model linear; that linear problem is
//!   solved, rows are reassigned, and so on until the assignment is stable or
//!   [`MAX_ASSIGNMENT_ROUNDS`]. The best iterate by the true (max) objective is kept, so the
//!   result is never worse than the initial parameters. The fit is also started with each
//!   roof's parameters scaled by [`START_SCALES`], and with each parameter alone so scaled,
//!   and the best result kept: assignment alone never moves a roof that binds nowhere at the
//!   start.
//! - **Each linear step** is a least-squares solve by SVD (nalgebra) of the rows scaled by
//!   `1/y`, for the change from the current parameters, with columns scaled to unit norm. A
//!   parameter no kept row informs (its column is all zero) is not solved for and keeps its
//!   value; collinear parameters get the minimum-norm change.
//! - **The absolute loss** by iteratively reweighted least squares: each linear step weighs
//!   row `i` by `1 / max(|r_i|, IRLS_FLOOR)` at the current parameters, so the weighted
//!   squares approximate `Σ |r|`; assignment and weights are updated together.
//! - **Bounds** by an active set: solve, clamp every parameter outside `[min, max]` to its bound
//!   and hold it there, re-solve the rest, until all are within bounds.
//! - **Outliers**: rows whose log ratio `ln(pred / y)` lies more than [`OUTLIER_MADS`] scaled
//!   MADs and [`OUTLIER_MIN_LOG_RATIO`] from the median are reported, not fitted; the fit is
//!   repeated without them until the set is stable (at most [`MAX_OUTLIER_ROUNDS`]). The first
//!   flags come from a robust fit of all rows (absolute loss). Rows that alone inform a
//!   parameter are never left out: without them the parameter would keep the value they were
//!   judged by.
//!
//! Deterministic: no hashing, threads or randomness; the same input gives bit-identical output.

use nalgebra::{DMatrix, DVector};
use ttnn_op_perf_models::{Breakdown, Term};

/// Factors one roof's start parameters are scaled by for the extra starts of the fit.
pub const START_SCALES: [f64; 5] = [0.5, 1.5, 2.0, 4.0, 16.0];

/// Cap on assign-solve rounds of the alternating fit.
pub const MAX_ASSIGNMENT_ROUNDS: usize = 50;

/// Cap on fit-flag-refit rounds of the outlier rule.
pub const MAX_OUTLIER_ROUNDS: usize = 5;

/// A row is an outlier when `|ln(pred/y) - median|` exceeds this many scaled MADs
/// (`1.4826 * MAD`, which estimates the standard deviation of normal errors)...
pub const OUTLIER_MADS: f64 = 3.5;

/// ...and also exceeds this distance (ln 1.5: 50% off), so that an excellent fit, whose MAD is
/// tiny, does not flag rows for deviations that do not matter.
pub const OUTLIER_MIN_LOG_RATIO: f64 = 0.405_465_108_108_164_4;

/// Relative errors below this count as this in the absolute loss's weights, so a row that
/// is already fitted exactly does not get an unbounded weight.
pub const IRLS_FLOOR: f64 = 1e-3;

/// What the fit minimises over the relative errors `r = (pred - y) / y` of the kept rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// `Σ r²`: least squares weighted for relative error.
    Squared,
    /// `Σ |r|`: least absolute relative error, by IRLS; aims at the median error.
    Absolute,
}

/// Singular values below this fraction of the largest are treated as zero (rank deficiency).
const RANK_TOLERANCE: f64 = 1e-10;

/// A parameter to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct FitParam {
    /// The family's name for it, for error messages.
    pub name: String,
    /// The term its product with its feature adds to.
    pub term: Term,
    /// Lower bound (may be `-inf`).
    pub min: f64,
    /// Upper bound (may be `inf`); `min == max` holds the parameter fixed.
    pub max: f64,
    /// Starting value (e.g. the physics model's); finite and within bounds.
    pub initial: f64,
}

/// One measured row.
#[derive(Debug, Clone, PartialEq)]
pub struct FitRow {
    /// One feature per parameter, in the order of the parameters.
    pub features: Vec<f64>,
    /// A fixed part of the overhead that is not fitted (e.g. the device's launch overhead), ns.
    pub offset_ns: f64,
    /// The measured duration, ns; finite and positive.
    pub measured_ns: f64,
    /// How much the row counts in the loss: 1, or less for the rows of a file with many rows
    /// when files count equally; finite and positive.
    pub weight: f64,
}

/// The outcome of [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct FitReport {
    /// The fitted values, one per parameter, each within its bounds.
    pub params: Vec<f64>,
    /// Indices of the rows flagged as outliers and left out of the fit, ascending.
    pub outliers: Vec<usize>,
    /// Indices of parameters no fitted row informs (their feature is zero on every fitted
    /// row): they keep their initial value. (A roof parameter whose roof never binds is not
    /// listed: its value still decides that the roof does not bind.)
    pub unidentified: Vec<usize>,
    /// Indices of (non-fixed) parameters that ended on one of their bounds.
    pub at_bound: Vec<usize>,
    /// Assign-solve rounds of the final fit.
    pub iterations: usize,
    /// Whether the final fit's roof assignment became stable before the round cap.
    pub converged: bool,
    /// `Σ ((pred - y) / y)²` over the fitted rows.
    pub objective: f64,
}

/// Why a fit cannot be done.
#[derive(Debug, Clone, PartialEq)]
pub enum FitError {
    /// No rows at all.
    NoRows,
    /// Fewer rows than parameters to fit (those with `min < max`).
    TooFewRows { rows: usize, free_params: usize },
    /// A row has not one feature per parameter.
    FeatureCount {
        row: usize,
        expected: usize,
        found: usize,
    },
    /// A row's measured duration is not finite and positive.
    BadMeasured { row: usize, value: f64 },
    /// A row's offset is not finite.
    BadOffset { row: usize, value: f64 },
    /// A row's weight is not finite and positive.
    BadWeight { row: usize, value: f64 },
    /// A row's feature is not finite.
    BadFeature {
        row: usize,
        param: String,
        value: f64,
    },
    /// A parameter's bounds or initial value are unusable.
    BadParam { param: String, problem: String },
    /// The SVD did not converge (not expected with finite input).
    Solver,
    /// Features and durations so far apart in magnitude that the objective overflows.
    Overflow,
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FitError::NoRows => write!(f, "no rows to fit"),
            FitError::TooFewRows { rows, free_params } => write!(
                f,
                "{rows} rows cannot determine {free_params} free parameters"
            ),
            FitError::FeatureCount {
                row,
                expected,
                found,
            } => write!(f, "row {row}: {found} features for {expected} parameters"),
            FitError::BadMeasured { row, value } => write!(
                f,
                "row {row}: measured duration {value} is not finite and positive"
            ),
            FitError::BadOffset { row, value } => {
                write!(f, "row {row}: offset {value} is not finite")
            }
            FitError::BadWeight { row, value } => {
                write!(f, "row {row}: weight {value} is not finite and positive")
            }
            FitError::BadFeature { row, param, value } => {
                write!(f, "row {row}: feature of `{param}` is {value}")
            }
            FitError::BadParam { param, problem } => write!(f, "parameter `{param}`: {problem}"),
            FitError::Solver => write!(f, "the least-squares solve did not converge"),
            FitError::Overflow => write!(
                f,
                "features and durations too far apart in magnitude: the error overflows"
            ),
        }
    }
}

impl std::error::Error for FitError {}

/// Fits `params` to `rows`; see the module doc for the method.
///
/// `prior_weight` (λ >= 0) pulls each parameter towards its initial value (the physics
/// prior); see [`Problem::new`]. 0: no pull.
pub fn fit(
    params: &[FitParam],
    rows: &[FitRow],
    loss: Loss,
    prior_weight: f64,
) -> Result<FitReport, FitError> {
    validate(params, rows)?;
    let problem = Problem::new(params, rows, loss, prior_weight);
    let all: Vec<usize> = (0..rows.len()).collect();
    let initial: Vec<f64> = params.iter().map(|p| p.initial).collect();
    // Rows far off at the start are left out of the first fit: a few gross rows (a
    // measurement no tile count explains) would otherwise drag every parameter. Far off means
    // both under the initial values and under a fit of all rows by the absolute loss, which
    // gross rows cannot drag far: flagged against the initial values alone, every row that
    // only a parameter starting at 0 explains would be left out, and that parameter could
    // never be fitted. The flags are judged against all rows again after each fit, so a row
    // wrongly left out comes back.
    let robust =
        Problem::new(params, rows, Loss::Absolute, prior_weight).fit_from_starts(&all, &initial)?;
    let robust_flags = problem.outliers(&all, &robust.params);
    let mut outliers: Vec<usize> = problem.judgeable(
        problem
            .outliers(&all, &initial)
            .into_iter()
            .filter(|i| robust_flags.binary_search(i).is_ok())
            .collect(),
    );
    if all.len() - outliers.len() < problem.free_count() {
        outliers.clear();
    }
    let mut kept: Vec<usize> = all
        .iter()
        .copied()
        .filter(|i| outliers.binary_search(i).is_err())
        .collect();
    let mut outcome = problem.fit_from_starts(&kept, &initial)?;
    for _ in 0..MAX_OUTLIER_ROUNDS {
        // Flagged against all rows each round, so a row wrongly flagged by a skewed first fit
        // can come back.
        let flagged = problem.judgeable(problem.outliers(&all, &outcome.params));
        if flagged == outliers {
            break;
        }
        let next: Vec<usize> = all
            .iter()
            .copied()
            .filter(|i| flagged.binary_search(i).is_err())
            .collect();
        if next.len() < problem.free_count() {
            break;
        }
        // Refit from the initial values, so that the result never gets worse than them on
        // the rows it keeps.
        outcome = problem.fit_from_starts(&next, &initial)?;
        kept = next;
        outliers = flagged;
    }
    let unidentified = (0..params.len())
        .filter(|&j| kept.iter().all(|&i| rows[i].features[j] == 0.0))
        .collect();
    let at_bound = (0..params.len())
        .filter(|&j| {
            let p = &params[j];
            p.min < p.max && (outcome.params[j] == p.min || outcome.params[j] == p.max)
        })
        .collect();
    let objective = problem.objective(&kept, &outcome.params);
    if !objective.is_finite() || outcome.params.iter().any(|v| !v.is_finite()) {
        return Err(FitError::Overflow);
    }
    Ok(FitReport {
        objective,
        params: outcome.params,
        outliers,
        unidentified,
        at_bound,
        iterations: outcome.iterations,
        converged: outcome.converged,
    })
}

/// The prediction for `row` under parameter values `values`, ns.
pub fn predict(params: &[FitParam], values: &[f64], row: &FitRow) -> f64 {
    let terms: Vec<Term> = params.iter().map(|p| p.term).collect();
    Breakdown::combine(row.offset_ns, &terms, values, &row.features).duration_ns()
}

fn validate(params: &[FitParam], rows: &[FitRow]) -> Result<(), FitError> {
    if rows.is_empty() {
        return Err(FitError::NoRows);
    }
    for p in params {
        let problem = if p.min.is_nan() || p.max.is_nan() || p.min > p.max {
            Some(format!("bounds [{}, {}] are empty", p.min, p.max))
        } else if !p.initial.is_finite() || p.initial < p.min || p.initial > p.max {
            Some(format!(
                "initial value {} is not finite and within [{}, {}]",
                p.initial, p.min, p.max
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(FitError::BadParam {
                param: p.name.clone(),
                problem,
            });
        }
    }
    for (i, r) in rows.iter().enumerate() {
        if r.features.len() != params.len() {
            return Err(FitError::FeatureCount {
                row: i,
                expected: params.len(),
                found: r.features.len(),
            });
        }
        if !(r.measured_ns.is_finite() && r.measured_ns > 0.0) {
            return Err(FitError::BadMeasured {
                row: i,
                value: r.measured_ns,
            });
        }
        if !(r.weight.is_finite() && r.weight > 0.0) {
            return Err(FitError::BadWeight {
                row: i,
                value: r.weight,
            });
        }
        if !r.offset_ns.is_finite() {
            return Err(FitError::BadOffset {
                row: i,
                value: r.offset_ns,
            });
        }
        if let Some(j) = r.features.iter().position(|f| !f.is_finite()) {
            return Err(FitError::BadFeature {
                row: i,
                param: params[j].name.clone(),
                value: r.features[j],
            });
        }
    }
    let free_params = (0..params.len())
        .filter(|&j| is_free(params, rows, j))
        .count();
    if rows.len() < free_params {
        return Err(FitError::TooFewRows {
            rows: rows.len(),
            free_params,
        });
    }
    Ok(())
}

/// Whether parameter `j` is fitted: its bounds leave room and some row informs it (a feature
/// that is zero on every row leaves the parameter at its initial value).
fn is_free(params: &[FitParam], rows: &[FitRow], j: usize) -> bool {
    params[j].min < params[j].max && rows.iter().any(|r| r.features[j] != 0.0)
}

/// The roofs, in the order that breaks ties.
const ROOFS: [Term; 3] = [Term::Compute, Term::Dram, Term::Noc];

/// Validated input.
struct Problem<'a> {
    params: &'a [FitParam],
    rows: &'a [FitRow],
    terms: Vec<Term>,
    loss: Loss,
    /// Per parameter, the square root of the prior's weight on it: `sqrt(λ W) s_j` (see
    /// [`Problem::new`]); 0 where there is no prior.
    prior: Vec<f64>,
}

/// One fit on a set of rows.
struct Outcome {
    params: Vec<f64>,
    iterations: usize,
    converged: bool,
}

impl<'a> Problem<'a> {
    /// With `prior_weight` λ > 0 the objective adds `λ W Σ_j (s_j (θ_j - θ0_j))²`, where
    /// `θ0` are the initial values, `W` the rows' total weight and `s_j` the weighted RMS of
    /// parameter `j`'s relative feature `f_ij / y_i`: moving a parameter so far from its start
    /// that it shifts the average row by a fraction δ costs λ times what shifting every row
    /// by δ costs. Scale-free, so one λ suits every family.
    fn new(params: &'a [FitParam], rows: &'a [FitRow], loss: Loss, prior_weight: f64) -> Self {
        let terms = params.iter().map(|p| p.term).collect();
        let total: f64 = rows.iter().map(|r| r.weight).sum();
        let prior = (0..params.len())
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
            params,
            rows,
            terms,
            loss,
            prior,
        }
    }

    /// The prior's part of the objective at `values`.
    fn penalty(&self, values: &[f64]) -> f64 {
        self.prior
            .iter()
            .zip(values.iter().zip(self.params))
            .map(|(s, (v, p))| (s * (v - p.initial)).powi(2))
            .sum()
    }

    /// `flagged` without the rows that alone inform some parameter: left out, they would
    /// leave that parameter unfitted, at a value they were judged by and cannot change.
    fn judgeable(&self, flagged: Vec<usize>) -> Vec<usize> {
        let informed_by_kept = |j: usize| {
            self.rows
                .iter()
                .enumerate()
                .any(|(i, r)| r.features[j] != 0.0 && flagged.binary_search(&i).is_err())
        };
        let orphaned: Vec<usize> = (0..self.params.len())
            .filter(|&j| is_free(self.params, self.rows, j) && !informed_by_kept(j))
            .collect();
        if orphaned.is_empty() {
            return flagged;
        }
        flagged
            .into_iter()
            .filter(|&i| orphaned.iter().all(|&j| self.rows[i].features[j] == 0.0))
            .collect()
    }

    fn free_count(&self) -> usize {
        (0..self.params.len())
            .filter(|&j| is_free(self.params, self.rows, j))
            .count()
    }

    fn breakdown(&self, row: usize, values: &[f64]) -> Breakdown {
        let r = &self.rows[row];
        Breakdown::combine(r.offset_ns, &self.terms, values, &r.features)
    }

    fn predict(&self, row: usize, values: &[f64]) -> f64 {
        self.breakdown(row, values).duration_ns()
    }

    /// The relative error `(pred - y) / y` of row `i`.
    fn relative_error(&self, i: usize, values: &[f64]) -> f64 {
        let y = self.rows[i].measured_ns;
        (self.predict(i, values) - y) / y
    }

    /// The loss over `rows`: `Σ r²` or `Σ |r|`, plus the prior's penalty.
    fn objective(&self, rows: &[usize], values: &[f64]) -> f64 {
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
    fn weights(&self, rows: &[usize], values: &[f64]) -> Vec<f64> {
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
    fn binding_roof(&self, row: usize, values: &[f64]) -> Option<Term> {
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

    /// Alternating assignment from `start`, on `rows`; keeps the best iterate.
    /// The best of [`Self::fit_rows`] from `initial` and from `initial` with one roof's
    /// parameters, or one parameter, scaled by each of [`START_SCALES`]. Alternating assignment only moves the
    /// parameters of roofs that bind somewhere, so a roof that binds nowhere at the start
    /// (DRAM for wide dtypes, say) would keep its start values; the scaled starts let it bind.
    fn fit_from_starts(&self, rows: &[usize], initial: &[f64]) -> Result<Outcome, FitError> {
        let free = |j: usize| is_free(self.params, self.rows, j);
        let clamp = |j: usize, x: f64| x.clamp(self.params[j].min, self.params[j].max);
        let mut starts: Vec<Vec<f64>> = Vec::new();
        // Each roof's free parameters scaled together.
        for roof in [Term::Compute, Term::Dram, Term::Noc] {
            for scale in START_SCALES {
                starts.push(
                    (0..initial.len())
                        .map(|j| {
                            if self.params[j].term == roof && free(j) {
                                clamp(j, initial[j] * scale)
                            } else {
                                initial[j]
                            }
                        })
                        .collect(),
                );
            }
        }
        // And each free parameter alone: when the parameters of one roof only ever bind together
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
        let mut best_objective = self.objective(rows, &best.params);
        for start in starts.iter().filter(|s| s.as_slice() != initial) {
            let outcome = self.fit_rows(rows, start)?;
            let objective = self.objective(rows, &outcome.params);
            // Strictly better only: ties keep the earlier start, for determinism.
            if objective < best_objective {
                best = outcome;
                best_objective = objective;
            }
        }
        Ok(best)
    }

    fn fit_rows(&self, rows: &[usize], start: &[f64]) -> Result<Outcome, FitError> {
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
            params: best,
            iterations,
            converged,
        })
    }

    /// The bounded weighted least-squares solution of the linear model in which row `rows[k]`
    /// has its overhead features plus those of roof `assignment[k]` and weight `weights[k]`,
    /// starting from `current` (which is within bounds).
    fn solve_assigned(
        &self,
        rows: &[usize],
        assignment: &[Option<Term>],
        weights: &[f64],
        current: &[f64],
    ) -> Result<Vec<f64>, FitError> {
        let n = self.params.len();
        // Row scales: 1/y makes the errors relative; the square root of the weight weighs
        // the squared error by it.
        let scale: Vec<f64> = rows
            .iter()
            .zip(weights)
            .map(|(&i, w)| w.sqrt() / self.rows[i].measured_ns)
            .collect();
        // Design matrix, scaled: entry (k, j) is f_kj * scale_k where parameter j is in the
        // row's model, else 0; then one row per parameter for the prior (all zero without
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
                // An overflowing column cannot be scaled; such a parameter keeps its value.
                let norm = design.column(j).norm();
                self.params[j].min < self.params[j].max && norm > 0.0 && norm.is_finite()
            })
            .collect();
        while !free.is_empty() {
            // Residual of the assigned linear model at `values`, scaled.
            let residual = DVector::from_fn(m + prior_rows, |k, _| {
                if k >= m {
                    let j = k - m;
                    return self.prior[j] * (self.params[j].initial - values[j]);
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
                .filter(|&j| !(self.params[j].min..=self.params[j].max).contains(&trial[j]))
                .collect();
            values = trial;
            if outside.is_empty() {
                break;
            }
            for &j in &outside {
                values[j] = values[j].clamp(self.params[j].min, self.params[j].max);
            }
            free.retain(|j| !outside.contains(j));
        }
        // A solve can only produce non-finite values from overflowing features; keep the start.
        if values.iter().any(|v| !v.is_finite()) {
            return Ok(current.to_vec());
        }
        Ok(values)
    }

    /// Rows of `rows` whose log ratio is an outlier under `values`, ascending.
    fn outliers(&self, rows: &[usize], values: &[f64]) -> Vec<usize> {
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
    use super::*;

    const INF: f64 = f64::INFINITY;

    fn param(name: &str, term: Term, initial: f64) -> FitParam {
        FitParam {
            name: name.into(),
            term,
            min: 0.0,
            max: INF,
            initial,
        }
    }

    /// A family with several parameters per term, started away from `TRUTH`.
    fn family() -> Vec<FitParam> {
        vec![
            param("launch", Term::Overhead, 1000.0),
            param("per_core", Term::Overhead, 30.0),
            param("per_tile", Term::Compute, 20.0),
            param("per_hifi_tile", Term::Compute, 50.0),
            param("per_byte", Term::Dram, 0.1),
            param("per_page", Term::Dram, 2.0),
            param("per_noc_byte", Term::Noc, 0.05),
        ]
    }

    const TRUTH: [f64; 7] = [2000.0, 15.0, 40.0, 25.0, 0.05, 4.0, 0.1];

    /// splitmix64: deterministic, well-spread test inputs.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
        /// Log-uniform in [lo, hi).
        fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
            (lo.ln() + self.next() * (hi.ln() - lo.ln())).exp().round()
        }
    }

    fn terms(params: &[FitParam]) -> Vec<Term> {
        params.iter().map(|p| p.term).collect()
    }

    /// Rows measured exactly under `truth`, with features spread so that every roof binds on
    /// a good share of them.
    fn rows(n: usize, truth: &[f64]) -> Vec<FitRow> {
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
                let measured_ns =
                    Breakdown::combine(offset_ns, &terms, truth, &features).duration_ns();
                FitRow {
                    features,
                    offset_ns,
                    measured_ns,
                    weight: 1.0,
                }
            })
            .collect()
    }

    fn assert_recovered(got: &[f64], want: &[f64], tolerance: f64) {
        assert_eq!(got.len(), want.len());
        for (j, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                ((g - w) / w).abs() <= tolerance,
                "param {j}: got {g}, want {w} (all: {got:?})"
            );
        }
    }

    #[test]
    fn the_prior_pulls_towards_the_initial_values() {
        let params = family();
        let rows = rows(300, &TRUTH);
        let initial: Vec<f64> = params.iter().map(|p| p.initial).collect();
        // No pull: the truth; an overwhelming pull: the start.
        assert_recovered(
            &fit(&params, &rows, Loss::Squared, 0.0).unwrap().params,
            &TRUTH,
            0.01,
        );
        let held = fit(&params, &rows, Loss::Squared, 1e9).unwrap().params;
        assert_recovered(&held, &initial, 0.01);
        // In between, every parameter the data moves lies between its start and the truth,
        // and the fit is worse on the rows than the unpulled one.
        let between = fit(&params, &rows, Loss::Squared, 0.1).unwrap();
        for (j, v) in between.params.iter().enumerate() {
            let (lo, hi) = (initial[j].min(TRUTH[j]), initial[j].max(TRUTH[j]));
            assert!(
                (lo * 0.999..=hi * 1.001).contains(v),
                "param {j}: {v} not within {lo}..{hi}"
            );
        }
        assert!(objective(&params, &between.params, &rows) > objective(&params, &TRUTH, &rows));
    }

    /// Weighted objective computed here, independently of the solver.
    fn objective(params: &[FitParam], values: &[f64], rows: &[FitRow]) -> f64 {
        let terms = terms(params);
        rows.iter()
            .map(|r| {
                let p = Breakdown::combine(r.offset_ns, &terms, values, &r.features).duration_ns();
                ((p - r.measured_ns) / r.measured_ns).powi(2)
            })
            .sum()
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
    fn recovers_known_parameters() {
        let params = family();
        let rows = rows(300, &TRUTH);
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert_recovered(&report.params, &TRUTH, 0.01);
        assert!(report.converged);
        assert!(report.outliers.is_empty());
        assert!(report.unidentified.is_empty());
        assert!(report.at_bound.is_empty());
        assert!(report.objective < 1e-12, "{}", report.objective);
    }

    #[test]
    fn absolute_loss_recovers_known_parameters() {
        let params = family();
        let rows = rows(300, &TRUTH);
        let report = fit(&params, &rows, Loss::Absolute, 0.0).unwrap();
        assert_recovered(&report.params, &TRUTH, 0.01);
        assert!(report.outliers.is_empty());
    }

    #[test]
    fn absolute_loss_aims_at_the_median_of_a_skewed_spread() {
        // One query measured five times, two of them slow: the squared loss lands between
        // the clusters, the absolute one near the median (the fast cluster).
        let params = vec![param("launch", Term::Overhead, 500.0)];
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
        let squared = fit(&params, &rows, Loss::Squared, 0.0).unwrap().params[0];
        let absolute = fit(&params, &rows, Loss::Absolute, 0.0).unwrap().params[0];
        assert!((1050.0..1250.0).contains(&squared), "{squared}");
        assert!((1000.0..=1025.0).contains(&absolute), "{absolute}");
    }

    #[test]
    fn a_row_of_weight_three_counts_as_three_rows() {
        // Σ w ((c - y) / y)² over 1000 (weight 3) and 1100: c = (3/1000 + 1/1100) /
        // (3/1000² + 1/1100²), the same as with 1000 given three times.
        let params = vec![param("launch", Term::Overhead, 500.0)];
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
            let got = fit(&params, rows, Loss::Squared, 0.0).unwrap().params[0];
            assert!((got - want).abs() < 1e-6 * want, "{got} vs {want}");
        }
        assert!(matches!(
            fit(&params, &[row(1000.0, 0.0)], Loss::Squared, 0.0),
            Err(FitError::BadWeight { row: 0, .. })
        ));
    }

    #[test]
    fn mild_noise_still_recovers_and_beats_start_and_truth() {
        let params = family();
        let mut rows = rows(300, &TRUTH);
        let mut rng = Rng(7);
        for r in &mut rows {
            r.measured_ns *= 1.0 + 0.004 * (2.0 * rng.next() - 1.0);
        }
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert_recovered(&report.params, &TRUTH, 0.01);
        assert!(report.outliers.is_empty());
        let initial: Vec<f64> = params.iter().map(|p| p.initial).collect();
        let got = objective(&params, &report.params, &rows);
        assert_eq!(got, report.objective);
        assert!(got <= objective(&params, &initial, &rows));
        // The least-squares optimum fits noisy data at least as well as the truth does.
        assert!(got <= objective(&params, &TRUTH, &rows) * (1.0 + 1e-9));
    }

    #[test]
    fn gross_outliers_are_flagged_and_not_fitted() {
        let params = family();
        let mut rows = rows(300, &TRUTH);
        let bad = [3usize, 50, 51, 177, 299];
        for (k, factor) in bad.iter().zip([4.0, 0.2, 2.5, 1.0 / 3.0, 10.0]) {
            rows[*k].measured_ns *= factor;
        }
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert_eq!(report.outliers, bad);
        assert_recovered(&report.params, &TRUTH, 0.01);
    }

    #[test]
    fn rows_only_a_parameter_starting_at_zero_explains_are_fitted_not_flagged() {
        // A latency per handshake that only every tenth row has, absent from the start
        // values and large enough that all those rows are far off at the start: flagged
        // against the start, they would leave the parameter nothing to be fitted on.
        let mut params = family();
        params.push(param("per_handshake", Term::Overhead, 0.0));
        let mut truth = TRUTH.to_vec();
        truth.push(1e6);
        let terms = terms(&params);
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
        let initial: Vec<f64> = params.iter().map(|p| p.initial).collect();
        let handshake_rows: Vec<usize> = (0..rows.len()).step_by(10).collect();
        let all: Vec<usize> = (0..rows.len()).collect();
        let problem = Problem::new(&params, &rows, Loss::Squared, 0.0);
        assert_eq!(problem.outliers(&all, &initial), handshake_rows);
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert!(report.outliers.is_empty(), "{:?}", report.outliers);
        assert_recovered(&report.params, &truth, 0.01);
    }

    #[test]
    fn small_deviations_of_a_good_fit_are_not_outliers() {
        let params = family();
        let mut rows = rows(300, &TRUTH);
        // Most rows exact, a few 20% off: far in MADs (the MAD is ~0), but within ln 1.5.
        for k in [10, 20, 30] {
            rows[k].measured_ns *= 1.2;
        }
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert!(report.outliers.is_empty(), "{:?}", report.outliers);
    }

    #[test]
    fn bounds_are_respected() {
        let mut params = family();
        params[2].max = 30.0; // truth 40
        params[2].initial = 25.0;
        params[4].min = 0.07; // truth 0.05
        params[4].initial = 0.09;
        let rows = rows(300, &TRUTH);
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        for (p, v) in params.iter().zip(&report.params) {
            assert!(p.min <= *v && *v <= p.max, "{} = {v}", p.name);
        }
        assert_eq!(report.params[2], 30.0);
        assert_eq!(report.params[4], 0.07);
        assert_eq!(report.at_bound, [2, 4]);
        let initial: Vec<f64> = params.iter().map(|p| p.initial).collect();
        assert!(report.objective <= objective(&params, &initial, &rows));
    }

    #[test]
    fn bound_parameter_is_clamped_and_the_rest_refitted() {
        // y = a + b x with a = 100, b = 10; b may not exceed 5. With b at 5, the best a
        // minimises Σ ((a + 5x - y) / y)², i.e. a = Σ ((y - 5x) / y²) / Σ (1 / y²).
        let params = vec![
            param("a", Term::Overhead, 1.0),
            FitParam {
                max: 5.0,
                ..param("b", Term::Overhead, 1.0)
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
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert_eq!(report.params[1], 5.0);
        assert!((report.params[0] - num / den).abs() < 1e-9 * (num / den));
    }

    #[test]
    fn parameter_without_data_keeps_its_initial_value() {
        let mut params = family();
        params.push(param("unused", Term::Noc, 0.25));
        let mut rows = rows(300, &TRUTH);
        for r in &mut rows {
            r.features.push(0.0);
        }
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert_eq!(report.unidentified, [7]);
        assert_eq!(report.params[7], 0.25);
        assert_recovered(&report.params[..7], &TRUTH, 0.01);
    }

    #[test]
    fn fixed_parameter_stays_fixed() {
        let mut params = family();
        params[0].min = 2000.0;
        params[0].max = 2000.0;
        params[0].initial = 2000.0;
        let rows = rows(300, &TRUTH);
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert_eq!(report.params[0], 2000.0);
        assert!(report.at_bound.is_empty());
        assert_recovered(&report.params, &TRUTH, 0.01);
    }

    #[test]
    fn deterministic() {
        let params = family();
        let mut rows = rows(200, &TRUTH);
        let mut rng = Rng(9);
        for r in &mut rows {
            r.measured_ns *= 1.0 + 0.05 * (2.0 * rng.next() - 1.0);
        }
        rows[17].measured_ns *= 6.0;
        let a = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        let b = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        let bits = |r: &FitReport| r.params.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a), bits(&b));
        assert_eq!(a.objective.to_bits(), b.objective.to_bits());
        assert_eq!(a.outliers, b.outliers);
    }

    #[test]
    fn output_is_finite_on_degenerate_input() {
        // Huge and tiny features, and rows a model cannot fit well: still finite output.
        let params = family();
        let mut rows = rows(50, &TRUTH);
        rows[0].features[4] = 1e300;
        rows[1].features[6] = 1e-300;
        rows[2].measured_ns = 1e-300;
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert!(report.params.iter().all(|v| v.is_finite()));
        assert!(report.objective.is_finite());
        // A feature so large for its duration that its error overflows: that row is an
        // outlier, and the rest still fit.
        rows[3].features[4] = f64::MAX;
        rows[3].measured_ns = 1e-300;
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert!(report.outliers.contains(&3), "{:?}", report.outliers);
        assert!(report.params.iter().all(|v| v.is_finite()));
        assert!(report.objective.is_finite());
    }

    #[test]
    fn errors() {
        let params = family();
        let good = rows(20, &TRUTH);
        assert_eq!(fit(&params, &[], Loss::Squared, 0.0), Err(FitError::NoRows));
        assert_eq!(
            fit(&params, &good[..6], Loss::Squared, 0.0),
            Err(FitError::TooFewRows {
                rows: 6,
                free_params: 7
            })
        );
        let mut short = good.clone();
        short[4].features.pop();
        assert_eq!(
            fit(&params, &short, Loss::Squared, 0.0),
            Err(FitError::FeatureCount {
                row: 4,
                expected: 7,
                found: 6
            })
        );
        for value in [f64::NAN, 0.0, -3.0, INF] {
            let mut bad = good.clone();
            bad[5].measured_ns = value;
            let err = fit(&params, &bad, Loss::Squared, 0.0).unwrap_err();
            assert!(
                matches!(err, FitError::BadMeasured { row: 5, .. }),
                "{err:?}"
            );
            assert!(err.to_string().starts_with("row 5:"));
        }
        let mut bad = good.clone();
        bad[8].features[3] = f64::NAN;
        let err = fit(&params, &bad, Loss::Squared, 0.0).unwrap_err();
        assert!(
            matches!(&err, FitError::BadFeature { row: 8, param, .. } if param == "per_hifi_tile")
        );
        assert_eq!(err.to_string(), "row 8: feature of `per_hifi_tile` is NaN");
        let mut bad = good.clone();
        bad[2].offset_ns = INF;
        assert!(matches!(
            fit(&params, &bad, Loss::Squared, 0.0),
            Err(FitError::BadOffset { row: 2, .. })
        ));
        let mut p = params.clone();
        p[1].min = 5.0;
        p[1].max = 1.0;
        assert!(
            matches!(fit(&p, &good, Loss::Squared, 0.0), Err(FitError::BadParam { param, .. }) if param == "per_core")
        );
        let mut p = params.clone();
        p[2].initial = -1.0;
        assert!(
            matches!(fit(&p, &good, Loss::Squared, 0.0), Err(FitError::BadParam { param, .. }) if param == "per_tile")
        );
    }

    #[test]
    fn predict_matches_breakdown() {
        let params = family();
        let row = &rows(1, &TRUTH)[0];
        assert_eq!(predict(&params, &TRUTH, row), row.measured_ns);
    }

    #[test]
    fn rows_that_alone_inform_a_parameter_are_not_left_out() {
        // `b` is informed by rows 3 and 4 only; `a` by every row; `fixed` has no room.
        let params = vec![
            param("a", Term::Compute, 1.0),
            param("b", Term::Compute, 1.0),
            FitParam {
                min: 2.0,
                max: 2.0,
                ..param("fixed", Term::Compute, 2.0)
            },
        ];
        let row = |b: f64| FitRow {
            features: vec![1.0, b, 1.0],
            offset_ns: 0.0,
            measured_ns: 10.0,
            weight: 1.0,
        };
        let rows = vec![row(0.0), row(0.0), row(0.0), row(1.0), row(1.0)];
        let problem = Problem::new(&params, &rows, Loss::Squared, 0.0);
        // Leaving out both rows of `b` would leave it unfitted: they stay in.
        assert_eq!(problem.judgeable(vec![1, 3, 4]), vec![1]);
        // With row 4 kept, `b` is still fitted: row 3 can be left out.
        assert_eq!(problem.judgeable(vec![1, 3]), vec![1, 3]);
        // `a` is informed by rows 0 and 2 as well.
        assert_eq!(problem.judgeable(vec![1, 2, 3]), vec![1, 2, 3]);
    }

    #[test]
    fn a_parameter_that_binds_only_when_raised_alone_is_fitted() {
        // A unary op's DRAM reads `r` and writes `w`: equal on the rows where DRAM binds at
        // the start (in DRAM, out DRAM), so raising the DRAM roof raises both, and the many
        // read-only rows (in DRAM, out L1) pull it back; the rows that write only (in L1, out
        // DRAM) bind on DRAM only once `w` alone is raised. Without the one-parameter starts
        // this lands on r = w = 1.75.
        let params = vec![
            param("per_tile", Term::Compute, 1000.0),
            param("r", Term::Dram, 1.0),
            param("w", Term::Dram, 1.0),
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
                let b = Breakdown::combine(0.0, &terms(&params), &truth, &features);
                rows.push(FitRow {
                    features,
                    offset_ns: 0.0,
                    measured_ns: b.duration_ns(),
                    weight: 1.0,
                });
            }
        }
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert_recovered(&report.params, &truth, 0.01);
    }

    #[test]
    fn a_roof_that_binds_only_when_raised_far_is_fitted() {
        // The compute roof starts 10x below the truth: at 4x it still binds on no row, so
        // the alternating fit never moves it; the 16x start lets the compute-bound rows bind.
        let params = vec![
            param("per_tile", Term::Compute, 10.0),
            param("per_byte", Term::Dram, 1.0),
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
                let b = Breakdown::combine(0.0, &terms(&params), &truth, &features);
                FitRow {
                    features,
                    offset_ns: 0.0,
                    measured_ns: b.duration_ns(),
                    weight: 1.0,
                }
            })
            .collect();
        let report = fit(&params, &rows, Loss::Squared, 0.0).unwrap();
        assert_recovered(&report.params, &truth, 0.01);
    }
}
