//! The blocking of the busiest core's work: the K tiles per block, the output block (shrunk,
//! for a config ttnn generates, until its circular buffers fit in L1) and its subblocks, from
//! the config or as ttnn picks them.

use super::operands::Operands;
use super::split::{Reads, Work};
use crate::generated::op_params::matmul::ProgramConfig;
use crate::model::{Ctx, ceil_div, largest_divisor, max, min};
use crate::tensor::{DType, MemoryLayout};

/// K tiles per block: the config's (at most all of `K`), else as ttnn picks them.
#[inline(always)]
pub(super) const fn in0_block_w(q: &Operands<'_>, w: &Work) -> u64 {
    let (a, kt, given_block_w) = (q.a, q.kt, q.given_block_w);
    let (s, fused) = (&w.s, w.fused);
    if given_block_w > 0 {
        min(given_block_w, max(kt, 1))
    } else if w.block_w > 0 {
        min(w.block_w, max(kt, 1))
    } else {
        default_in0_block_w(
            kt,
            fused,
            matches!(a.memory.layout, MemoryLayout::HeightSharded) && s.tall,
        )
    }
}

/// The busiest core's output block, how many of them it goes over, and their subblocks.
#[derive(Debug, Clone, Copy)]
pub(super) struct Blocks {
    /// K tiles per block.
    pub(super) in0_block_w: u64,
    /// The output block, in tiles.
    pub(super) block_h: u64,
    pub(super) block_w: u64,
    /// Rows and columns of output blocks in the busiest core's part of the output.
    pub(super) block_rows: u64,
    pub(super) block_cols: u64,
    pub(super) out_blocks: u64,
    /// The output subblock, in tiles.
    pub(super) sub_h: u64,
    pub(super) sub_w: u64,
}

/// The output block and subblocks of the busiest core, with K blocks of `in0_block_w` tiles.
#[inline(always)]
pub(super) const fn output_blocks(
    cx: &Ctx<'_>,
    q: &Operands<'_>,
    w: &Work,
    in0_block_w: u64,
) -> Blocks {
    let (auto, minimal, m_block, n_block) = (q.auto, q.minimal, q.m_block, q.n_block);
    let out_memory = q.out_memory;
    let (given_sub_h, given_sub_w) = (q.given_sub_h, q.given_sub_w);
    let s = &w.s;
    // A config ttnn generates shrinks the output block until its circular buffers fit in L1;
    // `b` is then read again for each row of output blocks, `a` for each column.
    let (block_h, block_w) = if w.out_block.0 > 0 {
        w.out_block
    } else if auto && matches!(s.reads, Reads::Once) {
        out_block(
            s.per_core_m,
            s.per_core_n,
            &cb_sizes(cx, q, in0_block_w),
            l1_budget(cx, q),
        )
    } else if minimal || matches!(q.config, ProgramConfig::Mcast1d | ProgramConfig::Mcast2d) {
        // The config's blocks, each with all of K: `minimal`'s (`compute.cpp`: K_blocks per
        // output block), or a multicast config's `out_block_h` x `out_block_w`, which its
        // kernels go over one after the other, each reading all of K of its inputs again
        // (`num_blocks_h_dim` x `num_blocks_w_dim` output blocks of `num_blocks_inner_dim` K
        // blocks, `matmul_multicore_reuse_mcast_{1d,2d}_program_factory.cpp`).
        (min(m_block, s.per_core_m), min(n_block, s.per_core_n))
    } else {
        (s.per_core_m, s.per_core_n)
    };
    let (block_rows, block_cols) = (
        ceil_div(s.per_core_m, block_h),
        ceil_div(s.per_core_n, block_w),
    );
    let out_blocks = block_rows * block_cols;
    // A tall 1D split with a sharded output must take all of the block's width as the
    // subblock width (1x1 past 8 tiles).
    let (sub_h, sub_w) = if given_sub_h > 0 {
        (given_sub_h, given_sub_w)
    } else if minimal {
        // `determine_default_block_sizes` (fp32 dest accumulation off): 2 x 4, or 4 x 2 for
        // an output taller than wide; a block smaller than that (a core's last, partial one)
        // is one subblock.
        let (h, w) = if w.mt_all > q.nt { (4, 2) } else { (2, 4) };
        (min(h, block_h), min(w, block_w))
    } else if matches!(q.config, ProgramConfig::DramSharded) {
        dram_sharded_subblock(block_h, block_w)
    } else {
        subblock(block_h, block_w, s.tall && out_memory.layout.is_sharded())
    };
    Blocks {
        in0_block_w,
        block_h,
        block_w,
        block_rows,
        block_cols,
        out_blocks,
        sub_h,
        sub_w,
    }
}

/// Most candidate sides [`side_factors`] lists: every number up to 10^4 has at most 64
/// divisors, and a core's part of an output is far smaller.
const MAX_SIDES: usize = 128;

/// `p`'s candidate sides in tt-metal's `get_multi_dim_per_core_factor`, in its order: `p`, 1,
/// then `p`'s divisors from `p / 2` down to 2 (at most [`MAX_SIDES`]), and how many there are.
const fn side_factors(p: u64) -> ([u64; MAX_SIDES], usize) {
    let mut sides = [0; MAX_SIDES];
    sides[0] = p;
    sides[1] = 1;
    let (mut n, mut d) = (2, p / 2);
    while d > 1 && n < MAX_SIDES {
        if p % d == 0 {
            sides[n] = d;
            n += 1;
        }
        d -= 1;
    }
    (sides, n)
}

/// The output block and K block of ttnn's all-DRAM 2D config (`get_multi_dim_per_core_factor`
/// with `adjust_in0_block_w`, `matmul_program_config.cpp`): the core's whole
/// `per_core_m` x `per_core_n` block in K blocks of `in0_block_w` tiles if their circular
/// buffers fit in L1; else, over the candidate blocks (each side the whole, 1 or a divisor) by
/// area from the largest, the squarest of each area (the last met of equally square ones),
/// with the largest divisor of `in0_block_w` that fits; 1 x 1 x 1 when none does.
pub(super) const fn dram_2d_blocks(
    cx: &Ctx<'_>,
    q: &Operands<'_>,
    per_core_m: u64,
    per_core_n: u64,
    in0_block_w: u64,
) -> (u64, u64, u64) {
    let budget = l1_budget(cx, q);
    if cb_sizes(cx, q, in0_block_w).bytes(per_core_m, per_core_n) < budget {
        return (per_core_m, per_core_n, in0_block_w);
    }
    let ((hs, nh), (ws, nw)) = (side_factors(per_core_m), side_factors(per_core_n));
    let mut below = u64::MAX;
    loop {
        // The largest area under `below`, and the squarest block of it.
        let (mut area, mut block) = (0, (0, 0));
        let mut i = 0;
        while i < nh {
            let h = hs[i];
            let mut j = 0;
            while j < nw {
                let w = ws[j];
                let this = h * w;
                if this < below
                    && (this > area || (this == area && !squarer(block.0, block.1, h, w)))
                {
                    (area, block) = (this, (h, w));
                }
                j += 1;
            }
            i += 1;
        }
        if area == 0 {
            return (1, 1, 1);
        }
        let mut k = max(in0_block_w, 1);
        while k > 0 {
            if in0_block_w % k == 0 && cb_sizes(cx, q, k).bytes(block.0, block.1) < budget {
                return (block.0, block.1, k);
            }
            k -= 1;
        }
        below = area;
    }
}

/// Tiles of the dest register a subblock may take (fp32 dest accumulation off; it is not a
/// query param).
const DEST_TILES: u64 = 8;

/// tt-metal's `SUBBLOCK_HW_CHOICES` (`matmul_program_config.cpp`): output subblocks `(h, w)`
/// of at most [`DEST_TILES`] tiles, largest first.
const SUBBLOCK_HW_CHOICES: [(u64, u64); 20] = [
    (4, 2),
    (2, 4),
    (8, 1),
    (1, 8),
    (7, 1),
    (1, 7),
    (3, 2),
    (2, 3),
    (6, 1),
    (1, 6),
    (5, 1),
    (1, 5),
    (2, 2),
    (4, 1),
    (1, 4),
    (3, 1),
    (1, 3),
    (2, 1),
    (1, 2),
    (1, 1),
];

/// `bmm_op_utils::get_matmul_subblock_params`: the first choice that divides the block. With
/// `w_is_block` (a sharded output of a tall 1D split: `per_core_N_equals_subblock_w`) only
/// `(1, per_core_N)` qualifies, and when `per_core_N > 8` none does and ttnn falls back to
/// `(1, 1)`. fp32 dest accumulation (at most 4 tiles) is not a query param and not modeled.
pub(super) const fn subblock(per_core_m: u64, per_core_n: u64, w_is_block: bool) -> (u64, u64) {
    let mut i = 0;
    while i < SUBBLOCK_HW_CHOICES.len() {
        let (h, w) = SUBBLOCK_HW_CHOICES[i];
        if (!w_is_block || (h == 1 && w == per_core_n))
            && per_core_m % h == 0
            && per_core_n % w == 0
        {
            return (h, w);
        }
        i += 1;
    }
    (1, 1)
}

/// The DRAM-sharded factory's subblock (`matmul_multi_core_reuse_dram_sharded_optimized`):
/// ttnn's pick for the block, then, when it is one row narrower than the dest register holds
/// (8 tiles), as wide as it gets while each step still cuts the subblocks a row takes, the
/// row padded up to whole subblocks (the last subblock's call covers only the real columns).
/// A 43-tile row: 1 x 1 picked, 1 x 8 run, 6 calls a row and K tile instead of 43.
const fn dram_sharded_subblock(block_h: u64, block_w: u64) -> (u64, u64) {
    let (h, w) = subblock(block_h, block_w, false);
    if h != 1 {
        return (h, w);
    }
    let (mut best, mut count, mut candidate) = (w, ceil_div(block_w, w), w + 1);
    while candidate <= DEST_TILES {
        if ceil_div(block_w, candidate) < count {
            (best, count) = (candidate, ceil_div(block_w, candidate));
        }
        candidate += 1;
    }
    (h, best)
}

/// K tiles per block when the config does not give them: all of `K` for height-sharded `a` in
/// a tall split (`get_matmul_program_config`), 2 or 1 for the unfused batched config
/// (`get_mcast_1d_config`), else the largest divisor of `K` up to 4
/// (`create_matmul_program_config`'s starting point).
const fn default_in0_block_w(kt: u64, fused: bool, a_height_sharded_tall: bool) -> u64 {
    if !fused {
        return mcast_1d_block_w(kt);
    }
    if a_height_sharded_tall {
        return max(kt, 1);
    }
    largest_divisor(kt, 4, false)
}

/// K tiles per block of the 1D config ttnn generates (`get_mcast_1d_config`): 2 when `K` is
/// even, else 1.
pub(super) const fn mcast_1d_block_w(kt: u64) -> u64 {
    if kt % 2 == 0 { 2 } else { 1 }
}

/// Bytes of L1 a core's circular buffers may take when ttnn generates the config
/// (`utilities::get_max_l1_space`): from the device's reserved base up to the lowest L1
/// address a buffer holds (`lowest_occupied_compute_l1_address`). L1 buffers are allocated
/// from the top of each bank down, and the query's inputs are alive then (the output is
/// allocated after its config): what they hold in a bank comes off the top.
const fn l1_budget(cx: &Ctx<'_>, q: &Operands<'_>) -> u64 {
    let (hw, banks) = (cx.hw, cx.hw.compute_grid.cores() as u64);
    let mut held = q.a.l1_bytes_per_bank(hw, banks);
    held = held.saturating_add(q.b.l1_bytes_per_bank(hw, banks));
    if let Some(bias) = q.bias {
        held = held.saturating_add(bias.l1_bytes_per_bank(hw, banks));
    }
    (hw.l1_bytes_per_core - hw.l1_reserved_bytes).saturating_sub(held)
}

/// The circular buffers of the query's matmul with K blocks of `in0_block_w` tiles, as the
/// query's ttnn estimates them (`l1_estimate`).
const fn cb_sizes(cx: &Ctx<'_>, q: &Operands<'_>, in0_block_w: u64) -> CbSizes {
    let (hw, a) = (cx.hw, q.a);
    CbSizes {
        // ttnn sizes the buffers by 32x32 tiles of each dtype.
        a_tile: hw.tile_bytes(a.dtype) as u64,
        b_tile: hw.tile_bytes(q.b.dtype) as u64,
        interm_tile: max(
            hw.tile_bytes(DType::Bfloat16) as u64,
            hw.tile_bytes(q.out_dtype) as u64,
        ),
        bias_tile: match q.bias {
            Some(bias) => hw.tile_bytes(bias.dtype) as u64,
            None => 0,
        },
        block_w: in0_block_w,
        shard_w: match a.memory.shard {
            Some(shard) if a.memory.layout.is_sharded() && !q.estimate_without_shard_rows => {
                shard.shape[1] as u64 / 32
            }
            _ => 0,
        },
        transpose_a: q.transpose_a && !q.estimate_without_shard_rows,
    }
}

/// The square output block ttnn's default config starts from (`get_per_core_factor`,
/// `matmul_program_config.cpp`): 16, 8, 4 or 2 tiles a side, the largest whose circular
/// buffers fit in L1 with K blocks of `in0_block_w` tiles; else 1.
pub(super) const fn per_core_factor(cx: &Ctx<'_>, q: &Operands<'_>, in0_block_w: u64) -> u64 {
    let (cbs, budget) = (cb_sizes(cx, q, in0_block_w), l1_budget(cx, q));
    let mut f = 16;
    while f > 1 {
        if cbs.bytes(f, f) < budget {
            return f;
        }
        f /= 2;
    }
    1
}

/// Bytes of the circular buffers ttnn estimates for an output block of `h` x `w` tiles and K
/// blocks of `block_w` tiles (`matmul_utilities::get_estimated_size_of_cbs`): double-buffered
/// `a` and `b` blocks, the output and its intermediate, the bias row, and a sharded `a`'s rows
/// of the shard (`shard_w` tiles wide).
#[derive(Debug, Clone, Copy)]
struct CbSizes {
    a_tile: u64,
    b_tile: u64,
    interm_tile: u64,
    bias_tile: u64,
    block_w: u64,
    shard_w: u64,
    /// A transposed `a` takes one more buffer: of its shard rows, or of its blocks.
    transpose_a: bool,
}

impl CbSizes {
    const fn bytes(&self, h: u64, w: u64) -> u64 {
        // Saturating: a block too big to count does not fit either. `a_column`: one K tile of
        // `a` for each of the block's rows.
        let a_column = h.saturating_mul(self.a_tile);
        let inputs = (2 * self.block_w)
            .saturating_mul(a_column.saturating_add(w.saturating_mul(self.b_tile)));
        let output = h
            .saturating_mul(w)
            .saturating_mul(self.a_tile + self.interm_tile);
        let shard = a_column.saturating_mul(self.shard_w);
        let transposed = match (self.transpose_a, self.shard_w > 0) {
            (false, _) => 0,
            (true, true) => shard,
            (true, false) => (2 * self.block_w).saturating_mul(a_column),
        };
        let bias = w.saturating_mul(self.bias_tile);
        inputs
            .saturating_add(output)
            .saturating_add(bias)
            .saturating_add(shard)
            .saturating_add(transposed)
    }
}

/// `a` over `b` as a ratio of the larger to the smaller factor is below that of `c` over `d`:
/// the pair is closer to square.
const fn squarer(a: u64, b: u64, c: u64, d: u64) -> bool {
    max(a, b) * min(c, d) < max(c, d) * min(a, b)
}

/// Position of divisor `d` of `n` in ttnn's candidate order: `n`, 1, then `n / 2` down to 2.
const fn candidate_rank(d: u64, n: u64) -> u64 {
    if d == n {
        0
    } else if d == 1 {
        1
    } else {
        2 + n - d
    }
}

/// `(d, n / d)` when `d` divides `n`, else `(0, 0)`: walking `d` up to the square root of `n`
/// visits every divisor in `O(sqrt(n))` steps.
const fn divisor_pair(n: u64, d: u64) -> (u64, u64) {
    if d * d > n || n % d != 0 {
        (0, 0)
    } else {
        (d, n / d)
    }
}

/// The output block a generated config works on, as ttnn's `get_multi_dim_per_core_factor`
/// picks it: the whole `per_core_M` x `per_core_N` block when its circular buffers fit in the
/// free L1 (`budget` bytes, [`l1_budget`]), else the largest `h` x `w` (divisors of the two,
/// the squarest pair of each product) that fits, with the K block unchanged; 1 x 1 if none.
/// The buffers grow with `h` and with `w`, so the walk stops at the first that does not fit:
/// its cost is bounded by the L1, not by the block.
const fn out_block(per_core_m: u64, per_core_n: u64, cbs: &CbSizes, budget: u64) -> (u64, u64) {
    if cbs.bytes(per_core_m, per_core_n) < budget {
        return (per_core_m, per_core_n);
    }
    let mut best = (1, 1);
    let mut h = 1;
    while h <= per_core_m && cbs.bytes(h, 1) < budget {
        let mut w = 1;
        while per_core_m % h == 0 && w <= per_core_n && cbs.bytes(h, w) < budget {
            // One pair per product passes `kept`: the order of the walk does not matter.
            if per_core_n % w == 0 && h * w > best.0 * best.1 && kept(h, w, per_core_m, per_core_n) {
                best = (h, w);
            }
            w += 1;
        }
        h += 1;
    }
    best
}

/// ttnn keeps one pair per product `h * w`: the squarest, and of a pair and its swap the one it
/// meets last (`h` in candidate order, then `w`). The other pairs of the product are its
/// divisors `a` that divide `per_core_m` (with `product / a` dividing `per_core_n`): walked
/// over the product's divisors, few for a block that fits in L1, not over `per_core_m`'s.
const fn kept(h: u64, w: u64, per_core_m: u64, per_core_n: u64) -> bool {
    let product = h * w;
    let mut i = 1;
    while i * i <= product {
        let (d, e) = divisor_pair(product, i);
        let candidates = [d, e];
        let mut k = 0;
        while d > 0 && k < candidates.len() {
            let a = candidates[k];
            if per_core_m % a == 0 && per_core_n % (product / a) == 0 && a != h {
                let b = product / a;
                if squarer(a, b, h, w) {
                    return false;
                }
                // Not squarer and not less square: the swapped pair; the later one is kept.
                if !squarer(h, w, a, b)
                    && candidate_rank(a, per_core_m) > candidate_rank(h, per_core_m)
                {
                    return false;
                }
            }
            k += 1;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `out_block` as ttnn's `get_multi_dim_per_core_factor` walks it: over the divisor pairs
    /// of both sides of the block.
    fn out_block_over_divisors(per_core_m: u64, per_core_n: u64, cbs: &CbSizes, budget: u64) -> (u64, u64) {
        if cbs.bytes(per_core_m, per_core_n) < budget {
            return (per_core_m, per_core_n);
        }
        let mut best = (1, 1);
        let mut i = 1;
        while i * i <= per_core_m {
            let hs = divisor_pair(per_core_m, i);
            let mut j = 1;
            while hs.0 > 0 && j * j <= per_core_n {
                let ws = divisor_pair(per_core_n, j);
                if ws.0 > 0 {
                    let pairs = [(hs.0, ws.0), (hs.0, ws.1), (hs.1, ws.0), (hs.1, ws.1)];
                    let mut k = 0;
                    while k < pairs.len() {
                        let (h, w) = pairs[k];
                        if h * w > best.0 * best.1
                            && cbs.bytes(h, w) < budget
                            && kept(h, w, per_core_m, per_core_n)
                        {
                            best = (h, w);
                        }
                        k += 1;
                    }
                }
                j += 1;
            }
            i += 1;
        }
        best
    }

    #[test]
    fn out_blocks_walked_up_to_the_l1_match_ttnns_walk() {
        for (a_tile, block_w, shard_w, transpose_a) in [(2048, 1, 0, false), (1088, 4, 0, false), (2048, 2, 3, true), (576, 8, 0, true)] {
            let cbs = CbSizes { a_tile, b_tile: 1088, interm_tile: 2048, bias_tile: 0, block_w, shard_w, transpose_a };
            for budget in [10_000u64, 60_000, 200_000, 1_337_088] {
                for m in 1..=40u64 {
                    for n in 1..=24u64 {
                        assert_eq!(out_block(m, n, &cbs, budget), out_block_over_divisors(m, n, &cbs, budget), "{m} x {n}, {budget} B");
                    }
                }
            }
        }
    }

    /// `kept` as ttnn's loop reads: over the divisors of `per_core_m`.
    fn kept_over_rows(h: u64, w: u64, per_core_m: u64, per_core_n: u64) -> bool {
        let product = h * w;
        (1..=per_core_m).filter(|a| per_core_m % a == 0).all(|a| {
            let other = product % a == 0 && per_core_n % (product / a) == 0 && a != h;
            !(other
                && (squarer(a, product / a, h, w)
                    || (!squarer(h, w, a, product / a)
                        && candidate_rank(a, per_core_m) > candidate_rank(h, per_core_m))))
        })
    }

    #[test]
    fn kept_pairs_walked_over_the_product_match_ttnns_walk() {
        for m in 1..=48u64 {
            for n in 1..=24u64 {
                for h in (1..=m).filter(|h| m % h == 0) {
                    for w in (1..=n).filter(|w| n % w == 0) {
                        assert_eq!(kept(h, w, m, n), kept_over_rows(h, w, m, n), "{h} x {w} of {m} x {n}");
                    }
                }
            }
        }
    }

    #[test]
    fn subblocks_as_ttnn_picks_them() {
        // The first of SUBBLOCK_HW_CHOICES dividing the block.
        assert_eq!(subblock(4, 4, false), (4, 2));
        assert_eq!(subblock(2, 8, false), (2, 4));
        assert_eq!(subblock(1, 16, false), (1, 8));
        assert_eq!(subblock(3, 3, false), (3, 1));
        assert_eq!(subblock(5, 7, false), (1, 7));
        assert_eq!(subblock(1, 1, false), (1, 1));
        // Sharded output of a tall split: (1, per_core_N) when it fits in dest...
        assert_eq!(subblock(4, 4, true), (1, 4));
        assert_eq!(subblock(2, 8, true), (1, 8));
        // ...else 1 x 1.
        assert_eq!(subblock(4, 9, true), (1, 1));
        assert_eq!(subblock(1, 16, true), (1, 1));
    }

    /// Tile sizes that make the buffer bytes easy to work by hand: `2 * (a_tile * h + w) +
    /// a_tile * h * w` with one K tile per block and no intermediate, bias or shard.
    const fn toy_cbs(a_tile: u64) -> CbSizes {
        CbSizes {
            a_tile,
            b_tile: 1,
            interm_tile: 0,
            bias_tile: 0,
            block_w: 1,
            shard_w: 0,
            transpose_a: false,
        }
    }

    #[test]
    fn output_block_shrinks_as_ttnn_shrinks_it() {
        let cbs = toy_cbs(10);
        // 4x4 needs 2 * 44 + 160 = 248 bytes.
        assert_eq!(out_block(4, 4, &cbs, 249), (4, 4), "fits whole");
        // With 70 bytes: the squarest pair of product 8 needs 128+ and of product 4, (2, 2),
        // needs 84, so ttnn never tries (1, 4) (68). Of product 2, (1, 2) and (2, 1) are equally
        // square and ttnn keeps the one it meets last, (2, 1): 62 bytes fit.
        assert_eq!(out_block(4, 4, &cbs, 70), (2, 1));
        // Nothing fits: 1 x 1.
        assert_eq!(out_block(4, 4, &cbs, 10), (1, 1));
        // The sweep's 20-tile shard over K = 27 tiles, one bfloat16 column of `b`, in the
        // Wormhole budget of 1499136 - 162048 bytes: 10 rows need 1810432 bytes, 5 need 960512.
        let sweep = CbSizes {
            a_tile: 2048,
            b_tile: 2048,
            interm_tile: 2048,
            bias_tile: 0,
            block_w: 27,
            shard_w: 27,
            transpose_a: false,
        };
        assert_eq!(sweep.bytes(10, 1), 1810432);
        assert_eq!(sweep.bytes(5, 1), 960512);
        assert_eq!(out_block(20, 1, &sweep, 1499136 - 162048), (5, 1));
        // A prime height has no divisor between 1 and itself.
        assert_eq!(out_block(19, 1, &sweep, 1499136 - 162048), (1, 1));
    }

    #[test]
    fn dram_sharded_subblocks_widen_while_that_cuts_the_calls() {
        // ttnn's pick, then wider up to 8 tiles while the subblocks a row takes go down.
        assert_eq!(dram_sharded_subblock(1, 43), (1, 8), "1 x 1 picked, 6 calls");
        assert_eq!(dram_sharded_subblock(1, 11), (1, 6), "1 x 1 picked; 8 takes 2 too");
        assert_eq!(dram_sharded_subblock(1, 10), (1, 5), "wider takes 2 as well");
        assert_eq!(dram_sharded_subblock(1, 12), (1, 6));
        assert_eq!(dram_sharded_subblock(1, 3), (1, 3), "one subblock already");
        // Taller than one row: ttnn's pick stands.
        assert_eq!(dram_sharded_subblock(2, 43), (2, 1));
    }

    #[test]
    fn default_block_width() {
        assert_eq!(default_in0_block_w(32, true, false), 4);
        assert_eq!(default_in0_block_w(9, true, false), 3);
        assert_eq!(default_in0_block_w(7, true, false), 1);
        assert_eq!(default_in0_block_w(9, true, true), 9);
        assert_eq!(default_in0_block_w(6, false, false), 2);
        assert_eq!(default_in0_block_w(3, false, false), 1);
    }
}
