//! The Wormhole height-sharded matmul sweep (`sweeps/wh_matmul_height_sharded_sweep.csv`).

use super::sweep::{Cell, dim, duration, sweep_row};
use ttnn_op_perf_models::trace::TraceRow;
use ttnn_op_perf_models::{
    BufferType, CoreGrid, CoreRange, DType, Device, Hardware, MemoryConfig, MemoryLayout,
    OwnedParamValue, ShardOrientation, ShardSpec, TensorParams,
};

/// A bfloat16 `[m, k] @ [k, n]` with `a` and the output height-sharded in L1 over
/// `num_cores` (whole tile rows per core, as ttnn requires) and `b` interleaved in DRAM, with
/// the program config ttnn generates for it (`auto`): the sweep's durations jump where ttnn's
/// generated 1D config shrinks its output block to fit L1, which an explicit config does not.
/// Its ttnn's L1 check did not count `a`'s shard rows (`l1_estimate = no_shard_rows`): with
/// the shard at the top of each bank, its per-core 10 x 27-tile shards run 5-row output
/// blocks, which today's check (the shard rows too) would shrink to 2, and its 20 x 27 ones
/// 1-row blocks (about 5.7 us a row, where 10 x 27 take 2.7).
/// At HiFi2, the fidelity ttnn gives a matmul called without a program config, core grid or
/// compute kernel config whose inputs are not both block-float (`create_matmul_attributes`,
/// `ttnn/cpp/ttnn/operations/matmul/device/matmul_device_operation.cpp`); read as HiFi4, the
/// sweep ran faster than the matrix engine's published cycles allow.
pub(super) fn matmul_row(cell: &Cell<'_>) -> Result<TraceRow, String> {
    let (m, k, n) = (
        dim(cell, "m_size")?,
        dim(cell, "k_size")?,
        dim(cell, "n_size")?,
    );
    let cores = dim(cell, "num_cores")?;
    let full = Hardware::of(Device::WormholeB0.default_card()).compute_grid;
    let grid = CoreGrid::most_square(cores, full)
        .ok_or_else(|| format!("{cores} cores do not fit a {full} grid"))?;
    let shard_rows = m.div_ceil(32).div_ceil(cores.max(1)) * 32;
    let sharded = |cols: u32| {
        MemoryConfig::sharded(
            BufferType::L1,
            MemoryLayout::HeightSharded,
            ShardSpec::new(
                CoreRange::of_grid(grid),
                [shard_rows, cols],
                ShardOrientation::RowMajor,
            ),
        )
    };
    let mut row = sweep_row(
        "matmul",
        vec![
            ("program_config", OwnedParamValue::Enum("auto".into())),
            ("math_fidelity", OwnedParamValue::Enum("hifi2".into())),
            ("l1_estimate", OwnedParamValue::Enum("no_shard_rows".into())),
        ],
    );
    row.inputs = vec![
        TensorParams::tiled(&[m, k], DType::Bfloat16, sharded(k)),
        TensorParams::tiled(&[k, n], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED),
    ];
    row.output = Some(TensorParams::tiled(&[m, n], DType::Bfloat16, sharded(n)));
    row.grid = Some(grid);
    row.measured_ns = Some(duration(cell, "duration")?);
    Ok(row)
}
