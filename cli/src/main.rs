//! `ttperf`: the command-line front of ttnn-op-perf-models.
//!
//! Exit codes: 0 success; 2 bad command line (clap); 3 a file cannot be read or written;
//! 4 a file's content is unusable (CSV without the needed columns, invalid workload JSON);
//! 5 unknown device, op or version; 6 a query failed (`predict`, or `estimate` with failures).

mod crossval;
mod estimate;
mod eval;
mod failure;
mod fit;
mod list;
mod measured;
mod plot;
mod predict;
mod render;
mod stats;
mod workload;

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use ttnn_op_perf_tensor_spec as tensor_spec;

#[derive(Parser)]
#[command(name = "ttperf", version, about = "Predict TTNN op durations on Tenstorrent devices", long_about = None)]
#[command(
    after_help = "Exit codes: 0 ok, 2 bad arguments, 3 unreadable or unwritable file, \
4 unusable file content, 5 unknown device/op/version, 6 failed query"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List devices, cards, ops, OP CODE aliases and model versions with their measured error.
    List(list::Args),
    /// Predict one op from its params and tensors.
    Predict(predict::Args),
    /// Estimate every op of a JSON workload and the total.
    Estimate(estimate::Args),
    /// Compare predictions with the measured durations of tt-metal profiler traces.
    Eval(eval::Args),
    /// Fit a model family's coefficients to measured data and write a new spec version.
    Fit(fit::Args),
    /// Measure a fit's accuracy on files it never saw: each file held out in turn.
    Crossval(crossval::Args),
}

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`ttperf list | head`), as Unix tools do, instead of
    // panicking in `println!`.
    #[cfg(unix)]
    // SAFETY: restores the default action of SIGPIPE before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::List(args) => list::run(args),
        Command::Predict(args) => predict::run(args),
        Command::Estimate(args) => estimate::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Fit(args) => fit::run(args),
        Command::Crossval(args) => crossval::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("ttperf: {:#}", f.error);
            ExitCode::from(f.code)
        }
    }
}
