//! `conv_roofline`: conv2d, ttnn's convolution of a sharded NHWC activation, run as an im2col
//! matrix product with the weights (tt-metal `ttnn/cpp/ttnn/operations/conv/conv2d/device/`).
//!
//! It reads the tensors and these params:
//!
//! * the output's shape (its rows are the product's M: batch x output height x width) and
//!   memory layout (height sharded: each core holds all channels of its rows and reads the
//!   weights once; block or width sharded: the channels are split too, and the weights are
//!   read again for every activation block of rows, see below);
//! * the weights' shape and dtype (`[1, 1, K, N]` tiled: K = kernel_h x kernel_w x in
//!   channels padded, N the out channels padded; their tile bytes are what the DRAM reads and
//!   multicasts move);
//! * the activation's last dim and dtype (the input channels each stick holds: the size of an
//!   im2col read);
//! * `kernel_h`, `kernel_w` (sliding_window_config.window_hw): per output pixel the reader
//!   copies `kernel_h` runs of `kernel_w` sticks from the halo'd shard into the im2col block
//!   (`reader_conv_activations_padded_with_halo_3x3_weights_v2.cpp`, reads coalesced along the
//!   window's width);
//! * `cores_nhw`, `cores_c` (parallelization_config): the split of the output's rows and
//!   channels, so the busiest core's block is `ceil(M / cores_nhw) x ceil(N / cores_c)` tiles;
//! * `act_block_h`, `act_block_w` (block_config): the weights are read in K blocks of
//!   `act_block_w` tiles, each waited for (`noc_async_read_barrier`) before it is multicast;
//!   a block-sharded conv reads them again per block of `act_block_h` output tile rows;
//! * `math_fidelity`: cycles per tile product (`cx.hw.tile_cycles`).
//!
//! Stride, padding and dilation are not read: the halo op has already laid the padded input
//! out so that each output pixel's window is `kernel_h` runs in the shard, and the output's
//! shape carries the stride (dilation > 1 would split each run into single sticks; not
//! modeled).
//!
//! The terms, for the busiest core:
//!
//! * compute (`compute_scale`): `M_c x K x N_c` tile products at the fidelity's cycles;
//! * im2col reads (`act_read_scale`): `M_c x 32` pixels x `kernel_h` reads of `kernel_w x
//!   C_c` elements each (`C_c` the core's input channels), at the NoC rate of that size;
//! * weights' DRAM reads (`weights_read_scale`): the sender core
//!   (`reader_writer_tiled_out_1d_mcast_sender_conv_weights_tiled_col_to_rm_blocks.cpp`,
//!   `writer_tiled_out_2d_mcast_sender_...`) reads each K block of its `K x N_c` weight
//!   tiles and waits for it: per block tt-metal's measured DRAM latency plus its bytes at one
//!   core's DRAM rate (`cx.hw.waited_dram_read_cycles`). Height sharded (1D multicast) reads
//!   them once (`bh == 0`), block and width sharded (2D) once per activation block of rows;
//! * weights' multicast (`weights_mcast_scale`): those bytes again at the NoC's sustained rate,
//!   when more than one core receives them;
//! * a block-sharded activation's multicast (`act_mcast_scale`): each core's im2col K slice
//!   goes to the other cores of its row, so each receives `M_c x 32 x K x 32` elements.
//!
//! The reader, the weights' sender and the compute kernel hand blocks to each other through
//! circular buffers a block deep (`enable_act_double_buffer` and
//! `enable_weights_double_buffer` are off in the shared traces): the compute waits for each
//! block's reads, so the reads and multicasts add to the products' time (term `overhead`,
//! not hidden behind the compute). The activation's tilize in the compute kernel and the
//! output's pack are not costed. It assumes the cores' blocks are even (the busiest is
//! `ceil` of the split).

use crate::error::{Error, Operand, TensorProblem};
use crate::generated::{ConvRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, max, min};
use crate::tensor::{MemoryLayout, TensorParams};

/// The split of `y`'s rows and columns over cores as its shard spec gives it: `(rows' cores,
/// columns' cores)`; `None` when it is not sharded.
const fn shard_split(y: &TensorParams) -> Option<(u64, u64)> {
    match y.memory.shard {
        Some(s) if y.memory.layout.is_sharded() && s.shape[0] > 0 && s.shape[1] > 0 => Some((
            ceil_div(y.rows(), s.shape[0] as u64),
            ceil_div(y.shape.dim_from_end(0) as u64, s.shape[1] as u64),
        )),
        _ => None,
    }
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<ConvRooflineFeatures, Error> {
    let OpParams::Conv2d(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let x = &cx.inputs[0];
    let w = &cx.inputs[1];
    // The operand rules make the output required.
    let Some(y) = cx.output else {
        return Err(cx.not_modeled("a convolution without its output tensor"));
    };
    // The weights are the tiled [1, 1, K, N] matrix ttnn prepares.
    let Some((k_tiles, n_tiles)) = w.tile_grid() else {
        return Err(cx.tensor_error(Operand::Input(1), TensorProblem::LayoutNotAllowed));
    };
    let Some(element) = x.dtype.element_bytes() else {
        return Err(cx.not_modeled("an activation of block-float sticks"));
    };
    let height_sharded = !matches!(
        y.memory.layout,
        MemoryLayout::BlockSharded | MemoryLayout::WidthSharded
    );
    let m_tiles = ceil_div(y.rows(), 32);
    let (shard_nhw, shard_c) = match shard_split(y) {
        Some(s) => s,
        None => (cx.grid.cores() as u64, 1),
    };
    let cores_nhw = max(if p.cores_nhw > 0 { p.cores_nhw as u64 } else { shard_nhw }, 1);
    let cores_c = if p.cores_c > 0 {
        p.cores_c as u64
    } else if height_sharded {
        1
    } else {
        shard_c
    };
    let cores_c = max(cores_c, 1);
    let m_c = max(ceil_div(m_tiles, cores_nhw), 1);
    let n_c = max(ceil_div(n_tiles, cores_c), 1);
    let k = max(k_tiles, 1);
    let block_h = if p.act_block_h > 0 { min(p.act_block_h as u64, m_c) } else { m_c };
    let block_w = if p.act_block_w > 0 { min(p.act_block_w as u64, k) } else { k };
    let ns_per_cycle = cx.hw.ns_per_cycle;

    // The busiest core's tile products.
    let products = m_c.saturating_mul(k).saturating_mul(n_c);
    let compute = products as f64 * cx.hw.tile_cycles(p.math_fidelity) as f64 * ns_per_cycle;

    // im2col: kernel_h reads of kernel_w sticks of the core's input channels per pixel.
    let channels_c = ceil_div(x.shape.dim_from_end(0) as u64, cores_c);
    let read_bytes = max(
        (p.kernel_w as u64).saturating_mul(channels_c).saturating_mul(element as u64),
        1,
    );
    let reads = m_c.saturating_mul(32).saturating_mul(p.kernel_h as u64);
    let act_read = cx.noc_ns_at(
        reads.saturating_mul(read_bytes),
        cx.hw.noc_bytes_per_cycle(read_bytes),
    );

    // The weights: K blocks of act_block_w tiles of the core's N columns, each read and waited
    // for, then multicast; again per block of rows when block or width sharded.
    let w_tile = cx.hw.tile_bytes(w.dtype) as u64;
    let passes = if height_sharded { 1 } else { ceil_div(m_c, block_h) };
    let k_blocks = ceil_div(k, block_w);
    let w_bytes = k.saturating_mul(n_c).saturating_mul(w_tile);
    let read_cycles = if w.memory.is_dram() {
        k_blocks as f64 * cx.hw.dram_read_latency_cycles
            + w_bytes as f64 / cx.hw.dram_core_bytes_per_cycle
    } else {
        w_bytes as f64 / cx.hw.noc_bytes_per_cycle(block_w.saturating_mul(n_c).saturating_mul(w_tile))
    };
    let weights_read = passes as f64 * read_cycles * ns_per_cycle;
    // 1D: to every core; 2D: down each column of the grid, to the cores of the rows split.
    let receivers = cores_nhw;
    let weights_mcast = if receivers > 1 {
        cx.noc_ns_at(
            w_bytes.saturating_mul(passes),
            cx.hw.noc_sustained_bytes_per_cycle,
        )
    } else {
        0.0
    };

    // A block-sharded activation: each core receives the other K slices of its rows.
    let act_mcast = if !height_sharded && cores_c > 1 {
        let bytes = m_c
            .saturating_mul(32)
            .saturating_mul(k.saturating_mul(32))
            .saturating_mul(element as u64);
        cx.noc_ns_at(bytes, cx.hw.noc_sustained_bytes_per_cycle)
    } else {
        0.0
    };

    Ok(ConvRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        compute_scale: compute,
        act_read_scale: act_read,
        weights_read_scale: weights_read,
        weights_mcast_scale: weights_mcast,
        act_mcast_scale: act_mcast,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::{BufferType, CoreRange, Layout, ShardOrientation, ShardSpec};
    use crate::{Card, DType, Hardware, MemoryConfig, Op, OpParam, ParamValue, QueryParams, Shape};
    use crate::formulas::test_support::close;

    fn sharded(layout: MemoryLayout, end: (u8, u8), shard: [u32; 2]) -> MemoryConfig {
        let grid = CoreRange {
            start: (0, 0),
            end,
        };
        MemoryConfig::sharded(
            BufferType::L1,
            layout,
            ShardSpec::new(grid, shard, ShardOrientation::RowMajor),
        )
    }

    fn sticks(dims: &[u32], memory: MemoryConfig) -> TensorParams {
        TensorParams::new(Shape::new(dims), DType::Bfloat16, Layout::RowMajor, memory)
    }

    fn features_of(
        card: Card,
        inputs: &[TensorParams],
        y: TensorParams,
        params: &[OpParam<'_>],
    ) -> Result<ConvRooflineFeatures, Error> {
        let hw = Hardware::of(card);
        let cx = Ctx::new(
            Op::Conv2d,
            hw,
            QueryParams::ByName(params),
            inputs,
            Some(&y),
            hw.compute_grid,
        )?;
        features(&cx)
    }

    /// bh20_oft's 3x3 convolution of 64 to 64 channels over a 96x320 image on a p150, height
    /// sharded over 20 cores (5x4): 30720 output rows = 960 tile rows, 48 per core; K = 3 x 3 x
    /// 64 = 576 = 18 tiles, N = 2 tiles. By hand:
    /// * products 48 x 18 x 2 = 1728 at HiFi2's 32 cycles = 55296 cycles = 40960 ns at 1.35 GHz;
    /// * im2col: 48 x 32 pixels x 3 reads of 3 sticks x 64 channels x 2 B = 384 B, 4608 reads
    ///   = 1769472 B at the curve's 14 B/cycle for 384 B (10 at 256, 18 at 512) = 126390.857
    ///   cycles = 93622.857 ns;
    /// * weights: 3 K blocks of 6 tiles, 18 x 2 bfloat8_b tiles of 1088 B = 39168 B; 3 x 479 +
    ///   39168 / 21.3 = 3275.873 cycles = 2426.573 ns; multicast 39168 / 60 = 652.8 cycles =
    ///   483.556 ns. Measured: 131 us (four rows); the sum is 137.5 us.
    #[test]
    fn height_sharded_conv_by_hand() {
        let mem = sharded(MemoryLayout::HeightSharded, (4, 3), [1536, 64]);
        let x = sticks(&[1, 1, 33600, 64], sharded(MemoryLayout::HeightSharded, (4, 3), [1680, 64]));
        let w = TensorParams::tiled(&[1, 1, 576, 64], DType::Bfloat8B, MemoryConfig::DRAM_INTERLEAVED);
        let y = TensorParams::tiled(&[1, 1, 30720, 64], DType::Bfloat16, mem);
        let params = [
            OpParam::new("math_fidelity", ParamValue::Enum("hifi2")),
            OpParam::new("kernel_h", ParamValue::Int(3)),
            OpParam::new("kernel_w", ParamValue::Int(3)),
            OpParam::new("act_block_h", ParamValue::Int(1)),
            OpParam::new("act_block_w", ParamValue::Int(6)),
            OpParam::new("cores_nhw", ParamValue::Int(20)),
        ];
        let f = features_of(Card::P150, &[x, w], y, &params).unwrap();
        assert!(close(f.compute_scale, 55296.0 / 1.35));
        assert!(close(f.act_read_scale, 1769472.0 / 14.0 / 1.35));
        assert!(close(f.weights_read_scale, (3.0 * 479.0 + 39168.0 / 21.3) / 1.35));
        assert!(close(f.weights_mcast_scale, 39168.0 / 60.0 / 1.35));
        assert_eq!(f.act_mcast_scale, 0.0);
        assert!(close(f.overhead_cycles, 1.0 / 1.35));
        // The split from the output's shard spec (30720 / 1536 = 20 cores) is the same.
        let g = features_of(Card::P150, &[x, w], y, &params[..5]).unwrap();
        assert_eq!(f, g);
    }

    /// A block-sharded 3x3 convolution of 128 to 256 channels on an n150: output [256, 256]
    /// in shards of 128 x 64 (2 row groups x 4 channel groups), weights [1152, 256] bfloat16
    /// in DRAM, act_block_h 2 and act_block_w 12 tiles, HiFi4. Per core: 4 x 36 x 2 = 288
    /// products x 64 cycles = 18432 ns at 1 GHz; im2col 4 x 32 x 3 = 384 reads of 3 x 32
    /// channels x 2 B = 192 B at 7.75 B/cycle (5.5 at 128, 10 at 256) = 9513.29 ns; weights
    /// 36 x 2 tiles x 2048 B = 147456 B in 3 K blocks, read for each of the 2 row blocks:
    /// 2 x (3 x 383 + 147456 / 21.9) = 15764.30 ns, multicast twice at 30 B/cycle = 9830.4 ns;
    /// the activation's K slices from the row's other cores: 128 x 1152 x 2 B at 30 B/cycle =
    /// 9830.4 ns.
    #[test]
    fn block_sharded_conv_by_hand() {
        let x = sticks(&[1, 1, 400, 128], sharded(MemoryLayout::BlockSharded, (3, 1), [200, 32]));
        let w = TensorParams::tiled(&[1, 1, 1152, 256], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
        let y = TensorParams::tiled(
            &[1, 1, 256, 256],
            DType::Bfloat16,
            sharded(MemoryLayout::BlockSharded, (3, 1), [128, 64]),
        );
        let params = [
            OpParam::new("kernel_h", ParamValue::Int(3)),
            OpParam::new("kernel_w", ParamValue::Int(3)),
            OpParam::new("act_block_h", ParamValue::Int(2)),
            OpParam::new("act_block_w", ParamValue::Int(12)),
        ];
        let f = features_of(Card::N150, &[x, w], y, &params).unwrap();
        assert!(close(f.compute_scale, 18432.0));
        assert!(close(f.act_read_scale, 73728.0 / 7.75));
        assert!(close(f.weights_read_scale, 2.0 * (3.0 * 383.0 + 147456.0 / 21.9)));
        assert!(close(f.weights_mcast_scale, 2.0 * 147456.0 / 30.0));
        assert!(close(f.act_mcast_scale, 128.0 * 1152.0 * 2.0 / 30.0));
    }

    /// Row-major weights are not the matrix ttnn prepares: a typed error, not a guess.
    #[test]
    fn row_major_weights_are_an_error() {
        let mem = sharded(MemoryLayout::HeightSharded, (4, 3), [1536, 64]);
        let x = sticks(&[1, 1, 33600, 64], mem);
        let w = sticks(&[1, 1, 576, 64], MemoryConfig::DRAM_INTERLEAVED);
        let y = TensorParams::tiled(&[1, 1, 30720, 64], DType::Bfloat16, mem);
        let params = [
            OpParam::new("kernel_h", ParamValue::Int(3)),
            OpParam::new("kernel_w", ParamValue::Int(3)),
        ];
        let e = features_of(Card::P150, &[x, w], y, &params).unwrap_err();
        assert!(matches!(
            e,
            Error::InvalidTensor {
                operand: Operand::Input(1),
                problem: TensorProblem::LayoutNotAllowed,
                ..
            }
        ));
    }
}
