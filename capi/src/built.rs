//! Queries of built parts: tensors and op params checked and converted once, by
//! `ttpm_tensor_build` and `ttpm_op_params_build`, then passed to `ttpm_query_built` as they
//! are, for the repeated queries of a compiler or a scheduler.

use crate::last_error::guard;
use crate::models::TtpmModels;
use crate::query::answer;
use crate::read::{bad, object, param, slice, text, writable};
use crate::types::*;
// The entry points the docs link to.
#[cfg(doc)]
use crate::*;
use ttnn_op_perf_models::{Op, Query, TensorParams};

/// Marks the first word of a built [`TtpmOpParams`]: `TTPMOPPR` in ASCII.
const PARAMS_MAGIC: u64 = u64::from_le_bytes(*b"TTPMOPPR");

/// What a built [`TtpmOpParams`] holds after its magic word.
#[repr(C)]
#[derive(Clone, Copy)]
struct BuiltParams {
    magic: u64,
    value: ttnn_op_perf_models::OpParams,
}

const _: () = {
    // A built tensor is the library's tensor, word for word.
    assert!(size_of::<TensorParams>() == size_of::<TtpmBuiltTensor>());
    assert!(align_of::<TensorParams>() <= align_of::<TtpmBuiltTensor>());
    assert!(size_of::<BuiltParams>() <= size_of::<TtpmOpParams>());
    assert!(align_of::<BuiltParams>() <= align_of::<TtpmOpParams>());
};

/// Builds `*tensor` into `*out` for [`ttpm_query_built`]: the C description checked (null
/// pointers, lengths, enum fields) and converted once. What makes the tensor invalid for an
/// op (dims, tile, shard spec) is reported by the query, as for [`ttpm_query`].
///
/// # Safety
/// `tensor` null (refused) or valid, with its arrays valid for `rank`; `out` null (refused)
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_tensor_build(
    tensor: *const TtpmTensor,
    out: *mut TtpmBuiltTensor,
) -> TtpmStatus {
    guard(|| {
        // SAFETY: the caller's contract, for each read below.
        let t = unsafe { object(tensor, "tensor")? };
        let value = unsafe { crate::read::tensor(t, "tensor", None)? };
        writable(out)?;
        // SAFETY: `out` is writable and aligned for `TtpmBuiltTensor`, which is exactly a
        // `TensorParams` (size and alignment asserted above).
        unsafe { out.cast::<TensorParams>().write(value) };
        Ok(())
    })
}

/// Resolves an op name or OP CODE and its `key = value` params into `*out` for
/// [`ttpm_query_built`], checked against the op's schema: it fails as a query with these
/// params would ([`TTPM_UNKNOWN_OP`], [`TTPM_UNKNOWN_PARAM`], [`TTPM_INVALID_PARAM`],
/// [`TTPM_MISSING_PARAM`], ...).
///
/// # Safety
/// `op` and `params` valid for their lengths; `out` null (refused) or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_op_params_build(
    op: TtpmStr,
    params: *const TtpmParam,
    n_params: usize,
    out: *mut TtpmOpParams,
) -> TtpmStatus {
    guard(|| {
        // SAFETY: the caller's contract, for each read below.
        let op = Op::from_name(unsafe { text(op, "op", None)? })?;
        let raw = unsafe { slice(params, n_params, TTPM_MAX_PARAMS, "params", None)? };
        let mut named = Vec::with_capacity(raw.len());
        for (i, p) in raw.iter().enumerate() {
            named.push(unsafe { param(p, "params", i)? });
        }
        let value = ttnn_op_perf_models::OpParams::from_named(op, &named)?;
        writable(out)?;
        let built = BuiltParams {
            magic: PARAMS_MAGIC,
            value,
        };
        // SAFETY: `out` is writable and aligned; a `BuiltParams` fits (asserted above).
        unsafe { out.cast::<BuiltParams>().write(built) };
        Ok(())
    })
}

/// Answers one query of built parts into `*out`: as [`ttpm_query`] does, without looking
/// anything up by name or describing a tensor again. Allocates nothing for up to 8 inputs.
///
/// # Safety
/// `models` null (refused) or a live handle; `query` and `out` null (refused) or valid; the
/// built structs it points to filled by [`ttpm_tensor_build`] and [`ttpm_op_params_build`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_query_built(
    models: *const TtpmModels,
    query: *const TtpmBuiltQuery,
    out: *mut TtpmEstimate,
) -> TtpmStatus {
    guard(|| {
        // SAFETY: the caller's contract, for each read below.
        let models = unsafe { object(models, "models")? };
        let q = unsafe { object(query, "query")? };
        writable(out)?;
        let op_params = unsafe { object(q.op_params, "query.op_params")? };
        // The magic word first: only then are the bytes after it read as op params.
        if op_params.opaque[0] != PARAMS_MAGIC {
            return Err(bad(
                "query.op_params",
                None,
                "not filled by ttpm_op_params_build",
            )
            .into());
        }
        // SAFETY: the magic word says `ttpm_op_params_build` wrote a `BuiltParams` here.
        let op_params = unsafe { *op_params.opaque.as_ptr().cast::<BuiltParams>() };
        let raw = unsafe { slice(q.inputs, q.n_inputs, TTPM_MAX_TENSORS, "query.inputs", None)? };
        // SAFETY: each `TtpmBuiltTensor` is a `TensorParams` written by `ttpm_tensor_build`
        // (the caller's contract), with the same size and stride.
        let inputs: &[TensorParams] =
            unsafe { std::slice::from_raw_parts(raw.as_ptr().cast(), raw.len()) };
        let output: Option<&TensorParams> = if q.output.is_null() {
            None
        } else {
            let t = unsafe { object(q.output, "query.output")? };
            Some(unsafe { &*(t as *const TtpmBuiltTensor).cast::<TensorParams>() })
        };
        let query = Query::typed(op_params.value, inputs);
        let grid = (q.grid_x, q.grid_y);
        // SAFETY: `out` checked non-null and aligned above.
        unsafe { answer(models, query, q.version, output, grid, out) }
    })
}
