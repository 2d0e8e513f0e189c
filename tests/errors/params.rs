//! Op params: missing, unknown, invalid, of another op, out of range.

use super::*;

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
        chain_op_2: eltwise_unary::ChainOp2::None,
        chain_op_3: eltwise_unary::ChainOp3::None,
        chain_op_4: eltwise_unary::ChainOp4::None,
        fast_and_approximate_mode: false,
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
