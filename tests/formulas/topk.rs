//! `topk_roofline`: the busiest core's transposes, tile moves and bitonic sort steps, its
//! reader's waited reads and index tiles, and DRAM traffic. v1: 320 cycles a sort step over a
//! tile pair, 32 a tile moved, 64 a tile transposed.

use super::*;

fn k(k: i64) -> OpParam<'static> {
    OpParam::new("k", ParamValue::Int(k))
}

#[test]
fn single_core_rows_over_the_grid_on_wormhole_by_hand() {
    // [64, 256] bf16 in DRAM, k = 32: 256 < 8192, so the "single-core" factory: 2 rows of
    // 8 tiles over the 64 cores, one row each. Per row the kernel transposes the 8 value and
    // 8 index tiles in and the kept value and index tile out (18), and merges: tiles 0 and 1
    // once, then tiles 2..7 once each against the one kept tile (7 merges), each a full sort
    // of 21 steps with 4 tiles copied in and 4 packed.
    let models = PerfModels::new(Device::WormholeB0);
    let e = v1(&models, Op::Topk, &[dram(&[1, 1, 64, 256])], &[k(32)]);
    let compute = 7.0 * 21.0 * 320.0 + 7.0 * 8.0 * 32.0 + 18.0 * 64.0;
    assert_close(e.breakdown.compute_ns, compute, "sort, moves, transposes");
    // The reader: 8 tiles, each waited for (383 cycles + 2048 B at 21.9 B/cycle), and an
    // index tile each as today's reader builds it: 32 stores at the loop's 5 cycles, 15 NoC
    // copies at 24.1 cycles a command, two waits of a core's read (290 cycles).
    let index_tile = 32.0 * 5.0 + 15.0 * 24.1 + 2.0 * 290.0;
    let noc = 8.0 * (383.0 + 2048.0 / 21.9) + 8.0 * index_tile;
    assert_close(e.breakdown.noc_ns, noc, "reader");
    // 16 input tiles read; per row one value and one uint16 index tile written.
    assert_close(
        e.breakdown.dram_ns,
        16.0 * 2048.0 / WH_DRAM + 2.0 * (2048.0 + 2048.0) / WH_DRAM_WRITE,
        "input + values + indices",
    );
    assert_close(e.breakdown.overhead_ns, 2200.0, "launch");
    assert_eq!(e.bound, Bound::Compute);
}

#[test]
fn multi_core_split_on_blackhole_by_hand() {
    // [32, 16384] bf16, k = 32 on the 13x10 grid: max_cores = (10 - 2) x (13 - 1) = 96, the
    // search starts at 16384 / 32 / 64 x 32 = 256 values a core. Scores 7 Wt_local + 2 Wt_final:
    // 256 -> 64 cores: 7 x 8 + 2 x 64 = 184; 512 -> 32 cores: 7 x 16 + 2 x 32 = 176;
    // 1024 -> 16 cores: 7 x 32 + 2 x 16 = 256; wider splits score more. So 32 cores of 16
    // tiles, and a final core merging 32 tiles; logk = 5.
    let models = PerfModels::new(Device::Blackhole);
    let e = v1(&models, Op::Topk, &[dram(&[1, 1, 32, 16384])], &[k(32)]);
    // Local core: 32 transposes; 8 pair sorts of 5 x 6 / 2 = 15 steps; 15 merges of 1 + 5 / 2
    // steps, 6 moves each; its kept value and index tile copied out (4 moves).
    // Final core: 32 gathered value and index tiles copied in (128 moves), 31 merges, 2
    // transposes out.
    let steps = 8.0 * 15.0 + 15.0 * 3.5 + 31.0 * 3.5;
    let moves = 15.0 * 6.0 + 4.0 + 128.0 + 31.0 * 6.0;
    let transposes = 32.0 + 2.0;
    let cycles = steps * 320.0 + moves * 32.0 + transposes * 64.0;
    assert_close(e.breakdown.compute_ns, cycles / 1.35, "local + final core");
    // A local core's reader: 16 tiles waited for (479 cycles + 2048 B at 21.3 B/cycle), 16
    // index tiles of 32 stores at the loop's 5 cycles, 15 NoC copies at 25.4 cycles and two
    // waits of a core's read (368 cycles).
    let noc = 16.0 * (479.0 + 2048.0 / 21.3) + 16.0 * (32.0 * 5.0 + 15.0 * 25.4 + 2.0 * 368.0);
    assert_close(e.breakdown.noc_ns, noc / 1.35, "reader");
}

#[test]
fn more_kept_tiles_cost_more_merges() {
    // The single-core kernel merges each new tile against every kept tile: k = 64 (2 tiles)
    // costs more than k = 32 on the same row, and k = 96 more again.
    let models = PerfModels::new(Device::WormholeB0);
    let x = [dram(&[1, 1, 32, 4096])];
    let at = |kk| v1(&models, Op::Topk, &x, &[k(kk)]).breakdown.compute_ns;
    assert!(at(32) < at(64) && at(64) < at(96));
}

#[test]
fn what_the_op_refuses_is_a_typed_error() {
    let models = PerfModels::new(Device::Blackhole);
    let query = |x: TensorParams, params: &[OpParam<'_>]| {
        models.query(&Query::new(Op::Topk, &[x]).params(params).version(1))
    };
    // Not the last dim; k wider than the dim (its logical size).
    for (x, params) in [
        (
            dram(&[1, 1, 64, 256]),
            vec![OpParam::new("dim", ParamValue::Int(2))],
        ),
        (dram(&[1, 1, 32, 256]), vec![k(257)]),
        (
            TensorParams::tiled(
                &[1, 1, 32, 256],
                DType::Bfloat16,
                MemoryConfig::DRAM_INTERLEAVED,
            )
            .with_shape(Shape::padded(&[1, 1, 32, 256], &[1, 1, 32, 200])),
            vec![k(201)],
        ),
    ] {
        let err = query(x, &params).unwrap_err();
        assert!(matches!(err, Error::InvalidParam { .. }), "{err:?}");
    }
    // Row-major (the spec's layouts) and an integer dtype.
    let rm = dram(&[1, 1, 32, 256]).with_layout(Layout::RowMajor);
    assert!(query(rm, &[]).is_err());
    let int = TensorParams::tiled(
        &[1, 1, 32, 256],
        DType::Uint32,
        MemoryConfig::DRAM_INTERLEAVED,
    );
    let err = query(int, &[]).unwrap_err();
    assert!(matches!(err, Error::ModeNotModeled { .. }), "{err:?}");
}

#[test]
fn a_dim_narrower_than_64_costs_as_ttnn_pads_it() {
    // One [32, 32] tile, k = 32: ttnn.topk pads the dim to 64 with -inf first, so the kernel
    // sees a row of 2 tiles: 1 merge (21 steps, 8 moves), 2 + 2 tiles transposed in and the
    // kept value and index tile out (6 transposes).
    let models = PerfModels::new(Device::WormholeB0);
    let e = v1(&models, Op::Topk, &[dram(&[1, 1, 32, 32])], &[k(32)]);
    let compute = 21.0 * 320.0 + 8.0 * 32.0 + 6.0 * 64.0;
    assert_close(e.breakdown.compute_ns, compute, "one padded row");
}

#[test]
fn a_short_input_splits_its_width_from_1024_on() {
    // [32, 2048] bf16, k = 32 on Blackhole: one row of tiles, so the current tt-metal takes
    // the multi-core factory from 1024 wide. Splits from 2048 / 32 / 64 x 32 = 32 (below 64:
    // refused); 64 -> 32 cores: 7 x 2 + 2 x 32 = 78; 128 -> 16 cores: 7 x 4 + 2 x 16 = 60;
    // 256 -> 8 cores: 7 x 8 + 2 x 8 = 72; wider score more. So 16 cores of 4 tiles.
    let models = PerfModels::new(Device::Blackhole);
    let e = v1(&models, Op::Topk, &[dram(&[1, 1, 32, 2048])], &[k(32)]);
    // Local: 2 pair sorts of 15 steps, 3 merges of 3.5 steps; final: 15 merges.
    let steps = 2.0 * 15.0 + 3.0 * 3.5 + 15.0 * 3.5;
    // Local: 3 merges x 6, 4 out; final: 16 value and index tiles in (64), 15 merges x 6.
    let moves = 3.0 * 6.0 + 4.0 + 64.0 + 15.0 * 6.0;
    let transposes = 8.0 + 2.0;
    let cycles = steps * 320.0 + moves * 32.0 + transposes * 64.0;
    assert_close(
        e.breakdown.compute_ns,
        cycles / 1.35,
        "16 local cores + final",
    );
    // Four tile rows (128 x 2048) keep the "single-core" factory: one 64-tile row per core,
    // 63 merges of a 21-step sort, far more work than the split.
    let tall = v1(&models, Op::Topk, &[dram(&[1, 1, 128, 2048])], &[k(32)]);
    assert!(tall.breakdown.compute_ns > 10.0 * e.breakdown.compute_ns);
}

#[test]
fn sampling_runs_the_whole_op_on_every_user_core_by_hand() {
    // 32 users' 256 candidates (8 tiles) on Wormhole: 32 cores, each sorting the one row of
    // tiles: 4 pair sorts of 15 steps (logk = 5), a merge tree of 4 + 2 + 1 = 7 merges of 3.5
    // steps and 6 moves, 8 value and 8 index tiles transposed in and 2 out, then the softmax
    // tail on the kept tile (3200 cycles).
    let models = PerfModels::new(Device::WormholeB0);
    let values = dram(&[1, 1, 32, 256]);
    let indices = TensorParams::new(
        Shape::new(&[1, 1, 32, 256]),
        DType::Int32,
        Layout::RowMajor,
        MemoryConfig::DRAM_INTERLEAVED,
    );
    let e = v1(&models, Op::Sampling, &[values, indices], &[]);
    let compute = (4.0 * 15.0 + 7.0 * 3.5) * 320.0 + 7.0 * 6.0 * 32.0 + 18.0 * 64.0 + 3200.0;
    assert_close(e.breakdown.compute_ns, compute, "sort + softmax");
    // Each core's reader: 8 value tiles and 32 index rows of 1 KiB, each waited for (383
    // cycles + bytes at 21.9 B/cycle), and 8 index tiles as today's reader builds them (32
    // stores at 5 cycles, 15 NoC copies at 24.1, two waits of 290).
    let index_tile = 32.0 * 5.0 + 15.0 * 24.1 + 2.0 * 290.0;
    let noc = 8.0 * (383.0 + 2048.0 / 21.9) + 32.0 * (383.0 + 1024.0 / 21.9) + 8.0 * index_tile;
    assert_close(e.breakdown.noc_ns, noc, "reader");
    // Every one of the 32 cores reads both inputs; 32 uint32 tokens written.
    let read = 32.0 * (8.0 * 2048.0 + 32.0 * 1024.0);
    assert_close(
        e.breakdown.dram_ns,
        read / WH_DRAM + 32.0 * 4.0 / WH_DRAM_WRITE,
        "inputs x cores + tokens",
    );
    // More users than the grid's cores: not modeled.
    let many = dram(&[1, 1, 96, 256]);
    let err = models
        .query(&Query::new(Op::Sampling, &[many, indices]).version(1))
        .unwrap_err();
    assert!(matches!(err, Error::ModeNotModeled { .. }), "{err:?}");
}
