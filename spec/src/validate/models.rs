//! `<device>/<op>.toml`: the model versions of one op on one device. The last stage: each
//! version's family is resolved to its index in the families, and its coefficient values are
//! read into the family's order.

use super::{Known, Parsed, Validator, names, number};
use crate::schema::{AccuracyFile, ModelFile, VersionFile};
use crate::{Accuracy, Device, FIXED_COST_COEFFICIENT, Family, Model, Op, Version};
use std::collections::BTreeMap;
use toml::Spanned;

/// What a model file refers to: the valid devices, ops and families, and every name defined
/// by a file (valid or not).
pub(super) struct Resolved<'a> {
    pub(super) devices: &'a [Device],
    pub(super) ops: &'a [Op],
    pub(super) families: &'a [Family],
    pub(super) known: &'a Known,
}

impl Validator {
    pub(super) fn model(&mut self, p: &Parsed<ModelFile>, r: &Resolved<'_>) -> Option<Model> {
        let f = &p.file;
        let known = r.known;
        let before = self.errors.len();
        let dir = p
            .path
            .parent()
            .and_then(|d| d.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let device = f.device.get_ref();
        let known_device = self.check(known.devices.contains(device), p, f.device.span(), "device", || {
            format!(
                "unknown device `{device}`; known devices: {} (each is a file in model_specs/devices/)",
                names(known.devices.iter())
            )
        });
        if known_device {
            self.check(device == &dir, p, f.device.span(), "device", || {
                format!("says `{device}` but the file is in folder `{dir}/`: move the file or fix the device")
            });
        }
        let op = f.op.get_ref();
        let known_op = self.check(known.ops.contains(op), p, f.op.span(), "op", || {
            format!(
                "unknown op `{op}`; known ops: {} (each is a file in model_specs/ops/)",
                names(known.ops.iter())
            )
        });
        if known_op {
            self.name_matches_stem(p, &f.op, "op");
        }
        // A device or op whose own file is invalid was reported there; checking this file
        // against it would only repeat that error.
        let launch = r
            .devices
            .iter()
            .find(|d| &d.name == device)
            .map(|d| (d.launch_overhead_ns, d.clock_mhz));
        let referenced_valid = launch.is_some() && r.ops.iter().any(|o| &o.name == op);
        self.check(!f.versions.is_empty(), p, f.op.span(), "versions", || {
            "add at least one [[versions]] entry".into()
        });
        let mut seen = BTreeMap::new();
        let mut versions = Vec::new();
        for (i, v) in f.versions.iter().enumerate() {
            let number = *v.get_ref().version.get_ref();
            let key = format!("versions[{i}].version");
            let span = v.get_ref().version.span();
            if self.check(
                (1..=u16::MAX as u32).contains(&number),
                p,
                span.clone(),
                &key,
                || format!("is {number}; versions are numbered from 1 to {}", u16::MAX),
            ) {
                let first = seen.insert(number, p.lines.line(span.start));
                self.check(first.is_none(), p, span, &key, || {
                    format!(
                        "version {number} is already defined at line {}; give this one a new number",
                        first.unwrap_or(0)
                    )
                });
            }
            let version = self.version(p, i, v.get_ref(), op, r);
            if let (Some(version), Some(launch)) = (&version, launch) {
                self.fixed_cost(p, i, v.get_ref(), &r.families[version.family], launch);
            }
            versions.extend(version);
        }
        if self.errors.len() > before || !referenced_valid {
            return None;
        }
        versions.sort_by_key(|v| v.number);
        Some(Model {
            device: device.clone(),
            op: op.clone(),
            versions,
        })
    }

    /// A valid version's fixed cost ([`FIXED_COST_COEFFICIENT`], in cycles of the device's
    /// clock) against its device's launch overhead: their sum is what the smallest ops cost,
    /// so it must not be negative.
    fn fixed_cost(
        &mut self,
        p: &Parsed<ModelFile>,
        i: usize,
        v: &VersionFile,
        family: &Family,
        (launch, clock_mhz): (f64, f64),
    ) {
        if !family
            .coefficients
            .iter()
            .any(|c| c.name == FIXED_COST_COEFFICIENT)
        {
            return;
        }
        let Some(value) = v.coefficients.get_ref().get(FIXED_COST_COEFFICIENT) else {
            return;
        };
        let x = number(value.get_ref()).unwrap_or(0.0);
        let ns = x * 1000.0 / clock_mhz;
        let key = format!("versions[{i}].coefficients.{FIXED_COST_COEFFICIENT}");
        self.check(launch + ns >= 0.0, p, value.span(), &key, || {
            format!(
                "is {x} cycles, {ns} ns at the device's {clock_mhz} MHz; with its \
                 launch_overhead_ns of {launch} the ops would cost {} ns before any work: make \
                 it -{} or more",
                launch + ns,
                launch * clock_mhz / 1000.0
            )
        });
    }

    /// A version with its family resolved to an index into `r.families` and its coefficient
    /// values in the family's order; `None` after reporting what is wrong.
    fn version(
        &mut self,
        p: &Parsed<ModelFile>,
        i: usize,
        v: &VersionFile,
        op: &str,
        r: &Resolved<'_>,
    ) -> Option<Version> {
        let known = r.known;
        let key = format!("versions[{i}]");
        let fam_name = v.family.get_ref();
        let Some(family_ix) = r.families.iter().position(|f| &f.name == fam_name) else {
            // A family whose own file is invalid was reported there.
            self.check(known.families.contains(fam_name), p, v.family.span(), &format!("{key}.family"), || {
                format!(
                    "unknown formula family `{fam_name}`; known families: {} (each is a file in model_specs/families/)",
                    names(known.families.iter())
                )
            });
            return None;
        };
        let family = &r.families[family_ix];
        let before = self.errors.len();
        // An unknown op was reported on its own line; a family that does not model the op
        // makes its coefficient list meaningless, so neither goes further.
        if !known.ops.contains(op) {
            return None;
        }
        let models_op = self.check(family.ops.iter().any(|o| o == op), p, v.family.span(), &format!("{key}.family"), || {
            format!(
                "family `{fam_name}` does not model op `{op}` (it models {}); pick another family or add the op to its `ops`",
                names(family.ops.iter())
            )
        });
        if !models_op {
            return None;
        }
        let given = v.coefficients.get_ref();
        // The values in the family's coefficient order, as they are read.
        let mut values: Vec<Option<f64>> = vec![None; family.coefficients.len()];
        for (name, value) in given {
            let pk = format!("{key}.coefficients.{name}");
            let Some(ix) = family.coefficients.iter().position(|c| &c.name == name) else {
                self.errors.push(p.err(
                    value.span(),
                    pk,
                    format!(
                        "family `{fam_name}` has no coefficient `{name}`; its coefficients: {}",
                        names(family.coefficients.iter().map(|c| &c.name))
                    ),
                ));
                continue;
            };
            let fp = &family.coefficients[ix];
            let Some(x) = number(value.get_ref()) else {
                self.errors.push(p.err(
                    value.span(),
                    pk,
                    format!("`{}` is not a number", value.get_ref()),
                ));
                continue;
            };
            self.check(
                x.is_finite() && x >= fp.min && x <= fp.max,
                p,
                value.span(),
                &pk,
                || {
                    format!(
                        "is {x}; family `{fam_name}` allows {} ..= {}",
                        fp.min, fp.max
                    )
                },
            );
            values[ix] = Some(x);
        }
        let missing: Vec<&str> = family
            .coefficients
            .iter()
            .filter(|c| !given.contains_key(&c.name))
            .map(|c| c.name.as_str())
            .collect();
        self.check(
            missing.is_empty(),
            p,
            v.coefficients.span(),
            &format!("{key}.coefficients"),
            || {
                format!(
                    "missing {} required by family `{fam_name}`",
                    missing.join(", ")
                )
            },
        );
        let accuracy = v.accuracy.as_ref().and_then(|a| self.accuracy(p, &key, a));
        if self.errors.len() > before {
            return None;
        }
        Some(Version {
            number: *v.version.get_ref(),
            family: family_ix,
            summary: v.summary.clone(),
            coefficients: values.into_iter().collect::<Option<Vec<f64>>>()?,
            accuracy,
        })
    }

    fn accuracy(
        &mut self,
        p: &Parsed<ModelFile>,
        key: &str,
        a: &Spanned<AccuracyFile>,
    ) -> Option<Accuracy> {
        let span = a.span();
        let a = a.get_ref();
        let ok = a.median_ape.is_finite()
            && a.median_ape >= 0.0
            && a.p90_ape.is_finite()
            && a.p90_ape >= a.median_ape
            && a.rows > 0;
        self.check(ok, p, span, &format!("{key}.accuracy"), || {
            format!(
                "needs 0 <= median_ape <= p90_ape (fractions) and rows > 0, found {}, {}, {}",
                a.median_ape, a.p90_ape, a.rows
            )
        })
        .then(|| Accuracy {
            median_ape: a.median_ape,
            p90_ape: a.p90_ape,
            rows: a.rows,
            source: a.source.clone(),
            fitted_on: a
                .fitted_on
                .iter()
                .map(|f| (f.file.clone(), f.rows))
                .collect(),
        })
    }
}
