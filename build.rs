//! Compiles `model_specs/**.toml` into static tables in `$OUT_DIR`, in the three stages of
//! `ttnn-op-perf-spec`: load (parse + validate, then the device filter), generate
//! (`codegen::generate`), write. `src/generated.rs`, `src/lib.rs`, `src/params.rs` and
//! `src/formulas/mod.rs` include what it writes. An invalid spec stops the build with every
//! problem listed as `file:line: key: what to fix`; so does a family without its formula
//! (`src/formulas/<family>.rs`).

use std::path::Path;
use std::process::exit;
use ttnn_op_perf_spec::codegen::{Options, generate};
use ttnn_op_perf_spec::{DEVICE_FILTER, load_dir};

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed=model_specs");
    println!("cargo:rerun-if-changed=src/formulas");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed={DEVICE_FILTER}");

    let mut specs = load_dir(&Path::new(&manifest).join("model_specs")).unwrap_or_else(|errors| {
        eprintln!(
            "{}",
            errors.to_string().replace(&format!("{manifest}/"), "")
        );
        eprintln!("Fix the spec files above; the build stops until they are valid.");
        exit(1)
    });
    let device_filter = std::env::var(DEVICE_FILTER).ok();
    if let Some(filter) = &device_filter {
        specs.keep_devices(filter).unwrap_or_else(|e| {
            eprintln!("error: {e}");
            exit(1)
        });
    }
    let options = Options {
        crate_dir: manifest.into(),
        device_filter,
    };
    let generated = generate(&specs, &options).unwrap_or_else(|e| {
        eprint!("{e}");
        exit(1)
    });
    for (name, text) in generated.files {
        let path = Path::new(&out_dir).join(name);
        std::fs::write(&path, text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}
