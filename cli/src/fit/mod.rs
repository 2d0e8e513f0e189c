//! `ttperf fit`: calibrating a model family's parameters against measured durations.
//!
//! [`crate::measured`] reads measured rows (profiler traces and the sweeps); each row's features come
//! from the library's own query path ([`PerfModels::features`]); [`solver`] fits the
//! parameters (weighted least squares over the max of the throughput roofs, with bounds and
//! outlier rejection); [`holdout`] picks the validation rows; [`spec_out`] writes the fitted
//! version into a spec file.

pub mod holdout;
pub mod solver;
mod spec_out;

use crate::Failure;
use crate::stats::{ape, median, p90};
use anyhow::anyhow;
use clap::Parser;
use serde_json::json;
use solver::{FitParam, FitRow};
use std::collections::BTreeMap;
use std::path::PathBuf;
use ttnn_op_perf_models::{Device, Error, Family, Op, PerfModels, model_versions};

#[derive(Parser)]
pub struct Args {
    /// Device the data was measured on (rows of other devices are skipped).
    #[arg(long)]
    device: String,
    /// Op to calibrate (name or OP CODE); rows of other ops are skipped.
    #[arg(long)]
    op: String,
    /// Formula family; default: the family of the op's latest version on the device.
    #[arg(long)]
    family: Option<String>,
    /// Measured data: profiler trace CSVs and sweep CSVs.
    #[arg(long, required = true, num_args = 1..)]
    data: Vec<PathBuf>,
    /// Fraction of rows held out for validation, picked by a stable hash of file name and line.
    #[arg(long, default_value_t = 0.2, conflicts_with = "holdout_file")]
    holdout: f64,
    /// Hold out every row of this file (also listed in --data) instead of a fraction.
    #[arg(long)]
    holdout_file: Option<PathBuf>,
    /// What the fit minimises over the rows' relative errors: their squares, or their
    /// absolute values (aims at the median error; see the solver's docs).
    #[arg(long, value_enum, default_value_t = LossArg::Squared)]
    loss: LossArg,
    /// How the rows count: each the same, or each data file the same in total (a file of
    /// many rows, such as a sweep, then does not outweigh a trace).
    #[arg(long, value_enum, default_value_t = WeighArg::Rows)]
    weigh: WeighArg,
    /// Spec file to write the version into (`model_specs/<device>/<op>.toml`); its other
    /// versions are kept.
    #[arg(long)]
    out: PathBuf,
    /// Version number to write (replacing a version with that number); default: one above
    /// the highest in --out.
    #[arg(long)]
    version: Option<u32>,
    /// Print a JSON report instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum WeighArg {
    Rows,
    Files,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LossArg {
    Squared,
    Absolute,
}

impl LossArg {
    fn loss(self) -> solver::Loss {
        match self {
            LossArg::Squared => solver::Loss::Squared,
            LossArg::Absolute => solver::Loss::Absolute,
        }
    }

    fn name(self) -> &'static str {
        match self {
            LossArg::Squared => "squared",
            LossArg::Absolute => "absolute",
        }
    }
}

/// Per data file: rows fitted, outliers, and the APEs of fitted and of held-out rows.
#[derive(Default)]
struct FileStats {
    fitted: usize,
    outliers: usize,
    train_apes: Vec<f64>,
    held_apes: Vec<f64>,
}

/// One measured row with its features.
struct Row {
    file: String,
    line: u64,
    held_out: bool,
    fit: FitRow,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let device = Device::from_name(&args.device).map_err(Failure::unknown)?;
    let op = Op::from_name(&args.op).map_err(Failure::unknown)?;
    let versions = model_versions(device, op);
    let family = match &args.family {
        Some(name) => Family::from_name(name).ok_or_else(|| {
            Failure::unknown(anyhow!(
                "unknown family `{name}`; families: {}",
                Family::ALL.map(|f| f.name()).join(", ")
            ))
        })?,
        None => versions
            .last()
            .ok_or_else(|| Failure::unknown(Error::NoModelForDevice { op, device }))?
            .family(),
    };
    if !family.ops().contains(&op) {
        return Err(Failure::unknown(anyhow!(
            "family `{family}` does not model `{op}`"
        )));
    }
    // The first version of the family (the physics prior) starts the fit, so a refit does not
    // start from its own previous result and the same inputs give the same output.
    let start = versions
        .iter()
        .find(|v| v.family() == family)
        .ok_or_else(|| {
            Failure::unknown(anyhow!(
                "`{device}/{op}` has no version of family `{family}` to start the fit from"
            ))
        })?;
    if !(0.0..1.0).contains(&args.holdout) {
        return Err(Failure::unknown(anyhow!(
            "--holdout is a fraction in [0, 1), got {}",
            args.holdout
        )));
    }
    let models = PerfModels::new(device);
    let launch = models.hardware().launch_overhead_ns;
    let params: Vec<FitParam> = family
        .params()
        .iter()
        .zip(start.params.values().as_slice())
        .map(|(p, &initial)| FitParam {
            name: p.name.into(),
            term: p.term,
            // The fixed cost adds to the device's launch overhead: never below minus it
            // (`FIXED_COST_PARAM`).
            min: if p.name == ttnn_op_perf_spec::FIXED_COST_PARAM {
                p.min.max(-launch)
            } else {
                p.min
            },
            max: p.max,
            initial,
        })
        .collect();
    let holdout_name = args.holdout_file.as_deref().map(file_name);
    let mut rows = Vec::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for path in &args.data {
        let measured = crate::measured::read(path, Some(device))?;
        let file = file_name(path);
        for (line, reason) in &measured.malformed {
            eprintln!("{file}:{line}: skipped: {reason}");
        }
        for row in measured.rows {
            if row.device != device || Op::from_name(&row.op_code).ok() != Some(op) {
                continue;
            }
            let Some(measured_ns) = row.measured_ns.filter(|m| *m > 0.0) else {
                continue;
            };
            let params = row.op_params();
            match models.features(&row.query(&params), family) {
                Ok(features) => rows.push(Row {
                    held_out: match &holdout_name {
                        Some(h) => *h == file,
                        None => holdout::is_held_out(&format!("{file}:{}", row.line), args.holdout),
                    },
                    file: file.clone(),
                    line: row.line,
                    fit: FitRow {
                        features: features.as_slice().to_vec(),
                        offset_ns: launch,
                        measured_ns,
                        weight: 1.0,
                    },
                }),
                Err(e) => *skipped.entry(e.to_string()).or_default() += 1,
            }
        }
    }
    let train: Vec<&Row> = rows.iter().filter(|r| !r.held_out).collect();
    let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &train {
        *per_file.entry(&r.file).or_default() += 1;
    }
    // Weighed by file, each file's rows sum to the mean rows per file.
    let mean_rows = train.len() as f64 / per_file.len().max(1) as f64;
    let train_rows: Vec<FitRow> = train
        .iter()
        .map(|r| FitRow {
            weight: match args.weigh {
                WeighArg::Rows => 1.0,
                WeighArg::Files => mean_rows / per_file[r.file.as_str()] as f64,
            },
            ..r.fit.clone()
        })
        .collect();
    let report = solver::fit(&params, &train_rows, args.loss.loss()).map_err(Failure::query)?;
    let predict = |r: &Row| solver::predict(&params, &report.params, &r.fit);

    // Held-out error on the rows the outlier rule finds consistent with the fit (the spec's
    // error band), and on all of them.
    let held_all: Vec<&Row> = rows.iter().filter(|r| r.held_out).collect();
    let held_fit: Vec<FitRow> = held_all.iter().map(|r| r.fit.clone()).collect();
    let inconsistent = solver::outliers(&params, &report.params, &held_fit);
    let held: Vec<&Row> = held_all
        .iter()
        .enumerate()
        .filter(|(i, _)| inconsistent.binary_search(i).is_err())
        .map(|(_, r)| *r)
        .collect();
    let apes = |rows: &[&Row]| -> Vec<f64> {
        rows.iter()
            .map(|r| ape(predict(r), r.fit.measured_ns))
            .collect()
    };
    let mut all_apes = apes(&held_all);
    let mut held_apes = apes(&held);
    let (Some(median_ape), Some(p90_ape)) = (median(&mut held_apes.clone()), p90(&mut held_apes))
    else {
        return Err(Failure::data(anyhow!(
            "no held-out rows to validate on: use a larger --holdout or --holdout-file"
        )));
    };
    let mut by_file: BTreeMap<&str, FileStats> = BTreeMap::new();
    for (i, r) in train.iter().enumerate() {
        let e = by_file.entry(&r.file).or_default();
        if report.outliers.binary_search(&i).is_err() {
            e.fitted += 1;
            e.train_apes.push(ape(predict(r), r.fit.measured_ns));
        } else {
            e.outliers += 1;
        }
    }
    for r in &held_all {
        by_file
            .entry(&r.file)
            .or_default()
            .held_apes
            .push(ape(predict(r), r.fit.measured_ns));
    }

    let version = spec_out::Version {
        device,
        op,
        family,
        number: args.version,
        params: params
            .iter()
            .map(|p| p.name.as_str())
            .zip(report.params.iter().copied())
            .collect(),
        median_ape,
        p90_ape,
        held_out_rows: held.len(),
        fitted_on: by_file
            .iter()
            .map(|(f, s)| (f.to_string(), s.fitted))
            .collect(),
        source: format!(
            "ttperf fit --device {device} --op {op} --family {family} --data {} {} --loss {}",
            by_file.keys().copied().collect::<Vec<_>>().join(" "),
            match &holdout_name {
                Some(h) => format!("--holdout-file {h}"),
                None => format!("--holdout {}", args.holdout),
            },
            args.loss.name()
        ) + if args.weigh == WeighArg::Files {
            " --weigh files"
        } else {
            ""
        },
    };
    let number = spec_out::write(&args.out, &version)?;

    let outliers: Vec<_> = report
        .outliers
        .iter()
        .map(|&i| {
            let r = train[i];
            json!({"file": r.file, "line": r.line, "measured_ns": r.fit.measured_ns, "predicted_ns": predict(r)})
        })
        .collect();
    let files: BTreeMap<&str, _> = by_file
        .iter_mut()
        .map(|(f, s)| {
            (
                *f,
                json!({
                    "fitted_rows": s.fitted,
                    "outliers": s.outliers,
                    "train_median_ape": median(&mut s.train_apes),
                    "train_p90_ape": p90(&mut s.train_apes),
                    "held_out_rows": s.held_apes.len(),
                    "held_out_median_ape": median(&mut s.held_apes),
                    "held_out_p90_ape": p90(&mut s.held_apes),
                }),
            )
        })
        .collect();
    let summary = json!({
        "device": device.name(),
        "op": op.name(),
        "family": family.name(),
        "version": number,
        "out": args.out.display().to_string(),
        "params": version.params.iter().map(|(n, v)| (n.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "held_out": {"rows": held.len(), "median_ape": median_ape, "p90_ape": p90_ape},
        "held_out_all": {
            "rows": held_all.len(),
            "inconsistent": inconsistent.len(),
            "median_ape": median(&mut all_apes.clone()),
            "p90_ape": p90(&mut all_apes),
        },
        "fitted_rows": train.len() - report.outliers.len(),
        "outliers": outliers,
        "skipped": skipped,
        "unidentified": report.unidentified.iter().map(|&j| params[j].name.clone()).collect::<Vec<_>>(),
        "at_bound": report.at_bound.iter().map(|&j| params[j].name.clone()).collect::<Vec<_>>(),
        "converged": report.converged,
        "files": files,
    });
    if args.json {
        println!("{summary}");
    } else {
        print_report(&summary);
    }
    Ok(())
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn pct(v: &serde_json::Value) -> String {
    v.as_f64()
        .map_or_else(|| "-".into(), |x| format!("{:.1}%", 100.0 * x))
}

fn print_report(s: &serde_json::Value) {
    println!(
        "{}/{} v{} ({}) written to {}",
        s["device"].as_str().unwrap_or(""),
        s["op"].as_str().unwrap_or(""),
        s["version"],
        s["family"].as_str().unwrap_or(""),
        s["out"].as_str().unwrap_or("")
    );
    if let Some(params) = s["params"].as_object() {
        for (name, value) in params {
            println!("  {name:<28} {value}");
        }
    }
    println!(
        "held out, consistent rows: {} rows, median APE {}, p90 {} (the version's accuracy)",
        s["held_out"]["rows"],
        pct(&s["held_out"]["median_ape"]),
        pct(&s["held_out"]["p90_ape"])
    );
    let all = &s["held_out_all"];
    println!(
        "held out, all rows: {} rows ({} inconsistent by the outlier rule), median APE {}, p90 {}",
        all["rows"],
        all["inconsistent"],
        pct(&all["median_ape"]),
        pct(&all["p90_ape"])
    );
    println!(
        "{:<40} {:>7} {:>8} {:>8} {:>8} {:>6} {:>8} {:>8}",
        "file", "fitted", "outliers", "median", "p90", "held", "median", "p90"
    );
    if let Some(files) = s["files"].as_object() {
        for (file, f) in files {
            println!(
                "{:<40} {:>7} {:>8} {:>8} {:>8} {:>6} {:>8} {:>8}",
                file,
                f["fitted_rows"],
                f["outliers"],
                pct(&f["train_median_ape"]),
                pct(&f["train_p90_ape"]),
                f["held_out_rows"],
                pct(&f["held_out_median_ape"]),
                pct(&f["held_out_p90_ape"])
            );
        }
    }
    // The JSON report lists every outlier; a sweep can have hundreds.
    const SHOWN: usize = 20;
    let outliers = s["outliers"].as_array().map_or(&[][..], Vec::as_slice);
    for o in outliers.iter().take(SHOWN) {
        println!(
            "outlier {}:{}: measured {} ns, predicted {:.0} ns (not fitted)",
            o["file"].as_str().unwrap_or(""),
            o["line"],
            o["measured_ns"],
            o["predicted_ns"].as_f64().unwrap_or(0.0)
        );
    }
    if outliers.len() > SHOWN {
        println!(
            "... and {} more outliers (--json lists all)",
            outliers.len() - SHOWN
        );
    }
    for (reason, n) in s["skipped"].as_object().into_iter().flatten() {
        println!("skipped {n} rows: {reason}");
    }
    for key in ["unidentified", "at_bound"] {
        if let Some(v) = s[key].as_array().filter(|v| !v.is_empty()) {
            println!("{key}: {}", serde_json::to_string(v).unwrap_or_default());
        }
    }
}
