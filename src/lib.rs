//! Predicts how long a TTNN operation takes on a Tenstorrent device, in nanoseconds and
//! without I/O.
//!
//! Model coefficients live in TOML specs (`model_specs/`) that `build.rs` validates and compiles
//! into static tables: looking up a device, an op (by enum, name or ttnn OP CODE) or a model
//! version, and evaluating it, parses nothing and allocates nothing at query time.
//!
//! ```
//! use ttnn_op_perf_models::*;
//!
//! let models = PerfModels::new(Device::WormholeB0);
//! let x = TensorParams::tiled(&[1, 1, 1024, 1024], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
//! let inputs = [x, x];
//! let params = [OpParam::new("binary_op", ParamValue::Enum("add"))];
//! let est = models.query(&Query::new(Op::EltwiseBinary, &inputs).params(&params))?;
//! // The latest version answers: calibrated on measured data, so it carries an error band.
//! assert_eq!(est.source, Source::Model(ModelId { device: Device::WormholeB0, op: Op::EltwiseBinary, version: 2 }));
//! assert!(est.duration_ns.is_finite() && est.duration_ns > 0.0);
//! let (low, high) = est.band_ns().expect("calibrated");
//! assert!(low < est.duration_ns && est.duration_ns < high);
//!
//! // The same query by ttnn OP CODE, as a trace reader has it:
//! let by_name = models.query(&Query::named("BinaryNgDeviceOperation", &inputs).params(&params))?;
//! assert_eq!(by_name, est);
//! # Ok::<(), Error>(())
//! ```
//!
//! The whole query path is `const fn`: a query of constants can be answered when the code
//! is built ([`PerfModels::query`] shows a `const`), and [`model!`] names a model version
//! checked at build time.
//!
//! The layout of the crate follows the data: [`device`] (hardware figures per card),
//! [`op`] (op specs: OP CODEs, operand rules, param schema), [`params`] and [`tensor`] (what a
//! query carries), [`model`](mod@model) (versions and their evaluation), [`formulas`] (one cost formula
//! per family), [`manager`] (routing), [`estimate`] and [`error`] (what comes back).

#![no_std]
#![forbid(unsafe_code)]

#[cfg(feature = "std")]
extern crate std;

/// `expr?` for a `Result` in a const fn (the `?` operator calls a trait const fns cannot).
macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return Err(e),
        }
    };
}

/// `option.ok_or(err)?` in a const fn.
macro_rules! some_or {
    ($e:expr, $err:expr) => {
        match $e {
            Some(v) => v,
            None => return Err($err),
        }
    };
}

pub mod device;
pub mod error;
pub mod estimate;
pub mod formulas;
mod generated;
pub mod manager;
pub mod model;
pub mod op;
pub mod params;
pub mod tensor;
#[cfg(feature = "trace")]
pub mod trace;

pub use device::{Card, CoreGrid, Device, Ethernet, Hardware, MathFidelity};
pub use error::{Error, ErrorKind, Name, Operand, ParamProblem, TensorProblem};
pub use estimate::{Accuracy, Bound, Breakdown, Estimate, ModelId, Source, Term};
// `<Family>Coefficients` and `<Family>Features` of every family.
include!(concat!(env!("OUT_DIR"), "/family_types.rs"));
pub use generated::{OpParams, op_params};
pub use manager::{OpKey, PerfModels, PerfModelsBuilder, Query, Version};
pub use model::{
    Coefficient, Family, FamilyValues, ModelCoefficients, ModelVersion, model_versions,
};
pub use op::{Op, OpSpec, OperandRules};
#[cfg(feature = "std")]
pub use params::OwnedParamValue;
pub use params::{OpParam, ParamKind, ParamSpec, ParamValue, QueryParams};
pub use tensor::{
    BufferType, CoreRange, DType, Layout, MemoryConfig, MemoryLayout, Shape, ShardOrientation,
    ShardSpec, TensorParams,
};
/// Names a model version, checked when the code is built: `model!(device, op[, version])`
/// expands to a [`ModelId`] constant, and a combination without a spec fails the build,
/// listing what exists. Without a version it names the latest.
///
/// ```
/// use ttnn_op_perf_models::{model, ModelId, Op, PerfModels, Query, DType, MemoryConfig, TensorParams};
/// const MATMUL: ModelId = model!(wormhole_b0, matmul, 1);
/// assert_eq!(MATMUL.op, Op::Matmul);
/// assert_eq!(MATMUL.model().unwrap().version, 1);
///
/// let models = PerfModels::new(MATMUL.device);
/// let a = TensorParams::tiled(&[1, 1, 256, 256], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
/// let inputs = [a, a];
/// let est = models.query(&Query::new(MATMUL.op, &inputs).version(MATMUL.version)).unwrap();
/// assert_eq!(est.source, ttnn_op_perf_models::Source::Model(MATMUL));
/// ```
///
/// A version that does not exist fails the build with `` `wormhole_b0/matmul` has no
/// version 99; its versions: 1, 2 (model_specs/wormhole_b0/matmul.toml) ``:
///
/// ```compile_fail
/// const NOPE: ttnn_op_perf_models::ModelId = ttnn_op_perf_models::model!(wormhole_b0, matmul, 99);
/// ```
///
/// A `macro_rules!` whose arms `build.rs` generates from the specs of the devices compiled in
/// (`TTNN_PERF_MODELS_DEVICES`): one per (device, op, version) and per (device, op) for the
/// latest, then one per mistake, each a `compile_error!` naming what exists.
#[macro_export]
macro_rules! model {
    ($($tokens:tt)*) => {
        $crate::__model!($($tokens)*)
    };
}

/// The README's examples compile and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
