//! Where a tensor lives: buffer, memory layout and shard spec.

use crate::device::CoreGrid;

/// Where a tensor lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BufferType {
    Dram,
    L1,
}

/// How a tensor's pages are spread over banks or cores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemoryLayout {
    /// Pages round-robin over all banks.
    Interleaved,
    /// Each core holds a band of rows.
    HeightSharded,
    /// Each core holds a band of columns.
    WidthSharded,
    /// Cores hold 2D blocks.
    BlockSharded,
    /// N-dimensional shards (`DEV_n_DRAM_ND_SHARDED` in traces).
    NdSharded,
}

impl MemoryLayout {
    pub const fn is_sharded(self) -> bool {
        !matches!(self, MemoryLayout::Interleaved)
    }
}

/// Order in which shards are assigned to the cores of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShardOrientation {
    RowMajor,
    ColMajor,
}

/// An inclusive rectangle of cores, `(x, y)` from `start` to `end`, as ttnn writes
/// `{[(x=0;y=0) - (x=4;y=3)]}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CoreRange {
    pub start: (u8, u8),
    pub end: (u8, u8),
}

impl CoreRange {
    /// The range covering a whole `grid` from (0, 0).
    pub const fn of_grid(grid: CoreGrid) -> CoreRange {
        CoreRange {
            start: (0, 0),
            end: (grid.x.saturating_sub(1), grid.y.saturating_sub(1)),
        }
    }

    /// Cores in the range; 0 when `end` precedes `start`.
    pub const fn cores(self) -> u32 {
        if self.end.0 < self.start.0 || self.end.1 < self.start.1 {
            return 0;
        }
        (self.end.0 - self.start.0 + 1) as u32 * (self.end.1 - self.start.1 + 1) as u32
    }
}

/// Shard placement of a sharded tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShardSpec {
    /// Bounding range of the shard grid.
    pub grid: CoreRange,
    /// Cores holding shards (the grid's size, unless the grid is a set of several ranges).
    pub cores: u32,
    /// Shard height and width in elements (the last two dims for ND shards).
    pub shape: [u32; 2],
    pub orientation: ShardOrientation,
}

impl ShardSpec {
    /// Shards of `shape` on every core of `grid`.
    pub const fn new(grid: CoreRange, shape: [u32; 2], orientation: ShardOrientation) -> Self {
        ShardSpec {
            grid,
            cores: grid.cores(),
            shape,
            orientation,
        }
    }
}

/// Buffer, layout and shard spec of a tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryConfig {
    pub buffer: BufferType,
    pub layout: MemoryLayout,
    /// Required for sharded layouts, absent for interleaved ones.
    pub shard: Option<ShardSpec>,
}

impl MemoryConfig {
    pub const DRAM_INTERLEAVED: MemoryConfig = MemoryConfig {
        buffer: BufferType::Dram,
        layout: MemoryLayout::Interleaved,
        shard: None,
    };
    pub const L1_INTERLEAVED: MemoryConfig = MemoryConfig {
        buffer: BufferType::L1,
        layout: MemoryLayout::Interleaved,
        shard: None,
    };

    /// A sharded config.
    pub const fn sharded(buffer: BufferType, layout: MemoryLayout, shard: ShardSpec) -> Self {
        MemoryConfig {
            buffer,
            layout,
            shard: Some(shard),
        }
    }

    pub const fn is_dram(&self) -> bool {
        matches!(self.buffer, BufferType::Dram)
    }

    /// Sharded in L1: each core's part is local to it.
    pub const fn is_l1_sharded(&self) -> bool {
        matches!(self.buffer, BufferType::L1) && self.layout.is_sharded()
    }
}
