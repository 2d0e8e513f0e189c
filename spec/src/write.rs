//! Writing a new version into a model spec file (`<device>/<op>.toml`), as `ttperf fit`
//! does after a calibration.
//!
//! The `[[versions]]` entry is a [`VersionFile`] (with its [`AccuracyFile`] and
//! [`FittedOnFile`]s), serialized by the schema's own types, so it has exactly the keys the
//! loader reads back. The rest of the file is edited in place (`toml_edit`): its other
//! versions, comments and layout are kept. The output depends only on the previous text and
//! the new version, so the same inputs give the same bytes.
//!
//! ```
//! use std::collections::BTreeMap;
//! use ttnn_op_perf_spec::write::{NewVersion, insert_version};
//!
//! let before = "# kept as it is\ndevice = \"wormhole_b0\"\nop = \"reshard\"\n";
//! let version = NewVersion {
//!     number: None,
//!     family: "data_movement_roofline".into(),
//!     summary: "calibrated by hand".into(),
//!     coefficients: BTreeMap::from([("overhead_cycles".to_string(), 123.456789)]),
//!     accuracy: None,
//! };
//! let (after, number) = insert_version(before, "wormhole_b0", "reshard", &version).unwrap();
//! assert_eq!(number, 1);
//! // Coefficients are rounded to 6 significant digits.
//! assert_eq!(
//!     after,
//!     r#"# kept as it is
//! device = "wormhole_b0"
//! op = "reshard"
//!
//! [[versions]]
//! version = 1
//! family = "data_movement_roofline"
//! summary = "calibrated by hand"
//! coefficients = { overhead_cycles = 123.457 }
//! "#
//! );
//! ```

use crate::Accuracy;
use crate::schema::{AccuracyFile, FittedOnFile, VersionFile};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

/// A version to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVersion {
    /// The version number; `None`: one above the highest in the file. A version with the
    /// same number is replaced.
    pub number: Option<u32>,
    pub family: String,
    pub summary: String,
    /// The value of each of the family's coefficients, by name; written rounded to 6
    /// significant digits.
    pub coefficients: BTreeMap<String, f64>,
    /// The measured error; `None` writes no `accuracy` table (an uncalibrated version). Its
    /// APEs are rounded as the coefficients are.
    pub accuracy: Option<Accuracy>,
}

/// Why a spec file's text cannot take a version: not TOML, the spec of another device or
/// op, or `versions` that is not an array of tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSpec(pub String);

impl fmt::Display for InvalidSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidSpec {}

/// Why [`write_version`] failed. Each message starts with the file's path and says all there
/// is to say (no [`source`](std::error::Error::source), so a chain of causes does not
/// repeat it).
#[derive(Debug)]
pub enum WriteError {
    /// The file cannot be read or written.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The file's content cannot take the version.
    Invalid { path: PathBuf, problem: InvalidSpec },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            WriteError::Invalid { path, problem } => write!(f, "{}: {problem}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// Writes `version` into the spec file of `device`/`op` at `path`, created (with just its
/// `device` and `op`) when absent, and returns the version's number.
pub fn write_version(
    path: &Path,
    device: &str,
    op: &str,
    version: &NewVersion,
) -> Result<u32, WriteError> {
    let io = |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            format!("device = \"{device}\"\nop = \"{op}\"\n")
        }
        Err(e) => return Err(io(e)),
    };
    let (text, number) =
        insert_version(&text, device, op, version).map_err(|problem| WriteError::Invalid {
            path: path.to_path_buf(),
            problem,
        })?;
    std::fs::write(path, text).map_err(io)?;
    Ok(number)
}

/// `text`, the spec file of `device`/`op`, with `version` in it (versions ascending by
/// number), and the version's number.
pub fn insert_version(
    text: &str,
    device: &str,
    op: &str,
    version: &NewVersion,
) -> Result<(String, u32), InvalidSpec> {
    let mut doc: DocumentMut = text.parse().map_err(|e| InvalidSpec(format!("{e}")))?;
    for (key, expected) in [("device", device), ("op", op)] {
        let found = doc.get(key).and_then(Item::as_str);
        if found != Some(expected) {
            return Err(InvalidSpec(format!(
                "`{key}` is {found:?}, but the fit is for {expected}: pick the spec file of {device}/{op}"
            )));
        }
    }
    if doc.get("versions").is_none() {
        doc.insert("versions", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let versions = doc["versions"]
        .as_array_of_tables_mut()
        .ok_or_else(|| InvalidSpec("`versions` is not an array of tables".into()))?;
    let number_of = |t: &Table| t.get("version").and_then(Item::as_integer);
    let highest = versions.iter().filter_map(number_of).max().unwrap_or(0);
    let number = version.number.unwrap_or(highest as u32 + 1);
    versions.retain(|t| number_of(t) != Some(number as i64));

    let table = version_table(&version_file(number, version))?;
    // Keep the versions in ascending order.
    let at = versions
        .iter()
        .position(|o| number_of(o).is_some_and(|n| n > number as i64))
        .unwrap_or(versions.len());
    let mut all: Vec<Table> = versions.iter().cloned().collect();
    all.insert(at, table);
    versions.clear();
    for table in all {
        versions.push(table);
    }
    Ok((doc.to_string(), number))
}

/// `x` rounded to 6 significant digits: calibration is not more precise than that, and the
/// spec stays readable.
fn round(x: f64) -> f64 {
    format!("{x:.5e}").parse().unwrap_or(x)
}

/// `version` as the schema's entry, numbered `number`, its figures rounded.
fn version_file(number: u32, version: &NewVersion) -> VersionFile {
    // Nothing of the entry has been read from a file: no span means anything.
    let spanned = |value| Spanned::new(0..0, value);
    let coefficients = version
        .coefficients
        .iter()
        .map(|(name, &x)| (name.clone(), spanned(toml::Value::Float(round(x)))))
        .collect();
    let accuracy = version.accuracy.as_ref().map(|a| {
        Spanned::new(
            0..0,
            AccuracyFile {
                median_ape: round(a.median_ape),
                p90_ape: round(a.p90_ape),
                rows: a.rows,
                source: a.source.clone(),
                fitted_on: a
                    .fitted_on
                    .iter()
                    .map(|(file, rows)| FittedOnFile {
                        file: file.clone(),
                        rows: *rows,
                    })
                    .collect(),
            },
        )
    });
    VersionFile {
        version: Spanned::new(0..0, number),
        family: Spanned::new(0..0, version.family.clone()),
        summary: version.summary.clone(),
        coefficients: Spanned::new(0..0, coefficients),
        accuracy,
    }
}

/// The `[[versions]]` table of `file`, laid out as the shipped specs are: scalars and the
/// inline `coefficients` first, then the `[versions.accuracy]` table with its inline `fitted_on`.
fn version_table(file: &VersionFile) -> Result<Table, InvalidSpec> {
    let mut table = toml_edit::ser::to_document(file)
        .map_err(|e| InvalidSpec(format!("the version cannot be written as TOML: {e}")))?
        .into_table();
    if let Some(item) = table.get_mut("accuracy") {
        if let Item::Value(Value::InlineTable(accuracy)) = std::mem::take(item) {
            *item = Item::Table(accuracy.into_table());
        }
    }
    Ok(table)
}
