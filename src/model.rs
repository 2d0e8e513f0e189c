//! Model versions and their evaluation: the layer between the manager's routing and the
//! formulas. A model owns its param handling (checked against the op's schema) and its operand
//! checks; the formula of its family then computes the cost.

use crate::device::{CoreGrid, Device, Hardware};
use crate::error::{Error, Operand, TensorProblem};
use crate::estimate::{Accuracy, Breakdown, Estimate, ModelId, Source};
use crate::generated::MODELS;
use crate::generated::OpParams;
use crate::op::Op;
use crate::params::QueryParams;
use crate::tensor::TensorParams;

use crate::estimate::Term;
pub use crate::generated::{Family, MAX_FAMILY_COEFFICIENTS, ModelCoefficients};

impl Family {
    /// The family of this spec name (`matmul_roofline`, ...).
    ///
    /// ```
    /// use ttnn_op_perf_models::Family;
    /// assert_eq!(Family::from_name("matmul_roofline"), Some(Family::MatmulRoofline));
    /// assert_eq!(Family::from_name("softmax"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// One fitted coefficient of a formula family, as its spec declares it: a version's value
/// for it multiplies the feature of the same name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coefficient {
    pub name: &'static str,
    pub summary: &'static str,
    /// The breakdown term `coefficient * feature` adds to.
    pub term: Term,
    /// Inclusive bounds a version's value must respect.
    pub min: f64,
    pub max: f64,
}

/// One value per coefficient of a family, in spec order: a version's coefficients
/// ([`ModelCoefficients::values`]) or a query's features ([`Family::features`]).
///
/// ```
/// use ttnn_op_perf_models::{model::Ctx, *};
/// let hw = Hardware::of(Card::N150);
/// let x = TensorParams::tiled(&[1, 1, 256, 256], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
/// let (inputs, params) = ([x], [OpParam::new("unary_op", ParamValue::Enum("exp"))]);
/// let cx = Ctx::new(Op::EltwiseUnary, hw, QueryParams::ByName(&params), &inputs, None, hw.compute_grid)?;
/// let model = model_versions(Device::WormholeB0, Op::EltwiseUnary)[0];
/// let family = model.family();
/// let (values, features) = (model.coefficients.values(), family.features(&cx)?);
/// let terms: Vec<Term> = family.coefficients().iter().map(|c| c.term).collect();
/// let b = Breakdown::combine(hw.launch_overhead_ns, &terms, values.as_slice(), features.as_slice());
/// assert_eq!(b, model.coefficients.cost(&cx)?);
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FamilyValues {
    values: [f64; MAX_FAMILY_COEFFICIENTS],
    len: usize,
}

impl FamilyValues {
    pub(crate) const fn new(values: &[f64]) -> Self {
        let mut v = FamilyValues {
            values: [0.0; MAX_FAMILY_COEFFICIENTS],
            len: 0,
        };
        while v.len < values.len() && v.len < MAX_FAMILY_COEFFICIENTS {
            v.values[v.len] = values[v.len];
            v.len += 1;
        }
        v
    }

    pub const fn as_slice(&self) -> &[f64] {
        self.values.split_at(self.len).0
    }
}

/// One version of one op's model on one device, as its spec declares it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelVersion {
    pub device: Device,
    pub op: Op,
    pub version: u16,
    /// What the version is (analytic, calibrated on what).
    pub summary: &'static str,
    /// The formula family and its fitted coefficients.
    pub coefficients: ModelCoefficients,
    /// Measured error of the version.
    pub accuracy: Accuracy,
}

impl ModelVersion {
    pub const fn id(&self) -> ModelId {
        ModelId {
            device: self.device,
            op: self.op,
            version: self.version,
        }
    }

    pub const fn family(&self) -> Family {
        self.coefficients.family()
    }
}

/// Every version of `op` on `device`, ascending; the last is the latest. Empty when the op
/// has no model for the device.
///
/// ```
/// use ttnn_op_perf_models::{model_versions, Device, Op};
/// let v = model_versions(Device::WormholeB0, Op::Matmul);
/// assert!(!v.is_empty());
/// assert!(v.windows(2).all(|w| w[0].version < w[1].version));
/// ```
pub const fn model_versions(device: Device, op: Op) -> &'static [ModelVersion] {
    MODELS[device.index()][op.index()]
}

/// The version `version` of `op` on `device`, or the versions that exist.
pub(crate) const fn find_version(
    device: Device,
    op: Op,
    version: u16,
) -> Result<&'static ModelVersion, Error> {
    let available = model_versions(device, op);
    let mut i = 0;
    while i < available.len() {
        if available[i].version == version {
            return Ok(&available[i]);
        }
        i += 1;
    }
    Err(Error::NoSuchVersion {
        device,
        op,
        requested: version,
        available,
    })
}

impl ModelId {
    /// The model version this names: its summary, family coefficients and accuracy.
    pub const fn model(self) -> Result<&'static ModelVersion, Error> {
        if model_versions(self.device, self.op).is_empty() {
            return Err(Error::NoModelForDevice {
                op: self.op,
                device: self.device,
            });
        }
        find_version(self.device, self.op, self.version)
    }
}

/// What a formula sees of a query: params resolved against the op's schema, tensors checked
/// against its operand rules, the core grid and the hardware. Build one with [`Ctx::new`] to
/// call a formula of [`crate::formulas`] directly.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'q> {
    pub(crate) hw: &'static Hardware,
    pub(crate) op: Op,
    pub(crate) params: OpParams,
    pub(crate) inputs: &'q [TensorParams],
    pub(crate) output: Option<&'q TensorParams>,
    pub(crate) grid: CoreGrid,
}

impl<'q> Ctx<'q> {
    /// Checks a query of `op` on `hw`: the core grid, the operands, and the params against the
    /// op's schema (defaults filled in). This is what a model does before its formula runs.
    /// `grid` counts as given by the caller (ttnn's `core_grid`), as [`crate::Query::grid`] does.
    ///
    /// ```
    /// use ttnn_op_perf_models::{formulas, model::Ctx, *};
    /// let hw = Hardware::of(Card::N150);
    /// let x = TensorParams::tiled(&[1, 1, 256, 256], DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED);
    /// let (inputs, params) = ([x], [OpParam::new("unary_op", ParamValue::Enum("relu"))]);
    /// let cx = Ctx::new(Op::EltwiseUnary, hw, QueryParams::ByName(&params), &inputs, None, hw.compute_grid)?;
    /// let features = formulas::eltwise_unary_roofline::features(&cx)?;
    /// assert!(features.simple_tile_cycles > 0.0 && features.transcendental_tile_cycles == 0.0);
    /// # Ok::<(), Error>(())
    /// ```
    #[inline]
    pub const fn new(
        op: Op,
        hw: &'static Hardware,
        params: QueryParams<'_>,
        inputs: &'q [TensorParams],
        output: Option<&'q TensorParams>,
        grid: CoreGrid,
    ) -> Result<Self, Error> {
        Ctx::checked(op, hw, &params, inputs, output, Some(grid))
    }

    /// [`Ctx::new`] of a query that may give no grid (then the card's compute grid).
    #[inline]
    pub(crate) const fn checked(
        op: Op,
        hw: &'static Hardware,
        params: &QueryParams<'_>,
        inputs: &'q [TensorParams],
        output: Option<&'q TensorParams>,
        grid: Option<CoreGrid>,
    ) -> Result<Self, Error> {
        let mut cx = Ctx::unchecked(op, hw, params, inputs, output, grid);
        tri!(cx.check(params));
        Ok(cx)
    }

    /// The query as given, where its params start ([`QueryParams::start`]); [`Ctx::check`]
    /// then checks it.
    #[inline]
    const fn unchecked(
        op: Op,
        hw: &'static Hardware,
        params: &QueryParams<'_>,
        inputs: &'q [TensorParams],
        output: Option<&'q TensorParams>,
        grid: Option<CoreGrid>,
    ) -> Self {
        Ctx {
            hw,
            op,
            params: params.start(op),
            inputs,
            output,
            grid: match grid {
                Some(g) => g,
                None => hw.compute_grid,
            },
        }
    }

    /// Checks the grid and the operands, and sets the query's params. In place: the
    /// context is built once, not moved out of a `Result`.
    #[inline(always)]
    const fn check(&mut self, params: &QueryParams<'_>) -> Result<(), Error> {
        if self.is_valid(params) {
            Ok(())
        } else {
            self.check_exactly(params)
        }
    }

    /// The checks of [`Self::check`] as one `bool`, in few branches; the common case.
    #[inline(always)]
    const fn is_valid(&mut self, params: &QueryParams<'_>) -> bool {
        self.grid.fits_in(self.hw.full_grid)
            && operands_ok(self.op, self.hw, self.inputs, self.output)
            && self.params.set_ok(self.op, params)
    }

    /// The checks of [`Self::check`] one by one, naming the first that fails: the error path,
    /// kept out of line.
    #[cold]
    #[inline(never)]
    const fn check_exactly(&mut self, params: &QueryParams<'_>) -> Result<(), Error> {
        if !self.grid.fits_in(self.hw.full_grid) {
            return Err(Error::InvalidGrid {
                grid: self.grid,
                card: self.hw.card,
            });
        }
        tri!(check_operands(self.op, self.hw, self.inputs, self.output));
        self.params.set_exactly(self.op, params)
    }

    /// The cores `items` of work on `t` (its sticks or rows) go over: `t`'s shard cores, else
    /// the query's grid; at most one item a core, at least one core.
    #[inline]
    pub(crate) const fn cores_over(&self, t: &TensorParams, items: u64) -> u64 {
        let cores = match t.shard_cores() {
            Some(c) => c,
            None => self.grid.cores() as u64,
        };
        max(min(cores, items), 1)
    }

    /// Time one core waits for a read of `bytes` from `t`: tt-metal's measured DRAM latency,
    /// or one tile's NoC time from L1.
    #[inline]
    pub(crate) const fn waited_read_ns(&self, t: &TensorParams, bytes: u64) -> f64 {
        if t.memory.is_dram() {
            self.cycles_to_ns(self.hw.waited_dram_read_cycles(bytes))
        } else {
            let tile = self.hw.tile_bytes(t.dtype) as u64;
            self.noc_ns_at(tile, self.hw.noc_bytes_per_cycle(tile))
        }
    }

    /// Time one core waits for a write of `bytes` to `t` it issues alone (a write followed by
    /// `noc_async_write_barrier`): to a DRAM page, or to another core's L1.
    #[inline]
    pub(crate) const fn waited_write_ns(&self, t: &TensorParams, bytes: u64) -> f64 {
        self.cycles_to_ns(self.hw.waited_write_cycles(bytes, t.memory.is_dram()))
    }

    #[inline]
    pub(crate) const fn cycles_to_ns(&self, cycles: f64) -> f64 {
        // A multiply by the precomputed reciprocal: within 1 ulp of `cycles / cycles_per_ns`.
        cycles * self.hw.ns_per_cycle
    }

    /// Time to read `bytes` from DRAM at the card's achievable bandwidth (writes:
    /// [`Self::dram_write_ns`]; matmul, the tilize family and the cache writers still count
    /// their writes here: at the write fraction, their held-out figures got worse).
    #[inline]
    pub(crate) const fn dram_ns(&self, bytes: u64) -> f64 {
        bytes as f64 * self.hw.ns_per_dram_byte
    }

    /// Time for many cores to write `bytes` of pages to DRAM: the achievable bandwidth's
    /// `dram_write_fraction`.
    #[inline]
    pub(crate) const fn dram_write_ns(&self, bytes: u64) -> f64 {
        bytes as f64 * self.hw.ns_per_dram_write_byte
    }

    /// Time for DRAM to serve `read` bytes and take `written` bytes.
    #[inline]
    pub(crate) const fn dram_traffic_ns(&self, read: u64, written: u64) -> f64 {
        self.dram_ns(read) + self.dram_write_ns(written)
    }

    /// Cycles one command moving `bytes` to or from DRAM costs the core that issues it: the
    /// published issue cycles of a small transfer (`issue_cycles`), or the bytes at one core's
    /// DRAM rate when longer.
    #[inline]
    pub(crate) const fn command_cycles(&self, issue_cycles: f64, bytes: u64) -> f64 {
        let streamed = bytes as f64 / self.hw.dram_core_bytes_per_cycle;
        if streamed > issue_cycles {
            streamed
        } else {
            issue_cycles
        }
    }

    /// Time for readers beside their own DRAM banks to stream `bytes` of them in large requests
    /// (a DRAM-sharded matmul's workers), at the card's `dram_bank_reader_fraction` of the peak.
    #[inline]
    pub(crate) const fn dram_bank_local_ns(&self, bytes: u64) -> f64 {
        bytes as f64 / (self.hw.dram_peak_gb_s * self.hw.dram_bank_reader_fraction)
    }

    /// Time for the DRAM banks' NoC endpoints to take `requests` reads issued on one NoC,
    /// spread evenly over the banks as interleaved pages are: each endpoint takes one per
    /// `dram_endpoint_read_cycles`, whatever its size (tt-metal issue #55898).
    #[inline]
    pub(crate) const fn dram_requests_ns(&self, requests: u64) -> f64 {
        let per_bank = ceil_div(requests, max(self.hw.dram_channels as u64, 1));
        self.cycles_to_ns(per_bank as f64 * self.hw.dram_endpoint_read_cycles)
    }

    /// The longer of `bytes` through DRAM and `requests` reads at the banks' endpoints: pages
    /// under ~1.5 KB from many cores are bound by their count (Blackhole's bfloat4_b tiles reach
    /// ~60% of the bandwidth).
    #[inline]
    pub(crate) const fn dram_bytes_or_requests_ns(&self, bytes: u64, requests: u64) -> f64 {
        let (bytes_ns, requests_ns) = (self.dram_ns(bytes), self.dram_requests_ns(requests));
        if requests_ns > bytes_ns {
            requests_ns
        } else {
            bytes_ns
        }
    }

    /// Time for DRAM to serve `read` bytes in `requests` page reads
    /// ([`Self::dram_bytes_or_requests_ns`]) and take `written` bytes.
    #[inline]
    pub(crate) const fn dram_pages_ns(&self, read: u64, requests: u64, written: u64) -> f64 {
        self.dram_bytes_or_requests_ns(read, requests) + self.dram_write_ns(written)
    }

    /// Time for one core to move `bytes` over the NoC at `bytes_per_cycle`.
    #[inline]
    pub(crate) const fn noc_ns_at(&self, bytes: u64, bytes_per_cycle: f64) -> f64 {
        self.cycles_to_ns(bytes as f64 / bytes_per_cycle)
    }

    /// Time for one core to move `bytes` over the NoC in transfers of one tile of `t`.
    #[inline]
    pub(crate) const fn noc_ns_of_tiles(&self, bytes: u64, t: &TensorParams) -> f64 {
        self.noc_ns_at(bytes, self.hw.noc_bytes_per_cycle_of_tiles(t))
    }

    #[inline]
    pub(crate) const fn not_modeled(&self, what: &'static str) -> Error {
        Error::ModeNotModeled { op: self.op, what }
    }

    /// The op's param `key` disagrees with the rest of the query, as `why` says. A key the
    /// op's schema does not have (a formula's slip) is reported as not modeled, with `why`.
    #[inline]
    pub(crate) const fn param_error(&self, key: &str, why: &'static str) -> Error {
        let spec = self.op.spec();
        let ix = crate::params::key_index(spec, key);
        if ix < spec.params.len() {
            Error::InvalidParam {
                op: self.op,
                param: &spec.params[ix],
                problem: crate::error::ParamProblem::Disagrees { why },
            }
        } else {
            self.not_modeled(why)
        }
    }

    /// The formula found no value of its op's params: it was given another op's query (its
    /// family spec lists an op it does not handle).
    #[inline]
    pub(crate) const fn foreign_params(&self) -> Error {
        self.not_modeled("this op with this formula (it reads another op's params)")
    }

    #[inline]
    pub(crate) const fn tensor_error(&self, operand: Operand, problem: TensorProblem) -> Error {
        Error::InvalidTensor {
            op: Some(self.op),
            operand,
            problem,
        }
    }
}

/// `a * b`, or an overflow error naming `what`.
pub(crate) const fn mul(a: u64, b: u64, what: &'static str) -> Result<u64, Error> {
    match a.checked_mul(b) {
        Some(x) => Ok(x),
        None => Err(Error::Overflow { what }),
    }
}

/// `ceil(a / b)` for `b > 0`. Divisors are mostly core counts, which are often powers of
/// two (an 8x8 grid): a shift then, not a division.
#[inline]
pub(crate) const fn ceil_div(a: u64, b: u64) -> u64 {
    if b.is_power_of_two() {
        let k = b.trailing_zeros();
        (a >> k) + (a & (b - 1) != 0) as u64
    } else {
        a.div_ceil(if b > 1 { b } else { 1 })
    }
}

/// 1 when `cond`, else 0: a count that a condition switches on or off.
#[inline]
pub(crate) const fn one_if(cond: bool) -> u64 {
    cond as u64
}

/// `a / b` for `b > 0` (0 counts as 1): a shift when `b` is a power of two, as tile sides
/// and counts of them mostly are.
#[inline]
pub(crate) const fn div(a: u64, b: u64) -> u64 {
    if b.is_power_of_two() {
        a >> b.trailing_zeros()
    } else {
        a / if b > 1 { b } else { 1 }
    }
}

/// The largest divisor of `n` up to `most` (an even one when `even`), at least 1: how
/// tt-metal sizes read batches and core counts that must divide their work evenly
/// (`find_max_divisor`, `get_max_cores_divisible_by_tiles_per_core_tiles`).
/// Steps down from `most` while that is the shorter walk, else over the divisor pairs up to
/// the square root of `n`: a query's cost stays bounded however large `n` is.
pub(crate) const fn largest_divisor(n: u64, most: u64, even: bool) -> u64 {
    let top = if most < n { most } else { n };
    if top.saturating_mul(top) <= n {
        let mut d = top;
        while d > 1 {
            if n % d == 0 && (!even || d % 2 == 0) {
                return d;
            }
            d -= 1;
        }
        return 1;
    }
    let mut best = 1;
    let mut i = 1;
    while i <= n / i {
        if n % i == 0 {
            let pair = [i, n / i];
            let mut k = 0;
            while k < pair.len() {
                let d = pair[k];
                if d <= top && d > best && (!even || d % 2 == 0) {
                    best = d;
                }
                k += 1;
            }
        }
        i += 1;
    }
    best
}

/// The larger of `a` and `b` (`Ord::max` is not const).
pub(crate) const fn max(a: u64, b: u64) -> u64 {
    if a > b { a } else { b }
}

/// The smaller of `a` and `b` (`Ord::min` is not const).
pub(crate) const fn min(a: u64, b: u64) -> u64 {
    if a < b { a } else { b }
}

/// Whether [`check_operands`] accepts the operands, in few branches.
#[inline(always)]
const fn operands_ok(
    op: Op,
    hw: &Hardware,
    inputs: &[TensorParams],
    output: Option<&TensorParams>,
) -> bool {
    let rules = &op.spec().operands;
    let n = inputs.len();
    if n < rules.min_inputs as usize
        || n > rules.max_inputs as usize
        || (rules.output_required && output.is_none())
    {
        return false;
    }
    let mut ok = true;
    let mut i = 0;
    while i < n {
        ok &= operand_ok(rules, rules.min_rank as usize, hw, &inputs[i]);
        i += 1;
    }
    match output {
        Some(t) => ok & operand_ok(rules, 1, hw, t),
        None => ok,
    }
}

/// Whether [`check_operand`] accepts `t`.
#[inline(always)]
const fn operand_ok(
    rules: &crate::op::OperandRules,
    min_rank: usize,
    hw: &Hardware,
    t: &TensorParams,
) -> bool {
    let layout_ok = match t.layout {
        crate::tensor::Layout::Tile { .. } => rules.tile,
        crate::tensor::Layout::RowMajor => rules.row_major,
    };
    layout_ok & t.is_valid(min_rank, hw)
}

/// Checks the operand count against the op's rules, and each tensor on its own and against
/// the layouts the op allows.
#[inline]
pub(crate) const fn check_operands(
    op: Op,
    hw: &Hardware,
    inputs: &[TensorParams],
    output: Option<&TensorParams>,
) -> Result<(), Error> {
    let rules = op.spec().operands;
    let (min, max) = (rules.min_inputs as usize, rules.max_inputs as usize);
    if inputs.len() < min || inputs.len() > max || (rules.output_required && output.is_none()) {
        return Err(Error::OperandCount {
            op,
            min,
            max,
            got: inputs.len(),
            output_required: rules.output_required,
        });
    }
    let mut i = 0;
    while i < inputs.len() {
        tri!(check_operand(op, hw, Operand::Input(i), &inputs[i]));
        i += 1;
    }
    match output {
        Some(t) => check_operand(op, hw, Operand::Output, t),
        None => Ok(()),
    }
}

/// Checks one tensor on its own and against the layouts `op` allows.
#[inline]
const fn check_operand(
    op: Op,
    hw: &Hardware,
    operand: Operand,
    t: &TensorParams,
) -> Result<(), Error> {
    let rules = op.spec().operands;
    let layout_ok = match t.layout {
        crate::tensor::Layout::Tile { .. } => rules.tile,
        crate::tensor::Layout::RowMajor => rules.row_major,
    };
    // The output's rank is the op's business (a matmul output can be rank 2 from rank-2
    // inputs); only inputs carry the op's minimum rank.
    let min_rank = match operand {
        Operand::Output => 1,
        Operand::Input(_) => rules.min_rank as usize,
    };
    let problem = match t.validate(min_rank, hw) {
        Err(problem) => problem,
        Ok(()) if !layout_ok => TensorProblem::LayoutNotAllowed,
        Ok(()) => return Ok(()),
    };
    Err(Error::InvalidTensor {
        op: Some(op),
        operand,
        problem,
    })
}

/// Evaluates `model` for a query on `hw`. Out of line: `PerfModels::query` and its exact
/// version path share one copy (inlined, each held the whole dispatch over the families, and
/// LLVM compiled it twice; a call costs no measurable latency, `examples/query_latency`).
#[inline(never)]
pub(crate) const fn evaluate(
    model: &'static ModelVersion,
    hw: &'static Hardware,
    params: &QueryParams<'_>,
    inputs: &[TensorParams],
    output: Option<&TensorParams>,
    grid: Option<CoreGrid>,
) -> Result<Estimate, Error> {
    // Built in place: moved out of the `Result` that `Ctx::checked` returns, it costs a copy
    // a query (a typed query 1.4x -> 2.1x its direct call, `examples/query_latency`).
    let mut ctx = Ctx::unchecked(model.op, hw, params, inputs, output, grid);
    tri!(ctx.check(params));
    let breakdown: Breakdown = tri!(model.coefficients.cost(&ctx));
    Estimate::new(breakdown, Source::Model(model.id()), model.accuracy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_divisors_match_the_walk_down_from_most() {
        let walked = |n: u64, most: u64, even: bool| {
            (2..=most.min(n))
                .rev()
                .find(|d| n % d == 0 && (!even || d % 2 == 0))
                .unwrap_or(1)
        };
        for n in 0..=400u64 {
            for most in 0..=450u64 {
                for even in [false, true] {
                    assert_eq!(
                        largest_divisor(n, most, even),
                        walked(n, most, even),
                        "{n} {most} {even}"
                    );
                }
            }
        }
        // Past the walk's reach: 2^40's largest divisor up to 10^9 is 2^29.
        assert_eq!(largest_divisor(1 << 40, 1_000_000_000, true), 1 << 29);
    }

    /// `ceil_div` is `div_ceil` and `div` is `/` (0 counting as 1), on both of their paths: around multiples
    /// of every power of two and of other divisors, and at the ends of `u64`.
    #[test]
    fn ceil_div_is_div_ceil() {
        let others = [0u64, 3, 7, 10, 64 * 3, 108, 130, u64::MAX];
        for b in others.into_iter().chain((0..64).map(|k| 1u64 << k)) {
            let d = b.max(1);
            let multiple = d.wrapping_mul(5);
            for a in [
                0,
                1,
                d - 1,
                d,
                d.wrapping_add(1),
                multiple,
                multiple + 1,
                u64::MAX,
            ] {
                assert_eq!(ceil_div(a, b), a.div_ceil(d), "{a} / {b}");
                assert_eq!(div(a, b), a / d, "{a} / {b}");
            }
        }
    }
}
