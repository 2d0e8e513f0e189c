//! `ttperf predict`: one estimate from an op, its params and its tensors; and how an estimate
//! is shown, which `estimate` and `list` share.

use crate::Failure;
use crate::tensor_spec::{parse_grid, parse_tensor};
use crate::workload::{Step, manager, parse_param_value, query_failure};
use clap::ValueEnum;
use serde_json::{Map, Value, json};
use ttnn_op_perf_models::{
    Accuracy, Bound, CoreGrid, Estimate, OwnedParamValue, Source, TensorParams, Version,
};

#[derive(clap::Args)]
pub struct Args {
    /// Device name or alias (wormhole_b0, blackhole, grayskull, wh, bh, gs).
    #[arg(long)]
    device: String,
    /// Card of the device (n150, n300, p100, p150, e150); the device's default card if absent.
    #[arg(long)]
    card: Option<String>,
    /// Op name or ttnn OP CODE (matmul, MatmulDeviceOperation, ...).
    #[arg(long)]
    op: String,
    /// Model version; the latest if absent.
    #[arg(long)]
    version: Option<u16>,
    /// An op param; `true`/`false`, integers and numbers are typed, anything else is an enum
    /// value. Repeat for each param.
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_param)]
    params: Vec<(String, OwnedParamValue)>,
    /// An input tensor, `DIMS:DTYPE[:LAYOUT[:MEMORY]]` (e.g. `1x1x1024x1024:bf16:tile:dram`,
    /// `32[19]x1280:bf16`, `1x1x512x64:bf16:tile:l1_height[4x4]:shard=32x64`). Repeat in order.
    #[arg(long = "input", value_name = "SPEC", required = true, value_parser = parse_tensor)]
    inputs: Vec<TensorParams>,
    /// The output tensor, in the same syntax (data-movement and typecast ops need it).
    #[arg(long, value_name = "SPEC", value_parser = parse_tensor)]
    output: Option<TensorParams>,
    /// Cores the op may use, COLSxROWS; the card's compute grid if absent.
    #[arg(long, value_name = "CxR", value_parser = parse_grid)]
    grid: Option<CoreGrid>,
    /// Answer with the generic bandwidth fallback when no model can.
    #[arg(long)]
    fallback: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Output format of `list`, `predict` and `estimate`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns.
    Table,
    /// One JSON object on stdout.
    Json,
}

fn parse_param(s: &str) -> Result<(String, OwnedParamValue), String> {
    match s.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_string(), parse_param_value(value))),
        _ => Err(format!(
            "`{s}`: expected KEY=VALUE, e.g. math_fidelity=hifi2"
        )),
    }
}

pub fn run(args: Args) -> Result<(), Failure> {
    let models = manager(&args.device, args.card.as_deref(), args.fallback)?;
    let step = Step {
        op: args.op,
        version: args.version.map_or(Version::Latest, Version::Exact),
        params: args.params,
        inputs: args.inputs,
        output: args.output,
        grid: args.grid,
    };
    let e = step.estimate(&models).map_err(query_failure)?;
    let hw = models.hardware();
    match args.format {
        Format::Json => {
            let mut v = estimate_json(&e);
            v.insert("device".into(), json!(hw.device.name()));
            v.insert("card".into(), json!(hw.card.name()));
            v.insert("op".into(), json!(step.op));
            println!("{}", Value::Object(v));
        }
        Format::Table => {
            let grid = step.grid.unwrap_or(hw.compute_grid);
            let b = &e.breakdown;
            println!(
                "model     {} ({}, grid {grid})",
                model_label(&e.source),
                hw.card
            );
            println!(
                "duration  {:>12.0} ns  {}-bound",
                e.duration_ns,
                bound_name(e.bound)
            );
            println!("overhead  {:>12.0} ns", b.overhead_ns);
            println!("compute   {:>12.0} ns", b.compute_ns);
            println!("dram      {:>12.0} ns", b.dram_ns);
            println!("noc       {:>12.0} ns", b.noc_ns);
            println!("accuracy  {}", accuracy_text(e.accuracy));
            if let Some((lo, hi)) = e.band_ns() {
                println!("band      {lo:.0} .. {hi:.0} ns (90% of cross-validated rows)");
            }
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_split_at_the_first_equals() {
        assert_eq!(
            parse_param("math_fidelity=hifi2"),
            Ok((
                "math_fidelity".into(),
                OwnedParamValue::Enum("hifi2".into())
            ))
        );
        assert_eq!(
            parse_param("k=a=b"),
            Ok(("k".into(), OwnedParamValue::Enum("a=b".into())))
        );
        assert!(
            parse_param("math_fidelity")
                .unwrap_err()
                .contains("KEY=VALUE")
        );
        assert!(parse_param("=2").is_err());
    }

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
