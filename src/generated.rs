//! The tables `build.rs` generates from `model_specs/` (enums, statics, phf maps, the arms of
//! `model!`), with `ttnn_op_perf_spec::codegen`.
//!
//! To read them: `cat target/debug/build/ttnn-op-perf-models-*/out/tables.rs` (its header says
//! which spec files and which device filter it was generated from).

use crate::device::{CoreGrid, Ethernet, Hardware};
use crate::estimate::{Accuracy, Breakdown, Term};
use crate::model::{Coefficient, FamilyValues, ModelVersion};
use crate::op::{OpSpec, OperandRules};
use crate::params::{NameIndex, ParamKind, ParamSpec, ParamValue, Slot};

include!(concat!(env!("OUT_DIR"), "/tables.rs"));
