// The hash of the runtime's name lookups (`params::NameIndex`), in one copy: the spec crate
// compiles this file to search the seeds of its tables (`codegen::name_index`), and
// `codegen::generate` emits its text unchanged as `$OUT_DIR/name_hash.rs`, which the runtime's
// `src/params.rs` includes to look names up in those tables. Plain `core`, `const fn`.

/// The hash `params::NameIndex` is built on: the length, then the bytes
/// as little-endian words (8 bytes at a time with the last word overlapping, two overlapping
/// 4-byte words, or three single bytes, as `same` reads them), multiplied by `seed`.
#[inline(always)]
pub(crate) const fn name_hash(name: &str, seed: u64) -> u64 {
    let (x, n) = (name.as_bytes(), name.len());
    let mut h = n as u64;
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            h = (h ^ u64::from_le(chunk8(x, i))).wrapping_mul(seed);
            i += 8;
        }
        h ^= u64::from_le(chunk8(x, n - 8));
    } else if n >= 4 {
        h ^= (u32::from_le(chunk4(x, 0)) as u64) << 32 | u32::from_le(chunk4(x, n - 4)) as u64;
    } else if n > 0 {
        h ^= (x[0] as u64) << 40 | (x[n / 2] as u64) << 48 | (x[n - 1] as u64) << 56;
    }
    h.wrapping_mul(seed)
}

/// The 8 bytes of `x` at `i` as one integer (`i + 8 <= x.len()`, else 0).
#[inline(always)]
pub(crate) const fn chunk8(x: &[u8], i: usize) -> u64 {
    match x.split_at(i).1.first_chunk::<8>() {
        Some(c) => u64::from_ne_bytes(*c),
        None => 0,
    }
}

/// The 4 bytes of `x` at `i` as one integer (`i + 4 <= x.len()`, else 0).
#[inline(always)]
pub(crate) const fn chunk4(x: &[u8], i: usize) -> u32 {
    match x.split_at(i).1.first_chunk::<4>() {
        Some(c) => u32::from_ne_bytes(*c),
        None => 0,
    }
}
