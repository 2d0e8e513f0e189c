//! `ttperf list`, `predict` and `estimate` as a user runs them: output formats and exit codes.

use serde_json::Value;
use std::process::{Command, Output};

fn ttperf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ttperf"))
        .args(args)
        .output()
        .expect("run ttperf")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The one JSON object a `--format json` run prints.
fn json(out: &Output) -> Value {
    let text = stdout(out);
    assert_eq!(text.trim().lines().count(), 1, "one line: {text}");
    serde_json::from_str(&text).unwrap()
}

fn exit_code(args: &[&str]) -> (Option<i32>, String) {
    let out = ttperf(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const WORKLOAD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/workloads/llama3_8b_prefill128.json"
);

const MATMUL: &[&str] = &[
    "predict",
    "--device",
    "wormhole_b0",
    "--op",
    "matmul",
    "--param",
    "math_fidelity=hifi2",
    "--input",
    "1x1x128x4096:bf16",
    "--input",
    "1x1x4096x4096:bf8:tile:dram",
];

#[test]
fn list_as_a_table() {
    let text = stdout(&ttperf(&["list"]));
    for expected in [
        "wormhole_b0",
        "n150",
        "8x8",
        "MatmulDeviceOperation",
        "matmul_roofline",
        "uncalibrated",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
}

#[test]
fn list_as_json() {
    let v = json(&ttperf(&["list", "--format", "json"]));
    assert_eq!(v["devices"].as_array().unwrap().len(), 3);
    let matmul = v["ops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|op| op["name"] == "matmul")
        .unwrap();
    assert!(
        matmul["op_codes"]
            .as_array()
            .unwrap()
            .contains(&"MatmulDeviceOperation".into())
    );
    let wh = json(&ttperf(&["list", "--device", "wh", "--format", "json"]));
    assert_eq!(wh["devices"][0]["name"], "wormhole_b0");
    assert_eq!(wh["devices"][0]["cards"][0]["compute_grid"], "8x8");
    let versions = wh["versions"].as_array().unwrap();
    assert!(versions.iter().all(|m| m["device"] == "wormhole_b0"));
    let mm = versions.iter().find(|m| m["op"] == "matmul").unwrap();
    assert_eq!(mm["id"], "wormhole_b0/matmul@v1");
    assert_eq!(mm["family"], "matmul_roofline");
    assert_eq!(mm["accuracy"], "uncalibrated");
}

#[test]
fn predict_a_matmul_as_json() {
    let mut args = MATMUL.to_vec();
    args.extend(["--format", "json"]);
    let v = json(&ttperf(&args));
    assert!(v["duration_ns"].as_f64().unwrap() > 0.0);
    assert_eq!(v["model"], "wormhole_b0/matmul@v2");
    assert_eq!(v["card"], "n150");
    // The calibrated version carries its held-out error, and the band brackets the estimate.
    let p90 = v["accuracy"]["p90_ape"].as_f64().unwrap();
    assert!(p90 > 0.0 && v["accuracy"]["rows"].as_u64().unwrap() > 0);
    let d = v["duration_ns"].as_f64().unwrap();
    let band = [0, 1].map(|i| v["band_ns"][i].as_f64().unwrap());
    assert!((band[0] - d / (1.0 + p90)).abs() < 1e-6 * d && band[1] > d);
    let b = &v["breakdown"];
    let busiest = ["compute_ns", "dram_ns", "noc_ns"]
        .map(|k| b[k].as_f64().unwrap())
        .into_iter()
        .fold(0.0, f64::max);
    let sum = b["overhead_ns"].as_f64().unwrap() + busiest;
    assert!((sum - v["duration_ns"].as_f64().unwrap()).abs() < 1e-6);

    // By OP CODE, the same answer.
    let mut by_code = args.clone();
    by_code[4] = "MatmulDeviceOperation";
    let same = json(&ttperf(&by_code));
    assert_eq!(same["duration_ns"], v["duration_ns"]);
}

#[test]
fn predict_as_a_table() {
    let text = stdout(&ttperf(MATMUL));
    assert!(text.contains("wormhole_b0/matmul@v2"), "{text}");
    assert!(text.contains("median APE"), "{text}");
    assert!(text.contains("band "), "{text}");
}

#[test]
fn predict_falls_back_only_when_asked() {
    let args = [
        "predict",
        "--device",
        "wh",
        "--op",
        "UnmodeledDeviceOperation",
        "--input",
        "1x32x128x128:bf16",
        "--format",
        "json",
    ];
    assert_eq!(exit_code(&args).0, Some(5));
    let mut with = args.to_vec();
    with.push("--fallback");
    assert_eq!(json(&ttperf(&with))["model"], "fallback");
}

#[test]
fn unknown_names_exit_5() {
    let mut device = MATMUL.to_vec();
    device[2] = "wormhole_c0";
    let (code, stderr) = exit_code(&device);
    assert_eq!(code, Some(5));
    assert!(stderr.contains("unknown device `wormhole_c0`"), "{stderr}");

    let mut card = MATMUL.to_vec();
    card.extend(["--card", "p150"]);
    assert_eq!(exit_code(&card).0, Some(5));

    let mut version = MATMUL.to_vec();
    version.extend(["--version", "99"]);
    assert_eq!(exit_code(&version).0, Some(5));
}

#[test]
fn a_bad_param_exits_6() {
    let mut args = MATMUL.to_vec();
    args[6] = "math_fidelity=hifi9";
    let (code, stderr) = exit_code(&args);
    assert_eq!(code, Some(6));
    assert!(stderr.contains("param `math_fidelity`"), "{stderr}");

    let mut unknown = MATMUL.to_vec();
    unknown.extend(["--param", "tile_order=zigzag"]);
    assert_eq!(exit_code(&unknown).0, Some(6));
}

#[test]
fn bad_tensor_syntax_is_a_usage_error() {
    let mut args = MATMUL.to_vec();
    args[8] = "1x1x128x4096:bf17";
    let (code, stderr) = exit_code(&args);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("dtype `bf17`"), "{stderr}");
}

#[test]
fn estimate_the_shipped_workload_as_json() {
    let v = json(&ttperf(&["estimate", WORKLOAD, "--format", "json"]));
    let total = v["total_ns"].as_f64().unwrap();
    assert!(total > 0.0);
    assert_eq!(v["device"], "wormhole_b0");
    assert_eq!(v["failed_ops"], 0);
    let ops = v["ops"].as_array().unwrap();
    // Every op of the decoder layer: 2 norms, 5 matmuls (qkv, output, gate, up, down), head
    // split and merge, 2 rotary embeddings, 2 cache fills, attention, the SwiGLU multiply
    // (silu fused on its first input), 2 residual adds.
    assert_eq!(ops.len(), 17);
    let sum: f64 = ops.iter().map(|o| o["total_ns"].as_f64().unwrap()).sum();
    assert!((sum - total).abs() < 1e-6 * total);
    assert!(
        ops.iter()
            .all(|o| o["model"].as_str().unwrap().starts_with("wormhole_b0/"))
    );
}

/// Every shipped workload is whole: each op has a model (no fallback, no failed op) on both
/// devices it is meant for.
#[test]
fn every_shipped_workload_is_answered_by_models_on_wormhole_and_blackhole() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        seen += 1;
        for device in ["wormhole_b0", "blackhole"] {
            let out = ttperf(&[
                "estimate",
                path.to_str().unwrap(),
                "--device",
                device,
                "--format",
                "json",
            ]);
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["failed_ops"], 0, "{}: {v}", path.display());
            for op in v["ops"].as_array().unwrap() {
                let model = op["model"].as_str().unwrap();
                assert!(
                    model.starts_with(&format!("{device}/")),
                    "{}: {op}",
                    path.display()
                );
            }
        }
    }
    assert_eq!(seen, 3, "the three shipped workloads");
}

#[test]
fn estimate_as_a_table_on_another_device() {
    let text = stdout(&ttperf(&["estimate", WORKLOAD, "--device", "blackhole"]));
    assert!(text.contains("blackhole/matmul@v2"), "{text}");
    assert!(text.contains("qkv projection"), "{text}");
    assert!(text.lines().last().unwrap().starts_with("total "), "{text}");
}

#[test]
fn estimate_reports_failing_ops_then_exits_6() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.json");
    let workload = r#"{"device": "wormhole_b0", "ops": [
        {"name": "ok", "op": "eltwise_unary", "params": {"unary_op": "exp"}, "inputs": ["1x1x512x512:bf16"], "repeat": 4},
        {"name": "bad", "op": "eltwise_unary", "params": {"unary_op": "cube"}, "inputs": ["1x1x512x512:bf16"]}
    ]}"#;
    std::fs::write(&path, workload).unwrap();
    let out = ttperf(&["estimate", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(6));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["failed_ops"], 1);
    let ok = &v["ops"][0];
    assert_eq!(v["total_ns"], ok["total_ns"]);
    // Four repeats, to the rounding of how the total is summed.
    let (total, one) = (
        ok["total_ns"].as_f64().unwrap(),
        ok["duration_ns"].as_f64().unwrap(),
    );
    assert!((total - 4.0 * one).abs() <= 1e-12 * total, "{total} {one}");
    assert!(
        v["ops"][1]["error"]
            .as_str()
            .unwrap()
            .contains("param `unary_op`")
    );
}

#[test]
fn a_missing_workload_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.json");
    assert_eq!(exit_code(&["estimate", path.to_str().unwrap()]).0, Some(3));
}

#[test]
fn invalid_workload_json_exits_4() {
    let dir = tempfile::tempdir().unwrap();
    for (i, content) in [
        "{\"device\": ",
        r#"{"device": "wh", "ops": [{"op": "matmul", "inputs": [], "repeats": 2}]}"#,
        r#"{"device": "wh", "ops": [{"op": "matmul", "inputs": ["1x32:bf16:tile:l2"]}]}"#,
    ]
    .into_iter()
    .enumerate()
    {
        let path = dir.path().join(format!("{i}.json"));
        std::fs::write(&path, content).unwrap();
        let (code, stderr) = exit_code(&["estimate", path.to_str().unwrap()]);
        assert_eq!(code, Some(4), "{content}: {stderr}");
    }
}
