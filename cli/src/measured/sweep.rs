//! What every sweep reader shares: a record's cells by column name, and numbers, dimensions
//! and durations read from them.

use ttnn_op_perf_models::trace::TraceRow;
use ttnn_op_perf_models::{Device, OwnedParamValue};

pub(super) type Cell<'a> = dyn Fn(&str) -> Option<&'a str> + 'a;

/// A sweep's reader of one record: the rows it measures (none for a rejected configuration,
/// two for a record that times two fidelities).
pub(super) type Sweep = Box<dyn Fn(&Cell<'_>) -> Result<Vec<TraceRow>, String>>;

/// A sweep with one row per record.
pub(super) fn one(f: fn(&Cell<'_>) -> Result<TraceRow, String>) -> Sweep {
    Box::new(move |cell: &Cell<'_>| f(cell).map(|row| vec![row]))
}

pub(super) fn number(cell: &Cell<'_>, column: &str) -> Result<f64, String> {
    let text = cell(column).ok_or_else(|| format!("no `{column}`"))?;
    text.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("`{column}` is `{text}`, not a number"))
}

pub(super) fn dim(cell: &Cell<'_>, column: &str) -> Result<u32, String> {
    let x = number(cell, column)?;
    if x < 0.0 || x.fract() != 0.0 || x > u32::MAX as f64 {
        return Err(format!("`{column}` is {x}, not a dimension"));
    }
    Ok(x as u32)
}

pub(super) fn duration(cell: &Cell<'_>, column: &str) -> Result<f64, String> {
    let ns = number(cell, column)?;
    if ns <= 0.0 {
        return Err(format!("`{column}` is {ns}, not a duration"));
    }
    Ok(ns)
}

pub(super) fn sweep_row(op: &str, params: Vec<(&'static str, OwnedParamValue)>) -> TraceRow {
    // The `sweeps/` files were measured on a Wormhole n150; other sweeps set their device.
    TraceRow {
        line: 0,
        op_code: op.into(),
        device: Device::WormholeB0,
        device_id: None,
        params,
        inputs: Vec::new(),
        output: None,
        grid: None,
        measured_ns: None,
        replays: None,
        baseline_ns: None,
        inferred_shards: false,
        gap_ns: None,
    }
}
