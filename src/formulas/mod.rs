//! The cost formulas, one module per op family. Each family is implemented once here and
//! parameterized per device and version by its spec (`model_specs/families/<family>.toml`
//! declares the parameters; `model_specs/<device>/<op>.toml` gives their values).
//!
//! Each formula carries `#[perf_model(family = "...")]`: the macro checks it against its
//! family spec, and `build.rs` routes the family's models to it (`ModelParams::cost`).
//!
//! Every family is a roofline: `launch + overhead + max(compute, DRAM, NoC)`, with the
//! throughput terms computed for the busiest core of the op's work split.

pub mod data_movement;
pub mod eltwise;
mod fallback;
pub mod matmul;

pub(crate) use fallback::fallback;
