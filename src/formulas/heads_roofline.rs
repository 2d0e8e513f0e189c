//! `heads_roofline`: the attention head data movers (`nlp_create_heads`, `nlp_concat_heads`),
//! ops that copy every element once to a new place without computing on it. Each op stands
//! for every form tt-metal has of it (per-model create-heads such as Falcon-7B's and ViT's,
//! the sharded create_qkv_heads, BERT's concatenate_heads; their op specs list the OP CODEs):
//! all move each input tile once.
//!
//! It reads the input and output tensors' padded shapes (tiles, tile rows), layouts,
//! dtypes (bytes per tile) and memory configs (DRAM or L1 for the DRAM term; a
//! sharded tensor's shard grid for the cores that work). The head counts (`num_q_heads`,
//! `num_kv_heads`, ...) are not read: every input tile moves once whatever the split, and the
//! shapes give the tile count; the decode form from an interleaved input waits once per
//! head, and takes the heads from the shapes too (the fused row's width over the output's
//! head width).
//!
//! Not here: `halo` (`HaloDeviceOperation`, `sliding_window/halo/`), though also a copy: it
//! moves row-major sticks in runs whose number and length follow the convolution's geometry,
//! and is `window_roofline`'s with conv2d's other stick movers.
//!
//! How tt-metal splits the work, and what each case costs here:
//!
//! * **Heads, interleaved** (`experimental/transformer/nlp_create_qkv_heads/device/
//!   nlp_create_qkv_heads_program_factory.cpp`, `nlp_concat_heads/device/
//!   nlp_concat_heads_program_factory.cpp`): the blocks are the rows of tiles of the fused
//!   tensor (`[B, 1, S, H D]`: the input of create-heads, the output of concat-heads), split
//!   over the grid by `split_work_to_cores` (the traces agree: 128 tokens run on 4 cores,
//!   3200 on 100, 8192 on all 110); per block the reader reads each tile of the row,
//!   one at a time, each followed by `noc_async_read_barrier`
//!   (`kernels/dataflow/reader_tm_tile_layout_nlp_create_qkv_heads.cpp`,
//!   `reader_tm_tile_layout_nlp_concat_heads.cpp`), and the writer writes each to its place.
//!   Counted: the busiest core's rows times the tiles of a row, at the tile NoC rate once
//!   (`noc_scale`): the reader (one data-movement core, one NoC) and the writer (the other)
//!   run at once through a circular buffer (4 tiles, `cb_num_tiles = micro_block_size * 4`;
//!   SegFormer's `nlp_create_qkv_heads_segformer_program_factory.cpp`: two rows), so the
//!   reads and the writes overlap and the slower side's time counts, not their sum (the
//!   one-core decode from L1, ~114 cycles a tile measured, is 102 so and 140 summed); each
//!   read waited for, in cycles (`tile_wait_cycles`; the
//!   datasheets give no latency, so v1 takes a 2 KiB tile at 32 B a cycle, 64), plus, for
//!   tiles read from DRAM, the device's DRAM read latency each (`dram_wait_scale`: tt-metal's
//!   measured latency of one core's small DRAM read, 479 cycles on Blackhole, 383 on
//!   Wormhole, `dram_access` in the device spec);
//!   and every byte read from and written to DRAM once (`dram_scale`). Counted in cycles, not
//!   as multiples of a tile's NoC time: the traces' per-tile costs (about 550 cycles a tile
//!   on Blackhole from DRAM, 120 from L1 in the one-core decode, 300-600 on Wormhole from L1
//!   with the fixed cost in) do not follow the devices' NoC bandwidths.
//! * **Heads, sharded**: the cores are the sharded tensor's shard grid (the input's, else the
//!   output's), each moving its share of the tiles, counted as above. The decode forms
//!   (`nlp_create_qkv_heads_decode`, `nlp_concat_heads_decode`) gather face rows instead: a
//!   create-heads core takes one user's row from every tile of the fused row (one row of
//!   tiles, into sharded heads), a concat-heads core (height-sharded users into
//!   width-sharded heads) one head's face rows of every user, each read 16 values wide (see
//!   `decode_create`, `decode_concat`). From an interleaved input the create-heads core
//!   waits once per head: on a Blackhole decode of 32 users, `[1, 1, 32, 5120]` into 40 heads
//!   took 26.4 µs where its 5 tiles a core would be under 3; from a sharded one, once at the
//!   end. Then nothing paces the readers, and all of them walk the shard cores in the same
//!   order: the core they all read at a time answers them one after another, two flits (a
//!   header and a face row) a read on each NoC (`hot_source_ns`). On a public Blackhole
//!   Phi-3.5 decode a create-heads of 32 users from a sharded `[1, 1, 32, 9216]` took 21 µs,
//!   where one core's 288 reads go out in about 5 µs; its sources' 18,432 cycles are 14 µs.
//!
//! It assumes the cores work in parallel and that the first outputs (query heads) do not
//! change the byte count: the input holds every byte the outputs together hold.

use crate::error::Error;
use crate::generated::{HeadsRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, max, min};
use crate::tensor::{MemoryLayout, TensorParams};

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<HeadsRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    // The operand rules make the output required for these ops.
    let Some(y) = cx.output else {
        return Err(cx.not_modeled("a head op without its output tensor"));
    };
    let overflow = Error::Overflow {
        what: "attention head bytes",
    };
    let grid = cx.grid.cores() as u64;
    match cx.params {
        OpParams::NlpCreateHeads(_) | OpParams::NlpConcatHeads(_) => {}
        _ => return Err(cx.foreign_params()),
    }
    // Every input tile (a separate KV input's too) moves once.
    let mut tiles = 0u64;
    let mut bytes = 0u64;
    let mut i = 0;
    while i < cx.inputs.len() {
        let t = &cx.inputs[i];
        tiles = tiles.saturating_add(some_or!(t.tiles(), overflow));
        bytes = bytes.saturating_add(some_or!(t.bytes(cx.hw), overflow));
        i += 1;
    }
    let tile = some_or!(x.tile_bytes(cx.hw), overflow);
    // Every byte read from DRAM where the inputs live there, written where the output does.
    let dram_ns = cx.dram_traffic_ns(
        if x.memory.is_dram() { bytes } else { 0 },
        if y.memory.is_dram() { bytes } else { 0 },
    );
    // The decode form: one row of tiles (the users of one token) from an interleaved tensor
    // into sharded heads.
    let plane = x.shape.dim_from_end(0) as u64 * x.shape.dim_from_end(1) as u64;
    let one_tile_row =
        matches!(x.tile_grid(), Some((1, _))) && matches!(x.shape.volume(), Some(v) if v == plane);
    if let (OpParams::NlpCreateHeads(_), Some(_), true) = (cx.params, y.shard_cores(), one_tile_row)
    {
        return decode_create(cx, x, y, dram_ns);
    }
    // The decode concat-heads: one user's heads a core (height-sharded) into the users' fused
    // rows, width-sharded a head a core.
    if let (OpParams::NlpConcatHeads(_), MemoryLayout::HeightSharded, MemoryLayout::WidthSharded) =
        (cx.params, x.memory.layout, y.memory.layout)
    {
        return decode_concat(cx, x, y, dram_ns);
    }
    let per_core = match x.shard_cores() {
        Some(c) => ceil_div(tiles, c),
        None => match y.shard_cores() {
            Some(c) => ceil_div(tiles, c),
            None => {
                // Blocks: rows of tiles of the fused tensor (create-heads' input,
                // concat-heads' output).
                let fused = match cx.params {
                    OpParams::NlpConcatHeads(_) => y,
                    _ => x,
                };
                let width = fused.row_tiles();
                let rows = max(ceil_div(tiles, width), 1);
                let cores = max(min(grid, rows), 1);
                ceil_div(rows, cores).saturating_mul(width)
            }
        },
    };
    let moved = per_core.saturating_mul(tile);
    Ok(HeadsRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        dram_scale: dram_ns,
        // The reader (on one data-movement core and NoC) and the writer (on the other) work
        // at once through the circular buffer: the busiest core's tiles cross the NoC once
        // in each direction at the same time, the slower side's rate.
        noc_scale: f64::max(cx.noc_ns_of_tiles(moved, x), cx.noc_ns_of_tiles(moved, y)),
        tile_wait_cycles: per_core as f64 * cx.cycles_to_ns(1.0),
        dram_wait_scale: if x.memory.is_dram() {
            per_core as f64 * cx.cycles_to_ns(cx.hw.dram_read_latency_cycles)
        } else {
            0.0
        },
        head_wait_scale: 0.0,
    })
}

/// The decode form of create-heads (one row of tiles: the users of one token) into sharded
/// heads: each core of the output shard grid takes one user's row of the fused tensor and
/// reads it from every tile of the row, a face row (16 values) a tile, its two data-movement
/// cores one face column each (`PHASES_TO_READ`). From an interleaved input
/// (`nlp_create_qkv_heads_decode_interleaved_program_factory.cpp`,
/// `reader_interleaved_tm_tile_layout_nlp_create_qkv_heads_decode.cpp`) each issues a head's
/// reads and waits once per head, `Hq + 2 Hkv` heads (the fused row's width over the head
/// width, the output's last dim); a face row narrower than the input buffer's NoC read
/// alignment (bfloat16 from Blackhole's DRAM: 32 B against 64) takes the aligned path: a
/// head's aligned chunks read and waited for, then its face rows copied into place over the
/// core's own NoC and waited for again (a local read's latency). From a sharded input
/// (`reader_tm_tile_layout_nlp_create_qkv_heads_decode.cpp`) every read goes out before one
/// wait at the end. Counted: the waits at their latencies (`head_wait_scale`), the reads at
/// the NoC rate of their size (`noc_scale`), `dram` bytes through DRAM.
const fn decode_create(
    cx: &Ctx<'_>,
    x: &TensorParams,
    y: &TensorParams,
    dram_ns: f64,
) -> Result<HeadsRooflineFeatures, Error> {
    let hw = cx.hw;
    let face_row = tri!(face_row_bytes(cx, x));
    let head_width = max(y.shape.dim_from_end(0) as u64, 1);
    let heads = max(ceil_div(x.shape.dim_from_end(0) as u64, head_width), 1);
    // Every tile of the fused row gives each core one read.
    let row_tiles = x.row_tiles();
    let (read, waits, waited) = if x.memory.layout.is_sharded() {
        (face_row, 1, hw.noc_core_read_latency_cycles)
    } else if !x.memory.is_dram() {
        (face_row, heads, hw.noc_core_read_latency_cycles)
    } else if face_row < hw.read_alignment(x) {
        (
            hw.read_alignment(x),
            heads,
            hw.dram_read_latency_cycles + hw.noc_core_read_latency_cycles,
        )
    } else {
        (face_row, heads, hw.dram_read_latency_cycles)
    };
    let issue = cx.noc_ns_at(row_tiles.saturating_mul(read), hw.noc_bytes_per_cycle(read));
    // From a sharded input every core walks the shard cores in the same order, unhindered
    // by waits: the shard core they all read at a time answers them one after another. (An
    // interleaved input's head spreads its tiles over as many banks, and its waits pace the
    // readers.)
    let serve = match (x.memory.layout.is_sharded(), y.shard_cores()) {
        (true, Some(readers)) => hot_source_ns(cx, readers.saturating_mul(row_tiles), face_row),
        _ => 0.0,
    };
    Ok(HeadsRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        dram_scale: dram_ns,
        noc_scale: f64::max(issue, serve),
        tile_wait_cycles: 0.0,
        dram_wait_scale: 0.0,
        head_wait_scale: cx.cycles_to_ns(waits as f64 * waited),
    })
}

/// The decode form of concat-heads (`nlp_concat_heads_decode_program_factory.cpp`): each
/// core of the output's shard grid (a head) gathers its head's face rows of every user from
/// the input's shard cores (a user each), for every user and every tile of the head width
/// one face row a data-movement core (`reader_tm_tile_layout_nlp_concat_heads_decode.cpp`,
/// `PHASES_TO_READ`), all issued before one wait at the end. Counted as the sharded
/// create-heads: the reads at the NoC rate of their size, one wait for the last.
const fn decode_concat(
    cx: &Ctx<'_>,
    x: &TensorParams,
    y: &TensorParams,
    dram_ns: f64,
) -> Result<HeadsRooflineFeatures, Error> {
    let hw = cx.hw;
    let face_row = tri!(face_row_bytes(cx, x));
    let users = max(x.shape.dim_from_end(2) as u64, 1);
    let reads = users.saturating_mul(x.row_tiles());
    let issue = cx.noc_ns_at(reads.saturating_mul(face_row), hw.noc_bytes_per_cycle(face_row));
    // Every head's core walks the users' cores in the same order: each user's core answers
    // all heads' reads of its tiles one after another.
    let readers = match y.shard_cores() {
        Some(c) => c,
        None => 1,
    };
    Ok(HeadsRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        dram_scale: dram_ns,
        noc_scale: f64::max(issue, hot_source_ns(cx, readers.saturating_mul(reads), face_row)),
        tile_wait_cycles: 0.0,
        dram_wait_scale: 0.0,
        head_wait_scale: cx.cycles_to_ns(hw.noc_core_read_latency_cycles),
    })
}

/// Time for one core's NoC interface to answer `reads` reads of `bytes` each, on each of its
/// two NoCs (the decode gathers read one face column a data-movement core, one a NoC) one
/// after another: a response is a packet of one header flit and its data flits, of
/// `noc.link_bytes_per_cycle` bytes each, and the interface sends a flit a cycle
/// (tt-isa-documentation, Blackhole and Wormhole "NoC": one header flit, then up to 256 data
/// flits of 64 or 32 bytes).
const fn hot_source_ns(cx: &Ctx<'_>, reads: u64, bytes: u64) -> f64 {
    let flit = max(cx.hw.noc_link_bytes_per_cycle as u64, 1);
    cx.cycles_to_ns(reads as f64 * (1 + ceil_div(bytes, flit)) as f64)
}

/// Bytes of one face row (16 values) of `x`: the decode forms read a tile a face row at a
/// time, which a block-float tile does not have.
const fn face_row_bytes(cx: &Ctx<'_>, x: &TensorParams) -> Result<u64, Error> {
    match x.dtype.element_bytes() {
        Some(e) => Ok(16 * e as u64),
        None => Err(cx.not_modeled("the decode head op of a block-float tensor")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::{BufferType, CoreRange, Layout, MemoryLayout, ShardOrientation, ShardSpec, TensorParams};
    use crate::{Card, DType, Hardware, MemoryConfig, Op, QueryParams, Shape};
    use crate::formulas::test_support::close;

    fn tiled(dims: &[u32], memory: MemoryConfig) -> TensorParams {
        TensorParams::new(Shape::new(dims), DType::Bfloat16, Layout::TILE, memory)
    }

    fn features_of(
        op: Op,
        card: Card,
        x: TensorParams,
        y: TensorParams,
    ) -> HeadsRooflineFeatures {
        let hw = Hardware::of(card);
        let inputs = [x];
        let cx = Ctx::new(op, hw, QueryParams::ByName(&[]), &inputs, Some(&y), hw.compute_grid)
            .unwrap();
        features(&cx).unwrap()
    }

    /// L1 height-sharded on 8 x 4 cores, a tile row of 128 a core: one head a core.
    fn heads_on_32_cores() -> MemoryConfig {
        let grid = CoreRange::of_grid(crate::CoreGrid::new(8, 4));
        let shard = ShardSpec::new(grid, [32, 128], ShardOrientation::RowMajor);
        MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard)
    }

    /// A 128-token prefill's create-heads on a p150 (13x10 grid): `[1, 1, 128, 5120]` is 4
    /// rows of 160 tiles, one row per core (4 cores), so the busiest core reads 160 tiles and
    /// writes 160, waiting for each read (160 waits); DRAM reads and writes the 1.25 MiB once each.
    #[test]
    fn create_heads_by_hand() {
        let x = tiled(&[1, 1, 128, 5120], MemoryConfig::DRAM_INTERLEAVED);
        let y = tiled(&[1, 32, 128, 128], MemoryConfig::DRAM_INTERLEAVED);
        let f = features_of(Op::NlpCreateHeads, Card::P150, x, y);
        let hw = Hardware::of(Card::P150);
        let tile_ns = 2048.0 / hw.noc_bytes_per_cycle(2048) / (hw.clock_mhz / 1000.0);
        assert!(close(f.tile_wait_cycles, 160.0 * 1000.0 / hw.clock_mhz));
        // Each read from DRAM also waits out Blackhole's 479-cycle DRAM latency.
        assert!(close(f.dram_wait_scale, 160.0 * 479.0 * 1000.0 / hw.clock_mhz));
        // Read and written at once: 160 tiles' time, not 320.
        assert!(close(f.noc_scale, 160.0 * tile_ns));
        // Read and written once.
        let bytes = 128.0 * 5120.0 * 2.0;
        assert!(close(f.dram_scale, bytes * (hw.ns_per_dram_byte + hw.ns_per_dram_write_byte)));
        // A fixed cost of one cycle, 1 / 1.35 ns.
        assert!(close(f.overhead_cycles, 1000.0 / hw.clock_mhz));
    }

    /// Concat-heads splits the rows of its output: `[1, 32, 8192, 128] -> [1, 1, 8192, 4096]`
    /// is 256 rows of 128 tiles over 130 cores, 2 rows (256 tiles) on the busiest.
    #[test]
    fn concat_heads_splits_the_output_rows() {
        let x = tiled(&[1, 32, 8192, 128], MemoryConfig::DRAM_INTERLEAVED);
        let y = tiled(&[1, 1, 8192, 4096], MemoryConfig::DRAM_INTERLEAVED);
        let f = features_of(Op::NlpConcatHeads, Card::P150, x, y);
        let hw = Hardware::of(Card::P150);
        assert!(close(f.tile_wait_cycles, 256.0 * 1000.0 / hw.clock_mhz));
    }

    /// The decode create-heads of 32 users from DRAM on a p150, `[1, 1, 32, 5120]` into 32
    /// query and 4 + 4 key and value heads of 128 (the output, height-sharded on 32 cores,
    /// `[1, 32, 32, 128]`): each core waits once per head, 40 heads. A bfloat16 face row
    /// (32 B) is under Blackhole's 64-B DRAM read alignment: the aligned path, a DRAM read
    /// (479 cycles) and a local copy (368) a wait. Each core reads a 64-B chunk of each of
    /// the row's 160 tiles. From L1 (16-B alignment) a wait is one core-to-core read.
    #[test]
    fn decode_create_heads_from_interleaved_waits_per_head() {
        let y = tiled(&[1, 32, 32, 128], heads_on_32_cores());
        let hw = Hardware::of(Card::P150);
        let cycle = 1000.0 / hw.clock_mhz;
        let dram = features_of(Op::NlpCreateHeads, Card::P150, tiled(&[1, 1, 32, 5120], MemoryConfig::DRAM_INTERLEAVED), y);
        assert!(close(dram.head_wait_scale, 40.0 * (479.0 + 368.0) * cycle));
        assert!(close(dram.noc_scale, 160.0 * 64.0 / hw.noc_bytes_per_cycle(64) * cycle));
        assert_eq!((dram.tile_wait_cycles, dram.dram_wait_scale), (0.0, 0.0));
        let l1 = features_of(Op::NlpCreateHeads, Card::P150, tiled(&[1, 1, 32, 5120], MemoryConfig::L1_INTERLEAVED), y);
        assert!(close(l1.head_wait_scale, 40.0 * 368.0 * cycle));
        assert!(close(l1.noc_scale, 160.0 * 32.0 / hw.noc_bytes_per_cycle(32) * cycle));
        // Four rows of tiles (a prefill's 128 tokens) are not the decode form.
        let prefill = features_of(Op::NlpCreateHeads, Card::P150, tiled(&[1, 1, 128, 5120], MemoryConfig::DRAM_INTERLEAVED), y);
        assert_eq!(prefill.head_wait_scale, 0.0);
        // A block-float fused tensor has no face rows of values to read: said so.
        let dram_tiled = |dims: &[u32], dtype| TensorParams::new(Shape::new(dims), dtype, Layout::TILE, MemoryConfig::DRAM_INTERLEAVED);
        let features_with = |inputs: &[TensorParams]| {
            let cx = Ctx::new(Op::NlpCreateHeads, hw, QueryParams::ByName(&[]), inputs, Some(&y), hw.compute_grid).unwrap();
            features(&cx)
        };
        let bfp8 = dram_tiled(&[1, 1, 32, 5120], DType::Bfloat8B);
        assert!(matches!(features_with(&[bfp8]), Err(Error::ModeNotModeled { .. })));
        // A separate KV input too large to count saturates the DRAM bytes: no overflow, a
        // finite time.
        let q = dram_tiled(&[1, 1, 32, 5120], DType::Bfloat16);
        let kv = dram_tiled(&[67_108_864, 67_108_864, 32, 32], DType::Bfloat16);
        let f = features_with(&[q, kv]).unwrap();
        assert!(f.dram_scale.is_finite() && f.dram_scale > 1e15);
    }

    /// L1 width-sharded on 8 x 4 cores, `width` columns a core.
    fn width_sharded_on_32_cores(width: u32) -> MemoryConfig {
        let grid = CoreRange::of_grid(crate::CoreGrid::new(8, 4));
        let shard = ShardSpec::new(grid, [32, width], ShardOrientation::RowMajor);
        MemoryConfig::sharded(BufferType::L1, MemoryLayout::WidthSharded, shard)
    }

    /// The decode gathers from sharded tensors issue every face-row read before one wait at
    /// the end, every reader walking the source cores in the same order, so the source they
    /// all read at a time answers them one after another: a 32-B face row is a header flit
    /// and one data flit on Blackhole's 64-B NoC, two cycles a read on each NoC. Create-heads
    /// of Phi-3.5's 32 users, `[1, 1, 32, 9216]` width-sharded over 32 cores into 96-wide
    /// heads: each core reads a face row from each of the row's 288 tiles, and the 32 readers'
    /// 9,216 reads take 18,432 cycles at their source, more than one core's 288 take to go
    /// out. Concat-heads of 32 users' 32 heads of 96, `[1, 32, 32, 96]` one user a core, into
    /// `[1, 1, 32, 3072]` width-sharded one head a core: each core reads a face row of each
    /// user's 3 head tiles, 96 reads, and the 32 heads' cores 3,072 from the users' cores.
    #[test]
    fn sharded_decode_heads_gather_face_rows_and_wait_once() {
        let hw = Hardware::of(Card::P150);
        let cycle = 1000.0 / hw.clock_mhz;
        let per_read = 32.0 / hw.noc_bytes_per_cycle(32) * cycle;
        let fused = tiled(&[1, 1, 32, 9216], width_sharded_on_32_cores(288));
        let create = features_of(Op::NlpCreateHeads, Card::P150, fused, tiled(&[1, 32, 32, 96], heads_on_32_cores()));
        assert!(288.0 * per_read < 32.0 * 288.0 * 2.0 * cycle);
        assert!(close(create.noc_scale, 32.0 * 288.0 * 2.0 * cycle));
        assert!(close(create.head_wait_scale, hw.noc_core_read_latency_cycles * cycle));
        let heads = tiled(&[1, 32, 32, 96], heads_on_32_cores());
        let concat = features_of(Op::NlpConcatHeads, Card::P150, heads, tiled(&[1, 1, 32, 3072], width_sharded_on_32_cores(96)));
        assert!(close(concat.noc_scale, f64::max(96.0 * per_read, 32.0 * 96.0 * 2.0 * cycle)));
        assert!(close(concat.head_wait_scale, hw.noc_core_read_latency_cycles * cycle));
        assert_eq!((concat.tile_wait_cycles, concat.dram_scale), (0.0, 0.0));
    }

    /// One reader has no one to queue behind: a one-core gather's reads go out at one
    /// core's NoC rate, not at its source's (one user's 4 head tiles into a head on one core).
    #[test]
    fn one_reader_is_not_held_up_at_its_source() {
        let hw = Hardware::of(Card::P150);
        let cycle = 1000.0 / hw.clock_mhz;
        let one_core = |layout| {
            let grid = CoreRange::of_grid(crate::CoreGrid::new(1, 1));
            let shard = ShardSpec::new(grid, [32, 128], ShardOrientation::RowMajor);
            MemoryConfig::sharded(BufferType::L1, layout, shard)
        };
        let user = tiled(&[1, 1, 32, 128], one_core(MemoryLayout::HeightSharded));
        let head = tiled(&[1, 1, 32, 128], one_core(MemoryLayout::WidthSharded));
        let f = features_of(Op::NlpConcatHeads, Card::P150, user, head);
        let per_read = 32.0 / hw.noc_bytes_per_cycle(32) * cycle;
        assert!(per_read > 2.0 * cycle);
        assert!(close(f.noc_scale, 4.0 * per_read));
    }

    /// A sharded concat into an interleaved output works on the input's shard grid: 32 cores
    /// of one tile each.
    #[test]
    fn sharded_heads_use_the_shard_grid() {
        let x = tiled(&[1, 1, 1024, 128], heads_on_32_cores());
        let y = tiled(&[1, 1, 32, 4096], MemoryConfig::L1_INTERLEAVED);
        let f = features_of(Op::NlpConcatHeads, Card::P150, x, y);
        let hw = Hardware::of(Card::P150);
        // 128 tiles over 32 cores: 4 each.
        assert!(close(f.tile_wait_cycles, 4.0 * 1000.0 / hw.clock_mhz));
        assert_eq!(f.dram_scale, 0.0);
        assert_eq!(f.dram_wait_scale, 0.0);
    }
}
