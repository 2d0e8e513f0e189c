//! The v1 formulas against figures worked out by hand from the specs.
//!
//! Figures used (see `model_specs/devices/*.toml` and the v1 versions):
//! - wormhole_b0 n150: 1.0 GHz, 8x8 grid, launch 2200 ns, DRAM 288 GB/s x 0.92 = 264.96 B/ns,
//!   NoC 30 B/cycle for 2 KiB transfers, 64 cycles per tile product at HiFi4, 32 at HiFi2.
//! - blackhole p150: 1.35 GHz, 13x10 grid, launch 600 ns, DRAM 512 GB/s x 0.92 = 471.04 B/ns,
//!   NoC 54 B/cycle for 2 KiB transfers, 16 cycles per tile product at LoFi.
//! - bfloat16 tile 2048 B. v1 eltwise: copy 32, transcendental 2048, FPU 64, broadcast 16
//!   cycles per tile, no scalar fill. Every v1 scale is 1.0 and every v1 extra overhead or
//!   per-tile term 0; v1 matmul adds the first K block's NoC time (nothing overlaps it) to the
//!   overhead.
//!
//! Versions are pinned to 1 so calibrated versions added later do not change these figures.

use ttnn_op_perf_models::*;

const WH_DRAM: f64 = 288.0 * 0.92;
const BH_DRAM: f64 = 512.0 * 0.92;

fn assert_close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: got {got}, want {want}"
    );
}

fn dram(dims: &[u32]) -> TensorParams {
    TensorParams::tiled(dims, DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED)
}

/// Version 1 of `op`, which must answer.
fn v1(models: &PerfModels, op: Op, inputs: &[TensorParams], params: &[OpParam<'_>]) -> Estimate {
    models
        .query(&Query::new(op, inputs).params(params).version(1))
        .unwrap()
}

/// Where parameter `name` of `family` sits among its parameters (and its features).
fn param_index(family: Family, name: &str) -> usize {
    family
        .params()
        .iter()
        .position(|p| p.name == name)
        .unwrap_or_else(|| panic!("{family} has no parameter {name}"))
}

fn enum_param<'a>(key: &'a str, value: &'a str) -> OpParam<'a> {
    OpParam::new(key, ParamValue::Enum(value))
}

#[test]
fn unary_exp_is_sfpu_bound() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 512, 512])]; // 256 tiles: four per core of the 8x8 grid
    let params = [enum_param("unary_op", "exp")];
    let e = v1(&models, Op::EltwiseUnary, &inputs, &params);
    assert_close(
        e.breakdown.compute_ns,
        4.0 * (32.0 + 2048.0),
        "4 x (copy 32 + exp 2048) cycles at 1 GHz",
    );
    assert_close(
        e.breakdown.dram_ns,
        2.0 * 256.0 * 2048.0 / WH_DRAM,
        "read + write 256 tiles",
    );
    assert_close(
        e.breakdown.noc_ns,
        4.0 * 2.0 * 2048.0 / 30.0,
        "per tile one page in, one out",
    );
    assert_close(e.breakdown.overhead_ns, 2200.0, "launch");
    assert_close(e.duration_ns, 2200.0 + 4.0 * 2080.0, "duration");
    assert_eq!(e.bound, Bound::Compute);
    assert_eq!(e.accuracy, Accuracy::Uncalibrated);
}

#[test]
fn one_tile_per_core_is_overhead_bound() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 256, 256])]; // 64 tiles: one per core
    let params = [enum_param("unary_op", "exp")];
    let e = v1(&models, Op::EltwiseUnary, &inputs, &params);
    // 32 + 2048 cycles of copy and exp < 2200 ns of launch.
    assert_close(e.duration_ns, 2200.0 + 2080.0, "duration");
    assert_eq!(e.bound, Bound::Overhead);
}

#[test]
fn matmul_2d_on_wormhole_is_compute_bound_at_hifi4() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 1024, 1024]), dram(&[1, 1, 1024, 1024])];
    let params = [enum_param("program_config", "mcast_2d")]; // fidelity defaults to hifi4
    let e = v1(&models, Op::Matmul, &inputs, &params);
    // 32x32x32 tiles on 8x8 cores: 4x4 output tiles per core, 32 products each.
    assert_close(
        e.breakdown.compute_ns,
        4.0 * 4.0 * 32.0 * 64.0,
        "tile products x 64 cycles",
    );
    assert_close(
        e.breakdown.dram_ns,
        3.0 * 1024.0 * 2048.0 / WH_DRAM,
        "a, b, out once",
    );
    let noc_bytes = (4.0 * 32.0 + 32.0 * 4.0 + 4.0 * 4.0) * 2048.0;
    assert_close(
        e.breakdown.noc_ns,
        noc_bytes / 30.0,
        "a block + b block + out block",
    );
    // Before the first product the first K block arrives, which nothing overlaps: Kt = 32
    // in blocks of 4 (its largest divisor up to 4), a 4x4 tiles and b 4x4 tiles.
    let first_block = (4.0 * 4.0 + 4.0 * 4.0) * 2048.0 / 30.0;
    assert_close(
        e.breakdown.overhead_ns,
        2200.0 + first_block,
        "launch + first block",
    );
    assert_close(e.duration_ns, 2200.0 + first_block + 32768.0, "duration");
    assert_eq!(e.bound, Bound::Compute);
}

#[test]
fn matmul_auto_on_blackhole_is_dram_bound_at_lofi() {
    let models = PerfModels::new(Device::Blackhole);
    let inputs = [dram(&[1024, 1024]), dram(&[1024, 1024])];
    let params = [enum_param("math_fidelity", "lofi")];
    let e = v1(&models, Op::Matmul, &inputs, &params);
    // auto -> 2D on 13x10: ceil(32/10) = 4 rows by ceil(32/13) = 3 columns of tiles per core.
    assert_close(
        e.breakdown.compute_ns,
        4.0 * 3.0 * 32.0 * 16.0 / 1.35,
        "LoFi products",
    );
    assert_close(
        e.breakdown.dram_ns,
        3.0 * 1024.0 * 2048.0 / BH_DRAM,
        "a, b, out once",
    );
    let noc_bytes = (4.0 * 32.0 + 32.0 * 3.0 + 4.0 * 3.0) * 2048.0;
    assert_close(
        e.breakdown.noc_ns,
        noc_bytes / 54.0 / 1.35,
        "blocks at 54 B/cycle",
    );
    // First K block (Kt = 32 in blocks of 4): a 4x4 tiles, b 4x3 tiles.
    let first_block = (4.0 * 4.0 + 4.0 * 3.0) * 2048.0 / 54.0 / 1.35;
    assert_close(
        e.breakdown.overhead_ns,
        600.0 + first_block,
        "launch + first block",
    );
    assert_close(
        e.duration_ns,
        600.0 + first_block + 3.0 * 1024.0 * 2048.0 / BH_DRAM,
        "duration",
    );
    assert_eq!(e.bound, Bound::Dram);
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
    // each two 8-row passes of four: half of 64 HiFi4 cycles.
    assert_close(
        e.breakdown.compute_ns,
        32.0 * 64.0 * 0.5,
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
fn binary_add_with_row_broadcast() {
    let models = PerfModels::new(Device::WormholeB0);
    let a = dram(&[1, 1, 64, 1024]);
    let b = TensorParams::new(
        Shape::padded(&[1, 1, 32, 1024], &[1, 1, 1, 1024]),
        DType::Bfloat16,
        Layout::TILE,
        MemoryConfig::DRAM_INTERLEAVED,
    );
    let inputs = [a, b];
    let params = [enum_param("binary_op", "add")];
    let e = v1(&models, Op::EltwiseBinary, &inputs, &params);
    // 64 output tiles over the 64 cores of the n150 grid (interleaved: the whole grid), one
    // each; 1 ns per cycle.
    assert_close(e.breakdown.compute_ns, 64.0, "FPU tile");
    assert_close(
        e.breakdown.dram_ns,
        (64.0 + 32.0 + 64.0) * 2048.0 / WH_DRAM,
        "a, b, out",
    );
    // On the reader and writer: the broadcast tile filled by the reader (1024 cycles), the
    // round trips of the tile and of the pipeline's fill (2 x 750 cycles), three pages at
    // 30 B/cycle.
    let noc = 1024.0 + 2.0 * 750.0 + 3.0 * 2048.0 / 30.0;
    assert_close(e.breakdown.noc_ns, noc, "fill, round trips, three pages");
    assert_close(e.duration_ns, 2200.0 + noc, "duration");
    // 1.2 us of DRAM traffic hides behind 2.7 us of NoC round trips and fill.
    assert_eq!(e.bound, Bound::Noc);
}

#[test]
fn binary_mul_pays_fidelity_phases() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 256, 256]), dram(&[1, 1, 256, 256])];
    let mul = |fidelity| {
        let params = [
            enum_param("binary_op", "mul"),
            enum_param("math_fidelity", fidelity),
        ];
        v1(&models, Op::EltwiseBinary, &inputs, &params)
            .breakdown
            .compute_ns
    };
    assert_close(mul("lofi"), 64.0, "one phase");
    // Three further phases of 16 cycles each.
    assert_close(mul("hifi4"), 64.0 + 3.0 * 16.0, "four phases");
}

#[test]
fn interleaved_to_sharded_on_blackhole() {
    let models = PerfModels::new(Device::Blackhole);
    let input = dram(&[1, 1, 122880, 32]); // 3840 tiles
    let shard = ShardSpec::new(
        CoreRange {
            start: (0, 0),
            end: (4, 3),
        },
        [6144, 32],
        ShardOrientation::RowMajor,
    );
    let output = TensorParams::tiled(
        &[1, 1, 122880, 32],
        DType::Bfloat16,
        MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard),
    );
    let inputs = [input];
    let e = models
        .query(
            &Query::new(Op::InterleavedToSharded, &inputs)
                .output(&output)
                .version(1),
        )
        .unwrap();
    let bytes = 3840.0 * 2048.0;
    assert_close(
        e.breakdown.dram_ns,
        bytes / BH_DRAM,
        "every byte from DRAM once",
    );
    assert_close(
        e.breakdown.noc_ns,
        bytes / 20.0 / 54.0 / 1.35,
        "a shard per core, tile pages",
    );
    assert_close(e.duration_ns, 600.0 + bytes / BH_DRAM, "duration");
}

#[test]
fn row_major_reshard_pays_for_small_pages() {
    let models = PerfModels::new(Device::WormholeB0);
    let sharded = |grid_end: (u8, u8), shape: [u32; 2]| {
        let spec = ShardSpec::new(
            CoreRange {
                start: (0, 0),
                end: grid_end,
            },
            shape,
            ShardOrientation::RowMajor,
        );
        TensorParams::new(
            Shape::new(&[1, 1, 1024, 64]),
            DType::Bfloat16,
            Layout::RowMajor,
            MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, spec),
        )
    };
    let from = sharded((7, 0), [128, 64]); // 8 cores
    let to = sharded((3, 0), [256, 64]); // 4 cores
    let inputs = [from];
    let e = models
        .query(&Query::new(Op::Reshard, &inputs).output(&to).version(1))
        .unwrap();
    // 128 KiB; the busiest (output) core writes 32 KiB in 128-byte rows at 5.5 B/cycle.
    assert_close(e.breakdown.noc_ns, 32768.0 / 5.5, "row pages");
    assert_eq!(e.breakdown.dram_ns, 0.0);
    assert_eq!(e.bound, Bound::Noc);
}

#[test]
fn fallback_moves_every_byte_once() {
    let models = PerfModels::builder(Device::WormholeB0)
        .fallback(true)
        .build()
        .unwrap();
    let inputs = [dram(&[1, 1, 1024, 1024])];
    let e = models
        .query(&Query::named("LayerNormDeviceOperation", &inputs))
        .unwrap();
    let bytes = 2.0 * 1024.0 * 2048.0; // input + an output of the same size
    assert_close(e.breakdown.dram_ns, bytes / WH_DRAM, "DRAM");
    assert_close(
        e.breakdown.noc_ns,
        bytes / 64.0 / 30.0,
        "spread over 64 cores",
    );
    assert_eq!(
        e.source,
        Source::Fallback {
            device: Device::WormholeB0,
            op: None
        }
    );
    assert!(e.is_fallback());
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
    assert_close(e.breakdown.compute_ns, 64.0, "FPU tile");
    assert_close(
        e.breakdown.dram_ns,
        2.0 * 64.0 * 2048.0 / WH_DRAM,
        "a and out only",
    );
    let fill = |inputs: &[TensorParams]| {
        let q = Query::new(Op::EltwiseBinary, inputs).params(&params);
        let family = Family::EltwiseBinaryRoofline;
        let at = param_index(family, "scalar_fill_cycles");
        models.features(&q, family).unwrap().as_slice()[at]
    };
    assert_eq!(fill(&inputs), 1.0, "one fill for a scalar op");
    assert_eq!(fill(&[dram(&[1, 1, 2048, 2048])]), 1.0, "whatever its size");
    assert_eq!(fill(&[inputs[0], inputs[0]]), 0.0, "none for two tensors");
}

#[test]
fn one_matrix_serves_every_batch() {
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 64, 64]), dram(&[1, 4, 64, 64])];
    let params = [enum_param("program_config", "mcast_2d")];
    let e = v1(&models, Op::Matmul, &inputs, &params);
    // 4 batches of 2x2 output tiles: 8 tile rows over 8 core rows, 2 columns over 8: one
    // output tile per core, 2 products at HiFi4.
    assert_close(
        e.breakdown.compute_ns,
        2.0 * 64.0,
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
fn generated_config_rereads_b_when_the_output_block_is_shrunk() {
    // The sweep's shape: a [640, 864] height-sharded over 1 core (20 x 27 tiles), b [864, 32]
    // in DRAM, the output sharded like a. Whole, the block's buffers do not fit in Wormhole's
    // L1 above its reserved base; ttnn shrinks it to 5 x 1 tiles, so b (27 tiles) is read
    // once per row of blocks, 4 times. An explicit 1D config keeps the whole block.
    let models = PerfModels::new(Device::WormholeB0);
    let grid = CoreGrid::new(1, 1);
    let sharded = |cols: u32| {
        MemoryConfig::sharded(
            BufferType::L1,
            MemoryLayout::HeightSharded,
            ShardSpec::new(
                CoreRange::of_grid(grid),
                [640, cols],
                ShardOrientation::RowMajor,
            ),
        )
    };
    let inputs = [
        TensorParams::tiled(&[640, 864], DType::Bfloat16, sharded(864)),
        dram(&[864, 32]),
    ];
    let output = TensorParams::tiled(&[640, 32], DType::Bfloat16, sharded(32));
    let dram_ns = |config: &str| {
        let params = [enum_param("program_config", config)];
        models
            .query(
                &Query::new(Op::Matmul, &inputs)
                    .params(&params)
                    .output(&output)
                    .grid(grid)
                    .version(1),
            )
            .unwrap()
            .breakdown
            .dram_ns
    };
    assert_close(dram_ns("mcast_1d"), 27.0 * 2048.0 / WH_DRAM, "b once");
    assert_close(
        dram_ns("auto"),
        4.0 * 27.0 * 2048.0 / WH_DRAM,
        "b per block row",
    );
}

#[test]
fn unary_with_32_bit_data_pays_the_32_bit_destination() {
    // ttnn sets fp32_dest_acc_en when a unary op's (or typecast's) input or output is float32,
    // int32 or uint32: every tile of the busiest core pays `fp32_dest_tile_cycles`.
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::EltwiseUnaryRoofline;
    let at = param_index(family, "fp32_dest_tile_cycles");
    let exp = [enum_param("unary_op", "exp")];
    let tiled = |dtype| {
        // 512 x 512: 256 tiles, 4 per core of the 8x8 grid; 4 tiles at 1 ns per cycle.
        TensorParams::tiled(&[1, 1, 512, 512], dtype, MemoryConfig::DRAM_INTERLEAVED)
    };
    let feature = |op, x: TensorParams, out: TensorParams, params: &[OpParam<'_>]| {
        let inputs = [x];
        let q = Query::new(op, &inputs).output(&out).params(params);
        models.features(&q, family).unwrap().as_slice()[at]
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
        bh.features(&q, family).unwrap().as_slice()[at],
        2.0 / 1.35,
        "blackhole",
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
        let at = param_index(family, name);
        models
            .features(&Query::new(Op::Matmul, inputs), family)
            .unwrap()
            .as_slice()[at]
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
    // `batch_mcast_ns` (0 in v1) counts the output blocks of each further unfused batch, when
    // the batch's work is multicast to more than one core.
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::MatmulRoofline;
    let at = param_index(family, "batch_mcast_ns");
    let rounds = |inputs: &[TensorParams], config: &'static str| {
        let params = [OpParam::new("program_config", ParamValue::Enum(config))];
        let q = Query::new(Op::Matmul, inputs).params(&params);
        models.features(&q, family).unwrap().as_slice()[at]
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
fn unary_dram_reads_and_writes_are_separate_features() {
    // `dram_scale` weighs the input's DRAM bytes, `dram_write_scale` the output's.
    let models = PerfModels::new(Device::WormholeB0);
    let family = Family::EltwiseUnaryRoofline;
    let index = |name: &str| param_index(family, name);
    let (read, write) = (index("dram_scale"), index("dram_write_scale"));
    let exp = [enum_param("unary_op", "exp")];
    // 256 float32 tiles of 4096 B: 1 MiB at 264.96 B/ns.
    let t = |memory| TensorParams::tiled(&[1, 1, 512, 512], DType::Float32, memory);
    let mib = 256.0 * 4096.0 / WH_DRAM;
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
    assert_close(r, mib, "DRAM to DRAM reads");
    assert_close(w, mib, "DRAM to DRAM writes");
    assert_eq!(features(dram, l1), (r, 0.0), "DRAM to L1 reads only");
    assert_eq!(features(l1, dram), (0.0, w), "L1 to DRAM writes only");
    assert_eq!(features(l1, l1), (0.0, 0.0), "L1 to L1");
}

#[test]
fn unary_core_skew_counts_the_cores_of_the_split() {
    // The cores start one after another: the feature is how many the tiles are split over,
    // so it never falls as the op grows.
    let family = Family::EltwiseUnaryRoofline;
    let at = param_index(family, "core_skew_ns");
    let exp = [enum_param("unary_op", "exp")];
    let cores = |device, x: TensorParams| {
        let inputs = [x];
        let q = Query::new(Op::EltwiseUnary, &inputs).params(&exp);
        PerfModels::new(device)
            .features(&q, family)
            .unwrap()
            .as_slice()[at]
    };
    let wh = |rows, cols| cores(Device::WormholeB0, dram(&[1, 1, rows, cols]));
    // Wormhole n150, 8x8 = 64 cores.
    assert_eq!(wh(512, 512), 64.0, "256 tiles: 4 on every core");
    assert_eq!(wh(32, 640), 20.0, "20 tiles: one on each of 20 cores");
    assert_eq!(wh(64, 1024), 64.0, "64 tiles: one on every core");
    assert_eq!(wh(64, 1056), 64.0, "66 tiles: 2 on 2 cores, 1 on 62");
    // Blackhole p150, 13x10 = 130 cores: 256 tiles are 2 on 126 cores, 1 on 4.
    assert_eq!(
        cores(Device::Blackhole, dram(&[1, 1, 512, 512])),
        130.0,
        "blackhole"
    );
    // Height-sharded over a 4x2 grid of 8 cores (shards of 4 x 16 tiles): all 8.
    let shard = ShardSpec::new(
        CoreRange {
            start: (0, 0),
            end: (3, 1),
        },
        [128, 512],
        ShardOrientation::RowMajor,
    );
    let x = TensorParams::tiled(
        &[1, 1, 1024, 512],
        DType::Bfloat16,
        MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard),
    );
    assert_eq!(cores(Device::WormholeB0, x), 8.0, "sharded");
}

#[test]
fn minimal_matmul_computes_whole_padded_blocks() {
    // The Wormhole CLIP trace's MinimalMatmulOp `[1, 1, 32, 1280] @ [1280, 5120]`, HiFi4,
    // MinimalMatmulConfig(M_block 2, K_block 8, N_block 8) on 8 x 8 cores: the 1 M tile pads
    // to one 2-tile block, 160 N tiles are 20 blocks of 8, div_up(20, 8) = 3 per grid column,
    // so the busiest core computes 2 x 24 output tiles over K = 40 tiles (5 blocks of 8):
    // 1920 products x 64 cycles at 1 GHz.
    let models = PerfModels::new(Device::WormholeB0);
    let inputs = [dram(&[1, 1, 32, 1280]), dram(&[1280, 5120])];
    let params = [
        enum_param("program_config", "minimal"),
        OpParam::new("m_block", ParamValue::Int(2)),
        OpParam::new("in0_block_w", ParamValue::Int(8)),
        OpParam::new("n_block", ParamValue::Int(8)),
        OpParam::new("out_subblock_h", ParamValue::Int(2)),
        OpParam::new("out_subblock_w", ParamValue::Int(2)),
    ];
    let e = v1(&models, Op::Matmul, &inputs, &params);
    assert_close(
        e.breakdown.compute_ns,
        2.0 * 24.0 * 40.0 * 64.0,
        "padded block products x 64 cycles",
    );
}

#[test]
fn dram_sharded_matmul_computes_on_one_worker_per_bank() {
    // qwen_2_5_3b `down` of the Blackhole decode sweep: `[1, 1, 32, 11008] @ [11008, 2048]`
    // bfp8, DRAM-sharded over the p150's 8 banks, LoFi, in0 width-sharded over 8 cores of
    // an 11 x 10 grid. One worker per bank: 64 / 8 = 8 N tiles over K = 344 tiles, 2752
    // products x 16 cycles at 1.35 GHz. The DRAM term reads b (344 x 64 bfp8 tiles of 1088 B)
    // and a (344 bfloat16 tiles) is in L1.
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
    let e = models
        .query(
            &Query::new(Op::Matmul, &inputs)
                .params(&params)
                .output(&output)
                .grid(grid)
                .version(1),
        )
        .unwrap();
    assert_close(
        e.breakdown.compute_ns,
        8.0 * 344.0 * 16.0 / 1.35,
        "one bank's columns x 16 cycles",
    );
    assert_close(
        e.breakdown.dram_ns,
        344.0 * 64.0 * 1088.0 / BH_DRAM,
        "b once",
    );
}
