//! Output shared by several commands: an estimate (`predict`, `estimate`, and the accuracy
//! `list` shows), and the table of cross-validation folds (`crossval`, and the report of
//! `fit`) from their JSON form.

use clap::ValueEnum;
use serde_json::{Map, Value, json};
use ttnn_op_perf_models::{Accuracy, Bound, Estimate, Source};

/// Output format of `list`, `predict` and `estimate`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns.
    Table,
    /// One JSON object on stdout.
    Json,
}

/// A fraction as a percentage with one decimal (`12.3%`), or `-` when it is not a number.
pub fn pct(v: &Value) -> String {
    v.as_f64()
        .map_or_else(|| "-".into(), |x| format!("{:.1}%", 100.0 * x))
}

/// `device/op@vN`, or `fallback`.
pub fn model_label(source: &Source) -> String {
    match source {
        Source::Model(id) => id.to_string(),
        Source::Fallback { .. } => "fallback".into(),
    }
}

pub fn bound_name(bound: Bound) -> &'static str {
    match bound {
        Bound::Overhead => "overhead",
        Bound::Compute => "compute",
        Bound::Dram => "dram",
        Bound::Noc => "noc",
    }
}

/// `uncalibrated`, or the measured error band.
pub fn accuracy_text(accuracy: Accuracy) -> String {
    match accuracy {
        Accuracy::Uncalibrated => "uncalibrated".into(),
        Accuracy::Measured {
            median_ape,
            p90_ape,
            rows,
        } => format!(
            "median APE {:.1}%, p90 {:.1}% on {rows} rows",
            100.0 * median_ape,
            100.0 * p90_ape
        ),
    }
}

/// `"uncalibrated"`, or `{"median_ape", "p90_ape", "rows"}` (APEs as fractions).
pub fn accuracy_json(accuracy: Accuracy) -> Value {
    match accuracy {
        Accuracy::Uncalibrated => json!("uncalibrated"),
        Accuracy::Measured {
            median_ape,
            p90_ape,
            rows,
        } => json!({"median_ape": median_ape, "p90_ape": p90_ape, "rows": rows}),
    }
}

/// An estimate's fields: `model`, `duration_ns`, `bound`, `breakdown`, `accuracy`,
/// `band_ns` (`[low, high]` from [`Estimate::band_ns`], or null).
pub fn estimate_json(e: &Estimate) -> Map<String, Value> {
    let b = &e.breakdown;
    let breakdown = json!({
        "overhead_ns": b.overhead_ns,
        "compute_ns": b.compute_ns,
        "dram_ns": b.dram_ns,
        "noc_ns": b.noc_ns,
    });
    Map::from_iter([
        ("model".into(), json!(model_label(&e.source))),
        ("duration_ns".into(), json!(e.duration_ns)),
        ("bound".into(), json!(bound_name(e.bound))),
        ("breakdown".into(), breakdown),
        ("accuracy".into(), accuracy_json(e.accuracy)),
        (
            "band_ns".into(),
            e.band_ns().map_or(Value::Null, |(lo, hi)| json!([lo, hi])),
        ),
    ])
}

/// The folds (as [`crate::fit::crossval::fold_json`] writes them) as a table.
pub fn print_folds(folds: &[Value]) {
    println!(
        "{:<40} {:<12} {:>8} {:>7} {:>8} {:>8} {:>9} {:>8} {:>8} {:>6}",
        "held out",
        "device",
        "fit rows",
        "rows",
        "median",
        "p90",
        "floor p90",
        "pairs",
        "ranked",
        "ties"
    );
    for f in folds {
        print_fold_line(
            f["held_out"].as_str().unwrap_or(""),
            f["device"].as_str().unwrap_or(""),
            &f["fit_rows"].to_string(),
            f,
        );
        if let Some(why) = f["prior_because"].as_str() {
            println!("  (predicted by the physics prior: {why})");
        }
    }
}

pub fn print_fold_line(name: &str, device: &str, fit_rows: &str, f: &Value) {
    println!(
        "{:<40} {:<12} {:>8} {:>7} {:>8} {:>8} {:>9} {:>8} {:>8} {:>6}",
        name,
        device,
        fit_rows,
        f["rows"].to_string(),
        pct(&f["median_ape"]),
        pct(&f["p90_ape"]),
        pct(&f["repeat_floor_p90_ape"]),
        f["rank_pairs"].to_string(),
        pct(&f["rank_accuracy"]),
        f["rank_ties"].to_string(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_shows_uncalibrated() {
        assert_eq!(accuracy_text(Accuracy::Uncalibrated), "uncalibrated");
        assert_eq!(accuracy_json(Accuracy::Uncalibrated), json!("uncalibrated"));
        let measured = Accuracy::Measured {
            median_ape: 0.08,
            p90_ape: 0.25,
            rows: 40,
        };
        assert_eq!(
            accuracy_text(measured),
            "median APE 8.0%, p90 25.0% on 40 rows"
        );
        assert_eq!(accuracy_json(measured)["rows"], 40);
    }
}
