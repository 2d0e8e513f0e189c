//! The committed C header is what cbindgen generates from the crate's source.
//!
//! `TTPM_BLESS=1 cargo test -p ttnn-op-perf-capi --test header` rewrites it.

use std::path::Path;

#[test]
fn header_is_cbindgen_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_src(dir.join("src/lib.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    let path = dir.join("include/ttnn_op_perf_models.h");
    if std::env::var_os("TTPM_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write the header");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date with capi/src: regenerate it with \
         `TTPM_BLESS=1 cargo test -p ttnn-op-perf-capi --test header` and commit it",
        path.display()
    );
}
