//! The C ABI of `ttnn-op-perf-models`: a models handle for a device and card, queries by op
//! name or ttnn OP CODE, and a status code for every failure, with its message.
//!
//! The header `include/ttnn_op_perf_models.h` is generated from this crate by cbindgen (the
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
//!
//! The modules follow a call's path, below. cbindgen reads them in the order they are
//! declared, which is the header's order of functions: keep one module a group, as
//! `cargo fmt` sorts the modules of a group by name.

// What C sees: every item cbindgen exports but the functions.
mod types;

// What C hands in, checked and converted.
mod read;

// The entry points: the handle, queries by name, queries of built parts.
mod models;

mod query;

mod built;

// The last failure on each thread, and the entry points that report it.
mod last_error;

// Not in the header: the Rust side of the C++ benchmark.
mod bench;

pub use built::*;
pub use last_error::*;
pub use models::*;
pub use query::*;
pub use types::*;
