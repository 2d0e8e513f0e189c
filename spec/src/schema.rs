//! The four kinds of spec file, as they are written in TOML.
//!
//! Every struct denies unknown fields, so a misspelled key or table is an error with its line,
//! never silently ignored. Names that must match other files are [`Spanned`] so the validator
//! can point at their line.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// `model_specs/devices/<device>.toml`: one chip generation and its cards.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceFile {
    /// Canonical snake_case name, equal to the file stem (`wormhole_b0`).
    pub name: Spanned<String>,
    /// Other spellings callers and traces use (`DEVICE ARCH` values, short names).
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// AI clock in MHz.
    pub clock_mhz: Spanned<f64>,
    /// Worker (Tensix) grid of the full chip, before harvesting and dispatch cores.
    pub full_grid: Spanned<Grid>,
    /// L1 SRAM per Tensix core, bytes.
    pub l1_bytes_per_core: Spanned<u64>,
    /// Bytes at the bottom of L1 that firmware and the kernel config buffer reserve; circular
    /// buffers start above them (tt-metal's L1 allocator base).
    pub l1_reserved_bytes: Spanned<u64>,
    /// Fixed device-side cost of one op launch (kernel start, runtime args, teardown), ns.
    pub launch_overhead_ns: Spanned<f64>,
    /// Cycles per 2-byte store a data-movement RISC-V sustains writing a contiguous run of
    /// its core's L1 (a kernel building a tile element by element).
    pub riscv_l1_store_cycles: Spanned<f64>,
    /// Cycles from a data-movement RISC-V's load of its core's L1 to the loaded value (a
    /// kernel copying or scattering elements one at a time waits for each).
    pub riscv_l1_load_cycles: Spanned<f64>,
    /// Cycles a data-movement RISC-V spends computing the address of one page of an
    /// ND-sharded buffer (`TensorAccessor::get_noc_addr`: bank and offset from the page's
    /// coordinates, divisions on the RISC-V).
    pub nd_page_address_cycles: Spanned<f64>,
    /// Cycles the slow untilize takes a tile (`untilize.cpp`: the unpacker untilizes, a
    /// face row at a time), where `pack_untilize` cannot run.
    pub unpack_untilize_tile_cycles: Spanned<f64>,
    pub noc: NocFile,
    pub dram_access: DramAccessFile,
    /// Chip-to-chip Ethernet links; absent on a device without them (Grayskull).
    #[serde(default)]
    pub ethernet: Option<EthernetFile>,
    pub matrix_engine: MatrixEngineFile,
    pub unpacker: UnpackerFile,
    pub packer: PackerFile,
    /// Bytes of one 32x32 tile per data type, keyed by its spelling ([`crate::DTYPE`]); every
    /// data type must be listed.
    pub tile_bytes: Spanned<BTreeMap<String, Spanned<u32>>>,
    /// Board variants; exactly one is the default.
    pub cards: Vec<Spanned<CardFile>>,
}

/// A core grid, `{ x = columns, y = rows }`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    pub x: u32,
    pub y: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NocFile {
    /// Nominal bytes per cycle of one NoC link.
    pub link_bytes_per_cycle: Spanned<f64>,
    /// Sustained bytes per cycle for large transfers.
    pub sustained_bytes_per_cycle: Spanned<f64>,
    /// Cycles from issuing a small read (one packet) of another core's L1 to its data in
    /// this core's L1, when the kernel waits for it before the next.
    pub core_read_latency_cycles: Spanned<f64>,
    /// Achieved bytes per cycle by transfer size, ascending; larger transfers use the last point.
    pub small_transfer: Spanned<Vec<TransferPoint>>,
    /// Cycles between one core's back-to-back writes of small pages (up to 512 B) to another
    /// core's L1, many in flight: what issuing one NoC command costs the data-movement core.
    pub write_issue_cycles: Spanned<f64>,
    /// Cycles from issuing one small write to another core's L1 to its acknowledgement: what a
    /// `noc_async_write_barrier` after one transfer waits.
    pub write_round_trip_cycles: Spanned<f64>,
    /// Bytes a NoC read of a DRAM buffer aligns to (`NOC_DRAM_READ_ALIGNMENT_BYTES`).
    pub dram_alignment_bytes: Spanned<u32>,
    /// Bytes a NoC read of an L1 buffer aligns to (`NOC_L1_READ_ALIGNMENT_BYTES`).
    pub l1_alignment_bytes: Spanned<u32>,
    /// Whether tt-metal's interleaved-to-sharded reader stages every row-major stick in a
    /// scratch buffer and waits for it on this device, aligned or not.
    pub staged_row_major_shard_reads: Spanned<bool>,
}

/// One core's accesses to DRAM-interleaved pages, as tt-metal's data-movement tests measure
/// them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DramAccessFile {
    /// Cycles from issuing a small read (64 B) of a DRAM page to its data in L1, when the
    /// kernel waits for it before the next (`noc_async_read_barrier`).
    pub read_latency_cycles: Spanned<f64>,
    /// Bytes per cycle one core sustains reading DRAM pages of a tile's size, however many it
    /// has in flight.
    pub core_bytes_per_cycle: Spanned<f64>,
    /// Cycles between one core's back-to-back reads of small DRAM pages (64 to 512 B), many
    /// in flight: what issuing one DRAM read costs the data-movement core.
    pub read_issue_cycles: Spanned<f64>,
    /// Cycles between one core's back-to-back writes of small DRAM pages (128 to 512 B), many
    /// in flight.
    pub write_issue_cycles: Spanned<f64>,
    /// Cycles between the read requests one DRAM bank's NoC endpoint accepts on one NoC,
    /// whatever their size and however many cores issue them.
    pub endpoint_read_cycles: Spanned<f64>,
}

/// One chip-to-chip Ethernet link, as the collectives (all-gather, reduce-scatter) use it
/// through tt-metal's fabric.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EthernetFile {
    /// Nominal line rate of one link, each direction, Gb/s.
    pub link_gbps: Spanned<f64>,
    /// Payload bytes per second one link carries each direction through tt-metal's fabric
    /// (its EDM bandwidth test), GB/s.
    pub fabric_gb_s: Spanned<f64>,
    /// Latency of one hop (one chip to the next), ns.
    pub hop_latency_ns: Spanned<f64>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferPoint {
    pub bytes: u64,
    pub bytes_per_cycle: f64,
}

/// The unpacker's tilize of row-major sticks, as tt-metal's kernel developers measured it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnpackerFile {
    /// Cycles of one `unpack_tilizeA_B_block` call on 4 rows 8 tiles wide (the 4 corners of a
    /// bilinear point, a 2x2 pool window).
    pub tilize_rows_call_cycles: Spanned<f64>,
}

/// The packer, which writes tiles from the destination registers into L1.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackerFile {
    /// Bytes one packer interface writes per cycle: what a wider data type costs to pack.
    pub interface_bytes_per_cycle: Spanned<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixEngineFile {
    /// Ideal cycles for one 32x32x32 tile product per math fidelity, keyed by its spelling
    /// ([`crate::MATH_FIDELITY`]); every fidelity must be listed.
    pub tile_cycles: Spanned<BTreeMap<String, Spanned<u32>>>,
    /// Rows the engine processes per pass: shorter tiles still cost a full pass.
    pub rows_per_pass: Spanned<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardFile {
    /// snake_case card name (`n150`).
    pub name: String,
    /// The card a manager built for the bare device uses.
    #[serde(default)]
    pub default: bool,
    /// Compute grid ops use by default on this card (full grid less harvested and dispatch cores).
    pub compute_grid: Grid,
    /// DRAM banks (channels) per chip.
    pub dram_channels: u32,
    /// Peak DRAM bandwidth per chip, GB/s (10^9 bytes per second).
    pub dram_peak_gb_s: f64,
    /// Fraction of the peak that streaming kernels achieve.
    pub dram_achievable_fraction: f64,
    /// Fraction of the peak that readers beside their own banks reach, each streaming its
    /// bank's data in large requests (a DRAM-sharded matmul's workers).
    pub dram_bank_reader_fraction: f64,
    /// Fraction of the achievable bandwidth that many cores' writes of pages reach.
    pub dram_write_fraction: f64,
}

/// `model_specs/ops/<op>.toml`: what an op is, independent of device.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpFile {
    /// Canonical snake_case name, equal to the file stem.
    pub op: Spanned<String>,
    /// One line saying what the op computes.
    pub summary: String,
    /// ttnn `OP CODE` names (profiler traces) that are this op.
    pub op_codes: Vec<Spanned<String>>,
    pub operands: Spanned<OperandsFile>,
    /// The op-param schema, keyed by param name.
    #[serde(default)]
    pub params: BTreeMap<String, Spanned<OpParamFile>>,
    /// A query of the op that every model of it answers (docs and tests use it).
    pub example: Spanned<ExampleFile>,
}

/// `[example]` of an op spec: tensors in the compact syntax of `ttperf predict`
/// (`1x1x1024x1024:bf16:tile:dram`), params by key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleFile {
    pub inputs: Vec<String>,
    pub output: Option<String>,
    #[serde(default)]
    pub params: BTreeMap<String, toml::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperandsFile {
    pub min_inputs: u32,
    pub max_inputs: u32,
    /// Whether the query must describe the output tensor (data-movement ops: it is the target).
    pub output_required: bool,
    /// Lowest rank an input may have (rank is at most 8 everywhere).
    #[serde(default = "one")]
    pub min_rank: u32,
    /// Layouts the inputs may have: `tile`, `row_major`.
    pub layouts: Vec<String>,
}

fn one() -> u32 {
    1
}

/// One op param: its type, what it may be, and its default (no default: required).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpParamFile {
    #[serde(rename = "type")]
    pub kind: ParamType,
    pub summary: String,
    /// Allowed values of an `enum` param (a shared enum's are its own).
    #[serde(default)]
    pub values: Vec<String>,
    /// An `enum` param whose own `values` follow this param's, `param` of the same op or
    /// `op.param` of another: a fused chain's further functions (`values = ["none"]`,
    /// `values_of = "unary_op"`) and a binary op's fused activations
    /// (`values_of = "eltwise_unary.unary_op"`) list every function without repeating them.
    pub values_of: Option<String>,
    /// Inclusive bounds of an `int` or `float` param.
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub default: Option<toml::Value>,
    /// Where a tt-metal profiler row holds the param: the first source that gives a value.
    #[serde(default)]
    pub trace: Vec<Spanned<TraceSourceFile>>,
}

/// One place a profiler row may hold an op param's value: an ATTRIBUTES value
/// (`attribute`, read by `read` or mapped by `map`), a `column`, a fixed `value` for
/// the OP CODEs that start with `op_code_prefix`, or whether the trace ran tt-metal older
/// than a change (`ran_before`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceSourceFile {
    /// An ATTRIBUTES entry, then arguments of it, joined by `.`: `program_config.in0_block_w`;
    /// a number picks a value by position (`sliding_window_config.window_hw.1`), `last` the
    /// last one (`step.0.last`: a `Shape([1; 1; 2])`'s last dim, whatever the rank).
    pub attribute: Option<String>,
    /// With `attribute`: the first value nested in it that has this argument, then that
    /// argument (`op_chain` -> `op_type`).
    pub find: Option<String>,
    /// With `attribute`: how its value reads.
    pub read: Option<TraceReadFile>,
    /// With `attribute`: its name -> the param's value; a call's name without template
    /// arguments (`MatmulMultiCoreProgramConfig`) or a bare value's text (`true`).
    pub map: Option<BTreeMap<String, String>>,
    /// A cell of the row, lowercased: `MATH FIDELITY`.
    pub column: Option<String>,
    /// With `value`: the rows whose OP CODE starts with this.
    pub op_code_prefix: Option<String>,
    pub value: Option<String>,
    /// A bool param that says the earlier kernel ran: `true` unless the trace shows it ran
    /// tt-metal from this date (`YYYY-MM-DD`, the change's merge) on.
    pub ran_before: Option<String>,
}

/// How an ATTRIBUTES value reads as a param's value.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TraceReadFile {
    /// An integer; one outside the param's range gives nothing.
    Int,
    /// `true`/`false` or `1`/`0`.
    Bool,
    /// An enum path's variant, lowercased: `BinaryOpType::ADD` -> `add`.
    Variant,
    /// Whether the entry holds a value: `std::nullopt` (or an empty one) is false, anything
    /// else true. A bool param.
    Given,
}

/// An op param's `type`: `int`, `float`, `bool`, `enum` (with its own `values`), or the
/// name of an enum the specs share with the runtime ([`crate::SHARED_ENUMS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    Int,
    Float,
    Bool,
    Enum,
    /// `type = "math_fidelity"`: one of the shared enum's values.
    Shared(&'static crate::SharedEnum),
}

impl ParamType {
    /// Every accepted `type`, as written.
    pub fn names() -> Vec<&'static str> {
        let shared = crate::SHARED_ENUMS.iter().map(|e| e.name);
        ["int", "float", "bool", "enum"]
            .into_iter()
            .chain(shared)
            .collect()
    }
}

impl<'de> Deserialize<'de> for ParamType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Ok(match name.as_str() {
            "int" => ParamType::Int,
            "float" => ParamType::Float,
            "bool" => ParamType::Bool,
            "enum" => ParamType::Enum,
            _ => ParamType::Shared(crate::shared_enum(&name).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown param type `{name}`; the types: {}",
                    ParamType::names().join(", ")
                ))
            })?),
        })
    }
}

/// `model_specs/families/<family>.toml`: the coefficients a formula family is fitted with.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyFile {
    /// snake_case name, equal to the file stem.
    pub family: Spanned<String>,
    pub summary: String,
    /// Ops this family can model.
    pub ops: Vec<Spanned<String>>,
    /// The fitted coefficients, all real numbers with inclusive bounds (`[coefficients.<name>]`;
    /// formerly `params`).
    pub coefficients: BTreeMap<String, CoefficientFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoefficientFile {
    pub summary: String,
    /// The breakdown term `coefficient * feature` adds to.
    pub term: Term,
    pub min: f64,
    pub max: f64,
}

/// Where a family coefficient's product with its feature goes: the fixed overhead, or one of the
/// three overlapping throughput terms.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    Overhead,
    Compute,
    Dram,
    Noc,
}

/// `model_specs/<device>/<op>.toml`: the model versions of one op on one device.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub device: Spanned<String>,
    pub op: Spanned<String>,
    pub versions: Vec<Spanned<VersionFile>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VersionFile {
    pub version: Spanned<u32>,
    pub family: Spanned<String>,
    pub summary: String,
    /// Values of every coefficient of the family (`coefficients = { ... }`; formerly `params`).
    pub coefficients: Spanned<BTreeMap<String, Spanned<toml::Value>>>,
    /// Measured error of this version; absent until it is calibrated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<Spanned<AccuracyFile>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccuracyFile {
    /// Median absolute percentage error, as a fraction.
    pub median_ape: f64,
    /// 90th percentile absolute percentage error, as a fraction.
    pub p90_ape: f64,
    /// Measured rows behind the figures.
    pub rows: u32,
    /// Where the figures come from (data files, command).
    pub source: String,
    /// The measured data the coefficients were fitted on.
    #[serde(default)]
    pub fitted_on: Vec<FittedOnFile>,
}

/// One data file a calibrated version was fitted on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FittedOnFile {
    /// File name (without its directory, so the spec does not depend on where data lives).
    pub file: String,
    /// Rows of the file used in the fit (outliers excluded).
    pub rows: u32,
}
