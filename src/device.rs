//! Devices, cards and their hardware figures (from `model_specs/devices/*.toml`).

use crate::error::{Error, Name};
use crate::generated::{CARD_NAMES, DEVICE_NAMES, HARDWARE};
use crate::tensor::{DType, Layout, TensorParams};
use core::fmt;

// `MathFidelity` is generated from the spec crate's list of fidelities
// (`ttnn_op_perf_spec::MATH_FIDELITY`).
pub use crate::generated::{Card, Device, MathFidelity};

/// A rectangle of Tensix cores: `x` columns by `y` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CoreGrid {
    pub x: u8,
    pub y: u8,
}

impl CoreGrid {
    /// A grid of `x` columns and `y` rows.
    pub const fn new(x: u8, y: u8) -> Self {
        CoreGrid { x, y }
    }

    /// Number of cores.
    pub const fn cores(self) -> u32 {
        self.x as u32 * self.y as u32
    }

    /// Whether `self` is non-empty and fits inside `outer`.
    pub const fn fits_in(self, outer: CoreGrid) -> bool {
        self.x > 0 && self.y > 0 && self.x <= outer.x && self.y <= outer.y
    }

    /// The most square `x >= y` grid of exactly `cores` cores that fits in `full` (else the
    /// first `x < y` one that fits): how a core count becomes a grid when only the count is
    /// known, as in a profiler trace's CORE COUNT or a sweep's `num_cores`.
    ///
    /// ```
    /// use ttnn_op_perf_models::CoreGrid;
    /// assert_eq!(CoreGrid::most_square(20, CoreGrid::new(13, 10)), Some(CoreGrid::new(5, 4)));
    /// assert_eq!(CoreGrid::most_square(7, CoreGrid::new(8, 8)), Some(CoreGrid::new(7, 1)));
    /// ```
    pub fn most_square(cores: u32, full: CoreGrid) -> Option<CoreGrid> {
        (1..=full.y as u32)
            .rev()
            .filter(|y| cores % y == 0 && cores / y >= *y && cores / y <= full.x as u32)
            .map(|y| CoreGrid::new((cores / y) as u8, y as u8))
            .next()
            .or_else(|| {
                (1..=full.x as u32)
                    .filter(|x| cores % x == 0 && cores / x <= full.y as u32)
                    .map(|x| CoreGrid::new(x as u8, (cores / x) as u8))
                    .next()
            })
    }
}

impl fmt::Display for CoreGrid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.x, self.y)
    }
}

impl Device {
    /// Looks a device up by name or alias (`"wormhole_b0"`, `"wormhole"`, `"blackhole"`, ...).
    ///
    /// ```
    /// use ttnn_op_perf_models::Device;
    /// assert_eq!(Device::from_name("wormhole_b0"), Ok(Device::WormholeB0));
    /// assert!(Device::from_name("wormhole_c0").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<Device, Error> {
        DEVICE_NAMES.get(name).copied().ok_or(Error::UnknownDevice {
            name: Name::new(name),
        })
    }

    /// Hardware figures of the device's default card.
    pub fn hardware(self) -> &'static Hardware {
        Hardware::of(self.default_card())
    }
}

impl Card {
    /// Looks a card up by name (`"n150"`, `"p150"`, ...).
    pub fn from_name(name: &str) -> Option<Card> {
        CARD_NAMES.get(name).copied()
    }
}

/// One chip-to-chip Ethernet link of a device, as tt-metal's collectives use it (each figure's
/// source is a comment in `model_specs/devices/<device>.toml`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ethernet {
    /// Nominal line rate of one link, each direction, Gb/s.
    pub link_gbps: f64,
    /// Payload one link carries each direction through tt-metal's fabric (its EDM bandwidth
    /// test with 4 KiB packets), GB/s (= bytes per ns).
    pub fabric_gb_s: f64,
    /// Latency of one hop, chip to chip, ns.
    pub hop_latency_ns: f64,
}

impl Ethernet {
    /// Nanoseconds one link takes to carry `bytes` in one direction through the fabric.
    ///
    /// ```
    /// use ttnn_op_perf_models::{Card, Hardware};
    /// let eth = Hardware::of(Card::P150).ethernet.unwrap();
    /// assert_eq!(eth.fabric_ns(1_000_000), 1_000_000.0 / eth.fabric_gb_s);
    /// ```
    pub const fn fabric_ns(&self, bytes: u64) -> f64 {
        bytes as f64 / self.fabric_gb_s
    }
}

/// Hardware figures of one card, from the device spec; each figure's source is a comment in
/// `model_specs/devices/<device>.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Hardware {
    pub device: Device,
    pub card: Card,
    /// AI clock, MHz.
    pub clock_mhz: f64,
    /// Worker grid of the die.
    pub full_grid: CoreGrid,
    /// Grid ops use by default on this card.
    pub compute_grid: CoreGrid,
    pub l1_bytes_per_core: u64,
    /// Bytes at the bottom of L1 that firmware and the kernel config buffer reserve: what is
    /// left above them is what ttnn fits an op's circular buffers into.
    pub l1_reserved_bytes: u64,
    /// Fixed device-side cost of one op, ns.
    pub launch_overhead_ns: f64,
    pub dram_channels: u32,
    /// Peak DRAM bandwidth, GB/s (= bytes per ns).
    pub dram_peak_gb_s: f64,
    pub dram_achievable_fraction: f64,
    /// Fraction of the peak that readers beside their own banks reach, each streaming its
    /// bank's data in large requests (a DRAM-sharded matmul's workers).
    pub dram_bank_reader_fraction: f64,
    /// Fraction of the achievable bandwidth that many cores writing DRAM pages reach.
    pub dram_write_fraction: f64,
    pub noc_link_bytes_per_cycle: f64,
    pub noc_sustained_bytes_per_cycle: f64,
    /// Cycles from issuing a small read of another core's L1 to its data in this core's L1,
    /// when the kernel waits for it before issuing the next.
    pub noc_core_read_latency_cycles: f64,
    /// Cycles per 2-byte store a data-movement RISC-V sustains writing a contiguous run of its
    /// core's L1 (a kernel building a tile element by element).
    pub riscv_l1_store_cycles: f64,
    /// Cycles from a data-movement RISC-V's load of its core's L1 to the loaded value: a
    /// kernel copying or scattering elements one at a time waits for each.
    pub riscv_l1_load_cycles: f64,
    /// Cycles a data-movement RISC-V spends computing the address of one page of an
    /// ND-sharded buffer (`TensorAccessor::get_noc_addr`), before it can read or write it.
    pub nd_page_address_cycles: f64,
    /// Cycles the slow untilize takes a tile: the unpacker untilizes it a face row at a time
    /// (`untilize.cpp`), which tt-metal before PR #25701 ran on every block wider than 8 tiles.
    pub unpack_untilize_tile_cycles: f64,
    /// Bytes a NoC read of a DRAM buffer aligns to (a row-major page is
    /// padded to it; kernels split work in units of it).
    pub dram_alignment_bytes: u32,
    /// Bytes a NoC read of an L1 buffer aligns to.
    pub l1_alignment_bytes: u32,
    /// Whether tt-metal's interleaved-to-sharded reader stages every row-major stick in a
    /// scratch buffer and waits for it here, aligned or not (then one DRAM round trip a
    /// stick).
    pub staged_row_major_shard_reads: bool,
    /// (transfer bytes, achieved bytes per cycle), ascending.
    pub noc_small_transfer: &'static [(u64, f64)],
    /// Cycles from issuing a small DRAM read to its data in L1, when the kernel waits for it
    /// before issuing the next.
    pub dram_read_latency_cycles: f64,
    /// Bytes per cycle one core sustains reading tile-sized DRAM pages, however many reads it
    /// has in flight.
    pub dram_core_bytes_per_cycle: f64,
    /// Cycles of the unpacker's tilize of 4 row-major sticks 8 tiles wide into tiles (one
    /// `unpack_tilizeA_B_block` call: a bilinear point's corners, a 2x2 pool window).
    pub unpack_tilize_rows_cycles: f64,
    /// Bytes one packer interface writes from the destination registers into L1 per cycle:
    /// 32-bit data takes twice the cycles of 16-bit data.
    pub packer_bytes_per_cycle: f64,
    /// Cycles one core spends on each of back-to-back small DRAM reads (64 to 512 B) it
    /// issues without waiting: the cost of one read command to its data-movement core.
    pub dram_read_issue_cycles: f64,
    /// Cycles one core spends on each of back-to-back small DRAM writes (128 to 512 B).
    pub dram_write_issue_cycles: f64,
    /// Cycles between the read requests one DRAM bank's NoC endpoint accepts on one NoC,
    /// whatever their size and however many cores issue them: reads of small pages from many
    /// cores at once are bound by their count, not their bytes.
    pub dram_endpoint_read_cycles: f64,
    /// Cycles one core spends on each of back-to-back small writes to another core's L1.
    pub noc_write_issue_cycles: f64,
    /// Cycles of one small write to another core's L1 until its acknowledgement (what a
    /// barrier after one transfer waits).
    pub noc_write_round_trip_cycles: f64,
    /// Chip-to-chip Ethernet links; `None` on a device without them (Grayskull).
    pub ethernet: Option<Ethernet>,
    /// Ideal cycles per 32x32x32 tile product, indexed by [`MathFidelity`].
    pub tile_cycles: [u32; MathFidelity::COUNT],
    /// Rows of an in0 tile the matrix engine takes per pass.
    pub rows_per_pass: u32,
    /// Bytes per 32x32 tile, indexed by [`DType`].
    pub tile_bytes: [u32; DType::COUNT],
    /// `1 / cycles_per_ns()`: formulas multiply by it instead of dividing.
    pub(crate) ns_per_cycle: f64,
    /// `1 / dram_bytes_per_ns()`: formulas multiply by it instead of dividing.
    pub(crate) ns_per_dram_byte: f64,
    /// Nanoseconds a byte written to DRAM takes: `ns_per_dram_byte / dram_write_fraction`.
    pub(crate) ns_per_dram_write_byte: f64,
    /// `noc_bytes_per_cycle` of one 32x32 tile, indexed by [`DType`]: most transfers are
    /// tiles, and their rate is then a load instead of a walk of the curve.
    pub(crate) noc_tile_rates: [f64; DType::COUNT],
}

impl Hardware {
    /// The figures of `card`.
    pub const fn of(card: Card) -> &'static Hardware {
        &HARDWARE[card.index()]
    }

    /// The figures with `noc_tile_rates` computed from the curve (the generated table
    /// builds each card's figures with it, when the crate is compiled).
    pub(crate) const fn with_noc_tile_rates(mut self) -> Hardware {
        let mut i = 0;
        while i < self.tile_bytes.len() {
            self.noc_tile_rates[i] = self.noc_bytes_per_cycle(self.tile_bytes[i] as u64);
            i += 1;
        }
        self
    }

    /// Achieved NoC bytes per cycle for transfers of one tile of `t` (0 bytes for a
    /// row-major `t`).
    #[inline]
    pub(crate) const fn noc_bytes_per_cycle_of_tiles(&self, t: &TensorParams) -> f64 {
        match t.layout {
            Layout::Tile {
                height: 32,
                width: 32,
            } => self.noc_tile_rates[t.dtype as usize],
            _ => self.noc_bytes_per_cycle(match t.tile_bytes(self) {
                Some(b) => b,
                None => 0,
            }),
        }
    }

    /// Cycles per nanosecond.
    pub const fn cycles_per_ns(&self) -> f64 {
        self.clock_mhz / 1000.0
    }

    /// Nanoseconds per cycle (`1 / cycles_per_ns()`, precomputed).
    #[inline(always)]
    pub const fn ns_per_cycle(&self) -> f64 {
        self.ns_per_cycle
    }

    /// Nanoseconds to stream one byte through DRAM at the achievable bandwidth
    /// (`1 / dram_bytes_per_ns()`, precomputed).
    #[inline(always)]
    pub const fn ns_per_dram_byte(&self) -> f64 {
        self.ns_per_dram_byte
    }

    /// Achievable DRAM bandwidth in bytes per ns.
    pub const fn dram_bytes_per_ns(&self) -> f64 {
        self.dram_peak_gb_s * self.dram_achievable_fraction
    }

    /// Bytes a NoC read of `t`'s buffer aligns to: the DRAM or the L1 figure by where `t`
    /// lives.
    ///
    /// ```
    /// use ttnn_op_perf_models::{Card, DType, Hardware, MemoryConfig, TensorParams};
    /// let bh = Hardware::of(Card::P150);
    /// let t = |m| TensorParams::tiled(&[32, 32], DType::Bfloat16, m);
    /// assert_eq!(bh.read_alignment(&t(MemoryConfig::DRAM_INTERLEAVED)), 64);
    /// assert_eq!(bh.read_alignment(&t(MemoryConfig::L1_INTERLEAVED)), 16);
    /// ```
    pub const fn read_alignment(&self, t: &TensorParams) -> u64 {
        if t.memory.is_dram() {
            self.dram_alignment_bytes as u64
        } else {
            self.l1_alignment_bytes as u64
        }
    }

    /// Cycles one core waits for a DRAM read of `bytes` it issues alone (the next is issued
    /// after it lands): the read latency, then the bytes at the core's DRAM rate.
    ///
    /// ```
    /// use ttnn_op_perf_models::{Card, Hardware};
    /// let bh = Hardware::of(Card::P150);
    /// let tile = bh.waited_dram_read_cycles(2048);
    /// assert_eq!(tile, bh.dram_read_latency_cycles + 2048.0 / bh.dram_core_bytes_per_cycle);
    /// ```
    pub const fn waited_dram_read_cycles(&self, bytes: u64) -> f64 {
        self.dram_read_latency_cycles + bytes as f64 / self.dram_core_bytes_per_cycle
    }

    /// Cycles one core waits for a read of `bytes` from another core's L1 it issues alone:
    /// the one-packet latency, then the bytes at the NoC's rate for a transfer of that size.
    ///
    /// ```
    /// use ttnn_op_perf_models::{Card, Hardware};
    /// let bh = Hardware::of(Card::P150);
    /// let tile = bh.waited_l1_read_cycles(2048);
    /// assert_eq!(tile, bh.noc_core_read_latency_cycles + 2048.0 / bh.noc_bytes_per_cycle(2048));
    /// ```
    pub const fn waited_l1_read_cycles(&self, bytes: u64) -> f64 {
        self.noc_core_read_latency_cycles + bytes as f64 / self.noc_bytes_per_cycle(bytes)
    }

    /// Cycles one core waits for a write of `bytes` it issues alone (a write, then
    /// `noc_async_write_barrier`): the one-packet write's round trip, then the bytes at one
    /// core's DRAM rate (`to_dram`) or at the NoC's rate for a transfer of that size. On
    /// Wormhole a 2 KiB write to another core's L1 takes 358 cycles (tt-metal's data-movement
    /// perf plots, One to One Packet Sizes, 1 transaction): 295 + 2048 / 30 is 363.
    ///
    /// ```
    /// use ttnn_op_perf_models::{Card, Hardware};
    /// let wh = Hardware::of(Card::N150);
    /// let tile = wh.waited_write_cycles(2048, false);
    /// assert_eq!(tile, wh.noc_write_round_trip_cycles + 2048.0 / wh.noc_bytes_per_cycle(2048));
    /// let page = wh.waited_write_cycles(2048, true);
    /// assert_eq!(page, wh.noc_write_round_trip_cycles + 2048.0 / wh.dram_core_bytes_per_cycle);
    /// ```
    pub const fn waited_write_cycles(&self, bytes: u64, to_dram: bool) -> f64 {
        let rate = if to_dram {
            self.dram_core_bytes_per_cycle
        } else {
            self.noc_bytes_per_cycle(bytes)
        };
        self.noc_write_round_trip_cycles + bytes as f64 / rate
    }

    /// Bytes of a 32x32 tile of `dtype`.
    pub const fn tile_bytes(&self, dtype: DType) -> u32 {
        self.tile_bytes[dtype as usize]
    }

    /// Ideal cycles of one 32x32x32 tile product at `fidelity`.
    pub const fn tile_cycles(&self, fidelity: MathFidelity) -> u32 {
        self.tile_cycles[fidelity as usize]
    }

    /// Cycles the packer takes to write `bytes` of a tile from the destination registers into
    /// L1, its four faces side by side: Wormhole's four packers, Blackhole's one packer with
    /// four interfaces (tt-llk issue #916), each interface at `packer_bytes_per_cycle`.
    ///
    /// ```
    /// use ttnn_op_perf_models::{Card, Hardware};
    /// // A bfloat16 tile: 32 cycles on Wormhole, 16 on Blackhole.
    /// assert_eq!(Hardware::of(Card::N150).pack_cycles(2048), 32.0);
    /// assert_eq!(Hardware::of(Card::P150).pack_cycles(2048), 16.0);
    /// ```
    pub const fn pack_cycles(&self, bytes: u64) -> f64 {
        bytes as f64 / (4.0 * self.packer_bytes_per_cycle)
    }

    /// Cycles of one iteration of a RISC-V loop that stores once an iteration: its
    /// `instructions` at one a cycle (a baby RISC-V issues in order, one at a time), or the
    /// device's store rate where that is slower (`riscv_l1_store_cycles`).
    ///
    /// ```
    /// use ttnn_op_perf_models::{Card, Hardware};
    /// // A 3-instruction loop: Blackhole's stores coalesce, Wormhole's take 5 cycles each.
    /// assert_eq!(Hardware::of(Card::P150).store_loop_cycles(3.0), 3.0);
    /// assert_eq!(Hardware::of(Card::N150).store_loop_cycles(3.0), 5.0);
    /// ```
    pub const fn store_loop_cycles(&self, instructions: f64) -> f64 {
        f64::max(instructions, self.riscv_l1_store_cycles)
    }

    /// Achieved NoC bytes per cycle for transfers of `bytes`: linear between the points of the
    /// small-transfer curve, proportional to size below the first, the sustained rate above
    /// the last.
    ///
    /// ```
    /// use ttnn_op_perf_models::{Card, Hardware};
    /// let wh = Hardware::of(Card::N150);
    /// assert_eq!(wh.noc_bytes_per_cycle(1024), 27.0);
    /// assert_eq!(wh.noc_bytes_per_cycle(1 << 20), wh.noc_sustained_bytes_per_cycle);
    /// ```
    pub const fn noc_bytes_per_cycle(&self, bytes: u64) -> f64 {
        let curve = self.noc_small_transfer;
        let Some(&(b0, r0)) = curve.first() else {
            return self.noc_sustained_bytes_per_cycle;
        };
        if bytes <= b0 {
            return r0 * (if bytes > 1 { bytes } else { 1 }) as f64 / b0 as f64;
        }
        let mut i = 1;
        while i < curve.len() {
            let ((lo, rlo), (hi, rhi)) = (curve[i - 1], curve[i]);
            if bytes <= hi {
                let t = fraction(bytes - lo, hi - lo);
                return rlo + t * (rhi - rlo);
            }
            i += 1;
        }
        self.noc_sustained_bytes_per_cycle
    }
}

/// `part / whole` for `0 < part < whole`: a multiply by the exact reciprocal when `whole` is
/// a power of two (the curves' steps are), which is the division's result bit for bit.
#[inline(always)]
const fn fraction(part: u64, whole: u64) -> f64 {
    if whole.is_power_of_two() {
        // 2^-k, built from its exponent bits; `k < 64`, far from the subnormals.
        part as f64 * f64::from_bits((1023 - whole.trailing_zeros() as u64) << 52)
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tile rates of every card are the curve's rates at its tile sizes, and a tile
    /// tensor's rate is the curve's rate at its tile bytes, for every dtype and tile shape.
    #[test]
    fn tile_rates_are_the_curve() {
        use crate::tensor::{MemoryConfig, Shape};
        for card in Card::ALL {
            let hw = Hardware::of(card);
            for dtype in DType::ALL {
                let bytes = hw.tile_bytes(dtype) as u64;
                let rate = hw.noc_bytes_per_cycle(bytes);
                assert_eq!(hw.noc_tile_rates[dtype as usize].to_bits(), rate.to_bits());
                for layout in [
                    Layout::TILE,
                    Layout::Tile {
                        height: 16,
                        width: 32,
                    },
                    Layout::Tile {
                        height: 32,
                        width: 16,
                    },
                    Layout::RowMajor,
                ] {
                    let shape = Shape::new(&[64, 64]);
                    let t = TensorParams::new(shape, dtype, layout, MemoryConfig::DRAM_INTERLEAVED);
                    let bytes = t.tile_bytes(hw).unwrap_or(0);
                    assert_eq!(
                        hw.noc_bytes_per_cycle_of_tiles(&t).to_bits(),
                        hw.noc_bytes_per_cycle(bytes).to_bits(),
                        "{card} {t:?}"
                    );
                }
            }
        }
    }

    /// `fraction` is the division, bit for bit: every part of the small powers of two, and
    /// spread parts of the large ones (past 2^53, where the part itself rounds).
    #[test]
    fn fraction_is_the_division() {
        for k in 0..64 {
            let whole = 1u64 << k;
            let step = (whole >> 12).max(1);
            let mut part = 0;
            while part < whole {
                assert_eq!(
                    fraction(part, whole).to_bits(),
                    (part as f64 / whole as f64).to_bits(),
                    "{part} / {whole}"
                );
                part += step + part / 3;
            }
        }
        assert_eq!(fraction(1, 3), 1.0 / 3.0);
    }
}
