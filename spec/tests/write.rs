//! The spec writer on a copy of the shipped specs: a written version loads back through the
//! validator with the values written, and the rest of the file is kept.

mod common;

use common::{copy_tree, shipped};
use ttnn_op_perf_spec::write::{NewVersion, WriteError, insert_version, write_version};
use ttnn_op_perf_spec::{Accuracy, load_dir};

/// A version of `eltwise_binary_roofline` with every coefficient set (unrounded values) and an
/// accuracy.
fn fitted(number: Option<u32>) -> NewVersion {
    let specs = load_dir(&shipped()).unwrap();
    let family = specs.family("eltwise_binary_roofline").unwrap();
    NewVersion {
        number,
        family: family.name.clone(),
        summary: "calibrated by a test".into(),
        coefficients: family
            .coefficients
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), c.min.max(0.0) + 1.0 + i as f64 / 3.0))
            .collect(),
        accuracy: Some(Accuracy {
            median_ape: 0.123_456_789,
            p90_ape: 0.3,
            rows: 42,
            source: "a test".into(),
            fitted_on: vec![("a.csv".into(), 30), ("b.csv".into(), 12)],
        }),
    }
}

#[test]
fn a_written_version_loads_back_with_its_values() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&shipped(), dir.path());
    let path = dir.path().join("wormhole_b0/eltwise_binary.toml");
    let before = std::fs::read_to_string(&path).unwrap();
    let shipped_versions = before.matches("[[versions]]").count() as u32;
    let version = fitted(None);

    let number = write_version(&path, "wormhole_b0", "eltwise_binary", &version).unwrap();
    assert_eq!(number, shipped_versions + 1);
    let after = std::fs::read_to_string(&path).unwrap();
    // The file's text so far (comments and all) is kept as it was.
    assert!(after.starts_with(before.trim_end()), "{after}");
    // The new entry's values are under `coefficients`, the key the loader reads.
    let entry = &after[before.trim_end().len()..];
    assert!(entry.contains("\ncoefficients = { "), "{entry}");
    assert!(!entry.contains("params"), "{entry}");

    let specs = load_dir(dir.path()).expect("the written version is valid");
    let model = specs
        .models
        .iter()
        .find(|m| m.device == "wormhole_b0" && m.op == "eltwise_binary")
        .unwrap();
    let written = model.versions.last().unwrap();
    assert_eq!(written.number, number);
    let family = &specs.families[written.family];
    assert_eq!(family.name, version.family);
    assert_eq!(written.summary, version.summary);
    // Coefficients in the family's order, rounded to 6 significant digits.
    for (c, value) in family.coefficients.iter().zip(&written.coefficients) {
        let want = version.coefficients[&c.name];
        assert!(
            (value - want).abs() <= 1e-5 * want,
            "{}: {value} vs {want}",
            c.name
        );
        assert_eq!(format!("{value:.5e}").parse::<f64>().unwrap(), *value);
    }
    let accuracy = written.accuracy.as_ref().unwrap();
    assert_eq!(accuracy.median_ape, 0.123457);
    assert_eq!(accuracy.p90_ape, 0.3);
    assert_eq!(accuracy.rows, 42);
    assert_eq!(accuracy.source, "a test");
    assert_eq!(
        accuracy.fitted_on,
        [("a.csv".to_string(), 30), ("b.csv".to_string(), 12)]
    );
    // The other versions are unchanged.
    let shipped_specs = load_dir(&shipped()).unwrap();
    let shipped_model = shipped_specs
        .models
        .iter()
        .find(|m| m.device == "wormhole_b0" && m.op == "eltwise_binary")
        .unwrap();
    assert_eq!(
        model.versions[..model.versions.len() - 1],
        shipped_model.versions[..]
    );

    // Rewriting the same number gives the same bytes; a lower one goes in its place.
    let again = write_version(
        &path,
        "wormhole_b0",
        "eltwise_binary",
        &fitted(Some(number)),
    );
    assert_eq!(again.unwrap(), number);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
    let (replaced, one) =
        insert_version(&after, "wormhole_b0", "eltwise_binary", &fitted(Some(1))).unwrap();
    assert_eq!(one, 1);
    let first = replaced.find("[[versions]]").unwrap();
    assert!(replaced[first..].contains(
        "version = 1\nfamily = \"eltwise_binary_roofline\"\nsummary = \"calibrated by a test\""
    ));
}

#[test]
fn an_uncalibrated_version_has_no_accuracy_and_a_new_file_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eltwise_binary.toml");
    let version = NewVersion {
        accuracy: None,
        ..fitted(None)
    };
    assert_eq!(
        write_version(&path, "wormhole_b0", "eltwise_binary", &version).unwrap(),
        1
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with(
            "device = \"wormhole_b0\"\nop = \"eltwise_binary\"\n\n[[versions]]\nversion = 1\n"
        ),
        "{text}"
    );
    assert!(!text.contains("accuracy"), "{text}");
}

#[test]
fn the_spec_of_another_device_or_op_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("matmul.toml");
    std::fs::copy(shipped().join("blackhole/matmul.toml"), &path).unwrap();
    let before = std::fs::read_to_string(&path).unwrap();
    let err = write_version(&path, "wormhole_b0", "matmul", &fitted(None)).unwrap_err();
    assert!(matches!(err, WriteError::Invalid { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("pick the spec file of wormhole_b0/matmul"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    let missing = dir.path().join("no/such/dir.toml");
    let err = write_version(&missing, "wormhole_b0", "matmul", &fitted(None)).unwrap_err();
    assert!(matches!(err, WriteError::Io { .. }), "{err:?}");
    assert!(err.to_string().starts_with(&missing.display().to_string()));
}
