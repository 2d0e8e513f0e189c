//! Element data types and the layouts of the elements (tiles or row-major).

// `DType` itself (variants, `ALL`, `COUNT`, `name()`, `index()`, `Display`) is generated from
// the spec crate's list of data types (`ttnn_op_perf_spec::DTYPE`); its helpers are here.
pub use crate::generated::DType;

impl DType {
    /// From the spec spelling, the ttnn `DataType::` spelling (`BFLOAT16`) or a short form
    /// (`bf16`, `bf8`, `f32`, `u32`, ...).
    ///
    /// ```
    /// use ttnn_op_perf_models::DType;
    /// assert_eq!(DType::from_name("BFLOAT8_B"), Some(DType::Bfloat8B));
    /// assert_eq!(DType::from_name("bf16"), Some(DType::Bfloat16));
    /// ```
    pub fn from_name(name: &str) -> Option<DType> {
        let mut buf = [0u8; 16];
        let lower = ascii_lower(name, &mut buf)?;
        Some(match lower {
            "bfloat16" | "bf16" => DType::Bfloat16,
            "float32" | "f32" | "fp32" => DType::Float32,
            "bfloat8_b" | "bf8" | "bfp8" => DType::Bfloat8B,
            "bfloat4_b" | "bf4" | "bfp4" => DType::Bfloat4B,
            "uint8" | "u8" => DType::Uint8,
            "uint16" | "u16" => DType::Uint16,
            "uint32" | "u32" => DType::Uint32,
            "int32" | "i32" => DType::Int32,
            _ => return None,
        })
    }

    /// Bytes per element in row-major layout; `None` for block floats, which only exist tiled.
    pub const fn element_bytes(self) -> Option<u32> {
        match self {
            DType::Bfloat8B | DType::Bfloat4B => None,
            DType::Uint8 => Some(1),
            DType::Bfloat16 | DType::Uint16 => Some(2),
            DType::Float32 | DType::Uint32 | DType::Int32 => Some(4),
        }
    }
}

fn ascii_lower<'b>(s: &str, buf: &'b mut [u8; 16]) -> Option<&'b str> {
    let bytes = s.as_bytes();
    if bytes.len() > buf.len() {
        return None;
    }
    for (d, b) in buf.iter_mut().zip(bytes) {
        *d = b.to_ascii_lowercase();
    }
    core::str::from_utf8(&buf[..bytes.len()]).ok()
}

/// Memory layout of the elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// Tiles of `height` x `width` elements (32x32 unless a tiny-tile op says otherwise).
    Tile {
        height: u16,
        width: u16,
    },
    RowMajor,
}

impl Layout {
    /// The usual 32x32 tile.
    pub const TILE: Layout = Layout::Tile {
        height: 32,
        width: 32,
    };
}
