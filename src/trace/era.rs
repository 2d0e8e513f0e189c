//! Which tt-metal wrote a trace, as far as its rows show: the latest change whose mark they
//! carry. A kernel that tt-metal changed runs the earlier way in a trace older than the
//! change; an op param that says so reads it here (`ran_before` in the op spec's `trace`
//! sources, [`Since::ran_before`]).
//!
//! A mark proves the trace ran tt-metal from the day its change was opened as a pull
//! request (it merged later), so each mark gives a lower bound. No mark does not prove the
//! trace older: a trace without any is read as older than every change the marks date, which
//! the shared traces without one bear out (bh20_oft's padding tilize waits for each row it
//! reads, ~513 cycles a row, as the reader did before its ND-sharding rewrite), and which
//! misjudges a trace written between that change and the first mark after it, or one of
//! only ops that carry no mark.

use super::row::Row;

/// A change to tt-metal that a trace's rows show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// The rows that carry it: this OP CODE (any, when empty) ...
    op_code: &'static str,
    /// ... with this text in its `ATTRIBUTES`.
    attributes: &'static str,
    /// The day the change was opened (`yyyymmdd`): the trace ran tt-metal of that day or later.
    pub since: u32,
    /// The change, for the reader.
    pub change: &'static str,
}

/// The marks, latest first. The dates are the pull requests' (tenstorrent/tt-metal).
const MARKS: [Mark; 3] = [
    Mark {
        op_code: "",
        attributes: "per_core_allocation=",
        since: 20260729,
        change: "MemoryConfig's per_core_allocation: PR #51501",
    },
    Mark {
        op_code: "BinaryNgDeviceOperation",
        attributes: "'rtol':",
        since: 20260504,
        change: "binary_ng's rtol, atol and equal_nan attributes: PR #43515, ttnn.isclose, in review on 2026-05-04",
    },
    Mark {
        op_code: "UnaryDeviceOperation",
        attributes: "'worker_grid':",
        since: 20260421,
        change: "the unary op's worker_grid attribute: PR #42737, unary_ng promoted to unary",
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
            let (op_code, attributes) = (row.get("OP CODE"), row.get("ATTRIBUTES"));
            for m in MARKS {
                if latest.is_some_and(|l| l.since >= m.since) {
                    break;
                }
                if (m.op_code.is_empty() || m.op_code == op_code)
                    && attributes.contains(m.attributes)
                {
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
            plain_shapes: false,
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
