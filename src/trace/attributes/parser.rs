//! The parser of the `ATTRIBUTES` syntax (see the module above for its grammar).

use super::{Arg, Attr};
use std::fmt;
use std::format;
use std::prelude::rust_2024::*;

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 64;

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
    use super::super::tests::numbers;
    use super::*;

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
