//! Hash maps keyed by values that are already hashes (xxh3 word and stem keys) or small
//! integers. The standard SipHash is built to resist flooding by chosen keys and costs several
//! times more per lookup; these keys come from xxh3 already, so one multiply-and-mix round is
//! enough. Iteration order never reaches the output (see ARCHITECTURE.md, determinism).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The splitmix64 finaliser: a fast, well-mixing bijection on `u64`.
#[inline]
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A hasher for integer keys: each written integer is folded in with a multiply, and
/// `finish` applies the splitmix64 finaliser so every output bit depends on every input bit.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IntHasher(u64);

impl Hasher for IntHasher {
    #[inline]
    fn finish(&self) -> u64 {
        mix(self.0)
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
        }
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(23) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    #[inline]
    fn write_isize(&mut self, n: isize) {
        self.write_u64(n as u64);
    }
}

/// A `HashMap` with [`IntHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<IntHasher>>;
/// A `HashSet` with [`IntHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<IntHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn h<T: Hash>(v: T) -> u64 {
        BuildHasherDefault::<IntHasher>::default().hash_one(v)
    }

    #[test]
    fn distinct_small_keys_spread_over_high_and_low_bits() {
        let hs: Vec<u64> = (0u64..1024).map(h).collect();
        let mut sorted = hs.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 1024);
        // hashbrown picks buckets from the low bits and tags from the top 7 bits.
        let low: FastSet<u64> = hs.iter().map(|x| x & 1023).collect();
        let top: FastSet<u64> = hs.iter().map(|x| x >> 57).collect();
        assert!(low.len() > 550, "{}", low.len());
        assert_eq!(top.len(), 128);
        assert_ne!(h((1usize, 2usize)), h((2usize, 1usize)));
    }
}
