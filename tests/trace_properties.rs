//! The attribute parser and the trace reader never panic, whatever they are given.

use proptest::prelude::*;
use ttnn_op_perf_models::trace::attributes::{parse_attributes, parse_value};
use ttnn_op_perf_models::trace::read_trace;
use ttnn_op_perf_models::*;

const CELL: &str = "{'memory_config': 'MemoryConfig(memory_layout=TensorMemoryLayout::HEIGHT_SHARDED;buffer_type=BufferType::L1;shard_spec=ShardSpec(grid={[(x=0;y=0) - (x=4;y=3)]};shape={1536; 64};orientation=ShardOrientation::ROW_MAJOR);nd_shard_spec=std::nullopt)'; 'op_chain': '{BasicUnaryWithParam<float; int>(base=BasicUnaryWithParam<float>(op_type=UnaryOpType::ERF;param={0}))}'; 'program_config': 'MatmulMultiCoreReuseMultiCastProgramConfig(compute_with_storage_grid_size=(x=11;y=10);per_core_M=10)'}";

const HEADER: &str = "OP CODE,OP TYPE,DEVICE ARCH,ATTRIBUTES,MATH FIDELITY,CORE COUNT,AVAILABLE WORKER CORE COUNT,DEVICE KERNEL DURATION [ns],PM IDEAL [ns],INPUT_0_W_PAD[LOGICAL],INPUT_0_Z_PAD[LOGICAL],INPUT_0_Y_PAD[LOGICAL],INPUT_0_X_PAD[LOGICAL],INPUT_0_LAYOUT,INPUT_0_DATATYPE,INPUT_0_MEMORY,OUTPUT_0_W_PAD[LOGICAL],OUTPUT_0_Z_PAD[LOGICAL],OUTPUT_0_Y_PAD[LOGICAL],OUTPUT_0_X_PAD[LOGICAL],OUTPUT_0_LAYOUT,OUTPUT_0_DATATYPE,OUTPUT_0_MEMORY\n";
const ROW: &str = "UnaryDeviceOperation,tt_dnn_device,blackhole,\"{'op_chain': '{BasicUnaryWithParam<float>(op_type=UnaryOpType::EXP;param={0})}'; 'output_memory_config': 'MemoryConfig(memory_layout=TensorMemoryLayout::HEIGHT_SHARDED;buffer_type=BufferType::L1;shard_spec=ShardSpec(grid={[(x=0;y=0) - (x=4;y=3)]};shape={1536; 64};orientation=ShardOrientation::ROW_MAJOR))'}\",HiFi4,20,20,5000,1,1[1],1[1],30720[30720],64[64],TILE,BFLOAT16,DEV_1_L1_HEIGHT_SHARDED,1[1],1[1],30720[30720],64[64],TILE,BFLOAT16,DEV_1_L1_HEIGHT_SHARDED\n";

const OLD_HEADER: &str = "OP CODE,OP TYPE,DEVICE ID,ATTRIBUTES,MATH FIDELITY,CORE COUNT,DEVICE KERNEL DURATION [ns],DEVICE KERNEL DURATION PER CORE MIN [ns],PM IDEAL [ns],INPUT_0_W,INPUT_0_Z,INPUT_0_Y,INPUT_0_X,INPUT_0_LAYOUT,INPUT_0_DATATYPE,INPUT_0_MEMORY,OUTPUT_0_W,OUTPUT_0_Z,OUTPUT_0_Y,OUTPUT_0_X,OUTPUT_0_LAYOUT,OUTPUT_0_DATATYPE,OUTPUT_0_MEMORY\n";
const OLD_ROW: &str = "InterleavedToShardedDeviceOperation,tt_dnn_device,0,\"{'output_mem_config': 'MemoryConfig(memory_layout=TensorMemoryLayout::WIDTH_SHARDED;buffer_type=BufferType::L1;shard_spec=ShardSpec{grid=[{\"\"start\"\":{\"\"x\"\":0;\"\"y\"\":0};\"\"end\"\":{\"\"x\"\":1;\"\"y\"\":7}]; shape=[32; 128]; orientation=ShardOrientation::ROW_MAJOR})'; 'activation': ''}\",,16,1057,900,1,1,1,32,2048,TILE,BFLOAT16,DEV_0_L1_INTERLEAVED,1,1,32,2048,TILE,BFLOAT16,DEV_0_L1_WIDTH_SHARDED\n";

/// `text` with bytes replaced, inserted or removed at a few positions.
fn mutate(text: &str, edits: &[(usize, u8, u8)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(pos, kind, byte) in edits {
        let pos = pos % (bytes.len() + 1);
        let byte = b" (){}[];:=,'-<>xy0_"[byte as usize % 19];
        match kind % 3 {
            0 if pos < bytes.len() => bytes[pos] = byte,
            1 => bytes.insert(pos, byte),
            _ if pos < bytes.len() => {
                bytes.remove(pos);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
    proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn attribute_parser_takes_anything(text in ".{0,200}") {
        let _ = parse_attributes(&text);
        let _ = parse_value(&text);
    }

    #[test]
    fn attribute_parser_takes_mutated_cells(edits in edits()) {
        let text = mutate(CELL, &edits);
        if let Err(e) = parse_attributes(&text) {
            prop_assert!(e.offset <= text.len());
        }
    }

    #[test]
    fn trace_reader_takes_mutated_rows(edits in edits(), device in proptest::option::of(Just(Device::WormholeB0))) {
        let text = mutate(&format!("{HEADER}{ROW}{ROW}"), &edits);
        if let Ok(trace) = read_trace(text.as_bytes(), device) {
            let models = PerfModels::builder(Device::Blackhole).fallback(true).build().unwrap();
            for row in &trace.rows {
                let params = row.op_params();
                let _ = models.query(&row.query(&params));
            }
            prop_assert!(trace.rows.len() + trace.malformed.len() + trace.signposts + trace.non_device + trace.host_only <= 3);
        }
    }

    #[test]
    fn trace_reader_takes_mutated_older_rows(edits in edits()) {
        let text = mutate(&format!("{OLD_HEADER}{OLD_ROW}{OLD_ROW}"), &edits);
        if let Ok(trace) = read_trace(text.as_bytes(), Some(Device::WormholeB0)) {
            let models = PerfModels::new(Device::WormholeB0);
            for row in &trace.rows {
                let params = row.op_params();
                let _ = models.query(&row.query(&params));
            }
            prop_assert!(trace.rows.len() + trace.malformed.len() + trace.signposts + trace.non_device + trace.host_only <= 3);
        }
    }

    #[test]
    fn trace_reader_takes_anything(text in "(.{0,60}\n){0,4}") {
        let _ = read_trace(text.as_bytes(), Some(Device::Blackhole));
    }
}

#[test]
fn the_unmutated_row_reads() {
    let trace = read_trace(format!("{HEADER}{ROW}").as_bytes(), None).unwrap();
    assert_eq!(trace.rows.len(), 1, "{:?}", trace.malformed);
    let row = &trace.rows[0];
    assert!(!row.inferred_shards);
    assert_eq!(
        row.inputs[0].memory().shard.map(|s| (s.cores, s.shape)),
        Some((20, [1536, 64]))
    );
    assert_eq!(row.grid, Some(CoreGrid::new(5, 4)));
    assert!(parse_attributes(CELL).is_ok());
}

#[test]
fn the_unmutated_older_row_reads() {
    let trace = read_trace(
        format!("{OLD_HEADER}{OLD_ROW}").as_bytes(),
        Some(Device::WormholeB0),
    )
    .unwrap();
    assert_eq!(trace.rows.len(), 1, "{:?}", trace.malformed);
    let row = &trace.rows[0];
    assert_eq!(
        row.output
            .and_then(|o| o.memory().shard)
            .map(|s| (s.cores, s.shape)),
        Some((16, [32, 128]))
    );
    assert_eq!(row.measured_ns, Some(1057.0));
}
