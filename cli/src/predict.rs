//! `ttperf predict`: one estimate from an op, its params and its tensors.

use crate::failure::Failure;
use crate::render::{Format, accuracy_text, bound_name, estimate_json, model_label};
use crate::tensor_spec::{parse_grid, parse_tensor};
use crate::workload::{Step, manager, parse_param_value, query_failure};
use serde_json::{Value, json};
use ttnn_op_perf_models::{CoreGrid, OwnedParamValue, TensorParams, Version};

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
}
