//! The OP CODEs tt-metal's profiler has written for the attention head ops, the tt_eager-era
//! data movers, the fused query-and-key rotary and the distributed norm's halves reach their
//! op's model on both devices, never the fallback. Each spelling is a device operation's (or a
//! tt_eager op's) type name in tt-metal's source, cited in the op's spec file.

use ttnn_op_perf_models::{Device, Op, model_versions};

/// (OP CODE, the op it is).
const SPELLINGS: &[(&str, Op)] = &[
    // Create heads: ttnn's, its per-model forms, the sharded create_qkv_heads, the decode form,
    // and tt_eager's names (`nlp_tms.hpp`).
    ("NlpCreateHeadsDeviceOperation", Op::NlpCreateHeads),
    ("NlpCreateHeadsSegformerDeviceOperation", Op::NlpCreateHeads),
    ("NlpCreateHeadsVitDeviceOperation", Op::NlpCreateHeads),
    ("NlpCreateHeadsFalcon7BDeviceOperation", Op::NlpCreateHeads),
    ("NlpCreateHeadsBoltzDeviceOperation", Op::NlpCreateHeads),
    ("CreateQKVHeadsDeviceOperation", Op::NlpCreateHeads),
    (
        "CreateQKVHeadsSeparateTensorsDeviceOperation",
        Op::NlpCreateHeads,
    ),
    ("NLPCreateQKVHeadsDecodeDeviceOperation", Op::NlpCreateHeads),
    ("NLPCreateHeadsDecodeDeviceOperation", Op::NlpCreateHeads),
    ("NlpCreateHeads", Op::NlpCreateHeads),
    ("NlpCreateHeadsFalcon7B", Op::NlpCreateHeads),
    ("NlpCreateHeadsDecode", Op::NlpCreateHeads),
    ("CreateQKVHeads", Op::NlpCreateHeads),
    ("CreateQKVHeadsSeparateTensors", Op::NlpCreateHeads),
    // Concatenate heads.
    ("NLPConcatHeadsDeviceOperation", Op::NlpConcatHeads),
    ("NLPConcatHeadsDecodeDeviceOperation", Op::NlpConcatHeads),
    ("NLPConcatHeadsBoltzDeviceOperation", Op::NlpConcatHeads),
    ("ConcatenateHeadsDeviceOperation", Op::NlpConcatHeads),
    ("NlpConcatHeads", Op::NlpConcatHeads),
    ("NlpConcatHeadsDecode", Op::NlpConcatHeads),
    ("ConcatenateHeads", Op::NlpConcatHeads),
    // tt_eager's data movers.
    ("Unpad", Op::Slice),
    ("Reshard", Op::Reshard),
    ("InterleavedToSharded", Op::InterleavedToSharded),
    ("ShardedToInterleaved", Op::ShardedToInterleaved),
    ("SplitLastDimTwoChunksTiled", Op::Split),
    // The fused query-and-key rotary, both spellings.
    (
        "RotaryEmbeddingLlamaFusedQKDeviceOperation",
        Op::RotaryEmbeddingLlamaFusedQk,
    ),
    (
        "RotaryEmbeddingLlamaFusedQK",
        Op::RotaryEmbeddingLlamaFusedQk,
    ),
    // The distributed norm's halves, older spellings.
    ("LayerNormPreAllGather", Op::LayerNorm),
    ("LayerNormPostAllGather", Op::LayerNorm),
];

#[test]
fn every_spelling_reaches_its_model_on_both_devices() {
    for &(code, op) in SPELLINGS {
        assert_eq!(Op::from_name(code), Ok(op), "{code}");
        for device in [Device::WormholeB0, Device::Blackhole] {
            assert!(
                !model_versions(device, op).is_empty(),
                "{code}: no {} model of {}",
                device.name(),
                op.name()
            );
        }
    }
}

/// The older spellings of the distributed norm's halves set its `stage` as the newer ones do
/// (by the OP CODE's prefix): each row costs what the same query with that stage costs, and
/// not what the norm undistributed would.
#[test]
fn older_distributed_norm_rows_read_their_stage() {
    use ttnn_op_perf_models::trace::read_trace;
    use ttnn_op_perf_models::{OpParam, OwnedParamValue, ParamValue, PerfModels, Query};
    const HEADER: &str = "OP CODE,OP TYPE,DEVICE ID,ATTRIBUTES,MATH FIDELITY,CORE COUNT,DEVICE KERNEL DURATION [ns],PM IDEAL [ns],INPUT_0_W,INPUT_0_Z,INPUT_0_Y,INPUT_0_X,INPUT_0_LAYOUT,INPUT_0_DATATYPE,INPUT_0_MEMORY,INPUT_1_W,INPUT_1_Z,INPUT_1_Y,INPUT_1_X,INPUT_1_LAYOUT,INPUT_1_DATATYPE,INPUT_1_MEMORY,OUTPUT_0_W,OUTPUT_0_Z,OUTPUT_0_Y,OUTPUT_0_X,OUTPUT_0_LAYOUT,OUTPUT_0_DATATYPE,OUTPUT_0_MEMORY\n";
    let rows = [
        "LayerNormPreAllGather,tt_dnn_device,0,\"{'norm_type': 'LayerNormDistributedType::RMSNORM'}\",HiFi4,32,9000,1,1,1,128,4096,TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED,,,,,,,,1,1,128,32,TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED\n",
        "LayerNormPostAllGather,tt_dnn_device,0,\"{'norm_type': 'LayerNormDistributedType::RMSNORM'}\",HiFi4,32,12000,1,1,1,128,4096,TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED,1,1,128,32,TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED,1,1,128,4096,TILE,BFLOAT16,DEV_0_DRAM_INTERLEAVED\n",
    ];
    let trace = read_trace(
        format!("{HEADER}{}{}", rows[0], rows[1]).as_bytes(),
        Some(Device::WormholeB0),
    )
    .unwrap();
    assert!(trace.malformed.is_empty(), "{:?}", trace.malformed);
    assert_eq!(trace.rows.len(), 2);
    let models = PerfModels::new(Device::WormholeB0);
    for (row, stage) in trace.rows.iter().zip(["pre_all_gather", "post_all_gather"]) {
        let read = row
            .params
            .iter()
            .find(|(k, _)| *k == "stage")
            .map(|(_, v)| v);
        assert_eq!(
            read,
            Some(&OwnedParamValue::Enum(stage.into())),
            "{}",
            row.op_code
        );
        let params = row.op_params();
        let from_row = models.query(&row.query(&params)).unwrap().duration_ns;
        let by_name = |stage| {
            let params = [
                OpParam::new("stage", ParamValue::Enum(stage)),
                OpParam::new("norm_type", ParamValue::Enum("rmsnorm")),
            ];
            let mut q = Query::new(Op::LayerNorm, &row.inputs).params(&params);
            if let Some(o) = &row.output {
                q = q.output(o);
            }
            models.query(&q).unwrap().duration_ns
        };
        assert_eq!(from_row, by_name(stage), "{}", row.op_code);
        assert_ne!(from_row, by_name("not_distributed"), "{}", row.op_code);
    }
}
