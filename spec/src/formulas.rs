//! Finding the formula of each family: the functions marked `#[perf_model(family = "...")]`.
//!
//! `build.rs` routes each family's models to the function found here; the attribute's macro
//! checks the function against the family spec.

use crate::SpecSet;
use std::collections::BTreeMap;
use std::path::Path;

/// The family a `#[perf_model(family = "...")]` attribute names, also inside `cfg_attr`.
fn perf_model_family(meta: &syn::Meta) -> Option<String> {
    let syn::Meta::List(list) = meta else {
        return None;
    };
    if list.path.is_ident("cfg_attr") {
        let nested = list
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            )
            .ok()?;
        return nested.iter().find_map(perf_model_family);
    }
    if list.path.segments.last()?.ident != "perf_model" {
        return None;
    }
    let arg: syn::MetaNameValue = list.parse_args().ok()?;
    match arg.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) if arg.path.is_ident("family") => Some(s.value()),
        _ => None,
    }
}

/// Family -> Rust path of its formula, from the `#[perf_model]` functions of the `*.rs` files
/// of `dir` (the runtime crate's `src/formulas`). Every family of `specs` needs exactly one
/// formula, and every formula a family; the errors say which file to fix.
pub fn find_formulas(dir: &Path, specs: &SpecSet) -> Result<BTreeMap<String, String>, Vec<String>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| vec![format!("{}: {e}", dir.display())])?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    let mut errors = Vec::new();
    for file in files {
        let shown = format!(
            "src/formulas/{}",
            file.file_name().and_then(|n| n.to_str()).unwrap_or("")
        );
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        // A file that does not parse is left to rustc, which says why.
        let Ok(ast) = std::fs::read_to_string(&file)
            .map_err(|_| ())
            .and_then(|t| syn::parse_file(&t).map_err(|_| ()))
        else {
            continue;
        };
        for item in ast.items {
            let syn::Item::Fn(f) = item else { continue };
            for family in f.attrs.iter().filter_map(|a| perf_model_family(&a.meta)) {
                let path = if stem == "mod" {
                    format!("crate::formulas::{}", f.sig.ident)
                } else {
                    format!("crate::formulas::{stem}::{}", f.sig.ident)
                };
                if specs.family(&family).is_none() {
                    errors.push(format!(
                        "{shown}: `{}` has #[perf_model(family = \"{family}\")] but there is no model_specs/families/{family}.toml",
                        f.sig.ident
                    ));
                } else if let Some(previous) = found.insert(family.clone(), path.clone()) {
                    errors.push(format!("{shown}: family `{family}` has two formulas, {previous} and {path}; keep one"));
                }
            }
        }
    }
    for family in &specs.families {
        if !found.contains_key(&family.name) {
            errors.push(format!(
                "model_specs/families/{0}.toml: family `{0}` has no formula: add #[perf_model(family = \"{0}\")] to its cost function in src/formulas/",
                family.name
            ));
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}
