//! `ttperf list`: devices and their cards, ops with their OP CODE aliases and params, and the
//! model versions of each (device, op) with family and measured error.

use crate::failure::Failure;
use crate::render::{Format, accuracy_json, accuracy_text};
use serde_json::{Value, json};
use ttnn_op_perf_models::{Device, Hardware, Op, ParamSpec, ParamValue, model_versions};

#[derive(clap::Args)]
pub struct Args {
    /// Only this device (name or alias): its cards and model versions.
    #[arg(long)]
    device: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let devices: Vec<Device> = match args.device.as_deref() {
        Some(name) => vec![Device::from_name(name).map_err(Failure::unknown)?],
        None => Device::ALL.to_vec(),
    };
    match args.format {
        Format::Json => println!("{}", to_json(&devices)),
        Format::Table => print_table(&devices),
    }
    Ok(())
}

/// `required`, or `default VALUE`.
fn default_text(value: Option<ParamValue<'_>>) -> String {
    match value {
        None => "required".into(),
        Some(ParamValue::Int(i)) => format!("default {i}"),
        Some(ParamValue::Float(x)) => format!("default {x}"),
        Some(ParamValue::Bool(b)) => format!("default {b}"),
        Some(ParamValue::Enum(s)) => format!("default {s}"),
    }
}

fn param_json(p: &ParamSpec) -> Value {
    let default = match p.default {
        None => Value::Null,
        Some(ParamValue::Int(i)) => json!(i),
        Some(ParamValue::Float(x)) => json!(x),
        Some(ParamValue::Bool(b)) => json!(b),
        Some(ParamValue::Enum(s)) => json!(s),
    };
    json!({"key": p.key, "summary": p.summary, "kind": p.kind.to_string(), "default": default})
}

fn to_json(devices: &[Device]) -> Value {
    let devices_json: Vec<Value> = devices
        .iter()
        .map(|&d| {
            let cards: Vec<Value> = d
                .cards()
                .iter()
                .map(|&c| {
                    let hw = Hardware::of(c);
                    json!({
                        "name": c.name(),
                        "compute_grid": hw.compute_grid.to_string(),
                        "full_grid": hw.full_grid.to_string(),
                        "dram_gb_s": hw.dram_peak_gb_s,
                        "clock_mhz": hw.clock_mhz,
                    })
                })
                .collect();
            json!({"name": d.name(), "default_card": d.default_card().name(), "cards": cards})
        })
        .collect();
    let ops: Vec<Value> = Op::ALL
        .iter()
        .map(|&op| {
            let spec = op.spec();
            let params: Vec<Value> = spec.params.iter().map(param_json).collect();
            json!({"name": op.name(), "summary": spec.summary, "op_codes": spec.op_codes, "params": params})
        })
        .collect();
    let versions: Vec<Value> = devices
        .iter()
        .flat_map(|&d| Op::ALL.iter().flat_map(move |&op| model_versions(d, op)))
        .map(|m| {
            json!({
                "device": m.device.name(),
                "op": m.op.name(),
                "version": m.version,
                "id": m.id().to_string(),
                "family": m.family().name(),
                "summary": m.summary,
                "accuracy": accuracy_json(m.accuracy),
            })
        })
        .collect();
    json!({"devices": devices_json, "ops": ops, "versions": versions})
}

fn print_table(devices: &[Device]) {
    println!(
        "{:<12} {:<6} {:<8} {:>8} {:>10} {:>10}",
        "DEVICE", "CARD", "DEFAULT", "GRID", "DRAM GB/s", "CLOCK MHz"
    );
    for &d in devices {
        for &c in d.cards() {
            let hw = Hardware::of(c);
            let default = if c == d.default_card() { "yes" } else { "" };
            println!(
                "{:<12} {:<6} {:<8} {:>8} {:>10.1} {:>10.0}",
                d.name(),
                c.name(),
                default,
                hw.compute_grid.to_string(),
                hw.dram_peak_gb_s,
                hw.clock_mhz
            );
        }
    }
    println!();
    println!("OPS");
    for op in Op::ALL {
        let spec = op.spec();
        println!("{op}: {}", spec.summary);
        println!("  OP CODEs: {}", spec.op_codes.join(", "));
        for p in spec.params {
            println!(
                "  param {}: {} ({}; {})",
                p.key,
                p.summary,
                p.kind,
                default_text(p.default)
            );
        }
    }
    println!();
    println!(
        "{:<12} {:<24} {:<8} {:<24} ACCURACY (CROSS-VALIDATED BY FILE)",
        "DEVICE", "OP", "VERSION", "FAMILY"
    );
    for &d in devices {
        for op in Op::ALL {
            for m in model_versions(d, op) {
                println!(
                    "{:<12} {:<24} {:<8} {:<24} {}",
                    d.name(),
                    op.name(),
                    format!("v{}", m.version),
                    m.family().name(),
                    accuracy_text(m.accuracy)
                );
            }
        }
    }
}
