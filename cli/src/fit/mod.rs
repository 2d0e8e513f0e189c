//! `ttperf fit`: calibrating a model family's parameters against measured durations.
//!
//! [`solver`] is the numerical core (weighted least squares over the max of the throughput
//! roofs, with bounds and outlier rejection); [`holdout`] picks the validation rows.

pub mod holdout;
pub mod solver;
