//! `ttperf`: the command-line front of ttnn-op-perf-models.

fn main() {}
