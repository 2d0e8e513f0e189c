//! Each measured row's outcome, its repeat and context floors, and the summary over the rows
//! (the JSON contract of `ttperf eval --format json`).

use crate::plot::Point;
use crate::stats::{ape, median, p90};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// The profiler's `OP TO OP LATENCY` under which an op counts as dispatched back to back,
/// queued behind the op before it. On the shared traces' multi-core rows a queued op's kernels
/// start spread out (`DEVICE KERNEL FIRST TO LAST START`): the spread and the gap add up to
/// about 1.7 us on Blackhole and 2.5 us on Wormhole for gaps up to ~1.3 us, where after a gap
/// of ~1.8 us or more the kernels start within 150-450 ns of each other.
pub(super) const BACK_TO_BACK_GAP_NS: f64 = 1500.0;

/// The outcome of one measured row.
pub struct RowResult {
    pub file: String,
    pub line: u64,
    pub op_code: String,
    pub measured: f64,
    pub baseline: Option<f64>,
    pub outcome: Outcome,
    /// Everything the model sees of the row (device and query), as text: rows with equal
    /// queries are repeats of one measurement.
    pub query: String,
    /// The OP CODE of the op that ran before this one on the same chip of the same file.
    pub previous_op: Option<String>,
    /// Whether the op followed the one before back to back (its `OP TO OP LATENCY` under
    /// [`BACK_TO_BACK_GAP_NS`]); `None` when the trace does not say.
    pub back_to_back: Option<bool>,
    /// On a modeled row, the APE of the median of its repeats' measured durations (0 without
    /// repeats): the error left to a model that knew each query's typical duration exactly.
    pub repeat_floor_ape: Option<f64>,
    /// As `repeat_floor_ape`, over the repeats that ran after the same op
    /// ([`Self::previous_op`]): the error left to a model that also knew what ran before.
    pub context_floor_ape: Option<f64>,
    /// As `repeat_floor_ape`, over the repeats dispatched the same way
    /// ([`Self::back_to_back`]): the error left to a model that also knew how the op was
    /// dispatched.
    pub dispatch_floor_ape: Option<f64>,
}

pub enum Outcome {
    /// The op's own model answered; `held_out` is the model version's cross-validated median
    /// APE (its spec's accuracy), `None` for an `Uncalibrated` one.
    Model {
        id: String,
        predicted: f64,
        held_out: Option<f64>,
    },
    /// Only the generic fallback answered.
    Fallback { predicted: f64 },
    /// The query failed.
    Failed { reason: String },
}

impl RowResult {
    pub(super) fn predicted(&self) -> Option<f64> {
        match self.outcome {
            Outcome::Model { predicted, .. } | Outcome::Fallback { predicted } => Some(predicted),
            Outcome::Failed { .. } => None,
        }
    }

    /// The row as a point of the plot; `None` when the query failed.
    pub(super) fn point(&self) -> Option<Point<'_>> {
        let modeled = matches!(self.outcome, Outcome::Model { .. });
        Some(Point {
            op_code: &self.op_code,
            measured: self.measured,
            predicted: self.predicted()?,
            modeled,
        })
    }

    pub(super) fn model_ape(&self) -> Option<f64> {
        match self.outcome {
            Outcome::Model { predicted, .. } => Some(ape(predicted, self.measured)),
            _ => None,
        }
    }

    /// The baseline's APE, on rows the model answered (so both are measured on the same rows).
    pub(super) fn baseline_ape(&self) -> Option<f64> {
        self.model_ape()?;
        self.baseline
            .filter(|b| *b > 0.0)
            .map(|b| ape(b, self.measured))
    }
}

/// Sets the floors of the modeled rows ([`RowResult::repeat_floor_ape`],
/// [`RowResult::context_floor_ape`], [`RowResult::dispatch_floor_ape`]), from the modeled rows
/// with the same query (and the same previous op, or the same dispatch).
pub(super) fn set_floors(rows: &mut [RowResult]) {
    let repeat = floor_apes(rows, |r| r.query.clone());
    let context = floor_apes(rows, |r| format!("{} after {:?}", r.query, r.previous_op));
    let dispatch = floor_apes(rows, |r| {
        format!("{} back to back {:?}", r.query, r.back_to_back)
    });
    for (((r, repeat), context), dispatch) in rows.iter_mut().zip(repeat).zip(context).zip(dispatch)
    {
        r.repeat_floor_ape = repeat;
        r.context_floor_ape = context;
        r.dispatch_floor_ape = dispatch;
    }
}

/// For each modeled row, the APE of the median measured duration of the modeled rows that
/// share its `key`; `None` for the other rows.
fn floor_apes(rows: &[RowResult], key: impl Fn(&RowResult) -> String) -> Vec<Option<f64>> {
    let keys: Vec<Option<String>> = rows.iter().map(|r| r.model_ape().map(|_| key(r))).collect();
    let mut repeats: HashMap<&str, Vec<f64>> = HashMap::new();
    for (r, k) in rows.iter().zip(&keys) {
        if let Some(k) = k {
            repeats.entry(k).or_default().push(r.measured);
        }
    }
    let typical: HashMap<&str, f64> = repeats
        .into_iter()
        .filter_map(|(k, mut measured)| Some((k, median(&mut measured)?)))
        .collect();
    rows.iter()
        .zip(&keys)
        .map(|(r, k)| Some(ape(*typical.get(k.as_deref()?)?, r.measured)))
        .collect()
}

/// Counts of the rows of the files that were not scored, by why.
#[derive(Default)]
pub(super) struct Skipped {
    pub(super) malformed: usize,
    pub(super) signposts: usize,
    /// Host ops (`python_fallback`, ...).
    pub(super) host_ops: usize,
    /// Device ops without device data.
    pub(super) host_only: usize,
    /// Durations above the plausible (the Blackhole profiler bug).
    pub(super) implausible: usize,
    /// Rows whose op info is the profiler's replay of an earlier call's.
    pub(super) replayed: usize,
}

pub(super) fn summarize(files: &[PathBuf], rows: &[RowResult], skipped: &Skipped) -> Value {
    let modeled: Vec<&RowResult> = rows.iter().filter(|r| r.model_ape().is_some()).collect();
    let mut apes: Vec<f64> = modeled.iter().filter_map(|r| r.model_ape()).collect();
    let mut baseline: Vec<f64> = rows.iter().filter_map(RowResult::baseline_ape).collect();
    let mut floor: Vec<f64> = rows.iter().filter_map(|r| r.repeat_floor_ape).collect();
    let mut context: Vec<f64> = rows.iter().filter_map(|r| r.context_floor_ape).collect();
    let mut dispatch: Vec<f64> = rows.iter().filter_map(|r| r.dispatch_floor_ape).collect();
    // The modeled rows dispatched one way.
    let dispatched = |back_to_back: bool| {
        let mut a: Vec<f64> = modeled
            .iter()
            .filter(|r| r.back_to_back == Some(back_to_back))
            .filter_map(|r| r.model_ape())
            .collect();
        json!({"rows": a.len(), "median_ape": median(&mut a), "p90_ape": p90(&mut a)})
    };
    let total_measured: f64 = rows.iter().map(|r| r.measured).sum();
    let modeled_measured: f64 = modeled.iter().map(|r| r.measured).sum();
    let modeled_predicted: f64 = modeled.iter().filter_map(|r| r.predicted()).sum();
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    for r in rows {
        if let Outcome::Failed { reason } = &r.outcome {
            *failures.entry(reason.clone()).or_default() += 1;
        }
    }
    let mut by_op: BTreeMap<&str, Vec<&RowResult>> = BTreeMap::new();
    for r in rows {
        by_op.entry(&r.op_code).or_default().push(r);
    }
    let by_op: serde_json::Map<String, Value> = by_op
        .into_iter()
        .map(|(op, rs)| {
            let mut ape: Vec<f64> = rs.iter().filter_map(|r| r.model_ape()).collect();
            let mut base: Vec<f64> = rs.iter().filter_map(|r| r.baseline_ape()).collect();
            let mut floor: Vec<f64> = rs.iter().filter_map(|r| r.repeat_floor_ape).collect();
            let mut context: Vec<f64> = rs.iter().filter_map(|r| r.context_floor_ape).collect();
            let mut models: BTreeMap<&str, (usize, Option<f64>)> = BTreeMap::new();
            for r in &rs {
                if let Outcome::Model { id, held_out, .. } = &r.outcome {
                    models.entry(id).or_insert((0, *held_out)).0 += 1;
                }
            }
            let (model, held_out) = models
                .iter()
                .max_by_key(|(_, (n, _))| *n)
                .map_or((None, None), |(id, (_, h))| (Some(*id), *h));
            let median_ape = median(&mut ape);
            let count = |f: fn(&Outcome) -> bool| rs.iter().filter(|r| f(&r.outcome)).count();
            (
                op.to_string(),
                json!({
                    "rows": rs.len(),
                    "model": model,
                    "modeled_rows": ape.len(),
                    "fallback_rows": count(|o| matches!(o, Outcome::Fallback { .. })),
                    "failed_rows": count(|o| matches!(o, Outcome::Failed { .. })),
                    "measured_ns": rs.iter().map(|r| r.measured).sum::<f64>(),
                    "median_ape": median_ape,
                    "p90_ape": p90(&mut ape),
                    "held_out_median_ape": held_out,
                    "median_over_held_out": median_ape.zip(held_out).filter(|(_, h)| *h > 0.0).map(|(m, h)| m / h),
                    "baseline_median_ape": median(&mut base),
                    "repeat_floor_median_ape": median(&mut floor),
                    "repeat_floor_p90_ape": p90(&mut floor),
                    "context_floor_median_ape": median(&mut context),
                    "context_floor_p90_ape": p90(&mut context),
                }),
            )
        })
        .collect();
    let fraction = |num: f64, den: f64| if den > 0.0 { Some(num / den) } else { None };
    let mape = fraction(apes.iter().sum(), apes.len() as f64);
    json!({
        "files": files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
        "rows": rows.len(),
        "modeled_rows": modeled.len(),
        "fallback_rows": rows.iter().filter(|r| matches!(r.outcome, Outcome::Fallback { .. })).count(),
        "failed_rows": rows.iter().filter(|r| matches!(r.outcome, Outcome::Failed { .. })).count(),
        "malformed_rows": skipped.malformed,
        "signposts": skipped.signposts,
        "host_op_rows": skipped.host_ops,
        "host_only_rows": skipped.host_only,
        "implausible_duration_rows": skipped.implausible,
        "replayed_info_rows": skipped.replayed,
        "coverage_time_fraction": fraction(modeled_measured, total_measured),
        "median_ape": median(&mut apes),
        "p90_ape": p90(&mut apes),
        "mape": mape,
        "total_time_error": fraction((modeled_predicted - modeled_measured).abs(), modeled_measured),
        "baseline_median_ape": median(&mut baseline),
        "repeat_floor_median_ape": median(&mut floor),
        "repeat_floor_p90_ape": p90(&mut floor),
        "context_floor_median_ape": median(&mut context),
        "context_floor_p90_ape": p90(&mut context),
        "dispatch_floor_median_ape": median(&mut dispatch),
        "dispatch_floor_p90_ape": p90(&mut dispatch),
        "back_to_back": dispatched(true),
        "after_gap": dispatched(false),
        "by_op": by_op,
        "failures": failures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(query: &str, measured: f64, outcome: Outcome) -> RowResult {
        after(query, "Prev", measured, outcome)
    }

    fn after(query: &str, previous: &str, measured: f64, outcome: Outcome) -> RowResult {
        RowResult {
            file: "t.csv".into(),
            line: 2,
            op_code: "Op".into(),
            measured,
            baseline: None,
            outcome,
            query: query.into(),
            previous_op: Some(previous.into()),
            back_to_back: None,
            repeat_floor_ape: None,
            context_floor_ape: None,
            dispatch_floor_ape: None,
        }
    }

    fn modeled() -> Outcome {
        Outcome::Model {
            id: "wormhole_b0/matmul@v2".into(),
            predicted: 1.0,
            held_out: Some(0.1),
        }
    }

    #[test]
    fn repeat_floor_is_the_error_of_the_median_of_the_repeats() {
        let mut rows = vec![
            row("a", 100.0, modeled()),
            row("a", 200.0, modeled()),
            row("a", 400.0, modeled()),
            row("b", 50.0, modeled()),
            // Rows the model did not answer are neither repeats nor judged.
            row("a", 1e6, Outcome::Fallback { predicted: 1.0 }),
            row("a", 1e6, Outcome::Failed { reason: "x".into() }),
        ];
        set_floors(&mut rows);
        let floor: Vec<Option<f64>> = rows.iter().map(|r| r.repeat_floor_ape).collect();
        assert_eq!(
            floor,
            [Some(1.0), Some(0.0), Some(0.5), Some(0.0), None, None]
        );
        let s = summarize(&[], &rows, &Skipped::default());
        assert_eq!(s["repeat_floor_median_ape"], json!(0.25));
        assert_eq!(s["repeat_floor_p90_ape"], json!(1.0));
        assert_eq!(s["by_op"]["Op"]["repeat_floor_p90_ape"], json!(1.0));
    }

    #[test]
    fn dispatch_floor_and_split_follow_the_gap() {
        let mut rows: Vec<RowResult> = [
            (Some(true), 300.0),
            (Some(true), 300.0),
            (Some(false), 100.0),
            (None, 100.0),
        ]
        .into_iter()
        .map(|(back_to_back, measured)| RowResult {
            back_to_back,
            ..row("a", measured, modeled())
        })
        .collect();
        set_floors(&mut rows);
        let dispatch: Vec<Option<f64>> = rows.iter().map(|r| r.dispatch_floor_ape).collect();
        assert_eq!(dispatch, [Some(0.0); 4]);
        let s = summarize(&[], &rows, &Skipped::default());
        // Predicted 1 ns: the rows' APEs are 1 - 1/measured.
        assert_eq!(s["back_to_back"]["rows"], json!(2));
        assert_eq!(s["back_to_back"]["median_ape"], json!(1.0 - 1.0 / 300.0));
        assert_eq!(s["after_gap"]["rows"], json!(1));
        assert_eq!(s["after_gap"]["p90_ape"], json!(1.0 - 1.0 / 100.0));
        assert_eq!(s["dispatch_floor_p90_ape"], json!(0.0));
        // The repeats' median (200) is all of 100 off the rows at 100.
        assert_eq!(s["repeat_floor_p90_ape"], json!(1.0));
    }

    #[test]
    fn context_floor_groups_the_repeats_by_the_op_before_them() {
        let mut rows = vec![
            after("a", "Matmul", 400.0, modeled()),
            after("a", "Matmul", 400.0, modeled()),
            after("a", "Other", 100.0, modeled()),
            after("a", "Other", 100.0, modeled()),
            after("a", "Other", 100.0, modeled()),
        ];
        set_floors(&mut rows);
        let repeat: Vec<Option<f64>> = rows.iter().map(|r| r.repeat_floor_ape).collect();
        let context: Vec<Option<f64>> = rows.iter().map(|r| r.context_floor_ape).collect();
        // The repeats' median, 100, is 75% off the rows after `Matmul`; each group's own
        // median explains it exactly.
        assert_eq!(
            repeat,
            [Some(0.75), Some(0.75), Some(0.0), Some(0.0), Some(0.0)]
        );
        assert_eq!(context, [Some(0.0); 5]);
        let s = summarize(&[], &rows, &Skipped::default());
        assert_eq!(s["context_floor_p90_ape"], json!(0.0));
        assert_eq!(s["by_op"]["Op"]["context_floor_median_ape"], json!(0.0));
    }
}
