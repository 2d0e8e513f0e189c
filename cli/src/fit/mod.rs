//! `ttperf fit`: calibrating a model family's coefficients against measured durations.
//!
//! [`recipe`] reads measured rows (profiler traces and sweeps, through [`crate::measured`])
//! and computes each row's features through the library's own query path
//! ([`ttnn_op_perf_models::PerfModels::features`]); [`solver`] fits the coefficients (weighted
//! least squares over the max of the throughput roofs, with bounds and outlier rejection);
//! [`crossval`] measures the recipe on files its fit never saw, which becomes the version's
//! accuracy; the spec crate's [`write_version`] writes the fitted version into a spec file.

pub mod crossval;
pub mod recipe;
pub mod solver;

use crate::failure::Failure;
use crate::render::{pct, print_folds};
use crate::stats::{ape, median, p90};
use anyhow::anyhow;
use clap::Parser;
use crossval::{figures_json, fold_json};
use recipe::{Recipe, RecipeArgs, Sample, Samples};
use serde_json::{Value, json};
use solver::FitReport;
use std::collections::BTreeMap;
use std::path::PathBuf;
use ttnn_op_perf_models::Device;
use ttnn_op_perf_spec::Accuracy;
use ttnn_op_perf_spec::write::{NewVersion, WriteError, write_version};

#[derive(Parser)]
pub struct Args {
    /// Device the data was measured on; give it more than once to fit the devices' rows
    /// together (one coefficient vector for all). Rows of other devices are skipped.
    #[arg(long, required = true)]
    device: Vec<String>,
    #[command(flatten)]
    recipe: RecipeArgs,
    /// Spec file to write the version into (`model_specs/<device>/<op>.toml`), one per
    /// --device in the same order; its other versions are kept.
    #[arg(long, required = true)]
    out: Vec<PathBuf>,
    /// Version number to write (replacing a version with that number); default: one above
    /// the highest in --out.
    #[arg(long)]
    version: Option<u32>,
    /// Print a JSON report instead of text.
    #[arg(long)]
    json: bool,
}

/// Per data file: rows fitted, outliers, and the APEs of the fitted rows.
#[derive(Default)]
struct FileStats {
    fitted: usize,
    outliers: usize,
    apes: Vec<f64>,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let devices = devices(&args)?;
    let recipe = args.recipe.recipe(devices)?;
    let samples = recipe.read(&args.recipe.data)?;
    let all: Vec<&Sample> = samples.rows.iter().collect();
    let report = recipe.fit(&all)?;
    // The accuracy of the recipe on files it was not fitted on.
    let folds = crossval::folds(&recipe, &samples)?;
    let mut by_file = file_stats(&recipe, &report, &all);
    let written = write_versions(&args, &recipe, &report, &folds, &by_file)?;
    let summary = summary(
        &recipe,
        &report,
        &samples,
        &all,
        &mut by_file,
        &folds,
        written,
    );
    if args.json {
        println!("{summary}");
    } else {
        print_report(&summary, recipe.held_out_by());
    }
    Ok(())
}

/// The devices of `--device`, one per `--out`.
fn devices(args: &Args) -> Result<Vec<Device>, Failure> {
    let devices = args
        .device
        .iter()
        .map(|d| Device::from_name(d).map_err(Failure::unknown))
        .collect::<Result<Vec<_>, _>>()?;
    if args.out.len() != devices.len() {
        return Err(Failure::unknown(anyhow!(
            "give one --out per --device, in the same order ({} devices, {} outs)",
            devices.len(),
            args.out.len()
        )));
    }
    Ok(devices)
}

/// Per data file, its fitted rows and outliers under `report`, and the fitted rows' APEs.
fn file_stats<'s>(
    recipe: &Recipe,
    report: &FitReport,
    all: &[&'s Sample],
) -> BTreeMap<&'s str, FileStats> {
    let mut by_file: BTreeMap<&str, FileStats> = BTreeMap::new();
    for (i, r) in all.iter().enumerate() {
        let e = by_file.entry(&r.file).or_default();
        if report.outliers.binary_search(&i).is_err() {
            e.fitted += 1;
            e.apes.push(ape(
                recipe.predict(&report.coefficients, r),
                r.fit.measured_ns,
            ));
        } else {
            e.outliers += 1;
        }
    }
    by_file
}

/// Writes the fitted version into each device's `--out`, with that device's cross-validated
/// accuracy; returns what was written, as the report lists it.
fn write_versions(
    args: &Args,
    recipe: &Recipe,
    report: &FitReport,
    folds: &[crossval::Fold],
    by_file: &BTreeMap<&str, FileStats>,
) -> Result<Vec<Value>, Failure> {
    let files: Vec<&str> = by_file.keys().copied().collect();
    // With every coefficient held the version is the published physics; the files only give
    // its held-out accuracy.
    let summary = if recipe.all_held() {
        format!(
            "published figures, every coefficient held; accuracy held out by file on {}",
            files.join(", ")
        )
    } else {
        format!("calibrated by ttperf fit on {}", files.join(", "))
    };
    let mut written = Vec::new();
    for (&device, out) in recipe.devices.iter().zip(&args.out) {
        let device_folds: Vec<&crossval::Fold> =
            folds.iter().filter(|f| f.device == device).collect();
        let cv = crossval::pooled(device_folds.iter().copied());
        let version = NewVersion {
            number: args.version,
            family: recipe.family.name().to_string(),
            summary: summary.clone(),
            coefficients: recipe
                .coefficients
                .iter()
                .map(|p| p.name.clone())
                .zip(report.coefficients.iter().copied())
                .collect(),
            accuracy: accuracy(recipe, &device_folds, &cv, by_file),
        };
        let number =
            write_version(out, device.name(), recipe.op.name(), &version).map_err(|e| match e {
                WriteError::Io { .. } => Failure::io(e),
                WriteError::Invalid { .. } => Failure::data(e),
            })?;
        written.push(json!({
            "device": device.name(),
            "out": out.display().to_string(),
            "version": number,
            "crossval": figures_json(&cv),
        }));
    }
    Ok(written)
}

/// A device's accuracy: its folds' pooled figures `cv`; `None` when no file of the device
/// could be predicted from other files (no figure earned).
fn accuracy(
    recipe: &Recipe,
    device_folds: &[&crossval::Fold],
    cv: &crossval::Figures,
    by_file: &BTreeMap<&str, FileStats>,
) -> Option<Accuracy> {
    let (Some(median_ape), Some(p90_ape)) = (cv.median_ape, cv.p90_ape) else {
        return None;
    };
    // A fold predicted by the physics prior (no other file to fit) measures the version only
    // when the version is that prior.
    if !recipe.all_held() && device_folds.iter().all(|f| f.prior_because.is_some()) {
        return None;
    }
    let files: Vec<&str> = by_file.keys().copied().collect();
    Some(Accuracy {
        median_ape,
        p90_ape,
        rows: cv.rows as u32,
        source: format!(
            "ttperf crossval --op {} --data {} {} ({})",
            recipe.op,
            files.join(" "),
            recipe.flags(),
            recipe.held_out_by()
        ),
        fitted_on: by_file
            .iter()
            .map(|(f, s)| (f.to_string(), s.fitted as u32))
            .collect(),
    })
}

/// The report of the fit, as `--json` prints it.
fn summary(
    recipe: &Recipe,
    report: &FitReport,
    samples: &Samples,
    all: &[&Sample],
    by_file: &mut BTreeMap<&str, FileStats>,
    folds: &[crossval::Fold],
    written: Vec<Value>,
) -> Value {
    let outliers: Vec<_> = report
        .outliers
        .iter()
        .map(|&i| {
            let r = all[i];
            json!({"file": r.file, "line": r.line, "measured_ns": r.fit.measured_ns, "predicted_ns": recipe.predict(&report.coefficients, r)})
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
                    "median_ape": median(&mut s.apes.clone()),
                    "p90_ape": p90(&mut s.apes),
                }),
            )
        })
        .collect();
    json!({
        "op": recipe.op.name(),
        "family": recipe.family.name(),
        "written": written,
        "coefficients": recipe.coefficients.iter().map(|p| p.name.clone()).zip(report.coefficients.iter().map(|v| json!(v))).collect::<serde_json::Map<_, _>>(),
        "fitted_rows": all.len() - report.outliers.len(),
        "outliers": outliers,
        "skipped": samples.skipped,
        "unidentified": report.unidentified.iter().map(|&j| recipe.coefficients[j].name.clone()).collect::<Vec<_>>(),
        "at_bound": report.at_bound.iter().map(|&j| recipe.coefficients[j].name.clone()).collect::<Vec<_>>(),
        "converged": report.converged,
        "files": files,
        "folds": folds.iter().map(fold_json).collect::<Vec<_>>(),
    })
}

fn print_report(s: &serde_json::Value, held_out_by: &str) {
    println!(
        "{} ({}): fitted {} rows",
        s["op"].as_str().unwrap_or(""),
        s["family"].as_str().unwrap_or(""),
        s["fitted_rows"],
    );
    if let Some(coefficients) = s["coefficients"].as_object() {
        for (name, value) in coefficients {
            println!("  {name:<28} {value}");
        }
    }
    println!(
        "{:<40} {:>7} {:>8} {:>8} {:>8}",
        "file", "fitted", "outliers", "median", "p90"
    );
    if let Some(files) = s["files"].as_object() {
        for (file, f) in files {
            println!(
                "{:<40} {:>7} {:>8} {:>8} {:>8}",
                file,
                f["fitted_rows"],
                f["outliers"],
                pct(&f["median_ape"]),
                pct(&f["p90_ape"])
            );
        }
    }
    println!("{held_out_by} (the version's accuracy):");
    print_folds(s["folds"].as_array().map_or(&[][..], Vec::as_slice));
    for w in s["written"].as_array().into_iter().flatten() {
        let cv = &w["crossval"];
        println!(
            "{} v{} written to {}: cross-validated {} rows, median APE {}, p90 {}",
            w["device"].as_str().unwrap_or(""),
            w["version"],
            w["out"].as_str().unwrap_or(""),
            cv["rows"],
            pct(&cv["median_ape"]),
            pct(&cv["p90_ape"])
        );
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
