//! Reading what C hands in: every pointer checked for null and alignment, every length
//! against its limit, every string for UTF-8 and every enum field for its range, before
//! anything is read through it; then converted to the library's params and tensors.

use crate::types::*;
use std::fmt;
use ttnn_op_perf_models::tensor::MAX_RANK;
use ttnn_op_perf_models::{
    BufferType, CoreRange, DType, Layout, MemoryConfig, MemoryLayout, OpParam, ParamValue, Shape,
    ShardOrientation, ShardSpec, TensorParams,
};

/// Where in a call a malformed argument is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ArgError {
    pub(crate) status: TtpmStatus,
    /// The field (`query.inputs`), with the index of the element where it is an array.
    field: &'static str,
    index: Option<usize>,
    /// A second field inside the element (`shape`).
    member: Option<&'static str>,
    problem: &'static str,
    value: Option<u64>,
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.field)?;
        if let Some(i) = self.index {
            write!(f, "[{i}]")?;
        }
        if let Some(m) = self.member {
            write!(f, ".{m}")?;
        }
        write!(f, ": {}", self.problem)?;
        if let Some(v) = self.value {
            write!(f, " (got {v})")?;
        }
        Ok(())
    }
}

/// A malformed argument.
pub(crate) fn bad(field: &'static str, index: Option<usize>, problem: &'static str) -> ArgError {
    ArgError {
        status: TTPM_INVALID_ARGUMENT,
        field,
        index,
        member: None,
        problem,
        value: None,
    }
}

/// The object `ptr` points to, checked for null and alignment.
///
/// # Safety
/// A non-null, aligned `ptr` must point to a valid `T` that outlives `'a`.
pub(crate) unsafe fn object<'a, T>(ptr: *const T, field: &'static str) -> Result<&'a T, ArgError> {
    if ptr.is_null() {
        return Err(bad(field, None, "null pointer"));
    }
    if !ptr.is_aligned() {
        return Err(bad(field, None, "misaligned pointer"));
    }
    // SAFETY: non-null and aligned; valid by the caller's contract.
    Ok(unsafe { &*ptr })
}

/// Checks `out`, where an entry point writes its result, for null and alignment (it is
/// written only once the call has succeeded).
pub(crate) fn writable<T>(out: *mut T) -> Result<(), ArgError> {
    if out.is_null() || !out.is_aligned() {
        return Err(bad("out", None, "null or misaligned pointer"));
    }
    Ok(())
}

/// The `len` elements at `ptr`: empty for `len` 0, else checked for null, alignment and
/// `len <= max`.
///
/// # Safety
/// A non-null, aligned `ptr` with `len <= max` must point to `len` valid elements.
pub(crate) unsafe fn slice<'a, T>(
    ptr: *const T,
    len: usize,
    max: usize,
    field: &'static str,
    index: Option<usize>,
) -> Result<&'a [T], ArgError> {
    if len == 0 {
        return Ok(&[]);
    }
    if len > max {
        return Err(ArgError {
            value: Some(len as u64),
            ..bad(field, index, "length above the limit (a length that lies?)")
        });
    }
    if ptr.is_null() {
        return Err(bad(field, index, "null pointer with a non-zero length"));
    }
    if !ptr.is_aligned() {
        return Err(bad(field, index, "misaligned pointer"));
    }
    // SAFETY: checked above; valid by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The UTF-8 text of `s`.
///
/// # Safety
/// As [`slice`], for `s.len` bytes at `s.ptr`.
pub(crate) unsafe fn text<'a>(
    s: TtpmStr,
    field: &'static str,
    index: Option<usize>,
) -> Result<&'a str, ArgError> {
    // SAFETY: the caller's contract.
    let bytes = unsafe { slice(s.ptr.cast::<u8>(), s.len, TTPM_MAX_STR_LEN, field, index)? };
    if bytes.is_ascii() {
        // SAFETY: ASCII is UTF-8 (the common case, checked a word at a time).
        return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    std::str::from_utf8(bytes).map_err(|_| bad(field, index, "not UTF-8"))
}

/// A C param as a library param.
///
/// # Safety
/// The strings of `p` must be valid for their lengths.
pub(crate) unsafe fn param<'a>(
    p: &'a TtpmParam,
    field: &'static str,
    i: usize,
) -> Result<OpParam<'a>, ArgError> {
    // SAFETY: the caller's contract.
    let key = unsafe { text(p.key, field, Some(i))? };
    let value = match p.kind {
        TTPM_PARAM_INT => ParamValue::Int(p.int_value),
        TTPM_PARAM_FLOAT => ParamValue::Float(p.float_value),
        TTPM_PARAM_BOOL => ParamValue::Bool(p.int_value != 0),
        TTPM_PARAM_ENUM => ParamValue::Enum(unsafe { text(p.enum_value, field, Some(i))? }),
        other => {
            return Err(ArgError {
                member: Some("kind"),
                value: Some(other.into()),
                ..bad(field, Some(i), "not a TTPM_PARAM_* value")
            });
        }
    };
    Ok(OpParam::new(key, value))
}

/// A C tensor as a library tensor: the enums and arrays checked, the rest (dims, tile,
/// shard spec against the op and the card) the library's to check.
///
/// # Safety
/// The arrays `t` points to must be valid for their lengths.
pub(crate) unsafe fn tensor(
    t: &TtpmTensor,
    field: &'static str,
    index: Option<usize>,
) -> Result<TensorParams, ArgError> {
    let enum_field = |member, value: u32| ArgError {
        member: Some(member),
        value: Some(value.into()),
        ..bad(field, index, "not a value of its TTPM_* constants")
    };
    if t.rank == 0 || t.rank > MAX_RANK {
        return Err(ArgError {
            status: TTPM_INVALID_TENSOR,
            member: Some("rank"),
            value: Some(t.rank as u64),
            ..bad(field, index, "outside 1..=8")
        });
    }
    let member = |e: ArgError, m| ArgError {
        member: Some(m),
        ..e
    };
    // SAFETY: the caller's contract.
    let padded = unsafe { slice(t.shape, t.rank, MAX_RANK, field, index) }
        .map_err(|e| member(e, "shape"))?;
    let shape = if t.logical_shape.is_null() {
        Shape::new(padded)
    } else {
        let logical = unsafe { slice(t.logical_shape, t.rank, MAX_RANK, field, index) }
            .map_err(|e| member(e, "logical_shape"))?;
        Shape::padded(padded, logical)
    };
    let dtype = *DType::ALL
        .get(t.dtype as usize)
        .ok_or_else(|| enum_field("dtype", t.dtype))?;
    let side = |s: u16| if s == 0 { 32 } else { s };
    let layout = match t.layout {
        TTPM_LAYOUT_TILE => Layout::Tile {
            height: side(t.tile_height),
            width: side(t.tile_width),
        },
        TTPM_LAYOUT_ROW_MAJOR => Layout::RowMajor,
        other => return Err(enum_field("layout", other)),
    };
    let buffer = match t.buffer {
        TTPM_BUFFER_DRAM => BufferType::Dram,
        TTPM_BUFFER_L1 => BufferType::L1,
        other => return Err(enum_field("buffer", other)),
    };
    let memory_layout = match t.memory_layout {
        TTPM_MEMORY_INTERLEAVED => MemoryLayout::Interleaved,
        TTPM_MEMORY_HEIGHT_SHARDED => MemoryLayout::HeightSharded,
        TTPM_MEMORY_WIDTH_SHARDED => MemoryLayout::WidthSharded,
        TTPM_MEMORY_BLOCK_SHARDED => MemoryLayout::BlockSharded,
        TTPM_MEMORY_ND_SHARDED => MemoryLayout::NdSharded,
        other => return Err(enum_field("memory_layout", other)),
    };
    let shard = if t.shard.is_null() {
        None
    } else {
        let s = unsafe { object(t.shard, field) }.map_err(|e| ArgError {
            index,
            ..member(e, "shard")
        })?;
        let orientation = match s.orientation {
            TTPM_SHARD_ROW_MAJOR => ShardOrientation::RowMajor,
            TTPM_SHARD_COL_MAJOR => ShardOrientation::ColMajor,
            other => return Err(enum_field("shard.orientation", other)),
        };
        let grid = CoreRange {
            start: (s.start_x, s.start_y),
            end: (s.end_x, s.end_y),
        };
        let mut spec = ShardSpec::new(grid, [s.height, s.width], orientation);
        if s.cores != 0 {
            spec.cores = s.cores;
        }
        Some(spec)
    };
    let memory = MemoryConfig {
        buffer,
        layout: memory_layout,
        shard,
    };
    Ok(TensorParams::new(shape, dtype, layout, memory))
}
