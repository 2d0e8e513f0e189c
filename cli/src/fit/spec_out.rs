//! Writing a fitted version into a spec file (`model_specs/<device>/<op>.toml`), keeping the
//! file's other versions, comments and layout (`toml_edit`). The output depends only on the
//! file's previous text and the fit, so the same inputs give the same bytes.

use crate::failure::Failure;
use anyhow::anyhow;
use std::path::Path;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, value};
use ttnn_op_perf_models::{Device, Family, Op};

/// A fitted version, ready to write.
pub struct Version<'a> {
    pub device: Device,
    pub op: Op,
    pub family: Family,
    /// `None`: one above the highest version in the file.
    pub number: Option<u32>,
    /// (name, value) in spec order.
    pub params: Vec<(&'a str, f64)>,
    /// Cross-validated accuracy; `None` when no file could be predicted from the others
    /// (the version is then uncalibrated in what it claims).
    pub accuracy: Option<Accuracy>,
    /// (file name, rows fitted).
    pub fitted_on: Vec<(String, usize)>,
}

/// The error of a version on measured rows it was not fitted on.
pub struct Accuracy {
    pub median_ape: f64,
    pub p90_ape: f64,
    pub rows: usize,
    /// The command that measured it.
    pub source: String,
}

/// `x` rounded to 6 significant digits: calibration is not more precise than that, and the
/// spec stays readable.
fn round(x: f64) -> f64 {
    format!("{x:.5e}").parse().unwrap_or(x)
}

/// Writes `v` into `path` (created when absent) and returns its version number.
pub fn write(path: &Path, v: &Version<'_>) -> Result<u32, Failure> {
    let name = path.display();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            format!("device = \"{}\"\nop = \"{}\"\n", v.device, v.op)
        }
        Err(e) => return Err(Failure::io(anyhow!("{name}: {e}"))),
    };
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| Failure::data(anyhow!("{name}: {e}")))?;
    for (key, expected) in [("device", v.device.name()), ("op", v.op.name())] {
        let found = doc.get(key).and_then(Item::as_str);
        if found != Some(expected) {
            return Err(Failure::data(anyhow!(
                "{name}: `{key}` is {found:?}, but the fit is for {expected}: pick the spec file of {}/{}",
                v.device,
                v.op
            )));
        }
    }
    if doc.get("versions").is_none() {
        doc.insert("versions", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let versions = doc["versions"]
        .as_array_of_tables_mut()
        .ok_or_else(|| Failure::data(anyhow!("{name}: `versions` is not an array of tables")))?;
    let number_of = |t: &Table| t.get("version").and_then(Item::as_integer);
    let highest = versions.iter().filter_map(number_of).max().unwrap_or(0);
    let number = v.number.unwrap_or(highest as u32 + 1);
    versions.retain(|t| number_of(t) != Some(number as i64));

    let mut t = Table::new();
    t.insert("version", value(number as i64));
    t.insert("family", value(v.family.name()));
    let files: Vec<&str> = v.fitted_on.iter().map(|(f, _)| f.as_str()).collect();
    t.insert(
        "summary",
        value(format!("calibrated by ttperf fit on {}", files.join(", "))),
    );
    let mut params = InlineTable::new();
    for (n, x) in &v.params {
        params.insert(*n, round(*x).into());
    }
    t.insert("params", value(params));
    if let Some(a) = &v.accuracy {
        let mut accuracy = Table::new();
        accuracy.insert("median_ape", value(round(a.median_ape)));
        accuracy.insert("p90_ape", value(round(a.p90_ape)));
        accuracy.insert("rows", value(a.rows as i64));
        accuracy.insert("source", value(a.source.as_str()));
        let mut fitted_on = Array::new();
        for (file, rows) in &v.fitted_on {
            let mut f = InlineTable::new();
            f.insert("file", file.as_str().into());
            f.insert("rows", (*rows as i64).into());
            fitted_on.push(f);
        }
        accuracy.insert("fitted_on", value(fitted_on));
        t.insert("accuracy", Item::Table(accuracy));
    }
    // Keep the versions in ascending order.
    let at = versions
        .iter()
        .position(|o| number_of(o).is_some_and(|n| n > number as i64))
        .unwrap_or(versions.len());
    let mut all: Vec<Table> = versions.iter().cloned().collect();
    all.insert(at, t);
    versions.clear();
    for table in all {
        versions.push(table);
    }
    std::fs::write(path, doc.to_string()).map_err(|e| Failure::io(anyhow!("{name}: {e}")))?;
    Ok(number)
}
