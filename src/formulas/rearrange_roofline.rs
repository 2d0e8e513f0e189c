//! `rearrange_roofline`: reshape, transpose and permute, the ops that move a tensor's data to
//! new places without computing on it (a transpose within a tile aside).
//!
//! It reads the input and output tensors' logical and padded shapes (which dims moved, how
//! many tiles or row-major sticks each core handles, which input tiles an output tile needs),
//! their layouts (tiles or sticks), dtypes (bytes per tile, face row or stick), and memory
//! configs (DRAM or L1, for the DRAM term); transpose's `dim`. Permute's permutation is not
//! read: whether the last dim, and the second-last, keep their sizes (which the shapes say) is
//! what decides how ttnn moves the data. Shard specs are not read: the traces hold no sharded
//! rearrangement, and sharded tensors are costed as interleaved ones.
//!
//! How ttnn splits the work (tt-metal `ttnn/cpp/ttnn/operations/data_movement/`), and what
//! each case costs here:
//!
//! * **View** (reshape only): a row-major reshape keeping the last dim, or a tiled one keeping
//!   the last dim with both second-last dims whole tiles, changes only the shape metadata:
//!   the launch and `overhead_cycles`, nothing moved.
//! * **Tiled reshape** (`reshape_view/device/reshape_tiled_program_factory.cpp`): the host maps
//!   each output tile to the segments of input tiles it takes (face-row runs of contiguous
//!   elements); the output tiles are split over the grid (`split_work_to_cores`); per output
//!   tile the reader reads the map page, then every distinct input tile the map names, each
//!   whole and each waited for (`reader_reshape_tiled.cpp`: `noc_async_read_barrier` per
//!   page, through a one-tile buffer), and the writer copies the segments into a scratch tile
//!   with NoC writes to its own L1, waits for them before it frees the input tile
//!   (`writer_reshape_tiled.cpp`), then writes the output tile and waits again. The writer
//!   walks every entry of the map page (tt-metal pads every page to the longest map: the most
//!   segments one input tile gives times the input tiles, plus that modulo the L1 alignment),
//!   reading each from L1 to see whether it is a segment and, for a segment, its four fields,
//!   and copies each segment with one NoC write command to its own L1 (`tt_memmove`).
//!   Counted per output tile of the busiest core: `2 + k` waited-for tile transfers (map
//!   page, `k` input tiles, output tile), `k + 1` DRAM read latencies (map page and input
//!   tiles) and `k + 1` NoC write round trips, and the walk (`segment_scale`: an L1 load an
//!   entry, four more and a write command a segment, at the device's published
//!   `riscv_l1_load_cycles` and `noc.write_issue_cycles`); `k`, the segments and the entries
//!   worked out from the logical shapes collapsed to rank 3, as the factory does, the most
//!   over the first tiles of the output's first eight tile rows (a plane of 33 rows makes most
//!   output tiles straddle two input planes, not the first), the segments exactly as tt-metal
//!   merges runs (a face row, or more where input and output offsets both go on in face order);
//!   DRAM traffic of every re-read, at their average. The walk is what a `[24, 33, 256] ->
//!   [792, 256]` reshape (public Qwen3.6-27B prefill) spends most of its time on: 64 segments
//!   and 184 entries an output tile, ~5,100 cycles on Blackhole, against 1,800-2,600 for the
//!   waits of its two or three input tiles at the published latencies.
//! * **Row-major reshape** (`reshape_view/device/device/rm_reshape_interleaved.cpp`): sticks
//!   (rows of the last dim) read and written; counted as the busiest core's share of the input
//!   sticks and of the output sticks at the NoC rate of a stick's bytes, each input stick's
//!   read waited for (`noc_async_read_barrier` per stick: the DRAM latency from DRAM); the
//!   writes are waited for only before the next stick's copy, long done.
//! * **Transpose WH** (`transpose/device/transpose_wh_program_factory.cpp`): tiles split over
//!   the grid, each read, transposed in the compute engine (`transpose_wh_tile`) and written:
//!   `transpose_tile_cycles` per tile of the busiest core, tile-sized NoC traffic, one
//!   waited-for read per tile.
//! * **Transpose CN** (and a permute keeping the last two dims): whole tiles change place
//!   (`transpose_cn_program_factory.cpp`): tile-sized reads and writes, one waited-for read
//!   per tile.
//! * **Transpose HC, tiled** (`transpose_hc_tiled_interleaved_program_factory.cpp`): the
//!   input tiles are split over the grid; each is read whole and waited for, and each of its
//!   real rows (logical H) written to its output tile as face rows, one write each (a face row
//!   is half a tile row: 32 B in bfloat16), at that size's NoC rate
//!   (`writer_unary_transpose_hc_interleaved_tiled_padding_aware.cpp`); channels not a whole
//!   number of tiles leave padding rows in the output's last channel tile, written a face at
//!   a time (before tt-metal PR #36896 of January 2026, a face row at a time:
//!   `pad_writes_each_line`), split over the grid by (outer dims, H, W tiles).
//! * **Transpose NH** (and a permute keeping only the last dim): an output tile's rows come
//!   from different input tiles: the busiest core's output tiles read in face rows at that
//!   size's NoC rate, written as tiles, one wait per output tile.
//! * **Transpose NW, CW** (and a permute moving the last dim): both, a per-tile transpose and a
//!   face-row gather.
//! * **Row-major transpose or permute**: keeping the last dim, sticks move whole (as the
//!   row-major reshape, each output stick waited for); moving it, input sticks are read whole
//!   and scattered in L1 (`permute_rm_program_factory.cpp`), at the NoC rate of an input
//!   stick, then output sticks written.
//!
//! The terms: DRAM (`dram_scale`) is every byte read from DRAM (re-reads counted) at the
//! card's achievable bandwidth and written to it at its `dram_write_fraction` of that; NoC is the busiest core's traffic at the rate of
//! its transfer size (`noc_scale`), plus its waited-for transfers, each a tile's NoC time and
//! a tiled reshape's waited NoC writes the device's published write round trip
//! (`round_trip_scale`), plus the published latency of each DRAM read waited for alone
//! (`latency_scale`; tt-metal's measured latency of one core's small DRAM read, `dram_access`
//! in the device spec), plus a tiled reshape's map walk (`segment_scale`); compute is the
//! tiles transposed within the tile
//! (`transpose_tile_cycles`). It assumes the cores work in parallel, that the busiest core's
//! output tiles of a tiled reshape each need as many input tiles as the most of those
//! sampled, and that an HC transpose's
//! reads and writes of successive tiles do not overlap (a core with many tiles is
//! over-predicted: bh20_oft's `[1, 256, 7, 256]`).

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::op_params::transpose::Dim;
use crate::generated::{OpParams, RearrangeRooflineFeatures};
use crate::model::{Ctx, ceil_div, div, max, min};
use crate::tensor::{Layout, TensorParams};

/// How the op moves the data: see the module doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Movement {
    View,
    ReshapeTiles,
    Sticks,
    /// Row-major, the last dim moved: input sticks read whole, scattered in L1.
    StickScatter,
    WholeTiles,
    TransposeTiles,
    RowGather,
    TransposeAndGather,
    /// Tiled transpose HC: input tiles read whole, their face rows written to the output.
    HcScatter,
}

/// The logical shape collapsed to rank 3 as ttnn's reshape does: (outer dims' product,
/// second-last, last).
const fn logical_chw(t: &TensorParams) -> (u64, u64, u64) {
    let dims = t.shape.logical();
    let n = dims.len();
    let w = t.shape.logical_dim_from_end(0) as u64;
    let h = t.shape.logical_dim_from_end(1) as u64;
    let mut c: u64 = 1;
    let mut i = 0;
    while i + 2 < n {
        c = c.saturating_mul(dims[i] as u64);
        i += 1;
    }
    (c, h, w)
}

const fn tile_side(t: &TensorParams) -> (u64, u64) {
    match t.layout {
        Layout::Tile { height, width } => (height as u64, width as u64),
        Layout::RowMajor => (1, 1),
    }
}

/// Whether a reshape from `x` to `y` only changes the shape metadata: the same last dim and,
/// tiled, both second-last dims whole tiles (the pages are then the same bytes in the same
/// order).
const fn is_view(x: &TensorParams, y: &TensorParams) -> bool {
    let same_last = x.shape.logical_dim_from_end(0) == y.shape.logical_dim_from_end(0)
        && x.shape.dim_from_end(0) == y.shape.dim_from_end(0);
    match (x.layout, y.layout) {
        (Layout::RowMajor, Layout::RowMajor) => same_last,
        (Layout::Tile { height, .. }, Layout::Tile { .. }) => {
            let h = height as u32;
            same_last
                && x.shape.logical_dim_from_end(1) % h == 0
                && y.shape.logical_dim_from_end(1) % h == 0
        }
        _ => false,
    }
}

/// The most input tiles [`output_tile_map`] tells apart.
const MAX_SEEN: usize = 128;

/// Slots of its set of seen tiles: twice [`MAX_SEEN`], so that probing stays short.
const SEEN_SLOTS: usize = 2 * MAX_SEEN;

/// A logical element's place in a `[c, h, w]` tensor, moved forward element by element in
/// steps of a fixed size without dividing per step.
#[derive(Clone, Copy)]
struct Place {
    c: u64,
    h: u64,
    w: u64,
}

impl Place {
    /// The place of flat element `flat` in planes of `hi` rows of `wi` (both at least 1).
    const fn of(flat: u64, hi: u64, wi: u64) -> Place {
        let plane = hi * wi;
        let rest = flat % plane;
        Place {
            c: flat / plane,
            h: rest / wi,
            w: rest % wi,
        }
    }

    /// `step` (itself a place: whole planes, rows and elements) further on.
    const fn advanced(self, step: Place, hi: u64, wi: u64) -> Place {
        let (mut c, mut h, mut w) = (self.c + step.c, self.h + step.h, self.w + step.w);
        if w >= wi {
            w -= wi;
            h += 1;
        }
        if h >= hi {
            h -= hi;
            c += 1;
        }
        Place { c, h, w }
    }
}

/// What the map of one output tile of a tiled reshape holds (`reshape_map_output_page`):
/// the distinct input tiles (pages) it takes elements from, its segments (runs of elements
/// contiguous in both the input and the output tile, in tt-metal's face order), and the
/// most segments one of its input tiles gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TileMap {
    pages: u64,
    segments: u64,
    most_from_a_page: u64,
}

/// Positions `p` in `0..=n` whose column in rows of `wi` (`p % wi`) starts a face row of
/// `face` elements: every row holds `ceil(wi / face)` such columns.
const fn face_row_starts_to(n: u64, wi: u64, face: u64) -> u64 {
    (n / wi) * ceil_div(wi, face) + (n % wi) / face + 1
}

/// `a / f` and `a % f` for a face side `f`: a shift and a mask for the powers of two every
/// tile shape has (a query's hot loop divides by them per row).
const fn face_div(a: u64, f: u64) -> u64 {
    if f.is_power_of_two() { a >> f.trailing_zeros() } else { a / f }
}

const fn face_rem(a: u64, f: u64) -> u64 {
    if f.is_power_of_two() { a & (f - 1) } else { a % f }
}

/// The offset of element `(h, w)` in its tile of `th x tw`, in face order: faces of at most
/// 16 x 16 row by row, each row by row.
const fn face_offset(h: u64, w: u64, (th, tw): (u64, u64)) -> u64 {
    let (fh, fw) = (min(th, 16), min(tw, 16));
    let (ih, iw) = (h % th, w % tw);
    ((ih / fh) * (tw / fw) + iw / fw) * fh * fw + (ih % fh) * fw + iw % fw
}

/// The input side of [`row_segments`]: rows of `wi` in planes of `hi`, tiles of `tile`, tiles
/// across a row and in a plane.
#[derive(Clone, Copy)]
struct InputRows {
    hi: u64,
    wi: u64,
    tile: (u64, u64),
    tiles_w: u64,
    tiles_hw: u64,
}

impl InputRows {
    const fn page(&self, at: Place) -> u64 {
        at.c * self.tiles_hw + div(at.h, self.tile.0) * self.tiles_w + div(at.w, self.tile.1)
    }

    /// Whether `b` is the element after `a` in the same tile, in face order.
    const fn follows(&self, a: Place, b: Place) -> bool {
        self.page(a) == self.page(b) && face_offset(b.h, b.w, self.tile) == face_offset(a.h, a.w, self.tile) + 1
    }

    /// Whether the first element of the `wrap`-th input row after `start`'s follows, in face
    /// order, the last of the row before it.
    const fn row_goes_on(&self, start: Place, wrap: u64) -> bool {
        self.follows(self.rows_on(start, wrap - 1, self.wi - 1), self.rows_on(start, wrap, 0))
    }

    /// `rows` input rows after `at`'s, at column `w`.
    const fn rows_on(&self, at: Place, rows: u64, w: u64) -> Place {
        let h = at.h + rows;
        Place {
            c: at.c + h / self.hi,
            h: h % self.hi,
            w,
        }
    }
}

/// Segments the output row `r` of a tile adds to the map: a run of `cols` elements from
/// input place `start` on, the previous row's run having ended at `previous`. tt-metal walks
/// the output tile row by row, element by element, and starts a segment where the output or
/// the input offset (in face order) does not follow on from the previous element's: at each
/// output face row (every 16 columns), at each input face row (an input column that is a
/// multiple of 16) except a new input row that follows on in face order, and at the row's first
/// element unless both it and its input follow on from the previous row's last.
const fn row_segments(r: u64, start: Place, previous: Place, cols: u64, i: InputRows, o: (u64, u64)) -> u64 {
    if cols == 0 {
        return 0;
    }
    let (wi, first, last) = (i.wi, start.w, start.w + cols - 1);
    let (fi, fo) = (min(i.tile.1, 16), min(o.1, 16));
    // Input face-row starts after the run's first element (within one input row, the common
    // case, without dividing by the row), less the new rows that follow on.
    let mut inputs = if last < wi {
        face_div(last, fi) - face_div(first, fi)
    } else {
        face_row_starts_to(last, wi, fi) - face_row_starts_to(first, wi, fi)
    };
    // Only a row that ends a face row within the tile's first column of tiles can go on into
    // the next (`(h, wi - 1)` then `(h + 1, 0)`); a narrower row ends inside a face row.
    if last >= wi && wi <= i.tile.1 && wi % fi == 0 {
        let mut wrap = 1;
        while wrap * wi <= last {
            if i.row_goes_on(start, wrap) {
                inputs -= 1;
            }
            wrap += 1;
        }
    }
    // Output face-row starts (never following on), and those the input breaks at too.
    let (mut outputs, mut both) = (0, 0);
    let mut j = fo;
    while j < cols {
        outputs += 1;
        let p = first + j;
        let breaks = if p < wi {
            face_rem(p, fi) == 0
        } else if p % wi != 0 {
            (p % wi) % fi == 0
        } else {
            !i.row_goes_on(start, p / wi)
        };
        if breaks {
            both += 1;
        }
        j += fo;
    }
    // The output offsets go on from a row's last element to the next row's first within a
    // face one face wide, or from a whole tile row's last face row to the next face block.
    let fh = min(o.0, 16);
    let output_goes_on = if cols == o.1 {
        o.1 <= 16 || face_rem(r, fh) == 0
    } else {
        cols == fo && face_rem(r, fh) != 0
    };
    let goes_on = r > 0 && output_goes_on && i.follows(previous, start);
    inputs + outputs - both + if goes_on { 0 } else { 1 }
}

/// The map of the first tile of output tile row `tile_row` (tile rows counted through every
/// plane of the output) of a tiled reshape from `x` to `y`: each of its real rows is a run of
/// contiguous elements in the logical order; the tiles of a run's first and last element are
/// its pages, its segments counted by [`row_segments`] and given to the run's first tile (half
/// to each when the run ends in another). The runs start `wo` elements apart, so both ends
/// are stepped along, not divided out, and the tiles seen are kept in a small hash set (it
/// runs on every query of a tiled reshape).
const fn output_tile_map(x: &TensorParams, y: &TensorParams, tile_row: u64) -> TileMap {
    const ONE: TileMap = TileMap {
        pages: 1,
        segments: 1,
        most_from_a_page: 1,
    };
    let (_, hi, wi) = logical_chw(x);
    let (_, ho, wo) = logical_chw(y);
    let (thi, twi) = tile_side(x);
    let (tho, two) = tile_side(y);
    if hi == 0 || wi == 0 || thi == 0 || twi == 0 || ho == 0 || tho == 0 || two == 0 {
        return ONE;
    }
    let tiles_w = ceil_div(wi, twi);
    let tiles_hw = ceil_div(hi, thi).saturating_mul(tiles_w);
    let input_rows = InputRows {
        hi,
        wi,
        tile: (thi, twi),
        tiles_w,
        tiles_hw,
    };
    // The tile row's plane and its first real row in that plane.
    let tile_rows = ceil_div(ho, tho);
    let (plane, first_row) = (tile_row / tile_rows, (tile_row % tile_rows) * tho);
    let rows = min(ho - first_row, tho);
    let cols = min(wo, two);
    let start = plane.saturating_mul(ho).saturating_add(first_row).saturating_mul(wo);
    let step = Place::of(wo, hi, wi);
    let mut ends = [Place::of(start, hi, wi), Place::of(start.saturating_add(cols.saturating_sub(1)), hi, wi)];
    let mut seen = [0u64; SEEN_SLOTS];
    // Segments given to each seen tile: at most 32 rows of at most 32 a tile.
    let mut given = [0u16; SEEN_SLOTS];
    let mut most = 0;
    let mut previous = ends[1];
    let mut n = 0;
    let mut segments = 0;
    let mut r = 0;
    while r < rows {
        let here = row_segments(r, ends[0], previous, cols, input_rows, (tho, two));
        previous = ends[1];
        segments += here;
        let mut slots = [SEEN_SLOTS; 2];
        let mut end = 0;
        while end < 2 {
            let at = ends[end];
            let page = input_rows.page(at);
            // Open addressing, the page + 1 in a slot (0 is empty).
            let hash = page.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let mut slot = (hash >> (64 - SEEN_SLOTS.trailing_zeros())) as usize;
            while seen[slot] != 0 && seen[slot] != page + 1 {
                slot = (slot + 1) % SEEN_SLOTS;
            }
            if seen[slot] == 0 && n < MAX_SEEN {
                seen[slot] = page + 1;
                n += 1;
            }
            if seen[slot] == page + 1 {
                slots[end] = slot;
            }
            ends[end] = at.advanced(step, hi, wi);
            end += 1;
        }
        // The run's segments go to its first tile, half of them to its last when that is
        // another.
        let [a, b] = slots;
        let here = here as u16;
        if b < SEEN_SLOTS && b != a {
            given[b] = given[b].saturating_add(here / 2);
            most = max(most, given[b] as u64);
            if a < SEEN_SLOTS {
                given[a] = given[a].saturating_add(here - here / 2);
                most = max(most, given[a] as u64);
            }
        } else if a < SEEN_SLOTS {
            given[a] = given[a].saturating_add(here);
            most = max(most, given[a] as u64);
        }
        r += 1;
    }
    if n == 0 {
        return ONE;
    }
    TileMap {
        pages: n as u64,
        segments: max(segments, 1),
        most_from_a_page: max(most, 1),
    }
}

/// The fields of a segment's map entry a tiled reshape's writer reads besides the one that
/// says whether it is one: its input tile, its offsets in the input and output tiles, its
/// length (`writer_reshape_tiled.cpp`).
const SEGMENT_FIELD_LOADS: f64 = 4.0;

/// Output tile rows whose first tiles [`reshape_map`] reads: enough to take in the pattern of
/// a reshape whose planes are not whole tiles (33 rows padded to 64), few enough to keep the
/// query fast.
const SAMPLED_TILE_ROWS: u64 = 8;

/// A tiled reshape's maps over the first tile of each of the output's first
/// [`SAMPLED_TILE_ROWS`] tile rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ReshapeMap {
    /// The most input tiles an output tile takes (the busiest core's tiles, a run of
    /// consecutive ones, can all be of that kind), their sum and the tiles sampled (the
    /// average, for the whole tensor's re-reads).
    most_pages: u64,
    pages_sum: u64,
    sampled: u64,
    /// The most segments of an output tile.
    segments: u64,
    /// The entries of every map page before tt-metal's rounding: the most an input tile
    /// gives times the tiles, the most of any output tile (`compute_reshape_mapping_host_tensor`
    /// pads every page to the longest).
    entries: u64,
}

/// The sampled maps of a tiled reshape from `x` to `y`. The first output tile alone is not
/// enough: a `[24, 33, 256] -> [792, 256]` reshape's first output tile takes one input tile,
/// the others two or three (their rows straddle a head's two tile rows and the next head).
const fn reshape_map(x: &TensorParams, y: &TensorParams) -> ReshapeMap {
    let (planes, ho, _) = logical_chw(y);
    let (tho, _) = tile_side(y);
    let tile_rows = min(planes.saturating_mul(ceil_div(ho, max(tho, 1))), SAMPLED_TILE_ROWS);
    let mut m = ReshapeMap {
        most_pages: 1,
        pages_sum: 0,
        sampled: max(tile_rows, 1),
        segments: 1,
        entries: 1,
    };
    let mut t = 0;
    while t < tile_rows {
        let tile = output_tile_map(x, y, t);
        m.most_pages = max(m.most_pages, tile.pages);
        m.pages_sum += tile.pages;
        m.segments = max(m.segments, tile.segments);
        m.entries = max(m.entries, tile.most_from_a_page.saturating_mul(tile.pages));
        t += 1;
    }
    m.pages_sum = max(m.pages_sum, 1);
    m
}

/// How `cx`'s op moves data from `x` to `y`.
const fn movement(cx: &Ctx<'_>, x: &TensorParams, y: &TensorParams) -> Result<Movement, Error> {
    let tiled = matches!(x.layout, Layout::Tile { .. });
    // Which of the last two dims keep their sizes (permute), or which the op swaps.
    let (last_moves, second_moves) = match cx.params {
        OpParams::Reshape(_) => {
            return Ok(if is_view(x, y) {
                Movement::View
            } else if tiled {
                Movement::ReshapeTiles
            } else {
                Movement::Sticks
            });
        }
        OpParams::Transpose(p) => match p.dim {
            Dim::Wh | Dim::Nw | Dim::Cw => (true, matches!(p.dim, Dim::Wh)),
            Dim::Hc | Dim::Nh => (false, true),
            Dim::Cn => (false, false),
        },
        OpParams::Permute(_) => (
            x.shape.logical_dim_from_end(0) != y.shape.logical_dim_from_end(0),
            x.shape.logical_dim_from_end(1) != y.shape.logical_dim_from_end(1),
        ),
        _ => return Err(cx.foreign_params()),
    };
    let wh = matches!(cx.params, OpParams::Transpose(p) if matches!(p.dim, Dim::Wh));
    if tiled && matches!(cx.params, OpParams::Transpose(p) if matches!(p.dim, Dim::Hc)) {
        return Ok(Movement::HcScatter);
    }
    Ok(match (tiled, last_moves, second_moves) {
        (false, true, _) => Movement::StickScatter,
        (false, false, _) => Movement::Sticks,
        (true, true, _) if wh => Movement::TransposeTiles,
        (true, true, _) => Movement::TransposeAndGather,
        (true, false, true) => Movement::RowGather,
        (true, false, false) => Movement::WholeTiles,
    })
}

/// A tiled HC transpose (`transpose/device/transpose_hc_tiled_interleaved_program_factory.cpp`):
/// the input tiles are split over the grid (`split_work_to_cores`); per tile the reader reads it
/// whole and waits (`noc_async_read_barrier`), the writer writes each real row's face rows to
/// their output tiles, one write of a face row each (32 B in bfloat16), and waits for them
/// (`writer_unary_transpose_hc_interleaved_tiled_padding_aware.cpp`). With the channels not a
/// whole number of tiles, the padding rows of the output's last channel tile are written too,
/// split over the grid by the output's (outer dims, H, W tiles): each face's rows in one
/// write, or, before tt-metal PR #36896 (`pad_writes_each_line`), each face row in one.
const fn hc_scatter(
    cx: &Ctx<'_>,
    x: &TensorParams,
    tile: u64,
    tile_ns: f64,
    latency_ns: f64,
    dram_ns: f64,
) -> Result<RearrangeRooflineFeatures, Error> {
    let overflow = Error::Overflow {
        what: "rearrangement bytes",
    };
    let grid = cx.grid.cores() as u64;
    let in_tiles = some_or!(x.tiles(), overflow);
    let per_core = ceil_div(in_tiles, max(min(grid, in_tiles), 1));
    let (th, tw) = tile_side(x);
    let face_row = max(tile / (2 * th), 1);
    let faces_w = max(tw / 16, 1);
    // Real rows of an input tile: the logical H spread over its tiles.
    let h = x.shape.logical_dim_from_end(1) as u64;
    let rows = ceil_div(h, max(ceil_div(h, th), 1));
    let writes = per_core.saturating_mul(rows).saturating_mul(faces_w);
    let mut noc_ns = cx.noc_ns_of_tiles(per_core.saturating_mul(tile), x)
        + cx.noc_ns_at(
            writes.saturating_mul(face_row),
            cx.hw.noc_bytes_per_cycle(face_row),
        );
    let c = x.shape.logical_dim_from_end(2) as u64;
    if th > 0 && c % th != 0 {
        // Padded output tiles: (outer dims, H, W tiles), the pad rows of each written a face
        // (up to 16 face rows) at a time, or a face row at a time.
        let dims = x.shape.logical();
        let mut outer: u64 = 1;
        let mut i = 0;
        while i + 3 < dims.len() {
            outer = outer.saturating_mul(dims[i] as u64);
            i += 1;
        }
        let w_tiles = ceil_div(x.shape.logical_dim_from_end(0) as u64, max(tw, 1));
        let padded = outer.saturating_mul(h).saturating_mul(w_tiles);
        let per_core_pad = ceil_div(padded, max(min(grid, padded), 1));
        let pad_rows = th - c % th;
        let each_line = matches!(cx.params, OpParams::Transpose(p) if p.pad_writes_each_line);
        // A write: a face row, or a face's pad rows.
        let write = if each_line { face_row } else { face_row * 16 };
        noc_ns += cx.noc_ns_at(
            per_core_pad.saturating_mul(tile / th * pad_rows),
            cx.hw.noc_bytes_per_cycle(write),
        );
    }
    Ok(RearrangeRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        transpose_tile_cycles: 0.0,
        dram_scale: dram_ns,
        noc_scale: noc_ns,
        round_trip_scale: per_core as f64 * tile_ns,
        latency_scale: per_core as f64 * latency_ns,
        segment_scale: 0.0,
    })
}

/// Sticks (rows of the last dim) of a row-major tensor, and the bytes of one.
const fn sticks(t: &TensorParams) -> (u64, u64) {
    let last = t.shape.dim_from_end(0) as u64;
    let volume = match t.shape.volume() {
        Some(v) => v,
        None => u64::MAX,
    };
    let element = match t.dtype.element_bytes() {
        Some(b) => b as u64,
        None => 0,
    };
    (volume / max(last, 1), last * element)
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<RearrangeRooflineFeatures, Error> {
    let x = &cx.inputs[0];
    // The operand rules make the output required for these ops.
    let Some(y) = cx.output else {
        return Err(cx.not_modeled("a data rearrangement without its target tensor"));
    };
    let shape_mismatch = cx.tensor_error(
        Operand::Output,
        TensorProblem::ShapeMismatch {
            with: Operand::Input(0),
        },
    );
    if x.logical_volume() != y.logical_volume() {
        return Err(shape_mismatch);
    }
    let overflow = Error::Overflow {
        what: "rearrangement bytes",
    };
    let kind = tri!(movement(cx, x, y));
    let grid = cx.grid.cores() as u64;
    let (x_bytes, y_bytes) = (
        some_or!(x.bytes(cx.hw), overflow),
        some_or!(y.bytes(cx.hw), overflow),
    );
    // Bytes read from DRAM and written to it, each once (a tiled reshape's re-reads below).
    let mut dram_read = if x.memory.is_dram() { x_bytes } else { 0 };
    let mut dram_written = if y.memory.is_dram() { y_bytes } else { 0 };
    let (mut transposed, mut noc_ns, mut waits, mut dram_waits) = (0u64, 0.0, 0u64, 0u64);
    match kind {
        Movement::View => {
            (dram_read, dram_written) = (0, 0);
        }
        Movement::Sticks | Movement::StickScatter => {
            let ((in_sticks, in_stick), (out_sticks, out_stick)) = (sticks(x), sticks(y));
            let cores = max(min(max(in_sticks, out_sticks), grid), 1);
            let (reads, writes) = (ceil_div(in_sticks, cores), ceil_div(out_sticks, cores));
            noc_ns = cx.noc_ns_at(
                reads.saturating_mul(in_stick),
                cx.hw.noc_bytes_per_cycle(in_stick),
            ) + cx.noc_ns_at(
                writes.saturating_mul(out_stick),
                cx.hw.noc_bytes_per_cycle(out_stick),
            );
            waits = match kind {
                // A reshape waits for its input sticks, each read from DRAM the DRAM latency
                // (`rm_reshape_interleaved.cpp`: `noc_async_read_barrier` per input page), and
                // its output sticks.
                Movement::Sticks if matches!(cx.params, OpParams::Reshape(_)) => {
                    if x.memory.is_dram() {
                        dram_waits = reads;
                    }
                    0
                }
                Movement::Sticks => writes,
                _ => 0,
            };
        }
        _ => {
            let out_tiles = some_or!(y.tiles(), overflow);
            let tile = some_or!(x.tile_bytes(cx.hw), overflow);
            let per_core = ceil_div(out_tiles, max(min(grid, out_tiles), 1));
            let moved = per_core.saturating_mul(tile);
            // A tile read from DRAM and waited for alone waits out the DRAM latency; a tiled
            // reshape's reads of one output tile's input tiles are waited for together.
            // A waited-for transfer costs a tile's NoC time; a tile read from DRAM and waited
            // for alone waits out the DRAM latency too (`latency_scale`).
            let tile_ns = cx.noc_ns_of_tiles(tile, x);
            let latency_ns = if x.memory.is_dram() {
                cx.cycles_to_ns(cx.hw.dram_read_latency_cycles)
            } else {
                0.0
            };
            if matches!(kind, Movement::HcScatter) {
                return hc_scatter(cx, x, tile, tile_ns, latency_ns, cx.dram_traffic_ns(dram_read, dram_written));
            }
            // Tile-sized writes of every kind.
            noc_ns = cx.noc_ns_of_tiles(moved, y);
            waits = per_core;
            match kind {
                Movement::ReshapeTiles => {
                    // The busiest core's output tiles each take the most input tiles seen;
                    // the whole tensor's re-reads, the average.
                    let map = reshape_map(x, y);
                    let k = map.most_pages;
                    noc_ns += cx.noc_ns_of_tiles(moved.saturating_mul(k), x);
                    // The writer walks every entry of the output tile's map page, each read
                    // from L1 to see whether it is a segment (the pages are padded to the
                    // longest map, and tt-metal adds the entries modulo the L1 alignment),
                    // and for each segment reads its four fields and copies it into the
                    // scratch tile with a NoC write to its own L1 (`writer_reshape_tiled.cpp`,
                    // `tt_memmove`): each L1 load the device's `riscv_l1_load_cycles`, each
                    // write command its `noc.write_issue_cycles`; the bytes are a face row or
                    // less.
                    let entries = map.entries + map.entries % max(cx.hw.l1_alignment_bytes as u64, 1);
                    let load = cx.hw.riscv_l1_load_cycles;
                    let walk_cycles = entries as f64 * load
                        + map.segments as f64 * (SEGMENT_FIELD_LOADS * load + cx.hw.noc_write_issue_cycles);
                    // The map page (in DRAM) and each input tile are read and waited for one
                    // by one (`reader_reshape_tiled.cpp`: `noc_async_read_barrier` per page),
                    // the output tile written and waited for.
                    // The writer copies an input tile's segments into the scratch tile with
                    // NoC writes to its own L1 (`tt_memmove`) and waits for them
                    // (`noc_async_write_barrier`) before it frees the one-tile input buffer
                    // for the next read: a NoC write's round trip per input tile, and one
                    // more for the output tile's write, waited for before the next tile.
                    let dram_waits =
                        per_core.saturating_mul(if x.memory.is_dram() { k + 1 } else { 1 });
                    let latency_ns =
                        dram_waits as f64 * cx.cycles_to_ns(cx.hw.dram_read_latency_cycles);
                    let write_waits_ns = per_core.saturating_mul(k + 1) as f64
                        * cx.cycles_to_ns(cx.hw.noc_write_round_trip_cycles);
                    if x.memory.is_dram() {
                        dram_read = out_tiles.saturating_mul(map.pages_sum).saturating_mul(tile) / map.sampled;
                    }
                    return Ok(RearrangeRooflineFeatures {
                        overhead_cycles: cx.cycles_to_ns(1.0),
                        transpose_tile_cycles: 0.0,
                        dram_scale: cx.dram_traffic_ns(dram_read, dram_written),
                        noc_scale: noc_ns,
                        round_trip_scale: per_core.saturating_mul(k + 2) as f64 * tile_ns
                            + write_waits_ns,
                        latency_scale: latency_ns,
                        segment_scale: cx.cycles_to_ns(per_core as f64 * walk_cycles),
                    });
                }
                Movement::WholeTiles | Movement::TransposeTiles => {
                    noc_ns += cx.noc_ns_of_tiles(moved, x);
                }
                _ => {
                    // Face rows: half a tile row each.
                    let (th, _) = tile_side(x);
                    let face_row = max(tile / (2 * th), 1);
                    noc_ns += cx.noc_ns_at(moved, cx.hw.noc_bytes_per_cycle(face_row));
                }
            }
            if matches!(kind, Movement::TransposeTiles | Movement::TransposeAndGather) {
                transposed = per_core;
            }
            return Ok(RearrangeRooflineFeatures {
                overhead_cycles: cx.cycles_to_ns(1.0),
                transpose_tile_cycles: transposed as f64 * cx.cycles_to_ns(1.0),
                dram_scale: cx.dram_traffic_ns(dram_read, dram_written),
                noc_scale: noc_ns,
                round_trip_scale: waits as f64 * tile_ns,
                latency_scale: waits as f64 * latency_ns,
        segment_scale: 0.0,
            });
        }
    }
    // Row-major and views: a waited-for transfer is costed as a 32x32 tile of the input's
    // dtype.
    let tile_ns = cx.noc_ns_at(
        cx.hw.tile_bytes(x.dtype) as u64,
        cx.hw.noc_bytes_per_cycle(cx.hw.tile_bytes(x.dtype) as u64),
    );
    Ok(RearrangeRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        transpose_tile_cycles: transposed as f64 * cx.cycles_to_ns(1.0),
        dram_scale: cx.dram_traffic_ns(dram_read, dram_written),
        noc_scale: noc_ns,
        round_trip_scale: waits as f64 * tile_ns,
        latency_scale: dram_waits as f64 * cx.cycles_to_ns(cx.hw.dram_read_latency_cycles),
        segment_scale: 0.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formulas::test_support::close;
    use crate::{Card, DType, Hardware, MemoryConfig, Op, QueryParams, Shape};

    fn tiled(padded: &[u32], logical: &[u32]) -> TensorParams {
        TensorParams::new(
            Shape::padded(padded, logical),
            DType::Bfloat16,
            Layout::TILE,
            MemoryConfig::DRAM_INTERLEAVED,
        )
    }

    fn features_of(
        op: Op,
        card: Card,
        params: QueryParams<'_>,
        x: TensorParams,
        y: TensorParams,
    ) -> RearrangeRooflineFeatures {
        let hw = Hardware::of(card);
        let inputs = [x];
        let cx = Ctx::new(op, hw, params, &inputs, Some(&y), hw.compute_grid).unwrap();
        features(&cx).unwrap()
    }

    /// CLIP's head split on Wormhole, `[1, 1, 32[19], 1280] -> [1, 19, 32[20], 64]`: output
    /// tile (c, 0, w) takes row c of the input, columns 64 h + 32 w + 0..32 for h < 20: 20
    /// input tiles, one per row.
    #[test]
    fn tiled_reshape_counts_the_input_tiles_of_an_output_tile() {
        let x = tiled(&[1, 1, 32, 1280], &[1, 1, 19, 1280]);
        let y = tiled(&[1, 19, 32, 64], &[1, 19, 20, 64]);
        assert_eq!(output_tile_map(&x, &y, 0).pages, 20);
        // Back again: output tile (0, 0, w) of [1, 32[19], 1280] takes row r < 19 from input
        // tile (r, 0, w % 2): 19 tiles.
        assert_eq!(output_tile_map(&y, &x, 0).pages, 19);
        // Rows of the input in order (`[1792, 256] -> [256, 7, 256]`): one tile.
        let a = tiled(&[1, 1, 1792, 256], &[1, 1, 1792, 256]);
        let b = tiled(&[1, 256, 32, 256], &[1, 256, 7, 256]);
        assert_eq!(output_tile_map(&a, &b, 0).pages, 1);
    }

    /// A public Qwen3.6-27B prefill's (not in `../shared`) `[1, 24, 64[33], 256] -> [1, 1,
    /// 800[792], 256]`: output tile row t holds flat rows 32 t .. 32 t + 31 of 24 heads of 33
    /// rows. Row 0 lies in head 0's first tile row (one input tile); row 1 takes head 0's 33rd
    /// row (its second tile row) and head 1's first 31 (two); each later row the end of one
    /// head's first tile row, its 33rd row and the next head's start (three). Over the first
    /// eight tile rows: the most 3, their sum 21. Each row is 32 elements from one input row,
    /// starting at a multiple of 32: a segment per face row, 2 a row, 64 a full tile. Tile row
    /// 2 takes head 1's rows 31 and 32 (2 segments each, two input tiles) and head 2's first
    /// 30 (60 segments): the map pages hold 60 x 3 = 180 entries.
    #[test]
    fn tiled_reshape_takes_the_most_input_tiles_of_its_first_tile_rows() {
        let x = tiled(&[1, 24, 64, 256], &[1, 24, 33, 256]);
        let y = tiled(&[1, 1, 800, 256], &[1, 1, 792, 256]);
        assert_eq!(output_tile_map(&x, &y, 0).pages, 1);
        assert_eq!(output_tile_map(&x, &y, 1).pages, 2);
        let tile_row_2 = TileMap {
            pages: 3,
            segments: 64,
            most_from_a_page: 60,
        };
        assert_eq!(output_tile_map(&x, &y, 2), tile_row_2);
        let map = ReshapeMap {
            most_pages: 3,
            pages_sum: 21,
            sampled: 8,
            segments: 64,
            entries: 180,
        };
        assert_eq!(reshape_map(&x, &y), map);
    }

    /// The count as first written: every element's place divided out, the tiles seen kept in
    /// a list searched one by one. The stepping, hashing version must agree with it.
    fn input_tiles_by_division(x: &TensorParams, y: &TensorParams, tile_row: u64) -> u64 {
        let (_, hi, wi) = logical_chw(x);
        let (_, ho, wo) = logical_chw(y);
        let (thi, twi) = tile_side(x);
        let (tho, two) = tile_side(y);
        let (tiles_w, plane) = (wi.div_ceil(twi), hi * wi);
        let tiles_hw = hi.div_ceil(thi) * tiles_w;
        let tile_rows = ho.div_ceil(tho);
        let first_row = (tile_row / tile_rows) * ho + (tile_row % tile_rows) * tho;
        let (mut seen, mut n) = ([0u64; MAX_SEEN], 0);
        for r in 0..(ho - (tile_row % tile_rows) * tho).min(tho) {
            for offset in [0, wo.min(two) - 1] {
                let flat = (first_row + r) * wo + offset;
                let (c, rest) = (flat / plane, flat % plane);
                let page = c * tiles_hw + (rest / wi / thi) * tiles_w + rest % wi / twi;
                if !seen[..n].contains(&page) && n < MAX_SEEN {
                    seen[n] = page;
                    n += 1;
                }
            }
        }
        n.max(1) as u64
    }

    /// The segments of the map as tt-metal builds it (`reshape_map_output_page`): every element
    /// of the output tile in row-major order, its offset in its input and output tiles in
    /// face order, a new segment unless both offsets follow on in the same input tile.
    fn segments_element_by_element(x: &TensorParams, y: &TensorParams, tile_row: u64) -> u64 {
        let (_, hi, wi) = logical_chw(x);
        let (_, ho, wo) = logical_chw(y);
        let (thi, twi) = tile_side(x);
        let (tho, two) = tile_side(y);
        let face_offset = |h: u64, w: u64, th: u64, tw: u64| {
            let (fh, fw) = (th.min(16), tw.min(16));
            let (ih, iw) = (h % th, w % tw);
            ((ih / fh) * (tw / fw) + iw / fw) * fh * fw + (ih % fh) * fw + iw % fw
        };
        let tiles_w = wi.div_ceil(twi);
        let tiles_hw = hi.div_ceil(thi) * tiles_w;
        let tile_rows = ho.div_ceil(tho);
        let (plane, first_row) = (tile_row / tile_rows, (tile_row % tile_rows) * tho);
        let (mut segments, mut previous) = (0, None);
        for r in 0..(ho - first_row).min(tho) {
            for j in 0..wo.min(two) {
                let flat = (plane * ho + first_row + r) * wo + j;
                let (c, rest) = (flat / (hi * wi), flat % (hi * wi));
                let (h, w) = (rest / wi, rest % wi);
                let page = c * tiles_hw + (h / thi) * tiles_w + w / twi;
                let (input, output) = (face_offset(h, w, thi, twi), face_offset(r, j, tho, two));
                if previous != Some((page, input.wrapping_sub(1), output.wrapping_sub(1))) {
                    segments += 1;
                }
                previous = Some((page, input, output));
            }
        }
        segments
    }

    /// Over reshapes of every kind (rows split and joined, widths not multiples of a tile,
    /// runs that wrap rows and planes, other tile shapes), the stepping map agrees with the
    /// counts by division (its input tiles) and element by element (its segments), for every
    /// output tile row [`reshape_map`] samples.
    #[test]
    fn stepping_counts_as_dividing() {
        let sides = [(32u16, 32u16), (16, 32), (32, 16), (16, 16)];
        let dims = [1u32, 3, 16, 19, 32, 33, 64, 100, 1280];
        let mut checked = 0;
        for &(th, tw) in &sides {
            let tile = Layout::Tile {
                height: th,
                width: tw,
            };
            for (hi, wi) in dims.iter().flat_map(|&a| dims.iter().map(move |&b| (a, b))) {
                for &(ho, wo) in &[(1u32, 1u32), (7, 256), (20, 64), (19, 1280), (100, 33), (32, 3), (40, 16)] {
                    let shape = |h: u32, w: u32, c: u32| {
                        let (ph, pw) = (h.div_ceil(th as u32) * th as u32, w.div_ceil(tw as u32) * tw as u32);
                        Shape::padded(&[1, c, ph, pw], &[1, c, h, w])
                    };
                    let x = TensorParams::new(shape(hi, wi, 2), DType::Bfloat16, tile, MemoryConfig::DRAM_INTERLEAVED);
                    let y = TensorParams::new(shape(ho, wo, 3), DType::Bfloat16, tile, MemoryConfig::DRAM_INTERLEAVED);
                    let tile_rows = (3 * ho.div_ceil(th as u32) as u64).min(SAMPLED_TILE_ROWS);
                    for t in 0..tile_rows {
                        let map = output_tile_map(&x, &y, t);
                        let case = std::format!("{hi}x{wi} -> {ho}x{wo}, tile {th}x{tw}, tile row {t}");
                        assert_eq!(map.pages, input_tiles_by_division(&x, &y, t), "{case}");
                        assert_eq!(map.segments, segments_element_by_element(&x, &y, t), "{case}");
                        checked += 1;
                    }
                }
            }
        }
        // Every reshape at its first tile row, most at several.
        assert!(checked > 2 * 4 * 64 * 6, "{checked}");
    }

    /// The same reshape's features on an n150 (8x8 grid, 1 GHz): 38 output tiles, one per
    /// core, each taking k = 20 input tiles. NoC: the output tile and the 20 input tiles at the
    /// tile rate. The writer's walk: 20 real rows x 2 face rows = 40 segments, 2 from each input
    /// tile, so 40 map entries, 48 with tt-metal's rounding (40 % 16 more), each an 8-cycle L1
    /// load, and each segment 4 more loads and a 24.1-cycle write command. Waited:
    /// 22 tile transfers (map page, 20 input tiles, the output tile) and 21 NoC write round
    /// trips (one per input tile, one for the output tile, Wormhole 295 cycles); 21 DRAM reads
    /// (map page and input tiles) at Wormhole's 383-cycle latency. DRAM: reads 38 x 20
    /// tiles, writes 38.
    #[test]
    fn tiled_reshape_features_by_hand() {
        let x = tiled(&[1, 1, 32, 1280], &[1, 1, 19, 1280]);
        let y = tiled(&[1, 19, 32, 64], &[1, 19, 20, 64]);
        let f = features_of(Op::Reshape, Card::N150, QueryParams::ByName(&[]), x, y);
        let hw = Hardware::of(Card::N150);
        let ns_per_cycle = 1000.0 / hw.clock_mhz;
        assert_eq!(ns_per_cycle, 1.0);
        let tile_ns = 2048.0 / hw.noc_bytes_per_cycle(2048);
        let round_trip = 22.0 * tile_ns + 21.0 * 295.0;
        assert!(close(f.round_trip_scale, round_trip));
        assert!(close(f.noc_scale, 21.0 * tile_ns));
        assert!(close(f.segment_scale, 48.0 * 8.0 + 40.0 * (4.0 * 8.0 + 24.1)));
        assert!((f.latency_scale - 21.0 * 383.0).abs() < 1e-6);
        let dram = 38.0 * 20.0 * 2048.0 * hw.ns_per_dram_byte + 38.0 * 2048.0 * hw.ns_per_dram_write_byte;
        assert!(close(f.dram_scale, dram));
        assert_eq!(f.transpose_tile_cycles, 0.0);
    }

    /// A reshape keeping the last dim with whole-tile heights is a view: nothing moved.
    #[test]
    fn a_view_moves_nothing() {
        let x = tiled(&[1, 1, 64, 128], &[1, 1, 64, 128]);
        let y = tiled(&[1, 2, 32, 128], &[1, 2, 32, 128]);
        let f = features_of(Op::Reshape, Card::N150, QueryParams::ByName(&[]), x, y);
        assert_eq!(
            (f.noc_scale, f.round_trip_scale, f.dram_scale, f.transpose_tile_cycles),
            (0.0, 0.0, 0.0, 0.0)
        );
    }

    /// A WH transpose of 1280 x 1280 on an n150: 1600 tiles, 25 per core, each transposed;
    /// 25 tiles in and 25 out per core at the tile rate, each read from DRAM waited for (the
    /// tile's transfer, and the Wormhole DRAM latency, 383 cycles); 2 x 3.2 MB through DRAM.
    #[test]
    fn wh_transpose_by_hand() {
        let x = tiled(&[1, 1, 1280, 1280], &[1, 1, 1280, 1280]);
        let params = [crate::OpParam::new("dim", crate::ParamValue::Enum("wh"))];
        let f = features_of(Op::Transpose, Card::N150, QueryParams::ByName(&params), x, x);
        let hw = Hardware::of(Card::N150);
        let ns_per_cycle = 1000.0 / hw.clock_mhz;
        let tile_ns = 2048.0 / hw.noc_bytes_per_cycle(2048) * ns_per_cycle;
        assert!((f.transpose_tile_cycles - 25.0 * ns_per_cycle).abs() < 1e-9);
        assert!(close(f.noc_scale, 50.0 * tile_ns));
        assert!(close(f.round_trip_scale, 25.0 * tile_ns));
        assert!(close(f.latency_scale, 25.0 * 383.0 * ns_per_cycle));
        // 1600 tiles read and written.
        let bytes = 1600.0 * 2048.0;
        assert!(close(f.dram_scale, bytes * (hw.ns_per_dram_byte + hw.ns_per_dram_write_byte)));
    }

    /// A tiled HC transpose scatters face rows: `[1, 19, 32[20], 64] -> [1, 20, 32[19], 64]` on
    /// an n150 (64 cores, 1 GHz). 38 input tiles, one per core, each read whole (waited, the
    /// DRAM latency) and its 20 real rows written as 2 face rows of 32 B each: 40 writes. 19
    /// channels leave 13 padding rows in the output's channel tile: 20 x 2 = 40 padded tiles,
    /// one per core, 13 rows x 64 B = 832 B each, written a face (512 B) at a time.
    #[test]
    fn hc_transpose_scatters_face_rows() {
        let x = tiled(&[1, 19, 32, 64], &[1, 19, 20, 64]);
        let y = tiled(&[1, 20, 32, 64], &[1, 20, 19, 64]);
        let params = [crate::OpParam::new("dim", crate::ParamValue::Enum("hc"))];
        let f = features_of(Op::Transpose, Card::N150, QueryParams::ByName(&params), x, y);
        let hw = Hardware::of(Card::N150);
        let tile_ns = 2048.0 / hw.noc_bytes_per_cycle(2048);
        let expected = tile_ns
            + 40.0 * 32.0 / hw.noc_bytes_per_cycle(32)
            + 832.0 / hw.noc_bytes_per_cycle(512);
        assert!(close(f.noc_scale, expected));
        assert!(close(f.round_trip_scale, tile_ns));
        assert!((f.latency_scale - 383.0).abs() < 1e-6);
        // 38 tiles read, 40 written.
        let dram = 38.0 * 2048.0 * hw.ns_per_dram_byte + 40.0 * 2048.0 * hw.ns_per_dram_write_byte;
        assert!(close(f.dram_scale, dram));
        assert_eq!(f.transpose_tile_cycles, 0.0);
    }

    /// The same transpose by tt-metal before PR #36896 (`pad_writes_each_line`): the 13
    /// padding rows of each padded tile go out a face row (32 B) at a time, 26 writes, where
    /// today's writer sends each face's rows at once. The rest is the same.
    #[test]
    fn earlier_hc_transposes_write_padding_a_face_row_at_a_time() {
        let x = tiled(&[1, 19, 32, 64], &[1, 19, 20, 64]);
        let y = tiled(&[1, 20, 32, 64], &[1, 20, 19, 64]);
        let params = [
            crate::OpParam::new("dim", crate::ParamValue::Enum("hc")),
            crate::OpParam::new("pad_writes_each_line", crate::ParamValue::Bool(true)),
        ];
        let f = features_of(Op::Transpose, Card::N150, QueryParams::ByName(&params), x, y);
        let hw = Hardware::of(Card::N150);
        let expected = 2048.0 / hw.noc_bytes_per_cycle(2048)
            + 40.0 * 32.0 / hw.noc_bytes_per_cycle(32)
            + 26.0 * 32.0 / hw.noc_bytes_per_cycle(32);
        assert!(close(f.noc_scale, expected));
        let today = features_of(Op::Transpose, Card::N150, QueryParams::ByName(&params[..1]), x, y);
        assert!(f.noc_scale > today.noc_scale);
        assert_eq!(f.dram_scale, today.dram_scale);
    }

    /// A single channel (`[1, 1, 32, 128] -> [1, 32, 1[32], 128]` on a p150, 130 cores): 4
    /// input tiles, one per core, 32 rows x 2 face rows = 64 writes; 32 x 4 = 128 padded
    /// output tiles, one per core, 31 padding rows x 64 B = 1984 B each.
    #[test]
    fn hc_transpose_of_one_channel() {
        let x = tiled(&[1, 1, 32, 128], &[1, 1, 32, 128]);
        let y = tiled(&[1, 32, 32, 128], &[1, 32, 1, 128]);
        let params = [crate::OpParam::new("dim", crate::ParamValue::Enum("hc"))];
        let f = features_of(Op::Transpose, Card::P150, QueryParams::ByName(&params), x, y);
        let hw = Hardware::of(Card::P150);
        assert_eq!(hw.compute_grid.cores(), 130);
        let ns_per_cycle = 1000.0 / hw.clock_mhz;
        let expected = (2048.0 / hw.noc_bytes_per_cycle(2048)
            + 64.0 * 32.0 / hw.noc_bytes_per_cycle(32)
            + 1984.0 / hw.noc_bytes_per_cycle(512))
            * ns_per_cycle;
        assert!(close(f.noc_scale, expected));
        assert!((f.latency_scale - 479.0 * ns_per_cycle).abs() < 1e-6);
    }

    /// A row-major reshape `[9856, 6] -> [1408, 42]` on 20 cores: 493 input sticks of 12 B and
    /// 71 output sticks of 84 B on the busiest core; each input stick's DRAM read waited for
    /// (Blackhole's 479-cycle latency), the writes not.
    #[test]
    fn row_major_reshape_by_hand() {
        let rm = |dims: &[u32]| {
            TensorParams::new(
                Shape::new(dims),
                DType::Bfloat16,
                Layout::RowMajor,
                MemoryConfig::DRAM_INTERLEAVED,
            )
        };
        let hw = Hardware::of(Card::P150);
        let (x, y) = (rm(&[1, 1, 9856, 6]), rm(&[1, 1, 1408, 42]));
        let inputs = [x];
        let grid = crate::CoreGrid::new(5, 4);
        let cx = Ctx::new(
            Op::Reshape,
            hw,
            QueryParams::ByName(&[]),
            &inputs,
            Some(&y),
            grid,
        )
        .unwrap();
        let f = features(&cx).unwrap();
        let ns_per_cycle = 1000.0 / hw.clock_mhz;
        assert_eq!(f.round_trip_scale, 0.0);
        let latency = 493.0 * 479.0 * ns_per_cycle;
        assert!(close(f.latency_scale, latency));
        let noc = (493.0 * 12.0 / hw.noc_bytes_per_cycle(12) + 71.0 * 84.0 / hw.noc_bytes_per_cycle(84))
            * ns_per_cycle;
        assert!(close(f.noc_scale, noc));
    }

    /// A permute from NCHW to NHWC moves the last dim: tiles transposed and rows gathered.
    #[test]
    fn permute_moving_the_last_dim() {
        let x = tiled(&[1, 1, 160, 160], &[1, 1, 159, 159]);
        let y = tiled(&[1, 159, 160, 32], &[1, 159, 159, 1]);
        let f = features_of(Op::Permute, Card::N150, QueryParams::ByName(&[]), x, y);
        // 159 x 5 output tiles over 64 cores: 13 on the busiest.
        let hw = Hardware::of(Card::N150);
        assert!((f.transpose_tile_cycles - 13.0 * 1000.0 / hw.clock_mhz).abs() < 1e-9);
    }
}
