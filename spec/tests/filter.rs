//! The device filter (`TTNN_PERF_MODELS_DEVICES`) on the shipped specs.

use std::path::Path;
use ttnn_op_perf_spec::load_dir;

fn shipped() -> ttnn_op_perf_spec::SpecSet {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../model_specs")).unwrap()
}

#[test]
fn keeps_the_named_devices_and_their_models() {
    let mut s = shipped();
    let (ops, families) = (s.ops.len(), s.families.len());
    s.keep_devices(" wormhole_b0 ,blackhole").unwrap();
    let names: Vec<&str> = s.devices.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["blackhole", "wormhole_b0"]);
    assert!(s.models.iter().all(|m| m.device != "grayskull"));
    assert!(s.models.iter().any(|m| m.device == "blackhole"));
    assert_eq!((s.ops.len(), s.families.len()), (ops, families));
}

#[test]
fn an_unknown_device_is_an_error_naming_the_valid_ones() {
    let mut s = shipped();
    let before = s.clone();
    let e = s.keep_devices("wormhole_b0,wormhole_c0").unwrap_err();
    assert_eq!(e.unknown, ["wormhole_c0"]);
    assert_eq!(
        e.to_string(),
        "TTNN_PERF_MODELS_DEVICES=\"wormhole_b0,wormhole_c0\" must list one or more of \
         blackhole, grayskull, wormhole_b0; unknown: wormhole_c0"
    );
    assert_eq!(s, before, "a failed filter leaves the set as it was");
    assert!(s.keep_devices(" , ").is_err(), "an empty filter");
}
