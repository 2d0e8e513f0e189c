//! A deterministic hold-out split: the same rows are held out on every run, machine and Rust
//! release, so a fit's validation figures can be reproduced.

/// True when the row named `key` (e.g. `"file.csv:123"`) belongs to the held-out share
/// `fraction` (0..=1) of the rows. `fraction <= 0` (or NaN) holds out nothing, `>= 1`
/// everything.
///
/// The decision is a pure function of `key`: FNV-1a 64 of its bytes, mixed by a finalizer, read
/// as a uniform number in [0, 1). std's `DefaultHasher` is not used because its output may
/// change between Rust releases.
pub fn is_held_out(key: &str, fraction: f64) -> bool {
    // The top 53 bits as a uniform f64 in [0, 1).
    let u = (stable_hash(key.as_bytes()) >> 11) as f64 / (1u64 << 53) as f64;
    u < fraction
}

/// FNV-1a 64, then the MurmurHash3 64-bit finalizer: plain FNV-1a barely changes its high bits
/// when only the last bytes differ ("f:1" vs "f:2"), and those bits decide the split.
fn stable_hash(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_published_vectors() {
        // FNV-1a 64 reference values (before the finalizer, which is a bijection).
        fn fnv(bytes: &[u8]) -> u64 {
            let mut h = 0xcbf2_9ce4_8422_2325u64;
            for &b in bytes {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
            h
        }
        assert_eq!(fnv(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn stable_across_calls_and_bounded() {
        for i in 0..100 {
            let key = format!("trace.csv:{i}");
            assert_eq!(is_held_out(&key, 0.3), is_held_out(&key, 0.3));
            assert!(!is_held_out(&key, 0.0));
            assert!(!is_held_out(&key, f64::NAN));
            assert!(is_held_out(&key, 1.0));
        }
    }

    #[test]
    fn holds_out_about_the_fraction_of_consecutive_lines() {
        let n = 20_000;
        for fraction in [0.1, 0.2, 0.5] {
            let held = (0..n)
                .filter(|i| is_held_out(&format!("wh_exp_sweep.csv:{i}"), fraction))
                .count();
            let share = held as f64 / n as f64;
            assert!((share - fraction).abs() < 0.015, "{fraction}: {share}");
        }
    }

    #[test]
    fn larger_fraction_holds_out_a_superset() {
        for i in 0..1000 {
            let key = format!("a.csv:{i}");
            if is_held_out(&key, 0.1) {
                assert!(is_held_out(&key, 0.2));
            }
        }
    }
}
