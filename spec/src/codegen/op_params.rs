//! Each op's params as a typed struct (`op_params::<op>::Params`, with a generated enum per
//! enum param; a param typed by a shared enum is the runtime's enum itself) and `OpParams`, the enum of them all: what a `Ctx` holds and formulas read,
//! what a typed query passes, and what the string path converts `key = value` pairs into.

use super::{camel, doc, f64_lit, ident, int_lit, usize_lit};
use crate::{Op, OpParam, OpParamKind, SpecSet, type_name};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub(super) fn tokens(s: &SpecSet) -> TokenStream {
    let modules = s.ops.iter().map(op_module);
    let variants: Vec<_> = s.ops.iter().map(|op| camel(&op.name)).collect();
    let mods: Vec<_> = s.ops.iter().map(|op| ident(&op.name)).collect();
    let mut set_arms = Vec::new();
    let mut range_arms = Vec::new();
    for op in &s.ops {
        let (set, range) = slot_arms(op);
        set_arms.extend(set);
        range_arms.push(range);
    }
    quote! {
        /// Each op's params, typed: a struct of the op's schema per op (`<op>::Params`) and an enum per enum param (a param typed by a shared enum is [`MathFidelity`](crate::MathFidelity) or [`DType`](crate::DType) itself). A query passes them as [`OpParams`] with [`Query::typed`](crate::Query::typed), without looking a key or a value up by name.
        pub mod op_params {
            #(#modules)*
        }
        /// The params of one op, typed: what a query of the op passes ([`Query::typed`](crate::Query::typed)), and what `key = value` params become once checked against the op's schema.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub enum OpParams {
            #(#variants(op_params::#mods::Params),)*
        }
        impl OpParams {
            /// The op these are the params of.
            pub const fn op(&self) -> Op {
                match self {
                    #(OpParams::#variants(_) => Op::#variants,)*
                }
            }
            /// `op`'s defaults, a param without one at a placeholder: where the string path starts.
            #[inline]
            pub(crate) const fn start(op: Op) -> OpParams {
                match op {
                    #(Op::#variants => OpParams::#variants(op_params::#mods::START),)*
                }
            }
            /// Sets param `ix` of the schema to a value checked against it.
            #[inline(always)]
            pub(crate) const fn set(&mut self, ix: usize, slot: Slot) {
                match (self, ix, slot) {
                    #(#set_arms,)*
                    _ => {}
                }
            }
            /// The schema position of the first numeric param out of its range (what the types do not rule out).
            #[inline(always)]
            pub(crate) const fn out_of_range(&self) -> Option<usize> {
                match self {
                    #(#range_arms,)*
                }
            }
        }
    }
}

/// `op_params::<op>`: an enum per enum param not of a shared enum, `Params`, its defaults and its `OpParams` variant.
fn op_module(op: &Op) -> TokenStream {
    let name = ident(&op.name);
    let variant = camel(&op.name);
    let module_doc = doc(&format!(
        "The params of `{0}` (`model_specs/ops/{0}.toml`).",
        op.name
    ));
    let enums = op.params.iter().filter_map(|p| {
        let OpParamKind::Enum { values, .. } = &p.kind else {
            return None;
        };
        if p.shared.is_some() {
            return None;
        }
        let ty = camel(&p.key);
        let ty_doc = doc(&format!("`{}`: {}", p.key, p.summary));
        let variants: Vec<_> = values.iter().map(|v| camel(v)).collect();
        let n = usize_lit(values.len());
        Some(quote! {
            #ty_doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum #ty { #(#variants),* }
            impl #ty {
                /// Every value, in the schema's order.
                pub const ALL: [#ty; #n] = [#(#ty::#variants),*];
                /// The schema's spelling.
                pub const fn name(self) -> &'static str {
                    match self {
                        #(#ty::#variants => #values),*
                    }
                }
            }
        })
    });
    let all_defaulted = op.params.iter().all(|p| !p.required());
    let struct_doc = doc(&format!(
        "Every param of `{}`, typed{}.",
        op.name,
        if all_defaulted {
            " (`Params::DEFAULT`: each at its default)"
        } else {
            ""
        }
    ));
    let fields = op.params.iter().map(|p| {
        let value = if p.required() {
            "required".to_string()
        } else {
            format!("default `{}`", value_text(p))
        };
        let field_doc = doc(&format!("`{}`: {} ({value})", p.key, p.summary));
        let (key, ty) = (ident(&p.key), field_type(p));
        quote!(#field_doc pub #key: #ty)
    });
    let keys: Vec<_> = op.params.iter().map(|p| ident(&p.key)).collect();
    let values: Vec<_> = op.params.iter().map(value).collect();
    let default = all_defaulted.then(|| {
        quote! {
            impl Params {
                /// Every param at its default.
                pub const DEFAULT: Params = Params { #(#keys: #values),* };
            }
        }
    });
    quote! {
        #module_doc
        pub mod #name {
            #(#enums)*
            #struct_doc
            #[derive(Debug, Clone, Copy, PartialEq)]
            pub struct Params {
                #(#fields,)*
            }
            #default
            /// The schema's defaults; a param without one at a placeholder the query must replace.
            pub(crate) const START: Params = Params { #(#keys: #values),* };
            impl From<Params> for super::super::OpParams {
                fn from(p: Params) -> Self {
                    super::super::OpParams::#variant(p)
                }
            }
        }
    }
}

/// The Rust type of an op param's typed field; an enum param's is generated by [`op_module`],
/// a shared enum's is the runtime's (`crate::MathFidelity`).
fn field_type(p: &OpParam) -> TokenStream {
    match &p.kind {
        OpParamKind::Int { .. } => quote!(i64),
        OpParamKind::Float { .. } => quote!(f64),
        OpParamKind::Bool { .. } => quote!(bool),
        OpParamKind::Enum { .. } => enum_type(p),
    }
}

/// The enum type of an enum param, as the op's module names it.
fn enum_type(p: &OpParam) -> TokenStream {
    match p.shared {
        Some(e) => {
            let ty = ident(e.type_name);
            quote!(crate::#ty)
        }
        None => {
            let ty = camel(&p.key);
            quote!(#ty)
        }
    }
}

/// The variant of value `i` of an enum param, as its type names it (`HiFi4`, `Mcast2d`).
fn enum_variant(p: &OpParam, values: &[String], i: usize) -> Ident {
    match p.shared {
        Some(e) => ident(&e.values[i].variant()),
        None => camel(&values[i]),
    }
}

/// The value of a typed field: the default, or for a param without one the placeholder the
/// string path starts from (a query that leaves it out is an error).
fn value(p: &OpParam) -> TokenStream {
    match &p.kind {
        OpParamKind::Int { min, default, .. } => int_lit(default.unwrap_or(*min)),
        OpParamKind::Float { min, default, .. } => f64_lit(default.unwrap_or(*min)),
        OpParamKind::Bool { default } => {
            let b = default.unwrap_or(false);
            quote!(#b)
        }
        OpParamKind::Enum { values, default } => {
            let ty = enum_type(p);
            let v = enum_variant(p, values, default.unwrap_or(0));
            quote!(#ty::#v)
        }
    }
}

/// [`value`] as the docs show it.
fn value_text(p: &OpParam) -> String {
    match &p.kind {
        OpParamKind::Int { min, default, .. } => default.unwrap_or(*min).to_string(),
        OpParamKind::Float { min, default, .. } => format!("{:?}", default.unwrap_or(*min)),
        OpParamKind::Bool { default } => default.unwrap_or(false).to_string(),
        OpParamKind::Enum { values, default } => format!(
            "{}::{}",
            p.shared
                .map_or_else(|| type_name(&p.key), |e| e.type_name.to_string()),
            enum_variant(p, values, default.unwrap_or(0))
        ),
    }
}

/// The arms of `OpParams::set` of the op's params, and its arm of `OpParams::out_of_range`.
/// The string path sets a param from its checked slot; the slot has the param's type, so the
/// other arms never match.
fn slot_arms(op: &Op) -> (Vec<TokenStream>, TokenStream) {
    let ty = camel(&op.name);
    let module = ident(&op.name);
    let mut set = Vec::new();
    let mut checks = Vec::new();
    for (i, p) in op.params.iter().enumerate() {
        let key = ident(&p.key);
        let i = usize_lit(i);
        set.push(match &p.kind {
            OpParamKind::Int { .. } => quote!((OpParams::#ty(p), #i, Slot::Int(x)) => p.#key = x),
            OpParamKind::Float { .. } => {
                quote!((OpParams::#ty(p), #i, Slot::Float(x)) => p.#key = x)
            }
            OpParamKind::Bool { .. } => quote!((OpParams::#ty(p), #i, Slot::Bool(x)) => p.#key = x),
            OpParamKind::Enum { values, .. } => {
                let n = usize_lit(values.len());
                let enum_ty = match p.shared {
                    Some(_) => enum_type(p),
                    None => {
                        let enum_ty = enum_type(p);
                        quote!(op_params::#module::#enum_ty)
                    }
                };
                quote! {
                    (OpParams::#ty(p), #i, Slot::Enum(x)) if (x as usize) < #n =>
                        p.#key = #enum_ty::ALL[x as usize]
                }
            }
        });
        match &p.kind {
            OpParamKind::Int { min, max, .. } => {
                let (min, max) = (int_lit(*min), int_lit(*max));
                checks.push(quote!(if !(#min <= p.#key && p.#key <= #max) { Some(#i) }));
            }
            OpParamKind::Float { min, max, .. } => {
                let (min, max) = (f64_lit(*min), f64_lit(*max));
                checks.push(
                    quote!(if !(p.#key.is_finite() && #min <= p.#key && p.#key <= #max) { Some(#i) }),
                );
            }
            OpParamKind::Bool { .. } | OpParamKind::Enum { .. } => {}
        }
    }
    let range = if checks.is_empty() {
        quote!(OpParams::#ty(_) => None)
    } else {
        quote!(OpParams::#ty(p) => #(#checks)else* else { None })
    };
    (set, range)
}
