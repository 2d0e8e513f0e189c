//! `ATTRIBUTES` and `MATH FIDELITY` -> the op params the op's schema declares.

use super::attributes::Attr;
use super::row::{Attrs, Row};
use crate::op::Op;
use crate::params::OwnedParamValue;
use std::prelude::rust_2024::*;

fn fidelity(row: &Row<'_>) -> Option<OwnedParamValue> {
    match row.get("MATH FIDELITY") {
        "" => None,
        f => Some(OwnedParamValue::Enum(f.to_ascii_lowercase())),
    }
}

pub(super) fn params_of(
    op: Op,
    row: &Row<'_>,
    attrs: &Attrs,
) -> Vec<(&'static str, OwnedParamValue)> {
    let attr = |key: &str| attrs.get(key);
    let mut out = Vec::new();
    let bool_attr = |key: &str| attr(key).and_then(Attr::as_bool).map(OwnedParamValue::Bool);
    match op {
        Op::Matmul => {
            let config = match attr("program_config").and_then(Attr::call_name) {
                Some("MatmulMultiCoreReuseMultiCastProgramConfig") => "mcast_2d",
                Some("MatmulMultiCoreReuseMultiCast1DProgramConfig") => "mcast_1d",
                Some("MatmulMultiCoreReuseMultiCastDRAMShardedProgramConfig") => "dram_sharded",
                Some("MatmulMultiCoreReuseProgramConfig") => "multi_core_reuse",
                Some("MatmulMultiCoreProgramConfig") => "multi_core",
                // The minimal matmul (`MinimalMatmulOp`, renamed `MinimalMatmulDeviceOperation`)
                // always runs its one program; without a `MinimalMatmulConfig` it takes default
                // blocks on the full grid (tt-metal,
                // `experimental/minimal_matmul/device/minimal_matmul_program_factory.cpp`).
                _ if row.get("OP CODE").starts_with("MinimalMatmul")
                    || attr("config").and_then(Attr::call_name) == Some("MinimalMatmulConfig") =>
                {
                    "minimal"
                }
                _ => "auto",
            };
            out.push(("program_config", OwnedParamValue::Enum(config.into())));
            // Blocking of a MinimalMatmulConfig (ttnn.experimental.minimal_matmul).
            if config == "minimal" {
                for (key, param) in [
                    ("M_block_size", "m_block"),
                    ("K_block_size", "in0_block_w"),
                    ("N_block_size", "n_block"),
                    ("subblock_h", "out_subblock_h"),
                    ("subblock_w", "out_subblock_w"),
                ] {
                    let value = attr("config")
                        .and_then(|pc| pc.arg(key))
                        .and_then(Attr::as_u64)
                        .filter(|&n| (1..=65536).contains(&n));
                    out.extend(value.map(|n| (param, OwnedParamValue::Int(n as i64))));
                }
            }
            // Blocking of an explicit program config.
            for key in ["in0_block_w", "out_subblock_h", "out_subblock_w"] {
                let value = attr("program_config")
                    .and_then(|pc| pc.arg(key))
                    .and_then(Attr::as_u64)
                    .filter(|&n| (1..=65536).contains(&n));
                out.extend(value.map(|n| (key, OwnedParamValue::Int(n as i64))));
            }
            let fuse_batch = attr("program_config")
                .and_then(|pc| pc.arg("fuse_batch"))
                .and_then(Attr::as_bool);
            out.extend(fuse_batch.map(|b| ("fuse_batch", OwnedParamValue::Bool(b))));
            out.extend(fidelity(row).map(|f| ("math_fidelity", f)));
            out.extend(bool_attr("transpose_a").map(|b| ("transpose_a", b)));
            out.extend(bool_attr("transpose_b").map(|b| ("transpose_b", b)));
        }
        Op::EltwiseUnary => {
            let op_type = attr("op_chain")
                .and_then(|c| c.find(&|a| a.arg("op_type").is_some()))
                .and_then(|u| u.arg("op_type"))
                .and_then(Attr::variant);
            out.extend(
                op_type.map(|t| ("unary_op", OwnedParamValue::Enum(t.to_ascii_lowercase()))),
            );
        }
        Op::EltwiseBinary => {
            let op_type = attr("binary_op_type").and_then(Attr::variant);
            out.extend(
                op_type.map(|t| ("binary_op", OwnedParamValue::Enum(t.to_ascii_lowercase()))),
            );
            out.extend(fidelity(row).map(|f| ("math_fidelity", f)));
        }
        Op::InterleavedToSharded | Op::ShardedToInterleaved => {
            let slices = attr("num_slices").and_then(Attr::as_u64);
            out.extend(slices.map(|n| {
                (
                    "num_slices",
                    OwnedParamValue::Int(n.min(i64::MAX as u64) as i64),
                )
            }));
        }
        Op::Reshard | Op::Typecast => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::attributes::parse_attributes;
    use super::*;
    use std::collections::HashMap;

    /// The params of `op` from a row of `OP CODE`, `MATH FIDELITY` and `ATTRIBUTES` cells.
    fn params(
        op: Op,
        op_code: &str,
        fidelity: &str,
        attributes: &str,
    ) -> Vec<(&'static str, OwnedParamValue)> {
        let columns: HashMap<&str, usize> =
            [("OP CODE", 0), ("MATH FIDELITY", 1)].into_iter().collect();
        let record = csv::StringRecord::from(vec![op_code, fidelity]);
        let row = Row {
            columns: &columns,
            record: &record,
            plain_shapes: false,
        };
        params_of(op, &row, &Attrs(parse_attributes(attributes).unwrap()))
    }

    #[test]
    fn matmul_program_configs_and_blocking() {
        let p = params(
            Op::Matmul,
            "MatmulDeviceOperation",
            "HiFi2",
            "{'program_config': 'MatmulMultiCoreReuseMultiCastProgramConfig(in0_block_w=4;out_subblock_h=0;out_subblock_w=2;fuse_batch=true)'; 'transpose_b': 'true'}",
        );
        assert_eq!(
            p,
            [
                ("program_config", OwnedParamValue::Enum("mcast_2d".into())),
                ("in0_block_w", OwnedParamValue::Int(4)),
                // 0 is not a block size: left for ttnn to pick.
                ("out_subblock_w", OwnedParamValue::Int(2)),
                ("fuse_batch", OwnedParamValue::Bool(true)),
                ("math_fidelity", OwnedParamValue::Enum("hifi2".into())),
                ("transpose_b", OwnedParamValue::Bool(true)),
            ]
        );
        // Without a config: `auto`, and no fidelity from an empty cell.
        assert_eq!(
            params(Op::Matmul, "MatmulDeviceOperation", "", "{}"),
            [("program_config", OwnedParamValue::Enum("auto".into()))]
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
                ("program_config", OwnedParamValue::Enum("minimal".into())),
                ("m_block", OwnedParamValue::Int(2)),
                ("in0_block_w", OwnedParamValue::Int(4)),
                ("n_block", OwnedParamValue::Int(8)),
            ]
        );
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
