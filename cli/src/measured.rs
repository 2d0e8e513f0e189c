//! Measured rows for `eval` and `fit`, from the three kinds of file in `../shared/data`:
//! tt-metal profiler traces, the Wormhole `exp` sweep and the Wormhole height-sharded matmul
//! sweep. Every row becomes a [`TraceRow`], so a sweep row is queried exactly like a trace row.

use crate::Failure;
use anyhow::anyhow;
use std::path::Path;
use ttnn_op_perf_models::trace::{TraceError, TraceRow, read_trace_file};
use ttnn_op_perf_models::{
    BufferType, CoreGrid, CoreRange, DType, Device, Hardware, MemoryConfig, MemoryLayout,
    OwnedParamValue, ShardOrientation, ShardSpec, TensorParams,
};

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
    /// Trace rows whose duration is a profiler bug (line, duration): they carry no
    /// `measured_ns`.
    pub implausible: Vec<(u64, f64)>,
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
            implausible: trace
                .implausible
                .into_iter()
                .map(|i| (i.line, i.duration_ns))
                .collect(),
        });
    }
    let is_exp = has("input_shape_1") && has("kernel_duration");
    let sweep = if is_exp {
        exp_row
    } else if has("m_size") && has("num_cores") && has("duration") {
        matmul_row
    } else {
        return Err(Failure::data(anyhow!(
            "{name}: not a profiler trace (no `OP CODE` column) nor a known sweep \
             (`input_shape_1..4, <dtype one-hot>, input_DRAM, input_L1, kernel_duration` or \
             `m_size, k_size, n_size, num_cores, duration`)"
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
            Ok(mut row) => {
                row.line = line;
                measured.rows.push(row);
            }
            Err(reason) => measured.malformed.push((line, reason)),
        }
    }
    if is_exp {
        exp_outputs(&mut measured.rows);
    }
    Ok(measured)
}

/// Sets the output memory of the `exp` sweep's rows, which the file does not record.
///
/// The sweep is tt-metal's sweep-framework `exp` sweep
/// (`tests/sweep_framework/sweeps/eltwise/unary/exp/exp.py`): every (shape, dtype, input
/// memory) runs `ttnn.exp(x, memory_config=output_memory_config)` for `output_memory_config`
/// in `[DRAM, L1]` times `use_safe_nums` in `[True, False]`, in that order. So a query's
/// consecutive rows are output DRAM, DRAM, L1, L1. The file agrees: a query has its third
/// and fourth rows exactly when its L1-resident bytes (the output, plus the input when that is
/// in L1 too) are at most 77.8 MB (64 cores of ~1.2 MB free L1), and only the first two
/// otherwise: the L1-output runs did not fit. (Not so in the rank-4 rows from line 2674 on,
/// whose durations their shapes do not explain either.)
fn exp_outputs(rows: &mut [TraceRow]) {
    let mut repeat = 0;
    for i in 0..rows.len() {
        let same_query =
            i > 0 && rows[i - 1].line + 1 == rows[i].line && rows[i - 1].inputs == rows[i].inputs;
        repeat = if same_query { repeat + 1 } else { 0 };
        let row = &mut rows[i];
        let Some(x) = row.inputs.first().copied() else {
            continue;
        };
        row.output = Some(x.with_memory(if repeat < 2 {
            MemoryConfig::DRAM_INTERLEAVED
        } else {
            MemoryConfig::L1_INTERLEAVED
        }));
    }
}

type Cell<'a> = dyn Fn(&str) -> Option<&'a str> + 'a;

fn number(cell: &Cell<'_>, column: &str) -> Result<f64, String> {
    let text = cell(column).ok_or_else(|| format!("no `{column}`"))?;
    text.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("`{column}` is `{text}`, not a number"))
}

fn dim(cell: &Cell<'_>, column: &str) -> Result<u32, String> {
    let x = number(cell, column)?;
    if x < 0.0 || x.fract() != 0.0 || x > u32::MAX as f64 {
        return Err(format!("`{column}` is {x}, not a dimension"));
    }
    Ok(x as u32)
}

fn duration(cell: &Cell<'_>, column: &str) -> Result<f64, String> {
    let ns = number(cell, column)?;
    if ns <= 0.0 {
        return Err(format!("`{column}` is {ns}, not a duration"));
    }
    Ok(ns)
}

fn sweep_row(op: &str, params: Vec<(&'static str, OwnedParamValue)>) -> TraceRow {
    // Both sweeps were measured on a Wormhole n150.
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
        baseline_ns: None,
        inferred_shards: false,
    }
}

/// `ttnn.exp` of one interleaved tile tensor; the shape is padded to rank 4 with trailing
/// zeros, the dtype and buffer are one-hot columns.
fn exp_row(cell: &Cell<'_>) -> Result<TraceRow, String> {
    let mut dims = Vec::with_capacity(4);
    for c in [
        "input_shape_1",
        "input_shape_2",
        "input_shape_3",
        "input_shape_4",
    ] {
        dims.push(dim(cell, c)?);
    }
    while dims.last() == Some(&0) {
        dims.pop();
    }
    if dims.is_empty() || dims.contains(&0) {
        return Err(format!("shape {dims:?} has a zero inside"));
    }
    let hot = |c: &str| number(cell, c).map(|x| x == 1.0);
    let mut dtypes = Vec::new();
    for (c, d) in [
        ("bfloat8", DType::Bfloat8B),
        ("bfloat16", DType::Bfloat16),
        ("float32", DType::Float32),
        ("uint16", DType::Uint16),
        ("uint32", DType::Uint32),
    ] {
        if hot(c)? {
            dtypes.push(d);
        }
    }
    let [dtype] = dtypes[..] else {
        return Err("not exactly one dtype column is 1".into());
    };
    let memory = match (hot("input_DRAM")?, hot("input_L1")?) {
        (true, false) => MemoryConfig::DRAM_INTERLEAVED,
        (false, true) => MemoryConfig::L1_INTERLEAVED,
        _ => return Err("not exactly one of input_DRAM, input_L1 is 1".into()),
    };
    let x = TensorParams::tiled(&dims, dtype, memory);
    let mut row = sweep_row(
        "eltwise_unary",
        vec![("unary_op", OwnedParamValue::Enum("exp".into()))],
    );
    row.inputs = vec![x];
    row.output = Some(x);
    row.measured_ns = Some(duration(cell, "kernel_duration")?);
    Ok(row)
}

/// A bfloat16 `[m, k] @ [k, n]` with `a` and the output height-sharded in L1 over
/// `num_cores` (whole tile rows per core, as ttnn requires) and `b` interleaved in DRAM, with
/// the program config ttnn generates for it (`auto`): the sweep's durations jump where ttnn's
/// generated 1D config shrinks its output block to fit L1, which an explicit config does not.
fn matmul_row(cell: &Cell<'_>) -> Result<TraceRow, String> {
    let (m, k, n) = (
        dim(cell, "m_size")?,
        dim(cell, "k_size")?,
        dim(cell, "n_size")?,
    );
    let cores = dim(cell, "num_cores")?;
    let full = Hardware::of(Device::WormholeB0.default_card()).compute_grid;
    let grid = CoreGrid::most_square(cores, full)
        .ok_or_else(|| format!("{cores} cores do not fit a {full} grid"))?;
    let shard_rows = m.div_ceil(32).div_ceil(cores.max(1)) * 32;
    let sharded = |cols: u32| {
        MemoryConfig::sharded(
            BufferType::L1,
            MemoryLayout::HeightSharded,
            ShardSpec::new(
                CoreRange::of_grid(grid),
                [shard_rows, cols],
                ShardOrientation::RowMajor,
            ),
        )
    };
    let mut row = sweep_row(
        "matmul",
        vec![("program_config", OwnedParamValue::Enum("auto".into()))],
    );
    row.inputs = vec![
        TensorParams::tiled(&[m, k], DType::Bfloat16, sharded(k)),
        TensorParams::tiled(&[k, n], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED),
    ];
    row.output = Some(TensorParams::tiled(&[m, n], DType::Bfloat16, sharded(n)));
    row.grid = Some(grid);
    row.measured_ns = Some(duration(cell, "duration")?);
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_sweep_repeats_write_to_dram_then_l1() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("exp.csv");
        let header = "input_shape_1,input_shape_2,input_shape_3,input_shape_4,bfloat8,bfloat16,float32,uint16,uint32,input_DRAM,input_L1,kernel_duration";
        // Four runs of one L1 query, two of a DRAM one, then the L1 query again (a new query:
        // its rows start over).
        let l1 = "64,64,0,0,0,1,0,0,0,0,1,5000";
        let dram = "32,32,0,0,0,0,1,0,0,1,0,4000";
        let text = [header, l1, l1, l1, l1, dram, dram, l1, l1, l1].join("\n");
        std::fs::write(&path, text).unwrap();
        let rows = read(&path, None).unwrap().rows;
        let out: Vec<(u64, bool, bool)> = rows
            .iter()
            .map(|r| {
                let o = r.output.unwrap();
                assert_eq!(o.shape(), r.inputs[0].shape());
                (r.line, o.memory().is_dram(), r.inputs[0].memory().is_dram())
            })
            .collect();
        assert_eq!(
            out,
            [
                (2, true, false),
                (3, true, false),
                (4, false, false),
                (5, false, false),
                (6, true, true),
                (7, true, true),
                (8, true, false),
                (9, true, false),
                (10, false, false),
            ]
        );
        assert_eq!(
            rows[3].output.unwrap().memory(),
            MemoryConfig::L1_INTERLEAVED
        );
    }
}
