//! `ccl_roofline`: the multi-chip collectives, all-gather, reduce-scatter, all-reduce and
//! all-to-all, whose data crosses chip-to-chip Ethernet links through tt-metal's fabric.
//!
//! It reads the input tensor's bytes (this device's share: the slice an all-gather gathers,
//! the whole tensor a reduce-scatter, all-reduce or all-to-all splits in `ring_size` chunks),
//! its dtype's tile size (the tiles a reduction adds), the input's and output's memory (DRAM
//! or not), and the params `ring_size` (devices on the ring or line), `num_links` (links
//! between neighbours, each direction) and `topology` (ring or linear). The output's shape is
//! not read: a reduce-scatter's first profiled output is its intermediate buffer, and the
//! params say how large the output is. The gathered or scattered dim changes where pages
//! land, not how many bytes cross a link.
//!
//! What crosses the links (tt-metal `ttnn/cpp/ttnn/operations/experimental/ccl/
//! all_gather_async/device/all_gather_async_program_minimal_variants.cpp`: per link, one
//! worker and one fabric mux core each direction; a worker multicasts its slice down the line,
//! `get_forward_backward_line_mcast_distance`, and each fabric router passes it on), in
//! chunks: the input's bytes for an all-gather, its `1/ring_size` for the others. With `N`
//! devices, the busiest link direction carries:
//!
//! * **all-gather**: every slice from the devices behind it: `N - 1` on a line (the link into
//!   an end device carries all the others'), `ceil((N - 1) / 2)` on a ring (each slice goes
//!   half-way round each way).
//! * **reduce-scatter**: a partial sum for each device ahead of it: `N - 1` chunks on a line,
//!   `(N - 1) / 2` on a ring (each chunk reduced half each way).
//! * **all-reduce**: a reduce-scatter then an all-gather of the chunks (tt-metal
//!   `ccl/all_reduce/`, the composite): both volumes.
//! * **all-to-all**: chunk `j` of every device goes to device `j`: the middle link of a line
//!   carries `floor(N / 2) * ceil(N / 2)` chunks, a ring's link `F (F + 1) / 2` with
//!   `F = ceil((N - 1) / 2)`, the farthest a chunk goes one way.
//!
//! Those bytes are spread over `num_links` links, each at tt-metal's measured fabric rate per
//! link and direction (the device spec's `[ethernet] fabric_gb_s`: its EDM bandwidth test with
//! 4 KiB packets; `ethernet_scale`). The last packet also travels the longest path: `N - 1`
//! hops on a line, `ceil((N - 1) / 2)` on a ring (twice for an all-reduce), each at the
//! published hop latency (`hop_scale`). DRAM (`dram_scale`): the input read once and the
//! output written once when they live there, at the card's bandwidth. A reduce-scatter's (and
//! all-reduce's) sums: `N - 1` chunks' tiles added on each device, over its `2 * num_links`
//! workers, one matrix-engine pass at LoFi per tile (`reduce_scale`).
//!
//! It assumes the busiest link bounds every device (they synchronise through semaphores), that
//! links, DRAM and the reduction overlap, and one worker per link and direction (tt-metal's
//! default `num_workers_per_link`). A device without Ethernet (Grayskull) is an error.

use crate::MathFidelity;
use crate::error::Error;
use crate::generated::op_params::{all_gather, all_reduce, all_to_all, reduce_scatter};
use crate::generated::{CclRooflineFeatures, OpParams};
use crate::model::{Ctx, ceil_div, max};

/// The collectives this family models.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    AllGather,
    ReduceScatter,
    AllReduce,
    AllToAll,
}

/// The kind, `ring_size`, `num_links` and whether the devices form a ring.
const fn shape_of(cx: &Ctx<'_>) -> Result<(Kind, u64, u64, bool), Error> {
    Ok(match cx.params {
        OpParams::AllGather(p) => (
            Kind::AllGather,
            p.ring_size as u64,
            p.num_links as u64,
            matches!(p.topology, all_gather::Topology::Ring),
        ),
        OpParams::ReduceScatter(p) => (
            Kind::ReduceScatter,
            p.ring_size as u64,
            p.num_links as u64,
            matches!(p.topology, reduce_scatter::Topology::Ring),
        ),
        OpParams::AllReduce(p) => (
            Kind::AllReduce,
            p.ring_size as u64,
            p.num_links as u64,
            matches!(p.topology, all_reduce::Topology::Ring),
        ),
        OpParams::AllToAll(p) => (
            Kind::AllToAll,
            p.ring_size as u64,
            p.num_links as u64,
            matches!(p.topology, all_to_all::Topology::Ring),
        ),
        _ => return Err(cx.foreign_params()),
    })
}

/// Bytes the busiest link direction carries, over all of its links, for chunks of `chunk`
/// bytes among `n` devices (see the module docs).
const fn busiest_direction_bytes(kind: Kind, n: u64, ring: bool, chunk: u64) -> u64 {
    let others = n.saturating_sub(1);
    // The farthest a chunk goes one way round a ring.
    let half = ceil_div(others, 2);
    let gather = if ring { half } else { others };
    match kind {
        Kind::AllGather => gather.saturating_mul(chunk),
        Kind::ReduceScatter => scatter_bytes(others, ring, chunk),
        Kind::AllReduce => {
            let ag = gather.saturating_mul(chunk);
            ag.saturating_add(scatter_bytes(others, ring, chunk))
        }
        Kind::AllToAll => {
            let chunks = if ring {
                half.saturating_mul(half + 1) / 2
            } else {
                (n / 2).saturating_mul(ceil_div(n, 2))
            };
            chunks.saturating_mul(chunk)
        }
    }
}

/// A reduce-scatter's busiest direction: `others` chunks on a line, half of them on a ring.
const fn scatter_bytes(others: u64, ring: bool, chunk: u64) -> u64 {
    let bytes = others.saturating_mul(chunk);
    if ring { ceil_div(bytes, 2) } else { bytes }
}

/// Hops of the longest path a packet travels.
const fn longest_path_hops(kind: Kind, n: u64, ring: bool) -> u64 {
    let others = n.saturating_sub(1);
    let one_phase = if ring { ceil_div(others, 2) } else { others };
    match kind {
        Kind::AllReduce => one_phase.saturating_mul(2),
        _ => one_phase,
    }
}

// Inlined into its generated out-of-line copy, which the query and `Family::features` call.
#[inline(always)]
pub const fn features(cx: &Ctx<'_>) -> Result<CclRooflineFeatures, Error> {
    let (kind, n, links, ring) = match shape_of(cx) {
        Ok(s) => s,
        Err(e) => return Err(e),
    };
    let Some(eth) = cx.hw.ethernet else {
        return Err(cx.not_modeled("a collective on a device without Ethernet links"));
    };
    let x = &cx.inputs[0];
    let overflow = Error::Overflow {
        what: "bytes a collective moves",
    };
    let input = some_or!(x.bytes(cx.hw), overflow);
    let n = max(n, 1);
    // This device's share that crosses the links, and what it writes.
    let (chunk, written) = match kind {
        Kind::AllGather => (input, input.saturating_mul(n)),
        Kind::ReduceScatter => (ceil_div(input, n), ceil_div(input, n)),
        Kind::AllReduce | Kind::AllToAll => (ceil_div(input, n), input),
    };
    let per_link = ceil_div(busiest_direction_bytes(kind, n, ring, chunk), max(links, 1));
    let hops = longest_path_hops(kind, n, ring);
    let output_in_dram = match cx.output {
        Some(y) => y.memory.is_dram(),
        None => x.memory.is_dram(),
    };
    let read = if x.memory.is_dram() { input } else { 0 };
    let stored = if output_in_dram { written } else { 0 };
    // The sums: `n - 1` chunks' tiles added on each device, over its workers.
    let reduce_ns = match kind {
        Kind::ReduceScatter | Kind::AllReduce => {
            let tile = max(cx.hw.tile_bytes(x.dtype) as u64, 1);
            let tiles = ceil_div(chunk, tile).saturating_mul(n - 1);
            let per_worker = ceil_div(tiles, 2 * max(links, 1));
            cx.cycles_to_ns(per_worker as f64 * cx.hw.tile_cycles(MathFidelity::LoFi) as f64)
        }
        Kind::AllGather | Kind::AllToAll => 0.0,
    };
    Ok(CclRooflineFeatures {
        overhead_cycles: cx.cycles_to_ns(1.0),
        hop_scale: hops as f64 * eth.hop_latency_ns,
        ethernet_scale: eth.fabric_ns(per_link),
        dram_scale: cx.dram_traffic_ns(read, stored),
        reduce_scale: reduce_ns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Card, DType, Hardware, MemoryConfig, Op, OpParam, ParamValue, QueryParams};
    use crate::tensor::TensorParams;

    fn features_of(op: Op, card: Card, x: TensorParams, params: &[OpParam<'_>]) -> CclRooflineFeatures {
        let hw = Hardware::of(card);
        let inputs = [x];
        let cx = Ctx::new(op, hw, QueryParams::ByName(params), &inputs, None, hw.compute_grid)
            .unwrap();
        features(&cx).unwrap()
    }

    fn line(n: i64, links: i64) -> [OpParam<'static>; 3] {
        [
            OpParam::new("ring_size", ParamValue::Int(n)),
            OpParam::new("num_links", ParamValue::Int(links)),
            OpParam::new("topology", ParamValue::Enum("linear")),
        ]
    }

    fn dram(dims: &[u32]) -> TensorParams {
        TensorParams::tiled(dims, DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED)
    }

    /// DeepSeek's all-gather on a line of 4 p150s over 2 links: a 3200x384 bfloat16 slice
    /// (2,457,600 B); the link into an end device carries the 3 others' slices, 7,372,800 B,
    /// 3,686,400 B per link: 213.7 µs at 17.25 GB/s (the trace measured 186-214 µs). 3 hops of
    /// 650 ns. DRAM: the slice read, the 4 slices written (9,830,400 B).
    #[test]
    fn line_all_gather_by_hand() {
        let f = features_of(Op::AllGather, Card::P150, dram(&[1, 1, 3200, 384]), &line(4, 2));
        assert!((f.ethernet_scale - 3_686_400.0 / 17.25).abs() < 1e-6);
        assert!((f.ethernet_scale - 213_704.3).abs() < 1.0);
        assert_eq!(f.hop_scale, 3.0 * 650.0);
        let hw = Hardware::of(Card::P150);
        let dram = 2_457_600.0 * hw.ns_per_dram_byte + 9_830_400.0 * hw.ns_per_dram_write_byte;
        assert!((f.dram_scale - dram).abs() < 1e-6);
        assert_eq!(f.reduce_scale, 0.0);
    }

    /// DeepSeek's reduce-scatter of a 3200x1536 bfloat16 tensor on the same line: chunks of
    /// 3200x384 (2,457,600 B, 1200 tiles); the same 3 chunks per direction as the all-gather's
    /// slices. Sums: 3 x 1200 tiles over 4 workers, 900 each, 16 cycles at 1.35 GHz: 10.67 µs.
    #[test]
    fn line_reduce_scatter_by_hand() {
        let x = dram(&[1, 1, 3200, 1536]);
        let f = features_of(Op::ReduceScatter, Card::P150, x, &line(4, 2));
        assert!((f.ethernet_scale - 3_686_400.0 / 17.25).abs() < 1e-6);
        assert!((f.reduce_scale - 900.0 * 16.0 / 1.35).abs() < 1e-6);
        let ag = features_of(Op::AllGather, Card::P150, dram(&[1, 1, 3200, 384]), &line(4, 2));
        assert_eq!(f.ethernet_scale, ag.ethernet_scale);
    }

    /// On a ring of 8 Wormholes, an all-gather's slices go at most 4 hops one way: 4 slices per
    /// link direction instead of 7 on a line; a reduce-scatter's chunks split half each way
    /// (3.5 chunks); an all-reduce does both.
    #[test]
    fn ring_halves_the_path() {
        let ring = [
            OpParam::new("ring_size", ParamValue::Int(8)),
            OpParam::new("topology", ParamValue::Enum("ring")),
        ];
        let slice = dram(&[1, 1, 1024, 1024]); // 2 MiB
        let mib2 = 2_097_152.0;
        let ag = features_of(Op::AllGather, Card::N150, slice, &ring);
        assert!((ag.ethernet_scale - 4.0 * mib2 / 11.78).abs() < 1e-6);
        assert_eq!(ag.hop_scale, 4.0 * 650.0);
        let full = dram(&[1, 1, 8192, 1024]); // 16 MiB: 2 MiB chunks
        let rs = features_of(Op::ReduceScatter, Card::N150, full, &ring);
        assert!((rs.ethernet_scale - 3.5 * mib2 / 11.78).abs() < 1e-6);
        let ar = features_of(Op::AllReduce, Card::N150, full, &ring);
        assert!((ar.ethernet_scale - 7.5 * mib2 / 11.78).abs() < 1e-6);
        assert_eq!(ar.hop_scale, 8.0 * 650.0);
        let lined = features_of(Op::AllGather, Card::N150, slice, &line(8, 1));
        assert!((lined.ethernet_scale - 7.0 * mib2 / 11.78).abs() < 1e-6);
    }

    /// An all-to-all of 4 chunks on a line of 4: the middle link carries 2 x 2 chunks one way
    /// (devices 0 and 1 each send to 2 and 3); on a ring of 4 a chunk goes at most 2 hops one
    /// way: 1 + 2 = 3 chunks per link direction.
    #[test]
    fn all_to_all_loads_the_middle_link() {
        let x = dram(&[1, 1, 2048, 1024]); // 4 MiB: 1 MiB chunks
        let mib = 1_048_576.0;
        let f = features_of(Op::AllToAll, Card::P150, x, &line(4, 1));
        assert!((f.ethernet_scale - 4.0 * mib / 17.25).abs() < 1e-6);
        let ring = [
            OpParam::new("ring_size", ParamValue::Int(4)),
            OpParam::new("topology", ParamValue::Enum("ring")),
        ];
        let r = features_of(Op::AllToAll, Card::P150, x, &ring);
        assert!((r.ethernet_scale - 3.0 * mib / 17.25).abs() < 1e-6);
    }

    /// More links split the same bytes; one device moves nothing.
    #[test]
    fn links_split_and_one_device_moves_nothing() {
        let x = dram(&[1, 1, 1024, 1024]);
        let one = features_of(Op::AllGather, Card::P150, x, &line(4, 1));
        let two = features_of(Op::AllGather, Card::P150, x, &line(4, 2));
        assert!((one.ethernet_scale - 2.0 * two.ethernet_scale).abs() < 1e-6);
        let alone = features_of(Op::AllGather, Card::P150, x, &line(1, 1));
        assert_eq!((alone.ethernet_scale, alone.hop_scale), (0.0, 0.0));
    }

    /// Grayskull has no Ethernet: an error, not a number.
    #[test]
    fn no_ethernet_is_an_error() {
        let hw = Hardware::of(Card::E150);
        let inputs = [dram(&[1, 1, 1024, 1024])];
        let params = line(4, 1);
        let cx = Ctx::new(
            Op::AllGather,
            hw,
            QueryParams::ByName(&params),
            &inputs,
            None,
            hw.compute_grid,
        )
        .unwrap();
        assert!(matches!(features(&cx), Err(Error::ModeNotModeled { .. })));
    }
}
