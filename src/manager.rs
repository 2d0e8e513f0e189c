//! The manager: routes each query to the model version that answers it.

use crate::device::{Card, CoreGrid, Device, Hardware};
use crate::error::{Error, Name};
use crate::estimate::Estimate;
use crate::formulas::fallback;
use crate::generated::OpParams;
use crate::model::{self, Ctx, Family, FamilyValues, ModelVersion, find_version, model_versions};
use crate::op::Op;
use crate::params::{OpParam, QueryParams};
use crate::tensor::TensorParams;

/// Which version of a model answers a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    /// The manager's pin for the op if it has one, else the newest version.
    #[default]
    Latest,
    /// Exactly this version.
    Exact(u16),
}

/// How a query names its op.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKey<'a> {
    /// A typed op.
    Op(Op),
    /// An op name or ttnn OP CODE, looked up in the build's table of names.
    Name(&'a str),
}

/// One question: how long does this op take with these params and tensors?
///
/// ```
/// use ttnn_op_perf_models::{DType, MemoryConfig, Op, OpParam, ParamValue, Query, TensorParams};
/// let x = TensorParams::tiled(&[1, 1, 512, 512], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
/// let inputs = [x];
/// let params = [OpParam::new("unary_op", ParamValue::Enum("exp"))];
/// let q = Query::new(Op::EltwiseUnary, &inputs).params(&params);
/// assert_eq!(q.inputs.len(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Query<'a> {
    pub op: OpKey<'a>,
    pub version: Version,
    pub params: QueryParams<'a>,
    pub inputs: &'a [TensorParams],
    /// The output tensor, where the caller knows it (data-movement ops require it).
    pub output: Option<&'a TensorParams>,
    /// The cores the op may use: the device's compute grid (a harvested card's, a sub-device's)
    /// or a grid the call gives the op; the card's compute grid when `None`. A matmul without a
    /// program config is generated differently on a grid the call gives it (ttnn's
    /// `core_grid`): say so with its `user_core_grid` param.
    pub grid: Option<CoreGrid>,
}

impl<'a> Query<'a> {
    /// A query of a typed op on the latest version, without params.
    pub const fn new(op: Op, inputs: &'a [TensorParams]) -> Self {
        Query {
            op: OpKey::Op(op),
            version: Version::Latest,
            params: QueryParams::ByName(&[]),
            inputs,
            output: None,
            grid: None,
        }
    }

    /// A query naming its op by spec name or ttnn OP CODE (`"MatmulDeviceOperation"`).
    pub const fn named(name: &'a str, inputs: &'a [TensorParams]) -> Self {
        Query {
            op: OpKey::Name(name),
            version: Version::Latest,
            params: QueryParams::ByName(&[]),
            inputs,
            output: None,
            grid: None,
        }
    }

    pub const fn version(mut self, version: u16) -> Self {
        self.version = Version::Exact(version);
        self
    }

    /// The op's params as `key = value` pairs, checked against the op's schema by name.
    pub const fn params(mut self, params: &'a [OpParam<'a>]) -> Self {
        self.params = QueryParams::ByName(params);
        self
    }

    /// A query of the op of `params`, typed, on the latest version: no key or value is looked
    /// up by name.
    ///
    /// ```
    /// use ttnn_op_perf_models::op_params::matmul;
    /// use ttnn_op_perf_models::*;
    /// let a = TensorParams::tiled(&[1, 1, 1024, 1024], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
    /// let inputs = [a, a];
    /// let hifi2 = matmul::Params { math_fidelity: MathFidelity::HiFi2, ..matmul::Params::DEFAULT };
    /// let models = PerfModels::new(Device::WormholeB0);
    /// let typed = models.query(&Query::typed(OpParams::Matmul(hifi2), &inputs))?;
    /// let by_name = [OpParam::new("math_fidelity", ParamValue::Enum("hifi2"))];
    /// assert_eq!(models.query(&Query::new(Op::Matmul, &inputs).params(&by_name))?, typed);
    /// # Ok::<(), Error>(())
    /// ```
    pub const fn typed(params: OpParams, inputs: &'a [TensorParams]) -> Self {
        Query {
            op: OpKey::Op(params.op()),
            version: Version::Latest,
            params: QueryParams::Typed(params),
            inputs,
            output: None,
            grid: None,
        }
    }

    /// The op's params, typed (they must be the params of the query's op).
    pub const fn typed_params(mut self, params: OpParams) -> Self {
        self.params = QueryParams::Typed(params);
        self
    }

    pub const fn output(mut self, output: &'a TensorParams) -> Self {
        self.output = Some(output);
        self
    }

    pub const fn grid(mut self, grid: CoreGrid) -> Self {
        self.grid = Some(grid);
        self
    }
}

/// Holds the models of one device (card) and answers queries.
///
/// Built for all ops with models on the device, or a chosen set, with optional version pins
/// and an opt-in generic fallback. Immutable after construction, `Send + Sync`, and cheap:
/// the models themselves are static tables, so building a manager only records choices.
///
/// ```
/// use ttnn_op_perf_models::*;
/// let models = PerfModels::new(Device::WormholeB0);
/// let a = TensorParams::tiled(&[1, 1, 1024, 1024], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
/// let b = a;
/// let inputs = [a, b];
/// let params = [OpParam::new("math_fidelity", ParamValue::Enum("hifi2"))];
/// let est = models.query(&Query::new(Op::Matmul, &inputs).params(&params)).unwrap();
/// assert!(est.duration_ns > 0.0);
/// println!("{:.0} ns, {:?}-bound, from {:?}", est.duration_ns, est.bound, est.source);
///
/// // Failures are values: a bad query does not disturb the manager.
/// let bad = [OpParam::new("math_fidelity", ParamValue::Enum("hifi9"))];
/// assert!(models.query(&Query::new(Op::Matmul, &inputs).params(&bad)).is_err());
/// assert_eq!(models.query(&Query::new(Op::Matmul, &inputs).params(&params)), Ok(est));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PerfModels {
    hw: &'static Hardware,
    loaded: [bool; Op::COUNT],
    pins: [Option<u16>; Op::COUNT],
    fallback: bool,
    /// What [`Self::model`] answers for `Version::Latest` when it finds a model, per op:
    /// routing a query is one load.
    latest: [Option<&'static ModelVersion>; Op::COUNT],
}

/// Chooses the card, ops, pins and fallback of a [`PerfModels`].
#[derive(Debug, Clone)]
pub struct PerfModelsBuilder<'a> {
    device: Device,
    card: Option<Card>,
    ops: Option<&'a [Op]>,
    pins: &'a [(Op, u16)],
    fallback: bool,
}

impl<'a> PerfModelsBuilder<'a> {
    /// Use this card's grid and DRAM figures instead of the device's default card.
    pub const fn card(mut self, card: Card) -> Self {
        self.card = Some(card);
        self
    }

    /// Load only these ops; each must have a model on the device.
    pub const fn ops(mut self, ops: &'a [Op]) -> Self {
        self.ops = Some(ops);
        self
    }

    /// Answer `Version::Latest` queries of these ops with these versions.
    pub const fn pins(mut self, pins: &'a [(Op, u16)]) -> Self {
        self.pins = pins;
        self
    }

    /// Answer with the generic bandwidth fallback when no model can: unknown op names, ops
    /// without a model on the device, and modes a model does not cover.
    pub const fn fallback(mut self, on: bool) -> Self {
        self.fallback = on;
        self
    }

    /// Checks the choices and builds the manager.
    pub const fn build(self) -> Result<PerfModels, Error> {
        let card = match self.card {
            Some(card) => card,
            None => self.device.default_card(),
        };
        if card.device() as usize != self.device as usize {
            return Err(Error::UnknownCard {
                name: Name::new(card.name()),
                device: self.device,
            });
        }
        let mut loaded = [self.ops.is_none(); Op::COUNT];
        if let Some(ops) = self.ops {
            let mut i = 0;
            while i < ops.len() {
                let op = ops[i];
                if model_versions(self.device, op).is_empty() {
                    return Err(Error::NoModelForDevice {
                        op,
                        device: self.device,
                    });
                }
                loaded[op.index()] = true;
                i += 1;
            }
        }
        let mut pins = [None; Op::COUNT];
        let mut i = 0;
        while i < self.pins.len() {
            let (op, version) = self.pins[i];
            if !loaded[op.index()] {
                return Err(Error::OpNotLoaded { op });
            }
            tri!(find_version(self.device, op, version));
            pins[op.index()] = Some(version);
            i += 1;
        }
        Ok(PerfModels {
            hw: Hardware::of(card),
            loaded,
            pins,
            fallback: self.fallback,
            latest: [None; Op::COUNT],
        }
        .with_routes())
    }
}

impl PerfModels {
    /// Every op, latest versions, default card, no fallback. Ops without a model on `device`
    /// answer [`Error::NoModelForDevice`].
    pub const fn new(device: Device) -> Self {
        PerfModels {
            hw: Hardware::of(device.default_card()),
            loaded: [true; Op::COUNT],
            pins: [None; Op::COUNT],
            fallback: false,
            latest: [None; Op::COUNT],
        }
        .with_routes()
    }

    /// Fills [`Self::latest`] from the loaded ops and pins.
    const fn with_routes(mut self) -> Self {
        let mut i = 0;
        while i < Op::COUNT {
            self.latest[i] = match self.model(Op::ALL[i], Version::Latest) {
                Ok(m) => Some(m),
                Err(_) => None,
            };
            i += 1;
        }
        self
    }

    /// Starts a manager with choices.
    ///
    /// ```
    /// use ttnn_op_perf_models::*;
    /// let models = PerfModels::builder(Device::Blackhole)
    ///     .card(Card::P100)
    ///     .ops(&[Op::Matmul])
    ///     .pins(&[(Op::Matmul, 1)])
    ///     .fallback(true)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(models.hardware().compute_grid, CoreGrid::new(11, 10));
    /// assert!(PerfModels::builder(Device::Blackhole).card(Card::N150).build().is_err());
    /// ```
    pub const fn builder<'a>(device: Device) -> PerfModelsBuilder<'a> {
        PerfModelsBuilder {
            device,
            card: None,
            ops: None,
            pins: &[],
            fallback: false,
        }
    }

    pub const fn device(&self) -> Device {
        self.hw.device
    }

    pub const fn card(&self) -> Card {
        self.hw.card
    }

    pub const fn hardware(&self) -> &'static Hardware {
        self.hw
    }

    /// The ops this manager answers with their own models.
    pub fn ops(&self) -> impl Iterator<Item = Op> + '_ {
        let device = self.device();
        Op::ALL
            .into_iter()
            .filter(move |op| self.loaded[op.index()] && !model_versions(device, *op).is_empty())
    }

    /// The model version a query of `op` at `version` is routed to.
    pub const fn model(&self, op: Op, version: Version) -> Result<&'static ModelVersion, Error> {
        if !self.loaded[op.index()] {
            return Err(Error::OpNotLoaded { op });
        }
        let device = self.device();
        match (version, self.pins[op.index()]) {
            (Version::Exact(v), _) | (Version::Latest, Some(v)) => find_version(device, op, v),
            (Version::Latest, None) => match model_versions(device, op).last() {
                Some(latest) => Ok(latest),
                None => Err(Error::NoModelForDevice { op, device }),
            },
        }
    }

    /// Answers one query. A `const fn`: with a query of constants it computes the estimate
    /// when the code is built.
    ///
    /// ```
    /// use ttnn_op_perf_models::*;
    /// const A: TensorParams = TensorParams::tiled(&[1, 1, 1024, 4096], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
    /// const B: TensorParams = TensorParams::tiled(&[1, 1, 4096, 4096], DType::Bfloat8B, MemoryConfig::DRAM_INTERLEAVED);
    /// const MATMUL_NS: u64 = match PerfModels::new(Device::WormholeB0)
    ///     .query(&Query::new(Op::Matmul, &[A, B]).params(&[OpParam::new("math_fidelity", ParamValue::Enum("lofi"))]))
    /// {
    ///     Ok(e) => e.duration_ns as u64,
    ///     Err(e) => panic!("{}", e.summary()),
    /// };
    /// assert!(MATMUL_NS > 10_000);
    /// ```
    pub const fn query(&self, q: &Query<'_>) -> Result<Estimate, Error> {
        let op = match q.op {
            OpKey::Op(op) => op,
            OpKey::Name(name) => match Op::from_name(name) {
                Ok(op) => op,
                Err(e) => return self.unknown_op(q, e),
            },
        };
        // The common case, kept short: the latest version, routed when the manager was built.
        let model = match (q.version, self.latest[op.index()]) {
            (Version::Latest, Some(m)) => m,
            _ => return self.query_version(q, op),
        };
        // The model (`Ctx::checked`) or the fallback checks the grid.
        match model::evaluate(model, self.hw, &q.params, q.inputs, q.output, q.grid) {
            Err(e) => self.failed(q, op, e),
            answer => answer,
        }
    }

    /// The grid of `q`: its own, or the card's compute grid.
    #[inline(always)]
    const fn grid_of(&self, q: &Query<'_>) -> CoreGrid {
        match q.grid {
            Some(g) => g,
            None => self.hw.compute_grid,
        }
    }

    /// [`Self::query`] of an op name the build does not know: the fallback's answer when it
    /// is on, else `e`.
    #[cold]
    #[inline(never)]
    const fn unknown_op(&self, q: &Query<'_>, e: Error) -> Result<Estimate, Error> {
        if self.fallback {
            fallback(self.hw, None, q.inputs, q.output, self.grid_of(q))
        } else {
            Err(e)
        }
    }

    /// [`Self::query`] of `op` at a version not routed in advance: an exact version, or an op
    /// without a model to route to.
    #[inline(never)]
    const fn query_version(&self, q: &Query<'_>, op: Op) -> Result<Estimate, Error> {
        let answer = match self.model(op, q.version) {
            Ok(m) => model::evaluate(m, self.hw, &q.params, q.inputs, q.output, q.grid),
            Err(e) => Err(e),
        };
        match answer {
            Err(e) => self.failed(q, op, e),
            answer => answer,
        }
    }

    /// [`Self::query`] of `op` whose model answered `e`: the fallback's answer when it is on
    /// and `e` says the model has nothing to say, else `e`.
    #[cold]
    #[inline(never)]
    const fn failed(&self, q: &Query<'_>, op: Op, e: Error) -> Result<Estimate, Error> {
        match e {
            Error::NoModelForDevice { .. } | Error::ModeNotModeled { .. } if self.fallback => {
                fallback(self.hw, Some(op), q.inputs, q.output, self.grid_of(q))
            }
            e => Err(e),
        }
    }

    /// The features `family`'s formula computes for a query, after the same checks as
    /// [`Self::query`]: what `ttperf fit` regresses measured durations on. The prediction of a
    /// version of the family is [`crate::Breakdown::combine`] of the launch overhead, the family's
    /// terms, the version's values and these features.
    ///
    /// ```
    /// use ttnn_op_perf_models::*;
    /// let models = PerfModels::new(Device::WormholeB0);
    /// let x = [TensorParams::tiled(&[1, 1, 512, 512], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED)];
    /// let params = [OpParam::new("unary_op", ParamValue::Enum("exp"))];
    /// let q = Query::new(Op::EltwiseUnary, &x).params(&params);
    /// let f = models.features(&q, Family::EltwiseUnaryRoofline)?;
    /// assert_eq!(f.as_slice().len(), Family::EltwiseUnaryRoofline.coefficients().len());
    /// assert!(models.features(&q, Family::MatmulRoofline).is_err());
    /// # Ok::<(), Error>(())
    /// ```
    pub fn features(&self, q: &Query<'_>, family: Family) -> Result<FamilyValues, Error> {
        let op = match q.op {
            OpKey::Op(op) => op,
            OpKey::Name(name) => Op::from_name(name)?,
        };
        if !family.ops().contains(&op) {
            return Err(Error::ModeNotModeled {
                op,
                what: "this family (it does not model the op)",
            });
        }
        let cx = Ctx::checked(op, self.hw, &q.params, q.inputs, q.output, q.grid)?;
        family.features(&cx)
    }

    /// Answers each query independently: one result per query, in order. Failures do not
    /// affect the other queries.
    pub fn query_many<'s, 'q>(
        &'s self,
        queries: &'q [Query<'q>],
    ) -> impl ExactSizeIterator<Item = Result<Estimate, Error>> + use<'s, 'q> {
        queries.iter().map(move |q| self.query(q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The precomputed route of a `Version::Latest` query is what [`PerfModels::model`] finds,
    /// on every card, with all ops or one, with and without a pin.
    #[test]
    fn latest_routes_are_what_model_finds() {
        let mut checked = 0;
        for device in Device::ALL {
            for card in device.cards() {
                for only in [None, Some(Op::Matmul), Some(Op::EltwiseUnary)] {
                    for pin in [None, Some(1)] {
                        let ops = only.map(|op| [op]);
                        let pins = match (only, pin) {
                            (Some(op), Some(v)) => [(op, v)],
                            _ => [(Op::Matmul, 0)],
                        };
                        let mut b = PerfModels::builder(device).card(*card);
                        if let Some(ops) = &ops {
                            b = b.ops(ops);
                        }
                        if pin.is_some() && only.is_some() {
                            b = b.pins(&pins);
                        }
                        let Ok(models) = b.build() else { continue };
                        for op in Op::ALL {
                            assert_eq!(
                                models.latest[op.index()],
                                models.model(op, Version::Latest).ok(),
                                "{device} {card} {op}"
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
