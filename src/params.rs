//! Op params: the key-value pairs of a query, the schema each op declares for them in
//! `model_specs/ops/<op>.toml`, and their resolution against that schema.
//!
//! (Over 500 lines with its unit tests, which check the private lookups against scans of
//! the names; the code itself is about 400.)

use crate::error::{Error, Name, ParamProblem};
use crate::generated::{MAX_OP_PARAMS, OpParams};
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

/// How a query gives its op's params.
///
/// ```
/// use ttnn_op_perf_models::op_params::eltwise_unary::{ChainOp2, ChainOp3, ChainOp4, Params, UnaryOp};
/// use ttnn_op_perf_models::{OpParam, OpParams, ParamValue, QueryParams};
/// let by_name = [OpParam::new("unary_op", ParamValue::Enum("gelu"))];
/// let _ = QueryParams::ByName(&by_name);
/// let _ = QueryParams::Typed(OpParams::EltwiseUnary(Params {
///     unary_op: UnaryOp::Gelu,
///     chain_op_2: ChainOp2::None,
///     chain_op_3: ChainOp3::None,
///     chain_op_4: ChainOp4::None,
///     fast_and_approximate_mode: false,
/// }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum QueryParams<'a> {
    /// `key = value` pairs, as a trace reader or a C caller has them: checked against the
    /// op's schema (keys and enum values found by name), defaults filled in.
    ByName(&'a [OpParam<'a>]),
    /// The op's params, typed: nothing is looked up, numbers are checked against their range.
    Typed(OpParams),
}

impl QueryParams<'_> {
    /// Where the params of a query of `op` start: the typed ones as given, `key = value`
    /// pairs from the op's defaults.
    #[inline(always)]
    pub(crate) const fn start(&self, op: Op) -> OpParams {
        // One copy from where the params are: matching on values would build them field by
        // field.
        let from = match self {
            QueryParams::Typed(p) => p,
            QueryParams::ByName(_) => &STARTS[op.index()],
        };
        *from
    }
}

/// [`OpParams::start`] of each op, by [`Op::index`].
static STARTS: [OpParams; Op::COUNT] = {
    let mut starts = [OpParams::start(Op::ALL[0]); Op::COUNT];
    let mut i = 0;
    while i < Op::COUNT {
        starts[i] = OpParams::start(Op::ALL[i]);
        i += 1;
    }
    starts
};

/// A value checked against its param's schema; an enum's is the position of the value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Slot {
    Int(i64),
    Float(f64),
    Bool(bool),
    Enum(u8),
}

// `OpParams::set_ok` keeps the given params in a `u32` bit set.
const _: () = assert!(MAX_OP_PARAMS <= 32);

impl OpParams {
    /// `key = value` params of `op` checked against its schema once, as typed params (the
    /// defaults filled in): what a caller that has params as text keeps, to query with
    /// [`Query::typed`](crate::Query::typed) from then on. Fails as a query with these params
    /// would.
    ///
    /// ```
    /// use ttnn_op_perf_models::op_params::matmul;
    /// use ttnn_op_perf_models::{MathFidelity, Op, OpParam, OpParams, ParamValue};
    /// let named = [OpParam::new("math_fidelity", ParamValue::Enum("hifi2"))];
    /// let typed = OpParams::from_named(Op::Matmul, &named)?;
    /// let hifi2 = matmul::Params { math_fidelity: MathFidelity::HiFi2, ..matmul::Params::DEFAULT };
    /// assert_eq!(typed, OpParams::Matmul(hifi2));
    /// assert!(OpParams::from_named(Op::EltwiseUnary, &[]).is_err()); // `unary_op` is required
    /// # Ok::<(), ttnn_op_perf_models::Error>(())
    /// ```
    pub const fn from_named(op: Op, params: &[OpParam<'_>]) -> Result<OpParams, Error> {
        let mut typed = OpParams::start(op);
        tri!(typed.set_exactly(op, &QueryParams::ByName(params)));
        Ok(typed)
    }

    /// Whether [`Self::set_exactly`] accepts `given`: the fast path of a query. Typed params
    /// are `*self` already; `key = value` pairs are set over the op's defaults in `*self`. A
    /// `false` says nothing of why; [`Self::set_exactly`] then finds the error.
    #[inline(always)]
    pub(crate) const fn set_ok(&mut self, op: Op, given: &QueryParams<'_>) -> bool {
        let given = match given {
            QueryParams::Typed(p) => {
                return p.op() as usize == op as usize && p.out_of_range().is_none();
            }
            QueryParams::ByName(given) => given,
        };
        let spec = op.spec();
        let mut seen = 0u32;
        let mut g = 0;
        while g < given.len() {
            let p = &given[g];
            g += 1;
            let ix = key_index(spec, p.key);
            if ix == spec.params.len() || seen & (1 << ix) != 0 || ix >= MAX_OP_PARAMS {
                return false;
            }
            seen |= 1 << ix;
            match check(&spec.params[ix], &spec.values[ix], p.value) {
                Ok(slot) => self.set(ix, slot),
                Err(_) => return false,
            }
        }
        spec.required & !seen == 0
    }

    /// The params of a query of `op`: typed ones of `op` with every number in range, or
    /// `key = value` pairs each with a known key, the right type, in range and given once,
    /// over the defaults, a param without a default given. The error path, kept out of line.
    #[cold]
    #[inline(never)]
    pub(crate) const fn set_exactly(
        &mut self,
        op: Op,
        given: &QueryParams<'_>,
    ) -> Result<(), Error> {
        let spec = op.spec();
        let given = match given {
            QueryParams::Typed(p) => {
                if p.op() as usize != op as usize {
                    return Err(Error::ParamsOfOtherOp { op, params: p.op() });
                }
                if let Some(ix) = p.out_of_range() {
                    return Err(Error::InvalidParam {
                        op,
                        param: &spec.params[ix],
                        problem: ParamProblem::OutOfRange,
                    });
                }
                *self = *p;
                return Ok(());
            }
            QueryParams::ByName(given) => given,
        };
        *self = OpParams::start(op);
        let mut seen = [false; MAX_OP_PARAMS];
        let mut g = 0;
        while g < given.len() {
            let p = &given[g];
            g += 1;
            let ix = key_index(spec, p.key);
            if ix == spec.params.len() {
                return Err(Error::UnknownParam {
                    op,
                    key: Name::new(p.key),
                });
            }
            let param = &spec.params[ix];
            if seen[ix] {
                return Err(Error::InvalidParam {
                    op,
                    param,
                    problem: ParamProblem::Duplicate,
                });
            }
            seen[ix] = true;
            match check(param, &spec.values[ix], p.value) {
                Ok(slot) => self.set(ix, slot),
                Err(problem) => return Err(Error::InvalidParam { op, param, problem }),
            }
        }
        let mut ix = 0;
        while ix < spec.params.len() {
            if spec.required & (1 << ix) != 0 && !seen[ix] {
                return Err(Error::MissingParam {
                    op,
                    param: &spec.params[ix],
                });
            }
            ix += 1;
        }
        Ok(())
    }
}

/// The position of `key` in `spec`'s schema, or the schema's length when it has no such key.
#[inline(always)]
pub(crate) const fn key_index(spec: &OpSpec, key: &str) -> usize {
    let ix = spec.keys.candidate(key);
    if ix < spec.params.len() && same(spec.params[ix].key, key) {
        ix
    } else {
        spec.params.len()
    }
}

/// A perfect hash of a list of names (an op's param keys, an enum param's values) that
/// `build.rs` generates: each name's slot holds its position in the list, so a lookup hashes
/// the name once and compares it with one candidate instead of scanning the list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameIndex {
    pub(crate) seed: u64,
    /// `64 - log2(slots.len())`: a slot is the top bits of the hash.
    pub(crate) shift: u32,
    /// The position of the name of each slot; `u8::MAX` for a slot no name has.
    pub(crate) slots: &'static [u8],
}

impl NameIndex {
    /// The position of the only name of the list that can be `name`; the caller compares.
    #[inline(always)]
    pub(crate) const fn candidate(&self, name: &str) -> usize {
        let slot = (name_hash(name, self.seed) >> self.shift) as usize;
        if slot < self.slots.len() {
            self.slots[slot] as usize
        } else {
            u8::MAX as usize
        }
    }
}

// `name_hash`, the hash [`NameIndex`] is built on, and `chunk8` / `chunk4`, the word loads it
// and [`same`] share: one definition, `spec/src/codegen/name_hash.rs` of ttnn-op-perf-spec,
// which builds the indexes with it and emits its text unchanged into `$OUT_DIR`.
include!(concat!(env!("OUT_DIR"), "/name_hash.rs"));

#[inline(always)]
const fn check(
    param: &ParamSpec,
    values_index: &NameIndex,
    value: ParamValue<'_>,
) -> Result<Slot, ParamProblem> {
    match (param.kind, value) {
        (ParamKind::Int { min, max }, ParamValue::Int(i)) => {
            if min <= i && i <= max {
                Ok(Slot::Int(i))
            } else {
                Err(ParamProblem::OutOfRange)
            }
        }
        (ParamKind::Float { min, max }, ParamValue::Float(x)) => float_in(x, min, max),
        // An integer is a fine float.
        (ParamKind::Float { min, max }, ParamValue::Int(i)) => float_in(i as f64, min, max),
        (ParamKind::Bool, ParamValue::Bool(b)) => Ok(Slot::Bool(b)),
        (ParamKind::Enum { values }, ParamValue::Enum(s)) => {
            let i = values_index.candidate(s);
            if i < values.len() && same(values[i], s) {
                Ok(Slot::Enum(i as u8))
            } else {
                Err(ParamProblem::UnknownValue)
            }
        }
        _ => Err(ParamProblem::WrongType),
    }
}

/// `a == b` for the short names of the specs (op names, param keys, enum values): most
/// candidates differ in length, which is seen first; equal lengths compare 8 bytes at a time
/// (the last chunk overlapping the one before), shorter names in two overlapping 4-byte or
/// three single-byte loads.
#[inline]
pub(crate) const fn same(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let n = x.len();
    if n != y.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if chunk8(x, i) != chunk8(y, i) {
                return false;
            }
            i += 8;
        }
        return chunk8(x, n - 8) == chunk8(y, n - 8);
    }
    if n >= 4 {
        return (chunk4(x, 0) == chunk4(y, 0)) & (chunk4(x, n - 4) == chunk4(y, n - 4));
    }
    if n == 0 {
        return true;
    }
    (x[0] == y[0]) & (x[n / 2] == y[n / 2]) & (x[n - 1] == y[n - 1])
}

#[inline]
const fn float_in(x: f64, min: f64, max: f64) -> Result<Slot, ParamProblem> {
    if x.is_finite() && x >= min && x <= max {
        Ok(Slot::Float(x))
    } else {
        Err(ParamProblem::OutOfRange)
    }
}

impl Op {
    /// The op's param schema.
    pub fn params(self) -> &'static [ParamSpec] {
        self.spec().params
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::{String, ToString};
    use std::vec::Vec;
    use std::{format, vec};

    /// `same` is `==` on strings of every length up to 24 that differ in any one byte.
    #[test]
    fn same_is_string_equality() {
        let base = "abcdefghijklmnopqrstuvwx";
        for n in 0..=base.len() {
            let a = &base[..n];
            assert!(same(a, a));
            assert!(!same(a, &base[..n.saturating_sub(1)]) || n == 0);
            for i in 0..n {
                let mut buf = [0u8; 24];
                buf[..n].copy_from_slice(a.as_bytes());
                buf[i] = b'_';
                let b = core::str::from_utf8(&buf[..n]).unwrap();
                assert!(!same(a, b), "{a} vs {b}");
            }
        }
    }

    /// The hashed lookups of keys and enum values find what a scan of the names finds: on
    /// every name of every op, each with a byte changed, one shorter and one longer, and on
    /// the names of the other lists.
    #[test]
    fn name_index_agrees_with_a_scan() {
        let mut all: Vec<&str> = vec![""];
        for op in Op::ALL {
            for p in op.spec().params {
                all.push(p.key);
                if let ParamKind::Enum { values } = p.kind {
                    all.extend_from_slice(values);
                }
            }
        }
        let mut probes: Vec<String> = all.iter().map(|n| n.to_string()).collect();
        for n in &all {
            probes.push(format!("{n}x"));
            probes.push(n.chars().skip(1).collect());
            probes.push(n.chars().take(n.len().saturating_sub(1)).collect());
            for i in 0..n.len() {
                for c in ["_", "x", "\0"] {
                    probes.push(format!("{}{c}{}", &n[..i], &n[i + 1..]));
                }
            }
        }
        let mut checked = 0;
        for op in Op::ALL {
            let spec = op.spec();
            for probe in &probes {
                let scan = spec.params.iter().position(|p| p.key == probe);
                let len = spec.params.len();
                assert_eq!(
                    key_index(spec, probe),
                    scan.unwrap_or(len),
                    "{op}: {probe:?}"
                );
                checked += 1;
                for (ix, p) in spec.params.iter().enumerate() {
                    let ParamKind::Enum { values } = p.kind else {
                        continue;
                    };
                    let scan = values.iter().position(|v| *v == probe);
                    let expected = match scan {
                        Some(i) => Ok(Slot::Enum(i as u8)),
                        None => Err(ParamProblem::UnknownValue),
                    };
                    let found = check(p, &spec.values[ix], ParamValue::Enum(probe));
                    assert_eq!(found, expected, "{op} {}: {probe:?}", p.key);
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    /// The fast param check of the query path agrees with the exact one, and both leave the
    /// same params, on every op and every sequence of up to three params drawn from each key of
    /// the op with values of every type, in and out of range, and an unknown key.
    #[test]
    fn set_ok_agrees_with_set_exactly() {
        let values = [
            ParamValue::Int(0),
            ParamValue::Int(3),
            ParamValue::Int(-1),
            ParamValue::Float(0.5),
            ParamValue::Bool(true),
            ParamValue::Enum("hifi2"),
            ParamValue::Enum("mcast_1d"),
            ParamValue::Enum("gelu"),
            ParamValue::Enum("mul"),
            ParamValue::Enum("nonsense"),
        ];
        let mut checked = 0;
        for op in Op::ALL {
            let spec = op.spec();
            let mut candidates =
                [OpParam::new("bogus", ParamValue::Int(1)); 1 + MAX_OP_PARAMS * 10];
            let mut n = 1;
            for p in spec.params {
                for v in values {
                    candidates[n] = OpParam::new(p.key, v);
                    n += 1;
                }
            }
            let candidates = &candidates[..n];
            let mut given = [candidates[0]; 3];
            for len in 0..=3 {
                for i in 0..n.pow(len as u32) {
                    for (k, g) in given.iter_mut().enumerate().take(len) {
                        *g = candidates[i / n.pow(k as u32) % n];
                    }
                    let given = QueryParams::ByName(&given[..len]);
                    let (mut fast, mut exact) = (given.start(op), given.start(op));
                    let ok = fast.set_ok(op, &given);
                    assert_eq!(ok, exact.set_exactly(op, &given).is_ok(), "{op}: {given:?}");
                    if ok {
                        assert_eq!(fast, exact, "{op}: {given:?}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    /// `key = value` params become the typed params they name: each field of the op's
    /// `Params` (as `Debug` spells it: the key, and the value in camel case) holds the value
    /// given, or else the default; and the typed path accepts exactly those params, with
    /// every number in range and of the query's op, finding the same errors as the string path.
    #[test]
    fn by_name_params_become_the_typed_ones() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let flat = |s: &str| s.replace('_', "").to_lowercase();
        let mut checked = 0;
        for op in Op::ALL {
            let spec = op.spec();
            for _ in 0..500 {
                let mut given = Vec::new();
                let mut expected = Vec::new();
                for p in spec.params {
                    let value = match p.kind {
                        ParamKind::Int { min, max } => {
                            ParamValue::Int([min, max, min + 1, (min + max) / 2][next(4)])
                        }
                        ParamKind::Float { min, max } => ParamValue::Float([min, max][next(2)]),
                        ParamKind::Bool => ParamValue::Bool(next(2) == 1),
                        ParamKind::Enum { values } => ParamValue::Enum(values[next(values.len())]),
                    };
                    let value = match (p.default, next(3)) {
                        (Some(default), 0) => default,
                        _ => {
                            given.push(OpParam::new(p.key, value));
                            value
                        }
                    };
                    expected.push(match value {
                        ParamValue::Int(i) => format!("{}: {i}", p.key),
                        ParamValue::Float(f) => format!("{}: {f:?}", p.key),
                        ParamValue::Bool(b) => format!("{}: {b}", p.key),
                        ParamValue::Enum(e) => format!("{}: {}", p.key, flat(e)),
                    });
                }
                let by_name = QueryParams::ByName(&given);
                let mut p = by_name.start(op);
                assert_eq!(p.set_exactly(op, &by_name), Ok(()), "{op}: {given:?}");
                assert_eq!(p.op(), op);
                let debug = format!("{p:?}");
                for e in &expected {
                    let (key, value) = e.split_once(": ").unwrap();
                    let field = format!("{key}: ");
                    let at = debug.find(&field).expect(&field) + field.len();
                    let shown: String = debug[at..]
                        .chars()
                        .take_while(|c| !matches!(c, ',' | ' ' | '}'))
                        .collect();
                    assert_eq!(flat(&shown), flat(value), "{op}: {key} in {debug}");
                }
                let typed = QueryParams::Typed(p);
                let mut q = typed.start(op);
                assert!(q.set_ok(op, &typed) && q == p, "{op}: {p:?}");
                for other in Op::ALL {
                    let mut q = typed.start(other);
                    let ok = q.set_ok(other, &typed);
                    assert_eq!(ok, other == op);
                    assert_eq!(
                        q.set_exactly(other, &typed).err(),
                        (!ok).then_some(Error::ParamsOfOtherOp {
                            op: other,
                            params: op
                        })
                    );
                }
                checked += 1;
            }
            // A number out of range fails both ways, naming the param.
            for (ix, param) in spec.params.iter().enumerate() {
                let ParamKind::Int { min, max } = param.kind else {
                    continue;
                };
                for bad in [min - 1, max + 1] {
                    let by_name = [OpParam::new(param.key, ParamValue::Int(bad))];
                    let mut p = OpParams::start(op);
                    p.set(ix, Slot::Int(bad));
                    let typed = QueryParams::Typed(p);
                    let mut q = p;
                    assert!(!q.set_ok(op, &typed));
                    let by_name_error =
                        OpParams::start(op).set_exactly(op, &QueryParams::ByName(&by_name));
                    assert_eq!(q.set_exactly(op, &typed), by_name_error);
                    assert!(matches!(
                        by_name_error,
                        Err(Error::InvalidParam {
                            problem: ParamProblem::OutOfRange,
                            ..
                        })
                    ));
                    checked += 1;
                }
            }
        }
        assert!(checked > 3_000, "{checked}");
    }
}
