//! The op specs (`OP_SPECS`: OP CODEs, operand rules, param schemas with their name indexes)
//! and `op_of_name`, the lookup of an op by name or OP CODE.

use super::name_index::name_index;
use super::{camel, f64_lit, int_lit, upper, usize_lit};
use crate::{OpParam, OpParamKind, SpecSet};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

pub(super) fn tokens(s: &SpecSet) -> Result<TokenStream, String> {
    let max_params = s
        .ops
        .iter()
        .map(|op| op.params.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut statics = Vec::new();
    let mut specs = Vec::new();
    let mut indexes: HashMap<Vec<&str>, TokenStream> = HashMap::new();
    for op in &s.ops {
        let params_static = upper(&[&op.name, "params"]);
        let n = usize_lit(op.params.len());
        let params = op.params.iter().map(param_spec);
        statics.push(quote! {
            static #params_static: [ParamSpec; #n] = [#(#params),*];
        });
        let keys: Vec<&str> = op.params.iter().map(|p| p.key.as_str()).collect();
        let keys = name_index(&keys)?;
        let mut values = Vec::new();
        for i in 0..max_params {
            let names: Vec<&str> = match op.params.get(i).map(|p| &p.kind) {
                Some(OpParamKind::Enum { values, .. }) => {
                    values.iter().map(String::as_str).collect()
                }
                _ => Vec::new(),
            };
            // Several ops list the same values (every fused activation takes `unary_op`'s
            // 90-odd): each list's seed is searched once, the search being most of the build
            // script's time.
            let index = match indexes.entry(names) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(new) => {
                    let index = name_index(new.key())?;
                    new.insert(index)
                }
            };
            values.push(index.clone());
        }
        let required = op
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.required())
            .fold(0u32, |m, (i, _)| m | 1 << i);
        let required = int_lit(required);
        let variant = camel(&op.name);
        let summary = &op.summary;
        let op_codes = &op.op_codes;
        let (min_inputs, max_inputs) = (int_lit(op.min_inputs), int_lit(op.max_inputs));
        let output_required = op.output_required;
        let min_rank = int_lit(op.min_rank);
        let tile = op.layouts.iter().any(|l| l == "tile");
        let row_major = op.layouts.iter().any(|l| l == "row_major");
        specs.push(quote! {
            OpSpec {
                op: Op::#variant,
                summary: #summary,
                op_codes: &[#(#op_codes),*],
                operands: OperandRules {
                    min_inputs: #min_inputs,
                    max_inputs: #max_inputs,
                    output_required: #output_required,
                    min_rank: #min_rank,
                    tile: #tile,
                    row_major: #row_major,
                },
                params: &#params_static,
                required: #required,
                keys: #keys,
                values: [#(#values),*],
            }
        });
    }
    let max_params = usize_lit(max_params);
    let n_ops = usize_lit(s.ops.len());
    let op_of_name = op_of_name(s);
    Ok(quote! {
        #op_of_name
        /// Most op params any op declares: the size of a resolved-params buffer.
        pub(crate) const MAX_OP_PARAMS: usize = #max_params;
        #(#statics)*
        /// Op specs, indexed by `Op as usize`.
        pub(crate) static OP_SPECS: [OpSpec; #n_ops] = [#(#specs),*];
    })
}

/// `ParamSpec { key, summary, kind, default }` of one op param.
fn param_spec(p: &OpParam) -> TokenStream {
    let (kind, default) = match &p.kind {
        OpParamKind::Int { min, max, default } => {
            let (min, max) = (int_lit(*min), int_lit(*max));
            let default = default.map(|i| {
                let i = int_lit(i);
                quote!(ParamValue::Int(#i))
            });
            (quote!(ParamKind::Int { min: #min, max: #max }), default)
        }
        OpParamKind::Float { min, max, default } => {
            let (min, max) = (f64_lit(*min), f64_lit(*max));
            let default = default.map(|x| {
                let x = f64_lit(x);
                quote!(ParamValue::Float(#x))
            });
            (quote!(ParamKind::Float { min: #min, max: #max }), default)
        }
        OpParamKind::Bool { default } => (
            quote!(ParamKind::Bool),
            default.map(|b| quote!(ParamValue::Bool(#b))),
        ),
        OpParamKind::Enum { values, default } => (
            quote!(ParamKind::Enum { values: &[#(#values),*] }),
            default
                .and_then(|i| values.get(i))
                .map(|v| quote!(ParamValue::Enum(#v))),
        ),
    };
    let default = match default {
        Some(d) => quote!(Some(#d)),
        None => quote!(None),
    };
    let (key, summary) = (&p.key, &p.summary);
    quote! {
        ParamSpec { key: #key, summary: #summary, kind: #kind, default: #default }
    }
}

/// Not a phf map: a query by OP CODE dispatches on the name's length (a jump table) and
/// compares the few names of that length, which costs less than SipHashing the name.
fn op_of_name(s: &SpecSet) -> TokenStream {
    // length -> [(op, its names of that length)], in op order.
    let mut by_len: BTreeMap<usize, Vec<(&str, Vec<&str>)>> = BTreeMap::new();
    for op in &s.ops {
        for n in std::iter::once(&op.name).chain(&op.op_codes) {
            let ops = by_len.entry(n.len()).or_default();
            match ops.iter_mut().find(|(o, _)| *o == op.name) {
                Some((_, names)) => names.push(n),
                None => ops.push((&op.name, vec![n])),
            }
        }
    }
    let arms = by_len.iter().map(|(len, ops)| {
        // One test per op, its names of this length joined by `||`.
        let tests = ops.iter().map(|(op, names)| {
            let op = camel(op);
            quote!(if #(same(name, #names))||* { Some(Op::#op) })
        });
        let chain = tests.reduce(|acc, test| quote!(#acc else #test));
        let len = usize_lit(*len);
        quote!(#len => #chain else { None },)
    });
    quote! {
        /// The op of an op name or ttnn OP CODE alias: the names of the same length, compared.
        #[inline]
        pub(crate) const fn op_of_name(name: &str) -> Option<Op> {
            use crate::params::same;
            match name.len() {
                #(#arms)*
                _ => None,
            }
        }
    }
}
