//! `ttperf eval`: predictions against the measured durations of tt-metal profiler traces
//! (beside the trace's own `PM IDEAL [ns]` estimate) and of the sweeps.
//!
//! APE = |predicted - measured| / measured. `--format json` prints exactly one JSON object
//! (the summary contract in the README); `table` prints per-op and overall summaries; `csv`
//! prints one line per row.
//!
//! [`summary`] holds each row's outcome and the summary over them; [`print`](mod@print) shows them as a
//! table or CSV.

mod print;
mod summary;

use crate::failure::Failure;
use crate::plot::Point;
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::IsTerminal;
use std::path::PathBuf;
use summary::{BACK_TO_BACK_GAP_NS, Outcome, RowResult, Skipped, set_floors, summarize};
use ttnn_op_perf_models::trace::TraceRow;
use ttnn_op_perf_models::{Accuracy, Device, Error, PerfModels, Source, Version};

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
        if let Some(since) = trace.since {
            eprintln!("{file}: {since}");
        }
        for (line, reason) in &trace.malformed {
            eprintln!("{file}:{line}: skipped: {reason}");
        }
        for i in &trace.implausible {
            eprintln!(
                "{file}:{}: not scored: a kernel duration of {} ns: {}",
                i.line, i.duration_ns, i.why
            );
        }
        skipped.malformed += trace.malformed.len();
        skipped.signposts += trace.signposts;
        skipped.host_ops += trace.host_ops;
        skipped.host_only += trace.host_only;
        skipped.implausible += trace.implausible.len();
        let replayed: Vec<u64> = trace
            .rows
            .iter()
            .filter(|r| r.replays.is_some())
            .map(|r| r.line)
            .collect();
        if let (Some(first), Some(last)) = (replayed.first(), replayed.last()) {
            eprintln!(
                "{file}: {} row(s) from line {first} to {last} not scored: their op info is \
                 the profiler's replay of an earlier call's, whose shapes may not be theirs",
                replayed.len()
            );
        }
        skipped.replayed += replayed.len();
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
                        held_out: match e.accuracy {
                            Accuracy::Measured { median_ape, .. } => Some(median_ape),
                            Accuracy::Uncalibrated => None,
                        },
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
                back_to_back: row.gap_ns.map(|g| g < BACK_TO_BACK_GAP_NS),
                repeat_floor_ape: None,
                context_floor_ape: None,
                dispatch_floor_ape: None,
            });
            bar.inc(1);
        }
        bar.finish_and_clear();
    }
    set_floors(&mut results);
    let summary = summarize(&args.traces, &results, &skipped);
    match args.format {
        Format::Json => println!("{summary}"),
        Format::Table => print::print_table(&summary),
        Format::Csv => print::print_csv(&results).map_err(Failure::io)?,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse() {
        assert_eq!(parse_version("latest"), Ok(Version::Latest));
        assert_eq!(parse_version("2"), Ok(Version::Exact(2)));
        assert!(parse_version("v2").is_err());
    }
}
