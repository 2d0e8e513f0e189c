//! Every error variant, produced by a real call, with a message that says what went wrong.

use ttnn_op_perf_models::*;

fn dram(dims: &[u32]) -> TensorParams {
    TensorParams::tiled(dims, DType::Bfloat16, MemoryConfig::DRAM_INTERLEAVED)
}

fn exp() -> [OpParam<'static>; 1] {
    [OpParam::new("unary_op", ParamValue::Enum("exp"))]
}

/// A query that answers: `exp` of a 1024 x 1024 tensor in DRAM.
fn good(models: &PerfModels) -> Estimate {
    let inputs = [dram(&[1, 1, 1024, 1024])];
    models
        .query(&Query::new(Op::EltwiseUnary, &inputs).params(&exp()))
        .expect("the good query answers")
}

/// Runs `bad` on a fresh manager, checks the error with `check`, and returns its message,
/// which must not be empty.
fn fails(
    bad: impl Fn(&PerfModels) -> Result<Estimate, Error>,
    check: impl Fn(&Error) -> bool,
) -> String {
    let models = PerfModels::new(Device::WormholeB0);
    let err = bad(&models).expect_err("the query must fail");
    assert!(check(&err), "unexpected error: {err:?}");
    let msg = err.to_string();
    assert!(!msg.is_empty());
    msg
}

fn unary(models: &PerfModels, inputs: &[TensorParams]) -> Result<Estimate, Error> {
    models.query(&Query::new(Op::EltwiseUnary, inputs).params(&exp()))
}

#[test]
fn unknown_device() {
    let err = Device::from_name("wormhole_c0").unwrap_err();
    assert!(matches!(err, Error::UnknownDevice { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("wormhole_c0") && msg.contains("wormhole_b0") && msg.contains("blackhole"),
        "{msg}"
    );
    assert_eq!(Device::from_name("wormhole_b0"), Ok(Device::WormholeB0));
    assert_eq!(Device::from_name("BLACKHOLE"), Ok(Device::Blackhole));
}

#[test]
fn card_of_another_device() {
    let err = PerfModels::builder(Device::Blackhole)
        .card(Card::N150)
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        Error::UnknownCard {
            device: Device::Blackhole,
            ..
        }
    ));
    assert!(err.to_string().contains("p150"), "{err}");
}

#[test]
fn unknown_op() {
    let msg = fails(
        |m| {
            m.query(&Query::named(
                "LayerNormDeviceOperation",
                &[dram(&[32, 32])],
            ))
        },
        |e| matches!(e, Error::UnknownOp { name } if name.as_str() == "LayerNormDeviceOperation"),
    );
    assert!(msg.contains("LayerNormDeviceOperation"), "{msg}");
}

#[test]
fn op_not_loaded() {
    let models = PerfModels::builder(Device::WormholeB0)
        .ops(&[Op::Matmul])
        .build()
        .unwrap();
    let inputs = [dram(&[32, 32])];
    let err = unary(&models, &inputs).unwrap_err();
    assert_eq!(
        err,
        Error::OpNotLoaded {
            op: Op::EltwiseUnary
        }
    );
    assert_eq!(models.ops().collect::<Vec<_>>(), [Op::Matmul]);
    let pin = PerfModels::builder(Device::WormholeB0)
        .ops(&[Op::Matmul])
        .pins(&[(Op::Reshard, 1)])
        .build();
    assert_eq!(pin.unwrap_err(), Error::OpNotLoaded { op: Op::Reshard });
}

#[test]
fn no_model_for_device() {
    let models = PerfModels::new(Device::Grayskull);
    let x = dram(&[32, 32]);
    let y = TensorParams::tiled(&[32, 32], DType::Bfloat8B, MemoryConfig::DRAM_INTERLEAVED);
    let inputs = [x];
    let err = models
        .query(&Query::new(Op::Typecast, &inputs).output(&y))
        .unwrap_err();
    assert_eq!(
        err,
        Error::NoModelForDevice {
            op: Op::Typecast,
            device: Device::Grayskull
        }
    );
    assert!(!models.ops().any(|op| op == Op::Typecast));
    let only = PerfModels::builder(Device::Grayskull)
        .ops(&[Op::Typecast])
        .build();
    assert_eq!(only.unwrap_err(), err);
}

#[test]
fn no_such_version_lists_the_versions() {
    let inputs = [dram(&[32, 32])];
    let msg = fails(
        |m| {
            m.query(
                &Query::new(Op::EltwiseUnary, &inputs)
                    .params(&exp())
                    .version(99),
            )
        },
        |e| matches!(e, Error::NoSuchVersion { requested: 99, available, .. } if !available.is_empty()),
    );
    let listed = model_versions(Device::WormholeB0, Op::EltwiseUnary)
        .iter()
        .map(|m| m.version.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    assert!(msg.ends_with(&listed), "{msg}");
    let pinned = PerfModels::builder(Device::WormholeB0)
        .pins(&[(Op::Matmul, 42)])
        .build();
    assert!(matches!(
        pinned.unwrap_err(),
        Error::NoSuchVersion { requested: 42, .. }
    ));
}

#[test]
fn mode_not_modeled() {
    let a = TensorParams::new(
        Shape::new(&[32, 64]),
        DType::Bfloat16,
        Layout::Tile {
            height: 32,
            width: 16,
        },
        MemoryConfig::DRAM_INTERLEAVED,
    );
    let inputs = [a, dram(&[64, 32])];
    let msg = fails(
        |m| m.query(&Query::new(Op::Matmul, &inputs)),
        |e| matches!(e, Error::ModeNotModeled { op: Op::Matmul, .. }),
    );
    assert!(msg.contains("32 wide"), "{msg}");
}

#[test]
fn missing_param() {
    let inputs = [dram(&[32, 32])];
    let msg = fails(
        |m| m.query(&Query::new(Op::EltwiseUnary, &inputs)),
        |e| matches!(e, Error::MissingParam { op: Op::EltwiseUnary, param } if param.key == "unary_op"),
    );
    assert!(msg.contains("unary_op"), "{msg}");
}

#[test]
fn unknown_param_lists_the_known_ones() {
    let inputs = [dram(&[32, 32]), dram(&[32, 32])];
    let params = [OpParam::new("fidelity", ParamValue::Enum("lofi"))];
    let msg = fails(
        |m| m.query(&Query::new(Op::Matmul, &inputs).params(&params)),
        |e| matches!(e, Error::UnknownParam { op: Op::Matmul, key } if key.as_str() == "fidelity"),
    );
    assert!(
        msg.contains("math_fidelity") && msg.contains("program_config"),
        "{msg}"
    );
}

#[test]
fn invalid_params() {
    let inputs = [dram(&[32, 32]), dram(&[32, 32])];
    let cases: [(&[OpParam<'_>], ParamProblem); 3] = [
        (
            &[OpParam::new("math_fidelity", ParamValue::Enum("hifi9"))],
            ParamProblem::UnknownValue,
        ),
        (
            &[OpParam::new("transpose_a", ParamValue::Int(1))],
            ParamProblem::WrongType,
        ),
        (
            &[
                OpParam::new("transpose_a", ParamValue::Bool(true)),
                OpParam::new("transpose_a", ParamValue::Bool(false)),
            ],
            ParamProblem::Duplicate,
        ),
    ];
    for (params, problem) in cases {
        let msg = fails(
            |m| m.query(&Query::new(Op::Matmul, &inputs).params(params)),
            |e| matches!(e, Error::InvalidParam { op: Op::Matmul, problem: p, .. } if *p == problem),
        );
        assert!(msg.contains(params[0].key), "{msg}");
    }
    let x = dram(&[64, 64]);
    let shard = ShardSpec::new(
        CoreRange::of_grid(CoreGrid::new(2, 1)),
        [32, 64],
        ShardOrientation::RowMajor,
    );
    let y = TensorParams::tiled(
        &[64, 64],
        DType::Bfloat16,
        MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard),
    );
    let zero = [OpParam::new("num_slices", ParamValue::Int(0))];
    let msg = fails(
        |m| {
            m.query(
                &Query::new(Op::InterleavedToSharded, &[x])
                    .output(&y)
                    .params(&zero),
            )
        },
        |e| {
            matches!(
                e,
                Error::InvalidParam {
                    problem: ParamProblem::OutOfRange,
                    ..
                }
            )
        },
    );
    assert!(msg.contains("1..=65536"), "{msg}");
}

#[test]
fn typed_params_of_another_op() {
    use ttnn_op_perf_models::op_params::eltwise_unary;
    let inputs = [dram(&[32, 32]), dram(&[32, 32])];
    let gelu = OpParams::EltwiseUnary(eltwise_unary::Params {
        unary_op: eltwise_unary::UnaryOp::Gelu,
    });
    let msg = fails(
        |m| m.query(&Query::new(Op::Matmul, &inputs).typed_params(gelu)),
        |e| {
            matches!(
                e,
                Error::ParamsOfOtherOp {
                    op: Op::Matmul,
                    params: Op::EltwiseUnary
                }
            )
        },
    );
    assert_eq!(msg, "matmul: the query's typed params are eltwise_unary's");
}

#[test]
fn typed_params_out_of_range() {
    use ttnn_op_perf_models::op_params::matmul;
    let inputs = [dram(&[32, 32]), dram(&[32, 32])];
    let wide = OpParams::Matmul(matmul::Params {
        in0_block_w: -1,
        ..matmul::Params::DEFAULT
    });
    let msg = fails(
        |m| m.query(&Query::typed(wide, &inputs)),
        |e| {
            matches!(
                e,
                Error::InvalidParam {
                    op: Op::Matmul,
                    param,
                    problem: ParamProblem::OutOfRange,
                } if param.key == "in0_block_w"
            )
        },
    );
    assert_eq!(
        msg,
        "matmul: param `in0_block_w`: expected an integer in 0..=65536"
    );
}

#[test]
fn operand_count() {
    let one = [dram(&[32, 32])];
    let msg = fails(
        |m| m.query(&Query::new(Op::Matmul, &one)),
        |e| {
            matches!(
                e,
                Error::OperandCount {
                    op: Op::Matmul,
                    min: 2,
                    max: 3,
                    got: 1,
                    ..
                }
            )
        },
    );
    assert!(msg.contains("2 to 3 inputs"), "{msg}");
    let msg = fails(
        |m| m.query(&Query::new(Op::Reshard, &one)),
        |e| {
            matches!(
                e,
                Error::OperandCount {
                    output_required: true,
                    ..
                }
            )
        },
    );
    assert!(msg.contains("output"), "{msg}");
}

#[test]
fn invalid_tensors() {
    let tile = |dims: &[u32]| dram(dims);
    let row_major = |dtype| {
        TensorParams::new(
            Shape::new(&[32, 32]),
            dtype,
            Layout::RowMajor,
            MemoryConfig::DRAM_INTERLEAVED,
        )
    };
    let bad_shard = ShardSpec::new(
        CoreRange {
            start: (0, 0),
            end: (9, 0),
        },
        [32, 32],
        ShardOrientation::RowMajor,
    );
    let cases: Vec<(TensorParams, TensorProblem)> = vec![
        (tile(&[0, 32]), TensorProblem::ZeroDim { dim: 0 }),
        (
            tile(&[32, 48]),
            TensorProblem::NotTileAligned {
                dim: 1,
                size: 48,
                tile: 32,
            },
        ),
        (
            tile(&[1, 1, 1, 1, 1, 1, 1, 32, 32]),
            TensorProblem::Rank { rank: 9, min: 1 },
        ),
        (
            tile(&[1 << 31, 32]),
            TensorProblem::DimTooLarge {
                dim: 0,
                size: 1 << 31,
            },
        ),
        (
            TensorParams::new(
                Shape::padded(&[32, 32], &[33, 32]),
                DType::Bfloat16,
                Layout::TILE,
                MemoryConfig::DRAM_INTERLEAVED,
            ),
            TensorProblem::LogicalExceedsPadded { dim: 0 },
        ),
        (
            TensorParams::new(
                Shape::new(&[32, 32]),
                DType::Bfloat16,
                Layout::Tile {
                    height: 64,
                    width: 32,
                },
                MemoryConfig::DRAM_INTERLEAVED,
            ),
            TensorProblem::BadTile {
                height: 64,
                width: 32,
            },
        ),
        (
            TensorParams::tiled(
                &[32, 32],
                DType::Bfloat16,
                MemoryConfig {
                    shard: None,
                    ..MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, bad_shard)
                },
            ),
            TensorProblem::ShardSpecMismatch,
        ),
        (
            TensorParams::tiled(
                &[32, 32],
                DType::Bfloat16,
                MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, bad_shard),
            ),
            TensorProblem::BadShard,
        ),
        (row_major(DType::Bfloat16), TensorProblem::LayoutNotAllowed),
        (
            row_major(DType::Bfloat8B),
            TensorProblem::BlockFloatRowMajor,
        ),
    ];
    for (t, problem) in cases {
        let inputs = [t];
        fails(
            |m| unary(m, &inputs),
            |e| matches!(e, Error::InvalidTensor { operand: Operand::Input(0), problem: p, .. } if *p == problem),
        );
    }
}

#[test]
fn shapes_that_do_not_combine() {
    let inputs = [dram(&[64, 96]), dram(&[64, 32])];
    let msg = fails(
        |m| m.query(&Query::new(Op::Matmul, &inputs)),
        |e| {
            matches!(
                e,
                Error::InvalidTensor {
                    operand: Operand::Input(1),
                    problem: TensorProblem::ShapeMismatch {
                        with: Operand::Input(0)
                    },
                    ..
                }
            )
        },
    );
    assert!(msg.contains("input 1") && msg.contains("input 0"), "{msg}");
    let add = [OpParam::new("binary_op", ParamValue::Enum("add"))];
    let inputs = [dram(&[64, 64]), dram(&[96, 64])];
    fails(
        |m| m.query(&Query::new(Op::EltwiseBinary, &inputs).params(&add)),
        |e| {
            matches!(
                e,
                Error::InvalidTensor {
                    problem: TensorProblem::ShapeMismatch { .. },
                    ..
                }
            )
        },
    );
}

#[test]
fn wrong_memory_for_the_op() {
    let shard = ShardSpec::new(
        CoreRange::of_grid(CoreGrid::new(2, 1)),
        [32, 64],
        ShardOrientation::RowMajor,
    );
    let sharded = TensorParams::tiled(
        &[64, 64],
        DType::Bfloat16,
        MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard),
    );
    let msg = fails(
        |m| m.query(&Query::new(Op::InterleavedToSharded, &[sharded]).output(&sharded)),
        |e| {
            matches!(
                e,
                Error::InvalidTensor {
                    operand: Operand::Input(0),
                    problem: TensorProblem::WrongMemory { .. },
                    ..
                }
            )
        },
    );
    assert!(msg.contains("interleaved"), "{msg}");
    let inputs = [dram(&[32, 64]), dram(&[64, 64])];
    let dram_sharded = [OpParam::new(
        "program_config",
        ParamValue::Enum("dram_sharded"),
    )];
    fails(
        |m| m.query(&Query::new(Op::Matmul, &inputs).params(&dram_sharded)),
        |e| {
            matches!(
                e,
                Error::InvalidTensor {
                    operand: Operand::Input(1),
                    problem: TensorProblem::WrongMemory { .. },
                    ..
                }
            )
        },
    );
}

#[test]
fn fallback_without_tensors() {
    let models = PerfModels::builder(Device::WormholeB0)
        .fallback(true)
        .build()
        .unwrap();
    let err = models
        .query(&Query::named("SoftmaxDeviceOperation", &[]))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidTensor {
            op: None,
            problem: TensorProblem::Missing,
            ..
        }
    ));
}

#[test]
fn invalid_grid() {
    let inputs = [dram(&[32, 32])];
    for grid in [CoreGrid::new(9, 8), CoreGrid::new(0, 1)] {
        let msg = fails(
            |m| {
                m.query(
                    &Query::new(Op::EltwiseUnary, &inputs)
                        .params(&exp())
                        .grid(grid),
                )
            },
            |e| {
                *e == Error::InvalidGrid {
                    grid,
                    card: Card::N150,
                }
            },
        );
        assert!(msg.contains("8x10"), "{msg}");
    }
    let with_fallback = PerfModels::builder(Device::WormholeB0)
        .fallback(true)
        .build()
        .unwrap();
    let grid = CoreGrid::new(9, 8);
    let err = with_fallback
        .query(&Query::named("SoftmaxDeviceOperation", &inputs).grid(grid))
        .unwrap_err();
    assert_eq!(
        err,
        Error::InvalidGrid {
            grid,
            card: Card::N150
        }
    );
}

#[test]
fn overflow() {
    let huge = [dram(&[1 << 30, 1 << 30, 1 << 30, 32, 32])];
    let msg = fails(|m| unary(m, &huge), |e| matches!(e, Error::Overflow { .. }));
    assert!(msg.contains("overflow"), "{msg}");
}

#[test]
fn fallback_answers_what_no_model_does() {
    let models = PerfModels::builder(Device::Grayskull)
        .fallback(true)
        .build()
        .unwrap();
    let x = dram(&[32, 32]);
    let inputs = [x];
    let e = models
        .query(&Query::new(Op::Typecast, &inputs).output(&x))
        .unwrap();
    assert_eq!(
        e.source,
        Source::Fallback {
            device: Device::Grayskull,
            op: Some(Op::Typecast)
        }
    );
    // Caller mistakes still fail with the fallback on.
    let err = models
        .query(&Query::new(Op::EltwiseUnary, &inputs))
        .unwrap_err();
    assert!(matches!(err, Error::MissingParam { .. }));
}

#[test]
fn query_many_keeps_failures_apart() {
    let models = PerfModels::new(Device::WormholeB0);
    let x = [dram(&[1, 1, 1024, 1024])];
    let bad = [dram(&[0, 32])];
    let params = exp();
    let queries = [
        Query::new(Op::EltwiseUnary, &x).params(&params),
        Query::new(Op::EltwiseUnary, &bad).params(&params),
        Query::named("NoSuchOp", &x),
        Query::new(Op::EltwiseUnary, &x).params(&params),
    ];
    let results: Vec<_> = models.query_many(&queries).collect();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0], Ok(good(&models)));
    assert!(matches!(results[1], Err(Error::InvalidTensor { .. })));
    assert!(matches!(results[2], Err(Error::UnknownOp { .. })));
    assert_eq!(results[3], results[0]);
}

#[test]
fn manager_is_send_sync_and_small() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<PerfModels>();
    send_sync::<Error>();
    assert!(core::mem::size_of::<PerfModels>() <= 128);
}

#[test]
fn pins_route_latest() {
    let models = PerfModels::builder(Device::WormholeB0)
        .pins(&[(Op::Matmul, 1)])
        .build()
        .unwrap();
    assert_eq!(
        models.model(Op::Matmul, Version::Latest).unwrap().version,
        1
    );
    assert_eq!(
        PerfModels::new(Device::WormholeB0)
            .model(Op::Matmul, Version::Latest)
            .unwrap(),
        model_versions(Device::WormholeB0, Op::Matmul)
            .last()
            .unwrap()
    );
}

#[test]
fn long_names_are_cut_not_lost() {
    let long = "X".repeat(200);
    let err = Op::from_name(&long).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(&"X".repeat(Name::CAP)) && msg.contains("..."),
        "{msg}"
    );
}

#[test]
fn model_ids_resolve_or_say_why_not() {
    let id = ModelId {
        device: Device::WormholeB0,
        op: Op::Matmul,
        version: 1,
    };
    assert_eq!(id.model().unwrap().id(), id);
    let missing = ModelId { version: 99, ..id };
    assert!(matches!(
        missing.model(),
        Err(Error::NoSuchVersion { requested: 99, .. })
    ));
    let elsewhere = ModelId {
        device: Device::Grayskull,
        op: Op::Typecast,
        version: 1,
    };
    assert_eq!(
        elsewhere.model().unwrap_err(),
        Error::NoModelForDevice {
            op: Op::Typecast,
            device: Device::Grayskull
        }
    );
}
