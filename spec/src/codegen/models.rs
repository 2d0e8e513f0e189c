//! The model versions: a table per (device, op) with a model, and `MODELS`, indexed by device
//! and op.

use super::{camel, f64_lit, ident, int_lit, upper, usize_lit};
use crate::{Model, SpecSet};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn tokens(s: &SpecSet) -> TokenStream {
    let tables = s.models.iter().map(|m| versions(s, m));
    let rows = s.devices.iter().map(|d| {
        let cells = s.ops.iter().map(|op| {
            if s.models
                .iter()
                .any(|m| m.device == d.name && m.op == op.name)
            {
                let table = upper(&["models", &d.name, &op.name]);
                quote!(&#table)
            } else {
                quote!(&[])
            }
        });
        quote!([#(#cells),*])
    });
    let (n_ops, n_devices) = (usize_lit(s.ops.len()), usize_lit(s.devices.len()));
    quote! {
        #(#tables)*
        /// Versions per (device, op), ascending; the last is the latest. Indexed by `[Device as usize][Op as usize]`.
        pub(crate) static MODELS: [[&[ModelVersion]; #n_ops]; #n_devices] = [#(#rows),*];
    }
}

/// `MODELS_<DEVICE>_<OP>`: the versions of one model, each with its family's coefficients.
fn versions(s: &SpecSet, m: &Model) -> TokenStream {
    let table = upper(&["models", &m.device, &m.op]);
    let (device, op) = (camel(&m.device), camel(&m.op));
    let n = usize_lit(m.versions.len());
    let rows = m.versions.iter().map(|v| {
        let family = s.family_of(v);
        let variant = camel(&family.name);
        let coefficients_ty = format_ident!("{variant}Coefficients");
        let names = family.coefficients.iter().map(|c| ident(&c.name));
        let values = v.coefficients.iter().map(|x| f64_lit(*x));
        let accuracy = match &v.accuracy {
            None => quote!(Accuracy::Uncalibrated),
            Some(a) => {
                let (median, p90, rows) =
                    (f64_lit(a.median_ape), f64_lit(a.p90_ape), int_lit(a.rows));
                quote!(Accuracy::Measured { median_ape: #median, p90_ape: #p90, rows: #rows })
            }
        };
        let (number, summary) = (int_lit(v.number), &v.summary);
        quote! {
            ModelVersion {
                device: Device::#device,
                op: Op::#op,
                version: #number,
                summary: #summary,
                coefficients: ModelCoefficients::#variant(#coefficients_ty { #(#names: #values),* }),
                accuracy: #accuracy,
            }
        }
    });
    quote! {
        static #table: [ModelVersion; #n] = [#(#rows),*];
    }
}
