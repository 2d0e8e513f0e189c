//! Leave-one-file-out cross-validation: the accuracy of a recipe on data its fit never saw.
//!
//! Rows held out at random from a fitted trace are mostly repeats of fitted queries, so
//! their error measures memory. Here each data file in turn is held out whole, the recipe is
//! fitted on every other file (of every device the recipe fits together) and the held-out
//! file is predicted. A file with no other file to fit on is predicted by the recipe's start
//! (the family's physics prior), as is one whose other files are too few rows to fit, and
//! says why.
//!
//! Beside the error, each fold reports the **ranking accuracy** a compiler relies on when it
//! picks among ways to run one computation: among the held-out rows with the same
//! computation (op, logical input shapes and dtypes) but different queries (cores, config,
//! memory, fidelity...), the pairs whose measured durations differ by more than
//! [`RANK_MIN_RATIO`], and the fraction of them the model orders the same way. A tie in the
//! prediction orders nothing, so it counts as wrong; the ties are counted apart too, as a
//! model that ties two ways does not see what tells them apart (an input it does not read, a
//! term that never binds), where one that orders them wrong weighs it wrongly.

use super::recipe::{Recipe, Sample, Samples};
use crate::failure::Failure;
use crate::stats::{ape, median, p90};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use ttnn_op_perf_models::Device;

/// Measured durations closer than this ratio are not a pair to rank: repeats of one query
/// vary by about that much.
pub const RANK_MIN_RATIO: f64 = 1.1;

/// One held-out file's predictions.
pub struct Fold {
    pub held_out: String,
    pub device: Device,
    /// Rows of the other files, the fold's fit data.
    pub fit_rows: usize,
    /// Why the fold is predicted by the recipe's start (the physics prior) instead of a fit:
    /// no other file has rows, or too few to fit.
    pub prior_because: Option<String>,
    /// The fitted coefficient values that predicted the fold (the start's when
    /// `prior_because`).
    pub values: Vec<f64>,
    /// Each held-out row: its line, measured and predicted ns.
    pub predictions: Vec<(u64, f64, f64)>,
    /// The repeat floor: the APE of each held-out row predicted by the median of the rows
    /// of the file with the same query (0 for a query measured once): what no model of the
    /// query can do better than.
    pub floor_apes: Vec<f64>,
    pub rank: Rank,
}

/// Ranking pairs, how many the model orders right and how many it ties.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rank {
    pub pairs: usize,
    pub correct: usize,
    /// Pairs predicted equal: neither right nor wrong way round, counted as not right.
    pub ties: usize,
}

impl Rank {
    /// The fraction ordered right; `None` without pairs.
    pub fn accuracy(self) -> Option<f64> {
        (self.pairs > 0).then(|| self.correct as f64 / self.pairs as f64)
    }

    fn add(self, other: Rank) -> Rank {
        Rank {
            pairs: self.pairs + other.pairs,
            correct: self.correct + other.correct,
            ties: self.ties + other.ties,
        }
    }
}

/// Median and p90 APE over some rows, of the model and of the repeat floor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub rows: usize,
    pub median_ape: Option<f64>,
    pub p90_ape: Option<f64>,
    pub floor_median_ape: Option<f64>,
    pub floor_p90_ape: Option<f64>,
    pub rank: Rank,
}

impl Fold {
    /// Absolute percentage error of each held-out row, in the order of `predictions`.
    pub fn apes(&self) -> impl Iterator<Item = f64> + '_ {
        self.predictions
            .iter()
            .map(|&(_, measured, predicted)| ape(predicted, measured))
    }

    pub fn figures(&self) -> Figures {
        pooled([self])
    }
}

/// The pooled figures of `folds` (every held-out prediction together).
pub fn pooled<'a>(folds: impl IntoIterator<Item = &'a Fold>) -> Figures {
    let mut apes = Vec::new();
    let mut floor = Vec::new();
    let mut rank = Rank::default();
    for f in folds {
        apes.extend(f.apes());
        floor.extend_from_slice(&f.floor_apes);
        rank = rank.add(f.rank);
    }
    Figures {
        rows: apes.len(),
        median_ape: median(&mut apes),
        p90_ape: p90(&mut apes),
        floor_median_ape: median(&mut floor),
        floor_p90_ape: p90(&mut floor),
        rank,
    }
}

/// One fold per data file (and device, for a file with rows of several) with rows of the
/// recipe's op, in the order the files were read. A fold's fit reads every other file's rows,
/// those of the `--with-op`s too; it predicts the held-out file's rows of the op.
pub fn folds(recipe: &Recipe, samples: &Samples) -> Result<Vec<Fold>, Failure> {
    let mut keys: Vec<(&str, Device)> = Vec::new();
    for s in samples.rows.iter().filter(|s| s.scored) {
        if !keys.contains(&(s.file.as_str(), s.device)) {
            keys.push((&s.file, s.device));
        }
    }
    let mut folds = Vec::with_capacity(keys.len());
    for (file, device) in keys {
        let train: Vec<&Sample> = samples.rows.iter().filter(|s| s.file != file).collect();
        let held: Vec<&Sample> = samples
            .rows
            .iter()
            .filter(|s| s.scored && s.file == file && s.device == device)
            .collect();
        let (values, prior_because) = if train.is_empty() {
            (recipe.start(), Some("no other file has rows".to_string()))
        } else {
            match recipe.fit(&train) {
                Ok(report) => (report.coefficients, None),
                Err(e) => (recipe.start(), Some(format!("{:#}", e.error))),
            }
        };
        let predicted: Vec<f64> = held.iter().map(|s| recipe.predict(&values, s)).collect();
        folds.push(Fold {
            held_out: file.to_string(),
            device,
            fit_rows: train.len(),
            prior_because,
            predictions: held
                .iter()
                .zip(&predicted)
                .map(|(s, &p)| (s.line, s.fit.measured_ns, p))
                .collect(),
            values,
            floor_apes: repeat_floor(&held),
            rank: rank(&held, &predicted),
        });
    }
    Ok(folds)
}

/// Each row's APE when predicted by the median of the rows with its query.
fn repeat_floor(rows: &[&Sample]) -> Vec<f64> {
    let mut by_query: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for s in rows {
        by_query
            .entry(&s.query)
            .or_default()
            .push(s.fit.measured_ns);
    }
    let medians: BTreeMap<&str, f64> = by_query
        .into_iter()
        .filter_map(|(q, mut v)| Some((q, median(&mut v)?)))
        .collect();
    rows.iter()
        .map(|s| ape(medians[s.query.as_str()], s.fit.measured_ns))
        .collect()
}

/// Ranking pairs of `rows` (predicted as `predicted`), grouped by computation.
fn rank(rows: &[&Sample], predicted: &[f64]) -> Rank {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in rows.iter().enumerate() {
        groups.entry(&s.computation).or_default().push(i);
    }
    let mut rank = Rank::default();
    for members in groups.values() {
        for (a, &i) in members.iter().enumerate() {
            for &j in &members[a + 1..] {
                let (mi, mj) = (rows[i].fit.measured_ns, rows[j].fit.measured_ns);
                if rows[i].query == rows[j].query || mi.max(mj) <= RANK_MIN_RATIO * mi.min(mj) {
                    continue;
                }
                rank.pairs += 1;
                let (pi, pj) = (predicted[i], predicted[j]);
                if (mi < mj && pi < pj) || (mi > mj && pi > pj) {
                    rank.correct += 1;
                } else if pi == pj {
                    rank.ties += 1;
                }
            }
        }
    }
    rank
}

/// A fold as JSON: the contract's keys, and its repeat floor.
pub fn fold_json(fold: &Fold) -> Value {
    let mut v = json!({
        "held_out": fold.held_out,
        "device": fold.device.name(),
        "fit_rows": fold.fit_rows,
        "prior_because": fold.prior_because,
    });
    if let (Some(map), Value::Object(figures)) = (v.as_object_mut(), figures_json(&fold.figures()))
    {
        map.extend(figures);
    }
    v
}

/// Figures as JSON: rows, median and p90 APE, ranking, repeat floor.
pub fn figures_json(f: &Figures) -> Value {
    json!({
        "rows": f.rows,
        "median_ape": f.median_ape,
        "p90_ape": f.p90_ape,
        "rank_pairs": f.rank.pairs,
        "rank_accuracy": f.rank.accuracy(),
        "rank_ties": f.rank.ties,
        "repeat_floor_median_ape": f.floor_median_ape,
        "repeat_floor_p90_ape": f.floor_p90_ape,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::solver::FitRow;

    fn sample(computation: &str, query: &str, measured_ns: f64) -> Sample {
        Sample {
            file: "f.csv".into(),
            line: 2,
            device: Device::WormholeB0,
            scored: true,
            computation: computation.into(),
            query: query.into(),
            fit: FitRow {
                features: Vec::new(),
                offset_ns: 0.0,
                measured_ns,
                weight: 1.0,
            },
        }
    }

    #[test]
    fn ranks_pairs_of_one_computation_run_differently() {
        let rows = [
            sample("mm", "8 cores", 100.0),
            sample("mm", "16 cores", 60.0),
            sample("mm", "32 cores", 40.0),
            // A repeat of a query: not a pair, however far apart.
            sample("mm", "32 cores", 80.0),
            // Within 10% of the 16-core run: not a pair.
            sample("mm", "24 cores", 57.0),
            // Another computation: never paired with the matmuls.
            sample("add", "8 cores", 10.0),
        ];
        let refs: Vec<&Sample> = rows.iter().collect();
        // Pairs: 8 cores with each other run (4), 16-32, 16-32' (60 vs 80), 24-32 (57 vs
        // 40) and 24-32' (57 vs 80); not 16-24 (within 10%) nor 32-32' (one query).
        let right = [100.0, 60.0, 40.0, 40.0, 59.0, 1.0];
        let r = rank(&refs, &right);
        assert_eq!(r.pairs, 8);
        // 32' measured 80 but predicted 40: it is ordered wrong against 16 and 24, and tied
        // with 32 (one query, not a pair): no tie among the pairs.
        assert_eq!((r.correct, r.ties), (6, 0));
        // The 16-core run predicted as the 32-core one: 16-32 (right before) and 16-32'
        // (wrong before) tie, the other pairs as before.
        let tied = rank(&refs, &[100.0, 40.0, 40.0, 40.0, 59.0, 1.0]);
        assert_eq!((tied.pairs, tied.correct, tied.ties), (8, 5, 2));
        // A model that predicts every way the same orders nothing: every pair a tie.
        let flat = [50.0; 6];
        assert_eq!(
            rank(&refs, &flat),
            Rank {
                pairs: 8,
                correct: 0,
                ties: 8
            }
        );
        assert_eq!(Rank::default().accuracy(), None);
        assert_eq!(
            Rank {
                pairs: 4,
                correct: 3,
                ties: 1
            }
            .accuracy(),
            Some(0.75)
        );
    }
}
