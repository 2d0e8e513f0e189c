//! Profiler traces: `read_trace` and the `Trace` and `TraceRow` it returns.

use crate::errors::{TraceError, raise};
use crate::query::PyQuery;
use pyo3::prelude::*;
use pyo3::types::PyList;
use ttnn_op_perf_models::Device;
use ttnn_op_perf_models::trace::Replay;

/// One device-op row of a profiler trace: its query and its measured duration.
#[pyclass(module = "ttnn_op_perf_models", frozen)]
pub(crate) struct TraceRow {
    #[pyo3(get)]
    line: u64,
    #[pyo3(get)]
    op_code: String,
    #[pyo3(get)]
    device: &'static str,
    /// `DEVICE KERNEL DURATION [ns]`; `None` also for a row that replays another call's op
    /// info (`replays`).
    #[pyo3(get)]
    measured_ns: Option<f64>,
    /// Whether the row shows op info that may be another call's (tt-metal's profiler records
    /// it once per program hash, and binary ops' hash leaves the shapes out): its shapes may
    /// be that call's, so it is not a measurement of its query.
    #[pyo3(get)]
    replayed: bool,
    /// The line of the earlier call whose recorded op info this row repeats; `None` also for
    /// a replayed row of a metal trace whose info a call before the trace's rows recorded.
    #[pyo3(get)]
    replays: Option<u64>,
    /// `PM IDEAL [ns]`, tt-metal's own estimate.
    #[pyo3(get)]
    baseline_ns: Option<f64>,
    #[pyo3(get)]
    query: Py<PyQuery>,
}

/// A profiler trace read: its rows (iterate it), and what could not be read.
#[pyclass(module = "ttnn_op_perf_models", frozen)]
pub(crate) struct Trace {
    #[pyo3(get)]
    rows: Py<PyList>,
    /// [(line, reason)] of rows that could not be read.
    #[pyo3(get)]
    malformed: Vec<(u64, String)>,
    #[pyo3(get)]
    signposts: usize,
}

#[pymethods]
impl Trace {
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.rows.bind(py).as_any().try_iter().map(|i| i.into_any())
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.rows.bind(py).len()
    }
}

/// Reads a tt-metal `ops_perf_results` CSV: each device-op row's query and measured
/// duration. `device` serves rows whose `DEVICE ARCH` is empty.
#[pyfunction]
#[pyo3(signature = (path, device = None))]
pub(crate) fn read_trace(
    py: Python<'_>,
    path: std::path::PathBuf,
    device: Option<&str>,
) -> PyResult<Trace> {
    let device = device.map(Device::from_name).transpose().map_err(raise)?;
    let trace = ttnn_op_perf_models::trace::read_trace_file(&path, device)
        .map_err(|e| TraceError::new_err(format!("{}: {e}", path.display())))?;
    let rows = PyList::empty(py);
    for r in trace.rows {
        let query = PyQuery {
            op: r.op_code.clone(),
            inputs: r.inputs,
            params: r
                .params
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            output: r.output,
            version: None,
            grid: r.grid.map(|g| (g.x, g.y)),
        };
        rows.append(TraceRow {
            line: r.line,
            op_code: r.op_code,
            device: r.device.name(),
            measured_ns: r.measured_ns,
            replayed: r.replays.is_some(),
            replays: match r.replays {
                Some(Replay::Line(line)) => Some(line),
                Some(Replay::BeforeTrace) | None => None,
            },
            baseline_ns: r.baseline_ns,
            query: Py::new(py, query)?,
        })?;
    }
    Ok(Trace {
        rows: rows.unbind(),
        malformed: trace
            .malformed
            .into_iter()
            .map(|m| (m.line, m.reason))
            .collect(),
        signposts: trace.signposts,
    })
}
