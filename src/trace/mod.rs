//! Reading tt-metal profiler traces (`ops_perf_results` CSV) into queries (feature `trace`).
//!
//! [`read_trace`] reads the CSV (`reader`); each device-op row becomes a [`TraceRow`] (`row`)
//! from its cells (`cells`) and, through `params`, the op params its `ATTRIBUTES` give, and
//! those of kernels tt-metal changed by which tt-metal wrote the trace (`era`).

pub mod attributes;
mod cells;
pub mod era;
mod params;
mod reader;
mod row;

pub use reader::{
    Broken, Implausible, MAX_KERNEL_NS, Malformed, REQUIRED_COLUMNS, SHAPE_COLUMNS,
    SHAPELESS_PROGRAM_HASH, Trace, TraceError, UNIFORM_CAPTURE, UniformCapture, read_trace,
    read_trace_file,
};
pub use row::{Replay, TraceRow};
