//! `families/<family>.toml`: a formula family's ops and fitted coefficients.

use super::{Known, Parsed, Validator, is_snake_ident, names};
use crate::schema::FamilyFile;
use crate::{Coefficient, Family};

impl Validator {
    pub(super) fn family(&mut self, p: &Parsed<FamilyFile>, known: &Known) -> Option<Family> {
        let f = &p.file;
        let before = self.errors.len();
        self.name_matches_stem(p, &f.family, "family");
        self.check(!f.ops.is_empty(), p, f.family.span(), "ops", || {
            "list the ops this family models".into()
        });
        for op in &f.ops {
            self.check(
                known.ops.contains(op.get_ref()),
                p,
                op.span(),
                "ops",
                || {
                    format!(
                        "unknown op `{}`; known ops: {}",
                        op.get_ref(),
                        names(known.ops.iter())
                    )
                },
            );
        }
        self.check(
            !f.coefficients.is_empty(),
            p,
            f.family.span(),
            "coefficients",
            || "a family needs at least one fitted coefficient under [coefficients.<name>]".into(),
        );
        for (name, fp) in &f.coefficients {
            let k = format!("coefficients.{name}");
            self.check(is_snake_ident(name), p, f.family.span(), &k, || {
                "coefficient names are snake_case Rust field names".into()
            });
            self.check(
                fp.min.is_finite() && fp.max.is_finite() && fp.min <= fp.max,
                p,
                f.family.span(),
                &k,
                || format!("needs finite min <= max, found {} and {}", fp.min, fp.max),
            );
        }
        if self.errors.len() > before {
            return None;
        }
        Some(Family {
            name: f.family.get_ref().clone(),
            summary: f.summary.clone(),
            ops: f.ops.iter().map(|o| o.get_ref().clone()).collect(),
            coefficients: f
                .coefficients
                .iter()
                .map(|(n, fp)| Coefficient {
                    name: n.clone(),
                    summary: fp.summary.clone(),
                    term: fp.term,
                    min: fp.min,
                    max: fp.max,
                })
                .collect(),
        })
    }
}
