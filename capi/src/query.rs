//! Queries by name: a C query read, answered, and the estimate written back as C has it.

use crate::last_error::{Failure, guard};
use crate::models::{Names, TtpmModels};
use crate::read::{object, param, slice, tensor, text, writable};
use crate::types::*;
// The entry points the docs link to.
#[cfg(doc)]
use crate::*;
use smallvec::SmallVec;
use ttnn_op_perf_models::{
    Accuracy, Bound, CoreGrid, Estimate, OpParam, Query, Source, TensorParams,
};

/// Answers one query into `*out`.
///
/// Returns [`TTPM_OK`] with `*out` filled, or the failure's status with `*out` untouched
/// and the message available from [`ttpm_last_error_message`] on this thread. Allocates
/// nothing for up to 8 tensors and 16 params.
///
/// # Safety
/// `models` must be null (refused) or a live handle; `query` and `out` null (refused) or
/// valid; every pointer in the query valid for its length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_query(
    models: *const TtpmModels,
    query: *const TtpmQuery,
    out: *mut TtpmEstimate,
) -> TtpmStatus {
    guard(|| {
        // SAFETY: the caller's contract, for each read below.
        let models = unsafe { object(models, "models")? };
        let q = unsafe { object(query, "query")? };
        writable(out)?;
        let op = unsafe { text(q.op, "query.op", None)? };
        let raw_params =
            unsafe { slice(q.params, q.n_params, TTPM_MAX_PARAMS, "query.params", None)? };
        let mut params: SmallVec<[OpParam<'_>; 16]> = SmallVec::new();
        for (i, p) in raw_params.iter().enumerate() {
            params.push(unsafe { param(p, "query.params", i)? });
        }
        let raw_inputs =
            unsafe { slice(q.inputs, q.n_inputs, TTPM_MAX_TENSORS, "query.inputs", None)? };
        let mut inputs: SmallVec<[TensorParams; 8]> = SmallVec::new();
        for (i, t) in raw_inputs.iter().enumerate() {
            inputs.push(unsafe { tensor(t, "query.inputs", Some(i))? });
        }
        let output = if q.output.is_null() {
            None
        } else {
            let t = unsafe { object(q.output, "query.output")? };
            Some(unsafe { tensor(t, "query.output", None)? })
        };
        let query = Query::named(op, &inputs).params(&params);
        let grid = (q.grid_x, q.grid_y);
        // SAFETY: `out` checked non-null and aligned above.
        unsafe { answer(models, query, q.version, output.as_ref(), grid, out) }
    })
}

/// Answers `query` with the version (0: latest), output and grid (0 x 0: the card's) a C
/// query gives, into `*out`.
///
/// # Safety
/// `out` must be non-null, aligned and writable.
#[inline(always)]
pub(crate) unsafe fn answer<'a>(
    models: &TtpmModels,
    mut query: Query<'a>,
    version: u16,
    output: Option<&'a TensorParams>,
    (grid_x, grid_y): (u8, u8),
    out: *mut TtpmEstimate,
) -> Result<(), Failure> {
    if version != 0 {
        query = query.version(version);
    }
    if let Some(o) = output {
        query = query.output(o);
    }
    if (grid_x, grid_y) != (0, 0) {
        query = query.grid(CoreGrid::new(grid_x, grid_y));
    }
    let estimate = models.models.query(&query)?;
    // SAFETY: the caller's contract.
    unsafe { out.write(to_c(&estimate, models.names)) };
    Ok(())
}

/// An estimate as C has it.
fn to_c(e: &Estimate, names: &Names) -> TtpmEstimate {
    let b = &e.breakdown;
    let (device, op, version, fallback) = match e.source {
        Source::Model(id) => (
            names.devices[id.device.index()].as_ptr(),
            names.ops[id.op.index()].as_ptr(),
            id.version,
            0,
        ),
        Source::Fallback { device, op } => (
            names.devices[device.index()].as_ptr(),
            op.map_or(std::ptr::null(), |op| names.ops[op.index()].as_ptr()),
            0,
            1,
        ),
    };
    let (median_ape, p90_ape, calibration_rows) = match e.accuracy {
        Accuracy::Measured {
            median_ape,
            p90_ape,
            rows,
        } => (median_ape, p90_ape, rows),
        Accuracy::Uncalibrated => (0.0, 0.0, 0),
    };
    TtpmEstimate {
        duration_ns: e.duration_ns,
        overhead_ns: b.overhead_ns,
        compute_ns: b.compute_ns,
        dram_ns: b.dram_ns,
        noc_ns: b.noc_ns,
        median_ape,
        p90_ape,
        calibration_rows,
        bound: match e.bound {
            Bound::Overhead => TTPM_BOUND_OVERHEAD,
            Bound::Compute => TTPM_BOUND_COMPUTE,
            Bound::Dram => TTPM_BOUND_DRAM,
            Bound::Noc => TTPM_BOUND_NOC,
        },
        device,
        op,
        version,
        fallback,
    }
}

/// The range the measured duration falls in for 90% of the answering version's
/// cross-validated rows (of data files the fit never saw), ns, into `*low` and `*high`:
/// `duration / (1 + p90)` to `duration / (1 - p90)`. Returns 0 and writes nothing when there is none (an uncalibrated
/// version, the fallback, or `p90 >= 1`) or a pointer is null; 1 otherwise.
///
/// # Safety
/// `estimate` null or valid; `low` and `high` null or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_estimate_band(
    estimate: *const TtpmEstimate,
    low: *mut f64,
    high: *mut f64,
) -> u8 {
    // SAFETY: the caller's contract.
    let Ok(e) = (unsafe { object(estimate, "estimate") }) else {
        return 0;
    };
    let p90 = e.p90_ape;
    let band = e.calibration_rows > 0 && e.fallback == 0 && (0.0..1.0).contains(&p90);
    if !band || low.is_null() || high.is_null() || !low.is_aligned() || !high.is_aligned() {
        return 0;
    }
    // SAFETY: checked non-null and aligned.
    unsafe {
        low.write(e.duration_ns / (1.0 + p90));
        high.write(e.duration_ns / (1.0 - p90));
    }
    1
}
