//! The parts of an op spec that point outside it: where a profiler row holds each param
//! (`[params.<key>] trace = [...]`) and the op's example query (`[example]`).

use super::{Parsed, Validator, number};
use crate::schema::{ExampleFile, OpFile, TraceReadFile, TraceSourceFile};
use crate::{Example, ExampleValue, OpParam, OpParamKind, TraceRead, TraceSource};
use toml::Spanned;

impl Validator {
    /// The param's trace sources, each checked against the param's type.
    pub(super) fn trace_sources(
        &mut self,
        p: &Parsed<OpFile>,
        key: &str,
        kind: &OpParamKind,
        sources: &[Spanned<TraceSourceFile>],
    ) -> Vec<TraceSource> {
        let k = format!("params.{key}.trace");
        sources
            .iter()
            .filter_map(|s| {
                let source = trace_source(s.get_ref(), kind);
                if let Err(msg) = &source {
                    self.errors.push(p.err(s.span(), &k, msg.clone()));
                }
                source.ok()
            })
            .collect()
    }

    /// The op's example: operand counts as the op's rules allow, params of its schema.
    pub(super) fn example(
        &mut self,
        p: &Parsed<OpFile>,
        e: &Spanned<ExampleFile>,
        params: &[OpParam],
    ) -> Example {
        let span = e.span();
        let f = &p.file;
        let o = f.operands.get_ref();
        let ex = e.get_ref();
        self.check(
            (o.min_inputs as usize..=o.max_inputs as usize).contains(&ex.inputs.len()),
            p,
            span.clone(),
            "example.inputs",
            || {
                format!(
                    "gives {} inputs; the op takes {} to {}",
                    ex.inputs.len(),
                    o.min_inputs,
                    o.max_inputs
                )
            },
        );
        self.check(
            !o.output_required || ex.output.is_some(),
            p,
            span.clone(),
            "example.output",
            || "the op needs its output described (`operands.output_required`): add `output = \"...\"`".into(),
        );
        let mut values = Vec::new();
        for (key, value) in &ex.params {
            let k = format!("example.params.{key}");
            let Some(param) = params.iter().find(|q| &q.key == key) else {
                let keys: Vec<&String> = params.iter().map(|q| &q.key).collect();
                self.check(false, p, span.clone(), &k, || {
                    format!(
                        "the op has no param `{key}`; its params: {}",
                        super::names(keys.into_iter())
                    )
                });
                continue;
            };
            match example_value(&param.kind, value) {
                Some(v) => values.push((key.clone(), v)),
                None => {
                    self.check(false, p, span.clone(), &k, || {
                        format!("`{value}` is not a value of this param")
                    });
                }
            }
        }
        for q in params.iter().filter(|q| q.required()) {
            self.check(
                ex.params.contains_key(&q.key),
                p,
                span.clone(),
                "example.params",
                || format!("`{}` has no default: the example must give it", q.key),
            );
        }
        Example {
            inputs: ex.inputs.clone(),
            output: ex.output.clone(),
            params: values,
        }
    }
}

/// A validated trace source, or what to fix.
fn trace_source(s: &TraceSourceFile, kind: &OpParamKind) -> Result<TraceSource, String> {
    let values: Option<&[String]> = match kind {
        OpParamKind::Enum { values, .. } => Some(values),
        _ => None,
    };
    let enum_value = |v: &str, what: &str| -> Result<(), String> {
        match values {
            Some(values) if values.iter().any(|x| x == v) => Ok(()),
            Some(values) => Err(format!(
                "{what} `{v}` is not a value of this param ({})",
                values.join(", ")
            )),
            None => Err(format!("{what} only suits an enum param")),
        }
    };
    if let Some(date) = &s.ran_before {
        if s.attribute.is_some()
            || s.column.is_some()
            || s.op_code_prefix.is_some()
            || s.find.is_some()
            || s.read.is_some()
            || s.map.is_some()
            || s.value.is_some()
        {
            return Err("a `ran_before` source takes nothing else".into());
        }
        if !matches!(kind, OpParamKind::Bool { .. }) {
            return Err(
                "a `ran_before` source only suits a bool param (true: the earlier kernel ran)"
                    .into(),
            );
        }
        return match date_of(date) {
            Some(date) => Ok(TraceSource::RanBefore { date }),
            None => Err(format!(
                "`ran_before = \"{date}\"` is not a date: write `YYYY-MM-DD`"
            )),
        };
    }
    match (&s.attribute, &s.column, &s.op_code_prefix) {
        (Some(attribute), None, None) => {
            if s.value.is_some() {
                return Err("`value` goes with `op_code_prefix` only".into());
            }
            let path: Vec<String> = attribute.split('.').map(String::from).collect();
            if path.iter().any(String::is_empty) {
                return Err(format!(
                    "`{attribute}` is not an attribute path: names joined by `.`, e.g. `program_config.in0_block_w`"
                ));
            }
            let read = match (s.read, &s.map, kind) {
                (Some(TraceReadFile::Int), None, OpParamKind::Int { min, max, .. }) => {
                    TraceRead::Int {
                        min: *min,
                        max: *max,
                    }
                }
                (Some(TraceReadFile::Bool), None, OpParamKind::Bool { .. }) => TraceRead::Bool,
                (Some(TraceReadFile::Given), None, OpParamKind::Bool { .. }) => TraceRead::Given,
                (Some(TraceReadFile::Variant), None, OpParamKind::Enum { .. }) => {
                    TraceRead::Variant
                }
                (Some(read), None, _) => {
                    return Err(format!(
                        "`read = \"{}\"` does not give a value of this param's type",
                        format!("{read:?}").to_lowercase()
                    ));
                }
                (None, Some(map), _) => {
                    for v in map.values() {
                        enum_value(v, "map value")?;
                    }
                    TraceRead::Map(map.iter().map(|(a, b)| (a.clone(), b.clone())).collect())
                }
                _ => {
                    return Err(
                        "an `attribute` source needs one of `read = \"int\" | \"bool\" | \"variant\" | \"given\"` and `map = { ... }`".into(),
                    );
                }
            };
            Ok(TraceSource::Attribute {
                path,
                find: s.find.clone(),
                read,
            })
        }
        (None, Some(column), None) => {
            if s.find.is_some() || s.read.is_some() || s.map.is_some() || s.value.is_some() {
                return Err("a `column` source takes nothing else".into());
            }
            if values.is_none() {
                return Err("a `column` source only suits an enum param".into());
            }
            Ok(TraceSource::Column(column.clone()))
        }
        (None, None, Some(prefix)) => {
            if s.find.is_some() || s.read.is_some() || s.map.is_some() {
                return Err("an `op_code_prefix` source takes `value` only".into());
            }
            let Some(value) = &s.value else {
                return Err("an `op_code_prefix` source needs `value = \"...\"`".into());
            };
            enum_value(value, "value")?;
            Ok(TraceSource::OpCodePrefix {
                prefix: prefix.clone(),
                value: value.clone(),
            })
        }
        _ => Err(
            "give exactly one of `attribute`, `column`, `op_code_prefix` and `ran_before`".into(),
        ),
    }
}

/// `YYYY-MM-DD` as `yyyymmdd`, if it is a date of this era.
fn date_of(text: &str) -> Option<u32> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((2000..=2999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then_some(y * 10_000 + m * 100 + d)
}

/// `v` as a value of a param of `kind`, if it is one.
fn example_value(kind: &OpParamKind, v: &toml::Value) -> Option<ExampleValue> {
    match kind {
        OpParamKind::Int { min, max, .. } => v
            .as_integer()
            .filter(|x| (*min..=*max).contains(x))
            .map(ExampleValue::Int),
        OpParamKind::Float { min, max, .. } => number(v)
            .filter(|x| x.is_finite() && (*min..=*max).contains(x))
            .map(ExampleValue::Float),
        OpParamKind::Bool { .. } => v.as_bool().map(ExampleValue::Bool),
        OpParamKind::Enum { values, .. } => v
            .as_str()
            .filter(|s| values.iter().any(|x| x == s))
            .map(|s| ExampleValue::Enum(s.to_string())),
    }
}
