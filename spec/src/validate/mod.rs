//! Reading and validating a spec tree: parse every file, check each on its own, then check the
//! references between files. All problems are collected so one build shows every mistake.
//!
//! One stage per kind of file, each a file of its own: [`devices`], [`ops`], [`families`],
//! [`models`] (which resolve references to the other three); this file holds what they share:
//! the loader, the parsed-file wrapper, the checks and the number reader.

mod devices;
mod families;
mod models;
mod ops;
mod trace;

use crate::error::LineIndex;
use crate::schema::{DeviceFile, FamilyFile, ModelFile, OpFile};
use crate::{Device, Family, Model, Op, SpecError, SpecErrors, SpecSet};
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Folders of `model_specs/` that are not device model folders.
const RESERVED_DIRS: [&str; 3] = ["devices", "ops", "families"];

/// Keys the spec files once had, with their new names: a file still using the old key is
/// rejected as having an unknown field, and the message says what to rename it to.
const RENAMED_KEYS: [(&str, &str, &str); 1] = [(
    "params",
    "coefficients",
    "a family's fitted numbers are its coefficients: a version's `params = { ... }` is \
     `coefficients = { ... }`, a family file's `[params.<name>]` is `[coefficients.<name>]`",
)];

/// A parse error's message, with how to fix it when it is about a renamed key: serde names
/// the unknown field and the expected ones, so the old name found where the new one is
/// expected is a file written before the rename (an op file's `[params.<key>]` is another
/// thing and is never reported so).
fn renamed_key_hint(msg: String) -> String {
    for (old, new, why) in RENAMED_KEYS {
        if msg.contains(&format!("unknown field `{old}`")) && msg.contains(&format!("`{new}`")) {
            return format!("{msg}; `{old}` was renamed `{new}`: {why}");
        }
    }
    msg
}

/// Reads and validates the spec tree under `root` (the `model_specs` folder).
pub fn load_dir(root: &Path) -> Result<SpecSet, SpecErrors> {
    let mut v = Validator::default();
    let device_files = toml_files(&root.join("devices"), &mut v);
    let op_files = toml_files(&root.join("ops"), &mut v);
    let family_files = toml_files(&root.join("families"), &mut v);
    let known = Known {
        devices: stems(&device_files),
        ops: stems(&op_files),
        families: stems(&family_files),
    };
    let devices: Vec<_> = device_files
        .into_iter()
        .filter_map(|p| v.parse::<DeviceFile>(p))
        .collect();
    let ops: Vec<_> = op_files
        .into_iter()
        .filter_map(|p| v.parse::<OpFile>(p))
        .collect();
    let families: Vec<_> = family_files
        .into_iter()
        .filter_map(|p| v.parse::<FamilyFile>(p))
        .collect();
    let mut models = Vec::new();
    for dir in sub_dirs(root, &mut v) {
        let reserved = dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| RESERVED_DIRS.contains(&n));
        if !reserved {
            for p in toml_files(&dir, &mut v) {
                models.extend(v.parse::<ModelFile>(p));
            }
        }
    }

    let devices: Vec<Device> = devices.iter().filter_map(|f| v.device(f)).collect();
    let ops: Vec<Op> = ops.iter().filter_map(|f| v.op(f, &ops)).collect();
    let families: Vec<Family> = families
        .iter()
        .filter_map(|f| v.family(f, &known))
        .collect();
    v.unique_device_names(&devices);
    v.unique_op_names(&ops);
    let mut models: Vec<Model> = models
        .iter()
        .filter_map(|f| {
            v.model(
                f,
                &models::Resolved {
                    devices: &devices,
                    ops: &ops,
                    families: &families,
                    known: &known,
                },
            )
        })
        .collect();
    models.sort_by(|a, b| (&a.device, &a.op).cmp(&(&b.device, &b.op)));

    if v.errors.is_empty() {
        Ok(SpecSet {
            devices,
            ops,
            families,
            models,
            files: v.files,
        })
    } else {
        Err(SpecErrors(v.errors))
    }
}

/// Names defined by a file, valid or not. References are checked against these, so one broken
/// file is reported once, not again by every file that names it.
struct Known {
    devices: BTreeSet<String>,
    ops: BTreeSet<String>,
    families: BTreeSet<String>,
}

fn stems(files: &[PathBuf]) -> BTreeSet<String> {
    files
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(String::from))
        .collect()
}

/// One parsed file with what is needed to point at its lines.
struct Parsed<T> {
    path: PathBuf,
    lines: LineIndex,
    file: T,
}

impl<T> Parsed<T> {
    fn stem(&self) -> &str {
        self.path.file_stem().and_then(|s| s.to_str()).unwrap_or("")
    }

    fn err(&self, span: Range<usize>, key: impl Into<String>, msg: impl Into<String>) -> SpecError {
        SpecError::new(&self.path, self.lines.line(span.start), key, msg)
    }
}

#[derive(Default)]
struct Validator {
    errors: Vec<SpecError>,
    files: Vec<PathBuf>,
}

fn is_snake_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn positive(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

/// A TOML number as `f64`: a float, or an integer (`3` for `3.0`); `None` for anything else.
/// The one reader of numbers the specs write without a fixed TOML type (coefficient values,
/// float defaults).
fn number(v: &toml::Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

fn toml_files(dir: &Path, v: &mut Validator) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect(),
        Err(e) => {
            v.errors.push(SpecError::new(
                dir,
                0,
                "",
                format!("cannot read this folder ({e}); every spec tree needs it"),
            ));
            Vec::new()
        }
    };
    out.sort();
    out
}

fn sub_dirs(root: &Path, v: &mut Validator) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(root) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => {
            v.errors.push(SpecError::new(
                root,
                0,
                "",
                format!("cannot read the spec folder ({e})"),
            ));
            Vec::new()
        }
    };
    out.sort();
    out
}

impl Validator {
    fn parse<T: DeserializeOwned>(&mut self, path: PathBuf) -> Option<Parsed<T>> {
        self.files.push(path.clone());
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                self.errors
                    .push(SpecError::new(&path, 0, "", format!("cannot read: {e}")));
                return None;
            }
        };
        let lines = LineIndex::new(&text);
        match toml::from_str::<T>(&text) {
            Ok(file) => Some(Parsed { path, lines, file }),
            Err(e) => {
                let line = e.span().map_or(0, |s| lines.line(s.start));
                let msg = renamed_key_hint(e.message().trim().replace('\n', " "));
                let key = lines.key_of_line(line);
                self.errors.push(SpecError::new(&path, line, key, msg));
                None
            }
        }
    }

    /// Records an error when `ok` is false; returns `ok`.
    fn check<T>(
        &mut self,
        ok: bool,
        p: &Parsed<T>,
        span: Range<usize>,
        key: &str,
        msg: impl FnOnce() -> String,
    ) -> bool {
        if !ok {
            self.errors.push(p.err(span, key, msg()));
        }
        ok
    }

    fn name_matches_stem<T>(&mut self, p: &Parsed<T>, name: &Spanned<String>, key: &str) -> bool {
        let stem = p.stem().to_string();
        self.check(is_snake_ident(name.get_ref()), p, name.span(), key, || {
            format!(
                "`{}` is not a snake_case name: use lowercase letters, digits and `_`",
                name.get_ref()
            )
        }) && self.check(name.get_ref() == &stem, p, name.span(), key, || {
            format!(
                "says `{}` but the file is `{stem}.toml`: rename the file or the {key}",
                name.get_ref()
            )
        })
    }
}

fn names<'a>(it: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<&str> = it.map(|s| s.as_str()).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}
