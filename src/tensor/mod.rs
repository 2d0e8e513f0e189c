//! Tensor operand descriptions: shape, dtype, layout and memory config. All `Copy`, no heap.

mod dtype;
mod memory;
mod shape;

pub use dtype::{DType, Layout};
pub use memory::{BufferType, CoreRange, MemoryConfig, MemoryLayout, ShardOrientation, ShardSpec};
pub use shape::{MAX_DIM, MAX_RANK, Shape};

use crate::device::Hardware;
use crate::error::TensorProblem;
use crate::model::max;

/// One tensor operand of a query.
///
/// Built with [`Self::new`] or [`Self::tiled`] and changed with the `with_*` methods: what
/// every query asks of the tensor (whether it is valid apart from the op and the card, its
/// tile count, how far its shard grid reaches) is computed then, once, so queries only read
/// it. The parts are read with [`Self::shape`], [`Self::dtype`], [`Self::layout`] and
/// [`Self::memory`].
///
/// ```
/// use ttnn_op_perf_models::{DType, MemoryConfig, TensorParams};
/// let t = TensorParams::tiled(&[1, 1, 1024, 1024], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
/// assert_eq!(t.tiles(), Some(1024));
/// let l1 = t.with_memory(MemoryConfig::L1_INTERLEAVED);
/// assert_eq!((l1.memory(), l1.tiles()), (MemoryConfig::L1_INTERLEAVED, Some(1024)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TensorParams {
    // Read freely inside the crate; set only by `TensorParams::new`, which computes `facts`.
    pub(crate) shape: Shape,
    pub(crate) dtype: DType,
    pub(crate) layout: Layout,
    pub(crate) memory: MemoryConfig,
    facts: Facts,
}

/// What [`TensorParams::new`] computes of the description for the queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Facts {
    /// [`TensorParams::validate`] passes the checks that depend on neither the op nor the
    /// card: rank in `1..=MAX_RANK`, dims, tile, dtype and the shard spec on its own.
    ok: bool,
    /// The shard grid's columns and rows from core (0, 0) (its far corner plus one) and its
    /// cores: the card's full grid must hold them. 0 when not sharded.
    reach: (u16, u16),
    shard_cores: u32,
    /// [`TensorParams::tiles`].
    tiles: Option<u64>,
}

impl core::fmt::Debug for TensorParams {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TensorParams")
            .field("shape", &self.shape)
            .field("dtype", &self.dtype)
            .field("layout", &self.layout)
            .field("memory", &self.memory)
            .finish()
    }
}

impl TensorParams {
    pub const fn new(shape: Shape, dtype: DType, layout: Layout, memory: MemoryConfig) -> Self {
        let mut t = TensorParams {
            shape,
            dtype,
            layout,
            memory,
            facts: Facts {
                ok: false,
                reach: (0, 0),
                shard_cores: 0,
                tiles: None,
            },
        };
        t.facts.tiles = t.count_tiles();
        t.facts.ok = t.is_valid_alone();
        if let Some(s) = memory.shard {
            t.facts.reach = (s.grid.end.0 as u16 + 1, s.grid.end.1 as u16 + 1);
            t.facts.shard_cores = s.cores;
        }
        t
    }

    /// A tensor of 32x32 tiles with equal padded and logical dims.
    pub const fn tiled(dims: &[u32], dtype: DType, memory: MemoryConfig) -> Self {
        TensorParams::new(Shape::new(dims), dtype, Layout::TILE, memory)
    }

    /// Padded and logical dims.
    #[inline]
    pub const fn shape(&self) -> &Shape {
        &self.shape
    }

    #[inline]
    pub const fn dtype(&self) -> DType {
        self.dtype
    }

    #[inline]
    pub const fn layout(&self) -> Layout {
        self.layout
    }

    #[inline]
    pub const fn memory(&self) -> MemoryConfig {
        self.memory
    }

    /// The same tensor with another shape.
    pub const fn with_shape(self, shape: Shape) -> Self {
        TensorParams::new(shape, self.dtype, self.layout, self.memory)
    }

    /// The same tensor with another dtype.
    pub const fn with_dtype(self, dtype: DType) -> Self {
        TensorParams::new(self.shape, dtype, self.layout, self.memory)
    }

    /// The same tensor with another layout.
    pub const fn with_layout(self, layout: Layout) -> Self {
        TensorParams::new(self.shape, self.dtype, layout, self.memory)
    }

    /// The same tensor with another memory config.
    pub const fn with_memory(self, memory: MemoryConfig) -> Self {
        TensorParams::new(self.shape, self.dtype, self.layout, memory)
    }

    /// Number of tiles (tile layout only; `None` for row-major or on overflow).
    #[inline]
    pub const fn tiles(&self) -> Option<u64> {
        self.facts.tiles
    }

    /// [`Self::tiles`], computed.
    const fn count_tiles(&self) -> Option<u64> {
        match (self.layout, self.shape.volume()) {
            (Layout::Tile { height, width }, Some(volume)) => {
                volume.checked_div(height as u64 * width as u64)
            }
            _ => None,
        }
    }

    /// Tiles along the second-last dim (`height` side) and along the last dim.
    #[inline]
    pub(crate) const fn tile_grid(&self) -> Option<(u64, u64)> {
        match self.layout {
            Layout::Tile { height, width } => Some((
                per_tile_side(self.shape.dim_from_end(1), height),
                per_tile_side(self.shape.dim_from_end(0), width),
            )),
            Layout::RowMajor => None,
        }
    }

    /// Tiles along the last dim (one row of tiles), at least 1; 1 for row-major.
    #[inline]
    pub(crate) const fn row_tiles(&self) -> u64 {
        match self.tile_grid() {
            Some((_, w)) if w > 0 => w,
            _ => 1,
        }
    }

    /// Rows when every dim but the last is flattened (a row-major tensor's sticks),
    /// saturating.
    #[inline]
    pub(crate) const fn rows(&self) -> u64 {
        let dims = self.shape.dims();
        let mut v: u64 = 1;
        let mut i = 0;
        while i + 1 < dims.len() {
            v = v.saturating_mul(dims[i] as u64);
            i += 1;
        }
        v
    }

    /// Logical elements (the unpadded dims' product), saturating.
    #[inline]
    pub(crate) const fn logical_volume(&self) -> u64 {
        let dims = self.shape.logical();
        let mut v: u64 = 1;
        let mut i = 0;
        while i < dims.len() {
            v = v.saturating_mul(dims[i] as u64);
            i += 1;
        }
        v
    }

    /// Shards of an L1 height-, width- or block-sharded tensor's shard shape that cover it
    /// (`None` for other tensors).
    #[inline]
    pub(crate) const fn shards(&self) -> Option<u64> {
        let shard = match self.memory.shard {
            Some(s) if self.memory.is_l1_sharded() && s.shape[0] > 0 && s.shape[1] > 0 => s,
            _ => return None,
        };
        let cols = self.shape.dim_from_end(0) as u64;
        let (h, w) = (shard.shape[0] as u64, shard.shape[1] as u64);
        Some(self.rows().div_ceil(h).saturating_mul(cols.div_ceil(w)))
    }

    /// Bytes the tensor takes in each L1 bank it lives in (0 in DRAM): a sharded tensor's
    /// shard (whole tiles of its shard shape), an interleaved one's pages dealt round-robin
    /// over `banks` L1 banks (one a worker core). Saturating.
    #[inline]
    pub(crate) const fn l1_bytes_per_bank(&self, hw: &Hardware, banks: u64) -> u64 {
        if self.memory.is_dram() {
            return 0;
        }
        match (self.memory.shard, self.memory.layout.is_sharded()) {
            (Some(shard), true) => {
                let (h, w) = (shard.shape[0] as u64, shard.shape[1] as u64);
                match (self.layout, self.tile_bytes(hw), self.dtype.element_bytes()) {
                    (Layout::Tile { height, width }, Some(tile), _) => {
                        let tiles = h
                            .div_ceil(max(height as u64, 1))
                            .saturating_mul(w.div_ceil(max(width as u64, 1)));
                        tiles.saturating_mul(tile)
                    }
                    (Layout::RowMajor, _, Some(element)) => {
                        h.saturating_mul(w).saturating_mul(element as u64)
                    }
                    _ => 0,
                }
            }
            _ => match (self.bytes(hw), self.page_bytes(hw)) {
                (Some(bytes), Some(page)) if page > 0 => {
                    (bytes / page).div_ceil(max(banks, 1)).saturating_mul(page)
                }
                _ => 0,
            },
        }
    }

    /// Worker cores that hold a shard when the tensor is sharded in L1 with a spec of at
    /// least one core: the shard grid's cores, or fewer when the tensor has fewer shards
    /// than the grid has cores (2304 rows in shards of 128 on 20 cores: 18 hold one, two
    /// stay idle; tt-metal's sharded factories run each core on its own shard). The shards
    /// are the rows (every dim but the last) and the last dim cut by the shard shape. A
    /// DRAM-sharded tensor's shard grid names DRAM banks, not cores that work: `None`.
    #[inline]
    pub(crate) const fn shard_cores(&self) -> Option<u64> {
        let cores = match self.memory.shard {
            Some(s) if s.cores > 0 && self.memory.is_l1_sharded() => s.cores as u64,
            _ => return None,
        };
        Some(match self.shards() {
            Some(shards) if shards > 0 && shards < cores => shards,
            _ => cores,
        })
    }

    /// Read requests to DRAM's bank endpoints of reading `bytes` of this tensor in pages of
    /// `page` bytes: one a page when it is DRAM-interleaved, none otherwise (in L1, or
    /// DRAM-sharded: its reader streams a bank's shard in blocks).
    #[inline]
    pub(crate) const fn dram_page_reads(&self, bytes: u64, page: u64) -> u64 {
        if self.memory.is_dram() && !self.memory.layout.is_sharded() && page > 0 {
            bytes / page
        } else {
            0
        }
    }

    /// Bytes of one tile of this tensor on `hw` (scaled from the 32x32 size for other tile
    /// shapes); `None` for row-major.
    #[inline]
    pub const fn tile_bytes(&self, hw: &Hardware) -> Option<u64> {
        match self.layout {
            Layout::Tile { height, width } => {
                Some(hw.tile_bytes(self.dtype) as u64 * height as u64 * width as u64 / 1024)
            }
            Layout::RowMajor => None,
        }
    }

    /// Bytes of one page: a tile, or a row of the last dim in row-major layout.
    #[inline]
    pub const fn page_bytes(&self, hw: &Hardware) -> Option<u64> {
        match (self.layout, self.dtype.element_bytes()) {
            (Layout::Tile { .. }, _) => self.tile_bytes(hw),
            (Layout::RowMajor, Some(element)) => {
                Some(element as u64 * self.shape.dim_from_end(0) as u64)
            }
            (Layout::RowMajor, None) => None,
        }
    }

    /// Bytes the tensor occupies; `None` on overflow.
    #[inline]
    pub const fn bytes(&self, hw: &Hardware) -> Option<u64> {
        let (count, each) = match self.layout {
            Layout::Tile { .. } => (self.tiles(), self.tile_bytes(hw)),
            Layout::RowMajor => (
                self.shape.volume(),
                match self.dtype.element_bytes() {
                    Some(b) => Some(b as u64),
                    None => None,
                },
            ),
        };
        match (count, each) {
            (Some(count), Some(each)) => count.checked_mul(each),
            _ => None,
        }
    }

    /// Whether [`Self::validate`] accepts the description, in few branches: the checks that
    /// depend on neither the op nor the card were made when the tensor was built; the rank
    /// against `min_rank` and the shard grid against `hw`'s remain.
    #[inline(always)]
    pub(crate) const fn is_valid(&self, min_rank: usize, hw: &Hardware) -> bool {
        let f = &self.facts;
        let full = hw.full_grid;
        f.ok & (self.shape.rank() >= min_rank)
            & (f.reach.0 <= full.x as u16)
            & (f.reach.1 <= full.y as u16)
            & (f.shard_cores <= full.cores())
    }

    /// The checks of [`Self::validate`] that depend on neither the op nor the card, as one
    /// `bool`: whether it accepts the tensor at `min_rank` 1 on a card whose grid holds the
    /// shard grid.
    const fn is_valid_alone(&self) -> bool {
        let rank = self.shape.rank();
        // With the rank in range every dim is kept, and the shape checked them when built.
        let mut ok = (rank >= 1) & (rank <= MAX_RANK) & self.shape.dims_ok;
        match self.layout {
            Layout::Tile { height, width } => {
                let (tw, th) = (width as u32, height as u32);
                ok &= (tw.wrapping_sub(1) < 32) & (th.wrapping_sub(1) < 32);
                if !ok {
                    return false;
                }
                let (w, h) = (self.shape.dim_from_end(0), self.shape.dim_from_end(1));
                ok = (w % tw) | (h % th) == 0;
            }
            Layout::RowMajor => ok &= self.dtype.element_bytes().is_some(),
        }
        let sharded = self.memory.layout.is_sharded();
        match self.memory.shard {
            None => ok & !sharded,
            Some(s) => {
                let sane = (s.cores > 0) & (s.shape[0] > 0) & (s.shape[1] > 0);
                ok & sharded & sane
            }
        }
    }

    /// Checks the description on its own: rank at least `min_rank`, sane dims, a tile that
    /// divides the padded shape, a shard spec exactly when sharded, shards inside `hw`'s grid.
    #[inline]
    pub const fn validate(&self, min_rank: usize, hw: &Hardware) -> Result<(), TensorProblem> {
        let rank = self.shape.rank();
        let min = if min_rank > 1 { min_rank } else { 1 };
        if rank < min || rank > MAX_RANK {
            return Err(TensorProblem::Rank { rank, min });
        }
        let (padded, logical) = (self.shape.dims(), self.shape.logical());
        let mut dim = 0;
        while dim < rank {
            let (p, l) = (padded[dim], logical[dim]);
            if p == 0 || l == 0 {
                return Err(TensorProblem::ZeroDim { dim });
            }
            if p > MAX_DIM {
                return Err(TensorProblem::DimTooLarge { dim, size: p });
            }
            if l > p {
                return Err(TensorProblem::LogicalExceedsPadded { dim });
            }
            dim += 1;
        }
        match self.layout {
            Layout::Tile { height, width } => {
                if height == 0 || height > 32 || width == 0 || width > 32 {
                    return Err(TensorProblem::BadTile { height, width });
                }
                let sides = [(0, width), (1, height)];
                let mut i = 0;
                while i < sides.len() {
                    let (from_end, tile) = sides[i];
                    let size = self.shape.dim_from_end(from_end);
                    // Tile sides are nearly always powers of two: a mask, not a division.
                    let misaligned = if tile.is_power_of_two() {
                        size & (tile as u32 - 1) != 0
                    } else {
                        size % tile as u32 != 0
                    };
                    if misaligned {
                        return Err(TensorProblem::NotTileAligned {
                            dim: rank.saturating_sub(1 + from_end),
                            size,
                            tile,
                        });
                    }
                    i += 1;
                }
            }
            Layout::RowMajor => {
                if self.dtype.element_bytes().is_none() {
                    return Err(TensorProblem::BlockFloatRowMajor);
                }
            }
        }
        match (self.memory.layout.is_sharded(), self.memory.shard) {
            (false, None) => Ok(()),
            (true, Some(s)) => {
                let inside = s.grid.end.0 < hw.full_grid.x && s.grid.end.1 < hw.full_grid.y;
                let sane = s.cores > 0
                    && s.cores <= hw.full_grid.cores()
                    && s.shape[0] > 0
                    && s.shape[1] > 0;
                if inside && sane {
                    Ok(())
                } else {
                    Err(TensorProblem::BadShard)
                }
            }
            _ => Err(TensorProblem::ShardSpecMismatch),
        }
    }
}

/// `size / side` (a side of 0 counts as 1), a shift for the usual power-of-two sides.
#[inline(always)]
const fn per_tile_side(size: u32, side: u16) -> u64 {
    if side.is_power_of_two() {
        (size >> side.trailing_zeros()) as u64
    } else {
        size as u64 / at_least_one(side)
    }
}

/// `x` as a `u64` divisor: 0 becomes 1.
const fn at_least_one(x: u16) -> u64 {
    if x == 0 { 1 } else { x as u64 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{Card, CoreGrid};

    /// Only the cores of a shard grid that hold a shard work: 2304 rows in shards of 128 are
    /// 18 shards, so 18 of a 5x4 grid's 20 cores; 2560 rows fill all 20; a block-sharded
    /// `[256, 512]` in shards of 128 x 128 is 2 x 4 = 8 shards on a 4x4 grid. DRAM shards
    /// and interleaved tensors have no worker cores.
    #[test]
    fn shard_cores_are_the_cores_that_hold_a_shard() {
        let grid = |x, y, shape| {
            let cores = CoreRange::of_grid(CoreGrid::new(x, y));
            ShardSpec::new(cores, shape, ShardOrientation::RowMajor)
        };
        let tensor = |dims: &[u32], buffer, layout, shard| {
            TensorParams::tiled(
                dims,
                DType::Bfloat16,
                MemoryConfig::sharded(buffer, layout, shard),
            )
        };
        let height = |rows| {
            tensor(
                &[1, 1, rows, 1792],
                BufferType::L1,
                MemoryLayout::HeightSharded,
                grid(5, 4, [128, 1792]),
            )
            .shard_cores()
        };
        assert_eq!(height(2304), Some(18));
        assert_eq!(height(2560), Some(20));
        assert_eq!(height(4096), Some(20), "more shards than cores: the grid");
        let block = tensor(
            &[256, 512],
            BufferType::L1,
            MemoryLayout::BlockSharded,
            grid(4, 4, [128, 128]),
        );
        assert_eq!(block.shard_cores(), Some(8));
        let dram = tensor(
            &[256, 512],
            BufferType::Dram,
            MemoryLayout::WidthSharded,
            grid(4, 1, [256, 128]),
        );
        assert_eq!(dram.shard_cores(), None);
        let interleaved =
            TensorParams::tiled(&[256, 512], DType::Bfloat16, MemoryConfig::L1_INTERLEAVED);
        assert_eq!(interleaved.shard_cores(), None);
    }

    /// What a tensor holds in each L1 bank: a sharded tensor its shard in whole tiles (a
    /// `[640, 864]` bfloat16 shard, 20 x 27 tiles of 2048 B; bfloat8_b tiles of 1088 B), a
    /// row-major shard its elements, an interleaved one its pages dealt over the banks (100
    /// tiles over 64 banks: 2 a bank), a DRAM tensor nothing.
    #[test]
    fn l1_bytes_per_bank_are_a_shard_or_a_share_of_the_pages() {
        let hw = Hardware::of(Card::N150);
        let height = |dtype, layout| {
            let shard = ShardSpec::new(
                CoreRange::of_grid(CoreGrid::new(2, 1)),
                [640, 864],
                ShardOrientation::RowMajor,
            );
            let memory = MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard);
            TensorParams::new(Shape::new(&[1280, 864]), dtype, layout, memory)
        };
        let tiles = 20 * 27;
        assert_eq!(
            height(DType::Bfloat16, Layout::TILE).l1_bytes_per_bank(hw, 64),
            tiles * 2048
        );
        assert_eq!(
            height(DType::Bfloat8B, Layout::TILE).l1_bytes_per_bank(hw, 64),
            tiles * 1088
        );
        assert_eq!(
            height(DType::Bfloat16, Layout::RowMajor).l1_bytes_per_bank(hw, 64),
            640 * 864 * 2
        );
        let interleaved = |memory| TensorParams::tiled(&[320, 320], DType::Bfloat16, memory);
        assert_eq!(
            interleaved(MemoryConfig::L1_INTERLEAVED).l1_bytes_per_bank(hw, 64),
            2 * 2048
        );
        assert_eq!(
            interleaved(MemoryConfig::DRAM_INTERLEAVED).l1_bytes_per_bank(hw, 64),
            0
        );
    }

    /// The fast check of the query path agrees with the exact one on every combination of
    /// edge values: dims, logical sizes, tiles, dtypes, shard specs and ranks.
    #[test]
    fn is_valid_agrees_with_validate() {
        let hw = Hardware::of(Card::N150);
        let sizes = [0, 1, 31, 32, 48, 64, MAX_DIM, MAX_DIM + 32, u32::MAX];
        let layouts = [
            Layout::TILE,
            Layout::Tile {
                height: 16,
                width: 32,
            },
            Layout::Tile {
                height: 0,
                width: 32,
            },
            Layout::Tile {
                height: 32,
                width: 33,
            },
            Layout::Tile {
                height: 24,
                width: 32,
            },
            Layout::RowMajor,
        ];
        let shard = |end: (u8, u8), shape| {
            ShardSpec::new(
                CoreRange { start: (0, 0), end },
                shape,
                ShardOrientation::RowMajor,
            )
        };
        let memories = [
            MemoryConfig::DRAM_INTERLEAVED,
            MemoryConfig {
                shard: Some(shard((1, 1), [32, 32])),
                ..MemoryConfig::L1_INTERLEAVED
            },
            MemoryConfig::sharded(
                BufferType::L1,
                MemoryLayout::HeightSharded,
                shard((7, 7), [32, 64]),
            ),
            MemoryConfig::sharded(
                BufferType::L1,
                MemoryLayout::HeightSharded,
                shard((7, 7), [0, 64]),
            ),
            MemoryConfig::sharded(
                BufferType::L1,
                MemoryLayout::BlockSharded,
                shard((40, 7), [32, 32]),
            ),
            MemoryConfig {
                shard: None,
                ..MemoryConfig::sharded(
                    BufferType::L1,
                    MemoryLayout::WidthSharded,
                    shard((0, 0), [32, 32]),
                )
            },
        ];
        let mut checked = 0;
        for rank in 0..=3 {
            for i in 0..sizes.len().pow(rank as u32) {
                let mut dims = [0u32; 3];
                for (d, x) in dims.iter_mut().enumerate().take(rank) {
                    *x = sizes[i / sizes.len().pow(d as u32) % sizes.len()];
                }
                let dims = &dims[..rank];
                // Logical dims equal, one smaller than padded, or one larger.
                let (mut smaller, mut larger) = ([0u32; 3], [0u32; 3]);
                smaller[..rank].copy_from_slice(dims);
                larger[..rank].copy_from_slice(dims);
                if let Some(last) = rank.checked_sub(1) {
                    smaller[last] = dims[last].saturating_sub(1);
                    larger[last] = dims[last].saturating_add(1);
                }
                for logical in [dims, &smaller[..rank], &larger[..rank]] {
                    for layout in layouts {
                        for dtype in [DType::Bfloat16, DType::Bfloat8B] {
                            for memory in memories {
                                let t = TensorParams::new(
                                    Shape::padded(dims, logical),
                                    dtype,
                                    layout,
                                    memory,
                                );
                                for min_rank in [1, 2] {
                                    assert_eq!(
                                        t.is_valid(min_rank, hw),
                                        t.validate(min_rank, hw).is_ok(),
                                        "{t:?} min_rank {min_rank}"
                                    );
                                    checked += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }
}
