//! Properties of the query path over arbitrary (mostly invalid) queries: it never panics, and
//! an answer is always a finite positive duration that matches its breakdown.

use proptest::prelude::*;
use ttnn_op_perf_models::*;

fn dim() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => (1u32..64).prop_map(|t| t * 32),
        1 => Just(0u32),
        1 => 1u32..100,
        1 => Just(u32::MAX),
        1 => Just(1u32 << 30),
    ]
}

fn layout() -> impl Strategy<Value = Layout> {
    prop_oneof![
        4 => Just(Layout::TILE),
        1 => Just(Layout::RowMajor),
        1 => (0u16..40, 0u16..40).prop_map(|(height, width)| Layout::Tile { height, width }),
    ]
}

fn memory() -> impl Strategy<Value = MemoryConfig> {
    let shard = (0u8..16, 0u8..12, 0u32..4096, 0u32..4096).prop_map(|(x, y, h, w)| {
        ShardSpec::new(
            CoreRange {
                start: (0, 0),
                end: (x, y),
            },
            [h, w],
            ShardOrientation::RowMajor,
        )
    });
    let layouts = prop_oneof![
        Just(MemoryLayout::Interleaved),
        Just(MemoryLayout::HeightSharded),
        Just(MemoryLayout::WidthSharded),
        Just(MemoryLayout::BlockSharded),
        Just(MemoryLayout::NdSharded),
    ];
    (any::<bool>(), layouts, proptest::option::of(shard)).prop_map(|(dram, layout, shard)| {
        MemoryConfig {
            buffer: if dram {
                BufferType::Dram
            } else {
                BufferType::L1
            },
            layout,
            shard,
        }
    })
}

fn tensor() -> impl Strategy<Value = TensorParams> {
    (
        proptest::collection::vec(dim(), 0..10),
        proptest::sample::select(DType::ALL.to_vec()),
        layout(),
        memory(),
    )
        .prop_map(|(dims, dtype, layout, memory)| {
            TensorParams::new(Shape::new(&dims), dtype, layout, memory)
        })
}

const KEYS: [&str; 9] = [
    "math_fidelity",
    "program_config",
    "transpose_a",
    "transpose_b",
    "unary_op",
    "binary_op",
    "num_slices",
    "bogus",
    "",
];
const WORDS: [&str; 12] = [
    "lofi",
    "hifi4",
    "auto",
    "mcast_1d",
    "mcast_2d",
    "multi_core",
    "multi_core_reuse",
    "dram_sharded",
    "exp",
    "relu",
    "add",
    "mul",
];

fn param() -> impl Strategy<Value = (usize, u8, i64, usize)> {
    (0..KEYS.len(), 0u8..4, -3i64..100_000, 0..WORDS.len())
}

fn to_param(&(key, kind, int, word): &(usize, u8, i64, usize)) -> OpParam<'static> {
    let value = match kind {
        0 => ParamValue::Int(int),
        1 => ParamValue::Float(int as f64 / 3.0),
        2 => ParamValue::Bool(int % 2 == 0),
        _ => ParamValue::Enum(WORDS[word]),
    };
    OpParam::new(KEYS[key], value)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn queries_never_panic_and_answers_are_sound(
        device in proptest::sample::select(Device::ALL.to_vec()),
        op in proptest::sample::select(Op::ALL.to_vec()),
        inputs in proptest::collection::vec(tensor(), 0..4),
        output in proptest::option::of(tensor()),
        params in proptest::collection::vec(param(), 0..4),
        grid in proptest::option::of((0u8..16, 0u8..12)),
        fallback in any::<bool>(),
        version in proptest::option::of(0u16..3),
    ) {
        let models = PerfModels::builder(device).fallback(fallback).build().unwrap();
        let params: Vec<OpParam<'_>> = params.iter().map(to_param).collect();
        let mut q = Query::new(op, &inputs).params(&params);
        if let Some(o) = &output { q = q.output(o); }
        if let Some((x, y)) = grid { q = q.grid(CoreGrid::new(x, y)); }
        if let Some(v) = version { q = q.version(v); }
        match models.query(&q) {
            Ok(e) => {
                // A model answered only a query its checks accept (the fast checks of the
                // query path agree with the exact ones that name the error).
                if let Source::Model(_) = e.source {
                    let hw = models.hardware();
                    let rules = op.spec().operands;
                    let count = rules.min_inputs as usize..=rules.max_inputs as usize;
                    prop_assert!(count.contains(&inputs.len()));
                    prop_assert!(output.is_some() || !rules.output_required);
                    let allowed = |t: &TensorParams| match t.layout() {
                        Layout::Tile { .. } => rules.tile,
                        Layout::RowMajor => rules.row_major,
                    };
                    for t in &inputs {
                        prop_assert_eq!(t.validate(rules.min_rank as usize, hw), Ok(()));
                        prop_assert!(allowed(t), "{t:?}");
                    }
                    if let Some(o) = &output {
                        prop_assert_eq!(o.validate(1, hw), Ok(()));
                        prop_assert!(allowed(o), "{o:?}");
                    }
                    prop_assert!(q.grid.is_none_or(|g| g.fits_in(hw.full_grid)));
                    for (i, p) in params.iter().enumerate() {
                        prop_assert!(op.params().iter().any(|s| s.key == p.key), "{p:?}");
                        prop_assert!(params[..i].iter().all(|o| o.key != p.key), "{p:?}");
                    }
                }
                prop_assert!(e.duration_ns.is_finite() && e.duration_ns > 0.0, "{e:?}");
                prop_assert_eq!(e.duration_ns, e.breakdown.duration_ns());
                prop_assert!(e.duration_ns >= e.breakdown.overhead_ns);
                prop_assert_eq!(e.bound, e.breakdown.bound());
            }
            Err(err) => prop_assert!(!err.to_string().is_empty()),
        }
    }

    #[test]
    fn lookups_by_arbitrary_names_never_panic(name in ".{0,80}") {
        let _ = Op::from_name(&name);
        let _ = Device::from_name(&name);
        let _ = DType::from_name(&name);
        let models = PerfModels::builder(Device::Blackhole).fallback(true).build().unwrap();
        let x = [TensorParams::tiled(&[32, 32], DType::Float32, MemoryConfig::L1_INTERLEAVED)];
        let _ = models.query(&Query::named(&name, &x));
    }
}

fn fidelity() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec!["lofi", "hifi2", "hifi3", "hifi4"])
}

fn program_config() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![
        "auto",
        "multi_core",
        "multi_core_reuse",
        "mcast_1d",
        "mcast_2d",
    ])
}

fn dram_tiled(dims: &[u32], dtype: DType) -> TensorParams {
    TensorParams::tiled(dims, dtype, MemoryConfig::DRAM_INTERLEAVED)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Valid matmuls always answer, and with a fixed program config a larger problem never
    /// takes less time. (`auto` switches between 1D and 2D splits at grid-sized boundaries, as
    /// ttnn's own choice does, so it may be faster on a larger problem; `mcast_1d` splits the
    /// longer of M and N, so doubling N past M turns its split around, which is another
    /// program.)
    #[test]
    fn valid_matmuls_answer_and_grow_with_size(
        device in proptest::sample::select(Device::ALL.to_vec()),
        (batch, m, k, n) in (1u32..4, 1u32..40, 1u32..40, 1u32..40),
        fidelity in fidelity(),
        config in program_config(),
        dtype in proptest::sample::select(vec![DType::Bfloat16, DType::Bfloat8B, DType::Float32]),
    ) {
        let models = PerfModels::new(device);
        let params = [
            OpParam::new("math_fidelity", ParamValue::Enum(fidelity)),
            OpParam::new("program_config", ParamValue::Enum(config)),
        ];
        let time = |n: u32| {
            let inputs = [dram_tiled(&[batch, m * 32, k * 32], dtype), dram_tiled(&[k * 32, n * 32], dtype)];
            models.query(&Query::new(Op::Matmul, &inputs).params(&params)).map(|e| e.duration_ns)
        };
        let small = time(n);
        prop_assert!(small.is_ok(), "{small:?}");
        let turns_1d_around = config == "mcast_1d" && batch * m > n && batch * m <= 2 * n;
        if config != "auto" && !turns_1d_around {
            prop_assert!(time(2 * n).unwrap() >= small.unwrap());
        }
    }

    /// Valid eltwise queries always answer, and more tiles never take less time.
    #[test]
    fn valid_eltwise_ops_answer_and_grow_with_size(
        device in proptest::sample::select(Device::ALL.to_vec()),
        (rows, cols) in (1u32..200, 1u32..200),
        unary in proptest::sample::select(vec!["relu", "exp", "gelu", "typecast", "sqrt"]),
        binary in proptest::sample::select(vec!["add", "mul", "div", "maximum"]),
        fidelity in fidelity(),
        broadcast in any::<bool>(),
    ) {
        let models = PerfModels::new(device);
        let unary_params = [OpParam::new("unary_op", ParamValue::Enum(unary))];
        let binary_params = [
            OpParam::new("binary_op", ParamValue::Enum(binary)),
            OpParam::new("math_fidelity", ParamValue::Enum(fidelity)),
        ];
        let time = |rows: u32| {
            let a = dram_tiled(&[1, rows * 32, cols * 32], DType::Bfloat16);
            let b = if broadcast {
                TensorParams::new(Shape::padded(&[32, cols * 32], &[1, cols * 32]), DType::Bfloat16, Layout::TILE, MemoryConfig::DRAM_INTERLEAVED)
            } else {
                a
            };
            let u = models.query(&Query::new(Op::EltwiseUnary, &[a]).params(&unary_params)).map(|e| e.duration_ns);
            let b = models.query(&Query::new(Op::EltwiseBinary, &[a, b]).params(&binary_params)).map(|e| e.duration_ns);
            (u, b)
        };
        let (u1, b1) = time(rows);
        let (u2, b2) = time(2 * rows);
        prop_assert!(u1.is_ok() && b1.is_ok(), "{u1:?} {b1:?}");
        prop_assert!(u2.unwrap() >= u1.unwrap());
        prop_assert!(b2.unwrap() >= b1.unwrap());
    }
}
