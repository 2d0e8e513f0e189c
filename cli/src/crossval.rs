//! `ttperf crossval`: a recipe's accuracy on files its fit never saw (leave one file out; see
//! [`crate::fit::crossval`]), as a table or as one JSON object.

use crate::failure::Failure;
use crate::fit::crossval::{self, figures_json, fold_json};
use crate::fit::recipe::RecipeArgs;
use crate::render::{print_fold_line, print_folds};
use anyhow::anyhow;
use clap::Parser;
use serde_json::{Value, json};
use ttnn_op_perf_models::{Device, model_versions};

#[derive(Parser)]
pub struct Args {
    #[command(flatten)]
    recipe: RecipeArgs,
    /// Devices whose rows are fitted together (repeatable); default: every device with a
    /// version of the op, that has rows of it in the data.
    #[arg(long)]
    device: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Json,
    /// One line per held-out row: file, line, device, measured and predicted ns, APE.
    Csv,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let (op, family) = args.recipe.op_and_family()?;
    let named = !args.device.is_empty();
    let devices: Vec<Device> = if named {
        args.device
            .iter()
            .map(|d| Device::from_name(d).map_err(Failure::unknown))
            .collect::<Result<_, _>>()?
    } else {
        Device::ALL
            .into_iter()
            .filter(|&d| {
                let versions = model_versions(d, op);
                versions
                    .iter()
                    .any(|v| family.is_none_or(|f| v.family() == f))
            })
            .collect()
    };
    let mut recipe = args.recipe.recipe(devices)?;
    let samples = recipe.read(&args.recipe.data)?;
    if !named {
        // Fit together only the devices that have rows (the fixed cost's bound depends on
        // them).
        let found: Vec<Device> = recipe
            .devices
            .iter()
            .copied()
            .filter(|&d| samples.rows.iter().any(|s| s.device == d))
            .collect();
        if !found.is_empty() {
            recipe = args.recipe.recipe(found)?;
        }
    }
    if !samples.rows.iter().any(|s| s.scored) {
        return Err(Failure::data(anyhow!(
            "no rows of `{op}` on {} in the data",
            recipe
                .devices
                .iter()
                .map(|d| d.name())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let folds = crossval::folds(&recipe, &samples)?;
    let total = crossval::pooled(&folds);
    let mut report = json!({
        "op": op.name(),
        "family": recipe.family.name(),
        "recipe": recipe.flags(),
        "folds": folds.iter().map(|f| {
            let mut v = fold_json(f);
            v["coefficients"] = recipe.coefficients.iter().map(|p| p.name.clone()).zip(f.values.iter().map(|x| json!(x))).collect::<serde_json::Map<_, _>>().into();
            v
        }).collect::<Vec<_>>(),
        "skipped": samples.skipped,
    });
    if let (Some(map), Value::Object(figures)) = (report.as_object_mut(), figures_json(&total)) {
        map.extend(figures);
    }
    match args.format {
        Format::Json => println!("{report}"),
        Format::Csv => {
            println!("held_out,line,device,measured_ns,predicted_ns,ape");
            for f in &folds {
                for (&(line, measured, predicted), ape) in f.predictions.iter().zip(f.apes()) {
                    println!(
                        "{},{line},{},{measured},{predicted:.1},{ape:.4}",
                        f.held_out, f.device
                    );
                }
            }
        }
        Format::Table => {
            println!(
                "{} ({}), {}: {}",
                op,
                recipe.family,
                recipe.flags(),
                recipe.held_out_by()
            );
            print_folds(report["folds"].as_array().map_or(&[][..], Vec::as_slice));
            print_fold_line("pooled", "", "", &report);
            for (reason, n) in &samples.skipped {
                println!("skipped {n} rows: {reason}");
            }
        }
    }
    Ok(())
}
