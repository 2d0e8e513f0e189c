//! The `Estimate` class: a library estimate in Python terms (strings, tuples, dicts).

use pyo3::prelude::*;
use pyo3::types::PyDict;
use ttnn_op_perf_models::{Accuracy, Bound as Dominant, Estimate, Source};

/// A predicted device duration.
#[pyclass(module = "ttnn_op_perf_models", frozen, name = "Estimate")]
pub(crate) struct PyEstimate {
    pub(crate) e: Estimate,
}

#[pymethods]
impl PyEstimate {
    /// Predicted device kernel duration, ns (finite, positive).
    #[getter]
    fn duration_ns(&self) -> f64 {
        self.e.duration_ns
    }

    /// The dominant term: "overhead", "compute", "dram" or "noc".
    #[getter]
    fn bound(&self) -> &'static str {
        match self.e.bound {
            Dominant::Overhead => "overhead",
            Dominant::Compute => "compute",
            Dominant::Dram => "dram",
            Dominant::Noc => "noc",
        }
    }

    /// `device/op@vN`, or `device/fallback` when the generic fallback answered.
    #[getter]
    fn model(&self) -> String {
        match self.e.source {
            Source::Model(id) => id.to_string(),
            Source::Fallback { device, .. } => format!("{device}/fallback"),
        }
    }

    /// The model version that answered; None for the fallback.
    #[getter]
    fn version(&self) -> Option<u16> {
        match self.e.source {
            Source::Model(id) => Some(id.version),
            Source::Fallback { .. } => None,
        }
    }

    #[getter]
    fn fallback(&self) -> bool {
        self.e.is_fallback()
    }

    /// The range (low, high) ns 90% of the version's cross-validated measurements fell in; None
    /// when uncalibrated.
    #[getter]
    fn band_ns(&self) -> Option<(f64, f64)> {
        self.e.band_ns()
    }

    /// Held-out error of the version: {"median_ape", "p90_ape", "rows"}; None when
    /// uncalibrated.
    #[getter]
    fn accuracy<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        match self.e.accuracy {
            Accuracy::Uncalibrated => Ok(None),
            Accuracy::Measured {
                median_ape,
                p90_ape,
                rows,
            } => {
                let d = PyDict::new(py);
                d.set_item("median_ape", median_ape)?;
                d.set_item("p90_ape", p90_ape)?;
                d.set_item("rows", rows)?;
                Ok(Some(d))
            }
        }
    }

    /// The terms, ns: {"overhead_ns", "compute_ns", "dram_ns", "noc_ns"}.
    #[getter]
    fn breakdown<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let b = &self.e.breakdown;
        let d = PyDict::new(py);
        d.set_item("overhead_ns", b.overhead_ns)?;
        d.set_item("compute_ns", b.compute_ns)?;
        d.set_item("dram_ns", b.dram_ns)?;
        d.set_item("noc_ns", b.noc_ns)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Estimate {:.0} ns, {}-bound, by {}>",
            self.e.duration_ns,
            self.bound(),
            self.model()
        )
    }
}
