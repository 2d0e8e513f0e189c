//! The Python module `ttnn_op_perf_models` (pyo3, abi3): models, queries with tensors in the
//! compact syntax of `ttperf predict` or as `Tensor` objects, the list of ops and versions,
//! a profiler-trace reader, and one exception class per kind of error.
//!
//! ```python
//! import ttnn_op_perf_models as tpm
//! m = tpm.PerfModels("wormhole_b0")
//! e = m.query("matmul", inputs=["1x1x128x4096:bf16", "1x1x4096x4096:bf8"], params={"math_fidelity": "hifi2"})
//! print(e.duration_ns, e.bound, e.model, e.band_ns)
//! ```
//!
//! Built by maturin (`python/pyproject.toml`, which enables the `extension-module` feature);
//! tested by pytest (`python/tests`). The type stubs are `python/ttnn_op_perf_models.pyi`.
//!
//! One module a class or two: `errors` (the exceptions), `tensor`, `query`, `estimate`,
//! `models` (`PerfModels`) and `trace` (`read_trace`).

mod errors;
mod estimate;
mod models;
mod query;
mod tensor;
mod trace;

use errors::add_exceptions;
use estimate::PyEstimate;
use models::PyPerfModels;
use pyo3::prelude::*;
use query::PyQuery;
use tensor::Tensor;
use trace::{Trace, TraceRow, read_trace};
use ttnn_op_perf_models::Device;

/// The devices the build has models for.
#[pyfunction]
fn devices() -> Vec<&'static str> {
    Device::ALL.iter().map(|d| d.name()).collect()
}

#[pymodule]
#[pyo3(name = "ttnn_op_perf_models")]
fn python_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPerfModels>()?;
    m.add_class::<Tensor>()?;
    m.add_class::<PyQuery>()?;
    m.add_class::<PyEstimate>()?;
    m.add_class::<TraceRow>()?;
    m.add_class::<Trace>()?;
    m.add_function(wrap_pyfunction!(read_trace, m)?)?;
    m.add_function(wrap_pyfunction!(devices, m)?)?;
    add_exceptions(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
