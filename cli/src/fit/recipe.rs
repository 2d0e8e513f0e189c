//! The calibration recipe shared by `ttperf fit` and `ttperf crossval`: which rows a fit
//! reads, the coefficients it fits (bounds and start) and how rows are weighed, so that a
//! cross-validation fold is fitted exactly as the shipped version is.

use super::solver::{self, FitCoefficient, FitReport, FitRow};
use crate::failure::Failure;
use anyhow::anyhow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ttnn_op_perf_models::trace::TraceRow;
use ttnn_op_perf_models::{Device, Error, Family, Op, PerfModels, model_versions};

/// How the rows count in the loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Weigh {
    /// Each row the same.
    Rows,
    /// Each data file the same in total (a sweep of thousands of rows does not outweigh a
    /// trace).
    Files,
}

/// What the fit minimises; see [`solver::Loss`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LossArg {
    Squared,
    Absolute,
}

impl LossArg {
    fn loss(self) -> solver::Loss {
        match self {
            LossArg::Squared => solver::Loss::Squared,
            LossArg::Absolute => solver::Loss::Absolute,
        }
    }
}

/// The flags `ttperf fit` and `ttperf crossval` share: what is fitted to which data, how.
#[derive(clap::Args)]
pub struct RecipeArgs {
    /// Op to fit (name or OP CODE); rows of other ops are skipped.
    #[arg(long)]
    pub op: String,
    /// Another op of the same family whose rows join every fit, never scored (repeatable):
    /// an op with rows in one file borrows the calibration of one with more, and its own
    /// rows, held out file by file, still give its figures.
    #[arg(long = "with-op", value_name = "OP")]
    pub with_ops: Vec<String>,
    /// Formula family; default: the family of the op's latest version on the first device.
    #[arg(long)]
    pub family: Option<String>,
    /// Measured data: profiler trace CSVs and sweep CSVs, each also held out in turn and
    /// predicted by a fit on the others. `FILE@DEVICE` names the device of a trace that does
    /// not name it, when several devices are fitted.
    #[arg(long, required = true, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// What the fit minimises over the rows' relative errors: their squares, or their
    /// absolute values (aims at the median error; see the solver's docs).
    #[arg(long, value_enum, default_value_t = LossArg::Squared)]
    pub loss: LossArg,
    /// How the rows count: each the same, or each data file the same in total.
    #[arg(long, value_enum, default_value_t = Weigh::Rows)]
    pub weigh: Weigh,
    /// How strongly the fit is pulled towards the family's physics prior (its first
    /// version): moving a coefficient so far that the average row shifts by a fraction d costs
    /// this times what shifting every row by d costs. 0: no pull.
    #[arg(long, default_value_t = 0.0, value_parser = non_negative)]
    pub prior_weight: f64,
    /// Fit only this coefficient (repeatable); the others keep the values of the family's
    /// first version (the physics prior). For a term the data can pin only with the rest
    /// held at their published figures.
    #[arg(long = "only", value_name = "COEFFICIENT")]
    pub only: Vec<String>,
    /// Hold this coefficient at the family's first version (the physics prior) and fit the
    /// others (repeatable). For a scale on a published figure that the data, held out, does
    /// not improve on: fitted, it trades against the others where one file alone pins them.
    #[arg(long = "hold", value_name = "COEFFICIENT", conflicts_with = "only")]
    pub hold: Vec<String>,
    /// Hold every coefficient at the family's first version: the version written is the
    /// published physics, and the data gives only its accuracy, each file predicted as held
    /// out (nothing is fitted to it). For a model no fit improves on, held out.
    #[arg(long, conflicts_with_all = ["only", "hold"])]
    pub hold_all: bool,
}

/// A finite number >= 0 (a bad one is a bad argument: exit 2).
fn non_negative(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("`{text}` is not a finite number >= 0")),
    }
}

impl RecipeArgs {
    /// The op and the family (if named), checked.
    pub fn op_and_family(&self) -> Result<(Op, Option<Family>), Failure> {
        let op = Op::from_name(&self.op).map_err(Failure::unknown)?;
        let family = match &self.family {
            Some(name) => Some(Family::from_name(name).ok_or_else(|| {
                Failure::unknown(anyhow!(
                    "unknown family `{name}`; families: {}",
                    Family::ALL.map(|f| f.name()).join(", ")
                ))
            })?),
            None => None,
        };
        Ok((op, family))
    }

    /// The recipe for `devices`.
    pub fn recipe(&self, devices: Vec<Device>) -> Result<Recipe, Failure> {
        let (op, family) = self.op_and_family()?;
        let with_ops = self
            .with_ops
            .iter()
            .map(|name| Op::from_name(name).map_err(Failure::unknown))
            .collect::<Result<Vec<_>, _>>()?;
        let recipe = Recipe::new(
            devices,
            op,
            with_ops,
            family,
            self.loss,
            self.weigh,
            self.prior_weight,
        )?;
        let recipe = recipe.only(&self.only)?.hold(&self.hold)?;
        Ok(if self.hold_all {
            recipe.hold_all()
        } else {
            recipe
        })
    }
}

/// One measured row of the op with its features.
pub struct Sample {
    /// The data file's name (not its path: the same file read from elsewhere is the same
    /// sample).
    pub file: String,
    pub line: u64,
    pub device: Device,
    /// A row of the recipe's op (held out and scored), not of a `--with-op` (fitted only).
    pub scored: bool,
    /// The computation: op and each input's logical shape and dtype. Rows with the same
    /// computation run it in different ways (cores, configs, memory, fidelity).
    pub computation: String,
    /// The whole query: rows with the same query are repeats of one measurement.
    pub query: String,
    pub fit: FitRow,
}

/// Why [`Samples::skipped`] counts a trace row whose op info the profiler replayed
/// ([`TraceRow::replays`](ttnn_op_perf_models::trace::TraceRow::replays)).
const REPLAYED: &str = "op info replayed by the profiler from an earlier call (shapes unknown)";

/// The samples of a recipe's data files.
pub struct Samples {
    pub rows: Vec<Sample>,
    /// Rows of the op not fitted, by reason: the family cannot compute their features, or
    /// their op info is the profiler's replay of another call's.
    pub skipped: BTreeMap<String, usize>,
}

/// A family's calibration for one op on one or more devices: every device's rows are fitted
/// together, with one coefficient vector.
pub struct Recipe {
    pub devices: Vec<Device>,
    pub op: Op,
    /// Ops of the family whose rows join every fit but are never scored (`--with-op`).
    pub with_ops: Vec<Op>,
    pub family: Family,
    pub coefficients: Vec<FitCoefficient>,
    pub loss: LossArg,
    pub weigh: Weigh,
    /// How strongly the fit is pulled towards the physics prior (`solver::fit`'s
    /// `prior_weight`): 0.01 makes the prior worth 1% of the data.
    pub prior_weight: f64,
    /// The coefficients fitted when not all (`--only`); the others keep the prior's values.
    pub only: Vec<String>,
    /// The coefficients held at the prior's values (`--hold`); the others are fitted.
    pub held: Vec<String>,
}

impl Recipe {
    /// The recipe for `op` on `devices` (at least one), its fits also reading the rows of
    /// `with_ops`; `family` defaults to the family of the op's latest version on the first
    /// device. The fit starts from the family's first version on the first device (the
    /// physics prior), so a refit never starts from its own previous result and the same
    /// inputs give the same output.
    pub fn new(
        devices: Vec<Device>,
        op: Op,
        with_ops: Vec<Op>,
        family: Option<Family>,
        loss: LossArg,
        weigh: Weigh,
        prior_weight: f64,
    ) -> Result<Recipe, Failure> {
        if !(prior_weight >= 0.0 && prior_weight.is_finite()) {
            return Err(Failure::unknown(anyhow!(
                "--prior-weight is a finite number >= 0, got {prior_weight}"
            )));
        }
        let Some(&first) = devices.first() else {
            return Err(Failure::unknown(anyhow!("no device to calibrate")));
        };
        let versions = model_versions(first, op);
        let family = match family {
            Some(f) => f,
            None => versions
                .last()
                .ok_or_else(|| Failure::unknown(Error::NoModelForDevice { op, device: first }))?
                .family(),
        };
        if !family.ops().contains(&op) {
            return Err(Failure::unknown(anyhow!(
                "family `{family}` does not model `{op}`"
            )));
        }
        if let Some(other) = with_ops
            .iter()
            .find(|o| **o == op || !family.ops().contains(o))
        {
            return Err(Failure::unknown(anyhow!(
                "--with-op `{other}`: give another op of family `{family}` ({})",
                family
                    .ops()
                    .iter()
                    .map(|o| o.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let start = |device: Device| {
            model_versions(device, op)
                .iter()
                .find(|v| v.family() == family)
                .ok_or_else(|| {
                    Failure::unknown(anyhow!(
                        "`{device}/{op}` has no version of family `{family}` to start the fit from"
                    ))
                })
        };
        for &device in &devices[1..] {
            start(device)?;
        }
        // The fixed cost, in cycles, adds to each device's launch overhead: never below minus
        // the smallest launch in cycles (`FIXED_COST_COEFFICIENT`), so no device's op costs
        // less than nothing.
        let launch = devices
            .iter()
            .map(|&d| {
                let hw = PerfModels::new(d).hardware();
                hw.launch_overhead_ns * hw.cycles_per_ns()
            })
            .fold(f64::INFINITY, f64::min);
        let coefficients = family
            .coefficients()
            .iter()
            .zip(start(first)?.coefficients.values().as_slice())
            .map(|(p, &initial)| FitCoefficient {
                name: p.name.into(),
                term: p.term,
                min: if p.name == ttnn_op_perf_spec::FIXED_COST_COEFFICIENT {
                    p.min.max(-launch)
                } else {
                    p.min
                },
                max: p.max,
                initial,
            })
            .collect();
        Ok(Recipe {
            devices,
            op,
            with_ops,
            family,
            coefficients,
            loss,
            weigh,
            prior_weight,
            only: Vec::new(),
            held: Vec::new(),
        })
    }

    /// The recipe fitting only the coefficients `names` (all of them when empty): the others
    /// are held at their starting values, the physics prior.
    pub fn only(mut self, names: &[String]) -> Result<Recipe, Failure> {
        self.check_names("--only", names)?;
        if !names.is_empty() {
            self.hold_where(|name| !names.iter().any(|n| n == name));
            self.only = names.to_vec();
        }
        Ok(self)
    }

    /// The recipe holding the coefficients `names` at their starting values, the physics
    /// prior, and fitting the others.
    pub fn hold(mut self, names: &[String]) -> Result<Recipe, Failure> {
        self.check_names("--hold", names)?;
        self.hold_where(|name| names.iter().any(|n| n == name));
        self.held.extend_from_slice(names);
        Ok(self)
    }

    /// The recipe holding every coefficient at its starting value, the physics prior.
    pub fn hold_all(mut self) -> Recipe {
        self.hold_where(|_| true);
        self
    }

    /// Whether every coefficient is held: the recipe fits nothing, and its version is the
    /// physics prior.
    pub fn all_held(&self) -> bool {
        self.coefficients.iter().all(|c| c.min == c.max)
    }

    /// How the recipe predicts each held-out file.
    pub fn held_out_by(&self) -> &'static str {
        if self.all_held() {
            "each file predicted by the published physics, nothing fitted"
        } else {
            "each file predicted by a fit on the others"
        }
    }

    /// Fixes each coefficient whose name `held` picks at its starting value.
    fn hold_where(&mut self, held: impl Fn(&str) -> bool) {
        for c in &mut self.coefficients {
            if held(&c.name) {
                (c.min, c.max) = (c.initial, c.initial);
            }
        }
    }

    /// An error naming the first of `names` that is not a coefficient of the family.
    fn check_names(&self, flag: &str, names: &[String]) -> Result<(), Failure> {
        match names
            .iter()
            .find(|n| !self.coefficients.iter().any(|c| &c.name == *n))
        {
            Some(unknown) => Err(Failure::unknown(anyhow!(
                "{flag} `{unknown}`: family `{}` has coefficients {}",
                self.family,
                self.coefficients
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
            None => Ok(()),
        }
    }

    /// The rows of the op (and of `with_ops`) of the recipe's devices in `paths`, with their
    /// features. Rows that
    /// cannot be read are reported on stderr with their file and line.
    ///
    /// A trace that does not name its device (no `DEVICE ARCH`) is read as measured on the
    /// recipe's device when it has one; with several, the path says which: `FILE@DEVICE`.
    pub fn read(&self, paths: &[PathBuf]) -> Result<Samples, Failure> {
        let models: Vec<PerfModels> = self.devices.iter().map(|&d| PerfModels::new(d)).collect();
        let mut samples = Samples {
            rows: Vec::new(),
            skipped: BTreeMap::new(),
        };
        for given in paths {
            let (path, named) = split_device(given)?;
            let default_device = named.or(match self.devices[..] {
                [only] => Some(only),
                _ => None,
            });
            let measured = crate::measured::read(&path, default_device)?;
            let file = file_name(&path);
            for (line, reason) in &measured.malformed {
                eprintln!("{file}:{line}: skipped: {reason}");
            }
            for row in measured.rows {
                let Some(models) = models.iter().find(|m| m.device() == row.device) else {
                    continue;
                };
                let Ok(op) = Op::from_name(&row.op_code) else {
                    continue;
                };
                if op != self.op && !self.with_ops.contains(&op) {
                    continue;
                }
                if row.replays.is_some() {
                    *samples.skipped.entry(REPLAYED.into()).or_default() += 1;
                }
                let Some(measured_ns) = row.measured_ns.filter(|m| *m > 0.0) else {
                    continue;
                };
                let params = row.op_params();
                match models.features(&row.query(&params), self.family) {
                    Ok(features) => samples.rows.push(Sample {
                        scored: op == self.op,
                        computation: computation_key(op, &row),
                        query: query_key(&row),
                        file: file.clone(),
                        line: row.line,
                        device: row.device,
                        fit: FitRow {
                            features: features.as_slice().to_vec(),
                            offset_ns: models.hardware().launch_overhead_ns,
                            measured_ns,
                            weight: 1.0,
                        },
                    }),
                    Err(e) => *samples.skipped.entry(e.to_string()).or_default() += 1,
                }
            }
        }
        Ok(samples)
    }

    /// Fits the coefficients to `rows`.
    pub fn fit(&self, rows: &[&Sample]) -> Result<FitReport, Failure> {
        let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
        for r in rows {
            *per_file.entry(&r.file).or_default() += 1;
        }
        // Weighed by file, each file's rows sum to the mean rows per file.
        let mean_rows = rows.len() as f64 / per_file.len().max(1) as f64;
        let fit_rows: Vec<FitRow> = rows
            .iter()
            .map(|r| FitRow {
                weight: match self.weigh {
                    Weigh::Rows => 1.0,
                    Weigh::Files => mean_rows / per_file[r.file.as_str()] as f64,
                },
                ..r.fit.clone()
            })
            .collect();
        solver::fit(
            &self.coefficients,
            &fit_rows,
            self.loss.loss(),
            self.prior_weight,
        )
        .map_err(Failure::query)
    }

    /// The duration `values` (one per coefficient) predict for `sample`.
    pub fn predict(&self, values: &[f64], sample: &Sample) -> f64 {
        solver::predict(&self.coefficients, values, &sample.fit)
    }

    /// The coefficients the fit starts from (the family's physics prior).
    pub fn start(&self) -> Vec<f64> {
        self.coefficients.iter().map(|p| p.initial).collect()
    }

    /// The flags that give this recipe on the command line (beside `--op`, `--data`).
    pub fn flags(&self) -> String {
        let mut s = String::new();
        for o in &self.with_ops {
            s += &format!("--with-op {o} ");
        }
        for d in &self.devices {
            s += &format!("--device {d} ");
        }
        s += &format!("--family {} --loss {}", self.family, loss_name(self.loss));
        if self.weigh == Weigh::Files {
            s += " --weigh files";
        }
        if self.prior_weight > 0.0 {
            s += &format!(" --prior-weight {}", self.prior_weight);
        }
        // A recipe that fits nothing is `--hold-all`, however its holds were spelled.
        if self.all_held() {
            s += " --hold-all";
            return s;
        }
        for c in &self.only {
            s += &format!(" --only {c}");
        }
        for c in &self.held {
            s += &format!(" --hold {c}");
        }
        s
    }
}

fn loss_name(loss: LossArg) -> &'static str {
    match loss {
        LossArg::Squared => "squared",
        LossArg::Absolute => "absolute",
    }
}

/// `FILE@DEVICE` -> (`FILE`, the device); any other path -> (itself, `None`).
fn split_device(given: &Path) -> Result<(PathBuf, Option<Device>), Failure> {
    let text = given.to_string_lossy();
    match text.rsplit_once('@') {
        Some((path, device)) if !device.contains('/') => {
            let device = Device::from_name(device).map_err(|e| {
                Failure::unknown(anyhow!("{text}: after `@` comes the data's device: {e}"))
            })?;
            Ok((PathBuf::from(path), Some(device)))
        }
        _ => Ok((given.to_path_buf(), None)),
    }
}

/// The file name of `path`, as samples and reports name files.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Op, then each input's logical shape and dtype.
fn computation_key(op: Op, row: &TraceRow) -> String {
    let mut key = op.name().to_string();
    for t in &row.inputs {
        key += &format!("|{:?}:{}", t.shape().logical(), t.dtype().name());
    }
    key
}

/// Everything a query of the row says: device, op, params, tensors and grid.
fn query_key(row: &TraceRow) -> String {
    format!(
        "{}|{}|{:?}|{:?}|{:?}|{:?}",
        row.device, row.op_code, row.params, row.inputs, row.output, row.grid
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_may_name_its_device() {
        let (path, device) = split_device(Path::new("data/wh.csv@wormhole_b0")).unwrap();
        assert_eq!(path, Path::new("data/wh.csv"));
        assert_eq!(device, Some(Device::WormholeB0));
        // An `@` inside a folder name is part of the path.
        let (path, device) = split_device(Path::new("runs@2/wh.csv")).unwrap();
        assert_eq!(path, Path::new("runs@2/wh.csv"));
        assert_eq!(device, None);
        let err = split_device(Path::new("wh.csv@wormhole_c0")).unwrap_err();
        assert_eq!(err.code, 5);
        assert!(format!("{:#}", err.error).contains("the data's device"));
    }

    /// The fixed cost is in cycles: fitted on both devices, it may not go below minus the
    /// smaller launch in cycles, Blackhole's 600 ns at 1.35 GHz (810 cycles) against
    /// Wormhole's 2,200 ns at 1 GHz, whatever the family's own bound (-2000 for reshard).
    #[test]
    fn the_fixed_cost_is_bounded_by_the_smallest_launch_in_cycles() {
        let recipe = |devices| {
            Recipe::new(
                devices,
                Op::Reshard,
                vec![],
                None,
                LossArg::Squared,
                Weigh::Rows,
                0.0,
            )
            .unwrap()
        };
        let bound = |r: &Recipe| {
            r.coefficients
                .iter()
                .find(|c| c.name == ttnn_op_perf_spec::FIXED_COST_COEFFICIENT)
                .unwrap()
                .min
        };
        let launch_cycles = |d: Device| {
            let hw = PerfModels::new(d).hardware();
            hw.launch_overhead_ns * hw.cycles_per_ns()
        };
        assert_eq!(launch_cycles(Device::Blackhole), 810.0);
        let both = recipe(vec![Device::WormholeB0, Device::Blackhole]);
        assert_eq!(bound(&both), -810.0);
        // Wormhole alone: its launch is 2,200 cycles, so the family's own -2000 binds.
        assert_eq!(launch_cycles(Device::WormholeB0), 2200.0);
        assert_eq!(bound(&recipe(vec![Device::WormholeB0])), -2000.0);
    }
}
