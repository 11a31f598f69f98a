//! Locality-sensitive hashing of MinHash signatures by banding.
//!
//! A signature of `num_perm` slots is cut into `bands` bands of `rows` slots
//! (`bands × rows ≤ num_perm`; trailing slots unused). Two documents become candidates when
//! any band is equal; for Jaccard `s` that happens with probability `1 − (1 − s^rows)^bands`
//! (the S-curve). [`LshParams::for_threshold`] picks `(bands, rows)` the way datasketch's
//! `MinHashLSH` does: it minimizes `0.5 × FP + 0.5 × FN`, where FP is the area under the
//! S-curve below the threshold and FN the area above it under `1 − S`.
//!
//! A band key is xxh3 (seeded with the band index) of the band's `rows` values as
//! little-endian bytes.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Banding parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LshParams {
    /// Number of bands.
    pub bands: usize,
    /// Slots per band.
    pub rows: usize,
}

/// Integrates `f` over `[a, b]` with composite Simpson's rule (`n` even intervals).
fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
    if b <= a {
        return 0.0;
    }
    let h = (b - a) / n as f64;
    let mut s = f(a) + f(b);
    for i in 1..n {
        let x = a + i as f64 * h;
        s += if i % 2 == 1 { 4.0 } else { 2.0 } * f(x);
    }
    s * h / 3.0
}

impl LshParams {
    /// Explicit parameters; `None` if either is zero or `bands × rows > num_perm`.
    pub fn new(bands: usize, rows: usize, num_perm: usize) -> Option<LshParams> {
        (bands > 0 && rows > 0 && bands * rows <= num_perm).then_some(LshParams { bands, rows })
    }

    /// The parameters minimizing `0.5·FP + 0.5·FN` for `threshold` (datasketch's
    /// `_optimal_param` with equal weights).
    pub fn for_threshold(threshold: f64, num_perm: usize) -> LshParams {
        LshParams::for_threshold_weighted(threshold, num_perm, 0.5, 0.5)
    }

    /// As [`LshParams::for_threshold`] with explicit false-positive / false-negative weights.
    ///
    /// # Panics
    /// If `num_perm == 0`.
    pub fn for_threshold_weighted(
        threshold: f64,
        num_perm: usize,
        fp_weight: f64,
        fn_weight: f64,
    ) -> LshParams {
        assert!(num_perm > 0, "num_perm must be at least 1");
        let t = threshold.clamp(0.0, 1.0);
        let mut best = (f64::INFINITY, LshParams { bands: 1, rows: 1 });
        for b in 1..=num_perm {
            for r in 1..=num_perm / b {
                let p = LshParams { bands: b, rows: r };
                let fp = integrate(|s| p.collision_probability(s), 0.0, t, 200);
                let fneg = integrate(|s| 1.0 - p.collision_probability(s), t, 1.0, 200);
                let err = fp * fp_weight + fneg * fn_weight;
                if err < best.0 {
                    best = (err, p);
                }
            }
        }
        best.1
    }

    /// Probability that two documents of Jaccard `s` share at least one band.
    pub fn collision_probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// Key of band `band` of `sig`.
    ///
    /// # Panics
    /// If the signature is shorter than `bands × rows`.
    #[inline]
    pub fn band_key(&self, sig: &[u32], band: usize) -> u64 {
        let vals = &sig[band * self.rows..(band + 1) * self.rows];
        let mut buf = [0u8; 256];
        if vals.len() * 4 <= buf.len() {
            for (c, v) in buf.chunks_exact_mut(4).zip(vals) {
                c.copy_from_slice(&v.to_le_bytes());
            }
            xxh3_64_with_seed(&buf[..vals.len() * 4], band as u64)
        } else {
            let bytes: Vec<u8> = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
            xxh3_64_with_seed(&bytes, band as u64)
        }
    }

    /// Keys of every band of `sig`, in band order.
    pub fn band_keys<'a>(&'a self, sig: &'a [u32]) -> impl Iterator<Item = u64> + 'a {
        (0..self.bands).map(move |b| self.band_key(sig, b))
    }
}

/// An in-memory LSH index: one hash table per band from band key to document numbers.
#[derive(Debug, Clone)]
pub struct LshIndex {
    params: LshParams,
    tables: Vec<HashMap<u64, Vec<u32>>>,
}

impl LshIndex {
    /// An empty index.
    pub fn new(params: LshParams) -> LshIndex {
        LshIndex {
            params,
            tables: vec![HashMap::new(); params.bands],
        }
    }

    /// The banding parameters.
    pub fn params(&self) -> LshParams {
        self.params
    }

    /// Adds document `doc` with signature `sig`.
    pub fn insert(&mut self, doc: u32, sig: &[u32]) {
        for (b, table) in self.tables.iter_mut().enumerate() {
            table
                .entry(self.params.band_key(sig, b))
                .or_default()
                .push(doc);
        }
    }

    /// Documents sharing at least one band with `sig`: sorted, without duplicates.
    pub fn query(&self, sig: &[u32]) -> Vec<u32> {
        let mut out = Vec::new();
        for (b, table) in self.tables.iter().enumerate() {
            if let Some(docs) = table.get(&self.params.band_key(sig, b)) {
                out.extend_from_slice(docs);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::MinHasher;
    use crate::shingle::shingle_set;
    use proptest::prelude::*;

    #[test]
    fn threshold_params_fit_and_move_with_threshold() {
        let p8 = LshParams::for_threshold(0.8, 128);
        assert!(p8.bands * p8.rows <= 128);
        // The S-curve's midpoint sits near the threshold.
        assert!(p8.collision_probability(0.9) > 0.9, "{p8:?}");
        assert!(p8.collision_probability(0.5) < 0.1, "{p8:?}");
        let p5 = LshParams::for_threshold(0.5, 128);
        assert!(p5.rows < p8.rows, "{p5:?} vs {p8:?}");
        assert!(LshParams::new(0, 1, 128).is_none());
        assert!(LshParams::new(16, 9, 128).is_none());
        assert_eq!(
            LshParams::new(16, 8, 128),
            Some(LshParams { bands: 16, rows: 8 })
        );
    }

    /// Reference values printed by datasketch 2.0.0's `_optimal_param(t, n, 0.5, 0.5)`.
    #[test]
    fn matches_datasketch_optimal_param() {
        let reference = [
            (0.5, 64, 14, 4),
            (0.5, 128, 25, 5),
            (0.5, 256, 42, 6),
            (0.7, 64, 8, 8),
            (0.7, 128, 14, 9),
            (0.7, 256, 25, 10),
            (0.8, 64, 5, 11),
            (0.8, 128, 9, 13),
            (0.8, 256, 17, 15),
            (0.9, 64, 3, 21),
            (0.9, 128, 5, 25),
            (0.9, 256, 9, 28),
        ];
        for (t, n, b, r) in reference {
            assert_eq!(
                LshParams::for_threshold(t, n),
                LshParams { bands: b, rows: r },
                "threshold {t}, num_perm {n}"
            );
        }
    }

    #[test]
    fn index_finds_near_duplicate_not_unrelated() {
        let base = "the central bank raised interest rates by half a point on tuesday citing \
                    persistent inflation in food and energy prices while analysts had expected \
                    a smaller move and markets fell sharply after the announcement";
        let near = base.replace("tuesday", "wednesday");
        let other = "a local football club signed a new striker from abroad for a record fee \
                     after a long negotiation that lasted most of the summer transfer window";
        let h = MinHasher::new(128, 1);
        let p = LshParams::for_threshold(0.5, 128);
        let mut idx = LshIndex::new(p);
        let sig = |t: &str| h.signature(&shingle_set(t, 3)).0;
        idx.insert(0, &sig(base));
        idx.insert(1, &sig(other));
        assert_eq!(idx.query(&sig(&near)), vec![0]);
    }

    proptest! {
        #[test]
        fn identical_sets_always_collide(words in proptest::collection::vec("[a-z]{1,8}", 1..60), seed in any::<u64>()) {
            let text = words.join(" ");
            let h = MinHasher::new(128, seed);
            let p = LshParams::for_threshold(0.9, 128);
            let s1 = h.signature(&shingle_set(&text, 5));
            let s2 = h.signature(&shingle_set(&text.to_uppercase(), 5));
            let k1: Vec<u64> = p.band_keys(&s1.0).collect();
            let k2: Vec<u64> = p.band_keys(&s2.0).collect();
            prop_assert_eq!(k1, k2);
            let mut idx = LshIndex::new(p);
            idx.insert(42, &s1.0);
            prop_assert_eq!(idx.query(&s2.0), vec![42]);
        }
    }
}
