//! The one error type of the query path.
//!
//! Every failure a caller can cause is a variant here; nothing on the query path panics or
//! returns a silent 0 or a non-finite duration. Errors are `Copy` and own no heap memory: a
//! name the caller passed is kept in a small inline buffer ([`Name`]).

use crate::device::{Card, CoreGrid, Device};
use crate::op::Op;
use crate::params::ParamSpec;
use core::fmt;

/// Which tensor of a query an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// The input at this position.
    Input(usize),
    /// The output tensor.
    Output,
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Input(i) => write!(f, "input {i}"),
            Operand::Output => f.write_str("the output"),
        }
    }
}

/// What is wrong with a tensor description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensorProblem {
    /// Rank outside `1..=8`, or below the op's minimum.
    Rank { rank: usize, min: usize },
    /// A dimension of size 0.
    ZeroDim { dim: usize },
    /// A dimension above [`crate::tensor::MAX_DIM`].
    DimTooLarge { dim: usize, size: u32 },
    /// A logical size larger than its padded size.
    LogicalExceedsPadded { dim: usize },
    /// A tile dimension that is 0 or above 32.
    BadTile { height: u16, width: u16 },
    /// One of the last two padded dims is not a multiple of the tile.
    NotTileAligned { dim: usize, size: u32, tile: u16 },
    /// The op does not accept this layout.
    LayoutNotAllowed,
    /// A sharded memory layout without a shard spec, or a shard spec on an interleaved tensor.
    ShardSpecMismatch,
    /// A shard with a zero side, or a shard grid outside the device grid.
    BadShard,
    /// Shards of the spec's shape that cover the tensor outnumber its grid's cores (an op
    /// whose cores each hold one shard, such as reshard, cannot run it).
    TooManyShards { shards: u64, cores: u32 },
    /// Row-major layout with a block-float dtype, which only exists tiled.
    BlockFloatRowMajor,
    /// Shapes the op cannot combine (inner dims of a matmul, broadcast of a binary op, a
    /// data-movement output of another size).
    ShapeMismatch { with: Operand },
    /// The op needs this tensor in another memory configuration.
    WrongMemory { expected: &'static str },
    /// The fallback needs at least one tensor to size an op it knows nothing about.
    Missing,
}

impl fmt::Display for TensorProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TensorProblem::Rank { rank, min } => {
                write!(
                    f,
                    "rank {rank} is outside {min}..={}",
                    crate::tensor::MAX_RANK
                )
            }
            TensorProblem::ZeroDim { dim } => write!(f, "dim {dim} has size 0"),
            TensorProblem::DimTooLarge { dim, size } => write!(
                f,
                "dim {dim} has size {size}, above the limit {}",
                crate::tensor::MAX_DIM
            ),
            TensorProblem::LogicalExceedsPadded { dim } => {
                write!(f, "dim {dim}: the logical size exceeds the padded size")
            }
            TensorProblem::BadTile { height, width } => {
                write!(f, "tile {height}x{width}: each side must be 1..=32")
            }
            TensorProblem::NotTileAligned { dim, size, tile } => {
                write!(
                    f,
                    "dim {dim} (padded {size}) is not a multiple of the tile side {tile}"
                )
            }
            TensorProblem::LayoutNotAllowed => f.write_str("this op does not take that layout"),
            TensorProblem::ShardSpecMismatch => f.write_str(
                "sharded layouts need a shard spec and interleaved ones must not have one",
            ),
            TensorProblem::BadShard => f.write_str(
                "the shard spec has a zero side or a grid outside the device's worker grid",
            ),
            TensorProblem::TooManyShards { shards, cores } => write!(
                f,
                "the shard shape needs {shards} shards to cover the tensor, more than the \
                 {cores} cores of its grid: make the shards larger or the grid bigger"
            ),
            TensorProblem::BlockFloatRowMajor => {
                f.write_str("block-float dtypes (bfloat8_b, bfloat4_b) exist only in tile layout")
            }
            TensorProblem::ShapeMismatch { with } => {
                write!(f, "its shape does not fit {with} for this op")
            }
            TensorProblem::WrongMemory { expected } => write!(f, "this op needs it {expected}"),
            TensorProblem::Missing => {
                f.write_str("no tensor given: the fallback sizes an unmodeled op by its tensors")
            }
        }
    }
}

/// What is wrong with a param value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamProblem {
    /// The value has another type than the schema's.
    WrongType,
    /// A number outside the schema's bounds.
    OutOfRange,
    /// An enum value the schema does not list.
    UnknownValue,
    /// The key appears twice in one query.
    Duplicate,
    /// A value the schema accepts that disagrees with the rest of the query (the tensors or
    /// another param), as the op's model checks it.
    Disagrees { why: &'static str },
}

/// A short caller-supplied name kept inline (no heap); longer names are cut at a char boundary.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Name {
    buf: [u8; Name::CAP],
    len: u8,
    truncated: bool,
}

impl Name {
    /// Bytes kept of a name.
    pub const CAP: usize = 48;

    /// Keeps up to [`Name::CAP`] bytes of `s`.
    pub const fn new(s: &str) -> Self {
        let bytes = s.as_bytes();
        let mut len = if bytes.len() < Self::CAP {
            bytes.len()
        } else {
            Self::CAP
        };
        // Cut at a char boundary: not inside a UTF-8 continuation byte.
        while len < bytes.len() && len > 0 && bytes[len] & 0xC0 == 0x80 {
            len -= 1;
        }
        let mut buf = [0; Self::CAP];
        let mut i = 0;
        while i < len {
            buf[i] = bytes[i];
            i += 1;
        }
        Name {
            buf,
            len: len as u8,
            truncated: len < bytes.len(),
        }
    }

    /// The kept text.
    pub fn as_str(&self) -> &str {
        // The buffer holds a prefix of a `&str` cut at a char boundary.
        core::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.truncated {
            f.write_str("...")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// Why a query or a manager construction failed.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// No device has this name or alias.
    UnknownDevice { name: Name },
    /// No card has this name, or the card is not one of the device's.
    UnknownCard { name: Name, device: Device },
    /// No op has this name or ttnn OP CODE.
    UnknownOp { name: Name },
    /// The manager was built without this op.
    OpNotLoaded { op: Op },
    /// The op has no model for the manager's device.
    NoModelForDevice { op: Op, device: Device },
    /// The requested version does not exist for this (device, op).
    NoSuchVersion {
        device: Device,
        op: Op,
        requested: u16,
        /// Versions that exist, ascending.
        available: &'static [crate::model::ModelVersion],
    },
    /// The model does not cover this combination of params and tensors.
    ModeNotModeled { op: Op, what: &'static str },
    /// A required param is missing.
    MissingParam { op: Op, param: &'static ParamSpec },
    /// The op has no param with this key.
    UnknownParam { op: Op, key: Name },
    /// The query's typed params are another op's.
    ParamsOfOtherOp { op: Op, params: Op },
    /// A param value is not acceptable.
    InvalidParam {
        op: Op,
        param: &'static ParamSpec,
        problem: ParamProblem,
    },
    /// The query has the wrong number of inputs, or lacks a required output.
    OperandCount {
        op: Op,
        min: usize,
        max: usize,
        got: usize,
        output_required: bool,
    },
    /// A tensor description is invalid for this op.
    InvalidTensor {
        op: Option<Op>,
        operand: Operand,
        problem: TensorProblem,
    },
    /// The core grid of the query is empty or larger than the device's worker grid.
    InvalidGrid { grid: CoreGrid, card: Card },
    /// An intermediate count does not fit in 64 bits, or a duration is not finite.
    Overflow { what: &'static str },
}

/// What kind of failure an [`Error`] is: the one mapping of errors that the bindings turn into
/// their own (the C ABI's statuses, the Python exception classes, `ttperf`'s exit codes).
/// Exhaustive, so a binding that matches on it handles every kind; a new [`Error`] variant
/// is one of these kinds or adds one.
///
/// ```
/// use ttnn_op_perf_models::*;
/// let e = Op::from_name("NoSuchDeviceOperation").unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::UnknownOp);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    UnknownDevice,
    UnknownCard,
    UnknownOp,
    OpNotLoaded,
    NoModelForDevice,
    NoSuchVersion,
    ModeNotModeled,
    MissingParam,
    UnknownParam,
    /// A param value that is not acceptable, or typed params of another op.
    InvalidParam,
    OperandCount,
    InvalidTensor,
    InvalidGrid,
    Overflow,
}

impl Error {
    /// The kind of failure, for callers that map errors onto their own codes.
    pub const fn kind(&self) -> ErrorKind {
        match self {
            Error::UnknownDevice { .. } => ErrorKind::UnknownDevice,
            Error::UnknownCard { .. } => ErrorKind::UnknownCard,
            Error::UnknownOp { .. } => ErrorKind::UnknownOp,
            Error::OpNotLoaded { .. } => ErrorKind::OpNotLoaded,
            Error::NoModelForDevice { .. } => ErrorKind::NoModelForDevice,
            Error::NoSuchVersion { .. } => ErrorKind::NoSuchVersion,
            Error::ModeNotModeled { .. } => ErrorKind::ModeNotModeled,
            Error::MissingParam { .. } => ErrorKind::MissingParam,
            Error::UnknownParam { .. } => ErrorKind::UnknownParam,
            Error::ParamsOfOtherOp { .. } | Error::InvalidParam { .. } => ErrorKind::InvalidParam,
            Error::OperandCount { .. } => ErrorKind::OperandCount,
            Error::InvalidTensor { .. } => ErrorKind::InvalidTensor,
            Error::InvalidGrid { .. } => ErrorKind::InvalidGrid,
            Error::Overflow { .. } => ErrorKind::Overflow,
        }
    }

    /// What went wrong, in words fixed per variant (the details are in `Display`): what a
    /// compile-time estimate can put in its `panic!`, where nothing can be formatted.
    ///
    /// ```
    /// use ttnn_op_perf_models::*;
    /// let a = TensorParams::tiled(&[64, 64], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
    /// let b = TensorParams::tiled(&[32, 64], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
    /// let e = PerfModels::new(Device::WormholeB0).query(&Query::new(Op::Matmul, &[a, b])).unwrap_err();
    /// assert_eq!(e.summary(), "a tensor description is invalid for this op");
    /// ```
    pub const fn summary(&self) -> &'static str {
        match self {
            Error::UnknownDevice { .. } => "unknown device",
            Error::UnknownCard { .. } => "not a card of this device",
            Error::UnknownOp { .. } => "unknown op name or ttnn OP CODE",
            Error::OpNotLoaded { .. } => "the op is not loaded in this manager",
            Error::NoModelForDevice { .. } => "the op has no model for this device",
            Error::NoSuchVersion { .. } => "no such model version",
            Error::ModeNotModeled { what, .. } => what,
            Error::MissingParam { .. } => "a required op param is missing",
            Error::UnknownParam { .. } => "the op has no param with this key",
            Error::ParamsOfOtherOp { .. } => "the typed params are another op's",
            Error::InvalidParam { .. } => "an op param value is not acceptable",
            Error::OperandCount { .. } => "wrong number of tensors for this op",
            Error::InvalidTensor { .. } => "a tensor description is invalid for this op",
            Error::InvalidGrid { .. } => "the core grid is empty or larger than the device's",
            Error::Overflow { .. } => "a count or the duration overflows",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::UnknownDevice { name } => {
                write!(f, "unknown device `{name}`; known devices: ")?;
                list(f, Device::ALL.iter().map(|d| d.name()))
            }
            Error::UnknownCard { name, device } => {
                write!(f, "`{name}` is not a card of {device}; its cards: ")?;
                list(f, device.cards().iter().map(|c| c.name()))
            }
            Error::UnknownOp { name } => write!(
                f,
                "unknown op `{name}`: neither an op name nor a ttnn OP CODE with a spec"
            ),
            Error::OpNotLoaded { op } => write!(f, "op {op} is not loaded in this manager"),
            Error::NoModelForDevice { op, device } => {
                write!(f, "op {op} has no model for device {device}")
            }
            Error::NoSuchVersion {
                device,
                op,
                requested,
                available,
            } => {
                write!(f, "{device}/{op} has no version {requested}; it has ")?;
                list(f, available.iter().map(|m| m.version))
            }
            Error::ModeNotModeled { op, what } => write!(f, "{op}: {what} is not modeled"),
            Error::MissingParam { op, param } => write!(
                f,
                "{op}: missing param `{}` ({}); it has no default",
                param.key, param.summary
            ),
            Error::UnknownParam { op, key } => {
                write!(f, "{op} has no param `{key}`; its params: ")?;
                list(f, op.spec().params.iter().map(|p| p.key))
            }
            Error::ParamsOfOtherOp { op, params } => {
                write!(f, "{op}: the query's typed params are {params}'s")
            }
            Error::InvalidParam { op, param, problem } => {
                write!(f, "{op}: param `{}`: ", param.key)?;
                match problem {
                    ParamProblem::Duplicate => f.write_str("given twice"),
                    ParamProblem::Disagrees { why } => f.write_str(why),
                    _ => write!(f, "expected {}", param.kind),
                }
            }
            Error::OperandCount {
                op,
                min,
                max,
                got,
                output_required,
            } => {
                write!(f, "{op} takes ")?;
                if min == max {
                    write!(f, "{min} input(s)")?;
                } else {
                    write!(f, "{min} to {max} inputs")?;
                }
                if output_required {
                    f.write_str(" and a described output tensor")?;
                }
                write!(f, "; the query has {got} input(s)")
            }
            Error::InvalidTensor {
                op,
                operand,
                problem,
            } => {
                if let Some(op) = op {
                    write!(f, "{op}: ")?;
                }
                write!(f, "{operand}: {problem}")
            }
            Error::InvalidGrid { grid, card } => {
                let full = crate::device::Hardware::of(card).full_grid;
                write!(
                    f,
                    "core grid {grid} does not fit the {card} worker grid {full} (or is empty)"
                )
            }
            Error::Overflow { what } => write!(f, "arithmetic overflow computing {what}"),
        }
    }
}

fn list<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    items: impl Iterator<Item = T>,
) -> fmt::Result {
    for (i, item) in items.enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
