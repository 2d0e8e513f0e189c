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
