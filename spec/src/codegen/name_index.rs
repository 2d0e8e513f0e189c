//! The perfect hashes of name lists (an op's param keys, an enum param's values): each a
//! `params::NameIndex` the runtime looks names up in with the same [`name_hash`].

use super::name_hash::name_hash;
use super::{int_lit, usize_lit};
use proc_macro2::TokenStream;
use quote::quote;

/// Seeds tried for each table size.
const SEEDS: u32 = 100_000;

/// Whether one of `SEEDS` seeds is likely to hash `names` names to distinct slots of a table
/// of `2^bits`: the chance of one seed is the product of `(m - i) / m` over the names.
pub(super) fn seed_likely(names: usize, bits: u32) -> bool {
    let m = (1u64 << bits) as f64;
    let chance: f64 = (0..names).map(|i| (m - i as f64) / m).product();
    chance * SEEDS as f64 >= 0.01
}

/// A `NameIndex` of `names`: the first seed (of a fixed sequence) whose hash puts every name
/// in a slot of its own, in the smallest table from twice as many slots as names that one of
/// the `SEEDS` tried for each size is likely to fit (`seed_likely`).
pub(super) fn name_index(names: &[&str]) -> Result<TokenStream, String> {
    if names.len() >= u8::MAX as usize {
        return Err(format!(
            "{} names in one list; a name index holds at most 254: {names:?}",
            names.len()
        ));
    }
    let min_bits = names.len().next_power_of_two().trailing_zeros() + 1;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for bits in min_bits..min_bits + 4 {
        // Trying every seed where none is likely to fit was most of the search's time.
        if !seed_likely(names.len(), bits) {
            continue;
        }
        let shift = 64 - bits;
        for _ in 0..SEEDS {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407)
                | 1;
            let mut slots = vec![u8::MAX; 1 << bits];
            let unique = names.iter().enumerate().all(|(i, n)| {
                let slot = &mut slots[(name_hash(n, seed) >> shift) as usize];
                let free = *slot == u8::MAX;
                *slot = i as u8;
                free
            });
            if unique {
                let slots = slots.into_iter().map(int_lit);
                let (seed, shift) = (int_lit(seed), usize_lit(shift as usize));
                return Ok(quote! {
                    NameIndex { seed: #seed, shift: #shift, slots: &[#(#slots),*] }
                });
            }
        }
    }
    Err(format!(
        "no perfect hash of {names:?}: do two names repeat?"
    ))
}
