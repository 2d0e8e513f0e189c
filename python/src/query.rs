//! The `Query` class: a query kept with owned tensors and params, so that it can be built
//! once (or read from a trace) and answered any number of times.

use crate::errors::{InvalidParamError, raise, type_name};
use crate::tensor::{Tensor, tensor, tensors};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};
use ttnn_op_perf_models::{
    CoreGrid, Estimate, OpParam, OwnedParamValue, PerfModels as Models, Query, TensorParams,
};

/// One query, kept: what a trace row asks; `PerfModels.query(q)` answers it.
#[pyclass(module = "ttnn_op_perf_models", frozen, name = "Query")]
pub(crate) struct PyQuery {
    pub(crate) op: String,
    pub(crate) inputs: Vec<TensorParams>,
    pub(crate) params: Vec<(String, OwnedParamValue)>,
    pub(crate) output: Option<TensorParams>,
    pub(crate) version: Option<u16>,
    pub(crate) grid: Option<(u8, u8)>,
}

impl PyQuery {
    pub(crate) fn run(&self, models: &Models) -> PyResult<Estimate> {
        let params: Vec<OpParam<'_>> = self
            .params
            .iter()
            .map(|(k, v)| OpParam::new(k, v.as_value()))
            .collect();
        let mut q = Query::named(&self.op, &self.inputs).params(&params);
        if let Some(v) = self.version.filter(|v| *v != 0) {
            q = q.version(v);
        }
        if let Some(o) = &self.output {
            q = q.output(o);
        }
        if let Some((x, y)) = self.grid {
            q = q.grid(CoreGrid::new(x, y));
        }
        models.query(&q).map_err(raise)
    }
}

/// `params` as owned key-value pairs: str, bool, int or float values.
pub(crate) fn params(
    params: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<(String, OwnedParamValue)>> {
    let Some(params) = params.filter(|p| !p.is_none()) else {
        return Ok(Vec::new());
    };
    let dict = params.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!(
            "params: expected a dict of key -> value, got {}",
            type_name(params)
        ))
    })?;
    let mut out = Vec::with_capacity(dict.len());
    for (k, v) in dict.iter() {
        let key: String = k.extract().map_err(|_| {
            PyTypeError::new_err(format!("params: keys must be str, got {}", type_name(&k)))
        })?;
        let value = if v.is_instance_of::<PyBool>() {
            OwnedParamValue::Bool(v.extract()?)
        } else if v.is_instance_of::<PyInt>() {
            OwnedParamValue::Int(v.extract().map_err(|_| {
                InvalidParamError::new_err(format!(
                    "params[{key:?}]: the integer does not fit 64 bits"
                ))
            })?)
        } else if v.is_instance_of::<PyFloat>() {
            OwnedParamValue::Float(v.extract()?)
        } else if let Ok(s) = v.cast::<PyString>() {
            OwnedParamValue::Enum(s.to_cow()?.into_owned())
        } else {
            return Err(PyTypeError::new_err(format!(
                "params[{key:?}]: expected str, bool, int or float, got {}",
                type_name(&v)
            )));
        };
        out.push((key, value));
    }
    Ok(out)
}

#[pymethods]
impl PyQuery {
    #[new]
    #[pyo3(signature = (op, inputs, params = None, output = None, version = None, grid = None))]
    pub(crate) fn new(
        op: String,
        inputs: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        output: Option<&Bound<'_, PyAny>>,
        version: Option<u16>,
        grid: Option<(u8, u8)>,
    ) -> PyResult<Self> {
        Ok(PyQuery {
            op,
            inputs: tensors(inputs, "inputs")?,
            params: self::params(params)?,
            output: output
                .filter(|o| !o.is_none())
                .map(|o| tensor(o, "output"))
                .transpose()?,
            version,
            grid,
        })
    }

    /// The op name or ttnn OP CODE.
    #[getter]
    fn op(&self) -> &str {
        &self.op
    }

    #[getter]
    fn inputs(&self) -> Vec<Tensor> {
        self.inputs.iter().map(|t| Tensor { t: *t }).collect()
    }

    #[getter]
    fn output(&self) -> Option<Tensor> {
        self.output.map(|t| Tensor { t })
    }

    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in &self.params {
            match v {
                OwnedParamValue::Int(i) => d.set_item(k, i)?,
                OwnedParamValue::Float(x) => d.set_item(k, x)?,
                OwnedParamValue::Bool(b) => d.set_item(k, b)?,
                OwnedParamValue::Enum(s) => d.set_item(k, s)?,
            }
        }
        Ok(d)
    }

    #[getter]
    fn grid(&self) -> Option<(u8, u8)> {
        self.grid
    }

    #[getter]
    fn version(&self) -> Option<u16> {
        self.version
    }

    fn __repr__(&self) -> String {
        let inputs: Vec<String> = self
            .inputs
            .iter()
            .map(|t| Tensor { t: *t }.__str__())
            .collect();
        format!("<Query {} {:?}>", self.op, inputs)
    }
}
