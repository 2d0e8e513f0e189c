//! The enums the specs and the runtime share: the one list of each, in the order of the
//! runtime enum's discriminants (device spec tables are indexed by them). Codegen emits the
//! runtime enums from these lists (`DType`, `MathFidelity`), the device validator reads their
//! tables in this order, and an op param can be typed by one (`type = "math_fidelity"`).

use crate::type_name;

/// An enum the specs and the runtime share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedEnum {
    /// The spec name, which is also the `type` of an op param of this enum (`math_fidelity`).
    pub name: &'static str,
    /// The runtime type, re-exported at the runtime crate's root (`MathFidelity`).
    pub type_name: &'static str,
    /// The runtime type's doc.
    pub summary: &'static str,
    /// The values in the order of the runtime enum's discriminants.
    pub values: &'static [SharedValue],
}

/// A value of a [`SharedEnum`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedValue {
    /// The spec spelling (`hifi4`, `bfloat8_b`).
    pub name: &'static str,
    /// The runtime variant when it is not the camel case of the spelling ([`type_name`]):
    /// `HiFi4` for `hifi4`.
    pub variant: Option<&'static str>,
    /// The variant's doc; empty for none.
    pub summary: &'static str,
}

impl SharedValue {
    const fn new(name: &'static str, summary: &'static str) -> Self {
        SharedValue {
            name,
            variant: None,
            summary,
        }
    }

    const fn named(name: &'static str, variant: &'static str, summary: &'static str) -> Self {
        SharedValue {
            name,
            variant: Some(variant),
            summary,
        }
    }

    /// The runtime variant's name.
    pub fn variant(&self) -> String {
        self.variant
            .map_or_else(|| type_name(self.name), str::to_string)
    }
}

impl SharedEnum {
    /// The spec spellings, in order.
    pub fn names(&self) -> impl ExactSizeIterator<Item = &'static str> + Clone {
        self.values.iter().map(|v| v.name)
    }

    /// The position of a spelling.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.values.iter().position(|v| v.name == name)
    }
}

/// Element data types: the runtime `DType`; a device spec's `tile_bytes` lists each.
pub const DTYPE: SharedEnum = SharedEnum {
    name: "dtype",
    type_name: "DType",
    summary: "Element data type.",
    values: &[
        SharedValue::new("bfloat16", ""),
        SharedValue::new("float32", ""),
        SharedValue::new(
            "bfloat8_b",
            "Block float: 16 mantissas of 8 bits share one exponent byte.",
        ),
        SharedValue::new(
            "bfloat4_b",
            "Block float: 16 mantissas of 4 bits share one exponent byte.",
        ),
        SharedValue::new("uint8", ""),
        SharedValue::new("uint16", ""),
        SharedValue::new("uint32", ""),
        SharedValue::new("int32", ""),
    ],
};

/// Math fidelities: the runtime `MathFidelity`; a device spec's `matrix_engine.tile_cycles`
/// lists each, and matmul's and eltwise_binary's `math_fidelity` param is one.
pub const MATH_FIDELITY: SharedEnum = SharedEnum {
    name: "math_fidelity",
    type_name: "MathFidelity",
    summary: "Matrix-engine fidelity: how many phases a multiply takes.",
    values: &[
        SharedValue::named("lofi", "LoFi", "One phase."),
        SharedValue::named("hifi2", "HiFi2", "Two phases."),
        SharedValue::named("hifi3", "HiFi3", "Three phases."),
        SharedValue::named("hifi4", "HiFi4", "Four phases."),
    ],
};

/// Every shared enum, by spec name.
pub const SHARED_ENUMS: [&SharedEnum; 2] = [&DTYPE, &MATH_FIDELITY];

/// The shared enum of a spec name (`math_fidelity`).
pub fn shared_enum(name: &str) -> Option<&'static SharedEnum> {
    SHARED_ENUMS.into_iter().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spellings are unique snake_case names, variants unique identifiers.
    #[test]
    fn shared_enums_are_well_formed() {
        for e in SHARED_ENUMS {
            let names: std::collections::BTreeSet<_> = e.names().collect();
            assert_eq!(names.len(), e.values.len(), "{}", e.name);
            let variants: std::collections::BTreeSet<_> =
                e.values.iter().map(SharedValue::variant).collect();
            assert_eq!(variants.len(), e.values.len(), "{}", e.name);
            for v in e.values {
                assert!(
                    v.name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{}",
                    v.name
                );
                // A variant differs from the camel case in letter case only, so the trace
                // reader's lowercased `MATH FIDELITY` cells are the spellings.
                assert_eq!(v.variant().to_lowercase(), type_name(v.name).to_lowercase());
            }
        }
    }
}
