//! `data_movement_roofline` (interleaved to sharded, reshard) and the fallback.

use super::*;

/// Blackhole's DRAM read of one core, waited for: 479 cycles, then 21.3 B/cycle, at 1.35 GHz.
fn bh_waited_read_ns(bytes: f64) -> f64 {
    (479.0 + bytes / 21.3) / 1.35
}

/// Row-major shards of `shape` on bh20_oft's 20 cores (5 x 4 from the origin).
fn on_bh20_oft_cores(shape: [u32; 2]) -> ShardSpec {
    let grid = CoreRange {
        start: (0, 0),
        end: (4, 3),
    };
    ShardSpec::new(grid, shape, ShardOrientation::RowMajor)
}

/// bh20_oft's `[122880, 32]` bfloat16 move onto 20 cores, 192 tiles each (measured 22.6 us).
/// With 20 readers, the reader waits every (512 / 20) x 1152 / 2048 = 14 tiles: 13 batches of
/// 14 and one of 10. The first wait is in the launch overhead; the other 12 batches of 14 and
/// the last of 10 add to the shard's NoC time.
#[test]
fn interleaved_to_sharded_on_blackhole() {
    let models = PerfModels::new(Device::Blackhole);
    let input = dram(&[1, 1, 122880, 32]); // 3840 tiles
    let shard = on_bh20_oft_cores([6144, 32]);
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
    let waits = 12.0 * bh_waited_read_ns(14.0 * 2048.0) + bh_waited_read_ns(10.0 * 2048.0);
    assert_close(
        e.breakdown.noc_ns,
        bytes / 20.0 / 54.0 / 1.35 + waits,
        "a shard per core in tile pages, and the waits",
    );
    assert_eq!(e.bound, Bound::Noc);
    assert_close(e.duration_ns, 600.0 + e.breakdown.noc_ns, "duration");
}

/// bh20_oft's row-major `[1920, 256]` bfloat16 onto 20 cores, 96 sticks of 512 B each
/// (measured 41.7 us). Blackhole's reader waits for every stick, aligned or not: 95 waits
/// after the first. Wormhole's reads the aligned sticks back to back and waits once.
#[test]
fn row_major_sticks_are_each_waited_for_on_blackhole_only() {
    let shard = on_bh20_oft_cores([96, 256]);
    let rm = |memory| {
        TensorParams::new(
            Shape::new(&[1, 1, 1920, 256]),
            DType::Bfloat16,
            Layout::RowMajor,
            memory,
        )
    };
    let inputs = [rm(MemoryConfig::DRAM_INTERLEAVED)];
    let output = rm(MemoryConfig::sharded(
        BufferType::L1,
        MemoryLayout::HeightSharded,
        shard,
    ));
    let query = |device| {
        PerfModels::new(device)
            .query(
                &Query::new(Op::InterleavedToSharded, &inputs)
                    .output(&output)
                    .version(1),
            )
            .unwrap()
    };
    let (bh, wh) = (query(Device::Blackhole), query(Device::WormholeB0));
    // The shard's 48 KiB in 512 B pages at 18 B/cycle on both (Blackhole at 1.35 GHz).
    let shard_bytes = 96.0 * 512.0;
    assert_close(
        bh.breakdown.noc_ns,
        shard_bytes / 18.0 / 1.35 + 95.0 * bh_waited_read_ns(512.0),
        "Blackhole: every stick waited for",
    );
    assert_close(
        wh.breakdown.noc_ns,
        shard_bytes / 18.0,
        "Wormhole: one wait, at the end",
    );
}

/// A Wormhole SegFormer trace's `[1, 8, 256, 256]` bfloat16 tiles, height-sharded on 8 cores
/// (64 tiles each), back to L1 interleaved (measured 19.3 us on tt-metal of February 2025).
/// That tt-metal's writer waited for each tile: 63 waits after the first, each a write's
/// round trip (295 cycles) and the tile at 30 B/cycle, at 1 GHz. Today's writer waits once.
/// Row-major shards wait for each 512-byte stick the same way (18 B/cycle at 512 B).
#[test]
fn the_earlier_sharded_to_interleaved_writer_waits_for_each_page() {
    let models = PerfModels::new(Device::WormholeB0);
    let tensor = |layout, memory| {
        TensorParams::new(
            Shape::new(&[1, 8, 256, 256]),
            DType::Bfloat16,
            layout,
            memory,
        )
    };
    let waits = [OpParam::new("waits_each_page", ParamValue::Bool(true))];
    let round_trip = |layout, params: &[OpParam<'_>]| {
        let shards = l1_sharded(MemoryLayout::HeightSharded, 8, 1, [256, 256]);
        let inputs = [tensor(layout, shards)];
        let output = tensor(layout, MemoryConfig::L1_INTERLEAVED);
        let q = Query::new(Op::ShardedToInterleaved, &inputs)
            .output(&output)
            .params(params);
        feature_of(
            &models,
            &q,
            Family::DataMovementRoofline,
            "round_trip_scale",
        )
    };
    let tiles = Layout::Tile {
        height: 32,
        width: 32,
    };
    assert_close(
        round_trip(tiles, &waits),
        63.0 * (295.0 + 2048.0 / 30.0),
        "a write's round trip and a tile, 63 times",
    );
    assert_close(
        round_trip(Layout::RowMajor, &waits),
        255.0 * (295.0 + 512.0 / 18.0),
        "a round trip and a 512-byte stick, 255 times",
    );
    assert_eq!(round_trip(tiles, &[]), 0.0, "today's writer waits once");
}

/// The NoC feature of a reshard of `dims` from `from` to `to` on `device`: the busier
/// data-movement core of the busiest output core, reading its shard's pieces.
fn reshard_noc(
    device: Device,
    dims: &[u32],
    layout: Layout,
    from: MemoryConfig,
    to: MemoryConfig,
) -> f64 {
    let t = |memory| TensorParams::new(Shape::new(dims), DType::Bfloat16, layout, memory);
    let (inputs, output) = ([t(from)], t(to));
    let q = Query::new(Op::Reshard, &inputs).output(&output);
    let models = PerfModels::new(device);
    feature_of(&models, &q, Family::DataMovementRoofline, "noc_scale")
}

/// Height- to height-sharded (tt-metal's same-width factory): each of an output core's two
/// data-movement cores reads half its pages, a piece per input shard the half touches. bh20_oft's
/// `[1920, 256]` from 20 cores (3 tile rows a shard) to 15 (4 tile rows: 32 tiles): halves of 16
/// tiles, 32 KiB, each in one or two pieces of 8 KiB or more, at the sustained 60 B/cycle.
#[test]
fn height_to_height_reshard_reads_half_a_shard_on_each_noc() {
    let from = l1_sharded(MemoryLayout::HeightSharded, 5, 4, [96, 256]);
    let to = l1_sharded(MemoryLayout::HeightSharded, 5, 3, [128, 256]);
    let got = reshard_noc(
        Device::Blackhole,
        &[1, 1, 1920, 256],
        Layout::TILE,
        from,
        to,
    );
    assert_close(
        got,
        16.0 * 2048.0 / 60.0 / 1.35,
        "16 tiles at the sustained rate",
    );
}

/// Every other pair (the generic factory): a read per run of pages on one input core. Height-
/// to block-sharded `[480, 512]`: an output shard of 3 x 4 tiles takes 4 of each of its rows'
/// 16 tiles from one input core, a run a row: 3 reads of 8 KiB, 2 on the busier core.
/// Block- back to height-sharded: an output row of 16 tiles crosses the 4 input shards of its
/// tile row, 4 runs of 4 tiles, 2 on each core: the same 16 KiB, in reads of 8 KiB.
#[test]
fn generic_reshard_reads_a_run_per_input_core_and_row() {
    let height = l1_sharded(MemoryLayout::HeightSharded, 5, 3, [32, 512]);
    let block = l1_sharded(MemoryLayout::BlockSharded, 4, 5, [96, 128]);
    let dims = [1, 1, 480, 512];
    let want = 2.0 * 4.0 * 2048.0 / 60.0 / 1.35;
    let to_block = reshard_noc(Device::Blackhole, &dims, Layout::TILE, height, block);
    assert_close(to_block, want, "2 of 3 row runs");
    let to_height = reshard_noc(Device::Blackhole, &dims, Layout::TILE, block, height);
    assert_close(to_height, want, "2 of 4 runs of the row");
}

/// Width-sharded shards of the same width on other cores are one run each, read whole by
/// one core while the other idles; narrower input shards break each output row into a run
/// per input shard, dealt to both.
#[test]
fn width_reshard_of_whole_shards_is_one_read() {
    let dims = [1, 1, 32, 4096];
    let wide = l1_sharded(MemoryLayout::WidthSharded, 8, 2, [32, 256]);
    let same = reshard_noc(Device::Blackhole, &dims, Layout::TILE, wide, wide);
    assert_close(same, 8.0 * 2048.0 / 60.0 / 1.35, "one read of 16 KiB");
    let narrow = l1_sharded(MemoryLayout::WidthSharded, 8, 4, [32, 128]);
    let halves = reshard_noc(Device::Blackhole, &dims, Layout::TILE, narrow, wide);
    // Two runs of 8 KiB (Blackhole's NoC: 54 B/cycle at 2 KiB, 60 at 4 KiB and above).
    assert_close(
        halves,
        4.0 * 2048.0 / 60.0 / 1.35,
        "one run of 4 tiles on each core",
    );
}

/// Row-major width- to width-sharded (the same-height factory): each core reads half the rows,
/// one read per row per input shard its columns touch, at the NoC rate of that piece. Wormhole
/// `[64, 1024]` from 128- to 256-wide shards: 64 rows x 2 reads of 256 B, 32 rows on each core.
/// Height- to height-sharded row-major rows of an aligned width are read as pages, in pieces:
/// `[1024, 64]` from 8 cores (128 rows) to 4 (256 rows): each half, 16 KiB, is one input shard.
#[test]
fn row_major_reshards_read_rows_or_pieces() {
    let narrow = l1_sharded(MemoryLayout::WidthSharded, 8, 1, [64, 128]);
    let wide = l1_sharded(MemoryLayout::WidthSharded, 4, 1, [64, 256]);
    let got = reshard_noc(
        Device::WormholeB0,
        &[1, 1, 64, 1024],
        Layout::RowMajor,
        narrow,
        wide,
    );
    assert_close(
        got,
        32.0 * 2.0 * 256.0 / 10.0,
        "64 reads of 256 B at 10 B/cycle",
    );
    let from = l1_sharded(MemoryLayout::HeightSharded, 8, 1, [128, 64]);
    let to = l1_sharded(MemoryLayout::HeightSharded, 4, 1, [256, 64]);
    let got = reshard_noc(
        Device::WormholeB0,
        &[1, 1, 1024, 64],
        Layout::RowMajor,
        from,
        to,
    );
    assert_close(
        got,
        128.0 * 128.0 / 30.0,
        "16 KiB at Wormhole's sustained 30 B/cycle",
    );
}

/// A reshard moves its bytes: twice the tensor, twice the time (the flat fit this replaced
/// put every reshard at 1.46 us).
#[test]
fn reshard_time_grows_with_the_tensor() {
    let models = PerfModels::new(Device::Blackhole);
    let time = |rows: u32| {
        let t = |memory| TensorParams::tiled(&[1, 1, rows, 2048], DType::Bfloat16, memory);
        let inputs = [t(l1_sharded(
            MemoryLayout::HeightSharded,
            8,
            8,
            [rows / 64, 2048],
        ))];
        let output = t(l1_sharded(
            MemoryLayout::BlockSharded,
            8,
            8,
            [rows / 8, 256],
        ));
        let e = models
            .query(&Query::new(Op::Reshard, &inputs).output(&output))
            .unwrap();
        e.duration_ns - e.breakdown.overhead_ns
    };
    let (small, large) = (time(4096), time(8192));
    assert!(small > 0.0, "{small}");
    assert_close(large, 2.0 * small, "twice the bytes");
}

/// A shard shape too small for its grid is a bad tensor, not a query to answer.
#[test]
fn shards_outnumbering_their_cores_are_refused() {
    let t = |shape| {
        TensorParams::tiled(
            &[1, 1, 1024, 1024],
            DType::Bfloat16,
            l1_sharded(MemoryLayout::HeightSharded, 2, 2, shape),
        )
    };
    let inputs = [t([256, 1024])];
    let output = t([32, 1024]);
    let err = PerfModels::new(Device::Blackhole)
        .query(&Query::new(Op::Reshard, &inputs).output(&output))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidTensor {
                problem: TensorProblem::TooManyShards {
                    shards: 32,
                    cores: 4
                },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("32 shards"), "{err}");
}

#[test]
fn fallback_moves_every_byte_once() {
    let models = PerfModels::builder(Device::WormholeB0)
        .fallback(true)
        .build()
        .unwrap();
    let inputs = [dram(&[1, 1, 1024, 1024])];
    let e = models
        .query(&Query::named("UnmodeledDeviceOperation", &inputs))
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

/// SegFormer's block-sharded `[1, 1, 1024, 640]` on a 7x8 grid of `[128, 96]` shards: the
/// sharded tensor is padded to 672 columns (7 whole shards), which is the same tensor; 768
/// columns (a shard more) is not, and is an error naming the output.
#[test]
fn a_sharded_side_may_be_padded_to_whole_shards_only() {
    let models = PerfModels::new(Device::WormholeB0);
    let rm = |dims: &[u32], memory| {
        TensorParams::new(Shape::new(dims), DType::Bfloat16, Layout::RowMajor, memory)
    };
    let shard = ShardSpec::new(
        CoreRange {
            start: (0, 0),
            end: (6, 7),
        },
        [128, 96],
        ShardOrientation::RowMajor,
    );
    let block = MemoryConfig::sharded(BufferType::L1, MemoryLayout::BlockSharded, shard);
    let inputs = [rm(&[1, 1, 1024, 640], MemoryConfig::L1_INTERLEAVED)];
    let query = |output: &TensorParams| {
        models.query(&Query::new(Op::InterleavedToSharded, &inputs).output(output))
    };
    let padded = query(&rm(&[1, 1, 1024, 672], block)).unwrap();
    let exact = query(&rm(&[1, 1, 1024, 640], block)).unwrap();
    // Padded, each core moves a whole 128 x 96 shard (24,576 B); exact, the even share of
    // 1024 x 640 x 2 B over 56 cores (23,406 B, rounded up), at the same page rate.
    assert_close(
        padded.breakdown.noc_ns,
        exact.breakdown.noc_ns * 24576.0 / 23406.0,
        "whole shards",
    );
    let err = query(&rm(&[1, 1, 1024, 768], block)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidTensor, "{err}");
}
