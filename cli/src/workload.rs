//! JSON workloads (the format is documented in `cli/workloads/README.md`), and [`Step`], one
//! op to estimate, which `predict` builds from its arguments and a workload from each entry.

use crate::failure::Failure;
use crate::tensor_spec::{parse_grid, parse_tensor};
use anyhow::{Context, anyhow, bail};
use serde::Deserialize;
use serde_json::Value;
use std::num::NonZeroU32;
use ttnn_op_perf_models::{
    Card, CoreGrid, Device, Error, ErrorKind, Estimate, Name, OpKey, OpParam, OwnedParamValue,
    PerfModels, Query, QueryParams, TensorParams, Version,
};

/// Reads a command-line param value: `true` or `false`, an integer, a number (with a digit,
/// so `inf` and `nan` stay words), and anything else as an enum value.
pub fn parse_param_value(s: &str) -> OwnedParamValue {
    let has_digit = s.bytes().any(|b| b.is_ascii_digit());
    if let Ok(b) = s.parse() {
        OwnedParamValue::Bool(b)
    } else if let Ok(i) = s.parse() {
        OwnedParamValue::Int(i)
    } else if let (Ok(x), true) = (s.parse(), has_digit) {
        OwnedParamValue::Float(x)
    } else {
        OwnedParamValue::Enum(s.to_string())
    }
}

/// Reads a JSON param value: a bool, a number or a string (an enum value).
fn param_from_json(v: &Value) -> Option<OwnedParamValue> {
    Some(match v {
        Value::Bool(b) => OwnedParamValue::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => OwnedParamValue::Int(i),
            None => OwnedParamValue::Float(n.as_f64()?),
        },
        Value::String(s) => OwnedParamValue::Enum(s.clone()),
        _ => return None,
    })
}

/// One op to estimate: the owned parts of a [`Query`].
#[derive(Debug, Clone)]
pub struct Step {
    /// Op name or ttnn OP CODE.
    pub op: String,
    pub version: Version,
    pub params: Vec<(String, OwnedParamValue)>,
    pub inputs: Vec<TensorParams>,
    pub output: Option<TensorParams>,
    pub grid: Option<CoreGrid>,
}

impl Step {
    /// Asks `models` for the step's estimate.
    pub fn estimate(&self, models: &PerfModels) -> Result<Estimate, Error> {
        let params: Vec<OpParam<'_>> = self
            .params
            .iter()
            .map(|(key, value)| OpParam::new(key, value.as_value()))
            .collect();
        models.query(&Query {
            op: OpKey::Name(&self.op),
            version: self.version,
            params: QueryParams::ByName(&params),
            inputs: &self.inputs,
            output: self.output.as_ref(),
            grid: self.grid,
        })
    }
}

/// The manager of a device (and card) by name; unknown names fail with exit code 5.
pub fn manager(device: &str, card: Option<&str>, fallback: bool) -> Result<PerfModels, Failure> {
    let device = Device::from_name(device).map_err(Failure::unknown)?;
    let mut builder = PerfModels::builder(device).fallback(fallback);
    if let Some(name) = card {
        let card = Card::from_name(name).ok_or_else(|| {
            Failure::unknown(Error::UnknownCard {
                name: Name::new(name),
                device,
            })
        })?;
        builder = builder.card(card);
    }
    builder.build().map_err(Failure::unknown)
}

/// The exit class of a failed query: unknown op or version (or no model of the op for the
/// device) is 5, any other failure 6.
pub fn query_failure(e: Error) -> Failure {
    match e.kind() {
        ErrorKind::UnknownDevice
        | ErrorKind::UnknownCard
        | ErrorKind::UnknownOp
        | ErrorKind::NoSuchVersion
        | ErrorKind::NoModelForDevice => Failure::unknown(e),
        _ => Failure::query(e),
    }
}

/// A workload: a device and the ops to estimate on it, in order.
#[derive(Debug)]
pub struct Workload {
    /// Device name or alias.
    pub device: String,
    /// Card name; the device's default card when absent.
    pub card: Option<String>,
    pub ops: Vec<WorkloadOp>,
}

/// One op of a workload.
#[derive(Debug)]
pub struct WorkloadOp {
    /// A label for reports; the op as written when the file gives none.
    pub name: String,
    /// How many times the op runs (layers, iterations).
    pub repeat: u32,
    pub step: Step,
}

/// The file's top level, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkloadFile {
    device: String,
    card: Option<String>,
    ops: Vec<Value>,
}

/// One entry of `ops`, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpEntry {
    name: Option<String>,
    op: String,
    version: Option<u16>,
    #[serde(default)]
    params: serde_json::Map<String, Value>,
    inputs: Vec<String>,
    output: Option<String>,
    grid: Option<String>,
    #[serde(default = "once")]
    repeat: NonZeroU32,
}

fn once() -> NonZeroU32 {
    NonZeroU32::MIN
}

impl Workload {
    /// Parses a workload; errors name the op entry they are about, as ``ops[2] (`mlp up`)``.
    pub fn parse(json: &str) -> anyhow::Result<Workload> {
        let file: WorkloadFile = serde_json::from_str(json)?;
        if file.ops.is_empty() {
            bail!("`ops` is empty: a workload needs at least one op");
        }
        let ops = file
            .ops
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let label = match v.get("name").and_then(Value::as_str) {
                    Some(name) => format!("ops[{i}] (`{name}`)"),
                    None => format!("ops[{i}]"),
                };
                WorkloadOp::from_json(v).context(label)
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Workload {
            device: file.device,
            card: file.card,
            ops,
        })
    }
}

impl WorkloadOp {
    fn from_json(v: Value) -> anyhow::Result<WorkloadOp> {
        let e: OpEntry = serde_json::from_value(v)?;
        let tensor = |what: String, spec: &str| {
            parse_tensor(spec).map_err(|problem| anyhow!("{what} `{spec}`: {problem}"))
        };
        let inputs = e
            .inputs
            .iter()
            .enumerate()
            .map(|(i, spec)| tensor(format!("input {i}"), spec))
            .collect::<anyhow::Result<_>>()?;
        let output = e
            .output
            .as_deref()
            .map(|spec| tensor("output".into(), spec))
            .transpose()?;
        let grid = e
            .grid
            .as_deref()
            .map(parse_grid)
            .transpose()
            .map_err(|p| anyhow!(p))?;
        let params = e
            .params
            .into_iter()
            .map(|(key, v)| match param_from_json(&v) {
                Some(arg) => Ok((key, arg)),
                None => Err(anyhow!(
                    "param `{key}`: {v} is not a bool, a number or a string"
                )),
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(WorkloadOp {
            name: e.name.unwrap_or_else(|| e.op.clone()),
            repeat: e.repeat.get(),
            step: Step {
                op: e.op,
                version: e.version.map_or(Version::Latest, Version::Exact),
                params,
                inputs,
                output,
                grid,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_values_are_typed() {
        assert_eq!(parse_param_value("true"), OwnedParamValue::Bool(true));
        assert_eq!(parse_param_value("false"), OwnedParamValue::Bool(false));
        assert_eq!(parse_param_value("2"), OwnedParamValue::Int(2));
        assert_eq!(parse_param_value("-3"), OwnedParamValue::Int(-3));
        assert_eq!(parse_param_value("0.5"), OwnedParamValue::Float(0.5));
        assert_eq!(parse_param_value("1e3"), OwnedParamValue::Float(1000.0));
        for word in ["hifi2", "inf", "NaN", "True", ""] {
            assert_eq!(parse_param_value(word), OwnedParamValue::Enum(word.into()));
        }
    }

    #[test]
    fn a_full_entry_parses() {
        let w = Workload::parse(
            r#"{"device": "wh", "card": "n300", "ops": [{
                "name": "up", "op": "MatmulDeviceOperation", "version": 1,
                "params": {"math_fidelity": "hifi2", "transpose_b": false, "num_slices": 2, "x": 0.5},
                "inputs": ["1x1x128x4096:bf16", "1x1x4096x64:bf8"],
                "output": "1x1x128x64:bf16", "grid": "8x4", "repeat": 32}]}"#,
        )
        .unwrap();
        assert_eq!((w.device.as_str(), w.card.as_deref()), ("wh", Some("n300")));
        let op = &w.ops[0];
        assert_eq!((op.name.as_str(), op.repeat), ("up", 32));
        assert_eq!(op.step.version, Version::Exact(1));
        assert_eq!(op.step.inputs.len(), 2);
        assert!(op.step.output.is_some());
        assert_eq!(op.step.grid, Some(CoreGrid::new(8, 4)));
        let params: Vec<_> = op
            .step
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        assert_eq!(
            params,
            [
                ("math_fidelity", &OwnedParamValue::Enum("hifi2".into())),
                ("num_slices", &OwnedParamValue::Int(2)),
                ("transpose_b", &OwnedParamValue::Bool(false)),
                ("x", &OwnedParamValue::Float(0.5)),
            ]
        );
    }

    #[test]
    fn the_documented_example_answers() {
        let readme = include_str!("../workloads/README.md");
        let json = readme
            .split("```json")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("a json block in the README");
        let w = Workload::parse(json).unwrap();
        let models = manager(&w.device, w.card.as_deref(), false).unwrap();
        for op in &w.ops {
            op.step.estimate(&models).unwrap();
        }
    }

    #[test]
    fn defaults_of_a_minimal_entry() {
        let w =
            Workload::parse(r#"{"device": "blackhole", "ops": [{"op": "matmul", "inputs": []}]}"#)
                .unwrap();
        assert_eq!(w.card, None);
        let op = &w.ops[0];
        assert_eq!((op.name.as_str(), op.repeat), ("matmul", 1));
        assert_eq!(op.step.version, Version::Latest);
        assert!(op.step.params.is_empty() && op.step.output.is_none() && op.step.grid.is_none());
    }

    #[test]
    fn errors_name_the_entry() {
        let cases = [
            (r#"{"device": "wh"}"#, "missing field `ops`"),
            (
                r#"{"device": "wh", "ops": [], "extra": 1}"#,
                "unknown field `extra`",
            ),
            (r#"{"device": "wh", "ops": []}"#, "`ops` is empty"),
            (
                r#"{"device": "wh", "ops": [{"op": "matmul", "inputs": [], "input": []}]}"#,
                "ops[0]: unknown field `input`",
            ),
            (
                r#"{"device": "wh", "ops": [{"op": "matmul", "inputs": []}, {"name": "b", "inputs": []}]}"#,
                "ops[1] (`b`): missing field `op`",
            ),
            (
                r#"{"device": "wh", "ops": [{"name": "a", "op": "matmul", "inputs": ["32x32:bf17"]}]}"#,
                "ops[0] (`a`): input 0 `32x32:bf17`: dtype `bf17`",
            ),
            (
                r#"{"device": "wh", "ops": [{"op": "matmul", "inputs": [], "output": "32"}]}"#,
                "ops[0]: output `32`",
            ),
            (
                r#"{"device": "wh", "ops": [{"op": "matmul", "inputs": [], "grid": "8"}]}"#,
                "ops[0]: grid `8`",
            ),
            (
                r#"{"device": "wh", "ops": [{"op": "matmul", "inputs": [], "params": {"k": null}}]}"#,
                "ops[0]: param `k`: null",
            ),
            (
                r#"{"device": "wh", "ops": [{"op": "matmul", "inputs": [], "repeat": 0}]}"#,
                "ops[0]: invalid value: integer `0`",
            ),
            (
                r#"{"device": "wh", "ops": [{"op": "matmul", "inputs": [], "version": "1"}]}"#,
                "ops[0]: invalid type",
            ),
        ];
        for (json, expected) in cases {
            let e = format!("{:#}", Workload::parse(json).unwrap_err());
            assert!(e.contains(expected), "{json}: {e}");
        }
    }

    #[test]
    fn failures_have_exit_classes() {
        let unknown = ttnn_op_perf_models::Op::from_name("UnmodeledDeviceOperation").unwrap_err();
        assert_eq!(query_failure(unknown).code, 5);
        assert_eq!(query_failure(Error::Overflow { what: "x" }).code, 6);
        assert!(manager("wormhole_c0", None, false).is_err_and(|f| f.code == 5));
        assert!(manager("wormhole_b0", Some("p150"), false).is_err_and(|f| f.code == 5));
        assert!(manager("wormhole_b0", Some("x9"), false).is_err_and(|f| f.code == 5));
        assert!(manager("wormhole_b0", Some("n300"), false).is_ok());
    }
}
