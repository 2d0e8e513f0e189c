//! Shapes, padded and logical.

/// Highest rank a tensor may have.
pub const MAX_RANK: usize = 8;
/// Largest size of one dimension; larger ones are rejected as absurd.
pub const MAX_DIM: u32 = 1 << 30;

/// A shape, padded and logical, up to rank [`MAX_RANK`].
///
/// What queries ask of every dim (sizes in range, the volume) is computed once, when the
/// shape is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shape {
    /// The number of dims given; above [`MAX_RANK`] only the first dims are kept and the
    /// shape is rejected when validated.
    rank: u8,
    /// Every kept dim has `1 <= logical <= padded <= MAX_DIM`.
    pub(super) dims_ok: bool,
    /// `logical == padded`, all [`MAX_RANK`] slots (unused ones are 0).
    unpadded: bool,
    padded: [u32; MAX_RANK],
    logical: [u32; MAX_RANK],
    /// Product of the kept padded dims; `None` on overflow.
    volume: Option<u64>,
}

impl Shape {
    /// A shape whose logical and padded dims are equal.
    pub const fn new(dims: &[u32]) -> Shape {
        Shape::padded(dims, dims)
    }

    /// A shape with `padded` storage dims and `logical` dims (ranks must agree: a mismatch
    /// makes the shape invalid, reported when a query validates it).
    pub const fn padded(padded: &[u32], logical: &[u32]) -> Shape {
        let mut s = Shape {
            rank: if padded.len() > u8::MAX as usize {
                u8::MAX
            } else {
                padded.len() as u8
            },
            dims_ok: true,
            unpadded: false,
            padded: [0; MAX_RANK],
            logical: [0; MAX_RANK],
            volume: Some(1),
        };
        if padded.len() != logical.len() {
            s.rank = u8::MAX;
        }
        let mut i = 0;
        while i < padded.len() && i < MAX_RANK {
            s.padded[i] = padded[i];
            s.logical[i] = if i < logical.len() { logical[i] } else { 0 };
            i += 1;
        }
        let mut unpadded = true;
        let mut i = 0;
        while i < MAX_RANK {
            unpadded &= s.padded[i] == s.logical[i];
            i += 1;
        }
        s.unpadded = unpadded;
        let mut i = 0;
        while i < s.kept_rank() {
            let (p, l) = (s.padded[i], s.logical[i]);
            s.dims_ok &= l >= 1 && l <= p && p <= MAX_DIM;
            s.volume = match s.volume {
                Some(v) => v.checked_mul(p as u64),
                None => None,
            };
            i += 1;
        }
        s
    }

    #[inline]
    pub const fn rank(&self) -> usize {
        self.rank as usize
    }

    /// Padded dims, outermost first.
    #[inline]
    pub const fn dims(&self) -> &[u32] {
        self.padded.split_at(self.kept_rank()).0
    }

    /// Logical dims, outermost first.
    #[inline]
    pub const fn logical(&self) -> &[u32] {
        self.logical.split_at(self.kept_rank()).0
    }

    /// The dims stored: the rank, at most [`MAX_RANK`].
    #[inline]
    const fn kept_rank(&self) -> usize {
        if self.rank() < MAX_RANK {
            self.rank()
        } else {
            MAX_RANK
        }
    }

    /// Whether `self` and `other` are one shape without padding: the same rank (at most
    /// [`MAX_RANK`]) and padded dims, and logical dims equal to them.
    #[inline]
    pub(crate) const fn same_unpadded(&self, other: &Shape) -> bool {
        let mut same = self.rank == other.rank
            && self.rank as usize <= MAX_RANK
            && self.unpadded
            && other.unpadded;
        let mut i = 0;
        // All `MAX_RANK` dims, without early exit: a few vector compares.
        while i < MAX_RANK {
            same &= self.padded[i] == other.padded[i];
            i += 1;
        }
        same
    }

    /// Padded dim `i` counted from the innermost (0 = last); 1 beyond the rank.
    #[inline]
    pub const fn dim_from_end(&self, i: usize) -> u32 {
        from_end(self.dims(), i)
    }

    /// Logical dim `i` counted from the innermost (0 = last); 1 beyond the rank.
    #[inline]
    pub(crate) const fn logical_dim_from_end(&self, i: usize) -> u32 {
        from_end(self.logical(), i)
    }

    /// Product of the padded dims; `None` on overflow.
    #[inline]
    pub const fn volume(&self) -> Option<u64> {
        self.volume
    }
}

/// Dim `i` of `d` counted from the innermost (0 = last); 1 beyond the rank.
#[inline]
const fn from_end(d: &[u32], i: usize) -> u32 {
    if i < d.len() { d[d.len() - 1 - i] } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The volume a shape computes when built is the product of its padded dims (`None` on
    /// overflow), at every rank up to past [`MAX_RANK`] and with mismatched logical ranks.
    #[test]
    fn volume_is_the_product_of_the_dims() {
        let sizes = [0, 1, 3, 32, 1 << 20, MAX_DIM, u32::MAX];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for rank in 0..=MAX_RANK + 2 {
            for _ in 0..2000 {
                let mut dims = [0u32; MAX_RANK + 2];
                for d in dims.iter_mut().take(rank) {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    *d = sizes[(x % sizes.len() as u64) as usize];
                }
                let dims = &dims[..rank];
                for logical in [dims, &dims[..rank.saturating_sub(1)]] {
                    let shape = Shape::padded(dims, logical);
                    let product = shape
                        .dims()
                        .iter()
                        .try_fold(1u64, |v, &d| v.checked_mul(d as u64));
                    assert_eq!(shape.volume(), product, "{dims:?} {logical:?}");
                }
            }
        }
    }
}
