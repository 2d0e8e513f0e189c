//! What a query returns: a duration that says what bounds it, who computed it and how far to
//! trust it.

use crate::device::Device;
use crate::error::Error;
use crate::op::Op;

/// The term that dominates an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bound {
    /// Fixed launch and per-op overhead exceeds every throughput term.
    Overhead,
    /// Matrix engine, SFPU or unpack/pack pipeline.
    Compute,
    /// DRAM bandwidth.
    Dram,
    /// NoC bandwidth into or out of the busiest core.
    Noc,
}

/// The terms of an estimate, ns. The duration is `overhead + max(compute, dram, noc)`: the
/// throughput terms overlap, the fixed cost does not.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Breakdown {
    pub overhead_ns: f64,
    pub compute_ns: f64,
    pub dram_ns: f64,
    pub noc_ns: f64,
}

impl Breakdown {
    /// `overhead + max(compute, dram, noc)`.
    pub const fn duration_ns(&self) -> f64 {
        self.overhead_ns + self.busiest_ns()
    }

    /// The largest throughput term.
    #[inline(always)]
    const fn busiest_ns(&self) -> f64 {
        self.compute_ns.max(self.dram_ns).max(self.noc_ns)
    }

    /// The dominant term.
    pub const fn bound(&self) -> Bound {
        self.bound_of(self.busiest_ns())
    }

    /// The dominant term, given [`Self::busiest_ns`].
    #[inline(always)]
    const fn bound_of(&self, busiest: f64) -> Bound {
        if self.overhead_ns >= busiest {
            Bound::Overhead
        } else if busiest == self.compute_ns {
            Bound::Compute
        } else if busiest == self.dram_ns {
            Bound::Dram
        } else {
            Bound::Noc
        }
    }
}

/// The term of a [`Breakdown`] a family coefficient's product with its feature adds to.
///
/// Every family is linear in its coefficients within each term: a formula computes one feature
/// per coefficient (tiles per core, bytes moved, ...) and [`Breakdown::combine`] sums
/// `coefficient * feature` into the term the family spec gives the coefficient. That shape is what
/// lets `ttperf fit` calibrate any family by least squares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Term {
    Overhead,
    Compute,
    Dram,
    Noc,
}

impl Breakdown {
    /// `offset_ns` (not fitted, e.g. the device's launch overhead) plus each
    /// `coefficients[i] * features[i]` added to `terms[i]`. The three slices have one entry per
    /// family coefficient; extra entries of the longer ones are ignored.
    ///
    /// ```
    /// use ttnn_op_perf_models::{Breakdown, Term};
    /// let b = Breakdown::combine(100.0, &[Term::Overhead, Term::Compute, Term::Dram], &[2.0, 1.5, 1.0], &[50.0, 400.0, 300.0]);
    /// assert_eq!(b.overhead_ns, 200.0);
    /// assert_eq!(b.duration_ns(), 200.0 + 600.0);
    /// ```
    #[inline]
    pub const fn combine(
        offset_ns: f64,
        terms: &[Term],
        coefficients: &[f64],
        features: &[f64],
    ) -> Breakdown {
        let mut b = Breakdown {
            overhead_ns: offset_ns,
            compute_ns: 0.0,
            dram_ns: 0.0,
            noc_ns: 0.0,
        };
        let mut i = 0;
        while i < terms.len() && i < coefficients.len() && i < features.len() {
            let slot = match terms[i] {
                Term::Overhead => &mut b.overhead_ns,
                Term::Compute => &mut b.compute_ns,
                Term::Dram => &mut b.dram_ns,
                Term::Noc => &mut b.noc_ns,
            };
            *slot += coefficients[i] * features[i];
            i += 1;
        }
        b
    }
}

/// The larger of `a` and `b`, neither NaN: `f64::max` without its NaN handling.
#[inline(always)]
const fn larger(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// Identifies one model version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModelId {
    pub device: Device,
    pub op: Op,
    pub version: u16,
}

impl core::fmt::Display for ModelId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}/{}@v{}", self.device, self.op, self.version)
    }
}

/// Who produced an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The op's own model.
    Model(ModelId),
    /// The generic bandwidth fallback, for an op (known or not) without a model that answers.
    Fallback { device: Device, op: Option<Op> },
}

/// How far a model version's estimates are from measurements.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Accuracy {
    /// No error measured on data the fit never saw: the fallback, a physics estimate with no
    /// measured rows (or rows in one file only), or a fit with no other data file to check
    /// it on.
    Uncalibrated,
    /// Cross-validated error, as fractions (0.1 = 10%): over measured rows of data files
    /// each predicted by a fit on the other files (`ttperf crossval`), or by the published
    /// physics with nothing fitted (`ttperf fit --hold-all`).
    Measured {
        median_ape: f64,
        p90_ape: f64,
        rows: u32,
    },
}

/// A predicted device duration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Predicted device kernel duration, ns; always finite and positive.
    pub duration_ns: f64,
    pub bound: Bound,
    pub breakdown: Breakdown,
    pub source: Source,
    /// The measured error band of the model version that answered.
    pub accuracy: Accuracy,
}

impl Estimate {
    /// Builds an estimate, refusing a non-finite or negative duration.
    #[inline]
    pub(crate) const fn new(
        breakdown: Breakdown,
        source: Source,
        accuracy: Accuracy,
    ) -> Result<Self, Error> {
        let Breakdown {
            overhead_ns: o,
            compute_ns: c,
            dram_ns: d,
            noc_ns: n,
        } = breakdown;
        // Every term `>= 0` (false for NaN): the largest is then plain comparisons, as
        // `f64::max` gives it without NaNs.
        let ok = (o >= 0.0) & (c >= 0.0) & (d >= 0.0) & (n >= 0.0);
        let busiest = larger(larger(c, d), n);
        let duration_ns = o + busiest;
        // In few branches: with all terms `>= 0`, a finite duration bounds each of them.
        if !(ok & (duration_ns < f64::INFINITY)) {
            return Err(Error::Overflow {
                what: "the duration",
            });
        }
        Ok(Estimate {
            duration_ns,
            bound: breakdown.bound_of(busiest),
            breakdown,
            source,
            accuracy,
        })
    }

    /// The range the measured duration falls in for 90% of the model version's
    /// cross-validated rows (each predicted by a fit that never saw its file), ns: with `p90` its 90th-percentile APE, `duration / (1 + p90)` to
    /// `duration / (1 - p90)`. `None` when the version is uncalibrated, or so loose
    /// (`p90 >= 1`) that the range has no upper end.
    ///
    /// ```
    /// use ttnn_op_perf_models::*;
    /// let t = TensorParams::tiled(&[1, 1, 1024, 1024], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
    /// let x = [t, t];
    /// let params = [OpParam::new("binary_op", ParamValue::Enum("add"))];
    /// let models = PerfModels::new(Device::WormholeB0);
    /// let e = models.query(&Query::new(Op::EltwiseBinary, &x).params(&params))?;
    /// let (low, high) = e.band_ns().expect("the latest wormhole binary model is calibrated");
    /// assert!(low < e.duration_ns && e.duration_ns < high);
    /// let v1 = models.query(&Query::new(Op::EltwiseBinary, &x).params(&params).version(1))?;
    /// assert_eq!(v1.band_ns(), None);
    /// # Ok::<(), Error>(())
    /// ```
    pub const fn band_ns(&self) -> Option<(f64, f64)> {
        match self.accuracy {
            Accuracy::Measured { p90_ape, .. } if p90_ape < 1.0 => Some((
                self.duration_ns / (1.0 + p90_ape),
                self.duration_ns / (1.0 - p90_ape),
            )),
            _ => None,
        }
    }

    /// True when the generic fallback, not the op's model, answered.
    pub const fn is_fallback(&self) -> bool {
        matches!(self.source, Source::Fallback { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::Device;
    use crate::op::Op;

    /// `Estimate::new` accepts exactly the breakdowns whose terms are all finite and
    /// non-negative with a finite duration, and agrees with `duration_ns` and `bound`.
    #[test]
    fn new_accepts_exactly_finite_non_negative_terms() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::MAX,
            f64::MAX / 2.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        let source = Source::Fallback {
            device: Device::WormholeB0,
            op: Some(Op::Matmul),
        };
        for i in 0..values.len().pow(4) {
            let v = |k: u32| values[i / values.len().pow(k) % values.len()];
            let b = Breakdown {
                overhead_ns: v(0),
                compute_ns: v(1),
                dram_ns: v(2),
                noc_ns: v(3),
            };
            let terms = [b.overhead_ns, b.compute_ns, b.dram_ns, b.noc_ns];
            let expected =
                terms.iter().all(|t| t.is_finite() && *t >= 0.0) && b.duration_ns().is_finite();
            match Estimate::new(b, source, Accuracy::Uncalibrated) {
                Ok(e) => {
                    assert!(expected, "{b:?}");
                    assert_eq!(e.duration_ns, b.duration_ns(), "{b:?}");
                    assert_eq!(e.bound, b.bound(), "{b:?}");
                }
                Err(e) => {
                    assert!(!expected, "{b:?}");
                    assert_eq!(
                        e,
                        Error::Overflow {
                            what: "the duration"
                        }
                    );
                }
            }
        }
    }
}
