//! What C sees: the status codes, the limits, the enum constants and the `#[repr(C)]`
//! structs. cbindgen writes all of them into the header, doc comments included, so a
//! change here is a change of the C ABI.

use std::ffi::c_char;
use ttnn_op_perf_models::tensor::MAX_RANK;

// The entry points the docs link to.
#[cfg(doc)]
use crate::*;

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
// The constants are the discriminants of `DType` (generated from the spec crate's list of data
// types), which `read` indexes `DType::ALL` with.
const _: () = {
    use ttnn_op_perf_models::DType;
    assert!(
        DType::COUNT == 8
            && TTPM_DTYPE_BFLOAT16 == DType::Bfloat16 as u32
            && TTPM_DTYPE_FLOAT32 == DType::Float32 as u32
            && TTPM_DTYPE_BFLOAT8_B == DType::Bfloat8B as u32
            && TTPM_DTYPE_BFLOAT4_B == DType::Bfloat4B as u32
            && TTPM_DTYPE_UINT8 == DType::Uint8 as u32
            && TTPM_DTYPE_UINT16 == DType::Uint16 as u32
            && TTPM_DTYPE_UINT32 == DType::Uint32 as u32
            && TTPM_DTYPE_INT32 == DType::Int32 as u32
    );
};

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
    /// The cores the op may use, `grid_x` columns by `grid_y` rows; 0 x 0: none given, the
    /// card's compute grid (a matmul given ttnn's `core_grid` also takes the param
    /// `user_core_grid` = true).
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
    /// Median and 90th-percentile absolute error on cross-validated rows (of data files the
    /// fit never saw), fractions; 0 when `calibration_rows` is 0 (uncalibrated).
    /// [`ttpm_estimate_band`] turns them into the range 90% of those measurements fell in.
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
    /// The cores the op may use; 0 x 0: none given, the card's compute grid (as for
    /// `ttpm_query`).
    pub grid_x: u8,
    pub grid_y: u8,
}
