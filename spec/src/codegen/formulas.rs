//! The formula of each family, found by convention: family `<f>`
//! (`model_specs/families/<f>.toml`) has its formula in module `crate::formulas::<f>` (file
//! `src/formulas/<f>.rs` or `src/formulas/<f>/mod.rs`), a
//! `pub const fn features(cx: &Ctx<'_>) -> Result<<F>Features, Error>`. This stage only looks
//! for the file and declares the module; rustc checks the signature, the `const` and the
//! fields of the features (through the calls `ModelCoefficients::cost` and `Family::features` make).

use super::{CodegenError, ident};
use crate::{SpecSet, type_name};
use proc_macro2::TokenStream;
use quote::quote;
use std::path::{Path, PathBuf};

/// `#[path = "<absolute file>"] pub mod <f>;` per family, for `src/formulas/mod.rs` to include;
/// an error per family without its file.
pub(super) fn modules(s: &SpecSet, crate_dir: &Path) -> Result<TokenStream, CodegenError> {
    let mut errors = Vec::new();
    let mut modules = Vec::new();
    for f in &s.families {
        match formula_file(crate_dir, &f.name) {
            Ok(file) => {
                let (file, name) = (file.display().to_string(), ident(&f.name));
                modules.push(quote! {
                    #[path = #file]
                    pub mod #name;
                });
            }
            Err(fix) => errors.push(format!(
                "model_specs/families/{}.toml: family `{}` {fix}",
                f.name, f.name
            )),
        }
    }
    if errors.is_empty() {
        Ok(quote!(#(#modules)*))
    } else {
        Err(CodegenError(errors))
    }
}

/// Where the runtime crate keeps the formula of `family`: `src/formulas/<family>/mod.rs` or
/// `src/formulas/<family>.rs`, or what to do when neither serves.
///
/// A file included by `#[path]` finds its own `mod` files beside it, as a `mod.rs` does, so
/// a formula with submodules in `src/formulas/<family>/` must be that folder's `mod.rs`.
fn formula_file(crate_dir: &Path, family: &str) -> Result<PathBuf, String> {
    let dir = crate_dir.join("src/formulas");
    let (file, folder) = (dir.join(format!("{family}.rs")), dir.join(family));
    let signature = format!(
        "pub const fn features(cx: &Ctx<'_>) -> Result<{}Features, Error>",
        type_name(family)
    );
    if folder.join("mod.rs").is_file() {
        Ok(folder.join("mod.rs"))
    } else if folder.is_dir() && file.is_file() {
        Err(format!(
            "has its formula in src/formulas/{family}.rs and its submodules in \
             src/formulas/{family}/: move src/formulas/{family}.rs to \
             src/formulas/{family}/mod.rs (formula modules are included by path, and a file \
             included by path finds its submodules beside it)"
        ))
    } else if file.is_file() {
        Ok(file)
    } else {
        Err(format!(
            "has no formula: create src/formulas/{family}.rs with {signature}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::formula_file;

    #[test]
    fn a_formula_is_a_file_or_a_folder_with_mod_rs_never_both_a_file_and_a_folder() {
        let root =
            std::env::temp_dir().join(format!("ttnn-op-perf-formulas-{}", std::process::id()));
        let dir = root.join("src/formulas");
        std::fs::create_dir_all(dir.join("split")).unwrap();
        std::fs::create_dir_all(dir.join("folder")).unwrap();
        for file in ["flat.rs", "split.rs", "folder/mod.rs"] {
            std::fs::write(dir.join(file), "").unwrap();
        }
        assert_eq!(formula_file(&root, "flat"), Ok(dir.join("flat.rs")));
        assert_eq!(formula_file(&root, "folder"), Ok(dir.join("folder/mod.rs")));
        let split = formula_file(&root, "split").unwrap_err();
        assert!(
            split.contains("move src/formulas/split.rs to src/formulas/split/mod.rs"),
            "{split}"
        );
        let missing = formula_file(&root, "missing_roofline").unwrap_err();
        assert_eq!(
            missing,
            "has no formula: create src/formulas/missing_roofline.rs with pub const fn \
             features(cx: &Ctx<'_>) -> Result<MissingRooflineFeatures, Error>"
        );
        std::fs::remove_dir_all(root).unwrap();
    }
}
