//! `grid_sample_roofline`: ttnn.grid_sample, which samples an NHWC row-major tensor at the
//! points a grid gives.
//!
//! It reads the input's shape (its channels: the stick gathered, and the channel tiles summed),
//! dtype and memory; the grid's shape (its sticks, and its last dim: 2 values per point, or 6
//! when precomputed, so `K` points per grid stick), dtype and memory; the output's memory when
//! the query gives it (else the input's); and the params `mode`, `use_precomputed_grid` and
//! `math_fidelity`. The output's shape is not read: the points and the channels say what is
//! written.
//!
//! How it runs (tt-metal `ttnn/cpp/ttnn/operations/pool/grid_sample/device/
//! grid_sample_program_factory.cpp`, `reader_grid_sample_interleaved_start_id.cpp`, and the
//! pool compute kernel `pool/generic/device/kernels/compute/compute_pool_2d.cpp`): the grid's
//! sticks are split over the grid of cores (`split_work_to_cores`; a sharded grid over its
//! shard cores). Per grid stick the reader reads it and waits for it; per point (`K` a stick)
//! it reads the input sticks of the 4 corners (bilinear; 1 for nearest), waits for them and
//! hands them with their weights to the compute engine, which tilizes them and sums them
//! weighted as a pool's column reduction: one matrix-engine pass per channel tile at the op's
//! fidelity (`compute_scale`). The writer writes one output stick per point.
//!
//! The terms: compute, the busiest core's points, each the slower of the unpacker's tilize
//! of its corner sticks (one `unpack_tilizeA_B_block` call per 8 channel tiles, at the device
//! spec's measured cycles of a call: tt-metal issue #27922) and the matrix engine's sum (its
//! channel tiles x the device's cycles per tile product at the fidelity), as the two overlap
//! from one point to the next (nearest: none); NoC (`noc_scale`), its input sticks, grid
//! sticks and output sticks, each at the NoC rate of its size; the reads it waits for
//! (`round_trip_scale`), a grid stick's and a point's batch of corners, from DRAM at
//! tt-metal's measured latency of one core's read of those bytes, from L1 at one tile's NoC
//! time; DRAM (`dram_scale`), the gathered sticks, the grid and the output, each when its
//! tensor lives there. It assumes the reader, the compute engine and the writer overlap, and
//! every corner in bounds (a corner out of bounds is not read).

use crate::MathFidelity;
use crate::error::{Error, Operand, TensorProblem};
use crate::generated::op_params::grid_sample::Mode;
use crate::generated::{GridSampleRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, max};
use crate::tensor::TensorParams;

/// Bytes of one stick of `t` (its last dim), at least 1.
const fn stick_bytes(t: &TensorParams) -> u64 {
    let element = match t.dtype.element_bytes() {
        Some(e) => e as u64,
        None => 1,
    };
    max(t.shape.dim_from_end(0) as u64 * element, 1)
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<GridSampleRooflineFeatures, Error> {
    let OpParams::GridSample(p) = cx.params else {
        return Err(cx.foreign_params());
    };
    let (x, grid) = (&cx.inputs[0], &cx.inputs[1]);
    // Values per point in a grid stick; the grid's last dim holds `K` points (tt-metal's
    // `grid_batching_factor`, an integer division), at least one.
    let per_point = if p.use_precomputed_grid { 6 } else { 2 };
    let grid_width = grid.shape.dim_from_end(0) as u64;
    if grid_width < per_point {
        return Err(cx.tensor_error(
            Operand::Input(1),
            TensorProblem::ShapeMismatch {
                with: Operand::Input(0),
            },
        ));
    }
    let points_per_stick = grid_width / per_point;
    let corners: u64 = match p.mode {
        Mode::Bilinear => 4,
        Mode::Nearest => 1,
    };
    let grid_sticks = grid.rows();
    let cores = cx.cores_over(grid, grid_sticks);
    let sticks_per_core = ceil_div(grid_sticks, cores);
    let points = sticks_per_core.saturating_mul(points_per_stick);
    let (in_stick, grid_stick) = (stick_bytes(x), stick_bytes(grid));
    // An output stick per point, of the input's channels, in its dtype.
    let out_stick = in_stick;
    let gathered = points.saturating_mul(corners);
    let noc = cx.noc_ns_at(
        gathered.saturating_mul(in_stick),
        cx.hw.noc_bytes_per_cycle(in_stick),
    ) + cx.noc_ns_at(
        sticks_per_core.saturating_mul(grid_stick),
        cx.hw.noc_bytes_per_cycle(grid_stick),
    ) + cx.noc_ns_at(
        points.saturating_mul(out_stick),
        cx.hw.noc_bytes_per_cycle(out_stick),
    );
    let waits = sticks_per_core as f64 * cx.waited_read_ns(grid, grid_stick)
        + points as f64 * cx.waited_read_ns(x, corners.saturating_mul(in_stick));
    // Per point, the unpacker tilizes the 4 corner sticks, one call per block of up to 8
    // channel tiles (`MAX_TILES_PER_REDUCTION`), while the matrix engine sums the previous
    // point's channel tiles, one pass each at the fidelity: the slower of the two sets the pace.
    let compute = match p.mode {
        Mode::Bilinear => {
            let channel_tiles = ceil_div(x.shape.dim_from_end(0) as u64, 32);
            let fidelity: MathFidelity = p.math_fidelity;
            let math = channel_tiles as f64 * cx.hw.tile_cycles(fidelity) as f64;
            let unpack = ceil_div(channel_tiles, 8) as f64 * cx.hw.unpack_tilize_rows_cycles;
            let per_point = if unpack > math { unpack } else { math };
            cx.cycles_to_ns(points as f64 * per_point)
        }
        Mode::Nearest => 0.0,
    };
    // DRAM over every core: all points' corners, the grid, the output.
    let all_points = grid_sticks.saturating_mul(points_per_stick);
    let mut dram: u64 = 0;
    if x.memory.is_dram() {
        dram = dram.saturating_add(all_points.saturating_mul(corners).saturating_mul(in_stick));
    }
    if grid.memory.is_dram() {
        dram = dram.saturating_add(grid_sticks.saturating_mul(grid_stick));
    }
    let out_in_dram = match cx.output {
        Some(y) => y.memory.is_dram(),
        None => x.memory.is_dram(),
    };
    let written = if out_in_dram { all_points.saturating_mul(out_stick) } else { 0 };
    Ok(GridSampleRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        compute_scale: compute,
        noc_scale: noc,
        round_trip_scale: waits,
        dram_scale: cx.dram_traffic_ns(dram, written),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formulas::test_support::close;
    use crate::{
        Card, CoreGrid, DType, Hardware, Layout, MemoryConfig, Op, OpParam, ParamValue,
        QueryParams, Shape,
    };

    fn rm(dims: &[u32], memory: MemoryConfig) -> TensorParams {
        TensorParams::new(Shape::new(dims), DType::Bfloat16, Layout::RowMajor, memory)
    }

    fn oft_features(mode: &'static str) -> GridSampleRooflineFeatures {
        let hw = Hardware::of(Card::P150);
        let inputs = [
            rm(&[1, 48, 160, 256], MemoryConfig::L1_INTERLEAVED),
            rm(&[1, 1, 1408, 42], MemoryConfig::DRAM_INTERLEAVED),
        ];
        let params = [
            OpParam::new("mode", ParamValue::Enum(mode)),
            OpParam::new("use_precomputed_grid", ParamValue::Bool(true)),
        ];
        let cx = Ctx::new(
            Op::GridSample,
            hw,
            QueryParams::ByName(&params),
            &inputs,
            None,
            CoreGrid::new(5, 4),
        )
        .unwrap();
        features(&cx).unwrap()
    }

    /// bh20_oft's grid sample on 20 cores of a p150: 1408 grid sticks of 42 bfloat16 (7
    /// precomputed points of 6 values), 71 sticks on the busiest core, 497 points; each
    /// tilizes 4 sticks of 256 channels (8 channel tiles, one unpacker call of 580 cycles) and
    /// sums them at HiFi4, 64 cycles a tile (512 cycles): the unpacker sets the pace, 497 x 580
    /// cycles at 1.35 GHz = 213.5 µs (the trace measured 232-240 µs). Waits: 71 grid sticks of
    /// 84 B from DRAM (479 + 84 / 21.3 cycles each) and 497 batches of corners from L1 (one
    /// bfloat16 tile's NoC time each). DRAM: the grid's 118,272 B only.
    #[test]
    fn oft_bilinear_by_hand() {
        let f = oft_features("bilinear");
        let hw = Hardware::of(Card::P150);
        assert!((f.compute_scale - 497.0 * 580.0 / 1.35).abs() < 1e-6);
        let tile_ns = 2048.0 / hw.noc_bytes_per_cycle(2048) / 1.35;
        let grid_wait = (479.0 + 84.0 / 21.3) / 1.35;
        assert!((f.round_trip_scale - (71.0 * grid_wait + 497.0 * tile_ns)).abs() < 1e-6);
        assert!((f.dram_scale - 118_272.0 * hw.ns_per_dram_byte).abs() < 1e-9);
        let stick = |bytes: u64| bytes as f64 / hw.noc_bytes_per_cycle(bytes) / 1.35;
        let noc = 497.0 * 4.0 * stick(512) + 71.0 * stick(84) + 497.0 * stick(512);
        assert!(close(f.noc_scale, noc));
    }

    /// Nearest reads one corner a point and computes nothing.
    #[test]
    fn nearest_reads_one_corner() {
        let (b, n) = (oft_features("bilinear"), oft_features("nearest"));
        assert_eq!(n.compute_scale, 0.0);
        assert!(n.noc_scale < b.noc_scale);
    }

    /// A grid whose last dim holds no whole point is an error.
    #[test]
    fn partial_points_are_an_error() {
        let hw = Hardware::of(Card::P150);
        let inputs = [
            rm(&[1, 48, 160, 256], MemoryConfig::L1_INTERLEAVED),
            rm(&[1, 1, 1408, 5], MemoryConfig::DRAM_INTERLEAVED),
        ];
        let params = [OpParam::new("use_precomputed_grid", ParamValue::Bool(true))];
        let cx = Ctx::new(
            Op::GridSample,
            hw,
            QueryParams::ByName(&params),
            &inputs,
            None,
            hw.compute_grid,
        )
        .unwrap();
        assert!(features(&cx).is_err());
    }
}
