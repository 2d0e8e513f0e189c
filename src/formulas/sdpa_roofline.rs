//! `sdpa_roofline`: scaled dot-product attention in flash-attention chunks: prefill (`sdpa`),
//! decode (`sdpa_decode`) and joint or ring-joint attention (`ring_joint_sdpa`).
//!
//! It reads the tensors' shapes (batch, heads, sequence, head dim: Q's logical sequence, as
//! tt-metal pads it up to whole chunks itself), dtypes (bytes per tile), memory configs (what
//! is read from DRAM), the core grid, and the params: the fidelity (cycles per tile product),
//! the chunk sizes, whether attention is causal, a chunked prefill's start, decode's cores per
//! head and paged cache, and the ring's size and balancing. The scale does not change the work.
//!
//! How tt-metal splits the work, and what each case costs here (busiest core):
//!
//! * **Prefill** (`transformer/sdpa/device/sdpa_program_factory.cpp`): batches over the grid,
//!   then query heads over what is left, then query chunks (`q_chunk_size`, 32 without a
//!   program config): `q_per_core = ceil(q_chunks / q_parallel_factor)` consecutive chunks a
//!   core, or, when causal and they divide evenly into an even count, `BALANCED_Q_PARALLEL`:
//!   half from the front and half from the back. For each of its query chunks a core reads
//!   the chunk of Q and waits for it, then for each key chunk (`k_chunk_size`; causal: only
//!   those starting before the query chunk ends) reads the chunk of K and of V, each waited
//!   for (`kernels/dataflow/reader_interleaved.cpp`): K and V are re-read from DRAM for every
//!   query chunk. Per key chunk the compute kernel multiplies Q K^T (`Sq x Sk` tiles of
//!   `DHt` products each), runs the online softmax on those `Sq x Sk` score tiles, and
//!   multiplies P V (`Sq x vDHt` tiles of `Sk` products each). A provided mask is read per
//!   key chunk too; the causal mask is made on the core. The writer writes the output chunk.
//!   A chunked prefill (a page table among the inputs) attends to `start + Sq` keys, its
//!   query chunks offset by `start`: `chunk_start_idx`, or, when that is a tensor's value, the
//!   page table's blocks (the most it can be).
//! * **Decode** (`transformer/sdpa_decode/device/sdpa_decode_program_factory.cpp`): each user
//!   and KV head gets `min(cores, max_cores_per_head x B x NKH) / B / NKH` cores, which split
//!   the cache's key chunks (the position tensor's value is not in the query: the whole
//!   cache, the page table's blocks times the block size when paged, is taken as read). A
//!   core reads its user's query heads (one tile row of `PNH` heads), then each key chunk's
//!   K and V, waited for; the partial outputs and their statistics are then combined in a
//!   tree of `ceil(log2(cores))` rounds (`kernels/tree_reduction.hpp`), each a core's partial
//!   written to another and waited for, which nothing overlaps.
//! * **Ring-joint** (`transformer/sdpa/device/ring_joint_sdpa_program_factory.cpp`,
//!   `joint_sdpa_program_factory.cpp`): each device splits the query chunks of all its
//!   batches and heads, in order, evenly over the grid (`ceil(all / cores)` consecutive
//!   chunks a core) and, over `ring_size` steps, attends to the keys and values of every
//!   device of the ring,
//!   which a fused all-gather brings over Ethernet into DRAM on cores of its own. Modeled is
//!   one device's local work: the busiest device, the last of the ring when causal and not
//!   balanced (full blocks of all earlier devices and its own diagonal; the first device only
//!   does its diagonal, about half as much), and half of the earlier devices' blocks when
//!   balanced; joint tokens add key chunks (and query chunks) attended in full. Its DRAM
//!   traffic includes the gathered keys and values written by the all-gather. The Ethernet
//!   transfer itself is not modeled: it is taken as hidden behind the compute.
//!
//! The terms: compute is the busiest core's tile products at the fidelity's cycles
//! (`compute_scale`, as `matmul_roofline` costs a tile product) and its score tiles at
//! `softmax_tile_cycles`; DRAM the bytes read at the card's achievable bandwidth (or, when
//! longer, the pages of DRAM-interleaved K and V (and mask), each one read request
//! its bank's endpoint takes one of per `dram_access.endpoint_read_cycles` (tt-metal issues
//! #55898 and #57161: on Blackhole, bfloat4_b K and V run at ~64% of bfloat16's byte rate)),
//! and the output (and a ring's gathered K and V) written at its `dram_write_fraction` of it
//! (`dram_scale`); NoC the busiest core's bytes read at one core's sustained DRAM read rate
//! (`read_scale`) plus its waited-for reads, each the device's DRAM latency (`dram_wait_scale`:
//! tt-metal's measured latency, `dram_access` in the device spec). Decode's tree reduction
//! adds, serially, a partial output's transfer at the NoC tile rate per round
//! (`reduce_scale`). It assumes the cores work in parallel.

use crate::error::Error;
use crate::generated::{OpParams, SdpaRooflineFeatures};
use crate::model::{Ctx, ceil_div, max, min, one_if};
use crate::tensor::{Layout, TensorParams};

/// Tiles along `rows` elements, at least 1.
const fn tiles_of(rows: u64) -> u64 {
    max(ceil_div(rows, 32), 1)
}

/// A chunk size in tiles: `size` rows (0: 32, ttnn's default), whole tiles, at least 1.
const fn chunk_tiles(size: i64) -> u64 {
    if size <= 0 { 1 } else { tiles_of(size as u64) }
}

/// What the busiest core does, and what crosses DRAM.
struct Work {
    /// Tile products (Q K^T and P V).
    products: u64,
    /// Attention-score tiles through the softmax.
    scores: u64,
    /// Bytes read from DRAM.
    read_bytes: u64,
    /// Reads waited for one by one.
    waits: u64,
    /// Bytes read from DRAM, all cores.
    dram_bytes: u64,
    /// Bytes written to DRAM: the output, and a ring's gathered keys and values.
    dram_written: u64,
    /// Pages read from DRAM-interleaved K, V (and mask), all cores: each one read request to
    /// its bank's endpoint, the K and V reads of a chunk on the reader's one NoC.
    dram_pages: u64,
    /// Decode: rounds of the tree reduction.
    rounds: u64,
    /// Decode: bytes of the partial output and statistics a round moves.
    round_bytes: u64,
}

/// The chunk geometry shared by prefill and ring-joint attention.
struct Chunks {
    /// Query and key chunk heights in tiles.
    sq: u64,
    sk: u64,
    /// Head dims of Q and K, and of V, in tiles.
    dht: u64,
    vdht: u64,
    /// Bytes of a K chunk and a V chunk (and a mask chunk, 0 without one).
    k_bytes: u64,
    v_bytes: u64,
    mask_bytes: u64,
    /// DRAM page reads of a step's K, V and mask chunks (0 for those not DRAM-interleaved).
    step_pages: u64,
}

impl Chunks {
    /// Tile products of one (query chunk, key chunk) step.
    const fn products(&self) -> u64 {
        self.sq
            .saturating_mul(self.sk)
            .saturating_mul(self.dht)
            .saturating_add(self.sq.saturating_mul(self.vdht).saturating_mul(self.sk))
    }

    /// Bytes read per step.
    const fn step_bytes(&self) -> u64 {
        self.k_bytes.saturating_add(self.v_bytes).saturating_add(self.mask_bytes)
    }
}

/// How `B x NQH x q_chunks` split over `cores` (the prefill factory's parallelization).
struct Split {
    /// Batches and heads of the busiest core.
    per_core_bh: u64,
    /// Query-chunk groups per head, and chunks per group.
    groups: u64,
    per_group: u64,
    /// Causal chunks paired front and back.
    balanced: bool,
}

const fn split(cores: u64, b: u64, nqh: u64, q_chunks: u64, causal: bool) -> Split {
    let cores = max(cores, 1);
    let bpf = max(min(b, cores), 1);
    let hpf = max(min(cores / bpf, nqh), 1);
    let qpf = max(min(cores / (bpf * hpf), q_chunks), 1);
    let per_group = ceil_div(q_chunks, qpf);
    Split {
        per_core_bh: ceil_div(b, bpf).saturating_mul(ceil_div(nqh, hpf)),
        groups: qpf,
        per_group,
        balanced: causal && per_group * qpf == q_chunks && per_group % 2 == 0,
    }
}

/// `sum_{i < n} floor((a * i + b) / m)`, in O(log) steps (the floor sum of a line, reduced
/// Euclid-like by swapping the roles of `a` and `m`); saturating. 0 when `m` is 0. In 64 bits
/// while every product fits (any real sequence's chunks), else in 128.
const fn floor_sum(n: u64, m: u64, a: u64, b: u64) -> u64 {
    if m == 0 {
        return 0;
    }
    let fits = n < (1 << 31) && m < (1 << 31) && a < (1 << 31) && b < (1 << 31);
    if fits {
        // Every term stays under 2^62: a, b < m after the first pass, n x a < 2^62.
        let (mut n, mut m, mut a, mut b) = (n, m, a, b);
        let mut sum = 0u64;
        loop {
            if a >= m {
                sum = sum.saturating_add((n * n.saturating_sub(1) / 2).saturating_mul(a / m));
                a %= m;
            }
            if b >= m {
                sum = sum.saturating_add(n * (b / m));
                b %= m;
            }
            let top = a * n + b;
            if top < m {
                return sum;
            }
            (n, b) = (top / m, top % m);
            (m, a) = (a, m);
        }
    }
    let (mut n, mut m, mut a, mut b) = (n as u128, m as u128, a as u128, b as u128);
    let mut sum: u128 = 0;
    loop {
        if a >= m {
            let pairs = n.saturating_mul(n.saturating_sub(1)) / 2;
            sum = sum.saturating_add(pairs.saturating_mul(a / m));
            a %= m;
        }
        if b >= m {
            sum = sum.saturating_add(n.saturating_mul(b / m));
            b %= m;
        }
        let top = a.saturating_mul(n).saturating_add(b);
        if top < m {
            break;
        }
        (n, b) = (top / m, top % m);
        (m, a) = (a, m);
    }
    if sum > u64::MAX as u128 { u64::MAX } else { sum as u64 }
}

/// Query chunks up to which `steps_before` sums chunk by chunk.
const FEW_CHUNKS: u64 = 16;

/// Key-chunk steps of query chunks `0..x` of a sequence (each of `sq` tiles): causal, each
/// chunk's key chunks up to its end (`ceil((c + 1) x sq / sk)`, at most `k_chunks`); else all
/// `k_chunks` each. In closed form, so that a query's cost does not grow with its sequence:
/// the chunks from `full` on see every key chunk, and those before sum as a line's floors.
#[inline(always)]
const fn steps_before(x: u64, ch: &Chunks, k_chunks: u64, causal: bool) -> u64 {
    if !causal {
        return x.saturating_mul(k_chunks);
    }
    let (sq, sk) = (ch.sq, max(ch.sk, 1));
    if sq == 0 || k_chunks == 0 {
        return 0;
    }
    // (c + 1) x sq > (k_chunks - 1) x sk from c = full on.
    let full = match (k_chunks - 1).checked_mul(sk) {
        Some(keys) => keys / sq,
        None => u64::MAX,
    };
    let partial = min(x, full);
    // A few chunks are summed one by one (a shift each for a power-of-two chunk, where the
    // floor sum divides several times); more in closed form: ceil((c + 1) x sq / sk) is
    // floor((sq x c + sq + sk - 1) / sk).
    let before_full = if partial <= FEW_CHUNKS {
        let (mut sum, mut c) = (0u64, 0u64);
        while c < partial {
            sum = sum.saturating_add(ceil_div((c + 1).saturating_mul(sq), sk));
            c += 1;
        }
        sum
    } else {
        floor_sum(partial, sk, sq, sq.saturating_add(sk - 1))
    };
    before_full.saturating_add(k_chunks.saturating_mul(x - partial))
}

/// Key-chunk steps of query chunks `from..to`, `offset` chunks into the sequence, each with
/// `extra` more.
#[inline(always)]
const fn steps_between(from: u64, to: u64, offset: u64, ch: &Chunks, k_chunks: u64, causal: bool, extra: u64) -> u64 {
    let to = max(to, from);
    let keys = steps_before(to.saturating_add(offset), ch, k_chunks, causal)
        .saturating_sub(steps_before(from.saturating_add(offset), ch, k_chunks, causal));
    keys.saturating_add(extra.saturating_mul(to - from))
}

/// The busiest query-chunk group's key-chunk steps, and its query chunks; all groups' steps.
/// `extra` steps are added to every query chunk (the ring's other devices, joint keys).
const fn busiest_group(
    s: &Split,
    q_chunks: u64,
    offset: u64,
    ch: &Chunks,
    k_chunks: u64,
    causal: bool,
    extra: u64,
) -> (u64, u64, u64) {
    let (mut best, mut best_chunks, mut all) = (0u64, 0u64, 0u64);
    let mut g = 0;
    while g < s.groups {
        let start = g * s.per_group;
        let end = min(start + s.per_group, q_chunks);
        let n = end.saturating_sub(start);
        let half = s.per_group / 2;
        // Balanced: the second half of a group's chunks come from the back.
        let steps = if s.balanced && n > half {
            let back = q_chunks - start;
            steps_between(start, start + half, offset, ch, k_chunks, causal, extra)
                .saturating_add(steps_between(back - (n - half), back, offset, ch, k_chunks, causal, extra))
        } else {
            steps_between(start, end, offset, ch, k_chunks, causal, extra)
        };
        all = all.saturating_add(steps);
        if steps > best {
            best = steps;
            best_chunks = n;
        }
        g += 1;
    }
    (best, best_chunks, all)
}

/// Key-chunk steps of the first `x` of the flat query chunks (every head's `q_chunks`, one
/// head after another), each with `extra` more; `head` is one head's.
#[inline(always)]
const fn flat_steps_before(x: u64, q_chunks: u64, head: u64, ch: &Chunks, k_chunks: u64, causal: bool, extra: u64) -> u64 {
    (x / q_chunks)
        .saturating_mul(head)
        .saturating_add(steps_between(0, x % q_chunks, 0, ch, k_chunks, causal, extra))
}

/// Ring-joint's split: the `heads x q_chunks` query chunks of all batches and heads, in
/// order, `ceil(all / cores)` consecutive ones a core. The busiest core's key-chunk steps and
/// query chunks, and one head's steps. The windows repeat with the head, so only the first
/// `q_chunks` cores are looked at.
#[allow(clippy::too_many_arguments)]
const fn busiest_flat(
    cores: u64,
    heads: u64,
    q_chunks: u64,
    ch: &Chunks,
    k_chunks: u64,
    causal: bool,
    extra: u64,
) -> (u64, u64, u64) {
    let q_chunks = max(q_chunks, 1);
    let all = heads.saturating_mul(q_chunks);
    let per_core = max(ceil_div(all, max(cores, 1)), 1);
    let used = ceil_div(all, per_core);
    let head_steps = steps_between(0, q_chunks, 0, ch, k_chunks, causal, extra);
    let (mut best, mut best_chunks) = (0u64, 0u64);
    // Each core's steps: those before its window's end less those before its start (the
    // previous core's end).
    let mut before_start = 0;
    let mut i = 0;
    while i < min(used, q_chunks) {
        let start = i * per_core;
        let end = min(start + per_core, all);
        let before_end = flat_steps_before(end, q_chunks, head_steps, ch, k_chunks, causal, extra);
        let steps = before_end.saturating_sub(before_start);
        if steps > best {
            best = steps;
            best_chunks = end - start;
        }
        before_start = before_end;
        i += 1;
    }
    (best, best_chunks, head_steps)
}

/// The chunk geometry of Q, K and V (V absent: K's tensor is read for it, as in MLA), for
/// query and key chunks of `sq` and `sk` tiles.
const fn chunks(
    cx: &Ctx<'_>,
    q: &TensorParams,
    k: &TensorParams,
    v: &TensorParams,
    (sq, sk): (u64, u64),
    mask: Option<&TensorParams>,
) -> Result<Chunks, Error> {
    let dht = tiles_of(q.shape.dim_from_end(0) as u64);
    let vdht = tiles_of(v.shape.dim_from_end(0) as u64);
    let kt = some_or!(k.tile_bytes(cx.hw), cx.not_modeled("row-major keys"));
    let vt = some_or!(v.tile_bytes(cx.hw), cx.not_modeled("row-major values"));
    let (mask_bytes, mask_pages) = match mask {
        Some(m) => match m.tile_bytes(cx.hw) {
            Some(t) => {
                let bytes = sq.saturating_mul(sk).saturating_mul(t) * one_if(m.memory.is_dram());
                (bytes, m.dram_page_reads(bytes, t))
            }
            None => (0, 0),
        },
        None => (0, 0),
    };
    let k_bytes = sk.saturating_mul(dht).saturating_mul(kt) * one_if(k.memory.is_dram());
    let v_bytes = sk.saturating_mul(vdht).saturating_mul(vt) * one_if(v.memory.is_dram());
    Ok(Chunks {
        sq,
        sk,
        dht,
        vdht,
        k_bytes,
        v_bytes,
        mask_bytes,
        step_pages: k
            .dram_page_reads(k_bytes, kt)
            .saturating_add(v.dram_page_reads(v_bytes, vt))
            .saturating_add(mask_pages),
    })
}

/// Work of a prefill-like split: `q_chunks` query chunks a head, `k_chunks` key chunks,
/// `extra` key-chunk steps more per query chunk, `gathered` bytes the ring's all-gather
/// writes to DRAM.
#[allow(clippy::too_many_arguments)]
const fn chunked_work(
    cx: &Ctx<'_>,
    q: &TensorParams,
    ch: &Chunks,
    (b, nqh): (u64, u64),
    (q_chunks, k_chunks, offset, extra): (u64, u64, u64, u64),
    causal: bool,
    gathered: u64,
    flat: bool,
) -> Result<Work, Error> {
    let out = match cx.output {
        Some(o) => o,
        None => q,
    };
    let qt = some_or!(q.tile_bytes(cx.hw), cx.not_modeled("row-major queries"));
    let ot = some_or!(out.tile_bytes(cx.hw), cx.not_modeled("a row-major output"));
    let cores = cx.grid.cores() as u64;
    let (steps, q_reads, all_steps) = if flat {
        busiest_flat(cores, b.saturating_mul(nqh), q_chunks, ch, k_chunks, causal, extra)
    } else {
        let s = split(cores, b, nqh, q_chunks, causal);
        let (steps, chunks, all) = busiest_group(&s, q_chunks, offset, ch, k_chunks, causal, extra);
        (steps.saturating_mul(s.per_core_bh), chunks.saturating_mul(s.per_core_bh), all)
    };
    let q_chunk_bytes = ch.sq.saturating_mul(ch.dht).saturating_mul(qt) * one_if(q.memory.is_dram());
    // Every head and batch runs every group's steps.
    let heads = b.saturating_mul(nqh);
    let all_steps = all_steps.saturating_mul(heads);
    let all_q = q_chunks.saturating_mul(ch.sq).saturating_mul(heads);
    let q_bytes = all_q.saturating_mul(ch.dht).saturating_mul(qt) * one_if(q.memory.is_dram());
    let out_bytes = all_q.saturating_mul(ch.vdht).saturating_mul(ot) * one_if(out.memory.is_dram());
    let per_step_waits = 2 + one_if(ch.mask_bytes > 0);
    Ok(Work {
        products: steps.saturating_mul(ch.products()),
        scores: steps.saturating_mul(ch.sq.saturating_mul(ch.sk)),
        read_bytes: steps
            .saturating_mul(ch.step_bytes())
            .saturating_add(q_reads.saturating_mul(q_chunk_bytes)),
        waits: steps.saturating_mul(per_step_waits).saturating_add(q_reads),
        dram_bytes: all_steps.saturating_mul(ch.step_bytes()).saturating_add(q_bytes),
        dram_written: out_bytes.saturating_add(gathered),
        dram_pages: all_steps.saturating_mul(ch.step_pages),
        rounds: 0,
        round_bytes: 0,
    })
}

/// Prefill (`sdpa`).
const fn prefill(cx: &Ctx<'_>) -> Result<Work, Error> {
    let OpParams::Sdpa(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let n = cx.inputs.len();
    let q = &cx.inputs[0];
    let k = &cx.inputs[1];
    let v = if n > 2 { &cx.inputs[2] } else { k };
    // A row-major input is a page table [B, blocks]: a chunked prefill over a paged cache.
    // With `chunk_start_idx` its queries start there; without, the start is a tensor's value
    // (`chunk_start_idx_tensor`), taken as the end of the table's blocks, the most keys.
    let mut table = 0u64;
    let mut i = 3;
    while i < n {
        if matches!(cx.inputs[i].layout, Layout::RowMajor) {
            table = cx.inputs[i].shape.logical_dim_from_end(0) as u64;
        }
        i += 1;
    }
    let start = if p.chunk_start_idx > 0 {
        p.chunk_start_idx as u64
    } else {
        table.saturating_mul(k.shape.dim_from_end(1) as u64)
    };
    let chunked = start > 0;
    // A fourth tiled input is the mask.
    let mask = if n > 3 && !chunked && matches!(cx.inputs[3].layout, Layout::Tile { .. }) {
        Some(&cx.inputs[3])
    } else {
        None
    };
    let sizes = (chunk_tiles(p.q_chunk_size), chunk_tiles(p.k_chunk_size));
    let ch = tri!(chunks(cx, q, k, v, sizes, mask));
    let (b, nqh) = (q.shape.dim_from_end(3) as u64, q.shape.dim_from_end(2) as u64);
    let sq_rows = q.shape.logical_dim_from_end(1) as u64;
    let sk_rows = if chunked { start.saturating_add(sq_rows) } else { k.shape.logical_dim_from_end(1) as u64 };
    let q_chunks = ceil_div(tiles_of(sq_rows), ch.sq);
    let k_chunks = ceil_div(tiles_of(sk_rows), ch.sk);
    // A chunked prefill's queries start `start` rows in: `start / q_chunk_size` chunks.
    let offset = start / (ch.sq * 32);
    chunked_work(cx, q, &ch, (max(b, 1), max(nqh, 1)), (q_chunks, k_chunks, offset, 0), p.is_causal, 0, false)
}

/// Joint and ring-joint attention (`ring_joint_sdpa`): the busiest device.
const fn ring_joint(cx: &Ctx<'_>) -> Result<Work, Error> {
    let OpParams::RingJointSdpa(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let (q, k, v) = (&cx.inputs[0], &cx.inputs[1], &cx.inputs[2]);
    let sizes = (chunk_tiles(p.q_chunk_size), chunk_tiles(p.k_chunk_size));
    let ch = tri!(chunks(cx, q, k, v, sizes, None));
    let ring = if p.ring_size > 1 { p.ring_size as u64 } else { 1 };
    let (b, nqh) = (q.shape.dim_from_end(3) as u64, q.shape.dim_from_end(2) as u64);
    // Joint tokens (inputs 3 to 5 when given: 6 inputs for joint attention, 8 with the
    // ring's gathered K and V buffers last), appended to the sequence: more query chunks, and
    // key chunks every query chunk attends to.
    let n = cx.inputs.len();
    let joint = if n == 6 || n == 8 { cx.inputs[3].shape.logical_dim_from_end(1) as u64 } else { 0 };
    let joint_q = if joint > 0 { ceil_div(tiles_of(joint), ch.sq) } else { 0 };
    let joint_k = if joint > 0 { ceil_div(tiles_of(joint), ch.sk) } else { 0 };
    let local = q.shape.logical_dim_from_end(1) as u64;
    let q_chunks = ceil_div(tiles_of(local), ch.sq).saturating_add(joint_q);
    let k_chunks = ceil_div(tiles_of(k.shape.logical_dim_from_end(1) as u64), ch.sk);
    let causal = p.is_causal;
    // The other devices' key chunks per query chunk: all of them (the last device of an
    // unbalanced causal ring, or any device without causality), half when balanced.
    let others = (ring - 1).saturating_mul(k_chunks);
    let others = if causal && p.is_balanced { others / 2 } else { others };
    // Gathered K and V of the other devices, written to DRAM by the fused all-gather.
    let gathered = (ring - 1).saturating_mul(
        ch.k_bytes
            .saturating_add(ch.v_bytes)
            .saturating_mul(k_chunks)
            .saturating_mul(k.shape.dim_from_end(3) as u64)
            .saturating_mul(max(v.shape.dim_from_end(2) as u64, k.shape.dim_from_end(2) as u64)),
    );
    chunked_work(
        cx,
        q,
        &ch,
        (max(b, 1), max(nqh, 1)),
        (q_chunks, k_chunks, 0, others.saturating_add(joint_k)),
        causal,
        gathered,
        true,
    )
}

/// Decode (`sdpa_decode`).
const fn decode(cx: &Ctx<'_>) -> Result<Work, Error> {
    let OpParams::SdpaDecode(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let n = cx.inputs.len();
    let q = &cx.inputs[0];
    let k = &cx.inputs[1];
    let v = if n > 2 { &cx.inputs[2] } else { k };
    let out = match cx.output {
        Some(o) => o,
        None => q,
    };
    let qt = some_or!(q.tile_bytes(cx.hw), cx.not_modeled("row-major queries"));
    let ot = some_or!(out.tile_bytes(cx.hw), cx.not_modeled("a row-major output"));
    // Q is [1, B, PNH, D]: B users, PNH query heads padded to a tile.
    let b = max(q.shape.dim_from_end(2) as u64, 1);
    let pnht = tiles_of(q.shape.dim_from_end(1) as u64);
    let nkh = max(k.shape.dim_from_end(2) as u64, 1);
    // Paged: the page table (the last input) lists each user's blocks of `block` rows.
    let block = k.shape.dim_from_end(1) as u64;
    let seq = if p.paged && n > 3 {
        (cx.inputs[n - 1].shape.logical_dim_from_end(0) as u64).saturating_mul(block)
    } else {
        block
    };
    let cores = max(cx.grid.cores() as u64, 1);
    let per_head_max = if p.max_cores_per_head > 0 { p.max_cores_per_head as u64 } else { cores };
    let per_batch = max(min(cores, per_head_max.saturating_mul(b).saturating_mul(nkh)) / b, 1);
    let per_head = max(per_batch / nkh, 1);
    let heads_per_core = max(ceil_div(nkh, per_batch), 1);
    let st = tiles_of(seq);
    let sk = if p.k_chunk_size > 0 { chunk_tiles(p.k_chunk_size) } else { ceil_div(st, per_head) };
    // A step is the user's query heads (one chunk of `pnht` tiles) against a key chunk.
    let ch = tri!(chunks(cx, q, k, v, (pnht, sk), None));
    let k_chunks = ceil_div(st, sk);
    let steps = ceil_div(k_chunks, per_head).saturating_mul(heads_per_core);
    let q_bytes = pnht.saturating_mul(ch.dht).saturating_mul(qt) * one_if(q.memory.is_dram());
    // Position and page-table reads (row-major int inputs), one waited read each.
    let mut index_reads = 0;
    let mut i = 3;
    while i < n {
        index_reads += one_if(matches!(cx.inputs[i].layout, Layout::RowMajor) && cx.inputs[i].memory.is_dram());
        i += 1;
    }
    // The cores that hold a chunk combine in a tree of ceil(log2(cores)) rounds.
    let active = min(per_head, k_chunks);
    let rounds = if active > 1 { (64 - (active - 1).leading_zeros()) as u64 } else { 0 };
    let partial_tiles = pnht.saturating_mul(ch.vdht).saturating_add(2 * pnht);
    let all_chunks = b.saturating_mul(nkh).saturating_mul(k_chunks);
    let out_bytes = b.saturating_mul(pnht).saturating_mul(ch.vdht).saturating_mul(ot) * one_if(out.memory.is_dram());
    Ok(Work {
        products: steps.saturating_mul(ch.products()),
        scores: steps.saturating_mul(pnht.saturating_mul(sk)),
        read_bytes: steps.saturating_mul(ch.step_bytes()).saturating_add(q_bytes),
        waits: steps.saturating_mul(2) + one_if(q_bytes > 0) + index_reads,
        dram_bytes: all_chunks
            .saturating_mul(ch.step_bytes())
            .saturating_add(b.saturating_mul(nkh).saturating_mul(q_bytes)),
        dram_written: out_bytes,
        dram_pages: all_chunks.saturating_mul(ch.step_pages),
        rounds,
        round_bytes: partial_tiles.saturating_mul(ot),
    })
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<SdpaRooflineFeatures, Error> {
    let (work, fidelity) = match cx.params {
        OpParams::Sdpa(p) => (tri!(prefill(cx)), p.math_fidelity),
        OpParams::SdpaDecode(p) => (tri!(decode(cx)), p.math_fidelity),
        OpParams::RingJointSdpa(p) => (tri!(ring_joint(cx)), p.math_fidelity),
        _ => return Err(cx.foreign_params()),
    };
    let hw = cx.hw;
    let cycle = cx.cycles_to_ns(1.0);
    let out = match cx.output {
        Some(o) => o,
        None => &cx.inputs[0],
    };
    Ok(SdpaRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        compute_scale: work.products as f64 * hw.tile_cycles(fidelity) as f64 * cycle,
        softmax_tile_cycles: work.scores as f64 * cycle,
        dram_scale: cx.dram_pages_ns(work.dram_bytes, work.dram_pages, work.dram_written),
        read_scale: cx.noc_ns_at(work.read_bytes, hw.dram_core_bytes_per_cycle),
        dram_wait_scale: work.waits as f64 * cx.cycles_to_ns(hw.dram_read_latency_cycles),
        reduce_scale: work.rounds as f64 * cx.noc_ns_of_tiles(work.round_bytes, out),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formulas::test_support::close;
    use crate::tensor::{BufferType, CoreRange, MemoryLayout, ShardOrientation, ShardSpec};
    use crate::{
        Card, CoreGrid, DType, Hardware, MemoryConfig, Op, OpParam, ParamValue, QueryParams, Shape,
    };

    const DRAM: MemoryConfig = MemoryConfig::DRAM_INTERLEAVED;

    /// Chunks of `sq` by `sk` tiles (only the heights matter to the step counts).
    fn chunks_of(sq: u64, sk: u64) -> Chunks {
        Chunks { sq, sk, dht: 1, vdht: 1, k_bytes: 0, v_bytes: 0, mask_bytes: 0, step_pages: 0 }
    }

    /// One query chunk's key-chunk steps, chunk by chunk: what the closed forms sum.
    fn steps_of(c: u64, offset: u64, ch: &Chunks, k_chunks: u64, causal: bool) -> u64 {
        if causal { min(ceil_div((c + offset + 1) * ch.sq, ch.sk), k_chunks) } else { k_chunks }
    }

    #[test]
    fn floor_sums_match_the_terms() {
        for (n, m, a, b) in [(0, 5, 3, 2), (1, 1, 0, 0), (7, 3, 5, 4), (100, 7, 22, 13), (33, 32, 1, 31), (9, 4, 0, 9)] {
            let walked: u64 = (0..n).map(|i| (a * i + b) / m).sum();
            assert_eq!(floor_sum(n, m, a, b), walked, "{n} {m} {a} {b}");
        }
        assert_eq!(floor_sum(10, 0, 1, 1), 0);
        // Past 64-bit products: a = m makes each term i + floor(b / m).
        let n = 1u64 << 32;
        assert_eq!(floor_sum(n, 3, 3, 7), n * (n - 1) / 2 + n * 2);
        assert_eq!(floor_sum(u64::MAX, 1, u64::MAX, u64::MAX), u64::MAX, "saturates");
    }

    #[test]
    fn step_counts_in_closed_form_match_the_chunk_by_chunk_walk() {
        for causal in [false, true] {
            for (sq, sk) in [(1, 1), (2, 1), (1, 2), (3, 2), (4, 8), (8, 3), (0, 4), (4, 0)] {
                let ch = chunks_of(sq, sk);
                for k_chunks in [0, 1, 2, 5, 13] {
                    for offset in [0, 1, 3] {
                        for q_chunks in [1, 2, 7, 16, 40] {
                            for extra in [0, 2] {
                                let walk = |range: std::ops::Range<u64>| -> u64 {
                                    range.map(|c| steps_of(c, offset, &ch, k_chunks, causal) + extra).sum()
                                };
                                assert_eq!(
                                    steps_between(1, q_chunks, offset, &ch, k_chunks, causal, extra),
                                    walk(1..q_chunks)
                                );
                                for cores in [1, 2, 3, 8, 64] {
                                    // A group's chunks, the back half from the back when balanced.
                                    let s = split(cores, 1, 3, q_chunks, causal);
                                    let (mut best, mut best_chunks, mut all) = (0, 0, 0);
                                    for g in 0..s.groups {
                                        let start = g * s.per_group;
                                        let end = min(start + s.per_group, q_chunks);
                                        let half = s.per_group / 2;
                                        let steps: u64 = (start..end)
                                            .map(|i| {
                                                let c = if s.balanced && i - start >= half {
                                                    q_chunks - 1 - (start + (i - start - half))
                                                } else {
                                                    i
                                                };
                                                steps_of(c, offset, &ch, k_chunks, causal) + extra
                                            })
                                            .sum();
                                        all += steps;
                                        if steps > best {
                                            (best, best_chunks) = (steps, end - start);
                                        }
                                    }
                                    let grouped = busiest_group(&s, q_chunks, offset, &ch, k_chunks, causal, extra);
                                    assert_eq!(grouped, (best, best_chunks, all), "{cores} cores, {q_chunks} chunks");
                                    // Ring-joint's flat split: consecutive chunks of every head.
                                    let heads = 3;
                                    let flat_all = heads * q_chunks;
                                    let per_core = flat_all.div_ceil(cores).max(1);
                                    let (mut fbest, mut fchunks) = (0, 0);
                                    for i in 0..flat_all.div_ceil(per_core).min(q_chunks) {
                                        let (start, end) = (i * per_core, ((i + 1) * per_core).min(flat_all));
                                        let steps: u64 = (start..end)
                                            .map(|f| steps_of(f % q_chunks, 0, &ch, k_chunks, causal) + extra)
                                            .sum();
                                        if steps > fbest {
                                            (fbest, fchunks) = (steps, end - start);
                                        }
                                    }
                                    let head: u64 = (0..q_chunks).map(|c| steps_of(c, 0, &ch, k_chunks, causal) + extra).sum();
                                    let flat = busiest_flat(cores, heads, q_chunks, &ch, k_chunks, causal, extra);
                                    assert_eq!(flat, (fbest, fchunks, head), "flat: {cores} cores, {q_chunks} chunks");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    fn tiled(dims: &[u32], dtype: DType) -> TensorParams {
        TensorParams::new(Shape::new(dims), dtype, Layout::TILE, DRAM)
    }

    fn bf16(dims: &[u32]) -> TensorParams {
        tiled(dims, DType::Bfloat16)
    }

    fn features_of(
        op: Op,
        params: &[OpParam<'_>],
        inputs: &[TensorParams],
        grid: CoreGrid,
    ) -> Result<SdpaRooflineFeatures, Error> {
        let hw = Hardware::of(Card::P150);
        let cx = Ctx::new(op, hw, QueryParams::ByName(params), inputs, None, grid)?;
        features(&cx)
    }

    fn ns_per_cycle() -> f64 {
        1000.0 / Hardware::of(Card::P150).clock_mhz
    }

    fn int(key: &'static str, v: i64) -> OpParam<'static> {
        OpParam::new(key, ParamValue::Int(v))
    }

    fn flag(key: &'static str, v: bool) -> OpParam<'static> {
        OpParam::new(key, ParamValue::Bool(v))
    }

    fn fidelity(v: &'static str) -> OpParam<'static> {
        OpParam::new("math_fidelity", ParamValue::Enum(v))
    }

    /// A 128-token causal prefill of 32 query heads and 4 KV heads of 128 on 110 cores
    /// (chunks of 32: 4 query and 4 key chunks a head). The 32 heads take 32 cores each, and
    /// 3 query-chunk groups of 2 chunks: chunks 0-1 (1 + 2 key-chunk steps), 2-3 (3 + 4 = 7:
    /// the busiest core), none. Per step 4 + 4 tile products at HiFi2's 32 cycles (56 in all),
    /// one score tile, a K and a V chunk of 4 tiles each waited for; 2 Q chunks of 4 tiles
    /// waited for: 16 waits, 7 x 16 KiB + 2 x 8 KiB read. DRAM: 10 steps a head x 32 heads of
    /// 16 KiB, Q and the output once (512 tiles each).
    #[test]
    fn causal_prefill_by_hand() {
        let (q, kv) = (bf16(&[1, 32, 128, 128]), bf16(&[1, 4, 128, 128]));
        let f = features_of(Op::Sdpa, &[fidelity("hifi2")], &[q, kv, kv], CoreGrid::new(11, 10)).unwrap();
        let c = ns_per_cycle();
        assert!(close(f.compute_scale, 56.0 * 32.0 * c));
        assert!(close(f.softmax_tile_cycles, 7.0 * c));
        assert!(close(f.dram_wait_scale, 16.0 * 479.0 * c));
        let hw = Hardware::of(Card::P150);
        assert!(close(f.read_scale, (7.0 * 16384.0 + 2.0 * 8192.0) / hw.dram_core_bytes_per_cycle * c));
        let read = 320.0 * 16384.0 + 512.0 * 2048.0;
        assert!(close(f.dram_scale, read * hw.ns_per_dram_byte + 512.0 * 2048.0 * hw.ns_per_dram_write_byte));
        assert_eq!(f.reduce_scale, 0.0);
    }

    /// Not causal, every query chunk steps through every key chunk: the busiest core's 2
    /// query chunks take 8 steps (64 products), where causal they take 7.
    #[test]
    fn non_causal_reads_every_key_chunk() {
        let (q, kv) = (bf16(&[1, 32, 128, 128]), bf16(&[1, 4, 128, 128]));
        let params = [fidelity("hifi2"), flag("is_causal", false)];
        let f = features_of(Op::Sdpa, &params, &[q, kv, kv], CoreGrid::new(11, 10)).unwrap();
        assert!(close(f.compute_scale, 64.0 * 32.0 * ns_per_cycle()));
        assert!(close(f.dram_wait_scale, 18.0 * 479.0 * ns_per_cycle()));
    }

    /// Causal, 8 query chunks over 4 cores in groups of 2 (an even count that divides
    /// evenly): balanced, each core pairs chunk `g` with chunk `7 - g`, 9 key-chunk steps
    /// each, where the last group of consecutive chunks would take 7 + 8 = 15. 64 x 64 heads:
    /// 2 + 2 products a step at LoFi's 16 cycles.
    #[test]
    fn balanced_causal_prefill_pairs_front_and_back() {
        let x = bf16(&[1, 1, 256, 64]);
        let f = features_of(Op::Sdpa, &[fidelity("lofi")], &[x, x, x], CoreGrid::new(4, 1)).unwrap();
        assert!(close(f.compute_scale, 9.0 * 4.0 * 16.0 * ns_per_cycle()));
        // Not balanced on 3 cores (3 groups of 3): chunks 6 and 7, 7 + 8 steps.
        let f = features_of(Op::Sdpa, &[fidelity("lofi")], &[x, x, x], CoreGrid::new(3, 1)).unwrap();
        assert!(close(f.compute_scale, 15.0 * 4.0 * 16.0 * ns_per_cycle()));
    }

    /// Chunks of 256 (8 tiles): a step is 8 x 8 x 4 + 8 x 4 x 8 = 512 products, 64 score
    /// tiles; HiFi4 costs twice HiFi2.
    #[test]
    fn chunk_sizes_and_fidelity() {
        let (q, kv) = (bf16(&[1, 1, 256, 128]), bf16(&[1, 1, 256, 128]));
        let run = |fid| {
            let params = [fidelity(fid), int("q_chunk_size", 256), int("k_chunk_size", 256)];
            features_of(Op::Sdpa, &params, &[q, kv, kv], CoreGrid::new(1, 1)).unwrap()
        };
        let (hifi2, hifi4) = (run("hifi2"), run("hifi4"));
        assert!(close(hifi2.compute_scale, 512.0 * 32.0 * ns_per_cycle()));
        assert!(close(hifi4.compute_scale, 2.0 * hifi2.compute_scale));
        assert!(close(hifi2.softmax_tile_cycles, 64.0 * ns_per_cycle()));
    }

    /// A chunked prefill of 64 rows starting at 64: keys run to 128 (4 chunks); Q's chunks
    /// are chunks 2 and 3 of the sequence, so causal they step through 3 and 4 key chunks.
    #[test]
    fn chunked_prefill_offsets_the_causal_bound() {
        let (q, kv) = (bf16(&[1, 1, 64, 64]), bf16(&[1, 1, 128, 64]));
        let params = [fidelity("lofi"), int("chunk_start_idx", 64)];
        let f = features_of(Op::Sdpa, &params, &[q, kv, kv], CoreGrid::new(1, 1)).unwrap();
        assert!(close(f.compute_scale, 7.0 * 4.0 * 16.0 * ns_per_cycle()));
    }

    /// A chunked prefill over a paged cache without `chunk_start_idx` (the start is a
    /// tensor's value): the page table's 2 blocks of 32 rows are taken as before Q, so 32
    /// queries (one chunk, chunk 2 of the sequence) step through 3 key chunks.
    #[test]
    fn paged_chunked_prefill_takes_the_table_as_the_prefix() {
        let (q, kv) = (bf16(&[1, 1, 32, 64]), bf16(&[8, 1, 32, 64]));
        let table = TensorParams::new(Shape::new(&[1, 2]), DType::Int32, Layout::RowMajor, DRAM);
        let f = features_of(Op::Sdpa, &[fidelity("lofi")], &[q, kv, kv, table], CoreGrid::new(1, 1)).unwrap();
        assert!(close(f.compute_scale, 3.0 * 4.0 * 16.0 * ns_per_cycle()));
    }

    /// Qwen3's decode step: one user's 32 query heads (L1-sharded) against a paged cache of 8
    /// KV heads, 4 blocks of 32 rows (128), on 64 cores of at most 16 a head: 8 cores a head,
    /// the cache's 4 tiles in chunks of 1 (k_chunk_size 0: split over the head's cores), one
    /// chunk a core. A chunk: 4 + 4 products at LoFi's 16 cycles, one score tile, K and V
    /// (4 tiles each) waited for, and the position and page-table reads: 4 waits. The 4
    /// cores with a chunk combine in 2 rounds of 4 output and 2 statistics tiles. DRAM: the
    /// whole cache once (8 heads x 4 chunks x 16 KiB).
    #[test]
    fn paged_decode_by_hand() {
        let shard = ShardSpec::new(CoreRange { start: (0, 0), end: (0, 0) }, [32, 128], ShardOrientation::RowMajor);
        let l1 = MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard);
        let q = TensorParams::new(Shape::new(&[1, 1, 32, 128]), DType::Bfloat16, Layout::TILE, l1);
        let kv = bf16(&[4, 8, 32, 128]);
        let pos = TensorParams::new(Shape::new(&[1, 1]), DType::Int32, Layout::RowMajor, DRAM);
        let table = TensorParams::new(Shape::new(&[1, 4]), DType::Int32, Layout::RowMajor, DRAM);
        let params = [fidelity("lofi"), flag("paged", true), int("max_cores_per_head", 16)];
        let f = features_of(Op::SdpaDecode, &params, &[q, kv, kv, pos, table], CoreGrid::new(8, 8)).unwrap();
        let c = ns_per_cycle();
        assert!(close(f.compute_scale, 8.0 * 16.0 * c));
        assert!(close(f.softmax_tile_cycles, c));
        assert!(close(f.dram_wait_scale, 4.0 * 479.0 * c));
        let hw = Hardware::of(Card::P150);
        assert!(close(f.read_scale, 16384.0 / hw.dram_core_bytes_per_cycle * c));
        assert!(close(f.dram_scale, 32.0 * 16384.0 * hw.ns_per_dram_byte));
        assert!(close(f.reduce_scale, 2.0 * 6.0 * 2048.0 / 54.0 * c));
    }

    /// tt-metal issue #57161's decode: 8 users, 32 query and 8 KV heads of 128, a non-paged
    /// DRAM cache of 8192 rows. Each K and V tile is one read request to its bank's
    /// endpoint, one per 16.4 cycles (issue #55898): 2 x 8 x 8 x 256 x 4 = 131,072 requests
    /// over the 8 banks. In bfloat4_b (576 B a tile, 75.5 MB) the requests take longer than the
    /// bytes at the achievable bandwidth; in bfloat16 (2 KiB, 268 MB) the bytes do, with each
    /// user's query tiles (4) read for each KV head and the output (4 tiles a user) written.
    #[test]
    fn small_cache_pages_are_bound_by_the_banks_request_rate() {
        let q = bf16(&[1, 8, 32, 128]);
        let dram_time = |dtype| {
            let kv = tiled(&[8, 8, 8192, 128], dtype);
            let f = features_of(Op::SdpaDecode, &[], &[q, kv, kv], CoreGrid::new(11, 10)).unwrap();
            f.dram_scale
        };
        let hw = Hardware::of(Card::P150);
        let requests = 2.0 * 8.0 * 8.0 * 256.0 * 4.0;
        let out_ns = 8.0 * 4.0 * 2048.0 * hw.ns_per_dram_write_byte;
        assert!(close(dram_time(DType::Bfloat4B), requests / 8.0 * 16.4 * ns_per_cycle() + out_ns));
        let bf16_read = (requests + 8.0 * 8.0 * 4.0) * 2048.0;
        assert!(close(dram_time(DType::Bfloat16), bf16_read * hw.ns_per_dram_byte + out_ns));
    }

    /// A cache of one block: one chunk, nothing to reduce.
    #[test]
    fn one_chunk_decode_has_no_reduction() {
        let q = bf16(&[1, 1, 32, 128]);
        let kv = bf16(&[1, 4, 32, 128]);
        let table = TensorParams::new(Shape::new(&[1, 1]), DType::Int32, Layout::RowMajor, DRAM);
        let params = [flag("paged", true), int("k_chunk_size", 32)];
        let f = features_of(Op::SdpaDecode, &params, &[q, kv, kv, table, table], CoreGrid::new(11, 10)).unwrap();
        assert_eq!(f.reduce_scale, 0.0);
    }

    /// A causal ring of 2, 128 rows a device, on 2 cores: 4 query chunks split 2 a core.
    /// The last device steps through all 4 key chunks of the other device per query chunk,
    /// then its own diagonal: chunks 2 and 3 take (3 + 4) + (4 + 4) = 15 steps of 2 + 2
    /// products (head dim 64). Balanced, half the other device's chunks: (3 + 2) + (4 + 2).
    /// DRAM: one head's 26 steps of 8 KiB, Q and the output (8 tiles each), and the other
    /// device's K and V (16 tiles) written by the all-gather.
    #[test]
    fn causal_ring_is_its_last_device() {
        let x = bf16(&[1, 1, 128, 64]);
        let ring = |balanced| {
            let params = [fidelity("lofi"), flag("is_causal", true), int("ring_size", 2), flag("is_balanced", balanced)];
            features_of(Op::RingJointSdpa, &params, &[x, x, x], CoreGrid::new(2, 1)).unwrap()
        };
        let c = ns_per_cycle();
        let f = ring(false);
        assert!(close(f.compute_scale, 15.0 * 4.0 * 16.0 * c));
        let hw = Hardware::of(Card::P150);
        // K and V steps and Q read; the output (8 tiles) and the gathered K and V (16) written.
        let (read, written) = (26.0 * 8192.0 + 8.0 * 2048.0, 24.0 * 2048.0);
        assert!(close(f.dram_scale, read * hw.ns_per_dram_byte + written * hw.ns_per_dram_write_byte));
        assert!(close(ring(true).compute_scale, 11.0 * 4.0 * 16.0 * c));
    }

    /// Joint attention on one device (6 inputs): 64 joint tokens add 2 query chunks and 2
    /// key chunks every query chunk attends to; not causal, 4 + 2 steps for each of the 6
    /// query chunks, on one core 36 steps.
    #[test]
    fn joint_tokens_add_query_and_key_chunks() {
        let (x, joint) = (bf16(&[1, 1, 128, 64]), bf16(&[1, 1, 64, 64]));
        let f = features_of(Op::RingJointSdpa, &[fidelity("lofi")], &[x, x, x, joint, joint, joint], CoreGrid::new(1, 1)).unwrap();
        assert!(close(f.compute_scale, 36.0 * 4.0 * 16.0 * ns_per_cycle()));
    }

    /// Block-float K and V: a chunk's bytes are its tiles at 1088 B.
    #[test]
    fn block_float_kv_reads_fewer_bytes() {
        let q = bf16(&[1, 1, 32, 64]);
        let kv = tiled(&[1, 1, 32, 64], DType::Bfloat8B);
        let f = features_of(Op::Sdpa, &[], &[q, kv, kv], CoreGrid::new(1, 1)).unwrap();
        let hw = Hardware::of(Card::P150);
        let read = 4.0 * 1088.0 + 2.0 * 2048.0;
        assert!(close(f.read_scale, read / hw.dram_core_bytes_per_cycle * ns_per_cycle()));
    }

    /// Row-major keys are not what the op takes: a typed error, no panic.
    #[test]
    fn row_major_keys_are_not_modeled() {
        let q = bf16(&[1, 1, 32, 64]);
        let k = TensorParams::new(Shape::new(&[1, 1, 32, 64]), DType::Bfloat16, Layout::RowMajor, DRAM);
        assert!(features_of(Op::Sdpa, &[], &[q, k, k], CoreGrid::new(1, 1)).is_err());
    }
}
