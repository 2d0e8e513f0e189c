//! `ops/<op>.toml`: an op's OP CODEs, operand rules and param schema.

use super::{Parsed, Validator, is_snake_ident, number};
use crate::schema::{OpFile, OpParamFile, ParamType};
use crate::{LAYOUTS, Op, OpParam, OpParamKind, SpecError, type_name};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use toml::Spanned;

/// Largest rank and operand count the runtime tables can hold.
const MAX_RANK: u32 = 8;
const MAX_INPUTS: u32 = 8;

impl Validator {
    /// `all` holds every op file parsed, for a param whose `values_of` names another op's.
    pub(super) fn op(&mut self, p: &Parsed<OpFile>, all: &[Parsed<OpFile>]) -> Option<Op> {
        let f = &p.file;
        let before = self.errors.len();
        self.name_matches_stem(p, &f.op, "op");
        self.check(!f.op_codes.is_empty(), p, f.op.span(), "op_codes", || {
            "list at least one ttnn OP CODE (the name profiler traces use for this op)".into()
        });
        for c in &f.op_codes {
            let s = c.get_ref();
            self.check(
                !s.is_empty() && s.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'),
                p,
                c.span(),
                "op_codes",
                || format!("`{s}` is not an OP CODE: use the CamelCase name from the trace's `OP CODE` column"),
            );
        }
        let o = f.operands.get_ref();
        let span = f.operands.span();
        self.check(
            (1..=MAX_INPUTS).contains(&o.min_inputs)
                && (o.min_inputs..=MAX_INPUTS).contains(&o.max_inputs),
            p,
            span.clone(),
            "operands",
            || {
                format!(
                    "needs 1 <= min_inputs <= max_inputs <= {MAX_INPUTS}, found {} and {}",
                    o.min_inputs, o.max_inputs
                )
            },
        );
        self.check(
            (1..=MAX_RANK).contains(&o.min_rank),
            p,
            span.clone(),
            "operands.min_rank",
            || format!("is {}; it must be in 1..={MAX_RANK}", o.min_rank),
        );
        self.check(
            !o.layouts.is_empty() && o.layouts.iter().all(|l| LAYOUTS.contains(&l.as_str())),
            p,
            span,
            "operands.layouts",
            || {
                format!(
                    "must list one or more of {LAYOUTS:?}, found {:?}",
                    o.layouts
                )
            },
        );
        let params: Vec<OpParam> = f
            .params
            .iter()
            .filter_map(|(k, v)| self.op_param(p, k, v, all))
            .collect();
        let example = self.example(p, &f.example, &params);
        if self.errors.len() > before {
            return None;
        }
        Some(Op {
            name: f.op.get_ref().clone(),
            summary: f.summary.clone(),
            op_codes: f.op_codes.iter().map(|c| c.get_ref().clone()).collect(),
            min_inputs: o.min_inputs,
            max_inputs: o.max_inputs,
            output_required: o.output_required,
            min_rank: o.min_rank,
            layouts: o.layouts.clone(),
            params,
            example,
        })
    }

    fn op_param(
        &mut self,
        p: &Parsed<OpFile>,
        key: &str,
        v: &Spanned<OpParamFile>,
        all: &[Parsed<OpFile>],
    ) -> Option<OpParam> {
        let span = v.span();
        let v: &OpParamFile = v.get_ref();
        let k = format!("params.{key}");
        let before = self.errors.len();
        // The values: its own, then those of the enum param `values_of` names: `param` of
        // this op, or `op.param` of another.
        let mut values = v.values.clone();
        if let Some(of) = &v.values_of {
            let (op, param) = match of.split_once('.') {
                Some((op, param)) => (op, param),
                None => (p.file.op.get_ref().as_str(), of.as_str()),
            };
            let source = all
                .iter()
                .find(|o| o.file.op.get_ref() == op)
                .and_then(|o| o.file.params.get(param))
                .map(Spanned::get_ref)
                .filter(|s| {
                    s.kind == ParamType::Enum && !s.values.is_empty() && s.values_of.is_none()
                });
            self.check(
                v.kind == ParamType::Enum && source.is_some(),
                p,
                span.clone(),
                &format!("{k}.values_of"),
                || {
                    format!(
                        "`{of}` is not an enum param with `values` of its own; `values_of` \
                         names one from an enum param: `param` of this op or `op.param` of another"
                    )
                },
            );
            values.extend(source.into_iter().flat_map(|s| s.values.iter().cloned()));
        }
        self.check(is_snake_ident(key), p, span.clone(), &k, || {
            "param keys are snake_case names".into()
        });
        let is_enum = v.kind == ParamType::Enum;
        // An enum param's type is `op_params::<op>::<Key>`, beside the op's `Params` struct.
        self.check(
            !(is_enum && type_name(key) == "Params"),
            p,
            span.clone(),
            &k,
            || "an enum param may not be named `params`: its type would clash with the op's `Params` struct".into(),
        );
        self.check(
            is_enum != values.is_empty(),
            p,
            span.clone(),
            &k,
            || match v.kind {
                _ if is_enum => "an enum param needs `values = [...]`".into(),
                ParamType::Shared(e) => format!(
                    "a `{}` param takes the values of {}: remove `values`",
                    e.name, e.type_name
                ),
                _ => "only enum params take `values`; remove it or set `type = \"enum\"`".into(),
            },
        );
        let numeric = matches!(v.kind, ParamType::Int | ParamType::Float);
        self.check(
            numeric || (v.min.is_none() && v.max.is_none()),
            p,
            span.clone(),
            &k,
            || "only int and float params take `min` / `max`".into(),
        );
        let unique: BTreeSet<_> = values.iter().collect();
        self.check(
            unique.len() == values.len() && values.iter().all(|s| is_snake_ident(s)),
            p,
            span.clone(),
            &k,
            || "enum values must be unique snake_case names".into(),
        );
        let mut kind = match v.kind {
            ParamType::Bool => OpParamKind::Bool { default: None },
            ParamType::Shared(e) => OpParamKind::Enum {
                values: e.names().map(String::from).collect(),
                default: None,
            },
            ParamType::Enum => OpParamKind::Enum {
                values,
                default: None,
            },
            ParamType::Float => OpParamKind::Float {
                min: v.min.unwrap_or(f64::MIN),
                max: v.max.unwrap_or(f64::MAX),
                default: None,
            },
            ParamType::Int => {
                let whole = |x: Option<f64>| x.is_none_or(|x| x.fract() == 0.0 && x.abs() < 9.0e15);
                self.check(whole(v.min) && whole(v.max), p, span.clone(), &k, || {
                    "an int param's `min` and `max` must be whole numbers".into()
                });
                OpParamKind::Int {
                    min: v.min.map_or(i64::MIN, |x| x as i64),
                    max: v.max.map_or(i64::MAX, |x| x as i64),
                    default: None,
                }
            }
        };
        let bounds_ok = match kind {
            OpParamKind::Float { min, max, .. } => min.is_finite() && max.is_finite() && min <= max,
            OpParamKind::Int { min, max, .. } => min <= max,
            _ => true,
        };
        self.check(bounds_ok, p, span.clone(), &k, || {
            "needs finite `min <= max`".into()
        });
        if let Some(d) = &v.default {
            let valid = set_default(&mut kind, d);
            self.check(valid, p, span.clone(), &format!("{k}.default"), || {
                format!(
                    "`{d}` is not a valid value of this param ({})",
                    describe_kind(&kind)
                )
            });
        }
        let trace = self.trace_sources(p, key, &kind, &v.trace);
        if self.errors.len() > before {
            return None;
        }
        Some(OpParam {
            key: key.to_string(),
            summary: v.summary.clone(),
            kind,
            trace,
            shared: match v.kind {
                ParamType::Shared(e) => Some(e),
                _ => None,
            },
        })
    }

    /// Op names and OP CODEs share the runtime's name lookup, so each string may name one op
    /// only.
    pub(super) fn unique_op_names(&mut self, ops: &[Op]) {
        let mut op_names: BTreeMap<&str, &str> = BTreeMap::new();
        for o in ops {
            for n in std::iter::once(&o.name).chain(&o.op_codes) {
                if let Some(prev) = op_names.insert(n, &o.name) {
                    self.errors.push(SpecError::new(
                        Path::new(&format!("ops/{}.toml", o.name)),
                        0,
                        "op_codes",
                        format!("`{n}` already names op `{prev}`; an OP CODE may mean one op only"),
                    ));
                }
            }
        }
    }
}

fn describe_kind(kind: &OpParamKind) -> String {
    match kind {
        OpParamKind::Int { min, max, .. } => format!("an integer in {min}..={max}"),
        OpParamKind::Float { min, max, .. } => format!("a number in {min}..={max}"),
        OpParamKind::Bool { .. } => "true or false".into(),
        OpParamKind::Enum { values, .. } => format!("one of {}", values.join(", ")),
    }
}

/// Sets the default of `kind` to `d` when `d` is a value of it; returns whether it is.
fn set_default(kind: &mut OpParamKind, d: &toml::Value) -> bool {
    match kind {
        OpParamKind::Int { min, max, default } => {
            *default = d.as_integer().filter(|x| (*min..=*max).contains(x));
            default.is_some()
        }
        OpParamKind::Float { min, max, default } => {
            *default = number(d).filter(|x| x.is_finite() && (*min..=*max).contains(x));
            default.is_some()
        }
        OpParamKind::Bool { default } => {
            *default = d.as_bool();
            default.is_some()
        }
        OpParamKind::Enum { values, default } => {
            *default = d.as_str().and_then(|s| values.iter().position(|v| v == s));
            default.is_some()
        }
    }
}
