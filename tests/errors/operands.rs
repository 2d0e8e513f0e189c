//! Operands and the grid: their count, invalid tensors, shapes that do not combine, memory
//! the op cannot take, modes no formula models, an invalid grid, overflow.

use super::*;

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
    // A binary op takes tiles only (unary also takes a row-major shard, typecast a row-major
    // interleaved tensor).
    let inputs = [row_major(DType::Bfloat16)];
    let pair = [inputs[0], inputs[0]];
    fails(
        |m| m.query(&Query::new(Op::EltwiseBinary, &pair)),
        |e| {
            matches!(
                e,
                Error::InvalidTensor {
                    operand: Operand::Input(0),
                    problem: TensorProblem::LayoutNotAllowed,
                    ..
                }
            )
        },
    );
    // A row-major unary input that is not sharded in L1 is a mode no formula models.
    fails(
        |m| unary(m, &inputs),
        |e| {
            matches!(
                e,
                Error::ModeNotModeled {
                    op: Op::EltwiseUnary,
                    ..
                }
            )
        },
    );
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
        .query(&Query::named("UnmodeledDeviceOperation", &inputs).grid(grid))
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
