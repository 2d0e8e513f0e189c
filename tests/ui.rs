//! `model!` and const estimates as a user meets them: valid forms compile, invalid ones fail the build
//! with the messages in `tests/ui/*.stderr` (regenerate with
//! `TRYBUILD=overwrite cargo test --test ui` after a deliberate change, and read the diff).
//! The stderr files are those of the rustc in `tests/ui/RUSTC_VERSION`; with another rustc
//! the compile-fail cases are skipped (rustc words its diagnostics differently across
//! versions), the pass cases still run.

/// Whether this rustc is the one the stderr files were written with.
fn pinned_rustc() -> bool {
    let pinned = include_str!("ui/RUSTC_VERSION").trim();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let same = version.split_whitespace().nth(1) == Some(pinned);
    if !same {
        eprintln!(
            "compile-fail cases skipped: their stderr is rustc {pinned}'s, this is {version}"
        );
    }
    same
}

#[test]
fn model_handles() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/model_valid.rs");
    if pinned_rustc() {
        t.compile_fail("tests/ui/model_unknown_device.rs");
        t.compile_fail("tests/ui/model_unknown_op.rs");
        t.compile_fail("tests/ui/model_missing_version.rs");
        t.compile_fail("tests/ui/model_not_on_device.rs");
        t.compile_fail("tests/ui/model_bad_syntax.rs");
    }
}

#[test]
fn estimates_of_constant_queries_are_computed_when_the_code_is_built() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/const_estimate.rs");
    if pinned_rustc() {
        t.compile_fail("tests/ui/const_estimate_invalid.rs");
    }
}
