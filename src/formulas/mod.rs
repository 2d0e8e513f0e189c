//! The cost formulas, one module per op family. Each family is implemented once here and
//! fitted per device and version by its spec (`model_specs/families/<family>.toml` declares
//! the coefficients; `model_specs/<device>/<op>.toml` gives their values).
//!
//! A family's formula is found by its name: family `<f>` (`model_specs/families/<f>.toml`)
//! is module `formulas::<f>` (`src/formulas/<f>.rs`, or `src/formulas/<f>/mod.rs` when it
//! has submodules: a file included by path finds its submodules beside it), which
//! exposes `pub const fn features(cx: &Ctx<'_>) -> Result<<F>Features, Error>`. `build.rs`
//! declares the module of every family (adding a family adds no line here), stops with
//! `create src/formulas/<f>.rs ...` when the file is missing, and routes the family's models
//! to its `features` (`ModelCoefficients::cost`); rustc then checks the signature, the `const` and
//! the features (a field missing from the `<F>Features { .. }` a formula builds is a
//! "missing field" error there). Each is a `const fn`, so a query of constants is answered
//! when the code is built; that is why they loop with `while`, match instead of calling
//! `Option`/`Result` adapters, and use the crate's `tri!`/`some_or!` where `?` would do.
//!
//! Every family is a roofline: `launch + overhead + max(compute, DRAM, NoC)`, with the
//! throughput terms computed for the busiest core of the op's work split.

mod eltwise_common;
mod fallback;

// `#[path = "<src/formulas/<f>.rs>"] pub mod <f>;` for each family `<f>`.
include!(concat!(env!("OUT_DIR"), "/formulas.rs"));

pub(crate) use fallback::fallback;

/// What the formula modules' hand-worked tests share.
#[cfg(test)]
pub(crate) mod test_support {
    /// `a` is the hand-worked `b`, up to float rounding.
    pub(crate) fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }
}
