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

use std::fmt;
use std::format;
use std::prelude::rust_2024::*;

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 64;

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

    pub fn as_u64(&self) -> Option<u64> {
        self.token()?.parse().ok()
    }

    /// `true`/`false`, or `1`/`0`.
    pub fn as_bool(&self) -> Option<bool> {
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

/// Why attribute text did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrError {
    /// Byte offset into the text given to the parser.
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for AttrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for AttrError {}

/// Parses a whole `ATTRIBUTES` cell into its `(key, value)` pairs, in order. An empty cell,
/// or `None` (ops without attributes), is an empty list.
pub fn parse_attributes(text: &str) -> Result<Vec<(String, Attr)>, AttrError> {
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
    };
    p.ws();
    if p.at_end() || text.trim() == "None" {
        return Ok(Vec::new());
    }
    p.expect(b'{')?;
    let mut out = Vec::new();
    loop {
        p.ws();
        if p.eat(b'}') {
            break;
        }
        let key = p.quoted()?;
        p.ws();
        p.expect(b':')?;
        p.ws();
        let start = p.pos + 1;
        let raw = p.quoted()?;
        let value = if raw.trim().is_empty() {
            Attr::Null
        } else {
            parse_value(raw).map_err(|e| AttrError {
                offset: start + e.offset,
                message: e.message,
            })?
        };
        out.push((key.to_string(), value));
        p.ws();
        if p.eat(b';') || p.eat(b',') {
            continue;
        }
        p.expect(b'}')?;
        break;
    }
    p.ws();
    if !p.at_end() {
        return Err(p.error("text after the closing `}`"));
    }
    Ok(out)
}

/// Parses one value in ttnn's attribute syntax.
pub fn parse_value(text: &str) -> Result<Attr, AttrError> {
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
    };
    let v = p.value(0)?;
    p.ws();
    if !p.at_end() {
        return Err(p.error("unexpected text after a value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn error(&self, message: &str) -> AttrError {
        AttrError {
            offset: self.pos,
            message: message.to_string(),
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), AttrError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", c as char)))
        }
    }

    fn text(&self, start: usize) -> &'a str {
        // Token boundaries are ASCII, so slicing between them keeps UTF-8 valid.
        std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("")
    }

    /// `'...'` (or `"..."` with `quote` `"`) without escapes (ttnn writes none).
    fn quoted_by(&mut self, quote: u8) -> Result<&'a str, AttrError> {
        self.expect(quote)?;
        let start = self.pos;
        while self.peek().is_some_and(|c| c != quote) {
            self.pos += 1;
        }
        let t = self.text(start);
        self.expect(quote)?;
        Ok(t)
    }

    fn quoted(&mut self) -> Result<&'a str, AttrError> {
        self.quoted_by(b'\'')
    }

    /// At `{`, `"` follows (after white space): the brace opens an object.
    fn at_object(&self) -> bool {
        self.s[self.pos + 1..]
            .iter()
            .find(|c| !c.is_ascii_whitespace())
            .is_some_and(|&c| c == b'"')
    }

    fn value(&mut self, depth: usize) -> Result<Attr, AttrError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.ws();
        let first = match self.peek() {
            Some(b'(') => {
                self.pos += 1;
                Attr::Tuple(self.args(b')', depth)?)
            }
            Some(b'{') if self.at_object() => {
                self.pos += 1;
                Attr::Tuple(self.members(depth)?)
            }
            Some(b'"') => Attr::Token(self.quoted_by(b'"')?.to_string()),
            Some(open @ (b'{' | b'[')) => {
                self.pos += 1;
                let close = if open == b'{' { b'}' } else { b']' };
                Attr::List(self.list(close, depth)?)
            }
            Some(_) => self.token_or_call(depth)?,
            None => return Err(self.error("expected a value")),
        };
        // A range: `value - value`.
        let save = self.pos;
        self.ws();
        if self.eat(b'-')
            && self
                .peek()
                .is_some_and(|c| c.is_ascii_whitespace() || c == b'(')
        {
            let second = self.value(depth + 1)?;
            return Ok(Attr::Range(Box::new(first), Box::new(second)));
        }
        self.pos = save;
        Ok(first)
    }

    fn token_or_call(&mut self, depth: usize) -> Result<Attr, AttrError> {
        let start = self.pos;
        let mut angle = 0usize;
        while let Some(c) = self.peek() {
            match c {
                b'<' => angle += 1,
                b'>' if angle > 0 => angle -= 1,
                b';' | b',' if angle > 0 => {}
                b'(' if angle == 0 => break,
                b';' | b',' | b')' | b'}' | b']' | b'(' | b'{' | b'[' | b'=' => break,
                c if c.is_ascii_whitespace() && angle == 0 => break,
                _ => {}
            }
            self.pos += 1;
        }
        if angle > 0 {
            return Err(self.error("unclosed `<` in a name"));
        }
        let name = self.text(start);
        if name.is_empty() {
            return Err(self.error("expected a value"));
        }
        let close = match self.peek() {
            Some(b'(') => Some(b')'),
            Some(b'{') => Some(b'}'),
            _ => None,
        };
        if let Some(close) = close {
            self.pos += 1;
            let args = self.args(close, depth)?;
            return Ok(Attr::Call {
                name: name.to_string(),
                args,
            });
        }
        Ok(if name == "std::nullopt" {
            Attr::Null
        } else {
            Attr::Token(name.to_string())
        })
    }

    /// `(key=)?value (; (key=)?value)* close`, the opening bracket already eaten.
    fn args(&mut self, close: u8, depth: usize) -> Result<Vec<Arg>, AttrError> {
        let mut args = Vec::new();
        self.ws();
        if self.eat(close) {
            return Ok(args);
        }
        loop {
            self.ws();
            let save = self.pos;
            let key = self.ident().filter(|_| {
                self.ws();
                self.eat(b'=')
            });
            if key.is_none() {
                self.pos = save;
            }
            let value = self.value(depth + 1)?;
            args.push(Arg {
                key: key.map(str::to_string),
                value,
            });
            self.ws();
            if self.eat(b';') || self.eat(b',') {
                continue;
            }
            self.expect(close)?;
            return Ok(args);
        }
    }

    /// `"key": value (; "key": value)* }`, the `{` already eaten. The `}` may be missing (see
    /// the module doc): the object then ends before a `;` that no `"key"` follows, or before
    /// the `]` or `)` closing what encloses it.
    fn members(&mut self, depth: usize) -> Result<Vec<Arg>, AttrError> {
        let mut members = Vec::new();
        loop {
            self.ws();
            let key = self.quoted_by(b'"')?;
            self.ws();
            self.expect(b':')?;
            let value = self.value(depth + 1)?;
            members.push(Arg {
                key: Some(key.to_string()),
                value,
            });
            self.ws();
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(members);
                }
                Some(b';' | b',') => {
                    let save = self.pos;
                    self.pos += 1;
                    self.ws();
                    if self.peek() != Some(b'"') {
                        self.pos = save;
                        return Ok(members);
                    }
                }
                Some(b']' | b')') => return Ok(members),
                _ => return Err(self.error("expected `}`")),
            }
        }
    }

    fn list(&mut self, close: u8, depth: usize) -> Result<Vec<Attr>, AttrError> {
        let mut items = Vec::new();
        self.ws();
        if self.eat(close) {
            return Ok(items);
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.ws();
            if self.eat(b';') || self.eat(b',') {
                continue;
            }
            self.expect(close)?;
            return Ok(items);
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| self.text(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items of a list, as numbers.
    fn numbers(list: &Attr) -> Vec<Option<u64>> {
        list.items().unwrap().iter().map(Attr::as_u64).collect()
    }

    const MEMORY: &str = "MemoryConfig(memory_layout=TensorMemoryLayout::HEIGHT_SHARDED;buffer_type=BufferType::L1;shard_spec=ShardSpec(grid={[(x=0;y=0) - (x=4;y=3)]};shape={1536; 64};orientation=ShardOrientation::ROW_MAJOR);nd_shard_spec=std::nullopt;created_with_nd_shard_spec=0)";

    #[test]
    fn memory_config_with_shard_spec() {
        let v = parse_value(MEMORY).unwrap();
        assert_eq!(v.call_name(), Some("MemoryConfig"));
        assert_eq!(
            v.arg("memory_layout").and_then(Attr::variant),
            Some("HEIGHT_SHARDED")
        );
        let shard = v.arg("shard_spec").unwrap();
        let grid = shard.arg("grid").and_then(Attr::items).unwrap();
        let [Attr::List(ranges)] = grid else {
            std::panic!("{grid:?}")
        };
        let Attr::Range(a, b) = &ranges[0] else {
            std::panic!("{ranges:?}")
        };
        assert_eq!((a.point(), b.point()), (Some((0, 0)), Some((4, 3))));
        assert_eq!(numbers(shard.arg("shape").unwrap()), [Some(1536), Some(64)]);
        assert_eq!(v.arg("nd_shard_spec"), Some(&Attr::Null));
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

    #[test]
    fn whole_cell() {
        let cell = "{'bcast_batch': '0'; 'compute_kernel_config': 'WormholeComputeKernelConfig(math_fidelity=HiFi4;math_approx_mode=0)'; 'program_config': 'std::nullopt'; 'grid': '(x=8;y=8)'}";
        let attrs = parse_attributes(cell).unwrap();
        assert_eq!(attrs.len(), 4);
        assert_eq!(attrs[0].1.as_bool(), Some(false));
        assert_eq!(
            attrs[1].1.arg("math_fidelity").and_then(Attr::token),
            Some("HiFi4")
        );
        assert_eq!(attrs[2].1, Attr::Null);
        assert_eq!(attrs[3].1.point(), Some((8, 8)));
        assert!(parse_attributes("").unwrap().is_empty());
        assert!(parse_attributes("None").unwrap().is_empty());
        assert!(parse_attributes("{}").unwrap().is_empty());
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

    #[test]
    fn empty_values_are_null() {
        let attrs = parse_attributes(
            "{'activation': ''; 'dtype': ' '; 'output_padded_shape': 'Shape([32; 5120])'}",
        )
        .unwrap();
        assert_eq!(attrs[0], ("activation".to_string(), Attr::Null));
        assert_eq!(attrs[1].1, Attr::Null);
        let dims = attrs[2].1.find(&|a| a.items().is_some()).unwrap();
        assert_eq!(numbers(dims), [Some(32), Some(5120)]);
        // Outside a cell's quotes an empty value is still an error.
        assert!(parse_value("").is_err());
    }

    #[test]
    fn errors_say_where() {
        let e = parse_value("MemoryConfig(buffer_type=BufferType::L1").unwrap_err();
        assert_eq!(e.offset, 39);
        assert!(e.message.contains("`)`"), "{e}");
        assert!(parse_attributes("{'a': 'b'").is_err());
        assert!(parse_attributes("{'a': 'X(' }").unwrap_err().offset >= 6);
        let deep = "(".repeat(100) + &")".repeat(100);
        assert!(parse_value(&deep).unwrap_err().message.contains("deep"));
        let deep = "{\"a\":".repeat(100);
        assert!(parse_value(&deep).unwrap_err().message.contains("deep"));
        // An object member needs its `"key":`; an object cannot end on junk.
        assert!(
            parse_value(r#"{"x" 0}"#)
                .unwrap_err()
                .message
                .contains("`:`")
        );
        assert!(
            parse_value(r#"{"x":0 "y":1}"#)
                .unwrap_err()
                .message
                .contains("`}`")
        );
        assert!(parse_value(r#"{"x":0"#).is_err());
    }
}
