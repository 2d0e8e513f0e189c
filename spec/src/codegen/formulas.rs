//! The formula of each family, found by convention: family `<f>`
//! (`model_specs/families/<f>.toml`) has its formula in module `crate::formulas::<f>` (file
//! `src/formulas/<f>.rs` or `src/formulas/<f>/mod.rs`), a
//! `pub const fn features(cx: &Ctx<'_>) -> Result<<F>Features, Error>`. This stage only looks
//! for the file and declares the module; rustc checks the signature, the `const` and the
//! fields of the features (through the calls `ModelParams::cost` and `Family::features` make).

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
            Some(file) => {
                let (file, name) = (file.display().to_string(), ident(&f.name));
                let doc = format!(" The formula of family `{}`.", f.name);
                modules.push(quote! {
                    #[doc = #doc]
                    #[path = #file]
                    pub mod #name;
                });
            }
            None => errors.push(format!(
                "model_specs/families/{0}.toml: family `{0}` has no formula: create \
                 src/formulas/{0}.rs with pub const fn features(cx: &Ctx<'_>) -> \
                 Result<{1}Features, Error>",
                f.name,
                type_name(&f.name)
            )),
        }
    }
    if errors.is_empty() {
        Ok(quote!(#(#modules)*))
    } else {
        Err(CodegenError(errors))
    }
}

/// Where the runtime crate keeps the formula of `family`: the file, if it exists.
fn formula_file(crate_dir: &Path, family: &str) -> Option<PathBuf> {
    let dir = crate_dir.join("src/formulas");
    [
        dir.join(format!("{family}.rs")),
        dir.join(family).join("mod.rs"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}
