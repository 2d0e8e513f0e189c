//! Which tt-metal wrote a trace, as far as its rows show: the latest change whose mark they
//! carry. A kernel that tt-metal changed runs the earlier way in a trace older than the
//! change; an op param that says so reads it here (`ran_before` in the op spec's `trace`
//! sources, [`Since::ran_before`]).
//!
//! A mark proves the trace ran tt-metal from the day its change was opened as a pull
//! request (it merged later), so each mark gives a lower bound. No later mark does not prove
//! the trace older: a trace is read as older than every change its marks do not date it
//! after, which the shared traces bear out (bh20_oft, dated only by its device-operation OP
//! CODEs of December 2025, waits for each row its padding tilize reads, ~513 cycles a row, as
//! the reader did before its ND-sharding rewrite of March 2026). It misjudges a trace written
//! between a change and the first mark after it, or one of only ops that carry no mark.

use super::row::Row;

/// A change to tt-metal that a trace's rows show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    sign: Sign,
    /// The day the change was opened (`yyyymmdd`): the trace ran tt-metal of that day or later.
    pub since: u32,
    /// The change, for the reader.
    pub change: &'static str,
}

/// What a row shows of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sign {
    /// Rows of this OP CODE (an op's name in the device-operation infrastructure it moved to).
    OpCode(&'static str),
    /// Rows of this OP CODE (any, when empty) with this text in their `ATTRIBUTES`.
    Attribute(&'static str, &'static str),
    /// Tensor shapes in `padded[logical]` columns (`INPUT_0_X_PAD[LOGICAL]`).
    LogicalShapes,
}

impl Sign {
    fn shown_by(self, row: &Row<'_>) -> bool {
        match self {
            Sign::OpCode(code) => row.get("OP CODE") == code,
            Sign::Attribute(code, text) => {
                (code.is_empty() || row.get("OP CODE") == code)
                    && row.get("ATTRIBUTES").contains(text)
            }
            Sign::LogicalShapes => !row.plain_shapes,
        }
    }
}

/// The marks, latest first. The dates are the pull requests' (tenstorrent/tt-metal).
const MARKS: [Mark; 10] = [
    Mark {
        sign: Sign::Attribute("", "per_core_allocation="),
        since: 20260729,
        change: "MemoryConfig's per_core_allocation: PR #51501",
    },
    Mark {
        sign: Sign::Attribute("BinaryNgDeviceOperation", "'rtol':"),
        since: 20260504,
        change: "binary_ng's rtol, atol and equal_nan attributes: PR #43515, ttnn.isclose, in review on 2026-05-04",
    },
    Mark {
        sign: Sign::Attribute("UnaryDeviceOperation", "'worker_grid':"),
        since: 20260421,
        change: "the unary op's worker_grid attribute: PR #42737, unary_ng promoted to unary",
    },
    Mark {
        sign: Sign::OpCode("UnaryNgDeviceOperation"),
        since: 20260319,
        change: "the unary_ng device operation: PR #40294, later promoted to the unary op",
    },
    Mark {
        sign: Sign::OpCode("TilizeWithValPaddingDeviceOperation"),
        since: 20251208,
        change: "the padding tilize as a device operation: PR #34006",
    },
    Mark {
        sign: Sign::OpCode("UntilizeWithUnpaddingDeviceOperation"),
        since: 20251204,
        change: "the unpadding untilize as a device operation: PR #33817",
    },
    Mark {
        sign: Sign::OpCode("UntilizeDeviceOperation"),
        since: 20251203,
        change: "the untilize as a device operation: PR #33697, in review on 2025-12-03",
    },
    Mark {
        sign: Sign::Attribute("ShardedToInterleavedDeviceOperation", "'num_slices':"),
        since: 20251126,
        change: "the sharded-to-interleaved op's num_slices attribute: PR #33240, re-landed as PR #33996",
    },
    Mark {
        sign: Sign::OpCode("TilizeDeviceOperation"),
        since: 20251125,
        change: "the tilize as a device operation: PR #33186",
    },
    Mark {
        sign: Sign::LogicalShapes,
        since: 20250812,
        change: "the profiler's logical shape columns, `INPUT_0_X_PAD[LOGICAL]`: PR #26695",
    },
];

/// How recent a trace's tt-metal is, by the latest mark its rows carry (`None`: no mark).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Since(pub Option<Mark>);

impl Since {
    /// The latest mark `rows` carry.
    pub(super) fn of<'a>(rows: impl IntoIterator<Item = Row<'a>>) -> Since {
        let mut latest: Option<Mark> = None;
        for row in rows {
            for m in MARKS {
                if latest.is_some_and(|l| l.since >= m.since) {
                    break;
                }
                if m.sign.shown_by(&row) {
                    latest = Some(m);
                    break;
                }
            }
        }
        Since(latest)
    }

    /// Whether the trace ran tt-metal older than a change merged on `date` (`yyyymmdd`): it
    /// carries no mark of that day or later.
    ///
    /// ```
    /// use ttnn_op_perf_models::trace::read_trace;
    /// let csv = "OP CODE,OP TYPE,DEVICE ARCH,ATTRIBUTES,DEVICE KERNEL DURATION [ns],INPUT_0_X_PAD[LOGICAL]\n\
    ///            UnaryDeviceOperation,tt_dnn_device,blackhole,\"{'worker_grid': '{}'}\",1000,32[32]\n";
    /// let trace = read_trace(csv.as_bytes(), None)?;
    /// // A unary op with `worker_grid`: tt-metal of 2026-04-21 or later.
    /// assert!(!trace.since.ran_before(20260302));
    /// assert!(trace.since.ran_before(20260801));
    /// # Ok::<(), ttnn_op_perf_models::trace::TraceError>(())
    /// ```
    pub fn ran_before(self, date: u32) -> bool {
        self.0.is_none_or(|m| m.since < date)
    }
}

impl core::fmt::Display for Since {
    /// What the rows show: `tt-metal of 2026-04-21 or later (<the change>)`, or that they
    /// show no dated change.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            Some(m) => write!(
                f,
                "tt-metal of {}-{:02}-{:02} or later ({})",
                m.since / 10000,
                m.since / 100 % 100,
                m.since % 100,
                m.change
            ),
            None => f.write_str(
                "no mark of a dated tt-metal change: kernels tt-metal changed are taken as they were before",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::prelude::rust_2024::*;

    /// The latest mark of rows of (OP CODE, ATTRIBUTES) in the older column set.
    fn since(rows: &[(&str, &str)]) -> Since {
        let columns: HashMap<&str, usize> =
            [("OP CODE", 0), ("ATTRIBUTES", 1)].into_iter().collect();
        let records: Vec<csv::StringRecord> = rows
            .iter()
            .map(|(op, a)| csv::StringRecord::from(vec![*op, *a]))
            .collect();
        Since::of(records.iter().map(|record| Row {
            columns: &columns,
            record,
            plain_shapes: true,
        }))
    }

    /// The latest mark wins, whichever row comes first; a mark's text on another op's row
    /// is no mark.
    #[test]
    fn the_latest_mark_dates_the_trace() {
        let unary = (
            "UnaryDeviceOperation",
            "{'op_chain': 'x'; 'worker_grid': '{}'}",
        );
        let binary = (
            "BinaryNgDeviceOperation",
            "{'atol': '1e-08'; 'rtol': '1e-05'}",
        );
        assert_eq!(since(&[]).0, None);
        assert_eq!(since(&[unary]).0.map(|m| m.since), Some(20260421));
        assert_eq!(since(&[unary, binary]).0.map(|m| m.since), Some(20260504));
        assert_eq!(since(&[binary, unary]).0.map(|m| m.since), Some(20260504));
        let memory = (
            "TilizeDeviceOperation",
            "{'output_mem_config': 'MemoryConfig(buffer_type=BufferType::DRAM;per_core_allocation=0)'}",
        );
        assert_eq!(since(&[unary, memory]).0.map(|m| m.since), Some(20260729));
        assert_eq!(
            since(&[("MatmulDeviceOperation", "{'worker_grid': '{}'}")]).0,
            None
        );
        // An op's device-operation name.
        let tilize = ("TilizeWithValPaddingDeviceOperation", "{'pad_value': '0'}");
        assert_eq!(since(&[tilize]).0.map(|m| m.since), Some(20251208));
        let unary_ng = (
            "UnaryNgDeviceOperation",
            "{'op_chain': 'x'; 'worker_grid': '{}'}",
        );
        assert_eq!(
            since(&[tilize, unary_ng]).0.map(|m| m.since),
            Some(20260319)
        );
        assert_eq!(since(&[unary_ng, unary]).0.map(|m| m.since), Some(20260421));
        assert_eq!(
            since(&[("TilizeWithValPadding", "{'pad_value': '0'}")]).0,
            None
        );
        // The sharded-to-interleaved op's `num_slices`, which its Partial variant always wrote.
        let s2i = |code| {
            (
                code,
                "{'num_slices': '1'; 'output_dtype': 'DataType::BFLOAT16'}",
            )
        };
        let dated = since(&[s2i("ShardedToInterleavedDeviceOperation")]).0;
        assert_eq!(dated.map(|m| m.since), Some(20251126));
        assert_eq!(
            since(&[s2i("ShardedToInterleavedPartialDeviceOperation")]).0,
            None
        );
    }

    /// `Since::of` stops at the first mark no later than the one it holds: the marks must
    /// run latest first.
    #[test]
    fn marks_run_latest_first() {
        assert!(MARKS.windows(2).all(|w| w[0].since > w[1].since));
    }

    /// The newer column set (`padded[logical]` shapes) dates a trace from August 2025 on.
    #[test]
    fn logical_shape_columns_are_a_mark() {
        let columns: HashMap<&str, usize> =
            [("OP CODE", 0), ("ATTRIBUTES", 1)].into_iter().collect();
        let record = csv::StringRecord::from(vec!["MatmulDeviceOperation", "{}"]);
        let row = |plain_shapes| Row {
            columns: &columns,
            record: &record,
            plain_shapes,
        };
        assert_eq!(Since::of([row(false)]).0.map(|m| m.since), Some(20250812));
        assert_eq!(Since::of([row(true)]).0, None);
    }

    /// A trace without marks ran older tt-metal than any change; one with a mark, older only
    /// than changes after it.
    #[test]
    fn ran_before_a_change_unless_a_later_mark_says_otherwise() {
        let unmarked = Since(None);
        assert!(unmarked.ran_before(20260302));
        let marked = since(&[("UnaryDeviceOperation", "{'worker_grid': '{}'}")]);
        assert!(!marked.ran_before(20260302));
        assert!(!marked.ran_before(20260421));
        assert!(marked.ran_before(20260422));
        assert_eq!(
            std::format!("{marked}"),
            "tt-metal of 2026-04-21 or later (the unary op's worker_grid attribute: PR #42737, unary_ng promoted to unary)"
        );
    }
}
