//! `matmul_roofline`: the work split of each program config, blocking, batches, tiny tiles.

use super::*;

#[test]
fn matmul_2d_on_wormhole_is_compute_bound_at_hifi4() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 1024, 1024]), dram(&[1, 1, 1024, 1024])];
    let params = [
        enum_param("program_config", "mcast_2d"),
        enum_param("math_fidelity", "hifi4"),
    ];
    let e = v1(&models, Op::Matmul, &inputs, &params);
    // 32x32x32 tiles on 8x8 cores: 4x4 output tiles per core, 32 products each, and each
    // output tile packed (2048 B through four 16 B/cycle interfaces: 32 cycles).
    let compute = 4.0 * 4.0 * (32.0 * 64.0 + 32.0);
    assert_close(
        e.breakdown.compute_ns,
        compute,
        "tile products x 64 cycles + packing",
    );
    assert_close(
        e.breakdown.dram_ns,
        3.0 * 1024.0 * 2048.0 / WH_DRAM,
        "a, b, out once",
    );
    // The a and b blocks come from DRAM at one core's published 21.9 B/cycle, the output
    // block goes out at the NoC's 30. Kt = 32 in blocks of 4 (its largest divisor up to 4):
    // 8 K blocks read from DRAM, each waiting Wormhole's published 383-cycle read latency.
    let (read, written) = ((4.0 * 32.0 + 32.0 * 4.0) * 2048.0, 4.0 * 4.0 * 2048.0);
    assert_close(
        e.breakdown.noc_ns,
        read / 21.9 + written / 30.0 + 8.0 * 383.0,
        "a block + b block + out block, and the waits",
    );
    // Before the first product the first K block arrives, which nothing overlaps: a 4x4
    // tiles and b 4x4 tiles, read from DRAM at one core's published rate (21.9 B/cycle),
    // then across the NoC.
    let first_block = (4.0 * 4.0 + 4.0 * 4.0) * 2048.0 * (1.0 / 21.9 + 1.0 / 30.0);
    assert_close(
        e.breakdown.overhead_ns,
        2200.0 + first_block,
        "launch + first block",
    );
    assert_close(e.duration_ns, 2200.0 + first_block + compute, "duration");
    assert_eq!(e.bound, Bound::Compute);
}

#[test]
fn a_fused_bias_adds_an_fpu_pass_per_output_tile() {
    // The 2D product above with a bias row: after the last K block each of a core's 4 x 4
    // output tiles goes through one more FPU pass (the bias row added, v1: eltwise_binary's
    // 64-cycle FPU tile).
    let models = PerfModels::new(Device::WormholeB0);
    let params = [
        enum_param("program_config", "mcast_2d"),
        enum_param("math_fidelity", "hifi4"),
    ];
    let plain = [dram(&[1, 1, 1024, 1024]), dram(&[1, 1, 1024, 1024])];
    let biased = [plain[0], plain[1], dram(&[1, 1, 32, 1024])];
    let without = v1(&models, Op::Matmul, &plain, &params);
    let with = v1(&models, Op::Matmul, &biased, &params);
    assert_close(
        with.breakdown.compute_ns - without.breakdown.compute_ns,
        4.0 * 4.0 * 64.0,
        "one FPU pass per output tile",
    );
}

#[test]
fn matmul_auto_on_blackhole_is_bound_by_each_cores_dram_reads_at_lofi() {
    let models = PerfModels::new(Device::Blackhole);
    let inputs = [dram(&[1024, 1024]), dram(&[1024, 1024])];
    let params = [enum_param("math_fidelity", "lofi")];
    let e = v1(&models, Op::Matmul, &inputs, &params);
    // auto -> 2D on 13x10: ceil(32/10) = 4 rows by ceil(32/13) = 3 columns of tiles per core;
    // each output tile packed through four 32 B/cycle interfaces (16 cycles).
    assert_close(
        e.breakdown.compute_ns,
        4.0 * 3.0 * (32.0 * 16.0 + 16.0) / 1.35,
        "LoFi products + packing",
    );
    assert_close(
        e.breakdown.dram_ns,
        3.0 * 1024.0 * 2048.0 / BH_DRAM,
        "a, b, out once",
    );
    // The blocks read from DRAM at one core's 21.3 B/cycle, the output written at the NoC's
    // 54; 32 K blocks of 1 tile (ttnn's all-DRAM config: 13 columns do not divide 32 K
    // tiles), each waiting Blackhole's 479-cycle DRAM read latency.
    let (read, written) = ((4.0 * 32.0 + 32.0 * 3.0) * 2048.0, 4.0 * 3.0 * 2048.0);
    assert_close(
        e.breakdown.noc_ns,
        (read / 21.3 + written / 54.0 + 32.0 * 479.0) / 1.35,
        "blocks at 21.3 B/cycle, output at 54, and the waits",
    );
    // First K block (1 tile): a 4x1 tiles, b 1x3 tiles, read from DRAM at one core's
    // published rate (21.3 B/cycle), then across the NoC.
    let first_block = (4.0 * 1.0 + 1.0 * 3.0) * 2048.0 * (1.0 / 21.3 + 1.0 / 54.0) / 1.35;
    assert_close(
        e.breakdown.overhead_ns,
        600.0 + first_block,
        "launch + first block",
    );
    // Each core pulls its blocks from DRAM slower than the banks serve all of them.
    assert_close(
        e.duration_ns,
        600.0 + first_block + e.breakdown.noc_ns,
        "duration",
    );
    assert_eq!(e.bound, Bound::Noc);
}

#[test]
fn tiny_tiles_cost_whole_passes() {
    let models = PerfModels::new(Device::WormholeB0);
    let a = TensorParams::new(
        Shape::new(&[1, 1, 16, 1024]),
        DType::Bfloat16,
        Layout::Tile {
            height: 16,
            width: 32,
        },
        MemoryConfig::DRAM_INTERLEAVED,
    );
    let inputs = [a, dram(&[1, 1, 1024, 1024])];
    let e = models
        .query(&Query::new(Op::Matmul, &inputs).version(1))
        .unwrap();
    // One 16-row tile row: 1D split of 32 output tiles over 64 cores -> 1 tile, 32 products,
    // each two 8-row passes of four: half of 32 HiFi2 cycles (matmul's default fidelity); the
    // 1 KiB output tile packed in 16 cycles.
    assert_close(
        e.breakdown.compute_ns,
        32.0 * 32.0 * 0.5 + 16.0,
        "half-height tiles",
    );
    let bytes = 32.0 * 1024.0 + 1024.0 * 2048.0 + 32.0 * 1024.0;
    assert_close(
        e.breakdown.dram_ns,
        bytes / WH_DRAM,
        "16x32 tiles are 1 KiB",
    );
}

#[test]
fn multi_core_without_reuse_rereads_inputs() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[256, 256]), dram(&[256, 256])];
    let reuse = [enum_param("program_config", "multi_core_reuse")];
    let plain = [enum_param("program_config", "multi_core")];
    let q = Query::new(Op::Matmul, &inputs)
        .version(1)
        .grid(CoreGrid::new(2, 2));
    let reuse = models.query(&q.params(&reuse)).unwrap();
    let plain = models.query(&q.params(&plain)).unwrap();
    // 8x8 output tiles, 16 per core of 4. Without reuse every output tile reads its 8 tiles of
    // a and 8 of b: both read 8 times.
    assert_close(
        plain.breakdown.dram_ns,
        (64.0 * 8.0 * 2.0 + 64.0) * 2048.0 / WH_DRAM,
        "re-reads",
    );
    // With reuse each core takes 2 whole output rows: a is read once (one column block), b
    // once per row block (4).
    assert_close(
        reuse.breakdown.dram_ns,
        (64.0 + 64.0 * 4.0 + 64.0) * 2048.0 / WH_DRAM,
        "reuse",
    );
    assert_eq!(reuse.breakdown.compute_ns, plain.breakdown.compute_ns);
}

#[test]
fn one_matrix_serves_every_batch() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 64, 64]), dram(&[1, 4, 64, 64])];
    let params = [enum_param("program_config", "mcast_2d")];
    let e = v1(&models, Op::Matmul, &inputs, &params);
    // 4 batches of 2x2 output tiles: 8 tile rows over 8 core rows, 2 columns over 8: one
    // output tile per core, 2 products at HiFi2 (matmul's default fidelity), packed in 32
    // cycles.
    assert_close(
        e.breakdown.compute_ns,
        2.0 * 32.0 + 32.0,
        "one output tile, Kt = 2",
    );
    // a (4 tiles) is read for each of the 4 batches, b (16 tiles) once, out 16 tiles.
    assert_close(
        e.breakdown.dram_ns,
        (16.0 + 16.0 + 16.0) * 2048.0 / WH_DRAM,
        "bytes",
    );
}

#[test]
fn a_given_unfused_config_reads_a_shared_b_once_per_batch() {
    // A decode batch of 4 users as 4 batches of 64 x 64 against one shared b [64, 64] (a
    // Blackhole decode trace's `[1, 32, 32, 2048] @ [2048, 6144]`, smaller), with a 1D
    // config that says `fuse_batch = false`: tt-metal's 1D factory loops over the 4 batches
    // and reads b again in each (its batch stride 0), so b's 4 tiles cross DRAM 4 times. ttnn's
    // own config (`auto`) on a grid the call gives (`user_core_grid`) fuses a shared b's
    // batches into M and reads it once (`create_matmul_program_config`); without one, all in
    // DRAM, it does not (`create_simple_matmul_program_config`: `fuse_batch = false`).
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 4, 64, 64]), dram(&[1, 1, 64, 64])];
    let dram_ns = |params: &[OpParam]| v1(&models, Op::Matmul, &inputs, params).breakdown.dram_ns;
    let unfused = [
        enum_param("program_config", "mcast_1d"),
        OpParam::new("fuse_batch", ParamValue::Bool(false)),
    ];
    // a's 16 tiles once, b's 4 tiles 4 times, the output's 16 tiles.
    assert_close(
        dram_ns(&unfused),
        (16.0 + 4.0 * 4.0 + 16.0) * 2048.0 / WH_DRAM,
        "b per batch",
    );
    let auto = [
        enum_param("program_config", "auto"),
        OpParam::new("user_core_grid", ParamValue::Bool(true)),
    ];
    assert_close(
        dram_ns(&auto),
        (16.0 + 4.0 + 16.0) * 2048.0 / WH_DRAM,
        "b once",
    );
    let auto = [enum_param("program_config", "auto")];
    assert_close(dram_ns(&auto), dram_ns(&unfused), "b per batch");
    // One batch has nothing to loop over: `fuse_batch = false` costs what `true` does (the
    // same default `in0_block_w` too).
    let single = [dram(&[1, 1, 32, 2048]), dram(&[1, 1, 2048, 6144])];
    let duration = |fuse: bool| {
        let params = [
            enum_param("program_config", "mcast_1d"),
            OpParam::new("fuse_batch", ParamValue::Bool(fuse)),
        ];
        v1(&models, Op::Matmul, &single, &params).duration_ns
    };
    assert_eq!(duration(false), duration(true));
}

#[test]
fn generated_config_rereads_b_when_the_output_block_is_shrunk() {
    // The sweep's shapes: a [rows, 864] height-sharded on 1 core (rows / 32 x 27 tiles), b
    // [864, 32] in DRAM, the output sharded like a. ttnn shrinks the output block until its
    // circular buffers fit in the L1 between Wormhole's reserved base (162,048 B) and a's
    // shard, which holds the top of the bank: 1,499,136 - 162,048 - rows x 27 x 2048 B. Per
    // block row of h tiles: a's double-buffered K block (h x 27 x 2 tiles), the output and
    // its intermediate (h tiles each) and, today, a's shard rows (h x 27 tiles); b's
    // double-buffered K block (27 x 2 tiles) once. b (27 tiles) is read once per block row.
    // An explicit 1D config keeps the whole block.
    let models = PerfModels::new(Device::WormholeB0);
    let grid = CoreGrid::new(1, 1);
    let b_reads = |rows: u32, config: &str, estimate: &str| {
        let sharded = |cols: u32| {
            MemoryConfig::sharded(
                BufferType::L1,
                MemoryLayout::HeightSharded,
                ShardSpec::new(
                    CoreRange::of_grid(grid),
                    [rows, cols],
                    ShardOrientation::RowMajor,
                ),
            )
        };
        let inputs = [
            TensorParams::tiled(&[rows, 864], DType::Bfloat16, sharded(864)),
            dram(&[864, 32]),
        ];
        let output = TensorParams::tiled(&[rows, 32], DType::Bfloat16, sharded(32));
        let params = [
            enum_param("program_config", config),
            enum_param("l1_estimate", estimate),
        ];
        let e = models
            .query(
                &Query::new(Op::Matmul, &inputs)
                    .params(&params)
                    .output(&output)
                    .grid(grid)
                    .version(1),
            )
            .unwrap();
        e.breakdown.dram_ns / (27.0 * 2048.0 / WH_DRAM)
    };
    let tile = 2048.0;
    let free = |rows: f64| 1_499_136.0 - 162_048.0 - rows / 32.0 * 27.0 * tile;
    let fits = |h: f64, shard_rows: bool, rows: f64| {
        let per_row = 27.0 * 2.0 * tile + 2.0 * tile + if shard_rows { 27.0 * tile } else { 0.0 };
        27.0 * 2.0 * tile + h * per_row < free(rows)
    };
    // 20 x 27 tiles: the shard leaves 231,168 B, less than one block row takes today (nothing
    // fits: 1 x 1) and room for one without the shard rows: b is read 20 times either way.
    assert!(!fits(1.0, true, 640.0) && fits(1.0, false, 640.0) && !fits(2.0, false, 640.0));
    assert_close(b_reads(640, "mcast_1d", "full"), 1.0, "b once");
    assert_close(b_reads(640, "auto", "full"), 20.0, "b per block row");
    assert_close(
        b_reads(640, "auto", "no_shard_rows"),
        20.0,
        "b per block row",
    );
    // 10 x 27 tiles leave 784,128 B: blocks of 2 rows today, of 5 without the shard rows.
    assert!(fits(2.0, true, 320.0) && !fits(5.0, true, 320.0));
    assert!(fits(5.0, false, 320.0) && !fits(10.0, false, 320.0));
    assert_close(b_reads(320, "auto", "full"), 5.0, "b per block row");
    assert_close(
        b_reads(320, "auto", "no_shard_rows"),
        2.0,
        "b per block row",
    );
}

#[test]
fn a_multicast_configs_output_blocks_each_read_all_of_k_again() {
    // `[1024, 1024] @ [1024, 1024]` in DRAM, 2D on Wormhole's 8 x 8 cores: each core's part
    // is 4 x 4 tiles of the output, K = 32 tiles. Given `out_block_h = 1` and
    // `out_block_w = 2`, a core goes over 4 x 2 output blocks, each reading all of K: `b`
    // (2 MiB) is read again for each of the 4 rows of blocks and `a` (2 MiB) for each of the
    // 2 columns; the output (2 MiB) is written once. Its K blocks are stepped through 8 times.
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1024, 1024]), dram(&[1024, 1024])];
    let run = |m_block: i64, n_block: i64| {
        let params = [
            enum_param("program_config", "mcast_2d"),
            OpParam::new("in0_block_w", ParamValue::Int(2)),
            OpParam::new("m_block", ParamValue::Int(m_block)),
            OpParam::new("n_block", ParamValue::Int(n_block)),
        ];
        let q = Query::new(Op::Matmul, &inputs).params(&params);
        let feature = |name| feature_of(&models, &q, Family::MatmulRoofline, name);
        (feature("dram_scale"), feature("block_cycles"))
    };
    let mib = 1024.0 * 1024.0;
    let (whole_dram, whole_blocks) = run(0, 0);
    assert_close(whole_dram, 6.0 * mib / WH_DRAM, "each tensor once");
    assert_close(whole_blocks, 16.0, "one output block of 16 K blocks");
    // A block as large as the core's part, or larger, is the whole part.
    assert_eq!(run(4, 4), (whole_dram, whole_blocks));
    assert_eq!(run(64, 64), (whole_dram, whole_blocks));
    let (dram_ns, blocks) = run(1, 2);
    assert_close(
        dram_ns,
        (2.0 * 2.0 + 4.0 * 2.0 + 2.0) * mib / WH_DRAM,
        "a twice, b 4 times",
    );
    assert_close(blocks, 8.0 * 16.0, "8 output blocks of 16 K blocks");
}

#[test]
fn a_fused_activation_waits_for_the_last_output_block_and_relu_is_free() {
    // `[1024, 1024] @ [1024, 1024]`, 2D on Wormhole's 8 x 8 cores (1 GHz): the busiest core
    // holds 4 x 4 output tiles. A fused silu passes each through the SFPU once after the last
    // K block: 16 tiles of `function_activation_cycles`; a clamp 16 of
    // `simple_activation_cycles`; a relu none (the packer applies it).
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1024, 1024]), dram(&[1024, 1024])];
    let features = |activation: &str| {
        let params = [
            enum_param("program_config", "mcast_2d"),
            enum_param("fused_activation", activation),
        ];
        let q = Query::new(Op::Matmul, &inputs).params(&params);
        let feature = |name| feature_of(&models, &q, Family::MatmulRoofline, name);
        (
            feature("simple_activation_cycles"),
            feature("function_activation_cycles"),
        )
    };
    assert_eq!(features("none"), (0.0, 0.0));
    assert_eq!(features("relu"), (0.0, 0.0));
    assert_eq!(features("clamp_tss"), (16.0, 0.0));
    assert_eq!(features("silu"), (0.0, 16.0));
    assert_eq!(features("gelu"), (0.0, 16.0));
    // In output blocks of 2 x 2 tiles the core goes over four blocks: the reader streams the
    // next block while the SFPU passes over one, so only the last block's 4 tiles wait.
    let params = [
        enum_param("program_config", "mcast_2d"),
        enum_param("fused_activation", "silu"),
        OpParam::new("m_block", ParamValue::Int(2)),
        OpParam::new("n_block", ParamValue::Int(2)),
    ];
    let q = Query::new(Op::Matmul, &inputs).params(&params);
    assert_eq!(
        feature_of(
            &models,
            &q,
            Family::MatmulRoofline,
            "function_activation_cycles"
        ),
        4.0
    );
    // v1 costs them at eltwise_unary's v1 figures: 2,080 cycles a tile for silu.
    let duration = |activation: &str| {
        let params = [
            enum_param("program_config", "mcast_2d"),
            enum_param("fused_activation", activation),
        ];
        v1(&models, Op::Matmul, &inputs, &params).duration_ns
    };
    assert_close(
        duration("silu") - duration("none"),
        16.0 * 2080.0,
        "16 tiles of silu",
    );
}

#[test]
fn small_dram_pages_from_many_cores_are_bound_by_each_banks_request_rate() {
    // `[32, 4096] @ [4096, 14336]` on Blackhole's 11 x 9 cores, 1D, `b` DRAM-interleaved:
    // 57,344 tiles of `b`, each one read request to its bank's endpoint, which takes one per
    // 16.4 cycles (tt-metal issue #55898): 7,168 requests a bank, 87.1 us at 1.35 GHz. In
    // bfloat4_b (576 B a tile, 33 MB) that is more than the bytes' 70 us at the achievable
    // bandwidth; in bfloat8_b (62 MB, 132 us) the bytes bound it.
    let models = PerfModels::new(Device::Blackhole);
    let params = [enum_param("program_config", "mcast_1d")];
    let dram_time = |dtype: DType| {
        let inputs = [
            dram(&[32, 4096]),
            TensorParams::tiled(&[4096, 14336], dtype, MemoryConfig::DRAM_INTERLEAVED),
        ];
        let q = Query::new(Op::Matmul, &inputs)
            .params(&params)
            .grid(CoreGrid::new(11, 9));
        feature_of(&models, &q, Family::MatmulRoofline, "dram_scale")
    };
    assert_close(
        dram_time(DType::Bfloat4B),
        7168.0 * 16.4 / 1.35,
        "bfp4: the banks' request rate",
    );
    // a's 128 tiles, b's 57,344 and the output's 448, at the achievable bandwidth.
    let bfp8_bytes = 128.0 * 2048.0 + 57344.0 * 1088.0 + 448.0 * 2048.0;
    assert_close(
        dram_time(DType::Bfloat8B),
        bfp8_bytes / BH_DRAM,
        "bfp8: the bytes",
    );
}

#[test]
fn unfused_batches_load_their_first_block_again() {
    // Four batches of b with the config ttnn generates for interleaved inputs: the batch is
    // not fused, so each core goes over its output block 4 times and each batch after the
    // first loads its first K block again (`batch_block_scale`, 0 in v1).
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::MatmulRoofline;
    let feature = |inputs: &[TensorParams], name: &str| {
        feature_of(&models, &Query::new(Op::Matmul, inputs), family, name)
    };
    let batched = [dram(&[1, 4, 64, 64]), dram(&[1, 4, 64, 64])];
    let first = feature(&batched, "first_block_scale");
    assert!(first > 0.0);
    assert_close(
        feature(&batched, "batch_block_scale"),
        3.0 * first,
        "three more batches",
    );
    let single = [dram(&[1, 1, 64, 64]), dram(&[1, 1, 64, 64])];
    assert_eq!(feature(&single, "batch_block_scale"), 0.0, "one batch");
}

#[test]
fn unfused_batches_multicast_to_more_than_one_core_pay_a_handshake_each() {
    // `batch_mcast_cycles` (0 in v1) counts the output blocks of each further unfused batch, when
    // the batch's work is multicast to more than one core.
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::MatmulRoofline;
    let rounds = |inputs: &[TensorParams], config: &'static str| {
        let params = [OpParam::new("program_config", ParamValue::Enum(config))];
        let q = Query::new(Op::Matmul, inputs).params(&params);
        feature_of(&models, &q, family, "batch_mcast_cycles")
    };
    // Per batch, 2 x 2 output tiles split one row per core: two cores, four batches.
    let two_cores = [dram(&[1, 4, 64, 64]), dram(&[1, 4, 64, 64])];
    assert_eq!(rounds(&two_cores, "auto"), 3.0, "three more batches");
    // One output tile per batch: one core, nothing multicast.
    let one_core = [dram(&[1, 4, 32, 64]), dram(&[1, 4, 64, 32])];
    assert_eq!(rounds(&one_core, "auto"), 0.0, "one core");
    // One batch.
    let single = [dram(&[1, 1, 64, 64]), dram(&[1, 1, 64, 64])];
    assert_eq!(rounds(&single, "auto"), 0.0, "one batch");
    // Each core reads its own blocks: no multicast.
    assert_eq!(rounds(&two_cores, "multi_core_reuse"), 0.0, "no multicast");
}

#[test]
fn earlier_minimal_matmul_computes_whole_padded_blocks() {
    // The Wormhole CLIP trace's MinimalMatmulOp `[1, 1, 32, 1280] @ [1280, 5120]`, HiFi4,
    // MinimalMatmulConfig(M_block 2, K_block 8, N_block 8) on 8 x 8 cores, by the earlier
    // factory (`blocks`): the 1 M tile pads to one 2-tile block, 160 N tiles are 20 blocks of 8,
    // div_up(20, 8) = 3 per grid column, so the busiest core computes 2 x 24 output tiles
    // over K = 40 tiles (5 blocks of 8): 1920 products x 64 cycles at 1 GHz, and its 48
    // output tiles packed at 32 cycles each.
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 32, 1280]), dram(&[1280, 5120])];
    let params = [
        enum_param("program_config", "minimal"),
        enum_param("minimal_padding", "blocks"),
        enum_param("math_fidelity", "hifi4"),
        OpParam::new("m_block", ParamValue::Int(2)),
        OpParam::new("in0_block_w", ParamValue::Int(8)),
        OpParam::new("n_block", ParamValue::Int(8)),
        OpParam::new("out_subblock_h", ParamValue::Int(2)),
        OpParam::new("out_subblock_w", ParamValue::Int(2)),
    ];
    let e = v1(&models, Op::Matmul, &inputs, &params);
    assert_close(
        e.breakdown.compute_ns,
        2.0 * 24.0 * (40.0 * 64.0 + 32.0),
        "padded block products x 64 cycles + packing",
    );
}

/// The CLIP traces' `minimal` config: MinimalMatmulConfig(M_block 2, K_block 8, N_block 8)
/// at HiFi4.
fn clip_minimal_params() -> [OpParam<'static>; 5] {
    [
        enum_param("program_config", "minimal"),
        enum_param("math_fidelity", "hifi4"),
        OpParam::new("m_block", ParamValue::Int(2)),
        OpParam::new("in0_block_w", ParamValue::Int(8)),
        OpParam::new("n_block", ParamValue::Int(8)),
    ]
}

#[test]
fn minimal_matmul_waits_for_its_first_block_down_the_chain() {
    // The Blackhole CLIP trace's MinimalMatmulOp `[1, 1, 32, 768] @ [768, 768]`,
    // MinimalMatmulConfig(M_block 2, K_block 8, N_block 8) on 8 x 8 cores: M's one tile over
    // the 8 rows, N's 24 over the 8 columns (3 each), so a K block of b is 8 x 3 tiles and of
    // a 1 x 8. The first core of each column reads b's block from DRAM (at one core's
    // published 21.3 B/cycle; a's from the first core of each row), then the block crosses
    // the NoC to it and 7 hops on to the farthest core (b's chain, 7 x 48 KiB, is longer than
    // a's, 7 x 16 KiB), at 54 B/cycle, 1.35 GHz.
    let models = PerfModels::new(Device::Blackhole);
    let family = Family::MatmulRoofline;
    let inputs = [dram(&[1, 1, 32, 768]), dram(&[768, 768])];
    let params = clip_minimal_params();
    let q = Query::new(Op::Matmul, &inputs)
        .params(&params)
        .grid(CoreGrid::new(8, 8));
    let features = models.features(&q, family).unwrap();
    let feature = |name: &str| features.as_slice()[coefficient_index(family, name)];
    let first = (8.0 + 24.0) * 2048.0 * (1.0 / 21.3 + 1.0 / 54.0);
    assert_close(
        feature("chain_fill_scale"),
        (first + 7.0 * 24.0 * 2048.0 / 54.0) / 1.35,
        "the first block's read and b's seven hops",
    );
    assert_eq!(feature("first_block_scale"), 0.0, "counted in the chain");
    // Any other config's first block is `first_block_scale`'s, with no chain.
    let q = Query::new(Op::Matmul, &inputs).grid(CoreGrid::new(8, 8));
    let features = models.features(&q, family).unwrap();
    assert_eq!(
        features.as_slice()[coefficient_index(family, "chain_fill_scale")],
        0.0
    );
    assert!(features.as_slice()[coefficient_index(family, "first_block_scale")] > 0.0);
}

#[test]
fn minimal_matmul_streams_each_input_through_its_chains_edge_core() {
    // The Wormhole CLIP trace's MinimalMatmulOp `[1, 1, 32, 1280] @ [1280, 5120]`,
    // MinimalMatmulConfig(M_block 2, K_block 8, N_block 8) on 8 x 8 cores, 1 GHz: M's one tile
    // over the 8 rows, N's 160 over the 8 columns, 20 each (blocks of 8, 8 and 4), K = 40.
    // The first core of each column reads the column's whole share of b (40 x 20 tiles) from
    // DRAM at one core's published 21.9 B/cycle and writes it on to the next core at the
    // NoC's 30 B/cycle, one after the other; the last (4-wide) block then takes its 7 hops.
    // a's edge core (1 x 40 tiles, once for each of the 3 blocks of N, and the 20 output
    // tiles it writes) is less busy. The feature is what that takes beyond the chain fill
    // (the first 8 x 8 block and a's 1 x 8 read and sent, then b's block 7 hops on).
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::MatmulRoofline;
    let inputs = [dram(&[1, 1, 32, 1280]), dram(&[1280, 5120])];
    let params = clip_minimal_params();
    let q = Query::new(Op::Matmul, &inputs)
        .params(&params)
        .grid(CoreGrid::new(8, 8));
    let tile = 2048.0;
    let b_share = 40.0 * 20.0 * tile;
    let stream = b_share / 21.9 + b_share / 30.0 + 7.0 * 8.0 * 4.0 * tile / 30.0;
    let fill = (8.0 + 64.0) * tile * (1.0 / 21.9 + 1.0 / 30.0) + 7.0 * 64.0 * tile / 30.0;
    assert_close(
        feature_of(&models, &q, family, "chain_fill_scale"),
        fill,
        "the first blocks and b's seven hops",
    );
    assert_close(
        feature_of(&models, &q, family, "chain_stream_scale"),
        stream - fill,
        "b's edge core: read, send on, then the last block's hops",
    );
    // The chains carry the inputs: no bytes at the generic NoC rate.
    assert_eq!(feature_of(&models, &q, family, "noc_scale"), 0.0);
    // Any other config has no chains.
    let q = Query::new(Op::Matmul, &inputs).grid(CoreGrid::new(8, 8));
    assert_eq!(feature_of(&models, &q, family, "chain_stream_scale"), 0.0);
}

#[test]
fn minimal_matmul_without_a_config_takes_ttnns_default_blocks() {
    // Glimmer's `[8192, 6656] @ [6656, 4608]`, HiFi2, no MinimalMatmulConfig, on the
    // p150's 11 x 10 grid: taller than wide, so M's 256 tiles go over the 11 columns
    // (ceil = 24 each) and N's 144 over the 10 rows (15 each); K's 208 tiles are 26 default
    // blocks of 8. 24 x 15 x 208 products x 32 cycles at 1.35 GHz, and 24 x 15 output tiles
    // packed at 16 cycles each.
    let models = PerfModels::new(Device::Blackhole);
    let inputs = [dram(&[8192, 6656]), dram(&[6656, 4608])];
    let params = [
        enum_param("program_config", "minimal"),
        enum_param("math_fidelity", "hifi2"),
    ];
    let q = Query::new(Op::Matmul, &inputs)
        .params(&params)
        .grid(CoreGrid::new(11, 10))
        .version(1);
    let e = models.query(&q).unwrap();
    assert_close(
        e.breakdown.compute_ns,
        24.0 * 15.0 * (208.0 * 32.0 + 16.0) / 1.35,
        "products of the default split x 32 cycles + packing",
    );
    // Each core's 26 K blocks wait the DRAM read latency once each: beside the bytes.
    assert!(e.breakdown.noc_ns > 26.0 * 479.0 / 1.35);
}

#[test]
fn dram_sharded_matmul_computes_on_one_worker_per_bank() {
    // qwen_2_5_3b `down` of the Blackhole decode sweep: `[1, 1, 32, 11008] @ [11008, 2048]`
    // bfp8, DRAM-sharded over the p150's 8 banks, LoFi, in0 width-sharded over 8 cores of
    // an 11 x 10 grid. One worker per bank: 64 / 8 = 8 N tiles over K = 344 tiles, 2752
    // products x 16 cycles at 1.35 GHz, its 8 output tiles packed at 16 each. The DRAM term
    // reads b (344 x 64 bfp8 tiles of 1088 B), each worker its own bank's shard at the bank
    // readers' 0.98 of the 512 GB/s peak (tt-metal PR #47885), and a (344 bfloat16 tiles) is
    // in L1.
    let models = PerfModels::new(Device::Blackhole);
    let grid = CoreGrid::new(11, 10);
    let width = |buffer: BufferType, end: (u8, u8), shape: [u32; 2]| {
        MemoryConfig::sharded(
            buffer,
            MemoryLayout::WidthSharded,
            ShardSpec::new(
                CoreRange { start: (0, 0), end },
                shape,
                ShardOrientation::RowMajor,
            ),
        )
    };
    let inputs = [
        TensorParams::tiled(
            &[1, 1, 32, 11008],
            DType::Bfloat16,
            width(BufferType::L1, (7, 0), [32, 43 * 32]),
        ),
        TensorParams::tiled(
            &[11008, 2048],
            DType::Bfloat8B,
            width(BufferType::Dram, (7, 0), [11008, 8 * 32]),
        ),
    ];
    let output = TensorParams::tiled(
        &[1, 1, 32, 2048],
        DType::Bfloat16,
        width(BufferType::L1, (7, 0), [32, 8 * 32]),
    );
    let params = [
        enum_param("program_config", "dram_sharded"),
        enum_param("math_fidelity", "lofi"),
        OpParam::new("in0_block_w", ParamValue::Int(43)),
    ];
    let q = Query::new(Op::Matmul, &inputs)
        .params(&params)
        .output(&output)
        .grid(grid)
        .version(1);
    let e = models.query(&q).unwrap();
    assert_close(
        e.breakdown.compute_ns,
        8.0 * (344.0 * 16.0 + 16.0) / 1.35,
        "one bank's columns x 16 cycles + packing",
    );
    // The worker streams its first block of b from its own bank like every other block (the
    // DRAM term), and a is local: before the first product, only the launch.
    assert_close(e.breakdown.overhead_ns, 600.0, "launch, no first block");
    // The in0 shard cores multicast each of the 344 / 43 = 8 K blocks to all 8 workers, and
    // wait for each worker's ready signal first (`in0_mcast_num_dests = num_worker_cores`).
    let acks = feature_of(&models, &q, Family::MatmulRoofline, "mcast_ack_cycles");
    assert_close(acks, 8.0 * 8.0 / 1.35, "8 blocks x 8 workers");
    assert_close(
        e.breakdown.dram_ns,
        344.0 * 64.0 * 1088.0 / (512.0 * 0.98),
        "b once, from each worker's own bank",
    );
    // A bank's 8 columns are one 1 x 8 subblock: one matmul_block call a K tile.
    let calls = feature_of(&models, &q, Family::MatmulRoofline, "subblock_cycles");
    assert_close(calls, 344.0 / 1.35, "344 calls");
}

#[test]
fn dram_sharded_subblocks_widen_to_fill_the_dest_register() {
    // qwen_2_5_3b `gate/up` of the Blackhole decode sweep: `[1, 1, 32, 2048] @ [2048, 11008]`,
    // 344 N tiles over 8 banks, 43 a worker. ttnn's pick for a 1 x 43 block is 1 x 1 (43 is
    // prime); the DRAM-sharded factory then widens it while that cuts the subblocks a row
    // takes, to 1 x 8, the row padded to 48: 6 calls a K tile, not 43. K = 64 tiles.
    let models = PerfModels::new(Device::Blackhole);
    let width = |buffer: BufferType, shape: [u32; 2]| {
        MemoryConfig::sharded(
            buffer,
            MemoryLayout::WidthSharded,
            ShardSpec::new(
                CoreRange {
                    start: (0, 0),
                    end: (7, 0),
                },
                shape,
                ShardOrientation::RowMajor,
            ),
        )
    };
    let inputs = [
        TensorParams::tiled(
            &[1, 1, 32, 2048],
            DType::Bfloat16,
            width(BufferType::L1, [32, 8 * 32]),
        ),
        TensorParams::tiled(
            &[2048, 11008],
            DType::Bfloat8B,
            width(BufferType::Dram, [2048, 43 * 32]),
        ),
    ];
    let output = TensorParams::tiled(
        &[1, 1, 32, 11008],
        DType::Bfloat16,
        width(BufferType::L1, [32, 43 * 32]),
    );
    let params = [
        enum_param("program_config", "dram_sharded"),
        enum_param("math_fidelity", "lofi"),
        OpParam::new("in0_block_w", ParamValue::Int(8)),
    ];
    let q = Query::new(Op::Matmul, &inputs)
        .params(&params)
        .output(&output)
        .grid(CoreGrid::new(11, 10))
        .version(1);
    let feature = |name| feature_of(&models, &q, Family::MatmulRoofline, name);
    assert_close(
        feature("subblock_cycles"),
        6.0 * 64.0 / 1.35,
        "6 calls x 64",
    );
    // Each 1 x 8 call unpacks its a tile and 8 of b (counted at the full width).
    assert_close(
        feature("input_tile_cycles"),
        6.0 * 64.0 * 9.0 / 1.35,
        "9 tiles a call",
    );
}

#[test]
fn output_tiles_pack_at_each_devices_packer_rate() {
    // Each output tile's bytes go through the packer's four interfaces: 16 bytes a cycle each
    // on Wormhole, 32 on Blackhole (`output_pack_scale`, 1 in v1). `[64, 64] @ [64, 64]` on
    // one core: 4 output tiles.
    let family = Family::MatmulRoofline;
    let grid = CoreGrid::new(1, 1);
    let feature = |device: Device, out: DType| {
        let models = PerfModels::new(device);
        let inputs = [dram(&[1, 1, 64, 64]), dram(&[1, 1, 64, 64])];
        let output = TensorParams::tiled(&[1, 1, 64, 64], out, MemoryConfig::DRAM_INTERLEAVED);
        let q = Query::new(Op::Matmul, &inputs).output(&output).grid(grid);
        feature_of(&models, &q, family, "output_pack_scale")
    };
    // Wormhole, 1 GHz: 2048 B / 64 B a cycle = 32 cycles a bfloat16 tile.
    assert_close(
        feature(Device::WormholeB0, DType::Bfloat16),
        4.0 * 32.0,
        "wormhole bf16",
    );
    // Blackhole, 1.35 GHz: 2048 B / 128 B a cycle = 16 cycles.
    assert_close(
        feature(Device::Blackhole, DType::Bfloat16),
        4.0 * 16.0 / 1.35,
        "blackhole bf16",
    );
    // A bfloat8_b tile is 1088 B: 17 cycles on Wormhole.
    assert_close(
        feature(Device::WormholeB0, DType::Bfloat8B),
        4.0 * 17.0,
        "wormhole bfp8",
    );
}

#[test]
fn dram_blocks_come_at_one_cores_dram_rate_and_l1_ones_at_the_nocs() {
    // `[1, 1, 32, 1024] @ [1, 1, 1024, 2048]` on Wormhole's 8 x 8 cores, 1D: one output column
    // a core, K = 32 tiles. The busiest core takes 32 tiles of a and 32 of b: read from DRAM
    // at one core's published 21.9 B/cycle (1 GHz); its output tile goes out at the NoC's
    // 30 B/cycle for a 2 KiB tile.
    let family = Family::MatmulRoofline;
    let models = PerfModels::new(Device::WormholeB0);
    let params = [enum_param("program_config", "mcast_1d")];
    let feature = |a: TensorParams, name: &str| {
        let inputs = [a, dram(&[1, 1, 1024, 2048])];
        let q = Query::new(Op::Matmul, &inputs).params(&params);
        feature_of(&models, &q, family, name)
    };
    let a_dram = dram(&[1, 1, 32, 1024]);
    assert_close(
        feature(a_dram, "dram_read_scale"),
        64.0 * 2048.0 / 21.9,
        "a's and b's blocks from DRAM",
    );
    assert_close(
        feature(a_dram, "noc_scale"),
        2048.0 / 30.0,
        "the output tile written",
    );
    // `a` in L1 (interleaved): its blocks cross from other cores' L1 at the NoC's rate.
    let a_l1 = TensorParams::tiled(
        &[1, 1, 32, 1024],
        DType::Bfloat16,
        MemoryConfig::L1_INTERLEAVED,
    );
    assert_close(
        feature(a_l1, "dram_read_scale"),
        32.0 * 2048.0 / 21.9,
        "b's blocks from DRAM",
    );
    assert_close(
        feature(a_l1, "noc_scale"),
        33.0 * 2048.0 / 30.0,
        "a's blocks and the output tile",
    );
    // No faster than the core issues page reads: on Blackhole (1.35 GHz) a bfloat4_b tile's
    // 576 B take 27 cycles at 21.3 B/cycle but 36.6 to issue; a bfloat8_b tile's 1088 B, 51.
    let models = PerfModels::new(Device::Blackhole);
    let b_read = |dtype: DType| {
        let a = TensorParams::tiled(
            &[1, 1, 32, 1024],
            DType::Bfloat16,
            MemoryConfig::L1_INTERLEAVED,
        );
        let b = TensorParams::tiled(&[1, 1, 1024, 2048], dtype, MemoryConfig::DRAM_INTERLEAVED);
        let inputs = [a, b];
        let q = Query::new(Op::Matmul, &inputs)
            .params(&params)
            .grid(CoreGrid::new(8, 8));
        feature_of(&models, &q, family, "dram_read_scale")
    };
    assert_close(
        b_read(DType::Bfloat4B),
        32.0 * 36.6 / 1.35,
        "bfp4: issue-bound",
    );
    assert_close(
        b_read(DType::Bfloat8B),
        32.0 * 1088.0 / 21.3 / 1.35,
        "bfp8: at the rate",
    );
}

#[test]
fn multicast_senders_wait_for_every_receiver_each_block() {
    // Before each K block a multicast sender waits until every receiver has signalled that it
    // is ready (`noc_semaphore_wait(.., in0_mcast_num_dests)` in tt-metal's
    // `reader_bmm_tile_layout_in0_sender_padding.cpp`): the feature counts K blocks x
    // receivers, in cycles (`mcast_ack_cycles`, 0 in v1). Wormhole, 1 GHz, 8 x 8 cores; Kt = 32
    // in blocks of 4: 8 K blocks.
    let family = Family::MatmulRoofline;
    let models = PerfModels::new(Device::WormholeB0);
    let feature = |a: &[u32], b: &[u32], config: &str| {
        let inputs = [dram(a), dram(b)];
        let params = [enum_param("program_config", config)];
        let q = Query::new(Op::Matmul, &inputs).params(&params);
        feature_of(&models, &q, family, "mcast_ack_cycles")
    };
    // 1D, wide: 64 output columns, one a core; a's blocks go to the 63 others.
    assert_close(
        feature(&[1, 1, 32, 1024], &[1, 1, 1024, 2048], "mcast_1d"),
        8.0 * 63.0,
        "1D: every other core",
    );
    // 2D: 4 x 4 output tiles a core on all 8 x 8; a along a row of 8, b down a column of 8.
    assert_close(
        feature(&[1, 1, 1024, 1024], &[1, 1, 1024, 1024], "mcast_2d"),
        8.0 * 7.0,
        "2D: the rest of a row",
    );
    // Each core reads its own blocks: no multicast.
    assert_close(
        feature(&[1, 1, 1024, 1024], &[1, 1, 1024, 1024], "multi_core_reuse"),
        0.0,
        "no multicast",
    );
}

#[test]
fn each_matmul_block_call_unpacks_the_longer_side_against_each_tile_of_the_shorter() {
    // A call on an `h` x `w` subblock holds one tile of the shorter side in its source
    // register and unpacks the longer side's tiles against it, for each tile of the shorter
    // side: `min(h, w) * (max(h, w) + 1)` tiles (tt-llk `llk_unpack_AB_matmul.h`). Wormhole,
    // 1 GHz, one core: `[128, 64] @ [64, 64]`, 4 x 2 output tiles, Kt = 2: 16 tile products.
    let family = Family::MatmulRoofline;
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 128, 64]), dram(&[1, 1, 64, 64])];
    let unpacked = |config: &str, h: i64, w: i64| {
        let params = [
            enum_param("program_config", config),
            OpParam::new("out_subblock_h", ParamValue::Int(h)),
            OpParam::new("out_subblock_w", ParamValue::Int(w)),
        ];
        let q = Query::new(Op::Matmul, &inputs)
            .params(&params)
            .grid(CoreGrid::new(1, 1));
        feature_of(&models, &q, family, "input_tile_cycles")
    };
    // 4 x 2: 2 calls (one a K tile) of 2 x (4 + 1) tiles.
    assert_close(unpacked("mcast_2d", 4, 2), 2.0 * 10.0, "4 x 2");
    // 1 x 2: 8 calls of 1 x (2 + 1).
    assert_close(unpacked("mcast_2d", 1, 2), 8.0 * 3.0, "1 x 2");
    // Every product on its own (`multi_core`, no reuse): both tiles, each time.
    assert_close(unpacked("multi_core", 1, 1), 16.0 * 2.0, "no reuse");
}

#[test]
fn every_cores_first_block_comes_through_the_dram_at_once() {
    // A decode-shaped 1D multicast on a p150's 99 cores: `[32, 4096] @ [4096, 14336]`,
    // weights interleaved in DRAM. Each core takes 5 of the 448 columns of tiles (90 cores
    // have work) and reads its own `b` (only `a` is multicast, and it lies in L1). At the start
    // all 90 ask for their first K block at once: 90 x in0_block_w x 5 tiles through the card's
    // DRAM, longer than one core's read of its own block; so the first block's time is the
    // whole card's, and 8x as long with blocks of 16 K tiles as of 2. The card takes them at the
    // slower of its bandwidth and its banks' endpoints, which take one read request per
    // `dram_endpoint_read_cycles` each, as the DRAM term does.
    let hw = Hardware::of(Card::P150);
    let models = PerfModels::new(Device::Blackhole);
    let family = Family::MatmulRoofline;
    let a = TensorParams::tiled(
        &[1, 1, 32, 4096],
        DType::Bfloat16,
        MemoryConfig::L1_INTERLEAVED,
    );
    let first_block = |weights: DType, block_w: i64| {
        let b = TensorParams::tiled(&[4096, 14336], weights, MemoryConfig::DRAM_INTERLEAVED);
        let inputs = [a, b];
        let params = [
            enum_param("program_config", "mcast_1d"),
            OpParam::new("in0_block_w", ParamValue::Int(block_w)),
        ];
        let q = Query::new(Op::Matmul, &inputs)
            .params(&params)
            .grid(CoreGrid::new(11, 9));
        feature_of(&models, &q, family, "first_block_scale")
    };
    let tiles = |block_w: f64| 90.0 * block_w * 5.0;
    let requests_ns = |block_w: f64| {
        let per_bank = (tiles(block_w) / f64::from(hw.dram_channels)).ceil();
        per_bank * hw.dram_endpoint_read_cycles * 1000.0 / hw.clock_mhz
    };
    let bytes_ns = |block_w: f64, tile: f64| tiles(block_w) * tile * hw.ns_per_dram_byte();
    // bfloat4_b's 576 B tiles: the endpoints bind (900 requests a bank at 16.4 cycles, 10.9 us,
    // against 8.8 us of bytes).
    assert!(requests_ns(16.0) > bytes_ns(16.0, 576.0));
    assert_close(
        first_block(DType::Bfloat4B, 16),
        requests_ns(16.0),
        "bfloat4_b, 16 K tiles",
    );
    assert_close(
        first_block(DType::Bfloat4B, 2),
        requests_ns(2.0),
        "bfloat4_b, 2 K tiles",
    );
    // bfloat16's 2 KiB tiles: the bytes bind.
    assert!(bytes_ns(16.0, 2048.0) > requests_ns(16.0));
    assert_close(
        first_block(DType::Bfloat16, 16),
        bytes_ns(16.0, 2048.0),
        "bfloat16, 16 K tiles",
    );
}
