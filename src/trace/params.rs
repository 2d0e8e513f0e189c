//! A profiler row -> the op params its cells give, as the op spec declares (`[params.<key>]
//! trace = [...]` in `model_specs/ops/<op>.toml`): the build turns those declarations into
//! `TRACE_PARAMS`, and [`params_of`] reads a row with them. A param none of whose sources
//! gives a value is left out, so the query takes its default.

use super::era::Since;
use super::row::{Attrs, Row};
use crate::op::Op;
use crate::params::OwnedParamValue;
use std::prelude::rust_2024::*;

include!(concat!(env!("OUT_DIR"), "/trace_params.rs"));

/// Where one op param's value comes from: the first of `sources` that gives one.
#[derive(Debug)]
struct TraceParam {
    key: &'static str,
    sources: &'static [TraceSource],
}

/// One place a profiler row may hold a param's value.
#[derive(Debug)]
enum TraceSource {
    /// ATTRIBUTES entry `path[0]`, then argument `path[1]` of it, and so on (a number where no
    /// argument has that name: the value at that position, `window_hw.1`; `last`: the last
    /// value, `step.0.last`); with `find`, then
    /// the first value nested in it (depth first) that has an argument `find`, and that
    /// argument.
    Attribute {
        path: &'static [&'static str],
        find: Option<&'static str>,
        read: TraceRead,
    },
    /// A cell of the row, lowercased; an empty cell gives nothing.
    Column(&'static str),
    /// `value` for the rows whose OP CODE starts with `prefix`.
    OpCodePrefix {
        prefix: &'static str,
        value: &'static str,
    },
    /// A bool: whether the trace ran tt-metal older than a change merged on `date`
    /// (`yyyymmdd`), as far as its rows show ([`Since::ran_before`]).
    RanBefore { date: u32 },
}

/// How an ATTRIBUTES value reads as the param's value.
#[derive(Debug)]
enum TraceRead {
    /// An integer within the param's range; another gives nothing (the default applies).
    Int { min: i64, max: i64 },
    /// `true`/`false` or `1`/`0`.
    Bool,
    /// An enum path's variant, lowercased: `BinaryOpType::ADD` -> `add`.
    Variant,
    /// Whether the entry holds a value: `std::nullopt` or an empty one is false.
    Given,
    /// A call's name (without template arguments) or a bare value's text -> the value; a
    /// name not listed gives nothing.
    Map(&'static [(&'static str, &'static str)]),
}

/// The params of `op` that `row` gives, in key order.
pub(super) fn params_of(
    op: Op,
    row: &Row<'_>,
    attrs: &Attrs,
    since: Since,
) -> Vec<(&'static str, OwnedParamValue)> {
    TRACE_PARAMS[op as usize]
        .iter()
        .filter_map(|p| {
            let value = p.sources.iter().find_map(|s| read(s, row, attrs, since))?;
            Some((p.key, value))
        })
        .collect()
}

fn read(
    source: &TraceSource,
    row: &Row<'_>,
    attrs: &Attrs,
    since: Since,
) -> Option<OwnedParamValue> {
    match source {
        TraceSource::Attribute { path, find, read } => {
            let (first, rest) = path.split_first()?;
            let mut value = attrs.get(first)?;
            for arg in rest {
                value = match (value.arg(arg), *arg) {
                    (Some(v), _) => v,
                    (None, "last") => value.last()?,
                    (None, _) => value.nth(arg.parse().ok()?)?,
                };
            }
            if let Some(key) = find {
                value = value.find(&|a| a.arg(key).is_some())?.arg(key)?;
            }
            match read {
                TraceRead::Int { min, max } => {
                    let n = i64::try_from(value.as_u64()?).ok()?;
                    (*min..=*max)
                        .contains(&n)
                        .then_some(OwnedParamValue::Int(n))
                }
                TraceRead::Bool => value.as_bool().map(OwnedParamValue::Bool),
                TraceRead::Given => Some(OwnedParamValue::Bool(value.is_given())),
                TraceRead::Variant => value
                    .variant()
                    .map(|v| OwnedParamValue::Enum(v.to_ascii_lowercase())),
                TraceRead::Map(names) => {
                    let name = value.call_name().or_else(|| value.token())?;
                    let (_, v) = names.iter().find(|(n, _)| *n == name)?;
                    Some(OwnedParamValue::Enum((*v).into()))
                }
            }
        }
        TraceSource::Column(name) => match row.get(name) {
            "" => None,
            cell => Some(OwnedParamValue::Enum(cell.to_ascii_lowercase())),
        },
        TraceSource::OpCodePrefix { prefix, value } => row
            .get("OP CODE")
            .starts_with(prefix)
            .then(|| OwnedParamValue::Enum((*value).into())),
        TraceSource::RanBefore { date } => Some(OwnedParamValue::Bool(since.ran_before(*date))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::attributes::parse_attributes;
    use super::*;
    use std::collections::HashMap;

    /// The params of `op` from a row of `OP CODE`, `MATH FIDELITY` and `ATTRIBUTES` cells, in
    /// a trace that carries no mark of its tt-metal.
    fn params(
        op: Op,
        op_code: &str,
        fidelity: &str,
        attributes: &str,
    ) -> Vec<(&'static str, OwnedParamValue)> {
        params_in_trace(op, op_code, fidelity, attributes, None)
    }

    /// The params of `op`'s row of OP CODE `op_code` and `attributes` in a trace of that one
    /// row, dated by the marks it carries (`Since::of`).
    fn dated_params(
        op: Op,
        op_code: &str,
        attributes: &str,
    ) -> Vec<(&'static str, OwnedParamValue)> {
        params_in_trace(op, op_code, "", attributes, Some(&[]))
    }

    /// The params of `op` from one row; the trace is undated (`dated_by` None) or dated by the
    /// marks of that row and of the rows `(OP CODE, attributes)` of other ops it also holds.
    fn params_in_trace(
        op: Op,
        op_code: &str,
        fidelity: &str,
        attributes: &str,
        dated_by: Option<&[(&str, &str)]>,
    ) -> Vec<(&'static str, OwnedParamValue)> {
        let columns: HashMap<&str, usize> =
            [("OP CODE", 0), ("MATH FIDELITY", 1), ("ATTRIBUTES", 2)]
                .into_iter()
                .collect();
        let record = csv::StringRecord::from(vec![op_code, fidelity, attributes]);
        let others: Vec<_> = dated_by
            .unwrap_or_default()
            .iter()
            .map(|&(code, attrs)| csv::StringRecord::from(vec![code, "", attrs]))
            .collect();
        // No shape columns: the older column set, which no later mark overrides.
        let row = |record| Row {
            columns: &columns,
            record,
            plain_shapes: true,
        };
        let since = match dated_by {
            Some(_) => Since::of(std::iter::once(row(&record)).chain(others.iter().map(row))),
            None => Since::default(),
        };
        let attrs = Attrs(parse_attributes(attributes).unwrap());
        params_of(op, &row(&record), &attrs, since)
    }

    /// The value a matmul row of `op_code` and `attributes` gives its param `key`, if any.
    fn matmul_param(op_code: &str, attributes: &str, key: &str) -> Option<OwnedParamValue> {
        params(Op::Matmul, op_code, "", attributes)
            .into_iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    #[test]
    fn matmul_program_configs_and_blocking() {
        let p = params(
            Op::Matmul,
            "MatmulDeviceOperation",
            "HiFi2",
            "{'program_config': 'MatmulMultiCoreReuseMultiCastProgramConfig(in0_block_w=4;out_subblock_h=0;out_subblock_w=2;out_block_h=1;out_block_w=62;per_core_M=13;per_core_N=62;fuse_batch=true)'; 'transpose_b': 'true'}",
        );
        assert_eq!(
            p,
            [
                ("fuse_batch", OwnedParamValue::Bool(true)),
                ("in0_block_w", OwnedParamValue::Int(4)),
                ("m_block", OwnedParamValue::Int(1)),
                ("math_fidelity", OwnedParamValue::Enum("hifi2".into())),
                ("n_block", OwnedParamValue::Int(62)),
                // 0, the param's "as ttnn picks it".
                ("out_subblock_h", OwnedParamValue::Int(0)),
                ("out_subblock_w", OwnedParamValue::Int(2)),
                ("program_config", OwnedParamValue::Enum("mcast_2d".into())),
                ("transpose_b", OwnedParamValue::Bool(true)),
            ]
        );
        // Without a config nor a fidelity (an empty cell): the defaults apply.
        assert!(params(Op::Matmul, "MatmulDeviceOperation", "", "{}").is_empty());
        // A core grid the call gave (`user_core_coord`) is read as given, `std::nullopt` as not.
        let user_grid = |attributes| matmul_param("Matmul", attributes, "user_core_grid");
        assert_eq!(
            user_grid("{'user_core_coord': '(x=8;y=8)'}"),
            Some(OwnedParamValue::Bool(true))
        );
        assert_eq!(
            user_grid("{'user_core_coord': 'std::nullopt'}"),
            Some(OwnedParamValue::Bool(false))
        );
        // A block size beyond the param's range is not read: the default applies.
        assert!(
            params(
                Op::Matmul,
                "MatmulDeviceOperation",
                "",
                "{'program_config': 'MatmulMultiCoreProgramConfig(in0_block_w=70000)'}"
            )
            .iter()
            .all(|(k, _)| *k != "in0_block_w")
        );
        // A fused activation: the config's, else the call's; `std::nullopt` is none.
        let activation =
            |attributes| matmul_param("MatmulDeviceOperation", attributes, "fused_activation");
        assert_eq!(
            activation(
                "{'program_config': 'MatmulMultiCoreReuseMultiCastDRAMShardedProgramConfig(in0_block_w=5;per_core_M=1;per_core_N=68;fused_activation=UnaryWithParam(op_type=UnaryOpType::SILU))'}"
            ),
            Some(OwnedParamValue::Enum("silu".into()))
        );
        assert_eq!(
            activation(
                "{'program_config': 'std::nullopt'; 'user_fused_activation': 'BasicUnaryWithParam<float>(op_type=UnaryOpType::GELU;param={1})'}"
            ),
            Some(OwnedParamValue::Enum("gelu".into()))
        );
        assert_eq!(
            activation(
                "{'program_config': 'MatmulMultiCoreReuseMultiCast1DProgramConfig(in0_block_w=2;fused_activation=std::nullopt;mcast_in0=1)'; 'user_fused_activation': 'std::nullopt'}"
            ),
            None
        );
        // The minimal matmul takes its blocking from its `MinimalMatmulConfig`.
        let p = params(
            Op::Matmul,
            "MinimalMatmulDeviceOperation",
            "",
            "{'config': 'MinimalMatmulConfig(M_block_size=2;K_block_size=4;N_block_size=8)'}",
        );
        assert_eq!(
            p,
            [
                ("in0_block_w", OwnedParamValue::Int(4)),
                ("m_block", OwnedParamValue::Int(2)),
                ("n_block", OwnedParamValue::Int(8)),
                ("program_config", OwnedParamValue::Enum("minimal".into())),
            ]
        );
    }

    /// Conv2d's window comes from a tuple without keys (`window_hw=(7;5)`): a number in the
    /// attribute path picks by position. The older parallelization config says `num_cores_c`
    /// where the newer says `num_cores_c_out`.
    #[test]
    fn conv2d_params_by_position() {
        let p = params(
            Op::Conv2d,
            "Conv2dDeviceOperation",
            "HiFi2",
            "{'block_config': 'Conv2dBlockConfig(act_block_h_ntiles=4;act_block_w_ntiles=2;out_subblock_h_ntiles=2;out_subblock_w_ntiles=2)'; 'parallelization_config': 'Conv2dParallelizationConfig(grid_size=(x=5;y=4);num_cores_nhw=20;num_cores_c_in=1;num_cores_c_out=3)'; 'sliding_window_config': 'SlidingWindowConfig(batch_size=1; input_hw=(98;1280); window_hw=(7;5); stride_hw=(2;2); padding=((3; 0); (3; 3)); output_padding = (0; 0); dilation_hw=(1;1))'}",
        );
        assert_eq!(
            p,
            [
                ("act_block_h", OwnedParamValue::Int(4)),
                ("act_block_w", OwnedParamValue::Int(2)),
                ("cores_c", OwnedParamValue::Int(3)),
                ("cores_nhw", OwnedParamValue::Int(20)),
                ("kernel_h", OwnedParamValue::Int(7)),
                ("kernel_w", OwnedParamValue::Int(5)),
                ("math_fidelity", OwnedParamValue::Enum("hifi2".into())),
            ]
        );
        let old = params(
            Op::Conv2d,
            "OptimizedConvNew",
            "LoFi",
            "{'parallelization_config': 'OptimizedConvParallelizationConfig(grid_size=(x=7;y=8);num_cores_nhw=8;num_cores_c=7)'; 'sliding_window_config': 'SlidingWindowConfig(window_hw=(3;3))'}",
        );
        assert!(old.contains(&("cores_c", OwnedParamValue::Int(7))));
        // A position past the tuple's end gives nothing: the param is left out.
        let short = params(
            Op::Conv2d,
            "OptimizedConvNew",
            "",
            "{'sliding_window_config': 'SlidingWindowConfig(window_hw=(3))'}",
        );
        assert_eq!(short, [("kernel_h", OwnedParamValue::Int(3))]);
    }

    /// A slice's step is the last entry of its `step` shape, whatever the rank (`last` in the
    /// attribute path); a slice row without one takes the default.
    #[test]
    fn slice_step_is_the_shapes_last_entry() {
        for (step, last) in [("Shape([1; 1; 2])", 2), ("Shape([1; 1; 1; 4])", 4)] {
            let attrs = format!("{{'slice_start': 'Shape([0; 0; 0])'; 'step': '{step}'}}");
            let p = params(Op::Slice, "SliceDeviceOperation", "", &attrs);
            assert_eq!(p, [("step", OwnedParamValue::Int(last))]);
        }
        let p = params(
            Op::Slice,
            "SliceDeviceOperation",
            "",
            "{'slice_dim': 'std::nullopt'}",
        );
        assert!(p.is_empty());
    }

    /// Earlier tt-metal wrote `use_multicore` on a padding tilize, an unpadding untilize and a
    /// pad (an older Wormhole SegFormer trace's single-core rows); newer rows leave it out and
    /// the op takes its multi-core default.
    #[test]
    fn use_multicore_is_read_where_earlier_tt_metal_wrote_it() {
        let old = "{'output_tensor_shape': 'Shape([1; 256; 32; 32])'; 'pad_value': '0'; 'use_multicore': 'false'}";
        for (op, code) in [
            (Op::TilizeWithValPadding, "TilizeWithValPadding"),
            (Op::UntilizeWithUnpadding, "UntilizeWithUnpadding"),
            (Op::Pad, "Pad"),
        ] {
            let mut p = params(op, code, "", old);
            // A trace without a later tt-metal's mark ran the padding tilize's earlier reader
            // and the untilizes' earlier kernel choice.
            p.retain(|(k, _)| *k != "waits_each_row" && *k != "unpack_untilizes_wide_blocks");
            assert_eq!(
                p,
                [("use_multicore", OwnedParamValue::Bool(false))],
                "{code}"
            );
        }
        let new = "{'enough_space_height': 'true'; 'output_dtype': 'DataType::BFLOAT16'}";
        assert_eq!(
            params(
                Op::TilizeWithValPadding,
                "TilizeWithValPaddingDeviceOperation",
                "",
                new
            ),
            [("waits_each_row", OwnedParamValue::Bool(true))]
        );
    }

    /// The sharded-to-interleaved writer waited for each page it wrote until PR #27430
    /// (September 2025): a row of a trace that carries no later mark reads
    /// `waits_each_page`; one that writes `num_slices` (PR #33240, November 2025) does not.
    #[test]
    fn sharded_to_interleaved_rows_pick_their_writer() {
        let params = |attributes: &str| {
            dated_params(
                Op::ShardedToInterleaved,
                "ShardedToInterleavedDeviceOperation",
                attributes,
            )
        };
        assert_eq!(
            params("{'output_dtype': 'DataType::BFLOAT16'}"),
            [("waits_each_page", OwnedParamValue::Bool(true))]
        );
        assert_eq!(
            params("{'num_slices': '1'; 'output_dtype': 'DataType::BFLOAT16'}"),
            [
                ("num_slices", OwnedParamValue::Int(1)),
                ("waits_each_page", OwnedParamValue::Bool(false))
            ]
        );
    }

    /// The untilizes ran the slow untilize on blocks wider than 8 tiles until PR #25701 (July
    /// 2025): a row of a trace that carries no later mark reads `unpack_untilizes_wide_blocks`;
    /// an untilize of the device-operation OP CODE (PR #33697, December 2025) does not.
    #[test]
    fn untilize_rows_pick_their_kernel_choice() {
        let params = |code: &str| dated_params(Op::Untilize, code, "{'fp32_dest_acc_en': 'false'}");
        assert_eq!(
            params("Untilize"),
            [("unpack_untilizes_wide_blocks", OwnedParamValue::Bool(true))]
        );
        assert_eq!(
            params("UntilizeDeviceOperation"),
            [("unpack_untilizes_wide_blocks", OwnedParamValue::Bool(false))]
        );
    }

    /// The halo sent every remote transfer from one data-movement core until PR #18394 (March
    /// 2025): a row of a trace that carries no later mark (as the February 2025 SegFormer's)
    /// reads `remote_on_one_core`; the same row in a trace that holds a later mark (another
    /// op's row) reads today's factory.
    #[test]
    fn halo_rows_pick_their_factory() {
        let remote = |p: &[(&'static str, OwnedParamValue)]| {
            p.iter()
                .find(|(k, _)| *k == "remote_on_one_core")
                .map(|(_, v)| v.clone())
        };
        let row = "{'max_out_nsticks_per_core_': '5695'}";
        let old = dated_params(Op::Halo, "HaloDeviceOperation", row);
        assert_eq!(remote(&old), Some(OwnedParamValue::Bool(true)));
        // In a trace dated after the change by a sharded-to-interleaved row that writes
        // `num_slices` (a November 2025 mark).
        let dated = params_in_trace(
            Op::Halo,
            "HaloDeviceOperation",
            "",
            row,
            Some(&[("ShardedToInterleavedDeviceOperation", "{'num_slices': '1'}")]),
        );
        assert_eq!(remote(&dated), Some(OwnedParamValue::Bool(false)));
    }

    /// A fused unary chain gives each further function by position; a chain of one (in the
    /// newer and the older spelling) gives none of them.
    #[test]
    fn unary_op_chain_by_position() {
        let enum_of = |v: &str| OwnedParamValue::Enum(v.into());
        let f = |name: &str, param: &str| {
            format!(
                "BasicUnaryWithParam<float; int; unsigned int>(base=BasicUnaryWithParam<float>(op_type=UnaryOpType::{name};param={{{param}}}))"
            )
        };
        let chain = format!(
            "{{'op_chain': '{{{}; {}; {}; {}}}'}}",
            f("NEG", ""),
            f("EXP", "0"),
            f("ADD_UNARY_SFPU", "1"),
            f("RECIP", "")
        );
        let p = params(Op::EltwiseUnary, "UnaryDeviceOperation", "HiFi4", &chain);
        assert_eq!(
            p,
            [
                ("chain_op_2", enum_of("exp")),
                ("chain_op_3", enum_of("add_unary_sfpu")),
                ("chain_op_4", enum_of("recip")),
                ("unary_op", enum_of("neg")),
            ]
        );
        // The first function's param, `{0}` or `{1}`, is its fast_and_approximate_mode.
        let approx = |on| ("fast_and_approximate_mode", OwnedParamValue::Bool(on));
        let one = format!("{{'op_chain': '{{{}}}'}}", f("ERF", "0"));
        let p = params(Op::EltwiseUnary, "UnaryDeviceOperation", "HiFi4", &one);
        assert_eq!(p, [approx(false), ("unary_op", enum_of("erf"))]);
        let fast = format!("{{'op_chain': '{{{}}}'}}", f("GELU", "1"));
        let p = params(Op::EltwiseUnary, "UnaryDeviceOperation", "HiFi4", &fast);
        assert_eq!(p, [approx(true), ("unary_op", enum_of("gelu"))]);
        let older = "{'op_chain': '{UnaryWithParam(op_type=UnaryOpType::GELU;param={0})}'}";
        let p = params(Op::EltwiseUnary, "UnaryDeviceOperation", "HiFi4", older);
        assert_eq!(p, [approx(false), ("unary_op", enum_of("gelu"))]);
    }

    #[test]
    fn eltwise_and_data_movement_params() {
        let p = params(
            Op::EltwiseBinary,
            "BinaryNgDeviceOperation",
            "LoFi",
            "{'binary_op_type': 'BinaryOpType::MUL'}",
        );
        assert_eq!(
            p,
            [
                ("binary_op", OwnedParamValue::Enum("mul".into())),
                ("math_fidelity", OwnedParamValue::Enum("lofi".into())),
            ]
        );
        // Where it ran: binary_ng's `is_sfpu`, mapped by its text; the legacy op without it
        // runs on the FPU.
        let mul =
            |sfpu: &str| format!("{{'binary_op_type': 'BinaryOpType::MUL'; 'is_sfpu': '{sfpu}'}}");
        for (sfpu, unit) in [("true", "sfpu"), ("false", "fpu")] {
            let p = params(Op::EltwiseBinary, "BinaryNgDeviceOperation", "", &mul(sfpu));
            assert_eq!(p[1], ("compute_unit", OwnedParamValue::Enum(unit.into())));
        }
        let p = params(
            Op::EltwiseBinary,
            "BinaryDeviceOperation",
            "",
            "{'binary_op_type': 'BinaryOpType::MUL'}",
        );
        assert_eq!(p[1], ("compute_unit", OwnedParamValue::Enum("fpu".into())));
        // Fused activations, binary_ng's (an empty list is none) and the legacy op's.
        let ng = "{'binary_op_type': 'BinaryOpType::MUL'; 'lhs_activations': \
            '{BasicUnaryWithParam<float; int; unsigned int>(base=BasicUnaryWithParam<float>(\
            op_type=UnaryOpType::SILU;param={}))}'; 'post_activations': '{}'; \
            'rhs_activations': '{BasicUnaryWithParam<float; int; unsigned int>(base=\
            BasicUnaryWithParam<float>(op_type=UnaryOpType::SIGMOID;param={}))}'}";
        let p = params(Op::EltwiseBinary, "BinaryNgDeviceOperation", "", ng);
        assert_eq!(
            p[1..],
            [
                ("lhs_activation", OwnedParamValue::Enum("silu".into())),
                ("rhs_activation", OwnedParamValue::Enum("sigmoid".into())),
            ]
        );
        let legacy = "{'activations': '{UnaryWithParam(op_type=UnaryOpType::RELU;param={})}'; \
            'binary_op_type': 'BinaryOpType::ADD'; 'input_tensor_a_activation': 'std::nullopt'}";
        let p = params(Op::EltwiseBinary, "BinaryDeviceOperation", "", legacy);
        assert_eq!(
            p[2],
            ("post_activation", OwnedParamValue::Enum("relu".into()))
        );
        let p = params(
            Op::InterleavedToSharded,
            "InterleavedToShardedDeviceOperation",
            "",
            "{'num_slices': '2'}",
        );
        assert_eq!(p, [("num_slices", OwnedParamValue::Int(2))]);
        assert!(
            params(
                Op::Reshard,
                "ReshardDeviceOperation",
                "",
                "{'num_slices': '2'}"
            )
            .is_empty()
        );
    }
}
