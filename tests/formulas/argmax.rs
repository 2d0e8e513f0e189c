//! `argmax_roofline`: the busiest core's waited reads and scalar compares, and DRAM traffic.

use super::*;

fn row_major(dims: &[u32]) -> TensorParams {
    dram(dims).with_layout(Layout::RowMajor)
}

fn dim(d: i64) -> OpParam<'static> {
    OpParam::new("dim", ParamValue::Int(d))
}

#[test]
fn multi_core_last_dim_on_wormhole_by_hand() {
    // 32 rows of 1024 bf16 values in DRAM: Wormhole's 32 B DRAM alignment makes blocks of
    // 16 values, 64 blocks over the 64 cores, one each. Core 0 reads 32 B of each row and
    // waits (383 cycles + 32 B at 21.9 B/cycle), compares its 16 values of each of the 32
    // rows, then the 64 cores' partial results of each row: 32 x 16 + 32 x 64 values at
    // 10 cycles, 1 GHz.
    let models = PerfModels::new(Device::WormholeB0);
    let e = v1(&models, Op::Argmax, &[row_major(&[1, 1, 32, 1024])], &[]);
    let wait = 32.0 * (383.0 + 32.0 / 21.9);
    let compares = (32.0 * 16.0 + 32.0 * 64.0) * 10.0;
    assert_close(e.breakdown.compute_ns, wait + compares, "waits + compares");
    // The input (64 KiB) read and 32 uint32 indices written.
    assert_close(
        e.breakdown.dram_ns,
        32.0 * 1024.0 * 2.0 / WH_DRAM + 32.0 * 4.0 / WH_DRAM_WRITE,
        "input + indices",
    );
    assert_close(e.breakdown.overhead_ns, 2200.0, "launch");
    assert_eq!(e.bound, Bound::Compute);
}

#[test]
fn a_tiled_input_runs_on_one_core() {
    // [64, 64] bf16 tiles reduced along H on Blackhole: one core reads the 4 tiles, waiting
    // for each (479 cycles + 2048 B at 21.3 B/cycle), and compares all 4096 values at 10
    // cycles, 1.35 GHz.
    let models = PerfModels::new(Device::Blackhole);
    let e = v1(&models, Op::Argmax, &[dram(&[1, 1, 64, 64])], &[dim(-2)]);
    let cycles = 4.0 * (479.0 + 2048.0 / 21.3) + 4096.0 * 10.0;
    assert_close(e.breakdown.compute_ns, cycles / 1.35, "one core");
    // 64 indices (one per column) written.
    assert_close(
        e.breakdown.dram_ns,
        4.0 * 2048.0 / BH_DRAM + 64.0 * 4.0 / BH_DRAM_WRITE,
        "input + indices",
    );
}

#[test]
fn earlier_single_core_runs_every_row_on_one_core() {
    // `use_multicore = false`: one core reads each of the 32 rows whole (2048 B) and
    // compares all 32 x 1024 values.
    let models = PerfModels::new(Device::WormholeB0);
    let params = [OpParam::new("use_multicore", ParamValue::Bool(false))];
    let e = v1(
        &models,
        Op::Argmax,
        &[row_major(&[1, 1, 32, 1024])],
        &params,
    );
    let wait = 32.0 * (383.0 + 2048.0 / 21.9);
    assert_close(
        e.breakdown.compute_ns,
        wait + 32.0 * 1024.0 * 10.0,
        "one core",
    );
    // Multi-core is faster on the same rows.
    let multi = v1(&models, Op::Argmax, &[row_major(&[1, 1, 32, 1024])], &[]);
    assert!(multi.duration_ns < e.duration_ns);
}

#[test]
fn a_short_row_uses_fewer_cores_than_the_grid() {
    // 100 values on Blackhole in DRAM: blocks of 32 (64 B alignment), 4 blocks, 4 cores;
    // core 0 holds 32 values of the row and gathers 4 partial results.
    let models = PerfModels::new(Device::Blackhole);
    let e = v1(&models, Op::Argmax, &[row_major(&[1, 1, 1, 100])], &[]);
    let cycles = (479.0 + 64.0 / 21.3) + (32.0 + 4.0) * 10.0;
    assert_close(e.breakdown.compute_ns, cycles / 1.35, "4 cores");
}

#[test]
fn what_the_factories_refuse_is_a_typed_error() {
    let models = PerfModels::new(Device::Blackhole);
    let query = |x: TensorParams, params: &[OpParam<'_>]| {
        models.query(&Query::new(Op::Argmax, &[x]).params(params).version(1))
    };
    for (x, d) in [
        // Row-major: the last dim only.
        (row_major(&[1, 1, 32, 64]), -2),
        // Tiled: H or W only.
        (dram(&[1, 2, 32, 64]), 1),
        // Past the rank.
        (row_major(&[1, 1, 32, 64]), -5),
        (row_major(&[1, 1, 32, 64]), 4),
    ] {
        let err = query(x, &[dim(d)]).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParam { param, problem: ParamProblem::Disagrees { .. }, .. } if param.key == "dim"),
            "dim {d}: {err:?}"
        );
    }
    let sharded = TensorParams::tiled(
        &[1, 1, 64, 64],
        DType::Bfloat16,
        MemoryConfig::sharded(
            BufferType::L1,
            MemoryLayout::HeightSharded,
            ShardSpec::new(
                CoreRange::of_grid(CoreGrid::new(2, 1)),
                [32, 64],
                ShardOrientation::RowMajor,
            ),
        ),
    );
    let err = query(sharded, &[]).unwrap_err();
    assert!(matches!(err, Error::InvalidTensor { .. }), "{err:?}");
    let bf8 = TensorParams::tiled(
        &[1, 1, 32, 64],
        DType::Bfloat8B,
        MemoryConfig::DRAM_INTERLEAVED,
    );
    assert!(query(bf8, &[]).is_err());
}
