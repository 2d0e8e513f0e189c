//! `ttperf estimate`: per-op estimates of a JSON workload and their total.
//!
//! A failing op is reported with its error and left out of the total; the command prints
//! everything, then exits with code 6.

use crate::failure::Failure;
use crate::render::{Format, bound_name, estimate_json, model_label};
use crate::workload::{Workload, WorkloadOp, manager};
use anyhow::anyhow;
use serde_json::{Map, Value, json};
use std::path::PathBuf;
use ttnn_op_perf_models::{Device, Error, Estimate, Hardware};

#[derive(clap::Args)]
pub struct Args {
    /// The workload, a JSON file (format: cli/workloads/README.md).
    workload: PathBuf,
    /// Estimate on this device instead of the workload's (the workload's card is kept only if
    /// it is one of this device's).
    #[arg(long)]
    device: Option<String>,
    /// Answer with the generic bandwidth fallback when no model can.
    #[arg(long)]
    fallback: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let path = args.workload.display();
    let text =
        std::fs::read_to_string(&args.workload).map_err(|e| Failure::io(anyhow!("{path}: {e}")))?;
    let workload = Workload::parse(&text).map_err(|e| Failure::data(anyhow!("{path}: {e:#}")))?;
    let device = args.device.as_deref().unwrap_or(&workload.device);
    let card = match args.device.as_deref() {
        Some(d) if Device::from_name(d).ok() != Device::from_name(&workload.device).ok() => None,
        _ => workload.card.as_deref(),
    };
    let models = manager(device, card, args.fallback)?;
    let rows = workload
        .ops
        .iter()
        .map(|op| Row {
            op,
            result: op.step.estimate(&models),
        })
        .collect();
    let report = Report::new(path.to_string(), models.hardware(), rows);
    match args.format {
        Format::Json => println!("{}", report.to_json()),
        Format::Table => report.print_table(),
    }
    if report.failed > 0 {
        return Err(Failure::query(anyhow!(
            "{} of {} ops failed and are left out of the total",
            report.failed,
            report.rows.len()
        )));
    }
    Ok(())
}

/// One op of the workload and its outcome.
struct Row<'w> {
    op: &'w WorkloadOp,
    result: Result<Estimate, Error>,
}

impl Row<'_> {
    /// The op's duration times its repeat; `None` when it failed.
    fn total_ns(&self) -> Option<f64> {
        let e = self.result.as_ref().ok()?;
        Some(e.duration_ns * f64::from(self.op.repeat))
    }
}

/// The outcome of a workload, ready to print.
struct Report<'w> {
    /// The workload file.
    source: String,
    hw: &'static Hardware,
    rows: Vec<Row<'w>>,
    /// The sum over the ops that answered.
    total_ns: f64,
    failed: usize,
}

impl<'w> Report<'w> {
    fn new(source: String, hw: &'static Hardware, rows: Vec<Row<'w>>) -> Self {
        Report {
            source,
            hw,
            total_ns: rows.iter().filter_map(Row::total_ns).sum(),
            failed: rows.iter().filter(|r| r.result.is_err()).count(),
            rows,
        }
    }

    fn to_json(&self) -> Value {
        let ops: Vec<Value> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let mut v = match &row.result {
                    Ok(e) => estimate_json(e),
                    Err(e) => Map::from_iter([("error".into(), json!(e.to_string()))]),
                };
                v.insert("index".into(), json!(i));
                v.insert("name".into(), json!(row.op.name));
                v.insert("op".into(), json!(row.op.step.op));
                v.insert("repeat".into(), json!(row.op.repeat));
                v.insert("total_ns".into(), json!(row.total_ns()));
                Value::Object(v)
            })
            .collect();
        json!({
            "workload": self.source,
            "device": self.hw.device.name(),
            "card": self.hw.card.name(),
            "ops": ops,
            "total_ns": self.total_ns,
            "failed_ops": self.failed,
        })
    }

    fn print_table(&self) {
        let labels: Vec<String> = self
            .rows
            .iter()
            .map(|r| {
                r.result
                    .as_ref()
                    .map_or(String::new(), |e| model_label(&e.source))
            })
            .collect();
        let name_w = column_width("NAME", self.rows.iter().map(|r| r.op.name.as_str()));
        let op_w = column_width("OP", self.rows.iter().map(|r| r.op.step.op.as_str()));
        let model_w = column_width("MODEL", labels.iter().map(String::as_str));
        println!(
            "{} on {} ({})",
            self.source,
            self.hw.device.name(),
            self.hw.card.name()
        );
        println!(
            "{:>3}  {:<name_w$}  {:<op_w$}  {:<model_w$}  {:>12}  {:<8}  {:>6}  {:>13}  {:>6}",
            "#", "NAME", "OP", "MODEL", "NS", "BOUND", "REPEAT", "TOTAL NS", "SHARE"
        );
        for (i, (row, label)) in self.rows.iter().zip(&labels).enumerate() {
            let (name, op) = (&row.op.name, &row.op.step.op);
            match &row.result {
                Ok(e) => {
                    let total = e.duration_ns * f64::from(row.op.repeat);
                    let share = if self.total_ns > 0.0 {
                        100.0 * total / self.total_ns
                    } else {
                        0.0
                    };
                    println!(
                        "{i:>3}  {name:<name_w$}  {op:<op_w$}  {label:<model_w$}  {:>12.0}  {:<8}  {:>6}  {total:>13.0}  {share:>5.1}%",
                        e.duration_ns,
                        bound_name(e.bound),
                        row.op.repeat,
                    );
                }
                Err(e) => {
                    println!("{i:>3}  {name:<name_w$}  {op:<op_w$}  error: {e}")
                }
            }
        }
        print!(
            "total {:.0} ns ({:.3} ms) over {} ops",
            self.total_ns,
            self.total_ns / 1e6,
            self.rows.len()
        );
        if self.failed > 0 {
            print!("; {} failed and left out", self.failed);
        }
        println!();
    }
}

/// The width of a column: its widest cell, or its header.
fn column_width<'s>(header: &str, cells: impl Iterator<Item = &'s str>) -> usize {
    cells
        .map(|c| c.chars().count())
        .chain([header.len()])
        .max()
        .unwrap_or(0)
}
