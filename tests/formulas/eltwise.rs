//! `eltwise_unary_roofline` and `eltwise_binary_roofline`: SFPU and FPU work, broadcasts,
//! scalars, 32-bit data, the split over the grid.

use super::*;

#[test]
fn unary_exp_is_sfpu_bound() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 512, 512])]; // 256 tiles: four per core of the 8x8 grid
    let params = [enum_param("unary_op", "exp")];
    let e = v1(&models, Op::EltwiseUnary, &inputs, &params);
    assert_close(
        e.breakdown.compute_ns,
        4.0 * 2080.0,
        "4 x exp's 2080 cycles (with the tile's unpack and pack) at 1 GHz",
    );
    assert_close(
        e.breakdown.dram_ns,
        256.0 * 2048.0 / WH_DRAM + 256.0 * 2048.0 / WH_DRAM_WRITE,
        "read + write 256 tiles",
    );
    assert_close(
        e.breakdown.noc_ns,
        4.0 * 2048.0 / 30.0 + 5.0 * (383.0 + 2048.0 / 21.9),
        "per tile one page out, and the page read and waited for (one more for the \
         pipeline's fill): 383 cycles' latency, then 2 KiB at one core's 21.9 B a cycle",
    );
    // The last page's write waited for: a write's 295-cycle round trip, then 2 KiB at one
    // core's 21.9 B a cycle to DRAM.
    let drain = 295.0 + 2048.0 / 21.9;
    assert_close(
        e.breakdown.overhead_ns,
        2200.0 + drain,
        "launch and the last write",
    );
    assert_close(e.duration_ns, 2200.0 + drain + 4.0 * 2080.0, "duration");
    assert_eq!(e.bound, Bound::Compute);
    assert_eq!(e.accuracy, Accuracy::Uncalibrated);
}

#[test]
fn one_tile_per_core_is_overhead_bound() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 256, 256])]; // 64 tiles: one per core
    let params = [enum_param("unary_op", "exp")];
    let e = v1(&models, Op::EltwiseUnary, &inputs, &params);
    // exp's 2080 cycles (with the tile's unpack and pack) < 2200 ns of launch and the last
    // write's 295 + 2048 / 21.9 cycles to DRAM.
    assert_close(
        e.duration_ns,
        2200.0 + 295.0 + 2048.0 / 21.9 + 2080.0,
        "duration",
    );
    assert_eq!(e.bound, Bound::Overhead);
}

#[test]
fn binary_add_with_row_broadcast() {
    let models = PerfModels::new(Device::WormholeB0);
    let a = dram(&[1, 1, 64, 1024]);
    let b = dram_padded(&[1, 1, 32, 1024], &[1, 1, 1, 1024]);
    let inputs = [a, b];
    let params = [enum_param("binary_op", "add")];
    let e = v1(&models, Op::EltwiseBinary, &inputs, &params);
    // 64 output tiles over the 64 cores of the n150 grid (interleaved: the whole grid), one
    // each, and the pipeline's fill: one tile more; 1 ns per cycle.
    assert_close(e.breakdown.compute_ns, 2.0 * 64.0, "FPU tile and the fill");
    assert_close(
        e.breakdown.dram_ns,
        (64.0 + 32.0) * 2048.0 / WH_DRAM + 64.0 * 2048.0 / WH_DRAM_WRITE,
        "a, b read, out written",
    );
    // On the reader and writer: the broadcast tile filled by the reader (1024 cycles), the
    // round trips of the tile and of the pipeline's fill (2 x 750 cycles), three pages at
    // 30 B/cycle.
    let noc = 1024.0 + 2.0 * 750.0 + 3.0 * 2048.0 / 30.0;
    assert_close(e.breakdown.noc_ns, noc, "fill, round trips, three pages");
    assert_close(e.duration_ns, 2200.0 + noc, "duration");
    // 1.6 us of DRAM traffic hides behind 2.7 us of NoC round trips and fill.
    assert_eq!(e.bound, Bound::Noc);
}

#[test]
fn binary_mul_pays_fidelity_phases_on_the_fpu() {
    let models = PerfModels::new(Device::WormholeB0);
    // 64 tiles on 64 cores: one each.
    let inputs = [dram(&[1, 1, 256, 256]), dram(&[1, 1, 256, 256])];
    let mul = |fidelity, unit| {
        let params = [
            enum_param("binary_op", "mul"),
            enum_param("math_fidelity", fidelity),
            enum_param("compute_unit", unit),
        ];
        v1(&models, Op::EltwiseBinary, &inputs, &params)
            .breakdown
            .compute_ns
    };
    // Each core's tile and the pipeline's fill, one tile more: two tiles' cycles.
    assert_close(mul("lofi", "fpu"), 2.0 * 64.0, "one phase");
    // Three further phases of 8 cycles each (the matrix engine's 8x16 elements a cycle over
    // a tile's 1024).
    assert_close(mul("hifi4", "fpu"), 2.0 * (64.0 + 3.0 * 8.0), "four phases");
    // As ttnn picks it today, a multiply runs on the SFPU (512 cycles a tile in v1), whatever
    // the fidelity.
    assert_close(mul("lofi", "auto"), 2.0 * 512.0, "SFPU");
    assert_close(mul("hifi4", "auto"), 2.0 * 512.0, "SFPU");
}

#[test]
fn a_smaller_grid_is_slower() {
    let models = PerfModels::new(Device::Blackhole);
    let inputs = [dram(&[1, 1, 2048, 2048])];
    let params = [enum_param("unary_op", "gelu")];
    let q = Query::new(Op::EltwiseUnary, &inputs)
        .params(&params)
        .version(1);
    let full = models.query(&q).unwrap();
    let sub = models.query(&q.grid(CoreGrid::new(5, 4))).unwrap();
    // 4096 tiles: 32 per core on 130 cores, 205 per core on 20.
    // A tile costs copy 32 + gelu 2048 cycles.
    assert_close(full.breakdown.compute_ns, 32.0 * 2080.0 / 1.35, "130 cores");
    assert_close(sub.breakdown.compute_ns, 205.0 * 2080.0 / 1.35, "20 cores");
}

#[test]
fn binary_with_a_scalar_reads_one_tensor() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 256, 256])]; // 64 tiles, one per core
    let params = [enum_param("binary_op", "add")];
    let e = v1(&models, Op::EltwiseBinary, &inputs, &params);
    // The scalar's tile is filled once per op (`scalar_fill_cycles`), not per tile.
    assert_close(e.breakdown.compute_ns, 2.0 * 64.0, "FPU tile and the fill");
    assert_close(
        e.breakdown.dram_ns,
        64.0 * 2048.0 / WH_DRAM + 64.0 * 2048.0 / WH_DRAM_WRITE,
        "a and out only",
    );
    let fill = |inputs: &[TensorParams]| {
        let q = Query::new(Op::EltwiseBinary, inputs).params(&params);
        feature_of(
            &models,
            &q,
            Family::EltwiseBinaryRoofline,
            "scalar_fill_cycles",
        )
    };
    assert_eq!(fill(&inputs), 1.0, "one fill for a scalar op");
    assert_eq!(fill(&[dram(&[1, 1, 2048, 2048])]), 1.0, "whatever its size");
    assert_eq!(fill(&[inputs[0], inputs[0]]), 0.0, "none for two tensors");
}

#[test]
fn unary_with_32_bit_data_pays_the_32_bit_destination() {
    // ttnn sets fp32_dest_acc_en when a unary op's (or typecast's) input or output is float32,
    // int32 or uint32: every tile of the busiest core pays `fp32_dest_tile_cycles`.
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::EltwiseUnaryRoofline;
    let exp = [enum_param("unary_op", "exp")];
    let tiled = |dtype| {
        // 512 x 512: 256 tiles, 4 per core of the 8x8 grid; 4 tiles at 1 ns per cycle.
        TensorParams::tiled(&[1, 1, 512, 512], dtype, MemoryConfig::DRAM_INTERLEAVED)
    };
    let feature = |op, x: TensorParams, out: TensorParams, params: &[OpParam<'_>]| {
        let inputs = [x];
        let q = Query::new(op, &inputs).output(&out).params(params);
        feature_of(&models, &q, family, "fp32_dest_tile_cycles")
    };
    let (f32_, bf16) = (tiled(DType::Float32), tiled(DType::Bfloat16));
    let u32_ = tiled(DType::Uint32);
    let bf8 = tiled(DType::Bfloat8B);
    assert_eq!(feature(Op::EltwiseUnary, f32_, f32_, &exp), 4.0, "float32");
    assert_eq!(feature(Op::EltwiseUnary, u32_, u32_, &exp), 4.0, "uint32");
    assert_eq!(feature(Op::EltwiseUnary, bf16, bf16, &exp), 0.0, "bfloat16");
    assert_eq!(feature(Op::EltwiseUnary, bf8, bf8, &exp), 0.0, "bfloat8_b");
    assert_eq!(feature(Op::Typecast, bf16, f32_, &[]), 4.0, "to float32");
    assert_eq!(feature(Op::Typecast, f32_, bf16, &[]), 4.0, "from float32");
    assert_eq!(feature(Op::Typecast, bf16, bf8, &[]), 0.0, "16 to 8 bits");
    // On Blackhole (1.35 GHz, 13x10 = 130 cores): 256 tiles are 2 per core, 2 / 1.35 ns.
    let bh = PerfModels::new(Device::Blackhole);
    let inputs = [f32_];
    let q = Query::new(Op::EltwiseUnary, &inputs).params(&exp);
    assert_close(
        feature_of(&bh, &q, family, "fp32_dest_tile_cycles"),
        2.0 / 1.35,
        "blackhole",
    );
}

#[test]
fn the_last_write_is_waited_for_at_its_destination() {
    // The writer waits for every write's acknowledgement before it ends, so the last page's
    // round trip follows the last tile's compute: on the n150 (1 GHz) a lone 2 KiB write takes
    // 295 cycles' round trip, then the page at one core's 21.9 B a cycle to DRAM or at the
    // NoC's 30 B a cycle to another core's L1. A native L1-sharded op writes nothing: each
    // core's compute fills its own shard.
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::EltwiseUnaryRoofline;
    let params = [enum_param("unary_op", "exp")];
    let x = dram(&[1, 1, 512, 512]);
    // The drain feature and the duration of the query writing `out`.
    let drain_and_cost = |out: TensorParams| {
        let inputs = [x];
        let q = Query::new(Op::EltwiseUnary, &inputs)
            .output(&out)
            .params(&params);
        (
            feature_of(&models, &q, family, "write_drain_scale"),
            models.query(&q).unwrap().duration_ns,
        )
    };
    let tiled = |memory| TensorParams::tiled(&[1, 1, 512, 512], DType::Bfloat16, memory);
    let (to_dram, dram_cost) = drain_and_cost(tiled(MemoryConfig::DRAM_INTERLEAVED));
    let (to_l1, l1_cost) = drain_and_cost(tiled(MemoryConfig::L1_INTERLEAVED));
    assert_close(to_dram, 295.0 + 2048.0 / 21.9, "to DRAM");
    assert_close(to_l1, 295.0 + 2048.0 / 30.0, "to another core's L1");
    // So an op bound by its compute either way costs more written to DRAM than to L1.
    assert!(dram_cost > l1_cost, "{dram_cost} <= {l1_cost}");
    let sharded = TensorParams::tiled(
        &[1, 1, 512, 512],
        DType::Bfloat16,
        l1_sharded(MemoryLayout::HeightSharded, 8, 1, [64, 512]),
    );
    let inputs = [sharded];
    let q = Query::new(Op::EltwiseUnary, &inputs)
        .output(&sharded)
        .params(&params);
    assert_eq!(
        feature_of(&models, &q, family, "write_drain_scale"),
        0.0,
        "own shard"
    );
}

#[test]
fn typecast_waits_for_each_tile_it_reads_like_a_unary_op() {
    // A typecast's reader waits for each page before the next, as a unary op's does: 256
    // tiles over the n150's 64 cores are 4 waits on the busiest and one more for the
    // pipeline's fill (1 GHz), each a 2 KiB tile:
    // from DRAM 383 cycles' latency then the tile at one core's 21.9 B a cycle, from another
    // core's L1 290 cycles then the tile at the NoC's 30 B a cycle.
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::EltwiseUnaryRoofline;
    let tiled = |dtype, memory| TensorParams::tiled(&[1, 1, 512, 512], dtype, memory);
    let wait = |memory| {
        let inputs = [tiled(DType::Bfloat16, memory)];
        let out = tiled(DType::Bfloat8B, MemoryConfig::DRAM_INTERLEAVED);
        let q = Query::new(Op::Typecast, &inputs).output(&out);
        feature_of(&models, &q, family, "read_wait_scale")
    };
    assert_close(
        wait(MemoryConfig::DRAM_INTERLEAVED),
        5.0 * (383.0 + 2048.0 / 21.9),
        "from DRAM",
    );
    assert_close(
        wait(MemoryConfig::L1_INTERLEAVED),
        5.0 * (290.0 + 2048.0 / 30.0),
        "from another core's L1",
    );
}

#[test]
fn row_major_typecast_casts_rows_in_chunks_of_1024_values() {
    // tt-metal's `typecast_rm_chunked_program_factory.cpp`: the rows split over the grid, each
    // in chunks of at most 1024 values, every chunk read and waited for, cast as one tile and
    // written. `[1, 1, 256, 1536]` int32 -> uint32 in DRAM on the n150 (1 GHz): 256 rows over
    // 64 cores, 4 a core, each a full chunk of 1024 and a partial one of 512: 8 chunks,
    // 24 KiB in and 24 KiB out at the NoC rate of a 4 KiB chunk.
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::EltwiseUnaryRoofline;
    let rm = |dtype| {
        TensorParams::new(
            Shape::new(&[1, 1, 256, 1536]),
            dtype,
            Layout::RowMajor,
            MemoryConfig::DRAM_INTERLEAVED,
        )
    };
    let inputs = [rm(DType::Int32)];
    let out = rm(DType::Uint32);
    let q = Query::new(Op::Typecast, &inputs).output(&out);
    let f = models.features(&q, family).unwrap();
    let feature = |name: &str| f.as_slice()[coefficient_index(family, name)];
    assert_close(feature("copy_tile_cycles"), 8.0, "8 chunks, one cast each");
    assert_close(feature("fp32_dest_tile_cycles"), 8.0, "32-bit values");
    assert_close(
        feature("read_wait_scale"),
        9.0 * (383.0 + 3072.0 / 21.9),
        "a DRAM read waited for a chunk and one more for the pipeline's fill: its latency, \
         and a chunk's 3 KiB on average (a row's 6 KiB in two) at one core's 21.9 B a cycle",
    );
    assert_close(
        feature("noc_scale"),
        4.0 * 6144.0 / 30.0,
        "4 rows out (the reads are in their waits)",
    );
    let bytes = 256.0 * 1536.0 * 4.0;
    assert_close(feature("dram_scale"), bytes / WH_DRAM, "read once");
    assert_close(
        feature("dram_write_scale"),
        bytes / WH_DRAM_WRITE,
        "written once",
    );
    // A tiled output is the cross-layout factory's, not modeled here: said so.
    let tiled = TensorParams::tiled(
        &[1, 1, 256, 1536],
        DType::Uint32,
        MemoryConfig::DRAM_INTERLEAVED,
    );
    let q = Query::new(Op::Typecast, &inputs).output(&tiled);
    assert!(matches!(
        models.query(&q),
        Err(Error::ModeNotModeled { .. })
    ));
}

#[test]
fn unary_dram_reads_and_writes_are_separate_features() {
    // `dram_scale` weighs the input's DRAM bytes, `dram_write_scale` the output's.
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::EltwiseUnaryRoofline;
    let index = |name: &str| coefficient_index(family, name);
    let (read, write) = (index("dram_scale"), index("dram_write_scale"));
    let exp = [enum_param("unary_op", "exp")];
    // 256 float32 tiles of 4096 B: 1 MiB read at 264.96 B/ns, written at 0.6 of that.
    let t = |memory| TensorParams::tiled(&[1, 1, 512, 512], DType::Float32, memory);
    let mib = 256.0 * 4096.0;
    let features = |x: TensorParams, out: TensorParams| {
        let inputs = [x];
        let q = Query::new(Op::EltwiseUnary, &inputs)
            .output(&out)
            .params(&exp);
        let f = models.features(&q, family).unwrap();
        (f.as_slice()[read], f.as_slice()[write])
    };
    let (dram, l1) = (
        t(MemoryConfig::DRAM_INTERLEAVED),
        t(MemoryConfig::L1_INTERLEAVED),
    );
    let (r, w) = features(dram, dram);
    assert_close(r, mib / WH_DRAM, "DRAM to DRAM reads");
    assert_close(w, mib / WH_DRAM_WRITE, "DRAM to DRAM writes");
    assert_eq!(features(dram, l1), (r, 0.0), "DRAM to L1 reads only");
    assert_eq!(features(l1, dram), (0.0, w), "L1 to DRAM writes only");
    assert_eq!(features(l1, l1), (0.0, 0.0), "L1 to L1");
}

#[test]
fn unary_core_skew_counts_the_cores_of_the_split() {
    // The cores start one after another: the feature is how many the tiles are split over (a
    // cycle each, ns), so it never falls as the op grows.
    let family = Family::EltwiseUnaryRoofline;
    let exp = [enum_param("unary_op", "exp")];
    let cores = |device, x: TensorParams| {
        let inputs = [x];
        let q = Query::new(Op::EltwiseUnary, &inputs).params(&exp);
        feature_of(&PerfModels::new(device), &q, family, "core_skew_cycles")
    };
    let wh = |rows, cols| cores(Device::WormholeB0, dram(&[1, 1, rows, cols]));
    // Wormhole n150, 8x8 = 64 cores.
    assert_eq!(wh(512, 512), 64.0, "256 tiles: 4 on every core");
    assert_eq!(wh(32, 640), 20.0, "20 tiles: one on each of 20 cores");
    assert_eq!(wh(64, 1024), 64.0, "64 tiles: one on every core");
    assert_eq!(wh(64, 1056), 64.0, "66 tiles: 2 on 2 cores, 1 on 62");
    // Blackhole p150, 13x10 = 130 cores: 256 tiles are 2 on 126 cores, 1 on 4; at 1.35 GHz.
    assert_close(
        cores(Device::Blackhole, dram(&[1, 1, 512, 512])),
        130.0 / 1.35,
        "blackhole",
    );
    // Height-sharded over a 4x2 grid of 8 cores (shards of 4 x 16 tiles): all 8.
    let x = TensorParams::tiled(
        &[1, 1, 1024, 512],
        DType::Bfloat16,
        l1_sharded(MemoryLayout::HeightSharded, 4, 2, [128, 512]),
    );
    assert_eq!(cores(Device::WormholeB0, x), 8.0, "sharded");
}

#[test]
fn unary_fused_chain_pays_each_function() {
    // ttnn's op chain runs every function on each tile in turn: sigmoid as neg, exp,
    // add_unary_sfpu, recip is 2 simple + exp + recip cycles per tile of the busiest core.
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 512, 512])]; // 256 tiles: 4 per core of the 8x8 grid
    let sigmoid = [
        enum_param("unary_op", "neg"),
        enum_param("chain_op_2", "exp"),
        enum_param("chain_op_3", "add_unary_sfpu"),
        enum_param("chain_op_4", "recip"),
    ];
    let e = v1(&models, Op::EltwiseUnary, &inputs, &sigmoid);
    // v1: simple 288, exp 2080, recip 544 cycles; 1 ns a cycle.
    assert_close(
        e.breakdown.compute_ns,
        4.0 * (288.0 + 2080.0 + 288.0 + 544.0),
        "4 tiles x 3200 cycles",
    );
    // A chain of one function is that function alone.
    let neg = [
        enum_param("unary_op", "neg"),
        enum_param("chain_op_2", "none"),
    ];
    let e = v1(&models, Op::EltwiseUnary, &inputs, &neg);
    assert_close(e.breakdown.compute_ns, 4.0 * 288.0, "neg");
}

#[test]
fn unary_function_classes_weigh_their_own_features() {
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::EltwiseUnaryRoofline;
    let inputs = [dram(&[1, 1, 512, 512])]; // 4 tiles per core, 1 ns a cycle
    let feature = |f: &str, name: &str| {
        let params = [enum_param("unary_op", f)];
        let q = Query::new(Op::EltwiseUnary, &inputs).params(&params);
        feature_of(&models, &q, family, name)
    };
    assert_eq!(feature("gelu", "gelu_tile_cycles"), 4.0);
    assert_eq!(feature("gelu", "erf_tile_cycles"), 0.0);
    assert_eq!(feature("erf", "erf_tile_cycles"), 4.0);
    assert_eq!(feature("recip", "recip_tile_cycles"), 4.0);
    assert_eq!(feature("recip", "transcendental_tile_cycles"), 0.0);
    assert_eq!(feature("silu", "transcendental_tile_cycles"), 4.0);
    // The copy's cycles are a function's own: only a copy (identity, typecast) has them.
    assert_eq!(feature("exp", "copy_tile_cycles"), 0.0);
    assert_eq!(feature("identity", "copy_tile_cycles"), 4.0);
    // A clamp (two conditional assignments and an add) is a simple function; selu is
    // exponential, softsign a reciprocal, power a transcendental.
    assert_eq!(feature("clamp_tss", "simple_tile_cycles"), 4.0);
    assert_eq!(feature("selu", "exp_tile_cycles"), 4.0);
    assert_eq!(feature("softsign", "recip_tile_cycles"), 4.0);
    assert_eq!(feature("power", "transcendental_tile_cycles"), 4.0);
}

/// Gelu in ttnn's fast_and_approximate_mode is its lookup-table kernel: 255 cycles a tile in
/// v1 (223 measured on Blackhole, tt-metal issue #52407, and the copy's 32), not the accurate
/// kernel's 2,080. 4096 tiles on Blackhole's 130 cores: 32 a core, a 1.35 GHz clock.
#[test]
fn approximate_gelu_runs_its_lookup_table() {
    let models = PerfModels::new(Device::Blackhole);
    let inputs = [dram(&[1, 1, 2048, 2048])];
    let gelu = |approx| {
        let params = [
            enum_param("unary_op", "gelu"),
            OpParam::new("fast_and_approximate_mode", ParamValue::Bool(approx)),
        ];
        let q = Query::new(Op::EltwiseUnary, &inputs)
            .params(&params)
            .version(1);
        models.query(&q).unwrap().breakdown.compute_ns
    };
    assert_close(gelu(true), 32.0 * 255.0 / 1.35, "approximate");
    assert_close(gelu(false), 32.0 * 2080.0 / 1.35, "accurate");
}

#[test]
fn unary_waits_for_each_tile_it_reads_from_its_source() {
    // The reader waits for each page before the next: the busiest core's tiles, and one
    // more for the pipeline's fill, times a lone read's wait from their source, the device's
    // DRAM read latency then the tile at one core's DRAM rate from a DRAM-interleaved input,
    // one core's read latency of another's L1 then the tile at the NoC's rate from an
    // L1-interleaved one; none from its own shard.
    let family = Family::EltwiseUnaryRoofline;
    let exp = [enum_param("unary_op", "exp")];
    // The reads' waits and the NoC term of an exp from `memory` to L1.
    let read_and_noc = |device, memory| {
        let inputs = [TensorParams::tiled(
            &[1, 1, 512, 512],
            DType::Bfloat16,
            memory,
        )];
        let out = inputs[0].with_memory(MemoryConfig::L1_INTERLEAVED);
        let q = Query::new(Op::EltwiseUnary, &inputs)
            .output(&out)
            .params(&exp);
        let f = |name| feature_of(&PerfModels::new(device), &q, family, name);
        (f("read_wait_scale"), f("noc_scale"))
    };
    let wait = |device, memory| read_and_noc(device, memory).0;
    // Wormhole: 4 tiles per core and the fill, 383 cycles and 2 KiB at 21.9 B a cycle, at
    // 1 GHz.
    assert_close(
        wait(Device::WormholeB0, MemoryConfig::DRAM_INTERLEAVED),
        5.0 * (383.0 + 2048.0 / 21.9),
        "wormhole",
    );
    // Blackhole p150 (130 cores): 2 tiles on the busiest core and the fill, 479 cycles and
    // 2 KiB at 21.3 B a cycle (tt-metal's plot: a lone 2 KiB read takes 578), at 1.35 GHz.
    assert_close(
        wait(Device::Blackhole, MemoryConfig::DRAM_INTERLEAVED),
        3.0 * (479.0 + 2048.0 / 21.3) / 1.35,
        "blackhole",
    );
    assert_close(
        wait(Device::WormholeB0, MemoryConfig::L1_INTERLEAVED),
        5.0 * (290.0 + 2048.0 / 30.0),
        "from L1: 290 cycles and 2 KiB at 30 B a cycle",
    );
    assert_close(
        wait(Device::Blackhole, MemoryConfig::L1_INTERLEAVED),
        3.0 * (368.0 + 2048.0 / 54.0) / 1.35,
        "from L1 on blackhole: 368 cycles and 2 KiB at 54 B a cycle",
    );
    // Input and output height-sharded alike over 8 cores: each core reads its own shard.
    let sharded = l1_sharded(MemoryLayout::HeightSharded, 8, 1, [64, 512]);
    let inputs = [TensorParams::tiled(
        &[1, 1, 512, 512],
        DType::Bfloat16,
        sharded,
    )];
    let q = Query::new(Op::EltwiseUnary, &inputs)
        .output(&inputs[0])
        .params(&exp);
    let models = PerfModels::new(Device::WormholeB0);
    assert_eq!(
        feature_of(&models, &q, family, "read_wait_scale"),
        0.0,
        "own shard"
    );
    // Read from a DRAM-sharded input, nothing is waited for: its page crosses the NoC term
    // with the page written (4 tiles on the busiest of the 64 cores, 2 KiB each at 30 B a
    // cycle, 1 GHz). From DRAM-interleaved pages, the NoC term has the written page only.
    let grid = CoreRange::of_grid(CoreGrid::new(8, 1));
    let shard = ShardSpec::new(grid, [64, 512], ShardOrientation::RowMajor);
    let dram_sharded = MemoryConfig::sharded(BufferType::Dram, MemoryLayout::HeightSharded, shard);
    let (sharded_wait, sharded_noc) = read_and_noc(Device::WormholeB0, dram_sharded);
    assert_eq!(sharded_wait, 0.0, "nothing waited for");
    assert_close(sharded_noc, 4.0 * 2.0 * 2048.0 / 30.0, "two pages");
    assert_close(
        read_and_noc(Device::WormholeB0, MemoryConfig::DRAM_INTERLEAVED).1,
        4.0 * 2048.0 / 30.0,
        "the written page",
    );
}

/// bh20_oft's relu of a row-major `[7680, 256]` bfloat16 tensor height-sharded over a 5x4
/// grid (shards of 384 x 256): ttnn's sharded factory runs each shard's 196,608 bytes as 96
/// bfloat16 tiles, so each of the 20 cores does 96 tiles at v1's 288 cycles (1.35 GHz);
/// nothing moves over the NoC or to DRAM (row-major and interleaved it is not modeled:
/// `tests/errors`).
#[test]
fn unary_of_a_row_major_shard_runs_its_bytes_as_tiles() {
    let models = PerfModels::new(Device::Blackhole);
    let sharded = l1_sharded(MemoryLayout::HeightSharded, 5, 4, [384, 256]);
    let x = TensorParams::new(
        Shape::new(&[7680, 256]),
        DType::Bfloat16,
        Layout::RowMajor,
        sharded,
    );
    let params = [enum_param("unary_op", "relu")];
    let e = v1(&models, Op::EltwiseUnary, &[x], &params);
    assert_close(
        e.breakdown.compute_ns,
        96.0 * 288.0 / 1.35,
        "96 tiles of relu",
    );
    assert_eq!((e.breakdown.noc_ns, e.breakdown.dram_ns), (0.0, 0.0));
}

/// binary_ng's where of two tensors and a scalar (`where_tst`) runs on the SFPU: a
/// `[160, 160]` bfloat16 pair in DRAM is 25 tiles, one on each of 25 Wormhole cores, each at
/// v1's 512 SFPU cycles (1 GHz) and no FPU pass.
#[test]
fn binary_where_runs_on_the_sfpu() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[160, 160]), dram(&[160, 160])];
    let params = [enum_param("binary_op", "where_tst")];
    let e = v1(&models, Op::EltwiseBinary, &inputs, &params);
    assert_close(
        e.breakdown.compute_ns,
        2.0 * 512.0,
        "one SFPU tile and the fill",
    );
}

/// binary_ng's fused activations: each is one more SFPU pass over every output tile, at
/// eltwise_unary's v1 figure for its function (2,080 cycles for silu, 288 for relu); a scalar
/// b's activation runs once, on its one tile.
#[test]
fn binary_fused_activations_pay_each_function_per_tile() {
    let models = PerfModels::new(Device::WormholeB0);
    // 64 tiles on 64 cores: one each, and the pipeline's fill one more; an SFPU multiply is
    // 512 cycles a tile in v1.
    let two = [dram(&[1, 1, 256, 256]), dram(&[1, 1, 256, 256])];
    // The compute a tile: the two tiles' time over two.
    let per_tile = |inputs: &[TensorParams], activations: &[(&str, &str)]| {
        let mut params = vec![enum_param("binary_op", "mul")];
        params.extend(activations.iter().map(|(k, v)| enum_param(k, v)));
        v1(&models, Op::EltwiseBinary, inputs, &params)
            .breakdown
            .compute_ns
            / 2.0
    };
    assert_close(per_tile(&two, &[]), 512.0, "the multiply");
    assert_close(
        per_tile(&two, &[("lhs_activation", "silu")]),
        512.0 + 2080.0,
        "SwiGLU: silu(a) * b",
    );
    assert_close(
        per_tile(
            &two,
            &[("rhs_activation", "sigmoid"), ("post_activation", "relu")],
        ),
        512.0 + 2080.0 + 288.0,
        "sigmoid on b, relu on the result",
    );
    assert_close(
        per_tile(&two, &[("rhs_activation", "recip")]),
        512.0 + 288.0,
        "a reciprocal is a few multiply-adds an element",
    );
    assert_close(
        per_tile(&two[..1], &[("rhs_activation", "sigmoid")]),
        512.0,
        "a scalar b's activation is not per tile",
    );
    assert_close(
        per_tile(&two[..1], &[("post_activation", "sigmoid")]),
        512.0 + 2080.0,
        "the result's is",
    );
}

/// The SFPU steps ttnn wraps around a binary op (binary_ng's `OpConfig`) cost a pass each, as
/// a fused activation does: a comparison's test of the difference, a logical and's `nez` of
/// each input and of the result, a divide's reciprocal of b on the FPU (none on the SFPU,
/// which divides natively), logaddexp's `exp` of each input and `log` of the sum. An int32
/// comparison runs natively on the SFPU.
#[test]
fn binary_ops_pay_the_sfpu_steps_ttnn_wraps_around_them() {
    let models = PerfModels::new(Device::WormholeB0);
    // 64 tiles on 64 cores: one each, and the pipeline's fill one more; v1's FPU pass is 64
    // cycles a tile, an SFPU op 512, a few-instruction pass 288, a function 2,080.
    let two = [dram(&[1, 1, 256, 256]), dram(&[1, 1, 256, 256])];
    let per_tile = |inputs: &[TensorParams], op: &str, unit: &str| {
        let params = [
            enum_param("binary_op", op),
            enum_param("compute_unit", unit),
        ];
        v1(&models, Op::EltwiseBinary, inputs, &params)
            .breakdown
            .compute_ns
            / 2.0
    };
    let int = TensorParams::tiled(
        &[1, 1, 256, 256],
        DType::Int32,
        MemoryConfig::DRAM_INTERLEAVED,
    );
    let ints = [int, int];
    let cases: [(&[TensorParams], &str, &str, f64, &str); 8] = [
        (&two, "add", "fpu", 64.0, "an add is the FPU pass alone"),
        (&two, "ge", "fpu", 64.0 + 288.0, "a subtract, then gez"),
        (
            &two,
            "logical_and",
            "fpu",
            64.0 + 3.0 * 288.0,
            "nez of a, of b and of the product",
        ),
        (
            &two[..1],
            "logical_and",
            "fpu",
            64.0 + 2.0 * 288.0,
            "a scalar b's nez runs once",
        ),
        (
            &two,
            "div",
            "fpu",
            64.0 + 288.0,
            "recip of b, then a multiply",
        ),
        (&two, "div", "sfpu", 512.0, "the SFPU divides natively"),
        (
            &two,
            "logaddexp",
            "fpu",
            64.0 + 3.0 * 2080.0,
            "exp of each input, log of the sum",
        ),
        (
            &ints,
            "ge",
            "sfpu",
            512.0,
            "an int32 comparison is one SFPU op",
        ),
    ];
    for (inputs, op, unit, cycles, why) in cases {
        assert_close(per_tile(inputs, op, unit), cycles, why);
    }
}

/// fill_pad touches only the tiles that hold padding: a GPT-OSS attention mask's
/// `[1, 32, 17, 2880]` (padded to 32 rows) has one bottom tile row of 90 tiles in each of its
/// 32 slices, 2880 tiles, 23 on the busiest of the p150's 130 cores. Each is read and written
/// back (DRAM both ways) and costs, in v1, an SFPU select (512 cycles) and a fill (288), with
/// one tile more for the pipeline's fill.
#[test]
fn fill_pad_works_the_padded_border_only() {
    let models = PerfModels::new(Device::Blackhole);
    let mask = dram_padded(&[1, 32, 32, 2880], &[1, 32, 17, 2880]);
    let e = v1(&models, Op::FillPad, &[mask], &[]);
    assert_close(
        e.breakdown.compute_ns,
        24.0 * (512.0 + 288.0) / 1.35,
        "23 tiles and the fill, a select and a fill each",
    );
    assert_close(
        e.breakdown.dram_ns,
        2880.0 * 2048.0 / BH_DRAM + 2880.0 * 2048.0 / BH_DRAM_WRITE,
        "each border tile read and written",
    );
    // A corner tile (both sides padded) selects twice; the right column and the bottom row
    // share it: `[1, 2, 33, 33]` padded to 64 x 64 is 3 border tiles a slice, 6 on 6 cores
    // (one each), and each core's corner (2 corners over 6 cores: one on the busiest).
    let both = dram_padded(&[1, 2, 64, 64], &[1, 2, 33, 33]);
    let e = v1(&models, Op::FillPad, &[both], &[]);
    assert_close(
        e.breakdown.compute_ns,
        (2.0 * (512.0 + 288.0) + 512.0) / 1.35,
        "one tile, the fill, a corner's second select",
    );
    // Without padding there is nothing to fill: the launch only.
    let whole = dram(&[1, 1, 64, 64]);
    let e = v1(&models, Op::FillPad, &[whole], &[]);
    assert_close(e.duration_ns, e.breakdown.overhead_ns, "launch only");
    assert_close(e.breakdown.compute_ns, 0.0, "no compute");
    assert_close(e.breakdown.dram_ns, 0.0, "no traffic");
}

/// fill_pad v2: before its first select the writer builds a mask tile for each padded side,
/// storing its 1,024 elements one at a time by a 5-instruction loop
/// (`generate_mask_tile`: compare, select, store, increment, branch), at the device's rate for
/// such a loop (`Hardware::store_loop_cycles`). A right- and bottom-padded tensor builds two.
#[test]
fn fill_pad_builds_a_mask_tile_for_each_padded_side() {
    for (device, card) in [
        (Device::Blackhole, Card::P150),
        (Device::WormholeB0, Card::N150),
    ] {
        let models = PerfModels::new(device);
        let hw = Hardware::of(card);
        let mask_ns = 1024.0 * hw.store_loop_cycles(5.0) * 1000.0 / hw.clock_mhz;
        let overhead = |logical: &[u32]| {
            let x = [dram_padded(&[1, 1, 64, 64], logical)];
            let e = models
                .query(&Query::new(Op::FillPad, &x).version(2))
                .unwrap();
            e.breakdown.overhead_ns - hw.launch_overhead_ns
        };
        assert_close(
            overhead(&[1, 1, 64, 50]),
            mask_ns,
            "right padding: one mask",
        );
        assert_close(
            overhead(&[1, 1, 50, 64]),
            mask_ns,
            "bottom padding: one mask",
        );
        assert_close(overhead(&[1, 1, 50, 50]), 2.0 * mask_ns, "both: two masks");
        assert_close(overhead(&[1, 1, 64, 64]), 0.0, "no padding, no mask");
    }
}

#[test]
fn bfloat4_b_pages_bound_a_blackhole_eltwise_read_by_the_banks_request_rate() {
    // 16,384 tiles read from DRAM on Blackhole, one request a tile to its bank's endpoint,
    // one per 16.4 cycles (tt-metal issue #55898): 2,048 a bank, 24.9 us at 1.35 GHz. In
    // bfloat4_b (9.4 MB, 20.0 us at the achievable bandwidth) the requests bound the reads; in
    // bfloat16 (33.6 MB, 71.2 us) the bytes do. A binary op's reader reads both inputs.
    let models = PerfModels::new(Device::Blackhole);
    let x = |dtype| TensorParams::tiled(&[1, 1, 4096, 4096], dtype, MemoryConfig::DRAM_INTERLEAVED);
    let out = TensorParams::tiled(
        &[1, 1, 4096, 4096],
        DType::Bfloat16,
        MemoryConfig::L1_INTERLEAVED,
    );
    let unary_reads = |dtype| {
        let (inputs, params) = ([x(dtype)], [enum_param("unary_op", "neg")]);
        let q = Query::new(Op::EltwiseUnary, &inputs)
            .output(&out)
            .params(&params);
        feature_of(&models, &q, Family::EltwiseUnaryRoofline, "dram_scale")
    };
    let requests_ns = |requests: f64| requests / 8.0 * 16.4 / 1.35;
    assert_close(
        unary_reads(DType::Bfloat4B),
        requests_ns(16384.0),
        "bfp4: requests",
    );
    assert_close(
        unary_reads(DType::Bfloat16),
        16384.0 * 2048.0 / BH_DRAM,
        "bf16: bytes",
    );
    let inputs = [x(DType::Bfloat4B), x(DType::Bfloat4B)];
    let params = [enum_param("binary_op", "add")];
    let q = Query::new(Op::EltwiseBinary, &inputs)
        .output(&out)
        .params(&params);
    assert_close(
        feature_of(&models, &q, Family::EltwiseBinaryRoofline, "dram_scale"),
        requests_ns(2.0 * 16384.0),
        "binary: both inputs' requests",
    );
}

#[test]
fn unary_on_shards_that_do_not_divide_the_tensor_runs_over_the_worker_grid() {
    // tt-metal's unary takes its native sharded path (each core its own shard) only for input
    // and output sharded alike in L1 with shards that divide the tensor
    // (`is_native_L1_sharding`); otherwise it splits the tiles over the worker grid. A
    // `[32, 6144]` tensor width-sharded over 8 cores: shards of 768 columns divide it (24
    // tiles a core, 8 cores); shards of 1,792 do not (192 tiles over Wormhole's 64 cores: 3
    // a core).
    let family = Family::EltwiseUnaryRoofline;
    let models = PerfModels::new(Device::WormholeB0);
    let sigmoid = [enum_param("unary_op", "sigmoid")];
    let split = |shard_cols: u32| {
        let memory = l1_sharded(MemoryLayout::WidthSharded, 8, 1, [32, shard_cols]);
        let inputs = [TensorParams::tiled(
            &[1, 1, 32, 6144],
            DType::Bfloat16,
            memory,
        )];
        let q = Query::new(Op::EltwiseUnary, &inputs)
            .output(&inputs[0])
            .params(&sigmoid);
        (
            feature_of(&models, &q, family, "core_skew_cycles"),
            feature_of(&models, &q, family, "transcendental_tile_cycles"),
        )
    };
    assert_eq!(split(768), (8.0, 24.0), "even shards: the shard grid");
    assert_eq!(split(1792), (64.0, 3.0), "uneven shards: the worker grid");
}

#[test]
fn binary_on_a_shard_grid_larger_than_its_shards_runs_each_shard_on_one_core() {
    // bh20_oft's add of two `[2304, 1792]` tensors height-sharded in shards of 128 x 1792 over a
    // 5x4 grid: the 2304 rows fill 18 shards, so 18 of the 20 cores each run a whole shard
    // (4 x 56 = 224 tiles) and two hold nothing: the busiest core's tiles are a shard's, not
    // the 4032 tiles over 20 cores (202). With 20 shards of 2560 rows, all 20 run 224 each.
    let family = Family::EltwiseBinaryRoofline;
    let models = PerfModels::new(Device::Blackhole);
    let add = [
        enum_param("binary_op", "add"),
        enum_param("compute_unit", "fpu"),
    ];
    let fpu_tiles = |rows: u32| {
        let memory = l1_sharded(MemoryLayout::HeightSharded, 5, 4, [128, 1792]);
        let x = TensorParams::tiled(&[1, 1, rows, 1792], DType::Bfloat16, memory);
        let inputs = [x, x];
        let q = Query::new(Op::EltwiseBinary, &inputs)
            .output(&x)
            .params(&add);
        // The feature is the busiest core's tiles and the pipeline's fill, in ns per cycle.
        feature_of(&models, &q, family, "fpu_tile_cycles") * 1.35 - 1.0
    };
    assert_close(
        fpu_tiles(2304),
        224.0,
        "18 shards on a 20-core grid: a shard a core",
    );
    assert_close(fpu_tiles(2560), 224.0, "20 shards: a shard a core");
    assert_close(fpu_tiles(128), 224.0, "one shard: one core runs it all");
}
