//! Reading and validating a spec tree: parse every file, check each on its own, then check the
//! references between files. All problems are collected so one build shows every mistake.

use crate::error::LineIndex;
use crate::schema::{
    AccuracyFile, CardFile, DeviceFile, FamilyFile, Grid, ModelFile, OpFile, OpParamFile,
    ParamType, VersionFile,
};
use crate::{
    Accuracy, Card, DTYPES, Device, FIDELITIES, FIXED_COST_PARAM, Family, FamilyParam, LAYOUTS,
    Model, Op, OpParam, OpParamKind, ParamDefault, SpecError, SpecErrors, SpecSet, Version,
};
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Folders of `model_specs/` that are not device model folders.
const RESERVED_DIRS: [&str; 3] = ["devices", "ops", "families"];

/// Largest grid dimension, rank and operand count the runtime tables can hold.
const MAX_GRID_DIM: u32 = 255;
const MAX_RANK: u32 = 8;
const MAX_INPUTS: u32 = 8;

/// Reads and validates the spec tree under `root` (the `model_specs` folder).
pub fn load_dir(root: &Path) -> Result<SpecSet, SpecErrors> {
    let mut v = Validator::default();
    let device_files = toml_files(&root.join("devices"), &mut v);
    let op_files = toml_files(&root.join("ops"), &mut v);
    let family_files = toml_files(&root.join("families"), &mut v);
    let known = Known {
        devices: stems(&device_files),
        ops: stems(&op_files),
        families: stems(&family_files),
    };
    let devices: Vec<_> = device_files
        .into_iter()
        .filter_map(|p| v.parse::<DeviceFile>(p))
        .collect();
    let ops: Vec<_> = op_files
        .into_iter()
        .filter_map(|p| v.parse::<OpFile>(p))
        .collect();
    let families: Vec<_> = family_files
        .into_iter()
        .filter_map(|p| v.parse::<FamilyFile>(p))
        .collect();
    let mut models = Vec::new();
    for dir in sub_dirs(root, &mut v) {
        let reserved = dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| RESERVED_DIRS.contains(&n));
        if !reserved {
            for p in toml_files(&dir, &mut v) {
                models.extend(v.parse::<ModelFile>(p));
            }
        }
    }

    let devices: Vec<Device> = devices.iter().filter_map(|f| v.device(f)).collect();
    let ops: Vec<Op> = ops.iter().filter_map(|f| v.op(f)).collect();
    let families: Vec<Family> = families
        .iter()
        .filter_map(|f| v.family(f, &known))
        .collect();
    v.unique_names(&devices, &ops);
    let mut models: Vec<Model> = models
        .iter()
        .filter_map(|f| v.model(f, &devices, &ops, &families, &known))
        .collect();
    models.sort_by(|a, b| (&a.device, &a.op).cmp(&(&b.device, &b.op)));

    if v.errors.is_empty() {
        Ok(SpecSet {
            devices,
            ops,
            families,
            models,
            files: v.files,
        })
    } else {
        Err(SpecErrors(v.errors))
    }
}

/// Names defined by a file, valid or not. References are checked against these, so one broken
/// file is reported once, not again by every file that names it.
struct Known {
    devices: BTreeSet<String>,
    ops: BTreeSet<String>,
    families: BTreeSet<String>,
}

fn stems(files: &[PathBuf]) -> BTreeSet<String> {
    files
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(String::from))
        .collect()
}

/// One parsed file with what is needed to point at its lines.
struct Parsed<T> {
    path: PathBuf,
    lines: LineIndex,
    file: T,
}

impl<T> Parsed<T> {
    fn stem(&self) -> &str {
        self.path.file_stem().and_then(|s| s.to_str()).unwrap_or("")
    }

    fn err(&self, span: Range<usize>, key: impl Into<String>, msg: impl Into<String>) -> SpecError {
        SpecError::new(&self.path, self.lines.line(span.start), key, msg)
    }
}

#[derive(Default)]
struct Validator {
    errors: Vec<SpecError>,
    files: Vec<PathBuf>,
}

fn is_snake_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn positive(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

fn toml_files(dir: &Path, v: &mut Validator) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect(),
        Err(e) => {
            v.errors.push(SpecError::new(
                dir,
                0,
                "",
                format!("cannot read this folder ({e}); every spec tree needs it"),
            ));
            Vec::new()
        }
    };
    out.sort();
    out
}

fn sub_dirs(root: &Path, v: &mut Validator) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(root) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => {
            v.errors.push(SpecError::new(
                root,
                0,
                "",
                format!("cannot read the spec folder ({e})"),
            ));
            Vec::new()
        }
    };
    out.sort();
    out
}

impl Validator {
    fn parse<T: DeserializeOwned>(&mut self, path: PathBuf) -> Option<Parsed<T>> {
        self.files.push(path.clone());
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                self.errors
                    .push(SpecError::new(&path, 0, "", format!("cannot read: {e}")));
                return None;
            }
        };
        let lines = LineIndex::new(&text);
        match toml::from_str::<T>(&text) {
            Ok(file) => Some(Parsed { path, lines, file }),
            Err(e) => {
                let line = e.span().map_or(0, |s| lines.line(s.start));
                let msg = e.message().trim().replace('\n', " ");
                let key = lines.key_of_line(line);
                self.errors.push(SpecError::new(&path, line, key, msg));
                None
            }
        }
    }

    /// Records an error when `ok` is false; returns `ok`.
    fn check<T>(
        &mut self,
        ok: bool,
        p: &Parsed<T>,
        span: Range<usize>,
        key: &str,
        msg: impl FnOnce() -> String,
    ) -> bool {
        if !ok {
            self.errors.push(p.err(span, key, msg()));
        }
        ok
    }

    fn name_matches_stem<T>(&mut self, p: &Parsed<T>, name: &Spanned<String>, key: &str) -> bool {
        let stem = p.stem().to_string();
        self.check(is_snake_ident(name.get_ref()), p, name.span(), key, || {
            format!(
                "`{}` is not a snake_case name: use lowercase letters, digits and `_`",
                name.get_ref()
            )
        }) && self.check(name.get_ref() == &stem, p, name.span(), key, || {
            format!(
                "says `{}` but the file is `{stem}.toml`: rename the file or the {key}",
                name.get_ref()
            )
        })
    }

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

    fn device(&mut self, p: &Parsed<DeviceFile>) -> Option<Device> {
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
        let cycles = [
            &me.tile_cycles.lofi,
            &me.tile_cycles.hifi2,
            &me.tile_cycles.hifi3,
            &me.tile_cycles.hifi4,
        ];
        for (c, name) in cycles.iter().zip(FIDELITIES) {
            self.check(
                *c.get_ref() > 0,
                p,
                c.span(),
                &format!("matrix_engine.tile_cycles.{name}"),
                || "must be above 0".into(),
            );
        }
        let ascending = cycles.windows(2).all(|w| w[0].get_ref() <= w[1].get_ref());
        self.check(
            ascending,
            p,
            me.tile_cycles.lofi.span(),
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

        let tb = &f.tile_bytes;
        let tile_bytes = [
            &tb.bfloat16,
            &tb.float32,
            &tb.bfloat8_b,
            &tb.bfloat4_b,
            &tb.uint8,
            &tb.uint16,
            &tb.uint32,
            &tb.int32,
        ];
        for (b, name) in tile_bytes.iter().zip(DTYPES) {
            self.check(
                *b.get_ref() > 0,
                p,
                b.span(),
                &format!("tile_bytes.{name}"),
                || "must be above 0".into(),
            );
        }

        let cards = self.cards(p, *f.full_grid.get_ref());
        if self.errors.len() > before {
            return None;
        }
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
            noc_small_transfer: curve.iter().map(|t| (t.bytes, t.bytes_per_cycle)).collect(),
            tile_cycles: cycles.map(|c| *c.get_ref()),
            rows_per_pass: rows,
            tile_bytes: tile_bytes.map(|b| *b.get_ref()),
            cards,
        })
    }

    fn cards(&mut self, p: &Parsed<DeviceFile>, full: Grid) -> Vec<Card> {
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
            let frac = c.dram_achievable_fraction;
            self.check(frac > 0.0 && frac <= 1.0, p, span.clone(), &key, || {
                format!("dram_achievable_fraction is {frac}; it must be in (0, 1]")
            });
            out.push(Card {
                name: c.name.clone(),
                default: c.default,
                compute_grid: (g.x, g.y),
                dram_channels: c.dram_channels,
                dram_peak_gb_s: c.dram_peak_gb_s,
                dram_achievable_fraction: frac,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    fn op(&mut self, p: &Parsed<OpFile>) -> Option<Op> {
        let f = &p.file;
        let before = self.errors.len();
        self.name_matches_stem(p, &f.op, "op");
        self.check(!f.op_codes.is_empty(), p, f.op.span(), "op_codes", || {
            "list at least one ttnn OP CODE (the name profiler traces use for this op)".into()
        });
        for c in &f.op_codes {
            let s = c.get_ref();
            self.check(
                !s.is_empty() && s.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'),
                p,
                c.span(),
                "op_codes",
                || format!("`{s}` is not an OP CODE: use the CamelCase name from the trace's `OP CODE` column"),
            );
        }
        let o = f.operands.get_ref();
        let span = f.operands.span();
        self.check(
            (1..=MAX_INPUTS).contains(&o.min_inputs)
                && (o.min_inputs..=MAX_INPUTS).contains(&o.max_inputs),
            p,
            span.clone(),
            "operands",
            || {
                format!(
                    "needs 1 <= min_inputs <= max_inputs <= {MAX_INPUTS}, found {} and {}",
                    o.min_inputs, o.max_inputs
                )
            },
        );
        self.check(
            (1..=MAX_RANK).contains(&o.min_rank),
            p,
            span.clone(),
            "operands.min_rank",
            || format!("is {}; it must be in 1..={MAX_RANK}", o.min_rank),
        );
        self.check(
            !o.layouts.is_empty() && o.layouts.iter().all(|l| LAYOUTS.contains(&l.as_str())),
            p,
            span,
            "operands.layouts",
            || {
                format!(
                    "must list one or more of {LAYOUTS:?}, found {:?}",
                    o.layouts
                )
            },
        );
        let params: Vec<OpParam> = f
            .params
            .iter()
            .filter_map(|(k, v)| self.op_param(p, k, v))
            .collect();
        if self.errors.len() > before {
            return None;
        }
        Some(Op {
            name: f.op.get_ref().clone(),
            summary: f.summary.clone(),
            op_codes: f.op_codes.iter().map(|c| c.get_ref().clone()).collect(),
            min_inputs: o.min_inputs,
            max_inputs: o.max_inputs,
            output_required: o.output_required,
            min_rank: o.min_rank,
            layouts: o.layouts.clone(),
            params,
        })
    }

    fn op_param(
        &mut self,
        p: &Parsed<OpFile>,
        key: &str,
        v: &Spanned<OpParamFile>,
    ) -> Option<OpParam> {
        let span = v.span();
        let v: &OpParamFile = v.get_ref();
        let k = format!("params.{key}");
        let before = self.errors.len();
        self.check(is_snake_ident(key), p, span.clone(), &k, || {
            "param keys are snake_case names".into()
        });
        let is_enum = v.kind == ParamType::Enum;
        self.check(is_enum != v.values.is_empty(), p, span.clone(), &k, || {
            if is_enum {
                "an enum param needs `values = [...]`".into()
            } else {
                "only enum params take `values`; remove it or set `type = \"enum\"`".into()
            }
        });
        let numeric = matches!(v.kind, ParamType::Int | ParamType::Float);
        self.check(
            numeric || (v.min.is_none() && v.max.is_none()),
            p,
            span.clone(),
            &k,
            || "only int and float params take `min` / `max`".into(),
        );
        let unique: BTreeSet<_> = v.values.iter().collect();
        self.check(
            unique.len() == v.values.len() && v.values.iter().all(|s| is_snake_ident(s)),
            p,
            span.clone(),
            &k,
            || "enum values must be unique snake_case names".into(),
        );
        let kind = match v.kind {
            ParamType::Bool => OpParamKind::Bool,
            ParamType::Enum => OpParamKind::Enum {
                values: v.values.clone(),
            },
            ParamType::Float => OpParamKind::Float {
                min: v.min.unwrap_or(f64::MIN),
                max: v.max.unwrap_or(f64::MAX),
            },
            ParamType::Int => {
                let whole = |x: Option<f64>| x.is_none_or(|x| x.fract() == 0.0 && x.abs() < 9.0e15);
                self.check(whole(v.min) && whole(v.max), p, span.clone(), &k, || {
                    "an int param's `min` and `max` must be whole numbers".into()
                });
                OpParamKind::Int {
                    min: v.min.map_or(i64::MIN, |x| x as i64),
                    max: v.max.map_or(i64::MAX, |x| x as i64),
                }
            }
        };
        let bounds_ok = match kind {
            OpParamKind::Float { min, max } => min.is_finite() && max.is_finite() && min <= max,
            OpParamKind::Int { min, max } => min <= max,
            _ => true,
        };
        self.check(bounds_ok, p, span.clone(), &k, || {
            "needs finite `min <= max`".into()
        });
        let default = v.default.as_ref().and_then(|d| {
            let parsed = parse_default(&kind, d);
            self.check(
                parsed.is_some(),
                p,
                span.clone(),
                &format!("{k}.default"),
                || {
                    format!(
                        "`{d}` is not a valid value of this param ({})",
                        describe_kind(&kind)
                    )
                },
            );
            parsed
        });
        if self.errors.len() > before {
            return None;
        }
        Some(OpParam {
            key: key.to_string(),
            summary: v.summary.clone(),
            kind,
            default,
        })
    }

    fn family(&mut self, p: &Parsed<FamilyFile>, known: &Known) -> Option<Family> {
        let f = &p.file;
        let before = self.errors.len();
        self.name_matches_stem(p, &f.family, "family");
        self.check(!f.ops.is_empty(), p, f.family.span(), "ops", || {
            "list the ops this family models".into()
        });
        for op in &f.ops {
            self.check(
                known.ops.contains(op.get_ref()),
                p,
                op.span(),
                "ops",
                || {
                    format!(
                        "unknown op `{}`; known ops: {}",
                        op.get_ref(),
                        names(known.ops.iter())
                    )
                },
            );
        }
        self.check(!f.params.is_empty(), p, f.family.span(), "params", || {
            "a family needs at least one fitted parameter under [params.<name>]".into()
        });
        for (name, fp) in &f.params {
            let k = format!("params.{name}");
            self.check(is_snake_ident(name), p, f.family.span(), &k, || {
                "parameter names are snake_case Rust field names".into()
            });
            self.check(
                fp.min.is_finite() && fp.max.is_finite() && fp.min <= fp.max,
                p,
                f.family.span(),
                &k,
                || format!("needs finite min <= max, found {} and {}", fp.min, fp.max),
            );
        }
        if self.errors.len() > before {
            return None;
        }
        Some(Family {
            name: f.family.get_ref().clone(),
            summary: f.summary.clone(),
            ops: f.ops.iter().map(|o| o.get_ref().clone()).collect(),
            params: f
                .params
                .iter()
                .map(|(n, fp)| FamilyParam {
                    name: n.clone(),
                    summary: fp.summary.clone(),
                    term: fp.term,
                    min: fp.min,
                    max: fp.max,
                })
                .collect(),
        })
    }

    /// Device names, aliases, op names and OP CODEs share the runtime's string maps, so each
    /// string may name one thing only.
    fn unique_names(&mut self, devices: &[Device], ops: &[Op]) {
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
        let mut op_names: BTreeMap<&str, &str> = BTreeMap::new();
        for o in ops {
            for n in std::iter::once(&o.name).chain(&o.op_codes) {
                if let Some(prev) = op_names.insert(n, &o.name) {
                    self.errors.push(SpecError::new(
                        Path::new(&format!("ops/{}.toml", o.name)),
                        0,
                        "op_codes",
                        format!("`{n}` already names op `{prev}`; an OP CODE may mean one op only"),
                    ));
                }
            }
        }
    }

    fn model(
        &mut self,
        p: &Parsed<ModelFile>,
        devices: &[Device],
        ops: &[Op],
        families: &[Family],
        known: &Known,
    ) -> Option<Model> {
        let f = &p.file;
        let before = self.errors.len();
        let dir = p
            .path
            .parent()
            .and_then(|d| d.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let device = f.device.get_ref();
        let known_device = self.check(known.devices.contains(device), p, f.device.span(), "device", || {
            format!(
                "unknown device `{device}`; known devices: {} (each is a file in model_specs/devices/)",
                names(known.devices.iter())
            )
        });
        if known_device {
            self.check(device == &dir, p, f.device.span(), "device", || {
                format!("says `{device}` but the file is in folder `{dir}/`: move the file or fix the device")
            });
        }
        let op = f.op.get_ref();
        let known_op = self.check(known.ops.contains(op), p, f.op.span(), "op", || {
            format!(
                "unknown op `{op}`; known ops: {} (each is a file in model_specs/ops/)",
                names(known.ops.iter())
            )
        });
        if known_op {
            self.name_matches_stem(p, &f.op, "op");
        }
        // A device or op whose own file is invalid was reported there; checking this file
        // against it would only repeat that error.
        let referenced_valid =
            devices.iter().any(|d| &d.name == device) && ops.iter().any(|o| &o.name == op);
        self.check(!f.versions.is_empty(), p, f.op.span(), "versions", || {
            "add at least one [[versions]] entry".into()
        });
        let mut seen = BTreeMap::new();
        let mut versions = Vec::new();
        for (i, v) in f.versions.iter().enumerate() {
            let number = *v.get_ref().version.get_ref();
            let key = format!("versions[{i}].version");
            let span = v.get_ref().version.span();
            if self.check(
                (1..=u16::MAX as u32).contains(&number),
                p,
                span.clone(),
                &key,
                || format!("is {number}; versions are numbered from 1 to {}", u16::MAX),
            ) {
                let first = seen.insert(number, p.lines.line(span.start));
                self.check(first.is_none(), p, span, &key, || {
                    format!(
                        "version {number} is already defined at line {}; give this one a new number",
                        first.unwrap_or(0)
                    )
                });
            }
            let launch = devices
                .iter()
                .find(|d| &d.name == device)
                .map(|d| d.launch_overhead_ns);
            let version = self.version(p, i, v.get_ref(), op, families, known);
            if let (Some(_), Some(launch)) = (&version, launch) {
                self.fixed_cost(p, i, v.get_ref(), launch);
            }
            versions.extend(version);
        }
        if self.errors.len() > before || !referenced_valid {
            return None;
        }
        versions.sort_by_key(|v| v.number);
        Some(Model {
            device: device.clone(),
            op: op.clone(),
            versions,
        })
    }

    /// A valid version's fixed cost ([`FIXED_COST_PARAM`]) against its device's launch
    /// overhead: their sum is what the smallest ops cost, so it must not be negative.
    fn fixed_cost(&mut self, p: &Parsed<ModelFile>, i: usize, v: &VersionFile, launch: f64) {
        let Some(value) = v.params.get_ref().get(FIXED_COST_PARAM) else {
            return;
        };
        let x = value
            .get_ref()
            .as_float()
            .or_else(|| value.get_ref().as_integer().map(|i| i as f64))
            .unwrap_or(0.0);
        let key = format!("versions[{i}].params.{FIXED_COST_PARAM}");
        self.check(launch + x >= 0.0, p, value.span(), &key, || {
            format!(
                "is {x}; with the device's launch_overhead_ns of {launch} the ops would cost {} \
                 ns before any work: make it -{launch} or more",
                launch + x
            )
        });
    }

    fn version(
        &mut self,
        p: &Parsed<ModelFile>,
        i: usize,
        v: &VersionFile,
        op: &str,
        families: &[Family],
        known: &Known,
    ) -> Option<Version> {
        let key = format!("versions[{i}]");
        let fam_name = v.family.get_ref();
        let Some(family) = families.iter().find(|f| &f.name == fam_name) else {
            // A family whose own file is invalid was reported there.
            self.check(known.families.contains(fam_name), p, v.family.span(), &format!("{key}.family"), || {
                format!(
                    "unknown formula family `{fam_name}`; known families: {} (each is a file in model_specs/families/)",
                    names(known.families.iter())
                )
            });
            return None;
        };
        let before = self.errors.len();
        // An unknown op was reported on its own line; a family that does not model the op
        // makes its parameter list meaningless, so neither goes further.
        if !known.ops.contains(op) {
            return None;
        }
        let models_op = self.check(family.ops.iter().any(|o| o == op), p, v.family.span(), &format!("{key}.family"), || {
            format!(
                "family `{fam_name}` does not model op `{op}` (it models {}); pick another family or add the op to its `ops`",
                names(family.ops.iter())
            )
        });
        if !models_op {
            return None;
        }
        let given = v.params.get_ref();
        for (name, value) in given {
            let pk = format!("{key}.params.{name}");
            if self.check(
                family.params.iter().any(|fp| &fp.name == name),
                p,
                value.span(),
                &pk,
                || {
                    format!(
                        "family `{fam_name}` has no parameter `{name}`; its parameters: {}",
                        names(family.params.iter().map(|fp| &fp.name))
                    )
                },
            ) {
                let fp = family.params.iter().find(|fp| &fp.name == name);
                let x = value
                    .get_ref()
                    .as_float()
                    .or_else(|| value.get_ref().as_integer().map(|i| i as f64));
                if let (Some(fp), Some(x)) = (fp, x) {
                    self.check(
                        x.is_finite() && x >= fp.min && x <= fp.max,
                        p,
                        value.span(),
                        &pk,
                        || {
                            format!(
                                "is {x}; family `{fam_name}` allows {} ..= {}",
                                fp.min, fp.max
                            )
                        },
                    );
                } else {
                    self.errors.push(p.err(
                        value.span(),
                        pk,
                        format!("`{}` is not a number", value.get_ref()),
                    ));
                }
            }
        }
        let missing: Vec<&str> = family
            .params
            .iter()
            .filter(|fp| !given.contains_key(&fp.name))
            .map(|fp| fp.name.as_str())
            .collect();
        self.check(
            missing.is_empty(),
            p,
            v.params.span(),
            &format!("{key}.params"),
            || {
                format!(
                    "missing {} required by family `{fam_name}`",
                    missing.join(", ")
                )
            },
        );
        let accuracy = v.accuracy.as_ref().and_then(|a| self.accuracy(p, &key, a));
        if self.errors.len() > before {
            return None;
        }
        Some(Version {
            number: *v.version.get_ref(),
            family: fam_name.clone(),
            summary: v.summary.clone(),
            params: family
                .params
                .iter()
                .map(|fp| {
                    let value = given[&fp.name].get_ref();
                    value
                        .as_float()
                        .unwrap_or_else(|| value.as_integer().unwrap_or(0) as f64)
                })
                .collect(),
            accuracy,
        })
    }

    fn accuracy(
        &mut self,
        p: &Parsed<ModelFile>,
        key: &str,
        a: &Spanned<AccuracyFile>,
    ) -> Option<Accuracy> {
        let span = a.span();
        let a = a.get_ref();
        let ok = a.median_ape.is_finite()
            && a.median_ape >= 0.0
            && a.p90_ape.is_finite()
            && a.p90_ape >= a.median_ape
            && a.rows > 0;
        self.check(ok, p, span, &format!("{key}.accuracy"), || {
            format!(
                "needs 0 <= median_ape <= p90_ape (fractions) and rows > 0, found {}, {}, {}",
                a.median_ape, a.p90_ape, a.rows
            )
        })
        .then(|| Accuracy {
            median_ape: a.median_ape,
            p90_ape: a.p90_ape,
            rows: a.rows,
            source: a.source.clone(),
            fitted_on: a
                .fitted_on
                .iter()
                .map(|f| (f.file.clone(), f.rows))
                .collect(),
        })
    }
}

fn names<'a>(it: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<&str> = it.map(|s| s.as_str()).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn describe_kind(kind: &OpParamKind) -> String {
    match kind {
        OpParamKind::Int { min, max } => format!("an integer in {min}..={max}"),
        OpParamKind::Float { min, max } => format!("a number in {min}..={max}"),
        OpParamKind::Bool => "true or false".into(),
        OpParamKind::Enum { values } => format!("one of {}", values.join(", ")),
    }
}

fn parse_default(kind: &OpParamKind, d: &toml::Value) -> Option<ParamDefault> {
    match kind {
        OpParamKind::Int { min, max } => d
            .as_integer()
            .filter(|x| (min..=max).contains(&x))
            .map(ParamDefault::Int),
        OpParamKind::Float { min, max } => d
            .as_float()
            .or_else(|| d.as_integer().map(|i| i as f64))
            .filter(|x| x.is_finite() && (min..=max).contains(&x))
            .map(ParamDefault::Float),
        OpParamKind::Bool => d.as_bool().map(ParamDefault::Bool),
        OpParamKind::Enum { values } => d
            .as_str()
            .and_then(|s| values.iter().position(|v| v == s))
            .map(ParamDefault::Enum),
    }
}
