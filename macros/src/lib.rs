//! Proc-macros of `ttnn-op-perf-models`, checked against the same TOML specs as the library's
//! `build.rs` (read through `ttnn-op-perf-spec`):
//!
//! * `model!(device, op[, version])` names a model version in code and expands to a
//!   `ttnn_op_perf_models::ModelId` constant; a combination that does not exist fails the
//!   build at the offending token, listing what does exist.
//! * `#[perf_model(family = "...")]` attaches a formula to its family spec: it checks the
//!   signature and that the formula gives a feature for exactly the spec's parameters. The library's
//!   `build.rs` finds the attribute and routes the family's models to the formula.
//!
//! Both follow parse -> validate -> expand; errors are `syn::Error`s at the offending span and
//! an invalid input expands to the error alone, so no follow-on errors cascade.
//! Use them through the library's re-exports.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{format_ident, quote};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;
use syn::parse::{Parse, ParseStream};
use syn::visit::Visit;
use syn::{Ident, ItemFn, LitInt, LitStr, Member, Token, parse_macro_input};
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
fn specs() -> syn::Result<&'static SpecSet> {
    static SPECS: OnceLock<Result<SpecSet, String>> = OnceLock::new();
    SPECS
        .get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model_specs");
            load_dir(&root).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| {
            syn::Error::new(
                Span::call_site(),
                format!("the model specs are invalid: {e}"),
            )
        })
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
    let specs = specs()?;
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

/// `family = "..."`
struct PerfModelArgs {
    family: LitStr,
}

impl Parse for PerfModelArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key: Ident = input.parse()?;
        if key != "family" {
            return Err(syn::Error::new(
                key.span(),
                "expected `family = \"<family name>\"`",
            ));
        }
        input.parse::<Token![=]>()?;
        let family = input.parse()?;
        if !input.is_empty() {
            return Err(input.error("expected only `family = \"<family name>\"`"));
        }
        Ok(PerfModelArgs { family })
    }
}

/// Attaches a cost formula to its family spec, `model_specs/families/<family>.toml`.
///
/// The function must be a `const fn` (so a query of constants is evaluated at build time),
/// take `(cx: &Ctx<'_>)`, return `Result<<Family>Features, Error>` and
/// build that struct (generated from the spec) naming every parameter of the spec as a
/// field; the function itself is left as written. The library's `build.rs` finds the
/// attribute in `src/formulas/` and routes the family's models to the function; a family
/// without one fails the build, naming its spec.
#[proc_macro_attribute]
pub fn perf_model(attr: TokenStream, item: TokenStream) -> TokenStream {
    let args = parse_macro_input!(attr as PerfModelArgs);
    let func = parse_macro_input!(item as ItemFn);
    match expand_perf_model(&args, &func) {
        Ok(tokens) => tokens.into(),
        // The error, and the function's signature with an empty body: what the signature uses
        // stays used and the body's own mistakes stay unreported, so nothing cascades.
        Err(e) => {
            let error = e.into_compile_error();
            let (attrs, vis, sig) = (&func.attrs, &func.vis, &func.sig);
            quote! {
                #error
                #(#attrs)*
                #[allow(unused_variables)]
                #vis #sig { ::core::unimplemented!() }
            }
            .into()
        }
    }
}

/// Collects the struct literals of one type: `<Family>Features { ... }`.
struct Literals<'a> {
    ty: &'a Ident,
    found: Vec<&'a syn::ExprStruct>,
}

impl<'ast: 'a, 'a> Visit<'ast> for Literals<'a> {
    fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
        if e.path.segments.last().is_some_and(|s| &s.ident == self.ty) {
            self.found.push(e);
        }
        syn::visit::visit_expr_struct(self, e);
    }
}

/// Whether a type mentions an identifier, e.g. `Result<XFeatures, Error>` mentions `XFeatures`.
struct Mentions<'a> {
    ident: &'a Ident,
    found: bool,
}

impl<'ast> Visit<'ast> for Mentions<'_> {
    fn visit_ident(&mut self, i: &'ast Ident) {
        self.found |= i == self.ident;
    }
}

fn expand_perf_model(args: &PerfModelArgs, func: &ItemFn) -> syn::Result<TokenStream2> {
    let specs = specs()?;
    let name = args.family.value();
    let spec_file = format!("model_specs/families/{name}.toml");
    let Some(family) = specs.family(&name) else {
        return Err(syn::Error::new(
            args.family.span(),
            format!(
                "no formula family `{name}`: there is no {spec_file}; families: {}",
                list(specs.families.iter().map(|f| f.name.as_str()))
            ),
        ));
    };
    let features = format_ident!("{}Features", type_name(&name));
    let sig = &func.sig;
    let returns_features = match &sig.output {
        syn::ReturnType::Type(_, ty) => {
            let mut mention = Mentions {
                ident: &features,
                found: false,
            };
            mention.visit_type(ty);
            mention.found
        }
        syn::ReturnType::Default => false,
    };
    let ctx = format_ident!("Ctx");
    let takes_ctx = match sig.inputs.first() {
        Some(syn::FnArg::Typed(arg)) if sig.inputs.len() == 1 => {
            let mut mention = Mentions {
                ident: &ctx,
                found: false,
            };
            mention.visit_type(&arg.ty);
            matches!(&*arg.ty, syn::Type::Reference(_)) && mention.found
        }
        _ => false,
    };
    // `const fn`, so that a query of constants is evaluated when the code is built.
    if sig.constness.is_none() || !takes_ctx || !returns_features {
        return Err(syn::Error::new_spanned(
            sig,
            format!(
                "a `{name}` formula is a `const fn` that takes `(cx: &Ctx<'_>)` and returns `Result<{features}, Error>` ({spec_file})"
            ),
        ));
    }
    let mut literals = Literals {
        ty: &features,
        found: Vec::new(),
    };
    literals.visit_block(&func.block);
    if literals.found.is_empty() {
        return Err(syn::Error::new(
            args.family.span(),
            format!(
                "this formula never builds its `{features} {{ .. }}`: return one feature per parameter of {spec_file}"
            ),
        ));
    }
    let declared: BTreeSet<&str> = family.params.iter().map(|p| p.name.as_str()).collect();
    for literal in &literals.found {
        let mut given = BTreeSet::new();
        for field in &literal.fields {
            let Member::Named(ident) = &field.member else {
                return Err(syn::Error::new_spanned(&field.member, "name each feature"));
            };
            if !declared.contains(ident.to_string().as_str()) {
                return Err(syn::Error::new(
                    ident.span(),
                    format!(
                        "family `{name}` has no parameter `{ident}` ({spec_file}); its parameters: {}",
                        list(declared.iter().copied())
                    ),
                ));
            }
            given.insert(ident.to_string());
        }
        let missing: Vec<String> = declared
            .iter()
            .filter(|d| !given.contains(**d))
            .map(|d| format!("`{d}`"))
            .collect();
        if !missing.is_empty() || literal.rest.is_some() {
            return Err(syn::Error::new_spanned(
                &literal.path,
                format!(
                    "give the feature of {} of family `{name}` ({spec_file}) here, or remove it from the spec",
                    if missing.is_empty() {
                        "every parameter".to_string()
                    } else {
                        missing.join(", ")
                    }
                ),
            ));
        }
    }
    Ok(quote! { #func })
}
