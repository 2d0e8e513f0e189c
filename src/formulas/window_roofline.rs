//! `window_roofline`: halo, padded_slice and slice_write, the ops that move the row-major
//! sticks of a sliding-window op's (conv2d's, pooling's) activation one stick or one run at a
//! time: the halo gathers each core's window of sticks, and conv2d's DRAM slicing cuts the
//! input into slices (padded_slice) and writes each slice's output back (slice_write).
//!
//! What it reads: the input's and the output's shapes (rows of sticks, the last dim), layouts
//! (a tiled input is untilized or written a tile at a time), dtypes (stick and tile bytes),
//! memory configs (DRAM or L1) and shard specs (the cores, the sticks each core holds: the
//! shard height, and the stick width: the shard width, the shard grid and its orientation).
//! The halo reads the sliding window's geometry (image, kernel, stride, dilation, padding)
//! and the input sticks per core: they decide which of a core's window's sticks come from
//! other cores (see below). padded_slice and slice_write read no op param.
//!
//! What each op's cores do (tenstorrent/tt-metal, `ttnn/cpp/ttnn/operations/`):
//!
//! * **halo** (`sliding_window/halo/device/untilize_with_halo_program_factory.cpp`,
//!   `kernels/dataflow/halo_gather.cpp`): each core of the shard grid builds its output
//!   shard, the sticks its conv window covers (its own input sticks, its neighbours' overlap
//!   and the padding), by NoC writes of runs of sticks to its own and other cores' L1, the
//!   padding by reads of a pad stick. The output holds every core's window, so a core's
//!   output sticks are the output's rows over the cores (the profiler's `max_out_nsticks_per_core`
//!   times the cores). Counted: those sticks' bytes at the NoC's sustained rate
//!   (`noc_scale`; the runs are long: an image row); a tiled input is untilized by the compute
//!   kernel (`pack_untilize.cpp`, `tile_cycles` a tile), a block of one tile row at a time,
//!   and the gather waits for each block's writes (`noc_async_write_barrier`) before taking
//!   the next (`barrier_scale`, one round trip of a write a block). The sticks a core sends
//!   to other cores (`link_scale`, from v2): the window geometry (params: the image, kernel,
//!   stride, dilation, padding, and `in_nsticks_per_core`) places each core's window in the
//!   padded image; the input sticks in it come from the cores holding them, and the
//!   transfers, dealt round-robin to the two data-movement cores (one on each NoC: half of
//!   each flow's bytes on each), cross the NoC's torus links (NoC0 east then south, NoC1 west
//!   then north); a flow to the previous core goes round the ring, so on a row of cores
//!   every link carries several flows. Counted: the busiest link's bytes at the link's
//!   nominal rate. On bh20_oft this is what separates three halos of the same output shape
//!   taking 7.7, 10.3 and 12.5 µs: their inputs are 40, 42 and 41 image rows over shards of
//!   320, 352 and 352 sticks, so the windows (320 outputs a core) fall on the core's own
//!   sticks in the first and mostly on other cores' in the others. Not counted: the runs
//!   and pad sticks one NoC command each (a pad stick is a read of the pad value; a term for
//!   them made bh20_oft worse: p90 18% -> 39%). Until tt-metal PR #18394 (opened
//!   2025-02-27, merged in March 2025; issue #17982: "one RISCV core performs copy for local
//!   and padding sticks, while the second one performs remote sticks copy"), the factory
//!   (`untilize_with_halo_v2_program_factory.cpp`) gave every remote transfer to the NoC1
//!   core and the local and padding copies to the NoC0 one: with `remote_on_one_core` (read
//!   from a trace by its era) each flow's bytes all load NoC1's links, twice the half that
//!   today's round-robin puts there.
//! * **padded_slice** (`experimental/padded_slice/device/padded_slice_rm_program_factory.cpp`,
//!   `padded_slice_tile_program_factory.cpp`): the output is sharded; each shard core fills
//!   its whole shard (its shard height of sticks, the padded tail too). A row-major input:
//!   the reader issues one read per output stick (`padded_slice_reader_rm_interleaved_start_id.cpp`)
//!   straight into the shard and waits once for all of them (`dram_issue_scale` per read,
//!   `dram_wait_scale` for the one wait). A tiled input: the reader reads a row of tiles (the
//!   shard width's tiles) and waits for it (`padded_slice_reader_tiled_interleaved_start_id.cpp`;
//!   `dram_wait_scale`: every core reads its row at once, so a row arrives at the slowest of
//!   the core's own DRAM rate, its share of the card's bandwidth and its share of the banks'
//!   request rate, after the read latency; the DRAM bytes and requests are in those waits),
//!   the compute kernel untilizes it, and the writer (`writer_unary_sharded_padded_tiled.cpp`)
//!   copies the untilized rows into the shard: one NoC read for the block when the output
//!   stick is a multiple of the larger of the device's DRAM and L1 read alignments (64 B on
//!   Blackhole, 32 B on Wormhole), else one read per stick
//!   (`l1_issue_scale`), then a barrier (`barrier_scale`) per block.
//! * **slice_write** (`experimental/slice_write/device/slice_write_rm_sharded_input_program_factory.cpp`,
//!   `slice_write_tiled_sharded_input_program_factory.cpp`): each core of the input's shard
//!   grid writes its shard into the larger output, one NoC write per stick (row-major) or per
//!   tile (`slice_write_writer_interleaved.cpp`), none of them waited for one by one
//!   (`dram_issue_scale`). The row-major writer waits for each batch of sticks that fits 4 KiB
//!   (`merge_num_sticks_to_read`, `noc_async_write_barrier`): not counted, as on every shared
//!   row the DRAM term binds with or without those waits. An interleaved input is split over
//!   the grid, each page read and written (two commands).
//!
//! A command's published cost is tt-metal's measured cycles between one core's back-to-back
//! small transfers (the device spec's `dram_access.read_issue_cycles` and `write_issue_cycles`,
//! `noc.write_issue_cycles`: 36.6, 25.5 and 25.4 cycles on Blackhole), or the page's bytes at
//! one core's DRAM rate when that is longer (a 2 KiB tile: 96 cycles); a barrier's is one
//! write's round trip (`noc.write_round_trip_cycles`). DRAM (`dram_scale`) is the bytes read
//! from DRAM at the card's achievable bandwidth and written to it at its
//! `dram_write_fraction` of that. The commands, barriers and a tiled input's untilize add
//! within the NoC term (the data-movement core waits for each untilized block before it
//! copies it on); the DRAM term overlaps them. On bh20_oft (20 cores) the row-major padded
//! slices and slice writes take 130–180 cycles a stick, 4–7 times the single-core figures,
//! whatever the stick's size
//! (18 to 512 B): the cores' small requests queue at the DRAM banks. `dram_request_scale`
//! (in the DRAM term) counts every core's DRAM reads and writes issued a stick or a tile at a
//! time, spread over the card's banks, each at the published rate a bank's NoC endpoint takes
//! requests (the device spec's `dram_access.endpoint_read_cycles`: 16.4 cycles on Blackhole,
//! tt-metal issue #55898, measured for reads; writes are taken to cost the same). Every row in
//! the data has 20 cores, so a per-core cost would fit them as well, and the evidence leans
//! that way: bh_muse_glimmer_30b_prefill's 103-core tilizes (430 cycles a stick a core) are
//! bound by the DRAM's bytes (sticks read and tiles written at ~336 GB/s), not its requests,
//! and issue #55898's 64 MiB clone of 64 B sticks on ~130 cores runs near the published
//! endpoint rate, where the 2.84x the v2 fits carry would make it 2.5x slower. No published
//! figure gives a core ~135 cycles a stick (its address generation and loop take ~20-45).
//! The bank term stays until one does.

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::op_params::halo::Params as HaloParams;
use crate::generated::{OpParams, WindowRooflineFeatures};
use crate::model::{Ctx, ceil_div, max, min};
use crate::tensor::{Layout, MemoryLayout, ShardOrientation, TensorParams};

/// Sticks (rows) of `t` each of `cores` holds: the shard height when sharded, else an even
/// split of its rows.
const fn rows_per_core(t: &TensorParams, cores: u64) -> u64 {
    match t.memory.shard {
        Some(s) if t.memory.layout.is_sharded() => max(s.shape[0] as u64, 1),
        _ => max(ceil_div(t.rows(), max(cores, 1)), 1),
    }
}

/// Elements of one stick of `t` on a core: the shard width when sharded, else the last dim.
const fn stick_elements(t: &TensorParams) -> u64 {
    let w = t.shape.dim_from_end(0) as u64;
    match t.memory.shard {
        Some(s) if t.memory.layout.is_sharded() => max(min(s.shape[1] as u64, w), 1),
        _ => max(w, 1),
    }
}

/// Tile height and width of `t` (32x32 for a row-major tensor's tiles when it is untilized).
const fn tile_dims(t: &TensorParams) -> (u64, u64) {
    match t.layout {
        Layout::Tile { height, width } => (max(height as u64, 1), max(width as u64, 1)),
        Layout::RowMajor => (32, 32),
    }
}

/// The features with every term zero but the fixed cost: one cycle of `cx`'s device.
const fn fixed_cost_only(cx: &Ctx<'_>) -> WindowRooflineFeatures {
    WindowRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        dram_scale: 0.0,
        dram_wait_scale: 0.0,
        dram_request_scale: 0.0,
        dram_issue_scale: 0.0,
        l1_issue_scale: 0.0,
        noc_scale: 0.0,
        link_scale: 0.0,
        barrier_scale: 0.0,
        tile_cycles: 0.0,
    }
}

/// Halo: the busiest core's output sticks copied at the sustained NoC rate, the busiest NoC
/// link of the sticks sent between cores, and for a tiled input its tiles untilized and a
/// barrier per tile row.
const fn halo(
    cx: &Ctx<'_>,
    p: &HaloParams,
    x: &TensorParams,
    y: &TensorParams,
) -> Result<WindowRooflineFeatures, Error> {
    let Some(element) = y.dtype.element_bytes() else {
        return Err(cx.not_modeled("a halo output of a block-float dtype (it is row-major sticks)"));
    };
    let cores = match (x.shard_cores(), y.shard_cores()) {
        (Some(c), _) | (None, Some(c)) => c,
        (None, None) => cx.grid.cores() as u64,
    };
    // The output is every core's window: its rows over the cores.
    let out_sticks = max(ceil_div(y.rows(), max(cores, 1)), 1);
    let stick = stick_elements(y) * element as u64;
    let bytes = out_sticks.saturating_mul(stick);
    let mut f = fixed_cost_only(cx);
    f.noc_scale = cx.noc_ns_at(bytes, cx.hw.noc_sustained_bytes_per_cycle);
    let round_trip = cx.cycles_to_ns(cx.hw.noc_write_round_trip_cycles);
    if let Layout::Tile { .. } = x.layout {
        let (th, tw) = tile_dims(x);
        let blocks = ceil_div(rows_per_core(x, cores), th);
        let tiles = blocks.saturating_mul(ceil_div(stick_elements(x), tw));
        f.tile_cycles = cx.cycles_to_ns(tiles as f64);
        f.barrier_scale = blocks as f64 * round_trip;
    } else {
        // The gather's final barrier.
        f.barrier_scale = round_trip;
    }
    if x.memory.is_dram() {
        f.dram_scale = cx.dram_ns(some_or!(x.bytes(cx.hw), Error::Overflow { what: "halo input bytes" }));
    } else {
        let link_bytes = match busiest_link_bytes(cx, p, x, stick) {
            Ok(b) => b,
            Err(e) => return Err(e),
        };
        f.link_scale = cx.noc_ns_at(link_bytes, cx.hw.noc_link_bytes_per_cycle);
    }
    Ok(f)
}

/// Largest side of a shard grid whose NoC links the halo's link tally covers (Blackhole's
/// worker grid is 14 wide).
const MAX_GRID_SIDE: usize = 16;
/// Nodes of one NoC ring in the tally: the grid's side and one node standing for the rest of
/// the ring (the columns or rows outside the shard grid carry only the flows that wrap, so one
/// link stands for them all).
const RING: usize = MAX_GRID_SIDE + 1;
/// Links in the tally: two NoCs, each an x link and a y link leaving every node.
const LINKS: usize = 4 * RING * RING;

/// `v`, or 0 when negative.
const fn nonneg(v: i64) -> u64 {
    if v > 0 { v as u64 } else { 0 }
}

/// The sliding window's geometry in sticks: the image, its padding and the output it gives.
struct Window {
    in_h: u64,
    in_w: u64,
    pad_top: u64,
    pad_left: u64,
    /// Output height and width.
    oh: u64,
    ow: u64,
    stride_h: u64,
    stride_w: u64,
    /// The window's extent below and right of its top-left stick: dilation x (kernel - 1).
    reach_h: u64,
    reach_w: u64,
}

impl Window {
    /// The geometry, or `None` when the window is larger than the padded image.
    const fn of(p: &HaloParams) -> Option<Window> {
        let (in_h, in_w) = (nonneg(p.input_h), nonneg(p.input_w));
        let (pad_top, pad_left) = (nonneg(p.pad_top), nonneg(p.pad_left));
        let ph = in_h + pad_top + nonneg(p.pad_bottom);
        let pw = in_w + pad_left + nonneg(p.pad_right);
        let reach_h = nonneg(p.dilation_h) * nonneg(p.kernel_h).saturating_sub(1);
        let reach_w = nonneg(p.dilation_w) * nonneg(p.kernel_w).saturating_sub(1);
        let (stride_h, stride_w) = (max(nonneg(p.stride_h), 1), max(nonneg(p.stride_w), 1));
        if ph <= reach_h || pw <= reach_w {
            return None;
        }
        Some(Window {
            in_h,
            in_w,
            pad_top,
            pad_left,
            oh: (ph - reach_h - 1) / stride_h + 1,
            ow: (pw - reach_w - 1) / stride_w + 1,
            stride_h,
            stride_w,
            reach_h,
            reach_w,
        })
    }

    /// Input sticks (not padding) before a corner of output stick `o`'s window in the padded
    /// image (images one after another): its top-left stick, or when `last` the stick after
    /// its bottom-right one. The input index of the first input stick at or after it.
    const fn input_before(&self, o: u64, last: bool) -> u64 {
        let plane = self.oh * self.ow;
        let (b, r, c) = (o / plane, (o % plane) / self.ow, o % self.ow);
        // One past the bottom-right stick may be the row's end (`pw`), which counts the whole
        // row, as the next row's start would.
        let (dr, dc) = if last { (self.reach_h, self.reach_w + 1) } else { (0, 0) };
        let (row, col) = (r * self.stride_h + dr, c * self.stride_w + dc);
        let rows = min(row.saturating_sub(self.pad_top), self.in_h);
        let mut n = b * self.in_h * self.in_w + rows * self.in_w;
        if row >= self.pad_top && row < self.pad_top + self.in_h {
            n += min(col.saturating_sub(self.pad_left), self.in_w);
        }
        n
    }
}

/// Bytes of the NoC link the halo's transfers between cores load most. tt-metal's
/// `sliding_window.cpp` (`generate_halo_kernel_config_tensors`) gives core `c` the output
/// sticks `c x S .. (c + 1) x S` of the convolution (S: the output rows over the cores, a
/// multiple of a tile's 32 rows) and so the padded-image window from the first one's top-left
/// stick to the last one's bottom-right; the input sticks in it come from the cores holding
/// them (input shard height each), one transfer per run, and `divide_transfers_between_cores`
/// deals the transfers round-robin to the two data-movement cores, one on each NoC (so half
/// of each flow's bytes on each). A flow goes along x, then y, on its NoC's torus (NoC0 east
/// and south, NoC1 west and north); a flow to the previous core on NoC0 goes round the ring.
/// Cores are numbered along the shard grid's rows (height sharded, row-major), down its rows
/// (block sharded: each column of the grid gathers on its own), or the transposes for a
/// column-major orientation; width sharding moves nothing between cores. 0 when the window
/// geometry is not given (input_h or input_w 0).
const fn busiest_link_bytes(
    cx: &Ctx<'_>,
    p: &HaloParams,
    x: &TensorParams,
    stick: u64,
) -> Result<u64, Error> {
    if p.input_h <= 0 || p.input_w <= 0 {
        return Ok(0);
    }
    let Some(w) = Window::of(p) else {
        return Err(cx.not_modeled("a halo whose window is larger than the padded image"));
    };
    let Some(shard) = x.memory.shard else {
        return Ok(0);
    };
    let gx = (shard.grid.end.0 as u64 + 1).saturating_sub(shard.grid.start.0 as u64);
    let gy = (shard.grid.end.1 as u64 + 1).saturating_sub(shard.grid.start.1 as u64);
    if gx as usize > MAX_GRID_SIDE || gy as usize > MAX_GRID_SIDE {
        return Err(cx.not_modeled("a halo on a shard grid more than 16 cores wide or high"));
    }
    let column_major = matches!(shard.orientation, ShardOrientation::ColMajor);
    // Cores along the image's rows, and where core `i` sits: (x, y) = along(i).
    let cores = match x.memory.layout {
        MemoryLayout::HeightSharded => max(shard.cores as u64, 1),
        MemoryLayout::BlockSharded if column_major => max(gx, 1),
        MemoryLayout::BlockSharded => max(gy, 1),
        _ => return Ok(0),
    };
    let block = matches!(x.memory.layout, MemoryLayout::BlockSharded);
    let in_per_core = match p.in_nsticks_per_core {
        n if n > 0 => n as u64,
        _ => rows_per_core(x, cores),
    };
    let outputs = some_or!(
        (w.oh * w.ow).checked_mul(max(nonneg(p.batch), 1)),
        Error::Overflow { what: "halo output sticks" }
    );
    let per_core = ceil_div(ceil_div(outputs, cores), 32) * 32;
    let mut load = [0u64; LINKS];
    let mut c = 0;
    while c < cores && c * per_core < outputs {
        let first = w.input_before(c * per_core, false);
        let end = w.input_before(min((c + 1) * per_core, outputs) - 1, true);
        let to = position(c, gx, gy, block, column_major);
        let mut owner = first / in_per_core;
        // Sticks past the last shard (window params that describe a larger image than the
        // input holds) are no core's: they cross no link, and the walk stops at the shards.
        while owner < cores && owner * in_per_core < end {
            let lo = max(first, owner * in_per_core);
            let hi = min(end, (owner + 1) * in_per_core);
            if owner != c && hi > lo {
                let bytes = (hi - lo).saturating_mul(stick);
                // Each NoC's share of the flow: half each, or all of it on NoC1.
                let shares = if p.remote_on_one_core { (0, bytes) } else { (bytes / 2, bytes / 2) };
                let from = position(owner, gx, gy, block, column_major);
                route(&mut load, shares, from, to, gx + 1, gy + 1);
            }
            owner += 1;
        }
        c += 1;
    }
    // Each ring's prefix sums of its differences are its links' loads: rows of `gx + 1` links
    // (the x planes) and columns of `gy + 1` (the y planes), of each NoC.
    let mut busiest = 0;
    let mut plane = 0;
    while plane < 4 {
        let x_links = plane % 2 == 0;
        let (rings, len) = if x_links { (gy + 1, gx + 1) } else { (gx + 1, gy + 1) };
        let mut r = 0;
        while r < rings as usize {
            let mut sum: u64 = 0;
            let mut i = 0;
            while i < len as usize {
                let at = plane * RING * RING + if x_links { r * RING + i } else { i * RING + r };
                sum = sum.wrapping_add(load[at]);
                busiest = max(busiest, sum);
                i += 1;
            }
            r += 1;
        }
        plane += 1;
    }
    Ok(busiest)
}

/// Grid position (x, y) of the core holding shard `i` along the image's rows.
const fn position(i: u64, gx: u64, gy: u64, block: bool, column_major: bool) -> (u64, u64) {
    match (block, column_major) {
        (true, false) => (0, i),
        (true, true) => (i, 0),
        (false, false) => (i % max(gx, 1), i / max(gx, 1)),
        (false, true) => (i / max(gy, 1), i % max(gy, 1)),
    }
}

/// Adds each NoC's share of the flow `from` -> `to` (`shares`: NoC0's bytes, NoC1's) to every
/// link it crosses on that NoC: NoC0 east along the source's row, then south along the
/// target's column; NoC1 west, then north. Rings of `rx` and `ry` nodes; a link is counted at
/// the node it leaves. Each ring's stretch is added as differences (`add_arc`), which the
/// tally's prefix sums turn into loads.
const fn route(
    load: &mut [u64; LINKS],
    shares: (u64, u64),
    from: (u64, u64),
    to: (u64, u64),
    rx: u64,
    ry: u64,
) {
    let (fx, fy, tx, ty) = (from.0 % rx, from.1 % ry, to.0 % rx, to.1 % ry);
    // Steps east and south; west and north are the rest of each ring.
    let dx = if tx >= fx { tx - fx } else { tx + rx - fx };
    let dy = if ty >= fy { ty - fy } else { ty + ry - fy };
    let (ring, plane) = (RING as u64, (RING * RING) as u64);
    // NoC0: links fx .. tx - 1 of the source's row, then fy .. ty - 1 of the target's column.
    add_arc(load, fy * ring, 1, rx, fx, dx, shares.0);
    add_arc(load, plane + tx, ring, ry, fy, dy, shares.0);
    // NoC1: links tx + 1 .. fx of the source's row, then ty + 1 .. fy of the target's column.
    let base = 2 * plane;
    let (after_tx, after_ty) = (if tx + 1 == rx { 0 } else { tx + 1 }, if ty + 1 == ry { 0 } else { ty + 1 });
    add_arc(load, base + fy * ring, 1, rx, after_tx, if dx == 0 { 0 } else { rx - dx }, shares.1);
    add_arc(load, base + plane + tx, ring, ry, after_ty, if dy == 0 { 0 } else { ry - dy }, shares.1);
}

/// Adds `bytes` to `len` links of a ring of `n` from link `start` on, as differences: link `i`
/// is `load[first + i * stride]`, and the ring's prefix sums give each link's load (wrapping
/// arithmetic: the sums themselves are exact).
const fn add_arc(load: &mut [u64; LINKS], first: u64, stride: u64, n: u64, start: u64, len: u64, bytes: u64) {
    if len == 0 {
        return;
    }
    let end = start + len;
    let (s, z) = ((first + start * stride) as usize, first as usize);
    load[s] = load[s].wrapping_add(bytes);
    if end < n {
        let e = (first + end * stride) as usize;
        load[e] = load[e].wrapping_sub(bytes);
    } else if end > n {
        let e = (first + (end - n) * stride) as usize;
        load[z] = load[z].wrapping_add(bytes);
        load[e] = load[e].wrapping_sub(bytes);
    }
}

/// Padded slice: the output shard's sticks read one by one (row-major input) or a row of
/// tiles at a time, untilized and copied in (tiled input).
const fn padded_slice(cx: &Ctx<'_>, x: &TensorParams, y: &TensorParams) -> Result<WindowRooflineFeatures, Error> {
    let Some(cores) = y.shard_cores() else {
        return Err(cx.tensor_error(
            Operand::Output,
            TensorProblem::WrongMemory {
                expected: "sharded (padded_slice fills the output's shards)",
            },
        ));
    };
    let Some(element) = y.dtype.element_bytes() else {
        return Err(cx.not_modeled("a padded_slice output of a block-float dtype (it is row-major sticks)"));
    };
    let sticks = rows_per_core(y, cores);
    let stick = stick_elements(y) * element as u64;
    let core_bytes = sticks.saturating_mul(stick);
    let mut f = fixed_cost_only(cx);
    match x.layout {
        Layout::RowMajor => {
            if x.memory.is_dram() {
                f.dram_scale = cx.dram_ns(core_bytes.saturating_mul(cores));
                let read = cx.command_cycles(cx.hw.dram_read_issue_cycles, stick);
                f.dram_issue_scale = cx.cycles_to_ns(sticks as f64 * read);
                // One barrier for all of a core's reads: the last read's latency.
                f.dram_wait_scale = cx.cycles_to_ns(cx.hw.waited_dram_read_cycles(stick));
                f.dram_request_scale = cx.dram_requests_ns(sticks.saturating_mul(cores));
            } else {
                f.l1_issue_scale = cx.cycles_to_ns(sticks as f64 * cx.hw.noc_write_issue_cycles);
            }
        }
        Layout::Tile { .. } => {
            let (th, tw) = tile_dims(x);
            let blocks = ceil_div(sticks, th);
            let row_tiles = ceil_div(stick_elements(y), tw);
            let tile_bytes = some_or!(x.tile_bytes(cx.hw), Error::Overflow { what: "tile bytes" });
            // The reader waits for each row of tiles, and every core reads its row at once: a
            // row's bytes arrive at the slowest of the core's own DRAM rate, its share of the
            // card's bandwidth and its share of the banks' request rate, after the read
            // latency. The bytes and requests are in those waits, not beside them.
            let block_bytes = row_tiles.saturating_mul(tile_bytes);
            f.dram_wait_scale = if x.memory.is_dram() {
                let own = cx.cycles_to_ns(block_bytes as f64 / cx.hw.dram_core_bytes_per_cycle);
                let shared = cx.dram_bytes_or_requests_ns(
                    block_bytes.saturating_mul(cores),
                    row_tiles.saturating_mul(cores),
                );
                blocks as f64 * (cx.cycles_to_ns(cx.hw.dram_read_latency_cycles) + f64::max(own, shared))
            } else {
                blocks as f64 * cx.cycles_to_ns(cx.hw.noc_write_round_trip_cycles)
            };
            f.tile_cycles = cx.cycles_to_ns(blocks.saturating_mul(row_tiles) as f64);
            // The writer: a read per stick unless the stick is a multiple of the larger of the
            // DRAM and L1 alignments it checks, a barrier a block.
            let alignment = max(cx.hw.dram_alignment_bytes as u64, cx.hw.l1_alignment_bytes as u64);
            let reads = if stick % alignment == 0 { blocks } else { sticks };
            f.l1_issue_scale = cx.cycles_to_ns(reads as f64 * cx.hw.noc_write_issue_cycles);
            f.noc_scale = cx.noc_ns_at(core_bytes, cx.hw.noc_sustained_bytes_per_cycle);
            f.barrier_scale = blocks as f64 * cx.cycles_to_ns(cx.hw.noc_write_round_trip_cycles);
        }
    }
    Ok(f)
}

/// Slice write: the input's sticks (or tiles) written one by one into the output.
const fn slice_write(cx: &Ctx<'_>, x: &TensorParams, y: &TensorParams) -> Result<WindowRooflineFeatures, Error> {
    let overflow = Error::Overflow { what: "bytes written" };
    let (sharded, cores) = match x.shard_cores() {
        Some(c) => (true, c),
        None => (false, cx.grid.cores() as u64),
    };
    let (pages, page) = match x.layout {
        Layout::Tile { .. } => {
            let (th, tw) = tile_dims(x);
            let tiles = ceil_div(rows_per_core(x, cores), th).saturating_mul(ceil_div(stick_elements(x), tw));
            (tiles, some_or!(x.tile_bytes(cx.hw), overflow))
        }
        Layout::RowMajor => {
            let Some(element) = x.dtype.element_bytes() else {
                return Err(cx.not_modeled("a row-major slice_write input of a block-float dtype"));
            };
            // A stick is written at the narrower of the shard's and the output's widths.
            let w = min(stick_elements(x), max(y.shape.dim_from_end(0) as u64, 1));
            (rows_per_core(x, cores), w * element as u64)
        }
    };
    let total = pages.saturating_mul(page).saturating_mul(cores);
    let mut f = fixed_cost_only(cx);
    let (mut read, mut written) = (0u64, 0u64);
    let mut requests = 0u64;
    let mut commands_ns = 0.0;
    if y.memory.is_dram() {
        written = total;
        requests = pages.saturating_mul(cores);
        commands_ns += pages as f64 * cx.command_cycles(cx.hw.dram_write_issue_cycles, page);
    } else {
        f.l1_issue_scale = cx.cycles_to_ns(pages as f64 * cx.hw.noc_write_issue_cycles);
    }
    if !sharded {
        // An interleaved input: each page read before it is written.
        if x.memory.is_dram() {
            read = total;
            requests = requests.saturating_add(pages.saturating_mul(cores));
            commands_ns += pages as f64 * cx.command_cycles(cx.hw.dram_read_issue_cycles, page);
        } else {
            f.l1_issue_scale += cx.cycles_to_ns(pages as f64 * cx.hw.noc_write_issue_cycles);
        }
    }
    f.dram_scale = cx.dram_traffic_ns(read, written);
    f.dram_request_scale = cx.dram_requests_ns(requests);
    f.dram_issue_scale = cx.cycles_to_ns(commands_ns);
    Ok(f)
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<WindowRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    // The operand rules make the output required for these ops.
    let Some(y) = cx.output else {
        return Err(cx.not_modeled("a stick move without its target tensor"));
    };
    match cx.params {
        OpParams::Halo(p) => halo(cx, &p, x, y),
        OpParams::PaddedSlice(_) => padded_slice(cx, x, y),
        OpParams::SliceWrite(_) => slice_write(cx, x, y),
        _ => Err(cx.foreign_params()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::{BufferType, CoreRange, MemoryConfig, MemoryLayout, ShardOrientation, ShardSpec};
    use crate::{Card, DType, Hardware, Op, OpParam, ParamValue, QueryParams, Shape};
    use crate::formulas::test_support::close;

    /// A halo's features on a p150 with the window geometry `params`.
    fn halo_with(params: &[OpParam<'_>], x: TensorParams, y: TensorParams) -> WindowRooflineFeatures {
        let hw = Hardware::of(Card::P150);
        let inputs = [x];
        let cx = Ctx::new(Op::Halo, hw, QueryParams::ByName(params), &inputs, Some(&y), hw.compute_grid)
            .unwrap();
        features(&cx).unwrap()
    }

    /// A 3x3 window, stride 1, padding 1 all round, over an `h x 8` image.
    fn three_by_three(h: i64) -> [OpParam<'static>; 8] {
        [
            OpParam::new("input_h", ParamValue::Int(h)),
            OpParam::new("input_w", ParamValue::Int(8)),
            OpParam::new("kernel_h", ParamValue::Int(3)),
            OpParam::new("kernel_w", ParamValue::Int(3)),
            OpParam::new("pad_top", ParamValue::Int(1)),
            OpParam::new("pad_bottom", ParamValue::Int(1)),
            OpParam::new("pad_left", ParamValue::Int(1)),
            OpParam::new("pad_right", ParamValue::Int(1)),
        ]
    }

    /// Height-sharded in L1 over a row of `cores` cores, shards of `rows` sticks of 32
    /// channels.
    fn on_a_row(cores: u8, rows: u32) -> MemoryConfig {
        let shard = ShardSpec::new(CoreRange { start: (0, 0), end: (cores - 1, 0) }, [rows, 32], ShardOrientation::RowMajor);
        MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard)
    }

    /// A 3x3 window over a 12x8 image of 32 channels (64 B sticks) on a row of 3 cores, 32
    /// input sticks (4 image rows) and 32 outputs each. Core 1's window is padded rows 4-9:
    /// input rows 3-8, row 3 (8 sticks) from core 0 and row 8 from core 2; core 0 takes row 4
    /// from core 1, core 2 row 7. Four flows of 512 B, 256 B on each NoC. On a ring of 4
    /// nodes (the 3 cores and the rest of the ring), NoC0 east: 0->1 crosses link 0, 1->2
    /// link 1, 1->0 links 1, 2, 3 and 2->1 links 2, 3, 0: two flows on every link, 512 B.
    /// NoC1 west likewise. The busiest link: 512 B at 64 B/cycle, 8 cycles.
    #[test]
    fn halo_links_of_a_chain_of_three_cores_by_hand() {
        let x = rm(&[1, 1, 96, 32], on_a_row(3, 32));
        let y = rm(&[1, 1, 144, 32], on_a_row(3, 48));
        let f = halo_with(&three_by_three(12), x, y);
        assert!(close(f.link_scale, 8.0 / 1.35), "{}", f.link_scale);
        // Without the geometry the links are not counted.
        let f = features_of(Op::Halo, x, y);
        assert_eq!(f.link_scale, 0.0);
    }

    /// Two cores, an 8x8 image: core 0's window (padded rows 0-5) takes input row 4 from core
    /// 1 and core 1's (rows 4-9) row 3 from core 0, 512 B each way, 256 B on each NoC. On a
    /// ring of 3 nodes every link carries one half: 256 B, 4 cycles. Given the input's
    /// sticks per core explicitly as 64 (core 0 holding the whole image), core 1's window
    /// comes all from core 0: 40 sticks (input rows 3-7), 1,280 B a NoC, over one link on
    /// NoC0 and two on NoC1.
    #[test]
    fn halo_links_follow_the_input_sticks_per_core() {
        let x = rm(&[1, 1, 64, 32], on_a_row(2, 32));
        let y = rm(&[1, 1, 96, 32], on_a_row(2, 48));
        let f = halo_with(&three_by_three(8), x, y);
        assert!(close(f.link_scale, 4.0 / 1.35), "{}", f.link_scale);
        let mut params = three_by_three(8).to_vec();
        params.push(OpParam::new("in_nsticks_per_core", ParamValue::Int(64)));
        let f = halo_with(&params, x, y);
        assert!(close(f.link_scale, 1280.0 / 64.0 / 1.35), "{}", f.link_scale);
    }

    /// The earlier factory (`remote_on_one_core`) sends every remote transfer on NoC1. The
    /// chain of three cores above: its four flows of 512 B go west on a ring of 4 nodes, 0->1
    /// over links 0, 3, 2, 1->2 over 1, 0, 3, 1->0 over 1 and 2->1 over 2: 1,024 B on every
    /// link, 16 cycles, twice today's 8. The two cores: 0->1 over links 0 and 2, 1->0 over
    /// link 1 of a ring of 3, 512 B on each, 8 cycles against 4.
    #[test]
    fn halo_remote_transfers_on_one_core_load_noc1_alone() {
        let one_core = OpParam::new("remote_on_one_core", ParamValue::Bool(true));
        for (cores, h, today, earlier) in [(3u8, 12i64, 8.0, 16.0), (2, 8, 4.0, 8.0)] {
            let x = rm(&[1, 1, 32 * cores as u32, 32], on_a_row(cores, 32));
            let y = rm(&[1, 1, 48 * cores as u32, 32], on_a_row(cores, 48));
            let f = halo_with(&three_by_three(h), x, y);
            assert!(close(f.link_scale, today / 1.35), "{cores} cores: {}", f.link_scale);
            let mut params = three_by_three(h).to_vec();
            params.push(one_core);
            let g = halo_with(&params, x, y);
            assert!(close(g.link_scale, earlier / 1.35), "{cores} cores: {}", g.link_scale);
            // Nothing else depends on which core sends.
            assert_eq!((g.noc_scale, g.barrier_scale), (f.noc_scale, f.barrier_scale));
        }
    }

    /// A window larger than the padded image is a typed error, not a silent zero.
    #[test]
    fn halo_window_larger_than_the_image_is_an_error() {
        let hw = Hardware::of(Card::P150);
        let x = rm(&[1, 1, 96, 32], on_a_row(3, 32));
        let y = rm(&[1, 1, 144, 32], on_a_row(3, 48));
        let mut params = three_by_three(12).to_vec();
        params[2] = OpParam::new("kernel_h", ParamValue::Int(20));
        let inputs = [x];
        let cx = Ctx::new(Op::Halo, hw, QueryParams::ByName(&params), &inputs, Some(&y), hw.compute_grid).unwrap();
        assert!(features(&cx).is_err());
    }

    /// Window params that give an image larger than the input's shards hold (here one
    /// stick a core for a 1000x8 image over 3 cores) count only the sticks the shards hold:
    /// the walk over source cores stops at the last shard (a 2^20 x 2^20 image once walked
    /// billions of them). Core 0's window takes the 2 sticks of cores 1 and 2, 64 B each, 32
    /// B on each NoC; on a ring of 4 nodes the busiest NoC0 link carries both: 64 B, 1 cycle.
    #[test]
    fn halo_image_larger_than_its_shards_counts_the_shards_only() {
        let x = rm(&[1, 1, 3, 32], on_a_row(3, 1));
        let y = rm(&[1, 1, 144, 32], on_a_row(3, 48));
        let mut params = three_by_three(1000).to_vec();
        params.push(OpParam::new("in_nsticks_per_core", ParamValue::Int(1)));
        let f = halo_with(&params, x, y);
        assert!(close(f.link_scale, 1.0 / 1.35), "{}", f.link_scale);
    }

    /// Height-sharded in L1 over the 5x4 grid bh20_oft runs on, shards of `rows x width`.
    fn height_sharded(rows: u32, width: u32) -> MemoryConfig {
        let shard = ShardSpec::new(
            CoreRange { start: (0, 0), end: (4, 3) },
            [rows, width],
            ShardOrientation::RowMajor,
        );
        MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard)
    }

    fn rm(dims: &[u32], memory: MemoryConfig) -> TensorParams {
        TensorParams::new(Shape::new(dims), DType::Bfloat16, Layout::RowMajor, memory)
    }

    fn features_of(op: Op, x: TensorParams, y: TensorParams) -> WindowRooflineFeatures {
        let hw = Hardware::of(Card::P150);
        let inputs = [x];
        let cx = Ctx::new(op, hw, QueryParams::ByName(&[]), &inputs, Some(&y), hw.compute_grid)
            .unwrap();
        features(&cx).unwrap()
    }

    /// bh20_oft's halo before a 3x3 convolution of a 48x160 image of 128 channels, tiled, on
    /// 20 cores of a p150 (1.35 GHz): each core's window is 14320 / 20 = 716 sticks of 256 B
    /// (183,296 B at 60 B/cycle: 3,054.9 cycles); its 384 input rows are 12 tile rows of 4
    /// tiles: 48 tiles untilized, 12 block barriers of a write's round trip (366 cycles).
    /// v1: 600 + (3,054.9 + 12 x 366 + 32 x 48) / 1.35 = 7,254 ns; the trace measured
    /// 7.03-7.07 µs.
    #[test]
    fn halo_of_a_tiled_input_by_hand() {
        let x = TensorParams::tiled(&[1, 1, 7680, 128], DType::Bfloat16, height_sharded(384, 128));
        let y = rm(&[1, 1, 14320, 128], height_sharded(716, 128));
        let f = features_of(Op::Halo, x, y);
        assert!(close(f.noc_scale, 183_296.0 / 60.0 / 1.35));
        assert!(close(f.barrier_scale, 12.0 * 366.0 / 1.35));
        assert!(close(f.tile_cycles, 48.0 / 1.35));
        assert_eq!((f.dram_scale, f.dram_issue_scale, f.l1_issue_scale), (0.0, 0.0, 0.0));
        let v1 = 600.0 + f.noc_scale + f.barrier_scale + 32.0 * f.tile_cycles;
        assert!((v1 - 7254.0).abs() < 1.0, "{v1}");
    }

    /// bh20_oft's row-major padded slice `[1, 159, 159, 256]` (DRAM) into shards of 352
    /// sticks of 512 B on 20 cores: its 6,519 sticks fill 19 shards (the last one padded),
    /// the 20th core holds none. Each of the 19 issues 352 DRAM reads (36.6 cycles each:
    /// longer than 512 B at 21.3 B/cycle) and waits once (479 + 512 / 21.3 cycles); the
    /// 6,688 reads spread over 8 DRAM banks, 836 each at 16.4 cycles; DRAM moves 3,424,256 B.
    #[test]
    fn row_major_padded_slice_by_hand() {
        let x = rm(&[1, 159, 159, 256], MemoryConfig::DRAM_INTERLEAVED);
        let y = rm(&[1, 1, 6519, 256], height_sharded(352, 256));
        let f = features_of(Op::PaddedSlice, x, y);
        assert!(close(f.dram_issue_scale, 352.0 * 36.6 / 1.35));
        assert!(close(f.dram_wait_scale, (479.0 + 512.0 / 21.3) / 1.35));
        assert!(close(f.dram_request_scale, 836.0 * 16.4 / 1.35));
        let hw = Hardware::of(Card::P150);
        assert!(close(f.dram_scale, 3_424_256.0 * hw.ns_per_dram_byte));
        assert_eq!((f.l1_issue_scale, f.tile_cycles, f.barrier_scale), (0.0, 0.0, 0.0));
    }

    /// bh20_oft's padded slice of a tiled 3-channel image `[1, 384, 1280, 32]` into shards of
    /// 6272 sticks of 8 channels (16 B, not a multiple of 64: the writer reads stick by
    /// stick): 196 tile rows of one tile a core, each read and waited for, untilized, copied
    /// in by 32 reads and a barrier. The 20 cores read a tile each at once: 40,960 B through
    /// the card's DRAM take longer than one core's 2048 / 21.3 = 96.2 cycles and than the
    /// banks' 3 requests (20 over 8 banks) of 16.4 cycles each.
    #[test]
    fn tiled_padded_slice_copies_narrow_sticks_one_by_one() {
        let x = TensorParams::tiled(&[1, 384, 1280, 32], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
        let y = rm(&[1, 1, 125_440, 8], height_sharded(6272, 8));
        let f = features_of(Op::PaddedSlice, x, y);
        assert!(close(f.l1_issue_scale, 6272.0 * 25.4 / 1.35));
        assert!(close(f.barrier_scale, 196.0 * 366.0 / 1.35));
        assert!(close(f.tile_cycles, 196.0 / 1.35));
        let hw = Hardware::of(Card::P150);
        let shared = 40_960.0 * hw.ns_per_dram_byte;
        // Longer than one core's 96.2 cycles, so than the requests' 49.2 too.
        assert!(shared > 2048.0 / 21.3 / 1.35);
        assert!(close(f.dram_wait_scale, 196.0 * (479.0 / 1.35 + shared)));
        assert!(close(f.noc_scale, 6272.0 * 16.0 / 60.0 / 1.35));
        // The bytes and requests are counted in the waits.
        assert_eq!((f.dram_scale, f.dram_request_scale, f.dram_issue_scale), (0.0, 0.0, 0.0));
    }

    /// One core reading rows of 8 tiles alone waits for each at its own DRAM rate: 16 KiB at
    /// 21.3 B a cycle (769 cycles) is longer than the card's bandwidth takes for it.
    #[test]
    fn one_core_waits_at_its_own_dram_rate() {
        let x = TensorParams::tiled(&[1, 1, 64, 256], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
        let one_core = ShardSpec::new(CoreRange { start: (0, 0), end: (0, 0) }, [64, 256], ShardOrientation::RowMajor);
        let y = rm(
            &[1, 1, 64, 256],
            MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, one_core),
        );
        let f = features_of(Op::PaddedSlice, x, y);
        assert!(close(f.dram_wait_scale, 2.0 * (479.0 + 16_384.0 / 21.3) / 1.35));
    }

    /// A 512-channel output stick (1 KiB) is aligned: one read per block, not per stick.
    #[test]
    fn aligned_sticks_copy_a_block_at_once() {
        let x = TensorParams::tiled(&[1, 1, 6400, 512], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
        let y = rm(&[1, 1, 640, 512], height_sharded(32, 512));
        let f = features_of(Op::PaddedSlice, x, y);
        assert!(close(f.l1_issue_scale, 25.4 / 1.35));
    }

    /// bh20_oft's slice write of 20 shards of 318 sticks of 512 B into `[1, 159, 159, 256]`
    /// in DRAM: 318 writes a core (25.5 cycles each), none waited for; 6,360 requests over 8
    /// banks, 795 each at 16.4 cycles; DRAM takes 3,256,320 B.
    #[test]
    fn row_major_slice_write_by_hand() {
        let x = rm(&[1, 1, 6360, 256], height_sharded(318, 256));
        let y = rm(&[1, 159, 159, 256], MemoryConfig::DRAM_INTERLEAVED);
        let f = features_of(Op::SliceWrite, x, y);
        assert!(close(f.dram_issue_scale, 318.0 * 25.5 / 1.35));
        assert!(close(f.dram_request_scale, 795.0 * 16.4 / 1.35));
        let hw = Hardware::of(Card::P150);
        assert!(close(f.dram_scale, 3_256_320.0 * hw.ns_per_dram_write_byte));
        assert_eq!(f.dram_wait_scale, 0.0);
    }

    /// A tiled slice write: a tile a command, at one core's DRAM rate (2048 / 21.3 = 96.2
    /// cycles, longer than the 25.5 of a small write): 96 tiles a core of 48 tile rows x 2.
    #[test]
    fn tiled_slice_write_streams_each_tile() {
        let x = TensorParams::tiled(&[1, 1, 30720, 64], DType::Bfloat16, height_sharded(1536, 64));
        let y = TensorParams::tiled(&[1, 192, 640, 64], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
        let f = features_of(Op::SliceWrite, x, y);
        assert!(close(f.dram_issue_scale, 96.0 * (2048.0 / 21.3) / 1.35));
    }

    /// Padded slice fills an output's shards: an interleaved output is an error, not a guess.
    #[test]
    fn padded_slice_needs_a_sharded_output() {
        let hw = Hardware::of(Card::P150);
        let x = rm(&[1, 159, 159, 256], MemoryConfig::DRAM_INTERLEAVED);
        let y = rm(&[1, 1, 6519, 256], MemoryConfig::L1_INTERLEAVED);
        let inputs = [x];
        let cx = Ctx::new(Op::PaddedSlice, hw, QueryParams::ByName(&[]), &inputs, Some(&y), hw.compute_grid)
            .unwrap();
        assert!(matches!(
            features(&cx),
            Err(Error::InvalidTensor { operand: Operand::Output, problem: TensorProblem::WrongMemory { .. }, .. })
        ));
    }
}
