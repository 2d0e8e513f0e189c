//! Op params: the key-value pairs of a query, the schema each op declares for them in
//! `model_specs/ops/<op>.toml`, and their resolution against that schema.

use crate::error::{Error, Name, ParamProblem};
use crate::generated::MAX_OP_PARAMS;
use crate::op::{Op, OpSpec};
use core::fmt;

/// The value of one op param.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamValue<'a> {
    Int(i64),
    Float(f64),
    Bool(bool),
    /// One of the values an enum param lists (`"hifi4"`, `"mcast_2d"`, ...).
    Enum(&'a str),
}

/// One `key = value` op param of a query.
///
/// ```
/// use ttnn_op_perf_models::{OpParam, ParamValue};
/// let p = OpParam::new("math_fidelity", ParamValue::Enum("lofi"));
/// assert_eq!(p.key, "math_fidelity");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpParam<'a> {
    pub key: &'a str,
    pub value: ParamValue<'a>,
}

impl<'a> OpParam<'a> {
    pub const fn new(key: &'a str, value: ParamValue<'a>) -> Self {
        OpParam { key, value }
    }
}

/// An owned op-param value, for callers that read params from text (traces, command lines,
/// workload files) and keep them beyond one query.
#[cfg(feature = "std")]
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedParamValue {
    Int(i64),
    Float(f64),
    Bool(bool),
    Enum(std::string::String),
}

#[cfg(feature = "std")]
impl OwnedParamValue {
    /// The value to put in a query.
    pub fn as_value(&self) -> ParamValue<'_> {
        match self {
            OwnedParamValue::Int(i) => ParamValue::Int(*i),
            OwnedParamValue::Float(x) => ParamValue::Float(*x),
            OwnedParamValue::Bool(b) => ParamValue::Bool(*b),
            OwnedParamValue::Enum(s) => ParamValue::Enum(s),
        }
    }
}

/// The type and bounds of an op param.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    Int { min: i64, max: i64 },
    Float { min: f64, max: f64 },
    Bool,
    Enum { values: &'static [&'static str] },
}

impl fmt::Display for ParamKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamKind::Int { min, max } => write!(f, "an integer in {min}..={max}"),
            ParamKind::Float { min, max } => write!(f, "a number in {min}..={max}"),
            ParamKind::Bool => f.write_str("true or false"),
            ParamKind::Enum { values } => {
                f.write_str("one of ")?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(v)?;
                }
                Ok(())
            }
        }
    }
}

/// One op param as the op spec declares it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    pub key: &'static str,
    pub summary: &'static str,
    pub kind: ParamKind,
    /// `None`: every query must pass the param.
    pub default: Option<ParamValue<'static>>,
}

/// A checked param value; enums are stored as the index of the value in the schema.
/// `build.rs` writes each op's defaults as slots (`OpSpec::defaults`), so a query copies
/// them instead of checking them again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Slot {
    /// No default: the query must give the param.
    Unset,
    Int(i64),
    Float(f64),
    Bool(bool),
    Enum(u8),
}

/// A query's params checked against its op's schema, defaults filled in. No heap: a fixed
/// buffer as large as the largest schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ResolvedParams {
    spec: &'static OpSpec,
    slots: [Slot; MAX_OP_PARAMS],
}

impl ResolvedParams {
    /// The op's defaults, as build.rs checked and generated them; `Unset` where the schema
    /// has none.
    #[inline]
    pub(crate) fn defaults(spec: &'static OpSpec) -> Self {
        ResolvedParams {
            spec,
            slots: spec.defaults,
        }
    }

    /// Checks every given param (known key, right type, in range, given once) over the
    /// defaults; a param without a default that is not given is an error.
    #[inline]
    pub(crate) fn set(&mut self, given: &[OpParam<'_>]) -> Result<(), Error> {
        let spec = self.spec;
        let op = spec.op;
        let mut seen = [false; MAX_OP_PARAMS];
        for p in given {
            // A linear scan over an op's few keys beats hashing the key.
            let Some(ix) = spec.params.iter().position(|s| same(s.key, p.key)) else {
                return Err(Error::UnknownParam {
                    op,
                    key: Name::new(p.key),
                });
            };
            let param = &spec.params[ix];
            let invalid = |problem| Error::InvalidParam { op, param, problem };
            if seen[ix] {
                return Err(invalid(ParamProblem::Duplicate));
            }
            seen[ix] = true;
            self.slots[ix] = check(param, p.value).map_err(invalid)?;
        }
        match spec
            .params
            .iter()
            .zip(&self.slots)
            .find_map(|(param, slot)| (*slot == Slot::Unset).then_some(param))
        {
            Some(param) => Err(Error::MissingParam { op, param }),
            None => Ok(()),
        }
    }

    #[inline]
    pub(crate) fn get_enum(&self, p: EnumParam) -> &'static str {
        match (self.slots[p.0], self.spec.params[p.0].kind) {
            (Slot::Enum(i), ParamKind::Enum { values }) => values[i as usize],
            _ => "",
        }
    }

    #[inline]
    pub(crate) fn get_bool(&self, p: BoolParam) -> bool {
        matches!(self.slots[p.0], Slot::Bool(true))
    }

    #[inline]
    pub(crate) fn get_int(&self, p: IntParam) -> i64 {
        match self.slots[p.0] {
            Slot::Int(i) => i,
            _ => 0,
        }
    }

    #[allow(dead_code)] // no op declares a float param yet
    #[inline]
    pub(crate) fn get_float(&self, p: FloatParam) -> f64 {
        match self.slots[p.0] {
            Slot::Float(x) => x,
            _ => 0.0,
        }
    }
}

#[inline]
fn check(param: &ParamSpec, value: ParamValue<'_>) -> Result<Slot, ParamProblem> {
    match (param.kind, value) {
        (ParamKind::Int { min, max }, ParamValue::Int(i)) => {
            if (min..=max).contains(&i) {
                Ok(Slot::Int(i))
            } else {
                Err(ParamProblem::OutOfRange)
            }
        }
        (ParamKind::Float { min, max }, ParamValue::Float(x)) => float_in(x, min, max),
        // An integer is a fine float.
        (ParamKind::Float { min, max }, ParamValue::Int(i)) => float_in(i as f64, min, max),
        (ParamKind::Bool, ParamValue::Bool(b)) => Ok(Slot::Bool(b)),
        (ParamKind::Enum { values }, ParamValue::Enum(s)) => values
            .iter()
            .position(|v| same(v, s))
            .map(|i| Slot::Enum(i as u8))
            .ok_or(ParamProblem::UnknownValue),
        _ => Err(ParamProblem::WrongType),
    }
}

/// `a == b` for the short names of the specs (op names, param keys, enum values): most
/// candidates differ in length or in their first or last byte, which is seen before `==`
/// calls `memcmp`.
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    x.len() == y.len() && x.first() == y.first() && x.last() == y.last() && x == y
}

#[inline]
fn float_in(x: f64, min: f64, max: f64) -> Result<Slot, ParamProblem> {
    if x.is_finite() && x >= min && x <= max {
        Ok(Slot::Float(x))
    } else {
        Err(ParamProblem::OutOfRange)
    }
}

/// Typed handles into an op's param schema, generated per op in `op_params::<op>::<KEY>` so
/// formulas read params without string lookups and with the schema's type.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EnumParam(pub(crate) usize);
#[derive(Debug, Clone, Copy)]
pub(crate) struct BoolParam(pub(crate) usize);
#[derive(Debug, Clone, Copy)]
pub(crate) struct IntParam(pub(crate) usize);
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)] // no op declares a float param yet
pub(crate) struct FloatParam(pub(crate) usize);

impl Op {
    /// The op's param schema.
    pub fn params(self) -> &'static [ParamSpec] {
        self.spec().params
    }
}
