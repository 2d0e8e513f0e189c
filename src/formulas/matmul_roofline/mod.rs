//! `matmul_roofline`: matrix product on the matrix engine.
//!
//! What it counts, for `a [..., M, K] @ b [..., K, N]` in tiles (`Mt = batch * M / 32`,
//! `Kt`, `Nt`; the batch dims of `a` and `b` agree, or one side has a single matrix that every
//! batch of the other uses):
//!
//! * **Work split** by program config over the query's grid (`gx` x `gy` cores):
//!   - `mcast_2d`: output blocks of `ceil(Mt / gy)` x `ceil(Nt / gx)` tiles; `a` is multicast
//!     along rows and `b` along columns, so each is read from DRAM once.
//!   - `mcast_1d`: the longer of `Mt`, `Nt` split over all cores, the other whole; the
//!     shared operand is multicast, each read once.
//!   - `dram_sharded` (requires `b` width-sharded in DRAM): `Nt` split over one worker per
//!     DRAM bank (`ceil(Nt / banks)` each, all of `M`), as tt-metal's
//!     `matmul_multi_core_reuse_dram_sharded_optimized` runs it; each worker reads its bank's
//!     shard of `b`, which the DRAM term bounds (no NoC term for `b`, and no first block of
//!     it waited for: the first streams from the worker's bank like the rest), at the card's
//!     `dram_bank_reader_fraction` of the peak, what readers beside their own banks reach
//!     (Blackhole 0.98, tt-metal PR #47885; the decode sweeps' bfp8 rows reach 0.94), not the
//!     interleaved readers' `dram_achievable_fraction`.
//!   - `multi_core_reuse`: `ceil(Mt * Nt / cores)` output tiles per core as whole output rows
//!     where possible; each core reads its own `a` and `b` blocks, so `a` is read once per
//!     column block and `b` once per row block.
//!   - `multi_core`: the same split without reuse: every output tile reads its `Kt` tiles of
//!     `a` and of `b`.
//!   - `minimal` (`ttnn.experimental.minimal_matmul`, OP CODEs `MinimalMatmulOp`,
//!     `MinimalMatmulDeviceOperation`): `M` over the grid's rows and `N` over its columns
//!     (the other way round for an output taller than wide), each side's tiles padded up to
//!     a multiple of its cores; output blocks of `m_block` x `n_block` tiles and K padded to
//!     whole `in0_block_w` blocks, 8 each when the call gives no config
//!     (`minimal_matmul_factory_helper`); each input read once (one edge of the grid reads
//!     `a`, the other `b`, and each forwards it core to core).
//!   - `auto`: the config ttnn generates (`generate_matmul_program_config`). On a core grid
//!     the call gives (`user_core_grid`; `create_matmul_program_config`): for a narrow shape
//!     or a height- or width-sharded `a`, the 1D "systolic" config in K blocks of the largest
//!     divisor of `Kt` up to `ceil(Kt / cores)`; else `mcast_2d` (K blocks of `a`'s shard
//!     width and `Kt`'s gcd for block-sharded `a`, the largest divisor up to 4 otherwise).
//!     Without one (`create_simple_matmul_program_config`): all three tensors in DRAM, a
//!     narrow shape the 1D config in K blocks of 2, any other `mcast_2d` over the whole grid in
//!     K blocks of `Kt / gx` (1 when `gx` does not divide `Kt`), shrunk to fit L1, the batches
//!     never fused; interleaved but not all in DRAM, square output blocks of the largest of
//!     16, 8, 4 or 2 tiles a side whose circular buffers fit in L1, one a core (so few cores:
//!     22 for tt-metal issue #56976's `[1024, 5376] @ [5376, 5376]`, measured 3.9x the
//!     all-DRAM time), K blocks of 2 tiles and 4 x 2 subblocks, a single row or column of
//!     blocks or a shape over 8 times wider than tall (or taller) the 1D config over the grid,
//!     one block or more than the grid holds `multi_core`. A sharded `a` without a core grid
//!     (`get_matmul_program_config`): on its shard grid, height-sharded the 1D config of its
//!     shard rows in one K block, width-sharded the 1D config along `N` in K blocks of the
//!     shard width's and `Kt`'s gcd, block-sharded the 2D config of the shard grid; with a
//!     batched `b` (`user_run_batched`) the config without multicast
//!     (`MatmulMultiCoreReuseProgramConfig`): a core's shard rows of all of `N`, each core
//!     reading its own `b`, in K blocks of the shard's width. Any other query (a one-core
//!     shard, a batched `b` of width-sharded `a`): `mcast_2d` when `Mt >= gy` and
//!     `Nt >= gx`, otherwise `mcast_1d`.
//!   - A 1D split runs along `M` (tall) for height-sharded `a` and along `N` (wide) for
//!     width-sharded `a`, as ttnn forces it; otherwise along the longer side.
//!   - **Unfused batches**: when the config does not fuse the batch into `M` (a given
//!     config's `fuse_batch = false`, `b` batched or not; `auto` without a core grid with
//!     interleaved inputs and a batched `b`, or all in DRAM: ttnn's
//!     `create_simple_matmul_program_config`), the split covers one
//!     batch's `M` x `N` tiles and every core loops over all batches (its blocks, reads and
//!     products times the batches: a shared `b` is read again for each,
//!     `matmul_multi_core_reuse_mcast_1d_program_factory.cpp`'s batch loop at an `in1` batch
//!     stride of 0).
//!   - `auto` with height- or width-sharded `a` is the 1D config ttnn generates for it
//!     (`get_matmul_program_config`).
//! * **Output blocks**: a config ttnn generates (`auto`) shrinks the busiest core's output
//!   block until its circular buffers fit in the L1 between the device's reserved base and
//!   what the query's inputs hold at the top of each bank (`get_multi_dim_per_core_factor`,
//!   `get_max_l1_space`; what the check counts: `l1_estimate`); `b` is then read again for
//!   each row of blocks and `a` for each column. A given multicast config's blocks are its
//!   `out_block_h` x `out_block_w` (`m_block` x `n_block`; the whole block when not given),
//!   read again the same way: its kernels go over a core's output blocks one after the
//!   other, each through all of K (`matmul_multicore_reuse_mcast_{1d,2d}_program_factory.cpp`,
//!   tt-metal PRs #15012 and #15864). Other explicit configs keep the whole block.
//! * **Compute** (`compute_scale`): the busiest core's `per_core_M * per_core_N * Kt` tile
//!   products at the device's cycles per tile for the math fidelity, scaled by the passes an
//!   `a` tile needs (`ceil(tile rows / rows_per_pass) * rows_per_pass / 32`: tiny tiles still
//!   cost a full pass). Beside them, the busiest core's input tiles unpacked
//!   (`input_tile_cycles`: each `matmul_block` call unpacks `min(h, w) * (max(h, w) + 1)` tiles
//!   of its `h` x `w` subblock, the shorter side's tiles held one at a time while the longer
//!   side's stream past each, tt-llk's `llk_unpack_AB_matmul.h`; 2 a product in the configs
//!   without reuse) and output tiles packed (`output_pack_scale`: each output tile's
//!   bytes through the packer's four interfaces, 16 bytes a cycle each on Wormhole and 32 on
//!   Blackhole, `Hardware::pack_cycles`), and the
//!   `matmul_block` calls (`subblock_cycles`): one per output subblock and K tile, with the
//!   subblock from the config or as ttnn picks it for the output block
//!   (`get_matmul_subblock_params`: a sharded output of a tall 1D split takes
//!   `(1, block width)`, `(1, 1)` past 8 tiles).
//! * **Fused bias** (`bias_tile_cycles`, in the compute term): after an output block's last K
//!   block the compute kernel packs the products to its intermediate buffer, then adds the
//!   bias row to each tile and packs the sum (`add_tiles_bcast_rows`,
//!   `bmm_large_block_zm_fused_bias_activation.cpp`, `FUSE_BIAS`): one FPU binary op an
//!   output tile, eltwise_binary's `fpu_tile_cycles` (64) in v1.
//! * **Overhead** beside the launch (`overhead_cycles`): the K blocks the busiest core steps
//!   through (`block_cycles`; blocks of `in0_block_w` K tiles from the config, else as ttnn picks
//!   them: all of K for height-sharded `a`); the first K block of each output block, which
//!   nothing overlaps: its parts in DRAM read at one core's published DRAM rate, then the
//!   block across the NoC at the datasheet rate, and at the op's start no sooner than every
//!   core's first block (the distinct tiles: a row of cores shares its `a`, a column its `b`)
//!   comes through the card's DRAM, which all of them ask for at once: its achievable
//!   bandwidth, or for pages under ~1.5 KB the rate its banks' endpoints take requests, as in
//!   the DRAM term (`first_block_scale`; 1 in v1); for the
//!   `minimal` config, the first block's way down its chain instead (`chain_fill_scale`; 1 in
//!   v1): each K block enters a row (`a`) or column (`b`) of the grid at its first core, and
//!   each core writes it on to the next (`dm_in0_sender.cpp`, `dm_in1_sender_out.cpp`), so the
//!   farthest core starts after the first core's read and every hop of the longer chain
//!   (fitted ~1.0 in every fold held out: a CLIP encoder's `[32, 768] @ [768, 768]` on 8x8
//!   cores takes ~15 us, about 8 of them the first core's read of a 48 KiB block of `b` and its
//!   seven hops down the column).
//! * **Unfused batches** (in the NoC term: the reader's time, which the DRAM stream overlaps):
//!   the first K blocks loaded again by each further batch (`batch_block_scale`; 0 in v1:
//!   double buffering would hide them); and, when that batch's work is multicast to more than
//!   one core, a fixed latency per output block of each further batch (`batch_mcast_cycles`; 0 in
//!   v1): in the Wormhole CLIP trace the two-core `[1, 20, 32, 32] @ [1, 20, 32, 64]` takes
//!   ~2.75 us per batch where the one-core `[1, 20, 32, 64] @ [1, 20, 64, 32]` takes ~1.6
//!   (Blackhole's, with 12 batches: ~2.0 and ~1.3), while the fused output blocks of the
//!   height-sharded sweep, also multicast, show no such cost. Both are the reader's waits
//!   between batches, so they run beside the DRAM traffic, not after it: DeepSeek's
//!   `[3200, 512] @ [32, 512, 128]`, 32 unfused batches on 100 cores, takes 291 us, about
//!   its DRAM bytes' time (283), where the waits added after it made 475 (held out, that
//!   trace's p90 63% -> 23%).
//! * **Sparse slot checks** (`sparse_matmul` without `nnz`; see `sparse.rs`): each slot the
//!   kernels check at run time is one more K block for `block_cycles` and `mcast_ack_cycles`, and
//!   the sender's explicit waits around its handshake (`slot_check_cycles`, 501 cycles in v1;
//!   overhead). A check's acks sit in the NoC term with the K blocks': a DRAM- or compute-bound
//!   product hides them, where an inactive slot's check overlaps nothing (the public decode
//!   rows this was checked on are NoC-bound).
//! * **Fused activation** (overhead; `simple_activation_cycles` and
//!   `function_activation_cycles`, held at eltwise_unary's v1 figures, 288 and 2,080 cycles a
//!   tile: no shared row has one the SFPU runs): after each output block's last K block the
//!   compute kernel runs the config's `fused_activation` over the block's tiles in the
//!   destination registers before packing them (`bmm_large_block_zm_fused_bias_activation.cpp`,
//!   `SFPU_ACTIVATION`), once the block's reads are done: the tiles of the busiest core's last
//!   output block at the function's cycles, which nothing overlaps. An earlier block's pass
//!   overlaps the reader streaming the next block into its double buffer, and is not counted
//!   (nor in the compute term: a compute-bound product of many output blocks with a fused
//!   activation comes out short). A relu costs nothing: the factories have the packer apply it
//!   (`PACK_RELU`). On a public Qwen3.6-27B decode (not in `../shared`) the DRAM-sharded
//!   `[32, 5120] @ [5120, 17408]` (one output block a core) with a fused silu takes 225 us
//!   against 160 without, ~1,300 cycles for each of a core's 68 output tiles; on a public
//!   Llama-3.1-8B Wormhole prefill the unfused `[32, 32, 4096] @ [4096, 14336]` (32 output
//!   blocks a core, DRAM-bound) takes 5.64 ms with a fused silu and without.
//! * **DRAM** (`dram_scale`): bytes read of `a`, `b` and the bias (re-reads as above) plus the
//!   output written, for the tensors that live in DRAM, at the achievable bandwidth (the
//!   output at the card's `dram_write_fraction` of it made Blackhole's held-out median 4.5% ->
//!   5.9%: not taken); or, when
//!   longer, the read requests: each page of a DRAM-interleaved input is one request to its
//!   bank's NoC endpoint, which accepts one per `dram_access.endpoint_read_cycles` on a NoC
//!   whatever its size (tt-metal issue #55898: 16.4 cycles on Blackhole, so its bfloat4_b
//!   tiles reach ~60% of the bandwidth; 6.8 on Wormhole, never binding), `a`'s and `b`'s
//!   readers on their own NoCs. Held out, the Blackhole bfp4 / bfp8 x cores matrix's p90
//!   39.9% -> 26.4%, its 1D-multicast bfp4 rows 0.56-0.83x -> 0.71-0.91x.
//! * **DRAM waits** (`dram_wait_scale`, in the NoC term): each K block read from DRAM (of `a`
//!   by the in0 sender, of `b` by every core) ends in `noc_async_read_barrier`, so the
//!   busiest core's K blocks each wait the device's published DRAM read latency once.
//! * **Multicast handshakes** (`mcast_ack_cycles`, in the NoC term; 0 in v1): before each K
//!   block a multicast sender waits until every receiver has incremented its semaphore
//!   (`noc_semaphore_wait(.., in0_mcast_num_dests)` in tt-metal's
//!   `reader_bmm_tile_layout_in0_sender_padding.cpp`, and the in1 sender's likewise): the
//!   busiest core's K blocks times the receivers: every other core with work for a 1D
//!   config, every worker for a DRAM-sharded one (its in0 shard cores multicast to them), the
//!   rest of the longer run of cores for a 2D one; none for the `minimal` config (its blocks
//!   go core to core) nor for the configs whose cores read their own blocks.
//! * **DRAM reads** (`dram_read_scale`, in the NoC term): the busiest core's blocks of the
//!   inputs that live in DRAM (its `a` block, its `b` block) at one core's published DRAM
//!   read rate (`dram_access.core_bytes_per_cycle`, ~21 B/cycle on both devices: a data
//!   movement core pulls DRAM pages slower than the NoC carries them), a tile no faster than
//!   the core issues page reads (`dram_access.read_issue_cycles`: Blackhole's bfloat4_b
//!   tiles); fitted at ~0.8 of that time, ~26 B/cycle, as the Blackhole core-count sweep's
//!   8-core rows read.
//! * **NoC** (`noc_scale`, 1 in every version): bytes into the busiest core from other cores'
//!   L1 (its `a` block when `a` is in L1 and not a local shard, likewise `b`) and out of it
//!   (its output block unless the output is L1-sharded), in tile-sized transfers, at the
//!   size-dependent NoC rate.
//! * **Chain stream** (`chain_stream_scale`, in the NoC term, for `minimal` instead of
//!   `noc_scale`'s bytes): each chain's edge core reads the chain's whole share of its input
//!   (from DRAM at one core's published rate), one barrier a K block, and writes each block on
//!   to the next core, one after the other on one RISC-V (`dm_in1_sender_out.cpp`,
//!   `dm_in0_sender.cpp`; `a`'s chain also writes the output), and the last block then takes
//!   its hops down the chain; the feature is what the busier chain takes beyond the chain fill
//!   (the overhead's `chain_fill_scale`), so the op takes the fill plus the longer of the
//!   products and the stream: on Wormhole CLIP's `[32, 1280] @ [1280, 5120]` each column's
//!   first core reads and passes on 1.6 MB of `b`, ~130 of its ~187 us.
//!
//! The three throughput terms overlap. It assumes 32-wide tiles for `K` and `N` (other tile
//! widths are not modeled).
//!
//! The stages, each in its module: `operands` (the query read and checked), `split` (the
//! program config as ttnn chooses it and the work split), `blocking` (K blocks, output
//! blocks, subblocks), `compute` (the busiest core's tile products and calls) and
//! `traffic` (DRAM and NoC bytes).

// The stages are `#[inline(always)]`: split into modules (and so codegen units) they would be
// calls, which made a query 1.8x slower (`examples/query_latency`).
mod blocking;
mod compute;
mod operands;
mod sparse;
mod split;
mod traffic;

use super::eltwise_common::activation_passes;
use crate::error::Error;
use crate::generated::op_params::matmul::FusedActivation;
use crate::generated::{MatmulRooflineFeatures, OpParams};
use crate::model::{Ctx, min};

pub const fn features(cx: &Ctx<'_>) -> Result<MatmulRooflineFeatures, Error> {
    // `sparse_matmul` is the dense product of its active slots on the grid of its 1D config.
    let (q, cx) = if let OpParams::SparseMatmul(_) = cx.params {
        let (q, grid) = tri!(sparse::operands(cx));
        (q, &Ctx { grid, ..*cx })
    } else {
        (tri!(operands::operands(cx)), cx)
    };
    let work = tri!(split::work_split(cx, &q));
    let in0_block_w = blocking::in0_block_w(&q, &work);
    let products = tri!(compute::tile_products(&q, &work, in0_block_w));
    let blocks = blocking::output_blocks(cx, &q, &work, in0_block_w);
    let core = tri!(compute::compute(cx, &q, &work, &blocks, products));
    let dram_ns = tri!(traffic::dram_ns(cx, &q, &work, &blocks));
    let noc = traffic::noc(cx, &q, &work, &blocks, products);
    let (input_tiles, output_tiles) = compute::unpacked_and_packed(&work, &blocks, &core, products);
    let ns_per_cycle = cx.cycles_to_ns(1.0);
    // A one-core config has no multicast (`SKIP_MCAST`): its sender checks the slots with no
    // handshake and none of the waits around it.
    let checked_slots = if work.s.acks > 0 { q.checked_slots } else { 0 };
    // The K blocks' multicast handshakes, and one a slot checked at run time.
    let handshakes = core.blocks.saturating_add(checked_slots);
    // A fused activation passes each of the busiest core's output tiles through the SFPU once;
    // a relu is the packer's (`PACK_RELU` in tt-metal's matmul program factories), free.
    let (simple, function) = match cx.params {
        OpParams::Matmul(p) if !matches!(p.fused_activation, FusedActivation::Relu) => {
            activation_passes(&[p.fused_activation as usize])
        }
        _ => (0, 0),
    };
    // Only the last output block's pass waits on nothing else: while the compute kernel runs
    // an earlier block's, the reader streams the next block's inputs into its double buffer.
    let activated_ns = min(output_tiles, blocks.block_h.saturating_mul(blocks.block_w)) as f64 * ns_per_cycle;
    // Each K block's reads from DRAM end in a barrier before the block is pushed on: the
    // reader waits the read latency once per block.
    let waited_blocks = if q.a.memory.is_dram() || q.b.memory.is_dram() {
        core.blocks
    } else {
        0
    };
    Ok(MatmulRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        compute_scale: core.compute_ns,
        input_tile_cycles: input_tiles as f64 * ns_per_cycle,
        output_pack_scale: output_tiles as f64 * cx.hw.pack_cycles(q.out_tile) * ns_per_cycle,
        // A fused bias: each output tile through one more FPU pass, the bias row added.
        bias_tile_cycles: if q.bias.is_some() {
            output_tiles as f64 * ns_per_cycle
        } else {
            0.0
        },
        dram_scale: dram_ns,
        noc_scale: noc.noc_ns,
        dram_read_scale: noc.dram_read_ns,
        dram_wait_scale: waited_blocks as f64 * cx.hw.dram_read_latency_cycles * ns_per_cycle,
        subblock_cycles: core.subblock_calls as f64 * ns_per_cycle,
        block_cycles: handshakes as f64 * ns_per_cycle,
        first_block_scale: noc.first_blocks_ns,
        batch_block_scale: noc.batch_blocks_ns,
        batch_mcast_cycles: core.batch_mcasts as f64 * ns_per_cycle,
        chain_fill_scale: noc.chain_fill_ns,
        chain_stream_scale: noc.chain_stream_ns,
        mcast_ack_cycles: handshakes.saturating_mul(work.s.acks) as f64 * ns_per_cycle,
        slot_check_cycles: checked_slots as f64 * ns_per_cycle,
        simple_activation_cycles: simple as f64 * activated_ns,
        function_activation_cycles: function as f64 * activated_ns,
    })
}
