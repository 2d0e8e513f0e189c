//! `ttperf eval` as a table (per op, then overall) or as CSV (one line per row).

use super::summary::{Outcome, RowResult};
use crate::render::pct;
use crate::stats::ape;
use serde_json::Value;

/// How far over its held-out median an op's median may be before the table names it: the
/// margin within which a trace no fit saw is taken to agree with the cross-validated figure.
const BEYOND: f64 = 1.5;

pub(super) fn print_table(s: &Value) {
    println!(
        "{:<44} {:>6} {:>7} {:>9} {:>9} {:>9} {:>10} {:>9} {:>9}  model",
        "OP CODE",
        "rows",
        "modeled",
        "median",
        "p90",
        "held out",
        "PM IDEAL",
        "floor p90",
        "ctx p90"
    );
    // Ops whose median here is over 1.5x their model's held-out median, by measured time.
    let mut beyond: Vec<(&str, f64)> = Vec::new();
    if let Some(by_op) = s["by_op"].as_object() {
        let mut ops: Vec<_> = by_op.iter().collect();
        ops.sort_by(|a, b| {
            b.1["measured_ns"]
                .as_f64()
                .unwrap_or(0.0)
                .total_cmp(&a.1["measured_ns"].as_f64().unwrap_or(0.0))
        });
        for (op, o) in ops {
            let model = o["model"]
                .as_str()
                .unwrap_or(if o["fallback_rows"].as_u64() > Some(0) {
                    "fallback"
                } else {
                    "-"
                });
            if let Some(r) = o["median_over_held_out"].as_f64().filter(|r| *r > BEYOND) {
                beyond.push((op, r));
            }
            println!(
                "{:<44} {:>6} {:>7} {:>9} {:>9} {:>9} {:>10} {:>9} {:>9}  {model}",
                op,
                // As numbers: a JSON value's Display ignores the column width.
                o["rows"].as_u64().unwrap_or(0),
                o["modeled_rows"].as_u64().unwrap_or(0),
                pct(&o["median_ape"]),
                pct(&o["p90_ape"]),
                pct(&o["held_out_median_ape"]),
                pct(&o["baseline_median_ape"]),
                pct(&o["repeat_floor_p90_ape"]),
                pct(&o["context_floor_p90_ape"]),
            );
        }
    }
    println!();
    println!(
        "rows {}: modeled {}, fallback {}, failed {}, malformed {}, implausible duration {}, replayed op info {}; modeled rows cover {} of measured time",
        s["rows"],
        s["modeled_rows"],
        s["fallback_rows"],
        s["failed_rows"],
        s["malformed_rows"],
        s["implausible_duration_rows"],
        s["replayed_info_rows"],
        pct(&s["coverage_time_fraction"])
    );
    println!(
        "modeled rows: median APE {}, p90 {}, mean {}, total time error {}; PM IDEAL median APE {}",
        pct(&s["median_ape"]),
        pct(&s["p90_ape"]),
        pct(&s["mape"]),
        pct(&s["total_time_error"]),
        pct(&s["baseline_median_ape"])
    );
    println!(
        "repeat floor (each query predicted by the median of its repeats): median APE {}, p90 {}",
        pct(&s["repeat_floor_median_ape"]),
        pct(&s["repeat_floor_p90_ape"])
    );
    println!(
        "context floor (each query predicted by the median of its repeats after the same op): median APE {}, p90 {}",
        pct(&s["context_floor_median_ape"]),
        pct(&s["context_floor_p90_ape"])
    );
    if s["back_to_back"]["rows"].as_u64() > Some(0) || s["after_gap"]["rows"].as_u64() > Some(0) {
        println!(
            "dispatch: {} modeled rows back to back (op-to-op latency under {} ns), median APE {}, p90 {}; {} after a longer gap, {}, {}",
            s["back_to_back"]["rows"],
            super::summary::BACK_TO_BACK_GAP_NS,
            pct(&s["back_to_back"]["median_ape"]),
            pct(&s["back_to_back"]["p90_ape"]),
            s["after_gap"]["rows"],
            pct(&s["after_gap"]["median_ape"]),
            pct(&s["after_gap"]["p90_ape"])
        );
        println!(
            "dispatch floor (each query predicted by the median of its repeats dispatched the same way): median APE {}, p90 {}",
            pct(&s["dispatch_floor_median_ape"]),
            pct(&s["dispatch_floor_p90_ape"])
        );
    }
    if !beyond.is_empty() {
        let list: Vec<String> = beyond
            .iter()
            .map(|(op, r)| format!("{op} {r:.1}x"))
            .collect();
        println!(
            "median APE over {BEYOND}x the model's held-out median (its spec's accuracy): {}",
            list.join(", ")
        );
    }
    if let Some(f) = s["failures"].as_object().filter(|f| !f.is_empty()) {
        println!("failures:");
        for (reason, n) in f {
            println!("  {n:>6}  {reason}");
        }
    }
}

pub(super) fn print_csv(rows: &[RowResult]) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "file,line,op_code,model,predicted_ns,measured_ns,ape,baseline_ns,baseline_ape,error"
    )?;
    for r in rows {
        let (model, error) = match &r.outcome {
            Outcome::Model { id, .. } => (id.as_str(), ""),
            Outcome::Fallback { .. } => ("fallback", ""),
            Outcome::Failed { reason } => ("", reason.as_str()),
        };
        let opt = |x: Option<f64>| x.map_or(String::new(), |x| format!("{x}"));
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},\"{}\"",
            r.file,
            r.line,
            r.op_code,
            model,
            opt(r.predicted()),
            r.measured,
            opt(r.predicted().map(|p| ape(p, r.measured))),
            opt(r.baseline),
            opt(r.baseline.filter(|b| *b > 0.0).map(|b| ape(b, r.measured))),
            error.replace('"', "'"),
        )?;
    }
    Ok(())
}
