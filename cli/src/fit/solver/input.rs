//! What a fit is given: its coefficients and rows, checked before anything is solved.

use super::{FitCoefficient, FitRow};

/// Why a fit cannot be done.
#[derive(Debug, Clone, PartialEq)]
pub enum FitError {
    /// No rows at all.
    NoRows,
    /// Fewer rows than coefficients to fit (those with `min < max`).
    TooFewRows {
        rows: usize,
        free_coefficients: usize,
    },
    /// A row has not one feature per coefficient.
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
        coefficient: String,
        value: f64,
    },
    /// A coefficient's bounds or initial value are unusable.
    BadCoefficient {
        coefficient: String,
        problem: String,
    },
    /// The SVD did not converge (not expected with finite input).
    Solver,
    /// Features and durations so far apart in magnitude that the objective overflows.
    Overflow,
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FitError::NoRows => write!(f, "no rows to fit"),
            FitError::TooFewRows {
                rows,
                free_coefficients,
            } => write!(
                f,
                "{rows} rows cannot determine {free_coefficients} free coefficients"
            ),
            FitError::FeatureCount {
                row,
                expected,
                found,
            } => write!(f, "row {row}: {found} features for {expected} coefficients"),
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
            FitError::BadFeature {
                row,
                coefficient,
                value,
            } => {
                write!(f, "row {row}: feature of `{coefficient}` is {value}")
            }
            FitError::BadCoefficient {
                coefficient,
                problem,
            } => write!(f, "coefficient `{coefficient}`: {problem}"),
            FitError::Solver => write!(f, "the least-squares solve did not converge"),
            FitError::Overflow => write!(
                f,
                "features and durations too far apart in magnitude: the error overflows"
            ),
        }
    }
}

impl std::error::Error for FitError {}

pub(super) fn validate(coefficients: &[FitCoefficient], rows: &[FitRow]) -> Result<(), FitError> {
    if rows.is_empty() {
        return Err(FitError::NoRows);
    }
    for p in coefficients {
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
            return Err(FitError::BadCoefficient {
                coefficient: p.name.clone(),
                problem,
            });
        }
    }
    for (i, r) in rows.iter().enumerate() {
        if r.features.len() != coefficients.len() {
            return Err(FitError::FeatureCount {
                row: i,
                expected: coefficients.len(),
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
                coefficient: coefficients[j].name.clone(),
                value: r.features[j],
            });
        }
    }
    let free_coefficients = (0..coefficients.len())
        .filter(|&j| is_free(coefficients, rows, j))
        .count();
    if rows.len() < free_coefficients {
        return Err(FitError::TooFewRows {
            rows: rows.len(),
            free_coefficients,
        });
    }
    Ok(())
}

/// Whether coefficient `j` is fitted: its bounds leave room and some row informs it (a feature
/// that is zero on every row leaves the coefficient at its initial value).
pub(super) fn is_free(coefficients: &[FitCoefficient], rows: &[FitRow], j: usize) -> bool {
    coefficients[j].min < coefficients[j].max && rows.iter().any(|r| r.features[j] != 0.0)
}

#[cfg(test)]
mod tests {
    use crate::fit::solver::tests::*;
    use crate::fit::solver::*;

    #[test]
    fn errors() {
        let coefficients = family();
        let good = rows(20, &TRUTH);
        assert_eq!(
            fit(&coefficients, &[], Loss::Squared, 0.0),
            Err(FitError::NoRows)
        );
        assert_eq!(
            fit(&coefficients, &good[..6], Loss::Squared, 0.0),
            Err(FitError::TooFewRows {
                rows: 6,
                free_coefficients: 7
            })
        );
        let mut short = good.clone();
        short[4].features.pop();
        assert_eq!(
            fit(&coefficients, &short, Loss::Squared, 0.0),
            Err(FitError::FeatureCount {
                row: 4,
                expected: 7,
                found: 6
            })
        );
        for value in [f64::NAN, 0.0, -3.0, INF] {
            let mut bad = good.clone();
            bad[5].measured_ns = value;
            let err = fit(&coefficients, &bad, Loss::Squared, 0.0).unwrap_err();
            assert!(
                matches!(err, FitError::BadMeasured { row: 5, .. }),
                "{err:?}"
            );
            assert!(err.to_string().starts_with("row 5:"));
        }
        let mut bad = good.clone();
        bad[8].features[3] = f64::NAN;
        let err = fit(&coefficients, &bad, Loss::Squared, 0.0).unwrap_err();
        assert!(
            matches!(&err, FitError::BadFeature { row: 8, coefficient, .. } if coefficient == "per_hifi_tile")
        );
        assert_eq!(err.to_string(), "row 8: feature of `per_hifi_tile` is NaN");
        let mut bad = good.clone();
        bad[2].offset_ns = INF;
        assert!(matches!(
            fit(&coefficients, &bad, Loss::Squared, 0.0),
            Err(FitError::BadOffset { row: 2, .. })
        ));
        let mut p = coefficients.clone();
        p[1].min = 5.0;
        p[1].max = 1.0;
        assert!(
            matches!(fit(&p, &good, Loss::Squared, 0.0), Err(FitError::BadCoefficient { coefficient, .. }) if coefficient == "per_core")
        );
        let mut p = coefficients.clone();
        p[2].initial = -1.0;
        assert!(
            matches!(fit(&p, &good, Loss::Squared, 0.0), Err(FitError::BadCoefficient { coefficient, .. }) if coefficient == "per_tile")
        );
    }
}
