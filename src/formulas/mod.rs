//! The cost formulas, one module per op family. Each family is implemented once here and
//! parameterized per device and version by its spec (`model_specs/families/<family>.toml`
//! declares the parameters; `model_specs/<device>/<op>.toml` gives their values).
//!
//! Each formula carries `#[perf_model(family = "...")]`: the macro checks it against its
//! family spec, and `build.rs` routes the family's models to it (`ModelParams::cost`). Each is
//! a `const fn`, so a query of constants is answered when the code is built; that is why they
//! loop with `while`, match instead of calling `Option`/`Result` adapters, and use the
//! crate's `tri!`/`some_or!` where `?` would do.
//!
//! Every family is a roofline: `launch + overhead + max(compute, DRAM, NoC)`, with the
//! throughput terms computed for the busiest core of the op's work split.

pub mod data_movement_roofline;
pub mod eltwise_binary_roofline;
mod eltwise_common;
pub mod eltwise_unary_roofline;
mod fallback;
pub mod matmul_roofline;

pub(crate) use fallback::fallback;
