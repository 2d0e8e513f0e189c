//! Fits a family's coefficients to measured durations.
//!
//! A family computes one feature per coefficient for each measured row; the prediction is
//! [`Breakdown::combine`]`(offset, terms, coefficients, features).`[`duration_ns`](Breakdown::duration_ns),
//! i.e. `offset + Σ overhead + max(Σ compute, Σ dram, Σ noc)`. [`fit`] minimises the
//! *relative* error `r = (pred - y) / y` over the rows it keeps, by its [`Loss`]: squared,
//! `Σ r²`, or absolute, `Σ |r|`, which aims at the median error and lets a skewed spread of
//! repeated measurements pull less:
//!
//! - **The max over the roofs** by alternating assignment: each row is assigned the roof that
//!   binds under the current coefficients, which makes the model linear; that linear problem is
//!   solved, rows are reassigned, and so on until the assignment is stable or
//!   [`MAX_ASSIGNMENT_ROUNDS`]. The best iterate by the true (max) objective is kept, so the
//!   result is never worse than the initial coefficients. The fit is also started with each
//!   roof's coefficients scaled by [`START_SCALES`], and with each coefficient alone so scaled,
//!   and the best result kept: assignment alone never moves a roof that binds nowhere at the
//!   start.
//! - **Each linear step** is a least-squares solve by SVD (nalgebra) of the rows scaled by
//!   `1/y`, for the change from the current coefficients, with columns scaled to unit norm. A
//!   coefficient no kept row informs (its column is all zero) is not solved for and keeps its
//!   value; collinear coefficients get the minimum-norm change.
//! - **The absolute loss** by iteratively reweighted least squares: each linear step weighs
//!   row `i` by `1 / max(|r_i|, IRLS_FLOOR)` at the current coefficients, so the weighted
//!   squares approximate `Σ |r|`; assignment and weights are updated together.
//! - **Bounds** by an active set: solve, clamp every coefficient outside `[min, max]` to its bound
//!   and hold it there, re-solve the rest, until all are within bounds.
//! - **Outliers**: rows whose log ratio `ln(pred / y)` lies more than [`OUTLIER_MADS`] scaled
//!   MADs and [`OUTLIER_MIN_LOG_RATIO`] from the median are reported, not fitted; the fit is
//!   repeated without them until the set is stable (at most [`MAX_OUTLIER_ROUNDS`]). The first
//!   flags come from a robust fit of all rows (absolute loss). Rows that alone inform a
//!   coefficient are never left out: without them the coefficient would keep the value they were
//!   judged by.
//!
//! Deterministic: no hashing, threads or randomness; the same input gives bit-identical output.
//!
//! The stages, one file each: [`input`] checks what a fit is given; [`problem`] is the
//! weighted problem (relative errors, row weights, the prior) and what it says of a set of
//! values; [`solve`] fits a set of rows (starts, alternating assignment, bounded SVD steps);
//! [`outliers`] says which rows are left out. [`fit`] runs them.

mod input;
mod outliers;
mod problem;
mod solve;
#[cfg(test)]
mod tests;

pub use input::FitError;
use input::validate;
use problem::Problem;
use ttnn_op_perf_models::{Breakdown, Term};

/// Factors one roof's start coefficients are scaled by for the extra starts of the fit.
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

/// A coefficient to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct FitCoefficient {
    /// The family's name for it, for error messages.
    pub name: String,
    /// The term its product with its feature adds to.
    pub term: Term,
    /// Lower bound (may be `-inf`).
    pub min: f64,
    /// Upper bound (may be `inf`); `min == max` holds the coefficient fixed.
    pub max: f64,
    /// Starting value (e.g. the physics model's); finite and within bounds.
    pub initial: f64,
}

/// One measured row.
#[derive(Debug, Clone, PartialEq)]
pub struct FitRow {
    /// One feature per coefficient, in the order of the coefficients.
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
    /// The fitted values, one per coefficient, each within its bounds.
    pub coefficients: Vec<f64>,
    /// Indices of the rows flagged as outliers and left out of the fit, ascending.
    pub outliers: Vec<usize>,
    /// Indices of coefficients no fitted row informs (their feature is zero on every fitted
    /// row): they keep their initial value. (A roof coefficient whose roof never binds is not
    /// listed: its value still decides that the roof does not bind.)
    pub unidentified: Vec<usize>,
    /// Indices of (non-fixed) coefficients that ended on one of their bounds.
    pub at_bound: Vec<usize>,
    /// Whether the final fit's roof assignment became stable before the round cap.
    pub converged: bool,
    /// `Σ ((pred - y) / y)²` over the fitted rows.
    pub objective: f64,
}

/// Fits `coefficients` to `rows`; see the module doc for the method.
///
/// `prior_weight` (λ >= 0) pulls each coefficient towards its initial value (the physics
/// prior); see [`Problem::new`]. 0: no pull.
pub fn fit(
    coefficients: &[FitCoefficient],
    rows: &[FitRow],
    loss: Loss,
    prior_weight: f64,
) -> Result<FitReport, FitError> {
    validate(coefficients, rows)?;
    let problem = Problem::new(coefficients, rows, loss, prior_weight);
    let all: Vec<usize> = (0..rows.len()).collect();
    let initial: Vec<f64> = coefficients.iter().map(|p| p.initial).collect();
    // Rows far off at the start are left out of the first fit: a few gross rows (a
    // measurement no tile count explains) would otherwise drag every coefficient. Far off means
    // both under the initial values and under a fit of all rows by the absolute loss, which
    // gross rows cannot drag far: flagged against the initial values alone, every row that
    // only a coefficient starting at 0 explains would be left out, and that coefficient could
    // never be fitted. The flags are judged against all rows again after each fit, so a row
    // wrongly left out comes back.
    let robust = Problem::new(coefficients, rows, Loss::Absolute, prior_weight)
        .fit_from_starts(&all, &initial)?;
    let robust_flags = problem.outliers(&all, &robust.coefficients);
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
        let flagged = problem.judgeable(problem.outliers(&all, &outcome.coefficients));
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
    let unidentified = (0..coefficients.len())
        .filter(|&j| kept.iter().all(|&i| rows[i].features[j] == 0.0))
        .collect();
    let at_bound = (0..coefficients.len())
        .filter(|&j| {
            let p = &coefficients[j];
            p.min < p.max && (outcome.coefficients[j] == p.min || outcome.coefficients[j] == p.max)
        })
        .collect();
    let objective = problem.objective(&kept, &outcome.coefficients);
    if !objective.is_finite() || outcome.coefficients.iter().any(|v| !v.is_finite()) {
        return Err(FitError::Overflow);
    }
    Ok(FitReport {
        objective,
        coefficients: outcome.coefficients,
        outliers,
        unidentified,
        at_bound,
        converged: outcome.converged,
    })
}

/// The prediction for `row` under coefficient values `values`, ns.
pub fn predict(coefficients: &[FitCoefficient], values: &[f64], row: &FitRow) -> f64 {
    let terms: Vec<Term> = coefficients.iter().map(|p| p.term).collect();
    Breakdown::combine(row.offset_ns, &terms, values, &row.features).duration_ns()
}
