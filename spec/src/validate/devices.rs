//! `devices/<device>.toml`: one chip generation's hardware figures and its cards.

use super::{Parsed, Validator, is_snake_ident, positive};
use crate::schema::{CardFile, DeviceFile, Grid};
use crate::{Card, DTYPE, Device, MATH_FIDELITY, SharedEnum, SpecError};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// Largest grid dimension the runtime tables can hold.
const MAX_GRID_DIM: u32 = 255;

impl Validator {
    fn grid<T>(&mut self, p: &Parsed<T>, span: Range<usize>, key: &str, g: Grid) -> bool {
        self.check(
            (1..=MAX_GRID_DIM).contains(&g.x) && (1..=MAX_GRID_DIM).contains(&g.y),
            p,
            span,
            key,
            || {
                format!(
                    "grid {{ x = {}, y = {} }} must have both sides in 1..={MAX_GRID_DIM}",
                    g.x, g.y
                )
            },
        )
    }

    fn positive<T>(&mut self, p: &Parsed<T>, v: &Spanned<f64>, key: &str) -> bool {
        let x = *v.get_ref();
        self.check(positive(x), p, v.span(), key, || {
            format!("is {x}; it must be a finite number above 0")
        })
    }

    pub(super) fn device(&mut self, p: &Parsed<DeviceFile>) -> Option<Device> {
        let f = &p.file;
        let before = self.errors.len();
        self.name_matches_stem(p, &f.name, "name");
        for a in &f.aliases {
            self.check(
                !a.get_ref().trim().is_empty(),
                p,
                a.span(),
                "aliases",
                || "an alias must not be empty".into(),
            );
        }
        self.positive(p, &f.clock_mhz, "clock_mhz");
        self.grid(p, f.full_grid.span(), "full_grid", *f.full_grid.get_ref());
        let l1 = *f.l1_bytes_per_core.get_ref();
        self.check(
            l1 > 0,
            p,
            f.l1_bytes_per_core.span(),
            "l1_bytes_per_core",
            || "must be above 0".into(),
        );
        let reserved = *f.l1_reserved_bytes.get_ref();
        self.check(
            reserved < l1,
            p,
            f.l1_reserved_bytes.span(),
            "l1_reserved_bytes",
            || format!("is {reserved}; it must be below l1_bytes_per_core ({l1})"),
        );
        let launch = *f.launch_overhead_ns.get_ref();
        self.check(
            launch.is_finite() && launch >= 0.0,
            p,
            f.launch_overhead_ns.span(),
            "launch_overhead_ns",
            || format!("is {launch}; it must be a finite number of ns, 0 or more"),
        );

        let noc = &f.noc;
        self.positive(p, &noc.link_bytes_per_cycle, "noc.link_bytes_per_cycle");
        self.positive(
            p,
            &noc.sustained_bytes_per_cycle,
            "noc.sustained_bytes_per_cycle",
        );
        let link = *noc.link_bytes_per_cycle.get_ref();
        self.check(
            *noc.sustained_bytes_per_cycle.get_ref() <= link,
            p,
            noc.sustained_bytes_per_cycle.span(),
            "noc.sustained_bytes_per_cycle",
            || format!("exceeds noc.link_bytes_per_cycle = {link}: sustained cannot beat nominal"),
        );
        self.positive(
            p,
            &noc.core_read_latency_cycles,
            "noc.core_read_latency_cycles",
        );
        self.positive(p, &f.riscv_l1_store_cycles, "riscv_l1_store_cycles");
        self.positive(p, &f.riscv_l1_load_cycles, "riscv_l1_load_cycles");
        self.positive(p, &f.nd_page_address_cycles, "nd_page_address_cycles");
        self.positive(
            p,
            &f.unpack_untilize_tile_cycles,
            "unpack_untilize_tile_cycles",
        );
        for (v, key) in [
            (&noc.dram_alignment_bytes, "noc.dram_alignment_bytes"),
            (&noc.l1_alignment_bytes, "noc.l1_alignment_bytes"),
        ] {
            let bytes = *v.get_ref();
            self.check(bytes.is_power_of_two(), p, v.span(), key, || {
                format!("is {bytes}; an alignment is a power of two bytes")
            });
        }
        let dram = &f.dram_access;
        self.positive(
            p,
            &dram.read_latency_cycles,
            "dram_access.read_latency_cycles",
        );
        self.positive(
            p,
            &dram.core_bytes_per_cycle,
            "dram_access.core_bytes_per_cycle",
        );
        self.positive(p, &dram.read_issue_cycles, "dram_access.read_issue_cycles");
        self.positive(
            p,
            &dram.write_issue_cycles,
            "dram_access.write_issue_cycles",
        );
        self.positive(
            p,
            &dram.endpoint_read_cycles,
            "dram_access.endpoint_read_cycles",
        );
        self.positive(p, &noc.write_issue_cycles, "noc.write_issue_cycles");
        self.positive(
            p,
            &noc.write_round_trip_cycles,
            "noc.write_round_trip_cycles",
        );
        self.check(
            *dram.core_bytes_per_cycle.get_ref() <= link,
            p,
            dram.core_bytes_per_cycle.span(),
            "dram_access.core_bytes_per_cycle",
            || format!("exceeds noc.link_bytes_per_cycle = {link}: a core reads DRAM over the NoC"),
        );
        self.positive(
            p,
            &f.unpacker.tilize_rows_call_cycles,
            "unpacker.tilize_rows_call_cycles",
        );
        self.positive(
            p,
            &f.packer.interface_bytes_per_cycle,
            "packer.interface_bytes_per_cycle",
        );
        let ethernet = f.ethernet.as_ref().map(|e| {
            self.positive(p, &e.link_gbps, "ethernet.link_gbps");
            self.positive(p, &e.fabric_gb_s, "ethernet.fabric_gb_s");
            self.positive(p, &e.hop_latency_ns, "ethernet.hop_latency_ns");
            let (line, fabric) = (*e.link_gbps.get_ref(), *e.fabric_gb_s.get_ref());
            self.check(
                fabric * 8.0 <= line,
                p,
                e.fabric_gb_s.span(),
                "ethernet.fabric_gb_s",
                || format!("exceeds ethernet.link_gbps = {line} Gb/s: the fabric cannot beat the line rate"),
            );
            crate::Ethernet {
                link_gbps: line,
                fabric_gb_s: fabric,
                hop_latency_ns: *e.hop_latency_ns.get_ref(),
            }
        });
        let curve = noc.small_transfer.get_ref();
        let sorted = curve.windows(2).all(|w| w[0].bytes < w[1].bytes);
        let sane = curve
            .iter()
            .all(|t| t.bytes > 0 && positive(t.bytes_per_cycle) && t.bytes_per_cycle <= link);
        self.check(
            !curve.is_empty() && sorted && sane,
            p,
            noc.small_transfer.span(),
            "noc.small_transfer",
            || {
                format!(
                    "needs at least one point, bytes strictly ascending and above 0, \
                     bytes_per_cycle above 0 and at most noc.link_bytes_per_cycle = {link}"
                )
            },
        );

        let me = &f.matrix_engine;
        let cycles = self.per_value(
            p,
            &me.tile_cycles,
            "matrix_engine.tile_cycles",
            &MATH_FIDELITY,
        );
        let ascending = cycles.windows(2).all(|w| w[0] <= w[1]);
        self.check(
            ascending,
            p,
            me.tile_cycles.span(),
            "matrix_engine.tile_cycles",
            || "must not decrease from lofi to hifi4: each fidelity phase adds cycles".into(),
        );
        let rows = *me.rows_per_pass.get_ref();
        self.check(
            (1..=32).contains(&rows),
            p,
            me.rows_per_pass.span(),
            "matrix_engine.rows_per_pass",
            || format!("is {rows}; it must be in 1..=32 (a tile has 32 rows)"),
        );

        let tile_bytes = self.per_value(p, &f.tile_bytes, "tile_bytes", &DTYPE);

        let cards = self.cards(p, *f.full_grid.get_ref());
        if self.errors.len() > before {
            return None;
        }
        let (cards, default_card) = cards?;
        Some(Device {
            name: f.name.get_ref().clone(),
            aliases: f.aliases.iter().map(|a| a.get_ref().clone()).collect(),
            clock_mhz: *f.clock_mhz.get_ref(),
            full_grid: (f.full_grid.get_ref().x, f.full_grid.get_ref().y),
            l1_bytes_per_core: l1,
            l1_reserved_bytes: reserved,
            launch_overhead_ns: launch,
            noc_link_bytes_per_cycle: link,
            noc_sustained_bytes_per_cycle: *noc.sustained_bytes_per_cycle.get_ref(),
            noc_core_read_latency_cycles: *noc.core_read_latency_cycles.get_ref(),
            riscv_l1_store_cycles: *f.riscv_l1_store_cycles.get_ref(),
            riscv_l1_load_cycles: *f.riscv_l1_load_cycles.get_ref(),
            nd_page_address_cycles: *f.nd_page_address_cycles.get_ref(),
            unpack_untilize_tile_cycles: *f.unpack_untilize_tile_cycles.get_ref(),
            dram_alignment_bytes: *noc.dram_alignment_bytes.get_ref(),
            l1_alignment_bytes: *noc.l1_alignment_bytes.get_ref(),
            staged_row_major_shard_reads: *noc.staged_row_major_shard_reads.get_ref(),
            noc_small_transfer: curve.iter().map(|t| (t.bytes, t.bytes_per_cycle)).collect(),
            dram_read_latency_cycles: *dram.read_latency_cycles.get_ref(),
            dram_core_bytes_per_cycle: *dram.core_bytes_per_cycle.get_ref(),
            unpack_tilize_rows_cycles: *f.unpacker.tilize_rows_call_cycles.get_ref(),
            packer_bytes_per_cycle: *f.packer.interface_bytes_per_cycle.get_ref(),
            dram_read_issue_cycles: *dram.read_issue_cycles.get_ref(),
            dram_write_issue_cycles: *dram.write_issue_cycles.get_ref(),
            dram_endpoint_read_cycles: *dram.endpoint_read_cycles.get_ref(),
            noc_write_issue_cycles: *noc.write_issue_cycles.get_ref(),
            noc_write_round_trip_cycles: *noc.write_round_trip_cycles.get_ref(),
            ethernet,
            tile_cycles: cycles,
            rows_per_pass: rows,
            tile_bytes,
            cards,
            default_card,
        })
    }

    /// A table of a figure per value of a shared enum (`tile_bytes`, one per data type): each
    /// value listed once and above 0, no other key. The figures in the enum's order (0 for
    /// one missing, which is an error).
    fn per_value(
        &mut self,
        p: &Parsed<DeviceFile>,
        table: &Spanned<BTreeMap<String, Spanned<u32>>>,
        key: &str,
        e: &SharedEnum,
    ) -> Vec<u32> {
        let spellings = || e.names().collect::<Vec<_>>().join(", ");
        for (name, x) in table.get_ref() {
            let known = e.position(name).is_some();
            self.check(known, p, x.span(), &format!("{key}.{name}"), || {
                format!("`{name}` is not a {}; list each of {}", e.name, spellings())
            });
            self.check(
                *x.get_ref() > 0 || !known,
                p,
                x.span(),
                &format!("{key}.{name}"),
                || "must be above 0".into(),
            );
        }
        e.names()
            .map(|name| match table.get_ref().get(name) {
                Some(x) => *x.get_ref(),
                None => {
                    self.check(false, p, table.span(), key, || {
                        format!("missing `{name}`: list each of {}", spellings())
                    });
                    0
                }
            })
            .collect()
    }

    /// The cards sorted by name and the index of the default one; `None` unless exactly one
    /// is the default.
    fn cards(&mut self, p: &Parsed<DeviceFile>, full: Grid) -> Option<(Vec<Card>, usize)> {
        let f = &p.file;
        let whole = 0..0;
        let defaults = f.cards.iter().filter(|c| c.get_ref().default).count();
        self.check(defaults == 1, p, whole.clone(), "cards", || {
            format!(
                "{defaults} cards are marked `default = true`; mark exactly one \
                 (the card a manager uses when only the device is named)"
            )
        });
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (i, c) in f.cards.iter().enumerate() {
            let span = c.span();
            let c: &CardFile = c.get_ref();
            let key = format!("cards[{i}]");
            self.check(is_snake_ident(&c.name), p, span.clone(), &key, || {
                format!("name `{}` is not a snake_case name", c.name)
            });
            self.check(seen.insert(c.name.clone()), p, span.clone(), &key, || {
                format!("card `{}` is listed twice", c.name)
            });
            let g = c.compute_grid;
            if self.grid(p, span.clone(), &format!("{key}.compute_grid"), g) {
                self.check(g.x <= full.x && g.y <= full.y, p, span.clone(), &key, || {
                    format!(
                        "compute_grid {{ x = {}, y = {} }} does not fit in full_grid {{ x = {}, y = {} }}",
                        g.x, g.y, full.x, full.y
                    )
                });
            }
            self.check(c.dram_channels > 0, p, span.clone(), &key, || {
                "dram_channels must be above 0".into()
            });
            self.check(positive(c.dram_peak_gb_s), p, span.clone(), &key, || {
                format!("dram_peak_gb_s is {}; it must be above 0", c.dram_peak_gb_s)
            });
            for (frac, name) in [
                (c.dram_achievable_fraction, "dram_achievable_fraction"),
                (c.dram_bank_reader_fraction, "dram_bank_reader_fraction"),
                (c.dram_write_fraction, "dram_write_fraction"),
            ] {
                self.check(frac > 0.0 && frac <= 1.0, p, span.clone(), &key, || {
                    format!("{name} is {frac}; it must be in (0, 1]")
                });
            }
            out.push((
                c.default,
                Card {
                    name: c.name.clone(),
                    compute_grid: (g.x, g.y),
                    dram_channels: c.dram_channels,
                    dram_peak_gb_s: c.dram_peak_gb_s,
                    dram_achievable_fraction: c.dram_achievable_fraction,
                    dram_bank_reader_fraction: c.dram_bank_reader_fraction,
                    dram_write_fraction: c.dram_write_fraction,
                },
            ));
        }
        out.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        let default = out.iter().position(|(default, _)| *default)?;
        Some((out.into_iter().map(|(_, c)| c).collect(), default))
    }

    /// Device names and aliases share the runtime's string map, so each string may name one
    /// device only.
    pub(super) fn unique_device_names(&mut self, devices: &[Device]) {
        let mut device_names: BTreeMap<&str, &str> = BTreeMap::new();
        for d in devices {
            for n in std::iter::once(&d.name).chain(&d.aliases) {
                if let Some(prev) = device_names.insert(n, &d.name) {
                    if prev != d.name || n != &d.name {
                        self.errors.push(SpecError::new(
                            Path::new(&format!("devices/{}.toml", d.name)),
                            0,
                            "aliases",
                            format!("`{n}` already names device `{prev}`; a name may mean one device only"),
                        ));
                    }
                }
            }
        }
    }
}
