//! Per family: `<F>Coefficients` and `<F>Features` (a field per fitted coefficient), the
//! coefficient table; then `Family::{coefficients, ops, features, model_coefficients}` and
//! `ModelCoefficients` with `cost`, which routes each family's models to its formula,
//! `crate::formulas::<family>::features`.

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
    let max = usize_lit(
        s.families
            .iter()
            .map(|f| f.coefficients.len())
            .max()
            .unwrap_or(0),
    );
    let structs = s.families.iter().map(family_structs);
    let variants: Vec<_> = s.families.iter().map(|f| camel(&f.name)).collect();
    let coefficients_types: Vec<_> = s
        .families
        .iter()
        .map(|f| format_ident!("{}Coefficients", camel(&f.name)))
        .collect();
    let statics = s.families.iter().map(|f| upper(&[&f.name, "coefficients"]));
    let ops = s.families.iter().map(|f| {
        let ops = f.ops.iter().map(|o| camel(o));
        quote!(&[#(Op::#ops),*])
    });
    // One out-of-line copy of each formula, which `Family::features` and `cost` both call:
    // inlined into both, LLVM compiled every formula twice (a rebuild after a spec edit pays it).
    let formulas: Vec<_> = s
        .families
        .iter()
        .map(|f| format_ident!("{}_features", f.name))
        .collect();
    let outlined = s.families.iter().zip(&formulas).map(|(f, name)| {
        let module = ident(&f.name);
        let ty = format_ident!("{}Features", camel(&f.name));
        let text = doc(&format!(
            "`crate::formulas::{}::features`, compiled once.",
            f.name
        ));
        quote! {
            #text
            #[inline(never)]
            const fn #name(cx: &crate::model::Ctx<'_>) -> Result<#ty, crate::error::Error> {
                crate::formulas::#module::features(cx)
            }
        }
    });
    let from_values = s.families.iter().map(|f| {
        let n = f.coefficients.len();
        let vs: Vec<_> = (0..n).map(|i| format_ident!("v{i}")).collect();
        let names = f.coefficients.iter().map(|c| ident(&c.name));
        let ixs = (0..n).map(usize_lit);
        let (variant, ty) = (
            camel(&f.name),
            format_ident!("{}Coefficients", camel(&f.name)),
        );
        quote! {
            match values {
                &[#(#vs),*] => {
                    let v = [#(#vs),*];
                    Some(ModelCoefficients::#variant(#ty { #(#names: v[#ixs]),* }))
                }
                _ => None,
            }
        }
    });
    // `Breakdown::combine` unrolled: each `coefficient * feature` added to its term in spec
    // order, as `combine` adds them (the same sums, bit for bit), without the arrays.
    let costs = s.families.iter().zip(&formulas).map(|(f, formula)| {
        let sums = f.coefficients.iter().map(|c| {
            let (_, field) = term(c.term);
            let name = ident(&c.name);
            quote!(b.#field += c.#name * x.#name;)
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
        /// The most coefficients any family has: the capacity of [`crate::model::FamilyValues`].
        pub const MAX_FAMILY_COEFFICIENTS: usize = #max;
        #(#structs)*
        #(#outlined)*
        impl Family {
            /// The family's fitted coefficients in spec order, with their terms and bounds.
            pub const fn coefficients(self) -> &'static [Coefficient] {
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
            /// A version's coefficients from their values in spec order; `None` unless there is exactly one value per coefficient.
            pub fn model_coefficients(self, values: &[f64]) -> Option<ModelCoefficients> {
                match self {
                    #(Family::#variants => #from_values,)*
                }
            }
        }
        /// The fitted coefficients of one model version: its family and that family's values.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub enum ModelCoefficients {
            #(#variants(#coefficients_types),)*
        }
        impl ModelCoefficients {
            /// The formula family these coefficients belong to.
            pub const fn family(&self) -> Family {
                match self {
                    #(ModelCoefficients::#variants(_) => Family::#variants,)*
                }
            }
            /// The coefficient values in spec order.
            pub const fn values(&self) -> FamilyValues {
                match self {
                    #(ModelCoefficients::#variants(c) => FamilyValues::new(&c.values()),)*
                }
            }
            /// The cost of a query: the family's formula computes the features, the device's launch overhead plus `coefficient * feature` per term gives the breakdown.
            #[inline(always)]
            pub const fn cost(&self, cx: &crate::model::Ctx<'_>) -> Result<crate::estimate::Breakdown, crate::error::Error> {
                let launch = cx.hw.launch_overhead_ns;
                match self {
                    #(ModelCoefficients::#variants(c) => #costs)*
                }
            }
        }
    }
}

/// `<F>Coefficients`, `<F>Features`, `<F>Coefficients::TERMS` and the `Coefficient` table of
/// a family.
fn family_structs(f: &Family) -> TokenStream {
    let ty = camel(&f.name);
    let n = usize_lit(f.coefficients.len());
    let names: Vec<_> = f.coefficients.iter().map(|c| ident(&c.name)).collect();
    let field_docs: Vec<_> = f
        .coefficients
        .iter()
        .map(|c| {
            doc(&format!(
                "{} (term `{:?}`, spec range {:?} ..= {:?})",
                c.summary, c.term, c.min, c.max
            ))
        })
        .collect();
    let structs = [
        (
            "Coefficients",
            format!(
                "Fitted coefficients of the `{}` family: {}",
                f.name, f.summary
            ),
        ),
        (
            "Features",
            format!(
                "What multiplies each coefficient of the `{}` family for one query; its formula \
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
                /// The values in spec order (coefficient names sorted).
                pub const fn values(&self) -> [f64; #n] {
                    [#(self.#names),*]
                }
            }
        }
    });
    let coefficients_ty = format_ident!("{ty}Coefficients");
    let terms: Vec<_> = f.coefficients.iter().map(|c| term(c.term).0).collect();
    let table = upper(&[&f.name, "coefficients"]);
    let rows = f.coefficients.iter().zip(&terms).map(|(c, t)| {
        let (name, summary) = (&c.name, &c.summary);
        let (min, max) = (f64_lit(c.min), f64_lit(c.max));
        quote!(Coefficient { name: #name, summary: #summary, term: Term::#t, min: #min, max: #max })
    });
    quote! {
        #(#structs)*
        impl #coefficients_ty {
            /// The term of each coefficient, in spec order.
            pub const TERMS: [Term; #n] = [#(Term::#terms),*];
        }
        static #table: [Coefficient; #n] = [#(#rows),*];
    }
}

/// The crate root's re-exports of every family's `<F>Coefficients` and `<F>Features`.
pub(super) fn reexports(s: &SpecSet) -> TokenStream {
    let types = s.families.iter().flat_map(|f| {
        let ty = camel(&f.name);
        [
            format_ident!("{ty}Coefficients"),
            format_ident!("{ty}Features"),
        ]
    });
    quote!(pub use generated::{#(#types),*};)
}
