//! The `PerfModels` class: the models of one device and card, which answer queries and list
//! their ops and versions.

use crate::errors::{raise, type_name};
use crate::estimate::PyEstimate;
use crate::query::PyQuery;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use ttnn_op_perf_models::{
    Accuracy, Card, Device, Error, Name, Op, PerfModels as Models, Version, model_versions,
};

/// The models of one device and card.
#[pyclass(module = "ttnn_op_perf_models", frozen, name = "PerfModels")]
pub(crate) struct PyPerfModels {
    m: Models,
}

#[pymethods]
impl PyPerfModels {
    /// The models of `device`, on `card` (default: the device's default card), for `ops`
    /// (names or OP CODEs; default: every op), with `pins` ({op: version}) and the generic
    /// `fallback`.
    #[new]
    #[pyo3(signature = (device, card = None, ops = None, pins = None, fallback = false))]
    fn new(
        device: &str,
        card: Option<&str>,
        ops: Option<Vec<String>>,
        pins: Option<&Bound<'_, PyAny>>,
        fallback: bool,
    ) -> PyResult<Self> {
        let device = Device::from_name(device).map_err(raise)?;
        let mut b = Models::builder(device).fallback(fallback);
        if let Some(card) = card {
            let c = Card::from_name(card).ok_or_else(|| {
                raise(Error::UnknownCard {
                    name: Name::new(card),
                    device,
                })
            })?;
            b = b.card(c);
        }
        let ops: Vec<Op> = ops
            .unwrap_or_default()
            .iter()
            .map(|o| Op::from_name(o).map_err(raise))
            .collect::<PyResult<_>>()?;
        if !ops.is_empty() {
            b = b.ops(&ops);
        }
        let mut pinned = Vec::new();
        if let Some(pins) = pins.filter(|p| !p.is_none()) {
            let dict = pins.cast::<PyDict>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "pins: expected a dict of op -> version, got {}",
                    type_name(pins)
                ))
            })?;
            for (k, v) in dict.iter() {
                let op: String = k.extract()?;
                let version: u16 = v.extract().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "pins[{op:?}]: expected a version number 1..=65535"
                    ))
                })?;
                pinned.push((Op::from_name(&op).map_err(raise)?, version));
            }
        }
        let m = b.pins(&pinned).build().map_err(raise)?;
        Ok(PyPerfModels { m })
    }

    #[getter]
    fn device(&self) -> &'static str {
        self.m.device().name()
    }

    #[getter]
    fn card(&self) -> &'static str {
        self.m.card().name()
    }

    /// Answers one query: `op` a name or ttnn OP CODE (or a Query, then nothing else is
    /// given); `inputs` spec strings or Tensors; `params` a dict; `version` None or 0 for
    /// the latest (or the pin); `grid` (columns, rows) of cores the op may use (None: the
    /// card's compute grid; a matmul given ttnn's `core_grid` also takes `user_core_grid=True`).
    #[pyo3(signature = (op, inputs = None, params = None, output = None, version = None, grid = None))]
    fn query(
        &self,
        op: &Bound<'_, PyAny>,
        inputs: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyAny>>,
        output: Option<&Bound<'_, PyAny>>,
        version: Option<u16>,
        grid: Option<(u8, u8)>,
    ) -> PyResult<PyEstimate> {
        if let Ok(q) = op.cast::<PyQuery>() {
            if inputs.is_some()
                || params.is_some()
                || output.is_some()
                || version.is_some()
                || grid.is_some()
            {
                return Err(PyTypeError::new_err(
                    "query(q): a Query carries its own inputs, params, output, version and grid",
                ));
            }
            return q.get().run(&self.m).map(|e| PyEstimate { e });
        }
        let name = op.cast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!(
                "op: expected an op name or OP CODE (str) or a Query, got {}",
                type_name(op)
            ))
        })?;
        let empty = PyList::empty(op.py());
        let inputs = inputs.unwrap_or(empty.as_any());
        let q = PyQuery::new(
            name.to_cow()?.into_owned(),
            inputs,
            params,
            output,
            version,
            grid,
        )?;
        q.run(&self.m).map(|e| PyEstimate { e })
    }

    /// The ops these models answer: [{"op", "op_codes", "versions", "latest"}], each version
    /// {"version", "family", "calibrated", "median_ape", "p90_ape"}.
    fn list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for op in self.m.ops() {
            let d = PyDict::new(py);
            d.set_item("op", op.name())?;
            d.set_item("op_codes", op.spec().op_codes.to_vec())?;
            let versions = PyList::empty(py);
            for v in model_versions(self.m.device(), op) {
                let vd = PyDict::new(py);
                vd.set_item("version", v.version)?;
                vd.set_item("family", v.family().name())?;
                let (calibrated, median, p90) = match v.accuracy {
                    Accuracy::Measured {
                        median_ape,
                        p90_ape,
                        ..
                    } => (true, Some(median_ape), Some(p90_ape)),
                    Accuracy::Uncalibrated => (false, None, None),
                };
                vd.set_item("calibrated", calibrated)?;
                vd.set_item("median_ape", median)?;
                vd.set_item("p90_ape", p90)?;
                versions.append(vd)?;
            }
            d.set_item("versions", versions)?;
            let latest = self.m.model(op, Version::Latest).map_err(raise)?.version;
            d.set_item("latest", latest)?;
            out.append(d)?;
        }
        Ok(out)
    }

    fn __repr__(&self) -> String {
        format!("<PerfModels {} {}>", self.device(), self.card())
    }
}
