//! Ops and their specs (from `model_specs/ops/*.toml`).

use crate::error::{Error, Name};
use crate::generated::MAX_OP_PARAMS;
use crate::generated::{OP_SPECS, op_of_name};
use crate::params::{NameIndex, ParamSpec};

pub use crate::generated::Op;

/// What an op is, independent of device: its ttnn OP CODEs, operand rules and param schema.
#[derive(Debug)]
pub struct OpSpec {
    pub op: Op,
    pub summary: &'static str,
    /// ttnn `OP CODE` names that are this op.
    pub op_codes: &'static [&'static str],
    pub operands: OperandRules,
    /// The param schema, sorted by key.
    pub params: &'static [ParamSpec],
    /// Bit `i` set: param `i` has no default, so every query must give it.
    pub(crate) required: u32,
    /// Finds a key's position in `params`.
    pub(crate) keys: NameIndex,
    /// Finds an enum value's position, per param (empty for the others).
    pub(crate) values: [NameIndex; MAX_OP_PARAMS],
}

/// How many tensors an op takes and which layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperandRules {
    pub min_inputs: u8,
    pub max_inputs: u8,
    /// The query must describe the output (data-movement ops: it is the target layout).
    pub output_required: bool,
    pub min_rank: u8,
    /// Tile layout allowed.
    pub tile: bool,
    /// Row-major layout allowed.
    pub row_major: bool,
}

impl Op {
    /// Looks an op up by its spec name (`"matmul"`) or any ttnn OP CODE alias
    /// (`"MatmulDeviceOperation"`).
    ///
    /// ```
    /// use ttnn_op_perf_models::Op;
    /// assert_eq!(Op::from_name("MinimalMatmulOp"), Ok(Op::Matmul));
    /// assert_eq!(Op::from_name("eltwise_unary"), Ok(Op::EltwiseUnary));
    /// assert!(Op::from_name("UnmodeledDeviceOperation").is_err());
    /// ```
    #[inline]
    pub const fn from_name(name: &str) -> Result<Op, Error> {
        match op_of_name(name) {
            Some(op) => Ok(op),
            None => Err(unknown_op(name)),
        }
    }

    /// The op's spec.
    pub const fn spec(self) -> &'static OpSpec {
        &OP_SPECS[self.index()]
    }
}

/// The error of an unknown op name, out of the query's line.
#[cold]
#[inline(never)]
const fn unknown_op(name: &str) -> Error {
    Error::UnknownOp {
        name: Name::new(name),
    }
}
