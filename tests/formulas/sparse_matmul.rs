//! `sparse_matmul` (in `matmul_roofline`): the dense mcast_1d product of the active slots,
//! split along N, one unfused batch per active slot.

use super::*;

/// The mask, one bf16 entry per slot, row-major in DRAM.
fn mask(slots: u32) -> TensorParams {
    TensorParams::tiled(
        &[1, 1, 1, slots],
        DType::Bfloat16,
        MemoryConfig::DRAM_INTERLEAVED,
    )
    .with_layout(Layout::RowMajor)
}

fn int<'a>(key: &'a str, value: i64) -> OpParam<'a> {
    OpParam::new(key, ParamValue::Int(value))
}

#[test]
fn two_active_experts_on_wormhole_by_hand() {
    // One tile row of tokens [32, 256] against 8 experts of [256, 512], 2 active, K blocks
    // of 4 tiles: Mt = 1, Kt = 8, Nt = 16. mcast_in0 splits N over the 64 cores: 1 column
    // each (16 busy), all of M, looping over the 2 active slots.
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 32, 256]), dram(&[1, 8, 256, 512]), mask(8)];
    let params = [int("nnz", 2), int("in0_block_w", 4)];
    let e = v1(&models, Op::SparseMatmul, &inputs, &params);
    // 2 slots x 1 x 1 output tile x 8 K tiles = 16 products x 64 cycles (HiFi4) at 1 GHz,
    // and the 2 output tiles packed at 32 cycles each.
    assert_close(
        e.breakdown.compute_ns,
        16.0 * 64.0 + 2.0 * 32.0,
        "products + packing",
    );
    // a read once per slot (2 x 8 tiles), each slot's expert (2 x 8 x 16 tiles), the output
    // of each slot (2 x 16 tiles): 2048 B each.
    let dram_bytes = (2.0 * 8.0 + 2.0 * 128.0 + 2.0 * 16.0) * 2048.0;
    assert_close(
        e.breakdown.dram_ns,
        dram_bytes / WH_DRAM,
        "a, experts, outputs",
    );
    // Into the busiest core from DRAM, at one core's 21.9 B/cycle: a (2 x 8 tiles) and its
    // column of each expert (2 x 8 tiles); out: 2 tiles at the NoC's 30 B/cycle. 2 K blocks
    // per slot, 4 in all, each waiting 383 cycles.
    let (read, written) = ((16.0 + 16.0) * 2048.0, 2.0 * 2048.0);
    assert_close(
        e.breakdown.noc_ns,
        read / 21.9 + written / 30.0 + 4.0 * 383.0,
        "blocks at 21.9 B/cycle, output at 30, and the waits",
    );
    // Launch and the first K block (a 1 x 4 tiles, b 4 x 1), which nothing overlaps: read
    // from DRAM at one core's published rate (21.9 B/cycle), then across the NoC.
    let first_block = (4.0 + 4.0) * 2048.0 * (1.0 / 21.9 + 1.0 / 30.0);
    assert_close(
        e.breakdown.overhead_ns,
        2200.0 + first_block,
        "launch + first block",
    );
    assert_eq!(e.bound, Bound::Noc);
}

#[test]
fn only_active_slots_cost() {
    let models = PerfModels::new(Device::Blackhole);
    let inputs = [
        dram(&[1, 1, 32, 2048]),
        dram(&[1, 16, 2048, 1024]),
        mask(16),
    ];
    let at = |nnz: i64| v1(&models, Op::SparseMatmul, &inputs, &[int("nnz", nnz)]);
    // DRAM traffic is per active slot: a, the expert and the output each time.
    assert_close(
        at(8).breakdown.dram_ns,
        8.0 * at(1).breakdown.dram_ns,
        "8 slots",
    );
    assert!(at(4).duration_ns < at(8).duration_ns);
}

#[test]
fn without_nnz_every_slot_is_checked_and_the_routed_ones_run() {
    // One token (a's 1 logical row in its tile) against 64 experts, no nnz: ttnn checks all
    // 64 mask entries at run time and runs the active ones, 8 by experts_per_token's default;
    // 32 tokens route to 256 > 64, so all 64 run.
    let models = PerfModels::new(Device::Blackhole);
    let experts = dram(&[1, 64, 2048, 1024]);
    let one_token = [
        dram_padded(&[1, 1, 32, 2048], &[1, 1, 1, 2048]),
        experts,
        mask(64),
    ];
    let tokens = [dram(&[1, 1, 32, 2048]), experts, mask(64)];
    let at = |inputs: &[TensorParams], params: &[OpParam<'_>]| {
        v1(&models, Op::SparseMatmul, inputs, params)
    };
    let feature = |params: &[OpParam<'_>], name: &str| {
        let q = Query::new(Op::SparseMatmul, &one_token)
            .params(params)
            .version(1);
        feature_of(&models, &q, Family::MatmulRoofline, name)
    };
    // The routed slots' products: 8 of the 64, as nnz = 8 gives; 4 with experts_per_token 4.
    let dram =
        |inputs: &[TensorParams], params: &[OpParam<'_>]| at(inputs, params).breakdown.dram_ns;
    assert_close(
        dram(&one_token, &[]),
        dram(&one_token, &[int("nnz", 8)]),
        "8 routed",
    );
    assert_close(
        dram(&one_token, &[int("experts_per_token", 4)]),
        dram(&one_token, &[int("nnz", 4)]),
        "4 routed",
    );
    assert_close(
        dram(&tokens, &[]),
        dram(&tokens, &[int("nnz", 64)]),
        "all 64",
    );
    // Every slot checked: 64 handshakes beside the K blocks, each with the sender's 501
    // cycles of explicit waits (slot_check_cycles, v1 501) at 1.35 GHz; none given nnz.
    assert_close(
        feature(&[], "slot_check_cycles"),
        64.0 / 1.35,
        "64 slots checked",
    );
    assert_eq!(feature(&[int("nnz", 8)], "slot_check_cycles"), 0.0);
    assert_close(
        feature(&[], "block_cycles"),
        feature(&[int("nnz", 8)], "block_cycles") + 64.0 / 1.35,
        "a handshake a slot",
    );
    // Each handshake waits for every receiver: Nt = 32 over the 13x10 grid's 32 cores (the
    // 1D split along N), 31 receivers, at 1.35 GHz.
    assert_close(
        feature(&[], "mcast_ack_cycles") - feature(&[int("nnz", 8)], "mcast_ack_cycles"),
        64.0 * 31.0 / 1.35,
        "31 acks a slot",
    );
    // The checks cost: without nnz the op takes longer than the same 8 slots given as nnz.
    assert!(at(&one_token, &[]).duration_ns > at(&one_token, &[int("nnz", 8)]).duration_ns);
}

#[test]
fn without_nnz_each_pass_over_the_mask_routes_its_tokens() {
    // The mixture-of-experts down projection with only `a` sparse: `a` is 4 token groups of 16
    // experts' rows, one token a row ([4, 16, 1 of 32, 512]), against 16 experts: the sender
    // passes over the mask once per group, each group's token routed to 2 of its 16 slots:
    // 4 x 2 = 8 run. With both sparse, one pass over the 16 experts: 2 run.
    let models = PerfModels::new(Device::Blackhole);
    let bool_param = |key, value| OpParam::new(key, ParamValue::Bool(value));
    let dram_at = |inputs: &[TensorParams], params: &[OpParam<'_>]| {
        v1(&models, Op::SparseMatmul, inputs, params)
            .breakdown
            .dram_ns
    };
    let a_only = [
        dram_padded(&[4, 16, 32, 512], &[4, 16, 1, 512]),
        dram(&[1, 16, 512, 1024]),
        mask(64),
    ];
    // Only a sparse, then both, with one param beside the sparsity flags.
    let only_a = |key, value| {
        [
            bool_param("is_input_a_sparse", true),
            bool_param("is_input_b_sparse", false),
            int(key, value),
        ]
    };
    let both_sparse = |key, value| [bool_param("is_input_a_sparse", true), int(key, value)];
    assert_close(
        dram_at(&a_only, &only_a("experts_per_token", 2)),
        dram_at(&a_only, &only_a("nnz", 8)),
        "8 of 64",
    );
    let both = [
        dram_padded(&[1, 16, 32, 512], &[1, 16, 1, 512]),
        dram(&[1, 16, 512, 1024]),
        mask(16),
    ];
    assert_close(
        dram_at(&both, &both_sparse("experts_per_token", 2)),
        dram_at(&both, &both_sparse("nnz", 2)),
        "2 of 16",
    );
}

#[test]
fn a_list_of_active_ids_runs_those_slots_unchecked() {
    // The indexed mode: a fourth input lists the active slots (3 of 16); the kernels loop over
    // them and check none, as with nnz = 3. More ids than slots is the tensor error.
    let models = PerfModels::new(Device::Blackhole);
    let ids = |n| {
        TensorParams::tiled(&[1, 1, 1, n], DType::Uint32, MemoryConfig::DRAM_INTERLEAVED)
            .with_layout(Layout::RowMajor)
    };
    let base = [
        dram_padded(&[1, 1, 32, 512], &[1, 1, 1, 512]),
        dram(&[1, 16, 512, 1024]),
        mask(16),
    ];
    let indexed = [base[0], base[1], base[2], ids(3)];
    let e = v1(&models, Op::SparseMatmul, &indexed, &[]);
    let n = v1(&models, Op::SparseMatmul, &base, &[int("nnz", 3)]);
    assert_eq!(e.duration_ns, n.duration_ns);
    let too_many = [base[0], base[1], base[2], ids(17)];
    let err = models
        .query(&Query::new(Op::SparseMatmul, &too_many).version(1))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidTensor { .. }), "{err:?}");
}

#[test]
fn one_core_checks_slots_without_a_handshake() {
    // N of one tile: a single core (`SKIP_MCAST`), no receivers: no handshake and none of the
    // waits around it, so the checks cost nothing beside the routed slots' products.
    let models = PerfModels::new(Device::Blackhole);
    let inputs = [
        dram_padded(&[1, 1, 32, 512], &[1, 1, 1, 512]),
        dram(&[1, 64, 512, 32]),
        mask(64),
    ];
    let q = Query::new(Op::SparseMatmul, &inputs).version(1);
    assert_eq!(
        feature_of(&models, &q, Family::MatmulRoofline, "slot_check_cycles"),
        0.0
    );
    let unchecked = v1(&models, Op::SparseMatmul, &inputs, &[int("nnz", 8)]);
    assert_eq!(
        v1(&models, Op::SparseMatmul, &inputs, &[]).duration_ns,
        unchecked.duration_ns
    );
}

#[test]
fn is_the_dense_unfused_mcast_1d_matmul_of_the_active_slots() {
    // N wider than M: the dense 1D split runs along N too, so the figures agree exactly.
    let models = PerfModels::new(Device::Blackhole);
    let sparse = [
        dram(&[1, 1, 64, 1024]),
        dram(&[1, 32, 1024, 2048]),
        mask(32),
    ];
    let dense = [dram(&[1, 3, 64, 1024]), dram(&[1, 3, 1024, 2048])];
    let s = v1(
        &models,
        Op::SparseMatmul,
        &sparse,
        &[int("nnz", 3), int("in0_block_w", 2)],
    );
    let d = v1(
        &models,
        Op::Matmul,
        &dense,
        &[
            enum_param("program_config", "mcast_1d"),
            OpParam::new("fuse_batch", ParamValue::Bool(false)),
            int("in0_block_w", 2),
            // sparse_matmul's default fidelity.
            enum_param("math_fidelity", "hifi4"),
        ],
    );
    assert_eq!(s.duration_ns, d.duration_ns);
    assert_eq!(s.breakdown, d.breakdown);
}

#[test]
fn splits_along_n_even_for_a_tall_output() {
    // a sparse over 4 batches of [1024, 256] against 4 of [256, 64] (both sparse, one mask
    // entry per batch), 1 active: Mt = 32, Kt = 8, Nt = 2. Dense mcast_1d would split the
    // taller M; sparse_matmul only multicasts a, so 2 cores each take all 32 rows and one
    // column: 32 x 1 x 8 products x 64 cycles on Wormhole, and 32 output tiles packed at 32
    // cycles each.
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 4, 1024, 256]), dram(&[1, 4, 256, 64]), mask(4)];
    let params = [
        int("nnz", 1),
        OpParam::new("is_input_a_sparse", ParamValue::Bool(true)),
    ];
    let e = v1(&models, Op::SparseMatmul, &inputs, &params);
    assert_close(
        e.breakdown.compute_ns,
        32.0 * (8.0 * 64.0 + 32.0),
        "all of M on a core",
    );
}

#[test]
fn per_core_n_sets_the_cores() {
    // Nt = 16 with per_core_N = 4: 4 cores, each 4 columns of the 1 tile row over Kt = 8,
    // for 2 slots: 64 products x 64 cycles on Wormhole, and 8 output tiles packed at 32
    // cycles each.
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 32, 256]), dram(&[1, 8, 256, 512]), mask(8)];
    let e = v1(
        &models,
        Op::SparseMatmul,
        &inputs,
        &[int("nnz", 2), int("per_core_n", 4)],
    );
    assert_close(
        e.breakdown.compute_ns,
        64.0 * 64.0 + 8.0 * 32.0,
        "4 columns a core",
    );
    // More cores than the grid holds is what the factory refuses.
    let err = models
        .query(
            &Query::new(Op::SparseMatmul, &inputs)
                .params(&[int("per_core_n", 1)])
                .grid(CoreGrid::new(2, 2)),
        )
        .unwrap_err();
    assert_disagrees(&err, "per_core_n");
}

/// `err` says param `key` disagrees with the rest of the query.
fn assert_disagrees(err: &Error, key: &str) {
    assert!(
        matches!(err, Error::InvalidParam { param, problem: ParamProblem::Disagrees { .. }, .. } if param.key == key),
        "{err:?}"
    );
}

#[test]
fn what_the_factory_refuses_is_a_typed_error() {
    let models = PerfModels::new(Device::Blackhole);
    let inputs = [dram(&[1, 1, 32, 256]), dram(&[1, 8, 256, 512]), mask(8)];
    let query = |inputs: &[TensorParams], params: &[OpParam<'_>]| {
        models.query(
            &Query::new(Op::SparseMatmul, inputs)
                .params(params)
                .version(1),
        )
    };
    // More active slots than the mask holds.
    let err = query(&inputs, &[int("nnz", 9)]).unwrap_err();
    assert_disagrees(&err, "nnz");
    // Neither input sparse.
    let err = query(
        &inputs,
        &[OpParam::new("is_input_b_sparse", ParamValue::Bool(false))],
    )
    .unwrap_err();
    assert_disagrees(&err, "is_input_b_sparse");
    // A mask shorter than the slots.
    let short = [inputs[0], inputs[1], mask(4)];
    let err = query(&short, &[]).unwrap_err();
    assert!(matches!(err, Error::InvalidTensor { .. }), "{err:?}");
    // K disagreeing.
    let bad_k = [dram(&[1, 1, 32, 128]), inputs[1], mask(8)];
    let err = query(&bad_k, &[]).unwrap_err();
    assert!(matches!(err, Error::InvalidTensor { .. }), "{err:?}");
}
