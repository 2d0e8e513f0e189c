//! The v1 formulas against figures worked out by hand from the specs.
//!
//! Figures used (see `model_specs/devices/*.toml` and the v1 versions):
//! - wormhole_b0 n150: 1.0 GHz, 8x8 grid, launch 2200 ns, DRAM 288 GB/s x 0.92 = 264.96 B/ns
//!   read, 0.6 of that written,
//!   NoC 30 B/cycle for 2 KiB transfers, 64 cycles per tile product at HiFi4, 32 at HiFi2.
//! - blackhole p150: 1.35 GHz, 13x10 grid, launch 600 ns, DRAM 512 GB/s x 0.92 = 471.04 B/ns
//!   read, 0.6 of that written,
//!   NoC 54 B/cycle for 2 KiB transfers, 16 cycles per tile product at LoFi.
//! - bfloat16 tile 2048 B. v1 eltwise: copy 32, transcendental 2048, FPU 64, broadcast 16
//!   cycles per tile, no scalar fill. Every v1 scale is 1.0 and every v1 extra overhead or
//!   per-tile term 0; v1 matmul adds the first K block's NoC time (nothing overlaps it) to the
//!   overhead.
//!
//! Versions are pinned to 1 so calibrated versions added later do not change these figures.

use ttnn_op_perf_models::*;

mod accumulation;
mod argmax;
mod data_movement;
mod eltwise;
mod matmul;
mod sparse_matmul;
mod topk;

const WH_DRAM: f64 = 288.0 * 0.92;
const BH_DRAM: f64 = 512.0 * 0.92;
/// DRAM writes reach 0.6 of the achievable bandwidth (every card's `dram_write_fraction`).
const WH_DRAM_WRITE: f64 = WH_DRAM * 0.6;
const BH_DRAM_WRITE: f64 = BH_DRAM * 0.6;

fn assert_close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: got {got}, want {want}"
    );
}

fn dram(dims: &[u32]) -> TensorParams {
    TensorParams::tiled(dims, DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED)
}

/// A bfloat16 tiled DRAM tensor of `padded` dims holding `logical` ones.
fn dram_padded(padded: &[u32], logical: &[u32]) -> TensorParams {
    TensorParams::new(
        Shape::padded(padded, logical),
        DType::Bfloat16,
        Layout::TILE,
        MemoryConfig::DRAM_INTERLEAVED,
    )
}

/// Version 1 of `op`, which must answer.
fn v1(models: &PerfModels, op: Op, inputs: &[TensorParams], params: &[OpParam<'_>]) -> Estimate {
    models
        .query(&Query::new(op, inputs).params(params).version(1))
        .unwrap()
}

/// Where coefficient `name` of `family` sits among its coefficients (and its features).
fn coefficient_index(family: Family, name: &str) -> usize {
    family
        .coefficients()
        .iter()
        .position(|c| c.name == name)
        .unwrap_or_else(|| panic!("{family} has no coefficient {name}"))
}

/// The feature of `family`'s coefficient `name` for `q`, which must answer.
fn feature_of(models: &PerfModels, q: &Query<'_>, family: Family, name: &str) -> f64 {
    models.features(q, family).unwrap().as_slice()[coefficient_index(family, name)]
}

/// L1 sharded `layout`-wise over the `x` x `y` grid from core (0, 0), shards of `shape`
/// elements (height, width), placed in row-major order.
fn l1_sharded(layout: MemoryLayout, x: u8, y: u8, shape: [u32; 2]) -> MemoryConfig {
    let grid = CoreRange::of_grid(CoreGrid::new(x, y));
    let shard = ShardSpec::new(grid, shape, ShardOrientation::RowMajor);
    MemoryConfig::sharded(BufferType::L1, layout, shard)
}

fn enum_param<'a>(key: &'a str, value: &'a str) -> OpParam<'a> {
    OpParam::new(key, ParamValue::Enum(value))
}
