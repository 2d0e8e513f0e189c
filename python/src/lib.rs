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

use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use ttnn_op_perf_models::tensor::MAX_RANK;
use ttnn_op_perf_models::{
    Accuracy, Bound as Dominant, BufferType, Card, CoreGrid, Device, Error, Estimate, Layout,
    MemoryLayout, Name, Op, OpParam, OwnedParamValue, PerfModels as Models, Query, Shape, Source,
    TensorParams, Version, model_versions,
};
use ttnn_op_perf_tensor_spec as spec;

create_exception!(
    ttnn_op_perf_models,
    PerfModelError,
    PyValueError,
    "Base class of every error the library reports; its message is the library's."
);

/// Defines the subclasses of `PerfModelError`, and `add_exceptions`, which adds them all to
/// the module.
macro_rules! exceptions {
    ($($name:ident: $doc:literal,)*) => {
        $(create_exception!(ttnn_op_perf_models, $name, PerfModelError, $doc);)*

        fn add_exceptions(m: &Bound<'_, PyModule>) -> PyResult<()> {
            let py = m.py();
            m.add("PerfModelError", py.get_type::<PerfModelError>())?;
            $(m.add(stringify!($name), py.get_type::<$name>())?;)*
            Ok(())
        }
    };
}

exceptions! {
    UnknownDeviceError: "No device has this name or alias.",
    UnknownCardError: "No card has this name, or it is not one of the device's.",
    UnknownOpError: "No op has this name or ttnn OP CODE.",
    OpNotLoadedError: "The models were created without this op.",
    NoModelForDeviceError: "The op has no model for the device.",
    NoSuchVersionError: "The model version does not exist.",
    ModeNotModeledError: "The model does not cover this combination of params and tensors.",
    MissingParamError: "A required op param is missing.",
    UnknownParamError: "The op has no param with this key.",
    InvalidParamError: "An op param value is not acceptable.",
    OperandCountError: "The op takes another number of tensors.",
    InvalidTensorError: "A tensor description is invalid for the op.",
    InvalidGridError: "The core grid is empty or larger than the card's.",
    EstimateOverflowError: "A count or the duration overflows.",
    TensorSpecError: "A tensor spec or Tensor argument cannot be read.",
    TraceError: "A profiler trace cannot be read.",
}

/// The library's error as the exception of its kind, with its message.
fn raise(e: Error) -> PyErr {
    let msg = e.to_string();
    match e {
        Error::UnknownDevice { .. } => UnknownDeviceError::new_err(msg),
        Error::UnknownCard { .. } => UnknownCardError::new_err(msg),
        Error::UnknownOp { .. } => UnknownOpError::new_err(msg),
        Error::OpNotLoaded { .. } => OpNotLoadedError::new_err(msg),
        Error::NoModelForDevice { .. } => NoModelForDeviceError::new_err(msg),
        Error::NoSuchVersion { .. } => NoSuchVersionError::new_err(msg),
        Error::ModeNotModeled { .. } => ModeNotModeledError::new_err(msg),
        Error::MissingParam { .. } => MissingParamError::new_err(msg),
        Error::UnknownParam { .. } => UnknownParamError::new_err(msg),
        Error::ParamsOfOtherOp { .. } | Error::InvalidParam { .. } => {
            InvalidParamError::new_err(msg)
        }
        Error::OperandCount { .. } => OperandCountError::new_err(msg),
        Error::InvalidTensor { .. } => InvalidTensorError::new_err(msg),
        Error::InvalidGrid { .. } => InvalidGridError::new_err(msg),
        Error::Overflow { .. } => EstimateOverflowError::new_err(msg),
        _ => PerfModelError::new_err(msg),
    }
}

/// A tensor operand: shape (padded, with logical dims when they differ), dtype, layout and
/// memory, in the terms of the compact syntax (`Tensor.parse("1x1x1024x1024:bf16")`).
#[pyclass(module = "ttnn_op_perf_models", frozen)]
#[derive(Clone)]
struct Tensor {
    t: TensorParams,
}

#[pymethods]
impl Tensor {
    #[new]
    #[pyo3(signature = (shape, dtype = "bfloat16", layout = "tile", memory = "dram", shard = None, orientation = "row_major", logical_shape = None))]
    fn new(
        shape: Vec<u32>,
        dtype: &str,
        layout: &str,
        memory: &str,
        shard: Option<(u32, u32)>,
        orientation: &str,
        logical_shape: Option<Vec<u32>>,
    ) -> PyResult<Self> {
        if shape.len() > MAX_RANK {
            return Err(TensorSpecError::new_err(format!(
                "shape: rank {} is above the limit {MAX_RANK}",
                shape.len()
            )));
        }
        let dtype = spec::parse_dtype(dtype).map_err(TensorSpecError::new_err)?;
        let layout = spec::parse_layout(layout).map_err(TensorSpecError::new_err)?;
        let shard_option = shard.map(|(h, w)| format!("shard={h}x{w}"));
        let mut options: Vec<&str> = shard_option.iter().map(String::as_str).collect();
        if orientation != "row_major" {
            options.push(orientation);
        }
        let sharded = memory.contains('[');
        let memory = if sharded || !options.is_empty() {
            spec::parse_memory(memory, &options)
        } else {
            spec::parse_memory(memory, &[])
        }
        .map_err(TensorSpecError::new_err)?;
        let shape = match logical_shape {
            Some(logical) => Shape::padded(&shape, &logical),
            None => Shape::new(&shape),
        };
        Ok(Tensor {
            t: TensorParams::new(shape, dtype, layout, memory),
        })
    }

    /// A tensor from the compact syntax of `ttperf predict`:
    /// `DIMS:DTYPE[:LAYOUT[:MEMORY[:OPTION]...]]`.
    #[staticmethod]
    fn parse(spec: &str) -> PyResult<Self> {
        spec::parse_tensor(spec)
            .map(|t| Tensor { t })
            .map_err(TensorSpecError::new_err)
    }

    /// Padded dims, outermost first.
    #[getter]
    fn shape(&self) -> Vec<u32> {
        self.t.shape().dims().to_vec()
    }

    #[getter]
    fn logical_shape(&self) -> Vec<u32> {
        self.t.shape().logical().to_vec()
    }

    #[getter]
    fn dtype(&self) -> &'static str {
        self.t.dtype().name()
    }

    #[getter]
    fn layout(&self) -> String {
        match self.t.layout() {
            Layout::TILE => "tile".into(),
            Layout::Tile { height, width } => format!("tile{height}x{width}"),
            Layout::RowMajor => "row_major".into(),
        }
    }

    /// `dram` or `l1`, interleaved, or the sharded form (`l1_height[4x5]`).
    #[getter]
    fn memory(&self) -> String {
        let m = self.t.memory();
        let buffer = match m.buffer {
            BufferType::Dram => "dram",
            BufferType::L1 => "l1",
        };
        let kind = match m.layout {
            MemoryLayout::Interleaved => return buffer.into(),
            MemoryLayout::HeightSharded => "height",
            MemoryLayout::WidthSharded => "width",
            MemoryLayout::BlockSharded => "block",
            MemoryLayout::NdSharded => "nd",
        };
        match m.shard {
            Some(s) => format!(
                "{buffer}_{kind}[{}x{}]",
                s.grid.end.0 as u16 + 1,
                s.grid.end.1 as u16 + 1
            ),
            None => format!("{buffer}_{kind}"),
        }
    }

    /// The shard shape (height, width) in elements; None when interleaved.
    #[getter]
    fn shard(&self) -> Option<(u32, u32)> {
        self.t.memory().shard.map(|s| (s.shape[0], s.shape[1]))
    }

    fn __str__(&self) -> String {
        spec::format_tensor(&self.t).unwrap_or_else(|| format!("{:?}", self.t))
    }

    fn __repr__(&self) -> String {
        match spec::format_tensor(&self.t) {
            Some(s) => format!("Tensor.parse({s:?})"),
            None => format!("<Tensor {:?}>", self.t),
        }
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Tensor>().is_ok_and(|o| o.get().t == self.t)
    }
}

/// A predicted device duration.
#[pyclass(module = "ttnn_op_perf_models", frozen, name = "Estimate")]
struct PyEstimate {
    e: Estimate,
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

    /// The range (low, high) ns 90% of the version's held-out measurements fell in; None
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

/// One query, kept: what a trace row asks; `PerfModels.query(q)` answers it.
#[pyclass(module = "ttnn_op_perf_models", frozen, name = "Query")]
struct PyQuery {
    op: String,
    inputs: Vec<TensorParams>,
    params: Vec<(String, OwnedParamValue)>,
    output: Option<TensorParams>,
    version: Option<u16>,
    grid: Option<(u8, u8)>,
}

impl PyQuery {
    fn run(&self, models: &Models) -> PyResult<Estimate> {
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

/// The tensors of `inputs`: spec strings or Tensor objects.
fn tensors(inputs: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<TensorParams>> {
    if inputs.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what}: expected a list of tensors (spec strings or Tensor objects), got one string; write [{:?}]",
            inputs.extract::<String>()?
        )));
    }
    let mut out = Vec::new();
    for (i, item) in inputs
        .try_iter()
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "{what}: expected a list of tensors, got {}",
                type_name(inputs)
            ))
        })?
        .enumerate()
    {
        out.push(tensor(&item?, &format!("{what}[{i}]"))?);
    }
    Ok(out)
}

fn tensor(item: &Bound<'_, PyAny>, what: &str) -> PyResult<TensorParams> {
    if let Ok(t) = item.cast::<Tensor>() {
        return Ok(t.get().t);
    }
    if let Ok(s) = item.cast::<PyString>() {
        return spec::parse_tensor(&s.to_cow()?)
            .map_err(|e| TensorSpecError::new_err(format!("{what}: {e}")));
    }
    Err(PyTypeError::new_err(format!(
        "{what}: expected a tensor spec string (e.g. \"1x1x32x32:bf16\") or a Tensor, got {}",
        type_name(item)
    )))
}

fn type_name(x: &Bound<'_, PyAny>) -> String {
    x.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// `params` as owned key-value pairs: str, bool, int or float values.
fn params(params: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, OwnedParamValue)>> {
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
    fn new(
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

/// The models of one device and card.
#[pyclass(module = "ttnn_op_perf_models", frozen, name = "PerfModels")]
struct PyPerfModels {
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
    /// the latest (or the pin); `grid` (columns, rows) of cores.
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

/// One device-op row of a profiler trace: its query and its measured duration.
#[pyclass(module = "ttnn_op_perf_models", frozen)]
struct TraceRow {
    #[pyo3(get)]
    line: u64,
    #[pyo3(get)]
    op_code: String,
    #[pyo3(get)]
    device: &'static str,
    /// `DEVICE KERNEL DURATION [ns]`.
    #[pyo3(get)]
    measured_ns: Option<f64>,
    /// `PM IDEAL [ns]`, tt-metal's own estimate.
    #[pyo3(get)]
    baseline_ns: Option<f64>,
    #[pyo3(get)]
    query: Py<PyQuery>,
}

/// A profiler trace read: its rows (iterate it), and what could not be read.
#[pyclass(module = "ttnn_op_perf_models", frozen)]
struct Trace {
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
fn read_trace(py: Python<'_>, path: std::path::PathBuf, device: Option<&str>) -> PyResult<Trace> {
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
