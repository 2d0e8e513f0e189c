//! What a fit is given: its parameters and rows, checked before anything is solved.

use super::{FitParam, FitRow};

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

pub(super) fn validate(params: &[FitParam], rows: &[FitRow]) -> Result<(), FitError> {
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
pub(super) fn is_free(params: &[FitParam], rows: &[FitRow], j: usize) -> bool {
    params[j].min < params[j].max && rows.iter().any(|r| r.features[j] != 0.0)
}

#[cfg(test)]
mod tests {
    use crate::fit::solver::tests::*;
    use crate::fit::solver::*;

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
}
