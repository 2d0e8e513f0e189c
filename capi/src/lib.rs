//! The C ABI of `ttnn-op-perf-models`: a models handle for a device and card, queries by op
//! name or ttnn OP CODE, and a status code for every failure, with its message.
//!
//! The header `include/ttnn_op_perf_models.h` is generated from this file by cbindgen (the
//! test `tests/header.rs` fails when it is out of date; `TTPM_BLESS=1 cargo test -p
//! ttnn-op-perf-capi --test header` rewrites it). `include/ttnn_op_perf_models.hpp` is a
//! header-only C++ wrapper over it.
//!
//! What every entry point guarantees:
//!
//! * No panic crosses the boundary: each entry point runs under `catch_unwind`, and a panic
//!   (a bug) becomes [`TTPM_INTERNAL_ERROR`].
//! * Every pointer is checked for null and alignment, every length against a limit
//!   ([`TTPM_MAX_STR_LEN`], [`TTPM_MAX_RANK`], [`TTPM_MAX_TENSORS`], [`TTPM_MAX_PARAMS`]), every
//!   string for UTF-8 and every enum field for its range before anything is read through it.
//!   A length beyond its limit is refused as a lie, not read.
//! * A failure returns a status other than [`TTPM_OK`] and keeps the error on the calling
//!   thread: [`ttpm_last_error_message`] formats it into the caller's buffer. Nothing is
//!   allocated for a query (for up to 8 tensors and 16 params), failed or not.
//! * A `TtpmModels` handle is immutable: any number of threads may query one at once.
//!
//! ```
//! use ttnn_op_perf_models_c::*;
//! let s = |t: &'static str| TtpmStr { ptr: t.as_ptr().cast(), len: t.len() };
//! let mut models = std::ptr::null_mut();
//! assert_eq!(unsafe { ttpm_models_new(s("wormhole_b0"), std::ptr::null(), &mut models) }, TTPM_OK);
//!
//! let (a, w) = ([1u32, 1, 128, 4096], [1u32, 1, 4096, 4096]);
//! let mut inputs = [TtpmTensor::default(), TtpmTensor::default()];
//! (inputs[0].shape, inputs[0].rank) = (a.as_ptr(), a.len());
//! (inputs[1].shape, inputs[1].rank, inputs[1].dtype) = (w.as_ptr(), w.len(), TTPM_DTYPE_BFLOAT8_B);
//! let params = [TtpmParam::enumerated(s("math_fidelity"), s("hifi2"))];
//! let query = TtpmQuery {
//!     op: s("MatmulDeviceOperation"),
//!     params: params.as_ptr(), n_params: params.len(),
//!     inputs: inputs.as_ptr(), n_inputs: inputs.len(),
//!     ..TtpmQuery::default()
//! };
//! let mut e = TtpmEstimate::default();
//! assert_eq!(unsafe { ttpm_query(models, &query, &mut e) }, TTPM_OK);
//! assert!(e.duration_ns > 1000.0 && e.version == 2);
//!
//! let bad = [TtpmParam::enumerated(s("math_fidelity"), s("hifi9"))];
//! let query = TtpmQuery { params: bad.as_ptr(), ..query };
//! assert_eq!(unsafe { ttpm_query(models, &query, &mut e) }, TTPM_INVALID_PARAM);
//! let mut buf = [0u8; 256];
//! let n = unsafe { ttpm_last_error_message(buf.as_mut_ptr().cast(), buf.len()) };
//! assert_eq!(&buf[..n], b"matmul: param `math_fidelity`: expected one of lofi, hifi2, hifi3, hifi4");
//! unsafe { ttpm_models_free(models) };
//! ```

use smallvec::SmallVec;
use std::cell::Cell;
use std::ffi::{CStr, CString, c_char};
use std::fmt::{self, Write as _};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::LazyLock;
use ttnn_op_perf_models::tensor::MAX_RANK;
use ttnn_op_perf_models::{
    Accuracy, Bound, BufferType, Card, CoreGrid, CoreRange, DType, Device, Error, Estimate, Layout,
    MemoryConfig, MemoryLayout, Name, Op, OpParam, ParamValue, PerfModels, Query, Shape,
    ShardOrientation, ShardSpec, Source, TensorParams,
};

/// What a call returns: [`TTPM_OK`] or the kind of failure; the failure's message is then
/// [`ttpm_last_error_message`].
pub type TtpmStatus = u32;
/// Success.
pub const TTPM_OK: TtpmStatus = 0;
/// A pointer is null or misaligned, a length is beyond its limit, a string is not UTF-8 or
/// an enum field is out of range: the C call itself is malformed.
pub const TTPM_INVALID_ARGUMENT: TtpmStatus = 1;
/// No device has this name or alias.
pub const TTPM_UNKNOWN_DEVICE: TtpmStatus = 2;
/// No card has this name, or it is not one of the device's cards.
pub const TTPM_UNKNOWN_CARD: TtpmStatus = 3;
/// No op has this name or ttnn OP CODE.
pub const TTPM_UNKNOWN_OP: TtpmStatus = 4;
/// The models handle was created without this op.
pub const TTPM_OP_NOT_LOADED: TtpmStatus = 5;
/// The op has no model for the handle's device.
pub const TTPM_NO_MODEL_FOR_DEVICE: TtpmStatus = 6;
/// The requested model version does not exist.
pub const TTPM_NO_SUCH_VERSION: TtpmStatus = 7;
/// The model does not cover this combination of params and tensors.
pub const TTPM_MODE_NOT_MODELED: TtpmStatus = 8;
/// A required op param is missing.
pub const TTPM_MISSING_PARAM: TtpmStatus = 9;
/// The op has no param with this key.
pub const TTPM_UNKNOWN_PARAM: TtpmStatus = 10;
/// An op param value has the wrong type, is out of range, not a listed value, or given twice.
pub const TTPM_INVALID_PARAM: TtpmStatus = 11;
/// The op takes another number of input tensors, or needs the output described.
pub const TTPM_OPERAND_COUNT: TtpmStatus = 12;
/// A tensor description is invalid for the op (rank, dims, tile, dtype, memory, shard spec).
pub const TTPM_INVALID_TENSOR: TtpmStatus = 13;
/// The query's core grid is empty or larger than the card's.
pub const TTPM_INVALID_GRID: TtpmStatus = 14;
/// A count or the duration overflows.
pub const TTPM_OVERFLOW: TtpmStatus = 15;
/// A failure of a kind this version of the header does not name.
pub const TTPM_OTHER_ERROR: TtpmStatus = 16;
/// A bug: the library panicked, and the panic was caught at the boundary.
pub const TTPM_INTERNAL_ERROR: TtpmStatus = 17;

/// Longest string the C ABI reads (names, keys, values), bytes; a longer length is refused.
pub const TTPM_MAX_STR_LEN: usize = 4096;
/// Highest tensor rank (the library's).
pub const TTPM_MAX_RANK: usize = 8;
const _: () = assert!(TTPM_MAX_RANK == MAX_RANK);
/// Most input tensors, op names or pins one call reads.
pub const TTPM_MAX_TENSORS: usize = 256;
/// Most op params one query reads.
pub const TTPM_MAX_PARAMS: usize = 256;

/// Element data type: `TTPM_DTYPE_*`.
pub type TtpmDType = u32;
pub const TTPM_DTYPE_BFLOAT16: TtpmDType = 0;
pub const TTPM_DTYPE_FLOAT32: TtpmDType = 1;
pub const TTPM_DTYPE_BFLOAT8_B: TtpmDType = 2;
pub const TTPM_DTYPE_BFLOAT4_B: TtpmDType = 3;
pub const TTPM_DTYPE_UINT8: TtpmDType = 4;
pub const TTPM_DTYPE_UINT16: TtpmDType = 5;
pub const TTPM_DTYPE_UINT32: TtpmDType = 6;
pub const TTPM_DTYPE_INT32: TtpmDType = 7;

/// Element layout: `TTPM_LAYOUT_*`.
pub type TtpmLayout = u32;
/// Tiles of `tile_height` x `tile_width` (each 0 = 32).
pub const TTPM_LAYOUT_TILE: TtpmLayout = 0;
pub const TTPM_LAYOUT_ROW_MAJOR: TtpmLayout = 1;

/// Where a tensor lives: `TTPM_BUFFER_*`.
pub type TtpmBufferType = u32;
pub const TTPM_BUFFER_DRAM: TtpmBufferType = 0;
pub const TTPM_BUFFER_L1: TtpmBufferType = 1;

/// How pages are spread: `TTPM_MEMORY_*`. Every layout but interleaved needs a shard spec.
pub type TtpmMemoryLayout = u32;
pub const TTPM_MEMORY_INTERLEAVED: TtpmMemoryLayout = 0;
pub const TTPM_MEMORY_HEIGHT_SHARDED: TtpmMemoryLayout = 1;
pub const TTPM_MEMORY_WIDTH_SHARDED: TtpmMemoryLayout = 2;
pub const TTPM_MEMORY_BLOCK_SHARDED: TtpmMemoryLayout = 3;
pub const TTPM_MEMORY_ND_SHARDED: TtpmMemoryLayout = 4;

/// Order in which shards go to the cores: `TTPM_SHARD_*`.
pub type TtpmShardOrientation = u32;
pub const TTPM_SHARD_ROW_MAJOR: TtpmShardOrientation = 0;
pub const TTPM_SHARD_COL_MAJOR: TtpmShardOrientation = 1;

/// The type of an op param's value: `TTPM_PARAM_*`.
pub type TtpmParamKind = u32;
/// `int_value`.
pub const TTPM_PARAM_INT: TtpmParamKind = 0;
/// `float_value`.
pub const TTPM_PARAM_FLOAT: TtpmParamKind = 1;
/// `int_value`, 0 = false, anything else = true.
pub const TTPM_PARAM_BOOL: TtpmParamKind = 2;
/// `enum_value`, one of the values the param lists (`"hifi2"`).
pub const TTPM_PARAM_ENUM: TtpmParamKind = 3;

/// The term that dominates an estimate: `TTPM_BOUND_*`.
pub type TtpmBound = u32;
pub const TTPM_BOUND_OVERHEAD: TtpmBound = 0;
pub const TTPM_BOUND_COMPUTE: TtpmBound = 1;
pub const TTPM_BOUND_DRAM: TtpmBound = 2;
pub const TTPM_BOUND_NOC: TtpmBound = 3;

/// A string: `len` bytes of UTF-8 at `ptr`, not NUL-terminated (a NUL-terminated string is
/// fine too; the NUL is not counted). `ptr` may be null when `len` is 0.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TtpmStr {
    pub ptr: *const c_char,
    pub len: usize,
}

impl Default for TtpmStr {
    fn default() -> Self {
        TtpmStr {
            ptr: std::ptr::null(),
            len: 0,
        }
    }
}

/// A version pin: queries of `op` at version 0 (latest) are answered by `version`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct TtpmPin {
    pub op: TtpmStr,
    pub version: u16,
}

/// Choices for [`ttpm_models_new`], all optional: a zeroed struct (or a null pointer) is the
/// device's default card, every op, the latest versions, no fallback.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TtpmModelsOptions {
    /// Card name (`"n300"`, `"p150"`); empty: the device's default card.
    pub card: TtpmStr,
    /// Op names or OP CODEs to load; `n_ops` 0: every op with a model on the device.
    pub ops: *const TtpmStr,
    pub n_ops: usize,
    pub pins: *const TtpmPin,
    pub n_pins: usize,
    /// Non-zero: answer with the generic bandwidth fallback when no model can.
    pub fallback: u8,
}

impl Default for TtpmModelsOptions {
    fn default() -> Self {
        TtpmModelsOptions {
            card: TtpmStr::default(),
            ops: std::ptr::null(),
            n_ops: 0,
            pins: std::ptr::null(),
            n_pins: 0,
            fallback: 0,
        }
    }
}

/// The shard spec of a sharded tensor: shards of `height` x `width` elements on the cores of
/// the inclusive rectangle from (`start_x`, `start_y`) to (`end_x`, `end_y`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct TtpmShardSpec {
    pub start_x: u8,
    pub start_y: u8,
    pub end_x: u8,
    pub end_y: u8,
    /// Cores holding shards; 0: every core of the rectangle.
    pub cores: u32,
    pub height: u32,
    pub width: u32,
    pub orientation: TtpmShardOrientation,
}

/// A tensor operand. A zeroed struct is a 32x32-tiled bfloat16 tensor interleaved in DRAM,
/// once `shape` and `rank` are set.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TtpmTensor {
    /// `rank` padded dims, outermost first.
    pub shape: *const u32,
    pub rank: usize,
    /// `rank` logical dims; null: the same as `shape`.
    pub logical_shape: *const u32,
    pub dtype: TtpmDType,
    pub layout: TtpmLayout,
    /// Tile sides for `TTPM_LAYOUT_TILE`; 0 = 32.
    pub tile_height: u16,
    pub tile_width: u16,
    pub buffer: TtpmBufferType,
    pub memory_layout: TtpmMemoryLayout,
    /// Required for sharded memory layouts, null for interleaved ones.
    pub shard: *const TtpmShardSpec,
}

impl Default for TtpmTensor {
    fn default() -> Self {
        TtpmTensor {
            shape: std::ptr::null(),
            rank: 0,
            logical_shape: std::ptr::null(),
            dtype: TTPM_DTYPE_BFLOAT16,
            layout: TTPM_LAYOUT_TILE,
            tile_height: 0,
            tile_width: 0,
            buffer: TTPM_BUFFER_DRAM,
            memory_layout: TTPM_MEMORY_INTERLEAVED,
            shard: std::ptr::null(),
        }
    }
}

/// One `key = value` op param; the field `kind` names is read.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct TtpmParam {
    pub key: TtpmStr,
    pub kind: TtpmParamKind,
    pub int_value: i64,
    pub float_value: f64,
    pub enum_value: TtpmStr,
}

impl TtpmParam {
    /// An enum param (`math_fidelity = hifi2`).
    pub fn enumerated(key: TtpmStr, value: TtpmStr) -> Self {
        TtpmParam {
            key,
            kind: TTPM_PARAM_ENUM,
            enum_value: value,
            ..TtpmParam::default()
        }
    }
}

/// One query: how long does this op take with these params and tensors?
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TtpmQuery {
    /// Op name (`"matmul"`) or ttnn OP CODE (`"MatmulDeviceOperation"`).
    pub op: TtpmStr,
    /// Model version; 0: the handle's pin for the op, else the latest.
    pub version: u16,
    pub params: *const TtpmParam,
    pub n_params: usize,
    pub inputs: *const TtpmTensor,
    pub n_inputs: usize,
    /// The output tensor; null when the caller does not know it (data-movement ops need it).
    pub output: *const TtpmTensor,
    /// The cores the op may use, `grid_x` columns by `grid_y` rows; 0 x 0: the card's
    /// compute grid.
    pub grid_x: u8,
    pub grid_y: u8,
}

impl Default for TtpmQuery {
    fn default() -> Self {
        TtpmQuery {
            op: TtpmStr::default(),
            version: 0,
            params: std::ptr::null(),
            n_params: 0,
            inputs: std::ptr::null(),
            n_inputs: 0,
            output: std::ptr::null(),
            grid_x: 0,
            grid_y: 0,
        }
    }
}

/// A predicted device duration: what bounds it, who computed it and how far to trust it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TtpmEstimate {
    /// Predicted device kernel duration, ns; finite and positive.
    pub duration_ns: f64,
    /// The breakdown: `duration_ns = overhead_ns + max(compute_ns, dram_ns, noc_ns)`.
    pub overhead_ns: f64,
    pub compute_ns: f64,
    pub dram_ns: f64,
    pub noc_ns: f64,
    /// Median and 90th-percentile absolute error on held-out rows, fractions; 0 when
    /// `calibration_rows` is 0 (uncalibrated). [`ttpm_estimate_band`] turns them into the
    /// range 90% of the held-out measurements fell in.
    pub median_ape: f64,
    pub p90_ape: f64,
    pub calibration_rows: u32,
    pub bound: TtpmBound,
    /// Device name (`"wormhole_b0"`), a static NUL-terminated string.
    pub device: *const c_char,
    /// Op name (`"matmul"`), static and NUL-terminated; null when the fallback answered an
    /// op name the build does not know.
    pub op: *const c_char,
    /// The model version that answered; 0 when the generic fallback did.
    pub version: u16,
    /// 1 when the generic fallback answered, not the op's model.
    pub fallback: u8,
}

impl Default for TtpmEstimate {
    fn default() -> Self {
        TtpmEstimate {
            duration_ns: 0.0,
            overhead_ns: 0.0,
            compute_ns: 0.0,
            dram_ns: 0.0,
            noc_ns: 0.0,
            median_ape: 0.0,
            p90_ape: 0.0,
            calibration_rows: 0,
            bound: TTPM_BOUND_OVERHEAD,
            device: std::ptr::null(),
            op: std::ptr::null(),
            version: 0,
            fallback: 0,
        }
    }
}

/// 64-bit words of a [`TtpmBuiltTensor`]: exactly the library's tensor, so an array of
/// built tensors is passed to the library as it is (a change of the library's tensor
/// changes this number and the header).
pub const TTPM_BUILT_TENSOR_WORDS: usize = 19;
/// 64-bit words of a [`TtpmOpParams`] (room for the largest op's params as ops are added).
pub const TTPM_OP_PARAMS_WORDS: usize = 16;

/// A tensor built once by [`ttpm_tensor_build`], for any number of [`ttpm_query_built`]
/// calls: what the library computes of a tensor when it is described is done then. Opaque:
/// copy it as bytes, and pass only structs [`ttpm_tensor_build`] filled (their bytes are
/// read as the library's tensor).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct TtpmBuiltTensor {
    pub opaque: [u64; TTPM_BUILT_TENSOR_WORDS],
}

/// An op and its params checked against the op's schema, built once by
/// [`ttpm_op_params_build`] for any number of [`ttpm_query_built`] calls. Opaque; copy it as
/// bytes. A struct not filled by [`ttpm_op_params_build`] is refused (its first word marks
/// it).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct TtpmOpParams {
    pub opaque: [u64; TTPM_OP_PARAMS_WORDS],
}

/// A query of built parts: the fastest query, as a Rust typed query is (nothing is looked up
/// by name and no tensor is described again).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TtpmBuiltQuery {
    /// The op and its params.
    pub op_params: *const TtpmOpParams,
    /// Model version; 0: the handle's pin for the op, else the latest.
    pub version: u16,
    pub inputs: *const TtpmBuiltTensor,
    pub n_inputs: usize,
    /// The output tensor; null when the caller does not know it.
    pub output: *const TtpmBuiltTensor,
    /// The cores the op may use; 0 x 0: the card's compute grid.
    pub grid_x: u8,
    pub grid_y: u8,
}

/// Marks the first word of a built [`TtpmOpParams`]: `TTPMOPPR` in ASCII.
const PARAMS_MAGIC: u64 = u64::from_le_bytes(*b"TTPMOPPR");

/// What a built [`TtpmOpParams`] holds after its magic word.
#[repr(C)]
#[derive(Clone, Copy)]
struct BuiltParams {
    magic: u64,
    value: ttnn_op_perf_models::OpParams,
}

const _: () = {
    // A built tensor is the library's tensor, word for word.
    assert!(size_of::<TensorParams>() == size_of::<TtpmBuiltTensor>());
    assert!(align_of::<TensorParams>() <= align_of::<TtpmBuiltTensor>());
    assert!(size_of::<BuiltParams>() <= size_of::<TtpmOpParams>());
    assert!(align_of::<BuiltParams>() <= align_of::<TtpmOpParams>());
};

/// The models of one device and card: opaque to C, created by [`ttpm_models_new`], freed by
/// [`ttpm_models_free`]. Immutable, so it may be queried from any number of threads at once.
pub struct TtpmModels {
    models: PerfModels,
    names: &'static Names,
}

const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<TtpmModels>();
};

/// NUL-terminated names of every device and op, made once per process.
struct Names {
    devices: [&'static CStr; Device::COUNT],
    ops: [&'static CStr; Op::COUNT],
}

static NAMES: LazyLock<Names> = LazyLock::new(|| {
    let leak = |s: &str| -> &'static CStr {
        Box::leak(
            CString::new(s)
                .expect("names have no NUL")
                .into_boxed_c_str(),
        )
    };
    Names {
        devices: Device::ALL.map(|d| leak(d.name())),
        ops: Op::ALL.map(|o| leak(o.name())),
    }
});

/// Where in a call a malformed argument is.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ArgError {
    status: TtpmStatus,
    /// The field (`query.inputs`), with the index of the element where it is an array.
    field: &'static str,
    index: Option<usize>,
    /// A second field inside the element (`shape`).
    member: Option<&'static str>,
    problem: &'static str,
    value: Option<u64>,
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.field)?;
        if let Some(i) = self.index {
            write!(f, "[{i}]")?;
        }
        if let Some(m) = self.member {
            write!(f, ".{m}")?;
        }
        write!(f, ": {}", self.problem)?;
        if let Some(v) = self.value {
            write!(f, " (got {v})")?;
        }
        Ok(())
    }
}

/// Why a call failed; kept per thread for [`ttpm_last_error_message`]. `Copy`, owning no
/// heap memory: keeping it allocates nothing.
#[derive(Debug, Clone, Copy)]
enum Failure {
    None,
    Library(Error),
    Argument(ArgError),
    Panic,
}

impl Failure {
    fn status(&self) -> TtpmStatus {
        match self {
            Failure::None => TTPM_OK,
            Failure::Library(e) => status_of(e),
            Failure::Argument(a) => a.status,
            Failure::Panic => TTPM_INTERNAL_ERROR,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::None => Ok(()),
            Failure::Library(e) => write!(f, "{e}"),
            Failure::Argument(a) => write!(f, "{a}"),
            Failure::Panic => f.write_str(
                "internal error: the library panicked (a bug; the panic was caught at the C boundary)",
            ),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Library(e)
    }
}

impl From<ArgError> for Failure {
    fn from(e: ArgError) -> Self {
        Failure::Argument(e)
    }
}

/// The status of a library error.
fn status_of(e: &Error) -> TtpmStatus {
    match e {
        Error::UnknownDevice { .. } => TTPM_UNKNOWN_DEVICE,
        Error::UnknownCard { .. } => TTPM_UNKNOWN_CARD,
        Error::UnknownOp { .. } => TTPM_UNKNOWN_OP,
        Error::OpNotLoaded { .. } => TTPM_OP_NOT_LOADED,
        Error::NoModelForDevice { .. } => TTPM_NO_MODEL_FOR_DEVICE,
        Error::NoSuchVersion { .. } => TTPM_NO_SUCH_VERSION,
        Error::ModeNotModeled { .. } => TTPM_MODE_NOT_MODELED,
        Error::MissingParam { .. } => TTPM_MISSING_PARAM,
        Error::UnknownParam { .. } => TTPM_UNKNOWN_PARAM,
        Error::ParamsOfOtherOp { .. } | Error::InvalidParam { .. } => TTPM_INVALID_PARAM,
        Error::OperandCount { .. } => TTPM_OPERAND_COUNT,
        Error::InvalidTensor { .. } => TTPM_INVALID_TENSOR,
        Error::InvalidGrid { .. } => TTPM_INVALID_GRID,
        Error::Overflow { .. } => TTPM_OVERFLOW,
        _ => TTPM_OTHER_ERROR,
    }
}

thread_local! {
    static LAST: Cell<Failure> = const { Cell::new(Failure::None) };
}

/// Runs an entry point: a panic becomes [`TTPM_INTERNAL_ERROR`], a failure is kept for
/// [`ttpm_last_error_message`] and returned as its status.
fn guard(f: impl FnOnce() -> Result<(), Failure>) -> TtpmStatus {
    let failure = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return TTPM_OK,
        Ok(Err(failure)) => failure,
        Err(_) => Failure::Panic,
    };
    LAST.with(|last| last.set(failure));
    failure.status()
}

/// A malformed argument.
fn bad(field: &'static str, index: Option<usize>, problem: &'static str) -> ArgError {
    ArgError {
        status: TTPM_INVALID_ARGUMENT,
        field,
        index,
        member: None,
        problem,
        value: None,
    }
}

/// The object `ptr` points to, checked for null and alignment.
///
/// # Safety
/// A non-null, aligned `ptr` must point to a valid `T` that outlives `'a`.
unsafe fn object<'a, T>(ptr: *const T, field: &'static str) -> Result<&'a T, ArgError> {
    if ptr.is_null() {
        return Err(bad(field, None, "null pointer"));
    }
    if !ptr.is_aligned() {
        return Err(bad(field, None, "misaligned pointer"));
    }
    // SAFETY: non-null and aligned; valid by the caller's contract.
    Ok(unsafe { &*ptr })
}

/// The `len` elements at `ptr`: empty for `len` 0, else checked for null, alignment and
/// `len <= max`.
///
/// # Safety
/// A non-null, aligned `ptr` with `len <= max` must point to `len` valid elements.
unsafe fn slice<'a, T>(
    ptr: *const T,
    len: usize,
    max: usize,
    field: &'static str,
    index: Option<usize>,
) -> Result<&'a [T], ArgError> {
    if len == 0 {
        return Ok(&[]);
    }
    if len > max {
        return Err(ArgError {
            value: Some(len as u64),
            ..bad(field, index, "length above the limit (a length that lies?)")
        });
    }
    if ptr.is_null() {
        return Err(bad(field, index, "null pointer with a non-zero length"));
    }
    if !ptr.is_aligned() {
        return Err(bad(field, index, "misaligned pointer"));
    }
    // SAFETY: checked above; valid by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The UTF-8 text of `s`.
///
/// # Safety
/// As [`slice`], for `s.len` bytes at `s.ptr`.
unsafe fn text<'a>(
    s: TtpmStr,
    field: &'static str,
    index: Option<usize>,
) -> Result<&'a str, ArgError> {
    // SAFETY: the caller's contract.
    let bytes = unsafe { slice(s.ptr.cast::<u8>(), s.len, TTPM_MAX_STR_LEN, field, index)? };
    if bytes.is_ascii() {
        // SAFETY: ASCII is UTF-8 (the common case, checked a word at a time).
        return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    std::str::from_utf8(bytes).map_err(|_| bad(field, index, "not UTF-8"))
}

/// Creates the models of a device (`"wormhole_b0"`, `"blackhole"`, ...), with `options`
/// (null: the default card, every op, latest versions, no fallback), into `*out`.
///
/// Returns [`TTPM_OK`], or the failure's status with `*out` left untouched. Free the handle
/// with [`ttpm_models_free`].
///
/// # Safety
/// `device` and the strings and arrays `options` points to must be valid for their lengths;
/// `out` must be null (refused) or point to writable memory for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_models_new(
    device: TtpmStr,
    options: *const TtpmModelsOptions,
    out: *mut *mut TtpmModels,
) -> TtpmStatus {
    guard(|| {
        if out.is_null() || !out.is_aligned() {
            return Err(bad("out", None, "null or misaligned pointer").into());
        }
        // SAFETY: the caller's contract, for each read below.
        let device = Device::from_name(unsafe { text(device, "device", None)? })?;
        let defaults = TtpmModelsOptions::default();
        let options = if options.is_null() {
            &defaults
        } else {
            unsafe { object(options, "options")? }
        };
        let mut builder = PerfModels::builder(device).fallback(options.fallback != 0);
        let card = unsafe { text(options.card, "options.card", None)? };
        if !card.is_empty() {
            let found = Card::from_name(card).ok_or(Error::UnknownCard {
                name: Name::new(card),
                device,
            })?;
            builder = builder.card(found);
        }
        let names = unsafe {
            slice(
                options.ops,
                options.n_ops,
                TTPM_MAX_TENSORS,
                "options.ops",
                None,
            )?
        };
        let mut ops = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            ops.push(Op::from_name(unsafe {
                text(*name, "options.ops", Some(i))?
            })?);
        }
        if !ops.is_empty() {
            builder = builder.ops(&ops);
        }
        let given = unsafe {
            slice(
                options.pins,
                options.n_pins,
                TTPM_MAX_TENSORS,
                "options.pins",
                None,
            )?
        };
        let mut pins = Vec::with_capacity(given.len());
        for (i, pin) in given.iter().enumerate() {
            let op = Op::from_name(unsafe { text(pin.op, "options.pins", Some(i))? })?;
            pins.push((op, pin.version));
        }
        let models = builder.pins(&pins).build()?;
        let handle = Box::new(TtpmModels {
            models,
            names: &NAMES,
        });
        // SAFETY: checked non-null and aligned above.
        unsafe { out.write(Box::into_raw(handle)) };
        Ok(())
    })
}

/// Frees a handle from [`ttpm_models_new`]; null is ignored.
///
/// # Safety
/// `models` must be null or a handle from [`ttpm_models_new`] not freed before, and no other
/// thread may be using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_models_free(models: *mut TtpmModels) {
    if !models.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: the caller's contract: a live handle from `Box::into_raw`.
            drop(unsafe { Box::from_raw(models) })
        }));
    }
}

/// The device of a handle, as a static NUL-terminated name; null for a null handle.
///
/// # Safety
/// `models` must be null or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_models_device(models: *const TtpmModels) -> *const c_char {
    // SAFETY: the caller's contract.
    match unsafe { object(models, "models") } {
        Ok(m) => m.names.devices[m.models.device().index()].as_ptr(),
        Err(_) => std::ptr::null(),
    }
}

/// Answers one query into `*out`.
///
/// Returns [`TTPM_OK`] with `*out` filled, or the failure's status with `*out` untouched
/// and the message available from [`ttpm_last_error_message`] on this thread. Allocates
/// nothing for up to 8 tensors and 16 params.
///
/// # Safety
/// `models` must be null (refused) or a live handle; `query` and `out` null (refused) or
/// valid; every pointer in the query valid for its length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_query(
    models: *const TtpmModels,
    query: *const TtpmQuery,
    out: *mut TtpmEstimate,
) -> TtpmStatus {
    guard(|| {
        // SAFETY: the caller's contract, for each read below.
        let models = unsafe { object(models, "models")? };
        let q = unsafe { object(query, "query")? };
        if out.is_null() || !out.is_aligned() {
            return Err(bad("out", None, "null or misaligned pointer").into());
        }
        let op = unsafe { text(q.op, "query.op", None)? };
        let raw_params =
            unsafe { slice(q.params, q.n_params, TTPM_MAX_PARAMS, "query.params", None)? };
        let mut params: SmallVec<[OpParam<'_>; 16]> = SmallVec::new();
        for (i, p) in raw_params.iter().enumerate() {
            params.push(unsafe { param(p, "query.params", i)? });
        }
        let raw_inputs =
            unsafe { slice(q.inputs, q.n_inputs, TTPM_MAX_TENSORS, "query.inputs", None)? };
        let mut inputs: SmallVec<[TensorParams; 8]> = SmallVec::new();
        for (i, t) in raw_inputs.iter().enumerate() {
            inputs.push(unsafe { tensor(t, "query.inputs", Some(i))? });
        }
        let output = if q.output.is_null() {
            None
        } else {
            let t = unsafe { object(q.output, "query.output")? };
            Some(unsafe { tensor(t, "query.output", None)? })
        };
        let query = Query::named(op, &inputs).params(&params);
        let grid = (q.grid_x, q.grid_y);
        // SAFETY: `out` checked non-null and aligned above.
        unsafe { answer(models, query, q.version, output.as_ref(), grid, out) }
    })
}

/// Answers `query` with the version (0: latest), output and grid (0 x 0: the card's) a C
/// query gives, into `*out`.
///
/// # Safety
/// `out` must be non-null, aligned and writable.
#[inline(always)]
unsafe fn answer<'a>(
    models: &TtpmModels,
    mut query: Query<'a>,
    version: u16,
    output: Option<&'a TensorParams>,
    (grid_x, grid_y): (u8, u8),
    out: *mut TtpmEstimate,
) -> Result<(), Failure> {
    if version != 0 {
        query = query.version(version);
    }
    if let Some(o) = output {
        query = query.output(o);
    }
    if (grid_x, grid_y) != (0, 0) {
        query = query.grid(CoreGrid::new(grid_x, grid_y));
    }
    let estimate = models.models.query(&query)?;
    // SAFETY: the caller's contract.
    unsafe { out.write(to_c(&estimate, models.names)) };
    Ok(())
}

/// A C param as a library param.
///
/// # Safety
/// The strings of `p` must be valid for their lengths.
unsafe fn param<'a>(
    p: &'a TtpmParam,
    field: &'static str,
    i: usize,
) -> Result<OpParam<'a>, ArgError> {
    // SAFETY: the caller's contract.
    let key = unsafe { text(p.key, field, Some(i))? };
    let value = match p.kind {
        TTPM_PARAM_INT => ParamValue::Int(p.int_value),
        TTPM_PARAM_FLOAT => ParamValue::Float(p.float_value),
        TTPM_PARAM_BOOL => ParamValue::Bool(p.int_value != 0),
        TTPM_PARAM_ENUM => ParamValue::Enum(unsafe { text(p.enum_value, field, Some(i))? }),
        other => {
            return Err(ArgError {
                member: Some("kind"),
                value: Some(other.into()),
                ..bad(field, Some(i), "not a TTPM_PARAM_* value")
            });
        }
    };
    Ok(OpParam::new(key, value))
}

/// A C tensor as a library tensor: the enums and arrays checked, the rest (dims, tile,
/// shard spec against the op and the card) the library's to check.
///
/// # Safety
/// The arrays `t` points to must be valid for their lengths.
unsafe fn tensor(
    t: &TtpmTensor,
    field: &'static str,
    index: Option<usize>,
) -> Result<TensorParams, ArgError> {
    let enum_field = |member, value: u32| ArgError {
        member: Some(member),
        value: Some(value.into()),
        ..bad(field, index, "not a value of its TTPM_* constants")
    };
    if t.rank == 0 || t.rank > MAX_RANK {
        return Err(ArgError {
            status: TTPM_INVALID_TENSOR,
            member: Some("rank"),
            value: Some(t.rank as u64),
            ..bad(field, index, "outside 1..=8")
        });
    }
    let member = |e: ArgError, m| ArgError {
        member: Some(m),
        ..e
    };
    // SAFETY: the caller's contract.
    let padded = unsafe { slice(t.shape, t.rank, MAX_RANK, field, index) }
        .map_err(|e| member(e, "shape"))?;
    let shape = if t.logical_shape.is_null() {
        Shape::new(padded)
    } else {
        let logical = unsafe { slice(t.logical_shape, t.rank, MAX_RANK, field, index) }
            .map_err(|e| member(e, "logical_shape"))?;
        Shape::padded(padded, logical)
    };
    let dtype = *DType::ALL
        .get(t.dtype as usize)
        .ok_or_else(|| enum_field("dtype", t.dtype))?;
    let side = |s: u16| if s == 0 { 32 } else { s };
    let layout = match t.layout {
        TTPM_LAYOUT_TILE => Layout::Tile {
            height: side(t.tile_height),
            width: side(t.tile_width),
        },
        TTPM_LAYOUT_ROW_MAJOR => Layout::RowMajor,
        other => return Err(enum_field("layout", other)),
    };
    let buffer = match t.buffer {
        TTPM_BUFFER_DRAM => BufferType::Dram,
        TTPM_BUFFER_L1 => BufferType::L1,
        other => return Err(enum_field("buffer", other)),
    };
    let memory_layout = match t.memory_layout {
        TTPM_MEMORY_INTERLEAVED => MemoryLayout::Interleaved,
        TTPM_MEMORY_HEIGHT_SHARDED => MemoryLayout::HeightSharded,
        TTPM_MEMORY_WIDTH_SHARDED => MemoryLayout::WidthSharded,
        TTPM_MEMORY_BLOCK_SHARDED => MemoryLayout::BlockSharded,
        TTPM_MEMORY_ND_SHARDED => MemoryLayout::NdSharded,
        other => return Err(enum_field("memory_layout", other)),
    };
    let shard = if t.shard.is_null() {
        None
    } else {
        let s = unsafe { object(t.shard, field) }.map_err(|e| ArgError {
            index,
            ..member(e, "shard")
        })?;
        let orientation = match s.orientation {
            TTPM_SHARD_ROW_MAJOR => ShardOrientation::RowMajor,
            TTPM_SHARD_COL_MAJOR => ShardOrientation::ColMajor,
            other => return Err(enum_field("shard.orientation", other)),
        };
        let grid = CoreRange {
            start: (s.start_x, s.start_y),
            end: (s.end_x, s.end_y),
        };
        let mut spec = ShardSpec::new(grid, [s.height, s.width], orientation);
        if s.cores != 0 {
            spec.cores = s.cores;
        }
        Some(spec)
    };
    let memory = MemoryConfig {
        buffer,
        layout: memory_layout,
        shard,
    };
    Ok(TensorParams::new(shape, dtype, layout, memory))
}

/// An estimate as C has it.
fn to_c(e: &Estimate, names: &Names) -> TtpmEstimate {
    let b = &e.breakdown;
    let (device, op, version, fallback) = match e.source {
        Source::Model(id) => (
            names.devices[id.device.index()].as_ptr(),
            names.ops[id.op.index()].as_ptr(),
            id.version,
            0,
        ),
        Source::Fallback { device, op } => (
            names.devices[device.index()].as_ptr(),
            op.map_or(std::ptr::null(), |op| names.ops[op.index()].as_ptr()),
            0,
            1,
        ),
    };
    let (median_ape, p90_ape, calibration_rows) = match e.accuracy {
        Accuracy::Measured {
            median_ape,
            p90_ape,
            rows,
        } => (median_ape, p90_ape, rows),
        Accuracy::Uncalibrated => (0.0, 0.0, 0),
    };
    TtpmEstimate {
        duration_ns: e.duration_ns,
        overhead_ns: b.overhead_ns,
        compute_ns: b.compute_ns,
        dram_ns: b.dram_ns,
        noc_ns: b.noc_ns,
        median_ape,
        p90_ape,
        calibration_rows,
        bound: match e.bound {
            Bound::Overhead => TTPM_BOUND_OVERHEAD,
            Bound::Compute => TTPM_BOUND_COMPUTE,
            Bound::Dram => TTPM_BOUND_DRAM,
            Bound::Noc => TTPM_BOUND_NOC,
        },
        device,
        op,
        version,
        fallback,
    }
}

/// The range the measured duration falls in for 90% of the answering version's held-out
/// calibration rows, ns, into `*low` and `*high`: `duration / (1 + p90)` to
/// `duration / (1 - p90)`. Returns 0 and writes nothing when there is none (an uncalibrated
/// version, the fallback, or `p90 >= 1`) or a pointer is null; 1 otherwise.
///
/// # Safety
/// `estimate` null or valid; `low` and `high` null or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_estimate_band(
    estimate: *const TtpmEstimate,
    low: *mut f64,
    high: *mut f64,
) -> u8 {
    // SAFETY: the caller's contract.
    let Ok(e) = (unsafe { object(estimate, "estimate") }) else {
        return 0;
    };
    let p90 = e.p90_ape;
    let band = e.calibration_rows > 0 && e.fallback == 0 && (0.0..1.0).contains(&p90);
    if !band || low.is_null() || high.is_null() || !low.is_aligned() || !high.is_aligned() {
        return 0;
    }
    // SAFETY: checked non-null and aligned.
    unsafe {
        low.write(e.duration_ns / (1.0 + p90));
        high.write(e.duration_ns / (1.0 - p90));
    }
    1
}

/// Builds `*tensor` into `*out` for [`ttpm_query_built`]: the C description checked (null
/// pointers, lengths, enum fields) and converted once. What makes the tensor invalid for an
/// op (dims, tile, shard spec) is reported by the query, as for [`ttpm_query`].
///
/// # Safety
/// `tensor` null (refused) or valid, with its arrays valid for `rank`; `out` null (refused)
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_tensor_build(
    tensor: *const TtpmTensor,
    out: *mut TtpmBuiltTensor,
) -> TtpmStatus {
    guard(|| {
        // SAFETY: the caller's contract, for each read below.
        let t = unsafe { object(tensor, "tensor")? };
        let value = unsafe { self::tensor(t, "tensor", None)? };
        if out.is_null() || !out.is_aligned() {
            return Err(bad("out", None, "null or misaligned pointer").into());
        }
        // SAFETY: `out` is writable and aligned for `TtpmBuiltTensor`, which is exactly a
        // `TensorParams` (size and alignment asserted above).
        unsafe { out.cast::<TensorParams>().write(value) };
        Ok(())
    })
}

/// Resolves an op name or OP CODE and its `key = value` params into `*out` for
/// [`ttpm_query_built`], checked against the op's schema: it fails as a query with these
/// params would ([`TTPM_UNKNOWN_OP`], [`TTPM_UNKNOWN_PARAM`], [`TTPM_INVALID_PARAM`],
/// [`TTPM_MISSING_PARAM`], ...).
///
/// # Safety
/// `op` and `params` valid for their lengths; `out` null (refused) or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_op_params_build(
    op: TtpmStr,
    params: *const TtpmParam,
    n_params: usize,
    out: *mut TtpmOpParams,
) -> TtpmStatus {
    guard(|| {
        // SAFETY: the caller's contract, for each read below.
        let op = Op::from_name(unsafe { text(op, "op", None)? })?;
        let raw = unsafe { slice(params, n_params, TTPM_MAX_PARAMS, "params", None)? };
        let mut named = Vec::with_capacity(raw.len());
        for (i, p) in raw.iter().enumerate() {
            named.push(unsafe { param(p, "params", i)? });
        }
        let value = ttnn_op_perf_models::OpParams::from_named(op, &named)?;
        if out.is_null() || !out.is_aligned() {
            return Err(bad("out", None, "null or misaligned pointer").into());
        }
        let built = BuiltParams {
            magic: PARAMS_MAGIC,
            value,
        };
        // SAFETY: `out` is writable and aligned; a `BuiltParams` fits (asserted above).
        unsafe { out.cast::<BuiltParams>().write(built) };
        Ok(())
    })
}

/// Answers one query of built parts into `*out`: as [`ttpm_query`] does, without looking
/// anything up by name or describing a tensor again. Allocates nothing for up to 8 inputs.
///
/// # Safety
/// `models` null (refused) or a live handle; `query` and `out` null (refused) or valid; the
/// built structs it points to filled by [`ttpm_tensor_build`] and [`ttpm_op_params_build`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_query_built(
    models: *const TtpmModels,
    query: *const TtpmBuiltQuery,
    out: *mut TtpmEstimate,
) -> TtpmStatus {
    guard(|| {
        // SAFETY: the caller's contract, for each read below.
        let models = unsafe { object(models, "models")? };
        let q = unsafe { object(query, "query")? };
        if out.is_null() || !out.is_aligned() {
            return Err(bad("out", None, "null or misaligned pointer").into());
        }
        let op_params = unsafe { object(q.op_params, "query.op_params")? };
        // The magic word first: only then are the bytes after it read as op params.
        if op_params.opaque[0] != PARAMS_MAGIC {
            return Err(bad(
                "query.op_params",
                None,
                "not filled by ttpm_op_params_build",
            )
            .into());
        }
        // SAFETY: the magic word says `ttpm_op_params_build` wrote a `BuiltParams` here.
        let op_params = unsafe { *op_params.opaque.as_ptr().cast::<BuiltParams>() };
        let raw = unsafe { slice(q.inputs, q.n_inputs, TTPM_MAX_TENSORS, "query.inputs", None)? };
        // SAFETY: each `TtpmBuiltTensor` is a `TensorParams` written by `ttpm_tensor_build`
        // (the caller's contract), with the same size and stride.
        let inputs: &[TensorParams] =
            unsafe { std::slice::from_raw_parts(raw.as_ptr().cast(), raw.len()) };
        let output: Option<&TensorParams> = if q.output.is_null() {
            None
        } else {
            let t = unsafe { object(q.output, "query.output")? };
            Some(unsafe { &*(t as *const TtpmBuiltTensor).cast::<TensorParams>() })
        };
        let query = Query::typed(op_params.value, inputs);
        let grid = (q.grid_x, q.grid_y);
        // SAFETY: `out` checked non-null and aligned above.
        unsafe { answer(models, query, q.version, output, grid, out) }
    })
}

/// Writes the message of the last failed call on this thread into `buf` (at most `cap - 1`
/// bytes, cut at a UTF-8 character boundary, then a NUL) and returns the message's full
/// length in bytes, without the NUL, as `snprintf` does: a return `>= cap` means it was cut.
/// With `cap` 0, `buf` may be null and only the length is returned. The message is empty
/// (0) when no call on this thread has failed.
///
/// # Safety
/// `buf` must be null with `cap` 0, or point to `cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_last_error_message(buf: *mut c_char, cap: usize) -> usize {
    catch_unwind(AssertUnwindSafe(|| {
        let failure = LAST.with(Cell::get);
        let out: &mut [u8] = if cap == 0 || buf.is_null() {
            &mut []
        } else {
            // SAFETY: the caller's contract.
            unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), cap) }
        };
        let mut w = Truncating {
            buf: out,
            len: 0,
            total: 0,
            full: false,
        };
        let _ = write!(w, "{failure}");
        if let Some(nul) = w.buf.get_mut(w.len) {
            *nul = 0;
        }
        w.total
    }))
    .unwrap_or(0)
}

/// The status of the last failed call on this thread; [`TTPM_OK`] when none has failed.
#[unsafe(no_mangle)]
pub extern "C" fn ttpm_last_error_status() -> TtpmStatus {
    catch_unwind(|| LAST.with(Cell::get).status()).unwrap_or(TTPM_INTERNAL_ERROR)
}

/// The name of a status (`"TTPM_INVALID_TENSOR"`), a static NUL-terminated string;
/// `"TTPM_UNKNOWN_STATUS"` for a value no constant has.
#[unsafe(no_mangle)]
pub extern "C" fn ttpm_status_name(status: TtpmStatus) -> *const c_char {
    let name: &'static CStr = match status {
        TTPM_OK => c"TTPM_OK",
        TTPM_INVALID_ARGUMENT => c"TTPM_INVALID_ARGUMENT",
        TTPM_UNKNOWN_DEVICE => c"TTPM_UNKNOWN_DEVICE",
        TTPM_UNKNOWN_CARD => c"TTPM_UNKNOWN_CARD",
        TTPM_UNKNOWN_OP => c"TTPM_UNKNOWN_OP",
        TTPM_OP_NOT_LOADED => c"TTPM_OP_NOT_LOADED",
        TTPM_NO_MODEL_FOR_DEVICE => c"TTPM_NO_MODEL_FOR_DEVICE",
        TTPM_NO_SUCH_VERSION => c"TTPM_NO_SUCH_VERSION",
        TTPM_MODE_NOT_MODELED => c"TTPM_MODE_NOT_MODELED",
        TTPM_MISSING_PARAM => c"TTPM_MISSING_PARAM",
        TTPM_UNKNOWN_PARAM => c"TTPM_UNKNOWN_PARAM",
        TTPM_INVALID_PARAM => c"TTPM_INVALID_PARAM",
        TTPM_OPERAND_COUNT => c"TTPM_OPERAND_COUNT",
        TTPM_INVALID_TENSOR => c"TTPM_INVALID_TENSOR",
        TTPM_INVALID_GRID => c"TTPM_INVALID_GRID",
        TTPM_OVERFLOW => c"TTPM_OVERFLOW",
        TTPM_OTHER_ERROR => c"TTPM_OTHER_ERROR",
        TTPM_INTERNAL_ERROR => c"TTPM_INTERNAL_ERROR",
        _ => c"TTPM_UNKNOWN_STATUS",
    };
    name.as_ptr()
}

/// Writes into a fixed buffer, keeping room for a NUL and cutting at a character boundary;
/// counts every byte offered.
struct Truncating<'a> {
    buf: &'a mut [u8],
    len: usize,
    total: usize,
    full: bool,
}

impl fmt::Write for Truncating<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.total += s.len();
        if self.full {
            return Ok(());
        }
        let room = self.buf.len().saturating_sub(1 + self.len);
        let mut n = s.len().min(room);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        self.full = n < s.len();
        Ok(())
    }
}

/// For the C++ benchmark (`capi/cpp/bench.cpp`), not part of the header: ns per Rust query
/// of benchmark case `case` (0: the README's matmul, 1: unary exp, 2: binary add, on the
/// handle's device), typed or (`by_name` non-zero) by OP CODE with `key = value` params, over
/// one round of `iterations` queries; a negative value for an unknown case, a failed query or
/// one whose two forms disagree.
///
/// # Safety
/// `models` must be null (refused) or a live handle.
#[doc(hidden)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ttpm_internal_bench_rust_typed(
    models: *const TtpmModels,
    case: u32,
    iterations: u64,
    by_name: u32,
) -> f64 {
    use std::hint::black_box;
    use ttnn_op_perf_models::OpParams;
    use ttnn_op_perf_models::op_params::{eltwise_binary, eltwise_unary, matmul};
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller's contract.
        let Ok(models) = (unsafe { object(models, "models") }) else {
            return -1.0;
        };
        let dram = MemoryConfig::DRAM_INTERLEAVED;
        let (inputs, params) = match case {
            0 => (
                vec![
                    TensorParams::tiled(&[1, 1, 128, 4096], DType::Bfloat16, dram),
                    TensorParams::tiled(&[1, 1, 4096, 4096], DType::Bfloat8B, dram),
                ],
                OpParams::Matmul(matmul::Params {
                    math_fidelity: matmul::MathFidelity::Hifi2,
                    ..matmul::Params::DEFAULT
                }),
            ),
            1 => (
                vec![TensorParams::tiled(
                    &[1, 1, 1024, 1024],
                    DType::Bfloat16,
                    dram,
                )],
                OpParams::EltwiseUnary(eltwise_unary::Params {
                    unary_op: eltwise_unary::UnaryOp::Exp,
                }),
            ),
            2 => (
                vec![TensorParams::tiled(&[1, 1, 1024, 1024], DType::Bfloat16, dram); 2],
                OpParams::EltwiseBinary(eltwise_binary::Params {
                    binary_op: eltwise_binary::BinaryOp::Add,
                    math_fidelity: eltwise_binary::MathFidelity::Hifi4,
                }),
            ),
            _ => return -1.0,
        };
        let named = match params {
            OpParams::Matmul(_) => ("MatmulDeviceOperation", "math_fidelity", "hifi2"),
            OpParams::EltwiseUnary(_) => ("UnaryDeviceOperation", "unary_op", "exp"),
            _ => ("BinaryNgDeviceOperation", "binary_op", "add"),
        };
        let named_params = [OpParam::new(named.1, ParamValue::Enum(named.2))];
        let q = if by_name != 0 {
            Query::named(named.0, &inputs).params(&named_params)
        } else {
            Query::typed(params, &inputs)
        };
        if models.models.query(&q) != models.models.query(&Query::typed(params, &inputs)) {
            return -1.0;
        }
        if models.models.query(&q).is_err() {
            return -1.0;
        }
        let n = iterations.max(1);
        let start = std::time::Instant::now();
        for _ in 0..n {
            let _ = black_box(models.models.query(black_box(&q)));
        }
        start.elapsed().as_nanos() as f64 / n as f64
    }))
    .unwrap_or(-1.0)
}
