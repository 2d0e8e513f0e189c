//! Query cases shared by `benches/query.rs` and `examples/query_latency.rs`: one typed query
//! per formula family, a string-keyed query, the direct formula call (the floor) and the seed
//! design done the usual dynamic way (the baseline to beat).

#![allow(dead_code)] // each includer uses a part

use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use ttnn_op_perf_models::model::Ctx;
use ttnn_op_perf_models::*;

pub const DEVICE: Device = Device::WormholeB0;

/// One query: an op, its params and its two tensors.
pub struct Case {
    pub family: &'static str,
    pub op: Op,
    pub op_code: &'static str,
    pub params: Vec<OpParam<'static>>,
    pub inputs: Vec<TensorParams>,
    pub output: Option<TensorParams>,
}

fn dram(dims: &[u32]) -> TensorParams {
    TensorParams::tiled(dims, DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED)
}

fn enum_param(key: &'static str, value: &'static str) -> OpParam<'static> {
    OpParam::new(key, ParamValue::Enum(value))
}

/// One case per formula family, each with two tensors.
pub fn cases() -> Vec<Case> {
    let shard = ShardSpec::new(
        CoreRange::of_grid(CoreGrid::new(8, 8)),
        [64, 1024],
        ShardOrientation::RowMajor,
    );
    let sharded = TensorParams::tiled(
        &[1, 1, 4096, 1024],
        DType::Bfloat16,
        MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard),
    );
    vec![
        Case {
            family: "matmul_roofline",
            op: Op::Matmul,
            op_code: "MatmulDeviceOperation",
            params: vec![
                enum_param("math_fidelity", "hifi2"),
                enum_param("program_config", "mcast_2d"),
            ],
            inputs: vec![dram(&[1, 1, 1024, 4096]), dram(&[1, 1, 4096, 4096])],
            output: None,
        },
        Case {
            family: "eltwise_unary_roofline",
            op: Op::EltwiseUnary,
            op_code: "UnaryDeviceOperation",
            params: vec![enum_param("unary_op", "gelu")],
            inputs: vec![dram(&[1, 1, 1024, 4096])],
            output: Some(dram(&[1, 1, 1024, 4096])),
        },
        Case {
            family: "eltwise_binary_roofline",
            op: Op::EltwiseBinary,
            op_code: "BinaryNgDeviceOperation",
            params: vec![enum_param("binary_op", "add")],
            inputs: vec![dram(&[1, 1, 1024, 4096]), dram(&[1, 1, 1024, 4096])],
            output: None,
        },
        Case {
            family: "data_movement_roofline",
            op: Op::InterleavedToSharded,
            op_code: "InterleavedToShardedDeviceOperation",
            params: vec![],
            inputs: vec![dram(&[1, 1, 4096, 1024])],
            output: Some(sharded),
        },
    ]
}

impl Case {
    /// The typed query: enum op, latest version.
    pub fn typed(&self) -> Query<'_> {
        self.with(Query::new(self.op, &self.inputs))
    }

    /// The same query by ttnn OP CODE, as a trace reader or a C caller has it.
    pub fn by_name(&self) -> Query<'_> {
        self.with(Query::named(self.op_code, &self.inputs))
    }

    fn with<'a>(&'a self, q: Query<'a>) -> Query<'a> {
        let q = q.params(&self.params);
        match &self.output {
            Some(o) => q.output(o),
            None => q,
        }
    }

    /// The direct formula call: parameters and checked query prepared once; returns a closure
    /// that only runs the formula.
    pub fn direct(&self) -> impl Fn() -> f64 + '_ {
        let hw = Hardware::of(DEVICE.default_card());
        let cx = Ctx::new(
            self.op,
            hw,
            &self.params,
            &self.inputs,
            self.output.as_ref(),
            hw.compute_grid,
        )
        .expect("the case is valid");
        let model = *model_versions(DEVICE, self.op).last().expect("a model");
        move || {
            let b = black_box(&model.params).cost(black_box(&cx));
            b.map_or(0.0, |b| b.duration_ns())
        }
    }

    /// The case's params as the dynamic baseline takes them: strings.
    pub fn string_params(&self) -> HashMap<String, String> {
        self.params
            .iter()
            .map(|p| {
                let v = match p.value {
                    ParamValue::Enum(s) => s.to_string(),
                    ParamValue::Bool(b) => b.to_string(),
                    ParamValue::Int(i) => i.to_string(),
                    ParamValue::Float(x) => x.to_string(),
                };
                (p.key.to_string(), v)
            })
            .collect()
    }
}

/// The seed design done the usual dynamic way: a registry op -> version -> boxed model,
/// model parameters parsed from the TOML specs at start-up, op params a string map parsed on
/// every query.
pub trait DynModel {
    fn duration(
        &self,
        params: &HashMap<String, String>,
        inputs: &[TensorParams],
        output: Option<&TensorParams>,
    ) -> Result<f64, String>;
}

struct SpecModel {
    op: Op,
    hw: &'static Hardware,
    params: ModelParams,
}

impl DynModel for SpecModel {
    fn duration(
        &self,
        params: &HashMap<String, String>,
        inputs: &[TensorParams],
        output: Option<&TensorParams>,
    ) -> Result<f64, String> {
        // Parse every string param per query, as a string-typed interface must.
        let parsed: Vec<OpParam<'_>> = params
            .iter()
            .map(|(k, v)| {
                let value = if let Ok(b) = v.parse::<bool>() {
                    ParamValue::Bool(b)
                } else if let Ok(i) = v.parse::<i64>() {
                    ParamValue::Int(i)
                } else {
                    ParamValue::Enum(v)
                };
                OpParam::new(k, value)
            })
            .collect();
        let cx = Ctx::new(
            self.op,
            self.hw,
            &parsed,
            inputs,
            output,
            self.hw.compute_grid,
        )
        .map_err(|e| e.to_string())?;
        self.params
            .cost(&cx)
            .map(|b| b.duration_ns())
            .map_err(|e| e.to_string())
    }
}

pub type Registry = HashMap<String, HashMap<u16, Box<dyn DynModel>>>;

/// Builds the dynamic registry of `DEVICE` by parsing the TOML specs.
pub fn dynamic_registry() -> Registry {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("model_specs");
    let specs = ttnn_op_perf_spec::load_dir(&root).expect("valid specs");
    let hw = Hardware::of(DEVICE.default_card());
    let mut registry: Registry = HashMap::new();
    for m in specs.models.iter().filter(|m| m.device == DEVICE.name()) {
        let op = Op::from_name(&m.op).expect("known op");
        for v in &m.versions {
            let params = Family::from_name(&v.family)
                .and_then(|f| f.model_params(&v.params))
                .expect("a family of this build");
            registry
                .entry(m.op.clone())
                .or_default()
                .insert(v.number as u16, Box::new(SpecModel { op, hw, params }));
        }
    }
    registry
}

/// One dynamic query: op name and version lookups, then the boxed model.
pub fn dynamic_query(
    registry: &Registry,
    op: &str,
    params: &HashMap<String, String>,
    case: &Case,
) -> f64 {
    let versions = &registry[op];
    let latest = versions.keys().max().expect("a version");
    versions[latest]
        .duration(params, &case.inputs, case.output.as_ref())
        .unwrap_or(0.0)
}

/// `n` queries cycling through the typed and by-name forms of every case.
pub fn mixed<'a>(cases: &'a [Case], n: usize) -> Vec<Query<'a>> {
    (0..n)
        .map(|i| {
            let c = &cases[i % cases.len()];
            if (i / cases.len()) % 2 == 0 {
                c.typed()
            } else {
                c.by_name()
            }
        })
        .collect()
}
