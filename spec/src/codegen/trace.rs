//! `TRACE_PARAMS`: where a tt-metal profiler row holds each op param (the `trace` sources of
//! the op specs), by op, for the runtime's trace reader (`src/trace/params.rs` includes it).

use super::{int_lit, usize_lit};
use crate::{OpParam, SpecSet, TraceRead, TraceSource};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn tokens(s: &SpecSet) -> TokenStream {
    let ops = s.ops.iter().map(|op| {
        let params = op
            .params
            .iter()
            .filter(|p| !p.trace.is_empty())
            .map(trace_param);
        quote!(&[#(#params),*])
    });
    let n_ops = usize_lit(s.ops.len());
    quote! {
        /// Where a profiler row holds each op param, by op (`Op as usize`): the params with
        /// `trace` sources in `model_specs/ops/<op>.toml`, in key order.
        static TRACE_PARAMS: [&[TraceParam]; #n_ops] = [#(#ops),*];
    }
}

fn trace_param(p: &OpParam) -> TokenStream {
    let key = &p.key;
    let sources = p.trace.iter().map(source);
    quote!(TraceParam { key: #key, sources: &[#(#sources),*] })
}

fn source(t: &TraceSource) -> TokenStream {
    match t {
        TraceSource::Attribute { path, find, read } => {
            let find = match find {
                Some(f) => quote!(Some(#f)),
                None => quote!(None),
            };
            let read = match read {
                TraceRead::Int { min, max } => {
                    let (min, max) = (int_lit(*min), int_lit(*max));
                    quote!(TraceRead::Int { min: #min, max: #max })
                }
                TraceRead::Bool => quote!(TraceRead::Bool),
                TraceRead::Variant => quote!(TraceRead::Variant),
                TraceRead::Given => quote!(TraceRead::Given),
                TraceRead::Map(map) => {
                    let pairs = map.iter().map(|(name, value)| quote!((#name, #value)));
                    quote!(TraceRead::Map(&[#(#pairs),*]))
                }
            };
            quote!(TraceSource::Attribute { path: &[#(#path),*], find: #find, read: #read })
        }
        TraceSource::Column(name) => quote!(TraceSource::Column(#name)),
        TraceSource::OpCodePrefix { prefix, value } => {
            quote!(TraceSource::OpCodePrefix { prefix: #prefix, value: #value })
        }
        TraceSource::RanBefore { date } => {
            let date = proc_macro2::Literal::u32_unsuffixed(*date);
            quote!(TraceSource::RanBefore { date: #date })
        }
    }
}
