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
    pub noc: NocFile,
    pub matrix_engine: MatrixEngineFile,
    /// Bytes of one 32x32 tile per data type.
    pub tile_bytes: TileBytesFile,
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
    /// Achieved bytes per cycle by transfer size, ascending; larger transfers use the last point.
    pub small_transfer: Spanned<Vec<TransferPoint>>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferPoint {
    pub bytes: u64,
    pub bytes_per_cycle: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixEngineFile {
    /// Ideal cycles for one 32x32x32 tile product per math fidelity.
    pub tile_cycles: FidelityCycles,
    /// Rows the engine processes per pass: shorter tiles still cost a full pass.
    pub rows_per_pass: Spanned<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FidelityCycles {
    pub lofi: Spanned<u32>,
    pub hifi2: Spanned<u32>,
    pub hifi3: Spanned<u32>,
    pub hifi4: Spanned<u32>,
}

/// Tile bytes per data type; every data type the library knows must be listed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TileBytesFile {
    pub bfloat16: Spanned<u32>,
    pub float32: Spanned<u32>,
    pub bfloat8_b: Spanned<u32>,
    pub bfloat4_b: Spanned<u32>,
    pub uint8: Spanned<u32>,
    pub uint16: Spanned<u32>,
    pub uint32: Spanned<u32>,
    pub int32: Spanned<u32>,
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
    /// Allowed values of an `enum` param.
    #[serde(default)]
    pub values: Vec<String>,
    /// Inclusive bounds of an `int` or `float` param.
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub default: Option<toml::Value>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ParamType {
    Int,
    Float,
    Bool,
    Enum,
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
