//! `HARDWARE`: the figures of each card, with those of its device.

use super::{camel, f64_lit, int_lit, usize_lit};
use crate::SpecSet;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn tokens(s: &SpecSet) -> TokenStream {
    let mut rows = Vec::new();
    for d in &s.devices {
        for c in &d.cards {
            let dev = camel(&d.name);
            let card = camel(&c.name);
            let clock = f64_lit(d.clock_mhz);
            let (fx, fy) = (int_lit(d.full_grid.0), int_lit(d.full_grid.1));
            let (cx, cy) = (int_lit(c.compute_grid.0), int_lit(c.compute_grid.1));
            let l1 = int_lit(d.l1_bytes_per_core);
            let l1_reserved = int_lit(d.l1_reserved_bytes);
            let launch = f64_lit(d.launch_overhead_ns);
            let ch = int_lit(c.dram_channels);
            let peak = f64_lit(c.dram_peak_gb_s);
            let frac = f64_lit(c.dram_achievable_fraction);
            let bank_frac = f64_lit(c.dram_bank_reader_fraction);
            let link = f64_lit(d.noc_link_bytes_per_cycle);
            let sus = f64_lit(d.noc_sustained_bytes_per_cycle);
            let core_latency = f64_lit(d.noc_core_read_latency_cycles);
            let store = f64_lit(d.riscv_l1_store_cycles);
            let load = f64_lit(d.riscv_l1_load_cycles);
            let nd_address = f64_lit(d.nd_page_address_cycles);
            let unpack_untilize = f64_lit(d.unpack_untilize_tile_cycles);
            let (dram_align, l1_align) = (
                int_lit(d.dram_alignment_bytes),
                int_lit(d.l1_alignment_bytes),
            );
            let staged_sticks = d.staged_row_major_shard_reads;
            let curve = d.noc_small_transfer.iter().map(|(b, bpc)| {
                let (b, bpc) = (int_lit(*b), f64_lit(*bpc));
                quote!((#b, #bpc))
            });
            let dram_latency = f64_lit(d.dram_read_latency_cycles);
            let dram_core = f64_lit(d.dram_core_bytes_per_cycle);
            let unpack_tilize = f64_lit(d.unpack_tilize_rows_cycles);
            let packer = f64_lit(d.packer_bytes_per_cycle);
            let dram_read_issue = f64_lit(d.dram_read_issue_cycles);
            let dram_write_issue = f64_lit(d.dram_write_issue_cycles);
            let dram_endpoint_read = f64_lit(d.dram_endpoint_read_cycles);
            let noc_write_issue = f64_lit(d.noc_write_issue_cycles);
            let noc_round_trip = f64_lit(d.noc_write_round_trip_cycles);
            let ethernet = match d.ethernet {
                Some(e) => {
                    let (line, fabric, hop) = (
                        f64_lit(e.link_gbps),
                        f64_lit(e.fabric_gb_s),
                        f64_lit(e.hop_latency_ns),
                    );
                    quote!(Some(Ethernet {
                        link_gbps: #line,
                        fabric_gb_s: #fabric,
                        hop_latency_ns: #hop,
                    }))
                }
                None => quote!(None),
            };
            let tc = d.tile_cycles.iter().map(|x| int_lit(*x));
            let rpp = int_lit(d.rows_per_pass);
            let tb = d.tile_bytes.iter().map(|x| int_lit(*x));
            // The reciprocals as `Hardware::cycles_per_ns` and `dram_bytes_per_ns` compute
            // their figures (the same IEEE operations), written exactly.
            let ns_cycle = f64_lit(1.0 / (d.clock_mhz / 1000.0));
            let ns_byte = f64_lit(1.0 / (c.dram_peak_gb_s * c.dram_achievable_fraction));
            let ns_write_byte = f64_lit(
                1.0 / (c.dram_peak_gb_s * c.dram_achievable_fraction * c.dram_write_fraction),
            );
            let write_frac = f64_lit(c.dram_write_fraction);
            rows.push(quote! {
                Hardware {
                    device: Device::#dev,
                    card: Card::#card,
                    clock_mhz: #clock,
                    full_grid: CoreGrid::new(#fx, #fy),
                    compute_grid: CoreGrid::new(#cx, #cy),
                    l1_bytes_per_core: #l1,
                    l1_reserved_bytes: #l1_reserved,
                    launch_overhead_ns: #launch,
                    dram_channels: #ch,
                    dram_peak_gb_s: #peak,
                    dram_achievable_fraction: #frac,
                    dram_bank_reader_fraction: #bank_frac,
                    dram_write_fraction: #write_frac,
                    noc_link_bytes_per_cycle: #link,
                    noc_sustained_bytes_per_cycle: #sus,
                    noc_core_read_latency_cycles: #core_latency,
                    riscv_l1_store_cycles: #store,
                    riscv_l1_load_cycles: #load,
                    nd_page_address_cycles: #nd_address,
                    unpack_untilize_tile_cycles: #unpack_untilize,
                    dram_alignment_bytes: #dram_align,
                    l1_alignment_bytes: #l1_align,
                    staged_row_major_shard_reads: #staged_sticks,
                    noc_small_transfer: &[#(#curve),*],
                    dram_read_latency_cycles: #dram_latency,
                    dram_core_bytes_per_cycle: #dram_core,
                    unpack_tilize_rows_cycles: #unpack_tilize,
                    packer_bytes_per_cycle: #packer,
                    dram_read_issue_cycles: #dram_read_issue,
                    dram_write_issue_cycles: #dram_write_issue,
                    dram_endpoint_read_cycles: #dram_endpoint_read,
                    noc_write_issue_cycles: #noc_write_issue,
                    noc_write_round_trip_cycles: #noc_round_trip,
                    ethernet: #ethernet,
                    tile_cycles: [#(#tc),*],
                    rows_per_pass: #rpp,
                    tile_bytes: [#(#tb),*],
                    ns_per_cycle: #ns_cycle,
                    ns_per_dram_byte: #ns_byte,
                    ns_per_dram_write_byte: #ns_write_byte,
                    noc_tile_rates: [0.0; DType::COUNT],
                }
                .with_noc_tile_rates()
            });
        }
    }
    let n = usize_lit(rows.len());
    quote! {
        /// Hardware figures per card, indexed by `Card as usize`.
        pub(crate) static HARDWARE: [Hardware; #n] = [#(#rows),*];
    }
}
