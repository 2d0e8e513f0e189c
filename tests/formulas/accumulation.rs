//! `accumulation_roofline`: rows of tiles along `dim` over the grid, one tile at a time.

use super::*;

fn dim(d: i64) -> OpParam<'static> {
    OpParam::new("dim", ParamValue::Int(d))
}

#[test]
fn cumsum_along_a_batch_dim_on_wormhole_by_hand() {
    // [1, 8, 32, 1024] bf16 along dim 1: 256 tiles in 32 rows of 8 (one per tile column),
    // over 32 of the 64 cores, one row each. The busiest core adds 8 tiles at 576 cycles
    // (two copies to dest at 32 and an SFPU add at 512), 1 GHz, and waits for each tile's
    // read: 383 cycles + 2048 B at 21.9 B/cycle.
    let models = PerfModels::new(Device::WormholeB0);
    let e = v1(
        &models,
        Op::Accumulation,
        &[dram(&[1, 8, 32, 1024])],
        &[dim(1)],
    );
    assert_close(e.breakdown.compute_ns, 8.0 * 576.0, "SFPU adds");
    assert_close(
        e.breakdown.noc_ns,
        8.0 * (383.0 + 2048.0 / 21.9),
        "waited reads",
    );
    // 512 KiB read at 264.96 B/ns and written at 0.6 of that: 5.3 us, over the 4.6 us of
    // adds.
    let dram = 256.0 * 2048.0 / WH_DRAM + 256.0 * 2048.0 / WH_DRAM_WRITE;
    assert_close(e.breakdown.dram_ns, dram, "input + output");
    assert_close(e.duration_ns, 2200.0 + dram, "DRAM-bound");
    assert_eq!(e.bound, Bound::Dram);
}

#[test]
fn two_rows_run_on_two_cores() {
    // [64, 2, 32, 32] along dim 0 on Blackhole: 128 tiles in 2 rows of 64, on 2 cores; the
    // FPU add (the earlier CumSum's float kernel) at 128 cycles, 1.35 GHz.
    let models = PerfModels::new(Device::Blackhole);
    let params = [dim(0), enum_param("add_unit", "fpu")];
    let e = v1(
        &models,
        Op::Accumulation,
        &[dram(&[64, 2, 32, 32])],
        &params,
    );
    assert_close(e.breakdown.compute_ns, 64.0 * 128.0 / 1.35, "FPU adds");
    assert_close(
        e.breakdown.noc_ns,
        64.0 * (479.0 + 2048.0 / 21.3) / 1.35,
        "waited reads",
    );
    // Integer tiles go to the SFPU whatever the OP CODE (`CUMSUM_USE_INT32`).
    let ints = TensorParams::tiled(
        &[64, 2, 32, 32],
        DType::Int32,
        MemoryConfig::DRAM_INTERLEAVED,
    );
    let e = v1(&models, Op::Accumulation, &[ints], &params);
    assert_close(e.breakdown.compute_ns, 64.0 * 576.0 / 1.35, "SFPU adds");
}

#[test]
fn the_last_two_dims_are_a_typed_error() {
    let models = PerfModels::new(Device::Blackhole);
    for d in [2, 3, -1, -2, 4, -5] {
        let q = [dim(d)];
        let err = models
            .query(
                &Query::new(Op::Accumulation, &[dram(&[1, 8, 32, 64])])
                    .params(&q)
                    .version(1),
            )
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidParam { param, problem: ParamProblem::Disagrees { .. }, .. } if param.key == "dim"),
            "dim {d}: {err:?}"
        );
    }
}
