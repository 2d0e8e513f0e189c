//! The tables `build.rs` generates from `model_specs/` (enums, statics, phf maps).
//!
//! To read them: `cat target/debug/build/ttnn-op-perf-models-*/out/tables.rs`.

use crate::device::{CoreGrid, Hardware};
use crate::estimate::{Accuracy, Breakdown, Term};
use crate::model::{FamilyParam, FamilyValues, ModelVersion};
use crate::op::{OpSpec, OperandRules};
use crate::params::{NameIndex, ParamKind, ParamSpec, ParamValue, Slot};

include!(concat!(env!("OUT_DIR"), "/tables.rs"));
