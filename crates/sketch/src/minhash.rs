//! MinHash signatures: fixed-size sketches whose per-slot agreement rate estimates the
//! Jaccard similarity of two shingle sets.
//!
//! Two schemes, both with `P[sig_a[i] == sig_b[i]] = J(A, B)` (up to 2^-32 accidental
//! collisions of 32-bit values):
//!
//! - [`Scheme::OnePermutation`] (the default): one-permutation hashing with optimal
//!   densification (Li, Owen & Zhang 2012; Shrivastava, ICML 2017). Each shingle hash is
//!   re-mixed once with the seed, its high bits pick one of `num_perm` bins and its low 32
//!   bits are the value kept if smaller; empty bins are then filled by the optimal
//!   densification rule (bin `i` borrows from the first non-empty bin on its own seeded
//!   probe sequence). Cost O(|shingles| + num_perm) instead of O(|shingles| × num_perm);
//!   same collision probability, estimator variance no worse than k permutations for sets
//!   larger than `num_perm` and close to it below.
//! - [`Scheme::Permutations`]: the classic `num_perm` universal hash functions
//!   `h_i(x) = (a_i·x + b_i) mod (2^61 − 1)` truncated to 32 bits, as datasketch does.
//!
//! # Signature layout
//!
//! A [`Signature`] is `num_perm` `u32` values; [`Signature::to_le_bytes`] writes them as
//! `4 × num_perm` little-endian bytes in slot order. Signatures are comparable only when made
//! by [`MinHasher`]s with equal [`MinHasher::params`] (scheme, num_perm, seed); a persistent
//! index must store those alongside.

use serde::{Deserialize, Serialize};

/// The Mersenne prime 2^61 − 1.
const MERSENNE: u64 = (1 << 61) - 1;

/// Default number of slots (permutations), as in datasketch.
pub const DEFAULT_NUM_PERM: usize = 128;

/// Default seed.
pub const DEFAULT_SEED: u64 = 1;

/// How signatures are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// One-permutation hashing with optimal densification (fast, default).
    OnePermutation,
    /// `num_perm` universal hash functions modulo 2^61 − 1 (classic, datasketch-like).
    Permutations,
}

/// The parameters that make two signatures comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MinHashParams {
    /// Signature scheme.
    pub scheme: Scheme,
    /// Number of slots.
    pub num_perm: usize,
    /// Seed of the hash functions.
    pub seed: u64,
}

/// A MinHash signature: `num_perm` 32-bit minima.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Signature(pub Vec<u32>);

impl Signature {
    /// Estimated Jaccard similarity: the fraction of equal slots (0.0 if lengths differ or
    /// are zero).
    pub fn jaccard(&self, other: &Signature) -> f64 {
        estimate_jaccard(&self.0, &other.0)
    }
    /// Little-endian bytes, 4 per slot, in slot order.
    pub fn to_le_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }
    /// Reads [`Signature::to_le_bytes`] output; `None` if the length is not a multiple of 4.
    pub fn from_le_bytes(bytes: &[u8]) -> Option<Signature> {
        if !bytes.len().is_multiple_of(4) {
            return None;
        }
        Some(Signature(
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ))
    }
}

/// Fraction of equal slots of two signature slices (0.0 if lengths differ or are zero).
pub fn estimate_jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let eq = a.iter().zip(b).filter(|(x, y)| x == y).count();
    eq as f64 / a.len() as f64
}

/// SplitMix64 finalizer: a bijective 64-bit mixer.
#[inline]
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `x mod (2^61 − 1)` for `x < 2^122`.
#[inline]
fn mod_mersenne(x: u128) -> u64 {
    let lo = (x as u64) & MERSENNE;
    let hi = (x >> 61) as u64;
    let mut r = lo + (hi & MERSENNE) + (hi >> 61);
    while r >= MERSENNE {
        r -= MERSENNE;
    }
    r
}

/// Computes MinHash signatures of shingle-hash sets. Cheap to clone; `Sync`.
#[derive(Debug, Clone)]
pub struct MinHasher {
    params: MinHashParams,
    /// Permutations: (a_i, b_i). OnePermutation: unused.
    coeffs: Vec<(u64, u64)>,
}

impl MinHasher {
    /// A hasher with the default scheme ([`Scheme::OnePermutation`]).
    ///
    /// # Panics
    /// If `num_perm == 0`.
    pub fn new(num_perm: usize, seed: u64) -> MinHasher {
        MinHasher::with_scheme(Scheme::OnePermutation, num_perm, seed)
    }

    /// A hasher with an explicit scheme.
    ///
    /// # Panics
    /// If `num_perm == 0`.
    pub fn with_scheme(scheme: Scheme, num_perm: usize, seed: u64) -> MinHasher {
        assert!(num_perm > 0, "num_perm must be at least 1");
        let coeffs = match scheme {
            Scheme::OnePermutation => Vec::new(),
            Scheme::Permutations => (0..num_perm as u64)
                .map(|i| {
                    let a = mix64(seed ^ mix64(2 * i + 1)) % (MERSENNE - 1) + 1;
                    let b = mix64(seed.wrapping_add(0x9e37_79b9_7f4a_7c15) ^ mix64(2 * i + 2))
                        % MERSENNE;
                    (a, b)
                })
                .collect(),
        };
        MinHasher {
            params: MinHashParams {
                scheme,
                num_perm,
                seed,
            },
            coeffs,
        }
    }

    /// The parameters (signatures are comparable only under equal parameters).
    pub fn params(&self) -> MinHashParams {
        self.params
    }

    /// Number of slots.
    pub fn num_perm(&self) -> usize {
        self.params.num_perm
    }

    /// Signature of a set given as shingle hashes (duplicates allowed, order irrelevant).
    /// An empty set gives all slots `u32::MAX`.
    pub fn signature(&self, shingles: &[u64]) -> Signature {
        let mut out = vec![0u32; self.params.num_perm];
        self.signature_into(shingles, &mut out);
        Signature(out)
    }

    /// Writes the signature into `out` (length `num_perm`).
    ///
    /// # Panics
    /// If `out.len() != num_perm`.
    pub fn signature_into(&self, shingles: &[u64], out: &mut [u32]) {
        assert_eq!(out.len(), self.params.num_perm, "signature length");
        match self.params.scheme {
            Scheme::OnePermutation => self.oph(shingles, out),
            Scheme::Permutations => self.perms(shingles, out),
        }
    }

    fn perms(&self, shingles: &[u64], out: &mut [u32]) {
        let mut mins = vec![u64::MAX; out.len()];
        for &x in shingles {
            let x = mod_mersenne(x as u128) as u128;
            for (m, &(a, b)) in mins.iter_mut().zip(&self.coeffs) {
                let h = mod_mersenne(a as u128 * x + b as u128) & 0xffff_ffff;
                if h < *m {
                    *m = h;
                }
            }
        }
        for (o, m) in out.iter_mut().zip(mins) {
            *o = m.min(u32::MAX as u64) as u32;
        }
    }

    fn oph(&self, shingles: &[u64], out: &mut [u32]) {
        let k = out.len();
        let seed = mix64(self.params.seed ^ 0x5851_f42d_4c95_7f2d);
        // Values are stored +1 in u64 so that 0 means "empty bin".
        let mut bins = vec![0u64; k];
        for &x in shingles {
            let h = mix64(x ^ seed);
            let bin = ((h as u128 * k as u128) >> 64) as usize;
            let v = (h as u32) as u64 + 1;
            let slot = &mut bins[bin];
            if *slot == 0 || v < *slot {
                *slot = v;
            }
        }
        if bins.iter().all(|&v| v == 0) {
            out.fill(u32::MAX);
            return;
        }
        // Optimal densification: empty bin i probes bins h(i, 1), h(i, 2), … (a sequence
        // shared by every document with the same seed) and copies the first non-empty one.
        for i in 0..k {
            if bins[i] != 0 {
                out[i] = (bins[i] - 1) as u32;
                continue;
            }
            let mut attempt = 1u64;
            loop {
                let p = mix64(seed ^ ((i as u64) << 32) ^ attempt);
                let j = ((p as u128 * k as u128) >> 64) as usize;
                if bins[j] != 0 {
                    out[i] = (bins[j] - 1) as u32;
                    break;
                }
                attempt += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sets(seed: u64, shared: usize, only_a: usize, only_b: usize) -> (Vec<u64>, Vec<u64>, f64) {
        let v = |i: u64| mix64(seed.wrapping_mul(1_000_003) ^ i);
        let common: Vec<u64> = (0..shared as u64).map(v).collect();
        let mut a = common.clone();
        a.extend((0..only_a as u64).map(|i| v(1_000_000 + i)));
        let mut b = common;
        b.extend((0..only_b as u64).map(|i| v(2_000_000 + i)));
        let j = shared as f64 / (shared + only_a + only_b) as f64;
        (a, b, j)
    }

    #[test]
    fn identical_sets_identical_signatures_and_serialization() {
        for scheme in [Scheme::OnePermutation, Scheme::Permutations] {
            let h = MinHasher::with_scheme(scheme, 64, 7);
            let (a, _, _) = sets(3, 50, 0, 0);
            let mut rev = a.clone();
            rev.reverse();
            rev.extend_from_slice(&a[..10]); // duplicates do not matter
            let s = h.signature(&a);
            assert_eq!(s, h.signature(&rev));
            assert_eq!(s.jaccard(&s), 1.0);
            let bytes = s.to_le_bytes();
            assert_eq!(bytes.len(), 256);
            assert_eq!(u32::from_le_bytes(bytes[..4].try_into().unwrap()), s.0[0]);
            assert_eq!(Signature::from_le_bytes(&bytes), Some(s));
            assert_eq!(Signature::from_le_bytes(&bytes[..5]), None);
        }
    }

    #[test]
    fn seeds_and_schemes_differ() {
        let (a, _, _) = sets(1, 100, 0, 0);
        let s1 = MinHasher::new(32, 1).signature(&a);
        let s2 = MinHasher::new(32, 2).signature(&a);
        assert!(s1.jaccard(&s2) < 0.5);
        assert_eq!(MinHasher::new(8, 1).signature(&[]).0, vec![u32::MAX; 8]);
    }

    #[test]
    fn disjoint_sets_rarely_agree() {
        for scheme in [Scheme::OnePermutation, Scheme::Permutations] {
            let h = MinHasher::with_scheme(scheme, 128, 1);
            let (a, b, _) = sets(9, 0, 200, 200);
            assert!(h.signature(&a).jaccard(&h.signature(&b)) < 0.05);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn estimate_close_to_true_jaccard(
            seed in any::<u64>(),
            shared in 0usize..400,
            only_a in 0usize..300,
            only_b in 0usize..300,
            perms in prop_oneof![Just(Scheme::OnePermutation), Just(Scheme::Permutations)],
        ) {
            prop_assume!(shared + only_a + only_b > 0);
            let (a, b, j) = sets(seed, shared, only_a, only_b);
            let h = MinHasher::with_scheme(perms, 256, seed);
            let est = h.signature(&a).jaccard(&h.signature(&b));
            // Standard error is at most 0.5/sqrt(256) = 0.031; allow 5 sigma.
            prop_assert!((est - j).abs() < 0.16, "est {est} true {j}");
        }
    }
}
