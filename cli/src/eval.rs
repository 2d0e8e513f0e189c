//! `ttperf eval`: predictions against the measured durations of tt-metal profiler traces
//! (beside the trace's own `PM IDEAL [ns]` estimate) and of the sweeps.
//!
//! APE = |predicted - measured| / measured. `--format json` prints exactly one JSON object
//! (the summary contract in the README); `table` prints per-op and overall summaries; `csv`
//! prints one line per row.

use crate::failure::Failure;
use crate::plot::Point;
use crate::render::pct;
use crate::stats::{ape, median, p90};
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::PathBuf;
use ttnn_op_perf_models::trace::TraceRow;
use ttnn_op_perf_models::{Device, Error, PerfModels, Source, Version};

#[derive(clap::Args)]
pub struct Args {
    /// tt-metal `ops_perf_results` CSV files, or sweep CSVs (see `ttperf fit`).
    #[arg(required = true)]
    traces: Vec<PathBuf>,
    /// Device of rows whose `DEVICE ARCH` is empty; required for traces without the column.
    #[arg(long)]
    device: Option<String>,
    /// Model version: a number, or `latest`.
    #[arg(long, default_value = "latest", value_parser = parse_version)]
    version: Version,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also write a log-log predicted-vs-measured scatter plot, coloured by op (SVG).
    #[arg(long)]
    plot: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

fn parse_version(s: &str) -> Result<Version, String> {
    match s {
        "latest" => Ok(Version::Latest),
        n => n
            .parse()
            .map(Version::Exact)
            .map_err(|_| format!("`{n}` is neither a version number nor `latest`")),
    }
}

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
    /// On a modeled row, the APE of the median of its repeats' measured durations (0 without
    /// repeats): the error left to a model that knew each query's typical duration exactly.
    pub repeat_floor_ape: Option<f64>,
    /// As `repeat_floor_ape`, over the repeats that ran after the same op
    /// ([`Self::previous_op`]): the error left to a model that also knew what ran before.
    pub context_floor_ape: Option<f64>,
}

pub enum Outcome {
    /// The op's own model answered.
    Model { id: String, predicted: f64 },
    /// Only the generic fallback answered.
    Fallback { predicted: f64 },
    /// The query failed.
    Failed { reason: String },
}

impl RowResult {
    fn predicted(&self) -> Option<f64> {
        match self.outcome {
            Outcome::Model { predicted, .. } | Outcome::Fallback { predicted } => Some(predicted),
            Outcome::Failed { .. } => None,
        }
    }

    /// The row as a point of the plot; `None` when the query failed.
    fn point(&self) -> Option<Point<'_>> {
        let modeled = matches!(self.outcome, Outcome::Model { .. });
        Some(Point {
            op_code: &self.op_code,
            measured: self.measured,
            predicted: self.predicted()?,
            modeled,
        })
    }

    fn model_ape(&self) -> Option<f64> {
        match self.outcome {
            Outcome::Model { predicted, .. } => Some(ape(predicted, self.measured)),
            _ => None,
        }
    }

    /// The baseline's APE, on rows the model answered (so both are measured on the same rows).
    fn baseline_ape(&self) -> Option<f64> {
        self.model_ape()?;
        self.baseline
            .filter(|b| *b > 0.0)
            .map(|b| ape(b, self.measured))
    }
}

/// Sets [`RowResult::repeat_floor_ape`] and [`RowResult::context_floor_ape`] on the modeled
/// rows, from the modeled rows with the same query (and the same previous op).
fn set_floors(rows: &mut [RowResult]) {
    let repeat = floor_apes(rows, |r| r.query.clone());
    let context = floor_apes(rows, |r| format!("{} after {:?}", r.query, r.previous_op));
    for ((r, repeat), context) in rows.iter_mut().zip(repeat).zip(context) {
        r.repeat_floor_ape = repeat;
        r.context_floor_ape = context;
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

/// A grouping key for a failed query: the error, less the values of the row's params.
fn reason(e: &Error) -> String {
    match e {
        Error::ModeNotModeled { op, what } => format!("{op}: {what} is not modeled"),
        Error::MissingParam { op, param } => format!("{op}: missing param {}", param.key),
        Error::UnknownParam { op, key } => format!("{op}: unknown param {key}"),
        Error::InvalidParam { op, param, .. } => format!("{op}: invalid param {}", param.key),
        Error::InvalidTensor {
            operand, problem, ..
        } => format!("invalid tensor: {operand}: {problem}"),
        other => other.to_string(),
    }
}

pub fn run(args: Args) -> Result<(), Failure> {
    let default_device = args
        .device
        .as_deref()
        .map(Device::from_name)
        .transpose()
        .map_err(Failure::unknown)?;
    let mut results = Vec::new();
    let mut skipped = Skipped::default();
    let mut managers: HashMap<Device, PerfModels> = HashMap::new();
    for path in &args.traces {
        let trace = crate::measured::read(path, default_device)?;
        let file = path.display().to_string();
        for (line, reason) in &trace.malformed {
            eprintln!("{file}:{line}: skipped: {reason}");
        }
        for (line, ns) in &trace.implausible {
            eprintln!("{file}:{line}: not scored: a kernel duration of {ns} ns is a profiler bug");
        }
        skipped.malformed += trace.malformed.len();
        skipped.signposts += trace.signposts;
        skipped.host_ops += trace.host_ops;
        skipped.host_only += trace.host_only;
        skipped.implausible += trace.implausible.len();
        let measured = |r: &TraceRow| r.measured_ns.is_some_and(|m| m > 0.0);
        let bar = progress(
            trace.rows.iter().filter(|r| measured(r)).count() as u64,
            &file,
        );
        // The op each row ran after, per chip: rows without a duration ran too.
        let mut last_op: HashMap<Option<u32>, &str> = HashMap::new();
        for row in &trace.rows {
            let previous_op = last_op
                .insert(row.device_id, &row.op_code)
                .map(str::to_string);
            if !measured(row) {
                continue;
            }
            let models = match managers.entry(row.device) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(v) => {
                    let built = PerfModels::builder(row.device).fallback(true).build();
                    v.insert(built.map_err(Failure::unknown)?)
                }
            };
            let params = row.op_params();
            let mut query = row.query(&params);
            query.version = args.version;
            let query_text = format!("{:?} {query:?}", row.device);
            let outcome = match models.query(&query) {
                Ok(e) => match e.source {
                    Source::Model(id) => Outcome::Model {
                        id: id.to_string(),
                        predicted: e.duration_ns,
                    },
                    Source::Fallback { .. } => Outcome::Fallback {
                        predicted: e.duration_ns,
                    },
                },
                Err(e) => Outcome::Failed { reason: reason(&e) },
            };
            results.push(RowResult {
                file: file.clone(),
                line: row.line,
                op_code: row.op_code.clone(),
                measured: row.measured_ns.unwrap_or(0.0),
                baseline: row.baseline_ns,
                outcome,
                query: query_text,
                previous_op,
                repeat_floor_ape: None,
                context_floor_ape: None,
            });
            bar.inc(1);
        }
        bar.finish_and_clear();
    }
    set_floors(&mut results);
    let summary = summarize(&args.traces, &results, &skipped);
    match args.format {
        Format::Json => println!("{summary}"),
        Format::Table => print_table(&summary),
        Format::Csv => print_csv(&results).map_err(Failure::io)?,
    }
    if let Some(path) = &args.plot {
        let points: Vec<Point<'_>> = results.iter().filter_map(RowResult::point).collect();
        crate::plot::scatter(path, &points)
            .map_err(|e| Failure::io(anyhow::anyhow!("{}: {e}", path.display())))?;
    }
    Ok(())
}

fn progress(len: u64, file: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} rows") {
        bar.set_style(style);
    }
    bar.set_message(file.to_string());
    bar
}

/// Counts of the rows of the files that were not scored, by why.
#[derive(Default)]
struct Skipped {
    malformed: usize,
    signposts: usize,
    /// Host ops (`python_fallback`, ...).
    host_ops: usize,
    /// Device ops without device data.
    host_only: usize,
    /// Durations above the plausible (the Blackhole profiler bug).
    implausible: usize,
}

fn summarize(files: &[PathBuf], rows: &[RowResult], skipped: &Skipped) -> Value {
    let modeled: Vec<&RowResult> = rows.iter().filter(|r| r.model_ape().is_some()).collect();
    let mut apes: Vec<f64> = modeled.iter().filter_map(|r| r.model_ape()).collect();
    let mut baseline: Vec<f64> = rows.iter().filter_map(RowResult::baseline_ape).collect();
    let mut floor: Vec<f64> = rows.iter().filter_map(|r| r.repeat_floor_ape).collect();
    let mut context: Vec<f64> = rows.iter().filter_map(|r| r.context_floor_ape).collect();
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
            let mut models: BTreeMap<&str, usize> = BTreeMap::new();
            for r in &rs {
                if let Outcome::Model { id, .. } = &r.outcome {
                    *models.entry(id).or_default() += 1;
                }
            }
            let model = models.iter().max_by_key(|(_, n)| **n).map(|(id, _)| *id);
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
                    "median_ape": median(&mut ape),
                    "p90_ape": p90(&mut ape),
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
        "by_op": by_op,
        "failures": failures,
    })
}

fn print_table(s: &Value) {
    println!(
        "{:<44} {:>6} {:>7} {:>9} {:>9} {:>10} {:>9} {:>9}  model",
        "OP CODE", "rows", "modeled", "median", "p90", "PM IDEAL", "floor p90", "ctx p90"
    );
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
            println!(
                "{:<44} {:>6} {:>7} {:>9} {:>9} {:>10} {:>9} {:>9}  {model}",
                op,
                o["rows"],
                o["modeled_rows"],
                pct(&o["median_ape"]),
                pct(&o["p90_ape"]),
                pct(&o["baseline_median_ape"]),
                pct(&o["repeat_floor_p90_ape"]),
                pct(&o["context_floor_p90_ape"]),
            );
        }
    }
    println!();
    println!(
        "rows {}: modeled {}, fallback {}, failed {}, malformed {}, implausible duration {}; modeled rows cover {} of measured time",
        s["rows"],
        s["modeled_rows"],
        s["fallback_rows"],
        s["failed_rows"],
        s["malformed_rows"],
        s["implausible_duration_rows"],
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
    if let Some(f) = s["failures"].as_object().filter(|f| !f.is_empty()) {
        println!("failures:");
        for (reason, n) in f {
            println!("  {n:>6}  {reason}");
        }
    }
}

fn print_csv(rows: &[RowResult]) -> std::io::Result<()> {
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
            repeat_floor_ape: None,
            context_floor_ape: None,
        }
    }

    fn modeled() -> Outcome {
        Outcome::Model {
            id: "wormhole_b0/matmul@v2".into(),
            predicted: 1.0,
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

    #[test]
    fn versions_parse() {
        assert_eq!(parse_version("latest"), Ok(Version::Latest));
        assert_eq!(parse_version("2"), Ok(Version::Exact(2)));
        assert!(parse_version("v2").is_err());
    }
}
