//! The compact tensor syntax of `ttperf predict` and of workload files:
//! `DIMS:DTYPE[:LAYOUT[:MEMORY[:OPTION]...]]`.
//!
//! * `DIMS`: sizes, outermost first, joined by `x` (`1x1x1024x1024`); `P[L]` is a dim padded
//!   to `P` with logical size `L` (`32[19]x1280`).
//! * `DTYPE`: a spelling `DType::from_name` accepts (`bf16`, `bfloat8_b`, `f32`, `BFLOAT16`, ...).
//! * `LAYOUT`: `tile` (32x32, the default), `tileHxW` (`tile16x32`) or `row_major`.
//! * `MEMORY`: `dram` (the default) or `l1`, interleaved; or sharded, `BUFFER_KIND[COLSxROWS]`
//!   with `BUFFER` `dram` or `l1`, `KIND` `height`, `width` or `block`, and a shard grid of
//!   `COLS` x `ROWS` cores from (0, 0) (`l1_height[4x5]`).
//! * `OPTION`s, sharded memory only: `shard=HxW`, the shard shape in elements (required), and
//!   `col_major` or `row_major` (the default), the shard orientation.
//!
//! Syntax is checked here; what makes a tensor invalid for an op (a dim that is not a multiple
//! of the tile, a shard grid outside the device) is the library's to report.

use ttnn_op_perf_models::tensor::MAX_RANK;
use ttnn_op_perf_models::{
    BufferType, CoreGrid, CoreRange, DType, Layout, MemoryConfig, MemoryLayout, Shape,
    ShardOrientation, ShardSpec, TensorParams,
};

/// Parses a tensor spec; the error names the part that is wrong.
///
/// `1x1x128x64:bf16:row_major:l1`, `32x4096:bf8`, `1x1x512x64:bf16:tile:l1_height[4x4]:shard=32x64`.
pub fn parse_tensor(spec: &str) -> Result<TensorParams, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let [dims, dtype, rest @ ..] = parts.as_slice() else {
        return Err(format!(
            "`{spec}`: expected DIMS:DTYPE[:LAYOUT[:MEMORY]], e.g. 1x1x1024x1024:bf16:tile:dram"
        ));
    };
    let shape = parse_shape(dims)?;
    let dtype = parse_dtype(dtype)?;
    let layout = match rest.first() {
        Some(layout) => parse_layout(layout)?,
        None => Layout::TILE,
    };
    let memory = match rest.get(1) {
        Some(memory) => parse_memory(memory, &rest[2..])?,
        None => MemoryConfig::DRAM_INTERLEAVED,
    };
    Ok(TensorParams::new(shape, dtype, layout, memory))
}

/// Parses a dtype: a spelling `DType::from_name` accepts (`bf16`, `bfloat8_b`, `FLOAT32`, ...).
pub fn parse_dtype(dtype: &str) -> Result<DType, String> {
    DType::from_name(dtype).ok_or_else(|| {
        let known: Vec<&str> = DType::ALL.iter().map(|d| d.name()).collect();
        format!(
            "dtype `{dtype}`: expected one of {} (or a short form: bf16, bf8, bf4, f32, u8, u16, u32, i32)",
            known.join(", ")
        )
    })
}

/// Parses a core grid `COLSxROWS` (`8x8`).
pub fn parse_grid(s: &str) -> Result<CoreGrid, String> {
    pair::<u8>(s)
        .map(|(x, y)| CoreGrid::new(x, y))
        .ok_or_else(|| format!("grid `{s}`: expected COLSxROWS of cores, each 1..=255, e.g. 8x8"))
}

/// A positive number written in decimal digits only (no sign, no spaces).
fn positive<T: std::str::FromStr + Default + PartialEq>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|n| *n != T::default())
}

/// Two positive numbers joined by `x` (`16x32`).
fn pair<T: std::str::FromStr + Default + PartialEq>(s: &str) -> Option<(T, T)> {
    let (a, b) = s.split_once('x')?;
    Some((positive(a)?, positive(b)?))
}

fn parse_shape(s: &str) -> Result<Shape, String> {
    let mut padded = Vec::new();
    let mut logical = Vec::new();
    for (i, dim) in s.split('x').enumerate() {
        let bad = |why: &str| format!("dims `{s}`: dim {i} `{dim}`: {why}");
        let (p, l) = match dim.strip_suffix(']') {
            Some(inner) => {
                let (p, l) = inner
                    .split_once('[')
                    .ok_or_else(|| bad("expected PADDED[LOGICAL], e.g. 32[19]"))?;
                let p =
                    positive(p).ok_or_else(|| bad("the padded size is not a positive integer"))?;
                let l =
                    positive(l).ok_or_else(|| bad("the logical size is not a positive integer"))?;
                if l > p {
                    return Err(bad("the logical size exceeds the padded size"));
                }
                (p, l)
            }
            None => {
                let n = positive(dim).ok_or_else(|| {
                    bad("expected a positive size or PADDED[LOGICAL]; dims join with `x`, e.g. 1x32x1024")
                })?;
                (n, n)
            }
        };
        padded.push(p);
        logical.push(l);
    }
    if padded.len() > MAX_RANK {
        return Err(format!(
            "dims `{s}`: rank {} is above the limit {MAX_RANK}",
            padded.len()
        ));
    }
    Ok(Shape::padded(&padded, &logical))
}

/// Parses a `LAYOUT` part: `tile`, `tileHxW` or `row_major`.
pub fn parse_layout(s: &str) -> Result<Layout, String> {
    match s {
        "tile" => return Ok(Layout::TILE),
        "row_major" => return Ok(Layout::RowMajor),
        _ => {}
    }
    if let Some((height, width)) = s.strip_prefix("tile").and_then(pair::<u16>) {
        return Ok(Layout::Tile { height, width });
    }
    let hint = if parse_placement(s).is_ok() {
        " (the layout comes before the memory: DIMS:DTYPE:LAYOUT:MEMORY)"
    } else {
        ""
    };
    Err(format!(
        "layout `{s}`: expected tile, tileHxW (e.g. tile16x32) or row_major{hint}"
    ))
}

/// The buffer, and for sharded memory the shard layout and grid, of a `MEMORY` part.
fn parse_placement(s: &str) -> Result<(BufferType, Option<(MemoryLayout, CoreGrid)>), String> {
    let bad = || {
        format!(
            "memory `{s}`: expected dram, l1, or BUFFER_KIND[COLSxROWS] with BUFFER dram or l1 \
             and KIND height, width or block (e.g. l1_height[8x8])"
        )
    };
    let (buffer, rest) = if let Some(rest) = s.strip_prefix("dram") {
        (BufferType::Dram, rest)
    } else if let Some(rest) = s.strip_prefix("l1") {
        (BufferType::L1, rest)
    } else {
        return Err(bad());
    };
    if rest.is_empty() || rest == "_interleaved" {
        return Ok((buffer, None));
    }
    let (kind, grid) = rest
        .strip_prefix('_')
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|r| r.split_once('['))
        .ok_or_else(bad)?;
    let layout = match kind {
        "height" => MemoryLayout::HeightSharded,
        "width" => MemoryLayout::WidthSharded,
        "block" => MemoryLayout::BlockSharded,
        _ => return Err(bad()),
    };
    let grid = parse_grid(grid).map_err(|e| format!("memory `{s}`: shard {e}"))?;
    Ok((buffer, Some((layout, grid))))
}

/// Parses a `MEMORY` part and the `OPTION`s after it (`l1_height[4x4]`, `["shard=32x64"]`).
pub fn parse_memory(s: &str, options: &[&str]) -> Result<MemoryConfig, String> {
    let (buffer, sharding) = parse_placement(s)?;
    let Some((layout, grid)) = sharding else {
        return match options.first() {
            Some(option) => Err(format!(
                "`{option}`: options after the memory apply to sharded memory only (e.g. l1_height[8x8]:shard=32x64)"
            )),
            None => Ok(MemoryConfig {
                buffer,
                layout: MemoryLayout::Interleaved,
                shard: None,
            }),
        };
    };
    let mut shape = None;
    let mut orientation = None;
    for &option in options {
        let twice = |what: &str| format!("`{option}`: the shard {what} is given twice");
        if let Some(hw) = option.strip_prefix("shard=") {
            let (h, w) = pair::<u32>(hw).ok_or_else(|| {
                format!("`{option}`: expected shard=HxW, the shard height and width in elements, e.g. shard=32x64")
            })?;
            if shape.replace([h, w]).is_some() {
                return Err(twice("shape"));
            }
        } else {
            let o = match option {
                "row_major" => ShardOrientation::RowMajor,
                "col_major" => ShardOrientation::ColMajor,
                _ => {
                    return Err(format!(
                        "option `{option}`: expected shard=HxW, col_major or row_major"
                    ));
                }
            };
            if orientation.replace(o).is_some() {
                return Err(twice("orientation"));
            }
        }
    }
    let shape = shape.ok_or_else(|| {
        format!("memory `{s}` is sharded: add `:shard=HxW`, the shard height and width in elements")
    })?;
    let shard = ShardSpec::new(
        CoreRange::of_grid(grid),
        shape,
        orientation.unwrap_or(ShardOrientation::RowMajor),
    );
    Ok(MemoryConfig::sharded(buffer, layout, shard))
}

/// The spec of `t` in the compact syntax, which [`parse_tensor`] reads back to `t`; `None`
/// when the syntax cannot say it (an ND-sharded tensor, or a shard grid that does not start
/// at core (0, 0) or does not hold a shard on every core).
///
/// ```
/// use ttnn_op_perf_tensor_spec::{format_tensor, parse_tensor};
/// let t = parse_tensor("1x1x640x320:bf16:tile:l1_height[4x5]:shard=32x320").unwrap();
/// assert_eq!(format_tensor(&t).as_deref(), Some("1x1x640x320:bfloat16:tile:l1_height[4x5]:shard=32x320"));
/// ```
pub fn format_tensor(t: &TensorParams) -> Option<String> {
    let shape = t.shape();
    let dims: Vec<String> = shape
        .dims()
        .iter()
        .zip(shape.logical())
        .map(|(p, l)| {
            if p == l {
                p.to_string()
            } else {
                format!("{p}[{l}]")
            }
        })
        .collect();
    let layout = match t.layout() {
        Layout::TILE => "tile".to_string(),
        Layout::Tile { height, width } => format!("tile{height}x{width}"),
        Layout::RowMajor => "row_major".to_string(),
    };
    let memory = t.memory();
    let buffer = match memory.buffer {
        BufferType::Dram => "dram",
        BufferType::L1 => "l1",
    };
    let kind = match memory.layout {
        MemoryLayout::Interleaved => None,
        MemoryLayout::HeightSharded => Some("height"),
        MemoryLayout::WidthSharded => Some("width"),
        MemoryLayout::BlockSharded => Some("block"),
        MemoryLayout::NdSharded => return None,
    };
    let memory = match (kind, memory.shard) {
        (None, None) => buffer.to_string(),
        (Some(kind), Some(s)) => {
            let grid = CoreGrid::new(s.grid.end.0.checked_add(1)?, s.grid.end.1.checked_add(1)?);
            if s.grid != CoreRange::of_grid(grid) || s.cores != grid.cores() {
                return None;
            }
            let orientation = match s.orientation {
                ShardOrientation::RowMajor => "",
                ShardOrientation::ColMajor => ":col_major",
            };
            let [h, w] = s.shape;
            format!("{buffer}_{kind}[{grid}]:shard={h}x{w}{orientation}")
        }
        _ => return None,
    };
    Some(format!(
        "{}:{}:{layout}:{memory}",
        dims.join("x"),
        t.dtype().name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(spec: &str) -> String {
        parse_tensor(spec).expect_err(spec)
    }

    #[test]
    fn defaults_are_tile_and_dram_interleaved() {
        let t = parse_tensor("32x4096:bf8").unwrap();
        assert_eq!(
            t,
            TensorParams::tiled(&[32, 4096], DType::Bfloat8B, MemoryConfig::DRAM_INTERLEAVED)
        );
        assert_eq!(
            parse_tensor("1x1x1024x1024:bf16:tile:dram").unwrap(),
            TensorParams::tiled(
                &[1, 1, 1024, 1024],
                DType::Bfloat16,
                MemoryConfig::DRAM_INTERLEAVED
            )
        );
    }

    #[test]
    fn layouts_dtypes_and_interleaved_memory() {
        let t = parse_tensor("1x1x128x64:bf16:row_major:l1").unwrap();
        assert_eq!(t.layout(), Layout::RowMajor);
        assert_eq!(t.memory(), MemoryConfig::L1_INTERLEAVED);
        let t = parse_tensor("1x16x64:BFLOAT16:tile16x32:l1_interleaved").unwrap();
        assert_eq!(
            t.layout(),
            Layout::Tile {
                height: 16,
                width: 32
            }
        );
        assert_eq!(t.dtype(), DType::Bfloat16);
        assert_eq!(t.memory(), MemoryConfig::L1_INTERLEAVED);
        assert_eq!(
            parse_tensor("64x64:float32").unwrap().dtype(),
            DType::Float32
        );
        assert_eq!(
            parse_tensor("64x64:u32:tile:dram_interleaved")
                .unwrap()
                .memory(),
            MemoryConfig::DRAM_INTERLEAVED
        );
    }

    #[test]
    fn padded_and_logical_dims() {
        let t = parse_tensor("32[19]x1280:bf16").unwrap();
        assert_eq!(t.shape().dims(), &[32, 1280]);
        assert_eq!(t.shape().logical(), &[19, 1280]);
    }

    #[test]
    fn sharded_memory() {
        let t = parse_tensor("1x1x640x320:bf16:tile:l1_height[4x5]:shard=32x320").unwrap();
        let shard = ShardSpec::new(
            CoreRange {
                start: (0, 0),
                end: (3, 4),
            },
            [32, 320],
            ShardOrientation::RowMajor,
        );
        assert_eq!(
            t.memory(),
            MemoryConfig::sharded(BufferType::L1, MemoryLayout::HeightSharded, shard)
        );
        assert_eq!(t.memory().shard.unwrap().cores, 20);

        let t = parse_tensor("256x256:bf16:tile:l1_block[8x8]:col_major:shard=32x32").unwrap();
        assert_eq!(t.memory().layout, MemoryLayout::BlockSharded);
        assert_eq!(
            t.memory().shard.unwrap().orientation,
            ShardOrientation::ColMajor
        );
        let t = parse_tensor("32x1024:bf8:tile:dram_width[12x1]:shard=32x96").unwrap();
        assert_eq!(t.memory().buffer, BufferType::Dram);
        assert_eq!(t.memory().layout, MemoryLayout::WidthSharded);
        assert_eq!(t.memory().shard.unwrap().shape, [32, 96]);
        let t = parse_tensor("32x1024:bf16:tile:l1_width[8x1]:shard=32x128:row_major").unwrap();
        assert_eq!(t.memory().layout, MemoryLayout::WidthSharded);
    }

    /// Every spec the syntax can say reads back from its formatted form; what it cannot
    /// say formats to `None`.
    #[test]
    fn format_reads_back() {
        for spec in [
            "32x4096:bf8",
            "1x1x128x64:bf16:row_major:l1",
            "1x16x64:BFLOAT16:tile16x32:l1_interleaved",
            "32[19]x1280:f32",
            "1x1x640x320:bf16:tile:l1_height[4x5]:shard=32x320",
            "256x256:bf16:tile:l1_block[8x8]:col_major:shard=32x32",
            "32x1024:bf8:tile:dram_width[12x1]:shard=32x96",
        ] {
            let t = parse_tensor(spec).unwrap();
            let text = format_tensor(&t).unwrap_or_else(|| panic!("{spec}"));
            assert_eq!(parse_tensor(&text), Ok(t), "{spec} -> {text}");
        }
        let t = parse_tensor("32x32:bf16:tile:l1_height[2x2]:shard=16x32").unwrap();
        let mut shard = t.memory().shard.unwrap();
        shard.grid.start = (1, 0);
        let moved = t.with_memory(MemoryConfig {
            shard: Some(shard),
            ..t.memory()
        });
        assert_eq!(format_tensor(&moved), None);
    }

    #[test]
    fn grids() {
        assert_eq!(parse_grid("8x8"), Ok(CoreGrid::new(8, 8)));
        assert_eq!(parse_grid("13x10"), Ok(CoreGrid::new(13, 10)));
        for bad in ["8", "0x8", "8x", "x8", "256x1", "8x8x1", "-1x8", "8 x 8"] {
            assert!(parse_grid(bad).unwrap_err().contains(bad), "{bad}");
        }
    }

    #[test]
    fn malformed_specs_name_the_bad_part() {
        let cases = [
            ("1x1x32x32", "expected DIMS:DTYPE"),
            ("", "expected DIMS:DTYPE"),
            ("1x1x32x32:bf17", "dtype `bf17`"),
            ("1x1x32x32:", "dtype ``"),
            ("1xx32:bf16", "dim 1 ``"),
            ("1x1x32xa:bf16", "dim 3 `a`"),
            ("1x0x32:bf16", "dim 1 `0`"),
            ("1x+2x32:bf16", "dim 1 `+2`"),
            ("32[64]x32:bf16", "logical size exceeds"),
            ("32[a]x32:bf16", "logical size is not"),
            ("[19]x32:bf16", "padded size is not"),
            ("32]x32:bf16", "PADDED[LOGICAL]"),
            ("99999999999x32:bf16", "dim 0 `99999999999`"),
            ("1x1x1x1x1x1x1x1x1:bf16", "rank 9"),
            ("32x32:bf16:tiles", "layout `tiles`"),
            ("32x32:bf16:tile0x32", "layout `tile0x32`"),
            ("32x32:bf16:l1", "the layout comes before the memory"),
            ("32x32:bf16:tile:sram", "memory `sram`"),
            (
                "32x32:bf16:tile:l1_diagonal[2x2]",
                "memory `l1_diagonal[2x2]`",
            ),
            ("32x32:bf16:tile:l1_height", "memory `l1_height`"),
            ("32x32:bf16:tile:l1_height[2x0]", "shard grid `2x0`"),
            ("32x32:bf16:tile:l1_height[2x2]", "add `:shard=HxW`"),
            ("32x32:bf16:tile:l1_height[2x2]:shard=16", "`shard=16`"),
            (
                "32x32:bf16:tile:l1_height[2x2]:shard=16x32:shard=16x32",
                "given twice",
            ),
            (
                "32x32:bf16:tile:l1_height[2x2]:shard=16x32:col_major:row_major",
                "given twice",
            ),
            (
                "32x32:bf16:tile:l1_height[2x2]:shard=16x32:diagonal",
                "option `diagonal`",
            ),
            ("32x32:bf16:tile:dram:shard=32x32", "sharded memory only"),
        ];
        for (spec, expected) in cases {
            let e = err(spec);
            assert!(e.contains(expected), "{spec}: {e}");
        }
    }
}
