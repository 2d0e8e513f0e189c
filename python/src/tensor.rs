//! Tensors: the `Tensor` class, and the tensors of an argument, spec strings or `Tensor`
//! objects, both read by the compact syntax of `ttperf predict` (`ttnn-op-perf-tensor-spec`).

use crate::errors::{TensorSpecError, type_name};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use ttnn_op_perf_models::tensor::MAX_RANK;
use ttnn_op_perf_models::{BufferType, Layout, MemoryLayout, Shape, TensorParams};
use ttnn_op_perf_tensor_spec as spec;

/// A tensor operand: shape (padded, with logical dims when they differ), dtype, layout and
/// memory, in the terms of the compact syntax (`Tensor.parse("1x1x1024x1024:bf16")`).
#[pyclass(module = "ttnn_op_perf_models", frozen)]
#[derive(Clone)]
pub(crate) struct Tensor {
    pub(crate) t: TensorParams,
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
        let memory = spec::parse_memory(memory, &options).map_err(TensorSpecError::new_err)?;
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

    pub(crate) fn __str__(&self) -> String {
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

/// The tensors of `inputs`: spec strings or Tensor objects.
pub(crate) fn tensors(inputs: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<TensorParams>> {
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

/// One tensor of an argument, a spec string or a `Tensor`; `what` names it in errors.
pub(crate) fn tensor(item: &Bound<'_, PyAny>, what: &str) -> PyResult<TensorParams> {
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
