//! Ops and their specs (from `model_specs/ops/*.toml`).

use crate::error::{Error, Name};
use crate::generated::MAX_OP_PARAMS;
use crate::generated::{OP_NAMES, OP_SPECS};
use crate::params::{ParamSpec, Slot, same};

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
    /// Each param's default as a checked slot (`Unset` where the schema has none), padded
    /// to the longest schema.
    pub(crate) defaults: [Slot; MAX_OP_PARAMS],
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
    /// assert!(Op::from_name("LayerNormDeviceOperation").is_err());
    /// ```
    #[inline]
    pub const fn from_name(name: &str) -> Result<Op, Error> {
        let mut i = 0;
        while i < OP_NAMES.len() {
            if same(OP_NAMES[i].0, name) {
                return Ok(OP_NAMES[i].1);
            }
            i += 1;
        }
        Err(Error::UnknownOp {
            name: Name::new(name),
        })
    }

    /// The op's spec.
    pub const fn spec(self) -> &'static OpSpec {
        &OP_SPECS[self.index()]
    }
}
