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
