//! Compiles `model_specs/**.toml` into static tables (`$OUT_DIR/tables.rs`).
//!
//! Data flows one way: TOML -> `ttnn_op_perf_spec::load_dir` (parse + validate) -> Rust source
//! of enums, statics and phf maps -> `include!` in `src/generated.rs`. An invalid spec stops
//! the build with every problem listed as `file:line: key: what to fix`.
//!
//! Formulas are found by their `#[perf_model(family = "...")]` attribute in `src/formulas/`
//! (the attribute's macro checks each formula against its spec); every family needs exactly
//! one, and the generated `ModelParams::cost` routes each family's models to it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use ttnn_op_perf_spec::{OpParamKind, ParamDefault, SpecSet, type_name as camel};

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("model_specs");
    println!("cargo:rerun-if-changed=model_specs");
    println!("cargo:rerun-if-changed=src/formulas");
    println!("cargo:rerun-if-changed=build.rs");
    let specs = match ttnn_op_perf_spec::load_dir(&root) {
        Ok(s) => s,
        Err(errors) => {
            let shown = errors.to_string().replace(&format!("{manifest}/"), "");
            eprintln!("{shown}");
            eprintln!("Fix the spec files above; the build stops until they are valid.");
            std::process::exit(1);
        }
    };
    let formulas = match find_formulas(&Path::new(&manifest).join("src/formulas"), &specs) {
        Ok(f) => f,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            eprintln!("Every formula family needs exactly one #[perf_model] formula.");
            std::process::exit(1);
        }
    };
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("tables.rs");
    std::fs::write(&out, generate(&specs, &formulas)).expect("write $OUT_DIR/tables.rs");
}

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

/// Family -> path of its formula, from the `#[perf_model]` functions of `src/formulas/*.rs`.
fn find_formulas(dir: &Path, specs: &SpecSet) -> Result<BTreeMap<String, String>, Vec<String>> {
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

fn lit(x: f64) -> String {
    format!("{x:?}")
}

fn generate(s: &SpecSet, formulas: &BTreeMap<String, String>) -> String {
    let mut o = String::new();
    o.push_str(
        "// @generated by build.rs from model_specs/**.toml. Do not edit: change the specs.\n\n",
    );
    let cards: Vec<(&str, &ttnn_op_perf_spec::Card)> = s
        .devices
        .iter()
        .flat_map(|d| d.cards.iter().map(move |c| (d.name.as_str(), c)))
        .collect();

    // ---- enums -------------------------------------------------------------------------------
    enum_decl(
        &mut o,
        "Device",
        "A Tenstorrent chip generation that has model specs in this build.",
        s.devices
            .iter()
            .map(|d| (d.name.as_str(), format!("`{}`", d.name))),
    );
    enum_decl(
        &mut o,
        "Card",
        "A board carrying a [`Device`]; cards of one device differ in compute grid and DRAM.",
        cards
            .iter()
            .map(|(d, c)| (c.name.as_str(), format!("`{}`, a `{d}` card", c.name))),
    );
    enum_decl(
        &mut o,
        "Op",
        "A TTNN operation with an op spec in this build.",
        s.ops
            .iter()
            .map(|op| (op.name.as_str(), op.summary.clone())),
    );
    enum_decl(
        &mut o,
        "Family",
        "A formula family: one cost formula in `src/formulas`, parameterized per device and version.",
        s.families
            .iter()
            .map(|f| (f.name.as_str(), f.summary.clone())),
    );

    // Device <-> card relations.
    writeln!(o, "impl Device {{").unwrap();
    writeln!(
        o,
        "    /// The card a manager built for this device alone uses."
    )
    .unwrap();
    writeln!(
        o,
        "    pub const fn default_card(self) -> Card {{ match self {{"
    )
    .unwrap();
    for d in &s.devices {
        let c = d
            .cards
            .iter()
            .find(|c| c.default)
            .expect("validated: one default card");
        writeln!(
            o,
            "        Device::{} => Card::{},",
            camel(&d.name),
            camel(&c.name)
        )
        .unwrap();
    }
    writeln!(o, "    }} }}").unwrap();
    writeln!(o, "    /// Every card of this device.").unwrap();
    writeln!(
        o,
        "    pub const fn cards(self) -> &'static [Card] {{ match self {{"
    )
    .unwrap();
    for d in &s.devices {
        let list: Vec<String> = d
            .cards
            .iter()
            .map(|c| format!("Card::{}", camel(&c.name)))
            .collect();
        writeln!(
            o,
            "        Device::{} => &[{}],",
            camel(&d.name),
            list.join(", ")
        )
        .unwrap();
    }
    writeln!(o, "    }} }}\n}}\n").unwrap();
    writeln!(o, "impl Card {{").unwrap();
    writeln!(o, "    /// The chip generation on this card.").unwrap();
    writeln!(
        o,
        "    pub const fn device(self) -> Device {{ match self {{"
    )
    .unwrap();
    for (d, c) in &cards {
        writeln!(
            o,
            "        Card::{} => Device::{},",
            camel(&c.name),
            camel(d)
        )
        .unwrap();
    }
    writeln!(o, "    }} }}\n}}\n").unwrap();

    // ---- string maps ------------------------------------------------------------------------
    let mut devices = phf_codegen::Map::new();
    for d in &s.devices {
        for n in std::iter::once(&d.name).chain(&d.aliases) {
            devices.entry(n.as_str(), format!("Device::{}", camel(&d.name)));
        }
    }
    writeln!(
        o,
        "/// Device names and aliases (trace `DEVICE ARCH` spellings) -> device.\n\
         pub(crate) static DEVICE_NAMES: phf::Map<&'static str, Device> = {};\n",
        devices.build()
    )
    .unwrap();
    let mut card_names = phf_codegen::Map::new();
    for (_, c) in &cards {
        card_names.entry(c.name.as_str(), format!("Card::{}", camel(&c.name)));
    }
    writeln!(
        o,
        "pub(crate) static CARD_NAMES: phf::Map<&'static str, Card> = {};\n",
        card_names.build()
    )
    .unwrap();
    let mut ops = phf_codegen::Map::new();
    for op in &s.ops {
        for n in std::iter::once(&op.name).chain(&op.op_codes) {
            ops.entry(n.as_str(), format!("Op::{}", camel(&op.name)));
        }
    }
    writeln!(
        o,
        "/// Op names and every ttnn OP CODE alias -> op.\n\
         pub(crate) static OP_NAMES: phf::Map<&'static str, Op> = {};\n",
        ops.build()
    )
    .unwrap();

    // ---- hardware per card --------------------------------------------------------------------
    writeln!(
        o,
        "/// Hardware figures per card, indexed by `Card as usize`."
    )
    .unwrap();
    writeln!(
        o,
        "pub(crate) static HARDWARE: [Hardware; {}] = [",
        cards.len()
    )
    .unwrap();
    for (dname, c) in &cards {
        let d = s
            .devices
            .iter()
            .find(|d| &d.name == dname)
            .expect("card of a device");
        let curve: Vec<String> = d
            .noc_small_transfer
            .iter()
            .map(|(b, bpc)| format!("({b}, {})", lit(*bpc)))
            .collect();
        writeln!(
            o,
            "    Hardware {{ device: Device::{dev}, card: Card::{card}, clock_mhz: {clock}, \
             full_grid: CoreGrid::new({fx}, {fy}), compute_grid: CoreGrid::new({cx}, {cy}), \
             l1_bytes_per_core: {l1}, launch_overhead_ns: {launch}, dram_channels: {ch}, \
             dram_peak_gb_s: {peak}, dram_achievable_fraction: {frac}, \
             noc_link_bytes_per_cycle: {link}, noc_sustained_bytes_per_cycle: {sus}, \
             noc_small_transfer: &[{curve}], tile_cycles: {tc:?}, rows_per_pass: {rpp}, \
             tile_bytes: {tb:?} }},",
            dev = camel(&d.name),
            card = camel(&c.name),
            clock = lit(d.clock_mhz),
            fx = d.full_grid.0,
            fy = d.full_grid.1,
            cx = c.compute_grid.0,
            cy = c.compute_grid.1,
            l1 = d.l1_bytes_per_core,
            launch = lit(d.launch_overhead_ns),
            ch = c.dram_channels,
            peak = lit(c.dram_peak_gb_s),
            frac = lit(c.dram_achievable_fraction),
            link = lit(d.noc_link_bytes_per_cycle),
            sus = lit(d.noc_sustained_bytes_per_cycle),
            curve = curve.join(", "),
            tc = d.tile_cycles,
            rpp = d.rows_per_pass,
            tb = d.tile_bytes,
        )
        .unwrap();
    }
    writeln!(o, "];\n").unwrap();

    // ---- op specs ---------------------------------------------------------------------------
    let max_params = s
        .ops
        .iter()
        .map(|op| op.params.len())
        .max()
        .unwrap_or(0)
        .max(1);
    writeln!(
        o,
        "/// Most op params any op declares: the size of a resolved-params buffer."
    )
    .unwrap();
    writeln!(o, "pub(crate) const MAX_OP_PARAMS: usize = {max_params};\n").unwrap();
    for op in &s.ops {
        let up = op.name.to_uppercase();
        let mut keys = phf_codegen::Map::new();
        for (i, p) in op.params.iter().enumerate() {
            keys.entry(p.key.as_str(), i.to_string());
        }
        writeln!(
            o,
            "static {up}_PARAM_KEYS: phf::Map<&'static str, u8> = {};",
            keys.build()
        )
        .unwrap();
        writeln!(
            o,
            "static {up}_PARAMS: [ParamSpec; {}] = [",
            op.params.len()
        )
        .unwrap();
        for p in &op.params {
            let kind = match &p.kind {
                OpParamKind::Int { min, max } => {
                    format!("ParamKind::Int {{ min: {min}, max: {max} }}")
                }
                OpParamKind::Float { min, max } => {
                    format!(
                        "ParamKind::Float {{ min: {}, max: {} }}",
                        lit(*min),
                        lit(*max)
                    )
                }
                OpParamKind::Bool => "ParamKind::Bool".into(),
                OpParamKind::Enum { values } => {
                    format!("ParamKind::Enum {{ values: &{values:?} }}")
                }
            };
            let default = match (&p.default, &p.kind) {
                (None, _) => "None".into(),
                (Some(ParamDefault::Int(i)), _) => format!("Some(ParamValue::Int({i}))"),
                (Some(ParamDefault::Float(x)), _) => {
                    format!("Some(ParamValue::Float({}))", lit(*x))
                }
                (Some(ParamDefault::Bool(b)), _) => format!("Some(ParamValue::Bool({b}))"),
                (Some(ParamDefault::Enum(i)), OpParamKind::Enum { values }) => {
                    format!("Some(ParamValue::Enum({:?}))", values[*i])
                }
                (Some(ParamDefault::Enum(_)), _) => {
                    unreachable!("validated: enum default on enum param")
                }
            };
            writeln!(
                o,
                "    ParamSpec {{ key: {:?}, summary: {:?}, kind: {kind}, default: {default} }},",
                p.key, p.summary
            )
            .unwrap();
        }
        writeln!(o, "];").unwrap();
    }
    writeln!(o, "\n/// Op specs, indexed by `Op as usize`.").unwrap();
    writeln!(
        o,
        "pub(crate) static OP_SPECS: [OpSpec; {}] = [",
        s.ops.len()
    )
    .unwrap();
    for op in &s.ops {
        let up = op.name.to_uppercase();
        writeln!(
            o,
            "    OpSpec {{ op: Op::{}, summary: {:?}, op_codes: &{:?}, operands: OperandRules {{ \
             min_inputs: {}, max_inputs: {}, output_required: {}, min_rank: {}, tile: {}, \
             row_major: {} }}, params: &{up}_PARAMS, param_keys: &{up}_PARAM_KEYS }},",
            camel(&op.name),
            op.summary,
            op.op_codes,
            op.min_inputs,
            op.max_inputs,
            op.output_required,
            op.min_rank,
            op.layouts.iter().any(|l| l == "tile"),
            op.layouts.iter().any(|l| l == "row_major"),
        )
        .unwrap();
    }
    writeln!(o, "];\n").unwrap();

    // Typed handles of each op's params, so formulas never look a key up by string.
    writeln!(
        o,
        "/// Typed handles of each op's params (index into the op's schema)."
    )
    .unwrap();
    writeln!(o, "#[allow(dead_code)]\npub(crate) mod op_params {{").unwrap();
    for op in &s.ops {
        writeln!(o, "    pub(crate) mod {} {{", op.name).unwrap();
        for (i, p) in op.params.iter().enumerate() {
            let ty = match p.kind {
                OpParamKind::Int { .. } => "crate::params::IntParam",
                OpParamKind::Float { .. } => "crate::params::FloatParam",
                OpParamKind::Bool => "crate::params::BoolParam",
                OpParamKind::Enum { .. } => "crate::params::EnumParam",
            };
            writeln!(
                o,
                "        /// `{}`: {}\n        pub(crate) const {}: {ty} = {ty}({i});",
                p.key,
                p.summary,
                p.key.to_uppercase()
            )
            .unwrap();
        }
        writeln!(o, "    }}").unwrap();
    }
    writeln!(o, "}}\n").unwrap();

    // ---- family parameter structs -----------------------------------------------------------
    for f in &s.families {
        writeln!(
            o,
            "/// Parameters of the `{}` family: {}",
            f.name, f.summary
        )
        .unwrap();
        writeln!(o, "#[derive(Debug, Clone, Copy, PartialEq)]").unwrap();
        writeln!(o, "pub struct {}Params {{", camel(&f.name)).unwrap();
        for p in &f.params {
            writeln!(
                o,
                "    /// {} (spec range {} ..= {})",
                p.summary,
                lit(p.min),
                lit(p.max)
            )
            .unwrap();
            writeln!(o, "    pub {}: f64,", p.name).unwrap();
        }
        writeln!(o, "}}\n").unwrap();
    }
    writeln!(
        o,
        "/// The parameters of one model version: its family and that family's values."
    )
    .unwrap();
    writeln!(
        o,
        "#[derive(Debug, Clone, Copy, PartialEq)]\npub enum ModelParams {{"
    )
    .unwrap();
    for f in &s.families {
        writeln!(o, "    {0}({0}Params),", camel(&f.name)).unwrap();
    }
    writeln!(o, "}}\n").unwrap();
    writeln!(
        o,
        "impl ModelParams {{\n    /// The formula family these parameters belong to."
    )
    .unwrap();
    writeln!(
        o,
        "    pub const fn family(&self) -> Family {{ match self {{"
    )
    .unwrap();
    for f in &s.families {
        writeln!(
            o,
            "        ModelParams::{0}(_) => Family::{0},",
            camel(&f.name)
        )
        .unwrap();
    }
    writeln!(o, "    }} }}").unwrap();
    writeln!(
        o,
        "    /// Runs the family's formula (the function with its `#[perf_model]` attribute).\n    \
         pub fn cost(&self, cx: &crate::model::Ctx<'_>) -> Result<crate::estimate::Breakdown, crate::error::Error> {{ match self {{"
    )
    .unwrap();
    for f in &s.families {
        writeln!(
            o,
            "        ModelParams::{}(p) => {}(p, cx),",
            camel(&f.name),
            formulas[&f.name]
        )
        .unwrap();
    }
    writeln!(o, "    }} }}\n}}\n").unwrap();

    // ---- model versions ---------------------------------------------------------------------
    for m in &s.models {
        writeln!(
            o,
            "static MODELS_{}_{}: [ModelVersion; {}] = [",
            m.device.to_uppercase(),
            m.op.to_uppercase(),
            m.versions.len()
        )
        .unwrap();
        for v in &m.versions {
            let fam = s.family(&v.family).expect("validated family");
            let fields: Vec<String> = fam
                .params
                .iter()
                .zip(&v.params)
                .map(|(p, x)| format!("{}: {}", p.name, lit(*x)))
                .collect();
            let accuracy = match &v.accuracy {
                None => "Accuracy::Uncalibrated".to_string(),
                Some(a) => format!(
                    "Accuracy::Measured {{ median_ape: {}, p90_ape: {}, rows: {} }}",
                    lit(a.median_ape),
                    lit(a.p90_ape),
                    a.rows
                ),
            };
            writeln!(
                o,
                "    ModelVersion {{ device: Device::{dev}, op: Op::{op}, version: {ver}, summary: {sum:?}, \
                 params: ModelParams::{fam}({fam}Params {{ {fields} }}), accuracy: {accuracy} }},",
                dev = camel(&m.device),
                op = camel(&m.op),
                ver = v.number,
                sum = v.summary,
                fam = camel(&v.family),
                fields = fields.join(", "),
            )
            .unwrap();
        }
        writeln!(o, "];").unwrap();
    }
    writeln!(
        o,
        "\n/// Versions per (device, op), ascending; the last is the latest. Indexed by \
         `[Device as usize][Op as usize]`."
    )
    .unwrap();
    writeln!(
        o,
        "pub(crate) static MODELS: [[&[ModelVersion]; {}]; {}] = [",
        s.ops.len(),
        s.devices.len()
    )
    .unwrap();
    for d in &s.devices {
        let row: Vec<String> = s
            .ops
            .iter()
            .map(|op| {
                if s.models
                    .iter()
                    .any(|m| m.device == d.name && m.op == op.name)
                {
                    format!(
                        "&MODELS_{}_{}",
                        d.name.to_uppercase(),
                        op.name.to_uppercase()
                    )
                } else {
                    "&[]".into()
                }
            })
            .collect();
        writeln!(o, "    [{}],", row.join(", ")).unwrap();
    }
    writeln!(o, "];").unwrap();
    o
}

/// Emits a fieldless enum with `ALL`, `COUNT`, `name()` and `index()`.
fn enum_decl<'a>(
    o: &mut String,
    ty: &str,
    doc: &str,
    variants: impl Iterator<Item = (&'a str, String)>,
) {
    let variants: Vec<(&str, String)> = variants.collect();
    writeln!(o, "/// {doc}").unwrap();
    writeln!(
        o,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]"
    )
    .unwrap();
    writeln!(o, "pub enum {ty} {{").unwrap();
    for (name, doc) in &variants {
        writeln!(o, "    /// {doc}\n    {},", camel(name)).unwrap();
    }
    writeln!(o, "}}\n").unwrap();
    writeln!(o, "impl {ty} {{").unwrap();
    writeln!(
        o,
        "    /// Number of variants.\n    pub const COUNT: usize = {};",
        variants.len()
    )
    .unwrap();
    let all: Vec<String> = variants
        .iter()
        .map(|(n, _)| format!("{ty}::{}", camel(n)))
        .collect();
    writeln!(
        o,
        "    /// Every variant, in declaration order.\n    pub const ALL: [{ty}; {}] = [{}];",
        variants.len(),
        all.join(", ")
    )
    .unwrap();
    writeln!(o, "    /// The spec name (`snake_case`).\n    pub const fn name(self) -> &'static str {{ match self {{").unwrap();
    for (n, _) in &variants {
        writeln!(o, "        {ty}::{} => {n:?},", camel(n)).unwrap();
    }
    writeln!(o, "    }} }}").unwrap();
    writeln!(o, "    /// Position in [`Self::ALL`].\n    pub const fn index(self) -> usize {{ self as usize }}").unwrap();
    writeln!(o, "}}\n").unwrap();
    writeln!(o, "impl core::fmt::Display for {ty} {{\n    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {{ f.write_str(self.name()) }}\n}}\n").unwrap();
}
