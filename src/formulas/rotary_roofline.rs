//! `rotary_roofline`: rotary position embeddings (`rotary_embedding`, with its HF form,
//! `rotary_embedding_llama` and its fused query-and-key form), which multiply every tile of
//! the heads by its position's cos and sin tiles.
//!
//! It reads the tensors' padded shapes (batch, heads, sequence and head-dim tiles), dtypes
//! (bytes per tile) and memory configs (DRAM or L1; L1-sharded tensors are read in place, a
//! sharded input's shard grid is the cores that work), and whether the rotate-half op is
//! given a decode position (`token_idx`: its reader then reads the position's cos and sin
//! row once, see below). The fidelity is not read: the tile ops are costed at one figure.
//!
//! How tt-metal splits the work, and what each case costs here (busiest core):
//!
//! * **Rotate-half** (`experimental/transformer/rotary_embedding/device/rotary_embedding_program_factory.cpp`,
//!   `rotary_embedding_hf/`): the rows of tiles of the input (`volume / W / 32`) split over
//!   the grid by `split_work_to_cores`, or over the shard grid of a sharded input or output.
//!   For every tile the reader reads the rotated tile, the sin tile, the tile and the cos
//!   tile, each followed by `noc_async_read_barrier`
//!   (`reader_rotary_embedding_interleaved_start_id.cpp`, `reader_rotary_embedding_hf_interleaved.cpp`):
//!   4 waited reads a tile (the two of an L1-sharded input, or of L1-sharded cos and sin, are
//!   local and not counted). Given a decode position (`DECODE_MODE`), the reader first reads
//!   the position's `Wt` cos and `Wt` sin tiles and waits once, then only the tile and the
//!   rotated tile, each waited for: 2 waited reads a tile. The compute kernel multiplies the
//!   rotated tile by -1 for the first half of a row's tiles, then by sin, the tile by cos,
//!   and adds: 3 tile ops a tile and one per tile of a half row. DRAM carries the input twice
//!   (tile and rotated tile), cos and sin once per input tile (every row re-reads them; a
//!   decode's once per core), and the output.
//! * **Llama** (`rotary_embedding_llama/device/rotary_embedding_llama_multi_core_program_factory.cpp`):
//!   batches over the grid, then sequence tiles over what is left; each core walks every head
//!   of its sequence tiles. Per row of `Wt` tiles the reader issues the row's reads (and cos
//!   and sin's, once a core, or every row when a core has more than 8 rows or cos and sin
//!   differ per head: the reload path) and waits once
//!   (`reader_rotary_embedding_llama_interleaved_start_id.cpp`), after one waited read of
//!   the transformation matrix. That read comes first on every core of the grid, the idle
//!   ones too (the factory creates the kernels on the whole grid and gives the cores past the
//!   work empty ranges), all at kernel start, of one page in one DRAM channel: the last core
//!   served starts its rows after the channel has served all of them (`startup_wait_scale`,
//!   an added term, not overlapped). The compute kernel multiplies the tile by the matrix (a
//!   one-tile matmul), by sin, the tile by cos, and adds: 4 tile ops a tile. A height-sharded
//!   input (decode, `rotary_embedding_llama_sharded_program_factory.cpp`) is computed in place
//!   on its shard cores: tile ops only.
//! * **Llama, queries and keys fused** (`rotary_embedding_llama_fused_qk/device/
//!   rotary_embedding_llama_fused_qk_program_factory.cpp`): a decode's queries and keys, each
//!   sharded over its own cores, rotated by one compute kernel on both sets of cores (its
//!   runtime arg says which a core holds), each core its shard in place, the sharded llama's 4
//!   tile ops a tile; no data-movement kernel. The busiest core is the one with the larger
//!   shard. Every tensor must be sharded in L1 (tt-metal validates it; an interleaved one here
//!   is an `InvalidTensor` error).
//!
//! The terms: compute is the busiest core's tile ops (`op_tile_cycles`); DRAM the bytes read
//! at the card's achievable bandwidth and written at its `dram_write_fraction` of it
//! (`dram_scale`); NoC the busiest core's tiles
//! at the tile rate (`noc_scale`) plus its waited-for reads, `wait_cycles` each and the
//! device's DRAM latency more from DRAM (`dram_wait_scale`: tt-metal's measured latency of one
//! core's small DRAM read, `dram_access` in the device spec), plus the queueing of DRAM pages many
//! cores read at once (`shared_read_scale`): the cos and sin tiles of one position, read by
//! the cores of all its heads, are served by one DRAM channel, so a read of a page `n` cores
//! share waits for up to `n - 1` others, each a tile at the channel's share of the achievable
//! bandwidth (v1 takes half, the average). It assumes the cores work in parallel and evenly.
//!
//! Measured against it (DeepSeek V3 prefill on a p150, 110-core grid, the one trace with llama
//! rows): a 32-head 3200-token rotary takes 141 us where the DRAM term says 112 (the card's
//! DRAM at 0.92 of its peak; this trace's DRAM-bound slices and typecasts run at about 0.75),
//! and the one-head form 13.9 us where the terms here give 8.4: the startup queue at the
//! channel's rate explains 3.8 us of it, the rest is not explained by a published figure.

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::{OpParams, RotaryRooflineFeatures};
use crate::model::{Ctx, ceil_div, div, max, min, one_if};
use crate::tensor::TensorParams;


/// What the busiest core does, and what crosses DRAM.
struct Work {
    /// Tile ops of the compute kernel.
    ops: u64,
    /// Tiles read and written over the NoC.
    moved: u64,
    /// Reads waited for one by one.
    waits: u64,
    /// Of those, the ones from DRAM.
    dram_waits: u64,
    /// Bytes read from DRAM, all cores.
    dram_bytes: u64,
    /// Bytes written to DRAM.
    dram_written: u64,
    /// The busiest core's reads of DRAM pages other cores read at the same time, each
    /// counted once per core sharing it.
    shared: u64,
    /// Reads of one DRAM page that every core of the grid issues at kernel start and waits
    /// for before its first row: the last core served waits for all of them.
    startup: u64,
}

/// The rotate-half op (`rotary_embedding`, its HF form); `decode` when the query gives a
/// position (`token_idx`).
const fn rotate_half(
    cx: &Ctx<'_>,
    x: &TensorParams,
    tile: u64,
    y: &TensorParams,
    decode: bool,
) -> Result<Work, Error> {
    let cos = &cx.inputs[1];
    let overflow = Error::Overflow {
        what: "rotary tiles",
    };
    let (_, wt) = some_or!(x.tile_grid(), cx.not_modeled("a row-major input"));
    let wt = max(wt, 1);
    let tiles = some_or!(x.tiles(), overflow);
    let rows = max(ceil_div(tiles, wt), 1);
    let cores = match x.shard_cores() {
        Some(c) => c,
        None => match y.shard_cores() {
            Some(c) => c,
            None => max(min(cx.grid.cores() as u64, rows), 1),
        },
    };
    let per_core_rows = ceil_div(rows, cores);
    let per_core = per_core_rows.saturating_mul(wt);
    let x_reads = 2 * one_if(!x.memory.is_l1_sharded());
    let out_moved = one_if(!y.memory.is_l1_sharded());
    let all = some_or!(tiles.checked_mul(tile), overflow);
    // The rotated tile negated for the first half of each row's tiles, then 3 ops a tile.
    let ops = per_core.saturating_mul(3).saturating_add(per_core_rows.saturating_mul(div(wt, 2)));
    // A decode reads the position's row of cos and sin (`Wt` tiles each) once, all before
    // one wait, then each tile and its rotated tile waited for one by one (`DECODE_MODE`).
    if decode {
        let cos_dram = cos.memory.is_dram();
        let table_tiles = 2 * wt * one_if(!cos.memory.is_l1_sharded());
        return Ok(Work {
            shared: 0,
            startup: 0,
            ops,
            moved: per_core.saturating_mul(x_reads + out_moved).saturating_add(table_tiles),
            waits: per_core.saturating_mul(x_reads) + one_if(table_tiles > 0),
            dram_waits: per_core.saturating_mul(2 * one_if(x.memory.is_dram())) + one_if(cos_dram),
            dram_bytes: all
                .saturating_mul(2 * one_if(x.memory.is_dram()))
                .saturating_add(cores.saturating_mul(2 * wt * tile) * one_if(cos_dram)),
            dram_written: all * one_if(y.memory.is_dram()),
        });
    }
    let cos_reads = 2 * one_if(!cos.memory.is_l1_sharded());
    let dram_reads = 2 * one_if(x.memory.is_dram()) + 2 * one_if(cos.memory.is_dram());
    // The rows of one position (every head and batch: cos and sin are [1, 1, S, D]) read the
    // same cos and sin tiles, at once when they run on different cores.
    let ht = match x.tile_grid() {
        Some((h, _)) => max(h, 1),
        None => 1,
    };
    let sharing = min(cores, max(rows / ht, 1));
    let shared = if cos.memory.is_dram() && sharing > 1 {
        per_core.saturating_mul(2).saturating_mul(sharing)
    } else {
        0
    };
    Ok(Work {
        shared,
        startup: 0,
        ops,
        moved: per_core.saturating_mul(x_reads + cos_reads + out_moved),
        waits: per_core.saturating_mul(x_reads + cos_reads),
        dram_waits: per_core.saturating_mul(dram_reads),
        dram_bytes: all.saturating_mul(dram_reads),
        dram_written: all * one_if(y.memory.is_dram()),
    })
}

/// The llama op: rows of `Wt` tiles, one waited read a row.
const fn llama(cx: &Ctx<'_>, x: &TensorParams, tile: u64, y: &TensorParams) -> Result<Work, Error> {
    let (cos, mat) = (&cx.inputs[1], &cx.inputs[3]);
    let overflow = Error::Overflow {
        what: "rotary tiles",
    };
    let (ht, wt) = some_or!(x.tile_grid(), cx.not_modeled("a row-major input"));
    let (ht, wt) = (max(ht, 1), max(wt, 1));
    let tiles = some_or!(x.tiles(), overflow);
    // Decode: computed in place on the shard cores.
    if x.memory.is_l1_sharded() {
        let cores = match x.shard_cores() {
            Some(c) => c,
            None => 1,
        };
        let written = tiles.saturating_mul(tile) * one_if(y.memory.is_dram());
        return Ok(rotated_in_place(ceil_div(tiles, cores), written));
    }
    let grid = max(cx.grid.cores() as u64, 1);
    let batch = max(x.shape.dim_from_end(3) as u64, 1);
    let heads = max(x.shape.dim_from_end(2) as u64, 1);
    let batch_split = min(batch, grid);
    let seq_split = max(min(grid / batch_split, ht), 1);
    let blocks = ceil_div(batch, batch_split).saturating_mul(ceil_div(ht, seq_split));
    let rows = blocks.saturating_mul(heads);
    let per_head_tables = heads > 1 && cos.shape.dim_from_end(2) as u64 == heads;
    let table_rows = if rows > 8 || per_head_tables { rows } else { blocks };
    let table_tiles = table_rows.saturating_mul(2 * wt);
    let per_core = rows.saturating_mul(wt);
    let cores = batch_split * seq_split;
    let table_dram = one_if(cos.memory.is_dram());
    let all = some_or!(tiles.checked_mul(tile), overflow);
    Ok(Work {
        shared: 0,
        // Every core of the grid, the idle ones too (their runtime args give them no rows),
        // reads the one tile of the transformation matrix first and waits for it.
        startup: if mat.memory.is_dram() && grid > 1 { grid } else { 0 },
        ops: per_core.saturating_mul(4),
        moved: per_core.saturating_mul(2).saturating_add(table_tiles).saturating_add(1),
        waits: rows + 1,
        dram_waits: rows * one_if(x.memory.is_dram() || cos.memory.is_dram())
            + one_if(mat.memory.is_dram()),
        dram_bytes: (all * one_if(x.memory.is_dram()))
            .saturating_add(cores.saturating_mul(table_tiles).saturating_mul(tile) * table_dram)
            .saturating_add(grid.saturating_mul(tile) * one_if(mat.memory.is_dram())),
        dram_written: all * one_if(y.memory.is_dram()),
    })
}

/// The fused query-and-key llama op: each core rotates its shard of the queries or of the
/// keys in place, 4 tile ops a tile; the busiest core holds the larger shard.
const fn llama_fused_qk(cx: &Ctx<'_>) -> Result<Work, Error> {
    let overflow = Error::Overflow {
        what: "rotary tiles",
    };
    let mut per_core = 0;
    let mut i = 0;
    // The queries and the keys; cos, sin and the matrix are read where they lie.
    while i < 2 {
        let t = &cx.inputs[i];
        let cores = match t.shard_cores() {
            Some(c) if t.memory.is_l1_sharded() => c,
            _ => {
                let problem = TensorProblem::WrongMemory {
                    expected: "sharded in L1",
                };
                return Err(cx.tensor_error(Operand::Input(i), problem));
            }
        };
        per_core = max(per_core, ceil_div(some_or!(t.tiles(), overflow), max(cores, 1)));
        i += 1;
    }
    Ok(rotated_in_place(per_core, 0))
}

/// A sharded llama rotary's work: the busiest core's `tiles` rotated in place (4 tile ops a
/// tile: the matrix multiply, by sin, by cos, the add), nothing read or moved; `dram_written`
/// bytes of output written to DRAM.
const fn rotated_in_place(tiles: u64, dram_written: u64) -> Work {
    Work {
        shared: 0,
        startup: 0,
        ops: tiles.saturating_mul(4),
        moved: 0,
        waits: 0,
        dram_waits: 0,
        dram_bytes: 0,
        dram_written,
    }
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<RotaryRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    // The output is the input's shape; absent, it is taken where the input is.
    let y = match cx.output {
        Some(y) => y,
        None => x,
    };
    let tile = some_or!(x.tile_bytes(cx.hw), cx.not_modeled("a row-major input"));
    let work = match cx.params {
        OpParams::RotaryEmbedding(p) => tri!(rotate_half(cx, x, tile, y, p.token_idx >= 0)),
        OpParams::RotaryEmbeddingLlama(_) => tri!(llama(cx, x, tile, y)),
        OpParams::RotaryEmbeddingLlamaFusedQk(_) => tri!(llama_fused_qk(cx)),
        _ => return Err(cx.foreign_params()),
    };
    let cycle = cx.cycles_to_ns(1.0);
    // A channel serves its share of the card's achievable bandwidth.
    let channels = max(cx.hw.dram_channels as u64, 1) as f64;
    Ok(RotaryRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        op_tile_cycles: work.ops as f64 * cycle,
        dram_scale: cx.dram_traffic_ns(work.dram_bytes, work.dram_written),
        noc_scale: cx.noc_ns_of_tiles(work.moved.saturating_mul(tile), x),
        wait_cycles: work.waits as f64 * cycle,
        dram_wait_scale: work.dram_waits as f64 * cx.cycles_to_ns(cx.hw.dram_read_latency_cycles),
        shared_read_scale: cx.dram_ns(work.shared.saturating_mul(tile)) * channels,
        startup_wait_scale: cx.dram_ns(work.startup.saturating_mul(tile)) * channels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::{BufferType, CoreRange, Layout, MemoryLayout, ShardOrientation, ShardSpec};
    use crate::{Card, DType, Hardware, MemoryConfig, Op, QueryParams, Shape};
    use crate::formulas::test_support::close;

    const DRAM: MemoryConfig = MemoryConfig::DRAM_INTERLEAVED;

    fn tiled(dims: &[u32], memory: MemoryConfig) -> TensorParams {
        TensorParams::new(Shape::new(dims), DType::Bfloat16, Layout::TILE, memory)
    }

    fn features_of(op: Op, inputs: &[TensorParams]) -> RotaryRooflineFeatures {
        let hw = Hardware::of(Card::P150);
        let cx = Ctx::new(op, hw, QueryParams::ByName(&[]), inputs, None, hw.compute_grid).unwrap();
        features(&cx).unwrap()
    }

    fn ns_per_cycle() -> f64 {
        1000.0 / Hardware::of(Card::P150).clock_mhz
    }

    /// A decode of 8 heads of 128 at one position (`token_idx` 5) on a p150: the 8 rows of 4
    /// tiles, one a core; each core reads the position's 4 cos and 4 sin tiles once and waits
    /// once, then waits for each tile and its rotated tile (8): 9 waits, all from DRAM. DRAM:
    /// the 32 tiles read twice and written once, and 8 table tiles a core.
    #[test]
    fn rotate_half_decode_reads_the_tables_once() {
        let x = tiled(&[1, 8, 32, 128], DRAM);
        let t = tiled(&[1, 1, 32, 128], DRAM);
        let hw = Hardware::of(Card::P150);
        let params = [crate::OpParam::new("token_idx", crate::ParamValue::Int(5))];
        let inputs = [x, t, t];
        let cx = Ctx::new(Op::RotaryEmbedding, hw, QueryParams::ByName(&params), &inputs, None, hw.compute_grid)
            .unwrap();
        let f = features(&cx).unwrap();
        assert!(close(f.wait_cycles, 9.0 * ns_per_cycle()));
        assert!(close(f.dram_wait_scale, 9.0 * 479.0 * ns_per_cycle()));
        let (read, written) = ((64.0 + 8.0 * 8.0) * 2048.0, 32.0 * 2048.0);
        assert!(close(f.dram_scale, read * hw.ns_per_dram_byte + written * hw.ns_per_dram_write_byte));
        assert_eq!(f.shared_read_scale, 0.0);
        // 4 tiles in twice and out once, and the 8 table tiles.
        assert!(close(f.noc_scale, 20.0 * 2048.0 / 54.0 * ns_per_cycle()));
    }

    /// A 32-token prefill of 8 heads of 128 on a p150 (130 cores): 8 rows of 4 tiles, one a
    /// core. Per tile 4 waited DRAM reads (16); 3 tile ops a tile and one for each of the 2
    /// tiles of the half row (14); 4 tiles in twice, cos and sin 4 each, 4 out (20 tiles).
    /// DRAM: the 32 tiles read twice, cos and sin once per tile (64), written once (160
    /// tiles). The 8 heads read one position's cos and sin at once: 8 reads of the 8 cos and
    /// sin tiles each core reads queue at one channel.
    #[test]
    fn rotate_half_by_hand() {
        let x = tiled(&[1, 8, 32, 128], DRAM);
        let t = tiled(&[1, 1, 32, 128], DRAM);
        let f = features_of(Op::RotaryEmbedding, &[x, t, t]);
        assert!(close(f.wait_cycles, 16.0 * ns_per_cycle()));
        assert!(close(f.dram_wait_scale, 16.0 * 479.0 * ns_per_cycle()));
        assert!(close(f.op_tile_cycles, 14.0 * ns_per_cycle()));
        assert!(close(f.noc_scale, 20.0 * 2048.0 / 54.0 * ns_per_cycle()));
        let hw = Hardware::of(Card::P150);
        // 32 tiles: each read twice with two table tiles, written once.
        let (read, written) = (128.0 * 2048.0, 32.0 * 2048.0);
        assert!(close(f.dram_scale, read * hw.ns_per_dram_byte + written * hw.ns_per_dram_write_byte));
        let channel_ns = 2048.0 * hw.ns_per_dram_byte * hw.dram_channels as f64;
        assert!(close(f.shared_read_scale, 8.0 * 8.0 * channel_ns));
        assert_eq!(f.startup_wait_scale, 0.0);
    }

    /// The HF decode form with x, cos and sin height-sharded in L1 on one core: 4 tiles
    /// computed in place (14 tile ops), nothing waited for, nothing through DRAM.
    #[test]
    fn sharded_decode_computes_in_place() {
        let shard = ShardSpec::new(CoreRange { start: (0, 0), end: (0, 0) }, [32, 128], ShardOrientation::RowMajor);
        let l1 = MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard);
        let t = tiled(&[1, 1, 32, 128], l1);
        let f = features_of(Op::RotaryEmbedding, &[t, t, t]);
        assert!(close(f.op_tile_cycles, 14.0 * ns_per_cycle()));
        assert_eq!((f.wait_cycles, f.dram_scale, f.noc_scale, f.shared_read_scale), (0.0, 0.0, 0.0, 0.0));
        assert_eq!(f.startup_wait_scale, 0.0);
    }

    /// DeepSeek's llama rotary of `[1, 32, 3200, 64]` on a p150: 100 sequence tiles over 100
    /// of the 130 cores, 32 rows of 2 tiles each (more than 8: cos and sin re-read every row,
    /// 4 tiles a row). Waited: the matrix, then one a row (33). Tile ops: 4 a tile (256).
    /// DRAM: the 6400 tiles in and out, 100 cores x 128 cos and sin tiles, 130 matrix reads
    /// (the 30 idle cores read it too), which queue at one channel before any row starts.
    #[test]
    fn llama_by_hand() {
        let x = tiled(&[1, 32, 3200, 64], DRAM);
        let t = tiled(&[1, 1, 3200, 64], DRAM);
        let m = tiled(&[1, 1, 32, 32], DRAM);
        let f = features_of(Op::RotaryEmbeddingLlama, &[x, t, t, m]);
        assert!(close(f.wait_cycles, 33.0 * ns_per_cycle()));
        assert!(close(f.dram_wait_scale, 33.0 * 479.0 * ns_per_cycle()));
        assert!(close(f.op_tile_cycles, 256.0 * ns_per_cycle()));
        assert!(close(f.noc_scale, 257.0 * 2048.0 / 54.0 * ns_per_cycle()));
        let hw = Hardware::of(Card::P150);
        let read = 6400.0 + 100.0 * 128.0 + 130.0;
        let dram = 2048.0 * (read * hw.ns_per_dram_byte + 6400.0 * hw.ns_per_dram_write_byte);
        assert!(close(f.dram_scale, dram));
        let channel_ns = 2048.0 * hw.ns_per_dram_byte * hw.dram_channels as f64;
        assert!(close(f.startup_wait_scale, 130.0 * channel_ns));
        assert_eq!(f.shared_read_scale, 0.0);
    }

    /// On the 11x10 grid of a harvested p150 the one-head form uses 100 of the 110 cores, and
    /// all 110 read the transformation matrix first: 110 reads queue at its channel.
    #[test]
    fn llama_matrix_read_by_the_whole_grid() {
        let x = tiled(&[1, 1, 3200, 64], DRAM);
        let m = tiled(&[1, 1, 32, 32], DRAM);
        let inputs = [x, x, x, m];
        let hw = Hardware::of(Card::P150);
        let grid = crate::CoreGrid { x: 11, y: 10 };
        let cx = Ctx::new(Op::RotaryEmbeddingLlama, hw, QueryParams::ByName(&[]), &inputs, None, grid).unwrap();
        let f = features(&cx).unwrap();
        let channel_ns = 2048.0 * hw.ns_per_dram_byte * hw.dram_channels as f64;
        assert!(close(f.startup_wait_scale, 110.0 * channel_ns));
        // In L1 the matrix is not queued at a DRAM channel.
        let m_l1 = tiled(&[1, 1, 32, 32], MemoryConfig::L1_INTERLEAVED);
        let f = features_of(Op::RotaryEmbeddingLlama, &[x, x, x, m_l1]);
        assert_eq!(f.startup_wait_scale, 0.0);
    }

    /// The fused query-and-key decode of 8 users: their query heads one user a core (a
    /// `[32, 128]` shard of 4 tiles on each of 8 cores), their keys (a head padded to a tile)
    /// two users a core on 4 cores (8 tiles each): the key cores are the busiest, 8 tiles x 4
    /// ops; nothing moves. An interleaved query tensor is refused.
    #[test]
    fn fused_qk_counts_the_larger_shard() {
        let shard = |x: u8, y: u8, rows: u32| {
            MemoryConfig::sharded(
                BufferType::L1,
                MemoryLayout::HeightSharded,
                ShardSpec::new(
                    CoreRange::of_grid(crate::CoreGrid::new(x, y)),
                    [rows, 128],
                    ShardOrientation::RowMajor,
                ),
            )
        };
        let q = tiled(&[1, 8, 32, 128], shard(8, 1, 32));
        let k = tiled(&[1, 8, 32, 128], shard(4, 1, 64));
        let t = tiled(&[1, 16, 32, 128], shard(8, 2, 32));
        let m = tiled(&[1, 1, 32, 32], DRAM);
        let f = features_of(Op::RotaryEmbeddingLlamaFusedQk, &[q, k, t, t, m]);
        assert!(close(f.op_tile_cycles, 32.0 * ns_per_cycle()));
        assert_eq!((f.noc_scale, f.dram_scale, f.wait_cycles), (0.0, 0.0, 0.0));
        // The query heads interleaved in DRAM: tt-metal takes sharded ones only.
        let hw = Hardware::of(Card::P150);
        let inputs = [tiled(&[1, 8, 32, 128], DRAM), k, t, t, m];
        let cx = Ctx::new(Op::RotaryEmbeddingLlamaFusedQk, hw, QueryParams::ByName(&[]), &inputs, None, hw.compute_grid).unwrap();
        assert!(matches!(
            features(&cx),
            Err(Error::InvalidTensor {
                operand: Operand::Input(0),
                problem: TensorProblem::WrongMemory { expected: "sharded in L1" },
                ..
            })
        ));
    }

    /// With one head a core has one row: cos and sin are read once, not per row.
    #[test]
    fn llama_reads_tables_once_below_nine_rows() {
        let x = tiled(&[1, 1, 3200, 64], DRAM);
        let m = tiled(&[1, 1, 32, 32], DRAM);
        let f = features_of(Op::RotaryEmbeddingLlama, &[x, x, x, m]);
        let hw = Hardware::of(Card::P150);
        // 200 tiles in and out, 100 cores x 4 cos and sin tiles, 130 matrix reads.
        let read = 200.0 + 400.0 + 130.0;
        let dram = 2048.0 * (read * hw.ns_per_dram_byte + 200.0 * hw.ns_per_dram_write_byte);
        assert!(close(f.dram_scale, dram));
        assert!(close(f.wait_cycles, 2.0 * ns_per_cycle()));
    }
}
