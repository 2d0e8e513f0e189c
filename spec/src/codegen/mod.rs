//! The generate stage: a validated [`SpecSet`] -> the Rust source the runtime crate includes
//! (feature `codegen`, for the runtime's `build.rs`).
//!
//! One module per thing emitted: `enums` (`Device`, `Card`, `Op`, `Family`, the name maps,
//! and `DType` and `MathFidelity` from the shared lists), `hardware` (per-card `HARDWARE`),
//! `ops` (op specs, `op_of_name`), `op_params` (typed params, `OpParams`), `families`
//! (per-family structs, `ModelCoefficients::cost`, `Family::features`), `models` (version tables),
//! `name_index` (the perfect hashes of names), `model_macro` (`model!`), `formulas` (the
//! family formula modules) and `trace` (where a profiler row holds each op param). Each
//! builds tokens with `quote!`; [`generate`] formats them with prettyplease under a header
//! saying where they come from. The `SpecSet` holds every reference resolved, so nothing
//! here looks a name up again or checks what validation checked.

mod enums;
mod families;
mod formulas;
mod hardware;
mod model_macro;
mod models;
mod name_hash;
mod name_index;
mod op_params;
mod ops;
mod trace;

use crate::{SpecSet, type_name};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use std::fmt;
use std::path::PathBuf;

/// What the runtime crate's build script knows beyond the specs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The runtime crate's folder (`CARGO_MANIFEST_DIR`): formula modules are found in its
    /// `src/formulas/` and included by absolute path.
    pub crate_dir: PathBuf,
    /// The device filter in force ([`crate::DEVICE_FILTER`]), for the provenance header.
    pub device_filter: Option<String>,
}

/// The generated files, named as the runtime crate includes them from `$OUT_DIR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// (file name, contents)
    pub files: Vec<(&'static str, String)>,
}

/// Why the specs could not be turned into code: what the author must fix, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenError(pub Vec<String>);

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CodegenError {}

/// The text of `name_hash.rs`, the one definition of the name hash: compiled here as
/// `name_hash`, emitted unchanged for the runtime.
const NAME_HASH_SRC: &str = include_str!("name_hash.rs");

/// Generates `tables.rs` (the tables and the `model!` arms), `family_types.rs` (the crate
/// root's re-exports of the family structs), `formulas.rs` (a module per family formula),
/// `trace_params.rs` (where a profiler row holds each op param) and `name_hash.rs`. Fails
/// when a family has no formula file, or when the generated tables would not hold (more
/// names than a name index takes).
pub fn generate(s: &SpecSet, options: &Options) -> Result<Generated, CodegenError> {
    let formulas = formulas::modules(s, &options.crate_dir)?;
    // The parts that can fail (a list of names without a perfect hash, a phf map that does
    // not lex) report together.
    let (enums, ops) = (enums::tokens(s), ops::tokens(s));
    let errors: Vec<String> = [&enums, &ops]
        .into_iter()
        .filter_map(|r| r.as_ref().err().cloned())
        .collect();
    let (Ok(enums), Ok(ops)) = (enums, ops) else {
        return Err(CodegenError(errors));
    };
    let tables = [
        enums::shared(),
        enums,
        hardware::tokens(s),
        ops,
        op_params::tokens(s),
        families::tokens(s),
        models::tokens(s),
        model_macro::tokens(s),
    ];
    let header = header(s, options);
    let tables = format(quote!(#(#tables)*)).map_err(|e| CodegenError(vec![e]))?;
    let family_types = format(families::reexports(s)).map_err(|e| CodegenError(vec![e]))?;
    let formulas = format(formulas).map_err(|e| CodegenError(vec![e]))?;
    let trace_params = format(trace::tokens(s)).map_err(|e| CodegenError(vec![e]))?;
    Ok(Generated {
        files: vec![
            ("tables.rs", format!("{header}\n{tables}")),
            ("family_types.rs", format!("{header}\n{family_types}")),
            ("formulas.rs", format!("{header}\n{formulas}")),
            ("trace_params.rs", format!("{header}\n{trace_params}")),
            (
                "name_hash.rs",
                format!(
                    "// @generated: a copy of ttnn-op-perf-spec's src/codegen/name_hash.rs. \
                     DO NOT EDIT.\n\n{NAME_HASH_SRC}"
                ),
            ),
        ],
    })
}

/// The provenance of a generated file, as unicode-ident states it for its tables: what
/// generated it, from which files, and not to edit it.
fn header(s: &SpecSet, options: &Options) -> String {
    let root = options.crate_dir.join("");
    let files: Vec<String> = s
        .files
        .iter()
        .map(|f| format!("//   {}", f.strip_prefix(&root).unwrap_or(f).display()))
        .collect();
    let devices: Vec<&str> = s.devices.iter().map(|d| d.name.as_str()).collect();
    let filter = match &options.device_filter {
        Some(f) => format!("{}={f:?}", crate::DEVICE_FILTER),
        None => format!("{} unset", crate::DEVICE_FILTER),
    };
    format!(
        "// @generated. DO NOT EDIT THIS FILE: change the specs and rebuild.\n\
         //\n\
         // Generated by {} {} (`codegen::generate`), run by the build script of\n\
         // ttnn-op-perf-models, from these spec files:\n\
         //\n\
         {}\n\
         //\n\
         // Devices compiled in: {} ({filter}).\n",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        files.join("\n"),
        devices.join(", "),
    )
}

/// Formats generated tokens as a Rust file.
fn format(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("the generated code does not parse ({e}): a bug of the codegen"))?;
    Ok(prettyplease::unparse(&file))
}

/// The Rust type (or variant) of a snake_case spec name: `wormhole_b0` -> `WormholeB0`.
fn camel(snake: &str) -> Ident {
    Ident::new(&type_name(snake), Span::call_site())
}

/// An identifier as written: a field, module or function name.
fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `SCREAMING_CASE` of joined names: the name of a static.
fn upper(parts: &[&str]) -> Ident {
    ident(&parts.join("_").to_uppercase())
}

/// A doc attribute per line of `text`, each with the leading space of `/// text`.
fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| format!(" {l}"));
    quote!(#(#[doc = #lines])*)
}

/// An `f64` as an exact literal: the shortest text that parses back to the same bits (Rust's
/// `{:?}`), with the sign as a `-` of its own; infinities and NaN as `f64` constants.
fn f64_lit(x: f64) -> TokenStream {
    if x.is_nan() {
        return quote!(f64::NAN);
    }
    if x.is_infinite() {
        return if x > 0.0 {
            quote!(f64::INFINITY)
        } else {
            quote!(f64::NEG_INFINITY)
        };
    }
    let abs = x.abs();
    let lit: Literal = format!("{abs:?}")
        .parse()
        .unwrap_or_else(|_| Literal::f64_unsuffixed(abs));
    if x.is_sign_negative() {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

/// An integer as an unsuffixed literal, the sign as a `-` of its own.
fn int_lit(x: impl Into<i128>) -> TokenStream {
    let x: i128 = x.into();
    let lit = Literal::u128_unsuffixed(x.unsigned_abs());
    if x < 0 { quote!(-#lit) } else { quote!(#lit) }
}

/// A count or index as an unsuffixed literal.
fn usize_lit(x: usize) -> Literal {
    Literal::usize_unsuffixed(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every literal parses back to the bits it was made from.
    #[test]
    fn f64_literals_are_exact() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            1.0 / 3.0,
            1e-300,
            5e-324,
            1.7976931348623157e308,
            f64::MIN,
            123456789.12345679,
            2.0f64.powi(60),
            1.0 / (1000.0 / 1000.0),
            1.0 / (1350.0 / 1000.0),
        ];
        for x in values {
            let text = f64_lit(x).to_string().replace(' ', "");
            let back: f64 = text.parse().unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{x:?} -> {text}");
        }
    }

    #[test]
    fn integer_literals_keep_their_sign() {
        assert_eq!(int_lit(-5i64).to_string(), "- 5");
        assert_eq!(int_lit(i64::MIN).to_string(), "- 9223372036854775808");
        assert_eq!(int_lit(7u32).to_string(), "7");
    }

    /// The emitted copy of the hash is the hash this crate compiled.
    #[test]
    fn name_hash_is_emitted_verbatim() {
        assert!(NAME_HASH_SRC.contains("pub(crate) const fn name_hash(name: &str, seed: u64)"));
        assert_eq!(name_hash::name_hash("", 3), 0);
    }
}

#[cfg(test)]
mod generate_tests {
    use super::*;

    fn shipped() -> (SpecSet, Options) {
        let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let specs = crate::load_dir(&crate_dir.join("model_specs")).unwrap();
        let options = Options {
            crate_dir,
            device_filter: None,
        };
        (specs, options)
    }

    #[test]
    fn the_shipped_specs_generate_with_their_provenance() {
        let (specs, options) = shipped();
        let generated = generate(&specs, &options).unwrap();
        let names: Vec<&str> = generated.files.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "tables.rs",
                "family_types.rs",
                "formulas.rs",
                "trace_params.rs",
                "name_hash.rs"
            ]
        );
        let tables = &generated.files[0].1;
        assert!(tables.starts_with("// @generated. DO NOT EDIT THIS FILE"));
        assert!(tables.contains("//   model_specs/wormhole_b0/matmul.toml\n"));
        assert!(tables.contains("TTNN_PERF_MODELS_DEVICES unset"));
        assert!(tables.contains("macro_rules! __model"));
        assert!(generated.files[3].1.contains("static TRACE_PARAMS"));
        assert!(generated.files[4].1.ends_with(NAME_HASH_SRC));
    }

    #[test]
    fn a_family_without_its_formula_file_is_an_error_saying_what_to_create() {
        let (specs, mut options) = shipped();
        options.crate_dir = std::env::temp_dir().join("ttnn-op-perf-spec-no-formulas");
        let e = generate(&specs, &options).unwrap_err();
        assert_eq!(e.0.len(), specs.families.len());
        let data_movement =
            e.0.iter()
                .find(|m| m.contains("families/data_movement_roofline.toml"))
                .expect("one error per family");
        assert_eq!(
            data_movement,
            "model_specs/families/data_movement_roofline.toml: family `data_movement_roofline` \
             has no formula: create src/formulas/data_movement_roofline.rs with pub const fn \
             features(cx: &Ctx<'_>) -> Result<DataMovementRooflineFeatures, Error>"
        );
    }

    /// The seeds of the name indexes hash every name of a list to a slot of its own.
    #[test]
    fn name_indexes_are_perfect() {
        let names = ["math_fidelity", "program_config", "a", "bb", "ccc", "dddd"];
        let index = name_index::name_index(&names).unwrap().to_string();
        assert!(index.starts_with("NameIndex"));
        assert!(name_index::name_index(&["x", "x"]).is_err());
    }

    /// 94 names (`unary_op`'s values) fit 256 slots with a chance of about 3e-9 a seed: that
    /// size is skipped; 512 (about 1.1e-4 a seed) is searched, and so is every list's first
    /// size up to 20 names (6 names in 16 slots: 0.34 a seed; 1% at the least).
    #[test]
    fn long_name_lists_skip_tables_no_seed_fits() {
        assert!(!name_index::seed_likely(94, 8));
        assert!(name_index::seed_likely(94, 9));
        assert!((0..=20usize).all(|n| {
            let min_bits = n.next_power_of_two().trailing_zeros() + 1;
            name_index::seed_likely(n, min_bits)
        }));
        let owned: Vec<String> = (0..94).map(|i| format!("name_{i}")).collect();
        let names: Vec<&str> = owned.iter().map(String::as_str).collect();
        let index = name_index::name_index(&names).unwrap().to_string();
        assert!(index.contains("shift : 55 ,"), "{index}");
    }
}
