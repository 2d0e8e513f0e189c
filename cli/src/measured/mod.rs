//! Measured rows for `eval` and `fit`, from the kinds of file in `../shared/data`:
//! tt-metal profiler traces, the Wormhole `exp` sweep, the Wormhole height-sharded matmul
//! sweep and the Blackhole decode matmul sweeps (`more_sweeps/bh_decode_matmul/`). Every row
//! becomes a [`TraceRow`], so a sweep row is queried exactly like a trace row.
//!
//! [`read`] tells a file's kind by its header; traces are read by the library, each sweep by
//! its own reader ([`exp`], [`matmul`], [`decode`]) on the cells [`sweep`] reads.

mod decode;
mod exp;
mod matmul;
mod sweep;

use crate::failure::Failure;
use anyhow::anyhow;
use decode::{DecodeSweep, decode_rows};
use exp::{exp_outputs, exp_row, out_of_step_shapes};
use matmul::matmul_row;
use std::path::Path;
use sweep::{Cell, Sweep, one};
use ttnn_op_perf_models::Device;
use ttnn_op_perf_models::trace::era::Since;
use ttnn_op_perf_models::trace::{Implausible, TraceError, TraceRow, read_trace_file};

/// The rows of one file, and the rows it has that could not be read (line, reason).
#[derive(Default)]
pub struct Measured {
    pub rows: Vec<TraceRow>,
    pub malformed: Vec<(u64, String)>,
    /// Trace rows skipped as `signpost` markers.
    pub signposts: usize,
    /// Trace rows skipped as host ops (`python_fallback`, ...).
    pub host_ops: usize,
    /// Device-op trace rows skipped for having no device data.
    pub host_only: usize,
    /// Rows whose duration is a broken measurement (a trace's, or a sweep shape's out of
    /// step with its rows): they carry no `measured_ns`.
    pub implausible: Vec<Implausible>,
    /// A trace's tt-metal, as far as its rows show (`None`: a sweep).
    pub since: Option<Since>,
}

/// Reads `path`, whatever its kind (told by its header). Trace rows without a `DEVICE ARCH`
/// are taken as measured on `device`; sweep rows are Wormhole rows.
pub fn read(path: &Path, device: Option<Device>) -> Result<Measured, Failure> {
    let name = path.display();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| Failure::io(anyhow!("{name}: {e}")))?;
    let headers = reader
        .headers()
        .map_err(|e| Failure::data(anyhow!("{name}: {e}")))?
        .clone();
    let has = |column: &str| headers.iter().any(|h| h.trim() == column);
    if has("OP CODE") {
        let trace = read_trace_file(path, device).map_err(|e| match e {
            TraceError::Io(_) => Failure::io(anyhow!("{name}: {e}")),
            TraceError::NoDevice => Failure::unknown(anyhow!(
                "{name}: {e} (--device D; fitting several devices, give the file as {name}@D)"
            )),
            _ => Failure::data(anyhow!("{name}: {e}")),
        })?;
        return Ok(Measured {
            rows: trace.rows,
            malformed: trace
                .malformed
                .into_iter()
                .map(|m| (m.line, m.reason))
                .collect(),
            signposts: trace.signposts,
            host_ops: trace.non_device,
            host_only: trace.host_only,
            implausible: trace.implausible,
            since: Some(trace.since),
        });
    }
    let is_exp = has("input_shape_1") && has("kernel_duration");
    let sweep: Sweep = if is_exp {
        one(exp_row)
    } else if has("m_size") && has("num_cores") && has("duration") {
        one(matmul_row)
    } else if let Some(kind) = DecodeSweep::of(&has) {
        Box::new(move |cell: &Cell<'_>| decode_rows(kind, cell))
    } else {
        return Err(Failure::data(anyhow!(
            "{name}: not a profiler trace (no `OP CODE` column) nor a known sweep \
             (`input_shape_1..4, <dtype one-hot>, input_DRAM, input_L1, kernel_duration`, \
             `m_size, k_size, n_size, num_cores, duration`, or one of the Blackhole decode \
             matmul sweeps of `more_sweeps/bh_decode_matmul/`)"
        )));
    };
    let column = |c: &str| headers.iter().position(|h| h.trim() == c);
    let mut measured = Measured::default();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let parsed = record
            .map_err(|e| e.to_string())
            .and_then(|r| sweep(&|c: &str| column(c).and_then(|i| r.get(i)).map(str::trim)));
        match parsed {
            Ok(rows) => {
                for mut row in rows {
                    row.line = line;
                    measured.rows.push(row);
                }
            }
            Err(reason) => measured.malformed.push((line, reason)),
        }
    }
    if is_exp {
        exp_outputs(&mut measured.rows);
        out_of_step_shapes(&mut measured.rows, &mut measured.implausible);
    }
    Ok(measured)
}
