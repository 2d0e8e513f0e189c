//! The cells of a trace row: dims (`padded[logical]` or one number), tensors, memory configs
//! (`DEV_0_L1_HEIGHT_SHARDED`) and, from the attributes, shard specs.

use super::attributes::Attr;
use super::row::Row;
use crate::tensor::{
    BufferType, CoreRange, DType, Layout, MemoryConfig, MemoryLayout, Shape, ShardOrientation,
    ShardSpec, TensorParams,
};
use std::format;
use std::prelude::rust_2024::*;

/// `32[19]` -> (32, 19); `32` -> (32, 32) (see [`tensor`] for the older column set).
fn dim(cell: &str) -> Option<(u32, u32)> {
    match cell.split_once('[') {
        Some((padded, rest)) => Some((
            padded.trim().parse().ok()?,
            rest.strip_suffix(']')?.trim().parse().ok()?,
        )),
        None => {
            let d = cell.parse().ok()?;
            Some((d, d))
        }
    }
}

pub(super) fn tensor(
    row: &Row<'_>,
    prefix: &str,
    tile: Option<(u16, u16)>,
) -> Result<Option<TensorParams>, String> {
    let suffix = if row.plain_shapes {
        ""
    } else {
        "_PAD[LOGICAL]"
    };
    let cells: Vec<&str> = ["W", "Z", "Y", "X"]
        .iter()
        .map(|d| row.get(&format!("{prefix}_{d}{suffix}")))
        .collect();
    if cells.iter().all(|c| c.is_empty()) {
        return Ok(None);
    }
    let layout = match row.get(&format!("{prefix}_LAYOUT")) {
        "TILE" | "" => {
            let (height, width) = tile.unwrap_or((32, 32));
            Layout::Tile { height, width }
        }
        "ROW_MAJOR" => Layout::RowMajor,
        other => return Err(format!("{prefix}_LAYOUT: unknown layout `{other}`")),
    };
    let mut padded = [0u32; 4];
    let mut logical = [0u32; 4];
    for (i, cell) in cells.iter().enumerate() {
        let (p, l) = if row.plain_shapes {
            let d: u32 = cell
                .parse()
                .map_err(|_| format!("{prefix}: dim `{cell}` is not a number"))?;
            // Y and X of a tile tensor are whole tiles when padded (see `SHAPE_COLUMNS`).
            let tile_dim = match (layout, i) {
                (Layout::Tile { height, .. }, 2) => u32::from(height),
                (Layout::Tile { width, .. }, 3) => u32::from(width),
                _ => 1,
            };
            let p = d
                .checked_next_multiple_of(tile_dim.max(1))
                .ok_or_else(|| format!("{prefix}: dim `{cell}` is too large"))?;
            (p, d)
        } else {
            dim(cell).ok_or_else(|| format!("{prefix}: dim `{cell}` is not `padded[logical]`"))?
        };
        padded[i] = p;
        logical[i] = l;
    }
    let dtype_cell = row.get(&format!("{prefix}_DATATYPE"));
    let dtype = DType::from_name(dtype_cell)
        .ok_or_else(|| format!("{prefix}_DATATYPE: unknown dtype `{dtype_cell}`"))?;
    let memory_cell = row.get(&format!("{prefix}_MEMORY"));
    let memory = memory(memory_cell)
        .ok_or_else(|| format!("{prefix}_MEMORY: unknown memory `{memory_cell}`"))?;
    Ok(Some(TensorParams::new(
        Shape::padded(&padded, &logical),
        dtype,
        layout,
        memory,
    )))
}

/// `DEV_0_L1_HEIGHT_SHARDED` -> L1, height sharded (shard spec filled in later).
fn memory(cell: &str) -> Option<MemoryConfig> {
    let rest = cell.strip_prefix("DEV_")?;
    let (_, rest) = rest.split_once('_')?;
    let (buffer, layout) = rest.split_once('_')?;
    let buffer = match buffer {
        "DRAM" => BufferType::Dram,
        "L1" => BufferType::L1,
        _ => return None,
    };
    let layout = match layout {
        "INTERLEAVED" => MemoryLayout::Interleaved,
        "HEIGHT_SHARDED" => MemoryLayout::HeightSharded,
        "WIDTH_SHARDED" => MemoryLayout::WidthSharded,
        "BLOCK_SHARDED" => MemoryLayout::BlockSharded,
        "ND_SHARDED" => MemoryLayout::NdSharded,
        _ => return None,
    };
    Some(MemoryConfig {
        buffer,
        layout,
        shard: None,
    })
}

/// `ShardSpec(grid={[(x=0;y=0) - (x=4;y=3)]};shape={1536; 64};orientation=...)`, or as newer
/// tt-metal writes it, `ShardSpec{grid=[{"start":{"x":0;"y":0};"end":{..}]; shape=[32; 128]; ...}`.
pub(super) fn shard_spec(spec: &Attr) -> Option<ShardSpec> {
    let ranges = spec.arg("grid")?.find(
        &|a| matches!(a, Attr::List(items) if items.iter().any(|i| i.core_range().is_some())),
    )?;
    let (mut cores, mut lo, mut hi) = (0u32, (u8::MAX, u8::MAX), (0u8, 0u8));
    for r in ranges.items()? {
        let Some((a, b)) = r.core_range() else {
            continue;
        };
        let (a, b) = (core(a)?, core(b)?);
        let range = CoreRange { start: a, end: b };
        cores = cores.checked_add(range.cores())?;
        lo = (lo.0.min(a.0), lo.1.min(a.1));
        hi = (hi.0.max(b.0), hi.1.max(b.1));
    }
    let shape = spec.arg("shape")?.items()?;
    let shape = [number(shape.first()?)?, number(shape.get(1)?)?];
    // Newer ttnn writes `shape=[0; 0]` for a spec whose shard shape the op computes itself:
    // no shard shape, so none is taken from it.
    if shape.contains(&0) {
        return None;
    }
    let orientation = match spec.arg("orientation").and_then(Attr::variant) {
        Some("COL_MAJOR") => ShardOrientation::ColMajor,
        _ => ShardOrientation::RowMajor,
    };
    Some(ShardSpec {
        grid: CoreRange { start: lo, end: hi },
        cores,
        shape,
        orientation,
    })
}

/// A core coordinate that fits a grid.
fn core((x, y): (u64, u64)) -> Option<(u8, u8)> {
    Some((u8::try_from(x).ok()?, u8::try_from(y).ok()?))
}

/// A token as a number of the wanted width; `None` when it does not fit.
pub(super) fn number<T: TryFrom<u64>>(a: &Attr) -> Option<T> {
    T::try_from(a.as_u64()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dims_and_memory_cells() {
        assert_eq!(dim("32[19]"), Some((32, 19)));
        assert_eq!(dim("64"), Some((64, 64)));
        assert_eq!(dim("x[1]"), None);
        let m = memory("DEV_1_L1_HEIGHT_SHARDED").unwrap();
        assert_eq!(
            (m.buffer, m.layout),
            (BufferType::L1, MemoryLayout::HeightSharded)
        );
        assert_eq!(
            memory("DEV_0_DRAM_ND_SHARDED").unwrap().layout,
            MemoryLayout::NdSharded
        );
        assert!(memory("SYSTEM_MEMORY").is_none());
    }

    #[test]
    fn zero_shard_shapes_are_no_shard_spec() {
        let spec = crate::trace::attributes::parse_value(
            r#"ShardSpec{grid=[{"start":{"x":0;"y":0};"end":{"x":10;"y":9}]; shape=[0; 0]; orientation=ShardOrientation::ROW_MAJOR}"#,
        )
        .unwrap();
        assert_eq!(shard_spec(&spec), None);
        let spec = crate::trace::attributes::parse_value(
            r#"ShardSpec{grid=[{"start":{"x":0;"y":0};"end":{"x":10;"y":9}]; shape=[32; 64]; orientation=ShardOrientation::COL_MAJOR}"#,
        )
        .unwrap();
        let s = shard_spec(&spec).unwrap();
        assert_eq!(
            (s.cores, s.shape, s.orientation),
            (110, [32, 64], ShardOrientation::ColMajor)
        );
    }
}
