//! Per family: `<F>Params` and `<F>Features` (a field per fitted parameter), the parameter
//! table; then `Family::{params, ops, features, model_params}` and `ModelParams` with
//! `cost`, which routes each family's models to its formula, `crate::formulas::<family>::features`.

use super::{camel, doc, f64_lit, ident, upper, usize_lit};
use crate::{Family, SpecSet, Term};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The runtime's `Term` variant and the `Breakdown` field a term adds to.
fn term(t: Term) -> (Ident, Ident) {
    let (variant, field) = match t {
        Term::Overhead => ("Overhead", "overhead_ns"),
        Term::Compute => ("Compute", "compute_ns"),
        Term::Dram => ("Dram", "dram_ns"),
        Term::Noc => ("Noc", "noc_ns"),
    };
    (ident(variant), ident(field))
}

pub(super) fn tokens(s: &SpecSet) -> TokenStream {
    let max = usize_lit(s.families.iter().map(|f| f.params.len()).max().unwrap_or(0));
    let structs = s.families.iter().map(family_structs);
    let variants: Vec<_> = s.families.iter().map(|f| camel(&f.name)).collect();
    let params_types: Vec<_> = s
        .families
        .iter()
        .map(|f| format_ident!("{}Params", camel(&f.name)))
        .collect();
    let statics = s.families.iter().map(|f| upper(&[&f.name, "params"]));
    let ops = s.families.iter().map(|f| {
        let ops = f.ops.iter().map(|o| camel(o));
        quote!(&[#(Op::#ops),*])
    });
    let formulas: Vec<_> = s
        .families
        .iter()
        .map(|f| {
            let module = ident(&f.name);
            quote!(crate::formulas::#module::features)
        })
        .collect();
    let from_values = s.families.iter().map(|f| {
        let vs: Vec<_> = (0..f.params.len()).map(|i| format_ident!("v{i}")).collect();
        let names = f.params.iter().map(|p| ident(&p.name));
        let ixs = (0..f.params.len()).map(usize_lit);
        let (variant, ty) = (camel(&f.name), format_ident!("{}Params", camel(&f.name)));
        quote! {
            match values {
                &[#(#vs),*] => {
                    let v = [#(#vs),*];
                    Some(ModelParams::#variant(#ty { #(#names: v[#ixs]),* }))
                }
                _ => None,
            }
        }
    });
    // `Breakdown::combine` unrolled: each `parameter * feature` added to its term in spec
    // order, as `combine` adds them (the same sums, bit for bit), without the arrays.
    let costs = s.families.iter().zip(&formulas).map(|(f, formula)| {
        let sums = f.params.iter().map(|p| {
            let (_, field) = term(p.term);
            let name = ident(&p.name);
            quote!(b.#field += p.#name * x.#name;)
        });
        quote! {
            {
                let x = tri!(#formula(cx));
                let mut b = Breakdown { overhead_ns: launch, compute_ns: 0.0, dram_ns: 0.0, noc_ns: 0.0 };
                #(#sums)*
                Ok(b)
            }
        }
    });
    quote! {
        /// The most parameters any family has: the capacity of [`crate::model::FamilyValues`].
        pub const MAX_FAMILY_PARAMS: usize = #max;
        #(#structs)*
        impl Family {
            /// The family's parameters in spec order, with their terms and bounds.
            pub const fn params(self) -> &'static [FamilyParam] {
                match self {
                    #(Family::#variants => &#statics,)*
                }
            }
            /// The ops the family models.
            pub const fn ops(self) -> &'static [Op] {
                match self {
                    #(Family::#variants => #ops,)*
                }
            }
            /// Runs the family's formula (`features` of `crate::formulas::<family>`) and returns its features in spec order: what `ttperf fit` regresses on.
            pub const fn features(self, cx: &crate::model::Ctx<'_>) -> Result<FamilyValues, crate::error::Error> {
                match self {
                    #(Family::#variants => Ok(FamilyValues::new(&tri!(#formulas(cx)).values())),)*
                }
            }
            /// A version's parameters from their values in spec order; `None` unless there is exactly one value per parameter.
            pub fn model_params(self, values: &[f64]) -> Option<ModelParams> {
                match self {
                    #(Family::#variants => #from_values,)*
                }
            }
        }
        /// The parameters of one model version: its family and that family's values.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub enum ModelParams {
            #(#variants(#params_types),)*
        }
        impl ModelParams {
            /// The formula family these parameters belong to.
            pub const fn family(&self) -> Family {
                match self {
                    #(ModelParams::#variants(_) => Family::#variants,)*
                }
            }
            /// The parameter values in spec order.
            pub const fn values(&self) -> FamilyValues {
                match self {
                    #(ModelParams::#variants(p) => FamilyValues::new(&p.values()),)*
                }
            }
            /// The cost of a query: the family's formula computes the features, the device's launch overhead plus `parameter * feature` per term gives the breakdown.
            #[inline(always)]
            pub const fn cost(&self, cx: &crate::model::Ctx<'_>) -> Result<crate::estimate::Breakdown, crate::error::Error> {
                let launch = cx.hw.launch_overhead_ns;
                match self {
                    #(ModelParams::#variants(p) => #costs)*
                }
            }
        }
    }
}

/// `<F>Params`, `<F>Features`, `<F>Params::TERMS` and the `FamilyParam` table of a family.
fn family_structs(f: &Family) -> TokenStream {
    let ty = camel(&f.name);
    let n = usize_lit(f.params.len());
    let names: Vec<_> = f.params.iter().map(|p| ident(&p.name)).collect();
    let field_docs: Vec<_> = f
        .params
        .iter()
        .map(|p| {
            doc(&format!(
                "{} (term `{:?}`, spec range {:?} ..= {:?})",
                p.summary, p.term, p.min, p.max
            ))
        })
        .collect();
    let structs = [
        (
            "Params",
            format!("Parameters of the `{}` family: {}", f.name, f.summary),
        ),
        (
            "Features",
            format!(
                "What multiplies each parameter of the `{}` family for one query; its formula \
                 computes them and [`crate::Breakdown::combine`] weighs them.",
                f.name
            ),
        ),
    ]
    .map(|(kind, text)| {
        let name = format_ident!("{ty}{kind}");
        let struct_doc = doc(&text);
        quote! {
            #struct_doc
            #[derive(Debug, Clone, Copy, PartialEq)]
            pub struct #name {
                #(#field_docs pub #names: f64,)*
            }
            impl #name {
                /// The values in spec order (parameter names sorted).
                pub const fn values(&self) -> [f64; #n] {
                    [#(self.#names),*]
                }
            }
        }
    });
    let params_ty = format_ident!("{ty}Params");
    let terms: Vec<_> = f.params.iter().map(|p| term(p.term).0).collect();
    let table = upper(&[&f.name, "params"]);
    let rows = f.params.iter().zip(&terms).map(|(p, t)| {
        let (name, summary) = (&p.name, &p.summary);
        let (min, max) = (f64_lit(p.min), f64_lit(p.max));
        quote!(FamilyParam { name: #name, summary: #summary, term: Term::#t, min: #min, max: #max })
    });
    quote! {
        #(#structs)*
        impl #params_ty {
            /// The term of each parameter, in spec order.
            pub const TERMS: [Term; #n] = [#(Term::#terms),*];
        }
        static #table: [FamilyParam; #n] = [#(#rows),*];
    }
}

/// The crate root's re-exports of every family's `<F>Params` and `<F>Features`.
pub(super) fn reexports(s: &SpecSet) -> TokenStream {
    let types = s.families.iter().flat_map(|f| {
        let ty = camel(&f.name);
        [format_ident!("{ty}Params"), format_ident!("{ty}Features")]
    });
    quote!(pub use generated::{#(#types),*};)
}
