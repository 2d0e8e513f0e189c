//! A parser for the `ATTRIBUTES` column of tt-metal profiler traces.
//!
//! The column is a dict of quoted strings, `{'key': 'value'; ...}`, and each value is written
//! in ttnn's attribute syntax:
//!
//! ```text
//! value  := "std::nullopt"
//!         | NAME template? "(" args? ")"       MemoryConfig(buffer_type=BufferType::L1;...)
//!         | NAME template? "{" args? "}"       ShardSpec{grid=[...]; shape=[32; 128]; ...}
//!         | "(" args ")"                       (x=8;y=8)
//!         | "{" members "}"                    {"x":0;"y":0}   (an object)
//!         | "{" values? "}" | "[" values? "]"  {1536; 64}   SmallVector([])
//!         | value "-" value                    (x=0;y=0) - (x=4;y=3)   0-0 - 10-9   (a core range)
//!         | '"' TEXT '"'                       "ShardOrientation::ROW_MAJOR"
//!         | TOKEN                              BufferType::L1   HiFi4   0   1.5   true   11-10
//! args    := (IDENT "=")? value (";" (IDENT "=")? value)*
//! members := '"' KEY '"' ":" value (";" '"' KEY '"' ":" value)*
//! ```
//!
//! Older tt-metal writes core coordinates as `(x=8;y=8)` and core ranges as
//! `(x=0;y=0) - (x=4;y=3)`; newer tt-metal writes coordinates as `11-10` (x-y) and ranges as
//! `0-0 - 10-9`, or, inside a `ShardSpec{...}`, as objects `{"start":{"x":0;"y":0};"end":{...}}`
//! whose closing `}` it leaves out when more follows (`[{"start":..;"end":{..}]`): an object
//! also ends where its enclosing list or call does, or before a `;` that no `"key":` follows.
//! [`Attr::point`] and [`Attr::core_range`] read every spelling.
//!
//! An empty cell value (`'activation': ''`) is [`Attr::Null`], as `std::nullopt` is.
//! Template arguments (`BasicUnaryWithParam<float; int>`) are kept in the name. Nesting is
//! limited to [`MAX_DEPTH`] so hostile input cannot exhaust the stack.
//!
//! ```
//! use ttnn_op_perf_models::trace::attributes::{parse_attributes, Attr};
//! let attrs = parse_attributes(
//!     "{'memory_config': 'MemoryConfig(buffer_type=BufferType::L1;shard_spec=std::nullopt)'; 'n': '2'}",
//! ).unwrap();
//! let mc = &attrs[0].1;
//! assert_eq!(mc.arg("buffer_type").and_then(Attr::variant), Some("L1"));
//! assert_eq!(mc.arg("shard_spec"), Some(&Attr::Null));
//! assert_eq!(attrs[1].1.as_u64(), Some(2));
//! ```

mod parser;

pub use parser::{AttrError, MAX_DEPTH, parse_attributes, parse_value};
use std::prelude::rust_2024::*;

/// A parsed attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum Attr {
    /// `std::nullopt`
    Null,
    /// A bare token: a number, a word, or an enum path such as `BufferType::L1`.
    Token(String),
    /// `Name(args)` or `Name{args}`; the name keeps its template arguments.
    Call { name: String, args: Vec<Arg> },
    /// `(args)` without a name, e.g. a core coordinate `(x=0;y=0)`, or an object
    /// `{"x":0;"y":0}` (its keys become the args' keys).
    Tuple(Vec<Arg>),
    /// `{a; b}` or `[a; b]`.
    List(Vec<Attr>),
    /// `a - b`, a core range.
    Range(Box<Attr>, Box<Attr>),
}

/// One argument of a call or tuple: `key=value` or a bare value.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub key: Option<String>,
    pub value: Attr,
}

impl Attr {
    /// The value of argument `key` of a call or tuple.
    pub fn arg(&self, key: &str) -> Option<&Attr> {
        match self {
            Attr::Call { args, .. } | Attr::Tuple(args) => args
                .iter()
                .find(|a| a.key.as_deref() == Some(key))
                .map(|a| &a.value),
            _ => None,
        }
    }

    /// The `index`-th value of a list, or the `index`-th argument of a call or tuple (keyed
    /// or not): `1` of `(7;5)` is `5`.
    pub fn nth(&self, index: usize) -> Option<&Attr> {
        match self {
            Attr::Call { args, .. } | Attr::Tuple(args) => args.get(index).map(|a| &a.value),
            Attr::List(items) => items.get(index),
            _ => None,
        }
    }

    /// The last value of a list, or the last argument of a call or tuple: `last` of
    /// `[1; 1; 2]` is `2`, whatever the rank.
    pub fn last(&self) -> Option<&Attr> {
        match self {
            Attr::Call { args, .. } | Attr::Tuple(args) => args.last().map(|a| &a.value),
            Attr::List(items) => items.last(),
            _ => None,
        }
    }

    /// The name of a call, without template arguments.
    pub fn call_name(&self) -> Option<&str> {
        match self {
            Attr::Call { name, .. } => Some(name.split('<').next().unwrap_or(name)),
            _ => None,
        }
    }

    /// The text of a token.
    pub fn token(&self) -> Option<&str> {
        match self {
            Attr::Token(t) => Some(t),
            _ => None,
        }
    }

    /// The variant of an enum path token (`L1` of `BufferType::L1`), or the token itself.
    pub fn variant(&self) -> Option<&str> {
        self.token().map(|t| t.rsplit("::").next().unwrap_or(t))
    }

    /// Whether the entry holds a value: `std::nullopt` or an empty cell does not.
    pub fn is_given(&self) -> bool {
        !matches!(self, Attr::Null)
    }

    pub fn as_u64(&self) -> Option<u64> {
        self.token()?.parse().ok()
    }

    /// `true`/`false`, or `1`/`0`.
    pub fn as_bool(&self) -> Option<bool> {
        // A one-element list reads as its element: a unary function's `param={1}`.
        if let Attr::List(items) = self {
            return match items.as_slice() {
                [only] => only.as_bool(),
                _ => None,
            };
        }
        match self.token()? {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }

    /// A core coordinate: `(x=..;y=..)`, `{"x":..;"y":..}` or `x-y`.
    pub fn point(&self) -> Option<(u64, u64)> {
        if let Some((x, y)) = self.token().and_then(|t| t.split_once('-')) {
            return Some((x.parse().ok()?, y.parse().ok()?));
        }
        Some((self.arg("x")?.as_u64()?, self.arg("y")?.as_u64()?))
    }

    /// A core range, first and last core: `a - b` or `{"start":a;"end":b}` of two
    /// [`Attr::point`]s.
    pub fn core_range(&self) -> Option<((u64, u64), (u64, u64))> {
        let (a, b) = match self {
            Attr::Range(a, b) => (&**a, &**b),
            _ => (self.arg("start")?, self.arg("end")?),
        };
        Some((a.point()?, b.point()?))
    }

    /// The items of a list.
    pub fn items(&self) -> Option<&[Attr]> {
        match self {
            Attr::List(items) => Some(items),
            _ => None,
        }
    }

    /// Depth-first search for the first value satisfying `pred`, this one included.
    pub fn find(&self, pred: &dyn Fn(&Attr) -> bool) -> Option<&Attr> {
        if pred(self) {
            return Some(self);
        }
        match self {
            Attr::Call { args, .. } | Attr::Tuple(args) => {
                args.iter().find_map(|a| a.value.find(pred))
            }
            Attr::List(items) => items.iter().find_map(|i| i.find(pred)),
            Attr::Range(a, b) => a.find(pred).or_else(|| b.find(pred)),
            Attr::Null | Attr::Token(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items of a list, as numbers.
    pub(super) fn numbers(list: &Attr) -> Vec<Option<u64>> {
        list.items().unwrap().iter().map(Attr::as_u64).collect()
    }

    #[test]
    fn templated_names_and_positional_lists() {
        let v = parse_value("{BasicUnaryWithParam<float; int; unsigned int>(base=BasicUnaryWithParam<float>(op_type=UnaryOpType::ERF;param={0}))}").unwrap();
        let op = v.find(&|a| a.arg("op_type").is_some()).unwrap();
        assert_eq!(op.call_name(), Some("BasicUnaryWithParam"));
        assert_eq!(op.arg("op_type").and_then(Attr::variant), Some("ERF"));
        assert_eq!(
            parse_value("SmallVector([])").unwrap().call_name(),
            Some("SmallVector")
        );
    }

    /// The shard spec newer tt-metal writes: a brace call, core ranges as objects without
    /// their closing brace, an nd shard spec as a balanced object with string values.
    #[test]
    fn newer_shard_specs_and_coordinates() {
        let mc = parse_value(
            r#"MemoryConfig(memory_layout=TensorMemoryLayout::WIDTH_SHARDED;shard_spec=ShardSpec{grid=[{"start":{"x":0;"y":0};"end":{"x":10;"y":0}; {"start":{"x":0;"y":1};"end":{"x":4;"y":1}]; shape=[32; 192]; orientation=ShardOrientation::ROW_MAJOR};nd_shard_spec={"shard_shape":[32; 192];"grid":[{"start":{"x":0;"y":0};"end":{"x":10;"y":0}}; {"start":{"x":0;"y":1};"end":{"x":4;"y":1}}];"orientation":"ShardOrientation::ROW_MAJOR"};created_with_nd_shard_spec=0)"#,
        )
        .unwrap();
        let spec = mc.arg("shard_spec").unwrap();
        assert_eq!(spec.call_name(), Some("ShardSpec"));
        let ranges: Vec<_> = spec
            .arg("grid")
            .and_then(Attr::items)
            .unwrap()
            .iter()
            .map(Attr::core_range)
            .collect();
        assert_eq!(ranges, [Some(((0, 0), (10, 0))), Some(((0, 1), (4, 1)))]);
        assert_eq!(numbers(spec.arg("shape").unwrap()), [Some(32), Some(192)]);
        assert_eq!(
            spec.arg("orientation").and_then(Attr::variant),
            Some("ROW_MAJOR")
        );
        let nd = mc.arg("nd_shard_spec").unwrap();
        assert_eq!(
            nd.arg("orientation").and_then(Attr::token),
            Some("ShardOrientation::ROW_MAJOR")
        );
        assert_eq!(
            nd.arg("grid").and_then(Attr::items).map(<[Attr]>::len),
            Some(2)
        );
        assert_eq!(
            mc.arg("created_with_nd_shard_spec").and_then(Attr::as_u64),
            Some(0)
        );
        // `x-y` coordinates and `a - b` ranges of them.
        let pc = parse_value("MatmulMultiCoreReuseMultiCast1DProgramConfig(compute_with_storage_grid_size=11-10;in0_block_w=2;allowed_worker_cores={[0-0 - 10-9]})").unwrap();
        assert_eq!(
            pc.arg("compute_with_storage_grid_size")
                .and_then(Attr::point),
            Some((11, 10))
        );
        let range = pc
            .arg("allowed_worker_cores")
            .and_then(|g| g.find(&|a| a.core_range().is_some()))
            .and_then(Attr::core_range);
        assert_eq!(range, Some(((0, 0), (10, 9))));
        // The older spellings still read.
        let old = parse_value("{[(x=0;y=0) - (x=4;y=3)]}").unwrap();
        let range = old
            .find(&|a| a.core_range().is_some())
            .and_then(Attr::core_range);
        assert_eq!(range, Some(((0, 0), (4, 3))));
        assert_eq!(parse_value("-1").unwrap().point(), None);
    }
}
