//! `model!(device, op[, version])`: a `macro_rules!` with an arm per (device, op, version)
//! and per (device, op) (the latest), each the `ModelId` constant, then arms for what does
//! not exist, each a `compile_error!` listing what does. The runtime crate's `model!`
//! forwards to it (`__model!`, hidden); generated from the filtered set, it knows only the
//! devices compiled in.

use super::{camel, ident, int_lit};
use crate::SpecSet;
use proc_macro2::TokenStream;
use quote::quote;

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = names.collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

pub(super) fn tokens(s: &SpecSet) -> TokenStream {
    let mut arms = Vec::new();
    for m in &s.models {
        let (device, op) = (ident(&m.device), ident(&m.op));
        let (device_ty, op_ty) = (camel(&m.device), camel(&m.op));
        let id = |v: u32| {
            let v = int_lit(v);
            quote! {
                $crate::ModelId { device: $crate::Device::#device_ty, op: $crate::Op::#op_ty, version: #v }
            }
        };
        if let Some(latest) = m.versions.last() {
            let latest = id(latest.number);
            arms.push(quote!((#device, #op $(,)?) => { #latest };));
        }
        for v in &m.versions {
            let (number, model) = (int_lit(v.number), id(v.number));
            arms.push(quote!((#device, #op, #number $(,)?) => { #model };));
        }
        let numbers: Vec<String> = m.versions.iter().map(|v| v.number.to_string()).collect();
        let head = format!("`{}/{}` has no version ", m.device, m.op);
        let tail = format!(
            "; its versions: {} (model_specs/{}/{}.toml)",
            numbers.join(", "),
            m.device,
            m.op
        );
        arms.push(quote! {
            (#device, #op, $version:tt $(,)?) => {
                ::core::compile_error!(::core::concat!(#head, ::core::stringify!($version), #tail))
            };
        });
    }
    for d in &s.devices {
        for op in &s.ops {
            if s.models
                .iter()
                .any(|m| m.device == d.name && m.op == op.name)
            {
                continue;
            }
            let message = format!(
                "op `{}` has no model on `{}`; devices with a model of it: {}",
                op.name,
                d.name,
                list(
                    s.models
                        .iter()
                        .filter(|m| m.op == op.name)
                        .map(|m| m.device.as_str())
                )
            );
            let (device, op) = (ident(&d.name), ident(&op.name));
            arms.push(quote! {
                (#device, #op $(, $version:tt)? $(,)?) => { ::core::compile_error!(#message) };
            });
        }
    }
    for d in &s.devices {
        let device = ident(&d.name);
        arms.push(quote! {
            (#device, $op:ident $(, $version:tt)? $(,)?) => {
                ::core::compile_error!(::core::concat!(
                    "unknown op `", ::core::stringify!($op),
                    "`: there is no model_specs/ops/", ::core::stringify!($op),
                    ".toml (`ttperf list` lists the ops)"
                ))
            };
        });
    }
    let devices = format!(
        "`; devices with model specs: {}",
        list(s.devices.iter().map(|d| d.name.as_str()))
    );
    quote! {
        /// The arms of `model!` (the crate root's): one per model version of this build.
        #[doc(hidden)]
        #[macro_export]
        macro_rules! __model {
            #(#arms)*
            ($device:ident, $op:ident $(, $version:tt)? $(,)?) => {
                ::core::compile_error!(::core::concat!("unknown device `", ::core::stringify!($device), #devices))
            };
            ($($tokens:tt)*) => {
                ::core::compile_error!(::core::concat!(
                    "expected `model!(device, op)` or `model!(device, op, version)`, found `model!(",
                    ::core::stringify!($($tokens)*),
                    ")`"
                ))
            };
        }
    }
}
