//! The Wormhole `exp` sweep (`sweeps/wh_exp_sweep.csv`): one interleaved unary op per record.

use super::sweep::{Cell, dim, duration, number, sweep_row};
use ttnn_op_perf_models::trace::{Broken, Implausible, TraceRow};
use ttnn_op_perf_models::{DType, MemoryConfig, OwnedParamValue, TensorParams};

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
/// whose durations their shapes do not explain either: see [`out_of_step_shapes`].)
pub(super) fn exp_outputs(rows: &mut [TraceRow]) {
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

/// Spread of one shape's durations, across its dtypes, input memories and runs, beyond which
/// the durations are not that shape's: where the sweep is consistent (up to line 2674) no
/// shape's runs span more than 3.0x, as dtypes change the bytes at most ~4x and the exp's
/// cycles less.
pub(super) const SHAPE_SPREAD: f64 = 4.0;

/// Sets aside the durations of every shape whose runs span more than [`SHAPE_SPREAD`], as
/// [`Broken::OutOfStep`] (the rows stay, without a measured duration): the sweep's rank-4 rows
/// from line 2674 on come in runs of about 25 rows that carry the neighbouring shape's
/// durations (lines 4233-4257 time `[4, 37, 256, 480]` at 5-7 us, the shape before's, and
/// from line 4258 at its own 580 us), and a shape whose rows straddle such a run cannot say
/// which of its durations are its own. Shapes whose neighbour takes about as long are not
/// caught.
pub(super) fn out_of_step_shapes(rows: &mut [TraceRow], implausible: &mut Vec<Implausible>) {
    let shape = |r: &TraceRow| r.inputs.first().map(|x| *x.shape());
    let mut start = 0;
    while start < rows.len() {
        let first = shape(&rows[start]);
        let end = start
            + rows[start..]
                .iter()
                .take_while(|r| shape(r) == first)
                .count();
        let block = &mut rows[start..end];
        let shortest = block
            .iter()
            .filter_map(|r| r.measured_ns)
            .fold(f64::INFINITY, f64::min);
        let longest = block
            .iter()
            .filter_map(|r| r.measured_ns)
            .fold(0.0, f64::max);
        if longest > SHAPE_SPREAD * shortest {
            for r in block.iter_mut() {
                if let Some(ns) = r.measured_ns.take() {
                    implausible.push(Implausible {
                        line: r.line,
                        duration_ns: ns,
                        why: Broken::OutOfStep,
                    });
                }
            }
        }
        start = end;
    }
}

/// `ttnn.exp` of one interleaved tile tensor; the shape is padded to rank 4 with trailing
/// zeros, the dtype and buffer are one-hot columns.
pub(super) fn exp_row(cell: &Cell<'_>) -> Result<TraceRow, String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measured::read;

    /// A shape whose rows span more than 4x keeps its rows without durations, each listed as
    /// implausible with its line; a shape within it keeps its durations, whatever its
    /// neighbours.
    #[test]
    fn a_shape_whose_durations_span_more_than_4x_is_not_measured() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("exp.csv");
        let header = "input_shape_1,input_shape_2,input_shape_3,input_shape_4,bfloat8,bfloat16,float32,uint16,uint32,input_DRAM,input_L1,kernel_duration";
        let row = |shape: &str, dtype: &str, ns: u32| format!("{shape},{dtype},1,0,{ns}");
        let (bf16, f32) = ("0,1,0,0,0", "0,0,1,0,0");
        let text = [
            header.to_string(),
            row("64,64,0,0", bf16, 5000),
            row("64,64,0,0", f32, 14000),
            row("4,37,256,480", bf16, 6000),
            row("4,37,256,480", f32, 580000),
            row("32,32,0,0", bf16, 4000),
        ]
        .join("\n");
        std::fs::write(&path, text).unwrap();
        let measured = read(&path, None).unwrap();
        let durations: Vec<(u64, Option<f64>)> = measured
            .rows
            .iter()
            .map(|r| (r.line, r.measured_ns))
            .collect();
        assert_eq!(
            durations,
            [
                (2, Some(5000.0)),
                (3, Some(14000.0)),
                (4, None),
                (5, None),
                (6, Some(4000.0)),
            ]
        );
        let set_aside: Vec<(u64, f64, Broken)> = measured
            .implausible
            .iter()
            .map(|i| (i.line, i.duration_ns, i.why))
            .collect();
        assert_eq!(
            set_aside,
            [
                (4, 6000.0, Broken::OutOfStep),
                (5, 580000.0, Broken::OutOfStep)
            ]
        );
        assert!(measured.malformed.is_empty());
    }

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
