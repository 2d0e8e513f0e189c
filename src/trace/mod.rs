//! Reading tt-metal profiler traces (`ops_perf_results` CSV) into queries (feature `trace`).

pub mod attributes;
mod reader;

pub use reader::{
    Implausible, MAX_KERNEL_NS, Malformed, REQUIRED_COLUMNS, SHAPE_COLUMNS, Trace, TraceError,
    TraceRow, read_trace, read_trace_file,
};
