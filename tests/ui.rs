//! `model!` handles: valid forms compile, invalid ones fail the build with the messages in
//! `tests/ui/*.stderr` (regenerate with `TRYBUILD=overwrite cargo test --test ui` after a
//! deliberate change, and read the diff).

#[test]
fn model_handles() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/model_valid.rs");
    t.compile_fail("tests/ui/model_unknown_device.rs");
    t.compile_fail("tests/ui/model_unknown_op.rs");
    t.compile_fail("tests/ui/model_missing_version.rs");
    t.compile_fail("tests/ui/model_not_on_device.rs");
    t.compile_fail("tests/ui/model_bad_syntax.rs");
}
