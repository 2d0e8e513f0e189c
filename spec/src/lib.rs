//! Schema and validation of the `ttnn-op-perf-models` model specs.
//!
//! The spec tree (`model_specs/` of the runtime crate) has four kinds of TOML file:
//!
//! | path | holds |
//! | --- | --- |
//! | `devices/<device>.toml` | hardware figures of one chip generation and its cards |
//! | `ops/<op>.toml` | an op: its ttnn `OP CODE` aliases, op-param schema, operand rules |
//! | `families/<family>.toml` | a formula family: the ops it models and its fitted coefficients |
//! | `<device>/<op>.toml` | the model versions of one op on one device: family, coefficient values, measured accuracy |
//!
//! [`load_dir`] reads the tree, checks every cross reference and range, and returns a
//! [`SpecSet`] of plain validated values, or every problem found, each naming the file, the line,
//! the key and the fix. A `SpecSet` holds references already resolved (a version's family is an
//! index into [`SpecSet::families`], a device's default card an index into its cards, an enum
//! param's default an index into its values), so what reads it looks nothing up by name again.
//! [`SpecSet::keep_devices`] applies the build's device filter ([`DEVICE_FILTER`]).
//!
//! The stages, like chrono-tz's parse / build / runtime split:
//!
//! | stage | where | what |
//! | --- | --- | --- |
//! | parse | [`schema`] | the files as written (serde, unknown keys rejected) |
//! | validate | `validate/` (one file per kind of spec file) | [`load_dir`] -> [`SpecSet`] |
//! | generate | `codegen/` (feature `codegen`) | `codegen::generate`: `SpecSet` -> the runtime crate's `$OUT_DIR/*.rs` |
//!
//! The runtime crate's `build.rs` runs the three; the CLI reads the same `SpecSet`, so there is
//! one definition of what a valid spec is.
//!
//! ```
//! let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../model_specs");
//! let specs = ttnn_op_perf_spec::load_dir(&root).expect("the shipped specs are valid");
//! assert!(specs.devices.iter().any(|d| d.name == "wormhole_b0"));
//! ```

#[cfg(feature = "codegen")]
pub mod codegen;
mod error;
mod filter;
pub mod schema;
mod shared;
mod validate;
#[cfg(feature = "write")]
pub mod write;

pub use error::{SpecError, SpecErrors};
pub use filter::{DEVICE_FILTER, DeviceFilterError};
pub use schema::Term;
pub use shared::{DTYPE, MATH_FIDELITY, SHARED_ENUMS, SharedEnum, SharedValue, shared_enum};
pub use validate::load_dir;

/// Tensor layouts an op's operand rules may allow.
pub const LAYOUTS: [&str; 2] = ["tile", "row_major"];

/// The family coefficient every formula weighs by one cycle of the device's clock on each
/// query: a fixed cost, in cycles, on top of the device's `launch_overhead_ns`. A family may
/// let it go negative (when another term takes part of the launch), but never below minus
/// the launch overhead, or the smallest ops of the device would cost less than nothing: the
/// validator rejects such a version and `ttperf fit` never fits one.
pub const FIXED_COST_COEFFICIENT: &str = "overhead_cycles";

/// A validated spec tree. Every list is sorted by name so generated code is deterministic.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecSet {
    pub devices: Vec<Device>,
    pub ops: Vec<Op>,
    pub families: Vec<Family>,
    /// One entry per `<device>/<op>.toml`, sorted by (device, op).
    pub models: Vec<Model>,
    /// Every file read, for `cargo:rerun-if-changed`.
    pub files: Vec<std::path::PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub name: String,
    pub aliases: Vec<String>,
    pub clock_mhz: f64,
    /// (columns, rows)
    pub full_grid: (u32, u32),
    pub l1_bytes_per_core: u64,
    /// Bytes at the bottom of L1 reserved for firmware and the kernel config buffer.
    pub l1_reserved_bytes: u64,
    pub launch_overhead_ns: f64,
    pub noc_link_bytes_per_cycle: f64,
    pub noc_sustained_bytes_per_cycle: f64,
    /// Cycles of a waited-for small read of another core's L1.
    pub noc_core_read_latency_cycles: f64,
    /// Cycles per 2-byte store of a contiguous run a data-movement RISC-V writes to L1.
    pub riscv_l1_store_cycles: f64,
    /// Cycles from a data-movement RISC-V's load of its core's L1 to the loaded value.
    pub riscv_l1_load_cycles: f64,
    /// Cycles a data-movement RISC-V spends computing the address of one page of an
    /// ND-sharded buffer (`TensorAccessor::get_noc_addr`).
    pub nd_page_address_cycles: f64,
    /// Cycles the slow untilize (the unpacker's, `untilize.cpp`) takes a tile.
    pub unpack_untilize_tile_cycles: f64,
    /// Bytes a NoC read of a DRAM buffer aligns to.
    pub dram_alignment_bytes: u32,
    /// Bytes a NoC read of an L1 buffer aligns to.
    pub l1_alignment_bytes: u32,
    /// Whether the interleaved-to-sharded reader waits for every row-major stick.
    pub staged_row_major_shard_reads: bool,
    /// (transfer bytes, achieved bytes per cycle), ascending in bytes.
    pub noc_small_transfer: Vec<(u64, f64)>,
    /// Cycles of a waited-for small DRAM read by one core.
    pub dram_read_latency_cycles: f64,
    /// Bytes per cycle one core sustains reading tile-sized DRAM pages.
    pub dram_core_bytes_per_cycle: f64,
    /// Cycles of the unpacker's tilize of 4 rows 8 tiles wide.
    pub unpack_tilize_rows_cycles: f64,
    /// Bytes one packer interface writes per cycle.
    pub packer_bytes_per_cycle: f64,
    /// Cycles one core spends issuing each of back-to-back small DRAM reads.
    pub dram_read_issue_cycles: f64,
    /// Cycles one core spends issuing each of back-to-back small DRAM writes.
    pub dram_write_issue_cycles: f64,
    /// Cycles between the read requests one DRAM bank's NoC endpoint accepts on one NoC.
    pub dram_endpoint_read_cycles: f64,
    /// Cycles one core spends issuing each of back-to-back small writes to another core's L1.
    pub noc_write_issue_cycles: f64,
    /// Cycles of one small write to another core's L1 and its acknowledgement.
    pub noc_write_round_trip_cycles: f64,
    /// Chip-to-chip Ethernet, when the device has it.
    pub ethernet: Option<Ethernet>,
    /// Ideal cycles per 32x32x32 tile product, one per [`MATH_FIDELITY`] value in its order.
    pub tile_cycles: Vec<u32>,
    pub rows_per_pass: u32,
    /// Bytes per 32x32 tile, one per [`DTYPE`] value in its order.
    pub tile_bytes: Vec<u32>,
    /// Sorted by name.
    pub cards: Vec<Card>,
    /// Index into [`Self::cards`] of the one card marked `default = true`.
    pub default_card: usize,
}

/// One chip-to-chip Ethernet link's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ethernet {
    /// Nominal line rate, each direction, Gb/s.
    pub link_gbps: f64,
    /// Payload GB/s one link carries each direction through tt-metal's fabric.
    pub fabric_gb_s: f64,
    /// One hop's latency, ns.
    pub hop_latency_ns: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub name: String,
    pub compute_grid: (u32, u32),
    pub dram_channels: u32,
    pub dram_peak_gb_s: f64,
    pub dram_achievable_fraction: f64,
    pub dram_bank_reader_fraction: f64,
    pub dram_write_fraction: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub name: String,
    pub summary: String,
    pub op_codes: Vec<String>,
    pub min_inputs: u32,
    pub max_inputs: u32,
    pub output_required: bool,
    pub min_rank: u32,
    /// Subset of [`LAYOUTS`].
    pub layouts: Vec<String>,
    /// Sorted by key.
    pub params: Vec<OpParam>,
    /// A query of the op that every model of it answers.
    pub example: Example,
}

/// An op's example query: tensors in `ttperf predict`'s compact syntax, params checked
/// against the op's schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub inputs: Vec<String>,
    pub output: Option<String>,
    /// (key, value) sorted by key; each value of its param's type.
    pub params: Vec<(String, ExampleValue)>,
}

/// A param value of an [`Example`].
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleValue {
    Int(i64),
    Float(f64),
    Bool(bool),
    Enum(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpParam {
    pub key: String,
    pub summary: String,
    /// The type, its bounds or values, and its default of that type.
    pub kind: OpParamKind,
    /// Where a profiler row holds the param: the first source that gives a value; none, the
    /// default applies.
    pub trace: Vec<TraceSource>,
    /// The shared enum of a param typed by one (`type = "math_fidelity"`): its kind is then
    /// `Enum` with the shared enum's spellings as values, and its typed field the runtime enum.
    pub shared: Option<&'static SharedEnum>,
}

/// One place a tt-metal profiler row may hold an op param's value.
#[derive(Debug, Clone, PartialEq)]
pub enum TraceSource {
    /// ATTRIBUTES entry `path[0]`, then argument `path[1]` of it, and so on; with `find`, then
    /// the first value nested in it (depth first) with an argument `find`, and that argument.
    Attribute {
        path: Vec<String>,
        find: Option<String>,
        read: TraceRead,
    },
    /// A cell of the row, lowercased; empty gives nothing. An enum param.
    Column(String),
    /// `value` (an enum param's) for the rows whose OP CODE starts with `prefix`.
    OpCodePrefix { prefix: String, value: String },
    /// A bool param: `true` unless the trace shows it ran tt-metal from `date` (`yyyymmdd`)
    /// on, `false` when it does.
    RanBefore { date: u32 },
}

/// How an ATTRIBUTES value reads as the param's value; each matches the param's type.
#[derive(Debug, Clone, PartialEq)]
pub enum TraceRead {
    /// An integer within the int param's range (`min ..= max`); another gives nothing.
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    /// An enum path's variant, lowercased.
    Variant,
    /// Whether the entry holds a value (not `std::nullopt`, not empty).
    Given,
    /// A call's name or a bare value's text mapped to one of the enum param's values:
    /// (name, value), sorted by name; a name not listed gives nothing.
    Map(Vec<(String, String)>),
}

impl OpParam {
    /// Whether a query must pass the param: it has no default.
    pub fn required(&self) -> bool {
        match &self.kind {
            OpParamKind::Int { default, .. } => default.is_none(),
            OpParamKind::Float { default, .. } => default.is_none(),
            OpParamKind::Bool { default } => default.is_none(),
            OpParamKind::Enum { default, .. } => default.is_none(),
        }
    }
}

/// An op param's type with its bounds and its default (`None`: the caller must pass it). The
/// default is of the param's type, within its bounds; an enum's is an index into its values.
#[derive(Debug, Clone, PartialEq)]
pub enum OpParamKind {
    Int {
        min: i64,
        max: i64,
        default: Option<i64>,
    },
    Float {
        min: f64,
        max: f64,
        default: Option<f64>,
    },
    Bool {
        default: Option<bool>,
    },
    Enum {
        /// Unique snake_case names, in the spec's order.
        values: Vec<String>,
        /// Index into `values`.
        default: Option<usize>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    pub name: String,
    pub summary: String,
    pub ops: Vec<String>,
    /// The fitted coefficients, sorted by name.
    pub coefficients: Vec<Coefficient>,
}

/// One fitted coefficient of a family: the number a version gives it multiplies the feature of
/// the same name, and the product adds to `term`.
#[derive(Debug, Clone, PartialEq)]
pub struct Coefficient {
    pub name: String,
    pub summary: String,
    pub term: Term,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub device: String,
    pub op: String,
    /// Ascending by number; the last is the latest.
    pub versions: Vec<Version>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub number: u32,
    /// Index into [`SpecSet::families`] (see [`SpecSet::family_of`]).
    pub family: usize,
    pub summary: String,
    /// Coefficient values in the family's coefficient order.
    pub coefficients: Vec<f64>,
    pub accuracy: Option<Accuracy>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Accuracy {
    pub median_ape: f64,
    pub p90_ape: f64,
    pub rows: u32,
    pub source: String,
    /// (file name, rows fitted) of each data file.
    pub fitted_on: Vec<(String, u32)>,
}

/// The Rust type name of a snake_case spec name: `wormhole_b0` -> `WormholeB0`.
pub fn type_name(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

impl SpecSet {
    pub fn family(&self, name: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.name == name)
    }

    /// The family of a version of this set (validation resolved the index).
    pub fn family_of(&self, v: &Version) -> &Family {
        &self.families[v.family]
    }
}

impl Device {
    /// The card marked `default = true` (validation resolved the index).
    pub fn default_card(&self) -> &Card {
        &self.cards[self.default_card]
    }
}
