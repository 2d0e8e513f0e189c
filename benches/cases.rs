//! Query cases shared by `benches/query.rs` and `examples/query_latency.rs`: one typed query
//! per formula family (its first op's example), a string-keyed query, the direct formula call (the floor) and the seed
//! design done the usual dynamic way (the baseline to beat).

#![allow(dead_code)] // each includer uses a part

use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use ttnn_op_perf_models::model::Ctx;
use ttnn_op_perf_models::*;
#[path = "../tests/support/example_queries.rs"]
mod example_queries;
use example_queries::example_queries;

pub const DEVICE: Device = Device::WormholeB0;

/// One query: an op, its params (typed, and the same as `key = value` pairs) and its tensors.
pub struct Case {
    pub family: &'static str,
    pub op: Op,
    pub op_code: &'static str,
    pub typed: OpParams,
    pub params: Vec<OpParam<'static>>,
    pub inputs: Vec<TensorParams>,
    pub output: Option<TensorParams>,
}

/// One case per formula family: its first op's example query, so a new family is measured
/// without a line here.
pub fn cases() -> Vec<Case> {
    let examples = example_queries();
    Family::ALL
        .iter()
        .filter_map(|&family| {
            let op = *family.ops().first()?;
            let (_, example) = examples.iter().find(|(o, _)| *o == op)?;
            Some(Case {
                family: family.name(),
                op,
                op_code: op.spec().op_codes.first().copied().unwrap_or(op.name()),
                typed: OpParams::from_named(op, &example.params)
                    .expect("the example's params are valid"),
                params: example.params.clone(),
                inputs: example.inputs.clone(),
                output: example.output,
            })
        })
        .collect()
}

impl Case {
    /// The typed query: typed params (the op is theirs), latest version.
    pub fn typed(&self) -> Query<'_> {
        self.with(Query::typed(self.typed, &self.inputs))
    }

    /// The same query by ttnn OP CODE and `key = value` params, as a trace reader or a C
    /// caller has it.
    pub fn by_name(&self) -> Query<'_> {
        self.with(Query::named(self.op_code, &self.inputs).params(&self.params))
    }

    fn with<'a>(&'a self, q: Query<'a>) -> Query<'a> {
        match &self.output {
            Some(o) => q.output(o),
            None => q,
        }
    }

    /// The direct formula call: coefficients and checked query prepared once; returns a closure
    /// that only runs the formula.
    pub fn direct(&self) -> impl Fn() -> f64 + '_ {
        let hw = Hardware::of(DEVICE.default_card());
        let cx = Ctx::new(
            self.op,
            hw,
            QueryParams::Typed(self.typed),
            &self.inputs,
            self.output.as_ref(),
            hw.compute_grid,
        )
        .expect("the case is valid");
        let model = *model_versions(DEVICE, self.op).last().expect("a model");
        move || {
            let b = black_box(&model.coefficients).cost(black_box(&cx));
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
/// model coefficients parsed from the TOML specs at start-up, op params a string map parsed on
/// every query, errors as strings.
pub trait DynModel {
    fn duration(
        &self,
        params: &HashMap<String, String>,
        inputs: &[TensorParams],
        output: Option<&TensorParams>,
    ) -> Result<f64, String>;
}

/// One model version as the specs give it. The coefficient values stay a name -> value map
/// read by name on every evaluation; the op-param schema is a key -> kind map. Only the
/// features come from the library (`Family::features`, through the same `Ctx::new` checks),
/// so the baseline does not carry a second copy of the formulas.
struct SpecModel {
    op: Op,
    family: Family,
    hw: &'static Hardware,
    /// The device's launch overhead, ns, from its TOML spec.
    launch_overhead_ns: f64,
    /// The family's coefficients with their terms, in spec order (the order of the features).
    terms: Vec<(String, ttnn_op_perf_spec::Term)>,
    /// The version's coefficient values by name.
    values: HashMap<String, f64>,
    /// The op's param schema: key -> kind.
    param_kinds: HashMap<String, ttnn_op_perf_spec::OpParamKind>,
}

impl DynModel for SpecModel {
    fn duration(
        &self,
        params: &HashMap<String, String>,
        inputs: &[TensorParams],
        output: Option<&TensorParams>,
    ) -> Result<f64, String> {
        use ttnn_op_perf_spec::OpParamKind;
        // Parse every string param per query against the op's schema.
        let mut parsed = Vec::with_capacity(params.len());
        for (k, v) in params {
            let kind = self
                .param_kinds
                .get(k)
                .ok_or_else(|| format!("{}: unknown param `{k}`", self.op))?;
            let bad = |e: &dyn std::fmt::Display| format!("{}: param `{k}`: `{v}`: {e}", self.op);
            let value = match kind {
                OpParamKind::Int { .. } => ParamValue::Int(v.parse().map_err(|e| bad(&e))?),
                OpParamKind::Float { .. } => ParamValue::Float(v.parse().map_err(|e| bad(&e))?),
                OpParamKind::Bool { .. } => ParamValue::Bool(v.parse().map_err(|e| bad(&e))?),
                OpParamKind::Enum { .. } => ParamValue::Enum(v),
            };
            parsed.push(OpParam::new(k, value));
        }
        let cx = Ctx::new(
            self.op,
            self.hw,
            QueryParams::ByName(&parsed),
            inputs,
            output,
            self.hw.compute_grid,
        )
        .map_err(|e| e.to_string())?;
        let features = self.family.features(&cx).map_err(|e| e.to_string())?;
        // launch + overhead + max(compute, DRAM, NoC), each term the sum of its coefficients
        // times their features, the coefficients read by name.
        let (mut overhead, mut compute, mut dram, mut noc) =
            (self.launch_overhead_ns, 0.0, 0.0, 0.0);
        for ((name, term), feature) in self.terms.iter().zip(features.as_slice()) {
            let value = self
                .values
                .get(name)
                .ok_or_else(|| format!("{}: no value for coefficient `{name}`", self.op))?;
            let slot = match term {
                ttnn_op_perf_spec::Term::Overhead => &mut overhead,
                ttnn_op_perf_spec::Term::Compute => &mut compute,
                ttnn_op_perf_spec::Term::Dram => &mut dram,
                ttnn_op_perf_spec::Term::Noc => &mut noc,
            };
            *slot += value * feature;
        }
        let duration = overhead + f64::max(compute, f64::max(dram, noc));
        if !duration.is_finite() || duration < 0.0 {
            return Err(format!("{}: duration out of range: {duration}", self.op));
        }
        Ok(duration)
    }
}

pub type Registry = HashMap<String, HashMap<u16, Box<dyn DynModel>>>;

/// Builds the dynamic registry of `DEVICE` by parsing the TOML specs.
pub fn dynamic_registry() -> Registry {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("model_specs");
    let specs = ttnn_op_perf_spec::load_dir(&root).expect("valid specs");
    let device = specs
        .devices
        .iter()
        .find(|d| d.name == DEVICE.name())
        .expect("the device's spec");
    let hw = Hardware::of(DEVICE.default_card());
    let mut registry: Registry = HashMap::new();
    for m in specs.models.iter().filter(|m| m.device == DEVICE.name()) {
        let op = Op::from_name(&m.op).expect("an op of this build");
        let op_spec = specs
            .ops
            .iter()
            .find(|o| o.name == m.op)
            .expect("the op's spec");
        let param_kinds: HashMap<String, ttnn_op_perf_spec::OpParamKind> = op_spec
            .params
            .iter()
            .map(|p| (p.key.clone(), p.kind.clone()))
            .collect();
        for v in &m.versions {
            let spec_family = specs.family_of(v);
            let family = Family::from_name(&spec_family.name).expect("a family of this build");
            // `Family::features` returns the features in the family's coefficient order.
            let names: Vec<&str> = family.coefficients().iter().map(|c| c.name).collect();
            let spec_names: Vec<&str> = spec_family
                .coefficients
                .iter()
                .map(|c| c.name.as_str())
                .collect();
            assert_eq!(names, spec_names, "{}: coefficient order", spec_family.name);
            let terms = spec_family
                .coefficients
                .iter()
                .map(|c| (c.name.clone(), c.term))
                .collect();
            let values = spec_family
                .coefficients
                .iter()
                .map(|c| c.name.clone())
                .zip(v.coefficients.iter().copied())
                .collect();
            let model = SpecModel {
                op,
                family,
                hw,
                launch_overhead_ns: device.launch_overhead_ns,
                terms,
                values,
                param_kinds: param_kinds.clone(),
            };
            registry
                .entry(m.op.clone())
                .or_default()
                .insert(v.number as u16, Box::new(model));
        }
    }
    registry
}

/// One dynamic query of version `version` (the latest when `None`): op name and version
/// lookups, then the boxed model.
pub fn dynamic_query_version(
    registry: &Registry,
    op: &str,
    version: Option<u16>,
    params: &HashMap<String, String>,
    case: &Case,
) -> Result<f64, String> {
    let versions = registry
        .get(op)
        .ok_or_else(|| format!("no model for op `{op}`"))?;
    let version = match version {
        Some(v) => v,
        None => *versions
            .keys()
            .max()
            .ok_or_else(|| format!("{op}: no version"))?,
    };
    versions
        .get(&version)
        .ok_or_else(|| format!("{op}: no version {version}"))?
        .duration(params, &case.inputs, case.output.as_ref())
}

/// One dynamic query of the latest version.
pub fn dynamic_query(
    registry: &Registry,
    op: &str,
    params: &HashMap<String, String>,
    case: &Case,
) -> Result<f64, String> {
    dynamic_query_version(registry, op, None, params, case)
}

/// Panics unless the typed query, the by-name query and the dynamic registry agree for
/// every case and every version of its op (the dynamic registry within 1e-9 relative): the
/// cases measure the same thing.
pub fn assert_dynamic_matches_typed(models: &PerfModels, registry: &Registry, cases: &[Case]) {
    for case in cases {
        let params = case.string_params();
        let mut versions: Vec<Option<u16>> = vec![None];
        versions.extend(
            model_versions(DEVICE, case.op)
                .iter()
                .map(|m| Some(m.version)),
        );
        for version in versions {
            let label = version.map_or("latest".to_string(), |v| format!("v{v}"));
            let q = match version {
                Some(v) => case.typed().version(v),
                None => case.typed(),
            };
            let estimate = models
                .query(&q)
                .unwrap_or_else(|e| panic!("{} {label}: typed query: {e}", case.family));
            let by_name = match version {
                Some(v) => case.by_name().version(v),
                None => case.by_name(),
            };
            assert_eq!(
                models.query(&by_name),
                Ok(estimate),
                "{} {label}: by name",
                case.family
            );
            let typed = estimate.duration_ns;
            let dynamic = dynamic_query_version(registry, case.op.name(), version, &params, case)
                .unwrap_or_else(|e| panic!("{} {label}: dynamic query: {e}", case.family));
            assert!(
                (dynamic - typed).abs() <= 1e-9 * typed.abs(),
                "{} {label}: dynamic {dynamic} ns != typed {typed} ns",
                case.family
            );
        }
    }
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
