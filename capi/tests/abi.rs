//! The C ABI against the Rust library it wraps: the same queries give the same estimates
//! (by name and of built parts), the same failures give the library's message and the
//! status of its kind, and queries allocate nothing, answered or failed.
//!
//! (Just over 500 lines: one test per C entry point, each short; split by entry point they
//! would repeat the same fixtures.)

use std::ffi::CStr;
use ttnn_op_perf_models::*;
use ttnn_op_perf_models_c::*;

#[path = "../../tests/counting_alloc/mod.rs"]
mod counting_alloc;
use counting_alloc::allocations;

fn s(text: &str) -> TtpmStr {
    TtpmStr {
        ptr: text.as_ptr().cast(),
        len: text.len(),
    }
}

/// A tensor as both sides have it: the C description points into `dims` and `shard`, on
/// the heap, so a `Both` moves freely.
struct Both {
    dims: Vec<u32>,
    shard: Option<Box<TtpmShardSpec>>,
    c: TtpmTensor,
    rust: TensorParams,
}

impl Both {
    fn new(dims: &[u32], dtype: DType, memory: MemoryConfig) -> Both {
        let rust = TensorParams::tiled(dims, dtype, memory);
        let shard = memory.shard.map(|s| {
            Box::new(TtpmShardSpec {
                start_x: s.grid.start.0,
                start_y: s.grid.start.1,
                end_x: s.grid.end.0,
                end_y: s.grid.end.1,
                cores: 0,
                height: s.shape[0],
                width: s.shape[1],
                orientation: match s.orientation {
                    ShardOrientation::RowMajor => TTPM_SHARD_ROW_MAJOR,
                    ShardOrientation::ColMajor => TTPM_SHARD_COL_MAJOR,
                },
            })
        });
        let mut b = Both {
            dims: dims.to_vec(),
            shard,
            c: TtpmTensor::default(),
            rust,
        };
        b.c = TtpmTensor {
            shape: b.dims.as_ptr(),
            rank: b.dims.len(),
            dtype: dtype as u32,
            buffer: match memory.buffer {
                BufferType::Dram => TTPM_BUFFER_DRAM,
                BufferType::L1 => TTPM_BUFFER_L1,
            },
            memory_layout: match memory.layout {
                MemoryLayout::Interleaved => TTPM_MEMORY_INTERLEAVED,
                MemoryLayout::HeightSharded => TTPM_MEMORY_HEIGHT_SHARDED,
                MemoryLayout::WidthSharded => TTPM_MEMORY_WIDTH_SHARDED,
                MemoryLayout::BlockSharded => TTPM_MEMORY_BLOCK_SHARDED,
                MemoryLayout::NdSharded => TTPM_MEMORY_ND_SHARDED,
            },
            shard: b.shard.as_deref().map_or(std::ptr::null(), |s| s),
            ..TtpmTensor::default()
        };
        b
    }
}

fn dram(dims: &[u32], dtype: DType) -> Both {
    Both::new(dims, dtype, MemoryConfig::DRAM_INTERLEAVED)
}

/// One case: op name, params (all enum-valued here), inputs, output, version, grid.
struct Case {
    op: &'static str,
    params: Vec<(&'static str, &'static str)>,
    inputs: Vec<Both>,
    output: Option<Both>,
    version: u16,
    grid: (u8, u8),
}

impl Case {
    fn new(op: &'static str, params: &[(&'static str, &'static str)], inputs: Vec<Both>) -> Case {
        Case {
            op,
            params: params.to_vec(),
            inputs,
            output: None,
            version: 0,
            grid: (0, 0),
        }
    }

    /// The library's own answer.
    fn rust(&self, models: &PerfModels) -> Result<Estimate, Error> {
        let params: Vec<OpParam<'_>> = self
            .params
            .iter()
            .map(|(k, v)| OpParam::new(k, ParamValue::Enum(v)))
            .collect();
        let inputs: Vec<TensorParams> = self.inputs.iter().map(|t| t.rust).collect();
        let mut q = Query::named(self.op, &inputs).params(&params);
        if self.version != 0 {
            q = q.version(self.version);
        }
        if let Some(o) = &self.output {
            q = q.output(&o.rust);
        }
        if self.grid != (0, 0) {
            q = q.grid(CoreGrid::new(self.grid.0, self.grid.1));
        }
        models.query(&q)
    }

    /// The C ABI's answer by name, and (when the params build) of built parts.
    fn c(
        &self,
        models: *const TtpmModels,
    ) -> (TtpmStatus, TtpmEstimate, Option<(TtpmStatus, TtpmEstimate)>) {
        let params: Vec<TtpmParam> = self
            .params
            .iter()
            .map(|(k, v)| TtpmParam::enumerated(s(k), s(v)))
            .collect();
        let inputs: Vec<TtpmTensor> = self.inputs.iter().map(|t| t.c).collect();
        let q = TtpmQuery {
            op: s(self.op),
            version: self.version,
            params: params.as_ptr(),
            n_params: params.len(),
            inputs: inputs.as_ptr(),
            n_inputs: inputs.len(),
            output: self.output.as_ref().map_or(std::ptr::null(), |o| &o.c),
            grid_x: self.grid.0,
            grid_y: self.grid.1,
        };
        let mut e = TtpmEstimate::default();
        // SAFETY: every pointer points into live vectors and boxes.
        let status = unsafe { ttpm_query(models, &q, &mut e) };
        let mut op_params = TtpmOpParams {
            opaque: [0; TTPM_OP_PARAMS_WORDS],
        };
        // SAFETY: as above.
        if unsafe {
            ttpm_op_params_build(s(self.op), params.as_ptr(), params.len(), &mut op_params)
        } != TTPM_OK
        {
            return (status, e, None);
        }
        let built = |t: &TtpmTensor| {
            let mut b = TtpmBuiltTensor {
                opaque: [0; TTPM_BUILT_TENSOR_WORDS],
            };
            // SAFETY: as above.
            assert_eq!(unsafe { ttpm_tensor_build(t, &mut b) }, TTPM_OK);
            b
        };
        let built_inputs: Vec<TtpmBuiltTensor> = inputs.iter().map(built).collect();
        let built_output = self.output.as_ref().map(|o| built(&o.c));
        let bq = TtpmBuiltQuery {
            op_params: &op_params,
            version: self.version,
            inputs: built_inputs.as_ptr(),
            n_inputs: built_inputs.len(),
            output: built_output.as_ref().map_or(std::ptr::null(), |o| o),
            grid_x: self.grid.0,
            grid_y: self.grid.1,
        };
        let mut be = TtpmEstimate::default();
        // SAFETY: as above.
        let built_status = unsafe { ttpm_query_built(models, &bq, &mut be) };
        (status, e, Some((built_status, be)))
    }
}

fn last_message() -> String {
    let mut buf = vec![0u8; 1024];
    // SAFETY: `buf` has `buf.len()` writable bytes.
    let n = unsafe { ttpm_last_error_message(buf.as_mut_ptr().cast(), buf.len()) };
    buf.truncate(n);
    String::from_utf8(buf).unwrap()
}

fn cstr(p: *const std::ffi::c_char) -> Option<&'static str> {
    // SAFETY: the library's names are static NUL-terminated strings.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap())
}

/// `c` is `rust`, field by field.
fn same(c: &TtpmEstimate, rust: &Estimate, what: &str) {
    let b = &rust.breakdown;
    assert_eq!(
        (
            c.duration_ns,
            c.overhead_ns,
            c.compute_ns,
            c.dram_ns,
            c.noc_ns
        ),
        (
            rust.duration_ns,
            b.overhead_ns,
            b.compute_ns,
            b.dram_ns,
            b.noc_ns
        ),
        "{what}"
    );
    assert_eq!(c.bound, rust.bound as u32, "{what}");
    match rust.source {
        Source::Model(id) => {
            assert_eq!(
                (cstr(c.device), cstr(c.op), c.version, c.fallback),
                (Some(id.device.name()), Some(id.op.name()), id.version, 0),
                "{what}"
            );
        }
        Source::Fallback { device, op } => {
            assert_eq!(
                (cstr(c.device), cstr(c.op), c.version, c.fallback),
                (Some(device.name()), op.map(|o| o.name()), 0, 1),
                "{what}"
            );
        }
    }
    let (mut low, mut high) = (0.0, 0.0);
    // SAFETY: valid pointers.
    let band = unsafe { ttpm_estimate_band(c, &mut low, &mut high) };
    assert_eq!(rust.band_ns(), (band == 1).then_some((low, high)), "{what}");
}

fn models(device: &str, card: &str) -> *mut TtpmModels {
    let options = TtpmModelsOptions {
        card: s(card),
        ..TtpmModelsOptions::default()
    };
    let mut m = std::ptr::null_mut();
    // SAFETY: valid pointers.
    assert_eq!(
        unsafe { ttpm_models_new(s(device), &options, &mut m) },
        TTPM_OK
    );
    m
}

fn cases() -> Vec<Case> {
    use DType::*;
    let mut cases = Vec::new();
    for (m, k, n) in [
        (128, 4096, 4096),
        (32, 1024, 1024),
        (1024, 1024, 2048),
        (64, 64, 64),
    ] {
        for fidelity in ["lofi", "hifi2", "hifi4"] {
            for version in [0, 1] {
                let mut c = Case::new(
                    "MatmulDeviceOperation",
                    &[("math_fidelity", fidelity)],
                    vec![dram(&[1, 1, m, k], Bfloat16), dram(&[1, 1, k, n], Bfloat8B)],
                );
                c.version = version;
                cases.push(c);
            }
        }
    }
    for op in ["exp", "gelu", "relu"] {
        for dims in [[1, 1, 1024, 1024], [1, 8, 32, 4096]] {
            let mut c = Case::new(
                "eltwise_unary",
                &[("unary_op", op)],
                vec![dram(&dims, Bfloat16)],
            );
            c.grid = (4, 4);
            cases.push(c);
            cases.push(Case::new(
                "UnaryDeviceOperation",
                &[("unary_op", op)],
                vec![dram(&dims, Float32)],
            ));
        }
    }
    for op in ["add", "mul"] {
        cases.push(Case::new(
            "BinaryNgDeviceOperation",
            &[("binary_op", op)],
            vec![
                dram(&[1, 1, 1024, 1024], Bfloat16),
                dram(&[1, 1, 1, 1024], Bfloat16),
            ],
        ));
    }
    let shard = ShardSpec::new(
        CoreRange::of_grid(CoreGrid::new(8, 8)),
        [32, 256],
        ShardOrientation::ColMajor,
    );
    let mut i2s = Case::new(
        "InterleavedToShardedDeviceOperation",
        &[],
        vec![dram(&[1, 1, 2048, 256], Bfloat16)],
    );
    i2s.output = Some(Both::new(
        &[1, 1, 2048, 256],
        Bfloat16,
        MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard),
    ));
    cases.push(i2s);
    // Failures of each kind the query can have.
    cases.push(Case::new(
        "UnmodeledDeviceOperation",
        &[],
        vec![dram(&[32, 32], Bfloat16)],
    ));
    cases.push(Case::new(
        "matmul",
        &[("math_fidelity", "hifi9")],
        vec![dram(&[32, 32], Bfloat16), dram(&[32, 32], Bfloat16)],
    ));
    cases.push(Case::new(
        "matmul",
        &[("fidelity", "hifi2")],
        vec![dram(&[32, 32], Bfloat16), dram(&[32, 32], Bfloat16)],
    ));
    cases.push(Case::new(
        "eltwise_unary",
        &[],
        vec![dram(&[32, 32], Bfloat16)],
    ));
    cases.push(Case::new("matmul", &[], vec![dram(&[32, 32], Bfloat16)]));
    cases.push(Case::new(
        "matmul",
        &[],
        vec![dram(&[64, 64], Bfloat16), dram(&[32, 64], Bfloat16)],
    ));
    cases.push(Case::new(
        "eltwise_unary",
        &[("unary_op", "exp")],
        vec![dram(&[1 << 30, 1 << 30, 1 << 30, 32, 32], Bfloat16)],
    ));
    let mut v99 = Case::new(
        "eltwise_unary",
        &[("unary_op", "exp")],
        vec![dram(&[32, 32], Bfloat16)],
    );
    v99.version = 99;
    cases.push(v99);
    let mut grid = Case::new(
        "eltwise_unary",
        &[("unary_op", "exp")],
        vec![dram(&[32, 32], Bfloat16)],
    );
    grid.grid = (200, 1);
    cases.push(grid);
    cases
}

#[test]
fn c_queries_are_the_library_queries() {
    let (mut answered, mut failed) = (0, 0);
    for (device, card) in [
        ("wormhole_b0", ""),
        ("wormhole_b0", "n300"),
        ("blackhole", "p100"),
        ("grayskull", ""),
    ] {
        let c_models = models(device, card);
        let mut b = PerfModels::builder(Device::from_name(device).unwrap());
        if !card.is_empty() {
            b = b.card(Card::from_name(card).unwrap());
        }
        let rust_models = b.build().unwrap();
        for case in cases() {
            let what = format!(
                "{device}/{card} {} {:?} v{}",
                case.op, case.params, case.version
            );
            let rust = case.rust(&rust_models);
            let (status, e, built) = case.c(c_models);
            match &rust {
                Ok(r) => {
                    assert_eq!(status, TTPM_OK, "{what}: {}", last_message());
                    same(&e, r, &what);
                    let (bs, be) = built.expect("params that answer build");
                    assert_eq!(bs, TTPM_OK, "{what} built: {}", last_message());
                    same(&be, r, &format!("{what} built"));
                    answered += 1;
                }
                Err(err) => {
                    assert_ne!(status, TTPM_OK, "{what}");
                    assert_eq!(last_message(), err.to_string(), "{what}");
                    assert_eq!(ttpm_last_error_status(), status, "{what}");
                    if let Some((bs, _)) = built {
                        assert_eq!(bs, status, "{what} built");
                        assert_eq!(last_message(), err.to_string(), "{what} built");
                    }
                    failed += 1;
                }
            }
        }
        // SAFETY: a live handle, freed once.
        unsafe { ttpm_models_free(c_models) };
    }
    assert!(
        answered > 100 && failed > 30,
        "{answered} answered, {failed} failed"
    );
}

#[test]
fn statuses_name_the_error_kinds() {
    let m = models("wormhole_b0", "");
    let expected = [
        ("UnmodeledDeviceOperation", TTPM_UNKNOWN_OP),
        ("matmul hifi9", TTPM_INVALID_PARAM),
        ("matmul fidelity", TTPM_UNKNOWN_PARAM),
        ("unary without params", TTPM_MISSING_PARAM),
        ("matmul of one", TTPM_OPERAND_COUNT),
        ("matmul 64x64 @ 32x64", TTPM_INVALID_TENSOR),
        ("huge", TTPM_OVERFLOW),
        ("v99", TTPM_NO_SUCH_VERSION),
        ("grid", TTPM_INVALID_GRID),
    ];
    let failing: Vec<Case> = cases()
        .into_iter()
        .rev()
        .take(expected.len())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    for (case, (what, status)) in failing.iter().zip(expected) {
        assert_eq!(case.c(m).0, status, "{what}: {}", last_message());
        // SAFETY: a static string.
        let name = unsafe { CStr::from_ptr(ttpm_status_name(status)) }
            .to_str()
            .unwrap();
        assert!(
            name.starts_with("TTPM_") && name != "TTPM_UNKNOWN_STATUS",
            "{name}"
        );
    }
    // SAFETY: a live handle, freed once.
    unsafe { ttpm_models_free(m) };
}

#[test]
fn queries_allocate_nothing() {
    let m = models("wormhole_b0", "");
    let a = dram(&[1, 1, 128, 4096], DType::Bfloat16);
    let w = dram(&[1, 1, 4096, 4096], DType::Bfloat8B);
    let inputs = [a.c, w.c];
    let good = [TtpmParam::enumerated(s("math_fidelity"), s("hifi2"))];
    let bad = [TtpmParam::enumerated(s("math_fidelity"), s("hifi9"))];
    let q = TtpmQuery {
        op: s("MatmulDeviceOperation"),
        params: good.as_ptr(),
        n_params: 1,
        inputs: inputs.as_ptr(),
        n_inputs: 2,
        ..TtpmQuery::default()
    };
    let failing = TtpmQuery {
        params: bad.as_ptr(),
        ..q
    };
    let mut op_params = TtpmOpParams {
        opaque: [0; TTPM_OP_PARAMS_WORDS],
    };
    let mut built = [TtpmBuiltTensor {
        opaque: [0; TTPM_BUILT_TENSOR_WORDS],
    }; 2];
    // SAFETY: valid pointers throughout.
    unsafe {
        assert_eq!(
            ttpm_op_params_build(q.op, good.as_ptr(), 1, &mut op_params),
            TTPM_OK
        );
        assert_eq!(ttpm_tensor_build(&inputs[0], &mut built[0]), TTPM_OK);
        assert_eq!(ttpm_tensor_build(&inputs[1], &mut built[1]), TTPM_OK);
    }
    let bq = TtpmBuiltQuery {
        op_params: &op_params,
        version: 0,
        inputs: built.as_ptr(),
        n_inputs: 2,
        output: std::ptr::null(),
        grid_x: 0,
        grid_y: 0,
    };
    let mut e = TtpmEstimate::default();
    let n = allocations(|| {
        for _ in 0..100 {
            // SAFETY: valid pointers.
            unsafe {
                assert_eq!(ttpm_query(m, &q, &mut e), TTPM_OK);
                assert_eq!(ttpm_query(m, &failing, &mut e), TTPM_INVALID_PARAM);
                assert_eq!(ttpm_query_built(m, &bq, &mut e), TTPM_OK);
                assert_eq!(
                    ttpm_query(std::ptr::null(), &q, &mut e),
                    TTPM_INVALID_ARGUMENT
                );
            }
        }
    });
    assert_eq!(n, 0, "allocations in 400 queries");
    // SAFETY: a live handle, freed once.
    unsafe { ttpm_models_free(m) };
}
