//! Build-time checked handles to model versions of `ttnn-op-perf-models`.
//!
//! `model!(device, op)` or `model!(device, op, version)` names a model version in code. The
//! macro reads the same TOML specs as the library's `build.rs` (through `ttnn-op-perf-spec`)
//! and expands to a `ttnn_op_perf_models::ModelId` constant; a combination that does not exist
//! fails the build at the offending token, listing what does exist. Use it through the
//! library's re-export, `ttnn_op_perf_models::model!`.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{format_ident, quote};
use std::path::Path;
use std::sync::OnceLock;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitInt, Token, parse_macro_input};
use ttnn_op_perf_spec::{SpecSet, load_dir, type_name};

/// `device, op[, version]`
struct ModelArgs {
    device: Ident,
    op: Ident,
    version: Option<LitInt>,
}

impl Parse for ModelArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let device = input.parse()?;
        input.parse::<Token![,]>()?;
        let op = input.parse()?;
        let version = if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let v = input.parse()?;
            input.parse::<Option<Token![,]>>()?;
            Some(v)
        } else {
            None
        };
        if !input.is_empty() {
            return Err(
                input.error("expected `model!(device, op)` or `model!(device, op, version)`")
            );
        }
        Ok(ModelArgs {
            device,
            op,
            version,
        })
    }
}

/// Names a model version, checked when the code is built; expands to a
/// `ttnn_op_perf_models::ModelId`. Without a version it names the latest.
///
/// ```ignore
/// const MATMUL: ModelId = model!(wormhole_b0, matmul, 1);
/// const LATEST_EXP: ModelId = model!(blackhole, eltwise_unary);
/// ```
#[proc_macro]
pub fn model(input: TokenStream) -> TokenStream {
    let args = parse_macro_input!(input as ModelArgs);
    expand(&args)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// The library's specs, read once per compiler process.
fn specs() -> Result<&'static SpecSet, &'static str> {
    static SPECS: OnceLock<Result<SpecSet, String>> = OnceLock::new();
    SPECS
        .get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model_specs");
            load_dir(&root).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(String::as_str)
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = names.collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn expand(args: &ModelArgs) -> syn::Result<TokenStream2> {
    let specs = specs().map_err(|e| {
        syn::Error::new(
            Span::call_site(),
            format!("the model specs are invalid: {e}"),
        )
    })?;
    let device = args.device.to_string();
    if !specs.devices.iter().any(|d| d.name == device) {
        return Err(syn::Error::new(
            args.device.span(),
            format!(
                "unknown device `{device}`; devices with model specs: {}",
                list(specs.devices.iter().map(|d| d.name.as_str()))
            ),
        ));
    }
    let op = args.op.to_string();
    if !specs.ops.iter().any(|o| o.name == op) {
        return Err(syn::Error::new(
            args.op.span(),
            format!(
                "unknown op `{op}`; ops with specs: {}",
                list(specs.ops.iter().map(|o| o.name.as_str()))
            ),
        ));
    }
    let Some(model) = specs
        .models
        .iter()
        .find(|m| m.device == device && m.op == op)
    else {
        let devices = specs
            .models
            .iter()
            .filter(|m| m.op == op)
            .map(|m| m.device.as_str());
        return Err(syn::Error::new(
            args.op.span(),
            format!(
                "op `{op}` has no model on `{device}`; devices with a model of it: {}",
                list(devices)
            ),
        ));
    };
    let version = match &args.version {
        None => model.versions.last().map_or(0, |v| v.number),
        Some(lit) => {
            let n: u32 = lit.base10_parse()?;
            if !model.versions.iter().any(|v| v.number == n) {
                let numbers: Vec<String> = model
                    .versions
                    .iter()
                    .map(|v| v.number.to_string())
                    .collect();
                return Err(syn::Error::new(
                    lit.span(),
                    format!(
                        "`{device}/{op}` has no version {n}; its versions: {} (model_specs/{device}/{op}.toml)",
                        numbers.join(", ")
                    ),
                ));
            }
            n
        }
    };
    let version = u16::try_from(version)
        .map_err(|_| syn::Error::new(Span::call_site(), "version above u16"))?;
    let device = format_ident!("{}", type_name(&device));
    let op = format_ident!("{}", type_name(&op));
    Ok(quote! {
        ::ttnn_op_perf_models::ModelId {
            device: ::ttnn_op_perf_models::Device::#device,
            op: ::ttnn_op_perf_models::Op::#op,
            version: #version,
        }
    })
}
